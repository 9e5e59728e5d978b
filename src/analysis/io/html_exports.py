"""HTML files holding several articles: a press database's export, a "print all" page, a newsletter.

:func:`export_articles` decides whether a page is such a file and, if so, cuts it into one field
mapping per article; a page it does not recognise is left to trafilatura (one article). The rule
is structural and its words and thresholds are options (``[ingest.html_exports]``):

* candidate blocks are the outermost ``containers`` elements (``<article>``), the outermost
  elements sharing one tag and class attribute, sibling elements without a class sharing one
  tag, and the runs of a parent's children between ``<hr>`` or page-break separators;
* a block is an article when it has a heading and ``min_body_chars`` of prose besides it;
* one kind of block makes the page an export when it gives ``min_articles`` articles that hold
  ``min_coverage`` of the page's prose (so one long article with long comments or teasers beside
  it does not), and, for blocks that are not ``containers``, when ``min_articles`` of them carry
  a date or a source of their own (the sections of one long article do not).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree, html

from analysis.config import HtmlExportOptions
from analysis.dates import parse_datetime
from analysis.io.press_exports import byline_name, signed

#: elements whose content is never text
_DROPPED = ("script", "style", "noscript", "template", "svg", "iframe", "object")
#: elements whose content belongs to the page, not to an article in it
_PAGE_PARTS = frozenset({"nav", "aside", "footer"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
#: elements that start a new line of text
_LINE_TAGS = frozenset(
    {"p", "div", "section", "article", "header", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "blockquote"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "pre", "figure", "figcaption", "address", "time", "hr", "main"}
)
#: inline elements, never a block of their own
_INLINE = frozenset({"a", "span", "b", "i", "em", "strong", "small", "sup", "sub", "abbr", "cite", "img", "br", "u"})
_PAGE_BREAK = re.compile(r"(?:page-)?break-(?:before|after)\s*:\s*(?:always|page)", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[\s_\-.:/]+|(?<=[a-z])(?=[A-Z])")
_LIVE_BLOG = re.compile(r"LiveBlogPosting")


@dataclass
class _Block:
    """A candidate article: its elements (one container, or a run between separators)."""

    elements: list[Any]
    lead: str = ""  # text between the separator opening the run and its first element
    heading: Any = None
    meta: dict[str, Any] = field(default_factory=dict)  # field -> element holding it
    body_chars: int = 0


def _norm(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _words(el: Any) -> set[str]:
    """The words of an element's class, id and itemprop (split at ``-``, ``_`` and camelCase;
    lower-cased, a plural ``s`` dropped)."""
    out: set[str] = set()
    for attr in ("class", "id", "itemprop"):
        for word in _WORD_SPLIT.split(el.get(attr) or ""):
            if word:
                low = word.lower()
                out.add(low)
                if len(low) > 3 and low.endswith("s"):
                    out.add(low[:-1])
    return out


def _prose(body: Any) -> dict[Any, int]:
    """Characters of text outside links in each element's subtree (its tail excluded)."""
    sizes: dict[Any, int] = {}
    for el in reversed(list(body.iter())):
        if not isinstance(el.tag, str):
            continue
        if el.tag == "a":
            size = 0
        else:
            size = len(_norm(el.text)) + sum(sizes.get(child, 0) + len(_norm(child.tail)) for child in el)
        sizes[el] = size
    return sizes


def _is_separator(el: Any) -> bool:
    return el.tag == "hr" or bool(_PAGE_BREAK.search(el.get("style") or ""))


def _outermost(elements: Iterable[Any]) -> list[Any]:
    """The elements (in document order) not inside another of them."""
    chosen: set[Any] = set()
    out = []
    for el in elements:
        if not any(parent in chosen for parent in el.iterancestors()):
            chosen.add(el)
            out.append(el)
    return out


