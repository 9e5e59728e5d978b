"""Writing and reading tables: atomic (temp file, then rename), streamed in row groups."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, NamedTuple, Self

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.schema import ARTICLE_SCHEMA, to_pandas, validate_articles


def open_parquet(source: Any, **options: Any) -> Any:
    """A Parquet file to read row group by row group, in memory bounded by a row group.

    pyarrow's default (``pre_buffer=True``) keeps the column chunks it has read buffered while the
    file is open: iterating over a large file then holds most of it in memory. A folder of parts
    (see :class:`ParquetParts`) is read as one file.
    """
    if isinstance(source, (str, os.PathLike)):
        if os.path.isdir(source):
            return ParquetParts(Path(source), **options)
        return pq.ParquetFile(source, pre_buffer=False, metadata=footer(source), **options)
    return pq.ParquetFile(source, pre_buffer=False, **options)


def footer(path: str | os.PathLike[str]) -> Any:
    """The parsed footer (``FileMetaData``) of a Parquet file, read once per process while the file
    is the same (same device, inode, size and modification time: the tables are written to a temp
    file, then renamed, never changed in place).

    A stage's tasks each open the file they read, some twice: parsing the footer of the loaded
    table of a million articles (495 row groups, 2.5 MB) took 6.4 ms of CPU each time, 90 s of a
    fresh build's in a profile, a cost that grows with the number of tasks times that of row
    groups. A few footers are kept (a task reads one or two files).
    """
    info = os.stat(path)
    return _footer(os.fspath(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


@lru_cache(maxsize=4)
def _footer(path: str, device: int, inode: int, size: int, stamp: int) -> Any:
    return pq.read_metadata(path)


#: The parts of a table split into one file per task, in order (what pandas, pyarrow, DuckDB and
#: Dask read as one table: ``pd.read_parquet(folder)``, ``read_parquet('folder/*.parquet')``).
PART_GLOB = "part-*.parquet"


def part_name(index: int) -> str:
    """The file name of part ``index`` of a table written as parts (names sort in part order)."""
    return f"part-{index:06d}.parquet"


class _Group(NamedTuple):
    num_rows: int


class _PartsMetadata(NamedTuple):
    """What readers ask of a file's metadata, for a folder of parts: rows, row groups and their sizes."""

    num_rows: int
    groups: tuple[_Group, ...]

    @property
    def num_row_groups(self) -> int:
        return len(self.groups)

    def row_group(self, index: int) -> _Group:
        return self.groups[index]


_Layout = tuple[tuple[Path, ...], tuple[tuple[int, int], ...], _PartsMetadata]


@lru_cache(maxsize=16)
def _layout(folder: str, inode: int, stamp: int) -> _Layout:
    """The parts of ``folder`` and where each row group lies (part, row group in it), read once per
    process while the folder is the same (a folder of parts is replaced whole, never changed)."""
    paths = tuple(sorted(Path(folder).glob(PART_GLOB)))
    if not paths:
        raise ValueError(f"{folder}: a folder of Parquet parts with no {PART_GLOB} file")
    where: list[tuple[int, int]] = []
    groups: list[_Group] = []
    rows = 0
    for index, path in enumerate(paths):
        metadata = footer(path)
        rows += metadata.num_rows
        for group in range(metadata.num_row_groups):
            where.append((index, group))
            groups.append(_Group(metadata.row_group(group).num_rows))
    return paths, tuple(where), _PartsMetadata(rows, tuple(groups))


