"""End to end: collect from the canned sites, then re-run, interrupt, crash, and ingest the result."""

from __future__ import annotations

import gzip
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from analysis import __version__
from analysis.collect import STATE_FILE, CollectSummary, PageOutcome, SourcesError, collect
from analysis.config import IngestOptions
from analysis.io import Ingestor
from tests.collect.conftest import PROXY_VARIABLES, World, make_world
from tests.collect.site import article

SINCE = "2024-01-01"

#: Paths of the pages whose record is written (the record's `url` path).
WRITTEN = {
    "/articles/a1.html",
    "/flaky/a2.html",
    "/limited/a3.html",
    "/articles/a4.html",
    "/gzip/a5.html",
    "/articles/a6-fr-date.html",
    "/articles/a7.html",
    "/articles/a8.html",
    "/articles/a9.html",
    "/articles/a11.html",
}
#: Listed URL (path, or the whole URL off-site) -> (state status, reason, HTTP status).
FAILED = {
    "/slow.html": ("failed", "timeout", None),
    "/big.html": ("failed", "too_large", 200),
    "/files/report.pdf": ("failed", "not_html", 200),
    "/private/secret.html": ("failed", "robots_disallowed", None),
    "ftp://127.0.0.1/file.txt": ("failed", "bad_scheme", None),
    "/gone.html": ("failed", "http_error", 404),
    "/loop/0": ("failed", "too_many_redirects", None),
    "/empty.html": ("failed", "extraction_empty", 200),
    "/articles/a10-copy.html": ("duplicate", "duplicate_canonical", 200),
}
DOCUMENTS = {
    "/feeds/rss.xml",
    "/feeds/atom.xml",
    "/sitemap_index.xml",
    "/sitemaps/posts.xml",
    "/sitemaps/more.xml.gz",
    "/news-sitemap.xml",
}


