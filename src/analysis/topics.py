"""Topics the corpus discovers, themes the analyst follows, and how both move over time.

- **Topic model** (:class:`TopicModel`): NMF on TF-IDF of each article's terms (lemmas and learnt
  phrases, from the keyword stage) by default, LDA on raw counts as an option (scikit-learn).
  Deterministic: NNDSVD initialisation for NMF, a fixed seed for LDA, sorted vocabulary, weights
  rounded in the outputs. The number of topics is chosen in a range by mean NPMI coherence of
  each topic's top terms over the articles (ties go to fewer topics), unless set; the candidates
  are compared on at most ``select_sample`` articles, then the chosen one is fitted on the whole
  sample. The model is fit on a bounded, deterministic sample of articles (``fit_sample``) and
  applied to all of them, batch by batch.
- **Topic tables**: each topic's label (top terms), terms with weights, coherence, share, example
  articles; each article's topic weights (normalised to sum to 1); the topic share per period
  (sum of the period's weights over its articles).
- **Themes** (:func:`load_themes`, :class:`ThemeMatcher`): named lists of terms and phrases in a
  data file (``data/themes.toml``) plus the user's ``[topics.themes]``, matched on lemmas in any
  language the tokenizer knows; an article is on a theme when its terms occur at least
  ``theme_min_hits`` times. Tracked per period next to the topics.
"""

from __future__ import annotations

import heapq
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.periods import check_period, period_start
from analysis.tokens import Tokenizer

THEMES_FILE = Path(__file__).parent / "data" / "themes.toml"
TOPICS_FILE = "topics.parquet"
DOC_TOPICS_FILE = "doc_topics.parquet"
TOPIC_TRENDS_FILE = "topic_trends.parquet"
THEME_TRENDS_FILE = "theme_trends.parquet"


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
    select_sample: int = 20000
    seed: int = 1
    max_iter: int = 400
    min_weight: float = 0.01
    periods: tuple[str, ...] = ("week", "month", "quarter", "year")
    include_duplicates: bool = False
    packaged_themes: bool = True
    theme_min_hits: int = 2
    themes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.model not in ("nmf", "lda"):
            raise ValueError(f"topics.model must be nmf or lda, not {self.model!r}")
        if self.min_topics < 2 or self.max_topics < self.min_topics:
            raise ValueError("topics: need 2 <= min_topics <= max_topics")
        for period in self.periods:
            check_period(period)


def _identity(terms: Sequence[str]) -> Sequence[str]:
    """The analyzer for precomputed term lists (a module function, so models pickle)."""
    return terms


# --- coherence ------------------------------------------------------------------------------------


def npmi_coherence(top_terms: Sequence[Any], presence: Any) -> np.ndarray:
    """Mean normalised PMI over the pairs of each topic's top terms (column indices of ``presence``).

    ``presence`` is a binary articles x terms sparse matrix: probabilities are document
    frequencies. A pair never seen together scores -1; NPMI is 1 for terms always together.
    """
    n_docs = presence.shape[0]
    scores = []
    for terms in top_terms:
        cols = presence[:, list(terms)]
        together = np.asarray((cols.T @ cols).todense(), dtype=float) / n_docs
        alone = np.diag(together)
        values = []
        for i in range(len(terms)):
            for j in range(i + 1, len(terms)):
                joint = together[i, j]
                if joint <= 0:
                    values.append(-1.0)
                elif joint >= 1:
                    values.append(1.0)
                else:
                    values.append(float(np.log(joint / (alone[i] * alone[j])) / -np.log(joint)))
        scores.append(float(np.mean(values)) if values else 0.0)
    return np.asarray(scores)


# --- the model ------------------------------------------------------------------------------------


