"""The demo corpus shipped in data/raw/ loads exactly as its README says."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import ROOT
from tests.io.helpers import run

RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def demo(tmp_path_factory, ingest_options):
    out = tmp_path_factory.mktemp("demo")
    return run(RAW, out, ingest_options, root=ROOT)


def test_counts_match_the_readme(demo):
    df, rejects, stats = demo
    assert stats["records"] == {"read": 77, "kept": 72, "rejected": 5}
    assert stats["rejected_by_reason"] == {
        "binary_file": 1,
        "duplicate": 1,
        "empty_file": 1,
        "invalid_json": 1,
        "no_text": 1,
    }
    assert (
        stats["files"]["seen"]
        == stats["files"]["read"] + stats["files"]["rejected"] + stats["files"]["ignored"] + stats["files"]["metadata"]
    )
    assert len(df) == 72 and len(rejects) == 5


def test_shape_of_the_demo(demo):
    df, _, _ = demo
    assert set(df.source) == {"Atlas Actu", "Le Courrier du Détroit", "Horizon Maghreb Éco", "Dune Post"}
    assert df.published.notna().all()
    months = df.published.dt.strftime("%Y-%m").nunique()
    assert months >= 18
    assert df.language.value_counts().to_dict() == {"fr": 56, "en": 14, "ar": 2}
    assert set(df.raw_format) == {"scraped_text", "jsonl", "html", "feed", "csv"}
    assert df.raw_path.str.startswith("data/raw/").all()  # relative to the project root


def test_demo_traps_are_loaded_as_data(demo):
    df, _, _ = demo
    script = df[df.title == "<script>alert(1)</script><img src=x onerror=alert(2)>"]
    assert len(script) == 2  # kept verbatim: escaping is the reports' job
    assert not df.title.str.contains("Ã©", regex=False).any()  # mojibake repaired
    assert not df.title.str.contains("&#8217;", regex=False).any()
    headline_only = df[df.text.isna()]
    assert len(headline_only) >= 1


def test_rejects_name_file_and_reason(demo):
    _, rejects, _ = demo
    got = sorted((r["raw_path"].rsplit("/", 1)[-1], r["reason"]) for r in rejects)
    assert got == [
        ("export-2024.jsonl", "invalid_json"),
        ("export-2024.jsonl", "no_text"),
        ("export-2025.jsonl.gz", "duplicate"),
        ("image-corrompue.html", "binary_file"),
        ("page-tronquee.html", "empty_file"),
    ]
    assert all(pd.notna(r["raw_path"]) for r in rejects)
