"""The one writer of files: :func:`atomic_write` (models, images, filters, lesson state all go through it).

A temporary file next to the destination, written, flushed to disk, then renamed over it: an interrupted
save never leaves half a file behind. Re-exported by :mod:`engine.io`.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["HAS_FILE_LOCKS", "STALE_TEMP_AGE_S", "atomic_write", "check_writable", "is_atomic_temp_name"]

PathLike = str | os.PathLike

if sys.platform == "win32":  # pragma: no cover - no advisory locks there
    fcntl = None
else:
    import fcntl

#: whether a write in progress holds a lock on its temporary file (POSIX); without locks, only temporary
#: files older than :data:`STALE_TEMP_AGE_S` are taken for the leftovers of an interrupted write
HAS_FILE_LOCKS = fcntl is not None
STALE_TEMP_AGE_S = 3600.0
_TEMP_TAG = "tmp"
_TEMP_NAME_KEEP = 120  # characters of the destination's name kept in its temporary files' names


def _read_umask() -> int:
    try:  # Linux reports it without changing it
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once at import: os.umask() is process-wide, so never toggle it later


def _temp_prefix(name: str) -> str:
    return f".{name[:_TEMP_NAME_KEEP]}."


def _temp_name(name: str) -> str:
    """A fresh temporary-file name for the destination file name ``name``: ``.NAME.XXXXXXXX.tmp.SUFFIX``."""
    return f"{_temp_prefix(name)}{secrets.token_hex(4)}.{_TEMP_TAG}{Path(name).suffix}"


def is_atomic_temp_name(candidate: str, name: str) -> bool:
    """Whether ``candidate`` names a temporary file that :func:`atomic_write` makes for destination ``name``.

    Only these names are ever removed by the clean-up of stale temporary files.
    """
    pattern = re.escape(_temp_prefix(name)) + r"[0-9a-f]{8}\." + _TEMP_TAG + re.escape(Path(name).suffix)
    return re.fullmatch(pattern, candidate) is not None


def _resolve_destination(target: Path) -> Path:
    """The file to replace: ``target``, or the file its symbolic link(s) point to. Checks the folder."""
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    if real.is_symlink():
        raise OSError(f"cannot write {str(target)!r}: its symbolic links go round in a loop")
    shown = repr(str(target)) if real == target else f"{str(target)!r} (a link to {str(real)!r})"
    if real.is_dir():
        raise IsADirectoryError(f"cannot write {shown}: it is a folder")
    if real.exists() and not real.is_file():
        raise OSError(f"cannot write {shown}: it is not a regular file")
    parent = real.parent if str(real.parent) else Path(".")
    if not parent.exists():
        raise FileNotFoundError(f"cannot write {shown}: the folder {str(parent)!r} does not exist")
    if not parent.is_dir():
        raise NotADirectoryError(f"cannot write {shown}: {str(parent)!r} is a file, not a folder")
    return real


def _create_temp(real: Path, shown: str) -> tuple[int, Path]:
    """Create (O_EXCL, mode 0600) and lock a temporary file next to ``real``; return its fd and path."""
    for _ in range(100):
        tmp = real.parent / _temp_name(real.name)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            continue
        except PermissionError:
            raise PermissionError(
                f"cannot write {shown}: the folder {str(real.parent)!r} is not writable (permission denied)"
            ) from None
        except OSError as exc:
            raise OSError(
                f"cannot write {shown}: no file can be created in the folder {str(real.parent)!r} "
                f"({exc.strerror or exc})"
            ) from None
        if fcntl is not None:
            # a fresh file: never contended. On a file system without locks the clean-up never takes it.
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd, tmp
    raise FileExistsError(f"cannot write {shown}: could not create a temporary file")  # pragma: no cover


def _remove_stale_temps(real: Path, current: Path, newest_ns: int) -> None:
    """Remove the temporary files interrupted writes to ``real`` left: ``real``'s naming pattern only, regular
    files only, older than ``newest_ns`` (the current write's temp file), and not locked by a live writer."""
    try:
        entries = list(os.scandir(real.parent))
    except OSError:
        return
    for entry in entries:
        if entry.name == current.name or not is_atomic_temp_name(entry.name, real.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode) or st.st_mtime_ns >= newest_ns:
                continue
            if fcntl is None:
                if time.time() - st.st_mtime < STALE_TEMP_AGE_S:
                    continue
                os.unlink(entry.path)
                continue
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a write in progress holds it
                if os.path.samestat(os.fstat(fd), os.stat(entry.path, follow_symlinks=False)):
                    os.unlink(entry.path)
            finally:
                os.close(fd)
        except OSError:
            continue  # gone meanwhile, or not ours to remove: never fail a write over a leftover


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


def check_writable(path: PathLike) -> Path:
    """Check, before any work, that :func:`atomic_write` could write ``path``; return the file it would write.

    The same checks as :func:`atomic_write` (a folder, a missing folder, a special file are refused), then a
    temporary file is created in the destination's folder and removed at once: this is the only reliable test
    of "can a file be created there" (permission bits say nothing for root, a read-only mount or ``/proc``).
    Nothing is left behind and an existing file at ``path`` is not touched.

    Raises
    ------
    OSError
        (``IsADirectoryError``, ``FileNotFoundError``, ``NotADirectoryError``, ``PermissionError``...) with
        a message naming ``path`` and, for the folder's problems, the folder.
    """
    target = Path(path)
    real = _resolve_destination(target)
    fd, tmp = _create_temp(real, repr(str(target)))
    os.close(fd)
    tmp.unlink(missing_ok=True)
    return real


def atomic_write(path: PathLike, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` on a temporary file next to ``path``, then move it over ``path``.

    * The destination is checked before ``write`` is called: a folder, a missing or read-only folder, or a
      special file is refused with a message naming it.
    * Over an existing file, the new file keeps that file's permission bits (a private 0600 model stays
      private); a new file gets ``0666 & ~umask``. The temporary file is 0600 until it is complete.
    * A symbolic link is written through: its target file is replaced, the link stays a link.
    * The temporary file, ``.NAME.XXXXXXXX.tmp.SUFFIX``, keeps the target's suffix so that format-sniffing
      writers (Pillow, NumPy) behave. It is on disk (fsync) before the rename, so a crash never leaves a
      short file; an exception removes it. A killed process cannot remove it: the next write to the same
      destination removes the temporary files such writes left (same naming pattern, older, not locked by
      a write still in progress), and nothing else.

    Returns
    -------
    path : ``Path(path)``, as given (the link when ``path`` is a symbolic link).
    """
    target = Path(path)
    real = _resolve_destination(target)
    shown = repr(str(target))
    fd, tmp = _create_temp(real, shown)
    try:
        created_ns = os.fstat(fd).st_mtime_ns
        _remove_stale_temps(real, tmp, created_ns)
        write(tmp)
        with open(tmp, "rb") as fh:  # on disk before the rename, so a crash never leaves a short file
            os.fsync(fh.fileno())
        try:
            mode = stat.S_IMODE(os.stat(real).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_UMASK
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)  # releases the lock
    _fsync_folder(real.parent)
    return target
