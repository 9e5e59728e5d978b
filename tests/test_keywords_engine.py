"""The keyword stage gives the same files whatever runs its batches: this process or a pool of processes."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis import keywords as kw
from analysis.clean import ARTICLES_FILE, TOKENS_FILE
from analysis.engine import PoolEngine, SerialEngine
from analysis.io.store import PART_GLOB, open_parquet, part_name
from analysis.tokens import LEXICON_FILE, Tokenizer, read_lexicon
from tests.conftest import output_bytes
from tests.test_keywords_reference import clean_demo

OUTPUTS = (kw.TERMS_FILE, kw.PHRASES_FILE, kw.DISTINCTIVE_FILE, kw.RISING_FILE)


@pytest.fixture(scope="module")
def processed(tmp_path_factory, options):
    return clean_demo(tmp_path_factory.mktemp("demo_processed"), options)


def _stage(processed, out, options, **kwargs):
    interim = out / ".interim"
    interim.mkdir(parents=True)
    keyword_options = kwargs.pop("keyword_options", options.keywords)
    counts = kw.run_stage(
        processed / ARTICLES_FILE,
        processed / TOKENS_FILE,
        out,
        interim,
        keyword_options,
        Tokenizer(options.tokens),
        **kwargs,
    )
    assert not list(interim.glob("*.pkl")), "the shared context files are removed"
    return counts


def _same_files(a, b, names):
    """The same bytes in each file; for a folder of parts, the same parts with the same bytes."""
    for name in names:
        if (a / name).is_dir():
            parts = sorted(p.name for p in (a / name).iterdir())
            assert parts == sorted(p.name for p in (b / name).iterdir()), name
            _same_files(a / name, b / name, parts)
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_pool_of_processes_writes_the_same_files(processed, tmp_path, options):
    serial = _stage(processed, tmp_path / "serial", options, engine=SerialEngine(), batch_size=7)
    with PoolEngine(2) as engine:
        pooled = _stage(processed, tmp_path / "pool", options, engine=engine, batch_size=7)
        # The same workers again (their lexicons warm): still the same files.
        again = _stage(processed, tmp_path / "again", options, engine=engine, batch_size=7)
    assert serial == pooled == again
    assert serial["phrases"] > 10 and serial["term_frequencies"] > 100
    names = (*OUTPUTS, f".interim/{kw.INTERIM_TERMS_FILE}")
    _same_files(tmp_path / "serial", tmp_path / "pool", names)
    _same_files(tmp_path / "serial", tmp_path / "again", names)


def test_batch_size_and_default_engine_do_not_change_the_tables(processed, tmp_path, options):
    small = _stage(processed, tmp_path / "small", options, batch_size=7)
    whole = _stage(processed, tmp_path / "whole", options)
    assert small == whole
    _same_files(tmp_path / "small", tmp_path / "whole", OUTPUTS)
    # The interim term table: the same rows (a part per batch, read as one table by our reader,
    # pyarrow and pandas alike, in the parts' order).
    folders = [tmp_path / d / ".interim" / kw.INTERIM_TERMS_FILE for d in ("small", "whole")]
    terms = [open_parquet(folder).read() for folder in folders]
    assert terms[0].equals(terms[1])
    assert pq.read_table(folders[0]).select(["article_id", "terms"]).equals(terms[0])
    assert pd.read_parquet(folders[0])["article_id"].tolist() == terms[0].column("article_id").to_pylist()
    assert len(list(folders[0].glob(PART_GLOB))) == open_parquet(folders[0]).metadata.num_row_groups > 5
    assert [p.name for p in folders[1].iterdir()] == [part_name(0)]  # no temp file left


def test_a_stage_that_fails_leaves_the_previous_term_table(processed, tmp_path, options, monkeypatch):
    _stage(processed, tmp_path / "out", options, batch_size=7)
    interim = tmp_path / "out" / ".interim"
    before = {p.name: p.read_bytes() for p in (interim / kw.INTERIM_TERMS_FILE).iterdir()}
    calls = []
    real = kw._terms_part

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("a task fails")
        return real(*args, **kwargs)

    monkeypatch.setattr(kw, "_terms_part", failing)
    with pytest.raises(RuntimeError, match="a task fails"):
        kw.run_stage(
            processed / ARTICLES_FILE,
            processed / TOKENS_FILE,
            tmp_path / "out",
            interim,
            options.keywords,
            Tokenizer(options.tokens),
            batch_size=5,
            engine=SerialEngine(),
        )
    assert {p.name: p.read_bytes() for p in (interim / kw.INTERIM_TERMS_FILE).iterdir()} == before
    assert not [p.name for p in interim.iterdir() if p.name.startswith(".terms")]  # no staged parts left


def test_the_stage_matches_the_in_memory_counts(processed, tmp_path, options):
    """run_stage (batches counted apart, then added up) and count_terms (one counter) agree."""
    from dataclasses import replace

    keyword_options = replace(options.keywords, phrases=False)
    _stage(processed, tmp_path / "out", options, keyword_options=keyword_options, batch_size=5)
    articles = kw.read_meta(processed / ARTICLES_FILE)
    tokens = pq.read_table(processed / TOKENS_FILE, columns=["article_id", "language", "tokens"]).to_pandas()
    counter = kw.count_terms(articles, tokens, keyword_options, tokenizer=Tokenizer(options.tokens))
    written = pq.read_table(tmp_path / "out" / kw.TERMS_FILE).to_pandas()
    table = counter.table(min_count=keyword_options.min_count, top=keyword_options.top_terms)
    assert len(written) == len(table)
    assert written["term"].tolist() == table["term"].tolist()
    assert written["count"].tolist() == table["count"].tolist()
    assert written["docs"].tolist() == table["docs"].tolist()


TEXT = "Le sommet de Paris parle d'intelligence artificielle. L'intelligence artificielle transforme la banque à Paris."


def _small_corpus(folder, n=25):
    """Articles with and without dates, sources, languages and tokens, some copies, in row groups of 3."""
    import datetime as dt

    import pyarrow as pa

    tokenizer = Tokenizer()
    rows = [
        (
            f"a{i}",
            dt.datetime(2024, 1 + i % 6, 1 + i, tzinfo=dt.UTC) if i % 5 else None,
            ["S1", "S2", None][i % 3],
            ["fr", None, "en", "fr"][i % 4],
            tokenizer.tokens(TEXT, "fr") if i % 7 else [],
            f"a{i - 1}" if i % 9 == 8 else None,
        )
        for i in range(n)
    ]
    folder.mkdir(parents=True)
    column = list(zip(*rows, strict=True)) if rows else [[]] * 6
    articles = pa.table(
        {
            "article_id": pa.array(column[0], pa.string()),
            "published": pa.array(column[1], pa.timestamp("us", tz="UTC")),
            "source": pa.array(column[2], pa.string()),
            "language": pa.array(column[3], pa.string()),
            "duplicate_of": pa.array(column[5], pa.string()),
        }
    )
    tokens = pa.table(
        {
            "article_id": pa.array(column[0], pa.string()),
            "language": pa.array(column[3], pa.string()),
            "tokens": pa.array(column[4], pa.list_(pa.string())),
        }
    )
    pq.write_table(articles, folder / ARTICLES_FILE)
    pq.write_table(tokens, folder / TOKENS_FILE, row_group_size=3)
    return folder


@pytest.mark.parametrize("n", [25, 1, 0])
def test_small_row_groups_missing_values_and_empty_tables(tmp_path, options, n):
    from dataclasses import replace

    processed = _small_corpus(tmp_path / "in", n)
    keyword_options = replace(options.keywords, phrase_min_count=2, phrase_min_docs=2, min_count=1)
    serial = _stage(processed, tmp_path / "serial", options, keyword_options=keyword_options, batch_size=4)
    whole = _stage(processed, tmp_path / "whole", options, keyword_options=keyword_options)
    with PoolEngine(2) as engine:
        pooled = _stage(
            processed, tmp_path / "pool", options, keyword_options=keyword_options, batch_size=4, engine=engine
        )
    assert serial == whole == pooled
    _same_files(tmp_path / "serial", tmp_path / "pool", (*OUTPUTS, f".interim/{kw.INTERIM_TERMS_FILE}"))
    _same_files(tmp_path / "serial", tmp_path / "whole", OUTPUTS)
    terms = open_parquet(tmp_path / "serial" / ".interim" / kw.INTERIM_TERMS_FILE).read()
    assert terms.num_rows == n
    if n == 25:
        assert serial["phrases"] > 0 and serial["articles_counted"] == 23  # two copies left out
        assert "sommet de paris" in terms.column("terms").to_pylist()[4]  # a French article, its phrases merged


@pytest.mark.parametrize("limit", [0, 3000, 2**31])
def test_counts_without_the_packed_product(tmp_path, options, processed, monkeypatch, limit):
    """Counts and article counts computed in one product (packed) or two give the same counter:
    every block packed and summed packed (2**31), blocks packed but their larger sums not (3,000
    tokens), nothing packed (0)."""
    articles = kw.read_meta(processed / ARTICLES_FILE)
    tokens = pq.read_table(processed / TOKENS_FILE, columns=["article_id", "language", "tokens"]).to_pandas()
    keyword_options = options.keywords
    whole = kw.count_terms(articles, tokens, keyword_options).table(min_count=1, top=0)
    monkeypatch.setattr(kw.TermCounter, "packed_limit", limit)
    monkeypatch.setattr(kw.TermCounter, "block_entries", 500)  # many blocks, merged
    partial_fit = kw.TermCounter.partial_fit

    def in_batches(self: kw.TermCounter, documents):  # a few articles at a time, as batches come
        documents = list(documents)
        for start in range(0, len(documents), 3):
            partial_fit(self, documents[start : start + 3])
        return self

    monkeypatch.setattr(kw.TermCounter, "partial_fit", in_batches)
    merges: list[bool] = []  # for each sum of two blocks: whether it was packed
    merge_top = kw.TermCounter._merge_top

    def noted(self: kw.TermCounter) -> None:
        merges.append(self._stack[-1][1] is None and self._stack[-2][1] is None)
        merge_top(self)
        merges[-1] = merges[-1] and self._stack[-1][1] is None

    monkeypatch.setattr(kw.TermCounter, "_merge_top", noted)
    blocks = kw.count_terms(articles, tokens, keyword_options).table(min_count=1, top=0)

    pd.testing.assert_frame_equal(whole, blocks, check_exact=True)
    assert len(merges) > 4
    if limit == 0:
        assert not any(merges)
    elif limit == 3000:
        assert any(merges) and not all(merges)
    else:
        assert all(merges)


def test_with_workers_the_stage_leaves_every_tokens_term_for_the_topic_stage(processed, tmp_path, options, monkeypatch):
    from analysis import tokens as tokens_module
    from analysis.config import TopicOptions
    from analysis.tokens import TokenOptions
    from analysis.topics import ThemeMatcher, load_themes

    with PoolEngine(2) as engine:
        _stage(processed, tmp_path / "pool", options, engine=engine, batch_size=7)
    path = tmp_path / "pool" / ".interim" / LEXICON_FILE
    reduced = read_lexicon(path, Tokenizer(options.tokens))
    table = pq.read_table(processed / TOKENS_FILE, columns=["language", "tokens"])
    fresh = Tokenizer(options.tokens)
    for lang, tokens in zip(table["language"].to_pylist(), table["tokens"].to_pylist(), strict=True):
        assert [reduced[lang][t] for t in tokens] == fresh.reduced(tokens, lang)  # every token, its term
    assert read_lexicon(path, Tokenizer(TokenOptions(reduce="stem"))) == {}  # made by other options: unused

    # Theme matching with those terms learnt needs no lemmatiser, and finds the same hits.
    themes = load_themes(TopicOptions().themes, packaged=True)
    languages, token_lists = table["language"].combine_chunks(), table["tokens"].combine_chunks()
    expected = ThemeMatcher(themes, Tokenizer(options.tokens)).hits_many(languages, token_lists)
    learnt = Tokenizer(options.tokens)
    for lang, known in reduced.items():
        learnt.learn_reduced(lang, known)
    matcher = ThemeMatcher(themes, learnt).prepare(reduced)  # the theme words' own tables, as the stage does

    def no_lemmatiser(token: str, lang: str) -> str:
        raise AssertionError(f"{token!r} reduced again")

    monkeypatch.setattr(tokens_module, "_lemma", no_lemmatiser)
    assert matcher.hits_many(languages, token_lists) == expected
    assert any(expected)
    monkeypatch.undo()

    # A one-process run leaves none: not one from an earlier build either.
    stale = tmp_path / "serial" / ".interim"
    stale.mkdir(parents=True)
    path.rename(stale / LEXICON_FILE)
    tokenizer = Tokenizer(options.tokens)
    kw.run_stage(processed / ARTICLES_FILE, processed / TOKENS_FILE, stale.parent, stale, options.keywords, tokenizer)
    assert not (stale / LEXICON_FILE).exists()


def test_cleaning_with_workers_keeps_the_term_of_every_token_it_reduced(processed, tmp_path, options, caplog):
    """Cleaning's workers send back the tokens they reduce: the lexicon then gives every token its
    term; a run whose articles all come from the cache keeps the earlier lexicon; a fresh one does not."""
    from datetime import UTC, datetime

    from analysis.clean import Cleaner
    from analysis.tokens import write_lexicon

    ingested = processed / ".interim" / "ingest" / ARTICLES_FILE
    lexicon, cache = tmp_path / LEXICON_FILE, tmp_path / "cache"
    table = pq.read_table(processed / TOKENS_FILE, columns=["language", "tokens"])
    fresh = Tokenizer(options.tokens)

    def terms() -> dict:
        reduced = read_lexicon(lexicon, Tokenizer(options.tokens))
        for lang, tokens in zip(table["language"].to_pylist(), table["tokens"].to_pylist(), strict=True):
            assert [reduced[lang][t] for t in tokens] == fresh.reduced(tokens, lang)
        return reduced

    cleaner = Cleaner.from_options(options, now=datetime(2026, 1, 1, tzinfo=UTC))
    with PoolEngine(2) as engine:
        cleaner.run(ingested, tmp_path / "out", tmp_path, engine, cache=cache, lexicon=lexicon)
        first = terms()
        write_lexicon(lexicon, {**first, "xx": {"token": "term"}}, fresh)  # an entry no run reduces
        cleaner.run(ingested, tmp_path / "out", tmp_path, engine, cache=cache, lexicon=lexicon)
        assert terms() == {**first, "xx": {"token": "term"}}  # nothing reduced again; the earlier kept
        cleaner.run(ingested, tmp_path / "out", tmp_path, engine, cache=cache, lexicon=lexicon, fresh=True)
        assert terms() == first
        # A damaged earlier lexicon: a warning names it, and what this run reduced is kept.
        lexicon.write_bytes(b"not parquet")
        cleaner.run(ingested, tmp_path / "out", tmp_path, engine, cache=tmp_path / "other-cache", lexicon=lexicon)
        assert terms() == first
        assert str(lexicon) in caplog.text and "unreadable" in caplog.text
    assert output_bytes(tmp_path / "out" / TOKENS_FILE) == output_bytes(processed / TOKENS_FILE)


def test_without_phrases_a_pool_run_leaves_the_lexicon_cleaning_made(processed, tmp_path, options):
    from dataclasses import replace

    from analysis.tokens import write_lexicon

    interim = tmp_path / "pool" / ".interim"
    interim.mkdir(parents=True)
    write_lexicon(interim / LEXICON_FILE, {"fr": {"chevaux": "cheval"}}, Tokenizer(options.tokens))
    no_phrases = replace(options.keywords, phrases=False)
    with PoolEngine(2) as engine:
        kw.run_stage(
            processed / ARTICLES_FILE,
            processed / TOKENS_FILE,
            interim.parent,
            interim,
            no_phrases,
            Tokenizer(options.tokens),
            engine=engine,
        )
    assert read_lexicon(interim / LEXICON_FILE, Tokenizer(options.tokens)) == {"fr": {"chevaux": "cheval"}}


def test_a_damaged_lexicon_is_not_read(tmp_path, options, caplog):
    path = tmp_path / LEXICON_FILE
    path.write_bytes(b"not parquet")
    assert read_lexicon(path, Tokenizer(options.tokens)) == {}
    assert str(path) in caplog.text and "unreadable" in caplog.text


def test_every_token_of_a_batch_per_language_as_read_from_parquet(tmp_path):
    """The first pass's distinct tokens of a batch: per language (none is one), from row groups read
    as dictionaries (which may hold entries the batch's rows do not use), each token once."""
    import pyarrow as pa

    rows = [
        ("a", "fr", ["le", "roi", "le", "maroc"]),
        ("b", "en", ["the", "king"]),
        ("c", None, ["xx", "le"]),
        ("d", "fr", ["rabat", "roi"]),
        ("e", "fr", ["unused", "elsewhere"]),
    ]
    table = pa.table(
        {
            "article_id": [r[0] for r in rows],
            "language": pa.array([r[1] for r in rows], pa.string()),
            "tokens": pa.array([r[2] for r in rows], pa.list_(pa.string())),
        }
    )
    path = tmp_path / "tokens.parquet"
    pq.write_table(table, path, row_group_size=3)  # two row groups, each with its dictionary
    batch = kw._read_task(str(path), (0, 1), 0, 4, ["article_id", "language", "tokens"])  # not the last row
    found = kw._distinct_tokens(batch)
    assert {lang: tokens.to_pylist() for lang, tokens in found.items()} == {
        "fr": ["le", "roi", "maroc", "rabat"],
        "en": ["the", "king"],
        None: ["xx", "le"],
    }


def test_the_vocabulary_keeps_each_token_once_in_order_of_first_appearance(monkeypatch):
    import pyarrow as pa

    monkeypatch.setattr(kw._Vocabulary, "fold_at", 3)  # folded every few batches
    vocabulary = kw._Vocabulary()
    batches = [["b", "a"], ["a", "c"], ["d"], ["c", "b", "e"], ["f", "a"]]
    for batch in batches:
        vocabulary.add("fr", pa.array(batch, pa.string()))
        vocabulary.add(None, pa.array(batch[::-1], pa.string()))
    assert vocabulary.lists() == {
        "fr": ["b", "a", "c", "d", "e", "f"],
        None: ["a", "b", "c", "d", "e", "f"],
    }
