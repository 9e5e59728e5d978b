"""Press databases' exports (Nexis Uni, LexisNexis Academic, Factiva, Europresse) as text, Word and PDF files: one article each."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest

from analysis.config import IngestOptions
from analysis.io.mapping import name_country
from analysis.io.press_exports import byline_name, split_export
from tests.io.helpers import docx_bytes, pdf_bytes, rtf_bytes, run, write

NEXIS_UNI = """\
User Name: =
Date and Time: Wednesday, December 2, 2026 10:42:00 AM CET
Job Number: 287364512
Documents (3)
1. Le Maroc et la France relancent leur partenariat économique
Client/Matter: -None-
Search Terms: Maroc AND France
Search Type: Terms and Connectors
Narrowed by:
Content Type	Narrowed by
News	Sources: Le Monde; L'Economiste; Timeframe: Dec 01, 2026 to Dec 02, 2026
2. Sécheresse : Rabat lance un plan d'urgence pour l'eau
3. Tunisia and Algeria sign energy deal
Le Maroc et la France relancent leur partenariat économique
Le Monde
2 décembre 2026 mercredi
Copyright 2026 Le Monde tous droits réservés
Section: INTERNATIONAL; Pg. 4
Length: 412 words
Byline: Alexandre Aublanc
Dateline: Rabat
Body
Rabat et Paris ont signé mardi une série d'accords portant sur l'énergie, le rail et l'eau.
La visite du ministre français a été saluée par la presse marocaine comme un tournant.
Classification
Language: FRENCH; FRANÇAIS
Publication-Type: Journal
Subject: RELATIONS INTERNATIONALES (92%); ÉNERGIE (78%); COMMERCE (71%)
Geographic: MAROC (94%); FRANCE (90%)
Load-Date: December 3, 2026
End of Document
Sécheresse : Rabat lance un plan d'urgence pour l'eau
L'Economiste (Maroc)
1 décembre 2026 mardi
Copyright 2026 L'Economiste Tous droits réservés
Length: 310 words
Body
Le gouvernement a annoncé un plan de 2 milliards de dirhams pour les régions touchées par la sécheresse.
Classification
Language: FRENCH; FRANÇAIS
Load-Date: December 2, 2026
End of Document
Tunisia and Algeria sign energy deal
Reuters News
December 1, 2026 Tuesday 4:15 PM GMT
Copyright 2026 Thomson Reuters. All Rights Reserved.
Section: WORLD NEWS
Length: 220 words
Byline: Tarek Amara
Dateline: TUNIS, Dec 1
Body
TUNIS: Tunisia and Algeria signed on Tuesday an agreement to expand a gas pipeline.
Classification
Language: ENGLISH
Subject: ENERGY (90%)
Load-Date: December 1, 2026
End of Document
"""

ACADEMIC = """\
                               1 of 2 DOCUMENTS

                                    Le Monde

                           2 décembre 2006 samedi

Le Sénégal et le Mali signent un accord frontalier

BYLINE: Jean Dupont

SECTION: International; Pg. 5

LENGTH: 350 words

DAKAR: Les deux pays ont signé vendredi un accord sur le tracé de leur frontière commune.

Les négociations duraient depuis dix ans.

LOAD-DATE: 3 décembre 2006

LANGUAGE: FRENCH

PUBLICATION-TYPE: Newspaper

                   Copyright 2006 Le Monde
                              All Rights Reserved


                               2 of 2 DOCUMENTS

                              The New York Times

                          December 1, 2006 Friday
                             Late Edition - Final

Morocco Opens Port Near Tangier

BYLINE: By JOHN SMITH

SECTION: Section A; Column 1; Foreign Desk; Pg. 12

LENGTH: 820 words

TANGIER, Morocco, Nov. 30 -- Morocco opened a container port on Thursday.

LOAD-DATE: December 1, 2006

LANGUAGE: ENGLISH

GRAPHIC: Photo

