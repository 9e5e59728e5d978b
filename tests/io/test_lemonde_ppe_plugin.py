"""The Le Monde page-dump plugin (tests/plugins/lemonde_ppe.py): one record per <article-nb> entry."""

from __future__ import annotations

import importlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.io import RawFile, Record, Reject, registry
from tests.conftest import shared_path
from tests.io.helpers import row, run, write

PLUGIN = "tests.plugins.lemonde_ppe"

JSON_LD = (
    '{"@context":"https://schema.org","@type":"NewsArticle","mainEntityOfPage":{"@type":"WebPage",'
    '"@id":"https://www.lemonde.fr/international/article/2022/01/23/heurts-a-bruxelles_6110658_3210.html"},'
    '"headline":"Restrictions sanitaires\\u00a0: des heurts \\u00e0 Bruxelles",'
    '"datePublished":"2022-01-23T18:06:23+01:00","keywords":["Plan\\u00e8te","Belgique"],'
    '"author":[{"@type":"Organization","name":"Le Monde avec AFP"}\n'
    "]\n"
    ',"image":{"@type":"ImageObject","url":"https://img.lemde.fr/x.jpg","width":"1342","height":"696"}\n'
    "   \n"
    '{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[{"@type":"ListItem",'
    '"position":1,"name":"A la une","item":{"@id":"https://www.lemonde.fr"}}\n'
    ',{"@type":"ListItem","position":2,"name":"International","item":{"@id":"https://www.lemonde.fr/international/"}}\n'
)
DATES = '<filnamedate="20220123"><AAMM="202201"><AAMMJJ="20220123"><AAMMJJHH="2022012319">\n'
SAMPLE = (
    '<FILE-date="2022/01/23/19">\n\n'
    '<article-nb="2022/01/23/19-1">\n' + DATES + '<filname="SURF-0,2-3210,1-0,0-1"> ¤ Des heurts ont opposé la police '
    "et des manifestants à Bruxelles.\n"
    '<filname="PROF-0,2-3210,1-0,0-1"> ¤      Consulterle journal     Navigation        International       Belgique'
    "      Restrictions sanitaires : des heurts à Bruxelles      Des heurts ont opposé la police et des manifestants "
    "à Bruxelles.       Publié aujourd’hui à 18h06            Selon les autorités, environ 50 000 personnes ont "
    "défilé dans la  capitale belge.            Les affrontements ont éclaté près du siège de l’Union européenne.\n"
    "            \n" + JSON_LD + "\n"
    '<article-nb="2022/01/23/19-2">\n\n'
    '<article-nb="2022/01/23/19-3">\n' + DATES + '<filname="SURF-0,2-3210,1-0,0-3"> ¤ Séoul a réglé les impayés de '
    "Téhéran à l’ONU avec des fonds iraniens gelés.\n"
    '<filname="PROF-0,2-3210,1-0,0-3"> ¤   Recherche       Iran      Tribune      La Corée du Sud règle la dette de '
    "l’Iran auprès des Nations unies      Analyse      Séoul a réglé les impayés de Téhéran à l’ONU avec des fonds "
    "iraniens gelés.      L’Iran a retrouvé son droit de vote.\n"
    "var x = 1;\n"
    "    Les diplomates ont salué ce règlement.\n\n"
    '<article-nb="2022/01/23/19-4">\n' + DATES + '<filname="PROF-0,2-3210,1-0,0-4"> ¤ Une page.\n'
    '<filname="PROF-0,2-3210,1-0,0-4"> ¤ Une autre page.\n'
)


@pytest.fixture
def plugin():
    """The plugin registered for one test only: it claims `.txt`, which other tests expect as `scraped_text`."""
    with registry.isolated_registry():
        registry.load_plugins([PLUGIN])
        yield importlib.import_module(PLUGIN)


def _items(plugin, path: Path, ingest_options) -> list[Record | Reject]:
    raw = RawFile(path, path.as_posix(), path.name, max_bytes=10**7, max_replacement_ratio=0.01)
    return list(plugin.load_lemonde_ppe(raw, ingest_options))


def test_entries_become_records_and_rejects(plugin, tmp_path, ingest_options):
    write(tmp_path / "in" / "2022" / "Jan" / "23" / "0,2-3210,1-0,0.txt", SAMPLE)
    options = replace(ingest_options, plugins=(PLUGIN,))
    df, rejects, stats = run(tmp_path / "in", tmp_path / "out", options)

    assert stats["records"] == {"read": 4, "kept": 2, "rejected": 2}
    assert [(r["raw_index"], r["reason"]) for r in rejects] == [(1, "empty_entry"), (3, "malformed_entry")]
    assert "2022/01/23/19-2" in rejects[0]["detail"] and "PROF given twice" in rejects[1]["detail"]
    assert set(df.raw_format) == {"lemonde_ppe"}

    first = row(df, raw_index=0)
    assert first.title == "Restrictions sanitaires : des heurts à Bruxelles"  # JSON-LD, escapes decoded
    assert first.url == "https://www.lemonde.fr/international/article/2022/01/23/heurts-a-bruxelles_6110658_3210.html"
    assert first.published == datetime(2022, 1, 23, 17, 6, 23, tzinfo=UTC)  # the page's datePublished
    assert first.fetched == datetime(2022, 1, 23, 18, 0, tzinfo=UTC)  # AAMMJJHH, Paris time
    assert (first.source, first.language, first.record_id) == ("Le Monde", "fr", "2022/01/23/19-1")
    assert list(first.tags) == ["Planète", "Belgique"] and first.author == "Le Monde avec AFP"
    # blocks flattened into runs of spaces are paragraphs again; the JSON-LD is metadata, not text
    assert first.text.split("\n\n") == [
        "Consulterle journal",
        "Navigation",
        "International",
        "Belgique",
        "Restrictions sanitaires : des heurts à Bruxelles",
        "Des heurts ont opposé la police et des manifestants à Bruxelles.",
        "Publié aujourd’hui à 18h06",
        "Selon les autorités, environ 50 000 personnes ont défilé dans la capitale belge.",
        "Les affrontements ont éclaté près du siège de l’Union européenne.",
    ]

    third = row(df, raw_index=2)
    # no JSON-LD: the headline is the block above the standfirst, past the label (a single word)
    assert third.title == "La Corée du Sud règle la dette de l’Iran auprès des Nations unies"
    assert third.published == datetime(2022, 1, 23, 18, 0, tzinfo=UTC)  # the snapshot hour
    assert pd.isna(third.url)
    assert third.text.endswith(
        "L’Iran a retrouvé son droit de vote.\n\nvar x = 1;\n\nLes diplomates ont salué ce règlement."
    )


