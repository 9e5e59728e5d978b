"""The keyword stage's counts by difference, a batch paired with the batch before row by row."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import keywords as kw
from analysis.io.store import part_name, write_part

_IDS = [f"{i:016x}" for i in range(7)]
_KEYS = [("source", None, None, f"s{i}", None) for i in range(3)]
_TERMS = st.one_of(st.none(), st.lists(st.sampled_from(["maroc", "rabat", "eau", "dakar"]), max_size=4))
_ROWS = st.lists(st.tuples(st.sampled_from(_IDS), _TERMS), max_size=6, unique_by=lambda row: row[0])
_GROUPS = st.dictionaries(st.sampled_from(_IDS), st.lists(st.integers(0, 2), min_size=1, max_size=2, unique=True))


def _part(folder: Path, rows: list[tuple[str, list[str] | None]]) -> tuple[bytes, pa.Table]:
    table = pa.table({"article_id": [i for i, _ in rows], "terms": [t for _, t in rows]}, schema=kw._terms_schema())
    data = write_part(folder, 0, table).read_bytes()
    return data, table


def _counter(table: pa.Table, grouping: kw._Grouping) -> kw.TermCounter:
    return kw.TermCounter().add_counts(kw._stored_terms(table, grouping.local()), grouping.groups).finish()


def _state(counter: kw.TermCounter) -> tuple[object, ...]:
    return (
        counter.vocabulary_,
        counter.groups_,
        counter.counts_.toarray().tolist(),
        counter.docs_.toarray().tolist(),
        counter.group_docs_.tolist(),
    )


@settings(max_examples=150, deadline=None)
@given(_ROWS, _ROWS, _GROUPS, _GROUPS)
def test_a_batch_paired_row_by_row_gives_the_counts_of_counting_it_again(old_rows, new_rows, old_groups, new_groups):
    """The build before's total, plus the counts of the rows that changed (terms, groups, or new),
    less those of the rows before that did (or left): the counts of the batch counted again."""
    with tempfile.TemporaryDirectory() as folder:
        before_dir, now_dir = Path(folder) / "before", Path(folder) / "now"
        before_dir.mkdir()
        now_dir.mkdir()
        old, old_table = _part(before_dir, old_rows)
        data, new_table = _part(now_dir, new_rows)
        old_grouping = kw._Grouping.of([i for i, _ in old_rows], old_groups).named(_KEYS)
        new_grouping = kw._Grouping.of([i for i, _ in new_rows], new_groups).named(_KEYS)
        before = kw._Batch(part_name(0), kw._digest(old), old_grouping)
        part = kw._TermsPart(None, kw._stored_terms(new_table, new_grouping.local()), grouping=new_grouping)
        done = kw._by_rows(part, data, before, str(before_dir))
        assert done.paired and done.by_rows
        plus, minus = kw.TermCounter(), kw.TermCounter()
        if done.counts is not None:
            plus.add_counts(done.counts, new_grouping.groups)
        if done.taken is not None:
            minus.add_counts(done.taken, old_grouping.groups)
        total = _counter(old_table, old_grouping).combine(plus, minus)
        assert _state(total) == _state(_counter(new_table, new_grouping))
        then = dict(old_rows)
        unchanged = {
            i for i, terms in new_rows if i in then and then[i] == terms and new_groups.get(i) == old_groups.get(i)
        }
        counted_now = 0 if done.counts is None else len(done.counts.indptr) - 1
        assert counted_now == sum(1 for i, _ in new_rows if i in new_groups and i not in unchanged)
        taken = 0 if done.taken is None else len(done.taken.indptr) - 1
        assert taken == sum(1 for i, _ in old_rows if i in old_groups and i not in unchanged)


def test_a_part_before_that_is_not_the_one_counted_is_not_paired(tmp_path: Path) -> None:
    rows = [(_IDS[0], ["maroc"]), (_IDS[1], ["eau"])]
    old, table = _part(tmp_path, rows)
    grouping = kw._Grouping.of([i for i, _ in rows], {_IDS[0]: [0], _IDS[1]: [1]}).named(_KEYS)
    part = kw._TermsPart(None, kw._stored_terms(table, grouping.local()), grouping=grouping)
    other = kw._Batch(part_name(0), kw._digest(old + b" "), grouping)
    assert not kw._by_rows(part, old, other, str(tmp_path)).paired
    assert not kw._by_rows(part, old, other, None).paired
    gone = kw._Batch(part_name(5), kw._digest(old), grouping)  # (no such file)
    assert not kw._by_rows(part, old, gone, str(tmp_path)).paired
    same = kw._Batch(part_name(0), kw._digest(old), grouping)
    done = kw._by_rows(part, old, same, str(tmp_path))
    assert done.paired and done.counts is None and done.taken is None
    assert np.array_equal(done.grouping.counted, grouping.counted)
