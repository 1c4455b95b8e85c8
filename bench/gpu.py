"""GPU benchmark of the ``cuda`` tier: the lesson's CIFAR network, per layer and for whole training steps.

Run: ``python bench/gpu.py [--batch 256] [--repeats 10]`` on a machine with an NVIDIA GPU (``pip install -e
'.[cuda]'``). Without one it says "no CUDA device" and exits 0.

It prints, for the seed network (the lesson's CIFAR model: conv32-pool-conv64-pool-conv64, Flatten, Dense(64),
Dense(10), 32x32x3 inputs):

* forward and backward median time of every layer (its own ``forward``/``backward``) with its input and
  weights already on the device, in a training session (:mod:`engine.session`; the activation is part of its
  conv/dense layer; the first conv's backward skips ``dx``, as in training);
* images/second of a full training step at the chosen batch (Adam, sparse cross-entropy from logits): one
  ``next()`` of ``model.fit_steps``, the loop ``fit`` and the GUI use (batch copied in, loss/accuracy out);
* the same for PyTorch on the same GPU when it is importable, and the ratio (> 1 means ConvScope is faster).

Every device timing synchronises the device before the clock stops.

``--check-ptx`` needs no GPU, only NVVM and NVRTC (installed by ``.[cuda]``): it compiles every kernel of the
tier for a real device (``sm_80``, the float32 signatures the host wrappers launch with) and counts the
float64 instructions in the PTX, which must be zero (the simulator would not notice float64 or a typing
error). ``--allow-simulator`` runs it under ``NUMBA_ENABLE_CUDASIM=1`` on tiny sizes (``--size 8 --batch 2
--repeats 1``) to check the script itself: the simulator narrows the network and its times mean nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import fmt, median_time, print_table

from engine.backends import cuda_guard


def _timer(cuda: Any, repeats: int) -> Callable[[Callable[[], Any]], float]:
    def timed(fn: Callable[[], Any]) -> float:
        def run() -> None:
            fn()
            cuda.synchronize()

        return median_time(run, repeats=repeats, warmup=1)

    return timed


LESSON_WIDTHS = (32, 64, 64, 64)  # conv1, conv2, conv3 filters and Dense units, as in the lesson
SIMULATOR_WIDTHS = (2, 4, 4, 4)  # the same network, narrowed, for the simulator check


def build_lesson(size: int, widths: tuple[int, ...] = LESSON_WIDTHS, classes: int = 10) -> Any:
    """The lesson's network (``engine.zoo.lesson`` with ``LESSON_WIDTHS``), compiled as in the lesson."""
    import engine
    from engine import layers as L

    c1, c2, c3, units = widths
    model = engine.Sequential(
        [
            L.Conv2D(c1, (3, 3), activation="relu", padding="same", input_shape=(size, size, 3)),
            L.MaxPooling2D((2, 2)),
            L.Conv2D(c2, (3, 3), activation="relu", padding="same"),
            L.MaxPooling2D((2, 2)),
            L.Conv2D(c3, (3, 3), activation="relu", padding="same"),
            L.Flatten(),
            L.Dense(units, activation="relu"),
            L.Dense(classes),
        ],
        name="lesson",
        seed=0,
    )
    model.compile(
        optimizer="adam",
        loss=engine.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def bench_layers(batch: int, size: int, repeats: int, widths: tuple[int, ...]) -> list[list[str]]:
    """Per-layer forward/backward times (ms) of the lesson network on the device."""
    from numba import cuda

    from engine.session import hold

    model = build_lesson(size, widths)
    timed = _timer(cuda, repeats)
    rng = np.random.default_rng(0)
    x = cuda.to_device(rng.random((batch, size, size, 3), dtype=np.float32))
    rows = []
    with hold(model, "cuda"):  # weights on the device for the whole measurement
        for i, (_, layer) in enumerate(model.iter_leaves()):
            y = layer.forward(x, training=True)
            t_fwd = timed(partial(layer.forward, x, True))
            dy = cuda.to_device(rng.standard_normal(tuple(y.shape)).astype(np.float32))
            t_bwd = timed(partial(layer.backward, dy, i > 0))
            rows.append(
                [
                    layer.name,
                    str(tuple(x.shape[1:])),
                    str(tuple(y.shape[1:])),
                    fmt(t_fwd * 1e3, ".3f"),
                    fmt(t_bwd * 1e3, ".3f"),
                ]
            )
            x = y
    return rows


def bench_training(batch: int, size: int, repeats: int, widths: tuple[int, ...]) -> float:
    """Images/second of one training batch: one ``next()`` of ``fit_steps`` (batch in from the host, metrics
    out; the weights stay on the device for the whole run)."""
    from numba import cuda

    model = build_lesson(size, widths)
    rng = np.random.default_rng(0)
    x = rng.random((4 * batch, size, size, 3), dtype=np.float32)
    y = rng.integers(0, 10, 4 * batch)
    run = model.fit_steps(x, y, epochs=10**6, batch_size=batch, shuffle=False)

    def one_batch() -> None:
        while next(run)["kind"] != "batch":  # epoch ends (no validation) are passed over
            pass

    try:
        t = _timer(cuda, repeats)(one_batch)
    finally:
        run.close()  # the weights come back once
    return batch / t


def _torch_lesson(torch: Any, size: int) -> Any:
    nn = torch.nn
    flat = 64 * (size // 4) * (size // 4)
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
        nn.Linear(flat, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )


def bench_torch(batch: int, size: int, repeats: int) -> tuple[float, list[tuple[str, float, float]]] | None:
    """PyTorch on the same GPU: training images/second and per-module forward/backward times (s)."""
    try:
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    dev = torch.device("cuda")
    net = _torch_lesson(torch, size).to(dev)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    rng = np.random.default_rng(0)
    xb = rng.random((batch, 3, size, size), dtype=np.float32)
    yb = torch.from_numpy(rng.integers(0, 10, batch))

    def step() -> None:
        x, y = torch.from_numpy(xb).to(dev), yb.to(dev)
        opt.zero_grad(set_to_none=True)
        out = net(x)
        loss = loss_fn(out, y)
        loss.backward()
        opt.step()
        float(loss.detach().cpu())  # metrics out, as ConvScope copies them

    def sync_timed(fn: Callable[[], Any]) -> float:
        def run() -> None:
            fn()
            torch.cuda.synchronize()

        return median_time(run, repeats=repeats, warmup=2)

    ips = batch / sync_timed(step)
    per_layer = []
    x = torch.from_numpy(xb).to(dev)
    for i, module in enumerate(net):
        xi = x.detach().requires_grad_(i > 0)
        with torch.no_grad():
            y = module(xi)
        t_fwd = sync_timed(partial(module, xi))
        out = module(xi)
        dy = torch.randn_like(out)
        inputs = [p for p in module.parameters()] + ([xi] if i > 0 else [])
        t_bwd = (
            sync_timed(partial(torch.autograd.grad, out, inputs, dy, retain_graph=True)) if inputs else 0.0
        )
        per_layer.append((type(module).__name__, t_fwd, t_bwd))
        x = y
    return ips, per_layer


def kernel_signatures() -> dict[str, tuple[Any, tuple[Any, ...]]]:
    """Every kernel of the cuda tier with the argument types its host wrapper launches it with."""
    from numba import types as t

    from engine.backends.cuda import activations as ca
    from engine.backends.cuda import arrays, conv, fully_connected, losses, optimizers, pool

    f1, f2, f4 = t.float32[::1], t.float32[:, ::1], t.float32[:, :, :, ::1]
    i8, b1, f32, lab = t.int64, t.boolean, t.float32, t.int32[::1]
    return {
        "conv_forward": (conv.conv_forward_kernel(16), (f4, f4, f1, f4, i8, i8, i8, i8, b1)),
        "conv_dw": (conv.conv_dw_kernel(16), (f4, f4, f4, i8, i8, i8, i8, b1, i8)),
        "conv_dx": (conv.conv_dx_kernel, (f4, f4, f4, i8, i8, i8, i8, b1)),
        "gemm": (fully_connected.gemm_kernel(16), (f2, f2, f2, f1, b1, b1, b1, i8)),
        "column_sum": (fully_connected.column_sum_kernel, (f2, f1, i8)),
        "fill": (arrays._fill_kernel, (f1, f32)),
        "pool_forward": (pool.pool_forward_kernel, (f4, f4, i8, i8, i8, i8, i8, i8, i8)),
        "pool_backward": (pool.pool_backward_kernel, (f4, f4, f4, i8, i8, i8, i8, i8, i8, i8)),
        "global_pool_forward": (pool.global_pool_forward_kernel, (f4, f2, i8)),
        "global_pool_backward": (pool.global_pool_backward_kernel, (f4, f2, f4, i8)),
        "activation": (ca.activation_kernel, (f1, f1, i8, f32)),
        "activation_backward": (ca.activation_backward_kernel, (f1, f1, f1, f1, i8, f32)),
        "softmax": (ca.softmax_kernel, (f2, f2)),
        "softmax_backward": (ca.softmax_backward_kernel, (f2, f2, f2)),
        "multiply": (ca.multiply_kernel, (f1, f1, f1)),
        "softmax_xent": (losses.softmax_xent_kernel, (f2, lab, f1, f1, f2, f32)),
        "prob_xent": (losses.prob_xent_kernel, (f2, lab, f1, f1, f2, f32, f32)),
        "sgd": (optimizers.sgd_kernel, (f1, f1, f1, f32, f32, b1)),
        "adam": (optimizers.adam_kernel, (f1, f1, f1, f1, f32, f32, f32, f32)),
        "rmsprop": (optimizers.rmsprop_kernel, (f1, f1, f1, f32, f32, f32)),
    }


def check_ptx(cc: tuple[int, int] = (8, 0)) -> int:
    """Compile every kernel to PTX for ``cc`` and count float64 instructions; returns the number of
    problems."""
    import re
    import types

    from numba import cuda

    if cuda_guard.simulator_enabled():
        print("--check-ptx compiles for a real device: run it without NUMBA_ENABLE_CUDASIM")
        return 1
    if not cuda_guard.cuda_available():
        # no driver: device functions ask the current device for its compute capability; answer for it
        from numba.cuda import dispatcher

        dispatcher.get_current_device = lambda: types.SimpleNamespace(compute_capability=cc)
    problems = 0
    rows = []
    for name, (kernel, sig) in kernel_signatures().items():
        try:
            ptx, _ = cuda.compile_ptx(kernel.py_func, sig, cc=cc)
        except Exception as exc:
            problems += 1
            rows.append([name, "FAIL", f"{type(exc).__name__}: {str(exc).splitlines()[0][:80]}"])
            continue
        f64 = sum(1 for line in ptx.splitlines() if re.search(r"\.f64\b", line))
        problems += f64 > 0
        rows.append(
            [name, "ok" if f64 == 0 else "FLOAT64", f"{f64} f64 instructions, {len(ptx):,} chars of PTX"]
        )
    print_table(["kernel", "status", "detail"], rows, title=f"PTX for sm_{cc[0]}{cc[1]}")
    print(f"{len(rows) - problems} of {len(rows)} kernels compile to float32-only PTX")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--size", type=int, default=32, help="image side (the lesson's CIFAR images are 32)")
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument(
        "--allow-simulator", action="store_true", help="run under the CUDA simulator (script check)"
    )
    ap.add_argument(
        "--check-ptx", action="store_true", help="compile every kernel to PTX and look for float64"
    )
    args = ap.parse_args(argv)
    if args.check_ptx:
        return check_ptx()
    if args.size % 4 or args.size < 8:
        ap.error(f"--size must be a multiple of 4 and >= 8 (two 2x2 pools). Received: --size {args.size}")
    if not cuda_guard.cuda_available() or (cuda_guard.simulator_enabled() and not args.allow_simulator):
        why = (
            "the CUDA simulator is on (NUMBA_ENABLE_CUDASIM=1)"
            if cuda_guard.simulator_enabled()
            else "numba.cuda.is_available() is False"
        )
        print(
            f"no CUDA device: {why}. This benchmark needs an NVIDIA GPU with its driver and "
            "`pip install -e '.[cuda]'`; nothing was measured."
        )
        return 0
    from numba import cuda

    from engine import config

    widths = LESSON_WIDTHS
    if cuda_guard.simulator_enabled():
        config.set("cuda_tile", 4)
        config.set("cuda_threads_per_block", 32)
        widths = SIMULATOR_WIDTHS
        print(f"(simulator: network narrowed to widths {widths}; the numbers only show that the script runs)")
    else:
        name = cuda.get_current_device().name
        print(f"device: {name.decode() if isinstance(name, bytes) else name}")
    print(
        f"lesson CIFAR network, {args.size}x{args.size}x3, batch {args.batch}, "
        f"tile {config.get('cuda_tile')}, {config.get('cuda_threads_per_block')} threads per 1-D block"
    )
    rows = bench_layers(args.batch, args.size, args.repeats, widths)
    print_table(
        ["layer", "input", "output", "forward ms", "backward ms"],
        rows,
        title="Per layer, on the device (activation included in its conv/dense layer)",
    )
    ips = bench_training(args.batch, args.size, args.repeats, widths)
    peer = bench_torch(args.batch, args.size, args.repeats)
    print(f"\ntraining step (Adam, sparse cross-entropy): ConvScope cuda {ips:,.0f} images/s")
    if peer is None:
        print("PyTorch with CUDA not importable here: no comparison")
    else:
        torch_ips, per_layer = peer
        print(
            f"PyTorch on the same GPU: {torch_ips:,.0f} images/s; "
            f"ratio ConvScope / PyTorch = {ips / torch_ips:.2f}"
        )
        print_table(
            ["torch module", "forward ms", "backward ms"],
            [[n, fmt(f * 1e3, ".3f"), fmt(b * 1e3, ".3f")] for n, f, b in per_layer],
            title="PyTorch per module (for comparison)",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
