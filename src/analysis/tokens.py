"""Tokens and terms that get French (and English) right.

``tokens`` are the words of a text in order: lower-cased, except short acronyms (``IA``, ``ONU``)
and names (a capitalised word that does not start a sentence or a Title Case headline: ``Paris``,
``Macron``, and any capital after an elision, ``d’Israël`` -> ``d'Israël``), which keep their
capitals, as does every capitalised word of German, where nouns have one (``NOUNS_CAPITALISED``);
French elisions, with either apostrophe, kept on their word lower-cased (``L’Inde`` -> ``l'Inde``,
``qu’elle`` -> ``qu'elle``; :func:`elided` parts them: a term is its word's, and a phrase is
shown with the elisions inside it, ``chiffre d'affaires``), while ``aujourd’hui`` is one word;
hyphenated names kept (``états-unis``, ``guinée-bissau``) but verb-pronoun inversions cut
(``dit-elle`` -> ``dit``); English possessives dropped (``Morocco’s`` -> ``Morocco``). Numbers, URLs
and e-mail addresses are not tokens; with ``breaks``, a :data:`BREAK` marks where the words do not
run on (in a text wrapped at a width, its full lines run on: :func:`wrap_width`); with
``locutions``, the words of a stopword of several words (``dans le cadre``, ``au niveau``, ``mise
en place``: :class:`Locutions`) are one token, written with spaces, and no term.

``terms`` are the tokens that carry content: stopwords (stopwords-iso plus news additions, per
language, user-extendable) and one-letter tokens removed, each reduced to its lemma (simplemma)
or, as an option, its Snowball stem (nltk); names are lower-cased but not reduced (``Paris`` is
not the plural of ``pari``; a capitalised demonym is a word: ``les Tunisiens``, ``tunisien``), but
in German a capitalised word is reduced as written (``Flüchtlinge`` -> ``flüchtling``; a name
simplemma does not know stays as it is); acronyms kept as they are.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from analysis.text import (
    MARKS,
    OPTIONAL_MARKS,
    UNSPACED,
    arabic_article,
    bmp_class_table,
    bmp_table,
    chinese_segmenter,
    runs,
)

STOPWORDS_FILE = Path(__file__).parent / "data" / "stopwords.toml"
#: Lemmas that replace simplemma's (a noun it reads as a verb's form: `visite`, `arrivée`), per language.
LEMMAS_FILE = Path(__file__).parent / "data" / "lemmas.toml"
#: The countries' demonyms (analysis.countries's data): nouns of nationality are words, not names.
DEMONYMS_FILE = Path(__file__).parent / "data" / "countries" / "demonyms.toml"

#: A word's character: a letter, digit or underscore (``\w``), or a combining mark (`भारत`, `محمّد`).
_W = rf"[\w{MARKS}]"
_WORD = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"]+)"
    # (not from inside a run of its characters: a start there reaches the run's end as its start
    # did, and fails as it did; tried at each, a 1 MB line of dots took a quarter of an hour)
    r"|(?P<email>(?<![\w.+-])[\w.+-]++@[\w-]+\.[\w.-]+)"
    # `U.S.`; Spanish plurals double the letters: `EE.UU.`, `FF.AA.`
    r"|(?P<acro>(?:[^\W\d_]\.){2,}|(?:(?P<pair>[A-ZÀ-Ý])(?P=pair)\.){2,})"
    rf"|(?P<word>{_W}+(?:['’]{_W}+)*(?:[-‐‑]{_W}+(?:['’]{_W}+)*)*)"
)
#: Languages that write every noun with a capital: there a capitalised word keeps it wherever it
#: stands (a noun or a name), and is lemmatised as written (simplemma knows German nouns with
#: their capital: `Flüchtlinge` -> `Flüchtling`, while `schule` would be the verb `schulen`).
NOUNS_CAPITALISED = frozenset({"de", "lb"})
#: Languages whose names decline (Russian `России`, `Россию`; Ukrainian `Києві`): a name is
#: lemmatised as written, and its lemma kept when it is a name too (simplemma's `Россия`), else the
#: name stays as it is (`Лаврова`, a surname, is no `лавровый`, laurel); a sentence's first word
#: is a name when its lemma is one (`Київ`, not `кий`)
NAMES_DECLINED = frozenset({"ru", "uk"})
#: What ends a sentence (or a headline's lead-in): the next capitalised word may be an ordinary word.
_SENTENCE_END = re.compile(r"[.!?:;«»\"“”(\[•·|–—]")
_NOT_LETTER = re.compile(r"[\W\d_]+")
#: A line that ends as a sentence does (a word in small letters or a number, then a full stop):
#: no Title Case headline, which has none (`... à Paris.`, not `... Underneath N.Y.C.`).
_SENTENCE_CLOSE = re.compile(r"[^\W_A-ZÀ-Ý]\.[\s\"»”')\]]*$")
#: The mark :meth:`Tokenizer.tokens` puts where the words do not run on (``breaks=True``): between
#: two words something stood that is no space (a sentence end, a comma, a bracket, a dash, a
#: number, a percent sign...), or a line ended that the next does not go on (see
#: :func:`_runs_on`). It is no word, and no term: phrases and themes are not found across it.
BREAK = "|"
#: Part of a dotted acronym (``U.S.``, ``EE.UU.``): lines with one, a URL or an e-mail address take
#: the full scan. Looked for from each full stop (see :func:`_dotted`).
_DOTTED_LETTER = re.compile(r"\.[^\W\d_]\.")
_DOT_CAPITAL = re.compile(r"\.[A-ZÀ-Ý]")
_PAIRED_CAPITALS = frozenset(map(chr, [*range(ord("A"), ord("Z") + 1), *range(ord("À"), ord("Ý") + 1)]))
#: A word where no URL, e-mail or dotted acronym can be (the ``word`` branch of ``_WORD``).
_PLAIN_WORD = re.compile(rf"{_W}+(?:['’]{_W}+)*(?:[-‐‑]{_W}+(?:['’]{_W}+)*)*")
#: A line's words and what lies between them: ``split`` gives [before, word, between, word, ..., after].
_WORD_SPLIT = re.compile(f"({_PLAIN_WORD.pattern})").split
_OPENS_WITH_WORD = re.compile(r"\s*\w")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*(?:er|e|ème|eme|st|nd|rd|th|s|%)?$", re.IGNORECASE)
_ELISION = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"})
#: A run of elisions opening a word (`l'l'…`, junk), the last one in the group.
_ELISIONS = re.compile(
    "(?:(?:{0})')*((?:{0})')".format("|".join(sorted(_ELISION, key=len, reverse=True))), re.IGNORECASE
)
_WHOLE = frozenset(
    {
        "aujourd'hui",
        "quelqu'un",
        "quelqu'une",
        "presqu'île",
        "presqu'ile",
        "prud'homme",
        "prud'hommes",
        "entr'ouvert",
    }
)
_INVERSION = re.compile(
    r"(?:-t)?-(?:il|elle|on|ils|elles|je|tu|nous|vous|moi|toi|lui|leur|y|en|ce|le|la|les)$", re.IGNORECASE
)
#: At most this many entries in each memo of a :class:`Tokenizer` (distinct words; bounded memory).
_MEMO_LIMIT = 500_000
#: A character of a script written without spaces between words (``text.UNSPACED``): a run of
#: them is cut into overlapping pairs of characters (see :func:`unspaced_tokens`).
_UNSPACED = re.compile(f"[{UNSPACED}]")
#: A word of katakana (a token of its own: see Tokenizer._word)
_KATAKANA_WORD = re.compile("[\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f]+")
#: What parts the words of a run of katakana: the middle dot (`ロシア・ウクライナ`), the double hyphen.
_KATAKANA_BREAK = re.compile("[\u30a0\u30fb\uff65]+")
#: A run of one script among those (a letter and the marks after it), or of anything else.
_SCRIPT_RUNS = re.compile(
    "(?P<han>[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
    "|(?P<hiragana>[\u3040-\u309f]+)"
    "|(?P<katakana>[\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]+)"
    "|(?P<thai>[\u0e00-\u0e7f]+)|(?P<lao>[\u0e80-\u0eff]+)"
    "|(?P<myanmar>[\u1000-\u109f]+)|(?P<khmer>[\u1780-\u17ff]+)"
    f"|(?P<other>[^{UNSPACED}]+)"
)


def unspaced(char: str) -> bool:
    """Whether a character is of a script written without spaces (see :func:`unspaced_tokens`)."""
    return _UNSPACED.match(char) is not None


def letters(text: str) -> list[str]:
    """``text``'s letters: each character with the combining marks after it (Thai's `ร็`)."""
    import unicodedata

    out: list[str] = []
    for char in text:
        if out and unicodedata.category(char)[0] == "M":
            out[-1] += char
        else:
            out.append(char)
    return out


def joined_pairs(term: str) -> bool:
    """Whether a term of a script written without spaces is a phrase: its tokens are one or two
    letters (:func:`unspaced_tokens`), a phrase of them more (`首脳会談`); a Chinese word the
    segmenter cuts whole (:func:`chinese_words`: `摩洛哥`, `国务院` in Chinese articles) and a
    word of katakana (`ウクライナ`) are none."""
    return (
        len(term) > 2
        and unspaced(term[0])
        and " " not in term
        and len(letters(term)) > 2
        and not _KATAKANA_WORD.fullmatch(term)
        and not chinese_segmenter().FREQ.get(term)
    )


def chinese_words(run: str) -> list[str]:
    """The words of a run of Chinese characters, as jieba's dictionary cuts it (`摩洛哥首相` ->
    `摩洛哥`, `首相`): the tokens of Chinese articles, whose function words (`的`, `了`, `在`)
    are then stopwords like any other language's."""
    return list(chinese_segmenter().cut(run, HMM=False))


