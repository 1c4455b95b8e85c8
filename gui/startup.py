"""What the desktop app checks and sets up around its event loop: a display it can open, and a clean quit
on Ctrl-C.

:func:`display_problem` runs before the ``QApplication`` exists. Without it, a missing display or a missing
system library ends in Qt's own message and a process abort (``This application failed to start because no Qt
platform plugin could be initialized``, core dumped), which also names the wrong library: Qt 6.5+ blames
``libxcb-cursor0`` whichever of the X11 plugin's libraries is missing. Here the plugin is loaded with
:mod:`ctypes` first, so the message names the libraries really missing and the Debian package of each.

:func:`quit_on_signals` makes Ctrl-C (SIGINT) and SIGTERM close the windows (which ends the engine thread) and
quit the event loop, exit status 0. Python runs its signal handlers only between bytecodes, so a wake-up file
descriptor (:func:`signal.set_wakeup_fd`) watched by a ``QSocketNotifier`` gets the event loop to run some
Python at once: no polling timer, no ``KeyboardInterrupt`` raised in whatever slot happens to run next.
A second signal while the app shuts down ends the process at once (the default action).

Nothing here imports Qt at module level: :func:`display_problem` needs only ``PySide6.QtCore``'s
``QLibraryInfo`` to find the plugin, and only on Linux.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import socket
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["debian_package", "display_problem", "interrupted", "quit_on_signals"]

#: libraries Qt's X11 platform plugin (``libqxcb.so``) loads that a minimal system may lack, by soname
XCB_PLUGIN_LIBRARIES = (
    "libxcb.so.1",
    "libX11.so.6",
    "libX11-xcb.so.1",
    "libxcb-cursor.so.0",
    "libxcb-icccm.so.4",
    "libxcb-image.so.0",
    "libxcb-keysyms.so.1",
    "libxcb-randr.so.0",
    "libxcb-render-util.so.0",
    "libxcb-shape.so.0",
    "libxcb-shm.so.0",
    "libxcb-sync.so.1",
    "libxcb-util.so.1",
    "libxcb-xfixes.so.0",
    "libxcb-xkb.so.1",
    "libxkbcommon.so.0",
    "libxkbcommon-x11.so.0",
    "libfontconfig.so.1",
    "libfreetype.so.6",
)

WITHOUT_A_DISPLAY = (
    "or render a tab to a PNG without a display: convscope --screenshot shot.png "
    "(the headless commands need none: convscope --help)"
)


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships the library ``soname`` (``libxcb-cursor.so.0`` ->
    ``libxcb-cursor0``, ``libxkbcommon-x11.so.0`` -> ``libxkbcommon-x11-0``), by Debian's naming policy."""
    found = re.fullmatch(r"lib(.+)\.so\.(\d+)", soname)
    if not found:
        return soname
    name, version = found.group(1).lower(), found.group(2)
    return f"lib{name}{'-' if name[-1].isdigit() else ''}{version}"


def _load(path: str) -> None:
    ctypes.CDLL(path)


def _missing_soname(error: OSError) -> str:
    """``"libxcb-icccm.so.4"`` from the loader's ``"libxcb-icccm.so.4: cannot open shared object file"``."""
    text = str(error)
    found = re.match(r"\s*([^\s:/]+\.so[.\d]*): cannot open shared object file", text)
    return found.group(1) if found else ""


def _xcb_plugin(environ: Mapping[str, str]) -> str | None:
    """The path of Qt's X11 platform plugin, or None when it cannot be found (then Qt speaks for itself)."""
    folder = environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if not folder:
        try:
            from PySide6.QtCore import QLibraryInfo
        except ImportError:
            return None
        folder = os.path.join(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath), "platforms")
    plugin = Path(folder) / "libqxcb.so"
    return str(plugin) if plugin.is_file() else None


#: the connection :func:`_x_server_answers` opened, held until the process ends: an X server whose last
#: client disconnects resets (Xvfb, xvfb-run), and refuses connections meanwhile, Qt's included
_probe_connection: list[int] = []


