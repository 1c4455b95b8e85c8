"""Numba CPU convolution as im2col + sgemm, on one of two paths picked here.

* **Blocked** (whenever NumPy's BLAS is its bundled OpenBLAS, :data:`engine.backends.cpu._blas.SGEMM`): one
  parallel region per call; each Numba thread fills an L2-sized ``cols`` block and multiplies it at once with
  a single-threaded sgemm called from inside the kernel (:mod:`engine.backends.cpu.conv_blocked`). Measured on
  2 cores: 2x the host path on the lesson network's layers, ~0.8x the machine's large-sgemm GFLOP/s.
* **Host** (any other BLAS; described below): ``prange`` im2col / col2im kernels plus one host ``np.matmul``
  per large chunk. 1x1 stride-1 unpadded kernels always skip im2col (``x`` is the cols matrix).

How the host path works (NHWC, weights ``(KH, KW, C_in, C_out)``)::

    cols[(n, oy, ox), (i, j, c)] = x[n, oy*sh - top + i*dh, ox*sw - left + j*dw, c]   (0 in the padding)
    y[(n, oy, ox), o]            = cols @ w.reshape(KH*KW*C_in, C_out) + b        (sgemm, BLAS threads)

The padding is never materialised: ``_im2col`` writes zeros where a window leaves the image. Work is done in
chunks of output rows so that the ``cols`` buffer stays small (and in cache) whatever the batch size; the
jitted kernels and the BLAS call never run at the same time, so Numba's and BLAS's threads do not nest.

Backward, per chunk of whole images::

    dw    += cols.T @ dy                 (K, C_out)
    dcols  = dy @ wmat.T                 (rows, K)
    dx     = col2im(dcols)               gathered per input row, so parallel rows never write the same cell
    db     = column sums of dy           per-thread partial sums in float64, then reduced

A dilation ``(dh, dw)`` spaces the kernel's taps (``i*dh``, ``j*dw`` above): im2col reads every ``d``-th
cell and col2im sends the gradient back to those cells, nothing else changes. ``flip=True`` (true
convolution) rotates the kernel by 180 degrees in the host wrapper and rotates ``dw`` back. No ``fastmath`` in
the copy kernels; the reductions use a flag subset that keeps NaN and inf semantics.
"""

from __future__ import annotations

import threading

import numpy as np
from numba import njit, prange

from engine import shapes
from engine.backends.cpu import conv_blocked as blocked
from engine.backends.cpu import conv_fast
from engine.backends.cpu._blas import SGEMM, single_threaded_blas
from engine.backends.cpu.threads import thread_count

# Reassociation lets LLVM vectorise sums; no 'nnan'/'ninf', so NaN and inf still propagate.
SAFE_FASTMATH = {"contract", "reassoc", "nsz", "arcp", "afn"}

# Size of the im2col buffer per chunk (bytes). Each chunk is one Numba kernel then one BLAS call, and
# every hand-off between the two thread pools costs a little (a lot on a busy machine), so chunks are
# large; the cap keeps memory bounded for big batches and images. Measured with bench/kernels.py.
COLS_BUDGET_BYTES = 16 * 1024 * 1024

# Size of one thread's im2col block in the blocked path (:mod:`engine.backends.cpu.conv_blocked`, used
# whenever NumPy's OpenBLAS is there): small enough to stay in cache between the copy and the sgemm. 40 KiB:
# measured on the bench/kernels.py shapes (batch 1 and 64, 2 threads, Zen 4), blocks of 16-32 rows of
# K=288..576 ran at 155-175 GFLOP/s against 120-135 for 48-64 rows (64 KiB); K=27 blocks are insensitive to
# the size.
BLOCK_BYTES = 40 * 1024
# Backward blocks hold at least this many im2col rows (whole images), so the dW sgemm (cols.T @ dy, summing
# over the rows) gets a long enough inner dimension: 8x8 images (64 rows each) otherwise make it slow.
MIN_BWD_ROWS = 512