PUBLICATION-TYPE: Newspaper
"""

FACTIVA = """\
International
Le Maroc accélère sa transition énergétique
Par Jean Martin
612 mots
2 décembre 2026
Le Figaro
FIGARO
Français
(c) 2026 Le Figaro. Tous droits réservés.

Le royaume vise 52 % d'électricité renouvelable d'ici 2030.

Le projet Noor, près de Ouarzazate, en est le symbole.

Document FIGARO0020261202ekc20000b

Economy
Algeria raises gas exports to Italy
284 words
1 December 2026
14:05
Reuters News
LBA
English
(c) 2026 Reuters Limited

ALGIERS, Dec 1 (Reuters) - Algeria will raise gas exports to Italy, the energy ministry said.

Document LBA0000020261201ekc1000xy
"""


def _docx(path: Path, paragraphs: list[str], *, table: list[str] = ()) -> Path:  # type: ignore[assignment]
    """A minimal Word document: one paragraph per item (and a table of one row of cells)."""
    return write(path, docx_bytes(paragraphs, table))


def _fields(df: pd.DataFrame) -> list[tuple[object, ...]]:
    return [
        (
            r.title,
            r.source,
            r.published.isoformat() if pd.notna(r.published) else None,
            r.author if pd.notna(r.author) else None,
            r.language,
        )
        for r in df.itertuples()
    ]


NEXIS_ARTICLES = [
    (
        "Le Maroc et la France relancent leur partenariat économique",
        "Le Monde",
        "2026-12-02T00:00:00+00:00",
        "Alexandre Aublanc",
        "fr",
    ),
    (
        "Sécheresse : Rabat lance un plan d'urgence pour l'eau",
        "L'Economiste (Maroc)",
        "2026-12-01T00:00:00+00:00",
        None,
        "fr",
    ),
    ("Tunisia and Algeria sign energy deal", "Reuters News", "2026-12-01T16:15:00+00:00", "Tarek Amara", "en"),
]


@pytest.mark.parametrize("kind", ["docx", "txt"])
def test_a_nexis_uni_download_is_one_article_each(tmp_path: Path, ingest_options: IngestOptions, kind: str) -> None:
    lines = NEXIS_UNI.splitlines()
    path = tmp_path / "raw" / f"Files (3).{kind}"
    _docx(path, lines) if kind == "docx" else write(path, NEXIS_UNI)
    articles, rejects, stats = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert rejects == [] and stats["records"]["kept"] == 3
    assert _fields(articles) == NEXIS_ARTICLES
    assert articles["raw_format"].unique().tolist() == ["docx" if kind == "docx" else "scraped_text"]
    assert articles["raw_index"].tolist() == [0, 1, 2]
    first = articles.iloc[0]
    # the body only: no cover page, header keys, classification or load date
    assert first.text == (
        "Rabat et Paris ont signé mardi une série d'accords portant sur l'énergie, le rail et l'eau.\n"
        "La visite du ministre français a été saluée par la presse marocaine comme un tournant."
    )
    assert list(first.tags) == ["RELATIONS INTERNATIONALES", "ÉNERGIE", "COMMERCE"]
    assert list(articles.iloc[1].tags) == []  # neither subjects nor a section


def test_a_nexis_uni_pdf_download_is_one_article_each(tmp_path: Path, ingest_options: IngestOptions) -> None:
    """The same download as a PDF: its pages' running header and footer left out, the lines of its
    paragraphs joined (a word cut by a hyphen whole), the articles as from the text file."""
    wrapped = {
        "Rabat et Paris ont signé mardi une série d'accords portant sur l'énergie, le rail et l'eau.": [
            "Rabat et Paris ont signé mardi une série d'accords por-",
            "tant sur l'énergie, le rail et l'eau.",
        ],
        "La visite du ministre français a été saluée par la presse marocaine comme un tournant.": [
            "La visite du ministre français a été saluée par la presse",
            "marocaine comme un tournant.",
        ],
    }
    lines = [part for line in NEXIS_UNI.splitlines() for part in wrapped.get(line, [line])]
    chunks = [lines[at : at + 12] for at in range(0, len(lines), 12)]
    pages = [["Nexis Uni", *chunk, f"Page {n} of {len(chunks)}"] for n, chunk in enumerate(chunks, 1)]
    write(tmp_path / "raw" / "Files (3).pdf", pdf_bytes(pages))
    articles, rejects, stats = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert rejects == [] and stats["records"]["kept"] == 3 and len(pages) >= 5
    assert _fields(articles) == NEXIS_ARTICLES
    assert articles["raw_format"].unique().tolist() == ["pdf"]
    assert articles.iloc[0].text == (
        "Rabat et Paris ont signé mardi une série d'accords portant sur l'énergie, le rail et l'eau.\n"
        "La visite du ministre français a été saluée par la presse marocaine comme un tournant."
    )
    assert list(articles.iloc[0].tags) == ["RELATIONS INTERNATIONALES", "ÉNERGIE", "COMMERCE"]
    assert not any("Page " in text or "Nexis Uni" in text for text in articles.text)


def test_a_lexisnexis_academic_text_export_is_one_article_each(tmp_path: Path, ingest_options: IngestOptions) -> None:
    write(tmp_path / "raw" / "export.txt", ACADEMIC)
    articles, rejects, _ = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert rejects == []
    assert _fields(articles) == [
        (
            "Le Sénégal et le Mali signent un accord frontalier",
            "Le Monde",
            "2006-12-02T00:00:00+00:00",
            "Jean Dupont",
            "fr",
        ),
        ("Morocco Opens Port Near Tangier", "The New York Times", "2006-12-01T00:00:00+00:00", "John Smith", "en"),
    ]
    assert articles.iloc[0].text.startswith("DAKAR: Les deux pays") and "dix ans." in articles.iloc[0].text
    assert "LOAD-DATE" not in articles.iloc[0].text and "Copyright" not in articles.iloc[0].text
    assert list(articles.iloc[1].tags) == ["Section A", "Column 1", "Foreign Desk"]  # its section, page number off


def test_factiva_coded_fields() -> None:
    lines = [
        "HD",
        "Le Niger et le Tchad renforcent leur coopération",
        "BY",
        "Awa Diallo",
        "WC",
        "300 mots",
        "PD",
        "2 décembre 2026",
        "SN",
        "Jeune Afrique",
        "LA",
        "Français",
        "LP",
        "Niamey et N'Djamena ont signé un accord.",
        "TD",
        "Il porte sur la sécurité des frontières.",
        "AN",
        "Document JEUAFR0020261202ekc20001z",
    ]
    assert split_export("\n".join(lines)) == [
        {
            "title": "Le Niger et le Tchad renforcent leur coopération",
            "author": "Awa Diallo",
            "published": "2 décembre 2026",
            "source": "Jeune Afrique",
            "language": "Français",
            "text": "Niamey et N'Djamena ont signé un accord.\nIl porte sur la sécurité des frontières.",
            "record_id": "JEUAFR0020261202ekc20001z",
        }
    ]


EUROPRESSE = """\
Le Monde
International, mercredi 2 décembre 2026 812 mots, p. 4

