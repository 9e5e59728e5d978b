"""The per-article result cache: keys, what a build keeps, files it cannot use."""

from __future__ import annotations

import random
import re
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import cache
from analysis.cache import CacheError, ResultCache, code_digest, entry_key, intact, lookup, pack, stored, unpack


@given(
    st.lists(st.one_of(st.none(), st.text(max_size=5)), max_size=4),
    st.lists(st.one_of(st.none(), st.text(max_size=5)), max_size=4),
)
def test_keys_differ_when_the_parts_differ(a: list[str | None], b: list[str | None]) -> None:
    assert (entry_key("fp", *a) == entry_key("fp", *b)) == (a == b)


def test_keys_depend_on_the_fingerprint() -> None:
    assert entry_key("one", "text") != entry_key("two", "text")


def test_keys_are_those_earlier_builds_stored() -> None:
    """A key is BLAKE2b-128 over the fingerprint, then each part's length and bytes (None: one 0xff
    byte): caches written before the fingerprint's hash was kept between keys are still read."""
    import hashlib

    fingerprint = "rules " * 10_000  # (long, like the boilerplate cache's)
    digest = hashlib.blake2b(fingerprint.encode("utf-8"), digest_size=16)
    for data in ("sôurce".encode(), b"\xff", b"text"):
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    assert entry_key(fingerprint, "other", "parts") != digest.digest()  # (the kept hash is not fed by them)
    assert entry_key(fingerprint, "sôurce", None, "text") == digest.digest()


