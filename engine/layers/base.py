"""The layer lifecycle every ConvScope layer follows (Keras-shaped).

``__init__`` validates the arguments, :meth:`Layer.build` makes the weights once the input shape is known,
:meth:`Layer.forward` computes the output and keeps what :meth:`Layer.backward` needs, and
:meth:`Layer.compute_output_shape` is a pure function of the input shape. Shapes never include the batch axis:
an image layer sees ``(H, W, C)``; ``None`` stands for a size unknown until data arrives (e.g. ``(None, None, 3)``).

Weights live in the ordered dict :attr:`Layer.params` (``"kernel"``, ``"bias"``) and their gradients, after
``backward``, in :attr:`Layer.grads` under the same keys. All arrays are float32.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType
from typing import Any, ClassVar

import numpy as np

from engine import ops

Shape = tuple  # tuple[int | None, ...], without the batch axis
#: one layer's inference-mode forward, as made by :meth:`Layer.inference_step`: ``x (N, ...) -> y (N, ...)``
Step = Callable[[np.ndarray], np.ndarray]

ACTIVATION_NAMES = ("linear", "relu", "leaky_relu", "sigmoid", "tanh", "softmax")

#: every layer class by its ``class_name``, for :func:`engine.models.model_from_config`
LAYER_CLASSES: dict[str, type[Layer]] = {}

_global_rng = np.random.default_rng()


def set_random_seed(seed: int) -> None:
    """Seed the generator that initialises the weights of models built without ``seed=``
    (like ``keras.utils.set_random_seed``)."""
    global _global_rng
    _global_rng = np.random.default_rng(int(seed))


def default_rng() -> np.random.Generator:
    """The generator used when a model has no seed of its own."""
    return _global_rng


def snake_case(name: str) -> str:
    """``"MaxPooling2D"`` -> ``"max_pooling2d"`` (Keras' automatic layer names)."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


class ShapeError(ValueError):
    """An input shape a layer cannot take: ``problem`` then ``hint``; the model adds the layer's position and
    name to the problem (``"... at layer 4 (max_pooling2d_3); <hint>"``)."""

    def __init__(self, problem: str, hint: str = "") -> None:
        super().__init__(f"{problem}; {hint}" if hint else problem)
        self.problem, self.hint = problem, hint

    def located(self, where: str) -> ShapeError:
        """The same error with ``where`` (e.g. ``"at layer 2 (conv2d_1)"``) after the problem."""
        return ShapeError(f"{self.problem} {where}", self.hint)


def normalize_activation(activation: str | None) -> str:
    """Validate an activation name; ``None`` means ``"linear"``."""
    if activation is None:
        return "linear"
    if not isinstance(activation, str) or activation.lower() not in ACTIVATION_NAMES:
        raise ValueError(
            f"activation must be one of {ACTIVATION_NAMES} or None. Received: activation={activation!r}"
        )
    return activation.lower()


def normalize_input_shape(input_shape: Any) -> Shape | None:
    """Validate ``input_shape`` (without the batch axis): a tuple of positive ints or None."""
    if input_shape is None:
        return None
    if isinstance(input_shape, int) and not isinstance(input_shape, bool):
        input_shape = (input_shape,)
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) == 0:
        raise ValueError(
            f"input_shape must be a non-empty tuple such as (32, 32, 3). Received: input_shape={input_shape!r}"
        )
    out = []
    for d in input_shape:
        if d is None:
            out.append(None)
        elif isinstance(d, bool) or not hasattr(d, "__index__") or int(d) < 1:
            raise ValueError(
                f"input_shape must hold positive ints (or None). Received: input_shape={input_shape!r}"
            )
        else:
            out.append(int(d))
    return tuple(out)


def glorot_uniform(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int, fan_out: int) -> np.ndarray:
    """Glorot (Xavier) uniform initialisation: ``U(-l, l)`` with ``l = sqrt(6 / (fan_in + fan_out))``."""
    limit = np.float32(np.sqrt(6.0 / (fan_in + fan_out)))
    return (rng.random(shape, dtype=np.float32) * np.float32(2.0) - np.float32(1.0)) * limit


