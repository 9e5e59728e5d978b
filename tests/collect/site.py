"""A canned news site on 127.0.0.1: a threaded HTTP server with scripted answers and a request log."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

FIXTURES = Path(__file__).with_name("fixtures")


@dataclass
class Answer:
    """One scripted answer. ``etag`` makes the server answer 304 to a matching If-None-Match."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    gzip: bool = False  # send with Content-Encoding: gzip
    delay: float = 0.0  # seconds before answering
    length: bool = True  # send Content-Length
    drop: bool = False  # close the connection without answering


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int


class Site:
    """Routes (path with query, else path) to answers; a list of answers is played in turn."""

    def __init__(self) -> None:
        self.routes: dict[str, Answer | list[Answer]] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        # a short poll interval: shutdown() waits for it
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def start(self) -> Site:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for h in self.hits if h.path == path)

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(h.path for h in self.hits)

    def conditional(self) -> list[Hit]:
        """Requests that carried If-None-Match or If-Modified-Since."""
        with self._lock:
            return [h for h in self.hits if "if-none-match" in h.headers or "if-modified-since" in h.headers]

    def _answer(self, target: str) -> Answer:
        with self._lock:
            route = self.routes.get(target)
            if route is None:
                route = self.routes.get(urlsplit(target).path)
            if route is None:
                return Answer(404, b"<html><body>Not found</body></html>")
            if isinstance(route, list):
                return route.pop(0) if len(route) > 1 else route[0]
            return route

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                answer = site._answer(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = answer.status
                if answer.etag and headers.get("if-none-match") == answer.etag:
                    status = 304
                with site._lock:
                    site.hits.append(Hit(urlsplit(self.path).path, headers, status))
                if answer.drop:
                    self.close_connection = True
                    return
                if answer.delay:
                    time.sleep(answer.delay)
                body = b"" if status == 304 else answer.body
                if answer.gzip and body:
                    body = gzip.compress(body)
                try:
                    self.send_response(status)
                    if answer.content_type and status != 304:
                        self.send_header("Content-Type", answer.content_type)
                    if answer.etag:
                        self.send_header("ETag", answer.etag)
                    if answer.gzip and body:
                        self.send_header("Content-Encoding", "gzip")
                    for key, value in answer.headers.items():
                        self.send_header(key, value)
                    if answer.length:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout, size limit)

        return Handler


def fixture(name: str, **values: str) -> str:
    return Template((FIXTURES / name).read_text(encoding="utf-8")).substitute(values)


def paragraphs(topic: str, count: int = 5) -> str:
    """Distinct French paragraphs long enough for trafilatura to see an article."""
    sentences = [
        f"Le dossier {topic} occupe les responsables régionaux depuis plusieurs semaines, selon des sources proches du ministère.",
        f"Les habitants concernés par le projet {topic} attendent des annonces concrètes avant la fin du trimestre.",
        f"Plusieurs économistes estiment que {topic} pourrait modifier durablement l'équilibre budgétaire de la région.",
        f"Au parlement, les débats sur {topic} ont opposé la majorité et l'opposition lors de la dernière séance plénière.",
        f"Les associations locales demandent davantage de transparence sur le calendrier et le financement de {topic}.",
        f"Le gouverneur a promis de publier un rapport détaillé sur {topic} avant l'été, avec des indicateurs chiffrés.",
    ]
    return "\n".join(f"<p>{sentences[i % len(sentences)]} Paragraphe {i + 1}.</p>" for i in range(count))


def article(
    title: str,
    topic: str,
    *,
    published: str | None = None,
    canonical: str | None = None,
    author: str | None = None,
    keywords: str | None = None,
    lang: str = "fr",
    size: int = 5,
) -> bytes:
    """An article page from ``fixtures/article.html``."""
    head = []
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if author:
        head.append(f'<meta name="author" content="{author}">')
    if keywords:
        head.append(f'<meta name="keywords" content="{keywords}">')
    byline = f'<p class="byline">Par {author}</p>' if author else ""
    return fixture(
        "article.html",
        lang=lang,
        title=title,
        head="\n  ".join(head),
        byline=byline,
        paragraphs=paragraphs(topic, size),
    ).encode("utf-8")
