"""The lesson state file (File > Save / Open lesson state), without Qt: a JSON document and, optionally, the
model beside it.

Layout (``"convscope_lesson": 2``)::

    {
      "convscope_lesson": 2,
      "section": "padding",              # where the learner is in the lesson
      "tab": "convolution",              # the tab shown
      "tabs": {"convolution": {...}, "training": {...}, ...},   # each tab's state()
      "session": {"arch_name": "small", "arch_configs": [...], "input_shape": [28, 28, 1],
                  "num_classes": 10, "seed": 0, "optimizer": "Adam", "learning_rate": 0.001},
      "weights": "lesson.weights.npz"    # only when the weights were saved: a model file (engine.saving)
    }

Version 1 files (``{"convscope_lesson": 1, "tabs": {...}}``) open too. Unknown keys are ignored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FORMAT", "read_state", "resolve_weights", "weights_path", "write_state"]

#: the version this module writes (it reads every version up to it)
FORMAT = 2


def weights_path(path: str | Path) -> Path:
    """The model file saved beside the lesson file ``path``: ``lesson.json`` -> ``lesson.weights.npz``."""
    p = Path(path)
    return p.with_name(f"{p.stem}.weights.npz")


def _plain(obj: Any) -> Any:
    """JSON for the NumPy scalars and arrays that settings and layer configs may hold."""
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def write_state(path: str | Path, data: dict[str, Any]) -> Path:
    """Write ``data`` as the lesson file ``path`` (atomically: a crash leaves the old file or the new one)."""
    from engine.io import atomic_write

    text = json.dumps({"convscope_lesson": FORMAT, **data}, indent=1, default=_plain, ensure_ascii=False)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return atomic_write(path, write)


def read_state(path: str | Path) -> dict[str, Any]:
    """Read and check a lesson file; ``ValueError`` saying what is wrong (``OSError``: it cannot be read)."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{Path(path).name} is not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("tabs"), dict):
        raise ValueError(f"{Path(path).name} is not a ConvScope lesson file (no 'tabs' entry)")
    version = data.get("convscope_lesson")
    if not isinstance(version, int) or not 1 <= version <= FORMAT:
        raise ValueError(
            f"{Path(path).name}: convscope_lesson must be a version in 1..{FORMAT}. Received: {version!r}"
        )
    for key in ("session",):
        if key in data and not isinstance(data[key], dict):
            raise ValueError(f"{Path(path).name}: '{key}' must be an object. Received: {data[key]!r}")
    return data


def resolve_weights(path: str | Path, data: dict[str, Any]) -> Path | None:
    """The model file a lesson file names (relative to the lesson file's folder), or None."""
    name = data.get("weights")
    if not name:
        return None
    if not isinstance(name, str):
        raise ValueError(f"'weights' must be a file name. Received: {name!r}")
    return Path(path).parent / name
