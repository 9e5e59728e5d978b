"""What removals asked of their sources' learnt lines, as columns (``Asked``), and checked at once
(``BoilerplateRemover.hold``): the same as each text's list of questions checked one by one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.boilerplate import Asked, BoilerplateRemover

# keys from a small pool, so that questions often ask about learnt lines; the pool reaches the
# top of the 64-bit range the line hashes take
KEYS = st.sampled_from([0, 1, 7, 2**31, 2**63 - 1, 2**63, 2**64 - 1])
QUESTION = st.one_of(
    st.tuples(st.sampled_from([0, 1]), KEYS, st.booleans()),
    st.tuples(st.sampled_from([2, 3]), st.just(0), st.booleans()),  # whether a set is empty at all
)
TEXTS = st.lists(st.lists(QUESTION, max_size=6), max_size=8)
SOURCES = st.sampled_from(["a", "b", "c"])  # "c" learnt nothing
LEARNT = st.frozensets(KEYS, max_size=4)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_the_columns_hold_each_texts_questions(texts, data):
    asked = Asked.of(texts)
    assert len(asked) == len(texts)
    assert [asked.questions(i) for i in range(len(texts))] == texts
    again = Asked.unpacked(asked.packed())
    assert [again.questions(i) for i in range(len(texts))] == texts
    index = data.draw(st.lists(st.integers(0, len(texts) - 1), max_size=10)) if texts else []
    taken = asked.take(index)
    assert [taken.questions(i) for i in range(len(index))] == [texts[i] for i in index]
    more = data.draw(TEXTS)
    both = Asked.concat([asked, Asked.of(more)])
    assert [both.questions(i) for i in range(len(both))] == texts + more


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data(), LEARNT, LEARNT, LEARNT)
def test_held_at_once_is_held_one_by_one(texts, data, repeated_a, signatures_a, repeated_b):
    remover = BoilerplateRemover()
    remover.repeated_ = {"a": repeated_a, "b": repeated_b}
    remover.signatures_ = {"a": signatures_a}  # "b" too small for signatures
    sources = [data.draw(SOURCES) for _ in texts]
    expected = [remover.answers_hold(source, record) for source, record in zip(sources, texts, strict=True)]
    assert remover.hold(sources, Asked.unpacked(Asked.of(texts).packed())).tolist() == expected
    # what it learnt changes (a later build's counts): the answers follow
    remover.repeated_ = {"a": repeated_b, "b": repeated_a}
    expected = [remover.answers_hold(source, record) for source, record in zip(sources, texts, strict=True)]
    assert remover.hold(sources, Asked.of(texts)).tolist() == expected


def test_questions_a_removal_records_are_checked_at_once():
    """The questions a real removal asks (through the remover's recorder) hold at once as one by one,
    before and after the source learns other lines."""
    remover = BoilerplateRemover()
    texts = [f"Le Journal du Sud\nArticle {i} sur le port et la gare.\nAbonnez-vous" for i in range(12)]
    remover.fit(texts, ["sud"] * len(texts))
    records = []
    for text in [*texts[:3], "Un autre texte\nsans rien de commun"]:
        record: list[tuple[int, int, bool]] = []
        remover.clean(text, "sud", record=record)
        records.append(record)
    assert all(records)
    sources = ["sud"] * len(records)
    assert remover.hold(sources, Asked.of(records)).tolist() == [True] * len(records)
    other = BoilerplateRemover()
    other.fit(texts[:2], ["sud"] * 2)  # too few articles: nothing repeated
    expected = [other.answers_hold("sud", record) for record in records]
    assert other.hold(sources, Asked.of(records)).tolist() == expected
    assert expected != [True] * len(records)
