"""What the Network tab's views share: recompute in the engine thread when shown and out of date, and the
banner that offers to train an untrained network.

A :class:`NetView` asks its host (the tab) for the session, the current image and the class to explain; it
builds one engine-thread job (:meth:`NetView.job`) and draws its result (:meth:`NetView.show_result`) in the
GUI thread. Inputs changing while a job runs start one more job when it ends (never a queue of them); views
marked ``heavy`` wait while a training run uses the engine thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

__all__ = ["NetView", "TrainBanner", "ViewHost"]


class ViewHost(Protocol):
    """What a view needs from the tab."""

    session: Any

    def current_image(self) -> np.ndarray | None: ...

    def target_class(self) -> int | None: ...

    def class_names(self) -> list[str]: ...

    def report_error(self, text: str) -> None: ...


class NetView(QWidget):
    """Base of the Network tab's views (see the module docstring)."""

    key = ""  # the name show_view() knows it by
    needs_training = False  # meaningless for an untrained network: the tab shows the training banner
    heavy = False  # waits while a training run uses the engine thread

    computed = Signal()  # a result was drawn

    def __init__(self, host: ViewHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._stale = True
        self._busy = False
        self._again = False
        self._ready = False
        self._scheduled = False
        self.last_error = ""

    # ------------------------------------------------------------------------------------------ to override
    def job(self) -> Callable[[], Any] | None:
        """The engine-thread work for the current inputs (None: nothing to compute now)."""
        return None

    def show_result(self, result: Any) -> None:
        """Draw ``result`` (GUI thread)."""

    def show_failure(self, message: str) -> None:
        """Say in the view that the computation failed (default: the tab's error line)."""
        self.host.report_error(message)

    # ------------------------------------------------------------------------------------------ machinery
    def invalidate(self) -> None:
        """The inputs changed: recompute now if shown (once per event-loop turn), else when shown."""
        self._stale = True
        self._ready = False
        if self.isVisible() and not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self._scheduled_refresh)

    def _scheduled_refresh(self) -> None:
        self._scheduled = False
        if self._stale:
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def waiting_for_training(self) -> bool:
        return bool(self.heavy and getattr(self.host.session, "training", False))

    def refresh(self) -> None:
        """Recompute for the current inputs (engine thread)."""
        if self._busy:
            self._again = True
            return
        if self.waiting_for_training():
            self._stale = True
            return
        self._stale = False
        self.last_error = ""
        job = self.job()
        if job is None:
            self._ready = True
            return
        self._busy = True

        def done(result: Any) -> None:
            self._busy = False
            if self._again:
                self._again = False
                self._stale = True
                self.refresh()
                return
            self.show_result(result)
            self._ready = True
            self.computed.emit()

        def failed(message: str) -> None:
            self._busy = False
            self.last_error = message
            if self._again:
                self._again = False
                self._stale = True
                self.refresh()
                return
            self.show_failure(message)
            self._ready = True

        self.host.session.run(job, done, failed)

    def is_ready(self) -> bool:
        """True once the view shows the current inputs (nothing computing, nothing out of date)."""
        return self._ready and not self._busy and not self._stale

    def state(self) -> dict:
        return {}

    def restore_state(self, state: dict) -> None:
        """Apply what :meth:`state` returned; unknown keys are ignored."""

    def retranslate(self) -> None:
        """Re-set the texts (LanguageChange)."""


class TrainBanner(QFrame):
    """ "This network is untrained" with a one-click training button, or the progress of that training."""

    trainRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "TrainBanner { background: #fff4d6; border: 1px solid #e0b84a; border-radius: 4px; }"
        )
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton()
        self.button.clicked.connect(self.trainRequested.emit)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.hide()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._training = False
        self.retranslate()

    def set_training(self, done: int, total: int) -> None:
        """Show the progress of the one-click training (``done`` of ``total`` batches)."""
        self._training = True
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.show()
        self.button.setEnabled(False)
        self.retranslate()

    def set_idle(self) -> None:
        self._training = False
        self.progress.hide()
        self.button.setEnabled(True)
        self.retranslate()

    def retranslate(self) -> None:
        self.button.setText(self.tr("Train it now (1 epoch)"))
        if self._training:
            self.text.setText(self.tr("Training the network for one epoch in the engine thread..."))
        else:
            self.text.setText(
                self.tr(
                    "This network is untrained: its filters are random, so what this view shows means "
                    "nothing yet. Train it (a few seconds) or use the Training tab."
                )
            )