class Layer:
    """Base class: a named, optionally trainable, step of a :class:`engine.models.Sequential`.

    Parameters
    ----------
    name : the layer's name; None lets the model give a Keras-style one (``conv2d``, ``conv2d_1``, ...).
    trainable : if False the optimizer leaves the weights alone (transfer learning).
    input_shape : the input shape without the batch axis, for the first layer of a model.
    """

    #: True for layers whose ``forward`` acts differently in training (Dropout)
    has_training_mode: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        LAYER_CLASSES[cls.__name__] = cls

    def __init__(self, *, name: str | None = None, trainable: bool = True, input_shape: Any = None) -> None:
        if name is not None and (not isinstance(name, str) or not name or "/" in name):
            raise ValueError(f"name must be a non-empty string without '/'. Received: name={name!r}")
        if not isinstance(trainable, (bool, np.bool_)):
            raise TypeError(f"trainable must be True or False. Received: trainable={trainable!r}")
        self._name = name
        self._trainable = bool(trainable)
        self.input_shape: Shape | None = normalize_input_shape(input_shape)
        self.output_shape: Shape | None = None
        self.built = False
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    # -- naming ---------------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name if self._name is not None else snake_case(type(self).__name__)

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    @property
    def has_name(self) -> bool:
        return self._name is not None

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)

    # -- lifecycle --------------------------------------------------------------------------------------------
    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """Output shape (without the batch axis) for ``input_shape``; raises :class:`ShapeError` if impossible."""
        return tuple(input_shape)

    def build(self, input_shape: Shape, rng: np.random.Generator | None = None) -> None:
        """Check ``input_shape``, make the weights (seeded by ``rng``) and record the shapes."""
        input_shape = tuple(input_shape)
        self.output_shape = self.compute_output_shape(input_shape)
        self.input_shape = input_shape
        self.build_weights(input_shape, rng if rng is not None else default_rng())
        self.built = True

    def build_weights(self, input_shape: Shape, rng: np.random.Generator) -> None:
        """Create :attr:`params` (layers without weights keep the empty dict)."""

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Compute the output for the batch ``x`` ``(N, *input_shape)`` and keep what ``backward`` needs."""
        raise NotImplementedError

    def backward(self, dy: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        """Given ``dL/dy`` (shaped like the last output), fill :attr:`grads` and return ``dL/dx``
        (None when ``need_dx`` is False)."""
        raise NotImplementedError

    def inference_step(self, input_shape: Shape, backend: ModuleType) -> Step:
        """This layer's inference-mode forward for inputs ``(N, *input_shape)`` (concrete sizes), as a function
        that calls ``backend``'s kernels (see :mod:`engine.backends`) directly.

        Everything that depends only on the shapes (resolved paddings, strides) is worked out here, once, so
        the step itself skips the validation :mod:`engine.ops` does per call; the weights are read at call
        time, so later training or ``set_weights`` is seen. Unlike :meth:`forward`, a step keeps nothing for
        ``backward``. :mod:`engine.inference` chains the steps; this default just calls :meth:`forward`.
        """
        return lambda x: self.forward(x, training=False)

    def __call__(self, x: Any, training: bool = False) -> np.ndarray:
        xa = np.ascontiguousarray(x, dtype=np.float32)
        if not self.built:
            self.build(xa.shape[1:])
        return self.forward(xa, training=training)

    def reseed(self, rng: np.random.Generator) -> None:
        """Give the layer a new generator for its training-time randomness (Dropout)."""

    # -- weights ----------------------------------------------------------------------------------------------
    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights, in :attr:`params` order."""
        return [p.copy() for p in self.params.values()]

    def set_weights(self, weights: list[Any]) -> None:
        """Replace the weights (in :attr:`params` order); shapes must match."""
        if not self.built:
            raise ValueError(
                f"layer {self.name!r} is not built yet: give it an input_shape or call the model first"
            )
        if len(weights) != len(self.params):
            raise ValueError(
                f"layer {self.name!r} expects {len(self.params)} weight array(s) {list(self.params)}. "
                f"Received: {len(weights)}"
            )
        for (key, p), w in zip(self.params.items(), weights):
            wa = np.asarray(w, dtype=np.float32)
            if wa.shape != p.shape:
                raise ValueError(
                    f"layer {self.name!r} {key} must have shape {p.shape}. Received shape: {wa.shape}"
                )
            p[...] = wa

    def count_params(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    # -- config -----------------------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """JSON-able arguments that rebuild the layer with ``type(layer)(**config)``."""
        cfg: dict[str, Any] = {"name": self.name, "trainable": self.trainable}
        if self.input_shape is not None:
            cfg["input_shape"] = list(self.input_shape)
        return cfg

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        cfg = dict(config)
        if cfg.get("input_shape") is not None:
            cfg["input_shape"] = tuple(cfg["input_shape"])
        return cls(**cfg)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} output_shape={self.output_shape}>"


class ActivationMixin:
    """Applies an element-wise activation after the layer's linear part and back-propagates through it."""

    activation: str
    _z: np.ndarray | None
    _y: np.ndarray | None

    def _activate(self, z: np.ndarray) -> np.ndarray:
        if self.activation == "linear":
            self._z = self._y = None
            return z
        y = ops.activation(self.activation, z)
        self._z, self._y = z, y
        return y

    def _activation_step(
        self,
        backend: ModuleType,
        linear: Callable[..., np.ndarray],
        fused_relu: Callable[..., np.ndarray] | None,
    ) -> Callable[..., np.ndarray]:
        """The inference-mode ``activation(linear(*args))`` on ``backend``: ``fused_relu`` when the activation
        is ReLU and the backend fuses it (one sweep over the output), otherwise the two calls."""
        name = self.activation
        if name == "linear":
            return linear
        if name == "relu" and fused_relu is not None:
            return fused_relu
        act = backend.activation

        def step(*args: Any) -> np.ndarray:
            return act(name, linear(*args), 0.2)

        return step

    def _activate_backward(self, dy: np.ndarray) -> np.ndarray:
        if self.activation == "linear":
            return dy
        if self._z is None:
            raise RuntimeError("backward called before forward")
        return ops.activation_backward(self.activation, self._z, dy, y=self._y)


def spatial_too_small(in_hw: tuple[Any, Any], k_hw: tuple[int, int], pads: tuple[int, int, int, int]) -> bool:
    """True when a ``k_hw`` window does not fit in the padded ``in_hw`` (unknown sizes always fit)."""
    t, b, le, r = pads
    h, w = in_hw
    return (h is not None and h + t + b < k_hw[0]) or (w is not None and w + le + r < k_hw[1])


def check_image_shape(layer: Layer, input_shape: Shape) -> None:
    if len(input_shape) != 3:
        raise ShapeError(
            f"{type(layer).__name__} expects images (H, W, C). Received input shape: {tuple(input_shape)}"
        )
