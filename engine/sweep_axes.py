"""How a sweep's results lie against one hyper-parameter: where each trial goes on the x axis, the ticks, the
mean per value; which parameters are worth a panel.

Pure Python (no plotting library): :func:`engine.viz.plot_sweep` (the command line's ``--plot``) and the
app's Sweep page draw from the same layout. A parameter with few distinct values gets one column per value
(categories, in the order of :data:`engine.sweep_space.PARAMS`' choices or by number); one with many values
(random search over a range) gets a continuous axis, logarithmic for the learning rate.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.sweep_space import PARAMS

__all__ = [
    "MAX_CATEGORIES",
    "SweepAxis",
    "category_means",
    "finished_ok",
    "jitter",
    "panel_params",
    "sweep_axis",
    "value_label",
]

#: a numeric parameter with more distinct values than this gets a continuous axis
MAX_CATEGORIES = 8


@dataclass(frozen=True)
class SweepAxis:
    """The x axis of one panel.

    Attributes
    ----------
    name : the parameter (a key of :data:`PARAMS`, or ``"seed"``).
    positions : one x per value given to :func:`sweep_axis`, in order: the index of its category, or the
        value itself on a continuous axis.
    ticks : ``(x, text)`` of each category (empty on a continuous axis: the plotting library places them).
    categorical : one column per distinct value.
    log : a continuous axis to draw on a logarithmic scale (the learning rate).
    """

    name: str
    positions: list[float]
    ticks: list[tuple[float, str]]
    categorical: bool
    log: bool = False


def value_label(value: Any) -> str:
    """``0.001``, ``5``, ``adam``: a value as the axes and tables write it."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _order(name: str) -> Any:
    choices = PARAMS[name].choices if name in PARAMS else ()
    return lambda v: (choices.index(v) if v in choices else len(choices), str(v))


def sweep_axis(name: str, values: Sequence[Any]) -> SweepAxis:
    """The axis of parameter ``name`` for trials with these ``values`` (one per trial).

    Raises
    ------
    ValueError
        ``values`` is empty.
    """
    if not len(values):
        raise ValueError(f"sweep_axis needs at least one value of {name!r}. Received: {list(values)!r}")
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    distinct = sorted(set(values)) if numeric else sorted(set(values), key=_order(name))
    if not numeric or len(distinct) <= MAX_CATEGORIES:
        where = {v: float(i) for i, v in enumerate(distinct)}
        return SweepAxis(
            name, [where[v] for v in values], [(where[v], value_label(v)) for v in distinct], True
        )
    log = name == "lr" and min(distinct) > 0
    return SweepAxis(name, [float(v) for v in values], [], False, log)


def jitter(index: int, width: float = 0.3) -> float:
    """A fixed offset in ``[-width/2, width/2)`` for the ``index``-th dot of a column (0 for the first, so a
    lone trial sits on its value), so that trials with the same value and result stay visible side by side;
    the same for every drawing."""
    return ((index * 0.6180339887 + 0.5) % 1.0 - 0.5) * width


def finished_ok(row: Mapping[str, Any]) -> bool:
    """True for a typed results row whose trial ended well with a finite validation accuracy."""
    acc = row.get("val_accuracy")
    return row.get("status") == "ok" and acc is not None and math.isfinite(float(acc))


def panel_params(rows: Sequence[Mapping[str, Any]], params: Sequence[str]) -> list[str]:
    """Those of ``params`` that take more than one value in ``rows`` (a panel each); the first of
    ``params`` (or ``"seed"``) when none does, so that there is always one panel."""
    candidates = list(params) or ["seed"]
    varied = [n for n in candidates if len({r.get(n) for r in rows}) > 1]
    return varied or candidates[:1]


def category_means(positions: Sequence[float], accuracies: Sequence[float]) -> list[tuple[float, float]]:
    """``(x, mean accuracy)`` of each category, left to right, from the positions and accuracies of the
    trials that ended well."""
    sums: dict[float, list[float]] = {}
    for x, acc in zip(positions, accuracies, strict=True):
        sums.setdefault(x, []).append(float(acc))
    return [(x, sum(a) / len(a)) for x, a in sorted(sums.items())]