#: The languages whose runs of Chinese characters are cut into words (the others' into pairs).
SEGMENTED = {"zh": chinese_words}


def unspaced_tokens(run: str) -> list[str]:
    """The tokens of a run of one script written without spaces: its overlapping pairs of
    characters (`摩洛哥首相` -> `摩洛`, `洛哥`, `哥首`, `首相`), a character with the marks after
    it counting as one (Thai's vowel and tone marks); a run of one character is itself.

    No dictionary: the pairs that are words recur across articles and come up in the counts,
    those across two words do not (what search engines index Chinese and Japanese by when they
    have no segmenter). (The tokenizer gives it no run of Japanese's hiragana, its particles and
    endings, nor of katakana, each a word; Chinese articles' runs of characters are cut into words:
    :data:`SEGMENTED`.)
    """
    found = letters(run)
    return found if len(found) < 2 else [a + b for a, b in itertools.pairwise(found)]


_K = TypeVar("_K")
_V = TypeVar("_V")
_SNOWBALL = {
    "fr": "french",
    "en": "english",
    "es": "spanish",
    "de": "german",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "ar": "arabic",
    "ru": "russian",
    "sv": "swedish",
}


def elided(token: str) -> tuple[str, str]:
    """A token's elision, with its apostrophe, and the word it was joined to: ``("l'", "Inde")``
    for ``l'Inde``; ``("", token)`` for a token without one (``aujourd'hui`` has none)."""
    if "'" not in token:
        return "", token
    head, _, tail = token.partition("'")
    return (head + "'", tail) if tail and head in _ELISION else ("", token)


class Locutions:
    """The stopwords of several words of one language (a locution: ``dans le cadre``, ``à l'égard``,
    ``au fur et à mesure``), found in a list of tokens and joined into one token each.

    Each is found from its anchor: its last word that is no stopword alone (``cadre``,
    ``l'égard``, ``mesure``; capitalised or in capitals too), the rarest, so that a token that is
    no anchor costs one set test (made in C); a locution whose every word is a stopword already
    changes no term and is left out. At an anchor, the words around it are compared lower-cased,
    once per shape (where the anchor stands in the locution, and its length); where two overlap,
    the one that starts first (then the longest) is taken, as a scan from left to right taking the
    longest locution at each word would. A locution never spans a :data:`BREAK` (no entry holds one).
    """

    def __init__(self, entries: Iterable[tuple[str, ...]], is_stop: Callable[[str], bool]) -> None:
        grouped: dict[str, dict[tuple[int, int], set[tuple[str, ...]]]] = {}
        for words in entries:
            content = [i for i, word in enumerate(words) if not is_stop(elided(word)[1])]
            if len(words) < 2 or not content:
                continue
            at = content[-1]
            grouped.setdefault(words[at], {}).setdefault((at, len(words)), set()).add(words)
        #: per anchor as written: (its place in the locution, the locution's length, the locutions)
        self.shapes: dict[str, tuple[tuple[int, int, frozenset[tuple[str, ...]]], ...]] = {}
        #: per anchor as written: how many words a locution may hold before it and after it
        self.reach: dict[str, tuple[int, int]] = {}
        for anchor, shapes in grouped.items():
            found = tuple((at, length, frozenset(words)) for (at, length), words in sorted(shapes.items()))
            reach = (max(at for at, _, _ in found), max(length - at - 1 for at, length, _ in found))
            prefix, word = elided(anchor)
            for written in (anchor, prefix + word[:1].upper() + word[1:], anchor.upper()):  # (Title Case, shouted)
                self.shapes.setdefault(written, found)
                self.reach.setdefault(written, reach)
        self.anchors = frozenset(self.shapes)

    def __bool__(self) -> bool:
        return bool(self.anchors)

    def join(self, tokens: list[str]) -> list[str]:
        """``tokens`` with each locution's words made one token (the list itself when none is there)."""
        n = len(tokens)
        spans: list[tuple[int, int]] = []
        for at in itertools.compress(range(n), map(self.anchors.__contains__, tokens)):  # (no Python per token)
            anchor = tokens[at]
            before, after = self.reach[anchor]
            low = max(at - before, 0)
            window = [t.lower() for t in tokens[low : at + after + 1]]
            for offset, length, words in self.shapes[anchor]:
                start = at - offset
                if start >= 0 and start + length <= n and tuple(window[start - low : start - low + length]) in words:
                    spans.append((start, -(start + length)))
        if not spans:
            return tokens
        out: list[str] = []
        done = 0
        for start, stop in sorted(spans):  # left to right, the longest first where two start together
            if start < done:
                continue  # (overlaps one taken)
            out.extend(tokens[done:start])
            out.append(" ".join(tokens[start:-stop]))
            done = -stop
        out.extend(tokens[done:])
        return out


def _runs_on(before: str, line: str) -> bool:
    """Whether ``line`` goes on from the line ``before`` it: that line ends with a letter and this
    one opens with a small letter (a headline over its text does not, nor a paragraph after a
    blank line; in a text wrapped at a width, see :func:`wrap_width`, a line opening with a
    capital may go on too)."""
    last, first = before.rstrip()[-1:], line.lstrip()[:1]
    return last.isalpha() and first.islower()


#: The widths text is wrapped at (wire copy, e-mail, plain-text exports: 60 to 80 characters).
WRAP_WIDTHS = (40, 100)


def _place(before: str, line: str) -> bool:
    """Whether a wrap may have parted ``before`` (right-stripped) and ``line``: the first ends with a
    letter or a comma, the second opens with a letter (not indented, as a paragraph is)."""
    return (before[-1:].isalpha() or before.endswith(",")) and line[:1].isalpha()


