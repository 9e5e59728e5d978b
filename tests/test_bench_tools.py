"""The benchmark corpus generator (benchmarks/make_corpus.py) on a tiny corpus, the demo corpus as pool.

Exact counts of each kind of record, the same bytes for the same seed, and the project's ingester
loading the result with the exact re-posts, and nothing else, rejected.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from benchmarks import make_corpus
from benchmarks.make_corpus import CorpusStats, Pool, generate, load_pool, quota

from analysis.config import Options
from analysis.io.ingest import Ingestor

ROOT = Path(__file__).resolve().parents[1]
SIZE = 250
SHARD = 100


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Pool:
    return load_pool("demo", tmp_path_factory.mktemp("pool") / "pool-demo.parquet")


@pytest.fixture(scope="module")
def corpus(pool: Pool, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CorpusStats]:
    out = tmp_path_factory.mktemp("corpus") / "n250"
    return out, generate(SIZE, out, pool=pool, seed=7, shard_size=SHARD)


def _records(folder: Path) -> list[dict[str, str]]:
    """Every record written, JSONL then CSV, with the CSV columns under the JSONL names."""
    rows: list[dict[str, str]] = []
    for path in sorted((folder / "jsonl").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            rows.extend(json.loads(line) for line in handle)
    names = dict(zip(make_corpus.CSV_COLUMNS, make_corpus.JSONL_FIELDS, strict=True))
    for path in sorted((folder / "csv").glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            rows.extend({names[k]: v for k, v in row.items()} for row in csv.DictReader(handle))
    return rows


def test_pool_is_the_demo_corpus_and_says_so(pool: Pool) -> None:
    assert pool.name == "demo"
    assert "demo corpus" in pool.note
    assert set(pool.title_languages) <= set(pool.passages)
    assert all(make_corpus.is_prose(p) for passages in pool.passages.values() for p in passages)


@pytest.mark.parametrize(
    ("end", "per_mille", "expected"),
    [(0, 50, 0), (9, 50, 0), (10, 50, 1), (250, 50, 13), (250, 10, 3), (1_000_000, 10, 10_000)],
)
def test_quota_rounds_half_up(end: int, per_mille: int, expected: int) -> None:
    assert quota(end, per_mille) == expected


def test_exact_counts_of_each_kind(corpus: tuple[Path, CorpusStats]) -> None:
    folder, stats = corpus
    # 5% syndicated and 1% re-posts of 250, rounded half up: 12.5 -> 13, 2.5 -> 3
    assert (stats.originals, stats.syndicated, stats.reposts) == (234, 13, 3)
    assert stats.records == SIZE == stats.jsonl_records + stats.csv_records
    records = _records(folder)
    assert len(records) == SIZE
    assert stats.csv_records > 0 and stats.csv_files >= 1 and stats.jsonl_files >= 2
    assert [p.name for p in sorted((folder / "jsonl").iterdir())][:2] == ["part-00000.jsonl.gz", "part-00001.jsonl.gz"]
    # re-posts repeat a URL; nothing else does
    urls = [r["url"] for r in records]
    assert len(urls) - len(set(urls)) == stats.reposts
    # a syndicated copy keeps its original's title under another outlet, with a new URL and id
    by_id = {r["id"]: r for r in records}
    assert len(by_id) == SIZE - stats.reposts
    manifest = make_corpus.read_manifest(folder)
    assert manifest is not None and manifest["counts"]["syndicated"] == 13 and manifest["pool"]["name"] == "demo"
    assert 0 < stats.with_furniture < SIZE / 2
    assert all(r["title"] and r["text"] and r["source"] and r["published"] for r in records)


def test_syndicated_copies_change_one_sentence(pool: Pool) -> None:
    generator = make_corpus.CorpusGenerator(pool, seed=3)
    original = generator.original(0)
    copy = generator.syndicated(1)
    assert copy.title == original.title and copy.outlet != original.outlet and copy.url != original.url
    before = original.body.split("\n\n")
    after = copy.body.split("\n\n")
    assert len(before) == len(after)
    changed = [
        (a, b)
        for p, q in zip(before, after, strict=True)
        for a, b in zip(make_corpus._SENTENCE_END.split(p), make_corpus._SENTENCE_END.split(q), strict=True)
        if a != b
    ]
    assert len(changed) == 1


def test_same_seed_same_bytes(pool: Pool, corpus: tuple[Path, CorpusStats], tmp_path: Path) -> None:
    folder, _ = corpus
    again = tmp_path / "again"
    generate(SIZE, again, pool=pool, seed=7, shard_size=SHARD)
    files = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for name in files:
        assert (folder / name).read_bytes() == (again / name).read_bytes(), name
    other = tmp_path / "other"
    generate(SIZE, other, pool=pool, seed=8, shard_size=SHARD)
    assert (other / "jsonl" / "part-00000.jsonl.gz").read_bytes() != (
        folder / "jsonl" / "part-00000.jsonl.gz"
    ).read_bytes()


def test_refuses_to_overwrite(pool: Pool, corpus: tuple[Path, CorpusStats], tmp_path: Path) -> None:
    folder, _ = corpus
    with pytest.raises(FileExistsError):
        generate(10, folder, pool=pool)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("not a corpus", encoding="utf-8")
    with pytest.raises(FileExistsError):
        generate(10, mine, pool=pool, force=True)
    assert (mine / "notes.txt").is_file()


def test_ingester_rejects_the_reposts_and_nothing_else(
    corpus: tuple[Path, CorpusStats], options: Options, tmp_path: Path
) -> None:
    folder, stats = corpus
    result = Ingestor(options.ingest, project_root=ROOT).run([folder], tmp_path / "ingest")
    assert result.records_read == SIZE
    assert dict(result.rejected_by_reason) == {"duplicate": stats.reposts}
    assert result.records_kept == stats.originals + stats.syndicated
    assert result.files_read == stats.jsonl_files + stats.csv_files
    assert result.files_ignored == 1  # .corpus.json
    assert result.by_format["csv"]["kept"] + result.by_format["csv"].get("rejected", 0) == stats.csv_records
    assert result.by_format["jsonl"]["kept"] + result.by_format["jsonl"].get("rejected", 0) == stats.jsonl_records
    assert not result.warnings
    assert sum(result.by_source.values()) == result.records_kept


def test_command_line_prints_counts(pool: Pool, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "pool.parquet"
    make_corpus._write_parquet(make_corpus.ingest_pool("demo"), cache)
    make_corpus.main(["--size", "120", "--out", str(tmp_path / "c"), "--pool", "demo", "--pool-cache", str(cache)])
    printed = capsys.readouterr().out
    assert "demo corpus" in printed
    assert "113 originals, 6 syndicated copies, 1 exact re-posts" in printed
    assert "MB of title and text" in printed and "mean text" in printed
    with gzip.open(tmp_path / "c" / "jsonl" / "part-00000.jsonl.gz", "rb") as handle:
        first = json.loads(io.TextIOWrapper(handle, encoding="utf-8").readline())
    assert set(first) == set(make_corpus.JSONL_FIELDS)
