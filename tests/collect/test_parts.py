"""The collector's parts on their own: URLs, HTTP rules, discovery parsing, output files, extraction."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from analysis.collect import reasons
from analysis.collect.discover import Discoverer, parse_document
from analysis.collect.extract import ExtractionFailed, extract_article
from analysis.collect.fetch import Fetcher, HostGate, Validators, parse_retry_after
from analysis.collect.output import CorpusWriter, html_file, month_file
from analysis.collect.run import PageTask, interleave_hosts
from analysis.collect.sources import CollectSettings, Source
from analysis.collect.state import State, StateError, UrlRow
from analysis.collect.urls import UrlError, canonical_url
from tests.collect.site import Answer, Site, article, fixture

FAST = CollectSettings(delay=0, timeout=2, retries=1, backoff=0.01, max_page_mb=0.01, max_redirects=2)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM:443/a/b.html", "https://www.example.com/a/b.html"),
        ("https://example.com/a.html?utm_source=x&utm_medium=y&fbclid=z", "https://example.com/a.html"),
        ("https://example.com/a.html?id=3&gclid=1#comments", "https://example.com/a.html?id=3"),
        ("https://example.com/a.html?b=2&a=1", "https://example.com/a.html?a=1&b=2"),
        ("https://example.com", "https://example.com/"),
        ("http://127.0.0.1:8080//x/../y.html", "http://127.0.0.1:8080/y.html"),
        ("  https://example.com/a b.html ", "https://example.com/ab.html"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/file", reasons.BAD_SCHEME),
        ("mailto:someone@example.com", reasons.BAD_SCHEME),
        ("/relative/path.html", reasons.BAD_SCHEME),
        ("http:///no-host", reasons.INVALID_URL),
        ("http://example.com:99999999/", reasons.INVALID_URL),
    ],
)
def test_canonical_url_refuses(url: str, reason: str) -> None:
    with pytest.raises(UrlError) as caught:
        canonical_url(url)
    assert caught.value.reason == reason


def test_parse_retry_after() -> None:
    now = datetime(2024, 3, 10, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Sun, 10 Mar 2024 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Sun, 10 Mar 2024 11:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


@pytest.mark.parametrize(
    ("reason", "status", "retryable"),
    [
        (reasons.HTTP_ERROR, 503, True),
        (reasons.HTTP_ERROR, 429, True),
        (reasons.HTTP_ERROR, 404, False),
        (reasons.TIMEOUT, None, True),
        (reasons.CONNECTION_ERROR, None, True),
        (reasons.ROBOTS_UNAVAILABLE, None, True),
        (reasons.ROBOTS_DISALLOWED, None, False),
        (reasons.EXTRACTION_EMPTY, 200, False),
        (reasons.DUPLICATE_CANONICAL, 200, False),
    ],
)
def test_retryable_reasons(reason: str, status: int | None, retryable: bool) -> None:
    assert reason in reasons.REASONS
    assert reasons.is_retryable(reason, status) is retryable


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_host_gate_spaces_requests_per_host() -> None:
    fake = FakeTime()
    gate = HostGate(1, clock=fake.clock, sleep=fake.sleep)
    with gate.slot("http://a", 2.0):
        fake.now += 0.5  # the request takes half a second
    with gate.slot("http://b", 2.0):
        pass
    with gate.slot("http://a", 2.0):
        pass
    assert fake.slept == [2.0]  # host b never waits; host a waits 2 s after its last request ended
    gate.defer("http://b", 7.0)
    with gate.slot("http://b", 2.0):
        pass
    assert fake.slept == [2.0, 7.0]


def test_interleave_hosts() -> None:
    source = Source("s", "fr", "MA", feeds=("http://a/feed",))

    def task(url: str) -> PageTask:
        return PageTask(UrlRow(url, "s", "pending", None, None, None, None, 0, None, None, None), source, 0.0)

    urls = ["http://a/1", "http://a/2", "http://a/3", "http://b/1", "http://c/1", "http://b/2"]
    order = [t.row.url for t in interleave_hosts([task(u) for u in urls])]
    assert order == ["http://a/1", "http://b/1", "http://c/1", "http://a/2", "http://b/2", "http://a/3"]


# -- discovery parsing -----------------------------------------------------------------------------

BASE = "http://news.example"


def test_parse_rss_and_atom() -> None:
    rss = parse_document(fixture("rss.xml", base=BASE).encode(), f"{BASE}/feeds/rss.xml", 10**6)
    assert rss is not None and rss.kind == "feed"
    assert len(rss.listings) == 11
    first = rss.listings[0]
    assert first.url == f"{BASE}/articles/a1.html"
    assert first.published == datetime(2024, 3, 10, 8, 30, tzinfo=UTC)
    assert first.modified is None
    atom = parse_document(fixture("atom.xml", base=BASE).encode(), f"{BASE}/feeds/atom.xml", 10**6)
    assert atom is not None and atom.kind == "feed"
    assert [listing.url for listing in atom.listings][4] == f"{BASE}/articles/a6-fr-date.html"  # relative link
    assert atom.listings[0].published is None
    assert atom.listings[0].modified == datetime(2024, 3, 13, 10, 0, tzinfo=UTC)


def test_parse_sitemaps() -> None:
    index = parse_document(fixture("sitemap_index.xml", base=BASE).encode(), f"{BASE}/sitemap_index.xml", 10**6)
    assert index is not None and index.kind == "sitemapindex"
    assert [(u.removeprefix(BASE), d.year if d else None) for u, d in index.children] == [
        ("/sitemaps/posts.xml", 2024),
        ("/sitemaps/more.xml.gz", 2024),
        ("/sitemaps/archive-2018.xml", 2018),
    ]
    news = parse_document(fixture("news_sitemap.xml", base=BASE).encode(), f"{BASE}/news.xml", 10**6)
    assert news is not None and news.kind == "sitemap"
    assert news.listings[0].published == datetime(2024, 3, 14, 7, 0, tzinfo=UTC)
    packed = gzip.compress(fixture("sitemap_posts.xml", base=BASE).encode())
    posts = parse_document(packed, f"{BASE}/posts.xml.gz", 10**6)
    assert posts is not None
    assert [(listing.url.removeprefix(BASE), listing.published) for listing in posts.listings] == [
        ("/articles/a7.html", None),
        ("/articles/a8.html", None),
    ]
    assert posts.listings[0].modified == datetime(2024, 2, 20, tzinfo=UTC)
    assert parse_document(packed, f"{BASE}/posts.xml.gz", 100) is None  # over the size limit once unpacked
    assert parse_document(b"<html><body>Hello</body></html>", BASE, 10**6) is None
    assert parse_document(b"\x1f\x8bnot really gzip", BASE, 10**6) is None


# -- HTTP against a local site ---------------------------------------------------------------------


@pytest.fixture
def site() -> Iterator[Site]:
    made = Site()
    made.start()
    yield made
    made.stop()


def test_robots_404_allows_and_delay_applies(site: Site) -> None:
    site.routes["/a.html"] = Answer(body=article("A", "un sujet"), etag='"v1"')
    fake = FakeTime()
    fetcher = Fetcher(FAST, sleep=fake.sleep, clock=fake.clock)
    try:
        first = fetcher.fetch(f"{site.base}/a.html", page=True, delay=30.0)
        assert first.ok and first.etag == '"v1"'
        again = fetcher.fetch(f"{site.base}/a.html", page=True, delay=30.0, validators=Validators(first.etag))
    finally:
        fetcher.close()
    assert again.not_modified
    assert site.counts()["/robots.txt"] == 1
    # robots.txt, then the page, then the page again: each after the 30 s host delay
    assert fake.slept == [30.0, 30.0]


def test_robots_401_disallows_without_retrying_later(site: Site) -> None:
    site.routes["/robots.txt"] = Answer(401, b"who are you")
    fetcher = Fetcher(FAST)
    try:
        got = fetcher.fetch(f"{site.base}/a.html", page=True, delay=0)
    finally:
        fetcher.close()
    assert got.reason == reasons.ROBOTS_DISALLOWED
    assert site.count("/a.html") == 0


@pytest.mark.parametrize(
    ("answer", "reason", "hits"),
    [
        (Answer(body=b"x" * 20_000), reasons.TOO_LARGE, 1),  # announced by Content-Length
        (Answer(body=b"x" * 20_000, length=False), reasons.TOO_LARGE, 1),  # found while streaming
        (Answer(body=b"%PDF-1.4", content_type="application/pdf"), reasons.NOT_HTML, 1),
        (Answer(body=b"\x00\x01binary", content_type=None), reasons.NOT_HTML, 1),  # no type, not HTML either
        (Answer(302, content_type=None, headers={"Location": "ftp://127.0.0.1/x"}), reasons.BAD_SCHEME, 1),
        (Answer(503, b"busy"), reasons.HTTP_ERROR, 2),  # retried once (retries = 1)
        (Answer(410, b"gone"), reasons.HTTP_ERROR, 1),
    ],
)
def test_fetch_failures(site: Site, answer: Answer, reason: str, hits: int) -> None:
    site.routes["/p"] = answer
    fetcher = Fetcher(FAST)
    try:
        got = fetcher.fetch(f"{site.base}/p", page=True, delay=0)
    finally:
        fetcher.close()
    assert got.reason == reason
    assert site.count("/p") == hits


def test_fetch_html_without_content_type_is_sniffed(site: Site) -> None:
    site.routes["/p"] = Answer(body=b"<!DOCTYPE html><html><body><p>Bonjour</p></body></html>", content_type=None)
    fetcher = Fetcher(FAST)
    try:
        assert fetcher.fetch(f"{site.base}/p", page=True, delay=0).ok
    finally:
        fetcher.close()


def test_connection_dropped_is_a_connection_error(site: Site) -> None:
    site.routes["/drop"] = Answer(drop=True)
    fetcher = Fetcher(FAST)
    try:
        got = fetcher.fetch(f"{site.base}/drop", page=True, delay=0)
    finally:
        fetcher.close()
    assert got.reason == reasons.CONNECTION_ERROR
    assert site.count("/drop") == 2  # retried once


def test_unreachable_host_is_off_limits() -> None:
    dead = Site()  # bound, never started, then closed: nothing listens on its port
    dead.server.server_close()
    fetcher = Fetcher(FAST)
    try:
        page = fetcher.fetch(f"{dead.base}/a.html", page=True, delay=0)
    finally:
        fetcher.close()
    assert page.reason == reasons.ROBOTS_UNAVAILABLE  # robots.txt unreachable: retried on the next run
    assert reasons.is_retryable(page.reason)


def test_sitemap_recursion_is_capped(site: Site) -> None:
    xml = "application/xml"
    for level in range(4):
        site.routes[f"/index{level}.xml"] = Answer(
            body=(
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{site.base}/index{level + 1}.xml</loc></sitemap>"
                f"<sitemap><loc>{site.base}/leaf{level}.xml</loc></sitemap></sitemapindex>"
            ).encode(),
            content_type=xml,
        )
        site.routes[f"/leaf{level}.xml"] = Answer(
            body=(
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{site.base}/article-{level}.html</loc></url></urlset>"
            ).encode(),
            content_type=xml,
        )
    source = Source("s", "fr", "MA", sitemaps=(f"{site.base}/index0.xml",))
    fetcher = Fetcher(FAST)
    try:
        deep = Discoverer(fetcher, FAST, {}).discover(source)  # sitemap_depth = 2
        few = Discoverer(fetcher, CollectSettings(delay=0, sitemap_max_documents=3), {}).discover(source)
    finally:
        fetcher.close()
    assert [x.url.removeprefix(site.base) for x in deep.listings] == ["/article-1.html", "/article-0.html"]
    assert deep.failures == {reasons.SITEMAP_LIMIT: 1}
    assert [x.url.removeprefix(site.base) for x in few.listings] == []  # index0, index1, index2: no leaf reached
    assert few.failures[reasons.SITEMAP_LIMIT] >= 1


# -- output files ----------------------------------------------------------------------------------


def test_paths() -> None:
    assert month_file("le360", 2024, 3) == "le360/2024/03/le360-2024-03.jsonl"
    assert html_file("le360/2024/03/le360-2024-03.jsonl", "ab12") == "le360/2024/03/.html/ab12.html.gz"


def test_writer_cuts_a_torn_line_before_appending(tmp_path: Path) -> None:
    writer = CorpusWriter(tmp_path)
    name = "s/2024/03/s-2024-03.jsonl"
    assert writer.append(name, [{"id": "a", "title": "un"}, {"id": "b", "title": "deux"}]) == 2
    with (tmp_path / name).open("a", encoding="utf-8") as handle:
        handle.write('{"id": "c", "title": "tr')  # a crash in the middle of a line
    assert writer.recorded_ids(name) == {"a", "b"}
    writer.append(name, [{"id": "d", "title": "quatre"}])
    lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
    assert lines == ['{"id": "a", "title": "un"}', '{"id": "b", "title": "deux"}', '{"id": "d", "title": "quatre"}']
    assert writer.repair(name) == 0
    assert writer.recorded_ids("missing.jsonl") == set()


def test_writer_saves_html_gzipped(tmp_path: Path) -> None:
    writer = CorpusWriter(tmp_path)
    writer.save_html("s/2024/03/.html/x.html.gz", b"<html>page</html>")
    assert gzip.decompress((tmp_path / "s/2024/03/.html/x.html.gz").read_bytes()) == b"<html>page</html>"
    assert [p.name for p in (tmp_path / "s/2024/03/.html").iterdir()] == ["x.html.gz"]  # no temp file left


# -- extraction ------------------------------------------------------------------------------------


def test_extract_fr_date_only_page() -> None:
    found = extract_article(fixture("article_fr_date.html").encode(), "http://x.ma/a.html")
    assert found.published is not None and found.published.startswith("2024-03-12")
    assert found.language == "fr"
    assert found.canonical is None
    assert found.text.startswith("Dans la région du Souss-Massa")  # the date line is not body text


def test_extract_empty_page() -> None:
    with pytest.raises(ExtractionFailed) as caught:
        extract_article(fixture("empty.html").encode(), "http://x.ma/g.html")
    assert caught.value.reason == reasons.EXTRACTION_EMPTY


def test_extract_ignores_a_home_page_canonical_and_reads_the_http_charset() -> None:
    page = article("Économie régionale", "l'économie", canonical="/", lang="fr-MA").decode("utf-8")
    found = extract_article(page.replace('<meta charset="utf-8">', "").encode("cp1252"), "http://x.ma/e.html", "cp1252")
    assert found.canonical is None  # every page "canonical" to the home page would make all duplicates
    assert found.title == "Économie régionale"
    assert found.language == "fr"


# -- state -----------------------------------------------------------------------------------------


def test_one_run_at_a_time(tmp_path: Path) -> None:
    first = State(tmp_path / "state.sqlite")
    try:
        with pytest.raises(StateError, match="another collect run"):
            State(tmp_path / "state.sqlite")
    finally:
        first.close()
    State(tmp_path / "state.sqlite").close()  # free again once the first run closed it


def test_not_a_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StateError, match="not a collector state file"):
        State(path)
    State(tmp_path / "other.sqlite").close()
