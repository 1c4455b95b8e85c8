"""Which cells of the earlier layers one value of a network depends on (the overview's hover), without Qt.

:func:`dependency_geometry` runs once per architecture in the engine thread: for every pair (earlier layer
``k``, later layer ``L``) of layers with a spatial grid it asks :func:`engine.explain.receptive_field` and
:func:`engine.explain.receptive_box` how a cell of ``L`` maps onto ``k``'s grid (for ``k`` = the input, on the
model itself; for a hidden layer ``k``, on the sub-network from ``k``'s output to ``L``). The GUI thread then
answers each hover with :meth:`DependencyGeometry.dependencies`, plain arithmetic.

Channels follow the layers: a convolution reads every channel of its input, a pooling (or an activation)
only its own, a Flatten value comes from one cell of one map, a global pooling value from one whole map, and
a Dense unit from everything below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = ["Dependency", "DependencyGeometry", "dependency_geometry"]

Box = tuple[int, int, int, int]


class Dependency(NamedTuple):
    """Cells of layer ``layer`` (-1: the input image) that a value depends on: the channels (None: all of
    them) and the box ``(top, left, bottom, right)`` in that layer's grid (bottom/right exclusive)."""

    layer: int
    channels: frozenset[int] | None
    box: Box


@dataclass(frozen=True)
class _Map:
    start: tuple[int, int]
    jump: tuple[int, int]
    size: tuple[int, int]


_MIXING = ("Conv2D", "Dense")


@dataclass
class DependencyGeometry:
    """See the module docstring. ``shapes[k + 1]`` is the output shape of layer ``k`` (``shapes[0]``: the
    input); ``kinds[k]`` the class name of layer ``k``."""

    shapes: list[tuple[int, ...]]
    kinds: list[str]
    maps: dict[tuple[int, int], _Map]  # (k, L) -> how a cell of L lands on k's grid

    def _grid(self, k: int) -> tuple[int, ...]:
        return self.shapes[k + 1]

    def is_grid(self, k: int) -> bool:
        return len(self._grid(k)) == 3

    def _clip(self, k: int, box: Box) -> Box:
        h, w = self._grid(k)[:2]
        t, le, b, r = box
        return (max(t, 0), max(le, 0), min(b, h), min(r, w))

    def _whole(self, k: int) -> Box:
        h, w = self._grid(k)[:2]
        return (0, 0, h, w)

    def _box(self, k: int, layer: int, i: int, j: int) -> Box:
        m = self.maps[(k, layer)]
        top, left = m.start[0] + i * m.jump[0], m.start[1] + j * m.jump[1]
        return self._clip(k, (top, left, top + m.size[0], left + m.size[1]))

    def _channels_below(self, layer: int, channels: frozenset[int] | None) -> frozenset[int] | None:
        """The channels of layer ``layer - 1`` that ``channels`` of ``layer`` read."""
        if channels is None or self.kinds[layer] in _MIXING:
            return None
        return channels

    def dependencies(self, layer: int, channel: int, i: int = 0, j: int = 0) -> list[Dependency]:
        """What value ``(i, j, channel)`` of layer ``layer`` depends on, in every earlier layer down to the
        input (``layer = -1``), nearest first. For layers without a grid ``channel`` is the vector index and
        ``i``, ``j`` are ignored."""
        if not -1 <= layer < len(self.kinds):
            raise ValueError(f"layer must be in [-1, {len(self.kinds)}). Received: layer={layer}")
        out: list[Dependency] = []
        kind = self.kinds[layer] if layer >= 0 else "Input"
        if layer == -1:
            return out
        below = layer - 1
        if self.is_grid(layer):
            channels: frozenset[int] | None = frozenset([int(channel)])
            for k in range(below, -2, -1):
                channels = self._channels_below(k + 1, channels)
                out.append(Dependency(k, channels, self._box(k, layer, i, j)))
            return out
        if kind == "Flatten" and below >= -1 and self.is_grid(below):
            from gui.models.network import flatten_source

            r, c, ch = flatten_source(self._grid(below), int(channel))
            out.append(Dependency(below, frozenset([ch]), (r, c, r + 1, c + 1)))
            return out + self.dependencies(below, ch, r, c)
        if kind.startswith("Global") and below >= -1 and self.is_grid(below):
            ch = int(channel)
            out.append(Dependency(below, frozenset([ch]), self._whole(below)))
            channels = frozenset([ch])
            for k in range(below - 1, -2, -1):
                channels = self._channels_below(k + 1, channels)
                h, w = self._grid(below)[:2]
                first, last = self._box(k, below, 0, 0), self._box(k, below, h - 1, w - 1)
                out.append(Dependency(k, channels, (first[0], first[1], last[2], last[3])))
            return out
        # a Dense unit (or anything else without a grid): every value below
        for k in range(below, -2, -1):
            box = self._whole(k) if self.is_grid(k) else (0, 0, 1, int(self._grid(k)[0]))
            out.append(Dependency(k, None, box))
        return out


def _sub_model(layers: list[Any], input_shape: tuple[int, ...]) -> Any:
    """A fresh model of copies of ``layers`` (same configs) taking ``input_shape``: geometry only."""
    from engine.models import Sequential, layer_from_config

    model = Sequential(name="geometry")
    for n, layer in enumerate(layers):
        cfg = dict(layer.get_config())
        cfg.pop("input_shape", None)
        if n == 0:
            cfg["input_shape"] = list(input_shape)
        model.add(layer_from_config({"class_name": type(layer).__name__, "config": cfg}))
    return model


def dependency_geometry(model: Any) -> DependencyGeometry:
    """The overview's hover geometry for a built image model (engine thread; see the module docstring)."""
    from engine import explain

    leaves = [layer for _, layer in model.iter_leaves()]
    shapes: list[tuple[int, ...]] = [tuple(model.input_shape)]
    for layer in leaves:
        shapes.append(tuple(layer.output_shape))
    kinds = [type(layer).__name__ for layer in leaves]
    grids = [k for k in range(-1, len(leaves)) if len(shapes[k + 1]) == 3]
    maps: dict[tuple[int, int], _Map] = {}
    for k in grids:
        later = [layer for layer in grids if layer > k]
        if not later:
            continue
        last = later[-1]
        sub = model if k == -1 else _sub_model(leaves[k + 1 : last + 1], shapes[k + 1])
        for layer in later:
            index = layer - (k + 1)
            field = explain.receptive_field(sub, index)
            box = explain.receptive_box(sub, index, 0, 0)
            maps[(k, layer)] = _Map(
                (box[0], box[1]), (field.jump_h, field.jump_w), (field.size_h, field.size_w)
            )
    return DependencyGeometry(shapes, kinds, maps)
