"""From a loader's record to one row of the article table.

Field names are looked up through ``ingest.field_map`` then ``ingest.fields`` (case, ``_``,
``-`` and spaces ignored). Values missing from the record come, in this order, from the file's
sidecar ``<file>.meta.json``, the nearest folder ``_meta.json``, the command line, the format's
own file-level values (a feed's title), the path, and for ``source`` the URL's host.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from analysis.config import IngestOptions, outlet_name_key
from analysis.countries import alpha_2_codes
from analysis.dates import month_number, outlet_clock_zone, parse_datetime, relative_datetime
from analysis.io.authors import author_names
from analysis.io.loaders import (
    _article_keys,
    _site_domain,
    names_outlet,
    parse_scraped_text,
    split_tags,
    unwrap_redirect,
)
from analysis.io.registry import Record, Reject, norm_key
from analysis.text import clean_field, fold, html_to_text, looks_like_html

_LANG_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")
#: ISO 639-2 codes that name no language: undetermined, several, no linguistic content, uncoded
_NO_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})


def normalise_language(value: Any) -> str | None:
    """ISO 639-1 code from a declared language: ``fr-FR`` -> ``fr``; ``French``, ``français``,
    ``Deutsch`` -> ``fr``, ``de`` (a name in English, in French or in itself); ``fra``, ``fre`` ->
    ``fr`` (ISO 639-3 and 639-2, as Event Registry and library catalogues write them); ``und`` ->
    None. A code of a language without a two-letter one stays as it is (``fil``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    named = _language_names().get(text.casefold()) or _language_names().get(fold(text))
    if named:
        return named
    match = _LANG_CODE.match(text)
    if not match:
        return _native_names().get(text.casefold())
    code = match.group(1).lower()
    if len(code) == 3:
        return None if code in _NO_LANGUAGE else _two_letter_codes().get(code, code)
    return code


@cache
def _two_letter_codes() -> dict[str, str]:
    """ISO 639-1 code by ISO 639-3 code and ISO 639-2 bibliographic code (pycountry)."""
    import pycountry

    codes: dict[str, str] = {}
    for language in pycountry.languages:
        if hasattr(language, "alpha_2"):
            codes[language.alpha_3] = language.alpha_2
            if hasattr(language, "bibliographic"):
                codes[language.bibliographic] = language.alpha_2
    return codes


@cache
def _language_names() -> dict[str, str]:
    """ISO 639-1 code by the language's name in English or French (CLDR, through babel; pycountry's
    English one), casefolded, and without its accents (``francais``)."""
    import pycountry
    from babel import Locale

    codes = set(_two_letter_codes().values())
    names: dict[str, str] = {}
    for locale in ("en", "fr"):
        for code, name in Locale(locale).languages.items():
            if code in codes:
                names.setdefault(name.casefold(), code)
                names.setdefault(fold(name), code)
    for language in pycountry.languages:
        if hasattr(language, "alpha_2"):
            names.setdefault(language.name.casefold(), language.alpha_2)
    return names


@cache
def _native_names() -> dict[str, str]:
    """ISO 639-1 code by the language's name in itself (CLDR: ``Deutsch``, ``español``, ``العربية``),
    casefolded; read when a declared language is neither a code nor an English or French name
    (CLDR's data of 150 locales: 0.7 s)."""
    from babel import Locale, UnknownLocaleError

    names: dict[str, str] = {}
    for code in sorted(set(_two_letter_codes().values())):
        try:
            name = Locale(code).languages.get(code)
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            names.setdefault(name.casefold(), code)
    return names


@cache
def _country_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code by folded code (alpha-2, alpha-3) or English or French name."""
    import pycountry
    from babel import Locale

    codes: dict[str, str] = {"xk": "XK", "xkx": "XK", "kosovo": "XK", "uk": "GB"}
    for country in pycountry.countries:
        for name in (country.alpha_2, country.alpha_3, country.name, *_names(country)):
            codes.setdefault(fold(name.strip()), country.alpha_2)
    for language in ("en", "fr"):
        for code, name in Locale(language).territories.items():
            if code.upper() in alpha_2_codes():
                codes.setdefault(fold(name.strip()), code.upper())
    return codes


def _names(country: Any) -> list[str]:
    return [getattr(country, key) for key in ("common_name", "official_name") if getattr(country, key, None)]


def normalise_country(value: Any) -> str | None:
    """ISO 3166-1 alpha-2 code of a declared country (``MA``, ``mar``, ``Morocco``, ``Maroc``);
    ``None`` when it names none."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _country_codes().get(fold(value.strip()))


#: second-level labels under a country-code domain: `lanacion.com.ar`, `bbc.co.uk`
_SECOND_LEVEL = frozenset({"com", "co", "net", "org", "gov", "gouv", "gob", "edu", "ac"})


def _host_labels(url: str) -> list[str]:
    """The labels of a URL's host (``fr.hespress.com``: ``fr``, ``hespress``, ``com``)."""
    return (urlsplit(url).hostname or "").rstrip(".").split(".")


def outlet_country(url: str | None, outlets: Mapping[str, str]) -> str | None:
    """The country ``outlets`` (domain -> code) gives the URL's host or the closest domain it
    ends with (``fr.hespress.com``: ``hespress.com``); ``None`` when none is listed."""
    if not url or not outlets:
        return None
    labels = _host_labels(url)
    for start in range(len(labels) - 1):
        code = outlets.get(".".join(labels[start:]))
        if code is not None:
            return code
    return None


def domain_country(url: str | None, generic: frozenset[str] = frozenset()) -> str | None:
    """ISO 3166-1 alpha-2 code of a URL's country-code top-level domain (``lematin.ma`` MA,
    ``bbc.co.uk`` GB); ``None`` for other domains and for ``generic`` ones, which anyone uses
    (``.io``, ``.tv``), unless a second level says it is the country's (``eltiempo.com.co``)."""
    if not url:
        return None
    labels = _host_labels(url)
    if len(labels) < 2:
        return None
    top = labels[-1]
    if top in generic and not (len(labels) > 2 and labels[-2] in _SECOND_LEVEL):
        return None
    code = "GB" if top == "uk" else top.upper()
    return code if code in alpha_2_codes() else None


#: a country in brackets after an outlet's name (``Le Matin (Maroc)``, ``El Watan (Algérie)``)
_BRACKETED = re.compile(r"\(([^()]+)\)\s*$")
#: an inline element's tag in a field of plain text (`<b>`, `</em>`, `<span class="x">`)
_INLINE_TAG = re.compile(r"</?(?:b|i|em|strong|span|font|mark|u|a|sup|sub|small)(?:\s[^<>]*)?>", re.IGNORECASE)
_NAMED_HOST = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}$")


