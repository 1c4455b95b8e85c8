"""The headless ``convscope`` commands: ``convolve``, ``train``, ``evaluate``, ``predict``, ``summary``,
``featuremaps``, ``export`` and ``filters``, and their argument parsing; their figures come from
:mod:`engine.viz` (matplotlib's Agg renderer). Never imports Qt (an import-linter contract says so), so a
server or a CI job runs them without a display or the GUI's libraries.

``convscope COMMAND ...`` reaches :func:`main` through :mod:`gui.launcher` (which starts the desktop app only
when no sub-command is given); ``python -m engine.cli COMMAND ...`` runs the same thing headless.

Modules: :mod:`engine.cli.args` (what the CLI and the app share: :class:`UsageError`, :func:`parse_size`...),
:mod:`engine.cli.parser` (the sub-commands' options), :mod:`engine.cli.commands` (what each one does, but
``train``: :mod:`engine.cli.train`), :mod:`engine.cli.checks` (destinations and model weights checked before
any work).

Wrong arguments and unreadable files end with one line ``convscope: error: ...`` and a non-zero exit status
(2 for usage errors, 1 otherwise), never a traceback (set ``CONVSCOPE_DEBUG=1`` to see one).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from engine.cli.args import Size, UsageError, parse_size

__all__ = ["Size", "UsageError", "main", "parse_size"]

#: exit status when the reader of the output went away (128 + SIGPIPE, as a shell reports it)
EXIT_BROKEN_PIPE = 141

#: exception class names that mean "this machine cannot do it" (usage-like, exit status 2)
_ENVIRONMENT_ERRORS = ("CudaUnavailableError",)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    message = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, (MemoryError, AssertionError, AttributeError, IndexError, NameError)):
        message = f"{type(exc).__name__}: {message} (set CONVSCOPE_DEBUG=1 for the traceback)"
    return message


def _silence_broken_pipe() -> None:
    """After a closed pipe: point stdout and stderr at the null device, so that nothing more is said and the
    interpreter's final flush of buffered output cannot fail ("Exception ignored ... BrokenPipeError")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:  # pragma: no cover - no /dev/null
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # a closed stderr: nothing more can be said
        print(line, file=sys.stderr, flush=True)


def _error(message: str) -> None:
    _say(f"convscope: error: {message}")


def _flush_stdout() -> bool:
    """Flush stdout; False (and both streams silenced) when its reader went away."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_broken_pipe()
        return False
    except (OSError, ValueError):
        pass
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command with ``argv`` (without the program name; default ``sys.argv[1:]``).

    Returns the exit status: 0 on success, 2 for usage errors, 1 for other failures, 130 when interrupted,
    141 (128 + SIGPIPE, what a shell reports for ``yes | head``) when the reader of the output went away:
    ``convscope filters | head -1`` ends quietly, without a message or a traceback. With no sub-command it
    prints the help and returns 0.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = os.environ.get("CONVSCOPE_DEBUG", "") not in ("", "0")
    try:
        from engine.cli.parser import APP_FLAGS, build_parser  # numpy, the engine: Ctrl-C may come meanwhile

        if args_list and args_list[0].split("=", 1)[0] in APP_FLAGS:
            raise UsageError(
                f"{args_list[0]} is an option of the desktop app: run 'convscope {' '.join(args_list)}' "
                "(this entry point runs the headless sub-commands only)"
            )
        parser = build_parser()
        args = parser.parse_args(args_list)
        if args.command is None:
            parser.print_help()
            return 0 if _flush_stdout() else EXIT_BROKEN_PIPE
        status = int(args.func(args) or 0)
        return status if _flush_stdout() else EXIT_BROKEN_PIPE  # a closed pipe shows here at the latest
    except SystemExit:  # --help, --version: argparse printed them; make sure they reach the pipe (or not)
        if not _flush_stdout():
            return EXIT_BROKEN_PIPE
        raise
    except UsageError as exc:
        _error(str(exc))
        return 2
    except KeyboardInterrupt:
        _say("convscope: interrupted")
        return 130
    except BrokenPipeError:
        _silence_broken_pipe()
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # one line, never a traceback
        if debug:
            raise
        status = 2 if type(exc).__name__ in _ENVIRONMENT_ERRORS else 1
        _error(_one_line(exc))
        return status
