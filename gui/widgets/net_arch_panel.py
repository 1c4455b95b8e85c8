"""The Network tab's left column: presets, the hyper-parameter generator, the layer list, Build, the
summary."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import format_int
from gui.models.session import ModelInfo
from gui.widgets.net_editor import LayerTable

__all__ = ["PRESETS", "ArchitecturePanel"]

PRESETS = ("small", "lesson", "lesson_gmp", "lesson_bn")


class ArchitecturePanel(QWidget):
    """Widgets and layout only; :class:`gui.tabs.network.NetworkTab` connects them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._info: ModelInfo | None = None
        self._shown_ready = ""  # the "Model ready" text last put in the message label
        self.preset = QComboBox()
        for name in PRESETS:
            self.preset.addItem("", name)
        self.preset.addItem("", "custom")
        self.gen_layers, self.gen_filters, self.gen_kernel, self.gen_units = (QSpinBox() for _ in range(4))
        for spin, lo, hi, v in (
            (self.gen_layers, 1, 6, 2),
            (self.gen_filters, 1, 128, 8),
            (self.gen_kernel, 1, 9, 3),
            (self.gen_units, 0, 1024, 32),
        ):
            spin.setRange(lo, hi)
            spin.setValue(v)
        self.gen_bn = QCheckBox()
        self.generate = QPushButton()
        self.table = LayerTable()
        self.table.setMinimumHeight(150)
        self.add_btn, self.remove_btn, self.up_btn, self.down_btn = (QPushButton() for _ in range(4))
        self.build_btn = QPushButton()
        self.build_btn.setMinimumHeight(34)
        self.build_btn.setStyleSheet("font-weight: bold;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.summary = QTableWidget(0, 4)
        # the layer names take what the numbers leave (elided, in full in their tooltip)
        header = self.summary.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.summary.verticalHeader().setVisible(False)
        self.summary.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.save_btn, self.open_btn = QPushButton(), QPushButton()

        self.arch_box = QGroupBox()
        form = QFormLayout(self.arch_box)
        self._l_preset = QLabel()
        form.addRow(self._l_preset, self.preset)
        self.gen_box = QGroupBox()
        gform = QFormLayout(self.gen_box)
        self._gl = [QLabel() for _ in range(4)]
        for lbl, spin in zip(
            self._gl, (self.gen_layers, self.gen_filters, self.gen_kernel, self.gen_units), strict=False
        ):
            gform.addRow(lbl, spin)
        gform.addRow(self.gen_bn)
        gform.addRow(self.generate)
        edit_row = QHBoxLayout()
        for b in (self.add_btn, self.remove_btn, self.up_btn, self.down_btn):
            edit_row.addWidget(b)
        file_row = QHBoxLayout()
        file_row.addWidget(self.open_btn)
        file_row.addWidget(self.save_btn)
        self.field_note = QLabel()
        self.field_note.setWordWrap(True)
        self.field_note.setStyleSheet("color: #606060;")
        edit = QVBoxLayout()
        edit.setContentsMargins(0, 0, 0, 0)
        edit.addWidget(self.arch_box)
        edit.addWidget(self.gen_box)
        edit.addWidget(self.table, 3)
        edit.addLayout(edit_row)
        edit.addWidget(self.build_btn)
        edit.addLayout(file_row)  # above the summary, so a short window never hides the model's file buttons
        summary = QVBoxLayout()
        summary.setContentsMargins(0, 0, 0, 0)
        summary.addWidget(self.message)
        summary.addWidget(self.summary, 2)
        summary.addWidget(self.totals)
        summary.addWidget(self.field_note)
        # side by side when there is room, the summary under the editor otherwise
        self._outer = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._outer.addLayout(edit, 1)
        self._outer.addLayout(summary, 1)
        self.summary.setMinimumHeight(180)
        self.retranslate()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        wide = self.width() >= 980
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._outer.direction() != direction:
            self._outer.setDirection(direction)

    def show_summary(self, info: ModelInfo) -> None:
        """Keras' summary as a table: layer (type), output shape with the batch axis, parameters."""
        self._info = info  # shown again in the new language by retranslate()
        self._shown_ready = self._ready_text(info)
        self.message.setText(self._shown_ready)
        self._fill_summary(info)

    def _ready_text(self, info: ModelInfo) -> str:
        return self.tr("Model ready: {n} layers, {p} parameters.").format(
            n=len(info.rows), p=format_int(info.total_params)
        )

    def _fill_summary(self, info: ModelInfo) -> None:
        self.summary.setRowCount(len(info.rows))
        fields = list(info.fields) + [None] * (len(info.rows) - len(info.fields))
        for r, (name, cls, shape, params, trainable) in enumerate(info.rows):
            frozen = "" if trainable or not params else self.tr(" (frozen)")
            field = fields[r]
            seen = f"{field[0]}x{field[1]}" if field is not None else self.tr("whole image")
            for c, text in enumerate(
                (f"{name} ({cls}){frozen}", str((None, *shape)), format_int(params), seen)
            ):
                item = QTableWidgetItem(text)
                if c in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.summary.setItem(r, c, item)
        for r in range(self.summary.rowCount()):
            first = self.summary.item(r, 0)
            if first is not None:
                first.setToolTip(first.text())
        self.totals.setText(
            self.tr("Total params: {t} - trainable: {tr} - non-trainable: {n}").format(
                t=format_int(info.total_params),
                tr=format_int(info.trainable_params),
                n=format_int(info.total_params - info.trainable_params),
            )
        )

    def retranslate(self) -> None:
        names = {
            "small": self.tr("Small MNIST CNN (trains in seconds)"),
            "lesson": self.tr("The lesson's CIFAR network"),
            "lesson_gmp": self.tr("The lesson's network, GlobalMaxPooling head"),
            "lesson_bn": self.tr("The lesson's network with batch normalization"),
            "custom": self.tr("Custom"),
        }
        for i in range(self.preset.count()):
            self.preset.setItemText(i, names[self.preset.itemData(i)])
        self.arch_box.setTitle(self.tr("Architecture"))
        self._l_preset.setText(self.tr("Preset"))
        self.gen_box.setTitle(self.tr("Generate from hyper-parameters"))
        for lbl, text in zip(
            self._gl,
            (
                self.tr("Conv layers"),
                self.tr("Filters (first layer)"),
                self.tr("Filter size"),
                self.tr("Dense units"),
            ),
            strict=False,
        ):
            lbl.setText(text)
        self.gen_bn.setText(self.tr("Batch normalization after each convolution"))
        self.gen_bn.setToolTip(
            self.tr(
                "Each convolution becomes convolution (no bias) -> BatchNormalization -> ReLU, the block of "
                "MobileNetV2: trains faster and tolerates larger learning rates."
            )
        )
        self.generate.setText(self.tr("Generate"))
        self.add_btn.setText(self.tr("Add"))
        self.remove_btn.setText(self.tr("Remove"))
        self.up_btn.setText(self.tr("Up"))
        self.down_btn.setText(self.tr("Down"))
        self.build_btn.setText(self.tr("Build"))
        self.save_btn.setText(self.tr("Save model..."))
        self.open_btn.setText(self.tr("Open model..."))
        self.summary.setHorizontalHeaderLabels(
            [self.tr("Layer (type)"), self.tr("Output shape"), self.tr("Param #"), self.tr("Receptive field")]
        )
        self.field_note.setText(
            self.tr(
                "Receptive field: how many input pixels one cell of the layer's output sees. The filters "
                "stay 3x3, but after each pooling a cell sees a larger part of the image."
            )
        )
        self.table.retranslate()
        if self._info is not None:
            self._fill_summary(self._info)
            if self.message.text() == self._shown_ready:  # not replaced by an error or a later message since
                self._shown_ready = self._ready_text(self._info)
                self.message.setText(self._shown_ready)
