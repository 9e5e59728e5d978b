"""Exact and near duplicates: syndicated copies are marked, never dropped.

Exact duplicates share the hash of their normalised text (case, accents, punctuation and spacing
ignored). Near duplicates (the same wire story with small edits, other junk, or cut short) are
found with MinHash LSH over word shingles (datasketch) and confirmed by their estimated Jaccard
similarity. Groups are closed transitively; each group's canonical article is the earliest
published (then the smallest ``article_id``), the others get ``duplicate_of`` = its id, and the
canonical one gets ``copies`` = the number of its duplicates.

Texts too short for shingles (headlines) are only matched exactly, and only on the same day: two
outlets' identical headlines on different days are different news.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from analysis.text import fold

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class DuplicateOptions:
    shingle_words: int = 4
    num_perm: int = 128
    threshold: float = 0.4
    min_words: int = 25
    seed: int = 1


@dataclass(frozen=True)
class DuplicateMark:
    duplicate_of: str | None
    duplicate_kind: str | None  # "exact" or "near" for a copy; None for canonical and unique articles
    copies: int  # on a canonical article: how many copies it has; else 0


def text_key(text: str) -> str:
    """Normalised text for exact matching: folded words joined by single spaces."""
    return " ".join(_TOKEN.findall(fold(text)))


def _digest(key: str) -> bytes:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()


@dataclass
class DuplicateFinder:
    """Collects articles with :meth:`add`, then :meth:`marks` groups them (deterministically)."""

    options: DuplicateOptions = field(default_factory=DuplicateOptions)

    def __post_init__(self) -> None:
        from datasketch import MinHash, MinHashLSH

        self._minhash = MinHash
        self._lsh = MinHashLSH(threshold=self.options.threshold, num_perm=self.options.num_perm)
        self._template = MinHash(num_perm=self.options.num_perm, seed=self.options.seed)
        self._ids: list[str] = []
        self._published: list[float] = []
        self._exact: dict[bytes, int] = {}
        self._parent: list[int] = []
        self._digests: dict[int, bytes] = {}
        self._signatures: dict[int, np.ndarray] = {}

    def _find(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = self._parent[self._parent[i]]
            i = self._parent[i]
        return i

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def add(self, article_id: str, text: str | None, published: datetime | None = None) -> None:
        """Register one article (call in a fixed order: results do not depend on it otherwise)."""
        if not isinstance(text, str):
            text = None  # pandas' NA
        if published is not None and published != published:  # NaT
            published = None
        index = len(self._ids)
        self._ids.append(article_id)
        self._published.append(published.timestamp() if published is not None else float("inf"))
        self._parent.append(index)
        words = _TOKEN.findall(fold(text or ""))
        if not words:
            return
        short = len(words) < self.options.min_words
        key = " ".join(words)
        if short:
            key = f"{published.date().isoformat() if published else '-'}\x1f{key}"
        digest = _digest(key)
        self._digests[index] = digest
        first = self._exact.get(digest)
        if first is not None:
            self._union(first, index)
            return
        self._exact[digest] = index
        if short:
            return
        n = self.options.shingle_words
        shingles = {" ".join(words[i : i + n]).encode("utf-8") for i in range(max(1, len(words) - n + 1))}
        signature = self._template.copy()
        signature.update_batch(sorted(shingles))
        name = str(index)
        for candidate in self._lsh.query(signature):
            other = int(candidate)
            similarity = float(np.mean(self._signatures[other] == signature.hashvalues))
            if similarity >= self.options.threshold:
                self._union(other, index)
        self._lsh.insert(name, signature)
        self._signatures[index] = signature.hashvalues.copy()

    def extend(self, rows: Iterable[tuple[str, str | None, datetime | None]]) -> DuplicateFinder:
        for article_id, text, published in rows:
            self.add(article_id, text, published)
        return self

    def marks(self) -> dict[str, DuplicateMark]:
        """``article_id`` -> its mark, for every article added."""
        groups: dict[int, list[int]] = {}
        for index in range(len(self._ids)):
            groups.setdefault(self._find(index), []).append(index)
        out: dict[str, DuplicateMark] = {}
        for members in groups.values():
            canonical = min(members, key=lambda i: (self._published[i], self._ids[i]))
            for index in members:
                if index == canonical:
                    out[self._ids[index]] = DuplicateMark(None, None, len(members) - 1)
                else:
                    same = self._digests.get(index) is not None and self._digests.get(index) == self._digests.get(
                        canonical
                    )
                    kind = "exact" if same else "near"
                    out[self._ids[index]] = DuplicateMark(self._ids[canonical], kind, 0)
        return out
