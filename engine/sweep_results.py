"""The results of a sweep on disk: one CSV row per finished trial, the trained models in a folder beside it.

``sweep.csv`` gets one row per trial as soon as it finishes; every write replaces the whole file atomically
(:func:`engine.io.atomic_write`), so a crash or Ctrl-C leaves the rows written so far, never a torn line. The
trained models go to ``sweep_models/<key>.npz`` (``sweep`` being the CSV's stem), full model files that
``engine.load_model`` and ``convscope evaluate`` read. The columns never change (:data:`COLUMNS`): every
hyper-parameter, then the seed and data, then what was measured; the per-epoch curves are JSON lists.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from engine.io import atomic_write
from engine.sweep_space import PARAMS, DataSpec, Trial

__all__ = ["COLUMNS", "CURVES", "ResultsFile", "read_results", "typed_row"]

#: the per-epoch curves, each stored as a JSON list in the column ``epoch_<name>``
CURVES = ("loss", "accuracy", "val_loss", "val_accuracy")

#: the CSV header, in order
COLUMNS = (
    "key",
    *PARAMS,
    "seed",
    "dataset",
    "n_train",
    "n_test",
    "image_size",
    "epochs",
    "status",
    "val_accuracy",
    "val_loss",
    "param_count",
    "seconds",
    "worker",
    *(f"epoch_{c}" for c in CURVES),
    "error",
    "weights",
    "finished",
)

_INTS = ("seed", "n_train", "n_test", "epochs", "param_count")
_FLOATS = ("val_accuracy", "val_loss", "seconds")


class ResultsFile:
    """The CSV of a sweep and the folder of its models.

    Parameters
    ----------
    path : the CSV file (its folder must exist); created on the first row.

    Raises
    ------
    ValueError
        ``path`` exists but is not a sweep results file (another header).
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        if self.path.suffix.lower() != ".csv":
            raise ValueError(f"the results file must be a .csv file. Received: {str(self.path)!r}")
        if not (self.path.parent if str(self.path.parent) else Path(".")).is_dir():
            raise FileNotFoundError(
                f"{str(self.path)!r}: the folder {str(self.path.parent)!r} does not exist"
            )
        self.models_dir = self.path.with_name(f"{self.path.stem}_models")
        self.rows: list[dict[str, str]] = self._read() if self.path.exists() else []

    def _read(self) -> list[dict[str, str]]:
        with open(self.path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            header = tuple(reader.fieldnames or ())
            if header != COLUMNS:
                raise ValueError(
                    f"{str(self.path)!r} is not a ConvScope sweep results file (its columns are "
                    f"{', '.join(header[:6]) or 'none'}...): give another --out file"
                )
            return [dict(row) for row in reader]

    def finished_keys(self) -> set[str]:
        """Keys of the trials that ended well (a re-run skips them; failed trials run again)."""
        return {row["key"] for row in self.rows if row.get("status") == "ok"}

    def add(self, trial: Trial, data: DataSpec, epochs: int, outcome: Mapping[str, Any]) -> dict[str, str]:
        """Write the model of ``outcome`` (if any) and the row of ``trial``, replacing an earlier row of the
        same key; returns the row as written (strings)."""
        weights = ""
        if outcome.get("model_bytes"):
            self.models_dir.mkdir(exist_ok=True)
            target = self.models_dir / f"{trial.key}.npz"
            blob = bytes(outcome["model_bytes"])
            atomic_write(target, lambda tmp: _write_bytes(tmp, blob))
            weights = f"{self.models_dir.name}/{target.name}"
        history = outcome.get("history") or {}
        row = {
            "key": trial.key,
            **{name: _text(trial.params[name]) for name in PARAMS},
            "seed": str(trial.seed),
            "dataset": data.name,
            "n_train": _text(data.n_train),
            "n_test": _text(data.n_test),
            "image_size": "" if data.size is None else f"{data.size[1]}x{data.size[0]}",
            "epochs": str(int(epochs)),
            "status": str(outcome.get("status", "failed")),
            "val_accuracy": _text(outcome.get("val_accuracy")),
            "val_loss": _text(outcome.get("val_loss")),
            "param_count": _text(outcome.get("params_count")),
            "seconds": "" if outcome.get("seconds") is None else f"{float(outcome['seconds']):.3f}",
            "worker": str(outcome.get("worker", "")),
            **{f"epoch_{c}": json.dumps([float(v) for v in history.get(c, [])]) for c in CURVES},
            "error": " ".join(str(outcome.get("error", "")).split()),
            "weights": weights,
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        rows = [r for r in self.rows if r["key"] != trial.key] + [row]
        self._write(rows)
        self.rows = rows  # only once the file holds them: an interrupted write leaves both as they were
        return row

    def reload(self) -> None:
        """Read the rows back from the file: what is on disk, whatever an interrupted write left."""
        self.rows = self._read() if self.path.exists() else []

    def _write(self, rows: list[dict[str, str]]) -> None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
        atomic_write(self.path, lambda tmp: _write_bytes(tmp, text.encode("utf-8")))


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    return str(value)


def typed_row(row: Mapping[str, str]) -> dict[str, Any]:
    """A CSV row with Python values: numbers as int/float (None when empty), curves as lists of floats."""
    out: dict[str, Any] = dict(row)
    for name, p in PARAMS.items():
        text = row.get(name, "")
        if p.kind == "int" and text:
            out[name] = int(text)
        elif p.kind == "float" and text:
            out[name] = float(text)
    for name in _INTS:
        out[name] = int(row[name]) if row.get(name) else None
    for name in _FLOATS:
        out[name] = float(row[name]) if row.get(name) else None
    for c in CURVES:
        out[f"epoch_{c}"] = [float(v) for v in json.loads(row.get(f"epoch_{c}") or "[]")]
    return out


def read_results(path: str | os.PathLike) -> list[dict[str, Any]]:
    """The rows of a sweep's CSV, typed (:func:`typed_row`), in the order trials finished."""
    return [typed_row(row) for row in ResultsFile(path).rows]
