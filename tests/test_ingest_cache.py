"""Ingest replays what loading a file gave while the file and everything around it are unchanged."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.config import IngestOptions
from analysis.io.ingest import INGEST_CACHE, Ingestor
from analysis.pipeline import inputs_hash

ingest_module = sys.modules["analysis.io.ingest"]  # the package exports a function of that name

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def _article(i: int, published: str = "2025-01-02") -> str:
    return json.dumps(
        {
            "title": f"Titre {i}",
            "text": f"Le texte numéro {i} parle du Maroc et de la Tunisie.",
            "published": published,
            "url": f"https://example.org/{i}",
        },
        ensure_ascii=False,
    )


def _corpus(raw: Path) -> None:
    (raw / "site").mkdir(parents=True)
    for i in range(3):
        (raw / "site" / f"a{i}.json").write_text(_article(i), encoding="utf-8")
    (raw / "site" / "feed.jsonl").write_text(
        "\n".join([_article(10), "{not json", _article(0)]), encoding="utf-8"
    )  # a broken line, and a duplicate of a0
    (raw / "site" / "empty.json").write_text("", encoding="utf-8")


def _ingest(options: IngestOptions, raw: Path, out: Path, cache: Path | None, **kwargs: object) -> Ingestor:
    ingestor = Ingestor(options, now=NOW)
    ingestor.run([raw], out, cache=cache, **kwargs)  # type: ignore[arg-type]
    return ingestor


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def test_unchanged_files_are_replayed_with_the_same_outputs(tmp_path: Path, ingest_options: IngestOptions) -> None:
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    _corpus(raw)
    reference = _ingest(ingest_options, raw, tmp_path / "plain", None)
    assert reference.cache_counts == {}
    first = _ingest(ingest_options, raw, tmp_path / "first", cache)
    assert first.cache_counts == {"hits": 0, "added": 4}  # the empty file has nothing to replay
    assert (cache / f"{INGEST_CACHE}.sqlite").is_file()
    again = _ingest(ingest_options, raw, tmp_path / "again", cache)
    assert again.cache_counts == {"hits": 4, "added": 0}
    # rows, rejects (the broken line, the duplicate, the empty file) and counts as loading gives them
    assert _outputs(tmp_path / "again") == _outputs(tmp_path / "first") == _outputs(tmp_path / "plain")
    assert again.stats.as_dict() == reference.stats.as_dict()
    assert again.stats.records_rejected == 3

    # a changed file is read again; so is a file whose sidecar metadata appeared
    (raw / "site" / "a1.json").write_text(_article(1, "2025-02-03"), encoding="utf-8")
    (raw / "site" / "a2.json.meta.json").write_text(json.dumps({"source": "Autre source"}), encoding="utf-8")
    changed = _ingest(ingest_options, raw, tmp_path / "changed", cache)
    assert changed.cache_counts == {"hits": 2, "added": 2}
    fresh = _ingest(ingest_options, raw, tmp_path / "fresh", cache, fresh=True)
    assert fresh.cache_counts == {"hits": 0, "added": 4}
    assert _outputs(tmp_path / "changed") == _outputs(tmp_path / "fresh")
    assert changed.stats.by_source["Autre source"] == 1


def test_a_cached_file_whose_digest_is_given_is_not_read(
    tmp_path: Path, ingest_options: IngestOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build hashes its inputs before ingest: the cache's keys take those digests, the same
    as a file's own, so that a file the cache holds is replayed without being read again."""
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    _corpus(raw)
    digest, digests = inputs_hash([raw])
    assert digests == {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(raw.rglob("*")) if path.is_file()
    }
    read: list[Path] = []
    real_read_bytes, real_open = Path.read_bytes, Path.open
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path) or real_read_bytes(path))
    monkeypatch.setattr(Path, "open", lambda path, *a, **k: read.append(path) or real_open(path, *a, **k))
    first = _ingest(ingest_options, raw, tmp_path / "first", cache)  # each file hashed by the ingest itself
    assert first.cache_counts == {"hits": 0, "added": 4}
    assert {path.name for path in read if raw in path.parents} == {"a0.json", "a1.json", "a2.json", "feed.jsonl"}
    read.clear()
    monkeypatch.setattr(ingest_module, "file_sha256", lambda path: pytest.fail(f"{path} hashed again"))
    again = _ingest(ingest_options, raw, tmp_path / "again", cache, digests=digests)
    monkeypatch.undo()
    assert again.cache_counts == {"hits": 4, "added": 0}
    assert not [path for path in read if raw in path.parents]
    assert _outputs(tmp_path / "again") == _outputs(tmp_path / "first")
    assert inputs_hash([raw])[0] == digest


