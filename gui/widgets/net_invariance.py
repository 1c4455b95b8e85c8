"""Translation invariance: shift the image 1-4 px with the arrows and watch each layer: how many of its
values change, and by how much; and the class probability against the shift (the lesson: pooling removes
position)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import format_int
from gui.models.invariance import (
    CURVE_SHIFTS,
    MAX_SHIFT,
    InvarianceResult,
    accuracy_against_shift,
    invariance,
)
from gui.widgets.net_input import ImageTile
from gui.widgets.net_maps import bold_font, to_qimage
from gui.widgets.net_view import NetView

__all__ = ["ChangeTable", "InvarianceView", "ShiftCurve"]

SHARE_COLOR = QColor("#1f5fbf")
SIZE_COLOR = QColor("#e07000")


class ChangeTable(QWidget):
    """One row per layer: name and shape, values changed (count and share, a blue bar), the size of the change
    (``||Δ|| / ||a||``, an orange bar) and where it changed (``|Δ|`` summed over the maps)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: InvarianceResult | None = None
        self._thumbs: list[Any] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_result(self, result: InvarianceResult | None) -> None:
        self.result = result
        self._thumbs = []
        if result is not None:
            for row in result.rows:
                self._thumbs.append(None if row.where is None else to_qimage(row.where, vmin=0.0))
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def _row_h(self) -> int:
        return max(34, self.fontMetrics().height() * 2 + 6)

    def sizeHint(self) -> QSize:
        n = len(self.result.rows) if self.result is not None else 0
        return QSize(560, (n + 1) * self._row_h() + 4)

    def _cols(self) -> tuple[float, float, float, float]:
        """x of: share column, size column, where column, total width."""
        fm = self.fontMetrics()
        rows = self.result.rows if self.result is not None else []
        texts = [r.name for r in rows] + [f"{r.class_name} " + "x".join(map(str, r.shape)) for r in rows]
        name_w = max([fm.horizontalAdvance(t) for t in texts] + [fm.horizontalAdvance(self.tr("Layer"))]) + 12
        name_w = min(name_w, 220)
        where_w = self._row_h() + 8
        rest = max(self.width() - name_w - where_w, 200)
        return name_w, name_w + rest / 2, name_w + rest, float(self.width())

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        fm = self.fontMetrics()
        fg = self.palette().color(self.foregroundRole())
        rh = self._row_h()
        x_share, x_size, x_where, _ = self._cols()
        p.setFont(bold_font(self))
        p.setPen(fg)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        p.drawText(QRectF(4, 0, x_share - 8, rh), left, self.tr("Layer"))
        p.drawText(
            QRectF(x_share, 0, x_size - x_share - 8, rh),
            left | Qt.TextFlag.TextWordWrap,
            self.tr("values changed"),
        )
        p.drawText(
            QRectF(x_size, 0, x_where - x_size - 8, rh),
            left | Qt.TextFlag.TextWordWrap,
            self.tr("size of the change"),
        )
        p.drawText(QRectF(x_where, 0, self.width() - x_where, rh), left, self.tr("where"))
        p.setFont(self.font())
        r = self.result
        if r is None:
            p.end()
            return
        for n, row in enumerate(r.rows):
            y = (n + 1) * rh
            if n % 2 == 0:
                p.fillRect(QRectF(0, y, self.width(), rh), QColor(0, 0, 0, 14))
            p.setPen(fg)
            name = self.tr("input image") if row.class_name == "Input" else row.name
            shape = "x".join(str(v) for v in row.shape)
            p.drawText(
                QRectF(4, y + 2, x_share - 8, rh / 2),
                left,
                fm.elidedText(name, Qt.TextElideMode.ElideRight, int(x_share - 8)),
            )
            p.setPen(QColor("#707070"))
            kind = f"{row.class_name} {shape}" if row.class_name != "Input" else shape
            p.drawText(
                QRectF(4, y + rh / 2 - 1, x_share - 8, rh / 2),
                left,
                fm.elidedText(kind, Qt.TextElideMode.ElideRight, int(x_share - 8)),
            )
            self._bar(
                p,
                QRectF(x_share, y, x_size - x_share - 10, rh),
                row.share,
                SHARE_COLOR,
                self.tr("{n} / {t} ({s:.0%})").format(
                    n=format_int(row.changed), t=format_int(row.total), s=row.share
                ),
            )
            rel = row.relative if np.isfinite(row.relative) else 1.0
            self._bar(
                p, QRectF(x_size, y, x_where - x_size - 10, rh), min(rel, 1.0), SIZE_COLOR, f"{rel:.0%}"
            )
            thumb = self._thumbs[n] if n < len(self._thumbs) else None
            if thumb is not None:
                side = rh - 6
                p.drawImage(QRectF(x_where, y + 3, side, side), thumb)
                p.setPen(QColor("#909090"))
                p.drawRect(QRectF(x_where, y + 3, side, side))
        p.end()

    def _bar(self, p: QPainter, rect: QRectF, frac: float, color: QColor, text: str) -> None:
        fm = self.fontMetrics()
        bar = QRectF(rect.left(), rect.top() + rect.height() / 2 + 1, rect.width(), rect.height() / 2 - 5)
        p.fillRect(bar, QColor("#e8e8e8"))
        p.fillRect(QRectF(bar.left(), bar.top(), bar.width() * max(0.0, min(frac, 1.0)), bar.height()), color)
        p.setPen(self.palette().color(self.foregroundRole()))
        p.drawText(
            QRectF(rect.left(), rect.top() + 1, rect.width(), rect.height() / 2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width())),
        )


