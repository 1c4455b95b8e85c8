"""Per-layer kernel benchmark of the seed network (the lesson's CIFAR model): CPU tier vs reference vs
PyTorch.

Run: ``python bench/kernels.py [--batch 64] [--repeats 9] [--rounds 3] [--threads N]``; ``--compare-direct
ROUNDS`` times the convs with and without the fast paths (Winograd) instead.

Layers (3x3, 'same', batch 64): conv1 32x32x3 -> 32, conv2 16x16x32 -> 64, conv3 8x8x64 -> 64 (each after a
2x2 max pool in the network), then the pools, a ReLU and the dense head. For each it prints the forward and
backward time (median of several runs after warm-up, and the best run in brackets), GFLOP/s, the speed-up
over the reference tier and, when PyTorch is installed, PyTorch's time divided by ours (> 1: we are faster).

* The reference tier (Python loops) is timed on a slice of the batch and scaled linearly to the full batch
  (its cost is exactly linear in the number of images).
* PyTorch runs in a child process started by this script, in the same run, so that its OpenMP threads never
  compete with Numba's and BLAS's inside one process; it uses NCHW tensors (its native layout). The two
  sides alternate for ``--rounds`` rounds; the ratio columns give the median and range of the per-round
  ratios.
* conv1's backward skips dx, as in training (the input image needs no gradient); PyTorch's is timed the same
  way.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    load_average,
    machine_line,
    print_table,
    run_peer,
    sgemm_gflops,
    thread_count,
    threads_from_argv,
    time_stats,
    torch_installed,
    tune_engine,
)

threads_from_argv(sys.argv)  # before NumPy/Numba load, so that --threads caps their pools

import numpy as np  # noqa: E402  (after threads_from_argv: the thread caps must be set before NumPy loads)

# name, input (H, W, C_in), C_out, need_dx in training
CONV_LAYERS = [
    ("conv1", (32, 32, 3), 32, False),
    ("conv2", (16, 16, 32), 64, True),
    ("conv3", (8, 8, 64), 64, True),
]
OTHER_OPS = ["maxpool 2x2 32x32x32", "maxpool 2x2 16x16x64", "relu 32x32x32", "dense 4096->64"]


def conv_flops(n: int, hw: tuple[int, int, int], c_out: int, k: int = 3) -> float:
    """Floating-point operations (2 per multiply-add) of a 'same' stride-1 ``k x k`` convolution forward."""
    h, w, c_in = hw
    return 2.0 * n * h * w * k * k * c_in * c_out


def _data(batch: int):
    """The same random tensors for both sides: ``{name: arrays}`` (NHWC, float32)."""
    rng = np.random.default_rng(0)
    data = {}
    for name, hw, c_out, _ in CONV_LAYERS:
        data[name] = (
            rng.standard_normal((batch, *hw)).astype(np.float32),
            (rng.standard_normal((3, 3, hw[2], c_out)) * 0.1).astype(np.float32),
            rng.standard_normal(c_out).astype(np.float32),
            rng.standard_normal((batch, hw[0], hw[1], c_out)).astype(np.float32),
        )
    for hw, name in [((32, 32, 32), OTHER_OPS[0]), ((16, 16, 64), OTHER_OPS[1])]:
        data[name] = (
            rng.standard_normal((batch, *hw)).astype(np.float32),
            rng.standard_normal((batch, hw[0] // 2, hw[1] // 2, hw[2])).astype(np.float32),
        )
    xr = rng.standard_normal((batch, 32, 32, 32)).astype(np.float32)
    data[OTHER_OPS[2]] = (xr, rng.standard_normal(xr.shape).astype(np.float32))
    data[OTHER_OPS[3]] = (
        rng.standard_normal((batch, 4096)).astype(np.float32),
        (rng.standard_normal((4096, 64)) * 0.01).astype(np.float32),
        np.zeros(64, np.float32),
        rng.standard_normal((batch, 64)).astype(np.float32),
    )
    return data


def _ours(data, need_dx: dict[str, bool]) -> dict[str, tuple[Callable, Callable]]:
    from engine import ops

    cases = {}
    for name, _, _, _ in CONV_LAYERS:
        x, w, b, dy = data[name]
        cases[name] = (
            lambda x=x, w=w, b=b: ops.conv2d(x, w, b, padding="same", backend="cpu"),
            lambda x=x, w=w, dy=dy, nd=need_dx[name]: ops.conv2d_backward(
                x, w, dy, padding="same", need_dx=nd, backend="cpu"
            ),
        )
    for name in OTHER_OPS[:2]:
        x, dy = data[name]
        cases[name] = (
            lambda x=x: ops.pool2d(x, 2, backend="cpu"),
            lambda x=x, dy=dy: ops.pool2d_backward(x, dy, 2, backend="cpu"),
        )
    x, dy = data[OTHER_OPS[2]]
    cases[OTHER_OPS[2]] = (
        lambda: ops.relu(x, backend="cpu"),
        lambda: ops.relu_backward(x, dy, y=x, backend="cpu"),
    )
    xd, wd, bd, dyd = data[OTHER_OPS[3]]
    cases[OTHER_OPS[3]] = (
        lambda: ops.dense(xd, wd, bd, backend="cpu"),
        lambda: ops.dense_backward(xd, wd, dyd, backend="cpu"),
    )
    return cases


def _torch_cases(data, need_dx: dict[str, bool]) -> dict[str, tuple[Callable, Callable]]:
    import torch

    F = torch.nn.functional
    aten = torch.ops.aten

    def nchw(a: np.ndarray) -> Any:
        return torch.from_numpy(np.ascontiguousarray(a.transpose(0, 3, 1, 2)))

    cases = {}
    for name, _, _, _ in CONV_LAYERS:
        x, w, b, dy = data[name]
        tx, tdy, tb = nchw(x), nchw(dy), torch.from_numpy(b)
        tw = torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1)))
        mask = [need_dx[name], True, True]
        cases[name] = (
            lambda tx=tx, tw=tw, tb=tb: F.conv2d(tx, tw, tb, padding=1),
            lambda tx=tx, tw=tw, tdy=tdy, mask=mask: aten.convolution_backward(
                tdy, tx, tw, [tw.shape[0]], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, mask
            ),
        )
    for name in OTHER_OPS[:2]:
        x, dy = data[name]
        tx, tdy = nchw(x), nchw(dy)
        _, idx = F.max_pool2d(tx, 2, return_indices=True)
        cases[name] = (
            lambda tx=tx: F.max_pool2d(tx, 2),
            lambda tx=tx, tdy=tdy, idx=idx: aten.max_pool2d_with_indices_backward(
                tdy, tx, [2, 2], [2, 2], [0, 0], [1, 1], False, idx
            ),
        )
    x, dy = data[OTHER_OPS[2]]
    tx, tdy = torch.from_numpy(x), torch.from_numpy(dy)
    cases[OTHER_OPS[2]] = (lambda: torch.relu(tx), lambda: aten.threshold_backward(tdy, tx, 0.0))
    xd, wd, bd, dyd = (torch.from_numpy(a) for a in data[OTHER_OPS[3]])
    cases[OTHER_OPS[3]] = (lambda: F.linear(xd, wd.T, bd), lambda: (dyd @ wd.T, xd.T @ dyd, dyd.sum(0)))
    return cases


def _measure(cases, repeats: int) -> dict[str, list[float]]:
    """``{name: [fwd_median, fwd_best, bwd_median, bwd_best]}`` in seconds."""
    out = {}
    for name, (fwd, bwd) in cases.items():
        out[name] = [*time_stats(fwd, repeats, min_total_s=0.05), *time_stats(bwd, repeats, min_total_s=0.05)]
    return out


def _reference(data, need_dx, ref_images: int, batch: int) -> dict[str, list[float]]:
    from engine import ops

    out = {}
    scale = batch / ref_images
    for name, _, _, _ in CONV_LAYERS:
        x, w, b, dy = (a[:ref_images] if a.ndim == 4 else a for a in data[name])
        f = time_stats(
            lambda x=x, w=w, b=b: ops.conv2d(x, w, b, padding="same", backend="reference"), 3, warmup=0
        )[0]
        g = time_stats(
            lambda x=x, w=w, dy=dy, nd=need_dx[name]: ops.conv2d_backward(
                x, w, dy, padding="same", need_dx=nd, backend="reference"
            ),
            3,
            warmup=0,
        )[0]
        out[name] = [scale * f, scale * g]
    return out


def sweep_chunk(batch: int, repeats: int) -> None:
    """Forward + backward time of conv2 and of the 64x32x32x32->64 conv for several im2col chunk budgets."""
    from engine import ops
    from engine.backends.cpu import conv as cpu_conv

    rng = np.random.default_rng(0)
    shapes = {"conv2 16x16x32->64": (batch, 16, 16, 32, 64), "conv 32x32x32->64": (batch, 32, 32, 32, 64)}
    arrays = {}
    for name, (n, h, w, c, co) in shapes.items():
        arrays[name] = (
            rng.standard_normal((n, h, w, c)).astype(np.float32),
            (rng.standard_normal((3, 3, c, co)) * 0.1).astype(np.float32),
            rng.standard_normal((n, h, w, co)).astype(np.float32),
        )
    original = cpu_conv.COLS_BUDGET_BYTES
    rows = []
    try:
        for mb in (1, 2, 4, 8, 16, 32, 128):
            cpu_conv.COLS_BUDGET_BYTES = mb * 1024 * 1024
            row = [f"{mb} MB"]
            for x, w, dy in arrays.values():
                fm, fb = time_stats(lambda x=x, w=w: ops.conv2d(x, w, padding="same", backend="cpu"), repeats)
                bm, bb = time_stats(
                    lambda x=x, w=w, dy=dy: ops.conv2d_backward(x, w, dy, padding="same", backend="cpu"),
                    repeats,
                )
                row += [_cell(fm, fb), _cell(bm, bb)]
            rows.append(row)
    finally:
        cpu_conv.COLS_BUDGET_BYTES = original
    headers = ["im2col chunk"]
    for name in shapes:
        headers += [f"{name} fwd ms", "bwd ms"]
    print_table(headers, rows, title=f"im2col chunk budget (batch {batch}; median (best))")


def compare_direct(batch: int, repeats: int, rounds: int) -> None:
    """Each 3x3 conv of the seed network and target 3's conv, forward and backward, with the fast paths of
    ``engine.backends.cpu.conv_fast`` (Winograd) and without (the direct im2col + sgemm path), in alternating
    rounds in this process: per round the best of ``repeats`` runs (on a machine shared with other busy
    processes the best run is the one least disturbed by them); the table gives the median over rounds and
    the range."""
    from engine import ops
    from engine.backends.cpu import conv_fast

    layers = [(f"{n} {hw[0]}x{hw[1]}x{hw[2]}->{c}", hw, c, nd) for n, hw, c, nd in CONV_LAYERS]
    layers.append(("target 3 32x32x32->64", (32, 32, 32), 64, True))
    rng = np.random.default_rng(0)
    arrays = []
    for name, (h, w, c), co, nd in layers:
        x = rng.standard_normal((batch, h, w, c)).astype(np.float32)
        wt = (rng.standard_normal((3, 3, c, co)) * 0.1).astype(np.float32)
        dy = rng.standard_normal((batch, h, w, co)).astype(np.float32)
        arrays.append((name, x, wt, dy, nd, conv_flops(batch, (h, w, c), co)))
    threshold = conv_fast.MIN_WINOGRAD_TILES_PER_THREAD
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    try:
        for _ in range(rounds):
            for path, tiles in (("direct", 10**12), ("fast", threshold)):
                conv_fast.MIN_WINOGRAD_TILES_PER_THREAD = tiles
                for name, x, wt, dy, nd, _ in arrays:
                    f = time_stats(
                        lambda x=x, wt=wt: ops.conv2d(x, wt, padding="same", backend="cpu"), repeats
                    )
                    g = time_stats(
                        lambda x=x, wt=wt, dy=dy, nd=nd: ops.conv2d_backward(
                            x, wt, dy, padding="same", need_dx=nd, backend="cpu"
                        ),
                        repeats,
                    )
                    times.setdefault((name, path), []).append((f[1], g[1]))
    finally:
        conv_fast.MIN_WINOGRAD_TILES_PER_THREAD = threshold
    roof = sgemm_gflops()
    rows = []
    for name, _, _, _, _, flops in arrays:
        d = np.array(times[(name, "direct")]) * 1e3
        f = np.array(times[(name, "fast")]) * 1e3
        row = [name]
        for k in (0, 1):
            dm, fm = float(np.median(d[:, k])), float(np.median(f[:, k]))
            ratios = d[:, k] / f[:, k]
            row += [
                f"{dm:.2f} [{d[:, k].min():.2f}-{d[:, k].max():.2f}]",
                f"{fm:.2f} [{f[:, k].min():.2f}-{f[:, k].max():.2f}]",
                f"{np.median(ratios):.2f}x [{ratios.min():.2f}-{ratios.max():.2f}]",
            ]
        row.append(f"{flops / (float(np.median(f[:, 0])) * 1e-3) / 1e9 / roof:.2f}")
        rows.append(row)
    print_table(
        [
            f"layer (batch {batch})",
            "fwd direct ms",
            "fwd fast ms",
            "fwd speed-up",
            "bwd direct ms",
            "bwd fast ms",
            "bwd speed-up",
            "fast fwd / sgemm",
        ],
        rows,
        title=f"Fast paths (Winograd) vs the direct path: best of {repeats} runs per round, median [range] "
        f"over {rounds} alternating rounds; "
        f"sgemm {roof:.1f} GFLOP/s; GFLOP/s counted as direct-convolution FLOPs (Winograd may exceed 1.0)",
    )


def _cell(median: float, best: float, digits: str = ".2f") -> str:
    return f"{median * 1e3:{digits}} ({best * 1e3:{digits}})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of ours and PyTorch")
    parser.add_argument("--ref-images", type=int, default=1, help="images the reference tier is timed on")
    parser.add_argument("--threads", type=int, default=None, help="cap every thread pool (both sides) to N")
    parser.add_argument("--sweep-chunk", action="store_true", help="only compare im2col chunk budgets")
    parser.add_argument(
        "--compare-direct",
        type=int,
        metavar="ROUNDS",
        default=0,
        help="only compare the convs with and without the fast paths (Winograd), ROUNDS alternating rounds",
    )
    parser.add_argument(
        "--peer", action="store_true", help=argparse.SUPPRESS
    )  # child: time PyTorch, print JSON
    args = parser.parse_args(argv)
    if not args.peer:
        tune_engine()  # the app's process settings (engine.tuning), before anything is timed
    if args.compare_direct:
        print(machine_line())
        compare_direct(args.batch, args.repeats, args.compare_direct)
        print(
            f"\nload average at the end: {load_average()} (other processes on the cores inflate the medians)"
        )
        return 0
    if args.sweep_chunk:
        print(machine_line())
        sweep_chunk(args.batch, args.repeats)
        return 0
    need_dx = {name: nd for name, _, _, nd in CONV_LAYERS}
    data = _data(args.batch)
    if args.peer:
        import torch

        torch.set_num_threads(thread_count())
        print(
            json.dumps(
                {
                    "torch": torch.__version__,
                    "threads": torch.get_num_threads(),
                    "times": _measure(_torch_cases(data, need_dx), args.repeats),
                }
            )
        )
        return 0
    print(machine_line())
    roof = sgemm_gflops()
    print(f"sgemm roofline (numpy float32 2048^3 matmul, same run): {roof:.1f} GFLOP/s")
    cases = _ours(data, need_dx)
    ref = _reference(data, need_dx, args.ref_images, args.batch)
    if not torch_installed():
        print("PyTorch not installed: the torch columns are empty (pip install torch==2.13.0 to fill them)")
    # ours in this process and PyTorch in a child, one after the other, round after round: load from other
    # processes that comes and goes hits both sides alike, and the per-round ratios show how much it moved
    ours_rounds: list[dict[str, list[float]]] = []
    theirs_rounds: list[dict[str, list[float]]] = []
    peer = None
    for _ in range(max(1, args.rounds)):
        ours_rounds.append(_measure(cases, args.repeats))
        if torch_installed():
            got = run_peer(
                __file__,
                ["--batch", str(args.batch), "--repeats", str(args.repeats)]
                + ([f"--threads={args.threads}"] if args.threads else []),
            )
            if got:
                peer = got
                theirs_rounds.append(got["times"])
    ours = {name: [float(v) for v in np.median([r[name] for r in ours_rounds], axis=0)] for name in cases}
    if peer:
        print(
            f"PyTorch {peer['torch']} with {peer['threads']} threads, timed in a child process; "
            f"{len(ours_rounds)} alternating round(s), torch/ours = median [range] of the per-round ratios"
        )
    paired = list(zip(ours_rounds, theirs_rounds, strict=False))

    def ratio(name: str, k: int) -> str:
        """PyTorch's median over ours, per round (k = 0 forward, 2 backward): median [min-max]."""
        if not paired:
            return "-"
        rs = [t[name][k] / o[name][k] for o, t in paired]
        return f"{np.median(rs):.2f}" + (f" [{min(rs):.2f}-{max(rs):.2f}]" if len(rs) > 1 else "")

    rows = []
    for name, hw, c_out, nd in CONV_LAYERS:
        fm, fb, bm, bb = ours[name]
        flops = conv_flops(args.batch, hw, c_out)
        bflops = flops * (2 if nd else 1)
        rows.append(
            [
                f"{name} {hw[0]}x{hw[1]}x{hw[2]}->{c_out}",
                _cell(fm, fb),
                f"{flops / fm / 1e9:.1f} ({flops / fb / 1e9:.1f})",
                f"{ref[name][0] / fm:.0f}",
                ratio(name, 0),
                _cell(bm, bb),
                f"{bflops / bm / 1e9:.1f} ({bflops / bb / 1e9:.1f})",
                f"{ref[name][1] / bm:.0f}",
                ratio(name, 2),
            ]
        )
    print_table(
        [
            f"layer (batch {args.batch})",
            "fwd ms",
            "fwd GFLOP/s",
            "fwd x ref",
            "fwd torch/ours",
            "bwd ms",
            "bwd GFLOP/s",
            "bwd x ref",
            "bwd torch/ours",
        ],
        rows,
        title="Convolutions, 3x3 'same': median (best) of runs; torch/ours > 1 means we are faster; "
        f"reference timed on {args.ref_images} image(s) and scaled",
    )
    rows = []
    for name in OTHER_OPS:
        fm, fb, bm, bb = ours[name]
        rows.append([name, _cell(fm, fb, ".3f"), ratio(name, 0), _cell(bm, bb, ".3f"), ratio(name, 2)])
    print_table(
        [f"op (batch {args.batch})", "fwd ms", "fwd torch/ours", "bwd ms", "bwd torch/ours"],
        rows,
        title="Other layers of the seed network",
    )
    print(f"\nload average at the end: {load_average()} (other processes on the cores inflate the medians)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
