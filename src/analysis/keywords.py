"""What the coverage talks about: term and phrase frequencies, distinctive terms, trends, concordances.

Everything starts from the token table of the cleaning stage (``tokens.parquet``): the word tokens
of each article, and the article's date, source and language.

- **Phrases** (:class:`PhraseModel`): bigrams and trigrams scored as collocations with nltk's
  finders (log-likelihood ratio and PMI) over the lemmatised token stream, kept above frequency,
  document and significance floors. Bigrams are two content words (``intelligence
  artificielle``); a trigram is three, or two joined by a connecting stopword (``coupe du monde``,
  ``Bank of England``; :data:`CONNECTORS`), and is dropped when it merely extends a kept bigram.
  Phrases are found by their lemmas, so ``énergies renouvelables`` and ``énergie renouvelable``
  are one phrase, shown as it is most often written.
- **Terms** (:func:`article_terms`): the content terms of an article, with learnt phrases merged
  into one term (longest first, left to right) when phrases are on.
- **Frequencies** (:class:`TermCounter`): counts and document counts per group: the whole corpus,
  each period (day/week/month/quarter/year), each source, each language; raw and as shares.
- **Distinctive terms** (:func:`keyness`): log-likelihood (G², Dunning) of a term's count in a
  group against the rest of the corpus, with the log ratio (binary log of the ratio of relative
  frequencies, Hardie) as effect size and a TF-IDF score that treats each group as one document.
- **Rising and falling terms** (:func:`rising_falling`): a term's share in a window of periods
  against the window before it, tested with G² (chi-squared, 1 degree of freedom); p-values are
  corrected for the number of terms tested (Benjamini-Hochberg) and a term is reported when its
  q-value is at most ``trend_alpha`` and its log ratio at least ``trend_min_log_ratio`` in size.
- **Concordance** (:func:`concordance`): every occurrence of a term or phrase, any inflection, in
  context.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.periods import PERIOD_TYPES, period_range, period_start
from analysis.tokens import Tokenizer

#: Marks a stopword in the lemma stream given to the collocation finders (never shown).
_STOP = "\x1f"
#: Stopwords that may join the two content words of a three-word phrase (``coupe du monde``,
#: ``Bank of England``), per language; other stopwords (``soutenir la tunisie``) may not.
CONNECTORS: dict[str, frozenset[str]] = {
    "fr": frozenset({"de", "du", "des"}),  # not à/au: "appelle à lever", "MD au profit" are not names
    "en": frozenset({"of"}),
    "es": frozenset({"de", "del"}),
    "pt": frozenset({"de", "do", "da", "dos", "das"}),
    "it": frozenset({"di", "del", "della", "dei", "delle"}),
    "de": frozenset({"von", "der", "des"}),
    "nl": frozenset({"van", "der"}),
}
#: Chi-squared critical value for p = 0.001 with one degree of freedom.
G2_P001 = 10.83

TERMS_FILE = "term_frequencies.parquet"
PHRASES_FILE = "phrases.parquet"
DISTINCTIVE_FILE = "distinctive_terms.parquet"
RISING_FILE = "rising_terms.parquet"
INTERIM_TERMS_FILE = "terms.parquet"


@dataclass(frozen=True)
class KeywordOptions:
    """Options of the keyword stage (``[keywords]`` in the configuration)."""

    periods: tuple[str, ...] = ("week", "month", "quarter", "year")
    include_duplicates: bool = False
    phrases: bool = True
    phrase_min_count: int = 3
    phrase_min_docs: int = 3
    phrase_min_llr: float = G2_P001
    phrase_max: int = 5000
    phrase_sample: int = 20000
    min_count: int = 2
    top_terms: int = 500
    distinctive_by: tuple[str, ...] = ("source", "month")
    distinctive_top: int = 50
    distinctive_min_count: int = 5
    trend_period: str = "month"
    trend_window: int = 3
    trend_alpha: float = 0.05
    trend_min_count: int = 10
    trend_min_log_ratio: float = 0.5

    def __post_init__(self) -> None:
        for period in (*self.periods, self.trend_period):
            if period not in PERIOD_TYPES:
                raise ValueError(f"unknown period {period!r}: one of {', '.join(PERIOD_TYPES)}")
        for group in self.distinctive_by:
            if group not in ("source", "language", *PERIOD_TYPES):
                raise ValueError(f"keywords.distinctive_by: {group!r} is not source, language or a period")
        if self.trend_window < 1:
            raise ValueError("keywords.trend_window must be at least 1")


# --- phrases ------------------------------------------------------------------------------------


def lemma_stream(tokenizer: Tokenizer, tokens: Sequence[str], lang: str | None) -> list[str]:
    """Each token as its term, or as a marked lower-case stopword (the input of phrase finding)."""
    return [
        term if term is not None else _STOP + token.lower()
        for token, term in zip(tokens, tokenizer.reduced(tokens, lang), strict=True)
    ]


def _rare(doc_freq: Counter[tuple[str, ...]], min_docs: int, *gram: str) -> bool:
    return doc_freq[gram] < min_docs


def _surfaces(
    keys: set[tuple[str, ...]], streams: Sequence[Sequence[str]], tokens: Sequence[Sequence[str]]
) -> dict[tuple[str, ...], str]:
    """How each phrase is most often written (lower-cased tokens; ties alphabetical)."""
    seen: dict[tuple[str, ...], Counter[str]] = {}
    for words, surface in zip(streams, tokens, strict=True):
        for size in (2, 3):
            for i in range(len(words) - size + 1):
                gram = tuple(words[i : i + size])
                if gram in keys:
                    seen.setdefault(gram, Counter())[" ".join(surface[i : i + size])] += 1
    return {key: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, counts in seen.items()}


def _shown(words: Iterable[str]) -> str:
    return " ".join(w.removeprefix(_STOP) for w in words)


@dataclass
class PhraseModel:
    """Collocations learnt from a corpus, then merged into each article's terms.

    Follows the scikit-learn contract: ``fit`` learns ``phrases_`` (per language, the lemma tuple
    of each phrase and how it is written) and ``table_`` (every kept phrase with its scores).
    """

    tokenizer: Tokenizer
    min_count: int = 5
    min_docs: int = 3
    min_llr: float = G2_P001
    max_phrases: int = 5000
    min_trigram_share: float = 0.5
    connectors: Mapping[str, frozenset[str]] = field(default_factory=lambda: dict(CONNECTORS))
    phrases_: dict[str | None, dict[tuple[str, ...], str]] = field(default_factory=dict, init=False)
    table_: pd.DataFrame = field(default_factory=pd.DataFrame, init=False)

    def fit(self, documents: Iterable[tuple[Sequence[str], str | None]]) -> PhraseModel:
        """Learn phrases from ``(tokens, language)`` pairs (the articles of a sample)."""
        from nltk.collocations import (
            BigramAssocMeasures,
            BigramCollocationFinder,
            TrigramAssocMeasures,
            TrigramCollocationFinder,
        )

        streams: dict[str | None, list[list[str]]] = {}
        lowered: dict[str | None, list[list[str]]] = {}
        for tokens, lang in documents:
            streams.setdefault(lang, []).append(lemma_stream(self.tokenizer, tokens, lang))
            lowered.setdefault(lang, []).append([t.lower() if not t.isupper() else t for t in tokens])
        rows: list[dict[str, Any]] = []
        self.phrases_ = {}
        for lang in sorted(streams, key=lambda k: k or ""):
            docs = streams[lang]
            doc_freq: Counter[tuple[str, ...]] = Counter()
            for words in docs:
                seen = set(itertools.pairwise(words)) | set(zip(words, words[1:], words[2:], strict=False))
                doc_freq.update(seen)
            found: list[dict[str, Any]] = []
            bigrams = BigramCollocationFinder.from_documents(docs)
            trigrams = TrigramCollocationFinder.from_documents(docs)
            for finder, measures, size in (
                (bigrams, BigramAssocMeasures, 2),
                (trigrams, TrigramAssocMeasures, 3),
            ):
                finder.apply_freq_filter(self.min_count)
                if size == 2:
                    finder.apply_ngram_filter(lambda a, b: a[0] == _STOP or b[0] == _STOP)
                else:
                    joins = self.connectors.get(lang or "", frozenset())
                    finder.apply_ngram_filter(
                        lambda a, b, c, joins=joins: (
                            a[0] == _STOP or c[0] == _STOP or (b[0] == _STOP and b[1:] not in joins)
                        )
                    )
                finder.apply_ngram_filter(partial(_rare, doc_freq, self.min_docs))
                pmi = dict(finder.score_ngrams(measures.pmi))
                for gram, llr in finder.score_ngrams(measures.likelihood_ratio):
                    if llr < self.min_llr:
                        continue
                    found.append(
                        {
                            "key": gram,
                            "phrase": _shown(gram),
                            "language": lang,
                            "n": size,
                            "count": int(finder.ngram_fd[gram]),
                            "docs": int(doc_freq[gram]),
                            "llr": round(float(llr), 4),
                            "pmi": round(float(pmi[gram]), 4),
                        }
                    )
            found = self._drop_extensions(found)
            found.sort(key=lambda r: (-r["llr"], r["phrase"]))
            found = found[: self.max_phrases]
            written = _surfaces({row["key"] for row in found}, docs, lowered[lang])
            for row in found:
                row["phrase"] = written.get(row["key"], row["phrase"])
            for rank, row in enumerate(found, 1):
                row["rank"] = rank
            self.phrases_[lang] = {row["key"]: row["phrase"] for row in found}
            rows.extend(found)
        columns = ["phrase", "language", "n", "count", "docs", "llr", "pmi", "rank"]
        self.table_ = pd.DataFrame(rows, columns=["key", *columns])[columns]
        return self

    def _drop_extensions(self, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Trigrams that only extend a phrase (``kaïs saïed reçoit``) are not phrases themselves.

        A trigram containing a kept bigram is kept only when it accounts for at least
        ``min_trigram_share`` of that bigram's occurrences (trigram scores are dominated by a
        strong pair inside them).
        """
        pairs = {row["key"]: row["count"] for row in found if row["n"] == 2}
        kept = []
        for row in found:
            if row["n"] == 3:
                a, b, c = row["key"]
                subs = ((a, b), (b, c))
                if any(sub in pairs and row["count"] < self.min_trigram_share * pairs[sub] for sub in subs):
                    continue
            kept.append(row)
        return kept

    def merge(self, words: Sequence[str], lang: str | None) -> list[str]:
        """Content terms of a lemma stream, each learnt phrase made one term (longest first)."""
        known = self.phrases_.get(lang)
        out: list[str] = []
        i, n = 0, len(words)
        while i < n:
            if known:
                tri = tuple(words[i : i + 3])
                if len(tri) == 3 and tri in known:
                    out.append(known[tri])
                    i += 3
                    continue
                bi = tri[:2]
                if len(bi) == 2 and bi in known:
                    out.append(known[bi])
                    i += 2
                    continue
            word = words[i]
            if word[0] != _STOP:
                out.append(word)
            i += 1
        return out


