"""One collection run: discover, fetch, extract, write; resumable and never writing a URL twice.

The main thread owns the state database and the output files; worker threads only fetch
(feeds and sitemaps per source, then pages) and extract. Pages are handed back in a fixed order
(discovery order, interleaved round-robin across hosts so that the per-host delay does not
serialise the whole run), so two runs over the same answers write the same files.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from analysis.collect import reasons
from analysis.collect.discover import Discoverer, SourceDiscovery
from analysis.collect.extract import Article, ExtractionFailed, extract_article
from analysis.collect.fetch import Fetcher, FetchResult, Validators
from analysis.collect.output import CorpusWriter, html_file, month_file
from analysis.collect.sources import CollectSettings, Source, SourcesError, load_sources
from analysis.collect.state import State, UrlRow
from analysis.collect.urls import UrlError, canonical_url, host_key, url_hash
from analysis.dates import parse_datetime

log = logging.getLogger(__name__)

STATE_FILE = ".collect-state.sqlite"

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class CollectSummary:
    """What one run did. Failures are counted by reason (see :mod:`analysis.collect.reasons`).

    Attributes:
        sources: sources collected from.
        documents: feeds and sitemaps requested.
        discovered: distinct article URLs listed by the feeds and sitemaps (canonical form).
        filtered: listed URLs dropped by a source's include/exclude patterns or by ``since``.
        skipped_seen: listed URLs already in the state (collected, failed, or pending from an
            earlier run, in which case they are fetched below all the same).
        queued: URLs this run set out to fetch (new, pending from earlier runs, retries).
        fetched: pages answered with content (2xx).
        unchanged: 304 answers to conditional requests (feeds, sitemaps and pages).
        extracted: pages with article text.
        written: records appended to the corpus.
        recovered: records of an interrupted run found on disk and marked written.
        failed: article URLs not collected in this run, by reason.
        discovery_failed: feeds and sitemaps not read, by reason.
        outputs: JSONL files appended to (relative to the output folder).
        state_path: the state file.
    """

    sources: int = 0
    documents: int = 0
    discovered: int = 0
    filtered: int = 0
    skipped_seen: int = 0
    queued: int = 0
    fetched: int = 0
    unchanged: int = 0
    extracted: int = 0
    written: int = 0
    recovered: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    discovery_failed: Counter[str] = field(default_factory=Counter)
    outputs: list[str] = field(default_factory=list)
    state_path: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain values, for JSON or a table."""
        out = dict(self.__dict__)
        out["failed"] = dict(sorted(self.failed.items()))
        out["discovery_failed"] = dict(sorted(self.discovery_failed.items()))
        return out


@dataclass(frozen=True)
class PageTask:
    """One article URL to fetch."""

    row: UrlRow
    source: Source
    delay: float


@dataclass(frozen=True)
class PageOutcome:
    """What became of one page (passed to the ``on_page`` hook)."""

    url: str
    source: str
    fetch: FetchResult
    article: Article | None = None
    reason: str | None = None
    detail: str = ""


class _Display:
    """A rich progress line with the run's counts (off unless ``enabled`` and stderr is a terminal)."""

    def __init__(self, enabled: bool) -> None:
        console = Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("[dim]{task.fields[counts]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not (enabled and console.is_terminal),
        )
        self.task: TaskID | None = None

    def __enter__(self) -> _Display:
        self.progress.__enter__()
        self.task = self.progress.add_task("collect: discovering", total=None, counts="")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.progress.__exit__(kind, error, trace)

    def show(self, phase: str, summary: CollectSummary) -> None:
        if self.task is None:
            return
        counts = (
            f"discovered {summary.discovered}  fetched {summary.fetched}/{summary.queued}  "
            f"extracted {summary.extracted}  written {summary.written}  failed {sum(summary.failed.values())}"
        )
        self.progress.update(self.task, description=f"collect: {phase}", counts=counts)


def _since(value: date | datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"since: not a date: {value!r}")
    return parsed


