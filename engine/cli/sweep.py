"""``convscope sweep``: train one network per point of a hyper-parameter grid on Dask, then rank them.

Its options are in :mod:`engine.cli.parser`; the sweep itself is :class:`engine.sweep.Sweep`. The progress
(trials done / running / failed, ETA) goes to stderr, rewritten in place on a terminal and one line per
finished trial otherwise; the dashboard's address, the ranking and the files written go to stdout.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from engine.cli.args import UsageError

__all__ = ["format_table", "parse_params", "parse_seeds", "sweep"]

HELP_EXAMPLE = """\
worked example (6 networks: 2 learning rates x 3 filter sizes, one Dask worker process per core):
  convscope sweep --dataset shapes --epochs 2 --param lr=0.001,0.01 --param kernel_size=3,5,7 \\
      --out sweep.csv --plot sweep.png
  -> a progress line, the Dask dashboard's address, then the trials ranked by validation accuracy;
     sweep.csv gets one row per finished trial, sweep_models/<key>.npz each trained model
     (open one with 'convscope evaluate sweep_models/<key>.npz'). Run the same command again after
     Ctrl-C or a crash: the trials already in sweep.csv are skipped.

more:
  convscope sweep --dataset digits --epochs 1 --random 8 --param lr=0.0001..0.1 --param conv_layers=1..3 \\
      --param pooling=max,avg,stride2 --seeds 0,1 --out random.csv
      (8 random points drawn from ranges and lists, each trained with 2 seeds)
  on a cluster: 'dask scheduler' on one machine, 'dask worker tcp://HOST:8786 --nthreads 1' on each
      (ConvScope installed there too), then add --scheduler tcp://HOST:8786

