"""Builds reuse what has not changed: same inputs and options, same stages skipped, same files."""

from __future__ import annotations

import base64
import json
import pickle
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import analysis.clean as clean_module
from analysis.config import Options, Paths
from analysis.io.store import PART_GLOB
from analysis.pipeline import STATE_FILE, build
from tests.conftest import count_reads, output_files

ROOT = Path(__file__).resolve().parents[1]


def _files(out: Path) -> dict[str, bytes | dict[str, bytes]]:
    files = output_files(out)  # (the token table's parts too)
    files.pop("manifest.json", None)
    return files


def _run(out: Path, options: Options, raw: Path, **kwargs: object) -> dict[str, object]:
    build(options, Paths.from_root(ROOT), raw=[raw], out_dir=out, **kwargs)  # type: ignore[arg-type]
    manifest: dict[str, object] = json.loads((out / "manifest.json").read_text())
    return manifest


def _first_build(tmp_path: Path, options: Options) -> tuple[Options, Path, Path, dict[str, object]]:
    """Options with batches (and cleaning tasks) of 4 rows, a copy of one demo source in
    ``tmp_path/raw``, and its first build into ``tmp_path/out`` (the options, the two folders, its manifest)."""
    small = replace(options, ingest=replace(options.ingest, batch_size=4))
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "atlas-actu", raw / "atlas-actu")
    out = tmp_path / "out"
    return small, raw, out, _run(out, small, raw)


def test_stages_are_reused_until_their_inputs_or_options_change(tmp_path: Path, options: Options) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "atlas-actu", raw / "atlas-actu")
    out = tmp_path / "out"
    first = _run(out, options, raw)
    assert first["run"]["reused"] == []  # type: ignore[index]
    before = _files(out)

    again = _run(out, options, raw)
    assert again["run"]["reused"] == ["ingest", "clean", "countries", "keywords", "topics"]  # type: ignore[index]
    assert _files(out) == before
    assert again["counts"] == first["counts"] and again["outputs"] == first["outputs"]

    # an option of one stage: that stage and the ones after it run again, not the loaders
    changed = replace(options, topics=replace(options.topics, top_terms=options.topics.top_terms + 2))
    third = _run(out, changed, raw)
    assert third["run"]["reused"] == ["ingest", "clean", "countries", "keywords"]  # type: ignore[index]
    # (the same model fitted again: its weights read back)
    assert third["run"]["cache"]["topic_weights"] == {"hits": 1, "added": 0}  # type: ignore[index]
    changed = replace(options, tokens=replace(options.tokens, min_length=3))
    fourth = _run(out, changed, raw)
    assert fourth["run"]["reused"] == ["ingest"]  # type: ignore[index]
    kept = first["counts"]["kept"]  # type: ignore[index]
    # the option is part of the key of every annotation: none is reused, but the boilerplate
    # removal and the country mentions (of the same clean texts) are
    parts = fourth["run"]["cache"].pop("clean_parts")  # type: ignore[index]
    assert parts["hits"] == 0  # (see below)
    assert fourth["run"]["cache"] == {  # type: ignore[index]
        "boilerplate_counts": {"hits": kept, "added": 0},
        # pass 1 (the boilerplate observations) reads its tasks, the same slices, back whole
        "observed_parts": {"hits": parts["added"], "added": 0},
        "boilerplate": {"hits": kept, "added": 0},
        "annotations": {"hits": 0, "added": kept},
        "countries": {"hits": kept, "added": 0},
        # the country stage's task reads the same rows (ids, titles, texts, dates, duplicate marks)
        "country_parts": {"hits": 1, "added": 0},
        "themes": {"hits": 0, "added": 1},  # other tokens: the theme task matches them again
        "theme_tables": {"hits": 0, "added": 1},  # and the theme words are reduced again
        "keyword_terms": {"hits": 0, "added": 1},  # other tokens, other terms
        "topic_weights": {"hits": 0, "added": 1},  # and another model
        "token_parts": {"hits": 0, "added": 1},  # other tokens: the token table's part written again
        "article_parts": {"hits": 0, "added": 1},  # and the article table's (other token counts)
        "keyword_counts": {"hits": 0, "added": 1},  # other terms: counted again
    }

    # other code (an upgrade, an edit of a module or data file, another library version): every
    # stage runs again, its caches keeping what still holds; the same files
    import analysis.pipeline as pipeline_module

    real = pipeline_module.code_fingerprint()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline_module, "code_fingerprint", lambda: real + "+edited")
        upgraded = _run(out, options, raw)
    assert upgraded["run"]["reused"] == []  # type: ignore[index]
    assert upgraded["run"]["cache"]["country_parts"] == {"hits": 1, "added": 0}  # type: ignore[index]
    assert _files(out) == before
    assert _run(out, options, raw)["run"]["reused"] == []  # type: ignore[index]  # (back to the code it runs)

    # an output changed behind the build's back: its stage runs again
    _run(out, options, raw)
    (out / "country_pairs.parquet").unlink()
    fifth = _run(out, options, raw)
    assert fifth["run"]["reused"] == ["ingest", "clean", "keywords", "topics"]  # type: ignore[index]
    assert _files(out) == before

    # a new raw file: everything that depends on it runs, and the result is what a fresh build gives
    extra = ROOT / "data" / "raw" / "dune-post"
    shutil.copytree(extra, raw / "dune-post")
    sixth = _run(out, options, raw)
    assert "ingest" not in sixth["run"]["reused"]  # type: ignore[operator]
    # only the new articles are annotated: the others come from the per-article cache
    added = sixth["counts"]["kept"] - kept  # type: ignore[index]
    assert added > 0
    for name in ("boilerplate", "annotations", "countries"):
        assert sixth["run"]["cache"][name] == {"hits": kept, "added": added}  # type: ignore[index]
    # and only the new files are read: the others' records are replayed from the ingest cache
    files = first["run"]["cache"]["ingest"]["added"]  # type: ignore[index]
    assert files > 0 and sixth["run"]["cache"]["ingest"]["hits"] == files  # type: ignore[index]
    fresh = tmp_path / "fresh"
    fresh_run = _run(fresh, options, raw, fresh=True)
    for name in ("boilerplate", "annotations", "countries"):
        assert fresh_run["run"]["cache"][name] == {"hits": 0, "added": kept + added}  # type: ignore[index]
    assert _files(out) == _files(fresh)
    assert (fresh / ".interim" / STATE_FILE).is_file()


