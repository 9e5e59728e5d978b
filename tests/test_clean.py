"""The build on the demo corpus: every output exists, is valid, documented and deterministic."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis.clean import (
    detect_language,
    mark_duplicates,
    normalise_articles,
    read_table,
    remove_boilerplate,
    tokenize_articles,
)
from analysis.config import Paths
from analysis.io import read_articles
from analysis.pipeline import build
from analysis.schema import (
    BOILERPLATE_COLUMNS,
    CLEAN_COLUMNS,
    COUNTRY_MENTION_COLUMNS,
    COUNTRY_PERIOD_COLUMNS,
    KEYWORD_MODEL_COLUMNS,
    TOKEN_COLUMNS,
    TOPIC_MODEL_COLUMNS,
    validate_articles,
)
from analysis.tokens import BREAK
from tests.conftest import ROOT, output_bytes

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def built(tmp_path_factory, options):
    out = tmp_path_factory.mktemp("processed")
    result = build(options, Paths.from_root(ROOT), out_dir=out, now=NOW)
    return out, result


def test_outputs_exist_and_are_valid(built):
    out, _result = built
    for name in (
        "articles.parquet",
        "tokens.parquet",
        "boilerplate.parquet",
        "rejects.jsonl",
        "ingest_stats.json",
        "manifest.json",
        "datapackage.json",
    ):
        assert (out / name).exists(), name
    assert (out / "tokens.parquet").is_dir()  # a folder of parts, one per batch, read as one table
    assert sorted(p.name for p in (out / "tokens.parquet").iterdir()) == [
        ".part-chunks.json",
        ".part-keys.json",
        "part-000000.parquet",
    ]
    articles = pq.read_table(out / "articles.parquet")
    validate_articles(articles, columns=CLEAN_COLUMNS, now=NOW)
    assert articles.num_rows == 72
    assert pq.read_table(out / "tokens.parquet").column_names == [c.name for c in TOKEN_COLUMNS]
    assert pq.read_table(out / "boilerplate.parquet").column_names == [c.name for c in BOILERPLATE_COLUMNS]


def test_clean_text_and_metadata(built):
    out, _ = built
    df = read_table(out / "articles.parquet")
    assert not df.text.str.contains("Découvrir davantage", regex=False).any()
    assert not df.text.str.contains("Mots Clés", regex=False).any()
    assert not df.text.str.contains("’", regex=False).any()  # one apostrophe
    assert not df.text.str.contains("\u00a0", regex=False).any()
    assert not df.text.str.contains("\u00ad", regex=False).any()
    assert (df.chars_removed <= df.chars_raw).all()
    assert df.language.value_counts().to_dict() == {"fr": 56, "en": 14, "ar": 2}
    assert set(df.language_from) == {"detected"}
    script = df[df.title == "<script>alert(1)</script><img src=x onerror=alert(2)>"]
    assert len(script) == 2 and script.text.map(lambda t: isinstance(t, str)).all()
    assert (df.n_terms <= df.n_tokens).all() and (df.n_tokens > 0).all()


def test_a_locution_is_one_token_whose_words_are_counted(built):
    """`dans le cadre`, `au niveau`... are one token each and no term; `n_tokens` counts their words."""
    out, _ = built
    tokens = read_table(out / "tokens.parquet")
    articles = read_table(out / "articles.parquet").set_index("article_id")
    joined = tokens[tokens.tokens.map(lambda ts: any(" " in t for t in ts))]
    assert len(joined) > 0
    for row in joined.itertuples():
        words = [w for t in row.tokens if t != BREAK for w in t.split(" ")]
        assert articles.loc[row.article_id, "n_tokens"] == len(words)
        assert not any(" " in term for term in row.terms)
    frame = pd.DataFrame(
        {"title": ["Le cadre"], "text": ["Dans le cadre de la réunion, au niveau national."], "language": ["fr"]}
    )
    done = tokenize_articles(frame)
    assert list(done.tokens[0]) == [
        "le",
        "cadre",
        BREAK,
        "dans le cadre",
        "de",
        "la",
        "réunion",
        BREAK,
        "au niveau",
        "national",
    ]
    assert list(done.terms[0]) == ["cadre", "réunion", "national"]
    assert done.n_tokens[0] == 11


def test_the_wire_story_is_marked_not_dropped(built):
    out, result = built
    df = read_table(out / "articles.parquet")
    copies = df[df.duplicate_of.notna()]
    assert len(copies) == 1
    canonical = df[df.article_id == copies.iloc[0].duplicate_of].iloc[0]
    assert canonical.copies == 1
    assert {canonical.source, copies.iloc[0].source} == {"Atlas Actu", "Le Courrier du Détroit"}
    assert result.manifest["counts"]["unique_articles"] == 71


def test_audit_accounts_for_removed_characters(built):
    out, _ = built
    df = read_table(out / "articles.parquet")
    audit = read_table(out / "boilerplate.parquet")
    per_article = audit.groupby("article_id")["chars"].sum()
    removed = df.set_index("article_id").chars_removed
    assert per_article.reindex(removed.index, fill_value=0).astype("int64").tolist() == removed.astype("int64").tolist()
    assert audit.reason.str.startswith("rule:").any()


def test_manifest_and_datapackage(built):
    out, _ = built
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["inputs_sha256"]) == 64
    assert manifest["counts"]["ingest"]["records"] == {"read": 77, "kept": 72, "rejected": 5}
    assert manifest["counts"]["clean"]["articles"] == 72
    assert manifest["versions"]["pandas"]
    assert manifest["options"]["duplicates"]["threshold"] == 0.4
    package = json.loads((out / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {
        "articles",
        "tokens",
        "boilerplate",
        "rejects",
        "country-mentions",
        "region-mentions",
        "country-periods",
        "country-pairs",
        "term-frequencies",
        "phrases",
        "distinctive-terms",
        "rising-terms",
        "topics",
        "doc-topics",
        "topic-trends",
        "theme-trends",
        "keyword-model",  # (a build with phrases, and one with topics, saves its models)
        "topic-model",
    }
    for resource in resources.values():
        paths = resource["path"] if isinstance(resource["path"], list) else [resource["path"]]
        assert all((out / path).is_file() for path in paths), resource["path"]
    assert resources["tokens"]["path"] == ["tokens.parquet/part-000000.parquet"]  # a multipart resource
    for name, columns in (
        ("articles", CLEAN_COLUMNS),
        ("tokens", TOKEN_COLUMNS),
        ("boilerplate", BOILERPLATE_COLUMNS),
        ("country-mentions", COUNTRY_MENTION_COLUMNS),
        ("country-periods", COUNTRY_PERIOD_COLUMNS),
        ("keyword-model", KEYWORD_MODEL_COLUMNS),
        ("topic-model", TOPIC_MODEL_COLUMNS),
    ):
        fields = resources[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == [c.name for c in columns]
        assert all(f["description"] for f in fields)


def test_rebuild_is_byte_identical(built, tmp_path, options):
    out, _ = built
    again = tmp_path / "again"
    build(options, Paths.from_root(ROOT), out_dir=again, now=NOW)
    for name in (
        "articles.parquet",
        "tokens.parquet",
        "boilerplate.parquet",
        "rejects.jsonl",
        "ingest_stats.json",
        "datapackage.json",
        "country_mentions.parquet",
        "region_mentions.parquet",
        "country_periods.parquet",
        "country_pairs.parquet",
        "term_frequencies.parquet",
        "topics.parquet",
        "doc_topics.parquet",
        "theme_trends.parquet",
    ):
        assert output_bytes(out / name) == output_bytes(again / name), name
    first, second = (json.loads((d / "manifest.json").read_text()) for d in (out, again))
    first.pop("run"), second.pop("run")
    first.pop("inputs"), second.pop("inputs")
    assert first == second


def test_csv_on_request(tmp_path, options):
    from dataclasses import replace

    with_csv = replace(options, output=replace(options.output, csv=True))
    build(with_csv, Paths.from_root(ROOT), out_dir=tmp_path / "p", now=NOW)
    csv = pd.read_csv(tmp_path / "p" / "articles.csv")
    assert len(csv) == 72 and "duplicate_of" in csv.columns


def test_pandas_steps_for_notebooks(tmp_path, ingest_options):
    from tests.io.helpers import run

    df, _, _ = run(ROOT / "data" / "raw" / "atlas-actu", tmp_path / "o", ingest_options)
    before = df.copy()
    out = (
        df.pipe(normalise_articles)
        .pipe(remove_boilerplate)
        .pipe(detect_language)
        .pipe(tokenize_articles)
        .pipe(mark_duplicates)
    )
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert {"chars_removed", "language_from", "tokens", "terms", "duplicate_of", "copies"} <= set(out.columns)
    assert not out.text.str.contains("Lire Aussi", case=False, regex=False).any()
    assert (out.language == "fr").all()


def test_clean_command_reuses_the_loaded_table(tmp_path):
    from typer.testing import CliRunner

    from analysis.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(ROOT / "data" / "raw"), "--out", str(tmp_path / "in")]).exit_code == 0
    result = runner.invoke(app, ["clean", "--articles", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "72 (71 unique" in result.output
    assert len(read_articles(tmp_path / "out")) == 72
    missing = runner.invoke(app, ["clean", "--articles", str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "no loaded table" in missing.output


def test_small_batches_give_the_same_table(built, tmp_path, options):
    """Duplicates whose canonical article sits in another batch are still valid (regression)."""
    from dataclasses import replace

    out, _ = built
    small = replace(options, ingest=replace(options.ingest, batch_size=5))
    build(small, Paths.from_root(ROOT), out_dir=tmp_path / "small", now=NOW)
    pd.testing.assert_frame_equal(
        read_table(out / "articles.parquet"), read_table(tmp_path / "small" / "articles.parquet")
    )
    assert read_table(tmp_path / "small" / "articles.parquet").duplicate_of.notna().sum() == 1
    for name in ("term_frequencies.parquet", "phrases.parquet", "topics.parquet", "doc_topics.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(tmp_path / "small" / name))


def test_boilerplate_observations_count_as_partial_fit_does(tmp_path, options) -> None:
    """Pass 1 observes texts in other processes (pickled) and counts here: the same lines learnt."""
    import pickle

    from analysis.boilerplate import BoilerplateOptions, BoilerplateRemover
    from analysis.io import ingest
    from analysis.text import normalise

    ingest([ROOT / "data" / "raw"], tmp_path, options.ingest)
    table = read_articles(tmp_path)
    texts = [normalise(t) if isinstance(t, str) and t else None for t in table["text"]]
    sources = [str(s) for s in table["source"]]
    texts += texts[:3]  # exact copies count once, in both
    sources += sources[:3]
    options = BoilerplateOptions(repeat_min_articles=2, repeat_min_share=0.05)
    direct = BoilerplateRemover(options).partial_fit([t or "" for t in texts], sources)
    observer = pickle.loads(pickle.dumps(BoilerplateRemover(options)))
    observed = pickle.loads(pickle.dumps([observer.observe(t) for t in texts]))
    counted = BoilerplateRemover(options).count(zip(sources, observed, strict=True))
    direct._finish()
    counted._finish()
    assert direct.repeated_ == counted.repeated_ and direct.signatures_ == counted.signatures_
    assert any(direct.repeated_.values())  # something was learnt, so the comparison means something


def test_a_removal_is_reused_only_when_the_sources_answers_hold(tmp_path, options) -> None:
    """Whatever a source learns later, a recorded removal whose answers hold is what cleaning gives."""
    import random

    from analysis.boilerplate import BoilerplateOptions, BoilerplateRemover
    from analysis.io import ingest
    from analysis.text import normalise

    ingest([ROOT / "data" / "raw"], tmp_path, options.ingest)
    table = read_articles(tmp_path)
    rows = [
        (normalise(t) if isinstance(t, str) and t else None, normalise(h) if isinstance(h, str) and h else None, str(s))
        for t, h, s in zip(table["text"], table["title"], table["source"], strict=True)
    ]
    settings = BoilerplateOptions(repeat_min_articles=2, repeat_min_share=0.05)
    before = BoilerplateRemover(settings).partial_fit([t or "" for t, _, _ in rows], [s for _, _, s in rows])
    before._finish()
    recorded = []
    for text, title, source in rows:
        record: list[tuple[int, int, bool]] = []
        recorded.append((before.clean(text, source, title, record=record), record))
    assert any(answer for _, record in recorded for _, _, answer in record)  # some lines were found learnt
    rng = random.Random(7)
    held = changed = 0
    for trial in range(6):
        after = BoilerplateRemover(settings).partial_fit([t or "" for t, _, _ in rows], [s for _, _, s in rows])
        after._finish()
        # what the sources learnt changes: keys dropped, keys of these very articles added
        every_key = sorted({key for _, record in recorded for kind, key, _ in record if kind < 2})
        for source in list(after.repeated_):
            kept = {k for k in after.repeated_[source] if rng.random() < 0.5 + trial / 12}
            after.repeated_[source] = frozenset(kept | set(rng.sample(every_key, min(len(every_key), trial))))
        for source in list(after.signatures_):
            after.signatures_[source] = frozenset(k for k in after.signatures_[source] if rng.random() < 0.7)
        for (result, record), (text, title, source) in zip(recorded, rows, strict=True):
            if after.answers_hold(source, record):
                held += 1
                assert after.clean(text, source, title) == result
            elif after.clean(text, source, title) != result:
                changed += 1
    assert held and changed  # both cases were seen


def test_the_counts_of_a_task_read_back_are_those_it_counted(tmp_path, options) -> None:
    """A task read back whole counts its rows from its tables (analysis.clean._table_stats): the
    same counts as cleaning them, on every row of the demo corpus, one dated in the future too."""
    from analysis.boilerplate import BoilerplateRemover
    from analysis.clean import Cleaner, _table_stats
    from analysis.io import ingest
    from analysis.language import LanguageDetector
    from analysis.tokens import Tokenizer

    ingest([ROOT / "data" / "raw"], tmp_path, options.ingest)
    rows = read_articles(tmp_path).to_dict("records")
    rows = [{k: (None if v is pd.NaT or (isinstance(v, float) and v != v) else v) for k, v in r.items()} for r in rows]
    cleaner = Cleaner.from_options(options, now=datetime(2030, 1, 1, tzinfo=UTC))
    first = {"published": None, "fetched": datetime(2000, 1, 1, tzinfo=UTC)}  # a date in its text is "future"
    rows[0] = rows[0] | first | {"text": "Publié le 12 février 2025 à 10h30\n" + (rows[0]["text"] or "")}
    remover = BoilerplateRemover(options.boilerplate).partial_fit(
        [r["text"] or "" for r in rows], [r["source"] for r in rows]
    )
    result = cleaner.clean_batch(
        rows, remover, LanguageDetector(options.language), Tokenizer(options.tokens), cleaner.now or datetime.now(UTC)
    )
    assert result.rows is not None
    assert _table_stats(result.articles, result.audit, result.rows.dropped) == result.stats
    assert result.stats.removed_by_reason and result.stats.languages and result.stats.dates_from
    assert result.stats.dates_dropped_future > 0


def test_a_pass_one_task_read_back_gives_the_same_observations(tmp_path) -> None:
    """Pass 1's task stored whole (observed_parts) gives back what observing its texts gave, and
    counts the per-text entries it stands for as used."""
    import pyarrow as pa

    from analysis.boilerplate import BoilerplateOptions, BoilerplateRemover
    from analysis.cache import Caches
    from analysis.clean import COUNTS_CACHE, OBSERVED_CACHE, _observe_task
    from analysis.engine import share

    texts = [p.read_text() for p in sorted((ROOT / "data" / "raw" / "atlas-actu").rglob("*.txt"))[:6]]
    sources = ["a", "b"] * 3
    path = tmp_path / "articles.parquet"
    # (the last text has nothing once normalised: observed, it adds nothing, and the task is still read back)
    pq.write_table(pa.table({"text": [*texts, "\u200b"], "source": [*sources, "a"]}), path)
    caches = Caches(tmp_path / "cache", {COUNTS_CACHE: "c", OBSERVED_CACHE: "o"}, files=[OBSERVED_CACHE])
    refs = caches.refs
    remover = BoilerplateRemover(BoilerplateOptions())
    context = share((remover, refs[COUNTS_CACHE], refs[OBSERVED_CACHE], {}), tmp_path / "o.pkl")
    task = (str(context), str(path), (0,), 0, 7, 7)
    observed, uses = _observe_task(task)
    assert observed.sources == [*sources, "a"]
    assert int(np.count_nonzero(observed.key_counts)) == 6 and observed.digests[-1] is None
    assert len(uses[OBSERVED_CACHE].new) == 1 and len(uses[COUNTS_CACHE].new) == 7
    again, used = _observe_task(task)
    assert again.sources == observed.sources and again.digests == observed.digests
    assert all(np.array_equal(a, b) for a, b in zip(again[2:], observed[2:], strict=True))
    assert used[OBSERVED_CACHE].hits == [uses[OBSERVED_CACHE].new[0][0]]
    assert used[COUNTS_CACHE].hits == [key for key, _ in uses[COUNTS_CACHE].new] and not used[COUNTS_CACHE].new
    # source "a" learnt from one text in 2**40 (none of these): its texts add nothing, "b"'s the
    # same; a sample within the one stored (a source that doubled) is read back from the task...
    stored = uses[OBSERVED_CACHE].new[0][0]
    sampled = share((remover, refs[COUNTS_CACHE], refs[OBSERVED_CACHE], {"a": 40}), tmp_path / "s.pkl")
    fewer, used = _observe_task((str(sampled), *task[1:]))
    assert fewer.digests == [None, observed.digests[1], None, observed.digests[3], None, observed.digests[5], None]
    counts = observed.key_counts.tolist()
    assert fewer.key_counts.tolist() == [0, counts[1], 0, counts[3], 0, counts[5], 0]
    assert used[OBSERVED_CACHE].hits == [stored] and not used[OBSERVED_CACHE].new
    first = [key for key, _ in uses[COUNTS_CACHE].new]
    assert used[COUNTS_CACHE].hits == first[1::2] and not used[COUNTS_CACHE].new
    # ...and a task stored when it observed fewer rows than the sample now asks for is observed again
    other = Caches(tmp_path / "other", {COUNTS_CACHE: "c", OBSERVED_CACHE: "o"}, files=[OBSERVED_CACHE]).refs
    small = share((remover, other[COUNTS_CACHE], other[OBSERVED_CACHE], {"a": 40}), tmp_path / "small.pkl")
    assert _observe_task((str(small), *task[1:]))[0].digests == fewer.digests
    every = share((remover, other[COUNTS_CACHE], other[OBSERVED_CACHE], {}), tmp_path / "every.pkl")
    whole, used = _observe_task((str(every), *task[1:]))
    assert whole.digests == observed.digests and whole.key_counts.tolist() == counts
    assert np.array_equal(whole.keys, observed.keys) and np.array_equal(whole.edges, observed.edges)
    assert not used[OBSERVED_CACHE].hits and len(used[OBSERVED_CACHE].new) == 1


def test_a_large_source_is_learnt_from_a_sample(tmp_path, options) -> None:
    """Pass 1 learns what recurs in a source of more than ``learn_max_articles`` articles from a
    sample of them (a hash of each text picks it): a line in every one of its articles is still
    learnt, and removed from them all, the sampled or not."""
    import random
    from dataclasses import replace

    from analysis.boilerplate import learning_depth, learning_tiers

    who = "Le maire|La ministre|Un syndicat|Le préfet|La présidente|Un expert|Le directeur|Une association".split("|")
    did = "a présenté|a annoncé|a défendu|a critiqué|a soutenu|a dénoncé|a reporté|a confirmé".split("|")
    what = "un plan|le budget|les travaux|une réforme|le projet|un accord|la hausse|un rapport".split("|")
    about = "des écoles|du port|des routes|de la santé|du tramway|des impôts|du logement|de l'eau".split("|")
    where = "à Rabat|à Fès|à Oujda|à Agadir|à Tanger|à Meknès|à Safi|à Nador".split("|")

    def sentence(rng: random.Random) -> str:
        parts = (rng.choice(who), rng.choice(did), rng.choice(what), rng.choice(about), rng.choice(where))
        return "{} {} {} {} {} devant les élus de la région.".format(*parts)

    furniture = "Le Quotidien du Large est publié chaque matin par la Société des amis du large"
    records = []
    for i, source in enumerate(["Large"] * 64 + ["Petit"] * 6):
        rng = random.Random(i)
        body = " ".join(sentence(rng) for _ in range(6))
        records.append(
            {
                "source": source,
                "title": f"Nouvelles du jour, numéro {i}",
                "text": f"{body}\n\n{furniture if source == 'Large' else 'Le Petit, votre journal'}",
                "url": f"https://{source.lower()}.example/{i}",
                "published": f"2025-01-{i % 28 + 1:02d}T08:00:00Z",
            }
        )
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "articles.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    learnt = {}
    small = replace(options.ingest, batch_size=16)  # row groups of 16 rows: an addition leaves the first ones
    for most in (16, 0):
        chosen = replace(options, boilerplate=replace(options.boilerplate, learn_max_articles=most), ingest=small)
        out = tmp_path / f"out-{most}"
        build(chosen, Paths.from_root(ROOT), raw=[raw], out_dir=out, now=NOW)
        learnt[most] = json.loads((out / "manifest.json").read_text())["counts"]["clean"]["boilerplate_learnt_from"]
        articles = pd.read_parquet(out / "articles.parquet")
        assert len(articles) == 70 and not articles["text"].str.contains("Société des amis du large").any()
        audit = pd.read_parquet(out / "boilerplate.parquet")
        assert (audit["text"] == furniture).sum() == 64 and set(audit.loc[audit["text"] == furniture, "reason"]) == {
            "repeated"
        }
        loaded = pd.read_parquet(out / ".interim" / "ingest" / "articles.parquet")
    tiers = learning_tiers({"Large": 64, "Petit": 6}, 16)
    assert tiers == {"Large": 2}  # one article in four
    sampled = sum(
        learning_depth(text) >= tiers.get(source, 0)
        for text, source in zip(loaded["text"], loaded["source"], strict=True)
    )
    assert learnt[0] == 70 and learnt[16] == sampled and 6 + 4 <= sampled < 6 + 32
    # the source grows past 64 articles: one in eight is learnt from, the slices observed before
    # are read back (their rows still in the sample were observed), the files a fresh build's
    more = [
        dict(r, url=r["url"] + "-bis", title=r["title"] + " (suite)") for r in records[:16] if r["source"] == "Large"
    ]
    (raw / "more.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in more) + "\n")
    chosen = replace(options, boilerplate=replace(options.boilerplate, learn_max_articles=16), ingest=small)
    assert learning_tiers({"Large": 80, "Petit": 6}, 16) == {"Large": 3}
    build(chosen, Paths.from_root(ROOT), raw=[raw], out_dir=tmp_path / "out-16", now=NOW)
    again = json.loads((tmp_path / "out-16" / "manifest.json").read_text())
    assert again["run"]["cache"]["observed_parts"]["hits"] >= 1
    build(chosen, Paths.from_root(ROOT), raw=[raw], out_dir=tmp_path / "fresh", now=NOW, fresh=True)
    for name in ("articles.parquet", "boilerplate.parquet", "tokens.parquet"):
        assert output_bytes(tmp_path / "out-16" / name) == output_bytes(tmp_path / "fresh" / name), name
    with pytest.raises(ValueError, match="learn_max_articles"):
        replace(options.boilerplate, learn_max_articles=-1)