class ParquetParts:
    """A folder of Parquet parts (:data:`PART_GLOB`, same schema) read as one :class:`pyarrow.parquet.ParquetFile`:
    row groups numbered across the parts in their order, batches never spanning two parts.

    Tables written by their tasks, one part each (no process writes them all), are read so by the
    stages' readers and tasks (:func:`analysis.engine.row_group_tasks`, ``read_row_groups``). The
    parts' footers are read once per process; a part is opened when rows are read from it.
    """

    def __init__(self, folder: Path, **options: Any) -> None:
        info = folder.stat()
        self.folder = folder
        self.paths, self._where, self.metadata = _layout(str(folder), info.st_ino, info.st_mtime_ns)
        self._options = options

    def _open(self, index: int) -> pq.ParquetFile:
        return pq.ParquetFile(self.paths[index], pre_buffer=False, metadata=footer(self.paths[index]), **self._options)

    def where(self, group: int) -> tuple[Path, int]:
        """The part holding row group ``group``, and the group's number in it."""
        part, local = self._where[group]
        return self.paths[part], local

    @property
    def schema(self) -> Any:
        return self._open(0).schema

    @property
    def schema_arrow(self) -> pa.Schema:
        return self._open(0).schema_arrow

    def read_row_groups(self, groups: list[int], columns: list[str] | None = None) -> pa.Table:
        tables: list[pa.Table] = []
        for part, together in itertools.groupby(groups, key=lambda g: self._where[g][0]):
            tables.append(self._open(part).read_row_groups([self._where[g][1] for g in together], columns=columns))
        if not tables:
            empty = self.schema_arrow.empty_table()
            return empty.select(columns) if columns is not None else empty
        return pa.concat_tables(tables)

    def read_row_group(self, index: int, columns: list[str] | None = None) -> pa.Table:
        return self.read_row_groups([index], columns)

    def iter_batches(self, batch_size: int = 65_536, columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
        for index in range(len(self.paths)):
            yield from self._open(index).iter_batches(batch_size=batch_size, columns=columns)

    def read(self, columns: list[str] | None = None) -> pa.Table:
        return pa.concat_tables([self._open(index).read(columns=columns) for index in range(len(self.paths))])


#: The digests of column chunks this process has hashed, by file (its identity: a file written
#: again is another inode, or another size or time), row group and column: the tasks of a row group
#: (cleaning has four per group, in two passes) hash each of its chunks once per process.
_CHUNK_DIGESTS: dict[tuple[Any, ...], bytes] = {}
_CHUNK_DIGESTS_HELD = 100_000


def stored_digest(path: Path, groups: tuple[int, ...] | list[int], columns: list[str] | None = None) -> str:
    """A hash of the stored bytes of ``columns`` (default: all) in row groups ``groups`` of a Parquet
    file (or a folder of parts), with the columns' types, got without decoding a value.

    Equal bytes hold equal rows: the key of results computed from those rows (the same rows
    encoded otherwise, by another writer or version, only miss). A stage's task that an earlier
    build answered then needs to read none of its large columns. A column chunk whose dictionary
    page the file does not locate (some writers leave its offset at 0) gives a digest that
    matches nothing: without those bytes, equal digests would not mean equal rows.

    A part that :class:`PartsWriter` wrote has its chunks' digests recorded beside it (made once,
    by the writer's thread: see :func:`chunk_record`): they are read, not made again, while the
    part is the file they were made of (its size and modification time, which a copy that keeps
    them, as ``cp -a``, keeps too).
    """
    source = open_parquet(path)
    parts = isinstance(source, ParquetParts)
    located = [source.where(g) for g in groups] if parts else [(Path(path), g) for g in groups]
    schema = source.schema_arrow
    columns = schema.names if columns is None else columns
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr([(name, str(schema.field(name).type)) for name in columns]).encode())
    wanted = set(columns)
    records = _chunk_records(Path(path)) if parts else {}
    for file, together in itertools.groupby(located, key=lambda item: item[0]):
        with open(file, "rb") as handle:
            stat = os.fstat(handle.fileno())
            identity = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
            metadata = None
            for _, local in together:
                chunks = _recorded_chunks(records.get(file.name), identity, local)
                if chunks is None:
                    if metadata is None:
                        metadata = source.metadata if file == Path(path) else pq.read_metadata(file)
                    chunks = _group_digests(handle.fileno(), identity, metadata, local, wanted)
                for name, hashed in chunks:
                    if name.split(".", 1)[0] not in wanted:
                        continue
                    if hashed is None:  # a writer that does not say where its dictionary page lies:
                        return f"unlocated:{os.urandom(16).hex()}"  # no key that can match (a miss)
                    digest.update(name.encode() + b"\0" + hashed)
    return digest.hexdigest()