def article_terms(
    tokenizer: Tokenizer, tokens: Sequence[str], lang: str | None, phrases: PhraseModel | None = None
) -> list[str]:
    """The content terms of one article, with learnt phrases as single terms when ``phrases`` is given."""
    if phrases is None:
        return tokenizer.terms(tokens, lang)
    return phrases.merge(lemma_stream(tokenizer, tokens, lang), lang)


def sample_ids(ids: Iterable[str], size: int) -> set[str]:
    """A deterministic sample of article ids, independent of their order (smallest hashes)."""
    import hashlib

    def key(article_id: str) -> bytes:
        return hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest()

    return set(heapq.nsmallest(size, ids, key=key)) if size > 0 else set()


# --- groups and counting ------------------------------------------------------------------------


GroupKey = tuple[str, str | None, Any, str | None, str | None]  # scope, period_type, period, source, language


def article_groups(
    meta: pd.DataFrame, periods: Sequence[str], *, include_duplicates: bool = False
) -> dict[str, list[GroupKey]]:
    """The groups each counted article belongs to: the corpus, its periods, its source, its language.

    Copies (``duplicate_of`` set) belong to none unless ``include_duplicates``; undated articles
    belong to no period.
    """
    base = meta if include_duplicates else meta[meta["duplicate_of"].isna()]
    ids = base["article_id"].astype(str).tolist()
    groups: dict[str, list[GroupKey]] = {i: [("corpus", None, None, None, None)] for i in ids}
    dated = base["published"].notna().to_numpy()
    for period in periods:
        starts = period_start(base["published"], period)
        for article_id, start, has_date in zip(ids, starts, dated, strict=True):
            if has_date:
                groups[article_id].append(("period", period, start.to_pydatetime(), None, None))
    for article_id, source in zip(ids, base["source"], strict=True):
        if isinstance(source, str) and source:
            groups[article_id].append(("source", None, None, source, None))
    for article_id, lang in zip(ids, base["language"], strict=True):
        if isinstance(lang, str) and lang:
            groups[article_id].append(("language", None, None, None, lang))
    return groups


