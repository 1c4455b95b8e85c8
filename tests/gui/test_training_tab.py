"""The Training tab driving the real engine on a tiny digits subset (pytest-qt, offscreen)."""

from __future__ import annotations

import time
from argparse import Namespace

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from gui.tabs.training import TrainingTab


@pytest.fixture
def tab(qtbot):
    t = TrainingTab()
    qtbot.addWidget(t)
    t.resize(1200, 800)
    t.controls.n_train.setValue(320)
    t.controls.batch_size.setValue(32)
    t.controls.epochs.setValue(1)
    yield t
    t.shutdown()


def run_job(qtbot, tab, fn):
    box = []
    tab.session.run(fn, box.append, lambda m: box.append(RuntimeError(m)))
    qtbot.waitUntil(lambda: bool(box), timeout=30000)
    assert not isinstance(box[0], Exception), box[0]
    return box[0]


def test_training_emits_batches_and_epochs_curves_grow_accuracy_above_chance(qtbot, tab):
    tab.controls.n_train.setValue(640)
    tab.controls.epochs.setValue(2)
    worker_epochs = []
    tab.start("run")
    qtbot.waitUntil(lambda: tab.session.info is not None, timeout=60000)
    tab.session.worker.epochDone.connect(worker_epochs.append)
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=120000) as blocker:
        pass
    assert blocker.args == ["completed"]
    qtbot.wait(2 * 50)  # one redraw tick
    counts = tab.curves.point_counts()
    assert counts["loss"] == 2 * 20 and counts["accuracy"] == 40  # 640 images / 32 = 20 batches per epoch
    assert counts["val_loss"] >= 2
    assert len(worker_epochs) == 2
    assert worker_epochs[-1]["val_accuracy"] > 0.3  # 10 classes: chance is 0.1
    cm = tab.confusion.matrix()
    assert cm is not None and cm.sum() == len(tab.session.data.x_val)
    assert tab.progress.value() == tab.progress.maximum() == 40
    assert tab.filters.count() == 16  # the "small" preset's first layer has 16 filters


def test_stop_halts_within_one_batch(qtbot, tab):
    tab.controls.epochs.setValue(50)
    seen = []
    tab.start("run")
    qtbot.waitUntil(lambda: tab.session.info is not None, timeout=60000)
    tab.session.worker.batchDone.connect(seen.append)
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=60000)
    at_stop = len(seen)
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=30000) as blocker:
        tab.stop()
    assert blocker.args == ["stopped"]
    assert len(seen) <= at_stop + 1
    qtbot.wait(200)
    assert len(seen) <= at_stop + 1
    assert tab.controls.start.isEnabled() and not tab.controls.stop.isEnabled()


def test_reset_restores_identical_initial_weights_and_replays_the_run(qtbot, tab):
    losses = []
    tab.session.worker.batchDone.connect(lambda u: losses.append(u["loss"]))
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=120000):
        tab.start("run")
    first = list(losses)
    initial = [w.copy() for w in tab.session.initial_weights]
    trained = run_job(qtbot, tab, lambda: tab.session.model.get_weights())
    assert any(not np.array_equal(a, b) for a, b in zip(initial, trained, strict=False))
    with qtbot.waitSignal(tab.session.weightsChanged, timeout=30000):
        tab.reset()
    restored = run_job(qtbot, tab, lambda: tab.session.model.get_weights())
    for a, b in zip(initial, restored, strict=False):
        np.testing.assert_array_equal(a, b)
    assert tab.curves.point_counts()["loss"] == 0
    losses.clear()
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=120000):
        tab.start("run")
    np.testing.assert_allclose(losses, first, rtol=1e-5)  # same weights, same seed, same batches


def test_pause_and_single_step(qtbot, tab):
    tab.controls.epochs.setValue(20)
    seen = []
    tab.session.worker.batchDone.connect(seen.append)
    with qtbot.waitSignal(tab.session.worker.batchDone, timeout=60000):
        tab.start("step")
    qtbot.wait(300)
    assert [u["step"] for u in seen] == [1]
    assert tab._state == "paused" and tab.controls.pause.text() == "Resume"
    with qtbot.waitSignal(tab.session.worker.batchDone, timeout=30000):
        tab.controls.step.click()
    qtbot.wait(300)
    assert [u["step"] for u in seen] == [1, 2]
    tab.controls.pause.click()  # resume
    qtbot.waitUntil(lambda: len(seen) >= 5, timeout=30000)
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=30000):
        tab.stop()


