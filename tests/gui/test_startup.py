"""The app's start and stop (gui.startup): a missing display or library is one line and exit 2 instead of Qt's
abort; Ctrl-C closes the windows and quits with exit status 0, without a traceback.

The real window under Xvfb is tests/gui/test_real_window.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import engine
from gui import startup

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
CURSOR_MISSING = OSError("libxcb-cursor.so.0: cannot open shared object file: No such file or directory")


def _env(**changes: str | None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for key in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "CONVSCOPE_DEBUG"):
        env.pop(key, None)
    for key, value in changes.items():
        if value is not None:
            env[key] = value
    return env


def _loader(*missing: str):
    """A library loader for which the plugin and the sonames ``missing`` are absent."""
    loaded = []

    def load(name: str) -> None:
        loaded.append(name)
        if name == "/qt/libqxcb.so" and missing:
            raise OSError(f"{missing[0]}: cannot open shared object file: No such file or directory")
        if name in missing:
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")

    load.loaded = loaded  # type: ignore[attr-defined]
    return load


def _problem(
    env: dict[str, str], load=None, answers: bool | None = True, platform: str = "linux"
) -> str | None:
    return startup.display_problem(
        env, platform, load or _loader(), lambda display: answers, plugin="/qt/libqxcb.so"
    )


# ------------------------------------------------------------------------------------------- the display


@pytest.mark.parametrize(
    "soname, package",
    [
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libEGL.so.1", "libegl1"),
        ("libdbus-1.so.3", "libdbus-1-3"),
    ],
)
def test_debian_package_names_follow_the_soname(soname, package):
    assert startup.debian_package(soname) == package


def test_no_display_is_one_line_that_says_what_to_do():
    message = _problem({})
    assert message is not None and "\n" not in message
    assert "no display (DISPLAY and WAYLAND_DISPLAY are not set)" in message
    assert "convscope --screenshot shot.png" in message


def test_a_missing_library_is_named_with_its_package():
    load = _loader("libxcb-cursor.so.0")
    message = _problem({"DISPLAY": ":0"}, load)
    assert message is not None
    assert "needs libxcb-cursor.so.0, which is not installed" in message
    assert "sudo apt-get install libxcb-cursor0)" in message and "--screenshot" in message
    assert load.loaded[0] == "/qt/libqxcb.so"  # the plugin itself is what is tried first


def test_every_missing_library_is_listed():
    message = _problem({"DISPLAY": ":0"}, _loader("libxcb-icccm.so.4", "libxcb-keysyms.so.1"))
    assert message is not None
    assert "needs libxcb-icccm.so.4 and libxcb-keysyms.so.1, which are not installed" in message
    assert "apt-get install libxcb-icccm4 libxcb-keysyms1)" in message


def test_no_x_server_on_display():
    message = _problem({"DISPLAY": ":4242"}, answers=False)
    assert message is not None and "no X server answers on DISPLAY=':4242'" in message


@pytest.mark.parametrize(
    "env, platform",
    [
        ({"DISPLAY": ":0"}, "linux"),  # everything there
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),  # no window wanted
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),  # Qt's Wayland plugin
        ({}, "darwin"),
        ({}, "win32"),
    ],
)
def test_no_problem_where_qt_can_open_a_window_or_is_not_asked_to(env, platform):
    assert _problem(env, platform=platform) is None


def test_an_explicit_xcb_platform_is_checked():
    assert "no display" in (_problem({"QT_QPA_PLATFORM": "xcb"}) or "")
    assert "libxcb-cursor0" in (
        _problem({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}, _loader("libxcb-cursor.so.0")) or ""
    )


def test_the_real_loader_names_a_missing_library():
    with pytest.raises(OSError) as info:
        startup._load("libconvscope-no-such-library.so.7")
    assert startup._missing_soname(info.value) == "libconvscope-no-such-library.so.7"
    assert startup._missing_soname(CURSOR_MISSING) == "libxcb-cursor.so.0"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 checks run on Linux")
@pytest.mark.parametrize("display", [None, ":4242"], ids=["no DISPLAY", "no X server"])
def test_convscope_without_a_display_exits_2_in_one_line_instead_of_aborting(tmp_path, display):
    proc = subprocess.run(
        [sys.executable, "-m", "gui", "--lang", "en"],
        capture_output=True,
        text=True,
        env=_env(DISPLAY=display),
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr  # Qt's abort was -6 (SIGABRT)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("convscope: error: cannot open a window: "), proc.stderr
    assert "convscope --screenshot shot.png" in lines[0]
    assert "Qt platform plugin" not in proc.stderr


# --------------------------------------------------------------------------------------------- Ctrl-C

#: an app with one window whose closeEvent says so; a timer sends the signal once the loop runs
SIGNAL_APP = textwrap.dedent(
    """
    import os, signal, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    from gui import startup

    class Window(QWidget):
        def closeEvent(self, event):
            print("closed", signal.getsignal(signal.SIGNUM) is signal.SIG_DFL, flush=True)
            super().closeEvent(event)

    app = QApplication(["t"])
    before = signal.getsignal(signal.SIGNUM)
    undo = startup.quit_on_signals(app)
    window = Window()
    window.show()
    QTimer.singleShot(300, lambda: os.kill(os.getpid(), signal.SIGNUM))
    QTimer.singleShot(20000, lambda: app.exit(3))  # the signal did nothing
    status = app.exec()
    undo()
    print("exec", status, signal.getsignal(signal.SIGNUM) is before, flush=True)
    sys.exit(status)
    """
)


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_a_signal_closes_the_windows_and_quits_with_status_0(tmp_path, name):
    proc = subprocess.run(
        [sys.executable, "-c", SIGNAL_APP.replace("SIGNUM", name)],
        capture_output=True,
        text=True,
        env=_env(QT_QPA_PLATFORM="offscreen"),
        cwd=tmp_path,
        timeout=120,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.returncode == 0, proc.stderr
    # closeEvent ran (with the default action back for a second signal), then the loop ended; undo restored
    assert proc.stdout.split() == ["closed", "True", "exec", "0", "True"], proc.stdout
    assert "Traceback" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr


def test_an_ignored_signal_stays_ignored(tmp_path):
    code = (
        "import signal; from PySide6.QtWidgets import QApplication; from gui import startup\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "app = QApplication(['t']); undo = startup.quit_on_signals(app)\n"
        "print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN,\n"
        "      signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL)\n"
        "undo(); print(signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_env(QT_QPA_PLATFORM="offscreen"),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True", "True"]


def test_python_m_gui_version_needs_no_display():
    for argv in (["--version"], ["--lang", "fr", "--version"]):
        proc = subprocess.run(
            [sys.executable, "-m", "gui", *argv], capture_output=True, text=True, env=_env(), timeout=120
        )
        assert proc.returncode == 0, (argv, proc.stderr)
        assert proc.stdout.strip() == f"convscope {engine.__version__}" and proc.stderr == ""


def _interrupt(argv: list[str], env: dict[str, str], cwd: Path, marker: str | None, delay: float):
    """Run ``python -m gui ARGV``; SIGINT ``delay`` s after ``marker`` shows on stderr (or after start)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "gui", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    guard = threading.Timer(120, proc.kill)  # the marker never came: end the wait (the test then fails)
    guard.start()
    try:
        if marker is not None:
            assert proc.stderr is not None
            line = proc.stderr.readline()
            while line and marker not in line:
                line = proc.stderr.readline()
        guard.cancel()
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


