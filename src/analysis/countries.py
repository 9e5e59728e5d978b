"""Country mentions: every way French and English news names a country, resolved to ISO codes.

The gazetteer is built from data, not code: official names in French and English from CLDR
(babel) and pycountry, plus the curated files in ``data/countries/`` (aliases such as ``USA``,
``RDC``, ``Etats-Unis``; demonyms in every inflection; capitals and institution metonyms;
home-country self-references; regions, which are recorded as regions and never as countries; and
context rules). Users add their own in ``analysis.toml`` (``[countries]``).

Matching is one pass of an Aho-Corasick automaton (pyahocorasick) over the text folded to lower
case without accents (same length, so offsets are the clean text's). Then, in order: word
boundaries (so ``Niger`` never fires inside ``Nigeria``, ``Mali`` inside ``Somalie``), case
(capitals written in the gazetteer must be capitals in the text: ``Chad``, ``Bénin``, ``US`` are
not ``chad``, ``bénin``, ``us``; all-caps headlines match everything but word-like acronyms such
as ``EAU``), longest match first (``Guinée-Bissau`` over ``Guinée``, ``golfe de Guinée`` over
``Guinée``), then context rules (first names, the US state of Georgia, Congo-Kinshasa or
-Brazzaville from cue words).
"""

from __future__ import annotations

import bisect
import marshal
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from analysis.engine import Engine
from analysis.periods import period_start

DATA = Path(__file__).parent / "data" / "countries"
KINDS = ("name", "demonym", "capital", "institution", "self")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_NEXT_NAME = re.compile(r" ([A-ZÀ-Ý][^\W\d_]+)")
_NEXT_PARTICLE = re.compile(r" ([^\W\d_]+'?) ?")
_ARTICLE = re.compile(r"(?:le |la |les |the |l')", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r"[,;/]|\b(?:et|and|ou|or)\b")


@dataclass(frozen=True)
class CountryOptions:
    """``[countries]`` options."""

    home_country: str | None = "MA"
    kinds: tuple[str, ...] = KINDS
    western_sahara: str = "EH"
    include_duplicates: bool = False
    periods: tuple[str, ...] = ("day", "week", "month", "quarter")
    extra_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    extra_demonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class Mention(NamedTuple):
    """One country (or region) named in a text; ``start``/``end`` are offsets into that text."""

    code: str  # ISO 3166-1 alpha-2, or a region id for kind "region"
    surface: str
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class _Entry:
    codes: tuple[str, ...]  # several for an ambiguous surface (resolved by context)
    kind: str  # name, demonym, capital, institution, self, region, stop
    surface: str  # as written in the data
    key: str  # cue table for disambiguation, if any
    capitals: tuple[int, ...] = ()  # positions of the surface's capital letters
    article: bool = False  # the surface starts with an article (`Le Caire`), left out of the span


# --- folding that keeps offsets -----------------------------------------------------------------


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    if len(base) == 1:
        low = base
    return {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "\u2011": "-",
        "\u2010": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }.get(low, low)


@cache
def _fold_map() -> dict[int, str]:
    return {code: folded for code in range(0x80, 0x2100) if (folded := _fold_char(chr(code))) != chr(code)}


_FOLDABLE = re.compile("[^\x00-\x7f]")
_NOT_WORD = re.compile(r"[\W_]")
# ASCII bytes that are not letters or digits become spaces (bytes.translate: fast, keeps offsets)
_SPACES = bytes.maketrans(
    bytes(b for b in range(128) if not chr(b).isalnum()), b" " * sum(1 for b in range(128) if not chr(b).isalnum())
)


_SEPARATORS = re.compile("[’‘ʼ«»‹›–—―…“”„•·\u00a0\u202f\u2009\u200a\u2007\u3000\u2010\u2011]")
_COMBINING_MARKS = re.compile("[\u0300-\u036f]")


def _fast_fold(text: str) -> str:
    """Lower case without accents, separators as spaces; same length as ``text`` (else the slow path).

    NFD splits each accented letter into its base letter and combining marks, which are then
    dropped: all in C, several times faster than folding character by character.
    """
    lowered = _SEPARATORS.sub(" ", text.lower())
    if lowered.isascii():
        return lowered if len(lowered) == len(text) else fold_keep_length(text)
    folded = _COMBINING_MARKS.sub("", unicodedata.normalize("NFD", lowered))
    return folded if len(folded) == len(text) else fold_keep_length(text)


def _words_only(folded: str) -> str:
    """The folded text with every ASCII non-letter, non-digit as a space (same length)."""
    return folded.encode("utf-8").translate(_SPACES).decode("utf-8")


