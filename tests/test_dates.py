from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.clean import article_date
from analysis.dates import date_from_text, date_without_year, month_number, parse_datetime, relative_datetime


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-03T08:15:00+01:00", datetime(2024, 2, 3, 7, 15, tzinfo=UTC)),
        ("2024-02-03T08:15:00Z", datetime(2024, 2, 3, 8, 15, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 10:00:00 +0100", datetime(2024, 3, 5, 9, 0, tzinfo=UTC)),
        ("Sat, 01 Jan 2022 05:00:10 GMT", datetime(2022, 1, 1, 5, 0, 10, tzinfo=UTC)),
        ("2019-01-02 10:11:12.123456", datetime(2019, 1, 2, 10, 11, 12, 123456, tzinfo=UTC)),
        ("11/02/2025", datetime(2025, 2, 11, tzinfo=UTC)),
        ("11.02.2025 14h05", datetime(2025, 2, 11, 14, 5, tzinfo=UTC)),
        ("Publié le 12 février 2025 à 10h30", datetime(2025, 2, 12, 10, 30, tzinfo=UTC)),
        ("mercredi 1er janvier 2025", datetime(2025, 1, 1, tzinfo=UTC)),
        ("March 3, 2024", datetime(2024, 3, 3, tzinfo=UTC)),
        # the other languages' month names, their `de` and their clock words
        ("sábado, 5 de marzo de 2022", datetime(2022, 3, 5, tzinfo=UTC)),
        ("Publicado el 12 de febrero de 2025 a las 10:30", datetime(2025, 2, 12, 10, 30, tzinfo=UTC)),
        ("12 de fevereiro de 2025 às 10h30", datetime(2025, 2, 12, 10, 30, tzinfo=UTC)),
        ("1º de maio de 2024", datetime(2024, 5, 1, tzinfo=UTC)),
        ("12 febbraio 2025 alle 10:30", datetime(2025, 2, 12, 10, 30, tzinfo=UTC)),
        ("Veröffentlicht am 3. März 2024 um 14:05", datetime(2024, 3, 3, 14, 5, tzinfo=UTC)),
        ("3 maart 2024", datetime(2024, 3, 3, tzinfo=UTC)),
        ("12 فبراير 2025", datetime(2025, 2, 12, tzinfo=UTC)),
        ("الخميس 12 غشت 2021", datetime(2021, 8, 12, tzinfo=UTC)),  # the Maghreb's August
        ("15 شباط 2024", datetime(2024, 2, 15, tzinfo=UTC)),  # the Levant's February
        ("١٢ يناير ٢٠٢٥", datetime(2025, 1, 12, tzinfo=UTC)),  # Arabic-Indic digits
        ("26-FEB-1987 15:01:01.79", datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC)),
        ("1700000000", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (1700000000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=1))), datetime(2024, 1, 1, 11, tzinfo=UTC)),
        # a year first is never followed by the day, whatever the day-first order of the rest
        ("2025/12/02 10:00", datetime(2025, 12, 2, 10, tzinfo=UTC)),
        ("2025-12-02 10:00:00 UTC", datetime(2025, 12, 2, 10, tzinfo=UTC)),
        # the clock after a date: 12-hour clocks, seconds, zones (feeds in other languages)
        ("Dec 2, 2025 10:00 PM", datetime(2025, 12, 2, 22, tzinfo=UTC)),
        ("Dec. 2, 2025, 12:30 a.m.", datetime(2025, 12, 2, 0, 30, tzinfo=UTC)),
        ("12/2/2025 3:05:09 PM", datetime(2025, 2, 12, 15, 5, 9, tzinfo=UTC)),
        ("mar., 02 déc. 2025 08:00:00 +0100", datetime(2025, 12, 2, 7, tzinfo=UTC)),
        ("Di, 02 Dez 2025 08:00:00 +01:00", datetime(2025, 12, 2, 7, tzinfo=UTC)),
        ("Mon Dec 01 2025 10:00:00 GMT+0100 (CET)", datetime(2025, 12, 1, 9, tzinfo=UTC)),
        ("2 December 2025 10:00 -05:00", datetime(2025, 12, 2, 15, tzinfo=UTC)),
        # an offset after GMT or UTC is ahead of UTC when `+` (dateutil reads it as POSIX zones are
        # written, behind: 10:45 GMT+1 was read as 11:45 UTC), in brackets too (it was left out)
        ("2024-03-13 10:45:00 GMT+1", datetime(2024, 3, 13, 9, 45, tzinfo=UTC)),
        ("2024-03-13 10:45 UTC-3", datetime(2024, 3, 13, 13, 45, tzinfo=UTC)),
        ("2024-03-13 10:45 UTC+01:00", datetime(2024, 3, 13, 9, 45, tzinfo=UTC)),
        ("13/03/2024 à 10h45 (GMT+1)", datetime(2024, 3, 13, 9, 45, tzinfo=UTC)),
        ("3 mars 2024, 18:42", datetime(2024, 3, 3, 18, 42, tzinfo=UTC)),
        # a weekday between the date and its time, as press databases (Nexis) write it
        ("December 2, 2025 Tuesday 10:30 AM EST", datetime(2025, 12, 2, 15, 30, tzinfo=UTC)),
        ("2 décembre 2025 mardi 14:30", datetime(2025, 12, 2, 14, 30, tzinfo=UTC)),
        # a scraped date field that keeps its cue words before a numeric date (West African sites)
        ("Publié le 02/12/2025 à 10h30", datetime(2025, 12, 2, 10, 30, tzinfo=UTC)),
        ("Publié le : 02/12/2025", datetime(2025, 12, 2, tzinfo=UTC)),
        ("mardi 02.12.2025 - 08:15", datetime(2025, 12, 2, 8, 15, tzinfo=UTC)),
        # Dutch press: numeric dates with dashes, its clock word and `14.30 uur`
        ("Gepubliceerd op 02-12-2025 om 10:15", datetime(2025, 12, 2, 10, 15, tzinfo=UTC)),
        ("01-12-2025, 22:47", datetime(2025, 12, 1, 22, 47, tzinfo=UTC)),
        ("1 december 2025 om 19.45 uur", datetime(2025, 12, 1, 19, 45, tzinfo=UTC)),
        # German press: a comma right after a numeric date's year, `Uhr` after the clock, and the
        # zone named in German after it (MEZ, MESZ: CET, CEST)
        ("02.12.2026, 13:05 Uhr", datetime(2026, 12, 2, 13, 5, tzinfo=UTC)),
        ("01.12.2026, 06:00 · Aktualisiert vor 3 Stunden", datetime(2026, 12, 1, 6, tzinfo=UTC)),
        ("2. Dezember 2026 um 14:30 Uhr MEZ", datetime(2026, 12, 2, 13, 30, tzinfo=UTC)),
        ("2. Juli 2026, 9:00 Uhr (MESZ)", datetime(2026, 7, 2, 7, tzinfo=UTC)),
        ("02.12.2026 10:15 MESZ", datetime(2026, 12, 2, 8, 15, tzinfo=UTC)),
    ],
)
def test_parse_datetime_formats(value, expected):
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    "value",
    # (a year, month or day left out was taken from today's date: the date changed with the day)
    ["", None, "garbage", "2024-13-45", "31/02/2024", True, "le 45 mars 2024", "24 Feb", "December 2026", "2026-12"],
)
def test_parse_datetime_refuses_to_guess(value):
    assert parse_datetime(value) is None


