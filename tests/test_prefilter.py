"""RE2's test of a regex at a line's start admits every line the regex matches (prefilter.py)."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import prefilter
from analysis.boilerplate import BoilerplateRemover, _plan
from analysis.prefilter import Opening, superset, utf8

# characters whose case or class is special: dotted and dotless i, long s, the Kelvin sign, the
# capital sharp s, final sigma, a ligature, digits and spaces of other scripts, combining marks
_TRICKY = "aAiIsSkKzZéÉœŒßẞİıſKΣσςﬁ٣²_-'’.,:!«»() \u00a0\u2003\u0301"
_LINES = st.text(alphabet=st.sampled_from(list("bcxyz01" + _TRICKY)), max_size=12)

# pieces of patterns: what the rules use (classes, categories, case-insensitive groups,
# lookarounds, word boundaries, repeats, alternations) over the same characters
_ATOMS = st.one_of(
    st.sampled_from(["a", "i", "s", "k", "é", "ß", "İ", "ı", "ſ", "K", "Σ", "ς", "ﬁ", "٣", " ", "'", r"\.", "-"]),
    st.sampled_from([r"\w", r"\W", r"\d", r"\D", r"\s", r"\S", ".", r"\b", r"\B"]),
    st.sampled_from(["[a-z]", "[^a-z]", "[A-Z]", "[^A-Z\\d]", "[éèê]", "[^\\W\\d_]", "[ſs]", "[^ß]", "[k-m]", "[İi]"]),
    st.sampled_from(["(?=[a-z])", "(?![sS])", "(?<=a)", "(?<!b)", "$", r"\Z"]),
)


@st.composite
def _patterns(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        atom = draw(_ATOMS) if depth >= 2 or draw(st.booleans()) else draw(_patterns(depth + 1))
        kind = draw(st.sampled_from(["", "", "?", "*", "+", "{2,3}", "{1,1001}", "group", "i", "-i", "alt"]))
        if kind == "group":
            atom = f"(?:{atom})"
        elif kind in ("i", "-i"):
            atom = f"(?{kind}:{atom})"
        elif kind == "alt":
            atom = f"(?:{atom}|{draw(_ATOMS)})"
        elif kind and not atom.startswith(("(?=", "(?!", "(?<", "$", r"\Z", r"\b", r"\B")):
            atom = f"(?:{atom}){kind}"
        parts.append(atom)
    return "".join(parts)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_patterns(), st.lists(_LINES, min_size=1, max_size=20), st.sampled_from([0, re.IGNORECASE, re.ASCII]))
def test_the_translation_admits_every_line_the_regex_matches(pattern, lines, flags):
    regex = re.compile(pattern, flags)
    opening = Opening(regex)
    assert opening.fast is not None, pattern  # (these patterns are all translatable)
    for line in lines:
        if regex.match(line):
            assert opening.fast(line.encode()), (pattern, flags, line, superset(pattern, flags))


def test_case_folding_is_pythons():
    """The characters RE2 would fold otherwise (or not at all) are admitted as ``re`` folds them."""
    for pattern, lines in [
        (r"(?i:i)", ["I", "i", "İ", "ı"]),  # re: İ lowers to i, ı is another case of i
        (r"(?i:s)x", ["Sx", "ſx"]),
        (r"(?i:k)", ["K", "\u212a"]),
        (r"(?i:[^a-z])", ["\u212a", "İ", "1"]),
        (r"(?i:ß)", ["ẞ"]),
        (r"(?i:σ)", ["Σ", "ς"]),
    ]:
        regex, opening = re.compile(pattern), Opening(re.compile(pattern))
        for line in lines:
            assert bool(regex.match(line)) <= bool(opening.match(line)), (pattern, line)


def test_what_re2_cannot_take_is_asked_of_the_regex():
    backreference = Opening(re.compile(r"(a)\1"))
    assert backreference.fast is None
    assert backreference.match("aa") and not backreference.match("ab")
    opening = Opening(re.compile(r"a\w*$"))
    assert opening.fast is not None
    assert utf8("a\nb") is None and utf8("a\ud800") is None
    assert opening.match("ab\n") and re.match(r"a\w*$", "ab\n")  # (Python's `$` before a final break)
    assert opening.match("a\ud800") is False  # (a lone surrogate: the regex's own answer)
    assert opening.match("abc") and not opening.match("bc")


def test_an_opening_pickles_and_is_made_again():
    opening = pickle.loads(pickle.dumps(Opening(re.compile(r"(?i)lire aussi"))))
    assert prefilter.opening(re.compile("x|y")) is prefilter.opening(re.compile("x|y"))  # (made once)
    assert opening.fast is not None and opening.match("LIRE AUSSI :") and not opening.match("Lire la suite")


def test_categories_are_pythons():
    """A category's code points are those ``re`` puts in it (checked on a spread of characters)."""
    for source, code in [(r"\w", "CATEGORY_WORD"), (r"\s", "CATEGORY_SPACE"), (r"\d", "CATEGORY_DIGIT")]:
        for ascii_only in (False, True):
            ranges = prefilter._category(getattr(prefilter._c, code), ascii_only)
            regex = re.compile(source, re.ASCII if ascii_only else 0)
            for point in [*range(0, 0x3000), *range(0xD700, 0xE100, 7), *range(0x10000, 0x110000, 997)]:
                if 0xD800 <= point <= 0xDFFF:
                    continue
                inside = any(lo <= point <= hi for lo, hi in ranges)
                assert inside == bool(regex.fullmatch(chr(point))), (source, ascii_only, hex(point))


