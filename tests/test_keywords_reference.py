"""The fast keyword code gives exactly what the straightforward code gives.

The reference implementations below are the keyword stage's first versions, kept as they were:
phrases counted and scored by nltk's finders built from the documents, terms merged word by word,
the term table and keyness built group by group with pandas. The fast versions count with numpy,
score every candidate with nltk's arithmetic in numpy, merge phrases with numpy and build the tables in
one go; their results must be equal, value for value.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import keywords as kw
from analysis.clean import ARTICLES_FILE, TOKENS_FILE, Cleaner
from analysis.config import Options
from analysis.io import Ingestor
from analysis.tokens import Tokenizer, elided
from tests.conftest import ROOT

TOKENIZER = Tokenizer()


# --- the reference implementations ----------------------------------------------------------------


def _rare(doc_freq: Counter[tuple[str, ...]], min_docs: int, *gram: str) -> bool:
    return doc_freq[gram] < min_docs


def _surfaces(
    keys: set[tuple[str, ...]], streams: Sequence[Sequence[str]], tokens: Sequence[Sequence[str]]
) -> dict[tuple[str, ...], str]:
    seen: dict[tuple[str, ...], Counter[str]] = {}
    for words, surface in zip(streams, tokens, strict=True):
        for size in (2, 3):
            for i in range(len(words) - size + 1):
                gram = tuple(words[i : i + size])
                if gram in keys:  # (a phrase's first word shown without its elision: `l'intelligence`)
                    shown = " ".join([elided(surface[i])[1], *surface[i + 1 : i + size]])
                    seen.setdefault(gram, Counter())[shown] += 1
    return {key: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, counts in seen.items()}


def split_ratio(n_iii: int, pairs: tuple[int, int, int], words: tuple[int, int, int], n_xxx: int) -> float:
    """A trigram's score from the marginals nltk's trigram finder gives: the smaller of nltk's bigram
    likelihood ratios of its two splits (its first word against the pair after it, its first pair
    against its last word)."""
    from nltk.metrics.association import BigramAssocMeasures

    (n_iix, _, n_xii), (n_ixx, _, n_xxi) = pairs, words
    together = n_iii / 1.0  # (a float, as the bigram scores are pinned: nltk's sums are then floats too)
    return min(
        BigramAssocMeasures.likelihood_ratio(together, (n_ixx, n_xii), n_xxx),
        BigramAssocMeasures.likelihood_ratio(together, (n_iix, n_xxi), n_xxx),
    )


def reference_fit(model: kw.PhraseModel, documents: Iterable[tuple[Sequence[str], str | None]]) -> pd.DataFrame:
    """The phrase table of the first ``PhraseModel.fit`` (nltk's finders from the documents)."""
    from nltk.collocations import (
        BigramAssocMeasures,
        BigramCollocationFinder,
        TrigramAssocMeasures,
        TrigramCollocationFinder,
    )

    streams: dict[str | None, list[list[str]]] = {}
    lowered: dict[str | None, list[list[str]]] = {}
    for tokens, lang in documents:
        streams.setdefault(lang, []).append(kw.lemma_stream(model.tokenizer, tokens, lang))
        lowered.setdefault(lang, []).append([kw._surface(t, lang) for t in tokens])
    rows: list[dict[str, Any]] = []
    for lang in sorted(streams, key=lambda k: k or ""):
        docs = streams[lang]
        doc_freq: Counter[tuple[str, ...]] = Counter()
        for words in docs:
            seen = set(itertools.pairwise(words)) | set(zip(words, words[1:], words[2:], strict=False))
            doc_freq.update(seen)
        found: list[dict[str, Any]] = []
        bigrams = BigramCollocationFinder.from_documents(docs)
        trigrams = TrigramCollocationFinder.from_documents(docs)
        for finder, measures, size in ((bigrams, BigramAssocMeasures, 2), (trigrams, TrigramAssocMeasures, 3)):
            finder.apply_freq_filter(model.min_count)
            if size == 2:
                finder.apply_ngram_filter(lambda a, b: a[0] == kw._STOP or b[0] == kw._STOP)
            else:
                joins = model.connectors.get(lang or "", frozenset())
                finder.apply_ngram_filter(
                    lambda a, b, c, joins=joins: (
                        a[0] == kw._STOP
                        or c[0] == kw._STOP
                        or (b[0] == kw._STOP and b[1:] not in joins and b[1:].lower() not in joins)
                    )
                )
            finder.apply_ngram_filter(partial(_rare, doc_freq, model.min_docs))
            pmi = dict(finder.score_ngrams(measures.pmi))
            for gram, llr in finder.score_ngrams(measures.likelihood_ratio if size == 2 else split_ratio):
                if llr < model.min_llr:
                    continue
                found.append(
                    {
                        "key": gram,
                        "phrase": kw._shown(gram),
                        "language": lang,
                        "n": size,
                        "count": int(finder.ngram_fd[gram]),
                        "docs": int(doc_freq[gram]),
                        "llr": round(float(llr), 4),
                        "pmi": round(float(pmi[gram]), 4),
                    }
                )
        found = model._drop_extensions(found)
        pairs = {row["key"]: row["count"] for row in found if row["n"] == 2}
        cut = model._cut_words(pairs, Counter(itertools.chain.from_iterable(docs)))
        found = [row for row in found if row["key"][-1] not in cut]
        found.sort(key=lambda r: (-r["llr"], r["phrase"]))
        found = model._drop_fragments(found[: model.max_phrases])
        written = _surfaces({row["key"] for row in found}, docs, lowered[lang])
        for row in found:
            row["phrase"] = written.get(row["key"], row["phrase"])
        for rank, row in enumerate(found, 1):
            row["rank"] = rank
        rows.extend(found)
    columns = ["phrase", "language", "n", "count", "docs", "llr", "pmi", "rank"]
    return pd.DataFrame(rows, columns=["key", *columns])


def reference_table(counter: kw.TermCounter, *, min_count: int = 2, top: int = 500) -> pd.DataFrame:
    """The first ``TermCounter.table``: one DataFrame per group, ties broken by sorting the terms."""
    terms = counter.terms_
    totals = np.asarray(counter.counts_.sum(axis=1)).ravel()
    frames = []
    for key, gid in sorted(counter.groups_.items(), key=lambda kv: kw._sort_key(kv[0])):
        row = counter.counts_.getrow(gid)
        drow = counter.docs_.getrow(gid)
        idx, counts = row.indices, row.data
        keep = counts >= min_count
        idx, counts = idx[keep], counts[keep]
        if not len(idx):
            continue
        names = terms[idx]
        order = np.lexsort((names, -counts))
        if key[0] != "corpus" and top > 0:
            order = order[:top]
        idx, counts, names = idx[order], counts[order], names[order]
        docs = kw._lookup(drow, idx)
        scope, period_type, period, source, language = key
        frames.append(
            pd.DataFrame(
                {
                    "scope": scope,
                    "period_type": period_type,
                    "period": period,
                    "source": source,
                    "language": language,
                    "term": names,
                    "phrase": [" " in t for t in names],
                    "count": counts,
                    "docs": docs,
                    "share": counts / totals[gid] if totals[gid] else 0.0,
                    "doc_share": docs / counter.group_docs_[gid] if counter.group_docs_[gid] else 0.0,
                    "group_terms": int(totals[gid]),
                    "group_docs": int(counter.group_docs_[gid]),
                    "rank": np.arange(1, len(idx) + 1),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["period"] = pd.to_datetime(out["period"])
    return out


def reference_keyness(target: pd.Series, reference: pd.Series, *, min_count: int = 5, top: int = 50) -> pd.DataFrame:
    from scipy.stats import chi2

    terms = target.index.union(reference.index)
    a = target.reindex(terms, fill_value=0).to_numpy(dtype=float)
    b = reference.reindex(terms, fill_value=0).to_numpy(dtype=float)
    total_a, total_b = a.sum(), b.sum()
    columns = ["term", "direction", "count", "count_rest", "share", "share_rest", "log_ratio", "g2", "p_value"]
    if total_a == 0 or total_b == 0:
        return pd.DataFrame(columns=columns)
    g2 = kw.log_likelihood(a, b, total_a, total_b)
    ratio = kw.log_ratio(a, b, total_a, total_b)
    keep = ((a + b) >= min_count) & (g2 >= chi2.isf(0.001, 1))
    frame = pd.DataFrame(
        {
            "term": np.asarray(terms)[keep],
            "direction": np.where(ratio[keep] > 0, "over", "under"),
            "count": a[keep].astype(np.int64),
            "count_rest": b[keep].astype(np.int64),
            "share": a[keep] / total_a,
            "share_rest": b[keep] / total_b,
            "log_ratio": ratio[keep],
            "g2": g2[keep],
        }
    )
    frame["p_value"] = kw.p_values(frame["g2"].to_numpy())
    parts = []
    for direction in ("over", "under"):
        part = frame[frame["direction"] == direction].sort_values(["g2", "term"], ascending=[False, True])
        parts.append(part.head(top) if top > 0 else part)
    return pd.concat(parts, ignore_index=True)[columns]


def reference_distinctive(
    counter: kw.TermCounter, group_types: Sequence[str], *, min_count: int, top: int
) -> pd.DataFrame:
    from sklearn.feature_extraction.text import TfidfTransformer

    terms = counter.terms_
    frames = []
    for group_type in group_types:
        groups = (
            counter.group_index(group_type)
            if group_type in ("source", "language")
            else counter.group_index("period", group_type)
        )
        if len(groups) < 2:
            continue
        matrix = counter.counts_[[gid for _, gid in groups]]
        tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(matrix).tocsr()
        totals = np.asarray(matrix.sum(axis=0)).ravel()
        used = np.flatnonzero(totals)
        all_counts = pd.Series(totals[used], index=terms[used])
        for position, (key, _gid) in enumerate(groups):
            row = np.asarray(matrix[position].todense()).ravel()[used]
            target = pd.Series(row, index=terms[used])
            table = reference_keyness(target, all_counts - target, min_count=min_count, top=top)
            if table.empty:
                continue
            weights = pd.Series(np.asarray(tfidf[position].todense()).ravel()[used], index=terms[used])
            table["tfidf"] = weights.reindex(table["term"]).to_numpy()
            table["rank"] = table.groupby("direction").cumcount() + 1
            name: Any = key[3] if group_type == "source" else key[4] if group_type == "language" else key[2]
            table.insert(0, "group", name.strftime("%Y-%m-%d") if hasattr(name, "strftime") else str(name))
            table.insert(0, "group_type", group_type)
            frames.append(table)
    return pd.concat(frames, ignore_index=True)


# --- the demo corpus, cleaned ------------------------------------------------------------------------


def clean_demo(out: Path, options: Options) -> Path:
    """The demo corpus (data/raw) loaded and cleaned into ``out`` (articles and tokens tables)."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    interim = out / ".interim" / "ingest"
    Ingestor(options.ingest, project_root=ROOT, now=now).run([ROOT / "data" / "raw"], interim)
    Cleaner.from_options(options, now=now).run(interim / ARTICLES_FILE, out, interim.parent)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory, options):
    """The demo corpus's article and token tables, and its articles as (id, tokens, language)."""
    out = clean_demo(tmp_path_factory.mktemp("demo_clean"), options)
    rows = pq.read_table(out / TOKENS_FILE, columns=["article_id", "language", "tokens"]).to_pylist()
    return out, [(r["article_id"], r["tokens"], r["language"]) for r in rows]


def _fitted(documents: list[tuple[list[str], str | None]], **params: Any) -> tuple[kw.PhraseModel, pd.DataFrame]:
    model = kw.PhraseModel(TOKENIZER, **params)
    return model.fit(documents), reference_fit(kw.PhraseModel(TOKENIZER, **params), documents)


PARAMS = [
    {"min_count": 3, "min_docs": 3},
    {"min_count": 2, "min_docs": 2},
    {"min_count": 2, "min_docs": 1, "max_phrases": 7},  # the cut leaves most candidates unscored
    {"min_count": 2, "min_docs": 2, "max_phrases": 0},
    {"min_count": 2, "min_docs": 2, "min_llr": 0.0, "min_trigram_share": 0.9},
]


@pytest.mark.parametrize("params", PARAMS)
def test_phrases_are_those_of_the_reference(demo, params):
    _, articles = demo
    documents = [(tokens, lang) for _, tokens, lang in articles]
    model, expected = _fitted(documents, **params)
    pd.testing.assert_frame_equal(model.table_, expected.drop(columns="key"), check_exact=True)
    for lang, known in model.phrases_.items():
        mine = expected[expected["language"].fillna("") == (lang or "")]
        assert known == dict(zip(mine["key"], mine["phrase"], strict=True))


def test_phrases_of_the_unit_texts_are_those_of_the_reference():
    from tests.test_keywords import PHRASE_TEXTS

    documents = [(TOKENIZER.tokens(t, "fr"), "fr") for t in PHRASE_TEXTS] + [([], "fr"), (["Seul"], None)]
    model, expected = _fitted(documents, min_count=2, min_docs=2)
    pd.testing.assert_frame_equal(model.table_, expected.drop(columns="key"), check_exact=True)
    assert model.phrases_.keys() == {"fr", None}


def test_the_scores_are_nltks_to_the_last_bit():
    """The numpy scores of every candidate equal nltk's association measures exactly (==, not close)."""
    from nltk.collocations import BigramCollocationFinder, TrigramCollocationFinder
    from nltk.metrics.association import BigramAssocMeasures, TrigramAssocMeasures

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in rng.zipf(1.3, 200_000) % 300]
    bigrams = BigramCollocationFinder.from_words(words)
    exact = dict(bigrams.score_ngrams(BigramAssocMeasures.likelihood_ratio))
    pmi = dict(bigrams.score_ngrams(BigramAssocMeasures.pmi))
    keys = list(exact)
    marginals = np.array([[bigrams.ngram_fd[k], bigrams.word_fd[k[0]], bigrams.word_fd[k[1]], bigrams.N] for k in keys])
    assert kw._llr(marginals).tolist() == [exact[k] for k in keys]
    assert [kw._pmi(2, m) for m in marginals.tolist()] == [pmi[k] for k in keys]
    trigrams = TrigramCollocationFinder.from_words(words)
    exact = dict(trigrams.score_ngrams(split_ratio))
    pmi = dict(trigrams.score_ngrams(TrigramAssocMeasures.pmi))
    keys = list(exact)
    fd, pairs, outer, single = trigrams.ngram_fd, trigrams.bigram_fd, trigrams.wildcard_fd, trigrams.word_fd
    marginals = np.array(
        [
            [
                fd[k],
                pairs[k[:2]],
                outer[(k[0], k[2])],
                pairs[k[1:]],
                single[k[0]],
                single[k[1]],
                single[k[2]],
                trigrams.N,
            ]
            for k in keys
        ]
    )
    assert len(keys) > 1000
    assert kw._split_llr(marginals).tolist() == [exact[k] for k in keys]
    assert [kw._pmi(3, m) for m in marginals.tolist()] == [pmi[k] for k in keys]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 10**8), min_size=8, max_size=8))
