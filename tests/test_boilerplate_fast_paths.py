"""The shortcuts of boilerplate cleaning give what the straightforward computations give."""

from __future__ import annotations

import re
import string
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.boilerplate import (
    _HANGUL,
    _SEPARATOR_CHARS,
    _SEPARATORS,
    _TOKEN_EDGES,
    _UNSPACED,
    _UNSPACED_OR_HANGUL,
    _WORDS,
    BoilerplateRemover,
    _ascii_letters,
    _at_most_words,
    _caseless,
    _checks,
    _distributed,
    _guard,
    _hash,
    _match_rules,
    _may_be_key,
    _plan,
    _sentences,
    _text_plan,
    _uncased,
    _words,
    line_key,
    load_rules,
)
from analysis.text import fold

_EVERY = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]

# letters with and without accents, other scripts, digits of several kinds, what joins words,
# spaces of several kinds, combining marks and characters whose case or fold is special
_TRICKY = "aZéÉœßİıſKΣσςﬁ²½٣٤_-'’.,;:!?«»()[]|/•·»›\u0301\u0345ǰΐ"
_SPACES = " \t\n\u00a0\u2003\u3000\x1c"
texts = st.text(alphabet=st.sampled_from(list(string.ascii_letters + string.digits + _TRICKY + _SPACES)), max_size=60)


def test_token_edges_are_in_no_word():
    """Stripping them from a token cannot cut a word; what splits tokens is never in a word either."""
    assert not any(_WORDS.search(char) for char in _TOKEN_EDGES)
    assert not any(char.isspace() and _WORDS.search(char) for char in _EVERY)


@settings(max_examples=1500, deadline=None)
@given(texts)
def test_words_are_the_regex_words(text):
    # (the combining dot above, which `İ` leaves when lower-cased, taken out first: `i̇a` is one word)
    assert _words(text) == _WORDS.findall(text.replace("\u0307", ""))
    assert _words(text.lower()) == _WORDS.findall(text.lower().replace("\u0307", ""))


def test_the_scan_for_spaceless_or_hangul_letters_finds_either():
    for char in _EVERY:
        either = _UNSPACED.search(char) is not None or _HANGUL.search(char) is not None
        assert (_UNSPACED_OR_HANGUL.search(char) is not None) == either, char


@settings(max_examples=1000, deadline=None)
@given(texts, st.integers(0, 6))
def test_at_most_words_counts_as_the_regex(text, most):
    assert _at_most_words(text, most) == (len(_WORDS.findall(text)) <= most)


def test_uncased_strings_are_looked_for_as_they_are():
    """No character but itself has an ASCII non-letter in its caseless form."""
    for char in _EVERY:
        for folded in _caseless(char):
            if _uncased(folded):
                assert folded == char, (char, folded)


@settings(max_examples=1500, deadline=None)
@given(texts, texts)
def test_a_long_lines_key_is_computed_when_it_may_matter(line, other):
    """When ``_may_be_key`` says no, the line has words and is not the other key."""
    key = line_key(line)
    assert _ascii_letters(line) <= sum(1 for c in key if c in string.ascii_letters)
    for candidate in (line_key(other), key, None, ""):
        if not _may_be_key(line, candidate):
            assert key and key != candidate


# sentence ends, spaces of several kinds, what may open a sentence and what may not
_SENTENCE_PIECES = st.lists(
    st.sampled_from(
        [".", "!", "?", "…", "»", "«", '"', "“", "(", " ", "  ", "\t", "\u00a0", "A", "É", "Ý", "×", "a", "1", "x."]
    )
    | st.text(alphabet=_TRICKY + _SPACES, max_size=3),
    max_size=30,
).map("".join)