def _full(before: str, line: str, width: int) -> bool:
    """Whether ``line``'s first word would have made ``before`` (right-stripped) longer than ``width``:
    it went to a new line because it did not fit."""
    return len(before) + 1 + len(line.split(maxsplit=1)[0]) > width


def wrap_width(lines: Sequence[str]) -> int:
    """The width the lines of a text were wrapped at, or 0 when they were not (a paragraph a line).

    The first line is left out (a headline over the text). The width is the longest line's
    length, within :data:`WRAP_WIDTHS`; the text is wrapped when, of at least three places
    where a wrap may have parted two lines (:func:`_place`), nine in ten are where the next word
    would not have fitted (:func:`_full`): a greedy wrap's. A list of short items, or headlines,
    breaks where more would have fitted. (Cleaning joins the lines of a text it finds wrapped, of
    eight long lines or more: ``boilerplate.looks_wrapped``, a looser question asked of the raw
    text; what reaches the tokenizer wrapped is shorter, or comes from elsewhere.)
    """
    body = [line.rstrip() for line in lines[1:]]
    width = max(map(len, body), default=0)
    if not WRAP_WIDTHS[0] <= width <= WRAP_WIDTHS[1]:
        return 0
    places = full = 0
    for before, line in itertools.pairwise(body):
        if _place(before, line):
            places += 1
            full += _full(before, line, width)
    return width if places >= 3 and full * 10 >= places * 9 else 0


def _wrapping(lines: Sequence[str]) -> tuple[int, frozenset[int]]:
    """A text's :func:`wrap_width` and the lines (by index, from the third) that open with a
    capital and go on from the line before, which was full (:func:`_place`, :func:`_full`): their
    first word opens no sentence, and after a letter no break comes before it (`the drought since
    early` / `January`; after a comma one does: `restored,` / `Comissaria Smith said`). In a
    wrapped text a line is a piece of a paragraph: past the first, none is a Title Case headline
    (`the United States market for New York`)."""
    width = wrap_width(lines)
    if not width:
        return 0, frozenset()
    found = []
    for i in range(2, len(lines)):
        before, line = lines[i - 1].rstrip(), lines[i]
        if line[:1].isupper() and _place(before, line) and _full(before, line, width):
            found.append(i)
    return width, frozenset(found)


def _dotted(line: str) -> bool:
    r"""Whether the line holds part of a dotted acronym: a letter between full stops, or a capital
    doubled before a full stop and a capital (what ``\.[^\W\d_]\.|([A-ZÀ-Ý])\1\.[A-ZÀ-Ý]`` finds).

    The regex engine finds a pattern opening with a literal quickly, that one slowly (it tries
    both branches, one opening with a backreference's group, at each character): each branch is
    looked for from its full stop, and the capitals doubled before it are checked here.
    """
    if _DOTTED_LETTER.search(line) is not None:
        return True
    for match in _DOT_CAPITAL.finditer(line):
        at = match.start()
        if at >= 2 and line[at - 1] == line[at - 2] and line[at - 1] in _PAIRED_CAPITALS:
            return True
    return False


def _line_mode(line: str) -> tuple[bool, bool]:
    """Whether a line shouts (mostly capitals) and whether its capitals can mark names.

    In an ALL-CAPS or a Title Case Headline line, capitals say nothing about names.
    """
    letters, upper = _letters_and_capitals(line)
    if letters > 8 and upper / letters > 0.6:
        return True, False
    if upper < 3:  # a Title Case line has at least 3 capitalised words
        return False, True
    long_words = [w for w in line.split() if len(w) > 3 and w[0].isalpha()]
    titled = len(long_words) >= 4 and sum(w[0].isupper() for w in long_words) / len(long_words) > 0.7
    return False, not titled


def _letters_and_capitals(line: str) -> tuple[int, int]:
    """How many letters ``line`` has (what ``_NOT_LETTER`` leaves), and how many are capitals.

    Through a table of every BMP character (numpy), several times faster than a regular
    expression and ``str.isupper`` per letter on a paragraph; those where a character lies beyond.
    """
    if line.isascii():
        points = np.frombuffer(line.encode("ascii"), dtype=np.uint8)
    else:
        data = line.encode("utf-16-le", "surrogatepass")
        if len(data) != 2 * len(line):  # beyond the BMP
            letters = _NOT_LETTER.sub("", line)
            return len(letters), sum(map(str.isupper, letters))
        points = np.frombuffer(data, dtype=np.uint16)
    letter, capital = _letter_tables()
    return int(np.count_nonzero(letter[points])), int(np.count_nonzero(capital[points]))


