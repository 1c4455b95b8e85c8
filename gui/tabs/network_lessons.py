"""The Network tab's lesson side: which view shows which section of the lesson, the one-click training of an
untrained network, ``--screenshot --tab network --view NAME``, and the saved lesson state.

Mixed into :class:`gui.tabs.network.NetworkTab` (kept apart so each file stays readable). The lesson contract:
``show_lesson(id)`` sets the view up and returns True for ``layers``, ``invariance``, ``architecture`` and
``flatten``; ``lesson_ready()`` is True once that view is fully drawn; ``show_view(name)`` selects a view by
the names ``--view`` takes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gui.tabs._network_host import NetworkHost

__all__ = ["LESSON_VIEWS", "SCREENSHOT_VIEWS", "VIEW_KEYS", "NetworkLessonsMixin"]

#: the pages of the tab, in order
VIEW_KEYS = ("architecture", "maps", "overview", "saliency", "invariance", "flatten", "hierarchy")
#: the names ``--view`` and :meth:`NetworkLessonsMixin.show_view` accept
SCREENSHOT_VIEWS = ("overview", "invariance", "flatten", "hierarchy", "saliency")
#: lesson section -> the view that shows it
LESSON_VIEWS = {
    "layers": "hierarchy",
    "invariance": "invariance",
    "architecture": "overview",
    "flatten": "flatten",
}
#: the preset a screenshot of these views trains first: Grad-CAM is informative when the last conv layer is at
#: 7x7 (the lesson's network), and the lesson's three conv layers show fields of 3, 8 and 18 px
SCREENSHOT_PRESETS = {"saliency": "lesson", "hierarchy": "lesson"}
#: batches per engine-thread job of the one-click training (the window stays responsive between them)
QUICK_CHUNK = 8
QUICK_BATCH = 32


class NetworkLessonsMixin(NetworkHost):
    """See the module docstring."""

    def _init_lessons(self) -> None:
        self._quick: list[int] | None = None  # [done, total] batches of the one-click training
        self._quick_then: list[Callable[[], None]] = []
        self._plan: dict | None = None  # what show_lesson / prepare_screenshot still has to do
        self._plan_after_build = False
        self._shot_done = True

    # ------------------------------------------------------------------------------------------ views
    def show_view(self, name: str) -> None:
        """Select the view ``name`` (one of :data:`VIEW_KEYS`; ``--view`` uses :data:`SCREENSHOT_VIEWS`)."""
        if name not in VIEW_KEYS:
            raise ValueError(f"view must be one of {SCREENSHOT_VIEWS}. Received: {name!r}")
        self.views.setCurrentWidget(self.pages[name])
        self._update_banner()

    def current_view(self) -> str:
        """The key of the page shown."""
        widget = self.views.currentWidget()
        return next((k for k, w in self.pages.items() if w is widget), "overview")

    def _current_net_view(self) -> Any:
        from gui.widgets.net_view import NetView

        widget = self.views.currentWidget()
        return widget if isinstance(widget, NetView) else None

    # ------------------------------------------------------------------------------------------ lessons
    def show_lesson(self, section_id: str) -> bool:
        """Set the view of lesson section ``section_id`` up (training the network first when the view needs a
        trained one); False for sections other tabs show."""
        view = LESSON_VIEWS.get(section_id)
        if view is None:
            return False
        self.show_view(view)
        if view == "invariance" and self.invariance.shift == (0, 0):
            # the claim needs a shift to compare with: one pixel, the lesson's "a pattern moved by a pixel"
            self.invariance.set_shift(0, 1)
        # every lesson view reads a trained network (the overview's class scores, the input column's answer
        # beside the Flatten view): an untrained one is trained for one epoch first
        needs = not self.session.trained
        self._start_plan({"view": view, "batches": -1 if needs else 0})
        return True

    def lesson_ready(self) -> bool:
        """True once the view set up by the last :meth:`show_lesson` (or screenshot) is fully drawn."""
        if not self._shot_done or self._quick is not None or not getattr(self, "_maps_ready", False):
            return False
        view = self._current_net_view()
        return view is None or view.is_ready()

    # ------------------------------------------------------------------------------------------ screenshots
    def prepare_screenshot(self, options: Any) -> None:
        """``--view NAME`` shows that view, training a small network first (one epoch, or ``--train-steps N``
        batches); ``--train-steps N`` alone trains N batches; ``--image FILE`` becomes the current image."""
        view = getattr(options, "view", None)
        n = getattr(options, "train_steps", None)
        plan: dict[str, Any] = {"batches": int(n) if n else (-1 if view else 0), "screenshot": True}
        if view:
            self.show_view(view)
            plan["view"] = view
            if view == "invariance" and self.invariance.shift == (0, 0):
                self.invariance.set_shift(0, 3)
            if view in SCREENSHOT_PRESETS:
                plan["preset"] = SCREENSHOT_PRESETS[view]
        if getattr(options, "image", None):
            plan["image"] = options.image
        self._start_plan(plan)

    def screenshot_ready(self) -> bool:
        return self.lesson_ready()

    def _start_plan(self, plan: dict) -> None:
        self._plan = plan
        self._shot_done = False
        if plan.get("view") == "flatten":
            self.flatten.train_when_ready = True
            self.flatten.invalidate()
        self.ensure_ready()
        self._continue_plan()

    def _data_arrived(self) -> None:
        if self._plan is not None and not self._plan_after_build:
            self._continue_plan()

    def _model_arrived(self) -> None:
        if self._plan_after_build:
            self._plan_after_build = False
            self._continue_plan()

    def _continue_plan(self) -> None:
        """Do the next step of the plan: choose the preset, build, train, open the image; then done."""
        plan, s = self._plan, self.session
        if plan is None:
            return
        if s.data is None:
            return  # _data_arrived continues
        if s.building:
            self._plan_after_build = True  # _model_arrived continues
            return
        if s.training:
            if self._quick is not None:
                self._quick_then.append(self._continue_plan)
            return  # a run of the Training tab: its end (weightsChanged) continues
        preset = plan.pop("preset", None)
        if preset is not None and self.preset.currentData() != preset:
            self.preset.setCurrentIndex(self.preset.findData(preset))
            self.build(then=lambda _info: self._continue_plan())
            return
        if s.info is None:
            self.build(then=lambda _info: self._continue_plan())
            return
        batches = plan.pop("batches", 0)
        if batches:
            self.train_quick(None if batches < 0 else batches, then=self._continue_plan)
            return
        image = plan.pop("image", None)
        if image:
            self.load_image_file(image)
        if plan.get("view") == "invariance":
            self.invariance.measure_accuracy()  # the trend over the validation set, beside the one image
        if plan.get("view") == "overview" and plan.get("screenshot"):
            self.overview.hover_demo()
        self._plan = None
        self._shot_done = True

    # ---------------------------------------------------------------------------------------- quick training
    def train_quick(self, batches: int | None = None, then: Callable[[], None] | None = None) -> bool:
        """Train the current network ``batches`` batches of 32 (default: one epoch of the data) in
        engine-thread jobs of :data:`QUICK_CHUNK` batches, as ``--train-steps`` does; ``then()`` afterwards.
        False when it cannot start (no model or data, or a training run is going on)."""
        s = self.session
        if then is not None:
            self._quick_then.append(then)
        if self._quick is not None:
            return True
        if s.model is None or s.data is None or s.training:
            self._quick_then.clear()
            return False
        model, data = s.model, s.data
        n = len(data.x_train)
        steps = math.ceil(n / QUICK_BATCH)
        total = int(batches) if batches else steps
        seed = int(s.seed)
        self._quick = [0, total]
        s.training = True
        for w in (self.build_btn, self.open_btn, self.preset, self.generate):
            w.setEnabled(False)
        self._update_banner()

        def job(start: int) -> int:
            end = min(start + QUICK_CHUNK, total)
            for b in range(start, end):
                epoch, k = divmod(b, steps)
                order = np.random.default_rng([seed, epoch]).permutation(n)
                idx = order[k * QUICK_BATCH : (k + 1) * QUICK_BATCH]
                model.train_on_batch(data.x_train[idx], data.y_train[idx])
            return end

        def done(position: int) -> None:
            assert self._quick is not None
            self._quick[0] = position
            self.banner.set_training(position, total)
            if position < total:
                s.run(lambda: job(position), done, failed)
            else:
                finish(True)

        def failed(message: str) -> None:
            self._error(message)
            finish(False)

        def finish(ok: bool) -> None:
            self._quick = None
            s.training = False
            for w in (self.build_btn, self.open_btn, self.preset, self.generate):
                w.setEnabled(True)
            s.notify_weights_changed(trained=True if ok else None)
            then_list, self._quick_then = self._quick_then, []
            for fn in then_list:
                fn()

        s.run(lambda: job(0), done, failed)
        return True

    def _update_banner(self) -> None:
        s = self.session
        if self._quick is not None:
            self.banner.set_training(*self._quick)
            self.banner.show()
            return
        view = self._current_net_view()
        needs = view is not None and view.needs_training
        show = needs and s.model is not None and not s.trained and not s.training
        if show:
            self.banner.set_idle()
        self.banner.setVisible(bool(show))

    # ------------------------------------------------------------------------------------------ lesson state
    def state(self) -> dict:
        """Every setting of the tab and its views, JSON-able (see :meth:`restore_state`)."""
        preset = self.preset.currentData()
        out: dict[str, Any] = {
            "view": self.current_view(),
            "preset": preset,
            "image_index": int(self.image_index.value()),
            "target_class": self._target,
            "show_arithmetic": bool(self.input.arithmetic.isChecked()),
            "views": {view.key: view.state() for view in self.net_views()},
        }
        if preset == "custom":
            out["layers"] = self.table.configs()
        return out

    def restore_state(self, state: dict) -> None:
        """Apply :meth:`state`'s dict; unknown keys are ignored, missing ones keep the current settings. A
        different architecture is rebuilt (its weights are new: train it again)."""
        if not isinstance(state, dict):
            raise TypeError(f"the Network tab's state must be a dict. Received: {type(state).__name__}")
        views = state.get("views")
        if isinstance(views, dict):
            for view in self.net_views():
                sub = views.get(view.key)
                if isinstance(sub, dict):
                    view.restore_state(sub)
        if isinstance(state.get("show_arithmetic"), bool):
            self.input.arithmetic.setChecked(state["show_arithmetic"])
        index = state.get("image_index")
        if isinstance(index, int) and index >= 0:
            self.image_index.setValue(index)
        target = state.get("target_class")
        if target is None or (isinstance(target, int) and target >= 0):
            self.choose_class(target)
        self._restore_architecture(state)
        view = state.get("view")
        if isinstance(view, str) and view in VIEW_KEYS:
            self.show_view(view)

    def _restore_architecture(self, state: dict) -> None:
        preset = state.get("preset")
        combo = self.preset
        if not isinstance(preset, str) or combo.findData(preset) < 0 or self.session.training:
            return
        if preset == "custom":
            layers = state.get("layers")
            if not isinstance(layers, list):
                return
            try:
                self.table.set_configs(layers)
            except (ValueError, KeyError, TypeError) as exc:
                self._error(str(exc))
                return
            self._mark_custom()
            self.build()
        elif preset != combo.currentData():
            combo.setCurrentIndex(combo.findData(preset))
            self.build()
