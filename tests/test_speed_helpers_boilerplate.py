"""Boilerplate rules are matched as trying every rule's regex in turn would match them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.boilerplate import (
    _CASE_CHECKED,
    BoilerplateRemover,
    Rule,
    _caseless,
    _checks,
    _match_rules,
    _plan,
    _present,
    _text_plan,
    _top_level_branches,
    load_rules,
)

RULES = load_rules()


def naive(rules: tuple[Rule, ...], stripped: str) -> tuple[str | None, str]:
    """What ``classify`` did: every rule's regex in turn, span rules cutting the line."""
    for rule in rules:
        if rule.action == "span":
            stripped = rule.pattern.sub("", stripped).strip()
            continue
        if rule.pattern.search(stripped):
            return f"rule:{rule.name}", stripped
    return None, stripped


def fast(rules: tuple[Rule, ...], text: str, stripped: str) -> tuple[str | None, str]:
    plan = _plan(rules)  # (one a set of rules: _plan keeps them)
    matched, line = _match_rules(_text_plan(plan, text), stripped)  # type: ignore[arg-type]
    return (matched[1] if matched else None), line


# words the rules look for, in every script (Cyrillic, Greek, Vietnamese letters are looked for by
# their strings too: see _CASE_CHECKED), and the characters around them, so that samples often match
_WORDS = sorted(
    {w for rule in RULES for w in re.findall(r"[^\W\d_]{2,}", rule.pattern.pattern)}
    | {"©", "[12]", "(BUTTON)", "/", "_____", '"@type":', "\\u00e9", "{", "}", ";", "=>", "$('", "http://x.fr"}
)
_PIECES = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from([w.upper() for w in _WORDS] + [w.capitalize() for w in _WORDS]),
    st.text(alphabet=" .,:;!?'’«»()[]/|-–—0123456789éàÉİıſK\u00a0", max_size=4),
    st.text(max_size=3),
)
lines = st.lists(_PIECES, max_size=14).map(" ".join).map(str.strip)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines, lines)
def test_rules_match_as_each_regex_in_turn(line, other):
    text = f"{other}\n{line}\n"
    assert fast(RULES, text, line) == naive(RULES, line)


_STRINGS = sorted({string for string, _ in _plan(RULES).strings})


@settings(max_examples=800, deadline=None)
@given(st.lists(_PIECES | st.sampled_from(_STRINGS + [w.upper() for w in _STRINGS]), max_size=20).map("".join))
def test_strings_present_are_those_in_the_text(text):
    """The automata find exactly the strings ``in`` finds, in the text or its caseless form (the
    strings overlap, nest and repeat in these texts)."""
    plan = _plan(RULES)
    caseless = _caseless(text)
    expected = sum(1 << i for i, (s, c) in enumerate(plan.strings) if s in (caseless if c else text))  # type: ignore[attr-defined]
    assert _present(plan, text) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "line",
    [
        "Lire aussi : le Maroc et l'Espagne",
        "Copyright © 2024 Le Matin. Tous droits réservés",
        "COPYRIGHT © 2024",
        "Nous utilisons des cookies pour améliorer votre expérience",
        "Inscrivez-vous à notre newsletter",
        "Codes promo Fnac",
        "GEERT VANDEN WIJNGAERT / AP",
        "(BUTTON) Fermer",
        "IFRAME: https://www.youtube.com",
        'var x = "y";',
        "}",
        '{"@context": "https://schema.org", "@type": "NewsArticle"}',
        "Texte [12] avec renvoi",
        "[12] Lire aussi",
        "Par Jean Dupont",
        "bonjour bonjour",
        "Le président a déclaré mardi que la situation était préoccupante.",
        "ſubscribe to our newsletter",  # long s: "s" to re.IGNORECASE
        "Tous droİts réservés",  # dotted capital I: "i"
    ],
)
def test_rule_examples(line):
    assert fast(RULES, line, line) == naive(RULES, line)


def test_user_rules_with_flags_and_references():
    extra = [
        {"name": "inline", "pattern": "(?i)^\\W*achetez\\b.*$"},
        {"name": "ref", "pattern": "(\\w+) et \\1|^zz"},
        {"name": "scoped", "pattern": "^x(?-i:ABC)|def", "case_sensitive": True},
        {"name": "named", "pattern": "^(?P<a>truc)\\b|(?P<b>machin)$"},
        {"name": "named2", "pattern": "^(?P<a>chose)"},
    ]
    rules = load_rules(extra)
    for line in ["Achetez maintenant", "vite et vite", "zz top", "xABC", "xabc", "undef", "truc", "le machin", "chose"]:
        assert fast(rules, line, line) == naive(rules, line)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_needed_strings_are_in_every_match(data):
    """Lines generated to match a rule's regex hold one of the strings its check needs."""
    rule = data.draw(st.sampled_from([r for r in RULES if r.name not in ("doubled_text",)]))
    for check in _checks(rule.pattern, split=rule.action != "span"):
        if not check.strings:
            continue
        try:
            line = data.draw(st.from_regex(check.pattern))
        except Exception:  # a construct hypothesis cannot generate from
            continue
        if check.pattern.search(line):
            hay = _caseless(line) if check.caseless else line
            assert any(s in hay for s in check.strings), (rule.name, line, check.strings)