class TermCounter:
    """Term and document counts per group, accumulated batch by batch as sparse matrices."""

    def __init__(self) -> None:
        self.vocabulary_: dict[str, int] = {}
        self.groups_: dict[GroupKey, int] = {}
        self._parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self._pending = 0
        self.counts_: Any = None
        self.docs_: Any = None
        self.group_docs_: np.ndarray = np.zeros(0, dtype=np.int64)

    def partial_fit(self, documents: Iterable[tuple[Sequence[GroupKey], Sequence[str]]]) -> TermCounter:
        """Add articles, each given as (its groups, its terms)."""
        rows: list[int] = []
        cols: list[int] = []
        group_rows: list[int] = []
        group_cols: list[int] = []
        vocab = self.vocabulary_
        doc = -1
        for doc, (keys, terms) in enumerate(documents):
            for term in terms:
                index = vocab.get(term)
                if index is None:
                    index = vocab[term] = len(vocab)
                cols.append(index)
            rows.extend([doc] * (len(cols) - len(rows)))
            for key in keys:
                gid = self.groups_.get(key)
                if gid is None:
                    gid = self.groups_[key] = len(self.groups_)
                group_rows.append(gid)
                group_cols.append(doc)
        if doc < 0:
            return self
        from scipy import sparse

        n_docs = doc + 1
        x = sparse.csr_matrix(
            (np.ones(len(cols), dtype=np.int64), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
            shape=(n_docs, len(vocab)),
        )
        x.sum_duplicates()
        g = sparse.csr_matrix(
            (np.ones(len(group_rows), dtype=np.int64), (group_rows, group_cols)), shape=(len(self.groups_), n_docs)
        )
        counts = (g @ x).tocoo()
        present = x.copy()
        present.data[:] = 1
        docs = (g @ present).tocoo()
        group_docs = np.asarray(g.sum(axis=1)).ravel()
        if len(self.group_docs_) < len(group_docs):
            self.group_docs_ = np.pad(self.group_docs_, (0, len(group_docs) - len(self.group_docs_)))
        self.group_docs_[: len(group_docs)] += group_docs
        self._parts.append((counts.row, counts.col, counts.data, docs.data))
        self._pending += len(counts.data)
        if self._pending > 20_000_000:
            self._consolidate()
        return self

    def _consolidate(self) -> None:
        from scipy import sparse

        if not self._parts:
            return
        row = np.concatenate([p[0] for p in self._parts])
        col = np.concatenate([p[1] for p in self._parts])
        shape = (len(self.groups_), len(self.vocabulary_))
        counts = sparse.csr_matrix((np.concatenate([p[2] for p in self._parts]), (row, col)), shape=shape)
        docs = sparse.csr_matrix((np.concatenate([p[3] for p in self._parts]), (row, col)), shape=shape)
        if self.counts_ is not None:
            counts = counts + _resize(self.counts_, shape)
            docs = docs + _resize(self.docs_, shape)
        counts.sum_duplicates()
        docs.sum_duplicates()
        self.counts_, self.docs_ = counts.tocsr(), docs.tocsr()
        self._parts, self._pending = [], 0

    def finish(self) -> TermCounter:
        """Sum what was added into ``counts_`` and ``docs_`` (groups x terms)."""
        self._consolidate()
        if self.counts_ is None:
            from scipy import sparse

            self.counts_ = sparse.csr_matrix((len(self.groups_), len(self.vocabulary_)), dtype=np.int64)
            self.docs_ = self.counts_.copy()
        return self

    @property
    def terms_(self) -> np.ndarray:
        terms = np.empty(len(self.vocabulary_), dtype=object)
        for term, index in self.vocabulary_.items():
            terms[index] = term
        return terms

    def group_index(self, scope: str, period_type: str | None = None) -> list[tuple[GroupKey, int]]:
        """Groups of one scope (and period type), sorted by their key."""
        chosen = [
            (key, gid)
            for key, gid in self.groups_.items()
            if key[0] == scope and (period_type is None or key[1] == period_type)
        ]
        return sorted(chosen, key=lambda kv: tuple("" if v is None else str(v) for v in kv[0]))

    def table(self, *, min_count: int = 2, top: int = 500) -> pd.DataFrame:
        """The term-frequency table: one row per group and term (see ``TERM_FREQUENCY_COLUMNS``).

        The corpus group keeps every term counted at least ``min_count`` times; other groups keep
        their ``top`` most frequent such terms (0 keeps all).
        """
        terms = self.terms_
        totals = np.asarray(self.counts_.sum(axis=1)).ravel()
        frames = []
        for key, gid in sorted(self.groups_.items(), key=lambda kv: _sort_key(kv[0])):
            row = self.counts_.getrow(gid)
            drow = self.docs_.getrow(gid)
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
            docs = _lookup(drow, idx)
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
                        "doc_share": docs / self.group_docs_[gid] if self.group_docs_[gid] else 0.0,
                        "group_terms": int(totals[gid]),
                        "group_docs": int(self.group_docs_[gid]),
                        "rank": np.arange(1, len(idx) + 1),
                    }
                )
            )
        if not frames:
            return pd.DataFrame(columns=[c for c in TERM_FREQUENCY_FIELDS])
        out = pd.concat(frames, ignore_index=True)
        out["period"] = pd.to_datetime(out["period"])
        return out


