"""Ingest: files and folders of raw articles in, one article table and a rejects ledger out.

Every input file is either ignored by name (README, metadata files...), or read; every record
read ends up either as a row of ``articles.parquet`` or as a line of ``rejects.jsonl`` with its
reason. The counts are kept in :class:`IngestStats` and add up (checked before anything is
written).
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import hashlib
import json
import logging
import os
import pickle
import shutil
import sys
import tempfile
import time
import zlib
from array import array
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias

import pyarrow as pa
import pyarrow.compute as pc

from analysis.cache import CacheRef, ResultCache, canonical, code_digest, lookup, pack, stored, unpack
from analysis.config import IngestOptions
from analysis.engine import Engine, share, shared
from analysis.io.archives import archive_suffix, unpack_archive
from analysis.io.mapping import FileContext, RecordMapper, path_metadata
from analysis.io.registry import (
    FileReject,
    LoaderSpec,
    RawFile,
    Reject,
    detect_loader,
    get_loader,
    load_plugins,
    loaders,
    plugins_loaded,
    portable,
)
from analysis.io.store import ArticleWriter, atomic_text, write_json
from analysis.schema import ARTICLE_SCHEMA
from analysis.text import looks_binary, sniff_encoding

log = logging.getLogger(__name__)

ARTICLES_FILE = "articles.parquet"
REJECTS_FILE = "rejects.jsonl"
STATS_FILE = "ingest_stats.json"
#: The per-file cache (in the cache folder a build gives :meth:`Ingestor.run`).
INGEST_CACHE = "ingest"
#: Files up to this size (gzip files: once expanded) have what loading them gave cached (it is
#: held in memory for a moment); larger ones are streamed, as always, and read again by every ingest.
CACHE_FILE_BYTES = 32 * 2**20

#: Files up to this size (gzip files: once expanded) are loaded by an engine's workers: parsed and
#: mapped there, what loading each gave sent back packed (as the cache keeps it), so this process
#: only counts and writes the rows. Exports and shards cost as much to map as pages (a
#: 100,000-record ingest of 7 MB gzip shards on 2 workers: 15 s instead of 24-28 s loading them
#: here). Larger files are streamed here, never held whole.
WORKER_FILE_BYTES = CACHE_FILE_BYTES
#: A larger file whose loader can cut it (JSON Lines, CSV, WARC: see ``LoaderSpec.split``) is loaded in
#: pieces of about this many bytes (as stored), each by a worker and cached on its own, its records
#: numbered here as one file's; the pieces depend on the file alone, not on the workers.
PIECE_BYTES = 8 * 2**20
#: Files loaded by one task on an engine: at most this many, of at most this many bytes together
#: (small files are grouped; a larger one is a task of its own).
TASK_FILES, TASK_BYTES = 8, 2**20
_HERE_RUN = 1000  # files handled here in a row, after which a no-op task is sent (see `_parallel`)
_CACHE_FLUSH = 256  # files whose cache entries are written at a time (bounds what is held) ...
_CACHE_FLUSH_BYTES = 64 << 20  # ... or fewer, once their packed entries reach this size
#: the extensions of a page saved by a browser, beside its assets folder (`ingest.page_assets`)
_PAGE_EXTENSIONS = (".html", ".htm", ".shtml", ".xhtml", ".mhtml")


#: a piece of a large file: its loader's name, its first and end bytes, the whole file's encoding,
#: and for a compressed file the file it was expanded into (whose bytes the offsets are), else None
_Piece: TypeAlias = tuple[str, int, int, str | None, str | None]
#: a file a worker loads: path, path relative to its input, raw_path, the input folder, for an
#: archive's member the metadata values around the archive, for a piece of a file the piece, and
#: the file's content SHA-256 when it was hashed before (see ``Ingestor.run``)
_TaskFile: TypeAlias = tuple[str, str, str, str, Mapping[str, Any] | None, _Piece | None, str | None]


@dataclass
class _Split:
    """A large file loaded in pieces (see :data:`PIECE_BYTES`): where its replay stands."""

    path: Path
    relative: str
    fmt: str
    pieces: int
    done: int = 0
    base: int = 0  # the number of the next piece's first record in the file
    produced: int = 0  # records and rejects so far
    stopped: bool = False  # a piece ended the file (it could not be read further)
    expanded: Path | None = None  # a compressed file's expanded copy, the pieces' bytes (removed after its last)


class _Loaded(NamedTuple):
    """One file loaded (``Ingestor._loaded``): its cache key, what :meth:`Ingestor._replay` counts
    (packed), its rows (packed), how.

    ``packed`` holds the file's events, the mapper's warnings and, for each of its rows, what
    counting it needs: its id, its source, whether it has a URL and its excerpt (a duplicate's
    reject). ``table`` holds the rows themselves, cached under their own key (:func:`_table_key`):
    a file read back from the cache comes without them (None), and they are read only when the
    batch they go into is written, not kept from the folder before.
    """

    key: bytes | None
    packed: bytes
    table: bytes | None
    hit: bool  # read back from the cache
    cacheable: bool


#: One step of loading a file (see ``Ingestor._events``): ("record", format, row or reject, index),
#: ("reject", format, reject), or ("file", format, "read" | "counted" | "rejected") at its end; a
#: piece of a file ends instead with ("piece", span, produced, stopped): the numbers its records
#: took, how many records and rejects it gave, whether it ended the file.
#: Packed (:meth:`Ingestor._loaded`), a record's row is its number in the file's table of rows.
_Event = tuple[Any, ...]


class _FileRows:
    """The rows of a loaded file (or piece) that go into the article table, in order, read only
    when needed (:meth:`table`, read once).

    ``key``: what they are known by without them, when the file's cache key tells them (a hash of
    that key, the first number of the piece's records and the rows kept: see ``Ingestor._replay``),
    else None (a file loaded here and streamed, a date in the future): the batches they go into
    are then known by their rows' hash.
    """

    __slots__ = ("_get", "_table", "count", "key")

    def __init__(self, key: bytes | None, count: int, get: Callable[[], pa.Table]) -> None:
        self.key = key
        self.count = count
        self._get: Callable[[], pa.Table] | None = get
        self._table: pa.Table | None = None

    @classmethod
    def of(cls, table: pa.Table) -> _FileRows:
        """Rows at hand, known by their hash."""
        return cls(None, table.num_rows, lambda: table)

    def table(self) -> pa.Table:
        if self._get is not None:
            self._table, self._get = self._get(), None
            assert self._table.num_rows == self.count
        assert self._table is not None
        return self._table


#: An article row, or the rows of a loaded file (see ``Ingestor._replay``).
Row: TypeAlias = dict[str, Any] | _FileRows


@dataclass(frozen=True)
class RejectEntry:
    """One line of the rejects file: a record (or a whole file) that is not in the table."""

    raw_path: str
    raw_format: str | None
    raw_index: int | None
    reason: str
    detail: str | None
    excerpt: str | None

    def as_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)


class InputError(ValueError):
    """A bad argument (missing path, unknown format): stops the run before anything is read."""


@dataclass
class IngestStats:
    """The ledger of one run: files and records seen, kept and rejected, by reason."""

    inputs: list[str] = field(default_factory=list)
    files_seen: int = 0
    files_ignored: int = 0
    files_metadata: int = 0
    files_read: int = 0
    files_rejected: int = 0
    #: archives opened (their members are the files counted above; one that cannot be opened,
    #: or is cut short, is also a file rejected)
    archives: int = 0
    records_read: int = 0
    records_kept: int = 0
    records_rejected: int = 0
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    by_format: dict[str, Counter[str]] = field(default_factory=dict)
    by_source: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)

    def check(self) -> None:
        """Raise when the counts do not add up (a bug: some record was lost or counted twice)."""
        files = self.files_ignored + self.files_metadata + self.files_read + self.files_rejected
        if files != self.files_seen:
            raise AssertionError(f"files do not add up: {files} accounted for, {self.files_seen} seen")
        if self.records_kept + self.records_rejected != self.records_read:
            raise AssertionError(
                f"records do not add up: {self.records_kept} kept + {self.records_rejected} rejected "
                f"!= {self.records_read} read"
            )
        if sum(self.rejected_by_reason.values()) != self.records_rejected:
            raise AssertionError("rejects by reason do not add up to the rejected count")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IngestStats:
        """The ledger back from :meth:`as_dict` (``ingest_stats.json``)."""
        files, records = data["files"], data["records"]
        return cls(
            inputs=list(data["inputs"]),
            files_seen=files["seen"],
            files_ignored=files["ignored"],
            files_metadata=files["metadata"],
            files_read=files["read"],
            files_rejected=files["rejected"],
            archives=files.get("archives", 0),
            records_read=records["read"],
            records_kept=records["kept"],
            records_rejected=records["rejected"],
            rejected_by_reason=Counter(data["rejected_by_reason"]),
            by_format={k: Counter(v) for k, v in data["by_format"].items()},
            by_source=Counter(data["by_source"]),
            warnings=Counter(data["warnings"]),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "files": {
                "seen": self.files_seen,
                "ignored": self.files_ignored,
                "metadata": self.files_metadata,
                "read": self.files_read,
                "rejected": self.files_rejected,
                "archives": self.archives,
            },
            "records": {
                "read": self.records_read,
                "kept": self.records_kept,
                "rejected": self.records_rejected,
            },
            "rejected_by_reason": dict(sorted(self.rejected_by_reason.items())),
            "by_format": {k: dict(sorted(v.items())) for k, v in sorted(self.by_format.items())},
            "by_source": dict(sorted(self.by_source.items())),
            "warnings": dict(sorted(self.warnings.items())),
        }


@dataclass(frozen=True)
class CliMetadata:
    """Values given on the command line for records that lack them."""

    source: str | None = None
    language: str | None = None
    published: str | None = None
    source_country: str | None = None

    def as_fields(self) -> dict[str, Any]:
        given = (
            ("source", self.source),
            ("language", self.language),
            ("published", self.published),
            ("source_country", self.source_country),
        )
        return {k: v for k, v in given if v}


def display_path(path: Path, root: Path | None) -> str:
    """How a file is named in ``raw_path``: relative to the project root when inside it or beside
    it (``data/raw/...``, ``../shared/...``), else as given."""
    if root is not None:
        # abspath, not resolve: a symlinked folder keeps the name it was given
        relative = Path(os.path.relpath(os.path.abspath(path), root))
        if relative.parts[:3].count("..") <= 2:
            return relative.as_posix()
    return path.as_posix()


class Ingestor:
    """One ingest run: walks inputs, loads each file, maps, dedups and writes."""

    def __init__(
        self,
        options: IngestOptions,
        *,
        project_root: Path | None = None,
        cli: CliMetadata | None = None,
        forced_format: str | None = None,
        progress: Callable[[str], None] | None = None,
        now: datetime | None = None,
    ) -> None:
        load_plugins(options.plugins)
        self.options = options
        self.project_root = Path(os.path.abspath(project_root)) if project_root else None
        self.cli = (cli or CliMetadata()).as_fields()
        self.forced: LoaderSpec | None = None
        if forced_format:
            try:
                self.forced = get_loader(forced_format)
            except KeyError as exc:
                raise InputError(str(exc.args[0])) from exc
        self.progress = progress
        self.mapper = RecordMapper(options, now=now)
        self.stats = IngestStats()
        self._seen: dict[str, tuple[str, int]] = {}
        self._folder_meta: dict[Path, Mapping[str, Any]] = {}
        self._archive_roots: dict[Path, str] = {}  # the folder an archive is unpacked in -> its raw_path
        self._problems: dict[Path, tuple[str, str]] = {}  # archive or member -> why it cannot be read
        self._unpack_dir: Path | None = None
        self._spread = False  # files are loaded by the workers (see iter_items)
        self._cache: ResultCache | None = None
        self._cache_ref: CacheRef | None = None
        self._cache_new: list[tuple[bytes, bytes]] = []
        self._cache_new_tables: list[tuple[bytes, bytes]] = []  # their rows (see _Loaded)
        self._cache_new_bytes = 0  # the size of their packed values
        self._cache_hits: list[bytes] = []
        self._piece_end: tuple[int, int, bool] = (0, 0, False)  # the last piece replayed: span, produced, stopped
        self._digests: Mapping[str, str] = {}  # input files' content SHA-256 by path, hashed before (see run)
        self.cache_counts: dict[str, int] = {}

    def fingerprint(self) -> str:
        """What a file's loaded records depend on besides the file and its metadata layers."""
        from analysis import dates, text

        plugins = [Path(m.__file__) for name in self.options.plugins if (m := sys.modules.get(name)) and m.__file__]
        registered = sorted(
            f"{spec.name}:{spec.func.__module__}.{spec.func.__qualname__}:{spec.extensions}"
            for spec in loaders().values()
        )
        code = code_digest(
            Path(__file__).parent,  # this package: the loaders, the mapping
            text,
            dates,
            dates.DATES_FILE,  # the zones' abbreviations, the month-first countries
            *plugins,
            "trafilatura",
            "htmldate",
            "feedparser",
            "lxml",
            "striprtf",
            "warcio",
            "openpyxl",
            "pypdf",
            "pyyaml",  # (Markdown's front matter)
            "markdown-it-py",
            "cryptography",  # (pypdf's decryption)
            "charset-normalizer",
            "ftfy",
            "pycountry",  # the outlets' countries (codes, names)
            "babel",  # (and the zones of each country: dates.local_zone)
            "pandas",
            "pyarrow",
        )
        forced = self.forced.name if self.forced else None
        parts = [code, registered, self.options, self.cli, forced, str(self.project_root)]
        return json.dumps(canonical(parts), sort_keys=True, ensure_ascii=False)

    # -- walking ----------------------------------------------------------------------------

    def _files(self, inputs: list[Path]) -> Iterator[tuple[Path, str]]:
        for item in inputs:
            if item.is_file():
                yield item, item.as_posix()
                continue
            for folder, dirs, files in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                base = Path(folder)
                for name in sorted(files):
                    path = base / name
                    yield path, path.relative_to(item).as_posix()

    def _is_metadata(self, name: str) -> bool:
        return name == self.options.folder_meta or name.endswith(self.options.sidecar_suffix)

    def _ignored(self, name: str, relative: str, path: Path | None = None) -> bool:
        if any(fnmatch.fnmatch(name, pattern) for pattern in self.options.ignore):
            return True
        if path is not None and self._in_page_assets(path, relative):
            return True
        if self.options.include:
            return not any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in self.options.include)
        return False

    def _in_page_assets(self, path: Path, relative: str) -> bool:
        """Whether a folder of the file's relative path is a saved page's assets (``x_files/`` beside ``x.html``)."""
        for folder in list(path.parents)[: relative.count("/")]:
            if folder in self._archive_roots:  # an archive's members are not beside pages outside it
                break
            for suffix in self.options.page_assets:
                if folder.name.endswith(suffix) and len(folder.name) > len(suffix):
                    stem = folder.parent / folder.name[: -len(suffix)]
                    if any(stem.with_name(stem.name + ext).is_file() for ext in _PAGE_EXTENSIONS):
                        return True
        return False

    def _read_meta(self, path: Path) -> Mapping[str, Any]:
        try:
            value = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FileReject("invalid_metadata", f"{exc}") from exc
        if not isinstance(value, dict):
            raise FileReject("invalid_metadata", "metadata file must hold a JSON object")
        return value

    def _folder_layers(self, folder: Path, stop: Path) -> Mapping[str, Any]:
        """Merged ``_meta.json`` values from ``stop`` down to ``folder`` (nearest wins)."""
        if folder in self._folder_meta:
            return self._folder_meta[folder]
        parent: Mapping[str, Any] = {}
        if folder != stop and stop in folder.parents:
            parent = self._folder_layers(folder.parent, stop)
        merged = self._layer(folder, parent)
        self._folder_meta[folder] = merged
        return merged

    def _layer(self, folder: Path, parent: Mapping[str, Any]) -> dict[str, Any]:
        """``parent``'s values with those of ``folder``'s own metadata file over them."""
        merged = dict(parent)
        meta = folder / self.options.folder_meta
        if meta.is_file():
            # a broken folder file is reported when the walk reaches the file itself
            with contextlib.suppress(FileReject):
                merged.update(self.mapper.lookup(self._read_meta(meta)))
        return merged

    # -- running ----------------------------------------------------------------------------

    def run(
        self,
        inputs: Iterable[Path | str],
        out_dir: Path,
        *,
        cache: Path | None = None,
        fresh: bool = False,
        engine: Engine | None = None,
        digests: Mapping[str, str] | None = None,
    ) -> IngestStats:
        """Load every input into ``out_dir``; previous outputs stay intact on any error.

        With ``cache`` (a folder of :mod:`analysis.cache` files), what loading each file (up to
        :data:`CACHE_FILE_BYTES`) gave is kept, and a later run replays it instead of reading the
        file again while the file, its name, its metadata files and the loading code and options
        are the same; ``fresh`` empties that cache first. Hits and additions go to ``cache_counts``.
        ``digests`` gives files' :func:`file_sha256` found before, by path (the build hashes its
        inputs first): a cached file is then not read at all.
        """
        self._digests = digests or {}
        paths = [Path(p) for p in inputs]
        if not paths:
            raise InputError("no input path given")
        for path in paths:
            if not path.exists():
                raise InputError(f"input path not found: {path}")
        self.stats.inputs = [p.as_posix() for p in paths]
        started = time.perf_counter()
        if cache is not None:
            self._cache = ResultCache(cache / f"{INGEST_CACHE}.sqlite", fresh=fresh)
            self._cache_ref = CacheRef(self._cache.path.as_posix(), self.fingerprint())
        writer = ArticleWriter(out_dir / ARTICLES_FILE, keep=not fresh)
        try:
            with atomic_text(out_dir / REJECTS_FILE) as rejects:
                batches = _Batches(self.options.batch_size)
                for item in self.iter_items(paths, engine, out_dir):
                    if isinstance(item, RejectEntry):
                        rejects.write(item.as_json() + "\n")
                        continue
                    for batch in batches.add(item):
                        writer.add(batch.table, batch.key())
                rest = batches.rest()
                if rest.rows:
                    writer.add(rest.table, rest.key())
                self.stats.warnings.update(self.mapper.warnings)
                self.stats.check()
                writer.close()
            if self._cache is not None:
                self._flush_cache()
                self.cache_counts = self._cache.finish()
        except BaseException:
            writer.abort()
            if self._cache is not None:
                self._cache.close()
            raise
        write_json(out_dir / STATS_FILE, self.stats.as_dict())
        log.info("ingested %d articles in %.1fs", self.stats.records_kept, time.perf_counter() - started)
        return self.stats

    def iter_items(
        self, paths: list[Path], engine: Engine | None = None, work: Path | None = None
    ) -> Iterator[Row | RejectEntry]:
        """Every article row (a dict, or a table of a file's rows) and every reject entry, in a deterministic order.

        With an ``engine`` of several workers (and ``work``, a folder they see), files up to
        :data:`WORKER_FILE_BYTES` are loaded by the workers, a few at a time, and counted here in
        the walk's order: the same rows, rejects and counts as loading them all here. Larger files,
        metadata files, and every file when a loader was registered at run time (the workers
        would not know it) are loaded here.
        """
        walk = self._walk(paths)
        # archives are unpacked where the workers see them (the output folder), removed at the end
        # (resolved: a member's metadata layers are looked up from its resolved folder up to the archive's)
        if work is not None:
            work.mkdir(parents=True, exist_ok=True)
        self._unpack_dir = Path(tempfile.mkdtemp(prefix=".archives-", dir=work)).resolve() if work is not None else None
        self._spread = engine is not None and work is not None and engine.workers >= 2 and portable()
        try:
            if engine is None or work is None or not self._spread:
                for file in walk:
                    yield from self._one(*file)
                return
            context = share(self, work / ".ingest.pkl")
            try:
                yield from self._parallel(walk, engine, str(context))
            finally:
                context.unlink(missing_ok=True)
        finally:
            with contextlib.suppress(ValueError):  # (a walk still running: it is dropped with its folders)
                walk.close()
            for root in self._archive_roots:
                shutil.rmtree(root, ignore_errors=True)
            if self._unpack_dir is not None:
                shutil.rmtree(self._unpack_dir, ignore_errors=True)
            self._archive_roots.clear()
            self._problems.clear()

    def _walk(self, paths: list[Path]) -> Generator[tuple[Path, str, Path], None, None]:
        """(path, path relative to its input, the input folder) of every file, in order.

        An archive's members come in its place, as the files of a folder named after it (an
        archive inside one too); the archive itself only when it cannot be read whole.
        """
        for input_root in paths:
            stop = input_root.resolve() if input_root.is_dir() else input_root.resolve().parent
            for path, relative in self._files([input_root]):
                # an archive given as an input is as a folder given as one: its members' paths start inside it
                yield from self._walk_file(path, relative, stop, top=input_root.is_file())

    def _walk_file(
        self, path: Path, relative: str, stop: Path, *, top: bool = False
    ) -> Iterator[tuple[Path, str, Path]]:
        suffix = archive_suffix(path.name, self.options.archives)
        if suffix is None or any(fnmatch.fnmatch(path.name, pattern) for pattern in self.options.ignore):
            yield path, relative, stop
            return
        root = Path(tempfile.mkdtemp(prefix="archive-", dir=self._unpack_dir)).resolve()
        shown = self._display(path)
        self._archive_roots[root] = shown
        try:
            problems = unpack_archive(path, root)
        except FileReject as exc:
            self._problems[path] = (exc.reason, exc.detail)
            yield path, relative, stop
            return
        self.stats.archives += 1
        # the members see the metadata files around the archive, then those inside it
        self._folder_meta[root] = self._layer(root, self._folder_layers(path.resolve().parent, stop))
        cut_short: tuple[str, str] | None = None
        for problem in problems:
            if problem.name is None:
                cut_short = (problem.reason, problem.detail)
            else:
                self._problems[root / problem.name] = (problem.reason, problem.detail)
        members = list(self._files([root]))
        for problem_path in self._problems:
            if root in problem_path.parents:
                inside = problem_path.relative_to(root).as_posix()
                if not any(part.startswith(".") for part in inside.split("/")[:-1]):  # as the walk skips them
                    members.append((problem_path, inside))
        # a member's path for `ingest.paths` and `ingest.include` is that of a folder named as the
        # archive without its suffix (`lemonde.zip/2024/a.txt`: `lemonde/2024/a.txt`)
        folder = "" if top else relative[: -len(suffix)] + "/"
        for member, inside in sorted(members, key=lambda m: _walk_key(m[1])):
            yield from self._walk_file(member, folder + inside, root)
        if cut_short is not None:
            self._problems[path] = cut_short
            yield path, relative, stop

    def _display(self, path: Path) -> str:
        """``raw_path`` of a file: an archive's member named after the archive (``corpus.zip/a.txt``)."""
        for folder in path.parents if self._archive_roots else ():
            shown = self._archive_roots.get(folder)
            if shown is not None:
                return f"{shown}/{path.relative_to(folder).as_posix()}"
        return display_path(path, self.project_root)

    def _one(self, path: Path, relative: str, stop: Path) -> Iterator[Row | RejectEntry]:
        """One file of the walk, in this process: counted, then read (a metadata file only checked)."""
        shown = self._seen_file(path, relative)
        problem = self._problems.get(path)
        if problem is not None and not self._ignored(path.name, relative):
            # an archive that cannot be read, a member that cannot be unpacked
            self.stats.files_rejected += 1
            yield self._reject_entry(shown, None, Reject(problem[0], None, problem[1]))
            return
        if self._is_metadata(path.name):
            try:
                self._read_meta(path)
                self.stats.files_metadata += 1
            except FileReject as exc:
                self.stats.files_rejected += 1
                yield self._reject_entry(shown, None, Reject(exc.reason, None, exc.detail))
            return
        if self._ignored(path.name, relative, path):
            self.stats.files_ignored += 1
            return
        yield from self._load_one(path, relative, shown, stop)

    def _seen_file(self, path: Path, relative: str) -> str:
        self.stats.files_seen += 1
        if self.progress:
            self.progress(relative)
        return self._display(path)

    def _parallel(
        self, walk: Iterator[tuple[Path, str, Path]], engine: Engine, context: str
    ) -> Iterator[Row | RejectEntry]:
        """The walk with its files loaded as tasks on ``engine``, counted here in the walk's order.

        ``queue`` holds, in walk order, what to do next: a file to handle here, a task whose result
        is the next one ``engine.map`` gives back, or a no-op task (sent after a long run of files
        handled here, so that the queue, filled as the engine asks for tasks, stays short).
        """
        queue: deque[tuple[str, Any]] = deque()
        ref = self._cache_ref

        def tasks() -> Iterator[tuple[str, CacheRef | None, list[_TaskFile]] | None]:
            batch: list[tuple[Path, str, Path]] = []
            size = here = 0
            for path, relative, stop in walk:
                bytes_ = _file_size(path)
                if (
                    0 < bytes_ <= WORKER_FILE_BYTES
                    and path not in self._problems
                    and not self._is_metadata(path.name)
                    and not self._ignored(path.name, relative, path)
                ):
                    batch.append((path, relative, stop))
                    size += bytes_
                    if len(batch) >= TASK_FILES or size >= TASK_BYTES:
                        queue.append(("task", batch))
                        yield context, ref, [self._task_file(*f) for f in batch]
                        batch, size, here = [], 0, 0
                    continue
                if batch:
                    queue.append(("task", batch))
                    yield context, ref, [self._task_file(*f) for f in batch]
                    batch, size = [], 0
                split = (
                    self._split(path, relative)
                    if path not in self._problems
                    and not self._is_metadata(path.name)
                    and not self._ignored(path.name, relative, path)
                    else None
                )
                if split is not None:  # a large file, each piece a task
                    state, pieces = split
                    for piece in pieces:
                        queue.append(("piece", state))
                        yield context, ref, [self._task_file(path, relative, stop, piece)]
                    here = 0
                    continue
                queue.append(("here", (path, relative, stop)))
                here += 1
                if here >= _HERE_RUN:
                    queue.append(("noop", None))
                    yield None
                    here = 0
            if batch:
                queue.append(("task", batch))
                yield context, ref, [self._task_file(*f) for f in batch]

        for result in engine.map(_load_task, tasks()):
            while queue[0][0] == "here":
                yield from self._one(*queue.popleft()[1])
            kind, batch = queue.popleft()
            if kind == "noop":
                continue
            if kind == "piece":
                if batch.done == 0:
                    self._seen_file(batch.path, batch.relative)
                yield from self._replay_piece(batch, result[0])
                continue
            for (path, relative, _), loaded in zip(batch, result, strict=True):
                yield from self._replay(self._seen_file(path, relative), loaded)
        while queue:
            kind, file = queue.popleft()
            if kind == "here":
                yield from self._one(*file)

    def _task_file(self, path: Path, relative: str, stop: Path, piece: _Piece | None = None) -> _TaskFile:
        # an archive's member takes the metadata around the archive with it (a worker cannot walk up to it)
        layers = self._folder_meta.get(stop) if stop in self._archive_roots else None
        digest = self._digests.get(str(path)) if piece is None else None
        return str(path), relative, self._display(path), str(stop), layers, piece, digest

    def _split(self, path: Path, relative: str) -> tuple[_Split, list[_Piece]] | None:
        """A file over :data:`CACHE_FILE_BYTES` whose loader cuts it (see :data:`PIECE_BYTES`): its
        pieces; None for any other file (and one that cannot be cut, or is to be rejected whole)."""
        if _file_size(path) <= CACHE_FILE_BYTES:
            return None
        raw = RawFile(
            path,
            self._display(path),
            relative,
            max_bytes=self.options.max_file_bytes,
            max_replacement_ratio=self.options.max_replacement_ratio,
        )
        expanded: Path | None = None
        spec: LoaderSpec | None = None
        try:
            head = raw.head()
            spec = (self.forced or detect_loader(raw, head)) if head else None
            if spec is None or spec.split is None or (not spec.binary and looks_binary(head[:8192])):
                return None
            cuts = spec.split(raw, PIECE_BYTES)
            if (not cuts or len(cuts) < 2) and raw.compressed and (expanded := self._expanded(raw)) is not None:
                # (a compressed file is cut as its expanded copy, which the workers read)
                copy = RawFile(
                    expanded,
                    raw.display,
                    relative,
                    max_bytes=raw.max_bytes,
                    max_replacement_ratio=raw.max_replacement_ratio,
                )
                cuts = spec.split(copy, PIECE_BYTES)
        except Exception:  # read whole, the file gives its error as a reject
            log.debug("cannot cut %s into pieces", path, exc_info=True)
            cuts = None
        if spec is None or not cuts or len(cuts) < 2:
            if expanded is not None:
                shutil.rmtree(expanded.parent, ignore_errors=True)
            return None
        encoding = None if spec.binary else sniff_encoding(head)
        source = str(expanded) if expanded is not None else None
        return (
            _Split(path, relative, spec.name, len(cuts), expanded=expanded),
            [(spec.name, a, b, encoding, source) for a, b in cuts],
        )

    def _expanded(self, raw: RawFile) -> Path | None:
        """A compressed file expanded into the work folder, where the workers read its pieces; None
        when there is no work folder or the file cannot be expanded whole (it is then read whole,
        and gives its error where it is)."""
        if self._unpack_dir is None or (self._cache_ref is None and not self._spread):
            return None  # (read here and not kept: expanding it would gain nothing)
        target = Path(tempfile.mkdtemp(prefix="expanded-", dir=self._unpack_dir)) / raw.name
        try:
            with raw.open() as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
        except (OSError, EOFError, zlib.error):
            shutil.rmtree(target.parent, ignore_errors=True)
            return None
        return target

    def _replay_piece(self, split: _Split, loaded: _Loaded | None) -> Iterator[Row | RejectEntry]:
        """Count a piece of a file (numbered after the pieces before it); after its last, the file's end.

        The pieces after one that ended the file (a corrupt record) are not counted, as the file
        read whole would have stopped there.
        """
        split.done += 1
        shown = self._display(split.path)
        if not split.stopped:
            assert loaded is not None
            yield from self._replay(shown, loaded, split.base)
            span, produced, split.stopped = self._piece_end
            split.base += span
            split.produced += produced
        if split.done < split.pieces:
            return
        if split.expanded is not None:  # every piece is loaded
            shutil.rmtree(split.expanded.parent, ignore_errors=True)
        if split.stopped:
            yield from self._apply(shown, ("file", split.fmt, "read" if split.produced else "rejected"))
        elif split.produced == 0:
            nothing = Reject("no_records", None, "the file holds no article")
            yield from self._apply(shown, ("reject", split.fmt, nothing))
            yield from self._apply(shown, ("file", split.fmt, "rejected"))
        else:
            yield from self._apply(shown, ("file", split.fmt, "counted"))

    def __getstate__(self) -> dict[str, Any]:
        """What a worker needs to load files as this process would (no counts, cache or callback)."""
        state = dict(self.__dict__)
        state.update(
            progress=None,
            stats=IngestStats(),
            _seen={},
            _folder_meta={},
            _archive_roots={},
            _problems={},
            _cache=None,
            _cache_new=[],
            _cache_new_tables=[],
            _cache_new_bytes=0,
            _cache_hits=[],
            _piece_end=None,
            _digests={},  # (each task carries its files' digests)
            forced=self.forced.name if self.forced else None,  # by name: a loader's sniffer may be a lambda
            _plugins=plugins_loaded(),  # this run's and earlier runs' plugins: they may claim extensions
        )
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        plugins = state.pop("_plugins")
        self.__dict__.update(state)
        load_plugins(plugins)  # a worker registers the same loaders (see `portable`)
        if isinstance(self.forced, str):
            self.forced = get_loader(self.forced)

    def _reject_entry(self, shown: str, fmt: str | None, reject: Reject) -> RejectEntry:
        self.stats.records_read += 1
        self.stats.records_rejected += 1
        self.stats.rejected_by_reason[reject.reason] += 1
        if fmt:
            self.stats.by_format.setdefault(fmt, Counter())["rejected"] += 1
        return RejectEntry(shown, fmt, reject.index, reject.reason, reject.detail or None, reject.excerpt or None)

    def _load_one(self, path: Path, relative: str, shown: str, stop: Path) -> Iterator[Row | RejectEntry]:
        """The rows and rejects of one file: loaded now, or replayed from the cache when it holds the file."""
        split = self._split(path, relative)
        if split is not None:  # piece by piece, each cached
            state, pieces = split
            for piece in pieces:
                loaded = None if state.stopped else self._loaded(path, relative, shown, stop, self._cache_ref, piece)
                yield from self._replay_piece(state, loaded)
            return
        if self._cache_ref is None or not 0 < _file_size(path) <= CACHE_FILE_BYTES:
            for event in self._events(path, relative, shown, stop):  # streamed: never held whole
                yield from self._apply(shown, event)
            return
        loaded = self._loaded(path, relative, shown, stop, self._cache_ref, digest=self._digests.get(str(path)))
        yield from self._replay(shown, loaded)

    def _loaded(
        self,
        path: Path,
        relative: str,
        shown: str,
        stop: Path,
        ref: CacheRef | None,
        piece: _Piece | None = None,
        digest: str | None = None,
    ) -> _Loaded:
        """What loading one file (or one ``piece`` of it) gives, packed: from the cache (``ref``)
        when it holds the file, else read. ``digest``: the file's :func:`file_sha256`, if known.

        Pure (the mapper's warnings are given back, not kept): it runs in worker processes too.
        """
        key = self._file_key(path, relative, shown, stop, ref, piece, digest) if ref is not None else None
        if ref is not None and key is not None:
            # (its rows' entry only seen to be there: it is read, and checked, if its rows are
            # written, which an addition's unchanged batches are not; 1.55 GB of a million's)
            found = lookup(ref.path, [key])
            if found and stored(ref.path, [_table_key(key)]):
                return _Loaded(key, found[key], None, True, True)
        before = dict(self.mapper.warnings)
        try:
            events = list(
                self._events(path, relative, shown, stop)
                if piece is None
                else self._piece_events(path, relative, shown, stop, piece)
            )
            warnings = {k: v - before.get(k, 0) for k, v in self.mapper.warnings.items() if v != before.get(k, 0)}
        finally:
            self.mapper.warnings = before
        # The rows as one table (made here, in a worker, not row by row in the main process; 2.9 s
        # to unpickle 100,000 bench articles as dicts, 0.7 s as tables)
        rows: list[dict[str, Any]] = []
        for i, event in enumerate(events):
            if event[0] == "record" and isinstance(event[2], dict):
                rows.append(event[2])
                events[i] = (*event[:2], len(rows) - 1, event[3])
        table = pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)
        counted = (
            events,
            warnings,
            [row["article_id"] for row in rows],
            [row["source"] for row in rows],
            bytes(bool(row["url"]) for row in rows),
            [self._excerpt(row) for row in rows],
        )
        packed = pack(pickle.dumps(counted, protocol=pickle.HIGHEST_PROTOCOL))
        rows_packed = pack(pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))
        # A date judged in the future is judged again next time (the clock moves): not cached.
        return _Loaded(key, packed, rows_packed, False, "date_in_future" not in warnings)

    def _excerpt(self, row: Mapping[str, Any]) -> str:
        """What a reject entry shows of an article row (a duplicate's)."""
        return (row["title"] or row["text"] or "")[: self.options.excerpt_chars]

    def _replay(self, shown: str, loaded: _Loaded, base: int = 0) -> Iterator[Row | RejectEntry]:
        """Count a loaded file (as :meth:`_events` then :meth:`_apply` would) and note its cache use.

        Its rows come as one :class:`_FileRows`, those accepted (not copies of earlier ones) in their
        order, read (from the cache, for a file read back from it) only if the batch they go into
        is written. A piece's records are numbered from ``base``; its end is left in ``_piece_end``.
        """
        if self._cache is not None and loaded.key is not None:
            if loaded.hit:
                self._cache_hits.append(loaded.key)
            elif loaded.cacheable:
                assert loaded.table is not None
                self._cache_new.append((loaded.key, loaded.packed))
                self._cache_new_tables.append((_table_key(loaded.key), loaded.table))
                self._cache_new_bytes += len(loaded.packed) + len(loaded.table)
            if (
                len(self._cache_new) >= _CACHE_FLUSH
                or len(self._cache_hits) >= _CACHE_FLUSH
                or self._cache_new_bytes >= _CACHE_FLUSH_BYTES
            ):
                self._flush_cache()
        events, warnings, ids, sources, urls, excerpts = pickle.loads(unpack(loaded.packed))
        for name, count in warnings.items():
            self.mapper.warnings[name] = self.mapper.warnings.get(name, 0) + count
        if base:
            events = [_renumbered(event, base) for event in events]
        kept: list[int] = []
        run: list[_Event] = []  # consecutive records of rows, admitted together
        for event in events:
            if event[0] == "record" and isinstance(event[2], int):
                run.append(event)
                continue
            if run:
                yield from self._admit_run(shown, run, ids, sources, partial(_seen_as, urls, excerpts), kept)
                run = []
            if event[0] == "piece":
                self._piece_end = event[1:]
                continue
            yield from self._apply(shown, event)
        if run:
            yield from self._admit_run(shown, run, ids, sources, partial(_seen_as, urls, excerpts), kept)
        if not kept:
            return
        whole = len(kept) == len(ids)
        key = None
        if loaded.key is not None and loaded.cacheable:  # (rows the file's key tells: not a date in the future)
            digest = hashlib.blake2b(loaded.key, digest_size=16)
            digest.update(base.to_bytes(8, "little"))
            if not whole:
                digest.update(array("q", kept).tobytes())
            key = digest.digest()
        yield _FileRows(key, len(kept), partial(self._file_table, shown, loaded, base, None if whole else kept))

    def _file_table(self, shown: str, loaded: _Loaded, base: int, kept: list[int] | None) -> pa.Table:
        """The rows of a file :meth:`_replay` counted (``kept``: those accepted, if not all)."""
        packed = loaded.table
        if packed is None:  # read back from the cache: its rows too (checked intact when the file was)
            assert self._cache_ref is not None and loaded.key is not None
            key = _table_key(loaded.key)
            packed = lookup(self._cache_ref.path, [key]).get(key)
            if packed is None and stored(self._cache_ref.path, [key]):  # (a damaged entry stays)
                raise RuntimeError(
                    f"{self._cache_ref.path}: the cached rows of {shown} are damaged; run the build again with"
                    " --fresh (which empties the caches)"
                )
            if packed is None:
                raise RuntimeError(
                    f"{self._cache_ref.path}: the cached rows of {shown} were removed during the build; run it again"
                )
        table: pa.Table = pickle.loads(unpack(packed))
        if base:
            at = table.schema.get_field_index("raw_index")
            table = table.set_column(
                at, table.schema.field(at), pc.add(table.column(at), pa.scalar(base, table.schema.field(at).type))
            )
        return table if kept is None else table.take(kept)

    def _flush_cache(self) -> None:
        assert self._cache is not None
        self._cache.add(self._cache_new)
        self._cache.add(self._cache_new_tables, counted=False)
        self._cache.used(self._cache_hits)
        self._cache.used([_table_key(key) for key in self._cache_hits], counted=False)
        self._cache_new, self._cache_new_tables, self._cache_hits, self._cache_new_bytes = [], [], [], 0

    def _file_key(
        self,
        path: Path,
        relative: str,
        shown: str,
        stop: Path,
        ref: CacheRef,
        piece: _Piece | None = None,
        digest: str | None = None,
    ) -> bytes:
        """The cache key of a file (or a piece of it: its bytes, not where they start), its names
        and every metadata layer around it. ``digest``: the file's :func:`file_sha256`, if known."""
        if piece is None:
            digest = digest or file_sha256(path)
        else:
            fmt, start, end, encoding, source = piece
            with (Path(source) if source else path).open("rb") as handle:
                handle.seek(start)
                digest = hashlib.blake2b(handle.read(end - start), digest_size=16).hexdigest()
            digest = f"{digest} piece {fmt} {encoding}"
        sidecar_path = path.with_name(path.name + self.options.sidecar_suffix)
        sidecar = sidecar_path.read_bytes().hex() if sidecar_path.is_file() else None
        folder = json.dumps(self._folder_layers(path.resolve().parent, stop), sort_keys=True, default=str)
        return ref.key(digest, relative, shown, sidecar, folder)

    def _events(self, path: Path, relative: str, shown: str, stop: Path) -> Iterator[_Event]:
        """What loading one file gives, in order: each record mapped (a row or a reject), then how it ended.

        Events, not counts: :meth:`_apply` counts them, so that replaying a cached file's events
        counts it as loading it did.
        """
        raw = RawFile(
            path,
            shown,
            relative,
            max_bytes=self.options.max_file_bytes,
            max_replacement_ratio=self.options.max_replacement_ratio,
        )
        spec: LoaderSpec | None = None
        produced = 0
        try:
            if path.stat().st_size == 0:
                raise FileReject("empty_file", "0 bytes")
            head = raw.head()
            if not head:
                raise FileReject("empty_file", "0 bytes after decompression")
            spec = self.forced or detect_loader(raw, head)
            if spec is None:
                if looks_binary(head[:8192]):
                    raise FileReject(
                        "binary_file",
                        f"binary content and no loader for {raw.suffix or 'files without extension'}",
                    )
                raise FileReject(
                    "unsupported_format",
                    f"no loader for {raw.suffix or 'files without extension'} (see `python -m analysis formats`)",
                )
            if not spec.binary and looks_binary(head[:8192]):
                raise FileReject("binary_file", "binary content (NUL or control bytes), not text")
            ctx = self._file_context(path, relative, shown, stop, spec)
            for event in self._record_events(raw, spec, ctx):
                produced += 1
                yield event
        except FileReject as exc:
            yield ("reject", spec.name if spec else None, Reject(exc.reason, None, exc.detail))
            yield ("file", spec.name if spec else None, "read" if produced else "rejected")
            return
        except Exception as exc:  # a corrupt file must never stop the run
            log.debug("loader failed on %s", shown, exc_info=True)
            yield ("reject", spec.name if spec else None, Reject("loader_error", None, f"{type(exc).__name__}: {exc}"))
            yield ("file", spec.name if spec else None, "read" if produced else "rejected")
            return
        if produced == 0:
            yield ("reject", spec.name, Reject("no_records", None, "the file holds no article"))
            yield ("file", spec.name, "rejected")
            return
        yield ("file", spec.name, "counted")

    def _piece_events(self, path: Path, relative: str, shown: str, stop: Path, piece: _Piece) -> Iterator[_Event]:
        """What loading one piece of a file gives (see :data:`PIECE_BYTES`): as :meth:`_events`,
        its records numbered from 0, ending in ("piece", span, produced, stopped)."""
        fmt, start, end, encoding, source = piece
        raw = RawFile(
            Path(source) if source else path,
            shown,
            relative,
            max_bytes=self.options.max_file_bytes,
            max_replacement_ratio=self.options.max_replacement_ratio,
            piece=(start, end),
            encoding=encoding,
        )
        spec = get_loader(fmt)
        ctx = self._file_context(path, relative, shown, stop, spec)
        produced = span = 0
        try:
            for event in self._record_events(raw, spec, ctx):
                produced += 1
                span = event[-1] + 1 if event[0] == "record" else event[2].index + 1
                yield event
        except FileReject as exc:
            yield ("reject", fmt, Reject(exc.reason, None, exc.detail))
            yield ("piece", span, produced, True)
            return
        except Exception as exc:  # a corrupt piece ends the file, as the file read whole would end
            log.debug("loader failed on %s (bytes %d-%d)", shown, start, end, exc_info=True)
            yield ("reject", fmt, Reject("loader_error", None, f"{type(exc).__name__}: {exc}"))
            yield ("piece", span, produced, True)
            return
        yield ("piece", span, produced, False)

    def _file_context(self, path: Path, relative: str, shown: str, stop: Path, spec: LoaderSpec) -> FileContext:
        """The values around a file's records: its sidecar's, its folders', the command line's, its path's."""
        sidecar_path = path.with_name(path.name + self.options.sidecar_suffix)
        sidecar: Mapping[str, Any] = {}
        if sidecar_path.is_file():
            # a broken sidecar is reported when the walk reaches it
            with contextlib.suppress(FileReject):
                sidecar = self.mapper.lookup(self._read_meta(sidecar_path))
        path_source, path_date = path_metadata(relative, self.options)
        return FileContext(
            raw_path=shown,
            raw_format=spec.name,
            sidecar=sidecar,
            folder=self._folder_layers(path.resolve().parent, stop),
            cli=self.cli,
            path_source=path_source,
            path_date=path_date,
        )

    def _record_events(self, raw: RawFile, spec: LoaderSpec, ctx: FileContext) -> Iterator[_Event]:
        """Each record the loader gives, mapped (a row or a reject), with its number in the file."""
        counter = 0
        for item in spec.func(raw, self.options):
            index = item.index if item.index is not None else counter
            counter = index + 1
            if isinstance(item, Reject):
                yield ("reject", spec.name, Reject(item.reason, index, item.detail, item.excerpt))
                continue
            yield ("record", spec.name, self.mapper.map(item, ctx, index), index)

    def _apply(self, shown: str, event: _Event) -> Iterator[dict[str, Any] | RejectEntry]:
        """Count one event of a file's loading; the row or reject entry it makes, if any."""
        kind, fmt = event[0], event[1]
        if kind == "reject":
            yield self._reject_entry(shown, fmt, event[2])
        elif kind == "record":
            yield from self._accept(event[2], shown, fmt, event[3])
        elif event[2] == "rejected":
            self.stats.files_rejected += 1
        else:
            self.stats.files_read += 1
            if event[2] == "counted":  # a file read to its end: counted in its format
                assert fmt is not None
                self.stats.by_format.setdefault(fmt, Counter())["files"] += 1

    def _accept(
        self, mapped: dict[str, Any] | Reject, raw_path: str, raw_format: str, index: int
    ) -> Iterator[dict[str, Any] | RejectEntry]:
        if isinstance(mapped, Reject):
            yield self._reject_entry(raw_path, raw_format, mapped)
            return
        reject = self._admit(
            mapped["article_id"],
            mapped["source"],
            raw_path,
            raw_format,
            index,
            lambda: (bool(mapped["url"]), self._excerpt(mapped)),
        )
        yield mapped if reject is None else reject

    def _admit_run(
        self,
        shown: str,
        run: list[_Event],
        ids: list[str],
        sources: list[Any],
        seen_as: Callable[[int], tuple[bool, str]],
        kept: list[int],
    ) -> Iterator[RejectEntry]:
        """Count a run of a loaded file's records of rows (as :meth:`_admit` one by one), adding the
        rows accepted to ``kept``: those between two repeats of an article (seen before, or earlier
        in the run) at once, each repeat as :meth:`_admit` rejects it."""
        rows = [event[2] for event in run]
        run_ids = [ids[row] for row in rows]
        seen = self._seen
        if len(dict.fromkeys(run_ids)) == len(run_ids):
            repeats = [i for i, article_id in enumerate(run_ids) if article_id in seen]
        else:  # repeats within the run too (rare)
            earlier: set[str] = set()
            repeats = []
            for i, article_id in enumerate(run_ids):
                if article_id in seen or article_id in earlier:
                    repeats.append(i)
                earlier.add(article_id)
        start = 0
        for end in [*repeats, len(run)]:
            if start < end:
                self._admit_all(shown, run[start:end], rows[start:end], run_ids[start:end], sources, kept)
            if end < len(run):
                _, fmt, row, index = run[end]
                reject = self._admit(run_ids[end], sources[row], shown, fmt, index, partial(seen_as, row))
                assert reject is not None  # (a repeat)
                yield reject
            start = end + 1

    def _admit_all(
        self, shown: str, run: list[_Event], rows: list[int], run_ids: list[str], sources: list[Any], kept: list[int]
    ) -> None:
        """Count records of rows none of which repeats an article (see :meth:`_admit_run`)."""
        self._seen.update(zip(run_ids, [(shown, event[3]) for event in run], strict=True))
        self.stats.records_read += len(run)
        self.stats.records_kept += len(run)
        for fmt, count in Counter(event[1] for event in run).items():
            self.stats.by_format.setdefault(fmt, Counter())["kept"] += count
        self.stats.by_source.update([sources[row] for row in rows])
        kept.extend(rows)

    def _admit(
        self,
        article_id: str,
        source: Any,
        raw_path: str,
        raw_format: str,
        index: int,
        seen_as: Callable[[], tuple[bool, str]],
    ) -> RejectEntry | None:
        """Count an article row; the reject entry when it is the same article as an earlier row.

        ``seen_as`` gives whether the row has a URL and its excerpt (:meth:`_excerpt`), asked only
        for a reject.
        """
        first = self._seen.get(article_id)
        if first is not None:
            has_url, excerpt = seen_as()
            what = "URL" if has_url else "source, date, title and text"
            return self._reject_entry(
                raw_path,
                raw_format,
                Reject("duplicate", index, f"same {what} as article {article_id} ({first[0]}#{first[1]})", excerpt),
            )
        self._seen[article_id] = (raw_path, index)
        self.stats.records_read += 1
        self.stats.records_kept += 1
        by_format = self.stats.by_format.get(raw_format)
        if by_format is None:
            by_format = self.stats.by_format[raw_format] = Counter()
        by_format["kept"] += 1
        self.stats.by_source[source] += 1
        return None


