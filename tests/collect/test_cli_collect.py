"""`python -m analysis collect`: the command wraps the collector, then `build` reads what it wrote."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from analysis.cli import app
from tests.collect.conftest import World

runner = CliRunner()


def test_collect_command_then_ingest(world: World, tmp_path: Path) -> None:
    out = tmp_path / "raw"
    args = ["collect", "--sources", str(world.sources_file), "--out", str(out), "--since", "2024-01-01"]
    result = runner.invoke(app, [*args, "--max", "3"])
    assert result.exit_code == 0, result.output
    assert "3 fetched" in result.output
    result = runner.invoke(app, args)  # continues where the first run stopped
    assert result.exit_code == 0, result.output
    assert "seen before" in result.output and "failed" in result.output
    written = sum(1 for p in out.rglob("*.jsonl") for line in p.read_text().splitlines() if line.strip())
    assert written >= 5
    result = runner.invoke(app, ["ingest", str(out), "--out", str(tmp_path / "loaded")])
    assert result.exit_code == 0, result.output
    assert f"{written} read = {written} kept + 0 rejected" in result.output


def test_collect_command_reports_a_bad_sources_file(tmp_path: Path) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text('[[sources]]\nname = "x"\nlanguage = "fr"\ncountry = "MA"\nfeeds = "not a list"\n')
    result = runner.invoke(app, ["collect", "--sources", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert str(bad) in result.output.replace("\n", "")
