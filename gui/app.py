"""Application entry point: ``main(argv)`` parses the app options, sets up Qt and runs (or screenshots) the
window.

Options::

    --screenshot PATH   render the window offscreen after N steps, write a PNG (atomically), exit 0
    --tab NAME          tab to show: convolution, network, training, backprop (those installed)
    --lesson ID         open the view of a lesson section (``--lessons`` lists the ids)
    --lessons           list the lesson's sections (id and title) and exit; needs no display, loads no Qt
    --image FILE        start on this image          --filter NAME|FILE   a preset name or a filter file
    --steps N           convolution steps to show    --train-steps N      training batches (training tab)
    --channel C         convolution tab on a colour image: luminance, r, g, b or rgb (all three channels)
    --view NAME         Network tab view: overview, invariance, flatten, hierarchy, saliency (a small network
                        is trained first unless --train-steps says how many batches)
    --page NAME         Convolution tab page: step, transposed (the step page in transposed mode), padding,
                        stride, arithmetic (the convolution arithmetic guide's cases side by side)
    --lang en|fr        interface language (default: the system's)
    --size WIDTHxHEIGHT window size, e.g. 1024x700 (default 1400x900), as image tools write sizes

Bad options print one line on stderr and return 2; the app itself never shows a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

from engine import __version__
from engine.cli.args import ArgumentParser, Size, UsageError, count, load_filter_spec, size_type

__all__ = ["UsageError", "build_parser", "main"]

DEFAULT_SIZE = Size(1400, 900)
#: the window sizes ``--size`` accepts, ``(width, height)``
MIN_SIZE, MAX_SIZE = (320, 240), (8000, 8000)
SCREENSHOT_TIMEOUT_S = 180.0
#: the Convolution tab's pages ``--page`` names (gui.tabs.convolution_lesson.PAGE_CHOICES, without Qt)
CONV_PAGES = ("step", "transposed", "padding", "stride", "arithmetic")


def build_parser() -> argparse.ArgumentParser:
    """The desktop app's options (the sub-commands are :mod:`engine.cli`'s)."""
    p = ArgumentParser(
        prog="convscope", description="ConvScope: a desktop lab for convolutional neural networks."
    )
    p.add_argument("--screenshot", metavar="PATH", help="write a PNG of the window and exit")
    p.add_argument("--tab", default=None, help="tab to show (default: convolution)")
    p.add_argument("--lesson", metavar="ID", help="open the view of this lesson section (see --lessons)")
    p.add_argument("--lessons", action="store_true", help="list the lesson's sections and exit")
    p.add_argument("--image", metavar="FILE", help="image to open")
    p.add_argument("--filter", metavar="NAME|FILE", help="filter preset name or filter file")
    p.add_argument("--steps", type=count, default=None, help="convolution steps shown (default: all)")
    p.add_argument(
        "--channel",
        choices=("luminance", "r", "g", "b", "rgb"),
        default=None,
        help="colour images: the plane the convolution tab steps (rgb: all three channels at once)",
    )
    p.add_argument(
        "--train-steps", type=count, default=None, help="training batches run before the screenshot"
    )
    p.add_argument(
        "--view",
        choices=("overview", "invariance", "flatten", "hierarchy", "saliency"),
        default=None,
        help="Network tab view to show (with --tab network)",
    )
    p.add_argument(
        "--page",
        choices=CONV_PAGES,
        default=None,
        help="Convolution tab page to show (with --tab convolution): the step page (transposed: in "
        "transposed mode), the padding or stride comparison, the convolution arithmetic",
    )
    p.add_argument("--lang", choices=("en", "fr"), default=None, help="interface language")
    p.add_argument("--version", action="version", version=f"convscope {__version__}")
    p.add_argument(
        "--size",
        type=size_type(MIN_SIZE, MAX_SIZE),
        default=DEFAULT_SIZE,
        metavar="WIDTHxHEIGHT",
        help="window size (default: 1400x900)",
    )
    return p


def _check(opts: argparse.Namespace) -> None:
    """Validate what argparse cannot (files, presets, tab names) before any window exists."""
    from gui.models import lesson
    from gui.tabs import tab_names

    if opts.lesson is not None:
        try:
            section = lesson.section(opts.lesson)
        except ValueError:
            raise UsageError(
                f"--lesson must be one of {' '.join(lesson.SECTION_IDS)}. Received: {opts.lesson!r}"
            ) from None
        if opts.tab is not None and opts.tab != section.tab:
            raise UsageError(
                f"--lesson {section.id} is shown in the {section.tab} tab; --tab {opts.tab} contradicts it"
            )
        opts.tab = section.tab
    opts.tab = opts.tab or "convolution"
    if opts.tab not in tab_names():
        raise UsageError(f"--tab must be one of {', '.join(tab_names())}. Received: {opts.tab!r}")
    if opts.view is not None and opts.tab != "network":
        raise UsageError(f"--view needs --tab network. Received: --tab {opts.tab}")
    if opts.page is not None and opts.tab != "convolution":
        raise UsageError(f"--page needs --tab convolution. Received: --tab {opts.tab}")
    if opts.image is not None:
        from gui.samples import load_image_file

        try:
            load_image_file(opts.image)
        except (ValueError, OSError) as exc:
            raise UsageError(f"--image: {exc}") from None
    if opts.filter is not None:
        try:
            load_filter_spec(opts.filter)
        except (ValueError, OSError) as exc:
            raise UsageError(f"--filter: {exc}") from None
    if opts.screenshot is not None:
        parent = Path(opts.screenshot).expanduser().resolve().parent
        if not parent.is_dir():
            raise UsageError(f"--screenshot: the folder {parent} does not exist")


def _wait(app, condition, timeout_s: float) -> bool:
    from gui.startup import interrupted

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline or interrupted():
            return False
        app.processEvents()
        time.sleep(0.01)
    return True


def _screenshot(app, window, opts: argparse.Namespace) -> int:
    """Render the asked view offscreen and write it; the window is closed (its engine thread ended) whatever
    happens."""
    try:
        return _render(app, window, opts)
    finally:
        window.close()


def _render(app, window, opts: argparse.Namespace) -> int:
    from engine.io import atomic_write

    tab = window.select_tab(opts.tab)
    window.show()
    if not _wait(app, window.kernels_ready, SCREENSHOT_TIMEOUT_S):
        return _interrupted(window) or _failed("the engine did not start in time")
    if hasattr(tab, "prepare_screenshot"):
        tab.prepare_screenshot(opts)
    if opts.lesson is not None:
        if not window.show_lesson(opts.lesson):
            print(
                f"convscope: note: the {opts.tab} tab has no view for the section {opts.lesson!r} in this "
                "version; the screenshot shows the tab and the section's claim",
                file=sys.stderr,
            )
        ready = window.lesson_ready
    else:
        ready = getattr(tab, "screenshot_ready", lambda: True)
    if not _wait(app, ready, SCREENSHOT_TIMEOUT_S):
        return _interrupted(window) or _failed("the tab did not finish in time")
    for _ in range(3):
        app.processEvents()
    pixmap = window.grab()
    path = Path(opts.screenshot).expanduser()
    try:
        atomic_write(path, lambda tmp: _save(pixmap, tmp))
    except OSError as exc:
        print(f"convscope: error: cannot write {path}: {exc}", file=sys.stderr)
        return 2
    return 0


def _interrupted(window) -> int:
    """After Ctrl-C stopped the screenshot: close the window (which ends the engine thread), say so and return
    130. Otherwise 0."""
    from gui.startup import interrupted

    if not interrupted():
        return 0
    window.close()
    print("convscope: interrupted: no screenshot written", file=sys.stderr)
    return 130


def _failed(message: str) -> int:
    print(f"convscope: error: {message}", file=sys.stderr)
    return 1


def _save(pixmap, tmp: Path) -> None:
    if not pixmap.save(str(tmp), "PNG"):
        raise OSError("Qt could not encode the PNG")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # the temporary file is private; the screenshot is an ordinary file


def _install_excepthook(window) -> None:
    """An unexpected error in a slot becomes a status-bar message (details on stderr); the app keeps
    running."""
    import traceback

    def hook(exc_type, exc, tb) -> None:
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        with contextlib.suppress(RuntimeError):  # the window may be gone already
            window.show_error(f"{exc_type.__name__}: {exc}")

    sys.excepthook = hook


def main(argv: list[str] | None = None) -> int:
    """Run ConvScope with the options ``argv`` (without the program name). Returns the exit status."""
    try:
        opts = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
        if opts.lessons:  # before anything that loads Qt: the list needs no display
            from gui.models import lesson

            print(lesson.listing(opts.lang or "en"))
            return 0
        _check(opts)
    except UsageError as exc:
        print(f"convscope: error: {exc}", file=sys.stderr)
        return 2
    if opts.screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from gui import i18n, startup
    from gui.main_window import MainWindow

    if opts.screenshot is None and QApplication.instance() is None:
        problem = startup.display_problem()  # before Qt aborts the process with its own message
        if problem:
            print(f"convscope: error: {problem}", file=sys.stderr)
            return 2
    app = QApplication.instance() or QApplication(["convscope"])
    undo_signals = startup.quit_on_signals(app)
    app.setApplicationName("ConvScope")
    i18n.install(app, opts.lang or i18n.system_language())
    window = MainWindow(dialogs=opts.screenshot is None)
    window.resize(*opts.size)
    previous_hook = sys.excepthook
    _install_excepthook(window)
    try:
        if opts.image is not None:
            window.open_path(opts.image)
        if opts.screenshot is not None:
            return _screenshot(app, window, opts)
        tab = window.select_tab(opts.tab)
        wanted = (opts.filter, opts.steps, opts.channel)
        if any(o is not None for o in wanted) and hasattr(tab, "prepare_screenshot"):
            tab.prepare_screenshot(opts)
        window.show()
        if opts.lesson is not None:
            window.show_lesson(opts.lesson)
        return int(app.exec())
    finally:
        sys.excepthook = previous_hook
        undo_signals()
