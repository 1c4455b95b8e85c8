"""engine.io.atomic_write, the one writer of every file: stale temp files, permissions, symlinks, kills.

The kill tests are real: a child process writes a large file through ``atomic_write`` and is SIGKILLed while
its temporary file exists; the destination must hold its previous bytes after every kill, and the next write
to the same path removes what the killed writes left (and nothing else).
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from engine import _atomic, io

POSIX = os.name == "posix"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _text_writer(text: str):
    def write(tmp: Path) -> None:
        tmp.write_text(text)

    return write


def _temps(folder: Path, name: str) -> list[Path]:
    """Temporary files of ``atomic_write`` for the destination ``name`` in ``folder``."""
    return sorted(p for p in folder.iterdir() if io.is_atomic_temp_name(p.name, name))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ------------------------------------------------------------------------------------------- the basics


def test_temp_name_keeps_the_suffix_and_is_recognised(tmp_path):
    seen: list[str] = []

    def write(tmp: Path) -> None:
        seen.append(tmp.name)
        tmp.write_text("x")

    io.atomic_write(tmp_path / "model.npz", write)
    (name,) = seen
    assert name.startswith(".model.npz.") and name.endswith(".npz")  # Pillow/NumPy sniff the suffix
    assert io.is_atomic_temp_name(name, "model.npz")
    assert not io.is_atomic_temp_name(name, "other.npz")
    others = ("model.npz", ".model.npz", ".model.npz.bak", "model.npz.1a2b3c4d.tmp.npz", ".model.npz.npz")
    for other in others:
        assert not io.is_atomic_temp_name(other, "model.npz"), other


def test_destination_folder_or_missing_folder_fails_before_any_work(tmp_path):
    calls: list[Path] = []

    def write(tmp: Path) -> None:
        calls.append(tmp)

    with pytest.raises(IsADirectoryError, match=r"it is a folder"):
        io.atomic_write(tmp_path, write)
    with pytest.raises(FileNotFoundError, match=r"the folder .*missing.* does not exist"):
        io.atomic_write(tmp_path / "missing" / "m.npz", write)
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match=r"is a file, not a folder"):
        io.atomic_write(tmp_path / "file" / "m.npz", write)
    assert calls == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.skipif(not POSIX or os.geteuid() == 0, reason="permission bits are not enforced for root")
def test_unwritable_folder_says_so_and_names_the_destination(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(PermissionError, match=r"cannot write .*o\.png.*not writable"):
            io.atomic_write(ro / "o.png", _text_writer("x"))
    finally:
        ro.chmod(0o700)
    assert list(ro.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="Linux pseudo file systems")
def test_folders_that_take_no_files_are_named(tmp_path):
    expected = r"cannot write '/proc/o\.png': no file can be created in the folder '/proc'"
    with pytest.raises(OSError, match=expected):
        io.atomic_write("/proc/o.png", _text_writer("x"))
    if Path("/sys/kernel").is_dir():
        with pytest.raises(OSError, match=r"cannot write '/sys/o\.png': .*folder '/sys'"):
            io.atomic_write("/sys/o.png", _text_writer("x"))


@pytest.mark.skipif(not POSIX, reason="POSIX special files")
def test_destination_that_is_not_a_regular_file_is_refused(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match=r"not a regular file"):
        io.atomic_write(fifo, _text_writer("x"))
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


# ------------------------------------------------------------------------------------------ permissions


@pytest.mark.skipif(not POSIX, reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444, 0o755])
def test_overwriting_keeps_the_existing_permission_bits(tmp_path, mode):
    target = tmp_path / "m.npz"
    target.write_text("old")
    target.chmod(mode)
    io.atomic_write(target, _text_writer("new"))
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == mode


@pytest.mark.skipif(not POSIX, reason="POSIX permission bits")
def test_new_file_gets_the_usual_permissions(tmp_path):
    path = io.atomic_write(tmp_path / "new.txt", _text_writer("x"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()


@pytest.mark.skipif(not POSIX, reason="POSIX permission bits")
def test_private_file_is_never_readable_by_others_while_being_written(tmp_path):
    target = tmp_path / "secret.npz"
    target.write_text("old")
    target.chmod(0o600)
    modes: list[int] = []

    def write(tmp: Path) -> None:
        tmp.write_text("new")
        modes.append(stat.S_IMODE(tmp.stat().st_mode))

    io.atomic_write(target, write)
    assert modes == [0o600]


# --------------------------------------------------------------------------------------------- symlinks


@pytest.mark.skipif(not POSIX, reason="symlinks")
def test_writing_to_a_symlink_writes_through_to_its_target(tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "model.npz"
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link.npz"
    link.symlink_to(real)
    returned = io.atomic_write(link, _text_writer("new"))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new" and link.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert returned == link
    # the temporary file lived next to the target (same file system), and is gone
    assert sorted(p.name for p in real_dir.iterdir()) == ["model.npz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.npz", "real"]


@pytest.mark.skipif(not POSIX, reason="symlinks")
def test_chained_and_dangling_symlinks(tmp_path):
    real = tmp_path / "real.txt"
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(real)  # dangling: real.txt does not exist yet
    io.atomic_write(tmp_path / "a", _text_writer("made"))
    assert real.read_text() == "made"
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


@pytest.mark.skipif(not POSIX, reason="symlinks")
def test_symlink_loop_is_refused(tmp_path):
    (tmp_path / "x").symlink_to(tmp_path / "y")
    (tmp_path / "y").symlink_to(tmp_path / "x")
    with pytest.raises(OSError, match=r"symbolic link"):
        io.atomic_write(tmp_path / "x", _text_writer("z"))
    assert (tmp_path / "x").is_symlink() and (tmp_path / "y").is_symlink()


# ------------------------------------------------------------------------------------ stale temp files


def _fake_stale(folder: Path, name: str, age_s: float = 60.0) -> Path:
    """A temp file as an interrupted write leaves it: the writer's naming pattern, older than now."""
    stale = folder / _atomic._temp_name(name)
    stale.write_bytes(b"half a file")
    t = time.time() - age_s
    os.utime(stale, (t, t))
    return stale


