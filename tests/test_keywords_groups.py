"""The keyword stage's compact index of article groups answers as the dict of ``article_groups`` did."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import keywords as kw
from analysis.periods import period_start

_ROWS = st.lists(
    st.tuples(
        st.one_of(
            st.none(),
            st.dates(min_value=pd.Timestamp("2023-01-01").date(), max_value=pd.Timestamp("2024-12-31").date()),
        ),
        st.sampled_from([None, "", "Alpha", "Beta", "Gamma"]),
        st.sampled_from([None, "", "fr", "en"]),
        st.booleans(),
    ),
    max_size=40,
)


def _meta(rows: list[tuple]) -> pd.DataFrame:
    ids = [f"a{i}" for i in range(len(rows))]
    return pd.DataFrame(
        {
            "article_id": ids,
            "published": pd.to_datetime([r[0] for r in rows], utc=True) if rows else pd.to_datetime([], utc=True),
            "source": pd.Series([r[1] for r in rows], dtype=object),
            "language": pd.Series([r[2] for r in rows], dtype=object),
            "duplicate_of": pd.Series([ids[0] if r[3] and i else None for i, r in enumerate(rows)], dtype=object),
        }
    )


def reference_groups(
    meta: pd.DataFrame, periods: Sequence[str], *, include_duplicates: bool = False
) -> dict[str, list]:
    """The groups of each counted article, built article by article (how the stage used to build them)."""
    import pyarrow as pa

    base = meta if include_duplicates else meta[meta["duplicate_of"].isna()]
    ids = base["article_id"].astype(str).tolist()
    groups: dict[str, list] = {i: [("corpus", None, None, None, None)] for i in ids}
    published = base["published"]
    dated = published.notna().to_numpy()
    if periods and dated.any():
        # A period depends on the day only: each distinct day's periods, then each article's.
        days = published[dated].astype("datetime64[us, UTC]").dt.floor("D")
        index, distinct = pd.factorize(days)
        distinct_days = pd.Series(distinct)
        dated_ids = [article_id for article_id, has_date in zip(ids, dated.tolist(), strict=True) if has_date]
        for period in periods:
            starts = period_start(distinct_days, period).dt.to_pydatetime().tolist()
            for article_id, day in zip(dated_ids, index.tolist(), strict=True):
                groups[article_id].append(("period", period, starts[day], None, None))
    for article_id, source in zip(ids, pa.array(base["source"]).to_pylist(), strict=True):
        if isinstance(source, str) and source:
            groups[article_id].append(("source", None, None, source, None))
    for article_id, lang in zip(ids, pa.array(base["language"]).to_pylist(), strict=True):
        if isinstance(lang, str) and lang:
            groups[article_id].append(("language", None, None, None, lang))
    return groups


def _numbered(meta: pd.DataFrame, periods: tuple[str, ...], include: bool) -> tuple[dict[str, tuple[int, ...]], list]:
    """What the stage built before: each article's keys numbered in order of first appearance."""
    keys: dict = {}
    groups = reference_groups(meta, periods, include_duplicates=include)
    numbered = {a: tuple(keys.setdefault(k, len(keys)) for k in ks) for a, ks in groups.items()}
    return numbered, list(keys)


@settings(max_examples=60, deadline=None)
@given(_ROWS, st.sampled_from([(), ("month",), ("week", "year")]), st.booleans())
def test_group_index_numbers_groups_as_the_dict_did(rows, periods, include):
    meta = _meta(rows)
    numbered, keys = _numbered(meta, periods, include)
    index, key_list, ids = kw.group_index(meta, periods, include_duplicates=include)
    assert key_list == keys
    assert kw.article_groups(meta, periods, include_duplicates=include) == reference_groups(
        meta, periods, include_duplicates=include
    )
    assert ids.to_pylist() == list(numbered)
    assert len(index) == len(numbered)
    asked = [*numbered, "missing", *meta["article_id"]]
    for article_id, position in zip(asked, index.find(asked).tolist(), strict=True):
        if article_id in numbered:
            assert tuple(index.groups(position).tolist()) == numbered[article_id]
        else:
            assert position == -1


def test_equal_hashes_do_not_mix_articles_up(monkeypatch):
    # every id hashes to one of two values: the ids themselves must tell the articles apart
    monkeypatch.setattr(kw, "_id_hashes", lambda ids: np.array([len(a) % 2 for a in ids], dtype=np.uint64))
    groups = {f"id{i}": (i, i + 100) for i in range(50)}
    index = kw.ArticleGroups.from_mapping(groups)
    asked = ["id7", "id42", "nope", "id0", "xx"]
    found = index.find(asked)
    assert found[2] == -1 and found[4] == -1
    for article_id, position in zip(asked, found.tolist(), strict=True):
        if position >= 0:
            assert tuple(index.groups(position).tolist()) == groups[article_id]


def test_an_empty_index_finds_nothing():
    index = kw.ArticleGroups.from_mapping({})
    assert len(index) == 0
    assert index.find(["a", "b"]).tolist() == [-1, -1]