def _seen_as(urls: bytes, excerpts: list[str], row: int) -> tuple[bool, str]:
    """Whether a loaded file's row has a URL, and its excerpt (see ``Ingestor._admit``)."""
    return bool(urls[row]), excerpts[row]


def _table_key(key: bytes) -> bytes:
    """The cache key of a loaded file's rows, from the file's (see :class:`_Loaded`)."""
    return hashlib.blake2b(key + b" rows", digest_size=16).digest()


class _Batch(NamedTuple):
    """Rows of the article table, one row group: runs of files' rows (:class:`_FileRows`, first
    and end row of each)."""

    runs: list[tuple[_FileRows, int, int]]

    @property
    def rows(self) -> int:
        return sum(end - start for _, start, end in self.runs)

    def key(self) -> str | None:
        """What the batch's rows are known by without reading them (its files' rows' keys, and
        where it cuts them), when every run has a key; else None."""
        digest = hashlib.blake2b(digest_size=16)
        for rows, start, end in self.runs:
            if rows.key is None:
                return None
            digest.update(rows.key + start.to_bytes(8, "little") + end.to_bytes(8, "little"))
        return f"loaded {digest.hexdigest()}"

    def table(self) -> pa.Table:
        pieces = [rows.table().slice(start, end - start) for rows, start, end in self.runs]
        return pa.concat_tables([ARTICLE_SCHEMA.empty_table(), *pieces]).combine_chunks()


