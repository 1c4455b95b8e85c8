"""Checks of the arguments of ``fit`` / ``fit_steps`` / ``evaluate`` and ``compile`` that are not about array
shapes: epochs, callbacks, empty data, and a loss that does not match what the model outputs. Each error names
the argument, what was received and what is allowed (:mod:`engine.training` calls these)."""

from __future__ import annotations

import warnings
from typing import Any

from engine.callbacks import Callback

__all__ = ["check_callbacks", "check_epochs", "check_loss_fits_outputs", "require_samples"]


def check_epochs(epochs: Any) -> int:
    """``epochs`` as an int >= 0: any integer type, never a bool, a float (``1.7`` would silently run 1 epoch)
    or None."""
    if isinstance(epochs, bool) or not hasattr(epochs, "__index__"):
        raise TypeError(f"epochs must be an int >= 0. Received: epochs={epochs!r}")
    value = int(epochs.__index__())
    if value < 0:
        raise ValueError(f"epochs must be an int >= 0. Received: epochs={epochs!r}")
    return value


def check_callbacks(callbacks: Any) -> list[Callback]:
    """``callbacks`` as a list of :class:`engine.callbacks.Callback`; None means none.

    A single callback (``callbacks=History()``) is refused, as Keras refuses it: the argument is a list, and
    code written for one library then runs unchanged on the other.
    """
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        name = type(callbacks).__name__
        raise TypeError(
            f"callbacks must be a list of callbacks; wrap a single one in a list: callbacks=[{name}()]. "
            f"Received: callbacks={name}"
        )
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(
            f"callbacks must be a list of engine.callbacks.Callback objects. "
            f"Received: {type(callbacks).__name__}"
        )
    for i, cb in enumerate(callbacks):
        if not isinstance(cb, Callback):
            raise TypeError(
                f"callbacks[{i}] must be an engine.callbacks.Callback. Received: {type(cb).__name__}"
            )
    return list(callbacks)


def require_samples(n: int, name: str, what: str) -> None:
    """Refuse ``name`` holding ``n == 0`` samples for ``what`` (a mean over no sample is not a 0.0 metric)."""
    if n == 0:
        raise ValueError(f"{what} needs at least 1 sample. Received: {name} with 0 samples")


#: losses that take a ``from_logits`` flag, and what their ``from_logits=False`` expects
_PROBABILITY_LOSSES = ("SparseCategoricalCrossentropy", "CategoricalCrossentropy", "BinaryCrossentropy")


def check_loss_fits_outputs(loss: Any, output_kind: str, model_name: str, stacklevel: int = 3) -> None:
    """Warn (``UserWarning``, as Keras does) when ``loss`` expects logits and the model outputs probabilities,
    or the reverse: such a run trains badly without any error (10 classes stall near 10 % accuracy).

    Parameters
    ----------
    loss : an :class:`engine.losses.Loss`.
    output_kind : ``"logits"`` or ``"probabilities"`` (:attr:`engine.training.TrainingMixin.output_kind`).
    model_name : named in the message.
    stacklevel : as for :func:`warnings.warn`, counted from this function (3: the caller's caller).
    """
    cls = type(loss).__name__
    if cls not in _PROBABILITY_LOSSES:
        return
    from_logits = bool(getattr(loss, "from_logits", False))
    if not from_logits and output_kind == "logits":
        warnings.warn(
            f"{cls}(from_logits=False) expects probabilities, but model {model_name!r} outputs logits "
            "(its last layer has no softmax or sigmoid): was this intended? Compile with "
            f"{cls}(from_logits=True), or end the model with activation='softmax'.",
            UserWarning,
            stacklevel=stacklevel,
        )
    elif from_logits and output_kind == "probabilities":
        warnings.warn(
            f"{cls}(from_logits=True) expects logits, but model {model_name!r} outputs probabilities "
            f"(its last layer ends in a softmax or sigmoid): was this intended? Compile with "
            f"{cls}(from_logits=False), or remove the last activation.",
            UserWarning,
            stacklevel=stacklevel,
        )
