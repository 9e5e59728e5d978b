"""Exact and near duplicates: syndicated copies are marked, never dropped.

Exact duplicates share the hash of their normalised text (case, accents, punctuation and spacing
ignored). Near duplicates (the same wire story with small edits, other junk, or cut short) are
found with MinHash LSH over word shingles (datasketch) and confirmed by their estimated Jaccard
similarity. Groups are closed transitively; each group's canonical article is the earliest
published (then the smallest ``article_id``), the others get ``duplicate_of`` = its id, and the
canonical one gets ``copies`` = the number of its duplicates.

Texts too short for shingles (headlines) are only matched exactly, and only on the same day: two
outlets' identical headlines on different days are different news.

Two teasers (texts of fewer than ``teaser_words`` words: a feed's standfirst, a series' blurb)
are copies only when their titles are alike too (at least ``title_threshold`` of their words
shared; either without a title, as before): a series' episodes, a live page's days and a
follow-up often repeat one standfirst under their own titles (`Carnets d'exil : Nina, de Moscou
à Paris`, `Carnets d'exil : Alina, de Kharkhiv à Nice`), where a wire brief's copies keep its
title or add a word (`GM LAYING OFF 5,500 AT TWO PLANTS`, `GM <GM> LAYING OFF ...`). An exact
teaser copy has the same title as well as the same words.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analysis.text import bmp_class_table, fold, fold_points, runs

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class DuplicateOptions:
    shingle_words: int = 4
    num_perm: int = 128
    threshold: float = 0.4
    min_words: int = 25
    seed: int = 1
    teaser_words: int = 100
    title_threshold: float = 0.5


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


def _day_digest(published: datetime | None, key: str | None) -> bytes:
    """The exact key of a short text: its folded words on its publication day."""
    return _digest(f"{published.date().isoformat() if published else '-'}\x1f{key}")


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


@dataclass(frozen=True, eq=False)
class Signatures:
    """The signatures of a run of articles as columns: what a cleaning task sends back and keeps.

    Per article, ``words``, ``digests`` and ``keys`` as in :class:`Signature`; ``values`` holds the
    MinHash values of the articles that have a digest, one row each, in the articles' order.
    :meth:`DuplicateFinder.add_signatures` takes them whole (no object per article).
    """

    words: list[int]
    digests: list[bytes | None]
    keys: list[str | None]
    values: np.ndarray  # (articles with a digest, num_perm)

    @classmethod
    def of(cls, signatures: Iterable[Signature], num_perm: int) -> Signatures:
        signatures = list(signatures)
        values = [s.hashvalues for s in signatures if s.hashvalues is not None]
        return cls(
            [s.words for s in signatures],
            [s.digest for s in signatures],
            [s.key for s in signatures],
            np.stack(values) if values else np.zeros((0, num_perm), dtype=np.uint32),
        )

    def __len__(self) -> int:
        return len(self.words)

    def __iter__(self) -> Iterator[Signature]:
        rows = iter(self.values)
        for words, digest, key in zip(self.words, self.digests, self.keys, strict=True):
            yield Signature(words, digest, key, None if digest is None else next(rows).copy())

    def take(self, index: Sequence[int]) -> Signatures:
        """The signatures of the articles at ``index``, in that order."""
        long = np.cumsum([d is not None for d in self.digests]) - 1
        rows = [long[i] for i in index if self.digests[i] is not None]
        return Signatures(
            [self.words[i] for i in index],
            [self.digests[i] for i in index],
            [self.keys[i] for i in index],
            self.values[np.asarray(rows, dtype=np.int64)],
        )

    @staticmethod
    def concat(parts: Sequence[Signatures]) -> Signatures:
        held = [p.values for p in parts if len(p.values)]
        return Signatures(
            [n for p in parts for n in p.words],
            [d for p in parts for d in p.digests],
            [k for p in parts for k in p.keys],
            np.concatenate(held) if held else parts[0].values,
        )

    def pack(self) -> tuple[list[int], list[bytes | None], list[str | None], str, bytes]:
        """As plain values (for ``marshal``): the values' dtype and bytes."""
        return self.words, self.digests, self.keys, self.values.dtype.str, self.values.tobytes()

    @classmethod
    def unpack(cls, packed: tuple[list[int], list[bytes | None], list[str | None], str, bytes]) -> Signatures:
        words, digests, keys, dtype, data = packed
        values = np.frombuffer(data, dtype=dtype)
        long = sum(d is not None for d in digests)
        return cls(words, digests, keys, values.reshape(long, len(values) // long if long else 0).copy())


#: The odd multiplier of the polynomial that combines a shingle's word hashes (mod 2**64).
_SHINGLE_BASE = 0x9E3779B97F4A7C15
#: The odd multiplier of the polynomial over a word's code points that hashes it (mod 2**64).
_WORD_BASE = 0xD6E8FEB86659FD93
_MASK64 = (1 << 64) - 1
_MIX64 = (30, 0xBF58476D1CE4E5B9, 27, 0x94D049BB133111EB, 31)  # the SplitMix64 finalizer
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_CHUNK = 2048  # shingles per block of the (shingles x permutations) product, to bound memory
#: The longest text (in code points) whose words are hashed through prefix sums: the two tables of
#: powers this needs take 16 bytes per code point (2 MB). Longer texts sum each word's run apart.
_PREFIX_MAX = 1 << 17


def _word_hash(word: str) -> int:
    """The 64-bit hash of a word: the polynomial of its code points in ``_WORD_BASE`` (mod 2**64),
    mixed by the SplitMix64 finalizer. The same in every process, unlike ``hash``; :func:`signature`
    computes it for all the words of a text at once (:func:`_word_hashes`)."""
    value, power = 0, 1
    for char in word:
        value = (value + ord(char) * power) & _MASK64
        power = (power * _WORD_BASE) & _MASK64
    s1, m1, s2, m2, s3 = _MIX64
    value = ((value ^ (value >> s1)) * m1) & _MASK64
    value = ((value ^ (value >> s2)) * m2) & _MASK64
    return value ^ (value >> s3)


def shingle_hash32(shingle: bytes) -> int:
    """The 32-bit hash of one shingle (its words joined by spaces, UTF-8), as datasketch's ``hashfunc``.

    The words' 64-bit hashes combined as a polynomial (``h = h * base + word``, mod 2**64), the top
    32 bits kept. :func:`signature` computes the same numbers for all the shingles of a text at
    once from the hashes of its words, not per shingle.
    """
    value = 0
    for word in shingle.decode("utf-8", "surrogatepass").split(" "):
        value = (value * _SHINGLE_BASE + _word_hash(word)) & _MASK64
    return value >> 32


@lru_cache(maxsize=8)
def _template(num_perm: int, seed: int) -> Any:
    """datasketch's MinHash with no value yet: its permutations and its scheme (cached per process)."""
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed, hashfunc=shingle_hash32)


def _powers(base: int, count: int) -> np.ndarray:
    """``base ** k`` mod 2**64 for ``k`` in ``range(count)`` (``uint64``), by doubling."""
    powers = np.ones(max(count, 1), dtype=np.uint64)
    size = 1
    while size < count:
        step = min(size, count - size)
        powers[size : size + step] = powers[:step] * np.uint64(pow(base, size, 1 << 64))
        size += step
    return powers[:count]


@lru_cache(maxsize=1)
def _prefix_powers() -> tuple[np.ndarray, np.ndarray]:
    """The powers of ``_WORD_BASE`` and of its inverse mod 2**64, up to ``_PREFIX_MAX`` (per process)."""
    return _powers(_WORD_BASE, _PREFIX_MAX + 1), _powers(pow(_WORD_BASE, -1, 1 << 64), _PREFIX_MAX + 1)


def _word_spans(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of ``\\w`` characters of a text (its code points) starts and ends."""
    table = bmp_class_table(r"\w")
    if len(points) and int(points.max()) >= len(table):
        small = points < len(table)
        inside = np.zeros(len(points), dtype=bool)
        inside[small] = table[points[small]]
        for at in np.flatnonzero(~small):
            inside[at] = _TOKEN.match(chr(points[at])) is not None
    else:
        inside = table[points]
    return runs(inside)


def _word_hashes(points: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """:func:`_word_hash` of each word of a text (``points[starts[k]:ends[k]]``), ``uint64``, at once.

    Each code point is weighted by the power of ``_WORD_BASE`` of its place in the text and the
    weights summed (wrapping mod 2**64): a word's polynomial is the difference of two prefix sums
    brought back by the inverse power of its start. Texts longer than ``_PREFIX_MAX`` weight each
    code point by its place in its word and sum each word's run.
    """
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    if len(points) <= _PREFIX_MAX:
        up, down = _prefix_powers()
        prefix = np.zeros(len(points) + 1, dtype=np.uint64)
        np.cumsum(points * up[: len(points)], out=prefix[1:])
        value = (prefix[ends] - prefix[starts]) * down[starts]
    else:
        lengths = ends - starts
        firsts = np.cumsum(lengths) - lengths  # where each word's code points start once gathered
        places = np.arange(int(lengths.sum())) - np.repeat(firsts, lengths)  # place in its word
        inside = places + np.repeat(starts, lengths)
        weighted = points[inside].astype(np.uint64) * _powers(_WORD_BASE, int(lengths.max()))[places]
        value = np.add.reduceat(weighted, firsts)
    s1, m1, s2, m2, s3 = (np.uint64(v) for v in _MIX64)
    value = (value ^ (value >> s1)) * m1
    value = (value ^ (value >> s2)) * m2
    return value ^ (value >> s3)


def _shingle_hashes(hashes: np.ndarray, n: int) -> np.ndarray:
    """:func:`shingle_hash32` of each run of ``n`` words (the whole text when shorter), ``uint32``, in
    order, from the hashes of the words.

    A run may repeat: its value then repeats too, which leaves a MinHash unchanged.
    """
    count = len(hashes) - n + 1
    if count <= 1:
        count, n = 1, len(hashes)
    base = np.uint64(_SHINGLE_BASE)
    value = hashes[:count].copy()
    for offset in range(1, n):
        value *= base
        value += hashes[offset : offset + count]
    return (value >> np.uint64(32)).astype(np.uint32)


def _minhash(hashes: np.ndarray, n: int, template: Any, words: Callable[[], list[str]]) -> np.ndarray:
    """``MinHash.update_batch(shingles)`` of the runs of ``n`` words on a copy of ``template``, in bulk.

    datasketch 2's "affine32" scheme: each shingle's :func:`shingle_hash32` (from the words'
    ``hashes``), mixed by the MurmurHash3 finalizer, then permuted by ``a * h + b`` in 32-bit
    arithmetic; a slot keeps its smallest value. Other schemes (or a template with values already)
    go through datasketch itself, with the ``words``.
    """
    if getattr(template, "scheme", None) != "affine32" or template.hashfunc is not shingle_hash32:
        sketch = template.copy()
        sketch.update_batch(_shingles(words(), n))
        return np.asarray(sketch.hashvalues).copy()
    hv = _shingle_hashes(hashes, n)
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
    count = len(words) - n + 1
    if count <= 1:
        return [" ".join(words).encode("utf-8", "surrogatepass")]
    return list({" ".join(words[i : i + n]).encode("utf-8", "surrogatepass") for i in range(count)})


#: Words of a title kept in its sketch (the smallest of their hashes): titles have fewer, mostly.
_TITLE_K = 16
#: A sketch's empty places (no word hash is this: they are at most one less).
_NO_WORD = np.uint32(0xFFFFFFFF)


def _title_hashes(title: str | None) -> np.ndarray:
    """:func:`_word_hash` of each word of a title (the runs of ``\\w`` of its folded text), in order."""
    if not isinstance(title, str) or not title:
        return np.zeros(0, dtype=np.uint64)
    points = fold_points(title)
    starts, ends = _word_spans(points)
    return _word_hashes(points, starts, ends)


def title_sketch(title: str | None) -> np.ndarray:
    """A bottom-k sketch of a title's distinct words: the ``_TITLE_K`` smallest of their 32-bit
    hashes, ascending, the rest of its places ``_NO_WORD`` (all of them for no title)."""
    sketch = np.full(_TITLE_K, _NO_WORD, dtype=np.uint32)
    hashes = _title_hashes(title)
    if len(hashes):
        small = np.unique(np.minimum(hashes >> np.uint64(32), np.uint64(_NO_WORD) - np.uint64(1)).astype(np.uint32))
        sketch[: min(len(small), _TITLE_K)] = small[:_TITLE_K]
    return sketch


def title_similarity(a: np.ndarray, b: np.ndarray) -> float | None:
    """The Jaccard similarity of two titles' word sets from their sketches (:func:`title_sketch`):
    of the ``_TITLE_K`` smallest hashes of both, the share in both (exact for titles of fewer
    distinct words). None when either title has no word."""
    a, b = a[a != _NO_WORD], b[b != _NO_WORD]
    if not len(a) or not len(b):
        return None
    union = np.union1d(a, b)[:_TITLE_K]
    return float(np.count_nonzero(np.isin(union, a) & np.isin(union, b))) / len(union)


def signature(text: str | None, options: DuplicateOptions | None = None, title: str | None = None) -> Signature:
    """The signature of one article's text (what :meth:`DuplicateFinder.add` computes when not given it).

    Its words are the runs of ``\\w`` of the folded text (:func:`~analysis.text.fold`). A teaser's
    digest holds its ``title``'s words too (an exact copy of a teaser has its title). A pure
    function of ``text``, ``options`` and ``title``: it can run in another process.
    """
    options = options or DuplicateOptions()
    if not isinstance(text, str) or not text:
        return Signature(0)
    points = fold_points(text)
    starts, ends = _word_spans(points)
    if not len(starts):
        return Signature(0)

    def words() -> list[str]:
        folded = points.tobytes().decode("utf-32-le", "surrogatepass")
        return [folded[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]

    if len(starts) < options.min_words:
        return Signature(len(starts), key=" ".join(words()))
    hashes = _word_hashes(points, starts, ends)
    # an exact copy has the same words: the same sequence of word hashes (a teaser's title's too)
    exact = hashlib.blake2b(hashes.astype("<u8").tobytes(), digest_size=16)
    if len(starts) < options.teaser_words and len(heading := _title_hashes(title)):
        exact.update(b"\x00title\x00" + heading.astype("<u8").tobytes())
    digest = exact.digest()
    values = _minhash(hashes, options.shingle_words, _template(options.num_perm, options.seed), words)
    return Signature(len(starts), digest=digest, hashvalues=values)


_BLOCK = 8192  # articles held in RAM before they are appended to the spill files
_PAIRS = 16384  # candidate pairs verified per step (their signatures read together, then released)
_SMALL = 64  # buckets up to this size give all their pairs at once; larger ones go block by block
_ROWS = 64  # most rows of a large bucket compared with the rest in one step
_BUCKET = 65536  # a large bucket with at most this many members has its signatures read once
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(31))


@lru_cache(maxsize=8)
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """The (bands, rows per band) datasketch's ``MinHashLSH`` chooses: the same candidates as before."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


def _band_hashes(values: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """A 64-bit hash of each band of each signature, ``(articles, bands)``; equal bands hash equal."""
    cells = values[:, : bands * rows].reshape(len(values), bands, rows)
    seed, mult, shift = _MIX
    hashes = np.full((len(values), bands), seed, dtype=np.uint64)
    for column in range(rows):
        hashes ^= cells[:, :, column].astype(np.uint64)
        hashes *= mult
        hashes ^= hashes >> shift
    return hashes


def _stable_order(values: np.ndarray) -> np.ndarray:
    """``np.argsort(values, kind="stable")``, made by the default sort (vectorised: 0.03 s against
    0.09 s for a million 64-bit hashes, the stable sort being a merge sort for them) with the
    indices of each run of equal values then put in order."""
    order = np.argsort(values)
    ordered = values[order]
    same = ordered[1:] == ordered[:-1]
    if same.any():
        tied = np.zeros(len(values), dtype=bool)
        tied[1:] |= same
        tied[:-1] |= same
        at = np.flatnonzero(tied)
        run = np.cumsum(np.concatenate(([True], ~same[at[1:] - 1] | (np.diff(at) != 1))))
        members = order[at]
        order[at] = members[np.lexsort((members, run))]
    return order


def _roots(parent: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """The union-find root of each node (pointer jumping, vectorised)."""
    roots = parent[nodes]
    while True:
        up = parent[roots]
        if np.array_equal(up, roots):
            return roots
        roots = up


def _union(parent: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """Join the components of each pair ``(a[k], b[k])``; every root points to a smaller index."""
    while len(a):
        ra, rb = _roots(parent, a), _roots(parent, b)
        parent[a], parent[b] = ra, rb  # compress the paths walked
        apart = ra != rb
        a, b, ra, rb = a[apart], b[apart], ra[apart], rb[apart]
        np.minimum.at(parent, np.maximum(ra, rb), np.minimum(ra, rb))


_UNIQUE = DuplicateMark(None, None, 0)  # frozen: one instance shared by every article without copies


@dataclass(frozen=True)
class DuplicateGroups:
    """The marks of the articles a :class:`DuplicateFinder` was given, as arrays in that order.

    ``canonical[i]`` is the position of article ``i``'s canonical article (-1: it is no copy),
    ``copies[i]`` how many copies a canonical article has, ``exact[i]`` whether a copy is exact.
    """

    ids: pa.Array
    canonical: np.ndarray
    copies: np.ndarray
    exact: np.ndarray

    def __len__(self) -> int:
        return len(self.canonical)

    def columns(self, start: int, stop: int) -> tuple[pa.Array, pa.Array, pa.Array]:
        """``duplicate_of``, ``duplicate_kind`` and ``copies`` of the articles ``start:stop``, as Arrow arrays."""
        head = self.canonical[start:stop]
        copy = head >= 0
        duplicate_of = self.ids.take(pa.array(np.where(copy, head, 0), mask=~copy))
        kinds = np.where(self.exact[start:stop], "exact", "near")
        duplicate_kind = pa.array(kinds.astype(object), pa.string(), mask=~copy)
        return duplicate_of, duplicate_kind, pa.array(self.copies[start:stop], pa.int64())

    def marks(self, start: int, stop: int) -> list[DuplicateMark]:
        """The marks of the articles ``start:stop``."""
        marks = []
        duplicate_of, kinds, copies = (column.to_pylist() for column in self.columns(start, stop))
        for head, kind, count in zip(duplicate_of, kinds, copies, strict=True):
            marks.append(
                DuplicateMark(head, kind, 0)
                if head is not None
                else DuplicateMark(None, None, count)
                if count
                else _UNIQUE
            )
        return marks


class _Chunk(NamedTuple):
    """Articles a :class:`DuplicateFinder` holds until they go to its files, as columns."""

    ids: list[bytes]  # UTF-8
    stamps: np.ndarray  # publication (seconds since the epoch; inf when unknown)
    kinds: np.ndarray  # 0: nothing to match, 1: a short text (exact key), 2: MinHash values
    digests: bytes  # 16 bytes each (zeros for kind 0)
    values: np.ndarray | None  # the MinHash values of the kind-2 articles, in order
    teasers: np.ndarray  # kind-2 articles of fewer than ``teaser_words`` words
    sketches: np.ndarray  # (articles, _TITLE_K): each teaser's title_sketch (others: _NO_WORD)


@dataclass
class DuplicateFinder:
    """Collects articles with :meth:`add`, then :meth:`marks` groups them (deterministically).

    Memory stays small per article: what ``add`` receives is appended, block by block, to files in a
    temporary directory (under ``work_dir``, default the system's temporary directory), and the LSH
    runs in :meth:`marks` with numpy, one band at a time. The files are removed by :meth:`marks`
    (or :meth:`close`, or when the finder is garbage collected); no article can be added after it.

    The marks are those of an incremental MinHash LSH (datasketch's, with its bands and rows): two
    articles are near copies when they share a band and at least ``threshold`` of their hash values
    (and, when both are teasers, ``title_threshold`` of their titles' words);
    exact copies (same digest) are joined to the first one and not compared otherwise.
    """

    options: DuplicateOptions = field(default_factory=DuplicateOptions)
    work_dir: str | Path | None = None

    def __post_init__(self) -> None:
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._count = 0  # articles flushed to the files
        self._long = 0  # of which with hash values
        self._dtype: np.dtype[Any] | None = None
        self._block: list[tuple[str, float, bytes | None, np.ndarray | None, np.ndarray | None]] = []  # from add()
        self._chunks: list[_Chunk] = []  # the articles held, in order (add_signatures, sealed blocks)
        self._pending = 0  # articles in the chunks
        self._final: DuplicateGroups | None = None
        self._teasers: np.ndarray | None = None  # while grouping: which articles are teasers

    def _shape(self) -> tuple[int, int]:
        """LSH's bands and rows per band, found when first needed (a build imports datasketch and
        scipy for them, 0.3 s, meanwhile its workers run the first tasks)."""
        return _bands(self.options.threshold, self.options.num_perm)

    def __enter__(self) -> DuplicateFinder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the spill files (and drop what was added, if :meth:`marks` was not called)."""
        self._block, self._chunks, self._pending = [], [], 0
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def add(
        self,
        article_id: str,
        text: str | None,
        published: datetime | None = None,
        signature: Signature | None = None,
        title: str | None = None,
    ) -> None:
        """Register one article (call in a fixed order: results do not depend on it otherwise).

        ``signature`` is ``signature(text, self.options, title)`` when already computed (by a
        worker); without it, it is computed here. ``title``: a teaser's copy must have a title alike.
        """
        if self._final is not None:
            raise RuntimeError("DuplicateFinder.marks() was called: no article can be added after it")
        if published is not None and published != published:  # NaT
            published = None
        if signature is None:
            signature = _signature(text if isinstance(text, str) else None, self.options, title)  # not pandas' NA
        stamp = published.timestamp() if published is not None else float("inf")
        digest: bytes | None = None
        values = signature.hashvalues
        if not signature.words:
            values = None
        elif values is None:  # a short text: matched exactly, on the same day only
            digest = _day_digest(published, signature.key)
        else:
            assert signature.digest is not None
            digest = signature.digest
            values = np.asarray(values)
            self._check_values(values.shape, values.dtype)
        if digest is not None and len(digest) != 16:
            raise ValueError(f"Expecting a 16-byte digest, got {len(digest)} bytes")
        teaser = values is not None and signature.words < self.options.teaser_words
        sketch = title_sketch(title if isinstance(title, str) else None) if teaser else None
        self._block.append((article_id, stamp, digest, values, sketch))
        if len(self._block) + self._pending >= _BLOCK:
            self._flush()

    def add_signatures(
        self,
        ids: pa.Array | pa.ChunkedArray,
        published: pa.Array | pa.ChunkedArray,
        signatures: Signatures,
        titles: pa.Array | pa.ChunkedArray | None = None,
    ) -> None:
        """:meth:`add` of each article with its signature, at once: ``ids`` (strings), ``published``
        (timestamps) and ``titles`` (strings, or none) as Arrow arrays, the signatures as columns
        (the same marks)."""
        if self._final is not None:
            raise RuntimeError("DuplicateFinder.marks() was called: no article can be added after it")
        if not len(ids) == len(published) == len(signatures):
            raise ValueError(f"{len(ids)} ids, {len(published)} dates and {len(signatures)} signatures")
        values = signatures.values
        if len(values):
            self._check_values(values.shape[1:], values.dtype)
        # seconds since the epoch as datetime.timestamp() gives them: microseconds / 10**6
        micros = pc.cast(pc.cast(published, pa.timestamp("us", "UTC")), pa.int64())
        stamps = micros.to_numpy(zero_copy_only=False).astype(np.float64) / 1e6
        stamps[~pc.is_valid(micros).to_numpy(zero_copy_only=False)] = np.inf
        kinds = np.zeros(len(signatures), dtype=np.uint8)
        digests = []
        for i, (words, digest, key) in enumerate(
            zip(signatures.words, signatures.digests, signatures.keys, strict=True)
        ):
            if not words:
                digests.append(bytes(16))
            elif digest is None:  # a short text: matched exactly, on the same day only
                digests.append(_day_digest(published[i].as_py(), key))
                kinds[i] = 1
            elif len(digest) != 16:
                raise ValueError(f"Expecting a 16-byte digest, got {len(digest)} bytes")
            else:
                digests.append(digest)
                kinds[i] = 2
        if np.count_nonzero(kinds == 2) != len(values):
            raise ValueError(f"{np.count_nonzero(kinds == 2)} digests for {len(values)} rows of hash values")
        self._seal()
        encoded = [article_id.encode("utf-8", "surrogatepass") for article_id in ids.to_pylist()]
        teasers = (kinds == 2) & (np.asarray(signatures.words, dtype=np.int64) < self.options.teaser_words)
        sketches = np.full((len(encoded), _TITLE_K), _NO_WORD, dtype=np.uint32)
        if titles is not None and teasers.any():
            at = np.flatnonzero(teasers)
            for i, title in zip(at.tolist(), titles.take(pa.array(at)).to_pylist(), strict=True):
                sketches[i] = title_sketch(title)
        self._chunks.append(_Chunk(encoded, stamps, kinds, b"".join(digests), values, teasers, sketches))
        self._pending += len(encoded)
        if self._pending >= _BLOCK:
            self._flush()

    def _check_values(self, shape: tuple[int, ...], dtype: np.dtype[Any]) -> None:
        """An article's hash values: ``num_perm`` of them, of the dtype of the first ones."""
        if shape != (self.options.num_perm,):
            raise ValueError(f"Expecting {self.options.num_perm} hash values, got shape {shape}")
        if self._dtype is None:
            self._dtype = dtype
        elif dtype != self._dtype:
            raise TypeError(f"hash values of dtype {dtype}, after {self._dtype}")

    def extend(self, rows: Iterable[tuple[str, str | None, datetime | None]]) -> DuplicateFinder:
        for article_id, text, published in rows:
            self.add(article_id, text, published)
        return self

    def _path(self, name: str) -> Path:
        """A spill file's path (the directory made on first use)."""
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="duplicates-", dir=self.work_dir)
        return Path(self._dir.name) / name

    def _append(self, name: str, *data: bytes | np.ndarray) -> None:
        """Append ``data`` to a spill file, an array's memory as it is (no copy when contiguous)."""
        with self._path(name).open("ab") as file:
            for part in data:
                file.write(part if isinstance(part, bytes) else np.ascontiguousarray(part).data)

    def _seal(self) -> None:
        """The articles :meth:`add` holds, as a chunk (after those already held)."""
        block, self._block = self._block, []
        if not block:
            return
        long = [values for _, _, _, values, _ in block if values is not None]
        blank = np.full(_TITLE_K, _NO_WORD, dtype=np.uint32)
        self._chunks.append(
            _Chunk(
                [article_id.encode("utf-8", "surrogatepass") for article_id, _, _, _, _ in block],
                np.array([stamp for _, stamp, _, _, _ in block], dtype=np.float64),
                np.array([0 if d is None else 1 if v is None else 2 for _, _, d, v, _ in block], dtype=np.uint8),
                b"".join(digest or bytes(16) for _, _, digest, _, _ in block),
                np.stack(long).astype(self._dtype, copy=False) if long else None,
                np.array([sketch is not None for *_, sketch in block], dtype=bool),
                np.stack([blank if sketch is None else sketch for *_, sketch in block]),
            )
        )
        self._pending += len(block)

    def _flush(self) -> None:
        """Append the articles held to the spill files."""
        self._seal()
        chunks, self._chunks, self._pending = self._chunks, [], 0
        if not chunks:
            return
        ids = [i for chunk in chunks for i in chunk.ids]
        self._append("ids.bin", b"".join(ids))
        self._append("id_lengths.bin", np.array([len(i) for i in ids], dtype=np.int64))
        self._append("published.bin", np.concatenate([chunk.stamps for chunk in chunks]))
        self._append("kinds.bin", np.concatenate([chunk.kinds for chunk in chunks]))
        self._append("digests.bin", b"".join(chunk.digests for chunk in chunks))
        self._append("teasers.bin", np.concatenate([chunk.teasers for chunk in chunks]))
        self._append("titles.bin", np.concatenate([chunk.sketches for chunk in chunks]))
        # each chunk's hash values written as they are (not joined first: half a gigabyte copied
        # at a million articles), their band hashes made a chunk at a time (row by row alike)
        long = [chunk.values.astype(self._dtype, copy=False) for chunk in chunks if chunk.values is not None]
        long = [values for values in long if len(values)]
        if long:
            self._append("values.bin", *long)
            bands, rows = self._shape()
            hashes = np.concatenate([_band_hashes(values, bands, rows) for values in long])
            for band in range(bands):
                self._append(f"band{band}.bin", hashes[:, band])
            self._long += len(hashes)
        self._count += len(ids)

    def groups(self) -> DuplicateGroups:
        """Every article's mark as arrays, in the order the articles were added (the spill files are removed)."""
        if self._final is None:
            try:
                if self._block or self._chunks:
                    self._flush()
                self._final = self._group()
            finally:
                self.close()
        assert self._final is not None
        return self._final

    def marks(self) -> dict[str, DuplicateMark]:
        """``article_id`` -> its mark, for every article added (the spill files are removed)."""
        found = self.groups()
        out: dict[str, DuplicateMark] = {}
        for start in range(0, len(found), _BLOCK):  # Python lists a block at a time
            stop = min(start + _BLOCK, len(found))
            for article_id, mark in zip(
                found.ids.slice(start, stop - start).to_pylist(), found.marks(start, stop), strict=True
            ):
                out[article_id] = mark
        return out

    def _read(self, name: str, dtype: Any) -> np.ndarray:
        path = self._path(name)
        return np.fromfile(path, dtype=dtype) if path.exists() else np.zeros(0, dtype=dtype)

    def _group(self) -> DuplicateGroups:
        """Groups from the spill files: ids, canonical index (-1: none), copies, exact."""
        n = self._count
        kinds = self._read("kinds.bin", np.uint8)
        # exact copies: one group per digest, joined to its first article
        digests = self._read("digests.bin", np.uint64).reshape(n, 2)
        keyed = np.flatnonzero(kinds > 0)
        keyed = keyed[np.lexsort((keyed, digests[keyed, 1], digests[keyed, 0]))]
        sorted_digests = digests[keyed]
        del digests
        starts = np.ones(len(keyed), dtype=bool)
        starts[1:] = (sorted_digests[1:] != sorted_digests[:-1]).any(axis=1)
        del sorted_digests
        group = np.cumsum(starts) - 1
        digest_group = np.full(n, -1, dtype=np.int64)
        digest_group[keyed] = group
        parent = np.arange(n, dtype=np.int64)
        parent[keyed] = keyed[starts][group]
        del keyed, starts, group
        # near copies: the first article of each digest, among those with hash values
        long = np.flatnonzero(kinds == 2)
        del kinds
        first = parent[long] == long
        rows, members = np.flatnonzero(first), long[first]
        del long
        self._teasers = self._read("teasers.bin", np.bool_)
        bands = self._shape()[0]
        # each band's buckets found by a thread while the band before's are joined here (its sort of
        # a million hashes in numpy beside the joins: a million synthetic signatures grouped in
        # 2.8 s instead of 3.2-3.4 s, the same CPU time)
        ahead = ThreadPoolExecutor(1, thread_name_prefix="bands")
        try:
            coming = ahead.submit(self._buckets, 0, first)
            for band in range(bands):
                order, starts, sizes = coming.result()
                if band + 1 < bands:
                    coming = ahead.submit(self._buckets, band + 1, first)
                self._band(parent, order, starts, sizes, rows, members)
        finally:
            ahead.shutdown(cancel_futures=True)
            self._teasers = None
        del first, rows, members
        root = _roots(parent, np.arange(n, dtype=np.int64))
        del parent
        # canonical: the earliest published, then the smallest id
        published = self._read("published.bin", np.float64)
        ids = self._ids(n)
        order = np.argsort(root, kind="stable")  # groups by their first article, members in order
        size = np.bincount(root, minlength=n)
        canonical = np.full(n, -1, dtype=np.int64)
        copies = np.zeros(n, dtype=np.int64)
        grouped = order[size[root[order]] > 1]
        bounds = [0, *(np.flatnonzero(np.diff(root[grouped])) + 1).tolist(), len(grouped)] if len(grouped) else [0]
        for start, stop in itertools.pairwise(bounds):
            chunk = grouped[start:stop]
            names = dict(zip(chunk.tolist(), ids.take(pa.array(chunk)).to_pylist(), strict=True))
            head = min(names, key=lambda i: (float(published[i]), names[i]))
            canonical[chunk] = head
            canonical[head] = -1
            copies[head] = stop - start - 1
        exact = np.zeros(n, dtype=bool)
        copy = canonical >= 0
        exact[copy] = (digest_group[copy] >= 0) & (digest_group[copy] == digest_group[canonical[copy]])
        return DuplicateGroups(ids, canonical, copies, exact)

    def _ids(self, n: int) -> pa.Array:
        """The ids of the articles added, as one Arrow string array (no Python string per article)."""
        lengths = self._read("id_lengths.bin", np.int64)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        data = self._read("ids.bin", np.uint8)
        ids = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))
        try:
            ids.validate(full=True)
        except pa.ArrowInvalid as error:  # a lone surrogate: no Arrow table could hold the id either
            raise ValueError(f"article ids must be valid Unicode text: {error}") from error
        return ids.cast(pa.string())

    def _buckets(self, band: int, first: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Band ``band``'s buckets of the articles ``first`` (a mask of those with hash values):
        the articles in bucket order (each bucket's in index order), where each bucket starts in
        it, and its size."""
        hashes = self._read(f"band{band}.bin", np.uint64)[first]
        order = _stable_order(hashes)  # a bucket's members stay in index order
        ordered = hashes[order]
        del hashes
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        del ordered
        return order, starts, np.diff(np.append(starts, len(order)))

    def _band(
        self,
        parent: np.ndarray,
        order: np.ndarray,
        starts: np.ndarray,
        sizes: np.ndarray,
        rows: np.ndarray,
        members: np.ndarray,
    ) -> None:
        """Join the articles of one band's buckets (:meth:`_buckets`) whose signatures are similar
        enough: ``members`` the articles (global indices, ascending) whose hash values are at ``rows``
        of the values file.
        """
        small = (sizes >= 2) & (sizes <= _SMALL)
        for size in np.unique(sizes[small]).tolist():
            left, right = np.triu_indices(size, 1)
            buckets = starts[sizes == size]
            step = max(1, _PAIRS // len(left))
            for begin in range(0, len(buckets), step):
                at = buckets[begin : begin + step, np.newaxis]
                a, b = order[at + left].ravel(), order[at + right].ravel()
                self._join(parent, rows[a], rows[b], members[a], members[b])
        for start, size in zip(starts[sizes > _SMALL].tolist(), sizes[sizes > _SMALL].tolist(), strict=True):
            self._bucket(parent, order[start : start + size], rows, members)

    def _bucket(self, parent: np.ndarray, bucket: np.ndarray, rows: np.ndarray, members: np.ndarray) -> None:
        """One large bucket: each member against the later ones not yet in its group, a block of rows at a time."""
        where, index = rows[bucket], members[bucket]
        table = self._values(where) if len(bucket) <= _BUCKET else None  # read once when small enough
        position = np.arange(len(bucket))
        begin, step = 0, 1  # one row first: a bucket of copies of one text is then joined at once
        while begin < len(bucket):
            roots = _roots(parent, index)
            if (roots[begin:] == roots[begin]).all():
                return
            block = position[begin : begin + step]
            later = (position[np.newaxis, :] > block[:, np.newaxis]) & (
                roots[np.newaxis, :] != roots[block, np.newaxis]
            )
            a, b = np.nonzero(later)
            a += begin
            for cut in range(0, len(a), _PAIRS):
                pa, pb = a[cut : cut + _PAIRS], b[cut : cut + _PAIRS]
                if table is None:
                    self._join(parent, where[pa], where[pb], index[pa], index[pb], skip=False)
                else:
                    keep = self._alike(index[pa], index[pb], self._similar(table[pa], table[pb]))
                    _union(parent, index[pa][keep], index[pb][keep])
            begin, step = begin + step, min(step * 2, _ROWS)

    def _values(self, rows: np.ndarray) -> np.ndarray:
        """The hash values at ``rows`` of the values file."""
        assert self._dtype is not None  # set by the first article with hash values
        return self._rows("values.bin", rows, self.options.num_perm, self._dtype)

    def _rows(self, name: str, rows: np.ndarray, width: int, dtype: Any) -> np.ndarray:
        """Rows ``rows`` of a spill file of rows of ``width`` values of ``dtype``.

        Read row by row: a memory map would keep the pages around each row resident in this process.
        """
        table = np.empty((len(rows), width), dtype=dtype)
        view = table.data.cast("B")
        size = table.itemsize * width
        with self._path(name).open("rb", buffering=0) as file:
            for at, row in enumerate(rows.tolist()):
                file.seek(row * size)
                if file.readinto(view[at * size : (at + 1) * size]) != size:
                    raise OSError(f"short read from the spill file {name}")
        return table

    def _similar(self, va: np.ndarray, vb: np.ndarray) -> np.ndarray:
        """Which pairs of signatures share a band and at least ``threshold`` of their values."""
        equal = va == vb
        similar = np.count_nonzero(equal, axis=1) / self.options.num_perm >= self.options.threshold  # as np.mean
        result = np.zeros(len(equal), dtype=bool)
        close = np.flatnonzero(similar)
        b, r = self._shape()
        bands = equal[close, : b * r].reshape(len(close), b, r)
        result[close] = bands.all(axis=2).any(axis=1)  # the 64-bit band hashes matched: is a band really equal?
        return result

    def _join(
        self,
        parent: np.ndarray,
        row_a: np.ndarray,
        row_b: np.ndarray,
        a: np.ndarray,
        b: np.ndarray,
        skip: bool = True,
    ) -> None:
        """Verify candidate pairs (articles ``a``, ``b``; value rows ``row_a``, ``row_b``), join the similar."""
        if skip:  # a pair already in one group changes nothing
            apart = _roots(parent, a) != _roots(parent, b)
            row_a, row_b, a, b = row_a[apart], row_b[apart], a[apart], b[apart]
        if not len(a):
            return
        needed, inverse = np.unique(np.concatenate((row_a, row_b)), return_inverse=True)
        values = self._values(needed)
        keep = self._alike(a, b, self._similar(values[inverse[: len(a)]], values[inverse[len(a) :]]))
        _union(parent, a[keep], b[keep])

    def _alike(self, a: np.ndarray, b: np.ndarray, keep: np.ndarray) -> np.ndarray:
        """``keep`` (similar pairs of articles ``a``, ``b``) less the pairs of two teasers whose
        titles share fewer than ``title_threshold`` of their words (both with a title)."""
        teasers = self._teasers
        if teasers is None:
            return keep
        check = np.flatnonzero(keep & teasers[a] & teasers[b])
        if not len(check):
            return keep
        needed, inverse = np.unique(np.concatenate((a[check], b[check])), return_inverse=True)
        sketches = self._rows("titles.bin", needed, _TITLE_K, np.uint32)
        keep = keep.copy()
        for k, i, j in zip(check.tolist(), inverse[: len(check)].tolist(), inverse[len(check) :].tolist(), strict=True):
            similarity = title_similarity(sketches[i], sketches[j])
            if similarity is not None and similarity < self.options.title_threshold:
                keep[k] = False
        return keep


_signature = signature  # ``add`` has a parameter of that name