class _Batches:
    """Article rows (dicts, files' rows) into batches of ``size`` rows, in order: the row groups of
    the loaded table."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._runs: deque[_FileRows] = deque()
        self._start = 0  # the first run's rows taken by the batches before
        self._rows: list[dict[str, Any]] = []
        self._held = 0

    def add(self, item: Row) -> Iterator[_Batch]:
        if isinstance(item, dict):
            self._rows.append(item)
            self._held += 1
        else:
            self._close_rows()
            if item.count:
                self._runs.append(item)
                self._held += item.count
        while self._held >= self.size:
            self._close_rows()
            yield self._take(self.size)

    def rest(self) -> _Batch:
        self._close_rows()
        return self._take(self._held)

    def _take(self, size: int) -> _Batch:
        runs: list[tuple[_FileRows, int, int]] = []
        while size:
            first = self._runs[0]
            end = min(first.count, self._start + size)
            runs.append((first, self._start, end))
            size -= end - self._start
            self._held -= end - self._start
            if end == first.count:
                self._runs.popleft()
                self._start = 0
            else:
                self._start = end
        return _Batch(runs)

    def _close_rows(self) -> None:
        if self._rows:
            self._runs.append(_FileRows.of(pa.Table.from_pylist(self._rows, schema=ARTICLE_SCHEMA)))
            self._rows = []


def _load_task(task: tuple[str, CacheRef | None, list[_TaskFile]] | None) -> list[_Loaded]:
    """Load a few files in a worker (what ``Ingestor._loaded`` gives for each); None: nothing."""
    if task is None:
        return []
    context, ref, files = task
    ingestor: Ingestor = shared(context)
    loaded = []
    for path, relative, shown, stop, layers, piece, digest in files:
        if layers is not None:
            ingestor._folder_meta[Path(stop)] = layers
        loaded.append(ingestor._loaded(Path(path), relative, shown, Path(stop), ref, piece, digest))
    return loaded


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes (as stored: a compressed file's, not its content's), in hex."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _renumbered(event: _Event, base: int) -> _Event:
    """An event of a piece of a file with its record's number counted from ``base`` (the piece's first)."""
    if event[0] == "record":
        found = event[2]
        if isinstance(found, Reject) and found.index is not None:
            found = Reject(found.reason, found.index + base, found.detail, found.excerpt)
        return ("record", event[1], found, event[3] + base)
    if event[0] == "reject" and event[2].index is not None:
        found = event[2]
        return ("reject", event[1], Reject(found.reason, found.index + base, found.detail, found.excerpt))
    return event


def _walk_key(relative: str) -> tuple[tuple[int, str], ...]:
    """The place of a relative path in a folder's walk: a folder's files (by name) before its folders'."""
    *folders, name = relative.split("/")
    return (*((1, f) for f in folders), (0, name))


