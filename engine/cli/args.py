"""What the ``convscope`` command and the desktop app share on their command lines: one error type, one
argparse flavour and one parser per kind of value.

Sizes are ``WIDTHxHEIGHT`` everywhere a user types one, as image tools write them (``1400x900`` is 1400 pixels
wide); one integer means a square. Every message is one line naming the flag, what was received and what is
allowed, e.g. ``argument --size: must be WIDTHxHEIGHT (e.g. 28x28) or one integer. Received: '28x'``.

Never imports Qt (import-linter contract): :mod:`gui.app` imports this module, never the reverse.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, NoReturn

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "FILTER_FILE_SUFFIXES",
    "ArgumentParser",
    "Size",
    "UsageError",
    "count",
    "load_filter_spec",
    "parse_size",
    "positive_float",
    "positive_int",
    "size_type",
]

#: the suffixes :func:`engine.io.load_filter` reads
FILTER_FILE_SUFFIXES = (".npy", ".txt", ".csv", ".json")

_SIZE_SEPARATORS = ("x", "X", "×")


class UsageError(argparse.ArgumentTypeError):
    """A bad command-line argument: reported as one line ``convscope: error: ...``, exit status 2.

    It is an ``argparse.ArgumentTypeError``, so a value parser that raises it inside argparse gets its message
    shown after ``argument --flag:``.
    """


class ArgumentParser(argparse.ArgumentParser):
    """argparse that raises :class:`UsageError` (one line) instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


class Size(NamedTuple):
    """A size as the user typed it: width first."""

    width: int
    height: int

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"


def _size_problem(
    text: str, minimum: tuple[int, int], maximum: tuple[int, int] | None
) -> tuple[Size | None, str]:
    """``(size, "")`` or ``(None, what is wrong)`` for ``text``."""
    raw = text.strip()
    for sep in _SIZE_SEPARATORS[1:]:
        raw = raw.replace(sep, "x")
    parts = raw.split("x")
    try:
        if len(parts) == 1:
            w = h = int(parts[0])
        elif len(parts) == 2:
            w, h = int(parts[0]), int(parts[1])
        else:
            raise ValueError(text)
    except ValueError:
        return None, f"must be WIDTHxHEIGHT (e.g. 28x28) or one integer. Received: {text!r}"
    if maximum is None and (w < minimum[0] or h < minimum[1]):
        return None, f"must be at least {minimum[0]}x{minimum[1]}. Received: {text!r}"
    if maximum is not None and not (minimum[0] <= w <= maximum[0] and minimum[1] <= h <= maximum[1]):
        return None, (
            f"must be between {minimum[0]}x{minimum[1]} and {maximum[0]}x{maximum[1]}. Received: {text!r}"
        )
    return Size(w, h), ""


def parse_size(
    text: str,
    flag: str = "--size",
    *,
    minimum: tuple[int, int] = (1, 1),
    maximum: tuple[int, int] | None = None,
) -> Size:
    """Read ``"WIDTHxHEIGHT"`` (``x``, ``X`` or ``×`` between) or one integer (a square).

    Parameters
    ----------
    text : what the user typed.
    flag : the option's name, for the message.
    minimum, maximum : ``(width, height)`` bounds, inclusive (no upper bound when ``maximum`` is None).

    Raises
    ------
    UsageError
        ``"--size must be WIDTHxHEIGHT (e.g. 28x28) or one integer. Received: '28x'"`` and the like.
    """
    size, problem = _size_problem(text, minimum, maximum)
    if size is None:
        raise UsageError(f"{flag} {problem}")
    return size


def size_type(
    minimum: tuple[int, int] = (1, 1), maximum: tuple[int, int] | None = None
) -> Callable[[str], Size]:
    """An argparse ``type=`` that reads sizes as :func:`parse_size` (argparse names the flag)."""

    def size(text: str) -> Size:
        found, problem = _size_problem(text, minimum, maximum)
        if found is None:
            raise UsageError(problem)
        return found

    return size


def positive_int(text: str) -> int:
    """argparse ``type=``: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"must be an integer >= 1. Received: {text!r}") from None
    if value < 1:
        raise UsageError(f"must be an integer >= 1. Received: {text!r}")
    return value


def count(text: str) -> int:
    """argparse ``type=``: an integer >= 0 (a number of steps)."""
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"must be an integer >= 0. Received: {text!r}") from None
    if value < 0:
        raise UsageError(f"must be an integer >= 0. Received: {text!r}")
    return value


def positive_float(text: str) -> float:
    """argparse ``type=``: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"must be a number > 0. Received: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise UsageError(f"must be a finite number > 0. Received: {text!r}")
    return value


def load_filter_spec(spec: str) -> tuple[np.ndarray, str]:
    """A ``--filter`` value: a preset name (``horizontal_line``, ``Sobel-X``...) or a filter file.

    Presets win over files of the same name; anything with a filter suffix or that exists is read as a file.

    Returns
    -------
    kernel : ``(KH, KW)`` float32.
    name : the preset's key or the file's name.

    Raises
    ------
    ValueError
        Neither a preset nor a readable filter file (the message lists the presets), or a bad file (the
        message of :func:`engine.io.load_filter`); ``OSError`` when the file cannot be read.
    """
    from engine.filters import PRESETS, get_preset
    from engine.io import load_filter

    key = spec.strip().lower().replace("-", "_").replace(" ", "_")
    if key in PRESETS:
        return get_preset(key), key
    path = Path(spec)
    if path.suffix.lower() in FILTER_FILE_SUFFIXES or path.exists():
        return load_filter(path), path.name
    raise ValueError(
        f"{spec!r} is neither a preset ({', '.join(PRESETS)}) nor a filter file "
        f"({', '.join(FILTER_FILE_SUFFIXES)})"
    )
