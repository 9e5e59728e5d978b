"""Scoring the country matcher against the hand-annotated gold set (tests/gold/COUNTRIES.md)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.countries import CountryMatcher, CountryOptions

GOLD = Path(__file__).parent / "gold" / "country_mentions.jsonl"


def load_gold() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


def _sha1(value: str | None) -> str | None:
    return hashlib.sha1(value.encode("utf-8")).hexdigest() if isinstance(value, str) else None


Predictor = Callable[[str, str | None, str | None], set[tuple[str, int, int, str]]]


def our_predictor(home: Mapping[str, str | None]) -> Predictor:
    """The project's matcher, with each corpus's home country."""
    matchers = {h: CountryMatcher(CountryOptions(home_country=h)) for h in set(home.values())}

    def predict(corpus: str, title: str | None, text: str | None) -> set[tuple[str, int, int, str]]:
        matcher = matchers[home[corpus]]
        context = "\n".join(x for x in (title, text) if x)
        return {
            (field, m.start, m.end, m.code)
            for field, value in (("title", title), ("text", text))
            for m in matcher.find(value, context=context)
            if m.kind != "region"
        }

    return predict


def score(
    tables: Mapping[str, pd.DataFrame], *, home: Mapping[str, str | None], predict: Predictor | None = None
) -> dict[str, Any]:
    """Per-article country-set and span precision/recall, overall and per corpus.

    ``tables``: corpus name -> its processed articles (with ``article_id``, ``title``, ``text``);
    ``home``: corpus name -> home country for self-references (None for foreign press);
    ``predict``: another system to score (``(corpus, title, text) -> {(field, start, end, iso2)}``).
    """
    predict = predict or our_predictor(home)
    counts: dict[str, dict[str, int]] = {}
    errors: list[str] = []
    for entry in load_gold():
        corpus = entry["corpus"]
        if corpus not in tables:
            continue
        table = tables[corpus]
        row = table[table.article_id == entry["article_id"]]
        if row.empty:
            raise AssertionError(f"gold article {entry['article_id']} ({corpus}) not in the table")
        title = row.iloc[0].title if isinstance(row.iloc[0].title, str) else None
        text = row.iloc[0].text if isinstance(row.iloc[0].text, str) else None
        if _sha1(title) != entry["title_sha1"] or _sha1(text) != entry["text_sha1"]:
            raise AssertionError(f"clean text of {entry['article_id']} ({corpus}) changed: check the gold offsets")
        predicted = predict(corpus, title, text)
        gold = {(m["field"], m["start"], m["end"], m["iso2"]) for m in entry["mentions"]}
        c = counts.setdefault(
            corpus, dict.fromkeys(("set_tp", "set_fp", "set_fn", "span_tp", "span_fp", "span_fn", "articles"), 0)
        )
        c["articles"] += 1
        pset, gset = {p[3] for p in predicted}, {g[3] for g in gold}
        c["set_tp"] += len(pset & gset)
        c["set_fp"] += len(pset - gset)
        c["set_fn"] += len(gset - pset)
        c["span_tp"] += len(predicted & gold)
        c["span_fp"] += len(predicted - gold)
        c["span_fn"] += len(gold - predicted)
        for code in sorted(pset ^ gset):
            errors.append(f"{corpus} {entry['article_id']} {'extra' if code in pset else 'missed'} {code}")
    total = {
        k: sum(c[k] for c in counts.values())
        for k in ("set_tp", "set_fp", "set_fn", "span_tp", "span_fp", "span_fn", "articles")
    }

    def ratios(c: Mapping[str, int]) -> dict[str, float]:
        def div(a: int, b: int) -> float:
            return round(a / b, 4) if b else 1.0

        return {
            "set_precision": div(c["set_tp"], c["set_tp"] + c["set_fp"]),
            "set_recall": div(c["set_tp"], c["set_tp"] + c["set_fn"]),
            "span_precision": div(c["span_tp"], c["span_tp"] + c["span_fp"]),
            "span_recall": div(c["span_tp"], c["span_tp"] + c["span_fn"]),
            "articles": c["articles"],
        }

    return {"all": ratios(total), **{k: ratios(v) for k, v in counts.items()}, "errors": errors}
