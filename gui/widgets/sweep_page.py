"""The Training tab's Sweep page: train many networks, one per combination of hyper-parameters, and compare.

Left: the values to compare (:class:`SweepParamsBox`), grid or random points, seeds, epochs, the data,
where the trials run and the results file (:class:`SweepSettings`), then Run / Stop. Right: the progress
(done / running / failed, ETA), the table of trials (:class:`TrialTable`) and the plot of validation accuracy
against each hyper-parameter (:class:`SweepPlots`).

While the learner edits, the page plans the sweep (no training) and shows its trials, those already in the
results file included (a re-run skips them). Run makes an :class:`engine.sweep.Sweep` and runs it in a
:class:`gui.sweep_thread.SweepThread`; its events update the views in this thread. Double-clicking a finished
trial emits ``openRequested(path, row)``: the Training tab opens that model in the Network tab.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.sweep_axes import panel_params
from engine.sweep_results import ResultsFile, typed_row
from engine.sweep_space import PARAMS, plan
from gui.models.sweep_setup import (
    SetupError,
    SweepSetup,
    data_spec,
    default_results_path,
    parse_seeds,
    scheduler_address,
    space_from_fields,
)
from gui.sweep_thread import SweepThread
from gui.widgets.sweep_page_state import SweepPageState
from gui.widgets.sweep_page_texts import SweepTexts
from gui.widgets.sweep_params import SweepParamsBox
from gui.widgets.sweep_plot import SweepPlots
from gui.widgets.sweep_settings import SweepSettings
from gui.widgets.sweep_table import TrialTable, TrialTableModel

__all__ = ["SweepPage"]

PREVIEW_DELAY_MS = 300  # the plan is redrawn this long after the last edit
LEFT_WIDTH = (330, 430)  # the settings column's width, at least and at most (more when a language needs it)
SHUTDOWN_WAIT_MS = 60_000  # closing the app waits this long at most for the cluster to close


class SweepPage(SweepTexts, SweepPageState, QWidget):
    """See the module docstring.

    Parameters
    ----------
    data_dir : the per-user folder the default results file goes in (``sweeps/sweep.csv``); default: Qt's
        application data folder.

    Signals
    -------
    openRequested(str, object): a finished trial was double-clicked: its model file and its result row.
    stateChanged(str): ``"idle"``, ``"running"`` or ``"stopping"``.
    """

    openRequested = Signal(str, object)
    stateChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None, data_dir: str | Path | None = None) -> None:
        super().__init__(parent)
        if data_dir is None:
            data_dir = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        self.default_results = default_results_path(data_dir)
        self.run_state = "idle"
        self.runner: SweepThread | None = None
        self.sweep: Any = None
        self.setup: SweepSetup | None = None
        self.problem = ""  # why the sweep cannot run as set (translated), empty when it can
        self.rows_file = self.default_results  # the results file the table's rows come from
        self.messages: list[str] = []  # every status shown (tests read them)
        self._progress: Any = None
        self._connected: dict[str, Any] | None = None
        self._failure: tuple[str, str, dict] | None = None

        self.params = SweepParamsBox()
        self.settings = SweepSettings()
        self.settings.results.setText(str(self.default_results))
        left_inner = self.controls_box = QWidget()
        lay = QVBoxLayout(left_inner)
        lay.setContentsMargins(0, 0, 4, 0)
        lay.addWidget(self.params)
        lay.addWidget(self.settings)
        lay.addStretch(1)
        scroll = self.scroll_area = QScrollArea()
        scroll.setWidget(left_inner)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.run_btn, self.stop_btn = QPushButton(), QPushButton()
        for b in (self.run_btn, self.stop_btn):
            b.setMinimumHeight(34)
        self.run_btn.setStyleSheet("font-weight: bold;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_btn, 2)
        buttons.addWidget(self.stop_btn, 1)
        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addWidget(scroll, 1)
        left_lay.addWidget(self.summary)
        left_lay.addLayout(buttons)
        self.left = left

        self.progress = QProgressBar()
        self.progress.setMinimumHeight(24)
        self.progress.setFormat("%v / %m")
        self.counts = QLabel()
        self.counts.setWordWrap(True)  # beside the lesson panel at 1024 px the line is wider than the table
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setOpenExternalLinks(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.model = TrialTableModel(self)
        self.table = TrialTable(self.model)
        self.plots = SweepPlots()
        top = QWidget()
        top_lay = QVBoxLayout(top)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.addWidget(self.progress)
        top_lay.addWidget(self.counts)
        top_lay.addWidget(self.status)
        top_lay.addWidget(self.table, 1)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(top)
        self.split.addWidget(self.plots)
        self.split.setStretchFactor(0, 5)
        self.split.setStretchFactor(1, 4)
        outer = QHBoxLayout(self)
        outer.addWidget(left)
        outer.addWidget(self.split, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.preview)
        self.params.changed.connect(self._timer.start)
        self.settings.changed.connect(self._timer.start)
        self.settings.browse.clicked.connect(self._choose_folder)
        self.settings.choose_results.clicked.connect(self._choose_results)
        self.run_btn.clicked.connect(self.run)
        self.stop_btn.clicked.connect(self.stop)
        self.table.openRequested.connect(self.open_trial)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.plots.trialClicked.connect(self.table.select_key)
        self.retranslate()
        self._set_state("idle")
        self.preview()

    # ------------------------------------------------------------------------------------------- planning
    def read_setup(self) -> SweepSetup:
        """The sweep the controls describe.

        Raises
        ------
        SetupError
            The first problem (every wrong parameter is also outlined in the box).
        """
        s = self.settings
        space, errors = space_from_fields(self.params.fields(), self.params.picks(), s.random())
        self.params.mark({e.values["param"]: self.setup_message(e) for e in errors})
        if errors:
            raise errors[0]
        seeds = parse_seeds(s.seeds.text())
        data = data_spec(
            s.kind(), s.images.value(), s.folder(), (s.side.value(), s.side.value()), s.color.currentData()
        )
        address = scheduler_address(s.address.text()) if s.remote() else None
        text = s.results.text().strip()
        results = Path(text).expanduser() if text else self.default_results
        if results.suffix.lower() != ".csv":
            raise SetupError("results", f"the results file must end in .csv. Received: {text!r}", text=text)
        setup = SweepSetup(
            space, data, s.epochs.value(), seeds, s.n_random.value() if s.random() else None,
            s.draw_seed.value(), results, address, None if s.remote() else s.workers.value(),
        )  # fmt: skip
        setup.check_size()
        return setup

    def preview(self) -> None:
        """Plan the sweep as set (no training) and show its trials, those already in the results file too."""
        self._timer.stop()
        if self.run_state != "idle":
            return
        try:
            setup = self.read_setup()
            trials = plan(
                setup.space, setup.data, setup.epochs, setup.seeds, setup.n_random, setup.random_seed
            )
            earlier = self._earlier_rows(setup.results, {t.key for t in trials})
        except (SetupError, ValueError, OSError) as exc:
            self.setup, self.problem = None, self.setup_message(exc)
            self.summary.setText(f"<span style='color:#c00000'>{self.problem}</span>")
            self.run_btn.setEnabled(False)
            return
        self.setup, self.problem = setup, ""
        self.rows_file = setup.results
        self._show_plan(setup, trials)
        self.model.set_earlier(earlier)
        self.plots.set_rows(self.model.rows())
        done = sum(1 for r in earlier if r["status"] == "ok")
        self.summary.setText(self.plan_summary(setup, len(trials), done))
        self.run_btn.setEnabled(True)
        self._show_counts()

    def _earlier_rows(self, results: Path, keys: set[str]) -> list[dict[str, Any]]:
        if not results.is_file():
            return []
        return [typed_row(r) for r in ResultsFile(results).rows if r["key"] in keys]

    def _show_plan(self, setup: SweepSetup, trials: list[Any]) -> None:
        points = [{**t.params, "seed": t.seed} for t in trials]
        names = [n for n in [*PARAMS, "seed"] if len({p[n] for p in points}) > 1]
        plotted = names or panel_params(points, list(setup.space))
        labels = {n: self.params.label_of(n) for n in [*PARAMS, "seed"]}
        self.model.set_plan(trials, names, labels, setup.epochs)
        self.plots.set_plan(trials, plotted, labels, self.tr("validation accuracy"))
        self.progress.setMaximum(max(len(trials), 1))
        self.progress.setValue(0)

    # ------------------------------------------------------------------------------------------- running
    def run(self) -> bool:
        """Start the sweep as set; returns False (and says why) when it cannot start."""
        if self.run_state != "idle":
            return False
        self.preview()
        setup = self.setup
        if setup is None:
            self._say(self.problem, error=True)
            return False
        from engine.sweep import Sweep

        try:
            setup.results.parent.mkdir(parents=True, exist_ok=True)  # a new folder typed in is made
            sweep = Sweep(
                setup.space, setup.data, setup.epochs, results=setup.results, seeds=setup.seeds,
                n_random=setup.n_random, random_seed=setup.random_seed, client=setup.address,
                workers=setup.workers,
            )  # fmt: skip
        except (ValueError, OSError) as exc:
            problem = exc
            self._say(lambda: self.setup_message(problem), error=True)
            return False
        self.sweep = sweep
        self._progress, self._connected, self._failure = None, None, None
        self.model.queue()
        self.runner = SweepThread(sweep, setup.address, self)
        self.runner.sweepEvent.connect(self._on_event)
        self.runner.failed.connect(self._on_failed)
        self.runner.finished.connect(self._on_thread_finished)
        self._set_state("running")
        skipped, todo = sweep.skipped, len(sweep.todo)
        self._say(lambda: self.start_message(setup, skipped, todo))
        self.runner.start()
        return True

    def stop(self) -> None:
        """Stop the sweep: finished trials stay in the results file; running ones are abandoned."""
        if self.runner is None or self.run_state != "running":
            return
        self.runner.cancel()
        self._set_state("stopping")
        embedded = self.setup is not None and self.setup.address is None
        self._say(lambda: self.stopping_message(embedded))

    def _on_event(self, event: Any) -> None:
        kind = event.kind
        if kind == "connected":
            self._connected = dict(event.info)
            setup, info = self.setup, dict(event.info)
            self._say(lambda: self.connected_message(setup, info))
        elif kind == "started" and event.trial is not None:
            self.model.started(event.trial.key, str(event.info.get("worker", "")))
        elif kind == "epoch" and event.trial is not None:
            self.model.epoch(event.trial.key, event.info)
        elif kind == "finished" and event.row is not None:
            self.model.finished(event.row)
            self.plots.set_rows(self.model.rows())
        self._progress = event.progress
        self._show_counts()

    def _on_failed(self, code: str, message: str, values: dict) -> None:
        self._failure = (code, message, values)

    def _on_thread_finished(self) -> None:
        thread, self.runner = self.runner, None
        self.model.stopped()
        self._show_counts()
        if self._failure is not None:
            failure = self._failure
            self._say(lambda: self.failure_message(*failure), error=True)
        else:
            progress, rows = self._progress, self.model.rows()
            cancelled = thread is not None and thread.cancelled
            self._say(lambda: self.end_message(progress, rows, cancelled))
        self._set_state("idle")
        if thread is not None:
            thread.deleteLater()

    def _set_state(self, state: str) -> None:
        self.run_state = state
        idle = state == "idle"
        self.controls_box.setEnabled(idle)
        self.run_btn.setEnabled(idle and not self.problem)
        self.stop_btn.setEnabled(state == "running")
        self.stop_btn.setText(self.tr("Stopping...") if state == "stopping" else self.tr("Stop"))
        self.stateChanged.emit(state)

    def _show_counts(self) -> None:
        counts = self.model.counts()
        p = self._progress
        finished = counts["done"] + counts["earlier"] + counts["failed"]
        self.progress.setMaximum(max(len(self.model.states), 1))
        self.progress.setValue(finished)
        self.counts.setText(self.counts_text(counts, p))

    def _say(self, text: str | Callable[[], str], error: bool = False) -> None:
        """Show a status message; given as a function, it is written again in a new language."""
        self._said = (text, error)
        shown = text() if callable(text) else text
        self.messages.append(shown)
        self.status.setText(f"<span style='color:#c00000'>{shown}</span>" if error else shown)

    # ------------------------------------------------------------------------------------------- models
    def open_trial(self, key: str) -> bool:
        """Ask for the model of trial ``key`` to be opened (``openRequested``); False, with a message, when
        it has none (not finished, failed)."""
        state = self.model.state(key)
        row = None if state is None else state.row
        if state is None or row is None or state.status not in ("done", "earlier") or not row.get("weights"):
            self._say(lambda: self.tr("Only a finished trial has a trained network to open."), error=True)
            return False
        self.openRequested.emit(str(self.rows_file.parent / row["weights"]), row)
        return True

    def _selected(self, current: Any, _previous: Any = None) -> None:
        """A failed trial selected: its message in the status line (also the row's tooltip)."""
        if not current.isValid():
            return
        state = self.model.state(self.table.key_at(current.row()))
        if state is not None and state.status == "failed" and state.row is not None:
            number, error = state.number, str(state.row.get("error") or "")
            self._say(lambda: self.trial_failed_message(number, error), error=True)

    def params_varied(self) -> list[str]:
        """The hyper-parameters that take several values in this sweep (its table's columns)."""
        return [n for n in self.model.names if n != "seed"]

    # ------------------------------------------------------------------------------------------- files
    def _choose_folder(self) -> None:
        kind = self.settings.kind()
        title = (
            self.tr("Folder with the CIFAR-10 python batches (data_batch_1 ... test_batch)")
            if kind == "cifar10"
            else self.tr("Folder with one sub-folder per class")
        )
        path = QFileDialog.getExistingDirectory(self, title)
        if path:
            self.settings.set_folder(kind, path)

    def _choose_results(self) -> None:
        current = self.settings.results.text().strip() or str(self.default_results)
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Results file of the sweep (an existing one is resumed)"),
            current,
            self.tr("Sweep results (*.csv)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.settings.results.setText(path if path.lower().endswith(".csv") else f"{path}.csv")

    # ------------------------------------------------------------------------------------------- lifecycle
    def shutdown(self) -> None:
        """Stop a running sweep and wait (at most :data:`SHUTDOWN_WAIT_MS`) for its cluster to close."""
        self._timer.stop()
        thread = self.runner
        if thread is not None and thread.isRunning():
            thread.cancel()
            thread.wait(SHUTDOWN_WAIT_MS)

    def hasHeightForWidth(self) -> bool:
        """False: the word-wrapped labels inside never make the page ask for more height than its minimum
        (a box layout's height for a width is its items' preferred heights, and the window's scroll area
        would make the whole tab that tall at 700 px)."""
        return False

    def _fit_left(self) -> None:
        """The settings column as wide as its widest row in this language (never clipped), scroll bar
        included."""
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        need = self.controls_box.minimumSizeHint().width() + bar + 2 * self.scroll_area.frameWidth() + 2
        self.left.setMinimumWidth(max(LEFT_WIDTH[0], need))
        self.left.setMaximumWidth(max(LEFT_WIDTH[1], need))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.params.retranslate()
        self.settings.retranslate()
        self.run_btn.setText(self.tr("Run the sweep"))
        self.run_btn.setToolTip(self.tr("Train every trial listed on the right, several at once"))
        self.stop_btn.setText(self.tr("Stopping...") if self.run_state == "stopping" else self.tr("Stop"))
        self.stop_btn.setToolTip(
            self.tr("Stop: finished trials stay in the results file, the others run next time")
        )
        labels = {n: self.params.label_of(n) for n in [*PARAMS, "seed"]}
        self.model.set_labels(labels)
        self.plots.retranslate_labels(labels, self.tr("validation accuracy"))
        self.table.setToolTip(self.tr("Click a column to sort; double-click a finished trial to open it"))
        self._fit_left()
        QTimer.singleShot(0, self._fit_left)  # again once the new texts have resized the rows
        if self.run_state == "idle":
            self.preview()
        self._show_counts()
        said = getattr(self, "_said", None)
        if said is None:
            self._say(lambda: self.tr("Choose the values to compare, then Run the sweep."))
        elif callable(said[0]):
            self._say(*said)