def test_fresh_runs_everything(tmp_path: Path, options: Options) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "courrier-detroit", raw / "courrier-detroit")
    out = tmp_path / "out"
    _run(out, options, raw)
    manifest = _run(out, options, raw, fresh=True)
    assert manifest["run"]["reused"] == []  # type: ignore[index]


def test_the_cache_can_be_turned_off(tmp_path: Path, options: Options) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "courrier-detroit", raw / "courrier-detroit")
    off = replace(options, cache=replace(options.cache, enabled=False))
    manifest = _run(tmp_path / "off", off, raw)
    assert manifest["run"]["cache"] == {}  # type: ignore[index]
    assert not (tmp_path / "off" / ".interim" / "cache").exists()
    on = _run(tmp_path / "on", options, raw)
    assert set(on["run"]["cache"]) == {
        "ingest",
        "boilerplate_counts",
        "boilerplate",
        "annotations",
        "clean_parts",
        "observed_parts",
        "countries",
        "country_parts",
        "keyword_terms",
        "themes",
        "theme_tables",
        "topic_weights",
        "token_parts",
        "article_parts",
        "keyword_counts",
    }  # type: ignore[arg-type]
    assert _files(tmp_path / "off") == _files(tmp_path / "on")


def test_a_build_with_no_article_loaded_says_why(tmp_path: Path, options: Options) -> None:
    import pytest

    from analysis.io import InputError

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notes.xyz").write_text("no loader reads this format")  # (other tests may register loaders)
    with pytest.raises(InputError, match=r"no article was loaded from .*1 records rejected \(\w+: 1\).*rejects\.jsonl"):
        _run(tmp_path / "out", options, raw)
    assert (tmp_path / "out" / ".interim" / "ingest" / "rejects.jsonl").read_text().count("\n") == 1


