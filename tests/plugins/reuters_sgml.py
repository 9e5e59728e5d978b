"""A loader plugin for the Reuters-21578 SGML files, as a user would write one.

Registered under the name ``reuters_sgml`` for ``.sgm`` files. Streams the file record by record
(each ``<REUTERS ...>`` block), reads it as Latin-1 as the collection requires, and keeps the
gold ``<PLACES>`` labels as tags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from analysis.io import RawFile, Record, Reject, register_loader

_BLOCK_END = "</REUTERS>"
_FIELD = {
    name: re.compile(rf"<{name}>(.*?)</{name}>", re.DOTALL) for name in ("DATE", "TITLE", "BODY", "PLACES", "DATELINE")
}
_TEXT = re.compile(r"<TEXT[^>]*>(.*?)</TEXT>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_NEWID = re.compile(r'NEWID="(\d+)"')
_D = re.compile(r"<D>(.*?)</D>")


@register_loader("reuters_sgml", extensions=(".sgm",), description="Reuters-21578 SGML (test plugin)")
def load_reuters(raw: RawFile, options) -> Iterator[Record | Reject]:
    index = 0
    block: list[str] = []
    with raw.open() as handle:
        for raw_line in handle:
            line = raw_line.decode("latin-1")
            if line.startswith("<REUTERS"):
                block = [line]
                continue
            if not block:
                continue
            block.append(line)
            if line.startswith(_BLOCK_END):
                yield _record("".join(block), index)
                index += 1
                block = []
    if block:
        yield Reject("truncated_record", index, "file ends inside a <REUTERS> block")


def _record(text: str, index: int) -> Record:
    def field(name: str) -> str | None:
        match = _FIELD[name].search(text)
        return html.unescape(match.group(1)).strip() if match else None

    body = field("BODY")
    if body is None and field("TITLE") is None:
        unprocessed = _TEXT.search(text)  # TYPE="UNPROC" items: no TITLE/BODY markup
        body = html.unescape(_TAG.sub(" ", unprocessed.group(1))).strip() if unprocessed else None
    newid = _NEWID.search(text)
    places = _D.findall(field("PLACES") or "")
    return Record(
        {
            "title": field("TITLE"),
            "text": body,
            "date": field("DATE"),
            "tags": places,
            "id": newid.group(1) if newid else None,
            "source": "Reuters",
            "language": "en",
        },
        index=index,
    )
