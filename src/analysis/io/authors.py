"""A record's author field as the names it holds.

Scrapers, CMSs and tools write the author as the page showed it: with its cue word (``Par Karim
Benali``, ``Written by Jane Doe``), a role (``Jane Doe, Staff Writer``), the outlet, a place or a
date after a bar or a dash (``Karim Benali | Le360``, ``Par: Karim Benali - Rabat``, ``Par Karim
Benali Publié le 12/03/2024 à 10h30``), an agency in brackets (``(avec AFP)``), in capitals, as the
address of the author's page (``https://le360.ma/auteur/karim-benali``), an e-mail address, a CMS
account (``admin``), several names joined by ``et``/``and``/``;``, or a JSON list written as text.
:func:`author_names` gives the names alone, parted by ``, `` (as a list of authors is joined),
or ``None`` when the field names no one (an account, an address without a name, the outlet itself).
The cue words, account names and joining words are data (``[ingest.authors]``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from analysis.config import AuthorOptions
from analysis.dates import is_weekday, month_number
from analysis.io.loaders import names_outlet
from analysis.io.press_exports import ROLE_WORDS
from analysis.text import fold

#: a name as most fields hold it already: one to five words, each opening with a letter, no
#: capitals-only word of two letters or more, nothing else (the fast path: returned as written)
_PLAIN = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*(?: [^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*\.?){0,4}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<!\w)@\w{2,}")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
#: the fields of a byline parted by a bar, a bullet or a spaced dash (`Karim Benali | Le360`)
_FIELD_BAR = re.compile(r"\s+[|•·]\s*|\s+[–—-]\s+|\s*[|•·]\s+")
#: a bracket closing a byline (`(avec AFP)`, `(@kbenali)`, `[Rabat]`)
_BRACKET = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*$")
#: a byline's trailing part that is the author's role, not a name (`Jane Doe, Staff Writer`)
_ROLE = re.compile(rf"\b(?:{ROLE_WORDS})\b", re.IGNORECASE)
#: words of a date's cue before it (folded): `Publié le`, `Updated on`, `Mis à jour à`
_DATE_WORDS = frozenset(
    "publie publiee publi mis mise en ligne jour a le les on at am um el em il op updated published posted"
    " last modified actualise actualizado atualizado aktualisiert publicado veroffentlicht pubblicato"
    " aggiornato du del de des the".split()
)
#: a relative date's opening words closing a byline whose number a tool dropped (trafilatura's
#: `Aleš Vávra před`, of `před 2 hodinami`; `il y a 3 heures`, `hace 2 horas`, `há 3 horas`,
#: `vor 2 Stunden`, `منذ ساعتين`): no name ends with them
_AGO = re.compile(r"\s+(?:před|il y a|hace|há|vor|منذ)\s*$", re.IGNORECASE)
_TWO_LETTERS = re.compile(r"[^\W\d_].*?[^\W\d_]")
#: a slug of a name in an address's last part: `karim-benali`, `jane_doe`
_SLUG = re.compile(r"^[^\W\d_]{2,}(?:[-_.][^\W\d_]{2,}){1,3}$")


def author_names(value: Any, options: AuthorOptions, source: str | None = None) -> str | None:
    """The names an author field holds, parted by ``, ``; ``None`` when it names no one.

    >>> author_names("Par Karim Benali, journaliste", AuthorOptions(cues=("par",)))
    'Karim Benali'
    """
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        # (each item one person's: `Benali, Karim` is turned round, as a citation manager writes it)
        parts = [_names(_turned(str(item)), options, source or "") for item in value if item is not None]
        names = [name for part in parts if part for name in part.split(", ")]
        return ", ".join(dict.fromkeys(names)) or None
    return _names(str(value), options, source or "")


@lru_cache(maxsize=8192)
def _names(value: str, options: AuthorOptions, source: str) -> str | None:
    text = _AGO.sub("", " ".join(value.split()))
    if not text or not any(c.isalpha() for c in text):
        return None
    if (
        _PLAIN.fullmatch(text)
        and not _cue(options).match(text)
        and not _capitals(text)
        and not _joiner(options).search(text)
    ):
        return None if _not_name(text, options, source) else text
    if text[:1] == "[" and text[-1:] == "]":  # a JSON list written as text
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list):
            return author_names([i for i in items if isinstance(i, str)], options, source)
    if _URL.match(text):
        return _from_address(text)
    emails = _EMAIL.findall(text)
    if emails:
        rest = _EMAIL.sub(" ", text)
        if not any(c.isalpha() for c in rest.strip(" ,;:<>()[]")):
            return _from_slug(emails[0].split("@")[0])
        text = rest
    # (a bracket naming who wrote with the author: `(avec AFP)`, `(with Jane Doe and John Smith)`)
    bracket = _BRACKET.search(text)
    company = ""
    if bracket and bracket.start() > 0:
        company = (
            _with(options).sub("", bracket.group(1).strip(), count=1)
            if _with(options).match(bracket.group(1).strip())
            else ""
        )
        text = text[: bracket.start()]
    if ";" in text:  # a citation manager's `Benali, Karim; Alaoui, Sara`: each name turned round
        text = ";".join(_turned(part) for part in text.split(";"))
    names: list[str] = []
    for part in (text, company):
        for name in _split(_one(part.replace(";", ","), options, source), options) if part else ():
            name = _tidy(name, options)
            if name and not _not_name(name, options, source) and name not in names:
                names.append(name)
    return ", ".join(names) or None


def _turned(name: str) -> str:
    """`Benali, Karim` as `Karim Benali`: a family name of up to three words, a comma, given names
    of up to three, neither a role."""
    family, comma, given = name.partition(",")
    if (
        comma
        and "," not in given
        and 1 <= len(family.split()) <= 3
        and 1 <= len(given.split()) <= 3
        and not _ROLE.search(given)
        and not _ROLE.search(family)
    ):
        return f"{given.strip()} {family.strip()}"
    return name


def _one(text: str, options: AuthorOptions, source: str) -> str:
    """One byline's name part: without its cue word, brackets, handles, date, and the fields after
    a bar or dash that are not the name (a place, the outlet, a date)."""
    text = _HANDLE.sub(" ", text) if _HANDLE.sub("", text).strip() else text
    fields = [f.strip() for f in _FIELD_BAR.split(text) if f.strip(" ,:")]
    if len(fields) > 1:
        # the first field that is not the outlet (`Le360 | Karim Benali` too)
        named = [f for f in fields if not (source and _is_outlet(_strip_cue(f, options), source))]
        text = (named or fields)[0]
    dated = _dated(text)
    text = _strip_cue(text if dated is None else dated, options)
    head, colon, tail = text.rpartition(":")
    return head.strip() if colon and head.strip() and _ROLE.search(tail) else text  # `Karim Benali: journaliste`


def _strip_cue(text: str, options: AuthorOptions) -> str:
    previous = None
    while previous != text:  # (`By: Staff Writer`: one cue after the other is rare, but cheap)
        previous = text
        text = _cue(options).sub("", text, count=1).strip()
    return text


def _dated(text: str) -> str | None:
    """The name part of a byline holding a date: before it (`Karim Benali Publié le 12/03/2024`,
    `Jane Doe March 3, 2024`), or after it when the cue comes last (`Posted on March 3, 2024 by
    John Smith`). The words before the date's first digit that are a date's (a month, a weekday, a
    cue such as `Publié le`, `Updated on`) go with it."""
    first = re.search(r"(?<!\w)\d", text)  # (a number, not a name's: `Le360`, `France24`)
    if first is None:
        return None
    after = re.search(r"\d.*?\s(?:by|par|por|von|door|di)\s+(\D+)$", text, re.IGNORECASE)
    if after:
        return after.group(1)
    words = _AGO.sub("", text[: first.start()].rstrip()).split()  # (`Aleš Vávra před 2 hodinami`)
    while len(words) > 1 and (
        fold(words[-1].strip(" ,.:|–—-")).lower() in _DATE_WORDS
        or is_weekday(words[-1].strip(" ,.:"))
        or month_number(words[-1].strip(" ,.:")) is not None
        or not words[-1].strip(" ,.:|–—-·•")
    ):
        words.pop()
    if len(words) == 1 and (is_weekday(words[0].strip(" ,.:")) or month_number(words[0].strip(" ,.:")) is not None):
        return ""  # a date alone (`April 28, 2019 at 6:01 am Updated …`)
    return " ".join(words).rstrip(" ,|–—-:·•")


def _split(text: str, options: AuthorOptions) -> list[str]:
    """Several names in one byline: parted by commas or a joining word (`et`, `and`, `&`), when
    each part is a name; a role or a place after the last comma goes (`Léa Favre, Genève`)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) > 1 and len(parts[0].split()) >= 2:
        # a role (`Staff Writer`) goes; so does one word after one name (a place: `Léa Favre, Genève`)
        place = len(parts) == 2 and len(parts[1].split()) == 1 and parts[1][:1].isupper()
        parts = [parts[0]] + [p for p in parts[1:] if not _ROLE.search(p) and not place]
    names: list[str] = []
    for part in parts:
        pieces = _joiner(options).split(part)
        # (a joining letter needs names of two words around it: `José Ortega y Gasset` is one name)
        least = 2 if any(len(j.strip()) == 1 and j.strip().isalpha() for j in _joiner(options).findall(part)) else 1
        # (each a name: `Ministère de l'Europe et des Affaires étrangères` is one)
        if len(pieces) > 1 and all(least <= len(p.split()) <= 5 and not p.strip()[:1].islower() for p in pieces):
            names.extend(p.strip() for p in pieces)
        else:
            names.append(part)
    return names


