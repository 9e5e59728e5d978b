"""Where per-batch work runs: in this process, in a pool of local processes, or on a Dask cluster.

Every stage splits its work into tasks: a top-level (picklable) function and small arguments,
usually a path to a Parquet file and the row groups to read. An :class:`Engine` runs them and
hands back the results **in the order of the tasks**, so whatever combines them (counts added
up, part files appended) does so in the same order with one worker or many: the outputs are
identical. At most ``window`` tasks are in flight, so results waiting to be combined stay bounded.

- :class:`SerialEngine`: in this process (``--workers 1``).
- :class:`PoolEngine`: a :class:`concurrent.futures.ProcessPoolExecutor` of ``workers`` local
  processes (the default: one per core); a lone task, and the tasks that come while its fork
  server is still loading, run in the calling process instead.
- :class:`DaskEngine`: a ``dask.distributed`` cluster, at ``scheduler`` (``tcp://host:8786``) or a
  ``LocalCluster`` started on loopback. Workers read and write the paths they are given, so on a
  real cluster the project folder must be on storage every worker sees, with this package installed.

A stage that needs nothing from the one running can run beside it, in a thread of the calling
process, on a :class:`Beside` view of the same engine: its tasks take the workers the other
stage leaves idle (while that one works alone in the calling process) rather than queue behind
it.

Large objects every task needs (a fitted model) go through :func:`share`: written once to a
pickle file beside the outputs, read once per worker process (:func:`shared`).
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")
#: How many tasks a map keeps in flight: a number, or a function asked before each new task.
Window = int | Callable[[], int]

ENGINES = ("local", "dask")

#: The longest a local pool runs tasks in this process while its fork server warms up.
WARM_INLINE_SECONDS = 30.0


class Engine(Protocol):
    """Runs ``fn`` over tasks, results in task order."""

    name: str
    workers: int

    def map(self, fn: Callable[[T], R], tasks: Iterable[T], window: Window | None = None) -> Iterator[R]:
        """Results in task order, at most ``window`` tasks in flight (default: the engine's own)."""
        ...

    def warm(self, wanted: dict[str, Any]) -> None:
        """Before the first task: workers to come may start with the tables ``wanted`` names (:mod:`analysis.warm`)."""

    def release(self) -> None:
        """Between stages: the memory the workers hold for the last stage goes back to the system."""

    def close(self) -> None: ...


def available_cores() -> int:
    """Cores this process may use (the CPU affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def one_core() -> None:
    """Native thread pools this process starts from now on use one thread: a worker is one core.

    lingua's batch detection runs on a Rust (rayon) thread pool as large as the machine, so
    without this ``--workers 1`` would use every core for language detection, and ``--workers N``
    would start N pools of that size competing for the same cores. Language detection gives the
    same results whatever the pool's size. A ``RAYON_NUM_THREADS`` the user has set is kept.
    """
    os.environ.setdefault("RAYON_NUM_THREADS", "1")


def _dask_worker_threads(dask_worker: Any) -> None:
    """A Dask worker runs as many tasks at once as it has threads: native pools get as many."""
    os.environ.setdefault("RAYON_NUM_THREADS", str(max(1, int(dask_worker.state.nthreads))))


class SerialEngine:
    """Every task in this process, one after the other (on one core: :func:`one_core`)."""

    name = "local"
    workers = 1

    def __init__(self) -> None:
        one_core()

    def map(self, fn: Callable[[T], R], tasks: Iterable[T], window: Window | None = None) -> Iterator[R]:
        for task in tasks:
            yield fn(task)

    def warm(self, wanted: dict[str, Any]) -> None:
        """Nothing: this process loads each table when it first needs it."""

    def release(self) -> None:
        release_memory()

    def close(self) -> None:
        pass

    def __enter__(self) -> SerialEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _ordered(
    submit: Callable[[Any], Any], result: Callable[[Any], Any], tasks: Iterable[Any], window: Window
) -> Iterator:
    width = window if callable(window) else lambda: window
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(submit(task))
        while len(pending) >= max(1, width()):
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


class PoolEngine:
    """Tasks in ``workers`` local processes (started by a fork server with the package preloaded)."""

    name = "local"

    def __init__(self, workers: int, window: int | None = None) -> None:
        import multiprocessing

        self.workers = workers
        self.window = window or 2 * workers
        self._context = multiprocessing.get_context("forkserver")
        # The stages' modules and the libraries their tasks import (datasketch takes 0.3 s and
        # would be imported again by every cleaning worker), then the warm-up (see warm()).
        self._context.set_forkserver_preload(
            [
                "analysis.clean",
                "analysis.countries",
                "analysis.keywords",
                "analysis.topics",
                "datasketch",
                "simplemma",
                "stopwordsiso",
                "analysis.warm",
            ]
        )
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()  # a stage may map from a thread beside another (see Beside)
        self._warming_until: tuple[Path, float] | None = None  # see _warming

    def warm(self, wanted: dict[str, Any]) -> None:
        """Start the fork server now, loading what ``wanted`` names (:mod:`analysis.warm`) while the build begins.

        Workers forked from it share those tables instead of each loading its own. Until the
        server is ready, :meth:`map` runs tasks in this process rather than wait (see
        :meth:`_warming`). A server already running (started earlier in this process) is kept as
        it is: the workers then load what they need themselves, with the same results.
        """
        import json
        import tempfile
        from multiprocessing import forkserver

        from analysis.warm import DONE, ENV

        server = forkserver._forkserver  # private: which server runs, to tell a new one (None: unknown)
        before_pid = getattr(server, "_forkserver_pid", None)
        handle, marker = tempfile.mkstemp(prefix="analysis-warming-")
        os.close(handle)
        before = os.environ.get(ENV)
        os.environ[ENV] = json.dumps({**wanted, DONE: marker}, sort_keys=True, default=str)  # (TOML dates)
        try:
            forkserver.ensure_running()
        finally:
            if before is None:
                os.environ.pop(ENV, None)
            else:
                os.environ[ENV] = before
        pid = getattr(server, "_forkserver_pid", None)
        if pid is not None and pid != before_pid:  # a new server: it removes the marker once warm
            self._warming_until = (Path(marker), time.monotonic() + WARM_INLINE_SECONDS)
        else:
            os.unlink(marker)

    def _warming(self) -> bool:
        """Whether the fork server is still loading its tables (it cannot fork before it is done).

        Meanwhile a task would wait for its worker, so this process runs it: the warm-up and the
        first tasks share the cores instead of taking turns. At most ``WARM_INLINE_SECONDS`` after
        :meth:`warm`, whatever the marker says.
        """
        warming = self._warming_until
        if warming is None:
            return False
        marker, deadline = warming
        if marker.exists() and time.monotonic() < deadline:
            return True
        marker.unlink(missing_ok=True)
        self._warming_until = None
        return False

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=self._context, initializer=one_core
                )
            return self._pool

    def map(self, fn: Callable[[T], R], tasks: Iterable[T], window: Window | None = None) -> Iterator[R]:
        """Results in task order, at most ``window`` tasks in flight (default ``self.window``).

        A lone task runs in this process: no worker would run it any sooner.

        While the fork server warms up (:meth:`warm`), tasks run here too. Either way the task is
        the same function on the same argument: the results are those a worker would give.
        """
        pending = iter(tasks)
        head = list(islice(pending, 2))
        if len(head) < 2:
            yield from map(fn, head)
            return

        def submit(task: T) -> Future[R]:
            if self._warming():
                done: Future[R] = Future()
                done.set_result(fn(task))
                return done
            return self._executor().submit(fn, task)

        def result(future: Future[R]) -> R:
            return future.result()

        yield from _ordered(submit, result, chain(head, pending), window or self.window)

    def release(self) -> None:
        """Stop the workers; the next :meth:`map` forks fresh ones from the fork server.

        A worker keeps what a stage loaded (language models, tokenizer memos, country tables) for
        as long as it lives, so a pool kept through the build holds every stage's tables at once.
        Forking from the preloaded server takes milliseconds; each stage loads only its own tables.
        """
        self._stop_workers()
        release_memory()

    def close(self) -> None:
        self._stop_workers()
        if self._warming_until is not None:
            self._warming_until[0].unlink(missing_ok=True)
            self._warming_until = None

    def _stop_workers(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> PoolEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DaskEngine:
    """Tasks on a ``dask.distributed`` cluster: ``scheduler`` address, or a local cluster of ``workers``."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None, window: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as error:  # pragma: no cover - dask is a dependency
            raise RuntimeError("--engine dask needs dask[distributed] installed") from error
        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=workers or available_cores(),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            self._client = Client(self._cluster)
        self._client.register_worker_callbacks(setup=_dask_worker_threads)  # workers started later too
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or (workers or 1))
        self.window = window or 2 * self.workers

    def map(self, fn: Callable[[T], R], tasks: Iterable[T], window: Window | None = None) -> Iterator[R]:
        def result(future: Any) -> R:
            value: R = future.result()
            future.release()
            return value

        return _ordered(lambda task: self._client.submit(fn, task, pure=False), result, tasks, window or self.window)

    def warm(self, wanted: dict[str, Any]) -> None:
        """Nothing: a cluster's workers live on between builds and load each table once, when first needed."""

    def release(self) -> None:
        """Each worker collects and trims its heap (workers are not restarted: others may share them)."""
        self._client.run(release_memory)
        release_memory()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_engine(name: str = "local", workers: int | None = None, scheduler: str | None = None) -> Engine:
    """The engine for ``--engine`` / ``--workers`` / ``--scheduler`` (``workers`` None = every core)."""
    if name not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {name!r}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if name == "dask":
        return DaskEngine(scheduler=scheduler, workers=workers)
    if scheduler:
        raise ValueError("--scheduler needs --engine dask")
    count = workers or available_cores()
    return SerialEngine() if count == 1 else PoolEngine(count)


