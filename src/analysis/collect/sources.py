"""The sources file: which outlets to collect from, and how politely.

A TOML file with an optional ``[collector]`` table (crawl settings, see :class:`CollectSettings`)
and one ``[[sources]]`` table per outlet::

    [collector]
    contact = "mailto:you@example.org"   # shown in the User-Agent
    delay = 2.0                          # seconds between two requests to one host

    [[sources]]
    name = "hespress-fr"                 # slug used in output paths
    language = "fr"
    country = "MA"
    feeds = ["https://fr.hespress.com/feed"]
    sitemaps = ["https://fr.hespress.com/sitemap.xml"]
    include = ['/\\d{6,}-']              # URL regexes (optional)
    exclude = ['/video/']
    delay = 3.0                          # this source's hosts only (optional)

An unknown key or a value of the wrong type is a :class:`SourcesError` naming the file and key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_NAME = "news-corpus-analysis"
#: The starter sources file shipped with the package.
DEFAULT_SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources.toml"
DEFAULT_CONTACT = "contact: set [collector] contact in the sources file"

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


class SourcesError(ValueError):
    """A bad sources file or setting; the message names the file and the key."""


@dataclass(frozen=True)
class CollectSettings:
    """How the collector crawls. Every value can be set in ``[collector]`` or passed to ``collect``.

    Attributes:
        contact: how site owners reach you, shown in the User-Agent (an email or a URL).
        delay: minimum seconds between two requests to one host (``Crawl-delay`` in robots.txt
            raises it, up to ``max_crawl_delay``).
        host_concurrency: requests in flight at once to one host.
        workers: threads fetching in parallel (across hosts).
        timeout: seconds for one request, connection to last byte.
        max_page_mb: pages larger than this are ``too_large`` (checked while streaming).
        max_document_mb: the same limit for feeds and sitemaps (after gzip decompression).
        max_redirects: redirects followed before ``too_many_redirects``.
        retries: extra tries, within a run, after a 408/429/5xx answer or a connection error.
        backoff: seconds before the first retry; doubled at each further retry.
        max_backoff: cap of the exponential backoff.
        max_retry_after: cap of a server's ``Retry-After`` (seconds).
        max_attempts: runs in which a URL that failed for a retryable reason is tried, in all.
        max_crawl_delay: cap of a robots.txt ``Crawl-delay`` (seconds).
        sitemap_depth: levels of sitemap indexes followed below a listed sitemap.
        sitemap_max_documents: sitemaps fetched per source and run, indexes included.
        batch_size: records appended (then fsynced and committed) together.
    """

    contact: str = DEFAULT_CONTACT
    delay: float = 2.0
    host_concurrency: int = 1
    workers: int = 4
    timeout: float = 20.0
    max_page_mb: float = 5.0
    max_document_mb: float = 50.0
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_retry_after: float = 120.0
    max_attempts: int = 3
    max_crawl_delay: float = 30.0
    sitemap_depth: int = 2
    sitemap_max_documents: int = 100
    batch_size: int = 16

    @property
    def max_page_bytes(self) -> int:
        return int(self.max_page_mb * 1024 * 1024)

    @property
    def max_document_bytes(self) -> int:
        return int(self.max_document_mb * 1024 * 1024)

    def user_agent(self) -> str:
        """The User-Agent sent with every request: project name, version and contact."""
        return f"{PROJECT_NAME}/{project_version()} (+{self.contact})"


@dataclass(frozen=True)
class Source:
    """One outlet: where its URLs are listed and which of them to keep."""

    name: str
    language: str
    country: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()
    delay: float | None = None

    def wants(self, url: str) -> bool:
        """Whether ``url`` passes this source's include and exclude patterns."""
        if self.include and not any(p.search(url) for p in self.include):
            return False
        return not any(p.search(url) for p in self.exclude)


@dataclass(frozen=True)
class SourcesFile:
    """A parsed sources file."""

    path: Path
    settings: CollectSettings
    sources: tuple[Source, ...]


def project_version() -> str:
    """The project's version: ``analysis.__version__``, else the installed distribution's."""
    import analysis

    version = getattr(analysis, "__version__", None)
    if isinstance(version, str) and version:
        return version
    try:
        return metadata.version(PROJECT_NAME)
    except metadata.PackageNotFoundError:
        return "0"


_SOURCE_KEYS = {"name", "language", "country", "feeds", "sitemaps", "include", "exclude", "delay"}


def _type_name(kind: type) -> str:
    return {float: "a number", int: "an integer", str: "a string"}.get(kind, kind.__name__)


