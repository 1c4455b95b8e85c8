"""Augmentation throughput: ``ImageAugmenter.apply`` (the lesson's ranges) vs scipy.ndimage, images per
second.

Run: ``python bench/augment.py [--threads N] [--repeats 9]``.

For each batch shape it times the serial and the parallel Numba warp (the augmenter picks one by batch size,
see ``engine.augment.PARALLEL_THRESHOLD``), the whole ``apply`` (parameters + matrices + warp), and
``scipy.ndimage.affine_transform`` (order 1, one call per image and channel) doing the same warps.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import fmt, machine_line, print_table, threads_from_argv, time_stats

threads_from_argv(sys.argv)

# after threads_from_argv: the thread caps must be set before NumPy and Numba load
import numpy as np  # noqa: E402
from scipy import ndimage  # noqa: E402

from engine._augment_kernel import warp_affine, warp_affine_serial  # noqa: E402
from engine.augment import PARALLEL_THRESHOLD, ImageAugmenter, transform_matrices  # noqa: E402

SHAPES = ((32, 28, 28, 1), (32, 32, 32, 3), (32, 150, 150, 3))
LESSON = {
    "rotation_range": 40,
    "width_shift_range": 0.2,
    "height_shift_range": 0.2,
    "shear_range": 0.2,
    "zoom_range": 0.2,
    "horizontal_flip": True,
}


def _scipy(x: np.ndarray, inv: np.ndarray) -> None:
    n, h, w, c = x.shape
    centre = np.array([(h - 1) / 2, (w - 1) / 2])
    for b in range(n):
        a, t = inv[b, :, :2], inv[b, :, 2]
        for ch in range(c):
            ndimage.affine_transform(
                x[b, :, :, ch], a, offset=t + centre - a @ centre, order=1, mode="nearest"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, help="cap every thread pool (read before numba loads)")
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    print(machine_line())
    rng = np.random.default_rng(0)
    rows = []
    for shape in SHAPES:
        x = rng.random(shape, dtype=np.float32)
        aug = ImageAugmenter(**LESSON, seed=0)
        inv = np.ascontiguousarray(
            transform_matrices(aug.random_params(shape[0], shape[1], shape[2]), shape[0])
        )
        n = shape[0]
        serial = time_stats(partial(warp_affine_serial, x, inv, 0, 0.0), args.repeats, min_total_s=0.2)[0]
        parallel = time_stats(partial(warp_affine, x, inv, 0, 0.0), args.repeats, min_total_s=0.2)[0]
        apply = time_stats(partial(aug.apply, x), args.repeats, min_total_s=0.2)[0]
        scipy_t = time_stats(partial(_scipy, x, inv), max(3, args.repeats // 3), warmup=1)[0]
        kernel = "parallel" if x.size >= PARALLEL_THRESHOLD else "serial"
        rows.append(
            [
                "x".join(map(str, shape)),
                fmt(n / serial, ".0f"),
                fmt(n / parallel, ".0f"),
                f"{fmt(n / apply, '.0f')} ({kernel})",
                fmt(n / scipy_t, ".0f"),
                fmt(scipy_t / apply, ".1f"),
            ]
        )
    print_table(
        ["batch", "serial img/s", "parallel img/s", "apply img/s", "scipy img/s", "apply vs scipy"],
        rows,
        title="ImageAugmenter, the lesson's ranges, bilinear, fill 'nearest' (median of runs)",
    )


if __name__ == "__main__":
    main()
