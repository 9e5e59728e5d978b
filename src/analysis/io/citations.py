"""Reference managers' exports: RIS (``.ris``), the tagged format Zotero, Mendeley, EndNote,
Europresse and Factiva's folders write, one reference (an article) after the other.

Each line is a two-character tag, two spaces, a dash and a space, then the value (``TI  - Le Maroc
et l'Espagne…``); ``TY`` opens a reference and ``ER`` closes it; a line without a tag continues the
value above it. The tags are read as a record's fields: ``TI``/``T1`` the title, ``AU``/``A1``
the authors (each ``Family, Given``), ``T2``/``JO``/``JF``/``JA`` the publication (the source),
``AB``/``N2`` the abstract (the text), ``DA``, ``Y1`` or ``PY`` the date (``2024/03/14/``), ``UR``
the address, ``LA`` the language, ``KW`` the keywords (tags), ``Y2`` the date it was accessed,
``ID``/``AN`` the reference's id. The other tags are left as they are, under their own names,
where ``[ingest.field_map]`` can name them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from analysis.config import IngestOptions
from analysis.io.registry import FileReject, RawFile, Record, Reject

#: a tagged line: two characters (a capital, then a capital or a digit), `  - `, the value
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
#: the tags of an article's fields (several of one field: the first present wins)
_FIELDS = {
    "title": ("TI", "T1", "CT", "BT"),
    "source": ("T2", "JO", "JF", "JA", "J2", "PB"),
    "text": ("AB", "N2"),
    "published": ("DA", "Y1", "PY"),
    "url": ("UR", "L2"),
    "language": ("LA",),
    "fetched": ("Y2",),
    "record_id": ("ID", "AN"),
}
#: tags whose every line is one value of a list
_LISTS = {"author": ("AU", "A1", "A2", "A3", "A4"), "tags": ("KW",)}
#: a RIS date: year, month, day parted by slashes, and free text after a last slash
_RIS_DATE = re.compile(r"^(\d{4})(?:/(\d{1,2})?(?:/(\d{1,2})?)?)?(?:/.*)?$")


def sniff_ris(head: bytes) -> bool:
    """A RIS file: its first line that is not blank is a `TY  - ` line."""
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:6]
    return first == b"TY  - "


def load_ris(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    """One record per reference; a reference that is never closed (the file cut) is read all the same,
    a file without a `TY` line is `no_records`."""
    index = -1
    tags: dict[str, list[str]] | None = None
    last: str | None = None
    blank = True
    with raw.open_text() as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n").lstrip("\ufeff")
            blank = blank and not line.strip()
            tagged = _TAG_LINE.match(line.rstrip())
            if tagged is None:
                if tags is not None and last and line.strip():  # a value over several lines
                    tags[last][-1] = f"{tags[last][-1]} {line.strip()}".strip()
                continue
            tag, value = tagged.group(1), (tagged.group(2) or "").strip()
            if tag == "TY":
                if tags is not None:  # (a reference left open: the one before had no `ER`)
                    index += 1
                    yield _record(tags, index)
                tags, last = {"TY": [value]}, "TY"
            elif tag == "ER":
                if tags is not None:
                    index += 1
                    yield _record(tags, index)
                tags, last = None, None
            elif tags is not None:
                tags.setdefault(tag, []).append(value)
                last = tag
            else:
                raise FileReject("invalid_ris", f"line {number}: tag {tag} outside a reference (no `TY` above it)")
    if tags is not None:
        index += 1
        yield _record(tags, index)
    if index < 0:
        raise (
            FileReject("empty_file", "only whitespace")
            if blank
            else FileReject("no_records", "no reference (`TY  - ` line)")
        )


def _record(tags: dict[str, list[str]], index: int) -> Record:
    fields: dict[str, Any] = {}
    for name, keys in _FIELDS.items():
        value = next((tags[k][0] for k in keys if tags.get(k) and tags[k][0]), None)
        if value is not None and name in ("published", "fetched"):
            value = _date(value)
        if value:
            fields[name] = value
    for name, keys in _LISTS.items():
        values = [v for k in keys for v in tags.get(k, []) if v]
        if values:
            fields[name] = values
    used = {k for keys in (*_FIELDS.values(), *_LISTS.values()) for k in keys}
    for tag, values in tags.items():  # (the rest under their tags: `--field text=N1` reads a note)
        if tag not in used and tag != "TY" and values:
            fields[tag] = values[0] if len(values) == 1 else values
    return Record(fields, index=index)


def _date(value: str) -> str | None:
    """`2024/03/14/` as `2024-03-14` (`2024/03//` as `2024-03-01`); a year alone is no date (it
    would be read as its first of January); another form as written."""
    found = _RIS_DATE.match(value.strip())
    if not found:
        return value
    if not found.group(2):
        return None
    year, month, day = found.group(1), found.group(2), found.group(3) or "1"
    return f"{year}-{int(month):02d}-{int(day):02d}"
