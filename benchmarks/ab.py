"""Side by side: the same build by two versions of the code at once, one core each.

Run with ``.venv/bin/python benchmarks/ab.py --base REV [--size 10000 | --raw DIR] [--rounds 3]``.

On a shared VM the machine's speed drifts by 10-20% from one minute to the next, so timing one
version after the other hides any change smaller than that (and can show one that is not there).
Here the base revision (checked out in a temporary git worktree) and the working tree build the
same corpus at the same time, each with one worker (``--workers 1``: one process, one core), so
that both meet the same machine; the rounds alternate which one starts first. Each round gives
the ratio of the working tree's time to the base's, end to end and per stage (below 1: the working
tree is faster); the report keeps each round's ratios, their median, and whether the two builds'
output files are byte for byte the same.

Both versions run with this project's virtual environment: a base revision that needs other
dependencies is not compared. Results go to ``reports/bench/ab.json`` (``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.scale import (  # noqa: E402
    DEFAULT_SEED,
    REPORTS,
    corpus_for,
    identity,
    load_average,
    machine,
    run_build,
    time_ratios,
)


def worktree(revision: str, folder: Path) -> str:
    """Check ``revision`` out into ``folder`` (a detached git worktree); returns its commit."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), commit], cwd=ROOT, check=True, capture_output=True
    )
    return commit


def side_by_side(jobs: Sequence[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Run the builds (name, :func:`run_build` keyword arguments) at once, started in the order given."""
    results: dict[str, dict[str, Any]] = {}
    errors: list[BaseException] = []

    def run(name: str, kwargs: dict[str, Any]) -> None:
        try:
            results[name] = run_build(**kwargs)
        except BaseException as error:  # reported once both have stopped
            errors.append(error)

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def ratios(new: dict[str, Any], base: dict[str, Any]) -> dict[str, float | None]:
    """The working tree's seconds over the base's: end to end (``wall``) and per stage."""
    found = time_ratios(new, base, 3)
    return {"wall": found["wall"], **found["stages"]}


def compare(raw: Path, base_src: Path, rounds: int, work: Path) -> list[dict[str, Any]]:
    """``rounds`` side-by-side builds of ``raw``: the working tree against the code in ``base_src``."""
    env_base = dict(os.environ, PYTHONPATH=str(base_src))
    env_new = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    results = []
    for number in range(rounds):
        jobs = {
            name: {
                "raws": [raw],
                "out": work / f"{name}-{number}",
                "log": work / f"{name}-{number}.log",
                "extra": ["--workers", "1", "--fresh"],
                "env": env,
                "work": work,
            }
            for name, env in (("base", env_base), ("new", env_new))
        }
        order = ["base", "new"] if number % 2 == 0 else ["new", "base"]
        load = load_average()
        runs = side_by_side([(name, jobs[name]) for name in order])
        results.append(
            {
                "first": order[0],
                "load_before": load,
                "base": {k: runs["base"][k] for k in ("seconds", "cpu_seconds", "stage_seconds")},
                "new": {k: runs["new"][k] for k in ("seconds", "cpu_seconds", "stage_seconds")},
                "ratio": ratios(runs["new"], runs["base"]),
                "outputs": identity(jobs["base"]["out"], jobs["new"]["out"]),
            }
        )
        print(json.dumps(results[-1]["ratio"]), flush=True)
    return results


def median_ratios(rounds: list[dict[str, Any]]) -> dict[str, float | None]:
    keys = rounds[0]["ratio"].keys() if rounds else ()
    out: dict[str, float | None] = {}
    for key in keys:
        values = [r["ratio"][key] for r in rounds if r["ratio"][key] is not None]
        out[key] = round(statistics.median(values), 3) if values else None
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="the git revision to compare the working tree with")
    parser.add_argument("--size", type=int, default=10_000, help="records of the generated bench corpus")
    parser.add_argument("--raw", type=Path, default=None, help="a raw folder to build instead of a bench corpus")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPORTS, help="folder for ab.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ab-") as tmp:
        work = Path(tmp)
        if args.raw is not None:
            raw, corpus = args.raw.resolve(), {"raw": str(args.raw)}
        else:
            raw, manifest, _ = corpus_for(args.size, DEFAULT_SEED, "auto", work)
            corpus = {"size": args.size, "records": manifest.get("records")}
        tree = work / "base"
        commit = worktree(args.base, tree)
        try:
            rounds = compare(raw, tree / "src", args.rounds, work)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    result = {
        "machine": machine(),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "base": {"revision": args.base, "commit": commit},
        "new": "the working tree",
        "corpus": corpus,
        "rounds": rounds,
        "median_ratio": median_ratios(rounds),
        "identical_outputs": all(r["outputs"]["identical"] for r in rounds),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "ab.json"
    tmp_target = target.with_name(f".{target.name}.tmp")
    tmp_target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_target, target)
    print(f"median ratio (working tree / {args.base}): {json.dumps(result['median_ratio'])}")
    print(f"identical outputs: {result['identical_outputs']}; written {target}")


if __name__ == "__main__":
    main()
