"""Named filter presets shared by the GUI, the CLI and the docs (the lesson's horizontal line first).

Each preset is a float32 ``(K, K)`` array to use as a single-channel kernel. Dispatch by name through the
plain dict :data:`PRESETS`; :func:`get_preset` raises a clear error for an unknown name.
"""

from __future__ import annotations

import numpy as np

_f = np.float32


def _a(rows) -> np.ndarray:
    return np.array(rows, dtype=_f)


PRESETS: dict[str, np.ndarray] = {
    # the lesson's detector: a bright horizontal line between dark rows
    "horizontal_line": _a([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]]),
    "vertical_line": _a([[-1, 2, -1], [-1, 2, -1], [-1, 2, -1]]),
    "diagonal_down": _a([[2, -1, -1], [-1, 2, -1], [-1, -1, 2]]),  # top-left to bottom-right
    "diagonal_up": _a([[-1, -1, 2], [-1, 2, -1], [2, -1, -1]]),  # bottom-left to top-right
    "sobel_x": _a([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "sobel_y": _a([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "laplacian": _a([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "box_blur": np.full((3, 3), 1.0 / 9.0, dtype=_f),
    "gaussian_blur": _a([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / _f(16.0),
    "sharpen": _a([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "emboss": _a([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    "identity": _a([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
}


def preset_names() -> list[str]:
    """Preset names in display order."""
    return list(PRESETS)


def get_preset(name: str) -> np.ndarray:
    """A copy of the preset ``name`` (so editing it never changes the table)."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in PRESETS:
        raise ValueError(f"unknown filter preset {name!r}. Known presets: {', '.join(PRESETS)}")
    return PRESETS[key].copy()
