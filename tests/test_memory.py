"""Between stages, the build gives freed heap memory back to the system (where the C library can)."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from analysis import pipeline


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS"))


@pytest.mark.skipif(not sys.platform.startswith("linux") or pipeline._malloc_trim() is None, reason="glibc only")
def test_release_memory_returns_freed_heap_space():
    # blocks below the mmap threshold live on the heap; freeing every other one leaves holes that
    # the C library keeps (only a free top of the heap goes back by itself)
    blocks = [bytearray(64 * 1024 - 64) for _ in range(3000)]  # about 190 MB
    del blocks[::2]
    held = _rss_mb()
    pipeline.release_memory()
    assert _rss_mb() < held - 60
    assert len(blocks) == 1500

def test_release_memory_without_glibc(monkeypatch):
    pipeline._malloc_trim.cache_clear()
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    try:
        assert pipeline._malloc_trim() is None
        pipeline.release_memory()  # nothing to do, no error
    finally:
        pipeline._malloc_trim.cache_clear()
