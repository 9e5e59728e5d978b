"""No junk in the top terms of real corpora, and the keyword/topic outputs of the demo build.

The rule (pinned): the 50 most frequent terms of a corpus contain no stopword, number-only token,
URL piece, month or weekday name, or page-furniture word.
"""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import Options, Paths
from analysis.dates import MONTH_NAMES
from analysis.io.registry import isolated_registry
from analysis.pipeline import build
from analysis.tokens import Tokenizer
from tests.conftest import ROOT, shared_path

NOW = datetime(2026, 1, 1, tzinfo=UTC)
TOKENIZER = Tokenizer()
WEEKDAYS = set(
    "lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday sunday"
    " mon tue wed thu fri sat sun lun mar mer jeu ven sam dim".split()
)
URL_PIECES = set("http https www com html htm php asp aspx utm amp org net fr co uk index".split())
FURNITURE = set(
    "lire partager partage facebook twitter linkedin whatsapp instagram youtube abonné abonner abonnement newsletter"
    " cookie cookies publicité réservé commentaire commentaires copyright inscrire connecter email e-mail"
    " share read subscribe subscriber advertisement click".split()
)


def junk_reasons(term: str, languages: set[str]) -> list[str]:
    """Why a top term is junk (empty when it is a fine term)."""
    reasons = []
    words = term.split()
    for word in (words[0], words[-1]) if len(words) > 1 else words:
        if any(TOKENIZER.is_stopword(word, lang) for lang in languages):
            reasons.append(f"stopword {word!r}")
    if re.fullmatch(r"[\d\W_]+", term):
        reasons.append("number only")
    if any(w.lower() in URL_PIECES for w in words) or "://" in term or re.search(r"\w\.\w", term):
        reasons.append("URL piece")
    months = {name for language in languages for names in MONTH_NAMES.get(language, ()) for name in names}
    if any(w.lower() in months or w.lower() in WEEKDAYS for w in words):
        reasons.append("month or weekday")
    if any(w.lower() in FURNITURE for w in words):
        reasons.append("page furniture")
    if re.search(r"\bu[0-9a-f]{4}\b", term):
        reasons.append("escape sequence")
    return reasons


def top_terms(out: Path, n: int = 50) -> list[str]:
    table = pd.read_parquet(out / "term_frequencies.parquet", filters=[("scope", "==", "corpus")])
    return table.sort_values("rank").head(n)["term"].tolist()


def assert_no_junk(out: Path) -> None:
    """Junk is judged in the languages of the articles a term was counted in (`face` is English filler only)."""
    table = pd.read_parquet(out / "term_frequencies.parquet")
    by_language = table[table["scope"] == "language"].groupby("term")["language"].agg(set)
    terms = top_terms(out)
    assert len(terms) == 50
    junk = {t: r for t in terms if (r := junk_reasons(t, by_language.get(t, {"fr", "en"})))}
    assert not junk, junk


def test_the_junk_rule_catches_junk():
    assert junk_reasons("le", {"fr"}) and junk_reasons("2024", {"fr"}) and junk_reasons("www", {"fr"})
    assert junk_reasons("janvier", {"fr"}) and junk_reasons("lire", {"fr"}) and junk_reasons("u00e9", {"fr"})
    assert junk_reasons("de paris", {"fr"})
    assert not junk_reasons("intelligence artificielle", {"fr"}) and not junk_reasons("maroc", {"fr"})


def _build(options: Options, raw: list[Path], out: Path) -> Path:
    build(options, Paths.from_root(ROOT), raw=raw, out_dir=out, now=NOW)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory, options):
    return _build(options, [ROOT / "data" / "raw"], tmp_path_factory.mktemp("demo"))


def test_demo_top_terms_have_no_junk(demo):
    assert_no_junk(demo)


def test_demo_keyword_and_topic_outputs(demo):
    terms = pd.read_parquet(demo / "term_frequencies.parquet")
    assert {"corpus", "period", "source", "language"} == set(terms["scope"])
    assert set(terms.loc[terms["scope"] == "period", "period_type"]) == {"week", "month", "quarter", "year"}
    corpus = terms[terms["scope"] == "corpus"].set_index("term")
    assert "intelligence artificielle" in corpus.index and corpus.loc["intelligence artificielle", "phrase"]
    phrases = pd.read_parquet(demo / "phrases.parquet")
    assert {"intelligence artificielle", "coupe du monde", "eau potable"} <= set(phrases["phrase"])
    topics = pd.read_parquet(demo / "topics.parquet")
    assert 4 <= len(topics) <= 16 and (topics["coherence"] > 0).all()
    assert topics["share"].sum() == pytest.approx(1.0, abs=1e-3)
    labels = " | ".join(topics["label"])
    for theme_word in ("barrage", "5g", "étudiant", "stade"):
        assert theme_word in labels, labels
    doc_topics = pd.read_parquet(demo / "doc_topics.parquet")
    assert doc_topics.groupby("article_id")["weight"].sum().between(0.9, 1.0001).all()
    trends = pd.read_parquet(demo / "topic_trends.parquet")
    months = trends[trends["period_type"] == "month"]
    # an article the model cannot place (no known term: Arabic here) has no topic, but counts in its period
    sums = months.groupby("period")["share"].sum()
    assert (sums <= 1.0001).all() and sums.mean() > 0.9
    themes = pd.read_parquet(demo / "theme_trends.parquet")
    ia = themes[(themes["period_type"] == "year") & (themes["theme"] == "ia")].set_index("period")
    assert ia["articles"].sum() >= 5
    distinctive = pd.read_parquet(demo / "distinctive_terms.parquet")
    assert set(distinctive["group_type"]) <= {"source", "month"} and (distinctive["p_value"] < 0.001).all()


