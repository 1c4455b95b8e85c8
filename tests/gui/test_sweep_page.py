"""The Training tab's Sweep page (pytest-qt, offscreen): the space it builds from its controls, a tiny real
sweep on an embedded two-worker Dask cluster filling the table and the plot as trials finish, the re-run that
skips them, Stop, a double-click that opens a trial's network in the Network tab, and scheduler addresses that
are wrong or answer nothing, said in words."""

from __future__ import annotations

import csv
import socket
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer

from engine.sweep_space import plan
from gui import i18n
from gui.models.sweep_setup import data_spec
from gui.widgets.sweep_page import SweepPage

pytestmark = pytest.mark.gui

#: a one-block network of a few thousand weights, two filter sizes: two trials of one epoch on 50 shapes
TINY = {"conv_layers": "1", "filters": "4", "dense_units": "8", "kernel_size": "3, 5"}
LIMIT_MS = 240_000  # a sweep that takes longer fails the test (it takes about 10 s)


def set_tiny(page: SweepPage, results: Path, workers: int = 2) -> None:
    page.params.set_values(TINY, {})
    s = page.settings
    s.epochs.setValue(1)
    s.images.setValue(50)
    s.workers.setValue(workers)
    s.results.setText(str(results))
    page.preview()


def wait_idle(qtbot, page: SweepPage) -> None:
    qtbot.waitUntil(lambda: page.run_state == "idle", timeout=LIMIT_MS)


