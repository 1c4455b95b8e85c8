"""Output-size and padding arithmetic, in pure Python (no NumPy), so the GUI can show the formulas.

Conventions (the same as Keras / TensorFlow):

* ``"valid"``: no padding, output ``floor((N - K) / s) + 1`` (``N - K + 1`` at stride 1).
* ``"full"``: ``K - 1`` zeros on each side, output ``floor((N + K - 2) / s) + 1`` (``N + K - 1`` at stride 1).
* ``"same"``: output ``ceil(N / s)``; total padding ``max((ceil(N / s) - 1) * s + K - N, 0)``, split with
  ``floor(total / 2)`` at the top/left and the extra one at the bottom/right. At stride 1 the total is
  ``K - 1``. (The lesson says a border of ``K/2 - 1``; that only keeps the size for no K. ``K - 1`` in total
  does: each of the ``N`` output positions needs a full ``K``-wide window, so ``N + pad - K + 1 = N``.)
* an int ``p``: ``p`` zeros on every side; ``((top, bottom), (left, right))``: explicit.

Dilation (atrous convolution): a kernel of ``K`` taps spaced ``d`` apart spans ``d (K - 1) + 1`` cells, its
*effective size* (:func:`effective_kernel_size`). Every rule above holds with ``K`` replaced by it (the
padding of every mode included), so ``"same"`` still gives ``ceil(N / s)``.

Transposed convolution: the adjoint of a convolution (see :func:`engine.ops.conv2d_transpose`). Its output has
the size of the convolution's *input*, chosen as Keras chooses it (``output_padding=None``):

* ``"valid"``: ``N s + max(K - s, 0)``, which is ``(N - 1) s + K`` whenever ``K >= s``;
* ``"same"``: ``N s``; the convolution's 'same' padding on that size, ``max(K - s, 0)`` in total, is cut off
  (the odd one at the bottom/right, as above);
* ``"full"``: ``(N - 1) s - K + 2``, and an int ``p`` or explicit pads: ``(N - 1) s + K - 2p`` (the guide of
  Dumoulin & Visin: ``o = s (i - 1) + k - 2p``).
"""

from __future__ import annotations

import operator
from typing import SupportsIndex, cast

PaddingSpec = str | int | tuple
Pads = tuple[int, int, int, int]  # (top, bottom, left, right)

PADDING_MODES = ("valid", "same", "full")
#: the paddings a transposed convolution layer takes (Keras' Conv2DTranspose)
TRANSPOSE_PADDING_MODES = ("valid", "same")


def normalize_pair(value, name: str) -> tuple[int, int]:
    """Turn an int or a pair of ints into ``(a, b)``, each a positive int.

    Raises ``ValueError``/``TypeError`` naming ``name`` and what was received.
    """
    if isinstance(value, bool):
        raise TypeError(
            f"{name} must be a positive int or a pair of positive ints. Received: {name}={value!r}"
        )
    if isinstance(value, (int,)) or (hasattr(value, "__index__") and not isinstance(value, (tuple, list))):
        try:
            v = int(value.__index__()) if not isinstance(value, int) else value
        except TypeError:
            raise TypeError(
                f"{name} must be a positive int or a pair of positive ints. Received: {name}={value!r}"
            ) from None
        pair = (v, v)
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        items = []
        for item in value:
            integer = _integer(item)
            if integer is None:
                raise TypeError(
                    f"{name} must be a positive int or a pair of positive ints. Received: {name}={value!r}"
                )
            items.append(integer)
        pair = (items[0], items[1])
    else:
        raise TypeError(
            f"{name} must be a positive int or a pair of positive ints. Received: {name}={value!r}"
        )
    if pair[0] < 1 or pair[1] < 1:
        raise ValueError(f"{name} must be >= 1. Received: {name}={value!r}")
    return pair


def _integer(value: object) -> int | None:
    """``value`` as an int when it is an integer of any type (Python's, NumPy's), else None; a bool (even
    NumPy's) is not an integer here."""
    if isinstance(value, bool) or type(value).__name__ == "bool_" or not hasattr(value, "__index__"):
        return None
    try:
        return operator.index(cast(SupportsIndex, value))
    except TypeError:
        return None


