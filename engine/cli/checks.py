"""Checks the ``convscope`` commands make before they start work, and the one error type they report.

* :func:`check_outputs`: every file a command will write (``-o``, ``--save``, ``--plot``, ``--npy``) can be
  written, has a suffix the writer knows and is named once, all checked before an image is read or an epoch
  run, so a typo costs nothing.
* :func:`check_finite_weights` / :func:`check_finite_outputs`: a model with NaN or infinite weights, or whose
  outputs are not finite, is refused with the layer, the weight and the file named, instead of printing
  ``nan%``.

Never imports Qt (import-linter contract).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CommandError", "Output", "check_finite_outputs", "check_finite_weights", "check_outputs"]


class CommandError(Exception):
    """A problem the user can fix (bad file, mismatched model and data): one line, exit status 1."""


#: what a command will write: ``(flag, path, kind)`` with kind ``"image"``, ``"model"`` or ``"array"``
Output = tuple[str, "str | None", str]

_KINDS = ("image", "model", "array")


def _check_suffix(flag: str, path: str, kind: str) -> None:
    from engine.io import IMAGE_EXTENSIONS

    suffix = Path(path).suffix.lower()
    if kind == "image" and suffix not in IMAGE_EXTENSIONS:
        raise CommandError(
            f"{flag} {path!r}: unknown image extension {Path(path).suffix or '(none)'!r}. "
            f"Allowed: {', '.join(IMAGE_EXTENSIONS)}"
        )


def _check_writable(flag: str, path: str, kind: str) -> Path:
    from engine.io import check_writable

    try:
        return check_writable(path)
    except IsADirectoryError as exc:
        example = {"image": "out.png", "model": "model.npz", "array": "out.npy"}[kind]
        raise CommandError(f"{flag}: {exc}; give a file name, e.g. {os.path.join(path, example)!r}") from None
    except OSError as exc:
        raise CommandError(f"{flag}: {exc}") from None


def check_outputs(outputs: Sequence[Output]) -> None:
    """Refuse, before any work, a destination that cannot be written or that two options share.

    Parameters
    ----------
    outputs : ``(flag, path, kind)`` for each file the command will write (``path`` None: not asked for).

    Raises
    ------
    CommandError
        ``"-o: cannot write '/proc/o.png': no file can be created in the folder '/proc' (...)"``,
        ``"--save: cannot write 'runs': it is a folder; give a file name, e.g. 'runs/model.npz'"``,
        ``"--plot 'c.txt': unknown image extension '.txt'. Allowed: .png, ..."``,
        ``"--plot and --save both name 'm.npz': give each its own file"``.
    """
    seen: dict[Path, str] = {}
    for flag, path, kind in outputs:
        if path is None:
            continue
        if kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}. Received: {kind!r}")
        _check_suffix(flag, path, kind)
        real = _check_writable(flag, path, kind).resolve()
        if real in seen:
            raise CommandError(f"{seen[real]} and {flag} both name {path!r}: give each its own file")
        seen[real] = flag


def _bad_values(a: np.ndarray) -> str:
    """``"3 NaN and 1 infinite values"`` for the non-finite entries of ``a`` (empty when all are finite)."""
    nan = int(np.isnan(a).sum())
    inf = int(np.isinf(a).sum())
    parts = [f"{nan} NaN" if nan else "", f"{inf} infinite" if inf else ""]
    text = " and ".join(p for p in parts if p)
    return f"{text} value{'s' if nan + inf > 1 else ''}" if text else ""


def check_finite_weights(model: Any, path: str) -> None:
    """Refuse a model whose weights hold NaN or infinite values, naming the first such layer and weight.

    The entry name (``w_0000``...) is the array's name inside the ``.npz`` file written by
    :func:`engine.saving.write_model_file`, which numbers the weights in :meth:`get_weights` order.
    """
    index = 0
    for layer_name, layer in model.iter_leaves():
        for key, w in layer.params.items():
            a = np.asarray(w)
            if a.dtype.kind in "fc" and not np.isfinite(a).all():
                raise CommandError(
                    f"{path!r} is broken: its layer {layer_name!r} has {_bad_values(a)} in its {key} "
                    f"(entry w_{index:04d}, shape {a.shape}); a model with NaN or infinite weights "
                    "cannot predict anything: train it again (a lower --lr keeps the loss finite)"
                )
            index += 1


def check_finite_outputs(outputs: np.ndarray, path: str, inputs: Sequence[str]) -> None:
    """Refuse model outputs ``(N, K)`` that hold NaN or infinite values, naming the first input concerned."""
    bad = ~np.isfinite(outputs).all(axis=tuple(range(1, outputs.ndim)))  # (N,)
    if bad.any():
        first = int(np.argmax(bad))
        raise CommandError(
            f"{path!r} gives {_bad_values(outputs[first])} among its {outputs[first].size} outputs for "
            f"{inputs[first]!r} ({int(bad.sum())} of {bad.size} input(s) affected): the computation "
            "overflowed (its weights are finite but too large), so no class can be ranked; train it again "
            "with a lower --lr"
        )
