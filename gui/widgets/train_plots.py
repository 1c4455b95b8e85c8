"""Live training plots: loss and accuracy curves (pyqtgraph) and the confusion matrix.

Both only store data when told (cheap, any rate) and redraw in :meth:`CurvesPanel.refresh`, which the tab
calls from a ~20 Hz timer, so a fast training loop never floods the event loop.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

__all__ = ["TRAIN_COLOR", "VAL_COLOR", "ConfusionMatrixView", "CurvesPanel"]

TRAIN_COLOR = "#1f5fbf"
VAL_COLOR = "#e07000"
#: earlier runs kept as faded curves (a reset or a new model starts a new run)
MAX_EARLIER_RUNS = 3


class _Series:
    """A growable float series (amortised O(1) append, views for drawing)."""

    def __init__(self) -> None:
        self.x = np.empty(256)
        self.y = np.empty(256)
        self.n = 0

    def append(self, x: float, y: float) -> None:
        if self.n == len(self.x):
            self.x = np.concatenate([self.x, np.empty_like(self.x)])
            self.y = np.concatenate([self.y, np.empty_like(self.y)])
        self.x[self.n], self.y[self.n] = x, y
        self.n += 1

    def view(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[: self.n], self.y[: self.n]


def _ema(y: np.ndarray, alpha: float = 0.1) -> np.ndarray:
    """Exponential moving average with TensorBoard's debiasing (no drag towards 0 at the start)."""
    out = np.empty_like(y)
    acc, weight = 0.0, 0.0
    for i, v in enumerate(y):
        acc = (1 - alpha) * acc + alpha * v
        weight = (1 - alpha) * weight + alpha
        out[i] = acc / weight
    return out


class CurvesPanel(pg.GraphicsLayoutWidget):
    """Two plots side by side: loss and accuracy against epochs, train (per batch, smoothed) and
    validation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.setMinimumHeight(190)  # the Training tab, its mode bar included, fits 1024 x 700
        font = QFont()
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.15)
        self._plots: dict[str, pg.PlotItem] = {}
        self._items: dict[str, dict[str, pg.PlotDataItem]] = {}
        self.series: dict[str, _Series] = {
            k: _Series() for k in ("loss", "accuracy", "val_loss", "val_accuracy")
        }
        for col, key in enumerate(("loss", "accuracy")):
            plot = self.addPlot(row=0, col=col)
            plot.showGrid(x=True, y=True, alpha=0.25)
            legend = plot.addLegend(
                offset=(-10, 10) if key == "loss" else (-10, -10), labelTextSize="12pt", labelTextColor="k"
            )
            legend.setBrush(pg.mkBrush(255, 255, 255, 220))
            for ax_name in ("left", "bottom"):
                ax = plot.getAxis(ax_name)
                ax.setTickFont(font)
                ax.setTextPen("k")
                ax.setPen("k")
            raw = plot.plot(pen=pg.mkPen(QColor(TRAIN_COLOR).lighter(170), width=1))
            smooth = plot.plot(pen=pg.mkPen(TRAIN_COLOR, width=3))
            val = plot.plot(
                pen=pg.mkPen(VAL_COLOR, width=3),
                symbol="o",
                symbolSize=9,
                symbolBrush=VAL_COLOR,
                symbolPen="w",
            )
            if key == "accuracy":
                plot.setYRange(0.0, 1.0, padding=0.02)
            plot.setXRange(0, 1, padding=0.02)
            self._plots[key] = plot
            self._items[key] = {"raw": raw, "smooth": smooth, "val": val}
        self._legend_items: list = []
        self.earlier: list[dict[str, pg.PlotDataItem]] = []  # per earlier run: "loss" / "accuracy" curves
        self.dirty = False
        self.retranslate()

    def retranslate(self) -> None:
        names = {"loss": self.tr("Loss"), "accuracy": self.tr("Accuracy")}
        for key, plot in self._plots.items():
            plot.setTitle(f"<span style='font-size:14pt; font-weight:bold; color:#000'>{names[key]}</span>")
            plot.setLabel("bottom", self.tr("epoch"), **{"font-size": "12pt", "color": "#000"})
            legend = plot.legend
            legend.clear()
            legend.addItem(self._items[key]["smooth"], self.tr("train"))
            legend.addItem(self._items[key]["val"], self.tr("validation"))
            if self.earlier:
                legend.addItem(self.earlier[-1][key], self.tr("earlier runs"))

    def _keep_as_earlier(self) -> None:
        """Draw the current run's smoothed training curves faded, behind the next run (the last few)."""
        run = {}
        for key in ("loss", "accuracy"):
            x, y = self.series[key].view()
            pen = pg.mkPen(QColor(120, 120, 120, 110), width=2)
            item = self._plots[key].plot(x.copy(), _ema(y) if len(y) else y.copy(), pen=pen)
            item.setZValue(-10)
            run[key] = item
        self.earlier.append(run)
        while len(self.earlier) > MAX_EARLIER_RUNS:
            for key, item in self.earlier.pop(0).items():
                self._plots[key].removeItem(item)
        self.retranslate()

    def reset_curves(self) -> None:
        """Start a new run: the current curves stay, faded, for comparison; the new ones start empty."""
        if self.series["loss"].n:
            self._keep_as_earlier()
        for k in self.series:
            self.series[k] = _Series()
        self.dirty = True
        self.refresh()
        for plot in self._plots.values():
            plot.setXRange(0, 1, padding=0.02)

    def add_batch(self, x: float, loss: float, accuracy: float) -> None:
        self.series["loss"].append(x, loss)
        self.series["accuracy"].append(x, accuracy)
        self.dirty = True

    def add_validation(self, x: float, loss: float, accuracy: float) -> None:
        self.series["val_loss"].append(x, loss)
        self.series["val_accuracy"].append(x, accuracy)
        self.dirty = True

    def point_counts(self) -> dict[str, int]:
        """How many points each curve holds (train per batch, validation per check)."""
        return {k: s.n for k, s in self.series.items()}

    def refresh(self) -> None:
        """Redraw if new points arrived since the last call."""
        if not self.dirty:
            return
        self.dirty = False
        for key in ("loss", "accuracy"):
            x, y = self.series[key].view()
            items = self._items[key]
            items["raw"].setData(x, y)
            items["smooth"].setData(x, _ema(y) if len(y) else y)
            vx, vy = self.series["val_" + key].view()
            items["val"].setData(vx, vy)
            if len(x):
                self._plots[key].setXRange(0, max(float(x[-1]), 1.0), padding=0.02)
            if key == "loss" and len(y):
                top = (
                    float(np.nanmax(np.concatenate([y[-200:], vy])))
                    if len(vy)
                    else float(np.nanmax(y[-200:]))
                )
                self._plots[key].setYRange(0, max(top, 1e-3) * 1.05, padding=0)