def interleave_hosts(tasks: Sequence[PageTask]) -> list[PageTask]:
    """Round-robin over hosts (in order of first appearance), each host's URLs in their order."""
    queues: dict[str, deque[PageTask]] = {}
    for task in tasks:
        queues.setdefault(host_key(task.row.url), deque()).append(task)
    out: list[PageTask] = []
    while queues:
        for host in list(queues):
            out.append(queues[host].popleft())
            if not queues[host]:
                del queues[host]
    return out


def ordered_map(pool: ThreadPoolExecutor, func: Callable[[T], R], items: Iterable[T], window: int) -> Iterator[R]:
    """``pool.map`` with at most ``window`` items in flight; unstarted ones are cancelled on exit."""
    source = iter(items)
    pending: deque[Future[R]] = deque()
    try:
        for item in source:
            pending.append(pool.submit(func, item))
            if len(pending) >= window:
                break
        while pending:
            result = pending.popleft().result()
            for item in source:
                pending.append(pool.submit(func, item))
                break
            yield result
    finally:
        for future in pending:
            future.cancel()


def _delay(source: Source, settings: CollectSettings) -> float:
    return settings.delay if source.delay is None else source.delay


def _month(published: str | None, fetched: datetime) -> tuple[int, int]:
    """Year and month of publication as written on the page (its own time zone), else of the fetch."""
    if published:
        try:
            written = datetime.fromisoformat(published)
            return written.year, written.month
        except ValueError:
            parsed = parse_datetime(published)
            if parsed is not None:
                return parsed.year, parsed.month
    return fetched.year, fetched.month


