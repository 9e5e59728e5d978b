"""A whole build on small corpora drawn at random: records with any of their fields missing,
empty or odd (no date, an impossible date, no source, a markup title, another script, a text of
one short line, copies), written as JSON Lines, CSV, an RSS feed or HTML pages. Whatever the
draw, the build ends, every record read is an article or a reject, and the tables agree."""

from __future__ import annotations

import csv
import json
import tempfile
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.config import Options, Paths
from analysis.io.ingest import InputError
from analysis.pipeline import build
from tests.conftest import ROOT

NOW = datetime(2026, 1, 1, tzinfo=UTC)

SENTENCES = [
    "Rabat et Madrid ont signé un accord sur la gestion de l'eau et de l'énergie.",
    "Le Maroc accueille la Coupe d'Afrique des nations, a annoncé la fédération.",
    "La Banque mondiale prévoit une croissance de 3 % en Tunisie l'an prochain.",
    "Les Nations unies appellent à un cessez-le-feu au Soudan.",
    "The European Union and Morocco discussed migration and trade in Brussels.",
    "Prices of wheat rose sharply after the drought in North Africa.",
    "وقع المغرب وإسبانيا اتفاقا للتعاون في مجال المياه.",
    "中国和法国今天在北京签署了一项关于能源合作的协议。",
    "Libreville prépare la transition.",
    "Partager sur Facebook",
    "Lire aussi : Algérie, la hausse du prix du gaz",
    "© 2024 Tous droits réservés.",
]
TITLES = [
    "Le Maroc et l'Espagne signent un accord",
    "<script>alert(1)</script> Sénégal",
    "Algérie & Tunisie : « crise » du gaz",
    "Egypt's economy",
    "المغرب",
    "",
    "   ",
    "https://www.example.ma/article/1",
]
DATES = ["2024-01-02", "2024-02-30", "1987-03-01T10:00:00Z", "2099-01-01", "hier", "12/03/2024", "", "2024-06-15"]
SOURCES = ["hespress", "Le Monde", "", "a/b", "😀 news", "L'Economiste Maghrébin"]


@st.composite
def _record(draw: st.DrawFn) -> dict[str, object]:
    record: dict[str, object] = {}
    if draw(st.booleans()):
        record["title"] = draw(st.sampled_from(TITLES))
    lines = draw(st.lists(st.sampled_from(SENTENCES), max_size=4))
    if lines or draw(st.booleans()):
        record["text"] = draw(st.sampled_from(["\n\n", "\n"])).join(lines)
    for field, values in (("date", DATES), ("source", SOURCES), ("language", ["fr", "en", "xx", ""])):
        if draw(st.booleans()):
            record[field] = draw(st.sampled_from(values))
    if draw(st.booleans()):
        record["url"] = f"https://www.example.ma/{draw(st.integers(0, 5))}"
    return record


COLUMNS = ("title", "text", "date", "source", "url", "language")


def _write(raw: Path, records: list[dict[str, object]], form: str) -> None:
    """The records as one JSON Lines file, one CSV file, one RSS feed, or one HTML page each."""
    if form == "jsonl":
        (raw / "a.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    elif form == "csv":
        with (raw / "a.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows([str(r.get(c, "")) for c in COLUMNS] for r in records)
    elif form == "rss":
        items = "".join(
            f"<item><title>{escape(str(r.get('title', '')))}</title>"
            f"<description>{escape(str(r.get('text', '')))}</description>"
            f"<pubDate>{escape(str(r.get('date', '')))}</pubDate><link>{escape(str(r.get('url', '')))}</link></item>"
            for r in records
        )
        feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Flux</title>{items}</channel></rss>'
        (raw / "feed.xml").write_text(feed, "utf-8")
    else:
        for number, r in enumerate(records):
            paragraphs = "".join(f"<p>{escape(line)}</p>" for line in str(r.get("text", "")).split("\n") if line)
            page = (
                f'<html lang="{escape(str(r.get("language", "")))}"><head><title>{escape(str(r.get("title", "")))}'
                f'</title><meta property="article:published_time" content="{escape(str(r.get("date", "")))}">'
                f"</head><body><article><h1>{escape(str(r.get('title', '')))}</h1>{paragraphs}</article></body></html>"
            )
            (raw / f"page-{number}.html").write_text(page, "utf-8")


@settings(max_examples=16, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(records=st.lists(_record(), min_size=1, max_size=10), form=st.sampled_from(["jsonl", "csv", "rss", "html"]))
def test_a_build_of_any_small_corpus_ends_and_its_tables_agree(options: Options, records, form):
    with tempfile.TemporaryDirectory() as folder:
        raw, out = Path(folder) / "raw", Path(folder) / "out"
        raw.mkdir()
        _write(raw, records, form)
        try:
            build(options, Paths.from_root(ROOT), raw=[raw], out_dir=out, now=NOW, fresh=True)
        except InputError as error:  # every record rejected: the one way a build may stop, named
            assert "no article was loaded" in str(error)
            return
        stats = json.loads((out / "ingest_stats.json").read_text("utf-8"))
        articles = pd.read_parquet(out / "articles.parquet")
        rejects = (out / "rejects.jsonl").read_text("utf-8").splitlines()
        assert stats["records"]["read"] == len(articles) + len(rejects)
        # (a blank CSV row or an empty feed item is no record; a JSON line each is one)
        assert stats["records"]["read"] == len(records) if form == "jsonl" else stats["records"]["read"] <= len(records)
        tokens = pd.read_parquet(out / "tokens.parquet")
        assert sorted(tokens["article_id"]) == sorted(articles["article_id"])
        assert articles["article_id"].is_unique
        mentions = pd.read_parquet(out / "country_mentions.parquet")
        assert set(mentions["article_id"]) <= set(articles["article_id"])
        terms = pd.read_parquet(out / "term_frequencies.parquet")
        assert (terms["count"] > 0).all() and (terms["docs"] <= terms["group_docs"]).all()
        weights = pd.read_parquet(out / "doc_topics.parquet")
        assert set(weights["article_id"]) <= set(articles["article_id"])
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
        assert manifest["counts"]["clean"]["articles"] == len(articles)
