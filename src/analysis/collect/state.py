"""The collector's memory between runs: one SQLite file.

Table ``urls`` holds every article URL ever discovered (canonical form) with its status:

- ``pending``: discovered, not yet fetched (or interrupted before its record was written);
- ``writing``: its record is being appended to ``output`` (see :mod:`analysis.collect.output`);
- ``written``: its record is in ``output``;
- ``failed``: not collected, for ``reason`` (retried on later runs if the reason is retryable,
  up to ``max_attempts`` attempts in all);
- ``duplicate``: its page's canonical URL is already collected (``reason`` duplicate_canonical).

Table ``documents`` holds each feed and sitemap's ETag / Last-Modified (for conditional requests)
and, for sitemap indexes, the sitemaps they listed. Only the main thread touches the database.

One run at a time: :class:`State` holds an exclusive lock on ``<state file>.lock`` (``flock``,
released when the process ends however it ends), so two runs can never fetch and write the same
pending URLs. On systems without ``fcntl`` (Windows) there is no such guard.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from analysis.collect import reasons
from analysis.collect.discover import DocumentVisit, KnownDocument

SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    http_status INTEGER,
    canonical TEXT,
    final_url TEXT,
    etag TEXT,
    last_modified TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    last_attempt TEXT,
    listed_published TEXT,
    found_in TEXT,
    output TEXT
);
CREATE INDEX IF NOT EXISTS urls_canonical ON urls (canonical);
CREATE INDEX IF NOT EXISTS urls_status ON urls (status);
CREATE TABLE IF NOT EXISTS documents (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT,
    http_status INTEGER,
    reason TEXT,
    etag TEXT,
    last_modified TEXT,
    children TEXT NOT NULL DEFAULT '[]',
    last_attempt TEXT NOT NULL
);
"""


class StateError(RuntimeError):
    """The state file is not a collector state (or from an incompatible version)."""


@dataclass(frozen=True)
class UrlRow:
    """One row of the ``urls`` table, as the run needs it."""

    url: str
    source: str
    status: str
    reason: str | None
    http_status: int | None
    etag: str | None
    last_modified: str | None
    attempts: int
    listed_published: str | None
    found_in: str | None
    output: str | None


def _children_json(children: Iterable[tuple[str, datetime | None]]) -> str:
    return json.dumps([[url, when.isoformat() if when else None] for url, when in children])


def _children(text: str) -> tuple[tuple[str, datetime | None], ...]:
    return tuple((url, datetime.fromisoformat(when) if when else None) for url, when in json.loads(text))