def test_the_inputs_digest_follows_each_file_s_name_and_bytes_not_hidden_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    _corpus(raw)
    digest, digests = inputs_hash([raw])
    assert len(digests) == 5 and len(digest) == 64
    monkeypatch.setattr(sys.modules["analysis.pipeline"], "HASH_CHUNK", 2)  # the files hashed a few at a time
    assert inputs_hash([raw]) == (digest, digests)
    assert list(digests) == [str(path) for path in sorted(raw.rglob("*")) if path.is_file()]  # in walk order
    (raw / ".state.json").write_text("{}", encoding="utf-8")  # a collector's state: not an input
    (raw / ".saved").mkdir()
    (raw / ".saved" / "page.html").write_text("<p>x</p>", encoding="utf-8")
    assert inputs_hash([raw]) == (digest, digests)
    assert inputs_hash([raw / "site" / "a0.json"])[0] != digest  # one file given as the input
    (raw / "site" / "a1.json").rename(raw / "site" / "b1.json")
    renamed, renamed_files = inputs_hash([raw])
    assert renamed != digest and sorted(renamed_files.values()) == sorted(digests.values())
    (raw / "site" / "b1.json").write_text(_article(1, "2025-02-03"), encoding="utf-8")
    assert inputs_hash([raw])[0] not in (digest, renamed)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.lists(st.one_of(st.integers(0, 7), st.none()), max_size=8),  # an article (of 8) or a broken line
        min_size=1,
        max_size=4,
    )
)
def test_replayed_files_count_repeated_articles_as_loading_them_does(
    tmp_path_factory: pytest.TempPathFactory, ingest_options: IngestOptions, files: list[list[int | None]]
) -> None:
    """Records repeating an article of the same file or of an earlier one, between broken lines:
    replayed (from the loading just done, then from the cache), the same rows, rejects and counts."""
    tmp = tmp_path_factory.mktemp("repeats")
    raw = tmp / "raw"
    raw.mkdir()
    for n, lines in enumerate(files):
        text = "\n".join("{broken" if i is None else _article(i) for i in lines)
        (raw / f"feed{n}.jsonl").write_text(text, encoding="utf-8")
    plain = _ingest(ingest_options, raw, tmp / "plain", None)
    for name in ("first", "again"):
        replayed = _ingest(ingest_options, raw, tmp / name, tmp / "cache")
        assert _outputs(tmp / name) == _outputs(tmp / "plain")
        assert replayed.stats.as_dict() == plain.stats.as_dict()
    assert plain.stats.records_kept == len({i for lines in files for i in lines if i is not None})


