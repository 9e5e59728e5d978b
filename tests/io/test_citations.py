"""Reference managers' exports: RIS files, Zotero's CSV and CSL JSON (analysis.io.citations, the mapper)."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd

from analysis.config import IngestOptions
from tests.io.helpers import run, write

RIS = """TY  - NEWS
TI  - Le Maroc et l'Espagne signent un accord
  sur l'hydrogène vert
AU  - Benali, Karim
AU  - Alaoui, Sara
T2  - Le360
AB  - Le ministre marocain de l'Énergie a signé jeudi à Rabat un accord avec son homologue espagnol.
DA  - 2024/03/14/
PY  - 2024
LA  - fr
UR  - https://fr.le360.ma/economie/accord-123456/
Y2  - 2024/03/15/
KW  - énergie
KW  - Espagne
N1  - Une note
ER  -

TY  - NEWS
TI  - Sécheresse : le Maroc accélère le dessalement
T2  - Médias24
PY  - 2024
UR  - https://medias24.com/2024/03/12/secheresse/
ER  -

TY  - NEWS
TI  - Une référence laissée ouverte
DA  - 2024/03//
"""


def test_a_ris_export_is_one_article_per_reference(tmp_path, ingest_options: IngestOptions) -> None:
    """A `.ris` file was `unsupported_format`: each reference is an article (a value over two lines
    joined; a year alone is no date; a reference the file leaves open is read all the same)."""
    df, rejects, stats = run(write(tmp_path / "refs.ris", RIS), tmp_path / "out", ingest_options)
    assert rejects == [] and stats["records"]["read"] == 3
    first = df.iloc[0]
    assert first.title == "Le Maroc et l'Espagne signent un accord sur l'hydrogène vert"
    assert (first.source, first.source_country, first.language) == ("Le360", "MA", "fr")
    assert first.author == "Karim Benali, Sara Alaoui" and list(first.tags) == ["énergie", "Espagne"]
    assert first.published.isoformat() == "2024-03-14T00:00:00+00:00"
    assert first.fetched.isoformat() == "2024-03-15T00:00:00+00:00"
    assert first.text.startswith("Le ministre marocain") and first.raw_format == "ris"
    second, third = df.iloc[1], df.iloc[2]
    assert pd.isna(second.published)  # (a year alone: no day to put it on; cleaning reads the URL's)
    assert third.title == "Une référence laissée ouverte" and third.published.isoformat().startswith("2024-03-01")


def test_a_ris_text_without_its_extension_and_a_broken_one(tmp_path, ingest_options: IngestOptions) -> None:
    df, rejects, _ = run(write(tmp_path / "refs.txt", RIS), tmp_path / "out", ingest_options)
    assert rejects == [] and len(df) == 3 and set(df.raw_format) == {"ris"}
    df, rejects, _ = run(write(tmp_path / "b.ris", "TI  - Sans type\nER  - \n"), tmp_path / "o2", ingest_options)
    assert df.empty and [(r["reason"], r["detail"]) for r in rejects] == [
        ("invalid_ris", "line 1: tag TI outside a reference (no `TY` above it)")
    ]
    df, rejects, _ = run(write(tmp_path / "c.ris", "\n\n"), tmp_path / "o3", ingest_options)
    assert df.empty and [r["reason"] for r in rejects] == ["empty_file"]


def test_zotero_s_csv_export(tmp_path, ingest_options: IngestOptions) -> None:
    """Zotero's CSV: the abstract (`Abstract Note`) is the text, `Manual Tags` the tags, `Access
    Date` the fetch, `Key` the id, and `Family, Given; Family, Given` two authors."""
    row = {
        "Key": "ABCD1234",
        "Item Type": "newspaperArticle",
        "Publication Year": "2024",
        "Author": "Benali, Karim; Alaoui, Sara",
        "Title": "Le Maroc et l'Espagne signent un accord",
        "Publication Title": "Le360",
        "Url": "https://fr.le360.ma/economie/accord-123456/",
        "Abstract Note": "Le ministre a signé jeudi à Rabat un accord.",
        "Date": "2024-03-14",
        "Access Date": "2024-03-15 09:00:00",
        "Language": "fr",
        "Manual Tags": "énergie; Espagne",
        "Automatic Tags": "",
        "Section": "Economie",
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    df, rejects, _ = run(write(tmp_path / "zotero.csv", buffer.getvalue()), tmp_path / "out", ingest_options)
    assert rejects == []
    article = df.iloc[0]
    assert (article.text, article.author, article.record_id) == (
        "Le ministre a signé jeudi à Rabat un accord.",
        "Karim Benali, Sara Alaoui",
        "ABCD1234",
    )
    assert list(article.tags) == ["énergie", "Espagne"] and article.source == "Le360"
    assert article.fetched.isoformat() == "2024-03-15T09:00:00+00:00"


def test_csl_json(tmp_path, ingest_options: IngestOptions) -> None:
    """CSL JSON (Zotero's, Mendeley's): dates in parts (a year alone none), authors as given and
    family names (Zotero's API: first and last names), the publication `container-title`."""
    items = [
        {
            "id": "ABCD1234",
            "type": "article-newspaper",
            "title": "Le Maroc et l'Espagne signent un accord",
            "container-title": "Le360",
            "abstract": "Le ministre a signé jeudi à Rabat un accord.",
            "author": [{"family": "Benali", "given": "Karim"}, {"family": "Alaoui", "given": "Sara"}],
            "issued": {"date-parts": [["2024", 3, 14]]},
            "accessed": {"date-parts": [[2024, 3, 15]]},
        },
        {
            "id": "EFGH5678",
            "title": "Un article de l'année",
            "abstract": "Un résumé.",
            "creators": [{"creatorType": "author", "firstName": "Jane", "lastName": "Doe"}],
            "issued": {"date-parts": [[2024]]},
        },
    ]
    df, rejects, _ = run(write(tmp_path / "items.json", json.dumps(items)), tmp_path / "out", ingest_options)
    assert rejects == []
    first, second = df.iloc[0], df.iloc[1]
    assert (first.source, first.author) == ("Le360", "Karim Benali, Sara Alaoui")
    assert first.published.isoformat() == "2024-03-14T00:00:00+00:00"
    assert first.fetched.isoformat() == "2024-03-15T00:00:00+00:00"
    assert pd.isna(second.published)  # (a year alone: no day to put it on)
