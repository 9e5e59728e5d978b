"""Topic quality and keyword/topic speed, against the plain scikit-learn recipe, in the same run.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/topics_vs_lda.py [--sizes 10000 100000]``).

1. **Coherence**: on Le Monde RSS 2022 from ``../shared/corpus`` (the demo corpus when absent), our
   topics (NMF on TF-IDF of lemmas and phrases, number of topics chosen by NPMI) against the
   usual notebook recipe: ``CountVectorizer()`` with its default tokenisation on the raw title and
   text, then ``LatentDirichletAllocation`` with the same number of topics. Both are scored the
   same way: mean NPMI of each topic's 10 top terms, document co-occurrence over the same
   articles, each model's terms looked up in its own tokenisation of them.
2. **Runtime** of the keyword and topic stages at 10k and 100k articles: the processed tables
   are resampled (rows drawn with replacement, given new ids) up to each size, so the text is
   real and the vocabulary grows as it would.

Results are printed and written to ``data/interim/bench/topics.json``. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT / "src"))

from analysis import keywords, topics  # noqa: E402
from analysis.config import Paths, load_options  # noqa: E402
from analysis.pipeline import build  # noqa: E402
from analysis.tokens import Tokenizer  # noqa: E402


def processed_corpus(work: Path) -> tuple[str, Path]:
    """Build the benchmark corpus into ``work`` (Le Monde RSS 2022, else the demo corpus): the build
    redoes what the code or the inputs changed since the last run and reuses the rest (a run that
    kept any earlier build whole scored the code of its day)."""
    options = load_options(paths=Paths.from_root(ROOT))
    source = SHARED / "lemonde_rss_2022"
    name = "lemonde_rss_2022" if source.is_dir() else "demo"
    raw = source if source.is_dir() else ROOT / "data" / "raw"
    out = work / name
    build(options, Paths.from_root(ROOT), raw=[raw], out_dir=out)
    return name, out


def baseline_lda(texts: list[str], k: int, top: int = 10, seed: int = 0) -> tuple[float, list[list[str]], float]:
    """The notebook recipe: default CountVectorizer + LDA; its mean NPMI over its own tokenisation."""
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer

    started = time.perf_counter()
    vectorizer = CountVectorizer()
    counts = vectorizer.fit_transform(texts)
    lda = LatentDirichletAllocation(n_components=k, random_state=seed, learning_method="batch", max_iter=100)
    lda.fit(counts)
    seconds = time.perf_counter() - started
    terms = vectorizer.get_feature_names_out()
    tops = [np.argsort(-row)[:top] for row in lda.components_]
    presence = (counts > 0).astype(np.float64).tocsc()
    coherence = topics.npmi_coherence(tops, presence)
    return float(coherence.mean()), [[str(terms[i]) for i in t] for t in tops], seconds


def resample(processed: Path, size: int, target: Path, seed: int = 0) -> None:
    """Articles and tokens drawn with replacement up to ``size`` rows, each with a new id."""
    articles = pq.read_table(processed / "articles.parquet")
    tokens = pq.read_table(processed / "tokens.parquet")
    keep = np.flatnonzero(pd.isna(articles.column("duplicate_of").to_pandas()).to_numpy())
    rows = np.random.default_rng(seed).choice(keep, size=size, replace=True)
    ids = pa.array([f"r{i:08d}" for i in range(size)])
    target.mkdir(parents=True, exist_ok=True)
    picked = articles.take(pa.array(rows))
    picked = picked.set_column(picked.column_names.index("article_id"), "article_id", ids)
    pq.write_table(picked, target / "articles.parquet")
    position = {a: i for i, a in enumerate(tokens.column("article_id").to_pylist())}
    source_ids = articles.column("article_id").to_pylist()
    token_rows = pa.array([position[source_ids[r]] for r in rows])
    picked_tokens = tokens.take(token_rows)
    picked_tokens = picked_tokens.set_column(0, "article_id", ids)
    pq.write_table(picked_tokens, target / "tokens.parquet")


def stage_times(folder: Path) -> dict[str, float]:
    options = load_options(paths=Paths.from_root(ROOT))
    tokenizer = Tokenizer(options.tokens)
    started = time.perf_counter()
    keywords.run_stage(
        folder / "articles.parquet", folder / "tokens.parquet", folder, folder, options.keywords, tokenizer
    )
    middle = time.perf_counter()
    topics.run_stage(
        folder / "articles.parquet",
        folder / "tokens.parquet",
        folder / keywords.INTERIM_TERMS_FILE,
        folder,
        replace(options.topics),
        tokenizer,
    )
    done = time.perf_counter()
    return {"keywords_s": round(middle - started, 1), "topics_s": round(done - middle, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    args = parser.parse_args()
    target = ROOT / "data" / "interim" / "bench"
    target.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        name, processed = processed_corpus(target / "corpora")
        ours = pd.read_parquet(processed / "topics.parquet")
        manifest = json.loads((processed / "manifest.json").read_text())
        k = int(ours["n_topics"].iloc[0])
        articles = pd.read_parquet(processed / "articles.parquet", columns=["title", "text", "duplicate_of"])
        articles = articles[articles["duplicate_of"].isna()]
        texts = [f"{t or ''}\n{x or ''}" for t, x in zip(articles["title"], articles["text"], strict=True)]
        base_score, base_terms, base_seconds = baseline_lda(texts, k)
        results["coherence"] = {
            "corpus": name,
            "articles": len(texts),
            "n_topics": k,
            "ours_nmf_mean_npmi": round(float(ours["coherence"].mean()), 4),
            "ours_coherence_by_k": manifest["counts"]["topics"]["coherence_by_k"],
            "ours_labels": ours["label"].tolist(),
            "baseline_lda_mean_npmi": round(base_score, 4),
            "baseline_lda_seconds": round(base_seconds, 1),
            "baseline_labels": [" · ".join(t[:4]) for t in base_terms],
            "ours_seconds": manifest["run"]["seconds"],
        }
        print(json.dumps(results["coherence"], indent=1, ensure_ascii=False), flush=True)
        for size in args.sizes:
            folder = work / f"n{size}"
            resample(processed, size, folder)
            timing = stage_times(folder)
            timing["articles_per_s"] = round(size / (timing["keywords_s"] + timing["topics_s"]))
            results[f"runtime_{size}"] = timing
            print(f"{size} articles: {timing}", flush=True)
    (target / "topics.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {target / 'topics.json'}")


if __name__ == "__main__":
    main()
