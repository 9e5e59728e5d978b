"""Boilerplate removal on article text: rules, per-source repetition, and text density.

Three mechanisms, applied line by line to normalised text:

1. **Rules** from a data file (``data/boilerplate.toml`` plus the user's ``extra_rules``): "Lire
   aussi", share buttons, tag lines, bylines, credits, cookie and newsletter notices, scripts and
   JSON-LD dumped with the page (rules marked ``invisible``: text a browser never shows)...
2. **Repetition per source**: a line that recurs in many articles of the same source is the
   site's furniture (menus, footers, related-headline blocks), whatever its language or words;
   a paragraph made of such recurring sentences is too. A short line that ends (or opens) a
   large share of a source's articles is its signature (a wire's ``Reuter``, a dateline).
   Learned with :meth:`BoilerplateRemover.partial_fit` over the corpus, so a new site's junk
   goes without new rules.
3. **Density**: what is left is grouped into blocks (runs of lines without a blank line); a
   block with few words, no sentence, few function words, or made of short list items is junk
   unless it sits between body blocks (an inter-title); a script is no body block's neighbour.
   The idea is jusText's, on plain text. Body text far from the main run of body (more than
   ``main_gap_units`` junk units away, scripts not counted) is another article's teaser; short
   labels left between junk do not bridge that gap.

Very long lines (whole pages flattened to one line) are first cut into sentences, so the same
mechanisms apply to them. What is removed is returned with the reason, for the audit table.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import itertools
import operator
import re
import shutil
import tempfile
import tomllib
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from analysis import prefilter
from analysis.prefilter import Opening, utf8
from analysis.text import MARKS, arabic_article, fold
from analysis.tokens import iso_stopwords

RULES_FILE = Path(__file__).parent / "data" / "boilerplate.toml"

# (the danda ends a Hindi or Bengali sentence, `۔` an Urdu one, `؟` an Arabic question)
_SENTENCE_END = re.compile(r"[.!?…»\"”)':।॥۔؟]\s*$")  # one character, then spaces: see _ends_with
#: Where a long line is cut into sentences: the spaces after a sentence end, before what may open
#: one; the end is part of the match (see :func:`_sentences`).
_SENTENCE_CUT = re.compile(r"[.!?…»]\s+(?=[\"«“(]?[A-ZÀ-Ý0-9])")
# (a word's combining marks are part of it: Hindi and Bengali vowel signs, `करे`, `করে`, which
# ``\w`` leaves out, would cut their function words in pieces that no stopword list holds)
_LETTER = rf"(?:[^\W\d_]|[{MARKS}])"
_WORDS = re.compile(rf"[^\W\d_]{_LETTER}*(?:['-]{_LETTER}+)*")
_BULLET = re.compile(r"^\s*(?:[*•·▪►»›+-]|\d{1,3}[.)])\s+")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+")
_LINK_MARK = re.compile(r"\[\d{1,4}\]")
_SEPARATORS = re.compile(r"\s(?:\|{1,2}|•|·|»|›|/)\s")
_SEPARATOR_CHARS = "|•·»›/"  # one of them in each match of _SEPARATORS


def _link_separators(line: str) -> int:
    """How many separators between links ``line`` has (`Accueil » Monde » Afrique`): a closing
    guillemet after an opening one (`« la tête »`) ends a quotation, it separates nothing."""
    found = _SEPARATORS.findall(line)
    closing = sum(1 for match in found if "»" in match), sum(1 for match in found if "›" in match)
    return len(found) - min(closing[0], line.count("«")) - min(closing[1], line.count("‹"))


# X\s*$, X at most 10 long: see _ends_with
_STAMP_END = re.compile(r"(?:\b\d{1,2}[:h]\d{2}|\b\d{1,2}/\d{1,2}/\d{2,4})\s*$")
_KEY_DIGITS = re.compile(r"\d+")
_KEY_WORD = re.compile(r"\w+")

# Function words of the languages news corpora mostly use: what makes prose prose.
_FUNCTION_WORDS = frozenset(
    (
        "le la les l un une des du de d et ou mais donc or ni car à a au aux en dans par pour sur sous "
        "avec sans entre vers chez que qui quoi dont où ce cet cette ces son sa ses leur leurs il elle "
        "ils elles on nous vous je tu se s ne pas plus est sont été être a ont avait fait comme aussi "
        "très tout tous toute toutes y c qu n m j t lui même si déjà encore après avant depuis selon "
        "the a an of and or but to in on at by for with from as is are was were be been has have had "
        "it its this that these those which who what when where not no than then also into over after "
        "about their they he she we you his her our will would can could should may said el los las del "
        "y en con por para una unos que es se su sus der die das und ist mit von zu "
    ).split()
)


@dataclass(frozen=True)
class Rule:
    name: str
    action: str
    pattern: re.Pattern[str]
    invisible: bool = False  # text a browser never shows (scripts, styles, structured data)
    heading: bool = False  # a heading alone ("Leggi anche"): the headline on the next line goes too
    whole: bool = False  # junk annotating the text before it on its line (a photo's credit): the line goes whole


@dataclass(frozen=True)
class BoilerplateOptions:
    """Thresholds of the three mechanisms (``[boilerplate]`` in the options)."""

    extra_rules: tuple[Mapping[str, Any], ...] = ()
    repeat_min_articles: int = 4
    repeat_min_share: float = 0.02
    repeat_min_chars: int = 15
    repeat_max_chars: int = 300
    repeat_sentence_share: float = 0.8
    signature_min_chars: int = 2
    signature_min_articles: int = 20
    signature_min_share: float = 0.3
    split_chars: int = 1000
    tail_min_chars: int = 200
    good_min_words: int = 10
    good_min_density: float = 0.18
    short_max_words: int = 5
    list_max_words: int = 8
    main_gap_units: int = 12
    learn_max_articles: int = 20_000

    def __post_init__(self) -> None:
        if self.learn_max_articles < 0:
            raise ValueError(f"learn_max_articles must be 0 (every article) or more, not {self.learn_max_articles}")


@dataclass(frozen=True)
class Removed:
    """One piece of text taken out of an article, and why."""

    line: int  # index of the non-blank line in the input text
    reason: str
    text: str


@dataclass
class _Unit:
    line: int
    text: str
    block_break: bool  # a blank line (or a new source line, for split sentences) precedes it
    reason: str | None = None


def load_rules(extra: Iterable[Mapping[str, Any]] = ()) -> tuple[Rule, ...]:
    """Rules from the data file, then the user's; each pattern is compiled once."""
    with RULES_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    rules = []
    for spec in [*data.get("rule", []), *extra]:
        action = spec.get("action", "line")
        if action not in ("line", "tail", "span"):
            raise ValueError(f"boilerplate rule {spec.get('name')!r}: action must be line, tail or span")
        flags = 0 if spec.get("case_sensitive") else re.IGNORECASE
        try:
            pattern = re.compile(spec["pattern"], flags)
        except (KeyError, re.error) as exc:
            raise ValueError(f"boilerplate rule {spec.get('name')!r}: bad pattern: {exc}") from exc
        rules.append(
            Rule(
                str(spec.get("name", "rule")),
                action,
                pattern,
                bool(spec.get("invisible", False)),
                bool(spec.get("heading", False)),
                bool(spec.get("whole", False)),
            )
        )
    return tuple(rules)


# --- fast rule matching ------------------------------------------------------------------------
#
# Trying ~40 rule regexes on every line costs more than all the rest of the cleaning, yet most
# lines (body text) match none, and some rules cost much to try on a long line (``^.{0,120}(?:...)``
# tries its words at each of 120 places). The rules are still tried in their order, on the same
# text, with the same ``pattern.search`` (so the first match wins as before); what is skipped is
# only what cannot match:
#
# - each pattern is parsed for strings that every match contains ("copyright", "cookie", "/"...):
#   a rule none of whose strings is in the article is not tried on its lines; for the costly
#   patterns, the strings are also looked for in each line first;
# - a pattern that is an alternation ``A|B|C`` is tried as A, B and C (it matches a line when one
#   of them does), each with its own strings;
# - the anchored patterns (``^...``) are joined in one regex tried once at the start of the line:
#   when it fails, none of them can match. RE2 tries it, translated to admit at least the lines it
#   matches (:mod:`analysis.prefilter`): Python's ``re`` tries an alternation branch by branch.
#
# (One alternation of all the patterns, tried at each position of the line, is slower than trying
# them in turn, most of them being anchored at the start of the line.)

try:  # the regex parser of the standard library (private, but unchanged in 3.11-3.13)
    _sre_parse: Any = importlib.import_module("re._parser")
    _sre: Any = importlib.import_module("re._constants")
    _EXTRA_CASES: dict[int, tuple[int, ...]] = importlib.import_module("re._casefix")._EXTRA_CASES
    _unicode_iscased: Any = importlib.import_module("_sre").unicode_iscased
except (ImportError, AttributeError):  # pragma: no cover - another Python: every rule is simply tried
    _sre_parse = None
    _EXTRA_CASES = {}

# Under re.IGNORECASE a character matches those with the same (simple) lower case and a few more
# (``re._casefix``: "s" and "ſ", "i" and "ı"...). ``_caseless`` maps all the characters of such a
# class to one, so that a text holds a string case-insensitively only if its caseless form holds
# the string's caseless form. This is checked in the tests for every character below
# ``_CASE_CHECKED``; a needed string is never made of other cased characters. (Up to 0x250, Latin
# alone, the rules in Greek, Cyrillic or Vietnamese letters had no strings and were tried on
# every line of every text: the cookie, copyright and social rules of the Russian, Nordic and
# Balkan presses, 2.4 times as many rules a text, boilerplate removal 20-35% slower.)
_CANON = {m: min({low, *more}) for low, more in _EXTRA_CASES.items() for m in {low, *more} if m != min({low, *more})}
_NON_CANON = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CANON)) + "]") if _CANON else None
_CASE_CHECKED = 0x1F00  # (Latin, Greek, Cyrillic, Armenian, Georgian, Vietnamese; not Greek Extended)


def _caseless(text: str) -> str:
    if "\u0130" in text:
        text = text.replace("\u0130", "i")  # the one character whose lower case is two characters
    text = text.lower()  # the same as character by character (σ and ς, at the end of words, are one class)
    if _NON_CANON is not None and not text.isascii() and _NON_CANON.search(text):
        text = text.translate(_CANON)
    return text


def _usable(char: str, caseless: bool) -> bool:
    return not caseless or ord(char) < _CASE_CHECKED or not _unicode_iscased(ord(char))


_MAX_CLASS = 6  # a character class of at most this many characters is taken as alternatives
_MAX_VARIANTS = 16
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _is(op: Any, *names: str) -> bool:
    return any(op is getattr(_sre, name, None) for name in names)


def _class_chars(items: list[tuple[Any, Any]]) -> list[str] | None:
    chars: list[str] = []
    for op, av in items:
        if _is(op, "LITERAL"):
            chars.append(chr(av))
        elif _is(op, "RANGE") and av[1] - av[0] < _MAX_CLASS:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # negated, a category (\w...), a wide range
    return chars if len(chars) <= _MAX_CLASS else None


