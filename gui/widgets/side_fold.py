"""A tab's side column (its settings, its input) beside its main view, folding away when both do not fit.

At 1024 px with the lesson panel open a tab has about 760 px: too few for a settings column and the views side
by side. :class:`SideFold` shows both when they fit, and folds the column into a slim strip (an arrow and the
column's name, written upwards) when they do not, so that the views the lesson points at stay whole instead
of scrolling sideways. The strip folds or unfolds the column by hand at any width; a column unfolded by hand
on a narrow window stays (the tab then scrolls) until the window is wide enough again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPolygonF
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QSizePolicy, QSplitter, QWidget

__all__ = ["FoldStrip", "SideFold"]


class FoldStrip(QAbstractButton):
    """The strip beside a side column: an arrow (pointing where the column goes) and, folded, the column's
    name written upwards, so that the learner sees what is folded there."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folded = False
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def set_folded(self, folded: bool) -> None:
        self.folded = bool(folded)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        width = fm.height() + 8 if self.folded else 12
        return QSize(width, 4 * fm.height() + fm.horizontalAdvance(self.text()))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.sizeHint().width(), 40)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        if self.underMouse() or self.hasFocus() or self.folded:
            p.fillRect(self.rect(), pal.alternateBase() if not self.underMouse() else pal.midlight())
        colour = pal.text().color() if self.isEnabled() else pal.mid().color()
        p.setPen(colour)
        p.setBrush(colour)
        cx, top, s = self.width() / 2, 10.0, 4.0
        d = (
            s / 2 if self.folded else -s / 2
        )  # folded: pointing right, into the view; else left, to the column
        arrow = QPolygonF([QPointF(cx - d, top - s), QPointF(cx + d, top), QPointF(cx - d, top + s)])
        p.drawPolygon(arrow)
        if self.folded and self.text():
            p.save()
            p.translate(cx, top + 10)
            p.rotate(90)  # the name reads top to bottom, as on a book's spine
            fm = self.fontMetrics()
            box = QRectF(0, -fm.height() / 2, self.height() - top - 14, fm.height())
            p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.text())
            p.restore()
        p.end()


class SideFold(QWidget):
    """``side`` | a :class:`FoldStrip` | ``main``, the column in a splitter (it keeps the width limits it was
    given, and the learner can drag its edge within them).

    Parameters
    ----------
    side : the column that folds (its minimum width counts as what it needs).
    main : the view that always stays.
    name : gives the column's name for the strip, in the current language (called again on language change).

    Signals
    -------
    foldedChanged(bool) : the column was folded (True) or unfolded (False).
    """

    foldedChanged = Signal(bool)

    def __init__(
        self, side: QWidget, main: QWidget, name: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.side, self.main = side, main
        self._name = name
        #: None: fold when the column and the view do not fit; True / False: the learner unfolded / folded it
        self._choice: bool | None = None
        self.strip = FoldStrip()
        self.strip.clicked.connect(self._clicked)
        right = QWidget()
        right_lay = QHBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.setSpacing(2)
        right_lay.addWidget(self.strip)
        right_lay.addWidget(main, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(side)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.split)
        for w in (side, main, right, self.split):
            w.installEventFilter(self)  # their needs change (language, RGB mode...): fold or unfold again
        self.retranslate()

    # ------------------------------------------------------------------ state
    def is_folded(self) -> bool:
        return self.side.isHidden()

    def set_folded(self, folded: bool) -> None:
        """Fold or unfold the column as the learner's choice (the strip's click)."""
        self._choice = not folded
        self.refit()

    def needed_width(self) -> int:
        """The width the column and the view need side by side."""
        return self._min_width(self.side) + self.split.handleWidth() + self._folded_width()

    def _folded_width(self) -> int:
        folded_strip = self.strip.fontMetrics().height() + 8
        return folded_strip + 2 + self._min_width(self.main)

    @staticmethod
    def _min_width(w: QWidget) -> int:
        return w.minimumWidth() if w.minimumWidth() > 0 else w.minimumSizeHint().width()

    # ------------------------------------------------------------------ folding
    def _clicked(self) -> None:
        self.set_folded(not self.is_folded())

    def refit(self) -> None:
        """Fold or unfold for the current width (and the learner's choice)."""
        fits = self.width() >= self.needed_width()
        if self._choice is True and fits:
            self._choice = None  # unfolded by hand on a narrow window, and now there is room: automatic again
        show = fits if self._choice is None else self._choice
        if show == self.side.isHidden():
            self.side.setVisible(show)
            self.strip.set_folded(not show)
            self.retranslate()
            self.updateGeometry()
            self.foldedChanged.emit(not show)

    def minimumSizeHint(self) -> QSize:
        """Folded width unless the learner unfolded the column by hand: the tab never forces a scroll bar
        for a column that can fold."""
        hint = super().minimumSizeHint()
        if self._choice is True and not self.side.isHidden():
            return hint
        return QSize(min(hint.width(), self._folded_width()), hint.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.refit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.refit()
        return False

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        name = self._name()
        self.strip.setText(name)
        self.strip.setToolTip(
            self.tr("Show this column")
            if self.is_folded()
            else self.tr("Hide this column (more room for the view)")
        )
        self.strip.setAccessibleName(self.strip.toolTip())
        self.strip.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
