"""The Sweep page's plot: validation accuracy against each hyper-parameter the sweep varies (pyqtgraph).

One panel per parameter, laid out as :mod:`engine.sweep_axes` says (the same layout as the command line's
``--plot``): a dot per finished trial, the mean of each value joined by a line, the best trial ringed, failed
trials as grey crosses along the bottom. The axes come from the plan, so every value has its column before
any trial ends; hovering a dot names its trial, clicking it selects the trial in the table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from engine.sweep_axes import SweepAxis, category_means, finished_ok, jitter, sweep_axis, value_label
from gui.widgets.sweep_table import percent

__all__ = ["SweepPlots"]

#: panels per row at most, and the narrowest a panel may be (fewer columns when the plot is narrower)
COLUMNS = 3
PANEL_WIDTH = 230
#: a row of panels shorter than this shows no y label (it would not fit beside the axis)
MIN_LABEL_HEIGHT = 200
DOT, MEAN, FAILED, BEST = "#ff7f0e", "#262626", "#8c8c8c", "#2ca02c"


class SweepPlots(pg.GraphicsLayoutWidget):
    """See the module docstring. ``trialClicked(str)`` carries the key of a clicked dot."""

    trialClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.setMinimumHeight(180)
        self.names: list[str] = []
        self.labels: dict[str, str] = {}
        self.plots: dict[str, pg.PlotItem] = {}
        self.axes: dict[str, SweepAxis] = {}
        self._trials: list[Any] = []
        self._rows: list[dict[str, Any]] = []
        self._font = QFont()
        self._font.setPointSizeF(max(self._font.pointSizeF(), 9.0))
        self._ylabel = "validation accuracy"
        self._columns = 0  # panels per row as laid out now (0: not yet)

    def set_plan(
        self, trials: Sequence[Any], names: Sequence[str], labels: Mapping[str, str], ylabel: str
    ) -> None:
        """One panel for each of ``names`` (titled ``labels[name]``) over the values the ``trials`` take."""
        self._trials = list(trials)
        self.names = list(names)
        self.labels = dict(labels)
        self._ylabel = ylabel
        self._rows = []
        self.clear()
        self.plots.clear()
        self.axes = {}
        if not self._trials:
            return
        for name in self.names:
            values = [t.seed if name == "seed" else t.params[name] for t in self._trials]
            axis = self.axes[name] = sweep_axis(name, values)
            plot = pg.PlotItem()
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.showGrid(x=False, y=True, alpha=0.25)
            plot.setYRange(-0.04, 1.06, padding=0)
            for side in ("left", "bottom"):
                ax = plot.getAxis(side)
                ax.setTickFont(self._font)
                ax.setTextPen("k")
                ax.setPen("#444444")
            if axis.categorical:
                plot.getAxis("bottom").setTicks([axis.ticks])
                plot.setXRange(-0.6, len(axis.ticks) - 0.4, padding=0)
            else:
                plot.setLogMode(x=axis.log, y=False)
            self.plots[name] = plot
        self._columns = 0
        self._arrange()

    def retranslate_labels(self, labels: Mapping[str, str], ylabel: str) -> None:
        """New panel titles (a language change) and y-axis ticks in the language's number format."""
        self.labels, self._ylabel = dict(labels), ylabel
        for name, plot in self.plots.items():
            plot.setTitle(self.labels.get(name, name), color="k", size=f"{self._font.pointSizeF() + 1:g}pt")
            plot.getAxis("left").setTicks([[(v / 5, percent(v / 5, 0)) for v in range(6)]])
        self._label_rows()

    def _label_rows(self) -> None:
        """The y label on the first panel of each row, when a row is tall enough to hold it (a narrow plot
        stacks its panels: then the ticks in % say it alone)."""
        columns = max(self._columns, 1)
        rows = -(-len(self.plots) // columns)
        tall = self.height() / max(rows, 1) >= MIN_LABEL_HEIGHT
        for i, plot in enumerate(self.plots.values()):
            shown = self._ylabel if tall and i % columns == 0 else ""
            if plot.getAxis("left").labelText != shown:
                plot.setLabel("left", shown, color="#333333")

    def columns_for(self, width: int) -> int:
        """Panels per row in ``width`` pixels: :data:`COLUMNS` at most, each at least :data:`PANEL_WIDTH`."""
        return max(1, min(COLUMNS, len(self.plots), width // PANEL_WIDTH))

    def _arrange(self) -> None:
        """Lay the panels out in as many columns as the width holds (the y label on the first of each row)."""
        columns = self.columns_for(self.width())
        if columns == self._columns or not self.plots:
            return
        self._columns = columns
        for plot in self.plots.values():
            if plot.scene() is not None:
                self.ci.removeItem(plot)
        for i, plot in enumerate(self.plots.values()):
            plot.getAxis("left").setWidth(62 if i % columns == 0 else 44)
            self.ci.addItem(plot, row=i // columns, col=i % columns)
        self.retranslate_labels(self.labels, self._ylabel)
        # the view sized its grid before the panels moved (a grid of more columns is wider at least): again
        self.ci.setGeometry(self.range)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if hasattr(self, "_columns"):  # pyqtgraph resizes the view while it is being built
            self._arrange()
            self._label_rows()

    def set_rows(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Draw the finished trials (typed result rows of the plan's trials) in every panel."""
        self._rows = [dict(r) for r in rows]
        order = {t.key: i for i, t in enumerate(self._trials)}
        known = [r for r in self._rows if r["key"] in order]
        known.sort(key=lambda r: order[r["key"]])
        good = [r for r in known if finished_ok(r)]
        best = max(good, key=lambda r: float(r["val_accuracy"]))["key"] if good else None
        for name, plot in self.plots.items():
            plot.clear()
            self._draw(plot, self.axes[name], name, known, order, best)

    def _draw(
        self,
        plot: pg.PlotItem,
        axis: SweepAxis,
        name: str,
        rows: Sequence[Mapping[str, Any]],
        order: Mapping[str, int],
        best: str | None,
    ) -> None:
        seen: dict[float, int] = {}
        xs, ys, keys, tips, failed_x, failed_keys = [], [], [], [], [], []
        means_x, means_y = [], []
        best_at: tuple[float, float] | None = None
        for row in rows:
            x = axis.positions[order[row["key"]]]
            k = seen[x] = seen.get(x, -1) + 1
            shown = x + jitter(k) if axis.categorical else x
            if finished_ok(row):
                acc = float(row["val_accuracy"])
                xs.append(shown)
                ys.append(acc)
                keys.append(row["key"])
                tips.append(self._tip(row, acc))
                means_x.append(x)
                means_y.append(acc)
                if row["key"] == best:
                    best_at = (shown, acc)
            else:
                failed_x.append(shown)
                failed_keys.append(row["key"])
        if axis.categorical and means_x:
            means = category_means(means_x, means_y)
            plot.plot(
                [m[0] for m in means], [m[1] for m in means], pen=pg.mkPen(MEAN, width=2), symbol="s",
                symbolSize=9, symbolBrush="w", symbolPen=pg.mkPen(MEAN, width=1.5),
            )  # fmt: skip
        to_x = np.log10 if axis.log else np.asarray
        if xs:
            tip_of = dict(zip(keys, tips, strict=True))
            dots = pg.ScatterPlotItem(
                x=to_x(np.asarray(xs, float)), y=np.asarray(ys, float), data=keys, size=9,
                brush=pg.mkBrush(DOT), pen=pg.mkPen("w", width=0.8), hoverable=True,
                hoverBrush=pg.mkBrush("#c65a00"), tip=lambda x, y, data: tip_of.get(data, ""),
            )  # fmt: skip
            dots.sigClicked.connect(self._clicked)
            plot.addItem(dots)
        if failed_x:
            crosses = pg.ScatterPlotItem(
                x=to_x(np.asarray(failed_x, float)), y=np.zeros(len(failed_x)), data=failed_keys,
                symbol="x", size=10, brush=pg.mkBrush(FAILED), pen=pg.mkPen(FAILED),
            )  # fmt: skip
            crosses.sigClicked.connect(self._clicked)
            plot.addItem(crosses)
        if best_at is not None:
            ring = pg.ScatterPlotItem(
                x=to_x(np.asarray([best_at[0]])), y=[best_at[1]], size=18, brush=pg.mkBrush(None),
                pen=pg.mkPen(BEST, width=2.5),
            )  # fmt: skip
            plot.addItem(ring)
        plot.setYRange(-0.04, 1.06, padding=0)

    def _tip(self, row: Mapping[str, Any], acc: float) -> str:
        shown = ", ".join(f"{self.labels.get(n, n)} {value_label(row[n])}" for n in self.names)
        return f"{shown}: {percent(acc)}"

    def _clicked(self, _item: Any, points: Any, *_: Any) -> None:
        if len(points):
            self.trialClicked.emit(str(points[0].data()))

    # ------------------------------------------------------------------------------------------- tests
    def drawn(self, name: str) -> dict[str, Any]:
        """What the panel of ``name`` shows: ``dots`` ``[(x, y, key)]``, ``failed`` ``[(x, key)]``, ``means``
        ``[(x, y)]``, ``best`` ``(x, y)`` or None (x in the axis' units, as :mod:`engine.sweep_axes`)."""
        plot = self.plots[name]
        out: dict[str, Any] = {"dots": [], "failed": [], "means": [], "best": None}
        log = self.axes[name].log
        for item in list(plot.items):
            if isinstance(item, pg.ScatterPlotItem):
                pts = item.points()
                xs = [10 ** p.pos().x() if log else p.pos().x() for p in pts]
                if item.opts["symbol"] == "x":
                    out["failed"] += [(x, p.data()) for x, p in zip(xs, pts, strict=True)]
                elif len(pts) and pts[0].data() is None:
                    out["best"] = (xs[0], pts[0].pos().y())
                else:
                    out["dots"] += [(x, p.pos().y(), p.data()) for x, p in zip(xs, pts, strict=True)]
            elif isinstance(item, pg.PlotDataItem):
                x, y = item.getData()
                out["means"] = list(zip(np.asarray(x).tolist(), np.asarray(y).tolist(), strict=True))
        return out
