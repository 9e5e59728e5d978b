"""Topics the corpus discovers, themes the analyst follows, and how both move over time.

- **Topic model** (:class:`TopicModel`): NMF on TF-IDF of each article's terms (lemmas and learnt
  phrases, from the keyword stage) by default, LDA on raw counts as an option (scikit-learn).
  A bounded, deterministic sample of articles (``fit_sample``, those with the smallest hashes of
  their ids, in that order) gives the vocabulary, the IDF and the coherence scores; the model is
  fitted on its first articles, at most ``select_sample`` of them holding at most
  ``select_terms`` (article, term) pairs, and then weighs every article. The number of topics is
  chosen in a range by mean NPMI coherence of each topic's top terms over the whole sample (ties
  go to fewer topics), unless set: one model per candidate, the chosen one then iterated further
  (``max_iter``) and kept unless that lowers its coherence. NMF is fitted by coordinate descent
  (HALS, the Frobenius loss of scikit-learn's ``cd`` solver) in single precision from NNDSVD
  starts, every candidate's taken from one truncated SVD; an article's weights are its own
  non-negative least-squares problem, so they do not depend on which articles are weighed
  together. Deterministic: fixed seeds, sorted vocabulary, one BLAS thread while fitting, weights
  rounded in the outputs.
- **Topic tables**: each topic's label (top terms), terms with weights, coherence, share, example
  articles; each article's topic weights (normalised to sum to 1); the topic share per period
  (sum of the period's weights over its articles).
- **Themes** (:func:`load_themes`, :class:`ThemeMatcher`): named lists of terms and phrases in a
  data file (``data/themes.toml``) plus the user's ``[topics.themes]``, matched on lemmas in any
  language the tokenizer knows; an article is on a theme when its terms occur at least
  ``theme_min_hits`` times. Tracked per period next to the topics.
- **The stage** (:func:`run_stage`): every few row groups of the token table (themes) and, once
  the model is fitted, of the term table (weights) are a task on an
  :class:`~analysis.engine.Engine`; each returns small additive aggregates (and its
  ``doc_topics`` rows), combined in task order, so the outputs are the same bytes with one process
  or many. With several workers, the themes are matched while this process fits the model.
"""

from __future__ import annotations

import hashlib
import heapq
import marshal
import threading
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.cache import CacheRef, Caches, CacheUse, FileRef
from analysis.periods import check_period, period_start
from analysis.tokens import Tokenizer

if TYPE_CHECKING:
    from analysis.engine import Engine

THEMES_FILE = Path(__file__).parent / "data" / "themes.toml"
TOPICS_FILE = "topics.parquet"
DOC_TOPICS_FILE = "doc_topics.parquet"
TOPIC_TRENDS_FILE = "topic_trends.parquet"
THEME_TRENDS_FILE = "theme_trends.parquet"
TOPIC_MODEL_FILE = "topic_model.parquet"
#: The key of a saved model's Parquet metadata (JSON): what rebuilding it needs beyond its columns.
MODEL_METADATA = b"analysis.topic_model"
MODEL_FORMAT = 1

#: Candidates for the number of topics: at most this many coordinate-descent iterations each,
#: stopping earlier when the loss improves by less than ``SELECT_TOL`` (relative). A fit stopped
#: at 1e-5 (7 to 37 iterations on Le Monde's RSS) was scored where it happened to halt: with 1% of
#: the articles left out at random, ten runs chose 13, 7, 13, 13, 7, 7, 13, 13, 12 and 6 topics;
#: at 1e-6, 13 eight times, 11 and 12, for about twice the time of the candidates' fits.
SELECT_ITER = 300
SELECT_TOL = 1e-6
#: The chosen model then continues up to ``max_iter`` iterations, to this tolerance.
REFINE_TOL = 1e-7
#: The candidates start from the leading singular vectors of the sample (NNDSVD), found by a
#: randomized SVD with this many extra vectors and power iterations (scikit-learn's default is 10
#: extra vectors). With 10, the trailing vectors of the largest candidate were rough, and so the
#: start of the candidates near it: on Le Monde's RSS, all the articles chose 7 topics where the
#: runs with 1% left out chose 13 or 14 (13 fitted by itself scored higher than 7); with 40, 13
#: for all and five of six runs (the sixth 14), for 0.37 s of CPU instead of 0.15 s (10 power
#: iterations chose the same, for 0.50 s).
SVD_OVERSAMPLES = 40
SVD_ITER = 7
#: An article's weights: coordinate descent until no weight moves by more than this share of its
#: largest one (at most ``WEIGHT_SWEEPS`` passes).
WEIGHT_TOL = 1e-7
WEIGHT_SWEEPS = 500
#: Languages of fewer than this share of the articles are matched to themes by the main process
#: (whose tokenizer has their lemmas), not by workers, which would each load their dictionaries.
RARE_LANGUAGE = 0.01


class TopicModelError(ValueError):
    """A saved topic model that cannot be read; the message names the file and the problem."""


class TooFewForTopics(ValueError):
    """The articles counted are too few, or share too few terms, for a topic model: the topic
    stage writes its tables without topics (the themes are still matched) and says why."""


@dataclass(frozen=True)
class TopicOptions:
    """Options of the topic stage (``[topics]`` in the configuration)."""

    model: str = "nmf"
    n_topics: int = 0
    min_topics: int = 4
    max_topics: int = 16
    top_terms: int = 10
    examples: int = 5
    min_df: int = 3
    max_df: float = 0.5
    max_features: int = 20000
    fit_sample: int = 50000
    pool_below: float = 10.0
    select_sample: int = 20000
    select_terms: int = 400_000
    seed: int = 1
    max_iter: int = 400
    min_weight: float = 0.01
    periods: tuple[str, ...] = ("week", "month", "quarter", "year")
    include_duplicates: bool = False
    packaged_themes: bool = True
    theme_min_hits: int = 2
    themes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    model_file: str = ""

    def __post_init__(self) -> None:
        if self.model not in ("nmf", "lda"):
            raise ValueError(f"topics.model must be nmf or lda, not {self.model!r}")
        if self.min_topics < 2 or self.max_topics < self.min_topics:
            raise ValueError("topics: need 2 <= min_topics <= max_topics")
        if self.select_sample < 1 or self.select_terms < 1 or self.fit_sample < 1 or self.max_iter < 1:
            raise ValueError("topics: fit_sample, select_sample, select_terms and max_iter must be at least 1")
        for period in self.periods:
            check_period(period)


# --- coherence ------------------------------------------------------------------------------------


def npmi_coherence(top_terms: Sequence[Any], presence: Any) -> np.ndarray:
    """Mean normalised PMI over the pairs of each topic's top terms (column indices of ``presence``).

    ``presence`` is a binary articles x terms sparse matrix: probabilities are document
    frequencies. A pair never seen together scores -1; NPMI is 1 for terms always together. The
    co-occurrences of every term involved come from one sparse product.
    """
    from scipy import sparse

    n_docs = presence.shape[0]
    tops = [np.asarray(list(terms), dtype=np.int64) for terms in top_terms]
    columns = np.unique(np.concatenate(tops)) if tops else np.zeros(0, dtype=np.int64)
    if not len(columns) or n_docs == 0:
        return np.zeros(len(tops))
    sub = sparse.csc_matrix(presence)[:, columns]
    sub.eliminate_zeros()
    sub = sparse.csc_matrix((np.ones(sub.nnz, dtype=np.float64), sub.indices, sub.indptr), shape=sub.shape)
    together = np.asarray((sub.T @ sub).todense(), dtype=np.float64) / n_docs
    alone = np.diag(together)
    scores = []
    for terms in tops:
        at = np.searchsorted(columns, terms)
        first, second = np.triu_indices(len(at), 1)
        if not len(first):
            scores.append(0.0)
            continue
        i, j = at[first], at[second]
        joint = together[i, j]
        inside = (joint > 0) & (joint < 1)
        safe = np.where(inside, joint, 0.5)
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.log(safe / (alone[i] * alone[j])) / -np.log(safe)
        values = np.where(joint <= 0, -1.0, np.where(joint >= 1, 1.0, values))
        scores.append(float(np.mean(values)))
    return np.asarray(scores)


# --- term matrices --------------------------------------------------------------------------------


def _term_lists(documents: Any) -> pa.Array:
    """Articles' term lists as one Arrow ``list<string>`` array (from Arrow, or Python sequences)."""
    if isinstance(documents, pa.ChunkedArray):
        documents = documents.combine_chunks() if documents.num_chunks else pa.array([], pa.list_(pa.string()))
    if isinstance(documents, pa.Array):
        return documents
    return pa.array([list(d) for d in documents], type=pa.list_(pa.string()))


