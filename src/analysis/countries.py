"""Country mentions: every way French and English news names a country, resolved to ISO codes.

The gazetteer is built from data, not code: official names in French and English from CLDR
(babel) and pycountry, plus the curated files in ``data/countries/`` (aliases such as ``USA``,
``RDC``, ``Etats-Unis``; demonyms in every inflection; capitals and institution metonyms;
home-country self-references; regions, which are recorded as regions and never as countries; and
context rules). Users add their own in ``analysis.toml`` (``[countries]``). An article in another
language of the ``languages`` option is also matched with that language's names (CLDR, and
``languages.toml``): :meth:`CountryMatcher.for_language`.

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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, partial
from itertools import chain, islice, pairwise, product, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from analysis.cache import CacheRef, CacheUse, FileRef, stored_entry
from analysis.engine import Engine
from analysis.periods import period_start
from analysis.text import MARKS, UNSPACED, bmp_table, chinese_segmenter

if TYPE_CHECKING:
    from analysis.io.store import PartsWriter

DATA = Path(__file__).parent / "data" / "countries"
KINDS = ("name", "demonym", "capital", "institution", "self")  # counted by default
# `place`: a place inside one country that the news uses for it (Gaza, Crimée, Écosse), counted
# only when listed in the `kinds` option; off, it still keeps a shorter name inside it from
# counting (`Irlande du Nord` is not Ireland, `Jérusalem-Est` not Israel's capital)
ALL_KINDS = (*KINDS, "place")
# (a word's combining marks are part of it: Hindi and Bengali vowel signs, `सेनेगल`, `মালি`)
_WORD = re.compile(rf"[^\W_](?:[^\W_]|[{MARKS}])*(?:'[^\W_](?:[^\W_]|[{MARKS}])*)?")
_NEXT_NAME = re.compile(r" ([A-ZÀ-Ý][^\W\d_]+)")
_NEXT_WORD = re.compile(r"[ \t]+([^\W_]+)")
_NEXT_PARTICLE = re.compile(r" ([^\W\d_]+'?) ?")
# a capitalised word, then the name (any Latin letters: Vietnamese `Trần Văn Nhật`)
_PREVIOUS_NAME = re.compile(r"(?<![^\W\d_])([^\W\d_]+) $")
_ARTICLE = re.compile(r"(?:le |la |les |the |l')", re.IGNORECASE)
# (and, or: French, English, and the other languages with names of languages in languages.toml)
_CONJUNCTIONS = ("et", "and", "ou", "or", "y", "e", "o", "u", "ed", "und", "oder", "en", "of", "او")


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
    # languages whose own country names (CLDR, and languages.toml) are also matched in the
    # articles detected in them
    languages: tuple[str, ...] = (
        "ar", "de", "es", "it", "pt", "nl", "ru", "uk", "tr", "pl", "id", "zh", "ja", "ko", "hi", "ur", "bn",
        "sw", "fa", "he", "vi", "th", "ms", "tl",
        "sv", "da", "nb", "fi", "el", "cs", "hu", "ro",
        "hr", "sr", "bs", "sl", "bg", "mk", "sq", "lt", "lv", "et",
    )  # fmt: skip

    def __post_init__(self) -> None:
        unknown = sorted(set(self.kinds) - set(ALL_KINDS))
        if unknown:
            raise ValueError(f"countries.kinds: unknown kind(s) {', '.join(unknown)}; known: {', '.join(ALL_KINDS)}")
        from babel import Locale, UnknownLocaleError

        def named(code: str) -> bool:
            # (an alias CLDR resolves counts: Tagalog's ISO 639-1 `tl`, which lingua gives, is its `fil`)
            try:
                return code.isalpha() and bool(Locale.parse(code).territories)
            except (UnknownLocaleError, ValueError):
                return False

        nameless = [code for code in self.languages if not named(code)]
        if nameless:
            raise ValueError(f"countries.languages: no CLDR country names for {', '.join(map(repr, nameless))}")
        if self.home_country is not None:
            home = str(self.home_country).strip().upper()
            if home not in alpha_2_codes():
                raise ValueError(
                    f"countries.home_country: {self.home_country!r} is no ISO 3166-1 alpha-2 code "
                    "(such as 'MA'; empty for none)"
                )
            object.__setattr__(self, "home_country", home)


@cache
def alpha_2_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code (pycountry's), and Kosovo's XK."""
    import pycountry

    return frozenset({country.alpha_2 for country in pycountry.countries} | {"XK"})


_Found = tuple[str, str, int, int, str]  # a Mention's fields, as a plain tuple


class _Columns(NamedTuple):
    """The mentions in a batch of texts, column by column, by text then start."""

    text: np.ndarray  # the place of each mention's text in the batch
    code: list[str]
    surface: list[str]
    start: list[int]
    end: list[int]
    kind: list[str]


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
    lead: int = 0  # characters of an attached prefix (Arabic `بالمغرب`), left out of the span
    # Arabic marks the surface is written with (:func:`_marks_of`), which the text must have:
    # CLDR's `عُمان` (Oman) is not `عمان` (also Amman)
    marks: tuple[tuple[int, str], ...] = ()
    # punctuation ending the surface (`Washington D.C.`, `Opec+`), no part of its key: in the
    # mention when the text has it there
    tail: str = ""


# --- folding that keeps offsets -----------------------------------------------------------------


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    if len(base) == 1:
        # (Turkish `İ`, whose lower case is two characters, is `i` once its dot is gone: `İranlı`
        # folded as the text `İranlılar` is)
        low = base.lower() if len(base.lower()) == 1 else base
    return _CHAR_FOLDS.get(low, low)


@cache
def _fold_map() -> dict[int, str]:
    return {code: folded for code in range(0x80, 0x2100) if (folded := _fold_char(chr(code))) != chr(code)}


_FOLDABLE = re.compile("[^\x00-\x7f]")
_NOT_WORD = re.compile(rf"[^\w{MARKS}]|_")  # (a combining mark is part of a word: `मोरक्को`)
#: A name written in a script without spaces between words (Chinese, Japanese, Thai...), whose key
#: is matched with no space around it; one in Hangul, whose key has no space after it.
_UNSPACED_NAME = re.compile(f"[{UNSPACED}]+")
#: Chinese characters (a name of them alone is looked at by the word segmenter)
_HAN_WORD = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: a Chinese character or a digit (before a compound of initials: see CountryMatcher._accept)
_HAN_OR_DIGIT = re.compile("[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9\uff10-\uff19]")
#: the scripts whose runs are words for `whole_runs` (katakana: its prolonged-sound mark too, not
#: the middle dot `・` that parts words)
_SCRIPT_RUNS = {"katakana": "\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"}
_HANGUL_NAME = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af ]+")
# ASCII bytes that are not letters or digits become spaces (bytes.translate: fast, keeps offsets)
_SPACES = bytes.maketrans(
    bytes(b for b in range(128) if not chr(b).isalnum()), b" " * sum(1 for b in range(128) if not chr(b).isalnum())
)


# (the zero-width non-joiner, inside Persian words and names, `اسلام‌آباد`, and before a plural's
# ending, `ایرانی‌ها`, as a space: as the press writes the name too, `اسلام آباد`)
_SEPARATORS = re.compile("[’‘ʼ«»‹›–—―…“”„•·\u00a0\u202f\u2009\u200a\u2007\u3000\u2010\u2011\u200c]")
# Arabic punctuation folded as its ASCII twin, so that it ends a word (`المغرب، والجزائر`) and
# separates the items of a list as a comma does; so is the danda of Hindi and Bengali, their full
# stop (`भारत।`, `বাংলাদেশ।`); Hebrew's geresh and gershayim as the apostrophe and the quote most
# Israeli sites type for them (CLDR's `צ׳כיה`, the press's `צ'כיה`; `ארה״ב`, `ארה"ב`)
_TWINS = {
    "\u060c": ",", "\u061b": ";", "\u061f": "?", "\u06d4": ".", "\u0964": ".", "\u0965": ".",
    "\u05f3": "'", "\u05f4": '"',
}  # fmt: skip
_TWINS_TABLE = str.maketrans(_TWINS)
# what a character folds to beyond its lower case without accents (_fold_char)
_CHAR_FOLDS = {
    **{"’": "'", "‘": "'", "ʼ": "'", "`": "'", "\u2011": "-", "\u2010": "-", "\u00a0": " ", "\u202f": " "},
    "\u200c": " ",
    **_TWINS,
}
_COMBINING_MARKS = re.compile("[\u0300-\u036f]")
# Arabic marks written on a letter (short vowels and tanwin, shadda, sukun, the superscript alef,
# honorifics and Quranic marks) and the tatweel that stretches a word: a name is the same with or
# without them, so a text's are taken out before matching (:func:`_without_marks`)
_ARABIC_MARK_RANGES = (
    (0x610, 0x61A),  # honorifics and Quranic signs above letters
    (0x640, 0x640),  # tatweel
    (0x64B, 0x65F),  # tanwin, short vowels, shadda, sukun, maddah, hamza above and below...
    (0x670, 0x670),  # superscript alef
    (0x6D6, 0x6DC),  # Quranic annotation (the end of ayah and the symbols between, no marks, are left)
    (0x6DF, 0x6E4),
    (0x6E7, 0x6E8),
    (0x6EA, 0x6ED),
)
_ARABIC_MARKS = re.compile("[" + "".join(f"{chr(first)}-{chr(last)}" for first, last in _ARABIC_MARK_RANGES) + "]")


def _fast_fold(text: str) -> str:
    """Lower case without accents, separators as spaces; same length as ``text`` (else the slow path).

    NFD splits each accented letter into its base letter and combining marks, which are then
    dropped: all in C, several times faster than folding character by character.
    """
    lowered = _SEPARATORS.sub(" ", text.lower()).translate(_TWINS_TABLE)
    if lowered.isascii():
        return lowered if len(lowered) == len(text) else fold_keep_length(text)
    folded = _COMBINING_MARKS.sub("", unicodedata.normalize("NFD", lowered))
    return folded if len(folded) == len(text) else fold_keep_length(text)


def _words_only(folded: str) -> str:
    """The folded text with every ASCII non-letter, non-digit as a space (same length)."""
    return folded.encode("utf-8").translate(_SPACES).decode("utf-8")


