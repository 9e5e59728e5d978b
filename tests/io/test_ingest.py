"""The ingest run: metadata layers, duplicates, the nothing-lost ledger, atomic and stable output."""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.io import ARTICLES_FILE, REJECTS_FILE, STATS_FILE, CliMetadata, Ingestor, InputError, ingest
from analysis.schema import ValidationError
from tests.conftest import output_bytes
from tests.io.helpers import row, run, write


def test_metadata_precedence_record_sidecar_folder_cli_path(tmp_path, ingest_options):
    raw = tmp_path / "raw"
    write(raw / "site-a" / "_meta.json", json.dumps({"source": "Site A", "language": "fr"}))
    write(raw / "site-a" / "2024" / "05" / "14" / "one.txt", "Titre un\n\nCorps un.\n")
    write(raw / "site-a" / "2024" / "05" / "14" / "two.txt", "Titre deux\n\nCorps deux.\n")
    write(
        raw / "site-a" / "2024" / "05" / "14" / "two.txt.meta.json",
        json.dumps({"url": "https://a.example/deux", "published": "2024-05-14T09:30:00+01:00", "language": "en"}),
    )
    write(
        raw / "site-a" / "2024" / "05" / "14" / "three.jsonl",
        json.dumps({"title": "Titre trois", "text": "x", "source": "Agence", "date": "2024-05-13"}) + "\n",
    )
    write(raw / "loose" / "four.txt", "Titre quatre\n\nCorps quatre.\n")
    write(raw / "2023-12-31-five.txt", "Titre cinq\n\nCorps cinq.\n")
    df, rejects, stats = run(raw, tmp_path / "out", ingest_options, cli=CliMetadata(source="CLI source", language="ar"))
    assert rejects == []
    one = row(df, title="Titre un")
    assert (one.source, one.language, one.published_from) == ("Site A", "fr", "path")
    assert one.published == datetime(2024, 5, 14, tzinfo=UTC)
    two = row(df, title="Titre deux")
    assert (two.source, two.language, two.url, two.published_from) == (
        "Site A",
        "en",
        "https://a.example/deux",
        "sidecar",
    )
    assert two.published == datetime(2024, 5, 14, 8, 30, tzinfo=UTC)
    three = row(df, title="Titre trois")
    assert (three.source, three.published_from) == ("Agence", "record")
    assert three.published == datetime(2024, 5, 13, tzinfo=UTC)
    four = row(df, title="Titre quatre")
    assert (four.source, four.language) == ("CLI source", "ar")  # the command line beats the path
    assert pd.isna(four.published)
    five = row(df, title="Titre cinq")
    assert five.published == datetime(2023, 12, 31, tzinfo=UTC) and five.published_from == "path"
    assert stats["files"] == {"seen": 7, "ignored": 0, "metadata": 2, "read": 5, "rejected": 0, "archives": 0}


