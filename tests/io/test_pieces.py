"""Large files loaded in pieces (JSON Lines, web archives): the same outputs as the file read whole,
on one process or on workers, and each piece cached on its own."""

from __future__ import annotations

import csv
import gzip
import importlib
import io
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from analysis.config import IngestOptions
from analysis.engine import PoolEngine
from analysis.io import ARTICLES_FILE, REJECTS_FILE, STATS_FILE, Ingestor, read_articles
from analysis.io.loaders import split_csv, split_lines, split_warc
from analysis.io.registry import RawFile
from tests.io.helpers import write

PIECE = 2048  # bytes: the test files are a few pieces each


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files over 4 KiB count as large (cut in pieces of 2 KiB)."""
    module = __import__("analysis.io.ingest", fromlist=["PIECE_BYTES"])
    monkeypatch.setattr(module, "CACHE_FILE_BYTES", 4096)
    monkeypatch.setattr(module, "WORKER_FILE_BYTES", 4096)
    monkeypatch.setattr(module, "PIECE_BYTES", PIECE)


def _outputs(
    raw: Path, out: Path, options: IngestOptions, *, workers: int = 1, cache: Path | None = None
) -> tuple[bytes, bytes, dict[str, Any], dict[str, int]]:
    """The article table (as records), the rejects file, the stats and the cache's counts of one ingest."""
    ingestor = Ingestor(options)
    if workers > 1:
        with PoolEngine(workers) as engine:
            ingestor.run([raw], out, engine=engine, cache=cache)
    else:
        ingestor.run([raw], out, cache=cache)
    table = read_articles(out / ARTICLES_FILE)
    stats = json.loads((out / STATS_FILE).read_text(encoding="utf-8"))
    stats.pop("seconds", None)
    return (
        table.to_json(orient="records", date_format="iso").encode(),
        (out / REJECTS_FILE).read_bytes(),
        stats,
        dict(getattr(ingestor, "cache_counts", {}) or {}),
    )


def _whole(monkeypatch: pytest.MonkeyPatch) -> None:
    module = __import__("analysis.io.ingest", fromlist=["PIECE_BYTES"])
    monkeypatch.setattr(module, "CACHE_FILE_BYTES", 1 << 40)
    monkeypatch.setattr(module, "WORKER_FILE_BYTES", 1 << 40)


def _jsonl(count: int, *, start: int = 0) -> list[str]:
    lines = []
    for i in range(start, start + count):
        lines.append(
            json.dumps(
                {
                    "url": f"https://www.example.ma/article-{i}",
                    "title": f"Article numéro {i} sur l'eau au Maroc",
                    "text": f"Le texte de l'article {i}, qui parle des barrages du Souss et de la sécheresse. " * 3,
                    "date": "2026-12-01T10:00:00+01:00",
                },
                ensure_ascii=False,
            )
        )
    return lines


def _corpus_lines() -> list[str]:
    lines = _jsonl(60)
    lines.insert(7, "")  # blank lines are no records
    lines.insert(20, '{"title": "cut short')  # invalid JSON
    lines.insert(33, "[1, 2]")  # not an object
    lines.insert(41, "   ")
    lines.insert(50, lines[3])  # the same article again
    lines.insert(55, json.dumps({"title": "", "text": ""}))  # no text
    return lines