def test_ctrl_c_during_a_screenshot_writes_nothing_and_exits_130(tmp_path):
    shot = tmp_path / "shot.png"
    # 100,000 training steps: the screenshot is still waiting when Ctrl-C comes
    argv = ["--screenshot", str(shot), "--tab", "training", "--train-steps", "100000", "--lang", "en"]
    status, _, err = _interrupt(argv, _env(QT_QPA_PLATFORM="offscreen"), tmp_path, "propagateSizeHints", 1.0)
    assert status == 130, err
    assert "convscope: interrupted: no screenshot written" in err
    assert "Traceback" not in err and "QThread: Destroyed" not in err  # the engine thread ended first
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv, statuses",
    [
        (["--screenshot", "s.png"], (-signal.SIGINT, 130)),
        (["train", "--dataset", "shapes", "--save", "m.npz"], (-signal.SIGINT, 130)),
    ],
    ids=["app", "cli"],
)
def test_ctrl_c_while_starting_never_prints_a_traceback(tmp_path, argv, statuses):
    # 0.3 s: Python is importing NumPy or Qt, where a KeyboardInterrupt would print a traceback (or abort)
    status, _, err = _interrupt(argv, _env(QT_QPA_PLATFORM="offscreen"), tmp_path, None, 0.3)
    assert status in statuses, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err and "Fatal" not in err, err
    assert list(tmp_path.iterdir()) == []