def test_naive_timestamps_take_the_default_zone():
    casablanca = ZoneInfo("Africa/Casablanca")
    assert parse_datetime("2024-07-01 10:00:00", default_tz=casablanca) == datetime(2024, 7, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # a zone's abbreviation after the clock: one zone wherever it is written...
        ("Updated 2 Dec 2026, 10:30 GST", None, datetime(2026, 12, 2, 6, 30, tzinfo=UTC)),
        ("Tue 2 Dec 2026 10.30 GMT", None, datetime(2026, 12, 2, 10, 30, tzinfo=UTC)),
        ("2 December 2026 10:30 WAT", None, datetime(2026, 12, 2, 9, 30, tzinfo=UTC)),
        ("Dec 02, 2026 09:15 PKT", None, datetime(2026, 12, 2, 4, 15, tzinfo=UTC)),
        ("Published: Tue 2 Dec 2026, 10:30 AM (EAT)", None, datetime(2026, 12, 2, 7, 30, tzinfo=UTC)),
        # ...or the zone of the outlet's country among those it names
        ("Published: December 02, 2026 10:30 IST", "IN", datetime(2026, 12, 2, 5, 0, tzinfo=UTC)),
        ("Dec 02, 2026 10:30 pm IST", "IN", datetime(2026, 12, 2, 17, 0, tzinfo=UTC)),
        ("2 December 2026, 10:30 IST", "IL", datetime(2026, 12, 2, 8, 30, tzinfo=UTC)),
        ("Tue, 02 Dec 2025 10:30:00 IST", "IL", datetime(2025, 12, 2, 8, 30, tzinfo=UTC)),
        ("2 December 2026, 10:30 IST", None, datetime(2026, 12, 2, 10, 30, tzinfo=UTC)),  # not read
        ("2 December 2026, 10:30 CST", "CN", datetime(2026, 12, 2, 2, 30, tzinfo=UTC)),
        ("2 December 2026, 10:30 CST", "US", datetime(2026, 12, 2, 16, 30, tzinfo=UTC)),
        # an RFC 822 date's zones are the standard's (the US's), whoever writes it
        ("Tue, 10 Jun 2003 04:00:00 PST", None, datetime(2003, 6, 10, 12, tzinfo=UTC)),
        ("Tue, 10 Jun 2003 04:00:00 CST", "CN", datetime(2003, 6, 9, 20, tzinfo=UTC)),  # China's press: its own
        # a written offset wins over the name beside it
        ("Mon Dec 01 2025 10:00:00 GMT+0100 (CET)", None, datetime(2025, 12, 1, 9, tzinfo=UTC)),
        # numeric dates: month first in US press, day first elsewhere
        ("12/02/2026", "US", datetime(2026, 12, 2, tzinfo=UTC)),
        ("12/2/2025 3:05:09 PM", "US", datetime(2025, 12, 2, 20, 5, 9, tzinfo=UTC)),  # (New York's clock)
        ("12/02/2026", "NG", datetime(2026, 2, 12, tzinfo=UTC)),
        ("12/02/2026", None, datetime(2026, 2, 12, tzinfo=UTC)),
        ("2026/12/02", "US", datetime(2026, 12, 2, tzinfo=UTC)),
        # a clock without a zone in a German, Austrian or Swiss paper is its own (summer time too);
        # a day without a clock keeps its day; a written zone or offset still wins
        ("02.12.2026, 13:05 Uhr", "DE", datetime(2026, 12, 2, 12, 5, tzinfo=UTC)),
        ("15. Jänner 2026, 08:30", "AT", datetime(2026, 1, 15, 7, 30, tzinfo=UTC)),
        ("3. Feber 2026, 08:30", "AT", datetime(2026, 2, 3, 7, 30, tzinfo=UTC)),  # Austria's February
        ("2026-07-02 09:00:00", "CH", datetime(2026, 7, 2, 7, tzinfo=UTC)),
        ("30.11.2026 22:45", "DE", datetime(2026, 11, 30, 21, 45, tzinfo=UTC)),
        ("Sonntag, 29. November 2026", "DE", datetime(2026, 11, 29, tzinfo=UTC)),
        ("2026-12-02", "DE", datetime(2026, 12, 2, tzinfo=UTC)),
        ("2026-12-02T00:00:00", "DE", datetime(2026, 12, 2, tzinfo=UTC)),  # htmldate's day alone
        ("2026-12-02T10:00:00Z", "DE", datetime(2026, 12, 2, 10, tzinfo=UTC)),
        ("2. Dezember 2026 um 14:30 Uhr GMT", "DE", datetime(2026, 12, 2, 14, 30, tzinfo=UTC)),
        ("Mon, 30 Nov 2026 16:05:00 +0100", "DE", datetime(2026, 11, 30, 15, 5, tzinfo=UTC)),
        # any country of one clock (CLDR's zones, summer time too); of several, the file's entry
        # (China's one official time, Madrid's for Spain), else the default
        ("02/12/2026 à 13h05", "FR", datetime(2026, 12, 2, 12, 5, tzinfo=UTC)),
        ("2 juillet 2026 à 13h05", "FR", datetime(2026, 7, 2, 11, 5, tzinfo=UTC)),
        ("02/12/2026 13:05", "MA", datetime(2026, 12, 2, 12, 5, tzinfo=UTC)),
        ("02/12/2026 13:05", "IN", datetime(2026, 12, 2, 7, 35, tzinfo=UTC)),
        ("02/12/2026 13:05", "CN", datetime(2026, 12, 2, 5, 5, tzinfo=UTC)),
        ("02/12/2026 13:05", "ES", datetime(2026, 12, 2, 12, 5, tzinfo=UTC)),
        ("02.12.2026, 13:05 Uhr", "GL", datetime(2026, 12, 2, 13, 5, tzinfo=UTC)),  # several clocks: the default
        ("02/12/2026", "FR", datetime(2026, 12, 2, tzinfo=UTC)),  # a day alone keeps its day
        # the French-speaking press's own clocks (the francophone press audit): Brussels, Algiers,
        # Douala/Libreville (WAT), Kinshasa, Montréal (Canada's French-language press), Dakar (UTC)
        ("Publié le 2/12/2026 à 09:45", "BE", datetime(2026, 12, 2, 8, 45, tzinfo=UTC)),
        ("02 Déc. 2026 à 12:04", "DZ", datetime(2026, 12, 2, 11, 4, tzinfo=UTC)),
        ("02-12-2026 09:30", "CM", datetime(2026, 12, 2, 8, 30, tzinfo=UTC)),
        ("2 décembre 2026 - 10h25", "GA", datetime(2026, 12, 2, 9, 25, tzinfo=UTC)),
        ("Publié le mar 02/12/2026 - 11:20", "CD", datetime(2026, 12, 2, 10, 20, tzinfo=UTC)),
        ("2 décembre 2026 9 h 05", "CA", datetime(2026, 12, 2, 14, 5, tzinfo=UTC)),
        ("2 juillet 2026 9 h 05", "CA", datetime(2026, 7, 2, 13, 5, tzinfo=UTC)),  # summer time
        ("Publié le 02/12/2026 à 10:15", "SN", datetime(2026, 12, 2, 10, 15, tzinfo=UTC)),
        ("2 décembre 2026", "CA", datetime(2026, 12, 2, tzinfo=UTC)),  # a day keeps its day
        # Tunisia's clock too: an aggregator's export of UTC times needs the zone named (--timezone UTC)
        ("2019-01-02 03:42:46", "TN", datetime(2019, 1, 2, 2, 42, 46, tzinfo=UTC)),
        # Canada's French zone abbreviations, whoever writes them
        ("Publié le 2 décembre 2026 à 6 h 15 HNE", None, datetime(2026, 12, 2, 11, 15, tzinfo=UTC)),
        ("2 juillet 2026 à 6 h 15 HAE", None, datetime(2026, 7, 2, 10, 15, tzinfo=UTC)),
    ],
)
def test_zone_names_and_numeric_order_by_outlet_country(value, country, expected):
    assert parse_datetime(value, country=country) == expected


def test_date_in_the_text_read_as_the_outlet_writes_it():
    text = "Published: December 02, 2026 10:30 IST\n\nThe Centre on Monday said..."
    assert date_from_text(text, country="IN") == datetime(2026, 12, 2, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("03", 3),
        ("Mar", 3),
        ("mars", 3),
        ("Août", 8),
        ("déc.", 12),
        ("13", None),
        ("foo", None),
        ("Dez", 12),
        ("gennaio", 1),
        ("غشت", 8),
    ],
)
def test_month_number(name, number):
    assert month_number(name) == number


def test_each_month_name_is_one_month_in_every_language_but_those_the_country_decides():
    """A name that is two months (`listopad`: November in Polish and Czech, October in Croatian) is
    read by the outlet's country (`month_number`); no other name is."""
    from analysis.dates import MONTH_NAMES

    numbers: dict[str, set[int]] = {}
    for months in MONTH_NAMES.values():
        assert len(months) == 12
        for number, names in enumerate(months, 1):
            for name in names:
                numbers.setdefault(name, set()).add(number)
    assert {name: found for name, found in numbers.items() if len(found) > 1} == {
        "listopad": {10, 11},
        "listopada": {10, 11},
    }
    assert (month_number("listopada"), month_number("listopada", "HR"), month_number("listopada", "CZ")) == (11, 10, 11)


from analysis.dates import date_from_url  # noqa: E402