def name_country(source: str | None, options: IngestOptions) -> str | None:
    """The country an outlet's name gives, for an article whose URL gives none (a press database's
    export, without URL; an aggregator's link, news.google.com):
    the country of its site when it is one (``lemonde.fr``, ``Le Monde.fr``: as of a URL), else a
    country in brackets after it (``Le Matin (Maroc)``), else ``options.outlet_names`` (the whole
    name, then without its brackets or edition), else a listed outlet's domain the name spells
    (``Le Devoir``: ``ledevoir.com``) or whose initials it has (``Frankfurter Allgemeine Zeitung``:
    ``faz.net``); ``None`` when none does (or several domains of different countries would)."""
    if not source:
        return None
    host = source.replace(" ", "").lower().removeprefix("www.")
    if _NAMED_HOST.match(host):  # a web source named by its site (`lemonde.fr`, `Le Monde.fr`)
        url = f"https://{host}/"
        return outlet_country(url, options.outlets) or domain_country(url, options.generic_domains)
    bracketed = _BRACKETED.search(source)
    if bracketed:
        code = normalise_country(bracketed[1])
        if code is not None:
            return code
    for whole in (True, False):
        code = options.outlet_names.get(outlet_name_key(source, whole=whole))
        if code is not None:
            return code
    key = outlet_name_key(source)
    words = [w for w in re.split(r"[\W_]+", fold(_BRACKETED.sub("", source))) if w]
    initials = "".join(w[0] for w in words) if len(words) >= 3 else None
    labels = _domain_labels(options.outlets)
    for candidate in (key, initials):
        if candidate and len(candidate) >= 3 and candidate in labels:
            return labels[candidate]
    edition = _EDITION.match(source)
    if edition and _is_edition(edition["edition"]):  # `Hespress FR`, `Le360 Arabic`: the outlet's
        return name_country(edition["name"], options)
    return None


