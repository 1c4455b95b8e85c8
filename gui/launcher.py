"""The ``convscope`` console script: the desktop app when no sub-command is given, the headless CLI otherwise.

``convscope`` (no arguments) and ``convscope --screenshot ... / --lang fr / --size 1024x700 ...`` start the
app (:func:`gui.app.main`); ``convscope COMMAND ...``, ``convscope --help`` and ``convscope --version`` run
:func:`engine.cli.main`, which never imports Qt. This module imports nothing heavy at module level, so a
headless command does not pay for (or need) PySide6.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator, Sequence

__all__ = ["main", "wants_app"]

#: options that go to the CLI even though they start with ``--``
_CLI_OPTIONS = ("--help", "--version")


def wants_app(argv: Sequence[str]) -> bool:
    """True when ``argv`` (without the program name) is for the desktop app: empty, or starting with one of
    the app's ``--options`` (a sub-command, ``-h``, ``--help`` or ``--version`` goes to the CLI)."""
    return not argv or (argv[0].startswith("--") and argv[0].split("=", 1)[0] not in _CLI_OPTIONS)


@contextlib.contextmanager
def _ctrl_c_ends_at_once() -> Iterator[None]:
    """Ctrl-C ends the process at once (as it does a C program) for the duration, where Python would raise
    ``KeyboardInterrupt``: while NumPy, the engine and Qt are imported, an interrupt would print a traceback,
    or abort the interpreter inside shiboken's initialisation. A signal ignored (``nohup``) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.default_int_handler:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``convscope`` console script; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not wants_app(args):
        with _ctrl_c_ends_at_once():
            from engine.cli import main as cli_main
        return cli_main(args)  # handles Ctrl-C itself: "convscope: interrupted", what was saved, exit 130
    # the app replaces Ctrl-C's default action once its event loop can act on it (gui.startup): the windows
    # close, exit status 0
    with _ctrl_c_ends_at_once():
        try:
            from gui.app import main as app_main
        except ImportError as exc:  # PySide6 missing or broken: say so in one line
            print(f"convscope: error: cannot start the desktop app: {exc}", file=sys.stderr)
            return 1
        return int(app_main(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