def test_source_country_from_record_metadata_or_cli(tmp_path, ingest_options):
    raw = tmp_path / "raw"
    write(raw / "be" / "_meta.json", json.dumps({"source": "Le Soir", "country": "Belgique"}))
    write(raw / "be" / "a.jsonl", json.dumps({"title": "Un", "text": "x"}) + "\n")
    records = [
        {"title": "Deux", "text": "x", "country": "MAR"},
        {"title": "Trois", "text": "x", "media_country": "Tunisia"},
        {"title": "Quatre", "text": "x", "source_country": "tn"},
        {"title": "Cinq", "text": "x", "country": "Zembla"},  # names no country: null, a warning
        {"title": "Six", "text": "x"},
        {"title": "Sept", "text": "x", "url": "https://www.lesoir.be/1"},  # the URL's country
        {"title": "Huit", "text": "x", "url": "https://www.lesoir.be/2", "country": "FR"},  # declared first
        {"title": "Neuf", "text": "x", "url": "https://www.news.io/3"},  # .io: anyone's
        {"title": "Dix", "text": "x", "url": "https://www.cnn.com/4"},  # listed: data/outlets.toml
        {"title": "Onze", "text": "x", "url": "https://fr.hespress.com/5"},  # a listed domain's host
        {"title": "Douze", "text": "x", "url": "https://www.ukrinform.fr/6"},  # listed before its .fr
        {"title": "Treize", "text": "x", "url": "https://www.dunepost.com/7"},  # unlisted .com
        {"title": "Quatorze", "text": "x", "url": "https://www.camer.be/8"},  # Cameroonian, on a .be
        {"title": "Quinze", "text": "x", "url": "https://www.adiac-congo.com/9"},  # Brazzaville
    ]
    write(raw / "b.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    df, rejects, stats = run(raw, tmp_path / "out", ingest_options)
    assert rejects == []
    got = {r.title: None if pd.isna(r.source_country) else r.source_country for r in df.itertuples()}
    by_url = {"Sept": "BE", "Huit": "FR", "Neuf": None, "Dix": "US", "Onze": "MA", "Douze": "UA", "Treize": None}
    by_url |= {"Quatorze": "CM", "Quinze": "CG"}
    assert got == {"Un": "BE", "Deux": "MA", "Trois": "TN", "Quatre": "TN", "Cinq": None, "Six": None, **by_url}
    assert stats["warnings"] == {"country_unknown": 1}
    df, _, _ = run(raw, tmp_path / "out2", ingest_options, cli=CliMetadata(source_country="FR"))
    got = {r.title: None if pd.isna(r.source_country) else r.source_country for r in df.itertuples()}
    urls = ("Sept", "Neuf", "Dix", "Onze", "Douze", "Treize", "Quatorze", "Quinze")
    by_url |= dict.fromkeys(urls, "FR")  # (the command line first)
    assert got == {"Un": "BE", "Deux": "MA", "Trois": "TN", "Quatre": "TN", "Cinq": None, "Six": "FR", **by_url}
    df, _, _ = run(raw, tmp_path / "out3", replace(ingest_options, country_from_url=False))
    assert df.loc[df.title.isin(["Sept", "Dix", "Onze"]), "source_country"].isna().all()
    outlets = dict(ingest_options.outlets) | {"dunepost.com": "EH", "hespress.com": "FR"}  # as [ingest.outlets] does
    df, _, _ = run(raw, tmp_path / "out4", replace(ingest_options, outlets=outlets))
    assert df.set_index("title").loc[["Treize", "Onze"], "source_country"].tolist() == ["EH", "FR"]


@pytest.mark.parametrize(
    ("url", "country"),
    [
        ("https://lematin.ma/x", "MA"),
        ("https://www.bbc.co.uk/news/1", "GB"),
        ("https://www.eltiempo.com.co/a", "CO"),  # a country's second level under a generic domain
        ("https://x.co/a", None),
        ("https://www.leconomistemaghrebin.com/x", None),
        ("https://europa.eu/x", None),
        ("https://dunepost.example/x", None),
        ("http://localhost/x", None),
        (None, None),
    ],
)
def test_domain_country(url, country):
    from analysis.io.mapping import domain_country

    assert domain_country(url, frozenset({"co", "io"})) == country


def test_source_from_path_then_url_host(tmp_path, ingest_options):
    write(tmp_path / "raw" / "lemonde" / "2022" / "04" / "03" / "a.txt", "Titre\n\nTexte\n")
    records = [
        {"title": "T", "url": "https://www.exemple.ma/a"},
        {"title": "U", "url": "https://www.exemple.ma/b", "source": "WWW.Exemple.MA"},  # the same site
        {"title": "V", "source": "Le Site.ma d'Exemple"},  # a name, kept as written
    ]
    write(tmp_path / "raw" / "x.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    df, _, _ = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert set(df.source) == {"lemonde", "exemple.ma", "Le Site.ma d'Exemple"}
    assert row(df, source="lemonde").published == datetime(2022, 4, 3, tzinfo=UTC)


def test_duplicate_records_are_rejected_with_a_pointer_to_the_kept_one(tmp_path, ingest_options):
    line = json.dumps({"title": "Même", "text": "Texte", "url": "https://x.example/a?id=1#frag"})
    write(tmp_path / "raw" / "a.jsonl", line + "\n")
    write(
        tmp_path / "raw" / "b.jsonl",
        json.dumps({"title": "Même (mis à jour)", "text": "Texte", "url": "https://X.example/a?id=1"}) + "\n",
    )
    write(
        tmp_path / "raw" / "c.jsonl",
        json.dumps({"title": "Sans URL", "text": "Même texte"})
        + "\n"
        + json.dumps({"title": "Sans URL", "text": "Même texte"})
        + "\n",
    )
    df, rejects, stats = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert sorted(df.title) == ["Même", "Sans URL"]
    assert [(r["raw_path"].rsplit("/", 1)[-1], r["raw_index"], r["reason"]) for r in rejects] == [
        ("b.jsonl", 0, "duplicate"),
        ("c.jsonl", 1, "duplicate"),
    ]
    kept = row(df, title="Même").article_id
    assert kept in rejects[0]["detail"]
    assert stats["records"] == {"read": 4, "kept": 2, "rejected": 2}


def _bad_inputs(folder: Path) -> dict[str, int]:
    """A folder of every kind of broken input; returns the expected rejects by reason."""
    write(
        folder / "good.jsonl",
        '{"title": "Bon", "text": "Bon texte"}\n{"title": "", "text": " "}\n{"title": "Tronq',
    )
    write(folder / "empty.txt", "")
    write(folder / "blank.txt", "  \n\n ")
    write(folder / "image.html", bytes(range(256)) * 8)
    write(folder / "photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200))
    write(folder / "notes.wpd", "du texte dans un format inconnu")
    write(folder / "garbage.txt", bytes(range(128, 256)) * 20)
    write(folder / "broken.json", '{"title": "A", "text": ')
    write(folder / "scalar.json", "42")
    write(folder / "empty-array.json", "[]")
    write(folder / "header-only.csv", "title,text\n")
    write(folder / "bad.csv", 'title,text\n"A","a"\n"B","b","c"\n')
    write(folder / "truncated.jsonl.gz", gzip.compress(b'{"title": "Z", "text": "z"}\n' * 50)[:-30])
    write(folder / "notafeed.xml", "<?xml version='1.0'?><rss><channel><title>x</title>")
    write(
        folder / "forbidden.html",
        "<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1></body></html>",
    )
    write(folder / "corrupt.parquet", b"PAR1 this is not really parquet PAR1")
    write(folder / "bad-sidecar.txt.meta.json", "{not json")
    write(folder / "README.md", "# ignored")
    return {
        "no_text": 1,
        "invalid_json": 2,
        "empty_file": 2,
        "binary_file": 2,
        "unsupported_format": 1,
        "undecodable": 1,
        "not_an_object": 1,
        "no_records": 2,
        "malformed_csv": 1,
        "corrupt_gzip": 1,
        "invalid_feed": 1,
        "error_page": 1,
        "invalid_parquet": 1,
        "invalid_metadata": 1,
    }


def test_bad_inputs_ledger_adds_up(tmp_path, ingest_options):
    expected = _bad_inputs(tmp_path / "bad")
    df, rejects, stats = run(tmp_path / "bad", tmp_path / "out", ingest_options)
    by_reason: dict[str, int] = {}
    for item in rejects:
        by_reason[item["reason"]] = by_reason.get(item["reason"], 0) + 1
    # the truncated gzip may yield some complete lines before breaking off
    assert "Bon" in set(df.title)
    assert by_reason == expected
    assert stats["rejected_by_reason"] == expected
    files = stats["files"]
    assert files["seen"] == 18
    assert files["seen"] == files["ignored"] + files["metadata"] + files["read"] + files["rejected"]
    records = stats["records"]
    assert records["read"] == records["kept"] + records["rejected"] == len(df) + len(rejects)
    every_file = {p.name for p in (tmp_path / "bad").iterdir()} - {"README.md"}
    accounted = {r["raw_path"].rsplit("/", 1)[-1] for r in rejects} | {p.rsplit("/", 1)[-1] for p in df.raw_path}
    assert every_file == accounted
    for item in rejects:
        assert item["raw_path"] and item["reason"]


def test_outputs_are_deterministic(tmp_path, ingest_options):
    raw = tmp_path / "raw"
    write(
        raw / "a.jsonl",
        "".join(
            json.dumps({"title": f"T{i}", "text": f"texte {i}", "date": f"2024-01-{i + 1:02d}"}) + "\n"
            for i in range(20)
        ),
    )
    write(raw / "b" / "c.txt", "thumb\n\nTitre\n\nCorps\n")
    small = replace(ingest_options, batch_size=7)
    Ingestor(small).run([raw], tmp_path / "one")
    Ingestor(small).run([raw], tmp_path / "two")
    for name in (ARTICLES_FILE, REJECTS_FILE, STATS_FILE):
        assert output_bytes(tmp_path / "one" / name) == output_bytes(tmp_path / "two" / name), name


def test_article_ids_do_not_depend_on_where_the_file_lives(tmp_path, ingest_options):
    content = "Titre stable\n\nCorps stable.\n"
    df1, _, _ = run(write(tmp_path / "x" / "a.txt", content), tmp_path / "o1", ingest_options)
    df2, _, _ = run(write(tmp_path / "elsewhere" / "deeper" / "b.txt", content), tmp_path / "o2", ingest_options)
    assert df1.article_id.iloc[0] == df2.article_id.iloc[0]


def test_interrupted_run_leaves_previous_outputs_intact(tmp_path, ingest_options, monkeypatch):
    raw = tmp_path / "raw"
    write(raw / "a.jsonl", '{"title": "Avant", "text": "x"}\n')
    out = tmp_path / "out"
    Ingestor(ingest_options).run([raw], out)
    before = {name: output_bytes(out / name) for name in (ARTICLES_FILE, REJECTS_FILE, STATS_FILE)}
    write(raw / "b.jsonl", '{"title": "Après", "text": "y"}\n')

    def boom(self, rows, key=None):
        raise KeyboardInterrupt

    monkeypatch.setattr("analysis.io.store.ArticleWriter.add", boom)
    with pytest.raises(KeyboardInterrupt):
        Ingestor(ingest_options).run([raw], out)
    after = {name: output_bytes(out / name) for name in before}
    assert after == before
    assert sorted(os.listdir(out)) == sorted(before)  # no temp files left behind


def test_missing_path_and_unknown_format_stop_at_once(tmp_path, ingest_options):
    with pytest.raises(InputError, match=r"input path not found: .*nope"):
        Ingestor(ingest_options).run([tmp_path / "nope"], tmp_path / "out")
    with pytest.raises(InputError, match="unknown format 'wat'"):
        Ingestor(ingest_options, forced_format="wat")
    assert not (tmp_path / "out").exists()


def test_validation_names_the_offending_rows(tmp_path, ingest_options, monkeypatch):
    from analysis.io import mapping

    real = mapping.RecordMapper.map

    def bad_language(self, record, ctx, index):
        out = real(self, record, ctx, index)
        if isinstance(out, dict):
            out["language"] = "français!"
        return out

    monkeypatch.setattr(mapping.RecordMapper, "map", bad_language)
    write(tmp_path / "raw" / "a.jsonl", '{"title": "A", "text": "x"}\n')
    with pytest.raises(
        ValidationError, match=r"language is not an ISO 639 code: article_id='[0-9a-f]{16}' .*a\.jsonl#0"
    ):
        ingest([tmp_path / "raw"], tmp_path / "out", ingest_options)
    assert not (tmp_path / "out" / ARTICLES_FILE).exists()


def test_future_dates_are_dropped_and_counted(tmp_path, ingest_options):
    write(
        tmp_path / "a.jsonl",
        json.dumps({"title": "Futur", "text": "x", "date": "2999-01-01"})
        + "\n"
        + json.dumps({"title": "Flou", "text": "y", "date": "un jour"})
        + "\n",
    )
    df, _, stats = run(tmp_path / "a.jsonl", tmp_path / "out", ingest_options)
    assert df.published.isna().all()
    assert stats["warnings"] == {"date_in_future": 1, "date_unparsed": 1}


def test_dates_are_read_as_the_outlets_country_writes_them(tmp_path, ingest_options):
    records = [  # the outlet's country is its URL's: The Hindu IN, The New York Times US, Punch NG
        {"title": "A", "text": "x", "url": "https://www.thehindu.com/a", "date": "December 02, 2025 10:30 IST"},
        {"title": "B", "text": "x", "url": "https://www.nytimes.com/b", "date": "12/02/2025"},
        {"title": "C", "text": "x", "url": "https://punchng.com/c", "date": "12/02/2025"},
    ]
    write(tmp_path / "a.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    df, _, stats = run(tmp_path / "a.jsonl", tmp_path / "out", ingest_options)
    got = dict(zip(df.title, df.published.dt.strftime("%Y-%m-%d %H:%M"), strict=True))
    assert got == {"A": "2025-12-02 05:00", "B": "2025-12-02 00:00", "C": "2025-02-12 00:00"}
    assert stats["warnings"] == {}


def test_a_clock_without_a_zone_is_the_outlets_unless_a_zone_is_named(tmp_path, ingest_options):
    """Le Monde's `13:05` is Paris's (12:05 UTC in winter); read as UTC, a story posted less than
    an hour before the ingest lay in the future and lost its date. A zone the user names (an
    aggregator's export of UTC times) reads every such clock, whatever the outlet."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from analysis.config import timezone_option

    paris = datetime.now(ZoneInfo("Europe/Paris")) - timedelta(minutes=20)  # posted 20 minutes ago
    records = [
        {"title": "A", "text": "x", "url": "https://www.lemonde.fr/a", "date": "02/12/2026 13:05"},
        {"title": "B", "text": "x", "url": "https://www.hespress.com/b", "date": "2026-07-02 13:05:00"},
        {"title": "C", "text": "x", "url": "https://example.com/c", "date": "02/12/2026 13:05"},
        {"title": "D", "text": "x", "url": "https://www.lemonde.fr/d", "date": paris.strftime("%d/%m/%Y %H:%M")},
    ]
    write(tmp_path / "a.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    df, _, stats = run(tmp_path / "a.jsonl", tmp_path / "out", ingest_options)
    got = dict(zip(df.title, df.published, strict=True))
    assert got["A"] == datetime(2026, 12, 2, 12, 5, tzinfo=UTC)
    assert got["B"] == datetime(2026, 7, 2, 12, 5, tzinfo=UTC)  # Morocco's clock, UTC+1
    assert got["C"] == datetime(2026, 12, 2, 13, 5, tzinfo=UTC)  # no known country: UTC
    assert got["D"] == paris.replace(second=0, microsecond=0) and stats["warnings"] == {}
    zone, outlet_clocks = timezone_option("UTC")
    named = replace(ingest_options, default_timezone=zone, outlet_clocks=outlet_clocks)
    df, _, stats = run(tmp_path / "a.jsonl", tmp_path / "utc", named)
    got = dict(zip(df.title, df.published, strict=True))
    assert got["A"] == datetime(2026, 12, 2, 13, 5, tzinfo=UTC) and got["B"] == datetime(2026, 7, 2, 13, 5, tzinfo=UTC)
    assert pd.isna(got["D"]) and stats["warnings"] == {"date_in_future": 1}  # Paris's clock read as UTC


def test_mojibake_and_nfc_are_repaired(tmp_path, ingest_options):
    write(
        tmp_path / "a.jsonl",
        json.dumps({"title": "L’Ã©tÃ© Ã\u00a0 Rabat", "text": "Cafe\u0301 &amp; thé"}, ensure_ascii=False) + "\n",
    )
    df, _, _ = run(tmp_path / "a.jsonl", tmp_path / "out", ingest_options)
    assert (df.iloc[0].title, df.iloc[0].text) == ("L’été à Rabat", "Café & thé")


def test_include_and_ignore_globs(tmp_path, ingest_options):
    write(
        tmp_path / "raw" / "p1" / "source.html",
        "<html><head><title>Garde</title></head><body><p>" + "Texte gardé. " * 20 + "</p></body></html>",
    )
    write(
        tmp_path / "raw" / "p1" / "expected.html",
        "<html><head><title>Non</title></head><body><p>x</p></body></html>",
    )
    options = replace(ingest_options, include=("*/source.html",))
    df, _, stats = run(tmp_path / "raw", tmp_path / "out", options)
    assert list(df.title) == ["Garde"]
    assert stats["files"]["ignored"] == 1


def test_an_italian_outlet_outside_dot_it_is_italian(tmp_path, ingest_options):
    """Il Sole 24 Ore writes from ilsole24ore.com: its articles had no outlet country (the Italian
    audit); data/outlets.toml lists it."""
    records = [{"title": "Gas", "text": "x", "url": "https://www.ilsole24ore.com/art/gas-AGk7Xb9"}]
    df, _, _ = run(write(tmp_path / "a.json", json.dumps(records)), tmp_path / "out", ingest_options)
    assert list(df.source_country) == ["IT"]


@pytest.mark.parametrize(
    "urls",
    [
        # French-language outlets of Haiti, Guinea, Niger, Benin, Côte d'Ivoire and Québec on
        # generic domains (the francophone press audit)
        {
            "https://www.haitilibre.com/article-1.html": "HT",
            "https://guineematin.com/2026/12/02/a/": "GN",
            "https://www.aniamey.com/a.html": "NE",
            "https://www.24haubenin.info/?a": "BJ",
            "https://www.yeclo.com/a/": "CI",
            "https://journalmetro.com/actualites/a": "CA",
        },
        # The Irish Times, The Times, the Chicago Tribune and the Vancouver Sun on .com domains (the
        # US/UK press audit): they had no outlet country, and the Vancouver Sun's `PST` was not read
        {
            "https://www.irishtimes.com/politics/2026/12/02/a/": "IE",
            "https://www.thetimes.com/world/article/a-k7x9": "GB",
            "https://www.chicagotribune.com/2026/12/02/a/": "US",
            "https://vancouversun.com/news/local-news/a": "CA",
        },
    ],
)
def test_outlets_outside_their_country_code_are_theirs(tmp_path, ingest_options, urls):
    """Outlets writing from a domain that names no country: data/outlets.toml lists them."""
    records = [{"title": f"T{i}", "text": "x", "url": url} for i, url in enumerate(urls)]
    df, _, _ = run(write(tmp_path / "a.json", json.dumps(records)), tmp_path / "out", ingest_options)
    assert dict(zip(df.url, df.source_country, strict=True)) == urls


def test_a_run_keeps_the_loaded_batches_whose_rows_it_had(tmp_path, ingest_options, monkeypatch):
    """The loaded table is a folder of parts, one per batch: a run after a file was added after the
    others keeps the parts of the batches whose rows are the same (linked: neither validated nor
    encoded again) and writes the others; the parts are those of a fresh run."""
    from analysis.io import store
    from analysis.io.store import PART_GLOB

    raw = tmp_path / "raw"
    record = '{{"title": "Titre {0}", "text": "texte {0}", "date": "2024-01-{1:02d}"}}\n'
    write(raw / "a.jsonl", "".join(record.format(i, i + 1) for i in range(20)))
    small = replace(ingest_options, batch_size=7)
    out = tmp_path / "out"
    Ingestor(small).run([raw], out)
    inodes = [p.stat().st_ino for p in sorted((out / ARTICLES_FILE).glob(PART_GLOB))]
    assert len(inodes) == 3  # 7, 7 and 6 rows
    write(raw / "z.jsonl", "".join(record.format(i, i - 19) for i in range(20, 23)))
    checked: list[int] = []
    real = store.validate_articles
    monkeypatch.setattr(
        store, "validate_articles", lambda table, **kw: checked.append(table.num_rows) or real(table, **kw)
    )
    Ingestor(small).run([raw], out)
    again = [p.stat().st_ino for p in sorted((out / ARTICLES_FILE).glob(PART_GLOB))]
    assert again[:2] == inodes[:2] and again[2] not in inodes and len(again) == 4
    assert checked == [7, 2]  # (the third batch has a new row, and a fourth holds the last two)
    Ingestor(small).run([raw], tmp_path / "fresh", fresh=True)
    assert output_bytes(out / ARTICLES_FILE) == output_bytes(tmp_path / "fresh" / ARTICLES_FILE)
    assert pd.read_parquet(out / ARTICLES_FILE)["title"].tolist() == [f"Titre {i}" for i in range(23)]