def _tidy(name: str, options: AuthorOptions) -> str:
    name = _strip_cue(name.strip(" ,;:|–—-\"'“”«»"), options)
    name = " ".join(name.split())
    return name.title() if _capitals(name) else name


def _capitals(text: str) -> bool:
    """A name written in capitals (`KARIM BENALI`, not `AFP` nor `Karim BENALI`)."""
    return len(text.split()) >= 2 and text.upper() == text and text.lower() != text


def _not_name(name: str, options: AuthorOptions, source: str) -> bool:
    key = name.lower().rstrip("0123456789 ")
    if not _TWO_LETTERS.search(name):  # (an initial left alone: `Mac; I`)
        return True
    return key in options.not_names or bool(source and _is_outlet(name, source))


@lru_cache(maxsize=8192)
def _is_outlet(name: str, source: str) -> bool:
    return source != "unknown" and names_outlet(name, [source])


def _from_address(url: str) -> str | None:
    """The name an author page's address ends with (`…/auteur/karim-benali/`), else none."""
    parts = [p for p in urlsplit(url if "//" in url else "//" + url).path.split("/") if p]
    return _from_slug(unquote(parts[-1])) if parts else None


def _from_slug(slug: str) -> str | None:
    slug = slug.rsplit(".", 1)[0] if slug.endswith((".html", ".htm", ".php")) else slug
    if not _SLUG.match(slug):
        return None
    return " ".join(part.capitalize() for part in re.split(r"[-_.]", slug))


