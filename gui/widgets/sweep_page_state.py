"""The Sweep page's settings as data: the lesson's preset, and the dict the lesson state file keeps.

Mixed into :class:`gui.widgets.sweep_page.SweepPage` (which provides ``params``, ``settings``, ``run_state``
and ``preview``); no translated text here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.sweep_space import PARAMS
from gui.models.sweep_setup import LESSON_PRESET
from gui.widgets.sweep_params import SweepParamsBox
from gui.widgets.sweep_settings import SweepSettings

__all__ = ["SweepPageState"]


class SweepPageState:
    """See the module docstring."""

    params: SweepParamsBox
    settings: SweepSettings
    run_state: str
    preview: Callable[[], None]

    # ------------------------------------------------------------------------------------------- lesson
    def preset_lesson(self) -> None:
        """The lesson's hyper-parameters, ready to Run: learning rate, filter size 3/5/7, one to three blocks
        of 32 -> 64 -> 128 filters and 128 dense units, on the shapes."""
        if self.run_state != "idle":
            return
        p = LESSON_PRESET
        self.params.set_values(p["fields"], p["picks"])
        s = self.settings
        s.grid_radio.setChecked(not p["random"])
        s.seeds.setText(p["seeds"])
        s.epochs.setValue(p["epochs"])
        s.dataset.setCurrentIndex(s.dataset.findData(p["dataset"]))
        s.images.setValue(p["images"])
        self.preview()

    # ------------------------------------------------------------------------------------------- state
    def state(self) -> dict[str, Any]:
        """Every setting of the page, JSON-ready (the lesson state file)."""
        s = self.settings
        return {
            "fields": self.params.fields(),
            "picks": self.params.picks(),
            "random": s.random(),
            "points": s.n_random.value(),
            "draw": s.draw_seed.value(),
            "seeds": s.seeds.text(),
            "epochs": s.epochs.value(),
            "dataset": s.kind(),
            "folders": dict(s.folders),
            "images": s.images.value(),
            "side": s.side.value(),
            "color": s.color.currentData(),
            "remote": s.remote(),
            "workers": s.workers.value(),
            "address": s.address.text(),
            "results": s.results.text(),
        }

    def check_state(self, state: dict[str, Any]) -> None:
        """Raise ``ValueError`` naming the first entry of a :meth:`state` dict that is wrong."""
        if not isinstance(state, dict):
            raise ValueError(f"sweep must be a dict of settings. Received: {state!r}")
        for key in ("fields", "picks", "folders"):
            if not isinstance(state.get(key, {}), dict):
                raise ValueError(f"sweep {key} must be a dict. Received: {state[key]!r}")
        unknown = sorted(set(state.get("fields", {})) - set(self.params.edits))
        unknown += sorted(set(state.get("picks", {})) - set(self.params.checks))
        if unknown:
            raise ValueError(f"sweep has no hyper-parameter {unknown[0]!r}. Allowed: {', '.join(PARAMS)}")
        kind = state.get("dataset", "shapes")
        if self.settings.dataset.findData(kind) < 0:
            raise ValueError(f"sweep dataset must be digits, shapes, folder or cifar10. Received: {kind!r}")
        color = state.get("color", "grayscale")
        if self.settings.color.findData(color) < 0:
            raise ValueError(f"sweep color must be grayscale or rgb. Received: {color!r}")
        for key in ("points", "draw", "epochs", "images", "side", "workers"):
            value = state.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"sweep {key} must be an integer. Received: {value!r}")

    def restore_state(self, state: dict[str, Any]) -> None:
        """Apply a :meth:`state` dict (unknown keys ignored, missing keys keep their value).

        Raises ``ValueError`` naming the entry that is wrong; nothing is changed then.
        """
        self.check_state(state)
        if self.run_state != "idle":
            return
        s = self.settings
        self.params.set_values(
            {k: str(v) for k, v in state.get("fields", {}).items()},
            {k: [str(c) for c in v] for k, v in state.get("picks", {}).items()},
        )
        (s.random_radio if state.get("random", s.random()) else s.grid_radio).setChecked(True)
        for spin, key in (
            (s.n_random, "points"), (s.draw_seed, "draw"), (s.epochs, "epochs"), (s.images, "images"),
            (s.side, "side"), (s.workers, "workers"),
        ):  # fmt: skip
            spin.setValue(int(state.get(key, spin.value())))
        s.seeds.setText(str(state.get("seeds", s.seeds.text())))
        s.folders.update({k: str(v) for k, v in state.get("folders", {}).items() if k in s.folders})
        s.dataset.setCurrentIndex(s.dataset.findData(state.get("dataset", s.kind())))
        s.color.setCurrentIndex(s.color.findData(state.get("color", s.color.currentData())))
        (s.remote_radio if state.get("remote", s.remote()) else s.local_radio).setChecked(True)
        s.address.setText(str(state.get("address", s.address.text())))
        s.results.setText(str(state.get("results", s.results.text())))
        self.preview()
