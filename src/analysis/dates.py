"""Timestamps as records write them, turned into UTC datetimes.

Handles ISO 8601, RFC 822 (feeds), `YYYY-MM-DD HH:MM:SS[.ffffff]` (database exports), Unix
epochs in seconds or milliseconds, day-first numeric dates (`11/02/2025`, the French order), and
dates written with French or English month names (`12 février 2025 à 10h30`). Timestamps
without a zone take the configured default zone. Anything else is `None`, never a guess.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from email.utils import parsedate_to_datetime

from dateutil import parser as du_parser

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("january", "jan", "janvier", "janv"),
        ("february", "feb", "février", "fevrier", "févr", "fevr", "fév", "fev"),
        ("march", "mar", "mars"),
        ("april", "apr", "avril", "avr"),
        ("may", "mai"),
        ("june", "jun", "juin"),
        ("july", "jul", "juillet", "juil"),
        ("august", "aug", "août", "aout"),
        ("september", "sep", "sept", "septembre"),
        ("october", "oct", "octobre"),
        ("november", "nov", "novembre"),
        ("december", "dec", "décembre", "decembre", "déc"),
    ],
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

_DAYS = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
)
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WORDY = re.compile(
    rf"(?:(?:{_DAYS}),?\s+)?\b(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?\s+(?P<month>{_MONTH_ALT})\.?,?\s+(?P<year>(?:1[89]|20)\d\d)"
    rf"(?:\s*(?:à|a|at|,|-)?\s*(?P<hour>[0-2]?\d)\s*[h:]\s*(?P<minute>[0-5]\d)?)?",
    re.IGNORECASE,
)
_WORDY_EN = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:1[89]|20)\d\d)",
    re.IGNORECASE,
)
_NUMERIC_DMY = re.compile(
    r"^(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>(?:1[89]|20)\d\d)(?:\s+(?P<rest>.*))?$"
)
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")


def month_number(name: str) -> int | None:
    """Month number from a number or an English/French month name (`03`, `Mar`, `mars`)."""
    name = name.strip().lower().rstrip(".")
    if name.isdigit():
        value = int(name)
        return value if 1 <= value <= 12 else None
    return MONTHS.get(name)


def _aware(value: datetime, default_tz: tzinfo) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz)
    return value.astimezone(UTC)


def _safe(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def parse_datetime(value: object, *, default_tz: tzinfo = UTC) -> datetime | None:
    """Parse one timestamp as found in a record; ``None`` when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _aware(value, default_tz)
    if isinstance(value, date):
        return _aware(datetime.combine(value, time()), default_tz)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    try:
        return _aware(datetime.fromisoformat(text.replace("Z", "+00:00")), default_tz)
    except ValueError:
        pass
    if "," in text[:5] or re.search(r"\d\d:\d\d(:\d\d)?\s+(?:[+-]\d{4}|GMT|UT|UTC|[A-Z]{3})$", text):
        try:
            return _aware(parsedate_to_datetime(text), default_tz)
        except (TypeError, ValueError, IndexError):
            pass
    match = _NUMERIC_DMY.match(text)
    if match:
        found = _safe(int(match["year"]), int(match["month"]), int(match["day"]))
        if found is None:
            return None
        rest = match["rest"]
        if rest:
            clock = re.match(r"(?:à\s*)?([0-2]?\d)\s*[h:]\s*([0-5]\d)?", rest)
            if clock:
                found = found.replace(hour=int(clock[1]) % 24, minute=int(clock[2] or 0))
        return _aware(found, default_tz)
    for pattern in (_WORDY, _WORDY_EN):
        match = pattern.search(text)
        if match:
            month = month_number(match["month"])
            hour = int(match.groupdict().get("hour") or 0)
            minute = int(match.groupdict().get("minute") or 0)
            found = _safe(int(match["year"]), month or 0, int(match["day"]), hour % 24, minute)
            return _aware(found, default_tz) if found else None
    try:
        parsed = du_parser.parse(text, dayfirst=True, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    return _aware(parsed, default_tz)


def _from_epoch(seconds: float) -> datetime | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
