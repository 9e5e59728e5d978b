"""Loaders: what they yield, and the registry that picks one for each file.

A loader is a function ``(RawFile, IngestOptions) -> Iterator[Record | Reject]``. It reads one
file and yields one :class:`Record` per article found (its fields under any names: the ingest step
maps them to article columns) and one :class:`Reject` per record it could not read. Raising
:class:`FileReject` rejects the whole file. Loaders must stream: never read a file of unbounded
size whole.

Register your own with :func:`register_loader`::

    from analysis.io import Record, register_loader

    @register_loader("mydump", extensions=(".dump",), description="Our archive dump")
    def load_mydump(raw, options):
        for i, block in enumerate(raw.read_text().split("\\n====\\n")):
            title, _, body = block.partition("\\n")
            yield Record({"title": title, "text": body}, index=i)

then run ``python -m analysis ingest --plugin mymodule DIR`` (or list ``mymodule`` in the
``ingest.plugins`` option, or expose it under the ``analysis.loaders`` entry-point group).

A loader of a format made of records one after another (JSON Lines, WARC) can also give a
``split`` function: ``(RawFile, size) -> list of (start, stop) byte offsets or None``, pieces of
about ``size`` bytes of the file as stored, each starting at a record. A large file is then loaded
piece by piece (by the workers, each piece cached): the loader is given a :class:`RawFile` whose
:meth:`RawFile.open` reads one piece (:attr:`RawFile.piece`), numbers the piece's records from 0,
reads what the file's start says for every record from :meth:`RawFile.whole` (a CSV file's
header row), and leaves checks of the whole file (an archive with no page) to a file read whole.
"""

from __future__ import annotations

import gzip
import importlib
import io
import re
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from analysis.text import DecodeError, decode_bytes, fold, sniff_encoding

if TYPE_CHECKING:
    from analysis.config import IngestOptions

_KEY = re.compile(r"[\s_\-.]+")
#: letters that are a Latin letter with a mark, but that Unicode does not decompose (Turkish
#: `Başlık`, Polish `Tytuł`, `Źródło`; Danish ø, Croatian đ): a field name typed
#: without them (`baslik`, `tytul`, `zrodlo`) is the same name
_UNDECOMPOSED = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d"})


@lru_cache(maxsize=4096)
def norm_key(name: str) -> str:
    """A record field name as compared with the known ones: case, accents, ``_``, ``-``, ``.`` and
    spaces ignored (``Mots-clés`` is ``mots_cles``, ``Başlık`` is ``baslik``, ``Tytuł`` is ``tytul``)."""
    return fold(_KEY.sub("", name)).translate(_UNDECOMPOSED)


@dataclass(slots=True)
class Record:
    """One article as a loader found it: field names as in the source, mapped later.

    ``defaults`` are file-level values the format itself carries (a feed's title and language):
    they fill fields the record lacks, after metadata files and command-line values.
    """

    fields: Mapping[str, Any]
    index: int | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Reject:
    """A record a loader could not read; ``index`` is its number in the file when known."""

    reason: str
    index: int | None = None
    detail: str = ""
    excerpt: str = ""


