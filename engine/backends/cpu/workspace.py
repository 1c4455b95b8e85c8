"""What sizes the cpu kernels' blocks: the machine's cache sizes, and per-thread reusable scratch buffers.

:func:`cache_sizes` reads the data-cache sizes of CPU 0 from ``/sys/devices/system/cpu/cpu0/cache`` (Linux),
else from ``os.sysconf`` (glibc's ``SC_LEVEL1_DCACHE_SIZE`` ...), else assumes 32 KiB / 512 KiB / 8 MiB.
The kernels that work block by block (:mod:`engine.backends.cpu.winograd`) size their blocks from these
figures, so a machine with a smaller or larger L2 gets blocks that fit its own.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = ["CacheSizes", "cache_sizes", "scratch"]

_DEFAULTS = (32 * 1024, 512 * 1024, 8 * 1024 * 1024)
_SYSFS = Path("/sys/devices/system/cpu/cpu0/cache")


class CacheSizes(NamedTuple):
    """Data-cache sizes in bytes, per core for L1 and L2 (L3 as the system reports it: often shared)."""

    l1d: int
    l2: int
    l3: int
    source: str  # "sysfs", "sysconf" or "default"


def _parse_size(text: str) -> int:
    text = text.strip().upper()
    scale = {"K": 1024, "M": 1024 * 1024, "G": 1024**3}.get(text[-1:], 1)
    return int(text.rstrip("KMG")) * scale


def _from_sysfs(root: Path) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for index in sorted(root.glob("index*")):
        try:
            kind = (index / "type").read_text().strip()
            level = int((index / "level").read_text())
            size = _parse_size((index / "size").read_text())
        except (OSError, ValueError):
            continue
        if kind in ("Data", "Unified") and size > 0:
            sizes[level] = size
    return sizes


def _from_sysconf() -> dict[int, int]:
    sizes: dict[int, int] = {}
    for level, name in (
        (1, "SC_LEVEL1_DCACHE_SIZE"),
        (2, "SC_LEVEL2_CACHE_SIZE"),
        (3, "SC_LEVEL3_CACHE_SIZE"),
    ):
        try:
            value = os.sysconf(name)
        except (ValueError, OSError):
            continue
        if value and value > 0:
            sizes[level] = int(value)
    return sizes


@lru_cache(maxsize=1)
def cache_sizes() -> CacheSizes:
    """This machine's data-cache sizes (read once per process; see the module docstring)."""
    for source, found in (("sysfs", _from_sysfs(_SYSFS)), ("sysconf", _from_sysconf())):
        if 1 in found and 2 in found:
            return CacheSizes(found[1], found[2], found.get(3, found[2]), source)
    return CacheSizes(*_DEFAULTS, "default")


_local = threading.local()


def scratch(name: str, shape: tuple[int, ...], keep_bytes: int = 32 * 1024 * 1024) -> np.ndarray:
    """A reusable float32 work buffer of ``shape`` (contents undefined), one set per calling thread.

    Fresh buffers of a few hundred KiB cost page faults on every call; buffers up to ``keep_bytes`` are kept
    and handed out again (grown when a larger one is asked for), larger one-off ones are not kept.
    """
    size = int(np.prod(shape))
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = {}
    buf = pool.get(name)
    if buf is None or buf.size < size:
        buf = np.empty(size, dtype=np.float32)
        if 4 * size <= keep_bytes:
            pool[name] = buf
    return buf[:size].reshape(shape)
