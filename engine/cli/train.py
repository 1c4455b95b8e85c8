"""``convscope train``: train a network on a data set and save it, never losing or spoiling a model file.

* Every destination (``--save``, ``--plot``) is checked before the data are read (:mod:`engine.cli.checks`).
* A run whose loss stops being finite saves nothing: the file at ``--save`` stays as it was, the command says
  so in one line and exits 1.
* Ctrl-C during training saves the weights of the last completed epoch, with the optimizer state they had
  then, says which epoch that was, and exits 130; when no epoch completed it saves nothing and says so.
* A closed stderr (``2>&1 | head``) ends the progress bar, not the training.

Never imports Qt (import-linter contract).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from engine.augment import PRESETS as AUGMENTATIONS
from engine.callbacks import Callback, ProgbarLogger
from engine.cli.checks import CommandError, check_outputs
from engine.cli.commands import load_data, plural, say, scaled, set_backend, write_line

__all__ = ["EpochCheckpoint", "QuietProgress", "run"]

#: exit status after Ctrl-C (128 + SIGINT, as a shell reports it)
EXIT_INTERRUPTED = 130


class Divergence(NamedTuple):
    """Where the loss stopped being finite (1-based epoch and batch)."""

    epoch: int
    batch: int
    loss: float


class EpochCheckpoint(Callback):
    """Keeps a copy of the weights and optimizer state as they were at the end of the last completed epoch.

    An epoch is completed when ``fit`` reached its ``on_epoch_end`` with every batch loss finite. Records
    where a non-finite loss stopped the run (:attr:`divergence`) and which epoch is running
    (:attr:`current_epoch`, 1-based; 0 before the first).
    """

    def __init__(self) -> None:
        super().__init__()
        self.weights: list[np.ndarray] | None = None
        self.optimizer_state: tuple[int, dict[str, list[np.ndarray]]] | None = None
        self.epochs_completed = 0
        self.current_epoch = 0
        self.divergence: Divergence | None = None

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.current_epoch = epoch + 1

    def on_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        loss = float((logs or {}).get("batch_loss", 0.0))
        if self.divergence is None and (not np.isfinite(loss) or (logs or {}).get("stopped_reason")):
            self.divergence = Divergence(self.current_epoch, batch + 1, loss)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self.divergence is not None:
            return
        self.weights = self.model.get_weights()  # copies
        opt = self.model.optimizer
        if opt is not None:
            state = {key: [np.array(a, copy=True) for a in slot] for key, slot in opt.state.items()}
            self.optimizer_state = (int(opt.iterations), state)
        self.epochs_completed = epoch + 1

    def restore(self) -> None:
        """Put the model (and its optimizer) back as they were after epoch :attr:`epochs_completed`."""
        if self.weights is None:
            raise RuntimeError("no epoch completed: nothing to restore")
        self.model.set_weights(self.weights)
        if self.optimizer_state is not None and self.model.optimizer is not None:
            iterations, state = self.optimizer_state
            self.model.optimizer.iterations = iterations
            self.model.optimizer.state = state


class QuietProgress(ProgbarLogger):
    """The progress bar of ``fit(verbose=1)``, minus the stop reason it prints at the end (the command reports
    that itself, once), and which gives up quietly when stderr is closed: training goes on without it."""

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._quietly(super().on_epoch_begin, epoch, logs)

    def on_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._quietly(super().on_batch_end, batch, logs)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._quietly(super().on_epoch_end, epoch, logs)

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        self.close()

    def _quietly(self, hook: Any, *args: Any) -> None:
        if self.verbose == 0:
            return
        try:
            hook(*args)
        except (OSError, ValueError):  # stderr closed (a broken pipe): no more progress bars
            self.verbose = 0
            self._bar = None

    def close(self) -> None:
        """Close the bar in progress (after an interruption), so the next message starts on its own line."""
        if self._bar is not None:
            with contextlib.suppress(OSError):
                self._bar.close()
            self._bar = None


@contextlib.contextmanager
def _no_interrupt() -> Iterator[None]:
    """Ignore Ctrl-C for the duration (a save after an interruption must not be interrupted in turn)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _left_as_it_was(path: str) -> str:
    return f"{path!r} left as it was" if Path(path).exists() else f"no {path!r} written"


def _metadata(args: argparse.Namespace, ds: Any, x: np.ndarray, epochs: int) -> dict[str, Any]:
    return {
        "class_names": list(ds.class_names),
        "dataset": args.dataset,
        "scale": 255,
        "color_mode": args.color or "grayscale",
        "size": list(x.shape[1:3]),  # (H, W), as the arrays are
        "epochs": epochs,
    }


def _check_outputs_of(model: Any, n_classes: int, args: argparse.Namespace) -> None:
    shape = tuple(model.output_shape)  # one sample's output, without the batch axis
    if shape != (n_classes,):
        last = model.layers[-1].name
        raise CommandError(
            f"--model {args.model!r}: the model's output must be one score per class, {n_classes} for data "
            f"set {args.dataset!r}. Received: output shape {shape} (last layer {last!r}): give its last "
            f"Dense layer {n_classes} units"
        )


