"""Discovery: the article URLs a source lists in its RSS/Atom feeds and sitemaps.

Feeds are parsed by feedparser; sitemaps (``urlset``, ``sitemapindex``, Google News sitemaps,
gzipped or not) by lxml. A document is recognised by its content, not by where it is listed, so
a sitemap given under ``feeds`` still works. Sitemap indexes are followed ``sitemap_depth`` levels
down, at most ``sitemap_max_documents`` sitemaps per source and run; with ``since``, child
sitemaps whose ``lastmod`` is older are not fetched. Feeds and sitemaps are requested
conditionally (ETag / Last-Modified kept in the state); an index answering 304 is walked again
through the children it listed last time, since those change without the index changing.
"""

from __future__ import annotations

import calendar
import gzip
import io
import logging
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urljoin

import feedparser
from lxml import etree

from analysis.collect import reasons
from analysis.collect.fetch import Fetcher, Validators
from analysis.collect.sources import CollectSettings, Source
from analysis.dates import parse_datetime

log = logging.getLogger(__name__)

DocumentKind = Literal["feed", "sitemap", "sitemapindex"]


@dataclass(frozen=True)
class Listing:
    """One article URL as a feed or sitemap lists it."""

    url: str
    published: datetime | None = None  # feed pubDate / news:publication_date
    modified: datetime | None = None  # feed updated / sitemap lastmod
    found_in: str = ""

    @property
    def date(self) -> datetime | None:
        """The date ``since`` is compared with."""
        return self.published or self.modified


@dataclass(frozen=True)
class KnownDocument:
    """What the state remembers of a feed or sitemap from earlier runs."""

    etag: str | None = None
    last_modified: str | None = None
    children: tuple[tuple[str, datetime | None], ...] = ()  # an index's sitemaps and their lastmod


@dataclass(frozen=True)
class DocumentVisit:
    """One feed or sitemap requested in this run."""

    url: str
    kind: DocumentKind | None
    status: int | None
    etag: str | None = None
    last_modified: str | None = None
    children: tuple[tuple[str, datetime | None], ...] = ()
    reason: str | None = None


@dataclass
class SourceDiscovery:
    """Everything one source's feeds and sitemaps listed in this run."""

    source: str
    listings: list[Listing] = field(default_factory=list)
    visits: list[DocumentVisit] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class ParsedDocument:
    kind: DocumentKind
    listings: tuple[Listing, ...] = ()
    children: tuple[tuple[str, datetime | None], ...] = ()  # sitemaps listed by an index


def _ungzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress a gzipped sitemap, refusing more than ``max_bytes`` of output."""
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
        out = handle.read(max_bytes + 1)
    if len(out) > max_bytes:
        raise ValueError(f"gzipped document over {max_bytes} bytes")
    return out


def _local(tag: Any) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(element: Any, *names: str) -> str | None:
    for node in element.iter():
        if _local(node.tag) in names and node.text and node.text.strip():
            return str(node.text).strip()
    return None


def _date(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


def _struct(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), UTC)


_XML = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def parse_sitemap(data: bytes, base_url: str) -> ParsedDocument | None:
    """A ``urlset`` or ``sitemapindex`` document; ``None`` when ``data`` is neither."""
    try:
        root = etree.fromstring(data, _XML)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = []
        for item in root:
            loc = _child_text(item, "loc") if _local(item.tag) == "sitemap" else None
            if loc:
                children.append((urljoin(base_url, loc), _date(_child_text(item, "lastmod"))))
        return ParsedDocument("sitemapindex", children=tuple(children))
    if kind == "urlset":
        listings = []
        for item in root:
            loc = _child_text(item, "loc") if _local(item.tag) == "url" else None
            if loc:
                listings.append(
                    Listing(
                        urljoin(base_url, loc),
                        published=_date(_child_text(item, "publication_date")),
                        modified=_date(_child_text(item, "lastmod")),
                        found_in=base_url,
                    )
                )
        return ParsedDocument("sitemap", listings=tuple(listings))
    return None


def parse_feed(data: bytes, base_url: str) -> ParsedDocument | None:
    """An RSS or Atom feed; ``None`` when feedparser recognises no feed in ``data``."""
    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        return None
    listings = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        listings.append(
            Listing(
                urljoin(base_url, link),
                # dict.get: feedparser's own get() maps a missing date onto the other one (with a warning)
                published=_struct(dict.get(entry, "published_parsed")),
                modified=_struct(dict.get(entry, "updated_parsed")),
                found_in=base_url,
            )
        )
    return ParsedDocument("feed", listings=tuple(listings))


def parse_document(data: bytes, base_url: str, max_bytes: int) -> ParsedDocument | None:
    """A feed or sitemap, recognised by its content (gzip is undone first); ``None`` if neither."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = _ungzip(data, max_bytes)
        except (OSError, EOFError, zlib.error, ValueError):
            return None
    return parse_sitemap(data, base_url) or parse_feed(data, base_url)


