"""Writing and reading tables: atomic (temp file, then rename), streamed in row groups."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.schema import ARTICLE_SCHEMA, to_pandas, validate_articles


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temp path beside ``target``, renamed onto it only if the block ends without error."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextmanager
def atomic_text(target: Path) -> Iterator[IO[str]]:
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as handle:
        yield handle


def write_json(target: Path, data: Any) -> None:
    with atomic_text(target) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2, sort_keys=False, default=str)
        handle.write("\n")


class ArticleWriter:
    """Streams validated article batches into one Parquet file, one row group per batch.

    Nothing appears at ``target`` until :meth:`close`; on error :meth:`abort` leaves any previous
    file in place.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        self.tmp = Path(name)
        self._writer = pq.ParquetWriter(self.tmp, ARTICLE_SCHEMA, compression="zstd", write_statistics=True)
        self.rows = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        table = validate_articles(pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA))
        self._writer.write_table(table, row_group_size=len(rows))
        self.rows += len(rows)

    def close(self) -> None:
        self._writer.close()
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def read_articles(path: Path | str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read an article table (a file or a folder holding ``articles.parquet``) as pandas."""
    path = Path(path)
    if path.is_dir():
        path = path / "articles.parquet"
    return to_pandas(pq.read_table(path, columns=columns))


def iter_articles(
    path: Path | str, batch_size: int = 10_000, columns: list[str] | None = None
) -> Iterator[pd.DataFrame]:
    """Stream an article table as pandas DataFrames of at most ``batch_size`` rows."""
    path = Path(path)
    if path.is_dir():
        path = path / "articles.parquet"
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=columns):
        yield to_pandas(pa.Table.from_batches([batch]))
