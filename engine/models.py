"""``Sequential``: a stack of layers, each feeding the next (Keras' model API).

The structure lives here (add, build, forward/backward, weights, summary, config); training (compile, fit,
fit_steps, evaluate, predict, activations, gradients) comes from :class:`engine.training.TrainingMixin`; files
from :mod:`engine.saving` (imported when a file is read or written, so this module never needs it at import).
A ``Sequential`` is itself a layer, so a trained model can be the frozen base of a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import numpy as np

from engine.layers.base import (
    LAYER_CLASSES,
    Layer,
    Shape,
    ShapeError,
    default_rng,
    set_random_seed,
    snake_case,
)
from engine.training import TrainingMixin

__all__ = ["Sequential", "layer_from_config", "load_model", "model_from_config", "set_random_seed"]


class Sequential(TrainingMixin, Layer):
    """A linear stack of layers.

    Parameters
    ----------
    layers : layers to :meth:`add` in order.
    name : the model's name (default ``"sequential"``).
    seed : seeds the weight initialisation (layer ``i`` uses ``default_rng([seed, i])``); None draws from the
        generator that :func:`engine.layers.set_random_seed` seeds.

    Examples
    --------
    >>> model = Sequential([Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)), MaxPooling2D(),
    ...                     Flatten(), Dense(10)], seed=0)
    """

    _TRANSIENT: ClassVar[tuple[str, ...]] = (*Layer._TRANSIENT, "_session")

    def __init__(
        self,
        layers: list[Layer] | None = None,
        name: str | None = None,
        *,
        seed: int | None = None,
        trainable: bool = True,
        backend: str | None = None,
    ) -> None:
        super().__init__(name=name, trainable=True)
        if backend is not None:
            from engine import BACKENDS
            from engine.backends import get_module

            if not isinstance(backend, str) or backend.lower() not in BACKENDS:
                raise ValueError(f"backend must be one of {BACKENDS} or None. Received: backend={backend!r}")
            backend = backend.lower()
            get_module(backend)  # a missing CUDA device is reported here, not at the first batch
        #: the backend this model's training and inference run on; None follows engine.get_backend()
        self.backend: str | None = backend
        if seed is not None and (isinstance(seed, bool) or not hasattr(seed, "__index__") or int(seed) < 0):
            raise ValueError(f"seed must be an int >= 0 or None. Received: seed={seed!r}")
        self.seed = None if seed is None else int(seed)
        self.layers: list[Layer] = []
        self._name_counts: dict[str, int] = {}
        self._init_training()
        for layer in layers or []:
            self.add(layer)
        if not trainable:
            self.trainable = False

    def _init_transient(self) -> None:
        super()._init_transient()
        #: the run holding this model on a tier (engine.session), while one is open
        self._session = None

    # -- structure -------------------------------------------------------------------------------------------
    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        """Setting it on a model sets it on every layer inside (Keras' rule for freezing a base)."""
        self._trainable = bool(value)
        for layer in getattr(self, "layers", []):
            layer.trainable = bool(value)

    def _layer_rng(self, index: int) -> np.random.Generator:
        return default_rng() if self.seed is None else np.random.default_rng([self.seed, index])

    def _auto_name(self, layer: Layer) -> str:
        base = snake_case(type(layer).__name__)
        taken = {existing.name for existing in self.layers}
        while True:
            count = self._name_counts.get(base, 0)
            self._name_counts[base] = count + 1
            candidate = base if count == 0 else f"{base}_{count}"
            if candidate not in taken:
                return candidate

    def add(self, layer: Layer) -> None:
        """Append ``layer``; builds it at once when the input shape is known.

        Raises ``ValueError`` (a :class:`ShapeError`) naming the layer when the input is too small for it,
        e.g. ``"input 1x1 is too small for MaxPooling2D 2x2 at layer 4 (max_pooling2d_3)"``.
        """
        if not isinstance(layer, Layer):
            raise TypeError(
                f"Sequential.add expects a layer (engine.layers.*). Received: {type(layer).__name__}"
            )
        if layer is self or any(layer is existing for existing in self.layers):
            raise ValueError(f"layer {layer.name!r} is already in model {self.name!r}")
        if layer.has_name:
            if any(existing.name == layer.name for existing in self.layers):
                raise ValueError(
                    f"all layer names must be unique: model {self.name!r} already has {layer.name!r}"
                )
        else:
            layer.name = self._auto_name(layer)
        in_shape = self.layers[-1].output_shape if self.layers else layer.input_shape
        if self.layers and in_shape is None:  # model not built yet: defer
            self.layers.append(layer)
            return
        if in_shape is not None:
            self._build_one(layer, tuple(in_shape), len(self.layers))
        self.layers.append(layer)
        if self.layers[-1].built and all(lay.built for lay in self.layers):
            self.input_shape = self.layers[0].input_shape
            self.output_shape = self.layers[-1].output_shape
            self.built = True

    def pop(self) -> Layer:
        """Remove and return the last layer."""
        if not self.layers:
            raise ValueError(f"model {self.name!r} has no layers to pop")
        layer = self.layers.pop()
        self.output_shape = self.layers[-1].output_shape if self.layers else None
        return layer

    def _build_one(self, layer: Layer, in_shape: Shape, index: int) -> None:
        where = f"at layer {index + 1} ({layer.name})"
        if layer.built:
            if layer.input_shape is not None and tuple(layer.input_shape) != tuple(in_shape):
                raise ShapeError(
                    f"{type(layer).__name__} {where} was built for input {layer.input_shape} but "
                    f"receives {tuple(in_shape)}"
                )
            return
        try:
            layer.build(in_shape, self._layer_rng(index))
        except ShapeError as exc:
            raise exc.located(where) from None

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        shape = tuple(input_shape)
        for i, layer in enumerate(self.layers):
            try:
                shape = layer.compute_output_shape(shape)
            except ShapeError as exc:
                raise exc.located(f"at layer {i + 1} ({layer.name})") from None
        return shape

    def build(self, input_shape: Shape | None = None, rng: np.random.Generator | None = None) -> None:
        """Build every layer for ``input_shape`` (without the batch axis); layers already built are kept."""
        if not self.layers:
            raise ValueError(f"model {self.name!r} has no layers: add some before building it")
        shape = input_shape if input_shape is not None else self.layers[0].input_shape
        if shape is None:
            raise ValueError(
                f"model {self.name!r} does not know its input shape: give the first layer "
                "input_shape=(H, W, C) or pass data to fit/predict"
            )
        built: Shape = tuple(shape)
        for i, layer in enumerate(self.layers):
            self._build_one(layer, built, i)
            assert layer.output_shape is not None
            built = layer.output_shape
        self.input_shape = self.layers[0].input_shape
        self.output_shape = built
        self.built = True

    def forward(self, x: Any, training: bool = False) -> Any:
        for layer in self.layers:
            x = layer.forward(x, training=training)
        return x

    def _lowest_trainable(self) -> int | None:
        for i, layer in enumerate(self.layers):
            if has_trainable_weights(layer):
                return i
        return None

    def backward(self, dy: Any, need_dx: bool = True) -> Any:
        """Back-propagate ``dy``; without ``need_dx`` it stops at the lowest layer with trainable weights
        (which skips its ``dx``, and everything below it)."""
        lowest = 0 if need_dx else self._lowest_trainable()
        if lowest is None:
            return None
        for i in range(len(self.layers) - 1, lowest - 1, -1):
            dy = self.layers[i].backward(dy, need_dx=need_dx or i > lowest)
        return dy if need_dx else None

    def reseed(self, rng: np.random.Generator) -> None:
        for layer, child in zip(self.layers, rng.spawn(len(self.layers)), strict=True):
            layer.reseed(child)

    # -- walking ---------------------------------------------------------------------------------------------
    def iter_leaves(self, prefix: str = "") -> Iterator[tuple[str, Layer]]:
        """Every non-model layer with its qualified name (``"base/conv2d"`` inside a nested model)."""
        for layer in self.layers:
            if isinstance(layer, Sequential):
                yield from layer.iter_leaves(f"{prefix}{layer.name}/")
            else:
                yield f"{prefix}{layer.name}", layer

    def trainable_slots(self) -> list[tuple[str, Layer, str]]:
        """``(slot_name, layer, weight_key)`` for every trainable weight (a frozen model contributes none, nor
        do a layer's non-trainable statistics)."""
        out: list[tuple[str, Layer, str]] = []
        for qname, layer in self._leaves_with_trainability():
            for key in layer.trainable_keys():
                out.append((f"{qname}/{key}", layer, key))
        return out

    def _leaves_with_trainability(self, prefix: str = "") -> Iterator[tuple[str, Layer]]:
        for layer in self.layers:
            if not layer.trainable:
                continue
            if isinstance(layer, Sequential):
                yield from layer._leaves_with_trainability(f"{prefix}{layer.name}/")
            else:
                yield f"{prefix}{layer.name}", layer

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer by name or position."""
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"no layer named {name!r} in model {self.name!r}. Layers: {[la.name for la in self.layers]}"
        )

    # -- weights ---------------------------------------------------------------------------------------------
    @property
    def params(self) -> dict[str, np.ndarray]:
        """Every weight of the model's layers, keyed ``"layer/kernel"`` (a view of them, not a copy)."""
        return {f"{q}/{k}": p for q, layer in self.iter_leaves() for k, p in layer.params.items()}

    @params.setter
    def params(self, value: dict[str, np.ndarray]) -> None:
        if value:
            raise AttributeError("a model's params come from its layers")

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every weight, layer by layer (kernel then bias)."""
        return [w for _, layer in self.iter_leaves() for w in layer.get_weights()]

    def set_weights(self, weights: list[Any]) -> None:
        """Replace every weight, in :meth:`get_weights` order."""
        leaves = [layer for _, layer in self.iter_leaves()]
        expected = sum(len(layer.params) for layer in leaves)
        if not self.built:
            raise ValueError(f"model {self.name!r} is not built yet: give the first layer an input_shape")
        if len(weights) != expected:
            raise ValueError(
                f"model {self.name!r} expects {expected} weight arrays. Received: {len(weights)}"
            )
        i = 0
        for layer in leaves:
            n = len(layer.params)
            layer.set_weights(list(weights[i : i + n]))
            i += n

    def count_params(self) -> int:
        return sum(layer.count_params() for layer in self.layers)

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        return [layer.params[key] for _, layer, key in self.trainable_slots()]

    @property
    def non_trainable_weights(self) -> list[np.ndarray]:
        """Every weight no optimizer updates: frozen layers' and the moving statistics of normalisation."""
        trained = {id(p) for p in self.trainable_weights}
        return [p for _, layer in self.iter_leaves() for p in layer.params.values() if id(p) not in trained]

    def finish_step(self) -> None:
        """Let every layer fold in what a successful training step leaves (see :meth:`Layer.finish_step`)."""
        for _, layer in self.iter_leaves():
            layer.finish_step()

    # -- summary ---------------------------------------------------------------------------------------------
    def summary_rows(self) -> list[tuple[str, str, Shape | None, int]]:
        """``(name, class, output shape with batch None, parameter count)`` for each layer."""
        return [
            (
                layer.name,
                type(layer).__name__,
                None if layer.output_shape is None else (None, *layer.output_shape),
                layer.count_params(),
            )
            for layer in self.layers
        ]

    def summary(self, print_fn: Callable[[str], Any] | None = None, line_length: int = 72) -> None:
        """Print the layers, their output shapes and parameter counts, and the totals (like Keras)."""
        widths = (32, 24, line_length - 56)
        lines = [
            f'Model: "{self.name}"',
            "_" * line_length,
            f"{'Layer (type)':<{widths[0]}}{'Output Shape':<{widths[1]}}{'Param #':>{widths[2]}}",
            "=" * line_length,
        ]
        for i, (name, cls, shape, n) in enumerate(self.summary_rows()):
            shape_txt = "?" if shape is None else str(shape)
            label = f"{name} ({cls})"
            if len(label) >= widths[0]:  # the class on a line of its own, as Keras wraps a long cell
                lines.append(f"{name:<{widths[0]}}{shape_txt:<{widths[1]}}{n:>{widths[2]},}")
                lines.append(f"({cls})")
            else:
                lines.append(f"{label:<{widths[0]}}{shape_txt:<{widths[1]}}{n:>{widths[2]},}")
            lines.append("=" * line_length if i == len(self.layers) - 1 else "_" * line_length)
        total = self.count_params()
        trainable = sum(p.size for p in self.trainable_weights)
        lines += [
            f"Total params: {total:,}",
            f"Trainable params: {trainable:,}",
            f"Non-trainable params: {total - trainable:,}",
            "_" * line_length,
        ]
        (print_fn or print)("\n".join(lines))

    # -- config ----------------------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """JSON-able architecture: ``{"name", "seed", "trainable", "layers": [{"class_name", "config"},
        ...]}``."""
        return {
            "name": self.name,
            "seed": self.seed,
            "trainable": self.trainable,
            "layers": [
                {"class_name": type(layer).__name__, "config": layer.get_config()} for layer in self.layers
            ],
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Sequential:
        model = cls(name=config.get("name"), seed=config.get("seed"))
        for entry in config.get("layers", []):
            model.add(layer_from_config(entry))
        model._trainable = bool(config.get("trainable", True))
        return model

    # -- notebooks and other runtimes ------------------------------------------------------------------------
    def _repr_html_(self) -> str:
        """The :meth:`summary` as an HTML table: what a notebook cell ending with a model shows."""
        from html import escape

        rows = "".join(
            f"<tr><td>{escape(name)} <span style='color:#777'>({escape(cls)})</span></td>"
            f"<td><code>{escape('?' if shape is None else str(shape))}</code></td>"
            f"<td style='text-align:right'>{n:,}</td></tr>"
            for name, cls, shape, n in self.summary_rows()
        )
        total = self.count_params()
        trainable = sum(p.size for p in self.trainable_weights)
        first = self.layers[0].input_shape if self.layers else None
        in_shape = "?" if first is None else str((None, *first))
        return (
            f"<div><b>Model: {escape(repr(self.name))}</b> &nbsp; input <code>{escape(in_shape)}</code>"
            "<table><thead><tr><th style='text-align:left'>Layer (type)</th>"
            "<th style='text-align:left'>Output shape</th>"
            "<th style='text-align:right'>Param #</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            f"Total params: {total:,} &nbsp; Trainable: {trainable:,} &nbsp; "
            f"Non-trainable: {total - trainable:,}"
            "</div>"
        )

    def export_onnx(self, path: Any, opset: int = 17, metadata: dict[str, Any] | None = None) -> Any:
        """Write this model as an ONNX file (input ``input`` NHWC float32, output ``output``); see
        :func:`engine.onnx_export.export_onnx`. Returns the path written."""
        from engine.onnx_export import export_onnx

        return export_onnx(self, path, opset=opset, metadata=metadata)


def has_trainable_weights(layer: Layer) -> bool:
    if not layer.trainable:
        return False
    if isinstance(layer, Sequential):
        return any(has_trainable_weights(child) for child in layer.layers)
    return bool(layer.trainable_keys())


def layer_from_config(entry: dict[str, Any]) -> Layer:
    """A layer from ``{"class_name": "Conv2D", "config": {...}}``."""
    if not isinstance(entry, dict) or "class_name" not in entry:
        raise ValueError(
            f"a layer config must be {{'class_name': ..., 'config': {{...}}}}. Received: {entry!r}"
        )
    cls = LAYER_CLASSES.get(entry["class_name"])
    if cls is None:
        raise ValueError(f"unknown layer class {entry['class_name']!r}. Known: {sorted(LAYER_CLASSES)}")
    try:
        return cls.from_config(entry.get("config", {}))
    except TypeError as exc:
        raise ValueError(f"bad config for {entry['class_name']}: {exc}") from None


def model_from_config(config: dict[str, Any]) -> Sequential:
    """Rebuild a model from :meth:`Sequential.get_config` (or ``{"class_name": "Sequential", "config":
    ...}``)."""
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict. Received: {type(config).__name__}")
    if "class_name" in config:
        if config["class_name"] != "Sequential":
            raise ValueError(
                f"only Sequential models are supported. Received class_name={config['class_name']!r}"
            )
        config = config.get("config", {})
    if "layers" not in config:
        raise ValueError("a model config needs a 'layers' list")
    return Sequential.from_config(config)


def load_model(path: Any, compile: bool = True, *, allow_non_finite: bool = False) -> Sequential:
    """Load a model saved by :meth:`Sequential.save` (weights, architecture, optimizer state).

    ``compile=False`` skips the optimizer and loss (an inference-only model). Raises ``FileNotFoundError``
    or a ``ValueError`` that names the file and what is wrong with it (see
    :func:`engine.saving.read_model_file` and :mod:`engine.model_checks`): sizes that disagree with the
    stored weights (checked before anything is allocated), NaN or infinite weights (``allow_non_finite=True``
    loads them anyway, to inspect a broken file), an optimizer state that does not fit the model.
    """
    from engine.model_checks import check_architecture, check_finite_weights, check_optimizer_state
    from engine.saving import read_model_file

    saved = read_model_file(path)
    where = repr(str(path))
    check_architecture(saved.config, [w.shape for w in saved.weights], where)  # before any allocation
    model = model_from_config(saved.config)
    if not model.built:
        raise ValueError(f"{where}: the saved architecture has no input shape")
    try:
        model.set_weights(saved.weights)
    except ValueError as exc:
        raise ValueError(f"{where}: weights do not match the architecture ({exc})") from None
    if not allow_non_finite:
        check_finite_weights(model, where)
    if compile and saved.compile_config:
        cfg = saved.compile_config
        model.compile(optimizer=cfg["optimizer"], loss=cfg["loss"], metrics=cfg.get("metrics") or None)
        optimizer, state = model.optimizer, saved.optimizer_state
        if optimizer is not None and state is not None:
            check_optimizer_state(model, optimizer.slot_names, state.slots, where)
            optimizer.iterations = state.iterations
            for key, slot in state.slots.items():
                optimizer.state[key] = list(slot)
    return model
