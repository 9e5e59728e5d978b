"""The streamed Parquet writer: one row group per batch, in order, renamed into place or not at all."""

import threading
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.engine import read_row_groups, row_group_tasks
from analysis.io.store import (
    PART_CHUNKS_FILE,
    PART_GLOB,
    PART_KEYS_FILE,
    ParquetParts,
    ParquetWriter,
    PartsWriter,
    footer,
    open_parquet,
    part_name,
    read_spooled,
    replace_folder,
    spool_tables,
    stored_digest,
    write_part,
)

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


def test_a_write_that_fails_in_the_background_raises_at_the_next_call(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    writer = ParquetWriter(target, SCHEMA)
    writer.write(pa.table({"other": [1, 2]}))  # encoded by the writer's thread: its error comes later
    with pytest.raises(ValueError, match="schema"):
        writer.write(_batch(0, 3))
    with pytest.raises(ValueError, match="schema"):  # and again: a file missing a batch is never put in place
        writer.close()
    assert list(tmp_path.iterdir()) == []


def test_batches_are_written_while_the_caller_goes_on(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    release, written = threading.Event(), []
    with ParquetWriter(target, SCHEMA) as writer:
        write_table = writer._writer.write_table

        def held(table: pa.Table, **options: Any) -> None:
            release.wait(timeout=30)
            written.append(table.num_rows)
            write_table(table, **options)

        writer._writer.write_table = held
        writer.write(_batch(0, 4))
        assert written == []  # the call came back before its batch was written
        release.set()
        writer.write(_batch(4, 2))  # (waits for the one before: in order)
    assert written == [4, 2]
    assert pq.read_table(target).column("n").to_pylist() == list(range(6))


def _parts(folder: Path, sizes: list[int]) -> pa.Table:
    """Parts of ``sizes`` rows (consecutive ``n``), the first one in two row groups; the whole table."""
    folder.mkdir()
    start = 0
    batches = []
    for index, size in enumerate(sizes):
        batches.append(_batch(start, size))
        if index == 0:
            pq.write_table(batches[-1], folder / part_name(index), row_group_size=max(1, size // 2 + 1))
        else:
            write_part(folder, index, batches[-1])
        start += size
    return pa.concat_tables(batches)


def test_a_file_footer_is_parsed_once_and_again_once_the_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    with ParquetWriter(path, SCHEMA) as writer:
        writer.write(_batch(0, 5))
        writer.write(_batch(5, 4))
    first = footer(path)
    assert footer(path) is first  # the parsed footer kept for the same file
    assert open_parquet(path).metadata.num_row_groups == 2
    assert open_parquet(path).read_row_group(1).column("n").to_pylist() == list(range(5, 9))
    # written again (a temp file renamed over it): another footer, and its rows read through it
    with ParquetWriter(path, SCHEMA) as writer:
        writer.write(_batch(100, 3))
    assert footer(path) is not first and footer(path).num_row_groups == 1
    assert open_parquet(path).read().column("n").to_pylist() == [100, 101, 102]
    # a file read with dictionaries (as the keyword stage reads tokens) through the kept footer
    words = open_parquet(path, read_dictionary=["words.list.element"]).read().column("words")
    assert pa.types.is_dictionary(words.type.value_type) and words.to_pylist() == [[], ["1"], ["2", "2"]]


def test_a_folder_of_parts_reads_as_one_file(tmp_path: Path) -> None:
    sizes = [5, 1, 7, 0, 4]
    whole = _parts(tmp_path / "t.parquet", sizes)
    (tmp_path / "t.parquet" / ".part-000009.parquet.x.tmp").write_bytes(b"a write that did not finish")
    parts = open_parquet(tmp_path / "t.parquet")
    assert isinstance(parts, ParquetParts)
    metadata = parts.metadata
    groups = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert groups == [3, 2, 1, 7, 0, 4] and metadata.num_rows == sum(sizes)
    assert parts.schema_arrow.names == SCHEMA.names and parts.read().to_pylist() == whole.to_pylist()
    assert pa.Table.from_batches(list(parts.iter_batches(batch_size=3))).to_pylist() == whole.to_pylist()
    assert parts.read_row_groups([1, 2, 3], columns=["n"]).column("n").to_pylist() == list(range(3, 13))
    assert parts.read_row_groups([], columns=["n"]).num_rows == 0
    # The engine's tasks over it: consecutive row groups across parts, every row once, in order.
    for batch_size in (1, 4, 100):
        tasks = row_group_tasks(tmp_path / "t.parquet", batch_size)
        assert sum(tasks, ()) == tuple(range(len(groups)))
        assert all(sum(groups[g] for g in task) >= batch_size for task in tasks[:-1])
        read = [read_row_groups(tmp_path / "t.parquet", task).column("n").to_pylist() for task in tasks]
        assert [n for rows in read for n in rows] == list(range(sum(sizes)))


def test_replace_folder_puts_the_new_parts_in_place(tmp_path: Path) -> None:
    target = tmp_path / "t.parquet"
    with ParquetWriter(target, SCHEMA) as writer:  # an earlier build's single file
        writer.write(_batch(0, 3))
    _parts(tmp_path / "new", [2, 2])
    replace_folder(tmp_path / "new", target)
    assert open_parquet(target).read().column("n").to_pylist() == [0, 1, 2, 3]
    _parts(tmp_path / "newer", [1, 1, 1])
    replace_folder(tmp_path / "newer", target)
    assert open_parquet(target).read().column("n").to_pylist() == [0, 1, 2]  # not the folder read before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.parquet"]


def _write_parts(target: Path, batches: list[tuple[pa.Table, str | None]], **options: Any) -> PartsWriter:
    with PartsWriter(target, SCHEMA, **options) as writer:
        for table, key in batches:
            writer.write(table, key=key)
    return writer


def test_a_parts_writer_keeps_the_parts_written_before_with_the_same_key(tmp_path: Path) -> None:
    """A batch whose key a part of the folder there holds is linked, not encoded; the others (no key,
    another key, a folder written with other settings, a fresh write) are encoded; the parts read
    as one table, the same bytes either way."""
    target = tmp_path / "t.parquet"
    with ParquetWriter(target, SCHEMA) as single:  # an earlier version's single file: nothing to keep
        single.write(_batch(0, 3))
    batches = [(_batch(0, 4), "a"), (_batch(4, 0), "empty"), (_batch(4, 3), "b"), (_batch(7, 2), None)]
    first = _write_parts(target, batches)
    assert (first.parts, first.linked, first.rows) == (3, 0, 9)
    names = [part_name(i) for i in range(3)]
    assert sorted(p.name for p in target.iterdir()) == [PART_CHUNKS_FILE, PART_KEYS_FILE, *names]
    assert open_parquet(target).read().to_pylist() == pa.concat_tables([t for t, _ in batches]).to_pylist()
    inodes = {p.name: p.stat().st_ino for p in target.glob(PART_GLOB)}
    written = {p.name: p.read_bytes() for p in target.glob(PART_GLOB)}

    # the same rows again, and one more batch; "b" now second
    second = _write_parts(target, [(_batch(4, 3), "b"), (_batch(0, 4), "a"), (_batch(7, 2), None), (_batch(9, 1), "c")])
    assert (second.parts, second.linked, second.rows) == (4, 2, 10)
    now = {p.name: p.stat().st_ino for p in target.glob(PART_GLOB)}
    assert now[part_name(0)] == inodes[part_name(1)] and now[part_name(1)] == inodes[part_name(0)]
    assert now[part_name(2)] not in inodes.values()  # no key: encoded
    fresh = _write_parts(tmp_path / "fresh.parquet", [(_batch(4, 3), "b"), (_batch(0, 4), "a"), (_batch(7, 2), None)])
    assert fresh.linked == 0
    assert (target / part_name(0)).read_bytes() == (tmp_path / "fresh.parquet" / part_name(0)).read_bytes()
    assert (target / part_name(1)).read_bytes() == written[part_name(0)]

    # keep=False (a fresh build), another compression, a damaged list of keys: every part encoded
    assert _write_parts(target, [(_batch(0, 4), "a")], keep=False).linked == 0
    assert _write_parts(target, [(_batch(0, 4), "a")]).linked == 1
    assert _write_parts(target, [(_batch(0, 4), "a")], compression="snappy").linked == 0
    assert _write_parts(target, [(_batch(0, 4), "a")], compression="snappy").linked == 1
    (target / PART_KEYS_FILE).write_text("{not json")
    assert _write_parts(target, [(_batch(0, 4), "a")], compression="snappy").linked == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.parquet", "t.parquet"]  # no staged folder left


def test_a_parts_writer_reads_back_the_members_of_the_parts_before(tmp_path: Path) -> None:
    """A part's members (runs of its rows, by digest) are found again by the next writer of the
    folder, kept parts' too; a member of no part, or of a folder written otherwise, is None."""
    target = tmp_path / "t.parquet"
    first, second = _batch(0, 5), _batch(5, 3)
    with PartsWriter(target, SCHEMA) as writer:
        writer.write(first, "a", members=[("x", 2), ("y", 3)])
        writer.write(second, "b", members=[("z", 3)])
    again = PartsWriter(target, SCHEMA)
    assert again.known() == {"x", "y", "z"}
    assert again.member("y").to_pylist() == first.slice(2, 3).to_pylist()
    assert again.member("z").to_pylist() == second.to_pylist()
    assert again.member("w") is None
    assert again.keep("a", members=[("x", 2), ("y", 3)])
    again.write(_batch(8, 2), members=[("v", 2)])
    again.close()
    latest = PartsWriter(target, SCHEMA)
    assert latest.known() == {"x", "y", "v"} and latest.member("x").to_pylist() == first.slice(0, 2).to_pylist()
    latest.abort()
    other = PartsWriter(target, SCHEMA, compression="snappy")
    assert other.known() == frozenset()
    other.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.parquet"]


def test_a_parts_writer_encodes_two_parts_at_once_each_in_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two parts are encoded at once (each its own file); a third waits for the first; an error
    comes at the call that waits for its part, and at the close, and the folder before stays."""
    from analysis.io import store

    release, started = threading.Event(), []
    real = store.write_part

    def held(folder: Path, index: int, table: pa.Table, **options: Any) -> Path:
        started.append(index)
        if index == 0:
            release.wait(timeout=30)
        return real(folder, index, table, **options)

    monkeypatch.setattr(store, "write_part", held)
    target = tmp_path / "t.parquet"
    writer = PartsWriter(target, SCHEMA)
    writer.write(_batch(0, 4))
    writer.write(_batch(4, 2))  # (encoded while the first is held)
    for _ in range(300):
        if sorted(started) == [0, 1] and writer._pending[1].done():
            break
        threading.Event().wait(0.01)
    assert sorted(started) == [0, 1] and writer._pending[1].done() and not writer._pending[0].done()
    release.set()
    writer.write(_batch(6, 3))  # (waits for the first)
    writer.close()
    assert open_parquet(target).read().column("n").to_pylist() == list(range(9))

    def failing(folder: Path, index: int, table: pa.Table, **options: Any) -> Path:
        if index == 1:
            raise OSError("disk full")
        return real(folder, index, table, **options)

    monkeypatch.setattr(store, "write_part", failing)
    before = {part.name: part.read_bytes() for part in target.iterdir()}
    writer = PartsWriter(target, SCHEMA, keep=False)
    writer.write(_batch(0, 4))
    writer.write(_batch(4, 2))
    writer.write(_batch(6, 3))  # (waits for the first part only)
    with pytest.raises(OSError, match="disk full"):
        writer.write(_batch(9, 1))  # (waits for the second)
    with pytest.raises(OSError, match="disk full"):
        writer.close()
    assert {part.name: part.read_bytes() for part in target.iterdir()} == before


def test_a_parts_writer_that_fails_leaves_the_folder_before(tmp_path: Path) -> None:
    target = tmp_path / "t.parquet"
    _write_parts(target, [(_batch(0, 4), "a")])
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    with pytest.raises(RuntimeError), PartsWriter(target, SCHEMA) as writer:
        writer.write(_batch(0, 4), key="a")
        writer.write(_batch(4, 2), key="b")
        raise RuntimeError("a build that stops on the way")
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.parquet"]
    empty = _write_parts(tmp_path / "none.parquet", [(_batch(0, 0), "a")])  # no rows: one empty part
    assert empty.parts == 0 and open_parquet(tmp_path / "none.parquet").read().schema.names == SCHEMA.names


def test_a_folder_with_no_parts_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "empty.parquet").mkdir()
    with pytest.raises(ValueError, match=r"empty\.parquet"):
        open_parquet(tmp_path / "empty.parquet")


def test_stored_digest_tells_rows_apart_by_their_bytes(tmp_path: Path) -> None:
    """The digest of some row groups' stored chunks: the same rows written the same way match,
    wherever they lie; a changed value, a changed type or other groups do not; other columns
    are not looked at."""
    rows = [_batch(0, 5), _batch(5, 4), _batch(9, 6)]
    pq.write_table(pa.concat_tables(rows), tmp_path / "a.parquet", row_group_size=5)  # groups 5, 5, 5
    pq.write_table(pa.concat_tables(rows[:2]), tmp_path / "b.parquet", row_group_size=5)  # groups 5, 4
    pq.write_table(pa.concat_tables(rows[:1] * 2), tmp_path / "c.parquet", row_group_size=5)  # groups 5, 5
    a, b, c = (tmp_path / f"{name}.parquet" for name in "abc")
    assert stored_digest(a, [0]) == stored_digest(b, [0]) == stored_digest(c, [1])
    assert stored_digest(a, [0, 1]) != stored_digest(b, [0, 1])  # other rows in the second group
    assert stored_digest(a, [0]) != stored_digest(a, [1]) != stored_digest(a, [0, 1])
    # a column's chunks alone: the other columns may differ
    other = _batch(0, 5).set_column(1, "words", pa.array([["x"]] * 5, pa.list_(pa.string())))
    pq.write_table(other, tmp_path / "d.parquet")
    d = tmp_path / "d.parquet"
    assert stored_digest(d, [0], ["n"]) == stored_digest(a, [0], ["n"])
    assert stored_digest(d, [0]) != stored_digest(a, [0]) and stored_digest(d, [0], ["words"]) != stored_digest(
        a, [0], ["words"]
    )
    # the same stored integers as another type are other values
    stamps = _batch(0, 5).set_column(0, "n", pa.array(range(5), pa.int64()).cast(pa.timestamp("ms")))
    pq.write_table(stamps, tmp_path / "e.parquet")
    assert stored_digest(tmp_path / "e.parquet", [0], ["n"]) != stored_digest(a, [0], ["n"])
    # a folder of parts: a group's digest is that of the part it lies in
    _parts(tmp_path / "t.parquet", [5, 1, 7])
    folder = tmp_path / "t.parquet"
    assert stored_digest(folder, [2]) == stored_digest(folder / part_name(1), [0])
    assert stored_digest(folder, [0, 1, 3]) != stored_digest(folder, [0, 1, 2])


def _counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the chunks stored_digest reads from now on (none hashed before, in this process)."""
    import os

    import analysis.io.store as store

    monkeypatch.setattr(store, "_CHUNK_DIGESTS", {})
    read: list[int] = []
    real_pread = os.pread

    def pread(fd: int, size: int, offset: int) -> bytes:
        read.append(size)
        return real_pread(fd, size, offset)

    monkeypatch.setattr(store.os, "pread", pread)
    return read


def test_stored_digest_hashes_a_chunk_once_per_file_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process hashes each column chunk of a file once (the tasks of a row group share it,
    whatever columns each asks for); a file renamed into its place is another file, hashed again."""
    import os

    read = _counted_reads(monkeypatch)
    target = tmp_path / "t.parquet"
    pq.write_table(pa.concat_tables([_batch(0, 5), _batch(5, 5)]), target, row_group_size=5)
    first = stored_digest(target, [0])
    assert len(read) == 2  # both columns of group 0
    assert stored_digest(target, [0]) == first and stored_digest(target, [0], ["n"]) != first
    assert len(read) == 2  # none read again
    assert stored_digest(target, [0, 1]) != first and len(read) == 4  # group 1's chunks, once
    # the same path written again (another file: renamed into place), with other values
    staged = tmp_path / "staged.parquet"
    pq.write_table(pa.concat_tables([_batch(1, 5), _batch(5, 5)]), staged, row_group_size=5)
    os.replace(staged, target)
    assert stored_digest(target, [0]) != first and len(read) == 6


def test_stored_digest_reads_the_chunk_digests_a_parts_writer_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parts writer records each part's chunk digests beside it: stored_digest gives what hashing
    the part's bytes gives, reading none of them; the next writer carries a kept part's record
    over, or makes it for a part that has none; a part changed since (another modification time)
    or a damaged record file: its bytes hashed again."""
    import os
    import shutil

    import analysis.io.store as store

    target, plain = tmp_path / "t.parquet", tmp_path / "plain.parquet"
    _write_parts(target, [(_batch(0, 4), "a"), (_batch(4, 3), "b")])
    shutil.copytree(target, plain)
    (plain / PART_CHUNKS_FILE).unlink()  # the same parts, their bytes hashed
    asked = [([0], None), ([1], None), ([0, 1], ["n"]), ([1], ["words"])]
    expected = [stored_digest(plain, groups, columns) for groups, columns in asked]
    read = _counted_reads(monkeypatch)
    assert [stored_digest(target, groups, columns) for groups, columns in asked] == expected
    assert read == []
    # kept by the next writer (in another order): the records carried over
    second = _write_parts(target, [(_batch(4, 3), "b"), (_batch(0, 4), "a")])
    assert second.linked == 2
    assert [stored_digest(target, [g]) for g in (0, 1)] == [expected[1], expected[0]] and read == []
    # a folder written before the records: the next writer makes them for the parts it keeps
    (target / PART_CHUNKS_FILE).unlink()
    assert _write_parts(target, [(_batch(4, 3), "b"), (_batch(0, 4), "a")]).linked == 2
    assert (target / PART_CHUNKS_FILE).is_file()
    read.clear()
    store._CHUNK_DIGESTS.clear()
    assert [stored_digest(target, [g]) for g in (0, 1)] == [expected[1], expected[0]] and read == []
    # a part touched since its record, then a damaged record file: the bytes hashed again
    part = target / part_name(0)
    os.utime(part, ns=(part.stat().st_atime_ns, part.stat().st_mtime_ns + 1))
    assert stored_digest(target, [0]) == expected[1] and len(read) == 2
    (target / PART_CHUNKS_FILE).write_text("{not json")
    assert stored_digest(target, [1]) == expected[0] and len(read) == 4


def test_stored_digest_of_a_chunk_with_its_dictionary_unlocated_matches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose metadata announces a dictionary page at offset 0 (as some writers do): the
    bytes that tell its values apart cannot be found, so no two digests of it are equal."""
    import analysis.io.store as store

    _parts(tmp_path / "t.parquet", [5, 1])
    folder = tmp_path / "t.parquet"
    assert stored_digest(folder, [2]) == stored_digest(folder, [2])
    read_metadata = pq.read_metadata

    class Altered:
        """``target`` with some attributes replaced."""

        def __init__(self, target: object, **replaced: object) -> None:
            self._target = target
            self.__dict__.update(replaced)

        def __getattr__(self, name: str) -> object:
            return getattr(self._target, name)

    def unlocated(path: object) -> Altered:
        metadata: Any = read_metadata(path)

        def group(i: int) -> Altered:
            def chunk(j: int) -> Altered:
                return Altered(metadata.row_group(i).column(j), has_dictionary_page=True, dictionary_page_offset=0)

            return Altered(metadata.row_group(i), column=chunk)

        return Altered(metadata, row_group=group)

    monkeypatch.setattr(store.pq, "read_metadata", unlocated)
    assert stored_digest(folder, [2]) != stored_digest(folder, [2])
    assert stored_digest(folder, [2], ["n"]) != stored_digest(folder, [2], ["n"])


def test_spooled_tables_come_back_whole_and_leave_no_file(tmp_path: Path) -> None:
    tables = [
        pa.table({"id": ["a", "b"], "tokens": [["x", "y"], []]}),
        pa.table({"n": pa.array([], pa.int64())}),
        pa.table({"text": ["é" * 1000, None]}),
    ]
    path, spans = spool_tables(tmp_path / "spool", tables)
    assert Path(path).parent == tmp_path / "spool" and len(spans) == 3
    back = read_spooled(path, spans)
    assert not list((tmp_path / "spool").iterdir())  # removed once read, the tables still readable
    assert [t.schema for t in back] == [t.schema for t in tables]
    assert all(a.equals(b) for a, b in zip(back, tables, strict=True))


def test_a_cleaning_result_crosses_processes_through_its_spool_folder(tmp_path: Path) -> None:
    import pickle

    from analysis.clean import BatchResult, CleanStats

    articles, tokens, audit = pa.table({"a": [1]}), pa.table({"t": [["x"]]}), pa.table({"r": ["line"]})
    result = BatchResult(CleanStats(), articles, tokens, audit, [], spool=str(tmp_path / "spool"))
    data = pickle.dumps(result)
    assert len(data) < 2000 and len(list((tmp_path / "spool").iterdir())) == 1  # the tables went to a file
    back = pickle.loads(data)
    assert (back.articles, back.tokens, back.audit) == (articles, tokens, audit)
    assert back.spool is None and not list((tmp_path / "spool").iterdir())
    inline = pickle.loads(pickle.dumps(BatchResult(CleanStats(), articles, tokens, audit, [])))
    assert inline.articles == articles  # without a spool folder, in the pickle itself
