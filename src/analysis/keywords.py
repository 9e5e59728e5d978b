"""What the coverage talks about: term and phrase frequencies, distinctive terms, trends, concordances.

Everything starts from the token table of the cleaning stage (``tokens.parquet``): the word tokens
of each article, and the article's date, source and language.

- **Phrases** (:class:`PhraseModel`): bigrams and trigrams scored as collocations (log-likelihood
  ratio and PMI, as nltk's association measures give them; a trigram's ratio the weaker of its two
  splits', see :func:`_split_llr`) over the lemmatised token stream, kept
  above frequency, document and significance floors. Bigrams are two content words (``intelligence
  artificielle``); a trigram is three, or two joined by a connecting stopword (``coupe du monde``,
  ``Bank of England``; :data:`CONNECTORS`), and is dropped when it merely extends a kept bigram.
  Phrases are found by their lemmas, so ``énergies renouvelables`` and ``énergie renouvelable``
  are one phrase, shown as it is most often written.
- **Terms** (:func:`article_terms`): the content terms of an article, with learnt phrases merged
  into one term (longest first, left to right) when phrases are on.
- **Spellings** (:func:`_spellings`, :func:`_styled_capitals`): learnt from the phrase sample
  with the phrases, words that differ only by their accents or capitals, one of them unknown to
  the dictionary or both names' words, are counted as one spelling (``Kais Saied`` and ``Kaïs
  Saïed``, ``BH BANK`` and ``BH Bank``, ``Eric Zemmour`` and ``Éric Zemmour``; a country's name as
  CLDR writes it), and a word capitalised by house style inside a name as the plain word
  (``Banque Mondiale``, ``mondial``).
- **Frequencies** (:class:`TermCounter`): counts and document counts per group: the whole corpus,
  each period (day/week/month/quarter/year), each source, each language; raw and as shares.
- **Distinctive terms** (:func:`keyness`): log-likelihood (G², Dunning) of a term's count in a
  group against the rest of the corpus, with the log ratio (binary log of the ratio of relative
  frequencies, Hardie) as effect size and a TF-IDF score that treats each group as one document.
- **Rising and falling terms** (:func:`rising_falling`): a term's share in a window of periods
  against the window before it, tested with G² (chi-squared, 1 degree of freedom); p-values are
  corrected for the number of terms tested (Benjamini-Hochberg) and a term is reported when its
  q-value is at most ``trend_alpha`` and its log ratio at least ``trend_min_log_ratio`` in size.
- **Concordance** (:func:`concordance`): every occurrence of a term or phrase, any inflection, in
  context.

How the stage (:func:`run_stage`) runs, fast and on any :class:`analysis.engine.Engine`:

- Tokens are read from Parquet dictionary-encoded, and each distinct token goes through the
  tokenizer once (``Tokenizer.reduced`` works token by token); articles become arrays of word ids
  that numpy works on.
- Phrases: one pass over the sample counts every candidate n-gram with numpy (hashing integer
  codes), keeping those above the frequency and document floors and of the right shape; their
  log-likelihood ratios come from their marginals (what nltk's finders pass its association
  measures), computed for all candidates at once with nltk's arithmetic, operation for operation
  (the same floats, pinned in a test against nltk), without importing nltk (its import alone takes
  seconds).
- Per batch of the token table (a task: row groups and the path of a shared context file): the
  articles' terms, phrases merged with numpy, written in batch order to the interim term table;
  each article's term counts and groups, turned into group x term counts one block of articles at
  a time (a sparse product) and summed. Terms and groups are numbered in the order they are met,
  batch after batch, so the outputs are the same, byte for byte, whatever the engine and its
  number of workers (and the tables whatever the batch size).
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import itertools
import math
import unicodedata
import weakref
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.cache import CacheRef, Caches, CacheUse, FileRef
from analysis.periods import PERIOD_TYPES, period_range, period_start, utc_times
from analysis.tokens import (
    CAPITAL_ACCENTS,
    LEXICON_FILE,
    SEGMENTED,
    Tokenizer,
    accent_restored,
    elided,
    joined_pairs,
    known_word,
    letters,
    read_lexicon,
    unspaced,
    write_lexicon,
)

if TYPE_CHECKING:
    from analysis.engine import Engine

#: Marks a stopword in the lemma stream given to the collocation finders (never shown).
_STOP = "\x1f"
#: Stopwords that may join the two content words of a three-word phrase (``coupe du monde``,
#: ``Bank of England``), per language, in any case; other stopwords (``soutenir la tunisie``) may
#: not. One written with a capital joins only when so written, inside a sentence: the article of a
#: French name (``Marine Le Pen``, ``Bruno Le Maire``, ``Jean de La Fontaine``), not ``la``.
CONNECTORS: dict[str, frozenset[str]] = {
    "fr": frozenset({"de", "du", "des", "Le", "La"}),  # not à/au: "appelle à lever", "MD au profit" are not names
    "en": frozenset({"of"}),
    "es": frozenset({"de", "del"}),
    "pt": frozenset({"de", "do", "da", "dos", "das"}),
    "it": frozenset({"di", "del", "della", "dei", "delle"}),
    "de": frozenset({"von", "der", "des"}),
    "nl": frozenset({"van", "der"}),
}
#: The connectors written with a capital: in the lemma stream a token written so keeps it.
_CASED_CONNECTORS = frozenset(word for words in CONNECTORS.values() for word in words if word[:1].isupper())
#: Chi-squared critical value for p = 0.001 with one degree of freedom.
G2_P001 = 10.83

TERMS_FILE = "term_frequencies.parquet"
PHRASES_FILE = "phrases.parquet"
DISTINCTIVE_FILE = "distinctive_terms.parquet"
RISING_FILE = "rising_terms.parquet"
INTERIM_TERMS_FILE = "terms.parquet"
KEYWORD_MODEL_FILE = "keyword_model.parquet"
#: The key of a saved phrase model's Parquet metadata (JSON): the spellings it counts words with.
MODEL_METADATA = b"analysis.keyword_model"
MODEL_FORMAT = 1


class KeywordModelError(ValueError):
    """A saved keyword model that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class KeywordOptions:
    """Options of the keyword stage (``[keywords]`` in the configuration)."""

    periods: tuple[str, ...] = ("week", "month", "quarter", "year")
    include_duplicates: bool = False
    phrases: bool = True
    phrase_min_count: int = 3
    phrase_min_docs: int = 3
    phrase_min_llr: float = G2_P001
    phrase_max: int = 5000
    phrase_sample: int = 20000
    accent_variants: tuple[str, ...] = ("fr", "en", "es", "pt", "it", "de", "nl")
    styled_capitals: tuple[str, ...] = ("fr", "en", "es", "pt", "it", "nl")
    min_count: int = 2
    top_terms: int = 500
    distinctive_by: tuple[str, ...] = ("source", "month")
    distinctive_top: int = 50
    distinctive_min_count: int = 5
    trend_period: str = "month"
    trend_window: int = 3
    trend_alpha: float = 0.05
    trend_min_count: int = 10
    trend_min_log_ratio: float = 0.5
    model_file: str = ""

    def __post_init__(self) -> None:
        for period in (*self.periods, self.trend_period):
            if period not in PERIOD_TYPES:
                raise ValueError(f"unknown period {period!r}: one of {', '.join(PERIOD_TYPES)}")
        for group in self.distinctive_by:
            if group not in ("source", "language", *PERIOD_TYPES):
                raise ValueError(f"keywords.distinctive_by: {group!r} is not source, language or a period")
        if self.trend_window < 1:
            raise ValueError("keywords.trend_window must be at least 1")


# --- phrases ------------------------------------------------------------------------------------


def lemma_stream(tokenizer: Tokenizer, tokens: Sequence[str], lang: str | None) -> list[str]:
    """Each token as its term, or as a marked lower-case stopword (the input of phrase finding)."""
    return [_word(token, term) for token, term in zip(tokens, tokenizer.reduced(tokens, lang), strict=True)]


def _word(token: str, term: str | None) -> str:
    """A token's word in the lemma stream: its term, or the token marked as a stopword, lower-cased
    unless it is a connector written with a capital (the article of a name inside a sentence,
    ``Le Pen``; other stopwords lower-cased, so that ``Charles De Gaulle`` is ``Charles de Gaulle``)."""
    if term is not None:
        return term
    return _STOP + (token if token in _CASED_CONNECTORS else token.lower())


def _surface(token: str, lang: str | None = None) -> str:
    """How a token is shown in a phrase: lower-cased unless all capitals (`ONU`), its elision
    lower-cased before it (`l'ONU`, `d'affaires`), a capital's dropped accent put back where
    the token's term has it (`l'Etat` is shown `l'état`, see :data:`analysis.tokens.CAPITAL_ACCENTS`;
    and a sentence's first word, lower-cased, whose plain form is no word: `energies`)."""
    prefix, word = elided(token)
    if word.isupper():
        return prefix + word
    if lang in CAPITAL_ACCENTS:
        word = accent_restored(word, lang) or word
    return prefix + word.lower()


def _shown(words: Iterable[str], lang: str | None = None) -> str:
    """A phrase as written: its words with spaces, where overlapping pairs of letters of a script
    written without spaces are written once (`摩洛` + `洛哥` is `摩洛哥`; see
    :func:`analysis.tokens.unspaced_tokens`); in a language whose words a segmenter cuts
    (:data:`analysis.tokens.SEGMENTED`), its words of such a script are written joined, with
    no overlap to take out (`美国` + `国会` is `美国国会`)."""
    shown = ""
    pair = False  # whether the last word was a pair of letters
    segmented = lang in SEGMENTED
    for word in (w.removeprefix(_STOP) for w in words):
        if segmented:
            joined = bool(shown and word) and unspaced(shown[-1]) and unspaced(word[0])
            shown += word if joined or not shown else " " + word
            continue
        # (only pairs overlap: a word of katakana, `ロシア`, is whole)
        first = letters(word)[0] if word and unspaced(word[0]) and len(letters(word)) == 2 else None
        if first is not None and shown and unspaced(shown[-1]) and shown.endswith(first) and pair:
            shown += word[len(first) :]
        else:
            shown += (" " if shown else "") + word
        pair = first is not None
    return shown


class _Lexicon:
    """The distinct tokens of one language, each reduced once: its word of the lemma stream, as an id.

    A token's term depends on the token and the language only (:meth:`Tokenizer.reduced` works
    token by token), so each distinct token goes through the tokenizer once per process, and a
    batch of articles becomes an array of word ids that numpy works on.
    """

    def __init__(self, tokenizer: Tokenizer, lang: str | None) -> None:
        self.tokenizer = tokenizer
        self.lang = lang
        self.words: list[str] = []
        self.ids: dict[str, int] = {}
        self.tokens: dict[str, int] = {}
        self._stop = np.zeros(0, dtype=bool)
        self.matchers: dict[int, tuple[Mapping[tuple[str, ...], str], _Matcher]] = {}
        self.respelled: tuple[_Respelt, np.ndarray] | None = None  # see _respelled_ids

    def word_id(self, word: str) -> int:
        index = self.ids.get(word)
        if index is None:
            index = self.ids[word] = len(self.words)
            self.words.append(word)
        return index

    def encode(self, tokens: list[str]) -> np.ndarray:
        """The word id of each token."""
        known = self.tokens
        found = [known.get(t, -1) for t in tokens]
        new = list(dict.fromkeys(t for t, i in zip(tokens, found, strict=True) if i < 0))
        if new:
            for token, term in zip(new, self.tokenizer.reduced(new, self.lang), strict=True):
                known[token] = self.word_id(_word(token, term))
            found = [known[t] for t in tokens]
        return np.asarray(found, dtype=np.int64)

    def seed(self, known: Mapping[str, str]) -> None:
        """Learn the words of tokens reduced elsewhere (by a tokenizer with the same options)."""
        tokens = self.tokens
        for token, word in known.items():
            if token not in tokens:
                tokens[token] = self.word_id(word)

    @property
    def stop(self) -> np.ndarray:
        """Per word id: whether the word is a marked stopword."""
        if len(self._stop) < len(self.words):
            more = self.words[len(self._stop) :]
            self._stop = np.concatenate([self._stop, np.fromiter((w[0] == _STOP for w in more), bool, len(more))])
        return self._stop

    def matcher(self, known: Mapping[tuple[str, ...], str]) -> _Matcher:
        """The phrases ``known`` as codes over this lexicon's word ids (made once per phrase table)."""
        entry = self.matchers.get(id(known))
        if entry is None or entry[0] is not known:
            if len(self.matchers) >= 4:
                self.matchers.clear()
            entry = self.matchers[id(known)] = (known, _Matcher(self, known))
        return entry[1]


#: Per tokenizer, per language: its lexicon (dropped with the tokenizer; reset when very large).
_LEXICONS: weakref.WeakKeyDictionary[Tokenizer, dict[str | None, _Lexicon]] = weakref.WeakKeyDictionary()
_LEXICON_LIMIT = 2_000_000


def _lexicon(tokenizer: Tokenizer, lang: str | None) -> _Lexicon:
    lexicons = _LEXICONS.setdefault(tokenizer, {})
    lexicon = lexicons.get(lang)
    if lexicon is None or len(lexicon.tokens) > _LEXICON_LIMIT:
        lexicon = lexicons[lang] = _Lexicon(tokenizer, lang)
    return lexicon


