"""PDF files: their text layer read as a text file's (one article, or a press export's articles);
a PDF that cannot be read gives a reject that says why."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from analysis.config import IngestOptions
from analysis.io.loaders import pdf_text
from tests.io.helpers import pdf_bytes, run, write

ARTICLE = [
    "Sécheresse : le Maroc accélère le dessalement",
    "Le gouvernement a présenté mardi à Rabat un plan national pour l'eau, doté de plu-",
    "sieurs milliards de dirhams, destiné aux régions touchées par six années de séche-",
    "resse. Les barrages du Souss ne sont remplis qu'à 18 %, selon le ministère de l'Équi-",
    "pement, qui promet de nouvelles stations sur la côte atlantique d'ici 2028.",
    "Casablanca sera la première ville servie par la nouvelle usine, dont la construction",
    "commencera au printemps.",
]


def _encrypted(data: bytes, user: str, owner: str) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_article_is_one_article_its_lines_joined(tmp_path: Path, ingest_options: IngestOptions) -> None:
    write(tmp_path / "raw" / "article.pdf", pdf_bytes([ARTICLE]))
    articles, rejects, stats = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert rejects == [] and stats["records"]["kept"] == 1
    article = articles.iloc[0]
    assert (article.title, article.raw_format) == ("Sécheresse : le Maroc accélère le dessalement", "pdf")
    assert article.text == (
        "Le gouvernement a présenté mardi à Rabat un plan national pour l'eau, doté de plusieurs milliards "
        "de dirhams, destiné aux régions touchées par six années de sécheresse. Les barrages du Souss ne "
        "sont remplis qu'à 18 %, selon le ministère de l'Équipement, qui promet de nouvelles stations sur "
        "la côte atlantique d'ici 2028.\n"  # a sentence's end: the next line starts a paragraph
        "Casablanca sera la première ville servie par la nouvelle usine, dont la construction commencera "
        "au printemps."
    )


def test_pdf_text_keeps_short_lines_and_sentences_apart() -> None:
    lines = [
        "Un titre court",
        "une ligne en minuscules après un titre court reste à part car le titre ne remplit pas",
        "la page.",
        "Une phrase qui finit par un point et remplit toute la largeur de la page, ici.",
        "suite en minuscules : une phrase finie n'est pas continuée, même par une minuscule.",
        "Une ligne pleine suivie d'une majuscule garde son saut de ligne car rien ne dit",
        "Rabat, un nom propre, continue peut-être la phrase, ou ouvre un paragraphe.",
    ]
    assert pdf_text([lines]).split("\n") == [
        lines[0],
        f"{lines[1]} {lines[2]}",
        lines[3],
        lines[4],
        lines[5],
        lines[6],
    ]


def test_running_headers_and_footers_go_and_the_text_across_pages_is_joined() -> None:
    words = "Rabat Dakar Paris Tunis Alger Madrid Lisbonne Bamako Niamey Abuja Accra Lomé Cotonou Conakry".split()
    places = iter(words + [w.upper() for w in words])  # (lines alike, numbers aside, would be a running header)
    pages = [
        [
            "Le Matin",
            *(
                f"{next(places)} : un long article sur la coopération entre le Maroc et le Sénégal, suivie"
                for _ in range(5)
            ),
            "2 décembre 2026",
            f"- {n} -",
        ]
        for n in range(1, 5)
    ]
    pages[1][1] = "reprise en minuscules de la phrase coupée par le saut de page, qui continue encore"
    pages[2][-3] = "Une phrase finie au bas de la page, qui ne se poursuit pas sur la page suivante."
    pages[3][1] = "minuscule en tête de page après une phrase finie, qui reste une ligne à part"
    text = pdf_text(pages)
    assert "Le Matin" not in text and "2 décembre 2026" not in text and "- 2 -" not in text
    assert "Sénégal, suivie reprise en minuscules" in text  # one paragraph across the page break
    assert "suivante.\nminuscule en tête" in text  # a sentence's end at the bottom of a page
    two = pdf_text(pages[:2])  # two pages: too few to tell a running header from the text
    assert two.count("Le Matin") == 2


def test_pdfs_that_cannot_be_read_are_rejects_that_say_why(tmp_path: Path, ingest_options: IngestOptions) -> None:
    data = pdf_bytes([ARTICLE])
    write(tmp_path / "raw" / "locked.pdf", _encrypted(data, "secret", "owner"))
    write(tmp_path / "raw" / "owner-only.pdf", _encrypted(data, "", "owner"))  # printing or copying limited: opens
    write(tmp_path / "raw" / "scan.pdf", pdf_bytes([[]]))
    write(tmp_path / "raw" / "cut.pdf", data[:200])
    articles, rejects, stats = run(tmp_path / "raw", tmp_path / "out", ingest_options)
    assert articles.raw_path.str.endswith("owner-only.pdf").tolist() == [True]
    assert articles.iloc[0].title == ARTICLE[0]
    reasons = {Path(r["raw_path"]).name: r["reason"] for r in rejects}
    assert reasons == {"locked.pdf": "encrypted", "scan.pdf": "no_text_layer", "cut.pdf": "invalid_pdf"}
    assert all("pdf" in r["detail"].lower() for r in rejects)
    assert stats["files"]["rejected"] == 3