def test_later_write_removes_stale_temp_files_of_the_same_destination_only(tmp_path):
    target = tmp_path / "m.npz"
    target.write_text("old")
    stale = [_fake_stale(tmp_path, "m.npz") for _ in range(3)]
    other_stale = _fake_stale(tmp_path, "other.npz")  # another destination's: not ours to remove
    bystanders = {
        ".m.npz.bak": b"a user's backup",
        "m.npz.old": b"another",
        ".m.npz": b"hidden",
        "notes.txt": b"text",
    }
    for name, data in bystanders.items():
        (tmp_path / name).write_bytes(data)
    assert all(p.exists() for p in stale)
    io.atomic_write(target, _text_writer("new"))
    assert target.read_text() == "new"
    assert _temps(tmp_path, "m.npz") == []
    assert other_stale.exists()
    for name, data in bystanders.items():
        assert (tmp_path / name).read_bytes() == data


def test_temp_files_newer_than_the_current_write_are_kept(tmp_path):
    newer = _fake_stale(tmp_path, "m.npz", age_s=-3600.0)  # mtime one hour in the future
    io.atomic_write(tmp_path / "m.npz", _text_writer("new"))
    assert newer.exists()


@pytest.mark.skipif(not POSIX, reason="symlinks")
def test_cleanup_never_follows_links_nor_removes_folders(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / _atomic._temp_name("m.npz")
    link.symlink_to(victim)
    folder = tmp_path / _atomic._temp_name("m.npz")
    folder.mkdir()
    for p in (link, folder):
        os.utime(p, (time.time() - 60, time.time() - 60), follow_symlinks=False)
    io.atomic_write(tmp_path / "m.npz", _text_writer("new"))
    assert victim.read_text() == "precious"
    assert link.is_symlink() and folder.is_dir()


def test_failed_write_removes_its_own_temp_file(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")

    def broken(tmp: Path) -> None:
        tmp.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        io.atomic_write(target, broken)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


# ------------------------------------------------------------------------------- real kills (SIGKILL)

# The child writes ``chunks`` MiB through atomic_write, one MiB at a time with a short pause (a large file
# on a slow disk), so that the parent can catch it mid-write.
_CHILD = textwrap.dedent(
    """
    import sys, time
    from engine import _atomic, io

    target, chunks, hold = sys.argv[1], int(sys.argv[2]), sys.argv[3]

    def write(tmp):
        with open(tmp, "wb") as fh:
            for i in range(chunks):
                fh.write(bytes([i % 251]) * (1 << 20))
                fh.flush()
                time.sleep(0.002)
                if hold == "hold" and i == 0:
                    print("writing", flush=True)
                    sys.stdin.readline()  # wait for the parent

    io.atomic_write(target, write)
    print("done", flush=True)
    """
)


def _spawn(target: Path, chunks: int, hold: bool = False) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(target), str(chunks), "hold" if hold else "go"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_temp(folder: Path, name: str, before: set[Path], proc: subprocess.Popen) -> Path:
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline:
        new = set(_temps(folder, name)) - before
        if new:
            (tmp,) = new
            if tmp.stat().st_size > 0:
                return tmp
        assert proc.poll() is None, f"the writer ended before it was caught: {proc.communicate()}"
        time.sleep(0.001)
    raise AssertionError("no temporary file appeared within 60 s")


@pytest.mark.skipif(not POSIX, reason="SIGKILL")
def test_sigkill_mid_write_keeps_the_original_and_next_write_cleans_up(tmp_path):
    target = tmp_path / "model.npz"
    target.write_bytes(b"the good model" * 1000)
    target.chmod(0o600)
    original = _sha(target)
    for _ in range(4):
        before = set(_temps(tmp_path, target.name))
        proc = _spawn(target, chunks=200)
        tmp = _wait_for_temp(tmp_path, target.name, before, proc)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        assert _sha(target) == original  # intact after every kill
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        # what this killed write left is there; what the previous killed write left was removed by it
        assert _temps(tmp_path, target.name) == [tmp]
        assert tmp.stat().st_size >= 1 << 20
    (tmp_path / "unrelated.bin").write_bytes(b"keep me")
    io.atomic_write(target, _text_writer("after the kills"))
    assert target.read_text() == "after the kills"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz", "unrelated.bin"]


@pytest.mark.skipif(not POSIX or not _atomic.HAS_FILE_LOCKS, reason="needs flock")
def test_cleanup_spares_the_temp_file_of_a_write_in_progress(tmp_path):
    target = tmp_path / "m.npz"
    target.write_text("old")
    proc = _spawn(target, chunks=3, hold=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        (live,) = _temps(tmp_path, "m.npz")
        time.sleep(0.02)  # so that our temp file is strictly newer than the live one
        io.atomic_write(target, _text_writer("from the parent"))
        assert live.exists(), "the temp file of a live writer was removed"
        assert target.read_text() == "from the parent"
    finally:
        out, err = proc.communicate(input="\n", timeout=60)
    assert proc.returncode == 0, err
    assert out.strip() == "done"
    assert target.stat().st_size == 3 << 20  # the live writer finished and its file won
    assert _temps(tmp_path, "m.npz") == []


# ------------------------------------------------------------------------------------------ check_writable


def test_check_writable_accepts_what_atomic_write_can_write_and_leaves_nothing(tmp_path):
    existing = tmp_path / "m.npz"
    existing.write_text("keep")
    existing.chmod(0o600)
    before = existing.stat()
    assert io.check_writable(existing) == existing
    assert io.check_writable(tmp_path / "new.png") == tmp_path / "new.png"
    link = tmp_path / "link.npz"
    link.symlink_to(existing)
    assert io.check_writable(link) == existing  # the file a write through the link replaces
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.npz", "m.npz"]
    after = existing.stat()
    assert existing.read_text() == "keep"
    assert (after.st_mode, after.st_mtime_ns, after.st_ino) == (
        before.st_mode,
        before.st_mtime_ns,
        before.st_ino,
    )


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_check_writable_refuses_what_atomic_write_would_refuse(tmp_path):
    (tmp_path / "file").write_text("x")
    cases = [
        (tmp_path, IsADirectoryError, "it is a folder"),
        (
            tmp_path / "missing" / "o.png",
            FileNotFoundError,
            f"the folder {str(tmp_path / 'missing')!r} does not exist",
        ),
        (tmp_path / "file" / "o.png", NotADirectoryError, "is a file, not a folder"),
        (Path("/proc/o.png"), OSError, "no file can be created in the folder '/proc'"),
        (Path("/dev/null"), OSError, "it is not a regular file"),
    ]
    for path, error, fragment in cases:
        with pytest.raises(error) as info:
            io.check_writable(path)
        assert f"cannot write {str(path)!r}" in str(info.value) and fragment in str(info.value)
        with pytest.raises(error):  # the same verdict as the write itself
            io.atomic_write(path, _text_writer("never"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
