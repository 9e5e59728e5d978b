"""Markdown files: articles saved by a web clipper (Obsidian Web Clipper, MarkDownload, a notes
app's "save page as Markdown"), their fields in a YAML front matter.

A clipper writes the page's metadata between two ``---`` lines at the top (``title``, ``source``
— the page's address —, ``author``, ``published``, ``created`` — the clip's time —, ``tags``,
``description``), then the article as Markdown. The front matter's keys are mapped as any
record's fields (``[ingest.fields]``); the Markdown is turned into plain text by markdown-it-py
(CommonMark), one paragraph per block, links kept as their text, images dropped. Without a title
in the front matter, the text is read as a scraped page's (its first heading is the headline).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from markdown_it import MarkdownIt

from analysis.config import IngestOptions
from analysis.io.registry import FileReject, RawFile, Record, Reject, norm_key
from analysis.text import fold, html_to_text

#: a front matter: a `---` line opening the file, `key: value` lines, a `---` (or `...`) line
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
#: a line of a front matter YAML cannot read (`title: Maroc: la sécheresse`, unquoted)
_KEY_LINE = re.compile(r"^(?P<key>[^\s:#][^:]*?):[ \t]*(?P<value>.*)$")
#: an Obsidian link around a value (`author: "[[Jane Doe]]"`), its alias after a bar
_WIKI_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]|]*)\]\]")
#: a clip's time: the front matter's `created`/`clipped` is when the page was saved, not published
_CLIP_TIMES = ("created", "clipped", "saved", "date_saved", "clip_date")
#: the scraped page's parts that are the article's own; its metadata lines come from the front matter
_SCRAPED_FIELDS = ("title", "text", "tags", "author")


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The fields of a Markdown file's front matter and the Markdown after it (the whole text and
    no fields without one). YAML first; a front matter YAML cannot read is read a `key: value`
    line at a time. Obsidian's `[[links]]` are their text."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        loaded = yaml.safe_load(match["yaml"])
    except yaml.YAMLError:
        loaded = None
    if not isinstance(loaded, dict):
        loaded = {}
        for line in match["yaml"].splitlines():
            pair = _KEY_LINE.match(line)
            if pair:
                loaded[pair["key"].strip()] = _line_value(pair["value"].strip())
    return {str(key): _unlinked(value) for key, value in loaded.items()}, text[match.end() :]


def _line_value(value: str) -> Any:
    """A value of a front matter read a line at a time: as YAML reads it (`[]`, `[a, b]`, a
    quoted string), else as written (`Par Karim Benali: journaliste`, which YAML reads as a mapping)."""
    try:
        loaded = yaml.safe_load(value)
    except yaml.YAMLError:
        loaded = None
    return value.strip("\"'") if loaded is None or isinstance(loaded, dict) else loaded


def _unlinked(value: Any) -> Any:
    if isinstance(value, str):
        return _WIKI_LINK.sub(r"\1", value).strip()
    if isinstance(value, list):
        return [_unlinked(item) for item in value]
    if isinstance(value, dict):
        return {key: _unlinked(item) for key, item in value.items()}
    return value


#: a clipper's excerpt box before the article (MarkDownload's `> ## Excerpt`, a quote opening
#: with a heading, then a rule), under the page's headline if written
_EXCERPT_BOX = re.compile(
    r"\A(?P<head>\s*#[ \t]+[^\n]*\n)?\s*>[ \t]*#{1,6}[ \t][^\n]*\n"
    r"(?:>[^\n]*\n|[ \t]*\n)*?[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*\n"
)


def markdown_text(markdown: str) -> str:
    """Markdown as plain text: one paragraph per block (headings, paragraphs, list items, quotes,
    table rows), a link's text without its address, no images, no HTML comments."""
    markdown = _EXCERPT_BOX.sub(lambda box: box["head"] or "", markdown, count=1)
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    rendered = re.sub(r"<img\b[^>]*>", "", rendered)
    return html_to_text(rendered) if rendered.strip() else ""


def load_markdown(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    from analysis.io.loaders import parse_scraped_text

    text = raw.read_text()
    if not text.strip():
        raise FileReject("empty_file", "only whitespace")
    fields, body = front_matter(text)
    for key in list(fields):  # (a clip's time is its `fetched`, not its publication)
        if norm_key(key) in _CLIP_TIMES and "fetched" not in fields:
            fields["fetched"] = fields.pop(key)
    plain = markdown_text(body)
    title_keys = {norm_key(name) for name in options.fields.get("title", ())}
    title = next((fields[k] for k in fields if norm_key(k) in title_keys), None)
    if isinstance(title, str) and title.strip():
        # a clipper may write the headline again as the text's first heading
        first, _, rest = plain.partition("\n")
        if fold(first.strip()) == fold(title.strip()):
            plain = rest.strip()
        record = {"text": plain, **fields} if plain else dict(fields)
    else:
        scraped = parse_scraped_text(plain, options)
        record = {**{k: v for k, v in scraped.items() if k in _SCRAPED_FIELDS}, **fields}
    yield Record(record, index=0)
