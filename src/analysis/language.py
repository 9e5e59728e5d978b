"""Language of each article, detected with lingua among a configured set of languages.

Restricting lingua to the languages a corpus can contain makes it fast and more accurate. A
record's declared language is kept when detection is not confident (short headlines) and
replaced when the text clearly says otherwise (exports often declare one language for a whole
mixed-language outlet).

lingua's time grows with the length of what it reads, so it reads a sample of a long article:
``max_chars`` characters in ``windows`` pieces spread evenly over the text, each from a word's
start to a word's end. A spread sample follows the language most of the article is in, where
its first characters alone can be a caption or a quotation in another (see :func:`sample`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class LanguageOptions:
    languages: tuple[str, ...] = ("fr", "en", "ar", "es", "de", "it", "pt", "nl")
    min_confidence: float = 0.6
    max_chars: int = 500
    windows: int = 8

    def __post_init__(self) -> None:
        if not 1 <= self.windows <= self.max_chars:
            raise ValueError(f"windows ({self.windows}) must be at least 1 and at most max_chars ({self.max_chars})")


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

    def detect(self, text: str | None, declared: str | None = None) -> Detected:
        return self.detect_many([text], [declared])[0]

    def detect_many(self, texts: Sequence[str | None], declared: Sequence[str | None]) -> list[Detected]:
        """Detect a batch at once (lingua works on it in parallel)."""
        samples = [sample(t or "", self.options.max_chars, self.options.windows) for t in texts]
        usable = [i for i, s in enumerate(samples) if len(s.strip()) >= 3]
        results = [Detected(d, 0.0, "declared" if d else None) for d in declared]
        if self._detector is None or not usable:
            return results
        values = self._detector.compute_language_confidence_values_in_parallel([samples[i] for i in usable])
        for i, confidences in zip(usable, values, strict=True):
            if confidences:
                results[i] = self._decide(confidences[0], declared[i])
        return results

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


@cache
def _build_detector(codes: tuple[str, ...]) -> Any:
    """One lingua detector per set of languages, shared by the process (its models load once)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except AttributeError as exc:
            raise ValueError(f"language.languages: unknown ISO 639-1 code {code!r}") from exc
    if len(languages) < 2:
        return None
    return LanguageDetectorBuilder.from_languages(*languages).build()
