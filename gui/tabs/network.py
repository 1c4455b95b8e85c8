"""The Network tab: choose or edit an architecture, read its summary, and see every layer's feature maps.

Left: presets, the seed's hyper-parameters (number of conv layers, filters, filter size, dense units), an
editable layer list, Build, the model summary, save/open. Right: the current image (a validation image, an
opened file or a drawing) and, for it, each layer's output: maps after ReLU, after pooling, the flattened
vector, the class probabilities. Click a map to open it large with its filter(s).
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.models.network import layer_outputs
from gui.models.session import ModelInfo, adapt_head, model_info, preset_configs
from gui.tabs._session_tab import SessionTabMixin
from gui.widgets.net_arch_panel import ArchitecturePanel
from gui.widgets.net_detail import MapDetailDialog
from gui.widgets.net_drawpad import DrawDialog
from gui.widgets.net_editor import generate_configs
from gui.widgets.net_featuremaps import FeatureMapView
from gui.widgets.net_session import LabSession

__all__ = ["NetworkTab"]

MODEL_FILES = "ConvScope model (*.npz)"


class NetworkTab(SessionTabMixin, QWidget):
    """See the module docstring. Works standalone (its own engine thread) or inside the main window."""

    def __init__(self, parent: QWidget | None = None, session: LabSession | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._window: Any = None
        self._connected = False
        self._image: np.ndarray | None = None  # (H, W, C) float32 in [0, 1]
        self._image_label = ""
        self._generation = 0
        self._maps_ready = False
        self._stale = False  # the maps are out of date but the tab is hidden: recompute when shown
        self._draw_dialog: DrawDialog | None = None
        self._pending_configs: list[dict] | None = None
        self.errors: list[str] = []

        self.arch = ArchitecturePanel()
        a = self.arch
        self.preset, self.generate, self.table, self.build_btn = a.preset, a.generate, a.table, a.build_btn
        self.gen_layers, self.gen_filters, self.gen_kernel, self.gen_units = (
            a.gen_layers,
            a.gen_filters,
            a.gen_kernel,
            a.gen_units,
        )
        self.add_btn, self.remove_btn, self.up_btn, self.down_btn = (
            a.add_btn,
            a.remove_btn,
            a.up_btn,
            a.down_btn,
        )
        self.message, self.summary, self.totals = a.message, a.summary, a.totals
        self.save_btn, self.open_btn = a.save_btn, a.open_btn
        left = a

        self.image_index = QSpinBox()
        self.image_index.setRange(0, 0)
        self.open_image_btn, self.draw_btn = QPushButton(), QPushButton()
        self.image_info = QLabel()
        self.image_info.setWordWrap(True)
        self.maps = FeatureMapView()
        maps_scroll = QScrollArea()
        maps_scroll.setWidget(self.maps)
        maps_scroll.setWidgetResizable(True)
        right = QWidget()
        right_lay = QVBoxLayout(right)
        img_row = QHBoxLayout()
        self._l_image = QLabel()
        img_row.addWidget(self._l_image)
        img_row.addWidget(self.image_index)
        img_row.addWidget(self.open_image_btn)
        img_row.addWidget(self.draw_btn)
        img_row.addWidget(self.image_info, 1)
        right_lay.addLayout(img_row)
        right_lay.addWidget(maps_scroll, 1)
        left_scroll = QScrollArea()
        left_scroll.setWidget(left)
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # never narrower than its content: the layer table and its buttons would be cut off on the right
        left_scroll.setMinimumWidth(
            left.minimumSizeHint().width() + left_scroll.verticalScrollBar().sizeHint().width()
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left_scroll)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([600, 800])
        QHBoxLayout(self).addWidget(split)

        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.generate.clicked.connect(self._generate)
        self.add_btn.clicked.connect(lambda: self.table.add_row("Conv2D"))
        self.remove_btn.clicked.connect(self.table.remove_row)
        self.up_btn.clicked.connect(lambda: self.table.move_row(-1))
        self.down_btn.clicked.connect(lambda: self.table.move_row(1))
        self.table.edited.connect(self._mark_custom)
        self.build_btn.clicked.connect(self.build)
        self.image_index.valueChanged.connect(self._pick_validation_image)
        self.open_image_btn.clicked.connect(self.open_image)
        self.draw_btn.clicked.connect(self.open_draw_pad)
        self.maps.mapClicked.connect(self.open_map)
        self.save_btn.clicked.connect(self.save_model)
        self.open_btn.clicked.connect(self.load_model)
        self.retranslate()

    # ------------------------------------------------------------------------------------------- plumbing
    def _connect_session(self, s: LabSession) -> None:
        s.modelChanged.connect(self._on_model)
        s.modelRefused.connect(self._on_refused)
        s.weightsChanged.connect(self.refresh_maps)
        s.dataChanged.connect(self._on_data)
        s.worker.stateChanged.connect(self._on_training_state)
        if s.info is not None:
            self._on_model(s.info)

    def _on_training_state(self, state: str) -> None:
        """No new architecture or model file while a run trains the current one."""
        idle = state == "idle"
        for w in (self.build_btn, self.open_btn, self.generate, self.preset):
            w.setEnabled(idle)
        if hasattr(self, "act_open_model"):
            self.act_open_model.setEnabled(idle)
        self.build_btn.setToolTip("" if idle else self.tr("Stop the training first"))

    def attach(self, window: Any) -> None:
        """Join the window's session; add Open/Save model to its File menu; follow the image it opens."""
        self._join_window(window)
        menu = getattr(window, "file_menu", None)
        if menu is not None:
            before = getattr(window, "act_quit", None)
            self.act_open_model, self.act_save_model = QAction(self), QAction(self)
            self.act_open_model.triggered.connect(lambda: self.load_model())
            self.act_save_model.triggered.connect(lambda: self.save_model())
            menu.insertAction(before, self.act_open_model)
            menu.insertAction(before, self.act_save_model)
            menu.insertSeparator(before)
            self.retranslate()

    def title(self) -> str:
        return self.tr("Network")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.ensure_ready()

    def ensure_ready(self) -> None:
        """Load the digits and build the chosen preset if nothing is there yet."""
        s = self.session
        if s.data is None:
            s.load_data("digits", n_train=2000, n_val=500, on_error=self._error)
        elif s.info is None:
            self.build()

    def _error(self, text: str) -> None:
        self.errors.append(text)
        self.message.setText(f"<span style='color:#c00000'>{text}</span>")

    def _shape_and_classes(self) -> tuple[tuple, int, list[str]]:
        data = self.session.data
        if data is None:
            return (28, 28, 1), 10, [str(i) for i in range(10)]
        return data.input_shape, data.num_classes, list(data.class_names)

    # ------------------------------------------------------------------------------------------- architecture
    def _preset_chosen(self, _: int = 0) -> None:
        name = self.preset.currentData()
        if name == "custom":
            return
        shape, k, _names = self._shape_and_classes()
        self.table.blockSignals(True)
        self.table.set_configs(adapt_head(preset_configs(name, shape, k), k))
        self.table.blockSignals(False)
        self.session.arch_name = name

    def _generate(self) -> None:
        _shape, k, _names = self._shape_and_classes()
        self.table.set_configs(
            generate_configs(
                self.gen_layers.value(),
                self.gen_filters.value(),
                self.gen_kernel.value(),
                self.gen_units.value(),
                k,
            )
        )
        self._mark_custom()

    def _mark_custom(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.count() - 1)
        self.preset.blockSignals(False)

    def build(self) -> None:
        """Build the listed layers for the current data; refused architectures keep the previous model."""
        shape, k, _names = self._shape_and_classes()
        configs = adapt_head(self.table.configs(), k)
        self.message.setText(self.tr("Building..."))
        self._pending_configs = configs
        self.session.build_model(configs, shape, seed=self.session.seed)

    def _on_model(self, info: ModelInfo) -> None:
        self.session.arch_configs = adapt_head(info.config["layers"], info.num_classes)
        self.arch.show_summary(info)
        if self.table.rowCount() == 0 or getattr(self, "_pending_configs", None) is None:
            self.table.blockSignals(True)
            with contextlib.suppress(ValueError):
                self.table.set_configs(self.session.arch_configs)
            self.table.blockSignals(False)
        self._pending_configs = None
        if getattr(self, "_shot_batches", 0):
            self._train_for_screenshot()
        self.refresh_maps()

    def _on_refused(self, message: str) -> None:
        text = self.tr("This architecture cannot work, the previous model is kept: {m}").format(m=message)
        self._error(text)
        self._pending_configs = None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Architecture refused"), text, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ------------------------------------------------------------------------------------------- image + maps
    def _on_data(self) -> None:
        data = self.session.data
        assert data is not None
        self.image_index.setRange(0, len(data.x_val) - 1)
        info = self.session.info
        if info is None or info.input_shape != data.input_shape or info.num_classes != data.num_classes:
            if self.table.rowCount() == 0:
                self._preset_chosen()
            if not self.session.training and not self.session.building:
                self.build()
        self._pick_validation_image(self.image_index.value())

    def _pick_validation_image(self, i: int) -> None:
        data = self.session.data
        if data is None or not len(data.x_val):
            return
        i = min(i, len(data.x_val) - 1)
        self.set_image(
            data.x_val[i],
            self.tr("validation image {i} (true class: {c})").format(
                i=i, c=data.class_names[int(data.y_val[i])]
            ),
        )

    def set_image(self, image: np.ndarray, label: str) -> None:
        """Make ``image`` ``(H, W, C)`` (or ``(H, W)``) in [0, 1] current and recompute the maps."""
        img = np.asarray(image, np.float32)
        self._image = img[..., None] if img.ndim == 2 else img
        self._image_label = label
        self.image_info.setText(label)
        self.refresh_maps()

    def refresh_maps(self) -> None:
        """Recompute every layer's output for the current image (engine thread); stale results are dropped."""
        s = self.session
        model, image, info = s.model, self._image, s.info
        if model is None or image is None or info is None:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        if image.shape != tuple(info.input_shape):
            self._error(
                self.tr("The image is {a} but the network expects {b}.").format(
                    a="x".join(map(str, image.shape)), b="x".join(map(str, info.input_shape))
                )
            )
            return
        self._generation += 1
        gen = self._generation
        self._maps_ready = False
        names = list(s.data.class_names) if s.data is not None else []

        def done(outputs: list) -> None:
            if gen == self._generation:
                self.maps.set_outputs(outputs, names, image)
                p = self.maps.bars.probabilities()
                if len(p):
                    best = int(p.argmax())
                    name = names[best] if best < len(names) else str(best)
                    self.image_info.setText(
                        self.tr("{label} - prediction: {c} ({p:.0%})").format(
                            label=self._image_label, c=name, p=float(p[best])
                        )
                    )
                self._maps_ready = True

        s.run(lambda: layer_outputs(model, image), done, self._error)

    def open_map(self, layer_index: int, channel: int) -> MapDetailDialog:
        outs = self.maps.outputs
        prev = outs[layer_index - 1].array if layer_index > 0 else self._image
        dlg = MapDetailDialog(outs[layer_index], channel, prev, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        return dlg

    def open_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open an image"),
            "",
            self.tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff)"),
        )
        if path:
            self.load_image_file(path)

    def load_image_file(self, path: str) -> None:
        """Read ``path`` resized to the network's input (grey or colour as it expects)."""
        from engine import io

        shape = self.session.info.input_shape if self.session.info else (28, 28, 1)
        try:
            img = io.load_image(path, mode="L" if shape[2] == 1 else "RGB", size=(shape[0], shape[1]))
        except (ValueError, OSError) as exc:
            self._error(str(exc))
            return
        self.set_image(img, path)

    def set_input_image(self, image: np.ndarray, name: str) -> None:
        """Feed ``image`` (``(H, W)`` or ``(H, W, 3)`` in [0, 1], e.g. opened or dropped on the window) to the
        network, made grey or colour and resized to its input."""
        from gui.models.data import fit_image

        shape = self.session.info.input_shape if self.session.info else (28, 28, 1)
        self.set_image(fit_image(image, shape), name)

    def open_draw_pad(self) -> DrawDialog:
        if self._draw_dialog is None:
            self._draw_dialog = DrawDialog(self)
            self._draw_dialog.pad.drawn.connect(lambda im: self.set_image(im, self.tr("your drawing")))
        self._draw_dialog.show()
        return self._draw_dialog

    # ------------------------------------------------------------------------------------------- files
    def save_model(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the model"), "model.npz", MODEL_FILES)
        if not path:
            return
        model = self.session.model
        self.session.run(
            lambda: model.save(path),
            lambda _: self.message.setText(self.tr("Model saved to {p}").format(p=path)),
            self._error,
        )

    def load_model(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a model"), "", MODEL_FILES)
        if not path:
            return

        def job() -> tuple[Any, ModelInfo, list]:
            import engine

            model = engine.load_model(path)
            return model, model_info(model), model.get_weights()

        self.session.run(job, lambda r: self.session.set_model(*r), self._error)

    # ------------------------------------------------------------------------------------------- tab API
    def prepare_screenshot(self, options: Any) -> None:
        """``--train-steps N``: train N batches first, so the maps and probabilities show a trained
        network."""
        n = getattr(options, "train_steps", None)
        self._shot_batches = int(n) if n else 0
        self._shot_done = not self._shot_batches
        self.ensure_ready()
        if self._shot_batches and self.session.info is not None and self.session.data is not None:
            self._train_for_screenshot()

    def _train_for_screenshot(self) -> None:
        n, self._shot_batches = self._shot_batches, 0
        s = self.session
        model, data = s.model, s.data
        assert data is not None

        def job() -> None:
            for i in range(n):
                idx = np.arange(i * 32, (i + 1) * 32) % len(data.x_train)
                model.train_on_batch(data.x_train[idx], data.y_train[idx])

        def done(_: Any) -> None:
            self._shot_done = True
            s.notify_weights_changed()

        s.run(job, done, self._error)

    def screenshot_ready(self) -> bool:
        return self._maps_ready and getattr(self, "_shot_done", True)

    def shutdown(self) -> None:
        if self._session is not None and self._session.parent() is self:
            self._session.shutdown()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.arch.retranslate()
        self._l_image.setText(self.tr("Validation image"))
        self.open_image_btn.setText(self.tr("Open image..."))
        self.draw_btn.setText(self.tr("Draw..."))
        if hasattr(self, "act_open_model"):
            self.act_open_model.setText(self.tr("Open model (.npz)..."))
            self.act_save_model.setText(self.tr("Save model (.npz)..."))
