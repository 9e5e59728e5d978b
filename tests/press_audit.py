"""The press audits' samples built end to end and scored against their hand gold.

A sample is a folder with ``raw/`` (articles written in the manner of a press: scraped pages with
their junk, exports, saved pages, feeds) and ``gold.json``: per article, a string of its URL
(``url_contains``), the countries it names, the junk strings its clean text must not keep, its
publication time in UTC (a day, a minute, or ``null`` for none), its outlet's country and, where
the audit wrote them, its headline (``title``) and language.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.clean import read_table
from analysis.config import Options, Paths
from analysis.pipeline import build
from tests.conftest import ROOT

#: the time the samples are built at (a sample's dates lie before it)
NOW = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)


def build_and_score(sample: Path, out: Path, options: Options) -> dict[str, Any]:
    """Build ``sample``'s raw folder into ``out`` and compare the tables with its gold."""
    build(options, Paths.from_root(ROOT), raw=[sample / "raw"], out_dir=out, now=NOW, fresh=True)
    articles = read_table(out / "articles.parquet")
    mentions = read_table(out / "country_mentions.parquet")
    gold = json.loads((sample / "gold.json").read_text(encoding="utf-8"))["articles"]
    found: dict[str, list[Any]] = {
        name: [] for name in ("unmatched", "wrong", "missed", "junk_left", "dates_wrong", "outlets_wrong")
    }
    found |= {"titles_wrong": [], "languages_wrong": []}
    right = 0
    for expected in gold:
        key = expected["url_contains"]
        rows = articles[articles.url.fillna("").str.contains(key, regex=False)]
        if len(rows) != 1:
            found["unmatched"].append(key)
            found["missed"] += [(key, code) for code in expected["countries"]]
            continue
        row = rows.iloc[0]
        named = set(mentions[mentions.article_id == row.article_id].iso2)
        want = set(expected["countries"])
        right += len(named & want)
        found["wrong"] += [(key, code) for code in sorted(named - want)]
        found["missed"] += [(key, code) for code in sorted(want - named)]
        # an article without text (a record whose body field was not read) has NA there, not ''
        clean = "\n".join(str(row[field]) for field in ("title", "text") if not pd.isna(row[field]))
        found["junk_left"] += [(key, junk) for junk in expected["junk"] if junk in clean]
        when = expected["published_utc"]
        if when is None:
            dated_right = pd.isna(row.published)
        else:
            form = "%Y-%m-%d" if len(when) == 10 else "%Y-%m-%dT%H:%M"
            dated_right = not pd.isna(row.published) and row.published.tz_convert("UTC").strftime(form) == when
        if not dated_right:
            found["dates_wrong"].append(f"{key}: {row.published} for {when}")
        for field, wrong in (
            ("source_country", "outlets_wrong"),
            ("title", "titles_wrong"),
            ("language", "languages_wrong"),
        ):
            value = row[field] if not pd.isna(row[field]) else None
            if field in expected and value != expected[field]:
                found[wrong].append(f"{key}: {value!r}")
    return found | {
        "articles": len(gold),
        "pairs": sum(len(expected["countries"]) for expected in gold),
        "right": right,
        "junk": sum(len(expected["junk"]) for expected in gold),
    }