def _file_size(path: Path) -> int:
    """The bytes a file holds once read: a gzip file's expanded size, if larger (:func:`_gzip_size`).

    What decides whether a file is held whole (cached, loaded by a worker) or cut into pieces: a
    small gzip file may expand a hundredfold.
    """
    try:
        stat = path.stat()
    except OSError:
        return 0
    size = stat.st_size
    if size >= 18 and path.name.lower().endswith(".gz"):
        with contextlib.suppress(OSError):
            return max(size, _gzip_size(str(path), size, stat.st_mtime_ns))
    return size


#: Compressed bytes a gzip file's size is judged on when its trailer cannot be trusted (see :func:`_gzip_size`).
_GZIP_PROBE = 1 << 20


@functools.lru_cache(maxsize=4096)
def _gzip_size(path: str, size: int, mtime_ns: int) -> int:
    """A gzip file's expanded size: from its trailer (the last member's size, modulo 4 GiB) when
    that is no less than the file's size, else measured (:data:`_GZIP_PROBE` bytes expanded,
    the whole file when it is no larger, else estimated from their ratio).

    A trailer below the file's size is a file of several members (a web archive, a record to a
    member; files put end to end), one that expands past 4 GiB, or data that does not compress:
    expanding its start tells which. ``mtime_ns`` keys the memo, with the path and size.
    Unreadable or corrupt data gives the trailer's size (loading says what is wrong).
    """
    with open(path, "rb") as handle:
        handle.seek(-4, os.SEEK_END)
        trailer = int.from_bytes(handle.read(4), "little")
        if trailer >= size:  # (one member, as gzip writes: nothing to read)
            return trailer
        handle.seek(0)
        expanded = consumed = 0  # bytes given by, and taken by, the decompressors
        pending = b""
        decompressor = zlib.decompressobj(wbits=31)
        try:
            while consumed < _GZIP_PROBE:
                if not pending and not (pending := handle.read(65536)):
                    return max(trailer, expanded)  # cut short: loading says so
                expanded += len(decompressor.decompress(pending, 1 << 20))
                rest = decompressor.unused_data if decompressor.eof else decompressor.unconsumed_tail
                consumed += len(pending) - len(rest)
                pending = rest
                if decompressor.eof:
                    if not pending and not (pending := handle.read(65536)):
                        return expanded  # the whole file read
                    decompressor = zlib.decompressobj(wbits=31)
        except zlib.error:
            return trailer
    return size * expanded // max(consumed, 1)


def ingest(
    inputs: Iterable[Path | str],
    out_dir: Path,
    options: IngestOptions,
    **kwargs: Any,
) -> IngestStats:
    """Load raw files/folders into ``out_dir`` (articles.parquet, rejects.jsonl, ingest_stats.json)."""
    return Ingestor(options, **kwargs).run(inputs, out_dir)
