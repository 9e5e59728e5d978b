"""Web archives (WARC): one article per HTML page captured; every other capture a reject."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from analysis.config import IngestOptions
from tests.io.helpers import run, write

BODY = (
    "Le gouvernement marocain a présenté mardi à Rabat un plan national pour l'eau, doté de plusieurs "
    "milliards de dirhams, destiné aux régions touchées par six années de sécheresse. Les barrages du "
    "Souss ne sont remplis qu'à 18 %, selon le ministère de l'Équipement, qui promet de nouvelles "
    "stations de dessalement sur la côte atlantique d'ici 2028."
)


def _page(title: str, body: str, *, extra: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>{extra}</head>'
        f"<body><nav><a href='/'>Accueil</a></nav><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article>"
        "<footer>Mentions légales</footer></body></html>"
    )


def _warc(path: Path, captures: list[tuple[str, str, str, bytes]], *, gz: bool) -> Path:
    """A web archive of (target, HTTP status line, content type, body) responses, each after its request."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
    for i, (target, status, kind, body) in enumerate(captures):
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.ma")], is_http_request=True)
        writer.write_record(writer.create_warc_record(target, "request", http_headers=request))
        headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            target,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": f"2026-12-02T10:0{i}:00Z"},
        )
        writer.write_record(record)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_a_web_archive_gives_one_article_per_page(tmp_path: Path, ingest_options: IngestOptions, gz: bool) -> None:
    stated = '<meta property="article:published_time" content="2026-12-01T17:20:00+01:00">'
    latin = _page("Sécheresse : un plan pour l'eau", BODY).replace('<meta charset="utf-8">', "")
    captures = [
        (
            "https://www.example.ma/eau/plan",
            "200 OK",
            "text/html; charset=utf-8",
            _page("Un plan pour l'eau", BODY, extra=stated).encode(),
        ),
        ("https://www.example.ma/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40),
        ("https://www.example.ma/ancien", "301 Moved Permanently", "text/html", b"<html>moved</html>"),
        ("https://www.example.ma/eau/secheresse", "200 OK", "text/html; charset=windows-1252", latin.encode("cp1252")),
        ("https://www.example.ma/introuvable", "404 Not Found", "text/html", b"<html>404</html>"),
    ]
    name = "crawl.warc.gz" if gz else "crawl.warc"
    _warc(tmp_path / "raw" / name, captures, gz=gz)
    write(tmp_path / "raw" / "broken.warc", "WARC/1.0\r\nthis is no archive\r\n\r\n")
    articles, rejects, stats = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert articles["title"].tolist() == ["Un plan pour l'eau", "Sécheresse : un plan pour l'eau"]
    assert articles["url"].tolist() == ["https://www.example.ma/eau/plan", "https://www.example.ma/eau/secheresse"]
    assert articles["raw_index"].tolist() == [0, 3]  # the captures' places
    assert set(articles["raw_format"]) == {"warc"} and set(articles["language"]) == {"fr"}
    assert articles["fetched"].tolist() == [
        pd.Timestamp("2026-12-02T10:00:00Z"),
        pd.Timestamp("2026-12-02T10:03:00Z"),
    ]
    assert articles["published"].iloc[0] == pd.Timestamp("2026-12-01T16:20:00Z")
    assert "régions touchées" in articles["text"].iloc[1]  # read as Windows-1252, as the server said
    assert [(r["raw_index"], r["reason"]) for r in rejects if r["raw_path"].endswith(name)] == [
        (1, "not_a_page"),
        (2, "not_a_page"),
        (4, "not_a_page"),
    ]
    details = [r["detail"] for r in rejects if r["reason"] == "not_a_page"]
    assert details[0] == "https://www.example.ma/logo.png: HTTP 200, image/png"
    assert details[1].endswith("HTTP 301, text/html")
    assert [r["reason"] for r in rejects if r["raw_path"].endswith("broken.warc")] == ["invalid_warc"]
    assert stats["records"]["read"] == 2 + 3 + 1
