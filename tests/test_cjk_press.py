"""The Chinese-, Japanese- and Korean-language press audit's sample, built end to end against its
hand gold.

`tests/fixtures/cjk_press/raw` holds 15 articles written in the manner of Chinese (Xinhua, People's
Daily, China News Service, Caixin), Taiwanese (United Daily News, in traditional characters),
Japanese (NHK, Asahi, Yomiuri, Nikkei, Kyodo) and Korean (Yonhap, Chosun Ilbo, JoongAng Ilbo,
Hankyoreh, KBS) outlets as scraped text with its page junk, a JSON Lines export with Chinese field
names, CSV exports with Japanese and Korean column names, saved HTML pages and RSS feeds.
`gold.json` gives, per article, its headline, language, the outlet's country, the publication time
in UTC, the countries named and junk strings the clean text must not keep.

The sample is built with the default options (zh, ja and ko among `countries.languages`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.press_audit import build_and_score

SAMPLE = Path(__file__).parent / "fixtures" / "cjk_press"


@pytest.fixture(scope="module")
def scored(tmp_path_factory, options) -> dict[str, object]:
    return build_and_score(SAMPLE, tmp_path_factory.mktemp("cjk_press") / "p", options)


def test_cjk_press_headlines_languages_and_outlets(scored):
    """Measured 2026-12-03: 15 of 15 articles found by their URL (9 before the audit: the JSON
    Lines export's Chinese field names and the CSV exports' Japanese and Korean column names
    unread, 6 records without URL or text), headlines 15 of 15 (6 of 9 before; 12 of 15 once the
    exports were read: Xinhua's, People's Daily's and Yomiuri's pages gave the site's name,
    `新华网`, `人民网`, `読売新聞オンライン`, over menus whose next line, a headline without spaces,
    counted one word; the gold's ideographic space is a space), languages 15 of 15, outlet
    countries 15 of 15 (caixin.com, udn.com, nikkei.com and chosun.com listed in outlets.toml)."""
    assert scored["unmatched"] == []
    assert scored["titles_wrong"] == [], scored["titles_wrong"]
    assert scored["languages_wrong"] == []
    assert scored["outlets_wrong"] == [], scored["outlets_wrong"]


def test_cjk_press_country_sets(scored):
    """Measured 2026-12-03, 87 country-article pairs, with the default options (zh, ja and ko
    among `countries.languages` since this audit): 81 right, 0 wrong, 6 missed. Before the audit
    0, 0, 87 by default (zh, ja and ko were not among them) and, with them added, 29 right, 1
    wrong (China from China News Service's own name, `来源：中国新闻网`), 58 missed: the Korean
    articles' text dropped whole (46, 1, 41 once Korean prose counts its joined particles,
    boilerplate's `[joined_endings]`), the exports unread (67, 1, 20 once their CJK field names
    are read), short forms, traditional characters, capitals and demonyms (81, 1, 6 with
    languages.toml's zh, ja and ko tables: 美國, 南韓, 米国, 英国, 豪州, アメリカ, 한국, 美 in a
    Korean headline, 访华, 訪米, 北京, 워싱턴, 한국인), the source line (81, 0, 6 once it is junk).
    Then (same day) 87, 0, 0 with languages.toml's compounds of initials, one mention a letter
    (朝美, 한미, 한미일: `[zh.initials]`, `[ja.initials]`, `[ko.initials]`). Tolerance: one of each."""
    assert scored["pairs"] == 87
    assert scored["right"] >= 86
    assert len(scored["wrong"]) <= 1, scored["wrong"]
    assert len(scored["missed"]) <= 1, scored["missed"]


def test_cjk_press_junk_and_dates(scored):
    """Measured 2026-12-03: junk strings left 0 of 70 (before the audit 21: Xinhua's and People's
    Daily's editor lines, share buttons and source lines, Yomiuri's teaser and buttons, China News
    Service's editor; the Korean pages' junk went with their text; 23 once their text stayed,
    Yonhap's e-mail and copyright; 40 once the exports were read: their bylines, editors,
    copyright lines, teasers and subscription prompts; 1 after boilerplate.toml's Chinese,
    Japanese and Korean rules: Xinhua's menu item `新华全媒+`, 0 once the headline under it is
    found). Publication times right 15 of 15 (7 of 9 before the audit, 13 of 15 once the exports were
    read: Xinhua's `2026-12-02 18:25:36  来源：新华社`, its seconds and source, unread; KBS's
    `입력 2026.12.02 (11:05)` without its clock in brackets). Tolerance: one junk string, one
    date."""
    assert scored["junk"] == 70
    assert len(scored["junk_left"]) <= 1, scored["junk_left"]
    assert len(scored["dates_wrong"]) <= 1, scored["dates_wrong"]
