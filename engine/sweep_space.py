"""What a hyper-parameter sweep explores: the parameters, their values, grid or random points, trial keys.

Pure Python and NumPy (no Dask, no training): the command line, the app and :mod:`engine.sweep` share it.

The parameters are those of the lesson's "En pratique" plus the training choices: ``lr``, ``optimizer``,
``batch_size``, ``conv_layers``, ``filters`` (first block; each block doubles it), ``kernel_size``,
``dense_units``, ``augment``, ``pooling`` and ``head`` (see :func:`engine.zoo.generate`). Every trial holds a
value for each of them (the defaults fill what a sweep does not vary), so the same point always has the same
key, however the sweep that reached it was written.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "PARAMS",
    "DataSpec",
    "Param",
    "Range",
    "Trial",
    "complete",
    "describe_params",
    "grid",
    "normalize_space",
    "parse_param",
    "plan",
    "sample",
    "trial_key",
]

#: the optimizers a sweep may choose, with their default learning rates (those of :mod:`engine.optimizers`)
OPTIMIZER_LR = {"adam": 0.001, "sgd": 0.01, "rmsprop": 0.001}
#: the ``augment`` values: no augmentation, or a preset of :data:`engine.augment.PRESETS`
AUGMENTS = ("none", "light", "lesson")
#: :data:`engine.zoo.POOLINGS` and :data:`engine.zoo.HEADS`, written here so that reading the space (the
#: command line's help) does not load the engine's layers; a test checks that they are the same
POOLINGS = ("max", "avg", "stride2")
HEADS = ("flatten", "global_max")


@dataclass(frozen=True)
class Param:
    """One hyper-parameter: its kind (``"float"``, ``"int"`` or ``"choice"``), default and allowed values."""

    name: str
    kind: str
    default: Any
    help: str
    minimum: float = 0
    choices: tuple[str, ...] = ()

    def allowed(self) -> str:
        """What the values may be, in words (for help texts and error messages)."""
        if self.kind == "choice":
            return "|".join(self.choices)
        if self.kind == "int":
            return f"integers >= {int(self.minimum)}"
        return "numbers > 0"


PARAMS: dict[str, Param] = {
    p.name: p
    for p in (
        Param("lr", "float", None, "learning rate (default: the optimizer's, 0.001 or 0.01 for sgd)"),
        Param("optimizer", "choice", "adam", "optimizer", choices=tuple(OPTIMIZER_LR)),
        Param("batch_size", "int", 32, "images per step", minimum=1),
        Param("conv_layers", "int", 2, "convolution blocks", minimum=1),
        Param("filters", "int", 16, "filters of the first block (each block doubles them)", minimum=1),
        Param("kernel_size", "int", 3, "side of the square filters (3 for 3x3)", minimum=1),
        Param("dense_units", "int", 64, "units of the hidden dense layer (0: none)", minimum=0),
        Param("augment", "choice", "none", "data augmentation preset", choices=AUGMENTS),
        Param("pooling", "choice", "max", "how each block halves the image", choices=POOLINGS),
        Param("head", "choice", "flatten", "from feature maps to a vector", choices=HEADS),
    )
}


def describe_params() -> str:
    """Every parameter and its values on one line: ``lr (numbers > 0), optimizer (adam|sgd|rmsprop), ...``."""
    return ", ".join(f"{p.name} ({p.allowed()})" for p in PARAMS.values())


@dataclass(frozen=True)
class Range:
    """A range ``low..high`` (inclusive) that random search draws from: log-uniform for ``lr``, uniform
    integers for integer parameters."""

    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.low:g}..{self.high:g}"


Values = list[Any] | Range


def _param(name: str) -> Param:
    if name not in PARAMS:
        raise ValueError(f"unknown hyper-parameter {name!r}. Allowed: {describe_params()}")
    return PARAMS[name]


def _one_value(p: Param, value: Any) -> Any:
    """``value`` checked and converted to the parameter's type (text as typed on a command line too)."""
    text = value.strip() if isinstance(value, str) else value
    problem = f"{p.name} values must be {p.allowed()}. Received: {value!r}"
    if p.kind == "choice":
        key = str(text).lower()
        if key not in p.choices:
            raise ValueError(problem)
        return key
    try:
        if isinstance(text, bool):
            raise ValueError(problem)
        number = float(text)
    except (TypeError, ValueError):
        raise ValueError(problem) from None
    if p.kind == "int":
        if not number.is_integer() or number < p.minimum:
            raise ValueError(problem)
        return int(number)
    if not (number > 0 and math.isfinite(number)):
        raise ValueError(problem)
    return number