@njit(parallel=True, cache=True)
def _im2col(x, g0, g1, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, cols):  # pragma: no cover - jitted
    """Fill ``cols[(g - g0) * ow + ox, (i*kw + j)*C + c]`` for output rows ``g = n*oh + oy`` in ``[g0, g1)``.

    ``x (N, H, W, C)``; ``cols (>= (g1-g0)*ow, KH*KW*C)``. Cells outside the image (padding) are 0. Tap
    ``(i, j)`` reads ``x[n, oy*sh - pt + i*dh, ox*sw - pl + j*dw]`` (``dh``, ``dw``: the dilation).
    """
    h, w, c = x.shape[1], x.shape[2], x.shape[3]
    xf = x.reshape(x.size)  # flat view (x is C-contiguous): a kernel row inside the image is one span
    span = kw * c
    zero = np.float32(0.0)
    for r in prange(g1 - g0):
        g = g0 + r
        n = g // oh
        oy = g - n * oh
        for ox in range(ow):
            row = r * ow + ox
            ix0 = ox * sw - pl
            inside_x = dw == 1 and ix0 >= 0 and ix0 + kw <= w  # a kernel row is one contiguous span
            for i in range(kh):
                iy = oy * sh - pt + i * dh
                inside_y = 0 <= iy < h
                col = i * span
                if inside_y and inside_x:
                    src = ((n * h + iy) * w + ix0) * c
                    for t in range(span):
                        cols[row, col + t] = xf[src + t]
                    continue
                for j in range(kw):
                    ix = ix0 + j * dw
                    if inside_y and 0 <= ix < w:
                        for ch in range(c):
                            cols[row, col + ch] = x[n, iy, ix, ch]
                    else:
                        for ch in range(c):
                            cols[row, col + ch] = zero
                    col += c


@njit(parallel=True, cache=True)
def _col2im(dcols, n0, n1, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, dx):  # pragma: no cover - jitted
    """Gather ``dcols ((n1-n0)*oh*ow, KH*KW*C)`` back onto ``dx[n0:n1] (.., H, W, C)`` (overwrites it).

    Each input cell sums the gradient of every window that read it (tap ``(i, j)`` of window ``(oy, ox)``
    read cell ``(oy*sh - pt + i*dh, ox*sw - pl + j*dw)``); parallel over input rows, so no two threads ever
    write the same cell.
    """
    h, w, c = dx.shape[1], dx.shape[2], dx.shape[3]
    zero = np.float32(0.0)
    for r in prange((n1 - n0) * h):
        nl = r // h
        iy = r - nl * h
        n = n0 + nl
        for ix in range(w):
            for ch in range(c):
                dx[n, iy, ix, ch] = zero
        for i in range(kh):
            ty = iy + pt - i * dh
            if ty < 0 or ty % sh != 0:
                continue
            oy = ty // sh
            if oy >= oh:
                continue
            row_base = (nl * oh + oy) * ow
            for ix in range(w):
                for j in range(kw):
                    tx = ix + pl - j * dw
                    if tx < 0 or tx % sw != 0:
                        continue
                    ox = tx // sw
                    if ox >= ow:
                        continue
                    row = row_base + ox
                    col = (i * kw + j) * c
                    for ch in range(c):
                        dx[n, iy, ix, ch] += dcols[row, col + ch]


@njit(cache=True)
def _add_bias(y2, r0, r1, b):  # pragma: no cover - jitted
    """``y2[r0:r1, :] += b`` in place; ``y2 (rows, C_out)``, ``b (C_out,)``.

    Serial on purpose: it is memory-bound and short, and each parallel region costs a thread hand-off.
    """
    c = y2.shape[1]
    for r in range(r0, r1):
        for o in range(c):
            y2[r, o] += b[o]


@njit(cache=True)
def _add_bias_relu(y2, r0, r1, b):  # pragma: no cover - jitted
    """``y2[r0:r1, :] = max(y2[r0:r1, :] + b, 0)`` in place (NaN stays NaN, as :func:`engine.ops.relu`)."""
    c = y2.shape[1]
    zero = np.float32(0.0)
    for r in range(r0, r1):
        for o in range(c):
            v = y2[r, o] + b[o]
            y2[r, o] = zero if v < zero else v


@njit(cache=True, fastmath=SAFE_FASTMATH)
def _column_sums(a):  # pragma: no cover - jitted
    """Sum ``a (rows, C)`` over its rows with float64 accumulators; returns ``(C,)`` float32.

    Serial on purpose (one streaming pass over memory; see :func:`_add_bias`).
    """
    rows, c = a.shape
    acc = np.zeros(c, dtype=np.float64)
    for r in range(rows):
        for o in range(c):
            acc[o] += a[r, o]
    return acc.astype(np.float32)


_scratch_local = threading.local()


def _scratch(name: str, rows: int, cols: int) -> np.ndarray:
    """A reusable float32 ``(rows, cols)`` work buffer, one set per thread (so concurrent callers never
    share).

    Fresh multi-megabyte buffers cost page faults on every call (about 15% of a conv backward); buffers up to
    twice :data:`COLS_BUDGET_BYTES` are kept and reused, larger one-off ones (a huge single image) are not.
    Contents are undefined: callers overwrite them.
    """
    size = rows * cols
    pool = getattr(_scratch_local, "pool", None)
    if pool is None:
        pool = _scratch_local.pool = {}
    buf = pool.get(name)
    if buf is None or buf.size < size:
        buf = np.empty(size, dtype=np.float32)
        if 4 * size <= 2 * COLS_BUDGET_BYTES:
            pool[name] = buf
    return buf[:size].reshape(rows, cols)


