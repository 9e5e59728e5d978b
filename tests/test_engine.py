"""Engines: results in task order, validation, shared objects, and identical builds whatever runs them."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.config import Paths, load_options
from analysis.engine import (
    Beside,
    DaskEngine,
    PoolEngine,
    SerialEngine,
    Stopped,
    _ordered,
    make_engine,
    read_row_groups,
    row_group_tasks,
    share,
    shared,
)
from analysis.pipeline import build
from analysis.tokens import LEXICON_FILE

ROOT = Path(__file__).resolve().parents[1]


def _square(x: int) -> int:
    return x * x


def test_serial_and_pool_keep_task_order() -> None:
    tasks = list(range(50))
    with SerialEngine() as serial:
        assert list(serial.map(_square, tasks)) == [x * x for x in tasks]
    with PoolEngine(2, window=3) as pool:
        assert list(pool.map(_square, iter(tasks))) == [x * x for x in tasks]


_MEMO: list[int] = []


def _remember(x: int) -> tuple[int, int]:
    """What a worker has accumulated in a module-level memo, and which process it is."""
    _MEMO.append(x)
    return os.getpid(), len(_MEMO)


def test_pool_release_starts_fresh_workers() -> None:
    with PoolEngine(2) as pool:
        first = list(pool.map(_remember, range(20)))
        assert sum(held for _, held in first) > 20  # the memo grows in the workers
        pool.release()
        second = list(pool.map(_remember, range(4)))
    assert not {pid for pid, _ in first} & {pid for pid, _ in second}
    assert max(held for _, held in second) <= 4  # the new workers start with nothing held
    assert _MEMO == []  # nothing ran in this process


def _rayon_threads(_: object) -> str | None:
    return os.environ.get("RAYON_NUM_THREADS")


def test_a_worker_is_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    # lingua's Rust thread pool would otherwise take every core in each worker
    monkeypatch.setenv("RAYON_NUM_THREADS", "unset")  # restored (absent) after the test
    monkeypatch.delenv("RAYON_NUM_THREADS")
    with PoolEngine(2) as pool:
        assert set(pool.map(_rayon_threads, range(4))) == {"1"}
    with SerialEngine() as serial:
        assert list(serial.map(_rayon_threads, [0])) == ["1"]
    monkeypatch.setenv("RAYON_NUM_THREADS", "3")  # the user's choice is kept
    with SerialEngine() as serial:
        assert list(serial.map(_rayon_threads, [0])) == ["3"]


def test_a_dask_worker_has_as_many_native_threads_as_task_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYON_NUM_THREADS", "unset")
    monkeypatch.delenv("RAYON_NUM_THREADS")
    with DaskEngine(workers=1) as dask:  # a LocalCluster: one thread per worker
        assert list(dask.map(_rayon_threads, range(2))) == ["1", "1"]
        dask.release()  # each worker trims its heap
        assert list(dask.map(_rayon_threads, [0])) == ["1"]


def loaded_tables(_: object) -> tuple[int, int, bool]:
    """In a worker, before it has done anything: the lingua detectors it holds (models loaded in
    the server), the boilerplate rules' plans (made in the server), and whether it holds the
    country matcher of options such as a task is given (built in the server)."""
    from analysis import countries
    from analysis.boilerplate import _plan
    from analysis.config import CountryOptions
    from analysis.language import _build_detector

    options = pickle.loads(pickle.dumps(CountryOptions(home_country="TN")))  # (as a task's arguments come)
    held = repr(options) in countries._MATCHERS
    return _build_detector.cache_info().currsize, _plan.cache_info().currsize, held


_WARM_SCRIPT = """
import json
import sys
sys.path.insert(0, {tests!r})
from analysis.engine import PoolEngine
from analysis.config import CountryOptions
from analysis.warm import spec
from test_engine import loaded_tables
import time
with PoolEngine(2) as pool:
    warming = marker = None
    if {warm}:
        pool.warm(spec(("fr", "en", "ar"), (), CountryOptions(home_country="TN")))
        marker = pool._warming_until[0]
        warming = pool._warming()  # the server is still importing and loading: it cannot fork yet
        while pool._warming():  # tasks would run here meanwhile; wait to see what a worker holds
            time.sleep(0.05)
    held = sorted(set(pool.map(loaded_tables, range(4))))
    print(json.dumps([held, warming, marker is not None and marker.exists()]))
