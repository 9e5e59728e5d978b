"""The topic stage on several processes: the same bytes as on one, whatever the row groups of its inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis import topics
from analysis.config import Options, Paths
from analysis.engine import PoolEngine, SerialEngine
from analysis.keywords import read_meta
from analysis.pipeline import build
from analysis.tokens import Tokenizer
from tests.conftest import ROOT

NOW = datetime(2026, 1, 1, tzinfo=UTC)
OUTPUTS = (topics.TOPICS_FILE, topics.DOC_TOPICS_FILE, topics.TOPIC_TRENDS_FILE, topics.THEME_TRENDS_FILE)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, options: Options) -> Path:
    out = tmp_path_factory.mktemp("topics-demo")
    build(options, Paths.from_root(ROOT), raw=[ROOT / "data" / "raw"], out_dir=out, now=NOW)
    return out


@pytest.fixture(scope="module")
def small_groups(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's token and term tables rewritten in row groups of 10 articles: several tasks per table."""
    folder = tmp_path_factory.mktemp("small-groups")
    for name, source in (
        ("tokens.parquet", demo / "tokens.parquet"),
        ("terms.parquet", demo / ".interim" / "terms.parquet"),
    ):
        pq.write_table(pq.read_table(source), folder / name, row_group_size=10)
    return folder


def _run(demo: Path, inputs: Path, out: Path, options: Options, engine, batch_size: int = 10, **cache) -> dict:
    out.mkdir()
    return topics.run_stage(
        demo / "articles.parquet",
        inputs / "tokens.parquet",
        inputs / "terms.parquet",
        out,
        options.topics,
        Tokenizer(options.tokens),
        batch_size=batch_size,
        engine=engine,
        **cache,
    )


def test_serial_and_pool_engines_write_the_same_bytes(demo, small_groups, tmp_path, options):
    assert pq.ParquetFile(small_groups / "terms.parquet").metadata.num_row_groups > 4
    serial = _run(demo, small_groups, tmp_path / "serial", options, SerialEngine())
    with PoolEngine(2) as pool:
        pooled = _run(demo, small_groups, tmp_path / "pool", options, pool)
    assert serial == pooled
    for name in OUTPUTS:
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "pool" / name).read_bytes(), name
    assert not [p.name for p in (tmp_path / "pool").iterdir() if p.name.startswith(".")]  # no shared pickle left


def test_row_groups_of_the_inputs_do_not_change_the_tables(demo, small_groups, tmp_path, options):
    # The build read the tables in one row group; here in groups of 10, and in batches of 2 (the stage
    # then copies them into row groups of 2, as it does with a file written in one huge group).
    counts = _run(demo, small_groups, tmp_path / "tens", options, SerialEngine())
    twos = tmp_path / "twos-inputs"
    twos.mkdir()
    (twos / "tokens.parquet").symlink_to(demo / "tokens.parquet")
    (twos / "terms.parquet").symlink_to(demo / ".interim" / "terms.parquet")
    again = _run(demo, twos, tmp_path / "twos", options, SerialEngine(), batch_size=2)
    assert counts == again
    for out in (tmp_path / "tens", tmp_path / "twos"):
        for name in (topics.TOPICS_FILE, topics.TOPIC_TRENDS_FILE, topics.THEME_TRENDS_FILE):
            assert (demo / name).read_bytes() == (out / name).read_bytes(), (out.name, name)
        # doc_topics: the same rows (the files differ in their row groups only)
        assert pq.read_table(out / topics.DOC_TOPICS_FILE).equals(pq.read_table(demo / topics.DOC_TOPICS_FILE))
    assert not list(twos.parent.glob("twos/.topics-*"))  # the copies are removed


