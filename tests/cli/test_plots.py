"""engine.cli.plots: headless Pillow figures (curves, confusion matrix, feature-map grid)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from engine.cli import plots


def test_confusion_matrix_counts_by_hand():
    cm = plots.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    with pytest.raises(ValueError, match="same length"):
        plots.confusion_matrix([0], [0, 1], 2)
    with pytest.raises(ValueError, match=r"\[0, 2\)"):
        plots.confusion_matrix([0, 2], [0, 1], 2)


def test_render_confusion_shades_by_share_of_the_true_class():
    img = plots.render_confusion(np.array([[9, 1], [0, 10]]), ["a", "b"])
    assert img.mode == "RGB"
    a = np.asarray(img).astype(int)
    # find the two diagonal cells by their green: both full rows are mostly correct, so dark green exists
    green = (a[..., 1] > a[..., 0] + 40) & (a[..., 1] < 150)
    assert green.sum() > 200
    with pytest.raises(ValueError, match="K = len"):
        plots.render_confusion(np.zeros((2, 2)), ["only one"])


def test_curves_png(tmp_path):
    history = {
        "loss": [1.5, 0.9, 0.4],
        "accuracy": [0.3, 0.7, 0.9],
        "val_loss": [1.2, 0.8, 0.5],
        "val_accuracy": [0.5, 0.75, 0.88],
    }
    path = plots.save_curves(tmp_path / "c.png", history, title="demo")
    with Image.open(path) as im:
        assert im.size == (860, 330)
        a = np.asarray(im.convert("RGB")).astype(int)
    blue = (np.abs(a - np.array(plots.TRAIN)).sum(axis=2) < 30).sum()
    orange = (np.abs(a - np.array(plots.VAL)).sum(axis=2) < 30).sum()
    assert blue > 100 and orange > 100  # both series are drawn
    with pytest.raises(ValueError, match="no loss/accuracy"):
        plots.render_curves({"lr": [0.1]})
    one_epoch = plots.render_curves({"loss": [0.7]})
    assert one_epoch.size[0] == 460  # only the loss panel


def test_feature_maps_grid_layout(rng):
    acts = [
        ("conv", rng.random((1, 6, 6, 3))),
        ("pool", rng.random((1, 3, 3, 3))),
        ("dense", rng.normal(size=(1, 5))),
    ]
    img = plots.render_feature_maps(acts, image=rng.random((6, 6)), max_channels=2, tile=30)
    assert img.width >= 12 + 2 * 30 + 6 and img.height > 4 * 18
    with pytest.raises(ValueError, match="nothing to draw"):
        plots.render_feature_maps([("scalar", np.zeros(()))])


def test_save_rejects_unknown_extension(tmp_path):
    with pytest.raises(ValueError, match="extension"):
        plots.save_curves(tmp_path / "c.xyz", {"loss": [1.0]})