Rabat et Paris relancent leur partenariat énergétique

Les deux capitales ont signé une feuille de route sur l'hydrogène vert.

Jeanne Martin

Rabat et Paris ont signé mardi une série d'accords.
La visite a été saluée par la presse marocaine.

© 2026 SA Le Monde. Tous droits réservés.

Le présent document est protégé par les lois et conventions internationales sur le droit d'auteur et son \
utilisation est régie par ces lois et conventions.

Certificat émis le 3 décembre 2026 à UNIVERSITE-MOHAMMED-V à des fins de visualisation personnelle et temporaire.

news·20261202·LM·4785521

L'Économiste (Maroc)
Wednesday, December 2, 2026 1 204 words

Morocco and Senegal sign fisheries deal

By Karim Alaoui

The two countries signed the deal on Tuesday.
It runs for four years.

© 2026 L'Économiste. All rights reserved.

This document is protected by international copyright laws and conventions, and its use is governed by these \
laws and conventions.

Certificate issued on December 3, 2026 to UNIVERSITE-MOHAMMED-V for personal and temporary viewing purposes.

news·20261202·ECO·0042
"""

EUROPRESSE_ARTICLES = [
    ("Rabat et Paris relancent leur partenariat énergétique", "Le Monde", "2026-12-02T00:00:00+00:00", "Jeanne Martin"),
    ("Morocco and Senegal sign fisheries deal", "L'Économiste (Maroc)", "2026-12-02T00:00:00+00:00", "Karim Alaoui"),
]


@pytest.mark.parametrize("kind", ["txt", "pdf"])
def test_a_europresse_export_is_one_article_each(tmp_path: Path, ingest_options: IngestOptions, kind: str) -> None:
    """Europresse's PDF (or its text): each article closed by its document name; the word count,
    page, copyright, licence notice and certificate are no text; the section is a tag."""
    lines = EUROPRESSE.splitlines()
    if kind == "pdf":
        pages = [lines[at : at + 14] for at in range(0, len(lines), 14)]
        write(tmp_path / "raw" / "europresse.pdf", pdf_bytes(pages))
    else:
        write(tmp_path / "raw" / "europresse.txt", EUROPRESSE)
    articles, rejects, stats = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert rejects == [] and stats["records"]["kept"] == 2
    assert [f[:4] for f in _fields(articles)] == EUROPRESSE_ARTICLES
    assert articles["record_id"].tolist() == ["news·20261202·LM·4785521", "news·20261202·ECO·0042"]
    assert articles.iloc[0].text == (
        "Les deux capitales ont signé une feuille de route sur l'hydrogène vert.\n"
        "Rabat et Paris ont signé mardi une série d'accords.\n"
        "La visite a été saluée par la presse marocaine."
    )
    assert articles.iloc[1].text == "The two countries signed the deal on Tuesday.\nIt runs for four years."
    assert list(articles.iloc[0].tags) == ["International"]
    joined = "\n".join(articles.text)
    assert not any(word in joined for word in ("mots", "words", "©", "Certifica", "protégé", "protected", "news·"))


def test_a_europresse_text_without_document_names_is_cut_at_each_certificate() -> None:
    text = "\n".join(line for line in EUROPRESSE.splitlines() if not line.startswith("news·"))
    found = split_export(text)
    assert found is not None
    assert [(r["title"], r["source"], r["published"], r.get("section")) for r in found] == [
        (
            "Rabat et Paris relancent leur partenariat énergétique",
            "Le Monde",
            "mercredi 2 décembre 2026",
            "International",
        ),
        ("Morocco and Senegal sign fisheries deal", "L'Économiste (Maroc)", "Wednesday, December 2, 2026", None),
    ]
    assert all("record_id" not in r for r in found)


@pytest.mark.parametrize(
    "text",
    [
        "Un titre\n\nLe texte parle de la fin du document.\nEnd of the story.\n",
        "Un titre\n\nDocument ABCDEFGHIJKLMNOPQRSTUV\nSans compte de mots, ce n'est pas un export.\n",
        "Un titre\n\nEnd of Document\n",  # the marker, and no article around it
        # a certificate that is no Europresse licence's
        "Un titre\n2 décembre 2026\nLe lycée rouvre.\nCertificat émis le 2 mars 2026 par le rectorat.\nFin.\n",
    ],
)
def test_other_text_stays_one_article(text: str) -> None:
    assert split_export(text) is None


def test_a_word_document_of_one_article(tmp_path: Path, ingest_options: IngestOptions) -> None:
    _docx(
        tmp_path / "raw" / "note.docx",
        ["", "La Mauritanie mise sur l'hydrogène vert", "Nouakchott a présenté un plan national."],
        table=["Capacité", "10 GW"],
    )
    write(tmp_path / "raw" / "broken.docx", b"PK\x03\x04 not a zip")
    write(tmp_path / "raw" / "empty.docx", b"")
    _docx(tmp_path / "raw" / "blank.docx", ["", "  "])
    articles, rejects, _ = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert articles["title"].tolist() == ["La Mauritanie mise sur l'hydrogène vert"]
    assert articles["text"].tolist() == ["Nouakchott a présenté un plan national.\nCapacité\n10 GW"]
    assert sorted((Path(r["raw_path"]).name, r["reason"]) for r in rejects) == [
        ("blank.docx", "empty_file"),
        ("broken.docx", "invalid_docx"),
        ("empty.docx", "empty_file"),
    ]


def test_an_rtf_export_is_read_as_its_text(tmp_path: Path, ingest_options: IngestOptions) -> None:
    write(tmp_path / "raw" / "Factiva.rtf", rtf_bytes(FACTIVA.replace("52 %", "52\u202f%")))
    write(tmp_path / "raw" / "note.rtf", rtf_bytes("Le Bénin mise sur le coton\n\nCotonou a présenté sa récolte."))
    write(tmp_path / "raw" / "fake.rtf", "plain text, not RTF")
    articles, rejects, _ = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert articles["title"].tolist() == [
        "Le Maroc accélère sa transition énergétique",
        "Algeria raises gas exports to Italy",
        "Le Bénin mise sur le coton",
    ]
    assert articles["record_id"].tolist()[:2] == ["FIGARO0020261202ekc20000b", "LBA0000020261201ekc1000xy"]
    assert articles.iloc[0].text.startswith("Le royaume vise 52\u202f% d'électricité")
    assert articles.iloc[2].text == "Cotonou a présenté sa récolte."
    assert [(Path(r["raw_path"]).name, r["reason"]) for r in rejects] == [("fake.rtf", "invalid_rtf")]


def test_word_text_boxes_line_breaks_and_tabs_read_once() -> None:
    from analysis.io.loaders import docx_paragraphs

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    box = "<w:txbxContent><w:p><w:r><w:t>Encadré</w:t></w:r></w:p></w:txbxContent>"
    document = (
        f"<w:document {w} {mc}><w:body>"
        "<w:p><w:r><w:t>Avant</w:t><w:tab/><w:t>la boîte</w:t></w:r>"
        f"<mc:AlternateContent><mc:Choice>{box}</mc:Choice><mc:Fallback>{box}</mc:Fallback></mc:AlternateContent>"
        "<w:r><w:t>après</w:t><w:br/><w:t>ligne</w:t></w:r></w:p>"
        "<w:p><w:del><w:r><w:delText>effacé</w:delText></w:r></w:del><w:r><w:t>Fin</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", document)
    assert docx_paragraphs(buffer.getvalue()) == ["Encadré", "Avant\tla boîteaprès\nligne", "Fin"]


# Europresse's PDF as its text layer comes out: a cover page listing the documents, then per
# article the notes on its source (label, value) and the certificate line cut in two
EUROPRESSE_PDF = """\
Sommaire
Documents sauvegardés
Jeudi 3 décembre 2026 à 9 h 41
2 documents
Le Soir · 1 décembre 2026
Kinshasa et Kigali acceptent une mission d'observation
Le ministre s'est rendu dans les deux capitales...
Le Soir
Monde, mardi 1 décembre 2026 645 mots, p. 12
Kinshasa et Kigali acceptent une mission d'observation
Pauline Verhaegen
La République démocratique du Congo et le Rwanda ont accepté mardi une mission d'observation.
La Belgique en assurera la logistique.
Nom de la source
Le Soir
Type de source
Presse • Journaux
Périodicité
Quotidien
Provenance
Bruxelles, Belgique
© 2026 Rossel & Cie S.A. Tous droits réservés.
Le présent document est protégé par les lois et conventions internationales sur le droit d'auteur.
Certificat émis le 3 décembre 2026 à UNIVERSITE-LAVAL à des fins de visualisation
personnelle et temporaire.
news·20261201·SO·ar-115882
Le Temps
Monde, mercredi 2 décembre 2026 - 07:32 UTC +0100 701 mots
Genève accueille des pourparlers sur la mer Noire
Par Léa Favre, Genève
Les délégations de l'Ukraine et de la Russie se retrouvent au Palais des Nations.
La Suisse assure la logistique.
Source name: Le Temps
Origin: Geneva, Switzerland
news·20261202·LTM·0086251
"""


def test_a_europresse_cover_page_listing_its_documents_lengths() -> None:
    """A cover page whose list gives each document's number of words: the article's header is the
    last such line before its first paragraph."""
    listed = EUROPRESSE_PDF.replace("Le Soir · 1 décembre 2026\n", "Le Soir, mardi 1 décembre 2026 645 mots\n").replace(
        "La Belgique en assurera la logistique.",
        "La Belgique en assurera la logistique, a précisé le ministre, qui présentera le dispositif aux partenaires "
        "européens la semaine prochaine à Bruxelles, avant une réunion de l'Union africaine à Addis-Abeba.",
    )
    found = split_export(listed)
    assert found is not None
    assert (found[0]["source"], found[0]["title"], found[0]["published"]) == (
        "Le Soir",
        "Kinshasa et Kigali acceptent une mission d'observation",
        "mardi 1 décembre 2026",
    )


def test_a_europresse_pdf_without_its_cover_page_and_source_notes() -> None:
    """The cover page before the first outlet's line is no article's; the notes on the source are no
    text, their ``Provenance`` (``Origin``) is the outlet's country; the certificate, cut over two
    lines, ends the article; a byline's place after a comma is no name."""
    found = split_export(EUROPRESSE_PDF)
    assert found is not None
    assert [(r["source"], r["title"], r["author"], r["source_country"]) for r in found] == [
        ("Le Soir", "Kinshasa et Kigali acceptent une mission d'observation", "Pauline Verhaegen", "Belgique"),
        ("Le Temps", "Genève accueille des pourparlers sur la mer Noire", "Léa Favre", "Switzerland"),
    ]
    assert found[0]["text"] == (
        "La République démocratique du Congo et le Rwanda ont accepté mardi une mission d'observation.\n"
        "La Belgique en assurera la logistique."
    )
    assert found[1]["text"].endswith("La Suisse assure la logistique.")
    assert found[1]["published"] == "mercredi 2 décembre 2026 - 07:32 UTC +0100"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Par Samir Benmalek", "Samir Benmalek"),
        ("By Sarah Okafor, Political correspondent", "Sarah Okafor"),
        ("Léa Favre, Genève", "Léa Favre"),
        ("Von Katrin Hollmann, Korrespondentin in Warschau", "Katrin Hollmann"),
        ("Jean Dupont, Marie Martin", "Jean Dupont, Marie Martin"),  # two authors
        ("DUPONT, Jean", "DUPONT, Jean"),  # surname first
        ("JEAN-PHILIPPE   GAGNON", "JEAN-PHILIPPE GAGNON"),
    ],
)
def test_a_byline_gives_the_names_alone(line: str, name: str) -> None:
    assert byline_name(line) == name


