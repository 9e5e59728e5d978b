import pytest

from analysis.language import LanguageDetector, LanguageOptions

detector = LanguageDetector()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le Maroc a participé au Sommet pour l'action en faveur de l'intelligence artificielle.", "fr"),
        ("Morocco's young technology companies are betting on artificial intelligence.", "en"),
        ("أعلنت وزارة التربية الوطنية عن إطلاق برنامج جديد لدعم التلاميذ", "ar"),
        ("El Gobierno de España aprobó ayer un nuevo plan de empleo juvenil.", "es"),
    ],
)
def test_detects_the_language(text, expected):
    result = detector.detect(text)
    assert (result.language, result.origin) == (expected, "detected")


def test_declared_language_kept_when_unsure_and_corrected_when_clear():
    assert detector.detect("Sommet", "fr").origin == "declared"
    corrected = detector.detect(
        "Tunisie : le gouvernement adopte le projet de loi de finances pour l'année prochaine", "en"
    )
    assert (corrected.language, corrected.origin) == ("fr", "detected")


def test_empty_text_keeps_the_declaration():
    assert detector.detect("", "ar").language == "ar"
    assert detector.detect(None).language is None


def test_unknown_language_code_is_an_error():
    with pytest.raises(ValueError, match="unknown ISO 639-1 code 'xx'"):
        LanguageDetector(LanguageOptions(languages=("fr", "xx"))).detect("bonjour tout le monde")