def test_a_large_json_lines_file_gives_what_it_gives_read_whole(
    tmp_path: Path, ingest_options: IngestOptions, small_pieces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = write(tmp_path / "raw" / "export.jsonl", "\n".join(_corpus_lines()) + "\n")
    pieces = split_lines(RawFile(raw, "x", "x", max_bytes=1 << 30, max_replacement_ratio=0.1), PIECE)
    assert pieces is not None and len(pieces) > 4
    serial = _outputs(tmp_path / "raw", tmp_path / "serial", ingest_options)
    workers = _outputs(tmp_path / "raw", tmp_path / "workers", ingest_options, workers=2, cache=tmp_path / "cache")
    assert workers[3] == {"hits": 0, "added": len(pieces)}  # a cache entry per piece
    _whole(monkeypatch)
    whole = _outputs(tmp_path / "raw", tmp_path / "whole", ingest_options)
    assert serial[:3] == whole[:3] and workers[:3] == whole[:3]
    rejects = [json.loads(line) for line in whole[1].decode().splitlines()]
    assert [(r["reason"], r["raw_index"]) for r in rejects] == [
        ("invalid_json", 19),
        ("not_an_object", 32),
        ("duplicate", 48),
        ("no_text", 53),
    ]
    assert whole[2]["records"]["kept"] == 60


def test_lines_added_to_a_large_file_load_only_its_last_pieces(
    tmp_path: Path, ingest_options: IngestOptions, small_pieces: None
) -> None:
    lines = _corpus_lines()
    raw = write(tmp_path / "raw" / "export.jsonl", "\n".join(lines) + "\n")
    first = _outputs(tmp_path / "raw", tmp_path / "one", ingest_options, cache=tmp_path / "cache")
    write(raw, "\n".join(lines + _jsonl(5, start=60)) + "\n")
    again = _outputs(tmp_path / "raw", tmp_path / "two", ingest_options, cache=tmp_path / "cache")
    pieces = split_lines(RawFile(raw, "x", "x", max_bytes=1 << 30, max_replacement_ratio=0.1), PIECE)
    assert pieces is not None
    assert again[3]["hits"] == first[3]["added"] - 1 and again[3]["added"] == len(pieces) - again[3]["hits"]
    assert again[2]["records"]["kept"] == first[2]["records"]["kept"] + 5


def test_pieces_of_lines_start_at_lines_and_cover_the_file(tmp_path: Path) -> None:
    raw = write(tmp_path / "a.jsonl", "\n".join(_corpus_lines()) + "\n")
    data = raw.read_bytes()
    pieces = split_lines(RawFile(raw, "x", "x", max_bytes=1 << 30, max_replacement_ratio=0.1), 1000)
    assert pieces is not None and pieces[0][0] == 0 and pieces[-1][1] == len(data)
    assert all(a < b and b == c for (a, b), (c, _) in itertools.pairwise(pieces))
    assert all(data[a - 1 : a] == b"\n" for a, _ in pieces[1:])
    gz = write(tmp_path / "a.jsonl.gz", data, gz=True)  # a compressed file cannot be cut
    assert split_lines(RawFile(gz, "x", "x", max_bytes=1 << 30, max_replacement_ratio=0.1), 1000) is None


def _page(i: int) -> bytes:
    body = f"Les barrages du Souss ne sont remplis qu'à {i} %, selon le ministère de l'Équipement. " * 6
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Le plan numéro {i}</title></head>'
        f"<body><nav><a href='/'>Accueil</a></nav><article><h1>Le plan numéro {i}</h1><p>{body}</p>"
        f"<p>{body}</p></article><footer>Mentions légales</footer></body></html>"
    ).encode()


def _warc(path: Path, count: int, *, gz: bool) -> Path:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
    for i in range(count):
        target = f"https://www.example.ma/eau/plan-{i}"
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.ma")], is_http_request=True)
        writer.write_record(writer.create_warc_record(target, "request", http_headers=request))
        status = "404 Not Found" if i % 7 == 3 else "200 OK"
        headers = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                target,
                "response",
                payload=io.BytesIO(_page(i)),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-12-02T10:00:00Z"},
            )
        )
    return write(path, buffer.getvalue())


