"""Per-article results kept between builds, so that a build after adding files redoes only the new articles.

A stage whose work per article is a pure function of the article's content and the options
(cleaning's language, tokens and duplicate signature of a clean text; the country mentions of a
clean text) stores each article's result under a key: a hash of the content, the options and the
code that computes it (:func:`code_digest`). Ingest does the same per raw file (what loading it
gave, keyed by its bytes and metadata). The next build looks each article's key up before
computing it. The outputs are the same as a fresh build's, whatever the cache holds: a changed
option, text or code changes the key, and an entry is only ever read back for the same key.

The cache is one SQLite file per stage (``data/interim/cache/<stage>.sqlite``): the build's main
process writes it, workers only read it, and what the latest build did not use is deleted at its
end, so the file holds the current corpus only. ``[cache] enabled = false`` turns it off; deleting
the folder is always safe. On a Dask cluster, workers open the file at the path they are given,
so the interim folder must be on storage they see (as the rest of the build's files).

Each entry carries a checksum of its bytes: an entry that fails it (a damaged disk, a file
edited by hand) is not read back but computed again, and replaced. A file SQLite itself cannot
read stops the build with a :class:`CacheError` that names it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import sqlite3
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

#: Bumped when the file's layout changes (an older file is then started afresh).
LAYOUT = 5

_QUERY_CHUNK = 500  # keys per SELECT (under SQLite's limit on bound parameters)


class CacheError(RuntimeError):
    """A cache file SQLite cannot read (damaged): the message names it and says what to do."""


@contextmanager
def _errors_named(path: Path | str) -> Iterator[None]:
    """SQLite's errors on ``path`` as a :class:`CacheError` that names the file."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise CacheError(
            f"{path}: the cache file is damaged ({exc}); delete it (always safe) or build with --fresh"
        ) from exc


@dataclass(frozen=True)
class CacheOptions:
    enabled: bool = True


def code_digest(*sources: ModuleType | Path | str) -> str:
    """A hash of what computes a stage's results: its modules' source files, data files, libraries.

    ``sources`` are modules (their file is read), paths (files read; folders, their files), or
    distribution names (their installed version): results computed otherwise are not reused.
    """
    digest = hashlib.blake2b(digest_size=16)
    for source in sources:
        if isinstance(source, ModuleType):
            source = Path(source.__file__ or "")
        if isinstance(source, Path):
            for path in sorted(source.rglob("*")) if source.is_dir() else [source]:
                if path.is_file() and "__pycache__" not in path.parts:  # compiled files come and go
                    digest.update(path.name.encode("utf-8"))
                    digest.update(path.read_bytes())
        else:
            digest.update(f"{source}=={_version(source)}".encode())
    return digest.hexdigest()


