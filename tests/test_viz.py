"""engine.viz: each figure draws the numbers it claims (read back from its artists and checked against the
engine, engine.sliding and hand-worked values), into a new figure or a given Axes, without pyplot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from PIL import Image

import engine
from engine import layers as L
from engine import ops, sliding, viz, zoo

ROOT = Path(__file__).resolve().parent.parent
LINE = np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0]], np.float32)  # the lesson's horizontal line
LINE_FILTER = np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]], np.float32)


def images_of(ax: Axes) -> list[np.ndarray]:
    return [np.ma.filled(np.ma.asarray(im.get_array(), dtype=np.float64), np.nan) for im in ax.get_images()]


def texts_of(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


def tiles_of(grid: np.ndarray, shape: tuple[int, int]) -> list[np.ndarray]:
    """The tiles of a mosaic, row by row: the finite blocks of ``shape`` found scanning from the top left."""
    h, w = shape
    found = []
    finite = np.isfinite(grid)
    r = 0
    while r < grid.shape[0]:
        if not finite[r].any():
            r += 1
            continue
        c = 0
        while c < grid.shape[1]:
            if finite[r, c]:
                found.append(grid[r : r + h, c : c + w])
                c += w
            else:
                c += 1
        r += h
    return found


@pytest.fixture(scope="module")
def small_model():
    return zoo.build("small", (12, 12, 1), 4, seed=0)


def test_show_step_draws_the_lessons_6():
    fig = viz.show_step(LINE, LINE_FILTER, 0, 0)
    assert isinstance(fig, Figure)
    assert fig.get_suptitle() == "Z[0,0] = 0*-1 + 0*-1 + 0*-1 + 1*2 + 1*2 + 1*2 + 0*-1 + 0*-1 + 0*-1 = 6"
    padded, kernel, products, out = (images_of(ax)[0] for ax in fig.axes[:4])
    np.testing.assert_array_equal(padded, LINE)
    np.testing.assert_array_equal(kernel, LINE_FILTER)
    np.testing.assert_array_equal(products, [[0, 0, 0], [2, 2, 2], [0, 0, 0]])
    np.testing.assert_array_equal(out, [[6]])
    assert sorted(texts_of(fig.axes[2])) == sorted(["0"] * 6 + ["2"] * 3)


@pytest.mark.parametrize(
    ("padding", "stride", "flip", "i", "j"),
    [("same", 1, False, 1, 2), ("full", 2, True, 2, 1), ("valid", 1, True, 2, 3), (1, (1, 2), False, 3, 2)],
)
def test_show_step_matches_the_engine(rng, padding, stride, flip, i, j):
    image = rng.random((6, 7)).astype(np.float32)
    kernel = rng.standard_normal((3, 3)).astype(np.float32)
    fig = viz.show_step(image, kernel, i, j, padding=padding, stride=stride, flip=flip, bias=0.5)
    padded, applied, products, out = (images_of(ax)[0] for ax in fig.axes[:4])
    expected_padded, _ = sliding.padded_input(image, (3, 3), stride=stride, padding=padding)
    np.testing.assert_array_equal(padded, expected_padded)
    np.testing.assert_array_equal(applied, kernel[::-1, ::-1] if flip else kernel)
    full = ops.conv2d(image, kernel, np.float32(0.5), stride=stride, padding=padding, flip=flip)  # (OH, OW)
    ow = full.shape[1]
    done = np.arange(full.size).reshape(full.shape) <= i * ow + j
    np.testing.assert_allclose(out[done], full[done], rtol=1e-5, atol=1e-5)
    assert np.isnan(out[~done]).all()  # cells still to come are not drawn
    s = (stride, stride) if isinstance(stride, int) else stride
    window = expected_padded[i * s[0] : i * s[0] + 3, j * s[1] : j * s[1] + 3]
    np.testing.assert_allclose(products, window * applied, rtol=1e-6)
    step = _step_at(image, kernel, i, j, padding, stride, flip)
    assert fig.get_suptitle() == f"Z[{i},{j}] = {sliding.format_sum(step)}"


def _step_at(image, kernel, i, j, padding, stride, flip):
    for w in sliding.windows(image, kernel, stride=stride, padding=padding, flip=flip, bias=0.5):
        if (w.row, w.col) == (i, j):
            return w
    raise AssertionError("no such step")


def test_show_step_into_an_axes_and_its_errors():
    fig = Figure()
    ax = fig.add_subplot()
    assert viz.show_step(LINE, LINE_FILTER, 0, 0, ax=ax) is fig
    assert ax.get_title().endswith("= 6") and len(fig.axes) == 1
    with pytest.raises(ValueError, match=r"i must be an int in \[0, 1\) for a 1x1 output. Received: i=1"):
        viz.show_step(LINE, LINE_FILTER, 1, 0)
    with pytest.raises(ValueError, match="one channel"):
        viz.show_step(np.zeros((4, 4, 3)), LINE_FILTER, 0, 0)
    with pytest.raises(ValueError, match="larger than the padded input"):
        viz.show_step(np.zeros((2, 2)), LINE_FILTER, 0, 0)


def test_show_image_scales(rng):
    fig = viz.show_image(LINE)
    ax = fig.axes[0]
    (shown,) = ax.get_images()
    assert (shown.norm.vmin, shown.norm.vmax) == (0.0, 1.0)  # grey levels of an image in [0, 1]
    assert sorted(texts_of(ax)) == ["0"] * 6 + ["1"] * 3 and ax.get_title() == "3x3"
    assert len(fig.axes) == 2  # and its colour bar
    signed = viz.show_image(np.array([[-2.0, 1.0], [0.0, 0.5]]), colorbar=False)
    (shown,) = signed.axes[0].get_images()
    assert (shown.norm.vmin, shown.norm.vmax) == (-2.0, 2.0) and len(signed.axes) == 1
    white = shown.cmap(shown.norm(0.0))
    assert min(white[:3]) > 0.9  # white at 0; blue below, red above
    low, high = shown.cmap(shown.norm(-2.0)), shown.cmap(shown.norm(2.0))
    assert low[2] > low[0] and high[0] > high[2]
    rgb = viz.show_image((rng.random((5, 4, 3)) * 255).astype(np.uint8))
    assert images_of(rgb.axes[0])[0].shape == (5, 4, 3) and len(rgb.axes) == 1
    with pytest.raises(ValueError, match=r"\(H, W\), \(H, W, 1\), \(H, W, 3\)"):
        viz.show_image(np.zeros((2, 3, 4, 5)))


def test_show_images_grid(rng):
    batch = rng.random((5, 4, 6, 1)).astype(np.float32)
    fig = viz.show_images(batch, titles=list("abcde"), ncols=3)
    grid = images_of(fig.axes[0])[0]
    for tile, image in zip(tiles_of(grid, (4, 6)), batch, strict=True):
        np.testing.assert_array_equal(tile, image[:, :, 0])
    assert texts_of(fig.axes[0]) == list("abcde")
    with pytest.raises(ValueError, match="titles must name each image"):
        viz.show_images(batch, titles=["a"])


def test_show_filters_draws_the_kernels(small_model):
    fig = viz.show_filters(small_model)
    ax = fig.axes[0]
    kernel = small_model.layers[0].params["kernel"]  # (3, 3, 1, 16)
    tiles = tiles_of(images_of(ax)[0], (3, 3))
    assert len(tiles) == 16
    for f, tile in enumerate(tiles):
        np.testing.assert_allclose(tile, kernel[:, :, 0, f], rtol=1e-6)
    (shown,) = ax.get_images()
    m = float(np.abs(kernel).max())
    assert shown.norm.vmin == pytest.approx(-m) and shown.norm.vmax == pytest.approx(m)
    assert ax.get_title() == "conv2d: 16 filters 3x3x1" and "filter 15" in texts_of(ax)
    second = viz.show_filters(small_model, "conv2d_1", max_filters=5, max_channels=2).axes[0]
    tiles = tiles_of(images_of(second)[0], (3, 3))
    k2 = small_model.layers[2].params["kernel"]  # (3, 3, 16, 32): rows are input channels
    assert len(tiles) == 10
    np.testing.assert_allclose(tiles[7], k2[:, :, 1, 2], rtol=1e-6)
    assert "first 5" in second.get_title() and "(of 16)" in second.get_ylabel()


def test_show_filters_errors(small_model):
    with pytest.raises(ValueError, match="needs a Conv2D layer; 'dense' is Dense"):
        viz.show_filters(small_model, "dense")
    with pytest.raises(ValueError, match=r"Received: 'nope'. Layers: \['conv2d'"):
        viz.show_filters(small_model, "nope")
    dense_only = engine.Sequential([L.Dense(2, input_shape=(3,))])
    with pytest.raises(ValueError, match="has no Conv2D layer"):
        viz.show_filters(dense_only)


def test_show_feature_maps_every_layer(small_model, rng):
    x = rng.random((12, 12, 1)).astype(np.float32)
    fig = viz.show_feature_maps(small_model, x, max_channels=4, class_names=["a", "b", "c", "d"])
    acts = small_model.activations(x)
    axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert len(axes) == 1 + len(acts)
    np.testing.assert_array_equal(images_of(axes[0])[0], x[:, :, 0])
    conv = acts[0][1][0]  # (12, 12, 16)
    tiles = tiles_of(images_of(axes[1])[0], (12, 12))
    assert len(tiles) == 4
    for ch, tile in enumerate(tiles):
        np.testing.assert_allclose(tile, conv[:, :, ch], rtol=1e-6)
    assert "channels 0..3 of 16" in axes[1].get_title(loc="left")
    flat = acts[4][1][0]  # (288,) shown in rows of 64, the end padded with NaN
    strip = images_of(axes[5])[0].reshape(-1)
    np.testing.assert_allclose(strip[: flat.size], flat, rtol=1e-6)
    assert np.isnan(strip[flat.size :]).all()
    logits = acts[5][1][0]
    bars = [p.get_height() for p in axes[6].patches]
    np.testing.assert_allclose(bars, logits, rtol=1e-6)
    assert axes[6].get_title(loc="left").endswith(f"(logits): predicted {'abcd'[int(np.argmax(logits))]}")
    assert [t.get_text() for t in axes[6].get_xticklabels()] == ["a", "b", "c", "d"]


def test_show_feature_maps_one_layer_into_an_axes(small_model, rng):
    x = rng.random((1, 12, 12, 1)).astype(np.float32)
    fig = Figure()
    ax = fig.add_subplot()
    assert viz.show_feature_maps(small_model, x, layer=1, ax=ax, max_channels=2) is fig
    pooled = small_model.activations(x)[1][1][0]
    tiles = tiles_of(images_of(ax)[0], (6, 6))
    np.testing.assert_allclose(tiles[1], pooled[:, :, 1], rtol=1e-6)
    with pytest.raises(ValueError, match="ax can only be given with one layer"):
        viz.show_feature_maps(small_model, x, ax=ax)


def test_nested_layers_are_named_as_activations_names_them(rng):
    base = engine.Sequential([L.Conv2D(2, 3, input_shape=(6, 6, 1))], name="base", seed=0)
    model = engine.Sequential([base, L.Flatten(), L.Dense(2)], seed=0)
    fig = viz.show_filters(model, "base/conv2d")
    assert fig.axes[0].get_title().startswith("base/conv2d: 2 filters")
    fig = viz.show_feature_maps(model, rng.random((6, 6, 1)))
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert any(t.startswith("base/conv2d (Conv2D)") for t in titles)


def test_plot_history_draws_each_series():
    history = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.2, 0.7, 0.6], "accuracy": [0.5, 0.7, 0.9]}
    fig = viz.plot_history(history, title="demo")
    loss_ax, acc_ax = fig.axes
    lines = {line.get_label(): line for line in loss_ax.get_lines()}
    np.testing.assert_array_equal(lines["training"].get_ydata(), [1.0, 0.5, 0.25])
    np.testing.assert_array_equal(lines["validation"].get_xdata(), [1, 2, 3])
    assert [line.get_label() for line in acc_ax.get_lines()] == ["training"]
    assert acc_ax.get_ylim() == (0.0, 1.02) and fig.get_suptitle() == "demo"

    class Stopped:
        def __init__(self) -> None:
            self.history = {"loss": [0.7]}
            self.stopped_reason = "loss is NaN at epoch 2"

    one = viz.plot_history(Stopped())
    assert len(one.axes) == 1 and "stopped: loss is NaN" in one.get_suptitle()
    ax = Figure().add_subplot()
    assert viz.plot_history({"accuracy": [0.1]}, ax=ax) is ax.figure
    with pytest.raises(ValueError, match=r"ax must hold 2 Axes, one for each of \['loss', 'accuracy'\]"):
        viz.plot_history(history, ax=ax)
    with pytest.raises(ValueError, match="no loss or accuracy"):
        viz.plot_history({"lr": [0.1]})


def test_confusion_matrix_by_hand():
    cm = viz.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    with pytest.raises(ValueError, match="same length"):
        viz.confusion_matrix([0], [0, 1], 2)
    with pytest.raises(ValueError, match=r"labels must be in \[0, 2\)"):
        viz.confusion_matrix([0, 2], [0, 1], 2)


def test_plot_confusion_counts_and_shares():
    scores = np.eye(3)[[0, 1, 1, 2, 0, 2]] + 0.1  # argmax gives the predicted labels
    fig = viz.plot_confusion([0, 0, 1, 2, 2, 2], scores, ["a", "b", "c"], title="t")
    ax = fig.axes[0]
    np.testing.assert_allclose(images_of(ax)[0], [[0.5, 0.5, 0], [0, 1, 0], [1 / 3, 0, 2 / 3]])
    assert texts_of(ax) == ["1", "1", "0", "0", "1", "0", "1", "0", "2"]
    assert ax.get_title() == "t\naccuracy 0.667 (4/6)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    default_names = viz.plot_confusion([0, 1], [1, 1]).axes[0]
    assert [t.get_text() for t in default_names.get_xticklabels()] == ["0", "1"]


class FixedModel:
    """Stands in for a model: predict_proba returns the probabilities it was given."""

    def __init__(self, probs):
        self.probs = np.asarray(probs, np.float32)

    def predict_proba(self, x):
        return self.probs[: len(x)]


def test_show_mistakes_picks_the_most_confident(rng):
    probs = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7], [0.05, 0.95]]
    y = [0, 0, 1, 1, 0]  # wrong: 1 (0.8 for class 1), 2 (0.6 for class 0), 4 (0.95 for class 1)
    x = rng.random((5, 4, 4, 1)).astype(np.float32)
    fig = viz.show_mistakes(FixedModel(probs), x, y, class_names=["cat", "dog"], n=2)
    ax = fig.axes[0]
    assert texts_of(ax) == ["true cat\npredicted dog (95%)", "true cat\npredicted dog (80%)"]
    tiles = tiles_of(images_of(ax)[0], (4, 4))
    np.testing.assert_array_equal(tiles[0], x[4, :, :, 0])
    np.testing.assert_array_equal(tiles[1], x[1, :, :, 0])
    assert ax.get_title() == "the 2 most confident of 3 mistakes (5 images)"
    none = viz.show_mistakes(FixedModel(probs), x[:1], [0])
    assert texts_of(none.axes[0]) == ["no mistakes among 1 images"]
    with pytest.raises(ValueError, match="same length"):
        viz.show_mistakes(FixedModel(probs), x, [0])


def test_save_figure_and_notebook_png(tmp_path):
    fig = viz.show_image(LINE)
    path = viz.save_figure(fig, tmp_path / "line.png")
    with Image.open(path) as im:
        assert im.format == "PNG" and im.size[0] > 200
    assert viz.save_figure(fig, tmp_path / "line.svg").read_text().lstrip().startswith("<?xml")
    assert fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match=r"unknown figure format '.xyz'; use one of .*\.png"):
        viz.save_figure(fig, tmp_path / "x.xyz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["line.png", "line.svg"]


def test_viz_never_imports_pyplot_nor_resolves_the_backend(tmp_path):
    """With a backend that does not exist, anything that resolved matplotlib's backend would fail."""
    code = (
        "import sys, numpy as np\n"
        "from engine import viz, zoo\n"
        "m = zoo.build('small', (8, 8, 1), 3, seed=0)\n"
        "x = np.random.default_rng(0).random((4, 8, 8, 1)).astype(np.float32)\n"
        "figs = [viz.show_step(x[0, :, :, 0], np.ones((3, 3)), 0, 0), viz.show_filters(m),\n"
        "        viz.show_feature_maps(m, x[0]), viz.plot_history({'loss': [1, 0.5]}),\n"
        "        viz.plot_confusion([0, 1], [1, 1]), viz.show_mistakes(m, x, [0, 1, 2, 0])]\n"
        f"viz.save_figure(figs[2], {str(tmp_path / 'maps.png')!r})\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
        "import matplotlib\n"
        "assert dict.__getitem__(matplotlib.rcParams, 'backend') == 'module://no_such_backend'\n"
        "print('ok')\n"
    )
    env = {**os.environ, "MPLBACKEND": "module://no_such_backend", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
    assert (tmp_path / "maps.png").stat().st_size > 10_000


def test_sequential_repr_html_escapes_names():
    model = engine.Sequential(
        [L.Conv2D(2, 3, input_shape=(5, 5, 1), name="a<b>&c"), L.Flatten(), L.Dense(3)], name="m<1>"
    )
    html = model._repr_html_()
    assert "a&lt;b&gt;&amp;c" in html and "<b>&" not in html.replace("<b>Model", "")
    assert "m&lt;1&gt;" in html and "<code>(None, 3, 3, 2)</code>" in html
    assert html.count("<tr>") == 4  # the header and one row per layer
    assert f"Total params: {model.count_params():,}" in html
    assert "<td style='text-align:right'>20</td>" in html  # 3*3*1*2 + 2


def test_subplots_lays_drawings_side_by_side():
    fig, axes = viz.subplots(1, 2, figsize=(6, 3))
    assert isinstance(fig, viz.VizFigure) and len(axes) == 2
    assert tuple(fig.get_size_inches()) == (6.0, 3.0)
    viz.show_image(LINE, ax=axes[0], colorbar=False)
    viz.plot_history({"loss": [0.9]}, ax=axes[1])
    np.testing.assert_array_equal(images_of(axes[0])[0], LINE)
    assert axes[1].get_xlim() == (0.5, 1.5)  # one epoch sits in the middle, at 1
    assert fig._repr_png_()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match=r"ncols must be an int >= 1. Received: ncols=0"):
        viz.subplots(1, 0)