TERM_FREQUENCY_FIELDS = (
    "scope",
    "period_type",
    "period",
    "source",
    "language",
    "term",
    "phrase",
    "count",
    "docs",
    "share",
    "doc_share",
    "group_terms",
    "group_docs",
    "rank",
)


def _sort_key(key: GroupKey) -> tuple[int, str, str, str, str]:
    order = {"corpus": 0, "period": 1, "source": 2, "language": 3}
    scope, period_type, period, source, language = key
    ptype = str(PERIOD_TYPES.index(period_type)) if period_type else ""
    return (order[scope], ptype, str(period or ""), source or "", language or "")


def _lookup(row: Any, idx: np.ndarray) -> np.ndarray:
    """Values of a sparse row at sorted-or-not column indices (0 where absent)."""
    positions = np.searchsorted(row.indices, idx)
    positions = np.clip(positions, 0, max(len(row.indices) - 1, 0))
    found = (len(row.indices) > 0) & (row.indices[positions] == idx) if len(row.indices) else np.zeros(len(idx), bool)
    return np.where(found, row.data[positions] if len(row.data) else 0, 0)


def _resize(matrix: Any, shape: tuple[int, int]) -> Any:
    matrix = matrix.tocsr().copy()
    matrix.resize(shape)
    return matrix


# --- distinctive terms --------------------------------------------------------------------------