def _needed(items: Any, caseless: bool) -> frozenset[str] | None:
    """Strings one of which every match of the parsed sequence ``items`` holds; ``None``: unknown.

    Consecutive literal characters (and small classes, as variants) make strings; a group, a
    repeat done at least once and a lookaround that must match bring what their content needs;
    an alternation needs what one of its branches needs. Of all that a sequence needs, the most
    telling is kept (the longest shortest string, then the fewest strings).
    """
    found: list[frozenset[str]] = []
    run: set[str] = {""}

    def close() -> None:
        nonlocal run
        if run != {""}:
            found.append(frozenset(run))
        run = {""}

    for op, av in items:
        if _is(op, "LITERAL") and _usable(chr(av), caseless):
            char = _caseless(chr(av)) if caseless else chr(av)
            run = {r + char for r in run}
            continue
        if _is(op, "IN"):
            chars = _class_chars(av)
            if chars and all(_usable(c, caseless) for c in chars):
                variants = {_caseless(c) if caseless else c for c in chars}
                if len(run) * len(variants) <= _MAX_VARIANTS:
                    run = {r + v for r in run for v in variants}
                    continue
                close()
                found.append(frozenset(variants))
                continue
        close()
        need: frozenset[str] | None = None
        if _is(op, "SUBPATTERN"):
            _group, add_flags, del_flags, sub = av
            # (a part matched with its case, `(?-i:Follow)`, in a pattern matched ignoring it:
            # the caseless text holds its caseless strings all the same)
            if not add_flags and (not del_flags or (caseless and del_flags == re.IGNORECASE)):
                need = _needed(sub, caseless)
        elif _is(op, "ATOMIC_GROUP"):
            need = _needed(av, caseless)
        elif _is(op, *_REPEATS):
            least, _most, sub = av
            if least >= 1:
                need = _needed(sub, caseless)
        elif _is(op, "BRANCH"):
            branches = [_needed(b, caseless) for b in av[1]]
            if all(b is not None for b in branches):
                need = frozenset().union(*(b for b in branches if b is not None))
        elif _is(op, "ASSERT"):
            need = _needed(av[1], caseless)  # what a lookaround sees is in the text too
        if need:
            found.append(need)
    close()
    if not found:
        return None
    return max(found, key=lambda strings: (min(map(len, strings)), -len(strings)))


def _has_references(items: Any) -> bool:
    """True when a parsed pattern refers to a group (``\\1``, ``(?(1)...)``): it cannot be cut up."""
    for op, av in items:
        if _is(op, "GROUPREF", "GROUPREF_EXISTS"):
            return True
        if _is(op, "SUBPATTERN"):
            subs = [av[3]]
        elif _is(op, *_REPEATS):
            subs = [av[2]]
        elif _is(op, "BRANCH"):
            subs = av[1]
        elif _is(op, "ASSERT", "ASSERT_NOT"):
            subs = [av[1]]
        elif _is(op, "ATOMIC_GROUP"):
            subs = [av]
        else:
            subs = []
        if any(_has_references(sub) for sub in subs):
            return True
    return False


def _top_level_branches(pattern: str) -> list[str]:
    """The source of each top-level alternative of a regex (``a|(b|c)`` gives ``a`` and ``(b|c)``)."""
    parts = []
    depth = start = i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":  # a class, to its closing bracket (one just after ``[`` or ``[^`` is a character)
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":
                i += 1
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _last_group(branch: str) -> int | None:
    """Where the non-capturing group that ends ``branch`` opens (``x(?:a|b)`` gives 1); ``None``: none does."""
    opened: list[int] = []
    last = None
    i = 0
    while i < len(branch):
        char = branch[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":  # a class, to its closing bracket (as in _top_level_branches)
            i += 1
            if branch[i : i + 1] == "^":
                i += 1
            if branch[i : i + 1] == "]":
                i += 1
            while i < len(branch) and branch[i] != "]":
                i += 2 if branch[i] == "\\" else 1
        elif char == "(":
            opened.append(i)
        elif char == ")" and opened:
            start = opened.pop()
            if not opened and i == len(branch) - 1:
                last = start
        i += 1
    return last if last is not None and branch.startswith("(?:", last) else None


def _distributed(branch: str) -> list[str]:
    """``p(?:a|b)`` as ``pa`` and ``pb`` (a line matches the one when it matches one of the others)."""
    start = _last_group(branch)
    if start is None:
        return [branch]
    parts = _top_level_branches(branch[start + 3 : -1])
    return [branch[:start] + part for part in parts] if len(parts) > 1 else [branch]


def _anchored(items: Any, flags: int) -> bool:
    """True when every match starts at the start of the text (``^`` or ``\\A`` first, in each branch)."""
    if not len(items):
        return False
    op, av = items[0]
    if _is(op, "AT"):
        return _is(av, "AT_BEGINNING_STRING") or (_is(av, "AT_BEGINNING") and not flags & re.MULTILINE)
    if _is(op, "SUBPATTERN") and not av[1] and not av[2]:
        return _anchored(av[3], flags)
    if _is(op, "BRANCH"):
        return all(_anchored(b, flags) for b in av[1])
    return False


def _wide(op: Any, av: Any) -> bool:
    """A long repeat of any character (``.{0,120}``, ``[^{}]{1,200}``): what makes a regex try many places."""
    if not _is(op, *_REPEATS) or av[1] < 20 or len(av[2]) != 1:
        return False
    sub_op, sub_av = av[2][0]
    return _is(sub_op, "ANY") or (_is(sub_op, "IN") and bool(sub_av) and _is(sub_av[0][0], "NEGATE"))


def _starts_wide(items: Any) -> bool:
    """True when a regex opens (past anchors, lookarounds and repeats like ``\\W*``) with a wide repeat."""
    for op, av in items:
        if _wide(op, av):
            return True
        if _is(op, "AT", "ASSERT", "ASSERT_NOT", *_REPEATS):
            continue
        if _is(op, "SUBPATTERN"):
            return _starts_wide(av[3])
        if _is(op, "BRANCH"):
            return any(_starts_wide(b) for b in av[1])
        return False
    return False


_LINE_MAX_STRINGS = 12  # more strings than this cost more to look for in a line than an anchored regex
_OPENING_FLAGS = re.IGNORECASE | re.UNICODE
_ATOM_FLAGS = re.IGNORECASE | re.ASCII  # the flags that change which characters one class matches
_GUARD_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CLASS_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _uncased(string: str) -> bool:
    """True when ``string`` is only ASCII characters other than letters (``[``, ``/``, ``_``...).

    No other character has such a character in its :func:`_caseless` form (checked in the tests),
    so a text holds the string case-insensitively exactly when it holds it as it is.
    """
    return string.isascii() and not any(char.isalpha() for char in string)


def _class_source(op: Any, av: Any) -> str | None:
    """A character class (``[...]``) matching what one parsed LITERAL, NOT_LITERAL or IN item matches."""
    if _is(op, "LITERAL"):
        return f"[{re.escape(chr(av))}]"
    if _is(op, "NOT_LITERAL"):
        return f"[^{re.escape(chr(av))}]"
    parts: list[str] = []
    for item_op, item_av in av:
        if _is(item_op, "NEGATE") and not parts:
            parts.append("^")
        elif _is(item_op, "LITERAL"):
            parts.append(re.escape(chr(item_av)))
        elif _is(item_op, "RANGE"):
            parts.append(f"{re.escape(chr(item_av[0]))}-{re.escape(chr(item_av[1]))}")
        elif _is(item_op, "CATEGORY") and (name := next((n for n in _CLASS_CATEGORIES if _is(item_av, n)), None)):
            parts.append(_CLASS_CATEGORIES[name])
        else:
            return None
    return f"[{''.join(parts)}]" if parts and parts != ["^"] else None


def _first(items: Any, flags: int) -> tuple[list[tuple[str, int]] | None, bool]:
    """The classes one of which a match of the parsed sequence ``items`` opens with, and whether it may be empty.

    Each class comes with the flags it is matched with. ``None``: any character may open a match.
    Anchors and lookarounds take no character: they are passed over (so more is allowed, never less).
    """
    classes: list[tuple[str, int]] = []
    for op, av in items:
        if _is(op, "AT", "ASSERT", "ASSERT_NOT"):
            continue
        if _is(op, "LITERAL", "NOT_LITERAL", "IN"):
            source = _class_source(op, av)
            if source is None:
                return None, False
            classes.append((source, flags & _ATOM_FLAGS))
            return classes, False
        got: list[tuple[str, int]] | None
        if _is(op, "SUBPATTERN"):
            _group, add_flags, del_flags, sub = av
            got, empty = _first(sub, (flags | add_flags) & ~del_flags)
        elif _is(op, "ATOMIC_GROUP"):
            got, empty = _first(av, flags)
        elif _is(op, *_REPEATS):
            least, most, sub = av
            if most == 0:
                continue
            got, empty = _first(sub, flags)
            empty = empty or least == 0
        elif _is(op, "BRANCH"):
            got, empty = [], False
            for branch in av[1]:
                sub_got, sub_empty = _first(branch, flags)
                if sub_got is None:
                    return None, False
                got.extend(sub_got)
                empty = empty or sub_empty
        else:
            return None, False
        if got is None:
            return None, False
        classes.extend(got)
        if not empty:
            return classes, False
    return classes, True


def _guard(pattern: re.Pattern[str]) -> str:
    """A lookahead for the first character of every match of an anchored ``pattern`` (empty: none worth it).

    Put before the pattern in an opening regex, it rules the pattern out with one class test on
    lines whose first character cannot open a match (most lines open with a letter, most rules
    with a few words): the regex engine then skips the pattern's alternatives one by one. A class
    that lets most letters through is not worth testing.
    """
    try:
        classes, empty = _first(_sre_parse.parse(pattern.pattern, pattern.flags), pattern.flags)
    except Exception:  # an unexpected parse tree: no guard
        return ""
    if classes is None or empty:
        return ""
    merged: dict[int, list[str]] = {}
    parts = []
    for source, flags in dict.fromkeys(classes):
        if flags & re.ASCII:
            return ""  # no inline flag turns it off around the guard: not worth a special case
        if source.startswith("[^"):
            parts.append(f"(?{'i' if flags else '-i'}:{source})")
        else:
            merged.setdefault(flags, []).append(source[1:-1])
    parts[:0] = [f"(?{'i' if flags else '-i'}:[{''.join(inner)}])" for flags, inner in merged.items()]
    guard = f"(?={'|'.join(parts)})"
    try:
        admitted = sum(1 for char in _GUARD_LETTERS if re.match(guard, char))
    except re.error:  # pragma: no cover - classes made of parsed items compile
        return ""
    return guard if admitted <= len(_GUARD_LETTERS) // 2 else ""


@dataclass(frozen=True)
class _Check:
    """One regex to try on lines, and what may spare trying it.

    ``strings``: one of them is in every line the regex matches (in its :func:`_caseless` form
    when ``caseless``); empty when not known. ``line_needs`` looks for them in a line before the
    regex is tried, when that is cheaper than the regex (it is not anchored, or opens with a wide
    repeat). ``opening``: the regex as a branch of its step's opening regex (anchored regexes).
    """

    pattern: re.Pattern[str]
    strings: tuple[str, ...] = ()
    caseless: bool = False
    line_needs: re.Pattern[str] | None = None
    opening: str | None = None


def _check(pattern: re.Pattern[str]) -> _Check:
    caseless = bool(pattern.flags & re.IGNORECASE)
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        need = _needed(parsed, caseless)
        anchored = _anchored(parsed, pattern.flags)
        references = _has_references(parsed)
        wide = _starts_wide(parsed)
    except Exception:  # an unexpected parse tree: no shortcut
        return _Check(pattern)
    # a string that holds another of the set adds nothing: where it is, the other is too
    strings = tuple(sorted(n for n in need if not any(m != n and m in n for m in need))) if need else ()
    # strings of no cased character are looked for in the text as it is, not in its caseless form
    fold_case = caseless and not all(map(_uncased, strings))
    line_needs = None
    if strings and (not anchored or (wide and len(strings) <= _LINE_MAX_STRINGS)):
        line_needs = re.compile("|".join(map(re.escape, strings)))
    opening = None
    if anchored and not references and line_needs is None and not pattern.flags & ~_OPENING_FLAGS:
        opening = f"{_guard(pattern)}(?{'i' if caseless else '-i'}:{pattern.pattern})"
        try:
            re.compile(opening)  # fails on inline global flags, which only a whole pattern may have
        except re.error:
            opening = None
    return _Check(pattern, strings, fold_case, line_needs, opening)


def _checks(pattern: re.Pattern[str], *, split: bool = True) -> tuple[_Check, ...]:
    """How to try a pattern: one check, or one per top-level alternative (any of them matching).

    An alternative that ends with a non-capturing group of alternatives (``p(?:a|b)``) is taken
    as one alternative per branch of the group (``pa``, ``pb``).
    """
    if _sre_parse is None:
        return (_Check(pattern),)
    if split and not pattern.flags & re.VERBOSE:
        try:
            if not _has_references(_sre_parse.parse(pattern.pattern, pattern.flags)):
                branches = [part for branch in _top_level_branches(pattern.pattern) for part in _distributed(branch)]
                if len(branches) > 1:
                    return tuple(_check(re.compile(branch, pattern.flags)) for branch in branches)
        except re.error:
            pass
    return (_check(pattern),)


@dataclass(frozen=True)
class _Step:
    """Rules tried in turn on a line (no span rule among them, each with its checks), or one span rule.

    ``opening`` joins the checks that have an ``opening`` branch: when it fails at the start of a
    line, none of them can match.
    """

    rules: tuple[tuple[Rule, str, tuple[_Check, ...]], ...] = ()
    opening: re.Pattern[str] | None = None
    span: tuple[Rule, _Check] | None = None


# A check as tried on the lines of one text: its regex, the strings (present in the text) one of
# which a line must hold for the regex to be tried (none: always tried), and whether they are
# looked for in the line's caseless form.
_LineCheck = tuple[re.Pattern[str], tuple[str, ...], bool]
_LineRules = tuple[tuple[Rule, str, tuple[_LineCheck, ...]], ...]

# What :func:`_match_rules` tries on the lines of one text, step by step: (the rules with the
# checks to try when the opening regex matches, the same without the opening checks for when it
# fails, the opening regex or None), or a span rule with its check.
_TextStep = tuple[_LineRules, _LineRules, Opening | None, tuple[Rule, _LineCheck] | None]

_TEXT_PLANS = 1 << 12  # text plans kept per plan (one per set of strings found in texts)
_AUTOMATON_MIN = 16  # strings of a text's form found by an automaton rather than one by one


class _Plan:
    """The rules in steps (see :func:`_plan`), with the plans already made for texts."""

    def __init__(self, steps: tuple[_Step, ...]) -> None:
        self.steps = steps
        # every string a text is searched for (those of the checks not in an opening regex), once,
        # with whether in the text's caseless form
        found: dict[tuple[str, bool], None] = {}
        for step in steps:
            for check in self._step_checks(step):
                if check.opening is None:
                    found.update(dict.fromkeys((s, check.caseless) for s in check.strings))
        self.strings = tuple(found)
        self.index = {key: i for i, key in enumerate(self.strings)}
        # each such check's strings as bits (by the check's identity: the plan holds its checks)
        # each such check's strings with their bits (for the strings a text holds), and all its bits
        # (by the check's identity: the plan holds its checks)
        self.string_bits = {
            id(check): tuple((1 << self.index[s, check.caseless], s) for s in check.strings)
            for step in steps
            for check in self._step_checks(step)
            if check.opening is None
        }
        self.masks = {key: _union(bit for bit, _ in bits) for key, bits in self.string_bits.items()}
        # each step's rules' strings as bits, None for a rule always tried (a check of it has no
        # strings, or is a branch of the opening regex): a text holding none of a rule's strings
        # drops it with one test (most rules, for most texts)
        self.rule_masks = {
            id(step): tuple(
                None
                if any(not c.strings or c.opening is not None for c in checks)
                else _union(self.masks[id(c)] for c in checks)
                for _, _, checks in step.rules
            )
            for step in steps
        }
        self.text_plans: dict[int, list[_TextStep]] = {}
        # each step's strings as bits, and its plans made for texts by the strings of it they hold
        # (and whether checks are dropped for strings a text lacks: see _make_text_plan)
        self.step_masks = [_union(self.masks.get(id(c), 0) for c in self._step_checks(step)) for step in steps]
        self.step_plans: list[dict[tuple[int, bool], _TextStep | None]] = [{} for _ in steps]
        # Those of the text's form (as it is, caseless) that are many are found in one pass of an
        # Aho-Corasick automaton over it (each string's value its bit); a few, or those of one
        # character, are looked for with ``in`` each (a pass of the automaton costs as much as
        # about 18 of those over a news text: 36 against 2 us for 3,300 characters, measured).
        # With RE2, all of them in one pass of a set of literals (about half an automaton's time:
        # the automaton yields every occurrence to Python).
        self.singles: list[tuple[str, bool, int]] = []
        self.automata: list[tuple[bool, Any]] = []
        self.literals: list[tuple[bool, prefilter.Literals, tuple[int, ...]]] = []
        for caseless in (False, True):
            mine = [(s, 1 << i) for i, (s, c) in enumerate(self.strings) if c == caseless]
            literals = prefilter.literals([s for s, _ in mine])
            if literals is not None:
                self.literals.append((caseless, literals, tuple(bit for _, bit in mine)))
                continue
            many = [(s, bit) for s, bit in mine if len(s) > 1]
            if len(many) < _AUTOMATON_MIN:
                self.singles.extend((s, caseless, bit) for s, bit in mine)
                continue
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for string, bit in many:
                automaton.add_word(string, bit)
            automaton.make_automaton()
            self.automata.append((caseless, automaton))
            self.singles.extend((s, caseless, bit) for s, bit in mine if len(s) <= 1)
        self.caseless = any(caseless for _, caseless in self.strings)
        # each step's opening regex with its test by RE2 (made once a process: 0.4 s for the
        # default rules' first step, which RE2 tries in 2 us a line instead of 16 us)
        self.openings = {id(step): prefilter.opening(step.opening) for step in steps if step.opening is not None}

    @staticmethod
    def _step_checks(step: _Step) -> Iterator[_Check]:
        if step.span is not None:
            yield step.span[1]
        for _, _, checks in step.rules:
            yield from checks

    def __getstate__(self) -> dict[str, Any]:
        return {"steps": self.steps}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["steps"])  # type: ignore[misc]


