"""The Training tab's left column: data set, hyper-parameters, augmentation, and the run buttons."""

from __future__ import annotations

from PySide6.QtCore import Signal
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

from gui.models.session import OPTIMIZERS

__all__ = ["TrainingControls"]


class TrainingControls(QWidget):
    """Widgets only; the tab connects them. ``datasetRequested(kind)`` fires when the chooser changes."""

    datasetRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset = QComboBox()
        for kind in ("digits", "shapes", "folder"):
            self.dataset.addItem("", kind)
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
        self._l_dataset, self._l_ntrain = QLabel(), QLabel()
        form.addRow(self._l_dataset, self.dataset)
        form.addRow(self._l_ntrain, self.n_train)
        form.addRow(self.browse)
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
        self.dataset.currentIndexChanged.connect(self._dataset_changed)
        self.retranslate()

    def _dataset_changed(self, _: int) -> None:
        kind = self.dataset.currentData()
        self.browse.setVisible(kind == "folder")
        self.datasetRequested.emit(kind)

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
        }
        for i in range(self.dataset.count()):
            self.dataset.setItemText(i, names[self.dataset.itemData(i)])
        self.data_box.setTitle(self.tr("Data"))
        self._l_dataset.setText(self.tr("Data set"))
        self._l_ntrain.setText(self.tr("Training images"))
        self.browse.setText(self.tr("Choose folder..."))
        self.browse.setToolTip(self.tr("A folder with one sub-folder of images per class"))
        self.browse.setVisible(self.dataset.currentData() == "folder")
        self.hp_box.setTitle(self.tr("Hyper-parameters"))
        self._l_opt.setText(self.tr("Optimizer"))
        self._l_lr.setText(self.tr("Learning rate"))
        self._l_bs.setText(self.tr("Batch size"))
        self._l_ep.setText(self.tr("Epochs"))
        self._l_seed.setText(self.tr("Seed"))
        self.augment.setText(self.tr("Augmentation"))
        self.augment.setToolTip(self.tr("Random small rotations, shifts and zooms of each training batch"))
        self.preview.setText(self.tr("Preview"))
        self.run_box.setTitle(self.tr("Run"))
        self.start.setText(self.tr("Start"))
        self.step.setText(self.tr("Step (1 batch)"))
        self.stop.setText(self.tr("Stop"))
        self.reset.setText(self.tr("Reset weights"))
        self.reset.setToolTip(self.tr("Back to the exact initial weights, to replay a run"))
        self.pause.setText(self.tr("Pause"))