def _x_server_answers(display: str) -> bool | None:
    """Whether an X server accepts a connection on ``display`` (None: libxcb missing, cannot tell)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    if xcb.xcb_connection_has_error(connection) != 0:
        xcb.xcb_disconnect(connection)
        return False
    _probe_connection.append(connection)  # kept open (see above)
    return True


def display_problem(
    environ: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    load: Callable[[str], Any] = _load,
    x_server_answers: Callable[[str], bool | None] = _x_server_answers,
    plugin: str | None = None,
) -> str | None:
    """Why the app could not open a window here (one line, what to do included), or None when it can.

    Checked only where Qt would use its X11 (xcb) plugin: Linux, ``QT_QPA_PLATFORM`` unset or ``xcb``, and
    no Wayland session. Then: ``DISPLAY`` must be set, the plugin's libraries must load, and an X server
    must answer on ``DISPLAY``.

    Parameters
    ----------
    environ : the environment (default ``os.environ``).
    platform : ``sys.platform``.
    load : loads a shared library by path or soname, raising ``OSError`` when it or a dependency is missing.
    x_server_answers : whether an X server answers on a display name (None: cannot tell).
    plugin : the path of ``libqxcb.so`` (default: the one PySide6 ships).
    """
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return None
    requested = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if requested and requested != "xcb":
        return None  # the user chose a platform plugin (offscreen, wayland, vnc...): Qt's business
    if not requested and env.get("WAYLAND_DISPLAY"):
        return None  # a Wayland session: Qt uses its Wayland plugin
    display = env.get("DISPLAY", "")
    if not display:
        return (
            "cannot open a window: no display (DISPLAY and WAYLAND_DISPLAY are not set). Start ConvScope "
            f"from a desktop session, {WITHOUT_A_DISPLAY}"
        )
    plugin = plugin or _xcb_plugin(env)
    if plugin is not None:
        try:
            load(plugin)
        except OSError as exc:
            return _missing_libraries_message(exc, load)
    if x_server_answers(display) is False:
        return (
            f"cannot open a window: no X server answers on DISPLAY={display!r}. Start ConvScope from a "
            f"desktop session (or check DISPLAY), {WITHOUT_A_DISPLAY}"
        )
    return None


def _missing_libraries_message(error: OSError, load: Callable[[str], Any]) -> str:
    missing = [name for name in [_missing_soname(error)] if name]
    for soname in XCB_PLUGIN_LIBRARIES:
        if soname not in missing:
            try:
                load(soname)
            except OSError:
                missing.append(soname)
    if not missing:
        return f"cannot open a window: Qt's X11 platform plugin does not load ({error}); {WITHOUT_A_DISPLAY}"
    packages = " ".join(dict.fromkeys(debian_package(name) for name in missing))
    one = len(missing) == 1
    names = missing[0] if one else f"{', '.join(missing[:-1])} and {missing[-1]}"
    return (
        f"cannot open a window: Qt's X11 platform plugin needs {names}, which {'is' if one else 'are'} not "
        f"installed. Install {'it' if one else 'them'} (Debian/Ubuntu: sudo apt-get install {packages}), "
        f"{WITHOUT_A_DISPLAY}"
    )


#: the signals received since :func:`quit_on_signals` was last called
_received: list[int] = []


def interrupted() -> int | None:
    """The signal that asked the app to quit (since :func:`quit_on_signals`), or None.

    For code that waits outside the event loop (``--screenshot`` polls ``processEvents``): stop waiting.
    """
    return _received[-1] if _received else None


def quit_on_signals(app: Any, signals: Sequence[int] = (signal.SIGINT, signal.SIGTERM)) -> Callable[[], None]:
    """Make ``signals`` close every window and quit ``app``'s event loop; return what undoes it.

    Only the main thread can install signal handlers: elsewhere nothing is installed (and undoing does
    nothing). Signals ignored at the time (``SIG_IGN``) are left ignored.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    from PySide6.QtCore import QSocketNotifier, QTimer

    _received.clear()

    receiver, sender = socket.socketpair()
    receiver.setblocking(False)
    sender.setblocking(False)
    try:
        previous_fd = signal.set_wakeup_fd(sender.fileno(), warn_on_full_buffer=False)
    except ValueError:  # pragma: no cover - not the main thread of the main interpreter
        receiver.close()
        sender.close()
        return lambda: None
    notifier = QSocketNotifier(receiver.fileno(), QSocketNotifier.Type.Read)

    def drain() -> None:  # running any Python lets the interpreter call the handler below
        with contextlib.suppress(OSError):
            receiver.recv(4096)

    def close_and_quit() -> None:
        app.closeAllWindows()  # each window's closeEvent ends what it started (the engine thread)
        app.quit()

    def handler(signum: int, frame: object) -> None:
        _received.append(signum)
        signal.signal(signum, signal.SIG_DFL)  # a second one ends the process at once
        QTimer.singleShot(0, close_and_quit)

    notifier.activated.connect(drain)
    # a signal ignored when the app started (``nohup``, a background job of a script) stays ignored
    previous = {s: signal.signal(s, handler) for s in signals if signal.getsignal(s) is not signal.SIG_IGN}

    def undo() -> None:
        for signum, old in previous.items():
            signal.signal(signum, old)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        receiver.close()
        sender.close()

    return undo