def test_a_file_whose_cached_rows_are_gone_is_loaded_again_and_damaged_ones_are_named(
    tmp_path: Path, ingest_options: IngestOptions
) -> None:
    """A file's rows' entry is only seen to be there when the file's is found; it is read, and
    checked, when the rows are written."""
    import sqlite3

    raw, cache = tmp_path / "raw", tmp_path / "cache"
    _corpus(raw)
    first = _ingest(ingest_options, raw, tmp_path / "first", cache)
    assert first.cache_counts == {"hits": 0, "added": 4}
    database = cache / f"{INGEST_CACHE}.sqlite"
    with sqlite3.connect(database) as db:
        keys = [key for (key,) in db.execute("SELECT key FROM entries")]
        rows_keys = sorted({ingest_module._table_key(key) for key in keys} & set(keys))
        assert len(rows_keys) == 4
        db.execute("DELETE FROM entries WHERE key = ?", (rows_keys[0],))
    gone = _ingest(ingest_options, raw, tmp_path / "gone", cache)  # that file loaded again, its entries too
    assert gone.cache_counts == {"hits": 3, "added": 1}
    assert _outputs(tmp_path / "gone") == _outputs(tmp_path / "first")
    with sqlite3.connect(database) as db:
        (value,) = db.execute("SELECT value FROM entries WHERE key = ?", (rows_keys[1],)).fetchone()
        db.execute("UPDATE entries SET value = ? WHERE key = ?", (value[:-1] + bytes([value[-1] ^ 1]), rows_keys[1]))
    kept = _ingest(ingest_options, raw, tmp_path / "first", cache)  # the batches kept: no rows read
    assert kept.cache_counts == {"hits": 4, "added": 0}
    with pytest.raises(
        RuntimeError, match=rf"{re.escape(str(database))}: the cached rows of .* are damaged; .*--fresh"
    ):
        _ingest(ingest_options, raw, tmp_path / "written", cache)  # a new folder: every batch written
    assert not (tmp_path / "written" / "ingest_stats.json").exists()
    fresh = _ingest(ingest_options, raw, tmp_path / "written", cache, fresh=True)
    assert fresh.cache_counts == {"hits": 0, "added": 4}
    assert _outputs(tmp_path / "written") == _outputs(tmp_path / "first")


def test_files_with_a_date_in_the_future_are_loaded_again(tmp_path: Path, ingest_options: IngestOptions) -> None:
    """The clock moves: a date judged in the future now may not be next time."""
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    _corpus(raw)
    (raw / "site" / "later.json").write_text(_article(20, "2030-01-01"), encoding="utf-8")
    first = _ingest(ingest_options, raw, tmp_path / "first", cache)
    assert first.cache_counts == {"hits": 0, "added": 4}  # not later.json
    again = _ingest(ingest_options, raw, tmp_path / "again", cache)
    assert again.cache_counts == {"hits": 4, "added": 0}
    assert again.stats.warnings == first.stats.warnings and first.stats.warnings["date_in_future"] == 1
    assert _outputs(tmp_path / "again") == _outputs(tmp_path / "first")


def test_options_are_part_of_the_key(tmp_path: Path, ingest_options: IngestOptions) -> None:
    from dataclasses import replace

    raw, cache = tmp_path / "raw", tmp_path / "cache"
    _corpus(raw)
    _ingest(ingest_options, raw, tmp_path / "first", cache)
    other = replace(ingest_options, default_timezone=ZoneInfo("America/New_York"))
    changed = _ingest(other, raw, tmp_path / "changed", cache)
    assert changed.cache_counts == {"hits": 0, "added": 4}
    # unused entries are pruned: the first options' entries are gone
    back = _ingest(ingest_options, raw, tmp_path / "back", cache)
    assert back.cache_counts == {"hits": 0, "added": 4}


def _mixed(raw: Path) -> None:
    """Many small files, metadata layers, rejects and duplicates across files, a big one, an ignored one."""
    _corpus(raw)
    (raw / "site" / "_meta.json").write_text(json.dumps({"source": "Le Site"}), encoding="utf-8")
    (raw / "site" / "a1.json.meta.json").write_text(json.dumps({"language": "fr"}), encoding="utf-8")
    (raw / "site" / "README.md").write_text("notes", encoding="utf-8")
    (raw / "site" / "broken_meta.json.meta.json").write_text("{", encoding="utf-8")
    for i in range(40):
        (raw / "other" / f"{i:02d}").mkdir(parents=True)
        (raw / "other" / f"{i:02d}" / "x.json").write_text(_article(100 + i % 30), encoding="utf-8")


