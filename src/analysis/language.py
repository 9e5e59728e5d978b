"""Language of each article, detected with lingua among a configured set of languages.

Restricting lingua to the languages a corpus can contain makes it fast and more accurate. A
record's declared language is kept when detection is not confident (short headlines) and
replaced when the text clearly says otherwise (exports often declare one language for a whole
mixed-language outlet).
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
    max_chars: int = 1000


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
        samples = [(t or "")[: self.options.max_chars] for t in texts]
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
