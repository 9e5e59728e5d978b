"""Large raw files loaded in pieces: a web archive, a JSON Lines and a CSV file, read whole against in pieces.

Run with ``.venv/bin/python benchmarks/pieces.py [--warc-mb 200] [--jsonl-mb 60] [--csv-mb 60]
[--jsonl-gz-mb 60] [--repeat 2] [--only csv]``.

Ingest cuts a JSON Lines or CSV file (compressed or not) or web archive over 32 MB into pieces of about 8 MB
(``analysis.io.ingest.PIECE_BYTES``), loaded by the workers and cached piece by piece. This
benchmark writes four such files under ``data/interim/bench/pieces/`` (the archive's pages are
the saved pages of ``../shared/corpus/readability_news_pages``, each captured several times under
other addresses; the JSON Lines file repeats the records of the 10,000-article bench corpus, or
synthetic ones when that is absent; the CSV file holds the same records, their texts quoted over
several lines; the ``.jsonl.gz`` file is the JSON Lines file compressed, expanded into the output
folder to be cut), then ingests each:

- ``whole``: read whole by this process and not cached, as before pieces;
- ``pieces_1``: in pieces, by this process;
- ``pieces_2``: in pieces, by 2 workers (the pool started before the clock);
- ``cached_2``: again, every piece replayed from the cache of the run before.

Each is the fastest of ``--repeat`` runs; the report gives the seconds and their ratio to
``whole`` measured in the same run, and checks that every way gives the same three files.
Results go to ``reports/bench/pieces.json`` (with ``--only``, ``pieces-<names>.json``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib
import io
import json
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.scale import REPORTS, load_average, machine  # noqa: E402

SHARED_PAGES = ROOT.parent / "shared" / "corpus" / "readability_news_pages"
BENCH_JSONL = ROOT / "data" / "interim" / "bench" / "corpora" / "n10000" / "jsonl"
WORK = ROOT / "data" / "interim" / "bench" / "pieces"


def _pages() -> list[bytes]:
    """Saved news pages: the shared corpus's, else synthetic ones."""
    found = sorted(SHARED_PAGES.rglob("*.html")) if SHARED_PAGES.is_dir() else []
    if found:
        return [path.read_bytes() for path in found]
    words = "le gouvernement a présenté mardi un plan national pour l'eau dans les régions du sud".split()
    return [
        (
            f"<html lang='fr'><head><title>Page {i}</title></head><body><article><h1>Page {i}</h1>"
            + "".join(f"<p>{' '.join(words[(i + k) % len(words) :] + words)}.</p>" for k in range(12))
            + "</article></body></html>"
        ).encode()
        for i in range(60)
    ]


def write_warc(path: Path, megabytes: int) -> int:
    """A web archive of about ``megabytes``: the pages captured again and again, each under its own address."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = _pages()
    captures = 0
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        while handle.tell() < megabytes << 20:
            for i, page in enumerate(pages):
                target = f"https://news{captures // len(pages)}.example.org/{i}.html"
                kind = [("Content-Type", "text/html; charset=utf-8")]
                headers = StatusAndHeaders("200 OK", kind, protocol="HTTP/1.1")
                record = writer.create_warc_record(target, "response", payload=io.BytesIO(page), http_headers=headers)
                writer.write_record(record)
                captures += 1
    return captures


def write_jsonl(path: Path, megabytes: int) -> int:
    """A JSON Lines file of about ``megabytes``: the bench corpus's records, repeated under other addresses."""
    lines: list[bytes] = []
    for part in sorted(BENCH_JSONL.glob("*.jsonl.gz")) if BENCH_JSONL.is_dir() else []:
        with gzip.open(part, "rb") as handle:
            lines.extend(line.rstrip(b"\n") for line in handle if line.strip())
    if not lines:
        text = "Le gouvernement a présenté mardi un plan national pour l'eau. " * 40
        lines = [json.dumps({"title": f"Article {i}", "text": text, "date": "2026-12-01"}).encode() for i in range(500)]
    records = 0
    with path.open("wb") as handle:
        while handle.tell() < megabytes << 20:
            for line in lines:
                record = json.loads(line)
                record["url"] = f"https://copy{records // len(lines)}.example.org/{records % len(lines)}"
                handle.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")
                records += 1
    return records


def write_csv(path: Path, megabytes: int) -> int:
    """A CSV export of about ``megabytes``: the same records as :func:`write_jsonl`, their texts
    quoted over several lines."""
    import csv

    jsonl = path.with_suffix(".jsonl.tmp")
    write_jsonl(jsonl, megabytes)
    records = 0
    with jsonl.open("rb") as lines, path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "text", "date", "url", "source"])
        for line in lines:
            record = json.loads(line)
            writer.writerow([record.get(k) or "" for k in ("title", "text", "date", "url", "source")])
            records += 1
    jsonl.unlink()
    return records


