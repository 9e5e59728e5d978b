"""The streamed Parquet writer: one row group per batch, in order, renamed into place or not at all."""

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.io.store import ParquetWriter

SCHEMA = pa.schema([("n", pa.int64()), ("words", pa.list_(pa.string()))])


def _batch(start: int, size: int) -> pa.Table:
    return pa.table({"n": range(start, start + size), "words": [[str(i)] * (i % 3) for i in range(size)]}, SCHEMA)


def test_batches_become_row_groups_in_order(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    sizes = [5, 1, 7, 3, 4, 2]
    with ParquetWriter(target, SCHEMA) as writer:
        start = 0
        for size in sizes:
            writer.write(_batch(start, size))
            start += size
        writer.write(_batch(start, 0))  # an empty batch: no row group
    assert writer.rows == sum(sizes)
    file = pq.ParquetFile(target)
    assert [file.metadata.row_group(i).num_rows for i in range(file.num_row_groups)] == sizes
    assert pq.read_table(target).column("n").to_pylist() == list(range(sum(sizes)))
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]  # no temp file left


def test_the_same_batches_give_the_same_bytes(tmp_path: Path) -> None:
    files = []
    for name in ("a.parquet", "b.parquet"):
        with ParquetWriter(tmp_path / name, SCHEMA) as writer:
            for start in range(0, 40, 8):
                writer.write(_batch(start, 8))
        files.append((tmp_path / name).read_bytes())
    assert files[0] == files[1]


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    target.write_bytes(b"previous")
    with pytest.raises(ValueError, match="schema"), ParquetWriter(target, SCHEMA) as writer:
        writer.write(_batch(0, 3))
        writer.write(pa.table({"other": [1, 2]}))  # not the writer's schema
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]
