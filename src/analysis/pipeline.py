"""The main job: every stage that exists, from raw files to the processed tables.

``build`` runs, in order: ingest (raw files -> ``data/interim/ingest/``: the loaded table, its
rejects and counts), clean (-> ``data/processed/``: the clean article table, tokens, the
boilerplate audit), countries, keywords and topics (their tables beside those), then writes the
rejects ledger, ``manifest.json`` (inputs' hash, counts at every stage, options, versions, run
time) and ``datapackage.json`` (a Frictionless description of every file and column) beside
them. With workers, the country stage runs beside the keyword and topic stages (see ``build``).
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa

from analysis import __version__, countries, keywords, topics, warm
from analysis.cache import canonical
from analysis.clean import ARTICLES_FILE, BOILERPLATE_FILE, TOKENS_FILE, Cleaner, CleanStats
from analysis.config import Options, Paths, git_commit
from analysis.engine import Beside, Engine, SerialEngine, return_large_blocks
from analysis.io.ingest import (
    INGEST_CACHE,
    REJECTS_FILE,
    STATS_FILE,
    CliMetadata,
    Ingestor,
    IngestStats,
    InputError,
    file_sha256,
)
from analysis.io.store import PART_GLOB, atomic_path, atomic_text, is_table, open_parquet, write_json
from analysis.schema import (
    BOILERPLATE_COLUMNS,
    CLEAN_COLUMNS,
    COUNTRY_MENTION_COLUMNS,
    COUNTRY_PAIR_COLUMNS,
    COUNTRY_PERIOD_COLUMNS,
    DISTINCTIVE_COLUMNS,
    DOC_TOPIC_COLUMNS,
    KEYWORD_MODEL_COLUMNS,
    PHRASE_COLUMNS,
    REGION_MENTION_COLUMNS,
    REJECT_COLUMNS,
    RISING_COLUMNS,
    TERM_FREQUENCY_COLUMNS,
    THEME_TREND_COLUMNS,
    TOKEN_COLUMNS,
    TOPIC_COLUMNS,
    TOPIC_MODEL_COLUMNS,
    TOPIC_TREND_COLUMNS,
    Column,
)
from analysis.tokens import LEXICON_FILE, Tokenizer

MANIFEST_FILE = "manifest.json"
DATAPACKAGE_FILE = "datapackage.json"
CSV_FILE = "articles.csv"
LIBRARIES = (
    "pandas",
    "pyarrow",
    "ftfy",
    "charset-normalizer",
    "trafilatura",
    "feedparser",
    "lingua-language-detector",
    "simplemma",
    "stopwordsiso",
    "datasketch",
    "nltk",
    "scikit-learn",
    "pyahocorasick",
    "babel",
    "pycountry",
)


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    ingest: IngestStats
    clean: CleanStats
    countries: dict[str, Any]
    manifest: dict[str, Any]


#: Threads that read and hash the input files (hashing releases the GIL: two cores hash 1.4 GB of
#: shards in about half the time one does), given this many files at a time.
HASH_THREADS = 4
HASH_CHUNK = 256


def inputs_hash(paths: Sequence[Path]) -> tuple[str, dict[str, str]]:
    """SHA-256 over every input file's relative path and content's SHA-256, in walk order (hidden
    files left out), and each file's content SHA-256 (which the ingest cache's keys reuse)."""
    files: list[tuple[Path, str]] = []
    for root in paths:
        # Hidden files and folders (a collector's state, saved pages) are not inputs: the loaders skip them.
        if root.is_file():
            files.append((root, root.name))
            continue
        for path in sorted(root.rglob("*")):
            inside = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") for part in inside.parts):
                files.append((path, inside.as_posix()))
    whole = hashlib.sha256()
    digests: dict[str, str] = {}  # (by the path's string: a Path object weighs more, for a corpus of many files)
    with ThreadPoolExecutor(max_workers=HASH_THREADS, thread_name_prefix="hash-inputs") as pool:
        for start in range(0, len(files), HASH_CHUNK):  # (a few futures at a time)
            chunk = files[start : start + HASH_CHUNK]
            for (path, relative), digest in zip(chunk, pool.map(file_sha256, [p for p, _ in chunk]), strict=True):
                whole.update(f"{relative}\0{digest}\n".encode())
                digests[str(path)] = digest
    return whole.hexdigest(), digests


def _frictionless_type(column: Column) -> dict[str, Any]:
    kind = str(column.type)
    if kind.startswith("timestamp"):
        return {"type": "datetime"}
    if kind.startswith("int"):
        return {"type": "integer"}
    if kind.startswith("double") or kind.startswith("float"):
        return {"type": "number"}
    if kind.startswith("list"):
        return {"type": "array", "arrayItem": {"type": "string"}}
    return {"type": "string"}


def datapackage(out_dir: Path, with_csv: bool) -> dict[str, Any]:
    """A Frictionless Data Package describing every output file and column."""

    def schema(columns: tuple[Column, ...], key: str | None) -> dict[str, Any]:
        fields = [
            {
                "name": c.name,
                **_frictionless_type(c),
                "description": c.meaning,
                "constraints": {"required": not c.nullable},
            }
            for c in columns
        ]
        out: dict[str, Any] = {"fields": fields}
        if key:
            out["primaryKey"] = [key]
        return out

    resources = [
        {
            "name": "articles",
            "path": ARTICLES_FILE,
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "description": "One row per article: clean text, metadata, language, duplicates.",
            "schema": schema(CLEAN_COLUMNS, "article_id"),
        },
        {
            "name": "tokens",
            "path": TOKENS_FILE,
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "description": "Tokens and terms of each article.",
            "schema": schema(TOKEN_COLUMNS, "article_id"),
        },
        {
            "name": "boilerplate",
            "path": BOILERPLATE_FILE,
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "description": "Audit of the text removed from each article, line by line, with the reason.",
            "schema": schema(BOILERPLATE_COLUMNS, None),
        },
        {
            "name": "rejects",
            "path": REJECTS_FILE,
            "format": "jsonl",
            "mediatype": "application/jsonl",
            "description": "Input records (or whole files) not in the table, with the reason.",
            "schema": schema(REJECT_COLUMNS, None),
        },
    ]
    parquet = {"format": "parquet", "mediatype": "application/vnd.apache.parquet"}
    resources += [
        {
            "name": "country-mentions",
            "path": countries.MENTIONS_FILE,
            **parquet,
            "description": "Every country mention: ISO codes, names, surface, offsets, kind.",
            "schema": schema(COUNTRY_MENTION_COLUMNS, None),
        },
        {
            "name": "region-mentions",
            "path": countries.REGIONS_FILE,
            **parquet,
            "description": "Mentions of regions (Maghreb, Sahel, Europe...), never counted as countries.",
            "schema": schema(REGION_MENTION_COLUMNS, None),
        },
        {
            "name": "country-periods",
            "path": countries.PERIODS_FILE,
            **parquet,
            "description": "Articles and mentions per country per period, raw and as a share of the period's articles.",
            "schema": schema(COUNTRY_PERIOD_COLUMNS, None),
        },
        {
            "name": "country-pairs",
            "path": countries.PAIRS_FILE,
            **parquet,
            "description": "Countries named together in the same articles.",
            "schema": schema(COUNTRY_PAIR_COLUMNS, None),
        },
    ]
    analyses: list[tuple[str, str, tuple[Column, ...], str]] = [
        ("term-frequencies", keywords.TERMS_FILE, TERM_FREQUENCY_COLUMNS, "Term and document frequencies per group."),
        ("phrases", keywords.PHRASES_FILE, PHRASE_COLUMNS, "Phrases (collocations) learnt from the corpus."),
        ("distinctive-terms", keywords.DISTINCTIVE_FILE, DISTINCTIVE_COLUMNS, "Terms over/under-used by a group."),
        ("rising-terms", keywords.RISING_FILE, RISING_COLUMNS, "Terms rising or falling in the latest window."),
        ("topics", topics.TOPICS_FILE, TOPIC_COLUMNS, "Topics: label, terms, coherence, share, examples."),
        ("doc-topics", topics.DOC_TOPICS_FILE, DOC_TOPIC_COLUMNS, "Topic weights of each article."),
        ("topic-trends", topics.TOPIC_TRENDS_FILE, TOPIC_TREND_COLUMNS, "Topic shares per period."),
        ("theme-trends", topics.THEME_TRENDS_FILE, THEME_TREND_COLUMNS, "Articles on each theme per period."),
    ]
    if (out_dir / keywords.KEYWORD_MODEL_FILE).exists():  # (a build without phrases has none)
        analyses.append(
            (
                "keyword-model",
                keywords.KEYWORD_MODEL_FILE,
                KEYWORD_MODEL_COLUMNS,
                "The phrases and how words are spelt when counted; `keywords.model_file` reads it in a later build.",
            )
        )
    if (out_dir / topics.TOPIC_MODEL_FILE).exists():  # (a build without topics has none)
        analyses.append(
            (
                "topic-model",
                topics.TOPIC_MODEL_FILE,
                TOPIC_MODEL_COLUMNS,
                "The topic model: each term's weight per topic; `topics.model_file` reads it in a later build.",
            )
        )
    for name, path, columns, description in analyses:
        resources.append(
            {"name": name, "path": path, **parquet, "description": description, "schema": schema(columns, None)}
        )
    if with_csv:
        resources.append(
            {
                "name": "articles-csv",
                "path": CSV_FILE,
                "format": "csv",
                "mediatype": "text/csv",
                "description": "articles.parquet as CSV (tags joined with ' | ').",
                "schema": schema(CLEAN_COLUMNS, "article_id"),
            }
        )
    for resource in resources:  # a table written as a folder of parts: its parts, in order (a multipart resource)
        name = str(resource["path"])
        if (out_dir / name).is_dir():
            resource["path"] = [f"{name}/{part.name}" for part in sorted((out_dir / name).glob(PART_GLOB))]
    return {
        "profile": "data-package",
        "name": "news-corpus-processed",
        "title": "Processed news corpus",
        "description": "Articles loaded, cleaned, deduplicated and tokenised by news-corpus-analysis.",
        "version": __version__,
        "resources": resources,
    }


def write_csv(out_dir: Path) -> None:
    """articles.parquet as CSV, streamed (lists joined with ' | ')."""
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    source = open_parquet(out_dir / ARTICLES_FILE)
    with atomic_text(out_dir / CSV_FILE) as handle:
        first = True
        for batch in source.iter_batches():
            table = pa.Table.from_batches([batch])
            index = table.column_names.index("tags")
            joined = pc.binary_join(table.column("tags"), " | ")
            table = table.set_column(index, "tags", joined)
            buffer = pa.BufferOutputStream()
            pacsv.write_csv(table, buffer, write_options=pacsv.WriteOptions(include_header=first))
            handle.write(buffer.getvalue().to_pybytes().decode("utf-8"))
            first = False


STATE_FILE = "build_state.json"
#: The build's stages, in the order the manifest lists them (two may run side by side: see build).
STAGES = ("ingest", "clean", "countries", "keywords", "topics")


class BuildState:
    """What the last build computed, per stage: a fingerprint of its inputs and options, its outputs.

    A stage whose fingerprint is unchanged and whose outputs are still as it wrote them (size and
    modification time) is reused; otherwise it runs, and so does every stage after it (their
    fingerprints include the one before). Kept in ``build_state.json`` beside the interim files.
    """

    def __init__(self, path: Path, fresh: bool = False) -> None:
        self.path = path
        self.stages: dict[str, Any] = {}
        if path.is_file() and not fresh:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if loaded.get("version") == __version__:
                    self.stages = dict(loaded.get("stages", {}))
            except (OSError, ValueError):
                self.stages = {}

    @staticmethod
    def fingerprint(*parts: object) -> str:
        """SHA-256 of the parts in a canonical form (sets sorted, so equal options give equal prints)."""
        text = json.dumps([canonical(p) for p in parts], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @staticmethod
    def _stamp(path: Path) -> list[Any]:
        """Size and time of a file; of a folder of parts, those of each part (by name)."""
        if path.is_dir():
            return [[part.name, *BuildState._stamp(part)] for part in sorted(path.glob(PART_GLOB))]
        info = path.stat()
        return [info.st_size, info.st_mtime_ns]

    def reusable(self, stage: str, fingerprint: str) -> dict[str, Any] | None:
        """The recorded counts of ``stage`` when it can be reused, else None."""
        entry = self.stages.get(stage)
        if not entry or entry.get("fingerprint") != fingerprint:
            return None
        for name, stamp in entry["outputs"].items():
            path = Path(name)
            if not path.exists() or self._stamp(path) != stamp:
                return None
        counts: dict[str, Any] = entry["counts"]
        return counts

    def record(self, stage: str, fingerprint: str, outputs: Sequence[Path], counts: dict[str, Any]) -> None:
        self.stages[stage] = {
            "fingerprint": fingerprint,
            "outputs": {str(p): self._stamp(p) for p in outputs},
            "counts": counts,
        }
        write_json(self.path, {"version": __version__, "stages": self.stages})


#: The distribution whose code a build runs (its required libraries are read from its metadata).
DISTRIBUTION = "news-corpus-analysis"


def code_fingerprint() -> str:
    """A hash of the code a build runs: this package's files (modules and data files), its version
    and the installed versions of the libraries it requires. A stage recorded under another is
    not reused (after an upgrade or an edit, every stage runs again; the caches, keyed by the
    code of each stage, keep what still holds)."""
    from analysis.cache import code_digest

    try:
        required = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        required = []
    names = sorted({re.split(r"[\s\[<>=!~;(]", r, maxsplit=1)[0] for r in required if "extra ==" not in r})
    return f"{__version__}:{code_digest(Path(__file__).parent, *names)}"


def build(
    options: Options,
    paths: Paths,
    *,
    raw: Sequence[Path] | None = None,
    out_dir: Path | None = None,
    cli: CliMetadata | None = None,
    progress: Callable[[str], None] | None = None,
    now: datetime | None = None,
    engine: Engine | None = None,
    fresh: bool = False,
) -> BuildResult:
    """Run every stage: ``raw`` (default ``data/raw``) into ``out_dir`` (default ``data/processed``).

    ``engine`` runs the per-batch work (default: this process; see :mod:`analysis.engine`); the
    outputs are the same whatever the engine and its number of workers. Stages whose inputs and
    options have not changed since the last build are reused (:class:`BuildState`) unless ``fresh``.
    """
    return_large_blocks()  # this process's peak is the build's: freed arrays go back at once
    if engine is None:
        with SerialEngine() as serial:
            return build(
                options,
                paths,
                raw=raw,
                out_dir=out_dir,
                cli=cli,
                progress=progress,
                now=now,
                engine=serial,
                fresh=fresh,
            )
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    inputs = list(raw) if raw else [paths.raw]
    target = out_dir or paths.processed
    interim = (paths.interim if out_dir is None else target / ".interim") / "ingest"
    # A model to read is read now, not after the other stages: its error stops the build first.
    try:
        keyword_options, phrase_digest = keywords.model_input(options.keywords, paths.root)
    except keywords.KeywordModelError as exc:
        raise InputError(f"option keywords.model_file: {exc}") from exc
    try:
        topic_options, model_digest = topics.model_input(options.topics, paths.root)
    except topics.TopicModelError as exc:
        raise InputError(f"option topics.model_file: {exc}") from exc
    options = replace(options, keywords=keyword_options, topics=topic_options)
    state = BuildState(interim.parent / STATE_FILE, fresh=fresh)
    seconds: dict[str, float] = {}
    begun: dict[str, float] = {}  # each stage's start, seconds after the build's
    reused: list[str] = []
    cached: dict[str, dict[str, int]] = {}  # per-article cache use of the stages that ran
    digest, file_digests = inputs_hash(inputs)
    seconds["hash_inputs"] = round(time.perf_counter() - started, 2)

    beside: list[Future[Any]] = []  # a stage running in a thread beside the others (see below)
    recording = threading.Lock()

    def stage(name: str, fingerprint: str, outputs: Sequence[Path], run: Callable[[], dict[str, Any]]) -> Any:
        counts = state.reusable(name, fingerprint)
        if counts is not None:
            reused.append(name)
            seconds[name] = 0.0
            return counts
        mark = time.perf_counter()
        begun[name] = round(mark - started, 2)
        counts = run()
        seconds[name] = round(time.perf_counter() - mark, 2)
        with recording:
            state.record(name, fingerprint, outputs, counts)
        if not any(not other.done() for other in beside):  # (the workers are not the stage's alone)
            engine.release()  # what the stage freed (here and in the workers) goes back to the system
        return counts

    def run_ingest() -> dict[str, Any]:
        ingestor = Ingestor(options.ingest, project_root=paths.root, cli=cli, progress=progress, now=now)
        cache = interim.parent / "cache" if options.cache.enabled else None
        stats = ingestor.run(inputs, interim, cache=cache, fresh=fresh, engine=engine, digests=file_digests).as_dict()
        if cache is not None:
            cached[INGEST_CACHE] = ingestor.cache_counts
        return stats

    fp_ingest = state.fingerprint(code_fingerprint(), [p.as_posix() for p in inputs], digest, options.ingest, cli)
    fp_clean = state.fingerprint(fp_ingest, options.boilerplate, options.language, options.duplicates, options.tokens)
    # The workers' tables load meanwhile; lingua's models and the boilerplate rules' plan only for
    # a build that cleans (a later stage's option change alone would load them for nothing).
    cleans = state.reusable("ingest", fp_ingest) is None or state.reusable("clean", fp_clean) is None
    # and the country matcher for a build whose country stage runs
    fp_countries = state.fingerprint(fp_clean, options.countries)
    matches = options.countries if cleans or state.reusable("countries", fp_countries) is None else None
    engine.warm(
        warm.spec(options.language.languages, options.boilerplate.extra_rules, matches)
        if cleans
        else warm.spec((), countries=matches)
    )
    ingest_outputs = [interim / ARTICLES_FILE, interim / REJECTS_FILE, interim / STATS_FILE]
    ingest_stats = IngestStats.from_dict(stage("ingest", fp_ingest, ingest_outputs, run_ingest))
    if not ingest_stats.records_kept:
        reasons = ", ".join(f"{reason}: {n}" for reason, n in sorted(ingest_stats.rejected_by_reason.items()))
        raise InputError(
            f"no article was loaded from {', '.join(p.as_posix() for p in inputs)}: "
            f"{ingest_stats.files_seen} files seen, {ingest_stats.records_rejected} records rejected"
            + (f" ({reasons})" if reasons else "")
            + f"; see {interim / REJECTS_FILE} (`python -m analysis formats` lists the formats read)"
        )

    def run_clean() -> dict[str, Any]:
        cleaner = Cleaner.from_options(options, now=now)
        cache = interim.parent / "cache" if options.cache.enabled else None
        counts: dict[str, dict[str, int]] = {}
        # With workers, the tokens they reduce are kept for the later stages' workers (see LEXICON_FILE).
        lexicon = None if isinstance(engine, SerialEngine) else interim.parent / LEXICON_FILE
        stats = cleaner.run(
            interim / ARTICLES_FILE,
            target,
            interim.parent,
            engine,
            cache=cache,
            fresh=fresh,
            cache_counts=counts,
            lexicon=lexicon,
        )
        cached.update(counts)
        return stats.as_dict()

    clean_outputs = [target / ARTICLES_FILE, target / TOKENS_FILE, target / BOILERPLATE_FILE]
    clean_stats = CleanStats.from_dict(stage("clean", fp_clean, clean_outputs, run_clean))

    def run_countries(on: Engine) -> dict[str, Any]:
        counts: dict[str, dict[str, int]] = {}
        result = countries.run_stage(
            target / ARTICLES_FILE,
            target,
            options.countries,
            batch_size=options.ingest.batch_size,
            engine=on,
            work_dir=interim.parent,
            cache=interim.parent / "cache" if options.cache.enabled else None,
            fresh=fresh,
            cache_counts=counts,
        )
        cached.update(counts)
        return result

    country_files = (countries.MENTIONS_FILE, countries.REGIONS_FILE, countries.PERIODS_FILE, countries.PAIRS_FILE)
    country_outputs = [target / f for f in country_files]
    tokenizer = Tokenizer(options.tokens)

    caching: dict[str, Any] = {"cache": interim.parent / "cache" if options.cache.enabled else None, "fresh": fresh}

    def saved(result: dict[str, Any], counts: dict[str, dict[str, int]], model: Path, outputs: list[Path]) -> Any:
        """A stage's ``result``, its cache's use noted, its saved model among its ``outputs`` (a build
        without phrases or topics writes none)."""
        cached.update(counts)
        if model.exists():
            outputs.append(model)
        return result

    def run_keywords() -> dict[str, Any]:
        counts: dict[str, dict[str, int]] = {}
        result = keywords.run_stage(
            target / ARTICLES_FILE,
            target / TOKENS_FILE,
            target,
            interim.parent,
            options.keywords,
            tokenizer,
            batch_size=options.ingest.batch_size,
            engine=engine,
            cache_counts=counts,
            **caching,
        )
        return saved(result, counts, target / keywords.KEYWORD_MODEL_FILE, keyword_outputs)

    keyword_files = (keywords.TERMS_FILE, keywords.PHRASES_FILE, keywords.DISTINCTIVE_FILE, keywords.RISING_FILE)
    fp_keywords = state.fingerprint(fp_clean, options.keywords, phrase_digest)
    keyword_outputs = [target / f for f in keyword_files] + [interim.parent / keywords.INTERIM_TERMS_FILE]

    def run_topics() -> dict[str, Any]:
        counts: dict[str, dict[str, int]] = {}
        result = topics.run_stage(
            target / ARTICLES_FILE,
            target / TOKENS_FILE,
            interim.parent / keywords.INTERIM_TERMS_FILE,
            target,
            options.topics,
            tokenizer,
            batch_size=options.ingest.batch_size,
            engine=engine,
            work_dir=interim.parent,
            cache_counts=counts,
            **caching,
        )
        return saved(result, counts, target / topics.TOPIC_MODEL_FILE, topic_outputs)

    topic_files = (topics.TOPICS_FILE, topics.DOC_TOPICS_FILE, topics.TOPIC_TRENDS_FILE, topics.THEME_TRENDS_FILE)
    fp_topics = state.fingerprint(fp_keywords, options.topics, model_digest)
    topic_outputs = [target / f for f in topic_files]
    # The country stage reads the clean articles only, and the keyword and topic stages none of its
    # outputs: with workers it runs beside them, in a thread, its tasks taking the workers they
    # leave idle while they work in this process (phrase scoring, tables, the topic fit; see
    # analysis.engine.Beside). Each stage's outputs are the same either way.
    if engine.workers < 2:
        country_counts = stage("countries", fp_countries, country_outputs, lambda: run_countries(engine))
        keyword_counts = stage("keywords", fp_keywords, keyword_outputs, run_keywords)
        topic_counts = stage("topics", fp_topics, topic_outputs, run_topics)
    else:
        side, country_engine = ThreadPoolExecutor(1, thread_name_prefix="countries"), Beside(engine)
        try:
            beside.append(
                side.submit(stage, "countries", fp_countries, country_outputs, lambda: run_countries(country_engine))
            )
            keyword_counts = stage("keywords", fp_keywords, keyword_outputs, run_keywords)
            if beside[0].done():
                beside[0].result()  # the country stage's error, if any, before the topic stage
            topic_counts = stage("topics", fp_topics, topic_outputs, run_topics)
            country_engine.alone()  # what is left of it takes every worker
            country_counts = beside[0].result()
        except BaseException:
            # It sends no more tasks and ends (its files unwritten) before the error goes on to
            # the caller, who closes the engine: nothing is left running once the build has failed.
            country_engine.stop()
            side.shutdown(wait=True, cancel_futures=True)
            raise
        side.shutdown()
        beside.clear()
        engine.release()
    for name in (REJECTS_FILE, STATS_FILE):
        with atomic_path(target / name) as tmp:
            shutil.copyfile(interim / name, tmp)
    if options.output.csv:
        write_csv(target)
    write_json(target / DATAPACKAGE_FILE, datapackage(target, options.output.csv))
    outputs = sorted(
        p.name for p in target.iterdir() if is_table(p) and not p.name.startswith(".") and p.name != MANIFEST_FILE
    )
    ingest_counts = ingest_stats.as_dict()
    ingest_counts.pop("inputs")
    manifest: dict[str, Any] = {
        "inputs": [p.as_posix() for p in inputs],
        "inputs_sha256": digest,
        "counts": {
            "ingest": ingest_counts,
            "clean": clean_stats.as_dict(),
            "countries": country_counts,
            "keywords": keyword_counts,
            "topics": topic_counts,
            "kept": clean_stats.articles,
            "unique_articles": clean_stats.articles - clean_stats.duplicates_exact - clean_stats.duplicates_near,
        },
        "outputs": [*outputs, MANIFEST_FILE],
        "options": options.raw,
        "versions": {"analysis": __version__, "python": platform.python_version()}
        | {name: _version(name) for name in LIBRARIES},
        "run": {
            "finished_at": now.isoformat(timespec="seconds"),
            # the code that built it: its commit (``unknown`` outside a git checkout) and the hash of
            # its files (which differs from the commit's when they were edited since)
            "code_commit": git_commit(paths.root),
            "code": code_fingerprint(),
            "engine": engine.name,
            "workers": engine.workers,
            "reused": [name for name in STAGES if name in reused],
            "cache": cached,
            "seconds": {name: seconds[name] for name in ("hash_inputs", *STAGES) if name in seconds}
            | {"total": round(time.perf_counter() - started, 2)},
            "started": {name: begun[name] for name in STAGES if name in begun},
        },
    }
    write_json(target / MANIFEST_FILE, manifest)
    return BuildResult(
        out_dir=target, ingest=ingest_stats, clean=clean_stats, countries=country_counts, manifest=manifest
    )


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
