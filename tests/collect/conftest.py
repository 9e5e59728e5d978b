"""Fixtures: two canned sites on 127.0.0.1 and a sources file pointing at them."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.collect.site import Answer, Site, article, fixture

XML = "application/xml; charset=utf-8"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")

#: Fast, deterministic crawl settings for tests (no politeness delay, tiny backoff and limits).
TEST_COLLECTOR = """
[collector]
contact = "mailto:tests@example.org"
delay = 0
workers = 3
timeout = 0.5
max_page_mb = 0.05
max_redirects = 3
retries = 2
backoff = 0.01
max_backoff = 0.05
max_retry_after = 0.2
batch_size = 3
"""


def build_news_site(site: Site) -> None:
    """The "quotidien" site: feeds, sitemaps and one article page per scenario."""
    b = site.base
    r = site.routes
    r["/robots.txt"] = Answer(body=fixture("robots.txt").encode(), content_type="text/plain")
    r["/feeds/rss.xml"] = Answer(
        body=fixture("rss.xml", base=b).encode(), content_type="application/rss+xml", etag='"rss-1"'
    )
    r["/feeds/atom.xml"] = Answer(
        body=fixture("atom.xml", base=b).encode(), content_type="application/atom+xml", etag='"atom-1"'
    )
    r["/sitemap_index.xml"] = Answer(
        body=fixture("sitemap_index.xml", base=b).encode(), content_type=XML, etag='"index-1"'
    )
    r["/sitemaps/posts.xml"] = Answer(
        body=fixture("sitemap_posts.xml", base=b).encode(), content_type=XML, etag='"posts-1"'
    )
    r["/sitemaps/more.xml.gz"] = Answer(
        body=gzip.compress(fixture("sitemap_more.xml", base=b).encode()),
        content_type="application/gzip",
        etag='"more-1"',
    )
    r["/sitemaps/archive-2018.xml"] = Answer(
        body=f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{b}/articles/2018.html</loc></url></urlset>'.encode(),
        content_type=XML,
    )
    r["/news-sitemap.xml"] = Answer(
        body=fixture("news_sitemap.xml", base=b).encode(), content_type=XML, etag='"news-1"'
    )

    r["/articles/a1.html"] = Answer(
        body=article(
            "Un plan pour l'eau potable",
            "le plan eau",
            published="2024-03-10T09:30:00+01:00",
            canonical=f"{b}/articles/a1.html",
            author="Amina Benali",
            keywords="eau, agriculture",
        ),
        etag='"a1"',
    )
    r["/flaky/a2.html"] = [
        Answer(500, b"<html><body>Erreur interne</body></html>"),
        Answer(body=article("Le port de Tanger Med s'agrandit", "le port", published="2024-03-11T08:00:00+01:00")),
    ]
    r["/limited/a3.html"] = [
        Answer(429, b"slow down", content_type="text/plain", headers={"Retry-After": "5"}),
        Answer(body=article("Le tourisme bat des records", "le tourisme", published="2024-03-11T10:00:00+01:00")),
    ]
    r["/slow.html"] = Answer(body=article("Lent", "la lenteur", published="2024-03-11T11:00:00+01:00"), delay=1.2)
    r["/big.html"] = Answer(body=article("Très long", "le gros dossier", size=600), length=False)
    r["/files/report.pdf"] = Answer(
        body=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", content_type="application/pdf"
    )
    r["/private/secret.html"] = Answer(body=article("Secret", "le secret", published="2024-03-11T14:00:00+01:00"))
    r["/old/2019.html"] = Answer(body=article("Archive", "l'archive", published="2019-02-05T10:00:00+01:00"))
    r["/gone.html"] = Answer(404, b"<html><body>Introuvable</body></html>")
    r["/redirect/start"] = Answer(301, content_type=None, headers={"Location": "/redirect/middle"})
    r["/redirect/middle"] = Answer(302, content_type=None, headers={"Location": f"{b}/articles/a4.html"})
    r["/articles/a4.html"] = Answer(
        body=article("Nouvelle ligne à grande vitesse", "la ligne ferroviaire", published="2024-03-13T10:00:00+01:00")
    )
    for i in range(10):
        r[f"/loop/{i}"] = Answer(302, content_type=None, headers={"Location": f"/loop/{i + 1}"})
    r["/gzip/a5.html"] = Answer(
        body=article("Les énergies renouvelables", "le solaire", published="2024-03-15T09:00:00+01:00"), gzip=True
    )
    r["/empty.html"] = Answer(body=fixture("empty.html").encode())
    r["/articles/a6-fr-date.html"] = Answer(body=fixture("article_fr_date.html").encode(), etag='"a6"')
    r["/articles/excluded/tag-page.html"] = Answer(body=article("Étiquette", "l'étiquette"))
    r["/articles/a7.html"] = Answer(
        body=article("Le budget de février", "le budget", published="2024-02-20T10:00:00+01:00")
    )
    r["/articles/a8.html"] = Answer(body=article("Sans date", "l'actualité sans date"))
    r["/articles/a9.html"] = Answer(body=article("Énergie solaire à Ouarzazate", "la centrale Noor"))
    r["/articles/a10-copy.html"] = Answer(
        body=article(
            "Un plan pour l'eau potable",
            "le plan eau",
            published="2024-03-10T09:30:00+01:00",
            canonical=f"{b}/articles/a1.html",
        )
    )
    r["/articles/a11.html"] = Answer(
        body=article("La saison agricole", "la saison", published="2024-03-16T10:00:00+01:00", lang="fr-MA")
    )


def build_other_site(site: Site) -> None:
    """The "voisin" site: its robots.txt answers 503, so nothing there may be fetched."""
    site.routes["/robots.txt"] = Answer(503, b"unavailable", content_type="text/plain")
    site.routes["/feed.xml"] = Answer(
        body=fixture("rss.xml", base=site.base).encode(), content_type="application/rss+xml"
    )


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to 127.0.0.1 must never go through a proxy from the environment."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@dataclass
class World:
    """Both sites running and a sources file naming them."""

    news: Site
    other: Site
    sources_file: Path

    def stop(self) -> None:
        self.news.stop()
        self.other.stop()


def make_world(folder: Path) -> World:
    news, other = Site(), Site()
    build_news_site(news)
    build_other_site(other)
    news.start()
    other.start()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sources.toml"
    path.write_text(
        TEST_COLLECTOR
        + f"""
[[sources]]
name = "quotidien"
language = "fr"
country = "MA"
feeds = ["{news.base}/feeds/rss.xml", "{news.base}/feeds/atom.xml"]
sitemaps = ["{news.base}/sitemap_index.xml", "{news.base}/news-sitemap.xml"]
exclude = ["/excluded/"]

[[sources]]
name = "voisin"
language = "fr"
country = "FR"
feeds = ["{other.base}/feed.xml"]
""",
        encoding="utf-8",
    )
    return World(news, other, path)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made = make_world(tmp_path / "sites")
    yield made
    made.stop()
