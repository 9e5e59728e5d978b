"""HTML files holding several articles load as several; one article page stays one."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.io.html_exports import export_articles
from tests.io.helpers import run, write

# Bodies written for these tests: three to five sentences each, 300+ characters of prose.
BODIES = [
    "Le conseil municipal de Nantes a adopté lundi soir un plan de rénovation des écoles élémentaires "
    "qui doit s’étaler sur six ans. La majorité promet d’isoler en priorité les bâtiments construits "
    "avant 1975, dont les factures de chauffage ont doublé depuis l’hiver dernier. L’opposition juge "
    "le calendrier trop lent et réclame un audit indépendant des chantiers déjà engagés.",
    "Les producteurs de lait de la Manche ont bloqué deux laiteries pendant la nuit pour protester "
    "contre le prix payé au litre, inférieur selon eux au coût de production. Les transformateurs "
    "invoquent la baisse des cours du beurre sur le marché européen. Une réunion de médiation est "
    "prévue jeudi à la préfecture de Saint-Lô, en présence des syndicats agricoles.",
    "La bibliothèque universitaire de Strasbourg ouvrira désormais le dimanche pendant les périodes "
    "d’examens, une demande ancienne des associations étudiantes. Le surcoût, estimé à 180 000 euros "
    "par an, sera partagé entre l’université et la région. Les premiers dimanches d’ouverture sont "
    "annoncés pour la session de janvier, avec des horaires de dix heures à dix-neuf heures.",
    "Un incendie a détruit dans la nuit de samedi à dimanche un entrepôt de la zone portuaire de "
    "Marseille, sans faire de victime. Les marins-pompiers ont mobilisé une soixantaine d’hommes "
    "pendant plus de cinq heures pour circonscrire le feu. L’exploitant affirme que les stocks "
    "étaient assurés et que l’activité reprendra sur un autre site dès la semaine prochaine.",
    "La cour d’appel de Rennes a confirmé la condamnation d’un ancien élu pour prise illégale "
    "d’intérêts dans l’attribution d’un marché de voirie. Il écope de dix-huit mois de prison avec "
    "sursis et de cinq ans d’inéligibilité. Son avocat a annoncé un pourvoi en cassation, estimant "
    "que les juges ont mal apprécié le rôle de la commission d’appel d’offres.",
]
TITLES = [
    "Nantes rénove ses écoles",
    "Colère des producteurs de lait",
    "La bibliothèque ouverte le dimanche",
    "Incendie sur le port de Marseille",
    "Un ancien élu condamné en appel",
]
PAPERS = ["Ouest-Rivage", "La Gazette du Cotentin", "Le Courrier d’Alsace", "Le Phare du Midi"]


def _body(text: str) -> str:
    sentences = text.split(". ")
    return f"<p>{'. '.join(sentences[:2])}.</p><p>{'. '.join(sentences[2:])}</p>"


# (a) an export in <article> elements: publication and date in labelled elements
ARTICLES_EXPORT = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Export de 4 documents</title></head><body>'
    '<div class="banner">Base de presse de démonstration : 4 documents</div>'
    + "".join(
        f'<article class="doc"><header><span class="doc-source">{paper}</span>'
        f'<time datetime="2025-12-0{i + 1}">{i + 1} décembre 2025</time>'
        f'<h2 class="doc-title">{title}</h2><p class="byline">Par Claire Dubois</p></header>'
        f"{_body(body)}</article>"
        for i, (paper, title, body) in enumerate(zip(PAPERS, TITLES, BODIES, strict=False))
    )
    + "<footer>Document imprimé pour usage personnel.</footer></body></html>"
)

# (a) the other convention: repeated <div class="..."> blocks with <hr> between them, metadata
# as labelled lines (`Publié le …`, `© 2025 …`) and a bold heading
DIVS_EXPORT = (
    '<html><head><meta charset="utf-8"><meta property="og:site_name" content="Archives Démo"></head><body>'
    "<p>Résultats de la recherche : 3 articles</p><hr>"
    + "<hr>".join(
        f'<div class="item-article"><div class="item-titre"><b>{title}</b></div>'
        f"<div>Publié le {i + 10} novembre 2025</div>{_body(body)}"
        + (f"<div>© 2025 {paper}. Tous droits réservés.</div>" if i != 1 else "")
        + "</div>"
        for i, (paper, title, body) in enumerate(zip(PAPERS, TITLES, BODIES[:3], strict=False))
    )
    + "</body></html>"
)

MAIN = " ".join(BODIES)  # one long article: five paragraphs, about 1,900 characters

# (b) one article and five related-article teasers, each an <article> with a title and a line
TEASERS = (
    '<html lang="fr"><head><meta charset="utf-8"><title>Nantes rénove ses écoles</title>'
    '<meta property="og:site_name" content="Ouest-Rivage"></head><body><nav><a href="/">Accueil</a></nav>'
    '<main><article class="story"><h1>Nantes rénove ses écoles</h1><time datetime="2025-12-01">1er décembre</time>'
    + "".join(f"<p>{body}</p>" for body in BODIES)
    + "</article><section><h2>À lire aussi</h2>"
    + "".join(
        f'<article class="card"><h3><a href="/a/{i}">{title}</a></h3><p>{body[:110]}…</p></article>'
        for i, (title, body) in enumerate(zip(TITLES, BODIES, strict=False))
    )
    + "</section></main></body></html>"
)


def _comment(i: int, text: str) -> str:
    return f'<div class="c-box"><h4>Lecteur{i}</h4><time datetime="2025-12-0{i}">{i} déc.</time><p>{text}</p></div>'


# (c) one long article and its comments: two of them long, titled by the commenter's name and
# dated, under class names that say nothing (so the coverage rule, not a word, keeps it one)
COMMENTS = (
    '<html lang="fr"><head><meta charset="utf-8"><title>Nantes rénove ses écoles</title></head><body>'
    '<div class="main"><h1>Nantes rénove ses écoles</h1><div class="meta">Publié le 1 décembre 2025</div>'
    + "".join(f"<p>{body}</p>" for body in BODIES)
    + '</div><div class="zone-b">'
    + _comment(1, BODIES[1])
    + _comment(2, "D’accord avec vous.")
    + _comment(3, BODIES[2])
    + _comment(4, "Enfin !")
    + "</div></body></html>"
)

# (e) a live blog: dated, titled posts of 300+ characters, marked as one article by its type
LIVE = (
    '<html lang="fr"><head><meta charset="utf-8"><title>Direct : la tempête</title>'
    '<script type="application/ld+json">{"@type": "LiveBlogPosting", "headline": "Direct"}</script></head>'
    "<body><h1>Tempête sur la côte : suivez la journée en direct</h1>"
    + "".join(
        f'<div class="post"><time datetime="2025-12-02T0{i}:00">0{i}h00</time><h3>{title}</h3><p>{body}</p></div>'
        for i, (title, body) in enumerate(zip(TITLES, BODIES, strict=False))
    )
    + "</body></html>"
)

# a newsletter: one flat run of headings and paragraphs, <hr> between its items, a greeting first
NEWSLETTER = (
    '<html lang="fr"><body><div class="nl"><p>Bonjour, voici votre lettre du mardi.</p><hr>'
    + "<hr>".join(
        f"<h2>{title}</h2><p>Mis en ligne le {i + 3} novembre 2025</p><p>{body}</p>"
        for i, (title, body) in enumerate(zip(TITLES, BODIES[:3], strict=False))
    )
    + "<hr><p>Se désabonner</p></div></body></html>"
)

# (d) an export whose second block has a heading and no body
HEADLINE_ONLY = ARTICLES_EXPORT.replace(_body(BODIES[1]), "")


def test_article_elements_export_loads_one_record_each(tmp_path, ingest_options):
    df, rejects, stats = run(write(tmp_path / "in" / "export.html", ARTICLES_EXPORT), tmp_path / "out", ingest_options)
    assert rejects == []
    assert stats["records"] == {"read": 4, "kept": 4, "rejected": 0}
    df = df.sort_values("raw_index")
    assert list(df.raw_index) == [0, 1, 2, 3]
    assert list(df.title) == TITLES[:4]
    assert list(df.source) == PAPERS
    assert [d.date() for d in df.published] == [date(2025, 12, i) for i in (1, 2, 3, 4)]
    assert list(df.author) == ["Claire Dubois"] * 4  # without the byline's `Par`
    assert set(df.language) == {"fr"}
    first = df.iloc[0].text
    assert first.startswith("Le conseil municipal de Nantes") and first.endswith("des chantiers déjà engagés.")
    assert "Ouest-Rivage" not in first and "Colère" not in first  # no metadata, no other article


def test_div_and_hr_export_reads_labelled_lines(tmp_path, ingest_options):
    df, rejects, stats = run(write(tmp_path / "in" / "export.htm", DIVS_EXPORT), tmp_path / "out", ingest_options)
    assert rejects == [] and stats["records"]["kept"] == 3
    df = df.sort_values("raw_index")
    assert list(df.title) == TITLES[:3]
    assert [d.date() for d in df.published] == [date(2025, 11, 10), date(2025, 11, 11), date(2025, 11, 12)]
    # the second block names no paper: the file's site name is its default
    assert list(df.source) == [PAPERS[0], "Archives Démo", PAPERS[2]]
    assert all("Publié le" not in t and "©" not in t for t in df.text)
    assert df.iloc[2].text.endswith("de dix heures à dix-neuf heures.")


def test_newsletter_cut_at_rules_leaves_its_greeting_out(ingest_options):
    articles, defaults = export_articles(NEWSLETTER, ingest_options.html_exports) or ([], {})
    assert [(a["title"], a["published"]) for a in articles] == [
        (title, f"{day} novembre 2025") for title, day in zip(TITLES, (3, 4, 5), strict=False)
    ]
    assert articles[2]["text"] == BODIES[2] and defaults == {"language": "fr"}


def test_a_block_without_body_is_a_headline_only_article(tmp_path, ingest_options):
    df, rejects, stats = run(write(tmp_path / "in" / "export.html", HEADLINE_ONLY), tmp_path / "out", ingest_options)
    assert rejects == [] and stats["records"] == {"read": 4, "kept": 4, "rejected": 0}
    second = df[df.raw_index == 1].iloc[0]
    assert second.title == TITLES[1] and second.source == PAPERS[1] and pd.isna(second.text)


@pytest.mark.parametrize("page", [TEASERS, COMMENTS, LIVE], ids=["teasers", "comments", "live_blog"])
def test_one_article_page_stays_one_article(tmp_path, ingest_options, page):
    df, rejects, _ = run(write(tmp_path / "in" / "page.html", page), tmp_path / "out", ingest_options)
    assert rejects == [] and len(df) == 1
    assert "Le conseil municipal de Nantes" in df.iloc[0].text


def test_comments_without_telling_class_names_do_not_split(ingest_options):
    # the long comments are titled, dated article-sized blocks: the main article outweighs them
    assert export_articles(COMMENTS, ingest_options.html_exports) is None


def test_exports_can_be_turned_off(ingest_options):
    from dataclasses import replace

    assert export_articles(ARTICLES_EXPORT, ingest_options.html_exports) is not None
    assert export_articles(ARTICLES_EXPORT, replace(ingest_options.html_exports, enabled=False)) is None


# an export whose blocks state their date only inside a header line with other words (section,
# length, page), and close with a footer of legal notes and a document number
HEADER_LINE_EXPORT = (
    '<html lang="fr"><head><meta charset="utf-8"><title>Export</title></head><body><div class="docList">'
    + "".join(
        f'<article><header><div class="DocPublicationName">{paper}</div>'
        f'<div class="rdp__DocHeader"><span>Régions, mardi {i + 2} décembre 2025 {410 + i} mots, p. {i + 3}</span></div>'
        f'<p class="titreArticleVisu">{title}</p><div class="docAuthors">Claire Dubois</div></header>'
        f'<main><div class="DocText">{_body(body)}</div></main>'
        f'<footer><div class="Doc-LegalInfo"><small>© 2025 {paper}. Tous droits réservés.</small> '
        "<small>Le présent document est protégé par les lois sur le droit d'auteur.</small></div>"
        f'<div class="publiC-lblNodoc">news·2025120{i + 2}·DEMO·{i}</div></footer></article>'
        for i, (paper, title, body) in enumerate(zip(PAPERS, TITLES, BODIES, strict=False))
    )
    + "</div></body></html>"
)


def test_a_date_in_a_header_line_and_a_footer_outside_the_body(tmp_path, ingest_options):
    df, rejects, _ = run(write(tmp_path / "in" / "export.html", HEADER_LINE_EXPORT), tmp_path / "out", ingest_options)
    assert rejects == [] and list(df.title) == TITLES[:4]
    assert [d.date() for d in df.published] == [date(2025, 12, i) for i in (2, 3, 4, 5)]
    assert list(df.source) == PAPERS and set(df.author) == {"Claire Dubois"}
    for text, body in zip(df.text, BODIES, strict=False):
        assert text.replace("\n\n", " ") == body  # no header line, legal notes or document number
    # without the header's date line, its words stay (a line of the header that is not a date)
    plain = HEADER_LINE_EXPORT.replace("mardi 2 décembre 2025", "édition du soir")
    articles, _ = export_articles(plain, ingest_options.html_exports)
    assert "published" not in articles[0] and articles[0]["text"].startswith("Régions, édition du soir 410 mots")


def test_a_signature_under_the_last_paragraph_is_the_author(ingest_options):
    """An export's article without an author element, signed on a line of names under its text."""
    signed = ARTICLES_EXPORT.replace('<p class="byline">Par Claire Dubois</p>', "").replace(
        "</p></article>", "</p><p>Mohamed Ali Trabelsi</p></article>"
    )
    articles, _ = export_articles(signed, ingest_options.html_exports)
    assert [a.get("author") for a in articles] == ["Mohamed Ali Trabelsi"] * 4
    assert not any("Trabelsi" in a["text"] for a in articles)
