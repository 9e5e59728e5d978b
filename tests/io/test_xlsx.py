"""Excel workbooks: a header row, then one article per row, in every sheet of articles."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from analysis.config import IngestOptions
from tests.io.helpers import run, write


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_a_sheet_s_column_named_twice_keeps_the_first(tmp_path: Path, ingest_options: IngestOptions) -> None:
    rows = [
        ["Titre", "Date", "Texte", "Date"],
        ["Un accord", datetime(2024, 1, 2), "Rabat signe.", datetime(2024, 3, 5)],
    ]
    _workbook(tmp_path / "raw" / "a.xlsx", {"Articles": rows})
    df, _, _ = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert df.published[0].date().isoformat() == "2024-01-02"


def test_a_workbook_of_articles(tmp_path: Path, ingest_options: IngestOptions) -> None:
    header = ["Titre", "Texte", "Date de publication", "Lien", "Média"]
    _workbook(
        tmp_path / "raw" / "corpus.xlsx",
        {
            "Codebook": [["Variable", "Signification"], ["Titre", "le titre de l'article"]],
            "Articles": [
                [],  # a blank first row before the header
                header,
                [
                    "Le Maroc et la France",
                    "Rabat et Paris signent un accord.",
                    datetime(2024, 3, 5, 10, 30),
                    "https://a.ma/1",
                    "Atlas",
                ],
                [None, None, None, None, None],
                header,  # the header again (sheets pasted one under the other)
                [
                    "La Tunisie et l'Algérie",
                    "Un gazoduc de plus.",
                    "2024-03-06",
                    "https://a.ma/2",
                    "Atlas",
                    "note en marge",
                ],
            ],
            "Suite": [["title", "text"], ["Le Sénégal", "Dakar accueille un sommet."]],
        },
    )
    articles, rejects, stats = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert articles["title"].tolist() == ["Le Maroc et la France", "La Tunisie et l'Algérie", "Le Sénégal"]
    assert articles["published"].tolist()[:2] == [
        # (a cell's clock is the outlet's, as a string's: Casablanca's, UTC+1 that day)
        pd.Timestamp("2024-03-05T09:30Z"),
        pd.Timestamp("2024-03-06", tz="UTC"),
    ]
    assert articles["url"].tolist()[:2] == ["https://a.ma/1", "https://a.ma/2"]
    assert articles["source"].tolist()[:2] == ["Atlas", "Atlas"]
    assert articles["raw_index"].tolist() == [1, 3, 4]
    assert set(articles["raw_format"]) == {"xlsx"}
    assert [(r["raw_index"], r["reason"]) for r in rejects] == [(0, "not_articles"), (2, "repeated_header")]
    assert rejects[0]["detail"] == "sheet 'Codebook': no title or text column (Variable, Signification)"
    assert stats["records"] == {"read": 5, "kept": 3, "rejected": 2}


def test_a_workbook_without_known_columns_and_broken_ones(tmp_path: Path, ingest_options: IngestOptions) -> None:
    _workbook(tmp_path / "raw" / "odd.xlsx", {"Feuil1": [["Überschrift", "Inhalt2"], ["Ein Titel", "Ein Text."]]})
    _workbook(tmp_path / "raw" / "blank.xlsx", {"Feuil1": [[None]]})
    _workbook(tmp_path / "raw" / "header.xlsx", {"Feuil1": [["title", "text"]]})
    write(tmp_path / "raw" / "broken.xlsx", b"PK\x03\x04 not a workbook")
    _, rejects, _ = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    # its columns named nothing known: its rows are still records, rejected with their reason
    assert sorted((Path(r["raw_path"]).name, r["reason"]) for r in rejects) == [
        ("blank.xlsx", "empty_file"),
        ("broken.xlsx", "invalid_xlsx"),
        ("header.xlsx", "no_records"),
        ("odd.xlsx", "no_text"),
    ]


def test_a_report_s_preamble_over_the_header(tmp_path: Path, ingest_options: IngestOptions) -> None:
    """A monitoring report's title and client over the header row: the header was taken to be the
    title, and every article was rejected as holding no text; the preamble's lines are rejects."""
    _workbook(
        tmp_path / "raw" / "veille.xlsx",
        {
            "Veille": [
                ["Rapport de veille médias - Mars 2024"],
                ["Client : Ministère de l'Industrie"],
                [],
                ["Date", "Média", "Titre", "Résumé", "Lien"],
                [
                    "2024-03-20",
                    "Le Matin",
                    "Tanger Med dépasse 8 millions de conteneurs",
                    "Un cap.",
                    "https://lematin.ma/a1",
                ],
            ]
        },
    )
    df, rejects, _ = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert list(df.title) == ["Tanger Med dépasse 8 millions de conteneurs"]
    assert (df.iloc[0].url, df.iloc[0].source) == ("https://lematin.ma/a1", "Le Matin")
    assert [(r["raw_index"], r["reason"], r["excerpt"]) for r in rejects] == [
        (0, "preamble", "Rapport de veille médias - Mars 2024"),
        (1, "preamble", "Client : Ministère de l'Industrie"),
    ]


XLS = Path(__file__).parents[1] / "fixtures" / "xls" / "monitoring.xls"


def test_an_excel_97_workbook(tmp_path: Path, ingest_options: IngestOptions) -> None:
    """An `.xls` workbook (a monitoring service's export, written by xlwt) was `unsupported_format`:
    read as an `.xlsx` is, its preamble and its sheet of notes rejects, its dates dates, its numbers
    numbers."""
    df, rejects, stats = run(XLS, tmp_path / "out", ingest_options)
    assert [(r["reason"], r["raw_index"]) for r in rejects] == [("preamble", 0), ("not_articles", 3)]
    assert "Veille presse" in rejects[0]["excerpt"] and "'Notes'" in rejects[1]["detail"]
    assert list(df.title) == [
        "Le Maroc et l'Espagne signent un accord sur l'hydrogène vert",
        "Sécheresse : le Maroc accélère le dessalement",
    ]
    assert list(df.source) == ["Le360", "Médias24"] and set(df.raw_format) == {"xls"}
    assert [d.isoformat() for d in df.published] == ["2024-03-14T09:15:00+00:00", "2024-03-12T18:00:00+00:00"]
    assert df.text.iloc[1] == "Le gouvernement a annoncé la construction de nouvelles stations."
    assert stats["records"]["read"] == 4 == stats["records"]["kept"] + stats["records"]["rejected"]


def test_a_file_named_xls_that_is_no_workbook(tmp_path: Path, ingest_options: IngestOptions) -> None:
    df, rejects, _ = run(
        write(tmp_path / "a.xls", b"\xd0\xcf\x11\xe0 not a workbook"), tmp_path / "out", ingest_options
    )
    assert df.empty and [r["reason"] for r in rejects] == ["invalid_xls"]
