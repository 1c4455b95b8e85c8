"""Model files: one ``.npz`` with the weights, the architecture and the optimizer state as JSON. No pickle.

Layout: ``__convscope__`` holds a JSON document (as a unicode array) with ``format``, ``version``, the model
config, the compile config, the optimizer's iteration count and slot names and the caller's ``metadata``; ``w_0000``... hold the weights in
``get_weights`` order; ``opt_0000_0``... the optimizer state. The file is written next to its destination and
atomically renamed, so an interrupted save leaves the previous file intact.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from engine import losses as losses_mod
from engine import optimizers as optimizers_mod

FORMAT = "convscope-model"
VERSION = 1
MARKER = "__convscope__"


#: the entry older ``convscope train`` runs wrote their metadata to (still read by :func:`read_metadata`)
LEGACY_CLI_KEY = "__convscope_cli__"


def save(model: Any, path: Any, metadata: dict[str, Any] | None = None) -> None:
    """Save ``model`` to ``path`` atomically (through :func:`engine.io.atomic_write`, the one writer of files).

    ``metadata`` is a JSON-able dict kept in the description entry (see the module docstring).
    """
    from engine.io import atomic_write

    path = Path(os.fspath(path))
    if not model.built:
        raise ValueError(f"model {model.name!r} is not built yet: nothing to save (give it an input_shape)")
    if metadata is not None and not isinstance(metadata, dict):
        raise TypeError(f"metadata must be a dict or None. Received: {type(metadata).__name__}")
    arrays: dict[str, np.ndarray] = {}
    for i, w in enumerate(model.get_weights()):
        arrays[f"w_{i:04d}"] = w
    meta: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "model": model.get_config(),
        "compile": None,
        "optimizer_state": None,
        "metadata": metadata or {},
    }
    if model.compiled:
        meta["compile"] = {
            "optimizer": optimizers_mod.serialize(model.optimizer),
            "loss": losses_mod.serialize(model.loss),
            "metrics": list(model.metrics),
        }
        slots = []
        for j, (key, state) in enumerate(model.optimizer.state.items()):
            slots.append(key)
            for k, arr in enumerate(state):
                arrays[f"opt_{j:04d}_{k}"] = arr
        meta["optimizer_state"] = {
            "iterations": model.optimizer.iterations,
            "slots": slots,
            "per_slot": len(model.optimizer.slot_names),
        }
    try:
        document = json.dumps(meta, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"metadata must hold only JSON values (str, numbers, lists, dicts): {exc}") from None
    arrays[MARKER] = np.array(document)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)

    atomic_write(path, write)


def read_metadata(path: Any) -> dict[str, Any]:
    """The ``metadata`` dict saved with a model (``{}`` when there is none or the file is not a model)."""
    try:
        with open(os.fspath(path), "rb") as fh, np.load(fh, allow_pickle=False) as data:
            found: Any = {}
            if MARKER in data.files:
                doc = json.loads(str(data[MARKER]))
                found = doc.get("metadata") if isinstance(doc, dict) else None
            if not found and LEGACY_CLI_KEY in data.files:
                found = json.loads(str(data[LEGACY_CLI_KEY]))
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, AttributeError):
        return {}
    return found if isinstance(found, dict) else {}


def _read(data: Any, key: str, path: Path) -> np.ndarray:
    try:
        return data[key]
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


def load(path: Any, compile: bool = True) -> Any:
    """Load a model written by :func:`save`; clear ``ValueError`` for anything else."""
    path = Path(os.fspath(path))
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {str(path)!r}")
    with open(path, "rb") as fh:  # our handle, so a failed np.load cannot leak it
        try:
            data = np.load(fh, allow_pickle=False)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise ValueError(
                f"{str(path)!r} is not a ConvScope model file (not a readable .npz; truncated?): {exc}"
            ) from None
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError(f"{str(path)!r} is a single .npy array, not a ConvScope model file (.npz)")
        with data:
            return _load_npz(data, path, compile)


def _load_npz(data: Any, path: Path, compile: bool) -> Any:
    from engine.models import model_from_config

    if MARKER not in data.files:
        raise ValueError(
            f"{str(path)!r} is not a ConvScope model file: it has no {MARKER!r} entry "
            f"(entries: {data.files[:8]})"
        )
    raw = _read(data, MARKER, path)
    try:
        meta = json.loads(str(raw))
    except (json.JSONDecodeError, TypeError) as exc:
        raise ValueError(f"{str(path)!r}: the model description is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(
            f"{str(path)!r} is not a ConvScope model file (format {meta.get('format')!r})"
            if isinstance(meta, dict)
            else f"{str(path)!r} is not a ConvScope model file"
        )
    if int(meta.get("version", 0)) > VERSION:
        raise ValueError(
            f"{str(path)!r} was written by a newer ConvScope (file version {meta['version']}, "
            f"this one reads up to {VERSION})"
        )
    model = model_from_config(meta["model"])
    if not model.built:
        raise ValueError(f"{str(path)!r}: the saved architecture has no input shape")
    n_weights = sum(1 for k in data.files if k.startswith("w_"))
    weights = [_read(data, f"w_{i:04d}", path) for i in range(n_weights)]
    try:
        model.set_weights(weights)
    except ValueError as exc:
        raise ValueError(f"{str(path)!r}: weights do not match the architecture ({exc})") from None
    comp = meta.get("compile")
    if compile and comp:
        model.compile(
            optimizer=optimizers_mod.get(comp["optimizer"]),
            loss=losses_mod.get(comp["loss"]),
            metrics=comp.get("metrics") or None,
        )
        state = meta.get("optimizer_state") or {}
        model.optimizer.iterations = int(state.get("iterations", 0))
        for j, key in enumerate(state.get("slots", [])):
            model.optimizer.state[key] = [
                np.array(_read(data, f"opt_{j:04d}_{k}", path), dtype=np.float32)
                for k in range(int(state.get("per_slot", 0)))
            ]
    return model