def test_a_corpus_too_small_for_topics_is_built_without_them(tmp_path: Path, options: Options) -> None:
    """Two articles: every table but the topics' rows, the themes matched, the manifest says why."""
    import pandas as pd

    raw = tmp_path / "raw"
    raw.mkdir()
    records = [
        {
            "title": "La sécheresse au Maroc",
            "text": "La sécheresse et la canicule frappent le Maroc.",
            "date": "2024-03-05",
        },
        {
            "title": "Pluie en Tunisie",
            "text": "La pluie revient en Tunisie après la sécheresse et la canicule.",
            "date": "2024-04-02",
        },
    ]
    (raw / "a.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    manifest = _run(tmp_path / "out", options, raw)
    found = manifest["counts"]["topics"]  # type: ignore[index]
    assert found["n_topics"] == 0 and found["no_topics"] == "2 articles with terms; at least 4 are needed"
    assert found["coherence"] is None and found["articles_on_a_theme"] == 2
    out = tmp_path / "out"
    assert pd.read_parquet(out / "topics.parquet").empty and pd.read_parquet(out / "doc_topics.parquet").empty
    assert pd.read_parquet(out / "topic_trends.parquet").empty
    assert set(pd.read_parquet(out / "theme_trends.parquet").query("articles > 0")["theme"]) == {"climat"}


def test_damaged_cache_entries_are_computed_again(tmp_path: Path, options: Options) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "courrier-detroit", raw / "courrier-detroit")
    out = tmp_path / "out"
    first = _run(out, options, raw)
    kept = first["counts"]["kept"]  # type: ignore[index]
    with sqlite3.connect(out / ".interim" / "cache" / "boilerplate.sqlite") as db:  # one bit of every entry flipped
        rows = db.execute("SELECT key, value FROM entries").fetchall()
        db.executemany(
            "UPDATE entries SET value = ? WHERE key = ?", [(v[:-1] + bytes([v[-1] ^ 1]), k) for k, v in rows]
        )
    changed = replace(options, tokens=replace(options.tokens, min_length=3))  # cleaning runs again, reading it
    again = _run(out, changed, raw)
    assert again["run"]["cache"]["boilerplate"] == {"hits": 0, "added": kept}  # type: ignore[index]
    fresh = _run(tmp_path / "fresh", changed, raw, fresh=True)
    assert _files(out) == _files(tmp_path / "fresh")
    assert fresh["counts"] == again["counts"]


def test_per_article_entries_point_into_the_task_parts(tmp_path: Path, options: Options) -> None:
    """Cleaning's per-article entries hold where the article's result is (a stored task part and
    its row), not the result: reused when a task's rows change (here, a file sorted before the
    others shifts every row), computed again once the part they point to is gone."""
    from analysis.cache import unpack

    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "courrier-detroit", raw / "courrier-detroit")
    out = tmp_path / "out"
    first = _run(out, options, raw)
    kept = first["counts"]["kept"]  # type: ignore[index]
    cache = out / ".interim" / "cache"
    parts = {path.name for path in (cache / "clean_parts").iterdir()}
    for name in ("boilerplate", "annotations"):
        with sqlite3.connect(cache / f"{name}.sqlite") as db:
            values = [unpack(value) for (value,) in db.execute("SELECT value FROM entries")]
        assert len(values) == kept and all(len(value) == 20 for value in values)  # a part's key and a row
        assert {value[:16].hex() for value in values} <= parts
    # a file whose rows come first: every row of the corpus moves, read back through its entry
    shutil.copytree(ROOT / "data" / "raw" / "atlas-actu", raw / "_first")
    second = _run(out, options, raw)
    added = second["counts"]["kept"] - kept  # type: ignore[index]
    assert second["run"]["cache"]["clean_parts"]["hits"] == 0  # type: ignore[index]
    for name in ("boilerplate", "annotations"):
        assert second["run"]["cache"][name] == {"hits": kept, "added": added}  # type: ignore[index]
    _run(tmp_path / "fresh", options, raw, fresh=True)
    assert _files(out) == _files(tmp_path / "fresh")
    # the entries read back there were stored again, pointing to the new tasks (the old ones are
    # gone): another [tokens] option misses every task, and the removals are still reused
    changed = replace(options, tokens=replace(options.tokens, min_length=3))
    third = _run(out, changed, raw)
    assert third["run"]["cache"]["clean_parts"]["hits"] == 0  # type: ignore[index]
    assert third["run"]["cache"]["boilerplate"] == {"hits": kept + added, "added": 0}  # type: ignore[index]
    # the parts gone (deleted by hand): the entries that point to them are computed again
    for path in (cache / "clean_parts").iterdir():
        path.unlink()
    shutil.rmtree(raw / "_first")
    fourth = _run(out, options, raw)
    for name in ("boilerplate", "annotations"):
        assert fourth["run"]["cache"][name] == {"hits": 0, "added": kept}  # type: ignore[index]
    _run(tmp_path / "again", options, raw, fresh=True)
    assert _files(out) == _files(tmp_path / "again")


