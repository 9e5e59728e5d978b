from datetime import UTC, datetime

import pyarrow as pa
import pytest

from analysis.schema import ARTICLE_SCHEMA, ValidationError, to_pandas, validate_articles


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
