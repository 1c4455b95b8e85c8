"""Window-level behaviour (pytest-qt, offscreen): the toolbar follows the tab, images go to the tab shown, the
lesson state keeps the whole session (with and without the weights), the cuda fallback, and the app's lesson
options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from gui import app, i18n
from gui.main_window import MainWindow
from gui.models import lesson
from gui.models.augmentation import LESSON_SETTINGS
from gui.models.data import fit_image
from gui.samples import load_image_file

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english(qapp):
    yield
    i18n.install(qapp, "en")


@pytest.fixture
def win(qtbot):
    w = MainWindow(dialogs=False)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(w.kernels_ready, timeout=120000)
    yield w
    w.close()


def job(qtbot, session, fn):
    box: list = []
    session.run(fn, box.append, lambda m: box.append(RuntimeError(m)))
    qtbot.waitUntil(lambda: bool(box), timeout=60000)
    assert not isinstance(box[0], Exception), box[0]
    return box[0]


# ------------------------------------------------------------------------------------------- toolbar, images
def test_the_toolbar_shows_the_current_tabs_actions(win):
    assert win.toolbar_texts() == [
        "Open &image...",
        "Open &filter...",
        "&Save feature map as PNG...",
        "&Lesson panel",
    ]
    win.select_tab("network")
    assert win.toolbar_texts() == [
        "Open &image...",
        "Open model (.npz)...",
        "Save model (.npz)...",
        "&Lesson panel",
    ]
    win.select_tab("training")
    assert win.toolbar_texts() == ["&Lesson panel"]
    win.tabs.setCurrentIndex(0)  # the learner clicks the Convolution tab
    assert "Open &filter..." in win.toolbar_texts()


def drop(win, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    win.dropEvent(event)


def test_an_image_dropped_on_the_network_tab_feeds_the_network_not_the_lab(win, qtbot, tmp_path):
    photo = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (40, 30, 3), dtype=np.uint8)).save(photo)
    conv = win.tab("convolution")
    lab_before = conv.lab.source.copy()
    net = win.select_tab("network")
    qtbot.waitUntil(lambda: net._maps_ready, timeout=60000)
    drop(win, photo)
    expected = fit_image(load_image_file(photo), (28, 28, 1))  # the network takes 28 x 28 grey
    np.testing.assert_allclose(net._image, expected)
    assert "photo.png" in net.image_info.text()
    np.testing.assert_array_equal(conv.lab.source, lab_before)  # the convolution lab did not move
    assert win.current_tab_name() == "network"
    qtbot.waitUntil(lambda: net._maps_ready, timeout=60000)
    assert "prediction" in net.image_info.text()
    win.tabs.setCurrentIndex(0)
    drop(win, photo)  # on the Convolution tab the lab steps through it
    assert conv.lab.source.shape == (40, 30, 3)


# ------------------------------------------------------------------------------------------- lesson state
def prepare_session(qtbot, win):
    """A session with something set everywhere: a preset filter, a colour-free shapes run, the lesson's
    augmentation, a trained model."""
    conv = win.tab("convolution")
    conv.editor.set_preset("sobel_x")
    conv.controls.set_padding("same")
    t = win.tab("training")
    c = t.controls
    c.n_train.setValue(240)
    c.epochs.setValue(2)
    c.batch_size.setValue(16)
    c.seed.setValue(3)
    c.learning_rate.setValue(0.005)
    c.augment.setChecked(True)
    t.augment.set_settings(LESSON_SETTINGS)
    t.show_page("augmentation")
    with qtbot.waitSignal(t.session.modelChanged, timeout=60000):
        c.dataset.setCurrentIndex(c.dataset.findData("shapes"))
    s = t.session
    assert s.info.num_classes == 6
    initial = [w.copy() for w in s.initial_weights]
    data, model = s.data, s.model
    job(qtbot, s, lambda: [model.train_on_batch(data.x_train[:16], data.y_train[:16]) for _ in range(3)])
    trained = job(qtbot, s, model.get_weights)
    win.navigator.set_current("augmentation")
    return initial, trained


def scramble(qtbot, win):
    """Change everything the lesson file holds."""
    conv = win.tab("convolution")
    conv.editor.set_preset("laplacian")
    conv.controls.set_padding("valid")
    t = win.tab("training")
    t.controls.epochs.setValue(7)
    t.augment.set_settings({})
    t.show_page("live")
    with qtbot.waitSignal(t.session.modelChanged, timeout=60000):
        t.controls.dataset.setCurrentIndex(t.controls.dataset.findData("digits"))
    win.navigator.set_current("convolution")
    win.select_tab("convolution")


@pytest.mark.parametrize("weights", [True, False])
def test_the_lesson_state_keeps_the_whole_session(win, qtbot, tmp_path, weights):
    initial, trained = prepare_session(qtbot, win)
    win.select_tab("training")
    states = {name: tab.state() for name, tab in win._tab_by_name.items() if hasattr(tab, "state")}
    assert {"convolution", "training"} <= set(states)
    path = tmp_path / "lesson.json"
    with qtbot.waitSignal(win.stateSaved, timeout=60000):
        assert win.save_state(str(path), weights=weights)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["section"] == "augmentation" and saved["tab"] == "training"
    assert saved["session"]["input_shape"] == [28, 28, 1] and saved["session"]["num_classes"] == 6
    assert (tmp_path / "lesson.weights.npz").exists() is weights
    assert ("weights" in saved) is weights

    scramble(qtbot, win)
    s = win.tab("training").session
    assert s.info.num_classes == 10
    assert win.open_state(str(path))
    qtbot.waitUntil(
        lambda: s.info.num_classes == 6 and not s.building and s.data.num_classes == 6, timeout=60000
    )
    for name, state in states.items():
        assert win.tab(name).state() == state, name
    conv = win.tab("convolution")
    assert conv.editor.preset_name() == "sobel_x"
    assert conv.editor.preset.currentText() == "Sobel x (vertical edges)"  # a restored preset shows its name
    assert win.navigator.current_id() == "augmentation" and win.current_tab_name() == "training"
    model = s.model
    now = job(qtbot, s, model.get_weights)
    for a, b in zip(now, trained if weights else initial, strict=True):
        np.testing.assert_array_equal(a, b)


def test_bad_lesson_files_are_refused_with_a_reason(win, tmp_path):
    future = tmp_path / "future.json"
    future.write_text('{"convscope_lesson": 9, "tabs": {}}')
    assert not win.open_state(str(future))
    assert "convscope_lesson must be a version in 1..2" in win.last_error
    lost = tmp_path / "lost.json"
    lost.write_text('{"convscope_lesson": 2, "tabs": {}, "weights": "gone.weights.npz"}')
    assert not win.open_state(str(lost))
    assert "gone.weights.npz is missing" in win.last_error
    old = tmp_path / "old.json"
    old.write_text('{"convscope_lesson": 1, "tabs": {"convolution": {"padding": "full"}}}')
    assert win.open_state(str(old))  # version 1 files still open
    assert win.tab("convolution").controls.settings().padding == "full"


# ------------------------------------------------------------------------------------------- cuda fallback
FALLBACK_PROBE = """
import sys, time
t0 = time.monotonic()
from PySide6.QtWidgets import QApplication
from gui.main_window import MainWindow
import engine
app = QApplication([])
w = MainWindow(dialogs=False)
w.show()
while not w.kernels_ready() and time.monotonic() - t0 < 150:
    app.processEvents()
    time.sleep(0.01)