def _candidate_groups(body: Any, excluded: set[Any], options: HtmlExportOptions) -> Iterator[tuple[bool, list[_Block]]]:
    """Each kind of repeated block of the page, and whether it is a container element."""
    elements = [el for el in body.iter() if isinstance(el.tag, str) and el not in excluded and el is not body]
    containers = _outermost(el for el in elements if el.tag in options.containers)
    if len(containers) >= options.min_articles:
        yield True, [_Block([el]) for el in containers]
    by_class: dict[tuple[str, str], list[Any]] = {}
    for el in elements:
        if el.tag not in _INLINE and el.tag not in options.containers and (el.get("class") or "").strip():
            by_class.setdefault((el.tag, " ".join(sorted(el.get("class", "").split()))), []).append(el)
    for members in by_class.values():
        if len(members) >= options.min_articles:
            yield False, [_Block([el]) for el in _outermost(members)]
    for parent in [body, *elements]:
        children = [child for child in parent if isinstance(child.tag, str)]
        plain: dict[str, list[Any]] = {}
        for child in children:
            if child.tag not in _INLINE and not (child.get("class") or "").strip() and child not in excluded:
                plain.setdefault(child.tag, []).append(child)
        for members in plain.values():
            if len(members) >= options.min_articles:
                yield False, [_Block([el]) for el in members]
        if any(_is_separator(child) for child in children):
            runs: list[_Block] = [_Block([], _norm(parent.text))]
            for child in children:
                if _is_separator(child):
                    runs.append(_Block([], _norm(child.tail)))
                elif child not in excluded:
                    runs[-1].elements.append(child)
            runs = [run for run in runs if run.elements or run.lead]
            if len(runs) >= options.min_articles:
                yield False, runs


def _inspect(block: _Block, prose: dict[Any, int], options: HtmlExportOptions) -> None:
    """Find the block's heading and metadata elements and measure its body."""
    fields = (("published", options.date_words), ("source", options.source_words), ("author", options.author_words))
    # a container's own class names the block, not its parts; a run's elements are its parts
    stack = list(reversed(list(block.elements[0]) if len(block.elements) == 1 else block.elements))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        words = _words(el)
        short = prose.get(el, 0) <= options.max_meta_chars
        text = _norm(el.text_content()) if short or el.tag in _HEADINGS else ""
        short = short and len(text) <= options.max_meta_chars
        if block.heading is None and text and (el.tag in _HEADINGS or (short and words & options.title_words)):
            block.heading = el
            continue
        if el.tag == "time" and "published" not in block.meta and (text or el.get("datetime")):
            block.meta["published"] = el
            continue
        if el.get("rel") == "author" and "author" not in block.meta and text:
            block.meta["author"] = el
            continue
        name = next((n for n, names in fields if n not in block.meta and short and text and words & names), None)
        if name:
            block.meta[name] = el
            continue
        stack.extend(reversed(list(el)))
    total = sum(prose.get(el, 0) for el in block.elements) + len(block.lead)
    taken = [block.heading, *block.meta.values()]
    block.body_chars = total - sum(prose.get(el, 0) for el in taken if el is not None)


def _lines(block: _Block, skip: set[Any]) -> list[str]:
    """The block's text as lines, leaving out the elements in ``skip`` (their tails kept)."""
    parts: list[str] = [block.lead, "\n"]

    def walk(el: Any) -> None:
        if isinstance(el.tag, str) and el not in skip:
            breaks = el.tag in _LINE_TAGS
            if breaks:
                parts.append("\n")
            parts.append(el.text or "")
            for child in el:
                walk(child)
            if breaks or el.tag == "br":
                parts.append("\n")
        parts.append(el.tail or "")

    for index, el in enumerate(block.elements):
        walk(el)
        if len(block.elements) == 1 and index == 0:
            parts.pop()  # a container's tail is outside it
    return [line for line in (_norm(piece) for piece in "".join(parts).split("\n")) if line]


def _label(line: str, patterns: tuple[re.Pattern[str], ...]) -> str | None:
    for pattern in patterns:
        match = pattern.match(line)
        if match:
            value = match.groupdict().get("value") or match.group(0)
            return _norm(value) or None
    return None


def _alike(blocks: list[_Block]) -> list[_Block]:
    """The most blocks whose headings are one kind of element (tag and class): an export's
    articles are titled alike, a page's login box and footer not like its article."""
    kinds: dict[tuple[str, str], list[_Block]] = {}
    for block in blocks:
        kind = (block.heading.tag, " ".join(sorted((block.heading.get("class") or "").split())))
        kinds.setdefault(kind, []).append(block)
    return max(kinds.values(), key=len, default=[])