def test_streamed_trends_match_the_whole_table_computation(demo, options):
    meta = read_meta(demo / "articles.parquet")
    found = pd.read_parquet(demo / topics.TOPICS_FILE)
    labels = dict(zip(found["topic"], found["label"], strict=True))
    doc_topics = pd.read_parquet(demo / topics.DOC_TOPICS_FILE)
    expected = topics.topic_trends(doc_topics, meta, labels, options.topics.periods)
    got = pd.read_parquet(demo / topics.TOPIC_TRENDS_FILE)
    pd.testing.assert_frame_equal(got, expected.astype(got.dtypes.to_dict()), atol=1.5e-6, check_exact=False)

    themes = topics.load_themes(options.topics.themes, packaged=options.topics.packaged_themes)
    matcher = topics.ThemeMatcher(themes, Tokenizer(options.tokens))
    tokens = pd.read_parquet(demo / "tokens.parquet", columns=["article_id", "language", "tokens"])
    rows = [
        {"article_id": a, "theme": t, "hits": n}
        for a, lang, words in zip(tokens["article_id"], tokens["language"], tokens["tokens"], strict=True)
        for t, n in sorted(matcher.hits(list(words), lang).items())
    ]
    theme_labels = {t: lab for t, (lab, _) in themes.items()}
    expected = topics.theme_trends(
        pd.DataFrame(rows), meta, theme_labels, options.topics.periods, min_hits=options.topics.theme_min_hits
    )
    got = pd.read_parquet(demo / topics.THEME_TRENDS_FILE)
    pd.testing.assert_frame_equal(got, expected.astype(got.dtypes.to_dict()))


def test_matching_a_batch_is_matching_each_article(demo, options):
    themes = topics.load_themes(options.topics.themes, packaged=options.topics.packaged_themes)
    tokenizer = Tokenizer(options.tokens)
    table = pq.read_table(demo / "tokens.parquet", columns=["language", "tokens"])
    batch = topics.ThemeMatcher(themes, tokenizer).hits_many(
        table["language"].combine_chunks(), table["tokens"].combine_chunks()
    )
    one_by_one = topics.ThemeMatcher(themes, tokenizer)
    pairs = list(zip(table["language"].to_pylist(), table["tokens"].to_pylist(), strict=True))
    assert batch == [one_by_one.hits(words, lang) for lang, words in pairs]
    assert batch == [_reference_hits(one_by_one, words, lang) for lang, words in pairs]
    assert sum(bool(found) for found in batch) > 30


def _reference_hits(matcher: topics.ThemeMatcher, tokens: list[str], lang: str | None) -> dict[str, int]:
    """The plain algorithm: at every token, the longest key starting there, else the next token."""
    table = matcher._table(lang)
    words = {number: word for word, number in table.words.items()}
    keys = {tuple(words[n] for n in key): themes for key, themes in table.keys.items()}
    stream = matcher._stream(tokens, lang)
    found: dict[str, int] = {}
    i = 0
    while i < len(stream):
        for size in table.sizes:
            themes = keys.get(tuple(stream[i : i + size]))
            if themes:
                for theme_id in themes:
                    found[theme_id] = found.get(theme_id, 0) + 1
                i += size
                break
        else:
            i += 1
    return found


def test_articles_in_rare_languages_matched_by_this_process(demo, small_groups, tmp_path, options, monkeypatch):
    monkeypatch.setattr(topics, "RARE_LANGUAGE", 0.25)  # English and Arabic: left by the workers to this process
    with PoolEngine(2) as pool:
        counts = _run(demo, small_groups, tmp_path / "rare", options, pool)
    assert (
        counts["articles_on_a_theme"]
        == _run(demo, small_groups, tmp_path / "all", options, SerialEngine())["articles_on_a_theme"]
    )
    for name in OUTPUTS:
        assert (tmp_path / "rare" / name).read_bytes() == (tmp_path / "all" / name).read_bytes(), name


