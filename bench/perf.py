"""The five performance targets of ConvScope (issue 17), each as a ratio measured in the same run.

Run: ``python bench/perf.py [--rounds 5] [--epoch-images 1024] [--skip-startup] [--threads N]``.

The header names the processor, its vector extensions (``/proc/cpuinfo``), its caches and NumPy's float32
sgemm rate (the machine's roofline here). Then:

1. Training throughput of the lesson's CIFAR network (Adam, sparse cross-entropy on logits, random data) at
   batch 64: images/s from the median step time, vs PyTorch, in ``--rounds`` alternating rounds (ours, then
   PyTorch in a child process). Target >= 1.5x PyTorch (stretch 2x), and as a share of the machine's limit
   ``3 x forward FLOPs x images/s / sgemm FLOP/s`` >= 0.6. Batches 8 and 256 are printed for context.
2. Every conv layer of that network, forward and backward separately, batch 64 (the cases of
   ``bench/kernels.py``), in the same rounds: the worst of PyTorch's time / ours. Target >= 1.0 (no slower).
3. One conv forward, 64x32x32x32 -> 64 filters, 3x3 'same': its GFLOP/s counted as direct-convolution FLOPs
   over the sgemm's. Target >= 0.9x (a fast algorithm such as Winograd may exceed 1.0).
4. Forward of one image returning every layer's activation (what the GUI draws per frame): our time over
   PyTorch's, alternating rounds. Target <= 0.4x.
5. No regression: startup (``convscope --screenshot`` with a warm Numba cache < 2 s, from an empty one < 30
   s) and peak RSS while training at batch 64, ours over PyTorch's (each in a fresh process) <= 1.0x. (The
   third part, the slow MNIST accuracy test, is ``pytest tests/test_mnist_slow.py``.)

PyTorch (``pip install torch==2.13.0``; a benchmark peer, never an engine dependency) and the memory runs
execute in child processes started by this script, so thread pools and peak RSS never mix.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    cpu_model,
    load_average,
    machine_line,
    per_call_time,
    print_table,
    run_peer,
    sgemm_gflops,
    thread_count,
    threads_from_argv,
    time_stats,
    torch_installed,
    tune_engine,
    vector_extensions,
)

threads_from_argv(sys.argv)  # before NumPy/Numba load, so that --threads caps their pools

import numpy as np  # noqa: E402  (after threads_from_argv: the thread caps must be set before NumPy loads)

BATCHES = (8, 64, 256)
CONV = (64, 32, 32, 32, 64)  # N, H, W, C_in, C_out of target 3
# the lesson network's layers: (H, W, C_in, C_out) of the 3x3 'same' convs, (D_in, D_out) of the dense ones
LESSON_CONVS = ((32, 32, 3, 32), (16, 16, 32, 64), (8, 8, 64, 64))
LESSON_DENSE = ((8 * 8 * 64, 64), (64, 10))


def lesson_forward_flops() -> float:
    """FLOPs (2 per multiply-add) of one 32x32x3 image's forward pass through the lesson network (convs and
    dense layers; bias, ReLU and pooling are a fraction of a percent)."""
    convs = sum(2.0 * h * w * 9 * c * k for h, w, c, k in LESSON_CONVS)
    return convs + sum(2.0 * d * k for d, k in LESSON_DENSE)


REPO = Path(__file__).resolve().parent.parent


def _data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((n, 32, 32, 3), dtype=np.float32), rng.integers(0, 10, n).astype(np.int64)


def _peak_rss_mb() -> float:
    """This process's peak resident memory (MB): ``VmHWM`` (``ru_maxrss`` would carry the parent's peak
    across fork/exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