def same_padding_1d(n: int, k: int, s: int) -> tuple[int, int]:
    """Keras 'same' padding along one axis: ``(before, after)``, the extra one after."""
    out = -(-n // s)  # ceil(n / s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def resolve_padding(
    padding: PaddingSpec, in_hw: tuple[int, int], kernel_hw: tuple[int, int], stride_hw: tuple[int, int]
) -> Pads:
    """Resolve a padding spec into ``(top, bottom, left, right)`` zero counts.

    ``padding`` is ``"valid"``, ``"same"``, ``"full"``, an int, or ``((top, bottom), (left, right))``.
    """
    (h, w), (kh, kw), (sh, sw) = in_hw, kernel_hw, stride_hw
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return (0, 0, 0, 0)
        if mode == "full":
            return (kh - 1, kh - 1, kw - 1, kw - 1)
        if mode == "same":
            t, b = same_padding_1d(h, kh, sh)
            le, r = same_padding_1d(w, kw, sw)
            return (t, b, le, r)
        raise ValueError(
            f"padding must be one of {PADDING_MODES}, an int or ((top, bottom), (left, right)). "
            f"Received: padding={padding!r}"
        )
    if isinstance(padding, bool):
        raise TypeError(
            "padding must be a string, an int or ((top, bottom), (left, right)). "
            f"Received: padding={padding!r}"
        )
    p = None if isinstance(padding, (tuple, list)) else _integer(padding)  # int, NumPy integers
    if p is not None:
        if p < 0:
            raise ValueError(f"padding must be >= 0. Received: padding={padding!r}")
        return (p, p, p, p)
    if isinstance(padding, (tuple, list)) and len(padding) == 2:
        try:
            (t, b), (le, r) = padding
            sides = [_integer(side) for side in (t, b, le, r)]
        except (TypeError, ValueError):
            sides = []
        ints = [side for side in sides if side is not None]
        if len(ints) != 4:
            raise TypeError(
                "padding as a tuple must be ((top, bottom), (left, right)) of ints (never bools). "
                f"Received: padding={padding!r}"
            )
        pads: Pads = (ints[0], ints[1], ints[2], ints[3])
        if min(pads) < 0:
            raise ValueError(f"padding must be >= 0 on every side. Received: padding={padding!r}")
        return pads
    raise TypeError(
        f"padding must be a string, an int or ((top, bottom), (left, right)). Received: padding={padding!r}"
    )


def output_size(n: int, k: int, stride: int, before: int, after: int) -> int:
    """Output length along one axis: a window of ``k`` moved by ``stride`` over ``n`` cells padded with
    ``before`` and ``after`` zeros visits ``floor((n + before + after - k) / stride) + 1`` positions (0 when
    it does not fit). :func:`output_hw` holds the formula."""
    return output_hw((n, 1), (k, 1), (stride, 1), (before, after, 0, 0))[0]


def effective_kernel_size(k: int, dilation: int = 1) -> int:
    """The cells a kernel of ``k`` taps spaced ``dilation`` apart spans: ``d (k - 1) + 1``."""
    return dilation * (k - 1) + 1


def effective_kernel(kernel_hw: tuple[int, int], dilation_hw: tuple[int, int] = (1, 1)) -> tuple[int, int]:
    """:func:`effective_kernel_size` along both axes: the window a dilated kernel covers, ``(KH', KW')``."""
    return (
        dilation_hw[0] * (kernel_hw[0] - 1) + 1,
        dilation_hw[1] * (kernel_hw[1] - 1) + 1,
    )