"""


@pytest.mark.parametrize("warm", [True, False])
def test_pool_workers_start_with_the_tables_the_fork_server_loaded(warm: bool) -> None:
    # A process of its own: the fork server is started once per process, with what it loads then.
    held, warming, marker_left = json.loads(
        _last_line(_WARM_SCRIPT.format(tests=str(Path(__file__).parent), warm=warm))
    )
    # warm: the detector, built (and its models loaded) in the server, the rules' plan, the matcher
    assert held == ([[1, 1, True]] if warm else [[0, 0, False]])
    assert warming is (True if warm else None)
    assert marker_left is False  # the server removed it once warm


def _pid(_: object) -> int:
    return os.getpid()


def test_a_lone_task_runs_in_this_process() -> None:
    with PoolEngine(2) as pool:
        assert list(pool.map(_pid, [0])) == [os.getpid()]
        assert list(pool.map(_pid, iter([]))) == []
        assert pool._pool is None  # no worker started
        assert os.getpid() not in set(pool.map(_pid, range(4)))


def test_tasks_run_in_this_process_while_the_fork_server_warms_up(tmp_path: Path) -> None:
    marker = tmp_path / "warming"
    marker.touch()
    with PoolEngine(2) as pool:
        pool._warming_until = (marker, time.monotonic() + 600)  # as warm() leaves it for a new server
        assert list(pool.map(_pid, range(3))) == [os.getpid()] * 3
        assert pool._pool is None
        marker.unlink()  # what the server does once warm
        assert os.getpid() not in set(pool.map(_pid, range(4)))
        marker.touch()
        pool._warming_until = (marker, time.monotonic() - 1)  # past the deadline: the workers, marker or not
        assert os.getpid() not in set(pool.map(_pid, range(4)))
        assert not marker.exists() and pool._warming_until is None


def test_the_warm_up_removes_its_marker_even_when_it_loads_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis import warm

    marker = tmp_path / "warming"
    marker.touch()
    monkeypatch.setenv(warm.ENV, json.dumps({"languages": ["zz"], warm.DONE: str(marker)}))
    warm._from_environment()
    assert not marker.exists()
    marker.touch()
    monkeypatch.setenv(warm.ENV, "[not json")  # a broken value: nothing loaded, nothing removed, no error
    warm._from_environment()
    assert marker.exists()


_SHORT_TEXT_SCRIPT = """
from analysis.language import LanguageDetector, LanguageOptions
from analysis.warm import spec, warm
def rss():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 // 2**20
options = LanguageOptions(languages=("fr", "en", "de", "es"))
detector = LanguageDetector(options)
if {warm}:
    warm(spec(options.languages))
before = rss()
detector.detect("Le gouvernement annonce un plan", None)  # under 120 letters: every n-gram size
print(rss() - before)
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads the RSS from /proc")
def test_warm_loads_what_a_headline_needs() -> None:
    """A headline alone is read with all of lingua's n-gram sizes, not only the trigrams of longer texts.

    Compared with a cold run in the same test, not against a fixed figure: what else the first
    detection allocates (about 24 MB here) varies with the machine's load.
    """
    warm_mb = int(_last_line(_SHORT_TEXT_SCRIPT.format(warm=True)))
    cold_mb = int(_last_line(_SHORT_TEXT_SCRIPT.format(warm=False)))
    assert cold_mb > 60  # what the warm-up spares a worker (about 140 MB for these four languages)
    assert warm_mb < cold_mb / 3  # the models were there already