class FileReject(Exception):
    """Raised by a loader to reject a whole file (empty, binary, not this format...)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class RawFile:
    """A file to load, opened transparently through gzip when it ends in ``.gz``.

    With ``piece`` (``start``, ``stop``: byte offsets of the file as stored), the file is that
    piece alone (see :class:`LoaderSpec` ``split``), read as ``encoding`` when given (the whole
    file's, sniffed from its start, not the piece's).
    """

    def __init__(
        self,
        path: Path,
        display: str,
        relative: str,
        *,
        max_bytes: int,
        max_replacement_ratio: float,
        piece: tuple[int, int] | None = None,
        encoding: str | None = None,
    ) -> None:
        self.path = path
        self.piece = piece
        self.encoding = encoding
        self.display = display  # path as stored in raw_path
        self.relative = relative  # path relative to the input folder given (for path metadata)
        self.compressed = path.name.lower().endswith(".gz")
        self.max_bytes = max_bytes
        self.max_replacement_ratio = max_replacement_ratio

    @property
    def name(self) -> str:
        """File name without a ``.gz`` suffix."""
        return self.path.name[:-3] if self.compressed else self.path.name

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    def open(self) -> IO[bytes]:
        """Binary stream of the (decompressed) content: of the piece alone, for a piece."""
        if self.piece is not None:
            stored: IO[bytes] = io.BufferedReader(_Range(self.path, *self.piece), buffer_size=1 << 16)
            return gzip.GzipFile(fileobj=stored, mode="rb") if self.compressed else stored  # type: ignore[return-value]
        if self.compressed:
            return gzip.GzipFile(self.path, "rb")  # type: ignore[return-value]
        return self.path.open("rb")

    def whole(self) -> RawFile:
        """The whole file a piece is of (itself when it is no piece): where a loader reads what
        the file's start says for every record (a CSV file's header row and delimiter)."""
        if self.piece is None:
            return self
        return RawFile(
            self.path,
            self.display,
            self.relative,
            max_bytes=self.max_bytes,
            max_replacement_ratio=self.max_replacement_ratio,
            encoding=self.encoding,
        )

    def head(self, size: int = 65536) -> bytes:
        """The first bytes of the (decompressed) content."""
        with self.open() as handle:
            try:
                return handle.read(size)
            except (OSError, EOFError, zlib.error) as exc:
                raise FileReject("corrupt_gzip", str(exc)) from exc

    def read_bytes(self) -> bytes:
        """Whole content, for single-document formats; refuses files over the size limit."""
        if not self.compressed and self.path.stat().st_size > self.max_bytes:
            raise FileReject(
                "too_large",
                f"{self.path.stat().st_size} bytes, limit {self.max_bytes} (option ingest.max_file_mb)",
            )
        with self.open() as handle:
            try:
                data = handle.read(self.max_bytes + 1)
            except (OSError, EOFError, zlib.error) as exc:
                raise FileReject("corrupt_gzip", str(exc)) from exc
        if len(data) > self.max_bytes:
            raise FileReject("too_large", f"over {self.max_bytes} bytes (option ingest.max_file_mb)")
        return data

    def read_text(self) -> str:
        """Whole content decoded (encoding detected, broken bytes repaired or rejected)."""
        try:
            return decode_bytes(self.read_bytes(), max_replacement_ratio=self.max_replacement_ratio).text
        except DecodeError as exc:
            raise FileReject(exc.reason, exc.detail) from exc

    def open_text(self) -> IO[str]:
        """Streaming text reader; encoding chosen from the first 64 KiB."""
        encoding = self.encoding or sniff_encoding(self.head()) or "utf-8"
        return io.TextIOWrapper(self.open(), encoding=encoding, errors="replace", newline="")


class _Range(io.RawIOBase):
    """Bytes ``start:stop`` of a file, read as a file of their own."""

    def __init__(self, path: Path, start: int, stop: int) -> None:
        self._handle = path.open("rb")
        self._handle.seek(start)
        self._left = stop - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")[: self._left]
        count = self._handle.readinto(view)
        self._left -= count
        return count

    def close(self) -> None:
        self._handle.close()
        super().close()


LoaderFunc = Callable[[RawFile, "IngestOptions"], Iterator[Record | Reject]]
#: ``(RawFile, size)``: a large file's pieces, as (start, stop) byte offsets, or None (see the module's help)
SplitFunc = Callable[[RawFile, int], "list[tuple[int, int]] | None"]


@dataclass(frozen=True)
class LoaderSpec:
    name: str
    func: LoaderFunc
    extensions: tuple[str, ...]
    sniff: Callable[[bytes], bool] | None
    binary: bool
    description: str
    split: SplitFunc | None = None
    #: a stricter content test than ``sniff``, by which this format takes a file whose extension
    #: names plain text (an Excel table saved as `Text (Tab delimited) (*.txt)`)
    claims: Callable[[bytes], bool] | None = None
    #: the extensions are plain text's (`.txt`): a format whose ``claims`` the content meets wins
    plain: bool = False


_REGISTRY: dict[str, LoaderSpec] = {}
_PLUGINS_LOADED: set[str] = set()
_ENTRY_POINT_MODULES: set[str] = set()
#: the modules whose loaders ``analysis.io.loaders`` registers when imported
_BUILTIN_MODULES = frozenset(
    {"analysis.io.loaders", "analysis.io.markdown", "analysis.io.citations", "analysis.io.mail"}
)


def register_loader(
    name: str,
    *,
    extensions: tuple[str, ...] = (),
    sniff: Callable[[bytes], bool] | None = None,
    binary: bool = False,
    description: str = "",
    split: SplitFunc | None = None,
    claims: Callable[[bytes], bool] | None = None,
    plain: bool = False,
) -> Callable[[LoaderFunc], LoaderFunc]:
    """Register a loader under ``name`` for file extensions and/or a content sniffer.

    Args:
        name: the name shown in ``raw_format`` and accepted by ``--format``.
        extensions: lower-case suffixes with the dot (``.sgm``); ``.gz`` is handled for you.
        sniff: given the first 64 KiB, says whether a file of unknown extension is this format.
        binary: the format is binary (skips the "binary file" check).
        description: one line for ``python -m analysis formats``.
        split: gives a large file's pieces, each loaded on its own (see the module's help).
        claims: given the first 64 KiB of a file whose extension is a ``plain`` loader's (`.txt`),
            says whether it is this format all the same: a test strict enough that no article
            written as text meets it (a table's header row, a page's `<html>`).
        plain: the extensions name plain text, which any format may be saved as.

    A loader registered later wins over an earlier one for the same extension, so a plugin can
    replace a built-in loader.
    """

    def decorator(func: LoaderFunc) -> LoaderFunc:
        suffixes = tuple(e.lower() for e in extensions)
        _REGISTRY[name] = LoaderSpec(name, func, suffixes, sniff, binary, description, split, claims, plain)
        return func

    return decorator


def loaders() -> dict[str, LoaderSpec]:
    """Every registered loader, built-ins first."""
    _ensure_builtins()
    return dict(_REGISTRY)


def get_loader(name: str) -> LoaderSpec:
    """The loader registered under ``name``; ``KeyError`` lists the known names."""
    known = loaders()
    if name not in known:
        raise KeyError(f"unknown format {name!r}; known formats: {', '.join(sorted(known))}")
    return known[name]


def detect_loader(raw: RawFile, head: bytes) -> LoaderSpec | None:
    """The loader for a file: by extension (latest registration wins; for plain text's, a format
    whose ``claims`` its content meets), else by content."""
    known = loaders()
    for spec in reversed(list(known.values())):
        if raw.suffix in spec.extensions:
            if spec.plain:
                claimed = next((o for o in reversed(list(known.values())) if o.claims and o.claims(head)), None)
                return claimed or spec
            return spec
    for spec in reversed(list(known.values())):
        if spec.sniff is not None and spec.sniff(head):
            return spec
    return None


def load_plugins(modules: tuple[str, ...] | list[str]) -> None:
    """Import plugin modules (they register loaders) and the ``analysis.loaders`` entry points."""
    _ensure_builtins()
    for module in modules:
        if module in _PLUGINS_LOADED:
            continue
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ImportError(f"cannot import loader plugin {module!r}: {exc}") from exc
        _PLUGINS_LOADED.add(module)
    if "<entry-points>" not in _PLUGINS_LOADED:
        _PLUGINS_LOADED.add("<entry-points>")
        for entry in metadata.entry_points(group="analysis.loaders"):
            entry.load()
            _ENTRY_POINT_MODULES.add(entry.module)


def plugins_loaded() -> tuple[str, ...]:
    """Every plugin module this process has imported through :func:`load_plugins`, sorted."""
    return tuple(sorted(m for m in _PLUGINS_LOADED if m != "<entry-points>"))


def portable() -> bool:
    """Whether another process that imports :func:`plugins_loaded` (and the entry points) registers the same loaders.

    True when every registered loader comes from a module that registers it when imported: the
    built-ins (written in ``analysis.io``'s modules, registered by ``analysis.io.loaders``), the
    plugin modules loaded so far, the entry points. A loader registered at run time (in a
    notebook, a test, a script's ``__main__``) exists in this process only.
    """
    modules = {*_BUILTIN_MODULES, *_PLUGINS_LOADED, *_ENTRY_POINT_MODULES}
    return all(spec.func.__module__ in modules for spec in loaders().values())


@contextmanager
def isolated_registry() -> Iterator[None]:
    """Loaders and plugins registered inside the block are forgotten after it.

    A plugin may claim a common extension (``.txt``); tests and one-off runs use this so that the
    claim does not outlive them. Plugin modules imported in the block are unloaded too, so that
    importing them again registers them again.
    """
    _ensure_builtins()
    saved, loaded = dict(_REGISTRY), set(_PLUGINS_LOADED)
    try:
        yield
    finally:
        for module in _PLUGINS_LOADED - loaded:
            sys.modules.pop(module, None)
        _REGISTRY.clear()
        _REGISTRY.update(saved)
        _PLUGINS_LOADED.clear()
        _PLUGINS_LOADED.update(loaded)


def _ensure_builtins() -> None:
    # Imported for their registrations; kept here so that `registry` has no import cycle.
    from analysis.io import loaders as _builtins  # noqa: F401
