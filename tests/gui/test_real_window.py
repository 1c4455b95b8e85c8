"""A real window on a real X server: ``convscope`` under Xvfb opens its window, which draws, and Ctrl-C ends
it with exit status 0 within 5 s, without a traceback.

Needs Debian's ``xvfb`` (Xvfb), ``x11-utils`` (xwininfo), ``x11-apps`` (xwd) and the X11 libraries Qt's xcb
plugin loads (``libxcb-cursor0``, ``libxcb-icccm4``, ``libxcb-keysyms1``...), which ``.ci/run`` installs when
missing. Skipped only where Xvfb is not installed; the other tools are then required.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(
        shutil.which("Xvfb") is None, reason="Xvfb is not installed (Debian: apt-get install xvfb)"
    ),
]

ROOT = Path(__file__).resolve().parents[2]
SCREEN = (1600, 1000)
WINDOW_TITLE = "ConvScope: learn how convolutional networks see"


@pytest.fixture
def xvfb():
    """An Xvfb server on a free display number; yields ``":N"``."""
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            f"{SCREEN[0]}x{SCREEN[1]}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as fh:
            number = fh.readline().strip().decode()  # Xvfb writes it once it accepts connections
        assert number.isdigit(), f"Xvfb did not start (exit status {server.poll()})"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing (Debian: apt-get install {package}); .ci/run installs it"
    return path


def _find_window(display: str, title: str) -> str | None:
    """The id of the viewable top-level window called ``title`` on ``display``, or None."""
    tree = subprocess.run(
        [_tool("xwininfo", "x11-utils"), "-display", display, "-root", "-tree"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    for window_id in re.findall(r"^\s*(0x[0-9a-f]+) " + re.escape(f'"{title}"'), tree, re.M):
        info = subprocess.run(
            [_tool("xwininfo", "x11-utils"), "-display", display, "-id", window_id],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout
        if "Map State: IsViewable" in info:
            return window_id
    return None


def read_xwd(data: bytes) -> np.ndarray:
    """An X Window Dump (``xwd`` output: ZPixmap, TrueColor, 24 or 32 bits per pixel) as ``(H, W, 3)`` RGB."""
    fields = np.frombuffer(data[:100], ">u4")  # the 25 CARD32 of the header, big-endian
    header_size, version, pixmap_format = int(fields[0]), int(fields[1]), int(fields[2])
    width, height, byte_order = int(fields[4]), int(fields[5]), int(fields[7])
    bits_per_pixel, bytes_per_line = int(fields[11]), int(fields[12])
    masks = [int(m) for m in fields[14:17]]
    ncolors = int(fields[19])
    assert version == 7 and pixmap_format == 2 and bits_per_pixel in (24, 32), (version, bits_per_pixel)
    start = header_size + 12 * ncolors  # the colour map entries (XWDColor, 12 bytes each) come first
    rows = np.frombuffer(data[start : start + height * bytes_per_line], np.uint8).reshape(
        height, bytes_per_line
    )
    size = bits_per_pixel // 8
    raw = rows[:, : width * size].reshape(height, width, size).astype(np.uint32)  # (H, W, bytes)
    order = range(size) if byte_order == 0 else range(size - 1, -1, -1)  # LSBFirst or MSBFirst
    pixels = sum(raw[:, :, i] << np.uint32(8 * k) for k, i in enumerate(order))  # (H, W)
    channels = []
    for mask in masks:
        shift = (mask & -mask).bit_length() - 1
        channels.append(((pixels & mask) >> shift).astype(np.uint8))
    return np.stack(channels, axis=-1)  # (H, W, 3)


def _screenshot(display: str) -> np.ndarray:
    dump = subprocess.run(
        [_tool("xwd", "x11-apps"), "-display", display, "-root", "-silent"],
        capture_output=True,
        timeout=60,
        check=True,
    ).stdout
    return read_xwd(dump)


def _geometry(display: str, window_id: str) -> tuple[int, int, int, int]:
    info = subprocess.run(
        [_tool("xwininfo", "x11-utils"), "-display", display, "-id", window_id],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    values = {
        key: int(re.search(rf"{key}:\s+(-?\d+)", info).group(1))  # type: ignore[union-attr]
        for key in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height")
    }
    return tuple(values.values())  # type: ignore[return-value]


def test_the_window_opens_draws_and_quits_on_ctrl_c(xvfb, tmp_path):
    from gui.models.convolution import warm_up

    warm_up()  # the kernels the window compiles at start come from Numba's cache, as on a second start
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=xvfb, PYTHONPATH=str(ROOT))
    env.pop("CONVSCOPE_DEBUG", None)
    start = time.monotonic()
    app = subprocess.Popen(
        [sys.executable, "-m", "gui", "--lang", "en", "--size", "1400x900"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        window_id = None
        while window_id is None and app.poll() is None and time.monotonic() - start < 180:
            time.sleep(0.2)
            window_id = _find_window(xvfb, WINDOW_TITLE)
        assert window_id is not None, (
            f"no window (exit status {app.poll()}): {app.stderr.read() if app.poll() is not None else ''}"
        )
        opened = time.monotonic() - start
        x, y, width, height = _geometry(xvfb, window_id)
        assert (width, height) == (1400, 900)
        # the window draws (tabs, grids, text): many colours, not one flat fill
        deadline = time.monotonic() + 60
        while True:
            shot = _screenshot(xvfb)
            window = shot[y : y + height, x : x + width]
            colours = len(np.unique(window.reshape(-1, 3), axis=0))
            if (colours > 50 and window.std() > 20) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        Image.fromarray(shot).save(tmp_path / "screen.png")  # kept for a look: pytest's tmp_path
        assert colours > 50 and window.std() > 20, (colours, window.std())
        assert shot.std() > 0 and window.shape == (900, 1400, 3)
        time.sleep(1.0)  # let the engine finish its start (kernels from the cache)
        sent = time.monotonic()
        app.send_signal(signal.SIGINT)
        status = app.wait(timeout=30)
        took = time.monotonic() - sent
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    stderr = app.stderr.read()
    app.stderr.close()
    app.stdout.close()
    assert status == 0, stderr
    assert took < 5.0, f"Ctrl-C took {took:.1f} s to end the app"
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    print(f"window after {opened:.1f} s, exit {took:.2f} s after SIGINT, {colours} colours")