def log_likelihood(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> np.ndarray:
    """Dunning's G² for counts ``a`` (of ``total_a``) against ``b`` (of ``total_b``), elementwise."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    expected_a = total_a * (a + b) / (total_a + total_b)
    expected_b = total_b * (a + b) / (total_a + total_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        part_a = np.where(a > 0, a * np.log(a / expected_a), 0.0)
        part_b = np.where(b > 0, b * np.log(b / expected_b), 0.0)
    return 2.0 * (part_a + part_b)


def log_ratio(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> np.ndarray:
    """Binary log of the ratio of relative frequencies (0.5 added to zero counts)."""
    a = np.where(np.asarray(a) == 0, 0.5, a).astype(float)
    b = np.where(np.asarray(b) == 0, 0.5, b).astype(float)
    return np.log2((a / total_a) / (b / total_b))


def p_values(g2: np.ndarray) -> np.ndarray:
    """Chi-squared (1 degree of freedom) upper-tail probability of each G²."""
    from scipy.stats import chi2

    return np.asarray(chi2.sf(np.asarray(g2, dtype=float), 1))


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """False-discovery-rate q-values of p-values (Benjamini-Hochberg step-up)."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    if not n:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def keyness(
    target: pd.Series, reference: pd.Series, *, min_count: int = 5, top: int = 50, alpha: float = 0.001
) -> pd.DataFrame:
    """Terms over- and under-used in ``target`` against ``reference`` (term -> count Series each).

    Returns one row per term whose G² is significant at ``alpha`` (and which is counted at least
    ``min_count`` times in the two together): the ``top`` over-used terms (``direction`` = ``over``,
    by G²) then the ``top`` under-used ones, with counts, shares, G², p-value and log ratio.
    """
    from scipy.stats import chi2

    terms = target.index.union(reference.index)
    a = target.reindex(terms, fill_value=0).to_numpy(dtype=float)
    b = reference.reindex(terms, fill_value=0).to_numpy(dtype=float)
    total_a, total_b = a.sum(), b.sum()
    columns = ["term", "direction", "count", "count_rest", "share", "share_rest", "log_ratio", "g2", "p_value"]
    if total_a == 0 or total_b == 0:
        return pd.DataFrame(columns=columns)
    g2 = log_likelihood(a, b, total_a, total_b)
    ratio = log_ratio(a, b, total_a, total_b)
    keep = ((a + b) >= min_count) & (g2 >= chi2.isf(alpha, 1))
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
    frame["p_value"] = p_values(frame["g2"].to_numpy())
    parts = []
    for direction in ("over", "under"):
        part = frame[frame["direction"] == direction].sort_values(["g2", "term"], ascending=[False, True])
        parts.append(part.head(top) if top > 0 else part)
    return pd.concat(parts, ignore_index=True)[columns]


