"""The English-language press audit of the US, the UK, Ireland and Canada, built end to end.

`tests/fixtures/us_uk_press/raw` holds 24 articles written in the manner of US (The New York
Times, AP, CNN, Fox News, NPR, The Wall Street Journal, Bloomberg, the Los Angeles Times, Politico,
the Chicago Tribune, The Washington Post), UK (BBC News, The Guardian, The Telegraph, the Daily
Mail, The Times, the Financial Times, Sky News), Irish (The Irish Times, RTÉ) and Canadian (CBC,
the Vancouver Sun, the Toronto Star, The Globe and Mail) outlets as scraped text with its page
junk, a JSON Lines export of a news API, a CSV export of a press database, saved HTML pages and an
RSS feed. `gold.json` gives, per article, its headline, language, the outlet's country, the
publication time in UTC, the countries named and junk strings the clean text must not keep.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.press_audit import build_and_score

SAMPLE = Path(__file__).parent / "fixtures" / "us_uk_press"


@pytest.fixture(scope="module")
def scored(tmp_path_factory, options) -> dict[str, object]:
    return build_and_score(SAMPLE, tmp_path_factory.mktemp("us_uk_press") / "p", options)


def test_us_uk_press_headlines_languages_and_outlets(scored):
    """Measured 2026-12-03: headlines 24 of 24, languages 24 of 24, outlet countries 24 of 24.
    Before the audit's fixes the CSV export's 3 rows were unmatched (`Document URL` unread); of the
    other 21, 5 headlines were wrong (a skip link, a menu with `Today's Paper` or `U.S.` in it,
    `Support the Guardian`, a cookie button, a subscription prompt) and 3 outlets unknown (The
    Irish Times, the Vancouver Sun, The Times: not in outlets.toml)."""
    assert scored["unmatched"] == []
    assert scored["titles_wrong"] == [], scored["titles_wrong"]
    assert scored["languages_wrong"] == []
    assert scored["outlets_wrong"] == [], scored["outlets_wrong"]


def test_us_uk_press_country_sets(scored):
    """Measured 2026-12-03: 96 country-article pairs right of 96, 0 wrong, 0 missed; before the
    audit's fixes 85, 2, 11 (the CSV rows unread; Canada from a subscription prompt taken for the
    Vancouver Sun's headline), then 94, 4, 2 once the CSV rows were read (Cairo and Lebanon,
    Illinois, the Turkey Trot, and `his partner Jordan` as the country; `French and Dutch ships`
    read as a list of languages). Tolerance: one of each."""
    assert scored["pairs"] == 96
    assert scored["right"] >= 95
    assert len(scored["wrong"]) <= 1, scored["wrong"]
    assert len(scored["missed"]) <= 1, scored["missed"]


def test_us_uk_press_junk_and_dates(scored):
    """Measured 2026-12-03: junk strings left 1 of 107 (25 before the audit's fixes, the CSV rows
    unread; 27 once read, 24 once the headlines were found, 1 after the junk rules: the second
    teaser under `Most Read from Bloomberg`), publication times right 24 of 24 (12 before: the
    news API's `published_date` unread; the Vancouver Sun's `PST` unread, its outlet unknown; a
    clock before its date with its zone, `6:15am EST`, `7.30am GMT, The Times`, ET unread; the US
    press's clocks without a zone, The Wall Street Journal's and the Los Angeles Times's, read as
    UTC). Tolerance: two junk strings, one date."""
    assert scored["junk"] == 107
    assert len(scored["junk_left"]) <= 2, scored["junk_left"]
    assert len(scored["dates_wrong"]) <= 1, scored["dates_wrong"]
