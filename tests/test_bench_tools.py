"""The benchmark corpus generator (benchmarks/make_corpus.py) on a tiny corpus, the demo corpus as pool.

Exact counts of each kind of record, the same bytes for the same seed, and the project's ingester
loading the result with the exact re-posts, and nothing else, rejected.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import re
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


# --- benchmarks/scale.py: the pure helpers of the workers, Dask and incremental comparisons ----------------


def _fake_run(seconds: float, stages: dict[str, float], reused: tuple[str, ...] = (), workers: int = 2) -> dict:
    from benchmarks.scale import STAGES

    return {
        "seconds": seconds,
        "cpu_seconds": round(seconds * 1.5, 2),
        "cpu_seconds_tree_sampled": round(seconds * 1.6, 2),
        "peak_rss_mb": 500.0,
        "peak_rss_mb_tree_sampled": 900.0,
        "load_before": [1.0, 1.0, 1.0],
        "load_after": [1.5, 1.0, 1.0],
        "engine": "local",
        "workers": workers,
        "reused": list(reused),
        "ran": [s for s in STAGES if s not in reused],
        "stage_seconds": {**stages, "hash_inputs": 0.1, "total": round(sum(stages.values()) + 0.1, 2)},
        "command": "python -m analysis build --raw X --out $WORK/out",
    }


FULL = {"ingest": 4.0, "clean": 30.0, "countries": 3.0, "keywords": 20.0, "topics": 40.0}


def test_corpora_of_other_seeds_and_pools_do_not_share_a_folder() -> None:
    from benchmarks.scale import DEFAULT_SEED, corpus_name

    assert corpus_name(10000, DEFAULT_SEED, "shared") == "n10000"
    assert corpus_name(10000, DEFAULT_SEED, "demo") == "n10000-demo"
    assert corpus_name(10000, 7, "shared") == "n10000-seed7"
    assert corpus_name(100, 2, "demo", "n10000-extra100-seed2") == "n10000-extra100-seed2-demo"


def test_ratio_and_time_ratios() -> None:
    from benchmarks.scale import ratio, time_ratios

    assert ratio(3, 2) == 1.5 and ratio(1, 3, 3) == 0.333
    assert ratio(1, 0) is None and ratio(None, 2) is None and ratio(0.0, 2) == 0.0
    slow = _fake_run(100.0, FULL, workers=1)
    fast = _fake_run(50.0, {k: v / 2 for k, v in FULL.items()} | {"countries": 0.0})
    speedup = time_ratios(slow, fast)
    assert speedup["wall"] == 2.0 and speedup["build"] == round(97.1 / 47.1, 2)
    assert speedup["stages"]["clean"] == 2.0 and speedup["stages"]["countries"] is None  # 0 s: no ratio
    assert speedup["cpu"] == 2.0  # 160 / 80 CPU seconds sampled
    assert time_ratios(slow | {"cpu_seconds_tree_sampled": None}, fast)["cpu"] is None
    assert time_ratios(fast, slow)["stages"]["countries"] == 0.0


def test_output_files_leave_out_the_manifest_and_hidden_files(tmp_path: Path) -> None:
    from benchmarks.scale import differing_files, identity, output_files, snapshot

    first, second = tmp_path / "a", tmp_path / "b"
    for folder, manifest, state in ((first, "1", "x"), (second, "2", "y")):
        (folder / ".interim").mkdir(parents=True)
        (folder / ".interim" / "build_state.json").write_text(state)
        (folder / "manifest.json").write_text(manifest)
        (folder / ".gitkeep").write_text(state)
        (folder / "articles.parquet").write_bytes(b"same")
        (folder / "sub").mkdir()
        (folder / "sub" / "part.bin").write_bytes(b"same too")
    assert list(output_files(first)) == ["articles.parquet", "sub/part.bin"]
    assert differing_files(first, second) == []
    assert identity(first, second) == {"identical": True, "differing": [], "files": 2}

    (second / "sub" / "part.bin").write_bytes(b"same to0")  # same size, other bytes
    (first / "topics.parquet").write_bytes(b"t")
    (second / "terms.parquet").write_bytes(b"t")
    assert differing_files(first, second) == [
        "sub/part.bin",
        "terms.parquet (only in the second)",
        "topics.parquet (only in the first)",
    ]
    assert identity(first, second)["identical"] is False

    copy = snapshot(first)
    assert copy == tmp_path / "a-before" and differing_files(first, copy) == []
    assert not (copy / "manifest.json").exists() and not (copy / ".interim").exists()


def test_commands_put_config_before_build(tmp_path: Path) -> None:
    from benchmarks.scale import PY, ROOT, build_command, shown_command

    command = build_command([ROOT / "c1", tmp_path / "c2"], tmp_path / "out", ["--fresh"], tmp_path / "o.toml")
    assert command == [
        PY,
        "-m",
        "analysis",
        "--config",
        str(tmp_path / "o.toml"),
        "build",
        "--raw",
        str(ROOT / "c1"),
        "--raw",
        str(tmp_path / "c2"),
        "--out",
        str(tmp_path / "out"),
        "--fresh",
    ]
    assert build_command([ROOT], tmp_path)[3] == "build"
    shown = shown_command(command, tmp_path)
    assert shown == "python -m analysis --config $WORK/o.toml build --raw c1 --raw $WORK/c2 --out $WORK/out --fresh"


def test_increment_and_overlay() -> None:
    import tomllib

    from benchmarks.scale import increment_records, topics_overlay

    assert increment_records(2000, 1.0) == 20 and increment_records(1000, 1.0) == 10
    assert increment_records(10, 1.0) == 1 and increment_records(250, 1.0) == 2
    assert tomllib.loads(topics_overlay(12)) == {"topics": {"top_terms": 12}}


def test_disk_shortfall_names_the_folder_and_the_space(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from benchmarks import scale

    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(scale.shutil, "disk_usage", lambda _: usage._replace(free=15 * 10**9))
    assert scale.disk_shortfall(tmp_path, 1_000_000, "addition") is None  # 8 GB needed
    assert scale.disk_shortfall(tmp_path, 1_000_000, "build") == (
        f"about 20.0 GB of disk needed in {tmp_path}, 15.0 GB free"
    )
    assert scale.disk_shortfall(tmp_path, 1000, "build") is None
    monkeypatch.setattr(scale.shutil, "disk_usage", lambda _: usage._replace(free=5 * 10**6))
    assert scale.disk_shortfall(tmp_path, 1000, "build") == f"about 20 MB of disk needed in {tmp_path}, 5 MB free"


def test_a_size_the_disk_cannot_hold_is_skipped_before_its_corpus_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from benchmarks import scale

    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(scale.shutil, "disk_usage", lambda _: usage._replace(free=10**6))
    monkeypatch.setattr(scale.tempfile, "TemporaryDirectory", lambda **_: contextlib.nullcontext(str(tmp_path)))

    def no_corpus(*args: object, **kwargs: object) -> None:
        raise AssertionError("no corpus is made for a size that is skipped")

    monkeypatch.setattr(scale, "corpus_for", no_corpus)
    out = tmp_path / "out"
    scale.main(["--sizes", "1000", "--no-compare", "--naive-sample", "0", "--work", str(tmp_path), "--out", str(out)])
    results = json.loads((out / "scale.json").read_text(encoding="utf-8"))
    assert results["sizes"] == {} and "addition_at_largest" not in results
    assert results["skipped"] == f"1,000 records (about 20 MB of disk needed in {tmp_path}, 1 MB free)"
    assert "Skipped: 1,000 records (about" in (out / "scale.md").read_text(encoding="utf-8")


def test_stage_peaks_place_hash_inputs_before_ingest_and_stages_where_they_began() -> None:
    from benchmarks.scale import stage_peaks

    seconds = {"hash_inputs": 1.0, "ingest": 1.0, "clean": 1.0, "countries": 1.0, "keywords": 1.0, "topics": 1.0}
    seconds["total"] = 6.0
    samples = [(t / 2, 100.0 + t) for t in range(18)]  # 0 to 8.5 s, RSS growing
    peaks = stage_peaks(samples, 9.0, seconds)
    assert peaks["startup"] == 105.0  # before 3 s
    assert peaks["hash_inputs"] == 107.0 and peaks["ingest"] == 109.0 and peaks["topics"] == 117.0
    assert "finish" not in peaks  # nothing sampled after 9 s
    # the country stage beside the keyword and topic stages (the manifest's `started`)
    started = {"ingest": 1.0, "clean": 2.0, "countries": 3.0, "keywords": 3.0, "topics": 4.0}
    seconds |= {"countries": 2.0, "total": 5.0}
    peaks = stage_peaks(samples, 9.0, seconds, started)
    assert peaks["countries"] == 117.0 and peaks["keywords"] == 115.0 and peaks["topics"] == 117.0
    assert peaks["clean"] == 113.0 and "finish" not in peaks  # the last stage ends at 9 s


def test_process_tree_holds_this_process() -> None:
    import os

    from benchmarks.scale import _cpu_seconds, _process_tree

    assert _process_tree(os.getpid())[0] == os.getpid()
    assert (_cpu_seconds(os.getpid()) or 0) > 0 and _cpu_seconds(2**22 + 1) is None  # beyond any pid_max
    assert os.getpid() in _process_tree(os.getppid())


def _fake_compare(identical: bool = True) -> dict:
    from benchmarks.scale import all_identical, time_ratios

    half = {k: v / 2 for k, v in FULL.items()}
    one, two = _fake_run(100.0, FULL, workers=1), _fake_run(60.0, half)
    dask_one, dask_two = _fake_run(110.0, FULL, workers=1), _fake_run(70.0, half)
    same = {"identical": True, "differing": [], "files": 19}
    other = {"identical": False, "differing": ["topics.parquet"], "files": 19}
    unchanged = _fake_run(3.0, dict.fromkeys(FULL, 0.0), reused=tuple(FULL))
    option = _fake_run(30.0, dict.fromkeys(FULL, 0.0) | {"topics": 28.0}, reused=("ingest", "clean", "countries"))
    option["ran"] = ["keywords", "topics"]
    added = _fake_run(61.0, half)
    both = _fake_run(62.0, half)
    compare = {
        "size": 2000,
        "cores_usable": 2,
        "workers": {"n": 2, "runs": {"1": one, "2": two}, "speedup": time_ratios(one, two), "identical": same},
        "dask": {
            "runs": {"1": {"local": one, "dask": dask_one}, "2": {"local": two, "dask": dask_two}},
            "dask_over_local": {"1": time_ratios(dask_one, one), "2": time_ratios(dask_two, two)},
            "identical": {"1": same, "2": same if identical else other},
            "dask_speedup_1_to_2": time_ratios(dask_one, dask_two),
        },
        "incremental": {
            "full": two,
            "unchanged": unchanged | {"vs_full": time_ratios(unchanged, two, 3), "identical": same},
            "option": option
            | {
                "overlay": "[topics]\ntop_terms = 12\n",
                "expected_ran": ["topics"],
                "vs_full": time_ratios(option, two),
            },
            "addition": added
            | {
                "percent": 1.0,
                "extra_records": 20,
                "full_both": both,
                "vs_full_both": time_ratios(added, both, 3),
                "identical": same,
                "cache": {"annotations": {"hits": 2000, "added": 20}},
            },
        },
    }
    compare["identical"], compare["differing"] = all_identical(compare)
    return compare


def test_all_identical_lists_the_differing_checks() -> None:
    compare = _fake_compare()
    assert compare["identical"] is True and compare["differing"] == {}
    compare = _fake_compare(identical=False)
    assert compare["identical"] is False
    assert compare["differing"] == {"local vs dask, 2 worker(s)": ["topics.parquet"]}


def test_compare_markdown_sections() -> None:
    from benchmarks.scale import compare_markdown

    text = "\n".join(compare_markdown(_fake_compare()))
    assert "## Workers" in text and "## Dask" in text and "## Incremental" in text
    assert "With 2 workers: **1.67×** end to end" in text and "goal 1.7× at 2 workers" in text
    assert "| speed-up | 1.67× | 2.00× | 2.00× |" in text
    assert "Same output files with 1 and 2 workers: yes (19 files)" in text
    assert "| dask / local | 1.10× |" in text and "Speed-up of Dask from 1 to 2 workers: 1.57× end to end" in text
    assert "| (i) unchanged | 3.0 | 0.1 | 5.0% | 0.2% | 5.0% | – | ingest, clean, countries, keywords, topics |" in text
    assert "| speed-up | 1.67× | 2.00× | 2.00× | 2.00× | 2.00× | 2.00× | 2.00× | 1.67× | | |" in text
    assert "`[topics] top_terms = 12`" in text
    assert "(ii) stages run again: keywords, topics (expected: topics)" in text
    assert "(iii) **98.4%** of the time of a fresh build of both" in text and "goal ≤ 5%" in text
    assert "100.0% of the build itself, 98.4% of its CPU time" in text
    assert "All outputs identical (1 vs 2 workers, local vs Dask): yes." in text
    assert "articles reused / computed: annotations 2,000 / 20." in text
    for table in re.findall(r"(?:^\|.*\n?)+", text, flags=re.M):  # every row as many cells as the header
        assert len({row.count("|") for row in table.splitlines()}) == 1, table

    text = "\n".join(compare_markdown(_fake_compare(identical=False)))
    assert "2 worker(s): **no**: `topics.parquet`" in text and "Dask): **no**." in text

    skipped = compare_markdown({"skipped": "--no-compare"})
    assert skipped.count("--no-compare.") == 3 and "## Dask" in skipped
    partial = _fake_compare()
    partial["dask"] = {"skipped": "--no-dask"}
    partial["incremental"] = {"skipped": "failed: boom"}
    text = "\n".join(compare_markdown(partial))
    assert "Not measured: --no-dask." in text and "Not measured: failed: boom." in text


def test_compare_markdown_with_repeated_worker_builds() -> None:
    from benchmarks.scale import all_identical, compare_markdown

    compare = _fake_compare()
    compare["workers"] |= {
        "repeat": 2,
        "wall_seconds": {"1": [100.0, 104.5], "2": [63.2, 60.0]},
        "repeats_identical": {"identical": True, "differing": [], "files": 19},
    }
    text = "\n".join(compare_markdown(compare))
    assert "Each build run 2 times, 1 and 2 workers alternately; the rows above are the fastest of each" in text
    assert "(1 worker(s): 100.0, 104.5 s; 2 worker(s): 63.2, 60.0 s)" in text
    assert "Same files on every repeat: yes (19 files)." in text
    compare["workers"]["repeats_identical"] = {"identical": False, "differing": ["tokens.parquet"], "files": 19}
    assert all_identical(compare) == (False, {"repeated builds": ["tokens.parquet"]})


def test_addition_markdown() -> None:
    from benchmarks.scale import addition_markdown, time_ratios

    corpus = _fake_run(100.0, FULL)
    added = _fake_run(20.0, {"ingest": 2.0, "clean": 8.0, "countries": 1.0, "keywords": 4.0, "topics": 4.0})
    addition = added | {
        "size": 100_000,
        "percent": 1.0,
        "extra_records": 1000,
        "extra_seed": 2,
        "cache": {"annotations": {"hits": 99_000, "added": 1000}},
        "corpus_build": corpus,
        "vs_corpus_build": time_ratios(added, corpus, 3),
    }
    text = "\n".join(addition_markdown(addition))
    assert "## Incremental at the largest size" in text
    assert "100,000 records + 1% (1,000 records, seed 2)" in text
    assert "20.0 s against 100.0 s for that build, **20.0%** end to end" in text and "goal ≤ 5%" in text
    assert "clean 8.0" in text and "annotations 99,000 / 1,000" in text
    assert "Not measured: --no-incremental." in "\n".join(addition_markdown({"skipped": "--no-incremental"}))
    given = addition | {"given_models": True, "given_rebuild": _fake_run(30.0, FULL)}
    text = "\n".join(addition_markdown(given))
    assert "models given (`--given-models`; the corpus built again with them first: 30.0 s): 20.0 s against" in text


def test_markdown_renders_a_whole_report_with_comparisons() -> None:
    from benchmarks.scale import STAGES, markdown

    stages = {s: {"seconds": 1.0, "share": 0.2, "articles_per_s": 2000.0, "mb_per_s": 7.0} for s in STAGES}
    build = _fake_run(5.0, dict.fromkeys(STAGES, 1.0))
    results = {
        "machine": {"date": "2026-01-01", "cpu": "CPU", "cores": 2, "ram_gb": 8, "python": "3.11"},
        "load_start": [1.0, 1.0, 1.0],
        "load_end": [2.0, 2.0, 2.0],
        "pool": "the demo corpus",
        "sizes": {
            "n2000": {
                "records": 2000,
                "text_mb": 7.2,
                "build": build | {"articles_per_s": 400.0, "mb_per_s": 1.44},
                "stages": stages | {"other": {"seconds": 0.0, "share": 0.0}},
            }
        },
        "scaling": [],
        "naive": {"skipped": "--naive-sample 0"},
        "compare": _fake_compare(),
        "addition_at_largest": {"skipped": "failed: boom"},
    }
    text = markdown(results)
    assert text.index("## Incremental at the largest size") < text.index("## Workers")
    assert "| 2,000 | 7.2 | 2 | 5.0 | 400 | 1.440 | 500 (900) | 7.5 (8.0) |" in text
    row = "| 1 | 100.0 | 97.1 | 4.0 | 30.0 | 3.0 | 20.0 | 40.0 | 150.0 (160.0) | 500 (900) | 1.0 → 1.5 |"
    assert row in text
    assert (
        text.index("## Per stage") < text.index("## Workers") < text.index("## Dask") < text.index("## Incremental\n")
    )
    del results["compare"]
    del results["sizes"]["n2000"]["build"]["peak_rss_mb_tree_sampled"]
    del results["sizes"]["n2000"]["build"]["cpu_seconds_tree_sampled"]
    assert "## Workers" not in markdown(results)  # an older scale.json still renders
    assert "changed during this run" not in text
    results["source_sha256"] = {"start": "a", "end": "b", "changed": True}
    assert "**The package's source (src/analysis) changed during this run" in markdown(results)


def test_source_digest_follows_the_code(tmp_path: Path) -> None:
    from benchmarks.scale import source_digest

    (tmp_path / "io").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "io" / "b.py").write_text("y = 2\n")
    (tmp_path / "notes.txt").write_text("ignored")
    first = source_digest(tmp_path)
    assert first == source_digest(tmp_path)
    (tmp_path / "notes.txt").write_text("still ignored")
    assert source_digest(tmp_path) == first
    (tmp_path / "io" / "b.py").write_text("y = 3\n")
    assert source_digest(tmp_path) != first
    assert len(source_digest()) == 64  # the package itself


def test_ab_ratios_and_medians() -> None:
    from benchmarks.ab import median_ratios, ratios

    new = {"seconds": 9.0, "stage_seconds": {"ingest": 1.0, "clean": 6.0, "topics": 0.0}}
    base = {"seconds": 10.0, "stage_seconds": {"ingest": 2.0, "clean": 6.0, "topics": 0.0}}
    got = ratios(new, base)
    assert got == {"wall": 0.9, "ingest": 0.5, "clean": 1.0, "countries": None, "keywords": None, "topics": None}
    rounds = [{"ratio": {"wall": w, "clean": None}} for w in (0.9, 1.2, 0.95)]
    assert median_ratios(rounds) == {"wall": 0.95, "clean": None}


def test_ab_builds_the_same_corpus_side_by_side_and_removes_its_worktree(tmp_path: Path) -> None:
    """Two rounds on the shipped raw folder against HEAD: each starts the other version first, the
    outputs of the same code are the same files, and the base's worktree is gone afterwards."""
    import subprocess

    from benchmarks import ab

    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    ab.main(["--base", "HEAD", "--raw", str(ROOT / "data" / "raw"), "--rounds", "2", "--out", str(tmp_path)])
    report = json.loads((tmp_path / "ab.json").read_text(encoding="utf-8"))
    assert [r["first"] for r in report["rounds"]] == ["base", "new"]
    assert report["identical_outputs"] is True
    assert all(r["outputs"]["files"] > 10 for r in report["rounds"])
    assert set(report["median_ratio"]) == {"wall", "ingest", "clean", "countries", "keywords", "topics"}
    assert all(0 < value < 10 for value in report["median_ratio"].values() if value is not None)
    listed = subprocess.run(["git", "worktree", "list"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "/ab-" not in listed