def distinctive_terms(
    counter: TermCounter, group_types: Sequence[str], *, min_count: int = 5, top: int = 50
) -> pd.DataFrame:
    """Keyness of each group of the given types (``source``, ``language`` or a period) against the rest.

    Adds ``tfidf``: the group's TF-IDF weight for the term when every group of the type is one
    document (scikit-learn's ``TfidfTransformer``, smooth idf, sublinear tf, l2 norm).
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    terms = counter.terms_
    frames = []
    for group_type in group_types:
        if group_type in ("source", "language"):
            groups = counter.group_index(group_type)
        else:
            groups = counter.group_index("period", group_type)
        if len(groups) < 2:
            continue
        gids = [gid for _, gid in groups]
        matrix = counter.counts_[gids]
        tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(matrix).tocsr()
        totals = np.asarray(matrix.sum(axis=0)).ravel()
        used = np.flatnonzero(totals)
        all_counts = pd.Series(totals[used], index=terms[used])
        for position, (key, _gid) in enumerate(groups):
            row = np.asarray(matrix[position].todense()).ravel()[used]
            target = pd.Series(row, index=terms[used])
            table = keyness(target, all_counts - target, min_count=min_count, top=top)
            if table.empty:
                continue
            weights = pd.Series(np.asarray(tfidf[position].todense()).ravel()[used], index=terms[used])
            table["tfidf"] = weights.reindex(table["term"]).to_numpy()
            table["rank"] = table.groupby("direction").cumcount() + 1
            name: Any = key[3] if group_type == "source" else key[4] if group_type == "language" else key[2]
            table.insert(0, "group", name.strftime("%Y-%m-%d") if hasattr(name, "strftime") else str(name))
            table.insert(0, "group_type", group_type)
            frames.append(table)
    columns = [
        "group_type",
        "group",
        "term",
        "direction",
        "count",
        "count_rest",
        "share",
        "share_rest",
        "log_ratio",
        "g2",
        "p_value",
        "tfidf",
        "rank",
    ]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


# --- rising and falling -------------------------------------------------------------------------


def period_counts(counter: TermCounter, period_type: str) -> tuple[list[Any], Any, np.ndarray]:
    """Periods (sorted), their term-count matrix (periods x terms) and total terms per period."""
    groups = counter.group_index("period", period_type)
    periods = [key[2] for key, _ in groups]
    matrix = counter.counts_[[gid for _, gid in groups]] if groups else counter.counts_[:0]
    return periods, matrix, np.asarray(matrix.sum(axis=1)).ravel()


def rising_falling(
    counter: TermCounter,
    *,
    period_type: str = "month",
    window: int = 3,
    window_end: Any = None,
    alpha: float = 0.05,
    min_count: int = 10,
    min_log_ratio: float = 0.5,
) -> pd.DataFrame:
    """Terms whose share in the last ``window`` periods differs from the ``window`` periods before.

    The window ends with the period starting at ``window_end`` (default: the last period with
    articles). Each term counted at least ``min_count`` times in the two windows together is
    tested (G², 1 degree of freedom); q-values are Benjamini-Hochberg over the tested terms. Rows
    with ``q_value <= alpha`` and ``|log_ratio| >= min_log_ratio`` are returned, rising then
    falling, each by G².
    """
    columns = [
        "period_type",
        "window_start",
        "window_end",
        "baseline_start",
        "baseline_end",
        "term",
        "direction",
        "count",
        "count_baseline",
        "share",
        "share_baseline",
        "log_ratio",
        "g2",
        "p_value",
        "q_value",
        "rank",
    ]
    periods, matrix, _ = period_counts(counter, period_type)
    if not periods:
        return pd.DataFrame(columns=columns)
    # Every period between the first and the last, even those without articles.
    starts = period_range(periods[0], periods[-1], period_type)
    end = pd.Timestamp(window_end) if window_end is not None else pd.Timestamp(periods[-1])
    position = {pd.Timestamp(p): i for i, p in enumerate(periods)}
    where = int(np.searchsorted(starts, end, side="right")) - 1
    if where < 2 * window - 1:
        return pd.DataFrame(columns=columns)
    window_periods = starts[where - window + 1 : where + 1]
    base_periods = starts[where - 2 * window + 1 : where - window + 1]

    def summed(chosen: Any) -> np.ndarray:
        rows = [position[p] for p in chosen if p in position]
        if not rows:
            return np.zeros(matrix.shape[1])
        return np.asarray(matrix[rows].sum(axis=0)).ravel().astype(float)

    a, b = summed(window_periods), summed(base_periods)
    total_a, total_b = a.sum(), b.sum()
    if total_a == 0 or total_b == 0:
        return pd.DataFrame(columns=columns)
    tested = np.flatnonzero((a + b) >= min_count)
    g2 = log_likelihood(a[tested], b[tested], total_a, total_b)
    ratio = log_ratio(a[tested], b[tested], total_a, total_b)
    p = p_values(g2)
    q = benjamini_hochberg(p)
    keep = (q <= alpha) & (np.abs(ratio) >= min_log_ratio)
    frame = pd.DataFrame(
        {
            "term": counter.terms_[tested][keep],
            "direction": np.where(ratio[keep] > 0, "rising", "falling"),
            "count": a[tested][keep].astype(np.int64),
            "count_baseline": b[tested][keep].astype(np.int64),
            "share": a[tested][keep] / total_a,
            "share_baseline": b[tested][keep] / total_b,
            "log_ratio": ratio[keep],
            "g2": g2[keep],
            "p_value": p[keep],
            "q_value": q[keep],
        }
    )
    frame = frame.sort_values(["direction", "g2", "term"], ascending=[False, False, True], kind="stable")
    frame["rank"] = frame.groupby("direction").cumcount() + 1
    frame.insert(0, "baseline_end", base_periods[-1])
    frame.insert(0, "baseline_start", base_periods[0])
    frame.insert(0, "window_end", window_periods[-1])
    frame.insert(0, "window_start", window_periods[0])
    frame.insert(0, "period_type", period_type)
    return frame.reset_index(drop=True)[columns]


# --- keyword in context -------------------------------------------------------------------------


def _keys(tokenizer: Tokenizer, tokens: Sequence[str], lang: str | None) -> list[str]:
    """Matching keys: the term of a content token, the lower-cased token of a stopword."""
    reduced = tokenizer.reduced(tokens, lang)
    return [term if term is not None else token.lower() for token, term in zip(tokens, reduced, strict=True)]


def concordance(
    articles: pd.DataFrame,
    query: str,
    *,
    width: int = 60,
    limit: int | None = None,
    tokenizer: Tokenizer | None = None,
) -> pd.DataFrame:
    """Every occurrence of a term or phrase in the articles' titles and texts, in context.

    The query is tokenised and lemmatised like the articles, so ``élection`` finds ``élections``
    and ``Élections``, and ``énergie renouvelable`` finds ``énergies renouvelables``; an elided
    article in the text (``sommet d'Abidjan``) matches the query without it. Each row has
    ``left``, ``match``, ``right`` (``width`` characters each side, on one line), ``article_id``,
    ``published``, ``source``, ``field`` (``title`` or ``text``) and ``start`` (offset in that field).
    Rows are ordered by date, article and offset; ``limit`` keeps the first ones.
    """
    from analysis.text import fold

    tokenizer = tokenizer or Tokenizer()
    columns = ["published", "source", "article_id", "field", "start", "left", "match", "right"]
    query_keys: dict[str | None, list[str]] = {}
    prefixes = [fold(word)[:3] for word in query.split() if len(word) > 2]
    rows: list[dict[str, Any]] = []
    frame = articles.sort_values(["published", "article_id"], na_position="last", kind="stable")
    for record in frame[["article_id", "published", "source", "language", "title", "text"]].itertuples(index=False):
        lang = record.language if isinstance(record.language, str) else None
        if lang not in query_keys:
            query_keys[lang] = _keys(tokenizer, tokenizer.tokens(query, lang), lang)
        wanted = query_keys[lang]
        if not wanted:
            continue
        size = len(wanted)
        for field_name in ("title", "text"):
            content = getattr(record, field_name)
            if not isinstance(content, str) or not content:
                continue
            folded = fold(content)
            if any(prefix not in folded for prefix in prefixes):
                continue
            spans = tokenizer.spans(content, lang)
            keys = _keys(tokenizer, [t for _, _, t in spans], lang)
            for i in range(len(keys) - size + 1):
                if keys[i : i + size] != wanted:
                    continue
                start, end = spans[i][0], spans[i + size - 1][1]
                rows.append(
                    {
                        "published": record.published,
                        "source": record.source,
                        "article_id": record.article_id,
                        "field": field_name,
                        "start": start,
                        "left": _flat(content[max(0, start - width) : start])[-width:],
                        "match": content[start:end],
                        "right": _flat(content[end : end + width])[:width],
                    }
                )
        if limit is not None and len(rows) >= limit:
            break
    out = pd.DataFrame(rows, columns=columns)
    return out.head(limit) if limit is not None else out


def _flat(text: str) -> str:
    return " ".join(text.split()) if "\n" in text else text


# --- word clouds ----------------------------------------------------------------------------------


def cloud_frequencies(
    frequencies: pd.DataFrame,
    *,
    scope: str = "corpus",
    period_type: str | None = None,
    period: Any = None,
    source: str | None = None,
    language: str | None = None,
    top: int = 200,
) -> dict[str, int]:
    """``{term: count}`` of one group of ``term_frequencies`` (what ``WordCloud.generate_from_frequencies`` takes)."""
    mask = frequencies["scope"] == scope
    if period_type is not None:
        mask &= frequencies["period_type"] == period_type
    if period is not None:
        mask &= frequencies["period"] == pd.Timestamp(period)
    if source is not None:
        mask &= frequencies["source"] == source
    if language is not None:
        mask &= frequencies["language"] == language
    chosen = frequencies[mask].sort_values(["count", "term"], ascending=[False, True]).head(top)
    return {str(t): int(c) for t, c in zip(chosen["term"], chosen["count"], strict=True)}


# --- pandas entry points ------------------------------------------------------------------------


def term_counts(term_lists: Iterable[Sequence[str]]) -> pd.Series:
    """Occurrences of each term over some articles' term lists (``tokens.parquet``'s ``terms``).

    With :func:`keyness`, compares any subset with the rest:
    ``keyness(term_counts(t[mask]), term_counts(t[~mask]))``.
    """
    counts: Counter[str] = Counter()
    for terms in term_lists:
        counts.update(terms)
    return pd.Series(counts, dtype="int64").sort_index()


def count_terms(
    articles: pd.DataFrame,
    tokens: pd.DataFrame,
    options: KeywordOptions | None = None,
    *,
    tokenizer: Tokenizer | None = None,
    phrases: PhraseModel | None = None,
) -> TermCounter:
    """Term counts per group from in-memory tables (the processed articles and their tokens).

    ``counter.table()`` is the term-frequency table; pass the counter to
    :func:`distinctive_terms` and :func:`rising_falling`. Phrases are learnt from ``tokens`` when
    ``options.phrases`` and no ``phrases`` model is given.
    """
    options = options or KeywordOptions()
    tokenizer = tokenizer or Tokenizer()
    groups = article_groups(articles, options.periods, include_duplicates=options.include_duplicates)
    rows = tokens[["article_id", "language", "tokens"]].itertuples(index=False)
    rows = [(str(a), lang if isinstance(lang, str) else None, list(t)) for a, lang, t in rows]
    if phrases is None and options.phrases:
        wanted = sample_ids(groups, options.phrase_sample)
        phrases = PhraseModel(
            tokenizer,
            min_count=options.phrase_min_count,
            min_docs=options.phrase_min_docs,
            min_llr=options.phrase_min_llr,
            max_phrases=options.phrase_max,
        ).fit((t, lang) for a, lang, t in rows if a in wanted)
    counter = TermCounter()
    counter.partial_fit(
        (groups[a], article_terms(tokenizer, t, lang, phrases)) for a, lang, t in rows if a in groups
    )
    return counter.finish()


# --- the stage ----------------------------------------------------------------------------------


def iter_tokens(path: Path, *, batch_size: int = 2000) -> Iterator[list[dict[str, Any]]]:
    """Batches of ``{article_id, language, tokens}`` rows of a token table."""
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=["article_id", "language", "tokens"]):
        yield batch.to_pylist()


def read_meta(articles: Path) -> pd.DataFrame:
    """The columns of a processed article table that grouping needs."""
    import pyarrow.parquet as pq

    return pq.read_table(
        articles, columns=["article_id", "published", "source", "language", "duplicate_of"]
    ).to_pandas(types_mapper=pd.ArrowDtype)


def fit_phrases(
    tokens_path: Path, wanted: set[str], tokenizer: Tokenizer, options: KeywordOptions, *, batch_size: int = 2000
) -> PhraseModel:
    """A phrase model learnt from the articles in ``wanted`` (a sample)."""

    def documents() -> Iterator[tuple[Sequence[str], str | None]]:
        for rows in iter_tokens(tokens_path, batch_size=batch_size):
            for row in rows:
                if row["article_id"] in wanted:
                    yield row["tokens"], row["language"]

    return PhraseModel(
        tokenizer,
        min_count=options.phrase_min_count,
        min_docs=options.phrase_min_docs,
        min_llr=options.phrase_min_llr,
        max_phrases=options.phrase_max,
    ).fit(documents())


def run_stage(
    articles: Path,
    tokens_path: Path,
    out_dir: Path,
    interim: Path,
    options: KeywordOptions,
    tokenizer: Tokenizer,
    *,
    batch_size: int = 2000,
) -> dict[str, Any]:
    """Phrases, every article's terms (``interim/terms.parquet``, for the topic stage), then the tables.

    Writes ``term_frequencies``, ``phrases``, ``distinctive_terms`` and ``rising_terms`` (Parquet)
    into ``out_dir``; returns counts for the manifest.
    """
    import pyarrow as pa

    from analysis.io.store import ParquetWriter
    from analysis.schema import (
        DISTINCTIVE_COLUMNS,
        PHRASE_COLUMNS,
        RISING_COLUMNS,
        TERM_FREQUENCY_COLUMNS,
    )

    meta = read_meta(articles)
    groups = article_groups(meta, options.periods, include_duplicates=options.include_duplicates)
    model: PhraseModel | None = None
    if options.phrases:
        model = fit_phrases(
            tokens_path, sample_ids(groups, options.phrase_sample), tokenizer, options, batch_size=batch_size
        )
    counter = TermCounter()
    terms_schema = pa.schema([pa.field("article_id", pa.string(), False), pa.field("terms", pa.list_(pa.string()))])
    writer = ParquetWriter(interim / INTERIM_TERMS_FILE, terms_schema)
    try:
        for rows in iter_tokens(tokens_path, batch_size=batch_size):
            batch = [
                {
                    "article_id": row["article_id"],
                    "terms": article_terms(tokenizer, row["tokens"], row["language"], model),
                }
                for row in rows
            ]
            writer.write(batch)
            counter.partial_fit((groups[r["article_id"]], r["terms"]) for r in batch if r["article_id"] in groups)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    counter.finish()
    phrases = model.table_ if model is not None else pd.DataFrame(columns=[c.name for c in PHRASE_COLUMNS])
    tables = [
        (counter.table(min_count=options.min_count, top=options.top_terms), TERMS_FILE, TERM_FREQUENCY_COLUMNS),
        (phrases, PHRASES_FILE, PHRASE_COLUMNS),
        (
            distinctive_terms(
                counter, options.distinctive_by, min_count=options.distinctive_min_count, top=options.distinctive_top
            ),
            DISTINCTIVE_FILE,
            DISTINCTIVE_COLUMNS,
        ),
        (
            rising_falling(
                counter,
                period_type=options.trend_period,
                window=options.trend_window,
                alpha=options.trend_alpha,
                min_count=options.trend_min_count,
                min_log_ratio=options.trend_min_log_ratio,
            ),
            RISING_FILE,
            RISING_COLUMNS,
        ),
    ]
    counts: dict[str, Any] = {"articles_counted": len(groups), "vocabulary": len(counter.vocabulary_)}
    for frame, name, columns in tables:
        write_table(frame, out_dir / name, columns)
        counts[name.removesuffix(".parquet")] = len(frame)
    return counts


def write_table(frame: pd.DataFrame, target: Path, columns: tuple[Any, ...]) -> None:
    """Write a DataFrame with exactly the described columns, in order and types, atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.io.store import atomic_path
    from analysis.schema import arrow_schema

    schema = arrow_schema(columns)
    data = {}
    for column in columns:
        values = frame[column.name] if column.name in frame else pd.Series([None] * len(frame))
        data[column.name] = pa.array(
            [None if _missing(v) else v for v in values.tolist()], type=column.type, from_pandas=True
        )
    table = pa.Table.from_pydict(data, schema=schema)
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)