def test_lingua_warms_up_only_for_a_build_that_cleans(tmp_path: Path, options: Options) -> None:
    """The fork server loads lingua's models for a build whose cleaning runs, not for a later stage's option change."""
    from typing import Any

    from analysis.engine import SerialEngine

    class Recording(SerialEngine):
        def __init__(self) -> None:
            super().__init__()
            self.wanted: list[dict[str, Any]] = []

        def warm(self, wanted: dict[str, Any]) -> None:
            self.wanted.append(wanted)

    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "atlas-actu", raw / "atlas-actu")
    out = tmp_path / "out"
    engine = Recording()
    _run(out, options, raw, engine=engine)
    changed = replace(options, topics=replace(options.topics, top_terms=options.topics.top_terms + 2))
    assert _run(out, changed, raw, engine=engine)["run"]["reused"] == ["ingest", "clean", "countries", "keywords"]  # type: ignore[index]
    changed = replace(options, tokens=replace(options.tokens, min_length=3))
    assert _run(out, changed, raw, engine=engine)["run"]["reused"] == ["ingest"]  # type: ignore[index]
    changed = replace(changed, countries=replace(options.countries, include_duplicates=True))
    assert _run(out, changed, raw, engine=engine)["run"]["reused"] == ["ingest", "clean", "keywords", "topics"]  # type: ignore[index]
    languages = list(options.language.languages)
    assert [w["languages"] for w in engine.wanted] == [languages, [], languages, []]
    # and the boilerplate rules' plan (with the user's rules: none here)
    assert [w.get("extra_rules") for w in engine.wanted] == [[], None, [], None]
    # and the country matcher, for a build whose country stage runs
    assert ["countries" in w for w in engine.wanted] == [True, False, True, True]
    assert pickle.loads(base64.b64decode(engine.wanted[-1]["countries"])) == changed.countries