def parse_values(name: str, values: Any) -> Values:
    """The values of parameter ``name``: a list of checked values, or a :class:`Range` for numbers.

    ``values`` may be one value, a sequence, a :class:`Range`, or text as typed after ``NAME=`` on the
    command line: ``"0.001,0.01"`` (a list) or ``"0.0001..0.1"`` (a range, for random search).

    Raises
    ------
    ValueError
        Unknown name, a value of the wrong type or out of bounds, or an empty list; the message lists what
        is allowed.
    """
    p = _param(name)
    if isinstance(values, str) and ".." in values:
        if p.kind == "choice":
            raise ValueError(
                f"{name} takes a list of values ({p.allowed()}), not a range. Received: {values!r}"
            )
        low_text, _, high_text = values.partition("..")
        values = Range(_one_value(p, low_text), _one_value(p, high_text))
    if isinstance(values, Range):
        low, high = _one_value(p, values.low), _one_value(p, values.high)
        if low > high:
            raise ValueError(f"{name} range must be LOW..HIGH with LOW <= HIGH. Received: {values}")
        return Range(low, high)
    if isinstance(values, str):
        items: list[Any] = [v for v in values.split(",")]
    elif isinstance(values, (list, tuple)):
        items = list(values)
    else:
        items = [values]
    if not items or any(isinstance(v, str) and not v.strip() for v in items):
        raise ValueError(
            f"{name} needs at least one value ({p.allowed()}), comma-separated. Received: {values!r}"
        )
    checked: list[Any] = []
    for v in items:
        c = _one_value(p, v)
        if c not in checked:
            checked.append(c)
    return checked


def parse_param(text: str) -> tuple[str, Values]:
    """``"NAME=V1,V2,..."`` or ``"NAME=LOW..HIGH"`` (the command line's ``--param``) -> ``(name, values)``."""
    name, sep, values = text.partition("=")
    name = name.strip().replace("-", "_")
    if not sep or not name:
        raise ValueError(
            f"must be NAME=VALUE[,VALUE...] (e.g. lr=0.001,0.01 or kernel_size=3,5,7). Received: {text!r}"
        )
    return name, parse_values(name, values)


def normalize_space(space: Mapping[str, Any]) -> dict[str, Values]:
    """``{name: values}`` with every name known and every value checked (see :func:`parse_values`)."""
    if not isinstance(space, Mapping):
        raise TypeError(f"space must be a mapping {{name: values}}. Received: {type(space).__name__}")
    return {name: parse_values(name, values) for name, values in space.items()}


