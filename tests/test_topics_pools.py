"""Headlines hold a few terms each: two words of one story seldom share a headline, so coherence
(which chooses the number of topics and scores them) counts what a source's day of articles
holds together, when the sample's articles are that short (``topics.pool_below``)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import topics as tp
from tests.test_keywords_corpora import _build, tunisian_headlines

STORIES = [
    ["budget", "déficit", "impôt", "dette", "recette", "finance"],
    ["match", "équipe", "but", "coupe", "joueur", "stade"],
    ["pluie", "orage", "chaleur", "météo", "vent", "neige"],
    ["élection", "vote", "candidat", "scrutin", "campagne", "urne"],
    ["vaccin", "virus", "hôpital", "malade", "dose", "épidémie"],
]


def _headlines(folder, n: int = 400):
    """``n`` headlines of two words, each from one story a source tells on one day, and the article table."""
    ids, terms, sources, published = [], [], [], []
    for i in range(n):
        day, source = i // 40, i % 4
        story = STORIES[(day + source) % 5]
        ids.append(f"h{i:04d}")
        terms.append(story[2 * (i % 3) : 2 * (i % 3) + 2])  # two of its words: never all six together
        sources.append(f"S{source}")
        published.append(dt.datetime(2021, 3, 1 + day, 8 + i % 10, tzinfo=dt.UTC))
    folder.mkdir()
    pq.write_table(pa.table({"article_id": ids, "terms": terms}), folder / "terms.parquet")
    articles = pa.table(
        {
            "article_id": pa.array(ids, pa.string()),
            "source": pa.array(sources, pa.string()),
            "published": pa.array(published, pa.timestamp("us", tz="UTC")),
        }
    )
    pq.write_table(articles, folder / "articles.parquet")
    return folder, ids, pd.DataFrame({"article_id": ids, "source": sources, "day": [p.date() for p in published]})


def test_short_articles_score_coherence_over_a_source_s_day(tmp_path):
    folder, ids, meta = _headlines(tmp_path / "in")
    options = tp.TopicOptions(min_df=2, top_terms=6)
    articles = pq.read_table(folder / "articles.parquet").to_pandas()
    pooled = tp.fit_topics(folder / "terms.parquet", ids, options, meta=articles)
    assert pooled.pools_ == meta.groupby(["source", "day"]).ngroups == 40
    # the coherence of each topic is its top terms' NPMI over the pools, as counted here
    terms = pq.read_table(folder / "terms.parquet").to_pandas().merge(meta, on="article_id")
    held = terms.groupby(["source", "day"])["terms"].agg(lambda lists: set(itertools.chain.from_iterable(lists)))
    column = {term: i for i, term in enumerate(pooled.terms_)}
    presence = np.zeros((len(held), len(column)), dtype=np.float32)
    for row, words in enumerate(held):
        presence[row, [column[w] for w in words if w in column]] = 1
    tops = [[column[t] for t, _ in topic] for topic in pooled.top_terms()]
    from scipy import sparse

    np.testing.assert_allclose(pooled.coherence_, tp.npmi_coherence(tops, sparse.csc_matrix(presence)), atol=1e-6)
    # without the article table, or for articles as long as the threshold, each article is its own
    alone = tp.fit_topics(folder / "terms.parquet", ids, options)
    long = tp.fit_topics(folder / "terms.parquet", ids, replace(options, pool_below=2), meta=articles)
    assert alone.pools_ == long.pools_ == 0
    np.testing.assert_allclose(alone.coherence_, long.coherence_)
    assert pooled.coherence_.mean() > alone.coherence_.mean()


def test_an_article_without_a_date_or_a_source_is_pooled_without_error():
    """An article with no date is a pool of its own; one with no source shares its day's pool
    with the others without one; one missing from the table is alone."""
    day = dt.datetime(2021, 3, 1, 8, tzinfo=dt.UTC)
    meta = pd.DataFrame(
        {
            "article_id": ["a", "b", "c", "d", "e", "f"],
            "source": ["S", "S", None, None, "S", None],
            "published": pd.Series([day, day, day, day, None, None], dtype="datetime64[us, UTC]"),
        }
    )
    pools = tp._pools(meta, pa.array(["a", "b", "c", "d", "e", "f", "x"]))
    assert pools[0] == pools[1] and pools[2] == pools[3] and pools[0] != pools[2]
    assert len(set(pools[4:].tolist())) == 3 and not set(pools[4:].tolist()) & set(pools[:4].tolist())


def test_headlines_some_undated_are_fitted(tmp_path):
    """The fit of a headline sample whose article table lacks some dates and sources (a feed's
    item without `pubDate`): those articles are pools of their own, the rest pooled as before."""
    folder, ids, _ = _headlines(tmp_path / "in")
    articles = pq.read_table(folder / "articles.parquet").to_pandas()
    articles.loc[::7, "published"] = pd.NaT
    articles.loc[::5, "source"] = None
    model = tp.fit_topics(folder / "terms.parquet", ids, tp.TopicOptions(min_df=2, top_terms=6), meta=articles)
    undated = int(articles["published"].isna().sum())
    assert model.pools_ > undated and np.isfinite(model.coherence_).all()


@pytest.mark.shared
def test_tunisian_headlines_topics_are_scored_over_a_source_s_days(tmp_path, options):
    out = _build(options, [tunisian_headlines(tmp_path / "raw", 6000)], tmp_path / "out")
    counts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]["topics"]
    topics = pd.read_parquet(out / tp.TOPICS_FILE)
    assert counts["coherence_pools"] > 0
    # over single headlines, these 6,000 scored -0.27 (mean NPMI); all 12,794 chose 4 topics, one
    # of them 62% of the weight (6 over the pools, the largest 29%)
    assert topics["coherence"].mean() > 0 and topics["share"].max() < 0.5
