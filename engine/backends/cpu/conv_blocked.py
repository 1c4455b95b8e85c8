"""Numba CPU convolution in one parallel region: each thread runs im2col -> sgemm on blocks that stay in
cache.

The work is split evenly between the Numba threads (``prange`` over thread slots, not over rows); each slot
walks its share in blocks small enough that its ``cols`` block stays in the core's L2 cache, and calls the
single-threaded BLAS ``sgemm`` (:mod:`engine.backends.cpu._blas`) on it right away::

    forward, per block of output rows g = (n, oy):
        cols  = im2col(x, rows of the block)                         (rows, K)   K = KH*KW*C_in
        y     = cols @ wmat + b   (then max(y, 0) if fused ReLU)     written straight into y
    backward, per block of whole images (so no two slots ever touch the same cell of dx):
        dw_t += cols.T @ dy                                          per-slot partial (K, C_out)
        db_t += column sums of dy                                    per-slot partial, float64
        dcols = dy @ wmat.T ;  dx[images] = col2im(dcols)            scatter-add inside the slot's own images

The host wrapper (:mod:`engine.backends.cpu.conv`) sums the per-slot partials in slot order, so results do
not depend on timing. No ``fastmath``: NaN and inf propagate exactly as through BLAS.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from engine.backends.cpu._blas import NO_TRANS, ROW_MAJOR, TRANS

_F4 = 4  # bytes per float32


@njit(cache=True)
def _fill_cols(x, g0, g1, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, buf):  # pragma: no cover - jitted
    """Serial im2col of output rows ``g = n*oh + oy`` in ``[g0, g1)`` into ``buf[:(g1-g0)*ow, :K]``
    (``buf`` C-contiguous with exactly K columns); tap ``(i, j)`` reads ``(oy*sh - pt + i*dh, ox*sw - pl +
    j*dw)``.

    Flat indices are unsigned on purpose: Numba wraps negative indices around, and that per-element check
    keeps LLVM from vectorising a copy loop; with ``np.uint64`` indices the span copies become vector moves
    (measured on a lone span-copy loop: 5-7x faster; a whole 16x16x32 im2col 27 -> 6 us). Mixed signed and
    unsigned arithmetic would turn into float64 in Numba, so every term is converted before it is added.
    """
    h, w, c = x.shape[1], x.shape[2], x.shape[3]
    xf = x.reshape(x.size)  # flat views: a kernel row inside the image is one contiguous span
    bf = buf.reshape(buf.size)
    k = buf.shape[1]
    span = np.uint64(kw * c)
    uc = np.uint64(c)
    zero = np.float32(0.0)
    for g in range(g0, g1):
        n = g // oh
        oy = g - n * oh
        for ox in range(ow):
            row_start = np.uint64(((g - g0) * ow + ox) * k)
            ix0 = ox * sw - pl
            inside_x = dw == 1 and ix0 >= 0 and ix0 + kw <= w  # a kernel row is one contiguous span
            for i in range(kh):
                iy = oy * sh - pt + i * dh
                inside_y = 0 <= iy < h
                dst = row_start + np.uint64(i) * span
                if inside_y and inside_x:
                    src = np.uint64(((n * h + iy) * w + ix0) * c)
                    for q in range(span):
                        bf[dst + q] = xf[src + q]
                    continue
                for j in range(kw):
                    ix = ix0 + j * dw
                    d = dst + np.uint64(j) * uc
                    if inside_y and 0 <= ix < w:
                        src = np.uint64(((n * h + iy) * w + ix) * c)
                        for q in range(uc):
                            bf[d + q] = xf[src + q]
                    else:
                        for q in range(uc):
                            bf[d + q] = zero


@njit(cache=True)
def _scatter_cols(dcols, n0, n1, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, dx):  # pragma: no cover - jitted
    """Serial col2im: ``dx[n0:n1]`` = sum over windows of ``dcols ((n1-n0)*oh*ow, K)`` (overwrites it); tap
    ``(i, j)`` of a window lands ``(i*dh, j*dw)`` from its corner."""
    h, w, c = dx.shape[1], dx.shape[2], dx.shape[3]
    zero = np.float32(0.0)
    for n in range(n0, n1):
        for iy in range(h):
            for ix in range(w):
                for ch in range(c):
                    dx[n, iy, ix, ch] = zero
    for r in range((n1 - n0) * oh):
        nl = r // oh
        oy = r - nl * oh
        n = n0 + nl
        for ox in range(ow):
            row = r * ow + ox
            for i in range(kh):
                iy = oy * sh - pt + i * dh
                if iy < 0 or iy >= h:
                    continue
                for j in range(kw):
                    ix = ox * sw - pl + j * dw
                    if ix < 0 or ix >= w:
                        continue
                    col = (i * kw + j) * c
                    for ch in range(c):
                        dx[n, iy, ix, ch] += dcols[row, col + ch]


@njit(parallel=True, cache=True)
def _forward(
    sgemm, x, wmat, b, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, gpc, relu, y2, cols
):  # pragma: no cover - jitted
    """``y2 (N*OH*OW, C_out) = im2col(x) @ wmat + b``, then ``relu`` (bool) in the same pass while the block
    is still in cache; ``cols (slots, >= gpc*OW, K)`` is per-slot scratch."""
    slots = cols.shape[0]
    k, c_out = wmat.shape
    total = x.shape[0] * oh
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for t in prange(slots):
        s0 = t * total // slots
        s1 = (t + 1) * total // slots
        buf = cols[t]
        for g0 in range(s0, s1, gpc):
            g1 = min(s1, g0 + gpc)
            _fill_cols(x, g0, g1, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, buf)
            rows = (g1 - g0) * ow
            r0 = g0 * ow
            sgemm(
                ROW_MAJOR,
                NO_TRANS,
                NO_TRANS,
                rows,
                c_out,
                k,
                one,
                buf.ctypes.data,
                k,
                wmat.ctypes.data,
                c_out,
                zero,
                y2.ctypes.data + r0 * c_out * _F4,
                c_out,
            )
            if relu:
                for r in range(r0, r0 + rows):
                    for o in range(c_out):
                        v = y2[r, o] + b[o]
                        y2[r, o] = zero if v < zero else v
            else:
                for r in range(r0, r0 + rows):
                    for o in range(c_out):
                        y2[r, o] += b[o]


@njit(parallel=True, cache=True)
def _backward(
    sgemm,
    x,
    wmat,
    dy2,
    kh,
    kw,
    sh,
    sw,
    dh,
    dw,
    pt,
    pl,
    oh,
    ow,
    ipc,
    need_dx,
    cols,
    dcols,
    dw_parts,
    db_parts,
    dx,
):  # pragma: no cover - jitted
    """Per-slot partial ``dw_parts (slots, K, C_out)``, ``db_parts (slots, C_out)`` (both zeroed by the
    caller) and, when ``need_dx``, ``dx`` for the slot's own images; blocks of ``ipc`` whole images."""
    slots = cols.shape[0]
    k, c_out = wmat.shape
    n_img = x.shape[0]
    per_img = oh * ow
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for t in prange(slots):
        n0t = t * n_img // slots
        n1t = (t + 1) * n_img // slots
        buf = cols[t]
        dbuf = dcols[t]
        dw_ptr = dw_parts.ctypes.data + t * k * c_out * _F4
        for n0 in range(n0t, n1t, ipc):
            n1 = min(n1t, n0 + ipc)
            rows = (n1 - n0) * per_img
            r0 = n0 * per_img
            dy_ptr = dy2.ctypes.data + r0 * c_out * _F4
            _fill_cols(x, n0 * oh, n1 * oh, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, buf)
            sgemm(
                ROW_MAJOR,
                TRANS,
                NO_TRANS,
                k,
                c_out,
                rows,
                one,
                buf.ctypes.data,
                k,
                dy_ptr,
                c_out,
                one,
                dw_ptr,
                c_out,
            )
            for r in range(r0, r0 + rows):
                for o in range(c_out):
                    db_parts[t, o] += dy2[r, o]
            if need_dx:
                sgemm(
                    ROW_MAJOR,
                    NO_TRANS,
                    TRANS,
                    rows,
                    k,
                    c_out,
                    one,
                    dy_ptr,
                    c_out,
                    wmat.ctypes.data,
                    c_out,
                    zero,
                    dbuf.ctypes.data,
                    k,
                )
                _scatter_cols(dbuf, n0, n1, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, dx)


