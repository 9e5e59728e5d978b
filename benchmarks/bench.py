"""Benchmarks: speed and memory of each stage, as ratios against baselines measured in the same run.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench.py``). Each measurement runs in a
fresh process so that its peak RSS is its own. Results are printed and written to
``data/interim/bench/results.json``. Nothing here asserts a time: tests never do.

Corpora: the demo corpus always; the real corpora in ``../shared/corpus`` when present.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
PY = sys.executable


def measure(args: list[str], cwd: Path = ROOT) -> dict[str, float]:
    """Wall time and peak RSS of one command in a child process."""
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {child.stderr.read().decode() if child.stderr else ''}")
    return {"seconds": round(seconds, 3), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


MATCH_SCRIPT = r"""
import json, re, sys, time
import pyarrow.parquet as pq
from analysis.countries import CountryMatcher, fold_keep_length
table = pq.read_table(sys.argv[1], columns=["title", "text"]).to_pylist()
texts = [("\n".join(x for x in (r["title"], r["text"]) if x)) for r in table]
megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
matcher = CountryMatcher()
started = time.perf_counter()
found = sum(len(m) for m in matcher.find_many(texts))
ours = time.perf_counter() - started
# baseline: the usual notebook code, one regular expression per gazetteer surface, in a loop
surfaces = sorted(matcher.gazetteer.entries, key=len, reverse=True)
patterns = [re.compile(r"\b" + re.escape(s) + r"\b") for s in surfaces]
sample = texts[: max(1, len(texts) // 10)]
sample_mb = sum(len(t.encode("utf-8")) for t in sample) / 1e6
started = time.perf_counter()
loop_found = sum(len(p.findall(fold_keep_length(t))) for t in sample for p in patterns)
loop = time.perf_counter() - started
print(json.dumps({"megabytes": megabytes, "mentions": found, "automaton_mb_s": megabytes / ours,
                  "regex_loop_mb_s": round(sample_mb / loop, 4), "surfaces": len(surfaces)}))
"""


def main() -> None:
    corpora = {"demo": ROOT / "data" / "raw"}
    for name in (
        "tunisia_ecomag_mediacloud_2019_2021",
        "lemonde_rss_2022",
        "ppe1_securite_alimentaire_fr_raw",
    ):
        if (SHARED / name).exists():
            corpora[name] = SHARED / name
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in corpora.items():
            out = Path(tmp) / name
            ingest = measure([PY, "-m", "analysis", "ingest", str(path), "--out", str(out / "ingest")])
            build = measure([PY, "-m", "analysis", "build", "--raw", str(path), "--out", str(out / "processed")])
            manifest = json.loads((out / "processed" / "manifest.json").read_text())
            articles = manifest["counts"]["kept"]
            megabytes = size_mb(path)
            match = subprocess.run(
                [PY, "-c", MATCH_SCRIPT, str(out / "processed" / "articles.parquet")],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            countries = json.loads(match.stdout)
            results[name] = {
                "input_mb": round(megabytes, 2),
                "articles": articles,
                "ingest": ingest | {"articles_per_s": round(articles / ingest["seconds"], 1)},
                "build": build
                | {
                    "articles_per_s": round(articles / build["seconds"], 1),
                    "mb_per_s": round(megabytes / build["seconds"], 3),
                },
                "stage_seconds": manifest["run"]["seconds"],
                "countries": {k: round(v, 4) if isinstance(v, float) else v for k, v in countries.items()}
                | {"automaton_vs_regex_loop": round(countries["automaton_mb_s"] / countries["regex_loop_mb_s"], 1)},
            }
            print(f"{name}: {json.dumps(results[name], indent=1)}", flush=True)
    target = ROOT / "data" / "interim" / "bench"
    target.mkdir(parents=True, exist_ok=True)
    (target / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written {target / 'results.json'}")


if __name__ == "__main__":
    main()