def test_a_task_with_articles_in_rare_languages_is_read_back_whole(demo, small_groups, tmp_path, options, monkeypatch):
    """A theme task whose articles in a rare language this process matched is stored whole once it
    has: the next run reads every task's themes back, no token read and no article left to this
    process; the files are those of a run without cache."""
    from analysis import engine
    from tests.conftest import count_reads

    monkeypatch.setattr(topics, "RARE_LANGUAGE", 0.25)  # English and Arabic: left by the workers to this process
    tasks = pq.ParquetFile(small_groups / "tokens.parquet").num_row_groups
    tokens_read = count_reads(monkeypatch, engine, "tokens")
    left: list[int] = []  # the articles each task left to this process
    counts = topics._theme_counts

    def counting(context, batch, at, which, many, uses, deferred=None):
        if deferred is not None:
            left.append(deferred.num_rows)
        return counts(context, batch, at, which, many, uses, deferred)

    monkeypatch.setattr(topics, "_theme_counts", counting)
    cache, used = tmp_path / "cache", {}
    _run(demo, small_groups, tmp_path / "first", options, SerialEngine(), cache=cache, cache_counts=used)
    assert left and tokens_read
    left.clear()
    tokens_read.clear()
    _run(demo, small_groups, tmp_path / "again", options, SerialEngine(), cache=cache, cache_counts=used)
    assert left == [] and tokens_read == []
    assert used["themes"] == {"hits": tasks, "added": 0}
    _run(demo, small_groups, tmp_path / "plain", options, SerialEngine())
    for name in OUTPUTS:
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes(), name
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes(), name


def test_theme_tasks_read_back_give_the_same_files(demo, small_groups, tmp_path, options, monkeypatch):
    """A theme task whose rows an earlier build's task had reads their themes back (themes cache)
    without reading their tokens; one changed article makes its task alone match again; the files
    are those of a run without cache. A topics task's weights are read back alike (the same model,
    the same term rows)."""
    import pyarrow as pa

    from analysis import engine
    from tests.conftest import count_reads

    cache = tmp_path / "cache"
    tasks = pq.ParquetFile(small_groups / "tokens.parquet").num_row_groups
    weighed = pq.ParquetFile(small_groups / "terms.parquet").num_row_groups
    tokens_read = count_reads(monkeypatch, engine, "tokens")

    def run(name: str, inputs: Path, **kwargs) -> tuple[dict, dict[str, bytes]]:
        tokens_read.clear()
        counts = _run(demo, inputs, tmp_path / name, options, SerialEngine(), **kwargs)
        return counts, {n: (tmp_path / name / n).read_bytes() for n in OUTPUTS}

    used: dict[str, dict[str, int]] = {}
    first = run("first", small_groups, cache=cache, cache_counts=used)
    languages = used["theme_tables"]["added"]  # each language's theme words, reduced once
    assert languages >= 2
    assert used == {
        "themes": {"hits": 0, "added": tasks},
        "theme_tables": {"hits": 0, "added": languages},
        "topic_weights": {"hits": 0, "added": weighed},
    }
    assert run("again", small_groups, cache=cache, cache_counts=used) == first
    assert used == {
        "themes": {"hits": tasks, "added": 0},
        "theme_tables": {"hits": languages, "added": 0},
        "topic_weights": {"hits": weighed, "added": 0},
    }
    assert tokens_read == []

    # a dated original article without a theme gets one: its task alone is matched again
    meta = read_meta(demo / "articles.parquet")
    plain = set(meta.loc[meta["published"].notna() & meta["duplicate_of"].isna(), "article_id"])
    table = pq.read_table(small_groups / "tokens.parquet")
    row = next(i for i, a in enumerate(table["article_id"].to_pylist()) if a in plain and i >= 10)
    tokens = table["tokens"].to_pylist()
    tokens[row] = [*tokens[row], "sécheresse", "sécheresse", "barrage", "pluie"]
    table = table.set_column(
        table.schema.get_field_index("tokens"),
        table.schema.field("tokens"),
        pa.array(tokens, table.schema.field("tokens").type),
    )
    changed_inputs = tmp_path / "changed-inputs"
    changed_inputs.mkdir()
    pq.write_table(table, changed_inputs / "tokens.parquet", row_group_size=10)
    (changed_inputs / "terms.parquet").symlink_to(small_groups / "terms.parquet")
    changed = run("changed", changed_inputs, cache=cache, cache_counts=used)
    # (matched with the tables read back)
    assert used == {
        "themes": {"hits": tasks - 1, "added": 1},
        "theme_tables": {"hits": languages, "added": 0},
        "topic_weights": {"hits": weighed, "added": 0},  # (the same terms)
    }
    assert tokens_read == [(row // 10,)]  # the changed article's task alone read its tokens
    assert changed == run("uncached", changed_inputs)
    assert changed[1][topics.THEME_TRENDS_FILE] != first[1][topics.THEME_TRENDS_FILE]
