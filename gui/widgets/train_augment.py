"""The Training tab's augmentation page: the lesson's ``ImageDataGenerator`` settings as controls, and a
preview of one training image with five random variants.

Widgets only: the tab computes the variants in the engine thread
(:func:`gui.models.augmentation.preview_variants`) when :attr:`AugmentPanel.settingsChanged` fires, and
hands them back with :meth:`AugmentPanel.show_preview`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QRect, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui.models.augmentation import DEFAULT_SETTINGS, FILL_MODES, LESSON_SETTINGS, clean_settings, keras_call
from gui.widgets.net_maps import to_qimage

__all__ = ["PREVIEW_VARIANTS", "AugmentPanel", "PreviewGrid"]

#: random variants shown beside the original image
PREVIEW_VARIANTS = 5

#: (key, maximum, step, decimals) of the numeric settings, in the lesson's order
_NUMBERS = (
    ("rotation_range", 180.0, 5.0, 0),
    ("width_shift_range", 1.0, 0.05, 2),
    ("height_shift_range", 1.0, 0.05, 2),
    ("shear_range", 45.0, 0.1, 1),
    ("zoom_range", 0.9, 0.05, 2),
)


def _thumb(image: np.ndarray) -> Any:
    return to_qimage(image[..., 0] if image.shape[-1] == 1 else image, vmin=0, vmax=1)


class PreviewGrid(QWidget):
    """Images in a grid of ``columns``, each as large as the widget allows (pixels kept sharp), a caption
    under each."""

    def __init__(self, columns: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._images: list[QImage] = []
        self._captions: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(3 * 48, 2 * 64)

    def set_images(self, images: list[QImage], captions: list[str]) -> None:
        self._images, self._captions = images, captions
        self.update()

    def count(self) -> int:
        return len(self._images)

    def tile_side(self) -> int:
        """The side of each square image, in pixels, at the current size."""
        rows = max(1, -(-len(self._images) // self.columns))
        gap, caption = 8, self.fontMetrics().height() + 2
        return max(
            8,
            int(
                min(
                    (self.width() - gap * (self.columns - 1)) / self.columns,
                    (self.height() - rows * caption - gap * (rows - 1)) / rows,
                )
            ),
        )

    def sizeHint(self) -> QSize:
        return QSize(3 * 120, 2 * 140)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        side, gap, caption = self.tile_side(), 8, self.fontMetrics().height() + 2
        for i, img in enumerate(self._images):
            r, c = divmod(i, self.columns)
            rect = QRect(c * (side + gap), r * (side + caption + gap), side, side)
            p.drawImage(rect, img)
            p.setPen(QPen(QColor("#808080"), 1))
            p.drawRect(rect.adjusted(0, 0, -1, -1))
            if i < len(self._captions):
                p.setPen(self.palette().color(self.foregroundRole()))
                text = QRect(rect.left(), rect.bottom() + 1, side, caption)
                p.drawText(text, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self._captions[i])
        p.end()


class _VerticalScroll(QScrollArea):
    """Scrolls its widget up and down only: as wide as the widget needs, as short as 100 pixels."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.setWidget(widget)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:
        widget = self.widget()
        inner = widget.minimumSizeHint().width() if widget is not None else 0
        inner += self.verticalScrollBar().sizeHint().width()
        return QSize(inner, 100)