def test_caseless_form_agrees_with_ignorecase():
    """Two characters equal to re.IGNORECASE have the same caseless form (for those a string may hold)."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    cased = [chr(c) for c in range(_CASE_CHECKED) if chr(c).lower() != chr(c).upper()]
    matching = set(re.findall(f"[{''.join(map(re.escape, cased))}]", every, re.IGNORECASE))
    for char in cased:
        for other in matching:
            if re.fullmatch(re.escape(char), other, re.IGNORECASE):
                assert _caseless(other) == _caseless(char), (char, other)
    assert all(len(_caseless(chr(c))) == 1 for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def test_top_level_branches():
    assert _top_level_branches(r"a|(b|c)|[|]|\||[]|]|d") == ["a", "(b|c)", "[|]", r"\|", "[]|]", "d"]


def test_clean_unchanged_on_a_small_corpus():
    texts = [
        "Par Jean Dupont\n\nLe président a déclaré mardi que la situation était préoccupante [1].\n"
        "Lire aussi : autre chose\nCopyright © 2024 Le Matin\nPartager sur Facebook",
        "var x = 1;\n}\nUn texte assez long pour être du corps, avec des mots et des phrases. Il continue ici.",
    ]
    remover = BoilerplateRemover().fit(texts, ["a", "a"])
    for text in texts:
        units = remover._units(text)
        for unit in units:
            stripped = unit.text.strip()
            assert fast(remover.rules_, text, stripped) == naive(remover.rules_, stripped)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab .!?»)':12/h:\n\u00a0\u2003٣", max_size=30))
def test_ends_with_is_search(text):
    from analysis.boilerplate import _SENTENCE_END, _STAMP_END, _ends_with

    assert _ends_with(_STAMP_END, text, 10) == (_STAMP_END.search(text) is not None)
    assert _ends_with(_SENTENCE_END, text, 1) == (_SENTENCE_END.search(text) is not None)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab Éé12٣_-.,;!?’'\u00a0\t\n%ſİ", max_size=30))
def test_line_key_is_unchanged(line):
    from analysis.boilerplate import line_key
    from analysis.text import fold

    assert line_key(line) == re.sub(r"\W+", " ", re.sub(r"\d+", "0", fold(line))).strip()


def test_rules_are_looked_for_by_their_strings_in_every_script():
    """Only a rule of a back-reference (`doubled_text`) is tried on every line: a rule of Greek,
    Cyrillic or Vietnamese words, or with a part matched with its case (`(?-i:Follow)`) in a
    pattern matched ignoring it, gives the strings its matches hold (before, none: tried on every
    line, and a span rule so kept every later rule from being dropped by its strings)."""
    always = [
        r.name for r in RULES for c in _checks(r.pattern, split=r.action != "span") if not c.strings and not c.opening
    ]
    assert always == ["doubled_text"]
    cyrillic = _checks(re.compile(r"^\W*(?:все права защищены|усі права захищені)\W*$", re.IGNORECASE))[0]
    assert set(cyrillic.strings) == {"все права защищены", "усі права захищені"}
    greek = _checks(re.compile(r"^\W*αποδοχή όλων\W*$", re.IGNORECASE))[0]
    assert greek.strings == (_caseless("ΑΠΟΔΟΧΉ ΌΛΩΝ"),)
    cased = _checks(re.compile(r"\s+(?-i:Follow)\s+\w+ on (?:x|telegram)\W*$", re.IGNORECASE), split=False)[0]
    assert cased.strings == ("follow",)


_FIXTURES = Path(__file__).parent / "fixtures"


def test_press_fixtures_lines_match_as_each_regex_in_turn():
    """Every line of the press audits' scraped texts (junk of many sites, in many languages), tried
    with the plan of its whole text (which leaves out the rules whose strings the text lacks) and
    with the plan of the line alone: as every regex in turn."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(_FIXTURES.glob("*/raw/**/*.txt"))]
    assert len(texts) > 50
    tried = 0
    for text in texts:
        for line in {raw.strip() for raw in text.splitlines() if raw.strip()}:
            expected = naive(RULES, line)
            assert fast(RULES, text, line) == expected, line
            assert fast(RULES, line, line) == expected, line
            tried += 1
    assert tried > 2000


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(st.one_of(st.none(), st.integers(0, 40), st.integers(2**64 - 3, 2**64 - 1)), max_size=12)),
    st.integers(1, 6),
)
def test_texts_seen_at_once_are_those_seen_one_by_one(monkeypatch, batches, recent):
    """The answers of a set of the hashes met, in order, across batches, the recent set merged
    into the sorted array (small here) within a batch or after it."""
    from analysis import boilerplate

    monkeypatch.setattr(boilerplate, "_SEEN_RECENT", recent)
    at_once, met = boilerplate._Tally(), set()

    def seen(text_hash: int) -> bool:
        before = text_hash in met
        met.add(text_hash)
        return before

    for batch in batches:
        expected = [h is not None and seen(h) for h in batch]
        assert at_once.seen_many(batch).tolist() == expected