def fold_keep_length(text: str) -> str:
    """Lower case, no accents, one apostrophe: a string of exactly the same length."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(_fold_char(c) if len(c.lower()) != 1 else c.lower() for c in text)
    table = _fold_map()
    return _FOLDABLE.sub(lambda m: table.get(ord(m.group()), m.group()), lowered)


# --- folding a whole batch: one table look-up per character --------------------------------------

_UNSAFE = 0xFFFF  # in a fold table: the text's fold must be computed the slow way


def _fold_point(code: int) -> tuple[int, int] | None:
    """What :func:`_fast_fold` and :func:`_words_only` make of the character ``code`` (fold, words-only fold).

    None when what they make of it in a text may differ from what they make of it alone: the
    capital sigma (its lower case depends on the next letter), a lower case, decomposition or fold
    longer or shorter than one character, combining marks that NFD could reorder, surrogates; and
    the Arabic marks, which the matcher takes out of a text: so it finds them on the way.
    """
    if 0xD800 <= code <= 0xDFFF or code == 0x3A3 or _ARABIC_MARKS.match(chr(code)):
        return None
    lowered = chr(code).lower()
    if len(lowered) != 1:
        return None
    lowered = _TWINS.get(lowered, lowered)
    decomposed = unicodedata.normalize("NFD", _SEPARATORS.sub(" ", lowered))
    folded = _COMBINING_MARKS.sub("", decomposed)
    if len(folded) != 1 or 0xD800 <= ord(folded) <= 0xDFFF:
        return None
    if any(unicodedata.combining(c) and not "\u0300" <= c <= "\u036f" for c in decomposed):
        return None
    point = ord(folded)
    return point, (0x20 if point < 0x80 and not folded.isalnum() else point)


@cache
def _fold_tables() -> tuple[np.ndarray, np.ndarray]:
    """:func:`_fold_point` of every BMP character, as two uint16 tables (``_UNSAFE`` where None or wider)."""
    fold = np.full(0x10000, _UNSAFE, dtype=np.uint16)
    words = np.full(0x10000, _UNSAFE, dtype=np.uint16)
    for code in range(0x10000):
        point = _fold_point(code)
        if point is not None and max(point) < _UNSAFE:
            fold[code], words[code] = point
    return fold, words


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text``: uint8 when ASCII, uint16 within the BMP, else uint32."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) == 2 * len(text):
        return np.frombuffer(data, dtype=np.uint16)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _decode(points: np.ndarray) -> str:
    if points.dtype == np.uint32:
        return points.tobytes().decode("utf-32-le", "surrogatepass")
    return points.astype(np.uint16, copy=False).tobytes().decode("utf-16-le")


_CHUNK = 1 << 16  # code points looked up per step of :func:`_look_up_chunks`


def _look_up_chunks(points: np.ndarray, *tables: np.ndarray) -> Iterator[tuple[int, list[np.ndarray]]]:
    """``(start, [table[chunk] for table in tables])`` for each chunk of ``points`` from ``start``
    (tables indexed by BMP code point; a point beyond the BMP reads the last entry).

    Through buffers that stay in cache (each chunk's values are gone at the next), without bounds
    checks (every point is in range once clipped): a plain fancy index converts the whole array
    to intp first and checks each index, several times slower on a batch's millions of
    characters, and fresh arrays that large cost a page fault every few thousand characters.
    """
    size = len(points)
    if size <= _CHUNK:  # a short text: one chunk, no buffers
        index = points.astype(np.intp)
        yield 0, [table.take(index, mode="clip") for table in tables]
        return
    index = np.empty(_CHUNK, dtype=np.intp)
    buffers = [np.empty(_CHUNK, dtype=table.dtype) for table in tables]
    for start in range(0, size, _CHUNK):
        chunk = index[: min(size - start, _CHUNK)]
        chunk[...] = points[start : start + _CHUNK]
        values = [buffer[: len(chunk)] for buffer in buffers]
        for table, out in zip(tables, values, strict=True):
            np.take(table, chunk, out=out, mode="clip")
        yield start, values


def _translate(
    points: np.ndarray, *tables: np.ndarray, marks: np.ndarray | None = None
) -> tuple[list[list[str]], np.ndarray | None, np.ndarray]:
    """The text ``points`` make through each of ``tables`` (uint16; a point beyond the BMP reads
    the last entry), as the strings of its consecutive chunks; the places of the points ``marks`` (a bool table, if
    given) is true of; and the places where the first table reads ``_UNSAFE``."""
    parts: list[list[str]] = [[] for _ in tables]
    marked: list[np.ndarray] = []
    unsafe: list[np.ndarray] = []
    for start, values in _look_up_chunks(points, *tables, *([] if marks is None else [marks])):
        bad = values[0] == _UNSAFE
        if bad.any():
            unsafe.append(np.flatnonzero(bad) + start)
        for part, value in zip(parts, values, strict=False):  # (the marks' values come last)
            part.append(str(value.data, "utf-16-le"))
        if marks is not None:
            marked.append(np.flatnonzero(values[-1]) + start)
    return parts, None if marks is None else _joined_places(marked), _joined_places(unsafe)


def _joined_places(places: list[np.ndarray]) -> np.ndarray:
    return places[0] if len(places) == 1 else np.concatenate([np.zeros(0, dtype=np.intp), *places])


class _Folded(NamedTuple):
    """A batch's text as :func:`_fold_text` folds it."""

    folded: str  # _fast_fold(text)
    words: list[str]  # its words only, padded (what the word automaton reads), in consecutive parts
    points: np.ndarray  # the text's code points
    marked: np.ndarray | None  # where the ``marks`` table is true, when found on the way


def _fold_text(
    text: str, pieces: Sequence[str] | None = None, marks: np.ndarray | None = None, starts: Sequence[int] | None = None
) -> _Folded:
    """``_fast_fold(text)``, the padded words-only text the word automaton reads (in parts: never
    read whole, it need not be one string), ``text``'s code points, and where ``marks`` (a bool
    table of BMP code points) is true of them. ``starts``: where each of ``pieces`` starts, if known.

    Per character through a table (numpy), several times faster than lower case, NFD and regular
    expressions over the whole text; the same result, since every character the tables know folds
    on its own. ``pieces`` (the texts ``text`` joins with blank lines) are folded one by one the
    slow way where one holds a character the tables do not know (a capital sigma, a ligature whose
    lower case is longer, ...): the others keep the fast fold.
    """
    points = _code_points(text)
    return _finish_fold(text, points, _look_up(points, marks), pieces, starts)


_LookedUp = tuple[list[list[str]], np.ndarray | None, np.ndarray]  # what _translate returns


def _look_up(points: np.ndarray, marks: np.ndarray | None = None) -> _LookedUp:
    """A text's ``points`` through the fold tables (:func:`_translate`): a character beyond the BMP
    reads their last entry, ``_UNSAFE``, so its text is folded slowly."""
    return _translate(points, *_fold_tables(), marks=marks)


def _finish_fold(
    text: str, points: np.ndarray, looked_up: _LookedUp, pieces: Sequence[str] | None, starts: Sequence[int] | None
) -> _Folded:
    """:func:`_fold_text` from ``text``'s ``points`` looked up in the fold tables: the pieces that
    need it folded slowly, the words-only text padded."""
    (folded_parts, word_parts), marked, unsafe = looked_up
    folded = "".join(folded_parts)
    if len(unsafe):
        folded, spaced = _fold_slowly(pieces or [text], unsafe, folded, "".join(word_parts), starts)
        word_parts = [spaced]
    word_parts = word_parts or [""]
    word_parts[0] = f" {word_parts[0]}"  # the padding, in the first and last parts
    word_parts[-1] = f"{word_parts[-1]} "
    return _Folded(folded, word_parts, points, marked)


def _fold_slowly(
    pieces: Sequence[str], unsafe: np.ndarray, folded: str, spaced: str, starts: Sequence[int] | None = None
) -> tuple[str, str]:
    """``folded`` and ``spaced`` (the fast folds of ``pieces`` joined with blank lines; the pieces
    start at ``starts``) with each piece that holds one of the places ``unsafe`` folded by
    :func:`_fast_fold` instead."""
    if starts is None:
        starts = np.cumsum([0, *(len(piece) + 2 for piece in pieces[:-1])]).tolist()
    folded_parts, spaced_parts, done = [], [], 0
    for number in np.unique(np.searchsorted(np.asarray(starts), unsafe, side="right") - 1).tolist():
        start = starts[number]
        slow = _fast_fold(pieces[number])
        folded_parts += [folded[done:start], slow]
        spaced_parts += [spaced[done:start], _words_only(slow)]
        done = start + len(slow)
    folded_parts.append(folded[done:])
    spaced_parts.append(spaced[done:])
    return "".join(folded_parts), "".join(spaced_parts)


def _fold_batch(text: str, pieces: Sequence[str] | None = None) -> tuple[str, str, np.ndarray]:
    """``_fast_fold(text)``, the padded words-only text the word automaton reads, and ``text``'s code points."""
    folded, words, points, _ = _fold_text(text, pieces)
    return folded, "".join(words), points


@cache
def _arabic_mark_table() -> np.ndarray:
    """Whether each BMP character is one of the Arabic marks (``_ARABIC_MARKS``)."""
    table = np.zeros(0x10000, dtype=bool)
    for first, last in _ARABIC_MARK_RANGES:
        table[first : last + 1] = True
    return table


def _arabic_marks(points: np.ndarray, unsafe: np.ndarray) -> np.ndarray:
    """The places of the Arabic marks among a text's ``unsafe`` places (``points``: its code
    points): the fold tables leave every mark unsafe, so only those few places are looked at."""
    if not len(unsafe):
        return unsafe
    return unsafe[_arabic_mark_table()[np.minimum(points[unsafe], 0xFFFF)]]


def _without_marks(
    pieces: list[str], starts: Sequence[int], marks: np.ndarray
) -> tuple[list[str], dict[int, tuple[str, np.ndarray]]]:
    """``pieces`` without the Arabic marks at ``marks`` (sorted places in the pieces joined, each
    piece starting at ``starts``); and for each piece that had some, by its place: the piece as
    written, and where in it each character left is, then its length (where a match's end goes)."""
    bare = list(pieces)
    written: dict[int, tuple[str, np.ndarray]] = {}
    owners = np.searchsorted(np.asarray(starts), marks, side="right") - 1
    numbers, firsts = np.unique(owners, return_index=True)
    for number, own in zip(numbers.tolist(), np.split(marks, firsts[1:]), strict=True):
        piece = pieces[number]
        bare[number] = _ARABIC_MARKS.sub("", piece)
        written[number] = (piece, np.delete(np.arange(len(piece) + 1), own - starts[number]))
    return bare, written


def _marks_of(surface: str) -> tuple[tuple[int, str], ...]:
    """The Arabic marks written on ``surface``'s letters, as (place of the letter in the surface
    without them, mark); the tatweel, which marks no letter, left out."""
    marks: list[tuple[int, str]] = []
    letters = 0
    for char in surface:
        if not _ARABIC_MARKS.match(char):
            letters += 1
        elif char != "\u0640" and letters:
            marks.append((letters - 1, char))
    return tuple(marks)


def _written_with(marks: tuple[tuple[int, str], ...], written: tuple[str, np.ndarray] | None, start: int) -> bool:
    """Whether the text that a match starts in at ``start`` (in the text without its marks) has
    each of ``marks`` (:func:`_marks_of`) on its letter; ``written``: the text's entry of
    :func:`_without_marks`, None when it had no marks."""
    if written is None:
        return False
    piece, places = written
    return all(mark in piece[places[start + at] : places[start + at + 1]] for at, mark in marks)


@cache
def _keep_length_table() -> np.ndarray:
    """:func:`fold_keep_length` of every BMP character alone, as a uint16 table: ``_UNSAFE`` where
    that of a text holding the character may differ (a lower case longer than one character, the
    capital sigma, surrogates), else the same, since it folds each other character on its own."""
    table = np.full(0x10000, _UNSAFE, dtype=np.uint16)
    fold_map = _fold_map()
    for code in range(0x10000):
        lowered = chr(code).lower()
        if 0xD800 <= code <= 0xDFFF or code == 0x3A3 or len(lowered) != 1:
            continue
        folded = ord(fold_map.get(ord(lowered), lowered))  # what fold_keep_length(chr(code)) is
        if folded < _UNSAFE and not 0xD800 <= folded <= 0xDFFF:
            table[code] = folded
    return table


def _fold_context(text: str, shortest: int = 2000) -> str:
    """:func:`fold_keep_length` of an article's title and text: through a table from ``shortest``
    characters on (on fewer, numpy's cost per call is more than the table saves)."""
    points = _code_points(text) if len(text) >= shortest else np.zeros(0, dtype=np.uint8)
    if points.dtype != np.uint32 and len(points):
        (folded,), _, unsafe = _translate(points, _keep_length_table())
        if not len(unsafe):
            return "".join(folded)
    return fold_keep_length(text)


class _Spans:
    """Where the keys of an automaton can start: at a character pair that begins one of them.

    The acronym automaton reads the text as written, character by character; its keys are short
    and start with a capital. Joined by a character no key holds, the spans from each place where
    a key's first two characters stand (as long as its longest such key) hold every match, a few
    percent of the text.
    """

    def __init__(self, keys: list[str]) -> None:
        chars = {c for key in keys for c in key}
        firsts = sorted({key[0] for key in keys})
        order = firsts + sorted(chars - set(firsts))
        # else (keys beyond the BMP, or too many characters for a byte each): the whole text
        self.usable = bool(keys) and all(ord(c) < 0xFFFF for c in chars) and len(order) < 0xFF
        self.separator = next(chr(c) for c in range(0x10000) if chr(c) not in chars)
        self.classes = np.zeros(0x10000, dtype=np.uint8)  # 0: in no key; 1..firsts: first characters
        self.starting = np.zeros(0x10000, dtype=bool)  # the first characters
        self.firsts = len(firsts)
        self.width = width = len(order) + 1
        self.reach = np.zeros(width * width, dtype=np.int64)  # first, second class -> longest key
        if not self.usable:
            return
        for number, char in enumerate(order, 1):
            self.classes[ord(char)] = number
        self.starting[:] = (self.classes >= 1) & (self.classes <= self.firsts)
        for key in keys:
            first = int(self.classes[ord(key[0])])
            for second in [int(self.classes[ord(key[1])])] if len(key) > 1 else range(width):
                self.reach[first * width + second] = max(int(self.reach[first * width + second]), len(key))

    def find(
        self, automaton: Any, text: str, points: np.ndarray, first: np.ndarray | None = None
    ) -> list[tuple[int, Any]]:
        """``(end, value)`` of every match of ``automaton`` in ``text``, in the order of ``automaton.iter(text)``.

        ``first``: the places of the characters keys start with, if already known (``starting``).
        """
        if not self.usable or not len(points):
            return list(automaton.iter(text))
        if first is None:
            first = np.concatenate([np.flatnonzero(s) + at for at, (s,) in _look_up_chunks(points, self.starting)])
        size = len(points)
        following = points[np.minimum(first + 1, size - 1)]
        following = self.classes[np.minimum(following, 0xFFFF) if following.dtype == np.uint32 else following]
        following[first + 1 == size] = 0
        reach = self.reach[self.classes[points[first]].astype(np.int64) * self.width + following]
        keep = reach > 0
        starts = first[keep]
        if not len(starts):
            return []
        furthest = np.maximum.accumulate(np.minimum(starts + reach[keep], size))
        new = np.ones(len(starts), dtype=bool)
        new[1:] = starts[1:] >= furthest[:-1]
        span_starts = starts[new]
        span_ends = furthest[np.append(np.flatnonzero(new)[1:] - 1, len(starts) - 1)]
        # where each span starts in the joined text: after the earlier spans and their separators
        offsets = np.cumsum(span_ends - span_starts + 1) - (span_ends - span_starts + 1)
        shift = (span_starts - offsets).tolist()
        offset_list = offsets.tolist()
        joined = self.separator.join(list(map(text.__getitem__, map(slice, span_starts.tolist(), span_ends.tolist()))))
        return [
            (end_index + shift[bisect.bisect_right(offset_list, end_index) - 1], value)
            for end_index, value in automaton.iter(joined)
        ]


# --- the gazetteer ------------------------------------------------------------------------------


def _toml(name: str) -> dict[str, Any]:
    """A data file's tables, a copy of their first parse (each gazetteer of a language parses the
    French and English ones too: a copy takes a sixth of the parse's time; callers may change it)."""
    import copy

    path = DATA / name
    stat = path.stat()
    return copy.deepcopy(_parsed(path, stat.st_mtime_ns, stat.st_size))


@cache
def _parsed(path: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    """The tables of a file as it is (its time and size in the key: an edited file is read again)."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


@cache
def _home(country: str | None) -> str:
    """The country whose self-references an outlet of ``country`` writes: itself when
    ``self.toml`` has a table for it, else none ("")."""
    return country if country and country in _toml("self.toml") else ""


@dataclass
class Gazetteer:
    """Every surface form the matcher knows, with the country (or region) it stands for."""

    options: CountryOptions = field(default_factory=CountryOptions)
    #: a language of ``options.languages`` whose names are added (see :meth:`_add_language`)
    language: str | None = None

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
            if code in ("ambiguous", "places") or not isinstance(table, dict):
                continue
            for form in (*table.get("fr", ()), *table.get("en", ())):
                self._add(form, (code,), "name")
        for code, table in aliases.get("places", {}).items():
            for form in (*table.get("fr", ()), *table.get("en", ())):
                self._add(form, (code,), "place")
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
        # combining forms counted only before a hyphen and another country's word (the matcher's rule)
        combining = demonyms.get("combining_forms", {})
        for code, forms in combining.items():
            for form in forms:
                self._add(form, (code,), "demonym")
        context["combining_forms"] = [form for forms in combining.values() for form in forms]
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
            own = _toml("self.toml").get(home, {})
            for form in (*own.get("fr", ()), *own.get("en", ())):
                self._add(form, (home,), "self")
            # epithets whose country depends on who writes (`outre-Quiévrain` is France in a
            # Belgian paper): this press's reading replaces the one aliases.toml gives
            for code, forms in own.get("relative", {}).items():
                for form in forms:
                    self.entries.pop(fold_keep_length(form), None)
                    self._add(form, (code,) if code != "none" else (), "name" if code != "none" else "stop")
        for region, table in _toml("regions.toml").items():
            self.region_names[region] = (table.get("label_en", region), table.get("label_fr", region))
            for form in (*table.get("fr", ()), *table.get("en", ())):
                self._add(form, (region,), "region")
        for phrase in context.get("not_country", []):
            self._add(phrase, (), "stop")
        self.context = context
        if self.language is not None:
            self._add_language(self.language)

    def _add_language(self, language: str) -> None:
        """The country names of ``language`` (CLDR's; ``languages.toml``'s names, capitals and
        demonyms; ``self.toml``'s self-references of the home country), each also with the endings
        the language adds to it and the prefixes it attaches to it; a name the French and English
        gazetteer has (folded) stays theirs, unless the language names no country with it
        (``unnamed``) or writes it in lower case where theirs needs a capital (:meth:`_covered`),
        and the language's ordinary words are left out."""
        from babel import Locale, UnknownLocaleError

        table = _toml("languages.toml").get(language, {})
        try:
            cldr = Locale.parse(language).territories
        except (UnknownLocaleError, ValueError) as exc:
            raise ValueError(f"countries.languages: no CLDR names for {language!r}") from exc
        ordinary = {fold_keep_length(w) for w in table.get("ordinary", [])}
        prefixes, suffixes = table.get("prefixes", []), table.get("suffixes", [])
        joins = [tuple(pair) for pair in table.get("joins", [])]
        forms: list[tuple[str, tuple[str, ...], str]] = []  # (surface, codes, kind)
        # other CLDR locales the language is written in (Chinese in traditional characters)
        variants = [Locale.parse(variant).territories for variant in table.get("cldr_variants", [])]
        named = [_by_folded_name(names) for names in (cldr, *variants)]
        for code in self.names:
            # `Myanmar (Birmanie)`: both names; `Congo - Kinshasa`: left to the Congo rules
            for names, folded in zip((cldr, *variants), named, strict=True):
                name = names.get(code)
                if name and " - " not in name and "," not in name:
                    forms += [(part, (code,), "name") for part in _cldr_parts(name, folded, code)]
        # compounds of initials naming several countries, one a letter (Korean `한미`, Korea and
        # the US): each letter becomes a mention of its own (CountryMatcher._initials)
        for compound, compound_codes in table.get("initials", {}).items():
            if len(compound) != len(compound_codes):
                raise ValueError(
                    f"languages.toml [{language}.initials] {compound!r}: one code a letter, got {compound_codes}"
                )
            forms.append((compound, tuple(compound_codes), "initials"))
        for kind, section in (
            ("name", "aliases"),
            ("capital", "capitals"),
            ("institution", "institutions"),
            ("demonym", "demonyms"),
            ("region", "regions"),
        ):
            forms += [(form, (code,), kind) for code, names in table.get(section, {}).items() for form in names]
        # a demonym of several countries, resolved as demonyms.toml's (`Congolees`: CD or CG)
        forms += [(form, tuple(codes), "demonym") for form, codes in table.get("ambiguous_demonyms", {}).items()]
        home = self.options.home_country
        if home:  # the home country's self-references in this language (self.toml)
            forms += [(form, (home,), "self") for form in _toml("self.toml").get(home, {}).get(language, [])]
        endings, articles = table.get("demonym_endings", []), table.get("demonym_articles", [])
        classes = endings if isinstance(endings, dict) else {"": endings}
        for code, stems in table.get("demonym_stems", {}).items():
            for written in stems:
                stem, _, name = written.partition("|")  # `marroqu|i`: the stem, then its endings' class
                if name not in classes:
                    raise ValueError(f"languages.toml [{language}.demonym_stems] {code}: no endings {name!r}")
                words = [stem + ending for ending in classes[name]]
                forms += [(article + word, (code,), "demonym") for word in words for article in ("", *articles)]
        extended = {"languages": "language_names", "language_only": "language_only"}
        extended |= {"language_cues": "language_cues", "strong_cues": "strong_cues", "first_names": "first_names"}
        extended |= {"surnames": "surnames", "after_cues": "after_cues", "streets": "streets"}
        extended |= {"joined_conjunctions": "joined_conjunctions", "listed": "listed", "conjunctions": "conjunctions"}
        if any(extra in table for extra in extended.values()):
            context = dict(self.context)  # (the French and English gazetteer's, extended for this language)
            for key, extra in extended.items():
                context[key] = [*context.get(key, []), *table.get(extra, [])]
            if "language_lists" in table:  # (Persian, Hebrew: a list of language names is adjectives)
                context["language_lists"] = table["language_lists"]
            if table.get("language_nouns"):  # (German: `Deutsch`, capitalised, is the language)
                context["language_nouns"] = [*context.get("language_nouns", []), *table.get("language_names", [])]
            self.context = context
        # how a name in a script without spaces is told from letters inside a longer word (see
        # CountryMatcher._inside_word): a word segmenter, or the script's runs as words
        for setting in ("word_segmenter", "whole_runs"):
            if setting in table:
                self.context = {**self.context, setting: table[setting]}
        for surface in table.get("unnamed", []):
            self.entries.pop(fold_keep_length(surface), None)
        known = set(self.entries)
        for phrase in table.get("not_country", []):
            if fold_keep_length(phrase) not in known:
                self._add(phrase, (), "stop")
                for prefix in prefixes:  # (`وريال مدريد`, and Real Madrid)
                    written, lead = _joined(prefix, phrase, joins)
                    self._add(written, (), "stop", lead=lead)
        word_endings = [tuple(pair) for pair in table.get("word_endings", [])]
        case_endings: dict[str, list[str]] = table.get("case_endings", {})
        case_words = table.get("case_words", "all")
        if case_words not in ("all", "last"):
            raise ValueError(f"languages.toml [{language}] case_words: 'all' or 'last', got {case_words!r}")
        last_only = case_words == "last"
        for listed_form, codes, kind in forms:
            surface = listed_form.strip().replace("’", "'")
            if not surface or fold_keep_length(surface) in ordinary:
                continue
            if kind == "initials":  # (as written: a letter a code)
                self._add(surface, codes, kind)
                continue
            inflected = _inflected(surface, word_endings) if kind in ("name", "region") else [surface]
            # the suffixes go on a name as written, not on its forms a case ending made (Hungarian
            # `USA-ban`, Finnish `EU:n`)
            suffixed = [each + suffix for each in inflected for suffix in suffixes if not each.endswith(suffix)]
            if case_endings and kind in ("name", "region", "capital", "institution"):
                inflected = list(
                    dict.fromkeys(form for each in inflected for form in _declined(each, case_endings, last_only))
                )
            for form in dict.fromkeys((*inflected, *suffixed)):
                if fold_keep_length(form) in known and self._covered(form):
                    continue
                self._add(form, codes, kind)
                for prefix in prefixes:
                    written, lead = _joined(prefix, form, joins)
                    self._add(written, codes, kind, lead=lead)

    def _covered(self, form: str) -> bool:
        """Whether a surface of the French and English gazetteer with ``form``'s folded key
        matches ``form`` as a language writes it: not when each of them needs a capital where
        the language writes a lower-case letter (English `Israeli`, `Saudi`, `Pakistani`; Spanish
        `israelí`, `saudí`, `pakistaní`, and the feminine demonyms `argentina`, `china`)."""
        return any(
            all(j < len(form) and form[j].isupper() for j in entry.capitals)
            for entry in self.entries.get(fold_keep_length(form), ())
        )

    def _add(self, surface: str, codes: tuple[str, ...], kind: str, *, lead: int = 0) -> None:
        surface = surface.strip().replace("’", "'")
        if not surface:
            return
        # keyed without Arabic marks, as texts are matched (its marks, if any, checked in the text)
        bare = _ARABIC_MARKS.sub("", surface)
        key = fold_keep_length(bare)
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
        capitals = tuple(i for i, ch in enumerate(bare) if ch.isupper())
        leading = _ARTICLE.match(bare)
        article = leading is not None and 0 < leading.end() < len(bare)
        marks = _marks_of(surface) if bare != surface else ()
        tail = bare[len(bare.rstrip(_PUNCTUATION)) :]
        entry = _Entry(codes, kind, surface, cue, capitals, article, lead, marks, tail)
        # the home country's own reading of a surface comes first (`Foreign Office`: in a
        # Pakistani paper Pakistan's, elsewhere the UK's institution)
        if kind == "self":
            bucket.insert(0, entry)
        elif not marks and bucket and bucket[0].marks and bucket[0].codes == codes and bucket[0].kind == kind:
            # the same name without its marks reads the text with or without them (CLDR's Persian
            # `امارات متحدهٔ عربی`, with the ezafe's hamza; the press's `امارات متحده عربی`)
            bucket.insert(0, entry)
        else:
            bucket.append(entry)

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
                # gets the same treatment), so the automaton only reports word-bounded matches; a
                # surface's punctuation at its ends is no part of the key (`Opec+` is `Opec`: as a
                # space it would take any punctuation after `Opec`, or the line after its text):
                # the mention takes its end's only where the text has it (_Entry.tail)
                spaced = f" {_NOT_WORD.sub(' ', key).strip()} "
                if spaced == "  ":
                    continue
                # a name in a script written without spaces is found inside a run of it
                # (`会见了摩洛哥首相`), one in Hangul before the particle joined to it (`모로코가`)
                if _UNSPACED_NAME.fullmatch(spaced[1:-1]):
                    spaced_key = spaced[1:-1]
                elif _HANGUL_NAME.fullmatch(spaced[1:-1]):
                    spaced_key = spaced[:-1]
                else:
                    spaced_key = spaced
                merged = (*words.get(spaced_key, (0, ()))[1], *entries)
                words.add_word(spaced_key, (len(spaced), merged, _capitals_check(merged)))
        words.make_automaton()
        if len(acronyms):
            acronyms.make_automaton()
        return words, acronyms


#: letters of context on each side of a name the segmenter cuts (its words are seldom longer)
_WINDOW = 8


def _crossed(text: str, at: int, lo: int, hi: int) -> bool:
    """Whether a word of the Chinese segmenter's dictionary of up to 6 letters crosses ``at``
    (starts before it and ends after it) in ``text[lo:hi]``: without one, the segmenter (without
    its hidden Markov model) cuts there, and need not be run."""
    if at <= lo or at >= hi:
        return False
    known = chinese_segmenter().FREQ
    ends = range(at + 1, min(hi, at + 3) + 1)
    for first in range(max(lo, at - 3), at):
        for last in ends:
            if known.get(text[first:last]):
                return True
    return False


def _window_words(text: str, start: int, end: int, lo: int, hi: int) -> tuple[list[tuple[str, int, int]], int, int]:
    """The Chinese segmenter's words (without its hidden Markov model) of ``text[lo:hi]`` within
    :data:`_WINDOW` letters round ``text[start:end]``, with ``start`` and ``end`` in that window."""
    window_start = max(lo, start - _WINDOW)
    words = chinese_segmenter().tokenize(text[window_start : min(hi, end + _WINDOW)], HMM=False)
    return list(words), start - window_start, end - window_start


def _initials(found: _Columns) -> _Columns:
    """``found`` with each compound of initials (kind `initials`, its codes joined by spaces)
    split into one mention a letter, of kind `name` (`한미`: 한, Korea; 미, the US)."""
    columns: tuple[list[Any], ...] = ([], [], [], [], [], [])
    for row in zip(found.text.tolist(), found.code, found.surface, found.start, found.end, found.kind, strict=True):
        if row[5] != "initials":
            for column, value in zip(columns, row, strict=True):
                column.append(value)
            continue
        text, codes, surface, start = row[0], row[1].split(" "), row[2], row[3]
        for i, (code, letter) in enumerate(zip(codes, surface, strict=True)):
            for column, value in zip(columns, (text, code, letter, start + i, start + i + 1, "name"), strict=True):
                column.append(value)
    return _Columns(np.array(columns[0], dtype=found.text.dtype), *columns[1:])


def _inflected(name: str, endings: Sequence[tuple[str, ...]]) -> list[str]:
    """``name`` and, for a name of several words, its forms with each capitalised word's ending
    changed as ``endings`` say (German `Vereinigte Arabische Emirate`: `den Vereinigten Arabischen
    Emiraten`, `die Vereinigten Arabischen Emirate`; `im Vereinigten Königreich`)."""
    words = name.split(" ")
    if len(words) < 2 or not endings:
        return [name]
    choices = [
        [word, *(word[: -len(old)] + new for old, new in endings if word.endswith(old))]
        if word[:1].isupper() and len(word) > 3
        else [word]
        for word in words
    ]
    return [" ".join(chosen) for chosen in product(*choices)]


def _declined(name: str, endings: Mapping[str, Sequence[str]], last_only: bool = False) -> list[str]:
    """``name`` and its forms with each word's ending replaced as ``endings`` say (languages.toml
    ``case_endings``: Russian `Франция`: `Франции`, `Францию`, `Францией`; `Саудовская Аравия`:
    `Саудовской Аравии`; `Белый дом`: `Белом доме`). A word takes the rule of the longest of
    ``endings`` it ends with (``""``: any other ending, a consonant's: `Иран`, `Ирана`); a rule
    without forms leaves it as it is (`Того`, `Мали`). Words written in capitals (`США`) and
    words of fewer than three letters (`и`) are left as they are; so is a hyphenated word's
    first part (`Коста-Рика`: `Коста-Рики`). With ``last_only`` (languages.toml ``case_words =
    "last"``: Hungarian `az Egyesült Arab Emírségekben`) only the last word takes the endings."""
    longest = sorted(endings, key=len, reverse=True)
    choices = []
    words = name.split(" ")
    for i, word in enumerate(words):
        rule = next((e for e in longest if word.endswith(e)), None) if len(word) >= 3 and not word.isupper() else None
        if rule is None or len(word) - len(rule) < 2 or (last_only and i < len(words) - 1):
            choices.append([word])
            continue
        stem = word[: len(word) - len(rule)]
        choices.append(list(dict.fromkeys([word, *(stem + new for new in endings[rule])])))
    return [" ".join(chosen) for chosen in product(*choices)]


def _by_folded_name(cldr: Mapping[str, str]) -> dict[str, set[str]]:
    """The territories of a CLDR table by their names folded (for :func:`_cldr_parts`)."""
    found: dict[str, set[str]] = {}
    for code, name in cldr.items():
        found.setdefault(fold_keep_length(name), set()).add(code)
    return found


def _cldr_parts(name: str, folded: Mapping[str, set[str]], code: str) -> list[str]:
    """The names a CLDR name holds: `Мьянма (Бирма)` both, but not a part in brackets that says
    whose a territory is (Russian `Виргинские о-ва (США)`, `Гонконг (САР)`): one in capitals, or
    another territory's name (``folded``: the table's territories by their names folded, see
    :func:`_by_folded_name`)."""
    parts = [part.strip() for part in name.replace(")", "").split("(")]
    return [
        parts[0],
        *(p for p in parts[1:] if p and not p.isupper() and not folded.get(fold_keep_length(p), set()) - {code}),
    ]


def _joined(prefix: str, name: str, joins: Iterable[tuple[str, str]]) -> tuple[str, int]:
    """``prefix`` written before ``name``, where a join (``written``, ``as``) whose ``written``
    spans the two is written ``as`` (Arabic ``ل`` and ``المغرب``: ``للمغرب``); and how many of
    its first characters are the prefix alone (the part of a prefix merged into the name stays
    with it: ``وللمغرب`` leaves out ``و`` only)."""
    for written, spelt in joins:
        for k in range(1, len(written)):
            if prefix.endswith(written[:k]) and name.startswith(written[k:]):
                return prefix[:-k] + spelt + name[len(written) - k :], len(prefix) - k
    return prefix + name, len(prefix)


def _capitals_check(entries: tuple[_Entry, ...]) -> tuple[int, ...] | None:
    """Positions that must be capitals in the text for every one of ``entries`` (``()``: none), None if they differ."""
    shapes = {e.capitals for e in entries}
    return shapes.pop() if len(shapes) == 1 else None


# --- matching -----------------------------------------------------------------------------------


_LOWER = re.compile(r"[^\W\d_A-ZÀ-ÞĀ-Ž]")  # lower-case letters (and uncased scripts)
_UPPER = re.compile(r"[A-ZÀ-Þ]")


@cache
def _function_words(languages: tuple[str, ...]) -> frozenset[str]:
    """Function words (lower-cased, accents kept) of French, English and ``languages`` (a text's,
    when its country names are matched): capitalised, they open a sentence, and the name after them
    is no surname. Accents tell words apart (Vietnamese `Minh`, a given name, is no `mình`,
    oneself; `Văn` no Dutch `van`)."""
    import stopwordsiso

    known = [x for x in ("fr", "en", *languages) if stopwordsiso.has_lang(x)]
    return frozenset(unicodedata.normalize("NFC", w.lower()) for w in stopwordsiso.stopwords(known))


def _opens_sentence(text: str, start: int, lo: int) -> bool:
    """Whether ``text[start]`` opens a sentence, a line or a quotation (looking back to ``lo``)."""
    before = text[lo:start].rstrip(" \t\"'„“”«»‚‘(")
    return not before or before[-1] in ".!?:;\n"


def _shouting(text: str, start: int) -> bool:
    """True when the line holding ``start`` is written in capitals (a headline)."""
    line_start = max(text.rfind("\n", max(0, start - 200), start) + 1, start - 200)
    line_end = text.find("\n", start, start + 200)
    line = text[line_start : line_end if line_end >= 0 else start + 200]
    upper = len(_UPPER.findall(line))
    if upper < 8:
        return False
    # from `enough` lower-case letters on the share of capitals is 0.8 or less: count no further
    enough = max(1, upper // 4 - 1)
    while upper / (upper + enough) > 0.8:
        enough += 1
    lower = sum(1 for _ in islice(_LOWER.finditer(line), enough))
    return lower < enough and upper / (upper + lower) > 0.8


_RUN = re.compile(r"[^\W_]+")  # letters and digits: a _WORD is one run, or two joined by an apostrophe
_LAST_RUN = re.compile(r"[^\W_]+$")
_HYPHENS = frozenset("-\u2010\u2011")
_PUNCTUATION = "".join(chr(c) for c in range(128) if not chr(c).isalnum() and not chr(c).isspace())


def _last_runs(words: Iterable[str]) -> set[str]:
    """The last run of letters and digits of each of ``words`` (see :func:`_last_word`)."""
    return {runs[-1] for word in words if (runs := _RUN.findall(word))}


def _last_word(window: str, runs: set[str]) -> str | None:
    """``_WORD.findall(window)[-1]`` (None if there is no word), when its last run of letters and
    digits is one of ``runs``; else None at once.

    The last word ends with the window's last run: most often the last chunk between spaces
    without the ASCII punctuation around it, which string methods find several times faster
    than the regular expression finds every word. A word whose last run is not in ``runs``
    cannot be one of the words ``runs`` comes from (:func:`_last_runs`).
    """
    chunks = window.rsplit(None, 1)
    if not chunks:  # nothing but spaces: no word
        return None
    last = chunks[-1].strip(_PUNCTUATION)
    if last.isalnum() and last not in runs:  # else the chunk holds more, or a candidate: look
        return None
    words = _WORD.findall(window)
    return words[-1] if words else None


def _upper_table() -> np.ndarray:
    """``chr(c).isupper()`` of every BMP character."""
    return bmp_table("isupper")


def _is_upper(points: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``text[p].isupper()`` at each of ``positions`` (``points``: the text's code points)."""
    values = points[positions]
    if points.dtype != np.uint32:
        return _upper_table()[values]
    upper = _upper_table()[np.minimum(values, 0xFFFF)]
    wide = values > 0xFFFF
    if wide.any():
        upper[wide] = [chr(v).isupper() for v in values[wide].tolist()]
    return upper


def _leftmost_longest(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Which spans (sorted by start, longest first) are kept: each one that starts at or after the
    end of the last one kept.

    A span starting after every earlier end is kept; Python walks only the others (spans inside
    or across a longer one), from the last such span before them.
    """
    kept = np.ones(len(starts), dtype=bool)
    if len(starts) < 2:
        return kept
    furthest = np.maximum.accumulate(ends)
    kept[1:] = starts[1:] >= furthest[:-1]
    unsure = np.flatnonzero(~kept)
    if not len(unsure):
        return kept
    head = np.maximum.accumulate(np.where(kept, np.arange(len(starts)), -1))
    ends_list = ends.tolist()
    current, until = -1, -1
    for i, start, end, first in zip(
        unsure.tolist(), starts[unsure].tolist(), ends[unsure].tolist(), head[unsure].tolist(), strict=True
    ):
        if first != current:
            current, until = first, ends_list[first]
        if start >= until:
            kept[i] = True
            until = end
    return kept


def _laid_out(pieces: list[str]) -> tuple[list[int], str]:
    """Where each of ``pieces`` starts in the text they make joined by blank lines, and that text
    (blank lines: no match or headline spans two texts)."""
    starts: list[int] = []
    position = 0
    for piece in pieces:
        starts.append(position)
        position += len(piece) + 2
    return starts, "\n\n".join(pieces)


#: where a sentence ends, in folded text (a full stop, a question or exclamation mark, a line's end)
_SENTENCE_BREAK = re.compile(r"[.!?。！？]\s|\n")


def _sentence_around(folded: str, start: int, end: int, lo: int, hi: int) -> str:
    """The sentence of ``folded`` holding ``start:end``, within ``lo:hi`` (its text)."""
    before = folded.rfind("\n", lo, start)
    begin = max(lo, before + 1)
    for found in _SENTENCE_BREAK.finditer(folded, begin, start):
        begin = found.end()
    after = _SENTENCE_BREAK.search(folded, end, hi)
    return folded[begin : after.start() + 1 if after else hi]


def _cue_counts(text: str, cues: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """How often ``text`` (folded) writes each code's cue words, in the cues' order."""
    return {code: sum(text.count(w) for w in words) for code, words in cues.items()}


class CountryMatcher:
    """Finds country and region mentions in texts (build once, then call :meth:`find` per text)."""

    def __init__(
        self, options: CountryOptions | None = None, gazetteer: Gazetteer | None = None, language: str | None = None
    ) -> None:
        self.options = options or CountryOptions()
        self.gazetteer = gazetteer or Gazetteer(self.options, language)
        self.language = self.gazetteer.language
        #: the country whose self-references (self.toml) it matches; "" none
        self.home = _home(self.gazetteer.options.home_country)
        # the matcher without a language, of the options' home country, which holds those of the
        # languages and outlets' countries it was asked for
        self._base: CountryMatcher | None = self if self.language is None else None
        self._derived: dict[tuple[str | None, str], CountryMatcher] = {}
        self._words, self._acronyms = self.gazetteer.automata()
        self._acronym_spans = _Spans(list(self._acronyms.keys()) if len(self._acronyms) else [])
        context = self.gazetteer.context
        self._first_names = {fold_keep_length(s) for s in context.get("first_names", [])}
        self._institution_words = {fold_keep_length(s) for s in context.get("institution_words", [])}
        self._surnames = {fold_keep_length(s) for s in context.get("surnames", [])}
        self._particles = {fold_keep_length(s) for s in context.get("particles", [])}
        self._titles = {fold_keep_length(s) for s in context.get("titles", [])}
        # a relative's word after a possessive (`his partner`, `her son`): a first name after it is a person's
        relatives = [re.escape(fold_keep_length(w)) for w in context.get("relatives", [])]
        possessives = [re.escape(fold_keep_length(w)) for w in context.get("possessives", [])]
        self._relative: re.Pattern[str] | None = (
            re.compile(rf"(?<![^\W\d_])(?:{'|'.join(possessives)}) (?:{'|'.join(relatives)}),? $")
            if relatives and possessives
            else None
        )
        self._require = {
            fold_keep_length(k): [fold_keep_length(w) for w in v] for k, v in context.get("require_any", {}).items()
        }
        self._cues = {
            name: {code: [fold_keep_length(w) for w in words] for code, words in table.items() if code != "default"}
            for name, table in context.get("disambiguate", {}).items()
        }
        self._defaults = {name: table.get("default") for name, table in context.get("disambiguate", {}).items()}
        self._word_acronyms = set(context.get("word_acronyms", []))
        # a street named after a country (`avenue du Congo`, `rue de France`): the street word
        # and an article right before a name (folded text, so one pattern for any case)
        streets = [re.escape(fold_keep_length(w)) for w in context.get("streets", [])]
        articles = [re.escape(fold_keep_length(w)) for w in context.get("street_articles", [])]
        self._street: re.Pattern[str] | None = (
            re.compile(rf"\b(?:{'|'.join(streets)}) (?:{'|'.join(articles)})?$") if streets else None
        )
        # a town named after a country or a capital, its state or province after a comma (`Cairo,
        # Illinois`, `London, Ontario`); not an item of a list of them (`Japan, California and Texas`)
        regions = [re.escape(fold_keep_length(w)) for w in context.get("place_regions", [])]
        self._region_after: re.Pattern[str] | None = (
            re.compile(rf",[ \t]+(?:{'|'.join(regions)})\b(?![ \t]+(?:and|or|&)\b)") if regions else None
        )
        self._languages = {fold_keep_length(w) for w in context.get("languages", [])}
        self._language_words = self._languages | {fold_keep_length(w) for w in context.get("language_only", [])}
        self._language_cues = {fold_keep_length(w) for w in context.get("language_cues", [])}
        self._language_nouns = {fold_keep_length(w) for w in context.get("language_nouns", [])}
        # what the word before a name must end with to be a title, or a cue of a language
        self._title_runs = _last_runs(self._titles)
        # a language name right after one of these is the language, whatever its case (`en
        # français`, `in English`, `auf Deutsch`)
        self._strong_cues = {"en", "in", *(fold_keep_length(w) for w in context.get("strong_cues", []))}
        self._cue_runs = _last_runs([*self._language_cues, *self._strong_cues])
        # a language name right before one of these is the language (Dutch `Nederlands leren`,
        # verb last: `die Frans spreken`)
        self._after_cues = {fold_keep_length(w) for w in context.get("after_cues", [])}
        # (and, or) written joined to the next word: Arabic و, a list's separator as `and` is
        self._joined_conjunctions = tuple(fold_keep_length(w) for w in context.get("joined_conjunctions", []))
        # names that are also common words: countries only as an item of a list of countries
        self._listed = {fold_keep_length(w) for w in context.get("listed", [])}
        self._conjunctions = {fold_keep_length(w) for w in context.get("conjunctions", [])}
        # what parts the items of a list of languages: these and the language's conjunctions
        conjunctions = (*_CONJUNCTIONS, *sorted(self._conjunctions - set(_CONJUNCTIONS)))
        self._list_separator = re.compile(r"[,;/]|\b(?:" + "|".join(map(re.escape, conjunctions)) + r")\b")
        self._separator_texts = (",", ";", "/", *conjunctions)  # what a `_list_separator` match can be
        # whether a list of language names is languages (off where the adjective follows its noun
        # and the language's name is an adjective too: Persian `خریداران چینی و هندی`, Chinese and
        # Indian buyers; Hebrew `הממשלה הצרפתית והגרמנית`, the French and German governments)
        self._language_lists = bool(context.get("language_lists", True))
        # a noun after a list of language names makes them adjectives of nationality, as English
        # writes them (`French and Dutch ships`, `German and Italian officials`)
        nouns = [re.escape(fold_keep_length(w)) for w in context.get("demonym_nouns", [])]
        words = "|".join(map(re.escape, sorted(self._language_words, key=len, reverse=True)))
        joins = "|".join(map(re.escape, conjunctions))
        self._noun_after_list: re.Pattern[str] | None = (
            re.compile(rf"(?:[ \t]*(?:[,;/]|\b(?:{joins})\b)[ \t]*(?:{words})\b)*[ \t]+(?:{'|'.join(nouns)})\b")
            if nouns and words
            else None
        )
        self._require_prev = {
            fold_keep_length(k): [fold_keep_length(w) for w in v] for k, v in context.get("require_prev", {}).items()
        }
        self._combining = {fold_keep_length(w) for w in context.get("combining_forms", [])}
        self._kinds = set(self.options.kinds) | {"region", "initials"}
        # names written in a script without spaces whose place inside a word is looked at: Chinese
        # names through a word segmenter, Japanese katakana ones against the katakana around them
        segmenter = context.get("word_segmenter")
        if segmenter not in (None, "jieba"):
            raise ValueError(f"languages.toml word_segmenter: unknown segmenter {segmenter!r} (known: jieba)")
        self._segmenter_name = segmenter
        runs = context.get("whole_runs", [])
        unknown = sorted(set(runs) - set(_SCRIPT_RUNS))
        if unknown:
            raise ValueError(f"languages.toml whole_runs: unknown scripts {unknown} (known: {sorted(_SCRIPT_RUNS)})")
        self._segmented = {k for k in self.gazetteer.entries if _HAN_WORD.fullmatch(k)} if segmenter else set()
        self._run_scripts = [re.compile(f"[{_SCRIPT_RUNS[name]}]") for name in runs]
        self._whole_run = {
            k
            for k in self.gazetteer.entries
            if k and any(r.fullmatch(k[0]) or r.fullmatch(k[-1]) for r in self._run_scripts)
        }
        # compounds of initials in Chinese characters, left out where they are letters of other
        # words before the longest match is chosen, so that a name they overlap stays (`米国` in
        # `2日米国`): see _initials_inside
        self._joined_initials = {
            key
            for key, entries in self.gazetteer.entries.items()
            if _HAN_WORD.fullmatch(key) and any(e.kind == "initials" for e in entries)
        }
        self._segmented -= self._joined_initials
        # keys with a context rule: every other match is accepted without looking around it
        self._checked = (
            self._segmented
            | self._whole_run
            | self._first_names
            | self._surnames
            | set(self._require)
            | set(self._require_prev)
            | self._listed
            | self._combining
            | self._languages
            | {fold_keep_length(a) for a in self._word_acronyms}
        )
        # entries whose matched text can be one of those keys (ids: entries live as long as the
        # gazetteer): a word key is a checked key with punctuation as spaces, acronyms all are;
        # after its attached prefix (Arabic `والفرنسية` is checked as `الفرنسية`)
        spaced_checked = {_words_only(key) for key in self._checked}
        self._maybe_checked = {
            id(e)
            for key, (_, entries, _) in self._words.items()
            for e in entries
            if f" {key.strip()} "[1 + e.lead : -1] in spaced_checked
        }
        if len(self._acronyms):
            self._maybe_checked |= {id(e) for _, (_, entries, _) in self._acronyms.items() for e in entries}
        self._tables()

    def _tables(self) -> None:
        """Per word key: its number (the automaton's value), span, capitals, and, for the plain
        keys (one country, no context rule), the mention's code and kind, so that matching is a
        few array operations and Python looks only at the other candidates."""
        import ahocorasick

        self._word_ids = ahocorasick.Automaton()
        payloads: list[tuple[int, tuple[_Entry, ...], tuple[int, ...] | None]] = []
        # a key with no space after it (see Gazetteer.automata): where it ends is one before the
        # space it would have, which the arithmetic of the others counts on
        unspaced_end: list[int] = []
        joined_initials: list[bool] = []
        for key, payload in self._words.items():
            self._word_ids.add_word(key, len(payloads))
            payloads.append(payload)
            unspaced_end.append(int(not key.endswith(" ")))
            joined_initials.append(key in self._joined_initials)
        self._unspaced_end = np.array(unspaced_end, dtype=np.int64)
        self._joined_initial = np.array(joined_initials, dtype=bool)
        self._word_ids.make_automaton()
        self._payloads = [entries for _, entries, _ in payloads]
        self._key_length = np.array([length for length, _, _ in payloads], dtype=np.int64)
        self._longest_key = max([1, *self._key_length.tolist()])
        width = max([len(c) for _, _, c in payloads if c] + [1])
        self._capitals = np.full((len(payloads), width), -1, dtype=np.int64)  # -1: no capital to check
        self._mixed = np.array([c is None for _, _, c in payloads], dtype=bool)
        plain = []
        for number, (_, entries, capitals) in enumerate(payloads):
            self._capitals[number, : len(capitals or ())] = capitals or ()
            entry = entries[0]
            plain.append(
                capitals is not None
                and entry.kind not in ("stop", "self")
                and entry.kind in self._kinds
                and id(entry) not in self._maybe_checked
                and not entry.article
                and not entry.lead
                and not entry.marks
                and not any(e.tail for e in entries)
                and len(entry.codes) == 1
                and not entry.key
            )
        self._plain = np.array(plain, dtype=bool)
        self._first_capital = self._capitals[:, 0].copy()
        self._several_capitals = self._capitals[:, 1] >= 0 if width > 1 else np.zeros(len(payloads), dtype=bool)
        self._plain_code = np.array(
            [
                self._policy(entries[0].codes[0]) if p else None
                for entries, p in zip(self._payloads, plain, strict=True)
            ],
            dtype=object,
        )
        self._plain_kind = np.array([entries[0].kind for entries in self._payloads], dtype=object)
        acronym_lengths = [length for _, (length, _, _) in self._acronyms.items()] if len(self._acronyms) else []
        self._longest = max([int(length) - 2 for length in self._key_length] + acronym_lengths + [0])

    def for_language(self, language: str | None) -> CountryMatcher:
        """The matcher for texts in ``language``: with its own names when ``options.languages``
        lists it, else without (see :meth:`for_article`)."""
        return self.for_article(language)

    def for_article(self, language: str | None, country: str | None = None) -> CountryMatcher:
        """The matcher for an article in ``language`` from an outlet of ``country`` (ISO alpha-2;
        ``None`` when unknown): with the language's own names when ``options.languages`` lists
        it, and the self-references (``self.toml``) of the outlet's country, or of
        ``options.home_country`` when unknown. Each is built once, by the first matcher made."""
        if self._base is None:
            self._base = CountryMatcher(self.options)
        base = self._base
        own = language if language is not None and language in base.options.languages else None
        home = _home(country or base.options.home_country)
        if own == self.language and home == self.home:
            return self
        if own is None and home == base.home:
            return base
        if (own, home) not in base._derived:
            options = base.options if home == base.home else replace(base.options, home_country=home or None)
            derived = base._derived[own, home] = CountryMatcher(options, language=own)
            derived._base = base
        return base._derived[own, home]

    def find(
        self, text: str | None, *, context: str | None = None, language: str | None = None, country: str | None = None
    ) -> list[Mention]:
        """Mentions in ``text``; ``context`` (e.g. title and text together) helps disambiguate;
        ``language``: the text's, whose own names are matched too; ``country``: its outlet's,
        whose self-references are (see :meth:`for_article`)."""
        return self.for_article(language, country).find_many([text], [context])[0]

    def find_many(self, texts: list[str | None], contexts: list[str | None] | None = None) -> list[list[Mention]]:
        """Mentions in each text, found in one pass over them all (offsets are per text).

        ``contexts[i]`` (e.g. the article's title and text) helps disambiguate ``texts[i]``.
        """
        return [list(map(tuple.__new__, repeat(Mention), found)) for found in self._find_many(texts, contexts)]

    def _find_many(self, texts: list[str | None], contexts: list[str | None] | None) -> list[list[_Found]]:
        """:meth:`find_many` as plain tuples: the garbage collector stops tracking those (not
        named tuples) at its first look, so a batch's mentions cost it nothing afterwards."""
        found = self._find_columns(texts, None if contexts is None else contexts.__getitem__)
        bounds = np.searchsorted(found.text, np.arange(len(texts) + 1)).tolist()
        mentions = list(zip(found.code, found.surface, found.start, found.end, found.kind, strict=True))
        return [mentions[first:last] for first, last in pairwise(bounds)]

    def _find_columns(self, texts: list[str | None], context: Callable[[int], str | None] | None) -> _Columns:
        """The mentions of :meth:`find_many`, column by column, in order (by text, then start).

        ``context(i)``: what ``contexts[i]`` is to :meth:`find_many`, asked for only where a rule
        needs it (the same string for texts that share one, so that it is folded once).
        """
        pieces = [t or "" for t in texts]
        starts, text = _laid_out(pieces)
        starting = self._acronym_spans.starting if len(self._acronyms) and self._acronym_spans.usable else None
        points = _code_points(text)
        looked_up = _look_up(points, starting)
        # the texts with Arabic marks (short vowels, shadda, tatweel: unsafe to the fold tables,
        # so the others pay nothing) are matched without them, looked up again before any slow
        # fold; `written` maps their mentions back
        marks = _arabic_marks(points, looked_up[2])
        written: dict[int, tuple[str, np.ndarray]] = {}
        if len(marks):
            pieces, written = _without_marks(pieces, starts, marks)
            starts, text = _laid_out(pieces)
            points = _code_points(text)
            looked_up = _look_up(points, starting)
        folded, words, points, acronym_starts = _finish_fold(text, points, looked_up, pieces, starts)
        ends = [start + len(piece) for start, piece in zip(starts, pieces, strict=True)]
        size = len(folded)
        # word candidates: every key the automaton finds whose capitals are capitals in the text
        found = self._word_matches(words)
        found[:, 0] += self._unspaced_end[found[:, 1]]
        number = found[:, 1]
        lengths = self._key_length[number]
        starts_found = found[:, 0] - lengths + 1  # the key's leading space is the padding's offset
        # the key's first capital, then the others of the few keys with several
        capital = self._first_capital[number]
        keep = (capital < 0) | _is_upper(points, starts_found + np.maximum(capital, 0))
        several = np.flatnonzero(self._several_capitals[number])
        if len(several):
            capitals = self._capitals[number[several]]
            needed = capitals >= 0
            upper = _is_upper(points, np.where(needed, starts_found[several, None] + capitals, 0))
            keep[several] &= (upper | ~needed).all(axis=1)
        for i in np.flatnonzero(self._joined_initial[number] & keep).tolist():
            start = int(starts_found[i])
            keep[i] = not self._initials_inside(text, start, start + len(self._payloads[number[i]][0].surface))
        refs = number.copy()  # >= 0: a word key; < 0: -1 - the place in `special` of the entries
        special: list[tuple[_Entry, ...]] = []
        for i in np.flatnonzero(self._mixed[number]).tolist():  # entries with capitals in different places
            start = int(starts_found[i])
            entries = tuple(e for e in self._payloads[number[i]] if all(text[start + j].isupper() for j in e.capitals))
            refs[i] = -1 - len(special)
            special.append(entries)
            keep[i] = bool(entries)
        cand_start, cand_end = starts_found[keep], (starts_found + lengths - 2)[keep]
        cand_ref, cand_acronym = refs[keep], np.zeros(int(keep.sum()), dtype=np.int64)
        if len(self._acronyms):
            acronym_spans = []
            for end_index, (length, entries, _) in self._acronym_spans.find(
                self._acronyms, text, points, acronym_starts
            ):
                start, end = end_index - length + 1, end_index + 1
                if (start > 0 and folded[start - 1].isalnum()) or (end < size and folded[end].isalnum()):
                    continue
                acronym_spans.append((start, end, -1 - len(special)))
                special.append(entries)
            if acronym_spans:
                extra = np.array(acronym_spans, dtype=np.int64)
                cand_start = np.concatenate([cand_start, extra[:, 0]])
                cand_end = np.concatenate([cand_end, extra[:, 1]])
                cand_ref = np.concatenate([cand_ref, extra[:, 2]])
                cand_acronym = np.concatenate([cand_acronym, np.ones(len(extra), dtype=np.int64)])
        # by start, then longest first, then a word before an acronym of the same span
        longest = self._longest
        order = np.argsort(cand_start * (2 * longest + 2) + (longest - (cand_end - cand_start)) * 2 + cand_acronym)
        chosen = _leftmost_longest(cand_start[order], cand_end[order])
        picked = order[chosen]
        spans_start, spans_end, refs = cand_start[picked], cand_end[picked], cand_ref[picked]
        # plain keys are mentions as they stand; the other spans go through the context rules,
        # which drop them or give them a country (None until the text's other mentions decide
        # it), a kind and a start (past a leading article)
        starts_array = np.array(starts, dtype=np.int64)
        where = np.searchsorted(starts_array, spans_start, side="right") - 1
        word = np.maximum(refs, 0)
        plain = self._plain[word] & (refs >= 0)
        kept = np.ones(len(refs), dtype=bool)
        changed: list[int] = []  # the spans the rules keep, with their country, kind and start
        changed_code: list[str | None] = []
        changed_kind: list[str] = []
        changed_start: list[int] = []
        changed_end: list[int] = []
        pending: dict[int, list[tuple[int, _Entry]]] = {}  # per text: (place in `changed`, entry)
        wholes: dict[int, str] = {}
        folded_contexts: dict[int, str] = {}  # by id: a title and its text share one context

        def whole(i: int) -> str:
            if i not in wholes:
                own = context(i) if context is not None else None
                if own is None:
                    wholes[i] = folded[starts[i] : starts[i] + len(pieces[i])]
                else:
                    if id(own) not in folded_contexts:
                        # (the contexts of a batch without marks are its texts' articles: none either)
                        folded_contexts[id(own)] = _fold_context(_ARABIC_MARKS.sub("", own) if written else own)
                    wholes[i] = folded_contexts[id(own)]
            return wholes[i]

        kinds, checked, maybe_checked = self._kinds, self._checked, self._maybe_checked
        unplain = np.flatnonzero(~plain)
        for j, ref, start, end, index in zip(
            unplain.tolist(),
            refs[unplain].tolist(),
            spans_start[unplain].tolist(),
            spans_end[unplain].tolist(),
            where[unplain].tolist(),
            strict=True,
        ):
            entries = self._payloads[ref] if ref >= 0 else special[-1 - ref]
            entry = entries[0]
            kind = entry.kind
            if (
                kind == "stop"
                or kind not in kinds
                or (entry.marks and not _written_with(entry.marks, written.get(index), start - starts[index]))
                or (
                    (kind == "self" or (id(entry) in maybe_checked and folded[start + entry.lead : end] in checked))
                    and not self._accept(
                        text, folded, start + entry.lead, end, entry, partial(whole, index), starts[index], ends[index]
                    )
                )
            ):
                kept[j] = False
                continue
            if entry.article:
                start, _ = self._without_article(text, start, end)
            start += entry.lead
            # (`Opec` and `Opec+` share a key: the tail of the entry the text has)
            end += next((len(e.tail) for e in entries if e.tail and text.startswith(e.tail, end)), 0)
            if kind == "initials":  # (split into one mention a letter at the end)
                changed_code.append(" ".join(map(self._policy, entry.codes)))
            elif len(entry.codes) == 1 and not entry.key:
                changed_code.append(self._policy(entry.codes[0]))
            else:
                pending.setdefault(index, []).append((len(changed), entry))
                changed_code.append(None)
            changed.append(j)
            changed_kind.append(kind)
            changed_start.append(start)
            changed_end.append(end)
        if pending:
            code_of = dict(zip(changed, changed_code, strict=True))
            bounds = np.searchsorted(where, np.arange(len(pieces) + 1)).tolist()
        for index, waiting in pending.items():
            # what the text names for sure: its plain mentions, and the others with a country
            first, last = bounds[index], bounds[index + 1]
            known: set[str] = set()
            for j, plain_code, is_plain in zip(
                range(first, last), self._plain_code[word[first:last]].tolist(), plain[first:last].tolist(), strict=True
            ):
                code = code_of.get(j, plain_code if is_plain else None)
                if code is not None:
                    known.add(code)
            for place, entry in waiting:
                start, end = changed_start[place], changed_end[place]
                sentence = _sentence_around(folded, start, end, starts[index], ends[index])
                code = self._resolve(entry, partial(whole, index), known, sentence)
                if code:
                    changed_code[place] = self._policy(code)
                else:
                    kept[changed[place]] = False
        # the columns of the spans kept, with what the rules changed
        at = np.array(changed, dtype=np.int64)
        spans_start[at], spans_end[at] = changed_start, changed_end
        keep = np.flatnonzero(kept)
        codes, own_kinds = self._plain_code[word[keep]], self._plain_kind[word[keep]]
        if len(at):
            live = kept[at]
            moved = np.searchsorted(keep, at[live])  # where the changed spans kept are in the columns
            codes[moved] = np.array(changed_code, dtype=object)[live]
            own_kinds[moved] = np.array(changed_kind, dtype=object)[live]
        if self._street is not None and len(keep):
            street = self._street
            starts_kept, lows = spans_start[keep].tolist(), starts_array[where[keep]].tolist()
            on_street = np.array(
                [
                    kind == "name" and street.search(folded, max(low, start - 20), start) is not None
                    for kind, start, low in zip(own_kinds.tolist(), starts_kept, lows, strict=True)
                ],
                dtype=bool,
            )
            if on_street.any():
                keep, codes, own_kinds = keep[~on_street], codes[~on_street], own_kinds[~on_street]
        if self._region_after is not None and len(keep):
            region_after = self._region_after
            in_region = np.array(
                [
                    kind in ("name", "capital")
                    and folded.startswith(",", end)
                    and region_after.match(folded, end, starts[index] + len(pieces[index])) is not None
                    for kind, end, index in zip(
                        own_kinds.tolist(), spans_end[keep].tolist(), where[keep].tolist(), strict=True
                    )
                ],
                dtype=bool,
            )
            if in_region.any():
                keep, codes, own_kinds = keep[~in_region], codes[~in_region], own_kinds[~in_region]
        spans_start, spans_end, where = spans_start[keep], spans_end[keep], where[keep]
        base = starts_array[where]
        surfaces = list(map(text.__getitem__, map(slice, spans_start.tolist(), spans_end.tolist())))
        own_start, own_end = (spans_start - base).tolist(), (spans_end - base).tolist()
        # in a text with marks: from the match's first letter to the marks on its last, as written
        for index, (piece, places) in written.items():
            lo, hi = np.searchsorted(where, [index, index + 1]).tolist()  # (`where` is sorted)
            own_start[lo:hi] = places[spans_start[lo:hi] - starts[index]].tolist()
            own_end[lo:hi] = places[spans_end[lo:hi] - starts[index]].tolist()
            surfaces[lo:hi] = map(piece.__getitem__, map(slice, own_start[lo:hi], own_end[lo:hi]))
        columns = _Columns(where, codes.tolist(), surfaces, own_start, own_end, own_kinds.tolist())
        return _initials(columns) if "initials" in columns.kind else columns

    def _word_matches(self, parts: list[str]) -> np.ndarray:
        """``(end, key number)`` of every match of the word automaton in ``"".join(parts)``, in order.

        Part by part, each read after the end of the one before, as long as the longest key: the
        automaton's state, so what it finds, depends on no more than that. The automaton copies
        what it reads to four bytes a character: a few parts of the batch, not all of it.
        """
        if len(parts) == 1:
            return np.fromiter(chain.from_iterable(self._word_ids.iter(parts[0])), dtype=np.int64).reshape(-1, 2)
        found = []
        tail, offset = "", 0  # the end of what was read, and where that starts in the whole
        for part in parts:
            read = tail + part
            matches = np.fromiter(chain.from_iterable(self._word_ids.iter(read)), dtype=np.int64).reshape(-1, 2)
            matches = matches[matches[:, 0] >= len(tail)]  # those ending in `tail` were found before
            matches[:, 0] += offset
            found.append(matches)
            kept = min(len(read), self._longest_key)
            tail, offset = read[len(read) - kept :], offset + len(read) - kept
        return np.concatenate([np.zeros((0, 2), dtype=np.int64), *found])

    def _accept(
        self,
        text: str,
        folded: str,
        start: int,
        end: int,
        entry: _Entry,
        whole: Callable[[], str],
        lo: int,
        hi: int,
    ) -> bool:
        """The context rules: acronyms in headlines, first names, cue words, languages, particles.

        ``text[lo:hi]`` is the text the mention is in (of a batch's texts joined): no rule looks
        past it, so that a text's mentions do not depend on its neighbours in the batch.
        """
        key = folded[start:end]
        original = text[start:end]
        if "." not in original and original.isupper() and original in self._word_acronyms and _shouting(text, start):
            return False
        if (
            key in self._first_names
            and self._looks_like_person(text, folded, start, end, lo, hi)
            and not _shouting(text, start)
        ):
            return False
        if (
            key in self._surnames
            and text[start : start + 1].isupper()  # a surname has its capital (`il presidente francese` is none)
            and self._after_first_name(text, folded, start, lo)
            and not _shouting(text, start)
        ):
            return False
        if key in self._require and not any(w in whole() for w in self._require[key]):
            return False
        if key in self._require_prev:
            before = folded[max(lo, start - 30) : start].rstrip()
            if not any(before.endswith(w) for w in self._require_prev[key]):
                return False
        if key in self._languages and self._names_language(text, folded, start, end, lo, hi):
            return False
        if key in self._listed and not self._in_country_list(folded, start, end, entry.lead, lo, hi):
            return False
        if (key in self._segmented or key in self._whole_run) and self._inside_word(text, start, end, lo, hi):
            return False
        if key in self._combining and not (
            self._joined_to_country(text, folded, end, hi) or self._joined_after_country(text, folded, start, lo)
        ):
            return False
        return not (
            entry.kind == "self"
            and (self._followed_by_particle(folded, end, hi) or self._followed_by_demonym(folded, end, hi))
        )

    def _initials_inside(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]``, a compound of initials in Chinese characters, is letters
        of other words: in Chinese, by the word segmenter, where it begins inside a word or ends
        inside one begun after it (`今日|美国`, `1|日|美国`: no Japan; `中美关系`, one word, and
        `中|美|两国` are the two countries); in Japanese, without one, after a Chinese character
        or a digit (`毎日米`, `昨日朝`, `2日米国`: the `日` ends the word or date before)."""
        if not self._segmenter_name:
            return start > 0 and _HAN_OR_DIGIT.match(text[start - 1]) is not None
        if not _crossed(text, start, 0, len(text)) and not _crossed(text, end, 0, len(text)):
            return False  # (the segmenter cuts at both ends: no word of its dictionary crosses them)
        words, first, last = _window_words(text, start, end, 0, len(text))
        for _, word_start, word_end in words:
            if word_start < first < word_end:
                return True  # (begins inside a word)
            if word_start < last < word_end:
                return word_start != first  # (ends inside a word: one it begins is the compound's)
        return False

    def _inside_word(self, text: str, start: int, end: int, lo: int, hi: int) -> bool:
        """Whether ``text[start:end]``, a name in a script written without spaces, is letters of
        a longer word rather than a word of its own.

        In Chinese, by a word segmenter (jieba, on the sentence around it): the name is inside a
        word when it begins inside one and does not end with it (`道德|国家`, `内蒙古自治区`,
        `增加|纳税人`, `今日|本报讯` hold 德国, 蒙古, 加纳, 日本; `赴美国`, to go to the US, is
        one word that ends with the name, and `中国政府` one that begins with it). In Japanese, a
        katakana name joined to more katakana (`マリオ`, Mario; `アメリカン`) is inside a word.
        """
        for run in self._run_scripts:
            if run.fullmatch(text[start]) and start > lo and run.fullmatch(text[start - 1]):
                return True
            if run.fullmatch(text[end - 1]) and end < hi and run.fullmatch(text[end]):
                return True
        if not self._segmented or not _crossed(text, start, lo, hi):
            return False  # (the segmenter cuts before it: no word of its dictionary crosses there)
        words, first, last = _window_words(text, start, end, lo, hi)
        for _, word_start, word_end in words:
            if word_start <= first < word_end:
                return word_start < first and word_end != last
        return False

    def _policy(self, code: str) -> str:
        return self.options.western_sahara if code == "EH" else code

    def _resolve(self, entry: _Entry, whole: Callable[[], str], known: set[str], sentence: str = "") -> str | None:
        """The country of an ambiguous entry: from cue words in its ``sentence`` (folded), then in
        the context (``whole()``), else other mentions."""
        if entry.key and entry.key in self._cues:
            # the code whose cue words its own sentence writes most, when one does (`Pointe-Noire,
            # au Congo voisin` in a story of the DRC is Congo-Brazzaville)
            cues = self._cues[entry.key]
            local = _cue_counts(sentence, cues)
            best = max(local.values(), default=0)
            if best and sum(count == best for count in local.values()) == 1:
                return next(code for code, count in local.items() if count == best)
            # else the code whose cue words the article writes most often; a tie goes to the first
            # listed (a Kinshasa story that mentions Brazzaville once stays Congo-Kinshasa)
            counts = _cue_counts(whole(), cues)
            best = max(counts.values(), default=0)
            if best:
                return next(code for code, count in counts.items() if count == best)
            default = self._defaults.get(entry.key)
            if entry.codes and default not in entry.codes and len(entry.codes) == 1:
                return entry.codes[0]
            return default
        for code in entry.codes:
            if code in known:
                return code
        return entry.codes[0] if entry.codes else None

    def _looks_like_person(self, text: str, folded: str, start: int, end: int, lo: int, hi: int) -> bool:
        """A first name: followed directly by a capitalised word (`Jordan Bardella`) that is no
        institution's word (`Israel Defense Forces`, `Chad President`: context.toml) or a particle
        and one (`Dominique de Villepin`), or preceded by a title (`M.`, `Mr`) or by a possessive
        and a relative's word (`his partner Jordan`); within ``lo:hi``."""
        following = _NEXT_NAME.match(text, end, hi)
        if following and fold_keep_length(following.group(1)) in self._institution_words:
            return False  # the country's institution or office (`China Coast Guard`, `Chad President`)
        if following and fold_keep_length(following.group(1)) not in self.gazetteer.entries:
            return True
        particle = _NEXT_PARTICLE.match(folded, end, hi)
        if (
            particle
            and particle.group(1) in self._particles
            and text[particle.end() : min(particle.end() + 1, hi)].isupper()
        ):
            return True
        before = _last_word(folded[max(lo, start - 20) : start], self._title_runs)
        if before is not None and before.rstrip(".") in self._titles:
            return True
        return self._relative is not None and self._relative.search(folded, max(lo, start - 30), start) is not None

    def _after_first_name(self, text: str, folded: str, start: int, lo: int) -> bool:
        """A surname: right after a capitalised word (one space between) that is no country's
        word and no function word (`François Hollande`, not `La Hollande` nor `Syria Jordan`), or
        after a title (`M. Hollande`); within ``lo:``."""
        before = _PREVIOUS_NAME.search(text, max(lo, start - 40), start)
        if before is not None and before.group(1)[0].isupper() and before.group(1)[1:].islower():
            # (Turkish `İle` lower-cased is `i̇le`: its dot above is no accent)
            lower = unicodedata.normalize("NFC", before.group(1).lower().replace("\u0307", ""))
            # (French's, English's and the text's language's function words: Czech `tom`, that, is no
            # function word of an English text, `Tom Holland` a person)
            function_words = _function_words((self.language,) if self.language is not None else ())
            return fold_keep_length(before.group(1)) not in self.gazetteer.entries and lower not in function_words
        title = _last_word(folded[max(lo, start - 20) : start], self._title_runs)
        return title is not None and title.rstrip(".") in self._titles

    def _followed_by_particle(self, folded: str, end: int, hi: int) -> bool:
        particle = _NEXT_PARTICLE.match(folded, end, hi)
        return bool(particle and particle.group(1) in self._particles) or folded[end : min(end + 4, hi)] in (
            "-uni",
            " uni",
        )

    def _followed_by_demonym(self, folded: str, end: int, hi: int) -> bool:
        """A self phrase followed by another country's adjective is that country's (Arabic puts the
        adjective after the noun: `المملكة الإسبانية`, the Spanish kingdom, is no Morocco)."""
        following = _NEXT_PARTICLE.match(folded, end, hi)
        entries = self.gazetteer.entries.get(following.group(1)) if following else None
        return bool(entries) and any(e.kind == "demonym" for e in entries or ())

    def _joined_to_country(self, text: str, folded: str, end: int, hi: int) -> bool:
        """Whether a hyphen joins the word ending at ``end`` to another country's adjective
        (`franco-marocain`, `Anglo-Irish`, `italo-franco-libyen`) or to a country's name in
        capitals (`Indo-US`): the combining forms that are words of their own (`Franco`, `Italo
        Calvino`, `anglo-saxon`, `indo-européen`) count only so. The word after the hyphen may be
        the first of a name of several (`franco-sud-africain`)."""
        if end >= hi or text[end] not in _HYPHENS:
            return False
        at = end + 1
        for _ in range(3):
            run = _RUN.match(folded, at, hi)
            if run is None:
                return False
            entries = self.gazetteer.entries.get(folded[end + 1 : run.end()], ())
            if any(e.kind == "demonym" for e in entries):
                return True
            if text[end + 1 : run.end()].isupper() and any(e.kind == "name" for e in entries):
                return True
            at = run.end() + 1
            if at >= hi or text[run.end()] not in _HYPHENS:
                return False
        return False

    def _joined_after_country(self, text: str, folded: str, start: int, lo: int) -> bool:
        """Whether a hyphen joins the word starting at ``start`` to a country's combining form or
        adjective before it, the compound's last part (`Indo-Pak`, `sino-indo`)."""
        if start - 1 <= lo or text[start - 1] not in _HYPHENS:
            return False
        before = _LAST_RUN.search(folded, lo, start - 1)
        entries = self.gazetteer.entries.get(before.group(), ()) if before else ()
        return any(e.kind == "demonym" for e in entries)

    def _names_language(self, text: str, folded: str, start: int, end: int, lo: int, hi: int) -> bool:
        """A language name used for the language: `en français`, `le français`, in a list of
        languages (looking within ``lo:hi``); never when joined by a hyphen to a country's word
        (Dutch `het Frans-Duitse verdrag`: the first half of a compound adjective), nor in a list
        before a noun of ``demonym_nouns`` (`French and Dutch ships`)."""
        joined = _RUN.match(folded, end + 1, hi) if end < hi and text[end] in _HYPHENS else None
        if joined is not None and joined.group() in self.gazetteer.entries:
            return False
        # a language writing its nouns with a capital: `Deutsch` is the language, `deutsch` the adjective
        if folded[start:end] in self._language_nouns and text[start].isupper() and not _opens_sentence(text, start, lo):
            return True
        before = _last_word(folded[max(lo, start - 25) : start], self._cue_runs)
        if before is not None and before in self._language_cues and text[start : start + 1].islower():
            return True
        if before in self._strong_cues:
            return True
        following = _NEXT_WORD.match(folded, end, hi) if self._after_cues else None
        if following is not None and following.group(1) in self._after_cues:
            return True
        if self._noun_after_list is not None and self._noun_after_list.match(folded, end, hi):
            return False  # adjectives of nationality before their noun (`French and Dutch ships`)
        # a separator right before (after) the name is where the stripped window ends (starts):
        # without one there, the split would find no list item
        items = []
        left_window = folded[max(lo, start - 30) : start]
        if left_window.rstrip().endswith(self._separator_texts):
            left = self._list_separator.split(left_window)
            if len(left) >= 2 and not left[-1].strip():
                items += _WORD.findall(left[-2])[-1:]
        right_window = folded[end : min(hi, end + 30)]
        if right_window.lstrip().startswith(self._separator_texts):
            right = self._list_separator.split(right_window)
            if len(right) >= 2 and not right[0].strip():
                items += _WORD.findall(right[1])[:1]
        if self._joined_conjunctions and self._after_cued_list(folded, start, lo):
            return True
        if not self._language_lists:
            return self._after_cued_words(folded, start, lo)
        return not self._language_words.isdisjoint(items)

    def _after_cued_words(self, folded: str, start: int, lo: int) -> bool:
        """Whether a name ends a list of language names, its items parted by commas or
        conjunctions written apart, whose first one follows a cue (Persian `به زبان انگلیسی و
        فرانسوی`, in English and French), where a list alone is no list of languages."""
        words = _WORD.findall(folded[max(lo, start - 80) : start])
        named = False
        while words and (words[-1] in self._conjunctions or words[-1] in self._language_words):
            named = named or words[-1] in self._language_words
            words.pop()
        return named and bool(words) and (words[-1] in self._strong_cues or words[-1] in self._language_cues)

    def _after_cued_list(self, folded: str, start: int, lo: int) -> bool:
        """Whether a name joined to a conjunction written joined to it (Arabic و, and) ends a list
        of language names whose first one follows a cue (`يتحدث الفرنسية والإسبانية`, speaks French
        and Spanish). A list without a cue is not enough: the feminine adjective is the language's
        name (`الشركات الفرنسية والإسبانية`, the French and Spanish companies)."""
        words = _WORD.findall(folded[max(lo, start - 80) : start])
        if not words or words[-1] not in self._joined_conjunctions or not folded.endswith(words[-1], lo, start):
            return False
        for i in range(len(words) - 2, -1, -1):
            word = words[i]
            bare = next((word[len(c) :] for c in self._joined_conjunctions if word.startswith(c)), word)
            if bare in self._language_words and bare != word:
                continue  # an item joined to the one before it
            if word not in self._language_words:
                return False
            return i > 0 and (words[i - 1] in self._strong_cues or words[i - 1] in self._language_cues)
        return False

    def _in_country_list(self, folded: str, start: int, end: int, lead: int, lo: int, hi: int) -> bool:
        """Whether the name at ``start:end`` (after ``lead`` characters of a joined prefix) is an
        item of a list of countries: a country's name (of up to three words) right before it, past
        a comma or with a conjunction joined to the name (`السنغال ومالي`, Senegal and Mali), or
        right after it, past a comma or joined to a conjunction (`مالي والنيجر`). A preposition
        is no list (`دعم مالي لتونس`, financial support for Tunisia)."""
        entries = self.gazetteer.entries

        def named(words: list[str]) -> bool:
            return any(
                any(e.kind in ("name", "capital") and e.codes for e in entries.get(" ".join(words[-n:]), ()))
                for n in range(1, min(3, len(words)) + 1)
            )

        before = folded[max(lo, start - lead - 40) : start - lead].rstrip()
        comma = before.endswith(",")
        joined = lead > 0 and folded[start - lead : start] in self._joined_conjunctions
        words = _WORD.findall(before.rstrip(","))
        if not comma and not joined and words and words[-1] in self._conjunctions:  # (Russian `Бенин и Того`)
            joined, words = True, words[:-1]
        if (comma or joined) and named(words):
            return True
        after = folded[end : min(hi, end + 40)].lstrip()
        comma = after.startswith(",")
        words = _WORD.findall(after[1:] if comma else after)[:4]
        if words and not comma and words[0] in self._conjunctions:
            comma, words = True, words[1:]
        words = words[:3]
        if words and (comma or words[0].startswith(self._joined_conjunctions)):
            # the item right after is a name (`Того, что Мали`: `что` is no country)
            return any(named([" ".join(words[:n])]) for n in range(1, len(words) + 1))
        return False

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


def unlisted_languages(languages: dict[str, int], options: CountryOptions) -> dict[str, int]:
    """Of a corpus's article counts per language, those of languages that have country names of
    their own (CLDR's) but that ``options.languages`` does not list, French and English aside:
    their articles are matched with the French and English names alone (a Turkish `Fransa`, a
    Polish `Francji` are missed). Most articles first."""
    from babel import Locale, UnknownLocaleError

    unlisted: dict[str, int] = {}
    for language, n in languages.items():
        if not language or language in ("fr", "en", "und") or language in options.languages:
            continue
        try:
            if Locale.parse(language).territories:
                unlisted[language] = n
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return dict(sorted(unlisted.items(), key=lambda item: (-item[1], item[0])))


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
    articles: Iterable[tuple[str, str | None, str | None]],
    matcher: CountryMatcher,
    languages: Sequence[str | None] | None = None,
    countries: Sequence[str | None] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Country rows and region rows of many articles, matched in one pass (per language and
    outlet's country, with ``languages`` and ``countries``: each article's)."""
    ids: list[str] = []
    titles: list[str | None] = []
    texts: list[str | None] = []
    for article_id, title, text in articles:
        ids.append(article_id)
        titles.append(title)
        texts.append(text)
    found = _mention_tables(ids, titles, texts, matcher, languages, countries)
    return found.mentions.to_pylist(), found.regions.to_pylist()


class _Tables(NamedTuple):
    """The mentions of a task's articles: the country and region tables, and the article (row of
    the task) of each of their rows."""

    mentions: Any  # pa.Table (COUNTRY_MENTION_SCHEMA)
    regions: Any  # pa.Table (REGION_MENTION_SCHEMA)
    rows: np.ndarray
    region_rows: np.ndarray


def _mention_tables(
    ids: list[str],
    titles: list[str | None],
    texts: list[str | None],
    matcher: CountryMatcher,
    languages: Sequence[str | None] | None = None,
    countries: Sequence[str | None] | None = None,
) -> _Tables:
    """The mentions of articles (``ids``, each one's title and clean text), in their order, made
    into Arrow columns straight from the matcher's (no Python object per mention); with
    ``languages`` and ``countries`` (each article's language and outlet's country), each article
    is matched with its own matcher (:meth:`CountryMatcher.for_article`)."""
    import pyarrow as pa

    from analysis.schema import COUNTRY_MENTION_SCHEMA, REGION_MENTION_SCHEMA

    if languages is not None or countries is not None:
        groups: dict[CountryMatcher, list[int]] = {}  # (matchers hash by identity)
        for i, own in enumerate(_article_matchers(matcher, len(ids), languages, countries)):
            groups.setdefault(own, []).append(i)
        if len(groups) > 1 or (groups and matcher not in groups):
            return _assembled(
                ids,
                [
                    (_mention_tables([ids[i] for i in at], [titles[i] for i in at], [texts[i] for i in at], own), at)
                    for own, at in groups.items()
                ],
            )

    pieces: list[str | None] = [None] * (2 * len(ids))
    pieces[0::2], pieces[1::2] = titles, texts  # article i: text 2i is its title, 2i + 1 its text
    joined: dict[int, str] = {}

    def context(i: int) -> str:
        """The title and text of text ``i``'s article, joined when a rule first needs them."""
        if i >> 1 not in joined:
            joined[i >> 1] = "\n".join(x for x in pieces[i & ~1 : (i & ~1) + 2] if x)
        return joined[i >> 1]

    found = matcher._find_columns(pieces, context)
    rows = found.text >> 1
    codes = pa.array(found.code, pa.string()).dictionary_encode()
    code_of = codes.indices.to_numpy(zero_copy_only=False)
    uniques = codes.dictionary.to_pylist()
    kinds = pa.array(found.kind, pa.string())
    region = np.asarray(kinds.to_numpy(zero_copy_only=False) == "region", dtype=bool)
    columns = {
        "article_id": pa.array(ids, pa.string()).take(pa.array(rows)),
        "surface": pa.array(found.surface, pa.string()),
        "start": pa.array(found.start, pa.int64()),
        "end": pa.array(found.end, pa.int64()),
        "kind": kinds,
        "in_title": pa.array((found.text & 1) == 0),
    }

    def table(keep: np.ndarray, schema: Any, names: list[tuple[Any, ...]]) -> Any:
        """The mentions ``keep`` picks, with their code's ``names`` (a tuple of the schema's columns
        after the code, per unique code)."""
        fields = list(schema)
        width = schema.names.index("surface") - 2
        own = pa.array(code_of[keep])
        arrays = [columns["article_id"].take(pa.array(keep)), codes.dictionary.take(own)]
        arrays += [pa.array([n[j] for n in names], fields[2 + j].type).take(own) for j in range(width)]
        arrays += [columns[field.name].take(pa.array(keep)) for field in fields[2 + width :]]
        return pa.Table.from_arrays(arrays, schema=schema)

    named, regions = np.flatnonzero(~region), np.flatnonzero(region)
    country_names = [matcher.country(code) for code in uniques]
    region_names = [matcher.gazetteer.region_names.get(code, (code, code)) for code in uniques]
    return _Tables(
        table(named, COUNTRY_MENTION_SCHEMA, country_names),
        table(regions, REGION_MENTION_SCHEMA, region_names),
        rows[named],
        rows[regions],
    )


def _article_matchers(
    matcher: CountryMatcher,
    n: int,
    languages: Sequence[str | None] | None,
    countries: Sequence[str | None] | None,
) -> list[CountryMatcher]:
    """Each of ``n`` articles' matcher, from its language and outlet's country (when given)."""
    return [
        matcher.for_article(language, country)
        for language, country in zip(languages or repeat(None, n), countries or repeat(None, n), strict=True)
    ]


def extract_mentions(df: pd.DataFrame, matcher: CountryMatcher | None = None) -> pd.DataFrame:
    """Country mentions of every article of a frame with ``article_id``, ``title``, ``text``
    (and, if it has them, ``language`` and ``source_country``: see :meth:`CountryMatcher.for_article`)."""
    articles = (
        (a, t if isinstance(t, str) else None, x if isinstance(x, str) else None)
        for a, t, x in zip(df["article_id"], df["title"], df["text"], strict=True)
    )
    languages, countries = (
        [x if isinstance(x, str) else None for x in df[column]] if column in df else None
        for column in ("language", "source_country")
    )
    rows, _ = batch_mention_rows(articles, matcher or default_matcher(), languages, countries)
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
_NAMES = ("iso3", "country", "country_fr")  # of the period keys, those a country's code gives (Gazetteer.names)


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
        # a code without names (a user's alias for a code the gazetteer does not name) is kept too
        grouped = joined.groupby(["period", "iso2", "iso3", "country", "country_fr"], observed=True, dropna=False)
        table = pd.DataFrame({"articles": grouped["article_id"].nunique(), "mentions": grouped.size()}).reset_index()
        table.insert(0, "period_type", period)
        frames.append(table)
    counts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*_PERIOD_KEYS, "articles"])
    totals = pd.concat(total_frames, ignore_index=True) if total_frames else pd.DataFrame()
    return counts, totals


class _SumSchemas(NamedTuple):
    """The schemas of a task's additive counts (see :class:`_BatchMentions`)."""

    periods: Any  # pa.Schema: _PERIOD_KEYS, articles, mentions
    totals: Any  # period_type, period, period_articles
    pairs: Any  # iso2_a, iso2_b, articles


@cache
def _sum_schemas() -> _SumSchemas:
    import pyarrow as pa

    text, count, start = pa.string(), pa.int64(), pa.timestamp("us")  # (period_start's naive microseconds)
    keys = [("period_type", text), ("period", start)]
    return _SumSchemas(
        pa.schema([*keys, *((name, text) for name in _PERIOD_KEYS[2:]), ("articles", count), ("mentions", count)]),
        pa.schema([*keys, ("period_articles", count)]),
        pa.schema([("iso2_a", text), ("iso2_b", text), ("articles", count)]),
    )


class _Sums:
    """Counts of the tasks' tables (Arrow, of ``schema``) summed per key in the build's process
    (each article is in one task, so counts add): the tables held as they come, folded every
    ``fold`` of them (memory holds the sums, not every task's), by Arrow's grouping.

    ``named``: key columns that follow from the key ``of`` (a country's names from its code),
    neither grouped on nor carried through the folds: each value of ``of`` has its names from
    the first table that has it, joined to the sums at the end. The pandas grouping of each task's
    frames this replaced took 4.0 s of the build's process in the 1% addition at a million (its
    ``Counter`` of pairs 1.5 s, the periods' folds 2.5 s), beside the keyword stage's thread; with
    the names grouped as each group's first value in every fold, Arrow's grouping took 5.1 s of it
    in a later profile (500 synthetic tasks of 4,000 rows: 2.3 s with the names, 0.44 s aside).
    """

    def __init__(
        self, schema: Any, keys: Sequence[str], named: Sequence[str] = (), of: str | None = None, fold: int = 32
    ) -> None:
        self._keys = [k for k in keys if k not in named]
        if named and of not in self._keys:
            raise ValueError(f"named columns {list(named)} follow from a key, not {of!r}")
        self.schema = schema
        self._named = list(named)
        self._of = of
        self._sums = [name for name in schema.names if name not in keys]
        self._fold = fold
        self._tables: list[Any] = []
        self._names: dict[Any, tuple[Any, ...]] = {}  # value of ``of``: its named columns' values

    def add(self, table: Any) -> None:
        import pyarrow.compute as pc

        if not table.num_rows:
            return
        if self._named:
            column = table[self._of].combine_chunks()
            values = pc.unique(column)
            rows = pc.index_in(values, value_set=column)  # (a row of each value: its names; a null too)
            for value, row in zip(values.to_pylist(), rows.to_pylist(), strict=True):
                if value not in self._names:
                    self._names[value] = tuple(table[name][row].as_py() for name in self._named)
            table = table.drop_columns(self._named)
        self._tables.append(table)
        if len(self._tables) >= self._fold:
            self._tables = [self._summed()]

    def _summed(self) -> Any:
        """The held tables folded into one, without the named columns."""
        import pyarrow as pa

        joined = pa.concat_tables(self._tables)
        grouped = joined.group_by(self._keys, use_threads=False).aggregate([(name, "sum") for name in self._sums])
        return pa.table(
            [*(grouped[k] for k in self._keys), *(grouped[f"{name}_sum"] for name in self._sums)],
            names=[*self._keys, *self._sums],
        )

    def table(self) -> Any:
        """The sums so far, a row per key (in no order of the tables': the stage sorts its tables)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not self._tables:
            return self.schema.empty_table()
        summed = self._summed()
        got = {name: summed[name] for name in [*self._keys, *self._sums]}
        if self._named:
            values = list(self._names)
            found = pc.index_in(summed[self._of], value_set=pa.array(values, self.schema.field(self._of).type))
            for i, name in enumerate(self._named):
                column = pa.array([self._names[v][i] for v in values], self.schema.field(name).type)
                got[name] = column.take(found)
        return pa.table([got[name] for name in self.schema.names], schema=self.schema)

    def frame(self) -> pd.DataFrame:
        return self.table().to_pandas()


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
    cache_counts: dict[str, dict[str, int]] | None = None,
) -> dict[str, Any]:
    """Country and region mentions of a processed article table, then the aggregates.

    Each batch is a task on ``engine`` (default: this process): its mentions, and its additive
    counts per period and per pair of countries, combined here in batch order, so memory holds
    the aggregates, never the whole mentions table. With ``cache`` (the folder of
    :mod:`analysis.cache`), a task whose rows an earlier build's task had is read back whole
    (:data:`PARTS_CACHE`), and otherwise the mentions of a title and text matched before are
    (:data:`MENTIONS_CACHE`), unless ``fresh`` (the caches then start empty); their use goes to
    ``cache_counts``, by cache.
    """
    from analysis.cache import Caches
    from analysis.engine import SerialEngine, row_group_tasks, share
    from analysis.io.store import PartsWriter, open_parquet
    from analysis.schema import COUNTRY_MENTION_SCHEMA, REGION_MENTION_SCHEMA

    engine = engine or SerialEngine()
    caches = Caches(cache, cache_fingerprints(options), fresh=fresh, files=[PARTS_CACHE]) if cache else None
    names = open_parquet(articles).schema_arrow.names
    # the columns that choose an article's matcher (CountryMatcher.for_article)
    read = [c for c in ("language", "source_country") if c in names and (c != "language" or options.languages)]
    # The mention tables in parts, one per task, keyed by the task's part (its rows, options and
    # code): a part the folder before holds is kept as it is, and a task whose mention tables
    # both folders hold does not send them.
    mentions_out = PartsWriter(out_dir / MENTIONS_FILE, COUNTRY_MENTION_SCHEMA, keep=not fresh)
    regions_out = PartsWriter(out_dir / REGIONS_FILE, REGION_MENTION_SCHEMA, keep=not fresh)
    known = mentions_out.known() & regions_out.known() if caches else frozenset()
    context = share((options, caches.refs if caches else {}, read, known), (work_dir or out_dir) / ".countries.pkl")
    counts: Counter[str] = Counter()
    schemas = _sum_schemas()
    periods, totals = (
        _Sums(schemas.periods, _PERIOD_KEYS, _NAMES, "iso2"),
        _Sums(schemas.totals, ["period_type", "period"]),
    )
    pairs = _Sums(schemas.pairs, ["iso2_a", "iso2_b"])
    countries_seen: set[str] = set()
    try:
        tasks = ((str(context), str(articles), groups) for groups in row_group_tasks(articles, batch_size))
        for result in engine.map(_country_task, tasks):
            if caches:
                caches.record(result.cache)
            counts.update(result.counts)
            countries_seen.update(result.countries)
            for writer, table, n_rows in (
                (mentions_out, result.mentions, result.counts["mentions"]),
                (regions_out, result.regions, result.counts["region_mentions"]),
            ):
                _write_part(writer, table, n_rows, result.key, result.omitted)
            periods.add(result.periods)
            totals.add(result.totals)
            pairs.add(result.pairs)
        mentions_out.close()
        regions_out.close()
        if caches:
            used = caches.finish()
            if cache_counts is not None:
                cache_counts.update(used)
    except BaseException:
        mentions_out.abort()
        regions_out.abort()
        if caches:
            caches.close()
        raise
    finally:
        context.unlink(missing_ok=True)
    period_table = _with_share(periods.frame(), totals.frame())
    pair_table = (
        pairs.frame()
        .sort_values(["articles", "iso2_a", "iso2_b"], ascending=[False, True, True], kind="stable")
        .reset_index(drop=True)
    )
    _write_aggregates(out_dir, period_table, pair_table)
    counts["countries"] = len(countries_seen)
    return dict(sorted(counts.items()))


def _write_part(writer: PartsWriter, table: Any, rows: int, key: str | None, omitted: bool) -> None:
    """A task's mention table (``rows`` of them) as the writer's next part: the part of the folder
    before with its ``key`` kept, or when the task left the table out and that part cannot be
    kept, its rows read back from it."""
    members = [(key, rows)] if key is not None else None
    if omitted:
        assert key is not None
        if writer.keep(key, members=members):
            return
        table = writer.member(key)
        if table is None or table.num_rows != rows:
            raise RuntimeError(f"{writer.target}: no part of the folder before holds the rows of task {key}")
    writer.write(table, key, members=members)


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
        if len(frame):
            table = pa.Table.from_pandas(frame[[c.name for c in columns]], preserve_index=False).cast(schema)
        else:  # no country mentioned (an empty frame's columns would be numbers, not the schema's types)
            table = schema.empty_table()
        with atomic_path(out_dir / name) as tmp:
            pq.write_table(table, tmp, compression="zstd")


_MATCHERS: dict[str, CountryMatcher] = {}


def shared_matcher(options: CountryOptions) -> CountryMatcher:
    """The matcher of these options, built once a process (the fork server builds it for the
    workers: see :mod:`analysis.warm`)."""
    found = _MATCHERS.get(repr(options))
    if found is None:
        found = _MATCHERS[repr(options)] = CountryMatcher(options)
    return found


# the columns of a cached mention (the article id is the row's, not the text's)
_COUNTRY_FIELDS = ("iso2", "iso3", "country", "country_fr", "surface", "start", "end", "kind", "in_title")
_REGION_FIELDS = ("region", "region_en", "region_fr", "surface", "start", "end", "in_title")


#: The caches of the stage (see :func:`run_stage`): per title and text, and per task (a folder of files).
MENTIONS_CACHE, PARTS_CACHE = "countries", "country_parts"


def cache_fingerprints(options: CountryOptions) -> dict[str, str]:
    """The fingerprint of each cache's keys: :func:`mention_fingerprint`, and for a task's whole
    result, also the libraries its aggregates are counted with."""
    from analysis.cache import code_digest

    mentions = mention_fingerprint(options)
    return {MENTIONS_CACHE: mentions, PARTS_CACHE: repr((mentions, code_digest("pandas", "pyarrow", "numpy")))}


def mention_fingerprint(options: CountryOptions) -> str:
    """What the mentions of a text depend on besides the text: the options, this code, the gazetteer's data,
    the libraries it reads (stopwordsiso: the function words before a surname)."""
    import sys

    from analysis.cache import code_digest

    code = code_digest(
        sys.modules[__name__],
        Path(__file__).parent / "data" / "countries",
        "babel",
        "pycountry",
        "pyahocorasick",
        "stopwordsiso",
    )
    return repr((code, marshal.version, options))


def _task_periods(
    meta: Any,
    article: np.ndarray,
    iso: np.ndarray,
    names: list[tuple[Any, ...]],
    periods: Iterable[str],
    counted: np.ndarray,
) -> tuple[Any, Any]:
    """:func:`_period_counts` of one task, counted with numpy instead of pandas joins, as Arrow
    tables (:func:`_sum_schemas`): ``meta`` its articles (``published``, as Arrow), ``article`` and
    ``iso`` each mention's article (row of ``meta``) and country (index into ``names``, its codes'
    (ISO2, ISO3, English, French) names), ``counted`` which articles count."""
    import pyarrow as pa

    schemas = _sum_schemas()
    keep = counted[article]
    article, iso = article[keep], iso[keep]  # mentions of counted articles
    # (numpy datetimes: the period of an Arrow-backed series takes 20 times as long)
    published = meta["published"].to_pandas()[counted]
    columns = [np.array([n[i] for n in names] or [None], dtype=object) for i in range(4)]
    frames, total_frames = [], []
    n_codes = max(len(names), 1)
    # each article's countries once, with their mentions there: a period's counts add these up
    pairs, pair_mentions = np.unique(article * n_codes + iso, return_counts=True)
    pair_article, pair_code = pairs // n_codes, pairs % n_codes
    for period in periods:
        period_of, found_starts = pd.factorize(period_start(published, period))
        starts = np.asarray(found_starts, dtype="datetime64[us]")
        total_frames.append(
            pa.table(
                [pa.array([period] * len(starts), pa.string()), starts, np.bincount(period_of)], schema=schemas.totals
            )
        )
        article_period = np.full(len(counted), -1, dtype=np.int64)
        article_period[counted] = period_of
        found, inverse = np.unique(article_period[pair_article] * n_codes + pair_code, return_inverse=True)
        inverse = inverse.ravel()
        articles = np.bincount(inverse, minlength=len(found))
        mentions = np.bincount(inverse, weights=pair_mentions, minlength=len(found)).astype(np.int64)
        code = found % n_codes
        named = [pa.array(column[code], pa.string()) for column in columns]
        frames.append(
            pa.table(
                [pa.array([period] * len(found), pa.string()), starts[found // n_codes], *named, articles, mentions],
                schema=schemas.periods,
            )
        )
    if not frames:
        return schemas.periods.empty_table(), schemas.totals.empty_table()
    return pa.concat_tables(frames), pa.concat_tables(total_frames)


def _task_pairs(article: np.ndarray, iso: np.ndarray, codes: list[str], counted: np.ndarray) -> Any:
    """What :func:`co_mentions` counts in one task, as an Arrow table (:func:`_sum_schemas`):
    ``article`` and ``iso`` each mention's article and country (an index into ``codes``, which are
    sorted), ``counted`` which articles count."""
    import pyarrow as pa

    keep = counted[article]
    n_codes = max(len(codes), 1)
    named = np.unique(article[keep] * n_codes + iso[keep])  # each article's countries, in code order
    owner, code = named // n_codes, named % n_codes
    # every country of an article with each one after it in the same article
    later = np.searchsorted(owner, owner, side="right") - np.arange(len(named)) - 1
    before = np.cumsum(later) - later
    second = np.repeat(np.arange(1, len(named) + 1) - before, later) + np.arange(int(later.sum()))
    found, n = np.unique(np.repeat(code, later) * n_codes + code[second], return_counts=True)
    code_names = np.array(codes or [""], dtype=object)
    iso2_a, iso2_b = (pa.array(code_names[k], pa.string()) for k in (found // n_codes, found % n_codes))
    return pa.table([iso2_a, iso2_b, n], schema=_sum_schemas().pairs)


@dataclass
class _BatchMentions:
    mentions: Any  # pa.Table
    regions: Any  # pa.Table
    counts: Counter[str]
    periods: Any  # pa.Table of each of its additive counts (see _sum_schemas)
    totals: Any
    pairs: Any
    cache: dict[str, CacheUse] = field(default_factory=dict)  # what the task did with each cache
    countries: list[str] = field(default_factory=list)  # the countries its mentions name, sorted
    key: str | None = None  # the key of its task part (PARTS_CACHE), as hex: its mention tables' key
    omitted: bool = False  # its mention tables left out: the folders before hold them (see run_stage)

    def omit(self) -> _BatchMentions:
        """The same without its mention tables (the build's process keeps the parts that hold them)."""
        from analysis.schema import COUNTRY_MENTION_SCHEMA, REGION_MENTION_SCHEMA

        self.mentions, self.regions = COUNTRY_MENTION_SCHEMA.empty_table(), REGION_MENTION_SCHEMA.empty_table()
        self.omitted = True
        return self

    def encode(
        self,
        bounds: tuple[np.ndarray, np.ndarray],
        keys: list[bytes],
        marks: list[str | None],
        tables: tuple[bytes, bytes] | None = None,
    ) -> bytes:
        """The result as a :data:`PARTS_CACHE` entry (the tables as Arrow IPC, the rest marshalled),
        with where each article's mentions start in its tables (``bounds``, see :func:`_bounds`),
        each article's key in :data:`MENTIONS_CACHE` (whose entries point here) and the duplicate
        marks (``duplicate_of``) it was counted under. ``tables``: its mention tables encoded
        already (an earlier part's), in place of its own."""
        from analysis.cache import pack, table_bytes

        if tables is None:
            tables = (table_bytes(self.mentions, "zstd"), table_bytes(self.regions, "zstd"))
        value = (
            [*tables, *(table_bytes(t, "zstd") for t in (self.periods, self.totals, self.pairs))],
            dict(self.counts),
            keys,
            [b.tobytes() for b in bounds],
            marks,
            self.countries,
        )
        return pack(marshal.dumps(value), compress=False)  # (the tables' buffers are compressed)


class _Part(NamedTuple):
    """A stored task part (:meth:`_BatchMentions.encode`) read back: its mentions (as a task's,
    decoded when asked for), its articles' keys and duplicate marks, and its counts' encoded
    tables and values."""

    tables: tuple[bytes, bytes]  # its mentions and region mentions, encoded
    bounds: tuple[np.ndarray, np.ndarray]  # (see _bounds) of its mentions and region mentions
    keys: list[bytes]
    marks: list[str | None]
    counted: tuple[list[bytes], dict[str, int], list[str]]  # its counts' tables encoded, its counts, its countries

    @classmethod
    def decode(cls, data: bytes) -> _Part:
        from analysis.cache import unpack

        tables, counts, keys, bounds, marks, countries = marshal.loads(unpack(data))
        starts = [np.frombuffer(b, dtype=np.int64) for b in bounds]
        return cls((tables[0], tables[1]), (starts[0], starts[1]), keys, marks, (tables[2:], counts, countries))

    def found(self, columns: Sequence[str] | None = None) -> _Tables:
        """Its mentions, decoded (``columns``: those of its country mentions only, and one small
        column of its region mentions: their number)."""
        from analysis.cache import table_from_bytes

        if columns is None:
            mentions, regions = map(table_from_bytes, self.tables)
        else:
            mentions, regions = (
                table_from_bytes(self.tables[0], columns),
                table_from_bytes(self.tables[1], ["in_title"]),
            )
        return _Tables(mentions, regions, *map(_rows, self.bounds))

    def taken(self, rows: Sequence[int]) -> _Tables:
        """The mentions of its articles ``rows``, in that order (see :func:`_taken`)."""
        return _taken(self.found(), self.bounds, rows)

    def result(self, *, omit: bool = False) -> _BatchMentions:
        """The task's result as stored (counted under :attr:`marks`); ``omit``: without its mention
        tables (not decoded, see :meth:`_BatchMentions.omit`)."""
        from analysis.cache import table_from_bytes

        tables, counts, countries = self.counted
        periods, totals, pairs = (table_from_bytes(t) for t in tables)  # (of _sum_schemas' types, as encoded)
        result = _BatchMentions(None, None, Counter(counts), periods, totals, pairs, countries=countries)
        if omit:
            return result.omit()
        found = self.found()
        result.mentions, result.regions = found.mentions, found.regions
        return result


def _bounds(rows: np.ndarray, n: int) -> np.ndarray:
    """Where the mentions of each of ``n`` articles start in a table ordered by article (``rows``
    each one's), and where the last ends."""
    return np.searchsorted(rows, np.arange(n + 1)).astype(np.int64)


def _rows(bounds: np.ndarray) -> np.ndarray:
    """Each mention's article, from :func:`_bounds`."""
    return np.repeat(np.arange(len(bounds) - 1, dtype=np.int64), np.diff(bounds))


def _read_part(parts: CacheRef | None, key: bytes, stored: bytes | None = None) -> _Part | None:
    """The stored task part under ``key`` (``stored``: its bytes, read already), or None: none
    stored, or not one this code reads (its rows are then matched again)."""
    if stored is None:
        stored = parts.get([key]).get(key) if parts is not None else None
    if stored is None:
        return None
    try:
        return _Part.decode(stored)
    except (ValueError, TypeError, EOFError):
        return None


def _reused_mentions(
    ids: list[str],
    titles: list[str | None],
    texts: list[str | None],
    matcher: CountryMatcher,
    ref: CacheRef,
    parts: CacheRef,
    part_key: bytes,
    languages: Sequence[str | None] | None = None,
    countries: Sequence[str | None] | None = None,
) -> tuple[_Tables, list[bytes], CacheUse]:
    """:func:`_mention_tables` of a task's articles, where those matched before are read from
    the stored task part their :data:`MENTIONS_CACHE` entry points to (the rest are matched);
    each article's key in that cache, and what the task did with it (every entry it used or
    added now points to the task's own part, ``part_key``).

    The parts are read one at a time, each for the rows wanted from it (a task whose rows come
    from many parts holds no more than its own mentions besides one part).
    """
    from analysis.cache import pack, unpack

    # an article of a language with its own names: its language is part of its key; one of an
    # outlet whose self-references are not the options' home country's: that country too
    base = matcher.for_article(None)
    owns = _article_matchers(matcher, len(ids), languages, countries)
    keys = [
        ref.key(title, text, *([own.language] if own.language else []), *([] if own.home == base.home else [own.home]))
        for title, text, own in zip(titles, texts, owns, strict=True)
    ]
    found = ref.get(keys)
    wanted: dict[bytes, list[tuple[int, int]]] = {}  # per part: (article, its row there)
    for i, key in enumerate(keys):
        value = found.get(key)
        data = unpack(value) if value is not None else b""
        if len(data) == 20:  # (else none, or not a pointer, from another layout: matched again)
            wanted.setdefault(data[:16], []).append((i, int.from_bytes(data[16:], "little")))
    pieces: list[tuple[_Tables, list[int]]] = []  # the mentions read back, and their articles
    for where, rows in wanted.items():
        part = _read_part(parts, where)
        if part is not None:
            held = [(i, row) for i, row in rows if row < len(part.keys) and part.keys[row] == keys[i]]
            if held:
                pieces.append((part.taken([row for _, row in held]), [i for i, _ in held]))
        del part
    located = {i for _, articles in pieces for i in articles}
    todo = [i for i in range(len(keys)) if i not in located]
    new = _mention_tables(
        [ids[i] for i in todo],
        [titles[i] for i in todo],
        [texts[i] for i in todo],
        matcher,
        None if languages is None else [languages[i] for i in todo],
        None if countries is None else [countries[i] for i in todo],
    )
    use = CacheUse()
    for i, key in enumerate(keys):
        pointer = pack(part_key + i.to_bytes(4, "little"), compress=False)
        if i not in located:
            use.new.append((key, pointer))
        elif found[key] == pointer:
            use.hits.append(key)
        else:
            use.moved.append((key, pointer))
    if not located:  # (every article matched: the new tables are the task's)
        return new, keys, use
    return _assembled(ids, [(new, todo), *pieces]), keys, use


def _taken(found: _Tables, bounds: tuple[np.ndarray, np.ndarray], rows: Sequence[int]) -> _Tables:
    """The mentions of the articles ``rows`` of ``found`` (whose articles' mentions start at
    ``bounds``: see :func:`_bounds`), in that order, their articles numbered from 0 in it."""
    import pyarrow as pa

    picked = np.asarray(rows, dtype=np.int64)
    tables, owners = [], []
    for table, starts in zip((found.mentions, found.regions), bounds, strict=True):
        first, length = starts[picked], starts[picked + 1] - starts[picked]
        owners.append(np.repeat(np.arange(len(picked), dtype=np.int64), length))
        at = np.repeat(first - (np.cumsum(length) - length), length) + np.arange(int(length.sum()))
        tables.append(table.take(pa.array(at, pa.int64())))
    return _Tables(tables[0], tables[1], owners[0], owners[1])


def _assembled(ids: list[str], sources: list[tuple[_Tables, list[int]]]) -> _Tables:
    """The mention tables of a task's articles (``ids``), in their order, from ``sources``: each
    the mentions of some of its articles (numbered from 0 in their list, each article in one
    source only), under this task's article ids."""
    import pyarrow as pa

    ids_array = pa.array(ids, pa.string())
    tables, rows = [], []
    for which, owners in ((0, 2), (1, 3)):
        # each mention's article in the task; a stable sort keeps each article's in their order
        article = np.concatenate([np.asarray(articles, dtype=np.int64)[found[owners]] for found, articles in sources])
        order = np.argsort(article, kind="stable")
        whole = pa.concat_tables([found[which] for found, _ in sources]).take(pa.array(order))
        field = whole.schema.field("article_id")
        tables.append(whole.set_column(0, field, ids_array.take(pa.array(article[order]))))
        rows.append(article[order])
    return _Tables(tables[0], tables[1], rows[0], rows[1])


def _country_task(task: tuple[str, str, tuple[int, ...]]) -> _BatchMentions:
    """Mentions and additive aggregates of one batch of articles (what a worker runs)."""
    from analysis.engine import read_row_groups, shared

    context, articles, groups = task
    options: CountryOptions
    refs: dict[str, CacheRef]
    known: frozenset[str]  # the keys of the tasks whose mention tables the folders before hold
    options, refs, read, known = shared(context)
    # (each article's language, when a language has names of its own, and its outlet's country,
    # when the table says them)
    meta = read_row_groups(Path(articles), groups, ["article_id", "published", "duplicate_of", *read])
    marks = meta["duplicate_of"].to_pylist()
    parts = refs.get(PARTS_CACHE)
    # keyed by the stored bytes of the rows without their duplicate marks (an article added later
    # may make an older one its copy): a task an earlier build answered reads no text
    texts_columns = ["article_id", "title", "text", "published", *read]
    key, stored = stored_entry(parts, Path(articles), groups, texts_columns)
    part = _read_part(parts, key, stored) if stored is not None else None
    if part is not None:  # an earlier build's task had these rows (and options, and code)
        omit = key.hex() in known
        if _counted_alike(part.marks, marks, options):  # (a copy of another original counts alike)
            result = part.result(omit=omit)
            result.cache = {PARTS_CACHE: CacheUse(hits=[key]), MENTIONS_CACHE: CacheUse(hits=part.keys)}
            result.key = key.hex()
            return result
        # other duplicate marks: the same mentions, counted again (the columns the counts read, when
        # the folders before hold its tables) and stored again as they were encoded
        result = _counted(meta, part.found(_COUNTED_COLUMNS if omit else None), options)
        result.cache = {MENTIONS_CACHE: CacheUse(hits=part.keys)}
        if isinstance(parts, FileRef):
            result.cache[PARTS_CACHE] = parts.put(key, result.encode(part.bounds, part.keys, marks, part.tables))
            result.key = key.hex()
            if omit:
                result.omit()
        return result
    matcher = shared_matcher(options)
    written = read_row_groups(Path(articles), groups, ["title", "text"])
    ids, titles, texts = (c.to_pylist() for c in (meta["article_id"], written["title"], written["text"]))
    languages, countries = (meta[c].to_pylist() if c in read else None for c in ("language", "source_country"))
    ref = refs.get(MENTIONS_CACHE)
    use: CacheUse | None = None
    if ref is not None and isinstance(parts, FileRef):
        found, keys, use = _reused_mentions(ids, titles, texts, matcher, ref, parts, key, languages, countries)
    else:
        found, keys = _mention_tables(ids, titles, texts, matcher, languages, countries), []
    result = _counted(meta, found, options)
    result.cache = {MENTIONS_CACHE: use} if use else {}
    if isinstance(parts, FileRef):  # (written here: the tables need not travel to the main process twice)
        bounds = (_bounds(found.rows, len(marks)), _bounds(found.region_rows, len(marks)))
        result.cache[PARTS_CACHE] = parts.put(key, result.encode(bounds, keys, marks))
        result.key = key.hex()
        if result.key in known:
            result.omit()
    return result


def _counted_alike(before: list[str | None], now: list[str | None], options: CountryOptions) -> bool:
    """Whether a task's counts under the duplicate marks ``before`` are those under ``now``: they
    read only which articles are copies (nothing of them when copies count too)."""
    return options.include_duplicates or [mark is None for mark in before] == [mark is None for mark in now]


#: The country mention columns :func:`_counted` reads (the region mentions: their number).
_COUNTED_COLUMNS = ("kind", "iso2", "iso3", "country", "country_fr")


def _counted(meta: Any, found: _Tables, options: CountryOptions) -> _BatchMentions:
    """A task's counts, from its articles (``meta``: ``article_id``, ``published``, ``duplicate_of``)
    and its mentions, through Arrow and numpy (no mention is a Python object here)."""
    import pyarrow.compute as pc

    mentions, regions = found.mentions, found.regions
    counts: Counter[str] = Counter()
    counts["articles"] += meta.num_rows
    counts["mentions"] += mentions.num_rows
    counts["region_mentions"] += regions.num_rows
    kinds = pc.value_counts(mentions["kind"])
    for kind, n in zip(kinds.field("values").to_pylist(), kinds.field("counts").to_pylist(), strict=True):
        counts[f"kind:{kind}"] += n
    # each mention's article (its row) and country (its code's place among the task's sorted codes)
    article = found.rows
    counts["articles_with_country"] += len(np.unique(article))
    # (the codes encoded as Arrow does, then their few values sorted: a sort of every mention's
    # code as Python strings took a quarter of the counting)
    encoded = pc.dictionary_encode(mentions["iso2"].combine_chunks())
    values = np.array(encoded.dictionary.to_pylist(), dtype=object)
    order = np.argsort(values, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    iso = rank[encoded.indices.to_numpy(zero_copy_only=False)] if len(order) else np.zeros(0, dtype=np.int64)
    codes = values[order]
    _, first = np.unique(iso, return_index=True)
    named = mentions.select(["iso2", "iso3", "country", "country_fr"]).take(first).to_pylist()
    names = [tuple(row.values()) for row in named]
    counted = np.ones(meta.num_rows, dtype=bool)
    if not options.include_duplicates:
        counted = pc.is_null(meta["duplicate_of"]).to_numpy(zero_copy_only=False)
    dated = pc.is_valid(meta["published"]).to_numpy(zero_copy_only=False)
    periods, totals = _task_periods(meta, article, iso, names, options.periods, counted & dated)
    pairs = _task_pairs(article, iso, codes.tolist(), counted)
    return _BatchMentions(mentions, regions, counts, periods, totals, pairs, countries=codes.tolist())
