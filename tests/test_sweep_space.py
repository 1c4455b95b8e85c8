"""engine.sweep_space, engine.sweep_results and zoo.generate: no cluster, no training."""

from __future__ import annotations

import csv
import itertools
import json

import numpy as np
import pytest

from engine import zoo
from engine.sweep import SweepProgress
from engine.sweep_results import COLUMNS, ResultsFile, read_results
from engine.sweep_space import (
    HEADS,
    PARAMS,
    POOLINGS,
    DataSpec,
    Range,
    complete,
    grid,
    parse_param,
    plan,
    sample,
    trial_key,
)

TINY = DataSpec("shapes", 48, 24, (8, 8))


# ------------------------------------------------------------------------------------------- zoo.generate


def test_the_space_offers_exactly_the_generators_choices():
    assert POOLINGS == zoo.POOLINGS and HEADS == zoo.HEADS
    assert PARAMS["pooling"].choices == zoo.POOLINGS and PARAMS["head"].choices == zoo.HEADS
    generator_args = {"conv_layers", "filters", "kernel_size", "dense_units", "pooling", "head"}
    # batch_norm is a generator choice that sweeps do not vary yet: every trial builds without it
    assert set(zoo.GENERATOR_DEFAULTS) == generator_args | {"batch_norm"}
    assert zoo.GENERATOR_DEFAULTS["batch_norm"] is False and "batch_norm" not in PARAMS
    assert all(PARAMS[k].default == zoo.GENERATOR_DEFAULTS[k] for k in generator_args)


@pytest.mark.parametrize(
    "pooling, head, shapes, count",
    [
        # conv 3x3x1x4 + 4 = 40; pool; conv 3x3x4x8 + 8 = 296; pool -> 2x2x8 = 32;
        # dense 32*8 + 8 = 264; output 8*6 + 6 = 54
        ("max", "flatten", [(8, 8, 4), (4, 4, 4), (4, 4, 8), (2, 2, 8), (32,), (8,), (6,)], 654),
        ("avg", "flatten", [(8, 8, 4), (4, 4, 4), (4, 4, 8), (2, 2, 8), (32,), (8,), (6,)], 654),
        # the stride-2 convolutions halve the image themselves: no pooling layers, same weights
        ("stride2", "flatten", [(4, 4, 4), (2, 2, 8), (32,), (8,), (6,)], 654),
        # global max: 8 channels -> dense 8*8+8 = 72 instead of 264
        ("max", "global_max", [(8, 8, 4), (4, 4, 4), (4, 4, 8), (2, 2, 8), (8,), (8,), (6,)], 462),
        ("stride2", "global_max", [(4, 4, 4), (2, 2, 8), (8,), (8,), (6,)], 462),
    ],
)
def test_generate_builds_the_hand_counted_network(pooling, head, shapes, count):
    model = zoo.generate((8, 8, 1), 6, conv_layers=2, filters=4, dense_units=8, pooling=pooling, head=head)
    assert [layer.output_shape for layer in model.layers] == shapes
    assert model.count_params() == count
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv2D"]
    assert [c.filters for c in convs] == [4, 8]  # filters double block after block


def test_generate_without_hidden_dense_layer_and_with_wider_kernels():
    model = zoo.generate((12, 12, 3), 10, conv_layers=1, filters=5, kernel_size=5, dense_units=0)
    # 5*5*3*5 + 5 = 380; pool -> 6x6x5 = 180; 180*10 + 10 = 1810
    assert model.count_params() == 380 + 1810
    assert [type(layer).__name__ for layer in model.layers] == ["Conv2D", "MaxPooling2D", "Flatten", "Dense"]


def test_generate_refuses_too_deep_networks_and_bad_choices():
    with pytest.raises(ValueError, match=r"conv_layers=4 is too deep for 8x8 images.*at most 3 conv layers"):
        zoo.generate((8, 8, 1), 6, conv_layers=4)
    zoo.generate((8, 8, 1), 6, conv_layers=5, pooling="stride2")  # ceil(n / 2) never reaches 0
    with pytest.raises(ValueError, match=r"pooling must be one of \('max', 'avg', 'stride2'\)"):
        zoo.generate((8, 8, 1), 6, pooling="min")
    with pytest.raises(ValueError, match=r"dense_units must be an int >= 0\. Received: dense_units=-1"):
        zoo.generate((8, 8, 1), 6, dense_units=-1)


def test_generate_is_seeded():
    a = zoo.generate((8, 8, 1), 3, filters=2, seed=3).get_weights()
    b = zoo.generate((8, 8, 1), 3, filters=2, seed=3).get_weights()
    c = zoo.generate((8, 8, 1), 3, filters=2, seed=4).get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])