def conv_output_size(
    n: int, k: int, stride: int = 1, padding: PaddingSpec = "valid", dilation: int = 1
) -> int:
    """Output length along one axis of a convolution of length ``n`` with a kernel of length ``k`` whose taps
    are ``dilation`` apart.

    Notes
    -----
    ``out = floor((n + pad_before + pad_after - K') / stride) + 1`` with ``K' = dilation (k - 1) + 1``
    (:func:`output_size`); see the module docstring for each mode ("same" gives ``ceil(n / stride)``).
    Returns 0 when the kernel does not fit in the padded input (callers raise).
    """
    k = effective_kernel_size(k, dilation)
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "same":
            return output_size(n, k, stride, *same_padding_1d(n, k, stride))
        if mode == "valid":
            return output_size(n, k, stride, 0, 0)
        if mode == "full":
            return output_size(n, k, stride, k - 1, k - 1)
        raise ValueError(f"padding must be one of {PADDING_MODES} or an int. Received: padding={padding!r}")
    if isinstance(padding, int) and not isinstance(padding, bool):
        return output_size(n, k, stride, padding, padding)
    if isinstance(padding, (tuple, list)) and len(padding) == 2:
        return output_size(n, k, stride, int(padding[0]), int(padding[1]))
    raise TypeError(
        f"padding must be a mode string, an int or (before, after). Received: padding={padding!r}"
    )


def pool_output_size(n: int, size: int = 2, stride: int | None = None, padding: PaddingSpec = "valid") -> int:
    """Output length along one axis of a pooling window ``size`` with ``stride`` (default: ``size``)."""
    return conv_output_size(n, size, size if stride is None else stride, padding)


def conv_output_formula(padding: PaddingSpec, stride: int = 1, dilation: int = 1) -> str:
    """The formula the GUI prints next to the output size, e.g. ``"N - K + 1"`` or ``"ceil(N / s)"``; with a
    dilation ``d > 1`` the kernel's effective size ``d(K - 1) + 1`` stands for ``K`` (``"N - d(K - 1)"``)."""
    mode = padding.lower() if isinstance(padding, str) else None
    if mode == "same":
        return "N" if stride == 1 else "ceil(N / s)"
    if dilation == 1:
        if mode == "valid":
            return "N - K + 1" if stride == 1 else "floor((N - K) / s) + 1"
        if mode == "full":
            return "N + K - 1" if stride == 1 else "floor((N + K - 2) / s) + 1"
        return "N + 2P - K + 1" if stride == 1 else "floor((N + 2P - K) / s) + 1"
    if mode == "valid":
        return "N - d(K - 1)" if stride == 1 else "floor((N - d(K - 1) - 1) / s) + 1"
    if mode == "full":
        return "N + d(K - 1)" if stride == 1 else "floor((N + d(K - 1) - 1) / s) + 1"
    return "N + 2P - d(K - 1)" if stride == 1 else "floor((N + 2P - d(K - 1) - 1) / s) + 1"


def transpose_padding_1d(
    n: int, k: int, stride: int = 1, padding: PaddingSpec = "valid"
) -> tuple[int, int, int]:
    """One axis of a transposed convolution of ``n`` cells by a kernel of effective size ``k``:
    ``(out, before, after)``, its output length and the pads of the convolution it is the adjoint of (the
    cells cut off the start and the end of the full scatter). ``out`` is 0 or less when nothing is left.

    See the module docstring for the rules (Keras' ``deconv_output_length`` with ``output_padding=None``).
    """
    s = stride
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return n * s + max(k - s, 0), 0, 0
        if mode == "same":
            out = n * s
            before, after = same_padding_1d(out, k, s)
            return out, before, after
        if mode == "full":
            return (n - 1) * s - k + 2, k - 1, k - 1
        raise ValueError(f"padding must be one of {PADDING_MODES} or an int. Received: padding={padding!r}")
    if isinstance(padding, int) and not isinstance(padding, bool):
        return (n - 1) * s + k - 2 * padding, padding, padding
    if isinstance(padding, (tuple, list)) and len(padding) == 2:
        before, after = int(padding[0]), int(padding[1])
        return (n - 1) * s + k - before - after, before, after
    raise TypeError(
        f"padding must be a mode string, an int or (before, after). Received: padding={padding!r}"
    )


def conv_transpose_output_size(
    n: int, k: int, stride: int = 1, padding: PaddingSpec = "valid", dilation: int = 1
) -> int:
    """Output length along one axis of a transposed convolution of ``n`` cells by a kernel of ``k`` taps
    spaced ``dilation`` apart: ``(n - 1) s + K'`` for "valid" (``n s`` when ``K' < s``), ``n s`` for
    "same" (module docstring); 0 when nothing is left after the cut (callers raise)."""
    out = transpose_padding_1d(n, effective_kernel_size(k, dilation), stride, padding)[0]
    return max(out, 0)


