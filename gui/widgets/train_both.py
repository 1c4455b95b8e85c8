"""**Train both**: test the lesson's "conv + max-pool can be replaced by a conv with a larger stride, without
losing accuracy" instead of taking it on faith.

Two small networks that differ only there (:func:`gui.models.compare.build_pair`) train on the shipped digits
with the same seeds, batches and epochs, in the engine thread: the widget submits a series of short jobs
(:meth:`gui.models.compare.PoolStrideRace.run`), shows the progress between them and can stop at any time.
Then it puts accuracy, parameters and time side by side and says what the measurement shows
(:func:`gui.models.compare.race_verdict`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import i18n
from gui.models.compare import (
    ARCHITECTURES,
    PoolStrideRace,
    RaceProgress,
    RaceSettings,
    RaceVerdict,
    SeedResult,
    race_verdict,
)

__all__ = ["TrainBoth"]

#: batches (both networks counted) per engine job: a fraction of a second, so that Cancel answers at once
CHUNK_BATCHES = 24

Submit = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[str], None]], Any]


def _pct(x: float) -> str:
    text = f"{x:.1f} %"
    return text.replace(".", ",") if i18n.current_language() == "fr" else text


class TrainBoth(QGroupBox):
    """Settings (epochs, seeds), Train both / Cancel, progress, the results table and the verdict.

    Signals
    -------
    finished() : a run ended (completed or cancelled); :attr:`results` holds the seeds done.
    """

    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._submit: Submit | None = None
        self._race: PoolStrideRace | None = None
        self._last_race: PoolStrideRace | None = None
        self._geometry = (2, 2)  # (pool size, stride) of the networks
        self.results: list[SeedResult] = []
        #: training digits used (None: all 4,000; tests use fewer)
        self.n_train: int | None = None
        self._results_geometry: tuple[int, int, int] | None = None  # (pool size, stride, epochs) of results
        self._error = ""
        self._cancelled = False
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 10)
        self.epochs.setValue(2)
        self.seeds = QSpinBox()
        self.seeds.setRange(1, 5)
        self.seeds.setValue(3)
        self.button = QPushButton()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table = QTableWidget(4, 2)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        form = QFormLayout()
        self._epochs_label, self._seeds_label = QLabel(), QLabel()
        form.addRow(self._epochs_label, self.epochs)
        form.addRow(self._seeds_label, self.seeds)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.button)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.table)
        right.addWidget(self.verdict)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.addLayout(left, 1)
        lay.addLayout(right, 4)
        self.button.clicked.connect(self._on_button)
        self.retranslate()

    # ------------------------------------------------------------------------------------------- setup
    def set_submit(self, submit: Submit | None) -> None:
        """The engine worker's ``submit(fn, on_done, on_error)`` (None: no engine thread, button off)."""
        self._submit = submit
        self._update_button()

    def set_geometry(self, pool_size: int, stride: int) -> None:
        """The pooling window and stride the networks use (the lab's pooling settings)."""
        if (pool_size, stride) != self._geometry:
            self._geometry = (int(pool_size), int(stride))
            self.retranslate()

    def settings(self) -> RaceSettings:
        size, stride = self._geometry
        return RaceSettings(
            pool_size=size,
            stride=stride,
            epochs=self.epochs.value(),
            seeds=tuple(range(self.seeds.value())),
            n_train=self.n_train,
        )

    def is_running(self) -> bool:
        return self._race is not None

    @property
    def race(self) -> PoolStrideRace | None:
        """The run in progress, or the last one (its trained models stay available for inspection)."""
        return self._race or self._last_race

    # ------------------------------------------------------------------------------------------ running
    def start(self) -> bool:
        """Start a run in the engine thread; returns False when there is no engine thread or one runs."""
        if self._submit is None or self._race is not None:
            return False
        self._race = PoolStrideRace(self.settings())
        self._last_race = self._race
        self.results, self._error, self._cancelled = [], "", False
        self._results_geometry = (*self._geometry, self.epochs.value())
        self.progress.setValue(0)
        self._next_chunk()
        self.retranslate()
        return True

    def cancel(self) -> None:
        """Stop the run after the batch in progress."""
        if self._race is not None:
            self._race.cancel()
            self._cancelled = True
            self.status.setText(self.tr("Stopping..."))

    def _on_button(self) -> None:
        self.cancel() if self._race is not None else self.start()

    def _next_chunk(self) -> None:
        race, submit = self._race, self._submit
        if race is None or submit is None:
            return
        submit(lambda: race.run(CHUNK_BATCHES), lambda p: self._on_progress(race, p), self._on_error)

    def _on_progress(self, race: PoolStrideRace, progress: RaceProgress) -> None:
        if race is not self._race:
            return
        self.progress.setValue(round(1000 * progress.fraction))
        self.results = list(progress.results)
        if progress.finished or progress.cancelled:
            self._race = None
            self.retranslate()
            self.finished.emit()
            return
        self.status.setText(
            self.tr("Seed {0} of {1}: training both networks...").format(
                (progress.seed or 0) + 1, len(race.settings.seeds)
            )
        )
        self._next_chunk()

    def _on_error(self, message: str) -> None:
        self._race = None
        self._error = message
        self.retranslate()
        self.finished.emit()

    # ------------------------------------------------------------------------------------------- state
    def state(self) -> dict[str, Any]:
        return {
            "epochs": self.epochs.value(),
            "seeds": self.seeds.value(),
            "results": [r.to_json() for r in self.results],
            "results_geometry": list(self._results_geometry) if self._results_geometry else None,
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        self.epochs.setValue(int(state.get("epochs", self.epochs.value())))
        self.seeds.setValue(int(state.get("seeds", self.seeds.value())))
        results = state.get("results") or []
        geometry = state.get("results_geometry")
        self.results = [SeedResult.from_json(r) for r in results]
        self._results_geometry = (
            (int(geometry[0]), int(geometry[1]), int(geometry[2])) if self.results and geometry else None
        )
        self.retranslate()

    def verdict_result(self) -> RaceVerdict | None:
        return race_verdict(self.results) if self.results else None

    # -------------------------------------------------------------------------------------------- text
    def _update_button(self) -> None:
        self.button.setText(self.tr("Cancel") if self._race is not None else self.tr("Train both"))
        self.button.setEnabled(self._submit is not None)
        for spin in (self.epochs, self.seeds):
            spin.setEnabled(self._race is None)

    def _column_titles(self, geometry: tuple[int, int]) -> tuple[str, str]:
        size, stride = geometry
        return (
            self.tr("Conv + max-pool {0} × {0}").format(size),
            self.tr("Conv, stride {0}").format(stride),
        )

    def _column_tips(self, geometry: tuple[int, int]) -> tuple[str, str]:
        size, stride = geometry
        return (
            self.tr(
                "Conv 3 × 3 (8 filters, ReLU), max-pool {0} × {0} with stride {1}, Flatten, Dense 10"
            ).format(size, stride),
            self.tr("Conv 3 × 3 (8 filters, ReLU) with stride {0}, Flatten, Dense 10").format(stride),
        )

    def retranslate(self) -> None:
        self.setTitle(self.tr("Train both: does the stride lose accuracy?"))
        self._epochs_label.setText(self.tr("Epochs"))
        self._seeds_label.setText(self.tr("Seeds"))
        self.button.setToolTip(
            self.tr(
                "Trains the two networks on the 4,000 shipped digits (8 filters 3 × 3, ReLU, then Dense 10) "
                "with the same seeds, batches and epochs, and tests them on 1,000 other digits."
            )
        )
        self._update_button()
        shown = self._results_geometry[:2] if self._results_geometry else self._geometry
        self.table.setHorizontalHeaderLabels(list(self._column_titles(shown)))
        for col, tip in enumerate(self._column_tips(shown)):
            header = self.table.horizontalHeaderItem(col)
            if header is not None:
                header.setToolTip(tip)
        self.table.setVerticalHeaderLabels(
            [self.tr("Parameters"), self.tr("Test accuracy"), self.tr("Per seed"), self.tr("Training time")]
        )
        self._fill_table()
        if self._race is None:
            self.status.setText(self._idle_status())
        self.verdict.setText(self.verdict_text())

    def _idle_status(self) -> str:
        if self._error:
            return self.tr("The engine failed: {0}").format(self._error)
        if self._cancelled:
            done = len(self.results)
            return (
                self.tr("Stopped: 1 seed done.")
                if done == 1
                else self.tr("Stopped: {0} seeds done.").format(done)
            )
        return ""

    def _fill_table(self) -> None:
        results = self.results
        for col, name in enumerate(ARCHITECTURES):
            if results:
                acc = [100.0 * r.accuracy[name] for r in results]
                cells = [
                    i18n.format_int(results[0].params[name]),
                    _pct(sum(acc) / len(acc)),
                    ", ".join(_pct(a) for a in acc),
                    self.tr("{0} s").format(_seconds(sum(r.seconds[name] for r in results))),
                ]
            else:
                cells = ["-"] * 4
            for row, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(height)

    def verdict_text(self) -> str:
        """What the measurement shows, in a sentence or two ('' before the first run)."""
        v = self.verdict_result()
        if v is None:
            return self.tr(
                "Press <b>Train both</b>: a short run (a few seconds per seed and epoch) measures it here."
            )
        n = self.tr("1 seed") if v.seeds == 1 else self.tr("{0} seeds").format(v.seeds)
        speed = (
            self.tr("the strided network trained {0}× faster").format(_ratio(v.speedup))
            if v.speedup >= 1.0
            else self.tr("the strided network trained {0}× slower").format(_ratio(1.0 / v.speedup))
        )
        figures = self.tr("Measured over {0}: max-pool {1}, stride {2} ({3} points).").format(
            n, _pct(v.pool), _pct(v.stride), _signed(v.diff)
        )
        if v.kind == "same":
            text = self.tr(
                "The difference is within the variation between seeds (±{0} points): on these digits "
                "the stride loses no accuracy that this measurement can see, as the lesson says, and {1}. "
                "A smaller "
                "difference would take more seeds or epochs to show."
            ).format(_number(v.spread), speed)
        elif v.kind == "pool":
            text = self.tr(
                "Max-pooling is ahead by more than the variation between seeds (±{0} points): here the "
                "lesson's \u00absans perte de pr\u00e9cision\u00bb does not hold exactly; in exchange {1}."
            ).format(_number(v.spread), speed)
        else:
            text = self.tr(
                "The strided network is ahead by more than the variation between seeds (±{0} points): "
                "replacing conv + max-pool by a larger stride lost nothing here, and {1}."
            ).format(_number(v.spread), speed)
        if v.seeds == 1:
            text += " " + self.tr("With one seed the variation is unknown: add seeds for a firmer answer.")
        return f"<b>{figures}</b> {text}"

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _localised(text: str) -> str:
    return text.replace(".", ",") if i18n.current_language() == "fr" else text


def _number(x: float) -> str:
    return _localised(f"{x:.1f}")


def _signed(x: float) -> str:
    return _localised(f"{x:+.1f}")


def _ratio(x: float) -> str:
    return _localised(f"{x:.1f}")


def _seconds(x: float) -> str:
    return _localised(f"{x:.1f}")
