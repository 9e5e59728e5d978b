"""The bounded-memory finder: the same marks as a plain pairwise reference, big buckets, spill files."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa
import pytest

import analysis.duplicates as duplicates
from analysis.duplicates import DuplicateFinder, DuplicateMark, DuplicateOptions, Signature, Signatures, signature

DAY = datetime(2024, 5, 1, tzinfo=UTC)


def reference(
    items: list[tuple[str, Signature, datetime | None]], options: DuplicateOptions
) -> dict[str, DuplicateMark]:
    """Straightforward marks: exact copies by digest, every pair of first copies compared, union, canonical."""
    b, r = duplicates._bands(options.threshold, options.num_perm)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    digests: dict[int, bytes] = {}
    first: dict[bytes, int] = {}
    compared: list[int] = []
    for i, (_, sig, published) in enumerate(items):
        if not sig.words:
            continue
        if sig.hashvalues is None:
            digests[i] = duplicates._digest(f"{published.date().isoformat() if published else '-'}\x1f{sig.key}")
        else:
            assert sig.digest is not None
            digests[i] = sig.digest
        if digests[i] in first:
            parent[find(i)] = find(first[digests[i]])
            continue
        first[digests[i]] = i
        if sig.hashvalues is not None:
            compared.append(i)
    for x, i in enumerate(compared):
        for j in compared[x + 1 :]:
            vi, vj = items[i][1].hashvalues, items[j][1].hashvalues
            assert vi is not None and vj is not None
            shares_band = any(np.array_equal(vi[k * r : (k + 1) * r], vj[k * r : (k + 1) * r]) for k in range(b))
            if shares_band and float(np.mean(vi == vj)) >= options.threshold:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(i)
    out: dict[str, DuplicateMark] = {}
    for members in groups.values():
        stamp = [items[i][2].timestamp() if items[i][2] else float("inf") for i in members]
        canonical = min(zip(stamp, (items[i][0] for i in members), members, strict=True))[2]
        for i in members:
            if i == canonical:
                out[items[i][0]] = DuplicateMark(None, None, len(members) - 1)
            else:
                same = digests.get(i) is not None and digests.get(i) == digests.get(canonical)
                out[items[i][0]] = DuplicateMark(items[canonical][0], "exact" if same else "near", 0)
    return out


def corpus(seed: int = 3) -> list[tuple[str, str | None, datetime | None]]:
    """Texts with edited, truncated and exact copies, headlines on one or two days, and empty texts."""
    rng = random.Random(seed)
    vocab = [f"mot{i}" for i in range(800)]
    items: list[tuple[str, str | None, datetime | None]] = []
    for base in range(12):
        words = [rng.choice(vocab) for _ in range(rng.randint(30, 120))]
        for copy in range(6):
            edited = list(words)
            for _ in range(rng.choice([0, 1, 4, 15, 40])):
                edited[rng.randrange(len(edited))] = rng.choice(vocab)
            if copy % 3 == 2:
                edited = edited[: int(len(edited) * 0.7)]
            published = None if copy == 4 else DAY + timedelta(days=rng.randint(0, 2))
            items.append((f"t{base}-{copy}", " ".join(edited), published))
    for i in range(10):
        items.append((f"h{i}", f"La bourse de Tunis termine en hausse {i % 3}", DAY + timedelta(days=i % 2)))
        items.append((f"e{i}", None if i % 2 else "", None))
    rng.shuffle(items)
    return items


def signed(items, options):
    return [(article_id, signature(text, options), published) for article_id, text, published in items]


def marks_of(items, options, **kwargs):
    finder = DuplicateFinder(options, **kwargs)
    for article_id, sig, published in items:
        finder.add(article_id, None, published, signature=sig)
    return finder.marks()


@pytest.mark.parametrize(
    "options", [DuplicateOptions(), DuplicateOptions(threshold=0.7), DuplicateOptions(num_perm=64)]
)
def test_same_marks_as_the_pairwise_reference(options):
    items = signed(corpus(), options)
    expected = reference(items, options)
    assert any(m.duplicate_kind == "near" for m in expected.values())
    assert any(m.duplicate_kind == "exact" for m in expected.values())
    assert marks_of(items, options) == expected


def test_small_blocks_give_the_same_marks(monkeypatch):
    """Spilling in many blocks and verifying in tiny chunks changes nothing."""
    options = DuplicateOptions()
    items = signed(corpus(seed=5), options)
    expected = marks_of(items, options)
    for name, value in (("_BLOCK", 7), ("_PAIRS", 3), ("_SMALL", 2), ("_ROWS", 2), ("_BUCKET", 4)):
        monkeypatch.setattr(duplicates, name, value)
    assert list(marks_of(items, options).items()) == list(expected.items())
    assert expected == reference(items, options)


def test_a_big_bucket_of_unrelated_and_similar_articles():
    """Every article shares the first band (a template); only the two planted families are copies."""
    options = DuplicateOptions()
    rng = np.random.default_rng(7)
    families = rng.integers(0, 2**32, size=(2, 128), dtype=np.uint32)
    items = []
    for i in range(300):
        if i % 10 == 0:
            values = families[(i // 10) % 2].copy()
            values[rng.random(128) < 0.3] = rng.integers(0, 2**32, dtype=np.uint32)
        else:
            values = rng.integers(0, 2**32, size=128, dtype=np.uint32)
        values[:4] = 1  # the shared band
        items.append((f"a{i:03d}", Signature(40, digest=rng.bytes(16), hashvalues=values), DAY))
    marks = marks_of(items, options)
    assert marks == reference(items, options)
    assert marks["a000"].copies == 14 and marks["a010"].copies == 14
    assert {m.duplicate_of for m in marks.values() if m.duplicate_of} == {"a000", "a010"}


def test_spill_files_are_removed_and_marks_can_be_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr(duplicates, "_BLOCK", 5)
    options = DuplicateOptions()
    finder = DuplicateFinder(options, work_dir=tmp_path)
    for article_id, text, published in corpus()[:23]:
        finder.add(article_id, text, published)
    spilled = [path.name for path in tmp_path.rglob("*") if path.is_file()]
    assert "values.bin" in spilled and "band0.bin" in spilled
    first = finder.marks()
    assert list(tmp_path.iterdir()) == []
    assert list(finder.marks().items()) == list(first.items())
    with pytest.raises(RuntimeError):
        finder.add("late", "texte", None)


def test_close_removes_the_files_without_marks(tmp_path, monkeypatch):
    monkeypatch.setattr(duplicates, "_BLOCK", 2)
    with DuplicateFinder(work_dir=tmp_path) as finder:
        finder.extend(corpus()[:5])
        assert list(tmp_path.iterdir())
    assert list(tmp_path.iterdir()) == []


def test_marks_are_deterministic():
    options = DuplicateOptions()
    items = signed(corpus(seed=11), options)
    assert list(marks_of(items, options).items()) == list(marks_of(items, options).items())


def test_no_articles_and_only_empty_ones():
    assert DuplicateFinder().marks() == {}
    marks = DuplicateFinder().extend([("a", None, None), ("b", "", DAY)]).marks()
    assert marks == {"a": DuplicateMark(None, None, 0), "b": DuplicateMark(None, None, 0)}


def columns_of(items: list[tuple[str, Signature, datetime | None]], options: DuplicateOptions):
    """The ids, dates and signatures of ``items`` as :meth:`DuplicateFinder.add_signatures` takes them."""
    ids = pa.array([article_id for article_id, _, _ in items], pa.string())
    published = pa.array([when for _, _, when in items], pa.timestamp("us", "UTC"))
    return ids, published, Signatures.of([sig for _, sig, _ in items], options.num_perm)


@pytest.mark.parametrize("block", [7, 8192])
def test_signatures_added_as_columns_give_the_same_marks(monkeypatch, block):
    """Columns of a few articles at a time, between articles added one by one: the same marks."""
    monkeypatch.setattr(duplicates, "_BLOCK", block)
    options = DuplicateOptions()
    items = signed(corpus(seed=11), options)
    expected = marks_of(items, options)
    finder = DuplicateFinder(options)
    start = 0
    for size in itertools.cycle([5, 1, 13, 0, 2]):
        chunk = items[start : start + size]
        if size == 1:
            article_id, sig, published = chunk[0]
            finder.add(article_id, None, published, signature=sig)
        elif chunk or size == 0:
            finder.add_signatures(*columns_of(chunk, options))
        start += size
        if start >= len(items):
            break
    assert list(finder.marks().items()) == list(expected.items())
    assert expected == reference(items, options)


def test_signatures_as_columns_keep_each_signature():
    options = DuplicateOptions()
    sigs = [sig for _, sig, _ in signed(corpus(seed=2), options)]
    assert {bool(s.words) and s.hashvalues is None for s in sigs} == {True, False}  # short and long texts
    columns = Signatures.of(sigs, options.num_perm)
    assert list(Signatures.unpack(columns.pack())) == sigs
    order = list(range(len(sigs)))[::-3]
    assert list(columns.take(order)) == [sigs[i] for i in order]
    assert list(Signatures.concat([columns.take(order), Signatures.of([], options.num_perm), columns])) == [
        *(sigs[i] for i in order),
        *sigs,
    ]
    empty = Signatures.unpack(Signatures.of([], options.num_perm).pack())
    assert len(empty) == 0 and list(Signatures.concat([empty, columns])) == sigs


def test_signatures_as_columns_are_checked():
    options = DuplicateOptions()
    items = signed(corpus(), options)
    ids, published, columns = columns_of(items, options)
    finder = DuplicateFinder(options)
    with pytest.raises(ValueError, match="ids"):
        finder.add_signatures(ids[:3], published, columns)
    with pytest.raises(ValueError, match="hash values"):
        finder.add_signatures(
            ids, published, Signatures(columns.words, columns.digests, columns.keys, columns.values[:, :64])
        )
    with pytest.raises(ValueError, match="rows of hash values"):
        finder.add_signatures(
            ids, published, Signatures(columns.words, columns.digests, columns.keys, columns.values[1:])
        )
