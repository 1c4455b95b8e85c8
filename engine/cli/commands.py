"""What each ``convscope`` sub-command does (their options: :mod:`engine.cli.parser`; ``train`` is
:mod:`engine.cli.train`). Never imports Qt.

Models written by ``convscope train`` carry metadata (:func:`engine.saving.read_metadata`) with the class
names and the dataset they were trained on, so ``evaluate`` and ``predict`` need no more arguments; other
model files work too (classes are then called by their index).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

import numpy as np

from engine.cli.args import Size, load_filter_spec
from engine.cli.checks import (
    CommandError,
    check_finite_outputs,
    check_finite_weights,
    check_outputs,
)
from engine.saving import read_metadata


def plural(n: int, noun: str) -> str:
    """``1 epoch``, ``3 epochs``: the number and its noun, plural when it is not 1."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def write_line(text: str = "") -> None:
    """Print a line of the command's results on stdout (a closed pipe raises ``BrokenPipeError``, which
    :func:`engine.cli.main` turns into a quiet exit)."""
    print(text, flush=True)


def say(text: str) -> None:
    """Print one line on stderr; never fails (a closed stderr swallows it)."""
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr, flush=True)


def set_backend(args: argparse.Namespace) -> None:
    if getattr(args, "backend", None):
        import engine

        engine.set_backend(args.backend)


# ------------------------------------------------------------------------------------------ model files


def _load_model(path: str, *, allow_non_finite: bool = False) -> tuple[Any, dict[str, Any]]:
    import engine

    if not Path(path).is_file():
        raise CommandError(f"{path!r}: no such model file")
    model = engine.load_model(path, allow_non_finite=allow_non_finite)
    return model, read_metadata(path)


def _class_names(model: Any, meta: dict[str, Any]) -> list[str]:
    k = int(model.output_shape[-1])
    names = meta.get("class_names")
    if isinstance(names, list) and len(names) == k:
        return [str(n) for n in names]
    return [str(i) for i in range(k)]


# --------------------------------------------------------------------------------------------- datasets


def load_data(args: argparse.Namespace, spec: str) -> Any:
    from engine import datasets

    ds = datasets.load_dataset(
        spec,
        n_train=args.limit or 1200,
        n_test=min(args.limit or 300, 300),
        target_size=None if args.size is None else (args.size.height, args.size.width),
        color_mode=args.color or "grayscale",
        seed=0,
    )
    if ds.skipped:
        first = ds.skipped[0][1]
        say(f"convscope: skipped {plural(len(ds.skipped), 'unreadable file')}, e.g. {first}")
    if args.limit:
        ds = ds._replace(
            x_train=ds.x_train[: args.limit],
            y_train=ds.y_train[: args.limit],
            x_test=ds.x_test[: args.limit],
            y_test=ds.y_test[: args.limit],
        )
    return ds


def scaled(x: np.ndarray) -> np.ndarray:
    return x.astype(np.float32) / np.float32(255.0)  # (N, H, W, C) in [0, 1]


def _image_for(model: Any, path: str, invert: bool) -> np.ndarray:
    """Read ``path`` the way the model's input expects: channels and size, floats in [0, 1]."""
    from engine.io import load_image

    shape = tuple(model.layers[0].input_shape or (None, None, 1))
    if len(shape) != 3 or shape[2] not in (1, 3):
        raise CommandError(f"this model takes inputs of shape {shape}, not (H, W, 1) or (H, W, 3) images")
    h, w, c = shape
    mode = "L" if c == 1 else "RGB"
    img = load_image(path, mode=mode, size=(h, w) if h and w else None)
    if invert:
        img = 1.0 - img
    return img[..., None] if c == 1 else img  # (H, W, C)


# ------------------------------------------------------------------------------------------- commands


def filters(args: argparse.Namespace) -> int:
    from engine.filters import PRESETS

    for name, k in PRESETS.items():
        rows = [
            "[" + " ".join(f"{v:g}" if float(v).is_integer() else f"{v:.3f}" for v in row) + "]" for row in k
        ]
        write_line(f"{name:<16} {k.shape[0]}x{k.shape[1]}  {' '.join(rows)}")
    return 0


