"""The build gives freed heap memory back to the system (where the C library can): between stages,
and its large blocks as soon as they are freed."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from analysis import engine


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS"))


@pytest.mark.skipif(not sys.platform.startswith("linux") or engine._malloc_trim() is None, reason="glibc only")
def test_release_memory_returns_freed_heap_space():
    # blocks below the mmap threshold live on the heap; freeing every other one leaves holes that
    # the C library keeps (only a free top of the heap goes back by itself)
    blocks = [bytearray(64 * 1024 - 64) for _ in range(3000)]  # about 190 MB
    del blocks[::2]
    held = _rss_mb()
    engine.release_memory()
    assert _rss_mb() < held - 60
    assert len(blocks) == 1500


def test_release_memory_without_glibc(monkeypatch):
    engine._libc_function.cache_clear()
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    try:
        assert engine._malloc_trim() is None
        engine.release_memory()  # nothing to do, no error
        engine.return_large_blocks()
    finally:
        engine._libc_function.cache_clear()


@pytest.mark.skipif(not sys.platform.startswith("linux") or engine._malloc_trim() is None, reason="glibc only")
def test_large_blocks_go_back_to_the_system_as_soon_as_they_are_freed():
    # a freed 24 MB block would raise glibc's threshold, and 2 MB blocks would then come from its
    # heap, where freeing every other one leaves holes the process keeps (until a malloc_trim)
    engine.return_large_blocks()
    big = bytearray(24 * 2**20)
    del big
    blocks = [bytearray(2 * 2**20) for _ in range(100)]  # 200 MB
    held = _rss_mb()
    del blocks[::2]
    assert _rss_mb() < held - 60
    assert len(blocks) == 50


def test_reading_a_parquet_file_holds_one_row_group_at_a_time(tmp_path):
    import os

    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.io.store import open_parquet

    path = tmp_path / "big.parquet"
    with pq.ParquetWriter(path, pa.schema([("text", pa.string())]), compression="none") as writer:
        for _ in range(40):  # 40 row groups of about 1 MB of incompressible text
            writer.write_table(pa.table({"text": [os.urandom(512).hex() for _ in range(1000)]}))
    start = pa.total_allocated_bytes()
    held = 0
    for batch in open_parquet(path).iter_batches(batch_size=1000):
        held = max(held, pa.total_allocated_bytes() - start)
        del batch
    assert held < 8 * 2**20  # a few row groups at most, not the 40 MB of the file
