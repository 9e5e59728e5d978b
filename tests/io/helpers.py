"""Small helpers for ingest tests: write files, run an ingest, read its three outputs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.config import IngestOptions
from analysis.io import ARTICLES_FILE, REJECTS_FILE, STATS_FILE, CliMetadata, Ingestor, read_articles


def write(path: Path, content: str | bytes, *, gz: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if gz:
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path


def run(
    inputs: list[Path] | Path,
    out: Path,
    options: IngestOptions,
    *,
    cli: CliMetadata | None = None,
    forced_format: str | None = None,
    root: Path | None = None,
) -> tuple[pd.DataFrame, list[dict[str, Any]], dict[str, Any]]:
    items = inputs if isinstance(inputs, list) else [inputs]
    Ingestor(options, project_root=root, cli=cli, forced_format=forced_format).run(items, out)
    articles = read_articles(out / ARTICLES_FILE)
    rejects = [json.loads(line) for line in (out / REJECTS_FILE).read_text(encoding="utf-8").splitlines()]
    stats = json.loads((out / STATS_FILE).read_text(encoding="utf-8"))
    return articles, rejects, stats


def row(df: pd.DataFrame, **match: Any) -> pd.Series:
    """The one row whose columns equal the given values."""
    mask = pd.Series(True, index=df.index)
    for key, value in match.items():
        mask &= df[key] == value
    found = df[mask]
    assert len(found) == 1, f"{len(found)} rows match {match}"
    return found.iloc[0]