def canonical(value: object) -> object:
    """Options and metadata as plain JSON values, in an order that does not depend on hashing."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, set | frozenset):
        return sorted((canonical(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "-"


def entry_key(fingerprint: str, *parts: str | None) -> bytes:
    """The key of one article's entry: its content (``parts``) under a stage's ``fingerprint``."""
    digest = _seeded(fingerprint).copy()
    for part in parts:
        # a length prefix keeps ("ab", "c") and ("a", "bc") apart; None differs from ""
        data = b"\xff" if part is None else part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


@lru_cache(maxsize=16)
def _seeded(fingerprint: str) -> Any:
    """The hash of ``fingerprint`` alone, which :func:`entry_key` copies and goes on with.

    A fingerprint may be long (the boilerplate cache's holds every rule: 61 kB); hashing it again
    for each article's key made a key cost 72 us instead of 7, 1.2 s of the cleaning tasks' 33.1 s
    in a profile of a fresh build of 10,000 articles.
    """
    return hashlib.blake2b(fingerprint.encode("utf-8"), digest_size=16)


#: How entries are compressed: Zstandard at its fastest level, through pyarrow. Measured on the
#: token lists of 3,000 articles (6.4 kB each, marshalled): half the time zlib's fastest level
#: takes to compress them (61 against 123 µs), a little faster to read back, and files no larger
#: (45% of the bytes against 46%). Writing every article's entries is part of a fresh build.
_CODEC, _LEVEL = "zstd", 1
_SIZE = 4  # bytes of the length prefix (an entry is at most a few tens of megabytes)
_HEAD = _SIZE + 4  # then the CRC-32 of the compressed bytes


@lru_cache(maxsize=1)
def _codec() -> Any:
    import pyarrow as pa

    return pa.Codec(_CODEC, compression_level=_LEVEL)


_ADD_BYTES = 16 << 20  # bytes of new entries written per transaction (see ResultCache.add)
_ADD_ENTRIES = 100_000  # or entries, when they are small (each held is a Python tuple of two bytes)
_STORED = 1 << (8 * _SIZE - 1)  # the length's top bit: the bytes are stored as they are


def pack(value: bytes, *, compress: bool = True) -> bytes:
    """``value`` compressed, after its length (what :func:`unpack` needs to size its buffer) and
    the checksum of the compressed bytes (what :func:`intact` checks). ``compress=False`` for
    bytes compressed already (they are stored as they are, the length flagged so)."""
    data = _codec().compress(value, asbytes=True) if compress else value
    size = len(value) if compress else len(value) | _STORED
    return size.to_bytes(_SIZE, "little") + zlib.crc32(data).to_bytes(4, "little") + data


def pack_parts(values: Sequence[bytes]) -> bytes:
    """Several values (compressed already, or not worth it) as one entry of :class:`FileRef`, each
    stored as it is after its length and checksum: a reader may read the first ones only
    (:meth:`FileRef.get_parts`)."""
    return b"".join(pack(value, compress=False) for value in values)


def intact(value: bytes) -> bool:
    """Whether a packed entry is as :func:`pack` wrote it (its checksum holds)."""
    return len(value) >= _HEAD and zlib.crc32(memoryview(value)[_HEAD:]) == int.from_bytes(value[_SIZE:_HEAD], "little")


def unpack(value: bytes) -> bytes:
    size = int.from_bytes(value[:_SIZE], "little")
    if size & _STORED:
        return value[_HEAD:]
    return _codec().decompress(memoryview(value)[_HEAD:], decompressed_size=size, asbytes=True)


class ResultCache:
    """The main process's side: opens (or starts) the file, adds new entries, keeps those used.

    Usage over one build::

        cache = ResultCache(path)
        ... workers call lookup(path, keys) ...
        cache.add(new_entries); cache.used(hit_keys)  # as results arrive, in any number of calls
        cache.finish()  # deletes what this build did not use
    """

    def __init__(self, path: Path, *, fresh: bool = False) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            _remove(path)
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(path, timeout=60)
            layout = _layout(db)
        except sqlite3.DatabaseError:
            layout = -1
        if db is not None:
            db.close()
        if layout not in (None, LAYOUT):  # an older layout, or not a cache file of ours: start afresh
            _remove(path)
        with _errors_named(path):
            self._db = _connect(path)
            with self._db:
                self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
                # The values (kilobytes each) in a plain table, appended to, found by their key's index
                self._db.execute("CREATE TABLE IF NOT EXISTS entries (key BLOB NOT NULL UNIQUE, value BLOB NOT NULL)")
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('layout', ?)", (LAYOUT,))
        self.hits = 0
        self.added = 0
        self._kept = bytearray()  # the keys this build used or added, 16 bytes each (see _fixed)
        self._new: list[tuple[bytes, bytes]] = []  # entries added, not written yet (see add())
        self._new_bytes = 0

    def add(self, entries: Iterable[tuple[bytes, bytes]], *, reused: bool = False, counted: bool = True) -> None:
        """Store new (key, packed value) entries, as used by this build (``reused``: values that
        replace an entry read back under the same key, counted as hits, not additions;
        ``counted=False``: neither, entries that go with others, counted).

        They are held here until ``_ADD_BYTES`` of them are (or ``_ADD_ENTRIES``), then written in key order in one
        transaction (the last ones by :meth:`finish`). Written a task at a time (500 entries in
        random key order), each transaction rewrote most of the key index's pages: adding a
        million entries of 3 kB took 62.8 s of CPU (106 s elapsed), against 15.7 s (23.1 s) in
        16 MB batches (one file, random keys, added as a build adds them). A worker reads only
        what is written: one that meets the content of an entry held here computes it again (the
        same value, stored once).
        """
        rows = list(entries)
        if rows:
            self._new.extend(rows)
            self._new_bytes += sum(len(value) for _, value in rows)
            self._kept += b"".join(_fixed(key) for key, _ in rows)
            if counted and reused:
                self.hits += len(rows)
            elif counted:
                self.added += len(rows)
            if self._new_bytes >= _ADD_BYTES or len(self._new) >= _ADD_ENTRIES:
                self._write()

    def _write(self) -> None:
        rows, self._new, self._new_bytes = sorted(self._new, key=itemgetter(0)), [], 0
        if rows:
            with _errors_named(self.path), self._db:
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows)

    def used(self, keys: Sequence[bytes], *, counted: bool = True) -> None:
        """Note entries this build read back, so that :meth:`finish` keeps them (``counted=False``:
        not counted as hits, entries that go with others, counted).

        Their keys are kept here (16 bytes each), not marked in the file: marking them there, an
        UPDATE per key (in transactions of 50,000, in key order), took 15.4 s of the build's
        process in the 1% addition at a million, for the 3.4 million entries its cleaning and
        country stages read back; :meth:`finish` compares them with the file's keys at once.
        """
        if keys:
            self._kept += b"".join(map(_fixed, keys))
            if counted:
                self.hits += len(keys)

    def finish(self) -> dict[str, int]:
        """Write the entries still held, delete those this build did not use; returns the build's
        hits and additions."""
        self._write()
        import numpy as np

        with _errors_named(self.path):
            # (held as bytes and machine integers, not Python objects: 24 MB for a million entries)
            rowids, keys = array("q"), bytearray()
            for rowid, key in self._db.execute("SELECT rowid, key FROM entries"):
                rowids.append(rowid)
                keys += _fixed(key)
            unused = ~_among(keys, self._kept)
            self._kept = bytearray()
            if unused.any():
                stale = np.frombuffer(rowids, dtype=np.int64)[unused]
                with self._db:
                    self._db.executemany("DELETE FROM entries WHERE rowid = ?", ((int(r),) for r in np.sort(stale)))
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the changes into the main file
            pages = self._db.execute("PRAGMA page_count").fetchone()[0]
            if self._db.execute("PRAGMA freelist_count").fetchone()[0] > pages // 2:
                self._db.execute("VACUUM")  # most entries were replaced (new options or code): give the space back
        self._db.close()
        return {"hits": self.hits, "added": self.added}

    def close(self) -> None:
        """Close without pruning (a failed build keeps every entry written; those still held are dropped)."""
        self._db.close()


def _among(keys: bytes | bytearray, kept: bytes | bytearray) -> Any:
    """Which of ``keys`` (16 bytes each, see :func:`_fixed`) are among ``kept``, as a numpy array
    of booleans: Arrow's hash set over 16-byte values (0.2 s for a million keys, against 1.3 s for
    numpy's ``isin`` of 16-byte strings, which sorts them)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def fixed(data: bytes | bytearray) -> Any:
        return pa.FixedSizeBinaryArray.from_buffers(pa.binary(16), len(data) // 16, [None, pa.py_buffer(data)])

    return pc.is_in(fixed(keys), value_set=fixed(kept)).to_numpy(zero_copy_only=False)


def _fixed(key: bytes) -> bytes:
    """``key`` as 16 bytes (:func:`entry_key`'s are; another is hashed to 16: two keys that then
    met would only keep an entry a build did not use, never drop one it did)."""
    return key if len(key) == 16 else hashlib.blake2b(key, digest_size=16).digest()


def _layout(db: sqlite3.Connection) -> int | None:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return None  # a new file
    if "meta" not in tables:
        return -1
    row = db.execute("SELECT value FROM meta WHERE name = 'layout'").fetchone()
    return row[0] if row else -1


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=60)
    # A new file gets 32 KB pages (an existing one keeps its own): most values (a few KB each) then
    # fit in one page instead of spilling over several. The entries of a 10,000-article build's
    # four per-article caches, written again: 0.29-0.31 s of CPU to add and 0.09 s to read back,
    # 73 MB, against 0.46, 0.11-0.12 s and 84 MB with SQLite's default 4 KB pages.
    db.execute("PRAGMA page_size = 32768")
    db.execute("PRAGMA journal_mode = WAL")  # readers (the workers) are not blocked by the writer
    db.execute("PRAGMA synchronous = NORMAL")
    return db


@lru_cache(maxsize=4)
def _reader(path: str, inode: int, pid: int) -> sqlite3.Connection:
    """One read connection per file and process (a forked worker opens its own)."""
    db = sqlite3.connect(path, timeout=60, check_same_thread=False)
    db.text_factory = bytes  # a value that is not a blob (a file edited by hand) fails its checksum
    return db


def _selected(path: str | None, keys: Sequence[bytes], columns: str, where: str = "") -> list[Any]:
    """The rows of ``SELECT columns`` of the entries under ``keys`` (and ``where``), a chunk of keys
    at a time, from a worker; none from a file that is not there."""
    if not path or not keys:
        return []
    try:
        inode = os.stat(path).st_ino
    except FileNotFoundError:
        return []
    rows: list[Any] = []
    with _errors_named(path):
        db = _reader(path, inode, os.getpid())
        for start in range(0, len(keys), _QUERY_CHUNK):
            chunk = list(keys[start : start + _QUERY_CHUNK])
            marks = ",".join("?" * len(chunk))
            rows += db.execute(f"SELECT {columns} FROM entries WHERE key IN ({marks}){where}", chunk).fetchall()
    return rows


def lookup(path: str | None, keys: Sequence[bytes]) -> dict[bytes, bytes]:
    """The packed values stored under ``keys`` (those found intact), read from a worker."""
    found: dict[bytes, bytes] = dict(_selected(path, keys, "key, value"))
    damaged = [key for key, value in found.items() if not intact(value)]
    if damaged:  # computed again by the caller, which then replaces them
        log.warning("%s: %d damaged cache entries are computed again", path, len(damaged))
        for key in damaged:
            del found[key]
    return found


def stored(path: str | None, keys: Sequence[bytes]) -> set[bytes]:
    """Which of ``keys`` have an entry (of a packed value's length at least), their values left
    unread (SQLite tells a value's length without reading it): those read later, when at all, are
    checked then (see :func:`lookup`)."""
    return {key for (key,) in _selected(path, keys, "key", f" AND length(value) >= {_HEAD}")}


def table_digest(table: Any) -> str:
    """A hash of a pyarrow Table's rows (their Arrow IPC stream: the values, their types, their
    order): the key of a task's whole result, for the same rows."""
    return hashlib.blake2b(memoryview(_ipc_buffer(table)), digest_size=16).hexdigest()


def task_entry(ref: CacheRef | None, rows: Any) -> tuple[bytes, bytes | None]:
    """The key of a task's whole result (its ``rows``' :func:`table_digest` under the cache's
    fingerprint) and the entry stored under it (``None``: none stored, or no cache)."""
    if ref is None:
        return b"", None
    return _entry(ref, table_digest(rows))


def stored_entry(
    ref: CacheRef | None,
    path: Path,
    groups: tuple[int, ...],
    columns: list[str] | None = None,
    rows: tuple[int, int] | None = None,
) -> tuple[bytes, bytes | None]:
    """:func:`task_entry` for a task over row groups of a Parquet file, keyed by the stored bytes
    of their ``columns`` (:func:`analysis.io.store.stored_digest`; ``rows``: the task's slice of
    them, start and end), so that a task read back decodes none of its rows."""
    if ref is None:
        return b"", None
    key = stored_key(ref, path, groups, columns, rows)
    return key, ref.get([key]).get(key)


def stored_key(
    ref: CacheRef,
    path: Path,
    groups: tuple[int, ...],
    columns: list[str] | None = None,
    rows: tuple[int, int] | None = None,
) -> bytes:
    """The key of :func:`stored_entry`, without reading the entry."""
    from analysis.io.store import stored_digest

    digest = stored_digest(path, groups, columns)
    return ref.key(digest if rows is None else f"{digest}:{rows[0]}:{rows[1]}")


def _entry(ref: CacheRef, digest: str) -> tuple[bytes, bytes | None]:
    key = ref.key(digest)
    return key, ref.get([key]).get(key)


def _ipc_buffer(table: Any, compression: str | None = None) -> Any:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression=compression)) as stream:
        stream.write_table(table)
    return sink.getvalue()