def _union(masks: Iterable[int]) -> int:
    """The bits of any of ``masks`` (checks may share strings: not their sum)."""
    return functools.reduce(operator.or_, masks, 0)


@lru_cache(maxsize=8)
def _plan(rules: tuple[Rule, ...]) -> _Plan:
    """The rules in steps, each with its checks, in their order (made once a process for a set of
    rules: a cleaner of each build, each source's, asks for the same; 2 s of regex parsing)."""
    steps: list[_Step] = []
    pending: list[tuple[Rule, str, tuple[_Check, ...]]] = []

    def flush() -> None:
        if not pending:
            return
        branches = [c.opening for _, _, checks in pending for c in checks if c.opening is not None]
        opening = None
        if branches:
            try:
                opening = re.compile("|".join(branches))
            except re.error:  # e.g. the same group name in two rules: each is tried alone
                entries = [(r, why, tuple(replace(c, opening=None) for c in cs)) for r, why, cs in pending]
                pending[:] = entries
        steps.append(_Step(tuple(pending), opening))
        pending.clear()

    for rule in rules:
        if rule.action == "span":
            flush()
            # a span rule is no branch of an opening regex: it is tried alone
            steps.append(_Step(span=(rule, replace(_checks(rule.pattern, split=False)[0], opening=None))))
        else:
            pending.append((rule, f"rule:{rule.name}", _checks(rule.pattern)))
    flush()
    return _Plan(tuple(steps))


_OPENING_MIN_CHECKS = 2  # with fewer anchored checks to try, trying the one alone is cheaper


def _text_plan(plan: _Plan, text: str) -> list[_TextStep]:
    """The plan for the lines of one text: checks none of whose strings is in the text are dropped.

    Each line is a piece of the text, so a string missing from the text is missing from each line
    (and the caseless form of a line is a piece of the text's); a line is searched only for the
    strings the text holds. Once a span rule may cut something (changing lines), nothing more is
    dropped. The checks of an opening regex are not looked at: that regex is cheaper than looking
    for their many strings. Texts holding the same strings share one plan.
    """
    present = _present(plan, text)
    steps = plan.text_plans.get(present)
    if steps is None:
        if len(plan.text_plans) >= _TEXT_PLANS:
            plan.text_plans.clear()
        steps = plan.text_plans[present] = _make_text_plan(plan, present)
    return steps


def _present(plan: _Plan, text: str) -> int:
    """The strings of ``plan.strings`` the text holds (in its caseless form for those looked for
    caseless), as bits: ``string in text`` for each, in one pass of each automaton or RE2 set."""
    hays = (text, _caseless(text) if plan.caseless else text)
    present = 0
    for string, caseless, bit in plan.singles:
        if string in hays[caseless]:
            present |= bit
    for caseless, automaton in plan.automata:
        for _, bit in automaton.iter(hays[caseless]):
            present |= bit
    for caseless, found, bits in plan.literals:
        for index in found.found(hays[caseless]):
            present |= bits[index]
    return present


def _make_text_plan(plan: _Plan, present: int) -> list[_TextStep]:
    """The plan for the lines of texts holding the strings ``present`` (bits of ``plan.strings``),
    step by step: a step's plan depends only on the strings of its own checks the text holds, so
    texts holding other strings share it (a new set of strings found makes anew only the steps
    whose strings differ)."""
    steps: list[_TextStep] = []
    filtering = True
    for step, mask, made in zip(plan.steps, plan.step_masks, plan.step_plans, strict=True):
        key = (present & mask, filtering)
        if key in made:
            text_step = made[key]
        else:
            if len(made) >= _TEXT_PLANS:
                made.clear()
            text_step = made[key] = _make_step(plan, step, key[0], filtering)
        if text_step is None:
            continue
        steps.append(text_step)
        if step.span is not None:
            check = step.span[1]
            filtering = filtering and bool(check.strings) and not present & plan.masks[id(check)]
    return steps