def test_factiva_edition_and_page_lines_and_a_signature() -> None:
    """A paper's entry may have its edition and page between its code and its language; an article
    signed under its text (no byline) has that signature as its author."""
    text = (
        "Politik\nWarschau und Kiew vereinbaren Rüstungsproduktion\n684 Wörter\n1 Dezember 2026\n"
        "Frankfurter Allgemeine Zeitung\nFAZ\nD2\n8\nDeutsch\n(c) 2026 Frankfurter Allgemeine Zeitung GmbH.\n\n"
        "Polen und die Ukraine wollen gemeinsam Munition herstellen.\nRussland kritisierte das.\n\nMartin Keller\n\n"
        "Dokument FAZ0000020261201ekc10000k\n"
    )
    found = split_export(text)
    assert found is not None
    record = found[0]
    assert (record["source"], record["language"], record["author"]) == (
        "Frankfurter Allgemeine Zeitung",
        "Deutsch",
        "Martin Keller",
    )
    assert record["text"] == "Polen und die Ukraine wollen gemeinsam Munition herstellen.\nRussland kritisierte das."


def test_a_nexis_byline_after_the_body_is_the_author() -> None:
    text = NEXIS_UNI.replace("Byline: Tarek Amara\n", "").replace(
        "expand a gas pipeline.\n", "expand a gas pipeline.\nByline: Tarek Amara\n"
    )
    found = split_export(text)
    assert found is not None
    assert found[2]["author"] == "Tarek Amara" and "Byline" not in found[2]["text"]