class _Matcher:
    """Learnt phrases of one language as integer codes of the slots of their words (for numpy)."""

    def __init__(self, lexicon: _Lexicon, known: Mapping[tuple[str, ...], str]) -> None:
        self.known = known
        words = sorted({word for key in known for word in key})
        self.base = len(words) + 1
        # Codes of three slots must fit in 63 bits; beyond (~2 million phrase words) merge word by word.
        self.vectorised = self.base**3 < 2**62
        ids = np.asarray([lexicon.word_id(word) for word in words], dtype=np.int64)
        # Slot 0: not a phrase word; the last entry stands for every word the lexicon learns later.
        self.slots = np.zeros(len(lexicon.words) + 1, dtype=np.int64)
        self.slots[ids] = np.arange(1, len(words) + 1)
        slot = dict(zip(words, range(1, len(words) + 1), strict=True))
        self.phrases: list[str] = []
        codes: dict[int, list[tuple[int, int]]] = {2: [], 3: []}
        for key, phrase in known.items():
            code = 0
            for word in key:
                code = code * self.base + slot[word]
            codes[len(key)].append((code, len(self.phrases)))
            self.phrases.append(phrase)
        self.codes: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for size, pairs in codes.items():
            pairs.sort()
            self.codes[size] = (
                np.asarray([c for c, _ in pairs], dtype=np.int64),
                np.asarray([p for _, p in pairs], dtype=np.int64),
            )

    def find(self, w: np.ndarray, doc: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions where a phrase of ``size`` words starts (inside one document), and which phrase."""
        known_codes, phrase_of = self.codes[size]
        n = len(w)
        if not len(known_codes) or n < size:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        slots = self.slots[np.minimum(w, len(self.slots) - 1)]
        ok = (slots[: n - size + 1] > 0) & (doc[: n - size + 1] == doc[size - 1 :])
        for j in range(1, size):
            ok &= slots[j : n - size + 1 + j] > 0
        at = np.flatnonzero(ok)
        code = slots[at]
        for j in range(1, size):
            code = code * self.base + slots[at + j]
        where = np.minimum(np.searchsorted(known_codes, code), len(known_codes) - 1)
        hit = known_codes[where] == code
        return at[hit], phrase_of[where[hit]]


def _unmarked(word: str) -> str:
    """A word without its diacritics, its case kept (`kaïs` -> `kais`, `égypte` -> `egypte`)."""
    if word.isascii():
        return word
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    )


def _spelling_key(word: str) -> str:
    """What the spellings of one word share: its letters without diacritics, in small letters
    (`Kaïs`, `kais`: `kais`; `BANK`, `Bank`: `bank`)."""
    return _unmarked(word).lower()


def _marks(word: str) -> int:
    return sum(map(unicodedata.combining, unicodedata.normalize("NFD", word))) if not word.isascii() else 0


@functools.lru_cache(maxsize=64)
def _country_names(lang: str | None) -> frozenset[str]:
    """CLDR's names of countries and territories in ``lang`` (babel) of one word written with
    accents, lower-cased (`égypte`, `pérou`, `émirats`...; none for a language CLDR lacks)."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(lang or "").territories.values()
    except (UnknownLocaleError, ValueError, TypeError):
        return frozenset()
    return frozenset(n for n in (name.lower() for name in names) if " " not in n and _unmarked(n) != n)


def _spellings(
    words: Sequence[str], counts: Sequence[int], lang: str | None, names: Collection[str] = ()
) -> dict[str, str]:
    """How the sample writes each word that accents or capitals tell apart from another (per
    :func:`_spelling_key`, the spelling counted), for :func:`_respelling`.

    Of the words that differ only by their accents or their capitals (an acronym's, `BANK` in `BH
    BANK` beside `BH Bank`: the word of `Bank` is `bank`), the one written most often is kept, a spelling
    with accents counting twice against one with fewer (accents are dropped far more often than
    added: `Léo` 4 times and `Leo` 5 is `léo`; `Mechichi` 49 and `Méchichi` 4 is `mechichi`; more
    accents, then alphabetical order, settle a tie); in a language whose press drops a capital's
    accent (:data:`analysis.tokens.CAPITAL_ACCENTS`), a word whose first letter is plain counts for
    the one with that letter accented (`Egypte` for `Égypte`). A country's name as CLDR writes it in
    the language is its spelling whatever the sample writes (`egypte`, `perou`: `égypte`, `pérou`,
    in a French corpus that never writes the accents). Only words with accents or capitals, unknown
    to the language's dictionary, or in ``names`` (words the sample writes as names: `eric`, which
    the French dictionary knows, beside `éric`) are listed: a known word in small letters without
    accents is nobody's other spelling.
    """
    forms: dict[str, dict[str, int]] = {}
    for word, n in zip(words, counts, strict=True):
        if n and word[0] != _STOP:
            key = _spelling_key(word)
            if key != word or word in names or not known_word(word, lang or ""):
                written = forms.setdefault(key, {})
                written[word] = written.get(word, 0) + int(n)
    capitals = lang in CAPITAL_ACCENTS
    chosen: dict[str, str] = {}
    for key, written in forms.items():
        if len(written) == 1:
            chosen[key] = next(iter(written))
            continue
        score = dict(written)
        if capitals:
            for word, n in written.items():
                for other in written:
                    if other != word and other[1:] == word[1:] and _unmarked(other[0]) == word[0]:
                        score[other] += n  # (word: other written with a capital that lost its accent)
        fewest = min(_marks(w) for w in written)
        chosen[key] = min(written, key=lambda w: (-score[w] * (2 if _marks(w) > fewest else 1), -_marks(w), w))
    for name in _country_names(lang):
        key = _spelling_key(name)
        if key in chosen:
            chosen[key] = name
    return chosen


def _styled_capitals(sample: _LanguageSample) -> dict[str, str]:
    """Names' words that a sample writes as plain words more often than with a capital, and that
    it writes with a capital inside a name (`Banque Mondiale`, `Union Européenne`, `Loi de
    Finances`, as a house style writes them, beside `Banque mondiale`): each such word (a name's,
    lower-cased whole) to the plain word's term (`mondiale` -> `mondial`), when that term begins it
    (an ending taken off, not another word: `Justin Rose` is not `rise`).

    A capitalised token is inside a name when the token before it has a capital too, or is a
    stopword after one (`Cour des Comptes`); it must be so in most of its occurrences (the first
    word of a name, `Caroline`, `Gilles`, `à Tours`, never is).
    """
    tokens = sample.tokens
    if not sample.chunks or not tokens:
        return {}
    ids, lengths = sample.stream()
    doc = np.repeat(np.arange(len(lengths)), lengths)
    cased = sample.cased()
    capital = cased & np.fromiter((not elided(t)[1].isupper() for t in tokens), bool, len(tokens))
    stop = np.fromiter((w[0] == _STOP for w in sample.words), bool, len(tokens))
    inside = np.zeros(len(ids), dtype=bool)
    if len(ids) > 1:
        same = doc[1:] == doc[:-1]
        inside[1:] = same & cased[ids[:-1]]
    if len(ids) > 2:
        same2 = (doc[2:] == doc[:-2]) & stop[ids[1:-1]] & cased[ids[:-2]]
        inside[2:] |= same2
    inside &= capital[ids]
    total = np.bincount(ids, minlength=len(tokens))
    within = np.bincount(ids[inside], minlength=len(tokens))
    position = sample.ids
    tally: dict[tuple[str, str], list[int]] = {}
    for index in np.flatnonzero(capital & (total > 0)).tolist():
        plain = position.get(tokens[index].lower())
        if plain is None:
            continue
        name, word = sample.words[index], sample.words[plain]
        if word[0] == _STOP or name == word or not name.startswith(word):
            continue
        counts = tally.setdefault((name, word), [0, 0, 0])
        counts[0] += int(total[index])
        counts[1] += int(within[index])
        counts[2] += int(total[plain])
    readings: dict[str, str] = {}
    for (name, word), (written, inner, plain_count) in sorted(tally.items()):
        if 2 * inner > written and plain_count >= written and name not in readings:
            readings[name] = word
    return readings


def _name_words(sample: _LanguageSample, counts: np.ndarray) -> frozenset[str]:
    """The words (:attr:`_LanguageSample.words`) of names in the sample: written with a capital in
    more than half of their occurrences (``counts``, per token), or followed by a capitalised token
    in more than half (a first name: `Eric Zemmour`, whose `Eric` the tokenizer reads as a word
    where it opens a title), not words a name sometimes holds (`Marché`, `côte`)."""
    capital = sample.cased()
    ids, lengths = sample.stream()
    ends = np.cumsum(lengths)
    before = np.zeros(len(ids), dtype=bool)  # the token after it, in the same article, has a capital
    before[:-1] = capital[ids[1:]]
    before[ends[ends > 0] - 1] = False
    words, index = np.unique(np.asarray(sample.words, dtype=object), return_inverse=True)
    index = index.ravel()
    total = np.bincount(index, weights=counts, minlength=len(words))
    written = np.bincount(index, weights=counts * capital, minlength=len(words))
    first = np.bincount(index[ids[before]], minlength=len(words))
    return frozenset(words[(2 * written > total) | (2 * first > total)].tolist())


def _respelling(
    word: str,
    spellings: Mapping[str, str],
    lang: str | None,
    readings: Mapping[str, str] | None = None,
    names: Collection[str] = (),
) -> str:
    """The spelling ``word`` is counted as: the sample's (:func:`_spellings`) for a word that differs
    from it only by accents or capitals and that the language's dictionary does not know (`kais` ->
    `kaïs`, `egypte` -> `égypte`, `precision` -> `précision`, `BANK` -> `bank` in French), or that
    is in ``names`` with the sample's spelling (`eric` -> `éric`); any other word as it is (`marche`
    and `marché`, both words, stay apart). A name's word in ``readings`` (:func:`_styled_capitals`)
    is first read as the plain word there."""
    if word[0] == _STOP:
        return word
    if readings:
        word = readings.get(word, word)
    chosen = spellings.get(_spelling_key(word))
    if chosen is None or chosen == word:
        return word
    if known_word(word, lang or "") and not (word in names and chosen in names):
        return word
    return chosen


@dataclass(frozen=True)
class _Respelt:
    """How a language's words are counted (second pass): its spellings (:func:`_spellings`), names'
    words read as plain words (:func:`_styled_capitals`), and the words the sample writes as names
    (:func:`_name_words`) that take another spelling though the dictionary knows them."""

    spellings: dict[str, str] = field(default_factory=dict)
    readings: dict[str, str] = field(default_factory=dict)
    names: frozenset[str] = frozenset()

    def word(self, word: str, lang: str | None) -> str:
        return _respelling(word, self.spellings, lang, self.readings, self.names)


def _respelled_ids(lexicon: _Lexicon, respelt: _Respelt) -> np.ndarray:
    """Per word id of ``lexicon``: the id of the word it is counted as (:meth:`_Respelt.word`), kept
    per table and extended as the lexicon learns words."""
    entry = lexicon.respelled
    if entry is None or entry[0] is not respelt:
        entry = (respelt, np.zeros(0, dtype=np.int64))
    table = entry[1]
    while len(table) < len(lexicon.words):
        more = lexicon.words[len(table) :]
        ids = [lexicon.word_id(respelt.word(word, lexicon.lang)) for word in more]
        table = np.concatenate([table, np.asarray(ids, dtype=np.int64)])
    lexicon.respelled = (respelt, table)
    return table


def _merge_words(known: Mapping[tuple[str, ...], str] | None, words: Sequence[str]) -> list[str]:
    """Content terms of a lemma stream, each learnt phrase made one term (longest first, left to right)."""
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        if known:
            tri = tuple(words[i : i + 3])
            if len(tri) == 3 and tri in known:
                out.append(known[tri])
                i += 3
                continue
            bi = tri[:2]
            if len(bi) == 2 and bi in known:
                out.append(known[bi])
                i += 2
                continue
        word = words[i]
        if word[0] != _STOP:
            out.append(word)
        i += 1
    return out


def _merge_codes(
    lexicon: _Lexicon, known: Mapping[tuple[str, ...], str] | None, w: np.ndarray, lengths: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The terms of documents given as word ids: (distinct terms, each term as an index into them, terms per document).

    The same terms as :func:`_merge_words` on each document, found with numpy: phrase starts are
    looked up as codes, and only they go through Python to resolve overlaps (longest first, left to
    right).
    """
    matcher = lexicon.matcher(known) if known else None
    doc = np.repeat(np.arange(len(lengths)), lengths)
    emit = ~lexicon.stop[w]
    code = w.copy()
    n_words = len(lexicon.words)
    if matcher is not None and not matcher.vectorised:
        terms: list[str] = []
        counts = np.zeros(len(lengths), dtype=np.int64)
        start = 0
        for i, length in enumerate(lengths.tolist()):
            merged = _merge_words(known, [lexicon.words[x] for x in w[start : start + length].tolist()])
            terms.extend(merged)
            counts[i] = len(merged)
            start += length
        index, distinct = pd.factorize(pd.Series(terms, dtype=object))
        return list(distinct), np.asarray(index, dtype=np.int64), counts
    if matcher is not None:
        tri_at, tri = matcher.find(w, doc, 3)
        bi_at, bi = matcher.find(w, doc, 2)
        if len(tri_at) or len(bi_at):
            # Every position where a phrase starts (a three-word one first), its size and phrase.
            first = np.union1d(tri_at, bi_at)
            width = np.full(len(first), 2, dtype=np.int64)
            phrase = np.zeros(len(first), dtype=np.int64)
            where = np.searchsorted(first, bi_at)
            phrase[where] = bi
            where = np.searchsorted(first, tri_at)
            width[where] = 3
            phrase[where] = tri
            # Left to right, a phrase overlapping the one taken before it is not taken. A phrase
            # can only overlap the previous candidate's span (spans end in order), so only runs of
            # overlapping candidates need deciding one by one.
            ends = first + width
            overlaps = np.zeros(len(first), dtype=bool)
            overlaps[1:] = first[1:] < ends[:-1]
            taken = np.ones(len(first), dtype=bool)
            if overlaps.any():
                starts, stops = first.tolist(), ends.tolist()
                free = -1
                for i in np.flatnonzero(overlaps | np.roll(overlaps, -1)).tolist():
                    if not overlaps[i]:
                        free = stops[i]  # a run's first candidate is always taken
                    elif starts[i] < free:
                        taken[i] = False
                    else:
                        free = stops[i]
            first, width, phrase = first[taken], width[taken], phrase[taken]
            covered = np.repeat(first, width) + (
                np.arange(int(width.sum())) - np.repeat(np.cumsum(width) - width, width)
            )
            emit[covered] = False
            emit[first] = True
            code[first] = n_words + phrase
    kept = code[emit]
    index, distinct = pd.factorize(kept)
    words, phrase_names = lexicon.words, matcher.phrases if matcher is not None else []
    names = [words[c] if c < n_words else phrase_names[c - n_words] for c in distinct.tolist()]
    return names, np.asarray(index, dtype=np.int64), np.bincount(doc[emit], minlength=len(lengths))


def _languages(table: Any) -> Iterator[tuple[str | None, np.ndarray, list[str], np.ndarray, np.ndarray]]:
    """The articles of a token table, per language, with their tokens hashed once.

    Yields (language, the articles' row numbers, their distinct tokens, each of their tokens as an
    index into those, tokens per article).
    """
    import pyarrow.compute as pc

    langs = table.column("language").to_pylist()
    column = table.column("tokens")
    lengths = pc.list_value_length(column).fill_null(0).to_numpy().astype(np.int64)
    dictionary, index = _token_codes(column)
    for lang, chosen in _language_rows(langs).items():
        mine = np.asarray(chosen, dtype=np.int64)
        if len(chosen) == len(langs):
            positions = index
        else:
            in_lang = np.zeros(len(langs), dtype=bool)
            in_lang[mine] = True
            positions = index[np.repeat(in_lang, lengths)]
        # Only the entries these articles use (a dictionary read from Parquet may hold others).
        seen = np.zeros(len(dictionary), dtype=bool)
        seen[positions] = True
        used = np.flatnonzero(seen)
        renumber = np.zeros(len(dictionary), dtype=np.int64)
        renumber[used] = np.arange(len(used))
        yield lang, mine, [dictionary[i] for i in used.tolist()], renumber[positions], lengths[mine]


def _language_rows(langs: Sequence[str | None]) -> dict[str | None, list[int]]:
    """The row numbers of each language, in order of first appearance."""
    rows: dict[str | None, list[int]] = {}
    for i, lang in enumerate(langs):
        rows.setdefault(lang, []).append(i)
    return rows


def _token_codes(column: Any) -> tuple[list[str], np.ndarray]:
    """The tokens of a list column as a dictionary (distinct strings) and an index per token.

    Tokens read from Parquet as dictionaries (see :func:`_read_task`) keep theirs; others are encoded
    here. Chunks read apart (row groups, parts of a table) have a dictionary each: they are merged
    in Arrow, so that each string is looked up once per task however many chunks hold it (with
    the token table split into 500-row parts, tried and left out, each token came four times per
    task and the keyword stage of a 100,000-article build took about 3 s longer).
    """
    import pyarrow as pa

    dictionaries: list[Any] = []
    parts: list[np.ndarray] = []
    size = 0
    for chunk in column.chunks:
        flat = chunk.flatten()
        if not len(flat):
            continue
        if not pa.types.is_dictionary(flat.type):
            flat = flat.dictionary_encode()
        parts.append(flat.indices.to_numpy(zero_copy_only=False).astype(np.int64) + size)
        dictionaries.append(flat.dictionary)
        size += len(flat.dictionary)
    if not parts:
        return [], np.zeros(0, dtype=np.int64)
    index = np.concatenate(parts)
    if len(dictionaries) == 1:
        return dictionaries[0].to_pylist(), index
    merged = pa.concat_arrays(dictionaries).dictionary_encode()
    return merged.dictionary.to_pylist(), merged.indices.to_numpy(zero_copy_only=False).astype(np.int64)[index]


def _ids(index: dict[Any, int], items: Sequence[Any]) -> np.ndarray:
    """The id of each item in ``index``, new items numbered on from ``len(index)`` in order of first appearance."""
    found = np.fromiter(map(index.get, items, itertools.repeat(-1)), dtype=np.int64, count=len(items))
    missing = found < 0
    if missing.any():
        new = [x for x, m in zip(items, missing.tolist(), strict=True) if m]
        start = len(index)
        index.update(zip(dict.fromkeys(new), range(start, start + len(new)), strict=False))
        found[missing] = [index[x] for x in new]
    return found


def _without_joined_conjunction(
    surfaces: list[str], ids: Mapping[str, int], surface_of: np.ndarray, word_of: np.ndarray
) -> np.ndarray:
    """Per surface id, the id of the same surface without the Arabic و or ف (and, then) joined
    before it, where that surface is also in the corpus as the same word (`والدار` -> `الدار`;
    not `وزير`, a minister, whose `زير` is another word); else the surface's own id."""
    word = np.full(len(surfaces), -1, dtype=np.int64)
    word[surface_of] = word_of
    opening = np.arange(len(surfaces), dtype=np.int64)
    for x, surface in enumerate(surfaces):
        bare = ids.get(surface[1:], -1) if surface[:1] in ("و", "ف") else -1
        if bare >= 0 and word[bare] == word[x]:
            opening[x] = bare
    return opening


@dataclass
class _LanguageSample:
    """The phrase sample of one language: its distinct tokens, and each article as token ids."""

    ids: dict[str, int] = field(default_factory=dict)
    chunks: list[np.ndarray] = field(default_factory=list)
    lengths: list[np.ndarray] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # per distinct token: its word (see _reduce_sample)

    def add(self, distinct: list[str], index: np.ndarray, lengths: np.ndarray) -> None:
        ids = self.ids
        mapped = _ids(ids, distinct)
        self.chunks.append(mapped[index].astype(np.int32))
        self.lengths.append(lengths.astype(np.int32))

    @property
    def tokens(self) -> list[str]:
        return list(self.ids)

    def stream(self) -> tuple[np.ndarray, np.ndarray]:
        """Every article's token ids one after the other, and each article's number of tokens."""
        if not self.chunks:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(self.chunks).astype(np.int64), np.concatenate(self.lengths).astype(np.int64)

    def cased(self) -> np.ndarray:
        """Per distinct token: whether it opens with a capital (after an elision: `l'Otan`)."""
        return np.fromiter((elided(t)[1][:1].isupper() for t in self.ids), bool, len(self.ids))


def _add_sample(sample: dict[str | None, _LanguageSample], table: Any) -> None:
    for lang, _rows, distinct, index, lengths in _languages(table):
        sample.setdefault(lang, _LanguageSample()).add(distinct, index, lengths)


def _reduce_task(task: tuple[bytes, str | None, list[str]]) -> list[str]:
    """The word of each token of one language: its term, or the marked stopword (top-level, for the engine)."""
    spec, lang, tokens = task
    lexicon = _lexicon(_worker_tokenizer(spec), lang)
    words = lexicon.words
    return [words[i] for i in lexicon.encode(tokens).tolist()]


def _reduced(
    vocabulary: Mapping[str | None, list[str]],
    tokenizer: Tokenizer,
    engine: Engine | None,
    known: dict[str | None, dict[str, str | None]] | None = None,
) -> dict[str | None, dict[str, str]]:
    """Each distinct token's word, per language: its term from ``known`` (a lexicon, see
    :func:`analysis.tokens.read_lexicon`, emptied language by language as it is used), else
    through the tokenizer once (chunks shared out on ``engine``)."""
    reduced: dict[str | None, dict[str, str]] = {}
    workers = engine.workers if engine is not None else 1
    for lang, tokens in vocabulary.items():
        terms = (known or {}).pop(lang, {})
        missing = [token for token in tokens if token not in terms] if terms else tokens
        if not missing:
            words = []
        elif engine is None or workers < 2:
            lexicon = _lexicon(tokenizer, lang)
            words = [lexicon.words[i] for i in lexicon.encode(missing).tolist()]
        else:
            spec = _tokenizer_spec(tokenizer)
            step = max(5000, -(-len(missing) // (4 * workers)))
            tasks = [(spec, lang, missing[i : i + step]) for i in range(0, len(missing), step)]
            words = [word for chunk in engine.map(_reduce_task, tasks) for word in chunk]
        found = dict(zip(missing, words, strict=True))
        reduced[lang] = {token: found[token] if token in found else _word(token, terms[token]) for token in tokens}
    return reduced


def _reduce_sample(sample: Mapping[str | None, _LanguageSample], tokenizer: Tokenizer, engine: Engine | None) -> None:
    """Every distinct token of the sample through the tokenizer once (see :func:`_reduced`)."""
    reduced = _reduced({lang: part.tokens for lang, part in sample.items()}, tokenizer, engine)
    for lang, part in sample.items():
        part.words = list(reduced[lang].values())


def _frequent(
    codes: np.ndarray, docs: np.ndarray, n_docs: int, min_count: int, min_docs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct codes seen at least ``min_count`` times in at least ``min_docs`` documents.

    Returns their codes, counts and documents, and for each position of ``codes`` the index of its
    code among those (-1 when not kept).
    """
    empty = np.zeros(0, dtype=np.int64)
    if not len(codes):
        return empty, empty, empty, empty
    index, distinct = pd.factorize(codes)
    counts = np.bincount(index)
    often = counts >= min_count
    chosen = often[index]
    pairs = pd.unique(index[chosen].astype(np.int64) * max(n_docs, 1) + docs[chosen])
    doc_counts = np.bincount(pairs // max(n_docs, 1), minlength=len(distinct))
    keep = often & (doc_counts >= min_docs)
    rank = np.full(len(distinct), -1, dtype=np.int64)
    rank[keep] = np.arange(int(keep.sum()))
    return np.asarray(distinct)[keep], counts[keep], doc_counts[keep], rank[index]


def _occurrences(wanted: np.ndarray, w: np.ndarray, doc: np.ndarray, gap: int, n_words: int) -> np.ndarray:
    """How often each pair code ``a * n_words + b`` in ``wanted`` (sorted) occurs with b ``gap`` words after a."""
    if not len(wanted) or len(w) <= gap:
        return np.zeros(len(wanted), dtype=np.int64)
    involved = np.zeros(n_words, dtype=bool)
    involved[wanted // n_words] = True
    involved[wanted % n_words] = True
    at = np.flatnonzero((doc[:-gap] == doc[gap:]) & involved[w[:-gap]] & involved[w[gap:]])
    # a hash lookup of each position's code among the wanted (5x a binary search of the millions of positions)
    where = pd.Index(wanted).get_indexer(w[at] * n_words + w[at + gap])
    return np.bincount(where[where >= 0], minlength=len(wanted))


_SMALL = 1e-20  # what the association measures add to keep log() finite


def _llr(marginals: np.ndarray) -> np.ndarray:
    """The log-likelihood ratio (Manning and Schütze 5.3.4) of each bigram, from its marginals.

    ``marginals`` are one row per candidate, ``(n_ii, n_ix, n_xi, n_xx)``, as nltk's bigram
    collocation finder passes them to ``score_ngram``. The arithmetic is nltk's
    ``BigramAssocMeasures.likelihood_ratio``, operation for operation in float64 (the contingency
    table, the expected values, the sum in cell order), with ``math.log``: the scores are nltk's
    to the last bit (pinned in a test), for all candidates at once. Trigrams: :func:`_split_llr`.
    """
    m = np.asarray(marginals, dtype=np.int64).reshape(-1, 4)
    n_ii, n_ix, n_xi, n_xx = (m[:, i].astype(float) for i in range(4))  # nltk's n_ii is a float
    n_oi, n_io = n_xi - n_ii, n_ix - n_ii
    cont = [n_ii, n_oi, n_io, n_xx - n_ii - n_oi - n_io]
    total = ((cont[0] + cont[1]) + cont[2]) + cont[3]
    expected = [(cont[i] + cont[i ^ 1]) * (cont[i] + cont[i ^ 2]) / total for i in range(4)]
    llr = np.zeros(len(m))
    for obs, exp in zip(cont, expected, strict=True):
        ratio = obs / (exp + _SMALL) + _SMALL
        logs = np.fromiter(map(math.log, ratio.tolist()), float, len(ratio))
        llr = llr + obs * logs
    return 2 * llr


def _split_llr(marginals: np.ndarray) -> np.ndarray:
    """A trigram's score: the weaker association of its two splits, its first word with the pair
    after it and its first pair with its last word, each the log-likelihood ratio of a bigram
    (:func:`_llr`, nltk's arithmetic) whose words are the split's two sides.

    ``marginals``: a row per trigram, ``(n_iii, n_iix, n_ixi, n_xii, n_ixx, n_xix, n_xxi, n_xxx)``,
    as nltk's trigram finder passes them to ``score_ngram``. The trigram's own ratio (nltk's
    ``TrigramAssocMeasures.likelihood_ratio``) tests the three words' independence at once, so a
    strong pair inside makes it high whatever the third word: in Le Monde's RSS, `président du
    pays` (4 times) scored 1,705 (`du pays` is frequent), above `projet de loi` (78 times, 1,574);
    `bureau de presse` (22 times) 45,176 in the bench corpus, above `agence de presse` (360). A
    split's ratio asks whether the third word goes with the pair more than chance would have it
    (one degree of freedom, as a bigram's: ``phrase_min_llr`` is the same p-value for both), as
    phrases of phrases are found.
    """
    m = np.asarray(marginals, dtype=np.int64).reshape(-1, 8)
    n_iii, n_iix, n_xii, n_ixx, n_xxi, n_xxx = (m[:, i] for i in (0, 1, 3, 4, 6, 7))
    first = _llr(np.stack([n_iii, n_ixx, n_xii, n_xxx], axis=1))  # first word | the pair after it
    last = _llr(np.stack([n_iii, n_iix, n_xxi, n_xxx], axis=1))  # the first pair | last word
    return np.minimum(first, last)


def _pmi(size: int, marginals: Sequence[int]) -> float:
    """Pointwise mutual information (Manning and Schütze 5.4) of one candidate, as nltk's ``pmi`` computes it."""
    m = [int(x) for x in marginals]
    if size == 2:
        return math.log2((m[0] / 1.0) * m[3]) - math.log2(m[1] * m[2])
    return math.log2(m[0] * m[7] ** 2) - math.log2(m[4] * m[5] * m[6])


def _one_row_per_phrase(
    found: list[dict[str, Any]],
    places: Mapping[int, tuple[np.ndarray, np.ndarray, list[tuple[str, ...]]]],
    doc: np.ndarray,
) -> list[dict[str, Any]]:
    """The phrases' rows (best first), those written alike made one: each row's ``keys`` are the
    word tuples it stands for.

    Two word tuples may be written the same way: `Nations Unies` and `Nations unies` are two
    tuples when the dictionary reads the second's words as `nation` and `unir` but not the
    first's, a house style's capitals. The articles' terms show both as the one phrase; so does
    its row here: its count the sum, its documents those holding either (each once), its scores
    the better tuple's. ``places``: per phrase length, the sample's positions of kept tuples, the
    index of each one's tuple there, and those tuples; ``doc``: each position's document.
    """
    groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for row in found:
        groups.setdefault((row["phrase"], row["n"]), []).append(row)
    merged = []
    for row in found:
        group = groups[row["phrase"], row["n"]]
        if len(group) == 1:
            merged.append({**row, "keys": (row["key"],)})
        elif group[0] is row:  # (the best scored of them: its place, its scores)
            start, index, keys = places[row["n"]]
            number = {key: i for i, key in enumerate(keys)}
            held = np.isin(index, [number[other["key"]] for other in group])
            docs = len(np.unique(doc[start[held]]))
            merged.append(
                {
                    **row,
                    "keys": tuple(other["key"] for other in group),
                    "count": sum(other["count"] for other in group),
                    "docs": docs,
                }
            )
    return merged


@dataclass
class PhraseModel:
    """Collocations learnt from a corpus, then merged into each article's terms.

    Follows the scikit-learn contract: ``fit`` learns ``phrases_`` (per language, the lemma tuple
    of each phrase and how it is written) and ``table_`` (every kept phrase with its scores, a row
    per phrase as written: see :func:`_one_row_per_phrase`).

    Counting is done with numpy over word ids, once, and the candidates (n-grams above the
    frequency and document floors, of the right shape) are scored all at once with nltk's
    association measures, reproduced in numpy to the last bit (:func:`_llr`, :func:`_split_llr`,
    :func:`_pmi`).
    """

    tokenizer: Tokenizer
    min_count: int = 5
    min_docs: int = 3
    min_llr: float = G2_P001
    max_phrases: int = 5000
    min_trigram_share: float = 0.5
    min_continuation: float = 0.75
    connectors: Mapping[str, frozenset[str]] = field(default_factory=lambda: dict(CONNECTORS))
    phrases_: dict[str | None, dict[tuple[str, ...], str]] = field(default_factory=dict, init=False)
    table_: pd.DataFrame = field(default_factory=pd.DataFrame, init=False)
    #: Per language, how words are counted when the phrases were learnt so (see :class:`_Respelt`).
    respelt_: dict[str | None, _Respelt] = field(default_factory=dict, init=False)

    def fit(self, documents: Iterable[tuple[Sequence[str], str | None]]) -> PhraseModel:
        """Learn phrases from ``(tokens, language)`` pairs (the articles of a sample)."""
        import pyarrow as pa

        sample: dict[str | None, _LanguageSample] = {}
        documents = iter(documents)
        while chunk := list(itertools.islice(documents, 2000)):
            table = pa.table(
                {
                    "language": pa.array([lang for _, lang in chunk], pa.string()),
                    "tokens": pa.array([list(tokens) for tokens, _ in chunk], pa.list_(pa.string())),
                }
            )
            _add_sample(sample, table)
        _reduce_sample(sample, self.tokenizer, None)
        return self._learn(sample)

    def _learn(self, sample: Mapping[str | None, _LanguageSample]) -> PhraseModel:
        rows: list[dict[str, Any]] = []
        self.phrases_ = {}
        for lang in sorted(sample, key=lambda k: k or ""):
            found = self._learn_language(lang, sample[lang])
            self.phrases_[lang] = {key: row["phrase"] for row in found for key in row["keys"]}
            rows.extend(found)
        columns = ["phrase", "language", "n", "count", "docs", "llr", "pmi", "rank"]
        self.table_ = pd.DataFrame(rows, columns=["key", *columns])[columns]
        return self

    def _learn_language(self, lang: str | None, sample: _LanguageSample) -> list[dict[str, Any]]:
        # Token ids to word ids and surface ids (how a token is shown: lower-cased unless all
        # capitals, its elision kept, `d'affaires`; as a phrase's first word, without it).
        word_ids: dict[str, int] = {}
        surface_ids: dict[str, int] = {}
        tokens = sample.tokens
        word_of = _ids(word_ids, sample.words)
        surface_of = _ids(surface_ids, [_surface(t, lang) for t in tokens])
        bare_of = _ids(surface_ids, [_surface(elided(t)[1], lang) for t in tokens])
        token_ids, lengths = sample.stream()
        words = list(word_ids)
        surfaces = list(surface_ids)
        opening = _without_joined_conjunction(surfaces, surface_ids, surface_of, word_of) if lang == "ar" else None
        del word_ids, surface_ids, tokens
        n_words = max(len(words), 1)
        w = word_of[token_ids]
        n_docs, n = len(lengths), len(w)
        doc = np.repeat(np.arange(n_docs), lengths)
        joins = self.connectors.get(lang or "", frozenset())
        stop = np.fromiter((x[0] == _STOP for x in words), bool, len(words))
        link = np.fromiter(
            (x[0] == _STOP and (x[1:] in joins or x[1:].lower() in joins) for x in words), bool, len(words)
        )
        content = ~stop[w]
        # The candidates nltk's filters would leave: two content words; or three, the middle one a
        # content word or a connector; seen min_count times in min_docs documents.
        at2 = np.flatnonzero((doc[1:] == doc[:-1]) & content[:-1] & content[1:])
        code2 = w[at2] * n_words + w[at2 + 1]
        bi_codes, bi_counts, bi_docs, bi_at = _frequent(code2, doc[at2], n_docs, self.min_count, self.min_docs)
        middle = content[1:-1] | link[w[1:-1]]
        at3 = np.flatnonzero((doc[2:] == doc[:-2]) & content[: max(n - 2, 0)] & content[2:] & middle)
        head_index, heads = pd.factorize(w[at3] * n_words + w[at3 + 1])
        code3 = np.asarray(head_index, dtype=np.int64) * n_words + w[at3 + 2]
        tri_codes, tri_counts, tri_docs, tri_at = _frequent(code3, doc[at3], n_docs, self.min_count, self.min_docs)
        word_counts = np.bincount(w, minlength=len(words))
        total = int(n)  # nltk's N: every token of the language's sample
        # Bigrams: nltk's scores from their marginals (the pair's count, each word's count, N).
        a2, b2 = bi_codes // n_words, bi_codes % n_words
        marginals = np.stack([bi_counts, word_counts[a2], word_counts[b2], np.full(len(a2), total)], axis=1)
        bigram_keys: list[tuple[str, ...]] = [
            (words[a], words[b]) for a, b in zip(a2.tolist(), b2.tolist(), strict=True)
        ]
        marginals2, llr2 = marginals, _llr(marginals)
        kept2 = llr2 >= self.min_llr
        # Trigrams that would only extend a kept bigram are dropped before scoring (their score
        # does not matter: see _drop_extensions, which gives the same result after scoring).
        pairs = dict(
            zip([bigram_keys[i] for i in np.flatnonzero(kept2).tolist()], bi_counts[kept2].tolist(), strict=True)
        )
        # Words that nearly always go on with the same next word, the two a phrase (`olaf` before
        # `scholz`): no phrase ends with one (see _cut_words; the candidates are left out before
        # scoring, as _drop_extensions's are, so that the best max_phrases are those of the rest)
        cut_words = self._cut_words(pairs, dict(zip(words, word_counts.tolist(), strict=False)))
        cut = np.fromiter((word in cut_words for word in words), bool, len(words))
        kept2 = kept2 & ~cut[b2]
        heads = np.asarray(heads, dtype=np.int64)
        tri_heads = heads[tri_codes // n_words]
        a3, b3, c3 = tri_heads // n_words, tri_heads % n_words, tri_codes % n_words
        trigram_keys: list[tuple[str, ...]] = [
            (words[a], words[b], words[c]) for a, b, c in zip(a3.tolist(), b3.tolist(), c3.tolist(), strict=True)
        ]
        share = self.min_trigram_share
        keep = (
            np.fromiter(
                (
                    not any(sub in pairs and count < share * pairs[sub] for sub in (key[:2], key[1:]))
                    for key, count in zip(trigram_keys, tri_counts.tolist(), strict=True)
                ),
                bool,
                len(trigram_keys),
            )
            & ~cut[c3]
        )
        chosen = np.flatnonzero(keep)
        every_trigram = trigram_keys
        a3, b3, c3, tri_codes = a3[chosen], b3[chosen], c3[chosen], tri_codes[chosen]
        tri_counts, tri_docs = tri_counts[chosen], tri_docs[chosen]
        trigram_keys = [trigram_keys[i] for i in chosen.tolist()]
        # Their marginals: the trigram's count; its two pairs and its outer pair (any word between);
        # each word's count; N.
        inner = np.unique(np.concatenate([a3 * n_words + b3, b3 * n_words + c3]))
        outer = np.unique(a3 * n_words + c3)
        inner_counts = _occurrences(inner, w, doc, 1, n_words)
        outer_counts = _occurrences(outer, w, doc, 2, n_words)

        def count_of(codes: np.ndarray, table: np.ndarray, counts: np.ndarray) -> np.ndarray:
            return counts[np.searchsorted(table, codes)] if len(codes) else np.zeros(0, dtype=np.int64)

        marginals = np.stack(
            [
                tri_counts,
                count_of(a3 * n_words + b3, inner, inner_counts),
                count_of(a3 * n_words + c3, outer, outer_counts),
                count_of(b3 * n_words + c3, inner, inner_counts),
                word_counts[a3],
                word_counts[b3],
                word_counts[c3],
                np.full(len(a3), total),
            ],
            axis=1,
        )
        llr3 = _split_llr(marginals)
        need2, need3 = np.flatnonzero(kept2), np.flatnonzero(llr3 >= self.min_llr)
        # Only those that can be among the max_phrases best become rows: a score at most 1e-3 under
        # the max_phrases-th best may still tie it once rounded to 4 decimals.
        if self.max_phrases <= 0:
            need2, need3 = need2[:0], need3[:0]
        elif self.max_phrases < len(need2) + len(need3):
            best = np.concatenate([llr2[need2], llr3[need3]])
            floor = np.partition(best, len(best) - self.max_phrases)[len(best) - self.max_phrases] - 1e-3
            need2, need3 = need2[llr2[need2] >= floor], need3[llr3[need3] >= floor]
        found = self._scored(
            lang, 2, [bigram_keys[i] for i in need2.tolist()], marginals2[need2], bi_docs[need2], llr2[need2].tolist()
        )
        found += self._scored(
            lang, 3, [trigram_keys[i] for i in need3.tolist()], marginals[need3], tri_docs[need3], llr3[need3].tolist()
        )
        found = self._drop_extensions(found)
        found.sort(key=lambda r: (-r["llr"], r["phrase"]))
        found = self._drop_fragments(found[: self.max_phrases])
        for row in found:
            row["pmi"] = round(_pmi(row["n"], row.pop("m")), 4)
        # How each kept phrase is most often written (lower-cased tokens; ties alphabetical).
        s, bare = surface_of[token_ids], bare_of[token_ids]
        written: dict[tuple[str, ...], Counter[str]] = {}
        places: dict[int, tuple[np.ndarray, np.ndarray, list[tuple[str, ...]]]] = {}
        for size, at, candidate, every in ((2, at2, bi_at, bigram_keys), (3, at3, tri_at, every_trigram)):
            keys = [row["key"] for row in found if row["n"] == size]
            if not keys:
                continue
            # Each candidate position's phrase, if it is one of those kept (-1 otherwise).
            number = dict(zip(every, range(len(every)), strict=True))
            target = np.full(len(every) + 1, -1, dtype=np.int64)
            target[[number[key] for key in keys]] = np.arange(len(keys))
            phrase = target[candidate]  # candidate -1 reads the last entry: -1
            hit = phrase >= 0
            start, phrase = at[hit], phrase[hit]
            places[size] = start, phrase, keys
            # Each distinct (phrase, surface, surface[, surface]) once, by hashing, with its count.
            combination = phrase
            for j in range(size):
                shown = bare if j == 0 else s
                combination = pd.factorize(combination * max(len(surfaces), 1) + shown[start + j])[0].astype(np.int64)
            counts = np.bincount(combination)
            first = pd.Series(combination).drop_duplicates().index.to_numpy()
            for at_first, count in zip(first.tolist(), counts[combination[first]].tolist(), strict=True):
                ids = [int(bare[start[at_first]]), *s[start[at_first] + 1 : start[at_first] + size].tolist()]
                if opening is not None:  # (an Arabic phrase does not open with `and`)
                    ids[0] = int(opening[ids[0]])
                written_as = _shown((surfaces[x] for x in ids), lang)
                written.setdefault(keys[phrase[at_first]], Counter())[written_as] += count
        for row in found:
            counted = written.get(row["key"])
            if counted:
                row["phrase"] = min(counted.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        found = _one_row_per_phrase(found, places, doc)
        for rank, row in enumerate(found, 1):
            row["rank"] = rank
        return found

    def _scored(
        self,
        lang: str | None,
        size: int,
        keys: list[tuple[str, ...]],
        marginals: np.ndarray,
        docs: np.ndarray,
        scores: list[float],
    ) -> list[dict[str, Any]]:
        """The candidates whose log-likelihood ratio reaches ``min_llr``, by score then n-gram (as nltk ranks them).

        Each row keeps its marginals (``m``) until its PMI is computed (only for the rows kept).
        """
        ranked = sorted(zip(keys, scores, range(len(keys)), strict=True), key=lambda t: (-t[1], t[0]))
        rows = marginals.tolist()
        doc_counts = docs.tolist()
        found = []
        for gram, llr, i in ranked:
            if llr < self.min_llr:
                continue
            m = rows[i]
            found.append(
                {
                    "key": gram,
                    "phrase": _shown(gram, lang),
                    "language": lang,
                    "n": size,
                    "count": int(m[0]),
                    "docs": int(doc_counts[i]),
                    "llr": round(float(llr), 4),
                    "m": m,
                }
            )
        return found

    def _drop_extensions(self, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Trigrams that only extend a phrase (``kaïs saïed reçoit``) are not phrases themselves.

        A trigram containing a kept bigram is kept only when it accounts for at least
        ``min_trigram_share`` of that bigram's occurrences (a strong pair inside, a name, makes
        the trigram's split against the word after it significant whenever that word often follows).
        """
        pairs = {row["key"]: row["count"] for row in found if row["n"] == 2}
        kept = []
        for row in found:
            if row["n"] == 3:
                a, b, c = row["key"]
                subs = ((a, b), (b, c))
                if any(sub in pairs and row["count"] < self.min_trigram_share * pairs[sub] for sub in subs):
                    continue
            kept.append(row)
        return kept

    def _drop_fragments(self, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Bigrams met (nearly) only inside a kept trigram are no phrases of their own (`der leyen`
        in `von der leyen`, `monétaire international` in `fonds monétaire international`): fewer
        than ``min_count`` of their occurrences are outside the most frequent trigram holding them.

        Each article's terms merge the longest phrase first, so such a bigram is a term only where
        the trigram is not; listed beside it, it repeated it (323 of the 4,994 French phrases of
        the 100,000 bench articles).
        """
        inside: dict[tuple[str, ...], int] = {}
        for row in found:
            if row["n"] == 3:
                a, b, c = row["key"]
                for sub in ((a, b), (b, c)):
                    inside[sub] = max(inside.get(sub, 0), row["count"])
        return [row for row in found if row["n"] != 2 or row["count"] - inside.get(row["key"], 0) >= self.min_count]

    def _cut_words(self, pairs: Mapping[tuple[str, ...], int], counts: Mapping[str, int]) -> frozenset[str]:
        """Words that go on with the same next word in ``min_continuation`` of their occurrences
        (``counts``), the two a phrase (``pairs``: every bigram scored over ``min_llr``, with its
        count): `olaf` before `scholz`, `ursula` before `von`. A phrase ending with one is a
        piece of a longer name cut there (`chancelier allemand olaf`, `commission européenne
        ursula`), not a phrase."""
        if self.min_continuation <= 0:
            return frozenset()
        best: dict[str, int] = {}
        for (first, _), count in pairs.items():
            best[first] = max(best.get(first, 0), count)
        return frozenset(word for word, count in best.items() if count >= self.min_continuation * counts[word])

    def save(self, target: Path) -> None:
        """Write the model to ``target`` (Parquet, atomically), for :meth:`load`: the phrase table's
        rows (``table_``, as ``phrases.parquet``) each with ``keys``, the word sequences it stands
        for, and the words' spellings (``respelt_``) in the file's metadata (:data:`MODEL_METADATA`, JSON)."""
        import json

        import pyarrow as pa
        import pyarrow.parquet as pq

        from analysis.io.store import atomic_path
        from analysis.schema import KEYWORD_MODEL_COLUMNS, arrow_schema

        keys: dict[tuple[str | None, str], list[list[str]]] = {}
        for lang, known in self.phrases_.items():
            for key, phrase in known.items():
                keys.setdefault((lang, phrase), []).append(list(key))
        rows = zip(self.table_["language"], self.table_["phrase"], strict=True)
        frame = self.table_.assign(keys=[keys.get(row, []) for row in rows])
        respelt = [
            [lang, {"spellings": r.spellings, "readings": r.readings, "names": sorted(r.names)}]
            for lang, r in self.respelt_.items()
        ]
        info = json.dumps({"format": MODEL_FORMAT, "respelt": respelt}, ensure_ascii=False)
        schema = arrow_schema(KEYWORD_MODEL_COLUMNS)
        data = {c.name: _arrow_column(frame[c.name], c.type) for c in KEYWORD_MODEL_COLUMNS}
        table = pa.Table.from_pydict(data, schema=schema.with_metadata({MODEL_METADATA: info.encode("utf-8")}))
        with atomic_path(target) as tmp:
            pq.write_table(table, tmp, compression="zstd")

    @classmethod
    def load(cls, path: Path, tokenizer: Tokenizer | None = None) -> PhraseModel:
        """A model :meth:`save` wrote: its phrases, their table and its spellings, as fitted
        (``tokenizer``: the one its terms are merged with; default: the default options').

        Raises :class:`KeywordModelError` naming ``path`` when it is no such file.
        """
        from analysis.io.store import read_saved_model
        from analysis.schema import KEYWORD_MODEL_COLUMNS, PHRASE_COLUMNS

        columns = [c.name for c in KEYWORD_MODEL_COLUMNS]
        what = f"keyword model (the {KEYWORD_MODEL_FILE} a build writes)"
        table, info = read_saved_model(path, MODEL_METADATA, columns, MODEL_FORMAT, KeywordModelError, what)
        model = cls(tokenizer or Tokenizer())
        try:
            for lang, phrase, keys in zip(
                table["language"].to_pylist(), table["phrase"].to_pylist(), table["keys"].to_pylist(), strict=True
            ):
                if not phrase or not keys or not all(keys):
                    raise ValueError(f"the phrase {phrase!r} has no words")
                known = model.phrases_.setdefault(lang, {})
                for key in keys:
                    known[tuple(key)] = phrase
            model.respelt_ = {
                lang: _Respelt(dict(r["spellings"]), dict(r["readings"]), frozenset(r["names"]))
                for lang, r in info["respelt"]
            }
        except (KeyError, TypeError, ValueError) as exc:
            raise KeywordModelError(f"{path}: not a keyword model this version can read ({exc})") from exc
        model.table_ = table.select([c.name for c in PHRASE_COLUMNS]).to_pandas()
        return model

    def merge(self, words: Sequence[str], lang: str | None) -> list[str]:
        """Content terms of a lemma stream, each learnt phrase made one term (longest first)."""
        respelt = self.respelt_.get(lang)
        if respelt is not None:
            words = [respelt.word(word, lang) for word in words]
        return _merge_words(self.phrases_.get(lang), words)


def model_input(options: KeywordOptions, root: Path) -> tuple[KeywordOptions, str]:
    """``options`` with their ``model_file`` absolute (a relative one is read from the project's
    ``root``) and the file's SHA-256 (empty without one), for the stage's fingerprint. Raises
    :class:`KeywordModelError` naming the file when it cannot be read as a model."""
    from analysis.io.store import option_file

    if not options.model_file:
        return options, ""
    path, digest = option_file(
        options.model_file, root, KeywordModelError, f"a {KEYWORD_MODEL_FILE} an earlier build wrote"
    )
    PhraseModel.load(path)
    return replace(options, model_file=str(path)), digest


def article_terms(
    tokenizer: Tokenizer, tokens: Sequence[str], lang: str | None, phrases: PhraseModel | None = None
) -> list[str]:
    """The content terms of one article, with learnt phrases as single terms when ``phrases`` is given."""
    if phrases is None:
        return tokenizer.terms(tokens, lang)
    return phrases.merge(lemma_stream(tokenizer, tokens, lang), lang)


def sample_ids(ids: Iterable[str], size: int) -> set[str]:
    """A deterministic sample of article ids, independent of their order (smallest hashes)."""
    import hashlib

    def key(article_id: str) -> bytes:
        return hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest()

    return set(heapq.nsmallest(size, ids, key=key)) if size > 0 else set()


# --- groups and counting ------------------------------------------------------------------------


GroupKey = tuple[str, str | None, Any, str | None, str | None]  # scope, period_type, period, source, language


def article_groups(
    meta: pd.DataFrame, periods: Sequence[str], *, include_duplicates: bool = False
) -> dict[str, list[GroupKey]]:
    """The groups each counted article belongs to: the corpus, its periods, its source, its language.

    Copies (``duplicate_of`` set) belong to none unless ``include_duplicates``; undated articles
    belong to no period. (:func:`group_index` as a dict, for tables that fit in memory.)
    """
    index, keys, ids = group_index(meta, periods, include_duplicates=include_duplicates)
    names = ids.to_pylist()
    return {
        article_id: [keys[g] for g in index.groups(position).tolist()]
        for article_id, position in zip(names, index.find(names).tolist(), strict=True)
    }


def _id_hashes(ids: Iterable[str]) -> np.ndarray:
    """64 bits of blake2b of each article id (``uint64``): the same in every process."""
    import hashlib

    return np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(a.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
            for a in ids
        ),
        dtype=np.uint64,
    )


#: Article ids turned into Python strings at a time (bounds the temporary lists of a large table).
_ID_CHUNK = 65536


def chunked_ids(ids: Any) -> Iterator[list[str]]:
    """The strings of an Arrow string array, a block at a time."""
    for start in range(0, len(ids), _ID_CHUNK):
        yield ids.slice(start, _ID_CHUNK).to_pylist()


class ArticleGroups:
    """The group numbers of each counted article, found by article id, in little memory.

    What a ``dict`` of article id -> group numbers answers, for a million articles in tens of
    megabytes rather than hundreds (and sent to every worker): the ids as one Arrow array, ordered
    by a 64-bit hash of each (searched with numpy, the id itself then compared, so equal hashes
    cannot mix two articles up), and the groups as a CSR pair of arrays in that order.
    """

    def __init__(self, ids: Any, indptr: np.ndarray, indices: np.ndarray) -> None:
        import pyarrow as pa

        ids = pa.array(ids, pa.string()) if not isinstance(ids, pa.Array) else ids
        hashes = (
            np.concatenate([_id_hashes(chunk) for chunk in chunked_ids(ids)]) if len(ids) else np.zeros(0, np.uint64)
        )
        order = np.argsort(hashes, kind="stable")
        self._hashes = hashes[order]
        self._ids = ids.take(pa.array(order))
        lengths = np.diff(indptr)[order]
        self._indptr = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self._indptr[1:])
        starts = np.asarray(indptr[:-1])[order]
        self._indices = np.asarray(indices, dtype=np.int32)[
            np.repeat(starts - self._indptr[:-1], lengths) + np.arange(self._indptr[-1])
        ]

    @classmethod
    def from_mapping(cls, groups: Mapping[str, Sequence[int]]) -> ArticleGroups:
        lengths = [len(g) for g in groups.values()]
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        indices = np.fromiter(itertools.chain.from_iterable(groups.values()), dtype=np.int32, count=int(indptr[-1]))
        return cls(list(groups), indptr, indices)

    def __len__(self) -> int:
        return len(self._hashes)

    def find(self, ids: Sequence[str]) -> np.ndarray:
        """The position of each id in this index (-1 for an article that is not counted)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        wanted = _id_hashes(ids)
        where = np.searchsorted(self._hashes, wanted)
        found = np.full(len(ids), -1, dtype=np.int64)
        if not len(self._hashes):
            return found
        at = np.minimum(where, len(self._hashes) - 1)
        candidate = np.flatnonzero(self._hashes[at] == wanted)
        if len(candidate):
            same = pc.equal(
                self._ids.take(pa.array(at[candidate])), pa.array([ids[i] for i in candidate.tolist()], pa.string())
            )
            good = np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool)
            found[candidate[good]] = at[candidate[good]]
            for i in candidate[~good].tolist():  # another id with the same hash first: look further
                j = int(at[i]) + 1
                while j < len(self._hashes) and self._hashes[j] == wanted[i]:
                    if self._ids[j].as_py() == ids[i]:
                        found[i] = j
                        break
                    j += 1
        return found

    def groups(self, position: int) -> np.ndarray:
        """The group numbers of the article at ``position`` (from :meth:`find`)."""
        return self._indices[self._indptr[position] : self._indptr[position + 1]]


def string_array(column: pd.Series) -> Any:
    """A column as one Arrow string array."""
    import pyarrow as pa

    values = pa.array(column)
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return values.cast(pa.string())


def group_index(
    meta: pd.DataFrame, periods: Sequence[str], *, include_duplicates: bool = False
) -> tuple[ArticleGroups, list[GroupKey], Any]:
    """:func:`article_groups` as an :class:`ArticleGroups` index, its group keys, and the counted ids.

    The groups are numbered in order of first appearance (article by article in table order, each
    article's corpus, periods, source and language in that order), as numbering the keys of
    :func:`article_groups` one article after another would; built column by column, without a
    Python object per article.
    """
    import pyarrow.compute as pc

    base = meta if include_duplicates else meta[meta["duplicate_of"].isna()]
    n = len(base)
    keys: list[GroupKey] = [("corpus", None, None, None, None)]
    columns = [np.zeros(n, dtype=np.int64)]
    published = base["published"]
    dated = published.notna().to_numpy()
    if periods and dated.any():
        days = utc_times(published[dated]).dt.floor("D")
        index, distinct = pd.factorize(days)
        distinct_days = pd.Series(distinct)
        for period in periods:
            starts = period_start(distinct_days, period).dt.to_pydatetime().tolist()
            numbers: dict[Any, int] = {}
            day_key = np.array([numbers.setdefault(start, len(numbers)) for start in starts], dtype=np.int64)
            column = np.full(n, -1, dtype=np.int64)
            column[dated] = len(keys) + day_key[index]
            keys.extend(("period", period, start, None, None) for start in numbers)
            columns.append(column)
    for name in ("source", "language"):
        values = string_array(base[name]).dictionary_encode()
        words = values.dictionary.to_pylist()
        codes = np.asarray(pc.fill_null(values.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
        usable = np.array([isinstance(w, str) and bool(w) for w in words] + [False], dtype=bool)
        column = np.where(usable[codes], len(keys) + codes, -1)  # codes -1 -> the last (False) entry
        keys.extend(
            ("source", None, None, w, None) if name == "source" else ("language", None, None, None, w) for w in words
        )
        columns.append(column)
    matrix = np.stack(columns, axis=1) if n else np.zeros((0, len(columns)), dtype=np.int64)
    present = matrix >= 0
    group_numbers, firsts = pd.factorize(matrix[present])  # row-major: article by article
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(present.sum(axis=1), out=indptr[1:])
    ids = string_array(base["article_id"])
    return (
        ArticleGroups(ids, indptr, group_numbers.astype(np.int32)),
        [keys[k] for k in np.asarray(firsts).tolist()],
        ids,
    )


class TermCounter:
    """Term and document counts per group, accumulated batch by batch as sparse matrices.

    Batches come as articles x terms counts (with each article's groups); once a block of them
    holds enough entries, the groups x terms counts of the block are one sparse product, and the
    blocks are summed as they come in a merge stack (sizes halving towards the top). Memory stays
    within a block plus twice the result.

    While they cannot overflow, a term's count and its article count travel as one integer (the
    count in the high 32 bits, the articles in the low ones): one product per block and one sum
    per merge, split in two once, at the end. The products' column indices are left unsorted
    until then (scipy adds such matrices without sorting them first).
    """

    #: Article-term entries gathered before they are turned into group-term counts. The keyword
    #: stage alone over 100,000 bench articles (2 workers) peaked at 1,047 and 1,066 MB in the
    #: build's process with 8 million, 994 and 1,015 MB with 4 million, 990 MB with 2 million,
    #: in no more time: a block and its products are what it holds besides the counts.
    block_entries = 4_000_000
    #: Below this many tokens and articles (in a block, in a sum of blocks), counts and article
    #: counts share one product, one sum.
    packed_limit = 2**31

    def __init__(self) -> None:
        self.vocabulary_: dict[str, int] = {}
        self.groups_: dict[GroupKey, int] = {}
        # (counts, article counts or None when packed into the counts, weight, tokens, articles)
        self._stack: list[tuple[Any, Any, int, int, int]] = []
        self._block: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self._pending = 0
        self.counts_: Any = None
        self.docs_: Any = None
        self.group_docs_: np.ndarray = np.zeros(0, dtype=np.int64)

    def partial_fit(self, documents: Iterable[tuple[Sequence[GroupKey], Sequence[str]]]) -> TermCounter:
        """Add articles, each given as (its groups, its terms)."""
        cols: list[int] = []
        lengths: list[int] = []
        group_gids: list[int] = []
        group_lengths: list[int] = []
        vocab, groups = self.vocabulary_, self.groups_
        for keys, terms in documents:
            before = len(cols)
            for term in terms:
                index = vocab.get(term)
                if index is None:
                    index = vocab[term] = len(vocab)
                cols.append(index)
            lengths.append(len(cols) - before)
            for key in keys:
                gid = groups.get(key)
                if gid is None:
                    gid = groups[key] = len(groups)
                group_gids.append(gid)
            group_lengths.append(len(keys))
        if not lengths:
            return self
        # Each article's distinct terms with their counts.
        n_docs = len(lengths)
        doc = np.repeat(np.arange(n_docs), lengths)
        pairs, counts = np.unique(doc * max(len(vocab), 1) + np.asarray(cols, dtype=np.int64), return_counts=True)
        indptr = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(np.bincount(pairs // max(len(vocab), 1), minlength=n_docs), out=indptr[1:])
        group_indptr = np.concatenate([[0], np.cumsum(group_lengths)]).astype(np.int64)
        self._add(indptr, pairs % max(len(vocab), 1), counts, group_indptr, np.asarray(group_gids, dtype=np.int64))
        return self

    def add_counts(self, counts: BatchCounts, keys: Sequence[Any]) -> TermCounter:
        """Add a batch counted elsewhere: its articles' terms and groups, numbered by first appearance.

        Terms and groups get their ids in the order they are met, batch after batch, so adding the
        batches in their order gives the counter :meth:`partial_fit` would have built.
        """
        terms = _ids(self.vocabulary_, counts.terms)
        gids = _ids(self.groups_, [keys[g] for g in counts.groups])
        self._add(counts.indptr, terms[counts.term_index], counts.counts, counts.group_indptr, gids[counts.group_index])
        return self

    def _add(
        self, indptr: np.ndarray, terms: np.ndarray, counts: np.ndarray, group_indptr: np.ndarray, gids: np.ndarray
    ) -> None:
        """Articles as CSR rows of (term id, count), and CSR rows of their group ids."""
        if len(self.group_docs_) < len(self.groups_):
            self.group_docs_ = np.pad(self.group_docs_, (0, len(self.groups_) - len(self.group_docs_)))
        self.group_docs_ += np.bincount(gids, minlength=len(self.groups_))
        self._block.append((indptr, terms, counts, group_indptr, gids))
        self._pending += len(terms)
        if self._pending >= self.block_entries:
            self._flush()

    def _flush(self) -> None:
        """The block's groups x terms counts and document counts: two sparse products, into the stack."""
        from scipy import sparse

        if not self._block:
            return
        shape = (len(self.groups_), len(self.vocabulary_))
        offsets = np.cumsum([0] + [len(part[1]) for part in self._block[:-1]])
        indptr = np.concatenate(
            [self._block[0][0][:1]] + [part[0][1:] + o for part, o in zip(self._block, offsets, strict=True)]
        )
        n_docs = len(indptr) - 1
        terms = np.concatenate([part[1] for part in self._block])
        counts = np.concatenate([part[2] for part in self._block]).astype(np.int64)
        group_offsets = np.cumsum([0] + [len(part[4]) for part in self._block[:-1]])
        group_indptr = np.concatenate(
            [self._block[0][3][:1]] + [part[3][1:] + o for part, o in zip(self._block, group_offsets, strict=True)]
        )
        gids = np.concatenate([part[4] for part in self._block])
        self._block, self._pending = [], 0
        # Groups x articles: the transposed CSR of each article's groups.
        g = sparse.csr_matrix(
            (np.ones(len(gids), dtype=np.int64), gids, group_indptr), shape=(n_docs, shape[0])
        ).T.tocsr()
        tokens = int(counts.sum())
        if tokens < self.packed_limit and n_docs < self.packed_limit:
            # One product for both: each entry carries its count in the high 32 bits and 1 (the
            # article) in the low ones; sums cannot carry over (fewer than 2**31 of either).
            # (A product holds each entry once; its indices, unsorted, are sorted at the end.)
            packed = sparse.csr_matrix(((counts << 32) | 1, terms, indptr), shape=(n_docs, shape[1]))
            self._stack.append(((g @ packed).tocsr(), None, 1, tokens, n_docs))
        else:
            x = sparse.csr_matrix((counts, terms, indptr), shape=(n_docs, shape[1]))
            present = sparse.csr_matrix((np.ones(len(terms), dtype=np.int64), terms, indptr), shape=(n_docs, shape[1]))
            self._stack.append(((g @ x).tocsr(), (g @ present).tocsr(), 1, tokens, n_docs))
        while len(self._stack) >= 2 and self._stack[-2][2] <= self._stack[-1][2]:
            self._merge_top()

    def _merge_top(self) -> None:
        counts_b, docs_b, weight_b, tokens_b, n_b = self._stack.pop()
        counts_a, docs_a, weight_a, tokens_a, n_a = self._stack.pop()
        tokens, n_docs = tokens_a + tokens_b, n_a + n_b
        if docs_a is None and docs_b is None and tokens < self.packed_limit and n_docs < self.packed_limit:
            self._stack.append((_summed(counts_a, counts_b), None, weight_a + weight_b, tokens, n_docs))
            return
        counts_a, docs_a = _unpacked(counts_a, docs_a)
        counts_b, docs_b = _unpacked(counts_b, docs_b)
        summed = (_summed(counts_a, counts_b), _summed(docs_a, docs_b))
        self._stack.append((*summed, weight_a + weight_b, tokens, n_docs))

    def _consolidate(self) -> None:
        self._flush()
        if not self._stack:
            return
        if self.counts_ is not None:
            tokens, n_docs = int(self.counts_.sum()), int(self.group_docs_.sum())
            self._stack.insert(0, (self.counts_, self.docs_, len(self._stack) + 1, tokens, n_docs))
        while len(self._stack) > 1:
            self._merge_top()
        counts, docs, *_ = self._stack.pop()
        counts, docs = _unpacked(counts, docs)
        shape = (len(self.groups_), len(self.vocabulary_))
        counts.resize(shape)
        docs.resize(shape)
        counts.sum_duplicates()
        docs.sum_duplicates()
        self.counts_, self.docs_ = counts, docs

    def finish(self) -> TermCounter:
        """Sum what was added into ``counts_`` and ``docs_`` (groups x terms), the terms numbered in
        alphabetical (code point) order and the groups in their keys' order (see :meth:`_canonical`)."""
        self._consolidate()
        if self.counts_ is None:
            from scipy import sparse

            self.counts_ = sparse.csr_matrix((len(self.groups_), len(self.vocabulary_)), dtype=np.int64)
            self.docs_ = self.counts_.copy()
        self._canonical()
        return self

    def _canonical(self) -> None:
        """Number the terms in alphabetical order and the groups in their keys' order, leaving out
        a term no group counts and a group with no article (what :meth:`combine` can leave): the
        same counts give the same matrices, whatever order their articles were added in."""
        from scipy import sparse

        for matrix in (self.counts_, self.docs_):
            matrix.eliminate_zeros()
        terms = self.terms_
        used = np.flatnonzero(np.bincount(self.docs_.indices, minlength=len(terms)) > 0)
        term_order = used[np.argsort(terms[used], kind="stable")]
        keys = list(self.groups_)
        ids = np.fromiter(self.groups_.values(), dtype=np.int64, count=len(keys))
        present = [i for i in range(len(keys)) if self.group_docs_[ids[i]] > 0]
        present.sort(key=lambda i: _sort_key(keys[i]))
        group_order = ids[present]
        same_terms = np.array_equal(term_order, np.arange(len(terms)))
        if not same_terms or not np.array_equal(group_order, np.arange(len(self.group_docs_))):
            rank = np.full(len(terms), -1, dtype=np.int64)
            rank[term_order] = np.arange(len(term_order))
            ordered = []
            for matrix in (self.counts_, self.docs_):
                matrix = matrix[group_order]
                if not same_terms:  # (no entry is in a term left out: each column renumbered in place)
                    shape = (len(group_order), len(term_order))
                    matrix = sparse.csr_matrix((matrix.data, rank[matrix.indices], matrix.indptr), shape=shape)
                    matrix.has_sorted_indices = False
                ordered.append(matrix)
            self.counts_, self.docs_ = ordered
            self.group_docs_ = self.group_docs_[group_order]
            self.vocabulary_ = {term: i for i, term in enumerate(terms[term_order].tolist())}
            self.groups_ = {keys[k]: i for i, k in enumerate(present)}
        for matrix in (self.counts_, self.docs_):
            matrix.sort_indices()

    def combine(self, plus: TermCounter | None = None, minus: TermCounter | None = None) -> TermCounter:
        """Add the counts of ``plus`` and take away those of ``minus`` (articles counted here too),
        this counter finished: what is left is what counting those articles gives (finished;
        terms and groups left with no count dropped).

        Raises ValueError when ``minus`` has a term or group this counter has not, or more counts.
        """
        from scipy import sparse

        moved: list[tuple[Any, Any]] = []  # (counts, article counts) of each, as this counter numbers them
        for other, sign in ((plus, 1), (minus, -1)):
            if other is None:
                continue
            other._consolidate()
            if other.counts_ is None:
                continue
            if sign < 0 and (other.vocabulary_.keys() - self.vocabulary_.keys() or other.groups_.keys() - self.groups_):
                raise ValueError("counts to take away have terms or groups not counted")
            term_ids = _ids(self.vocabulary_, other.terms_.tolist())
            group_keys: list[Any] = [None] * len(other.groups_)
            for key, i in other.groups_.items():
                group_keys[i] = key
            group_ids = _ids(self.groups_, group_keys)
            if len(self.group_docs_) < len(self.groups_):
                self.group_docs_ = np.pad(self.group_docs_, (0, len(self.groups_) - len(self.group_docs_)))
            np.add.at(self.group_docs_, group_ids, sign * other.group_docs_[: len(group_ids)])
            renumbered = []
            for matrix in (other.counts_, other.docs_):
                entries = matrix.tocoo()
                values = sign * entries.data.astype(np.int64)
                renumbered.append((values, group_ids[entries.row], term_ids[entries.col]))
            moved.append((renumbered[0], renumbered[1]))
        shape = (len(self.groups_), len(self.vocabulary_))
        summed = []
        for which, matrix in enumerate((self.counts_, self.docs_)):
            indptr = np.concatenate([matrix.indptr, np.full(shape[0] - matrix.shape[0], matrix.indptr[-1])])
            total = sparse.csr_matrix((matrix.data, matrix.indices, indptr), shape=shape)
            for entries in moved:
                values, rows, columns = entries[which]
                total = (total + sparse.csr_matrix((values, (rows, columns)), shape=shape)).tocsr()
            summed.append(total)
        self.counts_, self.docs_ = summed
        if (self.counts_.data < 0).any() or (self.docs_.data < 0).any() or (self.group_docs_ < 0).any():
            raise ValueError("counts to take away are more than the counts")
        self._canonical()
        return self

    @property
    def terms_(self) -> np.ndarray:
        terms = np.empty(len(self.vocabulary_), dtype=object)
        for term, index in self.vocabulary_.items():
            terms[index] = term
        return terms

    def group_index(self, scope: str, period_type: str | None = None) -> list[tuple[GroupKey, int]]:
        """Groups of one scope (and period type), sorted by their key."""
        chosen = [
            (key, gid)
            for key, gid in self.groups_.items()
            if key[0] == scope and (period_type is None or key[1] == period_type)
        ]
        return sorted(chosen, key=lambda kv: tuple("" if v is None else str(v) for v in kv[0]))

    def table(self, *, min_count: int = 2, top: int = 500) -> pd.DataFrame:
        """The term-frequency table: one row per group and term (see ``TERM_FREQUENCY_COLUMNS``).

        The corpus group keeps every term counted at least ``min_count`` times; other groups keep
        their ``top`` most frequent such terms (0 keeps all).
        """
        terms = self.terms_
        # Alphabetical rank of each term: ties in count are broken by it (as by the term itself).
        alphabetical = np.empty(len(terms), dtype=np.int64)
        alphabetical[np.argsort(terms, kind="stable")] = np.arange(len(terms))
        totals = np.asarray(self.counts_.sum(axis=1)).ravel()
        chosen: list[tuple[GroupKey, int, np.ndarray, np.ndarray, np.ndarray]] = []
        for key, gid in sorted(self.groups_.items(), key=lambda kv: _sort_key(kv[0])):
            row = self.counts_.getrow(gid)
            idx, counts = row.indices, row.data
            keep = counts >= min_count
            idx, counts = idx[keep], counts[keep]
            if not len(idx):
                continue
            order = np.lexsort((alphabetical[idx], -counts))
            if key[0] != "corpus" and top > 0:
                order = order[:top]
            idx, counts = idx[order], counts[order]
            chosen.append((key, gid, idx, counts, _lookup(self.docs_.getrow(gid), idx)))
        if not chosen:
            return pd.DataFrame(columns=[c for c in TERM_FREQUENCY_FIELDS])
        sizes = np.asarray([len(c[2]) for c in chosen])
        gids = np.asarray([c[1] for c in chosen])
        names = terms[np.concatenate([c[2] for c in chosen])]
        counts = np.concatenate([c[3] for c in chosen])
        docs = np.concatenate([c[4] for c in chosen])
        group_terms = np.repeat(totals[gids], sizes)
        group_docs = np.repeat(self.group_docs_[gids], sizes)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(group_terms > 0, counts / group_terms, 0.0)
            doc_share = np.where(group_docs > 0, docs / group_docs, 0.0)

        def repeated(field: int) -> pd.Series:
            values = np.empty(len(chosen), dtype=object)
            values[:] = [c[0][field] for c in chosen]
            # Object columns (None where a group has no such key), as concatenating groups' frames gives.
            return pd.Series(np.repeat(values, sizes), dtype=object)

        out = pd.DataFrame(
            {
                "scope": repeated(0).astype("str"),
                "period_type": repeated(1),
                "period": repeated(2),
                "source": repeated(3),
                "language": repeated(4),
                "term": names,
                "phrase": np.fromiter((" " in t or joined_pairs(t) for t in names), bool, len(names)),
                "count": counts,
                "docs": docs,
                "share": share,
                "doc_share": doc_share,
                "group_terms": group_terms.astype(np.int64),
                "group_docs": group_docs.astype(np.int64),
                "rank": np.arange(len(names)) - np.repeat(np.cumsum(sizes) - sizes, sizes) + 1,
            }
        )
        out["period"] = pd.to_datetime(out["period"])
        return out


TERM_FREQUENCY_FIELDS = (
    "scope",
    "period_type",
    "period",
    "source",
    "language",
    "term",
    "phrase",
    "count",
    "docs",
    "share",
    "doc_share",
    "group_terms",
    "group_docs",
    "rank",
)


def _unpacked(counts: Any, docs: Any) -> tuple[Any, Any]:
    """A :class:`TermCounter` sum as two matrices (counts, article counts); ``docs`` None: ``counts`` packs both."""
    if docs is not None:
        return counts, docs
    docs = counts.copy()
    counts.data = counts.data >> 32
    docs.data &= 0xFFFFFFFF
    return counts, docs


def _summed(a: Any, b: Any) -> Any:
    """The sum of two sparse matrices, the smaller grown to the larger shape (new groups and terms)."""
    shape = (max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1]))
    for matrix in (a, b):
        if matrix.shape != shape:
            matrix.resize(shape)
    return a + b


def _sort_key(key: GroupKey) -> tuple[int, str, str, str, str]:
    order = {"corpus": 0, "period": 1, "source": 2, "language": 3}
    scope, period_type, period, source, language = key
    ptype = str(PERIOD_TYPES.index(period_type)) if period_type else ""
    return (order[scope], ptype, str(period or ""), source or "", language or "")


def _lookup(row: Any, idx: np.ndarray) -> np.ndarray:
    """Values of a sparse row at sorted-or-not column indices (0 where absent)."""
    positions = np.searchsorted(row.indices, idx)
    positions = np.clip(positions, 0, max(len(row.indices) - 1, 0))
    found = (len(row.indices) > 0) & (row.indices[positions] == idx) if len(row.indices) else np.zeros(len(idx), bool)
    return np.where(found, row.data[positions] if len(row.data) else 0, 0)


# --- distinctive terms --------------------------------------------------------------------------


def log_likelihood(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> np.ndarray:
    """Dunning's G² for counts ``a`` (of ``total_a``) against ``b`` (of ``total_b``), elementwise."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    expected_a = total_a * (a + b) / (total_a + total_b)
    expected_b = total_b * (a + b) / (total_a + total_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        part_a = np.where(a > 0, a * np.log(a / expected_a), 0.0)
        part_b = np.where(b > 0, b * np.log(b / expected_b), 0.0)
    return 2.0 * (part_a + part_b)


def log_ratio(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> np.ndarray:
    """Binary log of the ratio of relative frequencies (0.5 added to zero counts)."""
    a = np.where(np.asarray(a) == 0, 0.5, a).astype(float)
    b = np.where(np.asarray(b) == 0, 0.5, b).astype(float)
    return np.log2((a / total_a) / (b / total_b))


def p_values(g2: np.ndarray) -> np.ndarray:
    """Chi-squared (1 degree of freedom) upper-tail probability of each G²."""
    from scipy.stats import chi2

    return np.asarray(chi2.sf(np.asarray(g2, dtype=float), 1))


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """False-discovery-rate q-values of p-values (Benjamini-Hochberg step-up)."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    if not n:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


_KEYNESS_COLUMNS = ["term", "direction", "count", "count_rest", "share", "share_rest", "log_ratio", "g2", "p_value"]


def keyness(
    target: pd.Series, reference: pd.Series, *, min_count: int = 5, top: int = 50, alpha: float = 0.001
) -> pd.DataFrame:
    """Terms over- and under-used in ``target`` against ``reference`` (term -> count Series each).

    Returns one row per term whose G² is significant at ``alpha`` (and which is counted at least
    ``min_count`` times in the two together): the ``top`` over-used terms (``direction`` = ``over``,
    by G²) then the ``top`` under-used ones, with counts, shares, G², p-value and log ratio.
    """
    terms = target.index.union(reference.index)
    a = target.reindex(terms, fill_value=0).to_numpy(dtype=float)
    b = reference.reindex(terms, fill_value=0).to_numpy(dtype=float)
    total_a, total_b = a.sum(), b.sum()
    if total_a == 0 or total_b == 0:
        return pd.DataFrame(columns=_KEYNESS_COLUMNS)
    eligible = np.flatnonzero((a + b) >= min_count)
    names = np.asarray(terms, dtype=object)[eligible]
    a, b = a[eligible], b[eligible]
    chosen, g2, ratio, over = _keyness_select(a, b, total_a, total_b, _alphabetical(names), top, alpha)
    frame = pd.DataFrame(
        {
            "term": names[chosen],
            "direction": np.where(over, "over", "under"),
            "count": a[chosen].astype(np.int64),
            "count_rest": b[chosen].astype(np.int64),
            "share": a[chosen] / total_a,
            "share_rest": b[chosen] / total_b,
            "log_ratio": ratio[chosen],
            "g2": g2[chosen],
            "p_value": p_values(g2[chosen]),
        }
    )
    return frame[_KEYNESS_COLUMNS]


def _alphabetical(names: np.ndarray) -> np.ndarray:
    """Each string's rank in alphabetical (code point) order."""
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.argsort(names, kind="stable")] = np.arange(len(names))
    return rank


def _keyness_select(
    a: np.ndarray, b: np.ndarray, total_a: float, total_b: float, alphabetical: np.ndarray, top: int, alpha: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The rows :func:`keyness` reports, among terms counted ``min_count`` times (counts as floats).

    Returns the chosen positions (over-used by G² then term, then under-used), every G² and log
    ratio, and whether each chosen row is over-used.
    """
    from scipy.stats import chi2

    g2 = log_likelihood(a, b, total_a, total_b)
    ratio = log_ratio(a, b, total_a, total_b)
    significant = np.flatnonzero(g2 >= chi2.isf(alpha, 1))
    rising = ratio[significant] > 0
    parts = []
    for part in (significant[rising], significant[~rising]):
        ordered = part[np.lexsort((alphabetical[part], -g2[part]))]
        parts.append(ordered[:top] if top > 0 else ordered)
    chosen = np.concatenate(parts)
    over = np.zeros(len(chosen), dtype=bool)
    over[: len(parts[0])] = True
    return chosen, g2, ratio, over


def distinctive_terms(
    counter: TermCounter, group_types: Sequence[str], *, min_count: int = 5, top: int = 50
) -> pd.DataFrame:
    """Keyness of each group of the given types (``source``, ``language`` or a period) against the rest.

    Adds ``tfidf``: the group's TF-IDF weight for the term when every group of the type is one
    document (scikit-learn's ``TfidfTransformer``, smooth idf, sublinear tf, l2 norm).
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    terms = counter.terms_
    columns: dict[str, list[Any]] = {name: [] for name in _DISTINCTIVE_FIELDS}
    for group_type in group_types:
        if group_type in ("source", "language"):
            groups = counter.group_index(group_type)
        else:
            groups = counter.group_index("period", group_type)
        if len(groups) < 2:
            continue
        gids = [gid for _, gid in groups]
        matrix = counter.counts_[gids].tocsr()
        matrix.sort_indices()
        tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(matrix).tocsr()
        tfidf.sort_indices()
        totals = np.asarray(matrix.sum(axis=0)).ravel()
        # A term's count in a group plus in the rest is its count over the groups of the type: the
        # terms counted at least min_count times are the same for every group.
        eligible = np.flatnonzero((totals >= min_count) & (totals > 0))
        names = terms[eligible]
        alphabetical = _alphabetical(names)
        grand_total = float(totals.sum())
        for position, (key, _gid) in enumerate(groups):
            row = matrix[position]
            total_a = float(row.sum())
            total_b = grand_total - total_a
            if total_a == 0 or total_b == 0:
                continue
            a = _lookup(row, eligible).astype(float)
            b = totals[eligible] - a
            chosen, g2, ratio, over = _keyness_select(a, b, total_a, total_b, alphabetical, top, 0.001)
            if not len(chosen):
                continue
            name: Any = key[3] if group_type == "source" else key[4] if group_type == "language" else key[2]
            label = name.strftime("%Y-%m-%d") if hasattr(name, "strftime") else str(name)
            n_over = int(over.sum())
            columns["group_type"].append(np.full(len(chosen), group_type, dtype=object))
            columns["group"].append(np.full(len(chosen), label, dtype=object))
            columns["term"].append(names[chosen])
            columns["direction"].append(np.where(over, "over", "under").astype(object))
            columns["count"].append(a[chosen].astype(np.int64))
            columns["count_rest"].append(b[chosen].astype(np.int64))
            columns["share"].append(a[chosen] / total_a)
            columns["share_rest"].append(b[chosen] / total_b)
            columns["log_ratio"].append(ratio[chosen])
            columns["g2"].append(g2[chosen])
            columns["p_value"].append(p_values(g2[chosen]))
            columns["tfidf"].append(_lookup(tfidf[position], eligible[chosen]))
            columns["rank"].append(
                np.concatenate([np.arange(1, n_over + 1), np.arange(1, len(chosen) - n_over + 1)]).astype(np.int64)
            )
    if not columns["term"]:
        return pd.DataFrame(columns=list(_DISTINCTIVE_FIELDS))
    return pd.DataFrame({name: np.concatenate(parts) for name, parts in columns.items()})


_DISTINCTIVE_FIELDS = (
    "group_type",
    "group",
    "term",
    "direction",
    "count",
    "count_rest",
    "share",
    "share_rest",
    "log_ratio",
    "g2",
    "p_value",
    "tfidf",
    "rank",
)


# --- rising and falling -------------------------------------------------------------------------


def period_counts(counter: TermCounter, period_type: str) -> tuple[list[Any], Any, np.ndarray]:
    """Periods (sorted), their term-count matrix (periods x terms) and total terms per period."""
    groups = counter.group_index("period", period_type)
    periods = [key[2] for key, _ in groups]
    matrix = counter.counts_[[gid for _, gid in groups]] if groups else counter.counts_[:0]
    return periods, matrix, np.asarray(matrix.sum(axis=1)).ravel()


def rising_falling(
    counter: TermCounter,
    *,
    period_type: str = "month",
    window: int = 3,
    window_end: Any = None,
    alpha: float = 0.05,
    min_count: int = 10,
    min_log_ratio: float = 0.5,
) -> pd.DataFrame:
    """Terms whose share in the last ``window`` periods differs from the ``window`` periods before.

    The window ends with the period starting at ``window_end`` (default: the last period with
    articles). Each term counted at least ``min_count`` times in the two windows together is
    tested (G², 1 degree of freedom); q-values are Benjamini-Hochberg over the tested terms. Rows
    with ``q_value <= alpha`` and ``|log_ratio| >= min_log_ratio`` are returned, rising then
    falling, each by G².
    """
    columns = [
        "period_type",
        "window_start",
        "window_end",
        "baseline_start",
        "baseline_end",
        "term",
        "direction",
        "count",
        "count_baseline",
        "share",
        "share_baseline",
        "log_ratio",
        "g2",
        "p_value",
        "q_value",
        "rank",
    ]
    periods, matrix, _ = period_counts(counter, period_type)
    if not periods:
        return pd.DataFrame(columns=columns)
    # Every period between the first and the last, even those without articles.
    starts = period_range(periods[0], periods[-1], period_type)
    end = pd.Timestamp(window_end) if window_end is not None else pd.Timestamp(periods[-1])
    position = {pd.Timestamp(p): i for i, p in enumerate(periods)}
    where = int(np.searchsorted(starts, end, side="right")) - 1
    if where < 2 * window - 1:
        return pd.DataFrame(columns=columns)
    window_periods = starts[where - window + 1 : where + 1]
    base_periods = starts[where - 2 * window + 1 : where - window + 1]

    def summed(chosen: Any) -> np.ndarray:
        rows = [position[p] for p in chosen if p in position]
        if not rows:
            return np.zeros(matrix.shape[1])
        return np.asarray(matrix[rows].sum(axis=0)).ravel().astype(float)

    a, b = summed(window_periods), summed(base_periods)
    total_a, total_b = a.sum(), b.sum()
    if total_a == 0 or total_b == 0:
        return pd.DataFrame(columns=columns)
    tested = np.flatnonzero((a + b) >= min_count)
    g2 = log_likelihood(a[tested], b[tested], total_a, total_b)
    ratio = log_ratio(a[tested], b[tested], total_a, total_b)
    p = p_values(g2)
    q = benjamini_hochberg(p)
    keep = (q <= alpha) & (np.abs(ratio) >= min_log_ratio)
    frame = pd.DataFrame(
        {
            "term": counter.terms_[tested][keep],
            "direction": np.where(ratio[keep] > 0, "rising", "falling"),
            "count": a[tested][keep].astype(np.int64),
            "count_baseline": b[tested][keep].astype(np.int64),
            "share": a[tested][keep] / total_a,
            "share_baseline": b[tested][keep] / total_b,
            "log_ratio": ratio[keep],
            "g2": g2[keep],
            "p_value": p[keep],
            "q_value": q[keep],
        }
    )
    frame = frame.sort_values(["direction", "g2", "term"], ascending=[False, False, True], kind="stable")
    frame["rank"] = frame.groupby("direction").cumcount() + 1
    frame.insert(0, "baseline_end", base_periods[-1])
    frame.insert(0, "baseline_start", base_periods[0])
    frame.insert(0, "window_end", window_periods[-1])
    frame.insert(0, "window_start", window_periods[0])
    frame.insert(0, "period_type", period_type)
    return frame.reset_index(drop=True)[columns]


# --- keyword in context -------------------------------------------------------------------------


def _keys(tokenizer: Tokenizer, tokens: Sequence[str], lang: str | None) -> list[str]:
    """Matching keys: the term of a content token, the lower-cased token of a stopword."""
    reduced = tokenizer.reduced(tokens, lang)
    return [term if term is not None else token.lower() for token, term in zip(tokens, reduced, strict=True)]


def _query_keys(tokenizer: Tokenizer, query: str, lang: str | None) -> list[list[str]]:
    """The key sequences a query matches: its own, and those of its words written as a name inside
    a sentence, capitalised as the query writes them or, for a query in lower case, each word
    (`estados unidos` is the term of `Estados Unidos`, a name, which is not reduced; its words
    alone would be: `unidos` -> `unido`; the Dutch adjective `Marokkaanse` inside a sentence is a
    name too, while the query alone is a sentence's first word, reduced to `marokkaans`)."""
    found = [_keys(tokenizer, tokenizer.tokens(query, lang), lang)]
    named = query if query != query.lower() else " ".join(word[:1].upper() + word[1:] for word in query.split())
    spans = tokenizer.spans(f"x {named}", lang)  # (after a word: no sentence's first word)
    found.append(_keys(tokenizer, [token for start, _, token in spans if start >= 2], lang))
    return [keys for i, keys in enumerate(found) if keys and keys not in found[:i]]


def concordance(
    articles: pd.DataFrame,
    query: str,
    *,
    width: int = 60,
    limit: int | None = None,
    tokenizer: Tokenizer | None = None,
) -> pd.DataFrame:
    """Every occurrence of a term or phrase in the articles' titles and texts, in context.

    The query is tokenised and lemmatised like the articles, so ``élection`` finds ``élections``
    and ``Élections``, and ``énergie renouvelable`` finds ``énergies renouvelables``; an elided
    article in the text (``sommet d'Abidjan``) matches the query without it; a query word written
    without diacritics finds the word with them (``securite``, ``sécurité``). Each row has
    ``left``, ``match``, ``right`` (``width`` characters each side, on one line), ``article_id``,
    ``published``, ``source``, ``field`` (``title`` or ``text``) and ``start`` (offset in that field).
    Rows are ordered by date, article and offset; ``limit`` keeps the first ones.
    """
    from analysis.text import fold

    tokenizer = tokenizer or Tokenizer()
    columns = ["published", "source", "article_id", "field", "start", "left", "match", "right"]
    query_keys: dict[str | None, list[list[str]]] = {}
    prefixes = [fold(word)[:3] for word in query.split() if len(word) > 2]
    rows: list[dict[str, Any]] = []
    frame = articles.sort_values(["published", "article_id"], na_position="last", kind="stable")
    for record in frame[["article_id", "published", "source", "language", "title", "text"]].itertuples(index=False):
        lang = record.language if isinstance(record.language, str) else None
        if lang not in query_keys:
            query_keys[lang] = _query_keys(tokenizer, query, lang)
        if not query_keys[lang]:
            continue
        for field_name in ("title", "text"):
            content = getattr(record, field_name)
            if not isinstance(content, str) or not content:
                continue
            folded = fold(content)
            if any(prefix not in folded for prefix in prefixes):
                continue
            spans = tokenizer.spans(content, lang)
            keys = _keys(tokenizer, [t for _, _, t in spans], lang)
            bare = [_unmarked(key) for key in keys]
            for i in range(len(keys)):
                size = next((len(w) for w in query_keys[lang] if _at(keys, bare, i, w)), 0)
                if not size:
                    continue
                start, end = spans[i][0], spans[i + size - 1][1]
                rows.append(
                    {
                        "published": record.published,
                        "source": record.source,
                        "article_id": record.article_id,
                        "field": field_name,
                        "start": start,
                        "left": _flat(content[max(0, start - width) : start])[-width:],
                        "match": content[start:end],
                        "right": _flat(content[end : end + width])[:width],
                    }
                )
        if limit is not None and len(rows) >= limit:
            break
    out = pd.DataFrame(rows, columns=columns)
    return out.head(limit) if limit is not None else out


def _at(keys: list[str], bare: list[str], i: int, query: list[str]) -> bool:
    """Whether the query's keys are at ``i`` of a text's: a query word written without diacritics
    matches a key with or without them (``bare``: the keys without them; `securite` finds
    `sécurité`, as one types it), one written with them only that key."""
    if i + len(query) > len(keys):
        return False
    return all((bare if word == _unmarked(word) else keys)[i + j] == word for j, word in enumerate(query))


def _flat(text: str) -> str:
    return " ".join(text.split()) if "\n" in text else text


# --- word clouds ----------------------------------------------------------------------------------


def cloud_frequencies(
    frequencies: pd.DataFrame,
    *,
    scope: str = "corpus",
    period_type: str | None = None,
    period: Any = None,
    source: str | None = None,
    language: str | None = None,
    top: int = 200,
) -> dict[str, int]:
    """``{term: count}`` of one group of ``term_frequencies`` (what ``WordCloud.generate_from_frequencies`` takes)."""
    mask = frequencies["scope"] == scope
    if period_type is not None:
        mask &= frequencies["period_type"] == period_type
    if period is not None:
        mask &= frequencies["period"] == pd.Timestamp(period)
    if source is not None:
        mask &= frequencies["source"] == source
    if language is not None:
        mask &= frequencies["language"] == language
    chosen = frequencies[mask].sort_values(["count", "term"], ascending=[False, True]).head(top)
    return {str(t): int(c) for t, c in zip(chosen["term"], chosen["count"], strict=True)}


# --- pandas entry points ------------------------------------------------------------------------


def term_counts(term_lists: Iterable[Sequence[str]]) -> pd.Series:
    """Occurrences of each term over some articles' term lists (``tokens.parquet``'s ``terms``).

    With :func:`keyness`, compares any subset with the rest:
    ``keyness(term_counts(t[mask]), term_counts(t[~mask]))``.
    """
    counts: Counter[str] = Counter()
    for terms in term_lists:
        counts.update(terms)
    return pd.Series(counts, dtype="int64").sort_index()


def count_terms(
    articles: pd.DataFrame,
    tokens: pd.DataFrame,
    options: KeywordOptions | None = None,
    *,
    tokenizer: Tokenizer | None = None,
    phrases: PhraseModel | None = None,
) -> TermCounter:
    """Term counts per group from in-memory tables (the processed articles and their tokens).

    ``counter.table()`` is the term-frequency table; pass the counter to
    :func:`distinctive_terms` and :func:`rising_falling`. Phrases are learnt from ``tokens`` when
    ``options.phrases`` and no ``phrases`` model is given.
    """
    options = options or KeywordOptions()
    tokenizer = tokenizer or Tokenizer()
    groups = article_groups(articles, options.periods, include_duplicates=options.include_duplicates)
    rows = tokens[["article_id", "language", "tokens"]].itertuples(index=False)
    rows = [(str(a), lang if isinstance(lang, str) else None, list(t)) for a, lang, t in rows]
    if phrases is None and options.phrases:
        wanted = sample_ids(groups, options.phrase_sample)
        phrases = PhraseModel(
            tokenizer,
            min_count=options.phrase_min_count,
            min_docs=options.phrase_min_docs,
            min_llr=options.phrase_min_llr,
            max_phrases=options.phrase_max,
        ).fit((t, lang) for a, lang, t in rows if a in wanted)
    counter = TermCounter()
    counter.partial_fit((groups[a], article_terms(tokenizer, t, lang, phrases)) for a, lang, t in rows if a in groups)
    return counter.finish()


# --- the stage ----------------------------------------------------------------------------------


def iter_tokens(path: Path, *, batch_size: int = 2000) -> Iterator[list[dict[str, Any]]]:
    """Batches of ``{article_id, language, tokens}`` rows of a token table."""
    from analysis.io.store import open_parquet

    for batch in open_parquet(path).iter_batches(batch_size=batch_size, columns=["article_id", "language", "tokens"]):
        yield batch.to_pylist()


def read_meta(articles: Path) -> pd.DataFrame:
    """The columns of a processed article table that grouping needs."""
    import pyarrow.parquet as pq

    return pq.read_table(articles, columns=["article_id", "published", "source", "language", "duplicate_of"]).to_pandas(
        types_mapper=pd.ArrowDtype
    )


@dataclass
class BatchCounts:
    """The counted articles of one batch: each one's distinct terms with their counts, and its groups.

    ``terms`` (strings) and ``groups`` (indices into the stage's list of group keys) are numbered
    in the order the batch meets them; article ``i``'s terms are ``term_index[indptr[i]:indptr[i + 1]]``
    (with ``counts``) and its groups ``group_index[group_indptr[i]:group_indptr[i + 1]]``.
    """

    terms: list[str]
    groups: list[int]
    indptr: np.ndarray
    term_index: np.ndarray
    counts: np.ndarray
    group_indptr: np.ndarray
    group_index: np.ndarray


@dataclass
class _TermsPart:
    """A batch's rows of the interim term table and their counts; a task writes the rows as its
    part (:attr:`_Context.terms_dir`) and returns the counts alone."""

    table: Any  # pyarrow Table: article_id, terms (None once written)
    # its articles' counts, their groups those of grouping; with a batch before of the same part
    # (paired), those of the articles whose groups changed (None: none did)
    counts: BatchCounts | None
    cache: dict[str, CacheUse] = field(default_factory=dict)  # what the task did with the cache
    grouping: _Grouping | None = None  # its articles' groups, their keys named
    digest: str = ""  # the hash of the part's bytes as written
    # the batch before at its place is accounted for: it had the same part (see _terms_task), or
    # (by_rows) another, paired with this one's row by row (see _by_rows)
    paired: bool = False
    taken: BatchCounts | None = None  # paired: the counts those articles had (their groups then)
    by_rows: bool = False  # paired with a batch before of another part, row by row (see _by_rows)


@dataclass
class _Context:
    """What every task of the stage needs, written once (:func:`analysis.engine.share`) and read per process."""

    tokenizer: bytes  # the pickled TokenOptions (or Tokenizer)
    tokens_path: str
    phrases: dict[str | None, dict[tuple[str, ...], str]] | None = None  # learnt phrases (second pass)
    groups: ArticleGroups | None = None  # counted article -> its groups (second pass)
    lexicon: dict[str | None, dict[str, str]] = field(default_factory=dict)  # token -> word, per language
    wanted: Any = None  # the phrase sample's article ids, sorted, as Arrow strings (first pass)
    every_token: bool = False  # first pass: also list every article's distinct tokens (as Arrow strings)
    terms_dir: str | None = None  # second pass: where each task writes its terms, as part number <task>
    cache: CacheRef | None = None  # second pass: each task's part, kept between builds (TERMS_CACHE)
    spellings: dict[str | None, _Respelt] = field(default_factory=dict)  # second pass: see _Respelt
    group_keys: list[GroupKey] = field(default_factory=list)  # second pass: the keys of the groups' numbers
    terms_before: str | None = None  # second pass: the build before's term parts (see _by_rows)


_TOKENIZERS: dict[bytes, Tokenizer] = {}


def _tokenizer_spec(tokenizer: Tokenizer) -> bytes:
    """What tasks rebuild the tokenizer from; in this process, the tasks use ``tokenizer`` itself (and its lexicons)."""
    import pickle

    spec = pickle.dumps(tokenizer.options if type(tokenizer) is Tokenizer else tokenizer)
    if _TOKENIZERS.get(spec) is not tokenizer:
        if len(_TOKENIZERS) >= 4:
            _TOKENIZERS.clear()
        _TOKENIZERS[spec] = tokenizer
    return spec


def _worker_tokenizer(spec: bytes) -> Tokenizer:
    """One tokenizer per process and options, so its lexicons serve every task (both passes)."""
    import pickle

    tokenizer = _TOKENIZERS.get(spec)
    if tokenizer is None:
        loaded = pickle.loads(spec)
        tokenizer = loaded if isinstance(loaded, Tokenizer) else Tokenizer(loaded)
        if len(_TOKENIZERS) >= 4:
            _TOKENIZERS.clear()
        _TOKENIZERS[spec] = tokenizer
    return tokenizer


def _row_tasks(path: Path, batch_size: int) -> list[tuple[tuple[int, ...], int, int]]:
    """Tasks over a Parquet file: (row groups, first row, end row) of about ``batch_size`` rows each.

    Consecutive row groups are packed into a task; a row group much larger than ``batch_size`` is
    split into slices (each task then reads the group and keeps its slice).
    """
    from analysis.engine import row_group_tasks
    from analysis.io.store import open_parquet

    metadata = open_parquet(path).metadata
    tasks: list[tuple[tuple[int, ...], int, int]] = []
    for groups in row_group_tasks(path, batch_size):
        rows = sum(metadata.row_group(g).num_rows for g in groups)
        if rows > 2 * batch_size:
            tasks.extend((groups, start, min(start + batch_size, rows)) for start in range(0, rows, batch_size))
        else:
            tasks.append((groups, 0, rows))
    return tasks


def _read_task(path: str, groups: tuple[int, ...], start: int, stop: int, columns: list[str]) -> Any:
    """Rows ``start:stop`` of some row groups; tokens as dictionary-encoded strings (as Parquet stores them)."""
    import pyarrow as pa

    from analysis.io.store import open_parquet

    schema = open_parquet(path).schema
    leaves = [schema.column(i).path for i in range(len(schema)) if schema.column(i).path.startswith("tokens.")]
    source = open_parquet(path, read_dictionary=leaves)
    # One row group at a time (Arrow cannot read nested dictionaries across several at once).
    table = pa.concat_tables([source.read_row_group(g, columns=columns) for g in groups])
    return table if (start, stop) == (0, table.num_rows) else table.slice(start, stop - start)


#: The stage's cache (a folder of files, :class:`analysis.cache.FileRef`): each terms task's part
#: of the term table as written, read back when an earlier build's task had the same token rows
#: (their stored bytes) and merged the same phrases with the same spellings (:func:`terms_fingerprint`).
TERMS_CACHE = "keyword_terms"
#: The token table's columns a terms task reads.
_TERM_COLUMNS = ["article_id", "language", "tokens"]


def terms_fingerprint(
    tokenizer: Tokenizer,
    phrases: Mapping[str | None, Mapping[tuple[str, ...], str]] | None,
    spellings: Mapping[str | None, _Respelt],
) -> str:
    """What a task's terms depend on besides its token rows: the tokenizer (its options, stopwords
    and libraries: :func:`analysis.tokens.lexicon_digest`), the phrases in their order, the
    spellings, this code. A language without phrases merges none, whether it is in ``phrases``
    (a model learnt: every language of its sample) or not (a model file holds phrases only)."""
    import sys

    from analysis import tokens
    from analysis.cache import code_digest

    code = code_digest(sys.modules[__name__], tokens, "numpy", "pandas", "pyarrow")
    model = hashlib.blake2b(digest_size=16)
    for lang, known in (phrases or {}).items():
        if known:
            model.update(repr((lang, list(known.items()))).encode("utf-8"))
    for lang, respelt in sorted(spellings.items(), key=lambda item: item[0] or ""):
        parts = (lang, sorted(respelt.spellings.items()), sorted(respelt.readings.items()), sorted(respelt.names))
        model.update(repr(parts).encode("utf-8"))
    return repr((code, tokens.lexicon_digest(tokenizer), model.hexdigest()))


def _terms_task(task: tuple[str, int, tuple[int, ...], int, int, _Batch | None]) -> _TermsPart:
    """Second pass: a batch's terms (phrases merged), written as part ``index`` of the interim term
    table, and its articles' counts (a top-level function, for the engine). With the context's
    cache, the part an earlier build's task wrote for the same rows is written as it was. Given the
    build before's batch at its place (``before``, from the counts it kept): when its part is the
    same, only the articles counted in other groups than then (copies that became originals, or
    the other way) are counted, now and as they were (:attr:`_TermsPart.taken`)."""
    import io

    import pyarrow.parquet as pq

    from analysis.cache import pack, stored_entry, unpack
    from analysis.engine import shared
    from analysis.io.store import atomic_path, part_name, write_part

    context_path, index, groups, start, stop, before = task
    context: _Context = shared(context_path)
    assert context.groups is not None and context.terms_dir is not None
    ref = context.cache
    key, found = stored_entry(ref, Path(context.tokens_path), groups, _TERM_COLUMNS, (start, stop))
    if found is not None:
        data = unpack(found)
        with atomic_path(Path(context.terms_dir) / part_name(index)) as tmp:
            tmp.write_bytes(data)
        ids = pq.read_table(io.BytesIO(data), columns=["article_id"]).column("article_id").to_pylist()
        done = _TermsPart(None, None, {TERMS_CACHE: CacheUse(hits=[key])})
        done.digest, done.grouping = _digest(data), _Grouping.of(ids, context.groups).named(context.group_keys)
        if before is not None and before.digest == done.digest:
            return _paired(done, data, before)
        done.counts = _stored_terms(pq.read_table(io.BytesIO(data)), done.grouping.local())
        return _by_rows(done, data, before, context.terms_before)
    tokenizer = _worker_tokenizer(context.tokenizer)
    seeded = _SEEDED.setdefault(tokenizer, set())
    if context_path not in seeded:  # the tokens were reduced in the first pass: not again here
        for lang, known in context.lexicon.items():
            _lexicon(tokenizer, lang).seed(known)
        seeded.add(context_path)
    table = _read_task(context.tokens_path, groups, start, stop, _TERM_COLUMNS)
    grouping = _Grouping.of(table.column("article_id").to_pylist(), context.groups).named(context.group_keys)
    part = _terms_part(table, tokenizer, context.phrases, grouping.local(), context.spellings)
    written = write_part(Path(context.terms_dir), index, part.table)  # here: the terms need not travel
    part.table = None
    data = written.read_bytes()
    if isinstance(ref, FileRef):
        part.cache[TERMS_CACHE] = ref.put(key, pack(data, compress=False))
    part.digest, part.grouping = _digest(data), grouping
    if before is not None and before.digest == part.digest:
        return _paired(part, data, before)
    return _by_rows(part, data, before, context.terms_before)


def _by_rows(part: _TermsPart, data: bytes, before: _Batch | None, folder: str | None) -> _TermsPart:
    """A task whose part (``data``) is not ``before``'s, paired with it row by row when the build
    before's part can be read (``folder``, as its counts were made of it): the counts of its
    articles whose terms or groups differ from that part's rows of the same article (or that it
    lacks), as they are, and those of that part's other rows, as they were (:attr:`_TermsPart.taken`).
    The rest are in the build before's total as they are now. A few articles cleaned again in a
    batch (their source's learnt lines changed) then cost those articles' counts in the build's
    process, not the batch's twice (counted again from the part before and taken away whole)."""
    import io

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if before is None or folder is None:
        return part
    try:
        old = (Path(folder) / before.part).read_bytes()
    except OSError:
        return part
    if _digest(old) != before.digest:  # not the part its counts were made of: the batch is taken away whole
        return part
    assert part.grouping is not None
    new_table, old_table = pq.read_table(io.BytesIO(data)), pq.read_table(io.BytesIO(old))
    where = pc.index_in(new_table.column("article_id"), value_set=old_table.column("article_id"))
    at = np.asarray(where.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    same = at >= 0  # new rows whose article the part before has, then: with the same terms and groups
    new_terms, old_terms = new_table.column("terms").combine_chunks(), old_table.column("terms").combine_chunks()
    matched = np.flatnonzero(same)
    mine, theirs = new_terms.take(pa.array(matched, pa.int64())), old_terms.take(pa.array(at[matched], pa.int64()))
    lengths = [np.asarray(pc.list_value_length(t).fill_null(-1).to_numpy(zero_copy_only=False)) for t in (mine, theirs)]
    alike = lengths[0] == lengths[1]
    rows = np.flatnonzero(alike)
    if len(rows):
        a, b = (pc.list_flatten(t.take(pa.array(rows, pa.int64()))) for t in (mine, theirs))
        equal = pc.or_kleene(pc.equal(a, b), pc.and_(pc.is_null(a), pc.is_null(b)))  # (null items alike)
        differs = np.asarray(pc.invert(pc.fill_null(equal, False)).to_numpy(zero_copy_only=False), dtype=np.int64)
        sizes = np.maximum(lengths[0][rows], 0)
        ends = np.cumsum(sizes)
        wrong = (
            np.add.reduceat(np.append(differs, 0), ends - sizes)[: len(rows)] if len(differs) else np.zeros(len(rows))
        )
        alike[rows] = np.where(sizes > 0, wrong == 0, True)
    same[matched] = alike
    now_rows, then_rows = part.grouping._rows(), before.grouping._rows()
    for i in np.flatnonzero(same).tolist():
        same[i] = now_rows[i] == then_rows[at[i]]
    kept = np.zeros(old_table.num_rows, dtype=bool)
    kept[at[same]] = True
    part.paired = part.by_rows = True
    part.counts = _stored_terms(new_table, part.grouping.only(~same)) if not same.all() else None
    part.taken = _stored_terms(old_table, before.grouping.only(~kept)) if not kept.all() else None
    return part


def _paired(part: _TermsPart, data: bytes, before: _Batch) -> _TermsPart:
    """A task whose part (``data``) is ``before``'s: the counts of its articles whose groups
    changed, as they are and as they were (the rest are in the build before's total)."""
    import io

    import pyarrow.parquet as pq

    assert part.grouping is not None
    part.paired = True
    part.counts = None
    if not part.grouping.same(before.grouping):
        changed = part.grouping.changed(before.grouping)
        table = pq.read_table(io.BytesIO(data))
        part.counts = _stored_terms(table, part.grouping.only(changed))
        part.taken = _stored_terms(table, before.grouping.only(changed))
    return part


#: Per tokenizer: the context files whose lexicons were added to its own.
_SEEDED: weakref.WeakKeyDictionary[Tokenizer, set[str]] = weakref.WeakKeyDictionary()


def _terms_schema() -> Any:
    import pyarrow as pa

    return pa.schema([pa.field("article_id", pa.string(), False), pa.field("terms", pa.list_(pa.string()))])


def _terms_part(
    table: Any,
    tokenizer: Tokenizer,
    phrases: Mapping[str | None, Mapping[tuple[str, ...], str]] | None,
    groups: ArticleGroups | Mapping[str, Sequence[int]] | _Grouping,
    spellings: Mapping[str | None, _Respelt] | None = None,
) -> _TermsPart:
    """The terms of a batch of token rows (``article_id``, ``language``, ``tokens``) and their counts
    per group; a word with another spelling in ``spellings`` (per language, :class:`_Respelt`) counted as that one."""
    import pyarrow as pa

    n_docs = table.num_rows
    names: list[str] = []
    index: dict[str, int] = {}
    pieces: list[np.ndarray] = []
    starts = np.zeros(n_docs, dtype=np.int64)
    lengths = np.zeros(n_docs, dtype=np.int64)
    offset = 0
    for lang, rows, distinct, positions, token_counts in _languages(table):
        lexicon = _lexicon(tokenizer, lang)
        w = lexicon.encode(distinct)[positions] if len(positions) else np.zeros(0, dtype=np.int64)
        respell = spellings.get(lang) if spellings else None
        if respell and len(w):
            w = _respelled_ids(lexicon, respell)[w]
        known = phrases.get(lang) if phrases else None
        terms, codes, counts = _merge_codes(lexicon, known, w, token_counts)
        to_batch = _ids(index, terms)
        pieces.append(to_batch[codes])
        starts[rows] = offset + np.cumsum(counts) - counts
        lengths[rows] = counts
        offset += len(codes)
    names = list(index)
    flat = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    order = np.repeat(starts - (ends - lengths), lengths) + np.arange(int(ends[-1]) if n_docs else 0)
    flat = flat[order]
    values = pa.array(names, pa.string()).take(pa.array(flat)) if len(flat) else pa.array([], pa.string())
    offsets = pa.array(np.concatenate([[0], ends]).astype(np.int32))
    terms_table = pa.Table.from_arrays(
        [table.column("article_id").combine_chunks(), pa.ListArray.from_arrays(offsets, values)],
        schema=_terms_schema(),
    )
    ids = table.column("article_id").to_pylist()
    return _TermsPart(terms_table, _batch_counts(ids, flat, lengths, names, groups))


def _stored_terms(table: Any, groups: ArticleGroups | Mapping[str, Sequence[int]] | _Grouping) -> BatchCounts:
    """:func:`_batch_counts` of a part of the term table as stored (``article_id``, ``terms``), its
    terms numbered by a dictionary. :func:`_batch_counts` numbers the counted articles' terms again
    as they are met, whatever numbers they come with: the counts are those :func:`_terms_part` gave
    when it made the part (tested)."""
    import pyarrow.compute as pc

    lists = table.column("terms").combine_chunks()
    encoded = pc.dictionary_encode(pc.list_flatten(lists))
    lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    names = encoded.dictionary.to_pylist()
    return _batch_counts(table.column("article_id").to_pylist(), codes, lengths, names, groups)


def _batch_counts(
    ids: list[str],
    flat: np.ndarray,
    lengths: np.ndarray,
    names: list[str],
    groups: ArticleGroups | Mapping[str, Sequence[int]] | _Grouping,
) -> BatchCounts:
    """The counted articles (not the copies, unless asked) of a batch whose articles' terms are
    ``flat`` (numbers in ``names``; article ``i`` has ``lengths[i]`` of them, in order): their
    distinct terms with counts, and their groups; terms and groups numbered in the order they are met."""
    grouping = groups if isinstance(groups, _Grouping) else _Grouping.of(ids, groups)
    if len(grouping.counted) != len(ids):
        raise ValueError(f"the groups of {len(grouping.counted)} articles given for {len(ids)}")
    counted = grouping.counted
    chosen = np.flatnonzero(counted)
    mine = flat[np.repeat(counted, lengths)]
    cols, firsts = pd.factorize(mine)
    n_terms = max(len(firsts), 1)
    doc_rows = np.repeat(np.arange(len(chosen)), lengths[chosen])
    pairs, counts = np.unique(doc_rows * n_terms + cols, return_counts=True)
    indptr = np.zeros(len(chosen) + 1, dtype=np.int64)
    np.cumsum(np.bincount(pairs // n_terms, minlength=len(chosen)), out=indptr[1:])
    return BatchCounts(
        [names[i] for i in np.asarray(firsts).tolist()],
        list(grouping.groups),
        indptr,
        (pairs % n_terms).astype(np.int32),
        counts.astype(np.int32),
        grouping.indptr,
        grouping.index,
    )


@dataclass
class _Grouping:
    """Which articles of a batch are counted (not copies, unless asked) and each counted one's
    groups, numbered in the order the batch meets them: ``groups`` their numbers in the stage's
    list of group keys, or (:meth:`named`) the keys themselves."""

    groups: list[Any]
    counted: np.ndarray  # per article of the batch
    indptr: np.ndarray  # counted article i's groups are index[indptr[i]:indptr[i + 1]]
    index: np.ndarray

    @classmethod
    def of(cls, ids: Sequence[str], groups: ArticleGroups | Mapping[str, Sequence[int]]) -> _Grouping:
        lookup = groups if isinstance(groups, ArticleGroups) else ArticleGroups.from_mapping(groups)
        positions = lookup.find(ids)
        counted = positions >= 0
        local: dict[int, int] = {}
        group_index: list[int] = []
        group_lengths: list[int] = []
        for position in positions[counted].tolist():
            mine = lookup.groups(position).tolist()
            group_index.extend(local.setdefault(gid, len(local)) for gid in mine)
            group_lengths.append(len(mine))
        indptr = np.zeros(len(group_lengths) + 1, dtype=np.int64)
        np.cumsum(group_lengths, out=indptr[1:])
        return cls(list(local), counted, indptr, np.asarray(group_index, dtype=np.int32))

    def named(self, keys: Sequence[GroupKey]) -> _Grouping:
        """The same with its groups' keys (``keys``: the stage's, by number) in place of their numbers."""
        return replace(self, groups=[keys[g] for g in self.groups])

    def local(self) -> _Grouping:
        """The same with its groups numbered in its own order (its counts' groups index :attr:`groups` then)."""
        return replace(self, groups=list(range(len(self.groups))))

    def same(self, other: _Grouping) -> bool:
        return (
            self.groups == other.groups
            and np.array_equal(self.counted, other.counted)
            and np.array_equal(self.indptr, other.indptr)
            and np.array_equal(self.index, other.index)
        )

    def _rows(self) -> list[tuple[Any, ...] | None]:
        """Each article's groups (None: not counted)."""
        rows: list[tuple[Any, ...] | None] = [None] * len(self.counted)
        index = self.index.tolist()
        for k, row in enumerate(np.flatnonzero(self.counted).tolist()):
            rows[row] = tuple(self.groups[g] for g in index[self.indptr[k] : self.indptr[k + 1]])
        return rows

    def changed(self, other: _Grouping) -> np.ndarray:
        """Which articles are counted in other groups (or not counted) in ``other``, of the same articles."""
        return np.fromiter(
            (a != b for a, b in zip(self._rows(), other._rows(), strict=True)), dtype=bool, count=len(self.counted)
        )

    def only(self, chosen: np.ndarray) -> _Grouping:
        """The same with only the ``chosen`` articles counted, its groups numbered in its own order."""
        rows = np.flatnonzero(self.counted)  # the counted articles, in order
        keep = chosen[rows]
        lengths = np.diff(self.indptr)[keep]
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        starts = self.indptr[:-1][keep]
        positions = np.repeat(starts - indptr[:-1], lengths) + np.arange(int(indptr[-1]))
        return _Grouping(list(range(len(self.groups))), self.counted & chosen, indptr, self.index[positions])


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


#: The keyword stage's counts, kept in the work folder for the next build (with the cache): their
#: sums per group and term, and what each batch added (:class:`_Counted`).
COUNTS_FILE = "keyword_counts.pkl"
#: The name under which ``run.cache`` counts the batches whose counts the build before's total
#: held (hits), and those counted (added).
COUNTS_CACHE = "keyword_counts"


@dataclass
class _Batch:
    """One task's share of the counts: its part of the term table (the file's name and the hash of
    its bytes) and its articles' groups (named)."""

    part: str
    digest: str
    grouping: _Grouping

    def counts(self, folder: Path) -> BatchCounts:
        """Its counts again, from its part in ``folder`` (ValueError: the part is not the one it had)."""
        import io

        import pyarrow.parquet as pq

        data = (folder / self.part).read_bytes()
        if _digest(data) != self.digest:
            raise ValueError(f"{folder / self.part} is not the part its counts were made of")
        return _stored_terms(pq.read_table(io.BytesIO(data)), self.grouping.local())


@dataclass
class _Counted:
    """A build's counts per group and term (a finished :class:`TermCounter`'s) and the batches they sum."""

    code: str
    terms: list[str]
    groups: list[GroupKey]
    counts: tuple[np.ndarray, np.ndarray, np.ndarray]  # (data, indices, indptr) of the CSR matrix
    docs: tuple[np.ndarray, np.ndarray, np.ndarray]
    group_docs: np.ndarray
    batches: list[_Batch]

    @classmethod
    def of(cls, counter: TermCounter, batches: list[_Batch]) -> _Counted:
        return cls(
            _counts_code(),
            counter.terms_.tolist(),
            list(counter.groups_),
            (counter.counts_.data, counter.counts_.indices, counter.counts_.indptr),
            (counter.docs_.data, counter.docs_.indices, counter.docs_.indptr),
            counter.group_docs_,
            batches,
        )

    def counter(self) -> TermCounter:
        from scipy import sparse

        counter = TermCounter()
        counter.vocabulary_ = {term: i for i, term in enumerate(self.terms)}
        counter.groups_ = {key: i for i, key in enumerate(self.groups)}
        shape = (len(self.groups), len(self.terms))
        counter.counts_, counter.docs_ = (sparse.csr_matrix(arrays, shape=shape) for arrays in (self.counts, self.docs))
        counter.group_docs_ = self.group_docs.copy()
        return counter

    def write(self, path: Path) -> None:
        import pickle

        from analysis.cache import pack
        from analysis.io.store import atomic_path

        with atomic_path(path) as tmp:
            tmp.write_bytes(pack(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)))

    @classmethod
    def read(cls, path: Path) -> _Counted | None:
        """The counts kept at ``path``, or None: none, unreadable, or kept by other code."""
        import pickle

        from analysis.cache import intact, unpack

        try:
            data = path.read_bytes()
            if not intact(data):
                return None
            counted = pickle.loads(unpack(data))
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, TypeError):
            return None
        return counted if isinstance(counted, cls) and counted.code == _counts_code() else None


def _counts_code() -> str:
    """What the kept counts depend on besides their batches: this code and its libraries."""
    import sys

    from analysis.cache import code_digest

    return code_digest(sys.modules[__name__], "numpy", "scipy", "pyarrow")


def _difference(
    before: _Counted,
    plus: TermCounter,
    minus: TermCounter,
    gone: list[_Batch],
    old: Path,
    batches: list[_Batch],
    new: Path,
) -> tuple[TermCounter, bool]:
    """The build's counts, finished: ``before``'s total, plus ``plus``, less ``minus`` and the batches
    ``gone`` (counted again from their parts in ``old``, the folder before's). Every batch counted
    again from its part in ``new`` if a part of ``old`` is not the one its counts were made of (then
    also True)."""
    try:
        for batch in gone:
            minus.add_counts(batch.counts(old), batch.grouping.groups)
        return before.counter().combine(plus, minus), False
    except (OSError, ValueError):  # (an interim file changed by hand): counted again, in this process
        counter = TermCounter()
        for batch in batches:
            counter.add_counts(batch.counts(new), batch.grouping.groups)
        return counter.finish(), True


def fit_phrases(
    tokens_path: Path,
    wanted: set[str],
    tokenizer: Tokenizer,
    options: KeywordOptions,
    *,
    batch_size: int = 2000,
    engine: Engine | None = None,
    work_dir: Path | None = None,
) -> PhraseModel:
    """A phrase model learnt from the articles in ``wanted`` (a sample).

    On ``engine`` (default: this process), tasks read the batches and keep the sample's articles,
    then put its distinct tokens through the tokenizer in chunks (each token once); counting and
    scoring happen here. ``work_dir`` (default: beside ``tokens_path``) holds the file the tasks
    read the sample from.
    """
    return _fit_sample(tokens_path, wanted, tokenizer, options, batch_size, engine, work_dir, every_token=False)[0]


def _fit_sample(
    tokens_path: Path,
    wanted: set[str],
    tokenizer: Tokenizer,
    options: KeywordOptions,
    batch_size: int,
    engine: Engine | None,
    work_dir: Path | None,
    *,
    every_token: bool,
    known: dict[str | None, dict[str, str | None]] | None = None,
) -> tuple[PhraseModel, dict[str | None, dict[str, str]], dict[str | None, _Respelt]]:
    """:func:`fit_phrases`, the word of each distinct token of the sample, per language, and the
    spellings of words that differ only by accents, per language of ``options.accent_variants``
    (:func:`_spellings`), with the names' words read as plain words, per language of
    ``options.styled_capitals`` (:func:`_styled_capitals`): the phrases are learnt with them.

    With ``every_token``, of every article's tokens (the workers of the second pass are then spared them).
    The tokens in ``known`` (a lexicon, emptied as it is used) are not reduced again.
    """
    from analysis.engine import SerialEngine, share

    model = PhraseModel(
        tokenizer,
        min_count=options.phrase_min_count,
        min_docs=options.phrase_min_docs,
        min_llr=options.phrase_min_llr,
        max_phrases=options.phrase_max,
    )
    sample: dict[str | None, _LanguageSample] = {}
    vocabulary = _Vocabulary()

    def add(parts: SampleBatch, tokens: dict[str | None, Any]) -> None:
        for lang, distinct, index, lengths in parts:
            sample.setdefault(lang, _LanguageSample()).add(distinct, index, lengths)
        for lang, distinct in tokens.items():
            vocabulary.add(lang, distinct)

    tasks = _row_tasks(tokens_path, batch_size)
    if engine is None or isinstance(engine, SerialEngine):
        chosen = _chosen(wanted)
        for groups, start, stop in tasks:
            add(*_sample_batch(str(tokens_path), groups, start, stop, chosen, every_token))
    else:
        target = (work_dir or tokens_path.parent) / ".keywords_sample.pkl"
        context = share(
            _Context(_tokenizer_spec(tokenizer), str(tokens_path), wanted=_chosen(wanted), every_token=every_token),
            target,
        )
        try:
            for parts, tokens in engine.map(_sample_task, [(str(context), *task) for task in tasks]):
                add(parts, tokens)
        finally:
            context.unlink(missing_ok=True)
    # Each distinct token through the tokenizer once.
    if every_token:
        distinct = vocabulary.lists()
    else:
        distinct = {lang: list(dict.fromkeys(part.tokens)) for lang, part in sample.items()}
    lexicon = _reduced(distinct, tokenizer, engine, known)
    del distinct
    respelt: dict[str | None, _Respelt] = {}
    for lang, part in sample.items():
        words = lexicon[lang]
        part.words = [words[token] for token in part.tokens]
        if not part.chunks:
            continue
        readings = _styled_capitals(part) if lang in options.styled_capitals else {}
        if readings:
            part.words = [readings.get(word, word) for word in part.words]
        spellings: dict[str, str] = {}
        names: frozenset[str] = frozenset()
        if lang in options.accent_variants:
            counts = np.bincount(np.concatenate(part.chunks), minlength=len(part.words))
            names = _name_words(part, counts)
            spellings = _spellings(part.words, counts.tolist(), lang, names)
            names = frozenset(w for w in names if _spelling_key(w) in spellings)  # (the rest: no other spelling)
            part.words = [_respelling(word, spellings, lang, None, names) for word in part.words]
        if readings or spellings:
            respelt[lang] = _Respelt(spellings, readings, names)
    model = model._learn(sample)
    model.respelt_ = respelt
    return model, lexicon, respelt


SampleBatch = list[tuple[str | None, list[str], np.ndarray, np.ndarray]]


class _Vocabulary:
    """The distinct tokens of every batch, per language, gathered as Arrow strings (in order of first
    appearance): each batch's are appended, and deduplicated in Arrow once enough have piled up.

    Merged into a Python dict per batch instead, a million bench articles' first pass spent 12 s
    of the build's process on them (beside the workers that listed them as Python strings).
    """

    #: Tokens appended (beyond the distinct ones held) before they are deduplicated.
    fold_at = 1_000_000

    def __init__(self) -> None:
        self._parts: dict[str | None, list[Any]] = {}
        self._held: dict[str | None, tuple[int, int]] = {}  # per language: (distinct, appended since)

    def add(self, lang: str | None, tokens: Any) -> None:
        parts = self._parts.setdefault(lang, [])
        parts.append(tokens)
        distinct, appended = self._held.get(lang, (0, 0))
        appended += len(tokens)
        if appended >= max(self.fold_at, distinct):
            self._fold(lang)
        else:
            self._held[lang] = (distinct, appended)

    def _fold(self, lang: str | None) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        merged = pc.unique(pa.concat_arrays(self._parts[lang]))
        self._parts[lang] = [merged]
        self._held[lang] = (len(merged), 0)

    def lists(self) -> dict[str | None, list[str]]:
        """Each language's distinct tokens, in order of first appearance."""
        out: dict[str | None, list[str]] = {}
        for lang in list(self._parts):
            self._fold(lang)
            out[lang] = self._parts.pop(lang)[0].to_pylist()
        return out


def _distinct_tokens(table: Any) -> dict[str | None, Any]:
    """Each language's distinct tokens in a token table (``language``, ``tokens``), as Arrow strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    langs = table.column("language").to_pylist()
    out: dict[str | None, Any] = {}
    for lang, chosen in _language_rows(langs).items():
        column = table.column("tokens")
        if len(chosen) < len(langs):
            column = column.take(pa.array(chosen))
        found = []
        for chunk in column.chunks:
            flat = chunk.flatten()
            if pa.types.is_dictionary(flat.type):  # (read from Parquet: it may hold entries these rows do not use)
                flat = flat.dictionary.take(pc.unique(flat.indices))
            found.append(flat.cast(pa.string()))
        out[lang] = pc.unique(pa.concat_arrays(found)) if found else pa.array([], pa.string())
    return out


def _chosen(wanted: Iterable[str]) -> Any:
    import pyarrow as pa

    return pa.array(sorted(wanted), pa.string())


def _sample_batch(
    path: str, groups: tuple[int, ...], start: int, stop: int, chosen: Any, every_token: bool
) -> tuple[SampleBatch, dict[str | None, Any]]:
    """One batch's articles of the sample, and with ``every_token`` the distinct tokens of all its articles.

    The sample's articles come as (language, distinct tokens, token indices, lengths), per language.
    """
    import pyarrow.compute as pc

    table = _read_task(path, groups, start, stop, ["article_id", "language", "tokens"])
    tokens = _distinct_tokens(table) if every_token else {}
    table = table.filter(pc.is_in(table.column("article_id"), value_set=chosen))
    parts = [
        (lang, distinct, index.astype(np.int32), lengths.astype(np.int32))
        for lang, _rows, distinct, index, lengths in _languages(table)
    ]
    return parts, tokens


def _sample_task(task: tuple[str, tuple[int, ...], int, int]) -> tuple[SampleBatch, dict[str | None, Any]]:
    """First pass: the phrase sample's articles of one batch, read and encoded (top-level, for the engine)."""
    from analysis.engine import shared

    context: _Context = shared(task[0])
    return _sample_batch(context.tokens_path, task[1], task[2], task[3], context.wanted, context.every_token)


def run_stage(
    articles: Path,
    tokens_path: Path,
    out_dir: Path,
    interim: Path,
    options: KeywordOptions,
    tokenizer: Tokenizer,
    *,
    batch_size: int = 2000,
    engine: Engine | None = None,
    cache: Path | None = None,
    fresh: bool = False,
    cache_counts: dict[str, dict[str, int]] | None = None,
) -> dict[str, Any]:
    """Phrases, every article's terms (``interim/terms.parquet/``, a part per task, for topics), then the tables.

    Writes ``term_frequencies``, ``phrases``, ``distinctive_terms`` and ``rising_terms`` (Parquet)
    into ``out_dir``; returns counts for the manifest. The batches (about ``batch_size`` rows of
    the token table each) are tasks on ``engine`` (default: this process): first reading the
    phrase sample (and the distinct tokens, which then go through the tokenizer in chunks), then
    each batch's terms and its articles' term counts, combined here in batch order, so the outputs
    are the same whatever the engine and its number of workers. With ``cache`` (the folder of
    :mod:`analysis.cache`), a batch whose token rows an earlier build's task had, with the same
    phrases and spellings (a model given as ``options.model_file``, or learnt alike), has its terms
    read back (:data:`TERMS_CACHE`); ``fresh``: it starts empty; its use goes to ``cache_counts``.
    """
    from analysis.engine import SerialEngine, share
    from analysis.io.store import part_name, remove_path, replace_folder, write_part
    from analysis.schema import (
        DISTINCTIVE_COLUMNS,
        PHRASE_COLUMNS,
        RISING_COLUMNS,
        TERM_FREQUENCY_COLUMNS,
    )

    engine = engine or SerialEngine()
    meta = read_meta(articles)
    groups, key_list, counted_ids = group_index(meta, options.periods, include_duplicates=options.include_duplicates)
    del meta
    model: PhraseModel | None = None
    lexicon: dict[str | None, dict[str, str]] = {}
    spellings: dict[str | None, _Respelt] = {}
    if options.model_file:  # an earlier build's phrases and spellings: no sample read, nothing learnt
        model = PhraseModel.load(Path(options.model_file), tokenizer)
        spellings = model.respelt_
    elif options.phrases:
        # With workers, the first pass also reduces every distinct token once, for the second (those
        # the cleaning stage's workers reduced, or an earlier build's, are read from the lexicon).
        parallel = not isinstance(engine, SerialEngine)
        wanted = sample_ids(itertools.chain.from_iterable(chunked_ids(counted_ids)), options.phrase_sample)
        known = read_lexicon(interim / LEXICON_FILE, tokenizer) if parallel else {}
        model, lexicon, spellings = _fit_sample(
            tokens_path, wanted, tokenizer, options, batch_size, engine, interim, every_token=parallel, known=known
        )
        del known
    if isinstance(engine, SerialEngine):
        lexicon = {}  # this process reduced the tokens already
        (interim / LEXICON_FILE).unlink(missing_ok=True)  # and none from an earlier build is left to go stale
    elif lexicon:  # the corpus's vocabulary, for the topic stage and the next build
        terms = {lang: {t: None if w[0] == _STOP else w for t, w in words.items()} for lang, words in lexicon.items()}
        write_lexicon(interim / LEXICON_FILE, terms, tokenizer)
        del terms
    # (with workers and no phrases learnt, the lexicon cleaning left, if any, stays for the topic stage)
    n_counted = len(groups)
    del counted_ids
    # Each task writes its terms as a part of the table (one file per task, read as one table by
    # the topic stage, pandas and pyarrow): the main process neither receives nor writes them.
    staged = interim / f".{INTERIM_TERMS_FILE}.new"
    remove_path(staged)  # what a build that stopped on the way left
    staged.mkdir(parents=True)
    caches = None
    before = None
    if cache:
        fingerprint = terms_fingerprint(tokenizer, model.phrases_ if model is not None else None, spellings)
        caches = Caches(cache, {TERMS_CACHE: fingerprint}, fresh=fresh, files=[TERMS_CACHE])
        before = None if fresh else _Counted.read(interim / COUNTS_FILE)
    context = share(
        _Context(
            _tokenizer_spec(tokenizer),
            str(tokens_path),
            phrases=model.phrases_ if model is not None else None,
            groups=groups,
            lexicon=lexicon,
            terms_dir=str(staged),
            terms_before=str(interim / INTERIM_TERMS_FILE) if before is not None else None,
            spellings=spellings,
            cache=caches.refs[TERMS_CACHE] if caches else None,
            group_keys=key_list,
        ),
        interim / ".keywords_terms.pkl",
    )
    del groups, lexicon
    # With the cache, the counts start from the build before's total (before): a task whose part
    # of the term table is the one before's at its place counts only its articles whose groups
    # changed (as they are, and as they were, to be taken away), and the batches before that are
    # none of this build's are taken away whole.
    counter, taken = TermCounter(), TermCounter()  # the counts the tasks send, and those to take away
    batches: list[_Batch] = []
    earlier = before.batches if before else []
    paired: set[int] = set()  # the batches before that tasks had at their place
    whole: set[int] = set()  # those of them of the same part (the others paired row by row: see _by_rows)
    try:
        tasks = [
            (str(context), index, *task, earlier[index] if index < len(earlier) else None)
            for index, task in enumerate(_row_tasks(tokens_path, batch_size))
        ]
        for index, part in enumerate(engine.map(_terms_task, iter(tasks))):
            assert part.grouping is not None
            batches.append(_Batch(part_name(index), part.digest, part.grouping))
            if part.paired:
                paired.add(index)
                if not part.by_rows:
                    whole.add(index)
            if part.counts is not None:
                counter.add_counts(part.counts, part.grouping.groups)
            if part.taken is not None:
                taken.add_counts(part.taken, earlier[index].grouping.groups)
            if caches:
                caches.record(part.cache)
        if not tasks:  # a table with no rows still has its columns
            write_part(staged, 0, _terms_schema().empty_table())
        if before is not None:
            gone = [batch for i, batch in enumerate(earlier) if i not in paired]
            counter, again = _difference(before, counter, taken, gone, interim / INTERIM_TERMS_FILE, batches, staged)
            if again:
                whole.clear()  # (every batch counted again)
        else:
            counter.finish()
        replace_folder(staged, interim / INTERIM_TERMS_FILE)
        if caches:
            used = caches.finish()
            used[COUNTS_CACHE] = {"hits": len(whole), "added": len(batches) - len(whole)}
            if cache_counts is not None:
                cache_counts.update(used)
    except BaseException:
        remove_path(staged)  # the previous build's terms stay
        if caches:
            caches.close()
        raise
    finally:
        context.unlink(missing_ok=True)
    if cache:
        _Counted.of(counter, batches).write(interim / COUNTS_FILE)
    else:
        (interim / COUNTS_FILE).unlink(missing_ok=True)  # (it would not be this build's)
    phrases = model.table_ if model is not None else pd.DataFrame(columns=[c.name for c in PHRASE_COLUMNS])
    tables = [
        (counter.table(min_count=options.min_count, top=options.top_terms), TERMS_FILE, TERM_FREQUENCY_COLUMNS),
        (phrases, PHRASES_FILE, PHRASE_COLUMNS),
        (
            distinctive_terms(
                counter, options.distinctive_by, min_count=options.distinctive_min_count, top=options.distinctive_top
            ),
            DISTINCTIVE_FILE,
            DISTINCTIVE_COLUMNS,
        ),
        (
            rising_falling(
                counter,
                period_type=options.trend_period,
                window=options.trend_window,
                alpha=options.trend_alpha,
                min_count=options.trend_min_count,
                min_log_ratio=options.trend_min_log_ratio,
            ),
            RISING_FILE,
            RISING_COLUMNS,
        ),
    ]
    counts: dict[str, Any] = {"articles_counted": n_counted, "vocabulary": len(counter.vocabulary_)}
    if options.model_file:
        counts["model_file"] = options.model_file
    for frame, name, columns in tables:
        write_table(frame, out_dir / name, columns)
        counts[name.removesuffix(".parquet")] = len(frame)
    if model is not None:
        model.save(out_dir / KEYWORD_MODEL_FILE)
    else:
        (out_dir / KEYWORD_MODEL_FILE).unlink(missing_ok=True)  # an earlier build's phrases are not this one's
    return counts


def write_table(frame: pd.DataFrame, target: Path, columns: tuple[Any, ...]) -> None:
    """Write a DataFrame with exactly the described columns, in order and types, atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.io.store import atomic_path
    from analysis.schema import arrow_schema

    schema = arrow_schema(columns)
    data = {}
    for column in columns:
        values = frame[column.name] if column.name in frame else pd.Series([None] * len(frame))
        data[column.name] = _arrow_column(values, column.type)
    table = pa.Table.from_pydict(data, schema=schema)
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def _arrow_column(values: pd.Series, kind: Any) -> Any:
    """A column as an Arrow array of ``kind``, missing values (None, NaN, NaT) as nulls.

    Numbers, booleans, strings and naive timestamps are converted at once; anything else value by value.
    """
    import pyarrow as pa

    dtype = values.dtype
    try:
        if isinstance(dtype, np.dtype):
            if (dtype.kind in "iu" and pa.types.is_integer(kind)) or (dtype.kind == "b" and pa.types.is_boolean(kind)):
                return pa.array(values.to_numpy(), type=kind)
            if dtype.kind == "f" and pa.types.is_floating(kind):
                array = values.to_numpy()
                return pa.array(array, type=kind, mask=np.isnan(array))
            if dtype.kind == "M" and pa.types.is_timestamp(kind) and kind.tz is None:
                return pa.array(values.to_numpy(), type=kind, from_pandas=True)
            if dtype.kind == "O" and pa.types.is_string(kind):
                return pa.array(values.to_numpy(), type=kind, from_pandas=True)
        elif isinstance(dtype, pd.StringDtype) and pa.types.is_string(kind):
            return pa.array(values.to_numpy(dtype=object, na_value=None), type=kind)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    return pa.array([None if _missing(v) else v for v in values.tolist()], type=kind, from_pandas=True)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)