def fold_keep_length(text: str) -> str:
    """Lower case, no accents, one apostrophe: a string of exactly the same length."""
    lowered = (
        text.lower()
        if len(text.lower()) == len(text)
        else "".join(_fold_char(c) if len(c.lower()) != 1 else c.lower() for c in text)
    )
    table = _fold_map()
    return _FOLDABLE.sub(lambda m: table.get(ord(m.group()), m.group()), lowered)


# --- the gazetteer ------------------------------------------------------------------------------


def _toml(name: str) -> dict[str, Any]:
    path = DATA / name
    with path.open("rb") as handle:
        return tomllib.load(handle)


@dataclass
class Gazetteer:
    """Every surface form the matcher knows, with the country (or region) it stands for."""

    options: CountryOptions = field(default_factory=CountryOptions)

    def __post_init__(self) -> None:
        import pycountry
        from babel import Locale

        self.entries: dict[str, list[_Entry]] = {}
        self.names: dict[str, tuple[str, str, str]] = {}  # iso2 -> (iso3, English, French)
        self.region_names: dict[str, tuple[str, str]] = {}
        fr, en = Locale("fr").territories, Locale("en").territories
        codes = {c.alpha_2: c for c in pycountry.countries}
        for code, country in codes.items():
            english = getattr(country, "common_name", None) or country.name
            self.names[code] = (country.alpha_3, english, fr.get(code, english))
        self.names["XK"] = ("XKX", "Kosovo", fr.get("XK", "Kosovo"))
        context = _toml("context.toml")
        self._cue_tables = set(context.get("disambiguate", {}))
        aliases = _toml("aliases.toml")
        # generated names: CLDR (French, English) and pycountry
        for code in self.names:
            official = codes.get(code)
            generated: set[str | None] = {fr.get(code), en.get(code)}
            if official is not None:
                generated |= {
                    official.name,
                    getattr(official, "common_name", None),
                    getattr(official, "official_name", None),
                }
            for name in generated:
                if name and "," not in name and "(" not in name:
                    self._add(name, (code,), "name")
        for code, table in aliases.items():
            if code in ("ambiguous",) or not isinstance(table, dict):
                continue
            for form in (*table.get("fr", ()), *table.get("en", ())):
                self._add(form, (code,), "name")
        for code, extra in self.options.extra_aliases.items():
            for form in extra:
                self._add(form, (code,), "name")
        demonyms = _toml("demonyms.toml")
        for code, table in demonyms.items():
            if code == "ambiguous_demonyms" or not isinstance(table, dict):
                continue
            for form in (*table.get("fr", ()), *table.get("en", ())):
                self._add(form, (code,), "demonym")
        for surface, options in demonyms.get("ambiguous_demonyms", {}).items():
            self._add(surface, tuple(options), "demonym")
        for code, extra in self.options.extra_demonyms.items():
            for form in extra:
                self._add(form, (code,), "demonym")
        capitals = _toml("capitals.toml")
        for kind, table_name in (("capital", "capitals"), ("institution", "institutions")):
            for code, table in capitals.get(table_name, {}).items():
                for form in (*table.get("fr", ()), *table.get("en", ())):
                    self._add(form, (code,), kind)
        for surface in capitals.get("no_country", {}).get("surfaces", []):
            self._add(surface, (), "stop")
        home = self.options.home_country
        if home:
            for form in (
                *_toml("self.toml").get(home, {}).get("fr", ()),
                *_toml("self.toml").get(home, {}).get("en", ()),
            ):
                self._add(form, (home,), "self")
        for region, table in _toml("regions.toml").items():
            self.region_names[region] = (table.get("label_en", region), table.get("label_fr", region))
            for form in (*table.get("fr", ()), *table.get("en", ())):
                self._add(form, (region,), "region")
        for phrase in context.get("not_country", []):
            self._add(phrase, (), "stop")
        self.context = context

    def _add(self, surface: str, codes: tuple[str, ...], kind: str) -> None:
        surface = surface.strip().replace("’", "'")
        if not surface:
            return
        key = fold_keep_length(surface)
        bucket = self.entries.setdefault(key, [])
        if any(e.kind == kind and e.codes == codes and e.surface == surface for e in bucket):
            return
        # a surface meaning several countries is resolved with the cue words of its table
        cue = ""
        if key in self._cue_tables or len(codes) > 1:
            cue = next(
                (t for t in sorted(self._cue_tables) if key == t or (len(codes) > 1 and key.startswith(t))),
                "",
            )
        capitals = tuple(i for i, ch in enumerate(surface) if ch.isupper())
        leading = _ARTICLE.match(surface)
        article = leading is not None and 0 < leading.end() < len(surface)
        bucket.append(_Entry(codes, kind, surface, cue, capitals, article))

    def automata(self) -> tuple[Any, Any]:
        """Two Aho-Corasick automata: words over folded text, acronyms over the text as written.

        Acronyms (`US`, `UE`, `EAU`, `U.S.`) must be written in capitals, and their lower-case
        forms are everywhere inside words (`us`, `ue`, `eau`): matching them on the original text
        keeps the folded pass from stopping at every `ue` of `que`.
        """
        import ahocorasick

        words, acronyms = ahocorasick.Automaton(), ahocorasick.Automaton()
        for key, entries in self.entries.items():
            if all(e.surface.isupper() for e in entries):
                for surface in {e.surface for e in entries}:
                    acronyms.add_word(surface, (len(surface), tuple(e for e in entries if e.surface == surface), False))
            else:
                # keys are whole words: punctuation made spaces, one space on each side (the text
                # gets the same treatment), so the automaton only reports word-bounded matches
                spaced = f" {_NOT_WORD.sub(' ', key)} "
                merged = (*words.get(spaced, (0, ()))[1], *entries)
                words.add_word(spaced, (len(spaced), merged, any(e.capitals for e in merged)))
        words.make_automaton()
        if len(acronyms):
            acronyms.make_automaton()
        return words, acronyms