# ------------------------------------------------------------------------------------------------ the space


def test_parse_param_reads_lists_ranges_and_types():
    assert parse_param("lr=0.001,0.01") == ("lr", [0.001, 0.01])
    assert parse_param("kernel_size=3,5,7") == ("kernel_size", [3, 5, 7])
    assert parse_param("kernel-size=3,3") == ("kernel_size", [3])  # dashes allowed, duplicates dropped
    assert parse_param("pooling=MAX, stride2") == ("pooling", ["max", "stride2"])
    assert parse_param("lr=1e-4..1e-1") == ("lr", Range(1e-4, 0.1))
    assert parse_param("conv_layers=1..3") == ("conv_layers", Range(1, 3))


@pytest.mark.parametrize(
    "text, message",
    [
        ("foo=1", "unknown hyper-parameter 'foo'. Allowed: lr (numbers > 0), optimizer (adam|sgd|rmsprop), "),
        ("kernel_size=3,x", "kernel_size values must be integers >= 1. Received: 'x'"),
        ("conv_layers=1.5", "conv_layers values must be integers >= 1. Received: '1.5'"),
        ("dense_units=-2", "dense_units values must be integers >= 0. Received: '-2'"),
        ("lr=0", "lr values must be numbers > 0. Received: '0'"),
        ("lr=inf", "lr values must be numbers > 0. Received: 'inf'"),
        ("pooling=min", "pooling values must be max|avg|stride2. Received: 'min'"),
        ("head=1..2", "head takes a list of values (flatten|global_max), not a range"),
        ("lr=0.1..0.01", "lr range must be LOW..HIGH with LOW <= HIGH. Received: 0.1..0.01"),
        ("lr=", "lr needs at least one value (numbers > 0), comma-separated"),
        ("lr", "must be NAME=VALUE[,VALUE...] (e.g. lr=0.001,0.01 or kernel_size=3,5,7). Received: 'lr'"),
    ],
)
def test_bad_params_say_what_was_received_and_what_is_allowed(text, message):
    with pytest.raises(ValueError) as info:
        parse_param(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_complete_fills_defaults_and_the_optimizers_learning_rate():
    full = complete({"kernel_size": 5})
    assert list(full) == list(PARAMS)
    assert full["kernel_size"] == 5 and full["lr"] == 0.001 and full["pooling"] == "max"
    assert complete({"optimizer": "sgd"})["lr"] == 0.01  # SGD's default, not Adam's
    assert complete({"optimizer": "sgd", "lr": 0.5})["lr"] == 0.5


def test_grid_is_the_cartesian_product_first_parameter_slowest():
    points = grid({"lr": [0.001, 0.01], "kernel_size": [3, 5, 7]})
    assert [(p["lr"], p["kernel_size"]) for p in points] == list(itertools.product([0.001, 0.01], [3, 5, 7]))
    assert len(grid({})) == 1  # the defaults alone
    with pytest.raises(ValueError, match="need random search"):
        grid({"lr": "0.001..0.1"})


def test_trial_keys_name_the_trial_not_how_the_sweep_was_written():
    a = trial_key({"lr": 0.01}, 0, TINY, 1)
    assert a == trial_key({"lr": "0.01", "optimizer": "adam", "kernel_size": 3}, 0, TINY, 1)
    assert len(a) == 16 and int(a, 16) >= 0
    others = {
        trial_key({"lr": 0.01}, 1, TINY, 1),
        trial_key({"lr": 0.01}, 0, TINY, 2),
        trial_key({"lr": 0.01}, 0, DataSpec("shapes", 48, 24, (12, 12)), 1),
        trial_key({"lr": 0.02}, 0, TINY, 1),
    }
    assert a not in others and len(others) == 4


def test_plan_crosses_points_and_seeds():
    trials = plan({"lr": [0.001, 0.01], "kernel_size": [3, 5]}, TINY, 1, seeds=[0, 1])
    assert len(trials) == 8 and len({t.key for t in trials}) == 8
    assert trials[0].label() == "lr=0.001 kernel_size=3 seed=0"
    assert [t.seed for t in trials[:2]] == [0, 1]
    with pytest.raises(ValueError, match=r"epochs must be an int >= 1\. Received: epochs=0"):
        plan({}, TINY, 0)


def test_random_points_are_distinct_in_range_and_repeatable():
    space = {"lr": "0.0001..0.1", "conv_layers": "1..3", "pooling": ["max", "avg"]}
    points = sample(space, 12, seed=5)
    assert len(points) == 12 and len({json.dumps(p, sort_keys=True) for p in points}) == 12
    assert all(1e-4 <= p["lr"] <= 0.1 and p["conv_layers"] in (1, 2, 3) for p in points)
    assert {p["pooling"] for p in points} == {"max", "avg"}
    assert all(float(f"{p['lr']:.3g}") == p["lr"] for p in points)  # three significant digits
    assert sample(space, 12, seed=5) == points
    assert sample(space, 12, seed=6) != points
    lrs = np.log10([p["lr"] for p in sample({"lr": "0.0001..0.1"}, 200, seed=0)])
    assert lrs.min() < -3.5 and lrs.max() > -1.5  # log-uniform: every decade gets points


def test_random_points_of_a_grid_are_a_subset_or_the_whole_grid():
    space = {"lr": [0.001, 0.01, 0.1], "kernel_size": [3, 5, 7]}
    full = grid(space)
    some = sample(space, 4, seed=1)
    assert len(some) == 4 and all(p in full for p in some)
    assert sample(space, 50) == full


def test_dataspec_checks_its_fields():
    with pytest.raises(ValueError, match=r"n_train must be an int >= 1 or None\. Received: n_train=0"):
        DataSpec("shapes", 0)
    with pytest.raises(ValueError, match=r"size must be \(height, width\)"):
        DataSpec("shapes", size=(8,))
    assert DataSpec("digits").builtin and not DataSpec("some/folder").builtin


# ------------------------------------------------------------------------------------------------ results


def _outcome(acc, status="ok", model=b"npz bytes"):
    if status != "ok":  # what run_trial returns for a trial that raised
        return {"status": status, "error": "ValueError: boom", "model_bytes": None, "seconds": 0.5}
    return {
        "status": status,
        "error": "" if status == "ok" else "ValueError: boom",
        "history": {
            "loss": [1.5, 1.2],
            "accuracy": [0.3, 0.5],
            "val_loss": [1.4, 1.1],
            "val_accuracy": [0.4, acc],
        },
        "val_accuracy": acc,
        "val_loss": 1.1,
        "params_count": 654,
        "seconds": 1.23456,
        "worker": "tcp://127.0.0.1:4000",
        "model_bytes": model if status == "ok" else None,
    }


def test_results_rows_survive_a_reread_and_replace_failed_trials(tmp_path):
    trials = plan({"kernel_size": [3, 5]}, TINY, 2)
    path = tmp_path / "sweep.csv"
    results = ResultsFile(path)
    results.add(trials[0], TINY, 2, _outcome(0.75))
    results.add(trials[1], TINY, 2, _outcome(None, status="failed"))
    with open(path, newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == COLUMNS
        raw = list(reader)
    assert [r["status"] for r in raw] == ["ok", "failed"]
    assert (tmp_path / "sweep_models" / f"{trials[0].key}.npz").read_bytes() == b"npz bytes"
    assert raw[0]["weights"] == f"sweep_models/{trials[0].key}.npz" and raw[1]["weights"] == ""
    again = ResultsFile(path)
    assert again.finished_keys() == {trials[0].key}  # failed trials run again
    again.add(trials[1], TINY, 2, _outcome(0.5))
    rows = read_results(path)
    assert [r["key"] for r in rows] == [trials[0].key, trials[1].key]
    first = rows[0]
    assert first["kernel_size"] == 3 and first["lr"] == 0.001 and first["seed"] == 0 and first["epochs"] == 2
    assert first["val_accuracy"] == 0.75 and first["param_count"] == 654 and first["seconds"] == 1.235
    assert first["epoch_val_accuracy"] == [0.4, 0.75] and first["image_size"] == "8x8"
    assert not list(tmp_path.glob(".sweep.csv.*"))  # no temporary file left by the atomic writes


def test_a_csv_that_is_not_a_sweep_is_refused(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(
        ValueError, match=r"'.*other.csv' is not a ConvScope sweep results file \(its columns"
    ):
        ResultsFile(other)
    with pytest.raises(ValueError, match=r"must be a \.csv file"):
        ResultsFile(tmp_path / "sweep.txt")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        ResultsFile(tmp_path / "missing" / "sweep.csv")


# ------------------------------------------------------------------------------------------------ progress


def test_progress_line_counts_and_eta():
    p = SweepProgress(total=12, skipped=3, done=4, failed=1, running=2, elapsed=65.0, eta=125.0)
    assert p.remaining == 4
    assert p.line() == "trials 8/12 done, 2 running, 1 failed, 3 resumed, elapsed 1:05, ETA 2:05"
    assert SweepProgress(total=2).line() == "trials 0/2 done, 0 running, 0 failed, elapsed 0:00, ETA --:--"
