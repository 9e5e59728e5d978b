"""Boilerplate additions: short signatures, recurring sentences in long lines, scripts, news furniture rules."""

from __future__ import annotations

import tomllib
from dataclasses import fields

import pytest

from analysis.boilerplate import BoilerplateOptions, BoilerplateRemover, Removed
from analysis.config import load_options
from tests.conftest import ROOT

TOPICS = [
    "the port of Rotterdam", "the steel mills", "the coffee harvest", "the bond market", "the rail network",
    "the wheat crop", "the car makers", "the tin council", "the sugar quota", "the gold reserves",
    "the copper mines", "the shipping lines", "the oil refineries", "the cocoa exports", "the cotton growers",
    "the airline fares", "the power stations", "the paper mills", "the rubber prices", "the fishing fleet",
    "the textile plants", "the cement works", "the dairy farms", "the gas pipelines", "the chemical groups",
]  # fmt: skip


def wire(topic: str, last: str | None = "Reuter", first: str | None = None) -> str:
    """A wire story hard-wrapped like Reuters' (every line its own), the agency's signature on the last line."""
    lines = [
        f"Officials said on Tuesday that {topic} would need new investment",
        f"this year, and talks with the unions about {topic} were expected",
        f"to resume in the coming weeks. The ministry said {topic} could get",
        f"loans and guarantees, but that the owners of {topic} would have to",
        f"present a plan first, with figures on jobs and output for {topic},",
        f"and on the money {topic} expect to raise from their shareholders",
        f"and from the banks, which have been reluctant to lend to {topic}",
        f"since the crisis; a decision on {topic} is expected before May.",
    ]
    return "\n".join(x for x in (first, *lines, last) if x)


def test_a_short_last_line_of_most_articles_is_the_sources_signature():
    texts = [wire(t) for t in TOPICS]
    remover = BoilerplateRemover().fit(texts, ["wire"] * len(texts))
    clean, removed = remover.clean(texts[0], "wire")
    assert removed == [Removed(line=texts[0].count("\n"), reason="signature", text="Reuter")]
    assert clean is not None and "Reuter" not in clean and clean.startswith("Officials said")
    # learned per source: another source ending its texts the same way is not concerned
    assert remover.clean(texts[0], "other")[1] == []


def test_a_short_first_line_is_a_signature_too():
    texts = [wire(t, last=None, first="FLASH") for t in TOPICS]
    remover = BoilerplateRemover().fit(texts, ["wire"] * len(texts))
    assert [(r.line, r.reason, r.text) for r in remover.clean(texts[3], "wire")[1]] == [(0, "signature", "FLASH")]


def test_a_short_line_ending_only_a_few_articles_is_kept():
    texts = [wire(t, last="Reuter" if i < 3 else "(Ends)") for i, t in enumerate(TOPICS)]
    remover = BoilerplateRemover().fit(texts, ["wire"] * len(texts))
    clean, removed = remover.clean(texts[0], "wire")
    assert removed == [] and clean is not None and clean.endswith("Reuter")
    assert [r.reason for r in remover.clean(texts[5], "wire")[1]] == ["signature"]  # "(Ends)" ends 22 of 25


def test_a_small_source_teaches_no_signature():
    texts = [wire(t) for t in TOPICS[:10]]  # under signature_min_articles (20)
    remover = BoilerplateRemover().fit(texts, ["wire"] * len(texts))
    assert remover.clean(texts[0], "wire")[1] == []


def test_a_signature_is_removed_only_where_it_opens_or_ends_a_text():
    texts = [wire(t) for t in TOPICS]
    remover = BoilerplateRemover().fit(texts, ["wire"] * len(texts))
    inside = wire(TOPICS[0], last=None) + "\n\nReuter\n\n" + wire(TOPICS[1], last=None)
    assert remover.clean(inside, "wire")[1] == []


