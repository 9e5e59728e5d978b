"""``signature`` computes in bulk what datasketch computes shingle by shingle (with ``shingle_hash32``), and ``add`` uses it as before."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import numpy as np
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.duplicates import DuplicateFinder, DuplicateOptions, Signature, _shingles, shingle_hash32, signature
from analysis.text import fold
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


def test_word_hashes_past_the_memo_limit_are_the_same(monkeypatch):
    from analysis import duplicates

    remembered = signature(STORY)
    monkeypatch.setattr(duplicates, "_WORD_HASHES", {})
    monkeypatch.setattr(duplicates, "_WORD_MEMO_LIMIT", 3)
    assert signature(STORY) == remembered
    assert len(duplicates._WORD_HASHES) == 3


def test_shingle_hash_depends_on_word_order():
    assert shingle_hash32(b"le maroc et") != shingle_hash32(b"maroc le et")
    assert shingle_hash32(b"le maroc et") == shingle_hash32(b"le maroc et")