def _make_step(plan: _Plan, step: _Step, present: int, filtering: bool) -> _TextStep | None:
    """One step of :func:`_make_text_plan` for a text holding ``present`` (of the step's strings);
    None when none of its checks can match. ``filtering``: whether checks are dropped for strings
    the text lacks (not after a span rule that may cut something)."""

    def line_check(check: _Check) -> _LineCheck | None:
        """The check as tried on lines; ``None`` when it cannot match them."""
        if not check.strings or (check.opening is not None and filtering):
            return check.pattern, (), False
        if check.line_needs is None:  # (the line is not searched for its strings: only whether any is there)
            return (check.pattern, (), check.caseless) if not filtering or present & plan.masks[id(check)] else None
        if not filtering:
            return check.pattern, check.strings, check.caseless
        strings = tuple(s for bit, s in plan.string_bits[id(check)] if present & bit)
        return (check.pattern, strings, check.caseless) if strings else None

    if step.span is not None:
        rule, check = step.span
        span = line_check(check)
        return None if span is None else ((), (), None, (rule, span))
    full = []
    quick = []
    openings = 0
    for (rule, reason, checks), mask in zip(step.rules, plan.rule_masks[id(step)], strict=True):
        if filtering and mask is not None and not present & mask:
            continue  # (none of its strings in the text)
        alive = [(c, lc) for c in checks if (lc := line_check(c)) is not None]
        if alive:
            full.append((rule, reason, tuple(lc for _, lc in alive)))
            openings += sum(c.opening is not None for c, _ in alive)
            if kept := tuple(lc for c, lc in alive if c.opening is None):
                quick.append((rule, reason, kept))
    opening = plan.openings.get(id(step))
    if opening is None or openings < _OPENING_MIN_CHECKS:
        opening = None
        quick = full
    return tuple(full), tuple(quick), opening, None


#: What a sentence needs to be kept from a line a rule drops (see :func:`_unglued`): words, and
#: their share of French and English function words.
_GLUED_MIN_WORDS = 8
_GLUED_MIN_DENSITY = 0.3
#: a sentence's end before a capital (not a digit: `appears in print on Dec. 3, 2026` is one)
_GLUED_SPLIT = re.compile(r"(?<=[.!?…»])\s+(?=[\"«“(]?[A-ZÀ-Ý])")


def _unglued(plan: list[_TextStep], unit: _Unit, reason: str) -> list[_Unit] | None:
    """A line a ``line`` rule matched (``reason``), cut into its sentences when one of them is
    junk a rule matches alone and another is a sentence of body text (``_GLUED_MIN_WORDS`` words
    or more, ``_GLUED_MIN_DENSITY`` of them function words, a rule matching none): a newsletter's
    or a share button's words glued to a paragraph's last sentence by the page (`... for some
    cargo. Sign up for our newsletter`). Each sentence a rule matches is judged by its rule again
    in the loop; any other that is no body text takes the line's reason. None otherwise (the whole
    line goes, as before): one sentence, junk that takes the whole line to be told (an appeal
    whose cue ends it; a print edition's note cut at `Dec.`), junk of a rule marked ``whole`` (a
    photo's credit after its caption), or no body text."""
    sentences = _GLUED_SPLIT.split(unit.text.strip())
    if len(sentences) < 2:
        return None
    pieces, body, junk = [], False, False
    for number, sentence in enumerate(sentences):
        rule = _match_rules(plan, sentence)[0]
        if rule is not None and rule[0].whole:
            return None  # (a caption's credit: the sentence before it is the caption)
        matched = rule is not None
        words, density = (0, 0.0) if matched else _density(sentence)
        long = words >= _GLUED_MIN_WORDS and density >= _GLUED_MIN_DENSITY
        body, junk = body or long, junk or matched
        pieces.append(_Unit(unit.line, sentence, unit.block_break and number == 0, None if matched or long else reason))
    return pieces if body and junk else None


def _match_rules(plan: list[_TextStep], stripped: str) -> tuple[tuple[Rule, str] | None, str]:
    """The first rule (and its reason) that matches a stripped line, and the line as the span rules before it left it.

    The same as trying each rule's ``pattern.search`` in order (span rules cutting what they
    match), less what cannot match (see :func:`_text_plan`).
    """
    caseless: str | None = None
    encoded: bytes | None = None  # the line's UTF-8 bytes for RE2, once asked for
    unencoded = True
    for full, quick, opening, span in plan:
        if span is not None:
            rule, (_, needs, fold_case) = span
            if needs:
                if fold_case:
                    if caseless is None:
                        caseless = _caseless(stripped)
                    hay = caseless
                else:
                    hay = stripped
                for string in needs:
                    if string in hay:
                        break
                else:
                    continue  # none of the strings every match holds: nothing to cut
            cut = rule.pattern.sub("", stripped).strip()
            if cut != stripped:
                stripped, caseless, unencoded = cut, None, True
            continue
        rules = full
        if opening is not None:
            if opening.fast is not None:
                if unencoded:
                    encoded, unencoded = utf8(stripped), False
                admitted = opening.fast(encoded) if encoded is not None else opening.regex.match(stripped)
            else:
                admitted = opening.regex.match(stripped)
            if not admitted:
                rules = quick
        for rule, reason, checks in rules:
            for pattern, needs, fold_case in checks:
                if needs:
                    if fold_case:
                        if caseless is None:
                            caseless = _caseless(stripped)
                        hay = caseless
                    else:
                        hay = stripped
                    for string in needs:
                        if string in hay:
                            break
                    else:
                        continue  # none of the strings every match holds
                if pattern.search(stripped):
                    return (rule, reason), stripped
    return None, stripped


@lru_cache(maxsize=1 << 16)
def line_key(line: str) -> str:
    """The form of a line compared across articles: folded, digits and punctuation ignored.

    Cached: the lines worth comparing are those that recur (in many articles, and in both passes).
    """
    # the words joined by one space: what replacing each run of other characters by a space and
    # stripping gives (digits are word characters: their runs were made "0" first)
    return " ".join(_KEY_WORD.findall(_KEY_DIGITS.sub("0", fold(line))))


_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())  # the ASCII characters other than letters


def _ascii_letters(line: str) -> int:
    """How many ASCII letters ``line`` holds: its :func:`line_key` holds them all (lower-cased), and maybe more."""
    return len(line.encode("ascii", "ignore").translate(None, _NOT_LETTERS))


def _may_be_key(line: str, key: str | None) -> bool:
    """False when ``line_key(line)`` is known not empty and not ``key`` without computing it (fewer letters)."""
    letters = _ascii_letters(line)
    return not letters or (key is not None and letters <= len(key))


def _digest(text: str) -> int:
    """64 bits of blake2b: an unsigned 64-bit integer (numpy ``uint64`` holds it exactly)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


_hash = lru_cache(maxsize=1 << 16)(_digest)  # line keys recur; whole texts go to _digest, uncached


def learning_tiers(articles: Mapping[str, int], most: int) -> dict[str, int]:
    """For each source of more than ``most`` articles (``articles``: per source), the ``k`` such
    that what recurs in it is learnt from one article in ``2**k`` (:func:`learning_depth`): from half
    ``most`` to ``most`` of them. Every article is learnt from when ``most`` is 0.

    A sample's shares are the source's, within the sample's noise, and what it costs to learn no
    longer grows with the source: about ``most`` texts to observe and count per source, however
    large the archive. The tiers change only when a source doubles; a source's next tier's sample
    is part of its sample (see :func:`learning_depth`).
    """
    if most <= 0:
        return {}
    return {source: (-(-n // most) - 1).bit_length() for source, n in articles.items() if n > most}


def learning_depth(text: str) -> int:
    """How many of the first bits of a hash of ``text`` are 0 (0 to 64): pass 1 learns from the
    text in a source of tier ``k`` (see :func:`learning_tiers`) when this is ``k`` or more. The
    same text has the same depth wherever it is, and a tier's sample holds the next one's."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8, person=b"learnt").digest()
    return 64 - int.from_bytes(digest, "big").bit_length()


# Characters in no word (no letter among them): stripped from the ends of a space-separated token,
# they leave its words as they were (checked in the tests).
_TOKEN_EDGES = "!\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}~«»“”‘’…–—"


def _words(text: str) -> list[str]:
    """``_WORDS.findall(text)`` once the combining dot above is out of it (Turkish `İ` lower-cased
    is `i` and that dot, which no word holds: `i̇ran` would be two words), faster: most
    space-separated tokens are one word, with punctuation around it.

    A word holds no space, so the words of a text are those of its tokens; a token that is letters
    only once its edges are stripped is one word.
    """
    words: list[str] = []
    if "\u0307" in text:  # (Turkish `İ` lower-cased is i and a combining dot: `i̇ran`, one word)
        text = text.replace("\u0307", "")
    for token in text.split():
        core = token.strip(_TOKEN_EDGES)
        if core.isalpha():
            words.append(core)
        elif core:
            words.extend(_WORDS.findall(core))
    return words


def _at_most_words(text: str, most: int) -> bool:
    """``len(_WORDS.findall(text)) <= most``, looking no further than the word after ``most``."""
    return next(itertools.islice(_WORDS.finditer(text), most, None), None) is None


#: Letters of the scripts written without spaces between words (Han, kana, Thai, Lao, Myanmar,
#: Khmer): a text mostly of them has no words to count function words among.
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _sentences(text: str) -> list[str]:
    r"""The sentences of a long line: cut at the spaces after a sentence end, the end kept
    (``re.split`` of ``(?<=[.!?…»])\s+(?=...)``, about twice as fast: the regex engine tries a
    pattern that opens with an assertion at every character, one that opens with a class only
    where the class is; the spaces after a sentence end never hold one)."""
    pieces, start = [], 0
    for match in _SENTENCE_CUT.finditer(text):
        pieces.append(text[start : match.start() + 1])
        start = match.end()
    pieces.append(text[start:])
    return pieces


def _unspaced(text: str) -> bool:
    """Whether at least 30% of the text's non-space characters are of a script without spaces."""
    if _UNSPACED.search(text) is None:  # (most texts: one scan)
        return False
    return len(_UNSPACED.findall(text)) >= 0.3 * (len(text) - sum(map(text.count, " \n\t")))


#: Hangul's syllables: a text mostly of them is Korean, whose particles and verb endings are
#: written joined to the word before (`한국과`, `대표단이`, `참석했습니다`)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


#: A letter of either: ``_UNSPACED``'s classes and ``_HANGUL``'s in one class.
_UNSPACED_OR_HANGUL = re.compile(_UNSPACED.pattern.removesuffix("]") + _HANGUL.pattern.removeprefix("["))


def _hangul(text: str) -> bool:
    """Whether at least 30% of the text's non-space characters are Hangul syllables."""
    if _HANGUL.search(text) is None:
        return False
    return len(_HANGUL.findall(text)) >= 0.3 * (len(text) - sum(map(text.count, " \n\t")))


def _density(
    text: str,
    function_words: frozenset[str] = _FUNCTION_WORDS,
    *,
    joined: bool = False,
    endings: tuple[str, ...] = (),
    beginnings: str = "",
) -> tuple[int, float]:
    """The text's words and their share of function words; ``joined``: the language writes its
    article, and the conjunction or preposition before it, joined to the noun (Arabic);
    ``endings``: function words the language writes joined to the end of a word (Korean
    particles and verb endings), each counted as one more word, a function word;
    ``beginnings``: the letters that are function words written joined to the start of a word
    (Hebrew's article, conjunction and prepositions), likewise."""
    words = _words(text.lower())
    if not words:
        return 0, 0.0
    if beginnings:
        count = hits = 0
        for word in words:
            if word in function_words:
                count, hits = count + 1, hits + 1
            elif len(word) > 3 and word[0] in beginnings:  # (`בירושלים`: in Jerusalem; `והזהירו`)
                count, hits = count + 2, hits + 1 + (word[1:] in function_words)
            else:
                count += 1
        return count, hits / count
    if endings:
        count = hits = 0
        for word in words:
            if word in function_words:
                count, hits = count + 1, hits + 1
            elif len(word) > 1 and word.endswith(endings):
                count, hits = count + 2, hits + 1
            else:
                count += 1
        return count, hits / count
    if not joined:
        return len(words), sum(map(function_words.__contains__, words)) / len(words)
    # as French `l'Inde` is two words, one of them a function word: `والمغرب` (and the Morocco)
    # is three, two of them function words, and `وفي` (and in) two function words
    count = hits = 0
    for word in words:
        if word in function_words:
            count, hits = count + 1, hits + 1
            continue
        before, rest = arabic_article(word)
        if not before and word[:1] in _JOINED_CONJUNCTIONS and word[1:] in function_words:
            before, rest = (word[0],), word[1:]
        count += len(before) + 1
        hits += len(before) + (rest in function_words)
    return count, hits / count


