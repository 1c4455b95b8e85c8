"""``convscope --screenshot OUT --tab network --view NAME``: a small network is trained first, the view is
drawn; ``--view`` is checked like the other options."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from gui import app, i18n

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english(qapp):
    yield
    i18n.install(qapp, "en")


def test_screenshot_of_a_view_trains_first_and_draws_it(qapp, tmp_path):
    out = tmp_path / "inv.png"
    code = app.main(
        ["--screenshot", str(out), "--tab", "network", "--view", "invariance", "--size", "1024x700"]
    )
    assert code == 0
    with Image.open(out) as im:
        assert im.size == (1024, 700)
        assert np.asarray(im.convert("RGB")).std() > 10


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--view", "nope"], "--view"),
        (["--view", "overview"], "--view needs --tab network"),
        (["--tab", "training", "--view", "flatten"], "--view needs --tab network"),
    ],
)
def test_bad_view_options_exit_2_with_one_line(capsys, argv, needle):
    assert app.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("convscope: error:") and needle in err