@pytest.mark.parametrize(
    ("source", "country"),
    [
        ("Le Matin (Maroc)", "MA"),  # a country in brackets
        ("El Watan (Algérie)", "DZ"),
        ("Le Temps", "CH"),  # outlet_names.toml
        ("Le Temps (Tunisie)", "TN"),  # its brackets before the name
        ("The Guardian (London)", "GB"),  # the name without its brackets
        ("Le Monde - Édition abonnés", "FR"),  # without its edition
        ("Le Devoir", "CA"),  # spells ledevoir.com of outlets.toml
        ("L'Orient-Le Jour", "LB"),
        ("Le Monde.fr", "FR"),  # a site's name: its domain's country
        ("hespress.com", "MA"),
        ("La Presse", None),  # several countries' papers
        ("Le Courrier de l'Ouest (Paris)", None),  # a city in brackets, a name not listed
        # a language's edition after the name (a page's `<title>`: `Hespress FR | …`); it was none
        ("Hespress FR", "MA"),
        ("Le360 Arabic", "MA"),
        ("Yabiladi | Français", "MA"),
        ("Hespress fr", "MA"),  # (a code in capitals or in lower case)
        ("Hespress Fr", None),  # (not as a word: a name's last word)
        ("La Presse English", None),  # the name without it still several countries'
        ("", None),
    ],
)
def test_an_outlet_name_gives_its_country(ingest_options: IngestOptions, source: str, country: str | None) -> None:
    assert name_country(source, ingest_options) == country