def test_standfirst_is_the_text_when_the_page_is_missing(plugin, tmp_path, ingest_options):
    path = write(
        tmp_path / "day.txt",
        '<article-nb="2022/01/05/19-1">\n' + DATES + '<filname="SURF-0,2-3210,1-0,0-1"> ¤ Un chapeau seul.\n'
        '<filname="PROF-0,2-3210,1-0,0-1"> ¤     \n',
    )
    [record] = _items(plugin, path, ingest_options)
    assert isinstance(record, Record)
    assert record.fields["description"] == "Un chapeau seul." and "text" not in record.fields
    df, rejects, _ = run(path, tmp_path / "out", replace(ingest_options, plugins=(PLUGIN,)))
    assert rejects == [] and df.text.tolist() == ["Un chapeau seul."]


@pytest.mark.parametrize(
    ("content", "reason", "detail"),
    [
        ('<article-nb="1">\n\n', "empty_entry", "no SURF or PROF field"),
        ('<article-nb="1">\n' + DATES + '<filname="SURF-x"> ¤  \n<filname="PROF-x"> ¤   \n', "empty_entry", "empty"),
        ('<article-nb="1">\n<filname="SURF-x"> ¤ a\n<filname="SURF-x"> ¤ b\n', "malformed_entry", "SURF given twice"),
        ('<article-nb="1">\n<filname="TEXT-x"> ¤ a\n', "malformed_entry", "unknown field 'TEXT'"),
        ('<article-nb="1">\nloose text\n<filname="PROF-x"> ¤ a\n', "malformed_entry", "text before its fields"),
        (
            '<FILE-date="2022/01/23/19">\nloose text\n<article-nb="1">\n<filname="PROF-x"> ¤ a\n',
            "malformed_entry",
            "outside",
        ),
    ],
)
def test_malformed_entries_are_rejects_with_a_reason(plugin, tmp_path, ingest_options, content, reason, detail):
    items = _items(plugin, write(tmp_path / "day.txt", content), ingest_options)
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [r.reason for r in rejects] == [reason]
    assert detail in rejects[0].detail and rejects[0].index == 0
    assert len({i.index for i in items}) == len(items)  # every item has its own number


def test_other_txt_files_still_load_as_scraped_text(plugin, tmp_path, ingest_options):
    write(tmp_path / "in" / "page.txt", "thumb\nUn titre d'article\n\nLe corps de l'article, en une phrase.\n")
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", replace(ingest_options, plugins=(PLUGIN,)))
    assert rejects == []
    assert (df.title[0], df.text[0]) == ("Un titre d'article", "Le corps de l'article, en une phrase.")
    assert plugin._sniff(b'<FILE-date="2022/01/23/19">\n') and not plugin._sniff(b"thumb\nUn titre")


def test_shared_corpus_loads_one_record_per_entry(plugin, tmp_path, ingest_options):
    folder = shared_path("corpus", "lemonde_pages_2022_01_international")
    df, rejects, stats = run(folder, tmp_path / "out", replace(ingest_options, plugins=(PLUGIN,)))
    assert stats["records"]["read"] == 560  # the README's count of entries
    assert stats["records"]["read"] == stats["records"]["kept"] + stats["records"]["rejected"] == len(df) + len(rejects)
    assert stats["files"]["read"] == 28
    # two entries hold no page; the same page listed on several days is a duplicate (same URL)
    empty = sorted(
        (r["raw_path"].split("/Jan/")[1][:2], r["raw_index"]) for r in rejects if r["reason"] == "empty_entry"
    )
    assert empty == [("27", 6), ("28", 2)]
    assert {r["reason"] for r in rejects} == {"empty_entry", "duplicate"}
    assert len(df) == 506
    assert set(df.raw_format) == {"lemonde_ppe"} and set(df.source) == {"Le Monde"} and set(df.language) == {"fr"}
    assert df.published.notna().all() and df.fetched.notna().all()
    assert df.url.notna().sum() >= 430 and df.title.notna().mean() > 0.98
    assert not df.text.str.contains("@context", regex=False).any()  # JSON-LD read as metadata
    assert df.published.min() >= datetime(2021, 12, 1, tzinfo=UTC)
