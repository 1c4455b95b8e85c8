"""Winograd F(2x2, 3x3) convolution (Lavin & Gray 2016) for 3x3 stride-1 kernels, forward and backward.

Each 2x2 block of outputs ("tile") of one filter is computed from the 4x4 input patch under it with 16
multiplications per channel instead of 36::

    V = B^T d B          d: the 4x4 input patch of one channel (zeros outside the image)
    U = G g G^T          g: the 3x3 kernel of one (input, output) channel pair
    M = sum_c U ⊙ V      16 products, summed over the input channels: 16 matrix products over channels
    Y = A^T M A          the 2x2 outputs

with ``B^T = [[1,0,-1,0],[0,1,1,0],[0,-1,1,0],[0,1,0,-1]]``, ``G = [[1,0,0],[.5,.5,.5],[.5,-.5,.5],[0,0,1]]``
and ``A^T = [[1,1,1,0],[0,1,-1,-1]]``. Written with channels last, the sum over channels of each of the 16
products is one matrix product per position ``e`` of the 4x4 transform: ``M[e] (tiles, C_out) = V[e] (tiles,
C_in) @ U[e] (C_in, C_out)``, done by the single-threaded OpenBLAS ``sgemm`` inside the kernel
(:mod:`engine.backends.cpu._blas`), block by block so that ``V`` and ``M`` stay in the core's L2 cache.

Backward is the chain rule through the same algebra (exact, not an approximation of it)::

    dM = A dY A^T                       (tiles, 16, C_out)    from the 2x2 output gradients of each tile
    dU[e] = sum_tiles V[e]^T @ dM[e]   (C_in, C_out)          long sgemms over every tile of the batch
    dW = G^T dU G                       3x3 per channel pair, once per call
    dV[e] = dM[e] @ U[e]^T              (tiles, C_in)
    dx += B dV B^T                      4x4 patches scattered back (tiles overlap by 2: added, per image)

Direct-convolution FLOPs per 2x2 tile and channel pair are 36 multiply-adds, here 16: 2.25x fewer. The
float32 error stays of the order of the direct path's (the transforms multiply by 0, 1 and 0.5 only); the
tests (``tests/backends/test_winograd.py``) bound each value's error by ``8 eps sqrt(terms)`` times the same
sum of products taken over absolute values, ``terms`` being the number of products summed into it.

Non-finite values: the transforms mix the 16 cells of a patch, so an inf or a NaN would land on other cells
than in a direct convolution. Every kernel here reduces its results to a checksum that is NaN as soon as one
value is not finite; the dispatcher (:mod:`engine.backends.cpu.conv_fast`) then hands the call back to the
direct path, so NaN and inf follow exactly the rules of the other paths.

Threads: forward splits the tiles evenly between Numba threads; backward splits the images (each thread adds
into ``dx`` only inside its own images, and keeps its own ``dU`` and bias-gradient partials, summed in thread
order afterwards: deterministic).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from engine.backends.cpu._blas import NO_TRANS, ROW_MAJOR, TRANS
from engine.backends.cpu.workspace import scratch

_F4 = 4  # bytes per float32


# --------------------------------------------------------------------------------------------- transforms
@njit(cache=True)
def filter_transform(g):  # pragma: no cover - jitted
    """``U (16, C_in, C_out)``: ``G g G^T`` of every 3x3 kernel ``g (3, 3, C_in, C_out)``; ``e = 4*a + b``.

    One input channel at a time, both products as loops over the contiguous output channels (``t = G g``
    into a small ``(12, C_out)`` buffer, then ``U = t G^T``): each loop reads 3 rows and writes 4, few
    enough streams for LLVM to vectorise them (one loop writing all 16 rows stayed scalar: 128 us against
    5.6 us for a 64 -> 64 layer).
    """
    _, _, c_in, c_out = g.shape
    u = np.empty((16, c_in, c_out), dtype=np.float32)
    t = np.empty((12, c_out), dtype=np.float32)  # t[3*a + j] = (G g)[a, j]
    h = np.float32(0.5)
    for c in range(c_in):
        for j in range(3):
            for o in range(c_out):
                g0, g1, g2 = g[0, j, c, o], g[1, j, c, o], g[2, j, c, o]
                t[j, o] = g0
                t[3 + j, o] = h * (g0 + g1 + g2)
                t[6 + j, o] = h * (g0 - g1 + g2)
                t[9 + j, o] = g2
        for a in range(4):
            for o in range(c_out):
                t0, t1, t2 = t[3 * a, o], t[3 * a + 1, o], t[3 * a + 2, o]
                u[4 * a, c, o] = t0
                u[4 * a + 1, c, o] = h * (t0 + t1 + t2)
                u[4 * a + 2, c, o] = h * (t0 - t1 + t2)
                u[4 * a + 3, c, o] = t2
    return u


@njit(cache=True)
def filter_gradient(du):  # pragma: no cover - jitted
    """``dW (3, 3, C_in, C_out) = G^T dU G`` for ``du (16, C_in, C_out)`` (the transpose of
    :func:`filter_transform`), laid out as it is: per input channel, loops over the contiguous output
    channels that read 4 rows and write 3."""
    _, c_in, c_out = du.shape
    dw = np.empty((3, 3, c_in, c_out), dtype=np.float32)
    s = np.empty((12, c_out), dtype=np.float32)  # s[4*i + b] = (G^T dU)[i, b]
    h = np.float32(0.5)
    for c in range(c_in):
        for b in range(4):
            for o in range(c_out):
                d0, d1, d2, d3 = du[b, c, o], du[4 + b, c, o], du[8 + b, c, o], du[12 + b, c, o]
                s[b, o] = d0 + h * (d1 + d2)
                s[4 + b, o] = h * (d1 - d2)
                s[8 + b, o] = h * (d1 + d2) + d3
        for i in range(3):
            for o in range(c_out):
                s0, s1, s2, s3 = s[4 * i, o], s[4 * i + 1, o], s[4 * i + 2, o], s[4 * i + 3, o]
                dw[i, 0, c, o] = s0 + h * (s1 + s2)
                dw[i, 1, c, o] = h * (s1 - s2)
                dw[i, 2, c, o] = h * (s1 + s2) + s3
    return dw


@njit(inline="always")
def _tile_origin(tile, th, tw, pt, pl):  # pragma: no cover - jitted
    """``(n, iy0, ix0, oy0, ox0)``: image, top-left input cell of the 4x4 patch, top-left output cell."""
    per_img = th * tw
    n = tile // per_img
    r = tile - n * per_img
    ty = r // tw
    tx = r - ty * tw
    return n, 2 * ty - pt, 2 * tx - pl, 2 * ty, 2 * tx


@njit(cache=True)
def _input_transform(x, t0, nt, th, tw, pt, pl, v, patch, tb):  # pragma: no cover - jitted
    """``v[e, q, :] = (B^T d B)[e]`` for the tiles ``t0 + q``, ``q < nt``; ``v (16, cap, C)``.

    Inside the image the patch is read straight from ``x``; on the border it is first copied into ``patch
    (1, 4, 4, C)`` with zeros outside. The transform is two passes through ``tb (16, >= C)`` (rows, then
    columns) of four loads and four stores each: with the 16 cells in one loop LLVM does not vectorise the
    channel loop (too many pointers to check for overlap), with four it does (7x faster).
    """
    h, w, c = x.shape[1], x.shape[2], x.shape[3]
    zero = np.float32(0.0)
    for q in range(nt):
        n, iy0, ix0, _, _ = _tile_origin(t0 + q, th, tw, pt, pl)
        if iy0 >= 0 and iy0 + 4 <= h and ix0 >= 0 and ix0 + 4 <= w:
            src, sn, sy, sx = x, n, iy0, ix0
        else:
            for i in range(4):
                iy = iy0 + i
                for j in range(4):
                    ix = ix0 + j
                    if 0 <= iy < h and 0 <= ix < w:
                        for ch in range(c):
                            patch[0, i, j, ch] = x[n, iy, ix, ch]
                    else:
                        for ch in range(c):
                            patch[0, i, j, ch] = zero
            src, sn, sy, sx = patch, 0, 0, 0
        for j in range(4):  # t = B^T d, column j
            for ch in range(c):
                d0 = src[sn, sy, sx + j, ch]
                d1 = src[sn, sy + 1, sx + j, ch]
                d2 = src[sn, sy + 2, sx + j, ch]
                d3 = src[sn, sy + 3, sx + j, ch]
                tb[j, ch] = d0 - d2
                tb[4 + j, ch] = d1 + d2
                tb[8 + j, ch] = d2 - d1
                tb[12 + j, ch] = d1 - d3
        for i in range(4):  # V = t B, row i
            r = 4 * i
            for ch in range(c):
                a = tb[r, ch]
                b = tb[r + 1, ch]
                cc = tb[r + 2, ch]
                d = tb[r + 3, ch]
                v[r, q, ch] = a - cc
                v[r + 1, q, ch] = b + cc
                v[r + 2, q, ch] = cc - b
                v[r + 3, q, ch] = b - d


@njit(cache=True, fastmath={"reassoc"})
def _output_transform(m, t0, nt, th, tw, oh, ow, b, relu, y, tb):  # pragma: no cover - jitted
    """``y`` cells of the tiles ``t0 + q`` = ``A^T M A + b`` (then ReLU); ``m (16, cap, C_out)``, scratch ``tb
    (16, >= C_out)``.

    Returns a checksum that is NaN when any value written (before the ReLU) is not finite (``reassoc`` only
    lets LLVM vectorise that sum: NaN and inf keep their meaning).
    """
    k = y.shape[3]
    zero = np.float32(0.0)
    check = np.float32(0.0)
    for q in range(nt):
        n, _, _, oy, ox = _tile_origin(t0 + q, th, tw, 0, 0)
        for j in range(4):  # s = A^T M, column j
            for o in range(k):
                m0 = m[j, q, o]
                m1 = m[4 + j, q, o]
                m2 = m[8 + j, q, o]
                m3 = m[12 + j, q, o]
                tb[j, o] = m0 + m1 + m2
                tb[4 + j, o] = m1 - m2 - m3
        for i in range(2):  # Y = s A, row i
            r = 4 * i
            yy = oy + i
            if yy >= oh:
                break
            if ox + 1 < ow:
                for o in range(k):
                    s0 = tb[r, o]
                    s1 = tb[r + 1, o]
                    s2 = tb[r + 2, o]
                    s3 = tb[r + 3, o]
                    y0 = s0 + s1 + s2 + b[o]
                    y1 = s1 - s2 - s3 + b[o]
                    check += (y0 + y1) * zero
                    if relu:
                        y0 = zero if y0 < zero else y0
                        y1 = zero if y1 < zero else y1
                    y[n, yy, ox, o] = y0
                    y[n, yy, ox + 1, o] = y1
            else:
                for o in range(k):
                    y0 = tb[r, o] + tb[r + 1, o] + tb[r + 2, o] + b[o]
                    check += y0 * zero
                    y[n, yy, ox, o] = zero if relu and y0 < zero else y0
    return check


@njit(cache=True)
def _gradient_transform(dy, yr, t0, nt, th, tw, mask, dm, db, tb):  # pragma: no cover - jitted
    """``dm[e, q, :] = (A dY A^T)[e]`` for the tiles ``t0 + q`` (output cells past the edge count as 0);
    with ``mask`` the gradient passes only where the forward output ``yr > 0`` (a ReLU folded in). Adds the
    (masked) ``dY`` into ``db (C_out,)`` (float64). Scratch ``tb (16, >= C_out)``."""
    oh, ow, k = dy.shape[1], dy.shape[2], dy.shape[3]
    zero = np.float32(0.0)
    for q in range(nt):
        n, _, _, oy, ox = _tile_origin(t0 + q, th, tw, 0, 0)
        for j in range(2):  # r = A g, column j (tb rows 4a + j)
            xx = ox + j
            if xx >= ow:
                for o in range(k):
                    tb[j, o] = zero
                    tb[4 + j, o] = zero
                    tb[8 + j, o] = zero
                    tb[12 + j, o] = zero
                continue
            if oy + 1 < oh:
                for o in range(k):
                    g0 = dy[n, oy, xx, o]
                    g1 = dy[n, oy + 1, xx, o]
                    if mask:
                        g0 = g0 if yr[n, oy, xx, o] > zero else zero
                        g1 = g1 if yr[n, oy + 1, xx, o] > zero else zero
                    db[o] += np.float64(g0) + np.float64(g1)
                    tb[j, o] = g0
                    tb[4 + j, o] = g0 + g1
                    tb[8 + j, o] = g0 - g1
                    tb[12 + j, o] = -g1
            else:
                for o in range(k):
                    g0 = dy[n, oy, xx, o]
                    if mask:
                        g0 = g0 if yr[n, oy, xx, o] > zero else zero
                    db[o] += np.float64(g0)
                    tb[j, o] = g0
                    tb[4 + j, o] = g0
                    tb[8 + j, o] = g0
                    tb[12 + j, o] = zero
        for a in range(4):  # dM = r A^T, row a
            r = 4 * a
            for o in range(k):
                r0 = tb[r, o]
                r1 = tb[r + 1, o]
                dm[r, q, o] = r0
                dm[r + 1, q, o] = r0 + r1
                dm[r + 2, q, o] = r0 - r1
                dm[r + 3, q, o] = -r1


@njit(cache=True)
def _input_gradient(dv, t0, nt, th, tw, pt, pl, dx, tb):  # pragma: no cover - jitted
    """``dx += B dV B^T`` of the tiles ``t0 + q`` (cells outside the image dropped); ``dv (16, cap, C)``,
    scratch ``tb (16, >= C)``."""
    h, w, c = dx.shape[1], dx.shape[2], dx.shape[3]
    for q in range(nt):
        n, iy0, ix0, _, _ = _tile_origin(t0 + q, th, tw, pt, pl)
        for j in range(4):  # p = B dV, column j (B = [[1,0,0,0],[0,1,-1,1],[-1,1,1,0],[0,0,0,-1]])
            for ch in range(c):
                v0 = dv[j, q, ch]
                v1 = dv[4 + j, q, ch]
                v2 = dv[8 + j, q, ch]
                v3 = dv[12 + j, q, ch]
                tb[j, ch] = v0
                tb[4 + j, ch] = v1 - v2 + v3
                tb[8 + j, ch] = v1 + v2 - v0
                tb[12 + j, ch] = -v3
        for i in range(4):  # dd = p B^T, row i, added onto dx
            iy = iy0 + i
            if iy < 0 or iy >= h:
                continue
            r = 4 * i
            if ix0 >= 0 and ix0 + 4 <= w:
                for ch in range(c):
                    p0 = tb[r, ch]
                    p1 = tb[r + 1, ch]
                    p2 = tb[r + 2, ch]
                    p3 = tb[r + 3, ch]
                    dx[n, iy, ix0, ch] += p0
                    dx[n, iy, ix0 + 1, ch] += p1 - p2 + p3
                    dx[n, iy, ix0 + 2, ch] += p1 + p2 - p0
                    dx[n, iy, ix0 + 3, ch] -= p3
            else:
                for jj in range(4):
                    ix = ix0 + jj
                    if ix < 0 or ix >= w:
                        continue
                    for ch in range(c):
                        p0 = tb[r, ch]
                        p1 = tb[r + 1, ch]
                        p2 = tb[r + 2, ch]
                        p3 = tb[r + 3, ch]
                        if jj == 0:
                            dx[n, iy, ix, ch] += p0
                        elif jj == 1:
                            dx[n, iy, ix, ch] += p1 - p2 + p3
                        elif jj == 2:
                            dx[n, iy, ix, ch] += p1 + p2 - p0
                        else:
                            dx[n, iy, ix, ch] -= p3


# ----------------------------------------------------------------------------------------------- drivers
@njit(parallel=True, cache=True)
def _forward(sgemm, x, u, b, pt, pl, oh, ow, relu, cap, vbuf, mbuf, patches, tbs, y):  # pragma: no cover
    """``y (N, OH, OW, C_out)`` = the 3x3 stride-1 convolution of ``x`` with transformed kernels ``u (16,
    C_in, C_out)``; per-slot scratch ``vbuf (slots, 16, cap, C_in)``, ``mbuf (slots, 16, cap, C_out)``,
    ``patches (slots, 4, 4, C_in)``. Returns the checksum (NaN when a value was not finite)."""
    slots = vbuf.shape[0]
    c_in, c_out = u.shape[1], u.shape[2]
    th = (oh + 1) // 2
    tw = (ow + 1) // 2
    total = x.shape[0] * th * tw
    one = np.float32(1.0)
    zero = np.float32(0.0)
    checks = np.zeros(slots, dtype=np.float32)
    for s in prange(slots):
        s0 = s * total // slots
        s1 = (s + 1) * total // slots
        v = vbuf[s]
        m = mbuf[s]
        check = np.float32(0.0)
        for t0 in range(s0, s1, cap):
            nt = min(cap, s1 - t0)
            _input_transform(x, t0, nt, th, tw, pt, pl, v, patches[s], tbs[s])
            for e in range(16):
                sgemm(
                    ROW_MAJOR,
                    NO_TRANS,
                    NO_TRANS,
                    nt,
                    c_out,
                    c_in,
                    one,
                    v.ctypes.data + e * cap * c_in * _F4,
                    c_in,
                    u.ctypes.data + e * c_in * c_out * _F4,
                    c_out,
                    zero,
                    m.ctypes.data + e * cap * c_out * _F4,
                    c_out,
                )
            check += _output_transform(m, t0, nt, th, tw, oh, ow, b, relu, y, tbs[s])
        checks[s] = check
    return checks.sum()


@njit(parallel=True, cache=True)
def _backward(
    sgemm, x, u, dy, yr, mask, pt, pl, need_dx, cap, vbuf, mbuf, patches, tbs, du_parts, db_parts, dx
):  # pragma: no cover - jitted
    """Per-slot ``du_parts (slots, 16, C_in, C_out)`` (zeroed by the caller), ``db_parts (slots, C_out)``
    (float64, zeroed) and, with ``need_dx``, ``dx`` for the slot's own images (overwritten)."""
    slots = vbuf.shape[0]
    n_img, h, w, c_in = x.shape
    c_out = u.shape[2]
    oh, ow = dy.shape[1], dy.shape[2]
    th = (oh + 1) // 2
    tw = (ow + 1) // 2
    per_img = th * tw
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for s in prange(slots):
        n0 = s * n_img // slots
        n1 = (s + 1) * n_img // slots
        v = vbuf[s]
        m = mbuf[s]
        if need_dx:
            for n in range(n0, n1):
                for iy in range(h):
                    for ix in range(w):
                        for ch in range(c_in):
                            dx[n, iy, ix, ch] = zero
        for t0 in range(n0 * per_img, n1 * per_img, cap):
            nt = min(cap, n1 * per_img - t0)
            _input_transform(x, t0, nt, th, tw, pt, pl, v, patches[s], tbs[s])
            _gradient_transform(dy, yr, t0, nt, th, tw, mask, m, db_parts[s], tbs[s])
            for e in range(16):
                sgemm(
                    ROW_MAJOR,
                    TRANS,
                    NO_TRANS,
                    c_in,
                    c_out,
                    nt,
                    one,
                    v.ctypes.data + e * cap * c_in * _F4,
                    c_in,
                    m.ctypes.data + e * cap * c_out * _F4,
                    c_out,
                    one,
                    du_parts.ctypes.data + (s * 16 + e) * c_in * c_out * _F4,
                    c_out,
                )
            if need_dx:
                for e in range(16):  # dV overwrites V, which is no longer needed
                    sgemm(
                        ROW_MAJOR,
                        NO_TRANS,
                        TRANS,
                        nt,
                        c_in,
                        c_out,
                        one,
                        m.ctypes.data + e * cap * c_out * _F4,
                        c_out,
                        u.ctypes.data + e * c_in * c_out * _F4,
                        c_out,
                        zero,
                        v.ctypes.data + e * cap * c_in * _F4,
                        c_in,
                    )
                _input_gradient(v, t0, nt, th, tw, pt, pl, dx, tbs[s])


