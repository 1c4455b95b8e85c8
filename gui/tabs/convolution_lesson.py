"""The Convolution tab's side of the lesson contract: the lesson sections it demonstrates, and its state.

:data:`LESSON_SETUPS` says, for each section of the lesson the lab shows, which sample, filter, settings, page
and step make the claim visible; :func:`apply_lesson` puts a tab in that state. :func:`tab_state` and
:func:`restore_tab_state` write and read every setting of the tab as JSON-ready values (the lesson file of
:meth:`gui.main_window.MainWindow.save_state`). The tab is passed in; this module never imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine import filters

__all__ = [
    "LESSON_SETUPS",
    "PAGES",
    "LessonSetup",
    "apply_lesson",
    "preset_names_of",
    "restore_tab_state",
    "show_page",
    "tab_state",
]

#: the pages of the lab, in tab order
PAGES = ("step", "padding", "stride", "arithmetic")
#: what ``--page`` may name: a page, or the step page in transposed mode
PAGE_CHOICES = ("step", "transposed", *PAGES[1:])


@dataclass(frozen=True)
class LessonSetup:
    """How the lab shows one section's claim.

    ``step``: an int (stepper position), ``"end"`` (every cell computed) or ``"strongest"`` (the cell with the
    largest response, known once the engine's maps are in). ``pool_step``: None (live) or ``"middle"`` (the
    pooling stepper half-way, the convolution done). ``hover``: ``"most_negative"`` shows the ReLU cell of the
    most negative response as if hovered (its window, its sum, and max(0, sum) = 0).
    """

    sample: str
    channel: str = "luminance"
    preset: str = "horizontal_line"
    padding: str = "valid"
    stride: int = 1
    pool: tuple[str, int, int] = ("max", 2, 2)
    page: str = "step"
    step: int | str = "end"
    pool_step: str | None = None
    hover: str | None = None


#: section id (the lesson contract) -> what the lab shows for it
LESSON_SETUPS: dict[str, LessonSetup] = {
    # the lesson's worked example: [0,0,0,1,1,1,0,0,0] x the horizontal-line filter = 6, written out
    "convolution": LessonSetup("line", step=1),
    # one filter over an RGB photo: three windows, three slices, three partial sums + bias = the output cell
    "channels": LessonSetup("chelsea", channel="rgb", step="strongest"),
    # a digit with the line filter gives negatives (blue) that ReLU turns into 0: the most negative one shown
    "relu": LessonSetup("digit", hover="most_negative"),
    # the pooling stepper half-way over the ReLU map
    "pooling": LessonSetup("digit", pool_step="middle"),
    # the 9 x 9 cross: maps of 7, 9 and 11 cells and coverage counts large enough to read
    "padding": LessonSetup("cross", page="padding"),
    "stride": LessonSetup("digit", page="stride"),
}


def apply_lesson(tab: Any, section_id: str) -> bool:
    """Put ``tab`` (a :class:`gui.tabs.convolution.ConvolutionTab`) in the state of ``section_id``; False
    for a section the lab does not show. Steps that need the engine's maps are applied when they come in
    (``tab.lesson_ready()`` tells when)."""
    setup = LESSON_SETUPS.get(section_id)
    if setup is None:
        return False
    c = tab.controls
    tab.page.stepper.pause()
    tab.page.pool_stepper.pause()
    tab.editor.set_apply_target("all")
    tab.load_sample(setup.sample)
    c.set_channel(setup.channel)
    c.flip.setChecked(False)
    c.set_mode("convolution")
    c.dilation.setValue(1)
    c.stride.setValue(setup.stride)
    mode, size, stride = setup.pool
    c.pool_mode.setCurrentIndex(c.pool_mode.findData(mode))
    c.pool_size.setValue(size)
    c.pool_stride.setValue(stride)
    c.set_padding(setup.padding)
    tab.editor.set_preset(setup.preset)
    tab.editor.set_bias(0.0)
    tab.page.skip_zero.setChecked(False)
    tab.pages.setCurrentIndex(PAGES.index(setup.page))
    tab.lab.clear_hover()
    tab.set_pending_lesson(setup)
    return True


def show_page(tab: Any, page: str) -> None:
    """Show one of :data:`PAGE_CHOICES` (``"transposed"``: the step page with the lab in transposed mode;
    ``"step"`` puts it back in convolution mode)."""
    if page not in PAGE_CHOICES:
        raise ValueError(f"page must be one of {PAGE_CHOICES}. Received: page={page!r}")
    if page in ("step", "transposed"):
        tab.controls.set_mode("transposed" if page == "transposed" else "convolution")
    tab.pages.setCurrentIndex(PAGES.index("step" if page == "transposed" else page))


def apply_lesson_steps(tab: Any, setup: LessonSetup) -> None:
    """The steps of ``setup`` that need the engine's maps: the strongest cell, the pooling stepper."""
    if tab.lab.walk is None:
        return
    st = tab.page.stepper
    if setup.step == "end":
        st.set_position(st.total())
    elif setup.step == "strongest" and tab.lab.result is not None:
        conv = tab.lab.result["conv"]  # (OH, OW)
        st.set_position(int(np.abs(conv).argmax()) + 1)
    elif isinstance(setup.step, int):
        st.set_position(setup.step)
    if setup.pool_step == "middle" and tab.lab.pool_walk:
        tab.set_pool_step(len(tab.lab.pool_walk) // 2)
    if setup.hover == "most_negative" and tab.lab.result is not None:
        conv = tab.lab.result["conv"]  # (OH, OW)
        r, c = np.unravel_index(int(conv.argmin()), conv.shape)
        tab.hover("relu", int(r), int(c))


def preset_names_of(kernel: np.ndarray) -> list[str | None]:
    """For each slice of ``kernel`` (``(K, K)`` or ``(K, K, 3)``), the preset it equals, else None."""
    k = np.asarray(kernel, np.float32)
    planes = [k] if k.ndim == 2 else [k[:, :, c] for c in range(k.shape[2])]
    names: list[str | None] = []
    for plane in planes:
        found = None
        for name, preset in filters.PRESETS.items():
            if preset.shape == plane.shape and np.allclose(preset, plane, atol=1e-6):
                found = name
                break
        names.append(found)
    return names


def tab_state(tab: Any) -> dict[str, Any]:
    """Every setting of the tab as JSON-ready values."""
    s = tab.controls.settings()
    return {
        "sample": tab.lab.sample_key,
        "image_path": tab.lab.source_path,
        "channel": s.channel,
        "kernel": tab.editor.kernel().tolist(),
        "presets": tab.editor.preset_names(),
        "slice": tab.editor.current_slice(),
        "apply_to": tab.editor.apply_target(),
        "bias": tab.editor.bias(),
        "padding": s.padding,
        "stride": s.stride,
        "dilation": s.dilation,
        "mode": "transposed" if s.transposed else "convolution",
        "flip": s.flip,
        "pool_mode": s.pool_mode,
        "pool_size": s.pool_size,
        "pool_stride": s.pool_stride,
        "step": tab.stepper().position(),
        "pool_step": tab.pool_position(),
        "skip_zero": tab.page.skip_zero.isChecked(),
        "page": PAGES[tab.pages.currentIndex()],
        "train_both": tab.pool_page.train_both.state(),
    }


def restore_tab_state(tab: Any, state: dict[str, Any]) -> None:
    """Apply a :func:`tab_state` dict (missing keys keep their value, unknown keys are ignored); raises
    ValueError naming the bad entry (nothing half-applied for the image)."""
    kernel = np.asarray(state.get("kernel", tab.editor.kernel()), np.float32)
    if state.get("sample"):
        tab.load_sample(str(state["sample"]))
    elif state.get("image_path") and not tab.load_image_path(str(state["image_path"])):
        raise ValueError(f"image_path cannot be opened. Received: {state['image_path']!r}")
    c = tab.controls
    for widget, key in (
        (c.stride, "stride"),
        (c.dilation, "dilation"),
        (c.pool_size, "pool_size"),
        (c.pool_stride, "pool_stride"),
    ):
        widget.setValue(int(state.get(key, widget.value())))
    mode = state.get("mode", "transposed" if c.settings().transposed else "convolution")
    if mode not in ("convolution", "transposed"):
        raise ValueError(f"mode must be 'convolution' or 'transposed'. Received: mode={mode!r}")
    c.set_mode(str(mode))
    c.flip.setChecked(bool(state.get("flip", c.flip.isChecked())))
    for combo, key in ((c.channel, "channel"), (c.pool_mode, "pool_mode")):
        combo.setCurrentIndex(max(combo.findData(state.get(key, combo.currentData())), 0))
    c.set_padding(state.get("padding", c.settings().padding))
    if state.get("apply_to") in ("all", "slice"):
        tab.editor.set_apply_target(str(state["apply_to"]))
    tab.set_kernel(kernel, preset_names_of(kernel))  # a slice shows a preset's name when it holds its numbers
    if kernel.ndim == 3 and 0 <= int(state.get("slice", 0)) < 3:
        tab.editor.select_slice(int(state.get("slice", 0)))
    tab.editor.set_bias(float(state.get("bias", tab.editor.bias())))
    tab.page.skip_zero.setChecked(bool(state.get("skip_zero", tab.page.skip_zero.isChecked())))
    page = state.get("page", PAGES[tab.pages.currentIndex()])
    tab.pages.setCurrentIndex(PAGES.index(page) if page in PAGES else 0)
    if isinstance(state.get("train_both"), dict):
        tab.pool_page.train_both.restore_state(state["train_both"])
    tab.stepper().set_position(int(state.get("step", 0)))
    pool_step = state.get("pool_step")
    if pool_step is not None:
        tab.set_pending_pool_step(int(pool_step))
