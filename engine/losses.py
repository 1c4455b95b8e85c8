"""Losses: the number training lowers, and its gradient with respect to the model's output.

Every loss is the mean over the batch, computed in float32 and numerically stable (log-sum-exp for logits).
``forward_backward(y_true, y_pred)`` returns ``(loss, dL/dy_pred)`` in one pass; calling the loss returns the
value.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_EPS = np.float32(1e-7)


class Loss:
    """Base class; subclasses implement :meth:`forward_backward` and :meth:`accuracy`."""

    def __init__(self, from_logits: bool = False) -> None:
        if not isinstance(from_logits, (bool, np.bool_)):
            raise TypeError(f"from_logits must be True or False. Received: from_logits={from_logits!r}")
        self.from_logits = bool(from_logits)

    def __call__(self, y_true: Any, y_pred: Any) -> float:
        return self.forward_backward(y_true, y_pred)[0]

    def forward_backward(self, y_true: Any, y_pred: Any) -> tuple[float, np.ndarray]:
        raise NotImplementedError

    def accuracy(self, y_true: Any, y_pred: np.ndarray) -> float:
        """Fraction of correct predictions, in the sense that fits this loss."""
        raise NotImplementedError

    def prepare_targets(self, y: Any, n_outputs: int | None = None) -> np.ndarray:
        """Convert targets once before training (labels to int64, probabilities to float32)."""
        targets = np.asarray(y)
        if targets.dtype.kind not in "biuf":
            raise ValueError(f"targets must be real numbers. Received dtype: {targets.dtype}")
        return np.ascontiguousarray(targets, dtype=np.float32)

    def get_config(self) -> dict[str, Any]:
        return {"from_logits": self.from_logits}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(from_logits={self.from_logits})"


def _pred(y_pred: Any) -> np.ndarray:
    p = np.asarray(y_pred)
    if p.dtype != np.float32:
        p = p.astype(np.float32)
    return p


def _log_softmax(z: np.ndarray) -> np.ndarray:
    """``z - logsumexp(z)`` over the last axis, shifted by the row maximum so ``exp`` cannot overflow."""
    shifted = z - z.max(axis=-1, keepdims=True)  # (N, K)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


class SparseCategoricalCrossentropy(Loss):
    """Cross-entropy with integer class labels ``y_true (N,)`` and ``y_pred (N, K)`` scores.

    ``from_logits=True``: ``y_pred`` are raw scores (the lesson's last ``Dense(10)``); the softmax is folded
    in (``L = logsumexp(z) - z[label]``, gradient ``softmax(z) - onehot``). Otherwise ``y_pred`` are
    probabilities.
    """

    def prepare_targets(self, y: Any, n_outputs: int | None = None) -> np.ndarray:
        """``y`` as int64 labels ``(N,)`` (``(N, 1)`` is taken too), each an integer in ``[0, n_outputs)``.

        Raises ``ValueError`` naming the first label that is not one (a string, a fraction, NaN, a value out
        of range such as ``1e+20``) and its sample.
        """
        labels = np.asarray(y)
        if labels.dtype == np.int64 and labels.ndim == 1 and n_outputs is None:
            return labels  # already prepared (the training loop converts once)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.ndim != 1:
            raise ValueError(
                f"SparseCategoricalCrossentropy expects integer labels of shape (N,). "
                f"Received shape: {np.shape(y)}"
            )
        allowed = f"in [0, {n_outputs})" if n_outputs is not None else ">= 0"
        below = "" if n_outputs is None else f", below the model's {n_outputs} outputs"
        rule = f"labels must be {allowed} (integer class labels: one class index per sample{below})"
        if labels.dtype.kind not in "biuf":  # strings, objects, complex numbers, dates
            first = labels[0].item() if labels.size else None
            raise ValueError(f"{rule}. Received dtype {labels.dtype}: {first!r} (sample 0)")
        if labels.dtype.kind == "f":
            with np.errstate(invalid="ignore"):
                bad = ~np.isfinite(labels) | (np.mod(labels, 1) != 0)
            if bad.any():
                i = int(np.argmax(bad))
                raise ValueError(f"{rule}. Received: {labels[i]:g} (sample {i})")
        if labels.size:
            high = np.inf if n_outputs is None else n_outputs
            out = (labels < 0) | (labels >= min(high, 2**62))  # 2**62: the int64 cast must not wrap
            if out.any():
                i = int(np.argmax(out))
                value = f"{labels[i]:g}" if labels.dtype.kind == "f" else str(labels[i])
                raise ValueError(f"{rule}. Received: {value} (sample {i})")
        return labels.astype(np.int64)

    def forward_backward(self, y_true: Any, y_pred: Any) -> tuple[float, np.ndarray]:
        p = _pred(y_pred)  # (N, K)
        labels = self.prepare_targets(y_true)
        if labels.shape[0] != p.shape[0]:
            raise ValueError(f"y_true has {labels.shape[0]} labels but y_pred has {p.shape[0]} rows")
        if labels.size and (labels.min() < 0 or labels.max() >= p.shape[-1]):
            raise ValueError(
                f"labels must be in [0, {p.shape[-1]}) for {p.shape[-1]} outputs. "
                f"Received range: [{labels.min()}, {labels.max()}]"
            )
        n = p.shape[0]
        rows = np.arange(n)
        scale = np.float32(1.0 / n)
        if self.from_logits:
            logp = _log_softmax(p)  # (N, K)
            loss = -float(logp[rows, labels].mean(dtype=np.float32))
            grad = np.exp(logp)
            grad[rows, labels] -= np.float32(1.0)
            grad *= scale
            return loss, grad
        pc = np.clip(p[rows, labels], _EPS, np.float32(1.0))
        loss = -float(np.log(pc).mean(dtype=np.float32))
        grad = np.zeros_like(p)
        grad[rows, labels] = -scale / pc
        return loss, grad

    def accuracy(self, y_true: Any, y_pred: np.ndarray) -> float:
        labels = self.prepare_targets(y_true)
        return float(np.mean(np.argmax(y_pred, axis=-1) == labels)) if labels.size else 0.0


class CategoricalCrossentropy(Loss):
    """Cross-entropy with one-hot (or soft) targets ``y_true (N, K)``; ``from_logits`` as for the sparse
    one."""

    def forward_backward(self, y_true: Any, y_pred: Any) -> tuple[float, np.ndarray]:
        p = _pred(y_pred)
        t = np.asarray(y_true, dtype=np.float32)
        if t.shape != p.shape:
            raise ValueError(
                f"y_true must have the shape of y_pred {p.shape} (one-hot). Received shape: {t.shape}"
            )
        scale = np.float32(1.0 / p.shape[0])
        if self.from_logits:
            logp = _log_softmax(p)
            loss = -float((t * logp).sum(dtype=np.float32) * scale)
            grad = (np.exp(logp) * t.sum(axis=-1, keepdims=True) - t) * scale
            return loss, grad
        pc = np.clip(p, _EPS, np.float32(1.0))
        loss = -float((t * np.log(pc)).sum(dtype=np.float32) * scale)
        grad = np.where(p >= _EPS, -t / pc, np.float32(0.0)).astype(np.float32) * scale
        return loss, grad

    def accuracy(self, y_true: Any, y_pred: np.ndarray) -> float:
        return float(np.mean(np.argmax(y_pred, axis=-1) == np.argmax(np.asarray(y_true), axis=-1)))


class BinaryCrossentropy(Loss):
    """Two-class cross-entropy on one score per sample, ``y_pred (N, 1)`` or ``(N,)``, targets in ``[0, 1]``.

    With logits ``z``: ``L = max(z, 0) - z * y + log(1 + exp(-|z|))`` (never overflows), gradient ``sigmoid(z)
    - y``.
    """

    def forward_backward(self, y_true: Any, y_pred: Any) -> tuple[float, np.ndarray]:
        p = _pred(y_pred)
        t = np.asarray(y_true, dtype=np.float32).reshape(p.shape) if np.size(y_true) == p.size else None
        if t is None:
            raise ValueError(
                f"y_true must have {p.size} values to match y_pred {p.shape}. "
                f"Received shape: {np.shape(y_true)}"
            )
        scale = np.float32(1.0 / p.size)
        if self.from_logits:
            loss_el = np.maximum(p, np.float32(0)) - p * t + np.log1p(np.exp(-np.abs(p)))
            sig = np.where(
                p >= 0,
                np.float32(1) / (np.float32(1) + np.exp(-np.abs(p))),
                np.exp(-np.abs(p)) / (np.float32(1) + np.exp(-np.abs(p))),
            )
            return float(loss_el.mean(dtype=np.float32)), ((sig - t) * scale).astype(np.float32)
        pc = np.clip(p, _EPS, np.float32(1) - _EPS)
        loss_el = -(t * np.log(pc) + (np.float32(1) - t) * np.log(np.float32(1) - pc))
        grad = (pc - t) / (pc * (np.float32(1) - pc)) * scale
        return float(loss_el.mean(dtype=np.float32)), grad.astype(np.float32)

    def accuracy(self, y_true: Any, y_pred: np.ndarray) -> float:
        threshold = 0.0 if self.from_logits else 0.5
        t = np.asarray(y_true).reshape(-1) > 0.5
        return float(np.mean((np.asarray(y_pred).reshape(-1) > threshold) == t))


class MeanSquaredError(Loss):
    """``mean((y_pred - y_true)^2)`` over every element; gradient ``2 (y_pred - y_true) / size``."""

    def __init__(self) -> None:
        super().__init__(False)

    def forward_backward(self, y_true: Any, y_pred: Any) -> tuple[float, np.ndarray]:
        p = _pred(y_pred)
        if np.size(y_true) != p.size:
            raise ValueError(
                f"y_true must have {p.size} values to match y_pred {p.shape}. "
                f"Received shape: {np.shape(y_true)}"
            )
        diff = p - np.asarray(y_true, dtype=np.float32).reshape(p.shape)
        return float(np.mean(diff * diff, dtype=np.float32)), diff * np.float32(2.0 / p.size)

    def accuracy(self, y_true: Any, y_pred: np.ndarray) -> float:
        t = np.asarray(y_true)
        if y_pred.ndim == 2 and y_pred.shape[1] > 1 and t.shape == y_pred.shape:
            return float(np.mean(np.argmax(y_pred, -1) == np.argmax(t, -1)))
        return float(np.mean(np.round(np.asarray(y_pred).reshape(-1)) == t.reshape(-1)))

    def get_config(self) -> dict[str, Any]:
        return {}

    def __repr__(self) -> str:
        return "MeanSquaredError()"


#: loss classes by name (Keras' string aliases and class names)
LOSSES: dict[str, type[Loss]] = {
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "binary_crossentropy": BinaryCrossentropy,
    "mean_squared_error": MeanSquaredError,
    "mse": MeanSquaredError,
}
for _cls in (SparseCategoricalCrossentropy, CategoricalCrossentropy, BinaryCrossentropy, MeanSquaredError):
    LOSSES[_cls.__name__] = _cls


def get(identifier: Any) -> Loss:
    """A :class:`Loss` from an instance, a name (``"sparse_categorical_crossentropy"``, ``"mse"``...) or a
    config ``{"class_name": ..., "config": {...}}``."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, dict) and identifier.get("class_name") in LOSSES:
        return LOSSES[identifier["class_name"]](**identifier.get("config", {}))
    if isinstance(identifier, str) and identifier in LOSSES:
        return LOSSES[identifier]()
    names = sorted(k for k in LOSSES if not k[0].isupper())
    raise ValueError(f"loss must be a Loss instance or one of {names}. Received: loss={identifier!r}")


def serialize(loss: Loss) -> dict[str, Any]:
    return {"class_name": type(loss).__name__, "config": loss.get_config()}
