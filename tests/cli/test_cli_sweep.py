"""``convscope sweep``: one-line errors, the help's worked example, and a run against a real Dask cluster
(a ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, always stopped)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sweep_helpers import dask_command, free_port, start, stop

import engine.cli as cli
from engine.cli.sweep import format_table
from engine.sweep_space import PARAMS
from engine.sweep_trial import THREAD_ENV

ROOT = Path(__file__).resolve().parents[2]


def _error(capsys, *argv: str) -> str:
    status = cli.main(["sweep", *argv])
    err = capsys.readouterr().err
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("convscope: error: "), err
    return lines[0]


@pytest.mark.parametrize(
    "argv, expected",
    [
        (
            ["--param", "learning_rate=0.1"],
            "--param unknown hyper-parameter 'learning_rate'. Allowed: lr (numbers",
        ),
        (
            ["--param", "kernel_size=3,five"],
            "--param kernel_size values must be integers >= 1. Received: 'five'",
        ),
        (["--param", "lr=-1"], "--param lr values must be numbers > 0. Received: '-1'"),
        (["--param", "head=flat"], "--param head values must be flatten|global_max. Received: 'flat'"),
        (
            ["--param", "lr"],
            "--param must be NAME=VALUE[,VALUE...] (e.g. lr=0.001,0.01 or kernel_size=3,5,7)",
        ),
        (["--param", "lr=0.1", "--param", "lr=0.2"], "--param lr is given twice: list its values once"),
        (["--param", "lr=0.001..0.1"], "--param lr=0.001..0.1 is a range: ranges need --random N"),
        (["--seeds", "0,a"], "argument --seeds: must be integers >= 0 separated by commas (e.g. 0,1)"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "--workers sizes the embedded cluster"),
        (["--random-seed", "3"], "--random-seed chooses the points of --random N: give --random too"),
        (["--epochs", "0"], "argument --epochs: must be an integer >= 1. Received: '0'"),
        (
            ["--size", "8x12"],
            "the shapes are square, at least 8x8: give one side >= 8 for their size. Received: 8x12",
        ),
        (
            ["--dataset", "digits", "--size", "14"],
            "the digits are 28x28; a size applies to shapes and image folders",
        ),
        (
            ["--dataset", "no/such/folder"],
            "dataset 'no/such/folder' is not a folder nor one of: digits | shapes",
        ),
    ],
)
def test_bad_options_give_one_line(capsys, tmp_path, argv, expected):
    line = _error(capsys, *argv, "--out", str(tmp_path / "s.csv"))
    assert expected in line
    assert not (tmp_path / "s.csv").exists()


def test_unknown_names_list_every_allowed_name_and_value_type(capsys, tmp_path):
    line = _error(capsys, "--param", "units=8", "--out", str(tmp_path / "s.csv"))
    for p in PARAMS.values():
        assert f"{p.name} ({p.allowed()})" in line


def test_a_results_file_of_another_kind_is_refused(capsys, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("name,score\nx,1\n")
    line = _error(capsys, "--out", str(other))
    assert "is not a ConvScope sweep results file" in line
    assert other.read_text() == "name,score\nx,1\n"


def test_help_shows_a_worked_example_and_every_parameter(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["sweep", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert (
        "convscope sweep --dataset shapes --epochs 2 --param lr=0.001,0.01 --param kernel_size=3,5,7" in out
    )
    assert "--scheduler tcp://HOST:PORT" in out and "dask worker tcp://HOST:8786 --nthreads 1" in out
    for p in PARAMS.values():
        assert f"  {p.name} " in out


def test_the_table_ranks_by_validation_accuracy_failed_last():
    base = {"param_count": 10, "seconds": 1.0, "worker": "tcp://h:1", "error": "", "val_loss": 1.0, "seed": 0}
    rows = [
        {**base, "lr": 0.1, "status": "failed", "val_accuracy": None, "val_loss": None, "error": "boom"},
        {**base, "lr": 0.01, "status": "ok", "val_accuracy": 0.5},
        {**base, "lr": 0.001, "status": "ok", "val_accuracy": 0.75},
    ]
    lines = format_table(rows, ["lr"], show_seed=False).splitlines()
    assert lines[0].split() == ["#", "lr", "val_acc", "val_loss", "params", "seconds", "worker", "status"]
    assert [line.split()[1] for line in lines[1:]] == ["0.001", "0.01", "0.1"]
    assert lines[1].split()[2] == "0.7500" and lines[3].endswith("failed: boom")


def _wait_for_workers(address: str, n: int, limit: float) -> None:
    from distributed import Client

    with Client(address, timeout=limit) as client:
        client.wait_for_workers(n, timeout=limit)


def test_sweep_on_a_dask_scheduler_and_two_dask_workers(tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = dask_command()
    log = open(tmp_path / "cluster.log", "wb")  # noqa: SIM115 (closed in finally, after the processes)
    processes = []
    try:
        processes.append(
            start([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], log=log)
        )
        for name in ("w1", "w2"):
            processes.append(
                start(
                    [*dask, "worker", address, "--nthreads", "1", "--name", name, "--no-dashboard",
                     "--local-directory", str(tmp_path / name)],
                    env=THREAD_ENV,
                    log=log,
                )
            )  # fmt: skip
        _wait_for_workers(address, 2, 120)
        out, plot = tmp_path / "sweep.csv", tmp_path / "sweep.png"
        t0 = time.monotonic()
        run = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), "convscope"), "sweep", "--dataset", "shapes",
             "--limit", "48", "--size", "8", "--epochs", "1", "--param", "lr=0.01,0.05",
             "--param", "kernel_size=3,5", "--param", "conv_layers=1", "--param", "filters=4",
             "--param", "dense_units=8", "--scheduler", address, "--out", str(out), "--plot", str(plot)],
            capture_output=True, text=True, timeout=300, cwd=tmp_path,
        )  # fmt: skip
        assert run.returncode == 0, (
            run.stderr + (tmp_path / "cluster.log").read_text(errors="replace")[-3000:]
        )
        assert time.monotonic() - t0 < 300
        with open(out, newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == 4 and {r["status"] for r in rows} == {"ok"}
        assert len({r["worker"] for r in rows}) == 2  # trials ran on both workers
        assert all((tmp_path / r["weights"]).is_file() for r in rows)
        assert plot.stat().st_size > 1000
        assert f"running on {address}" in run.stdout and "dashboard: " in run.stdout
        table = run.stdout.split("\n\n")[1].splitlines()
        accs = [float(line.split()[6]) for line in table[1:]]
        assert len(accs) == 4 and accs == sorted(accs, reverse=True)
        assert "trials 4/4 done, 0 running, 0 failed" in run.stderr
    finally:
        stop(processes)
        log.close()
    assert all(p.poll() is not None for p in processes)


def test_ctrl_c_keeps_the_finished_trials_and_says_how_to_resume(tmp_path):
    """Ctrl-C as soon as a first trial is reported finished. Both workers finish their first trials at about
    the same moment, so the signal often comes while the next result is fetched or its row written: the
    sweep must stop all the same (exit 130) and report exactly the rows on disk."""
    out = tmp_path / "sweep.csv"
    command = [
        os.path.join(os.path.dirname(sys.executable), "convscope"), "sweep", "--limit", "300",
        "--param", "lr=0.001,0.002,0.003,0.004", "--param", "kernel_size=3,5", "--param", "filters=4",
        "--workers", "2", "--out", str(out),
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines: list[str] = []
    first_trial = threading.Event()

    def read_stderr() -> None:  # a thread, so that waiting has a real deadline however slow the machine
        for line in process.stderr:
            lines.append(line)
            if ": val_acc " in line:
                first_trial.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        # the event, not a time: the cluster's start and the first trial take what the machine allows
        assert first_trial.wait(timeout=600), "no trial finished:\n" + "".join(lines)
        assert process.poll() is None, "the sweep ended before Ctrl-C:\n" + "".join(lines)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: every process of the group gets it
        process.wait(timeout=300)
        # the worker processes exit after their owner: give them a moment, before stop() kills the group
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _group_alive(process.pid):
            time.sleep(0.2)
        left_behind = _group_alive(process.pid)
    finally:
        stop([process])
        reader.join(timeout=60)
        process.stderr.close()
    err = "".join(lines)
    assert process.returncode == 130, err
    with open(out, newline="") as fh:
        saved = len(list(csv.DictReader(fh)))
    assert 1 <= saved < 8
    assert (
        f"convscope: interrupted; {saved} of 8 trials are saved in {out}: run the same command again" in err
    )
    assert "Traceback" not in err  # the workers leave Ctrl-C to the process that owns them
    assert not left_behind, "a worker process was left behind"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
