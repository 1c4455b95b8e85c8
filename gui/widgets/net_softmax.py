"""The class probabilities as bars, with the softmax written out beside them: the logits ``z``, ``exp(z)``,
their sum and the division, with the numbers of the current image. Click a class to choose it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.models.network import SoftmaxSteps, softmax_steps
from gui.widgets.net_maps import bold_font

__all__ = ["SoftmaxPanel"]

BEST = QColor("#d04000")
OTHER = QColor("#1f5fbf")
CHOSEN = QColor("#7a2eb8")


def _logit(v: float) -> str:
    """A logit: 3 decimals (scientific only when huge)."""
    return f"{v:.2e}" if abs(v) >= 1e5 else f"{v:.3f}"


def _num(v: float) -> str:
    """A short number: 3 significant digits, scientific only when it must."""
    a = abs(v)
    if a != 0 and (a >= 1e5 or a < 1e-3):
        return f"{v:.2e}"
    return f"{v:.1f}" if a >= 100 else f"{v:.3f}"


class SoftmaxPanel(QWidget):
    """One row per class: name, logit ``z``, ``exp(z)`` and the probability bar; a footer with the sum and
    the division for the most probable class. ``classClicked(k)`` when a row is clicked.

    With :meth:`set_arithmetic` ``(False)`` only the bars are drawn. :attr:`steps` holds the numbers drawn
    (float64), so what is shown can be checked against a softmax computed elsewhere.
    """

    classClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.steps: SoftmaxSteps | None = None
        self._probs = np.zeros(0)
        self._names: list[str] = []
        self._chosen: int | None = None
        self._arithmetic = True
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    # ----------------------------------------------------------------------------------------------- data
    def set_values(self, logits: np.ndarray | None, probabilities: np.ndarray, names: list[str]) -> None:
        """Show ``probabilities (K,)``; with ``logits (K,)`` also the softmax that gives them."""
        self.steps = softmax_steps(logits) if logits is not None else None
        self._probs = np.asarray(probabilities, np.float64).reshape(-1)
        k = len(self._probs)
        self._names = (list(names) + [str(i) for i in range(len(names), k)])[:k]
        if self._chosen is not None and self._chosen >= k:
            self._chosen = None
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def clear(self) -> None:
        self.steps, self._probs, self._names = None, np.zeros(0), []
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def probabilities(self) -> np.ndarray:
        return self._probs

    def set_chosen(self, k: int | None) -> None:
        """Outline class ``k`` (the one the Look view explains); None: none."""
        self._chosen = k
        self.update()

    def set_arithmetic(self, on: bool) -> None:
        self._arithmetic = bool(on)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def arithmetic_shown(self) -> bool:
        return self._arithmetic and self.steps is not None

    # ----------------------------------------------------------------------------------------------- layout
    def _row_h(self) -> int:
        return self.fontMetrics().height() + 6

    def _header_h(self) -> int:
        return self._row_h() if self.arithmetic_shown() else 0

    def _footer_lines(self) -> list[str]:
        s = self.steps
        if not self.arithmetic_shown() or s is None or not len(self._probs):
            return []
        best = int(np.argmax(s.probabilities))
        e = "exp(z − max)" if s.shift else "exp(z)"
        return [
            self.tr("sum of the {e}: Σ = {t}").format(e=e, t=_num(s.total)),
            self.tr("p({c}) = {v} / {t} = {p:.1%}").format(
                c=self._names[best],
                v=_num(float(s.exps[best])),
                t=_num(s.total),
                p=float(s.probabilities[best]),
            ),
        ]

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._probs))
        h = self._header_h() + rows * self._row_h() + len(self._footer_lines()) * self._row_h() + 6
        return QSize(300, h)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, self.sizeHint().height())

    def _columns(self) -> tuple[float, float, float, float, float]:
        """x of: name end, z end, exp end, bar start, bar width."""
        fm = self.fontMetrics()
        name_w = max((fm.horizontalAdvance(n) for n in self._names), default=10) + 8
        if self.arithmetic_shown():
            name_w = max(name_w, QFontMetrics(bold_font(self)).horizontalAdvance(self.tr("class")) + 10)
        name_w = min(name_w, 110)
        pct_w = fm.horizontalAdvance("100.0%") + 6
        if self.arithmetic_shown():
            num_w = fm.horizontalAdvance("-00.000") + 8
            exp_w = fm.horizontalAdvance("0.00e+00") + 8
            z_end, exp_end = name_w + num_w, name_w + num_w + exp_w
        else:
            z_end = exp_end = name_w
        bar_x = exp_end + 8
        bar_w = max(30.0, self.width() - bar_x - pct_w)
        return name_w, z_end, exp_end, bar_x, bar_w

    def row_at(self, y: float) -> int | None:
        """The class drawn at height ``y`` (widget coordinates), or None."""
        r = int((y - self._header_h() - 2) // self._row_h())
        return r if 0 <= r < len(self._probs) else None

    def row_rect(self, k: int) -> QRectF:
        return QRectF(0, 2 + self._header_h() + k * self._row_h(), self.width(), self._row_h())

    # ----------------------------------------------------------------------------------------------- paint
    def paintEvent(self, event) -> None:
        p = QPainter(self)
        fg = self.palette().color(self.foregroundRole())
        name_w, z_end, exp_end, bar_x, bar_w = self._columns()
        row_h = self._row_h()
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        s = self.steps if self.arithmetic_shown() else None
        if s is not None:
            p.setFont(bold_font(self))
            p.setPen(fg)
            head = QRectF(0, 0, self.width(), row_h)
            p.drawText(QRectF(0, 0, name_w - 6, row_h), right, self.tr("class"))
            p.drawText(QRectF(name_w, 0, z_end - name_w - 4, row_h), right, self.tr("logit z"))
            p.drawText(
                QRectF(z_end, 0, exp_end - z_end - 4, row_h), right, "exp(z − max)" if s.shift else "exp(z)"
            )
            p.drawText(
                QRectF(bar_x, 0, self.width() - bar_x, row_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.tr("p = exp / Σ"),
            )
            p.setPen(QPen(QColor("#b0b0b0")))
            p.drawLine(head.bottomLeft(), head.bottomRight())
        best = int(self._probs.argmax()) if len(self._probs) else -1
        for k, (v, name) in enumerate(zip(self._probs, self._names, strict=False)):
            rect = self.row_rect(k)
            y = rect.top()
            p.setFont(bold_font(self) if k == best else self.font())
            p.setPen(fg)
            p.drawText(QRectF(0, y, name_w - 6, row_h), right, name)
            if s is not None:
                p.drawText(QRectF(name_w, y, z_end - name_w - 4, row_h), right, _logit(float(s.logits[k])))
                p.drawText(QRectF(z_end, y, exp_end - z_end - 4, row_h), right, _num(float(s.exps[k])))
            p.fillRect(QRectF(bar_x, y + 3, bar_w, row_h - 6), QColor("#e8e8e8"))
            p.fillRect(QRectF(bar_x, y + 3, bar_w * float(v), row_h - 6), BEST if k == best else OTHER)
            p.drawText(
                QRectF(bar_x + bar_w + 4, y, self.width() - bar_x - bar_w, row_h), right, f"{100 * v:.1f}%"
            )
            if k == self._chosen:
                p.setPen(QPen(CHOSEN, 2))
                p.drawRect(rect.adjusted(1, 1, -1, -1))
        p.setFont(self.font())
        p.setPen(fg)
        y0 = 2 + self._header_h() + len(self._probs) * row_h
        for n, line in enumerate(self._footer_lines()):
            p.drawText(
                QRectF(4, y0 + n * row_h, self.width() - 8, row_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
        p.end()

    def mousePressEvent(self, event) -> None:
        k = self.row_at(event.position().y())
        if k is not None:
            self.classClicked.emit(k)