class AugmentPanel(QWidget):
    """Settings on the left, the preview grid on the right.

    Signals
    -------
    settingsChanged(dict): a setting changed (the complete settings, see :mod:`gui.models.augmentation`).
    redrawRequested(): "New draws" or "Another image" was pressed.
    """

    settingsChanged = Signal(dict)
    redrawRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image_index = 0
        self.numbers: dict[str, QDoubleSpinBox] = {}
        for key, top, step, decimals in _NUMBERS:
            spin = QDoubleSpinBox()
            spin.setRange(0.0, top)
            spin.setSingleStep(step)
            spin.setDecimals(decimals)
            spin.setPrefix("± ")
            if key in ("rotation_range", "shear_range"):
                spin.setSuffix("°")
            spin.valueChanged.connect(self._changed)
            self.numbers[key] = spin
        self.flip = QCheckBox()
        self.flip.toggled.connect(self._changed)
        self.fill = QComboBox()  # as wide as its longest choice: the form puts it under its label if need be
        self.fill.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for mode in FILL_MODES:
            self.fill.addItem("", mode)
        self.fill.currentIndexChanged.connect(self._changed)
        self.use = QCheckBox()  # mirrors the left column's "Augmentation" box (the tab keeps them in step)
        self.lesson_btn = QPushButton()
        self.lesson_btn.clicked.connect(lambda: self.set_settings(LESSON_SETTINGS))
        self.gentle_btn = QPushButton()
        self.gentle_btn.clicked.connect(lambda: self.set_settings(DEFAULT_SETTINGS))
        self.redraw_btn = QPushButton()
        self.redraw_btn.clicked.connect(self.redrawRequested)
        self.other_btn = QPushButton()
        self.other_btn.clicked.connect(self._other_image)

        self.settings_box = QGroupBox()
        inner = QWidget()
        form = QFormLayout(inner)
        form.setContentsMargins(0, 0, 0, 0)
        scroll = _VerticalScroll(inner)  # the page stays short: on a small window the settings scroll
        QVBoxLayout(self.settings_box).addWidget(scroll)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._labels: dict[str, QLabel] = {}
        for key, _top, _step, _dec in _NUMBERS:
            self._labels[key] = QLabel()
            form.addRow(self._labels[key], self.numbers[key])
        self._labels["fill_mode"] = QLabel()
        form.addRow(self.flip)
        form.addRow(self._labels["fill_mode"], self.fill)
        form.addRow(self.lesson_btn)
        form.addRow(self.gentle_btn)
        form.addRow(self.use)

        self.code = QLabel()
        self.code.setWordWrap(True)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSizeF(self.font().pointSizeF() * 0.9)
        self.code.setFont(mono)
        for label in (self.code,):  # wraps at commas: it must not set the page's width
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance("height_shift_range=0.2,") + 4)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.grid = PreviewGrid(columns=3)
        self.preview_box = QGroupBox()
        right = QVBoxLayout(self.preview_box)
        right.addWidget(self.grid, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.redraw_btn)
        buttons.addWidget(self.other_btn)
        buttons.addStretch(1)
        right.addLayout(buttons)
        form.addRow(self.code)
        form.addRow(self.note)

        lay = QHBoxLayout(self)
        lay.addWidget(self.settings_box, 2)
        lay.addWidget(self.preview_box, 3)
        self._variants: np.ndarray | None = None
        self._original: np.ndarray | None = None
        self.set_settings(DEFAULT_SETTINGS)
        self.retranslate()

    # ------------------------------------------------------------------------------------------- settings
    def settings(self) -> dict[str, Any]:
        """The settings shown (keys of :data:`gui.models.augmentation.DEFAULT_SETTINGS`)."""
        out: dict[str, Any] = {key: float(spin.value()) for key, spin in self.numbers.items()}
        out["horizontal_flip"] = self.flip.isChecked()
        out["fill_mode"] = self.fill.currentData()
        return out

    def set_settings(self, settings: dict[str, Any]) -> None:
        """Show ``settings`` (missing keys: the app's defaults; ``ValueError`` for a bad value); emits
        :attr:`settingsChanged` once."""
        s = clean_settings(settings)
        widgets = [*self.numbers.values(), self.flip, self.fill]
        blockers = [QSignalBlocker(w) for w in widgets]
        for key, spin in self.numbers.items():
            spin.setValue(s[key])
        self.flip.setChecked(s["horizontal_flip"])
        self.fill.setCurrentIndex(self.fill.findData(s["fill_mode"]))
        del blockers
        self._changed()

    def is_lesson_preset(self) -> bool:
        return clean_settings(self.settings()) == clean_settings(LESSON_SETTINGS)

    def _changed(self, *_: Any) -> None:
        s = self.settings()
        self.code.setText(keras_call(s))
        self.settingsChanged.emit(s)

    def _other_image(self) -> None:
        self.image_index += 1
        self.redrawRequested.emit()

    # ------------------------------------------------------------------------------------------- preview
    def show_preview(self, original: np.ndarray, variants: np.ndarray) -> None:
        """Draw ``original`` ``(H, W, C)`` and ``variants`` ``(n, H, W, C)`` in [0, 1]."""
        self._original, self._variants = original, variants
        self._draw_tiles()

    def preview_count(self) -> int:
        """Tiles drawn: the original and its variants (0 before the first preview)."""
        return self.grid.count()

    def _draw_tiles(self) -> None:
        if self._original is None or self._variants is None:
            self.grid.set_images([], [])
            return
        images = [_thumb(self._original)] + [_thumb(v) for v in self._variants]
        captions = [self.tr("original")] + [
            self.tr("variant {i}").format(i=i) for i in range(1, len(self._variants) + 1)
        ]
        self.grid.set_images(images, captions)

    # ------------------------------------------------------------------------------------------- language
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.settings_box.setTitle(self.tr("Random changes"))
        self.settings_box.setToolTip(self.tr("The settings of the lesson's ImageDataGenerator"))
        self.preview_box.setTitle(self.tr("One image, five variants"))
        self.preview_box.setToolTip(
            self.tr("One training image and five random variants, as training draws them")
        )
        texts = {
            "rotation_range": self.tr("Rotation"),
            "width_shift_range": self.tr("Width shift"),
            "height_shift_range": self.tr("Height shift"),
            "shear_range": self.tr("Shear"),
            "zoom_range": self.tr("Zoom"),
            "fill_mode": self.tr("Fill mode"),
        }
        tips = {
            "rotation_range": self.tr(
                "rotation_range: each image turns by a random angle up to this, in degrees"
            ),
            "width_shift_range": self.tr(
                "width_shift_range: a random shift up to this fraction of the width"
            ),
            "height_shift_range": self.tr(
                "height_shift_range: a random shift up to this fraction of the height"
            ),
            "shear_range": self.tr(
                "shear_range, in degrees (as Keras reads it): the lesson's 0.2 is a very slight shear"
            ),
            "zoom_range": self.tr("zoom_range: a random zoom between 1 - z and 1 + z"),
            "fill_mode": self.tr("fill_mode: how the pixels that come from outside the image are filled"),
        }
        for key, label in self._labels.items():
            label.setText(texts[key])
            label.setToolTip(tips[key])
            self.numbers.get(key, self.fill).setToolTip(tips[key])
        self.flip.setText(self.tr("Horizontal flip"))
        self.flip.setToolTip(self.tr("horizontal_flip: one image in two is mirrored left to right"))
        fills = {
            "nearest": self.tr("nearest (repeat the edge pixel)"),
            "constant": self.tr("constant (black)"),
            "reflect": self.tr("reflect (mirror)"),
            "wrap": self.tr("wrap (tile the image)"),
        }
        for i in range(self.fill.count()):
            self.fill.setItemText(i, fills[self.fill.itemData(i)])
        self.lesson_btn.setText(self.tr("The lesson's values"))
        self.lesson_btn.setToolTip(
            self.tr("rotation 40, shifts 0.2, shear 0.2, zoom 0.2, horizontal flip, fill nearest")
        )
        self.gentle_btn.setText(self.tr("Gentle (for digits)"))
        self.gentle_btn.setToolTip(self.tr("Small changes that keep a digit readable, no flip"))
        self.use.setText(self.tr("Use when training"))
        self.use.setToolTip(self.tr("Augment every training batch with these settings"))
        self.redraw_btn.setText(self.tr("New draws"))
        self.other_btn.setText(self.tr("Other image"))
        self.note.setText(
            self.tr(
                "Each training batch gets new random changes, so the network rarely sees the same image "
                "twice. A flip suits photos; on digits a mirrored 2 is no longer a 2."
            )
        )
        self._draw_tiles()
