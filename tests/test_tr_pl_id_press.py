"""The Turkish-, Polish- and Indonesian-language press audit's sample, built end to end against its hand gold.

`tests/fixtures/tr_pl_id_press/raw` holds 18 articles written in the manner of Turkish (Hürriyet,
Sabah, Anadolu Ajansı, Milliyet, Cumhuriyet, NTV), Polish (Gazeta Wyborcza, Rzeczpospolita, TVN24,
PAP, Onet, Polsat News) and Indonesian (Kompas, Detik, CNN Indonesia, Antara, Tempo, Republika)
outlets as scraped text with its page junk, JSON Lines and CSV exports with Turkish, Polish and
Indonesian field names, saved HTML pages and RSS feeds. `gold.json` gives, per article, its
headline, language, the outlet's country, the publication time in UTC, the countries named and
junk strings the clean text must not keep.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.press_audit import build_and_score

SAMPLE = Path(__file__).parent / "fixtures" / "tr_pl_id_press"


@pytest.fixture(scope="module")
def scored(tmp_path_factory, options) -> dict[str, object]:
    return build_and_score(SAMPLE, tmp_path_factory.mktemp("tr_pl_id_press") / "p", options)


def test_tr_pl_id_press_headlines_languages_and_outlets(scored):
    """Measured 2026-12-03: every article loaded (before the audit's fixes the 6 export records,
    JSON Lines and CSV with `baslik`, `icerik`, `tytul`, `tresc`, `judul`, `isi`..., were not);
    headlines 18 of 18 (16 before: Hürriyet's and Wyborcza's cookie notices), languages 18 of 18 (13 before:
    Polish `w`, `z`, `i` counted as English stopwords and Turkish suffixes `'dan`, `'da` as Spanish
    ones, and Cumhuriyet's and NTV's Turkish bodies gone as low density), outlet countries 18 of 18
    (17 before: cnnindonesia.com none, now in outlets.toml)."""
    assert scored["unmatched"] == []
    assert scored["titles_wrong"] == [], scored["titles_wrong"]
    assert scored["languages_wrong"] == [], scored["languages_wrong"]
    assert scored["outlets_wrong"] == [], scored["outlets_wrong"]


def test_tr_pl_id_press_country_sets(scored):
    """Measured 2026-12-03: 107 country-article pairs right of 107, 0 wrong, 0 missed, with
    Turkish, Polish and Indonesian in `countries.languages` and their tables in languages.toml (1
    wrong, Singapore in a Kompas teaser, until the junk rules took the teaser); before the audit's fixes 25, 1, 82 (the export records
    unread, two Turkish bodies gone; names only in French or English, none of `Fransa'nın`, `w
    Polsce`, `Tiongkok`, `Jepang`, `Prancis`; Hürriyet's cookie button `Kabul Et` read as Kabul).
    Tolerance: one of each."""
    assert scored["pairs"] == 107
    assert scored["right"] >= 106
    assert len(scored["wrong"]) <= 1, scored["wrong"]
    assert len(scored["missed"]) <= 1, scored["missed"]


def test_tr_pl_id_press_junk_and_dates(scored):
    """Measured 2026-12-03: junk strings left 0 of 86 (10 of the 12 articles loaded before the
    audit's fixes, 14 of the 18 once all were: cookie notices, `Czytaj też`, `Zobacz także`, `Baca
    juga:` and `Pilihan Editor` with their teasers, `REKLAMA`, `SCROLL TO CONTINUE WITH CONTENT`,
    `Udostępnij`, Kompas's app prompt, Google News prompts), publication times right 18 of 18 (5
    of 12 loaded before: Turkish, Polish and Indonesian months unread, `2 Aralık 2026`, `2 grudnia
    2026`, `02 Des 2026`; cue lines `Giriş Tarihi:`, `Publikacja:`,
    `Opublikowano:` and Kompas's `Kompas.com - 02/12/2026, 10:30 WIB` gave the day alone, from the
    URL; cnnindonesia.com, no outlet country, had its URL's clock read as UTC). Tolerance: two junk
    strings, one date."""
    assert scored["junk"] == 86
    assert len(scored["junk_left"]) <= 2, scored["junk_left"]
    assert len(scored["dates_wrong"]) <= 1, scored["dates_wrong"]