def _effective_weights(w: np.ndarray, flip: bool) -> np.ndarray:
    """``w`` as the cross-correlation kernel ``(KH*KW*C_in, C_out)``: rotated 180 degrees when ``flip``."""
    kh, kw, c_in, c_out = w.shape
    wk = w[::-1, ::-1] if flip else w
    return np.ascontiguousarray(wk).reshape(kh * kw * c_in, c_out)


def _is_pointwise(w: np.ndarray, stride: tuple[int, int], pads: tuple[int, int, int, int]) -> bool:
    """A 1x1 kernel at stride 1 without padding: ``x`` itself is the im2col matrix."""
    return w.shape[0] == 1 and w.shape[1] == 1 and stride == (1, 1) and not any(pads)


def column_sums(a: np.ndarray) -> np.ndarray:
    """Sum a C-contiguous float32 ``(rows, C)`` array over its rows (float64 accumulation) -> ``(C,)``."""
    return _column_sums(a)


def forward(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
    relu: bool,
    dilation: tuple[int, int] = (1, 1),
) -> np.ndarray:
    """Convolution forward. ``x (N, H, W, C_in)``, ``w (KH, KW, C_in, C_out)``, ``b (C_out,)``; ``relu=True``
    applies the ReLU in the pass that adds the bias (one sweep over ``y`` instead of two); the kernel's taps
    are ``dilation`` cells apart.

    Returns
    -------
    y : ``(N, OH, OW, C_out)`` float32, ``OH = (H + top + bottom - KH') // sh + 1`` (same for ``OW``), ``KH' =
    dh (KH - 1) + 1``.
    """
    # -- fast paths (Winograd, ...; engine.backends.cpu.conv_fast): None when none takes the call ---------
    if SGEMM is not None:
        fast = conv_fast.forward(SGEMM, x, w, b, stride, pads, flip, relu, dilation)
        if fast is not None:
            return fast
    n, h, wd, c_in = x.shape
    kh, kw, _, c_out = w.shape
    dil_h, dil_w = dilation
    oh, ow = shapes.output_hw((h, wd), shapes.effective_kernel((kh, kw), dilation), stride, pads)
    wmat = _effective_weights(w, flip)  # (K, C_out)
    y = np.empty((n, oh, ow, c_out), dtype=np.float32)
    y2 = y.reshape(n * oh * ow, c_out)  # (rows, C_out), a view
    if n == 0:
        return y
    if _is_pointwise(w, stride, pads):
        np.matmul(x.reshape(n * h * wd, c_in), wmat, out=y2)
        (_add_bias_relu if relu else _add_bias)(y2, 0, y2.shape[0], b)
        return y
    k = wmat.shape[0]
    t, _, le, _ = pads
    if SGEMM is not None:
        slots = thread_count()
        gpc = max(1, min(BLOCK_BYTES // (4 * k * ow), -(-n * oh // slots)))  # output rows per block
        cols = _scratch("cols", slots * gpc * ow, k).reshape(slots, gpc * ow, k)
        with single_threaded_blas():
            blocked._forward(
                SGEMM, x, wmat, b, kh, kw, *stride, dil_h, dil_w, t, le, oh, ow, gpc, bool(relu), y2, cols
            )
        return y
    rows_per_g = ow  # one output row (n, oy) holds ow im2col rows
    g_per_chunk = max(1, COLS_BUDGET_BYTES // (4 * k * rows_per_g))
    g_total = n * oh
    g_per_chunk = min(g_per_chunk, g_total)
    cols = _scratch("cols", g_per_chunk * rows_per_g, k)
    for g0 in range(0, g_total, g_per_chunk):
        g1 = min(g_total, g0 + g_per_chunk)
        rows = (g1 - g0) * rows_per_g
        _im2col(x, g0, g1, kh, kw, stride[0], stride[1], dil_h, dil_w, t, le, oh, ow, cols)
        r0 = g0 * rows_per_g
        np.matmul(cols[:rows], wmat, out=y2[r0 : r0 + rows])
        (_add_bias_relu if relu else _add_bias)(y2, r0, r0 + rows, b)
    return y


def backward(
    x: np.ndarray,
    w: np.ndarray,
    dy: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
    need_dx: bool,
    dilation: tuple[int, int] = (1, 1),
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Gradients of :func:`forward`: ``(dx (N, H, W, C_in) | None, dw (KH, KW, C_in, C_out), db (C_out,))``.

    ``dy`` is ``(N, OH, OW, C_out)``; ``dx`` is None when ``need_dx`` is False.
    """
    # -- fast paths (Winograd, ...; engine.backends.cpu.conv_fast): None when none takes the call ---------
    if SGEMM is not None:
        fast = conv_fast.backward(SGEMM, x, w, dy, stride, pads, flip, need_dx, dilation=dilation)
        if fast is not None:
            return fast
    n, h, wd, c_in = x.shape
    kh, kw, _, c_out = w.shape
    oh, ow = dy.shape[1], dy.shape[2]
    wmat = _effective_weights(w, flip)  # (K, C_out)
    k = wmat.shape[0]
    dy2 = dy.reshape(n * oh * ow, c_out)  # (rows, C_out)
    dx = np.empty((n, h, wd, c_in), dtype=np.float32) if need_dx else None
    if n and SGEMM is not None and not _is_pointwise(w, stride, pads):
        return _backward_blocked(x, w, wmat, dy2, stride, pads, flip, dx, dilation)
    db = column_sums(dy2) if n else np.zeros(c_out, np.float32)
    dwmat = np.zeros((k, c_out), dtype=np.float32)
    if n == 0:
        return dx, dwmat.reshape(kh, kw, c_in, c_out), db
    if _is_pointwise(w, stride, pads):
        x2 = x.reshape(n * h * wd, c_in)
        np.matmul(x2.T, dy2, out=dwmat)
        if dx is not None:
            np.matmul(dy2, wmat.T, out=dx.reshape(n * h * wd, c_in))
        return dx, dwmat.reshape(kh, kw, c_in, c_out), db
    per_img = oh * ow
    t, _, le, _ = pads
    sh, sw = stride
    dil_h, dil_w = dilation
    imgs_per_chunk = min(n, max(1, COLS_BUDGET_BYTES // (4 * k * per_img)))
    cols = _scratch("cols", imgs_per_chunk * per_img, k)
    dcols = _scratch("dcols", imgs_per_chunk * per_img, k) if need_dx else None
    tmp = np.empty((k, c_out), dtype=np.float32)
    for n0 in range(0, n, imgs_per_chunk):
        n1 = min(n, n0 + imgs_per_chunk)
        rows = (n1 - n0) * per_img
        r0 = n0 * per_img
        dyc = dy2[r0 : r0 + rows]
        _im2col(x, n0 * oh, n1 * oh, kh, kw, sh, sw, dil_h, dil_w, t, le, oh, ow, cols)
        np.matmul(cols[:rows].T, dyc, out=tmp)
        dwmat += tmp
        if dx is not None and dcols is not None:
            np.matmul(dyc, wmat.T, out=dcols[:rows])
            _col2im(dcols, n0, n1, kh, kw, sh, sw, dil_h, dil_w, t, le, oh, ow, dx)
    dw = dwmat.reshape(kh, kw, c_in, c_out)
    if flip:
        dw = np.ascontiguousarray(dw[::-1, ::-1])
    return dx, dw, db


def _backward_blocked(
    x: np.ndarray,
    w: np.ndarray,
    wmat: np.ndarray,
    dy2: np.ndarray,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    flip: bool,
    dx: np.ndarray | None,
    dilation: tuple[int, int],
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """:func:`backward` through :func:`engine.backends.cpu.conv_blocked._backward` (per-slot partials)."""
    n, h, wd, c_in = x.shape
    kh, kw, _, c_out = w.shape
    k = wmat.shape[0]
    oh, ow = shapes.output_hw((h, wd), shapes.effective_kernel((kh, kw), dilation), stride, pads)
    slots = thread_count()
    per_img = oh * ow
    ipc = max(1, min(max(BLOCK_BYTES // (4 * k * per_img), -(-MIN_BWD_ROWS // per_img)), -(-n // slots)))
    cols = _scratch("cols", slots * ipc * per_img, k).reshape(slots, ipc * per_img, k)
    need_dx = dx is not None
    dcols = (
        _scratch("dcols", slots * ipc * per_img, k).reshape(slots, ipc * per_img, k)
        if need_dx
        else np.empty((slots, 1, 1), np.float32)
    )
    dx_arg = dx if dx is not None else np.empty((1, 1, 1, 1), np.float32)
    dw_parts = np.zeros((slots, k, c_out), dtype=np.float32)
    db_parts = np.zeros((slots, c_out), dtype=np.float64)
    t, _, le, _ = pads
    with single_threaded_blas():
        blocked._backward(
            SGEMM,
            x,
            wmat,
            dy2,
            kh,
            kw,
            stride[0],
            stride[1],
            dilation[0],
            dilation[1],
            t,
            le,
            oh,
            ow,
            ipc,
            need_dx,
            cols,
            dcols,
            dw_parts,
            db_parts,
            dx_arg,
        )
    dw = dw_parts.sum(axis=0).reshape(kh, kw, c_in, c_out)  # slot order: deterministic
    if flip:
        dw = np.ascontiguousarray(dw[::-1, ::-1])
    return dx, dw, db_parts.sum(axis=0).astype(np.float32)
