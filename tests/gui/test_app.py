"""The app entry point: --screenshot writes a PNG of the asked size, bad options exit 2 in one line, menus
exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication

from gui import app, i18n
from gui.tabs import TABS, load_tab_class, tab_names

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english(qapp):
    """main() installs the language it is given; put English back for the next test."""
    yield
    i18n.install(qapp, "en")


def test_screenshot_writes_a_png_of_the_window_size(qapp, tmp_path):
    out = tmp_path / "shot.png"
    assert app.main(["--screenshot", str(out), "--steps", "5"]) == 0
    with Image.open(out) as im:
        assert im.size == app.DEFAULT_SIZE
        pixels = np.asarray(im.convert("RGB"))
    assert pixels.std() > 10  # a drawn window, not a blank image
    assert not [p for p in tmp_path.iterdir() if p.name != "shot.png"]  # no temporary file left behind


def test_screenshot_small_size_french_with_image_and_filter(qapp, tmp_path):
    img = tmp_path / "in.png"
    Image.fromarray((np.indices((20, 30)).sum(0) % 2 * 255).astype(np.uint8)).save(img)
    flt = tmp_path / "f.csv"
    flt.write_text("0,1,0\n1,-4,1\n0,1,0\n")
    out = tmp_path / "fr.png"
    code = app.main(
        [
            "--screenshot",
            str(out),
            "--size",
            "1024x700",
            "--lang",
            "fr",
            "--image",
            str(img),
            "--filter",
            str(flt),
            "--steps",
            "0",
        ]
    )
    assert code == 0
    with Image.open(out) as im:
        assert im.size == (1024, 700)


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--steps", "-1"], "--steps"),
        (["--steps", "many"], "--steps"),
        (["--tab", "nope"], "--tab"),
        (["--filter", "no_such_preset"], "--filter"),
        (["--image", "/no/such/file.png"], "--image"),
        (["--lang", "de"], "--lang"),
        (["--size", "10x10"], "--size"),
        (["--bogus"], "--bogus"),
        (["--screenshot", "/no/such/folder/x.png"], "--screenshot"),
    ],
)
def test_bad_options_exit_2_with_one_line(capsys, argv, needle):
    assert app.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("convscope: error:")
    assert needle in err


def test_bad_filter_file_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2\n3\n")
    assert app.main(["--filter", str(bad)]) == 2
    assert "bad.txt" in capsys.readouterr().err


def test_tab_list_is_importable_by_name():
    assert tab_names()[0] == "convolution"
    for _name, spec in TABS:
        assert load_tab_class(spec).__name__ == spec.split(":")[1]
    with pytest.raises(ValueError, match=r"package\.module:ClassName"):
        load_tab_class("no_colon")


def test_every_french_string_of_the_catalog_is_translated():
    ts = Path(i18n.catalog_dir(), "convscope_fr.ts").read_text(encoding="utf-8")
    assert 'type="unfinished"' not in ts
    assert i18n.catalogs("fr") and i18n.catalogs("en") == []
    with pytest.raises(ValueError, match="lang must be one of"):
        i18n.install(None, "xx")  # type: ignore[arg-type]


def test_menus_and_shortcuts(qtbot):
    from gui.main_window import MainWindow

    w = MainWindow(dialogs=False)
    qtbot.addWidget(w)
    titles = [a.text() for a in w.menuBar().actions()]
    assert titles == ["&File", "&View", "L&esson", "&Help"]
    file_items = [a.text() for a in w.file_menu.actions() if not a.isSeparator()]
    assert file_items == [
        "Open &image...",
        "Open &filter...",
        "&Save feature map as PNG...",
        "Open lesson state...",
        "Save lesson state...",
        "Open model (.npz)...",
        "Save model (.npz)...",
        "&Quit",
    ]
    assert "Space" in w.shortcuts_text() and "Home" in w.shortcuts_text()
    qtbot.waitUntil(w.kernels_ready, timeout=120_000)
    assert "Engine:" in w.engine_label.text()
    w.close()


def test_python_m_gui_screenshot_subprocess(tmp_path):
    out = tmp_path / "sub.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "gui", "--screenshot", str(out), "--steps", "3", "--size", "800x600"],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    with Image.open(out) as im:
        assert im.size == (800, 600)  # tabs scroll rather than force a larger window


def test_tabs_outside_built_at_start_are_built_when_first_shown(qtbot):
    """The window opens with BUILT_AT_START only; another tab is built when its page is shown or asked for,
    and its label is right (translated) before and after."""
    from gui.main_window import MainWindow
    from gui.tabs import BUILT_AT_START

    w = MainWindow(dialogs=False)
    qtbot.addWidget(w)
    lazy = [name for name in tab_names() if name not in BUILT_AT_START]
    assert lazy, "every tab is built at start: nothing to test"
    assert set(w._tab_by_name) == set(BUILT_AT_START)
    labels = [w.tabs.tabText(i) for i in range(w.tabs.count())]
    assert labels == [name.capitalize() for name in tab_names()]
    qapp = QApplication.instance()
    i18n.install(qapp, "fr")  # the unbuilt Training tab's label is translated all the same
    try:
        qtbot.waitUntil(lambda: w.tabs.tabText(tab_names().index("training")) == "Entraînement", timeout=5000)
    finally:
        i18n.install(qapp, "en")
    qtbot.waitUntil(lambda: w.tabs.tabText(tab_names().index("training")) == "Training", timeout=5000)
    first = lazy[0]
    w.tabs.setCurrentIndex(tab_names().index(first))  # the user clicks the tab
    assert first in w._tab_by_name and w.current_tab() is w._tab_by_name[first]
    tab = w.tab(lazy[-1])  # asked for by code (lesson state, --tab)
    assert tab is not None and w._tab_by_name[lazy[-1]] is tab
    w.close()