class Sleeps(list[float]):
    """A ``sleep`` that records what it was asked to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        time.sleep(seconds)


def records(out: Path) -> list[dict[str, Any]]:
    """Every record of every JSONL file, files in path order."""
    found: list[dict[str, Any]] = []
    for path in sorted(out.rglob("*.jsonl")):
        found.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    return found


def by_path(items: list[dict[str, Any]], base: str) -> dict[str, dict[str, Any]]:
    return {r["url"].removeprefix(base): r for r in items}


def state_rows(out: Path, base: str) -> dict[str, sqlite3.Row]:
    db = sqlite3.connect(out / STATE_FILE)
    db.row_factory = sqlite3.Row
    try:
        return {r["url"].removeprefix(base): r for r in db.execute("SELECT * FROM urls")}
    finally:
        db.close()


def run(world: World, out: Path, **kwargs: Any) -> CollectSummary:
    return collect(world.sources_file, out, since=SINCE, progress=False, **kwargs)


@dataclass
class FirstRun:
    world: World
    out: Path
    summary: CollectSummary
    sleeps: Sleeps
    started: datetime


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FirstRun]:
    """One collection shared by the read-only tests below."""
    with pytest.MonkeyPatch.context() as patch:
        for name in PROXY_VARIABLES:
            patch.delenv(name, raising=False)
        folder = tmp_path_factory.mktemp("first")
        world = make_world(folder / "sites")
        sleeps = Sleeps()
        started = datetime.now(UTC)
        try:
            summary = run(world, folder / "corpus", sleep=sleeps)
            yield FirstRun(world, folder / "corpus", summary, sleeps, started)
        finally:
            world.stop()


def test_first_run_counts(first: FirstRun) -> None:
    s = first.summary
    assert (s.sources, s.documents, s.discovered, s.filtered, s.skipped_seen, s.queued) == (2, 7, 21, 2, 0, 18)
    assert (s.fetched, s.unchanged, s.extracted, s.written, s.recovered) == (12, 0, 11, 10, 0)
    assert s.failed == Counter({reason: 1 for _, reason, _ in FAILED.values()})
    assert s.discovery_failed == Counter({"robots_unavailable": 1})


def test_first_run_writes_each_article_once(first: FirstRun) -> None:
    base = first.world.news.base
    items = records(first.out)
    assert len(items) == len(WRITTEN)
    assert set(by_path(items, base)) == WRITTEN
    assert len({r["id"] for r in items}) == len(items)
    month = f"{first.started:%Y/%m}"
    assert sorted(p.relative_to(first.out).as_posix() for p in first.out.rglob("*.jsonl")) == sorted(
        {
            "quotidien/2024/02/quotidien-2024-02.jsonl",
            "quotidien/2024/03/quotidien-2024-03.jsonl",
            f"quotidien/{month}/quotidien-{month.replace('/', '-')}.jsonl",
        }
    )
    assert sorted(first.summary.outputs) == sorted(
        p.relative_to(first.out).as_posix() for p in first.out.rglob("*.jsonl")
    )


def test_first_run_records_failures_with_reasons(first: FirstRun) -> None:
    rows = state_rows(first.out, first.world.news.base)
    for url, (status, reason, http_status) in FAILED.items():
        row = rows[url]
        assert (row["status"], row["reason"], row["http_status"]) == (status, reason, http_status), url
    assert rows["/articles/a10-copy.html"]["canonical"] == f"{first.world.news.base}/articles/a1.html"
    assert Counter(r["status"] for r in rows.values()) == Counter({"written": 10, "failed": 8, "duplicate": 1})
    assert "/old/2019.html" not in rows  # older than --since
    assert "/articles/excluded/tag-page.html" not in rows  # exclude pattern


def test_first_run_record_fields(first: FirstRun) -> None:
    base = first.world.news.base
    items = by_path(records(first.out), base)
    a1 = items["/articles/a1.html"]
    assert a1["title"] == "Un plan pour l'eau potable"
    assert a1["published"].startswith("2024-03-10T09:30:00")
    assert (a1["source"], a1["country"], a1["language"]) == ("quotidien", "MA", "fr")
    assert a1["author"] == "Amina Benali"
    assert a1["tags"] == ["eau", "agriculture"]
    assert a1["text"].startswith("Le dossier le plan eau occupe")
    assert a1["found_in"] == f"{base}/feeds/rss.xml"
    assert a1["date_from"] == "page"
    # redirect chain: requested URL and final URL both kept
    a4 = items["/articles/a4.html"]
    assert a4["requested_url"] == f"{base}/redirect/start"
    assert a4["final_url"] == f"{base}/articles/a4.html"
    # a page dated only by "Publié le 12 mars 2024" in its text
    assert items["/articles/a6-fr-date.html"]["published"].startswith("2024-03-12")
    assert items["/articles/a6-fr-date.html"]["title"] == "Les arganiers du Souss face à la sécheresse"
    # no date on the page: the news sitemap's publication date, marked as such
    a9 = items["/articles/a9.html"]
    assert (a9["published"], a9["date_from"]) == ("2024-03-14T07:00:00+00:00", "listing")
    # no date anywhere (a sitemap lastmod is not a publication date): filed under the fetch month
    assert items["/articles/a8.html"]["published"] is None
    assert items["/articles/a11.html"]["language"] == "fr"  # <html lang="fr-MA">


def test_first_run_keeps_raw_html_out_of_the_ingester_s_way(first: FirstRun) -> None:
    base = first.world.news.base
    items = by_path(records(first.out), base)
    for item in items.values():
        path = first.out / item["raw_html"]
        assert path.parent.name == ".html"
        assert path.name == f"{item['id']}.html.gz"
        assert gzip.decompress(path.read_bytes()).startswith(b"<!DOCTYPE html>")
    # the gzip-encoded page is stored decoded, as the site's HTML
    a5 = gzip.decompress((first.out / items["/gzip/a5.html"]["raw_html"]).read_bytes())
    expected = article("Les énergies renouvelables", "le solaire", published="2024-03-15T09:00:00+01:00")
    assert a5 == expected


def test_first_run_requests(first: FirstRun) -> None:
    news, other = first.world.news, first.world.other
    hits = news.counts()
    assert hits["/robots.txt"] == 1  # once per host and run
    assert hits["/articles/a1.html"] == 1  # listed twice (tracking parameters), fetched once
    assert hits["/flaky/a2.html"] == 2  # 500, then 200
    assert hits["/limited/a3.html"] == 2  # 429, then 200
    assert [hits[f"/loop/{i}"] for i in range(5)] == [1, 1, 1, 1, 0]  # max_redirects = 3
    for never in (
        "/private/secret.html",
        "/old/2019.html",
        "/articles/excluded/tag-page.html",
        "/sitemaps/archive-2018.xml",
    ):
        assert hits[never] == 0, never
    assert {h.path for h in news.hits} >= DOCUMENTS
    assert other.count("/robots.txt") == 3  # 503, retried twice, then the host is off limits
    assert other.count("/feed.xml") == 0
    agents = {h.headers["user-agent"] for h in news.hits}
    assert agents == {f"news-corpus-analysis/{__version__} (+mailto:tests@example.org)"}
    assert "gzip" in next(h for h in news.hits if h.path == "/gzip/a5.html").headers["accept-encoding"]
    assert not news.conditional()  # nothing to revalidate on a first run


def test_retry_after_is_honoured_and_capped(first: FirstRun) -> None:
    # the 429 said "Retry-After: 5"; max_retry_after is 0.2, the backoff 0.01-0.05
    assert 0.1 < max(first.sleeps) <= 0.2


def test_output_is_read_by_the_ingester(first: FirstRun, tmp_path: Path, ingest_options: IngestOptions) -> None:
    stats = Ingestor(ingest_options).run([first.out], tmp_path / "ingested")
    assert stats.records_kept == len(WRITTEN)
    assert stats.records_rejected == 0
    assert stats.files_read == 3  # the three JSONL files; never the .html/*.html.gz pages
    assert stats.files_ignored == 2  # the state file and its lock file (dot-files)
    assert dict(stats.by_format) == {"jsonl": Counter({"files": 3, "kept": 10})}
    assert dict(stats.by_source) == {"quotidien": 10}


def test_second_run_fetches_nothing_new_and_revalidates(world: World, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    run(world, out)
    before = world.news.counts()
    files = {p: p.read_bytes() for p in out.rglob("*.jsonl")}

    again = run(world, out, settings={"max_attempts": 2})
    assert (again.discovered, again.queued, again.fetched, again.written) == (0, 1, 0, 0)
    assert again.unchanged == len(DOCUMENTS)
    assert again.failed == Counter({"timeout": 1})  # the slow page is retried: its reason is retryable
    conditional = world.news.conditional()
    assert {h.path for h in conditional} == DOCUMENTS
    assert all(h.status == 304 and h.headers["if-none-match"].startswith('"') for h in conditional)
    delta = world.news.counts() - before
    assert delta == Counter({path: 1 for path in DOCUMENTS} | {"/robots.txt": 1, "/slow.html": 1})
    assert {p: p.read_bytes() for p in out.rglob("*.jsonl")} == files
    db = sqlite3.connect(out / STATE_FILE)
    kinds = dict(db.execute("SELECT url, kind FROM documents WHERE source = 'quotidien'"))
    db.close()
    base = world.news.base
    assert {url.removeprefix(base): kind for url, kind in kinds.items()} == {
        "/feeds/rss.xml": "feed",
        "/feeds/atom.xml": "feed",
        "/sitemap_index.xml": "sitemapindex",
        "/sitemaps/posts.xml": "sitemap",
        "/sitemaps/more.xml.gz": "sitemap",
        "/news-sitemap.xml": "sitemap",
    }  # a 304 keeps what the document was

    third = run(world, out, settings={"max_attempts": 2})
    assert (third.queued, third.written, sum(third.failed.values())) == (0, 0, 0)  # two attempts made: given up
    assert world.news.count("/slow.html") == 2


def test_interrupted_run_resumes_without_duplicates(world: World, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    handled: list[PageOutcome] = []

    def stop_after_five(outcome: PageOutcome) -> None:
        handled.append(outcome)
        if len(handled) == 5:
            raise KeyboardInterrupt  # as if Ctrl-C were pressed

    with pytest.raises(KeyboardInterrupt):
        run(world, out, on_page=stop_after_five)
    partial = records(out)
    rows = state_rows(out, world.news.base)
    assert 0 < len(partial) < len(WRITTEN)
    assert sum(r["status"] == "written" for r in rows.values()) == len(partial)
    assert not any(r["status"] == "writing" for r in rows.values())

    resumed = run(world, out)
    assert resumed.written == len(WRITTEN) - len(partial)
    items = records(out)
    assert sorted(r["url"].removeprefix(world.news.base) for r in items) == sorted(WRITTEN)


def test_max_items_then_resume(world: World, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    first = run(world, out, max_items=4)
    assert (first.queued, first.discovered) == (4, 21)
    rest = run(world, out)
    assert rest.queued == 18 - 4 + 1  # and /slow.html, among the first four, retried (timeout)
    assert rest.skipped_seen == 0  # feeds and sitemaps answer 304: nothing listed again
    assert first.written + rest.written == len(WRITTEN)
    assert sorted(r["url"].removeprefix(world.news.base) for r in records(out)) == sorted(WRITTEN)


def test_crash_between_append_and_commit_is_reconciled(world: World, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    run(world, out)
    base = world.news.base
    a1, a7 = f"{base}/articles/a1.html", f"{base}/articles/a7.html"
    february = out / "quotidien/2024/02/quotidien-2024-02.jsonl"
    # a1: appended and fsynced, but the crash came before the state said "written"
    # a7: the crash came in the middle of its line (torn, no newline)
    february.write_text('{"id": "' + "0" * 40 + '", "title": "coup', encoding="utf-8")
    db = sqlite3.connect(out / STATE_FILE)
    with db:
        db.execute("UPDATE urls SET status = 'writing' WHERE url IN (?, ?)", (a1, a7))
    db.close()
    hits_a7 = world.news.count("/articles/a7.html")

    summary = run(world, out)
    assert summary.recovered == 1
    assert summary.written == 1
    assert world.news.count("/articles/a7.html") == hits_a7 + 1  # fetched again, unconditionally
    assert world.news.count("/articles/a1.html") == 1
    lines = february.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["url"] for line in lines] == [a7]
    assert sorted(r["url"].removeprefix(base) for r in records(out)) == sorted(WRITTEN)
    assert set(Counter(r["status"] for r in state_rows(out, base).values())) == {"written", "failed", "duplicate"}


def test_only_unknown_source_is_an_error(world: World, tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="no source named 'nope'"):
        run(world, tmp_path / "corpus", only=["nope"])
