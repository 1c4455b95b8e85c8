"""Stepper controls: reset, step back, play/pause, step forward, jump to end, and a speed slider.

The stepper owns one number, the *position* ``p`` in ``0..total``: how many output cells are computed. The
window shown is the ``p``-th one (``p - 1`` in 0-based terms); ``p = 0`` shows the empty output. A *step rule*
(:meth:`Stepper.set_step_rule`) may make the step buttons and Play jump over positions.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

__all__ = ["Stepper"]


class Stepper(QWidget):
    """Playback controls over positions ``0..total``.

    Signals
    -------
    positionChanged(int) : the position changed (by a button, the timer or :meth:`set_position`).
    """

    positionChanged = Signal(int)

    def __init__(self, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compact = compact
        self._total = 0
        self._pos = 0
        self._rule: Callable[[int, int], int] | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        style = self.style()
        icons = QStyle.StandardPixmap
        self.reset_button = self._button(style.standardIcon(icons.SP_MediaSkipBackward), self.reset)
        self.back_button = self._button(style.standardIcon(icons.SP_MediaSeekBackward), self.step_back)
        self.play_button = self._button(style.standardIcon(icons.SP_MediaPlay), self.toggle_play)
        self.forward_button = self._button(style.standardIcon(icons.SP_MediaSeekForward), self.step_forward)
        self.end_button = self._button(style.standardIcon(icons.SP_MediaSkipForward), self.jump_to_end)
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(1, 60)
        self.speed.setValue(4)
        self.speed.setFixedWidth(90)
        self.speed.valueChanged.connect(self._apply_speed)
        self.speed_label = QLabel()
        self.position_label = QLabel()
        self.position_label.setMinimumWidth(110)
        if compact:
            self.speed.hide()
            self.speed_label.hide()
            self.position_label.setMinimumWidth(0)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0 if compact else 4)
        for b in (
            self.reset_button,
            self.back_button,
            self.play_button,
            self.forward_button,
            self.end_button,
        ):
            lay.addWidget(b)
        lay.addSpacing(4 if compact else 10)
        lay.addWidget(self.position_label)
        lay.addStretch(1)
        lay.addWidget(self.speed_label)
        lay.addWidget(self.speed)
        self.retranslate()

    def _button(self, icon, slot) -> QToolButton:
        b = QToolButton()
        b.setIcon(icon)
        b.setAutoRaise(True)
        b.clicked.connect(slot)
        return b

    # -------------------------------------------------------------- state
    def total(self) -> int:
        return self._total

    def position(self) -> int:
        return self._pos

    def is_playing(self) -> bool:
        return self._timer.isActive()

    def set_step_rule(self, rule: Callable[[int, int], int] | None) -> None:
        """``rule(position, delta)`` gives the position after one step forward (``delta=1``, also Play) or
        back (``delta=-1``); None: one position at a time."""
        self._rule = rule

    def _stepped(self, delta: int) -> int:
        return self._pos + delta if self._rule is None else self._rule(self._pos, delta)

    def set_total(self, total: int, position: int | None = None) -> None:
        """New number of steps; the position is clamped (or set to ``position``)."""
        self._total = max(int(total), 0)
        self.set_position(self._pos if position is None else position, force=True)

    def set_position(self, pos: int, force: bool = False) -> None:
        pos = min(max(int(pos), 0), self._total)
        changed = pos != self._pos
        self._pos = pos
        if self._pos >= self._total:
            self.pause()
        self._update_label()
        if changed or force:
            self.positionChanged.emit(self._pos)

    # ------------------------------------------------------------ actions
    def step_forward(self) -> None:
        self.set_position(self._stepped(1))

    def step_back(self) -> None:
        self.pause()
        self.set_position(self._stepped(-1))

    def reset(self) -> None:
        self.pause()
        self.set_position(0)

    def jump_to_end(self) -> None:
        self.pause()
        self.set_position(self._total)

    def play(self) -> None:
        if self._pos >= self._total:
            self.set_position(0)
        self._apply_speed()
        self._timer.start()
        self._update_label()

    def pause(self) -> None:
        self._timer.stop()
        self._update_label()

    def toggle_play(self) -> None:
        self.pause() if self.is_playing() else self.play()

    def _tick(self) -> None:
        self.step_forward()

    def _apply_speed(self) -> None:
        self._timer.setInterval(int(1000 / max(self.speed.value(), 1)))
        n = self.speed.value()
        self.speed_label.setText(
            self.tr("Speed: 1 step/s") if n == 1 else self.tr("Speed: {0} steps/s").format(n)
        )

    # --------------------------------------------------------------- text
    def _update_label(self) -> None:
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if self.is_playing() else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(icon))
        text = "{0}/{1}" if self.compact else self.tr("Step {0} / {1}")
        self.position_label.setText(text.format(self._pos, self._total))

    def retranslate(self) -> None:
        self.reset_button.setToolTip(self.tr("Reset (Home)"))
        self.back_button.setToolTip(self.tr("Step back (Left)"))
        self.play_button.setToolTip(self.tr("Play / pause (Space)"))
        self.forward_button.setToolTip(self.tr("Step forward (Right)"))
        self.end_button.setToolTip(self.tr("Jump to the end (End)"))
        self.speed.setToolTip(self.tr("Animation speed"))
        with QSignalBlocker(self.speed):
            self._apply_speed()
        self._update_label()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