def convolve(args: argparse.Namespace) -> int:
    from engine import ops
    from engine.io import load_image, save_image

    set_backend(args)
    try:
        kernel, kname = load_filter_spec(args.filter)
    except ValueError as exc:
        raise CommandError(f"--filter: {exc}") from None
    padding: Any = args.padding
    if padding.lstrip("-").isdigit():
        padding = int(padding)
    elif padding.lower() not in ("valid", "same", "full"):
        raise CommandError(f"--padding must be valid, same, full or an int. Received: {args.padding!r}")
    pool_mode, pool_size = None, 0
    if args.pool:
        mode, _, size = args.pool.partition(":")
        if mode not in ops.POOL_MODES or not (size or "2").isdigit() or int(size or 2) < 1:
            raise CommandError(
                f"--pool must be MODE:SIZE with MODE in {ops.POOL_MODES}, e.g. max:2. Received: {args.pool!r}"
            )
        pool_mode, pool_size = mode, int(size or 2)
    check_outputs([("-o", args.output, "image"), ("--npy", args.npy, "array")])
    img = load_image(args.image, mode="L")  # (H, W)
    y = ops.conv2d(img, kernel, stride=args.stride, padding=padding, flip=args.flip)  # (OH, OW)
    steps = [
        f"{Path(args.image).name} {img.shape[0]}x{img.shape[1]}",
        f"{'convolve' if args.flip else 'correlate'} with {kname} {kernel.shape[0]}x{kernel.shape[1]} "
        f"(padding {args.padding}, stride {args.stride}) -> {y.shape[0]}x{y.shape[1]}",
    ]
    if args.relu:
        y = ops.relu(y)
        steps.append("relu")
    if pool_mode:
        y = ops.pool2d(y, pool_size, mode=pool_mode)
        steps.append(f"{pool_mode} pool {pool_size} -> {y.shape[0]}x{y.shape[1]}")
    cmap = args.cmap
    if cmap == "auto":
        cmap = "diverging" if float(np.nanmin(y)) < 0 else "gray"
    save_image(args.output, y, cmap=cmap)
    if args.npy:
        from engine.io import atomic_write

        def write(tmp: Path) -> None:
            with open(tmp, "wb") as fh:
                np.save(fh, np.asarray(y, np.float32))

        atomic_write(args.npy, write)
    write_line(", ".join(steps))
    write_line(
        f"wrote {args.output} ({y.shape[1]}x{y.shape[0]} pixels, {cmap}; values {float(np.nanmin(y)):.3f} .. "
        f"{float(np.nanmax(y)):.3f})" + (f" and {args.npy}" if args.npy else "")
    )
    return 0


def evaluate(args: argparse.Namespace) -> int:
    from engine import losses
    from engine.viz import confusion_matrix

    set_backend(args)
    check_outputs([("--plot", args.plot, "image")])
    model, meta = _load_model(args.model)
    check_finite_weights(model, args.model)
    spec = args.dataset or meta.get("dataset")
    if not spec:
        raise CommandError(f"{args.model!r} does not say which dataset it was trained on: pass --dataset")
    if not args.size and meta.get("size") and spec.lower() not in ("digits", "shapes"):
        height, width = meta["size"]  # saved as the arrays' (H, W)
        args.size = Size(int(width), int(height))
    args.color = args.color or meta.get("color_mode")
    ds = load_data(args, spec)
    xt = scaled(ds.x_test)
    expected = tuple(model.layers[0].input_shape or ())
    if expected and any(e is not None and e != d for e, d in zip(expected, xt.shape[1:], strict=False)):
        raise CommandError(f"the model expects images of {expected}, dataset {spec!r} has {xt.shape[1:]}")
    names = _class_names(model, meta)
    if len(ds.class_names) != len(names):
        raise CommandError(
            f"the model has {len(names)} outputs, dataset {spec!r} has {len(ds.class_names)} classes"
        )
    out = model.predict(xt, batch_size=128)
    pred = out.argmax(axis=1)
    if not model.compiled:
        from_logits = model.output_kind == "logits"
        model.compile("adam", losses.SparseCategoricalCrossentropy(from_logits=from_logits), ["accuracy"])
    loss, _ = model.evaluate(xt, ds.y_test, batch_size=128, verbose=0)
    acc = float(np.mean(pred == ds.y_test))
    cm = confusion_matrix(ds.y_test, pred, len(names))
    write_line(f"{Path(args.model).name} on {ds.name} test set: {xt.shape[0]} images")
    write_line(f"accuracy: {acc:.4f}  ({int(np.trace(cm))}/{xt.shape[0]} correct)   loss: {loss:.4f}")
    write_line("")
    write_line(format_confusion(cm, names))
    if args.plot:
        from engine import viz

        figure = viz.plot_confusion(ds.y_test, pred, names, title=f"{Path(args.model).name} on {ds.name}")
        viz.save_figure(figure, args.plot)
        write_line(f"\nwrote {args.plot}")
    return 0