def _last_line(script: str) -> str:
    """The last line ``script`` prints, run by this Python in a process of its own."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True)
    return done.stdout.strip().splitlines()[-1]


def test_warm_skips_what_it_cannot_load() -> None:
    from analysis.warm import warm

    warm({"languages": ["zz", "fr"]})  # an unknown code: no detector
    warm({})


def test_serial_release_keeps_working() -> None:
    with SerialEngine() as serial:
        serial.release()
        assert list(serial.map(_square, [3])) == [9]


def test_make_engine_validates() -> None:
    assert isinstance(make_engine("local", 1), SerialEngine)
    with pytest.raises(ValueError, match="engine must be one of"):
        make_engine("spark")
    with pytest.raises(ValueError, match="at least 1"):
        make_engine("local", 0)
    with pytest.raises(ValueError, match="--scheduler needs --engine dask"):
        make_engine("local", 2, "tcp://127.0.0.1:8786")


def test_share_is_read_back_and_reread_when_changed(tmp_path: Path) -> None:
    path = share({"a": 1}, tmp_path / "ctx.pkl")
    assert shared(path) == {"a": 1}
    share({"a": 2}, path)
    assert shared(path) == {"a": 2}


def test_row_group_tasks_pack_groups(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    table = pa.table({"x": list(range(25))})
    pq.write_table(table, path, row_group_size=4)  # 7 groups: 4 4 4 4 4 4 1
    tasks = row_group_tasks(path, 10)
    assert tasks == [(0, 1, 2), (3, 4, 5), (6,)]
    rows = [x for t in tasks for x in read_row_groups(path, t).column("x").to_pylist()]
    assert rows == list(range(25))


def _build(
    tmp: Path, name: str, engine: SerialEngine | PoolEngine | DaskEngine, cache_from: Path | None = None
) -> Path:
    options, paths = load_options(use_user_config=False), Paths.from_root(ROOT)
    out = tmp / name
    if cache_from is not None:  # start with another build's per-article cache
        shutil.copytree(cache_from / ".interim" / "cache", out / ".interim" / "cache")
    with engine:
        build(options, paths, out_dir=out, engine=engine)
    return out


def _same_outputs(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir() if p.is_file())
    assert names == sorted(p.name for p in b.iterdir() if p.is_file())
    for name in names:
        if name == "manifest.json":
            left, right = json.loads((a / name).read_text()), json.loads((b / name).read_text())
            left.pop("run"), right.pop("run")
            assert left == right
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_pool_and_dask_builds_equal_serial_build(tmp_path: Path) -> None:
    """The demo corpus built in one process, by a pool of 2 and on a Dask LocalCluster of 2 (loopback)."""
    serial = _build(tmp_path, "serial", SerialEngine())
    pool = _build(tmp_path, "pool", PoolEngine(2))
    _same_outputs(serial, pool)
    # the pool's topic stage matched the themes with the keyword stage's lexicon; one process needs none
    assert (pool / ".interim" / LEXICON_FILE).exists() and not (serial / ".interim" / LEXICON_FILE).exists()
    dask = _build(tmp_path, "dask", DaskEngine(workers=2))
    _same_outputs(serial, dask)
    manifest = json.loads((dask / "manifest.json").read_text())
    assert manifest["run"]["engine"] == "dask" and manifest["run"]["workers"] == 2
    # Dask workers reading the per-article cache another build left: the same files again
    cached = _build(tmp_path, "dask-cached", DaskEngine(workers=2), cache_from=serial)
    _same_outputs(serial, cached)
    kept = manifest["counts"]["kept"]
    uses = json.loads((cached / "manifest.json").read_text())["run"]["cache"]
    for name in (
        "clean_parts",
        "observed_parts",
        "country_parts",
        "keyword_terms",  # (the same phrases learnt from the same sample: its terms read back)
        "topic_weights",  # (and the same topics fitted)
        "themes",
        "theme_tables",
    ):
        assert uses.pop(name)["hits"] > 0  # whole tasks, read back by the Dask workers
    for name in ("token_parts", "article_parts", "keyword_counts"):
        assert uses.pop(name) == {"hits": 0, "added": 1}  # (another folder: no parts or counts to keep)
    assert {name: use["hits"] for name, use in uses.items() if name not in ("boilerplate_counts", "ingest")} == {
        "boilerplate": kept,
        "annotations": kept,
        "countries": kept,
    }
    assert uses["ingest"]["hits"] > 0  # the raw files too (the main process replays them)
    assert all(use["added"] == 0 for use in uses.values())
    shutil.rmtree(tmp_path)


def test_cleaning_task_size_does_not_change_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches cut into tasks of 7 rows (parts written together) give the files of whole-batch tasks."""
    import analysis.clean

    whole = _build(tmp_path, "whole", SerialEngine())
    monkeypatch.setattr(analysis.clean, "TASK_ROWS", 7)
    parts = _build(tmp_path, "parts", SerialEngine())
    _same_outputs(whole, parts)