class ConfusionMatrixView(QWidget):
    """Rows: true class; columns: predicted class; cell shade: fraction of the row, with the count written
    in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cm: np.ndarray | None = None
        self._names: list[str] = []
        self.setMinimumSize(180, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_matrix(self, cm: np.ndarray | None, names: list[str]) -> None:
        self._cm = None if cm is None else np.asarray(cm)
        self._names = list(names)
        self.update()

    def matrix(self) -> np.ndarray | None:
        return self._cm

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fg = self.palette().color(self.foregroundRole())
        fm = self.fontMetrics()
        if self._cm is None:
            p.setPen(fg)
            p.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.tr("The confusion matrix appears after the first epoch."),
            )
            p.end()
            return
        cm = self._cm
        k = cm.shape[0]
        names = (self._names + [str(i) for i in range(len(self._names), k)])[:k]
        label_w = min(max(fm.horizontalAdvance(n) for n in names) + 8, 110)
        margin_top = fm.height() * 2 + 4
        margin_left = label_w + fm.height() + 6
        side = max(10.0, min(self.width() - margin_left - 4, self.height() - margin_top - 4) / k)
        rows = cm.sum(axis=1, keepdims=True).clip(min=1)
        frac = cm / rows
        p.setPen(fg)
        p.drawText(
            QRectF(margin_left, 0, side * k, fm.height()), Qt.AlignmentFlag.AlignCenter, self.tr("predicted")
        )
        p.save()
        p.translate(fm.height() - 2, margin_top + side * k / 2)
        p.rotate(-90)
        p.drawText(
            QRectF(-side * k / 2, -fm.height(), side * k, fm.height()),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("true"),
        )
        p.restore()
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, min(self.font().pointSizeF(), side * 0.32)))
        for j in range(k):
            p.setFont(small)
            p.setPen(fg)
            p.drawText(
                QRectF(margin_left + j * side, fm.height() + 2, side, fm.height()),
                Qt.AlignmentFlag.AlignCenter,
                fm.elidedText(names[j], Qt.TextElideMode.ElideRight, int(side)),
            )
        for i in range(k):
            p.setFont(small)
            p.setPen(fg)
            p.drawText(
                QRectF(fm.height() + 4, margin_top + i * side, label_w, side),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                names[i],
            )
            for j in range(k):
                f = float(frac[i, j])
                diag = i == j
                base = QColor(31, 95, 191) if diag else QColor(208, 64, 0)
                color = QColor(255, 255, 255)
                color.setRgbF(
                    1 - f * (1 - base.redF()), 1 - f * (1 - base.greenF()), 1 - f * (1 - base.blueF())
                )
                cell = QRectF(margin_left + j * side, margin_top + i * side, side, side)
                p.fillRect(cell, color)
                p.setPen(QPen(QColor("#c0c0c0"), 1))
                p.drawRect(cell)
                if cm[i, j]:
                    p.setPen(QColor("white") if f > 0.55 else QColor("black"))
                    p.drawText(cell, Qt.AlignmentFlag.AlignCenter, str(int(cm[i, j])))
        p.end()