REF = datetime(2025, 2, 12, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Titre\nPublié le 12 février 2025 à 10h30\nCorps", datetime(2025, 2, 12, 10, 30, tzinfo=UTC)),
        ("Mis à jour le 11/02/2025", datetime(2025, 2, 11, tzinfo=UTC)),
        ("Le 11.02.2025\n\nCorps du texte", datetime(2025, 2, 11, tzinfo=UTC)),
        ("Published on March 3, 2024", datetime(2024, 3, 3, tzinfo=UTC)),
        ("il y a 3 heures", datetime(2025, 2, 12, 12, 0, tzinfo=UTC)),
        # a paper's name and a comma before the date, under a compilation's headline (it was unread)
        ("Titre\nL'Economiste, 15 mars 2024\n\nCorps", datetime(2024, 3, 15, tzinfo=UTC)),
        ("Titre\nLa Presse de Tunisie, 15 mars 2024\n\nCorps", datetime(2024, 3, 15, tzinfo=UTC)),
        # a date in a field of a byline's line, its update after it
        (
            "Por João Silva, da Reuters | 14/03/2024 às 10h30 - Atualizado há 2 horas\n\nTexto",
            datetime(2024, 3, 14, 10, 30, tzinfo=UTC),
        ),
        ("Publié hier à 10h", datetime(2025, 2, 11, 10, tzinfo=UTC)),  # (the clock after the day: it was midnight)
        ("2 days ago", datetime(2025, 2, 10, 15, 0, tzinfo=UTC)),
        ("du 14 au 16 avril 2025 à Marrakech, les experts débattront", None),
        ("Título\nPublicado el 12 de febrero de 2025\nCuerpo", datetime(2025, 2, 12, tzinfo=UTC)),
        ("El 5 de marzo de 2022\n\nTexto", datetime(2022, 3, 5, tzinfo=UTC)),
        ("Aktualisiert am 12.02.2025", datetime(2025, 2, 12, tzinfo=UTC)),
        # the German press's other cues: Tagesschau's and NZZ's `Stand:`, Swiss `Publiziert:`
        ("Titel\nStand: 02.12.2025 10:15 Uhr\nBern – Der Bundesrat", datetime(2025, 12, 2, 10, 15, tzinfo=UTC)),
        ("Publiziert: 01.12.2025, 06:00 · Aktualisiert vor 3 Stunden", datetime(2025, 12, 1, 6, tzinfo=UTC)),
        ("Erschienen am 3. Januar 2025", datetime(2025, 1, 3, tzinfo=UTC)),
        ("Der Stand der Dinge am 2. Januar 2025 ist klar", None),
        # a line holding a date, its clock as German pages write it, and a bullet and the issue
        ("Titel\n02.12.2025, 14.30 Uhr • aus DER SPIEGEL 49/2025\nDer Text", datetime(2025, 12, 2, 14, 30, tzinfo=UTC)),
        ("Titel\n02.12.2025, 14.30 Uhr\nDer Text", datetime(2025, 12, 2, 14, 30, tzinfo=UTC)),
        ("Der Preis stieg am 02.12.2025 • laut Bericht deutlich an, sagte er.", None),
        ("نشر في 12 فبراير 2025", datetime(2025, 2, 12, tzinfo=UTC)),
        ("del 14 al 16 de abril de 2025 en Madrid, los expertos debatirán", None),
        # relative forms of the other languages, the count before or after the unit
        ("Publicado hace 3 horas", datetime(2025, 2, 12, 12, 0, tzinfo=UTC)),
        ("vor einer Stunde", datetime(2025, 2, 12, 14, 0, tzinfo=UTC)),
        ("3 ore fa", datetime(2025, 2, 12, 12, 0, tzinfo=UTC)),
        ("2 dagen geleden", datetime(2025, 2, 10, 15, 0, tzinfo=UTC)),
        ("De Morgen\nGepubliceerd op 11-02-2025 om 10:15\nJoris Peeters", datetime(2025, 2, 11, 10, 15, tzinfo=UTC)),
        ("منذ 3 ساعات", datetime(2025, 2, 12, 12, 0, tzinfo=UTC)),
        ("ayer a las 10", datetime(2025, 2, 11, tzinfo=UTC)),
        ("نشر أمس", datetime(2025, 2, 11, tzinfo=UTC)),
        # CLDR's forms of a time past in the languages of dates.toml's relative_languages (the African
        # press audit's Swahili `Saa 2 zilizopita` was unread), its number before or after a word,
        # written in the language's digits or joined to the unit
        ("Saa 2 zilizopita", datetime(2025, 2, 12, 13, 0, tzinfo=UTC)),
        ("अपडेट 3 घंटे पहले", datetime(2025, 2, 12, 12, 0, tzinfo=UTC)),
        ("記事\n5分前\n本文", datetime(2025, 2, 12, 14, 55, tzinfo=UTC)),
        ("2小时前发布", datetime(2025, 2, 12, 13, 0, tzinfo=UTC)),
        ("입력 3시간 전", datetime(2025, 2, 12, 12, 0, tzinfo=UTC)),
        ("2 giờ trước", datetime(2025, 2, 12, 13, 0, tzinfo=UTC)),
        ("۲ ساعت پیش", datetime(2025, 2, 12, 13, 0, tzinfo=UTC)),
        ("3 jam yang lalu", datetime(2025, 2, 12, 12, 0, tzinfo=UTC)),
        ("před 3 hodinami", datetime(2025, 2, 12, 12, 0, tzinfo=UTC)),
        ("πριν από 2 ημέρες", datetime(2025, 2, 10, 15, 0, tzinfo=UTC)),
        ("för 3 timmar sedan", datetime(2025, 2, 12, 12, 0, tzinfo=UTC)),
        ("Tamu 2 Desemba", None),  # (a number and words of no such form)
        ("3 timmar", None),
        ("xil y a 3 heures", None),  # (a form inside a longer word)
        # an agency dateline: place, date, agency, dash; without a year it is no date
        ("Bamako, 2 déc. 2024 (AMAP) - Le gouvernement de transition...", datetime(2024, 12, 2, tzinfo=UTC)),
        ("Abidjan, le 11/02/2025 - Les planteurs...", datetime(2025, 2, 11, tzinfo=UTC)),
        ("Dakar, 2 déc (APS) - Le ministre...", None),
        ("KYIV, 24 Feb (Reuters) - Russia said...", None),
        ("Paris, Londres et Berlin - trois capitales", None),
        ("Selon lui, la réunion du 3 mars 2024 - très attendue - a eu lieu", None),
        # Italian: the first of the month written `1°`, a date line's `ore` and `alle ore`, `Ultimo
        # aggiornamento` (none of them was read: the Italian audit's Repubblica, Corriere, RaiNews)
        ("Titolo\nPubblicato il 1° dicembre 2024 alle 18:40\nTesto", datetime(2024, 12, 1, 18, 40, tzinfo=UTC)),
        ("Titolo\n02/12/2024 ore 10:30\nTesto", datetime(2024, 12, 2, 10, 30, tzinfo=UTC)),
        ("Titolo\n2 dicembre 2024, alle ore 10.30\nTesto", datetime(2024, 12, 2, 10, 30, tzinfo=UTC)),
        ("Testo.\n\nUltimo aggiornamento: 1 dicembre 2024, 17:42", datetime(2024, 12, 1, 17, 42, tzinfo=UTC)),
        ("il vertice del 1° dicembre 2024 a Roma ha deciso", None),
        # an update's date only when no publication date is written (the Corriere page gave 11:05,
        # its update, for its 10:30 publication); a date as one field of a line of them
        (
            "Titolo\n02/12/2024 ore 10:30\nUltimo aggiornamento: 02/12/2024 - 11:05\nTesto",
            datetime(2024, 12, 2, 10, 30, tzinfo=UTC),
        ),
        ("Titre\nMis à jour le 13/02/2025\nLe 12.02.2025\nCorps", datetime(2025, 2, 12, tzinfo=UTC)),
        ("Politica | di F. Q. | 1 dic 2024\nTesto", datetime(2024, 12, 1, tzinfo=UTC)),
        ("Il prezzo è salito | 3 volte in un anno", None),
        # the francophone press audit: the clock as the next field of a line of them (Abidjan.net;
        # was midnight), a byline then the date (TSA; was none); a sentence after `par` is none
        (
            "Publié le mardi 2 décembre 2026 | 08:42 GMT | Fraternité Matin\nCorps",
            datetime(2026, 12, 2, 8, 42, tzinfo=UTC),
        ),
        ("Titre\nPar Hamid Mohandi 02 Déc. 2026 à 12:04\nCorps", datetime(2026, 12, 2, 12, 4, tzinfo=UTC)),
        ("Titre\npar les autorités le 2 décembre 2026\nCorps", None),
    ],
)
def test_date_from_text(text, expected):
    assert date_from_text(text, reference=REF) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # agencies' datelines: in the fetch's year, or the year before when later than a day after it
        ("LAGOS, Feb 11 (Reuters) - Nigeria said...", datetime(2025, 2, 11, tzinfo=UTC)),
        ("Dakar, 2 déc (APS) - Le ministre...", datetime(2024, 12, 2, tzinfo=UTC)),
        ("KYIV, 24 Feb (Reuters) - Russia said...", datetime(2024, 2, 24, tzinfo=UTC)),
        ("МОСКВА, 11 фев - РИА Новости. Текст", datetime(2025, 2, 11, tzinfo=UTC)),
        ("BERLIN, 13. Februar (dpa) - Text", datetime(2025, 2, 13, tzinfo=UTC)),  # a day after: the same year
        # after a cue, with its clock (the outlet's: Morocco's) and a field after a bar; a line of its own
        ("Titre\nPublié le 12 février à 10h30 | Par Karim\nCorps", datetime(2025, 2, 12, 9, 30, tzinfo=UTC)),
        ("Titre\nmercredi 12 février\nCorps", datetime(2025, 2, 12, tzinfo=UTC)),
        ("Titre\n12 février, 10:15\nCorps", datetime(2025, 2, 12, 9, 15, tzinfo=UTC)),
        # prose, an agenda's line, an English modal: none
        ("Le 2 mai dernier, le roi a reçu les ambassadeurs.\nSuite", None),
        ("Agenda\n12 décembre – Concert à Rabat\nCorps", None),
        ("Title\nMay 2 is a holiday in many countries.\nBody", None),
    ],
)
def test_a_date_without_its_year_takes_the_fetch_s(text, expected):
    assert date_without_year(text, REF, country="MA") == expected


def test_a_date_without_its_year_is_dated_only_after_the_url():
    """The cleaning stage: a full date in the text, then the URL's, then a date without its year
    (an archive's page fetched years later would otherwise get the fetch's year)."""
    rows = [
        {"url": None, "text": "LAGOS, Feb 11 (Reuters) - Nigeria said the deal was signed."},
        {"url": "https://x.example/2019/02/11/deal/", "text": "LAGOS, Feb 11 (Reuters) - Nigeria said so."},
        {"url": None, "text": "Nigeria said the deal was signed on Tuesday."},
    ]
    found = [article_date(row | {"published": None, "fetched": REF, "source_country": "NG"}) for row in rows]
    assert found == [
        (datetime(2025, 2, 11, tzinfo=UTC), "text_without_year"),
        (datetime(2019, 2, 11, tzinfo=UTC), "url"),
        (None, None),
    ]


def test_relative_dates_need_a_reference():
    assert date_from_text("il y a 3 heures") is None


def test_date_from_url():
    assert date_from_url("https://www.leconomistemaghrebin.com/2019/11/19/slug/") == datetime(2019, 11, 19, tzinfo=UTC)
    assert date_from_url("https://x.example/a/2019/13/01/") is None
    assert date_from_url(None) is None


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # the month in the genitive, the year's word, Moscow time by name or the outlet's clock
        ("1 декабря 2026 г., 19:05 МСК", None, datetime(2026, 12, 1, 16, 5, tzinfo=UTC)),
        ("02.12.2026 09:15 МСК", None, datetime(2026, 12, 2, 6, 15, tzinfo=UTC)),
        ("2 декабря 2026 года в 14:35", "RU", datetime(2026, 12, 2, 11, 35, tzinfo=UTC)),
        ("02.12.2026, 16:20", "RU", datetime(2026, 12, 2, 13, 20, tzinfo=UTC)),
        ("21:17, 1 декабря 2026", "RU", datetime(2026, 12, 1, 18, 17, tzinfo=UTC)),  # the clock first
        ("2 дек 2026", "RU", datetime(2026, 12, 2, tzinfo=UTC)),
        # Ukrainian: its months, a weekday, Kyiv's clock
        ("Середа, 2 грудня 2026, 11:20", "UA", datetime(2026, 12, 2, 9, 20, tzinfo=UTC)),
        ("2 грудня 2026 р. о 15:40", "UA", datetime(2026, 12, 2, 13, 40, tzinfo=UTC)),
        ("02.12.2026, 16:20", "BY", datetime(2026, 12, 2, 13, 20, tzinfo=UTC)),  # Minsk's clock: one (CLDR)
        ("02.12.2026, 16:20", "GL", datetime(2026, 12, 2, 16, 20, tzinfo=UTC)),  # several clocks: the default
    ],
)
def test_russian_and_ukrainian_dates(value, country, expected):
    assert parse_datetime(value, country=country) == expected