# ------------------------------------------------------------------------------------------------ our side
def _our_model():
    from engine import losses, optimizers, zoo

    model = zoo.lesson((32, 32, 3), 10, seed=0)
    model.compile(
        optimizer=optimizers.Adam(learning_rate=1e-3),
        loss=losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def _steps(step, x: np.ndarray, y: np.ndarray, batch: int) -> list[float]:
    """Time ``step(xb, yb)`` on every full batch of ``(x, y)`` after two warm-up steps; seconds per step."""
    step(x[:batch], y[:batch])
    step(x[:batch], y[:batch])
    times = []
    for start in range(0, x.shape[0] - batch + 1, batch):
        t0 = time.perf_counter()
        step(x[start : start + batch], y[start : start + batch])
        times.append(time.perf_counter() - t0)
    return times


def ours_throughput(epoch_images: int, batches: tuple[int, ...] = BATCHES) -> dict[str, float]:
    out = {}
    for batch in batches:
        model = _our_model()
        x, y = _data(max(epoch_images, 3 * batch))
        times = _steps(model.train_on_batch, x, y, batch)
        out[str(batch)] = batch / float(np.median(times))
    return out


def conv_layer_times(side: str, repeats: int) -> dict[str, list[float]]:
    """``{layer: [fwd_median, fwd_best, bwd_median, bwd_best]}`` (seconds) for the lesson network's conv
    layers at batch 64, the cases of ``bench/kernels.py`` (``side``: "ours" or "torch")."""
    import kernels

    need_dx = {name: nd for name, _, _, nd in kernels.CONV_LAYERS}
    data = kernels._data(64)
    cases = kernels._ours(data, need_dx) if side == "ours" else kernels._torch_cases(data, need_dx)
    return kernels._measure({name: cases[name] for name in need_dx}, repeats)


def ours_activations() -> float:
    model = _our_model()
    x1 = _data(1)[0]
    return per_call_time(lambda: model.activations(x1))


def ours_conv(repeats: int) -> float:
    from engine import ops

    n, h, w, c, co = CONV
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, h, w, c)).astype(np.float32)
    wt = (rng.standard_normal((3, 3, c, co)) * 0.1).astype(np.float32)
    b = np.zeros(co, np.float32)
    t = time_stats(lambda: ops.conv2d(x, wt, b, padding="same", backend="cpu"), repeats)[0]
    return 2.0 * n * h * w * 9 * c * co / t / 1e9


def ours_memory(batch: int, steps: int) -> dict[str, float]:
    tune_engine()
    base = _peak_rss_mb()
    model = _our_model()
    x, y = _data(batch * steps)
    for start in range(0, x.shape[0], batch):
        model.train_on_batch(x[start : start + batch], y[start : start + batch])
    return {"peak_mb": _peak_rss_mb(), "base_mb": base}


# ---------------------------------------------------------------------------------------------- PyTorch side
def _torch_model(torch):
    nn = torch.nn
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3, padding=1),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(8 * 8 * 64, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )


def _torch_trainer(torch):
    model = _torch_model(torch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(
            model(torch.from_numpy(np.ascontiguousarray(xb.transpose(0, 3, 1, 2)))), torch.from_numpy(yb)
        )
        loss.backward()
        opt.step()
        return float(loss)

    return step


def torch_activations(torch) -> float:
    """Seconds per one-image forward pass keeping every layer's output (what the GUI draws per frame)."""
    model = _torch_model(torch).eval()
    x1 = torch.from_numpy(np.ascontiguousarray(_data(1)[0].transpose(0, 3, 1, 2)))

    def every_activation():
        with torch.no_grad():
            outs, h = [], x1
            for layer in model:
                h = layer(h)
                outs.append(h)
        return outs

    return per_call_time(every_activation)


def torch_peer(kind: str, args: argparse.Namespace) -> dict:
    import torch

    torch.set_num_threads(thread_count())
    if kind == "torch-mem":
        base = _peak_rss_mb()
        step = _torch_trainer(torch)
        x, y = _data(64 * args.mem_steps)
        for start in range(0, x.shape[0], 64):
            step(x[start : start + 64], y[start : start + 64])
        return {"peak_mb": _peak_rss_mb(), "base_mb": base}
    if kind == "torch-act":
        return {"activations_s": torch_activations(torch)}
    if kind == "torch-round":
        step = _torch_trainer(torch)
        x, y = _data(max(args.epoch_images, 3 * 64))
        return {
            "ips64": 64 / float(np.median(_steps(step, x, y, 64))),
            "convs": conv_layer_times("torch", args.repeats),
        }
    out: dict = {"torch": torch.__version__, "threads": torch.get_num_threads(), "throughput": {}}
    for batch in BATCHES:
        step = _torch_trainer(torch)
        x, y = _data(max(args.epoch_images, 3 * batch))
        out["throughput"][str(batch)] = batch / float(np.median(_steps(step, x, y, batch)))
    n, h, w, c, co = CONV
    tx, tw = torch.randn(n, c, h, w), torch.randn(co, c, 3, 3)
    with torch.no_grad():
        t = time_stats(lambda: torch.nn.functional.conv2d(tx, tw, padding=1), args.repeats)[0]
    out["conv_gflops"] = 2.0 * n * h * w * 9 * c * co / t / 1e9
    a = torch.randn(2048, 2048)
    out["sgemm_gflops"] = 2.0 * 2048**3 / time_stats(lambda: a @ a, 5, warmup=1)[0] / 1e9
    return out


# ------------------------------------------------------------------------------------------------- startup
def startup_seconds(cache_dir: str, timeout_s: float) -> tuple[float | None, str]:
    """Wall time of ``convscope --screenshot`` (offscreen Qt) with ``NUMBA_CACHE_DIR=cache_dir``."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable,
            "-c",
            "import sys; from gui.launcher import main; sys.exit(main())",
            "--screenshot",
            str(Path(tmp) / "shot.png"),
        ]
        t0 = time.perf_counter()
        try:
            done = subprocess.run(
                cmd, env=env, capture_output=True, text=True, timeout=timeout_s, cwd=REPO, check=False
            )
        except subprocess.TimeoutExpired:
            return None, f"timed out after {timeout_s:.0f} s"
        elapsed = time.perf_counter() - t0
        if done.returncode != 0 or not (Path(tmp) / "shot.png").exists():
            return None, f"failed (rc={done.returncode}): {(done.stderr or done.stdout).strip()[-300:]}"
    return elapsed, "ok"


# ---------------------------------------------------------------------------------------------------- main
def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT met")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--epoch-images", type=int, default=1024, help="random images per timed epoch")
    p.add_argument("--repeats", type=int, default=9)
    p.add_argument("--mem-steps", type=int, default=8, help="batches of 64 in the memory runs")
    p.add_argument("--skip-startup", action="store_true")
    p.add_argument("--threads", type=int, default=None, help="cap every thread pool (both sides) to N")
    p.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="targets 1, 2 and 4: rounds of (ours, PyTorch) one after the other; medians are compared",
    )
    p.add_argument(
        "--peer",
        choices=["torch", "torch-mem", "torch-act", "torch-round", "ours-mem"],
        help=argparse.SUPPRESS,
    )
    args = p.parse_args(argv)
    if args.peer:
        result = ours_memory(64, args.mem_steps) if args.peer == "ours-mem" else torch_peer(args.peer, args)
        print(json.dumps(result))
        return 0

    from engine.backends.cpu.workspace import cache_sizes

    caches = cache_sizes()
    print(machine_line())
    print(
        f"cpu: {cpu_model()}; vector extensions: {', '.join(vector_extensions()) or 'unknown'}; caches: L1d "
        f"{caches.l1d // 1024} KiB, L2 {caches.l2 // 1024} KiB, L3 {caches.l3 // 1024} KiB ({caches.source})"
    )
    print(f"engine tuning: {tune_engine()}")
    fwd = [
        f"--epoch-images={args.epoch_images}",
        f"--repeats={args.repeats}",
        f"--mem-steps={args.mem_steps}",
    ]
    if args.threads:
        fwd.append(f"--threads={args.threads}")
    have_torch = torch_installed()
    if not have_torch:
        print("PyTorch not installed: ratios against it are n/a (pip install torch==2.13.0)")

    # targets 1, 2 and 4: ours, then PyTorch in a child, round after round (load from other processes that
    # comes and goes then hits both sides alike; the per-round ratios show how much it moved)
    # the sgemm rate and target 3's conv are measured in every round too, so that each round's shares are
    # taken against the sgemm rate of the same moment
    ips_ours, ips_theirs, convs_ours, convs_theirs, act_ours, act_theirs = [], [], [], [], [], []
    sgemms, conv_gfs = [], []
    for _ in range(max(1, args.rounds)):
        sgemms.append(sgemm_gflops(repeats=3))
        conv_gfs.append(ours_conv(args.repeats))
        ips_ours.append(ours_throughput(args.epoch_images, (64,))["64"])
        convs_ours.append(conv_layer_times("ours", args.repeats))
        act_ours.append(ours_activations())
        if have_torch:
            r = _child(fwd, "torch-round")
            if r:
                ips_theirs.append(r["ips64"])
                convs_theirs.append(r["convs"])
            a = _child(fwd, "torch-act")
            if a:
                act_theirs.append(a["activations_s"])
    others = ours_throughput(args.epoch_images, (8, 256))
    sgemm = float(np.median(sgemms))
    print(f"numpy float32 sgemm (2048^3), GFLOP/s per round: {', '.join(f'{g:.1f}' for g in sgemms)}")
    mem = _child(fwd, "ours-mem")
    peer = _child(fwd, "torch") if have_torch else None
    peer_mem = _child(fwd, "torch-mem") if have_torch else None
    if peer:
        print(f"PyTorch {peer['torch']} with {peer['threads']} threads, timed in child processes")

    def span(values: list[float], spec: str = ".2f") -> str:
        return f"{np.median(values):{spec}}" + (
            f" [{min(values):{spec}}-{max(values):{spec}}]" if len(values) > 1 else ""
        )

    rows = []
    ips = float(np.median(ips_ours))
    ratios = [o / t for o, t in zip(ips_ours, ips_theirs, strict=False)]
    rows.append(
        [
            "1. training images/s, batch 64, Adam",
            span(ips_ours, ".0f"),
            span(ips_theirs, ".0f") if ips_theirs else "-",
            f"{span(ratios)}x" if ratios else "-",
            ">= 1.5x (stretch 2x)",
            _verdict(None if not ratios else float(np.median(ratios)) >= 1.5),
        ]
    )
    flops = lesson_forward_flops()
    shares = [3.0 * flops * i / (g * 1e9) for i, g in zip(ips_ours, sgemms, strict=True)]
    share = float(np.median(shares))
    rows.append(
        [
            "1b. share of the limit 3 x fwd FLOPs x img/s / sgemm",
            f"{ips:.0f} img/s",
            f"limit {sgemm * 1e9 / (3.0 * flops):.0f} img/s",
            span(shares),
            ">= 0.6",
            _verdict(share >= 0.6),
        ]
    )
    for batch in (8, 256):
        theirs = peer["throughput"][str(batch)] if peer else None
        rows.append(
            [
                f"   (batch {batch}, one run each)",
                f"{others[str(batch)]:.0f}",
                f"{theirs:.0f}" if theirs else "-",
                f"{others[str(batch)] / theirs:.2f}x" if theirs else "-",
                "",
                "",
            ]
        )
    if convs_theirs:
        worst_name, worst = "", float("inf")
        per_layer = []
        for name in convs_ours[0]:
            cells = []
            for k, label in ((0, "fwd"), (2, "bwd")):
                rs = [t[name][k] / o[name][k] for o, t in zip(convs_ours, convs_theirs, strict=False)]
                med = float(np.median(rs))
                cells.append(f"{label} {med:.2f}")
                if med < worst:
                    worst_name, worst = f"{name} {label}", med
            per_layer.append(f"{name} {' / '.join(cells)}")
        rows.append(
            [
                "2. conv layers, PyTorch's time / ours, worst",
                worst_name,
                "-",
                f"{worst:.2f}",
                ">= 1.0 each",
                _verdict(worst >= 1.0),
            ]
        )
    else:
        per_layer = []
        rows.append(["2. conv layers, PyTorch's time / ours, worst", "-", "-", "-", ">= 1.0 each", "n/a"])
    conv_shares = [c / g for c, g in zip(conv_gfs, sgemms, strict=True)]
    ratio = float(np.median(conv_shares))
    rows.append(
        [
            "3. conv 64x32x32x32->64 GFLOP/s vs numpy sgemm",
            f"{span(conv_gfs, '.1f')} (direct-conv FLOPs)",
            f"{span(sgemms, '.1f')} (sgemm)",
            f"{span(conv_shares)}x" + (" (> 1: Winograd's fewer multiplications)" if ratio > 1.0 else ""),
            ">= 0.9x",
            _verdict(ratio >= 0.9),
        ]
    )
    if peer:
        rows.append(
            [
                "   (PyTorch's conv GFLOP/s, its sgemm)",
                "-",
                f"{peer['conv_gflops']:.1f}, {peer['sgemm_gflops']:.1f}",
                f"{peer['conv_gflops'] / sgemm:.2f}x of numpy's sgemm",
                "",
                "",
            ]
        )
    act_ratios = [o / t for o, t in zip(act_ours, act_theirs, strict=False)]
    rows.append(
        [
            "4. one-image forward, every activation (ms)",
            span([a * 1e3 for a in act_ours], ".3f"),
            span([a * 1e3 for a in act_theirs], ".3f") if act_theirs else "-",
            f"{span(act_ratios, '.3f')}x" if act_ratios else "-",
            "<= 0.4x",
            _verdict(None if not act_ratios else float(np.median(act_ratios)) <= 0.4),
        ]
    )
    if args.skip_startup:
        rows.append(["5a. startup --screenshot", "skipped", "-", "-", "< 2 s warm, < 30 s cold", "n/a"])
    else:
        with tempfile.TemporaryDirectory() as cache:
            cold, msg_c = startup_seconds(cache, 180.0)
            warm, msg_w = startup_seconds(cache, 60.0)
        rows.append(
            [
                "5a. startup, warm Numba cache (s)",
                f"{warm:.2f}" if warm else msg_w,
                "-",
                "-",
                "< 2 s",
                _verdict(None if warm is None else warm < 2.0),
            ]
        )
        rows.append(
            [
                "5b. startup, empty Numba cache (s)",
                f"{cold:.2f}" if cold else msg_c,
                "-",
                "-",
                "< 30 s",
                _verdict(None if cold is None else cold < 30.0),
            ]
        )
    if mem:
        theirs_mb = peer_mem["peak_mb"] if peer_mem else None
        ratio = mem["peak_mb"] / theirs_mb if theirs_mb else None
        rows.append(
            [
                "5c. peak RSS training batch 64 (MB)",
                f"{mem['peak_mb']:.0f}",
                f"{theirs_mb:.0f}" if theirs_mb else "-",
                f"{ratio:.2f}x" if ratio else "-",
                "<= 1.0x",
                _verdict(None if ratio is None else ratio <= 1.0),
            ]
        )
        if peer_mem:
            rows.append(
                [
                    "   (above the process after imports)",
                    f"{mem['peak_mb'] - mem['base_mb']:.0f}",
                    f"{peer_mem['peak_mb'] - peer_mem['base_mb']:.0f}",
                    "",
                    "",
                    "",
                ]
            )
    print_table(
        ["target", "ours", "PyTorch / roofline", "ratio", "goal", "verdict"],
        rows,
        title=f"ConvScope performance targets (median [range] over {max(1, args.rounds)} alternating rounds)",
    )
    if per_layer:
        print("\ntarget 2 per layer, PyTorch's time / ours (median of rounds): " + "; ".join(per_layer))
    print(f"target 1 rounds, ratio: {', '.join(f'{r:.2f}' for r in ratios) or '-'}")
    print(f"load average at the end: {load_average()} (other processes on the cores inflate every figure)")
    return 0


def _child(fwd: list[str], kind: str) -> dict | None:
    """Run this script as ``--peer kind`` in a fresh process and return its JSON result."""
    return run_peer(__file__, [kind, *fwd])


if __name__ == "__main__":
    raise SystemExit(main())