def test_the_scores_are_nltks_for_any_counts(extra):
    """Any counts a candidate can have, up to corpora of ~10**9 tokens (products past 2**53 included)."""
    from nltk.metrics.association import BigramAssocMeasures, TrigramAssocMeasures

    # built up from the trigram (seen at least once): each pair at least as often, each word at
    # least as often as both its pairs together, the total at least all the words together
    n_iii = 1 + extra[0]
    n_iix, n_ixi, n_xii = (n_iii + e for e in extra[1:4])
    n_ixx, n_xix, n_xxi = n_iix + n_ixi + extra[4], n_iix + n_xii + extra[5], n_ixi + n_xii + extra[6]
    total = n_ixx + n_xix + n_xxi + extra[7]
    bigram = [n_iix, n_ixx, n_xix, total]
    expected2 = BigramAssocMeasures.likelihood_ratio(bigram[0] / 1.0, (bigram[1], bigram[2]), bigram[3])
    assert kw._llr(np.array([bigram])).tolist() == [expected2]
    assert kw._pmi(2, bigram) == BigramAssocMeasures.pmi(bigram[0] / 1.0, (bigram[1], bigram[2]), bigram[3])
    trigram = [n_iii, n_iix, n_ixi, n_xii, n_ixx, n_xix, n_xxi, total]
    args = (trigram[0], tuple(trigram[1:4]), tuple(trigram[4:7]), trigram[7])
    assert kw._split_llr(np.array([trigram])).tolist() == [split_ratio(*args)]
    assert kw._pmi(3, trigram) == TrigramAssocMeasures.pmi(*args)


