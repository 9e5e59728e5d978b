from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from analysis.dates import month_number, parse_datetime


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
        ("26-FEB-1987 15:01:01.79", datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC)),
        ("1700000000", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (1700000000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=1))), datetime(2024, 1, 1, 11, tzinfo=UTC)),
    ],
)
def test_parse_datetime_formats(value, expected):
    assert parse_datetime(value) == expected


@pytest.mark.parametrize("value", ["", None, "garbage", "2024-13-45", "31/02/2024", True, "le 45 mars 2024"])
def test_parse_datetime_refuses_to_guess(value):
    assert parse_datetime(value) is None


def test_naive_timestamps_take_the_default_zone():
    casablanca = ZoneInfo("Africa/Casablanca")
    assert parse_datetime("2024-07-01 10:00:00", default_tz=casablanca) == datetime(2024, 7, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "number"),
    [("03", 3), ("Mar", 3), ("mars", 3), ("Août", 8), ("déc.", 12), ("13", None), ("foo", None)],
)
def test_month_number(name, number):
    assert month_number(name) == number


from analysis.dates import date_from_text, date_from_url  # noqa: E402

REF = datetime(2025, 2, 12, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Titre\nPublié le 12 février 2025 à 10h30\nCorps", datetime(2025, 2, 12, 10, 30, tzinfo=UTC)),
        ("Mis à jour le 11/02/2025", datetime(2025, 2, 11, tzinfo=UTC)),
        ("Le 11.02.2025\n\nCorps du texte", datetime(2025, 2, 11, tzinfo=UTC)),
        ("Published on March 3, 2024", datetime(2024, 3, 3, tzinfo=UTC)),
        ("il y a 3 heures", datetime(2025, 2, 12, 12, 0, tzinfo=UTC)),
        ("Publié hier à 10h", datetime(2025, 2, 11, tzinfo=UTC)),
        ("2 days ago", datetime(2025, 2, 10, 15, 0, tzinfo=UTC)),
        ("du 14 au 16 avril 2025 à Marrakech, les experts débattront", None),
    ],
)
def test_date_from_text(text, expected):
    assert date_from_text(text, reference=REF) == expected


def test_relative_dates_need_a_reference():
    assert date_from_text("il y a 3 heures") is None


def test_date_from_url():
    assert date_from_url("https://www.leconomistemaghrebin.com/2019/11/19/slug/") == datetime(2019, 11, 19, tzinfo=UTC)
    assert date_from_url("https://x.example/a/2019/13/01/") is None
    assert date_from_url(None) is None
