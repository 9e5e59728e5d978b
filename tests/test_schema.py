from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.schema import ARTICLE_SCHEMA, ValidationError, _blank, to_pandas, validate_articles


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
