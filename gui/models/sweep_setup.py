"""What the Sweep page's controls mean: the space of hyper-parameters, the seeds, the data, where to run.

Qt-free. Every problem is a :class:`SetupError` with a ``code`` and the values it names, so that the page
writes it in the learner's language (its ``str`` is the English text, for logs and tests). The sweep itself
is :class:`engine.sweep.Sweep`; this module only turns the controls into its arguments.
"""

from __future__ import annotations

import math
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from engine.sweep_space import PARAMS, DataSpec, Range, parse_values

__all__ = [
    "DEFAULT_PORT",
    "LESSON_PRESET",
    "MAX_TRIALS",
    "SetupError",
    "SweepSetup",
    "count_points",
    "data_spec",
    "default_results_path",
    "lab_data_request",
    "parse_seeds",
    "probe_scheduler",
    "scheduler_address",
    "space_from_fields",
]

#: a sweep of more trials is refused: random search explores a large space in fewer
MAX_TRIALS = 1000
#: the port ``dask scheduler`` listens on when none is given
DEFAULT_PORT = 8786
#: seconds the page waits for a scheduler's port to answer before it says it is unreachable
PROBE_TIMEOUT = 3.0

#: the lesson's "En pratique" as a sweep: learning rate, filter size 3/5/7, one to three blocks of
#: 32 -> 64 -> 128 filters, then 128 dense units (18 networks, about a minute on two cores)
LESSON_PRESET: dict[str, Any] = {
    "fields": {"lr": "0.001, 0.01", "kernel_size": "3, 5, 7", "conv_layers": "1, 2, 3", "filters": "32",
               "dense_units": "128", "batch_size": ""},
    "picks": {name: [p.default] for name, p in PARAMS.items() if p.kind == "choice"},
    "random": False,
    "seeds": "0",
    "epochs": 2,
    "dataset": "shapes",
    "images": 600,
}  # fmt: skip


class SetupError(ValueError):
    """A control holds something the sweep cannot take.

    ``code`` says what (``"values"``, ``"range_needs_random"``, ``"none_picked"``, ``"seeds"``,
    ``"too_many"``, ``"no_trial"``, ``"address"``, ``"unreachable"``, ``"folder"``); ``values`` holds what the
    message names (``param``, ``text``, ``allowed``, ``count``...).
    """

    def __init__(self, code: str, message: str, **values: Any) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


# ------------------------------------------------------------------------------------------------ space


def space_from_fields(
    fields: Mapping[str, str], picks: Mapping[str, Sequence[str]], random: bool
) -> tuple[dict[str, Any], list[SetupError]]:
    """The sweep's space from the controls, and the problems found (one per parameter at most).

    Parameters
    ----------
    fields : the text of each numeric parameter (``"0.001, 0.01"``; ``"0.0001..0.1"`` for random search;
        empty: its default).
    picks : the values ticked for each choice parameter (at least one).
    random : random search (ranges allowed) rather than the whole grid.

    Returns
    -------
    space, errors : ``{name: values}`` holding only the parameters that differ from their default (so that
        the same point keeps the same key), and the :class:`SetupError` of each parameter that is wrong.
    """
    space: dict[str, Any] = {}
    errors: list[SetupError] = []
    for name, p in PARAMS.items():
        if p.kind == "choice":
            chosen = [c for c in p.choices if c in set(picks.get(name, [p.default]))]
            if not chosen:
                errors.append(SetupError("none_picked", f"{name}: tick at least one value", param=name))
            elif chosen != [p.default]:
                space[name] = chosen
            continue
        text = str(fields.get(name, "") or "").strip()
        if not text:
            continue
        try:
            values = parse_values(name, text.replace(";", ","))
        except ValueError as exc:
            errors.append(SetupError("values", str(exc), param=name, text=text, allowed=p.allowed()))
            continue
        if isinstance(values, Range) and not random:
            errors.append(
                SetupError(
                    "range_needs_random",
                    f"{name}={text} is a range: ranges need random search",
                    param=name,
                    text=text,
                )
            )
            continue
        if values != [p.default]:
            space[name] = values
    return space, errors


def count_points(space: Mapping[str, Any], random: bool, n_random: int) -> int:
    """How many points the sweep trains (before seeds): the grid's size, or ``n_random`` (fewer when the
    grid is smaller)."""
    sizes = [len(v) for v in space.values() if isinstance(v, list)]
    whole = math.prod(sizes)
    if not random:
        return whole
    if len(sizes) == len(space):
        return min(int(n_random), whole)
    return int(n_random)


def parse_seeds(text: str) -> list[int]:
    """``"0, 1, 2"`` -> ``[0, 1, 2]`` (integers >= 0, repeats dropped, at least one)."""
    seeds: list[int] = []
    parts = [t.strip() for t in str(text).replace(";", ",").split(",")]
    for part in parts:
        if not part.isdigit():
            raise SetupError(
                "seeds",
                f"seeds must be integers >= 0 separated by commas (e.g. 0, 1). Received: {text!r}",
                text=text,
            )
        if int(part) not in seeds:
            seeds.append(int(part))
    return seeds


