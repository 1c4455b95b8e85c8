"""engine.cli.args: one size parser (WIDTHxHEIGHT), one UsageError, one-line messages naming the flag."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import engine.cli as cli
from engine.cli.args import (
    ArgumentParser,
    Size,
    UsageError,
    count,
    load_filter_spec,
    parse_size,
    positive_float,
    positive_int,
    size_type,
)
from engine.cli.parser import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("64x48", (64, 48)),
        ("64X48", (64, 48)),
        ("64×48", (64, 48)),
        (" 1400x900 ", (1400, 900)),
        ("28", (28, 28)),
    ],
)
def test_sizes_are_width_then_height(text, expected):
    size = parse_size(text)
    assert size == expected and size.width == expected[0] and size.height == expected[1]
    assert str(size) == f"{expected[0]}x{expected[1]}"


@pytest.mark.parametrize(
    "text, allowed",
    [
        ("28x", "must be WIDTHxHEIGHT (e.g. 28x28) or one integer"),
        ("axb", "must be WIDTHxHEIGHT (e.g. 28x28) or one integer"),
        ("2x3x4", "must be WIDTHxHEIGHT (e.g. 28x28) or one integer"),
        ("28,28", "must be WIDTHxHEIGHT (e.g. 28x28) or one integer"),
        ("0x5", "must be at least 1x1"),
        ("-3", "must be at least 1x1"),
    ],
)
def test_bad_sizes_name_the_flag_what_was_received_and_what_is_allowed(text, allowed):
    with pytest.raises(UsageError) as info:
        parse_size(text, "--size")
    message = str(info.value)
    assert message == f"--size {allowed}. Received: {text!r}"
    assert "\n" not in message


def test_bounded_sizes():
    assert parse_size("320x240", minimum=(320, 240), maximum=(8000, 8000)) == (320, 240)
    with pytest.raises(UsageError, match=r"--size must be between 320x240 and 8000x8000\. Received: '10x10'"):
        parse_size("10x10", minimum=(320, 240), maximum=(8000, 8000))
    with pytest.raises(UsageError, match="between"):
        parse_size("8001x600", minimum=(320, 240), maximum=(8000, 8000))


def test_argparse_names_the_flag_in_one_line():
    p = ArgumentParser(prog="demo")
    p.add_argument("--size", type=size_type())
    p.add_argument("--epochs", type=positive_int)
    p.add_argument("--steps", type=count)
    p.add_argument("--lr", type=positive_float)
    opts = p.parse_args(["--size", "64x48", "--epochs", "2", "--steps", "0", "--lr", "0.5"])
    assert opts.size == Size(64, 48) and opts.epochs == 2 and opts.steps == 0 and opts.lr == 0.5
    cases = {
        (
            "--size",
            "64x",
        ): "argument --size: must be WIDTHxHEIGHT (e.g. 28x28) or one integer. Received: '64x'",
        ("--epochs", "0"): "argument --epochs: must be an integer >= 1. Received: '0'",
        ("--epochs", "two"): "argument --epochs: must be an integer >= 1. Received: 'two'",
        ("--steps", "-1"): "argument --steps: must be an integer >= 0. Received: '-1'",
        ("--lr", "inf"): "argument --lr: must be a finite number > 0. Received: 'inf'",
        ("--lr", "x"): "argument --lr: must be a number > 0. Received: 'x'",
    }
    for argv, message in cases.items():
        with pytest.raises(UsageError) as info:
            p.parse_args(list(argv))
        assert str(info.value) == f"{message} (see 'demo --help')"


def test_usage_error_is_the_argparse_type_error():
    assert issubclass(UsageError, argparse.ArgumentTypeError)
    assert cli.UsageError is UsageError and cli.parse_size is parse_size


def test_filter_specs_presets_first_then_files(tmp_path):
    kernel, name = load_filter_spec("Horizontal-Line")
    assert name == "horizontal_line"
    np.testing.assert_array_equal(kernel, [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]])
    (tmp_path / "k.txt").write_text("0 1\n1 0\n")
    kernel, name = load_filter_spec(str(tmp_path / "k.txt"))
    assert name == "k.txt" and kernel.tolist() == [[0, 1], [1, 0]]
    with pytest.raises(ValueError, match=r"'blurry' is neither a preset .* nor a filter file"):
        load_filter_spec("blurry")
    (tmp_path / "bad.csv").write_text("1,2\n3\n")
    with pytest.raises(ValueError, match=r"bad\.csv"):
        load_filter_spec(str(tmp_path / "bad.csv"))


def test_the_parser_lists_every_command_in_order():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert tuple(sub.choices) == COMMANDS


def test_size_flag_of_the_data_sets_reads_width_first():
    args = build_parser().parse_args(["train", "--save", "m.npz", "--size", "64x48"])
    assert args.size == Size(width=64, height=48)


def test_app_options_given_to_the_headless_entry_point_are_explained(capsys):
    assert cli.main(["--screenshot", "x.png"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--screenshot is an option of the desktop app: run 'convscope --screenshot x.png'" in err


def test_python_m_engine_cli_without_a_command_prints_the_help():
    proc = subprocess.run(
        [sys.executable, "-m", "engine.cli"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: convscope") and "featuremaps" in proc.stdout
