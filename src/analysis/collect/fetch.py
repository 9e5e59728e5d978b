"""Polite HTTP: robots.txt, per-host delay and concurrency, retries, size and type limits.

:class:`Fetcher` is shared by the worker threads. Every request to a host first takes one of
that host's ``host_concurrency`` slots and waits until ``delay`` seconds have passed since the
previous request to the host ended; a 429/5xx answer pushes the host's next slot back by the
backoff (or the server's ``Retry-After``), so every thread backs off from that host together.
Redirects are followed by hand so that each hop is checked (scheme, robots.txt) and counted.
"""

from __future__ import annotations

import email.utils
import functools
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from analysis.collect import reasons
from analysis.collect.sources import CollectSettings
from analysis.collect.urls import WEB_SCHEMES, host_key

HTML_TYPES = ("text/html", "application/xhtml+xml")
ROBOTS_MAX_BYTES = 512 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
_DOC_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"


@dataclass(frozen=True)
class Validators:
    """What a server said about the version we have, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class FetchResult:
    """The end of one fetch: a body (2xx), "not modified" (304) or a failure reason."""

    url: str
    final_url: str
    status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    redirects: tuple[str, ...] = ()
    reason: str | None = None
    detail: str = ""
    location: str | None = field(default=None, repr=False)  # a redirect's target, before following it
    retry_after: float | None = field(default=None, repr=False)  # set on answers worth retrying

    @property
    def ok(self) -> bool:
        return self.reason is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.reason is None and self.status == 304


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS context (certifi's CAs), built once: loading the CAs takes a while."""
    return httpx.create_ssl_context()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay-seconds or an HTTP-date)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HostGate:
    """Per-host concurrency slots and minimum spacing between requests."""

    def __init__(self, concurrency: int, *, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._concurrency = concurrency
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str, delay: float) -> Iterator[None]:
        """Hold one of ``host``'s slots, after waiting out its delay."""
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.Semaphore(self._concurrency))
        with semaphore:
            with self._lock:
                now = self._clock()
                start = max(now, self._next.get(host, now))
                self._next[host] = start + delay
            if start > now:
                self._sleep(start - now)
            try:
                yield
            finally:
                with self._lock:
                    self._next[host] = max(self._next[host], self._clock() + delay)

    def defer(self, host: str, seconds: float) -> None:
        """No request to ``host`` for the next ``seconds`` (backoff)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), self._clock() + seconds)


@dataclass(frozen=True)
class _Rules:
    parser: RobotFileParser
    reason: str | None  # robots_unavailable when the whole host is off limits
    crawl_delay: float


class Fetcher:
    """Fetches pages and discovery documents for every worker thread (thread-safe).

    Args:
        settings: limits, delays and the User-Agent's contact.
        client: an ``httpx.Client`` to use (one is made, and closed by :meth:`close`, if absent).
        sleep: how to wait (tests pass a recorder).
        clock: monotonic seconds.
    """

    def __init__(
        self,
        settings: CollectSettings,
        *,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.user_agent = settings.user_agent()
        self._own_client = client is None
        self.client = client or httpx.Client(
            headers={"User-Agent": self.user_agent},
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,
            verify=_tls_context(),
        )
        self._clock = clock
        self.gate = HostGate(settings.host_concurrency, clock=clock, sleep=sleep)
        self._robots: dict[str, _Rules] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    # -- robots.txt ---------------------------------------------------------------------------

    def _rules(self, host: str, delay: float) -> _Rules:
        with self._lock:
            lock = self._robots_locks.setdefault(host, threading.Lock())
        with lock:  # one fetch of robots.txt per host, however many threads ask
            if host not in self._robots:
                self._robots[host] = self._load_robots(host, delay)
            return self._robots[host]

    def _load_robots(self, host: str, delay: float) -> _Rules:
        """robots.txt rules per RFC 9309: 4xx allows all (401/403 disallow all), 5xx disallows all."""
        parser = RobotFileParser(f"{host}/robots.txt")
        got = self._follow(f"{host}/robots.txt", page=False, delay=delay, max_bytes=ROBOTS_MAX_BYTES, robots=False)
        if got.ok:
            parser.parse(got.body.decode("utf-8", errors="replace").splitlines())
            crawl = parser.crawl_delay(self.user_agent)
            return _Rules(parser, None, min(float(crawl or 0.0), self.settings.max_crawl_delay))
        status = got.status or 0
        if got.reason in (reasons.TOO_MANY_REDIRECTS, reasons.BAD_SCHEME) or (
            400 <= status < 500 and status not in (401, 403, 408, 429)
        ):
            parser.parse([])  # no rules: everything allowed
            return _Rules(parser, None, 0.0)
        parser.parse(["User-agent: *", "Disallow: /"])
        if status in (401, 403):
            return _Rules(parser, None, 0.0)
        return _Rules(parser, reasons.ROBOTS_UNAVAILABLE, 0.0)

    def robots_check(self, url: str, delay: float) -> tuple[str | None, float]:
        """``(failure reason or None, crawl delay)`` for ``url`` according to its host's robots.txt."""
        rules = self._rules(host_key(url), delay)
        if rules.reason:
            return rules.reason, rules.crawl_delay
        if not rules.parser.can_fetch(self.user_agent, url):
            return reasons.ROBOTS_DISALLOWED, rules.crawl_delay
        return None, rules.crawl_delay

    # -- fetching -----------------------------------------------------------------------------

    def fetch(self, url: str, *, page: bool, delay: float, validators: Validators | None = None) -> FetchResult:
        """GET ``url`` following redirects; ``page`` requires an HTML answer within ``max_page_mb``.

        Args:
            url: an absolute URL.
            page: an article page (HTML only, page size limit) rather than a feed or sitemap.
            delay: minimum seconds between two requests to one host.
            validators: ETag/Last-Modified of the copy we have, sent as a conditional request.

        Returns:
            The result; never raises for network or HTTP problems (they become ``reason``).
        """
        limit = self.settings.max_page_bytes if page else self.settings.max_document_bytes
        return self._follow(url, page=page, delay=delay, max_bytes=limit, robots=True, validators=validators)

    def _follow(
        self,
        url: str,
        *,
        page: bool,
        delay: float,
        max_bytes: int,
        robots: bool,
        validators: Validators | None = None,
    ) -> FetchResult:
        current = url
        hops: list[str] = []
        for _ in range(self.settings.max_redirects + 1):
            if urlsplit(current).scheme.lower() not in WEB_SCHEMES:
                return FetchResult(url, current, reason=reasons.BAD_SCHEME, detail=current, redirects=tuple(hops))
            wait = delay
            if robots:
                refused, crawl_delay = self.robots_check(current, delay)
                if refused:
                    return FetchResult(url, current, reason=refused, redirects=tuple(hops))
                wait = max(delay, crawl_delay)
            got = self._with_retries(current, page, wait, max_bytes, validators)
            if got.location is None:
                return replace(got, url=url, final_url=current, redirects=tuple(hops))
            hops.append(current)
            current = urljoin(current, got.location)
        return FetchResult(
            url, current, reason=reasons.TOO_MANY_REDIRECTS, detail=f"over {self.settings.max_redirects}"
        )

    def _with_retries(
        self, url: str, page: bool, delay: float, max_bytes: int, validators: Validators | None
    ) -> FetchResult:
        # the User-Agent per request too, so that a client passed in by the caller sends it
        headers = {"User-Agent": self.user_agent, "Accept": _PAGE_ACCEPT if page else _DOC_ACCEPT}
        if validators:
            headers.update(validators.headers())
        host = host_key(url)
        got = FetchResult(url, url)
        for attempt in range(self.settings.retries + 1):
            with self.gate.slot(host, delay):
                got = self._once(url, headers, page, max_bytes)
            if got.retry_after is None or attempt == self.settings.retries:
                break
            self.gate.defer(host, self._backoff(attempt, got.retry_after))
        return replace(got, retry_after=None)

    def _backoff(self, attempt: int, retry_after: float) -> float:
        """The server's Retry-After (capped) when it gave one (> 0), else exponential backoff."""
        if retry_after > 0:
            return min(retry_after, self.settings.max_retry_after)
        return min(self.settings.backoff * 2**attempt, self.settings.max_backoff)

    def _once(self, url: str, headers: dict[str, str], page: bool, max_bytes: int) -> FetchResult:
        started = self._clock()
        try:
            with self.client.stream("GET", url, headers=headers) as answer:
                return self._read(url, answer, page, max_bytes, started)
        except httpx.TimeoutException as exc:
            return FetchResult(url, url, reason=reasons.TIMEOUT, detail=type(exc).__name__)
        except (httpx.InvalidURL, UnicodeError) as exc:  # e.g. a host name IDNA cannot encode
            return FetchResult(url, url, reason=reasons.INVALID_URL, detail=f"{type(exc).__name__}: {exc}")
        except httpx.HTTPError as exc:  # refused, reset, DNS, protocol or decoding errors
            return FetchResult(
                url, url, reason=reasons.CONNECTION_ERROR, detail=f"{type(exc).__name__}: {exc}", retry_after=0.0
            )

    def _read(self, url: str, answer: httpx.Response, page: bool, max_bytes: int, started: float) -> FetchResult:
        status = answer.status_code
        head = answer.headers
        etag, modified = head.get("etag"), head.get("last-modified")
        if status in _REDIRECTS and head.get("location"):
            return FetchResult(url, url, status=status, location=head["location"])
        if status == 304:
            return FetchResult(url, url, status=304, etag=etag, last_modified=modified)
        if reasons.retryable_status(status):
            wait = parse_retry_after(head.get("retry-after"))
            return FetchResult(
                url,
                url,
                status=status,
                reason=reasons.HTTP_ERROR,
                detail=f"HTTP {status}",
                retry_after=wait if wait is not None else 0.0,
            )
        if not 200 <= status < 300:
            return FetchResult(url, url, status=status, reason=reasons.HTTP_ERROR, detail=f"HTTP {status}")
        ctype = head.get("content-type")
        mime = ctype.split(";")[0].strip().lower() if ctype else None
        if page and mime is not None and mime not in HTML_TYPES:
            return FetchResult(url, url, status=status, reason=reasons.NOT_HTML, detail=mime)
        announced = head.get("content-length")
        if announced and announced.isdigit() and int(announced) > max_bytes:  # compressed size: a lower bound
            return FetchResult(url, url, status=status, reason=reasons.TOO_LARGE, detail=f"{announced} bytes announced")
        body = bytearray()
        for chunk in answer.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                return FetchResult(url, url, status=status, reason=reasons.TOO_LARGE, detail=f"over {max_bytes} bytes")
            if self._clock() - started > self.settings.timeout:
                return FetchResult(url, url, status=status, reason=reasons.TIMEOUT, detail="body too slow")
        data = bytes(body)
        if page and mime is None and not _looks_html(data):
            return FetchResult(url, url, status=status, reason=reasons.NOT_HTML, detail="no content type")
        return FetchResult(
            url,
            url,
            status=status,
            body=data,
            content_type=mime,
            charset=answer.charset_encoding,
            etag=etag,
            last_modified=modified,
        )


def _looks_html(data: bytes) -> bool:
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1024].lower()
    return start.startswith((b"<!doctype html", b"<html")) or b"<html" in start or b"<body" in start
