"""Fast tests run by RE2: that a Python regex cannot match at the start of a line, which of many
strings a text holds.

The boilerplate rules' anchored patterns are joined in one opening regex per step, tried at the
start of every line (see :mod:`analysis.boilerplate`): when it fails, none of them can match.
Python's ``re`` tries such an alternation branch by branch (128 for the default rules' first
step), which made that one test a third of boilerplate removal. RE2 (`google-re2`) runs an
alternation as one automaton, in time linear in the characters it reads, whatever the number of
branches.

RE2 lacks some of ``re``'s syntax (lookarounds, backreferences, Unicode word boundaries), and its
``\\w``, ``\\d`` and ``\\s`` are ASCII. So the pattern is translated into one that matches *at
least* where the Python one does (:func:`superset`): every class of characters is written out as
the code points Python's ``re`` admits (case folding included, as ``re`` folds; past ASCII,
widened to a few ranges), and each assertion RE2 cannot make is dropped (an assertion only rules
matches out). A line RE2 rejects is one the Python regex rejects; a line RE2 admits is tried as
before. Where the translation or RE2 is not available, an :class:`Opening` asks the Python regex
itself: the answers are the same, only slower.

:class:`Literals` finds which of many strings a text holds in one pass of an RE2 set of literals
(the rules' strings, which spare trying a rule on a text that lacks them).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from typing import Any

import numpy as np

try:  # the regex parser of the standard library (private, but unchanged in 3.11-3.13)
    _parser: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
    _EXTRA_CASES: dict[int, tuple[int, ...]] = importlib.import_module("re._casefix")._EXTRA_CASES
    _sre: Any = importlib.import_module("_sre")
except (ImportError, AttributeError):  # pragma: no cover - another Python: no prefilter
    _parser = None

try:
    import re2
except ImportError:  # pragma: no cover - google-re2 is a dependency; without it, no prefilter
    re2 = None

_MAX = 0x10FFFF
_SURROGATES = (0xD800, 0xDFFF)
_RE2_MAX_REPEAT = 1000  # RE2's largest count in {m,n}
_RE2_MAX_MEM = 64 << 20  # room for the automaton of a few hundred branches
_CLASS_RANGES = 24  # ranges of code points past ASCII a class is written with, at most
_CHARACTER_FLAGS = re.IGNORECASE | re.ASCII  # what a one-character regex's matches depend on

Ranges = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive


class Untranslatable(ValueError):
    """The pattern holds something :func:`superset` cannot write for RE2 (a backreference...)."""


# -- sets of code points --------------------------------------------------------------------------


def _merged(ranges: Iterable[tuple[int, int]]) -> Ranges:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return tuple(out)


def _complement(ranges: Ranges) -> Ranges:
    out, start = [], 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= _MAX:
        out.append((start, _MAX))
    return tuple(out)


@lru_cache(maxsize=1)
def _every_character() -> str:
    """Every code point in order, the index of each its value (surrogates too: a Python string may
    hold them, no class but a negated one admits them, and :func:`_class` leaves them out)."""
    return np.arange(_MAX + 1, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")


def _runs(regex: re.Pattern[str]) -> Ranges:
    """The code points ``regex`` (a class followed by ``+``) admits, asked of ``re`` itself."""
    return tuple((found.start(), found.end() - 1) for found in regex.finditer(_every_character()))


_CATEGORIES = {"WORD": r"\w", "NOT_WORD": r"\W", "DIGIT": r"\d", "NOT_DIGIT": r"\D", "SPACE": r"\s", "NOT_SPACE": r"\S"}


@cache
def _category(code: Any, ascii_only: bool) -> Ranges:
    """The code points ``re`` puts in a category (``\\w``, ``\\D``...)."""
    source = _CATEGORIES.get(str(code).removeprefix("CATEGORY_"))
    if source is None:
        raise Untranslatable(f"category {code}")
    return _runs(re.compile(f"{source}+", re.ASCII if ascii_only else 0))


@lru_cache(maxsize=1)
def _cased() -> tuple[str, Ranges]:
    """The code points whose match under IGNORECASE may differ from their match without (those
    ``re`` deems cased, and those of its extra cases), as a string and as ranges."""
    points = {p for p in range(_MAX + 1) if _sre.unicode_iscased(p)}
    for low, others in _EXTRA_CASES.items():
        points.add(low)
        points.update(others)
    ordered = sorted(points)
    return "".join(map(chr, ordered)), _merged((p, p) for p in ordered)


@lru_cache(maxsize=4096)
def _folded(source: str, flags: int, plain: Ranges) -> Ranges:
    """The code points the one-character regex ``source`` admits under ``flags``, given ``plain``,
    those it admits without IGNORECASE: they differ only on cased code points, which are asked of
    ``re`` itself (a character's case folding is ``re``'s own, not RE2's)."""
    if not flags & re.IGNORECASE:
        return plain
    cased, ranges = _cased()
    admitted = [(ord(found[0]), ord(found[0])) for found in re.finditer(source, cased, flags)]
    return _merged([*_intersection(plain, _complement(ranges)), *admitted])


def _intersection(a: Ranges, b: Ranges) -> list[tuple[int, int]]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


@lru_cache(maxsize=4096)
def _class(ranges: Ranges) -> str:
    """An RE2 class of the code points, or of a few more: past ASCII, the ranges closest to each
    other are joined until at most ``_CLASS_RANGES`` are left (``\\w`` is 734 ranges of code points;
    a class that admits more only makes the test admit more lines). Surrogates are left out."""
    ranges = tuple(_intersection(ranges, ((0, _SURROGATES[0] - 1), (_SURROGATES[1] + 1, _MAX))))
    if not ranges:
        return r"[^\x00-\x{10FFFF}]"  # nothing
    ascii_part = [r for r in ranges if r[1] < 0x80]
    wide = [r for r in ranges if r[1] >= 0x80]
    if len(wide) > _CLASS_RANGES:
        gaps = sorted(range(1, len(wide)), key=lambda i: (wide[i - 1][1] - wide[i][0], i))[: _CLASS_RANGES - 1]
        cuts = sorted(gaps)
        wide = [(wide[a][0], wide[b - 1][1]) for a, b in zip([0, *cuts], [*cuts, len(wide)], strict=True)]
    return (
        "["
        + "".join(_written(lo) if lo == hi else f"{_written(lo)}-{_written(hi)}" for lo, hi in ascii_part + wide)
        + "]"
    )


def _written(point: int) -> str:
    return chr(point) if chr(point).isalnum() and point < 0x80 else f"\\x{{{point:X}}}"


# -- the translation ------------------------------------------------------------------------------


def superset(pattern: str, flags: int = 0) -> str:
    """An RE2 pattern that matches every string ``re.compile(pattern, flags)`` matches at its start
    (and maybe more), for strings without a line break. Raises :class:`Untranslatable`."""
    if _parser is None:  # pragma: no cover
        raise Untranslatable("no regex parser")
    parsed = _parser.parse(pattern, flags)
    return _items(parsed, parsed.state.flags)


def _items(items: Iterable[tuple[Any, Any]], flags: int) -> str:
    return "".join(_item(op, av, flags) for op, av in items)


def _item(op: Any, av: Any, flags: int) -> str:
    ascii_only = bool(flags & re.ASCII)
    if op is _c.LITERAL or op is _c.NOT_LITERAL:
        plain = ((av, av),) if op is _c.LITERAL else _complement(((av, av),))
        source = ("[^" if op is _c.NOT_LITERAL else "[") + _escaped(av) + "]"
        return _class(_folded(source, flags & _CHARACTER_FLAGS, plain))
    if op is _c.ANY:
        return _class(((0, _MAX),))  # (no line break in the strings tried)
    if op is _c.IN:
        return _class(_set(av, flags & _CHARACTER_FLAGS))
    if op is _c.SUBPATTERN:
        _group, add, remove, sub = av
        return f"(?:{_items(sub, (flags | add) & ~remove)})"
    if op is _c.BRANCH:
        return "(?:" + "|".join(_items(sub, flags) for sub in av[1]) + ")"
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, high, sub = av
        if low > _RE2_MAX_REPEAT:
            raise Untranslatable(f"repeat of {low}")
        inner = f"(?:{_items(sub, flags)})"
        if high is _c.MAXREPEAT or high > _RE2_MAX_REPEAT:
            return inner + ("*" if low == 0 else "+" if low == 1 else f"{{{low},}}")
        return inner + ("?" if (low, high) == (0, 1) else f"{{{low},{high}}}")
    if op is _c.ATOMIC_GROUP:
        return f"(?:{_items(av, flags)})"  # (without backtracking it matches less, not more)
    if op is _c.AT:
        if av in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING):
            return r"\A"  # (also with MULTILINE: no line break in the strings tried)
        if av in (_c.AT_END, _c.AT_END_STRING):
            return r"\z"
        return ""  # a word boundary: dropped
    if op is _c.ASSERT or op is _c.ASSERT_NOT:
        return ""  # dropped: it only rules matches out
    if op is _c.GROUPREF_EXISTS:
        _group, yes, no = av
        return f"(?:{_items(yes, flags)}|{_items(no, flags) if no is not None else ''})"
    if op is _c.CATEGORY:
        return _class(_category(av, ascii_only))
    raise Untranslatable(f"{op}")


