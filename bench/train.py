"""Training speed: images/second for one epoch of the lesson's CIFAR network (batch 64, Adam).

Runs ConvScope on the chosen backend (default ``cpu``) and, when PyTorch is installed, the same network in
PyTorch in the same run (in a child process, so that PyTorch's OpenMP pool never shares a process with
Numba's; same thread count), then prints the ratio. Data are random 32x32x3 images of 10 classes (the speed
does not depend on the pixels). One warm-up batch compiles the kernels; then ``--epochs`` epochs are timed and
the median and best epoch are reported (the machine's load average is printed: other processes make timings
noisy).

    python bench/train.py [--samples 2048] [--batch-size 64] [--epochs 2] [--backend cpu] [--threads N]
    [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import load_average, machine_line, run_peer, torch_installed, tune_engine


def convscope_images_per_second(
    x: np.ndarray, y: np.ndarray, batch_size: int, backend: str, epochs: int
) -> dict:
    import engine
    from engine import losses, optimizers, zoo

    engine.set_backend(backend)
    model = zoo.build("lesson", x.shape[1:], 10, seed=0)
    model.compile(optimizers.Adam(1e-3), losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"])
    t0 = time.perf_counter()
    model.train_on_batch(x[:batch_size], y[:batch_size])  # compiles (or loads cached) kernels
    warmup = time.perf_counter() - t0
    rates = []
    for epoch in range(epochs):
        t0 = time.perf_counter()
        history = model.fit(x, y, epochs=1, batch_size=batch_size, shuffle=True, seed=epoch, verbose=0)
        rates.append(x.shape[0] / (time.perf_counter() - t0))
    return {
        "images_per_second": float(np.median(rates)),
        "best_images_per_second": max(rates),
        "warmup_seconds": warmup,
        "loss": history.history["loss"][0],
    }


def torch_images_per_second(
    x: np.ndarray, y: np.ndarray, batch_size: int, threads: int, epochs: int
) -> dict | None:
    import torch
    from torch import nn

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3, padding=1),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(64 * (x.shape[1] // 4) * (x.shape[2] // 4), 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))  # (N, C, H, W)
    yt = torch.from_numpy(y.astype(np.int64))

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(xb), yb)
        loss.backward()
        opt.step()
        return loss

    step(xt[:batch_size], yt[:batch_size])  # warm-up
    rates = []
    for epoch in range(epochs):
        order = torch.randperm(xt.shape[0], generator=torch.Generator().manual_seed(epoch))
        t0 = time.perf_counter()
        for start in range(0, xt.shape[0], batch_size):
            idx = order[start : start + batch_size]
            step(xt[idx], yt[idx])
        rates.append(x.shape[0] / (time.perf_counter() - t0))
    return {
        "images_per_second": float(np.median(rates)),
        "best_images_per_second": max(rates),
        "version": torch.__version__,
    }


def _data(samples: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((samples, 32, 32, 3), dtype=np.float32), rng.integers(0, 10, samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=2048, help="images per epoch (default 2048)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument(
        "--epochs", type=int, default=2, help="timed epochs; the median is reported (default 2)"
    )
    parser.add_argument("--backend", default="cpu", choices=("cpu", "reference", "cuda"))
    parser.add_argument("--threads", type=int, default=None, help="threads for both (default: numba's count)")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--peer", action="store_true", help=argparse.SUPPRESS
    )  # child: time PyTorch, print JSON
    args = parser.parse_args(argv)
    epochs = max(1, args.epochs)

    if args.peer:
        x, y = _data(args.samples)
        print(json.dumps(torch_images_per_second(x, y, args.batch_size, args.threads or 1, epochs)))
        return 0

    import numba

    tune_engine()  # the app's process settings (engine.tuning), before anything is timed
    threads = args.threads or numba.get_num_threads()
    numba.set_num_threads(threads)
    x, y = _data(args.samples)
    result: dict = {
        "network": "lesson CIFAR CNN (conv32-pool-conv64-pool-conv64-dense64-dense10)",
        "samples": args.samples,
        "batch_size": args.batch_size,
        "optimizer": "Adam",
        "threads": threads,
        "cpu_count": os.cpu_count(),
        "backend": args.backend,
        "load_average_before": load_average(),
    }
    result["convscope"] = convscope_images_per_second(x, y, args.batch_size, args.backend, epochs)
    result["torch"] = None
    if not args.no_torch and torch_installed():
        result["torch"] = run_peer(
            __file__,
            [
                "--samples",
                str(args.samples),
                "--batch-size",
                str(args.batch_size),
                "--epochs",
                str(epochs),
                "--threads",
                str(threads),
            ],
        )
    if result["torch"]:
        result["ratio_convscope_over_torch"] = (
            result["convscope"]["images_per_second"] / result["torch"]["images_per_second"]
        )
    result["load_average_after"] = load_average()
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    cs = result["convscope"]
    print(machine_line())
    print(
        f"{result['network']}, {args.samples} images/epoch, batch {args.batch_size}, Adam, "
        f"{threads} thread(s), median of {epochs} epoch(s)"
    )
    print(
        f"ConvScope ({args.backend}): {cs['images_per_second']:8.1f} images/s  "
        f"(best {cs['best_images_per_second']:.1f}, warm-up {cs['warmup_seconds']:.1f} s)"
    )
    if result["torch"]:
        tr = result["torch"]
        print(
            f"PyTorch {tr['version']}: {tr['images_per_second']:8.1f} images/s  "
            f"(best {tr['best_images_per_second']:.1f})"
        )
        print(f"ratio ConvScope / PyTorch: {result['ratio_convscope_over_torch']:.2f}")
    elif not args.no_torch:
        print("PyTorch not installed: no comparison (pip install torch)")
    print(f"load average before/after: {result['load_average_before']} / {result['load_average_after']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