hyper-parameters (--param NAME=V1,V2,... or, with --random, NAME=LOW..HIGH for numbers):
"""


def parse_params(texts: list[str] | None) -> dict[str, Any]:
    """The ``--param`` options as a space ``{name: values}``; one-line :class:`UsageError` when wrong."""
    from engine.sweep_space import parse_param

    space: dict[str, Any] = {}
    for text in texts or []:
        try:
            name, values = parse_param(text)
        except ValueError as exc:
            raise UsageError(f"--param {exc}") from None
        if name in space:
            raise UsageError(f"--param {name} is given twice: list its values once, e.g. {name}=A,B")
        space[name] = values
    return space


def parse_seeds(text: str) -> list[int]:
    """argparse ``type=``: ``"0,1,2"`` -> ``[0, 1, 2]`` (integers >= 0, at least one)."""
    seeds: list[int] = []
    for part in text.split(","):
        try:
            seed = int(part)
        except ValueError:
            raise UsageError(
                f"must be integers >= 0 separated by commas (e.g. 0,1). Received: {text!r}"
            ) from None
        if seed < 0:
            raise UsageError(f"must be integers >= 0 separated by commas (e.g. 0,1). Received: {text!r}")
        if seed not in seeds:
            seeds.append(seed)
    return seeds


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if isinstance(value, float) else str(value)


def format_table(rows: list[dict[str, Any]], varied: list[str], show_seed: bool) -> str:
    """The trials ranked by validation accuracy (failed ones last), as aligned text."""
    ranked = sorted(rows, key=lambda r: (r["status"] != "ok", -(r["val_accuracy"] or 0.0)))
    names = [*varied, *(["seed"] if show_seed else [])]
    header = ["#", *names, "val_acc", "val_loss", "params", "seconds", "worker", "status"]
    lines = []
    for i, r in enumerate(ranked, 1):
        acc = "-" if r["val_accuracy"] is None else f"{r['val_accuracy']:.4f}"
        loss = "-" if r["val_loss"] is None else f"{r['val_loss']:.4f}"
        status = r["status"] if r["status"] == "ok" and not r["error"] else f"{r['status']}: {r['error']}"
        lines.append(
            [str(i), *(_cell(r[n]) for n in names), acc, loss, _cell(r["param_count"]),
             "-" if r["seconds"] is None else f"{r['seconds']:.1f}",
             r["worker"].removeprefix("tcp://") or "-", status]
        )  # fmt: skip
    widths = [max(len(row[j]) for row in [header, *lines]) for j in range(len(header))]
    widths[-1] = 0  # the status column, last, stays left-aligned
    return "\n".join(
        "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in [header, *lines]
    )


class _Progress:
    """The progress line on stderr: rewritten in place on a terminal, one line per change otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.width = 0

    def show(self, line: str, force: bool = False) -> None:
        if self.tty:
            sys.stderr.write("\r" + line.ljust(self.width))
            self.width = len(line)
            sys.stderr.flush()
        elif force:
            print(line, file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        if self.tty and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            self.width = 0
        print(text, file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.tty and self.width:
            sys.stderr.write("\n")
            self.width = 0


def sweep(args: argparse.Namespace) -> int:
    from engine.cli.checks import check_outputs
    from engine.sweep import Sweep
    from engine.sweep_space import DataSpec

    space = parse_params(args.param)
    check_outputs([("--plot", args.plot, "image")])  # a typo in the image's name costs no training
    if args.scheduler and args.workers:
        raise UsageError(
            "--workers sizes the embedded cluster; with --scheduler the cluster's workers run the trials"
        )
    if args.random_seed is not None and not args.random:
        raise UsageError("--random-seed chooses the points of --random N: give --random too")
    if not args.random and any(not isinstance(v, list) for v in space.values()):
        name = next(n for n, v in space.items() if not isinstance(v, list))
        raise UsageError(f"--param {name}={space[name]} is a range: ranges need --random N (random search)")
    size = None if args.size is None else (args.size.height, args.size.width)
    data = DataSpec(args.dataset, args.limit, args.limit, size, args.color or "grayscale")
    try:
        job = Sweep(
            space, data, args.epochs, results=args.out, seeds=args.seeds, n_random=args.random,
            random_seed=args.random_seed or 0, client=args.scheduler, workers=args.workers,
            verbose=args.verbose,
        )  # fmt: skip
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    varied = list(space)
    print(
        f"sweep: {len(job.trials)} trial(s) ({len(job.trials) // len(args.seeds)} point(s) x "
        f"{len(args.seeds)} seed(s)) on {data.name}, {args.epochs} epoch(s) each"
        + (f"; {job.skipped} already in {args.out}" if job.skipped else ""),
        flush=True,
    )
    progress = _Progress()
    status = 0
    try:
        for event in job.run():
            if event.kind == "connected":
                where = args.scheduler or f"an embedded cluster of {event.info['workers']} worker process(es)"
                print(f"running on {where}", flush=True)
                dash = event.info["dashboard"]
                print(
                    f"dashboard: {dash}"
                    if dash
                    else "dashboard: off (install Bokeh for Dask's live view: "
                    "pip install 'convscope[dashboard]')",
                    flush=True,
                )
            elif event.kind == "finished" and event.row is not None and event.trial is not None:
                r = event.row
                result = (
                    f"val_acc {r['val_accuracy']:.4f}" if r["status"] == "ok" else f"failed: {r['error']}"
                )
                progress.note(f"  {event.trial.label()}: {result} ({r['seconds'] or 0.0:.1f} s)")
                progress.show(event.progress.line(), force=True)
            elif event.kind == "progress":
                progress.show(event.progress.line())
    except KeyboardInterrupt:
        progress.end()
        job.results.reload()  # count what is on disk: Ctrl-C may have come during a row's write
        done = len(job.rows())
        print(
            f"convscope: interrupted; {done} of {len(job.trials)} trials are saved in {args.out}: run the "
            "same command again to resume",
            file=sys.stderr,
        )
        return 130
    progress.end()
    rows = job.rows()
    print()
    print(format_table(rows, varied, len(args.seeds) > 1))
    failed = [r for r in rows if r["status"] != "ok"]
    best = next(
        (r for r in sorted(rows, key=lambda r: -(r["val_accuracy"] or 0.0)) if r["status"] == "ok"), None
    )
    print()
    models = f" and the models in {job.results.models_dir}/" if any(r["weights"] for r in rows) else ""
    print(f"wrote {args.out} ({len(rows)} row(s)){models}")
    if best is not None:
        print(f"best: val_acc {best['val_accuracy']:.4f} -> {job.results.path.parent / best['weights']}")
    if args.plot and best is not None:
        from engine import viz

        figure = viz.plot_sweep(
            rows, [*varied, *(["seed"] if len(args.seeds) > 1 else [])],
            title=f"{len(rows)} trials on {data.name}, {args.epochs} epoch(s)",
        )  # fmt: skip
        viz.save_figure(figure, args.plot)
        print(f"wrote {args.plot}")
    if failed:
        print(
            f"convscope: {len(failed)} of {len(rows)} trials failed (see the error column)", file=sys.stderr
        )
        status = 1
    return status
