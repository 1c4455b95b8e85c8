"""engine.sweep_axes and viz.plot_sweep (the command line's ``sweep --plot``): where each trial is drawn."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from PIL import Image

from engine import viz
from engine.sweep_axes import category_means, jitter, panel_params, sweep_axis
from engine.sweep_results import ResultsFile, read_results
from engine.sweep_space import DataSpec, plan

TINY = DataSpec("shapes", 48, 24, (8, 8))


def _rows(tmp_path, accuracies, space=None, seeds=(0,)):
    """Typed rows of a finished sweep whose i-th trial got ``accuracies[i]`` (None: it failed)."""
    space = space or {"lr": [0.001, 0.01], "kernel_size": [3, 5], "filters": [4]}
    results = ResultsFile(tmp_path / "s.csv")
    for trial, acc in zip(plan(space, TINY, 1, seeds), accuracies, strict=True):
        outcome = (
            {"status": "failed", "error": "ValueError: boom", "seconds": 0.5}
            if acc is None
            else {"status": "ok", "val_accuracy": acc, "val_loss": 1.0, "seconds": 1.0, "history": {}}
        )
        results.add(trial, TINY, 1, outcome)
    return sorted(read_results(tmp_path / "s.csv"), key=lambda r: (r["lr"], r["kernel_size"], r["seed"]))


def test_axis_categories_follow_numbers_and_the_choices_order():
    axis = sweep_axis("kernel_size", [7, 3, 5, 3])
    assert axis.categorical and axis.positions == [2.0, 0.0, 1.0, 0.0]
    assert axis.ticks == [(0.0, "3"), (1.0, "5"), (2.0, "7")]
    pooling = sweep_axis("pooling", ["stride2", "max", "avg"])  # PARAMS order: max, avg, stride2
    assert pooling.positions == [2.0, 0.0, 1.0] and [t[1] for t in pooling.ticks] == ["max", "avg", "stride2"]
    lr = sweep_axis("lr", [0.001, 0.01])
    assert lr.ticks == [(0.0, "0.001"), (1.0, "0.01")]


def test_many_values_get_a_continuous_axis_log_for_the_learning_rate():
    values = [0.0001 * 2**k for k in range(10)]
    lr = sweep_axis("lr", values)
    assert not lr.categorical and lr.log and lr.positions == values and lr.ticks == []
    units = sweep_axis("dense_units", list(range(10, 20)))
    assert not units.categorical and not units.log and units.positions == list(range(10, 20))
    with pytest.raises(ValueError, match="at least one value of 'lr'"):
        sweep_axis("lr", [])


def test_means_jitter_and_panels():
    assert category_means([1.0, 0.0, 1.0], [0.5, 0.2, 0.7]) == [(0.0, 0.2), (1.0, pytest.approx(0.6))]
    offsets = [jitter(k) for k in range(50)]
    assert jitter(0) == 0.0 and all(-0.15 <= o < 0.15 for o in offsets) and len(set(offsets)) == 50
    rows = [{"lr": 0.1, "kernel_size": k, "filters": 4, "seed": 0} for k in (3, 5)]
    assert panel_params(rows, ["lr", "kernel_size", "filters"]) == ["kernel_size"]
    assert panel_params(rows, ["lr", "filters"]) == ["lr"]  # none varies: still one panel
    assert panel_params(rows, []) == ["seed"]


def _dots(ax):
    """The (x, y) of each dot of each scatter of ``ax``, in drawing order."""
    return [c.get_offsets().data.tolist() for c in ax.collections if isinstance(c, PathCollection)]


def test_plot_sweep_draws_each_trial_where_its_value_and_accuracy_are(tmp_path):
    # trials (lr, kernel_size): (0.001, 3) failed, (0.001, 5) 0.2, (0.01, 3) 0.4, (0.01, 5) 0.6
    rows = _rows(tmp_path, [None, 0.2, 0.4, 0.6])
    fig = viz.plot_sweep(rows, ["lr", "kernel_size", "filters"], title="4 trials")  # filters: no panel
    lr_ax, ks_ax = fig.axes
    assert lr_ax.get_xlabel() == "lr" and ks_ax.get_xlabel() == "kernel_size"
    assert [t.get_text() for t in lr_ax.get_xticklabels()] == ["0.001", "0.01"]
    dots, failed, best = _dots(lr_ax)
    # lr=0.001 is column 0 (its 2nd trial: jitter(1)); lr=0.01 column 1 (jitter(0), jitter(1))
    assert np.allclose(dots, [[0 + jitter(1), 0.2], [1 + jitter(0), 0.4], [1 + jitter(1), 0.6]])
    assert np.allclose(failed, [[0 + jitter(0), 0.0]])
    assert np.allclose(best, [[1 + jitter(1), 0.6]])
    (mean_line,) = lr_ax.get_lines()
    assert np.allclose(mean_line.get_xydata(), [[0, 0.2], [1, 0.5]])  # the failed trial is left out
    (ks_mean,) = ks_ax.get_lines()
    assert np.allclose(ks_mean.get_xydata(), [[0, 0.4], [1, 0.4]])  # (0.2 + 0.6) / 2 for kernel 5
    assert fig._suptitle.get_text() == "4 trials\nbest: 0.600 (lr=0.01 kernel_size=5)"
    out = viz.save_figure(fig, tmp_path / "s.png")
    with Image.open(out) as image:
        assert image.size[0] > image.size[1] > 200


def test_plot_sweep_into_given_axes_and_its_errors(tmp_path):
    rows = _rows(tmp_path, [0.5, 0.2, 0.4, 0.6])
    fig, axes = viz.subplots(1, 2)
    assert viz.plot_sweep(rows, ["lr", "kernel_size"], ax=axes) is fig
    assert axes[1].get_xlabel() == "kernel_size" and fig._suptitle is None
    with pytest.raises(ValueError, match=r"ax must hold 2 Axes, one for each of \['lr', 'kernel_size'\]"):
        viz.plot_sweep(rows, ["lr", "kernel_size"], ax=axes[0])
    failed = [{**r, "status": "failed", "val_accuracy": None} for r in rows]
    with pytest.raises(ValueError, match="nothing to plot: no trial finished"):
        viz.plot_sweep(failed, ["lr"])