def _line_modes(text: str, lines: list[str]) -> list[tuple[bool, bool]]:
    """:func:`_line_mode` of each of ``lines`` (``text.splitlines()``), for the whole text at once.

    The letters and capitals of each line, and its long words (space-separated, more than three
    characters, opening with a letter) and how many open with a capital, are counted with numpy
    over the text's characters (one table of every BMP character, a bit per count); only the
    decisions are made per line. A text with characters beyond the BMP goes line by line.
    """
    data = text.encode("utf-16-le", "surrogatepass")
    if len(lines) < 2 or len(data) != 2 * len(text):
        return [_line_mode(line) for line in lines]
    kinds = _kind_table()[np.frombuffer(data, dtype=np.uint16)]
    # each line with its line break (so never empty): the lines' sums are sums over runs
    lengths = np.fromiter(map(len, text.splitlines(keepends=True)), dtype=np.int64, count=len(lines))
    starts = np.zeros(len(lines), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    letters = np.add.reduceat(kinds & _LETTER, starts, dtype=np.int64).tolist()
    capitals = (np.add.reduceat(kinds & _CAPITAL, starts, dtype=np.int64) // _CAPITAL).tolist()
    # runs of characters other than spaces (line breaks are spaces): the words of ``line.split()``
    first, last = runs((kinds & _SPACE) == 0)
    opening = kinds[first]
    long = (last - first > 3) & ((opening & _ALPHA) != 0)
    line_of = np.searchsorted(starts, first, side="right") - 1
    long_words = np.bincount(line_of[long], minlength=len(lines)).tolist()
    titled_words = np.bincount(line_of[long & ((opening & _UPPER) != 0)], minlength=len(lines)).tolist()
    modes = []
    for count, up, words, titled in zip(letters, capitals, long_words, titled_words, strict=True):
        if count > 8 and up / count > 0.6:
            modes.append((True, False))
        elif up < 3:  # a Title Case line has at least 3 capitalised words
            modes.append((False, True))
        else:
            modes.append((False, not (words >= 4 and titled / words > 0.7)))
    return modes


_LETTER, _CAPITAL, _SPACE, _ALPHA, _UPPER = 1, 2, 4, 8, 16  # the bits of :func:`_kind_table`


@lru_cache(maxsize=1)
def _kind_table() -> np.ndarray:
    """Per BMP character, what :func:`_line_modes` counts, one bit each (one lookup a character):
    a letter (:func:`_letter_tables`), a capital letter, ``str.isspace``, ``str.isalpha``, ``str.isupper``."""
    letter, capital = _letter_tables()
    space, alpha, upper = bmp_table("isspace"), bmp_table("isalpha"), bmp_table("isupper")
    kinds = letter * _LETTER | capital * _CAPITAL | space * _SPACE | alpha * _ALPHA | upper * _UPPER
    return kinds.astype(np.uint8)


@lru_cache(maxsize=1)
def _letter_tables() -> tuple[np.ndarray, np.ndarray]:
    """Whether ``_NOT_LETTER`` leaves each BMP character (a letter), and whether it is a capital letter."""
    letter = ~bmp_class_table(r"[\W\d_]")
    return letter, bmp_table("isupper") & letter


@cache
def _stopwords_data() -> dict[str, Any]:
    """``data/stopwords.toml`` (read once)."""
    with STOPWORDS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def load_stopword_additions(extra: Mapping[str, Iterable[str]] | None = None) -> dict[str, frozenset[str]]:
    """News-specific stopwords from the data file, plus the user's, per language (``*`` = all)."""
    merged: dict[str, set[str]] = {k: set(v) for k, v in _stopwords_data().items() if k != "not_stopwords"}
    for lang, words in (extra or {}).items():
        merged.setdefault(lang, set()).update(words)
    return {k: frozenset(w.lower().replace("’", "'") for w in v) for k, v in merged.items()}


@cache
def _lemmas_data() -> dict[str, dict[str, str]]:
    """``data/lemmas.toml`` (read once)."""
    with LEMMAS_FILE.open("rb") as handle:
        return tomllib.load(handle)


@cache
def _demonym_tables() -> dict[str, dict[str, list[str]]]:
    """Each country's table of ``data/countries/demonyms.toml`` (its forms per language; read once)."""
    with DEMONYMS_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return {code: table for code, table in data.items() if len(code) == 2 and code.isupper()}


@cache
def demonyms() -> dict[str, frozenset[str]]:
    """Per language, the demonyms of ``data/countries/demonyms.toml``, lower-cased (`tunisiens`,
    `moroccans`): a capitalised one is a noun of nationality (`les Tunisiens`, `Moroccans`), a
    word like the adjective (`tunisien`), lemmatised as it is, not a name kept as written. A form
    that is also a country's name in CLDR's list for the language (babel) is left out: French
    `Philippines`, `Argentine`, `Suisse` name the country more often than its people."""
    from babel import Locale, UnknownLocaleError

    found: dict[str, set[str]] = {}
    for table in _demonym_tables().values():
        for lang, written in table.items():
            found.setdefault(lang, set()).update(form.lower() for form in written)
    for lang, forms in found.items():
        with contextlib.suppress(UnknownLocaleError, ValueError):  # (a language CLDR does not know)
            forms -= {name.lower() for name in Locale.parse(lang).territories.values()}
    return {lang: frozenset(forms) for lang, forms in found.items()}


@cache
def _demonym_singulars() -> dict[str, dict[str, str]]:
    """English plural demonyms' singulars, which simplemma's English dictionary lacks (`moroccans`:
    `moroccan`): a form of a country's list that is another of its forms with an ``s``. (French
    writes out every form, and simplemma knows each: `marocaines` is `marocain`.)"""
    found: dict[str, dict[str, str]] = {}
    for table in _demonym_tables().values():
        lowered = {form.lower() for form in table.get("en", ())}
        for form in lowered:
            if form.endswith("s") and form[:-1] in lowered:
                found.setdefault("en", {})[form] = form[:-1]
    return found


def load_lemmas(extra: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, dict[str, str]]:
    """The lemmas that replace simplemma's, from the data file, plus the user's, per language
    (beneath them, the singulars of plural demonyms simplemma does not know: English `moroccans`)."""
    merged: dict[str, dict[str, str]] = {lang: dict(words) for lang, words in _demonym_singulars().items()}
    for lang, words in [*_lemmas_data().items(), *(extra or {}).items()]:
        merged.setdefault(lang, {}).update(words)
    return {lang: {w.lower(): lemma.lower() for w, lemma in words.items()} for lang, words in merged.items()}


@cache
def not_stopwords(lang: str) -> frozenset[str]:
    """Words the data file's ``[not_stopwords]`` takes out of stopwords-iso's list for ``lang``
    (Russian's holds `россия`, `москва`, `война`): terms, not stopwords."""
    return frozenset(w.lower() for w in _stopwords_data().get("not_stopwords", {}).get(lang, []))


@cache
def iso_stopwords(lang: str) -> frozenset[str]:
    """stopwords-iso's list for ``lang`` (lower case, one apostrophe); empty for a language it lacks
    (made once per language and process: the tokenizer, language detection and boilerplate ask)."""
    import stopwordsiso

    try:
        words = stopwordsiso.stopwords(lang)
    except Exception:  # an unknown language code has no list
        return frozenset()
    return frozenset(w.lower().replace("’", "'") for w in words)


class _Memo(dict[_K, _V]):
    """A dict that computes (``make``) and keeps, up to ``_MEMO_LIMIT`` entries, what it is asked
    for and lacks: looked up by ``map(memo.__getitem__, keys)``, a known key costs no Python."""

    def __init__(self, make: Callable[[_K], _V]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: _K) -> _V:
        value = self.make(key)
        if len(self) < _MEMO_LIMIT:
            self[key] = value
        return value


@dataclass(frozen=True)
class TokenOptions:
    """How terms are made: ``lemma`` (simplemma), ``stem`` (Snowball) or ``none``."""

    reduce: str = "lemma"
    min_length: int = 2
    extra_stopwords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    extra_lemmas: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


class Tokenizer:
    """Splits text into tokens and terms for a given language (ISO 639-1 code)."""

    def __init__(self, options: TokenOptions | None = None) -> None:
        self.options = options or TokenOptions()
        if self.options.reduce not in ("lemma", "stem", "none"):
            raise ValueError(f"tokens.reduce must be lemma, stem or none, not {self.options.reduce!r}")
        self._additions = load_stopword_additions(self.options.extra_stopwords)
        self._lemmas = load_lemmas(self.options.extra_lemmas)
        self._stop_cache: dict[str, frozenset[str]] = {}
        self._stemmers: dict[str, object] = {}
        self._lemma_cache: dict[tuple[str, str], str] = {}
        # Memos: a corpus has far fewer distinct words than tokens (bounded, see _MEMO_LIMIT).
        self._word_memos: dict[tuple[str | None, bool, bool], _Memo[str, tuple[str, ...]]] = {}
        self._reduced_memo: dict[str | None, _Memo[str, str | None]] = {}
        self._journal: list[tuple[str | None, str, str | None]] | None = None  # see record_reductions
        self._locutions: dict[str | None, Locutions] = {}

    def __getstate__(self) -> dict[str, object]:
        """Pickled (sent to worker processes) without its caches: they refill quickly."""
        state = dict(self.__dict__)
        state["_lemma_cache"], state["_word_memos"], state["_reduced_memo"], state["_stemmers"] = {}, {}, {}, {}
        state["_locutions"] = {}
        state["_journal"] = None
        return state

    # -- stopwords ----------------------------------------------------------------------------

    def stopwords(self, lang: str | None) -> frozenset[str]:
        key = lang or ""
        if key not in self._stop_cache:
            words = set(self._additions.get("*", ()))
            if lang:
                words |= (iso_stopwords(lang) - not_stopwords(lang)) | self._additions.get(lang, frozenset())
            self._stop_cache[key] = frozenset(words)
        return self._stop_cache[key]

    def is_stopword(self, token: str, lang: str | None) -> bool:
        stop = self.stopwords(lang)
        low = token.lower()
        return low in stop or low.rstrip(".") in stop

    def title_case(self, line: str, lang: str | None) -> bool:
        """Whether a line that looks Title Case (:func:`_line_mode`: most of its long words open with
        a capital) is a Title Case headline, whose capitals say nothing of names. It is not when a
        long word opens with a small letter and is no stopword (a Title Case style leaves only
        small words so: `Yahoo's Sale to Verizon Leaves Shareholders With Little Say`), nor when
        fewer than half its capitalised long words past the first (or than two) are words of the
        language's dictionary (simplemma's): names, then, as in a photo's caption (`Michel Bouquet, en
        janvier 2016, à Paris.`, `Entretien téléphonique entre Kaïs Saïed et Abdelmajid
        Tebboune`), where Title Case capitalises words (`Veteran Wraps Baby in American Flag`); nor
        when it ends as a sentence does, with a full stop after a small letter or a number.
        Without a dictionary for ``lang`` (or a language), the look decides."""
        import simplemma

        if _SENTENCE_CLOSE.search(line):
            return False
        words = [elided(word)[1] for word in _PLAIN_WORD.findall(line)[1:]]
        if any(word[:1].islower() and len(word) > 3 and not self.is_stopword(word, lang) for word in words):
            return False
        capitalised = [w for w in words if len(w) > 3 and w[0].isupper() and not w.isupper() and w.isalpha()]
        if not lang or not capitalised:
            return True
        compact = _compact_lookup(lang, len(capitalised))
        try:
            known = sum(simplemma.is_known(word.lower(), lang, low_memory=compact) for word in capitalised)
        except ValueError:  # simplemma has no data for this language
            return True
        return known >= 2 and known * 2 >= len(capitalised)

    def locutions(self, lang: str | None) -> Locutions:
        """The stopwords of several words of ``lang`` (with a space: ``dans le cadre``), as tokens."""
        found = self._locutions.get(lang)
        if found is None:
            entries = [w for w in self.stopwords(lang) if " " in w.strip()]
            found = self._locutions[lang] = Locutions(
                (tuple(t.lower() for t in self.tokens(entry, lang)) for entry in entries),
                lambda word: self.is_stopword(word, lang),
            )
        return found

    # -- tokens -------------------------------------------------------------------------------

    def tokens(self, text: str, lang: str | None = None, *, breaks: bool = False, locutions: bool = False) -> list[str]:
        """Word tokens in order (numbers, URLs and e-mails left out): :meth:`spans` without the offsets.

        With ``breaks``, a :data:`BREAK` stands where the words do not run on: between two words
        that something other than spaces parts (a sentence end, a comma, a number...), or a line
        end the next line does not go on from (:func:`_runs_on`); never first, last or twice in a row.
        With ``locutions``, the words of each of the language's stopwords of several words are one
        token (``Dans le cadre``, see :class:`Locutions`), which is no term.
        """
        out: list[str] = []
        extend, append = out.extend, out.append

        def mark() -> None:  # a break, unless one ends the tokens or none is wanted
            if breaks and out and out[-1] != BREAK:
                append(BREAK)

        lines = text.splitlines()
        capitals_kept = lang in NOUNS_CAPITALISED
        before = ""  # the line before
        wrapping: tuple[int, frozenset[int]] | None = None  # (_wrapping, once asked)
        opened: list[tuple[int, str]] = []  # (where in out, the word) of a capital read as no name
        function_words = self.stopwords(lang)  # (a stopword opening a sentence is no name: `Les`, `Dans`)
        for index, (line, (shouting, may_name)) in enumerate(zip(lines, _line_modes(text, lines), strict=True)):
            # From a full line of wrapped text: `early` / `January` (no break), `restored,` / `Comissaria`.
            goes_on = joined = False
            if index > 1 and line[:1].isupper() and _place(before.rstrip(), line):
                wrapping = _wrapping(lines) if wrapping is None else wrapping
                goes_on = index in wrapping[1]
                joined = goes_on and not before.rstrip().endswith(",")
            if index and not may_name and not shouting:  # (a Title Case line, unless the text is wrapped)
                wrapping = _wrapping(lines) if wrapping is None else wrapping
                may_name = wrapping[0] > 0
            if not may_name and not shouting and not capitals_kept:  # (or a caption full of names)
                may_name = not self.title_case(line, lang)
            if breaks and not joined and not _runs_on(before, line):
                mark()
            before = line
            may_name = may_name or (capitals_kept and not shouting)  # (German prose may look Title Case)
            if "@" in line or "://" in line or "www." in line or _dotted(line):  # the full scan
                line_opened: list[tuple[int, str]] = []
                spans = self._line_spans(line, 0, lang, (shouting, may_name), goes_on, line_opened)
                opened_at = dict(line_opened)
                end = 0
                for at, (start, stop, token) in enumerate(spans):
                    if start > end and line[end:start].strip():
                        mark()
                    if at in opened_at:
                        opened.append((len(out), opened_at[at]))
                    append(token)
                    end = stop
                if line[end:].strip():
                    mark()  # (an address after the last word)
                continue
            plain, named_memo = self._memo(lang, shouting, False), self._memo(lang, shouting, True)
            # A sentence end before a word (or the line's start): a capitalised word there is no name.
            parts = _WORD_SPLIT(line)
            opening = not capitals_kept and not goes_on and (_OPENS_WITH_WORD.match(line) is not None)
            for between, raw in zip(parts[0::2], parts[1::2], strict=False):  # (the last part after them)
                if between != " " and between.strip():
                    mark()
                    if not capitals_kept and _SENTENCE_END.search(between):
                        opening = True
                upper = raw[0].isupper()
                named = upper and may_name and not opening
                found = (named_memo if named else plain)[raw]
                opening = False
                if found:
                    if upper and not named and not shouting and found[0] not in function_words:
                        opened.append((len(out), raw))
                    extend(found)
                else:
                    mark()  # (a number)
        if breaks and out and out[-1] == BREAK:
            out.pop()
        if opened:
            self._name_openings(out, opened, lang, set(out))
        if locutions:
            joining = self.locutions(lang)
            if joining:
                return joining.join(out)
        return out

    def spans(self, text: str, lang: str | None = None) -> list[tuple[int, int, str]]:
        """Each token with the offsets of the text it was made from (``d'Abidjan`` spans the elision)."""
        out: list[tuple[int, int, str]] = []
        offset = 0
        opened: list[tuple[int, str]] = []
        width, wrapped = _wrapping(text.splitlines())
        for index, line in enumerate(text.splitlines(keepends=True)):
            shouting, may_name = _line_mode(line)
            may_name = may_name or bool(index and width and not shouting)
            if not may_name and not shouting and lang not in NOUNS_CAPITALISED:
                may_name = not self.title_case(line, lang)
            out.extend(self._line_spans(line, offset, lang, (shouting, may_name), index in wrapped, opened, len(out)))
            offset += len(line)
        if opened:
            present = {token for _, _, token in out}
            self._name_openings(out, opened, lang, present, lambda span, token: (*span[:2], token))
        return out

    def _name_openings(
        self,
        out: list[Any],
        opened: list[tuple[int, str]],
        lang: str | None,
        present: set[str],
        replaced: Callable[[Any, str], Any] = lambda _, token: token,
    ) -> None:
        """In ``out``, a capitalised word read as no name (``opened``: where, and the word as
        written: it opened a sentence or stood in a Title Case headline) becomes the name it is
        elsewhere in the text (``present``: its tokens; `Paris. ... à Paris`: `Paris`, not
        `paris`, whose term is `pari`; or after `l'` or `d'`, `l'Inde`), a stopword excepted (`Les
        ...`, beside `Les Républicains`)."""
        memo = self._memo(lang, False, True)
        is_stopword = self.is_stopword
        for at, raw in opened:
            named = memo[raw.capitalize() if raw.isupper() else raw]  # (`PARIS (AFP) -`)
            if len(named) != 1 or not named[0][:1].isupper() or is_stopword(named[0], lang):
                continue
            name = named[0]
            if name in present or f"l'{name}" in present or f"d'{name}" in present:
                out[at] = replaced(out[at], name)

    def _line_spans(
        self,
        line: str,
        offset: int,
        lang: str | None,
        mode: tuple[bool, bool] | None = None,
        goes_on: bool = False,
        opened: list[tuple[int, str]] | None = None,
        base: int = 0,
    ) -> list[tuple[int, int, str]]:
        """The tokens of one line with their offsets; ``mode``: its :func:`_line_mode` when known;
        ``goes_on``: whether it goes on from the line before (its first word opens no sentence);
        ``opened``: where to add each capitalised word read as no name (its place, from ``base``,
        and the word), for :meth:`_name_openings`."""
        out: list[tuple[int, int, str]] = []
        append = out.append
        sentence_end = _SENTENCE_END.search
        shouting, may_name = mode or _line_mode(line)
        capitals_kept = lang in NOUNS_CAPITALISED
        may_name = may_name or (capitals_kept and not shouting)
        plain, named_memo = self._memo(lang, shouting, False), self._memo(lang, shouting, True)
        function_words = self.stopwords(lang)
        lead = -1 if goes_on else len(line) - len(line.lstrip())  # a token at or before this offset opens the line
        previous = 0
        for match in _WORD.finditer(line):
            kind = match.lastgroup
            if kind == "url" or kind == "email":
                continue
            raw = match.group()
            before, after = match.span()
            start, end = offset + before, offset + after
            if kind == "acro":
                previous = after
                append((start, end, raw.replace(".", "").upper()))
                continue
            # Whether a word opens a sentence only matters for a capitalised one (not in German).
            named = (
                may_name
                and raw[0].isupper()
                and (capitals_kept or (before > lead and sentence_end(line, previous, before) is None))
            )
            previous = after
            found = (named_memo if named else plain)[raw]
            if (
                opened is not None
                and found
                and not named
                and not shouting
                and raw[0].isupper()
                and found[0] not in function_words
            ):
                opened.append((base + len(out), raw))
            for token in found:
                append((start, end, token))
        return out

    def _memo(self, lang: str | None, shouting: bool, named: bool) -> _Memo[str, tuple[str, ...]]:
        """Raw word -> its tokens, in lines that shout or not, as a name or not; a miss computes them."""
        key = (lang, shouting, named)
        memo = self._word_memos.get(key)
        if memo is None:
            memo = self._word_memos[key] = _Memo(
                lambda raw: tuple(self._word(raw.replace("’", "'"), lang, shouting, named))
            )
        return memo

    def _word(self, raw: str, lang: str | None, shouting: bool, named: bool = False) -> list[str]:
        if not raw.isascii() and _UNSPACED.search(raw):  # (a script without spaces: pairs of characters)
            out: list[str] = []
            for match in _SCRIPT_RUNS.finditer(raw):
                kind, run = match.lastgroup, match.group()
                if kind == "other":
                    out.extend(self._word(run, lang, shouting, named) if run.strip("'-‐‑") else [])
                elif kind == "han" and lang in SEGMENTED:
                    out.extend(SEGMENTED[lang](run))
                elif kind == "katakana":  # (a run of katakana is a word: a loanword, a foreign name)
                    out.extend(word for word in _KATAKANA_BREAK.split(run) if word.strip("ー"))
                elif kind != "hiragana":
                    out.extend(unspaced_tokens(run))
            return out
        if not raw.isascii() and OPTIONAL_MARKS.search(raw):  # `محمّد` is `محمد`
            raw = OPTIONAL_MARKS.sub("", raw)
            if not raw:
                return []
        if _NUMBER.match(raw) or raw.isdigit():
            return []
        low = raw.lower()
        if low in _WHOLE:
            return [low]
        if "'" in raw:
            head, _, tail = raw.partition("'")
            if head.lower() in _ELISION and tail:
                # d'Israël: a capital after an elision is a name; the elision stays on the word,
                # lower-cased (`l'Inde`, `d'affaires`), for phrases to be shown as written; of a
                # run of them (`l'l'l'…`, junk), the last
                elisions = _ELISIONS.match(raw)
                if elisions is not None and elisions.end() < len(raw):
                    head, tail = elisions.group(1)[:-1], raw[elisions.end() :]
                inner = self._word(tail, lang, shouting, True)
                return [f"{head.lower()}'{inner[0]}", *inner[1:]] if inner else []
            if lang == "en" and tail.lower() in ("s", ""):
                return self._word(head, lang, shouting, named)
        if lang in (None, "fr") and "-" in raw:
            cut = _INVERSION.sub("", raw)
            if cut and cut != raw and "-" not in cut and not _INVERSION.fullmatch("-" + cut):
                raw, low = cut, cut.lower()
        if not any(c.isalpha() for c in raw):
            return []
        if not shouting and raw.isupper() and 2 <= len(raw) <= 4 and raw.isalpha():
            return [raw]  # an acronym: IA, ONU, RDC, USA
        if named and raw[0].isupper() and not raw.isupper():
            return [raw[0] + raw[1:].lower() if raw[1:].isupper() else raw]  # a name: Paris, Macron, Al-Maghrib
        # a sentence's first word: a name when its lemma is one (`Київ і Кишинів...` is no `кий`)
        if (
            lang in NAMES_DECLINED
            and not shouting
            and raw[:1].isupper()
            and self.options.reduce == "lemma"
            and "-" not in raw
            and not raw.isupper()
            and _lemma(raw, lang, cased=True)[:1].isupper()
        ):
            return [raw]
        return [low]

    # -- terms --------------------------------------------------------------------------------

    def terms(self, tokens: Iterable[str], lang: str | None = None) -> list[str]:
        """Content terms: stopwords and short tokens removed, each lemmatised or stemmed."""
        return [term for term in self.reduced(tokens, lang) if term is not None]

    def learn_reduced(self, lang: str | None, known: Mapping[str, str | None]) -> None:
        """Remember the terms of tokens reduced elsewhere, by a tokenizer with the same options
        (what :meth:`reduced` would give them), up to the memo's limit."""
        memo = self._reduced(lang)
        for token, term in known.items():
            if len(memo) >= _MEMO_LIMIT:
                break
            memo.setdefault(token, term)

    def reduced(self, tokens: Iterable[str], lang: str | None = None) -> list[str | None]:
        """The term of each token, ``None`` where the token is a stopword or too short (one per token)."""
        return list(map(self._reduced(lang).__getitem__, tokens))

    def _reduced(self, lang: str | None) -> _Memo[str, str | None]:
        """Token -> its term in ``lang`` (a miss reduces it, and journals it when asked)."""
        memo = self._reduced_memo.get(lang)
        if memo is None:
            memo = self._reduced_memo[lang] = _Memo(lambda token: self._reduce_new(token, lang))
        return memo

    def _reduce_new(self, token: str, lang: str | None) -> str | None:
        term = self._reduce_one(token, lang)
        if self._journal is not None:
            self._journal.append((lang, token, term))
        return term

    def record_reductions(self) -> None:
        """From now on, keep each token :meth:`reduced` reduces (not the ones it remembered) for
        :meth:`take_reductions`: a worker sends them back, and the build keeps them in a lexicon."""
        if self._journal is None:
            self._journal = []

    def take_reductions(self) -> list[tuple[str | None, str, str | None]]:
        """(language, token, term) of each token reduced since the last call (see :meth:`record_reductions`)."""
        taken = self._journal or []
        if self._journal is not None:
            self._journal = []
        return taken

    def _reduce_one(self, token: str, lang: str | None) -> str | None:
        min_length = self.options.min_length
        if " " in token:
            return None  # a locution (only they hold a space), a stopword of several words
        token = elided(token)[1]
        if len(token) < min_length or token == BREAK or self.is_stopword(token, lang):
            return None
        term = self.reduce(token, lang)
        return term if term and len(term) >= min_length and not self.is_stopword(term, lang) else None

    def reduce(self, token: str, lang: str | None) -> str:
        if lang in CAPITAL_ACCENTS and self.options.reduce != "none" and not token.isupper():
            token = accent_restored(token, lang) or token  # `Etat`, `Education`: état, éducation
        if token[:1].isupper() and not token.isupper() and token.lower() in demonyms().get(lang or "", ()):
            token = token.lower()  # a noun of nationality (`les Tunisiens`): a word, as the adjective
        if token[:1].isupper() and not token.isupper():
            if lang in NAMES_DECLINED and self.options.reduce == "lemma" and "-" not in token:
                lemma = _lemma(token, lang, cased=True)
                return (lemma if lemma[:1].isupper() else token).lower()  # (России: россия)
            if lang not in NOUNS_CAPITALISED or self.options.reduce == "none" or "-" in token:
                return token.lower()  # a name (Paris is not the plural of pari)
            token = token if self.options.reduce == "lemma" else token.lower()  # (a German noun, or a name)
        if self.options.reduce == "none" or token.isupper() or not lang or "-" in token:
            return token  # acronyms and hyphenated names (états-unis) are not inflected words
        key = (token, lang)
        cached = self._lemma_cache.get(key)
        if cached is not None:
            return cached
        if self.options.reduce == "lemma":
            result = self._lemmas.get(lang, {}).get(token.lower()) or _lemma(token, lang)
        else:
            result = self._stem(token, lang)
        if len(self._lemma_cache) < 500_000:
            self._lemma_cache[key] = result
        return result

    def _stem(self, token: str, lang: str) -> str:
        name = _SNOWBALL.get(lang)
        if name is None:
            return token
        stemmer = self._stemmers.get(lang)
        if stemmer is None:
            from nltk.stem.snowball import SnowballStemmer

            stemmer = self._stemmers[lang] = SnowballStemmer(name)
        return str(stemmer.stem(token))  # type: ignore[attr-defined]


#: Languages whose press drops a capital's accent (`l'Etat`, `l'Education`, `les Etats-Unis`,
#: beside `l'État`): per plain small letter, the accented ones it may stand for, first the likeliest.
CAPITAL_ACCENTS: dict[str, dict[str, str]] = {"fr": {"e": "éèê", "a": "âà", "i": "î", "o": "ô", "u": "û"}}


@lru_cache(maxsize=100_000)
def accent_restored(token: str, lang: str) -> str | None:
    """The small-letter word a token opening with a plain vowel stands for when its accent was
    dropped (:data:`CAPITAL_ACCENTS`): the first accented form of its first letter that
    simplemma's dictionary knows (`Etat` -> `état`, `Etats-Unis` -> `états-unis` by `états`). A
    word opening with a capital is read so even when the plain word is known (`etat` is, as a
    misspelling); one opening with a small letter (a sentence's first word, lower-cased) only
    when the plain word is not (`education`, not `acre`). ``None`` when none is known."""
    low = token.lower()
    accents = CAPITAL_ACCENTS[lang].get(low[:1])
    head = low.split("-", 1)[0]
    if not accents or len(head) < 3 or not head.isalpha():
        return None
    if not token[0].isupper() and known_word(head, lang):
        return None
    for accent in accents:
        if known_word(accent + head[1:], lang):
            return accent + low[1:]
    return None


#: Lookups per language answered from simplemma's compact dictionaries before loading the full one.
#: The compact form (the shipped front-coded stream, read in place) loads in about 60% of the
#: time and a sixth of the memory (71 against 465 MB for the eight default languages, measured),
#: but answers about 7 times slower (20 against 3 µs a word). A language met in a few articles
#: (the odd Spanish text in a French corpus, in every worker) never pays for its full dictionary;
#: one met often switches after a few dozen articles, having lost at most 0.1 s (a full load takes
#: 0.16 s for French, 0.86 s for German). Both give the same lemmas (checked on every distinct
#: token of a 100k-article build, per language).
COMPACT_LOOKUPS = 5_000
_compact_lookups: dict[str, int] = {}


def _compact_lookup(lang: str, lookups: int = 1) -> bool:
    """Whether the next ``lookups`` of ``lang`` go to the compact dictionary (counted: lemmas, known
    words and title-case checks alike, so a process asking many of any kind loads the full one)."""
    done = _compact_lookups.get(lang, 0)
    if done >= COMPACT_LOOKUPS:
        return False
    _compact_lookups[lang] = done + lookups
    return True


def known_word(word: str, lang: str) -> bool:
    """Whether simplemma's dictionary of ``lang`` holds ``word`` (False for a language it has none of)."""
    import simplemma

    compact = _compact_lookup(lang)
    try:
        return bool(simplemma.is_known(word, lang, low_memory=compact))
    except ValueError:  # no data for this language
        return False


def _lemma(token: str, lang: str, *, cased: bool = False) -> str:
    """simplemma's lemma of ``token``, lower-cased unless ``cased`` (a name's: `Россия`, not `россия`)."""
    import simplemma

    compact = _compact_lookup(lang)
    if lang == "ar":
        return _arabic_lemma(token, compact)
    try:
        lemma = simplemma.lemmatize(token, lang=lang, low_memory=compact)
    except ValueError:  # simplemma has no data for this language
        return token
    if not lemma:
        return token
    return str(lemma) if cased else str(lemma).lower()


def _arabic_lemma(token: str, compact: bool) -> str:
    """An Arabic word's lemma where simplemma's dictionary knows the word, else the word as written.

    The word is looked up without its joined conjunction or preposition (:func:`_arabic_known`),
    then without its article, then without an attached pronoun (``جهودها`` -> ``جهود`` -> ``جهد``;
    a ``ت`` before it is the ``ة`` of the noun: ``ذروته`` -> ``ذروة``). simplemma's guesses for a
    word it does not know (the affixes it cuts) are not taken: they turn names into roots
    (``بايدن`` -> ``أيد``) and nouns into other words (``ذروته`` -> ``ذروت``). Nor is a lemma of two
    letters for a longer word other than its broken plural (``ردود`` -> ``رد``): the dictionary
    gives a verbal noun its doubled verb (``الجفاف``, drought -> ``جف``, ``الشباب``, youth -> ``شب``),
    where the word, or its lemma without the article (``شباب`` -> ``شاب``), is the noun.
    """
    import simplemma

    form = _arabic_known(token, compact)
    stem = arabic_article(form)[1]
    candidates = [form] if stem == form else [form, stem]
    for suffix in _ARABIC_PRONOUNS:
        rest = stem[: -len(suffix)]
        if stem.endswith(suffix) and len(rest) >= 3:
            candidates += [rest[:-1] + "ة", rest] if rest.endswith("ت") else [rest]
            break
    for candidate in candidates:
        if len(candidate) >= 2 and simplemma.is_known(candidate, "ar", low_memory=compact):
            lemma = str(simplemma.lemmatize(candidate, lang="ar", low_memory=compact))
            if len(lemma) > 2 or len(candidate) - len(lemma) < 2 or _plural_of_doubled(candidate, lemma):
                return lemma
    # a word it does not know (a name, mostly), or a verbal noun: as written, or without the article
    return stem if len(stem) >= 4 and stem != form and simplemma.is_known(stem, "ar", low_memory=compact) else form


def _plural_of_doubled(word: str, lemma: str) -> bool:
    """Whether ``word`` (with or without the article) is a broken plural of the two-letter noun
    ``lemma`` (a doubled root): فعول (``ردود``, ``خطوط``, ``حقوق``) or أفعال (``أطنان``)."""
    stem = arabic_article(word)[1]
    first, second = lemma[0], lemma[-1]
    return stem in (first + second + "و" + second, "أ" + first + second + "ا" + second)


#: Pronouns written joined after an Arabic noun or verb (her, their, his, our, your), longest first.
_ARABIC_PRONOUNS = ("هما", "هم", "هن", "ها", "كم", "نا", "ه")


def _arabic_known(token: str, compact: bool) -> str:
    """An Arabic word simplemma does not know, without the conjunction (و, ف) or preposition (ب,
    ك, ل) written joined before it: the first of the shorter forms it knows, else (a name it does not
    know, `والناظور`) the word from its article on; else the word as it is.

    simplemma knows a word's forms with and without the article, but few with a joined
    conjunction or preposition, and guesses for the others (`بالرباط` -> `رابط`, a link;
    `وتراهن` -> `وتر`, a string), or keeps them whole (`والبرتغال` beside `البرتغال`).
    """
    import simplemma

    if len(token) < 4 or token[0] not in _ARABIC_JOINED or simplemma.is_known(token, "ar", low_memory=compact):
        return token
    shorter = [(token[1:], token[0])]  # (a shorter form, the letter cut just before it)
    if token[0] in "وف" and token[1:2] in ("ب", "ك", "ل"):
        shorter.append((token[2:], token[1]))
    shorter = [("ال" + form[2:] if form.startswith("لل") else form, cut) for form, cut in shorter]  # ل + ال
    if token.startswith("لل"):
        shorter.insert(0, ("ال" + token[2:], "ل"))
    # three letters left are known for nearly any word (most Arabic roots have three): after و
    # (and), ل (for) and ب (in), the commonest, they are taken (`لدعم`, `بسوق`); after ف or ك an
    # unknown name is likelier (`فاسو`, of Burkina Faso, is no ف + اسو); and after a letter
    # other than و a bare alef opens a verbal noun of five letters or more (`باتفاق`,
    # `باستثناء`), not a name's letters (`بايدن`, Biden, is no ب + ايدن, a form of أيد)
    for form, cut in shorter:
        least = 3 if cut == "و" else 5 if form[0] == "ا" else 3 if cut in "لب" else 4
        if len(form) >= least and simplemma.is_known(form, "ar", low_memory=compact):
            return form
    joined, rest = arabic_article(token)
    return "ال" + rest if len(joined) > 1 else token


#: The Arabic conjunctions and prepositions written joined before a word.
_ARABIC_JOINED = frozenset("وفبكل")


# -- the lexicon: what a build's tokenizer reduced, kept for its later stages and the next build ----

#: Each distinct token's term per language (``None``: a stopword or too short), beside a build's
#: interim tables. With workers, cleaning keeps what its workers reduce (and what the previous
#: build's lexicon holds), the keyword stage reduces what is missing and rewrites it for the corpus's
#: vocabulary, and the keyword and topic stages' workers learn the terms from it instead of loading
#: the lemmatiser's dictionaries and reducing every token again. A file whose hash (see
#: :func:`lexicon_digest`) is not the tokenizer's is not read: it only ever saves time.
LEXICON_FILE = "lexicon.parquet"
_LEXICON_KEY = b"tokenizer"


@cache
def _code(module: str) -> str:
    """A hash of a module's source (this one's, and a tokenizer subclass's)."""
    import sys

    from analysis.cache import code_digest

    return code_digest(sys.modules[module])


def lexicon_digest(tokenizer: Tokenizer) -> str:
    """A hash of what a token's term depends on besides the token and its language: the tokenizer's
    class, code and options, its stopwords added to stopwords-iso's and taken out of them, and the versions of the
    libraries that reduce or cut (simplemma, stopwordsiso, nltk, jieba). A lexicon saved under another hash is
    not read (a change of how tokens are reduced makes the last build's lexicon stale)."""
    import hashlib
    import pickle
    from importlib import metadata

    versions = []
    for name in ("simplemma", "stopwordsiso", "nltk", "jieba"):
        try:
            versions.append(metadata.version(name))
        except metadata.PackageNotFoundError:
            versions.append("")
    kind = type(tokenizer)
    additions = sorted((lang, sorted(words)) for lang, words in tokenizer._additions.items())
    # the words the data file takes out of stopwords-iso's lists are terms (`état`)
    removed = sorted((lang, sorted(words)) for lang, words in _stopwords_data().get("not_stopwords", {}).items())
    # the lemmas that replace simplemma's (data/lemmas.toml and the user's), and the demonyms
    lemmas = sorted((lang, sorted(words.items())) for lang, words in tokenizer._lemmas.items())
    nationality = sorted((lang, sorted(forms)) for lang, forms in demonyms().items())
    # (analysis.text's too: it cuts an Arabic word's joined article before its lemma is looked up)
    code = sorted({_code(__name__), _code(kind.__module__), _code("analysis.text")})
    payload = pickle.dumps(
        (kind.__module__, kind.__qualname__, code, tokenizer.options, additions, removed, lemmas, nationality, versions)
    )
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


def lexicon_schema(tokenizer: Tokenizer) -> Any:
    """The lexicon's Arrow schema, with the tokenizer's :func:`lexicon_digest` in its metadata."""
    import pyarrow as pa

    fields = [pa.field("language", pa.string()), pa.field("token", pa.string(), False), pa.field("term", pa.string())]
    return pa.schema(fields, metadata={_LEXICON_KEY: lexicon_digest(tokenizer).encode()})


def lexicon_rows(reductions: Iterable[tuple[str | None, str, str | None]], schema: Any) -> Any:
    """(language, token, term) triples as a table of ``schema`` (see :func:`lexicon_schema`)."""
    import pyarrow as pa

    columns = list(zip(*reductions, strict=True)) or [(), (), ()]
    return pa.table([pa.array(values, pa.string()) for values in columns], schema=schema)


def write_lexicon(target: Path, reduced: Mapping[str | None, Mapping[str, str | None]], tokenizer: Tokenizer) -> None:
    """Each token's term (``None``: a stopword or too short) per language, atomically."""
    import pyarrow.parquet as pq

    from analysis.io.store import atomic_path

    triples = ((lang, token, term) for lang, terms in reduced.items() for token, term in terms.items())
    table = lexicon_rows(triples, lexicon_schema(tokenizer))
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def iter_lexicon(path: Path, tokenizer: Tokenizer) -> Iterator[Any]:
    """The lexicon at ``path`` in record batches, if it was saved for a tokenizer like this one; else
    (absent, another hash, damaged: a warning names the file) nothing, or nothing more."""
    import logging

    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.exists():
        return
    try:
        handle = pq.ParquetFile(path)
        if (handle.schema_arrow.metadata or {}).get(_LEXICON_KEY) != lexicon_digest(tokenizer).encode():
            return
        yield from handle.iter_batches(batch_size=65_536, columns=["language", "token", "term"])
    except (OSError, pa.ArrowException) as exc:  # only a shortcut: what it lacks is reduced again
        logging.getLogger(__name__).warning("%s: unreadable (%s); its tokens are reduced again", path, exc)


def read_lexicon(path: Path, tokenizer: Tokenizer) -> dict[str | None, dict[str, str | None]]:
    """What :func:`write_lexicon` wrote (or a cleaning stage gathered), per language, if it was saved
    for a tokenizer like this one; else (absent, another hash, damaged) empty."""
    reduced: dict[str | None, dict[str, str | None]] = {}
    for batch in iter_lexicon(path, tokenizer):
        columns = (batch.column(i).to_pylist() for i in range(3))
        for lang, token, term in zip(*columns, strict=True):
            reduced.setdefault(lang, {})[token] = term
    return reduced