def test_a_stage_beside_another_keeps_at_most_half_the_workers_busy() -> None:
    submitted: list[int] = []
    taken: list[int] = []

    class Recording(SerialEngine):
        workers = 5

        def map(self, fn: Any, tasks: Any, window: int | None = None) -> Any:
            def submit(task: int) -> int:
                submitted.append(task)
                return task

            def result(task: int) -> int:
                taken.append(task)
                return int(fn(task))

            return _ordered(submit, result, tasks, window or 10)

    side = Beside(Recording())
    assert side.window == 2 and side.workers == 5 and side.name == "local"
    assert Beside(PoolEngine(2)).window == 1 and Beside(PoolEngine(2), window=3).window == 3
    results = []
    for value in side.map(_square, range(9)):
        assert len(submitted) - len(taken) <= side.window - 1  # the rest of the window is in flight
        results.append(value)
    assert results == [x * x for x in range(9)]
    # the stage in front is done: a map under way widens to the engine's own window (2 × 5 workers)
    submitted.clear(), taken.clear()
    widths = []
    for i, _ in enumerate(side.map(_square, range(30), window=30)):  # (a stage's own window is not used)
        widths.append(len(submitted) - len(taken) + 1)
        if i == 4:
            side.alone()
    assert widths[:5] == [2] * 5 and max(widths) == 10 and len(taken) == 30
    side.release(), side.close()  # nothing: the engine is the build's
    running = side.map(_square, range(30))
    assert next(running) == 0
    side.stop()  # another stage failed: no task is sent any more
    with pytest.raises(Stopped, match="another stage of the build failed"):
        list(running)


def test_two_threads_map_on_one_pool() -> None:
    with PoolEngine(2) as pool, ThreadPoolExecutor(2) as threads:
        first = threads.submit(lambda: list(pool.map(_square, range(40))))
        second = threads.submit(lambda: list(Beside(pool).map(_square, range(100, 130))))
        assert first.result() == [x * x for x in range(40)]
        assert second.result() == [x * x for x in range(100, 130)]


class _TwoWorkersHere(SerialEngine):
    """Tasks in the calling thread, but two workers: the build runs the country stage beside the others."""

    workers = 2

    def __init__(self) -> None:
        super().__init__()
        self.mapping = 0  # maps under way, in any thread
        self.released_while_mapping: list[int] = []

    def map(self, fn: Any, tasks: Any, window: int | None = None) -> Any:
        self.mapping += 1
        try:
            yield from super().map(fn, tasks, window)
        finally:
            self.mapping -= 1

    def release(self) -> None:
        self.released_while_mapping.append(self.mapping)