def test_topics_are_the_same_on_a_rebuild(demo, tmp_path, options):
    again = _build(options, [ROOT / "data" / "raw"], tmp_path / "again")
    for name in (
        "term_frequencies.parquet",
        "phrases.parquet",
        "distinctive_terms.parquet",
        "rising_terms.parquet",
        "topics.parquet",
        "doc_topics.parquet",
        "topic_trends.parquet",
        "theme_trends.parquet",
    ):
        assert (demo / name).read_bytes() == (again / name).read_bytes(), name


# --- real corpora (../shared/corpus) ---------------------------------------------------------------


def tunisian_headlines(folder: Path, rows: int) -> Path:
    """A folder holding the first ``rows`` headlines of MediaCloud's Tunisian export (skips when absent)."""
    source = shared_path("corpus", "tunisia_ecomag_mediacloud_2019_2021", "fr_TUN_ecomag.csv")
    folder.mkdir()
    with source.open(newline="", encoding="utf-8") as handle, (folder / "tun.csv").open("w", newline="") as target:
        csv.writer(target).writerows(itertools.islice(csv.reader(handle), rows + 1))
    return folder


@pytest.mark.shared
def test_tunisia_headlines_top_terms(tmp_path, options):
    assert_no_junk(_build(options, [tunisian_headlines(tmp_path / "raw", 3000)], tmp_path / "out"))


@pytest.mark.shared
def test_lemonde_rss_top_terms(tmp_path, options):
    month = shared_path("corpus", "lemonde_rss_2022", "2022", "Jan")
    out = _build(options, [month], tmp_path / "out")
    assert_no_junk(out)
    assert "paris" in top_terms(out)  # a name, not the plural of `pari`


@pytest.mark.shared
def test_ppe1_pages_top_terms(tmp_path, options):
    out = _build(options, [shared_path("corpus", "ppe1_securite_alimentaire_fr_raw")], tmp_path / "out")
    assert_no_junk(out)
    assert "sécurité alimentaire" in top_terms(out, 5)


@pytest.mark.shared
def test_readability_pages_top_terms(tmp_path, options):
    pages = replace(options, ingest=replace(options.ingest, include=("*/source.html",)))
    assert_no_junk(_build(pages, [shared_path("corpus", "readability_news_pages")], tmp_path / "out"))


@pytest.mark.shared
def test_reuters_top_terms(tmp_path, options):
    wire = replace(options, ingest=replace(options.ingest, plugins=("tests.plugins.reuters_sgml",)))
    out = _build(wire, [shared_path("corpus", "reuters21578_en_part1", "reut2-000.sgm")], tmp_path / "out")
    assert_no_junk(out)
    assert "reuter" not in top_terms(out, 500)  # the wire's signature line is furniture


@pytest.mark.shared
def test_lemonde_page_dumps_top_terms(tmp_path, options):
    dumps = replace(options, ingest=replace(options.ingest, plugins=("tests.plugins.lemonde_ppe",)))
    with isolated_registry():  # the plugin claims `.txt`: not beyond this test
        out = _build(dumps, [shared_path("corpus", "lemonde_pages_2022_01_international")], tmp_path / "out")
    assert_no_junk(out)


@pytest.mark.shared
def test_the_number_of_topics_holds_when_a_few_articles_are_left_out(tmp_path, options):
    """The number of topics is chosen by the candidates' coherence: on the Tunisian export's
    12,794 headlines, scored over their sources' days as the build scores them, leaving out 1% of
    the articles at random leaves the choice as it was in at least four runs of five (it held in
    ten of ten, 2026-12-05).

    On Le Monde's RSS it does not: its candidates from 4 to 9 topics score within 0.03 of each other
    and a fit's score moves by up to 0.05 with 1% left out (the README's caveat on topics). Until
    its items' texts were their standfirsts (2026-12-05: the feed loader read their photos'
    captions), this test ran there."""
    import random

    from analysis.keywords import read_meta
    from analysis.topics import fit_topics

    out = _build(options, [shared_path("corpus", "tunisia_ecomag_mediacloud_2019_2021")], tmp_path / "out")
    terms = out / ".interim" / "terms.parquet"
    articles = pd.read_parquet(out / "articles.parquet", columns=["article_id", "duplicate_of"])
    ids = articles.article_id[articles.duplicate_of.isna()].tolist()  # (the build's: copies left out)
    meta = read_meta(out / "articles.parquet")
    model = fit_topics(terms, ids, options.topics, meta=meta)
    assert model.pools_ > 0 and model.n_topics_ >= 5  # (4 over single headlines, one topic with 62%)
    held = 0
    for seed in range(1, 6):
        rnd = random.Random(seed)
        kept = [a for a in ids if rnd.random() > 0.01]
        held += fit_topics(terms, kept, options.topics, meta=meta).n_topics_ == model.n_topics_
    assert held >= 4
