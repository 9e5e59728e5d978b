"""The README stays true: every column, command and reject reason the code has is documented."""

from __future__ import annotations

import re

from typer.main import get_command

from analysis.cli import app
from analysis.schema import ARTICLE_COLUMNS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_column_is_documented():
    for column in ARTICLE_COLUMNS:
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
