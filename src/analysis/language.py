"""Language of each article, detected with lingua among a configured set of languages.

Restricting lingua to the languages a corpus can contain makes it fast and more accurate. A
record's declared language is kept when detection is not confident (short headlines) and
replaced when the text clearly says otherwise (exports often declare one language for a whole
mixed-language outlet).

lingua's time grows with the length of what it reads, so it reads a sample of a long article:
``max_chars`` characters in ``windows`` pieces spread evenly over the text, each from a word's
start to a word's end. A spread sample follows the language most of the article is in, where
its first characters alone can be a caption or a quotation in another (see :func:`sample`).

Restricted to a set, lingua puts a text of another language in the nearest of the set (a Czech
article reads as Spanish with confidence 0.999, a Polish one as English). So a text detected in a
language whose stopwords (stopwords-iso) are fewer than ``min_stopword_share`` of its words, or to
which the set gave no answer, is detected again among the set and ``others``: it gets its own code
(``cs``) when that detection is confident, else its declared language, else none.

lingua also reads names as words of their language: a French caption naming the Bundestag, the
Bundeswehr and German officials is German to it with confidence 1.0. A text whose words are
stopwords of another configured language (at least ``min_stopword_share`` of them, and 1.5 times
the detected language's share) is read again without its capitalised words, and takes that
reading when it is confident.

Some languages are so close that lingua's choice between them follows a few words (Malay and
Indonesian, Bosnian, Croatian and Serbian, Danish and Norwegian): for a text detected as one of
such a group (``close``), the outlet's country decides when it has another of the group as an
official language (CLDR's, through babel) and not the one detected (a Malaysian paper's text read
as Indonesian is Malay; an Indonesian one's read as Malay, Indonesian).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

#: Languages recognised besides the configured ones, so that an article in one of them is not
#: put in the nearest configured language (lingua's ISO 639-1 codes; nb is Norwegian Bokmål).
OTHER_LANGUAGES = (
    "bg", "ca", "cs", "da", "el", "fa", "fi", "he", "hi", "hr", "hu", "id", "ja", "ko", "nb", "pl",
    "ro", "ru", "sk", "sr", "sv", "sw", "tr", "uk", "vi", "zh", "ur", "bn", "th", "tl", "ms",
    "bs", "sl", "mk", "sq", "lt", "lv", "et",
)  # fmt: skip
#: Groups of languages lingua tells apart by a few words, where the outlet's country decides.
CLOSE_LANGUAGES = (("id", "ms"), ("bs", "hr", "sr"), ("da", "nb"))
#: A text of fewer words is not judged by its stopwords (a headline has few).
_MIN_WORDS = 8
#: Words of two letters or more, not after an apostrophe: a letter alone (Polish `w`, `z`, `i`,
#: which stopwords-iso's English list has) and a suffix (Turkish `Rusya'dan`, `X'te`, Spanish
#: `dan`, `te`) would count as another language's stopwords.
_WORDS = re.compile(r"(?<![\w'’])[^\W\d_]{2,}")


@dataclass(frozen=True)
class LanguageOptions:
    languages: tuple[str, ...] = ("fr", "en", "ar", "es", "de", "it", "pt", "nl")
    min_confidence: float = 0.6
    max_chars: int = 500
    windows: int = 8
    min_stopword_share: float = 0.15
    others: tuple[str, ...] = OTHER_LANGUAGES
    close: tuple[tuple[str, ...], ...] = CLOSE_LANGUAGES

    def __post_init__(self) -> None:
        if not 1 <= self.windows <= self.max_chars:
            raise ValueError(f"windows ({self.windows}) must be at least 1 and at most max_chars ({self.max_chars})")
        _lingua_languages(self.others, "others")  # (a wrong code fails here, not in the middle of a build)
        # (TOML's lists of lists arrive as lists)
        object.__setattr__(self, "close", tuple(tuple(group) for group in self.close))
        for group in self.close:
            _lingua_languages(group, "close")

    @property
    def close_to(self) -> dict[str, tuple[str, ...]]:
        """Each language of a ``close`` group: the others of its group that can be detected."""
        known = {*self.languages, *self.others}
        return {
            code: tuple(other for other in group if other != code and other in known)
            for group in self.close
            for code in group
        }


@dataclass(frozen=True)
class Detected:
    language: str | None
    confidence: float
    origin: str | None  # "detected", "declared", or None


class LanguageDetector:
    """Detects ISO 639-1 codes; ``detect(text, declared)`` decides between detection and declaration."""

    def __init__(self, options: LanguageOptions | None = None) -> None:
        self.options = options or LanguageOptions()

    @property
    def _detector(self) -> Any:
        return _build_detector(tuple(self.options.languages))

    @property
    def _broad_detector(self) -> Any:
        """The configured languages and the others (built when a text first needs it)."""
        return _build_detector(tuple(dict.fromkeys((*self.options.languages, *self.options.others))), "others")

    def detect(self, text: str | None, declared: str | None = None, country: str | None = None) -> Detected:
        return self.detect_many([text], [declared], [country])[0]

    def detect_many(
        self,
        texts: Sequence[str | None],
        declared: Sequence[str | None],
        countries: Sequence[str | None] | None = None,
    ) -> list[Detected]:
        """Detect a batch at once (lingua works on it in parallel); ``countries``, the outlets'
        (ISO 3166-1 alpha-2 or none), decide between close languages."""
        samples = [sample(t or "", self.options.max_chars, self.options.windows) for t in texts]
        usable = [i for i, s in enumerate(samples) if len(s.strip()) >= 3]
        results = [Detected(d, 0.0, "declared" if d else None) for d in declared]
        if self._detector is None or not usable:
            return results
        values = self._detector.compute_language_confidence_values_in_parallel([samples[i] for i in usable])
        unanswered = []
        for i, confidences in zip(usable, values, strict=True):
            if confidences and confidences[0].value > 0:
                results[i] = self._decide(confidences[0], declared[i])
            else:  # (a text in a script none of the set writes: every confidence is 0)
                unanswered.append(i)
        share = self.options.min_stopword_share
        configured = self.options.languages
        checked = tuple(dict.fromkeys((*configured, *self.options.others)))
        named, doubtful = [], []
        for i in usable:
            if results[i].origin != "detected":
                continue
            found = stopword_share(samples[i], results[i].language)
            rival, rival_share = _stopword_rival(samples[i], found, results[i].language, checked)
            if rival in configured and rival_share >= share:
                named.append(i)
            if found < share or (rival is not None and rival not in configured):
                doubtful.append(i)
        settled = self._detect_without_names(named, samples, results)
        if self.options.others:
            doubtful = [i for i in doubtful if i not in settled]
            self._detect_again(sorted([*unanswered, *doubtful]), samples, declared, results)
        if countries is not None and self.options.close:
            close_to = self.options.close_to
            for i, country in enumerate(countries):
                result = results[i]
                if country and result.origin == "detected" and close_to.get(result.language or ""):
                    code = _country_language(result.language or "", close_to[result.language or ""], country)
                    results[i] = Detected(code, result.confidence, result.origin)
        return results

    def _detect_without_names(self, indices: list[int], samples: list[str], results: list[Detected]) -> set[int]:
        """``results[i]`` for each of ``indices`` (texts whose words are another configured language's
        stopwords more than the detected one's) from their words without a capital, among the
        configured languages, when that detection is confident; the indices so settled.

        lingua reads names as words of their language: a French caption naming the Bundestag, the
        Bundeswehr and two German officers is German to it with confidence 1.0, and French once
        they are left out."""
        settled: set[int] = set()
        kept = [(i, text) for i in indices if len(_WORDS.findall(text := _without_capitals(samples[i]))) >= _MIN_WORDS]
        if not kept or self._detector is None:
            return settled
        values = self._detector.compute_language_confidence_values_in_parallel([text for _, text in kept])
        for (i, _), confidences in zip(kept, values, strict=True):
            best = confidences[0] if confidences else None
            if best is not None and best.value >= self.options.min_confidence:
                results[i] = Detected(
                    best.language.iso_code_639_1.name.lower(), round(float(best.value), 4), "detected"
                )
                settled.add(i)
        return settled

    def _detect_again(
        self, indices: list[int], samples: list[str], declared: Sequence[str | None], results: list[Detected]
    ) -> None:
        """``results[i]`` for each of ``indices`` from the configured and the other languages: the
        language found when it is confident, else the declared one, else none."""
        if not indices:
            return
        values = self._broad_detector.compute_language_confidence_values_in_parallel([samples[i] for i in indices])
        for i, confidences in zip(indices, values, strict=True):
            best = confidences[0] if confidences else None
            if best is not None and best.value >= self.options.min_confidence:
                results[i] = Detected(
                    best.language.iso_code_639_1.name.lower(), round(float(best.value), 4), "detected"
                )
            else:
                confidence = 0.0 if best is None else round(float(best.value), 4)
                results[i] = Detected(declared[i], confidence, "declared" if declared[i] else None)

    def _decide(self, best: Any, declared: str | None) -> Detected:
        code = best.language.iso_code_639_1.name.lower()
        confidence = round(float(best.value), 4)
        if confidence >= self.options.min_confidence or declared is None:
            return Detected(code, confidence, "detected")
        return Detected(declared, confidence, "declared")


def sample(text: str, max_chars: int, windows: int = 1) -> str:
    """What lingua reads of ``text``: all of it up to ``max_chars``, else ``windows`` pieces of
    ``max_chars // windows`` characters, evenly spaced from its start to its end, joined by spaces.

    A piece starts after a space (unless it is the text's start) and ends before one, where the
    piece has one, so that no piece begins or ends in the middle of a word.
    """
    if len(text) <= max_chars:
        return text
    if windows <= 1:
        return text[:max_chars]
    width = max_chars // windows
    step = (len(text) - width) / (windows - 1)
    pieces = []
    for j in range(windows):
        start = round(j * step)
        stop = start + width
        if start:
            space = text.find(" ", start, stop)
            start = space + 1 if space >= 0 else start
        if stop < len(text):
            space = text.rfind(" ", start, stop)
            stop = space if space > start else stop
        pieces.append(text[start:stop])
    return " ".join(pieces)


def stopword_share(text: str, language: str | None) -> float:
    """The share of ``text``'s words that are stopwords of ``language`` (stopwords-iso); 1.0 when
    that cannot tell (fewer than ``_MIN_WORDS`` words, or no list for the language)."""
    from analysis.tokens import iso_stopwords

    words = _WORDS.findall(text.lower())
    stopwords = iso_stopwords(language) if language else frozenset()
    if len(words) < _MIN_WORDS or not stopwords:
        return 1.0
    return sum(map(stopwords.__contains__, words)) / len(words)


#: how many times the share of the found language's stopwords another language's must be for the
#: text to be detected again: a Slovenian paragraph (Delo's) was 0.20 German stopwords (`in`, `so`,
#: `je`, `na`, `da`), over `min_stopword_share`, and 0.38 Slovenian ones
_OTHER_MARGIN = 1.5
#: a text whose share of the found language's stopwords is this or more is not checked: another
#: language's would have to cover 1.5 times as much, 0.6 of its words, which none does (French and
#: English news texts: a median share of 0.47; checking them all cost 55 µs a text and re-detected
#: none of 3,000)
_OTHER_CHECK_BELOW = 0.4


def _stopword_rival(text: str, found: float, language: str | None, codes: tuple[str, ...]) -> tuple[str | None, float]:
    """The language of ``codes`` other than ``language`` whose stopwords are the largest share of
    ``text``'s words (of ``_MIN_WORDS`` or more), and that share, when it is ``_OTHER_MARGIN``
    times the share ``found`` of ``language``'s; else (None, 0.0). Ties go to the first in ``codes``."""
    if not codes or found >= _OTHER_CHECK_BELOW:
        return None, 0.0
    words = _WORDS.findall(text.lower())
    if len(words) < _MIN_WORDS:
        return None, 0.0
    index = _stopword_index(codes)
    counts = dict.fromkeys(codes, 0)
    for word in words:
        for code in index.get(word, ()):
            counts[code] += 1
    counts.pop(language or "", None)
    best = max(counts, key=counts.__getitem__, default=None)  # (the first of the largest)
    if best is None or not counts[best] or counts[best] / len(words) < _OTHER_MARGIN * found:
        return None, 0.0
    return best, counts[best] / len(words)


def _without_capitals(text: str) -> str:
    """``text``'s words that do not open with a capital letter (names, mostly)."""
    return " ".join(word for word in text.split() if not word[:1].isupper())


@cache
def _stopword_index(codes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each stopword (stopwords-iso) of ``codes`` with the languages holding it (made once)."""
    from analysis.tokens import iso_stopwords

    index: dict[str, list[str]] = {}
    for code in codes:
        for word in iso_stopwords(code):
            index.setdefault(word, []).append(code)
    return {word: tuple(langs) for word, langs in index.items()}


@cache
def official_languages(country: str) -> tuple[str, ...]:
    """The official and de facto languages of a country (CLDR's, through babel), a script's
    variant as its language (`sr_Latn`: `sr`); none for a code CLDR does not know."""
    from babel.languages import get_official_languages

    try:
        found = get_official_languages(country.upper(), de_facto=True)
    except (KeyError, ValueError):
        return ()
    return tuple(dict.fromkeys(code.split("_")[0] for code in found))


def _country_language(language: str, close: tuple[str, ...], country: str) -> str:
    """``language``, or the one of ``close`` that is an official language of ``country`` when
    ``language`` is not (:func:`official_languages`)."""
    official = official_languages(country)
    if language in official:
        return language
    chosen = [code for code in close if code in official]
    return chosen[0] if len(chosen) == 1 else language


@cache
def _build_detector(codes: tuple[str, ...], option: str = "languages") -> Any:
    """One lingua detector per set of languages, shared by the process (its models load once)."""
    from lingua import LanguageDetectorBuilder

    languages = _lingua_languages(codes, option)
    if len(languages) < 2:
        return None
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _lingua_languages(codes: Sequence[str], option: str) -> list[Any]:
    """lingua's languages of ISO 639-1 ``codes``; a ValueError naming the ``option`` for a code it lacks."""
    from lingua import IsoCode639_1, Language

    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except AttributeError as exc:
            raise ValueError(f"language.{option}: unknown ISO 639-1 code {code!r}") from exc
    return languages
