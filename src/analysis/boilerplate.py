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

import hashlib
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.text import fold

RULES_FILE = Path(__file__).parent / "data" / "boilerplate.toml"

_SENTENCE_END = re.compile(r"[.!?…»\"”)':]\s*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…»])\s+(?=[\"«“(]?[A-ZÀ-Ý0-9])")
_WORDS = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_BULLET = re.compile(r"^\s*(?:[*•·▪►»›+-]|\d{1,3}[.)])\s+")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+")
_LINK_MARK = re.compile(r"\[\d{1,4}\]")
_SEPARATORS = re.compile(r"\s(?:\|{1,2}|•|·|»|›|/)\s")
_STAMP_END = re.compile(r"(?:\b\d{1,2}[:h]\d{2}|\b\d{1,2}/\d{1,2}/\d{2,4})\s*$")
_KEY_DIGITS = re.compile(r"\d+")
_KEY_SPACE = re.compile(r"\W+")

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
        rules.append(Rule(str(spec.get("name", "rule")), action, pattern, bool(spec.get("invisible", False))))
    return tuple(rules)


def line_key(line: str) -> str:
    """The form of a line compared across articles: folded, digits and punctuation ignored."""
    return _KEY_SPACE.sub(" ", _KEY_DIGITS.sub("0", fold(line))).strip()


def _hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


def _density(text: str) -> tuple[int, float]:
    words = _WORDS.findall(text.lower())
    if not words:
        return 0, 0.0
    return len(words), sum(w in _FUNCTION_WORDS for w in words) / len(words)


