"""The README stays true: every column, command and reject reason the code has is documented."""

from __future__ import annotations

import re

from typer.main import get_command

from analysis.cli import app
from analysis.schema import (
    ARTICLE_COLUMNS,
    BOILERPLATE_COLUMNS,
    CLEAN_EXTRA_COLUMNS,
    COUNTRY_MENTION_COLUMNS,
    DISTINCTIVE_COLUMNS,
    DOC_TOPIC_COLUMNS,
    KEYWORD_MODEL_COLUMNS,
    PHRASE_COLUMNS,
    RISING_COLUMNS,
    TERM_FREQUENCY_COLUMNS,
    THEME_TREND_COLUMNS,
    TOKEN_COLUMNS,
    TOPIC_COLUMNS,
    TOPIC_MODEL_COLUMNS,
    TOPIC_TREND_COLUMNS,
)
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_column_is_documented():
    for column in (
        *ARTICLE_COLUMNS,
        *CLEAN_EXTRA_COLUMNS,
        *TOKEN_COLUMNS,
        *BOILERPLATE_COLUMNS,
        *COUNTRY_MENTION_COLUMNS,
        *TERM_FREQUENCY_COLUMNS,
        *PHRASE_COLUMNS,
        *KEYWORD_MODEL_COLUMNS,
        *DISTINCTIVE_COLUMNS,
        *RISING_COLUMNS,
        *TOPIC_COLUMNS,
        *DOC_TOPIC_COLUMNS,
        *TOPIC_MODEL_COLUMNS,
        *TOPIC_TREND_COLUMNS,
        *THEME_TREND_COLUMNS,
    ):
        assert f"| `{column.name}` |" in README, column.name


def test_every_command_is_documented():
    commands = get_command(app).commands  # type: ignore[attr-defined]
    for name in commands:
        assert re.search(rf"\| `{re.escape(name)}[ `]", README), name


def test_every_reject_reason_is_documented():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    reasons = set(re.findall(r"""\b(?:File)?Reject\(\s*["']([a-z_]+)["']""", source))
    assert len(reasons) >= 15
    for reason in sorted(reasons):
        assert f"`{reason}`" in README, reason


def test_make_targets_are_documented():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^([a-z]+):.*## ", makefile, re.M):
        if target != "help":
            assert f"`make {target}`" in README, target


def test_every_output_file_is_documented():
    from analysis.pipeline import CSV_FILE, DATAPACKAGE_FILE, MANIFEST_FILE

    for name in (
        "articles.parquet",
        "tokens.parquet",
        "boilerplate.parquet",
        "rejects.jsonl",
        "ingest_stats.json",
        MANIFEST_FILE,
        DATAPACKAGE_FILE,
        CSV_FILE,
        "term_frequencies.parquet",
        "phrases.parquet",
        "distinctive_terms.parquet",
        "rising_terms.parquet",
        "topics.parquet",
        "doc_topics.parquet",
        "topic_model.parquet",
        "keyword_model.parquet",
        "topic_trends.parquet",
        "theme_trends.parquet",
    ):
        assert f"| `{name}` |" in README or f"| `{name}/` |" in README, name  # (a folder of parts: `name/`)


def test_every_options_section_is_documented():
    import tomllib

    defaults = tomllib.loads((ROOT / "src" / "analysis" / "defaults.toml").read_text(encoding="utf-8"))
    for section in defaults:
        assert f"`[{section}]`" in README, section
