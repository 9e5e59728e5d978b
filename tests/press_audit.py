"""The press audits' samples built end to end and scored against their hand gold.

A sample is a folder with ``raw/`` (articles written in the manner of a press: scraped pages with
their junk, exports, saved pages, feeds) and ``gold.json``: per article, a string of its URL
(``url_contains``), the countries it names, the junk strings its clean text must not keep, its
publication time in UTC (a day, a minute, or ``null`` for none), its outlet's country and, where
the audit wrote them, its headline (``title``) and language.

An article without URL (a press database's export) is matched by a part of its headline
(``title_contains``) and, if given, the end of its raw file's path (``file``); such a gold may
give its outlet's name (``source``) and ``author`` (compared without case and runs of spaces),
and ``records``, the number of articles each raw file holds: a file's records found beyond them
are ``invented``, those it lacks ``lost``, and the build's rejects are counted.
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
    found |= {"titles_wrong": [], "languages_wrong": [], "sources_wrong": [], "authors_wrong": []}
    right = 0
    for expected in gold:
        rows = _rows(articles, expected)
        key = expected.get("url_contains") or expected["title_contains"]
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
        for field, wrong in (("source", "sources_wrong"), ("author", "authors_wrong")):
            value = row[field] if not pd.isna(row[field]) else None
            if field in expected and _folded(value) != _folded(expected[field]):
                found[wrong].append(f"{key}: {value!r}")
    return (
        found
        | _records(sample, out, articles)
        | {
            "articles": len(gold),
            "pairs": sum(len(expected["countries"]) for expected in gold),
            "right": right,
            "junk": sum(len(expected["junk"]) for expected in gold),
        }
    )


def _rows(articles: pd.DataFrame, expected: dict[str, Any]) -> pd.DataFrame:
    """The articles an entry of the gold names: by a part of the URL, else of the headline (and its file)."""
    if "url_contains" in expected:
        return articles[articles.url.fillna("").str.contains(expected["url_contains"], regex=False)]
    rows = articles[articles.title.fillna("").str.contains(expected["title_contains"], regex=False)]
    if "file" in expected:
        rows = rows[rows.raw_path.str.replace("\\", "/").str.endswith(expected["file"])]
    return rows


def _folded(value: str | None) -> str | None:
    return " ".join(value.split()).casefold() if value is not None else None


def _records(sample: Path, out: Path, articles: pd.DataFrame) -> dict[str, Any]:
    """The records per raw file against the gold's ``records`` (none when it gives none), and the build's rejects."""
    gold = json.loads((sample / "gold.json").read_text(encoding="utf-8")).get("records")
    if gold is None:
        return {}
    paths = articles.raw_path.str.replace("\\", "/")
    counts = {name: int(paths.str.endswith(name).sum()) for name in gold}
    known = paths.map(lambda path: any(path.endswith(name) for name in gold))
    rejects = out / "rejects.jsonl"
    return {
        "records_expected": sum(gold.values()),
        "records_found": int(sum(counts.values())),
        "lost": {name: gold[name] - n for name, n in counts.items() if n < gold[name]},
        "invented": {name: n - gold[name] for name, n in counts.items() if n > gold[name]}
        | ({"(other files)": int((~known).sum())} if (~known).any() else {}),
        "rejects": len(rejects.read_text(encoding="utf-8").splitlines()) if rejects.exists() else 0,
    }