# --- matching -----------------------------------------------------------------------------------


_LOWER = re.compile(r"[^\W\d_A-ZÀ-ÞĀ-Ž]")  # lower-case letters (and uncased scripts)
_UPPER = re.compile(r"[A-ZÀ-Þ]")


def _shouting(text: str, start: int) -> bool:
    """True when the line holding ``start`` is written in capitals (a headline)."""
    line_start = max(text.rfind("\n", max(0, start - 200), start) + 1, start - 200)
    line_end = text.find("\n", start, start + 200)
    line = text[line_start : line_end if line_end >= 0 else start + 200]
    upper = len(_UPPER.findall(line))
    return upper >= 8 and upper / (upper + len(_LOWER.findall(line))) > 0.8


class CountryMatcher:
    """Finds country and region mentions in texts (build once, then call :meth:`find` per text)."""

    def __init__(self, options: CountryOptions | None = None, gazetteer: Gazetteer | None = None) -> None:
        self.options = options or CountryOptions()
        self.gazetteer = gazetteer or Gazetteer(self.options)
        self._words, self._acronyms = self.gazetteer.automata()
        context = self.gazetteer.context
        self._first_names = {fold_keep_length(s) for s in context.get("first_names", [])}
        self._particles = {fold_keep_length(s) for s in context.get("particles", [])}
        self._titles = {fold_keep_length(s) for s in context.get("titles", [])}
        self._require = {
            fold_keep_length(k): [fold_keep_length(w) for w in v] for k, v in context.get("require_any", {}).items()
        }
        self._cues = {
            name: {code: [fold_keep_length(w) for w in words] for code, words in table.items() if code != "default"}
            for name, table in context.get("disambiguate", {}).items()
        }
        self._defaults = {name: table.get("default") for name, table in context.get("disambiguate", {}).items()}
        self._word_acronyms = set(context.get("word_acronyms", []))
        self._languages = {fold_keep_length(w) for w in context.get("languages", [])}
        self._language_words = self._languages | {fold_keep_length(w) for w in context.get("language_only", [])}
        self._language_cues = {fold_keep_length(w) for w in context.get("language_cues", [])}
        self._require_prev = {
            fold_keep_length(k): [fold_keep_length(w) for w in v] for k, v in context.get("require_prev", {}).items()
        }
        self._kinds = set(self.options.kinds) | {"region"}
        # keys with a context rule: every other match is accepted without looking around it
        self._checked = (
            self._first_names
            | set(self._require)
            | set(self._require_prev)
            | self._languages
            | {fold_keep_length(a) for a in self._word_acronyms}
        )

    def find(self, text: str | None, *, context: str | None = None) -> list[Mention]:
        """Mentions in ``text``; ``context`` (e.g. title and text together) helps disambiguate."""
        return self.find_many([text], [context])[0]

    def find_many(self, texts: list[str | None], contexts: list[str | None] | None = None) -> list[list[Mention]]:
        """Mentions in each text, found in one pass over them all (offsets are per text).

        ``contexts[i]`` (e.g. the article's title and text) helps disambiguate ``texts[i]``.
        """
        pieces = [t or "" for t in texts]
        starts: list[int] = []
        position = 0
        for piece in pieces:
            starts.append(position)
            position += len(piece) + 2
        text = "\n\n".join(pieces)  # blank lines: no match or headline spans two texts
        folded = _fast_fold(text)
        candidates: list[tuple[int, int, int, int, tuple[_Entry, ...]]] = []  # start, -length, seq, end
        size = len(folded)
        spaced = f" {_words_only(folded)} "
        for end_index, (length, entries, cased) in self._words.iter(spaced):
            start = end_index - length + 1  # the key's leading space is the padding's offset
            end = start + length - 2
            if cased:  # the gazetteer's capitals must be capitals in the text
                entries = tuple(e for e in entries if all(text[start + i].isupper() for i in e.capitals))
                if not entries:
                    continue
            candidates.append((start, start - end, len(candidates), end, entries))
        if len(self._acronyms):
            for end_index, (length, entries, _) in self._acronyms.iter(text):
                start, end = end_index - length + 1, end_index + 1
                if (start > 0 and folded[start - 1].isalnum()) or (end < size and folded[end].isalnum()):
                    continue
                candidates.append((start, start - end, len(candidates), end, entries))
        candidates.sort()  # by start, then longest first
        results: list[list[Mention]] = [[] for _ in pieces]
        pending: list[list[tuple[int, int, _Entry]]] = [[] for _ in pieces]
        wholes: dict[int, str] = {}

        def whole(i: int) -> str:
            if i not in wholes:
                context = contexts[i] if contexts is not None else None
                wholes[i] = (
                    fold_keep_length(context) if context is not None else folded[starts[i] : starts[i] + len(pieces[i])]
                )
            return wholes[i]

        taken_until = -1
        kinds, checked = self._kinds, self._checked
        for start, _, _, end, entries in candidates:
            if start < taken_until:
                continue
            taken_until = end
            entry = entries[0]
            if entry.kind == "stop" or entry.kind not in kinds:
                continue
            index = bisect.bisect_right(starts, start) - 1
            if (entry.kind == "self" or folded[start:end] in checked) and not self._accept(
                text, folded, start, end, entry, partial(whole, index)
            ):
                continue
            if entry.article:
                start, _ = self._without_article(text, start, end)
            base = starts[index]
            if len(entry.codes) == 1 and not entry.key:
                surface = text[start:end]
                results[index].append(
                    Mention(self._policy(entry.codes[0]), surface, start - base, end - base, entry.kind)
                )
            else:
                pending[index].append((start - base, end - base, entry))
        for index, waiting in enumerate(pending):
            if not waiting:
                continue
            known = {m.code for m in results[index]}
            for start, end, entry in waiting:
                code = self._resolve(entry, whole(index), known)
                if code:
                    results[index].append(Mention(self._policy(code), pieces[index][start:end], start, end, entry.kind))
            results[index].sort(key=lambda m: m.start)
        return results

    def _accept(self, text: str, folded: str, start: int, end: int, entry: _Entry, whole: Callable[[], str]) -> bool:
        """The context rules: acronyms in headlines, first names, cue words, languages, particles."""
        key = folded[start:end]
        original = text[start:end]
        if "." not in original and original.isupper() and original in self._word_acronyms and _shouting(text, start):
            return False
        if (
            key in self._first_names
            and not _shouting(text, start)
            and self._looks_like_person(text, folded, start, end)
        ):
            return False
        if key in self._require and not any(w in whole() for w in self._require[key]):
            return False
        if key in self._require_prev:
            before = folded[max(0, start - 30) : start].rstrip()
            if not any(before.endswith(w) for w in self._require_prev[key]):
                return False
        if key in self._languages and self._names_language(text, folded, start, end):
            return False
        return not (entry.kind == "self" and self._followed_by_particle(folded, end))

    def _policy(self, code: str) -> str:
        return self.options.western_sahara if code == "EH" else code

    def _resolve(self, entry: _Entry, whole: str, known: set[str]) -> str | None:
        if entry.key and entry.key in self._cues:
            for code, words in self._cues[entry.key].items():
                if any(w in whole for w in words):
                    return code
            default = self._defaults.get(entry.key)
            if entry.codes and default not in entry.codes and len(entry.codes) == 1:
                return entry.codes[0]
            return default
        for code in entry.codes:
            if code in known:
                return code
        return entry.codes[0] if entry.codes else None

    def _looks_like_person(self, text: str, folded: str, start: int, end: int) -> bool:
        """A first name: followed directly by a capitalised word (`Jordan Bardella`) or a particle
        and one (`Dominique de Villepin`), or preceded by a title (`M.`, `Mr`)."""
        following = _NEXT_NAME.match(text, end)
        if following and fold_keep_length(following.group(1)) not in self.gazetteer.entries:
            return True
        particle = _NEXT_PARTICLE.match(folded, end)
        if particle and particle.group(1) in self._particles and text[particle.end() : particle.end() + 1].isupper():
            return True
        before = _WORD.findall(folded[max(0, start - 20) : start])
        return bool(before) and before[-1].rstrip(".") in self._titles

    def _followed_by_particle(self, folded: str, end: int) -> bool:
        particle = _NEXT_PARTICLE.match(folded, end)
        return bool(particle and particle.group(1) in self._particles) or folded[end : end + 4] in ("-uni", " uni")

    def _names_language(self, text: str, folded: str, start: int, end: int) -> bool:
        """A language name used for the language: `en français`, `le français`, in a list of languages."""
        before = _WORD.findall(folded[max(0, start - 25) : start])
        if before and before[-1] in self._language_cues and text[start : start + 1].islower():
            return True
        if before and before[-1] in ("en", "in"):
            return True
        left = _LIST_SEPARATOR.split(folded[max(0, start - 30) : start])
        right = _LIST_SEPARATOR.split(folded[end : end + 30])
        items = []
        if len(left) >= 2 and not left[-1].strip():
            items += _WORD.findall(left[-2])[-1:]
        if len(right) >= 2 and not right[0].strip():
            items += _WORD.findall(right[1])[:1]
        return any(w in self._language_words for w in items)

    @staticmethod
    def _without_article(text: str, start: int, end: int) -> tuple[int, str]:
        """Mentions exclude a leading article (`Le Caire` -> `Caire`, `La Valette` -> `Valette`)."""
        match = _ARTICLE.match(text, start, end)
        if match and match.end() < end:
            return match.end(), text[match.end() : end]
        return start, text[start:end]

    def country(self, code: str) -> tuple[str | None, str | None, str | None]:
        """(ISO3, English name, French name) of an ISO2 code."""
        return self.gazetteer.names.get(code, (None, None, None))