def test_russian_date_lines_and_cues_in_the_text():
    """Interfax's `Время публикации:` cue, TASS's date line with its update in brackets (the
    publication's time, not the update's), Meduza's clock before the date; `вчера` (yesterday)."""
    assert date_from_text("Текст.\nВремя публикации: 02.12.2026 09:15 МСК\nЧитайте") == datetime(
        2026, 12, 2, 6, 15, tzinfo=UTC
    )
    tass = "Текст.\n02.12.2026 14:35 (обновлено: 02.12.2026 15:10)\nТеги"
    assert date_from_text(tass, country="RU") == datetime(2026, 12, 2, 11, 35, tzinfo=UTC)
    assert date_from_text("13:52, 1 декабря 2026\nИсточник: Meduza", country="RU") == datetime(
        2026, 12, 1, 10, 52, tzinfo=UTC
    )
    assert date_from_text("Вчера, 18:40\nТекст", reference=REF) == datetime(2025, 2, 11, 18, 40, tzinfo=UTC)
    assert date_from_text("Он сказал, что 2 декабря 2026 года всё решится, а потом уехал домой.") is None


@pytest.mark.parametrize(
    ("line", "country", "expected"),
    [
        # a Hijri date beside the Gregorian one, both in Arabic-Indic digits
        ("٢٢ جمادى الآخرة ١٤٤٨ هـ - ٠٢ ديسمبر ٢٠٢٦", "EG", datetime(2026, 12, 2, tzinfo=UTC)),
        ("٢٢/٦/١٤٤٨ - ٢/١٢/٢٠٢٦", "SA", datetime(2026, 12, 2, tzinfo=UTC)),
        # Le360's clock word, Echorouk's year first, Youm7's and Al Arabiya's `م` (p.m.) and `KSA`
        ("02 دجنبر 2026 على الساعة 09:40", "MA", datetime(2026, 12, 2, 8, 40, tzinfo=UTC)),
        ("2026/12/02 11:30", "DZ", datetime(2026, 12, 2, 10, 30, tzinfo=UTC)),
        ("الأربعاء، 02 ديسمبر 2026 12:30 م", "EG", datetime(2026, 12, 2, 10, 30, tzinfo=UTC)),
        ("الأربعاء، 02 ديسمبر 2026 09:10 ص", "EG", datetime(2026, 12, 2, 7, 10, tzinfo=UTC)),
        ("نشر في: 02 ديسمبر ,2026: 01:20 م KSA", "AE", datetime(2026, 12, 2, 10, 20, tzinfo=UTC)),
        # the Levant's two-word months with a clock; a bar between date and clock (Al-Ahram)
        ("الأربعاء 2 كانون الأول 2026 9:40", "SA", datetime(2026, 12, 2, 6, 40, tzinfo=UTC)),
        ("2-12-2026 | 11:45", "EG", datetime(2026, 12, 2, 9, 45, tzinfo=UTC)),
        # a Hijri date beside the Gregorian one is left out (Al Jazeera, Asharq Al-Awsat)
        ("22/6/1448 - 2/12/2026", "QA", datetime(2026, 12, 2, tzinfo=UTC)),
        (
            "الأربعاء - 22 جمادى الآخرة 1448 هـ - 02 ديسمبر 2026 مـ رقم العدد [ 17180 ]",
            "SA",
            datetime(2026, 12, 2, tzinfo=UTC),
        ),
        ("الأربعاء ٢ دجنبر ٢٠٢٦ - ٠٨:٣٠", "MA", datetime(2026, 12, 2, 7, 30, tzinfo=UTC)),
        # a zone in words (dates.toml's zone_phrases): Al Jazeera's Mecca time, GMT
        ("آخر تحديث: 2/12/2026 02:05 م (توقيت مكة)", "MA", datetime(2026, 12, 2, 11, 5, tzinfo=UTC)),
        ("02 ديسمبر 2026 10:00 بتوقيت غرينتش", "EG", datetime(2026, 12, 2, 10, 0, tzinfo=UTC)),
    ],
)
def test_arabic_date_lines_in_the_text(line, country, expected):
    """Date lines of Arabic-language sites, each under a headline and over the text (the Arabic
    press audit)."""
    assert date_from_text(f"عنوان المقال\n{line}\nنص المقال.", country=country) == expected


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        # English-language press outside the US and the UK: a date line month first, with an am/pm
        # clock and the outlet's clock (Lagos, Nairobi, Auckland), a zone by name, the clock first
        ("Text.\nOn December 2, 2026 10:32 am\nMore", "NG", datetime(2026, 12, 2, 9, 32, tzinfo=UTC)),
        ("Text.\nTuesday, December 02, 2026\nMore", "KE", datetime(2026, 12, 2, tzinfo=UTC)),
        ("Text.\n2 Dec, 2026 10:05 AM\nMore", "NZ", datetime(2026, 12, 1, 21, 5, tzinfo=UTC)),
        ("Text.\nDec 2, 2026 11:05 am IST\nMore", "IN", datetime(2026, 12, 2, 5, 35, tzinfo=UTC)),
        ("Published: 9:30am, 2 Dec 2026\nText.", "HK", datetime(2026, 12, 2, 1, 30, tzinfo=UTC)),
        # a field of a line parted by a slash (Philippine Daily Inquirer)
        (
            "Philippine Daily Inquirer / 08:30 AM December 02, 2026\nText.",
            "PH",
            datetime(2026, 12, 2, 0, 30, tzinfo=UTC),
        ),
        # Australia's national press writes Sydney's clock, Indonesia's Jakarta's (local_zones)
        ("Posted Tue 2 Dec 2026 at 6:15am\nText.", "AU", datetime(2026, 12, 1, 19, 15, tzinfo=UTC)),
        ("Text.\n02/12/2026 14:05\nMore", "ID", datetime(2026, 12, 2, 7, 5, tzinfo=UTC)),
        # a dash or a bar before the time, an ordinal day, no space after the comma
        ("Text.\nWednesday, December 3, 2026 — 8:00 am\nMore", "KE", datetime(2026, 12, 3, 5, 0, tzinfo=UTC)),
        ("Text.\nDecember 2, 2026 | 10:02 am\nMore", "NG", datetime(2026, 12, 2, 9, 2, tzinfo=UTC)),
        ("Text.\n2nd December 2026\nMore", "NG", datetime(2026, 12, 2, tzinfo=UTC)),
        ("Text.\nDec 02,2026\nMore", "JO", datetime(2026, 12, 2, tzinfo=UTC)),
        # zones of the countries of several clocks by name: Indonesia's central, Adelaide's summer
        ("Text.\n2 December 2026 10:00 WITA\nMore", "ID", datetime(2026, 12, 2, 2, 0, tzinfo=UTC)),
        ("Text.\nDecember 2, 2026 9:00 am ACDT\nMore", "AU", datetime(2026, 12, 1, 22, 30, tzinfo=UTC)),
        # a section's label and `of` before the date (GhanaWeb)
        ("Text.\nBusiness News of Tuesday, 2 December 2026\nMore", "GH", datetime(2026, 12, 2, tzinfo=UTC)),
        ("Text.\nLast update on: Tue Dec 2, 2026 02:10 PM\nMore", "BD", datetime(2026, 12, 2, 8, 10, tzinfo=UTC)),
    ],
)
def test_english_world_press_date_lines(text, country, expected):
    assert date_from_text(text, country=country) == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # Brazil's national press writes Brasília's clock, Mexico's Mexico City's (local_zones);
        # both were read as UTC, three and six hours off
        ("2 de dezembro de 2026, 11:45", "BR", datetime(2026, 12, 2, 14, 45, tzinfo=UTC)),
        ("02/12/2026 09:05", "MX", datetime(2026, 12, 2, 15, 5, tzinfo=UTC)),
        # a dot joining the day, the month's word and the year (Folha), a slash before the clock
        # (a CSV export of La Tercera's), a bullet before it (La Nación), `A. M.` (El Tiempo)
        ("02.dez.2026 às 11h30", "BR", datetime(2026, 12, 2, 14, 30, tzinfo=UTC)),
        ("02-12-2026 / 09:20", "CL", datetime(2026, 12, 2, 12, 20, tzinfo=UTC)),
        ("2 de diciembre de 2026•11:15", "AR", datetime(2026, 12, 2, 14, 15, tzinfo=UTC)),
        ("02 de diciembre 2026, 07:25 A. M.", "CO", datetime(2026, 12, 2, 12, 25, tzinfo=UTC)),
    ],
)
def test_spanish_and_portuguese_press_dates(value, country, expected):
    """The Spanish- and Portuguese-language press audit's dates, as its outlets write them, in a
    field and as a line of their own in a scraped page (the last four were read without their
    clock, or not at all, on a line of their own)."""
    assert parse_datetime(value, country=country) == expected
    assert date_from_text(f"Título\nPor Ana Pérez\n{value}\nEl texto.", country=country) == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # a two-digit year, day first (Het Laatste Nieuws; a German `02.12.26`); it was read year
        # first, `02-12-26` as 26 December 2002; month first in a month-first country's press
        ("02-12-26, 11:48", "BE", datetime(2026, 12, 2, 10, 48, tzinfo=UTC)),
        ("02.12.26 14:05", "DE", datetime(2026, 12, 2, 13, 5, tzinfo=UTC)),
        ("12/02/26 9:30", "US", datetime(2026, 12, 2, 14, 30, tzinfo=UTC)),  # (New York's clock)
        ("31.12.98", "DE", datetime(1998, 12, 31, tzinfo=UTC)),
    ],
)
def test_a_numeric_date_of_a_two_digit_year(value, country, expected):
    assert parse_datetime(value, country=country) == expected
    assert date_from_text(f"Titel\n{value}\nDe tekst.", country=country) == expected


