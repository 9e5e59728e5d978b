"""The African press audit's sample, built end to end against its hand gold.

`tests/fixtures/africa_press/raw` holds 21 articles written in the manner of francophone West and
Central African outlets (Le Soleil, Seneweb, Fraternité Matin, Cameroon Tribune, L'Essor, and Jeune
Afrique, a Paris weekly), East African ones in English and Swahili (Daily Nation, The Standard, The
Citizen, New Vision, Taifa Leo, Mwananchi), Nigerian and Ghanaian ones (Vanguard, Premium Times,
GhanaWeb, Graphic) and South African ones (News24, Mail & Guardian) as scraped text with its page
junk, a JSON Lines export with French field names, a CSV export with Swahili column names, saved
HTML pages and an RSS feed. Their clocks are GMT (Senegal, Côte d'Ivoire, Mali, Ghana), WAT
(Cameroon, Nigeria), SAST and EAT, written with their zone or without. `gold.json` gives, per
article, its headline, language, the outlet's country, the publication time in UTC, the countries
named and junk strings the clean text must not keep.

The sample is built with the default options (Swahili among `countries.languages` since this
audit).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.press_audit import build_and_score

SAMPLE = Path(__file__).parent / "fixtures" / "africa_press"


@pytest.fixture(scope="module")
def scored(tmp_path_factory, options) -> dict[str, object]:
    return build_and_score(SAMPLE, tmp_path_factory.mktemp("africa_press") / "p", options)


def test_africa_press_headlines_languages_and_outlets(scored):
    """Measured 2026-12-03: 21 of 21 articles found by their URL (19 before the audit: the CSV
    export's Swahili columns, `kichwa`, `habari`, `tarehe`, `kiungo`, `chanzo`, unread, its two
    records without URL or text), headlines 21 of 21 (17 before: The Standard's `Login / Register`
    and New Vision's `Download the New Vision App` over the headline were taken for it), languages
    21 of 21 (Swahili found among `language.others`), outlet countries 21 of 21 (19 of 19 found
    before: the outlets' domains are listed or country-code ones, Jeune Afrique's France's)."""
    assert scored["unmatched"] == []
    assert scored["titles_wrong"] == [], scored["titles_wrong"]
    assert scored["languages_wrong"] == []
    assert scored["outlets_wrong"] == [], scored["outlets_wrong"]


def test_africa_press_country_sets(scored):
    """Measured 2026-12-03, 106 country-article pairs, with the default options (Swahili among
    `countries.languages` since this audit): 106 right, 0 wrong, 0 missed. Before the audit 92, 1,
    14 by default (94, 1, 12 with Swahili added): the Swahili export unread (9 pairs), Swahili names
    (`Uingereza`, `Ujerumani`, `Marekani`, the DRC's `Jamhuri ya Kidemokrasia ya Kongo`) and
    demonyms (`Mfaransa`, `Wanyarwanda`), and South Sudan for Somalia's `Lower Juba`. Once the
    export is read, without Swahili 96, 0, 10 (the Swahili articles' 22 pairs: 13 right, from the
    names English writes alike, Kenya, Tanzania, Qatar); with it 105, 0, 1: Botswana in the Mail &
    Guardian's feed, whose sentence shares its line with the feed's `Sign up for our newsletter`,
    went with it until a sentence of body text was kept from a line a rule drops. Tolerance: one
    of each."""
    assert scored["pairs"] == 106
    assert scored["right"] >= 105
    assert len(scored["wrong"]) <= 1, scored["wrong"]
    assert len(scored["missed"]) <= 1, scored["missed"]


def test_africa_press_junk_and_dates(scored):
    """Measured 2026-12-03: junk strings left 0 of 76 (before the audit 5 of the 72 of the articles
    read: The Standard's and New Vision's buttons taken for headlines, Taifa Leo's `Shiriki` and
    `Jiunge na chaneli yetu ya WhatsApp`, Mwananchi's `Soma zaidi:` teaser). Publication times
    right 21 of 21 (14 of 21 before: the Swahili export unread, Swahili months, `Jumatano, Desemba
    02, 2026`, unread, the French export's `date_parution` unread, Vanguard's `On December 1, 2026
    7:15 pm In News by Dayo Johnson` unread). Tolerance: one junk string, one date."""
    assert scored["junk"] == 76
    assert len(scored["junk_left"]) <= 1, scored["junk_left"]
    assert len(scored["dates_wrong"]) <= 1, scored["dates_wrong"]