def resolve_transpose_padding(
    padding: PaddingSpec,
    in_hw: tuple[int, int],
    kernel_hw: tuple[int, int],
    stride_hw: tuple[int, int],
) -> tuple[Pads, tuple[int, int]]:
    """A transposed convolution's geometry: ``(pads, (OH, OW))``, the pads ``(top, bottom, left, right)`` of
    the convolution it is the adjoint of, and its output size (that convolution's input size; 0 or less
    along an axis where the pads cut everything off). ``kernel_hw`` is the effective size (dilation
    applied); ``padding`` is a mode, an int or ``((top, bottom), (left, right))``, checked as
    :func:`resolve_padding` checks it."""
    t, b, le, r = resolve_padding(padding, in_hw, kernel_hw, stride_hw)  # checks the spec
    mode = padding.lower() if isinstance(padding, str) else None
    if mode in TRANSPOSE_PADDING_MODES:
        oh, t, b = transpose_padding_1d(in_hw[0], kernel_hw[0], stride_hw[0], mode)
        ow, le, r = transpose_padding_1d(in_hw[1], kernel_hw[1], stride_hw[1], mode)
    else:
        oh = (in_hw[0] - 1) * stride_hw[0] + kernel_hw[0] - t - b
        ow = (in_hw[1] - 1) * stride_hw[1] + kernel_hw[1] - le - r
    return (t, b, le, r), (oh, ow)


def conv_transpose_output_formula(
    padding: PaddingSpec, stride: int = 1, dilation: int = 1, kernel: int | None = None
) -> str:
    """The output-size formula of a transposed convolution, as :func:`conv_output_formula` writes it for a
    convolution: ``"s(N - 1) + K"`` (valid), ``"sN"`` (same), ``"s(N - 1) + K - 2P"`` (an int padding);
    ``d(K - 1) + 1`` stands for ``K`` when ``dilation > 1``. With ``kernel`` given, "valid" with an
    effective kernel smaller than the stride reads ``"sN"`` (Keras' rule)."""
    mode = padding.lower() if isinstance(padding, str) else None
    k_txt = "K" if dilation == 1 else "d(K - 1) + 1"
    if mode == "same":
        return "N" if stride == 1 else "sN"
    if mode == "valid":
        if stride == 1:
            return "N + K - 1" if dilation == 1 else "N + d(K - 1)"
        if kernel is not None and effective_kernel_size(kernel, dilation) < stride:
            return "sN"
        return f"s(N - 1) + {k_txt}"
    if mode == "full":
        if stride == 1:
            return "N - K + 1" if dilation == 1 else "N - d(K - 1)"
        return "s(N - 1) - K + 2" if dilation == 1 else "s(N - 1) - d(K - 1) + 1"
    if stride == 1:
        return "N + K - 1 - 2P" if dilation == 1 else "N + d(K - 1) - 2P"
    return f"s(N - 1) + {k_txt} - 2P"


def output_hw(
    in_hw: tuple[int, int], kernel_hw: tuple[int, int], stride_hw: tuple[int, int], pads: Pads
) -> tuple[int, int]:
    """Output ``(H, W)`` for resolved ``pads`` ``(top, bottom, left, right)``: the one output-size formula,
    ``floor((N + pad_before + pad_after - K) / s) + 1`` per axis, 0 along an axis where the kernel does not
    fit. Every tier and every layer uses it (directly, or through :func:`output_size` and
    :func:`conv_output_size`); it is written for both axes at once because the tiers call it on every launch.
    """
    t, b, le, r = pads
    ph, pw = in_hw[0] + t + b, in_hw[1] + le + r
    kh, kw = kernel_hw
    return (
        (ph - kh) // stride_hw[0] + 1 if ph >= kh else 0,
        (pw - kw) // stride_hw[1] + 1 if pw >= kw else 0,
    )
