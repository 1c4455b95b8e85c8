"""An editable list of layers (type, filters/units, kernel, stride, dilation, padding, activation) <-> engine
configs.

Rows hold plain widgets; :meth:`LayerTable.configs` returns ``[{"class_name", "config"}, ...]`` ready for
:func:`engine.models.layer_from_config`, and :meth:`LayerTable.set_configs` shows a model's ``get_config()``.
:func:`generate_configs` builds the seed's "hyper-parameter" networks (n conv layers of a filter size, units).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QSpinBox, QTableWidget, QWidget

__all__ = ["LAYER_TYPES", "LayerTable", "generate_configs"]

#: layer types the editor offers, and which columns each uses
LAYER_TYPES: dict[str, tuple[str, ...]] = {
    "Conv2D": ("n", "kernel", "stride", "dilation", "padding", "activation"),
    "Conv2DTranspose": ("n", "kernel", "stride", "dilation", "padding", "activation"),
    "BatchNormalization": (),
    "ReLU": (),
    "MaxPooling2D": ("kernel", "stride", "padding"),
    "AveragePooling2D": ("kernel", "stride", "padding"),
    "Flatten": (),
    "GlobalMaxPooling2D": (),
    "GlobalAveragePooling2D": (),
    "Dense": ("n", "activation"),
}
ACTIVATIONS = ("relu", "linear", "sigmoid", "tanh", "leaky_relu", "softmax")
PADDINGS = ("valid", "same", "full")
#: the paddings each layer type takes (Keras' Conv2DTranspose: valid or same)
PADDINGS_OF = {"Conv2DTranspose": ("valid", "same")}
#: the layers with a kernel (their defaults: 3 x 3, stride 1)
CONV_TYPES = ("Conv2D", "Conv2DTranspose")
_BLANK = (
    "* { color: transparent; background: transparent; border: none; selection-color: transparent; } "
    "QComboBox::drop-down, QComboBox::down-arrow, QAbstractSpinBox::up-button, "
    "QAbstractSpinBox::down-button { width: 0px; border: none; image: none; }"
)
COLUMNS = ("type", "n", "kernel", "stride", "dilation", "padding", "activation")
#: config keys the columns show, per type: every other key of a row's config is kept as it was
SHOWN_KEYS = (
    "filters",
    "units",
    "kernel_size",
    "pool_size",
    "strides",
    "dilation_rate",
    "padding",
    "activation",
)


def generate_configs(
    conv_layers: int, filters: int, kernel: int, units: int, num_classes: int, batch_norm: bool = False
) -> list[dict]:
    """``conv_layers`` x (Conv2D(filters * 2**i, kernel, same, relu) + MaxPooling2D 2), Flatten,
    Dense(units, relu) (skipped when ``units`` is 0), Dense(num_classes). With ``batch_norm`` each convolution
    is Conv2D (no bias, linear) -> BatchNormalization -> ReLU, as :func:`engine.zoo.lesson_bn` builds it."""
    out: list[dict] = []
    for i in range(conv_layers):
        conv: dict[str, Any] = {
            "filters": filters * 2**i,
            "kernel_size": [kernel, kernel],
            "strides": [1, 1],
            "padding": "same",
            "activation": "linear" if batch_norm else "relu",
        }
        if batch_norm:
            conv["use_bias"] = False  # BatchNormalization's beta does the bias's job
        out.append({"class_name": "Conv2D", "config": conv})
        if batch_norm:
            out.append({"class_name": "BatchNormalization", "config": {}})
            out.append({"class_name": "ReLU", "config": {}})
        out.append(
            {
                "class_name": "MaxPooling2D",
                "config": {"pool_size": [2, 2], "strides": [2, 2], "padding": "valid"},
            }
        )
    out.append({"class_name": "Flatten", "config": {}})
    if units > 0:
        out.append({"class_name": "Dense", "config": {"units": units, "activation": "relu"}})
    out.append({"class_name": "Dense", "config": {"units": num_classes, "activation": "linear"}})
    return out


def _two_lines(text: str) -> str:
    """A header of two words or more on two lines, cut at the space nearest its middle, so that seven columns
    fit a narrow window in every language ("Remplissage (padding)" -> "Remplissage" / "(padding)")."""
    if "\n" in text or " " not in text:
        return text
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + "\n" + text[cut + 1 :]


def _spin(lo: int, hi: int, value: int) -> QSpinBox:
    s = QSpinBox()
    s.setRange(lo, hi)
    s.setValue(value)
    return s


def _combo(items: tuple[str, ...], value: str) -> QComboBox:
    c = QComboBox()
    c.addItems(list(items))
    c.setCurrentText(value if value in items else items[0])
    return c


class LayerTable(QTableWidget):
    """One row per layer; cells that do not apply to a row's type are disabled. ``edited`` on any change."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        for col in ("n", "padding"):  # the longest headers ("Remplissage (padding)"): as wide as they need
            self.horizontalHeader().setSectionResizeMode(
                COLUMNS.index(col), QHeaderView.ResizeMode.ResizeToContents
            )
        self.horizontalHeader().setMinimumSectionSize(44)
        #: per row, the layer type it was shown as and its config keys the editor does not show (kept while
        #: the row keeps that type: use_bias, flip, BatchNormalization's momentum and epsilon...)
        self._extra: list[dict] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels(
            [
                _two_lines(text)
                for text in (
                    self.tr("Layer"),
                    self.tr("Filters\nor units"),
                    self.tr("Size"),
                    self.tr("Stride"),
                    self.tr("Dilation"),
                    self.tr("Padding"),
                    self.tr("Activation"),
                )
            ]
        )

    def _cell(self, row: int, col: str) -> Any:
        return self.cellWidget(row, COLUMNS.index(col))

    def insert_layer(self, row: int, class_name: str, config: dict | None = None) -> None:
        """Insert a row at ``row`` showing ``class_name`` with ``config`` (defaults where missing)."""
        cfg = dict(config or {})
        self.insertRow(row)
        kind = _combo(tuple(LAYER_TYPES), class_name)
        kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        kind.setMinimumContentsLength(12)
        conv = class_name in CONV_TYPES
        n_default: Any = cfg.get("filters", cfg.get("units", 16 if conv else 64))
        size: list[int] = cfg.get("kernel_size") or cfg.get("pool_size") or [3 if conv else 2] * 2
        strides: list[int] = cfg.get("strides") or [1 if conv else size[0]] * 2
        dilation: list[int] = cfg.get("dilation_rate") or [1, 1]
        widgets: dict[str, Any] = {
            "type": kind,
            "n": _spin(1, 4096, int(n_default)),
            "kernel": _spin(1, 15, int(size[0])),
            "stride": _spin(1, 8, int(strides[0])),
            "dilation": _spin(1, 8, int(dilation[0])),
            "padding": _combo(PADDINGS, cfg.get("padding", "valid")),
            "activation": _combo(ACTIVATIONS, cfg.get("activation") or "linear"),
        }
        for col, w in widgets.items():
            self.setCellWidget(row, COLUMNS.index(col), w)
            signal = w.currentIndexChanged if isinstance(w, QComboBox) else w.valueChanged
            signal.connect(self._changed)
        kind.currentIndexChanged.connect(lambda _=0, k=kind: self._type_changed(k))
        extra = {k: v for k, v in cfg.items() if k not in SHOWN_KEYS and k not in ("name", "input_shape")}
        self._extra.insert(row, {"class_name": class_name, "config": extra})
        self._apply_enabled(row)
        self.setColumnWidth(0, kind.sizeHint().width() + 4)

    def _row_of(self, widget: QWidget) -> int:
        for r in range(self.rowCount()):
            if self._cell(r, "type") is widget:
                return r
        return -1

    def _type_changed(self, kind: QComboBox) -> None:
        row = self._row_of(kind)
        if row >= 0:
            if kind.currentText() in CONV_TYPES:
                self._cell(row, "kernel").setValue(3)
                self._cell(row, "stride").setValue(1)
                self._cell(row, "dilation").setValue(1)
            elif "Pooling2D" in kind.currentText() and "Global" not in kind.currentText():
                self._cell(row, "kernel").setValue(2)
                self._cell(row, "stride").setValue(2)
            self._apply_enabled(row)

    def _apply_enabled(self, row: int) -> None:
        kind = self._cell(row, "type").currentText()
        used = LAYER_TYPES[kind]
        pad = self._cell(row, "padding")
        allowed = PADDINGS_OF.get(kind, PADDINGS)
        for i in range(pad.count()):  # a padding the layer refuses cannot be chosen
            item = pad.model().item(i)
            item.setEnabled(pad.itemText(i) in allowed)
        if pad.currentText() not in allowed:
            pad.setCurrentText(allowed[0])
        for col in COLUMNS[1:]:
            w = self._cell(row, col)
            w.setEnabled(col in used)
            # a blank cell: this layer has no such parameter (hidden cell widgets get re-shown by the view)
            w.setStyleSheet("" if col in used else _BLANK)

    def _changed(self, *_: Any) -> None:
        self.edited.emit()

    def set_configs(self, configs: list[dict]) -> None:
        """Show ``[{"class_name", "config"}, ...]`` (layer types the editor lacks are refused)."""
        unknown = [c["class_name"] for c in configs if c["class_name"] not in LAYER_TYPES]
        if unknown:
            raise ValueError(f"the layer editor cannot show {unknown}; it knows {list(LAYER_TYPES)}")
        self.setRowCount(0)
        self._extra = []
        for i, c in enumerate(configs):
            self.insert_layer(i, c["class_name"], c.get("config", {}))

    def configs(self) -> list[dict]:
        """The rows as layer configs (no names: the model numbers them Keras-style)."""
        out = []
        for r in range(self.rowCount()):
            kind = self._cell(r, "type").currentText()
            n, k, s, d = (self._cell(r, c).value() for c in ("n", "kernel", "stride", "dilation"))
            pad, act = self._cell(r, "padding").currentText(), self._cell(r, "activation").currentText()
            if kind in CONV_TYPES:
                cfg: dict[str, Any] = {
                    "filters": n,
                    "kernel_size": [k, k],
                    "strides": [s, s],
                    "padding": pad,
                    "activation": act,
                    "dilation_rate": [d, d],
                }
            elif kind in ("MaxPooling2D", "AveragePooling2D"):
                cfg = {"pool_size": [k, k], "strides": [s, s], "padding": pad}
            elif kind == "Dense":
                cfg = {"units": n, "activation": act}
            else:
                cfg = {}
            extra = self._extra[r] if r < len(self._extra) else {}
            if extra.get("class_name") == kind:  # the row kept its type: its other settings too
                cfg.update(extra["config"])
            out.append({"class_name": kind, "config": cfg})
        return out

    def add_row(self, class_name: str = "Conv2D") -> None:
        """Insert a layer after the selected row (or at the end)."""
        row = self.currentRow() + 1 if self.currentRow() >= 0 else self.rowCount()
        self.insert_layer(row, class_name)
        self.selectRow(row)
        self.edited.emit()

    def remove_row(self) -> None:
        row = self.currentRow()
        if row >= 0:
            self.removeRow(row)
            del self._extra[row]
            self.edited.emit()

    def move_row(self, delta: int) -> None:
        """Move the selected layer up (-1) or down (+1)."""
        row = self.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.rowCount():
            return
        configs = self.configs()
        configs.insert(target, configs.pop(row))
        self.set_configs(configs)
        self.selectRow(target)
        self.edited.emit()