#: an outlet's name and a last word after it, which may name its language's edition
_EDITION = re.compile(r"^(?P<name>.*?\w.*?)[\s|/–—-]+(?P<edition>[^\W\d_]+)\W*$")


def _is_edition(word: str) -> bool:
    """Whether ``word`` names a language's edition: an ISO 639-1 code (`FR`, `fr`; not written
    `Fr`, a word's case), or a language's English or French name (`Arabic`, `Français`, `anglais`)."""
    if len(word) == 2:
        return (word.isupper() or word.islower()) and word.lower() in _edition_words()
    return word.casefold() in _edition_words()


@cache
def _edition_words() -> frozenset[str]:
    """ISO 639-1 codes and the languages' names in English and French (see :func:`_language_names`)."""
    return frozenset(set(_two_letter_codes().values()) | set(_language_names()))


#: the labels of the outlets mappings seen (one per options object, which lives for a run)
_LABELS: dict[int, tuple[Mapping[str, str], dict[str, str]]] = {}


def _domain_labels(outlets: Mapping[str, str]) -> dict[str, str]:
    """A listed domain's first label (``ledevoir`` of ``ledevoir.com``) -> its country, for labels of one country."""
    seen = _LABELS.get(id(outlets))
    if seen is not None and seen[0] is outlets:
        return seen[1]
    found: dict[str, set[str]] = {}
    for domain, code in outlets.items():
        found.setdefault(domain.split(".")[0].replace("-", ""), set()).add(code)
    labels = {label: next(iter(codes)) for label, codes in found.items() if len(codes) == 1}
    _LABELS[id(outlets)] = (outlets, labels)
    return labels


def _scalar(value: Any) -> Any:
    """A nested value reduced to what it names (``{"name": ...}``, first of a list); of a
    name-value pair, its value (``{"name": "subject", "value": "Economy"}``: Economy)."""
    if isinstance(value, Mapping):
        if "name" in value and "value" in value:
            return _scalar(value["value"])
        person = _person(value)
        if person:
            return person
        for key in ("name", "title", "value", "href", "url", "#text", "text", "$"):
            if key in value:
                return _scalar(value[key])
        for item in value.values():  # e.g. {"main": "...", "print_headline": "..."}
            if isinstance(item, str) and item.strip():
                return item
        return None
    return value


#: the endings of a date field's name whose value is the same moment in UTC (`date_gmt`, `published_utc`)
_UTC_TWINS = ("gmt", "utc")


def _utc_twin(by_key: Mapping[str, Any], key: str) -> datetime | None:
    """The moment a date field's UTC twin holds (WordPress writes `date` on the site's clock and
    `date_gmt` in UTC, both without a zone), when it has one and it can be read."""
    for zone in _UTC_TWINS:
        if key + zone not in by_key:
            continue
        twin = _date_value(by_key[key + zone])
        if twin is not None and twin != "":
            moment = parse_datetime(twin, default_tz=UTC, outlet_clock=False)
            if moment is not None:
                return moment
    return None


#: a day alone, as an ISO date (`2024-03-12`)
_ISO_DAY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")


