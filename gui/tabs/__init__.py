"""The main window's tabs, built from the plain list :data:`TABS`.

Each entry is ``(name, "module:ClassName")``; the window imports the class by name, creates it with no
arguments (``Class()``) and adds it as a tab in list order. ``name`` is what ``--tab NAME`` selects.

The tab interface
-----------------
A tab is a ``QWidget``. Everything below is optional; the window calls what the tab defines:

``attach(window)``
    Called once, right after construction (at start for :data:`BUILT_AT_START`, otherwise when the tab is
    first shown or asked for with ``window.tab(name)``). ``window`` is the
    :class:`gui.main_window.MainWindow`; a tab may use:

    * ``window.engine_worker``: the one :class:`gui.workers.EngineWorker` (every engine call goes through it,
      see that module for why); ``window.kernels_ready()`` tells whether the warm-up compile has finished and
      the signal ``window.kernelsReady`` fires when it does;
    * ``window.show_status(text, timeout_ms=0)``: a message in the status bar; ``window.show_error(text)``: an
      error in the status bar (red) and, for user actions, a dialog (``dialog=True``);
    * ``window.current_image()`` / ``window.set_current_image(array, name)`` and the signal
      ``window.imageChanged(object, str)``: the image the user opened, shared between tabs (float32 in [0, 1],
      ``(H, W)`` or ``(H, W, 3)``), with its display name.

``title() -> str``
    The tab's label, translated (re-read on a language change). Default: the name, capitalised.

``retranslate()``
    Re-set every user-visible text. Also call it from ``changeEvent`` on ``QEvent.LanguageChange``.

``prepare_screenshot(options) -> None``
    Put the tab in the state the screenshot shows. ``options`` is the parsed ``argparse.Namespace`` of
    :func:`gui.app.main` (``steps``, ``train_steps``, ``image``, ``filter``, ``lang``...).

``screenshot_ready() -> bool``
    True once the state asked for is on screen (background jobs done); ``--screenshot`` waits for it.

``shutdown()``
    Called when the window closes: stop timers and background work.
"""

from __future__ import annotations

import importlib

from PySide6.QtWidgets import QWidget

__all__ = ["BUILT_AT_START", "TABS", "load_tab_class", "tab_names"]

#: (name, "module:Class") in display order; other tabs add their line here
TABS: list[tuple[str, str]] = [
    ("convolution", "gui.tabs.convolution:ConvolutionTab"),
    ("network", "gui.tabs.network:NetworkTab"),
    ("training", "gui.tabs.training:TrainingTab"),
    ("backprop", "gui.tabs.backprop:BackpropTab"),
]

#: tabs the window builds as it opens (the first one shown, and Network, which adds Open/Save model to the
#: File menu); the others are built when first shown or asked for, since importing them (pyqtgraph for the
#: Training tab's plots) would delay the window by about a quarter of a second
BUILT_AT_START: tuple[str, ...] = ("convolution", "network")


def tab_names() -> list[str]:
    """Names accepted by ``--tab``."""
    return [name for name, _ in TABS]


def load_tab_class(spec: str) -> type[QWidget]:
    """Import ``"package.module:ClassName"`` and return the class."""
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise ValueError(f"tab spec must look like 'package.module:ClassName'. Received: {spec!r}")
    module = importlib.import_module(module_name)
    return getattr(module, class_name)
