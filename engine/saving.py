"""The model file format: one ``.npz`` of plain arrays plus a JSON description. No pickle.

This module knows arrays and JSON, not models: :meth:`engine.models.Sequential.save` hands it the pieces of a
model (:func:`write_model_file`) and :func:`engine.models.load_model` rebuilds a model from what
:func:`read_model_file` returns. So ``engine.saving`` never imports ``engine.models`` (an import-linter
contract says so), and every file goes through :func:`engine.io.atomic_write`, the one writer of files.

Layout
------
``__convscope__``
    a JSON document (stored as a unicode array): ``format`` (``"convscope-model"``), ``version``, ``model``
    (the model's ``get_config()``), ``compile`` (optimizer, loss and metrics as serialized dicts, or null),
    ``optimizer_state`` (``iterations``, the slot keys in order and ``per_slot``, or null) and ``metadata``
    (the caller's JSON-able dict: the CLI keeps class names and the data set there).
``w_0000``, ``w_0001``...
    the weights in ``get_weights()`` order.
``opt_0000_0``, ``opt_0000_1``...
    optimizer slot ``j``'s arrays (``per_slot`` of them: Adam's ``m`` and ``v``), slots in the listed order.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from engine.io import atomic_write

__all__ = [
    "FORMAT",
    "VERSION",
    "ModelFile",
    "OptimizerState",
    "read_metadata",
    "read_model_file",
    "write_model_file",
]

FORMAT = "convscope-model"
VERSION = 1
MARKER = "__convscope__"

#: the entry older ``convscope train`` runs wrote their metadata to (still read by :func:`read_metadata`)
LEGACY_CLI_KEY = "__convscope_cli__"


@dataclass(frozen=True)
class OptimizerState:
    """An optimizer's progress: its step count and its per-parameter slots.

    Attributes
    ----------
    iterations : steps taken (Adam's bias correction depends on it).
    slots : parameter key (``"conv2d/kernel"``) -> that parameter's slot arrays in the optimizer's
        ``slot_names`` order (Adam: ``[m, v]``, each shaped like the parameter). Every entry holds the same
        number of arrays.
    """

    iterations: int
    slots: Mapping[str, Sequence[np.ndarray]]


class ModelFile(NamedTuple):
    """What a model file holds; the arguments of :func:`write_model_file`, in the same order.

    Attributes
    ----------
    config : the model's ``get_config()`` dict.
    weights : the weight arrays in ``get_weights()`` order.
    compile_config : ``{"optimizer": dict, "loss": dict, "metrics": list}`` (serialized), or None when the
        model was not compiled.
    optimizer_state : :class:`OptimizerState`, or None when the model was not compiled.
    metadata : the caller's JSON-able dict (``{}`` when none was saved).
    """

    config: dict[str, Any]
    weights: list[np.ndarray]
    compile_config: dict[str, Any] | None
    optimizer_state: OptimizerState | None
    metadata: dict[str, Any]


def write_model_file(
    path: str | os.PathLike[str],
    config: dict[str, Any],
    weights: Sequence[np.ndarray],
    compile_config: dict[str, Any] | None = None,
    optimizer_state: OptimizerState | None = None,
    metadata: dict[str, Any] | None = None,
) -> Path:
    """Write a model file atomically (an interrupted write leaves any previous file intact).

    Parameters
    ----------
    path : the ``.npz`` to write; its folder must exist.
    config, weights, compile_config, optimizer_state, metadata : see :class:`ModelFile`.

    Returns
    -------
    The path written.

    Raises
    ------
    TypeError
        ``config`` or ``metadata`` is not a dict.
    ValueError
        Something is not JSON (NaN, arrays, objects in ``metadata``) or the optimizer slots hold different
        numbers of arrays.
    """
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict. Received: {type(config).__name__}")
    if metadata is not None and not isinstance(metadata, dict):
        raise TypeError(f"metadata must be a dict or None. Received: {type(metadata).__name__}")
    arrays: dict[str, Any] = {f"w_{i:04d}": np.asarray(w) for i, w in enumerate(weights)}  # name -> array
    state_doc: dict[str, Any] | None = None
    if optimizer_state is not None:
        counts = {len(v) for v in optimizer_state.slots.values()}
        if len(counts) > 1:
            raise ValueError(
                f"every optimizer slot must hold the same number of arrays. Received counts: {sorted(counts)}"
            )
        for j, slot in enumerate(optimizer_state.slots.values()):
            for k, arr in enumerate(slot):
                arrays[f"opt_{j:04d}_{k}"] = np.asarray(arr)
        state_doc = {
            "iterations": int(optimizer_state.iterations),
            "slots": list(optimizer_state.slots),
            "per_slot": counts.pop() if counts else 0,
        }
    document = {
        "format": FORMAT,
        "version": VERSION,
        "model": config,
        "compile": compile_config,
        "optimizer_state": state_doc,
        "metadata": metadata or {},
    }
    try:
        text = json.dumps(document, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"metadata must hold only JSON values (str, numbers, lists, dicts): {exc}") from None
    arrays[MARKER] = np.array(text)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)

    return atomic_write(Path(os.fspath(path)), write)


def read_model_file(path: str | os.PathLike[str]) -> ModelFile:
    """Read a file written by :func:`write_model_file` (arrays only: pickles are refused).

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ValueError
        Not a ConvScope model file, truncated or damaged, holding pickles, or written by a newer version; the
        message names the file and what is wrong.
    """
    where = Path(os.fspath(path))
    if not where.is_file():
        raise FileNotFoundError(f"no model file at {str(where)!r}")
    with open(where, "rb") as fh:  # our handle, so a failed np.load cannot leak it
        try:
            data = np.load(fh, allow_pickle=False)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise ValueError(
                f"{str(where)!r} is not a ConvScope model file (not a readable .npz; truncated?): {exc}"
            ) from None
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError(f"{str(where)!r} is a single .npy array, not a ConvScope model file (.npz)")
        with data:
            return _read_npz(data, where)


def read_metadata(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``metadata`` dict saved with a model (``{}`` when there is none or the file is not a model)."""
    found: Any = {}
    try:
        with open(os.fspath(path), "rb") as fh:
            data = np.load(fh, allow_pickle=False)
            if not isinstance(data, np.lib.npyio.NpzFile):  # a single .npy array
                return {}
            with data:
                if MARKER in data.files:
                    doc = json.loads(str(data[MARKER]))
                    found = doc.get("metadata") if isinstance(doc, dict) else None
                if not found and LEGACY_CLI_KEY in data.files:
                    found = json.loads(str(data[LEGACY_CLI_KEY]))
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, AttributeError):
        return {}
    return found if isinstance(found, dict) else {}