def _with_time(value: Any, others: Iterable[Any]) -> Any:
    """A day alone (``2024-03-12``) when a later date field of the record holds that day with its
    time: the latter (Event Registry's exports give ``date``, ``time`` and ``dateTime``; the first
    name read as the date is ``date``, which read alone put every article at midnight)."""
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        return value
    day = value.strip()
    for other in others:
        if (
            isinstance(other, str)
            and (other := other.strip()).startswith(day)
            and other[len(day) : len(day) + 1] in ("T", " ")
        ):
            return other
    return value


def _is_reference(value: Any) -> bool:
    """A number, or a list of numbers, where a name is expected: an id of another table's row."""
    items = value if isinstance(value, list) and value else [value]
    return all(
        (isinstance(item, int) and not isinstance(item, bool)) or (isinstance(item, str) and item.strip().isdigit())
        for item in items
    )


#: a person's name in parts, as citation managers give it: CSL JSON's (`given`, `family`), Zotero's
#: (`firstName`, `lastName`), and others' (`first_name`, `last_name`)
_PERSON_PARTS = (("given", "family"), ("firstName", "lastName"), ("first_name", "last_name"), ("first", "last"))


def _person(value: Mapping[str, Any]) -> str | None:
    for given, family in _PERSON_PARTS:
        if isinstance(value.get(family), str) and value[family].strip():
            first = value.get(given)
            return " ".join(f"{first if isinstance(first, str) else ''} {value[family]}".split())
    return None


def _date_parts(value: Any) -> str | None:
    """A date given as its parts, CSL JSON's `{"date-parts": [[2024, 3, 14]]}` (a year, a month, a
    day when known): ``2024-03-14``; else ``None`` (a year alone too: no day to put it on)."""
    if isinstance(value, Mapping) and "date-parts" in value:
        value = value["date-parts"]
        value = value[0] if isinstance(value, list) and value and isinstance(value[0], list) else value
    if not isinstance(value, list) or not 2 <= len(value) <= 3:
        return None
    parts = [int(p) if isinstance(p, int) or (isinstance(p, str) and p.isdigit()) else None for p in value]
    if None in parts or not 1000 <= parts[0] <= 2999:  # type: ignore[operator]
        return None
    year, month, day = [*parts, 1][:3]
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None  # type: ignore[operator]


def _date_value(value: Any) -> Any:
    """A date field's value as a date parser reads it: the first filled item of a list (a crawler
    writes every field as one: `["Publié le : 13 mars 2024"]`), what an object wraps (MongoDB's
    `{"$date": {"$numberLong": "1710410400000"}}`), a date in parts (CSL JSON's `date-parts`)."""
    for _ in range(4):
        parts = _date_parts(value)
        if parts is not None:
            return parts
        if isinstance(value, Mapping) and "date-parts" in value:
            return None  # (a year alone, or parts that make no date: not a number of seconds)
        if isinstance(value, (list, tuple)):
            value = next((item for item in value if item is not None and item != "" and item != []), None)
        elif isinstance(value, Mapping):
            inner = _scalar(value)
            value = next(iter(value.values())) if inner is None and len(value) == 1 else inner
        else:
            break
    return value


def _string(value: Any, *, sep: str = ", ") -> str | None:
    value = _scalar(value)
    if value is None:
        return None
    if isinstance(value, list):
        parts = [_string(v, sep=sep) for v in value]
        joined = sep.join(p for p in parts if p)
        return joined or None
    if isinstance(value, float) and value != value:  # NaN from pandas-made files
        return None
    text = clean_field(str(value))
    return text or None


#: a feed reader's category (the Google Reader API's, which Inoreader, FreshRSS and others keep):
#: a user's label is its name, a state (`starred`, `read`) no tag
_READER_CATEGORY = re.compile(r"^user/[^/]+/(?:(?P<label>label)/(?P<name>.+)|state/.*)$")


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [clean_field(t) for t in split_tags(value) if clean_field(t)]
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            text = _string(item)
            category = _READER_CATEGORY.match(text) if text else None
            if category:
                text = category["name"] if category["label"] else None
            if text and text not in out:
                out.append(text)
        return out
    text = _string(value)
    return [text] if text else []


