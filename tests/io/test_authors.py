"""An author field read as the names it holds (analysis.io.authors, `[ingest.authors]`)."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest

from analysis.config import IngestOptions
from analysis.io.authors import author_names
from tests.io.helpers import run, write


@pytest.mark.parametrize(
    ("written", "names"),
    [
        # cue words, roles, places, outlets, brackets and dates around a name
        ("Par Karim Benali", "Karim Benali"),
        ("Par Karim Benali, journaliste", "Karim Benali"),
        ("Jane Doe, Staff Writer", "Jane Doe"),
        ("Par Karim Benali: journaliste", "Karim Benali"),
        ("Sarah Okafor, Political correspondent", "Sarah Okafor"),
        ("Léa Favre, Genève", "Léa Favre"),
        ("Written by Jane Doe", "Jane Doe"),
        ("Texte : Sara Alaoui", "Sara Alaoui"),
        ("Автор: Иван Петров", "Иван Петров"),
        ("بقلم: يوسف العلوي", "يوسف العلوي"),
        ("Par: Karim Benali - Rabat", "Karim Benali"),
        ("Karim Benali | Le360", "Karim Benali"),
        ("Le360 | Karim Benali", "Karim Benali"),
        ("Karim Benali (avec AFP)", "Karim Benali, AFP"),
        ("Martin Untersinger (avec Damien Leloup et Morgane Tual)", "Martin Untersinger, Damien Leloup, Morgane Tual"),
        ("Bruno (Henrique Zecchin) Rodrigues", "Bruno (Henrique Zecchin) Rodrigues"),
        ("Kareem Khadder; Beirut", "Kareem Khadder"),
        ("Larisa Brown; Defence Editor", "Larisa Brown"),
        ("Abdulkareem Mojeed · December 1", "Abdulkareem Mojeed"),
        ("Karim Benali (@kbenali)", "Karim Benali"),
        ("Par Karim Benali Publié le 12/03/2024 à 10h30", "Karim Benali"),
        ("Par Karim Benali, mardi 12 mars 2024", "Karim Benali"),
        ("Jane Doe March 3, 2024", "Jane Doe"),
        ("Posted on March 3, 2024 by John Smith", "John Smith"),
        # a relative date after the name, its number there or dropped by the tool (trafilatura's)
        ("Aleš Vávra před 2 hodinami", "Aleš Vávra"),
        ("Aleš Vávra před", "Aleš Vávra"),
        ("Jean Dupont il y a 3 heures", "Jean Dupont"),
        ("Jean Dupont il y a", "Jean Dupont"),
        ("María López hace 2 horas", "María López"),
        ("Anna Müller vor", "Anna Müller"),
        ("Por María López | Madrid | 14 mar 2024 - 10:30 CET", "María López"),
        # several names
        ("Karim Benali et Sara Alaoui", "Karim Benali, Sara Alaoui"),
        ("Jane Doe and John Smith", "Jane Doe, John Smith"),
        ("Von Anna Müller und Jan Schmidt", "Anna Müller, Jan Schmidt"),
        ("João Silva e Maria Souza", "João Silva, Maria Souza"),
        ("Иван Петров и Анна Смирнова", "Иван Петров, Анна Смирнова"),
        ("Karim Benali; Sara Alaoui", "Karim Benali, Sara Alaoui"),
        ('["Karim Benali", "AFP"]', "Karim Benali, AFP"),
        ("Jean Dupont, Marie Martin", "Jean Dupont, Marie Martin"),
        ("Quelle ZEIT ONLINE; Dpa; AFP", "Quelle ZEIT ONLINE, Dpa, AFP"),
        # capitals, addresses
        ("KARIM BENALI", "Karim Benali"),
        ("https://le360.ma/auteur/karim-benali/", "Karim Benali"),
        ("karim.benali@le360.ma", "Karim Benali"),
        ("Karim Benali karim.benali@le360.ma", "Karim Benali"),
        # no one
        ("admin", None),
        ("admin2", None),
        ("Username", None),  # (The Washington Post's pages: a field's label, the name elsewhere)
        ("作者", None),
        ("個人", None),
        ("Le360", None),
        ("le360.ma", None),
        ("Le360 (avec MAP)", "MAP"),
        ("France24", "France24"),
        ("April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm", None),
        ("redaction@le360.ma", None),
        ("https://le360.ma/economie", None),
        ("42", None),
        # as written
        ("Karim BENALI", "Karim BENALI"),
        ("Jean-Pierre Dupont", "Jean-Pierre Dupont"),
        ("Marie de La Fontaine", "Marie de La Fontaine"),
        ("José Ortega y Gasset", "José Ortega y Gasset"),
        ("John E Smith", "John E Smith"),
        ("J. K. Rowling", "J. K. Rowling"),
        ("Benali, Karim", "Benali, Karim"),
        ("MAP", "MAP"),
        ("The Associated Press", "The Associated Press"),
        ("La rédaction", "La rédaction"),
        ("Theresa May", "Theresa May"),
        ("Ministère de l'Europe et des Affaires étrangères", "Ministère de l'Europe et des Affaires étrangères"),
        ("Mac & i", "Mac & i"),
    ],
)
def test_an_author_field_as_the_names_it_holds(ingest_options: IngestOptions, written: str, names: str | None) -> None:
    assert author_names(written, ingest_options.authors, "le360.ma") == names


def test_a_list_of_authors_is_each_read_and_joined_once(ingest_options: IngestOptions) -> None:
    assert author_names(["Par Karim Benali", "KARIM BENALI", "admin", "Sara Alaoui"], ingest_options.authors) == (
        "Karim Benali, Sara Alaoui"
    )
    assert author_names(["admin"], ingest_options.authors) is None


def test_the_cue_words_account_names_and_joiners_are_options(ingest_options: IngestOptions) -> None:
    authors = ingest_options.authors
    assert author_names("Reportage de Karim Benali", authors) == "Reportage de Karim Benali"
    assert author_names("redacao", authors) == "redacao"
    mine = replace(authors, cues=(*authors.cues, "reportage de"), not_names=authors.not_names | {"redacao"})
    assert author_names("Reportage de Karim Benali", mine) == "Karim Benali"
    assert author_names("redacao", mine) is None


def test_records_authors_are_read_as_names(tmp_path, ingest_options: IngestOptions) -> None:
    body = "Le gouvernement a annoncé mardi un plan d'investissement dans les énergies renouvelables. " * 4
    records = [
        {"url": "https://le360.ma/a-1", "title": "Premier titre", "text": body + "Un.", "author": "Par KARIM BENALI"},
        {"url": "https://le360.ma/a-2", "title": "Deuxième titre", "text": body + "Deux.", "author": "admin"},
        {
            "url": "https://le360.ma/a-3",
            "title": "Troisième titre",
            "text": body + "Trois.",
            "author": ["Sara Alaoui", {"name": "Par Karim Benali"}],
        },
        {"url": "https://le360.ma/a-4", "title": "Quatrième titre", "text": body + "Quatre.", "author": "Le360"},
    ]
    raw = write(tmp_path / "raw" / "items.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    articles, rejects, _ = run(raw, tmp_path / "out", ingest_options)
    assert not rejects
    by_title = dict(zip(articles.title, articles.author, strict=True))
    assert by_title["Premier titre"] == "Karim Benali"
    assert by_title["Troisième titre"] == "Sara Alaoui, Karim Benali"
    assert pd.isna(by_title["Deuxième titre"])
    assert pd.isna(by_title["Quatrième titre"])
