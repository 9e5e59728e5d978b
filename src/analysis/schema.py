"""The article table: its columns, their types, and the checks run before it is written.

This is the contract every later stage and every researcher relies on. The README documents each
column; :data:`ARTICLE_COLUMNS` is the single place their names, types and meanings live.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    nullable: bool
    meaning: str


TIMESTAMP = pa.timestamp("us", tz="UTC")

ARTICLE_COLUMNS: tuple[Column, ...] = (
    Column(
        "article_id",
        pa.string(),
        False,
        "Stable id: 16 hex digits of a BLAKE2b hash of the article's URL, or, without a URL, of "
        "its source, date, title and text. Same input, same id, on any machine.",
    ),
    Column(
        "source",
        pa.string(),
        False,
        "Outlet name: from the record, a sidecar/folder metadata file, `--source`, the feed's "
        "title, the path, or the URL's host; `unknown` when none says.",
    ),
    Column("url", pa.string(), True, "Article URL (http/https only), as given."),
    Column("title", pa.string(), True, "Headline, as published (mojibake repaired, NFC)."),
    Column("published", TIMESTAMP, True, "Publication time in UTC; null when unknown."),
    Column(
        "published_from",
        pa.string(),
        True,
        "Where `published` came from: record, sidecar, folder, cli, path (null when unknown).",
    ),
    Column(
        "language",
        pa.string(),
        True,
        "ISO 639 code declared by the record or its metadata (`fr`, `en`, `ar`); null when not declared.",
    ),
    Column(
        "text",
        pa.string(),
        True,
        "Body text as loaded (page junk still in; paragraphs separated by blank lines). Null for "
        "headline-only records.",
    ),
    Column("tags", pa.list_(pa.string()), False, "The outlet's own tags/keywords/categories."),
    Column("author", pa.string(), True, "Byline, when the record has one."),
    Column("fetched", TIMESTAMP, True, "When the page was collected (UTC), when known."),
    Column(
        "record_id", pa.string(), True, "The record's own id in its export (`id`, `stories_id`, guid...)."
    ),
    Column(
        "raw_path",
        pa.string(),
        False,
        "File the record came from (relative to the project root when inside it).",
    ),
    Column(
        "raw_format",
        pa.string(),
        False,
        "Loader that read it: scraped_text, json, jsonl, csv, html, feed, parquet, or a plugin's name.",
    ),
    Column("raw_index", pa.int64(), False, "Record number inside that file, from 0."),
)

ARTICLE_SCHEMA = pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in ARTICLE_COLUMNS])
COLUMN_NAMES = tuple(c.name for c in ARTICLE_COLUMNS)

REJECT_SCHEMA = pa.schema(
    [
        pa.field("raw_path", pa.string(), nullable=False),
        pa.field("raw_format", pa.string()),
        pa.field("raw_index", pa.int64()),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("excerpt", pa.string()),
    ]
)

_ID = re.compile(r"^[0-9a-f]{16}$")
_LANG = re.compile(r"^[a-z]{2,3}$")


class ValidationError(ValueError):
    """The table breaks the contract; the message names each offending row."""


def _rows(table: pa.Table, mask: pa.ChunkedArray | pa.Array, problem: str, limit: int = 10) -> list[str]:
    idx = pc.indices_nonzero(pc.fill_null(mask, True)).to_pylist()
    out = []
    for i in idx[:limit]:
        row = {k: table.column(k)[i].as_py() for k in ("article_id", "raw_path", "raw_index")}
        out.append(f"{problem}: article_id={row['article_id']!r} {row['raw_path']}#{row['raw_index']}")
    if len(idx) > limit:
        out.append(f"{problem}: ... and {len(idx) - limit} more rows")
    return out


def validate_articles(data: pa.Table | pd.DataFrame, *, now: datetime | None = None) -> pa.Table:
    """Check the article table's contract; return it as an Arrow table in schema order.

    Raises:
        ValidationError: listing every broken rule with the rows (id, file, record) that break it.
    """
    table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
    missing = [c for c in COLUMN_NAMES if c not in table.column_names]
    extra = [c for c in table.column_names if c not in COLUMN_NAMES]
    if missing or extra:
        raise ValidationError(f"article table columns: missing {missing}, unexpected {extra}")
    table = table.select(list(COLUMN_NAMES))
    problems: list[str] = []
    for column in ARTICLE_COLUMNS:
        actual = table.schema.field(column.name).type
        if actual != column.type:
            try:
                table = table.set_column(
                    table.column_names.index(column.name),
                    column.name,
                    table.column(column.name).cast(column.type),
                )
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                problems.append(f"column {column.name!r} has type {actual}, expected {column.type}")
    if problems:
        raise ValidationError("; ".join(problems))
    for column in ARTICLE_COLUMNS:
        if not column.nullable:
            problems += _rows(table, pc.is_null(table.column(column.name)), f"{column.name} is null")
    ids = table.column("article_id")
    problems += _rows(
        table, pc.invert(pc.match_substring_regex(ids, _ID.pattern)), "article_id is not 16 hex digits"
    )
    counts = pc.value_counts(ids)
    dup_ids = [v["values"] for v in counts.to_pylist() if v["counts"] > 1]
    if dup_ids:
        problems += _rows(
            table, pc.is_in(ids, value_set=pa.array(dup_ids, pa.string())), "article_id is not unique"
        )
    title_len = pc.fill_null(pc.utf8_length(pc.utf8_trim_whitespace(table.column("title"))), 0)
    text_len = pc.fill_null(pc.utf8_length(pc.utf8_trim_whitespace(table.column("text"))), 0)
    problems += _rows(table, pc.and_(pc.equal(title_len, 0), pc.equal(text_len, 0)), "neither title nor text")
    problems += _rows(table, pc.equal(pc.utf8_length(table.column("source")), 0), "source is empty")
    lang = table.column("language")
    problems += _rows(
        table,
        pc.and_(
            pc.is_valid(lang), pc.invert(pc.fill_null(pc.match_substring_regex(lang, _LANG.pattern), False))
        ),
        "language is not an ISO 639 code",
    )
    url = table.column("url")
    problems += _rows(
        table,
        pc.and_(
            pc.is_valid(url), pc.invert(pc.fill_null(pc.match_substring_regex(url, r"^https?://"), False))
        ),
        "url is not http(s)",
    )
    problems += _rows(table, pc.less(table.column("raw_index"), 0), "raw_index is negative")
    limit = pa.scalar((now or datetime.now(UTC)) + timedelta(days=1), TIMESTAMP)
    problems += _rows(
        table, pc.fill_null(pc.greater(table.column("published"), limit), False), "published is in the future"
    )
    flat_nulls = pc.is_null(pc.list_flatten(table.column("tags")))
    if pc.any(flat_nulls).as_py():
        problems.append("tags contain null values")
    if problems:
        raise ValidationError("article table fails validation:\n  " + "\n  ".join(problems))
    return table.cast(ARTICLE_SCHEMA)


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow table to a pandas DataFrame with Arrow-backed dtypes (no copies to numpy objects)."""
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def empty_articles() -> pa.Table:
    return ARTICLE_SCHEMA.empty_table()