def _url(value: Any) -> str | None:
    text = _string(value)
    if not text:
        return None
    text = text.strip()
    if not re.match(r"^https?://[^\s/]+", text, re.IGNORECASE):
        return None
    return text


def url_key(url: str) -> str:
    """The form of a URL used for identity: scheme and host lower-cased, fragment dropped."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def article_id(url: str | None, source: str, published: datetime | None, title: str | None, text: str | None) -> str:
    """Stable id: a hash of the URL, else of source, date, title and text."""
    if url:
        key = "url\x1f" + url_key(url)
    else:
        stamp = published.isoformat() if published else ""
        key = "\x1f".join(("doc", source, stamp, title or "", text or ""))
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class FileContext:
    """What is known about a file before reading it: metadata layers and path facts."""

    raw_path: str
    raw_format: str
    sidecar: Mapping[str, Any] = field(default_factory=dict)
    folder: Mapping[str, Any] = field(default_factory=dict)
    cli: Mapping[str, Any] = field(default_factory=dict)
    path_source: str | None = None
    path_date: datetime | None = None


#: a record field this long that no article field reads is probably the text under an unknown name
_LONG_TEXT = 200
#: a source written as a web domain (`DAWN.COM`, `www.Hespress.com`)
_HOST = re.compile(r"^(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def path_metadata(relative: str, options: IngestOptions) -> tuple[str | None, datetime | None]:
    """Source and date found in a path by ``ingest.paths.patterns``."""
    source: str | None = None
    found: datetime | None = None
    for pattern in options.path_patterns:
        match = pattern.search(relative)
        if not match:
            continue
        groups = match.groupdict()
        if source is None and groups.get("source"):
            source = groups["source"]
        if found is None and groups.get("year") and groups.get("month") and groups.get("day"):
            month = month_number(groups["month"])
            if month:
                try:
                    found = datetime(int(groups["year"]), month, int(groups["day"]), tzinfo=UTC)
                except ValueError:
                    found = None
        if source and found:
            break
    return source, found


class RecordMapper:
    """Maps loader records to article rows for one ingest run (options fixed)."""

    def __init__(self, options: IngestOptions, *, now: datetime | None = None) -> None:
        self.options = options
        self.now = now or datetime.now(UTC)
        self._aliases: dict[str, tuple[str, ...]] = {}
        for name, aliases in options.fields.items():
            explicit = options.field_map.get(name)
            keys = ([norm_key(explicit)] if explicit else []) + [norm_key(a) for a in aliases]
            self._aliases[name] = tuple(dict.fromkeys(keys))
        for name, explicit in options.field_map.items():
            if name not in self._aliases:
                self._aliases[name] = (norm_key(explicit),)
        # (a record's status and kind: read to tell published articles from the rest)
        self._aliases["status"] = options.status_fields
        self._aliases["kind"] = options.kind_fields
        self._alias_keys = frozenset(key for keys in self._aliases.values() for key in keys)
        self._article_keys = _article_keys(options)  # (not `name`: a source's or an author's too)
        # (names whose number is a reference to another table: WordPress's `author: 12`, `tags: [120]`)
        self._named_keys = frozenset((*self._aliases["author"], *self._aliases["tags"]))
        self._source_keys = frozenset(self._aliases["source"])
        self._text_keys = frozenset(self._aliases["text"])
        self.warnings: dict[str, int] = {}

    def _warn(self, kind: str) -> None:
        self.warnings[kind] = self.warnings.get(kind, 0) + 1

    def lookup(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Article fields found in a record's own fields (first non-empty alias wins)."""
        by_key: dict[str, Any] = {}
        # Fields grouped in objects of their own (`{"meta": {"published_at": ...}}`, Elasticsearch's
        # `_source`, JSON:API's `attributes`, the Guardian API's `fields`) are read after the
        # record's own, the shallower first, up to three levels down.
        groups = self._read_level(record, by_key)
        for _ in range(3):
            if not groups:
                break
            groups = [deeper for group in groups for deeper in self._read_level(group, by_key)]
        for key in [key for key in by_key if key not in self._alias_keys] if self.options.field_prefixes else ():
            # `post_title` is `title` where the record has no `title` of its own
            for prefix in self.options.field_prefixes:
                if key.startswith(prefix) and key[len(prefix) :] in self._alias_keys:
                    by_key.setdefault(key[len(prefix) :], by_key[key])
                    for zone in _UTC_TWINS:  # (and its UTC twin: WordPress's `post_date_gmt`)
                        if key + zone in by_key:
                            by_key.setdefault(key[len(prefix) :] + zone, by_key[key + zone])
                    break
        found: dict[str, Any] = {}
        address: str | None = None  # (a source given as a page's address)
        for name, keys in self._aliases.items():
            for at, key in enumerate(keys):
                value = by_key.get(key)
                if value is None or value == "" or value == [] or (isinstance(value, float) and value != value):
                    continue
                if name == "url" and _url(value) is None:
                    continue
                if (
                    name == "source"
                    and isinstance(value, str)
                    and value[:4].lower() == "http"
                    and (link := _url(value))
                ):
                    parts = urlsplit(link)
                    if parts.path.strip("/") or parts.query:
                        # a source named by the page's address (trafilatura's `source`): the URL, if
                        # none is given, and the source is another field's or the address's host
                        address = address or link
                        continue
                    value = parts.hostname or value  # a site named by its home page's address
                if name == "published":
                    value = _utc_twin(by_key, key) or _with_time(value, (by_key.get(k) for k in keys[at + 1 :]))
                found[name] = value
                break
        if address and "url" not in found:
            found["url"] = address
        return found

    def _read_level(self, fields: Mapping[str, Any], by_key: dict[str, Any]) -> list[Mapping[str, Any]]:
        """Add ``fields`` to ``by_key`` under their normalised names (those there already win);
        returns the objects among them that group fields. An object named as an article field is
        that field's value (`{"source": {"name": ...}}` names no title), unless it holds a title or
        a text (Elasticsearch's `_source`, whose name is a source's): then it is a group alone. An
        object named as a source that holds a title and no text is the source's (a feed reader's
        `{"origin": {"title": "Le360", "htmlUrl": …}}`: its title names the feed)."""
        groups: list[Mapping[str, Any]] = []
        for key, value in fields.items():
            name = norm_key(str(key))
            if isinstance(value, Mapping) and (
                name not in self._alias_keys
                or (
                    any(norm_key(str(k)) in self._article_keys for k in value)
                    and (name not in self._source_keys or any(norm_key(str(k)) in self._text_keys for k in value))
                )
            ):
                groups.append(value)
                if name in self._alias_keys:
                    continue
            if name in self._named_keys and _is_reference(value):
                continue  # (a user's or a term's number: a name deeper in the record may follow)
            by_key.setdefault(name, value)
        return groups

    def map(self, record: Record, ctx: FileContext, index: int) -> dict[str, Any] | Reject:
        """One article row, or the reason the record is not an article."""
        own = self.lookup(record.fields)
        layers: list[tuple[str, Mapping[str, Any]]] = [
            ("record", own),
            ("sidecar", ctx.sidecar),
            ("folder", ctx.folder),
            ("cli", ctx.cli),
            ("record", self.lookup(record.defaults) if record.defaults else {}),
        ]

        def pick(name: str) -> tuple[Any, str | None]:
            for origin, layer in layers:
                value = layer.get(name)
                if value is not None and value != "" and value != []:
                    return value, origin
            return None, None

        kind = _string(own.get("kind"))
        if kind and norm_key(kind) in self.options.not_article_kinds:
            return Reject("not_an_article", index, f"record of kind {kind!r}", self._excerpt(record))
        status = _string(own.get("status"))
        if status and norm_key(status) in self.options.unpublished:
            return Reject("unpublished", index, f"record of status {status!r}", self._excerpt(record))
        title = _string(pick("title")[0])
        text = _string(pick("text")[0], sep="\n\n")  # a list is the text's paragraphs
        if text and looks_like_html(text):  # a nested value too: {"content": {"rendered": "<p>..."}}
            text = clean_field(html_to_text(text)) or None
        if title and ((looks_like_html(title) and title.lstrip().startswith("<p")) or _INLINE_TAG.search(title)):
            # (a search's or an alert's title marks the words searched: `La <b>sécheresse</b> au Maroc`)
            title = clean_field(" ".join(html_to_text(title).split())) or None
        unmapped = self._unmapped_text(record.fields) if not text else None
        if not title and not text:
            detail = "record has neither a title nor a text"
            if unmapped:
                detail += f"; its field {unmapped!r} holds a long text: map it with --field text={unmapped}"
            return Reject("no_text", index, detail, self._excerpt(record))
        if unmapped:  # a headline-only article whose body sits under a name no alias knows (`tekst`)
            self._warn("text_unmapped")
        if self._is_error_page(title, text):
            return Reject("error_page", index, f"title looks like an error page: {title!r}", self._excerpt(record))
        if self._is_consent_wall(text):
            return Reject("error_page", index, "text is a cookie-consent wall", self._excerpt(record))

        url = _url(pick("url")[0])
        url = unwrap_redirect(url) if url else None  # (an alert's `google.com/url?…&url=…`)
        declared_country = _string(pick("source_country")[0])
        source_country = normalise_country(declared_country)
        if declared_country and source_country is None:
            self._warn("country_unknown")
        if source_country is None and self.options.country_from_url:
            source_country = outlet_country(url, self.options.outlets) or domain_country(
                url, self.options.generic_domains
            )
            if source_country is None:  # (an aggregator's link, news.google.com, or none: a press database's)
                source_country = name_country(_string(pick("source")[0]), self.options)
        raw_date, date_from = pick("published")
        raw_date = _date_value(raw_date)
        published = (  # the outlet's country reads `IST` and `12/02/2026` as its press writes them
            parse_datetime(
                raw_date,
                default_tz=self.options.default_timezone,
                country=source_country,
                url=url,
                outlet_clock=self.options.outlet_clocks,
            )
            if raw_date is not None
            else None
        )
        fetched_raw = _date_value(pick("fetched")[0])
        fetched = (
            parse_datetime(fetched_raw, default_tz=self.options.default_timezone) if fetched_raw is not None else None
        )
        if raw_date is not None and published is None:
            # a listing's relative date (`il y a 2 heures`, `3 hours ago`), before the time of the fetch;
            # a day's clock (`Hier à 14h30`) is the outlet's, as a timestamp's without zone is
            zone = outlet_clock_zone(url, source_country, self.options.default_timezone, self.options.outlet_clocks)
            published = relative_datetime(raw_date, fetched, zone)
        if raw_date is not None and published is None:
            self._warn("date_unparsed")
            date_from = None
        if published is None and ctx.path_date is not None:
            published, date_from = ctx.path_date, "path"
        if published is not None and published > self.now:
            self._warn("date_in_future")
            published, date_from = None, None
        if published is None:
            date_from = None

        source = _string(pick("source")[0]) or ctx.path_source
        if source and _HOST.match(source):  # a site named by its domain: one name however written
            source = source.lower().removeprefix("www.")
        if not source and url:
            host = urlsplit(url).hostname or ""
            source = host[4:] if host.startswith("www.") else host
        source = source or "unknown"
        if title:
            title = _without_site_suffix(title, source, url)
        written = _scalar(pick("author")[0])
        written = [_string(item) for item in written] if isinstance(written, list) else _string(written)
        author = author_names(written, self.options.authors, source)
        if ctx.raw_format == "scraped_text" and title and text and names_outlet(title, [source]):
            # the page's first line was the outlet's name (`NRC`, `de Volkskrant`), known once the
            # source is (its folder, its metadata): the headline is chosen again after it, and the
            # byline under it
            again = parse_scraped_text(f"{title}\n{text}", self.options, outlet=source)
            if again.get("title"):
                title, text = again["title"], again["text"] or None
                author = author or again.get("author")
        if author and ctx.raw_format == "scraped_text":
            author = _without_outlet(author, source)
        tags_value, _ = pick("tags")
        record_id = _string(own.get("record_id") if "record_id" in own else pick("record_id")[0])
        return {
            "article_id": article_id(url, source, published, title, text),
            "source": source,
            "source_country": source_country,
            "url": url,
            "title": title,
            "published": published,
            "published_from": date_from,
            "language": normalise_language(_string(pick("language")[0])),
            "text": text,
            "tags": _tags(tags_value),
            "author": author,
            "fetched": fetched,
            "record_id": record_id,
            "raw_path": ctx.raw_path,
            "raw_format": ctx.raw_format,
            "raw_index": index,
        }

    def _unmapped_text(self, fields: Mapping[str, Any]) -> str | None:
        """The first field of a record that no article field reads and that holds a long text."""
        known = {key for keys in self._aliases.values() for key in keys}
        for key, value in fields.items():
            if isinstance(value, str) and len(value) >= _LONG_TEXT and norm_key(str(key)) not in known:
                return str(key)
        return None

    def _is_error_page(self, title: str | None, text: str | None) -> bool:
        pages = self.options.error_pages
        if not title or len(text or "") > pages.max_chars:
            return False
        return any(p.search(title) for p in pages.titles)

    def _is_consent_wall(self, text: str | None) -> bool:
        pages = self.options.error_pages
        if not text or len(text) > pages.max_chars:
            return False
        return any(p.search(text) for p in pages.texts)

    def _excerpt(self, record: Record) -> str:
        parts = [f"{k}={v!s}" for k, v in record.fields.items() if v not in (None, "", [])]
        return " ".join(" ".join(parts).split())[: self.options.excerpt_chars]