@pytest.mark.parametrize("gz", [False, True])
def test_a_large_web_archive_gives_what_it_gives_read_whole(
    tmp_path: Path, ingest_options: IngestOptions, small_pieces: None, monkeypatch: pytest.MonkeyPatch, gz: bool
) -> None:
    raw = _warc(tmp_path / "raw" / ("crawl.warc.gz" if gz else "crawl.warc"), 40, gz=gz)
    if gz:  # cut by gzip member sizes, smaller than the pages
        module = __import__("analysis.io.ingest", fromlist=["PIECE_BYTES"])
        monkeypatch.setattr(module, "PIECE_BYTES", 1024)
    pieces = split_warc(RawFile(raw, "x", "x", max_bytes=1 << 30, max_replacement_ratio=0.1), 1024 if gz else PIECE)
    assert pieces is not None and len(pieces) > 4
    serial = _outputs(tmp_path / "raw", tmp_path / "serial", ingest_options)
    workers = _outputs(tmp_path / "raw", tmp_path / "workers", ingest_options, workers=2)
    _whole(monkeypatch)
    whole = _outputs(tmp_path / "raw", tmp_path / "whole", ingest_options)
    assert serial[:3] == whole[:3] and workers[:3] == whole[:3]
    assert whole[2]["records"]["kept"] == 34
    rejects = [json.loads(line) for line in whole[1].decode().splitlines()]
    assert [r["raw_index"] for r in rejects] == [3, 10, 17, 24, 31, 38]  # the captures' places