# the split `_sentences` replaced: the spaces after a sentence end, found by a lookbehind
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…»])\s+(?=[\"«“(]?[A-ZÀ-Ý0-9])")


@settings(max_examples=1500, deadline=None)
@given(_SENTENCE_PIECES)
def test_sentences_are_the_regex_split(text):
    assert _sentences(text) == _SENTENCE_SPLIT.split(text)


# lines around the signature's length: ASCII letters of 10 to 20, with tricky characters beside
_EDGE_LINES = st.lists(
    st.one_of(texts, st.text(alphabet=string.ascii_letters, min_size=10, max_size=20)), min_size=1, max_size=3
).map(" ".join)


@cache
def _remover() -> BoilerplateRemover:
    return BoilerplateRemover()


@settings(max_examples=1500, deadline=None)
@given(st.lists(_EDGE_LINES, max_size=4).map("\n".join))
def test_edge_keys_are_those_of_every_edge_line(text):
    """``_edge_keys`` skips the key of an edge line too long to be a signature: the same keys."""
    remover = _remover()
    lines = [line for line in text.split("\n") if line.strip()]
    low, high = remover.options.signature_min_chars, remover.options.repeat_min_chars
    keys = {line_key(lines[0]), line_key(lines[-1])} if lines else set()
    assert remover._edge_keys(text) == {_hash(k) for k in keys if low <= len(k) < high}


@settings(max_examples=1000, deadline=None)
@given(texts)
def test_separator_count_rules_out_link_lists(line):
    if sum(map(line.count, _SEPARATOR_CHARS)) < 3:
        assert len(_SEPARATORS.findall(line)) < 3


def test_distributed_alternatives():
    assert _distributed(r"^\s*(?:a|b\)|[)|]c)") == [r"^\s*a", r"^\s*b\)", r"^\s*[)|]c"]
    assert _distributed(r"(?:a|b)") == ["a", "b"]
    assert _distributed(r"^(?:a|b)x") == [r"^(?:a|b)x"]  # the group does not end the pattern
    assert _distributed(r"^(a|b)") == [r"^(a|b)"]  # a capturing group is left whole
    assert _distributed(r"^(?i:a|b)") == [r"^(?i:a|b)"]  # so is a group with flags
    assert _distributed(r"^(?:a|b)*") == [r"^(?:a|b)*"]
    assert _distributed(r"^x\(?:a|b\)") == [r"^x\(?:a|b\)"]  # escaped parentheses are no group


_USER_SPECS = [
    {"name": "tail_group", "pattern": r"^\W*(?:abonnez|suivez)(?:\s+nous|\s+vous)\W*$"},
    {"name": "scoped", "pattern": r"^(?:x(?-i:ABC)|(?i:dé)f)", "case_sensitive": True},
    {"name": "ascii", "pattern": r"(?a)^\w+\s(?:é|e)t[ée]$"},
    {"name": "classes", "pattern": r"^[^a-c\d][\s\S]?(?:[ſs]ur|\Dx)"},
    {"name": "empty_start", "pattern": r"^\W*(?:x)?$"},
    {"name": "lookbehind", "pattern": r"^(?<!z)(?=\w)(?:kelvin|ǰour)"},
    {"name": "anchored_span", "pattern": r"^\W*(?:suivez|abonnez)\s", "action": "span"},
]
USER_RULES = load_rules(_USER_SPECS)
USER_PLAN = _plan(USER_RULES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_guards_let_every_match_through(data):
    """A line a pattern matches opens with a character its guard lets through."""
    rules = [r for r in USER_RULES if r.action != "span" and r.name != "doubled_text"]
    rule = data.draw(st.sampled_from(rules))
    for check in _checks(rule.pattern):
        guard = _guard(check.pattern)
        if not guard:
            continue
        try:
            line = data.draw(st.from_regex(check.pattern))
        except Exception:  # a construct hypothesis cannot generate from
            continue
        if check.pattern.match(line):
            assert re.match(guard, line), (rule.name, check.pattern.pattern, guard, line)


def naive(rules, stripped):
    for rule in rules:
        if rule.action == "span":
            stripped = rule.pattern.sub("", stripped).strip()
            continue
        if rule.pattern.search(stripped):
            return f"rule:{rule.name}", stripped
    return None, stripped


_LINE_PIECES = st.one_of(
    st.sampled_from(["abonnez", "Suivez", "nous", "vous", "xABC", "déf", "DÉF", "été", "et", "sur", "ſur", "Kelvin"]),
    st.sampled_from(["ǰour", "KELVIN", "z", "x", "1", "!", "--", "«", " "]),
    st.text(alphabet=_TRICKY + "abcxyz ", max_size=3),
)


@settings(max_examples=600, deadline=None)
@given(
    st.lists(_LINE_PIECES, max_size=6).map(" ".join).map(str.strip), st.lists(_LINE_PIECES, max_size=6).map(" ".join)
)
def test_user_rules_match_as_each_regex_in_turn(line, other):
    matched, stripped = _match_rules(_text_plan(USER_PLAN, f"{other}\n{line}"), line)
    assert ((matched[1] if matched else None), stripped) == naive(USER_RULES, line)


def test_fold_keeps_ascii_letters():
    """What ``_ascii_letters`` relies on: folding lower-cases ASCII letters and keeps them."""
    assert fold(string.ascii_letters) == string.ascii_lowercase * 2