def test_an_export_article_takes_its_outlets_country_from_its_name(
    tmp_path: Path, ingest_options: IngestOptions
) -> None:
    write(tmp_path / "raw" / "Factiva.txt", FACTIVA)
    write(tmp_path / "raw" / "europresse.txt", EUROPRESSE)
    articles, _, _ = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert dict(zip(articles.source, articles.source_country, strict=True)) == {
        "Le Figaro": "FR",
        "Reuters News": "GB",
        "Le Monde": "FR",
        "L'Économiste (Maroc)": "MA",
    }


@pytest.mark.parametrize(
    ("last", "author"),
    [
        ("Jeanine Haddad", "Jeanine Haddad"),
        ("Jean DUPONT", "Jean DUPONT"),
        ("Avec AFP", None),  # a credit, not a signature
        ("Photo Reuters", None),
        ("Le Monde", None),  # an outlet's name
        ("La Rédaction", None),
        ("Le gouvernement réclame un plan.", None),  # a sentence
    ],
)
def test_a_signature_under_a_factiva_article(last: str, author: str | None) -> None:
    """An article without byline signed on the line under its text (the second of `FACTIVA`)."""
    found = split_export(FACTIVA.replace("the energy ministry said.\n", f"the energy ministry said.\n\n{last}\n"))
    assert found is not None
    assert found[1].get("author") == author
    assert (last in found[1]["text"]) == (author is None)