def release_memory() -> None:
    """Give the memory the C heap holds free back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    A stage's large temporary objects are freed when it ends, but the C library keeps much of the
    space for reuse, so the process would stay at its largest stage's size for the rest of the build.
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


#: Allocations of at least this many bytes (numpy arrays of a megabyte up to a few tens, which a
#: stage makes and frees by the thousand) get memory of their own from the system, given back
#: when they are freed (glibc's ``M_MMAP_THRESHOLD``). By default glibc raises
#: the threshold up to 32 MB as such blocks are freed, then serves them from its heap, whose freed
#: space stays in the process: the keyword stage alone over 100,000 bench articles peaked at
#: 899-918 MB that way and at 789-794 MB with this, in the same time.
MMAP_THRESHOLD = 1 << 20
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number


def return_large_blocks() -> None:
    """Have this process's large blocks given back to the system as soon as they are freed (see
    :data:`MMAP_THRESHOLD`; with a C library other than glibc, nothing changes)."""
    mallopt = _libc_function("mallopt")
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def _malloc_trim() -> Callable[[int], int] | None:
    return _libc_function("malloc_trim")


@lru_cache(maxsize=4)
def _libc_function(name: str) -> Callable[..., int] | None:
    """A function of glibc's (None under another C library: musl, macOS)."""
    import ctypes
    import ctypes.util

    library = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(library), name) if library else None
    except (OSError, AttributeError):
        return None


