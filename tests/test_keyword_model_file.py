"""A saved keyword model (phrases and spellings): written by every build, read back whole, merged by a later build."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from analysis import keywords as kw
from analysis.cli import app
from analysis.config import Options, Paths
from analysis.io.ingest import InputError
from analysis.pipeline import build
from analysis.tokens import Tokenizer
from tests.conftest import ROOT, build_demo, output_bytes, output_files
from tests.test_keywords import PHRASE_TEXTS

TOKENIZER = Tokenizer()
#: What the keyword stage writes, and the topic stage's outputs, which its terms feed.
OUTPUTS = (
    kw.TERMS_FILE,
    kw.PHRASES_FILE,
    kw.DISTINCTIVE_FILE,
    kw.RISING_FILE,
    kw.KEYWORD_MODEL_FILE,
    "topics.parquet",
    "doc_topics.parquet",
)


def test_a_saved_model_merges_the_same_terms(tmp_path: Path) -> None:
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit(
        (TOKENIZER.tokens(t, "fr"), "fr") for t in PHRASE_TEXTS
    )
    model.respelt_ = {"fr": kw._Respelt({"etat": "état"}, {"Banque": "banque"}, frozenset({"paris"}))}
    model.save(tmp_path / "model.parquet")
    loaded = kw.PhraseModel.load(tmp_path / "model.parquet", TOKENIZER)
    assert loaded.phrases_ == model.phrases_ and list(loaded.phrases_["fr"]) == list(model.phrases_["fr"])
    assert loaded.respelt_ == model.respelt_
    pd.testing.assert_frame_equal(loaded.table_, model.table_, check_dtype=False)
    for text in PHRASE_TEXTS:
        tokens = TOKENIZER.tokens(text, "fr")
        assert kw.article_terms(TOKENIZER, tokens, "fr", loaded) == kw.article_terms(TOKENIZER, tokens, "fr", model)
    loaded.save(tmp_path / "again.parquet")
    assert (tmp_path / "again.parquet").read_bytes() == (tmp_path / "model.parquet").read_bytes()
    keys = pd.read_parquet(tmp_path / "model.parquet").set_index("phrase")["keys"]
    assert [list(k) for k in keys["intelligence artificielle"]] == [["intelligence", "artificiel"]]


def test_a_file_that_is_no_keyword_model_is_an_error_naming_it(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.parquet"
    garbage.write_bytes(b"PAR1 but not really")
    with pytest.raises(kw.KeywordModelError, match=r"garbage\.parquet: not a readable Parquet file"):
        kw.PhraseModel.load(garbage)
    phrases = tmp_path / "phrases.parquet"  # the phrase table alone lacks the words and spellings
    pq.write_table(pa.table({"phrase": ["eau potable"], "language": ["fr"]}), phrases)
    with pytest.raises(kw.KeywordModelError, match=r"phrases\.parquet: not a keyword model"):
        kw.PhraseModel.load(phrases)
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit(
        (TOKENIZER.tokens(t, "fr"), "fr") for t in PHRASE_TEXTS
    )
    model.save(tmp_path / "model.parquet")
    table = pq.read_table(tmp_path / "model.parquet")
    empty = table.set_column(
        8, table.schema.field(8), pa.array([[] for _ in range(table.num_rows)], table["keys"].type)
    )
    pq.write_table(empty, tmp_path / "empty.parquet")
    with pytest.raises(kw.KeywordModelError, match=r"empty\.parquet: .*has no words"):
        kw.PhraseModel.load(tmp_path / "empty.parquet")
    with pytest.raises(kw.KeywordModelError, match="no such file"):
        kw.model_input(kw.KeywordOptions(model_file="nowhere.parquet"), tmp_path)


def _build(out: Path, options: Options, **changes: object) -> dict:
    return build_demo(out, options, keywords=changes)


def test_a_build_with_an_earlier_build_s_model_counts_its_terms(tmp_path: Path, options: Options, built_demo) -> None:
    first, manifest = built_demo
    resources = {r["name"] for r in json.loads((first / "datapackage.json").read_text())["resources"]}
    assert "keyword-model" in resources
    saved = json.loads(pq.read_schema(first / kw.KEYWORD_MODEL_FILE).metadata[kw.MODEL_METADATA])
    assert dict(saved["respelt"])["fr"]["spellings"]  # (the demo's French words have accent variants)
    model_file = tmp_path / "kept.parquet"
    shutil.copyfile(first / kw.KEYWORD_MODEL_FILE, model_file)
    # options that would learn other phrases: the model's are merged all the same
    again = _build(tmp_path / "out", options, model_file=str(model_file), phrase_max=3, phrases=False)
    assert again["counts"]["keywords"]["model_file"] == str(model_file)
    assert again["counts"]["keywords"]["phrases"] == manifest["counts"]["keywords"]["phrases"]
    for name in OUTPUTS:  # the same articles, the same phrases and spellings: the same files
        assert (tmp_path / "out" / name).read_bytes() == (first / name).read_bytes(), name


def test_the_keyword_stage_runs_again_when_the_model_file_changes(tmp_path: Path, options: Options, built_demo) -> None:
    first, _ = built_demo
    out = tmp_path / "out"
    shutil.copytree(first, out)
    kept = tmp_path / "model.parquet"
    shutil.copyfile(first / kw.KEYWORD_MODEL_FILE, kept)
    shown = _build(out, options, model_file=str(kept))
    assert shown["run"]["reused"] == ["ingest", "clean", "countries"]
    again = _build(out, options, model_file=str(kept))
    assert again["run"]["reused"] == ["ingest", "clean", "countries", "keywords", "topics"]
    kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit(
        (TOKENIZER.tokens(t, "fr"), "fr") for t in PHRASE_TEXTS
    ).save(kept)
    other = _build(out, options, model_file=str(kept))
    assert other["run"]["reused"] == ["ingest", "clean", "countries"]
    assert set(pd.read_parquet(out / kw.PHRASES_FILE)["phrase"]) == {"intelligence artificielle", "sommet de paris"}


def test_the_build_that_names_the_model_learnt_reads_every_terms_task_back(
    tmp_path: Path, options: Options, built_demo
) -> None:
    """The model a build learnt, named by the next build into its folder, merges the same terms:
    every terms task is read back (a language of the corpus that learnt no phrase is in the
    learnt model, not in its file: it merges nothing either way)."""
    first, manifest = built_demo
    languages = set(pq.read_table(first / "tokens.parquet", columns=["language"]).column("language").to_pylist())
    assert languages - set(pd.read_parquet(first / kw.PHRASES_FILE)["language"])  # (the demo's English, Arabic)
    out = tmp_path / "out"
    shutil.copytree(first, out)
    kept = tmp_path / "model.parquet"
    shutil.copyfile(first / kw.KEYWORD_MODEL_FILE, kept)
    named = _build(out, options, model_file=str(kept))
    tasks = manifest["run"]["cache"][kw.TERMS_CACHE]["added"]
    assert tasks > 0 and named["run"]["cache"][kw.TERMS_CACHE] == {"hits": tasks, "added": 0}
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (first / name).read_bytes(), name


def test_a_missing_keyword_model_stops_the_build_before_it_starts(tmp_path: Path, options: Options) -> None:
    with pytest.raises(InputError, match=r"keywords\.model_file: .*nowhere\.parquet: no such file"):
        _build(tmp_path / "out", options, model_file=str(tmp_path / "nowhere.parquet"))
    assert not (tmp_path / "out").exists()


def test_the_keywords_command_reads_a_model_too(tmp_path: Path, built_demo, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = built_demo
    folder = tmp_path / "processed"
    shutil.copytree(first, folder)
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit(
        (TOKENIZER.tokens(t, "fr"), "fr") for t in PHRASE_TEXTS
    )
    model.save(tmp_path / "two.parquet")
    monkeypatch.setenv("ANALYSIS_ROOT", str(ROOT))
    args = ["keywords", "--processed", str(folder), "--show", "0", "--keyword-model", str(tmp_path / "two.parquet")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2 phrases" in result.output
    result = CliRunner().invoke(app, [*args[:-1], str(tmp_path / "x")])
    assert result.exit_code != 0 and "x: no such file" in " ".join(result.output.split())


def _files(out: Path) -> dict[str, bytes | dict[str, bytes]]:
    return {**output_files(out, "*.parquet"), "terms": output_bytes(out / ".interim" / kw.INTERIM_TERMS_FILE)}


def test_an_addition_with_a_given_model_reads_the_earlier_tasks_terms_back(
    tmp_path: Path, options: Options, built_demo
) -> None:
    """With the phrases and spellings given, a terms task whose token rows an earlier build's task
    had writes that task's part as it was (its rows neither read nor counted again): the files are
    those of a fresh build of the same files with the same model."""
    first, _ = built_demo
    model_file, topic_file = tmp_path / "model.parquet", tmp_path / "topics.parquet"
    shutil.copyfile(first / kw.KEYWORD_MODEL_FILE, model_file)
    shutil.copyfile(first / "topic_model.parquet", topic_file)
    small = replace(
        options,
        ingest=replace(options.ingest, batch_size=10),  # tasks of 10 rows
        keywords=replace(options.keywords, model_file=str(model_file)),
        topics=replace(options.topics, model_file=str(topic_file)),
    )
    raw, out = tmp_path / "raw", tmp_path / "out"
    for name in ("atlas-actu", "courrier-detroit"):
        shutil.copytree(ROOT / "data" / "raw" / name, raw / name)
    once = build(small, Paths.from_root(ROOT), raw=[raw], out_dir=out).manifest["run"]["cache"][kw.TERMS_CACHE]
    assert once["hits"] == 0 and once["added"] > 2
    shutil.copytree(ROOT / "data" / "raw" / "horizon-maghreb-eco", raw / "horizon-maghreb-eco")  # a later source
    again = build(small, Paths.from_root(ROOT), raw=[raw], out_dir=out).manifest
    used = again["run"]["cache"][kw.TERMS_CACHE]
    assert once["added"] - 1 <= used["hits"] <= once["added"] and used["added"] >= 1
    # the terms' parts written as they were, and the topic model given: their weights read back too
    weighed = again["run"]["cache"]["topic_weights"]
    assert weighed["hits"] == used["hits"] and weighed["added"] == used["added"]
    fresh = build(small, Paths.from_root(ROOT), raw=[raw], out_dir=tmp_path / "fresh", fresh=True).manifest
    assert fresh["run"]["cache"][kw.TERMS_CACHE]["hits"] == 0
    assert _files(out) == _files(tmp_path / "fresh")
    assert again["counts"] == fresh["counts"]


def test_a_stored_part_gives_the_counts_its_task_gave(built_demo) -> None:
    """The counts of a part read back (its terms numbered by a dictionary) are those the task made
    (its terms numbered as met), copies left out and groups attached alike."""
    first, _ = built_demo
    tokens = pq.read_table(first / "tokens.parquet", columns=["article_id", "language", "tokens"])
    meta = kw.read_meta(first / "articles.parquet")
    assert meta["duplicate_of"].notna().any()  # (the demo has copies: some rows are not counted)
    groups, _, _ = kw.group_index(meta, ("month",), include_duplicates=False)
    model = kw.PhraseModel.load(first / kw.KEYWORD_MODEL_FILE, TOKENIZER)
    made = kw._terms_part(tokens, TOKENIZER, model.phrases_, groups, model.respelt_)
    stored = kw._stored_terms(made.table, groups)
    for name in ("terms", "groups"):
        assert getattr(stored, name) == getattr(made.counts, name), name
    for name in ("indptr", "term_index", "counts", "group_indptr", "group_index"):
        assert np.array_equal(getattr(stored, name), getattr(made.counts, name)), name