@pytest.mark.parametrize("with_cache", [False, True])
def test_workers_load_what_this_process_loads(
    tmp_path: Path, ingest_options: IngestOptions, monkeypatch: pytest.MonkeyPatch, with_cache: bool
) -> None:
    """Files loaded by a pool of 2, a few per task, counted in the walk's order: the same outputs."""
    from analysis import engine

    raw = tmp_path / "raw"
    _mixed(raw)
    monkeypatch.setattr(ingest_module, "TASK_FILES", 3)  # many tasks
    monkeypatch.setattr(ingest_module, "_HERE_RUN", 2)  # and no-op tasks between runs of files loaded here
    monkeypatch.setattr(ingest_module, "WORKER_FILE_BYTES", 300)  # the JSONL file is loaded here, the others not
    shared: list[Path] = []
    monkeypatch.setattr(ingest_module, "share", lambda obj, path: shared.append(engine.share(obj, path)) or path)
    cache = tmp_path / "cache" if with_cache else None
    serial = _ingest(ingest_options, raw, tmp_path / "serial", None)
    assert not shared  # no engine: everything here
    with engine.PoolEngine(2) as pool:
        ingestor = Ingestor(ingest_options, now=NOW)
        ingestor.run([raw], tmp_path / "pool", cache=cache, engine=pool)
        assert _outputs(tmp_path / "pool") == _outputs(tmp_path / "serial")
        assert ingestor.stats.as_dict() == serial.stats.as_dict()
        assert shared and not (tmp_path / "pool" / ".ingest.pkl").exists()  # the workers had it, it is gone
        if with_cache:
            added = ingestor.cache_counts["added"]
            assert ingestor.cache_counts["hits"] == 0 and added >= 43  # the 43 small article files at least
            again = Ingestor(ingest_options, now=NOW)
            again.run([raw], tmp_path / "again", cache=cache, engine=pool)
            assert again.cache_counts == {"hits": added, "added": 0}
            assert _outputs(tmp_path / "again") == _outputs(tmp_path / "serial")
            # the files' digests hashed before (as a build does) give the workers the same keys
            given = Ingestor(ingest_options, now=NOW)
            given.run([raw], tmp_path / "given", cache=cache, engine=pool, digests=inputs_hash([raw])[1])
            assert given.cache_counts == {"hits": added, "added": 0}
            assert _outputs(tmp_path / "given") == _outputs(tmp_path / "serial")
    assert serial.stats.files_metadata == 2 and serial.stats.files_ignored >= 1
    assert serial.stats.rejected_by_reason["duplicate"] > 10