def _exclusive(lock_path: Path) -> int | None:
    """An open descriptor holding an exclusive lock on ``lock_path`` (``None`` without fcntl)."""
    try:
        import fcntl
    except ImportError:  # Windows
        return None
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        raise StateError(f"{lock_path.with_suffix('')}: another collect run is using this state file") from exc
    return fd


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class State:
    """Open (creating if needed) the state file at ``path``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = _exclusive(path.with_name(path.name + ".lock"))
        self.db = sqlite3.connect(path)
        self.db.row_factory = sqlite3.Row
        try:
            with self.db:
                self.db.executescript(_SCHEMA)
                row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if row is None:
                    self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                elif row["value"] != SCHEMA_VERSION:
                    raise StateError(f"{path}: state schema {row['value']}, this collector reads {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StateError(f"{path}: not a collector state file: {exc}") from exc
        except StateError:
            self.close()
            raise

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor releases the lock
            self._lock = None

    # -- discovery ----------------------------------------------------------------------------

    def is_known(self, url: str) -> bool:
        """Whether ``url`` was discovered before, or is the canonical URL of a collected page."""
        found = self.db.execute("SELECT 1 FROM urls WHERE url = ? OR canonical = ? LIMIT 1", (url, url)).fetchone()
        return found is not None

    def add_pending(self, rows: Iterable[tuple[str, str, str | None, str]]) -> None:
        """Record newly discovered ``(url, source, listed_published, found_in)`` as pending."""
        now = _now()
        with self.db:
            self.db.executemany(
                "INSERT OR IGNORE INTO urls (url, source, status, first_seen, listed_published, found_in)"
                " VALUES (?, ?, 'pending', ?, ?, ?)",
                [(url, source, now, published, found_in) for url, source, published, found_in in rows],
            )

    def add_failed(self, url: str, source: str, reason: str, found_in: str) -> None:
        """Record a listed URL that cannot be fetched at all (bad scheme...)."""
        now = _now()
        with self.db:
            self.db.execute(
                "INSERT OR IGNORE INTO urls (url, source, status, reason, first_seen, found_in)"
                " VALUES (?, ?, 'failed', ?, ?, ?)",
                (url, source, reason, now, found_in),
            )

    def known_documents(self) -> dict[str, KnownDocument]:
        """Validators and children of every feed and sitemap seen before."""
        rows = self.db.execute("SELECT url, etag, last_modified, children FROM documents")
        return {r["url"]: KnownDocument(r["etag"], r["last_modified"], _children(r["children"])) for r in rows}

    def save_documents(self, source: str, visits: Iterable[DocumentVisit]) -> None:
        """Remember what feeds and sitemaps answered (validators only from successful answers)."""
        now = _now()
        with self.db:
            for v in visits:
                if v.reason:  # keep what a successful answer said before
                    self.db.execute(
                        "INSERT INTO documents (url, source, http_status, reason, last_attempt) VALUES (?, ?, ?, ?, ?)"
                        " ON CONFLICT (url) DO UPDATE SET http_status = excluded.http_status,"
                        " reason = excluded.reason, last_attempt = excluded.last_attempt",
                        (v.url, source, v.status, v.reason, now),
                    )
                    continue
                self.db.execute(
                    "INSERT INTO documents"
                    " (url, source, kind, http_status, reason, etag, last_modified, children, last_attempt)"
                    " VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)"
                    " ON CONFLICT (url) DO UPDATE SET source = excluded.source,"
                    " kind = COALESCE(excluded.kind, kind), http_status = excluded.http_status, reason = NULL,"
                    " etag = excluded.etag, last_modified = excluded.last_modified, children = excluded.children,"
                    " last_attempt = excluded.last_attempt",
                    (v.url, source, v.kind, v.status, v.etag, v.last_modified, _children_json(v.children), now),
                )

    # -- fetching -----------------------------------------------------------------------------

    def todo(self, sources: Iterable[str], max_attempts: int) -> list[UrlRow]:
        """URLs to fetch this run, in discovery order: pending ones and retryable failures."""
        names = list(sources)
        marks = ",".join("?" * len(names))
        rows = self.db.execute(
            f"SELECT * FROM urls WHERE source IN ({marks}) AND status IN ('pending', 'failed') ORDER BY rowid",
            names,
        )
        out = []
        for r in rows:
            if r["status"] == "failed" and (
                r["attempts"] >= max_attempts or not reasons.is_retryable(r["reason"], r["http_status"])
            ):
                continue
            out.append(self._row(r))
        return out

    @staticmethod
    def _row(r: sqlite3.Row) -> UrlRow:
        return UrlRow(
            r["url"],
            r["source"],
            r["status"],
            r["reason"],
            r["http_status"],
            r["etag"],
            r["last_modified"],
            r["attempts"],
            r["listed_published"],
            r["found_in"],
            r["output"],
        )

    def mark_failed(
        self,
        url: str,
        reason: str,
        *,
        http_status: int | None = None,
        final_url: str | None = None,
        canonical: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        status: str = "failed",
    ) -> None:
        """One more attempt, ended by ``reason`` (``status`` ``duplicate`` for duplicate_canonical)."""
        with self.db:
            self.db.execute(
                "UPDATE urls SET status = ?, reason = ?, http_status = ?, final_url = COALESCE(?, final_url),"
                " canonical = COALESCE(?, canonical), etag = COALESCE(?, etag),"
                " last_modified = COALESCE(?, last_modified), attempts = attempts + 1, last_attempt = ?"
                " WHERE url = ?",
                (status, reason, http_status, final_url, canonical, etag, last_modified, _now(), url),
            )

    def mark_unchanged(self, url: str) -> None:
        """One more attempt, answered 304: the status stays what it was."""
        with self.db:
            self.db.execute("UPDATE urls SET attempts = attempts + 1, last_attempt = ? WHERE url = ?", (_now(), url))

    def collected_under(self, canonical: str) -> str | None:
        """The URL whose page already has ``canonical`` as its canonical URL (or is it), if any."""
        row = self.db.execute(
            "SELECT url FROM urls WHERE status IN ('writing', 'written') AND (canonical = ? OR url = ?) LIMIT 1",
            (canonical, canonical),
        ).fetchone()
        return None if row is None else str(row["url"])

    def mark_writing(self, items: Iterable[tuple[str, str, str, int, str | None, str | None, str]]) -> None:
        """Before appending: ``(url, canonical, final_url, http_status, etag, last_modified, output)``."""
        now = _now()
        with self.db:
            self.db.executemany(
                "UPDATE urls SET status = 'writing', reason = NULL, canonical = ?, final_url = ?, http_status = ?,"
                " etag = ?, last_modified = ?, output = ?, attempts = attempts + 1, last_attempt = ? WHERE url = ?",
                [(c, f, h, e, m, o, now, u) for u, c, f, h, e, m, o in items],
            )

    def mark_written(self, urls: Iterable[str]) -> None:
        """After the appended lines are on disk."""
        with self.db:
            self.db.executemany("UPDATE urls SET status = 'written' WHERE url = ?", [(u,) for u in urls])

    def mark_pending(self, urls: Iterable[str]) -> None:
        """Records that never reached their file: fetch them again."""
        with self.db:
            self.db.executemany(
                "UPDATE urls SET status = 'pending', output = NULL, etag = NULL, last_modified = NULL WHERE url = ?",
                [(u,) for u in urls],
            )

    def writing(self) -> list[UrlRow]:
        """Rows left in ``writing`` by an interrupted run."""
        rows = self.db.execute("SELECT * FROM urls WHERE status = 'writing' ORDER BY rowid")
        return [self._row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """Number of URLs per status (and ``failed:<reason>``)."""
        out: dict[str, int] = {}
        for r in self.db.execute("SELECT status, reason, COUNT(*) AS n FROM urls GROUP BY status, reason"):
            key = r["status"] if r["status"] in ("pending", "writing", "written") else f"{r['status']}:{r['reason']}"
            out[key] = out.get(key, 0) + int(r["n"])
        return out

    def rows(self) -> Iterator[sqlite3.Row]:
        """Every URL row, in discovery order (for reports and tests)."""
        yield from self.db.execute("SELECT * FROM urls ORDER BY rowid")