def test_a_day_written_alone_takes_the_time_of_an_update_that_day():
    """tagesschau's `Stand:` is its page's one time; a programme line at the foot gives the day."""
    text = "Moldau wirft Russland Erpressung vor\nStand: 02.12.2026 11:30 Uhr\nDer Text.\nDas Erste | 02.12.2026"
    assert date_from_text(text, country="DE") == datetime(2026, 12, 2, 10, 30, tzinfo=UTC)
    # an update on another day leaves the day alone; a day with its time keeps its time
    other = text.replace("Stand: 02.12.2026", "Stand: 05.12.2026")
    assert date_from_text(other, country="DE") == datetime(2026, 12, 2, tzinfo=UTC)
    timed = text.replace("Das Erste | 02.12.2026", "Veröffentlicht am 02.12.2026 um 09:00 Uhr")
    assert date_from_text(timed, country="DE") == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "country", "expected"),
    [
        # the clock first, with its zone's name and the weekday (AP, CNN, the Daily Mail): they were
        # read as the day at midnight
        ("Updated 6:05 AM EST, December 2, 2026", "US", datetime(2026, 12, 2, 11, 5, tzinfo=UTC)),
        ("Published 7:30 AM EST, Wed December 2, 2026", "US", datetime(2026, 12, 2, 12, 30, tzinfo=UTC)),
        (
            "Published: 10:42 GMT, 2 December 2026 | Updated: 11:15 GMT, 2 December 2026",
            "GB",
            datetime(2026, 12, 2, 10, 42, tzinfo=UTC),
        ),
        # am joined to the clock before the zone (Fox News): the zone was not read
        ("Published December 2, 2026 6:15am EST", "US", datetime(2026, 12, 2, 11, 15, tzinfo=UTC)),
        # `7.30am` and the paper's name after a comma (The Times): no date line
        ("Wednesday December 02 2026, 7.30am GMT, The Times", "GB", datetime(2026, 12, 2, 7, 30, tzinfo=UTC)),
    ],
)
def test_us_and_uk_press_date_lines(line, country, expected):
    """The US/UK press audit's date lines, as a line of a scraped page."""
    assert date_from_text(f"Headline\n{line}\nThe text.", country=country) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # North America's zones written without their season (the NYT's and NPR's ET): standard
        # time in winter, daylight time in summer; they were not read, the clock taken for UTC
        ("Updated Dec. 2, 2026, 10:45 a.m. ET", datetime(2026, 12, 2, 15, 45, tzinfo=UTC)),
        ("July 2, 2026, 10:45 a.m. ET", datetime(2026, 7, 2, 14, 45, tzinfo=UTC)),
        ("December 2, 20265:00 AM ET", datetime(2026, 12, 2, 10, 0, tzinfo=UTC)),  # NPR's page, year and clock joined
        ("Dec. 2, 2026 5:00 AM PT", datetime(2026, 12, 2, 13, 0, tzinfo=UTC)),
        ("Dec. 2, 2026 5:00 AM CT", datetime(2026, 12, 2, 11, 0, tzinfo=UTC)),
        ("Dec. 2, 2026 5:00 AM MT", datetime(2026, 12, 2, 12, 0, tzinfo=UTC)),
    ],
)
def test_north_american_zones_without_their_season(value, expected):
    assert parse_datetime(value) == expected
    assert date_from_text(f"Headline\n{value}\nThe text.") == expected


def test_the_us_press_clock_is_eastern_time_unless_its_outlet_writes_its_own():
    """A clock written without a zone in the US press is New York's (the national press writes
    Eastern time: local_zones), in a regional paper listed in outlet_zones its own (the Los Angeles
    Times's Pacific time, the Vancouver Sun's); both were read as UTC, 5 and 8 hours off."""
    from analysis.dates import outlet_zone

    assert parse_datetime("2026-12-02 06:00:00", country="US") == datetime(2026, 12, 2, 11, tzinfo=UTC)
    assert parse_datetime("2026-07-02 06:00:00", country="US") == datetime(2026, 7, 2, 10, tzinfo=UTC)
    la = "https://www.latimes.com/business/story/2026-12-02/ports"
    assert parse_datetime("2026-12-02 05:30:00", country="US", url=la) == datetime(2026, 12, 2, 13, 30, tzinfo=UTC)
    assert date_from_text("Headline\nDec. 2, 2026 5:30 AM\nText.", country="US", url=la) == datetime(
        2026, 12, 2, 13, 30, tzinfo=UTC
    )
    assert str(outlet_zone("https://vancouversun.com/news/a")) == "America/Vancouver"
    assert outlet_zone("https://www.nytimes.com/2026/12/02/a.html") is None
    assert outlet_zone("https://notlatimes.com/a") is None
    # a zone written, or one the user names, still wins
    assert parse_datetime("Dec. 2, 2026 5:30 AM EST", country="US", url=la) == datetime(2026, 12, 2, 10, 30, tzinfo=UTC)
    assert parse_datetime("2026-12-02 05:30:00", country="US", url=la, outlet_clock=False) == datetime(
        2026, 12, 2, 5, 30, tzinfo=UTC
    )


def test_a_date_line_ends_with_capitalised_words_only():
    """A comma and a name may follow a date line; a comma and a clause may not."""
    assert date_from_text("Headline\nDecember 2, 2026, the minister said\nThe text.") is None


def test_a_sentence_with_a_month_first_date_is_no_date_line():
    assert date_from_text("He said on December 2, 2026 that the talks would resume in Lagos.") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026年12月2日 10:30", "2026-12-02T10:30"),
        ("2026年12月2日", "2026-12-02T00:00"),
        ("２０２６年１２月２日　１０：３０", "2026-12-02T10:30"),  # full-width digits
        ("2026年12月2日(火) 10時30分", "2026-12-02T10:30"),  # Japanese: the weekday, the clock in words
        ("2026年12月2日 星期三 10:30", "2026-12-02T10:30"),
        ("2026년 12월 2일 10:30", "2026-12-02T10:30"),
        # the half of the day before the clock
        ("2026년 12월 2일 오후 3:20", "2026-12-02T15:20"),
        ("2026.12.02 오후 3:20", "2026-12-02T15:20"),
        ("2026년 12월 2일 오전 12:10", "2026-12-02T00:10"),
        ("2026年12月2日 下午3:20", "2026-12-02T15:20"),
        ("2026年12月2日 中午12:30", "2026-12-02T12:30"),
        ("2026年12月2日 中午1:00", "2026-12-02T13:00"),
        ("2026年12月2日 午後3時20分", "2026-12-02T15:20"),
        ("2026年12月2日 午前11時05分", "2026-12-02T11:05"),
        # a date year first, then words: its clock read, the words left out
        ("2026-12-02 10:30 来源：新华社", "2026-12-02T10:30"),
        ("2026/12/02 09:05 by Staff", "2026-12-02T09:05"),
    ],
)
def test_dates_as_chinese_japanese_and_korean_write_them(value, expected):
    assert parse_datetime(value).strftime("%Y-%m-%dT%H:%M") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中摩合作\n发布时间：2026-12-02 10:30 来源：新华社\n正文。", "2026-12-02T10:30"),
        ("한·모로코 협정\n입력 2026.12.02 오후 3:20 수정 2026.12.02 오후 4:05\n본문.", "2026-12-02T15:20"),
        ("한·모로코 협정\n기사입력 2026-12-02 15:20\n본문.", "2026-12-02T15:20"),
        ("한·모로코 협정\n수정 2026.12.02 오후 4:05\n본문.", "2026-12-02T16:05"),  # (an update, no publication)
        ("日モロッコ会談\n公開日時：2026年12月2日 午後3時20分\n本文。", "2026-12-02T15:20"),
        ("Talks\nPublished 2026-12-02 10:30 by Staff Reporter\nBody.", "2026-12-02T10:30"),
        # the CJK press audit: Xinhua's clock with its seconds and the source after it, KBS's
        # clock in brackets (read as the day alone, at midnight)
        ("中越合作\n2026-12-02 18:25:36  来源：新华社\n正文。", "2026-12-02T18:25"),
        ("우크라이나 재건 회의\n입력 2026.12.02 (11:05)\n본문.", "2026-12-02T11:05"),
    ],
)
def test_cue_lines_of_chinese_japanese_and_korean_pages(text, expected):
    assert date_from_text(text).strftime("%Y-%m-%dT%H:%M") == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # the Solar Hijri calendar: Iran's months (Tehran's clock, UTC+3:30), Afghanistan's Dari ones
        ("۱۲ آذر ۱۴۰۵", "IR", "2026-12-03T00:00"),
        ("چهارشنبه ۱۲ آذر ۱۴۰۵ - ۱۰:۳۰", "IR", "2026-12-03T07:00"),
        ("۱۲ آذر ۱۴۰۵، ساعت ۱۰:۳۰", "IR", "2026-12-03T07:00"),
        ("12 دي 1405", "IR", "2027-01-02T00:00"),  # (Arabic ya)
        ("12 قوس 1405", "AF", "2026-12-03T00:00"),
        # the Islamic calendar (Umm al-Qura) alone; beside a Gregorian date, the Gregorian one is read
        ("الأربعاء 12 جمادى الآخرة 1448 هـ", "SA", "2026-11-22T00:00"),
        ("22 جمادى الآخرة 1448 هـ - 02 ديسمبر 2026", "SA", "2026-12-02T00:00"),
        # the Thai calendar's Buddhist era (543 years ahead), its year written whole or in two digits
        ("2 ธันวาคม 2569", "TH", "2026-12-02T00:00"),
        ("วันพุธที่ 2 ธ.ค. 2569 10:30 น.", "TH", "2026-12-02T03:30"),
        ("๒ ธ.ค. ๖๙", "TH", "2026-12-02T00:00"),
    ],
)
def test_dates_of_the_solar_hijri_islamic_and_thai_calendars(value, country, expected):
    assert parse_datetime(value, country=country).strftime("%Y-%m-%dT%H:%M") == expected