@pytest.mark.parametrize(
    ("options", "signature"),
    [
        (BoilerplateOptions(signature_min_share=0.9), False),  # 22 of 25 is under 90 %
        (BoilerplateOptions(signature_min_articles=30), False),
        (BoilerplateOptions(signature_min_chars=7), False),  # "Reuter" is 6 characters
        (BoilerplateOptions(), True),
    ],
)
def test_signature_thresholds_are_options(options, signature):
    texts = [wire(t, last="Reuter" if i < 22 else "(Ends)") for i, t in enumerate(TOPICS)]
    remover = BoilerplateRemover(options).fit(texts, ["wire"] * len(texts))
    assert bool(remover.clean(texts[0], "wire")[1]) is signature


def test_defaults_file_and_options_agree():
    section = tomllib.loads((ROOT / "src" / "analysis" / "defaults.toml").read_text(encoding="utf-8"))["boilerplate"]
    defaults = BoilerplateOptions()
    assert set(section) == {f.name for f in fields(BoilerplateOptions)}
    for key, value in section.items():
        assert getattr(defaults, key) == (tuple(value) if isinstance(value, list) else value), key
    loaded = load_options(use_user_config=False).boilerplate
    assert (loaded.signature_min_share, loaded.signature_min_articles, loaded.repeat_sentence_share) == (0.3, 20, 0.8)


BODY = (
    "Le gouvernement a présenté mardi un plan pour l'emploi des jeunes, qui vise la création de milliers de postes "
    "dans l'industrie et les services d'ici à la fin de la décennie, selon le ministre."
)
SUBSCRIBE = (
    "Pour soutenir le travail de toute une rédaction, nous vous proposons de vous abonner. Pourquoi voyez-vous ce "
    "message ? Le contenu de ce site est le fruit du travail de nos journalistes, qui vous apportent chaque jour une "
    "information de qualité, fiable et complète. Ce travail s'appuie sur les revenus de la publicité et de l'abonnement."
)


def test_a_long_line_made_of_the_sources_recurring_sentences_is_furniture():
    topics = ["l'eau", "l'école", "le port", "la route", "le stade", "la gare"]
    texts = [f"{BODY} Il s'agit de {topic}.\n\n{SUBSCRIBE}" for topic in topics]
    assert len(SUBSCRIBE) > BoilerplateOptions().repeat_max_chars
    remover = BoilerplateRemover().fit(texts, ["site"] * len(texts))
    clean, removed = remover.clean(texts[0], "site")
    assert clean == f"{BODY} Il s'agit de l'eau."
    assert [(r.reason, r.text) for r in removed] == [("repeated", SUBSCRIBE)]
    # a body paragraph sharing one of those sentences is mostly its own: kept
    own = f"{BODY} Pourquoi voyez-vous ce message ? Parce que le ministre l'a voulu ainsi, a-t-il dit à la presse."
    assert remover.clean(f"{BODY}\n\n{own}", "site")[1] == []


SCRIPT = "\n".join(
    [
        '{"@context":"https://schema.org","@type":"NewsArticle","headline":"Un titre"}',
        'var largeur = $("#graphe").width(),',
        "    mobile = false;",
        "function creerGraphe(data) {",
        "    d3 = d3v5",
        "    maxCas = 0,",
        '    svg.append("g")',
        '        .attr("class", "axes");',
        "    if (i % modulo == 0) {",
        "        ticks.push(i)",
        "    }",
        "}",
        "#premierjanvier .module p {",
        "    margin: 10px 0 25px 0;",
        '    font-family: "Marr Sans", Helvetica, Arial;',
        "}",
    ]
)


def test_scripts_are_removed_and_do_not_split_the_article():
    text = f"{BODY}\n\n{BODY.replace('mardi', 'lundi')}\n\n{SCRIPT}\n\n{BODY.replace('mardi', 'jeudi')}"
    clean, removed = BoilerplateRemover().clean(text)
    assert clean == "\n\n".join([BODY, BODY.replace("mardi", "lundi"), BODY.replace("mardi", "jeudi")])
    reasons = {r.reason for r in removed}
    assert {"rule:json", "rule:code"} <= reasons and "outside_main" not in reasons
    # fragments the rules miss get no good context from the script around them
    assert all(r.reason in ("rule:json", "rule:code", "low_density") for r in removed)


