"""The command line: every command runs, bad arguments stop with a clear message and code 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from analysis.cli import app
from tests.conftest import ROOT
from tests.io.helpers import write

runner = CliRunner()


def test_python_m_analysis_help_lists_every_command():
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    for command in ("ingest", "build", "formats", "validate", "show-config", "columns", "keywords", "topics", "kwic"):
        assert command in result.stdout


def test_ingest_command_with_options(tmp_path):
    write(tmp_path / "raw" / "a.csv", "Headline Text;Body\nTitre CLI;Texte CLI\n")
    result = runner.invoke(
        app,
        [
            "ingest",
            str(tmp_path / "raw"),
            "--out",
            str(tmp_path / "out"),
            "--source",
            "Ma source",
            "--language",
            "fr",
            "--field",
            "title=Headline Text",
            "--field",
            "text=Body",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 read = 1 kept + 0 rejected" in result.output
    stats = json.loads((tmp_path / "out" / "ingest_stats.json").read_text())
    assert stats["by_source"] == {"Ma source": 1}


def test_ingest_country_option(tmp_path):
    import pyarrow.parquet as pq

    write(tmp_path / "raw" / "a.jsonl", json.dumps({"title": "T", "text": "Le Royaume."}) + "\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["ingest", str(tmp_path / "raw"), "--out", str(out), "--country", "Belgique"])
    assert result.exit_code == 0, result.output
    assert pq.read_table(out / "articles.parquet").column("source_country").to_pylist() == ["BE"]
    result = runner.invoke(app, ["ingest", str(tmp_path / "raw"), "--out", str(tmp_path / "x"), "--country", "Zembla"])
    assert result.exit_code == 2
    assert "--country" in result.output and "Zembla" in result.output
    assert not (tmp_path / "x").exists()


def test_countries_home_option():
    """`countries --home` takes a code or a name, an empty one for none; an unknown one is refused."""
    belgian = runner.invoke(app, ["countries", "--text", "Le Royaume et la Belgique.", "--home", "Belgique"])
    assert belgian.exit_code == 0, belgian.output
    assert belgian.output.count("BE") == 2 and "self" in belgian.output
    homeless = runner.invoke(app, ["countries", "--text", "Le Royaume et la Belgique.", "--home", ""])
    assert homeless.exit_code == 0 and "self" not in homeless.output
    unknown = runner.invoke(app, ["countries", "--text", "Le Royaume.", "--home", "ZZ"])
    assert unknown.exit_code == 2 and "--home" in unknown.output and "ZZ" in unknown.output


def test_countries_text_in_its_detected_language():
    """`countries --text` without `--language` reads the text in the language detected in it (a
    German text's `Marokko`, `Franzosen`); `--language` chooses it."""
    text = "Die Bundesregierung reist nach Marokko und in die Türkei; die Franzosen protestieren."
    detected = runner.invoke(app, ["countries", "--text", text])
    assert detected.exit_code == 0, detected.output
    assert "language: de (detected" in detected.output
    assert all(code in detected.output for code in ("MA", "TR", "FR"))
    chosen = runner.invoke(app, ["countries", "--text", text, "--language", "fr"])
    assert chosen.exit_code == 0 and "language:" not in chosen.output and "MA" not in chosen.output


def test_ingest_with_a_plugin(tmp_path):
    write(
        tmp_path / "x.sgm",
        '<REUTERS NEWID="1">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TEXT><TITLE>T</TITLE><BODY>B</BODY></TEXT>\n</REUTERS>\n',
    )
    result = runner.invoke(
        app,
        [
            "ingest",
            str(tmp_path / "x.sgm"),
            "--out",
            str(tmp_path / "out"),
            "--plugin",
            "tests.plugins.reuters_sgml",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 read = 1 kept" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "does-not-exist", "--out", "OUT"], "input path not found"),
        (["ingest", "RAW", "--out", "OUT", "--format", "wat"], "unknown format 'wat'"),
        (["ingest", "RAW", "--out", "OUT", "--field", "headline"], "expected ARTICLE_FIELD=RECORD_FIELD"),
        (["ingest", "RAW", "--out", "OUT", "--field", "headline=x"], "unknown article field 'headline'"),
        (["ingest", "RAW", "--out", "OUT", "--plugin", "no_such_module"], "cannot import loader plugin"),
        (["ingest", "RAW", "--out", "OUT", "--timezone", "Nowhere/City"], "unknown timezone"),
        (["--config", "missing.toml", "formats"], "file not found"),
    ],
)
def test_bad_arguments_stop_with_a_message(tmp_path, args, message):
    (tmp_path / "raw").mkdir()
    args = [a.replace("RAW", str(tmp_path / "raw")).replace("OUT", str(tmp_path / "out")) for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "out" / "articles.parquet").exists()


def test_bad_config_file_stops_the_run(tmp_path):
    bad = write(tmp_path / "bad.toml", "[ingest]\nbatchsize = 3\n")
    result = runner.invoke(app, ["--config", str(bad), "show-config"])
    assert result.exit_code == 2
    assert "unknown option 'ingest.batchsize'" in result.output


def test_build_validate_formats_columns_show_config(tmp_path):
    result = runner.invoke(app, ["build", "--raw", str(ROOT / "data" / "raw"), "--out", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "77 read = 72 kept + 5 rejected" in result.output
    assert "country names only" not in result.output  # (French, English and Arabic: each matched with its own)
    result = runner.invoke(app, ["validate", str(tmp_path / "p")])
    assert result.exit_code == 0 and "72 articles, valid" in result.output
    result = runner.invoke(app, ["validate", str(tmp_path / "p" / "articles.parquet")])  # the folder of parts
    assert result.exit_code == 0 and "72 articles, valid" in result.output
    for command, expected in (
        ("formats", "scraped_text"),
        ("columns", "article_id"),
        ("show-config", "batch_size = 2000"),
    ):
        result = runner.invoke(app, [command])
        assert result.exit_code == 0 and expected in result.output, result.output
    processed = str(tmp_path / "p")
    result = runner.invoke(app, ["keywords", "--processed", processed, "--show", "5", "--no-phrases"])
    assert result.exit_code == 0, result.output
    assert "maroc" in result.output and "articles counted" in result.output
    result = runner.invoke(app, ["topics", "--processed", processed, "--n-topics", "5", "--model", "lda"])
    assert result.exit_code == 0, result.output
    assert "5 topics (lda" in result.output
    result = runner.invoke(app, ["kwic", "barrages", "--processed", processed, "--limit", "3", "--width", "20"])
    assert result.exit_code == 0, result.output
    assert "3 occurrence(s) of 'barrages'" in result.output and "[barrage" in result.output
    result = runner.invoke(app, ["topics", "--processed", processed, "--model", "bertopic"])
    assert result.exit_code == 2 and "nmf or lda" in result.output
    result = runner.invoke(app, ["kwic", "eau", "--processed", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no processed table" in result.output


def test_validate_reports_a_broken_table(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"article_id": ["x"]}), tmp_path / "articles.parquet")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "missing" in result.output


def test_build_names_the_languages_matched_with_french_and_english_country_names_only(tmp_path):
    slovak = (
        "Vláda v Bratislave v utorok oznámila, že Slovensko a Francúzsko podpísali novú dohodu o energetike "
        "a obrane. Podľa ministra sa spolupráca s Nemeckom a Poľskom v budúcom roku prehĺbi a rokovania "
        "pokračujú budúci týždeň v Bruseli."
    )
    french = (
        "Le gouvernement a annoncé mardi un nouvel accord avec la France et l'Allemagne sur l'énergie. "
        "Selon le ministre, la coopération avec le Maroc sera renforcée au cours de l'année prochaine."
    )
    lines = [
        {
            "url": f"https://example.sk/a/{i}",
            "title": f"Dohoda {i}",
            "text": f"{slovak} Časť {i}.",
            "date": "2026-12-0{i}",
        }
        for i in (1, 2)
    ] + [{"url": "https://example.fr/b", "title": "Accord", "text": french, "date": "2026-12-01"}]
    write(tmp_path / "raw" / "a.jsonl", "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n")
    result = runner.invoke(app, ["build", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    printed = " ".join(result.output.split())  # (the console wraps its lines)
    assert "French and English country names only: sk 2;" in printed
    assert 'add "sk" to [countries] languages' in printed
