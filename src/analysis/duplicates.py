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
import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from operator import methodcaller
from typing import Any

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


@dataclass(frozen=True, eq=False)
class Signature:
    """What :meth:`DuplicateFinder.add` needs of one article's text, computed by :func:`signature`.

    Small and picklable, so that it can be computed in a worker process. ``key`` (the folded
    words) is kept only for short texts, whose exact key also holds the publication day; longer
    texts have their ``digest`` and the MinHash ``hashvalues`` of their word shingles.
    """

    words: int  # how many words (0: nothing to match)
    digest: bytes | None = None  # exact-copy digest (texts of ``min_words`` words or more)
    key: str | None = None  # the folded words (shorter texts)
    hashvalues: np.ndarray | None = None  # MinHash of the shingles (texts of ``min_words`` words or more)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signature):
            return NotImplemented
        same_hashes = (self.hashvalues is None and other.hashvalues is None) or (
            self.hashvalues is not None
            and other.hashvalues is not None
            and np.array_equal(self.hashvalues, other.hashvalues)
        )
        return (self.words, self.digest, self.key) == (other.words, other.digest, other.key) and same_hashes

    __hash__ = None  # type: ignore[assignment]


@lru_cache(maxsize=8)
def _template(num_perm: int, seed: int) -> Any:
    """datasketch's MinHash with no value yet: its permutations and its scheme (cached per process)."""
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed)


try:  # CPython's own SHA-1: the same digests, with less overhead per call than OpenSSL's on short inputs
    _SHA1: Any = importlib.import_module("_sha1").sha1
except (ImportError, AttributeError):  # pragma: no cover
    _SHA1 = hashlib.sha1
_DIGEST = methodcaller("digest")
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_CHUNK = 2048  # shingles per block of the (shingles x permutations) product, to bound memory


def _minhash(shingles: list[bytes], template: Any) -> np.ndarray:
    """``MinHash.update_batch(shingles)`` on a copy of ``template``, in bulk: the same hash values.

    datasketch 2's default scheme ("affine32"): each value is the first 4 bytes of its SHA-1
    (little-endian), mixed by the MurmurHash3 finalizer, then permuted by ``a * h + b`` in 32-bit
    arithmetic; a slot keeps its smallest value. The SHA-1s are the only per-shingle Python work.
    Other schemes (or a template with values already) go through datasketch itself.
    """
    if getattr(template, "scheme", None) != "affine32" or template.hashfunc.__name__ != "sha1_hash32":
        sketch = template.copy()
        sketch.update_batch(shingles)
        return np.asarray(sketch.hashvalues).copy()
    digests = b"".join(map(_DIGEST, map(_SHA1, shingles)))  # 20 bytes each, the first 4 kept
    hv = np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint32)
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    a, b = template.permutations
    values = np.asarray(template.hashvalues, dtype=np.uint32).copy()
    for start in range(0, len(hv), _CHUNK):
        block = hv[start : start + _CHUNK, np.newaxis] * a + b
        np.minimum(values, block.min(axis=0), out=values)
    return values


def _shingles(words: list[str], n: int) -> list[bytes]:
    """The distinct runs of ``n`` words (the whole text when shorter), UTF-8 encoded, in no order."""
    data = " ".join(words).encode("utf-8")
    count = len(words) - n + 1
    if count <= 1:
        return [data]
    # words (\w+) hold no space, nor does the UTF-8 of any other character: the spaces are the joins
    spaces = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 32)
    starts = np.concatenate(([0], spaces + 1))[:count].tolist()
    ends = np.concatenate((spaces, [len(data)]))[n - 1 :].tolist()
    return list({data[start:end] for start, end in zip(starts, ends, strict=True)})


def signature(text: str | None, options: DuplicateOptions | None = None) -> Signature:
    """The signature of one article's text (what :meth:`DuplicateFinder.add` computes when not given it).

    A pure function of ``text`` and ``options``: it can run in another process.
    """
    options = options or DuplicateOptions()
    words = _TOKEN.findall(fold(text)) if isinstance(text, str) and text else []
    if not words:
        return Signature(0)
    if len(words) < options.min_words:
        return Signature(len(words), key=" ".join(words))
    digest = _digest(" ".join(words))
    values = _minhash(_shingles(words, options.shingle_words), _template(options.num_perm, options.seed))
    return Signature(len(words), digest=digest, hashvalues=values)


class _Sketch:
    """What datasketch's LSH index reads of a MinHash (its values, their number and its scheme)."""

    __slots__ = ("hashvalues", "scheme")

    def __init__(self, hashvalues: np.ndarray, scheme: str) -> None:
        self.hashvalues = hashvalues
        self.scheme = scheme

    def __len__(self) -> int:
        return len(self.hashvalues)


@dataclass
class DuplicateFinder:
    """Collects articles with :meth:`add`, then :meth:`marks` groups them (deterministically)."""

    options: DuplicateOptions = field(default_factory=DuplicateOptions)

    def __post_init__(self) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=self.options.threshold, num_perm=self.options.num_perm)
        self._template = _template(self.options.num_perm, self.options.seed)
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

    def add(
        self,
        article_id: str,
        text: str | None,
        published: datetime | None = None,
        signature: Signature | None = None,
    ) -> None:
        """Register one article (call in a fixed order: results do not depend on it otherwise).

        ``signature`` is ``signature(text, self.options)`` when already computed (by a worker);
        without it, it is computed here.
        """
        if published is not None and published != published:  # NaT
            published = None
        if signature is None:
            signature = _signature(text if isinstance(text, str) else None, self.options)  # not pandas' NA
        index = len(self._ids)
        self._ids.append(article_id)
        self._published.append(published.timestamp() if published is not None else float("inf"))
        self._parent.append(index)
        if not signature.words:
            return
        values = signature.hashvalues
        if values is None:  # a short text: matched exactly, on the same day only
            digest = _digest(f"{published.date().isoformat() if published else '-'}\x1f{signature.key}")
        else:
            assert signature.digest is not None
            digest = signature.digest
        self._digests[index] = digest
        first = self._exact.get(digest)
        if first is not None:
            self._union(first, index)
            return
        self._exact[digest] = index
        if values is None:
            return
        sketch = _Sketch(values, self._template.scheme)
        for candidate in self._lsh.query(sketch):
            other = int(candidate)
            similarity = float(np.mean(self._signatures[other] == values))
            if similarity >= self.options.threshold:
                self._union(other, index)
        self._lsh.insert(str(index), sketch)
        self._signatures[index] = values

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


_signature = signature  # ``add`` has a parameter of that name
