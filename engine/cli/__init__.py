"""The headless ``convscope`` commands: ``convolve``, ``train``, ``evaluate``, ``predict``, ``summary``,
``featuremaps``, ``export`` and ``filters``, and their argument parsing; their figures come from
:mod:`engine.viz` (matplotlib's Agg renderer). Never imports Qt (an import-linter contract says so), so a
server or a CI job runs them without a display or the GUI's libraries.

``convscope COMMAND ...`` reaches :func:`main` through :mod:`gui.launcher` (which starts the desktop app only
when no sub-command is given); ``python -m engine.cli COMMAND ...`` runs the same thing headless.

Modules: :mod:`engine.cli.args` (what the CLI and the app share: :class:`UsageError`, :func:`parse_size`...),
:mod:`engine.cli.parser` (the sub-commands' options), :mod:`engine.cli.commands` (what each one does).

Wrong arguments and unreadable files end with one line ``convscope: error: ...`` and a non-zero exit status
(2 for usage errors, 1 otherwise), never a traceback (set ``CONVSCOPE_DEBUG=1`` to see one).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from engine.cli.args import Size, UsageError, parse_size

__all__ = ["Size", "UsageError", "main", "parse_size"]

#: exception class names that mean "this machine cannot do it" (usage-like, exit status 2)
_ENVIRONMENT_ERRORS = ("CudaUnavailableError",)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    message = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, (MemoryError, AssertionError, AttributeError, IndexError, NameError)):
        message = f"{type(exc).__name__}: {message} (set CONVSCOPE_DEBUG=1 for the traceback)"
    return message


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command with ``argv`` (without the program name; default ``sys.argv[1:]``).

    Returns the exit status: 0 on success, 2 for usage errors, 1 for other failures, 130 when interrupted.
    With no sub-command it prints the help and returns 0.
    """
    from engine.cli.parser import APP_FLAGS, build_parser

    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = os.environ.get("CONVSCOPE_DEBUG", "") not in ("", "0")
    try:
        if args_list and args_list[0].split("=", 1)[0] in APP_FLAGS:
            raise UsageError(
                f"{args_list[0]} is an option of the desktop app: run 'convscope {' '.join(args_list)}' "
                "(this entry point runs the headless sub-commands only)"
            )
        parser = build_parser()
        args = parser.parse_args(args_list)
        if args.command is None:
            parser.print_help()
            return 0
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"convscope: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("convscope: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line, never a traceback
        if debug:
            raise
        status = 2 if type(exc).__name__ in _ENVIRONMENT_ERRORS else 1
        print(f"convscope: error: {_one_line(exc)}", file=sys.stderr)
        return status
