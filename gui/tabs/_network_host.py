"""What the Network tab's mixins (:mod:`gui.tabs.network_images`, :mod:`gui.tabs.network_lessons`) use of
the tab: declarations for the type checker, no behaviour (the tab, :class:`gui.tabs.network.NetworkTab`, sets
every one of them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["NetworkHost"]


class NetworkHost:
    """Attributes and methods of :class:`gui.tabs.network.NetworkTab` that its mixins call."""

    session: Any
    views: Any
    pages: dict
    banner: Any
    input: Any
    softmax: Any
    maps: Any
    overview: Any
    look: Any
    invariance: Any
    flatten: Any
    hierarchy: Any
    image_info: Any
    image_index: Any
    message: Any
    table: Any
    preset: Any
    build_btn: Any
    open_btn: Any
    generate: Any
    _maps_ready: bool
    _image: np.ndarray | None
    _image_label: str
    _image_source: str
    _target: int | None
    _answer: tuple[int, float] | None
    _draw_dialog: Any
    _error: Callable[[str], None]
    refresh_maps: Callable[[], None]
    net_views: Callable[[], list]
    class_names: Callable[[], list[str]]
    show_view: Callable[[str], None]
    choose_class: Callable[[int | None], None]
    ensure_ready: Callable[[], None]
    build: Callable[..., None]
    load_image_file: Callable[[str], None]
    _mark_custom: Callable[[], None]
    _update_banner: Callable[[], None]