class TopicModel:
    """NMF (or LDA) over article term lists, the number of topics chosen by NPMI coherence.

    scikit-learn contract: ``fit`` stores ``vectorizer_``, ``model_``, ``n_topics_``,
    ``components_`` (topics x terms, each row summing to 1), ``terms_``, ``coherence_`` (per
    topic) and ``scores_`` (mean coherence of each number of topics tried).
    """

    def __init__(self, options: TopicOptions | None = None) -> None:
        self.options = options or TopicOptions()

    def _vectorizer(self, n_docs: int) -> Any:
        from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

        o = self.options
        min_df = min(o.min_df, max(1, n_docs // 20))
        kind = TfidfVectorizer if o.model == "nmf" else CountVectorizer
        extra: dict[str, Any] = {"sublinear_tf": True} if o.model == "nmf" else {}
        return kind(
            analyzer=_identity,
            min_df=min_df,
            max_df=o.max_df if n_docs >= 20 else 1.0,
            max_features=o.max_features,
            dtype=np.float64,
            **extra,
        )

    def _estimator(self, k: int) -> Any:
        o = self.options
        if o.model == "nmf":
            from sklearn.decomposition import NMF

            return NMF(n_components=k, init="nndsvd", max_iter=o.max_iter, random_state=o.seed)
        from sklearn.decomposition import LatentDirichletAllocation

        return LatentDirichletAllocation(
            n_components=k, learning_method="batch", max_iter=min(o.max_iter, 100), random_state=o.seed
        )

    def fit(self, documents: Sequence[Sequence[str]]) -> TopicModel:
        """Fit on the term lists of a sample of articles."""
        o = self.options
        self.vectorizer_ = self._vectorizer(len(documents))
        matrix = self.vectorizer_.fit_transform(documents)
        self.terms_ = np.asarray(self.vectorizer_.get_feature_names_out(), dtype=object)
        presence = (matrix > 0).astype(np.float64).tocsc()
        if o.n_topics:
            candidates = [o.n_topics]
        else:
            upper = min(o.max_topics, max(2, matrix.shape[0] // 5), max(2, matrix.shape[1] // 5))
            candidates = list(range(min(o.min_topics, upper), upper + 1))
        self.scores_: dict[int, float] = {}
        # Choosing k fits one model per candidate: on a bounded part of the sample (the documents
        # come in a deterministic order), then the chosen k alone is fitted on the whole sample.
        select = matrix[: o.select_sample] if len(candidates) > 1 and matrix.shape[0] > o.select_sample else matrix
        select_presence = presence if select is matrix else (select > 0).astype(np.float64).tocsc()
        best: tuple[float, int, Any, np.ndarray] | None = None
        for k in candidates:
            estimator = self._estimator(k)
            estimator.fit(select)
            components = _normalise_rows(estimator.components_)
            tops = [np.argsort(-row, kind="stable")[: o.top_terms] for row in components]
            coherence = npmi_coherence(tops, select_presence)
            score = round(float(coherence.mean()), 6)
            self.scores_[k] = score
            if best is None or score > best[0]:
                best = (score, k, estimator, coherence)
        assert best is not None
        _, self.n_topics_, self.model_, coherence = best
        if select is not matrix:
            self.model_ = self._estimator(self.n_topics_).fit(matrix)
            final = _normalise_rows(self.model_.components_)
            coherence = npmi_coherence([np.argsort(-row, kind="stable")[: o.top_terms] for row in final], presence)
        components = _normalise_rows(self.model_.components_)
        # Topics numbered by their share of the sample's weight, largest first.
        weights = self._weights(matrix)
        order = np.argsort(-weights.sum(axis=0), kind="stable")
        self.order_ = order
        self.components_ = components[order]
        self.coherence_ = coherence[order]
        return self

    def _weights(self, matrix: Any) -> np.ndarray:
        raw = np.asarray(self.model_.transform(matrix))
        totals = raw.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(totals > 0, raw / np.where(totals > 0, totals, 1), 0.0)

    def transform(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        """Topic weights of each article (rows sum to 1; all zero when no term is known)."""
        matrix = self.vectorizer_.transform(documents)
        return self._weights(matrix)[:, self.order_]

    def top_terms(self, n: int | None = None) -> list[list[tuple[str, float]]]:
        n = n or self.options.top_terms
        out = []
        for row in self.components_:
            top = np.argsort(-row, kind="stable")[:n]
            out.append([(str(self.terms_[i]), round(float(row[i]), 6)) for i in top])
        return out


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    totals = matrix.sum(axis=1, keepdims=True)
    return np.asarray(matrix / np.where(totals > 0, totals, 1))


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


class ThemeMatcher:
    """Counts each theme's terms in an article's token stream, on lemmas (any inflection)."""

    def __init__(self, themes: Mapping[str, tuple[str, Sequence[str]]], tokenizer: Tokenizer) -> None:
        self.themes = dict(themes)
        self.tokenizer = tokenizer
        self._keys: dict[str | None, dict[tuple[str, ...], list[str]]] = {}

    def _lookup(self, lang: str | None) -> dict[tuple[str, ...], list[str]]:
        if lang not in self._keys:
            table: dict[tuple[str, ...], list[str]] = {}
            for theme_id, (_, terms) in self.themes.items():
                for term in terms:
                    key = tuple(self._stream(self.tokenizer.tokens(term, lang), lang))
                    if key and theme_id not in table.setdefault(key, []):
                        table[key].append(theme_id)
            self._keys[lang] = table
        return self._keys[lang]

    def _stream(self, tokens: Sequence[str], lang: str | None) -> list[str]:
        """Matching keys: lemmas without a plural ``s``/``x`` (lemmatisers miss rare plurals), stopwords as is.

        Tokens are lower-case except acronyms, so ``AI`` never matches ``ai`` (from ``j'ai``).
        """
        reduced = self.tokenizer.reduced(tokens, lang)
        return [_singular(term) if term is not None else token for token, term in zip(tokens, reduced, strict=True)]

    def hits(self, tokens: Sequence[str], lang: str | None) -> dict[str, int]:
        """Occurrences of each theme's terms in an article's tokens (longest match, no overlaps)."""
        table = self._lookup(lang)
        if not table:
            return {}
        sizes = sorted({len(k) for k in table}, reverse=True)
        words = self._stream(tokens, lang)
        found: dict[str, int] = {}
        i = 0
        while i < len(words):
            for size in sizes:
                themes = table.get(tuple(words[i : i + size]))
                if themes:
                    for theme_id in themes:
                        found[theme_id] = found.get(theme_id, 0) + 1
                    i += size
                    break
            else:
                i += 1
        return found


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
    """Topic weight and dominant-topic articles per period, as a share of the period's articles."""
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
    columns = ["period_type", "period", "topic", "label", "weight", "articles", "period_articles", "share"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
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
    columns = ["period_type", "period", "theme", "label", "articles", "hits", "period_articles", "share"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return (
        pd.concat(frames, ignore_index=True)[columns]
        .sort_values(["period_type", "period", "theme"], kind="stable")
        .reset_index(drop=True)
    )


# --- the stage ------------------------------------------------------------------------------------


#: Articles weighed together. NMF's transform stops on a tolerance computed over the rows it is
#: given, so weights depend (in the last digits) on how rows are grouped: fixed chunks of the
#: term table, whatever the batch size, keep the outputs identical.
TRANSFORM_CHUNK = 1024


def _iter_terms(path: Path, batch_size: int = TRANSFORM_CHUNK) -> Iterator[list[dict[str, Any]]]:
    """Rows of the term table in chunks of exactly ``batch_size`` (the last one shorter)."""
    import pyarrow.parquet as pq

    pending: list[dict[str, Any]] = []
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=["article_id", "terms"]):
        pending.extend(batch.to_pylist())
        while len(pending) >= batch_size:
            yield pending[:batch_size]
            pending = pending[batch_size:]
    if pending:
        yield pending


def fit_topics(terms_path: Path, counted: set[str], options: TopicOptions, *, batch_size: int = 2000) -> TopicModel:
    """A topic model fit on a deterministic sample (``fit_sample``) of the counted articles."""
    from analysis.keywords import sample_ids

    wanted = sample_ids(counted, options.fit_sample)
    documents: list[tuple[str, list[str]]] = []
    for rows in _iter_terms(terms_path, batch_size):
        documents.extend((r["article_id"], r["terms"]) for r in rows if r["article_id"] in wanted)
    documents.sort(key=lambda d: d[0])  # the same sample in the same order, whatever the file order
    if len(documents) < 4:
        raise ValueError(f"topics: {len(documents)} articles with terms; at least 4 are needed")
    return TopicModel(options).fit([terms for _, terms in documents])


def run_stage(
    articles: Path,
    tokens_path: Path,
    terms_path: Path,
    out_dir: Path,
    options: TopicOptions,
    tokenizer: Tokenizer,
    *,
    batch_size: int = 2000,
) -> dict[str, Any]:
    """Fit the topic model, weigh every article, track topics and themes per period.

    Reads the article table (dates, duplicates), the token table (for themes) and the interim
    term table of the keyword stage; writes ``topics``, ``doc_topics``, ``topic_trends`` and
    ``theme_trends`` (Parquet) into ``out_dir``; returns counts for the manifest.
    """
    from analysis.io.store import ParquetWriter
    from analysis.keywords import iter_tokens, read_meta, write_table
    from analysis.schema import (
        DOC_TOPIC_COLUMNS,
        THEME_TREND_COLUMNS,
        TOPIC_COLUMNS,
        TOPIC_TREND_COLUMNS,
        arrow_schema,
    )

    meta = read_meta(articles)
    counted_meta = meta if options.include_duplicates else meta[meta["duplicate_of"].isna()]
    counted = set(counted_meta["article_id"].astype(str))
    model = fit_topics(terms_path, counted, options, batch_size=batch_size)
    k = model.n_topics_
    strongest: list[list[tuple[float, str]]] = [[] for _ in range(k)]
    dominant = np.zeros(k, dtype=np.int64)
    mass = np.zeros(k)
    writer = ParquetWriter(out_dir / DOC_TOPICS_FILE, arrow_schema(DOC_TOPIC_COLUMNS))
    try:
        for rows in _iter_terms(terms_path):
            weights = np.round(model.transform([r["terms"] for r in rows]), 6)
            out: list[dict[str, Any]] = []
            for row, w in zip(rows, weights, strict=True):
                order = [t for t in np.argsort(-w, kind="stable") if w[t] >= options.min_weight]
                article_id = row["article_id"]
                for rank, topic in enumerate(order, 1):
                    out.append({"article_id": article_id, "topic": int(topic), "weight": float(w[topic]), "rank": rank})
                if article_id in counted and order:
                    dominant[order[0]] += 1
                    mass += w
                    for topic in order:
                        heap = strongest[topic]
                        item = (float(w[topic]), article_id)
                        if len(heap) < options.examples:
                            heapq.heappush(heap, item)
                        else:
                            heapq.heappushpop(heap, item)
            writer.write(out)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    tops = model.top_terms()
    labels = {t: label([term for term, _ in tops[t]]) for t in range(k)}
    total_mass = mass.sum() or 1.0
    topics = pd.DataFrame(
        {
            "topic": range(k),
            "label": [labels[t] for t in range(k)],
            "terms": [[term for term, _ in tops[t]] for t in range(k)],
            "weights": [[weight for _, weight in tops[t]] for t in range(k)],
            "coherence": np.round(model.coherence_, 6),
            "share": np.round(mass / total_mass, 6),
            "articles": dominant,
            "examples": [[a for _, a in sorted(strongest[t], key=lambda x: (-x[0], x[1]))] for t in range(k)],
            "model": options.model,
            "n_topics": k,
        }
    )
    import pyarrow.parquet as pq

    doc_topics = pq.read_table(out_dir / DOC_TOPICS_FILE).to_pandas()
    trends = topic_trends(doc_topics, meta, labels, options.periods, include_duplicates=options.include_duplicates)

    themes = load_themes(options.themes, packaged=options.packaged_themes)
    matcher = ThemeMatcher(themes, tokenizer)
    theme_rows: list[dict[str, Any]] = []
    for rows in iter_tokens(tokens_path, batch_size=batch_size):
        for row in rows:
            for theme_id, hits in sorted(matcher.hits(row["tokens"], row["language"]).items()):
                theme_rows.append({"article_id": row["article_id"], "theme": theme_id, "hits": hits})
    doc_themes = pd.DataFrame(theme_rows, columns=["article_id", "theme", "hits"])
    theme_table = theme_trends(
        doc_themes,
        meta,
        {t: lab for t, (lab, _) in themes.items()},
        options.periods,
        min_hits=options.theme_min_hits,
        include_duplicates=options.include_duplicates,
    )
    on_theme = doc_themes["hits"] >= options.theme_min_hits
    write_table(topics, out_dir / TOPICS_FILE, TOPIC_COLUMNS)
    write_table(trends, out_dir / TOPIC_TRENDS_FILE, TOPIC_TREND_COLUMNS)
    write_table(theme_table, out_dir / THEME_TRENDS_FILE, THEME_TREND_COLUMNS)
    return {
        "model": options.model,
        "n_topics": k,
        "coherence": round(float(model.coherence_.mean()), 4),
        "coherence_by_k": {str(n): s for n, s in model.scores_.items()},
        "doc_topics": writer.rows,
        "themes": len(themes),
        "articles_on_a_theme": int(doc_themes.loc[on_theme, "article_id"].nunique()),
    }
