"""The filter editor: a K x K grid of editable numbers, the presets of :mod:`engine.filters`, a bias field.

For a colour image in "all channels" mode the filter is K x K x 3, one slice per channel: the grid shows the
slice chosen with the R / G / B buttons, and a preset goes to every slice or to the chosen one only. Each
slice remembers the preset it holds (the preset box shows the name of the slice on screen).

The editor only holds the numbers; files are opened and saved by the tab (it owns the dialogs and the error
reporting), which listens to :attr:`FilterEditor.loadRequested` / :attr:`FilterEditor.saveRequested`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
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
    QToolButton,
    QWidget,
)

from engine import filters
from gui.widgets.grid_view import format_value

__all__ = ["APPLY_TO", "MAX_K", "FilterEditor"]

MAX_K = 7
#: where a preset (or a loaded 2-D filter) goes in "all channels" mode
APPLY_TO = ("all", "slice")
_SLICE_TINTS = ((255, 225, 225), (222, 245, 222), (226, 232, 255))  # R, G, B behind the slice buttons


class FilterEditor(QWidget):
    """Edit one ``(K, K)`` filter (or a ``(K, K, 3)`` one, a slice per channel) and its bias.

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
        self._kernel = filters.get_preset("horizontal_line")[:, :, None]  # (K, K, D), D = 1 or 3
        self._presets: list[str | None] = ["horizontal_line"]  # the preset each slice holds
        self._slice = 0  # the slice on screen
        self.preset = QComboBox()
        self.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset.setMinimumContentsLength(12)
        self.size_spin = QSpinBox()
        self.size_spin.setRange(1, MAX_K)
        self.slice_buttons = [QToolButton() for _ in range(3)]
        self.slice_group = QButtonGroup(self)
        slice_row = QHBoxLayout()
        slice_row.setContentsMargins(0, 0, 0, 0)
        for i, button in enumerate(self.slice_buttons):
            button.setCheckable(True)
            button.setAutoRaise(False)
            r, g, b = _SLICE_TINTS[i]
            button.setStyleSheet(
                f"QToolButton {{ background: rgb({r}, {g}, {b}); padding: 2px 8px; }}"
                "QToolButton:checked { font-weight: bold; border: 2px solid #404040; }"
            )
            self.slice_group.addButton(button, i)
            slice_row.addWidget(button)
        slice_row.addStretch(1)
        self.slice_box = QWidget()
        self.slice_box.setLayout(slice_row)
        self.apply_to = QComboBox()
        self.apply_to.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.apply_to.setMinimumContentsLength(10)
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
        self._add_row(self.form, self.apply_to)
        self._add_row(self.form, self.size_spin)
        self._add_row(self.form, self.slice_box)
        self.form.addRow(self.table)
        self._add_row(self.form, self.bias_spin)
        self.form.addRow(buttons)
        self.preset.activated.connect(self._on_preset)
        self.size_spin.valueChanged.connect(self._on_size)
        self.bias_spin.valueChanged.connect(lambda _v: self.filterChanged.emit())
        self.table.itemChanged.connect(self._on_item)
        self.load_button.clicked.connect(self.loadRequested)
        self.save_button.clicked.connect(self.saveRequested)
        self.slice_group.idClicked.connect(self.select_slice)
        self.retranslate()
        self._show_depth()
        self._fill_table()

    def _add_row(self, form: QFormLayout, widget: QWidget) -> None:
        label = QLabel()
        label.setBuddy(widget)
        self._labels[id(widget)] = label
        form.addRow(label, widget)

    # -------------------------------------------------------------- public
    def kernel(self) -> np.ndarray:
        """The filter, ``(K, K)`` float32, or ``(K, K, 3)`` in "all channels" mode (a copy)."""
        return self._kernel[:, :, 0].copy() if self.depth() == 1 else self._kernel.copy()

    def bias(self) -> float:
        return float(self.bias_spin.value())

    def depth(self) -> int:
        """1 (one channel) or 3 (a slice per RGB channel)."""
        return int(self._kernel.shape[2])

    def current_slice(self) -> int:
        """The slice on screen (0 = R, 1 = G, 2 = B; always 0 with one channel)."""
        return self._slice

    def set_depth(self, depth: int) -> None:
        """Switch between one channel (``1``) and a slice per RGB channel (``3``), without signal.

        From 1 to 3 every slice starts as the current filter (the same detector on every channel); from 3 to
        1 the slice on screen is kept.
        """
        if depth not in (1, 3):
            raise ValueError(f"depth must be 1 or 3. Received: depth={depth}")
        if depth == self.depth():
            return
        if depth == 3:
            self._kernel = np.repeat(self._kernel, 3, axis=2)
            self._presets = self._presets * 3
        else:
            self._kernel = self._kernel[:, :, self._slice : self._slice + 1].copy()
            self._presets = [self._presets[self._slice]]
            self._slice = 0
        self._show_depth()
        self._select_preset(self._presets[self._slice])
        self._fill_table()

    def select_slice(self, index: int) -> None:
        """Show slice ``index`` (0, 1, 2 = R, G, B) in the grid."""
        if not 0 <= index < self.depth():
            raise ValueError(f"slice must be in [0, {self.depth()}). Received: {index}")
        self._slice = int(index)
        self.slice_buttons[self._slice].setChecked(True)
        self._select_preset(self._presets[self._slice])
        self._fill_table()

    def apply_target(self) -> str:
        """Where presets go in "all channels" mode: ``"all"`` slices or the shown ``"slice"``."""
        return str(self.apply_to.currentData())

    def set_apply_target(self, target: str) -> None:
        if target not in APPLY_TO:
            raise ValueError(f"apply target must be one of {APPLY_TO}. Received: {target!r}")
        self.apply_to.setCurrentIndex(self.apply_to.findData(target))

    def set_kernel(self, kernel: np.ndarray, preset: str | list[str | None] | None = None) -> None:
        """Show ``kernel``: ``(K, K)`` with ``1 <= K <= MAX_K``, or ``(K, K, 3)`` (which switches to three
        slices). A 2-D kernel in "all channels" mode goes where :meth:`apply_target` says. ``preset`` names
        it (one name, or one per slice) in the preset box."""
        arr = np.asarray(kernel, dtype=np.float32)
        if (
            arr.ndim not in (2, 3)
            or arr.shape[0] != arr.shape[1]
            or not 1 <= arr.shape[0] <= MAX_K
            or (arr.ndim == 3 and arr.shape[2] != 3)
        ):
            raise ValueError(
                f"filter must be square K x K (or K x K x 3) with 1 <= K <= {MAX_K}. "
                f"Received shape: {arr.shape}"
            )
        if not np.all(np.isfinite(arr)):
            raise ValueError("filter values must be finite numbers. Received NaN or infinity")
        names: list[str | None] | None = list(preset) if isinstance(preset, list) else None
        single: str | None = names[0] if names else (preset if isinstance(preset, str) else None)
        if arr.ndim == 3:
            self._kernel = arr.copy()
            self._presets = names if names is not None and len(names) == 3 else [single] * 3
            self._show_depth()
        elif self.depth() == 3 and self.apply_target() == "slice" and arr.shape[0] == self._kernel.shape[0]:
            self._kernel[:, :, self._slice] = arr
            self._presets[self._slice] = single
        else:
            self._kernel = np.repeat(arr[:, :, None], self.depth(), axis=2)
            self._presets = [single] * self.depth()
        with QSignalBlocker(self.size_spin):
            self.size_spin.setValue(arr.shape[0])
        self._select_preset(self._presets[self._slice])
        self._fill_table()
        self.filterChanged.emit()

    def set_bias(self, bias: float) -> None:
        self.bias_spin.setValue(float(bias))

    def set_preset(self, name: str) -> None:
        """Load the preset ``name`` (see :data:`engine.filters.PRESETS`), into every slice or the shown one
        (:meth:`apply_target`)."""
        self.set_kernel(filters.get_preset(name), preset=name)

    def preset_name(self) -> str | None:
        """The key of the preset the shown slice holds, or None once its numbers were edited."""
        return self._presets[self._slice]

    def preset_names(self) -> list[str | None]:
        """The preset each slice holds (None for an edited slice)."""
        return list(self._presets)

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
        self._labels[id(self.apply_to)].setText(self.tr("Applies to"))
        self._labels[id(self.slice_box)].setText(self.tr("Slice"))
        with QSignalBlocker(self.apply_to):
            target = self.apply_to.currentData() or "all"
            self.apply_to.clear()
            self.apply_to.addItem(self.tr("every slice"), "all")
            self.apply_to.addItem(self.tr("this slice only"), "slice")
            self.apply_to.setCurrentIndex(max(self.apply_to.findData(target), 0))
        self.apply_to.setToolTip(
            self.tr(
                "All channels mode: a preset or a loaded filter goes to every slice, or to the slice shown"
            )
        )
        channel_names = (self.tr("Red"), self.tr("Green"), self.tr("Blue"))
        for button, name in zip(self.slice_buttons, channel_names, strict=True):
            button.setText(name[0])
            button.setToolTip(self.tr("Edit the slice applied to the {0} channel").format(name.lower()))
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

    def _show_depth(self) -> None:
        rgb = self.depth() == 3
        for widget in (self.slice_box, self.apply_to):
            widget.setVisible(rgb)
            self._labels[id(widget)].setVisible(rgb)
        if rgb:
            self.slice_buttons[self._slice].setChecked(True)

    def _fill_table(self) -> None:
        k = self._kernel.shape[0]
        plane = self._kernel[:, :, self._slice]  # (K, K) the slice on screen
        span = float(np.abs(self._kernel).max()) or 1.0
        with QSignalBlocker(self.table):
            self.table.setRowCount(k)
            self.table.setColumnCount(k)
            for r in range(k):
                for c in range(k):
                    v = float(plane[r, c])
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
        new = np.zeros((k, k, old.shape[2]), np.float32)
        n = min(k, old.shape[0])
        off_new, off_old = (k - n) // 2, (old.shape[0] - n) // 2
        new[off_new : off_new + n, off_new : off_new + n] = old[off_old : off_old + n, off_old : off_old + n]
        self._kernel = new
        self._presets = [None] * old.shape[2]
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
                    item.text(), format_value(float(self._kernel[item.row(), item.column(), self._slice]))
                )
            )
            self._fill_table()
            return
        self._kernel[item.row(), item.column(), self._slice] = value
        self._presets[self._slice] = None
        self._select_preset(None)
        self._fill_table()
        self.filterChanged.emit()
