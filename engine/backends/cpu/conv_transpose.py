"""Numba CPU transposed convolution: the ``dx`` half of the convolution's backward pass, run forward.

A transposed convolution with weights ``w (KH, KW, C_out, C_in)`` is the gradient, with respect to its
input, of the convolution that ``w`` (seen as ``(KH, KW, C_in', C_out')`` with ``C_in' = C_out``) computes.
So its forward pass is exactly the convolution backward's ``dx`` path (:mod:`engine.backends.cpu.conv`), with
the input ``x (N, H, W, C_in)`` in the place of ``dy``::

    dcols = x.reshape(N*H*W, C_in) @ w.reshape(KH*KW*C_out, C_in).T      (rows, K)   sgemm
    y     = col2im(dcols) + b                                            (N, OH, OW, C_out)

and its backward pass is that convolution's forward (``dx = conv2d(dy, w)``) and weight gradient (``dw =
conv2d_backward(dy, w, x).dw``, the convolution's input being ``dy`` and its upstream gradient ``x``), plus
``db = column sums of dy``. Both conv paths are used as they are: blocked (in-kernel sgemm, NumPy's
OpenBLAS) or host (``np.matmul`` per chunk).
"""

from __future__ import annotations

import numpy as np

from engine.backends.cpu import conv as _conv
from engine.backends.cpu import conv_blocked as blocked
from engine.backends.cpu._blas import single_threaded_blas
from engine.backends.cpu.threads import thread_count

__all__ = ["backward", "forward"]


def forward(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    out_hw: tuple[int, int],
    dilation: tuple[int, int] = (1, 1),
) -> np.ndarray:
    """``y (N, OH, OW, C_out)`` for ``x (N, H, W, C_in)``, ``w (KH, KW, C_out, C_in)``, ``b (C_out,)``;
    ``pads`` and ``out_hw = (OH, OW)`` are those of the convolution this is the adjoint of (see the module
    docstring)."""
    n, h, wd, c_in = x.shape
    kh, kw, c_out, _ = w.shape
    oh, ow = out_hw
    wmat = w.reshape(kh * kw * c_out, c_in)  # (K, C_in): the convolution's weights as a matrix
    k = wmat.shape[0]
    y = np.empty((n, oh, ow, c_out), dtype=np.float32)
    y2 = y.reshape(n * oh * ow, c_out)  # (rows, C_out), a view
    if n == 0 or oh * ow == 0:
        return y
    x2 = x.reshape(n * h * wd, c_in)
    t, _, le, _ = pads
    sh, sw = stride
    dil_h, dil_w = dilation
    if kh == 1 and kw == 1 and stride == (1, 1) and not any(pads) and (oh, ow) == (h, wd):
        np.matmul(x2, wmat.T, out=y2)  # a 1x1 kernel: every input cell is one output cell
        _conv._add_bias(y2, 0, y2.shape[0], b)
        return y
    per_img = h * wd
    if _conv.SGEMM is not None:
        slots = thread_count()
        ipc = max(1, min(_conv.BLOCK_BYTES // (4 * k * per_img), -(-n // slots)))
        dcols = _conv._scratch("dcols", slots * ipc * per_img, k).reshape(slots, ipc * per_img, k)
        with single_threaded_blas():
            blocked._transpose(
                _conv.SGEMM, x2, wmat, b, kh, kw, sh, sw, dil_h, dil_w, t, le, h, wd, ipc, dcols, y
            )
        return y
    ipc = min(n, max(1, _conv.COLS_BUDGET_BYTES // (4 * k * per_img)))
    dcols = _conv._scratch("dcols", ipc * per_img, k)
    for n0 in range(0, n, ipc):
        n1 = min(n, n0 + ipc)
        rows = (n1 - n0) * per_img
        np.matmul(x2[n0 * per_img : n0 * per_img + rows], wmat.T, out=dcols[:rows])
        _conv._col2im(dcols, n0, n1, kh, kw, sh, sw, dil_h, dil_w, t, le, h, wd, y)
        _conv._add_bias(y2, n0 * oh * ow, n1 * oh * ow, b)
    return y


def backward(
    x: np.ndarray,
    w: np.ndarray,
    dy: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    need_dx: bool,
    dilation: tuple[int, int] = (1, 1),
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Gradients of :func:`forward`: ``(dx (N, H, W, C_in) | None, dw (KH, KW, C_out, C_in), db (C_out,))``
    for ``dy (N, OH, OW, C_out)``, through the convolution's own kernels (see the module docstring)."""
    c_in, c_out = w.shape[3], w.shape[2]
    dx = None
    if need_dx:
        dx = _conv.forward(dy, w, np.zeros(c_in, np.float32), stride, pads, False, False, dilation)
    _, dw, _ = _conv.backward(dy, w, x, stride, pads, False, False, dilation)
    db = _conv.column_sums(dy.reshape(-1, c_out)) if dy.size else np.zeros(c_out, np.float32)
    return dx, dw, db
