"""The Network tab: build a network, then look inside it.

Left, always in view: the current image (a validation image, an opened file or a drawing) and the network's
answer, probability bars beside the softmax written out. Right, one page per view:

* **Architecture**: presets, the lesson's hyper-parameters, the layer list, Build, the summary (with each
  layer's receptive field), save/open;
* **Maps**: every layer's output for the image, top to bottom (click a map for its filter and arithmetic);
* **Overview**: the layers as columns, input to classes; hover a cell to light up what it depends on;
* **Look**: saliency, Grad-CAM and occlusion over the image, for the predicted or a clicked class;
* **Invariance**: shift the image a few pixels and watch each layer change;
* **Flatten / GMP**: one base, two heads, side by side, and Train both;
* **Layers**: what each conv layer detects (top patches per channel, growing receptive fields).

Views that only make sense for a trained network say so and offer to train it (one click, engine thread).
Lesson hooks, screenshots and the saved state are in :mod:`gui.tabs.network_lessons`.
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.models.network import layer_outputs
from gui.models.session import ModelInfo, adapt_head, preset_configs
from gui.tabs._session_tab import SessionTabMixin
from gui.tabs.network_images import NetworkImagesMixin
from gui.tabs.network_lessons import VIEW_KEYS, NetworkLessonsMixin
from gui.widgets.net_arch_panel import ArchitecturePanel
from gui.widgets.net_drawpad import DrawDialog
from gui.widgets.net_editor import generate_configs
from gui.widgets.net_featuremaps import FeatureMapView
from gui.widgets.net_flatten import FlattenView
from gui.widgets.net_hierarchy import HierarchyView
from gui.widgets.net_input import InputPanel
from gui.widgets.net_invariance import InvarianceView
from gui.widgets.net_look import LookView
from gui.widgets.net_overview import OverviewView
from gui.widgets.net_session import LabSession
from gui.widgets.net_view import NetView, TrainBanner
from gui.widgets.side_fold import SideFold

__all__ = ["NetworkTab"]


class NetworkTab(NetworkImagesMixin, NetworkLessonsMixin, SessionTabMixin, QWidget):
    """See the module docstring. Works standalone (its own engine thread) or inside the main window."""

    def __init__(self, parent: QWidget | None = None, session: LabSession | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._window: Any = None
        self._connected = False
        self._image: np.ndarray | None = None  # (H, W, C) float32 in [0, 1]
        self._image_label = ""
        self._image_source = "validation"  # or "file", "drawing", "window"
        self._target: int | None = None  # the class the views explain (None: the predicted one)
        self._answer: tuple[int, float] | None = None  # (predicted class, its probability)
        self._generation = 0
        self._maps_ready = False
        self._draw_dialog: DrawDialog | None = None
        self._pending_configs: list[dict] | None = None
        self.errors: list[str] = []
        self._init_lessons()

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

        self.input = InputPanel()
        i = self.input
        self.image_index, self.open_image_btn, self.draw_btn = i.image_index, i.open_image_btn, i.draw_btn
        self.image_info, self.softmax = i.image_info, i.softmax

        self.maps = FeatureMapView()
        self.overview = OverviewView(self)
        self.look = LookView(self)
        self.invariance = InvarianceView(self)
        self.flatten = FlattenView(self)
        self.hierarchy = HierarchyView(self)
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.pages: dict[str, QWidget] = {
            "architecture": self._scrolled(self.arch),
            "maps": self._scrolled(self.maps),
            "overview": self.overview,
            "saliency": self.look,
            "invariance": self.invariance,
            "flatten": self.flatten,
            "hierarchy": self.hierarchy,
        }
        for key in VIEW_KEYS:
            self.views.addTab(self.pages[key], "")
        self.views.setCurrentWidget(self.pages["overview"])
        self.banner = TrainBanner()
        self.banner.hide()
        self.error_line = QLabel()
        self.error_line.setWordWrap(True)
        self.error_line.hide()
        right = QWidget()
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.addWidget(self.banner)
        right_lay.addWidget(self.error_line)
        right_lay.addWidget(self.views, 1)
        left = QScrollArea()
        left.setWidget(self.input)
        left.setWidgetResizable(True)
        left.setFrameShape(QScrollArea.Shape.NoFrame)
        left.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.setMinimumWidth(290)
        left.setMaximumWidth(400)
        # the input column folds into a strip when it and the views do not fit (1024 px with the lesson panel)
        self.fold = SideFold(left, right, lambda: self.tr("Input"))
        self.fold.split.setSizes([320, 1080])
        outer = QHBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.fold)

        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.generate.clicked.connect(self._generate)
        self.add_btn.clicked.connect(lambda: self.table.add_row("Conv2D"))
        self.remove_btn.clicked.connect(self.table.remove_row)
        self.up_btn.clicked.connect(lambda: self.table.move_row(-1))
        self.down_btn.clicked.connect(lambda: self.table.move_row(1))
        self.table.edited.connect(self._mark_custom)
        self.build_btn.clicked.connect(lambda: self.build())
        self.image_index.valueChanged.connect(self._pick_validation_image)
        self.open_image_btn.clicked.connect(self.open_image)
        self.draw_btn.clicked.connect(self.open_draw_pad)
        self.maps.mapClicked.connect(self.open_map)
        self.overview.cellClicked.connect(self.open_cell)
        self.softmax.classClicked.connect(self.choose_class)
        self.look.predicted_btn.clicked.connect(lambda: self.choose_class(None))
        self.save_btn.clicked.connect(self.save_model)
        self.open_btn.clicked.connect(self.load_model)
        self.banner.trainRequested.connect(lambda: self.train_quick())
        self.views.currentChanged.connect(lambda _i: self._update_banner())
        self.retranslate()

    @staticmethod
    def _scrolled(widget: QWidget) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidget(widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        return scroll

    def net_views(self) -> list[NetView]:
        return [self.overview, self.look, self.invariance, self.flatten, self.hierarchy]

    # ------------------------------------------------------------------------------------------- plumbing
    def _connect_session(self, s: LabSession) -> None:
        s.modelChanged.connect(self._on_model)
        s.modelRefused.connect(self._on_refused)
        s.weightsChanged.connect(self._on_weights)
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
        self._update_banner()

    def attach(self, window: Any) -> None:
        """Join the window's session; add Open/Save model to its File menu."""
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
        elif s.info is None and not s.building:
            self.build()

    def _error(self, text: str) -> None:
        self.errors.append(text)
        red = f"<span style='color:#c00000'>{text}</span>"
        self.message.setText(red)
        self.error_line.setText(red)
        self.error_line.show()

    def _clear_error(self) -> None:
        self.error_line.hide()
        self.error_line.clear()

    # the views' host (gui.widgets.net_view.ViewHost)
    def current_image(self) -> np.ndarray | None:
        return self._image

    def target_class(self) -> int | None:
        return self._target

    def class_names(self) -> list[str]:
        return self._shape_and_classes()[2]

    def report_error(self, text: str) -> None:
        self._error(text)

    def _shape_and_classes(self) -> tuple[tuple, int, list[str]]:
        # not self.session: called while the tab is built, before attach() gives it the window's session
        data = self._session.data if self._session is not None else None
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
                batch_norm=self.arch.gen_bn.isChecked(),
            )
        )
        self._mark_custom()

    def _mark_custom(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.count() - 1)
        self.preset.blockSignals(False)

    def build(self, then: Any = None) -> None:
        """Build the listed layers for the current data; refused architectures keep the previous model.
        ``then(info)`` runs once the model is in place."""
        shape, k, _names = self._shape_and_classes()
        configs = adapt_head(self.table.configs(), k)
        self.message.setText(self.tr("Building..."))
        self._pending_configs = configs
        self.session.build_model(configs, shape, seed=self.session.seed, on_done=then)

    def _on_model(self, info: ModelInfo) -> None:
        self.session.arch_configs = adapt_head(info.config["layers"], info.num_classes)
        self.arch.show_summary(info)
        if self.table.rowCount() == 0 or getattr(self, "_pending_configs", None) is None:
            self.table.blockSignals(True)
            with contextlib.suppress(ValueError):
                self.table.set_configs(self.session.arch_configs)
            self.table.blockSignals(False)
        self._pending_configs = None
        convs = [(n, r[0]) for n, r in enumerate(info.rows) if r[1] == "Conv2D"]
        self.look.set_conv_layers([name for _, name in convs])
        fields = list(info.fields) + [None] * len(info.rows)

        def seen(n: int) -> str:
            f = fields[n]
            return f"{f[0]}x{f[1]} px" if f is not None else "?"

        self.hierarchy.set_layers([(n, name, seen(n)) for n, name in convs])
        self.invariance.forget_accuracy()
        if self._target is not None and self._target >= info.num_classes:
            self._target = None
        self.refresh_maps()
        for view in (self.overview, self.look, self.invariance, self.hierarchy):
            view.invalidate()
        self._update_banner()
        self._model_arrived()

    def _on_weights(self) -> None:
        self.invariance.forget_accuracy()
        self.refresh_maps()
        for view in (self.overview, self.look, self.invariance, self.hierarchy):
            view.invalidate()
        self._update_banner()
        if self._plan is not None and self._quick is None and not self.session.training:
            self._continue_plan()

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
        if self._image_source == "validation" or self._image is None or self._image.shape != data.input_shape:
            self._pick_validation_image(self.image_index.value())
        self.flatten.invalidate()
        self.hierarchy.invalidate()
        self._data_arrived()

    def refresh_maps(self) -> None:
        """Recompute every layer's output for the current image (engine thread) for the Maps page and the
        answer on the left; stale results are dropped."""
        s = self.session
        model, image, info = s.model, self._image, s.info
        if model is None or image is None or info is None:
            return
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
        names = self.class_names()

        def done(outputs: list) -> None:
            if gen != self._generation:
                return
            self._clear_error()
            self.maps.set_outputs(outputs, names, image)
            last = outputs[-1]
            p = last.probabilities if last.probabilities is not None else last.array
            self.softmax.set_values(last.logits, p, names)
            self.softmax.set_chosen(self._target)
            if len(p):
                best = int(np.argmax(p))
                self._answer = (best, float(p[best]))
            self._update_info()
            self._maps_ready = True

        s.run(lambda: layer_outputs(model, image), done, self._error)

    # ------------------------------------------------------------------------------------------- lifecycle
    def shutdown(self) -> None:
        if self._session is not None and self._session.parent() is self:
            self._session.shutdown()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.arch.retranslate()
        self.input.retranslate()
        titles = {
            "architecture": (
                self.tr("Architecture"),
                self.tr("Choose, generate or edit the layers, then Build"),
            ),
            "maps": (self.tr("Maps"), self.tr("Every layer's output for the image, top to bottom")),
            "overview": (
                self.tr("Overview"),
                self.tr("The layers as columns; hover a cell to see what it depends on"),
            ),
            "saliency": (
                self.tr("Look"),
                self.tr("What the network looks at: saliency, Grad-CAM, occlusion"),
            ),
            "invariance": (self.tr("Invariance"), self.tr("Shift the image: what changes, layer by layer")),
            "flatten": (
                self.tr("Flatten / GMP"),
                self.tr("Flatten vs GlobalMaxPooling: one base, two heads"),
            ),
            "hierarchy": (
                self.tr("Layers"),
                self.tr("What each layer detects: lines, then parts, then objects"),
            ),
        }
        for key in VIEW_KEYS:
            index = self.views.indexOf(self.pages[key])
            self.views.setTabText(index, titles[key][0])
            self.views.setTabToolTip(index, titles[key][1])
        for view in self.net_views():
            view.retranslate()
        self.banner.retranslate()
        data = self._session.data if self._session is not None else None
        if self._image_source == "validation" and data is not None and self._image is not None:
            self._image_label = self._validation_label(min(self.image_index.value(), len(data.x_val) - 1))
        elif self._image_source == "drawing":
            self._image_label = self.tr("your drawing")
        self._update_info()
        if hasattr(self, "act_open_model"):
            self.act_open_model.setText(self.tr("Open model (.npz)..."))
            self.act_save_model.setText(self.tr("Save model (.npz)..."))