def _fields(block: _Block, options: HtmlExportOptions) -> dict[str, Any]:
    """The article fields of a block: its heading, metadata elements and labelled lines, body."""
    fields: dict[str, Any] = {}
    heading = block.heading
    if heading is not None:
        fields["title"] = _norm(heading.text_content())
        link = heading if heading.tag == "a" else next(heading.iter("a"), None)
        href = (link.get("href") or "").strip() if link is not None else ""
        if href.startswith(("http://", "https://")):
            fields["url"] = href
    for name, el in block.meta.items():
        value = el.get("datetime") if el.tag == "time" and el.get("datetime") else el.text_content()
        fields[name] = _norm(value)
    body: list[str] = []
    labelled = (("published", options.date_lines), ("source", options.source_lines), ("author", options.author_lines))
    skip = {el for el in (heading, *block.meta.values()) if el is not None}
    headers, footers = _header_footer(block, options)
    header_lines = {line for el in headers for line in _lines(_Block([el]), skip)}
    footer_lines = {line for el in footers for line in _lines(_Block([el]), skip)}
    for line in _lines(block, skip):
        if len(line) <= options.max_meta_chars:
            found = next(((name, value) for name, pats in labelled if (value := _label(line, pats))), None)
            if found:
                fields.setdefault(found[0], found[1])
                continue
            if line in header_lines and "published" not in fields and parse_datetime(line) is not None:
                fields["published"] = line
                continue
        if line not in footer_lines:
            body.append(line)
    if fields.get("author"):
        fields["author"] = byline_name(fields["author"])
    else:  # a signature under the last paragraph
        body = signed(fields, body)
    fields["text"] = "\n\n".join(body)
    return {k: v for k, v in fields.items() if v}


def _header_footer(block: _Block, options: HtmlExportOptions) -> tuple[list[Any], list[Any]]:
    """The outermost header and footer elements inside a block (not a block's own element)."""
    headers: list[Any] = []
    footers: list[Any] = []
    for top in block.elements:
        for el in top.iter():
            if el is top or not isinstance(el.tag, str):
                continue
            if any(parent in headers or parent in footers for parent in el.iterancestors()):
                continue
            words = _words(el)
            if el.tag == "footer" or words & options.footer_words:
                footers.append(el)
            elif el.tag == "header" or words & options.header_words:
                headers.append(el)
    return headers, footers


def _excluded(body: Any, options: HtmlExportOptions) -> set[Any]:
    """Elements inside page parts (navigation, asides, comments, related articles, live posts)."""
    out: set[Any] = set()
    for el in body.iter():
        if el in out or not isinstance(el.tag, str):
            continue
        if el.tag in _PAGE_PARTS or _words(el) & options.single_page_words:
            out.update(e for e in el.iter() if isinstance(e.tag, str))
    return out


def page_defaults(root: Any) -> dict[str, str]:
    """File-level values for every article of an export: the site's name, the page's language."""
    out: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in ("og:site_name", "application-name") and _norm(meta.get("content")):
            out.setdefault("source", _norm(meta.get("content")))
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        out["language"] = lang
    return out


def export_articles(page: str, options: HtmlExportOptions) -> tuple[list[dict[str, Any]], dict[str, str]] | None:
    """The articles of an HTML file holding several, with the file's defaults; ``None`` for a page
    that is one article (or that cannot be parsed: trafilatura then reads it).

    Every block of the kind chosen is one mapping, in document order (its index is its
    ``raw_index``): the short ones too (a brief, a headline), so that an export's items all
    count; but a block with neither heading nor ``min_body_chars`` of text, which is furniture.
    """
    if not options.enabled or _LIVE_BLOG.search(page):
        return None
    try:
        root = html.document_fromstring(
            page.encode("utf-8"), parser=html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
        )
    except (etree.ParserError, ValueError):
        return None
    for el in list(root.iter(*_DROPPED)):
        if el.getparent() is not None:
            el.drop_tree()
    body = root.find("body")
    if body is None:
        return None
    prose = _prose(body)
    page_prose = prose.get(body, 0)
    if page_prose == 0:
        return None
    excluded = _excluded(body, options)
    best: tuple[int, float, list[_Block]] | None = None
    for is_container, blocks in _candidate_groups(body, excluded, options):
        for block in blocks:
            _inspect(block, prose, options)
        articles = _alike([b for b in blocks if b.heading is not None and b.body_chars >= options.min_body_chars])
        if len(articles) < options.min_articles:
            continue
        if not is_container:
            # a date or a source of the block's own: an element, or a labelled line (`© 2026 X`)
            dated = [b for b in articles if {"published", "source"} & (set(b.meta) | set(_fields(b, options)))]
            if len(dated) < max(options.min_articles, (len(articles) + 1) // 2):
                continue
        coverage = sum(b.body_chars for b in articles) / page_prose
        if coverage < options.min_coverage:
            continue
        if best is None or (len(articles), coverage) > (best[0], best[1]):
            best = (len(articles), coverage, blocks)
    if best is None:
        return None
    # a block without heading and with little text is the file's furniture (a result count, a
    # banner before the first `<hr>`), not an article: like a page's navigation, not a record
    kept = [b for b in best[2] if b.heading is not None or b.body_chars >= options.min_body_chars]
    return [_fields(block, options) for block in kept], page_defaults(root)