def test_a_web_archive_corrupt_in_its_middle_stops_there_read_in_pieces_too(
    tmp_path: Path, ingest_options: IngestOptions, small_pieces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _warc(tmp_path / "raw" / "crawl.warc.gz", 160, gz=True)
    data = bytearray(raw.read_bytes())
    middle = len(data) * 3 // 4  # past the first 64 KiB, which are read to tell the format
    data[middle : middle + 40] = b"\0" * 40
    raw.write_bytes(bytes(data))
    module = __import__("analysis.io.ingest", fromlist=["PIECE_BYTES"])
    monkeypatch.setattr(module, "PIECE_BYTES", 1024)
    serial = _outputs(tmp_path / "raw", tmp_path / "serial", ingest_options)
    workers = _outputs(tmp_path / "raw", tmp_path / "workers", ingest_options, workers=2)
    assert serial[:3] == workers[:3]
    _whole(monkeypatch)
    whole = _outputs(tmp_path / "raw", tmp_path / "whole", ingest_options)
    for ended in (serial, whole):  # the pages after the damage are lost, and the file says why
        assert 80 < ended[2]["records"]["read"] < 160
        assert json.loads(ended[1].decode().splitlines()[-1])["reason"] == "corrupt_gzip"
    # Read whole, the pages just before the damage are lost too (the readers read ahead, into the
    # damaged member, before the archive reader has them: 5 pages here); a piece ends at a record.
    assert serial[2]["records"]["read"] >= whole[2]["records"]["read"]


def test_a_file_that_is_no_web_archive_is_not_cut(tmp_path: Path) -> None:
    raw = write(tmp_path / "a.warc", "WARC/1.0\r\nthis is no archive\r\n\r\n" + "x" * 5000)
    assert split_warc(RawFile(raw, "x", "x", max_bytes=1 << 30, max_replacement_ratio=0.1), 1024) is None


def test_a_gzip_file_of_many_members_is_judged_by_its_expanded_size(
    tmp_path: Path, ingest_options: IngestOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A web archive's gzip trailer gives its last record's size alone: the file is expanded to
    judge it, so one larger than CACHE_FILE_BYTES once read is cut, not held whole."""
    module = importlib.import_module("analysis.io.ingest")
    raw = _warc(tmp_path / "raw" / "crawl.warc.gz", 40, gz=True)
    data = raw.read_bytes()
    expanded = len(gzip.decompress(data))
    trailer = int.from_bytes(data[-4:], "little")
    assert trailer < len(data) < expanded
    assert module._file_size(raw) == expanded  # under the probe: read through
    one = write(tmp_path / "one.jsonl.gz", "\n".join(_corpus_lines()) + "\n", gz=True)
    assert module._file_size(one) == len(gzip.decompress(one.read_bytes()))
    # Over the probe: estimated from the first bytes' ratio (the records are alike).
    monkeypatch.setattr(module, "_GZIP_PROBE", len(data) // 4)
    module._gzip_size.cache_clear()
    assert 0.8 * expanded < module._file_size(raw) < 1.25 * expanded
    module._gzip_size.cache_clear()
    # Smaller than the limit as stored, larger once read: cut, a cache entry per piece.
    monkeypatch.setattr(module, "CACHE_FILE_BYTES", len(data) + 1)
    monkeypatch.setattr(module, "WORKER_FILE_BYTES", len(data) + 1)
    monkeypatch.setattr(module, "PIECE_BYTES", 1024)
    pieces = split_warc(RawFile(raw, "x", "x", max_bytes=1 << 30, max_replacement_ratio=0.1), 1024)
    assert pieces is not None and len(pieces) > 4
    cut = _outputs(tmp_path / "raw", tmp_path / "cut", ingest_options, workers=2, cache=tmp_path / "cache")
    assert cut[3] == {"hits": 0, "added": len(pieces)}
    assert cut[2]["records"]["kept"] == 34


def _csv_text(count: int, *, delimiter: str = ",", excel: bool = False) -> str:
    """A CSV export: quoted texts over several lines with quotes in them, blank lines, the header
    again, a row of too many fields, and a copy."""
    out = io.StringIO()
    if excel:
        out.write(f"sep={delimiter}\r\n")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    header = ["title", "text", "date", "url"]
    writer.writerow(header)
    for i in range(count):
        if i == 11:
            out.write("\r\n")
        if i == 17:
            writer.writerow(header)
        if i == 23:
            writer.writerow(["Trop", "de", "champs", "ici", "encore"])
        text = f'Le "plan" numéro {i} pour l\'eau,\nsur deux lignes ; et une troisième.\n' * (1 + i % 3)
        writer.writerow(
            [f"Le plan numéro {i}", text, "2026-12-01 10:00", f"https://www.example.ma/plan-{i if i != 31 else 2}"]
        )
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "delimiter", "excel"), [("export.csv", ",", False), ("export.csv", ";", True), ("export.tsv", "\t", False)]
)
def test_a_large_csv_file_gives_what_it_gives_read_whole(
    tmp_path: Path,
    ingest_options: IngestOptions,
    small_pieces: None,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    delimiter: str,
    excel: bool,
) -> None:
    raw = write(tmp_path / "raw" / name, _csv_text(60, delimiter=delimiter, excel=excel))
    data = raw.read_bytes()
    pieces = split_csv(RawFile(raw, "x", "x", max_bytes=1 << 30, max_replacement_ratio=0.1), PIECE)
    assert pieces is not None and len(pieces) > 4
    assert pieces[0][0] == 0 and pieces[-1][1] == len(data)
    assert all(a < b and b == c for (a, b), (c, _) in itertools.pairwise(pieces))
    # every piece starts at a row: after a line break, and not inside a quoted text
    assert all(data[a - 2 : a] == b"\r\n" and data[a : a + 9] != b"sur deux " for a, _ in pieces[1:])
    serial = _outputs(tmp_path / "raw", tmp_path / "serial", ingest_options)
    workers = _outputs(tmp_path / "raw", tmp_path / "workers", ingest_options, workers=2, cache=tmp_path / "cache")
    assert workers[3] == {"hits": 0, "added": len(pieces)}
    _whole(monkeypatch)
    whole = _outputs(tmp_path / "raw", tmp_path / "whole", ingest_options)
    assert serial[:3] == whole[:3] and workers[:3] == whole[:3]
    rejects = [(r["reason"], r["raw_index"]) for r in map(json.loads, whole[1].decode().splitlines())]
    assert ("repeated_header", 17) in rejects and ("malformed_csv", 24) in rejects and ("duplicate", 33) in rejects
    assert whole[2]["records"]["kept"] == 59
    assert "sur deux lignes" in json.loads(whole[0])[5]["text"]


def test_a_large_csv_file_under_a_preamble_gives_what_it_gives_read_whole(
    tmp_path: Path, ingest_options: IngestOptions, small_pieces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report's title and client over the header: the first piece's rows start after them, and
    they are the same rejects whether the file is read whole or in pieces."""
    write(tmp_path / "raw" / "a.csv", "Rapport de veille - Mars 2024\r\nClient : un ministère\r\n\r\n" + _csv_text(60))
    serial = _outputs(tmp_path / "raw", tmp_path / "serial", ingest_options)
    workers = _outputs(tmp_path / "raw", tmp_path / "workers", ingest_options, workers=2, cache=tmp_path / "cache")
    assert workers[3]["added"] > 4  # (read in pieces)
    _whole(monkeypatch)
    whole = _outputs(tmp_path / "raw", tmp_path / "whole", ingest_options)
    assert serial[:3] == whole[:3] and workers[:3] == whole[:3]
    rejects = [(r["reason"], r["raw_index"]) for r in map(json.loads, whole[1].decode().splitlines())]
    assert rejects[:2] == [("preamble", 0), ("preamble", 1)] and ("repeated_header", 19) in rejects
    assert whole[2]["records"]["kept"] == 59


def test_a_csv_file_with_a_stray_quote_gives_what_it_gives_read_whole(
    tmp_path: Path, ingest_options: IngestOptions, small_pieces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quote opened where none was meant moves where rows end, up to the next quote: the pieces
    are cut where the CSV reader finds rows, so they read the same rows."""
    text = _csv_text(60)
    at = text.index("Le plan numéro 30")
    write(tmp_path / "raw" / "a.csv", text[:at] + '"' + text[at:])
    serial = _outputs(tmp_path / "raw", tmp_path / "serial", ingest_options)
    _whole(monkeypatch)
    whole = _outputs(tmp_path / "raw", tmp_path / "whole", ingest_options)
    assert serial[:3] == whole[:3]
    assert whole[2]["records"]["read"] != 62  # the quote moved where rows end (62 without it)


@pytest.mark.parametrize("name", ["export.jsonl.gz", "export.csv.gz"])
def test_a_large_compressed_file_is_cut_as_its_expanded_copy(
    tmp_path: Path, ingest_options: IngestOptions, small_pieces: None, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A compressed file cannot be read from its middle: with workers or a cache, it is expanded
    into the output folder, cut and loaded in pieces as the file expanded would be, each piece
    cached; the copy is gone after the run."""
    text = "\n".join(_corpus_lines()) + "\n" if name.startswith("export.jsonl") else _csv_text(60)
    write(tmp_path / "raw" / name, text, gz=True)
    plain = write(tmp_path / "plain" / name.removesuffix(".gz"), text)
    pieces = (split_lines if "jsonl" in name else split_csv)(
        RawFile(plain, "x", "x", max_bytes=1 << 30, max_replacement_ratio=0.1), PIECE
    )
    assert pieces is not None and len(pieces) > 4
    serial = _outputs(tmp_path / "raw", tmp_path / "serial", ingest_options, cache=tmp_path / "cache1")
    workers = _outputs(tmp_path / "raw", tmp_path / "workers", ingest_options, workers=2, cache=tmp_path / "cache2")
    again = _outputs(tmp_path / "raw", tmp_path / "workers", ingest_options, workers=2, cache=tmp_path / "cache2")
    assert serial[3] == workers[3] == {"hits": 0, "added": len(pieces)}  # a cache entry per piece
    assert again[3] == {"hits": len(pieces), "added": 0}
    assert not [p for p in (tmp_path / "workers").rglob("*") if p.name != "articles.parquet" and p.is_dir()]
    _whole(monkeypatch)
    whole = _outputs(tmp_path / "raw", tmp_path / "whole", ingest_options)
    assert serial[:3] == whole[:3] and workers[:3] == whole[:3] and again[:3] == whole[:3]


def test_a_compressed_file_corrupt_in_its_middle_is_read_whole(
    tmp_path: Path, ingest_options: IngestOptions, small_pieces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = write(tmp_path / "raw" / "export.jsonl.gz", "\n".join(_corpus_lines() * 3) + "\n", gz=True)
    data = bytearray(raw.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 40] = b"\0" * 40
    raw.write_bytes(bytes(data))
    workers = _outputs(tmp_path / "raw", tmp_path / "workers", ingest_options, workers=2, cache=tmp_path / "cache")
    assert workers[3] == {"hits": 0, "added": 0}  # not cut, not cached
    _whole(monkeypatch)
    whole = _outputs(tmp_path / "raw", tmp_path / "whole", ingest_options)
    assert workers[:3] == whole[:3]
    assert json.loads(whole[1].decode().splitlines()[-1])["reason"] == "corrupt_gzip"