def _entry(data: Any, key: str, path: Path) -> np.ndarray:
    try:
        return np.asarray(data[key])
    except ValueError as exc:
        if "allow_pickle" in str(exc) or "Object arrays" in str(exc):
            raise ValueError(
                f"{str(path)!r} holds pickled objects (entry {key!r}); ConvScope refuses to load "
                "pickles because they can run code. Not a ConvScope model file."
            ) from None
        raise ValueError(f"{str(path)!r} is damaged: entry {key!r} cannot be read ({exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        raise ValueError(
            f"{str(path)!r} is truncated or damaged: entry {key!r} cannot be read ({exc})"
        ) from None


def _read_npz(data: Any, path: Path) -> ModelFile:
    if MARKER not in data.files:
        raise ValueError(
            f"{str(path)!r} is not a ConvScope model file: it has no {MARKER!r} entry "
            f"(entries: {data.files[:8]})"
        )
    try:
        doc = json.loads(str(_entry(data, MARKER, path)))
    except (json.JSONDecodeError, TypeError) as exc:
        raise ValueError(f"{str(path)!r}: the model description is not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(
            f"{str(path)!r} is not a ConvScope model file (format {doc.get('format')!r})"
            if isinstance(doc, dict)
            else f"{str(path)!r} is not a ConvScope model file"
        )
    if int(doc.get("version", 0)) > VERSION:
        raise ValueError(
            f"{str(path)!r} was written by a newer ConvScope (file version {doc['version']}, "
            f"this one reads up to {VERSION})"
        )
    config = doc.get("model")
    if not isinstance(config, dict):
        raise ValueError(f"{str(path)!r}: the model description has no architecture ('model' entry)")
    n_weights = sum(1 for k in data.files if k.startswith("w_"))
    weights = [_entry(data, f"w_{i:04d}", path) for i in range(n_weights)]
    state = doc.get("optimizer_state")
    optimizer_state = None
    if isinstance(state, dict):
        per_slot = int(state.get("per_slot", 0))
        slots = {
            str(key): [
                np.array(_entry(data, f"opt_{j:04d}_{k}", path), dtype=np.float32) for k in range(per_slot)
            ]
            for j, key in enumerate(state.get("slots", []))
        }
        optimizer_state = OptimizerState(int(state.get("iterations", 0)), slots)
    compile_config = doc.get("compile")
    metadata = doc.get("metadata")
    return ModelFile(
        config,
        weights,
        compile_config if isinstance(compile_config, dict) else None,
        optimizer_state,
        metadata if isinstance(metadata, dict) else {},
    )