def test_the_country_stage_runs_beside_the_keyword_and_topic_stages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its first task waits for the topic stage to begin: no stage releases the workers meanwhile; same files."""
    import analysis.countries
    import analysis.topics

    topics_begun = threading.Event()
    country_task, run_countries, run_topics = (
        analysis.countries._country_task,
        analysis.countries.run_stage,
        analysis.topics.run_stage,
    )
    stage_engines: list[object] = []

    def countries_on(*args: Any, **kwargs: Any) -> Any:
        stage_engines.append(kwargs["engine"])
        return run_countries(*args, **kwargs)

    def task_once_the_topics_begin(task: Any) -> Any:
        assert topics_begun.wait(60)
        return country_task(task)

    def topics_begin(*args: Any, **kwargs: Any) -> Any:
        topics_begun.set()
        return run_topics(*args, **kwargs)

    monkeypatch.setattr(analysis.countries, "run_stage", countries_on)
    monkeypatch.setattr(analysis.countries, "_country_task", task_once_the_topics_begin)
    monkeypatch.setattr(analysis.topics, "run_stage", topics_begin)
    engine = _TwoWorkersHere()
    beside = _build(tmp_path, "beside", engine)
    assert len(stage_engines) == 1 and isinstance(stage_engines[0], Beside)
    assert stage_engines[0]._alone.is_set()  # widened once the topic stage was over
    # after ingest, clean, perhaps the topic stage, and once all three are done: never while a map runs
    assert set(engine.released_while_mapping) == {0} and len(engine.released_while_mapping) in (3, 4)
    monkeypatch.undo()
    _same_outputs(_build(tmp_path, "serial", SerialEngine()), beside)
    run = json.loads((beside / "manifest.json").read_text())["run"]
    assert list(run["seconds"]) == ["hash_inputs", "ingest", "clean", "countries", "keywords", "topics", "total"]
    begun = run["started"]  # seconds after the build's start
    assert list(begun) == ["ingest", "clean", "countries", "keywords", "topics"]
    assert begun["clean"] + run["seconds"]["clean"] - 0.02 <= begun["countries"] <= begun["keywords"] < begun["topics"]
    assert begun["countries"] + run["seconds"]["countries"] > begun["topics"]  # it waited for the topic stage


def test_an_error_in_the_stage_beside_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import analysis.countries
    import analysis.topics

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("a bad country alias")

    topic_runs: list[object] = []
    monkeypatch.setattr(analysis.countries, "run_stage", broken)
    monkeypatch.setattr(analysis.topics, "run_stage", lambda *a, **k: topic_runs.append(a) or {})
    with pytest.raises(ValueError, match="a bad country alias"):
        _build(tmp_path, "broken", _TwoWorkersHere())
    assert not topic_runs  # found once the keyword stage was over, before the topic stage
    assert not (tmp_path / "broken" / "manifest.json").exists()


def test_an_error_beside_the_country_stage_stops_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The keyword stage fails while a country task runs: no other country task starts, the country
    stage writes nothing, and its thread has ended when the build raises the keyword stage's error."""
    import dataclasses

    import analysis.countries
    import analysis.keywords

    country_task, run_countries = analysis.countries._country_task, analysis.countries.run_stage
    views: list[Beside] = []
    begun = threading.Event()
    calls: list[object] = []

    def countries_on(*args: Any, **kwargs: Any) -> Any:
        views.append(kwargs["engine"])
        return run_countries(*args, **kwargs)

    def task_until_stopped(task: Any) -> Any:
        calls.append(task)
        if len(calls) == 1:
            begun.set()
            views[0]._stopped.wait(10)  # (without the stop, the next tasks would follow)
        return country_task(task)

    def failing_keywords(*args: Any, **kwargs: Any) -> Any:
        assert begun.wait(30)
        raise ValueError("a keyword stage failure")

    monkeypatch.setattr(analysis.countries, "run_stage", countries_on)
    monkeypatch.setattr(analysis.countries, "_country_task", task_until_stopped)
    monkeypatch.setattr(analysis.keywords, "run_stage", failing_keywords)
    options, paths = load_options(use_user_config=False), Paths.from_root(ROOT)
    options = dataclasses.replace(options, ingest=dataclasses.replace(options.ingest, batch_size=20))
    out = tmp_path / "failed"
    with pytest.raises(ValueError, match="a keyword stage failure"), _TwoWorkersHere() as engine:
        build(options, paths, out_dir=out, engine=engine)
    assert len(calls) == 1  # of several tasks (20 articles each)
    assert not any(t.name.startswith("countries") for t in threading.enumerate())
    assert not list(out.glob("*country*")) and not list(out.glob("*region*"))  # nor their temp files
