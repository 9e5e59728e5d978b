"""The English-language world press audit's sample, built end to end and checked against its gold.

`tests/fixtures/en_world_press/raw` holds 27 articles written in the manner of English-language
outlets outside the US and the UK (Punch, Vanguard, Premium Times, Nation, The Standard, News24,
Daily Maverick, GhanaWeb, The Citizen, Morocco World News, Egypt Independent, Ahram Online, Times
of India, The Hindu, Hindustan Times, Dawn, The Express Tribune, Khaleej Times, Arab News, Jordan
Times, Times of Israel, South China Morning Post, Straits Times, Jakarta Post, Philippine Daily
Inquirer, ABC Australia, NZ Herald) as scraped text with its page junk, JSON Lines, CSV, saved
HTML pages and an RSS feed. `gold.json` gives, per article, the outlet's country, the publication
time in UTC, the headline, the countries named and junk strings the clean text must not keep.
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

SAMPLE = Path(__file__).parent / "fixtures" / "en_world_press"


@pytest.fixture(scope="module")
def scored(tmp_path_factory, options) -> dict[str, object]:
    out = tmp_path_factory.mktemp("en_world_press")
    build(
        options,
        Paths.from_root(ROOT),
        raw=[SAMPLE / "raw"],
        out_dir=out / "p",
        now=datetime(2026, 12, 2, 16, 0, tzinfo=UTC),
        fresh=True,
    )
    articles = read_table(out / "p" / "articles.parquet")
    mentions = read_table(out / "p" / "country_mentions.parquet")
    gold = json.loads((SAMPLE / "gold.json").read_text(encoding="utf-8"))["articles"]
    wrong: list[tuple[str, str]] = []
    missed: list[tuple[str, str]] = []
    junk_left: list[str] = []
    dates_wrong: list[str] = []
    titles_wrong: list[str] = []
    outlets_wrong: list[str] = []
    right = 0
    for expected in gold:
        rows = articles[articles.url.fillna("").str.contains(expected["url_contains"], regex=False)]
        assert len(rows) == 1, expected["url_contains"]
        row = rows.iloc[0]
        found = set(mentions[mentions.article_id == row.article_id].iso2)
        want = set(expected["countries"])
        right += len(found & want)
        wrong += [(expected["url_contains"], code) for code in sorted(found - want)]
        missed += [(expected["url_contains"], code) for code in sorted(want - found)]
        junk_left += [junk for junk in expected["junk"] if junk in (row.text or "")]
        if row.title != expected["title"]:
            titles_wrong.append(f"{expected['url_contains']}: {row.title!r}")
        when = expected["published_utc"]
        form = "%Y-%m-%d" if len(when) == 10 else "%Y-%m-%dT%H:%M"
        if pd.isna(row.published) or row.published.tz_convert("UTC").strftime(form) != when:
            dates_wrong.append(f"{expected['url_contains']}: {row.published} for {when}")
        if (row.source_country if isinstance(row.source_country, str) else None) != expected["source_country"]:
            outlets_wrong.append(f"{expected['url_contains']}: {row.source_country}")
    return {
        "right": right,
        "wrong": wrong,
        "missed": missed,
        "junk_left": junk_left,
        "dates_wrong": dates_wrong,
        "titles_wrong": titles_wrong,
        "outlets_wrong": outlets_wrong,
    }


def test_english_world_press_country_sets(scored):
    """Measured 2026-12-02: 104 country-article pairs right of 104, 0 wrong, 0 missed (before the
    audit's fixes: 103, 2, 1: Niger State read as Niger, the Guinea Savannah as Guinea, Mzansi not
    known). Tolerance: one of each."""
    assert scored["right"] >= 103
    assert len(scored["wrong"]) <= 1, scored["wrong"]
    assert len(scored["missed"]) <= 1, scored["missed"]


def test_english_world_press_junk_dates_headlines_and_outlets(scored):
    """Measured 2026-12-02: junk strings left 0 of 111 (13 before the audit's fixes), dates right
    27 of 27 (17 before: month-first date lines, am/pm clocks, Australia's and Indonesia's clocks
    read as UTC, GhanaWeb's `Business News of Tuesday, 2 December 2026`), headlines
    27 of 27 (23 before: a menu or a section's name of two words taken for the headline), outlet
    countries 27 of 27 (25 before: The Jakarta Post, the Inquirer). Tolerance: two junk strings,
    one date."""
    assert len(scored["junk_left"]) <= 2, scored["junk_left"]
    assert len(scored["dates_wrong"]) <= 1, scored["dates_wrong"]
    assert scored["titles_wrong"] == []
    assert scored["outlets_wrong"] == []