def test_a_cleaning_task_with_the_same_rows_is_reused_while_its_sources_answers_hold(
    tmp_path: Path, options: Options, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task's loaded rows unchanged: its whole result is read back (its rows never decoded),
    unless what its source learnt changed what it removed; either way the files are those of a
    fresh build."""
    small, raw, out, first = _first_build(tmp_path, options)  # tasks of 4 rows
    tasks = first["run"]["cache"]["clean_parts"]["added"]  # type: ignore[index]
    assert tasks == -(-first["counts"]["kept"] // 4)  # type: ignore[index]  # one entry per task
    for name in ("token_parts", "article_parts"):
        assert first["run"]["cache"][name] == {"hits": 0, "added": tasks}  # type: ignore[index]
    inodes = [p.stat().st_ino for p in sorted((out / "tokens.parquet").glob(PART_GLOB))]
    article_inodes = [p.stat().st_ino for p in sorted((out / "articles.parquet").glob(PART_GLOB))]

    # more articles of the source after the others (a later folder), every one with a line of the
    # first article: the source now learns that line as recurring, and removes it from that article
    oldest = sorted((raw / "atlas-actu").rglob("*.txt"))[0]
    line = max((x for x in oldest.read_text().splitlines() if 15 <= len(x) <= 300), key=len)
    later = raw / "atlas-actu" / "2099" / "01"
    later.mkdir(parents=True)
    for i in range(6):
        (later / f"extra-{i}.txt").write_text(
            f"Un autre titre numéro {i}\n\n{line}\n\nUn paragraphe propre à l'article {i}, sur la pêche "
            f"côtière, la météo de la semaine {i} et les marchés de la région, assez long pour rester.\n"
        )
    reads = count_reads(monkeypatch, clean_module)
    second = _run(out, small, raw)
    monkeypatch.undo()
    parts = second["run"]["cache"]["clean_parts"]  # type: ignore[index]
    assert 0 < parts["hits"] < tasks  # the first article's task ran again, others were read back
    # the token table's parts of the batches read back are kept as the first build wrote them (the
    # first article's batch is written again, its text less a line, and those holding new rows)
    again = [p.stat().st_ino for p in sorted((out / "tokens.parquet").glob(PART_GLOB))]
    kept_parts = second["run"]["cache"]["token_parts"]  # type: ignore[index]
    assert kept_parts == {"hits": parts["hits"], "added": len(again) - parts["hits"]}
    assert sum(inode in inodes for inode in again) == parts["hits"]
    # the article table's too, where the batch's duplicate marks are those of the first build
    kept_articles = second["run"]["cache"]["article_parts"]  # type: ignore[index]
    again = [p.stat().st_ino for p in sorted((out / "articles.parquet").glob(PART_GLOB))]
    assert 0 < kept_articles["hits"] <= parts["hits"] and kept_articles["hits"] + kept_articles["added"] == len(again)
    assert sum(inode in article_inodes for inode in again) == kept_articles["hits"]
    # only the tasks computed read their rows (of the cleaning pass and of pass 1)
    computed = parts["added"] + second["run"]["cache"]["observed_parts"]["added"]  # type: ignore[index]
    assert len(reads) == computed
    # pass 1's tasks (what their texts add to the counts) are read back whole, but those holding
    # new articles: the first build's last, partial task now holds some of them
    full = first["counts"]["kept"] // 4  # type: ignore[index]
    assert full < tasks
    assert second["run"]["cache"]["observed_parts"] == {  # type: ignore[index]
        "hits": full,
        "added": parts["hits"] + parts["added"] - full,
    }
    assert second["run"]["cache"]["boilerplate_counts"] == {"hits": first["counts"]["kept"], "added": 6}  # type: ignore[index]
    after = pd.read_parquet(out / "articles.parquet")
    assert not after["text"].str.contains(line, regex=False).iloc[: first["counts"]["kept"]].any()  # type: ignore[index]
    fresh = _run(tmp_path / "fresh", small, raw, fresh=True)
    assert _files(out) == _files(tmp_path / "fresh")
    assert fresh["counts"] == second["counts"]
    # the per-article entries the reused tasks stand for count as used (they are kept), all but
    # the first article's: its removal and its clean text changed
    kept = first["counts"]["kept"]  # type: ignore[index]
    for name in ("boilerplate", "annotations"):
        assert second["run"]["cache"][name] == {"hits": kept - 1, "added": 1 + 6}  # type: ignore[index]


def test_a_row_dated_against_the_builds_time_is_cleaned_again(tmp_path: Path, options: Options) -> None:
    """A row with neither a date nor a fetch time, its date found in its text, is checked against
    the build's own time: the task holding it is not read back whole, the others are."""
    small = replace(options, ingest=replace(options.ingest, batch_size=3))  # tasks of 3 rows

    topics = [
        "le conseil municipal a voté le budget de la ville après un long débat sur les routes",
        "la sécheresse frappe les campagnes et les agriculteurs réclament des aides pour le bétail",
        "le club de football local a remporté la coupe régionale devant un stade comble samedi",
        "les prix du carburant ont encore augmenté et les transporteurs menacent de faire grève",
        "une exposition de peintures anciennes ouvre ses portes au musée de la médina ce mois-ci",
        "les étudiants de l'université manifestent contre la hausse des frais d'inscription",
        "le port de pêche modernise ses quais et attend davantage de chalutiers cet été",
        "un nouveau train relie désormais les deux villes en moins de deux heures de trajet",
        "la récolte des olives s'annonce abondante malgré les orages du printemps dernier",
    ]

    def records(name: str, first: int, dated: bool) -> None:
        with (raw / f"{name}.jsonl").open("w") as out:
            for i in range(3):
                record = {
                    "title": f"Titre {name} {i}",
                    "text": f"Publié le 3 mars 2024. {topics[first + i]}.",
                    "url": f"https://example.org/{name}/{i}",
                    "source": "Exemple",
                }
                if dated:
                    record["published"] = f"2024-03-0{i + 1}T10:00:00Z"
                out.write(json.dumps(record) + "\n")

    raw = tmp_path / "raw"
    raw.mkdir()
    records("a", 0, dated=False)
    records("b", 3, dated=True)
    out = tmp_path / "out"
    first = _run(out, small, raw)
    assert first["run"]["cache"]["clean_parts"] == {"hits": 0, "added": 2}  # type: ignore[index]
    records("c", 6, dated=True)
    second = _run(out, small, raw)
    assert second["run"]["cache"]["clean_parts"] == {"hits": 1, "added": 2}  # type: ignore[index]  # b read back
    assert second["run"]["cache"]["annotations"] == {"hits": 6, "added": 3}  # type: ignore[index]
    _run(tmp_path / "fresh", small, raw, fresh=True)
    assert _files(out) == _files(tmp_path / "fresh")


def test_a_batch_whose_duplicate_marks_changed_is_written_again_from_its_earlier_part(
    tmp_path: Path, options: Options
) -> None:
    """A new copy of an article: the batch holding the original is read back whole by cleaning but
    its marks changed, so its part of the article table is not kept; its rows come from the earlier
    part (not staged), under the new marks; the token table's part is kept; the files are those of
    a fresh build."""
    small, raw, out, first = _first_build(tmp_path, options)
    batches = first["run"]["cache"]["article_parts"]["added"]  # type: ignore[index]
    before = pd.read_parquet(out / "articles.parquet")
    original = before[before["duplicate_of"].isna() & (before["copies"] == 0)].iloc[0]
    copy = raw / "copies"
    copy.mkdir()
    record = {
        "title": original["title"],
        "text": original["text"],
        "url": "https://example.org/copie-1",
        "source": "Copies",
        "published": "2099-01-01T00:00:00Z",
    }
    (copy / "copie.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n")
    opened: list[Path] = []
    real = clean_module.open_parquet
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clean_module, "open_parquet", lambda path, **kw: opened.append(Path(path)) or real(path, **kw))
        second = _run(out, small, raw)
    # one earlier part of the article table read (the original's batch), by the build's process
    assert [path.parent.name for path in opened if path.name.startswith("part-")] == ["articles.parquet"]
    after = pd.read_parquet(out / "articles.parquet").set_index("article_id")
    assert after.loc[original["article_id"], "copies"] == 1  # its marks changed
    cache = second["run"]["cache"]  # type: ignore[index]
    # every earlier batch read back by cleaning but the last (partial: the new row joins it); their
    # token parts kept
    kept = cache["clean_parts"]["hits"]
    assert kept == batches - (first["counts"]["kept"] % 4 > 0)  # type: ignore[index,operator]
    now = len(list((out / "tokens.parquet").glob(PART_GLOB)))
    assert cache["token_parts"] == {"hits": kept, "added": now - kept}
    # their article parts too, but the original's (its rows read from its earlier part)
    assert original.name < 4 * kept  # (the original's batch is one of them)
    assert cache["article_parts"] == {"hits": kept - 1, "added": now - kept + 1}
    _run(tmp_path / "fresh", small, raw, fresh=True)
    assert _files(out) == _files(tmp_path / "fresh")


