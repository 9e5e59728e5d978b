"""The Arabic-language press audit's sample, built end to end and checked against its hand gold.

`tests/fixtures/ar_press/raw` holds 23 articles written in the manner of Moroccan (Hespress,
Alyaoum24, Al3omk, Le360, Hibapress, Al Ahdath Al Maghribia, Assabah, Akhbarona), Algerian
(Echorouk, El Khabar), Tunisian (Assabah News), Egyptian (Youm7, Al-Ahram), Lebanese (Annahar),
Gulf and pan-Arab outlets (Al Jazeera, Asharq Al-Awsat, Al Arabiya, Independent Arabia, Okaz, Al
Khaleej) as scraped text with its page junk, a JSON Lines export, a CSV export with Arabic column
names, saved HTML pages and an RSS feed. `gold.json` gives, per article, its headline, language, the
outlet's country, the publication time in UTC, the countries named and junk strings the clean text
must not keep.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.clean import read_table
from analysis.config import Paths
from analysis.pipeline import build
from tests.conftest import ROOT

SAMPLE = Path(__file__).parent / "fixtures" / "ar_press"


def score(out: Path) -> dict[str, object]:
    """Compare a build of the sample in `out` with the gold."""
    articles = read_table(out / "articles.parquet")
    mentions = read_table(out / "country_mentions.parquet")
    gold = json.loads((SAMPLE / "gold.json").read_text(encoding="utf-8"))["articles"]
    wrong: list[tuple[str, str]] = []
    missed: list[tuple[str, str]] = []
    junk_left: list[tuple[str, str]] = []
    dates_wrong: list[str] = []
    outlets_wrong: list[str] = []
    titles_wrong: list[str] = []
    languages_wrong: list[str] = []
    unmatched: list[str] = []
    right = 0
    for expected in gold:
        key = expected["url_contains"]
        rows = articles[articles.url.fillna("").str.contains(key, regex=False)]
        if len(rows) != 1:
            unmatched.append(key)
            missed += [(key, code) for code in expected["countries"]]
            continue
        row = rows.iloc[0]
        found = set(mentions[mentions.article_id == row.article_id].iso2)
        want = set(expected["countries"])
        right += len(found & want)
        wrong += [(key, code) for code in sorted(found - want)]
        missed += [(key, code) for code in sorted(want - found)]
        clean = f"{row.title or ''}\n{row.text or ''}"
        junk_left += [(key, junk) for junk in expected["junk"] if junk in clean]
        when = expected["published_utc"]
        form = "%Y-%m-%d" if len(when) == 10 else "%Y-%m-%dT%H:%M"
        if pd.isna(row.published) or row.published.strftime(form) != when:
            dates_wrong.append(f"{key}: {row.published} for {when}")
        if pd.isna(row.source_country) or row.source_country != expected["source_country"]:
            outlets_wrong.append(f"{key}: {row.source_country}")
        if pd.isna(row.title) or row.title != expected["title"]:
            titles_wrong.append(f"{key}: {row.title}")
        if pd.isna(row.language) or row.language != expected["language"]:
            languages_wrong.append(f"{key}: {row.language}")
    return {
        "articles": len(gold),
        "unmatched": unmatched,
        "pairs": sum(len(expected["countries"]) for expected in gold),
        "right": right,
        "wrong": wrong,
        "missed": missed,
        "junk": sum(len(expected["junk"]) for expected in gold),
        "junk_left": junk_left,
        "dates_wrong": dates_wrong,
        "outlets_wrong": outlets_wrong,
        "titles_wrong": titles_wrong,
        "languages_wrong": languages_wrong,
    }


@pytest.fixture(scope="module")
def scored(tmp_path_factory, options) -> dict[str, object]:
    out = tmp_path_factory.mktemp("ar_press")
    build(
        options,
        Paths.from_root(ROOT),
        raw=[SAMPLE / "raw"],
        out_dir=out / "p",
        now=datetime(2026, 12, 2, 16, 0, tzinfo=UTC),
        fresh=True,
    )
    return score(out / "p")


def test_arabic_press_headlines_languages_and_outlets(scored):
    """Measured 2026-12-02: headlines 23 of 23 (7 before the audit: 14 scraped pages gave the site's
    name, هسبريس, الخبر, اليوم السابع..., as the headline; 2 CSV rows with Arabic column names none),
    languages 23 of 23, outlet countries 23 of 23 (16 before: al3omk.com, ahdath.info, aawsat.com,
    alarabiya.net, independentarabia.com unlisted, the CSV rows without their URL)."""
    assert scored["unmatched"] == []
    assert scored["titles_wrong"] == [], scored["titles_wrong"]
    assert scored["languages_wrong"] == []
    assert scored["outlets_wrong"] == [], scored["outlets_wrong"]


def test_arabic_press_country_sets(scored):
    """Measured 2026-12-02: 95 country-article pairs right, 0 wrong, 0 missed (before the audit: 89,
    8, 6: Tunisia, Brazil, Saudi Arabia, Türkiye, Egypt from teasers left in the text, Spain's
    `الإسبان` missed, the CSV rows unread). Tolerance: one of each."""
    assert scored["pairs"] == 95
    assert scored["right"] >= 94
    assert len(scored["wrong"]) <= 1, scored["wrong"]
    assert len(scored["missed"]) <= 1, scored["missed"]


def test_arabic_press_junk_and_dates(scored):
    """Measured 2026-12-02: junk strings left 0 of 108 (40 before the audit), publication times
    right 23 of 23 (12 before: the outlets' clocks, `على الساعة`, `م` for p.m., `KSA`, a year
    first, the Levant's months in a date line, a Hijri date beside the Gregorian one). Tolerance:
    two junk strings, one date."""
    assert scored["junk"] == 108
    assert len(scored["junk_left"]) <= 2, scored["junk_left"]
    assert len(scored["dates_wrong"]) <= 1, scored["dates_wrong"]
