"""``signature`` computes in bulk what datasketch computes shingle by shingle (with ``shingle_hash32``), and ``add`` uses it as before."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import numpy as np
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.duplicates import (
    DuplicateFinder,
    DuplicateOptions,
    Signature,
    _shingles,
    _stable_order,
    shingle_hash32,
    signature,
)
from analysis.text import fold, fold_points
from tests.test_duplicates import STORY

_TOKEN_WORDS = ["maroc", "espagne", "accord", "électrique", "cœur", "été", "2027", "l", "de", "la", "énergie", "ñandú"]


def datasketch_values(text: str, options: DuplicateOptions) -> np.ndarray:
    """The MinHash as ``DuplicateFinder.add`` used to compute it."""
    import re

    words = re.findall(r"\w+", fold(text))
    n = options.shingle_words
    shingles = {" ".join(words[i : i + n]).encode("utf-8") for i in range(max(1, len(words) - n + 1))}
    sketch = MinHash(num_perm=options.num_perm, seed=options.seed, hashfunc=shingle_hash32)
    sketch.update_batch(sorted(shingles))
    return sketch.hashvalues


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_TOKEN_WORDS) | st.text(min_size=1, max_size=8), min_size=25, max_size=120))
def test_signature_equals_datasketch(words):
    text = " ".join(words)
    options = DuplicateOptions()
    found = signature(text, options)
    if found.hashvalues is None:  # fewer than 25 words once tokenised
        assert found.words < options.min_words
        return
    expected = datasketch_values(text, options)
    assert found.hashvalues.dtype == expected.dtype
    assert np.array_equal(found.hashvalues, expected)


def test_signature_on_a_story_and_other_options():
    for options in (DuplicateOptions(), DuplicateOptions(num_perm=64, seed=3, shingle_words=3)):
        found = signature(STORY, options)
        assert np.array_equal(found.hashvalues, datasketch_values(STORY, options))
        assert found.digest is not None and found.key is None


def test_shingles_are_the_distinct_word_runs():
    words = ["a", "bé", "c", "a", "bé", "c", "a"]
    assert sorted(_shingles(words, 3)) == sorted({" ".join(words[i : i + 3]).encode() for i in range(5)})
    assert _shingles(["a", "b"], 3) == [b"a b"]


def test_short_and_empty_texts():
    assert signature(None) == Signature(0)
    assert signature("  ... ") == Signature(0)
    short = signature("Bourse de Tunis : le Tunindex termine en hausse")
    assert short.key == "bourse de tunis le tunindex termine en hausse" and short.hashvalues is None


def test_signature_pickles():
    found = signature(STORY)
    assert pickle.loads(pickle.dumps(found)) == found
    assert found != signature(STORY + " Autre phrase.")


def test_add_with_or_without_signature_gives_the_same_marks():
    texts = [
        ("a", STORY, datetime(2024, 5, 2, tzinfo=UTC)),
        ("b", STORY.replace("mardi", "lundi"), datetime(2024, 5, 3, tzinfo=UTC)),
        ("c", STORY.upper(), None),
        ("d", "Bourse de Tunis : le Tunindex termine en hausse", datetime(2024, 5, 3, tzinfo=UTC)),
        ("e", "Bourse de Tunis : le Tunindex termine en hausse", datetime(2024, 5, 3, tzinfo=UTC)),
        ("f", None, None),
    ]
    plain, given_ = DuplicateFinder(), DuplicateFinder()
    options = given_.options
    for article_id, text, published in texts:
        plain.add(article_id, text, published)
        given_.add(article_id, text, published, signature=signature(text, options))
    assert plain.marks() == given_.marks()
    assert plain.marks()["b"].duplicate_of == "a"
    assert plain.marks()["e"].duplicate_of == "d"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab_1 .'éÉœßİ\u0301😀𝔘ά-"), max_size=60) | st.text(max_size=40))
def test_word_hashes_at_once_are_the_words_hashes_one_by_one(text):
    """The spans are ``\\w+``'s on the folded text and each hash is ``_word_hash`` of its word, both ways."""
    import re

    from analysis import duplicates

    points = fold_points(text)
    starts, ends = duplicates._word_spans(points)
    folded = fold(text)
    words = re.findall(r"\w+", folded)
    assert [folded[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)] == words
    expected = [duplicates._word_hash(word) for word in words]
    assert duplicates._word_hashes(points, starts, ends).tolist() == expected
    long_way = duplicates._PREFIX_MAX
    try:
        duplicates._PREFIX_MAX = 0  # every text is "long": each word's run summed on its own
        assert duplicates._word_hashes(points, starts, ends).tolist() == expected
    finally:
        duplicates._PREFIX_MAX = long_way


def test_a_text_longer_than_the_prefix_tables_has_the_same_signature(monkeypatch):
    from analysis import duplicates

    whole = signature(STORY)
    monkeypatch.setattr(duplicates, "_PREFIX_MAX", 50)
    assert len(STORY) > 50 and signature(STORY) == whole


def test_exact_copies_share_a_digest_and_others_do_not():
    assert signature(STORY).digest == signature(STORY.upper().replace(" ", "  ")).digest
    assert signature(STORY).digest != signature(STORY.replace("mardi", "lundi")).digest


def test_shingle_hash_depends_on_word_order():
    assert shingle_hash32(b"le maroc et") != shingle_hash32(b"maroc le et")
    assert shingle_hash32(b"le maroc et") == shingle_hash32(b"le maroc et")


def test_another_scheme_goes_through_datasketch_with_the_words(monkeypatch):
    """A template the bulk path does not know (here another hash function object) gets the words
    themselves: the same values, shingle by shingle."""
    from analysis import duplicates

    bulk = signature(STORY)
    options = DuplicateOptions()
    other = MinHash(num_perm=options.num_perm, seed=options.seed, hashfunc=lambda shingle: shingle_hash32(shingle))
    monkeypatch.setattr(duplicates, "_template", lambda num_perm, seed: other)
    slow = signature(STORY)
    assert np.array_equal(slow.hashvalues, bulk.hashvalues) and slow.digest == bulk.digest


@settings(max_examples=300)
@given(st.lists(st.integers(0, 6), max_size=60), st.booleans())
def test_the_band_order_is_numpy_stable_sort(values, wide):
    """Runs of equal hashes (a bucket) in index order, as numpy's stable sort gives them."""
    array = np.array(values, dtype=np.uint64)
    if wide:  # hashes spread over 64 bits, the runs kept
        array = array * np.uint64(0x9E3779B97F4A7C15)
    assert _stable_order(array).tolist() == np.argsort(array, kind="stable").tolist()
