"""The Convolution lab tab: slide a filter over an image step by step, then ReLU and pooling.

All maths comes from the engine: the walk from :mod:`engine.sliding` (stepped in the GUI thread, pure NumPy)
and the maps from :mod:`engine.ops`, computed by the main window's engine worker (Numba kernels compile there,
so the window never freezes). The state lives in a Qt-free :class:`gui.models.convolution.ConvolutionLab`;
this tab wires the widgets to it and :mod:`gui.tabs.convolution_view` draws it. On a colour image the lab can
step one plane (luminance, R, G or B) or all three channels at once with a K x K x 3 filter.

See :mod:`gui.tabs` for the tab interface implemented here, and :mod:`gui.tabs.convolution_lesson` for the
lesson contract (``show_lesson`` / ``lesson_ready``) and the lesson state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QStackedWidget, QTabWidget, QWidget

from engine import filters, io
from engine.cli.args import load_filter_spec
from gui import samples
from gui.models.convolution import ConvolutionLab, LabParams, compute_maps
from gui.tabs import convolution_files, convolution_lesson
from gui.tabs.convolution_lesson import LessonSetup
from gui.tabs.convolution_transposed import show_transposed
from gui.tabs.convolution_view import CURRENT, HOVER, show_step
from gui.widgets.arith_page import ArithmeticPage
from gui.widgets.compare import PaddingComparison, PoolVsStride
from gui.widgets.conv_controls import ConvControls
from gui.widgets.filter_editor import FilterEditor
from gui.widgets.side_fold import SideFold
from gui.widgets.step_page import StepPage
from gui.widgets.stepper import Stepper
from gui.widgets.transpose_page import TransposePage

__all__ = ["CURRENT", "HOVER", "ConvolutionTab"]


class ConvolutionTab(QWidget):
    """Image, filter and settings on the left; step-by-step and side-by-side pages on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window: Any = None
        #: the lab's state (image, settings, walk, maps, hover): what the views draw
        self.lab = ConvolutionLab(samples.load_sample(samples.DEFAULT_SAMPLE), key=samples.DEFAULT_SAMPLE)
        self._pending = 0
        #: the pooling stepper's own step; None: live (follows the convolution)
        self._pool_q: int | None = None
        self._lesson: LessonSetup | None = None  # a lesson step waiting for the engine's maps
        self._pending_pool_q: int | None = None
        self.editor = FilterEditor()
        self.controls = ConvControls(self.editor)
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._controls_scroll = scroll
        self._fit_controls()
        self.page = StepPage()
        #: the step page in transposed mode (each input cell scatters onto the output)
        self.tpage = TransposePage()
        self.step_stack = QStackedWidget()
        self.step_stack.addWidget(self.page)
        self.step_stack.addWidget(self.tpage)
        self.padding_page = PaddingComparison()
        self.pool_page = PoolVsStride()
        self.arith_page = ArithmeticPage()
        self.pages = QTabWidget()
        for w in (self.step_stack, self.padding_page, self.pool_page, self.arith_page):
            self.pages.addTab(w, "")
        # the settings fold into a strip when they and the pages do not fit (1024 px with the lesson panel)
        self.fold = SideFold(scroll, self.pages, lambda: self.tr("Settings"))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.fold)
        st = self.page.stepper
        for page, stepper in ((self.page, st), (self.tpage, self.tpage.stepper)):
            for key, slot in (
                ("Space", stepper.toggle_play),
                ("Right", stepper.step_forward),
                ("Left", stepper.step_back),
                ("Home", stepper.reset),
                ("End", stepper.jump_to_end),
            ):
                QShortcut(QKeySequence(key), page, slot)
        self.editor.filterChanged.connect(self._rebuild)
        self.editor.invalidInput.connect(lambda m: self.status(m, error=True))
        self.editor.loadRequested.connect(self.open_filter_dialog)
        self.editor.saveRequested.connect(self.save_filter_dialog)
        self.controls.changed.connect(self._rebuild)
        self.controls.sampleChosen.connect(self.load_sample)
        self.controls.openImageRequested.connect(self.open_image_dialog)
        st.positionChanged.connect(self._on_position)
        st.set_step_rule(self._step_rule)
        self.tpage.stepper.positionChanged.connect(self._on_position)
        t = self.tpage
        t.output_panel.view.cellClicked.connect(self._select_output)
        t.input_panel.view.cellClicked.connect(lambda r, c: self.step_to_cell(r, c))
        for place, view in (("input", t.input_panel.view), ("output", t.output_panel.view)):
            view.cellHovered.connect(lambda r, c, place=place: self.hover(place, r, c))
            view.hoverLeft.connect(self._clear_hover)
        self.page.pool_stepper.positionChanged.connect(self._on_pool_position)
        v = self.page
        v.fmap_panel.view.cellClicked.connect(lambda r, c: self.step_to_cell(r, c))
        v.relu_panel.view.cellClicked.connect(lambda r, c: self.step_to_cell(r, c))
        for place, view in (
            ("output", v.fmap_panel.view),
            ("input", v.input_panel.view),
            ("relu", v.relu_panel.view),
            ("pooled", v.pool_panel.view),
            *(("output", panel.view) for panel in v.partial_panels),
        ):
            view.cellHovered.connect(lambda r, c, place=place: self.hover(place, r, c))
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
        worker = getattr(window, "engine_worker", None)
        self.pool_page.train_both.set_submit(worker.submit if worker is not None else None)
        self._rebuild()

    def title(self) -> str:
        return self.tr("Convolution")

    def screenshot_ready(self) -> bool:
        return self._pending == 0 and self.lab.ready and self._lesson is None and self._pending_pool_q is None

    # ------------------------------------------------------------------ lesson contract
    def show_lesson(self, section_id: str) -> bool:
        """Set the lab up so that the lesson section's claim is visible (see
        :data:`gui.tabs.convolution_lesson.LESSON_SETUPS`); False for sections shown elsewhere."""
        return convolution_lesson.apply_lesson(self, section_id)

    def lesson_ready(self) -> bool:
        """True once the view asked for by the last :meth:`show_lesson` is drawn."""
        return self.screenshot_ready()

    def set_pending_lesson(self, setup: LessonSetup) -> None:
        """Apply ``setup``'s steps now when they are known, else when the engine's maps come in."""
        self._lesson = setup
        if self.lab.result is not None or self.lab.walk is None:  # maps in, or none to wait for
            self._apply_lesson_steps()

    def _apply_lesson_steps(self) -> None:
        setup, self._lesson = self._lesson, None
        if setup is not None:
            convolution_lesson.apply_lesson_steps(self, setup)

    def set_pending_pool_step(self, q: int) -> None:
        """Put the pooling stepper at ``q`` (now, or once the maps are in)."""
        self._pending_pool_q = int(q)
        if self.lab.result is not None or self.lab.walk is None:
            self._apply_pending_pool_step()

    def _apply_pending_pool_step(self) -> None:
        q, self._pending_pool_q = self._pending_pool_q, None
        if q is not None and self.lab.pool_walk:
            self.set_pool_step(min(q, len(self.lab.pool_walk)))

    def pool_position(self) -> int | None:
        """The pooling stepper's own step, None in the live view."""
        return self._pool_q

    def prepare_screenshot(self, options: Any) -> None:
        channel = getattr(options, "channel", None)
        if channel:
            self.controls.set_channel({"r": "red", "g": "green", "b": "blue"}.get(channel, channel))
        if getattr(options, "filter", None):
            try:
                _kernel, name = load_filter_spec(options.filter)  # the rule of the app's --filter
            except (ValueError, OSError) as exc:
                self.status(self.tr("Cannot load the filter: {0}").format(exc), error=True)
            else:
                if name in filters.PRESETS:
                    self.editor.set_preset(name)
                else:
                    self.load_filter_path(options.filter)
        page = getattr(options, "page", None)
        if page:
            convolution_lesson.show_page(self, page)
        steps = getattr(options, "steps", None)
        self.stepper().set_position(self.stepper().total() if steps is None else int(steps))

    def shutdown(self) -> None:
        self.page.stepper.pause()
        self.page.pool_stepper.pause()
        self.tpage.stepper.pause()

    def transposed(self) -> bool:
        """Whether the lab steps a transposed convolution (the step page shows the scatter)."""
        return self.controls.settings().transposed

    def stepper(self) -> Stepper:
        """The stepper of the step page shown: the sliding window's, or the scatter's in transposed mode."""
        return self.tpage.stepper if self.transposed() else self.page.stepper

    # ------------------------------------------------------------------ inputs
    def load_sample(self, key: str) -> None:
        if not key:
            return
        try:
            image = samples.load_sample(key)
        except (ValueError, OSError) as exc:
            self.status(self.tr("Cannot load the sample: {0}").format(exc), error=True)
            return
        self.set_image(image, key=key)

    def set_image(self, image: np.ndarray, name: str = "", key: str | None = None, path: str = "") -> None:
        """Step through ``image`` (``(H, W)`` or ``(H, W, 3)`` floats in [0, 1])."""
        self.lab.set_source(image, name, key, path)
        self.controls.set_sample(key)
        self.controls.set_colour(self.lab.is_colour)
        self.page.stepper.set_position(0)
        self.tpage.stepper.set_position(0)
        self._rebuild()

    def load_image_path(self, path: str) -> bool:
        """Open an image file; on error report it and keep the current image. Returns success."""
        try:
            image = samples.load_image_file(path)
        except (samples.ImageLoadError, OSError, ValueError) as exc:
            self.status(self.tr("Cannot open the image: {0}").format(exc), error=True, dialog=True)
            return False
        self.set_image(image, Path(path).name, None, str(path))
        if self._window is not None:
            self._window.set_current_image(image, Path(path).name)  # other tabs may use it too
        return True

    def _on_shared_image(self, image: object, name: str) -> None:
        if image is not self.lab.source:  # opened elsewhere (another tab, drag-and-drop): step through it too
            self.set_image(np.asarray(image, np.float32), name, None, "")

    def load_filter_path(self, path: str) -> bool:
        """Load a filter file; a wrong shape or bad content is reported and the current filter kept. In "all
        channels" mode the (K, K) filter goes to every slice or to the one shown (the editor's choice)."""
        try:
            kernel = io.load_filter(path)
            self.editor.set_kernel(kernel, convolution_lesson.preset_names_of(kernel)[0])
        except (ValueError, OSError) as exc:
            self.status(self.tr("Cannot load the filter: {0}").format(exc), error=True, dialog=True)
            return False
        self.status(self.tr("Filter loaded from {0}").format(Path(path).name))
        return True

    def set_kernel(self, kernel: np.ndarray, presets: list[str | None] | None = None) -> None:
        """Show ``kernel`` ``(K, K)`` or ``(K, K, 3)`` in the editor (``presets`` names its slices)."""
        self.editor.set_kernel(kernel, presets)

    def open_image_dialog(self) -> None:
        convolution_files.open_image_dialog(self)

    def open_filter_dialog(self) -> None:
        convolution_files.open_filter_dialog(self)

    def save_filter_dialog(self) -> None:
        convolution_files.save_filter_dialog(self)

    def save_feature_map(self, path: str | None = None) -> bool:
        """Write the complete feature map as a PNG (diverging colours, 0 = white); asks where without
        ``path``."""
        return convolution_files.save_feature_map(self, path)

    # ------------------------------------------------------------------ lesson state
    def state(self) -> dict[str, Any]:
        """Every setting (image, channel mode, filter with its slices and presets, convolution, pooling,
        steps, page, Train both), as JSON-ready values."""
        return convolution_lesson.tab_state(self)

    def restore_state(self, state: dict[str, Any]) -> None:
        """Apply a :meth:`state` dict; raises ValueError naming the bad entry (nothing half-applied for the
        image)."""
        convolution_lesson.restore_tab_state(self, state)

    # ------------------------------------------------------------------ recompute
    def rgb_mode(self) -> bool:
        """Whether the lab steps all three channels of a colour image at once (not in transposed mode, which
        scatters one plane: the luminance when "all channels" is chosen)."""
        s = self.controls.settings()
        return self.lab.is_colour and s.channel == "rgb" and not s.transposed

    def _params_now(self) -> LabParams:
        s = self.controls.settings()
        src = self.lab.source
        if self.rgb_mode():
            plane = np.stack([samples.downscale(src[..., c]) for c in range(3)], axis=2)  # (h, w, 3)
        else:
            plane = samples.downscale(
                samples.to_channel(src, "luminance" if s.channel == "rgb" else s.channel)
            )
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
            s.dilation,
            s.transposed,
        )

    def _rebuild(self) -> None:
        """Settings changed: new walk, new engine job, redraw (the step position is kept when it still
        fits)."""
        depth = 3 if self.rgb_mode() else 1
        if depth != self.editor.depth():
            self.editor.set_depth(depth)
            self._fit_controls()
        self.controls.set_colour(self.lab.is_colour)
        self.controls.set_kernel_size(self.editor.kernel().shape[0])
        p = self._params_now()
        generation = self.lab.update(p)
        self._pool_q = None
        self._update_image_text(p)
        self.step_stack.setCurrentWidget(self.tpage if p.transposed else self.page)
        self.controls.pool_box.setEnabled(not p.transposed)
        if self.lab.steps == 0:
            self.stepper().set_total(0)
            message = (
                self.tr("Nothing to compute: {0}")
                if p.transposed
                else self.tr("The filter does not fit: {0}")
            )
            self.status(message.format(self.lab.walk_error), error=True)
            self._refresh()
            return
        with QSignalBlocker(self.stepper()):
            self.stepper().set_total(self.lab.steps)
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
                self._lesson = self._pending_pool_q = None  # no maps will come for them
                self.status(self.tr("The engine failed: {0}").format(message), error=True)

        worker.submit(lambda: compute_maps(p), done, failed)

    def _compute_unattached(self, p: LabParams, generation: int) -> None:
        if self._window is None and generation == self.lab.generation:
            self._on_result(generation, compute_maps(p))

    def _on_result(self, generation: int, result: dict) -> None:
        if not self.lab.accept(generation, result):
            return
        p = self.lab.params
        assert p is not None
        self.padding_page.set_maps(result["padding_maps"], p.plane, p.kernel.shape[0])
        self.pool_page.set_maps(result["pvs"], p.plane, (p.pool_mode, p.pool_size, p.pool_stride))
        self._refresh()
        if self._lesson is not None:
            self._apply_lesson_steps()
        if self._pending_pool_q is not None:
            self._apply_pending_pool_step()

    # ------------------------------------------------------------------ stepping and drawing
    def _step_rule(self, pos: int, delta: int) -> int:
        walk = self.lab.walk
        if walk is None:
            return pos + delta
        return walk.next_position(pos, delta, self.page.skip_zero.isChecked())

    def _on_position(self, _pos: int) -> None:
        self._pool_q = None  # the pooled map follows the convolution again
        self._refresh()

    def _on_pool_position(self, q: int) -> None:
        """The learner stepped the pooling window: pooling reads the finished ReLU map, so the convolution
        is completed first."""
        self.set_pool_step(q)

    def set_pool_step(self, q: int) -> None:
        """Put the pooling stepper at ``q`` (its own walk; the convolution is completed first)."""
        st = self.page.stepper
        if st.position() != st.total():
            st.pause()
            with QSignalBlocker(st):
                st.set_position(st.total())
        total = len(self.lab.pool_walk)
        self._pool_q = None if q >= total else q
        with QSignalBlocker(self.page.pool_stepper):
            self.page.pool_stepper.set_position(q)
        self._refresh()

    def _refresh(self) -> None:
        self.controls.set_output_text(self.output_size_text())
        if self.lab.params is not None and self.lab.params.transposed:
            show_transposed(self.tpage, self.lab)
        else:
            show_step(self.page, self.lab, self._pool_q)

    def _update_image_text(self, p: LabParams) -> None:
        src = self.lab.source
        h, w = src.shape[:2]
        if src.ndim == 3:
            text = self.tr("{0} × {1} × 3 pixels (H × W × C, colour)").format(h, w)
        else:
            text = self.tr("{0} × {1} pixels (H × W)").format(h, w)
        if p.plane.shape[:2] != (h, w):
            text += (
                "<br><i>"
                + self.tr(
                    "Shrunk to {0} × {1} for stepping (cell by cell on a large image would take too long)."
                ).format(p.plane.shape[0], p.plane.shape[1])
                + "</i>"
            )
        self.controls.set_image_text(text)

    def step_to_cell(self, row: int, col: int) -> None:
        """Move the stepper so that output cell ``(row, col)`` is the one just computed (in transposed mode:
        input cell ``(row, col)`` the one just scattered)."""
        if self.lab.twalk is not None:
            self.tpage.stepper.pause()
            self.tpage.stepper.set_position(row * self.lab.twalk.in_hw[1] + col + 1)
        elif self.lab.walk is not None:
            self.page.stepper.pause()
            self.page.stepper.set_position(self.lab.walk.index_of(row, col) + 1)

    def _select_output(self, row: int, col: int) -> None:
        """Transposed mode: keep writing out the sum of the clicked output cell."""
        self.lab.select(row, col)
        self._refresh()

    def hover(self, place: str, row: int, col: int) -> None:
        """Show what cell ``(row, col)`` of panel ``place`` (input, output, relu, pooled) is made of."""
        self.lab.hover_cell(place, row, col)
        self._refresh()

    def _clear_hover(self) -> None:
        if self.lab.clear_hover():
            self._refresh()

    # ------------------------------------------------------------------ messages and text
    def status(self, text: str, error: bool = False, dialog: bool = False) -> None:
        """A message in the window's status bar (red for errors; a dialog too for user actions)."""
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
            if self.lab.params is not None and self.lab.params.transposed:
                return self.tr("<b>Output: none</b> (the padding cuts off the whole scatter)")
            return self.tr("<b>Output: none</b> (the filter is larger than the padded image)")
        text = self.tr(
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
        if size.dilation > 1:
            text += "<br>" + self.tr("d = {0}: the filter spans d(K - 1) + 1 = {1} cells").format(
                size.dilation, size.span
            )
        if size.transposed:
            text += "<br>" + self.tr("P: the cells cut off the full scatter of (N - 1)s + K")
        return text

    def _fit_controls(self) -> None:
        """The settings column is as wide as its widest row needs (it changes with the language and with the
        RGB rows of the filter editor), never clipped."""
        self.controls.adjustSize()
        self._controls_scroll.setFixedWidth(max(self.controls.minimumSizeHint().width() + 24, 290))

    def retranslate(self) -> None:
        for i, text in enumerate(
            (
                self.tr("Step by step"),
                self.tr("Padding: valid / same / full"),
                self.tr("Pooling vs stride"),
                self.tr("Convolution arithmetic"),
            )
        ):
            self.pages.setTabText(i, text)
        # the settings re-set their own texts on the same language change, maybe after this: measure then
        QTimer.singleShot(0, self, self._fit_controls)
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
