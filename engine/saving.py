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

Reading checks what a damaged or hostile file could make go wrong before it allocates or computes anything:
the file must be a zip archive (a PNG or random bytes are named as such, never with NumPy's ``allow_pickle``
advice), the description plain JSON at most :data:`MAX_JSON_DEPTH` levels deep with an integer ``version``,
the optimizer state a well-formed dict, and each array entry, from its ``.npy`` header before it is read, a
real-valued (never complex, never pickled) array of at most :data:`MAX_ENTRY_VALUES` values. Whether the
arrays fit the architecture, and hold only finite values, is :func:`engine.models.load_model`'s check.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections import deque
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

#: the deepest nesting of lists and dicts a model description may have (ConvScope writes 6 or so)
MAX_JSON_DEPTH = 64
#: the most values one array entry may hold (1 GiB of float32; the largest zoo model's kernel holds 0.4 M)
MAX_ENTRY_VALUES = 1 << 28
#: the most arrays an optimizer slot may hold (Adam: 2)
MAX_PER_SLOT = 8


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
        _check_zip_signature(fh.read(8), where)
        fh.seek(0)
        try:
            data = np.load(fh, allow_pickle=False)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise ValueError(
                f"{str(where)!r} is not a ConvScope model file (not a readable .npz; truncated?): "
                f"{_without_pickle_advice(exc)}"
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


#: how the files most often given by mistake begin, to say what was given instead of a model
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x93NUMPY", "a single .npy array"),
    (b"{", "a JSON text (an architecture? load it with --model or model_from_config)"),
)


def _check_zip_signature(head: bytes, path: Path) -> None:
    """A ``.npz`` is a zip archive: refuse anything else by what it looks like."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return
    if not head:
        raise ValueError(f"{str(path)!r} is not a ConvScope model file: it is empty (0 bytes)")
    kind = next((name for sig, name in _SIGNATURES if head.startswith(sig)), None)
    what = kind or f"it starts with {head[:8]!r}, not a zip archive's 'PK'"
    raise ValueError(f"{str(path)!r} is not a ConvScope model file (a .npz archive): {what}")


def _without_pickle_advice(exc: BaseException) -> str:
    """NumPy's message, unless it advises ``allow_pickle=`` (which must never be offered to a user)."""
    text = str(exc)
    return "damaged or not a .npz" if "allow_pickle" in text or "pickled" in text else text


def _json_depth(doc: Any) -> int:
    """The nesting depth of ``doc`` (lists and dicts), found without recursion."""
    deepest = 0
    todo: deque[tuple[Any, int]] = deque([(doc, 1)])
    while todo:
        node, depth = todo.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                break
            todo.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _check_header(data: Any, key: str, path: Path) -> None:
    """Refuse the entry ``key`` from its ``.npy`` header, before its values are read: complex, object
    (pickled) or non-numeric dtypes, and more than :data:`MAX_ENTRY_VALUES` values."""
    try:
        with data.zip.open(f"{key}.npy") as fh:
            version = np.lib.format.read_magic(fh)
            read = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, _, dtype = read(fh)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError) as exc:
        raise ValueError(
            f"{str(path)!r} is truncated or damaged: entry {key!r} cannot be read "
            f"({_without_pickle_advice(exc)})"
        ) from None
    if dtype.hasobject:
        return  # reading it raises the pickle refusal (_entry)
    if dtype.kind == "c":
        raise ValueError(
            f"{str(path)!r}: entry {key!r} holds complex values (dtype {dtype}); weights must be real "
            "numbers (float32), and dropping the imaginary part would give another model"
        )
    if dtype.kind not in "biuf":
        raise ValueError(f"{str(path)!r}: entry {key!r} must hold numbers. Received dtype {dtype}")
    values = 1
    for d in shape:
        values *= int(d)
    if values > MAX_ENTRY_VALUES:
        raise ValueError(
            f"{str(path)!r}: entry {key!r} has shape {tuple(shape)} ({values:,} values); a model file's "
            f"arrays hold at most {MAX_ENTRY_VALUES:,} values each"
        )


def _entry(data: Any, key: str, path: Path) -> np.ndarray:
    if key != MARKER:
        _check_header(data, key, path)
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
    except RecursionError:
        doc = None
        depth = MAX_JSON_DEPTH + 1
    else:
        depth = _json_depth(doc)
    if depth > MAX_JSON_DEPTH:
        raise ValueError(
            f"{str(path)!r}: the model description is nested too deeply (more than {MAX_JSON_DEPTH} levels "
            "of lists and dicts; ConvScope writes fewer than 10)"
        )
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(
            f"{str(path)!r} is not a ConvScope model file (format {doc.get('format')!r})"
            if isinstance(doc, dict)
            else f"{str(path)!r} is not a ConvScope model file"
        )
    version = doc.get("version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ValueError(
            f"{str(path)!r}: the model description's 'version' must be an integer >= 0 (this ConvScope "
            f"writes {VERSION}). Received: {version!r}"
        )
    if version > VERSION:
        raise ValueError(
            f"{str(path)!r} was written by a newer ConvScope (file version {doc['version']}, "
            f"this one reads up to {VERSION})"
        )
    config = doc.get("model")
    if not isinstance(config, dict):
        raise ValueError(f"{str(path)!r}: the model description has no architecture ('model' entry)")
    n_weights = sum(1 for k in data.files if k.startswith("w_"))
    weights = [_entry(data, f"w_{i:04d}", path) for i in range(n_weights)]
    optimizer_state = _optimizer_state(doc.get("optimizer_state"), data, path)
    compile_config = doc.get("compile")
    metadata = doc.get("metadata")
    if compile_config is not None and not isinstance(compile_config, dict):
        raise ValueError(
            f"{str(path)!r}: the model description's 'compile' must be a dict or null. "
            f"Received: {type(compile_config).__name__}"
        )
    return ModelFile(
        config,
        weights,
        compile_config if isinstance(compile_config, dict) else None,
        optimizer_state,
        metadata if isinstance(metadata, dict) else {},
    )


def _optimizer_state(state: Any, data: Any, path: Path) -> OptimizerState | None:
    """The ``optimizer_state`` entry checked field by field (the arrays' shapes are compared with the weights
    by :func:`engine.models.load_model`)."""
    if state is None:
        return None
    where = f"{str(path)!r}: the optimizer state's"
    if not isinstance(state, dict):
        raise ValueError(f"{where} description must be a dict or null. Received: {type(state).__name__}")
    iterations, slots, per_slot = state.get("iterations", 0), state.get("slots", []), state.get("per_slot", 0)
    for name, value, high in (("iterations", iterations, None), ("per_slot", per_slot, MAX_PER_SLOT)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (high and value > high):
            allowed = "an integer >= 0" if high is None else f"an integer in [0, {high}]"
            raise ValueError(f"{where} {name!r} must be {allowed}. Received: {value!r}")
    if not isinstance(slots, list) or not all(isinstance(key, str) for key in slots):
        raise ValueError(
            f"{where} 'slots' must be a list of weight names such as 'conv2d/kernel'. Received: {slots!r}"
        )
    if len(set(slots)) != len(slots):
        raise ValueError(f"{where} 'slots' names a weight twice. Received: {slots!r}")
    arrays = {
        key: [np.array(_entry(data, f"opt_{j:04d}_{k}", path), dtype=np.float32) for k in range(per_slot)]
        for j, key in enumerate(slots)
    }
    return OptimizerState(iterations, arrays)