def looks_wrapped(lines: list[str]) -> bool:
    """True when the text is hard-wrapped at a fixed width (lynx, e-mail), not one line per paragraph."""
    lengths = [len(line) for line in lines if len(line.strip()) >= 40]
    if len(lengths) < 8:
        return False
    lengths.sort()
    return lengths[int(len(lengths) * 0.9)] <= 100 and 55 <= lengths[len(lengths) // 2] <= 90


@dataclass
class BoilerplateRemover:
    """Removes page junk from article texts (fit on the corpus, then transform each text).

    ``fit``/``partial_fit`` learn, per source, which lines (or sentences of long lines) recur in
    many articles (``repeated_``) and which short lines open or end many of them (``signatures_``);
    ``clean`` then removes rules' matches, those lines and low-density blocks from one text.
    """

    options: BoilerplateOptions = field(default_factory=BoilerplateOptions)

    def __post_init__(self) -> None:
        self.rules_ = load_rules(self.options.extra_rules)
        self._invisible = frozenset(f"rule:{r.name}" for r in self.rules_ if r.invisible)
        self._counts: dict[str, Counter[int]] = defaultdict(Counter)
        self._edges: dict[str, Counter[int]] = defaultdict(Counter)
        self._articles: Counter[str] = Counter()
        self._seen_texts: set[int] = set()
        self.repeated_: dict[str, frozenset[int]] = {}
        self.signatures_: dict[str, frozenset[int]] = {}
        self._fitted = True

    # -- learning -------------------------------------------------------------------------------

    def partial_fit(self, texts: Iterable[str], sources: Iterable[str]) -> BoilerplateRemover:
        """Count, per source, the articles each line appears in and those it opens or ends.

        Lines longer than ``repeat_max_chars`` are counted sentence by sentence. Exact copies of a
        text count once.
        """
        for text, source in zip(texts, sources, strict=True):
            if not text:
                continue
            whole = _hash(text)
            if whole in self._seen_texts:
                continue  # the same text twice would make its own lines look like furniture
            self._seen_texts.add(whole)
            self._articles[source] += 1
            keys = {
                _hash(k)
                for k in (line_key(u) for u in self._units_text(text))
                if len(k) >= self.options.repeat_min_chars
            }
            self._counts[source].update(keys)
            self._edges[source].update(self._edge_keys(text))
        self._fitted = False
        return self

    def _edge_keys(self, text: str) -> set[int]:
        """Hashed keys of the first and last non-blank lines, when short enough to be a signature."""
        lines = [line for line in text.split("\n") if line.strip()]
        keys = {line_key(lines[0]), line_key(lines[-1])} if lines else set()
        low, high = self.options.signature_min_chars, self.options.repeat_min_chars
        return {_hash(k) for k in keys if low <= len(k) < high}

    def fit(self, texts: Iterable[str], sources: Iterable[str]) -> BoilerplateRemover:
        """Learn repeated lines and signatures afresh from ``texts`` and their ``sources``.

        Args:
            texts: article texts (normalised as cleaning will see them).
            sources: the source of each text; what is learned applies to that source only.

        Returns:
            The remover itself.
        """
        self._counts.clear()
        self._edges.clear()
        self._articles.clear()
        self._seen_texts.clear()
        return self.partial_fit(texts, sources)

    def _finish(self) -> None:
        """Turn the counts into the set of repeated lines per source (once, before cleaning)."""
        if self._fitted:
            return
        self._fitted = True
        repeated = {}
        for source, counts in self._counts.items():
            floor = max(self.options.repeat_min_articles, self.options.repeat_min_share * self._articles[source])
            repeated[source] = frozenset(k for k, n in counts.items() if n >= floor)
        self.repeated_ = repeated
        signatures = {}
        for source, counts in self._edges.items():
            articles = self._articles[source]
            if articles < self.options.signature_min_articles:
                continue  # too few articles to tell a signature from a coincidence
            floor = self.options.signature_min_share * articles
            signatures[source] = frozenset(k for k, n in counts.items() if n >= floor)
        self.signatures_ = signatures

    def _units_text(self, text: str) -> Iterable[str]:
        """The pieces compared across articles: short lines whole, longer ones by sentence."""
        for line in text.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            if len(stripped) > self.options.repeat_max_chars:
                yield from (s for s in _SENTENCE_SPLIT.split(stripped) if len(s) <= self.options.repeat_max_chars)
            else:
                yield stripped

    def _repeated_sentences(self, text: str, repeated: frozenset[int]) -> bool:
        """True when most of a long line (``repeat_sentence_share`` of it) is the source's recurring sentences."""
        if not repeated:
            return False
        found = 0
        for sentence in _SENTENCE_SPLIT.split(text):
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
                for position, sentence in enumerate(_SENTENCE_SPLIT.split(stripped)):
                    units.append(_Unit(index, sentence, blank or position == 0))
            else:
                units.append(_Unit(index, raw.rstrip(), blank))
            blank = False
        return units

    def classify(self, text: str, source: str = "", title: str | None = None) -> list[_Unit]:
        """Every unit of the text with the reason it is junk (``None`` for body)."""
        self._finish()
        units = self._units(text)
        repeated = self.repeated_.get(source, frozenset())
        signatures = self.signatures_.get(source, frozenset())
        title_key = line_key(title) if title else None
        kept_chars = 0
        tail_from: tuple[int, str] | None = None
        for position, unit in enumerate(units):
            stripped = unit.text.strip()
            for rule in self.rules_:
                if rule.action == "span":
                    stripped = rule.pattern.sub("", stripped).strip()
                    continue
                if rule.pattern.search(stripped):
                    if rule.action == "tail" and kept_chars >= self.options.tail_min_chars:
                        tail_from = (position, f"rule:{rule.name}")
                    unit.reason = f"rule:{rule.name}"
                    break
            unit.text = stripped if unit.reason is None else unit.text
            if tail_from is not None:
                break
            if unit.reason is None:
                key = line_key(stripped)
                if not key:
                    unit.reason = "no_words"
                elif title_key and key == title_key:
                    unit.reason = "title"
                elif (
                    self.options.repeat_min_chars <= len(key)
                    and len(stripped) <= self.options.repeat_max_chars
                    and _hash(key) in repeated
                ) or (len(stripped) > self.options.repeat_max_chars and self._repeated_sentences(stripped, repeated)):
                    unit.reason = "repeated"
                elif position in (0, len(units) - 1) and _hash(key) in signatures:
                    unit.reason = "signature"
                elif len(_SEPARATORS.findall(stripped)) >= 3:
                    unit.reason = "link_list"
            if unit.reason is None:
                kept_chars += len(stripped)
        if tail_from is not None:
            start, reason = tail_from
            for unit in units[start + 1 :]:
                unit.reason = reason  # everything after a closing marker (not yet looked at)
        self._density_pass(units, wrapped=looks_wrapped(text.split("\n")))
        return units

    def _density_pass(self, units: list[_Unit], *, wrapped: bool) -> None:
        """Mark low-density blocks of the remaining units as junk (jusText-style, with context)."""
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
        classes = ["script" if flag else self._block_class(b) for flag, b in zip(scripts, blocks, strict=True)]

        def neighbour(i: int, step: int, pool: list[str], skip: tuple[str, ...]) -> str:
            j = i + step
            while 0 <= j < len(pool):
                if pool[j] not in skip:
                    return pool[j]
                j += step
            return "bad"

        resolved = list(classes)
        for i, cls in enumerate(classes):
            if cls == "near":
                sides = (neighbour(i, -1, classes, ("short",)), neighbour(i, 1, classes, ("short",)))
                resolved[i] = "good" if "good" in sides else "bad"
        # items of a list next to body text are body too, however many there are
        is_list = [any(_BULLET.match(u.text) for u in block) for block in blocks]
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
            if all(len(_WORDS.findall(units[p].text)) <= self.options.short_max_words for p in chunk):
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

    def _block_class(self, block: list[_Unit]) -> str:
        text = " ".join(u.text.strip() for u in block)
        words, density = _density(_LINK_MARK.sub(" ", text))
        bullets = sum(1 for u in block if _BULLET.match(u.text))
        if words == 0:
            return "bad"
        if bullets and bullets >= len(block) / 2:
            numbered = sum(1 for u in block if _NUMBERED.match(u.text)) >= len(block) / 2
            if numbered or words / len(block) >= self.options.list_max_words:
                return "near"  # a list inside an article: kept next to body text
            return "bad"  # a menu: short items
        links = len(_LINK_MARK.findall(text))
        if links and links / words > 0.2:
            return "bad"
        if _STAMP_END.search(text):
            return "bad"  # a teaser list item: headline then its time or date
        if words <= self.options.short_max_words:
            return "short"
        sentence = _SENTENCE_END.search(text) is not None
        if density >= self.options.good_min_density and (
            (sentence and words >= self.options.good_min_words // 2) or words >= 3 * self.options.good_min_words
        ):
            return "good"
        return "near" if density >= self.options.good_min_density * 0.5 else "bad"

    def clean(self, text: str | None, source: str = "", title: str | None = None) -> tuple[str | None, list[Removed]]:
        """The text without its junk (paragraphs separated by blank lines) and what was removed."""
        if not text:
            return text, []
        units = self.classify(text, source, title)
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