# --- objects every task needs -------------------------------------------------------------------


class Stopped(Exception):
    """A stage running beside another was stopped because that one failed (see :meth:`Beside.stop`)."""


class Beside:
    """``engine`` seen by a stage that runs beside another one, in a thread of the calling process.

    Its maps keep at most ``window`` tasks in flight (default: half the workers, at least one), so
    the stage in front keeps the other workers for its own passes; while that stage works alone
    in the calling process (phrase scoring, its tables), the workers it leaves idle run these
    tasks instead of waiting. Once the stages in front are done (:meth:`alone`), its maps keep
    the engine's own window; if one of them fails (:meth:`stop`), they hand out no more tasks.
    :meth:`release` does nothing: the stage in front still uses the workers (the build releases
    them once both are done). The tasks and their order are those of the engine itself, so are
    the results.
    """

    def __init__(self, engine: Engine, window: int | None = None) -> None:
        self.engine = engine
        self.name = engine.name
        self.workers = engine.workers
        self.window = window or max(1, engine.workers // 2)
        self._full = max(self.window, int(getattr(engine, "window", 2 * engine.workers)))
        self._alone = threading.Event()
        self._stopped = threading.Event()

    def alone(self) -> None:
        """No other stage runs any more: the maps under way and to come keep the engine's window."""
        self._alone.set()

    def stop(self) -> None:
        """The build failed elsewhere: the maps under way raise :class:`Stopped` instead of sending a task."""
        self._stopped.set()

    def _width(self) -> int:
        return self._full if self._alone.is_set() else self.window

    def map(self, fn: Callable[[T], R], tasks: Iterable[T], window: Window | None = None) -> Iterator[R]:
        """``fn`` over the tasks on the engine, in this view's window (``window`` is not used)."""
        return self.engine.map(fn, self._until_stopped(tasks), window=self._width)

    def _until_stopped(self, tasks: Iterable[T]) -> Iterator[T]:
        for task in tasks:
            if self._stopped.is_set():
                raise Stopped("another stage of the build failed")
            yield task

    def warm(self, wanted: dict[str, Any]) -> None:
        """Nothing: the engine was warmed for the build."""

    def release(self) -> None:
        """Nothing: see the class."""

    def close(self) -> None:
        """Nothing: the engine belongs to the build."""


def share(obj: Any, path: Path) -> Path:
    """Write ``obj`` once where every worker can read it; tasks pass the returned path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as handle:
        pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return path


@lru_cache(maxsize=8)
def _load(path: str, stamp: int) -> Any:
    with open(path, "rb") as handle:
        return pickle.load(handle)


def shared(path: Path | str) -> Any:
    """What :func:`share` wrote at ``path``, read once per process (re-read if the file changed)."""
    return _load(str(path), os.stat(path).st_mtime_ns)


def row_group_tasks(path: Path, batch_size: int) -> list[tuple[int, ...]]:
    """Consecutive row groups of a Parquet file, packed into tasks of about ``batch_size`` rows."""
    from analysis.io.store import open_parquet

    metadata = open_parquet(path).metadata
    tasks: list[tuple[int, ...]] = []
    current: list[int] = []
    rows = 0
    for index in range(metadata.num_row_groups):
        current.append(index)
        rows += metadata.row_group(index).num_rows
        if rows >= batch_size:
            tasks.append(tuple(current))
            current, rows = [], 0
    if current:
        tasks.append(tuple(current))
    return tasks


def read_row_groups(path: Path, groups: tuple[int, ...], columns: list[str] | None = None) -> Any:
    """The rows of ``groups`` (from :func:`row_group_tasks`) as a pyarrow Table."""
    from analysis.io.store import open_parquet

    return open_parquet(path).read_row_groups(list(groups), columns=columns)
