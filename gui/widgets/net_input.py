"""The Network tab's left column, always in view: the current image, where it comes from, and the network's
answer for it (probability bars with the softmax written out)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.widgets.net_maps import to_qimage
from gui.widgets.net_softmax import SoftmaxPanel

__all__ = ["ImageTile", "InputPanel"]


class ImageTile(QWidget):
    """An image drawn pixel-exact (no smoothing) in a square of ``side`` pixels."""

    def __init__(self, side: int = 140, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._img: QImage | None = None
        self.setFixedSize(side, side)

    def set_array(self, image: np.ndarray | None) -> None:
        """``image (H, W, C)`` in [0, 1] (grey for one channel), or None."""
        if image is None:
            self._img = None
        else:
            self._img = to_qimage(image[..., 0] if image.shape[-1] == 1 else image, vmin=0, vmax=1)
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#202020"))
        if self._img is not None:
            w, h = self._img.width(), self._img.height()
            scale = min(self.width() / w, self.height() / h)
            dw, dh = int(w * scale), int(h * scale)
            p.drawImage(QRect((self.width() - dw) // 2, (self.height() - dh) // 2, dw, dh), self._img)
        p.end()


class InputPanel(QWidget):
    """Widgets only; :class:`gui.tabs.network.NetworkTab` connects them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tile = ImageTile(140)
        self.image_index = QSpinBox()
        self.image_index.setRange(0, 0)
        self.open_image_btn, self.draw_btn = QPushButton(), QPushButton()
        self.image_info = QLabel()
        self.image_info.setWordWrap(True)
        self.image_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.softmax = SoftmaxPanel()
        self.arithmetic = QCheckBox()
        self.arithmetic.setChecked(True)
        self.arithmetic.toggled.connect(self.softmax.set_arithmetic)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #606060;")

        self.input_box = QGroupBox()
        top = QHBoxLayout()
        top.addWidget(self.tile, 0, Qt.AlignmentFlag.AlignTop)
        side = QVBoxLayout()
        self._l_index = QLabel()
        side.addWidget(self._l_index)
        side.addWidget(self.image_index)
        side.addWidget(self.open_image_btn)
        side.addWidget(self.draw_btn)
        side.addStretch(1)
        top.addLayout(side, 1)
        box_lay = QVBoxLayout(self.input_box)
        box_lay.addLayout(top)
        box_lay.addWidget(self.image_info)

        self.answer_box = QGroupBox()
        ans = QVBoxLayout(self.answer_box)
        ans.addWidget(self.arithmetic)
        ans.addWidget(self.softmax)
        ans.addWidget(self.hint)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.input_box)
        lay.addWidget(self.answer_box)
        lay.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.retranslate()

    def retranslate(self) -> None:
        self.input_box.setTitle(self.tr("Input"))
        self._l_index.setText(self.tr("Validation image"))
        self.open_image_btn.setText(self.tr("Open image..."))
        self.draw_btn.setText(self.tr("Draw..."))
        self.answer_box.setTitle(self.tr("The network's answer (softmax)"))
        self.arithmetic.setText(self.tr("Show the arithmetic"))
        self.arithmetic.setToolTip(
            self.tr(
                "The last layer gives one score per class (the logits z). Softmax turns them into "
                "probabilities: exp(z) of each, divided by their sum, so that they add up to 100 %."
            )
        )
        self.hint.setText(self.tr("Click a class to see what speaks for it (Look view)."))
        self.softmax.update()