@dataclass(frozen=True)
class SweepSetup:
    """Everything the page hands to :class:`engine.sweep.Sweep`."""

    space: dict[str, Any]
    data: DataSpec
    epochs: int
    seeds: list[int]
    n_random: int | None
    random_seed: int
    results: Path
    address: str | None  # None: the embedded cluster
    workers: int | None

    @property
    def trials(self) -> int:
        return count_points(self.space, self.n_random is not None, self.n_random or 0) * len(self.seeds)

    def check_size(self) -> None:
        """Refuse a sweep of no trial or of more than :data:`MAX_TRIALS`."""
        n = self.trials
        if n > MAX_TRIALS:
            raise SetupError(
                "too_many",
                f"{n} trials is more than one sweep runs ({MAX_TRIALS}): use random search",
                count=n,
                limit=MAX_TRIALS,
            )


# ------------------------------------------------------------------------------------------------- data


def data_spec(
    kind: str,
    images: int,
    folder: str = "",
    size: tuple[int, int] | None = None,
    color_mode: str = "grayscale",
) -> DataSpec:
    """The :class:`DataSpec` of the Training tab's data choices: ``digits``, ``shapes``, ``folder``
    (one sub-folder per class, resized to ``size``) or ``cifar10`` (the python batches in ``folder``).
    ``images`` training images at most, a quarter of that (at least 100) for validation."""
    n_val = max(100, int(images) // 4)
    if kind in ("digits", "shapes"):
        return DataSpec(kind, int(images), n_val)
    if kind not in ("folder", "cifar10"):
        raise ValueError(f"kind must be digits, shapes, folder or cifar10. Received: kind={kind!r}")
    if not folder or not Path(folder).is_dir():
        raise SetupError("folder", f"choose the folder of the {kind} data. Received: {folder!r}", kind=kind)
    if kind == "cifar10":
        return DataSpec(f"cifar10:{folder}", int(images), n_val, None, "rgb")
    return DataSpec(folder, int(images), n_val, size or (28, 28), color_mode)


def lab_data_request(row: Mapping[str, Any], channels: int) -> tuple[str, dict[str, Any]]:
    """``(kind, keyword arguments)`` of :func:`gui.models.data.load_lab_data` for the data a sweep's trial
    was trained on (a typed results row), for a network of ``channels`` input channels."""
    name = str(row.get("dataset", "")).strip()
    n_train = row.get("n_train") or None
    n_val = row.get("n_test") or None
    size_text = str(row.get("image_size") or "")
    kw: dict[str, Any] = {"n_train": n_train, "n_val": n_val}
    if size_text:
        width, _, height = size_text.partition("x")
        kw["image_size"] = (int(height), int(width))
    mode = "rgb" if channels == 3 else "grayscale"
    if name.lower() in ("digits", "shapes"):
        return name.lower(), kw
    if name.lower().startswith("cifar10:"):
        return "cifar10", {**kw, "folder": name.split(":", 1)[1], "color_mode": mode}
    return "folder", {**kw, "folder": name, "color_mode": mode, "n_train": None, "n_val": None}


def default_results_path(data_dir: str | Path) -> Path:
    """``<data_dir>/sweeps/sweep.csv``: where the page keeps results unless the learner chooses a file."""
    return Path(data_dir) / "sweeps" / "sweep.csv"


# ---------------------------------------------------------------------------------------------- cluster


def scheduler_address(text: str) -> str:
    """A Dask scheduler's address as typed (``tcp://HOST:PORT``, ``HOST:PORT`` or ``HOST``), written
    ``tcp://HOST:PORT`` (port :data:`DEFAULT_PORT` when none is given; ``tls://`` is kept).

    Raises
    ------
    SetupError
        ``code="address"``: empty, another scheme, no host, or a port that is not 1..65535.
    """
    raw = str(text).strip()
    problem = (
        f"a Dask scheduler's address looks like tcp://HOST:PORT (e.g. tcp://192.168.1.20:8786). "
        f"Received: {raw!r}"
    )
    if not raw:
        raise SetupError("address", problem, text=raw)
    parts = urlsplit(raw if "://" in raw else f"tcp://{raw}")
    try:
        port = parts.port
    except ValueError:
        raise SetupError("address", problem, text=raw) from None
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or parts.path.strip("/") or parts.query:
        raise SetupError("address", problem, text=raw)
    if port is not None and not 1 <= port <= 65535:
        raise SetupError("address", problem, text=raw)
    host = parts.hostname
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}:{port or DEFAULT_PORT}"


def probe_scheduler(address: str, timeout: float = PROBE_TIMEOUT) -> None:
    """Check that something listens at ``address`` (a :func:`scheduler_address`) within ``timeout`` seconds,
    so that an unreachable scheduler is reported at once instead of after Dask's connection timeout.

    Raises
    ------
    SetupError
        ``code="unreachable"``, with ``address`` and ``reason`` (refused, timed out, unknown host...).
    """
    parts = urlsplit(address)
    host, port = parts.hostname or "", parts.port or DEFAULT_PORT
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return
    except socket.gaierror as exc:
        reason = f"unknown host {host!r} ({exc.strerror or exc})"
    except TimeoutError:
        reason = f"no answer within {timeout:g} s"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    raise SetupError(
        "unreachable", f"no Dask scheduler answers at {address}: {reason}", address=address, reason=reason
    )