def test_a_nexis_uni_download_in_the_german_interface() -> None:
    """Its keys in German: `Ressort`, `Länge`, `Autor`, `Text`, `Klassifikation`, `Sprache`, `Thema`,
    `Ladedatum` (the date when the header, headline and outlet, has none), `Ende des Dokuments`."""
    text = (
        "Polen und Ukraine vereinbaren Rüstungsproduktion\nFrankfurter Allgemeine Zeitung\n"
        "Copyright 2026 Frankfurter Allgemeine Zeitung GmbH Alle Rechte vorbehalten\n\n"
        "Ressort: POLITIK; S. 8\nLänge: 684 Wörter\nAutor: Katrin Hollmann\nText\n\n"
        "Polen und die Ukraine wollen gemeinsam Munition herstellen.\n\nKlassifikation\n"
        "Sprache: DEUTSCH; GERMAN\nPublikationstyp: Zeitung\nThema: VERTEIDIGUNG (90%); RÜSTUNG (84%)\n"
        "Ladedatum: 2. Dezember 2026\nEnde des Dokuments\n"
    )
    found = split_export(text)
    assert found == [
        {
            "section": "POLITIK",
            "author": "Katrin Hollmann",
            "language": "Deutsch",
            "tags": ["VERTEIDIGUNG", "RÜSTUNG"],
            "title": "Polen und Ukraine vereinbaren Rüstungsproduktion",
            "source": "Frankfurter Allgemeine Zeitung",
            "published": "2. Dezember 2026",
            "text": "Polen und die Ukraine wollen gemeinsam Munition herstellen.",
        }
    ]