def test_terms_are_those_of_article_terms(demo):
    """The batch path (numpy merge) gives every article the terms article_terms gives it."""
    out, articles = demo
    model = kw.PhraseModel(TOKENIZER, min_count=2, min_docs=2).fit((t, lang) for _, t, lang in articles)
    assert len(model.table_) > 10
    table = pq.read_table(out / TOKENS_FILE, columns=["article_id", "language", "tokens"])
    tokenizer = Tokenizer()
    for phrases in (model.phrases_, None):
        part = kw._terms_part(table, tokenizer, phrases, {})
        got = part.table.column("terms").to_pylist()
        for (_, tokens, lang), terms in zip(articles, got, strict=True):
            expected = kw.article_terms(TOKENIZER, tokens, lang, model if phrases else None)
            assert terms == expected
    # The word-by-word merge (phrase tables too large for integer codes) gives the same terms.
    lexicons = [kw._lexicon(tokenizer, lang) for lang in model.phrases_]
    for lexicon in lexicons:
        lexicon.matcher(model.phrases_[lexicon.lang]).vectorised = False
    try:
        slow = kw._terms_part(table, tokenizer, model.phrases_, {}).table.column("terms").to_pylist()
    finally:
        for lexicon in lexicons:
            lexicon.matchers.clear()
    assert slow == [kw.article_terms(TOKENIZER, t, lang, model) for _, t, lang in articles]


