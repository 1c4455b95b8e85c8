"""``save_image`` with values a colour map cannot place (issue 12 item 10): +inf and -inf take the ends of
the map, NaN is transparent (or refused where the format has no transparency), and ``vmin > vmax`` is
refused instead of drawing everything black."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from engine import io


def _read(path):
    with Image.open(path) as im:
        return im.mode, np.asarray(im)


def test_infinities_take_the_ends_of_the_map_and_nan_is_transparent(tmp_path):
    a = np.array([[0.0, 0.5], [np.inf, -np.inf], [np.nan, 1.0]])
    mode, px = _read(io.save_image(tmp_path / "o.png", a))
    assert mode == "LA"
    grey, alpha = px[..., 0], px[..., 1]
    assert grey[1, 0] == 255 and grey[1, 1] == 0  # +inf white, -inf black: no longer alike
    assert grey[0, 0] == 0 and grey[0, 1] == 128 and grey[2, 1] == 255  # the finite values as before
    assert alpha.tolist() == [[255, 255], [255, 255], [0, 255]]


def test_an_array_without_nan_keeps_its_one_channel(tmp_path):
    mode, px = _read(io.save_image(tmp_path / "o.png", np.array([[0.0, np.inf]])))
    assert mode == "L" and px.tolist() == [[0, 255]]


def test_nan_in_a_colour_map_and_in_rgb(tmp_path):
    a = np.array([[np.nan, 0.0, 1.0]])
    mode, px = _read(io.save_image(tmp_path / "v.png", a, cmap="hot"))
    assert mode == "RGBA" and px[0, :, 3].tolist() == [0, 255, 255]
    rgb = np.zeros((1, 2, 3))
    rgb[0, 1, 2] = np.nan
    mode, px = _read(io.save_image(tmp_path / "rgb.png", rgb))
    assert mode == "RGBA" and px[0, :, 3].tolist() == [255, 0]


def test_nan_is_refused_where_the_format_has_no_transparency(tmp_path):
    with pytest.raises(ValueError, match=r"o\.jpg.*1 NaN value\(s\).*JPEG.*\.png"):
        io.save_image(tmp_path / "o.jpg", np.array([[np.nan, 0.0]]))
    assert list(tmp_path.iterdir()) == []


def test_vmin_above_vmax_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"vmin must not be above vmax.*Received: vmin=2, vmax=1"):
        io.save_image(tmp_path / "o.png", np.zeros((2, 2)), vmin=2, vmax=1)
    assert list(tmp_path.iterdir()) == []
    # equal bounds (a constant feature map saved by the GUI) still draw
    _, px = _read(io.save_image(tmp_path / "c.png", np.ones((2, 2)), vmin=1.0, vmax=1.0))
    assert px.shape == (2, 2)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"vmin": np.nan}, ValueError), ({"vmax": np.inf}, ValueError), ({"vmin": "0"}, TypeError)],
)
def test_vmin_and_vmax_must_be_finite_numbers(tmp_path, kwargs, error):
    name = next(iter(kwargs))
    with pytest.raises(error, match=rf"{name} must be a .*Received: {name}="):
        io.save_image(tmp_path / "o.png", np.zeros((2, 2)), **kwargs)