#: the options' patterns, by the options object (it lives for a run: hashing it each time costs more)
_PATTERNS: dict[int, tuple[AuthorOptions, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]]] = {}


def _patterns(options: AuthorOptions) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    known = _PATTERNS.get(id(options))
    if known is None or known[0] is not options:
        compiled = (
            _alternatives(options.cues, r"^(?:{})(?:\s*:\s*|\s+)", re.IGNORECASE),
            _alternatives(options.company, r"^(?:{})\s+", re.IGNORECASE),
            # (as written: `E` between two names is an initial, `e` joins them)
            _alternatives(options.joiners, r"\s+(?:{})\s+", 0),
        )
        known = _PATTERNS[id(options)] = (options, compiled)
    return known[1]


def _cue(options: AuthorOptions) -> re.Pattern[str]:
    return _patterns(options)[0]


def _with(options: AuthorOptions) -> re.Pattern[str]:
    return _patterns(options)[1]


def _joiner(options: AuthorOptions) -> re.Pattern[str]:
    return _patterns(options)[2]


def _alternatives(words: Sequence[str], shape: str, flags: int) -> re.Pattern[str]:
    escaped = sorted((r"\s+".join(map(re.escape, w.split())) for w in words if w.strip()), key=len, reverse=True)
    return re.compile(shape.format("|".join(escaped) or r"(?!)"), flags)
