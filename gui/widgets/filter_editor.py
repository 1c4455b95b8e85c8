"""The filter editor: a K x K grid of editable numbers, the presets of :mod:`engine.filters`, a bias field.

The editor only holds the numbers; files are opened and saved by the tab (it owns the dialogs and the error
reporting), which listens to :attr:`FilterEditor.loadRequested` / :attr:`FilterEditor.saveRequested`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from engine import filters
from gui.widgets.grid_view import format_value

__all__ = ["MAX_K", "FilterEditor"]

MAX_K = 7


class FilterEditor(QWidget):
    """Edit one ``(K, K)`` filter and its bias.

    Signals
    -------
    filterChanged() : the numbers, the size or the bias changed (read :meth:`kernel` and :meth:`bias`).
    loadRequested() / saveRequested() : the user asked to load / save the filter from / to a file.
    invalidInput(str) : a typed cell was not a number (the cell is restored).
    """

    filterChanged = Signal()
    loadRequested = Signal()
    saveRequested = Signal()
    invalidInput = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: dict[int, QLabel] = {}
        self._kernel = filters.get_preset("horizontal_line")  # (K, K)
        self.preset = QComboBox()
        self.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset.setMinimumContentsLength(12)
        self.size_spin = QSpinBox()
        self.size_spin.setRange(1, MAX_K)
        self.table = QTableWidget()
        self.table.horizontalHeader().setVisible(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        self.table.setMaximumHeight(150)
        self.bias_spin = QDoubleSpinBox()
        self.bias_spin.setRange(-1000.0, 1000.0)
        self.bias_spin.setDecimals(2)
        self.bias_spin.setSingleStep(0.5)
        self.load_button = QPushButton()
        self.save_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.save_button)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self._add_row(self.form, self.preset)
        self._add_row(self.form, self.size_spin)
        self.form.addRow(self.table)
        self._add_row(self.form, self.bias_spin)
        self.form.addRow(buttons)
        self.preset.activated.connect(self._on_preset)
        self.size_spin.valueChanged.connect(self._on_size)
        self.bias_spin.valueChanged.connect(lambda _v: self.filterChanged.emit())
        self.table.itemChanged.connect(self._on_item)
        self.load_button.clicked.connect(self.loadRequested)
        self.save_button.clicked.connect(self.saveRequested)
        self.retranslate()
        self._fill_table()

    def _add_row(self, form: QFormLayout, widget: QWidget) -> None:
        label = QLabel()
        label.setBuddy(widget)
        self._labels[id(widget)] = label
        form.addRow(label, widget)

    # -------------------------------------------------------------- public
    def kernel(self) -> np.ndarray:
        """The filter, ``(K, K)`` float32 (a copy)."""
        return self._kernel.copy()

    def bias(self) -> float:
        return float(self.bias_spin.value())

    def set_kernel(self, kernel: np.ndarray, preset: str | None = None) -> None:
        """Show ``kernel`` ``(K, K)`` with ``1 <= K <= MAX_K``; ``preset`` names it in the combo box."""
        arr = np.asarray(kernel, dtype=np.float32)
        if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or not 1 <= arr.shape[0] <= MAX_K:
            raise ValueError(
                f"filter must be square K x K with 1 <= K <= {MAX_K}. Received shape: {arr.shape}"
            )
        if not np.all(np.isfinite(arr)):
            raise ValueError("filter values must be finite numbers. Received NaN or infinity")
        self._kernel = arr.copy()
        with QSignalBlocker(self.size_spin):
            self.size_spin.setValue(arr.shape[0])
        self._select_preset(preset)
        self._fill_table()
        self.filterChanged.emit()

    def set_bias(self, bias: float) -> None:
        self.bias_spin.setValue(float(bias))

    def set_preset(self, name: str) -> None:
        """Load the preset ``name`` (see :data:`engine.filters.PRESETS`)."""
        self.set_kernel(filters.get_preset(name), preset=name)

    def preset_name(self) -> str | None:
        """The key of the preset shown, or None once the numbers were edited."""
        key = self.preset.currentData()
        return str(key) if key else None

    # ----------------------------------------------------------- internals
    def _names(self) -> dict[str, str]:
        return {
            "horizontal_line": self.tr("Horizontal line (lesson)"),
            "vertical_line": self.tr("Vertical line"),
            "diagonal_down": self.tr("Diagonal \\"),
            "diagonal_up": self.tr("Diagonal /"),
            "sobel_x": self.tr("Sobel x (vertical edges)"),
            "sobel_y": self.tr("Sobel y (horizontal edges)"),
            "laplacian": self.tr("Laplacian"),
            "box_blur": self.tr("Box blur"),
            "gaussian_blur": self.tr("Gaussian blur"),
            "sharpen": self.tr("Sharpen"),
            "emboss": self.tr("Emboss"),
            "identity": self.tr("Identity"),
        }

    def retranslate(self) -> None:
        current = self.preset_name()
        with QSignalBlocker(self.preset):
            self.preset.clear()
            self.preset.addItem(self.tr("Custom"), "")
            names = self._names()
            for key in filters.preset_names():
                self.preset.addItem(names.get(key, key.replace("_", " ")), key)
        self._select_preset(current)
        self._labels[id(self.preset)].setText(self.tr("Preset"))
        self._labels[id(self.size_spin)].setText(self.tr("Size K"))
        self._labels[id(self.bias_spin)].setText(self.tr("Bias"))
        self.size_spin.setToolTip(self.tr("Filter size K x K (1 to 7)"))
        self.table.setToolTip(self.tr("Double-click a cell to type a number"))
        self.bias_spin.setToolTip(self.tr("Added to every sum (the neuron's bias)"))
        self.load_button.setText(self.tr("Load..."))
        self.save_button.setText(self.tr("Save..."))
        self.load_button.setToolTip(self.tr("Load a filter from .npy, .txt, .csv or .json"))
        self.save_button.setToolTip(self.tr("Save this filter to .npy, .txt, .csv or .json"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _select_preset(self, key: str | None) -> None:
        idx = self.preset.findData(key or "")
        with QSignalBlocker(self.preset):
            self.preset.setCurrentIndex(max(idx, 0))

    def _fill_table(self) -> None:
        k = self._kernel.shape[0]
        span = float(np.abs(self._kernel).max()) or 1.0
        with QSignalBlocker(self.table):
            self.table.setRowCount(k)
            self.table.setColumnCount(k)
            for r in range(k):
                for c in range(k):
                    v = float(self._kernel[r, c])
                    item = QTableWidgetItem(format_value(v))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    t = min(abs(v) / span, 1.0)
                    base = (239, 138, 98) if v > 0 else (103, 169, 207)
                    mix = [int(255 + (b - 255) * t * 0.8) for b in base]
                    item.setBackground(QColor(*mix))
                    item.setForeground(QColor(20, 20, 20))
                    self.table.setItem(r, c, item)

    def _on_preset(self, index: int) -> None:
        key = self.preset.itemData(index)
        if key:
            self.set_preset(str(key))

    def _on_size(self, k: int) -> None:
        old = self._kernel
        new = np.zeros((k, k), np.float32)
        n = min(k, old.shape[0])
        off_new, off_old = (k - n) // 2, (old.shape[0] - n) // 2
        new[off_new : off_new + n, off_new : off_new + n] = old[off_old : off_old + n, off_old : off_old + n]
        self._kernel = new
        self._select_preset(None)
        self._fill_table()
        self.filterChanged.emit()

    def _on_item(self, item: QTableWidgetItem) -> None:
        text = item.text().strip().replace(",", ".")
        try:
            value = float(text)
            if not np.isfinite(value):
                raise ValueError
        except ValueError:
            self.invalidInput.emit(
                self.tr("'{0}' is not a number: the filter cell keeps {1}").format(
                    item.text(), format_value(float(self._kernel[item.row(), item.column()]))
                )
            )
            self._fill_table()
            return
        self._kernel[item.row(), item.column()] = value
        self._select_preset(None)
        self._fill_table()
        self.filterChanged.emit()