def test_a_task_whose_tables_an_earlier_part_holds_does_not_send_them(
    tmp_path: Path, options: Options, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two tasks per batch; one article edited: its batch is cleaned again, and the task whose
    tables are the same as before leaves them out (the earlier parts hold them): the build's
    process reads them from those parts to write the batch again; the files are a fresh build's."""
    from analysis.io.store import PartsWriter

    monkeypatch.setattr(clean_module, "TASK_ROWS", 2)
    small, raw, out, first = _first_build(tmp_path, options)
    assert first["run"]["cache"]["clean_parts"]["added"] == -(-first["counts"]["kept"] // 2)  # type: ignore[index]
    edited = sorted((raw / "atlas-actu").rglob("*.txt"))[0]
    head, rest = edited.read_text().split("\n", 1)
    edited.write_text(f"{head} : la suite des négociations\n{rest}")  # its title, so its tokens, changed
    read: list[str] = []
    real = PartsWriter.member

    def member(self: PartsWriter, digest: str) -> object:
        found = real(self, digest)
        read.append(self.target.name if found is not None else "none")
        return found

    monkeypatch.setattr(PartsWriter, "member", member)
    second = _run(out, small, raw)
    cache = second["run"]["cache"]  # type: ignore[index]
    # the edited article's batch's two tasks (keyed by the loaded rows of their batch, so both);
    # the other task's tables come out the same as before: left out, read from the earlier parts
    assert cache["clean_parts"]["added"] == 2
    assert sorted(read) == ["articles.parquet", "tokens.parquet"]
    parts = len(list((out / "tokens.parquet").glob(PART_GLOB)))
    assert cache["token_parts"] == {"hits": parts - 1, "added": 1}
    monkeypatch.undo()
    _run(tmp_path / "fresh", small, raw, fresh=True)
    assert _files(out) == _files(tmp_path / "fresh")


def test_the_keyword_counts_start_from_those_of_the_build_before(
    tmp_path: Path, options: Options, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy older than its original (which then counts as the copy): the keyword stage starts
    from the build before's counts; a task whose part of the term table is the one before's counts
    only its articles whose groups changed (the original: now in none, then in its own), and the
    task of the last batch, which the new row joins (another part), is paired with the batch before
    at its place row by row: the new row alone counted; the files are those of a fresh build. Kept
    counts that are not this code's, or a part that is not the one they were made of, and every
    batch is counted again."""
    import analysis.keywords as kw

    small, raw, out, first = _first_build(tmp_path, options)
    tasks = first["run"]["cache"]["keyword_counts"]["added"]  # type: ignore[index]
    assert tasks > 3 and first["run"]["cache"]["keyword_counts"]["hits"] == 0  # type: ignore[index]
    assert (out / ".interim" / kw.COUNTS_FILE).is_file()
    before = pd.read_parquet(out / "articles.parquet")
    original = before[before["duplicate_of"].isna() & before["published"].notna()].iloc[0]
    (raw / "copies").mkdir()
    record = {
        "title": original["title"],
        "text": original["text"],
        "url": "https://example.org/copie-ancienne",
        "source": "Copies",
        "published": "1990-01-01T00:00:00Z",  # before the original: the copy is the canonical one now
    }
    (raw / "copies" / "copie.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n")
    read: list[str] = []
    real_counts, real_paired, real_by_rows = kw._Batch.counts, kw._paired, kw._by_rows

    def counts(self: kw._Batch, folder: Path) -> kw.BatchCounts:
        read.append(folder.name)
        return real_counts(self, folder)

    changed: list[tuple[int, int]] = []  # per task paired: the articles counted now and then

    def paired(part: kw._TermsPart, data: bytes, before: kw._Batch) -> kw._TermsPart:
        done = real_paired(part, data, before)
        if done.counts is not None and done.taken is not None:
            changed.append((len(done.counts.indptr) - 1, len(done.taken.indptr) - 1))
        return done

    rows: list[tuple[int, int]] = []  # per task paired row by row: the articles counted now and then

    def by_rows(part: kw._TermsPart, data: bytes, before: kw._Batch | None, folder: str | None) -> kw._TermsPart:
        done = real_by_rows(part, data, before, folder)
        if done.by_rows:
            rows.append(tuple(0 if c is None else len(c.indptr) - 1 for c in (done.counts, done.taken)))  # type: ignore[arg-type]
        return done

    monkeypatch.setattr(kw._Batch, "counts", counts)
    monkeypatch.setattr(kw, "_paired", paired)
    monkeypatch.setattr(kw, "_by_rows", by_rows)
    second = _run(out, small, raw)
    after = pd.read_parquet(out / "articles.parquet").set_index("article_id")
    assert after.loc[original["article_id"], "duplicate_of"] is not None  # the original is a copy now
    used = second["run"]["cache"]["keyword_counts"]  # type: ignore[index]
    now = len(list((out / ".interim" / "terms.parquet").glob(PART_GLOB)))
    assert used["hits"] + used["added"] == now and 0 < used["hits"] < now
    assert changed == [(0, 1)]  # the original's task: it alone counted again (in no group now)
    joined = first["counts"]["kept"] % 4 > 0  # type: ignore[index,operator]  # (the new row joins the last batch)
    assert joined, "the new row must join the last batch (the demo corpus changed?)"
    assert rows == [(1, 0)]  # the new row counted; none of the batch before taken away
    assert read == []  # (no batch before taken away whole)
    _run(tmp_path / "fresh", small, raw, fresh=True)
    assert _files(out) == _files(tmp_path / "fresh")

    # a part of the term table that is not the one the kept counts were made of: all counted again
    (raw / "copies" / "copie.jsonl").unlink()  # (the last batch is taken away again)
    last = sorted((out / ".interim" / "terms.parquet").glob(PART_GLOB))[-1]
    last.write_bytes(last.read_bytes() + b" ")
    read.clear()
    third = _run(out, small, raw)
    assert read[0] == "terms.parquet"
    assert read[1:] == [".terms.parquet.new"] * len(list((out / ".interim" / "terms.parquet").glob(PART_GLOB)))
    monkeypatch.undo()
    _run(tmp_path / "fresh2", small, raw, fresh=True)
    assert _files(out) == _files(tmp_path / "fresh2")
    assert third["run"]["cache"]["keyword_counts"]["hits"] == 0  # type: ignore[index]
    # kept counts of other code are not read
    assert kw._Counted.read(out / ".interim" / kw.COUNTS_FILE) is not None
    monkeypatch.setattr(kw, "_counts_code", lambda: "other")
    assert kw._Counted.read(out / ".interim" / kw.COUNTS_FILE) is None


def test_a_task_whose_stored_tables_are_damaged_is_cleaned_again(tmp_path: Path, options: Options) -> None:
    """A task part whose head is intact but whose article and token tables (stored after it) are
    damaged: read back where its tables are needed (the output's article table gone), the task is
    cleaned again and stored again; the other tasks are read back, and the files are the same."""
    import analysis.pipeline as pipeline_module

    small, raw, out, first = _first_build(tmp_path, options)
    before = _files(out)
    tasks = first["run"]["cache"]["clean_parts"]["added"]  # type: ignore[index]
    victim = sorted((out / ".interim" / "cache" / clean_module.PARTS_CACHE).iterdir())[0]
    data = bytearray(victim.read_bytes())
    data[-1] ^= 0xFF  # (the last byte: the tables')
    victim.write_bytes(bytes(data))
    shutil.rmtree(out / clean_module.ARTICLES_FILE)
    code = pipeline_module.code_fingerprint()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline_module, "code_fingerprint", lambda: code + "+edited")  # (every stage runs again)
        second = _run(out, small, raw)
    assert second["run"]["cache"]["clean_parts"] == {"hits": tasks - 1, "added": 1}  # type: ignore[index]
    assert victim.read_bytes() != bytes(data)
    assert _files(out) == before


def test_a_task_read_back_whole_decodes_only_what_the_build_needs(
    tmp_path: Path, options: Options, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every cleaning task read back whole, its article and token tables held by the earlier
    parts: of its stored entry, only what comes before those tables is read, and of that only its
    audit and the few columns of its article table that the build needs (its sources, its
    counts, the duplicate finder's) are decoded; the same files."""
    import analysis.pipeline as pipeline_module
    from analysis.cache import FileRef
    from analysis.schema import BOILERPLATE_SCHEMA

    small, raw, out, first = _first_build(tmp_path, options)
    before = _files(out)
    tasks = first["run"]["cache"]["clean_parts"]["added"]  # type: ignore[index]
    decoded: list[object] = []
    real = clean_module.table_from_bytes

    def table_from_bytes(data: bytes, columns: object = None) -> object:
        decoded.append((len(real(data, columns).schema.names), columns))  # type: ignore[arg-type]
        return real(data, columns)  # type: ignore[arg-type]

    reads: list[tuple[str, int | None, int]] = []
    real_parts = FileRef.get_parts

    def get_parts(self: FileRef, key: bytes, count: int | None = None, *, skip: int = 0) -> list[bytes] | None:
        reads.append((Path(self.path).name, count, skip))
        return real_parts(self, key, count, skip=skip)

    monkeypatch.setattr(clean_module, "table_from_bytes", table_from_bytes)
    monkeypatch.setattr(FileRef, "get_parts", get_parts)
    code = pipeline_module.code_fingerprint()
    monkeypatch.setattr(pipeline_module, "code_fingerprint", lambda: code + "+edited")  # (every stage runs again)
    second = _run(out, small, raw)
    assert second["run"]["cache"]["clean_parts"] == {"hits": tasks, "added": 0}  # type: ignore[index]
    assert [r for r in reads if r[0] == clean_module.PARTS_CACHE] == [(clean_module.PARTS_CACHE, 1, 0)] * tasks
    audit, held = len(BOILERPLATE_SCHEMA), len(clean_module._HELD_COLUMNS)
    assert sorted(decoded, key=str) == sorted([(audit, None), (held, None)] * tasks, key=str)
    assert _files(out) == before