#: a title's last part after a separator, where a page's or an API's title names the site
#: (`Le Maroc et l'Espagne signent un accord - Le360`, `… | BBC News`)
_TITLE_TAIL = re.compile(r"\s+(?:[-–—|·•]|::)\s+([^-–—|·•:]{2,60})$")


def _without_site_suffix(title: str, source: str, url: str | None) -> str:
    """A title without the site's name its page or its API glued after it: the last part after a
    separator, when its letters are those of the source's name or of the site's domain name
    (`Le360` of fr.le360.ma), exactly (`Maroc - France` on France 24 keeps its `France`)."""
    found = _TITLE_TAIL.search(title)
    if found is None or found.start() < 12:
        return title
    tail = _site_letters(found.group(1))
    names = {_site_letters(source)} if source != "unknown" else set()
    if url:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        domain = _site_domain(url)  # (`bbc.co.uk`; `le360.ma` of fr.le360.ma)
        names |= {domain.split(".")[0], domain.replace(".", ""), host.replace(".", "")}
    return title[: found.start()].rstrip() if tail and tail in names else title


def _site_letters(value: str) -> str:
    return "".join(ch for ch in fold(value).lower() if ch.isalnum())


def _without_outlet(author: str, source: str) -> str:
    """A byline's name without the outlet's name glued after it (`Chad Morrison Fox News` on
    foxnews.com): its last one to three words, when they name the outlet and two words are left."""
    words = author.split()
    for size in (3, 2, 1):
        if len(words) >= size + 2 and names_outlet(" ".join(words[-size:]), [source]):
            return " ".join(words[:-size])
    return author