def _factiva_html(text: str) -> str:
    """Factiva's HTML export of a text export's articles: a list of headlines, then per article its
    lines in `<div>`s and paragraphs, each article in a `<div>` whose class names its language."""
    articles = [a.strip() for a in re.split(r"(?m)(?<=^Document \w{25})$", text) if a.strip()]  # each to its id
    divs = "".join(
        f'<div class="article {"fr" if i == 0 else "en"}Article">'
        + "".join(f"<div>{escape(line)}</div>" if line else "" for line in article.splitlines())
        + "</div>"
        for i, article in enumerate(articles)
    )
    listed = "".join(f"<tr><td>{escape(a.splitlines()[1])}</td></tr>" for a in articles)
    return f'<html><head><title>Factiva</title></head><body><table id="headlines">{listed}</table>{divs}</body></html>'


@pytest.mark.parametrize(
    ("name", "content"), [("Factiva-20261202.txt", FACTIVA), ("Factiva.htm", _factiva_html(FACTIVA))]
)
def test_a_factiva_export_is_one_article_each(
    tmp_path: Path, ingest_options: IngestOptions, name: str, content: str
) -> None:
    """The text export, and the HTML one: its articles' blocks differ in class and have no heading
    element, so the page is read by its lines as the text export is (the headlines listed above the
    first article are no text)."""
    write(tmp_path / "raw" / name, content)
    articles, rejects, _ = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert rejects == []
    assert _fields(articles) == [
        ("Le Maroc accélère sa transition énergétique", "Le Figaro", "2026-12-02T00:00:00+00:00", "Jean Martin", "fr"),
        ("Algeria raises gas exports to Italy", "Reuters News", "2026-12-01T14:05:00+00:00", None, "en"),
    ]
    assert articles["record_id"].tolist() == ["FIGARO0020261202ekc20000b", "LBA0000020261201ekc1000xy"]
    assert articles.iloc[0].text == (
        "Le royaume vise 52 % d'électricité renouvelable d'ici 2030.\n"
        "Le projet Noor, près de Ouarzazate, en est le symbole."
    )


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Olivier Van den Bossche", True),
        ("Ursula von der Leyen et Jean Dupont", True),
        ("Ahmed bin Salem", True),
        ("Jean Martin", True),
        ("La hausse des prix du blé", False),
        ("Le président de la République", False),
        ("Le gouvernement a tranché.", False),
    ],
)
def test_a_byline_may_hold_the_particles_of_names(line: str, names: bool) -> None:
    """A line of names under a headline or a text (an author's), their particles too (the exports
    audit's `Olivier Van den Bossche` was no author)."""
    from analysis.io.press_exports import _looks_like_names

    assert _looks_like_names(line) is names