def test_event_loop_never_stalls_during_training(qtbot, tab):
    tab.controls.n_train.setValue(640)
    seen = []
    tab.session.worker.batchDone.connect(seen.append)
    tab.start("step")  # compiles the kernels once
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=60000)
    gaps, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(1000.0 * (now - last[0]))
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    t0 = time.perf_counter()
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=120000):
        tab.controls.pause.click()  # resume: the rest of the epoch
    elapsed_ms = 1000.0 * (time.perf_counter() - t0)
    timer.stop()
    assert len(seen) == 20
    # the 10 ms timer kept firing all along (a quarter of its ticks at least: the engine thread shares the two
    # cores with it) ...
    assert len(gaps) >= max(3, 0.25 * elapsed_ms / 10.0), (len(gaps), elapsed_ms)
    assert max(gaps[1:]) < 200  # ... and never waited long for the engine thread


def test_nan_loss_message_suggests_a_lower_learning_rate(qtbot, tab):
    tab.controls.learning_rate.setValue(0.5)
    tab._on_nan({"epoch": 0, "batch": 3, "step": 4, "loss": float("nan")})
    text = tab.status.text()
    assert "batch 4" in text and "0.5" in text and "0.05" in text and "lower" in text


def test_screenshot_mode_trains_n_batches_then_reports(qtbot, tab):
    batches = []
    tab.session.worker.batchDone.connect(batches.append)
    tab.prepare_screenshot(Namespace(train_steps=3))
    assert not tab.screenshot_ready()
    qtbot.waitUntil(tab.screenshot_ready, timeout=120000)
    assert [u["step"] for u in batches] == [1, 2, 3]
    assert tab._finished_reason == "limit"
    assert tab.confusion.matrix() is not None and tab.mistakes.count() > 0


def test_transfer_panel_compares_frozen_base_with_scratch(qtbot, tab):
    panel = tab.transfer
    panel.epochs.setValue(2)
    panel.n_images.setValue(400)
    panel.run()
    qtbot.waitUntil(lambda: not panel.running, timeout=180000)
    assert len(panel.results["transfer"]) == 2 and len(panel.results["scratch"]) == 2
    assert panel.frozen() == {0, 2}
    assert panel.results["transfer"][-1][1] > 0.5  # 5 classes: chance is 0.2
    assert "faster" in panel.info.text()


def test_closing_the_window_during_training_stops_the_worker_cleanly(qtbot):
    from gui.main_window import MainWindow

    window = MainWindow(dialogs=False)
    qtbot.addWidget(window)
    window.show()
    tab = window.select_tab("training")
    tab.controls.n_train.setValue(320)
    tab.controls.epochs.setValue(100)
    seen = []
    window.engine_worker.batchDone.connect(seen.append)
    tab.start("run")
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=120000)
    assert window.engine_worker.state == "running"
    window.close()
    assert not window.engine_worker.isRunning()


def test_screenshot_command_renders_after_n_batches(tmp_path):
    import os
    import subprocess
    import sys

    from PIL import Image

    out = tmp_path / "training.png"
    proc = subprocess.run(
        [sys.executable, "-m", "gui", "--screenshot", str(out), "--tab", "training", "--train-steps", "3"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr
    with Image.open(out) as im:
        assert im.size[0] >= 800 and im.size[1] >= 500
        colors = im.convert("RGB").resize((200, 120)).getcolors(100000)
    assert len(colors) > 50  # curves, filters and digits drawn, not a blank window


def test_switching_to_shapes_rebuilds_the_network_for_six_classes(qtbot, tab):
    with qtbot.waitSignal(tab.session.modelChanged, timeout=60000):
        tab.controls.dataset.setCurrentIndex(1)  # shapes
    assert tab.session.data.class_names[:3] == ["horizontal", "vertical", "diagonal"]
    assert tab.session.info.num_classes == 6 and tab.session.info.rows[-1][2] == (6,)
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=120000) as blocker:
        tab.start("run")
    assert blocker.args == ["completed"]
    assert tab.confusion.matrix().shape == (6, 6)


def test_folder_dataset_with_augmentation_trains(qtbot, tab, tmp_path):
    from PIL import Image

    rng = np.random.default_rng(0)
    for cls, rows in (("top", slice(0, 8)), ("bottom", slice(8, 16))):
        (tmp_path / cls).mkdir()
        for i in range(12):
            a = (rng.random((16, 16)) * 60).astype(np.uint8)
            a[rows] += 150
            Image.fromarray(a).save(tmp_path / cls / f"{i}.png")
    tab._folder = str(tmp_path)
    tab.controls.augment.setChecked(True)
    tab.controls.batch_size.setValue(8)
    with qtbot.waitSignal(tab.session.modelChanged, timeout=60000):
        tab.controls.dataset.setCurrentIndex(2)  # folder (already chosen: no dialog)
    data = tab.session.data
    assert data.class_names == ["bottom", "top"] and data.input_shape == (28, 28, 1)
    assert len(data.x_train) + len(data.x_val) == 24
    panel = tab.show_augment_preview()
    assert tab.bottom.currentWidget() is panel
    qtbot.waitUntil(tab.preview_ready, timeout=30000)
    assert panel.preview_count() == 6  # the image and five variants
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=120000) as blocker:
        tab.start("run")
    assert blocker.args == ["completed"]


