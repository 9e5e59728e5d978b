"""The corpus on disk: monthly JSON Lines files per source, raw HTML gzipped beside them.

Layout (``yyyy``/``mm`` from the published date, else the fetch date)::

    out_dir/<source>/<yyyy>/<mm>/<source>-<yyyy>-<mm>.jsonl
    out_dir/<source>/<yyyy>/<mm>/.html/<id>.html.gz

``<id>`` is the SHA-1 of the URL as discovered (also the record's ``id``). The HTML folder is a
dot-folder so that ``python -m analysis ingest out_dir`` (which skips dot-folders and dot-files)
reads the JSONL records only, never the pages a second time.

Crash safety. Appends write whole lines and are flushed and fsynced per batch; a line cut by a
crash (no final newline) is cut off before the next append, so a torn record never glues onto
the next one. The state marks a batch ``writing`` (with its file) *before* appending and
``written`` after the fsync. After a crash, :meth:`CorpusWriter.recorded_ids` tells which of the
``writing`` URLs reached their file (``written``) and which did not (``pending``, fetched again).
A URL is therefore never appended twice and never lost: the order state-intent, append, fsync,
state-done leaves only states that the start of the next run can resolve by scanning the few
files named in ``writing`` rows.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.io.store import atomic_path

log = logging.getLogger(__name__)

HTML_DIR = ".html"


def month_file(source: str, year: int, month: int) -> str:
    """The JSONL file (relative to the output folder) for a source's month."""
    return f"{source}/{year:04d}/{month:02d}/{source}-{year:04d}-{month:02d}.jsonl"


def html_file(jsonl: str, record_id: str) -> str:
    """Where the raw HTML of a record is kept (relative to the output folder)."""
    return f"{jsonl.rsplit('/', 1)[0]}/{HTML_DIR}/{record_id}.html.gz"


def _fsync_dir(folder: Path) -> None:
    """Make a new file's directory entry durable (best effort: not every OS allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class CorpusWriter:
    """Appends records and saves raw pages under ``out_dir``."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir

    def save_html(self, relative: str, body: bytes) -> None:
        """Write a page gzipped, atomically (a rerun overwrites it with the same name)."""
        target = self.out_dir / relative
        with atomic_path(target) as tmp:
            with gzip.open(tmp, "wb", compresslevel=6) as handle:
                handle.write(body)
            with tmp.open("rb") as done:
                os.fsync(done.fileno())

    def repair(self, relative: str) -> int:
        """Cut a torn last line (one without its newline) left by a crash; returns the bytes cut."""
        path = self.out_dir / relative
        if not path.is_file():
            return 0
        with path.open("r+b") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size == 0:
                return 0
            handle.seek(size - 1)
            if handle.read(1) == b"\n":
                return 0
            keep = 0
            position = size
            while position > 0:
                step = min(65536, position)
                position -= step
                handle.seek(position)
                chunk = handle.read(step)
                cut = chunk.rfind(b"\n")
                if cut >= 0:
                    keep = position + cut + 1
                    break
            handle.truncate(keep)
            handle.flush()
            os.fsync(handle.fileno())
        log.warning("%s: cut a torn last line of %d bytes (interrupted write)", relative, size - keep)
        return size - keep

    def append(self, relative: str, records: Iterable[dict[str, Any]]) -> int:
        """Append records as JSON lines, then flush and fsync; returns the number written."""
        path = self.out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        created = not path.exists()
        self.repair(relative)
        data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in records)
        with path.open("a", encoding="utf-8", newline="\n") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if created:
            _fsync_dir(path.parent)
        return data.count("\n")

    def recorded_ids(self, relative: str) -> set[str]:
        """The ``id`` of every complete record in a JSONL file (after cutting a torn line)."""
        self.repair(relative)
        path = self.out_dir / relative
        found: set[str] = set()
        if not path.is_file():
            return found
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    value = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(value, dict) and isinstance(value.get("id"), str):
                    found.add(value["id"])
        return found