def test_a_wide_class_is_written_with_few_ranges():
    written = prefilter._class(prefilter._category(prefilter._c.CATEGORY_WORD, False))
    assert written.count("-") <= prefilter._CLASS_RANGES + 10  # (the ASCII ranges are kept as they are)
    assert re.fullmatch(r"\[[0-9A-Za-z_\\x{}\-]+\]", written.replace("\\", "\\\\"))


_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "scraped-article.txt"


@pytest.mark.skipif(not _SEED.exists(), reason="the shared seed document is absent")
def test_cleaning_is_the_same_without_re2(monkeypatch):
    """The default rules with RE2's test and with the opening regexes alone remove the same lines."""
    text = _SEED.read_text(encoding="utf-8")
    texts = [text, text.upper(), text.replace("i", "İ"), "\n".join(reversed(text.splitlines()))]
    rules = BoilerplateRemover().rules_

    def cleaned() -> list[object]:
        _plan.cache_clear()
        prefilter._opening.cache_clear()
        remover = BoilerplateRemover()
        return [remover.clean(t, "seed") for t in texts]

    with_re2 = cleaned()
    assert any(o.fast is not None for o in _plan(rules).openings.values())
    monkeypatch.setattr(prefilter, "re2", None)
    without = cleaned()
    assert all(o.fast is None for o in _plan(rules).openings.values())
    _plan.cache_clear()
    prefilter._opening.cache_clear()
    assert with_re2 == without


_PIECES = st.text(
    alphabet=st.sampled_from(["a", "b", "é", " ", "ſ", "K", "İ", "\u0301", "\ud800"]), min_size=1, max_size=4
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12, unique=True), st.lists(_PIECES, max_size=10).map("".join))
def test_literals_found_are_the_strings_the_text_holds(strings, text):
    strings = [s for s in strings if "\ud800" not in s] or ["a"]
    found = prefilter.literals(strings)
    assert found is not None
    assert sorted(found.found(text)) == [i for i, s in enumerate(strings) if s in text]
    assert sorted(pickle.loads(pickle.dumps(found)).found(text)) == sorted(found.found(text))


def test_no_literals_without_strings():
    assert prefilter.literals([]) is None and prefilter.literals(["a", ""]) is None
