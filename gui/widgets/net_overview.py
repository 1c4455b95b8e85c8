"""The network overview: every layer as a column of small maps, input on the left, classes on the right.

Hover a cell to see every cell it depends on, in each earlier layer down to the input pixels (the geometry of
:mod:`gui.models.overview`, from :func:`engine.explain.receptive_box`); click it for its arithmetic. Colours:
blue < 0 < red, scaled per layer or with one scale for the whole network, with a legend.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gui.models.network import LayerOutput, layer_outputs
from gui.models.overview import DependencyGeometry, dependency_geometry
from gui.widgets.net_maps import bold_font
from gui.widgets.net_overview_canvas import ColourLegend, OverviewCanvas
from gui.widgets.net_view import NetView

__all__ = ["OverviewView"]


class OverviewView(NetView):
    """The canvas with its colour-scale switch, legend and the line that explains the hovered cell."""

    key = "overview"

    cellClicked = Signal(int, int, int, int)

    def __init__(self, host: Any, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self._geometry_for: Any = None
        self._demo = False  # hover one cell once the columns are drawn (screenshots)
        self._geometry: DependencyGeometry | None = None
        self.outputs: list[LayerOutput] = []
        self.title = QLabel()
        self.title.setFont(bold_font(self, 1.15))
        self.title.setWordWrap(True)
        self.claim = QLabel()
        self.claim.setWordWrap(True)
        self.canvas = OverviewCanvas()
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.canvas)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.per_layer, self.one_scale = QRadioButton(), QRadioButton()
        self.per_layer.setChecked(True)
        self._group = QButtonGroup(self)
        self._group.addButton(self.per_layer)
        self._group.addButton(self.one_scale)
        self.per_layer.toggled.connect(self._scale_changed)
        self.legend = ColourLegend()
        self._l_scale = QLabel()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setMinimumHeight(self.fontMetrics().height() * 3 + 6)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout()
        row.addWidget(self._l_scale)
        row.addWidget(self.per_layer)
        row.addWidget(self.one_scale)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.claim)
        lay.addLayout(row)
        lay.addWidget(self.legend)
        lay.addWidget(self.scroll_area, 1)
        lay.addWidget(self.info)
        self.scroll_area.viewport().installEventFilter(self)
        self.canvas.cellHovered.connect(self._describe)
        self.canvas.cellClicked.connect(self.cellClicked.emit)
        self.retranslate()

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self.canvas.fit_width(event.size().width())
        return False

    def job(self) -> Callable[[], Any] | None:
        s = self.host.session
        model, image = s.model, self.host.current_image()
        if model is None or image is None or s.info is None or image.shape != tuple(s.info.input_shape):
            return None
        need_geometry = self._geometry_for is not model

        def work() -> tuple[list[LayerOutput], DependencyGeometry | None, Any, np.ndarray]:
            geo = dependency_geometry(model) if need_geometry else None
            return layer_outputs(model, image), geo, model, image

        return work

    def show_result(self, result: Any) -> None:
        outputs, geo, model, image = result
        if geo is not None:
            self._geometry, self._geometry_for = geo, model
        self.outputs = outputs
        self.canvas.set_data(outputs, image, self.host.class_names(), self._geometry)
        self._update_legend()
        if self._demo:
            self._demo = False
            self._hover_demo_cell()
        self._describe(*(self.canvas.hovered or (-2, 0, 0, 0)))

    def hover_demo(self) -> None:
        """Hover the middle cell of the deepest map layer (now, or as soon as the columns are drawn): what a
        screenshot of the overview shows."""
        if self.canvas.columns and self.is_ready():
            self._hover_demo_cell()
        else:
            self._demo = True

    def _hover_demo_cell(self) -> None:
        maps = [c for c in self.canvas.columns if c.kind == "maps" and c.layer >= 0]
        if maps:
            deepest = maps[-1]
            h, w = deepest.values.shape[:2]
            self.canvas.hover_cell((deepest.layer, 0, h // 2, w // 2))

    def _scale_changed(self) -> None:
        self.canvas.set_scale_mode("layer" if self.per_layer.isChecked() else "all")
        self._update_legend()

    def _update_legend(self) -> None:
        self.legend.set_range(None if self.canvas.scale_mode == "layer" else self.canvas.global_vmax())

    def _layer_name(self, k: int) -> str:
        return self.tr("the input") if k < 0 else self.outputs[k].name

    def _describe(self, layer: int, channel: int, i: int, j: int) -> None:
        if layer < -1 or not self.outputs:
            self.info.setText(
                self.tr(
                    "Hover a cell to light up every cell it depends on, down to the input pixels; click "
                    "it to see its arithmetic."
                )
            )
            return
        c = self.canvas.column(layer)
        if c is None:
            return
        if c.kind == "maps":
            value = float(c.values[i, j, channel])
            head = self.tr("{name}, map {c}, cell ({i}, {j}) = {v:.3g}").format(
                name=self._layer_name(layer), c=channel, i=i, j=j, v=value
            )
        else:
            value = float(c.values[channel])
            head = self.tr("{name}, value {k} = {v:.3g}").format(
                name=self._layer_name(layer), k=channel, v=value
            )
        parts = []
        for dep in self.canvas.highlight:
            t, le, b, r = dep.box
            col = self.canvas.column(dep.layer)
            if col is not None and col.kind == "maps":
                n = col.values.shape[2] if dep.channels is None else len(dep.channels)
                maps = (
                    self.tr("all {n} maps").format(n=n)
                    if dep.channels is None
                    else self.tr("map {c}").format(c=next(iter(dep.channels)))
                    if n == 1
                    else self.tr("{n} maps").format(n=n)
                )
                if dep.layer < 0:
                    parts.append(
                        self.tr("input pixels rows {t}-{b}, columns {l}-{r} ({h}x{w})").format(
                            t=t, b=b - 1, l=le, r=r - 1, h=b - t, w=r - le
                        )
                    )
                else:
                    parts.append(
                        self.tr("{name}: {h}x{w} cells of {maps}").format(
                            name=self._layer_name(dep.layer), h=b - t, w=r - le, maps=maps
                        )
                    )
            else:
                parts.append(self.tr("{name}: {n} values").format(name=self._layer_name(dep.layer), n=r - le))
        text = head + " " + self.tr("depends on") + " " + "; ".join(parts) + "." if parts else head + "."
        self.info.setText(text + " " + self.tr("Click for the arithmetic."))

    def state(self) -> dict:
        return {"scale": self.canvas.scale_mode}

    def restore_state(self, state: dict) -> None:
        if state.get("scale") in ("layer", "all"):
            (self.per_layer if state["scale"] == "layer" else self.one_scale).setChecked(True)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Network overview: the convolutional base, then the dense head"))
        self.claim.setText(
            self.tr(
                "Each column is a layer, from the input image (left) to the class scores (right): the "
                "maps shrink through pooling while their number grows, then Flatten (or a global pooling) "
                "hands a vector to the dense layers that classify."
            )
        )
        self._l_scale.setText(self.tr("Colours:"))
        self.per_layer.setText(self.tr("one scale per layer"))
        self.one_scale.setText(self.tr("one scale for all"))
        self.legend.update()
        self._describe(*(self.canvas.hovered or (-2, 0, 0, 0)))
