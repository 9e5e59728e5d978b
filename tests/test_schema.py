from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.schema import (
    ARTICLE_SCHEMA,
    CLEAN_COLUMNS,
    CLEAN_EXTRA_COLUMNS,
    CLEAN_SCHEMA,
    ValidationError,
    _blank,
    to_pandas,
    validate_articles,
)

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def article(**changes):
    base = {
        "article_id": "0123456789abcdef",
        "source": "S",
        "url": "https://s.example/a",
        "title": "T",
        "published": datetime(2024, 1, 1, tzinfo=UTC),
        "published_from": "record",
        "language": "fr",
        "text": "x",
        "tags": ["a"],
        "author": None,
        "fetched": None,
        "record_id": None,
        "raw_path": "data/raw/a.jsonl",
        "raw_format": "jsonl",
        "raw_index": 0,
    }
    base.update(changes)
    return base


def table(*rows):
    return pa.Table.from_pylist(list(rows), schema=ARTICLE_SCHEMA)


def test_valid_table_passes_and_converts_to_arrow_backed_pandas():
    df = to_pandas(validate_articles(table(article())))
    assert str(df.dtypes["published"]) == "timestamp[us, tz=UTC][pyarrow]"
    assert str(df.dtypes["tags"]).startswith("list<")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            (article(), article(raw_index=1)),
            "article_id is not unique: article_id='0123456789abcdef' data/raw/a.jsonl#0",
        ),
        ((article(article_id="XYZ"),), "article_id is not 16 hex digits"),
        ((article(title=None, text="  "),), "neither title nor text"),
        ((article(source=""),), "source is empty"),
        ((article(language="French"),), "language is not an ISO 639 code"),
        ((article(url="ftp://x"),), "url is not http(s)"),
        ((article(raw_index=-1),), "raw_index is negative"),
        ((article(published=datetime(2999, 1, 1, tzinfo=UTC)),), "published is in the future"),
        ((article(tags=["a", None]),), "tags contain null values"),
    ],
)
def test_violations_name_the_rows(rows, message):
    with pytest.raises(ValidationError) as info:
        validate_articles(table(*rows))
    assert message in str(info.value)


def test_missing_and_extra_columns():
    with pytest.raises(ValidationError, match=r"missing \['text'\], unexpected \['body'\]"):
        validate_articles(table(article()).drop_columns(["text"]).append_column("body", pa.array(["x"])))


def test_null_in_required_column():
    bad = table(article()).set_column(1, "source", pa.array([None], pa.string()))
    with pytest.raises(ValidationError, match="source is null"):
        validate_articles(bad)


_SPACES = " \t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2003\u2028\u2029\u202f\u205f\u3000"


@settings(max_examples=300)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(_SPACES + "x\u200b\ufeffé"), max_size=6))))
def test_a_blank_string_is_one_arrow_trims_to_nothing(strings):
    """Null, empty or only Unicode whitespace, as trimming it with Arrow and counting what is left
    says (the definition the check stands for)."""
    column = pa.chunked_array([pa.array(strings, pa.string())], pa.string())
    trimmed = pc.fill_null(pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(column)), 0), True)
    assert _blank(column).to_pylist() == trimmed.to_pylist()


@pytest.mark.parametrize("blank", ["\u00a0", "\u3000\n", "\u2003 \u2029"])
def test_a_title_and_text_of_unicode_whitespace_are_neither(blank):
    with pytest.raises(ValidationError, match="neither title nor text"):
        validate_articles(table(article(title=blank, text=blank)))
    validate_articles(table(article(title=blank, text="\u200b")))  # a zero-width space is not whitespace


def _clean(*marks: tuple[str, str | None]) -> pa.Table:
    """Clean rows (ids and what each copies), the other added columns at plain values."""
    rows = [
        article(article_id=article_id, raw_index=i)
        | {"duplicate_of": of, "duplicate_kind": "near" if of else None, "copies": 0}
        | {c.name: 0 for c in CLEAN_EXTRA_COLUMNS if not c.nullable and c.name != "copies"}
        for i, (article_id, of) in enumerate(marks)
    ]
    return pa.Table.from_pylist(rows, schema=CLEAN_SCHEMA)


@pytest.mark.parametrize("known", [None, {"00000000000000aa", "00000000000000cc"}])
def test_a_copy_names_an_article_of_the_table_or_of_those_known(known):
    """``duplicate_of`` against the batch's own ids, or, batch by batch, against the ids known."""
    first = "00000000000000aa"
    good = _clean((first, None), ("00000000000000bb", first), ("00000000000000dd", None))
    validate_articles(good, columns=CLEAN_COLUMNS, now=NOW)
    validate_articles(good, columns=CLEAN_COLUMNS, now=NOW, known_ids=known)
    elsewhere = _clean(("00000000000000bb", "00000000000000cc"), ("00000000000000dd", None))  # (known: cc)
    if known is None:
        with pytest.raises(ValidationError, match="duplicate_of names no article"):
            validate_articles(elsewhere, columns=CLEAN_COLUMNS, now=NOW)
    else:
        validate_articles(elsewhere, columns=CLEAN_COLUMNS, now=NOW, known_ids=known)
    stray = _clean(("00000000000000bb", first), ("00000000000000dd", "00000000000000ee"), ("00000000000000ff", None))
    with pytest.raises(ValidationError) as info:
        validate_articles(stray, columns=CLEAN_COLUMNS, now=NOW, known_ids=known)
    message = str(info.value)
    assert "duplicate_of names no article of the table" in message and "00000000000000dd" in message
    assert ("00000000000000bb" in message) == (known is None)  # (aa: known, not in this batch)
    with pytest.raises(ValidationError, match="duplicate_of is the article itself"):
        validate_articles(_clean((first, first)), columns=CLEAN_COLUMNS, now=NOW, known_ids=known)
