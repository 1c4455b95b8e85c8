"""The Sweep page's run settings: grid or random points, seeds and epochs; the data; where the trials run
(this computer's embedded Dask cluster, or a scheduler typed in); the results file.

Widgets only: the page reads them and connects ``changed()`` (any edit) and the folder / file buttons.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.models.data import DATASET_KINDS

__all__ = ["SweepSettings"]


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        lay.addWidget(w)
    lay.addStretch(1)
    return row


class SweepSettings(QWidget):
    """See the module docstring."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # search
        self.grid_radio, self.random_radio = QRadioButton(), QRadioButton()
        self.grid_radio.setChecked(True)
        self._search = QButtonGroup(self)
        self._search.addButton(self.grid_radio)
        self._search.addButton(self.random_radio)
        self.n_random = QSpinBox()
        self.n_random.setRange(1, 1000)
        self.n_random.setValue(8)
        self.draw_seed = QSpinBox()
        self.draw_seed.setRange(0, 9999)
        self.seeds = QLineEdit("0")
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 200)
        self.epochs.setValue(2)
        self.search_box = QGroupBox()
        form = QFormLayout(self.search_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._l_points, self._l_draw, self._l_seeds, self._l_epochs = QLabel(), QLabel(), QLabel(), QLabel()
        form.addRow(_row(self.grid_radio, self.random_radio))
        form.addRow(self._l_points, self.n_random)
        form.addRow(self._l_draw, self.draw_seed)
        form.addRow(self._l_seeds, self.seeds)
        form.addRow(self._l_epochs, self.epochs)

        # data
        self.dataset = QComboBox()
        for kind in DATASET_KINDS:
            self.dataset.addItem("", kind)
        self.dataset.setCurrentIndex(DATASET_KINDS.index("shapes"))
        self.browse = QPushButton()
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.images = QSpinBox()
        self.images.setRange(50, 60000)
        self.images.setSingleStep(100)
        self.images.setValue(600)
        self.side = QSpinBox()
        self.side.setRange(8, 256)
        self.side.setValue(28)
        self.color = QComboBox()
        for mode in ("grayscale", "rgb"):
            self.color.addItem("", mode)
        self.data_box = QGroupBox()
        form = QFormLayout(self.data_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._l_dataset, self._l_images, self._l_side, self._l_color = QLabel(), QLabel(), QLabel(), QLabel()
        form.addRow(self._l_dataset, self.dataset)
        form.addRow(self.browse, self.folder_label)
        form.addRow(self._l_images, self.images)
        form.addRow(self._l_side, self.side)
        form.addRow(self._l_color, self.color)
        self._data_form = form

        # where
        self.local_radio, self.remote_radio = QRadioButton(), QRadioButton()
        self.local_radio.setChecked(True)
        self._where = QButtonGroup(self)
        self._where.addButton(self.local_radio)
        self._where.addButton(self.remote_radio)
        self.workers = QSpinBox()
        self.workers.setRange(1, 512)
        self.workers.setValue(os.cpu_count() or 1)
        self.address = QLineEdit()
        self.address.setPlaceholderText("tcp://192.168.1.20:8786")
        self.where_hint = QLabel()
        self.where_hint.setWordWrap(True)
        self.where_hint.setStyleSheet("color: #555555;")
        self.where_box = QGroupBox()
        lay = QVBoxLayout(self.where_box)
        self._l_workers = QLabel()
        lay.addWidget(self.local_radio)
        local_row = QHBoxLayout()
        local_row.setContentsMargins(22, 0, 0, 0)  # under the radio button's text
        local_row.addWidget(self.workers)
        local_row.addWidget(self._l_workers)
        local_row.addStretch(1)
        lay.addLayout(local_row)
        lay.addWidget(self.remote_radio)
        lay.addWidget(self.address)
        lay.addWidget(self.where_hint)

        # results
        self.results = QLineEdit()
        self.choose_results = QPushButton()
        self.results_hint = QLabel()
        self.results_hint.setWordWrap(True)
        self.results_hint.setStyleSheet("color: #555555;")
        self.results_box = QGroupBox()
        lay = QVBoxLayout(self.results_box)
        file_row = QHBoxLayout()
        file_row.addWidget(self.results, 1)
        file_row.addWidget(self.choose_results)
        lay.addLayout(file_row)
        lay.addWidget(self.results_hint)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        for box in (self.search_box, self.data_box, self.where_box, self.results_box):
            outer.addWidget(box)

        for w in (self.grid_radio, self.random_radio, self.local_radio, self.remote_radio):
            w.toggled.connect(self._sync)
        for spin in (self.n_random, self.draw_seed, self.epochs, self.images, self.side, self.workers):
            spin.valueChanged.connect(lambda _v: self.changed.emit())
        for edit in (self.seeds, self.address, self.results):
            edit.textChanged.connect(lambda _t: self.changed.emit())
        for combo in (self.dataset, self.color):
            combo.currentIndexChanged.connect(self._sync)
        self.folders: dict[str, str] = {"folder": "", "cifar10": ""}
        self.retranslate()
        self._sync()

    # ------------------------------------------------------------------------------------------------ values
    def random(self) -> bool:
        return self.random_radio.isChecked()

    def kind(self) -> str:
        return str(self.dataset.currentData())

    def folder(self) -> str:
        """The folder of the chosen data set (empty for digits and shapes)."""
        return self.folders.get(self.kind(), "")

    def set_folder(self, kind: str, path: str) -> None:
        """Use ``path`` for ``kind`` (``"folder"`` or ``"cifar10"``) and choose that data set."""
        self.folders[kind] = path
        with QSignalBlocker(self.dataset):
            self.dataset.setCurrentIndex(DATASET_KINDS.index(kind))
        self._sync()

    def remote(self) -> bool:
        return self.remote_radio.isChecked()

    def _sync(self, *_: object) -> None:
        random = self.random()
        for w in (self.n_random, self.draw_seed, self._l_points, self._l_draw):
            w.setEnabled(random)
        kind = self.kind()
        external = kind in ("folder", "cifar10")
        self._data_form.setRowVisible(self.browse, external)
        self._data_form.setRowVisible(self.side, kind == "folder")
        self._data_form.setRowVisible(self.color, kind == "folder")
        self.folder_label.setText(self.folder() or self.tr("no folder chosen"))
        remote = self.remote()
        self.address.setEnabled(remote)
        self.workers.setEnabled(not remote)
        self._l_workers.setEnabled(not remote)
        self.changed.emit()

    # ------------------------------------------------------------------------------------------- texts
    def retranslate(self) -> None:
        self.search_box.setTitle(self.tr("Search"))
        self.grid_radio.setText(self.tr("Every combination"))
        self.grid_radio.setToolTip(self.tr("Train one network per combination of the values (a grid)"))
        self.random_radio.setText(self.tr("Random points"))
        self.random_radio.setToolTip(
            self.tr("Train a few combinations drawn at random; numbers may then be ranges LOW..HIGH")
        )
        self._l_points.setText(self.tr("Points"))
        self._l_draw.setText(self.tr("Draw"))
        self.draw_seed.setToolTip(self.tr("The same draw number picks the same points (the sweep resumes)"))
        self._l_seeds.setText(self.tr("Seeds"))
        self.seeds.setToolTip(
            self.tr("Each point is trained once per seed (initial weights, shuffling): 0, 1, 2")
        )
        self._l_epochs.setText(self.tr("Epochs"))
        self.data_box.setTitle(self.tr("Data"))
        self._l_dataset.setText(self.tr("Data set"))
        names = {
            "digits": self.tr("Digits (MNIST subset)"),
            "shapes": self.tr("Shapes (synthetic)"),
            "folder": self.tr("Folder of images..."),
            "cifar10": self.tr("CIFAR-10 batches (colour)..."),
        }
        for i in range(self.dataset.count()):
            self.dataset.setItemText(i, names[self.dataset.itemData(i)])
        self.browse.setText(self.tr("Choose..."))
        self._l_images.setText(self.tr("Training images"))
        self.images.setToolTip(self.tr("At most this many training images; a quarter of that for validation"))
        self._l_side.setText(self.tr("Size (pixels)"))
        self.side.setToolTip(self.tr("The folder's images are resized to this square size"))
        self._l_color.setText(self.tr("Colour"))
        self.color.setItemText(0, self.tr("Grey (1 channel)"))
        self.color.setItemText(1, self.tr("Colour (RGB, 3 channels)"))
        self.where_box.setTitle(self.tr("Run on"))
        self.local_radio.setText(self.tr("This computer:"))
        self._l_workers.setText(self.tr("worker processes"))
        self.workers.setToolTip(self.tr("Trials trained at once, one per process (one per core is best)"))
        self.remote_radio.setText(self.tr("A Dask scheduler's address:"))
        self.where_hint.setText(
            self.tr(
                "On the cluster: 'dask scheduler' on one machine, 'dask worker tcp://HOST:8786 --nthreads 1' "
                "on the others, with ConvScope installed on each."
            )
        )
        self.results_box.setTitle(self.tr("Results (CSV)"))
        self.choose_results.setText(self.tr("Choose..."))
        self.results_hint.setText(
            self.tr(
                "One row per trial, the trained models beside it. Running the same sweep again skips the "
                "trials already in the file."
            )
        )
        self._sync()