@pytest.mark.parametrize(
    ("value", "country"),
    [("30 اسفند 1405", "IR"), ("31 رجب 1448", "SA"), ("31 ก.พ. 2569", "TH"), ("12 آذر 905", "IR")],
)
def test_an_impossible_date_of_another_calendar_is_no_date(value, country):
    # (1405 is no leap year; Rajab has 29 or 30 days, February 28; a year of 3 digits is none)
    assert parse_datetime(value, country=country) is None


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("توافق تهران و رباط\nتاریخ انتشار: ۱۲ آذر ۱۴۰۵ - ۱۰:۳۰\nمتن خبر.", "IR", "2026-12-03T07:00"),
        ("ไทยและโมร็อกโก\n2 ธ.ค. 2569 10:30 น.\nเนื้อหา", "TH", "2026-12-02T03:30"),
        ("العنوان\nالأربعاء 12 جمادى الآخرة 1448 هـ\nالنص.", "SA", "2026-11-22T00:00"),
    ],
)
def test_date_lines_of_other_calendars_date_the_text(text, country, expected):
    assert date_from_text(text, country=country).strftime("%Y-%m-%dT%H:%M") == expected


def test_a_chinese_date_line_dates_the_text():
    text = "摩洛哥首相访问北京\n2026年12月02日 10:30\n新华社北京12月1日电 国家主席习近平会见摩洛哥首相。"
    assert date_from_text(text).strftime("%Y-%m-%dT%H:%M") == "2026-12-02T10:30"


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # Turkish, Polish and Indonesian months and weekdays (Turkey UTC+3; Poland UTC+1 in
        # December; Jakarta's WIB UTC+7, WITA +8, WIT +9)
        ("2 Aralık 2026 11:15", "TR", datetime(2026, 12, 2, 8, 15, tzinfo=UTC)),
        ("Çarşamba, 2 ARALIK 2026 10:30", "TR", datetime(2026, 12, 2, 7, 30, tzinfo=UTC)),
        ("02.12.2026 - 10:30", "TR", datetime(2026, 12, 2, 7, 30, tzinfo=UTC)),
        ("2 grudnia 2026, 10:30", "PL", datetime(2026, 12, 2, 9, 30, tzinfo=UTC)),
        ("środa, 2 grudnia 2026 10:30", "PL", datetime(2026, 12, 2, 9, 30, tzinfo=UTC)),
        ("Rabu, 2 Desember 2026 11:20 WIB", "ID", datetime(2026, 12, 2, 4, 20, tzinfo=UTC)),
        ("Rabu, 02 Des 2026 09:15 WIB", None, datetime(2026, 12, 2, 2, 15, tzinfo=UTC)),
        ("2 Desember 2026 10:00 WITA", "ID", datetime(2026, 12, 2, 2, 0, tzinfo=UTC)),
    ],
)
def test_turkish_polish_and_indonesian_dates(value, country, expected):
    """The tr/pl/id press audit's dates: their months (`Aralık`, `grudnia`, `Des`) were unread."""
    assert parse_datetime(value, country=country) == expected
    assert date_from_text(f"Başlık\nAyşe Kaya\n{value}\nMetin.", country=country) == expected


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("Başlık\nGiriş Tarihi: 2 Aralık 2026 11:15\nMetin.", "TR", datetime(2026, 12, 2, 8, 15, tzinfo=UTC)),
        (
            "Tytuł\nPublikacja: 02.12.2026 08:15\nAktualizacja: 02.12.2026 11:40\nTekst.",
            "PL",
            datetime(2026, 12, 2, 7, 15, tzinfo=UTC),
        ),
        ("Tytuł\nOpublikowano: 2.12.2026, 13:05\nTekst.", "PL", datetime(2026, 12, 2, 12, 5, tzinfo=UTC)),
        ("Tytuł\nAktualizacja: 02.12.2026 11:40\nTekst.", "PL", datetime(2026, 12, 2, 10, 40, tzinfo=UTC)),
        # a site's name and a dash before the date (Kompas's date line)
        ("Judul\nKompas.com - 02/12/2026, 10:30 WIB\nPenulis: A", "ID", datetime(2026, 12, 2, 3, 30, tzinfo=UTC)),
    ],
)
def test_turkish_polish_and_indonesian_date_lines(text, country, expected):
    """Cue lines (`Giriş Tarihi:`, `Publikacja:`, `Opublikowano:`; the update's `Aktualizacja:`
    when nothing else dates the text) and Kompas's `Kompas.com -` before the date."""
    assert date_from_text(text, country=country) == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # Vietnam and Thailand UTC+7; Malaysia and the Philippines UTC+8
        ("Thứ tư, 2/12/2026, 14:05 (GMT+7)", "VN", datetime(2026, 12, 2, 7, 5, tzinfo=UTC)),
        ("02/12/2026 09:30 GMT+7", "VN", datetime(2026, 12, 2, 2, 30, tzinfo=UTC)),
        ("Thứ Tư, 02/12/2026 - 10:20", "VN", datetime(2026, 12, 2, 3, 20, tzinfo=UTC)),
        ("วันที่ 2 ธันวาคม 2569 - 14:30 น.", "TH", datetime(2026, 12, 2, 7, 30, tzinfo=UTC)),
        ("วันพุธที่ 2 ธ.ค. 2569 10:15 น.", "TH", datetime(2026, 12, 2, 3, 15, tzinfo=UTC)),
        ("2 Disember 2026 9:30 am", "MY", datetime(2026, 12, 2, 1, 30, tzinfo=UTC)),
        ("Dis 2 2026 12:10 PM", "MY", datetime(2026, 12, 2, 4, 10, tzinfo=UTC)),
        ("Disember 2, 2026 @ 11:05am", "MY", datetime(2026, 12, 2, 3, 5, tzinfo=UTC)),
        ("Rabu, 2 Mac 2026 10:00", "MY", datetime(2026, 3, 2, 2, 0, tzinfo=UTC)),
        ("Disyembre 2, 2026 1:15pm", "PH", datetime(2026, 12, 2, 5, 15, tzinfo=UTC)),
        ("Miyerkoles, Hulyo 1, 2026 8:00am", "PH", datetime(2026, 7, 1, 0, 0, tzinfo=UTC)),
    ],
)
def test_vietnamese_thai_malay_and_tagalog_dates(value, country, expected):
    """The Southeast Asian press audit's dates: Malay and Tagalog months (`Disember`, `Dis`, `Mac`,
    `Disyembre`, `Hulyo`), Vietnamese weekdays of two words (`Thứ tư,`), Thai `วันที่` (the date's
    word) before the day, an offset after GMT (`GMT+7`), `@` before the clock were unread."""
    assert parse_datetime(value, country=country) == expected
    assert date_from_text(f"Tiêu đề\nNguyễn Văn A\n{value}\nNội dung.", country=country) == expected


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("Pamagat\nInilathala Disyembre 2, 2026 1:15pm\nTeksto.", "PH", datetime(2026, 12, 2, 5, 15, tzinfo=UTC)),
        # the clock on the line after the date (The Star's)
        (
            "RTS Link\nWednesday, 02 Dec 2026\n3:45 PM MYT\nby A B\nText.",
            "MY",
            datetime(2026, 12, 2, 7, 45, tzinfo=UTC),
        ),
        ("Tin\n2/12/2026\n14:05\nNội dung.", "VN", datetime(2026, 12, 2, 7, 5, tzinfo=UTC)),
    ],
)
def test_southeast_asian_date_lines(text, country, expected):
    """GMA's cue `Inilathala` (published); a date line's clock written alone on the next line."""
    assert date_from_text(text, country=country) == expected


def test_a_clock_line_after_a_date_takes_no_words():
    """Only a clock alone completes the date above it: a line of text starting with one does not."""
    text = "Tin\n2/12/2026\n14:05 giờ, Hà Nội mưa lớn\nNội dung."
    assert date_from_text(text, country="VN") == datetime(2026, 12, 2, tzinfo=UTC)