def test_tables_are_those_of_the_reference(demo):
    out, articles = demo
    articles_table = kw.read_meta(out / ARTICLES_FILE)
    tokens = pd.DataFrame(
        {
            "article_id": [a for a, _, _ in articles],
            "language": [lang for _, _, lang in articles],
            "tokens": [t for _, t, _ in articles],
        }
    )
    options = kw.KeywordOptions(periods=("week", "month", "year"), phrase_min_count=2, phrase_min_docs=2)
    counter = kw.count_terms(articles_table, tokens, options)
    for min_count, top in ((1, 0), (2, 5), (3, 500)):
        pd.testing.assert_frame_equal(
            counter.table(min_count=min_count, top=top),
            reference_table(counter, min_count=min_count, top=top),
            check_exact=True,
        )
    for min_count, top in ((1, 0), (2, 3), (5, 50)):
        got = kw.distinctive_terms(counter, ("source", "month", "year"), min_count=min_count, top=top)
        expected = reference_distinctive(counter, ("source", "month", "year"), min_count=min_count, top=top)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
    target = pd.Series({"port": 40, "pluie": 1, "le": 59, "zéro": 0})
    reference = pd.Series({"port": 5, "pluie": 40, "le": 55, "autre": 3})
    pd.testing.assert_frame_equal(
        kw.keyness(target, reference, min_count=5), reference_keyness(target, reference, min_count=5), check_exact=True
    )