def _group_digests(
    fd: int, identity: tuple[int, ...], metadata: Any, local: int, wanted: set[str] | None = None
) -> list[tuple[str, bytes | None]]:
    """Each column chunk of row group ``local`` of an open file: its path in the schema and the
    hash of its stored bytes (None when the file does not say where its dictionary page lies);
    ``wanted``: only those columns hashed (the others' hashes None)."""
    group = metadata.row_group(local)
    found: list[tuple[str, bytes | None]] = []
    for index in range(group.num_columns):
        chunk = group.column(index)
        name = chunk.path_in_schema
        start = chunk.data_page_offset
        if chunk.has_dictionary_page:
            if not chunk.dictionary_page_offset or (wanted is not None and name.split(".", 1)[0] not in wanted):
                found.append((name, None))
                continue
            start = min(start, chunk.dictionary_page_offset)
        elif wanted is not None and name.split(".", 1)[0] not in wanted:
            found.append((name, None))
            continue
        key = (*identity, local, index)
        hashed = _CHUNK_DIGESTS.get(key)
        if hashed is None:
            data = os.pread(fd, chunk.total_compressed_size, start)
            hashed = hashlib.blake2b(data, digest_size=16).digest()
            if len(_CHUNK_DIGESTS) >= _CHUNK_DIGESTS_HELD:
                _CHUNK_DIGESTS.clear()
            _CHUNK_DIGESTS[key] = hashed
        found.append((name, hashed))
    return found


def _recorded_chunks(record: Any, identity: tuple[int, ...], local: int) -> list[tuple[str, bytes | None]] | None:
    """Row group ``local``'s chunks as a part's record holds them (see :func:`chunk_record`), if
    the record is of the file as it is (``identity``: device, inode, size, modification time);
    else None (none, another file, or not as written)."""
    if not _records_file(record, identity[2], identity[3]):
        return None
    try:
        return [
            (str(name), None if hashed is None else bytes.fromhex(hashed)) for name, hashed in record["groups"][local]
        ]
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _records_file(record: Any, size: int, mtime_ns: int) -> bool:
    """Whether a part's chunk record (see :func:`chunk_record`) was made of a file of this size and
    modification time (the part as it is)."""
    return isinstance(record, dict) and record.get("file") == [size, mtime_ns]


def chunk_record(part: Path) -> dict[str, Any] | None:
    """What :func:`stored_digest` needs of a part, made once: the part's size and modification
    time, and its column chunks' digests per row group (None if it cannot be read)."""
    try:
        with open(part, "rb") as handle:
            stat = os.fstat(handle.fileno())
            identity = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
            metadata = pq.read_metadata(handle)
            groups = [
                [
                    [name, None if hashed is None else hashed.hex()]
                    for name, hashed in _group_digests(handle.fileno(), identity, metadata, local)
                ]
                for local in range(metadata.num_row_groups)
            ]
    except (OSError, pa.ArrowException):
        return None
    return {"file": [stat.st_size, stat.st_mtime_ns], "rows": metadata.num_rows, "groups": groups}


