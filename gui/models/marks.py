"""What the lab's views outline, as plain data: :class:`Mark`, a rectangle of cells with its role."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Mark"]


@dataclass(frozen=True)
class Mark:
    """A rectangle of cells to outline: ``rows`` x ``cols`` cells from ``(top, left)``.

    ``role``: ``"current"`` (the window just computed), ``"next"`` (where the filter starts, before the
    first step), ``"hover"`` (under the mouse, or the window of the hovered cell) or ``"seen"`` (an output
    cell whose window covers the hovered input cell); ``fill``: tint the cells too; ``tap``: one cell a
    dilated kernel reads inside the window's span (the span itself is outlined without a fill).
    """

    top: int
    left: int
    rows: int
    cols: int
    role: str
    fill: bool = False
    tap: bool = False
