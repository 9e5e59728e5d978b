"""The seed and the real corpora in ../shared load with no unexpected rejects (skipped when absent)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from tests.conftest import shared_path
from tests.io.helpers import run

SEED_TITLE = (
    "Le Maroc renforce sa position dans l’Intelligence Artificielle lors du Sommet de Paris grâce à "
    "une vision stratégique et un investissement dans l’innovation"
)
SEED_TAGS = [
    "Maroc",
    "Intelligence artificielle",
    "Amlal Fallah Sgrrouchni",
    "Sommet de Paris",
    "Current AI",
    "Hub technologique",
    "Startups innovantes",
    "Déclaration de Paris",
]


def test_seed_loads_to_its_headline_and_tags(tmp_path, ingest_options):
    seed = shared_path("seed", "scraped-article.txt")
    df, rejects, _ = run(seed, tmp_path / "out", ingest_options)
    assert rejects == []
    art = df.iloc[0]
    assert art.title == SEED_TITLE
    assert list(art.tags) == SEED_TAGS
    assert art.text.startswith("Le Maroc a participé au Sommet pour l’action")
    assert "Mots Clés : Maroc" in art.text  # the body is kept whole; cleaning removes junk
    assert art.source == "unknown" and pd.isna(art.published) and pd.isna(art.url)


def test_seed_with_metadata_from_the_command_line(tmp_path, ingest_options):
    from analysis.io import CliMetadata

    seed = shared_path("seed", "scraped-article.txt")
    df, _, _ = run(
        seed,
        tmp_path / "out",
        ingest_options,
        cli=CliMetadata(source="Seed Site", language="fr", published="2025-02-12"),
    )
    art = df.iloc[0]
    assert (art.source, art.language, art.published_from) == ("Seed Site", "fr", "cli")
    assert str(art.published.date()) == "2025-02-12"


def test_lemonde_rss(tmp_path, ingest_options):
    folder = shared_path("corpus", "lemonde_rss_2022")
    df, rejects, stats = run(folder, tmp_path / "out", ingest_options)
    reasons = {r["reason"] for r in rejects}
    assert reasons == {"duplicate", "empty_file"}  # daily snapshots repeat items; one file is 0 bytes
    assert [r["raw_path"] for r in rejects if r["reason"] == "empty_file"] == [
        f"{folder.as_posix()}/2022/Jul/05/19-48-00/0,2-3208,1-0,0.xml"
    ] or len([r for r in rejects if r["reason"] == "empty_file"]) == 1
    assert len(df) == 11_281  # the README's count of unique articles (by guid)
    assert stats["records"]["read"] == 13_436 + 1
    assert df.published.notna().all()
    paris_year = df.published.dt.tz_convert("Europe/Paris").dt.year
    # a few items are older pieces the feed re-ran ("Il était une fois…", a 1991 piece)
    assert (paris_year == 2022).mean() > 0.99
    assert df.published.min().year == 1991
    assert set(df.language.dropna()) == {"fr"}  # some snapshots have no <language>


def test_tunisia_mediacloud_csv(tmp_path, ingest_options):
    folder = shared_path("corpus", "tunisia_ecomag_mediacloud_2019_2021")
    df, rejects, _ = run(folder, tmp_path / "out", ingest_options)
    assert rejects == []
    assert len(df) == 12_794
    assert set(df.source) == {"L'Economiste Maghrebin"}
    assert not df.title.str.contains("&#8217;", regex=False).any()  # HTML entities decoded
    assert df.published.min().year == 2019 and df.published.max().year == 2021
    assert df.text.isna().all()  # headline-only records are kept as articles


def test_ppe1_html_and_lynx_dumps(tmp_path, ingest_options):
    folder = shared_path("corpus", "ppe1_securite_alimentaire_fr_raw")
    df, rejects, _ = run(folder, tmp_path / "out", ingest_options)
    expected = {
        # (file, reason): the list of the pages' addresses; fetches that failed in the source
        # (README: fr_22/fr_36 Forbidden, fr_38 empty, fr_30/fr_31 one byte), plus two more error
        # pages and a bot-challenge page
        ("urls_fr.txt", "link_list"),
        ("fr_22.txt", "error_page"),
        ("fr_36.txt", "error_page"),
        ("fr_38.txt", "empty_file"),
        ("fr_30.txt", "empty_file"),
        ("fr_31.txt", "empty_file"),
        ("fr_28.txt", "error_page"),
        ("fr_41.txt", "error_page"),
        ("fr_5.html", "error_page"),
        ("fr_23.html", "error_page"),
        ("fr_26.html", "error_page"),
    }
    got = {(r["raw_path"].rsplit("/", 1)[-1], r["reason"]) for r in rejects if r["reason"] != "duplicate"}
    assert got == expected
    assert not any(r["reason"] in {"undecodable", "binary_file", "loader_error"} for r in rejects)
    # lynx split "à" across lines in 33 dumps: repaired, not replaced. Only fr_44 keeps
    # replacement characters: its euro signs lost their last byte in the source.
    dumps = df[df.raw_format == "scraped_text"]
    damaged = dumps[dumps.text.str.contains("\ufffd", regex=False)]
    assert [p.rsplit("/", 1)[-1] for p in damaged.raw_path] == ["fr_44.txt"]
    assert len(df) >= 85


def test_readability_pages(tmp_path, ingest_options):
    folder = shared_path("corpus", "readability_news_pages")
    options = replace(ingest_options, include=("*/source.html",))
    df, rejects, _ = run(folder, tmp_path / "out", options)
    assert rejects == []
    assert len(df) == 36
    assert df.text.str.len().median() > 1000
    lemonde = df[df.raw_path.str.contains("/lemonde-1/")].iloc[0]
    assert lemonde.language == "fr"


def test_reuters_sgml_with_a_plugin_loader(tmp_path, ingest_options):
    folder = shared_path("corpus", "reuters21578_en_part1")
    options = replace(ingest_options, plugins=("tests.plugins.reuters_sgml",))
    df, rejects, stats = run(folder, tmp_path / "out", options)
    assert stats["records"]["read"] == 3000
    assert set(df.raw_format) == {"reuters_sgml"}
    assert {r["reason"] for r in rejects} <= {"duplicate"}  # wire items filed twice, if any
    assert len(df) + len(rejects) == 3000
    assert df.published.min().date().isoformat() == "1987-02-26"
    assert df.published.max().date().isoformat() == "1987-03-09"
    assert (df.tags.list.len() > 0).sum() >= 2700
    assert not df.text.str.contains("\x03", regex=False, na=False).any()  # control chars dropped


@pytest.mark.parametrize("name", ["hipe2020_fr_ner", "lemonde_pages_2022_01_international"])
def test_odd_formats_do_not_stop_a_run(tmp_path, ingest_options, name):
    """Formats we have no loader for still end in the ledger (as articles or rejects), never a crash."""
    folder = shared_path("corpus", name)
    df, rejects, stats = run(folder, tmp_path / "out", ingest_options)
    assert stats["records"]["read"] == len(df) + len(rejects)
    assert not any(r["reason"] == "loader_error" for r in rejects)
