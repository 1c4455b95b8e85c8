"""The layer lifecycle every ConvScope layer follows (Keras-shaped).

``__init__`` validates the arguments, :meth:`Layer.build` makes the weights once the input shape is known,
:meth:`Layer.forward` computes the output and keeps what :meth:`Layer.backward` needs, and
:meth:`Layer.compute_output_shape` is a pure function of the input shape. Shapes never include the batch axis:
an image layer sees ``(H, W, C)``; ``None`` stands for a size unknown until data arrives (e.g. ``(None, None,
3)``).

``forward`` and ``backward`` are the only code that computes a layer, for training and for inference alike, on
every tier: they call the tier's functions (:mod:`engine.backends.contract`) directly, with arrays the model
has already checked (float32, C-contiguous) and geometry (paddings) resolved once per input size and kept on
the layer. The input's shape is still checked against what the layer was built for (:meth:`Layer.check_input`:
rank, channels or features, no empty axis), once per shape: the layer remembers the shapes it has accepted,
so the hot path costs one lookup, and a kernel never receives arrays whose sizes disagree (the cpu kernels do
not check bounds). ``backward`` checks that ``dy`` has the shape of the last output. ``forward`` keeps
references (never copies) to what ``backward`` needs, in inference too, so
:meth:`engine.models.Sequential.gradients` can follow a ``forward(training=False)``.

Weights live in the ordered dict :attr:`Layer.params` (``"kernel"``, ``"bias"``) and their gradients, after
``backward``, in :attr:`Layer.grads` under the same keys. A layer may also keep *non-trainable* weights there,
named in its :attr:`Layer.NON_TRAINABLE` (BatchNormalization's moving statistics): they are saved, loaded and
moved to a device with the others (in :meth:`Layer.get_weights` order, as Keras), but no optimizer touches
them and they have no gradient; the layer updates them itself in :meth:`Layer.finish_step`. All arrays are
float32. During a training run on a tier whose device keeps its own copies (cuda), the run binds the layer
(:meth:`Layer.bind`): the kernels then read those copies, :meth:`Layer.get_weights` and
:meth:`Layer.set_weights` go through them, and ``params`` is brought up to date when the run ends.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any, ClassVar, cast

import numpy as np

from engine import shapes
from engine.backends import current
from engine.backends.contract import ACTIVATIONS, LEAKY_RELU_SLOPE, Device

Shape = tuple  # tuple[int | None, ...], without the batch axis
Array = Any  # a float32 NumPy array, or a device array of the tier the layer is bound to

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
    if not isinstance(activation, str) or activation.lower() not in ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {ACTIVATIONS} or None. Received: activation={activation!r}"
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
            "input_shape must be a non-empty tuple such as (32, 32, 3). "
            f"Received: input_shape={input_shape!r}"
        )
    out: list[int | None] = []
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

    #: True for layers whose ``forward`` acts differently in training (Dropout, BatchNormalization)
    has_training_mode: ClassVar[bool] = False
    #: keys of :attr:`params` that are not trained (no gradient, no optimizer): statistics the layer keeps
    NON_TRAINABLE: ClassVar[tuple[str, ...]] = ()
    #: attributes that hold what the last ``forward`` kept, or a run's binding: never copied or pickled
    _TRANSIENT: ClassVar[tuple[str, ...]] = ("_tier", "_device", "_live", "grads", "_zeros", "_accepted")

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
        self._init_transient()

    def _init_transient(self) -> None:
        """(Re)set what a forward pass keeps and what a run binds: nothing yet."""
        #: the tier this layer's kernels run on while a run holds it (None: the tier engine.config chose)
        self._tier: ModuleType | None = None
        self._device: Device | None = None
        #: the run's device copies of ``params`` (None when the kernels read ``params`` itself)
        self._live: dict[str, Array] | None = None
        self.grads: dict[str, Array] = {}
        self._zeros: dict[str, Array] = {}  # a zero bias per tier, for layers built with use_bias=False
        #: the per-sample input shapes :meth:`check_input` has accepted (see :meth:`admit`)
        self._accepted: set[tuple[int, ...]] = set()

    def __getstate__(self) -> dict[str, Any]:
        transient = set(self._TRANSIENT)
        return {k: v for k, v in self.__dict__.items() if k not in transient}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._init_transient()

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

    # -- lifecycle -------------------------------------------------------------------------------------------
    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """Output shape (without the batch axis) for ``input_shape``; raises :class:`ShapeError` if
        impossible."""
        return tuple(input_shape)

    def build(self, input_shape: Shape, rng: np.random.Generator | None = None) -> None:
        """Check ``input_shape``, make the weights (seeded by ``rng``) and record the shapes."""
        input_shape = tuple(input_shape)
        self.output_shape = self.compute_output_shape(input_shape)
        self.input_shape = input_shape
        self.build_weights(input_shape, rng if rng is not None else default_rng())
        self.built = True
        self.forget_shapes()

    # -- input checks ----------------------------------------------------------------------------------------
    def check_input(self, x_shape: tuple[int, ...]) -> None:
        """Refuse a batch ``x (N, *sample)`` this layer was not built for: another rank, another last axis
        (the channels of an image, the features of a vector) when the layer knows it, or an empty axis other
        than the batch. Sizes the layer leaves free (``None``, and an image's height and width) are not
        compared here; layers that need more check more (a sliding window must fit).

        Raises
        ------
        ShapeError
            Naming the layer, what it was built for and the shape received.
        """
        built = self.input_shape
        if built is None:  # not built: the model checks the shape when it builds the layer
            return
        sample = tuple(x_shape[1:])
        if len(sample) != len(built):
            dims = ", ".join("?" if d is None else str(d) for d in built)
            raise ShapeError(
                f"{self.name}: x must have shape (N, {dims}) ({type(self).__name__} built for input "
                f"{tuple(built)}). Received shape: {tuple(x_shape)}"
            )
        if 0 in sample:
            raise ShapeError(
                f"{self.name}: x has an empty axis; every size after the batch must be >= 1. "
                f"Received shape: {tuple(x_shape)}"
            )
        if built[-1] is not None and sample[-1] != built[-1]:
            raise ShapeError(self.last_axis_mismatch(sample[-1], tuple(x_shape)))

    def last_axis_mismatch(self, size: int, x_shape: tuple[int, ...]) -> str:
        """The message for an input whose last axis holds ``size`` values where the layer was built for
        another number."""
        assert self.input_shape is not None
        return (
            f"{self.name}: x has {size} channel(s) (its last axis) but {type(self).__name__} was built for "
            f"{self.input_shape[-1]} (input shape {tuple(self.input_shape)}). Received shape: {x_shape}"
        )

    def admit(self, x_shape: tuple[int, ...]) -> None:
        """:meth:`check_input` once per per-sample shape: ``forward`` calls it only for a shape not yet in
        ``_accepted`` (``if x.shape[1:] not in self._accepted``), which then remembers it."""
        self.check_input(x_shape)
        accepted = self._accepted
        if len(accepted) >= 16:
            accepted.clear()
        accepted.add(tuple(x_shape[1:]))

    def forget_shapes(self) -> None:
        """Drop what was checked per input shape (the layer was built again)."""
        self._accepted.clear()

    def check_dy(self, dy: Array, expected: tuple[int, ...]) -> None:
        """Refuse a ``dy`` that has not the ``expected`` shape of the last output (a kernel would read past
        it)."""
        if tuple(dy.shape) != tuple(expected):
            raise ValueError(
                f"{self.name}: dy must have the shape of the layer's last output {tuple(expected)}. "
                f"Received shape: {tuple(dy.shape)}"
            )

    def build_weights(self, input_shape: Shape, rng: np.random.Generator) -> None:
        """Create :attr:`params` (layers without weights keep the empty dict)."""

    def forward(self, x: Array, training: bool = False) -> Array:
        """Compute the output for the batch ``x`` ``(N, *input_shape)`` (float32, C-contiguous) and keep what
        ``backward`` needs (references, no copies). ``training`` switches on training-only behaviour
        (Dropout)."""
        raise NotImplementedError

    def backward(self, dy: Array, need_dx: bool = True) -> Array | None:
        """Given ``dL/dy`` (shaped like the last output), fill :attr:`grads` and return ``dL/dx``
        (None when ``need_dx`` is False)."""
        raise NotImplementedError

    def __call__(self, x: Any, training: bool = False) -> Array:
        xa = np.ascontiguousarray(x, dtype=np.float32)
        if not xa.flags.writeable:
            xa = xa.copy()  # Numba types read-only arrays apart: each kernel would compile a second time
        if not self.built:
            self.build(xa.shape[1:])
        return self.forward(xa, training=training)

    def reseed(self, rng: np.random.Generator) -> None:
        """Give the layer a new generator for its training-time randomness (Dropout)."""

    def finish_step(self) -> None:
        """Called by the training loop once a training step has succeeded (a finite loss, the weights
        updated): a layer that keeps statistics across batches folds the last training batch's into them
        here (BatchNormalization's moving mean and variance), so a step stopped by a NaN loss leaves them
        untouched too. Nothing to do for most layers."""

    # -- the tier the kernels run on -------------------------------------------------------------------------
    def kernels(self) -> ModuleType:
        """The tier whose functions :meth:`forward` and :meth:`backward` call: the one a run bound this layer
        to, else the one :mod:`engine.config` chose."""
        tier = self._tier
        return tier if tier is not None else current()

    def _bias_or_zeros(self, tier: ModuleType, live: dict[str, Array], n: int) -> Array:
        """``live["bias"]``, or (``use_bias=False``) zeros of length ``n`` where ``tier`` reads them, made
        once."""
        bias = live.get("bias")
        if bias is None:
            bias = self._zeros.get(tier.__name__)
            if bias is None:
                bias = self._zeros[tier.__name__] = tier.to_device(np.zeros(n, np.float32))
        return bias

    @property
    def live_params(self) -> dict[str, Array]:
        """The weights the kernels read: :attr:`params`, or a bound run's device copies of them."""
        live = self._live
        return self.params if live is None else live

    def bind(self, tier: ModuleType, device: Device) -> None:
        """Run on ``tier`` until :meth:`unbind`; when ``device`` is resident, copy the weights to it
        (once)."""
        self._tier, self._device = tier, device
        self._live = {k: device.to_device(p) for k, p in self.params.items()} if device.resident else None

    def unbind(self) -> None:
        """Copy a resident device's weights back into :attr:`params` (in place, once) and drop every device
        array the layer holds."""
        live, device = self._live, self._device
        if live is not None and device is not None:
            for key, p in self.params.items():
                p[...] = device.to_host(live[key])
        if device is not None and device.resident:
            self._init_transient()  # device arrays kept for backward go with the binding
        self._tier = self._device = self._live = None

    # -- weights ---------------------------------------------------------------------------------------------
    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights, in :attr:`params` order (read from the device during a run that keeps them
        there)."""
        live, device = self._live, self._device
        if live is None or device is None:
            return [p.copy() for p in self.params.values()]
        return [np.array(device.to_host(live[key]), dtype=np.float32) for key in self.params]

    def set_weights(self, weights: list[Any]) -> None:
        """Replace the weights (in :attr:`params` order); shapes must match. During a run that keeps the
        weights on a device, the new values are copied there too."""
        if not self.built:
            raise ValueError(
                f"layer {self.name!r} is not built yet: give it an input_shape or call the model first"
            )
        if len(weights) != len(self.params):
            raise ValueError(
                f"layer {self.name!r} expects {len(self.params)} weight array(s) {list(self.params)}. "
                f"Received: {len(weights)}"
            )
        for (key, p), w in zip(self.params.items(), weights, strict=True):
            wa = np.asarray(w, dtype=np.float32)
            if wa.shape != p.shape:
                raise ValueError(
                    f"layer {self.name!r} {key} must have shape {p.shape}. Received shape: {wa.shape}"
                )
            p[...] = wa
            if self._live is not None and self._device is not None:
                self._live[key] = self._device.to_device(p)

    def count_params(self) -> int:
        """Every weight, trainable or not (Keras' ``count_params``)."""
        return int(sum(p.size for p in self.params.values()))

    def trainable_keys(self) -> list[str]:
        """Keys of the weights an optimizer updates: :attr:`params` less :attr:`NON_TRAINABLE` (none when the
        layer is frozen)."""
        if not self.trainable:
            return []
        return [key for key in self.params if key not in self.NON_TRAINABLE]

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        """The arrays of :meth:`trainable_keys` (Keras' ``trainable_weights``)."""
        return [self.params[key] for key in self.trainable_keys()]

    @property
    def non_trainable_weights(self) -> list[np.ndarray]:
        """Every other weight: the :attr:`NON_TRAINABLE` ones, and all of them when the layer is frozen."""
        trained = set(self.trainable_keys())
        return [p for key, p in self.params.items() if key not in trained]

    # -- config ----------------------------------------------------------------------------------------------
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
    """Applies an element-wise activation after the layer's linear part and back-propagates through it.

    ``activation`` is a name of :data:`engine.backends.contract.ACTIVATIONS`; ``alpha`` is leaky_relu's slope.
    After a forward pass ``_y`` holds the output and ``_z`` the input of the activation; for ReLU only ``_y``
    is kept: its gradient passes where ``y > 0``, which are exactly the cells where ``z > 0`` (NaN and -0.0
    included), so a tier's fused bias+ReLU kernel can be used in training too.
    """

    activation: str
    alpha: float = LEAKY_RELU_SLOPE
    _z: Array | None
    _y: Array | None
    check_dy: Any  # Layer's

    def _activate(self, tier: ModuleType, z: Array) -> Array:
        name = self.activation
        if name == "linear":
            self._z, self._y = None, z
            return z
        y = tier.activation(name, z, self.alpha)
        self._z, self._y = (None if name == "relu" else z), y
        return y

    def _activate_backward(self, tier: ModuleType, dy: Array) -> Array:
        name = self.activation
        y = self._y
        if y is None:
            raise RuntimeError(f"{getattr(self, 'name', 'layer')}: backward called before forward")
        if dy.shape != y.shape:
            self.check_dy(dy, y.shape)
        if name == "linear":
            return dy
        return tier.activation_backward(name, y if name == "relu" else self._z, y, dy, self.alpha)


class WindowGeometry:
    """The paddings of a sliding-window layer (Conv2D, the pooling layers), resolved with :mod:`engine.shapes`
    once per input shape ``(H, W, C)`` and kept on the layer (its ``_pads_by_shape``), the input checked at
    the same time (:meth:`Layer.check_input`, and the window must fit): ``forward`` looks its input's shape up
    there and calls :meth:`_geometry` only for a shape it has not seen."""

    padding: str
    strides: tuple[int, int]
    _pads_by_shape: dict[tuple[int, ...], tuple[int, int, int, int]]
    compute_output_shape: Any  # the layer's (raises ShapeError when the window does not fit)
    check_input: Any  # Layer's

    def window(self) -> tuple[int, int]:
        """``(KH, KW)`` of the window the layer slides."""
        raise NotImplementedError

    def _pads(self, in_hw: tuple[Any, Any]) -> tuple[int, int, int, int]:
        """The pads for an input of ``in_hw`` (an unknown size counts as 1: only 'same' depends on it)."""
        hw = (1 if in_hw[0] is None else int(in_hw[0]), 1 if in_hw[1] is None else int(in_hw[1]))
        return shapes.resolve_padding(self.padding, hw, self.window(), self.strides)

    def _geometry(self, x_shape: tuple[int, ...]) -> tuple[int, int, int, int]:
        """The pads for inputs ``(N, H, W, C)`` of this shape: resolved (and the input checked) once per
        shape."""
        sample = tuple(x_shape[1:])
        pads = self._pads_by_shape.get(sample)
        if pads is None:
            self.check_input(x_shape)
            if len(sample) != 3:  # a layer not built yet checks no rank
                raise ShapeError(f"x must have shape (N, H, W, C). Received shape: {tuple(x_shape)}")
            self.compute_output_shape(sample)
            if len(self._pads_by_shape) >= 16:
                self._pads_by_shape.clear()
            pads = self._pads_by_shape[sample] = self._pads((sample[0], sample[1]))
        return pads

    def forget_shapes(self) -> None:
        Layer.forget_shapes(cast(Layer, self))  # a mixin: the layer it is mixed into
        self._pads_by_shape.clear()


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