def test_a_build_keeps_what_it_used_and_what_it_added(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    first = ResultCache(path)
    first.add([(b"a", pack(b"1")), (b"b", pack(b"2"))])
    assert first.finish() == {"hits": 0, "added": 2}
    assert {k: unpack(v) for k, v in lookup(str(path), [b"a", b"b", b"c"]).items()} == {b"a": b"1", b"b": b"2"}

    second = ResultCache(path)
    second.used([b"b"])
    second.add([(b"c", pack(b"3"))])
    assert second.finish() == {"hits": 1, "added": 1}
    assert sorted(lookup(str(path), [b"a", b"b", b"c"])) == [b"b", b"c"]  # "a" was not used: deleted


def test_a_failed_build_deletes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    first = ResultCache(path)
    first.add([(b"a", pack(b"1"))])
    first.finish()
    ResultCache(path).close()
    assert list(lookup(str(path), [b"a"])) == [b"a"]


def test_fresh_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    first = ResultCache(path)
    first.add([(b"a", pack(b"1"))])
    first.finish()
    ResultCache(path, fresh=True).finish()
    assert lookup(str(path), [b"a"]) == {}


def test_files_it_cannot_use_are_started_afresh(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    ResultCache(garbage).finish()
    assert lookup(str(garbage), [b"a"]) == {}

    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE other (x)")
    ResultCache(foreign).finish()
    with sqlite3.connect(foreign) as db:
        assert "other" not in {r[0] for r in db.execute("SELECT name FROM sqlite_master")}

    older = tmp_path / "older.sqlite"
    kept = ResultCache(older)
    kept.add([(b"a", pack(b"1"))])
    kept.finish()
    with sqlite3.connect(older) as db:
        db.execute("UPDATE meta SET value = ? WHERE name = 'layout'", (cache.LAYOUT - 1,))
    ResultCache(older).finish()
    assert lookup(str(older), [b"a"]) == {}


def test_a_damaged_entry_is_not_read_back_and_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    first = ResultCache(path)
    first.add([(b"a", pack(b"one" * 50)), (b"b", pack(b"two" * 50)), (b"c", pack(b"three"))])
    first.finish()
    with sqlite3.connect(path) as db:
        (value,) = db.execute("SELECT value FROM entries WHERE key = ?", (b"a",)).fetchone()
        damaged = value[:-1] + bytes([value[-1] ^ 1])
        db.execute("UPDATE entries SET value = ? WHERE key = ?", (damaged, b"a"))
        db.execute("UPDATE entries SET value = 'text' WHERE key = ?", (b"c",))  # not even a blob
    assert intact(value) and not intact(damaged) and not intact(b"")
    assert sorted(lookup(str(path), [b"a", b"b", b"c"])) == [b"b"]  # the caller computes "a" and "c" again
    # only seen to be there, unread: "a" (damaged, found so once read), not "c" (shorter than any) nor "d"
    assert stored(str(path), [b"a", b"b", b"c", b"d"]) == {b"a", b"b"}
    assert stored(str(tmp_path / "none.sqlite"), [b"a"]) == set() == stored(str(path), [])

    second = ResultCache(path)
    second.used([b"b"])
    second.add([(b"a", pack(b"one" * 50))])
    second.finish()
    assert {k: unpack(v) for k, v in lookup(str(path), [b"a", b"b"]).items()} == {b"a": b"one" * 50, b"b": b"two" * 50}


def test_a_damaged_file_is_an_error_that_names_it(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    keys = [i.to_bytes(4, "big") for i in range(300)]
    writer = ResultCache(path)
    writer.add([(key, pack(key * 125)) for key in keys])
    writer.finish()
    size = path.stat().st_size
    with path.open("r+b") as handle:  # the header and the schema are left, the pages after them overwritten
        handle.seek(2 * 4096)
        handle.write(b"\x07" * (size - 3 * 4096))
    with pytest.raises(CacheError, match=rf"{re.escape(str(path))}: the cache file is damaged .*--fresh"):
        lookup(str(path), keys)


def test_missing_file_or_no_path_finds_nothing(tmp_path: Path) -> None:
    assert lookup(str(tmp_path / "none.sqlite"), [b"a"]) == {}
    assert lookup(None, [b"a"]) == {}


def _lookup_in_worker(args: tuple[str, list[bytes]]) -> list[bytes]:
    path, keys = args
    return sorted(lookup(path, keys))


def test_workers_read_what_the_main_process_wrote_during_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New entries are held until enough bytes are, then written at once: from then on, the
    workers read them (while the build goes on); the rest is written when the build finishes."""
    monkeypatch.setattr(cache, "_ADD_BYTES", 5_000)
    path = tmp_path / "c.sqlite"
    keys = [i.to_bytes(2, "big") for i in range(600)]  # more than one SELECT's worth
    writer = ResultCache(path)
    writer.add([(key, pack(b"x")) for key in reversed(keys)])  # 600 entries of 18 bytes: written
    with ProcessPoolExecutor(2) as pool:
        found = list(pool.map(_lookup_in_worker, [(str(path), keys)] * 2))
        writer.add([(b"late", pack(b"y"))])  # held
        held = list(pool.map(_lookup_in_worker, [(str(path), [b"late"])] * 2))
        writer.finish()
        late = list(pool.map(_lookup_in_worker, [(str(path), [b"late"])] * 2))
    assert found == [keys] * 2
    assert held == [[]] * 2 and late == [[b"late"]] * 2
    assert writer.added == 601


def test_a_failed_build_keeps_the_entries_written_and_drops_those_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_ADD_BYTES", 100)
    path = tmp_path / "c.sqlite"
    writer = ResultCache(path)
    value = random.Random(0).randbytes(200)  # (not compressible: past the threshold)
    writer.add([(b"a", pack(value))])  # written
    writer.add([(b"b", pack(b"2"))])  # held
    writer.close()
    assert {k: unpack(v) for k, v in lookup(str(path), [b"a", b"b"]).items()} == {b"a": value}


def test_code_digest_follows_files_and_versions(tmp_path: Path) -> None:
    data = tmp_path / "data.toml"
    data.write_text("a = 1")
    before = code_digest(cache, data, "numpy")
    assert before == code_digest(cache, data, "numpy")
    data.write_text("a = 2")
    assert code_digest(cache, data, "numpy") != before
    assert code_digest(cache, data, "no-such-distribution") != code_digest(cache, data, "numpy")


def test_space_of_replaced_entries_is_given_back(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    first = ResultCache(path)
    first.add([(i.to_bytes(4, "big"), pack(random.Random(i).randbytes(4096))) for i in range(500)])  # 2 MB
    first.finish()
    full = path.stat().st_size
    second = ResultCache(path)  # none of them used again: all deleted
    second.add([(b"new", pack(b"x"))])
    second.finish()
    assert path.stat().st_size < full / 4


def test_bytes_compressed_already_are_stored_as_they_are_and_checked_alike() -> None:
    value = bytes(range(256)) * 40
    stored = pack(value, compress=False)
    assert len(stored) == len(value) + 8 and unpack(stored) == value and unpack(pack(value)) == value
    damaged = stored[:-1] + bytes([stored[-1] ^ 1])
    assert intact(stored) and not intact(damaged)


@settings(max_examples=60, deadline=None)  # (files)
@given(st.lists(st.binary(max_size=300), min_size=1, max_size=4), st.data())
def test_an_entry_of_parts_is_read_part_by_part(tmp_path_factory: pytest.TempPathFactory, values, data) -> None:
    """An entry of several parts: any run of them read alone, each checked; a damaged part is
    found when it is read (and not when it is skipped), and an entry of one packed value reads as
    one part."""
    from analysis.cache import FileRef, pack_parts

    ref = FileRef(str(tmp_path_factory.mktemp("parts")), "fp")
    key = ref.key("task")
    ref.put(key, pack_parts(values))
    assert ref.get_parts(key) == values
    skip = data.draw(st.integers(0, len(values) - 1))
    count = data.draw(st.integers(1, len(values) - skip))
    assert ref.get_parts(key, count, skip=skip) == values[skip : skip + count]
    assert ref.get_parts(ref.key("other")) is None
    damaged = data.draw(st.integers(0, len(values) - 1))
    stored = bytearray(pack_parts(values))
    at = sum(len(v) + 8 for v in values[:damaged]) + data.draw(st.integers(0, len(values[damaged]) + 7))
    stored[at] ^= 1
    ref.put(key, bytes(stored))
    assert ref.get_parts(key) is None
    assert ref.get_parts(key, 1, skip=damaged) is None
    if damaged:
        assert ref.get_parts(key, damaged) == values[:damaged]  # (the parts before it)
    ref.put(key, pack(values[0], compress=False))
    assert ref.get_parts(key, 1) == [values[0]]
    ref.put(key, pack(values[0]))  # (compressed: no length of its stored bytes to read parts by)
    assert ref.get_parts(key, 1) is None


def test_a_cache_of_files_keeps_what_a_build_used(tmp_path: Path) -> None:
    """Entries written by the tasks, one file each: read back intact or not at all; unused ones go."""
    from analysis.cache import FileCache, FileRef

    folder = tmp_path / "parts"
    cache = FileCache(folder)
    ref = FileRef(str(folder), "fp")
    a, b, c = ref.key("a"), ref.key("b"), ref.key("c")
    for key in (a, b, c):
        ref.put(key, pack(key * 100))
    (folder / f".{c.hex()}.1.tmp").write_bytes(b"left by an interrupted write")
    damaged = (folder / b.hex()).read_bytes()
    (folder / b.hex()).write_bytes(damaged[:-1] + bytes([damaged[-1] ^ 1]))
    found = ref.get([a, b, c, ref.key("d")])
    assert set(found) == {a, c} and unpack(found[a]) == a * 100
    cache.used([a])
    cache.add([(b, b"")])  # b computed again (and stored by its task)
    assert cache.finish() == {"hits": 1, "added": 1}
    assert sorted(p.name for p in folder.iterdir()) == sorted([a.hex(), b.hex()])
    FileCache(folder, fresh=True)
    assert not list(folder.iterdir())


@settings(max_examples=50, deadline=None)  # (SQLite files: slow on a busy machine)
@given(
    st.lists(st.binary(min_size=1, max_size=40), min_size=1, max_size=30, unique=True),
    st.data(),
)
def test_the_entries_used_in_any_number_of_calls_are_kept_and_only_those(
    keys: list[bytes], data: st.DataObject
) -> None:
    """Keys of any length (an entry_key is 16 bytes), used or replaced over several calls: the
    build keeps exactly those entries, and those it added."""
    import tempfile

    used = data.draw(st.lists(st.sampled_from(keys), max_size=40))
    replaced = data.draw(st.lists(st.sampled_from(keys), max_size=5, unique=True))
    added = data.draw(st.lists(st.binary(min_size=1, max_size=40).filter(lambda k: k not in keys), max_size=5))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.sqlite"
        first = ResultCache(path)
        first.add([(k, pack(k)) for k in keys])
        first.finish()
        second = ResultCache(path)
        for i in range(0, len(used), 3):
            second.used(used[i : i + 3])
        second.add([(k, pack(b"again")) for k in replaced], reused=True)
        second.add([(k, pack(k)) for k in added])
        assert second.finish() == {"hits": len(used) + len(replaced), "added": len(added)}
        assert set(lookup(str(path), keys + added)) == set(used) | set(replaced) | set(added)


def test_cleaning_caches_depend_on_the_data_files_they_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edited dates.toml (zones, month-first countries) or boilerplate rules file is a new
    fingerprint: no task's dates or removals read back from the old one."""
    from analysis import boilerplate, dates
    from analysis.boilerplate import BoilerplateRemover
    from analysis.clean import BOILERPLATE_CACHE, PARTS_CACHE, Cleaner, cache_fingerprints

    before = cache_fingerprints(Cleaner(), BoilerplateRemover())
    for module, name in ((dates, "DATES_FILE"), (boilerplate, "RULES_FILE")):
        edited = tmp_path / f"{name}.toml"
        edited.write_bytes(getattr(module, name).read_bytes() + b"\n# edited\n")
        with monkeypatch.context() as patch:
            patch.setattr(module, name, edited)
            after = cache_fingerprints(Cleaner(), BoilerplateRemover())
        assert after[PARTS_CACHE] != before[PARTS_CACHE] and after[BOILERPLATE_CACHE] != before[BOILERPLATE_CACHE]


@pytest.mark.parametrize("library", ["stopwordsiso", "google-re2"])
def test_cleaning_caches_depend_on_the_libraries_they_read(library: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another stopwordsiso (the function words a foreign text is judged again with) or RE2 (which
    lines the rules are tried on) is another fingerprint for the boilerplate's entries and the
    tasks' parts."""
    from analysis.boilerplate import BoilerplateRemover
    from analysis.clean import BOILERPLATE_CACHE, PARTS_CACHE, Cleaner, cache_fingerprints

    before = cache_fingerprints(Cleaner(), BoilerplateRemover())
    real = cache._version
    monkeypatch.setattr(cache, "_version", lambda name: "0.0" if name == library else real(name))
    after = cache_fingerprints(Cleaner(), BoilerplateRemover())
    assert after[BOILERPLATE_CACHE] != before[BOILERPLATE_CACHE] and after[PARTS_CACHE] != before[PARTS_CACHE]


def test_cleaning_caches_depend_on_the_rules_prefilter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another version of analysis.prefilter (which lines each step's rules are tried on) is another
    fingerprint for the boilerplate's entries and the tasks' parts: a fix there is not hidden by
    removals read back from before it."""
    from analysis import prefilter
    from analysis.boilerplate import BoilerplateRemover
    from analysis.clean import BOILERPLATE_CACHE, PARTS_CACHE, Cleaner, cache_fingerprints

    before = cache_fingerprints(Cleaner(), BoilerplateRemover())
    edited = tmp_path / "prefilter.py"
    edited.write_bytes(Path(prefilter.__file__).read_bytes() + b"\n# edited\n")
    monkeypatch.setattr(prefilter, "__file__", str(edited))
    after = cache_fingerprints(Cleaner(), BoilerplateRemover())
    assert after[BOILERPLATE_CACHE] != before[BOILERPLATE_CACHE] and after[PARTS_CACHE] != before[PARTS_CACHE]