#: Languages whose article, and the conjunction or preposition before it, are written joined to
#: the noun: their words are cut (see :func:`analysis.text.arabic_article`) before counting.
_JOINED_ARTICLE = frozenset({"ar"})
_JOINED_CONJUNCTIONS = "وف"
#: The languages ``_FUNCTION_WORDS`` is written for; a text whose words fit another language's
#: stopwords at least ``_FIT_MARGIN`` times as well as theirs is judged with that language's list.
_CURATED = ("fr", "en")
_FIT_MARGIN = 1.5
#: A text whose blocks' words are less than this share of ``_FUNCTION_WORDS`` may be in another
#: language even if it lost little to density (a Portuguese page lost its lead paragraph alone):
#: whole French texts are at least 0.32 of them, English ones 0.28 (6,000 bench articles), while
#: Portuguese and German pages were 0.16 and 0.18, a Czech one 0.08.
_FOREIGN_SHARE = 0.25


@lru_cache(maxsize=1)
def _added_function_words() -> dict[str, list[str]]:
    """``data/boilerplate.toml``'s ``[function_words]``, per language (the file read once)."""
    with RULES_FILE.open("rb") as handle:
        added: dict[str, list[str]] = tomllib.load(handle).get("function_words", {})
    return added


@lru_cache(maxsize=1)
def _all_joined_endings() -> dict[str, tuple[str, ...]]:
    """``data/boilerplate.toml``'s ``[joined_endings]``, per language, longest first (read once)."""
    with RULES_FILE.open("rb") as handle:
        table: dict[str, list[str]] = tomllib.load(handle).get("joined_endings", {})
    return {lang: tuple(sorted(endings, key=len, reverse=True)) for lang, endings in table.items()}


def _joined_endings(lang: str) -> tuple[str, ...]:
    """The function words ``lang`` writes joined to the end of a word (none for most languages)."""
    return _all_joined_endings().get(lang, ())


@lru_cache(maxsize=1)
def _all_joined_beginnings() -> dict[str, str]:
    """``data/boilerplate.toml``'s ``[joined_beginnings]``, per language: its letters (read once)."""
    with RULES_FILE.open("rb") as handle:
        table: dict[str, list[str]] = tomllib.load(handle).get("joined_beginnings", {})
    return {lang: "".join(letters) for lang, letters in table.items()}


@lru_cache(maxsize=64)
def _language_function_words(lang: str) -> frozenset[str]:
    """stopwords-iso's list for ``lang`` and the function words ``data/boilerplate.toml`` adds to it."""
    return iso_stopwords(lang) | {word.lower() for word in _added_function_words().get(lang, [])}


@lru_cache(maxsize=1)
def _stopword_languages() -> dict[str, tuple[str, ...]]:
    """Each word of stopwords-iso's lists (as the tokenizer reads them, with ``data/boilerplate.toml``'s
    function words) with the languages holding it; a language stopwords-iso lacks (Albanian,
    Macedonian, Serbian) is one by its function words there."""
    import stopwordsiso

    index: dict[str, list[str]] = {}
    for lang in sorted(set(stopwordsiso.langs()) | set(_added_function_words())):
        for word in _language_function_words(lang):
            index.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in index.items()}


def _fitting_language(text: str) -> str | None:
    """The language (stopwords-iso) whose stopwords the text's words fit best, when it is none of
    ``_CURATED`` and fits ``_FIT_MARGIN`` times as well as each of them on the words that tell
    them apart (a word both lists hold counts for neither); ``None`` otherwise.

    English's list holds `il`, `al`, `la`, `e`, `re`: an Italian paragraph of 34 words was 16 of
    Italian's and 11 of English's, under the margin, though only 2 of English's (`re`, `ii`) are
    not also Italian's, against 7 of Italian's (`di`, `è`, `dal`, `nella`...) not English's."""
    index = _stopword_languages()
    held = [index.get(word, ()) for word in _words(text.lower())]
    counts = Counter(lang for langs in held for lang in langs)
    if not counts:
        return None
    best, _ = min(counts.items(), key=lambda item: (-item[1], item[0]))
    if best in _CURATED:
        return None
    for lang in _CURATED:
        only_best = sum(best in langs and lang not in langs for langs in held)
        only_lang = sum(lang in langs and best not in langs for langs in held)
        if not only_best or only_best < _FIT_MARGIN * only_lang:
            return None
    return best


#: the longest headline a heading rule takes with it (``Rule.heading``), and how a sentence ends
_TEASER_MAX_CHARS = 160
_TEASER_END = (".", "!", "?", ":", ";", ",")


def _is_teaser(line: str) -> bool:
    """A headline under a "Read also" heading: short, and no sentence (it ends with no full stop)."""
    line = line.strip()
    return 0 < len(line) <= _TEASER_MAX_CHARS and not line.endswith(_TEASER_END)


def _lost_most(units: list[_Unit], before: list[str | None]) -> bool:
    """Whether the density pass took most of the characters left to it (``before``: the reasons then)."""
    left = lost = 0
    for unit, reason in zip(units, before, strict=True):
        if reason is None:
            left += len(unit.text)
            lost += len(unit.text) if unit.reason is not None else 0
    return 2 * lost > left


def _ends_with(pattern: re.Pattern[str], text: str, longest: int) -> bool:
    """``pattern.search(text)`` for a pattern ``X\\s*$`` whose X ends with a non-space and is at most ``longest`` long.

    Such a match ends its X where the text's trailing whitespace begins, so it starts no earlier
    than ``longest`` characters before: only that end is searched (``\\b`` still sees what precedes).
    """
    return pattern.search(text, max(0, len(text.rstrip()) - longest)) is not None


def looks_wrapped(lines: list[str]) -> bool:
    """True when the text is hard-wrapped at a fixed width (lynx, e-mail), not one line per paragraph."""
    lengths = [len(line) for line in lines if len(line.strip()) >= 40]
    if len(lengths) < 8:
        return False
    lengths.sort()
    return lengths[int(len(lengths) * 0.9)] <= 100 and 55 <= lengths[len(lengths) // 2] <= 90


# --- bounded counting ----------------------------------------------------------------------------
#
# What ``partial_fit`` counts is one record per (source, line key) per article: at a million
# articles of ~30 lines, tens of millions of records, most of them lines seen once. Kept in
# Counters they would take gigabytes; here they are numpy records (16 bytes each) held in memory up
# to ``spill_pairs``, then merged (one record per pair, with its count) and appended to files
# partitioned by the key's top bits. A pair's records all land in one partition, so ``_finish``
# counts each partition alone and keeps the pairs that reach their source's floor: the same sets as
# counting everything in memory, in bounded memory.

SPILL_PAIRS = 1 << 20  # records held in memory before spilling (16 bytes each: 16 MB)
_PARTITION_BITS = 6  # 64 spill files, by the top bits of the (uniform, 64-bit) key
_COUNT_BATCH = 2000  # observations made into columns at a time by BoilerplateRemover.count
_SEEN_RECENT = 1 << 16  # whole-text hashes kept in a set before they join the sorted array
_RECORD = np.dtype([("key", "<u8"), ("group", "<u4"), ("count", "<u4")])  # group: source id * 2 (+1: edge)


def _merge(records: np.ndarray) -> np.ndarray:
    """One record per (key, group), counts summed; sorted by key then group.

    Each pair is one 64-bit number, the key's rank among the distinct keys (fewer than 2**32:
    a merge holds fewer records) over the group: two sorts of 64-bit numbers, which NumPy does
    with vector instructions, instead of a sort by two keys (1.7 times as long on a million).
    """
    if not len(records):
        return records
    keys, rank = np.unique(records["key"], return_inverse=True)
    pairs = (rank.astype(np.uint64) << np.uint64(32)) | records["group"]
    order = np.argsort(pairs)
    pairs = pairs[order]
    starts = np.flatnonzero(np.concatenate(([True], pairs[1:] != pairs[:-1])))
    firsts = pairs[starts]
    merged = np.empty(len(starts), dtype=_RECORD)
    merged["key"] = keys[firsts >> np.uint64(32)]
    merged["group"] = firsts & np.uint64(0xFFFFFFFF)
    # at most the source's articles
    merged["count"] = np.add.reduceat(records["count"][order], starts, dtype=np.int64)
    return merged


class _Tally:
    """What ``partial_fit`` counts: articles per source, exact copies seen, (source, key) records.

    Records are held in memory up to ``spill_pairs``, then spilled to a temporary directory in
    ``spill_dir`` (default: the system's temporary directory; removed by :meth:`close`, by
    :meth:`counts` once read, and when the tally is collected).
    """

    def __init__(self, spill_pairs: int = SPILL_PAIRS, spill_dir: str | Path | None = None) -> None:
        self.spill_pairs = max(1, spill_pairs)
        self.spill_dir = spill_dir
        self.articles: Counter[str] = Counter()
        self.source_ids: dict[str, int] = {}
        self._seen_recent: set[int] = set()
        self._seen_sorted = np.empty(0, dtype=np.uint64)
        self._chunks: list[np.ndarray] = []
        self._held = 0  # records in ``_chunks``
        self._dir: Path | None = None
        self._cleanup: weakref.finalize[Any, Any] | None = None
        self.spilled = 0  # times records went to disk
        self.spent = False  # the spilled records were read (and removed) by ``counts``

    def __getstate__(self) -> dict[str, Any]:
        if self._dir is not None:
            raise TypeError("a remover whose counts are on disk cannot be pickled: pickle a fitted copy")
        return self.__dict__ | {"_cleanup": None}

    def seen_many(self, text_hashes: list[int | None]) -> np.ndarray:
        """Whether each text was seen before (in an earlier call, or earlier in these), in order;
        the others remembered (None: not a text, neither seen nor remembered). At once: one by one,
        the million texts of a build took 1.3 s of the build's process."""
        seen = np.zeros(len(text_hashes), dtype=bool)
        at = np.flatnonzero(np.fromiter((h is not None for h in text_hashes), dtype=bool, count=len(text_hashes)))
        if not len(at):
            return seen
        given = [text_hashes[i] for i in at.tolist()]
        values = np.array(given, dtype=np.uint64)
        recent = self._seen_recent
        known = np.fromiter((h in recent for h in given), dtype=bool, count=len(given))
        found = self._seen_sorted
        if len(found):
            where = np.minimum(np.searchsorted(found, values), len(found) - 1)
            known |= found[where] == values
        _, firsts = np.unique(values, return_index=True)
        again = np.ones(len(values), dtype=bool)
        again[firsts] = False  # a hash met earlier in these
        known |= again
        seen[at] = known
        recent.update(values[~known].tolist())
        if len(recent) >= _SEEN_RECENT:
            held = np.fromiter(recent, dtype=np.uint64, count=len(recent))
            self._seen_sorted = np.sort(np.concatenate((found, held)))
            self._seen_recent = set()
        return seen

    def add_columns(
        self, sources: list[str], keys: np.ndarray, key_counts: np.ndarray, edges: np.ndarray, edge_counts: np.ndarray
    ) -> None:
        """Count articles: their sources, and their line keys and edge keys (distinct within each
        article) one article after the other, with how many each has."""
        if self.spent:
            raise RuntimeError("the counts were spilled to disk and read: fit the remover again")
        self.articles.update(sources)
        sids = np.array([self.source_ids.setdefault(s, len(self.source_ids)) for s in sources], dtype=np.uint32)
        chunk = np.empty(len(keys) + len(edges), dtype=_RECORD)
        chunk["key"] = np.concatenate((keys, edges))
        chunk["group"] = np.concatenate((np.repeat(2 * sids, key_counts), np.repeat(2 * sids + 1, edge_counts)))
        chunk["count"] = 1
        if len(chunk):
            self._chunks.append(chunk)
            self._held += len(chunk)
        if self._held >= self.spill_pairs:
            self._spill()

    def _held_records(self) -> np.ndarray:
        chunks, self._chunks = self._chunks, []
        records = np.concatenate(chunks) if chunks else np.empty(0, dtype=_RECORD)
        del chunks  # freed before the merge's copies are made
        records = _merge(records)
        self._chunks, self._held = ([records] if len(records) else []), len(records)
        return records

    def _spill(self) -> None:
        records = self._held_records()
        self._chunks, self._held = [], 0
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="analysis-boilerplate-", dir=self.spill_dir))
            self._cleanup = weakref.finalize(self, shutil.rmtree, self._dir, ignore_errors=True)
        # sorted by key: each partition (top bits of the key) is one slice
        bounds = np.searchsorted(
            records["key"], np.arange(1, 1 << _PARTITION_BITS, dtype=np.uint64) << np.uint64(64 - _PARTITION_BITS)
        )
        for part, piece in enumerate(np.split(records, bounds)):
            if len(piece):
                with (self._dir / f"{part:03d}.bin").open("ab") as handle:
                    piece.tofile(handle)
        self.spilled += 1

    def counts(self) -> Iterator[np.ndarray]:
        """All the records, one record per (key, group) with its count, a partition at a time.

        Without spills, from memory (kept, for more counting). With spills, from the files, which
        are removed once read: the counts are then spent.
        """
        if self.spent:
            raise RuntimeError("the counts were spilled to disk and read: fit the remover again")
        if self._dir is None:
            yield self._held_records()
            return
        try:
            if self._held:
                self._spill()
            for part in range(1 << _PARTITION_BITS):
                path = self._dir / f"{part:03d}.bin"
                if path.exists():
                    yield _merge(np.fromfile(path, dtype=_RECORD))
        finally:
            self.spent = True
            self.close()

    def close(self) -> None:
        """Remove the spill files (if any)."""
        if self._cleanup is not None:
            self._cleanup()
        self._dir, self._cleanup = None, None