def write_jsonl_gz(path: Path, megabytes: int) -> int:
    """:func:`write_jsonl`'s file (``megabytes`` expanded), gzip-compressed."""
    plain = path.with_suffix(".tmp")
    records = write_jsonl(plain, megabytes)
    with plain.open("rb") as source, gzip.open(path, "wb", compresslevel=6) as out:
        shutil.copyfileobj(source, out, 1 << 20)
    plain.unlink()
    return records


def _digest(out: Path) -> str:
    from analysis.io import ARTICLES_FILE, REJECTS_FILE, STATS_FILE, read_articles

    stats = json.loads((out / STATS_FILE).read_text(encoding="utf-8"))
    stats.pop("seconds", None)
    digest = hashlib.sha256(read_articles(out / ARTICLES_FILE).to_json(orient="records", date_format="iso").encode())
    digest.update((out / REJECTS_FILE).read_bytes())
    digest.update(json.dumps(stats, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def ingest_once(raw: Path, out: Path, way: str, engine: Any, cache: Path) -> tuple[float, str, dict[str, Any]]:
    """Seconds, a digest of the outputs and the cache's counts of one ingest of ``raw``."""
    from analysis.config import load_options
    from analysis.io import Ingestor

    module = importlib.import_module("analysis.io.ingest")
    limits = module.CACHE_FILE_BYTES, module.WORKER_FILE_BYTES
    if way == "whole":  # no file counts as large: none is cut
        module.CACHE_FILE_BYTES = module.WORKER_FILE_BYTES = 1 << 50
    shutil.rmtree(out, ignore_errors=True)
    if way != "cached_2":
        shutil.rmtree(cache, ignore_errors=True)
    ingestor = Ingestor(load_options(None, use_user_config=False).ingest, now=datetime(2026, 12, 2, tzinfo=UTC))
    try:
        started = time.perf_counter()
        # read whole, as before pieces: streamed by this process, not cached
        ingestor.run([raw], out, engine=engine if way.endswith("_2") else None, cache=None if way == "whole" else cache)
        seconds = time.perf_counter() - started
    finally:
        module.CACHE_FILE_BYTES, module.WORKER_FILE_BYTES = limits
    return seconds, _digest(out), dict(ingestor.cache_counts or {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warc-mb", type=int, default=200)
    parser.add_argument("--jsonl-mb", type=int, default=60)
    parser.add_argument("--csv-mb", type=int, default=60)
    parser.add_argument("--jsonl-gz-mb", type=int, default=60, help="expanded")
    parser.add_argument(
        "--only", choices=("warc", "jsonl", "csv", "jsonl.gz"), action="append", help="these files alone"
    )
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.out is None:
        args.out = REPORTS / ("pieces.json" if not args.only else f"pieces-{'-'.join(sorted(set(args.only)))}.json")

    from analysis.engine import PoolEngine

    WORK.mkdir(parents=True, exist_ok=True)
    inputs = {}
    files = (
        ("warc", write_warc, args.warc_mb),
        ("jsonl", write_jsonl, args.jsonl_mb),
        ("csv", write_csv, args.csv_mb),
        ("jsonl.gz", write_jsonl_gz, args.jsonl_gz_mb),
    )
    for name, write, size in files:
        if args.only and name not in args.only:
            continue
        folder = WORK / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        records = write(folder / f"big.{name}", size)
        inputs[name] = (folder, records, (folder / f"big.{name}").stat().st_size)
    report: dict[str, Any] = {"machine": machine(), "load_before": load_average(), "files": {}}
    with PoolEngine(2) as engine:
        list(engine.map(abs, iter(range(8))))  # the workers started before any clock
        for name, (folder, records, size) in inputs.items():
            runs: dict[str, dict[str, Any]] = {}
            for way in ("whole", "pieces_1", "pieces_2", "cached_2"):
                best = None
                for _ in range(args.repeat):
                    seconds, digest, counts = ingest_once(folder, WORK / f"out-{name}", way, engine, WORK / "cache")
                    if best is None or seconds < best[0]:
                        best = (seconds, digest, counts)
                assert best is not None
                runs[way] = {"seconds": round(best[0], 2), "digest": best[1], "cache": best[2]}
            base = runs["whole"]["seconds"]
            for run in runs.values():
                run["ratio_to_whole"] = round(run["seconds"] / base, 3) if base else None
            report["files"][name] = {
                "bytes": size,
                "records": records,
                "runs": runs,
                "identical": len({run["digest"] for run in runs.values()}) == 1,
            }
            same = report["files"][name]["identical"]
            print(f"{name}: {size / 2**20:.0f} MB, {records} records, identical outputs: {same}")
            for way, run in runs.items():
                print(f"  {way:9s} {run['seconds']:8.2f} s  {run['ratio_to_whole']:.3f} of whole  {run['cache']}")
    report["load_after"] = load_average()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    return 0 if all(f["identical"] for f in report["files"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