def test_regional_papers_clocks_without_summer_time():
    """Arizona and Queensland keep no summer time, Western Australia none either: a July clock of
    the Arizona Republic is 7 hours behind UTC (Denver's would be 6), a December one of Brisbane's
    Courier-Mail 10 ahead (Sydney's 11), of The West Australian 8 ahead."""
    assert parse_datetime("2026-07-02 06:00:00", country="US", url="https://www.azcentral.com/story/a") == datetime(
        2026, 7, 2, 13, tzinfo=UTC
    )
    assert parse_datetime("2026-12-02 10:00:00", country="AU", url="https://www.couriermail.com.au/news/a") == (
        datetime(2026, 12, 2, 0, tzinfo=UTC)
    )
    assert parse_datetime("2026-12-02 10:00:00", country="AU", url="https://thewest.com.au/news/a") == datetime(
        2026, 12, 2, 2, tzinfo=UTC
    )
    assert parse_datetime("2026-12-02 10:00:00", country="AU", url="https://www.smh.com.au/a") == datetime(
        2026, 12, 1, 23, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # Hindi, Urdu and Bengali months, weekdays and digits (India UTC+5:30, Pakistan +5,
        # Bangladesh +6; IST in brackets after the clock)
        ("बुध, 02 दिसंबर 2026 03:45 PM (IST)", "IN", datetime(2026, 12, 2, 10, 15, tzinfo=UTC)),
        ("२ दिसंबर २०२६, ०९:३०", "IN", datetime(2026, 12, 2, 4, 0, tzinfo=UTC)),
        ("15 फ़रवरी 2026", "IN", datetime(2026, 2, 15, tzinfo=UTC)),
        ("15 फरवरी 2026", "IN", datetime(2026, 2, 15, tzinfo=UTC)),
        ("۰۲ دسمبر ، ۲۰۲۶", "PK", datetime(2026, 12, 2, tzinfo=UTC)),
        ("2 دسمبر 2026، 10:30", "PK", datetime(2026, 12, 2, 5, 30, tzinfo=UTC)),
        ("০২ ডিসেম্বর ২০২৬, ১১: ৩০", "BD", datetime(2026, 12, 2, 5, 30, tzinfo=UTC)),
        ("বুধবার, ২ জানুয়ারি ২০২৬", "BD", datetime(2026, 1, 2, tzinfo=UTC)),
        ("Wed Dec 2, 2026 06:45 PM", "BD", datetime(2026, 12, 2, 12, 45, tzinfo=UTC)),
        ("2 December 2026 10:51 am", "LK", datetime(2026, 12, 2, 5, 21, tzinfo=UTC)),
    ],
)
def test_south_asian_dates(value, country, expected):
    """The South Asian press audit's dates: Hindi, Urdu and Bengali months and digits were unread."""
    assert parse_datetime(value, country=country) == expected


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        # cues: Hindi `प्रकाशित`, Bengali `প্রকাশ`; the update's `अपडेटेड` when nothing else dates it
        ("शीर्षक\nप्रकाशित: २ दिसंबर २०२६, ०९:३०\nपाठ।", "IN", datetime(2026, 12, 2, 4, 0, tzinfo=UTC)),
        ("शीर्षक\nअपडेटेड: बुध, 02 दिसंबर 2026 03:45 PM (IST)\nपाठ।", "IN", datetime(2026, 12, 2, 10, 15, tzinfo=UTC)),
        ("শিরোনাম\nপ্রকাশ: ০২ ডিসেম্বর ২০২৬, ১১: ৩০\nলেখা", "BD", datetime(2026, 12, 2, 5, 30, tzinfo=UTC)),
        # date lines: a month's name with combining marks, an Arabic comma, a page's counters after it
        ("عنوان\n۰۲ دسمبر ، ۲۰۲۶\nمتن", "PK", datetime(2026, 12, 2, tzinfo=UTC)),
        ("শিরোনাম\n০২ ডিসেম্বর ২০২৬\nলেখা", "BD", datetime(2026, 12, 2, tzinfo=UTC)),
        (
            "Ferry to resume\n2 December 2026 10:51 am - 0 - 1245\nThe ferry.",
            "LK",
            datetime(2026, 12, 2, 5, 21, tzinfo=UTC),
        ),
        # a date, then its update on the same line: the publication is the first
        (
            "Loan\nWed Dec 2, 2026 06:45 PM Last update on: Wed Dec 2, 2026 07:30 PM\nJapan will.",
            "BD",
            datetime(2026, 12, 2, 12, 45, tzinfo=UTC),
        ),
    ],
)
def test_south_asian_date_lines(text, country, expected):
    """Cue lines and date lines of Hindi, Urdu, Bengali and English South Asian pages."""
    assert date_from_text(text, country=country) == expected


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        # Swahili months and weekdays (Taifa Leo's, Mwananchi's date lines; a day alone is midnight UTC)
        ("Kichwa\nJumatano, Desemba 02, 2026\nNa WINNIE ONYANDO\nHabari.", "KE", datetime(2026, 12, 2, tzinfo=UTC)),
        ("Kichwa\n2 Novemba 2026 14:20\nHabari.", "TZ", datetime(2026, 11, 2, 11, 20, tzinfo=UTC)),
        # the cues of a publication and an update (`Imechapishwa`, `Imesasishwa`), `saa` before the clock
        ("Kichwa\nImechapishwa: Desemba 2, 2026 saa 10:30\nHabari.", "TZ", datetime(2026, 12, 2, 7, 30, tzinfo=UTC)),
        ("Kichwa\nJumanne, 01 Desemba 2026 saa 14:20\nHabari.", "TZ", datetime(2026, 12, 1, 11, 20, tzinfo=UTC)),
        ("Kichwa\nImesasishwa: 02 Desemba 2026\nHabari.", "KE", datetime(2026, 12, 2, tzinfo=UTC)),
        # WordPress's line of the date, the section and the author (Vanguard's, Nigeria UTC+1)
        (
            "Headline\nOn December 1, 2026 7:15 pm In News by Dayo Johnson\nText.",
            "NG",
            datetime(2026, 12, 1, 18, 15, tzinfo=UTC),
        ),
        ("Headline\nDecember 1, 2026 by Ade Ola\nText.", "NG", datetime(2026, 12, 1, tzinfo=UTC)),
    ],
)
def test_swahili_dates_and_a_date_line_with_its_section_and_author(text, country, expected):
    """The African press audit's dates: Swahili months (`Desemba`) were unread, and so was a date
    line ending with its section and author (`In News by Dayo Johnson`)."""
    assert date_from_text(text, country=country) == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # the Solar Hijri calendar (Iran UTC+3:30, Afghanistan UTC+4:30, no summer time): a comma
        # or `ساعت` (hour) before the clock; the year first in numbers (Tasnim's, Mehr's)
        ("۱۱ آذر ۱۴۰۵، ۱۰:۴۵", "IR", datetime(2026, 12, 2, 7, 15, tzinfo=UTC)),
        ("سه‌شنبه، ۱۱ قوس ۱۴۰۵ ساعت ۱۵:۳۰", "AF", datetime(2026, 12, 2, 11, 0, tzinfo=UTC)),
        ("۱۴۰۵/۰۹/۱۱ - ۰۹:۴۵", "IR", datetime(2026, 12, 2, 6, 15, tzinfo=UTC)),
        ("1405-09-11", None, datetime(2026, 12, 2, tzinfo=UTC)),
        # Persian's Gregorian months; Hebrew's, joined to ב (in) as Israeli sites write them
        ("۲ دسامبر ۲۰۲۶", None, datetime(2026, 12, 2, tzinfo=UTC)),
        ("2 בדצמבר 2026, 17:40", "IL", datetime(2026, 12, 2, 15, 40, tzinfo=UTC)),
        ("2 דצמבר 2026", None, datetime(2026, 12, 2, tzinfo=UTC)),
        # Iran's and Afghanistan's zones by their abbreviations
        ("December 2, 2026 12:50 IRST", None, datetime(2026, 12, 2, 9, 20, tzinfo=UTC)),
        ("December 2, 2026 15:30 AFT", None, datetime(2026, 12, 2, 11, 0, tzinfo=UTC)),
    ],
)
def test_persian_and_hebrew_dates(value, country, expected):
    """The Middle East press audit's dates: Tasnim's `۱۴۰۵/۰۹/۱۱` was read as the year 1405, a
    Persian comma or `ساعت` before a clock and Hebrew months went unread."""
    assert parse_datetime(value, country=country) == expected
    assert date_from_text(f"تیتر\n{value}\nمتن خبر.", country=country) == expected


def test_a_year_first_islamic_date_is_no_solar_hijri_one():
    """A year-first date of the Islamic calendar (marked `هـ`, or of this century's years, 1421
    and after) is not read as the Solar Hijri calendar's (1448 would be 2069)."""
    assert parse_datetime("1448/06/22 هـ") is None
    assert parse_datetime("1448/06/22") != datetime(2069, 9, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        # an update's day alone, then the date with its clock (Arab News)
        (
            "Headline\nUpdated 02 December 2026\nArab News\nDecember 02, 2026 14:26\nRIYADH: Text.",
            "SA",
            datetime(2026, 12, 2, 11, 26, tzinfo=UTC),
        ),
        # a date line, then its clock alone on the next line (Al-Ahram)
        (
            "عنوان\nالأربعاء 2 ديسمبر 2026 - 22 جمادى الآخرة 1448 هـ\n12:40 م\nنص الخبر.",
            "EG",
            datetime(2026, 12, 2, 10, 40, tzinfo=UTC),
        ),
        # a clock on another day further down is not the day's
        ("Headline\n02 December 2026\nText.\nDecember 01, 2026 09:00", "SA", datetime(2026, 12, 2, tzinfo=UTC)),
        # a byline's name before a comma (L'Orient-Le Jour)
        (
            "Titre\nOLJ / Par Sandra NOUJEIM, le 02 décembre 2026 à 10h15\nTexte.",
            "LB",
            datetime(2026, 12, 2, 8, 15, tzinfo=UTC),
        ),
    ],
)
def test_a_day_alone_takes_the_clock_written_with_it(text, country, expected):
    """The Middle East press audit: a day alone (`Updated 02 December 2026`, a date line whose
    clock is on the line under it) dated Arab News's and Al-Ahram's pages at midnight."""
    assert date_from_text(text, country=country) == expected