def _set(items: list[tuple[Any, Any]], flags: int) -> Ranges:
    """The code points a class admits (see :func:`_folded`)."""
    plain: list[tuple[int, int]] = []
    source = []
    negate = False
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            plain.append((av, av))
            source.append(_escaped(av))
        elif op is _c.RANGE:
            plain.append(av)
            source.append(f"{_escaped(av[0])}-{_escaped(av[1])}")
        elif op is _c.CATEGORY:
            plain.extend(_category(av, bool(flags & re.ASCII)))
            source.append(_CATEGORIES[str(av).removeprefix("CATEGORY_")])
        else:
            raise Untranslatable(f"{op} in a class")
    ranges = _merged(plain)
    if negate:
        ranges = _complement(ranges)
    return _folded(("[^" if negate else "[") + "".join(source) + "]", flags, ranges)


def _escaped(point: int) -> str:
    return f"\\U{point:08x}"


# -- the test -------------------------------------------------------------------------------------


class Opening:
    """A test of ``regex`` at the start of lines: ``fast`` (RE2, given a line's UTF-8 bytes; None
    when the regex cannot be translated) is false for a line ``regex`` cannot match at its start.
    :meth:`match` takes a line as it is."""

    __slots__ = ("fast", "regex")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.fast: Callable[[bytes], bool] | None = None
        if re2 is None or _parser is None:  # pragma: no cover
            return
        try:
            options = re2.Options()
            options.max_mem = _RE2_MAX_MEM
            options.never_capture = True
            compiled = re2.compile(superset(regex.pattern, regex.flags), options)
        except Exception:  # (Untranslatable, re2.error...): the regex alone answers, as before
            return
        self.fast = _anchored_test(compiled)

    def match(self, line: str) -> bool:
        """False when ``regex`` cannot match at the start of ``line``."""
        encoded = utf8(line)
        if self.fast is None or encoded is None:
            return self.regex.match(line) is not None
        return self.fast(encoded)

    def __reduce__(self) -> tuple[Any, ...]:
        return opening, (self.regex,)


