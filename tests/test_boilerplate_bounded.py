"""Bounded counting in ``BoilerplateRemover.partial_fit``: the same sets as counting in memory, spilled or not."""

from __future__ import annotations

import gc
import pickle
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.boilerplate import BoilerplateOptions, BoilerplateRemover, Observed, _digest, _hash, line_key
from analysis.clean import _fitted

FURNITURE = {
    "sud": [
        "Le Journal du Sud, votre quotidien régional depuis 1952",
        "Le Journal du Sud remercie ses lecteurs fidèles",
    ],
    "nord": ["La Voix du Nord, toute l'actualité de la région", "Retrouvez nos pages sport chaque lundi matin"],
    "wire": [],
}
TOPICS = ["l'eau", "l'école", "le port", "la route", "le stade", "la gare", "le marché", "la mairie", "le pont"]


def corpus() -> tuple[list[str], list[str]]:
    """Three sources: two with furniture lines, one (25 articles) with a signature; exact copies among them."""
    texts, sources = [], []
    for source, lines in FURNITURE.items():
        for i, topic in enumerate(TOPICS * 3 if source == "wire" else TOPICS):
            body = f"Le conseil a voté mardi le budget consacré à {topic}, numéro {chr(97 + i % 26)}{i // 26}."
            extra = "\n\n".join(lines[: 1 + i % 2])
            last = "AFP" if source == "wire" else f"Mots {chr(97 + i)}"
            texts.append(f"{body}\n\n{extra}\n\n{last}" if extra else f"{body}\n\n{last}")
            sources.append(source)
    texts += texts[:3]  # exact copies, counted once: in their source ...
    sources += ["nord"] * 3  # ... whatever the source of the copy
    return texts, sources


def reference(remover: BoilerplateRemover, texts: Sequence[str], sources: Sequence[str]) -> tuple[dict, dict]:
    """What the remover learnt when it counted in Counters (before bounded counting)."""
    options = remover.options
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    edges: dict[str, Counter[int]] = defaultdict(Counter)
    articles: Counter[str] = Counter()
    seen: set[int] = set()
    for text, source in zip(texts, sources, strict=True):
        if not text or _digest(text) in seen:
            continue
        seen.add(_digest(text))
        articles[source] += 1
        keys = {_hash(k) for k in map(line_key, remover._units_text(text)) if len(k) >= options.repeat_min_chars}
        counts[source].update(keys)
        edges[source].update(remover._edge_keys(text))
    repeated = {
        s: frozenset(
            k for k, n in c.items() if n >= max(options.repeat_min_articles, options.repeat_min_share * articles[s])
        )
        for s, c in counts.items()
    }
    signatures = {
        s: frozenset(k for k, n in c.items() if n >= options.signature_min_share * articles[s])
        for s, c in edges.items()
        if articles[s] >= options.signature_min_articles
    }
    return repeated, signatures


def test_digests_are_unsigned_64_bit():
    assert all(0 <= _digest(text) < 1 << 64 for text in ["", "a", "é" * 100, *TOPICS])
    assert _hash("un texte") == _digest("un texte")


@pytest.mark.parametrize("spill_pairs", [1 << 21, 50, 7, 1])
def test_spilled_or_not_the_remover_learns_what_counters_learnt(spill_pairs):
    texts, sources = corpus()
    remover = BoilerplateRemover(spill_pairs=spill_pairs)
    for start in range(0, len(texts), 10):
        remover.partial_fit(texts[start : start + 10], sources[start : start + 10])
    assert (remover._tally.spilled > 0) == (spill_pairs < 100)
    remover._finish()
    repeated, signatures = reference(remover, texts, sources)
    assert remover.repeated_ == repeated and remover.signatures_ == signatures
    assert {s: len(k) for s, k in remover.repeated_.items()} == {"sud": 2, "nord": 2, "wire": 0}
    assert {s: len(k) for s, k in remover.signatures_.items()} == {"wire": 1}
    assert remover._tally.articles == Counter({"sud": 9, "nord": 9, "wire": 27})
    _, removed = remover.clean(texts[1], "sud")
    assert [r.reason for r in removed] == ["repeated", "repeated", "low_density"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.lists(st.sampled_from(["x" * 20, "y" * 16, "ab", "z" * 30, "", "w w w w w w w w w w"]), max_size=5),
            st.sampled_from("ab"),
        ),
        max_size=40,
    ),
    spill_pairs=st.integers(1, 30),
)
def test_any_corpus_any_spill_limit(rows, spill_pairs):
    texts = ["\n".join(lines) for lines, _ in rows]
    sources = [source for _, source in rows]
    options = BoilerplateOptions(repeat_min_articles=2, repeat_min_share=0.1, signature_min_articles=3)
    remover = BoilerplateRemover(options, spill_pairs=spill_pairs).fit(texts, sources)
    remover._finish()
    assert (remover.repeated_, remover.signatures_) == reference(remover, texts, sources)


