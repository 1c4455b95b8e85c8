"""The Training tab's left column: data set (grey or colour, image size), hyper-parameters, augmentation, and
the run buttons."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.models.data import DATASET_KINDS, default_format
from gui.models.session import OPTIMIZERS

__all__ = ["TrainingControls"]


class TrainingControls(QWidget):
    """Widgets only; the tab connects them.

    ``datasetRequested(kind)`` fires when the chooser changes (after the colour and size controls took the
    data set's defaults); ``formatChanged()`` when the learner changes the colour or the size."""

    datasetRequested = Signal(str)
    formatChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset = QComboBox()
        for kind in DATASET_KINDS:
            self.dataset.addItem("", kind)
        self.color = QComboBox()
        for mode in ("auto", "grayscale", "rgb"):
            self.color.addItem("", mode)
        self.height_spin, self.width_spin = QSpinBox(), QSpinBox()
        for spin in (self.height_spin, self.width_spin):
            spin.setRange(8, 256)
            spin.setValue(28)
        self._times = QLabel("×")
        size_row = QHBoxLayout()
        size_row.setContentsMargins(0, 0, 0, 0)
        size_row.addWidget(self.height_spin, 1)
        size_row.addWidget(self._times)
        size_row.addWidget(self.width_spin, 1)
        self.size_row = QWidget()
        self.size_row.setLayout(size_row)
        self.n_train = QSpinBox()
        self.n_train.setRange(100, 60000)
        self.n_train.setSingleStep(500)
        self.n_train.setValue(2000)
        self.browse = QPushButton()
        self.data_info = QLabel()
        self.data_info.setWordWrap(True)

        self.optimizer = QComboBox()
        for name in OPTIMIZERS:
            self.optimizer.addItem(name, name)
        self.optimizer.setCurrentText("Adam")
        self.learning_rate = QDoubleSpinBox()
        self.learning_rate.setDecimals(5)
        self.learning_rate.setRange(1e-5, 10.0)
        self.learning_rate.setSingleStep(0.0005)
        self.learning_rate.setValue(0.001)
        self.batch_size = QSpinBox()
        self.batch_size.setRange(1, 1024)
        self.batch_size.setValue(32)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 500)
        self.epochs.setValue(3)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.augment = QCheckBox()
        self.preview = QPushButton()

        self.start = QPushButton()
        self.pause = QPushButton()
        self.step = QPushButton()
        self.stop = QPushButton()
        self.reset = QPushButton()
        for b in (self.start, self.pause, self.step, self.stop, self.reset):
            b.setMinimumHeight(34)
        self.start.setStyleSheet("font-weight: bold;")

        self.data_box = QGroupBox()
        form = QFormLayout(self.data_box)
        self._l_dataset, self._l_ntrain, self._l_color, self._l_size = QLabel(), QLabel(), QLabel(), QLabel()
        form.addRow(self._l_dataset, self.dataset)
        form.addRow(self.browse)
        form.addRow(self._l_color, self.color)
        form.addRow(self._l_size, self.size_row)
        form.addRow(self._l_ntrain, self.n_train)
        form.addRow(self.data_info)

        self.hp_box = QGroupBox()
        form2 = QFormLayout(self.hp_box)
        self._l_opt, self._l_lr, self._l_bs, self._l_ep, self._l_seed = (QLabel() for _ in range(5))
        form2.addRow(self._l_opt, self.optimizer)
        form2.addRow(self._l_lr, self.learning_rate)
        form2.addRow(self._l_bs, self.batch_size)
        form2.addRow(self._l_ep, self.epochs)
        form2.addRow(self._l_seed, self.seed)
        aug_row = QHBoxLayout()
        aug_row.addWidget(self.augment)
        aug_row.addWidget(self.preview)
        form2.addRow(aug_row)

        self.run_box = QGroupBox()
        grid = QGridLayout(self.run_box)
        grid.addWidget(self.start, 0, 0)
        grid.addWidget(self.pause, 0, 1)
        grid.addWidget(self.step, 1, 0)
        grid.addWidget(self.stop, 1, 1)
        grid.addWidget(self.reset, 2, 0, 1, 2)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.data_box)
        lay.addWidget(self.hp_box)
        lay.addWidget(self.run_box)
        lay.addStretch(1)
        self.set_format(*default_format(self.dataset.currentData()))
        self.dataset.currentIndexChanged.connect(self._dataset_changed)
        self.color.currentIndexChanged.connect(lambda _i: self.formatChanged.emit())
        self.height_spin.valueChanged.connect(lambda _v: self.formatChanged.emit())
        self.width_spin.valueChanged.connect(lambda _v: self.formatChanged.emit())
        self.retranslate()

    def _dataset_changed(self, _: int) -> None:
        kind = self.dataset.currentData()
        self.browse.setVisible(kind in ("folder", "cifar10"))
        self.set_format(*default_format(kind))
        self.datasetRequested.emit(kind)

    def set_format(self, color_mode: str | None, size: tuple[int, int]) -> None:
        """Show ``color_mode`` (None: "as the images are") and ``size`` ``(height, width)`` without emitting
        :attr:`formatChanged`."""
        with QSignalBlocker(self.color), QSignalBlocker(self.height_spin), QSignalBlocker(self.width_spin):
            self.color.setCurrentIndex(max(self.color.findData(color_mode or "auto"), 0))
            self.height_spin.setValue(int(size[0]))
            self.width_spin.setValue(int(size[1]))

    def color_mode(self) -> str | None:
        """``"grayscale"``, ``"rgb"``, or None for "as the data set is"."""
        mode = self.color.currentData()
        return None if mode == "auto" else str(mode)

    def image_size(self) -> tuple[int, int]:
        """``(height, width)`` the images are resized to."""
        return self.height_spin.value(), self.width_spin.value()

    def set_running(self, state: str) -> None:
        """Enable the buttons that make sense in ``state`` (``"idle"``, ``"running"``, ``"paused"``)."""
        idle = state == "idle"
        self.start.setEnabled(idle)
        self.pause.setEnabled(not idle)
        self.pause.setText(self.tr("Resume") if state == "paused" else self.tr("Pause"))
        self.stop.setEnabled(not idle)
        self.step.setEnabled(state != "running")
        for w in (
            self.data_box,
            self.optimizer,
            self.learning_rate,
            self.batch_size,
            self.epochs,
            self.seed,
            self.augment,
        ):
            w.setEnabled(idle)

    def retranslate(self) -> None:
        names = {
            "digits": self.tr("Digits (MNIST subset)"),
            "shapes": self.tr("Shapes (synthetic)"),
            "folder": self.tr("Folder of images..."),
            "cifar10": self.tr("CIFAR-10 batches (colour)..."),
        }
        for i in range(self.dataset.count()):
            self.dataset.setItemText(i, names[self.dataset.itemData(i)])
        self.data_box.setTitle(self.tr("Data"))
        self._l_dataset.setText(self.tr("Data set"))
        self._l_ntrain.setText(self.tr("Training images"))
        self._l_color.setText(self.tr("Colour"))
        colors = {
            "auto": self.tr("As the images are"),
            "grayscale": self.tr("Grey (1 channel)"),
            "rgb": self.tr("Colour (RGB, 3 channels)"),
        }
        for i in range(self.color.count()):
            self.color.setItemText(i, colors[self.color.itemData(i)])
        self.color.setToolTip(
            self.tr("Grey images feed a network with 1 input channel, colour images one with 3")
        )
        self._l_size.setText(self.tr("Size (H × W)"))
        self.size_row.setToolTip(self.tr("Height × width the images are resized to"))
        self.browse.setText(self.tr("Choose folder..."))
        self.browse.setToolTip(
            self.tr("A folder with one sub-folder of images per class, or the CIFAR-10 python batches")
        )
        self.browse.setVisible(self.dataset.currentData() in ("folder", "cifar10"))
        self.hp_box.setTitle(self.tr("Hyper-parameters"))
        self._l_opt.setText(self.tr("Optimizer"))
        self._l_lr.setText(self.tr("Learning rate"))
        self._l_bs.setText(self.tr("Batch size"))
        self._l_ep.setText(self.tr("Epochs"))
        self._l_seed.setText(self.tr("Seed"))
        self.augment.setText(self.tr("Augmentation"))
        self.augment.setToolTip(
            self.tr("Random rotations, shifts, shears, zooms and flips of each training batch")
        )
        self.preview.setText(self.tr("Settings and preview"))
        self.run_box.setTitle(self.tr("Run"))
        self.start.setText(self.tr("Start"))
        self.step.setText(self.tr("Step (1 batch)"))
        self.stop.setText(self.tr("Stop"))
        self.reset.setText(self.tr("Reset weights"))
        self.reset.setToolTip(self.tr("Back to the exact initial weights, to replay a run"))
        self.pause.setText(self.tr("Pause"))