def complete(params: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter of one trial, in :data:`PARAMS` order: the given ones checked, the defaults for the
    rest (``lr`` defaults to the chosen optimizer's learning rate)."""
    out: dict[str, Any] = {}
    for name, p in PARAMS.items():
        value = params.get(name, p.default)
        out[name] = None if value is None else _one_value(p, value)
    unknown = sorted(set(params) - set(PARAMS))
    if unknown:
        _param(unknown[0])
    if out["lr"] is None:
        out["lr"] = OPTIMIZER_LR[out["optimizer"]]
    return out


def grid(space: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every combination of the values of ``space`` (the first parameter varies slowest), completed."""
    norm = normalize_space(space)
    ranged = [name for name, v in norm.items() if isinstance(v, Range)]
    if ranged:
        raise ValueError(f"ranges such as {ranged[0]}={norm[ranged[0]]} need random search (give n)")
    lists = [v for v in norm.values() if isinstance(v, list)]
    return [complete(dict(zip(norm, combo, strict=True))) for combo in itertools.product(*lists)]


def _draw(p: Param, values: Values, rng: np.random.Generator) -> Any:
    if not isinstance(values, Range):
        return values[int(rng.integers(len(values)))]
    if p.kind == "int":
        return int(rng.integers(int(values.low), int(values.high) + 1))
    value = math.exp(rng.uniform(math.log(values.low), math.log(values.high)))
    return float(f"{value:.3g}")  # three significant digits: readable, and the same text gives the same key


def sample(space: Mapping[str, Any], n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` distinct random points of ``space`` (all of its grid when that holds ``n`` points or fewer),
    completed. The same ``space``, ``n`` and ``seed`` always give the same points (so a sweep resumes)."""
    if isinstance(n, bool) or not hasattr(n, "__index__") or int(n) < 1:
        raise ValueError(f"the number of random points must be an int >= 1. Received: {n!r}")
    n = int(n)
    norm = normalize_space(space)
    rng = np.random.default_rng(seed)
    lists = [v for v in norm.values() if isinstance(v, list)]
    if len(lists) == len(norm):
        size = math.prod(len(v) for v in lists)
        if size <= n:
            return grid(norm)
        if size <= 1_000_000:
            points = grid(norm)
            return [points[i] for i in sorted(rng.choice(size, n, replace=False))]
    seen: dict[str, dict[str, Any]] = {}
    for _ in range(100 * n):
        point = complete({name: _draw(PARAMS[name], v, rng) for name, v in norm.items()})
        seen.setdefault(json.dumps(point, sort_keys=True), point)
        if len(seen) == n:
            break
    return list(seen.values())


# ------------------------------------------------------------------------------------------------ trials


@dataclass(frozen=True)
class DataSpec:
    """The data every trial trains on: a :func:`engine.datasets.load_dataset` spec and how much of it.

    Parameters
    ----------
    name : ``digits``, ``shapes``, a folder, ``mnist-idx:...`` or ``cifar10:DIR``.
    n_train, n_test : at most this many training / validation images (None: all; 1200 / 300 for shapes).
    size : ``(height, width)`` of the images: the side of the procedural shapes, or what images from a
        folder are resized to (None: 28 for shapes, the files' size for a folder).
    color_mode : ``"grayscale"`` or ``"rgb"`` for images from a folder.
    """

    name: str = "shapes"
    n_train: int | None = None
    n_test: int | None = None
    size: tuple[int, int] | None = None
    color_mode: str = "grayscale"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"dataset must be a non-empty string. Received: {self.name!r}")
        for what in ("n_train", "n_test"):
            v = getattr(self, what)
            if v is not None and (isinstance(v, bool) or not hasattr(v, "__index__") or int(v) < 1):
                raise ValueError(f"{what} must be an int >= 1 or None. Received: {what}={v!r}")
        if self.size is not None:
            size = tuple(self.size)
            if len(size) != 2 or not all(hasattr(s, "__index__") and int(s) >= 1 for s in size):
                raise ValueError(f"size must be (height, width), two ints >= 1. Received: size={self.size!r}")
            object.__setattr__(self, "size", (int(size[0]), int(size[1])))
        if self.color_mode not in ("grayscale", "rgb"):
            raise ValueError(f"color_mode must be 'grayscale' or 'rgb'. Received: {self.color_mode!r}")

    @property
    def builtin(self) -> bool:
        """True for the data every machine can make alone (the shipped digits, the procedural shapes)."""
        return self.name.strip().lower() in ("digits", "shapes")

    def as_dict(self) -> dict[str, Any]:
        """The JSON-able description that goes into the trial keys."""
        return {
            "dataset": self.name.strip(),
            "n_train": self.n_train,
            "n_test": self.n_test,
            "size": None if self.size is None else list(self.size),
            "color_mode": self.color_mode,
        }


def trial_key(params: Mapping[str, Any], seed: int, data: DataSpec, epochs: int) -> str:
    """16 hex digits naming one trial: a hash of its completed parameters, seed, data and epochs."""
    text = json.dumps(
        {"params": complete(params), "seed": int(seed), "data": data.as_dict(), "epochs": int(epochs)},
        sort_keys=True,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Trial:
    """One model to train: completed parameters, a seed, and its key (also the name of its weights file)."""

    params: dict[str, Any]
    seed: int
    key: str
    varied: tuple[str, ...] = field(default=(), compare=False)

    def label(self) -> str:
        """The swept parameters and the seed, e.g. ``lr=0.01 kernel_size=5 seed=0``."""
        shown = [
            f"{name}={self.params[name]:g}"
            if isinstance(self.params[name], float)
            else f"{name}={self.params[name]}"
            for name in self.varied
        ]
        return " ".join([*shown, f"seed={self.seed}"])


def plan(
    space: Mapping[str, Any],
    data: DataSpec,
    epochs: int,
    seeds: Sequence[int] | Iterable[int] = (0,),
    n_random: int | None = None,
    random_seed: int = 0,
) -> list[Trial]:
    """The trials of a sweep: each point of the grid (or ``n_random`` random points) for each seed."""
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    if isinstance(epochs, bool) or not hasattr(epochs, "__index__") or int(epochs) < 1:
        raise ValueError(f"epochs must be an int >= 1. Received: epochs={epochs!r}")
    points = grid(space) if n_random is None else sample(space, n_random, random_seed)
    varied = tuple(normalize_space(space))
    return [
        Trial(point, seed, trial_key(point, seed, data, int(epochs)), varied)
        for point in points
        for seed in seeds
    ]
