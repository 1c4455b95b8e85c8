"""The ``convscope`` console script (gui.launcher): the app without a sub-command, the headless CLI with one,
and no Qt import on the headless path."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

from gui import launcher

ROOT = Path(__file__).resolve().parents[2]
QT_PACKAGES = ("PySide6", "shiboken6", "pyqtgraph")

#: runs the console script's target named in pyproject.toml, then reports the Qt modules loaded at exit
WRAPPER = """
import atexit, importlib, json, sys
target, out = sys.argv[1], sys.argv[2]
sys.argv = ["convscope", *sys.argv[3:]]

def report():
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in {packages!r})
    with open(out, "w") as fh:
        json.dump(loaded, fh)

atexit.register(report)
module, _, function = target.partition(":")
sys.exit(getattr(importlib.import_module(module), function)())
"""


def _script_target() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = text.split("[project.scripts]", 1)[1].split("\n[", 1)[0]
    found = re.search(r'^convscope\s*=\s*"([\w.]+:\w+)"', section, re.M)
    assert found, section
    return found.group(1)


def _run_console_script(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    out = tmp_path / "qt_modules.json"
    env = {k: v for k, v in os.environ.items() if k != "CONVSCOPE_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER.format(packages=QT_PACKAGES), _script_target(), str(out), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    return proc, json.loads(out.read_text()) if out.exists() else ["<no report>"]


def test_the_console_script_is_the_launcher():
    assert _script_target() == "gui.launcher:main"


@pytest.mark.parametrize(
    "argv, app",
    [
        ([], True),
        (["--lang", "fr"], True),
        (["--screenshot", "s.png", "--tab", "network"], True),
        (["--size=1024x700"], True),
        (["--help"], False),
        (["-h"], False),
        (["--version"], False),
        (["train", "--epochs", "1"], False),
        (["frobnicate"], False),
    ],
)
def test_who_gets_the_arguments(argv, app):
    assert launcher.wants_app(argv) is app


@pytest.mark.parametrize("argv", [[], ["--lang", "fr"], ["--screenshot", "s.png", "--tab", "network"]])
def test_app_options_go_to_the_app(monkeypatch, argv):
    seen = []
    fake = types.ModuleType("gui.app")
    fake.main = lambda a: seen.append(list(a)) or 7  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gui.app", fake)
    assert launcher.main(argv) == 7
    assert seen == [argv]


def test_sub_commands_go_to_the_headless_cli(monkeypatch):
    import engine.cli

    seen = []
    monkeypatch.setattr(engine.cli, "main", lambda a: seen.append(list(a)) or 3)
    assert launcher.main(["filters"]) == 3
    assert seen == [["filters"]]


def test_help_and_train_never_import_qt(tmp_path):
    proc, qt = _run_console_script(tmp_path, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "featuremaps" in proc.stdout and "--screenshot PATH" in proc.stdout
    assert qt == []
    proc, qt = _run_console_script(
        tmp_path,
        "train",
        "--dataset",
        "shapes",
        "--limit",
        "16",
        "--epochs",
        "1",
        "--batch-size",
        "16",
        "--save",
        "m.npz",
        "--plot",
        "curves.png",
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "m.npz").is_file() and (tmp_path / "curves.png").is_file()
    assert qt == []


def test_python_m_engine_cli_train_never_imports_qt(tmp_path):
    code = (
        "import runpy, sys; sys.argv = ['convscope', 'train', '--dataset', 'shapes', '--limit', '16', "
        "'--epochs', '1', '--save', 'm.npz']\n"
        "try:\n    runpy.run_module('engine.cli', run_name='__main__')\n"
        "except SystemExit as exc:\n    status = exc.code\n"
        f"print(status, sorted(m for m in sys.modules if m.split('.')[0] in {QT_PACKAGES!r}))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "0 []"
    assert (tmp_path / "m.npz").is_file()


def test_the_app_path_does_import_qt(tmp_path):
    """The check above can fail: the app path of the same wrapper loads PySide6."""
    proc, qt = _run_console_script(tmp_path, "--tab", "nope")  # checked against the tabs, which are Qt
    assert proc.returncode == 2 and "--tab" in proc.stderr
    assert "PySide6" in qt
