"""What the network looks at: saliency, Grad-CAM and occlusion side by side, laid over the current image (or
drawing), for the predicted class or the class clicked in the probability bars."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.models.look import LookResult, look
from gui.widgets.net_maps import bold_font
from gui.widgets.net_view import NetView

__all__ = ["HeatOverlay", "LookView"]


def _heat_rgba(values: np.ndarray, signed: bool, alpha: float) -> np.ndarray:
    """``values (H, W)`` as ``(H, W, 4)`` uint8: red-yellow heat (or red > 0 > blue when ``signed``),
    opacity growing with the magnitude."""
    v = np.nan_to_num(np.asarray(values, np.float64))
    m = float(np.abs(v).max())
    t = v / m if m > 0 else np.zeros_like(v)
    rgba = np.zeros((*v.shape, 4), np.float64)
    pos = np.clip(t, 0, 1)
    rgba[..., 0] = 255
    rgba[..., 1] = 220 * pos**2
    rgba[..., 2] = 0
    if signed:
        neg = np.clip(-t, 0, 1)
        blue = neg > pos
        rgba[blue, 0], rgba[blue, 1], rgba[blue, 2] = 40, 110, 255
    a = np.abs(t)
    rgba[..., 3] = 255 * alpha * np.clip(a * 1.3, 0, 1)
    return np.ascontiguousarray(np.clip(rgba, 0, 255).astype(np.uint8))


class HeatOverlay(QWidget):
    """The image in grey with a heat map over it (pixel-exact, scaled to the widget)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base: QImage | None = None
        self._heat: QImage | None = None
        self.values: np.ndarray | None = None
        self.setMinimumSize(150, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, image: np.ndarray, values: np.ndarray | None, signed: bool, alpha: float) -> None:
        grey = image.mean(axis=2) if image.shape[-1] != 1 else image[..., 0]
        rgb = np.repeat((np.clip(grey, 0, 1) * 255 * 0.8 + 0.5).astype(np.uint8)[..., None], 3, axis=2)
        rgb = np.ascontiguousarray(rgb)
        h, w, _ = rgb.shape
        self._base = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        self.values = values
        if values is None:
            self._heat = None
        else:
            rgba = _heat_rgba(values, signed, alpha)
            self._heat = QImage(rgba.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()
        self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def sizeHint(self) -> QSize:
        return QSize(220, 220)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#202020"))
        if self._base is not None:
            side = min(self.width(), self.height())
            w, h = self._base.width(), self._base.height()
            scale = side / max(w, h)
            rect = QRectF(
                (self.width() - w * scale) / 2, (self.height() - h * scale) / 2, w * scale, h * scale
            )
            p.drawImage(rect, self._base)
            if self._heat is not None:
                p.drawImage(rect, self._heat)
        p.end()


class LookView(NetView):
    """See the module docstring. The result of the last computation is :attr:`result`."""

    key = "saliency"
    needs_training = True
    heavy = True

    def __init__(self, host: Any, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.result: LookResult | None = None
        self._image: np.ndarray | None = None
        self.title = QLabel()
        self.title.setFont(bold_font(self, 1.15))
        self.title.setWordWrap(True)
        self.claim = QLabel()
        self.claim.setWordWrap(True)
        self.target = QLabel()
        self.target.setWordWrap(True)
        self.predicted_btn = QPushButton()
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(70)
        self.layer = QComboBox()
        self.layer.setMinimumContentsLength(8)
        self.layer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.patch = QSpinBox()
        self.patch.setRange(1, 14)
        self.patch.setValue(4)
        self.stride = QSpinBox()
        self.stride.setRange(1, 14)
        self.stride.setValue(2)
        self.panels = {k: HeatOverlay() for k in ("saliency", "gradcam", "occlusion")}
        self.heads = {k: QLabel() for k in self.panels}
        self.notes = {k: QLabel() for k in self.panels}
        self._l_opacity, self._l_layer, self._l_patch, self._l_stride = QLabel(), QLabel(), QLabel(), QLabel()
        # each method's own settings sit under its title
        own: dict[str, QHBoxLayout] = {k: QHBoxLayout() for k in self.panels}
        own["gradcam"].addWidget(self._l_layer)
        own["gradcam"].addWidget(self.layer, 1)
        for w in (self._l_patch, self.patch, self._l_stride, self.stride):
            own["occlusion"].addWidget(w)
        own["occlusion"].addStretch(1)
        grid = QGridLayout()
        for col, key in enumerate(self.panels):
            self.heads[key].setFont(bold_font(self))
            self.heads[key].setWordWrap(True)
            self.notes[key].setWordWrap(True)
            self.notes[key].setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(self.heads[key], 0, col)
            grid.addLayout(own[key], 1, col)
            grid.addWidget(self.panels[key], 2, col)
            grid.addWidget(self.notes[key], 3, col)
            grid.setColumnStretch(col, 1)
        grid.setRowStretch(2, 1)
        grid.setRowMinimumHeight(1, self.layer.sizeHint().height())
        top = QHBoxLayout()
        top.addWidget(self.target, 1)
        top.addWidget(self._l_opacity)
        top.addWidget(self.opacity)
        top.addWidget(self.predicted_btn)
        self.opacity.setFixedWidth(110)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.claim)
        lay.addLayout(top)
        lay.addLayout(grid, 1)
        self.opacity.valueChanged.connect(self._redraw)
        self.layer.currentIndexChanged.connect(lambda _i: self.invalidate())
        self.patch.valueChanged.connect(lambda _v: self.invalidate())
        self.stride.valueChanged.connect(lambda _v: self.invalidate())
        self.retranslate()

    # -------------------------------------------------------------------------------------------- model
    def set_conv_layers(self, names: list[str]) -> None:
        """The conv layers Grad-CAM can use; the default entry is the last one."""
        keep = getattr(self, "_pending_layer", "") or self.layer.currentData()
        self._pending_layer = ""
        self.layer.blockSignals(True)
        self.layer.clear()
        self.layer.addItem("", "")
        for name in names:
            self.layer.addItem(name, name)
        index = self.layer.findData(keep)
        self.layer.setCurrentIndex(max(index, 0))
        self.layer.blockSignals(False)
        self._conv_names = list(names)
        self._label_default()

    def _label_default(self) -> None:
        names = getattr(self, "_conv_names", [])
        last = names[-1] if names else "-"
        self.layer.setItemText(0, self.tr("last conv ({name})").format(name=last))

    def job(self) -> Callable[[], Any] | None:
        s = self.host.session
        model, image = s.model, self.host.current_image()
        if model is None or image is None or s.info is None or image.shape != tuple(s.info.input_shape):
            return None
        target = self.host.target_class()
        layer = self.layer.currentData() or None
        patch = min(self.patch.value(), image.shape[0], image.shape[1])
        stride = self.stride.value()
        self._image = image
        return lambda: look(model, image, target, layer, patch, stride)

    def show_result(self, result: LookResult) -> None:
        self.result = result
        self._redraw()

    def show_failure(self, message: str) -> None:
        self.result = None
        self.target.setText(f"<span style='color:#c00000'>{message}</span>")

    def _redraw(self) -> None:
        r, image = self.result, self._image
        if r is None or image is None:
            return
        alpha = self.opacity.value() / 100
        self.panels["saliency"].set_data(image, r.saliency, False, alpha)
        self.panels["gradcam"].set_data(image, r.grad_cam_image, False, alpha)
        self.panels["occlusion"].set_data(image, r.occlusion_image, True, alpha)
        self._texts()

    def _texts(self) -> None:
        r = self.result
        if r is None:
            return
        names = self.host.class_names()
        name = names[r.class_index] if r.class_index < len(names) else str(r.class_index)
        pred = names[r.predicted] if r.predicted < len(names) else str(r.predicted)
        p = float(r.probabilities[r.class_index])
        if r.class_index == r.predicted:
            self.target.setText(
                self.tr("Explaining class <b>{c}</b>, the predicted class ({p:.0%}).").format(c=name, p=p)
            )
        else:
            self.target.setText(
                self.tr(
                    "Explaining class <b>{c}</b> ({p:.0%}), your choice; the network predicts {q}."
                ).format(c=name, p=p, q=pred)
            )
        self.predicted_btn.setEnabled(self.host.target_class() is not None)
        self.notes["saliency"].setText(
            self.tr(
                "Bright where changing a pixel would change the score of {c} most (largest: {m:.3g})."
            ).format(c=name, m=float(r.saliency.max()))
        )
        h, w = r.grad_cam.shape
        if r.grad_cam_empty:
            self.notes["gradcam"].setText(
                self.tr(
                    "<b>Empty:</b> at {layer} ({h}x{w}) no region speaks for {c}: the maps weighted by their "
                    "mean gradient sum to less than zero everywhere. Behind Flatten every position has its "
                    "own weights, so the averaged gradients are often negative; try an earlier conv layer "
                    "or the lesson's network (its last conv is 7x7)."
                ).format(layer=r.gradcam_layer, h=h, w=w, c=name)
            )
        else:
            self.notes["gradcam"].setText(
                self.tr(
                    "The maps of {layer} ({h}x{w}) weighted by how much they raise the score of {c}, "
                    "enlarged to the image."
                ).format(layer=r.gradcam_layer, h=h, w=w, c=name)
            )
        worst = float(r.occlusion.max())
        self.notes["occlusion"].setText(
            self.tr(
                "Red: hiding a {k}x{k} square there lowers p({c}) (by up to {d:.0%}); blue: hiding it raises "
                "p({c})."
            ).format(k=r.patch, c=name, d=max(worst, 0.0))
        )

    def state(self) -> dict:
        return {
            "opacity": self.opacity.value(),
            "gradcam_layer": self.layer.currentData() or "",
            "patch": self.patch.value(),
            "stride": self.stride.value(),
        }

    def restore_state(self, state: dict) -> None:
        if isinstance(state.get("opacity"), int):
            self.opacity.setValue(state["opacity"])
        if isinstance(state.get("patch"), int):
            self.patch.setValue(state["patch"])
        if isinstance(state.get("stride"), int):
            self.stride.setValue(state["stride"])
        layer = state.get("gradcam_layer")
        if isinstance(layer, str):
            index = self.layer.findData(layer)
            if index >= 0:
                self.layer.setCurrentIndex(index)
            else:
                self._pending_layer = layer

    def retranslate(self) -> None:
        self.title.setText(self.tr("What the network looks at"))
        self.claim.setText(
            self.tr(
                "Three ways to ask which pixels drove the answer: the gradient of the class score "
                "(saliency), the last conv layer's maps weighted by that gradient (Grad-CAM), and hiding "
                "one square at a time (occlusion). Click a class in the probability bars to explain it."
            )
        )
        self.predicted_btn.setText(self.tr("Back to the predicted class"))
        self.heads["saliency"].setText(self.tr("Saliency (gradient)"))
        self.heads["gradcam"].setText(self.tr("Grad-CAM"))
        self.heads["occlusion"].setText(self.tr("Occlusion"))
        self._l_opacity.setText(self.tr("Opacity"))
        self._l_layer.setText(self.tr("Layer"))
        self._l_patch.setText(self.tr("Square"))
        self.patch.setToolTip(self.tr("Side of the square hidden at each position"))
        self.stride.setToolTip(self.tr("Distance between two positions of the square"))
        self._l_stride.setText(self.tr("every"))
        self.patch.setSuffix(self.tr(" px"))
        self.stride.setSuffix(self.tr(" px"))
        self._label_default()
        self._texts()