def _diverged(args: argparse.Namespace, d: Divergence, lr: float) -> CommandError:
    return CommandError(
        f"training diverged: the loss became {d.loss:g} (not finite) at epoch {d.epoch}, batch {d.batch}; "
        f"nothing saved, {_left_as_it_was(args.save)}. Try a lower --lr (now {lr:g}) or check the data "
        "for NaN/inf values"
    )


def _interrupted(args: argparse.Namespace, model: Any, ckpt: EpochCheckpoint, meta: dict[str, Any]) -> str:
    """Save the last completed epoch (Ctrl-C ignored meanwhile); return the line that says what happened."""
    where = (
        f"interrupted after the last epoch ({ckpt.epochs_completed}/{args.epochs})"
        if ckpt.epochs_completed == args.epochs
        else f"interrupted during epoch {max(ckpt.current_epoch, 1)}/{args.epochs}"
    )
    if ckpt.weights is None:
        return f"{where}: nothing saved (no epoch completed), {_left_as_it_was(args.save)}"
    with _no_interrupt():
        ckpt.restore()
        model.save(args.save, metadata={**meta, "epochs": ckpt.epochs_completed})
    return f"{where}: saved the weights after epoch {ckpt.epochs_completed} to {args.save!r}"


def _prepare(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """The data set, the compiled model and the augmenter (or None), with what they are printed."""
    from engine import losses, optimizers, zoo
    from engine.augment import ImageAugmenter

    ds = load_data(args, args.dataset)
    shape, n_classes = ds.x_train.shape[1:], len(ds.class_names)
    write_line(
        f"dataset {ds.name}: {ds.x_train.shape[0]} training / {ds.x_test.shape[0]} test images of "
        f"{'x'.join(map(str, shape))}, {n_classes} classes"
    )
    model = zoo.build(args.model, shape, n_classes, seed=args.seed)
    _check_outputs_of(model, n_classes, args)
    opt_cls: Any = optimizers.OPTIMIZERS[args.optimizer]
    optimizer = opt_cls(learning_rate=args.lr) if args.lr else opt_cls()
    model.compile(
        optimizer=optimizer,
        loss=losses.SparseCategoricalCrossentropy(from_logits=model.output_kind == "logits"),
        metrics=["accuracy"],
    )
    aug = ImageAugmenter(**AUGMENTATIONS[args.augment], seed=args.seed) if args.augment else None
    write_line(
        f"model {model.name}: {model.count_params():,} parameters; {args.optimizer} "
        f"lr={optimizer.learning_rate:g}, batch {args.batch_size}, {plural(args.epochs, 'epoch')}"
        + (f", augment={args.augment}" if aug else "")
    )
    return ds, model, aug


def run(args: argparse.Namespace) -> int:
    """``convscope train``; returns the exit status (0; 130 interrupted; a diverged run raises)."""
    set_backend(args)
    check_outputs([("--save", args.save, "model"), ("--plot", args.plot, "image")])
    try:
        ds, model, aug = _prepare(args)
    except KeyboardInterrupt:
        say(f"convscope: interrupted before training started: nothing saved, {_left_as_it_was(args.save)}")
        return EXIT_INTERRUPTED
    optimizer = model.optimizer
    x, xt = scaled(ds.x_train), scaled(ds.x_test)
    ckpt, progress = EpochCheckpoint(), QuietProgress(verbose=1)
    meta = _metadata(args, ds, x, args.epochs)
    try:
        history = model.fit(
            x,
            ds.y_train,
            epochs=args.epochs,
            batch_size=args.batch_size,
            validation_data=(xt, ds.y_test),
            verbose=0,
            callbacks=[ckpt, progress],
            seed=args.seed,
            augment=aug,
        )
        if ckpt.divergence is not None:
            raise _diverged(args, ckpt.divergence, optimizer.learning_rate)
        loss, acc = model.evaluate(xt, ds.y_test, batch_size=max(args.batch_size, 64), verbose=0)
        if not all(np.isfinite(w).all() for w in model.get_weights()):
            raise CommandError(
                f"training ended with NaN or infinite weights; nothing saved, {_left_as_it_was(args.save)}. "
                f"Try a lower --lr (now {optimizer.learning_rate:g})"
            )
        model.save(args.save, metadata=meta)
        if args.plot:
            from engine import viz

            viz.save_figure(viz.plot_history(history, title=f"{model.name} on {ds.name}"), args.plot)
    except KeyboardInterrupt:
        progress.close()
        say("convscope: " + _interrupted(args, model, ckpt, meta))
        return EXIT_INTERRUPTED
    write_line(f"test accuracy: {acc:.4f} (loss {loss:.4f}) on {xt.shape[0]} images")
    write_line(f"saved {args.save}" + (f", curves in {args.plot}" if args.plot else ""))
    return 0
