"""The Convolution lab tab: slide a filter over an image step by step, then ReLU and pooling.

All maths comes from the engine: the walk from :mod:`engine.sliding` (stepped in the GUI thread, pure NumPy)
and the maps from :mod:`engine.ops`, computed by the main window's engine worker (Numba kernels compile there,
so the window never freezes). The state lives in a Qt-free :class:`gui.models.convolution.ConvolutionLab`;
this tab wires the widgets to it and :mod:`gui.tabs.convolution_view` draws it. See :mod:`gui.tabs` for the
tab interface implemented here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QScrollArea, QTabWidget, QWidget

from engine import filters, io
from engine.cli.args import load_filter_spec
from gui import samples
from gui.models.convolution import ConvolutionLab, LabParams, compute_maps
from gui.tabs.convolution_view import CURRENT, HOVER, show_pool, show_step
from gui.widgets.compare import PaddingComparison, PoolVsStride
from gui.widgets.conv_controls import ConvControls
from gui.widgets.filter_editor import FilterEditor
from gui.widgets.grid_view import Highlight
from gui.widgets.step_page import StepPage

__all__ = ["CURRENT", "HOVER", "ConvolutionTab"]

FILTER_FILES = "*.npy *.txt *.csv *.json"


class ConvolutionTab(QWidget):
    """Image, filter and settings on the left; step-by-step and side-by-side pages on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window: Any = None
        #: the lab's state (image, settings, walk, maps, hover): what the views draw
        self.lab = ConvolutionLab(samples.load_sample(samples.DEFAULT_SAMPLE), key=samples.DEFAULT_SAMPLE)
        self._pending = 0
        self.editor = FilterEditor()
        self.controls = ConvControls(self.editor)
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(max(self.controls.minimumSizeHint().width() + 24, 290))
        self.page = StepPage()
        self.padding_page = PaddingComparison()
        self.pool_page = PoolVsStride()
        self.pages = QTabWidget()
        for w in (self.page, self.padding_page, self.pool_page):
            self.pages.addTab(w, "")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(scroll)
        lay.addWidget(self.pages, 1)
        st = self.page.stepper
        for key, slot in (
            ("Space", st.toggle_play),
            ("Right", st.step_forward),
            ("Left", st.step_back),
            ("Home", st.reset),
            ("End", st.jump_to_end),
        ):
            QShortcut(QKeySequence(key), self.page, slot)
        self.editor.filterChanged.connect(self._rebuild)
        self.editor.invalidInput.connect(lambda m: self._status(m, error=True))
        self.editor.loadRequested.connect(self.open_filter_dialog)
        self.editor.saveRequested.connect(self.save_filter_dialog)
        self.controls.changed.connect(self._rebuild)
        self.controls.sampleChosen.connect(self.load_sample)
        self.controls.openImageRequested.connect(self.open_image_dialog)
        st.positionChanged.connect(self._on_position)
        self.page.pool_stepper.positionChanged.connect(lambda _p: self._show_pool())
        v = self.page
        v.fmap_panel.view.cellHovered.connect(self._hover_output)
        v.fmap_panel.view.cellClicked.connect(lambda r, c: self.step_to_cell(r, c))
        v.input_panel.view.cellHovered.connect(self._hover_input)
        for view in (v.fmap_panel.view, v.input_panel.view):
            view.hoverLeft.connect(self._clear_hover)
        self.editor.set_preset("horizontal_line")
        self.controls.set_sample(self.lab.sample_key)
        self.retranslate()
        self._rebuild()

    # ------------------------------------------------------------------ tab interface
    def attach(self, window: Any) -> None:
        """Use ``window``'s engine worker, status bar and shared image (see :mod:`gui.tabs`)."""
        self._window = window
        window.imageChanged.connect(self._on_shared_image)
        self._rebuild()

    def title(self) -> str:
        return self.tr("Convolution")

    def screenshot_ready(self) -> bool:
        return self._pending == 0 and self.lab.ready

    def prepare_screenshot(self, options: Any) -> None:
        if getattr(options, "filter", None):
            try:
                _kernel, name = load_filter_spec(options.filter)  # the rule of the app's --filter
            except (ValueError, OSError) as exc:
                self._status(self.tr("Cannot load the filter: {0}").format(exc), error=True)
            else:
                if name in filters.PRESETS:
                    self.editor.set_preset(name)
                else:
                    self.load_filter_path(options.filter)
        steps = getattr(options, "steps", None)
        self.page.stepper.set_position(self.page.stepper.total() if steps is None else int(steps))

    def shutdown(self) -> None:
        self.page.stepper.pause()
        self.page.pool_stepper.pause()

    # ------------------------------------------------------------------ inputs
    def load_sample(self, key: str) -> None:
        if not key:
            return
        try:
            image = samples.load_sample(key)
        except (ValueError, OSError) as exc:
            self._status(self.tr("Cannot load the sample: {0}").format(exc), error=True)
            return
        self.set_image(image, key=key)

    def set_image(self, image: np.ndarray, name: str = "", key: str | None = None, path: str = "") -> None:
        """Step through ``image`` (``(H, W)`` or ``(H, W, 3)`` floats in [0, 1])."""
        self.lab.set_source(image, name, key, path)
        self.controls.set_sample(key)
        self.page.stepper.set_position(0)
        self._rebuild()

    def load_image_path(self, path: str) -> bool:
        """Open an image file; on error report it and keep the current image. Returns success."""
        try:
            image = samples.load_image_file(path)
        except (samples.ImageLoadError, OSError, ValueError) as exc:
            self._status(self.tr("Cannot open the image: {0}").format(exc), error=True, dialog=True)
            return False
        self.set_image(image, Path(path).name, None, str(path))
        if self._window is not None:
            self._window.set_current_image(image, Path(path).name)  # other tabs may use it too
        return True

    def _on_shared_image(self, image: object, name: str) -> None:
        if image is not self.lab.source:  # opened elsewhere (another tab, drag-and-drop): step through it too
            self.set_image(np.asarray(image, np.float32), name, None, "")

    def load_filter_path(self, path: str) -> bool:
        """Load a filter file; a wrong shape or bad content is reported and the current filter kept."""
        try:
            kernel = io.load_filter(path)
            self.editor.set_kernel(kernel)
        except (ValueError, OSError) as exc:
            self._status(self.tr("Cannot load the filter: {0}").format(exc), error=True, dialog=True)
            return False
        self._status(self.tr("Filter loaded from {0}").format(Path(path).name))
        return True

    def open_image_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open image"), "", self.tr("Images ({0})").format(samples.IMAGE_FILE_FILTER)
        )
        if path:
            self.load_image_path(path)

    def open_filter_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open filter"), "", self.tr("Filters ({0})").format(FILTER_FILES)
        )
        if path:
            self.load_filter_path(path)

    def save_filter_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save filter"), "filter.txt", self.tr("Filters ({0})").format(FILTER_FILES)
        )
        if path:
            try:
                io.save_filter(path, self.editor.kernel(), self.editor.preset_name())
                self._status(self.tr("Filter saved to {0}").format(path))
            except (ValueError, OSError) as exc:
                self._status(self.tr("Cannot save the filter: {0}").format(exc), error=True, dialog=True)

    def save_feature_map(self, path: str | None = None) -> bool:
        """Write the complete feature map as a PNG (diverging colours, 0 = white)."""
        if self.lab.result is None:
            self._status(self.tr("The feature map is not computed yet."), error=True, dialog=True)
            return False
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save feature map"), "feature_map.png", self.tr("PNG images (*.png)")
            )
            if not path:
                return False
        fmap = self.lab.result["conv"]
        lo, hi = self.page.fmap_panel.view.value_range()
        try:
            io.save_image(path, fmap, cmap="diverging", vmin=lo, vmax=hi)
        except (ValueError, OSError) as exc:
            self._status(self.tr("Cannot save the feature map: {0}").format(exc), error=True, dialog=True)
            return False
        self._status(self.tr("Feature map saved to {0}").format(path))
        return True

    # ------------------------------------------------------------------ lesson state
    def state(self) -> dict[str, Any]:
        """Settings, filter, image source and step, as JSON-ready values."""
        s = self.controls.settings()
        return {
            "sample": self.lab.sample_key,
            "image_path": self.lab.source_path,
            "kernel": self.editor.kernel().tolist(),
            "preset": self.editor.preset_name(),
            "bias": self.editor.bias(),
            "padding": s.padding,
            "stride": s.stride,
            "flip": s.flip,
            "channel": s.channel,
            "pool_mode": s.pool_mode,
            "pool_size": s.pool_size,
            "pool_stride": s.pool_stride,
            "step": self.page.stepper.position(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        """Apply a :meth:`state` dict; raises ValueError naming the bad entry (nothing half-applied for the
        image)."""
        kernel = np.asarray(state.get("kernel", self.editor.kernel()), np.float32)
        if state.get("sample"):
            self.load_sample(str(state["sample"]))
        elif state.get("image_path") and not self.load_image_path(str(state["image_path"])):
            raise ValueError(f"image_path cannot be opened. Received: {state['image_path']!r}")
        c = self.controls
        for widget, key in ((c.stride, "stride"), (c.pool_size, "pool_size"), (c.pool_stride, "pool_stride")):
            widget.setValue(int(state.get(key, widget.value())))
        c.flip.setChecked(bool(state.get("flip", False)))
        for combo, key in ((c.channel, "channel"), (c.pool_mode, "pool_mode")):
            combo.setCurrentIndex(max(combo.findData(state.get(key, combo.currentData())), 0))
        c.set_padding(state.get("padding", "valid"))
        preset = state.get("preset")
        self.editor.set_kernel(kernel, preset if preset in filters.PRESETS else None)
        self.editor.set_bias(float(state.get("bias", 0.0)))
        self.page.stepper.set_position(int(state.get("step", 0)))

    # ------------------------------------------------------------------ recompute
    def _params_now(self) -> LabParams:
        s = self.controls.settings()
        plane = samples.downscale(samples.to_channel(self.lab.source, s.channel))
        return LabParams(
            plane,
            self.editor.kernel(),
            self.editor.bias(),
            s.padding,
            s.stride,
            s.flip,
            s.pool_mode,
            s.pool_size,
            s.pool_stride,
        )

    def _rebuild(self) -> None:
        """Settings changed: new walk, new engine job, redraw (the step position is kept when it still
        fits)."""
        self.controls.set_kernel_size(self.editor.kernel().shape[0])
        p = self._params_now()
        generation = self.lab.update(p)
        self._update_image_text(p)
        if self.lab.walk is None:
            self.page.stepper.set_total(0)
            self._status(self.tr("The filter does not fit: {0}").format(self.lab.walk_error), error=True)
            self._refresh()
            return
        with QSignalBlocker(self.page.stepper):
            self.page.stepper.set_total(self.lab.walk.total)
        self._submit(p, generation)
        self._refresh()

    def _submit(self, p: LabParams, generation: int) -> None:
        worker = getattr(self._window, "engine_worker", None)
        if worker is None:
            # not attached yet: the window attaches a tab right after building it, and attach() starts over
            # in the engine thread; a tab used on its own computes here on the next event-loop turn instead
            QTimer.singleShot(0, self, lambda: self._compute_unattached(p, generation))
            return
        self._pending += 1

        def done(result: dict) -> None:
            self._pending -= 1
            self._on_result(generation, result)

        def failed(message: str) -> None:
            self._pending -= 1
            if generation == self.lab.generation:
                self._status(self.tr("The engine failed: {0}").format(message), error=True)

        worker.submit(lambda: compute_maps(p), done, failed)

    def _compute_unattached(self, p: LabParams, generation: int) -> None:
        if self._window is None and generation == self.lab.generation:
            self._on_result(generation, compute_maps(p))

    def _on_result(self, generation: int, result: dict) -> None:
        if not self.lab.accept(generation, result):
            return
        n = len(self.lab.pool_walk)
        with QSignalBlocker(self.page.pool_stepper):
            self.page.pool_stepper.set_total(n, n)
        plane = self.lab.params.plane.shape if self.lab.params is not None else (0, 0)
        self.padding_page.set_maps(result["padding_maps"], plane, self.editor.kernel().shape[0])
        self.pool_page.set_maps(result["pvs"])
        self._refresh()

    # ------------------------------------------------------------------ drawing
    def _on_position(self, _pos: int) -> None:
        with QSignalBlocker(self.page.pool_stepper):
            self.page.pool_stepper.set_position(self.page.pool_stepper.total())
        self._refresh()

    def _refresh(self) -> None:
        self.controls.set_output_text(self.output_size_text())
        show_step(self.page, self.lab)

    def _show_pool(self) -> None:
        show_pool(self.page, self.lab)

    def _update_image_text(self, p: LabParams) -> None:
        h, w = self.lab.source.shape[:2]
        text = self.tr("{0} × {1} pixels").format(w, h) + (
            self.tr(", colour") if self.lab.source.ndim == 3 else ""
        )
        if p.plane.shape != (h, w):
            text += (
                "<br><i>"
                + self.tr(
                    "Shrunk to {0} × {1} for stepping (cell by cell on a large image would take too long)."
                ).format(p.plane.shape[1], p.plane.shape[0])
                + "</i>"
            )
        self.controls.set_image_text(text)

    def step_to_cell(self, row: int, col: int) -> None:
        """Move the stepper so that output cell ``(row, col)`` is the one just computed."""
        if self.lab.walk is not None:
            self.page.stepper.pause()
            self.page.stepper.set_position(self.lab.walk.index_of(row, col) + 1)

    def _hover_output(self, row: int, col: int) -> None:
        self.lab.hover_output(row, col)
        self._refresh()

    def _hover_input(self, row: int, col: int) -> None:
        self.lab.hover_input(row, col)
        self._refresh()

    def _clear_hover(self) -> None:
        if self.lab.clear_hover():
            self._refresh()

    def highlight(
        self, top: int, left: int, rows: int, cols: int, color: QColor, fill: bool = False
    ) -> Highlight:
        return Highlight(top, left, rows, cols, color, 3.0, fill)

    # ------------------------------------------------------------------ messages and text
    def _status(self, text: str, error: bool = False, dialog: bool = False) -> None:
        self.last_message = text
        if self._window is None:
            return
        if error:
            self._window.show_error(text, dialog=dialog)
        else:
            self._window.show_status(text, 5000)

    def output_size_text(self) -> str:
        """The live output-size line: size, formula and the numbers put in it."""
        size = self.lab.output_size()
        if size is None:
            return self.tr("<b>Output: none</b> (the filter is larger than the padded image)")
        return self.tr(
            "<b>Output: {0} × {1}</b> = {2}<br>with N = {3} × {4}, K = {5}, s = {6}, P = {7}"
        ).format(
            size.out_h,
            size.out_w,
            size.formula,
            size.in_h,
            size.in_w,
            size.kernel,
            size.stride,
            size.pads_text,
        )

    def retranslate(self) -> None:
        for i, text in enumerate(
            (self.tr("Step by step"), self.tr("Padding: valid / same / full"), self.tr("Pooling vs stride"))
        ):
            self.pages.setTabText(i, text)
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
