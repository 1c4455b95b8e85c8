"""The five performance targets of ConvScope (issue 8), each as a ratio measured in the same run.

Run: ``python bench/perf.py [--epoch-images 1024] [--skip-startup]``.

1. Training throughput of the lesson's CIFAR network (Adam, sparse cross-entropy on logits, random data) at
   batch 8, 64 and 256: images/s from the median step time, vs PyTorch. Target >= 1.0x.
2. Forward of one image returning every layer's activation (what the GUI draws per frame): our time over
   PyTorch's. Target <= 0.5x.
3. One conv forward, 64x32x32x32 -> 64 filters, 3x3 'same': its GFLOP/s over a large float32 sgemm's (NumPy's
   BLAS, same run). Target >= 0.7x.
4. Startup: ``convscope --screenshot`` with a warm Numba cache (target < 2 s) and from an empty cache (< 30
   s).
5. Peak RSS while training at batch 64, ours over PyTorch's (each in a fresh process). Target <= 1.0x.

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
)

threads_from_argv(sys.argv)  # before NumPy/Numba load, so that --threads caps their pools

import numpy as np  # noqa: E402  (after threads_from_argv: the thread caps must be set before NumPy loads)

BATCHES = (8, 64, 256)
CONV = (64, 32, 32, 32, 64)  # N, H, W, C_in, C_out of target 3
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


def ours_throughput(epoch_images: int) -> dict[str, float]:
    out = {}
    for batch in BATCHES:
        model = _our_model()
        x, y = _data(max(epoch_images, 3 * batch))
        times = _steps(model.train_on_batch, x, y, batch)
        out[str(batch)] = batch / float(np.median(times))
    return out


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
        "--act-rounds",
        type=int,
        default=3,
        help="target 2: rounds of (ours, PyTorch) measured one after the other; medians are compared",
    )
    p.add_argument("--peer", choices=["torch", "torch-mem", "torch-act", "ours-mem"], help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.peer:
        result = ours_memory(64, args.mem_steps) if args.peer == "ours-mem" else torch_peer(args.peer, args)
        print(json.dumps(result))
        return 0

    print(machine_line())
    print(f"engine tuning: {tune_engine()}")
    fwd = [
        f"--epoch-images={args.epoch_images}",
        f"--repeats={args.repeats}",
        f"--mem-steps={args.mem_steps}",
    ]
    if args.threads:
        fwd.append(f"--threads={args.threads}")
    sgemm = sgemm_gflops()
    thr = ours_throughput(args.epoch_images)
    # target 2 takes a fraction of a millisecond per call, so a few seconds of noise from other processes
    # can move one side alone: the two sides are measured in alternating rounds and their medians compared
    ours_act, theirs_act_rounds = [], []
    for _ in range(max(1, args.act_rounds)):
        ours_act.append(ours_activations())
        if torch_installed():
            r = _child(fwd, "torch-act")
            if r:
                theirs_act_rounds.append(r["activations_s"])
    act_s = float(np.median(ours_act))
    conv_gf = ours_conv(args.repeats)
    mem = _child(fwd, "ours-mem")
    peer = _child(fwd, "torch") if torch_installed() else None
    peer_mem = _child(fwd, "torch-mem") if torch_installed() else None
    if not torch_installed():
        print("PyTorch not installed: ratios against it are n/a (pip install torch==2.13.0)")
    elif peer:
        print(f"PyTorch {peer['torch']} with {peer['threads']} threads, timed in child processes")

    rows = []
    for batch in BATCHES:
        ours_ips = thr[str(batch)]
        theirs = peer["throughput"][str(batch)] if peer else None
        ratio = ours_ips / theirs if theirs else None
        rows.append(
            [
                f"1. training images/s, batch {batch}",
                f"{ours_ips:.0f}",
                f"{theirs:.0f}" if theirs else "-",
                f"{ratio:.2f}x" if ratio else "-",
                ">= 1.0x",
                _verdict(None if ratio is None else ratio >= 1.0),
            ]
        )
    theirs_act = float(np.median(theirs_act_rounds)) if theirs_act_rounds else None
    ratio = act_s / theirs_act if theirs_act else None
    rows.append(
        [
            "2. one-image forward, every activation (ms)",
            f"{act_s * 1e3:.3f}",
            f"{theirs_act * 1e3:.3f}" if theirs_act else "-",
            f"{ratio:.3f}x" if ratio else "-",
            "<= 0.5x",
            _verdict(None if ratio is None else ratio <= 0.5),
        ]
    )
    ratio = conv_gf / sgemm
    rows.append(
        [
            "3. conv 64x32x32x32->64 GFLOP/s vs numpy sgemm",
            f"{conv_gf:.1f}",
            f"{sgemm:.1f} (sgemm)",
            f"{ratio:.2f}x",
            ">= 0.7x",
            _verdict(ratio >= 0.7),
        ]
    )
    if peer:
        rows.append(
            [
                "   (PyTorch's conv GFLOP/s, its sgemm)",
                "-",
                f"{peer['conv_gflops']:.1f}, {peer['sgemm_gflops']:.1f}",
                f"{peer['conv_gflops'] / peer['sgemm_gflops']:.2f}x",
                "",
                "",
            ]
        )
    if args.skip_startup:
        rows.append(["4. startup --screenshot", "skipped", "-", "-", "< 2 s warm, < 30 s cold", "n/a"])
    else:
        with tempfile.TemporaryDirectory() as cache:
            cold, msg_c = startup_seconds(cache, 180.0)
            warm, msg_w = startup_seconds(cache, 60.0)
        rows.append(
            [
                "4a. startup, warm Numba cache (s)",
                f"{warm:.2f}" if warm else msg_w,
                "-",
                "-",
                "< 2 s",
                _verdict(None if warm is None else warm < 2.0),
            ]
        )
        rows.append(
            [
                "4b. startup, empty Numba cache (s)",
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
                "5. peak RSS training batch 64 (MB)",
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
        title="ConvScope performance targets (medians; same run)",
    )
    print(
        f"\ntarget 2 rounds (ms), ours: {', '.join(f'{t * 1e3:.3f}' for t in ours_act)}; PyTorch: "
        f"{', '.join(f'{t * 1e3:.3f}' for t in theirs_act_rounds) or '-'}"
    )
    print(f"load average at the end: {load_average()} (other processes on the cores inflate every figure)")
    return 0


def _child(fwd: list[str], kind: str) -> dict | None:
    """Run this script as ``--peer kind`` in a fresh process and return its JSON result."""
    return run_peer(__file__, [kind, *fwd])


if __name__ == "__main__":
    raise SystemExit(main())
