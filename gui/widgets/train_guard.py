"""The Training tab's safeguard line: says when a run diverges (loss past 10x its start) or learns nothing
(accuracy at chance for a whole epoch), and suggests a lower learning rate.

:class:`TrainingAlert` is a label that watches the engine worker's updates through
:class:`gui.models.training_guard.DivergenceWatch`; it stays hidden until something is wrong and keeps its
message after the run ends (the status line then says only how the run ended).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QWidget

from gui.models.training_guard import Alert, DivergenceWatch

__all__ = ["TrainingAlert", "chance_and_size"]


def chance_and_size(data: Any) -> tuple[float, int]:
    """``(accuracy of always answering the most frequent class, training images)`` of a
    :class:`gui.models.data.LabData` (``(0.1, 1)`` without data)."""
    import numpy as np

    if data is None or not len(data.y_train):
        return 0.1, 1
    counts = np.bincount(np.asarray(data.y_train, np.int64))
    return float(counts.max() / counts.sum()), len(data.y_train)


class TrainingAlert(QLabel):
    """See the module docstring. :attr:`alerts` lists what the current run raised."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel { color: #8a1c00; background: #fff0e0; border: 1px solid #e0a060; border-radius: 4px; "
            "padding: 4px; }"
        )
        self.hide()
        self.alerts: list[Alert] = []
        self._watch: DivergenceWatch | None = None
        self._lr: Callable[[], float] = lambda: 0.001
        self._context: Callable[[], tuple[float, int]] = lambda: (0.1, 1)
        self._steps_per_epoch = 1
        self._run_lr = 0.001

    def watch(
        self, worker: Any, learning_rate: Callable[[], float], context: Callable[[], tuple[float, int]]
    ) -> None:
        """Follow ``worker``'s batch and epoch updates. ``learning_rate()`` gives the rate of the run;
        ``context()`` gives ``(chance accuracy, images per epoch)`` of the data trained on."""
        self._lr, self._context = learning_rate, context
        worker.batchDone.connect(self._on_batch)
        worker.epochDone.connect(self._on_epoch)

    def clear_alerts(self) -> None:
        self.alerts = []
        self._watch = None
        self.hide()
        self.clear()

    def _on_batch(self, update: dict) -> None:
        if int(update.get("step", 0)) == 1 or self._watch is None:
            self.clear_alerts()
            chance, n = self._context()
            self._watch = DivergenceWatch(min(max(chance, 1e-6), 1 - 1e-6), max(int(n), 1))
            self._run_lr = float(self._lr())
        self._steps_per_epoch = int(update.get("steps_per_epoch", self._steps_per_epoch))
        self._show(self._watch.batch(update))

    def _on_epoch(self, update: dict) -> None:
        if self._watch is not None:
            self._show(self._watch.epoch_end(update, self._steps_per_epoch))

    def _show(self, alerts: list[Alert]) -> None:
        if not alerts:
            return
        self.alerts.extend(alerts)
        self._render()
        self.show()

    def _render(self) -> None:
        lr = self._run_lr
        lines = []
        for a in self.alerts:
            if a.kind == "diverging":
                lines.append(
                    self.tr(
                        "Diverging: at batch {step} the loss is {loss:.3g}, more than 10 times its start "
                        "({start:.3g}). The learning rate ({lr:g}) is too high: try {lower:g}, then Reset "
                        "weights."
                    ).format(loss=a.loss, step=a.step, start=a.start_loss, lr=lr, lower=lr / 10)
                )
            elif a.diverged:
                lines.append(
                    self.tr(
                        "All of epoch {e} at chance ({acc:.0%}; the most frequent class alone gives "
                        "{chance:.0%}): after diverging, the network answers one class whatever the "
                        "image. Lower the learning rate (e.g. {lower:g}) and Reset weights."
                    ).format(e=a.epoch + 1, acc=a.accuracy, chance=a.chance, lower=lr / 10)
                )
            else:
                lines.append(
                    self.tr(
                        "All of epoch {e} at chance ({acc:.0%}; the most frequent class alone gives "
                        "{chance:.0%}) and the loss is not falling: the network is not learning. A "
                        "learning rate too high often does this: try {lower:g}; if the loss barely moves, "
                        "it may be too low instead."
                    ).format(e=a.epoch + 1, acc=a.accuracy, chance=a.chance, lower=lr / 10)
                )
        self.setText("\n".join(lines))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.alerts:
            self._render()
        super().changeEvent(event)