class _Recorder:
    """A learnt set of line keys that writes down every question asked of it, with the answer.

    Kinds: 0/1 membership in the repeated lines/signatures, 2/3 whether those are empty at all.
    """

    __slots__ = ("_items", "_kind", "_record")

    def __init__(self, items: frozenset[int], kind: int, record: list[tuple[int, int, bool]]) -> None:
        self._items, self._kind, self._record = items, kind, record

    def __contains__(self, key: object) -> bool:
        found = key in self._items
        self._record.append((self._kind, int(key), found))  # type: ignore[call-overload]
        return found

    def __bool__(self) -> bool:
        found = bool(self._items)
        self._record.append((self._kind + 2, 0, found))
        return found


class Observation(NamedTuple):
    """What one text adds to a remover's counts (see :meth:`BoilerplateRemover.observe`)."""

    digest: int  # of the whole text: exact copies count once
    keys: tuple[int, ...]  # hashed keys of its lines (and sentences of long lines), sorted
    edges: tuple[int, ...]  # hashed keys of its first and last lines when short enough, sorted


class Observed(NamedTuple):
    """What a run of texts adds to a remover's counts, as columns (see :meth:`BoilerplateRemover.count_observed`):
    per text its source and digest (``None``: an empty text), and its keys and edge keys one text
    after the other, with how many each text has."""

    sources: list[str]
    digests: list[int | None]
    keys: np.ndarray  # uint64
    key_counts: np.ndarray  # int64, per text
    edges: np.ndarray  # uint64
    edge_counts: np.ndarray  # int64, per text

    @classmethod
    def of(cls, sources: Sequence[str], observations: Sequence[Observation | tuple[Any, ...] | None]) -> Observed:
        """From :meth:`BoilerplateRemover.observe` results (or their tuples), in the texts' order."""
        held = [o for o in observations if o is not None]

        def column(at: int) -> tuple[np.ndarray, np.ndarray]:
            counts = np.array([0 if o is None else len(o[at]) for o in observations], dtype=np.int64)
            values = np.fromiter(itertools.chain.from_iterable(o[at] for o in held), np.uint64, int(counts.sum()))
            return values, counts

        keys, key_counts = column(1)
        edges, edge_counts = column(2)
        return cls(
            list(sources), [None if o is None else o[0] for o in observations], keys, key_counts, edges, edge_counts
        )


@dataclass(frozen=True)
class Asked:
    """What the removals of many texts asked of their sources' learnt lines (each a list of
    :class:`_Recorder` questions: kind, key, answer), as columns: where each text's questions
    start (one more than the texts), then each question's kind, key and answer.

    A stored cleaning task's rows (500 texts, about 12,000 questions) are read back as a few arrays,
    not as a tuple per question (3 ms to unmarshal), and checked at once (:meth:`BoilerplateRemover.hold`).
    """

    starts: np.ndarray  # int64
    kinds: np.ndarray  # uint8
    keys: np.ndarray  # uint64
    answers: np.ndarray  # bool

    @classmethod
    def of(cls, records: Sequence[Sequence[tuple[int, int, bool]]]) -> Asked:
        counts = np.fromiter(map(len, records), np.int64, len(records))
        flat = list(itertools.chain.from_iterable(records))

        def column(at: int, dtype: Any) -> np.ndarray:
            return np.fromiter(map(operator.itemgetter(at), flat), dtype, len(flat))

        return cls(
            np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            column(0, np.uint8),
            column(1, np.uint64),
            column(2, bool),
        )

    def __len__(self) -> int:
        return len(self.starts) - 1

    def questions(self, i: int) -> list[tuple[int, int, bool]]:
        """The questions of text ``i``, as its removal recorded them."""
        start, stop = int(self.starts[i]), int(self.starts[i + 1])
        return list(
            zip(
                self.kinds[start:stop].tolist(),
                self.keys[start:stop].tolist(),
                self.answers[start:stop].tolist(),
                strict=True,
            )
        )

    def take(self, index: Sequence[int]) -> Asked:
        """Those texts' questions, in that order."""
        picked = np.asarray(index, dtype=np.int64)
        lengths = self.starts[picked + 1] - self.starts[picked]
        ends = np.cumsum(lengths)
        at = np.repeat(self.starts[picked] - (ends - lengths), lengths) + np.arange(int(ends[-1]) if len(ends) else 0)
        return Asked(np.concatenate([[0], ends]).astype(np.int64), self.kinds[at], self.keys[at], self.answers[at])

    @staticmethod
    def concat(parts: Sequence[Asked]) -> Asked:
        offsets = np.cumsum([0] + [int(p.starts[-1]) for p in parts[:-1]])
        starts = np.concatenate([[0]] + [p.starts[1:] + offset for p, offset in zip(parts, offsets, strict=True)])
        return Asked(
            starts.astype(np.int64),
            np.concatenate([p.kinds for p in parts]),
            np.concatenate([p.keys for p in parts]),
            np.concatenate([p.answers for p in parts]),
        )

    def packed(self) -> tuple[bytes, bytes, bytes, bytes]:
        """The columns' bytes (what :meth:`unpacked` reads)."""
        return (self.starts.tobytes(), self.kinds.tobytes(), self.keys.tobytes(), np.packbits(self.answers).tobytes())

    @classmethod
    def unpacked(cls, data: Sequence[bytes]) -> Asked:
        starts = np.frombuffer(data[0], dtype=np.int64)
        total = int(starts[-1])
        answers = np.unpackbits(np.frombuffer(data[3], dtype=np.uint8), count=total).astype(bool)
        return cls(starts, np.frombuffer(data[1], dtype=np.uint8), np.frombuffer(data[2], dtype=np.uint64), answers)