def test_write_table_converts_like_value_by_value(tmp_path):
    """Columns converted at once hold what the value-by-value conversion gives (None, NaN and NaT as nulls)."""
    from analysis.schema import Column

    frame = pd.DataFrame(
        {
            "text": pd.Series(["a", None, "é", np.nan], dtype=object),
            "str": pd.Series(["x", None, "y", "z"], dtype="str"),
            "number": [1.5, np.nan, -0.0, 2.0],
            "count": np.array([1, 2, 3, 4], dtype=np.int64),
            "flag": [True, False, True, False],
            "day": pd.to_datetime(["2024-01-01", None, "2024-03-01", "2024-04-01"]),
            "mixed": pd.Series([1, "b", None, 2.5], dtype=object),
        }
    )
    columns = (
        Column("text", pa.string(), True, ""),
        Column("str", pa.string(), True, ""),
        Column("number", pa.float64(), True, ""),
        Column("count", pa.int64(), False, ""),
        Column("flag", pa.bool_(), False, ""),
        Column("day", pa.timestamp("us"), True, ""),
        Column("missing", pa.string(), True, ""),
    )
    kw.write_table(frame, tmp_path / "t.parquet", columns)
    got = pq.read_table(tmp_path / "t.parquet")
    for column in columns:
        values = frame[column.name] if column.name in frame else pd.Series([None] * len(frame))
        slow = pa.array([None if kw._missing(v) else v for v in values.tolist()], type=column.type, from_pandas=True)
        assert got.column(column.name).combine_chunks().equals(slow), column.name
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        kw.write_table(frame, tmp_path / "u.parquet", (Column("mixed", pa.string(), True, ""),))