def double_click(qtbot, page: SweepPage, view_row: int) -> None:
    """What a real double-click sends: a click, then the double-click (Qt's views need the press first)."""
    pos = page.table.visualRect(page.table.model().index(view_row, 1)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return {row["key"]: row for row in csv.DictReader(f)}


@pytest.fixture
def page(qtbot, tmp_path):
    p = SweepPage(data_dir=tmp_path)
    qtbot.addWidget(p)
    p.resize(1400, 900)
    p.show()
    yield p
    p.shutdown()


# ------------------------------------------------------------------------------------------------ space
def test_the_controls_make_the_space_the_table_and_the_panels(qtbot, page, tmp_path):
    qtbot.keyClicks(page.params.edits["lr"], "0.001, 0.01")
    page.params.edits["kernel_size"].setText("3, 5, 7")
    page.params.checks["optimizer"]["sgd"].setChecked(True)
    page.params.checks["pooling"]["avg"].setChecked(True)
    page.params.checks["pooling"]["max"].setChecked(False)
    page.settings.seeds.setText("0, 1")
    qtbot.waitUntil(lambda: page.model.rowCount() == 24, timeout=5000)  # the plan follows the edits
    setup = page.read_setup()
    assert setup.space == {
        "lr": [0.001, 0.01],
        "optimizer": ["adam", "sgd"],
        "kernel_size": [3, 5, 7],
        "pooling": ["avg"],
    }
    assert setup.seeds == [0, 1] and setup.address is None and setup.results == page.default_results
    # what the engine plans for this space is what the table lists, in order
    expected = plan(setup.space, data_spec("shapes", 600), 2, [0, 1])
    assert [s.trial.key for s in page.model.states] == [t.key for t in expected]
    assert all(s.trial.params["pooling"] == "avg" for s in page.model.states)
    assert page.model.names == ["lr", "optimizer", "kernel_size", "seed"]  # a column for what varies
    assert list(page.plots.plots) == ["lr", "optimizer", "kernel_size", "seed"]  # and a panel
    assert page.plots.axes["kernel_size"].ticks == [(0.0, "3"), (1.0, "5"), (2.0, "7")]
    assert "24" in page.summary.text() and page.run_btn.isEnabled()

    page.settings.random_radio.setChecked(True)
    page.settings.n_random.setValue(5)
    page.params.edits["lr"].setText("0.0001..0.1")
    page.preview()
    assert page.model.rowCount() == 5 * 2
    assert all(1e-4 <= s.trial.params["lr"] <= 0.1 for s in page.model.states)


def test_a_wrong_value_is_outlined_and_run_is_refused(qtbot, page):
    page.params.edits["kernel_size"].setText("3, big")
    page.preview()
    assert not page.run_btn.isEnabled()
    assert "Filter size" in page.summary.text() and "big" in page.summary.text()
    assert "#c00000" in page.params.edits["kernel_size"].styleSheet()
    assert page.params.error.isVisibleTo(page) and "whole numbers" in page.params.error.text()
    assert page.run() is False and "big" in page.messages[-1]
    page.params.edits["kernel_size"].setText("3, 5")
    page.preview()
    assert page.run_btn.isEnabled() and page.params.edits["kernel_size"].styleSheet() == ""


# ---------------------------------------------------------------------------------------------- running
def test_a_tiny_sweep_fills_the_table_and_the_plot_then_a_rerun_skips_it(qtbot, page, tmp_path):
    results = tmp_path / "new folder" / "tiny.csv"  # a folder that does not exist yet is made
    set_tiny(page, results)
    assert page.model.rowCount() == 2 and not results.exists()
    finished_seen, gaps, last = [], [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    page.plots.set_rows = _spy(page.plots.set_rows, finished_seen)
    assert page.run() is True
    assert page.run_state == "running" and page.stop_btn.isEnabled() and not page.controls_box.isEnabled()
    wait_idle(qtbot, page)
    timer.stop()
    assert max(gaps[1:]) < 0.5, max(gaps)  # the event loop kept turning while the cluster worked

    rows = read_csv(results)  # the file the sweep wrote is the reference for what the page shows
    assert len(rows) == 2 and all(r["status"] == "ok" for r in rows.values())
    assert [s.status for s in page.model.states] == ["done", "done"]
    assert page.model.counts()["done"] == 2 and page.progress.value() == page.progress.maximum() == 2
    shown_acc = {}
    for view_row in range(2):
        key = page.table.key_at(view_row)
        column = page.model.columns().index("val_accuracy")
        shown_acc[key] = page.table.model().index(view_row, column).data()
        assert page.model.state(key).worker == rows[key]["worker"]
    assert shown_acc == {k: f"{100 * float(r['val_accuracy']):.1f}%" for k, r in rows.items()}
    assert len({r["worker"] for r in rows.values()}) >= 1
    # the plot: one dot per trial over its filter size, at its accuracy; the best one ringed
    assert list(page.plots.plots) == ["kernel_size"]
    drawn = page.plots.drawn("kernel_size")
    by_key = {key: (x, y) for x, y, key in drawn["dots"]}
    for key, row in rows.items():
        x, y = by_key[key]
        assert page.plots.axes["kernel_size"].ticks[round(x)][1] == row["kernel_size"]
        assert y == pytest.approx(float(row["val_accuracy"]))
    best = max(rows.values(), key=lambda r: float(r["val_accuracy"]))
    assert drawn["best"][1] == pytest.approx(float(best["val_accuracy"]))
    assert len(finished_seen) >= 3  # the plan, then once per finished trial: it grew as trials ended
    assert "Sweep finished" in page.messages[-1]
    for row in rows.values():  # each trial's trained network is beside the results
        assert (results.parent / row["weights"]).is_file()

    # run the same sweep again: both trials are in the file, nothing trains
    page.preview()
    assert [s.status for s in page.model.states] == ["earlier", "earlier"]
    assert "All are in the results file" in page.summary.text()
    assert page.run() is True
    wait_idle(qtbot, page)
    assert any("nothing to train" in m for m in page.messages)
    assert read_csv(results) == rows


def _spy(fn, calls):
    def wrapped(rows):
        calls.append(len(rows))
        return fn(rows)

    return wrapped


def test_stop_keeps_finished_trials_and_the_next_run_trains_only_the_others(qtbot, page, tmp_path):
    results = tmp_path / "stop.csv"
    set_tiny(page, results, workers=1)
    page.params.edits["kernel_size"].setText("3, 5, 7, 9")
    page.settings.epochs.setValue(3)  # long enough that the trials after the first are still to come
    page.settings.images.setValue(400)
    page.preview()
    assert page.run()
    clicked = []

    def stop_at_the_first_result(event):  # a click as soon as the table shows one result
        if event.kind == "finished" and not clicked:
            clicked.append(page.run_state)
            page.stop_btn.click()

    page.runner.sweepEvent.connect(stop_at_the_first_result)
    qtbot.waitUntil(lambda: bool(clicked), timeout=LIMIT_MS)
    assert clicked == ["running"] and page.run_state == "stopping" and not page.stop_btn.isEnabled()
    wait_idle(qtbot, page)
    done = set(read_csv(results))
    assert 1 <= len(done) < 4 and "Stopped" in page.messages[-1]
    statuses = {s.trial.key: s.status for s in page.model.states}
    assert {k for k, v in statuses.items() if v == "done"} == done
    assert all(v == "not_run" for k, v in statuses.items() if k not in done)
    page.preview()
    assert "skipped: " + str(len(done)) in page.summary.text()


def test_a_trial_that_fails_is_shown_failed_with_its_message_and_the_sweep_goes_on(qtbot, page, tmp_path):
    results = tmp_path / "deep.csv"
    set_tiny(page, results)
    page.params.set_values({"conv_layers": "1, 6", "kernel_size": "3"}, {})  # 6 blocks: 28 px halved 6 times
    page.preview()
    assert page.run()
    wait_idle(qtbot, page)
    rows = read_csv(results)
    (bad,) = [r for r in rows.values() if r["status"] == "failed"]
    assert bad["conv_layers"] == "6" and "too deep" in bad["error"]
    statuses = {s.trial.params["conv_layers"]: s.status for s in page.model.states}
    assert statuses == {1: "done", 6: "failed"}
    assert page.model.counts()["failed"] == 1 and "failed: 1" in page.counts.text()
    assert bad["error"] in page.messages[-1] and "Failed trials: 1" in page.messages[-1]
    drawn = page.plots.drawn("conv_layers")
    assert [key for _x, key in drawn["failed"]] == [bad["key"]] and len(drawn["dots"]) == 1
    view_row = page.table.view_row_of(bad["key"])
    page.table.selectRow(view_row)
    assert page.messages[-1] == f"Trial {page.model.state(bad['key']).number} failed: {bad['error']}"
    column = page.model.columns().index("status")
    assert page.table.model().index(view_row, column).data(Qt.ItemDataRole.ToolTipRole) == bad["error"]


def test_a_typed_scheduler_address_runs_the_trials_on_that_cluster_and_leaves_it_running(
    qtbot, page, tmp_path
):
    from distributed import Client
    from sweep_helpers import dask_command, free_port, start, stop

    from engine.sweep_trial import THREAD_ENV

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = dask_command()
    log = open(tmp_path / "cluster.log", "wb")  # noqa: SIM115 (closed in finally, after the processes)
    processes = []
    try:
        processes.append(
            start([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], log=log)
        )
        processes.append(
            start(
                [*dask, "worker", address, "--nthreads", "1", "--name", "gui-w1", "--no-dashboard",
                 "--local-directory", str(tmp_path / "w1")],
                env=THREAD_ENV,
                log=log,
            )
        )  # fmt: skip
        with Client(address, timeout=120) as client:
            client.wait_for_workers(1, timeout=120)
            (worker,) = client.scheduler_info()["workers"]
        results = tmp_path / "remote.csv"
        set_tiny(page, results)
        page.settings.remote_radio.setChecked(True)
        page.settings.address.setText(f"127.0.0.1:{port}")  # written in full by the page
        page.preview()
        assert page.read_setup().address == address
        assert page.run()
        wait_idle(qtbot, page)
        rows = read_csv(results)
        assert len(rows) == 2 and {r["status"] for r in rows.values()} == {"ok"}
        assert {r["worker"] for r in rows.values()} == {worker}  # trained by that cluster's worker
        assert any(f"Running on {address} (worker threads: 1)." in m for m in page.messages)
        assert "Sweep finished" in page.messages[-1]
        assert all(p.poll() is None for p in processes)  # the cluster is left as it was found
    finally:
        stop(processes)
        log.close()


def test_closing_the_app_mid_sweep_stops_it_and_closes_the_embedded_cluster(qtbot, page, tmp_path):
    import multiprocessing

    set_tiny(page, tmp_path / "closed.csv")
    assert page.run()
    qtbot.waitUntil(lambda: page.model.counts()["running"] >= 1, timeout=LIMIT_MS)
    runner = page.runner
    assert len(multiprocessing.active_children()) == 2  # the embedded cluster's two worker processes
    page.shutdown()  # what the window does on close: cancel, then wait for the cluster to close
    assert runner is not None and runner.isFinished()
    qtbot.waitUntil(lambda: not multiprocessing.active_children(), timeout=30000)  # no worker left behind


# ------------------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize("typed", ["http://10.0.0.1:8786", "tcp://host:99999", "tcp://:8786"])
def test_a_malformed_scheduler_address_is_said_and_run_refused(qtbot, page, typed):
    page.settings.remote_radio.setChecked(True)
    page.settings.address.setText(typed)
    page.preview()
    assert not page.run_btn.isEnabled()
    assert "tcp://HOST:PORT" in page.summary.text() and typed in page.summary.text()
    assert page.run() is False and page.run_state == "idle"


def test_a_scheduler_that_does_not_answer_is_said_without_a_traceback(qtbot, page, tmp_path):
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    set_tiny(page, tmp_path / "remote.csv")
    page.settings.remote_radio.setChecked(True)
    page.settings.address.setText(f"127.0.0.1:{port}")
    page.preview()
    assert page.run_btn.isEnabled() and not page.settings.workers.isEnabled()
    assert page.run()
    wait_idle(qtbot, page)
    message = page.messages[-1]
    assert f"No Dask scheduler answers at tcp://127.0.0.1:{port}" in message
    assert "refused" in message.lower() and "Traceback" not in message
    assert "#c00000" in page.status.text()
    assert page.run_btn.isEnabled() and [s.status for s in page.model.states] == ["not_run", "not_run"]
    assert not (tmp_path / "remote.csv").exists()


# ------------------------------------------------------------------------------------------ open a trial
def test_double_clicking_a_trial_opens_its_network_in_the_network_tab(qtbot, tmp_path):
    import engine
    from engine.sweep import run as run_sweep
    from gui.main_window import MainWindow

    results = tmp_path / "open.csv"
    space = {k: v.replace(" ", "") for k, v in TINY.items()}
    rows = run_sweep(space, data_spec("shapes", 50), 1, results=results, workers=2)  # the sweep, headless
    assert [r["status"] for r in rows] == ["ok", "ok"]

    window = MainWindow(dialogs=False)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    try:
        tab = window.select_tab("training")
        page = tab.show_sweep()
        set_tiny(page, results)
        assert [s.status for s in page.model.states] == ["earlier", "earlier"]  # read back from the file
        target = rows[1]
        double_click(qtbot, page, page.table.view_row_of(target["key"]))
        qtbot.waitUntil(lambda: window.current_tab_name() == "network", timeout=60000)
        session = tab.session
        qtbot.waitUntil(lambda: session.info is not None and not session.building, timeout=60000)
        assert session.info.total_params == target["param_count"]
        assert window.tab("network").current_view() == "overview"
        # the session holds the trained weights of that trial's file (read here, independently)
        expected = engine.load_model(str(results.parent / target["weights"])).get_weights()
        box: list = []
        session.run(lambda: session.model.get_weights(), box.append, box.append)
        qtbot.waitUntil(lambda: bool(box), timeout=30000)
        assert len(box[0]) == len(expected)
        for got, want in zip(box[0], expected, strict=True):
            np.testing.assert_array_equal(got, want)
        assert session.trained and session.data.num_classes == 6
        assert "Filter size 5" in window.statusBar().currentMessage()
    finally:
        window.close()


def test_a_trial_not_finished_has_nothing_to_open(qtbot, page, tmp_path):
    set_tiny(page, tmp_path / "none.csv")
    seen = []
    page.openRequested.connect(lambda path, row: seen.append(path))
    double_click(qtbot, page, 0)
    assert seen == [] and "Only a finished trial" in page.messages[-1]


def test_every_text_of_the_page_follows_the_language(qtbot, qapp, page, tmp_path):
    set_tiny(page, tmp_path / "fr.csv")
    i18n.install(qapp, "fr")
    qapp.processEvents()  # the LanguageChange events are posted
    try:
        assert page.run_btn.text() == "Lancer le balayage" and page.stop_btn.text() == "Arrêter"
        assert page.params.title() == "Hyperparamètres à comparer"
        assert page.params.labels["kernel_size"].text() == "Taille des filtres"
        assert page.settings.local_radio.text() == "Cet ordinateur\u00a0:"
        column = page.model.columns().index("val_accuracy")
        assert page.model.headerData(column, Qt.Orientation.Horizontal) == "Exactitude (val.)"
        assert page.model.data(page.model.index(0, 1)) == "à lancer"
        assert page.summary.text().startswith(
            "Essais\u00a0: 2 (combinaisons\u00a0: 2 × graines\u00a0: 1)"
        )  # a mixin's context
        assert page.plots.plots["kernel_size"].titleLabel.text == "Taille des filtres"
        page.params.edits["lr"].setText("vite")
        page.preview()
        summary = page.summary.text()
        assert "«\u00a0vite\u00a0» n’est pas valide" in summary and "des nombres > 0" in summary
    finally:
        i18n.install(qapp, "en")
        qapp.processEvents()
    assert page.run_btn.text() == "Run the sweep" and "“vite” is not valid" in page.summary.text()


def test_the_training_tab_names_its_two_pages_in_both_languages(qtbot, qapp):
    from gui.tabs.training import TrainingTab

    tab = TrainingTab()
    qtbot.addWidget(tab)
    try:
        assert [tab.modes.tabText(i) for i in range(2)] == ["Train one network", "Sweep: compare many"]
        i18n.install(qapp, "fr")
        qapp.processEvents()
        assert [tab.modes.tabText(i) for i in range(2)] == [
            "Entraîner un réseau",
            "Balayage\u00a0: en comparer plusieurs",
        ]
    finally:
        i18n.install(qapp, "en")
        tab.shutdown()


def all_panels_in_view(page: SweepPage) -> bool:
    view = page.plots.viewport().rect()
    rects = [page.plots.mapFromScene(p.sceneBoundingRect()).boundingRect() for p in page.plots.plots.values()]
    return all(view.contains(r.adjusted(1, 1, -1, -1)) for r in rects)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_page_fits_a_1024_by_700_window_in_each_language(qtbot, qapp, lang):
    from gui.main_window import MainWindow

    window = MainWindow(dialogs=False)
    qtbot.addWidget(window)
    window.show()
    try:
        page = window.select_tab("training").show_sweep()
        page.params.set_values({"lr": "0.001, 0.01", "kernel_size": "3, 5"}, {})
        page.settings.seeds.setText("0, 1")
        page.preview()
        assert len(page.plots.plots) == 3
        i18n.install(qapp, lang)
        window.resize(1024, 700)
        qtbot.wait(300)
        holder = window._holders["training"]
        # the tab takes the height the window has (no scroll bar, nothing below the fold) ...
        assert holder.widget().height() <= holder.viewport().height()
        # ... and no setting is cut on the right
        assert page.controls_box.width() <= page.scroll_area.viewport().width()
        assert page.controls_box.minimumSizeHint().width() <= page.scroll_area.viewport().width()
        assert page.plots.height() >= 180 and page.table.height() >= 70
        assert all_panels_in_view(page)
        window.lesson_dock.show()  # the lesson panel beside it takes a third of the width
        qtbot.wait(300)
        assert holder.widget().width() <= holder.viewport().width()  # still no scroll bar, nothing cut
        assert holder.widget().height() <= holder.viewport().height()
        assert page.controls_box.width() <= page.scroll_area.viewport().width()
        assert all_panels_in_view(page)  # the panels took fewer columns
    finally:
        i18n.install(qapp, "en")
        window.close()


def test_the_settings_survive_the_lesson_file_and_a_wrong_entry_changes_nothing(qtbot, page, tmp_path):
    page.params.set_values({"lr": "0.001, 0.01", "kernel_size": "3, 5"}, {"pooling": ["max", "avg"]})
    s = page.settings
    s.random_radio.setChecked(True)
    s.n_random.setValue(3)
    s.seeds.setText("0, 2")
    s.epochs.setValue(4)
    s.remote_radio.setChecked(True)
    s.address.setText("tcp://10.1.2.3:8786")
    s.results.setText(str(tmp_path / "kept.csv"))
    page.preview()
    state = page.state()
    before = page.read_setup()

    other = SweepPage(data_dir=tmp_path / "other")
    qtbot.addWidget(other)
    other.restore_state(state)
    after = other.read_setup()
    assert after == before and after.space["pooling"] == ["max", "avg"] and after.n_random == 3
    assert after.address == "tcp://10.1.2.3:8786" and after.seeds == [0, 2] and after.epochs == 4

    for wrong, named in (
        ({**state, "fields": {"momentum": "0.9"}}, "momentum"),
        ({**state, "dataset": "imagenet"}, "imagenet"),
        ({**state, "epochs": "many"}, "epochs"),
    ):
        with pytest.raises(ValueError, match=named):
            other.restore_state(wrong)
        assert other.read_setup() == before  # nothing changed