class ShiftCurve(QWidget):
    """The probability of one class against the shift, horizontal (blue) and vertical (orange), -4..4 px."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: InvarianceResult | None = None
        self.class_name = ""
        #: accuracy on the validation set against the shift (horizontal, vertical), drawn dashed
        self.accuracy: tuple[np.ndarray, np.ndarray] | None = None
        self.setMinimumSize(260, 170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(200)

    def set_result(self, result: InvarianceResult | None, class_name: str) -> None:
        self.result, self.class_name = result, class_name
        self.update()

    def set_accuracy(self, accuracy: tuple[np.ndarray, np.ndarray] | None) -> None:
        self.accuracy = accuracy
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        fg = self.palette().color(self.foregroundRole())
        left, top = fm.horizontalAdvance("100%") + 10, fm.height() + 8
        plot = QRectF(left, top, self.width() - left - 12, self.height() - top - 2 * fm.height() - 8)
        p.fillRect(plot, QColor("white"))
        p.setPen(QPen(QColor("#c8c8c8"), 1))
        lo, hi = CURVE_SHIFTS[0], CURVE_SHIFTS[-1]

        def px(s: float, v: float) -> QPointF:
            return QPointF(
                plot.left() + (s - lo) / (hi - lo) * plot.width(), plot.bottom() - v * plot.height()
            )

        for v in (0.0, 0.25, 0.5, 0.75, 1.0):
            p.drawLine(px(lo, v), px(hi, v))
        for s in CURVE_SHIFTS:
            p.drawLine(px(s, 0), px(s, 1))
        p.setPen(fg)
        for v in (0.0, 0.5, 1.0):
            pt = px(lo, v)
            p.drawText(
                QRectF(0, pt.y() - fm.height() / 2, left - 6, fm.height()),
                Qt.AlignmentFlag.AlignRight,
                f"{v:.0%}",
            )
        for s in CURVE_SHIFTS:
            pt = px(s, 0)
            p.drawText(
                QRectF(pt.x() - 15, plot.bottom() + 2, 30, fm.height()), Qt.AlignmentFlag.AlignHCenter, str(s)
            )
        p.drawText(
            QRectF(plot.left(), plot.bottom() + fm.height() + 2, plot.width(), fm.height()),
            Qt.AlignmentFlag.AlignHCenter,
            self.tr("shift (px): left/up < 0 < right/down"),
        )
        r = self.result
        if r is not None:
            p.drawText(
                QRectF(plot.left(), 0, plot.width(), top - 4),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.tr("p({c}) against the shift: horizontal (blue), vertical (orange)").format(
                    c=self.class_name
                ),
            )
            for curve, color in ((r.curve_x, SHARE_COLOR), (r.curve_y, SIZE_COLOR)):
                p.setPen(QPen(color, 2.5))
                points = [px(s, float(v)) for s, v in zip(CURVE_SHIFTS, curve, strict=True)]
                p.drawPolyline(QPolygonF(points))
                p.setBrush(color)
                for pt in points:
                    p.drawEllipse(pt, 3, 3)
            p.setBrush(Qt.BrushStyle.NoBrush)
            if self.accuracy is not None:
                for curve, color in zip(self.accuracy, (SHARE_COLOR, SIZE_COLOR), strict=True):
                    p.setPen(QPen(color, 1.8, Qt.PenStyle.DashLine))
                    p.drawPolyline(
                        QPolygonF([px(s, float(v)) for s, v in zip(CURVE_SHIFTS, curve, strict=True)])
                    )
            dy, dx = r.shift
            marks = []
            if dx != 0 or dy == 0:
                marks.append((dx, r.curve_x[CURVE_SHIFTS.index(dx)], SHARE_COLOR))
            if dy != 0:
                marks.append((dy, r.curve_y[CURVE_SHIFTS.index(dy)], SIZE_COLOR))
            for s, v, _color in marks:
                p.setPen(QPen(QColor("#7a2eb8"), 2))
                p.drawEllipse(px(s, float(v)), 7, 7)
        p.end()


class InvarianceView(NetView):
    """See the module docstring. The last result is :attr:`result`; :attr:`shift` is ``(dy, dx)``."""

    key = "invariance"
    needs_training = True
    heavy = True

    def __init__(self, host: Any, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.shift = (0, 0)
        self.result: InvarianceResult | None = None
        self.title = QLabel()
        self.title.setFont(bold_font(self, 1.15))
        self.title.setWordWrap(True)
        self.claim = QLabel()
        self.claim.setWordWrap(True)
        self.original, self.shifted = ImageTile(96), ImageTile(96)
        self._l_original, self._l_shifted = QLabel(), QLabel()
        self.buttons = {
            "up": QPushButton("↑"),
            "left": QPushButton("←"),
            "reset": QPushButton("0"),
            "right": QPushButton("→"),
            "down": QPushButton("↓"),
        }
        pad = QGridLayout()
        for key, (r, c) in {
            "up": (0, 1),
            "left": (1, 0),
            "reset": (1, 1),
            "right": (1, 2),
            "down": (2, 1),
        }.items():
            b = self.buttons[key]
            b.setFixedSize(34, 30)
            b.setAutoRepeat(False)
            pad.addWidget(b, r, c)
        self.buttons["up"].clicked.connect(lambda: self.move_by(-1, 0))
        self.buttons["down"].clicked.connect(lambda: self.move_by(1, 0))
        self.buttons["left"].clicked.connect(lambda: self.move_by(0, -1))
        self.buttons["right"].clicked.connect(lambda: self.move_by(0, 1))
        self.buttons["reset"].clicked.connect(lambda: self.set_shift(0, 0))
        self.shift_text = QLabel()
        self.shift_text.setWordWrap(True)
        self.prediction = QLabel()
        self.prediction.setWordWrap(True)
        self.table = ChangeTable()
        self.curve = ShiftCurve()
        self.measure_btn = QPushButton()
        self.measure_btn.clicked.connect(self.measure_accuracy)
        self.accuracy_text = QLabel()
        self.accuracy_text.setWordWrap(True)
        self._measuring = False
        self._accuracy_for: int | None = None
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #404040;")

        images = QHBoxLayout()
        for lbl, tile in ((self._l_original, self.original), (self._l_shifted, self.shifted)):
            col = QVBoxLayout()
            col.addWidget(lbl)
            col.addWidget(tile)
            images.addLayout(col)
        images.addSpacing(10)
        images.addLayout(pad)
        side = QVBoxLayout()
        side.addWidget(self.shift_text)
        side.addWidget(self.prediction)
        side.addStretch(1)
        images.addLayout(side, 1)
        body = QWidget()
        body_lay = QVBoxLayout(body)
        body_lay.setContentsMargins(0, 0, 0, 0)
        body_lay.addLayout(images)
        body_lay.addWidget(self.table)
        body_lay.addWidget(self.note)
        body_lay.addWidget(self.curve)
        measure = QHBoxLayout()
        measure.addWidget(self.measure_btn, 0, Qt.AlignmentFlag.AlignTop)
        measure.addWidget(self.accuracy_text, 1)
        body_lay.addLayout(measure)
        body_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.claim)
        lay.addWidget(scroll, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.retranslate()

    # ---------------------------------------------------------------------------------------- shift
    def set_shift(self, dy: int, dx: int) -> None:
        """Shift the image ``dy`` px down and ``dx`` px right (each clipped to ±4)."""
        shift = (int(np.clip(dy, -MAX_SHIFT, MAX_SHIFT)), int(np.clip(dx, -MAX_SHIFT, MAX_SHIFT)))
        if shift != self.shift:
            self.shift = shift
            self._shift_label()
            self.invalidate()

    def move_by(self, dy: int, dx: int) -> None:
        self.set_shift(self.shift[0] + dy, self.shift[1] + dx)

    def keyPressEvent(self, event) -> None:
        keys = {
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
        }
        if event.key() in keys:
            self.move_by(*keys[event.key()])
        elif event.key() in (Qt.Key.Key_Home, Qt.Key.Key_0):
            self.set_shift(0, 0)
        else:
            super().keyPressEvent(event)

    def _shift_label(self) -> None:
        dy, dx = self.shift
        parts = []
        if dx:
            parts.append(
                self.tr("{n} px right").format(n=dx) if dx > 0 else self.tr("{n} px left").format(n=-dx)
            )
        if dy:
            parts.append(
                self.tr("{n} px down").format(n=dy) if dy > 0 else self.tr("{n} px up").format(n=-dy)
            )
        where = ", ".join(parts) if parts else self.tr("none")
        self.shift_text.setText(
            self.tr("Shift: <b>{w}</b> (arrows, up to {m} px each way; 0 puts it back)").format(
                w=where, m=MAX_SHIFT
            )
        )
        for key, ok in (
            ("up", dy > -MAX_SHIFT),
            ("down", dy < MAX_SHIFT),
            ("left", dx > -MAX_SHIFT),
            ("right", dx < MAX_SHIFT),
        ):
            self.buttons[key].setEnabled(ok)

    # ---------------------------------------------------------------------------------------- compute
    def job(self) -> Callable[[], Any] | None:
        s = self.host.session
        model, image = s.model, self.host.current_image()
        if model is None or image is None or s.info is None or image.shape != tuple(s.info.input_shape):
            return None
        shift, target = self.shift, self.host.target_class()
        self.original.set_array(image)
        return lambda: invariance(model, image, shift, target)

    def is_ready(self) -> bool:
        return super().is_ready() and not self._measuring

    def forget_accuracy(self) -> None:
        """The model or its weights changed: the measured accuracy curves no longer hold."""
        self.curve.set_accuracy(None)
        self._accuracy_for = None
        self.accuracy_text.setText(
            self.tr(
                "One image tells a story; the validation set tells the trend: measure the accuracy at each "
                "shift."
            )
        )

    def measure_accuracy(self) -> None:
        """The accuracy on the validation set at each shift of the curve (engine thread), drawn dashed."""
        s = self.host.session
        model, data = s.model, s.data
        if (
            model is None
            or data is None
            or self._measuring
            or tuple(data.input_shape) != tuple(s.info.input_shape)
        ):
            return
        self._measuring = True
        self.measure_btn.setEnabled(False)
        self.accuracy_text.setText(self.tr("Measuring on {n} validation images...").format(n=len(data.x_val)))
        x, y = data.x_val, data.y_val

        def done(acc: tuple[np.ndarray, np.ndarray]) -> None:
            self._measuring = False
            self.measure_btn.setEnabled(True)
            self._accuracy_for = len(x)
            self.curve.set_accuracy(acc)
            self._accuracy_texts()

        def failed(message: str) -> None:
            self._measuring = False
            self.measure_btn.setEnabled(True)
            self.accuracy_text.setText(f"<span style='color:#c00000'>{message}</span>")

        s.run(lambda: accuracy_against_shift(model, x, y), done, failed)

    def _accuracy_texts(self) -> None:
        acc, n = self.curve.accuracy, getattr(self, "_accuracy_for", None)
        if acc is None or n is None:
            return
        zero, far = CURVE_SHIFTS.index(0), len(CURVE_SHIFTS) - 1
        self.accuracy_text.setText(
            self.tr(
                "Dashed: accuracy on the {n} validation images, all shifted alike: {a:.0%} unshifted, "
                "{r:.0%} at {m} px right, {d:.0%} at {m} px down, {l:.0%} at {m} px left."
            ).format(n=n, a=acc[0][zero], r=acc[0][far], d=acc[1][far], l=acc[0][0], m=MAX_SHIFT)
        )

    def show_result(self, result: InvarianceResult) -> None:
        self.result = result
        self.shifted.set_array(result.shifted)
        self.table.set_result(result)
        self._texts()

    def _texts(self) -> None:
        r = self.result
        if r is None:
            return
        names = self.host.class_names()

        def name(k: int) -> str:
            return names[k] if k < len(names) else str(k)

        c = name(r.class_index)
        self.curve.set_result(r, c)
        self.prediction.setText(
            self.tr(
                "Prediction: <b>{a}</b> ({pa:.0%}) unshifted, <b>{b}</b> ({pb:.0%}) shifted; p({c}) = "
                "{pc:.0%}."
            ).format(
                a=name(r.predicted_before),
                pa=r.probability_before,
                b=name(r.predicted_after),
                pb=r.probability_after,
                c=c,
                pc=r.class_probability_after,
            )
        )

    def state(self) -> dict:
        return {"shift": list(self.shift)}

    def restore_state(self, state: dict) -> None:
        shift = state.get("shift")
        if isinstance(shift, (list, tuple)) and len(shift) == 2 and all(isinstance(v, int) for v in shift):
            self.set_shift(shift[0], shift[1])

    def retranslate(self) -> None:
        self.title.setText(self.tr("Translation invariance: does the answer survive a shift?"))
        self.claim.setText(
            self.tr(
                "The lesson: pooling removes part of the position information, so a CNN tends not to tell "
                "features apart by where they are. Move the image a few pixels and compare each layer's "
                "output with the unshifted one."
            )
        )
        self._l_original.setText(self.tr("Original"))
        self._l_shifted.setText(self.tr("Shifted"))
        self.note.setText(
            self.tr(
                "Read both columns: <b>values changed</b> counts the values that differ at all; <b>size "
                "of the change</b> says by how much (‖shifted − original‖ / ‖original‖). Pooling does not "
                "make fewer values change (each pooled value depends on more pixels, so more of them move "
                "a little) but it makes the change smaller; 'where' shows the difference summed over the "
                "maps."
            )
        )
        self._shift_label()
        self._texts()
        self.table.update()
        self.measure_btn.setText(self.tr("Accuracy against the shift"))
        self.measure_btn.setToolTip(
            self.tr("Shift every validation image by -4..4 px and measure the accuracy at each shift")
        )
        if self.curve.accuracy is None:
            self.forget_accuracy()
        else:
            self._accuracy_texts()