@dataclass
class BoilerplateRemover:
    """Removes page junk from article texts (fit on the corpus, then transform each text).

    ``fit``/``partial_fit`` learn, per source, which lines (or sentences of long lines) recur in
    many articles (``repeated_``) and which short lines open or end many of them (``signatures_``);
    ``clean`` then removes rules' matches, those lines and low-density blocks from one text.
    """

    options: BoilerplateOptions = field(default_factory=BoilerplateOptions)
    # records counted in memory before they go to disk (see _Tally); tests make it tiny
    spill_pairs: int = field(default=SPILL_PAIRS, kw_only=True, repr=False, compare=False)
    # where the counts spill (a folder that exists; default: the system's temporary directory,
    # which may be in memory: a build passes its own work folder)
    spill_dir: str | Path | None = field(default=None, kw_only=True, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.rules_ = load_rules(self.options.extra_rules)
        self._invisible = frozenset(f"rule:{r.name}" for r in self.rules_ if r.invisible)
        self._rule_plan: _Plan = _Plan(())
        self._planned_rules: tuple[Rule, ...] | None = None
        self._tally = _Tally(self.spill_pairs, self.spill_dir)
        self.repeated_: dict[str, frozenset[int]] = {}
        self.signatures_: dict[str, frozenset[int]] = {}
        # per source: its learnt sets, and the same as sorted arrays (see hold)
        self._arrays: dict[str, tuple[frozenset[int], frozenset[int], np.ndarray, np.ndarray]] = {}
        self._fitted = True

    # -- learning -------------------------------------------------------------------------------

    def partial_fit(self, texts: Iterable[str], sources: Iterable[str]) -> BoilerplateRemover:
        """Count, per source, the articles each line appears in and those it opens or ends.

        Lines longer than ``repeat_max_chars`` are counted sentence by sentence. Exact copies of a
        text count once.
        """
        return self.count(zip(sources, map(self.observe, texts), strict=True))

    def observe(self, text: str | None) -> Observation | None:
        """What one (normalised) text adds to the counts; ``None`` for an empty text.

        A pure function of the text and the options, so it can run in another process:
        :meth:`count` then adds what was observed, in the texts' order, as :meth:`partial_fit` does.
        """
        if not text:
            return None
        keys = {
            _hash(k) for k in (line_key(u) for u in self._units_text(text)) if len(k) >= self.options.repeat_min_chars
        }
        return Observation(_digest(text), tuple(sorted(keys)), tuple(sorted(self._edge_keys(text))))

    @property
    def articles_counted(self) -> int:
        """The texts counted so far (those not empty, each distinct text once)."""
        return sum(self._tally.articles.values())

    def count_observed(self, observed: Observed) -> BoilerplateRemover:
        """:meth:`count` of texts observed as columns (the same counts, added without an object per key)."""
        tally = self._tally
        if tally.spent:
            raise RuntimeError("the counts were spilled to disk and read: fit the remover again")
        # the same text twice would make its own lines look like furniture: counted once
        digests = observed.digests
        kept = ~tally.seen_many(digests) & np.fromiter((d is not None for d in digests), bool, len(digests))
        tally.add_columns(
            [source for source, keep in zip(observed.sources, kept.tolist(), strict=True) if keep],
            observed.keys[np.repeat(kept, observed.key_counts)],
            observed.key_counts[kept],
            observed.edges[np.repeat(kept, observed.edge_counts)],
            observed.edge_counts[kept],
        )
        self._fitted = False
        return self

    def count(self, observed: Iterable[tuple[str, Observation | None]]) -> BoilerplateRemover:
        """Add (source, :meth:`observe` result) pairs to the counts, in order (:meth:`count_observed`
        of a few thousand at a time)."""
        pairs = iter(observed)
        while batch := list(itertools.islice(pairs, _COUNT_BATCH)):
            sources, observations = zip(*batch, strict=True)
            self.count_observed(Observed.of(sources, observations))
        return self

    def _edge_keys(self, text: str) -> set[int]:
        """Hashed keys of the first and last non-blank lines, when short enough to be a signature."""
        lines = [line for line in text.split("\n") if line.strip()]
        low, high = self.options.signature_min_chars, self.options.repeat_min_chars
        # a line of ``high`` ASCII letters or more has a key at least as long (:func:`_ascii_letters`):
        # no signature, and a paragraph's key is the dearest to make
        edges = {lines[0], lines[-1]} if lines else set()
        keys = {line_key(line) for line in edges if _ascii_letters(line) < high}
        return {_hash(k) for k in keys if low <= len(k) < high}

    def fit(self, texts: Iterable[str], sources: Iterable[str]) -> BoilerplateRemover:
        """Learn repeated lines and signatures afresh from ``texts`` and their ``sources``.

        Args:
            texts: article texts (normalised as cleaning will see them).
            sources: the source of each text; what is learned applies to that source only.

        Returns:
            The remover itself.
        """
        self._tally.close()
        self._tally = _Tally(self.spill_pairs, self.spill_dir)
        return self.partial_fit(texts, sources)

    def _finish(self) -> None:
        """Turn the counts into the set of repeated lines per source (once, before cleaning).

        A line key is repeated when it is in ``repeat_min_articles`` articles of the source and
        ``repeat_min_share`` of them; an edge key is a signature when it opens or ends
        ``signature_min_share`` of them (sources of ``signature_min_articles`` or more).
        """
        if self._fitted:
            return
        options, tally = self.options, self._tally
        sources = list(tally.source_ids)  # in id order
        floors = np.full(2 * len(sources), np.inf)  # by group: lines at 2 * id, edges at 2 * id + 1
        for sid, source in enumerate(sources):
            articles = tally.articles[source]
            floors[2 * sid] = max(options.repeat_min_articles, options.repeat_min_share * articles)
            if articles >= options.signature_min_articles:  # else too few to tell a signature from a coincidence
                floors[2 * sid + 1] = options.signature_min_share * articles
        found: list[list[int]] = [[] for _ in floors]
        for records in tally.counts():
            kept = records[records["count"] >= floors[records["group"]]]
            if not len(kept):
                continue
            kept = kept[np.argsort(kept["group"], kind="stable")]
            groups, starts = np.unique(kept["group"], return_index=True)
            for group, keys in zip(groups.tolist(), np.split(kept["key"], starts[1:]), strict=True):
                found[group].extend(keys.tolist())
        self.repeated_ = {source: frozenset(found[2 * sid]) for sid, source in enumerate(sources)}
        self.signatures_ = {
            source: frozenset(found[2 * sid + 1])
            for sid, source in enumerate(sources)
            if tally.articles[source] >= options.signature_min_articles
        }
        self._fitted = True

    def _units_text(self, text: str) -> Iterable[str]:
        """The pieces compared across articles: short lines whole, longer ones by sentence."""
        for line in text.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            if len(stripped) > self.options.repeat_max_chars:
                yield from (s for s in _sentences(stripped) if len(s) <= self.options.repeat_max_chars)
            else:
                yield stripped

    def answers_hold(self, source: str, record: list[tuple[int, int, bool]]) -> bool:
        """Whether what the source's learnt lines answer now is what they answered in ``record``."""
        self._finish()
        learnt = (self.repeated_.get(source, frozenset()), self.signatures_.get(source, frozenset()))
        for kind, key, answer in record:
            found = bool(learnt[kind - 2]) if kind >= 2 else key in learnt[kind]
            if found != answer:
                return False
        return True

    def hold(self, sources: Sequence[str], asked: Asked) -> np.ndarray:
        """:meth:`answers_hold` of many texts at once (``sources``: each one's), as booleans.

        The questions are taken by source and kind (a sort), each run answered by a search in the
        source's learnt lines as a sorted array.
        """
        self._finish()
        rows = np.repeat(np.arange(len(sources), dtype=np.int64), np.diff(asked.starts))
        index: dict[str, int] = {}
        codes = np.fromiter((index.setdefault(s, len(index)) for s in sources), np.int64, len(sources))
        names = list(index)
        group = codes[rows] * 4 + asked.kinds  # each question's source and kind
        order = np.argsort(group, kind="stable")
        grouped = group[order]
        cuts = np.flatnonzero(np.diff(grouped)) + 1
        found = np.zeros(len(order), dtype=bool)
        for start, stop in zip([0, *cuts.tolist()], [*cuts.tolist(), len(order)], strict=True):
            if start == stop:
                continue
            source, kind = divmod(int(grouped[start]), 4)
            learnt = self._learnt_arrays(names[source])
            at = order[start:stop]
            if kind >= 2:  # whether the set is empty at all
                found[at] = len(learnt[kind - 2]) > 0
            elif len(learnt[kind]):
                keys, values = learnt[kind], asked.keys[at]
                found[at] = keys[np.minimum(np.searchsorted(keys, values), len(keys) - 1)] == values
        wrong = np.bincount(rows[found != asked.answers], minlength=len(sources))
        return wrong == 0

    def _learnt_arrays(self, source: str) -> tuple[np.ndarray, np.ndarray]:
        """The source's repeated lines and signatures as sorted ``uint64`` arrays (made once per source)."""
        repeated, signatures = self.repeated_.get(source, frozenset()), self.signatures_.get(source, frozenset())
        made = self._arrays.get(source)
        if made is None or made[0] is not repeated or made[1] is not signatures:  # (what is learnt changed)
            made = self._arrays[source] = (
                repeated,
                signatures,
                np.sort(np.fromiter(repeated, np.uint64, len(repeated))),
                np.sort(np.fromiter(signatures, np.uint64, len(signatures))),
            )
        return made[2], made[3]

    def _repeated_sentences(self, text: str, repeated: frozenset[int] | _Recorder) -> bool:
        """True when most of a long line (``repeat_sentence_share`` of it) is the source's recurring sentences."""
        if not repeated:
            return False
        found = 0
        for sentence in _sentences(text):
            key = line_key(sentence)
            if (
                len(key) >= self.options.repeat_min_chars
                and len(sentence) <= self.options.repeat_max_chars
                and _hash(key) in repeated
            ):
                found += len(sentence)
        return found >= self.options.repeat_sentence_share * len(text)

    # -- cleaning -------------------------------------------------------------------------------

    def _units(self, text: str) -> list[_Unit]:
        units: list[_Unit] = []
        blank = True
        index = -1
        for raw in text.split("\n"):
            stripped = raw.strip()
            if not stripped:
                blank = True
                continue
            index += 1
            if len(stripped) > self.options.split_chars:
                for position, sentence in enumerate(_sentences(stripped)):
                    units.append(_Unit(index, sentence, blank or position == 0))
            else:
                units.append(_Unit(index, raw.rstrip(), blank))
            blank = False
        return units

    def classify(
        self, text: str, source: str = "", title: str | None = None, record: list[tuple[int, int, bool]] | None = None
    ) -> list[_Unit]:
        """Every unit of the text with the reason it is junk (``None`` for body).

        ``record`` (a list) receives every question asked about the source's learnt lines, with
        its answer (see :meth:`answers_hold`).
        """
        self._finish()
        units = self._units(text)
        learnt = self.repeated_.get(source, frozenset()), self.signatures_.get(source, frozenset())
        repeated: frozenset[int] | _Recorder = learnt[0] if record is None else _Recorder(learnt[0], 0, record)
        signatures: frozenset[int] | _Recorder = learnt[1] if record is None else _Recorder(learnt[1], 1, record)
        title_key = line_key(title) if title else None
        kept_chars = 0
        tail_from: tuple[int, str] | None = None
        if self._planned_rules is not self.rules_:
            self._rule_plan = _plan(self.rules_)
            self._planned_rules = self.rules_
        plan = _text_plan(self._rule_plan, text)
        heading: str | None = None  # the reason of a heading alone on the line before
        for position, unit in enumerate(units):
            if heading is not None and _is_teaser(unit.text):
                unit.reason, heading = heading, None
                continue
            heading = None
            matched, stripped = _match_rules(plan, unit.text.strip())
            if matched is not None and matched[0].action == "line" and (pieces := _unglued(plan, unit, matched[1])):
                # junk glued to a body sentence on one line: each sentence judged on its own
                units[position + 1 : position + 1] = pieces[1:]
                unit.text, unit.reason = pieces[0].text, pieces[0].reason
                matched, stripped = _match_rules(plan, unit.text.strip())
            if matched is not None:
                rule, reason = matched
                if rule.action == "tail" and kept_chars >= self.options.tail_min_chars:
                    tail_from = (position, reason)
                if rule.heading:
                    heading = reason
                unit.reason = reason
            else:
                unit.text = stripped
            if tail_from is not None:
                break
            if unit.reason is None:
                long = len(stripped) > self.options.repeat_max_chars
                edge = position in (0, len(units) - 1)
                # a long line's key only tells whether it has words, is the title or (at an edge)
                # a signature; its ASCII letters, which its key keeps, mostly tell: a signature's
                # key is shorter than ``repeat_min_chars`` (see _edge_keys)
                key = (
                    line_key(stripped)
                    if not long
                    or _may_be_key(stripped, title_key)
                    or (edge and _ascii_letters(stripped) < self.options.repeat_min_chars)
                    else None
                )
                if key == "":
                    unit.reason = "no_words"
                elif key and title_key and key == title_key:
                    unit.reason = "title"
                elif (
                    key is not None
                    and self.options.repeat_min_chars <= len(key)
                    and not long
                    and _hash(key) in repeated
                ) or (long and self._repeated_sentences(stripped, repeated)):
                    unit.reason = "repeated"
                elif edge and key is not None and _hash(key) in signatures:
                    unit.reason = "signature"
                elif sum(map(stripped.count, _SEPARATOR_CHARS)) >= 3 and _link_separators(stripped) >= 3:
                    unit.reason = "link_list"
            if unit.reason is None:
                kept_chars += len(stripped)
        if tail_from is not None:
            start, reason = tail_from
            for unit in units[start + 1 :]:
                unit.reason = reason  # everything after a closing marker (not yet looked at)
        spaceless = _UNSPACED_OR_HANGUL.search(text) is not None  # (most texts: none, one scan for both)
        if spaceless and _unspaced(text):
            # Chinese, Japanese, Thai...: no spaces, so no words whose function words tell body
            # text from menus (every paragraph would be low density); the rules and repeats judge
            return units
        if spaceless and _hangul(text):
            # Korean: its particles and endings joined to the words, French and English function
            # words (and stopwords-iso's Korean words, written apart) find none in its prose
            self._density_pass(
                units,
                wrapped=looks_wrapped(text.split("\n")),
                function_words=_language_function_words("ko"),
                endings=_joined_endings("ko"),
            )
            return units
        wrapped = looks_wrapped(text.split("\n"))
        reasons = [unit.reason for unit in units]
        share = self._density_pass(units, wrapped=wrapped)
        foreign = share < _FOREIGN_SHARE
        if (foreign or _lost_most(units, reasons)) and (lang := _fitting_language(text)) is not None:
            # most of the text went as low density, or its words are few French and English
            # function words, and they are another language's: judged again with that language's
            # function words (those above are French and English)
            for unit, earlier in zip(units, reasons, strict=True):
                unit.reason = earlier
            # (and the endings it writes joined to a word, Finnish cases: `Ruotsissa`, in Sweden)
            self._density_pass(
                units,
                wrapped=wrapped,
                function_words=_language_function_words(lang),
                joined=lang in _JOINED_ARTICLE,
                beginnings=_all_joined_beginnings().get(lang, ""),
                endings=_joined_endings(lang),
            )
        return units

    def _density_pass(
        self,
        units: list[_Unit],
        *,
        wrapped: bool,
        function_words: frozenset[str] = _FUNCTION_WORDS,
        joined: bool = False,
        endings: tuple[str, ...] = (),
        beginnings: str = "",
    ) -> float:
        """Mark low-density blocks of the remaining units as junk (jusText-style, with context);
        the share of function words among all their words (1 when they have none)."""
        width = _wrap_width(units) if wrapped else 0
        blocks: list[list[_Unit]] = []
        # a run of text a browser never shows (a script) stands as one bad block: it is no body
        # text's neighbour, so the menu labels and code fragments around it get no good context
        scripts: list[bool] = []
        for unit in units:
            if unit.reason is not None:
                if unit.reason in self._invisible:
                    if not (blocks and scripts[-1]):
                        blocks.append([])
                        scripts.append(True)
                    blocks[-1].append(unit)
                elif blocks and (blocks[-1] or scripts[-1]):
                    blocks.append([])
                    scripts.append(False)
                continue
            if not blocks or not blocks[-1] or unit.block_break:
                new_block = True
            elif wrapped:
                # a wrapped paragraph's lines fill the width but its last: a short line ends an item
                new_block = len(blocks[-1][-1].text.strip()) < 0.75 * width
            else:
                new_block = blocks[-1][-1].line != unit.line
            if new_block or scripts[-1]:
                blocks.append([])
                scripts.append(False)
            blocks[-1].append(unit)
        scripts = [flag for flag, b in zip(scripts, blocks, strict=True) if b]
        blocks = [b for b in blocks if b]
        infos = [
            ("script", False, 0, 0.0)
            if flag
            else self._block_info(b, function_words, joined=joined, endings=endings, beginnings=beginnings)
            for flag, b in zip(scripts, blocks, strict=True)
        ]
        classes = [info[0] for info in infos]

        def neighbour(i: int, step: int, pool: list[str], skip: tuple[str, ...]) -> str:
            j = i + step
            while 0 <= j < len(pool):
                if pool[j] not in skip:
                    return pool[j]
                j += step
            return "bad"

        resolved = list(classes)
        if classes == ["near"]:
            # a text of one paragraph (a feed's description, a table's text field, a snippet) has
            # no neighbour to be judged by: prose-like words without a sentence end are its body
            resolved = ["good"]
        for i, cls in enumerate(classes):
            if cls == "near" and len(classes) > 1:
                sides = (neighbour(i, -1, classes, ("short",)), neighbour(i, 1, classes, ("short",)))
                resolved[i] = "good" if "good" in sides else "bad"
        # items of a list next to body text are body too, however many there are
        is_list = [info[1] for info in infos]  # looked at for "near" blocks only
        for order in (range(len(blocks)), range(len(blocks) - 1, -1, -1)):
            previous = "bad"
            for i in order:
                if classes[i] == "near" and is_list[i] and previous == "good":
                    resolved[i] = "good"
                if resolved[i] != "short":
                    previous = resolved[i]
        final = list(resolved)
        for i, cls in enumerate(resolved):
            if cls == "short":
                sides = (neighbour(i, -1, resolved, ("short",)), neighbour(i, 1, resolved, ("short",)))
                final[i] = "good" if sides == ("good", "good") else "bad"
        for block, cls in zip(blocks, final, strict=True):
            if cls not in ("good", "script"):
                for unit in block:
                    unit.reason = "low_density"
        self._main_region(units)
        words = sum(info[2] for info in infos)
        return sum(info[2] * info[3] for info in infos) / words if words else 1.0

    def _main_region(self, units: list[_Unit]) -> None:
        """Keep only the largest run of body text: body far from it is another article's teaser."""
        gap = self.options.main_gap_units
        if gap <= 0:
            return
        # Kept units with no junk between them form a chunk; a chunk of short lines only (menu
        # labels kept between two kept blocks) neither starts a region nor bridges a gap, and is
        # kept only inside the main region. A script dumped in the middle of a page (a run of junk
        # from a unit of an `invisible` rule to another) is not shown by a browser: no gap either.
        hidden = self._hidden_runs(units)
        chunks: list[list[int]] = []
        junk_before = [0]
        for position, unit in enumerate(units):
            junk_before.append(junk_before[-1] + (unit.reason is not None and not hidden[position]))
            if unit.reason is not None:
                continue
            if chunks and chunks[-1][-1] == position - 1:
                chunks[-1].append(position)
            else:
                chunks.append([position])
        regions: list[list[int]] = []
        for chunk in chunks:
            if all(_at_most_words(units[p].text, self.options.short_max_words) for p in chunk):
                continue
            if regions and junk_before[chunk[0]] - junk_before[regions[-1][-1] + 1] <= gap:
                regions[-1].extend(chunk)
            else:
                regions.append(list(chunk))
        if len(regions) < 2:
            return
        main = max(regions, key=lambda r: sum(len(units[p].text) for p in r))
        for position, unit in enumerate(units):
            if unit.reason is None and not main[0] <= position <= main[-1]:
                unit.reason = "outside_main"

    def _hidden_runs(self, units: list[_Unit]) -> list[bool]:
        """For each unit: inside a run of junk that starts and ends with units of invisible rules."""
        hidden = [False] * len(units)
        first: int | None = None
        last: int | None = None
        for position, unit in enumerate([*units, None]):
            if unit is not None and unit.reason is not None:
                if unit.reason in self._invisible:
                    first = position if first is None else first
                    last = position
                continue
            if first is not None and last is not None:
                hidden[first : last + 1] = [True] * (last + 1 - first)
            first = last = None
        return hidden

    def _block_info(
        self,
        block: list[_Unit],
        function_words: frozenset[str] = _FUNCTION_WORDS,
        *,
        joined: bool = False,
        endings: tuple[str, ...] = (),
        beginnings: str = "",
    ) -> tuple[str, bool, int, float]:
        """The class of a block, whether it holds a list item (told right for "near" blocks), its
        words and their share of function words."""
        text = " ".join(u.text.strip() for u in block)
        marked = "[" in text  # a link mark needs one
        words, density = _density(
            _LINK_MARK.sub(" ", text) if marked else text,
            function_words,
            joined=joined,
            endings=endings,
            beginnings=beginnings,
        )
        return (*self._block_class(block, text, marked, words, density), words, density)

    def _block_class(self, block: list[_Unit], text: str, marked: bool, words: int, density: float) -> tuple[str, bool]:
        """:meth:`_block_info`'s class and list item, from the block's words and density."""
        if words == 0:
            return "bad", False
        bullets = sum(1 for u in block if _BULLET.match(u.text))
        listed = bullets > 0
        if bullets and bullets >= len(block) / 2:
            numbered = sum(1 for u in block if _NUMBERED.match(u.text)) >= len(block) / 2
            if numbered or words / len(block) >= self.options.list_max_words:
                return "near", listed  # a list inside an article: kept next to body text
            return "bad", listed  # a menu: short items
        links = len(_LINK_MARK.findall(text)) if marked else 0
        if links and links / words > 0.2:
            return "bad", listed
        if _ends_with(_STAMP_END, text, 10):
            return "bad", listed  # a teaser list item: headline then its time or date
        if words <= self.options.short_max_words:
            return "short", listed
        sentence = _ends_with(_SENTENCE_END, text, 1)
        if density >= self.options.good_min_density and (
            (sentence and words >= self.options.good_min_words // 2) or words >= 3 * self.options.good_min_words
        ):
            return "good", listed
        return ("near" if density >= self.options.good_min_density * 0.5 else "bad"), listed

    def clean(
        self,
        text: str | None,
        source: str = "",
        title: str | None = None,
        *,
        record: list[tuple[int, int, bool]] | None = None,
    ) -> tuple[str | None, list[Removed]]:
        """The text without its junk (paragraphs separated by blank lines) and what was removed.

        The result depends on the text, the title, the options and rules, and on the source only
        through the answers ``record`` receives: when :meth:`answers_hold` for them later, with
        whatever the remover has learnt by then, cleaning the same text gives the same result.
        """
        if not text:
            return text, []
        units = self.classify(text, source, title, record)
        wrapped = looks_wrapped(text.split("\n"))
        paragraphs: list[list[str]] = []
        removed: list[Removed] = []
        previous: _Unit | None = None
        for unit in units:
            if unit.reason is not None:
                removed.append(Removed(unit.line, unit.reason, unit.text.strip()))
                previous = None
                continue
            same_line = previous is not None and previous.line == unit.line
            if previous is None or (unit.block_break and not same_line):
                paragraphs.append([])
            elif not wrapped and not same_line:
                paragraphs[-1].append("\n")
            paragraphs[-1].append(unit.text.strip())
            previous = unit
        pieces = []
        for paragraph in paragraphs:
            pieces.append(" ".join(paragraph).replace(" \n ", "\n"))
        cleaned = "\n\n".join(p for p in pieces if p.strip())
        return (cleaned or None), removed

    def line_labels(self, text: str, source: str = "", title: str | None = None) -> list[bool]:
        """For each non-blank line of ``text``: True when it is kept as body (most of its characters)."""
        units = self.classify(text, source, title)
        kept: Counter[int] = Counter()
        total: Counter[int] = Counter()
        for unit in units:
            total[unit.line] += len(unit.text) or 1
            if unit.reason is None:
                kept[unit.line] += len(unit.text) or 1
        count = sum(1 for line in text.split("\n") if line.strip())
        return [kept[i] * 2 > total[i] for i in range(count)]


def _wrap_width(units: list[_Unit]) -> int:
    lengths = sorted(len(u.text.strip()) for u in units if len(u.text.strip()) >= 40)
    return lengths[int(len(lengths) * 0.9)] if lengths else 80
