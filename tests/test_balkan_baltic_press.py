"""The Balkan and Baltic press audit's sample, built end to end against its hand gold.

`tests/fixtures/balkan_baltic_press/raw` holds 21 articles written in the manner of Croatian
(Večernji list), Serbian in Cyrillic and Latin script (Politika, Blic, N1, RTS), Bosnian (Klix.ba,
Oslobođenje), Slovenian (Delo), Bulgarian (Dnevnik, BTA), North Macedonian (MIA, Sloboden pecat),
Albanian and Kosovar (Top Channel, Koha), Lithuanian (LRT, Delfi.lt), Latvian (LSM) and Estonian
(ERR, Postimees) outlets as scraped text with its page junk (menus flattened onto one line, cookie
banners, bylines, share buttons, teasers, agency credits), a JSON Lines export with Lithuanian field
names, a CSV export with Serbian column names holding a Latin and a Cyrillic record, saved HTML
pages and an RSS feed. `gold.json` gives, per article, its headline, language, the outlet's
country, the publication time in UTC, the countries named and junk strings the clean text must not
keep.

The sample is built with the default options (hr, sr, bs, sl, bg, mk, sq, lt, lv and et among
`countries.languages` since this audit).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.press_audit import build_and_score

SAMPLE = Path(__file__).parent / "fixtures" / "balkan_baltic_press"


@pytest.fixture(scope="module")
def scored(tmp_path_factory, options) -> dict[str, object]:
    return build_and_score(SAMPLE, tmp_path_factory.mktemp("balkan_baltic_press") / "p", options)


def test_balkan_baltic_press_headlines_languages_and_outlets(scored):
    """Measured 2026-12-03: 21 of 21 articles found by their URL (19 before the audit: Delfi's JSON
    Lines export's Lithuanian field names, `antraštė`, `tekstas`, `nuoroda`, unread), headlines 21 of
    21 (6 of 19 before: eleven menus flattened onto one line by the scraper, `Vijesti Sport Show
    Zdravlje Lifestyle`, `Новини Бизнес Свят Спорт Мнения`, read as the headline, then the cookie
    banners under them, `Ova web stranica koristi kolačiće ... Prihvaćam`; the CSV's `naslov` unread),
    outlet countries 21 of 21 (19 of 19 before 2: koha.net, Kosovo, and top-channel.tv, Albania, on
    domains that do not say it), languages 21 of 21 (7 of 19 before: Estonian, Latvian and Albanian
    bodies went whole as low density and their menus were read as Dutch and French; Slovenian, once
    cleaned, as German; then 19 of 21: Serbian in Latin script, Blic's and N1's, read as Bosnian,
    lingua's Serbian being Cyrillic, until the outlet's country decided between close languages,
    `language.close`). Tolerance: one language."""
    assert scored["unmatched"] == []
    assert scored["titles_wrong"] == [], scored["titles_wrong"]
    assert len(scored["languages_wrong"]) <= 1, scored["languages_wrong"]
    assert scored["outlets_wrong"] == [], scored["outlets_wrong"]


def test_balkan_baltic_press_country_sets(scored):
    """Measured 2026-12-03, 121 country-article pairs, with the default options (hr, sr, bs, sl, bg,
    mk, sq, lt, lv and et among `countries.languages` since this audit): 121 right, 0 wrong, 0
    missed. Before the audit 3, 0, 118 (the export unread, and names matched in French and English
    alone); 78, 3, 43 with the ten
    languages' tables (case endings `u Mađarskoj`, `Русијом`, `Lietuvoje`, `Latvijā`, `Eestis`,
    `Kosovës`, adjectives `američki`, `румънският`, `бугарскиот`, capitals `Dunaju`, `Vilniuje`,
    `Tallinnas`) but the Estonian, Latvian and Albanian bodies lost as low density, the teasers
    (`Pročitajte još`, `Najčitanije`, `Lexo edhe`) kept and `Läti ja Leedu` read as a list of
    languages. Not matched, as test_countries.py checks: `Turski tok` (TurkStream), `Mali` opening a
    sentence (small; Albanian a mountain), `Toga`, `Dominika` a first name. Tolerance: one of each."""
    assert scored["pairs"] == 121
    assert scored["right"] >= 120
    assert len(scored["wrong"]) <= 1, scored["wrong"]
    assert len(scored["missed"]) <= 1, scored["missed"]


def test_balkan_baltic_press_junk_and_dates(scored):
    """Measured 2026-12-03: junk strings left 0 of 126 (22 of the 19 articles loaded before the
    audit: the flattened menus, teaser headings and their teasers, `Oglas`, `Deli novico`,
    `Сподели`, `Dalintis`, an agency credit `LRT.lt, BNS`, Delo's date line `2. december 2026 ob
    8.30`), publication times right 21 of 21 (9 of 19 loaded before: Croatian, Serbian, Albanian,
    Bulgarian and Latvian months unread, `2. prosinca 2026.`, `2. децембар 2026.`, `2 dhjetor
    2026`, `2 декември 2026`, `2026. gada 2. decembris`; a year's closing dot, `02.12.2026. 08:30`,
    and the clock's word, `u`, `у`, `ob`, unread; Top Channel's and Koha's clocks read in UTC, their
    outlets' country unknown, and Kosovo has no CLDR zone). Tolerance: two junk strings, one date."""
    assert scored["junk"] == 126
    assert len(scored["junk_left"]) <= 2, scored["junk_left"]
    assert len(scored["dates_wrong"]) <= 1, scored["dates_wrong"]