print(round(time.monotonic() - t0, 2))
print(engine.get_backend())
print(w.statusBar().currentMessage())
print(w.engine_label.text())
w.close()
"""


def test_cuda_without_a_gpu_starts_on_cpu_at_once_and_says_why(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    env.update(CONVSCOPE_BACKEND="cuda", QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    if Path("/dev/nvidiactl").exists():
        pytest.skip("this machine has an NVIDIA driver: cuda does not fall back here")
    proc = subprocess.run(
        [sys.executable, "-c", FALLBACK_PROBE],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    seconds, backend, status, label = proc.stdout.splitlines()[:4]
    assert backend == "cpu"
    assert "The cuda backend was asked for, but no NVIDIA driver is installed" in status
    assert "running on the CPU instead" in status
    assert label == "Engine: cpu (cuda unavailable)"
    assert float(seconds) < 60  # it used to wait three minutes, then abort
    start = time.monotonic()
    shot = subprocess.run(
        [sys.executable, "-m", "gui", "--screenshot", str(tmp_path / "s.png"), "--size", "800x600"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )
    assert shot.returncode == 0, shot.stderr
    assert time.monotonic() - start < 90 and (tmp_path / "s.png").stat().st_size > 0


# ------------------------------------------------------------------------------------------- app options
LIST_PROBE = """
import sys
from gui.launcher import main
code = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"))
print("QT:" + ",".join(loaded))
sys.exit(code)
"""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_lessons_lists_ids_and_titles_without_qt(tmp_path, lang):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", LIST_PROBE, "--lessons", "--lang", lang],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    *lines, qt = proc.stdout.splitlines()
    assert qt == "QT:"  # no Qt module was loaded
    assert [ln.split()[0] for ln in lines] == list(lesson.SECTION_IDS)
    assert [ln.split(None, 1)[1] for ln in lines] == [s.title(lang) for s in lesson.SECTIONS]


def test_a_bad_lesson_id_is_one_line_listing_the_valid_ones(capsys):
    assert app.main(["--lesson", "hierarchy"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(
        "convscope: error: --lesson must be one of convolution channels relu layers pooling"
    )
    assert "Received: 'hierarchy'" in err
    assert app.main(["--lesson", "padding", "--tab", "training"]) == 2
    assert "contradicts" in capsys.readouterr().err


def test_screenshot_of_a_lesson_section(qapp, tmp_path, capsys):
    out = tmp_path / "training.png"
    assert app.main(["--screenshot", str(out), "--lesson", "training", "--size", "1024x700"]) == 0
    assert "note:" not in capsys.readouterr().err  # the Training tab has this view
    with Image.open(out) as im:
        assert im.size == (1024, 700)
        assert np.asarray(im.convert("RGB")).std() > 10
