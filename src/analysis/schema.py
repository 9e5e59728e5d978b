"""The article table: its columns, their types, and the checks run before it is written.

This is the contract every later stage and every researcher relies on. The README documents each
column; :data:`ARTICLE_COLUMNS` is the single place their names, types and meanings live.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
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


def arrow_schema(columns: tuple[Column, ...]) -> pa.Schema:
    """The Arrow schema of a table described by its columns."""
    return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in columns])


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
    Column(
        "source_country",
        pa.string(),
        True,
        "ISO 3166-1 alpha-2 code of the outlet's country (`MA`), from the record (`country` in the "
        "collector's output), its metadata or `--country`, else the URL's country-code domain "
        "(`lematin.ma`); null when none says. Decides the home-country self-references of its "
        "articles (`le Royaume`: see `self.toml`).",
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
    Column("record_id", pa.string(), True, "The record's own id in its export (`id`, `stories_id`, guid...)."),
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

ARTICLE_SCHEMA = arrow_schema(ARTICLE_COLUMNS)
COLUMN_NAMES = tuple(c.name for c in ARTICLE_COLUMNS)

#: Columns the cleaning stage adds; in the processed table ``text`` is the clean text and
#: ``published_from`` may also be ``text``, ``url`` or ``text_without_year``, ``language`` may be detected.
CLEAN_EXTRA_COLUMNS: tuple[Column, ...] = (
    Column(
        "language_from",
        pa.string(),
        True,
        "Where `language` came from: `declared` (the record) or `detected` (lingua).",
    ),
    Column(
        "language_confidence",
        pa.float64(),
        True,
        "lingua's confidence in the detected language (0-1); null when not detected.",
    ),
    Column("chars_raw", pa.int64(), False, "Length of the text as loaded, before cleaning."),
    Column("chars_removed", pa.int64(), False, "Characters of boilerplate removed (see boilerplate.parquet)."),
    Column(
        "n_tokens",
        pa.int64(),
        False,
        "Words of the tokens of title and text (numbers, URLs and the tokens' `|` excluded; each word of a locution"
        " counted).",
    ),
    Column("n_terms", pa.int64(), False, "Content terms (tokens less stopwords) in title and text."),
    Column(
        "duplicate_of",
        pa.string(),
        True,
        "`article_id` of the canonical article this one copies; null for canonical and unique articles.",
    ),
    Column(
        "duplicate_kind",
        pa.string(),
        True,
        "`exact` (same normalised text) or `near` (MinHash similarity) for a copy; else null.",
    ),
    Column("copies", pa.int64(), False, "On a canonical article, how many copies of it the corpus holds; else 0."),
)
CLEAN_COLUMNS: tuple[Column, ...] = (*ARTICLE_COLUMNS, *CLEAN_EXTRA_COLUMNS)
CLEAN_SCHEMA = arrow_schema(CLEAN_COLUMNS)

TOKEN_COLUMNS: tuple[Column, ...] = (
    Column("article_id", pa.string(), False, "The article (joins `articles.parquet`)."),
    Column("language", pa.string(), True, "Language the tokens were made for."),
    Column(
        "tokens",
        pa.list_(pa.string()),
        False,
        "Word tokens of title then text, in order: lower-cased except acronyms and names, elisions kept on their"
        " word (`l'Inde`);"
        " `|` where the words do not run on (a sentence end, a comma, a number, a headline's end...); a locution"
        " (a stopword of several words, `dans le cadre`) one token, its words parted by spaces.",
    ),
    Column(
        "terms",
        pa.list_(pa.string()),
        False,
        "Content terms in order: tokens less stopwords, lemmatised (or stemmed, per options).",
    ),
)
TOKEN_SCHEMA = arrow_schema(TOKEN_COLUMNS)

BOILERPLATE_COLUMNS: tuple[Column, ...] = (
    Column("article_id", pa.string(), False, "The article the text was removed from."),
    Column("line", pa.int64(), False, "Index of the non-blank line of the loaded text it was on."),
    Column(
        "reason",
        pa.string(),
        False,
        "`rule:<name>`, `repeated` (recurs across the source), `signature` (opens or ends many of the"
        " source's articles), `low_density`, `link_list`, `title`,"
        " `outside_main`, `no_words`.",
    ),
    Column("text", pa.string(), False, "What was removed."),
    Column("chars", pa.int64(), False, "Its length in characters."),
)
BOILERPLATE_SCHEMA = arrow_schema(BOILERPLATE_COLUMNS)

REJECT_COLUMNS: tuple[Column, ...] = (
    Column("raw_path", pa.string(), False, "File the record came from."),
    Column("raw_format", pa.string(), True, "Loader chosen for the file (null when none was)."),
    Column("raw_index", pa.int64(), True, "Record number in the file; null when the whole file is rejected."),
    Column("reason", pa.string(), False, "Why the record is not in the table (see the README)."),
    Column("detail", pa.string(), True, "What exactly was wrong."),
    Column("excerpt", pa.string(), True, "The first characters of the record."),
)

_ID = re.compile(r"^[0-9a-f]{16}$")
_LANG = re.compile(r"^[a-z]{2,3}$")


class ValidationError(ValueError):
    """The table breaks the contract; the message names each offending row."""


def _rows(table: pa.Table, mask: pa.ChunkedArray | pa.Array, problem: str, limit: int = 10) -> list[str]:
    idx = pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()
    out = []
    for i in idx[:limit]:
        row = {k: table.column(k)[i].as_py() for k in ("article_id", "raw_path", "raw_index")}
        out.append(f"{problem}: article_id={row['article_id']!r} {row['raw_path']}#{row['raw_index']}")
    if len(idx) > limit:
        out.append(f"{problem}: ... and {len(idx) - limit} more rows")
    return out


def validate_articles(
    data: pa.Table | pd.DataFrame,
    *,
    now: datetime | None = None,
    columns: tuple[Column, ...] = ARTICLE_COLUMNS,
    known_ids: AbstractSet[str] | None = None,
) -> pa.Table:
    """Check the article table's contract; return it as an Arrow table in schema order.

    ``columns`` is :data:`ARTICLE_COLUMNS` for the loaded table, :data:`CLEAN_COLUMNS` for the
    processed one (which adds the duplicate rule: ``duplicate_of`` names an article of the table;
    when the table is validated batch by batch, ``known_ids`` holds every id of the whole table
    that may be named: made once, where Arrow would hash them again for each batch).

    Raises:
        ValidationError: listing every broken rule with the rows (id, file, record) that break it.
    """
    table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
    names = [c.name for c in columns]
    missing = [c for c in names if c not in table.column_names]
    extra = [c for c in table.column_names if c not in names]
    if missing or extra:
        raise ValidationError(f"article table columns: missing {missing}, unexpected {extra}")
    table = table.select(names)
    problems: list[str] = []
    for column in columns:
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
    for column in columns:
        if not column.nullable:
            problems += _rows(table, pc.is_null(table.column(column.name)), f"{column.name} is null")
    ids = table.column("article_id")
    problems += _rows(table, pc.invert(pc.match_substring_regex(ids, _ID.pattern)), "article_id is not 16 hex digits")
    counts = pc.value_counts(ids)
    dup_ids = [v["values"] for v in counts.to_pylist() if v["counts"] > 1]
    if dup_ids:
        problems += _rows(table, pc.is_in(ids, value_set=pa.array(dup_ids, pa.string())), "article_id is not unique")
    blank_title, blank_text = _blank(table.column("title")), _blank(table.column("text"))
    problems += _rows(table, pc.and_(blank_title, blank_text), "neither title nor text")
    problems += _rows(table, pc.equal(pc.binary_length(table.column("source")), 0), "source is empty")
    lang = table.column("language")
    problems += _rows(
        table,
        pc.and_(pc.is_valid(lang), pc.invert(pc.fill_null(pc.match_substring_regex(lang, _LANG.pattern), False))),
        "language is not an ISO 639 code",
    )
    url = table.column("url")
    problems += _rows(
        table,
        pc.and_(pc.is_valid(url), pc.invert(pc.fill_null(pc.match_substring_regex(url, r"^https?://"), False))),
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
    if "duplicate_of" in names:
        dup = table.column("duplicate_of")
        if known_ids is None:
            unknown = pc.and_(pc.is_valid(dup), pc.invert(pc.is_in(dup, value_set=ids.combine_chunks())))
        else:  # (the few ids named looked up, not the many known hashed)
            named = pc.unique(pc.drop_null(dup)).to_pylist()
            missing = pa.array([name for name in named if name not in known_ids], pa.string())
            unknown = pc.is_in(dup, value_set=missing)  # (a null is in no set without nulls)
        problems += _rows(table, unknown, "duplicate_of names no article of the table")
        problems += _rows(table, pc.equal(dup, ids), "duplicate_of is the article itself")
    if problems:
        raise ValidationError("article table fails validation:\n  " + "\n  ".join(problems))
    return table.cast(arrow_schema(columns))


def _blank(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Which strings are null, empty or only (Unicode) whitespace: Arrow's ``utf8_is_space`` stops
    at a string's first other character, where trimming the strings and counting their characters
    copied and read every text (1.3 GB of them in a 1% addition at a million, its article parts
    whose duplicate marks moved)."""
    empty = pc.fill_null(pc.equal(pc.binary_length(column), 0), True)
    return pc.or_(empty, pc.fill_null(pc.utf8_is_space(column), False))


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow table to a pandas DataFrame with Arrow-backed dtypes (no copies to numpy objects)."""
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def empty_articles() -> pa.Table:
    return ARTICLE_SCHEMA.empty_table()


COUNTRY_MENTION_COLUMNS: tuple[Column, ...] = (
    Column("article_id", pa.string(), False, "The article (joins `articles.parquet`)."),
    Column("iso2", pa.string(), False, "ISO 3166-1 alpha-2 code (`XK` for Kosovo)."),
    Column("iso3", pa.string(), True, "ISO 3166-1 alpha-3 code."),
    Column("country", pa.string(), True, "English name (CLDR/pycountry common name)."),
    Column("country_fr", pa.string(), True, "French name (CLDR)."),
    Column("surface", pa.string(), False, "The mention as written."),
    Column(
        "start",
        pa.int64(),
        False,
        "Offset of the mention's first character in the clean title (if `in_title`) or text.",
    ),
    Column("end", pa.int64(), False, "Offset just after its last character."),
    Column(
        "kind",
        pa.string(),
        False,
        "`name`, `demonym`, `capital`, `institution` (a metonym such as `Élysée`), `self`"
        " (home-country self-reference) or, when the `kinds` option lists it, `place` (`Gaza`, `Crimée`).",
    ),
    Column("in_title", pa.bool_(), False, "True when the mention is in the title, false when in the text."),
)
COUNTRY_MENTION_SCHEMA = arrow_schema(COUNTRY_MENTION_COLUMNS)

REGION_MENTION_COLUMNS: tuple[Column, ...] = (
    Column("article_id", pa.string(), False, "The article."),
    Column(
        "region",
        pa.string(),
        False,
        "Region id (`maghreb`, `sahel`, `afrique`...; see data/countries/regions.toml).",
    ),
    Column("region_en", pa.string(), True, "English label."),
    Column("region_fr", pa.string(), True, "French label."),
    Column("surface", pa.string(), False, "The mention as written."),
    Column("start", pa.int64(), False, "Offset in the clean title or text."),
    Column("end", pa.int64(), False, "Offset just after the mention."),
    Column("in_title", pa.bool_(), False, "True when in the title."),
)
REGION_MENTION_SCHEMA = arrow_schema(REGION_MENTION_COLUMNS)

COUNTRY_PERIOD_COLUMNS: tuple[Column, ...] = (
    Column("period_type", pa.string(), False, "`day`, `week` (from Monday), `month`, `quarter`."),
    Column("period", pa.timestamp("us"), False, "First day of the period (UTC date)."),
    Column("iso2", pa.string(), False, "Country."),
    Column("iso3", pa.string(), True, "ISO 3166-1 alpha-3 code."),
    Column("country", pa.string(), True, "English name."),
    Column("country_fr", pa.string(), True, "French name."),
    Column(
        "articles",
        pa.int64(),
        False,
        "Articles of the period that name the country (copies excluded unless `countries.include_duplicates`).",
    ),
    Column("mentions", pa.int64(), False, "Mentions of the country in those articles."),
    Column("period_articles", pa.int64(), False, "All dated articles of the period (same duplicate rule)."),
    Column("share_articles", pa.float64(), False, "`articles` / `period_articles`."),
)

COUNTRY_PAIR_COLUMNS: tuple[Column, ...] = (
    Column("iso2_a", pa.string(), False, "First country (alphabetical)."),
    Column("iso2_b", pa.string(), False, "Second country."),
    Column(
        "articles",
        pa.int64(),
        False,
        "Articles naming both (copies excluded unless `countries.include_duplicates`).",
    ),
)

# --- keywords -------------------------------------------------------------------------------------

_PERIOD_TYPE = "`day`, `week` (from Monday), `month`, `quarter` or `year`."

TERM_FREQUENCY_COLUMNS: tuple[Column, ...] = (
    Column(
        "scope",
        pa.string(),
        False,
        "What the row counts over: `corpus` (every article), `period`, `source` or `language`.",
    ),
    Column("period_type", pa.string(), True, f"When `scope` is `period`: {_PERIOD_TYPE}"),
    Column("period", pa.timestamp("us"), True, "When `scope` is `period`: first day of the period (UTC date)."),
    Column("source", pa.string(), True, "When `scope` is `source`: the source."),
    Column("language", pa.string(), True, "When `scope` is `language`: the language."),
    Column("term", pa.string(), False, "A lemma, an acronym, a lower-cased name, or a phrase (as most often written)."),
    Column("phrase", pa.bool_(), False, "True when `term` is a learnt phrase (see `phrases.parquet`)."),
    Column("count", pa.int64(), False, "Occurrences in the group's articles (copies excluded unless asked)."),
    Column("docs", pa.int64(), False, "Articles of the group containing the term."),
    Column("share", pa.float64(), False, "`count` / `group_terms`."),
    Column("doc_share", pa.float64(), False, "`docs` / `group_docs`."),
    Column("group_terms", pa.int64(), False, "All terms counted in the group."),
    Column("group_docs", pa.int64(), False, "Articles in the group."),
    Column(
        "rank",
        pa.int64(),
        False,
        "1 = most frequent in its group (ties by term). Groups other than `corpus` keep their top"
        " `keywords.top_terms`; every row has `count` >= `keywords.min_count`.",
    ),
)

PHRASE_COLUMNS: tuple[Column, ...] = (
    Column("phrase", pa.string(), False, "The phrase as most often written, lower-cased (acronyms kept)."),
    Column("language", pa.string(), True, "Language it was learnt in (null: articles without one)."),
    Column("n", pa.int64(), False, "Words: 2 or 3."),
    Column("count", pa.int64(), False, "Occurrences in the sample the phrases were learnt from."),
    Column("docs", pa.int64(), False, "Articles of that sample containing it."),
    Column("llr", pa.float64(), False, "Log-likelihood ratio association score (nltk); >= `keywords.phrase_min_llr`."),
    Column("pmi", pa.float64(), False, "Pointwise mutual information (bits, nltk)."),
    Column("rank", pa.int64(), False, "1 = strongest (by `llr`) in its language."),
)

DISTINCTIVE_COLUMNS: tuple[Column, ...] = (
    Column("group_type", pa.string(), False, "`source`, `language` or a period type (see `keywords.distinctive_by`)."),
    Column("group", pa.string(), False, "The source, the language, or the period's first day (YYYY-MM-DD)."),
    Column("term", pa.string(), False, "The term."),
    Column("direction", pa.string(), False, "`over` (used more in the group than in the rest) or `under`."),
    Column("count", pa.int64(), False, "Occurrences in the group."),
    Column("count_rest", pa.int64(), False, "Occurrences in the rest of the corpus."),
    Column("share", pa.float64(), False, "`count` / all terms of the group."),
    Column("share_rest", pa.float64(), False, "`count_rest` / all terms of the rest."),
    Column("log_ratio", pa.float64(), False, "Effect size: log2(share / share_rest), 0.5 added to a zero count."),
    Column("g2", pa.float64(), False, "Log-likelihood G² (significance)."),
    Column("p_value", pa.float64(), False, "Chi-squared (1 df) p-value of `g2`; rows have p < 0.001."),
    Column("tfidf", pa.float64(), False, "TF-IDF weight of the term when each group of the type is one document."),
    Column("rank", pa.int64(), False, "1 = most distinctive (by `g2`) in its group and direction."),
)

RISING_COLUMNS: tuple[Column, ...] = (
    Column("period_type", pa.string(), False, f"Periods the windows are made of: {_PERIOD_TYPE}"),
    Column("window_start", pa.timestamp("us"), False, "First period of the recent window."),
    Column("window_end", pa.timestamp("us"), False, "Last period of the recent window."),
    Column("baseline_start", pa.timestamp("us"), False, "First period of the window before it."),
    Column("baseline_end", pa.timestamp("us"), False, "Last period of the window before it."),
    Column("term", pa.string(), False, "The term."),
    Column("direction", pa.string(), False, "`rising` or `falling`."),
    Column("count", pa.int64(), False, "Occurrences in the recent window."),
    Column("count_baseline", pa.int64(), False, "Occurrences in the window before."),
    Column("share", pa.float64(), False, "`count` / all terms of the recent window."),
    Column("share_baseline", pa.float64(), False, "`count_baseline` / all terms of the window before."),
    Column("log_ratio", pa.float64(), False, "log2(share / share_baseline), 0.5 added to a zero count."),
    Column("g2", pa.float64(), False, "Log-likelihood G²."),
    Column("p_value", pa.float64(), False, "Chi-squared (1 df) p-value of `g2`."),
    Column("q_value", pa.float64(), False, "BH q-value over the terms tested (<= `keywords.trend_alpha`)."),
    Column("rank", pa.int64(), False, "1 = strongest change (by `g2`) in its direction."),
)

KEYWORD_MODEL_COLUMNS: tuple[Column, ...] = (
    *PHRASE_COLUMNS,
    Column(
        "keys",
        pa.list_(pa.list_(pa.string())),
        False,
        "The word sequences (terms as counted) the phrase stands for; more than one when written alike.",
    ),
)

# --- topics ---------------------------------------------------------------------------------------

TOPIC_COLUMNS: tuple[Column, ...] = (
    Column("topic", pa.int64(), False, "Topic number (0 = largest share of the corpus)."),
    Column("label", pa.string(), False, "Its top terms joined by ` · `."),
    Column("terms", pa.list_(pa.string()), False, "Top terms, strongest first."),
    Column("weights", pa.list_(pa.float64()), False, "Their weights in the topic (sum to 1 over all terms)."),
    Column(
        "coherence",
        pa.float64(),
        False,
        "NPMI coherence of the top terms over the corpus's articles, or its sources' days for headlines (-1 to 1).",
    ),
    Column("share", pa.float64(), False, "Share of all articles' topic weight."),
    Column("articles", pa.int64(), False, "Articles whose strongest topic it is."),
    Column("examples", pa.list_(pa.string()), False, "`article_id` of its most typical articles, strongest first."),
    Column("model", pa.string(), False, "`nmf` or `lda`."),
    Column("n_topics", pa.int64(), False, "Topics in the model (chosen by coherence unless set)."),
)

DOC_TOPIC_COLUMNS: tuple[Column, ...] = (
    Column("article_id", pa.string(), False, "The article."),
    Column("topic", pa.int64(), False, "The topic."),
    Column("weight", pa.float64(), False, "Share of the article's topic weight (weights of an article sum to ~1)."),
    Column("rank", pa.int64(), False, "1 = the article's strongest topic."),
)

TOPIC_MODEL_COLUMNS: tuple[Column, ...] = (
    Column("term", pa.string(), False, "A term of the model's vocabulary."),
    Column("idf", pa.float64(), True, "Its inverse document frequency in the articles fitted on (NMF; null for LDA)."),
    Column(
        "weights",
        pa.list_(pa.float64()),
        False,
        "Its weight in each topic as fitted, topic 0 first (NMF's basis, LDA's pseudo-counts; not normalised).",
    ),
)

TOPIC_TREND_COLUMNS: tuple[Column, ...] = (
    Column("period_type", pa.string(), False, _PERIOD_TYPE),
    Column("period", pa.timestamp("us"), False, "First day of the period (UTC date)."),
    Column("topic", pa.int64(), False, "The topic."),
    Column("label", pa.string(), False, "Its label."),
    Column("weight", pa.float64(), False, "Sum of the topic's weight over the period's articles."),
    Column("articles", pa.int64(), False, "Articles of the period whose strongest topic it is."),
    Column("period_articles", pa.int64(), False, "Dated articles of the period (copies excluded unless asked)."),
    Column("share", pa.float64(), False, "`weight` / `period_articles`: the topic's share of the period's coverage."),
)

THEME_TREND_COLUMNS: tuple[Column, ...] = (
    Column("period_type", pa.string(), False, _PERIOD_TYPE),
    Column("period", pa.timestamp("us"), False, "First day of the period (UTC date)."),
    Column("theme", pa.string(), False, "Theme id (data/themes.toml or `[topics.themes]`)."),
    Column("label", pa.string(), False, "Its label."),
    Column("articles", pa.int64(), False, "Articles of the period on the theme (>= `topics.theme_min_hits` hits)."),
    Column("hits", pa.int64(), False, "Occurrences of the theme's terms in those articles."),
    Column("period_articles", pa.int64(), False, "Dated articles of the period (copies excluded unless asked)."),
    Column("share", pa.float64(), False, "`articles` / `period_articles`."),
)