def table_bytes(table: Any, compression: str | None = None) -> bytes:
    """A pyarrow Table as an Arrow IPC stream (its buffers compressed with ``compression``)."""
    return _ipc_buffer(table, compression).to_pybytes()


def table_from_bytes(data: bytes, columns: Sequence[str] | None = None) -> Any:
    """The pyarrow Table of :func:`table_bytes`; ``columns``: only those, in the table's order
    (the others' buffers are not decompressed)."""
    import pyarrow as pa

    if columns is None:
        return pa.ipc.open_stream(data).read_all()
    chosen = set(columns)
    wanted = [i for i, name in enumerate(pa.ipc.open_stream(data).schema.names) if name in chosen]
    return pa.ipc.open_stream(data, options=pa.ipc.IpcReadOptions(included_fields=wanted)).read_all()


@dataclass(frozen=True)
class CacheRef:
    """What a task needs to read one cache: the file and the fingerprint of its keys."""

    path: str
    fingerprint: str

    def key(self, *parts: str | None) -> bytes:
        return entry_key(self.fingerprint, *parts)

    def get(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        return lookup(self.path, keys)


@dataclass(frozen=True)
class FileRef(CacheRef):
    """A cache of large entries, one file each in the folder ``path`` (see :class:`FileCache`):
    a task reads and writes them itself, so that their bytes do not go through the main process."""

    def get(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        for key in keys:
            try:
                value = (Path(self.path) / key.hex()).read_bytes()
            except FileNotFoundError:
                continue
            if intact(value):
                found[key] = value
            else:  # computed again by the caller, which then replaces it
                log.warning("%s: a damaged cache entry is computed again", Path(self.path) / key.hex())
        return found

    def get_parts(self, key: bytes, count: int | None = None, *, skip: int = 0) -> list[bytes] | None:
        """The values of an entry of several (:func:`pack_parts`), reading only ``count`` of them
        (None: all) after the first ``skip`` (not read) from its file; None when there is no entry,
        or it is not one of that many intact parts (the caller computes it again, then replaces it)."""
        path = Path(self.path) / key.hex()
        try:
            handle = open(path, "rb")  # noqa: SIM115 (read in parts below)
        except FileNotFoundError:
            return None
        values: list[bytes] = []
        with handle:
            for _ in range(skip):
                size = int.from_bytes(handle.read(_HEAD)[:_SIZE], "little")
                handle.seek(size & ~_STORED, os.SEEK_CUR)
            while count is None or len(values) < count:
                head = handle.read(_HEAD)
                if not head and count is None and values:
                    break  # (every part read)
                size = int.from_bytes(head[:_SIZE], "little") if len(head) == _HEAD else 0
                length = size & ~_STORED
                data = handle.read(length) if size & _STORED else b""
                checksum = int.from_bytes(head[_SIZE:], "little")
                if not size & _STORED or len(data) != length or zlib.crc32(data) != checksum:
                    log.warning("%s: a damaged cache entry is computed again", path)
                    return None
                values.append(data)
        return values

    def put(self, key: bytes, value: bytes) -> CacheUse:
        """Store one entry (a :func:`pack` value, or :func:`pack_parts`), atomically; returns what
        the task reports: a new entry (its key, no value: the main process's :class:`FileCache`
        keeps the file)."""
        target = Path(self.path) / key.hex()
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with _errors_named(target):
            tmp.write_bytes(value)
            os.replace(tmp, target)
        return CacheUse([(key, b"")])


class FileCache:
    """The main process's side of a :class:`FileRef` folder: keeps the entries a build used or added."""

    def __init__(self, folder: Path, *, fresh: bool = False) -> None:
        self.folder = folder
        if fresh and folder.is_dir():
            for path in folder.iterdir():
                path.unlink()
        with _errors_named(folder):
            folder.mkdir(parents=True, exist_ok=True)
        self.kept: set[str] = set()
        self.hits = 0
        self.added = 0

    def add(self, entries: Iterable[tuple[bytes, bytes]], *, reused: bool = False) -> None:
        """Entries the tasks stored themselves (their keys; the values are in the files)."""
        for key, _ in entries:
            self.kept.add(key.hex())
            if reused:
                self.hits += 1
            else:
                self.added += 1

    def used(self, keys: Sequence[bytes]) -> None:
        for key in keys:
            self.kept.add(key.hex())
            self.hits += 1

    def finish(self) -> dict[str, int]:
        """Delete the entries this build did not use (and what an interrupted write left)."""
        for path in self.folder.iterdir():
            if path.name not in self.kept:
                path.unlink(missing_ok=True)
        return {"hits": self.hits, "added": self.added}

    def close(self) -> None:
        """Nothing to close (a failed build keeps every entry)."""


@dataclass
class CacheUse:
    """What one task did with one cache: entries it computed, keys it read back, and entries it
    read back and stores again with another value (``moved``: cleaning's entries that point to
    the task part holding the article's result, once that part is another)."""

    new: list[tuple[bytes, bytes]] = field(default_factory=list)
    hits: list[bytes] = field(default_factory=list)
    moved: list[tuple[bytes, bytes]] = field(default_factory=list)


class Caches:
    """The main process's side of several named caches in one folder (``<name>.sqlite``)."""

    def __init__(
        self, folder: Path, fingerprints: dict[str, str], *, fresh: bool = False, files: Iterable[str] = ()
    ) -> None:
        """``files``: the names of caches kept as a folder of files (:class:`FileCache`), not SQLite."""
        files = set(files)
        self._caches: dict[str, ResultCache | FileCache] = {
            name: FileCache(folder / name, fresh=fresh)
            if name in files
            else ResultCache(folder / f"{name}.sqlite", fresh=fresh)
            for name in fingerprints
        }
        self.refs = {
            name: FileRef(str(folder / name), fp) if name in files else CacheRef(str(folder / f"{name}.sqlite"), fp)
            for name, fp in fingerprints.items()
        }

    def record(self, uses: dict[str, CacheUse]) -> None:
        for name, use in uses.items():
            self._caches[name].add(use.new)
            self._caches[name].add(use.moved, reused=True)
            self._caches[name].used(use.hits)

    def finish(self) -> dict[str, dict[str, int]]:
        return {name: cache.finish() for name, cache in self._caches.items()}

    def close(self) -> None:
        for cache in self._caches.values():
            cache.close()
