"""What each layer detects: per channel of a conv layer, its filter and the nine validation patches that
excite it most, cropped to the layer's receptive field, which grows layer after layer (lines, then parts, then
objects)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui.models.hierarchy import LayerPatches, layer_top_patches
from gui.widgets.net_maps import bold_font, diverging_rgb
from gui.widgets.net_view import NetView

__all__ = ["HierarchyView", "PatchRows"]

MAX_SLICES = 16  # filter slices drawn per channel
OUTSIDE = (70, 96, 150)  # colour of the part of a field outside the image (padding)


def _patch_image(crop: np.ndarray) -> QImage:
    """``crop (h, w, C)`` in [0, 1], NaN outside the image, as an RGB QImage (grey for one channel)."""
    outside = np.isnan(crop).any(axis=2)
    a = np.nan_to_num(crop)
    rgb = np.repeat(a[..., :1], 3, axis=2) if a.shape[2] != 3 else a
    rgb = (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)
    rgb[outside] = OUTSIDE
    rgb = np.ascontiguousarray(rgb)
    h, w, _ = rgb.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def _filter_images(filt: np.ndarray) -> list[QImage]:
    """One signed image per input slice of ``filt (KH, KW, C_in)`` (an RGB image for 3 colour inputs)."""
    if filt.shape[2] == 3:
        lo, hi = float(filt.min()), float(filt.max())
        rgb = ((filt - lo) / max(hi - lo, 1e-12) * 255 + 0.5).astype(np.uint8)
        rgb = np.ascontiguousarray(rgb)
        h, w, _ = rgb.shape
        return [QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()]
    vmax = float(np.abs(filt).max()) or 1.0
    out = []
    for c in range(min(filt.shape[2], MAX_SLICES)):
        rgb = np.ascontiguousarray(diverging_rgb(filt[:, :, c], vmax))
        h, w, _ = rgb.shape
        out.append(QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy())
    return out


class PatchRows(QWidget):
    """One row per channel: its number, its filter, its nine strongest patches with their activation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: LayerPatches | None = None
        self._rows: list[tuple[list[QImage], list[QImage]]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_data(self, data: LayerPatches | None) -> None:
        self.data = data
        self._rows = []
        if data is not None:
            for ch in data.channels:
                self._rows.append((_filter_images(ch.filter), [_patch_image(c) for c in ch.crops]))
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def _tile(self) -> int:
        return 52

    def _row_h(self) -> int:
        return self._tile() + self.fontMetrics().height() + 10

    def sizeHint(self) -> QSize:
        return QSize(700, max(1, len(self._rows)) * self._row_h() + 4)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        fm = self.fontMetrics()
        fg = self.palette().color(self.foregroundRole())
        tile = self._tile()
        label_w = fm.horizontalAdvance("00") + 8
        filt_w = tile + 8
        visible = event.rect()
        for n, (filters, patches) in enumerate(self._rows):
            y = n * self._row_h() + 2
            if y > visible.bottom() or y + self._row_h() < visible.top():
                continue
            if n % 2 == 0:
                p.fillRect(QRectF(0, y - 2, self.width(), self._row_h()), QColor(0, 0, 0, 12))
            p.setPen(fg)
            p.setFont(bold_font(self))
            p.drawText(
                QRectF(0, y, label_w - 4, tile),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(n),
            )
            p.setFont(self.font())
            # the filter: one slice per input channel, in a small square grid
            k = len(filters)
            side = int(np.ceil(np.sqrt(k)))
            cell = tile / side
            for s, img in enumerate(filters):
                r, c = divmod(s, side)
                p.drawImage(QRectF(label_w + c * cell, y + r * cell, cell - 1, cell - 1), img)
            p.setPen(QPen(QColor("#909090"), 1))
            p.drawRect(QRectF(label_w, y, tile, tile))
            assert self.data is not None
            acts = self.data.channels[n].patches
            if not acts or acts[0].activation <= 0:
                p.setPen(QColor("#707070"))
                p.drawText(
                    QRectF(label_w + filt_w + 8, y, self.width() - label_w - filt_w - 8, tile),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                    self.tr(
                        "Never active on these images: after ReLU this channel is 0 everywhere (a dead "
                        "filter)."
                    ),
                )
                continue
            for m, img in enumerate(patches):
                x = label_w + filt_w + 8 + m * (tile + 6)
                if x + tile > self.width():
                    break
                rect = QRectF(x, y, tile, tile)
                p.drawImage(rect, img)
                p.setPen(QPen(QColor("#909090"), 1))
                p.drawRect(rect)
                p.setPen(fg)
                p.drawText(
                    QRectF(x - 3, y + tile + 1, tile + 6, fm.height()),
                    Qt.AlignmentFlag.AlignHCenter,
                    f"{acts[m].activation:.2g}",
                )
        p.end()


class HierarchyView(NetView):
    """See the module docstring. One conv layer at a time (buttons show how the field grows)."""

    key = "hierarchy"
    needs_training = True
    heavy = True

    def __init__(self, host: Any, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.data: LayerPatches | None = None
        self.layers: list[tuple[int, str, str]] = []  # (leaf index, name, field text)
        self.current: int | None = None  # leaf index shown
        self.title = QLabel()
        self.title.setFont(bold_font(self, 1.15))
        self.title.setWordWrap(True)
        self.claim = QLabel()
        self.claim.setWordWrap(True)
        self.buttons_row = QHBoxLayout()
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.rows = PatchRows()
        scroll = QScrollArea()
        scroll.setWidget(self.rows)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.claim)
        lay.addLayout(self.buttons_row)
        lay.addWidget(self.info)
        lay.addWidget(scroll, 1)
        self.retranslate()

    def set_layers(self, layers: list[tuple[int, str, str]]) -> None:
        """The model's conv layers: ``(leaf index, name, receptive field as text)``."""
        for b in self._group.buttons():
            self._group.removeButton(b)
            self.buttons_row.removeWidget(b)
            b.deleteLater()
        while self.buttons_row.count():
            self.buttons_row.takeAt(0)
        self.layers = list(layers)
        names = [n for _, n, _ in layers]
        wanted = getattr(self, "_wanted", None)
        if wanted in names:
            self.current = layers[names.index(wanted)][0]
        else:  # a new architecture: its deepest conv layer, where the patches are largest
            self.current = layers[-1][0] if layers else None
        for index, name, field in layers:
            b = QPushButton(f"{name} · {field}")
            b.setCheckable(True)
            b.setChecked(index == self.current)
            b.clicked.connect(lambda _c=False, i=index: self.select_layer(i))
            self._group.addButton(b)
            self.buttons_row.addWidget(b)
        self.buttons_row.addStretch(1)
        if not layers:
            self.data = None
            self.rows.set_data(None)
        self._texts()

    def select_layer(self, index: int) -> None:
        if index != self.current:
            self.current = index
            self._wanted = next((n for i, n, _ in self.layers if i == index), None)
            for b, (i, _, _) in zip(self._group.buttons(), self.layers, strict=False):
                b.setChecked(i == index)
            self.invalidate()

    def job(self) -> Callable[[], Any] | None:
        s = self.host.session
        model, data = s.model, s.data
        if model is None or data is None or self.current is None or s.info is None:
            return None
        if tuple(data.input_shape) != tuple(s.info.input_shape):
            return None
        index, images = self.current, data.x_val
        return lambda: layer_top_patches(model, images, index, k=9)

    def show_result(self, result: LayerPatches) -> None:
        self.data = result
        self.rows.set_data(result)
        self._texts()

    def _texts(self) -> None:
        d = self.data
        if not self.layers:
            self.info.setText(self.tr("This network has no conv layer: nothing here detects shapes."))
            return
        if d is None:
            self.info.setText("")
            return
        f = d.field
        self.info.setText(
            self.tr(
                "<b>{name}</b>: one cell sees <b>{h}x{w}</b> pixels of the input (neighbouring cells start "
                "{j} px apart). Each row: a channel's filter (blue: negative, red: positive weights; one "
                "square per input channel), then the 9 patches of the {n} validation images that excite it "
                "most, with the activation; blue-grey: outside the image."
            ).format(name=d.name, h=f.size_h, w=f.size_w, j=f.jump_h, n=d.n_images)
        )

    def state(self) -> dict:
        name = next((n for i, n, _ in self.layers if i == self.current), "")
        return {"layer": name}

    def restore_state(self, state: dict) -> None:
        name = state.get("layer")
        if isinstance(name, str) and name:
            self._wanted = name
            match = [i for i, n, _ in self.layers if n == name]
            if match:
                self.select_layer(match[0])

    def retranslate(self) -> None:
        self.title.setText(self.tr("What each layer detects: lines, then parts, then objects"))
        self.claim.setText(
            self.tr(
                "The lesson: the first conv layer detects simple shapes (lines, curves), the next ones "
                "combinations of them. The filters stay small, but each layer sees a larger part of the "
                "image: compare the patch sizes from one layer to the next."
            )
        )
        self._texts()
