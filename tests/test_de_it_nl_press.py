"""The German-, Italian- and Dutch-language press audit's sample, built end to end against its hand gold.

`tests/fixtures/de_it_nl_press/raw` holds 23 articles written in the manner of German (Der Spiegel,
Süddeutsche Zeitung, tagesschau.de, FAZ, Die Zeit), Austrian (Der Standard, Die Presse), Swiss
(NZZ, SRF, Tages-Anzeiger, Corriere del Ticino), Italian (Corriere della Sera, la Repubblica, ANSA,
Il Sole 24 Ore, La Stampa), Dutch (NOS, de Volkskrant, NRC, NU.nl with ANP) and Flemish Belgian (De
Standaard, Het Laatste Nieuws, VRT NWS) outlets as scraped text with its page junk, JSON Lines
exports with German and Italian field names, a CSV export with Dutch column names, saved HTML
pages and an RSS feed. `gold.json` gives, per article, its headline, language, the outlet's
country, the publication time in UTC, the countries named and junk strings the clean text must not
keep.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.press_audit import build_and_score

SAMPLE = Path(__file__).parent / "fixtures" / "de_it_nl_press"


@pytest.fixture(scope="module")
def scored(tmp_path_factory, options) -> dict[str, object]:
    return build_and_score(SAMPLE, tmp_path_factory.mktemp("de_it_nl_press") / "p", options)


def test_de_it_nl_press_headlines_languages_and_outlets(scored):
    """Measured 2026-12-03: headlines 23 of 23 (16 before the audit's fixes: scraped pages gave the
    masthead `Süddeutsche Zeitung`, tagesschau's `Sendung verpasst?`, subscription prompts `Jetzt
    DER STANDARD abonnieren`, `Abbonati`, `Abbonati a Repubblica` and NOS's and de Volkskrant's
    cookie banners), languages 23 of 23, outlet countries 23 of 23 (as before)."""
    assert scored["unmatched"] == []
    assert scored["titles_wrong"] == [], scored["titles_wrong"]
    assert scored["languages_wrong"] == []
    assert scored["outlets_wrong"] == [], scored["outlets_wrong"]


def test_de_it_nl_press_country_sets(scored):
    """Measured 2026-12-03: 120 country-article pairs right of 120, 1 wrong, 0 missed; before the
    audit's fixes 119, 2, 1 (Norway from the Süddeutsche's teaser, gone with the junk rules;
    Belgium in De Standaard's `Ons land` missed). The one wrong left: Luxembourg for the EU
    court's seat, `in Luxemburg eingereicht` (the city and the country are one word)."""
    assert scored["pairs"] == 120
    assert scored["right"] >= 120
    assert len(scored["wrong"]) <= 1, scored["wrong"]
    assert scored["missed"] == [], scored["missed"]


def test_de_it_nl_press_junk_and_dates(scored):
    """Measured 2026-12-03: junk strings left 0 of 139 (32 before the audit's fixes: date lines
    `02.12.2026, 10.47 Uhr`, `2. Dezember 2026, 9:15 Uhr`, `02 dicembre 2026 (modificato alle
    14:20)`; teasers under `Lesen Sie mehr zum Thema`, `Passend zum Artikel`, `Per saperne di
    più`, `Bekijk ook`, `Lees verder`; cookie banners, paywall and newsletter prompts, SRF's
    caption, toolbar buttons; 26 after the headlines' fix), publication times right 23 of 23 (21
    before: tagesschau's `Stand: 02.12.2026 11:30 Uhr` unread, the day alone; HLN's `02-12-26,
    11:48` read as 26 December 2002). Tolerance: two junk strings."""
    assert scored["junk"] == 139
    assert len(scored["junk_left"]) <= 2, scored["junk_left"]
    assert scored["dates_wrong"] == [], scored["dates_wrong"]