def format_confusion(cm: np.ndarray, names: list[str]) -> str:
    """The confusion matrix as aligned text, rows = true class, with each class's recall."""
    k = cm.shape[0]
    labels = [n if n == str(i) else f"{i} {n}" for i, n in enumerate(names)]
    label_w = max(len(label) for label in labels)
    cell = max(4, len(str(int(cm.max(initial=0)))) + 1)
    lines = [
        "confusion matrix (rows: true class, columns: predicted)",
        " " * label_w + "".join(f"{j:>{cell}}" for j in range(k)) + "   recall",
    ]
    for i in range(k):
        total = int(cm[i].sum())
        recall = f"{cm[i, i] / total:.3f}" if total else "  -  "
        lines.append(f"{labels[i]:<{label_w}}" + "".join(f"{int(v):>{cell}}" for v in cm[i]) + f"   {recall}")
    return "\n".join(lines)


def predict(args: argparse.Namespace) -> int:
    set_backend(args)
    model, meta = _load_model(args.model)
    check_finite_weights(model, args.model)
    names = _class_names(model, meta)
    images = [_image_for(model, p, args.invert) for p in args.images]
    shapes = {im.shape for im in images}
    outs = (
        [model.predict(im[None]) for im in images] if len(shapes) > 1 else [model.predict(np.stack(images))]
    )
    probs = np.concatenate(outs)  # (N, K)
    check_finite_outputs(probs, args.model, args.images)
    if model.output_kind == "logits":
        from engine.training import softmax_rows

        probs = softmax_rows(probs)
        check_finite_outputs(probs, args.model, args.images)
    top = min(args.top, len(names))
    for path, p in zip(args.images, probs, strict=False):
        order = np.argsort(-p)[:top]
        ranked = ", ".join(f"{names[i]} {100 * p[i]:.1f}%" for i in order)
        write_line(f"{path}: {names[order[0]]}  ({ranked})")
    return 0


def summary(args: argparse.Namespace) -> int:
    model, meta = _load_model(args.model, allow_non_finite=True)  # a broken model is shown, with a warning
    model.summary(print_fn=write_line)
    write_line(f"Input shape: {tuple(model.layers[0].input_shape or ())}")
    write_line(f"Classes ({len(_class_names(model, meta))}): {', '.join(_class_names(model, meta))}")
    if meta.get("dataset"):
        write_line(f"Trained on: {meta['dataset']}")
    try:
        check_finite_weights(model, args.model)
    except CommandError as exc:
        write_line(f"Warning: {exc}")
    if model.compiled:
        write_line(
            f"Optimizer: {type(model.optimizer).__name__} (learning rate {model.optimizer.learning_rate:g}, "
            f"{model.optimizer.iterations} steps taken)"
        )
    return 0


def featuremaps(args: argparse.Namespace) -> int:
    from engine import viz

    set_backend(args)
    check_outputs([("-o", args.output, "image")])
    model, meta = _load_model(args.model)
    check_finite_weights(model, args.model)
    image = _image_for(model, args.image, args.invert)  # (H, W, C)
    figure = viz.show_feature_maps(
        model, image, max_channels=args.max_channels, class_names=_class_names(model, meta)
    )
    viz.save_figure(figure, args.output)
    names = [name for name, _ in model.iter_leaves()]
    write_line(f"wrote {args.output}: the input and {plural(len(names), 'layer')}: " + ", ".join(names))
    return 0


def export(args: argparse.Namespace) -> int:
    from engine.onnx_export import export_onnx

    if Path(args.output).suffix.lower() != ".onnx":
        raise CommandError(f"the output must be a .onnx file. Received: {args.output!r}")
    check_outputs([("OUT", args.output, "array")])
    model, meta = _load_model(args.model)
    check_finite_weights(model, args.model)
    metadata: dict[str, Any] = {
        k: meta[k] for k in ("class_names", "dataset", "scale", "color_mode") if k in meta
    }
    path = export_onnx(model, args.output, opset=args.opset, metadata=metadata)
    shape = ", ".join("?" if d is None else str(d) for d in model.layers[0].input_shape)
    write_line(
        f"wrote {path} (ONNX opset {args.opset}): input 'input' float32 [batch, {shape}] (NHWC), "
        f"output 'output' {model.output_kind} [batch, {model.output_shape[-1]}]"
    )
    if meta.get("scale"):
        write_line(f"scale the inputs as in training: pixel values / {meta['scale']}")
    return 0