def test_menu_labels_left_between_removed_furniture_go_with_it():
    menu = "\n\n".join(
        f"{label}\n\nRubrique Article réservé à nos abonnés Un autre article sur {label.lower()} et ses suites"
        for label in "Culture Services Newsletters Recherche Économie Sport Planète Idées Vidéos Podcasts Sciences Santé Pixels Société".split()
    )
    teaser = "Une chronique de la semaine passée, sur un tout autre sujet, que le site met en avant."
    text = f"{teaser}\n\n{menu}\n\n{BODY}\n\n{BODY.replace('mardi', 'lundi')}"
    clean, removed = BoilerplateRemover().clean(text)
    assert clean == f"{BODY}\n\n{BODY.replace('mardi', 'lundi')}"
    assert {r.text for r in removed if r.reason == "outside_main"} >= {teaser, "Culture", "Planète"}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Partage", "rule:share"),
        ("Partage désactivé Partage désactivé Envoyer par e-mail", "rule:share"),
        ("Politique Article réservé à nos abonnés Le général qui a trouvé sa voie", "rule:paywall_teaser"),
        ("Codes Promo Fnac", "rule:offers"),
        ("Leçon du jour L'Europe, côté institutions Testez gratuitement", "rule:offers"),
        ("Services Le Monde Les ateliers Mots croisés / Sudokus Guides", "rule:games"),
        ("Écouter aussi Pourquoi le Kazakhstan s'embrase", "rule:read_also"),
        ("Par Philippe Mesmer(Tokyo, correspondance)", "rule:byline"),
        ("Par Anne Hivert (Malmö (Suède), correspondante régionale)", "rule:byline"),
        ("Le Monde avec AFP et Reuters", "rule:agency_byline"),
        ("(AFP)", "rule:agency_byline"),
        ("Des manifestants à Bruxelles, le 23 janvier 2022. GEERT VANDEN WIJNGAERT / AP", "rule:photo_caption"),
        ("VIVI ZANATTA / FOLHAPRESS", "rule:photo_caption"),
        (',"image":{"@type":"ImageObject","url":"https://img.example/x.jpg"}', "rule:json"),
        ("Restrictions sanitaires\\u00a0: des heurts \\u2019ordre \\u00e0 Bruxelles", "rule:json"),
        ('"headline":"Un titre","datePublished":"2022-01-23","author":"X",', "rule:json"),
        ("const isInApp = window.location.href.match(/apps/);", "rule:code"),
        ("@media screen and (max-width: 500px) {", "rule:code"),
    ],
)
def test_rules_for_news_furniture(line, reason):
    units = BoilerplateRemover().classify(f"{BODY}\n\n{line}\n\n{BODY}")
    assert units[1].reason == reason
    assert units[0].reason is None and units[2].reason is None


@pytest.mark.parametrize(
    "line",
    [
        "Le partage des tâches a été désactivé par la direction, selon les syndicats, qui dénoncent une décision brutale.",
        "Secretary Solita Monsod told Reuters that the deal was close and would be signed within the month.",
        "Les mots croisés et les sudokus entretiennent la mémoire des seniors, selon une étude publiée mardi.",
        "Le ministre a dit que les OGM / NBT posent question, et que la Commission devra trancher avant l'été.",
        "Note : la suite du rapport sera publiée en mars ; les députés attendent, a-t-il précisé devant la presse.",
        "Le code promo du gouvernement, un plan de relance des ventes, a été présenté mardi aux commerçants du centre.",
    ],
)
def test_body_sentences_are_not_caught_by_the_new_rules(line):
    units = BoilerplateRemover().classify(f"{BODY}\n\n{line}\n\n{BODY}")
    assert [u.reason for u in units] == [None, None, None]


def test_a_signature_padded_past_the_long_lines_length_is_still_found():
    """A line longer than ``repeat_max_chars`` at an edge: its key is made when its ASCII letters
    are few enough for a signature's (a long line's key is otherwise left unmade)."""
    padded = "Reuter " + "* " * 160
    texts = [wire(t, last=padded) for t in TOPICS]
    remover = BoilerplateRemover().fit(texts, ["wire"] * len(texts))
    assert len(padded) > remover.options.repeat_max_chars
    last = texts[0].count("\n")  # (the long line makes the body look unwrapped: judged otherwise)
    assert [r.reason for r in remover.clean(texts[0], "wire")[1] if r.line == last] == ["signature"]