class _Run:
    """The state of one :func:`collect` call (main thread only)."""

    def __init__(
        self,
        out_dir: Path,
        state: State,
        fetcher: Fetcher,
        sources: Sequence[Source],
        summary: CollectSummary,
        batch_size: int,
    ) -> None:
        self.out_dir = out_dir
        self.state = state
        self.fetcher = fetcher
        self.sources = {s.name: s for s in sources}
        self.summary = summary
        self.writer = CorpusWriter(out_dir)
        self.batch_size = batch_size
        self.batch: list[tuple[str, str, FetchResult, str, dict[str, Any]]] = []
        self.batch_keys: set[str] = set()

    # -- recovery ---------------------------------------------------------------------------

    def reconcile(self) -> None:
        """Resolve rows an interrupted run left ``writing``: on disk → written, else → pending."""
        by_file: dict[str, list[UrlRow]] = {}
        for row in self.state.writing():
            by_file.setdefault(row.output or "", []).append(row)
        for output, rows in by_file.items():
            present = self.writer.recorded_ids(output) if output else set()
            done = [r.url for r in rows if url_hash(r.url) in present]
            self.state.mark_written(done)
            self.state.mark_pending(r.url for r in rows if url_hash(r.url) not in present)
            self.summary.recovered += len(done)
            if output and done and output not in self.summary.outputs:
                self.summary.outputs.append(output)

    # -- discovery --------------------------------------------------------------------------

    def register(self, found: SourceDiscovery, since: datetime | None, seen: set[str]) -> None:
        """Queue what one source listed: new URLs pending, known ones skipped, others filtered."""
        source = self.sources[found.source]
        self.summary.documents += len(found.visits)
        self.summary.unchanged += sum(1 for v in found.visits if v.status == 304 and v.reason is None)
        self.summary.discovery_failed.update(found.failures)
        new: list[tuple[str, str, str | None, str]] = []
        for listing in found.listings:
            try:
                url = canonical_url(listing.url)
                problem: UrlError | None = None
            except UrlError as exc:
                url, problem = "".join(listing.url.split()), exc
            if url in seen:
                continue
            seen.add(url)
            self.summary.discovered += 1
            if problem is None and not source.wants(url):
                self.summary.filtered += 1
                continue
            if since is not None and listing.date is not None and listing.date < since:
                self.summary.filtered += 1
                continue
            if self.state.is_known(url):
                self.summary.skipped_seen += 1
                continue
            if problem is not None:
                self.state.add_failed(url, source.name, problem.reason, listing.found_in)
                self.summary.failed[problem.reason] += 1
                log.info("%s: %s", problem.reason, problem)
                continue
            published = listing.published.isoformat() if listing.published else None
            new.append((url, source.name, published, listing.found_in))
        self.state.add_pending(new)
        self.state.save_documents(source.name, found.visits)

    # -- pages ------------------------------------------------------------------------------

    def work(self, task: PageTask) -> PageOutcome:
        """Fetch and extract one page (in a worker thread)."""
        row = task.row
        # only a page kept as failed has a version worth revalidating; a 304 then means "still failing"
        has = row.status == "failed" and (row.etag or row.last_modified)
        validators = Validators(row.etag, row.last_modified) if has else None
        got = self.fetcher.fetch(row.url, page=True, delay=task.delay, validators=validators)
        if not got.ok:
            return PageOutcome(row.url, row.source, got, reason=got.reason, detail=got.detail)
        try:
            article = extract_article(got.body, got.final_url, got.charset)
        except ExtractionFailed as exc:
            return PageOutcome(row.url, row.source, got, reason=exc.reason, detail=exc.detail)
        except Exception as exc:  # one odd page (a parser bug) must not stop the run
            log.warning("extraction crashed on %s", row.url, exc_info=True)
            detail = f"{type(exc).__name__}: {exc}"
            return PageOutcome(row.url, row.source, got, reason=reasons.EXTRACTION_EMPTY, detail=detail)
        return PageOutcome(row.url, row.source, got, article=article)

    def handle(self, task: PageTask, outcome: PageOutcome) -> None:
        """Record one page's outcome: a failure, "unchanged", a duplicate, or a record to write."""
        got = outcome.fetch
        if got.not_modified:
            self.summary.unchanged += 1
            self.state.mark_unchanged(outcome.url)
            return
        if got.ok:
            self.summary.fetched += 1
        if outcome.article is None:
            reason = outcome.reason or reasons.EXTRACTION_EMPTY
            self.summary.failed[reason] += 1
            self.state.mark_failed(
                outcome.url,
                reason,
                http_status=got.status,
                final_url=got.final_url,
                etag=got.etag,
                last_modified=got.last_modified,
            )
            log.info("%s %s %s", reason, outcome.url, outcome.detail)
            return
        self.summary.extracted += 1
        key = self._identity(outcome.article, got)
        owner = self.state.collected_under(key)
        if (owner is not None and owner != outcome.url) or key in self.batch_keys:
            self.summary.failed[reasons.DUPLICATE_CANONICAL] += 1
            self.state.mark_failed(
                outcome.url,
                reasons.DUPLICATE_CANONICAL,
                http_status=got.status,
                final_url=got.final_url,
                canonical=key,
                status="duplicate",
            )
            return
        fetched = datetime.now(UTC)
        article = outcome.article
        published, date_from = article.published, "page" if article.published else None
        if published is None and task.row.listed_published:
            published, date_from = task.row.listed_published, "listing"
        year, month = _month(published, fetched)
        output = month_file(task.source.name, year, month)
        record_id = url_hash(outcome.url)
        record: dict[str, Any] = {
            "id": record_id,
            "url": key,
            "title": article.title,
            "text": article.text,
            "published": published,
            "date_from": date_from,
            "source": task.source.name,
            "country": task.source.country,
            "language": article.language or task.source.language,
            "author": article.author,
            "tags": list(article.tags),
            "site_name": article.site_name,
            "fetched": fetched.isoformat(timespec="seconds"),
            "requested_url": outcome.url,
            "final_url": got.final_url,
            "found_in": task.row.found_in,
            "raw_html": html_file(output, record_id),
        }
        self.batch.append((outcome.url, key, got, output, record))
        self.batch_keys.add(key)
        if len(self.batch) >= self.batch_size:
            self.flush()

    @staticmethod
    def _identity(article: Article, got: FetchResult) -> str:
        for candidate in (article.canonical, got.final_url, got.url):
            if candidate:
                try:
                    return canonical_url(candidate)
                except UrlError:
                    continue
        return got.url

    def flush(self) -> None:
        """Write the batch: state ``writing``, HTML, JSONL append + fsync, state ``written``."""
        if not self.batch:
            return
        batch, self.batch, self.batch_keys = self.batch, [], set()
        self.state.mark_writing(
            (url, key, got.final_url, got.status or 200, got.etag, got.last_modified, output)
            for url, key, got, output, _ in batch
        )
        by_file: dict[str, list[dict[str, Any]]] = {}
        for _, _, got, output, record in batch:
            self.writer.save_html(record["raw_html"], got.body)
            by_file.setdefault(output, []).append(record)
        for output, records in by_file.items():
            self.writer.append(output, records)
            if output not in self.summary.outputs:
                self.summary.outputs.append(output)
        self.state.mark_written(url for url, *_ in batch)
        self.summary.written += len(batch)


