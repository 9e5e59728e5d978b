"""A loader plugin for the Le Monde page dumps of the PPE course corpus, as a user would write one.

Registered under the name ``lemonde_ppe`` for ``.txt`` files. One file is a daily snapshot in an
ad-hoc pseudo-XML layout (the tags are not well-formed XML, so they are read with regexes)::

    <FILE-date="2022/01/23/19">
    <article-nb="2022/01/23/19-1">
    <filnamedate="20220123"><AAMM="202201"><AAMMJJ="20220123"><AAMMJJHH="2022012319">
    <filname="SURF-0,2-3210,1-0,0-1"> ¤ the RSS standfirst
    <filname="PROF-0,2-3210,1-0,0-1"> ¤ the whole page text, flattened onto one line
    ...the page's script contents (JSON-LD, JavaScript, CSS), and sometimes more page text

Each ``<article-nb>`` entry becomes one record (streamed entry by entry):

* ``text``: the page text. The dump flattened the page's blocks (paragraphs, menu items,
  captions) into runs of spaces; runs of three or more are turned back into paragraph breaks, so
  that the cleaner sees the page's blocks instead of one line. The page's JSON-LD blocks are
  read as metadata and left out of the text; everything else (scripts included) is kept for the
  cleaner to judge.
* ``title``, ``url``, ``published``, ``tags``, ``author`` from the page's JSON-LD (``\\uXXXX``
  escapes decoded) when it has some; else the title is the page block just before the
  standfirst (the page repeats headline then standfirst), when that block looks like a headline,
  and the date is the snapshot hour.
* ``description``: the ``SURF`` standfirst (also the text when the page text is missing).
* ``fetched``: the snapshot hour ``AAMMJJHH`` (Paris time); ``record_id``: the entry's number.

An entry without any text (no ``SURF`` nor ``PROF`` line: the page was not fetched) is an
``empty_entry`` reject; a field given twice, a field of an unknown kind, or text outside any
field makes the entry a ``malformed_entry`` reject. Other ``.txt`` files go to the built-in
``scraped_text`` loader (the registry picks loaders by extension before content, so this plugin
has to claim ``.txt`` and hand back what is not its format).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from analysis.io import RawFile, Record, Reject, get_loader, register_loader

if TYPE_CHECKING:
    from analysis.config import IngestOptions

SOURCE = "Le Monde"
LANGUAGE = "fr"
SNAPSHOT_TZ = ZoneInfo("Europe/Paris")  # the course's crawler ran at 19:00 Paris time
MAX_TITLE_CHARS = 300

_FILE_HEADER = re.compile(r'^<FILE-date="[^"]*">\s*$')
_ENTRY = re.compile(r'^<article-nb="([^"]*)">\s*$')
_DATE_LINE = re.compile(r"^(?:<[A-Za-z]+=\"[^\"]*\">\s*)+$")
_DATE_TAG = re.compile(r'<([A-Za-z]+)="([^"]*)">')
_FIELD = re.compile(r'^<filname="([A-Za-z]+)-[^"]*">\s?(?:¤\s?)?(.*)$', re.DOTALL)
_SNIFF = re.compile(rb'^\s*(?:\xef\xbb\xbf)?\s*<(?:FILE-date|article-nb)="', re.DOTALL)
_GAP = re.compile(r"[ \t\u00a0\u202f]{3,}")
_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_JSON_LD_START = re.compile(r'^\s*\{\s*"@context"')
_WORDS = re.compile(r"[^\W\d_]+")
# Fallback when a JSON-LD block does not parse: the first string value of a key.
_JSON_STRING = r'"{key}"\s*:\s*"((?:[^"\\]|\\.)*)"'
_MAIN_URL = re.compile(r'"mainEntityOfPage"\s*:\s*(?:\{[^{}]*?"@id"\s*:\s*)?"(https?://[^"]+)"')
_ARTICLE_TYPES = ("NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle")


def _sniff(head: bytes) -> bool:
    return _SNIFF.match(head[:4096]) is not None


@register_loader(
    "lemonde_ppe",
    extensions=(".txt",),
    sniff=_sniff,
    description="Le Monde page dumps of the PPE corpus: one record per <article-nb> entry (test plugin)",
)
def load_lemonde_ppe(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    """Records (and rejects) of one daily dump file, entry by entry; other ``.txt`` files go to ``scraped_text``."""
    if not _sniff(raw.head()):
        yield from get_loader("scraped_text").func(raw, options)
        return
    index = 0
    number: str | None = None  # the current entry's <article-nb>
    lines: list[str] = []
    with raw.open_text() as handle:
        for raw_line in handle:
            line = raw_line.rstrip("\r\n")
            start = _ENTRY.match(line)
            if start is None:
                if number is not None or (line.strip() and not _FILE_HEADER.match(line)):
                    lines.append(line)
                continue
            if number is not None or lines:
                yield _entry(number, lines, index, options.excerpt_chars)
                index += 1
            number, lines = start.group(1), []
    if number is not None or lines:
        yield _entry(number, lines, index, options.excerpt_chars)


def _excerpt(lines: list[str], limit: int) -> str:
    return " ".join(" ".join(lines).split())[:limit]


def _entry(number: str | None, lines: list[str], index: int, excerpt_chars: int) -> Record | Reject:
    """One ``<article-nb>`` entry (the lines after its header): date tags, then SURF and PROF fields.

    ``number`` is None for text before the file's first entry: it belongs to no article, but must
    not vanish.
    """
    if number is None:
        return Reject("malformed_entry", index, "text outside any <article-nb> entry", _excerpt(lines, excerpt_chars))
    dates: dict[str, str] = {}
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        field = _FIELD.match(line)
        if field:
            kind = field.group(1).upper()
            if kind not in ("SURF", "PROF"):
                return Reject(
                    "malformed_entry", index, f"entry {number}: unknown field {kind!r}", _excerpt(lines, excerpt_chars)
                )
            if kind in fields:
                return Reject(
                    "malformed_entry",
                    index,
                    f"entry {number}: field {kind} given twice",
                    _excerpt(lines, excerpt_chars),
                )
            current = fields[kind] = [field.group(2)]
        elif current is not None:
            current.append(line)  # the field goes on: scripts and more page text follow PROF
        elif _DATE_LINE.match(line.strip()):
            dates.update(_DATE_TAG.findall(line))
        elif line.strip():
            return Reject(
                "malformed_entry", index, f"entry {number}: text before its fields", _excerpt(lines, excerpt_chars)
            )
    standfirst = " ".join(" ".join(fields.get("SURF", [])).split())
    page_lines, blocks = _split_scripts(fields.get("PROF", []))
    text = _page_text(page_lines)
    if not text and not standfirst:
        what = "no SURF or PROF field" if not fields else "SURF and PROF are empty"
        return Reject(
            "empty_entry", index, f"entry {number}: {what} (page not fetched)", _excerpt(lines, excerpt_chars)
        )
    meta = _article_meta(blocks)
    snapshot = _snapshot(dates)
    title = meta.get("title") or _title_from_page(text, standfirst)
    record: dict[str, Any] = {
        "title": title,
        "text": text or None,
        "description": standfirst or None,
        "published": meta.get("published") or snapshot,
        "fetched": snapshot,
        "url": meta.get("url"),
        "tags": meta.get("tags") or [],
        "author": meta.get("author"),
        "source": SOURCE,
        "language": LANGUAGE,
        "record_id": number,
    }
    return Record({k: v for k, v in record.items() if v not in (None, "", [])}, index=index)


def _split_scripts(lines: list[str]) -> tuple[list[str], list[str]]:
    """Page lines without the JSON-LD blocks (a ``{"@context"`` line up to a blank line), and those blocks."""
    page: list[str] = []
    blocks: list[str] = []
    block: list[str] | None = None
    for line in lines:
        if block is not None:
            if line.strip():
                block.append(line.strip())
                continue
            blocks.append("\n".join(block))
            block = None
        if _JSON_LD_START.match(line):
            block = [line.strip()]
        else:
            page.append(line)
    if block is not None:
        blocks.append("\n".join(block))
    return page, blocks


def _page_text(lines: list[str]) -> str:
    """The page's blocks, one per paragraph: runs of 3+ spaces were block boundaries."""
    paragraphs: list[str] = []
    for line in lines:
        for piece in _GAP.split(line):
            piece = _SPACES.sub(" ", piece).strip()
            if piece:
                paragraphs.append(piece)
    return "\n\n".join(paragraphs)


def _snapshot(dates: dict[str, str]) -> str | None:
    """The snapshot hour (``AAMMJJHH``, else the day ``AAMMJJ``/``filnamedate``) as ISO 8601, Paris time."""
    for key, layout in (("AAMMJJHH", "%Y%m%d%H"), ("AAMMJJ", "%Y%m%d"), ("filnamedate", "%Y%m%d")):
        value = dates.get(key)
        if not value:
            continue
        try:
            return datetime.strptime(value, layout).replace(tzinfo=SNAPSHOT_TZ).isoformat()
        except ValueError:
            continue
    return None


def _parse_json_ld(block: str) -> dict[str, Any] | None:
    """A JSON-LD object; the dump cuts the closing brackets off, so a few are tried."""
    for suffix in ("", "}", "]}", "}}", "}]}"):
        try:
            value = json.loads(block + suffix, strict=False)
        except json.JSONDecodeError:
            continue
        return value if isinstance(value, dict) else None
    return None


def _json_string(block: str, key: str) -> str | None:
    match = re.search(_JSON_STRING.format(key=re.escape(key)), block)
    if not match:
        return None
    try:
        return str(json.loads(f'"{match.group(1)}"', strict=False))
    except json.JSONDecodeError:
        return None


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and name.strip() not in out:
            out.append(name.strip())
    return out


def _article_meta(blocks: list[str]) -> dict[str, Any]:
    """Title, URL, date, tags and author from the page's JSON-LD (the article's block, not the breadcrumbs)."""
    for block in blocks:
        value = _parse_json_ld(block)
        kind = value.get("@type") if value else _json_string(block, "@type")
        if kind == "BreadcrumbList":
            continue
        if value is None:  # unparseable (a live blog's text cut mid-string): read the scalars
            url = _MAIN_URL.search(block) or re.search(r'"url"\s*:\s*"(https?://[^"]+)"', block)
            return {
                "title": _json_string(block, "headline") or _json_string(block, "name"),
                "published": _json_string(block, "datePublished") or _json_string(block, "dateCreated"),
                "url": url.group(1) if url else None,
            }
        main = value.get("mainEntityOfPage")
        url = main.get("@id") if isinstance(main, dict) else main
        if not isinstance(url, str):
            url = value.get("url")
        headline = value.get("headline") or (value.get("name") if kind not in _ARTICLE_TYPES else None)
        keywords = value.get("keywords") or []
        return {
            "title": " ".join(headline.split()) if isinstance(headline, str) else None,
            "published": value.get("datePublished") or value.get("dateCreated") or value.get("uploadDate"),
            "url": url if isinstance(url, str) else None,
            "tags": _names(keywords.split(",") if isinstance(keywords, str) else keywords),
            "author": ", ".join(_names(value.get("author"))) or None,
        }
    return {}


def _title_from_page(text: str, standfirst: str) -> str | None:
    """The headline the page shows above the standfirst, when one reads as a headline.

    Between the two, the page may put a label (``Tribune``, ``Éditorial``, ``podcast``) and the
    author (``Nicolas Werth Historien``): short blocks, or blocks whose words are mostly
    capitalised, are stepped over (at most three); the first block of four words or more in
    sentence case is the headline.
    """
    if not text or len(standfirst) < 20:
        return None
    paragraphs = text.split("\n\n")
    probe = standfirst[:60]
    start = next((i for i, p in enumerate(paragraphs) if i and p.startswith(probe)), None)
    if start is None:
        return None
    for candidate in reversed(paragraphs[max(0, start - 4) : start]):
        words = _WORDS.findall(candidate)
        capitalised = sum(1 for w in words if w[0].isupper())
        if len(words) <= 3 or capitalised / len(words) >= 0.6:
            continue  # a label or an author line
        if len(candidate) <= MAX_TITLE_CHARS and not candidate.endswith((":", ",")):
            return candidate
        return None
    return None
