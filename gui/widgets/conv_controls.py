"""The convolution lab's settings: image source and channel, padding, stride, flip, pooling.

:class:`ConvControls` only holds choices and emits :attr:`ConvControls.changed`; the tab reads them with
:meth:`ConvControls.settings` and writes the live output sizes back with :meth:`set_output_text` /
:meth:`set_pool_text`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine import ops
from gui import samples

__all__ = ["CHANNELS", "MODES", "PADDING_CHOICES", "ConvControls", "ConvSettings"]

PADDING_CHOICES = ("valid", "same", "full", "custom")
#: what the lab steps: the sliding window (convolution) or its transpose (each input cell scatters)
MODES = ("convolution", "transposed")
#: what the lab steps through: one plane (luminance or a colour channel) or all three channels at once
CHANNELS = ("luminance", "red", "green", "blue", "rgb")


@dataclass(frozen=True)
class ConvSettings:
    """A snapshot of the controls. ``padding`` is what :func:`engine.ops.conv2d` takes (a mode or an int)."""

    padding: str | int
    stride: int
    flip: bool
    channel: str
    pool_mode: str
    pool_size: int
    pool_stride: int
    dilation: int = 1
    transposed: bool = False


def _bold(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    return label


class ConvControls(QWidget):
    """Image, convolution and pooling settings in three group boxes (the filter editor sits between them).

    Signals
    -------
    changed() : any convolution / pooling / channel setting changed.
    sampleChosen(str) : a built-in sample was picked (its key in :data:`gui.samples.SAMPLES`).
    openImageRequested() : the "Open image..." button was pressed.
    """

    changed = Signal()
    sampleChosen = Signal(str)
    openImageRequested = Signal()

    def __init__(self, filter_editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: dict[int, QLabel] = {}
        self._colour = False
        # image
        self.image_box = QGroupBox()
        self.sample = QComboBox()
        self.open_button = QPushButton()
        self.channel = QComboBox()
        self.image_info = _bold(QLabel())
        img_form = QFormLayout(self.image_box)
        self._add_row(img_form, self.sample)
        self._add_row(img_form, self.channel)
        img_form.addRow(self.open_button)
        img_form.addRow(self.image_info)
        # filter
        self.filter_box = QGroupBox()
        QVBoxLayout(self.filter_box).addWidget(filter_editor)
        # convolution
        self.conv_box = QGroupBox()
        self.mode = QComboBox()
        self.padding = QComboBox()
        self.custom_pad = QSpinBox()
        self.custom_pad.setRange(0, 10)
        self.custom_pad.setValue(1)
        pad_row = QHBoxLayout()
        pad_row.addWidget(self.padding, 1)
        pad_row.addWidget(self.custom_pad)
        self.stride = QSpinBox()
        self.stride.setRange(1, 5)
        self.dilation = QSpinBox()
        self.dilation.setRange(1, 4)
        self.flip = QCheckBox()
        self.output_info = _bold(QLabel())
        self.conv_form = QFormLayout(self.conv_box)
        # "Remplissage (padding)" and its choices do not fit side by side in the column: the choices go under
        self.conv_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.conv_form.addRow(self.mode)  # the whole row: what the lab computes comes first
        self.pad_label = QLabel()
        self.pad_label.setBuddy(self.padding)
        self.conv_form.addRow(self.pad_label, pad_row)
        self._add_row(self.conv_form, self.stride)
        self._add_row(self.conv_form, self.dilation)
        self.conv_form.addRow(self.flip)
        self.conv_form.addRow(self.output_info)
        # pooling
        self.pool_box = QGroupBox()
        self.pool_mode = QComboBox()
        self.pool_size = QSpinBox()
        self.pool_size.setRange(1, 4)
        self.pool_size.setValue(2)
        self.pool_stride = QSpinBox()
        self.pool_stride.setRange(1, 4)
        self.pool_stride.setValue(2)
        self.pool_info = _bold(QLabel())
        self.pool_form = QFormLayout(self.pool_box)
        self._add_row(self.pool_form, self.pool_mode)
        self._add_row(self.pool_form, self.pool_size)
        self._add_row(self.pool_form, self.pool_stride)
        self.pool_form.addRow(self.pool_info)
        for combo in (self.sample, self.channel, self.padding, self.pool_mode, self.mode):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.padding.setMinimumContentsLength(12)  # "valid (aucun zéro)" whole beside its label
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for box in (self.image_box, self.filter_box, self.conv_box, self.pool_box):
            lay.addWidget(box)
        lay.addStretch(1)
        self.retranslate()
        self.custom_pad.setEnabled(False)
        self.sample.activated.connect(lambda i: self.sampleChosen.emit(str(self.sample.itemData(i))))
        self.open_button.clicked.connect(self.openImageRequested)
        self.padding.currentIndexChanged.connect(self._on_padding)
        for spin in (self.custom_pad, self.stride, self.dilation, self.pool_size, self.pool_stride):
            spin.valueChanged.connect(lambda _v: self.changed.emit())
        for combo in (self.channel, self.pool_mode, self.mode):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.flip.toggled.connect(lambda _b: self.changed.emit())

    def _add_row(self, form: QFormLayout, widget: QWidget) -> None:
        label = QLabel()
        label.setBuddy(widget)
        self._labels[id(widget)] = label
        form.addRow(label, widget)

    # ---------------------------------------------------------------- state
    def settings(self) -> ConvSettings:
        mode = str(self.padding.currentData())
        return ConvSettings(
            padding=self.custom_pad.value() if mode == "custom" else mode,
            stride=self.stride.value(),
            flip=self.flip.isChecked(),
            channel=str(self.channel.currentData()),
            pool_mode=str(self.pool_mode.currentData()),
            pool_size=self.pool_size.value(),
            pool_stride=self.pool_stride.value(),
            dilation=self.dilation.value(),
            transposed=self.mode.currentData() == "transposed",
        )

    def set_padding(self, padding: str | int) -> None:
        """Select a padding mode (``"valid"``, ``"same"``, ``"full"``) or a custom int."""
        if isinstance(padding, int):
            with QSignalBlocker(self.custom_pad):
                self.custom_pad.setValue(padding)
            padding = "custom"
        idx = self.padding.findData(padding)
        if idx < 0:
            raise ValueError(f"padding must be one of {PADDING_CHOICES} or an int. Received: {padding!r}")
        self.padding.setCurrentIndex(idx)
        self.changed.emit()

    def set_mode(self, mode: str) -> None:
        """Select ``"convolution"`` or ``"transposed"`` (one of :data:`MODES`); emits :attr:`changed`."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}. Received: mode={mode!r}")
        self.mode.setCurrentIndex(self.mode.findData(mode))

    def set_kernel_size(self, k: int) -> None:
        """Stride goes up to K + 2 (the issue's range)."""
        self.stride.setMaximum(max(k + 2, 1))

    def set_channel(self, channel: str) -> None:
        """Select ``channel`` (one of :data:`CHANNELS`); emits :attr:`changed`."""
        if channel not in CHANNELS:
            raise ValueError(f"channel must be one of {CHANNELS}. Received: channel={channel!r}")
        self.channel.setCurrentIndex(self.channel.findData(channel))

    def set_colour(self, colour: bool) -> None:
        """A colour image offers the channel choice; a grey one has one channel only."""
        self._colour = bool(colour)
        self.channel.setEnabled(self._colour)
        self.channel.setToolTip(
            self.tr("Step through the luminance, one colour channel, or all three channels at once (RGB)")
            if self._colour
            else self.tr("A grey image has one channel")
        )

    def set_sample(self, key: str | None) -> None:
        with QSignalBlocker(self.sample):
            self.sample.setCurrentIndex(max(self.sample.findData(key or ""), 0))

    def set_output_text(self, html: str) -> None:
        self.output_info.setText(html)

    def set_pool_text(self, html: str) -> None:
        self.pool_info.setText(html)

    def set_image_text(self, html: str) -> None:
        self.image_info.setText(html)

    # ----------------------------------------------------------------- text
    def _sample_names(self) -> dict[str, str]:
        return {
            "digit": self.tr("Handwritten digit (28 x 28)"),
            "cross": self.tr("Cross (9 x 9)"),
            "line": self.tr("Horizontal line (3 x 3, lesson)"),
            "checkerboard": self.tr("Checkerboard (12 x 12)"),
            "camera": self.tr("Photo: camera man"),
            "astronaut": self.tr("Photo: astronaut"),
            "chelsea": self.tr("Photo: Chelsea the cat"),
            "coffee": self.tr("Photo: coffee cup"),
        }

    @staticmethod
    def _refill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        with QSignalBlocker(combo):
            combo.clear()
            for key, text in items:
                combo.addItem(text, key)
            combo.setCurrentIndex(max(combo.findData(current), 0))

    def retranslate(self) -> None:
        names = self._sample_names()
        self._refill(
            self.sample, [("", self.tr("Your image"))] + [(k, names.get(k, k)) for k in samples.SAMPLES]
        )
        self._refill(
            self.channel,
            list(
                zip(
                    CHANNELS,
                    (
                        self.tr("Luminance (grey)"),
                        self.tr("Red channel"),
                        self.tr("Green channel"),
                        self.tr("Blue channel"),
                        self.tr("All channels (RGB)"),
                    ),
                    strict=False,
                )
            ),
        )
        self._refill(
            self.padding,
            list(
                zip(
                    PADDING_CHOICES,
                    (
                        self.tr("valid (no zeros)"),
                        self.tr("same (keeps N)"),
                        self.tr("full (K - 1 zeros)"),
                        self.tr("custom P"),
                    ),
                    strict=False,
                )
            ),
        )
        self.padding.setToolTip(
            self.tr(
                "valid: no padding, the output shrinks to N - K + 1. same: enough zeros to keep the size N. "
                "full: K - 1 zeros on each side, the output grows to N + K - 1. custom: P zeros on each side."
            )
        )
        self._refill(
            self.mode,
            list(zip(MODES, (self.tr("Convolution"), self.tr("Transposed convolution")), strict=True)),
        )
        self.mode.setToolTip(
            self.tr(
                "Convolution: the window slides over the input and sums it into one output cell. "
                "Transposed: each input cell scatters x × filter onto a larger output, where the "
                "overlaps add up (the convolution's transpose, used to upsample)."
            )
        )
        self.dilation.setToolTip(
            self.tr(
                "Dilation d: the filter's taps are d cells apart (atrous convolution). A K × K filter then "
                "spans d(K - 1) + 1 cells with the same K² weights: a wider view for no extra weight."
            )
        )
        self._refill(
            self.pool_mode,
            list(zip(ops.POOL_MODES, (self.tr("max"), self.tr("min"), self.tr("average")), strict=False)),
        )
        self.image_box.setTitle(self.tr("1. Input image"))
        self.filter_box.setTitle(self.tr("2. Filter"))
        self.conv_box.setTitle(self.tr("3. Convolution"))
        self.pool_box.setTitle(self.tr("4. Pooling (after ReLU)"))
        self.open_button.setText(self.tr("Open image..."))
        self.open_button.setToolTip(
            self.tr("PNG, JPEG, BMP, TIFF... You can also drop a file on the window.")
        )
        self.flip.setText(self.tr("Flip the filter (true convolution)"))
        self.flip.setToolTip(
            self.tr(
                "Unchecked: cross-correlation, what CNN libraries compute. "
                "Checked: the filter is rotated 180° first, as in the lesson's formula."
            )
        )
        self.custom_pad.setToolTip(self.tr("Custom padding P (zeros on each side)"))
        self._labels[id(self.sample)].setText(self.tr("Sample"))
        self._labels[id(self.channel)].setText(self.tr("Channel"))
        self.set_colour(self._colour)
        self.pad_label.setText(self.tr("Padding"))
        self._labels[id(self.stride)].setText(self.tr("Stride s"))
        self._labels[id(self.dilation)].setText(self.tr("Dilation"))
        self._labels[id(self.pool_mode)].setText(self.tr("Mode"))
        self._labels[id(self.pool_size)].setText(self.tr("Window"))
        self._labels[id(self.pool_stride)].setText(self.tr("Stride"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_padding(self, _index: int) -> None:
        self.custom_pad.setEnabled(self.padding.currentData() == "custom")
        self.changed.emit()