def collect(
    sources_file: Path | str,
    out_dir: Path | str,
    *,
    since: date | datetime | str | None = None,
    max_items: int | None = None,
    state_path: Path | str | None = None,
    progress: bool = True,
    only: Sequence[str] | None = None,
    settings: Mapping[str, Any] | None = None,
    on_page: Callable[[PageOutcome], None] | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> CollectSummary:
    """Collect the articles that the sources' feeds and sitemaps list into ``out_dir``.

    Safe to interrupt and run again: URLs already collected or failed for good are not fetched
    again, URLs left pending are, and no record is ever written twice.

    Args:
        sources_file: the sources TOML file (see :mod:`analysis.collect.sources`).
        out_dir: the corpus folder (created if needed), e.g. ``data/raw/collected``.
        since: skip listed URLs whose feed/sitemap date is older (a date, datetime or string).
        max_items: fetch at most this many article pages in this run (the rest stay pending).
        state_path: the state file (default ``out_dir/.collect-state.sqlite``).
        progress: show a progress line on a terminal.
        only: collect these source names only.
        settings: ``[collector]`` values overriding the sources file's (e.g. ``{"delay": 0}``).
        on_page: called in the main thread after each page is handled (tests, custom logging).
        client: an ``httpx.Client`` to send requests with (default: one made for the run).
        sleep: how to wait between requests (tests pass a recorder).

    Returns:
        The run's counts.

    Raises:
        SourcesError: the sources file is missing or malformed, or ``only`` names an unknown source.
        ValueError: ``since`` is not a date, or ``max_items`` is negative.
        StateError: the state file is not a collector state, or another run is using it.
    """
    config = load_sources(sources_file, settings)
    sources = list(config.sources)
    if only:
        unknown = sorted(set(only) - {s.name for s in sources})
        if unknown:
            raise SourcesError(f"{config.path}: no source named {', '.join(map(repr, unknown))}")
        sources = [s for s in sources if s.name in set(only)]
    if max_items is not None and max_items < 0:
        raise ValueError("max_items must not be negative")
    since_at = _since(since)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    state = State(Path(state_path) if state_path else out / STATE_FILE)
    summary = CollectSummary(sources=len(sources), state_path=str(state.path))
    cfg = config.settings
    fetcher = Fetcher(cfg, client=client, sleep=sleep)
    run = _Run(out, state, fetcher, sources, summary, cfg.batch_size)
    pool = ThreadPoolExecutor(max_workers=cfg.workers, thread_name_prefix="collect")
    try:
        run.reconcile()
        with _Display(progress) as display:
            discoverer = Discoverer(fetcher, cfg, state.known_documents(), since_at)
            seen: set[str] = set()
            for found in ordered_map(pool, discoverer.discover, sources, cfg.workers):
                run.register(found, since_at, seen)
                display.show("discovering", summary)
            rows = state.todo([s.name for s in sources], cfg.max_attempts)
            if max_items is not None:
                rows = rows[:max_items]
            by_name = {s.name: s for s in sources}
            tasks = interleave_hosts([PageTask(r, by_name[r.source], _delay(by_name[r.source], cfg)) for r in rows])
            summary.queued = len(tasks)
            window = max(2, 4 * cfg.workers)
            for task, outcome in zip(tasks, ordered_map(pool, run.work, tasks, window), strict=False):
                run.handle(task, outcome)
                display.show("fetching", summary)
                if on_page is not None:
                    on_page(outcome)
        run.flush()
    finally:
        try:
            run.flush()  # what was fetched before an interruption is kept
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            fetcher.close()
            state.close()
    log.info("collect: %s", summary.as_dict())
    return summary