def _chunk_records(folder: Path) -> dict[str, Any]:
    """The chunk records (:func:`chunk_record`) of a folder's parts, by part name (read once per
    process and version of the folder's :data:`PART_CHUNKS_FILE`)."""
    try:
        stat = (folder / PART_CHUNKS_FILE).stat()
    except OSError:
        return {}
    return _read_chunk_records(str(folder), stat.st_ino, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _read_chunk_records(folder: str, inode: int, size: int, mtime: int) -> dict[str, Any]:
    try:
        records = json.loads((Path(folder) / PART_CHUNKS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}


def replace_folder(staged: Path, target: Path) -> None:
    """Put the folder ``staged`` in the place of ``target`` (a file, a folder, or nothing).

    Two renames (the old one aside, the new one in), then the old one removed: a failure before
    the second rename leaves the old one aside as ``.NAME.old``, never a mix of the two.
    """
    old = target.with_name(f".{target.name}.old")
    remove_path(old)
    if target.exists() or target.is_symlink():
        os.replace(target, old)
    os.replace(staged, target)
    remove_path(old)


def remove_path(path: Path) -> None:
    """Remove a file or a folder (with what it holds), if there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


_MODE = 0o666 & ~_umask()


def temp_beside(target: Path) -> Path:
    """A new empty temp file in ``target``'s folder (same file system, so renaming is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(name, _MODE)  # mkstemp makes 0600 files; outputs are for everyone who may read the folder
    return Path(name)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temp path beside ``target``, renamed onto it only if the block ends without error."""
    tmp = temp_beside(target)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextmanager
def atomic_text(target: Path) -> Iterator[IO[str]]:
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as handle:
        yield handle


def option_file(value: str, root: Path, error: type[Exception], what: str) -> tuple[Path, str]:
    """The file an option names, absolute (a relative path is read from the project's ``root``),
    and the SHA-256 of its bytes (for a stage's key: a file changed at the same path is another
    input); ``error`` naming the path when there is no such file (``what`` it should be)."""
    path = Path(value).expanduser()
    path = path if path.is_absolute() else root / path
    if not path.is_file():
        raise error(f"{path}: no such file ({what})")
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def read_saved_model(
    path: Path, key: bytes, columns: Sequence[str], version: int, error: type[ValueError], what: str
) -> tuple[pa.Table, dict[str, Any]]:
    """A model a build saved as Parquet: its table (``columns``) and the JSON object its metadata
    holds under ``key`` (``format``: ``version``). Raises ``error`` naming ``path`` when it is not
    readable, not such a file (``what`` says which: ``topic model (the topic_model.parquet a build
    writes)``) or of another format."""
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise error(f"{path}: not a readable Parquet file ({exc})") from exc
    metadata = table.schema.metadata or {}
    if key not in metadata or table.column_names != list(columns):
        raise error(f"{path}: not a {what}")
    try:
        info = json.loads(metadata[key])
    except ValueError as exc:
        raise error(f"{path}: not a {what} ({exc})") from exc
    found = info.get("format") if isinstance(info, dict) else None
    if found != version:
        raise error(f"{path}: a {what} of format {found}; this version reads format {version}")
    return table, info


def write_json(target: Path, data: Any) -> None:
    with atomic_text(target) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2, sort_keys=False, default=str)
        handle.write("\n")


def _statistics_columns(schema: pa.Schema) -> list[str]:
    """The columns given statistics (min and max per row group): those of values, not lists (tokens,
    terms, tags). No reader filters on a list's least string, and they cost a sixth of writing the
    token table (3.8 against 3.25 s for 100,000 bench articles)."""
    return [field.name for field in schema if not pa.types.is_list(field.type)]


def write_part(folder: Path, index: int, table: pa.Table, *, compression: str = "zstd") -> Path:
    """Part ``index`` of a table written as parts (:class:`ParquetParts`): one row group, atomically."""
    target = folder / part_name(index)
    with atomic_path(target) as tmp:
        pq.write_table(
            table,
            tmp,
            compression=compression,
            write_statistics=_statistics_columns(table.schema),
            row_group_size=max(1, table.num_rows),
        )
    return target


def spool_tables(folder: Path, tables: Sequence[pa.Table]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``tables`` written one after the other as Arrow IPC streams into a new file in ``folder``:
    its path and each stream's (offset, length), for :func:`read_spooled` in another process."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix="spool-", suffix=".arrow")
    os.close(handle)
    spans: list[tuple[int, int]] = []
    with pa.OSFile(name, "wb") as sink:
        for table in tables:
            start = sink.tell()
            with pa.ipc.new_stream(sink, table.schema) as stream:
                stream.write_table(table)
            spans.append((start, sink.tell() - start))
    return name, tuple(spans)


def read_spooled(path: str, spans: Sequence[tuple[int, int]]) -> list[pa.Table]:
    """The tables :func:`spool_tables` wrote, mapped from the file rather than copied; the file is
    removed at once (its pages stay readable while a table uses them)."""
    try:
        source = pa.memory_map(path)
        return [pa.ipc.open_stream(source.read_at(length, start)).read_all() for start, length in spans]
    finally:
        os.unlink(path)


class _ThreadedWriter:
    """What :class:`ParquetWriter` and :class:`PartsWriter` share: each batch is encoded by a thread
    of the writer's own (``threads`` of them, as many batches being encoded at most, while the
    caller goes on); :meth:`close` puts the output in place, and :meth:`abort` (or an error inside
    a ``with`` block) leaves the previous one."""

    def __init__(self, name: str, threads: int = 1) -> None:
        self._thread = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
        self._threads = threads
        self._pending: deque[Future[None]] = deque()

    def _submit(self, encode: Callable[..., Any], *args: Any, **options: Any) -> None:
        self._drain(self._threads - 1)  # (the batches go in order, as many as threads at most)
        self._pending.append(self._thread.submit(encode, *args, **options))

    def _wait(self) -> None:
        self._drain(0)

    def _drain(self, left: int) -> None:
        """Wait until at most ``left`` batches are being encoded."""
        while len(self._pending) > left:
            self._pending[0].result()  # (a write that failed stays pending: every later call raises its error)
            self._pending.popleft()

    def _stop(self) -> None:
        """The threads stopped, the batches they were writing dropped (the output is thrown away)."""
        with suppress(Exception):  # the output is thrown away: its write's error no longer matters
            self._wait()
        self._thread.shutdown()

    def close(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


class ParquetWriter(_ThreadedWriter):
    """Streams batches into one Parquet file, one row group per batch, renamed into place on close.

    Nothing appears at ``target`` until :meth:`close`; :meth:`abort` (or an error inside a
    ``with`` block) leaves any previous file in place.

    A batch is encoded and written by a thread of the writer's own while the caller goes on
    (pyarrow releases the GIL meanwhile): the stages' main process collects the next results
    from its workers instead of waiting on the encoder. One batch at most waits for its turn
    (memory stays bounded by two batches); an error writing one raises at the next
    :meth:`write` or :meth:`close` and at every one after (the file is never put in place).
    """

    def __init__(
        self,
        target: Path,
        schema: pa.Schema,
        *,
        compression: str = "zstd",
    ) -> None:
        self.target = target
        self.tmp = temp_beside(target)
        self.schema = schema
        self._writer = pq.ParquetWriter(
            self.tmp, schema, compression=compression, write_statistics=_statistics_columns(schema)
        )
        super().__init__("parquet-writer")
        self.rows = 0
        self.groups = 0  # row groups written

    def write(self, rows: list[dict[str, Any]] | pa.Table) -> None:
        table = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows, schema=self.schema)
        if table.num_rows == 0:
            return
        self._submit(self._writer.write_table, table, row_group_size=table.num_rows)
        self.rows += table.num_rows
        self.groups += 1

    def close(self) -> None:
        try:
            self._wait()
        except BaseException:
            self.abort()
            raise
        self._thread.shutdown()
        self._writer.close()
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        try:
            self._stop()
            self._writer.close()
        finally:
            self.tmp.unlink(missing_ok=True)


#: In a folder written by :class:`PartsWriter`, the key each part was written with (a hidden file,
#: which pyarrow, pandas and Dask skip when they read the folder as one table).
PART_KEYS_FILE = ".part-keys.json"

#: In a folder written by :class:`PartsWriter`, each part's :func:`chunk_record` (a hidden file apart
#: from :data:`PART_KEYS_FILE`: it holds the parts' modification times).
PART_CHUNKS_FILE = ".part-chunks.json"


def _recorded(folder: Path, settings: str, kind: str) -> dict[str, Any]:
    """What :class:`PartsWriter` recorded of each part of ``folder`` (part name: value) under ``kind``,
    if it wrote them with these ``settings`` and the part is there; else nothing."""
    try:
        recorded = json.loads((folder / PART_KEYS_FILE).read_text(encoding="utf-8"))
        if recorded.get("settings") != settings:
            return {}
        values = recorded.get(kind, {})
    except (OSError, ValueError, AttributeError):  # none (a file, a fresh folder) or unreadable
        return {}
    if not isinstance(values, dict):
        return {}
    return {name: value for name, value in values.items() if (folder / name).is_file()}


def part_keys(folder: Path, settings: str, kind: str = "parts") -> dict[str, Path]:
    """The parts of ``folder`` that :class:`PartsWriter` wrote with these ``settings``, by their key
    (``kind="parts"``) or by their key without what a caller changes in them (``"contents"``)."""
    found: dict[str, Path] = {}
    for name, key in _recorded(folder, settings, kind).items():
        if isinstance(key, str):
            found.setdefault(key, folder / name)
    return found


def _part_members(folder: Path, settings: str) -> dict[str, tuple[Path, int, int]]:
    """Where the members :class:`PartsWriter` recorded in the parts of ``folder`` lie, by digest: (part, row, rows)."""
    found: dict[str, tuple[Path, int, int]] = {}
    for name, members in _recorded(folder, settings, "members").items():
        try:
            start = 0
            for digest, rows in members:
                found.setdefault(str(digest), (folder / name, start, int(rows)))
                start += int(rows)
        except (TypeError, ValueError):  # not as written: those of that part are not used
            continue
    return found


class PartsWriter(_ThreadedWriter):
    """Streams batches into a folder of parts (:class:`ParquetParts`, one part and one row group per
    batch), put in place of ``target`` on close (:func:`replace_folder`).

    A batch written with a ``key`` (a digest of its rows: equal keys, equal rows) is first looked
    for among the parts of the folder already at ``target``: a part there with that key is linked
    into the new folder as it is, not encoded again (an addition to a corpus writes only the parts
    whose rows changed); :meth:`keep` does so before the caller has the rows. The keys are kept
    beside the parts (:data:`PART_KEYS_FILE`), with the writer's settings (pyarrow's version, the
    compression, the schema): a part written otherwise is not taken for one of these; and not in
    the parts, whose bytes are the same whatever the key. A part may also be given a ``content``
    key, that of its rows less what the caller changes in them (the article table's duplicate
    marks): :meth:`earlier` finds the earlier part with the same content, to read its rows from.
    ``keep=False`` (a fresh build) encodes every part.

    As :class:`ParquetWriter`: nothing appears at ``target`` until :meth:`close`, :meth:`abort`
    leaves the previous folder (or file) in place, and a part is encoded by a thread of the
    writer's own while the caller goes on; two parts at once, each its own file (the 193 article
    parts of a million's 1% addition whose duplicate marks moved took 7.5 s to write again with one,
    the build's process reading the next part back while the thread encoded one).
    """

    def __init__(self, target: Path, schema: pa.Schema, *, compression: str = "zstd", keep: bool = True) -> None:
        self.target = target
        self.schema = schema
        self.compression = compression
        self.tmp = target.with_name(f".{target.name}.new")
        remove_path(self.tmp)  # what a build that stopped on the way left
        self.tmp.mkdir(parents=True)
        os.chmod(self.tmp, 0o777 & ~_umask())
        self._settings = repr((pa.__version__, compression, str(schema)))
        self._kept = part_keys(target, self._settings) if keep else {}
        self._earlier = part_keys(target, self._settings, "contents") if keep else {}
        self._members = _part_members(target, self._settings) if keep else {}
        self._read: tuple[Path, pa.Table] | None = None  # the part member() read last
        self._keys: dict[str, dict[str, Any]] = {"parts": {}, "contents": {}, "members": {}}  # kind: part name: key
        # each part's chunk_record, made by the thread once the part is written (a kept part's is
        # the folder before's while it is of the same file)
        self._earlier_chunks = _chunk_records(target) if keep else {}
        self._chunks: dict[str, Any] = {}
        self._recording: list[Future[None]] = []  # the records of kept parts made by the thread
        super().__init__("parts-writer", threads=2)
        self.rows = 0
        self.parts = 0
        self.linked = 0  # parts kept from the folder before

    def earlier(self, content: str) -> Path | None:
        """The part of the folder before whose rows had this ``content`` key (see the class)."""
        return self._earlier.get(content)

    def known(self) -> frozenset[str]:
        """The digests of the members of the folder before's parts (see :meth:`member`)."""
        return frozenset(self._members)

    def member(self, digest: str) -> pa.Table | None:
        """The rows of a member of a part of the folder before, by its digest; None if there is none.

        A caller may give the parts it writes ``members``: (digest, rows) for each run of its rows,
        in order (a cleaning task's rows, by the hash of their stored bytes). A later writer's caller
        that knows a member's rows are among them need not hold them: this reads them back.
        """
        found = self._members.get(digest)
        if found is None:
            return None
        path, start, rows = found
        if self._read is None or self._read[0] != path:  # (a batch's members are read from one part)
            self._read = (path, open_parquet(path).read())
        return self._read[1].slice(start, rows)

    def keep(self, key: str, content: str | None = None, members: list[tuple[str, int]] | None = None) -> bool:
        """The part of the folder before with this ``key`` linked as the next part, if there is one."""
        old = self._kept.get(key)
        if old is None:
            return False
        # (linked while the thread may still encode the part before: another file; its error, if
        # any, comes with the next write or the close)
        target = self.tmp / part_name(self.parts)
        if not _linked(old, target):
            return False
        stat = target.stat()
        earlier = self._earlier_chunks.get(old.name)
        rows = None
        if earlier is not None and _records_file(earlier, stat.st_size, stat.st_mtime_ns):
            self._chunks[target.name] = earlier
            rows = earlier.get("rows")  # (its footer parsed here: 1.4 s of the 1% addition at a million)
        else:  # (none: a folder written before the records, or a copy of the part)
            self._recording.append(self._thread.submit(self._chunk_record, target))
        self._record(target.name, key, content, members)
        self.rows += rows if isinstance(rows, int) else footer(target).num_rows
        self.linked += 1
        self.parts += 1
        return True

    def write(
        self,
        table: pa.Table,
        key: str | None = None,
        content: str | None = None,
        members: list[tuple[str, int]] | None = None,
    ) -> None:
        """Part number :attr:`parts` (a batch with no rows is no part); the keys and members: see the
        class and :meth:`member`."""
        if table.num_rows == 0:
            return
        if key is not None and self.keep(key, content, members):
            return
        self._submit(self._encode, self.parts, table)
        self._record(part_name(self.parts), key, content, members)
        self.parts += 1
        self.rows += table.num_rows

    def _encode(self, index: int, table: pa.Table) -> None:
        """Part ``index`` written (in the writer's thread), and its chunks' digests made from its bytes."""
        self._chunk_record(write_part(self.tmp, index, table, compression=self.compression))

    def _chunk_record(self, part: Path) -> None:
        record = chunk_record(part)
        if record is not None:
            self._chunks[part.name] = record

    def _record(self, name: str, key: str | None, content: str | None, members: list[tuple[str, int]] | None) -> None:
        if key is not None:
            self._keys["parts"][name] = key
        if content is not None:
            self._keys["contents"][name] = content
        if members is not None:
            self._keys["members"][name] = [[digest, rows] for digest, rows in members]

    def close(self) -> None:
        try:
            self._wait()
            if self.parts == 0:  # a table with no rows still has its columns
                write_part(self.tmp, 0, self.schema.empty_table(), compression=self.compression)
            for recording in self._recording:
                recording.result()
            if any(self._keys.values()):
                write_json(self.tmp / PART_KEYS_FILE, {"settings": self._settings, **self._keys})
            if self._chunks:
                write_json(self.tmp / PART_CHUNKS_FILE, dict(sorted(self._chunks.items())))
        except BaseException:
            self.abort()
            raise
        self._thread.shutdown()
        replace_folder(self.tmp, self.target)

    def abort(self) -> None:
        try:
            self._stop()
        finally:
            remove_path(self.tmp)


def _linked(source: Path, target: Path) -> bool:
    """``source`` linked (else copied) to ``target``; False when neither can be done."""
    try:
        os.link(source, target)
    except OSError:
        try:
            shutil.copyfile(source, target)
        except OSError:
            target.unlink(missing_ok=True)
            return False
    return True


class ArticleWriter(PartsWriter):
    """The loaded article table: a folder of parts, one per batch, every batch validated against
    the contract before it is written. A batch whose rows the folder before holds in a part (the
    same rows: the same key, and the contract's code) keeps that part, validated when it was
    written (the contract does not change with time, but for dates in the future, of which there
    are only fewer): an addition writes only the batches its rows changed."""

    def __init__(self, target: Path, *, keep: bool = True) -> None:
        from analysis import schema
        from analysis.cache import code_digest

        super().__init__(target, ARTICLE_SCHEMA, keep=keep)
        self._contract = code_digest(schema)  # (the module of validate_articles)

    def add(self, rows: pa.Table | Callable[[], pa.Table], key: str | None = None) -> None:
        """A batch as the next part: the folder before's part of the same rows, or validated and written.

        ``key``: what the rows are known by without them (the ingest's: the cache keys of the files
        they were loaded from), and ``rows`` may then be a function giving them, called only when
        the folder before holds no part of that key; else the key is a hash of the rows.
        """
        table = None if callable(rows) else rows
        if key is None:
            from analysis.cache import table_digest

            table = table if table is not None else rows()
            key = table_digest(table)
        key = f"{key} {self._contract}"
        if self.keep(key):
            return
        if table is None:
            table = rows()
        if table.num_rows:
            super().write(validate_articles(table), key)


def is_table(path: Path) -> bool:
    """Whether ``path`` is a Parquet table: a file, or a folder of parts (:class:`ParquetParts`)."""
    return path.is_file() or (path.is_dir() and any(path.glob(PART_GLOB)))


def table_in(path: Path, name: str) -> Path:
    """``path`` when it is a table (:func:`is_table`), else the table ``name`` in the folder ``path``."""
    return path if is_table(path) else path / name


def read_articles(path: Path | str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read an article table (a file, a folder of parts, or a folder holding ``articles.parquet``) as pandas."""
    return to_pandas(open_parquet(table_in(Path(path), "articles.parquet")).read(columns=columns))


def iter_articles(
    path: Path | str, batch_size: int = 10_000, columns: list[str] | None = None
) -> Iterator[pd.DataFrame]:
    """Stream an article table (found as by :func:`read_articles`) as DataFrames of at most ``batch_size`` rows."""
    for batch in open_parquet(table_in(Path(path), "articles.parquet")).iter_batches(
        batch_size=batch_size, columns=columns
    ):
        yield to_pandas(pa.Table.from_batches([batch]))
