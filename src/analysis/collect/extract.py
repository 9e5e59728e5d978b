"""From a fetched HTML page to an article: text and metadata by trafilatura, date by htmldate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import htmldate
import trafilatura
from trafilatura.utils import load_html

from analysis.collect import reasons
from analysis.collect.urls import WEB_SCHEMES
from analysis.io.loaders import split_tags
from analysis.io.mapping import normalise_language
from analysis.text import DecodeError, decode_bytes

DATE_PARAMS: dict[str, Any] = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


class ExtractionFailed(Exception):
    """A page that yields no article; ``reason`` is ``extraction_empty`` or ``undecodable``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Article:
    """What a page says about itself."""

    title: str | None
    text: str
    published: str | None
    author: str | None
    site_name: str | None
    tags: tuple[str, ...]
    language: str | None
    canonical: str | None  # <link rel="canonical">, absolute


def decode_page(body: bytes, charset: str | None) -> str:
    """The page as text: the HTTP charset when it decodes cleanly, else sniffed (BOM, meta, content).

    Raises:
        ExtractionFailed: ``undecodable`` when no encoding fits.
    """
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return decode_bytes(body).text
    except DecodeError as exc:
        raise ExtractionFailed(reasons.UNDECODABLE, exc.detail) from exc


def _canonical(tree: Any, page_url: str) -> str | None:
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            absolute = urljoin(page_url, href)
            parts = urlsplit(absolute)
            if parts.scheme not in WEB_SCHEMES or not parts.hostname:
                return None
            # sites that point every page's canonical at their home page would make all pages duplicates
            if parts.path in ("", "/") and urlsplit(page_url).path not in ("", "/"):
                return None
            return absolute
    return None


def _declared_language(tree: Any) -> str | None:
    root = tree.getroottree().getroot()
    value = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    return normalise_language(value)


def _tags(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or []:
        out.extend(t for t in split_tags(value) if t and t not in out)
    return out


def extract_article(body: bytes, url: str, charset: str | None = None) -> Article:
    """Title, text, date, author, site name, tags, language and canonical URL of a page.

    Args:
        body: the page's bytes as served (after content decoding).
        url: the page's final URL (resolves a relative canonical link; trafilatura's hint).
        charset: the charset of the HTTP Content-Type, if any.

    Raises:
        ExtractionFailed: the page has no article text (``extraction_empty``) or is not text.
    """
    html = decode_page(body, charset)
    tree = load_html(html)
    if tree is None:
        raise ExtractionFailed(reasons.EXTRACTION_EMPTY, "not parseable as HTML")
    canonical = _canonical(tree, url)
    language = _declared_language(tree)
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura raises many parser errors on broken pages
        raise ExtractionFailed(reasons.EXTRACTION_EMPTY, f"{type(exc).__name__}: {exc}") from exc
    if doc is None or isinstance(doc, dict):
        raise ExtractionFailed(reasons.EXTRACTION_EMPTY, "no main text found")
    title = (doc.title or "").strip() or None
    lines = [line.strip() for line in (doc.text or "").splitlines() if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # the page's <h1> repeats the headline
    if not lines:
        raise ExtractionFailed(reasons.EXTRACTION_EMPTY, "no main text found")
    published = doc.date or htmldate.find_date(html, **DATE_PARAMS)
    return Article(
        title=title,
        text="\n\n".join(lines),
        published=published or None,
        author=(doc.author or "").strip() or None,
        site_name=(doc.sitename or "").strip() or None,
        tags=tuple(_tags([*(doc.categories or []), *(doc.tags or [])])),
        language=language or normalise_language(doc.language),
        canonical=canonical,
    )
