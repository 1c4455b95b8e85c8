"""Convolution arithmetic on the CPU tier (issue 16): a dilated convolution against the undilated one it
generalises, a transposed convolution against the convolution it is the adjoint of, batch normalisation.

Run: ``python bench/arithmetic.py [--batch 64] [--repeats 9] [--threads N]``.

Each row prints the forward and backward median (and best) in milliseconds. The pairs tell what dilation and
transposition cost on top of the plain convolution's machinery they reuse:

* ``conv 16x16x32->64`` vs ``dilated d=2``: same weights and output size ("same"), the taps read two cells
  apart (im2col loses its contiguous row copies);
* ``conv 16x16x32->64 s2`` vs ``transposed 8x8x64->32 s2``: the transposed convolution's forward is that
  convolution's dx pass (sgemm then col2im) and its backward is the convolution's forward and dW;
* ``batch norm 16x16x64``: training forward (two passes for the statistics) and backward.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import fmt, machine_line, print_table, threads_from_argv, time_stats, tune_engine

threads_from_argv(sys.argv)  # before NumPy/Numba load

import numpy as np  # noqa: E402


def _cases(batch: int):
    from engine import ops

    rng = np.random.default_rng(0)

    def randn(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    x = randn(batch, 16, 16, 32)
    w = randn(3, 3, 32, 64, scale=0.1)
    b = randn(64)
    dy = randn(batch, 16, 16, 64)
    dy_s2 = randn(batch, 8, 8, 64)
    xt = randn(batch, 8, 8, 64)
    wt = randn(3, 3, 32, 64, scale=0.1)  # (KH, KW, C_out, C_in) of the transposed convolution
    dyt = randn(batch, 16, 16, 32)
    xb = randn(batch, 16, 16, 64, scale=2.0)
    gamma, beta = randn(64), randn(64)
    _, mean, var = ops.batch_norm_training(xb, gamma=gamma, beta=beta, backend="cpu")
    return {
        "conv 16x16x32->64": (
            lambda: ops.conv2d(x, w, b, padding="same", backend="cpu"),
            lambda: ops.conv2d_backward(x, w, dy, padding="same", backend="cpu"),
        ),
        "dilated d=2": (
            lambda: ops.conv2d(x, w, b, padding="same", dilation=2, backend="cpu"),
            lambda: ops.conv2d_backward(x, w, dy, padding="same", dilation=2, backend="cpu"),
        ),
        "conv 16x16x32->64 s2": (
            lambda: ops.conv2d(x, w, b, stride=2, padding="same", backend="cpu"),
            lambda: ops.conv2d_backward(x, w, dy_s2, stride=2, padding="same", backend="cpu"),
        ),
        "transposed 8x8x64->32 s2": (
            lambda: ops.conv2d_transpose(xt, wt, None, stride=2, padding="same", backend="cpu"),
            lambda: ops.conv2d_transpose_backward(xt, wt, dyt, stride=2, padding="same", backend="cpu"),
        ),
        "batch norm 16x16x64": (
            lambda: ops.batch_norm_training(xb, gamma=gamma, beta=beta, backend="cpu"),
            lambda: ops.batch_norm_backward(xb, xb, mean, var, gamma=gamma, backend="cpu"),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--threads", type=int, default=None, help="cap NumPy/Numba threads")
    args = parser.parse_args()
    tune_engine()
    rows = []
    for name, (forward, backward) in _cases(args.batch).items():
        f_med, f_best = time_stats(forward, args.repeats, warmup=2)
        b_med, b_best = time_stats(backward, args.repeats, warmup=2)
        rows.append(
            [
                name,
                f"{fmt(f_med * 1e3)} ({fmt(f_best * 1e3)})",
                f"{fmt(b_med * 1e3)} ({fmt(b_best * 1e3)})",
            ]
        )
    print(machine_line())
    print_table(
        [f"op (batch {args.batch}, float32)", "forward ms median (best)", "backward ms median (best)"],
        rows,
        title="CPU tier",
    )


if __name__ == "__main__":
    main()