def settings_from(values: Mapping[str, Any], origin: str, base: CollectSettings | None = None) -> CollectSettings:
    """``base`` (default settings when ``None``) with ``values`` applied, each checked.

    Raises:
        SourcesError: an unknown key, a value of the wrong type, or a negative number.
    """
    base = base or CollectSettings()
    known = {f.name: type(getattr(base, f.name)) for f in fields(CollectSettings)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise SourcesError(f"{origin}: unknown key 'collector.{key}' (known: {', '.join(sorted(known))})")
        kind = known[key]
        ok = isinstance(value, kind) and not isinstance(value, bool)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            ok, value = True, float(value)
        if not ok:
            raise SourcesError(f"{origin}: 'collector.{key}' must be {_type_name(kind)}, not {value!r}")
        if isinstance(value, (int, float)) and value < 0:
            raise SourcesError(f"{origin}: 'collector.{key}' must not be negative")
        changes[key] = value
    for key in ("workers", "host_concurrency", "batch_size", "max_attempts"):
        if changes.get(key, 1) < 1:
            raise SourcesError(f"{origin}: 'collector.{key}' must be at least 1")
    return replace(base, **changes)


def _strings(value: Any, where: str, origin: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourcesError(f"{origin}: '{where}' must be a list of strings")
    return tuple(v.strip() for v in value)


def _urls(value: Any, where: str, origin: str) -> tuple[str, ...]:
    urls = _strings(value, where, origin)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourcesError(f"{origin}: '{where}': not an http(s) URL: {url!r}")
    return urls


def _patterns(value: Any, where: str, origin: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in _strings(value, where, origin):
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise SourcesError(f"{origin}: '{where}': bad regular expression {pattern!r}: {exc}") from exc
    return tuple(compiled)


def _source(table: Any, index: int, origin: str) -> Source:
    where = f"sources[{index}]"
    if not isinstance(table, dict):
        raise SourcesError(f"{origin}: '{where}' must be a table")
    if isinstance(table.get("name"), str):
        where = f"sources[{index}] ({table['name']})"
    for key in table:
        if key not in _SOURCE_KEYS:
            raise SourcesError(f"{origin}: unknown key '{where}.{key}' (known: {', '.join(sorted(_SOURCE_KEYS))})")
    for key in ("name", "language", "country"):
        if key not in table:
            raise SourcesError(f"{origin}: '{where}' lacks the required key '{key}'")
        if not isinstance(table[key], str):
            raise SourcesError(f"{origin}: '{where}.{key}' must be a string")
    name = table["name"]
    if not _SLUG.match(name):
        raise SourcesError(f"{origin}: '{where}.name' must be a lower-case slug (a-z, 0-9, '.', '_', '-'): {name!r}")
    language = table["language"].strip().lower()
    if not _LANGUAGE.match(language):
        raise SourcesError(f"{origin}: '{where}.language' must be an ISO 639 code such as 'fr': {language!r}")
    from analysis.countries import alpha_2_codes

    country = table["country"].strip().upper()
    if country not in alpha_2_codes():
        raise SourcesError(f"{origin}: '{where}.country' must be an ISO 3166 alpha-2 code such as 'MA': {country!r}")
    feeds = _urls(table.get("feeds", []), f"{where}.feeds", origin)
    sitemaps = _urls(table.get("sitemaps", []), f"{where}.sitemaps", origin)
    if not feeds and not sitemaps:
        raise SourcesError(f"{origin}: '{where}' needs at least one URL in 'feeds' or 'sitemaps'")
    delay = table.get("delay")
    if delay is not None:
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0:
            raise SourcesError(f"{origin}: '{where}.delay' must be a non-negative number of seconds")
        delay = float(delay)
    return Source(
        name=name,
        language=language,
        country=country,
        feeds=feeds,
        sitemaps=sitemaps,
        include=_patterns(table.get("include", []), f"{where}.include", origin),
        exclude=_patterns(table.get("exclude", []), f"{where}.exclude", origin),
        delay=delay,
    )


def load_sources(path: Path | str, overrides: Mapping[str, Any] | None = None) -> SourcesFile:
    """Read and check a sources file; ``overrides`` replace its ``[collector]`` values.

    Raises:
        SourcesError: the file is missing, not TOML, or has an unknown key or a mistyped value.
    """
    path = Path(path)
    origin = str(path)
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise SourcesError(f"{origin}: sources file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{origin}: not valid TOML: {exc}") from exc
    for key in raw:
        if key not in ("collector", "sources"):
            raise SourcesError(f"{origin}: unknown key {key!r} (expected [collector] and [[sources]] tables)")
    collector = raw.get("collector", {})
    if not isinstance(collector, dict):
        raise SourcesError(f"{origin}: 'collector' must be a table")
    settings = settings_from(collector, origin)
    if overrides:
        settings = settings_from(overrides, "collect() settings", settings)
    tables = raw.get("sources", [])
    if not isinstance(tables, list) or not tables:
        raise SourcesError(f"{origin}: no [[sources]] table")
    sources = tuple(_source(table, i, origin) for i, table in enumerate(tables))
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise SourcesError(f"{origin}: source name {source.name!r} is used twice")
        seen.add(source.name)
    return SourcesFile(path=path, settings=settings, sources=sources)
