"""Markdown files: a web clipper's saved articles, their front matter's fields."""

from __future__ import annotations

import pytest

from analysis.io.markdown import front_matter, markdown_text
from tests.io.helpers import run, write

OBSIDIAN = """---
title: "Le Maroc et l'Espagne renforcent leur coopération"
source: "https://www.hespress.com/fr/le-maroc-et-lespagne-1234.html"
author:
  - "[[Yassine Alaoui]]"
published: 2024-03-18
created: 2024-03-19
description: "Les deux pays ont signé trois accords."
tags:
  - "clippings"
---
![](https://www.hespress.com/img/photo.jpg)

# Le Maroc et l'Espagne renforcent leur coopération

Les deux pays ont signé lundi à **Rabat** trois accords sur la [coopération judiciaire](https://x.ma/tag).

## Un partenariat stratégique

> Nous avons franchi une nouvelle étape, a-t-il déclaré.

- Énergie
- Migration
"""

# MarkDownload's default template: its front matter is not always YAML (a colon in the byline),
# and an excerpt box comes before the article
MARKDOWNLOAD = """---
created: 2024-03-19T10:12:00 (UTC +01:00)
tags: []
source: https://www.lematin.ma/economie/plan-relance/123.html
author: Par Karim Benali: journaliste
---

# Un plan de relance pour les PME

> ## Excerpt
> Le ministre a annoncé un plan.

---

Le ministre de l'Économie a annoncé mardi un plan de relance.
"""


def test_a_web_clipper_s_article(tmp_path, ingest_options):
    """Markdown files were skipped (`*.md` ignored): a clip's front matter gives its fields, the
    page's address its URL and outlet, the clip's time `fetched`; the text is plain, the headline
    written again as its first heading left out."""
    df, rejects, stats = run(write(tmp_path / "raw" / "clip.md", OBSIDIAN), tmp_path / "out", ingest_options)
    assert rejects == [] and stats["files"]["read"] == 1
    article = df.iloc[0]
    assert article.raw_format == "markdown"
    assert article.title == "Le Maroc et l'Espagne renforcent leur coopération"
    assert article.url == "https://www.hespress.com/fr/le-maroc-et-lespagne-1234.html"
    assert (article.source, article.source_country, article.author) == ("hespress.com", "MA", "Yassine Alaoui")
    assert article.published.isoformat() == "2024-03-18T00:00:00+00:00"
    assert article.fetched.isoformat() == "2024-03-19T00:00:00+00:00"
    assert list(article.tags) == ["clippings"]
    assert article.text.split("\n\n") == [
        "Les deux pays ont signé lundi à Rabat trois accords sur la coopération judiciaire.",
        "Un partenariat stratégique",
        "Nous avons franchi une nouvelle étape, a-t-il déclaré.",
        "Énergie",
        "Migration",
    ]


def test_markdownload_s_template(tmp_path, ingest_options):
    df, rejects, _ = run(write(tmp_path / "raw" / "a.md", MARKDOWNLOAD), tmp_path / "out", ingest_options)
    assert rejects == []
    article = df.iloc[0]
    assert article.title == "Un plan de relance pour les PME" and list(article.tags) == []
    assert article.author == "Karim Benali"
    assert article.text == "Le ministre de l'Économie a annoncé mardi un plan de relance."
    assert article.fetched.isoformat() == "2024-03-19T09:12:00+00:00"


def test_markdown_without_front_matter_and_readmes(tmp_path, ingest_options):
    """A Markdown file without front matter is a page whose first heading is the headline; a
    folder's READMEs (`README.md`, `SOURCE-README-x.md`) are no articles."""
    raw = tmp_path / "raw"
    write(raw / "note.md", "# Sécheresse au Maroc\n\nLe gouvernement a annoncé trois stations.\n")
    write(raw / "README.md", "# Corpus\n\nCollected in March.\n")
    write(raw / "SOURCE-README-corpus.md", "# Source\n\nFrom the archive.\n")
    df, rejects, stats = run(raw, tmp_path / "out", ingest_options)
    assert rejects == [] and stats["files"]["ignored"] == 2
    assert list(df.title) == ["Sécheresse au Maroc"]
    assert list(df.text) == ["Le gouvernement a annoncé trois stations."]


@pytest.mark.parametrize(
    ("text", "fields", "body"),
    [
        ("---\ntitle: Un\n---\nCorps", {"title": "Un"}, "Corps"),
        (
            "---\ntitle: Maroc: la sécheresse\ntags: [a, b]\n---\nCorps",
            {"title": "Maroc: la sécheresse", "tags": ["a", "b"]},
            "Corps",
        ),
        ("Pas de front matter\n---\nx", {}, "Pas de front matter\n---\nx"),
        ("---\n- une liste\n---\nCorps", {}, "Corps"),  # (YAML, but no fields)
    ],
)
def test_front_matter(text, fields, body):
    assert front_matter(text) == (fields, body)


def test_markdown_text_keeps_a_link_s_text_and_drops_images():
    assert markdown_text("Voir [le rapport](https://x.ma/r) ![logo](l.png) *ici*.") == "Voir le rapport  ici."