# ------------------------------------------------------------------------------------------ host wrappers
#: the smallest input channel count sent here: below it the transforms cost more than the products save
MIN_CHANNELS = 8
#: share of the L2 cache one thread's ``V`` and ``M`` blocks may take (the rest: sgemm's packed panels, U)
L2_SHARE = 0.5


def applies(w_shape: tuple[int, ...], stride: tuple[int, int], pads: tuple[int, int, int, int]) -> bool:
    """Whether a convolution goes through this module: a 3x3 kernel at stride 1 (dilation 1), at least
    :data:`MIN_CHANNELS` input and output channels, and each pad at most 2 (so every tile reads its image)."""
    kh, kw, c_in, c_out = w_shape
    return (
        kh == 3
        and kw == 3
        and stride == (1, 1)
        and c_in >= MIN_CHANNELS
        and c_out >= MIN_CHANNELS
        and max(pads) <= 2
    )


def tiles_per_block(c_in: int, c_out: int, l2_bytes: int) -> int:
    """Tiles per block: ``V (16, T, C_in)`` and ``M (16, T, C_out)`` together within :data:`L2_SHARE` of L2,
    a multiple of 8 between 16 and 512."""
    t = int(L2_SHARE * l2_bytes) // (16 * 4 * (c_in + c_out))
    return max(16, min(512, t - t % 8))