def test_changing_the_subset_size_reloads_the_data(qtbot, tab):
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=120000):
        tab.start("run")
    assert len(tab.session.data.x_train) == 320
    tab.controls.n_train.setValue(160)
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=120000):
        tab.start("run")
    assert len(tab.session.data.x_train) == 160


def test_a_nan_loss_in_the_engine_stops_training_with_the_message(qtbot, tab):
    with qtbot.waitSignal(tab.session.dataChanged, timeout=60000):
        tab.load_data()
    qtbot.waitUntil(lambda: tab.session.info is not None, timeout=60000)
    tab.session.data.x_train[:] = np.nan  # poisoned data: the very first loss is NaN
    tab.controls.epochs.setValue(5)
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=60000) as blocker:
        tab.start("run")
    assert blocker.args == ["nan"]
    assert "NaN" in tab.status.text() and "lower" in tab.status.text()
    assert tab.controls.start.isEnabled() and tab._state == "idle"


def test_transfer_from_digits_to_shapes(qtbot, tab):
    from gui.models.transfer import task_data

    a, b = task_data("shapes", 120)
    assert a.num_classes == 10 and b.num_classes == 6 and len(b.x_train) == 120
    panel = tab.transfer
    panel.task.setCurrentIndex(1)
    panel.epochs.setValue(1)
    panel.n_images.setValue(200)
    panel.run()
    qtbot.waitUntil(lambda: not panel.running, timeout=180000)
    assert len(panel.results["transfer"]) == 1 and len(panel.results["scratch"]) == 1
    assert "synthetic shapes" in panel.info.text()


def test_cifar10_batches_train_a_colour_network_and_grey_is_one_click_away(qtbot, tab, tmp_path):
    """CIFAR-10 loads as colour 32 x 32: the network is built for 3 input channels and trains; choosing grey
    reloads the data with 1 channel and rebuilds the network."""
    import pickle

    r = np.random.default_rng(0)
    for name, n in (("data_batch_1", 64), ("test_batch", 32)):
        images = r.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
        raw = {
            b"data": images.transpose(0, 3, 1, 2).reshape(n, 3072),
            b"labels": [int(v) for v in r.integers(0, 10, n)],
        }
        (tmp_path / name).write_bytes(pickle.dumps(raw, protocol=2))
    with qtbot.waitSignal(tab.session.modelChanged, timeout=60000):
        tab.set_folder("cifar10", str(tmp_path))
    c = tab.controls
    assert c.dataset.currentData() == "cifar10" and c.color_mode() == "rgb" and c.image_size() == (32, 32)
    assert tab.session.data.input_shape == (32, 32, 3) and tab.session.info.input_shape == (32, 32, 3)
    assert "32 × 32 × 3" in c.data_info.text()
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=120000) as blocker:
        tab.start("run")
    assert blocker.args == ["completed"]
    assert tab.filters.count() == 16  # the first layer's filters, drawn as RGB tiles
    state = tab.state()
    assert state["dataset"] == "cifar10" and state["cifar10"] == str(tmp_path) and state["color"] == "rgb"
    with qtbot.waitSignal(tab.session.modelChanged, timeout=60000):
        c.color.setCurrentIndex(c.color.findData("grayscale"))  # reloads once the choice settles
    assert tab.session.data.input_shape == (32, 32, 1) and tab.session.info.input_shape == (32, 32, 1)