# --- pandas functions ----------------------------------------------------------------------------


@cache
def default_matcher() -> CountryMatcher:
    return CountryMatcher()


def find_countries(text: str, matcher: CountryMatcher | None = None) -> pd.DataFrame:
    """Country mentions in one text, as a DataFrame (iso2, iso3, country, country_fr, surface, start, end, kind)."""
    rows, _ = mention_rows("", None, text, matcher or default_matcher())
    columns = ["iso2", "iso3", "country", "country_fr", "surface", "start", "end", "kind"]
    return pd.DataFrame(rows, columns=["article_id", *columns, "in_title"])[columns]


def mention_rows(
    article_id: str, title: str | None, text: str | None, matcher: CountryMatcher
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Country rows and region rows of one article (title and clean text)."""
    return batch_mention_rows([(article_id, title, text)], matcher)


def batch_mention_rows(
    articles: Iterable[tuple[str, str | None, str | None]], matcher: CountryMatcher
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Country rows and region rows of many articles, matched in one pass."""
    texts: list[str | None] = []
    contexts: list[str | None] = []
    where: list[tuple[str, bool]] = []
    for article_id, title, text in articles:
        context = "\n".join(x for x in (title, text) if x)
        for in_title, value in ((True, title), (False, text)):
            texts.append(value)
            contexts.append(context)
            where.append((article_id, in_title))
    countries: list[dict[str, Any]] = []
    regions: list[dict[str, Any]] = []
    for (article_id, in_title), found in zip(where, matcher.find_many(texts, contexts), strict=True):
        for m in found:
            if m.kind == "region":
                region_en, region_fr = matcher.gazetteer.region_names.get(m.code, (m.code, m.code))
                regions.append(
                    {
                        "article_id": article_id,
                        "region": m.code,
                        "region_en": region_en,
                        "region_fr": region_fr,
                        "surface": m.surface,
                        "start": m.start,
                        "end": m.end,
                        "in_title": in_title,
                    }
                )
                continue
            iso3, english, french = matcher.country(m.code)
            countries.append(
                {
                    "article_id": article_id,
                    "iso2": m.code,
                    "iso3": iso3,
                    "country": english,
                    "country_fr": french,
                    "surface": m.surface,
                    "start": m.start,
                    "end": m.end,
                    "kind": m.kind,
                    "in_title": in_title,
                }
            )
    return countries, regions


def extract_mentions(df: pd.DataFrame, matcher: CountryMatcher | None = None) -> pd.DataFrame:
    """Country mentions of every article of a frame with ``article_id``, ``title``, ``text``."""
    articles = (
        (a, t if isinstance(t, str) else None, x if isinstance(x, str) else None)
        for a, t, x in zip(df["article_id"], df["title"], df["text"], strict=True)
    )
    rows, _ = batch_mention_rows(articles, matcher or default_matcher())
    columns = ["article_id", "iso2", "iso3", "country", "country_fr", "surface", "start", "end", "kind", "in_title"]
    return pd.DataFrame(rows, columns=columns)


def country_periods(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    periods: Iterable[str],
    *,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Articles and mentions per country per period, with the share of the period's articles."""
    counts, totals = _period_counts(mentions, articles, periods, include_duplicates=include_duplicates)
    return _with_share(counts, totals)


_PERIOD_KEYS = ["period_type", "period", "iso2", "iso3", "country", "country_fr"]


def _period_counts(
    mentions: pd.DataFrame, articles: pd.DataFrame, periods: Iterable[str], *, include_duplicates: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per period: articles and mentions of each country, and the period's articles (both additive)."""
    base = articles if include_duplicates else articles[articles["duplicate_of"].isna()]
    base = base[base["published"].notna()]
    keep = mentions[mentions["article_id"].isin(base["article_id"])]
    frames, total_frames = [], []
    for period in periods:
        dated = pd.DataFrame(
            {"article_id": base["article_id"].astype(str), "period": period_start(base["published"], period)}
        )
        totals = dated.groupby("period").size().rename("period_articles").reset_index()
        totals.insert(0, "period_type", period)
        total_frames.append(totals)
        joined = keep.assign(article_id=keep["article_id"].astype(str)).merge(dated, on="article_id")
        grouped = joined.groupby(["period", "iso2", "iso3", "country", "country_fr"], observed=True)
        table = pd.DataFrame({"articles": grouped["article_id"].nunique(), "mentions": grouped.size()}).reset_index()
        table.insert(0, "period_type", period)
        frames.append(table)
    counts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*_PERIOD_KEYS, "articles"])
    totals = pd.concat(total_frames, ignore_index=True) if total_frames else pd.DataFrame()
    return counts, totals


def _add_up(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """Counts of several batches summed per key (each article is in one batch, so counts add)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame()
    joined = pd.concat(frames, ignore_index=True)
    return joined.groupby(keys, observed=True, sort=False).sum().reset_index()


def _with_share(counts: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    if not len(counts):
        return pd.DataFrame()
    table = counts.merge(totals, on=["period_type", "period"])
    table["share_articles"] = table["articles"] / table["period_articles"]
    return table.sort_values(
        ["period_type", "period", "articles", "iso2"], ascending=[True, True, False, True], kind="stable"
    ).reset_index(drop=True)


def co_mentions(mentions: pd.DataFrame, articles: pd.DataFrame, *, include_duplicates: bool = False) -> pd.DataFrame:
    """Pairs of countries named in the same article, with the number of such articles."""
    base = articles if include_duplicates else articles[articles["duplicate_of"].isna()]
    keep = mentions[mentions["article_id"].isin(base["article_id"])]
    pairs: Counter[tuple[str, str]] = Counter()
    for _, codes in keep.groupby("article_id")["iso2"]:
        unique = sorted(set(codes))
        for i, a in enumerate(unique):
            for b in unique[i + 1 :]:
                pairs[(a, b)] += 1
    rows = [{"iso2_a": a, "iso2_b": b, "articles": n} for (a, b), n in pairs.items()]
    out = pd.DataFrame(rows, columns=["iso2_a", "iso2_b", "articles"])
    return out.sort_values(["articles", "iso2_a", "iso2_b"], ascending=[False, True, True], kind="stable").reset_index(
        drop=True
    )


def _pair_counts(rows: Iterable[Mapping[str, Any]], counted: set[str] | None) -> Counter[tuple[str, str]]:
    """What :func:`co_mentions` counts, from mention rows (``counted``: the articles to count, None = all)."""
    named: dict[str, set[str]] = {}
    for row in rows:
        if counted is None or row["article_id"] in counted:
            named.setdefault(row["article_id"], set()).add(row["iso2"])
    pairs: Counter[tuple[str, str]] = Counter()
    for codes in named.values():
        if len(codes) > 1:
            unique = sorted(codes)
            pairs.update((a, b) for i, a in enumerate(unique) for b in unique[i + 1 :])
    return pairs


# --- the stage ----------------------------------------------------------------------------------

MENTIONS_FILE = "country_mentions.parquet"
REGIONS_FILE = "region_mentions.parquet"
PERIODS_FILE = "country_periods.parquet"
PAIRS_FILE = "country_pairs.parquet"


def run_stage(
    articles: Path,
    out_dir: Path,
    options: CountryOptions,
    *,
    batch_size: int = 2000,
    engine: Engine | None = None,
    work_dir: Path | None = None,
    cache: Path | None = None,
    fresh: bool = False,
    cache_counts: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Country and region mentions of a processed article table, then the aggregates.

    Each batch is a task on ``engine`` (default: this process): its mentions, and its additive
    counts per period and per pair of countries, combined here in batch order, so memory holds
    the aggregates, never the whole mentions table. With ``cache`` (a file of
    :mod:`analysis.cache`), the mentions of a title and text matched by an earlier build are
    reused (unless ``fresh``: the cache then starts empty); its use goes to ``cache_counts``.
    """
    from analysis.cache import ResultCache
    from analysis.engine import SerialEngine, row_group_tasks, share
    from analysis.io.store import ParquetWriter
    from analysis.schema import COUNTRY_MENTION_SCHEMA, REGION_MENTION_SCHEMA

    engine = engine or SerialEngine()
    results_cache = ResultCache(cache, fresh=fresh) if cache else None
    fingerprint = mention_fingerprint(options) if cache else ""
    context = share((options, str(cache) if cache else None, fingerprint), (work_dir or out_dir) / ".countries.pkl")
    mentions_out = ParquetWriter(out_dir / MENTIONS_FILE, COUNTRY_MENTION_SCHEMA)
    regions_out = ParquetWriter(out_dir / REGIONS_FILE, REGION_MENTION_SCHEMA)
    counts: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    period_parts: list[pd.DataFrame] = []
    total_parts: list[pd.DataFrame] = []
    countries_seen: set[str] = set()
    try:
        tasks = ((str(context), str(articles), groups) for groups in row_group_tasks(articles, batch_size))
        for result in engine.map(_country_task, tasks):
            if results_cache:
                results_cache.add(result.cache_new)
                results_cache.used(result.cache_hits)
            counts.update(result.counts)
            pairs.update(result.pairs)
            countries_seen.update(result.mentions.column("iso2").to_pylist())
            mentions_out.write(result.mentions)
            regions_out.write(result.regions)
            period_parts.append(result.periods)
            total_parts.append(result.totals)
            if len(period_parts) >= 32:  # fold: memory holds the aggregates, not every batch's
                period_parts = [_add_up(period_parts, _PERIOD_KEYS)]
                total_parts = [_add_up(total_parts, ["period_type", "period"])]
        mentions_out.close()
        regions_out.close()
        if results_cache:
            used = results_cache.finish()
            if cache_counts is not None:
                cache_counts.update(used)
    except BaseException:
        mentions_out.abort()
        regions_out.abort()
        if results_cache:
            results_cache.close()
        raise
    finally:
        context.unlink(missing_ok=True)
    periods = _with_share(_add_up(period_parts, _PERIOD_KEYS), _add_up(total_parts, ["period_type", "period"]))
    rows = [{"iso2_a": a, "iso2_b": b, "articles": n} for (a, b), n in pairs.items()]
    pair_table = pd.DataFrame(rows, columns=["iso2_a", "iso2_b", "articles"])
    pair_table = pair_table.sort_values(
        ["articles", "iso2_a", "iso2_b"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
    _write_aggregates(out_dir, periods, pair_table)
    counts["countries"] = len(countries_seen)
    return dict(sorted(counts.items()))


def _write_aggregates(out_dir: Path, periods: pd.DataFrame, pairs: pd.DataFrame) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.io.store import atomic_path
    from analysis.schema import COUNTRY_PAIR_COLUMNS, COUNTRY_PERIOD_COLUMNS, arrow_schema

    for frame, name, columns in (
        (periods, PERIODS_FILE, COUNTRY_PERIOD_COLUMNS),
        (pairs, PAIRS_FILE, COUNTRY_PAIR_COLUMNS),
    ):
        schema = arrow_schema(columns)
        if not len(frame):
            frame = pd.DataFrame({c.name: [] for c in columns})
        table = pa.Table.from_pandas(frame[[c.name for c in columns]], preserve_index=False).cast(schema)
        with atomic_path(out_dir / name) as tmp:
            pq.write_table(table, tmp, compression="zstd")


@dataclass
class _BatchMentions:
    mentions: Any  # pa.Table
    regions: Any  # pa.Table
    counts: Counter[str]
    periods: pd.DataFrame
    totals: pd.DataFrame
    pairs: Counter[tuple[str, str]]
    cache_new: list[tuple[bytes, bytes]] = field(default_factory=list)  # (key, value) computed by this batch
    cache_hits: list[bytes] = field(default_factory=list)  # keys read back from the cache


_MATCHERS: dict[str, CountryMatcher] = {}

# the columns of a cached mention (the article id is the row's, not the text's)
_COUNTRY_FIELDS = ("iso2", "iso3", "country", "country_fr", "surface", "start", "end", "kind", "in_title")
_REGION_FIELDS = ("region", "region_en", "region_fr", "surface", "start", "end", "in_title")


def mention_fingerprint(options: CountryOptions) -> str:
    """What the mentions of a text depend on besides the text: the options, this code, the gazetteer's data."""
    import sys

    from analysis.cache import code_digest

    code = code_digest(
        sys.modules[__name__], Path(__file__).parent / "data" / "countries", "babel", "pycountry", "pyahocorasick"
    )
    return repr((code, marshal.version, options))


def _cached_mention_rows(
    rows: list[dict[str, Any]], matcher: CountryMatcher, cache_path: str | None, fingerprint: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[bytes, bytes]], list[bytes]]:
    """:func:`batch_mention_rows` of ``rows``, reading and giving back per-article cache entries."""
    from analysis.cache import entry_key, lookup, pack, unpack

    articles = [(r["article_id"], r["title"], r["text"]) for r in rows]
    if not cache_path:
        return (*batch_mention_rows(articles, matcher), [], [])
    keys = [entry_key(fingerprint, title, text) for _, title, text in articles]
    found = lookup(cache_path, keys)
    todo = [article for article, key in zip(articles, keys, strict=True) if key not in found]
    new_countries, new_regions = batch_mention_rows(todo, matcher)
    by_article: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {a[0]: ([], []) for a in todo}
    for row in new_countries:
        by_article[row["article_id"]][0].append(row)
    for row in new_regions:
        by_article[row["article_id"]][1].append(row)
    countries: list[dict[str, Any]] = []
    regions: list[dict[str, Any]] = []
    new_entries: list[tuple[bytes, bytes]] = []
    for (article_id, _, _), key in zip(articles, keys, strict=True):
        if key in found:
            country_values, region_values = marshal.loads(unpack(found[key]))
            countries.extend(
                {"article_id": article_id, **dict(zip(_COUNTRY_FIELDS, v, strict=True))} for v in country_values
            )
            regions.extend(
                {"article_id": article_id, **dict(zip(_REGION_FIELDS, v, strict=True))} for v in region_values
            )
            continue
        own_countries, own_regions = by_article[article_id]
        countries.extend(own_countries)
        regions.extend(own_regions)
        value = (
            [tuple(r[f] for f in _COUNTRY_FIELDS) for r in own_countries],
            [tuple(r[f] for f in _REGION_FIELDS) for r in own_regions],
        )
        new_entries.append((key, pack(marshal.dumps(value))))
    return countries, regions, new_entries, [key for key in keys if key in found]


def _country_task(task: tuple[str, str, tuple[int, ...]]) -> _BatchMentions:
    """Mentions and additive aggregates of one batch of articles (what a worker runs)."""
    import pyarrow as pa

    from analysis.engine import read_row_groups, shared
    from analysis.schema import COUNTRY_MENTION_SCHEMA, REGION_MENTION_SCHEMA

    context, articles, groups = task
    options: CountryOptions
    options, cache_path, fingerprint = shared(context)
    key = repr(options)
    matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = _MATCHERS[key] = CountryMatcher(options)
    table = read_row_groups(Path(articles), groups, ["article_id", "title", "text", "published", "duplicate_of"])
    rows = table.select(["article_id", "title", "text"]).to_pylist()
    country_rows, region_rows, cache_new, cache_hits = _cached_mention_rows(rows, matcher, cache_path, fingerprint)
    counts: Counter[str] = Counter()
    counts["articles"] += len(rows)
    counts["articles_with_country"] += len({r["article_id"] for r in country_rows})
    for row in country_rows:
        counts[f"kind:{row['kind']}"] += 1
    counts["mentions"] += len(country_rows)
    counts["region_mentions"] += len(region_rows)
    mentions = pa.Table.from_pylist(country_rows, schema=COUNTRY_MENTION_SCHEMA)
    meta = table.select(["article_id", "published", "duplicate_of"]).to_pandas(types_mapper=pd.ArrowDtype)
    frame = mentions.to_pandas(types_mapper=pd.ArrowDtype)
    periods, totals = _period_counts(frame, meta, options.periods, include_duplicates=options.include_duplicates)
    counted = None if options.include_duplicates else set(meta["article_id"][meta["duplicate_of"].isna()].tolist())
    pairs = _pair_counts(country_rows, counted)
    regions = pa.Table.from_pylist(region_rows, schema=REGION_MENTION_SCHEMA)
    return _BatchMentions(mentions, regions, counts, periods, totals, pairs, cache_new, cache_hits)
