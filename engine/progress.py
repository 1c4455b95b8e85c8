"""Progress bars for ``fit``/``evaluate``: tqdm when installed, else a small text bar with the same calls."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


class TextBar:
    """Minimal stand-in for ``tqdm`` (``update``, ``set_postfix``, ``set_postfix_str``, ``close``)."""

    def __init__(self, total: int | None, desc: str, file: TextIO, mininterval: float = 0.2) -> None:
        self.total, self.desc, self.file, self.mininterval = total, desc, file, mininterval
        self.n = 0
        self.postfix = ""
        self._last = 0.0
        self._closed = False

    def _draw(self, end: str = "\r") -> None:
        total = self.total or 0
        done = int(30 * self.n / total) if total else 0
        self.file.write(
            f"{self.desc}: {self.n}/{total} [{'=' * done}{'.' * (30 - done)}] {self.postfix}{end}"
        )
        self.file.flush()

    def update(self, n: int = 1) -> None:
        self.n += n
        now = time.perf_counter()
        if now - self._last >= self.mininterval:
            self._last = now
            self._draw()

    def set_postfix(self, refresh: bool = True, **kw: Any) -> None:
        self.postfix = ", ".join(f"{k}={v}" for k, v in kw.items())

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        self.postfix = s

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._draw("\n")


def progress_bar(total: int | None, desc: str, file: TextIO | None = None) -> Any:
    """A tqdm bar on ``file`` (stderr by default), or :class:`TextBar` if tqdm is missing."""
    stream = file or sys.stderr
    try:
        from tqdm import tqdm
    except ImportError:
        return TextBar(total, desc, stream)
    return tqdm(
        total=total, desc=desc, unit="batch", file=stream, leave=True, dynamic_ncols=True, mininterval=0.2
    )
