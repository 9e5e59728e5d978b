"""Language of each article, detected with lingua among a configured set of languages.

Restricting lingua to the languages a corpus can contain makes it fast and more accurate. A
record's declared language is kept when detection is not confident (short headlines) and
replaced when the text clearly says otherwise (exports often declare one language for a whole
mixed-language outlet).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class LanguageOptions:
    languages: tuple[str, ...] = ("fr", "en", "ar", "es", "de", "it", "pt", "nl")
    min_confidence: float = 0.6
    max_chars: int = 2000


@dataclass(frozen=True)
class Detected:
    language: str | None
    confidence: float
    origin: str | None  # "detected", "declared", or None


class LanguageDetector:
    """Detects ISO 639-1 codes; ``detect(text, declared)`` decides between detection and declaration."""

    def __init__(self, options: LanguageOptions | None = None) -> None:
        self.options = options or LanguageOptions()

    @cached_property
    def _detector(self):  # lingua's detector type is not exported for annotations
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        languages = []
        for code in self.options.languages:
            try:
                languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
            except AttributeError as exc:
                raise ValueError(f"language.languages: unknown ISO 639-1 code {code!r}") from exc
        if len(languages) < 2:
            return None
        return LanguageDetectorBuilder.from_languages(*languages).build()

    def detect(self, text: str | None, declared: str | None = None) -> Detected:
        sample = (text or "")[: self.options.max_chars]
        if self._detector is None or len(sample.strip()) < 3:
            return Detected(declared, 0.0, "declared" if declared else None)
        values = self._detector.compute_language_confidence_values(sample)
        if not values:
            return Detected(declared, 0.0, "declared" if declared else None)
        best = values[0]
        code = best.language.iso_code_639_1.name.lower()
        confidence = round(float(best.value), 4)
        if confidence >= self.options.min_confidence or declared is None:
            return Detected(code, confidence, "detected")
        return Detected(declared, confidence, "declared")