class Discoverer:
    """Walks one source's feeds and sitemaps (run in a worker thread; no state access)."""

    def __init__(
        self,
        fetcher: Fetcher,
        settings: CollectSettings,
        known: Mapping[str, KnownDocument],
        since: datetime | None = None,
    ) -> None:
        self.fetcher = fetcher
        self.settings = settings
        self.known = known
        self.since = since

    def discover(self, source: Source) -> SourceDiscovery:
        """Every listing of ``source``'s feeds and sitemaps, in the order they are listed."""
        found = SourceDiscovery(source.name)
        delay = self.settings.delay if source.delay is None else source.delay
        sitemaps_left = self.settings.sitemap_max_documents
        stack: list[tuple[str, int, bool]] = [(url, 0, False) for url in source.feeds]
        stack += [(url, 0, True) for url in source.sitemaps]
        stack.reverse()
        seen: set[str] = set()
        while stack:
            url, depth, is_sitemap = stack.pop()
            if url in seen:
                continue
            seen.add(url)
            if is_sitemap:
                if sitemaps_left <= 0:
                    found.failures[reasons.SITEMAP_LIMIT] += 1
                    continue
                sitemaps_left -= 1
            visit, listings = self._visit(url, delay)
            found.visits.append(visit)
            if visit.reason:
                found.failures[visit.reason] += 1
                continue
            found.listings.extend(listings)
            if visit.children and depth >= self.settings.sitemap_depth:
                found.failures[reasons.SITEMAP_LIMIT] += 1
                continue
            for child, when in reversed(visit.children):
                if self.since is not None and when is not None and when < self.since:
                    continue
                stack.append((child, depth + 1, True))
        return found

    def _visit(self, url: str, delay: float) -> tuple[DocumentVisit, tuple[Listing, ...]]:
        """Fetch one document; a 304 lists nothing new but keeps an index's known children."""
        known = self.known.get(url, KnownDocument())
        got = self.fetcher.fetch(url, page=False, delay=delay, validators=Validators(known.etag, known.last_modified))
        if got.not_modified:
            kind: DocumentKind | None = "sitemapindex" if known.children else None
            etag = got.etag or known.etag
            modified = got.last_modified or known.last_modified
            return DocumentVisit(url, kind, 304, etag, modified, known.children), ()
        if not got.ok:
            return DocumentVisit(url, None, got.status, reason=got.reason), ()
        try:
            parsed = parse_document(got.body, got.final_url, self.settings.max_document_bytes)
        except Exception:  # one odd document (a parser bug) must not stop the run
            log.warning("parsing crashed on %s", url, exc_info=True)
            parsed = None
        if parsed is None:
            return DocumentVisit(url, None, got.status, reason=reasons.UNPARSEABLE), ()
        visit = DocumentVisit(url, parsed.kind, got.status, got.etag, got.last_modified, parsed.children)
        return visit, parsed.listings
