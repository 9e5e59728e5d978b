"""Property: whatever lines a JSONL file holds, every one ends up kept or rejected, once."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.io.helpers import run, write

records = st.one_of(
    st.fixed_dictionaries({"title": st.text(max_size=30), "text": st.text(max_size=60)}),
    st.fixed_dictionaries(
        {
            "headline": st.text(min_size=1, max_size=30),
            "url": st.sampled_from(["https://a.example/1", "https://a.example/2", "not a url"]),
        }
    ),
    st.just("{broken"),
    st.just("[1, 2]"),
    st.just("null"),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records, min_size=1, max_size=25))
def test_jsonl_ledger_adds_up(tmp_path_factory, ingest_options, lines):
    folder = tmp_path_factory.mktemp("prop")
    content = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    df, rejects, stats = run(write(folder / "x.jsonl", content), folder / "out", ingest_options)
    assert len(df) + len(rejects) == len(lines) == stats["records"]["read"]
    indices = sorted([*df.raw_index.tolist(), *(r["raw_index"] for r in rejects)])
    assert indices == list(range(len(lines)))
    assert df.article_id.is_unique