@njit(parallel=True, cache=True)
def _transpose(
    sgemm, x2, wmat, b, kh, kw, sh, sw, dh, dw, pt, pl, h, wd, ipc, dcols, y
):  # pragma: no cover - jitted
    """The transposed convolution ``y (N, OH, OW, C_out) = col2im(x2 @ wmat.T) + b``, blocks of ``ipc`` whole
    images per slot (so no two slots ever touch the same cell of ``y``).

    ``x2 (N*H*W, C_in)`` is the input seen as the upstream gradient of a convolution with ``wmat (K, C_in)``
    (``K = KH*KW*C_out``) whose output is ``(H, W)``: exactly the ``dx`` half of :func:`_backward`;
    ``dcols (slots, >= ipc*H*W, K)`` is per-slot scratch.
    """
    slots = dcols.shape[0]
    k, c_in = wmat.shape
    n_img, oh, ow, c_out = y.shape
    per_img = h * wd
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for t in prange(slots):
        n0t = t * n_img // slots
        n1t = (t + 1) * n_img // slots
        dbuf = dcols[t]
        for n0 in range(n0t, n1t, ipc):
            n1 = min(n1t, n0 + ipc)
            rows = (n1 - n0) * per_img
            sgemm(
                ROW_MAJOR,
                NO_TRANS,
                TRANS,
                rows,
                k,
                c_in,
                one,
                x2.ctypes.data + n0 * per_img * c_in * _F4,
                c_in,
                wmat.ctypes.data,
                c_in,
                zero,
                dbuf.ctypes.data,
                k,
            )
            _scatter_cols(dbuf, n0, n1, kh, kw, sh, sw, dh, dw, pt, pl, h, wd, y)
            for n in range(n0, n1):
                for oy in range(oh):
                    for ox in range(ow):
                        for o in range(c_out):
                            y[n, oy, ox, o] += b[o]