def forward(
    sgemm: object,
    x: np.ndarray,
    wk: np.ndarray,
    b: np.ndarray,
    pads: tuple[int, int, int, int],
    relu: bool,
    slots: int,
    l2_bytes: int,
) -> np.ndarray | None:
    """``y (N, OH, OW, C_out)`` for the cross-correlation kernel ``wk (3, 3, C_in, C_out)``, or None when a
    value was not finite (the caller then uses the direct path)."""
    n, h, w, c_in = x.shape
    c_out = wk.shape[3]
    t, bt, le, r = pads
    oh, ow = h + t + bt - 2, w + le + r - 2
    y = np.empty((n, oh, ow, c_out), dtype=np.float32)
    if y.size == 0:
        return y
    u = filter_transform(wk)  # (16, C_in, C_out)
    tiles = n * ((oh + 1) // 2) * ((ow + 1) // 2)
    slots = max(1, min(slots, tiles))
    cap = min(tiles_per_block(c_in, c_out, l2_bytes), -(-tiles // slots))
    vbuf = scratch("wino_v", (slots, 16, cap, c_in))
    mbuf = scratch("wino_m", (slots, 16, cap, c_out))
    patches = scratch("wino_patch", (slots, 1, 4, 4, c_in))
    tbs = scratch("wino_tb", (slots, 16, max(c_in, c_out)))
    check = _forward(sgemm, x, u, b, t, le, oh, ow, bool(relu), cap, vbuf, mbuf, patches, tbs, y)
    return y if check == 0.0 else None


def backward(
    sgemm: object,
    x: np.ndarray,
    wk: np.ndarray,
    dy: np.ndarray,
    pads: tuple[int, int, int, int],
    need_dx: bool,
    relu_y: np.ndarray | None,
    slots: int,
    l2_bytes: int,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray] | None:
    """``(dx | None, dw (3, 3, C_in, C_out), db)`` for the cross-correlation kernel ``wk``; with ``relu_y``
    (the forward's output after a ReLU) ``dy`` is first masked by ``relu_y > 0``. None when a value was not
    finite (the caller then uses the direct path)."""
    n, c_in = x.shape[0], x.shape[3]
    c_out = wk.shape[3]
    t, _, le, _ = pads
    oh, ow = dy.shape[1], dy.shape[2]
    tiles_img = ((oh + 1) // 2) * ((ow + 1) // 2)
    slots = max(1, min(slots, n))
    cap = min(tiles_per_block(c_in, c_out, l2_bytes), -(-n // slots) * tiles_img)
    u = filter_transform(wk) if need_dx else np.empty((16, c_in, c_out), np.float32)
    vbuf = scratch("wino_v", (slots, 16, cap, c_in))
    mbuf = scratch("wino_m", (slots, 16, cap, c_out))
    patches = scratch("wino_patch", (slots, 1, 4, 4, c_in))
    tbs = scratch("wino_tb", (slots, 16, max(c_in, c_out)))
    du_parts = np.zeros((slots, 16, c_in, c_out), dtype=np.float32)
    db_parts = np.zeros((slots, c_out), dtype=np.float64)
    dx = np.empty(x.shape, dtype=np.float32) if need_dx else np.empty((1, 1, 1, 1), np.float32)
    mask = relu_y is not None
    _backward(
        sgemm,
        x,
        u,
        dy,
        relu_y if relu_y is not None else dy,
        mask,
        t,
        le,
        bool(need_dx),
        cap,
        vbuf,
        mbuf,
        patches,
        tbs,
        du_parts,
        db_parts,
        dx,
    )
    dw = filter_gradient(du_parts.sum(axis=0))  # slot order: deterministic
    db = db_parts.sum(axis=0).astype(np.float32)
    if not (np.isfinite(dw).all() and np.isfinite(db).all() and np.isfinite(wk).all()):
        return None
    if need_dx and not np.isfinite(dx).all():  # an overflow inside dx alone (finite x, w and dy)
        return None
    return (dx if need_dx else None), dw, db
