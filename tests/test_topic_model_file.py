"""A saved topic model: written by every build, read back to the same bits, applied by a later build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from analysis import topics as tp
from analysis.cli import app
from analysis.config import Options
from analysis.io.ingest import InputError
from analysis.plots import topics_table
from tests.conftest import ROOT, build_demo
from tests.test_topics import _documents

OUTPUTS = (tp.TOPICS_FILE, tp.DOC_TOPICS_FILE, tp.TOPIC_TRENDS_FILE, tp.THEME_TRENDS_FILE, tp.TOPIC_MODEL_FILE)


@pytest.mark.parametrize("kind", ["nmf", "lda"])
def test_a_saved_model_weighs_articles_to_the_same_bits(tmp_path: Path, kind: str) -> None:
    docs = _documents()
    model = tp.TopicModel(tp.TopicOptions(model=kind, min_topics=2, max_topics=5, min_df=2)).fit(docs)
    model.save(tmp_path / "model.parquet")
    loaded = tp.TopicModel.load(tmp_path / "model.parquet", tp.TopicOptions())  # the file's kind, not the options'
    assert loaded.options.model == kind and loaded.n_topics_ == model.n_topics_
    probe = [*docs[:40], ["barrage", "stade", "inconnu"], ["inconnu"]]
    assert np.array_equal(loaded.transform(probe), model.transform(probe))
    assert loaded.top_terms() == model.top_terms()
    assert np.array_equal(loaded.coherence_, model.coherence_) and loaded.scores_ == model.scores_
    # read and written again: the same bytes (a build that reads its own folder's model rewrites it)
    loaded.save(tmp_path / "again.parquet")
    assert (tmp_path / "again.parquet").read_bytes() == (tmp_path / "model.parquet").read_bytes()
    table = pd.read_parquet(tmp_path / "model.parquet")
    assert list(table.columns) == ["term", "idf", "weights"]
    assert table["weights"].map(len).eq(model.n_topics_).all()
    assert table["idf"].isna().all() == (kind == "lda")


def test_a_file_that_is_no_model_is_an_error_naming_it(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.parquet"
    garbage.write_bytes(b"not parquet at all")
    with pytest.raises(tp.TopicModelError, match=r"garbage\.parquet: not a readable Parquet file"):
        tp.TopicModel.load(garbage)
    other = tmp_path / "topics.parquet"
    pq.write_table(pa.table({"topic": [0], "label": ["x"]}), other)
    with pytest.raises(tp.TopicModelError, match=r"topics\.parquet: not a topic model"):
        tp.TopicModel.load(other)
    model = tp.TopicModel(tp.TopicOptions(min_topics=2, max_topics=3, min_df=2)).fit(_documents())
    model.save(tmp_path / "model.parquet")
    table = pq.read_table(tmp_path / "model.parquet")
    cut = table.set_column(2, "weights", pa.array([w[:1] for w in table["weights"].to_pylist()]))
    pq.write_table(cut.replace_schema_metadata(table.schema.metadata), tmp_path / "cut.parquet")
    with pytest.raises(tp.TopicModelError, match=r"cut\.parquet: .*needs a weight per topic"):
        tp.TopicModel.load(tmp_path / "cut.parquet")
    with pytest.raises(tp.TopicModelError, match="no such file"):
        tp.model_input(tp.TopicOptions(model_file="nowhere/topic_model.parquet"), tmp_path)


def _build(out: Path, options: Options, **changes: object) -> dict:
    return build_demo(out, options, topics=changes)


def test_a_build_with_an_earlier_build_s_model_has_its_topics(tmp_path: Path, options: Options, built_demo) -> None:
    first, manifest = built_demo
    assert manifest["counts"]["topics"]["coherence_by_k"]  # (fitted: numbers of topics were tried)
    assert "topic-model" in {r["name"] for r in json.loads((first / "datapackage.json").read_text())["resources"]}
    model_file = tmp_path / "kept" / "model.parquet"
    model_file.parent.mkdir()
    shutil.copyfile(first / tp.TOPIC_MODEL_FILE, model_file)
    # another number of topics and kind asked: the model's own are kept, nothing is fitted
    again = _build(tmp_path / "out", options, model_file=str(model_file), n_topics=3, model="lda")
    found = again["counts"]["topics"]
    assert found["model_file"] == str(model_file) and found["model"] == "nmf"
    assert found["n_topics"] == manifest["counts"]["topics"]["n_topics"] and found["coherence_by_k"] == {}
    for name in OUTPUTS:  # the same articles, the same model: the same files
        assert (tmp_path / "out" / name).read_bytes() == (first / name).read_bytes(), name
    table = pd.read_parquet(tmp_path / "out" / tp.TOPICS_FILE)
    caption = str(topics_table(table, model_file=found["model_file"]))
    assert "read from model.parquet" in caption
    # the articles the model leaves without a topic, said; a warning once they are half or more
    placed = (found["articles_without_topic"], found["articles_counted"])
    caption = str(topics_table(table, model_file=found["model_file"], without_topic=placed))
    assert f"{placed[0]:,} of the {placed[1]:,} articles counted hold none of its terms" in caption
    assert "most likely fitted on other texts" not in caption
    caption = str(topics_table(table, model_file=found["model_file"], without_topic=(5, 10)))
    assert "5 of the 10 articles counted" in caption and "most likely fitted on other texts" in caption
    assert "articles counted" not in str(topics_table(table, without_topic=(5, 10)))  # (a model fitted here)


def test_the_topic_stage_runs_again_when_the_model_file_changes(tmp_path: Path, options: Options, built_demo) -> None:
    first, _ = built_demo
    out = tmp_path / "out"
    kept = out / tp.TOPIC_MODEL_FILE  # the build's own model, pinned: it rewrites it to the same bytes
    shutil.copytree(first, out)
    shown = _build(out, options, model_file=str(kept))
    assert shown["run"]["reused"] == ["ingest", "clean", "countries", "keywords"]
    again = _build(out, options, model_file=str(kept))
    assert again["run"]["reused"] == ["ingest", "clean", "countries", "keywords", "topics"]
    # another model at the same path: the topics are computed again with it
    tp.TopicModel(tp.TopicOptions(n_topics=3, min_df=2)).fit(_documents()).save(kept)
    other = _build(out, options, model_file=str(kept))
    assert "topics" not in other["run"]["reused"] and other["counts"]["topics"]["n_topics"] == 3
    # a model of other words (dams, stadiums, banks) places fewer of the demo's articles, and says so
    own, foreign = (run["counts"]["topics"]["articles_without_topic"] for run in (shown, other))
    assert own < foreign < other["counts"]["keywords"]["articles_counted"]
    assert other["counts"]["topics"]["articles_counted"] == other["counts"]["keywords"]["articles_counted"]


def test_a_model_that_knows_too_few_of_the_corpus_terms_is_warned_about() -> None:
    counts = {"model_file": "m.parquet", "articles_counted": 10, "articles_without_topic": 4}
    assert tp.foreign_model_warning(counts) is None  # under half
    warning = tp.foreign_model_warning({**counts, "articles_without_topic": 5})
    assert warning is not None and "5 of the 10 articles counted (50%)" in warning and "m.parquet" in warning
    assert tp.foreign_model_warning({**counts, "model_file": None, "articles_without_topic": 9}) is None  # fitted here
    assert tp.foreign_model_warning({"articles_counted": 0, "articles_without_topic": 0, "model_file": "m"}) is None


def test_a_missing_or_broken_model_stops_the_build_before_it_starts(tmp_path: Path, options: Options) -> None:
    with pytest.raises(InputError, match=r"topics\.model_file: .*nowhere\.parquet: no such file"):
        _build(tmp_path / "out", options, model_file=str(tmp_path / "nowhere.parquet"))
    broken = tmp_path / "broken.parquet"
    broken.write_text("{}")
    with pytest.raises(InputError, match=r"broken\.parquet: not a readable Parquet file"):
        _build(tmp_path / "out", options, model_file=str(broken))
    assert not (tmp_path / "out").exists()


def test_the_topics_command_reads_a_model_too(tmp_path: Path, built_demo, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = built_demo
    folder = tmp_path / "processed"
    shutil.copytree(first, folder)
    model = tp.TopicModel(tp.TopicOptions(n_topics=3, min_df=2)).fit(_documents())
    model.save(tmp_path / "three.parquet")
    monkeypatch.setenv("ANALYSIS_ROOT", str(ROOT))
    result = CliRunner().invoke(
        app, ["topics", "--processed", str(folder), "--topic-model", str(tmp_path / "three.parquet")]
    )
    assert result.exit_code == 0, result.output
    assert "3 topics (nmf" in result.output
    assert pd.read_parquet(folder / tp.TOPICS_FILE)["n_topics"].eq(3).all()
    assert "warning" not in result.output  # (a model of other words, but some of the demo's are among them)
    # a model of words no article holds: every article without a topic, and the command says why
    made_up = [[f"zq{i % 7}x", f"vw{i % 5}k", f"pf{i % 3}j"] for i in range(40)]
    tp.TopicModel(tp.TopicOptions(n_topics=2, min_df=2)).fit(made_up).save(tmp_path / "made_up.parquet")
    result = CliRunner().invoke(
        app, ["topics", "--processed", str(folder), "--topic-model", str(tmp_path / "made_up.parquet")]
    )
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "warning:" in said and "(100%) hold none of the terms of the topic model read from" in said
    result = CliRunner().invoke(app, ["topics", "--processed", str(folder), "--topic-model", str(tmp_path / "x")])
    assert result.exit_code != 0 and "x: no such file" in " ".join(result.output.split())