def _flat(lists: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Every term of every list, and the list (row) each comes from; null terms left out."""
    flat = pc.list_flatten(lists)
    rows = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    if flat.null_count:
        keep = flat.is_valid()
        rows = rows[keep.to_numpy(zero_copy_only=False)]
        flat = flat.filter(keep)
    return flat, rows


def _csr(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> Any:
    """Occurrence counts (float64) of (row, column) pairs, in canonical CSR form (sorted, summed)."""
    from scipy import sparse

    n_rows, n_cols = shape
    keys = rows * n_cols + cols
    keys.sort()
    first = np.empty(len(keys), dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    distinct = keys[starts]
    counts = np.diff(np.append(starts, len(keys))).astype(np.float64)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(distinct // max(n_cols, 1), minlength=n_rows), out=indptr[1:])
    return sparse.csr_matrix((counts, distinct % max(n_cols, 1), indptr), shape=shape)


#: Articles counted at a time when building the sample's term matrix (bounds the temporary arrays).
_COUNT_BLOCK = 4096


def _vocabulary_counts(lists: pa.Array, min_df: int, max_df: float, max_features: int) -> tuple[pa.Array, Any]:
    """The vocabulary (sorted) and the articles x vocabulary term counts (CSR, float64).

    The vocabulary: terms in at least ``min_df`` articles (fewer when there are under 20 x
    ``min_df`` articles) and at most ``max_df`` (a share) of them, the ``max_features`` most
    frequent (ties by term).
    """
    from scipy import sparse

    n_docs = len(lists)
    terms = pc.unique(pc.drop_null(pc.list_flatten(lists)))
    # Counted a block of articles at a time: the (row, term) keys of the whole sample would be large.
    blocks = []
    for start in range(0, n_docs, _COUNT_BLOCK):
        block = lists.slice(start, _COUNT_BLOCK)
        flat, rows = _flat(block)
        cols = pc.index_in(flat, value_set=terms).to_numpy(zero_copy_only=False).astype(np.int64)
        blocks.append(_csr(rows, cols, (len(block), len(terms))))
    counts = (
        sparse.vstack(blocks, format="csr") if blocks else _csr(np.zeros(0, np.int64), np.zeros(0, np.int64), (0, 0))
    )
    df = np.bincount(counts.indices, minlength=len(terms))
    low = min(min_df, max(1, n_docs // 20))
    high = max_df * n_docs if n_docs >= 20 else n_docs
    keep = np.flatnonzero((df >= low) & (df <= high))
    if max_features and len(keep) > max_features:
        totals = np.bincount(counts.indices, weights=counts.data, minlength=len(terms))
        ranking = pa.table({"count": totals[keep], "term": terms.take(pa.array(keep))})
        order = pc.sort_indices(ranking, sort_keys=[("count", "descending"), ("term", "ascending")])
        keep = keep[order.to_numpy()[:max_features]]
    names = terms.take(pa.array(keep, type=pa.int64()))
    alphabetical = pc.sort_indices(names).to_numpy()
    counts = counts[:, keep[alphabetical]].tocsr()
    counts.sort_indices()
    return names.take(pa.array(alphabetical)), counts


def _count_matrix(lists: pa.Array, vocabulary: pa.Array) -> Any:
    """Articles x vocabulary term counts (CSR, float64); terms outside the vocabulary ignored."""
    flat, rows = _flat(lists)
    index = pc.index_in(flat, value_set=vocabulary)
    known = index.is_valid().to_numpy(zero_copy_only=False)
    cols = index.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    return _csr(rows[known], cols[known], (len(lists), len(vocabulary)))


def _tfidf(counts: Any, idf: np.ndarray) -> Any:
    """Sublinear TF (1 + log count) x IDF, each row scaled to unit length: computed row by row."""
    matrix = counts.astype(np.float64, copy=True)
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(rows, weights=matrix.data * matrix.data, minlength=matrix.shape[0]))
    matrix.data /= np.where(norms > 0, norms, 1.0)[rows]
    return matrix


# --- non-negative matrix factorisation --------------------------------------------------------------


def _nndsvd(u: np.ndarray, s: np.ndarray, vt: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """NNDSVD start (Boutsidis & Gallopoulos) of a rank-``k`` NMF from the first ``k`` singular triplets."""
    u, s, vt = u[:, :k].astype(np.float64), s[:k].astype(np.float64), vt[:k].astype(np.float64)
    w = np.zeros_like(u)
    h = np.zeros_like(vt)
    w[:, 0] = np.sqrt(s[0]) * np.abs(u[:, 0])
    h[0] = np.sqrt(s[0]) * np.abs(vt[0])
    for j in range(1, k):
        x, y = u[:, j], vt[j]
        xp, yp = np.maximum(x, 0), np.maximum(y, 0)
        xn, yn = np.abs(np.minimum(x, 0)), np.abs(np.minimum(y, 0))
        xpn, ypn, xnn, ynn = (float(np.linalg.norm(v)) for v in (xp, yp, xn, yn))
        if xpn * ypn > xnn * ynn:
            uu, vv, sigma, nu, nv = xp, yp, xpn * ypn, xpn, ypn
        else:
            uu, vv, sigma, nu, nv = xn, yn, xnn * ynn, xnn, ynn
        if nu > 0 and nv > 0:
            scale = np.sqrt(s[j] * sigma)
            w[:, j] = scale * uu / nu
            h[j] = scale * vv / nv
    w[w < 1e-6] = 0
    h[h < 1e-6] = 0
    return w, h


def _cd_pass(w: np.ndarray, xht: np.ndarray, hht: np.ndarray) -> None:
    """One coordinate-descent (HALS) pass over the columns of ``w`` (in place): min ||X - W H||, W >= 0."""
    for j in range(w.shape[1]):
        curvature = hht[j, j]
        if curvature > 0:
            w[:, j] = np.maximum(w[:, j] + (xht[:, j] - w @ hht[:, j]) / curvature, 0)


def _hals(matrix: Any, transposed: Any, w: np.ndarray, h: np.ndarray, max_iter: int, tol: float) -> tuple:
    """Alternate W and H passes until the loss improves by less than ``tol`` (relative) or ``max_iter``."""
    w = np.ascontiguousarray(w, dtype=matrix.dtype)
    ht = np.ascontiguousarray(h.T, dtype=matrix.dtype)
    norm = float(np.dot(matrix.data.astype(np.float64), matrix.data.astype(np.float64)))
    previous = np.inf
    done = 0
    # The products can raise numpy's "invalid value" warning on finite inputs (once in a few runs
    # of the same test, with the same output bytes: a floating-point flag the BLAS kernel left
    # set), so it is silenced here and the result checked instead.
    with np.errstate(invalid="ignore"):
        while done < max_iter:
            done += 1
            xht = matrix @ ht
            hht = ht.T @ ht
            w64 = w.astype(np.float64)
            loss = norm - 2 * float(np.vdot(w64, xht.astype(np.float64))) + float(np.vdot(w64.T @ w64, hht))
            if previous - loss < tol * abs(previous):
                break
            previous = loss
            _cd_pass(w, xht, hht)
            _cd_pass(ht, transposed @ w, w.T @ w)
    if not (np.isfinite(w).all() and np.isfinite(ht).all()):
        raise FloatingPointError(f"topics: the NMF fit gave non-finite weights after {done} iterations")
    return w, np.ascontiguousarray(ht.T), done


def _nnls(xht: np.ndarray, hht: np.ndarray) -> np.ndarray:
    """Non-negative least-squares weights of each row (coordinate descent, row by row).

    Only element-wise operations and per-row sums: a row's result never depends on the other
    rows given with it, so articles can be weighed in any grouping, by any worker.
    """
    n, k = xht.shape
    w = np.zeros((n, k))
    active = np.flatnonzero(np.abs(xht).sum(axis=1) > 0) if n else np.zeros(0, dtype=np.int64)
    for _ in range(WEIGHT_SWEEPS):
        if not len(active):
            break
        part = w[active]
        target = xht[active]
        before = part.copy()
        for j in range(k):
            curvature = hht[j, j]
            if curvature > 0:
                part[:, j] = np.maximum(part[:, j] + (target[:, j] - (part * hht[j]).sum(axis=1)) / curvature, 0.0)
        w[active] = part
        moved = np.abs(part - before).max(axis=1)
        active = active[moved > WEIGHT_TOL * part.max(axis=1)]
    return w


def _widen(components: np.ndarray, columns: np.ndarray, n_terms: int) -> np.ndarray:
    """Topics x ``columns`` weights as topics x all terms (zero elsewhere)."""
    full = np.zeros((components.shape[0], n_terms), dtype=components.dtype)
    full[:, columns] = components
    return full


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    totals = matrix.sum(axis=1, keepdims=True)
    return np.asarray(matrix / np.where(totals > 0, totals, 1))


def _tops(components: np.ndarray, n: int) -> list[np.ndarray]:
    return [np.argsort(-row, kind="stable")[:n] for row in _normalise_rows(components)]


# --- the model ------------------------------------------------------------------------------------


class TopicModel:
    """NMF (or LDA) over article term lists, the number of topics chosen by NPMI coherence.

    ``fit`` stores ``vocabulary_`` (sorted terms, Arrow) and ``terms_`` (the same, numpy),
    ``idf_`` (NMF), ``n_topics_``, ``components_`` (topics x terms, each row summing to 1),
    ``coherence_`` (per topic), ``scores_`` (mean coherence of each number of topics tried),
    ``select_rows_`` (articles the candidates were fitted on) and, for the weights, ``basis_`` and
    ``gram_`` (NMF) or ``model_`` (LDA).
    """

    def __init__(self, options: TopicOptions | None = None) -> None:
        self.options = options or TopicOptions()

    def _candidates(self, n_docs: int, n_terms: int) -> list[int]:
        o = self.options
        if o.n_topics:
            return [o.n_topics]
        upper = min(o.max_topics, max(2, n_docs // 5), max(2, n_terms // 5))
        return list(range(min(o.min_topics, upper), upper + 1))

    def _select_rows(self, matrix: Any, candidates: list[int]) -> int:
        """How many of the first articles the candidates are fitted on (bounded in articles and terms)."""
        o = self.options
        n_docs = matrix.shape[0]
        within = int(np.searchsorted(np.cumsum(np.diff(matrix.indptr)), o.select_terms, side="right"))
        return max(min(n_docs, o.select_sample, within), min(n_docs, 5 * max(candidates)))

    def fit(self, documents: Any, *, order: Any = None, threads: int = 1, pools: Any = None) -> TopicModel:
        """Fit on the term lists of a sample of articles (an Arrow list array or Python sequences).

        ``order``: the articles' order (positions in ``documents``), as given by default; the
        candidates are fitted on the first ones. ``threads``: how many of the candidate numbers of
        topics (NMF) are fitted at once, each in one thread (the same model whatever the number).
        ``pools``: each article's pool (integers, in the order of ``documents``): coherence then
        counts the terms a pool's articles hold together (see :func:`fit_topics`), not an article's.
        """
        # What the fit calls is loaded before the limit below: threadpoolctl limits the libraries
        # loaded when it is entered, and scipy's own OpenBLAS loads with scipy.linalg. Imported
        # inside, a process's first fit ran its SVD's factorisations on every core: other sums in
        # another order, and another model than the same fit in a process that had loaded them
        # (a build that reran only the topic stage gave other topics than the fresh build).
        import scipy.linalg  # noqa: F401
        from sklearn.decomposition import LatentDirichletAllocation  # noqa: F401
        from sklearn.utils.extmath import randomized_svd  # noqa: F401
        from threadpoolctl import threadpool_limits

        o = self.options
        lists = _term_lists(documents)
        n_docs = len(lists)
        self.vocabulary_, counts = _vocabulary_counts(lists, o.min_df, o.max_df, o.max_features)
        if not len(self.vocabulary_):
            raise TooFewForTopics("no term is frequent enough to model (min_df / max_df)")
        if order is not None:
            counts = counts[np.asarray(order, dtype=np.int64)]
        self.terms_ = np.asarray(self.vocabulary_.to_pylist(), dtype=object)
        presence = counts.copy()
        presence.data[:] = 1.0
        presence = presence.astype(np.float32)
        self.pools_ = 0
        if pools is not None:
            presence = self._pooled(presence, np.asarray(pools, dtype=np.int64), order)
        presence = presence.tocsc()
        if o.model == "nmf":
            df = np.bincount(counts.indices, minlength=counts.shape[1])
            self.idf_ = np.log((1 + n_docs) / (1 + df)) + 1.0
            matrix = _tfidf(counts, self.idf_)
        else:
            matrix = counts
        candidates = self._candidates(*matrix.shape)
        self.select_rows_ = self._select_rows(matrix, candidates)
        with threadpool_limits(limits=1):  # the same sums in the same order, whatever the machine
            if o.model == "nmf":
                components = self._fit_nmf(matrix, presence, candidates, threads)
            else:
                components = self._fit_lda(matrix, presence, candidates)
            # Topics numbered by their share of the weight of the articles they were fitted on, largest first.
            self.order_ = np.arange(len(components))
            if o.model == "nmf":
                self.basis_ = np.asarray(components, dtype=np.float64)
                self.gram_ = self.basis_ @ self.basis_.T
            weights = self._weights(matrix[: self.select_rows_])
        coherence = npmi_coherence(_tops(components, o.top_terms), presence)
        topics = np.argsort(-weights.sum(axis=0), kind="stable")
        self.order_ = topics
        if o.model == "nmf":
            self.basis_ = np.ascontiguousarray(self.basis_[topics])
            self.gram_ = np.ascontiguousarray(self.gram_[np.ix_(topics, topics)])
        self.components_ = _normalise_rows(np.asarray(components, dtype=np.float64))[topics]
        self.coherence_ = coherence[topics]
        return self

    def _pooled(self, presence: Any, pools: np.ndarray, order: Any) -> Any:
        """``presence`` (articles x terms, in ``order``) summed over each pool's articles, as 0 or 1."""
        from scipy import sparse

        if order is not None:
            pools = pools[np.asarray(order, dtype=np.int64)]
        codes, inverse = np.unique(pools, return_inverse=True)
        self.pools_ = len(codes)
        sums = sparse.csr_matrix(
            (np.ones(len(pools), dtype=np.float32), (inverse.ravel(), np.arange(len(pools)))),
            shape=(len(codes), len(pools)),
        )
        pooled = (sums @ presence).tocsr()
        pooled.data[:] = 1.0
        return pooled

    def _score(self, components: np.ndarray, presence: Any) -> float:
        return round(float(npmi_coherence(_tops(components, self.options.top_terms), presence).mean()), 6)

    def _fit_nmf(self, matrix: Any, presence: Any, candidates: list[int], threads: int = 1) -> np.ndarray:
        from concurrent.futures import ThreadPoolExecutor

        from sklearn.utils.extmath import randomized_svd

        o = self.options
        part = matrix[: self.select_rows_].astype(np.float32)
        columns = np.flatnonzero(np.bincount(part.indices, minlength=matrix.shape[1]))  # the terms they have
        part = part[:, columns].tocsr()
        candidates = [k for k in candidates if k <= min(part.shape)]
        if not candidates:
            raise TooFewForTopics(f"{part.shape[0]} articles and {part.shape[1]} terms are too few for the topics")
        u, s, vt = randomized_svd(
            part, max(candidates), n_oversamples=SVD_OVERSAMPLES, n_iter=SVD_ITER, random_state=o.seed
        )
        transposed = part.T.tocsr()

        def candidate(k: int) -> tuple[float, np.ndarray, np.ndarray]:
            w, h = _nndsvd(u, s, vt, k)
            w, h, _ = _hals(part, transposed, w, h, min(o.max_iter, SELECT_ITER), SELECT_TOL)
            return self._score(_widen(h, columns, matrix.shape[1]), presence), w, h

        # Each candidate's fit is the same computation in any thread (scipy's sparse products,
        # most of the work, release the GIL); the best is chosen in the candidates' order.
        for shared in (part, transposed, presence):
            shared.sort_indices()  # (already sorted: a no-op) here, so the threads only ever read them
        self.scores_: dict[int, float] = {}
        best: tuple[float, int, np.ndarray, np.ndarray] | None = None
        with ThreadPoolExecutor(max_workers=max(1, min(threads, len(candidates)))) as pool:
            # read in order as they finish: only the best fit so far is kept, not every candidate's
            for k, (score, w, h) in zip(candidates, pool.map(candidate, candidates), strict=True):
                self.scores_[k] = score
                if best is None or score > best[0]:
                    best = (score, k, w, h)
        assert best is not None
        score, self.n_topics_, w, h = best
        # The chosen one converges further (``max_iter``, ``REFINE_TOL``), kept unless that makes it less coherent.
        _, refined, self.refine_iter_ = _hals(part, transposed, w, h, o.max_iter, REFINE_TOL)
        self.refined_ = self._score(_widen(refined, columns, matrix.shape[1]), presence) >= score
        return _widen(refined if self.refined_ else h, columns, matrix.shape[1])

    def _lda(self, k: int) -> Any:
        from sklearn.decomposition import LatentDirichletAllocation

        o = self.options
        return LatentDirichletAllocation(
            n_components=k, learning_method="batch", max_iter=min(o.max_iter, 100), random_state=o.seed
        )

    def _fit_lda(self, matrix: Any, presence: Any, candidates: list[int]) -> np.ndarray:
        part = matrix[: self.select_rows_]
        self.scores_ = {}
        best: tuple[float, int, Any] | None = None
        for k in candidates:
            estimator = self._lda(k).fit(part)
            score = self._score(estimator.components_, presence)
            self.scores_[k] = score
            if best is None or score > best[0]:
                best = (score, k, estimator)
        assert best is not None
        _, self.n_topics_, self.model_ = best
        return np.asarray(self.model_.components_, dtype=np.float64)

    def _weights(self, matrix: Any) -> np.ndarray:
        if self.options.model == "nmf":
            raw = _nnls(matrix @ np.ascontiguousarray(self.basis_.T), self.gram_)
        else:
            from threadpoolctl import threadpool_limits

            with threadpool_limits(limits=1):
                raw = np.asarray(self.model_.transform(matrix))[:, self.order_]
        totals = raw.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(totals > 0, raw / np.where(totals > 0, totals, 1), 0.0)

    def transform(self, documents: Any) -> np.ndarray:
        """Topic weights of each article (rows sum to 1; all zero when no term is known).

        Each article is weighed on its own: the result for an article is the same whatever others
        come with it.
        """
        counts = _count_matrix(_term_lists(documents), self.vocabulary_)
        return self._weights(_tfidf(counts, self.idf_) if self.options.model == "nmf" else counts)

    def save(self, target: Path) -> None:
        """Write the model to ``target`` (Parquet, atomically), for :meth:`load`.

        One row per vocabulary term: ``term``, its ``idf`` (NMF; null for LDA) and ``weights``, its
        weight in each topic as fitted (topic 0 first; not normalised: NMF's basis, LDA's topic-word
        pseudo-counts); the numbers the weights of articles also need (NMF: the topics' Gram matrix,
        LDA: the fitted order of its topics and its priors), the topics' coherence and the scores
        of the numbers of topics tried are the file's metadata (:data:`MODEL_METADATA`, JSON).
        Floats are written exactly, so a loaded model weighs articles to the same bits.
        """
        import json

        import pyarrow.parquet as pq

        from analysis.io.store import atomic_path
        from analysis.schema import TOPIC_MODEL_COLUMNS, arrow_schema

        nmf = self.options.model == "nmf"
        info: dict[str, Any] = {
            "format": MODEL_FORMAT,
            "model": self.options.model,
            "n_topics": int(self.n_topics_),
            "coherence": [float(c) for c in self.coherence_],
            "scores": {str(k): float(v) for k, v in self.scores_.items()},
            "pools": int(self.pools_),
        }
        if nmf:
            raw = np.asarray(self.basis_, dtype=np.float64)
            info["gram"] = np.asarray(self.gram_, dtype=np.float64).tolist()
        else:
            raw = np.asarray(self.model_.components_, dtype=np.float64)[self.order_]
            info["order"] = [int(t) for t in self.order_]
            info["priors"] = [float(self.model_.doc_topic_prior_), float(self.model_.topic_word_prior_)]
        n_terms = len(self.vocabulary_)
        values = pa.array(np.ascontiguousarray(raw.T).ravel(), type=pa.float64())
        offsets = pa.array(np.arange(n_terms + 1, dtype=np.int32) * raw.shape[0])
        idf = pa.array(self.idf_, type=pa.float64()) if nmf else pa.nulls(n_terms, pa.float64())
        schema = arrow_schema(TOPIC_MODEL_COLUMNS).with_metadata({MODEL_METADATA: json.dumps(info).encode()})
        table = pa.Table.from_arrays(
            [self.vocabulary_.cast(pa.string()), idf, pa.ListArray.from_arrays(offsets, values)], schema=schema
        )
        with atomic_path(target) as tmp:
            pq.write_table(table, tmp, compression="zstd")

    @classmethod
    def load(cls, path: Path, options: TopicOptions | None = None) -> TopicModel:
        """A model :meth:`save` wrote, ready to weigh articles (:meth:`transform`) and list its top
        terms; ``options`` (``top_terms``) as given, but the model's kind (``model``) the file's.

        Raises :class:`TopicModelError` naming ``path`` when it is no such file.
        """
        from analysis.io.store import read_saved_model
        from analysis.schema import TOPIC_MODEL_COLUMNS

        columns = [c.name for c in TOPIC_MODEL_COLUMNS]
        what = f"topic model (the {TOPIC_MODEL_FILE} a build writes)"
        table, info = read_saved_model(path, MODEL_METADATA, columns, MODEL_FORMAT, TopicModelError, what)
        try:
            kind, k = info["model"], int(info["n_topics"])
            lengths = pc.list_value_length(table["weights"]).to_numpy(zero_copy_only=False)
            if k < 1 or table.num_rows < 1 or (lengths != k).any():
                raise ValueError(f"{table.num_rows} terms, {k} topics: every term needs a weight per topic")
            raw = pc.list_flatten(table["weights"]).to_numpy(zero_copy_only=False).reshape(-1, k).T.copy()
            model = cls(replace(options or TopicOptions(), model=kind, n_topics=k))
            model.vocabulary_ = table["term"].combine_chunks()
            model.terms_ = np.asarray(model.vocabulary_.to_pylist(), dtype=object)
            model.n_topics_ = k
            model.coherence_ = np.asarray(info["coherence"], dtype=np.float64).reshape(k)
            model.scores_ = {int(n): float(s) for n, s in info["scores"].items()}
            model.pools_ = int(info["pools"])
            model.select_rows_ = 0
            model.components_ = _normalise_rows(raw)
            model.order_ = np.arange(k)
            if kind == "nmf":
                model.idf_ = table["idf"].to_numpy(zero_copy_only=False).astype(np.float64)
                model.basis_ = np.ascontiguousarray(raw)
                model.gram_ = np.asarray(info["gram"], dtype=np.float64).reshape(k, k)
            elif kind == "lda":
                # The estimator as fitted: its topics in the fitted order, read in the file's by
                # ``order_``; its expectation made by scikit-learn's own function, as its fit makes
                # it (the same bits: a loaded model weighs articles as the fitted one did).
                from sklearn.decomposition._online_lda_fast import _dirichlet_expectation_2d

                model.order_ = np.asarray(info["order"], dtype=np.int64).reshape(k)
                fitted = np.empty_like(raw)
                fitted[model.order_] = raw
                estimator = model._lda(k)
                estimator.components_ = fitted
                estimator.exp_dirichlet_component_ = np.exp(_dirichlet_expectation_2d(fitted))
                estimator.doc_topic_prior_, estimator.topic_word_prior_ = (float(p) for p in info["priors"])
                estimator.n_features_in_ = fitted.shape[1]
                estimator.n_batch_iter_ = estimator.n_iter_ = 0
                model.model_ = estimator
            else:
                raise ValueError(f"model {kind!r} (nmf or lda)")
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise TopicModelError(f"{path}: not a topic model this version can read ({exc})") from exc
        return model

    def digest(self) -> str:
        """A hash of what weighing an article reads from the model: its kind, vocabulary and idf, its
        topics (NMF: the basis and its Gram matrix; LDA: the estimator's topics, priors and order)."""
        digest = hashlib.blake2b(digest_size=16)
        digest.update(repr((self.options.model, int(self.n_topics_), len(self.terms_))).encode())
        digest.update("\x1f".join(str(t) for t in self.terms_).encode("utf-8"))
        arrays: list[Any]
        if self.options.model == "nmf":
            arrays = [self.idf_, self.basis_, self.gram_]
        else:
            lda = self.model_
            arrays = [lda.components_, lda.exp_dirichlet_component_, self.order_]
            digest.update(repr((float(lda.doc_topic_prior_), float(lda.topic_word_prior_))).encode())
        for values in arrays:
            digest.update(np.ascontiguousarray(values, dtype=np.float64).tobytes())
        return digest.hexdigest()

    def top_terms(self, n: int | None = None) -> list[list[tuple[str, float]]]:
        n = n or self.options.top_terms
        out = []
        for row in self.components_:
            top = np.argsort(-row, kind="stable")[:n]
            out.append([(str(self.terms_[i]), round(float(row[i]), 6)) for i in top])
        return out


def label(terms: Sequence[str], n: int = 4) -> str:
    """A topic's label: its first ``n`` terms, a phrase covering a word dropping that word."""
    chosen: list[str] = []
    for term in terms:
        words = set(term.split())
        if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == n:
            break
    return " · ".join(chosen)


# --- themes ---------------------------------------------------------------------------------------


def load_themes(
    extra: Mapping[str, Sequence[str]] | None = None, *, packaged: bool = True
) -> dict[str, tuple[str, list[str]]]:
    """Themes by id: ``(label, terms)`` from the packaged file (if ``packaged``) and the user's table.

    A user theme with the id of a packaged one adds its terms to it.
    """
    themes: dict[str, tuple[str, list[str]]] = {}
    if packaged:
        with THEMES_FILE.open("rb") as handle:
            data = tomllib.load(handle)
        for theme_id, entry in data.items():
            themes[theme_id] = (str(entry.get("label", theme_id)), [str(t) for t in entry["terms"]])
    for theme_id, terms in (extra or {}).items():
        label_, known = themes.get(theme_id, (theme_id, []))
        themes[theme_id] = (label_, [*known, *map(str, terms)])
    return themes


@dataclass
class _ThemeTable:
    """One language's theme keys, their words numbered: keys as tuples of word numbers."""

    words: dict[str, int]
    keys: dict[tuple[int, ...], list[str]]
    sizes: list[int]  # key lengths, longest first
    # Per word number (the last entry stands for -1, no theme word): does a key of two words or
    # more start with it; is it a key of one word.
    starts_long: np.ndarray
    single: np.ndarray


def _theme_table(by_words: Mapping[tuple[str, ...], list[str]]) -> _ThemeTable:
    """A language's table from its keys (:meth:`ThemeMatcher.keys_of`): their words numbered."""
    words: dict[str, int] = {}
    for key in by_words:
        for word in key:
            words.setdefault(word, len(words))
    keys = {tuple(words[w] for w in key): list(ids) for key, ids in by_words.items()}
    starts_long = np.zeros(len(words) + 1, dtype=bool)
    starts_long[[key[0] for key in keys if len(key) > 1]] = True
    single = np.zeros(len(words) + 1, dtype=bool)
    single[[key[0] for key in keys if len(key) == 1]] = True
    sizes = sorted({len(k) for k in keys}, reverse=True)
    return _ThemeTable(words, keys, sizes, starts_long, single)


#: Tokens whose matching word a matcher remembers, per language (a corpus has far fewer words).
_MATCHER_MEMO = 1_000_000


class ThemeMatcher:
    """Counts each theme's terms in an article's token stream, on lemmas (any inflection).

    Each distinct token is reduced once (per language and process) to the number of the theme
    word it matches, or -1; only the tokens that are theme words are then scanned for keys.
    """

    def __init__(self, themes: Mapping[str, tuple[str, Sequence[str]]], tokenizer: Tokenizer) -> None:
        self.themes = dict(themes)
        self.tokenizer = tokenizer
        self._tables: dict[str | None, _ThemeTable] = {}
        self._memo: dict[str | None, dict[str, int]] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_memo"] = {}  # rebuilt by each process as it meets the tokens
        return state

    def prepare(
        self,
        languages: Iterable[str | None],
        known: Mapping[str | None, Mapping[tuple[str, ...], list[str]]] | None = None,
    ) -> ThemeMatcher:
        """Build the theme tables of ``languages`` now: they travel with the matcher to other processes.

        ``known``: a language's :meth:`keys_of` found earlier (the themes' terms reduced by the
        same tokenizer), not made again.
        """
        for lang in languages:
            if known and lang in known and lang not in self._tables:
                self._tables[lang] = _theme_table(known[lang])
            self._table(lang)
        return self

    def table_keys(self, lang: str | None) -> dict[tuple[str, ...], list[str]]:
        """:meth:`keys_of` a language whose table is built, read from the table."""
        table = self._table(lang)
        word_of = {number: word for word, number in table.words.items()}
        return {tuple(word_of[n] for n in key): ids for key, ids in table.keys.items()}

    def keys_of(self, lang: str | None) -> dict[tuple[str, ...], list[str]]:
        """The keys of a language's table: each theme term as its words (reduced), with its themes."""
        by_words: dict[tuple[str, ...], list[str]] = {}
        for theme_id, (_, terms) in self.themes.items():
            for term in terms:
                key = tuple(self._stream(self.tokenizer.tokens(term, lang), lang))
                if key and theme_id not in by_words.setdefault(key, []):
                    by_words[key].append(theme_id)
        return by_words

    def _table(self, lang: str | None) -> _ThemeTable:
        table = self._tables.get(lang)
        if table is None:
            table = self._tables[lang] = _theme_table(self.keys_of(lang))
        return table

    def _stream(self, tokens: Sequence[str], lang: str | None) -> list[str]:
        """Matching keys: lemmas without a plural ``s``/``x`` (lemmatisers miss rare plurals), stopwords as is.

        Tokens are lower-case except acronyms, so ``AI`` never matches ``ai`` (from ``j'ai``).
        """
        reduced = self.tokenizer.reduced(tokens, lang)
        return [_singular(term) if term is not None else token for token, term in zip(tokens, reduced, strict=True)]

    def word_ids(self, tokens: Sequence[str], lang: str | None) -> list[int]:
        """The theme word each token matches (its number in the language's table), -1 for none."""
        table = self._table(lang)
        memo = self._memo.setdefault(lang, {})
        try:
            return [memo[t] for t in tokens]
        except KeyError:
            missing = list(dict.fromkeys(t for t in tokens if t not in memo))
        found = dict(zip(missing, (table.words.get(key, -1) for key in self._stream(missing, lang)), strict=True))
        if len(memo) < _MATCHER_MEMO:
            memo.update(found)
        return [memo[t] if t in memo else found[t] for t in tokens]

    def hits(self, tokens: Sequence[str], lang: str | None) -> dict[str, int]:
        """Occurrences of each theme's terms in an article's tokens (longest match, no overlaps)."""
        return self.hits_many(pa.array([lang], pa.string()), pa.array([list(tokens)], pa.list_(pa.string())))[0]

    def hits_many(self, languages: pa.Array, tokens: pa.Array) -> list[dict[str, int]]:
        """:meth:`hits` of every row of an Arrow batch (a language and a token list per article).

        Each distinct token of a language is looked up once. Keys of several words are then tried
        where their first word stands, longest first, left to right, without overlaps (a loop over
        those places only); every other place holding a one-word key is counted at once.
        """
        out: list[dict[str, int]] = [{} for _ in range(len(tokens))]
        flat, parents = _flat(tokens)
        if not len(flat):
            return out
        encoded = pc.dictionary_encode(flat)
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        row_languages = languages.to_pylist()
        known = list(dict.fromkeys(row_languages))
        row_code = np.asarray([known.index(lang) for lang in row_languages], dtype=np.int64)
        token_code = row_code[parents]
        numbers = np.full(len(flat), -1, dtype=np.int64)
        long_starts = np.zeros(len(flat), dtype=bool)
        singles = np.zeros(len(flat), dtype=bool)
        tables = [self._table(lang) for lang in known]
        for code, (lang, table) in enumerate(zip(known, tables, strict=True)):
            if not table.keys:
                continue
            mask = token_code == code if len(known) > 1 else slice(None)
            used = np.flatnonzero(np.bincount(codes[mask], minlength=len(encoded.dictionary)))
            lookup = np.full(len(encoded.dictionary), -1, dtype=np.int64)
            lookup[used] = self.word_ids(encoded.dictionary.take(pa.array(used)).to_pylist(), lang)
            numbers[mask] = lookup[codes[mask]]
            long_starts[mask] = table.starts_long[numbers[mask]]
            singles[mask] = table.single[numbers[mask]]
        covered = np.zeros(len(flat) + 1, dtype=np.int64)  # +1 where a match of several words starts, -1 after it
        starts = np.flatnonzero(long_starts)
        if len(starts):
            ends = np.cumsum(np.bincount(parents, minlength=len(tokens)))
            word = numbers.tolist()
            row, free = -1, 0
            for at in starts.tolist():
                owner = int(parents[at])
                if owner != row:
                    row, free, table, end = owner, 0, tables[row_code[owner]], int(ends[owner])
                if at < free:
                    continue
                for size in table.sizes:
                    if size > 1 and at + size <= end:
                        themes = table.keys.get(tuple(word[at : at + size]))
                        if themes:
                            found = out[row]
                            for theme_id in themes:
                                found[theme_id] = found.get(theme_id, 0) + 1
                            free = at + size
                            covered[at] += 1
                            covered[free] -= 1
                            break
        alone = np.flatnonzero(singles & (np.cumsum(covered[:-1]) == 0))
        if len(alone):
            width = int(numbers.max()) + 1
            pairs, counts = np.unique(parents[alone] * width + numbers[alone], return_counts=True)
            for pair, count in zip(pairs.tolist(), counts.tolist(), strict=True):
                row, number = divmod(pair, width)
                found = out[row]
                for theme_id in tables[row_code[row]].keys[(number,)]:
                    found[theme_id] = found.get(theme_id, 0) + count
        return out


def _singular(term: str) -> str:
    if len(term) > 3 and term[-1] in "sx" and term[-2] not in "su" and not term.isupper():
        return term[:-1]
    return term


# --- tables ---------------------------------------------------------------------------------------


def _base(meta: pd.DataFrame, include_duplicates: bool) -> pd.DataFrame:
    base = meta if include_duplicates else meta[meta["duplicate_of"].isna()]
    return base[base["published"].notna()]


def topic_trends(
    doc_topics: pd.DataFrame,
    meta: pd.DataFrame,
    labels: Mapping[int, str],
    periods: Iterable[str],
    *,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Topic weight and dominant-topic articles per period, as a share of the period's articles.

    (The stage computes the same table from per-batch aggregates, see :func:`run_stage`.)
    """
    base = _base(meta, include_duplicates)
    frames = []
    for period in periods:
        dated = pd.DataFrame(
            {"article_id": base["article_id"].astype(str).to_numpy(), "period": period_start(base["published"], period)}
        )
        totals = dated.groupby("period").size().rename("period_articles")
        joined = doc_topics.merge(dated, on="article_id")
        grouped = joined.groupby(["period", "topic"])
        table = pd.DataFrame(
            {
                "weight": grouped["weight"].sum(),
                "articles": grouped["rank"].agg(lambda r: int((r == 1).sum())),
            }
        ).reset_index()
        # Every topic in every period, zero where absent, so that lines and areas are continuous.
        full = pd.MultiIndex.from_product([totals.index, sorted(labels)], names=["period", "topic"])
        table = table.set_index(["period", "topic"]).reindex(full, fill_value=0).reset_index()
        table = table.merge(totals, left_on="period", right_index=True)
        table["share"] = table["weight"] / table["period_articles"]
        table.insert(0, "period_type", period)
        table["label"] = table["topic"].map(labels)
        frames.append(table)
    return _finish_topic_trends(frames)


_TOPIC_TREND_COLUMNS = ["period_type", "period", "topic", "label", "weight", "articles", "period_articles", "share"]
_THEME_TREND_COLUMNS = ["period_type", "period", "theme", "label", "articles", "hits", "period_articles", "share"]


def _finish_topic_trends(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=_TOPIC_TREND_COLUMNS)
    out = pd.concat(frames, ignore_index=True)[_TOPIC_TREND_COLUMNS]
    out["weight"] = out["weight"].round(6)
    out["share"] = out["share"].round(6)
    return out.sort_values(["period_type", "period", "topic"], kind="stable").reset_index(drop=True)


def theme_trends(
    doc_themes: pd.DataFrame,
    meta: pd.DataFrame,
    labels: Mapping[str, str],
    periods: Iterable[str],
    *,
    min_hits: int = 2,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Articles on each theme per period (``hits >= min_hits``), raw and as a share of the period's articles."""
    base = _base(meta, include_duplicates)
    on_theme = doc_themes[doc_themes["hits"] >= min_hits]
    frames = []
    for period in periods:
        dated = pd.DataFrame(
            {"article_id": base["article_id"].astype(str).to_numpy(), "period": period_start(base["published"], period)}
        )
        totals = dated.groupby("period").size().rename("period_articles")
        joined = on_theme.merge(dated, on="article_id")
        grouped = joined.groupby(["period", "theme"])
        table = pd.DataFrame({"articles": grouped.size(), "hits": grouped["hits"].sum()})
        full = pd.MultiIndex.from_product([totals.index, sorted(labels)], names=["period", "theme"])
        table = table.reindex(full, fill_value=0).reset_index()
        table = table.merge(totals, left_on="period", right_index=True)
        table["share"] = (table["articles"] / table["period_articles"]).round(6)
        table["label"] = table["theme"].map(labels)
        table.insert(0, "period_type", period)
        frames.append(table)
    return _finish_theme_trends(frames)


def _finish_theme_trends(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=_THEME_TREND_COLUMNS)
    return (
        pd.concat(frames, ignore_index=True)[_THEME_TREND_COLUMNS]
        .sort_values(["period_type", "period", "theme"], kind="stable")
        .reset_index(drop=True)
    )


# --- the stage ------------------------------------------------------------------------------------


def _hash_key(article_id: str) -> bytes:
    return hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest()


def fit_topics(
    terms_path: Path,
    counted: Iterable[str] | pa.Array,
    options: TopicOptions,
    *,
    batch_size: int = 2000,
    threads: int = 1,
    meta: pd.DataFrame | None = None,
) -> TopicModel:
    """A topic model fit on a deterministic sample (``fit_sample``) of the counted articles
    (``threads``: see :meth:`TopicModel.fit`).

    The sample is the articles with the smallest hashes of their ids (as
    :func:`analysis.keywords.sample_ids`), in that order, whatever the order of the file; their
    term lists stay in Arrow form. When its articles hold fewer than ``pool_below`` terms (the
    median: headlines), and ``meta`` (the article table's ``article_id``, ``source`` and
    ``published``, as :func:`analysis.keywords.read_meta` gives them) is given, the coherence that
    chooses the number of topics and scores them is counted over pools of articles, a source's day
    each (:func:`_pools`): two headline words seldom share one headline, even when they share a story.
    """
    from analysis.io.store import open_parquet
    from analysis.keywords import chunked_ids

    ids = counted if isinstance(counted, pa.Array) else pa.array(list(counted), type=pa.string())
    keys = np.fromiter(  # each id's hash, read big-endian: sorted as the bytes would be
        (int.from_bytes(_hash_key(a), "big") for chunk in chunked_ids(ids) for a in chunk),
        dtype=np.uint64,
        count=len(ids),
    )
    ranked = ids.take(pa.array(np.argsort(keys, kind="stable")[: max(options.fit_sample, 0)]))
    wanted = ranked.cast(pa.string())
    chosen = set(wanted.to_pylist())
    parts: list[pa.Table] = []
    for batch in open_parquet(terms_path).iter_batches(batch_size=batch_size, columns=["article_id", "terms"]):
        table = pa.Table.from_batches([batch])
        keep = [a in chosen for a in table["article_id"].to_pylist()]
        parts.append(table.filter(pa.array(keep, type=pa.bool_())))
    sample = pa.concat_tables(parts) if parts else pa.table({"article_id": pa.array([], pa.string())})
    if sample.num_rows < 4:
        noun = "article" if sample.num_rows == 1 else "articles"
        raise TooFewForTopics(f"{sample.num_rows} {noun} with terms; at least 4 are needed")
    rank = pc.index_in(sample["article_id"], value_set=wanted).to_numpy(zero_copy_only=False)
    pools = None
    lengths = pc.list_value_length(sample["terms"]).fill_null(0).to_numpy(zero_copy_only=False)
    if meta is not None and float(np.median(lengths)) < options.pool_below:
        pools = _pools(meta, sample["article_id"])
    return TopicModel(options).fit(sample["terms"], order=np.argsort(rank, kind="stable"), threads=threads, pools=pools)


def model_input(options: TopicOptions, root: Path) -> tuple[TopicOptions, str]:
    """``options`` with their ``model_file`` absolute (a relative one is read from the project's
    ``root``) and the file's SHA-256 (empty without one), for the stage's fingerprint: a model
    changed at the same path runs the stage again. Raises :class:`TopicModelError` naming the file
    when it cannot be read as a model."""
    from analysis.io.store import option_file

    if not options.model_file:
        return options, ""
    path, digest = option_file(
        options.model_file, root, TopicModelError, f"a {TOPIC_MODEL_FILE} an earlier build wrote"
    )
    TopicModel.load(path, options)
    return replace(options, model_file=str(path)), digest


def _pools(meta: pd.DataFrame, ids: Any) -> np.ndarray:
    """Each of ``ids``' articles' pool, numbered: its source's articles of the same day (UTC, as
    ``published``, :func:`analysis.periods.period_start`); an article without a date, or not in
    ``meta``, is a pool of its own."""
    rows = pc.index_in(ids, value_set=pa.array(meta["article_id"], pa.string())).fill_null(-1)
    rows = rows.to_numpy(zero_copy_only=False)
    found = meta.iloc[np.maximum(rows, 0)]
    days = period_start(found["published"].reset_index(drop=True), "day")
    alone = (rows < 0) | days.isna().to_numpy(bool)
    # (as strings, a missing source or day an empty one: pandas keeps NaN through astype(str))
    source = found["source"].astype("string").fillna("").to_numpy(object)
    keys = source + "\x1f" + days.astype("string").fillna("").to_numpy(object)
    pools = pd.factorize(pd.Series(keys, dtype=object))[0]
    return np.where(alone, pools.max(initial=-1) + 1 + np.arange(len(rows)), pools)


@dataclass
class _Context:
    """What every task needs, shared once through a pickle file (:func:`analysis.engine.share`)."""

    model: TopicModel | None  # for the weights (``topics`` tasks)
    matcher: ThemeMatcher | None  # for the themes (``themes`` tasks)
    themes: tuple[str, ...]
    deferred: frozenset[str]  # rare languages, whose articles the main process matches
    ids: pa.Array  # article ids of the article table
    counted: np.ndarray  # per article: counted (not a copy, unless copies are counted)
    codes: np.ndarray  # articles x period types: the period's number, -1 when the article is in none
    n_periods: tuple[int, ...]
    min_weight: float
    examples: int
    min_hits: int
    reduced: Mapping[str | None, Mapping[str, str | None]] = field(default_factory=dict)  # see _theme_part
    cache: CacheRef | None = None  # the themes a task's rows hold, kept between builds (THEMES_CACHE)
    weights: CacheRef | None = None  # a topics task's weights, kept between builds (WEIGHTS_CACHE)


@dataclass
class _TopicPart:
    """One batch's article weights (the ``doc_topics`` rows) and additive aggregates."""

    rows: pa.Table
    dominant: np.ndarray  # counted articles whose strongest topic it is, per topic
    mass: np.ndarray  # counted articles' weights in millionths, per topic
    strongest: list[list[tuple[float, str]]]  # per topic, the largest (weight, article_id)
    period_weight: list[np.ndarray]  # per period type: periods x topics, millionths
    period_dominant: list[np.ndarray]
    cache: dict[str, CacheUse] = field(default_factory=dict)  # what the task did with the cache
    unplaced: int = 0  # counted articles the model gives no topic (no term of its vocabulary)
    counted: int = 0  # articles counted (not copies, unless they are included)


@dataclass
class _ThemePart:
    """One batch's theme aggregates."""

    on_theme: int  # articles (copies too) on at least one theme
    period_articles: list[np.ndarray]  # per period type: periods x themes
    period_hits: list[np.ndarray]
    deferred: pa.Table | None = None  # the batch's articles in a rare language, matched by the caller
    cache: dict[str, CacheUse] = field(default_factory=dict)  # what the task did with the cache
    # with ``deferred``, of a task of stored rows: its key (THEMES_CACHE), the batch's rows its own
    # hits are on and those ``deferred`` holds, and its hits (see _kept_whole)
    pending: tuple[bytes, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None


def _positions(context: _Context, article_ids: pa.Array) -> np.ndarray:
    """Each article's row in the article table (-1: not there); the lookup is built once per process."""
    lookup: dict[str, int] | None = context.__dict__.get("_lookup")
    if lookup is None:
        lookup = context.__dict__["_lookup"] = {a: i for i, a in enumerate(context.ids.to_pylist())}
    return np.asarray([lookup.get(a, -1) for a in article_ids.to_pylist()], dtype=np.int64)


def _period_codes(context: _Context, positions: np.ndarray) -> np.ndarray:
    known = positions >= 0
    codes = np.full((len(positions), len(context.n_periods)), -1, dtype=np.int64)
    codes[known] = context.codes[positions[known]]
    return codes


def _topic_part(context: _Context, batch: pa.Table, stored: tuple[Path, tuple[int, ...]] | None = None) -> _TopicPart:
    """A batch's ``doc_topics`` rows and aggregates. With the context's cache (and the batch's
    ``stored`` row groups, whose terms are then read only when needed), its articles' weights are
    read back when an earlier build's task weighed the same rows with the same model."""
    from analysis.cache import pack, stored_entry, unpack
    from analysis.engine import read_row_groups
    from analysis.schema import DOC_TOPIC_COLUMNS, arrow_schema

    model = context.model
    assert model is not None
    k = model.n_topics_
    ref, uses = context.weights, {}
    key, found = stored_entry(ref, *stored, ["article_id", "terms"]) if stored else (b"", None)
    micro: np.ndarray | None = None
    if found is not None:
        read = np.frombuffer(unpack(found), dtype=np.int64)
        if len(read) == batch.num_rows * k:  # (an entry of another shape is computed again and replaced)
            micro = read.reshape(batch.num_rows, k)
            uses[WEIGHTS_CACHE] = CacheUse(hits=[key])
    if micro is None:
        if "terms" in batch.column_names:
            terms = batch["terms"]
        else:  # (a stored batch: its ids alone were read)
            assert stored is not None
            terms = read_row_groups(stored[0], stored[1], ["terms"])["terms"]
        micro = np.rint(model.transform(terms) * 1e6).astype(np.int64)  # weights rounded to 6 decimals
        if isinstance(ref, FileRef):
            uses[WEIGHTS_CACHE] = ref.put(key, pack(micro.tobytes()))
    order = np.argsort(-micro, axis=1, kind="stable")
    ranked = np.take_along_axis(micro, order, axis=1)
    kept = ranked >= round(context.min_weight * 1e6)
    rows, ranks = np.nonzero(kept)
    topics = order[rows, ranks]
    weights = ranked[rows, ranks]
    ids = batch["article_id"].combine_chunks()
    table = pa.table(
        {
            "article_id": ids.take(pa.array(rows, type=pa.int64())),
            "topic": pa.array(topics, type=pa.int64()),
            "weight": pa.array(weights / 1e6, type=pa.float64()),
            "rank": pa.array(ranks + 1, type=pa.int64()),
        },
        schema=arrow_schema(DOC_TOPIC_COLUMNS),
    )
    positions = _positions(context, ids)
    known = positions >= 0
    counted = np.zeros(len(positions), dtype=bool)
    counted[known] = context.counted[positions[known]]
    placed = counted & kept[:, 0]
    unplaced = int(np.count_nonzero(counted & (micro.sum(axis=1) == 0)))
    dominant = np.bincount(order[placed, 0], minlength=k)
    mass = micro[placed].sum(axis=0)
    strongest: list[list[tuple[float, str]]] = []
    names = ids.to_pylist()
    for topic in range(k):
        values = np.where(placed & (micro[:, topic] >= round(context.min_weight * 1e6)), micro[:, topic], -1)
        chosen = np.flatnonzero(values >= 0)
        if 0 < context.examples < len(chosen):  # the largest weights, ties with the last of them included
            floor = np.partition(values[chosen], len(chosen) - context.examples)[len(chosen) - context.examples]
            chosen = chosen[values[chosen] >= floor]
        items = [(micro[i, topic] / 1e6, names[i]) for i in chosen.tolist()]
        strongest.append(heapq.nlargest(context.examples, items))
    codes = _period_codes(context, positions)
    period_weight, period_dominant = [], []
    for p, n_periods in enumerate(context.n_periods):
        code = codes[rows, p]
        dated = code >= 0
        summed = np.zeros((n_periods, k), dtype=np.int64)
        np.add.at(summed, (code[dated], topics[dated]), weights[dated])
        first = dated & (ranks == 0)
        firsts = np.zeros((n_periods, k), dtype=np.int64)
        np.add.at(firsts, (code[first], topics[first]), 1)
        period_weight.append(summed)
        period_dominant.append(firsts)
    return _TopicPart(
        table, dominant, mass, strongest, period_weight, period_dominant, uses, unplaced, int(np.count_nonzero(counted))
    )


def _theme_part(
    context: _Context, batch: pa.Table, *, stored: tuple[Path, tuple[int, ...]] | None = None
) -> _ThemePart:
    """Theme aggregates of a batch. Articles in a rare language (``context.deferred``) are left to the
    caller (``deferred``): a worker would load a whole lemmatiser dictionary for a handful of them.

    ``stored``: the Parquet file and row groups the batch was read from, without its tokens,
    which are read only when an earlier build's task does not answer (see :func:`_theme_hits`).
    A batch of stored rows with articles in a rare language is kept whole once the caller has
    matched those (:func:`_kept_whole`): the next build's task reads every row's themes back, its
    tokens not read, nothing left to the caller.
    """
    if context.deferred:
        rare = pc.fill_null(pc.is_in(batch["language"], value_set=pa.array(sorted(context.deferred))), False)
        if pc.any(rare).as_py():
            key: bytes | None = None
            found: bytes | None = None
            if stored is not None and isinstance(context.cache, FileRef):
                from analysis.cache import stored_entry, unpack

                key, found = stored_entry(context.cache, *stored, list(_THEME_COLUMNS))
            if key is not None and found is not None:  # every row's themes, those of the rare languages too
                at, which, many = (np.frombuffer(data, dtype=np.int64) for data in marshal.loads(unpack(found)))
                return _theme_counts(context, batch, at, which, many, {THEMES_CACHE: CacheUse(hits=[key])})
            batch = _with_tokens(batch, stored)  # (the rows kept keyed by their content)
            deferred = batch.filter(rare)
            batch = batch.filter(pc.invert(rare))
            at, which, many, uses = _theme_hits(context, batch)
            part = _theme_counts(context, batch, at, which, many, uses, deferred)
            if key is not None:
                rows = rare.combine_chunks().to_numpy(zero_copy_only=False)
                part.pending = (key, np.flatnonzero(~rows), np.flatnonzero(rows), (at, which, many))
            return part
    at, which, many, uses = _theme_hits(context, batch, stored)
    return _theme_counts(context, batch, at, which, many, uses)


def _theme_counts(
    context: _Context,
    batch: pa.Table,
    at: np.ndarray,
    which: np.ndarray,
    many: np.ndarray,
    uses: dict[str, CacheUse],
    deferred: pa.Table | None = None,
) -> _ThemePart:
    """The aggregates of ``batch``'s theme hits (its rows ``at``, the themes' columns, the hits)."""
    codes = _period_codes(context, _positions(context, batch["article_id"].combine_chunks()))
    articles_out, hits_out = [], []
    for p, n_periods in enumerate(context.n_periods):
        code = codes[at, p]
        dated = code >= 0
        articles = np.zeros((n_periods, len(context.themes)), dtype=np.int64)
        summed = np.zeros((n_periods, len(context.themes)), dtype=np.int64)
        np.add.at(articles, (code[dated], which[dated]), 1)
        np.add.at(summed, (code[dated], which[dated]), many[dated].astype(np.int64))
        articles_out.append(articles)
        hits_out.append(summed)
    return _ThemePart(len(np.unique(at)), articles_out, hits_out, deferred, uses)


def _kept_whole(context: _Context, part: _ThemePart, hits: tuple[np.ndarray, np.ndarray, np.ndarray]) -> CacheUse:
    """Store the themes of every row of ``part``'s batch: its own hits and ``hits``, those of the
    articles it left to the caller (:attr:`_ThemePart.pending`), in the batch's row order."""
    from analysis.cache import pack

    assert part.pending is not None and isinstance(context.cache, FileRef)
    key, own_rows, deferred_rows, own = part.pending
    at = np.concatenate([own_rows[own[0]], deferred_rows[hits[0]]])
    order = np.argsort(at, kind="stable")
    values = (at[order], np.concatenate([own[1], hits[1]])[order], np.concatenate([own[2], hits[2]])[order])
    return context.cache.put(key, pack(marshal.dumps([v.astype(np.int64).tobytes() for v in values])))


def _with_tokens(batch: pa.Table, stored: tuple[Path, tuple[int, ...]] | None) -> pa.Table:
    """``batch`` with its tokens, read from where it was stored when it lacks them."""
    from analysis.engine import read_row_groups

    if stored is None:
        return batch
    return batch.append_column("tokens", read_row_groups(stored[0], stored[1], ["tokens"])["tokens"])


def _theme_hits(
    context: _Context, batch: pa.Table, stored: tuple[Path, tuple[int, ...]] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, CacheUse]]:
    """Where ``batch``'s articles hold a theme at least ``min_hits`` times: their rows, the themes'
    columns, the hits; with the context's cache, read back when an earlier build's task matched the
    same rows (their ids, languages and tokens; of a ``stored`` batch, their stored bytes)."""
    from analysis.cache import pack, stored_entry, task_entry, unpack

    ref = context.cache
    key, found = stored_entry(ref, *stored, list(_THEME_COLUMNS)) if stored else task_entry(ref, batch)
    if found is not None:
        at, which, many = (np.frombuffer(data, dtype=np.int64) for data in marshal.loads(unpack(found)))
        return at, which, many, {THEMES_CACHE: CacheUse(hits=[key])}
    batch = _with_tokens(batch, stored)
    assert context.matcher is not None
    if context.reduced and not context.__dict__.get("_learnt"):  # once per process: the keyword stage's words
        for lang, known in context.reduced.items():
            context.matcher.tokenizer.learn_reduced(lang, known)
        context.__dict__["_learnt"] = True
    counted = context.matcher.hits_many(batch["language"].combine_chunks(), batch["tokens"].combine_chunks())
    column = {theme: i for i, theme in enumerate(context.themes)}
    rows, themes, hits = [], [], []
    for row, counts in enumerate(counted):
        for theme_id, n in counts.items():
            if n >= context.min_hits:
                rows.append(row)
                themes.append(column[theme_id])
                hits.append(n)
    at, which, many = (np.asarray(values, dtype=np.int64) for values in (rows, themes, hits))
    uses: dict[str, CacheUse] = {}
    if isinstance(ref, FileRef):
        uses[THEMES_CACHE] = ref.put(key, pack(marshal.dumps([values.tobytes() for values in (at, which, many)])))
    return at, which, many, uses


#: The caches of the stage (folders of files): per task of the theme matching, the themes its rows
#: hold; per language, the theme terms' words (what the tokenizer reduces them to, see _prepared).
THEMES_CACHE, TABLES_CACHE = "themes", "theme_tables"
#: Per topics task, its articles' weights (millionths, articles x topics), read back when an earlier
#: build's task weighed the same term rows (their stored bytes) with the same model (:func:`weights_fingerprint`).
WEIGHTS_CACHE = "topic_weights"


def weights_fingerprint(model: TopicModel) -> str:
    """What a task's weights depend on besides its term rows: the model (:meth:`TopicModel.digest`) and this code."""
    import sys

    from analysis.cache import code_digest

    code = code_digest(sys.modules[__name__], "numpy", "scipy", "scikit-learn", "pyarrow")
    return repr((code, model.digest()))


def _prepared(matcher: ThemeMatcher, languages: list[str], caches: Caches | None) -> ThemeMatcher:
    """``matcher.prepare(languages)``, each language's keys read from :data:`TABLES_CACHE` when an
    earlier build made them (reducing the theme terms loads the lemmatiser's dictionaries: 1.7 s
    of the main process for the bench corpus's languages), stored otherwise."""
    from analysis.cache import pack, unpack

    if caches is None:
        return matcher.prepare(languages)
    ref = caches.refs[TABLES_CACHE]
    assert isinstance(ref, FileRef)
    keys = {lang: ref.key(lang) for lang in languages}
    found = ref.get(list(keys.values()))
    known: dict[str | None, dict[tuple[str, ...], list[str]]] = {
        lang: marshal.loads(unpack(found[key])) for lang, key in keys.items() if key in found
    }
    matcher.prepare(languages, known)
    for lang, key in keys.items():
        if lang in known:
            caches.record({TABLES_CACHE: CacheUse(hits=[key])})
        else:
            caches.record({TABLES_CACHE: ref.put(key, pack(marshal.dumps(matcher.table_keys(lang))))})
    return matcher


def theme_fingerprint(themes: Mapping[str, tuple[str, Sequence[str]]], tokenizer: Tokenizer, min_hits: int) -> str:
    """What the themes of a task's rows depend on besides the rows: the themes' terms, the tokenizer
    (its options, stopwords and libraries: :func:`analysis.tokens.lexicon_digest`), this code."""
    import sys

    from analysis import tokens
    from analysis.cache import code_digest

    code = code_digest(sys.modules[__name__], tokens, "numpy", "pyarrow")
    terms = sorted((theme, label, list(words)) for theme, (label, words) in themes.items())
    return repr((code, tokens.lexicon_digest(tokenizer), terms, min_hits, marshal.version))


#: Contexts of the stages running in this process, by the path of their pickle: tasks run here use
#: the live objects (their tokenizer already knows the corpus's words), other processes the pickle.
_LIVE: dict[str, _Context] = {}


#: The token table's columns a theme task reads.
_THEME_COLUMNS = ("article_id", "language", "tokens")


def _stage_task(task: tuple[str, str, str, tuple[int, ...]]) -> _TopicPart | _ThemePart:
    """One task of the stage: ``(kind, context pickle, Parquet file, row groups)``; kind ``topics`` or ``themes``."""
    from analysis.engine import read_row_groups, shared

    kind, context_path, path, groups = task
    context: _Context = _LIVE.get(context_path) or shared(context_path)
    if kind == "topics":
        if context.weights is None:
            return _topic_part(context, read_row_groups(Path(path), groups, ["article_id", "terms"]))
        # the terms read only when no earlier build's task answers for these rows
        return _topic_part(context, read_row_groups(Path(path), groups, ["article_id"]), (Path(path), groups))
    if context.cache is None:
        return _theme_part(context, read_row_groups(Path(path), groups, list(_THEME_COLUMNS)))
    # the tokens read only when no earlier build's task answers for these rows
    batch = read_row_groups(Path(path), groups, ["article_id", "language"])
    return _theme_part(context, batch, stored=(Path(path), groups))


def _task_file(path: Path, columns: list[str], batch_size: int, work_dir: Path) -> tuple[Path, bool]:
    """``path``, or a copy of its ``columns`` in row groups of ``batch_size`` when its row groups are huge
    (a task reads whole row groups); the flag says whether a copy was made.
    """
    import pyarrow.parquet as pq

    from analysis.io.store import open_parquet

    source = open_parquet(path)
    metadata = source.metadata
    largest = max((metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)), default=0)
    if largest <= 4 * batch_size:
        return path, False
    target = work_dir / f".topics-{path.stem}.parquet"
    writer: pq.ParquetWriter | None = None
    try:
        for batch in source.iter_batches(batch_size=batch_size, columns=columns):
            table = pa.Table.from_batches([batch])
            if writer is None:
                writer = pq.ParquetWriter(target, table.schema)
            writer.write_table(table, row_group_size=batch_size)
    finally:
        if writer is not None:
            writer.close()
    return target, True


def _period_index(meta: pd.DataFrame, periods: Sequence[str], include_duplicates: bool) -> tuple[np.ndarray, list]:
    """Per article and period type, the number of its period among the counted dated articles' (-1: none)."""
    counted = np.ones(len(meta), dtype=bool) if include_duplicates else meta["duplicate_of"].isna().to_numpy(bool)
    in_base = counted & meta["published"].notna().to_numpy(bool)
    codes = np.full((len(meta), len(periods)), -1, dtype=np.int64)
    values = []
    stamps = pa.array(meta["published"]).cast(pa.timestamp("us", tz="UTC"))  # (from Arrow: far faster than astype)
    published = pd.Series(stamps.to_pandas(), index=meta.index)
    for p, period in enumerate(periods):
        starts = period_start(published[in_base], period)
        numbers, uniques = pd.factorize(starts, sort=True)
        codes[np.flatnonzero(in_base), p] = numbers
        values.append(uniques)
    return codes, values


def _trend_frame(
    period_type: str, starts: Any, totals: np.ndarray, keys: Any, columns: dict[str, np.ndarray]
) -> pd.DataFrame:
    """Every key in every period of one period type (periods x keys arrays flattened row by row)."""
    n_keys = len(keys)
    return pd.DataFrame(
        {
            "period_type": period_type,
            "period": np.repeat(np.asarray(starts), n_keys),
            "key": np.tile(np.asarray(keys), len(starts)),
            **{name: values.reshape(-1) for name, values in columns.items()},
            "period_articles": np.repeat(totals, n_keys),
        }
    )


def _share_live(context: _Context, path: Path) -> Path:
    """Share ``context`` with the workers (a pickle at ``path``); tasks run in this process use it as is."""
    from analysis.engine import share

    share(context, path)
    _LIVE[str(path)] = context
    return path


@dataclass
class _ThemeTotals:
    """The themes' aggregates over every batch."""

    on_theme: int
    articles: list[np.ndarray]  # per period type: periods x themes
    hits: list[np.ndarray]


def _match_themes(
    engine: Engine, tasks: list[Any], context: _Context, stop: threading.Event, caches: Caches | None
) -> _ThemeTotals:
    """Run the theme tasks on ``engine`` and add up their parts (and the articles they left here), in task order."""
    totals = _ThemeTotals(0, [np.zeros((n, len(context.themes)), np.int64) for n in context.n_periods], [])
    totals.hits = [np.zeros_like(a) for a in totals.articles]
    for part in engine.map(_stage_task, (task for task in tasks if not stop.is_set())):
        assert isinstance(part, _ThemePart)
        parts = [part]
        if part.deferred is not None:
            at, which, many, uses = _theme_hits(context, part.deferred)
            parts.append(_theme_counts(context, part.deferred, at, which, many, uses))
            if part.pending is not None:  # (stored whole for the next build)
                part.cache.setdefault(THEMES_CACHE, CacheUse()).new.extend(
                    _kept_whole(context, part, (at, which, many)).new
                )
        for piece in parts:
            if caches:
                caches.record(piece.cache)
            totals.on_theme += piece.on_theme
            for p in range(len(context.n_periods)):
                totals.articles[p] += piece.period_articles[p]
                totals.hits[p] += piece.period_hits[p]
    if stop.is_set():
        raise RuntimeError("topics: theme matching stopped")
    return totals


#: A model read from a file that leaves this share of the articles counted or more without a topic
#: (none of its terms in them) was most likely fitted on other texts: the commands say so.
FOREIGN_MODEL_SHARE = 0.5


def mostly_unplaced(unplaced: int, counted: int) -> bool:
    """Whether a model leaving ``unplaced`` of ``counted`` articles without a topic knows too few
    of the corpus's terms (:data:`FOREIGN_MODEL_SHARE` of them or more; never for no article)."""
    return counted > 0 and unplaced >= FOREIGN_MODEL_SHARE * counted


def foreign_model_warning(counts: dict[str, Any]) -> str | None:
    """What to tell the user when the topic stage's ``counts`` (of :func:`run_stage`) show a model
    read from a file that knows too few of the corpus's terms (see :func:`mostly_unplaced`)."""
    counted, unplaced = counts.get("articles_counted", 0), counts.get("articles_without_topic", 0)
    if not counts.get("model_file") or not mostly_unplaced(unplaced, counted):
        return None
    return (
        f"warning: {unplaced} of the {counted} articles counted ({unplaced / counted:.0%}) hold none of the terms"
        f" of the topic model read from {counts['model_file']}: it was most likely fitted on other texts"
        " (another language, other token or keyword options), and those articles have no topic"
    )


def run_stage(
    articles: Path,
    tokens_path: Path,
    terms_path: Path,
    out_dir: Path,
    options: TopicOptions,
    tokenizer: Tokenizer,
    *,
    batch_size: int = 2000,
    engine: Engine | None = None,
    work_dir: Path | None = None,
    cache: Path | None = None,
    fresh: bool = False,
    cache_counts: dict[str, dict[str, int]] | None = None,
) -> dict[str, Any]:
    """Fit the topic model, weigh every article, track topics and themes per period.

    Reads the article table (dates, duplicates), the token table (for themes) and the interim
    term table of the keyword stage; writes ``topics``, ``doc_topics``, ``topic_trends`` and
    ``theme_trends`` (Parquet) into ``out_dir``, and the model (:data:`TOPIC_MODEL_FILE`, when
    there is one); returns counts for the manifest. The model is fitted here, or read from
    ``options.model_file`` (a model an earlier build saved: its topics, not fitted again);
    weighing the articles and matching the themes run as tasks on ``engine`` (default: this
    process), one per few row groups, whose ``doc_topics`` rows and aggregates are combined in
    task order: the same bytes whatever the engine and its number of workers. With
    ``cache`` (the folder of :mod:`analysis.cache`), a theme task whose rows an earlier build's
    task had reads their themes back (:data:`THEMES_CACHE`), each language's theme words are
    read back (:data:`TABLES_CACHE`), and a topics task whose term rows an earlier build's task
    weighed with the same model reads their weights back (:data:`WEIGHTS_CACHE`); ``fresh``: they
    start empty; their use goes to ``cache_counts``.
    """
    from analysis.engine import SerialEngine, available_cores, row_group_tasks
    from analysis.io.store import ParquetWriter
    from analysis.keywords import read_meta, string_array, write_table
    from analysis.schema import (
        DOC_TOPIC_COLUMNS,
        THEME_TREND_COLUMNS,
        TOPIC_COLUMNS,
        TOPIC_TREND_COLUMNS,
        arrow_schema,
    )
    from analysis.tokens import LEXICON_FILE, read_lexicon

    engine = engine or SerialEngine()
    work = work_dir or out_dir
    work.mkdir(parents=True, exist_ok=True)
    meta = read_meta(articles)
    counted_mask = np.ones(len(meta), dtype=bool)
    if not options.include_duplicates:
        counted_mask = meta["duplicate_of"].isna().to_numpy(bool)
    ids = string_array(meta["article_id"])
    themes = load_themes(options.themes, packaged=options.packaged_themes)
    theme_ids = tuple(sorted(themes))
    codes, period_values = _period_index(meta, options.periods, options.include_duplicates)
    n_periods = tuple(len(v) for v in period_values)
    languages = meta["language"].dropna().astype(str).value_counts()
    caches = None
    if cache:
        fingerprint = theme_fingerprint(themes, tokenizer, options.theme_min_hits)
        names = {THEMES_CACHE: fingerprint, TABLES_CACHE: fingerprint}
        caches = Caches(cache, names, fresh=fresh, files=list(names))
    context = _Context(
        model=None,
        # the tables of the corpus's languages built here once (other processes build those of any other)
        matcher=_prepared(ThemeMatcher(themes, tokenizer), list(languages.index), caches),
        themes=theme_ids,
        deferred=frozenset(languages.index[languages < RARE_LANGUAGE * len(meta)]),
        ids=ids,
        counted=counted_mask,
        codes=codes,
        n_periods=n_periods,
        min_weight=options.min_weight,
        examples=options.examples,
        min_hits=options.theme_min_hits,
        # every token's term as the keyword stage's workers found it: this stage's workers need not
        # load the lemmatiser's dictionaries and reduce each token again
        reduced={} if isinstance(engine, SerialEngine) else read_lexicon(work / LEXICON_FILE, tokenizer),
        cache=caches.refs[THEMES_CACHE] if caches else None,
    )
    leftovers: list[Path] = []  # shared pickles and copies, removed at the end
    stop = threading.Event()
    background: Future[_ThemeTotals] | None = None
    helper = ThreadPoolExecutor(max_workers=1) if engine.workers > 1 else None
    try:
        token_file, copied = _task_file(tokens_path, ["article_id", "language", "tokens"], batch_size, work)
        leftovers += [token_file] if copied else []
        theme_path = _share_live(context, work / ".topics-themes.pkl")
        leftovers.append(theme_path)
        theme_tasks = [("themes", str(theme_path), str(token_file), g) for g in row_group_tasks(token_file, batch_size)]
        match = partial(_match_themes, engine, theme_tasks, context, stop, caches)
        if helper is not None:  # the workers match the themes while this process fits the model
            background = helper.submit(match)
        # As many threads as the build has workers (on this machine's cores): they are idle meanwhile.
        threads = min(engine.workers, available_cores())
        model: TopicModel | None = None
        fitted: TopicModel | None = None  # (the model when this stage fitted it)
        skipped = None
        try:
            if options.model_file:
                model = TopicModel.load(Path(options.model_file), options)
            else:
                model = fitted = fit_topics(
                    terms_path,
                    ids.filter(pa.array(counted_mask)),
                    options,
                    batch_size=batch_size,
                    threads=threads,
                    meta=meta,
                )
        except TooFewForTopics as exc:  # no topics; the themes all the same
            skipped = str(exc)
        k = model.n_topics_ if model is not None else 0
        strongest: list[list[tuple[float, str]]] = [[] for _ in range(k)]
        dominant = np.zeros(k, dtype=np.int64)
        unplaced = counted = 0
        mass = np.zeros(k, dtype=np.int64)
        period_weight = [np.zeros((n, k), dtype=np.int64) for n in n_periods]
        period_dominant = [np.zeros((n, k), dtype=np.int64) for n in n_periods]
        writer = ParquetWriter(out_dir / DOC_TOPICS_FILE, arrow_schema(DOC_TOPIC_COLUMNS))
        weights: Caches | None = None
        try:
            tasks = []
            if model is not None:
                if cache:
                    fingerprints = {WEIGHTS_CACHE: weights_fingerprint(model)}
                    weights = Caches(cache, fingerprints, fresh=fresh, files=list(fingerprints))
                ref = weights.refs[WEIGHTS_CACHE] if weights else None
                context = replace(context, model=model, matcher=None, reduced={}, weights=ref)
                topic_path = _share_live(context, work / ".topics.pkl")
                leftovers.append(topic_path)
                term_file, copied = _task_file(terms_path, ["article_id", "terms"], batch_size, work)
                leftovers += [term_file] if copied else []
                tasks = [("topics", str(topic_path), str(term_file), g) for g in row_group_tasks(term_file, batch_size)]
            for part in engine.map(_stage_task, tasks):
                assert isinstance(part, _TopicPart)
                if weights:
                    weights.record(part.cache)
                writer.write(part.rows)
                dominant += part.dominant
                unplaced += part.unplaced
                counted += part.counted
                mass += part.mass
                for topic in range(k):
                    strongest[topic] = heapq.nlargest(options.examples, strongest[topic] + part.strongest[topic])
                for p in range(len(n_periods)):
                    period_weight[p] += part.period_weight[p]
                    period_dominant[p] += part.period_dominant[p]
            writer.close()
            if weights:
                used = weights.finish()
                if cache_counts is not None:
                    cache_counts.update(used)
        except BaseException:
            writer.abort()
            if weights:
                weights.close()
            raise
        matched = background.result() if background is not None else match()
        if caches:
            used = caches.finish()
            if cache_counts is not None:
                cache_counts.update(used)
    except BaseException:
        if caches:
            caches.close()
        raise
    finally:
        stop.set()  # (after an error: no more theme tasks)
        if helper is not None:
            helper.shutdown(wait=True)
        for path in leftovers:
            _LIVE.pop(str(path), None)
            path.unlink(missing_ok=True)
    tops = model.top_terms() if model is not None else []
    labels = {t: label([term for term, _ in tops[t]]) for t in range(k)}
    total_mass = mass.sum() or 1
    topics = pd.DataFrame(
        {
            "topic": range(k),
            "label": [labels[t] for t in range(k)],
            "terms": [[term for term, _ in tops[t]] for t in range(k)],
            "weights": [[weight for _, weight in tops[t]] for t in range(k)],
            "coherence": np.round(model.coherence_ if model is not None else np.zeros(0), 6),
            "share": np.round(mass / total_mass, 6),
            "articles": dominant,
            "examples": [[a for _, a in sorted(strongest[t], key=lambda x: (-x[0], x[1]))] for t in range(k)],
            "model": model.options.model if model is not None else options.model,
            "n_topics": k,
        }
    )
    topic_frames, theme_frames = [], []
    theme_labels = {t: lab for t, (lab, _) in themes.items()}
    for p, period in enumerate(options.periods):
        starts = period_values[p]
        if not len(starts):
            continue
        totals = np.bincount(codes[codes[:, p] >= 0, p], minlength=len(starts))
        frame = _trend_frame(
            period, starts, totals, np.arange(k), {"weight": period_weight[p] / 1e6, "articles": period_dominant[p]}
        )
        frame["share"] = frame["weight"] / frame["period_articles"]
        topic_frames.append(frame.rename(columns={"key": "topic"}).assign(label=lambda f: f["topic"].map(labels)))
        frame = _trend_frame(
            period, starts, totals, theme_ids, {"articles": matched.articles[p], "hits": matched.hits[p]}
        )
        frame["share"] = (frame["articles"] / frame["period_articles"]).round(6)
        theme_frames.append(frame.rename(columns={"key": "theme"}).assign(label=lambda f: f["theme"].map(theme_labels)))
    write_table(topics, out_dir / TOPICS_FILE, TOPIC_COLUMNS)
    if model is not None:
        model.save(out_dir / TOPIC_MODEL_FILE)
    else:
        (out_dir / TOPIC_MODEL_FILE).unlink(missing_ok=True)  # an earlier build's model is not this one's
    write_table(_finish_topic_trends(topic_frames), out_dir / TOPIC_TRENDS_FILE, TOPIC_TREND_COLUMNS)
    write_table(_finish_theme_trends(theme_frames), out_dir / THEME_TRENDS_FILE, THEME_TREND_COLUMNS)
    return {
        "model": model.options.model if model is not None else options.model,
        **({"model_file": options.model_file} if options.model_file else {}),
        "n_topics": k,
        "coherence": round(float(model.coherence_.mean()), 4) if model is not None else None,
        # (none tried for a model read from a file: its own scores stay in it)
        "coherence_by_k": {str(n): s for n, s in fitted.scores_.items()} if fitted is not None else {},
        "coherence_pools": model.pools_ if model is not None else 0,
        **({"no_topics": skipped} if skipped else {}),
        "doc_topics": writer.rows,
        "articles_counted": counted,
        "articles_without_topic": unplaced,
        "themes": len(themes),
        "articles_on_a_theme": matched.on_theme,
    }