def _anchored_test(compiled: Any) -> Callable[[bytes], bool]:
    """Whether ``compiled`` (RE2) matches at the start of UTF-8 bytes. RE2's own ``Match`` when the
    bindings have it (0.8 us a line, against 3.5 us through ``match``, which maps byte offsets back
    to characters); an RE2 object, unlike an RE2 set, falls back from its automaton to another
    method when the automaton runs out of memory, so its answers are always whole."""
    low = getattr(getattr(compiled, "_regexp", None), "Match", None)
    anchor = getattr(getattr(re2, "_Anchor", None), "ANCHOR_START", None)
    if low is None or anchor is None:  # pragma: no cover - other bindings
        return lambda encoded: compiled.match(encoded) is not None

    def test(encoded: bytes) -> bool:
        return bool(low(anchor, encoded, 0, len(encoded))[0][0] >= 0)

    return test


class Literals:
    """Which of ``strings`` a text holds, in one pass of RE2 over it (a set of literals) instead of
    one ``in`` each or a pass of an Aho-Corasick automaton that yields every occurrence."""

    __slots__ = ("_set", "strings")

    def __init__(self, strings: Sequence[str]) -> None:
        self.strings = tuple(strings)
        options = re2.Options()
        options.max_mem = _RE2_MAX_MEM
        options.literal = True
        self._set = re2.Set.SearchSet(options)
        for string in self.strings:
            self._set.Add(string)
        self._set.Compile()

    def found(self, text: str) -> list[int]:
        """The indices of the strings ``text`` holds (in no order)."""
        try:
            encoded = text.encode()
        except UnicodeEncodeError:  # (a lone surrogate)
            return [i for i, string in enumerate(self.strings) if string in text]
        return self._set.Match(encoded) or []

    def __reduce__(self) -> tuple[Any, ...]:
        return Literals, (self.strings,)


def literals(strings: Sequence[str]) -> Literals | None:
    """A :class:`Literals` of ``strings`` (none of them empty), or None without RE2."""
    if re2 is None or not strings or not all(strings):
        return None
    try:
        return Literals(strings)
    except re2.error:  # pragma: no cover
        return None


def opening(regex: re.Pattern[str]) -> Opening:
    """The :class:`Opening` of ``regex``, made once a process (translating and compiling the
    default rules' first step takes about 0.4 s; a worker unpickles the rules' plan once a pass)."""
    return _opening(regex.pattern, regex.flags)


@lru_cache(maxsize=64)
def _opening(pattern: str, flags: int) -> Opening:
    return Opening(re.compile(pattern, flags))


def utf8(line: str) -> bytes | None:
    """The line as RE2 takes it; None for one it cannot (a line break, a lone surrogate)."""
    if "\n" in line:
        return None
    try:
        return line.encode()
    except UnicodeEncodeError:
        return None