@pytest.mark.parametrize("with_cache", [False, True])
def test_workers_load_exports_up_to_the_limit_and_this_process_streams_larger_ones(
    tmp_path: Path, ingest_options: IngestOptions, monkeypatch: pytest.MonkeyPatch, with_cache: bool
) -> None:
    """An export of over 1 MB is parsed and mapped by a worker; one over the limit is streamed here."""
    from analysis import engine

    raw = tmp_path / "raw"
    _mixed(raw)
    lines = [_article(1000 + i) for i in range(12000)]
    (raw / "export.jsonl").write_text("\n".join(lines), encoding="utf-8")  # about 1.9 MB
    (raw / "huge.jsonl").write_text(
        "\n".join(lines[:3000] + [_article(90000 + i) for i in range(12000)]), encoding="utf-8"
    )
    size = (raw / "export.jsonl").stat().st_size
    with gzip.open(raw / "packed.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(_article(50000 + i % 20) for i in range(15000)))  # repetitive: packs well
    assert (raw / "packed.jsonl.gz").stat().st_size < size / 10
    assert 2**20 < size <= ingest_module.WORKER_FILE_BYTES  # a worker's by default
    monkeypatch.setattr(ingest_module, "WORKER_FILE_BYTES", size)  # and huge.jsonl, larger, is streamed here
    here: list[str] = []
    events = ingest_module.Ingestor._events

    def recorded(self, path, *args):  # type: ignore[no-untyped-def]
        here.append(path.name)  # only in this process: the workers have the module as it is
        return events(self, path, *args)

    serial = _ingest(ingest_options, raw, tmp_path / "serial", None)
    monkeypatch.setattr(ingest_module.Ingestor, "_events", recorded)
    cache = tmp_path / "cache" if with_cache else None
    with engine.PoolEngine(2) as pool:
        ingestor = Ingestor(ingest_options, now=NOW)
        ingestor.run([raw], tmp_path / "pool", cache=cache, engine=pool)
    assert "export.jsonl" not in here and "huge.jsonl" in here
    assert "packed.jsonl.gz" in here  # small on disk, larger than the limit once expanded
    assert _outputs(tmp_path / "pool") == _outputs(tmp_path / "serial")
    assert ingestor.stats.as_dict() == serial.stats.as_dict()
    assert serial.stats.rejected_by_reason["duplicate"] >= 3000  # huge.jsonl repeats the export's first rows


def test_a_loader_registered_at_run_time_keeps_files_in_this_process(
    tmp_path: Path, ingest_options: IngestOptions
) -> None:
    """Workers would not know a loader registered in this process only: the files are loaded here."""
    from analysis import engine
    from analysis.io import Record, register_loader
    from analysis.io.registry import isolated_registry, portable

    raw = tmp_path / "raw"
    _mixed(raw)
    (raw / "notes.xyz").write_text("Un titre\nUn texte sur le Maroc.", encoding="utf-8")
    with isolated_registry():
        assert portable()

        @register_loader("xyz-notes", extensions=(".xyz",))
        def load_notes(raw_file, options):  # type: ignore[no-untyped-def]
            title, _, text = raw_file.read_text().partition("\n")
            yield Record({"title": title, "text": text}, index=0)

        assert not portable()
        serial = _ingest(ingest_options, raw, tmp_path / "serial", None)
        with engine.PoolEngine(2) as pool:
            ingestor = Ingestor(ingest_options, now=NOW)
            ingestor.run([raw], tmp_path / "pool", engine=pool)
    assert serial.stats.by_format["xyz-notes"]["kept"] == 1
    assert _outputs(tmp_path / "pool") == _outputs(tmp_path / "serial")


def test_a_plugin_loaded_by_an_earlier_run_is_loaded_by_the_workers_too(
    tmp_path: Path, ingest_options: IngestOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin imported earlier in this process still claims its extension: the workers import it too."""
    from analysis import engine
    from analysis.io.registry import isolated_registry, load_plugins, plugins_loaded, portable

    raw = tmp_path / "raw"
    _mixed(raw)
    block = '<REUTERS NEWID="{n}">\n<DATE>26-FEB-1987</DATE>\n<TEXT><TITLE>Title {n}</TITLE>\n<BODY>Morocco and Brazil agreed on trade number {n}.</BODY></TEXT>\n</REUTERS>\n'
    for n in range(3):
        (raw / f"wire{n}.sgm").write_text(block.format(n=n), encoding="latin-1")
    shared: list[Path] = []
    monkeypatch.setattr(ingest_module, "share", lambda obj, path: shared.append(engine.share(obj, path)) or path)
    with isolated_registry():
        load_plugins(("tests.plugins.reuters_sgml",))  # an earlier run's, not in these options
        assert "tests.plugins.reuters_sgml" in plugins_loaded() and portable()
        serial = _ingest(ingest_options, raw, tmp_path / "serial", None)
        with engine.PoolEngine(2) as pool:
            ingestor = Ingestor(ingest_options, now=NOW)
            ingestor.run([raw], tmp_path / "pool", engine=pool)
    assert shared  # loaded by the workers
    assert serial.stats.by_format["reuters_sgml"]["kept"] == 3
    assert ingestor.stats.as_dict() == serial.stats.as_dict()
    assert _outputs(tmp_path / "pool") == _outputs(tmp_path / "serial")


def test_new_entries_are_written_once_they_weigh_enough(
    tmp_path: Path, ingest_options: IngestOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries wait to be written by the file count or by their size: big files are not all held."""
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    _mixed(raw)
    held: list[int] = []
    flush = Ingestor._flush_cache

    def spy(self: Ingestor) -> None:
        held.append(len(self._cache_new))
        flush(self)

    monkeypatch.setattr(Ingestor, "_flush_cache", spy)
    by_count = _ingest(ingest_options, raw, tmp_path / "by-count", cache)
    assert max(held) > 1  # every new entry written at the end, at once
    held.clear()
    monkeypatch.setattr(ingest_module, "_CACHE_FLUSH_BYTES", 1)  # every entry outweighs it
    by_size = _ingest(ingest_options, raw, tmp_path / "by-size", tmp_path / "cache2")
    assert max(held) <= 1 and len(held) >= by_count.cache_counts["added"]
    assert by_size.cache_counts == by_count.cache_counts
    assert _outputs(tmp_path / "by-size") == _outputs(tmp_path / "by-count")


def test_rows_and_tables_make_row_groups_of_the_batch_size_in_order() -> None:
    """Rows loaded here (dicts) and files' rows (workers, cache) make the same row groups; a batch
    made only of files' rows known by their keys is known by theirs, read only when asked for."""
    import pyarrow as pa

    from analysis.schema import ARTICLE_SCHEMA

    row = {field.name: None for field in ARTICLE_SCHEMA}
    read: list[int] = []

    def rows(start: int, n: int) -> list[dict[str, object]]:
        return [{**row, "article_id": f"a{i:03d}"} for i in range(start, start + n)]

    def keyed(start: int, n: int) -> object:
        def get() -> pa.Table:
            read.append(start)
            return pa.Table.from_pylist(rows(start, n), schema=ARTICLE_SCHEMA)

        return ingest_module._FileRows(f"file {start}".encode(), n, get)

    batches = ingest_module._Batches(4)
    pieces: list[object] = [
        *rows(0, 3),
        ingest_module._FileRows.of(pa.Table.from_pylist(rows(3, 6), schema=ARTICLE_SCHEMA)),
        *rows(9, 1),
        ingest_module._FileRows.of(pa.Table.from_pylist(rows(10, 0), schema=ARTICLE_SCHEMA)),
        ingest_module._FileRows.of(pa.Table.from_pylist(rows(10, 2), schema=ARTICLE_SCHEMA)),
        *rows(12, 1),
        keyed(13, 5),
        keyed(18, 7),
    ]
    made = [batch for piece in pieces for batch in batches.add(piece)] + [batches.rest()]
    assert [batch.rows for batch in made] == [4, 4, 4, 4, 4, 4, 1]
    keys = [batch.key() for batch in made]
    assert keys[:4] == [None] * 4  # (rows of their own: known by their hash)
    assert all(keys[4:]) and len(set(keys[4:])) == 3
    assert read == []  # nothing read yet
    out = [batch.table() for batch in made]
    assert read == [13, 18]  # each file's rows read once, though in two batches
    assert [i for t in out for i in t.column("article_id").to_pylist()] == [f"a{i:03d}" for i in range(25)]
    assert all(t.schema.equals(ARTICLE_SCHEMA) and t.column("article_id").num_chunks == 1 for t in out)

    def alone() -> list[str | None]:
        fed = ingest_module._Batches(4)
        return [batch.key() for piece in (keyed(13, 5), keyed(18, 7)) for batch in fed.add(piece)]

    # the same files cut in the same places, the same keys; cut elsewhere, others
    assert alone() == alone() and len(alone()) == 3 and not set(alone()) & set(keys)


def test_small_batches_spanning_files_are_the_same_loaded_by_workers_from_the_cache(
    tmp_path: Path, ingest_options: IngestOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row groups of 4 rows across files: the same table and rejects, rows streamed or replayed."""
    from dataclasses import replace

    from analysis import engine

    raw = tmp_path / "raw"
    _mixed(raw)
    monkeypatch.setattr(ingest_module, "TASK_FILES", 3)
    options = replace(ingest_options, batch_size=4)
    serial = _ingest(options, raw, tmp_path / "serial", None)
    with engine.PoolEngine(2) as pool:
        for name in ("first", "again"):
            ingestor = Ingestor(options, now=NOW)
            ingestor.run([raw], tmp_path / name, cache=tmp_path / "cache", engine=pool)
            assert _outputs(tmp_path / name) == _outputs(tmp_path / "serial")
            assert ingestor.stats.as_dict() == serial.stats.as_dict()
    from analysis.io.store import open_parquet

    metadata = open_parquet(tmp_path / "again" / "articles.parquet").metadata
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert sizes[:-1] == [4] * (len(sizes) - 1) and 0 < sizes[-1] <= 4 and sum(sizes) == serial.stats.records_kept


def test_an_addition_reads_the_rows_of_the_files_of_the_batches_it_writes_only(
    tmp_path: Path, ingest_options: IngestOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files read back from the cache are counted without their rows: those are read only for a
    batch the folder before does not hold (here the last one, which the new files complete); the
    table is the one a run without cache writes. A file whose rows' entry is gone is loaded again."""
    import sqlite3
    from dataclasses import replace

    from analysis.io.store import read_articles

    raw, cache, out = tmp_path / "raw", tmp_path / "cache", tmp_path / "out"
    _mixed(raw)
    options = replace(ingest_options, batch_size=4)
    first = _ingest(options, raw, out, cache)
    parts = sorted((out / "articles.parquet").glob("*.parquet"))
    assert len(parts) > 5 and first.cache_counts["added"] >= 43
    for i in range(3):  # an addition, walked last
        (raw / "zz").mkdir(exist_ok=True)
        (raw / "zz" / f"n{i}.json").write_text(_article(500 + i), encoding="utf-8")
    read: list[bool] = []
    file_table = Ingestor._file_table

    def spy(self: Ingestor, shown: str, loaded: object, base: int, kept: list[int] | None) -> object:
        read.append(loaded.hit)  # type: ignore[attr-defined]
        return file_table(self, shown, loaded, base, kept)  # type: ignore[arg-type]

    monkeypatch.setattr(Ingestor, "_file_table", spy)
    added = _ingest(options, raw, out, cache)
    assert added.cache_counts == {"hits": first.cache_counts["added"], "added": 3}
    assert read.count(False) == 3 and 0 < read.count(True) <= options.batch_size  # the last batch's
    plain = _ingest(options, raw, tmp_path / "plain", None)
    assert read_articles(out).equals(read_articles(tmp_path / "plain"))
    assert _outputs(out) == _outputs(tmp_path / "plain")
    kept = sorted((out / "articles.parquet").glob("*.parquet"))
    assert [p.read_bytes() for p in kept[: len(parts) - 1]] == [p.read_bytes() for p in parts[:-1]]

    # the rows' entry of one file gone: that file is loaded again, its entries added again
    with sqlite3.connect(cache / f"{INGEST_CACHE}.sqlite") as db:
        keys = {key for (key,) in db.execute("SELECT key FROM entries")}
        tables = sorted(k for k in keys if ingest_module._table_key(k) in keys)
        db.execute("DELETE FROM entries WHERE key = ?", (ingest_module._table_key(tables[0]),))
    read.clear()
    again = _ingest(options, raw, tmp_path / "again", cache)
    total = added.cache_counts["hits"] + added.cache_counts["added"]
    assert again.cache_counts == {"hits": total - 1, "added": 1}
    assert read_articles(tmp_path / "again").equals(read_articles(tmp_path / "plain"))
    assert _outputs(tmp_path / "again") == _outputs(tmp_path / "plain") and plain.cache_counts == {}