@pytest.mark.parametrize(
    ("line", "country", "expected"),
    [
        # Hebrew cues (Ynet's `פורסם:`, the update's `עודכן:` when nothing else dates the text), a
        # weekday of two words; Persian's `انتشار:` and the update's `آخرین به‌روزرسانی:`
        ("פורסם: 02.12.26, 08:15", "IL", datetime(2026, 12, 2, 6, 15, tzinfo=UTC)),
        ("עודכן: 02.12.26, 11:30", "IL", datetime(2026, 12, 2, 9, 30, tzinfo=UTC)),
        ("יום רביעי, 2 בדצמבר 2026, 10:30", "IL", datetime(2026, 12, 2, 8, 30, tzinfo=UTC)),
        ("انتشار: ۱۱ آذر ۱۴۰۵ - ۱۰:۳۰", "IR", datetime(2026, 12, 2, 7, 0, tzinfo=UTC)),
        ("آخرین به‌روزرسانی: ۱۱ آذر ۱۴۰۵ - ۱۰:۳۰", "IR", datetime(2026, 12, 2, 7, 0, tzinfo=UTC)),
    ],
)
def test_persian_and_hebrew_cue_lines(line, country, expected):
    assert date_from_text(f"כותרת\n{line}\nטקסט הכתבה.", country=country) == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # Swedish, Danish, Norwegian, Finnish, Greek, Czech, Hungarian and Romanian dates (the Nordic,
        # Greek and Central/Eastern European press audit; Sweden, Denmark, Norway, Czechia and Hungary
        # UTC+1 in December, Finland, Greece and Romania UTC+2)
        ("1 december 2026 kl. 21.30", "SE", datetime(2026, 12, 1, 20, 30, tzinfo=UTC)),
        ("2026-12-02 08.14", "SE", datetime(2026, 12, 2, 7, 14, tzinfo=UTC)),
        ("2. dec. 2026 kl. 07.45", "DK", datetime(2026, 12, 2, 6, 45, tzinfo=UTC)),
        ("onsdag 2. desember 2026 kl. 09:12", "NO", datetime(2026, 12, 2, 8, 12, tzinfo=UTC)),
        ("1.12.2026 klo 16.45", "FI", datetime(2026, 12, 1, 14, 45, tzinfo=UTC)),
        ("keskiviikko 2. joulukuuta 2026", "FI", datetime(2026, 12, 2, tzinfo=UTC)),
        ("Τετάρτη, 2 Δεκεμβρίου 2026 10:15", "GR", datetime(2026, 12, 2, 8, 15, tzinfo=UTC)),
        ("2 ΔΕΚΕΜΒΡΙΟΥ 2026 10:15", "GR", datetime(2026, 12, 2, 8, 15, tzinfo=UTC)),
        ("2. prosince 2026 8:15", "CZ", datetime(2026, 12, 2, 7, 15, tzinfo=UTC)),
        ("1. 12. 2026 18:40", "CZ", datetime(2026, 12, 1, 17, 40, tzinfo=UTC)),
        ("2026. december 1. 15:20", "HU", datetime(2026, 12, 1, 14, 20, tzinfo=UTC)),
        ("2026. dec. 2., szerda 09:41", "HU", datetime(2026, 12, 2, 8, 41, tzinfo=UTC)),
        ("2026.12.02. 09:41", "HU", datetime(2026, 12, 2, 8, 41, tzinfo=UTC)),
        ("2 decembrie 2026, 11:20", "RO", datetime(2026, 12, 2, 9, 20, tzinfo=UTC)),
    ],
)
def test_nordic_greek_and_central_european_dates(value, country, expected):
    """Their months (`december`, `joulukuuta`, `Δεκεμβρίου`, `prosince`, `decembrie`) were unread, a
    Hungarian date writes the year first (`2026. december 1.`), a Czech one spaces after its dots
    (`1. 12. 2026` was 12 January), a Swedish clock a dot (`08.14` was 14 hundredths of a second)."""
    assert parse_datetime(value, country=country) == expected


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("Rubrik\nPublicerad 2026-12-02 08.14\nUppdaterad 2026-12-02 10.02\nText.", "SE", "2026-12-02T07:14"),
        ("Overskrift\nMette Holm\n2. dec. 2026 kl. 07.45\nDel artiklen", "DK", "2026-12-02T06:45"),
        ("Tittel\nPublisert: 02.12.2026 09:12\nOppdatert: 02.12.2026 11:40\nTekst.", "NO", "2026-12-02T08:12"),
        ("Otsikko\nJulkaistu 2.12.2026 9:30\nPäivitetty 2.12.2026 11:02\nTeksti.", "FI", "2026-12-02T07:30"),
        ("Τίτλος\n02.12.2026 • 08:45\nΚείμενο.", "GR", "2026-12-02T06:45"),
        ("Cím\n2026.12.02. 09:41\nKovács Péter\nSzöveg.", "HU", "2026-12-02T08:41"),
        ("Titlu\nData publicării: 02-12-2026 09:05\nData actualizării: 02-12-2026 11:30", "RO", "2026-12-02T07:05"),
        ("Titulek\nAktualizováno 1. 12. 2026 18:40\nText.", "CZ", "2026-12-01T17:40"),
    ],
)
def test_nordic_greek_and_central_european_date_lines(text, country, expected):
    """Their cues (`Publicerad`, `Publisert:`, `Julkaistu`, `Data publicării:`; an update's
    `Uppdaterad`, `Aktualizováno` when nothing else dates the text), a clock after `kl.` and a
    Hungarian date's closing dot."""
    assert date_from_text(text, country=country).strftime("%Y-%m-%dT%H:%M") == expected


def test_relative_languages_are_checked_against_cldr(monkeypatch):
    from analysis import dates

    monkeypatch.setitem(dates._DATES_DATA, "relative_languages", ["fr", "qqq"])
    dates._cldr_forms.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"dates\.toml: relative_languages: 'qqq' is no language CLDR knows"):
            date_from_text("Saa 2 zilizopita", reference=REF)
    finally:
        monkeypatch.undo()
        dates._cldr_forms.cache_clear()
    assert date_from_text("Saa 2 zilizopita", reference=REF) == datetime(2025, 2, 12, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # Croatian, Serbian, Bosnian, Slovenian, Bulgarian, Albanian, Kosovar, Lithuanian, Latvian and
        # Estonian dates (the Balkan and Baltic press audit; UTC+1 in December, Bulgaria and the
        # Baltic states UTC+2)
        ("2. prosinca 2026. u 09:15", "HR", datetime(2026, 12, 2, 8, 15, tzinfo=UTC)),
        ("02.12.2026. 08:30", "RS", datetime(2026, 12, 2, 7, 30, tzinfo=UTC)),
        ("02.12.2026. у 07:45", "RS", datetime(2026, 12, 2, 6, 45, tzinfo=UTC)),
        ("2. децембар 2026. 12:10", "RS", datetime(2026, 12, 2, 11, 10, tzinfo=UTC)),
        ("Srijeda, 2. decembar 2026. 15:45", "BA", datetime(2026, 12, 2, 14, 45, tzinfo=UTC)),
        ("2. december 2026 ob 8.30", "SI", datetime(2026, 12, 2, 7, 30, tzinfo=UTC)),
        ("2 декември 2026, 10:05", "BG", datetime(2026, 12, 2, 8, 5, tzinfo=UTC)),
        ("2 dhjetor 2026, 11:00", "XK", datetime(2026, 12, 2, 10, 0, tzinfo=UTC)),
        ("2026 m. gruodžio 2 d. 09:12", "LT", datetime(2026, 12, 2, 7, 12, tzinfo=UTC)),
        ("2026. gada 2. decembris, 10:00", "LV", datetime(2026, 12, 2, 8, 0, tzinfo=UTC)),
        ("2. detsember 2026, 17:20", "EE", datetime(2026, 12, 2, 15, 20, tzinfo=UTC)),
        # (Croatian `listopada` is October, Polish and Czech November: the outlet's country decides,
        # a Croatian or Bosnian one's is October; of no country, the first language's, Polish)
        ("2 listopada 2026", "PL", datetime(2026, 11, 2, tzinfo=UTC)),
        ("2 listopada 2026", None, datetime(2026, 11, 2, tzinfo=UTC)),
        ("2. listopada 2026. u 09:15", "HR", datetime(2026, 10, 2, 7, 15, tzinfo=UTC)),
        ("Četvrtak, 2. listopada 2026.", "BA", datetime(2026, 10, 2, tzinfo=UTC)),
    ],
)
def test_balkan_and_baltic_dates(value, country, expected):
    """Their months (`prosinca`, `децембар`, `dhjetor`, `gruodžio`, `decembris`, `detsember`) were
    unread, the year's closing dot (`02.12.2026.`) and the clock's words (`u`, `у`, `ob`) stopped the
    clock, the Latvian and Lithuanian year first was unread, Kosovo (no CLDR zone) was UTC."""
    assert parse_datetime(value, country=country) == expected


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("Naslov\nObjavljeno: 2. prosinca 2026. u 09:15\nTekst.", "HR", "2026-12-02T08:15"),
        ("Naslov\nJelena Petrović\n02.12.2026. 08:30\nPodeli", "RS", "2026-12-02T07:30"),
        ("Pavadinimas\nLRT.lt, BNS\n2026-12-02 09:12\nTekstas.", "LT", "2026-12-02T07:12"),
        ("Virsraksts\n2026. gada 2. decembris, 10:00\nTeksts.", "LV", "2026-12-02T08:00"),
    ],
)
def test_balkan_and_baltic_date_lines(text, country, expected):
    """A cue (`Objavljeno:`), a date line with its year's dot, the Latvian year first."""
    assert date_from_text(text, country=country).strftime("%Y-%m-%dT%H:%M") == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=40))
def test_the_quick_lowering_is_the_cue_tables(text):
    """``_lowered`` (``str.lower`` where it is the same) gives what the one-for-one table gives, for
    every text of the Basic Multilingual Plane, `İ`, `ı` and `ſ` too (one letter each)."""
    from analysis.dates import _LOWER, _lowered

    assert _lowered(text) == text.translate(_LOWER)
    assert _lowered(text + "İ") == (text + "İ").translate(_LOWER)


@pytest.mark.parametrize(
    ("value", "zone", "expected"),
    [
        ("Hier à 14h30", None, datetime(2025, 2, 11, 14, 30, tzinfo=UTC)),
        ("hier", None, datetime(2025, 2, 11, tzinfo=UTC)),
        ("yesterday at 2:30 pm", None, datetime(2025, 2, 11, 14, 30, tzinfo=UTC)),
        ("today 12:10 am", None, datetime(2025, 2, 12, 0, 10, tzinfo=UTC)),
        ("Gestern, 14:30 Uhr", None, datetime(2025, 2, 11, 14, 30, tzinfo=UTC)),
        ("hier 3 personnes", None, datetime(2025, 2, 11, tzinfo=UTC)),  # (no clock: a count)
        # the outlet's clock: 14:30 in Paris (UTC+1 in February) is 13:30 UTC; a day's midnight there
        ("Hier à 14h30", ZoneInfo("Europe/Paris"), datetime(2025, 2, 11, 13, 30, tzinfo=UTC)),
        ("hier", ZoneInfo("Europe/Paris"), datetime(2025, 2, 10, 23, tzinfo=UTC)),
        ("il y a 2 heures", ZoneInfo("Europe/Paris"), datetime(2025, 2, 12, 13, tzinfo=UTC)),
    ],
)
def test_a_relative_day_takes_its_clock_in_the_outlet_s_zone(value, zone, expected):
    assert relative_datetime(value, REF, zone) == expected
