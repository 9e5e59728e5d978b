"""The shortcuts of ``analysis.text`` give exactly what running ftfy (and the plain normalisation) gives."""

from __future__ import annotations

import re
import unicodedata

import ftfy
import ftfy.badness
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import text as text_module
from analysis.text import _FTFY, _ftfy_may_change, _may_be_mojibake, fix_text, normalise


def reference_fix_text(text: str) -> str:
    """``fix_text`` as it was: its ASCII shortcut, else ftfy every time."""
    if text.isascii() and "&" not in text and not any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        return text
    return ftfy.fix_text(text, config=_FTFY)


def reference_normalise(text: str) -> str:
    text = re.sub("[’‘ʼʻ`´′]", "'", reference_fix_text(text))
    text = re.sub(r"[\u00ad\u200b\u2060\ufeff]", "", text)
    text = re.sub(r"[ \t\u00a0\u202f\u2007\u2009\u200a\u3000]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# every character ftfy's mojibake heuristic looks at, its fixers act on, and the usual text
_MOJIBAKE_CHARS = "".join(
    sorted(
        {
            chr(c)
            for part in ftfy.badness.MOJIBAKE_CATEGORIES.values()
            for c in [*range(0x80, 0x2600), 0xF8FF, 0xFFFD]
            if re.fullmatch(f"[{part}]", chr(c))
        }
    )
)
_ALPHABET = (
    _MOJIBAKE_CHARS
    + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"-()&#;<>\n\r\t"
    + "éèàçêôîûùëïœÉÀ«»’‘ʼʻ`´′“”…–—\u00a0\u202f\u00ad\u200b\ufeff\x00\x03\x1b\x7f\u0301\u2028ﬁﬂ"
)
# pieces of real mojibake, so that the samples are not only noise
_PIECES = [
    "Ã©",
    "Ã¨",
    "Ã ",
    "Ã§",
    "â€™",
    "â€œ",
    "â€\x9d",
    "Â\u00a0",
    "Â«",
    "&amp;",
    "&eacute;",
    "&#8217;",
    "Ã¢â‚¬â„¢",
    "Ð¿Ñ€Ð¸Ð²ÐµÑ‚",
    "ÃƒÂ©",
    "Ã\n",
    "\nÃ ",
    "\nÂ ",
    "l’été",
    "Cafe\u0301",
    "cœur",
]
texts = st.lists(st.one_of(st.text(alphabet=_ALPHABET, max_size=12), st.sampled_from(_PIECES)), max_size=12).map(
    "".join
)


@pytest.mark.parametrize(
    "raw",
    [
        "Ã©tÃ©",
        "â€™",
        "&amp;",
        "l’Ã©tÃ© de l’Ã©conomie",
        "Tunisie&#8217;s &amp; Maroc",
        "R&D et AT&T",
        "Cafe\u0301",
        "sans\x03 contrôle",
        "« guillemets » et l’apostrophe",
        "premier\nÃ la ligne",  # ftfy's detector sees a line start, not just the text's
        "1\nÂ ",
        "voilÃ le travail",
        "a\r\nb é",
        "ﬁn",
        "x\ud800y",
        "\x1b[31mrouge\x1b[0m é",
        "",
        "déjà vu",
    ],
)
def test_fix_text_cases(raw):
    assert fix_text(raw) == reference_fix_text(raw)
    assert normalise(raw) == reference_normalise(raw)


def test_every_apostrophe_becomes_a_straight_one():
    text = "l’été, l‘x, lʼa, lʻb, l`c, l´d, l′e"
    assert normalise(text) == reference_normalise(text) == "l'été, l'x, l'a, l'b, l'c, l'd, l'e"


def test_plain_text_skips_ftfy():
    assert not _ftfy_may_change("L’été sera chaud à Rabat, selon « Le Matin » : 35 °C.")
    assert _ftfy_may_change("Ã©tÃ©")
    assert _ftfy_may_change("&amp;")


@settings(max_examples=400, deadline=None)
@given(texts)
def test_fix_text_is_ftfy(text):
    assert fix_text(text) == reference_fix_text(text)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_normalise_is_unchanged(text):
    assert normalise(text) == reference_normalise(text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_mojibake_hint_finds_whatever_ftfy_would(text):
    """ftfy checks each line (with its line break) alone: the hint must match wherever one is bad."""
    lines = text.splitlines(keepends=True) or [text]
    if any(ftfy.badness.is_bad(line) for line in text.split("\n")) or any(ftfy.badness.is_bad(x) for x in lines):
        assert _may_be_mojibake(text)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_skipping_is_a_no_op(text):
    if not _ftfy_may_change(text):
        assert ftfy.fix_text(text, config=_FTFY) == text


def test_hint_without_its_ftfy_version_falls_back(monkeypatch):
    monkeypatch.setattr(text_module, "_MOJIBAKE_HINT", None)
    assert _may_be_mojibake("Ã©tÃ©")
    assert _may_be_mojibake("1\nÃ la")
    assert not _may_be_mojibake("l’été")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeiouAEIOUéèàçÉÀœŒǅǢǕøĳ\u0301 .-1", max_size=40))
def test_fold_is_unchanged(text):
    from analysis.text import _COMBINING, _FOLD, _FOLD_CHARS, fold

    expected = text.casefold()
    if not expected.isascii():
        expected = _FOLD_CHARS.sub(lambda m: _FOLD[ord(m.group())], expected)
    if not expected.isascii() and _COMBINING.search(expected):
        expected = "".join(ch for ch in unicodedata.normalize("NFD", expected) if not unicodedata.combining(ch))
    assert fold(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeÉàœǅßİﬁάΣ\u0301\u0307 .-1_😀𝔘\ud800", max_size=40) | st.text(max_size=30))
def test_fold_points_are_fold(text):
    """By the table or through ``fold``: the same code points, whatever characters sit together
    (an İ whose case folding brings a combining dot makes ``fold`` strip the ά of the same text)."""
    from analysis.text import fold, fold_points

    points = fold_points(text)
    assert points.dtype == "uint32"
    assert points.tobytes().decode("utf-32-le", "surrogatepass") == fold(text)


def test_fold_points_of_a_latin_text_come_from_the_table(monkeypatch):
    from analysis import text as module

    def no_fold(_: str) -> str:
        raise AssertionError("fold called")

    module._point_folds()  # the table, built with fold before it is replaced
    monkeypatch.setattr(module, "fold", no_fold)
    assert module.fold_points("Été à Fès, l'œuvre").tobytes().decode("utf-32-le") == "ete a fes, l'œuvre"


def test_bmp_tables_are_each_characters_answer():
    import numpy as np

    from analysis.text import bmp_class_table, bmp_table, runs

    for char_class in (r"\w", r"[\W\d_]"):
        pattern = re.compile(char_class)
        table = bmp_class_table(char_class)
        assert table.tolist() == [pattern.match(chr(code)) is not None for code in range(0x10000)]
    assert bmp_table("isupper").tolist() == [chr(code).isupper() for code in range(0x10000)]
    starts, ends = runs(np.array([True, True, False, True, False, False, True]))
    assert starts.tolist() == [0, 3, 6] and ends.tolist() == [2, 4, 7]
    assert [a.tolist() for a in runs(np.zeros(0, dtype=bool))] == [[], []]