def test_small_corpora_stay_in_memory_and_keep_counting():
    texts, sources = corpus()
    remover = BoilerplateRemover().partial_fit(texts[:20], sources[:20])
    remover._finish()
    remover.partial_fit(texts[20:], sources[20:])  # counting goes on after a look at what was learnt
    remover._finish()
    assert remover._tally.spilled == 0 and remover._tally._dir is None
    assert (remover.repeated_, remover.signatures_) == reference(remover, texts, sources)


def test_spill_files_are_removed_once_counted():
    texts, sources = corpus()
    remover = BoilerplateRemover(spill_pairs=5).fit(texts, sources)
    folder = remover._tally._dir
    assert folder is not None and any(folder.iterdir())
    remover._finish()
    assert not folder.exists()
    with pytest.raises(RuntimeError, match="fit the remover again"):
        remover.partial_fit(texts, sources)  # the counts are gone: only a fresh fit can add to them
    assert remover.fit(texts, sources).repeated_ is not None


def test_spill_files_go_where_asked(tmp_path):
    """A build spills into its own work folder, not the system's temporary directory (maybe RAM)."""
    texts, sources = corpus()
    remover = BoilerplateRemover(spill_pairs=5, spill_dir=tmp_path).fit(texts, sources)
    folder = remover._tally._dir
    assert folder is not None and folder.parent == tmp_path and any(folder.iterdir())
    remover._finish()
    in_memory = BoilerplateRemover().fit(texts, sources)
    in_memory._finish()
    assert not folder.exists() and remover.repeated_ == in_memory.repeated_


def test_spill_files_are_removed_with_the_remover_or_a_new_fit():
    texts, sources = corpus()
    remover = BoilerplateRemover(spill_pairs=5).fit(texts, sources)
    first = remover._tally._dir
    remover.fit(texts, sources)
    second = remover._tally._dir
    assert first is not None and second is not None and not first.exists() and second.exists()
    del remover
    gc.collect()
    assert not second.exists()


@pytest.mark.parametrize("spill_pairs", [1 << 21, 5])
def test_the_copy_sent_to_workers_has_no_counts(spill_pairs):
    texts, sources = corpus()
    remover = BoilerplateRemover(spill_pairs=spill_pairs).fit(texts, sources)
    if spill_pairs == 5:
        with pytest.raises(TypeError, match="cannot be pickled"):
            pickle.dumps(remover)  # its counts are in files only this process may read
    sent = pickle.loads(pickle.dumps(_fitted(remover)))
    tally = sent._tally
    assert not tally.articles and not tally.source_ids and not tally._chunks and not tally._held
    assert tally._dir is None and not tally._seen_recent and not len(tally._seen_sorted)
    assert (sent.repeated_, sent.signatures_) == (remover.repeated_, remover.signatures_)
    assert all(sent.clean(t, s) == remover.clean(t, s) for t, s in zip(texts, sources, strict=True))


@pytest.mark.parametrize("spill_pairs", [1 << 21, 50, 1])
def test_observations_counted_as_columns_learn_the_same(spill_pairs):
    """Texts observed elsewhere, counted a few at a time as columns (empty texts and exact copies
    among them) or one by one: the same repeated lines and signatures, the same article counts."""
    texts, sources = corpus()
    texts, sources = [*texts, "", texts[5]], [*sources, "sud", "wire"]
    by_one, by_columns = BoilerplateRemover(spill_pairs=spill_pairs), BoilerplateRemover(spill_pairs=spill_pairs)
    observed = [by_one.observe(text) for text in texts]
    assert observed[-2] is None
    by_one.count(zip(sources, observed, strict=True))
    for start in range(0, len(texts), 7):
        part = slice(start, start + 7)
        by_columns.count_observed(Observed.of(sources[part], [None if o is None else tuple(o) for o in observed[part]]))
    assert by_columns._tally.articles == by_one._tally.articles == Counter({"sud": 9, "nord": 9, "wire": 27})
    by_one._finish()
    by_columns._finish()
    assert by_columns.repeated_ == by_one.repeated_ and by_columns.signatures_ == by_one.signatures_
    assert by_one.repeated_ == reference(by_one, texts, sources)[0]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0, 1, 2**32 - 1, 2**32, 2**63, 2**64 - 1]) | st.integers(0, 2**64 - 1),
            st.integers(0, 2**32 - 1) | st.integers(0, 3),
            st.integers(1, 1000),
        ),
        max_size=60,
    )
)
def test_merged_records_are_the_pairs_counts_summed_in_key_then_group_order(records):
    """``_merge`` against a sort by the two keys: one record per (key, group), the counts summed."""
    from analysis.boilerplate import _RECORD, _merge

    array = np.array(records, dtype=_RECORD)
    sums: dict[tuple[int, int], int] = {}
    for key, group, count in records:
        sums[key, group] = sums.get((key, group), 0) + count
    merged = _merge(array)
    assert merged.dtype == _RECORD
    assert [tuple(int(v) for v in row) for row in merged.tolist()] == [(*pair, sums[pair]) for pair in sorted(sums)]
