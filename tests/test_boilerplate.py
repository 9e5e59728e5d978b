"""Boilerplate removal: rules, repetition, density; the seed's exact body; the gold set's scores."""

from __future__ import annotations

import hashlib
import json

import pytest

from analysis.boilerplate import BoilerplateOptions, BoilerplateRemover, _density, _words, load_rules, looks_wrapped
from analysis.text import normalise
from tests.conftest import ROOT, SHARED, shared_path
from tests.io.helpers import run

GOLD = ROOT / "tests" / "gold" / "boilerplate_lines.jsonl"
BODY = "Le ministre a présenté mardi à Rabat un plan national pour l'emploi des jeunes, qui vise la création de 200 000 postes d'ici à 2027 dans l'industrie et les services."


def _reasons_around(line: str) -> list[str | None]:
    """The reasons the units of ``line`` between two body paragraphs go (None: a unit stays)."""
    return [unit.reason for unit in BoilerplateRemover().classify(f"{BODY}\n\n{line}\n\n{BODY}")]


def _no_rule_takes(line: str) -> None:
    """Between two body paragraphs, ``line`` is taken by no rule (it may go for another reason)."""
    reason = _reasons_around(line)[1]
    assert not (reason or "").startswith("rule:"), reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Lire Aussi : L'IA, nouveau moteur de transformation pour le Maroc", "rule:read_also"),
        ("À lire aussi", "rule:read_also"),
        ("Read more: Morocco's new stadium", "rule:read_also"),
        ("Also read: Dubai rents climb for third month", "rule:read_also"),
        ("Also Read | RBI keeps repo rate unchanged", "rule:read_also"),
        ("Related: Iran says talks with the E3 will resume next week", "rule:related"),
        ("Comments are closed on this story.", "rule:comments_closed"),
        (
            "Support PREMIUM TIMES' journalism of integrity and credibility. Good journalism costs a lot of "
            "money. Click here to donate.",
            "rule:donate",
        ),
        ("Partager sur Facebook", "rule:share"),
        ("Facebook Twitter LinkedIn WhatsApp", "rule:share"),
        ("1. Rejoignez notre page Facebook", "rule:social_call"),
        ("Mots Clés : Maroc | Emploi", "rule:tags"),
        ("Publicité", "rule:advertising"),
        ("Photo : AFP / Fadel Senna", "rule:photo_credit"),
        ("© 2025 Horizon Maghreb Éco. Tous droits réservés.", "rule:photo_credit"),
        ("Nous utilisons des cookies pour améliorer votre expérience de navigation.", "rule:cookies"),
        ("Inscrivez-vous à notre newsletter quotidienne", "rule:newsletter"),
        ("Article réservé à nos abonnés", "rule:paywall"),
        ("Par Karim Benali", "rule:byline"),
        ("By Jane Doe, Reporter", "rule:byline"),
        ("Publié le 12 février 2025 à 10h30", "rule:date_line"),
        ("Mis à jour le 11/02/2025", "rule:date_line"),
        ("3 min de lecture", "rule:reading_time"),
        # WordPress's share buttons as a page dump writes them; a blog's byline with its date
        ("Click to share on Facebook (Opens in new window)", "rule:share"),
        ("Cliquez pour partager sur X(ouvre dans une nouvelle fenêtre)", "rule:share"),
        ("Posted by Kwame Mensah on 4 March 2024", "rule:byline"),
        ("Publié le 18/03/2024 à 09:15 (GMT+1) Par Yassine Alaoui", "rule:date_line"),
        ("Publié par Moussa Diop le 14 mars 2024", "rule:byline"),
        # a byline and its dates after bars; a prompt to share; a CMS's comment form's notice
        ("By Jane Wanjiru | Published: March 14, 2024 10:30 am | Updated: March 14, 2024 11:00 am", "rule:byline"),
        ("Par Karim Benali | 14/03/2024 | Mis à jour le 15/03/2024", "rule:byline"),
        ("Por María López | Madrid | 14 mar 2024 - 10:30 CET", "rule:byline"),
        ("Por João Silva, da Reuters | 14/03/2024 às 10h30 - Atualizado há 2 horas", "rule:byline"),
        ("Siga o nosso canal no WhatsApp", "rule:social_call"),
        ("Vous avez aimé cet article ? Partagez-le !", "rule:share"),
        ("Did you enjoy this story? Share it with a friend", "rule:share"),
        (
            "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
            "rule:comment_form",
        ),
        ("Your email address will not be published. Required fields are marked *", "rule:comment_form"),
        # a CMS's view counter, a line alone
        ("Cet article a été lu 2 345 fois", "rule:view_count"),
        ("2 345 vues", "rule:view_count"),
        ("Nombre de vues : 87", "rule:view_count"),
        ("1,234 views", "rule:view_count"),
        ("This article has been read 87 times", "rule:view_count"),
        ("Leído 345 veces", "rule:view_count"),
        ("1.234 Aufrufe", "rule:view_count"),
        ("1234 مشاهدة", "rule:view_count"),
        ("(BUTTON) Rechercher", "rule:lynx_button"),
        ("Nom : ________________", "rule:form_field"),
        ("https://www.exemple.ma/article/123", "rule:url_only"),
        ("épi de blé épi de blé", "rule:doubled_text"),
        ("ONLY AVAILABLE IN PAID PLANS", "rule:api_placeholder"),
        ("[Removed]", "rule:placeholder"),
        # the other languages' most common junk
        ("Lee también: El Gobierno aprueba el plan de empleo", "rule:read_also"),
        ("Lesen Sie auch: Die Regierung plant neue Steuern", "rule:read_also"),
        ("اقرأ أيضاً: الحكومة تعلن عن برنامج جديد", "rule:read_also"),
        ("Leia mais", "rule:read_also"),
        ("Das könnte Sie auch interessieren", "rule:related"),
        (
            "مقالات ذات صلة",
            "rule:section_after_article",
        ),  # a heading over teasers: the page ends (the Arabic press audit)
        ("Compartir en Facebook", "rule:share"),
        ("Etiquetas: economía, política", "rule:tags"),
        ("Pubblicità", "rule:advertising"),
        ("Foto: LA NACION", "rule:photo_credit"),
        ("جميع الحقوق محفوظة © 2024", "rule:copyright"),
        ("Suscríbete a nuestro boletín diario", "rule:newsletter"),
        ("Conteúdo exclusivo para assinantes", "rule:paywall"),
        # Spanish and Latin American sites
        ("Síguenos en Facebook, X e Instagram", "rule:social_call"),
        ("Sigue a EL PAÍS en WhatsApp", "rule:social_call"),
        ("Seguí leyendo", "rule:read_also"),
        ("Recibí las últimas noticias en tu mail", "rule:newsletter"),
        ("Archivado En", "rule:tags"),
        ("Comentarios", "rule:section_after_article"),
        # Brazilian and Portuguese sites (the Portuguese-language press audit)
        ("Continua após a publicidade", "rule:advertising"),
        ("Partilhe este artigo", "rule:share"),
        ("Comentários", "rule:section_after_article"),
        # Dutch and Flemish sites (the Dutch-language press audit)
        ("Dit artikel is exclusief voor abonnees", "rule:paywall"),
        ("Word nu abonnee vanaf € 1,50 per week", "rule:paywall"),
        ("Al abonnee? Log in", "rule:paywall"),
        ("Beeld: Reuters", "rule:photo_credit"),
        ("Beeld ANP", "rule:photo_credit"),
        ("Door onze redacteur Sanne de Boer", "rule:byline"),
        ("Door Erik van der Berg", "rule:byline"),
        ("Gepubliceerd op 1 december 2026, 14.30 uur", "rule:date_line"),
        ("Bijgewerkt 02-12-2026 om 10:15", "rule:date_line"),
        ("ma 30 nov 2026, 18:12", "rule:date_line"),
        ("3 uur geleden", "rule:date_line"),
        ("Leestijd 4 minuten", "rule:reading_time"),
        ("Deel dit artikel", "rule:share"),
        ("Kopieer link", "rule:share"),
        ("Elke vrijdag het belangrijkste nieuws uit de wereld in je mailbox.", "rule:newsletter"),
        ("Meer over dit onderwerp", "rule:section_after_article"),
        ("Reageer", "rule:section_after_article"),
        # the German press: paywalls, bylines, date lines, newsletters, share and comment lines
        ("Jetzt weiterlesen mit SPIEGEL+", "rule:paywall"),
        ("Sie haben bereits ein Digital-Abo? Hier anmelden", "rule:paywall"),
        ("Bestens informiert mit SZ Plus – 4 Wochen kostenlos zur Probe lesen. Jetzt bestellen", "rule:paywall"),
        ("Von Matthias Gebauer und Christoph Schult", "rule:byline"),
        ("Von Jakob Mayr, ARD-Studio Brüssel", "rule:byline"),
        ("Stand: 02.12.2026 10:15 Uhr", "rule:date_line"),
        ("Publiziert: 01.12.2026, 06:00 · Aktualisiert vor 3 Stunden", "rule:date_line"),
        ("vor 3 Stunden", "rule:date_line"),
        ("Teilen Drucken", "rule:share"),
        ("Wirtschaftsnewsletter", "rule:newsletter"),
        ("Jeden Morgen die wichtigsten Nachrichten aus der Wirtschaft. Jetzt kostenlos anmelden.", "rule:newsletter"),
        ("Quelle: F.A.Z.", "rule:source_line"),
        ("Fehler gefunden? Jetzt melden.", "rule:feedback"),
        ("Kommentare (47)", "rule:comments_count"),
        # the francophone press's bylines with their cue and fields, comment sections, teaser boxes
        ("Auteur: Aminata Diallo - Seneweb.com | Publié le 14 Mars 2024 à 16:40 | Lu 2345 fois", "rule:byline"),
        ("Donnez votre avis", "rule:section_after_article"),
        ("Vos réactions (8)", "rule:section_after_article"),
        ("Vous pourriez aussi aimer", "rule:section_after_article"),
        ("Vous devez être inscrit et connecté pour commenter.", "rule:section_after_article"),
        ("Derniers articles", "rule:section_after_article"),
        # an English-language paper's calls and ads after the article
        (
            "Stay informed and ahead of the curve! Follow The Punch Newspaper on WhatsApp for real-time updates, "
            "breaking news, and exclusive content. Don't miss a headline – join now!",
            "rule:social_call",
        ),
        ("Join The Punch Newspapers Channel", "rule:social_call"),
        ("Get up to 10% interest on your investments. Click here to start.", "rule:ad"),
        ("Download e-Copy", "rule:epaper"),
        ("About the Author", "rule:section_after_article"),
        # a CMS's text-size widget
        ("Taille de la police : Réduire Augmenter", "rule:reading_tools"),
        ("Font size: A A A", "rule:reading_tools"),
        ("A+ A-", "rule:share"),  # (a share rule takes the buttons alone first)
        ("Schriftgröße", "rule:reading_tools"),
        ("1.284 Postings", "rule:comments_count"),
        ("Mehr zum Thema", "rule:section_after_article"),
        ("Artikel zum Thema", "rule:section_after_article"),
        ("Weitere Themen", "rule:section_after_article"),
        (
            "Copyright © Neue Zürcher Zeitung AG. Alle Rechte vorbehalten. Vervielfältigung nur mit vorheriger "
            "schriftlicher Genehmigung.",
            "rule:copyright",
        ),
    ],
)
def test_rules_catch_common_junk(line, reason):
    remover = BoilerplateRemover()
    units = remover.classify(f"{BODY}\n\n{line}\n\n{BODY}")
    assert units[1].reason == reason
    assert units[0].reason is None and units[2].reason is None


@pytest.mark.parametrize(
    "line",
    [
        "Par ailleurs, le ministre a rappelé que le chômage des jeunes atteint 36 % en milieu urbain, selon le HCP.",
        # a byline's cue words in a sentence
        "Posted by the ministry on its website, the decree sets the new minimum wage at 3,200 dirhams a month.",
        # a count of readings or views inside a sentence
        "Le rapport a été lu 3 fois en commission avant d'être adopté à l'unanimité mardi soir à Rabat.",
        "12 views on the economy were collected by the central bank in its survey of exporters last month.",
        "Les cookies traditionnels de la médina attirent chaque année des milliers de visiteurs venus de toute l'Europe.",
        "Pour lire la suite du rapport, les députés devront attendre la session d'automne, a précisé le président.",
        # words of the other languages' rules in body sentences: `ver más` without a link's
        # shortness, `Boletín`, `Los temas:` (the tag line starts with its word)
        "Ver más allá de la política, el Gobierno quiere que la economía crezca un 3% este año, según el ministro.",
        "El Boletín Oficial del Estado publicó ayer el decreto que fija el nuevo salario mínimo para este año.",
        "Los temas: la economía y el empleo dominaron el debate parlamentario de ayer en Madrid durante horas.",
        "Mehr dazu sagte der Minister am Dienstag nicht.",
        # the Spanish rules' words in body sentences
        "El presidente sigue leyendo los informes de la policía antes de decidir si cierra la frontera.",
        "Sigue a la espera de una respuesta de Rabat, que no ha fijado fecha para la reunión en Facebook.",
        "Recibí la noticia con sorpresa, dijo el ministro, que pidió calma a los transportistas.",
        "Los comentarios del ministro sobre Ceuta provocaron una protesta formal del Gobierno marroquí.",
        # English words of the rules above in body sentences
        "Also, read the fine print: the contract binds both sides until 2030, the minister warned on Tuesday.",
        "Related charges were filed against three other officials in Lagos on Monday, the police said.",
        "Comments are welcome, the ministry said, inviting the public to respond within 30 days.",
        # the German rules' words in body sentences
        "Von Berlin aus reist die Kanzlerin weiter nach Warschau, wo sie den Präsidenten trifft.",
        "Der Stand der Verhandlungen ist unklar, sagte der Sprecher am 2. Dezember 2026 in Brüssel.",
        "Sie haben bereits angekündigt, dass sie das Abkommen an der Urne bekämpfen werden.",
        "Nutzer können sich jetzt kostenlos anmelden, um an der Abstimmung teilzunehmen, hieß es.",
        "Die Quelle: ein Bericht des Ministeriums, der dieser Zeitung vorliegt, nennt keine Zahlen.",
        "Vor drei Stunden hatte die Polizei die Straße gesperrt, nachdem ein Lastwagen umgekippt war.",
        # the bylines' and comment sections' words in body sentences
        "Auteur d'un rapport sur la dette, le FMI appelle le Sénégal à la prudence budgétaire cette année.",
        "Author Salman Rushdie said on Monday that the novel would be published in French next spring.",
        "Donnez votre avis sur le projet de loi, a lancé le ministre aux députés réunis mardi à Dakar.",
        # the calls' and ads' words in body sentences
        "Stay informed, the health ministry urged, as cases of measles rose in three northern states this week.",
        "Investors who want to read the report can download it from the central bank's website, he said.",
        # the text-size widget's words in body sentences
        "La taille de la police municipale a doublé en dix ans à Casablanca, selon le rapport du conseil.",
        "Font size matters for readers of the printed edition, the editor said in a statement on Monday.",
    ],
)
def test_body_sentences_are_not_caught(line):
    assert _reasons_around(line) == [None, None, None]


@pytest.mark.parametrize(
    "line",
    [
        "O jogo continua após a publicidade do patrocinador, disse o árbitro aos jornalistas em Lisboa.",
        "Partilhe a sua opinião, pediu o ministro aos autarcas reunidos ontem em Coimbra para o debate.",
        "Os comentários do ministro sobre o Orçamento provocaram uma reação imediata dos partidos.",
    ],
)
def test_portuguese_body_sentences_match_no_rule(line):
    """The Portuguese rules' words in body sentences (amid French text the density pass would
    judge them, so the rules are asked alone)."""
    assert [rule.name for rule in load_rules() if rule.pattern.search(line)] == []


@pytest.mark.parametrize(
    "line",
    [
        "Door Rusland gesteunde rebellen hebben de stad dinsdag na dagen van zware gevechten veroverd.",
        "Beeld je in dat je morgen geen werk meer hebt, zei de minister tegen de Kamer.",
        "Word abonnee van de bibliotheek, adviseerde de wethouder de inwoners van Utrecht.",
        "Deel van de olie komt via Turkije toch in Europa terecht, blijkt uit onderzoek.",
        "Vandaag, 2 december, beslist de Tweede Kamer over het voorstel van het kabinet.",
        "Elke dag komen er nieuwe berichten in je mailbox binnen, klagen de ambtenaren.",
        "Meer nieuws over de begroting volgt later vandaag, zei de woordvoerder van het ministerie.",
    ],
)
def test_dutch_body_sentences_match_no_rule(line):
    """The Dutch rules' words in body sentences (asked of the rules alone, as the Portuguese ones)."""
    assert [rule.name for rule in load_rules() if rule.pattern.search(line)] == []


def test_a_news_api_snippet_keeps_its_words_without_the_truncation_mark():
    """NewsAPI's "content" is the text's first 200 characters, then where it was cut: the mark goes
    (it is no sentence end), the ellipsis before it stays, and the snippet, a short block alone, is
    kept as body."""
    text = (
        "Rabat et Madrid ont signé mardi un accord sur l'énergie solaire. Le texte prévoit des "
        "investissements au Sahara. [+1234 chars]"
    )
    cleaned, removed = BoilerplateRemover().clean(text, "Le Monde", "Le Maroc et l'Espagne signent un accord")
    assert cleaned == text.removesuffix(" [+1234 chars]")
    assert [(r.reason, r.text) for r in removed] == []
    english = (
        "Officials from Algeria met their Tunisian counterparts in Tunis on Wednesday to discuss trade… [+800 chars]"
    )
    assert BoilerplateRemover().clean(english)[0] == english.removesuffix(" [+800 chars]")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # a text of one paragraph has no neighbour: prose-like words are its body, sentence end or not
        ("Le Maroc et la France signent un accord sur l'énergie solaire", True),
        ("Yannick Jadot à Lyon, samedi 29 janvier.", True),
        # too short, or a menu written on one line: removed whole
        ("Le Maroc et la France", False),
        ("Accueil Politique Economie Sport Culture Vidéos Contact", False),
    ],
)
def test_a_text_of_one_paragraph_is_judged_alone(text, kept):
    cleaned, removed = BoilerplateRemover().clean(text, "x", "Un titre")
    assert (cleaned == text, [r.reason for r in removed]) == ((True, []) if kept else (False, ["low_density"]))


def test_tail_rule_cuts_everything_after_it():
    text = f"{BODY}\n\n{BODY}\n\nDécouvrir davantage...\n\nUne ligne\n\nEncore une ligne qui pourrait ressembler à du texte."
    clean, removed = BoilerplateRemover().clean(text)
    assert clean == f"{BODY}\n\n{BODY}"
    assert {r.reason for r in removed} == {"rule:discover_more"}


@pytest.mark.parametrize(
    ("line", "kept", "gone"),
    [
        # a feed's newsletter prompt glued to a paragraph's last sentence (the African press
        # audit's Mail & Guardian feed lost its Botswana with it)
        (
            "Botswana has opened the Kazungula route as an alternative for some cargo. Sign up for our newsletter",
            "Botswana has opened the Kazungula route as an alternative for some cargo.",
            ["Sign up for our newsletter"],
        ),
        (
            "Abonnez-vous à notre newsletter. Le ministre a précisé que la frontière rouvrirait dès jeudi matin.",
            "Le ministre a précisé que la frontière rouvrirait dès jeudi matin.",
            ["Abonnez-vous à notre newsletter."],
        ),
        # junk of several sentences, none of them body text, goes whole, as before; and a caption
        # with its credit (a rule marked `whole`), whose first sentence reads as body text
        ("Vous avez aimé cet article ? Abonnez-vous à notre newsletter.", None, None),
        (
            "A Ukrainian serviceman walks between the rubble of the destroyed regional headquarters on March "
            "27, 2022. (Photo by Aris Messinis / AFP)",
            None,
            None,
        ),
        ("Newsletter. Inscrivez-vous. Chaque matin dans votre boîte.", None, None),
    ],
)
def test_junk_glued_to_a_body_sentence_goes_alone(line, kept, gone):
    text = f"{BODY}\n\n{line}\n\n{BODY}"
    clean, removed = BoilerplateRemover().clean(text, "x")
    lines = [r for r in removed if r.line == 1]
    assert all(r.reason.startswith("rule:") for r in lines), lines
    if kept is None:
        assert clean == f"{BODY}\n\n{BODY}"
        assert len(lines) == 1 and lines[0].text == line
    else:
        assert clean == f"{BODY}\n\n{kept}\n\n{BODY}"
        assert [r.text for r in lines] == gone


def test_repeated_lines_of_a_source_are_learned():
    furniture = "Le Journal du Sud, votre quotidien régional depuis 1952"
    topics = ["l'eau", "l'école", "le port", "la route", "le stade", "la gare"]
    texts = [f"{BODY} Il s'agit de {topic}.\n\n{furniture}" for topic in topics]
    remover = BoilerplateRemover().fit(texts, ["sud"] * 6)
    clean, removed = remover.clean(texts[0], "sud")
    assert clean == f"{BODY} Il s'agit de l'eau."
    assert [r.reason for r in removed] == ["repeated"]
    # another source does not inherit it
    assert remover.clean(texts[0], "nord")[0] == texts[0]


def test_exact_copies_do_not_teach_repetition():
    texts = [f"{BODY}\n\nUn paragraphe propre à cet article, repris tel quel."] * 6
    remover = BoilerplateRemover().fit(texts, ["s"] * 6)
    assert remover.clean(texts[0], "s")[1] == []


def test_menus_and_teasers_are_low_density():
    menu = "* Accueil\n* Politique\n* Économie\n* Sport\n* Culture"
    clean, removed = BoilerplateRemover().clean(f"{menu}\n\n{BODY}\n\n{BODY}")
    assert clean == f"{BODY}\n\n{BODY}"
    assert {r.reason for r in removed} == {"low_density"}


def test_list_inside_an_article_is_kept():
    text = f"{BODY}\n\n1. Finlande\n2. Norvège\n3. Maroc\n\n{BODY}"
    assert BoilerplateRemover().clean(text)[0].count("\n") >= 4


def test_wrapped_text_is_unwrapped():
    line = "le ministre a dit que la ville et le port sont prêts pour"
    text = "\n".join(f"{line} {i:02d} jours" for i in range(12)) + "\nfin."
    assert looks_wrapped(text.split("\n"))
    clean, _ = BoilerplateRemover().clean(text)
    assert "\n" not in clean


def test_user_rules_extend_the_data_file():
    remover = BoilerplateRemover(
        BoilerplateOptions(extra_rules=({"name": "promo", "action": "line", "pattern": "^Offre spéciale"},))
    )
    assert remover.classify(f"{BODY}\n\nOffre spéciale : -50 %\n\n{BODY}")[1].reason == "rule:promo"
    with pytest.raises(ValueError, match="action must be"):
        load_rules([{"name": "x", "pattern": "x", "action": "drop"}])


def test_seed_cleans_to_its_ten_paragraphs(tmp_path, ingest_options):
    seed = shared_path("seed", "scraped-article.txt")
    df, _, _ = run(seed, tmp_path / "out", ingest_options)
    article = df.iloc[0]
    clean, removed = BoilerplateRemover().clean(normalise(article.text), article.source, normalise(article.title))
    paragraphs = clean.split("\n\n")
    raw = normalise(seed.read_text(encoding="utf-8")).split("\n\n")
    start = next(i for i, p in enumerate(raw) if p.startswith("Le Maroc a participé"))
    end = next(i for i, p in enumerate(raw) if p.endswith("le changement climatique."))
    expected = [p for p in raw[start : end + 1] if not p.startswith("Lire Aussi")]
    assert len(expected) == 10
    assert paragraphs == expected
    assert removed[0].reason == "rule:read_also"


def _gold():
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


def gold_scores(ingest_options, tmp_path, *, with_shared: bool) -> dict[str, float]:
    """Line-level precision and recall of junk removal on the gold set (see tests/gold/README.md)."""
    entries = [g for g in _gold() if with_shared or not g["raw_path"].startswith("../shared")]
    roots = sorted({g["raw_path"].rsplit("/", 1)[0] for g in entries})
    tables = []
    for n, root in enumerate(roots):
        folder = ROOT / root
        df, _, _ = run(folder, tmp_path / f"g{n}", ingest_options, root=ROOT)
        tables.append(df)
    import pandas as pd

    df = pd.concat(tables)
    remover = BoilerplateRemover().fit(df.text.fillna(""), df.source)
    tp = fp = fn = tn = 0
    for g in entries:
        row = df[(df.raw_path == g["raw_path"]) & (df.raw_index == g["raw_index"])].iloc[0]
        assert hashlib.sha1(row.text.encode("utf-8")).hexdigest() == g["text_sha1"], (
            f"loader output changed: relabel {g['raw_path']}"
        )
        kept = remover.line_labels(row.text, row.source, row.title)
        for keep, label in zip(kept, g["labels"], strict=True):
            junk, predicted = label == "J", not keep
            tp += junk and predicted
            fp += predicted and not junk
            fn += junk and not predicted
            tn += not junk and not predicted
    return {
        "junk_precision": tp / (tp + fp),
        "junk_recall": tp / (tp + fn),
        "body_precision": tn / (tn + fn),
        "body_recall": tn / (tn + fp),
        "lines": tp + fp + fn + tn,
    }


def test_gold_set_on_the_demo_corpus(ingest_options, tmp_path):
    scores = gold_scores(ingest_options, tmp_path, with_shared=False)
    assert scores["lines"] == 96
    assert scores["junk_precision"] == 1.0 and scores["junk_recall"] == 1.0


@pytest.mark.skipif(not SHARED.exists(), reason="shared corpora absent")
def test_gold_set_scores_do_not_drop(ingest_options, tmp_path):
    scores = gold_scores(ingest_options, tmp_path, with_shared=True)
    assert scores["lines"] == 4398
    # measured 2026-12-02: junk P 0.998 R 0.871, body P 0.820 R 0.997; evening: R 0.873, body P 0.823 (2026-11-27: R 0.861, body P 0.810)
    assert scores["junk_precision"] >= 0.99
    assert scores["junk_recall"] >= 0.86
    assert scores["body_recall"] >= 0.99
    assert scores["body_precision"] >= 0.81


@pytest.mark.parametrize(
    "text",
    [
        "Marokko und Deutschland haben am Dienstag eine Vereinbarung über grüne Energie unterzeichnet. "
        "Auch Frankreich und Spanien verfolgen die Gespräche. Die Vereinbarung sieht Investitionen vor.",
        "أعلنت السلطات في المغرب أن العلاقات مع الجزائر تشهد توترا جديدا. وقال وزير الخارجية إن فرنسا "
        "وإسبانيا تتابعان الوضع عن كثب. وأضاف أن الاتحاد الأوروبي يدعو إلى الحوار.",
    ],
)
def test_prose_in_another_language_is_judged_with_its_function_words(text):
    """A German and an Arabic paragraph read as low density with the French and English function
    words (0.17 and 0), which would empty the article; their words fit German's and Arabic's
    stopwords (stopwords-iso), with which they are body."""
    assert _density(text)[1] < 0.18
    assert BoilerplateRemover().clean(text) == (text, [])


def test_a_menu_in_another_language_still_goes():
    """Judged with German's function words, a run of German menu labels is still junk, and the
    body beside it stays."""
    body = (
        "Die Regierung in Rabat hat am Dienstag mitgeteilt, dass die Gespräche mit der Europäischen "
        "Union über ein neues Abkommen fortgesetzt werden. Die Verhandlungen sollen bis zum Sommer "
        "abgeschlossen sein, wie ein Sprecher des Ministeriums sagte."
    )
    menu = "Startseite\nPolitik\nWirtschaft\nKultur\nSport\nWetter"
    cleaned, removed = BoilerplateRemover().clean(f"{menu}\n\n{body}")
    assert cleaned == body
    assert {r.reason for r in removed} == {"low_density"}


def test_a_french_page_keeps_the_curated_function_words():
    """A French text that loses most of itself to density is not judged again: its words fit
    French best (the curated list's language)."""
    from analysis.boilerplate import _fitting_language

    assert _fitting_language("Accueil Politique Économie Sport Culture. Le roi et la reine sont à Rabat.") is None
    assert _fitting_language("Startseite und die Politik der Regierung ist mit dem Sport") == "de"


def test_text_without_spaces_between_words_is_not_judged_by_density():
    """Chinese and Japanese have no spaces, so no words among which to count function words:
    every paragraph read as low density and the whole article went (3,344 of a Chinese page's
    3,414 characters). Such a text keeps its paragraphs; the rules still take their lines."""
    from analysis.boilerplate import _unspaced

    chinese = (
        "翱翔于距地球数千公里的太空中，进入广袤漆黑的未知领域，是一项艰苦卓绝的工作。\n\n"
        "事实上，有证据表明，早在上世纪八十年代就澄清了这一传言。"
    )
    japanese = "トレンドマイクロは3月9日、セキュリティアプリの発売を開始すると発表した。"
    for text in (chinese, japanese):
        assert _unspaced(text)
        cleaned, removed = BoilerplateRemover().clean(f"{text}\n\nAdvertisement\n\n{text}")
        assert cleaned == f"{text}\n\n{text}"
        assert [r.reason for r in removed] == ["rule:advertising"]
    # a few Chinese characters in a French text change nothing
    assert not _unspaced("Le mot 中国 figure dans ce texte français, assez long pour que sa part reste faible.")


def test_prose_in_another_language_that_loses_little_is_judged_with_its_function_words(monkeypatch):
    """A Portuguese article whose lead has few French and English function words (0.05) lost that
    paragraph alone, too little to be judged again; its blocks' words are 0.18 of those function
    words (whole French texts are at least 0.32 of them), so it is judged with Portuguese's."""
    from analysis import boilerplate

    lead = (
        "Técnico rejeita encontro da seleção brasileira com presidente eleito, declarando nesta "
        "terça-feira que todos seguirão concentrados nos treinos previstos pela comissão técnica."
    )
    body = (
        "O treinador explicou que a decisão foi tomada em conjunto com a comissão técnica e com os "
        "jogadores mais experientes do elenco. Segundo ele, não houve qualquer motivação política "
        "na escolha, apenas a necessidade de manter a rotina de preparação durante a semana.\n\n"
        "A confederação informou que o calendário de jogos amistosos será divulgado nos próximos dias, "
        "depois de uma reunião com os dirigentes dos clubes que cedem atletas para a equipe nacional."
    )
    text = f"{lead}\n\n{body}"
    assert BoilerplateRemover().clean(text) == (text, [])
    monkeypatch.setattr(boilerplate, "_FOREIGN_SHARE", 0.0)  # (judged again only when it lost most)
    cleaned, removed = BoilerplateRemover().clean(text)
    assert cleaned == body and [r.reason for r in removed] == ["low_density"]


def test_arabic_prose_counts_the_article_and_the_words_joined_to_it():
    """Arabic writes its article and the conjunction or preposition before it joined to the noun
    (`والمرشح`, and the candidate): counted as one word each, these sports paragraphs were 0.07 to
    0.11 stopwords-iso function words and went as low density (three of a football report's five
    paragraphs). Cut as French `l'Inde` is, they are 0.24 to 0.40, body; the share buttons after
    them still go."""
    from analysis.tokens import iso_stopwords

    body = (
        "يواصل المنتخب الوطني المغربي استعداداته لنهائيات كأس أمم إفريقيا التي تحتضنها المملكة، حيث "
        "استدعى الناخب الوطني وليد الركراكي 26 لاعبا لخوض مباراتين وديتين أمام منتخبي تونس وبوركينا فاسو.\n\n"
        "ويعول الركراكي على ركائز المنتخب الذي بلغ نصف نهائي مونديال قطر 2022، وعلى رأسهم أشرف حكيمي "
        "لاعب باريس سان جيرمان، وإبراهيم دياز نجم ريال مدريد، إلى جانب الحارس ياسين بونو.\n\n"
        "وعلى صعيد آخر، كشفت الجامعة الملكية المغربية لكرة القدم عن تقدم أشغال بناء ملعب الحسن الثاني "
        "الكبير بمنطقة بنسليمان، الذي تبلغ طاقته الاستيعابية 115 ألف متفرج، والمرشح لاحتضان المباراة "
        "النهائية لكأس العالم 2030 التي ينظمها المغرب وإسبانيا والبرتغال."
    )
    first = body.split("\n\n")[0]
    assert _density(first, iso_stopwords("ar"))[1] < 0.1
    assert _density(first, iso_stopwords("ar"), joined=True)[1] > 0.2
    cleaned, removed = BoilerplateRemover().clean(f"{body}\n\nشارك هذا المقال\nفيسبوك\nتويتر\nواتساب")
    assert cleaned == body
    assert [r.text for r in removed] == ["شارك هذا المقال", "فيسبوك", "تويتر", "واتساب"]


def test_korean_prose_counts_the_particles_and_endings_joined_to_its_words():
    """Korean writes its particles and verb endings joined to the word (`한국과`, `대표단이`,
    `참석했습니다`): with no function word written apart, every paragraph of a Korean page was low
    density and its text went whole (the CJK press audit's JoongAng, KBS and Yonhap articles had
    none left). Counted as data/boilerplate.toml's `[joined_endings]` say, the prose is body and
    the menu and buttons around it still go."""
    from analysis.boilerplate import _joined_endings

    body = (
        "우크라이나 재건을 논의하는 국제회의가 오늘 서울에서 개막했습니다. 폴란드와 독일, 프랑스 등 "
        "30여 개국 대표단이 참석했습니다.\n\n"
        "러시아는 이번 회의를 비난하는 성명을 냈습니다. 일본과 튀르키예도 재건 사업 참여를 희망하고 있습니다."
    )
    first = body.split("\n\n")[0]
    assert _density(first)[1] == 0.0
    assert _density(first, endings=_joined_endings("ko"))[1] > 0.3
    assert _density("전체메뉴 구독 로그인", endings=_joined_endings("ko"))[1] == 0.0
    cleaned, removed = BoilerplateRemover().clean(f"전체메뉴\n구독\n로그인\n{body}\n좋아요\n화나요\n공유하기")
    assert cleaned == body
    assert [r.text for r in removed] == ["전체메뉴", "구독", "로그인", "좋아요", "화나요", "공유하기"]


def test_a_short_italian_paragraph_is_judged_with_italian_function_words():
    """English's stopwords-iso list holds `il`, `al`, `la`, `e`, `re`: a two-sentence Italian feed
    summary (0.15 French and English function words) fitted Italian's list 16 words to English's
    11, under the 1.5 margin, and went whole as low density. On the words that tell the two lists
    apart it is 7 to 2: judged with Italian's, it is body. A French menu still fits no other."""
    from analysis.boilerplate import _fitting_language

    text = (
        "Il re di Giordania Abdallah II è stato ricevuto al Quirinale dal presidente Sergio Mattarella. "
        "Al centro dei colloqui la situazione a Gaza e in Cisgiordania e il ruolo di Amman nella crisi siriana."
    )
    assert _density(text)[1] < 0.18
    assert _fitting_language(text) == "it"
    assert BoilerplateRemover().clean(text) == (text, [])
    assert _fitting_language("Accueil Politique Économie Sport Culture. Le roi et la reine sont à Rabat.") is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Riproduzione riservata ©", "rule:copyright"),
        ("Riproduzione riservata © Copyright La Stampa", "rule:copyright"),
        ("Abbonati per continuare a leggere", "rule:paywall"),
        ("Accedi a tutti i contenuti di Repubblica con l'offerta digitale: 1€ al mese per 3 mesi", "rule:paywall"),
        ("Sei già abbonato? Accedi", "rule:paywall"),
        ("Abbonati a Repubblica: 1€ al mese per 3 mesi. Abbonati ora", "rule:paywall"),
        ("Sostieni ilfattoquotidiano.it: senza di te non possiamo informarti davvero. Abbonati", "rule:paywall"),
        ("152 commenti", "rule:comments_count"),
        ("Commenti (48)", "rule:comments_count"),
        ("Tempo di lettura: 4 minuti", "rule:reading_time"),
        ("Ascolta l'articolo", "rule:listen"),
        ("Ascolta la versione audio dell'articolo", "rule:listen"),
        ("di Marco Imarisio", "rule:byline"),
        ("Pubblicato il 1° dicembre 2026 alle 18:40", "rule:date_line"),
        ("02/12/2026 ore 10:30", "rule:date_line"),
        ("Ultimo aggiornamento: 02/12/2026 - 11:05", "rule:date_line"),
        ("Mostra di più", "rule:read_also"),
    ],
)
def test_italian_junk_lines(line, reason):
    """Italian papers' junk (the Italian audit): found only by density before, when it stood
    alone, or left (the paywall notices and 'Sostieni' calls, between body paragraphs)."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    "line",
    [
        "Abbonati in calo per Netflix nel terzo trimestre, il titolo perde il 5% a Wall Street.",
        "Gli abbonati a Sky sono scesi a 4 milioni, secondo i dati diffusi ieri dalla società.",
        "di fronte alla crisi Roma deve agire, ha detto il ministro ai giornalisti.",
        "Di Maio ha incontrato il ministro degli Esteri tunisino a Tunisi.",
        "Sostieni la squadra: i tifosi sono attesi in massa allo stadio domenica.",
        "Il 2 dicembre 2026 il governo ha approvato la manovra in Consiglio dei ministri.",
        "I commenti del ministro sulla Libia hanno provocato la protesta delle opposizioni.",
    ],
)
def test_italian_body_sentences_match_no_rule(line):
    """The Italian rules' words in body sentences (the rules asked alone, as for Portuguese)."""
    assert [rule.name for rule in load_rules() if rule.pattern.search(line)] == []


def test_italian_related_box_after_the_article_is_cut():
    """'Ti potrebbero interessare' and 'Per saperne di più' head the links after an article: the
    teasers under them went with them, not only the heading (left before, with their headlines)."""
    for heading in ("Ti potrebbero interessare", "Per saperne di più"):
        cleaned, removed = BoilerplateRemover().clean(
            f"{BODY}\n\n{BODY}\n\n{heading}\nMigranti, la Cassazione e i paesi sicuri: cosa cambia"
        )
        assert cleaned == f"{BODY}\n\n{BODY}"
        assert {r.reason for r in removed} in ({"rule:section_after_article"}, {"rule:discover_more"})


@pytest.mark.parametrize(
    ("heading", "teaser"),
    [
        ("Leggi anche", "Zelensky: «Senza garanzie nessun accordo con Mosca»"),
        ("À lire aussi", "Au Maroc, la sécheresse pèse sur la récolte de blé"),
        ("Read more", "Morocco's new stadium opens in Tangier"),
    ],
)
def test_a_read_also_heading_alone_takes_the_headline_under_it(heading, teaser):
    """A 'Read also' heading alone on its line links the headline on the next line: it went and
    its headline stayed as body (the Italian audit's Corriere and Repubblica pages; on the gold
    set, junk recall 0.864 -> 0.871, body precision 0.812 -> 0.820, the rest the same). A
    sentence after the heading stays."""
    cleaned, removed = BoilerplateRemover().clean(f"{BODY}\n\n{heading}\n{teaser}\n\n{BODY}")
    assert cleaned == f"{BODY}\n\n{BODY}"
    assert [(r.reason, r.text) for r in removed] == [("rule:read_also", heading), ("rule:read_also", teaser)]
    sentence = "Le gouvernement a confirmé la mesure mardi, après une longue réunion à Rabat."
    cleaned, removed = BoilerplateRemover().clean(f"{BODY}\n\n{heading}\n{sentence}\n\n{BODY}")
    assert sentence in cleaned and [r.text for r in removed] == [heading]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Publié le 02/12/2026 à 10:15 | Par Aliou Ndiaye", "rule:date_line"),
        ("Publié le mardi 2 décembre 2026 | 08:42 GMT | Fraternité Matin", "rule:date_line"),
        ("Publié le mar 02/12/2026 - 11:20 (heure de Kinshasa)", "rule:date_line"),
        ("Publié le 2 décembre 2026 à 6 h 15 HNE", "rule:date_line"),
        ("Mis à jour à 10 h 50", "rule:date_line"),
        ("Publié à 08:12", "rule:date_line"),
        ("il y a 3 heures", "rule:date_line"),
        ("Par Hamid Mohandi 02 Déc. 2026 à 12:04", "rule:date_line"),
        ("Ajouter un commentaire", "rule:section_after_article"),
        ("Vos commentaires", "rule:section_after_article"),
        ("Ouvrir la section commentaires", "rule:section_after_article"),
        ("Vous aimerez aussi", "rule:section_after_article"),
        ("Lisez aussi", "rule:read_also"),
        ("À voir en vidéo", "rule:read_also"),
        ("Nos newsletters", "rule:newsletter"),
        ("S'inscrire", "rule:newsletter"),
        ("Vous avez trouvé une erreur ? Signalez-la", "rule:feedback"),
        ("Vous avez repéré une erreur ? Signalez-la-nous", "rule:feedback"),
        ("Signaler une erreur", "rule:feedback"),
        ("Courriel", "rule:share"),
        ("Partager la page", "rule:share"),
        ("Répondre", "rule:comment_button"),
        ("Télécharger l'application ACTUALITE.CD", "rule:app_promo"),
        ("Suivez TSA sur Google News", "rule:social_call"),
        (
            "The post Bénin : Cotonou et Lomé signent un accord appeared first on La Nouvelle Tribune.",
            "rule:feed_footer",
        ),
        ("L'article Le Mali et le Niger signent un accord est apparu en premier sur Maliweb.", "rule:feed_footer"),
    ],
)
def test_francophone_press_junk_lines(line, reason):
    """Junk of the French-language press of Africa, Belgium, Switzerland, Québec and Haiti (the
    francophone press audit): left in the clean text of its sample before (21 of 100 strings)."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Читайте также: Путин провел телефонный разговор с Пашиняном", "read_also"),
        ("Подробнее читайте на сайте РБК", "read_also"),
        ("Подписывайтесь на РИА Новости в Telegram", "social_call"),
        ("Подпишитесь на нашу рассылку", "social_call"),
        ("Фонтанка.ру в Telegram — подписывайтесь", "social_call"),
        ("Добавьте Интерфакс в избранное", "social_call"),
        ("Поделиться: ВКонтакте Telegram WhatsApp", "share"),
        ("Одноклассники", "share"),
        ("Скопировать ссылку", "share"),
        ("Поділитися", "share"),
        ("Комментарии (12)", "comments_count"),
        ("32 комментария", "comments_count"),
        ("5 коментарів", "comments_count"),
        ("© Ведомости. 1999—2026. Перепечатка материалов без письменного разрешения запрещена.", "copyright"),
        ("Материал защищен авторским правом. © Новая газета Европа", "copyright"),
        ("Источник: Meduza", "byline"),
        ("Текст: Андрей Смирнов", "byline"),
        ("Время публикации: 02.12.2026 09:15 МСК", "date_line"),
        ("02.12.2026 14:35 (обновлено: 02.12.2026 15:10)", "date_line"),
        ("13:52, 1 декабря 2026", "date_line"),
        ("Середа, 2 грудня 2026, 11:20", "date_line"),
        ("Газета «Коммерсантъ» №221 от 02.12.2026, стр. 6", "date_line"),
        ("Российская газета - Федеральный выпуск: №275(9999)", "date_line"),
        ("Поддержите «Медузу»", "donate"),
        ("Нам нужна ваша поддержка. Пожалуйста, помогите нам продолжать работу.", "donate"),
    ],
)
def test_russian_and_ukrainian_junk_lines(line, reason):
    assert reason in [rule.name for rule in load_rules() if rule.pattern.search(line)]


@pytest.mark.parametrize(
    "line",
    [
        "Répondre aux besoins des populations reste la priorité, a dit le ministre devant les députés.",
        "Par ailleurs, le 2 décembre 2026, le gouvernement a adopté un décret sur la pêche artisanale.",
        "Il y a 3 heures, un incendie a ravagé le marché central de Bouaké, selon les pompiers.",
        "Vous avez vu une erreur de calcul dans le budget, a lancé le député à la ministre des Finances.",
        "Publié le mois dernier, le rapport de la Banque mondiale pointe la dette du pays.",
        "Téléchargée plus de deux millions de fois, l'application de paiement mobile séduit les jeunes.",
        "Mis à jour à chaque session, le fichier électoral compte désormais 7 millions d'inscrits.",
        "Signaler les violences reste difficile pour les victimes, selon les ONG.",
        # a lynx dump's wrapped line ending a sentence (`Country climate and development report.`
        # of a shared corpus's page lost its last word to an English `report` button rule)
        "report.",
        "répondre.",
        "vos commentaires.",
        "s'inscrire.",
        "télécharger l'application de la CNSS pour suivre leur dossier, a précisé le directeur.",
    ],
)
def test_francophone_press_body_sentences_match_no_rule(line):
    """The francophone rules' words in body sentences (the rules asked alone)."""
    assert [rule.name for rule in load_rules() if rule.pattern.search(line)] == []


@pytest.mark.parametrize(
    "line",
    [
        "Источники сообщили, что переговоры продолжатся в январе в Женеве.",
        "Текст соглашения пока не опубликован, заявили в МИД Турции.",
        "Подписание документа состоится 18 декабря в Москве, сообщил представитель Кремля.",
        "Комментарии министра вызвали резкую реакцию оппозиции в парламенте.",
        "Читатели Telegram-канала ведомства задали более 300 вопросов о новых правилах.",
        "Поддержка фермеров обойдется бюджету в 12 млрд рублей, подсчитали в Минсельхозе.",
        "2 декабря 2026 года парламент Грузии принял закон во втором чтении.",
        "Перепечатка газетных статей в соцсетях стала темой спора между редакциями, пишет издание.",
    ],
)
def test_russian_body_sentences_match_no_rule(line):
    """The Russian rules' words in body sentences (asked of the rules alone)."""
    assert [rule.name for rule in load_rules() if rule.pattern.search(line)] == []


def test_ukrainian_body_is_judged_with_its_function_words():
    """stopwords-iso's Ukrainian list lacks у, в, на, не, за, його, які...: Ukrainian body
    paragraphs had a density of 0 to 0.08 and went as low density, one in two of an UNIAN story;
    with the function words boilerplate.toml adds they are body, and the menu around them is not."""
    text = (
        "Новини\nПолітика\nЕкономіка\n\n"
        "Україна та Молдова домовилися запровадити спільний прикордонний контроль на трьох пунктах "
        "пропуску. Про це повідомила Державна прикордонна служба.\n\n"
        "Сторони мають обговорити постачання зброї, відновлення енергетики та експорт українського "
        "зерна через порти Литви і Румунії.\n\n"
        "Європейська комісія привітала домовленість. Нагадаємо, раніше Україна підписала подібну "
        "угоду з Польщею.\n\n"
        "Водночас у Москві назвали візит провокацією. Росія продовжує атаки на енергетичну "
        "інфраструктуру України.\n\nПоділитися\nКоментарі"
    )
    cleaned, _ = BoilerplateRemover().clean(text)
    assert cleaned is not None
    assert "з Польщею" in cleaned and "через порти Литви" in cleaned and "у Москві" in cleaned
    assert "Новини" not in cleaned and "Поділитися" not in cleaned


@pytest.mark.parametrize(
    "line",
    [
        "تابع الوزير زيارته إلى مدينة العيون حيث التقى المنتخبين المحليين على هامش المعرض.",
        "تابعونا غدا في تغطية خاصة للانتخابات على قناتنا",
        "شارك المغرب في القمة الإفريقية التي احتضنتها أديس أبابا.",
        "شاركت المملكة في المناورات العسكرية إلى جانب الولايات المتحدة.",
        "اشترك في الندوة عدد من الخبراء من المغرب والجزائر وتونس.",
        "حمل تطبيق الهاتف الجديد أسماء المرشحين وأماكن التصويت.",
        "التعليقات التي نشرها رواد مواقع التواصل أثارت جدلا واسعا.",
        "الأكثر قراءة في المغرب هي الصحف الإلكترونية، حسب دراسة حديثة.",
        "طباعة الكتب المدرسية ستتم محليا ابتداء من الموسم المقبل.",
        "اقرأ أيضا ما كتبه المؤرخون عن تلك الحقبة لتفهم حجم التحول الذي عرفته المنطقة خلال القرن الماضي، "
        "فالقصة أطول بكثير مما يبدو في الصور المتداولة.",
        "وقال إن 12 رجب 1448 هـ سيكون موعدا لانطلاق الموسم.",
    ],
)
def test_arabic_body_sentences_match_no_rule(line):
    """The Arabic rules' words in body sentences (asked of the rules alone; `اشترك` also means took
    part, `تابع` followed, `حمل` carried)."""
    assert [rule.name for rule in load_rules() if rule.pattern.search(line)] == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        # dates as the English-language press outside the US and the UK writes them
        ("On December 2, 2026 10:32 am", "rule:date_line"),
        ("Tuesday, December 02, 2026", "rule:date_line"),
        ("2 Dec, 2026 10:05 AM", "rule:date_line"),
        ("TNN / Updated: Dec 2, 2026, 10:15 IST", "rule:date_line"),
        ("Published: 9:30am, 2 Dec 2026", "rule:date_line"),
        ("Last update on: Tue Dec 2, 2026 02:10 PM", "rule:date_line"),
        ("Updated - December 02, 2026 01:15 pm IST", "rule:date_line"),
        ("Dec 02,2026", "rule:date_line"),
        ("3 mins to read", "rule:reading_time"),
        ("(With inputs from agencies)", "rule:agency_byline"),
        ("Kindly share this story:", "rule:share"),
        ("Click here to start the conversation", "rule:comment_prompt"),
        ("Comments - share your knowledge and experience", "rule:comment_prompt"),
        ("Support Daily Maverick", "rule:donate"),
        (
            "Disclaimer: Comments expressed here do not reflect the opinions of Vanguard newspapers or any employee thereof.",
            "rule:disclaimer",
        ),
        (
            "All rights reserved. This material, and other digital content on this website, may not be reproduced, "
            "published, broadcast, rewritten or redistributed in whole or in part without prior express written "
            "permission from PUNCH.",
            "rule:copyright",
        ),
        ("Catch all the Latest India News, Breaking News and Weather Updates on Hindustan Times.", "rule:site_promo"),
    ],
)
def test_english_world_press_junk_lines(line, reason):
    """Junk of English-language papers of Africa, South Asia, the Gulf and Asia-Pacific (the English
    world press audit): 13 of its sample's 111 strings were left in the clean text before."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    "line",
    [
        "On December 2, 2026, the minister told reporters in Abuja that the road would be finished by 2028.",
        "Support for the reform has grown among farmers since the price was raised in October.",
        "Agencies in Lagos and Accra said the border posts would stay open over the holidays.",
        "Comments made by the governor on Tuesday drew criticism from the opposition party.",
    ],
)
def test_english_world_press_body_sentences_stay(line):
    assert _reasons_around(line) == [None, None, None]


def test_an_appeal_for_money_ends_the_article():
    """`Support X's journalism` heads an appeal that closes the page: it goes with what follows."""
    appeal = "Support PREMIUM TIMES' journalism of integrity and credibility"
    pitch = "At Premium Times, we firmly believe in the importance of high-quality journalism."
    cleaned, _ = BoilerplateRemover().clean(f"{BODY}\n\n{BODY}\n\n{appeal}\n{pitch}")
    assert cleaned == f"{BODY}\n\n{BODY}"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Madrid - 02 dic 2026 - 10:35 CET", "rule:date_line"),
        ("Actualizado: 02/12/2026 14:20 h", "rule:date_line"),
        ("02 de diciembre 2026, 07:25 A. M.", "rule:date_line"),
        ("Se adhiere a los criterios de The Trust Project", "rule:site_promo"),
        ("Conforme a los criterios de", "rule:site_promo"),
        ("Siga bajando para encontrar más contenido", "rule:site_promo"),
        ("Ver comentarios (12)", "rule:comments_count"),
        ("Receba notícias da Folha", "rule:newsletter"),
        ("Cadastre-se e escolha quais newsletters gostaria de receber", "rule:newsletter"),
        ("ABC // JMR", "rule:agency_byline"),
        ("Lusa/Fim", "rule:agency_byline"),
        ("O post Venezuela e Guiana apareceu primeiro em Estadão.", "rule:feed_footer"),
        ("Enviar por email", "rule:share"),
        ("Partilhar por e-mail", "rule:share"),
        ("Escuchar", "rule:listen"),
        ("Ouvir o texto", "rule:listen"),
    ],
)
def test_spanish_and_portuguese_press_junk_lines(line, reason):
    """Junk of Spanish- and Portuguese-language papers (the es/pt press audit): 18 of its sample's
    111 strings were left in the clean text before (after its headline fix)."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    ("heading", "teaser"),
    [
        ("Te puede interesar", "El Albaicín limita los pisos turísticos"),
        ("Más información", "El trigo, en baja por la cosecha récord de Australia"),
        ("Notícias relacionadas", "Guiné-Bissau: oposição denuncia atrasos no recenseamento"),
        ("Leia mais", "Endiama aumenta produção no Lunda Norte"),
    ],
)
def test_spanish_and_portuguese_teaser_headings_take_their_teaser(heading, teaser):
    """A teaser box's heading alone took itself only: its teaser stayed, and named its countries."""
    units = BoilerplateRemover().classify(f"{BODY}\n\n{heading}\n{teaser}")
    reason = "rule:read_also" if heading == "Leia mais" else "rule:related"
    assert [u.reason for u in units] == [None, reason, reason]


def test_spanish_and_portuguese_tag_list_ends_the_article():
    """`MÁS TEMAS:`, `Archivado En`, `Tópicos` head the tags, teasers and comments closing a page."""
    for heading in ("MÁS TEMAS:", "Archivado En", "Tópicos"):
        cleaned, _ = BoilerplateRemover().clean(f"{BODY}\n\n{BODY}\n\n{heading}\nAceite de oliva\nAranceles")
        assert cleaned == f"{BODY}\n\n{BODY}"


@pytest.mark.parametrize(
    "line",
    [
        "Los Gobiernos de España y Marruecos acordaron este martes en Rabat reforzar las patrullas.",
        "El acuerdo se firmó el 2 de diciembre de 2026 en Madrid, ante los dos ministros.",
        "Temas como la migración y la energía dominaron la cumbre de Barcelona.",
        "Receba o ministro as críticas da oposição, disse o deputado, e responda no Parlamento.",
        "Enviar tropas a la frontera no resolverá la crisis, advirtió el ministro.",
        "Escuchar a los agricultores es la prioridad del Gobierno, dijo la ministra.",
    ],
)
def test_spanish_and_portuguese_body_sentences_stay(line):
    assert _reasons_around(line) == [None, None, None]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("02.12.2026, 10.47 Uhr", "rule:date_line"),
        ("2. Dezember 2026, 9:15 Uhr", "rule:date_line"),
        ("02 dicembre 2026 (modificato alle 14:20)", "rule:date_line"),
        ("Artikel zum Hören • 4 Min", "rule:listen"),
        ("Hören", "rule:listen"),
        ("Merken", "rule:share"),
        ("Drucken", "rule:share"),
        ("Deel artikel:", "rule:share"),
        ("Legende: Ein Güterzug bei Chiasso. Keystone/Ti-Press/Samuel Golay", "rule:photo_caption"),
        ("Corriere della Sera - Leggi tutti gli articoli", "rule:site_promo"),
        ("Red. Online", "rule:agency_byline"),
        ("Nieuwsbrief: ontvang elke ochtend het belangrijkste nieuws", "rule:newsletter"),
        ("Die Presse Premium – Jetzt 30 Tage kostenlos testen", "rule:paywall"),
        ("NRC checkt: abonneer je nu voor 1 euro per week", "rule:paywall"),
        ("Per saperne di più: Bce, cosa aspettarsi dalla riunione di dicembre", "rule:read_also"),
    ],
)
def test_german_italian_and_dutch_press_junk_lines(line, reason):
    """Junk of German-, Italian- and Dutch-language papers (the de/it/nl press audit): 26 of its
    sample's 139 strings were left in the clean text before (after its headline fix)."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("SKIP ADVERTISEMENT", "rule:advertising"),
        ("Ad Feedback", "rule:advertising"),
        ("This advertisement has not loaded yet, but your article continues below.", "rule:advertising"),
        (
            "A version of this article appears in print on Dec. 3, 2026, Section A, Page 8 of the New York edition "
            "with the headline: Ukraine and Russia Agree to New Talks.",
            "rule:print_edition",
        ),
        ("A Chinese coast guard vessel sails near Matsu island. (AP Photo/Ng Han Guan)", "rule:photo_caption"),
        ("Prime Minister speaks in Ottawa on Tuesday. (The Canadian Press/Sean Kilpatrick)", "rule:photo_caption"),
        (
            "Copyright 2026 The Associated Press. All rights reserved. This material may not be published, "
            "broadcast, rewritten or redistributed without permission.",
            "rule:copyright",
        ),
        ("Flipboard", "rule:share"),
        ("CLICK HERE TO GET THE FOX NEWS APP", "rule:app_promo"),
        ("Last modified on Wed 2 Dec 2026 13.05 GMT", "rule:date_line"),
        ("Originally Published: December 2, 2026 at 6:00 AM CST", "rule:date_line"),
        ("Wednesday December 02 2026, 7.30am GMT, The Times", "rule:date_line"),
        ("This article was amended on 2 December 2026 to correct the pipeline's length.", "rule:correction"),
        ("Correction: An earlier version of this story misstated the minister's title.", "rule:correction"),
        ("Share or comment on this article:", "rule:share"),
        ("Share this Story: B.C. ports brace for record Asian container traffic", "rule:share"),
        ("Listen | 4 minutes", "rule:listen"),
        ("Find The Irish Times on WhatsApp and stay up to date", "rule:social_call"),
        ("Corrections and clarifications|Submit a news tip|Report error", "rule:site_footer"),
        ("Author of the article: Derrick Penner", "rule:byline"),
        ("Write to Kenji Mori at kenji.mori@wsj.com", "rule:byline"),
        (
            "Conversations are opinions of our readers and are subject to the Code of Conduct. The Star does not "
            "endorse these opinions.",
            "rule:comment_policy",
        ),
        (
            "The Telegraph values your comments but kindly requests all posts are on topic, constructive and "
            "respectful.",
            "rule:comment_policy",
        ),
    ],
)
def test_us_and_uk_press_junk_lines(line, reason):
    """Junk of US, British, Irish and Canadian papers (the US/UK press audit): 24 of its sample's 107
    strings were left in the clean text before."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    ("heading", "teaser"),
    [
        ("Bekijk ook", "Files bij de grens: 'Ik sta elke ochtend een half uur stil'"),
        ("Lees verder", "Haven van Antwerpen: 'We zijn de grootste toegangspoort voor cocaïne in Europa'"),
    ],
)
def test_german_italian_and_dutch_teaser_headings_take_their_teaser(heading, teaser):
    units = BoilerplateRemover().classify(f"{BODY}\n\n{heading}\n{teaser}")
    assert [u.reason for u in units] == [None, "rule:read_also", "rule:read_also"]


def test_german_and_dutch_teaser_boxes_and_tag_lists_end_the_article():
    """`Lesen Sie mehr zum Thema` (the Süddeutsche), `Passend zum Artikel` (the NZZ) and de
    Volkskrant's `Meer over` head the teasers, tags and prompts closing a page."""
    for heading in ("Lesen Sie mehr zum Thema", "Passend zum Artikel", "Meer over"):
        cleaned, _ = BoilerplateRemover().clean(f"{BODY}\n\n{BODY}\n\n{heading}\nNorwegen: Absatz sinkt\nChina")
        assert cleaned == f"{BODY}\n\n{BODY}"


def test_show_comments_ends_the_article():
    """`Show comments` heads the comment section that closes the page: it goes with what follows."""
    cleaned, _ = BoilerplateRemover().clean(f"{BODY}\n\n{BODY}\n\nShow comments\nA reader's view of the deal.")
    assert cleaned == f"{BODY}\n\n{BODY}"


@pytest.mark.parametrize(
    "line",
    [
        "Am 2. Dezember 2026 um 9:15 Uhr trat der Ausschuss in Berlin zusammen.",
        "Hören Sie auf, sagte der Minister, und lesen Sie den Bericht.",
        "Legende ist, dass der Tunnel nie fertig wurde.",
        "Deel van het artikel gaat over de grens met Duitsland en België.",
        "Meer over de grens komen vooral Syriërs en Afghanen, zegt de minister.",
    ],
)
def test_german_italian_and_dutch_body_sentences_stay(line):
    assert _reasons_around(line) == [None, None, None]


@pytest.mark.parametrize(
    "line",
    [
        "Analysts in Hong Kong said the clash could delay talks on a code of conduct.",
        "Contact between the two navies was limited to radio warnings, officials said.",
        "Click here, the minister joked, was not a policy; the tariffs were real.",
        "Listen to the farmers, the senator said, before signing any trade deal.",
        "The photo, taken in Kyiv on Tuesday, showed the damaged power station.",
        "Corrections officers in Ohio went on strike on Wednesday over pay.",
    ],
)
def test_us_and_uk_press_body_sentences_stay(line):
    assert _reasons_around(line) == [None, None, None]


def test_turkish_body_is_judged_with_its_function_words():
    """Turkish attaches its cases to the word (`Rusya'dan`, `gazın`): with stopwords-iso's list a
    news paragraph had a density of 0.10 to 0.16 and the whole of a Cumhuriyet record went as low
    density; with the postpositions and auxiliaries boilerplate.toml adds it is body. `İran`
    lower-cased (i and a combining dot) is one word."""
    text = (
        "Türkiye ile İran arasındaki doğal gaz anlaşması on yıl daha uzatıldı. Anlaşma dün Tahran'da "
        "imzalandı.\n\n"
        "BOTAŞ, Azerbaycan'dan ve Rusya'dan alınan gazın yanı sıra ABD'den aldığı sıvılaştırılmış doğal "
        "gazı da artırıyor. İranlı yetkililer, fiyatın Irak üzerinden geçen boru hattının bakım maliyetine "
        "göre belirleneceğini açıkladı.\n\nAbone Ol"
    )
    cleaned, _ = BoilerplateRemover().clean(text)
    assert cleaned is not None and "Tahran'da" in cleaned and "Irak üzerinden" in cleaned
    assert _words("i̇ran") == ["iran"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Czytaj też: Tusk w Brukseli o pakcie migracyjnym", "rule:read_also"),
        ("Zobacz także: Rekordowe ceny masła w sklepach", "rule:read_also"),
        ("Baca juga: Prabowo Bertemu PM Singapura di Istana Merdeka", "rule:read_also"),
        ("Pilihan Editor: Museum Nasional Dibuka Kembali", "rule:read_also"),
        ("REKLAMA", "rule:advertising"),
        ("SCROLL TO CONTINUE WITH CONTENT", "rule:advertising"),
        ("Udostępnij", "rule:share"),
        ("Paylaş", "rule:share"),
        ("Bagikan", "rule:share"),
        ("Etiketler: Fransa, Almanya, Gümrük Birliği", "rule:tags"),
        ("Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com", "rule:app_promo"),
        ("Penulis: Ahmad Rizki", "rule:byline"),
        ("Editor: Sari Dewi", "rule:byline"),
        ("Baca berita Tempo lainnya di Google News", "rule:social_call"),
        ("Obserwuj nas w Google News", "rule:social_call"),
        ("Milliyet'i Google News'ten takip edin", "rule:social_call"),
        ("Cumhuriyet'i X'te takip edin", "rule:social_call"),
    ],
)
def test_turkish_polish_and_indonesian_press_junk_lines(line, reason):
    """Junk of Turkish, Polish and Indonesian papers (the tr/pl/id press audit), left in the clean
    text before."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    ("heading", "teaser"),
    [
        ("İlgili Haberler", "Atina'dan Ege açıklaması"),
        ("SIRADAKİ HABER", "Çin'den Türk ihracatçılara yeni kota"),
        ("Czytaj więcej", "Węgry blokują unijne cła na nawozy"),
        ("Baca juga:", "Kemenag Buka Pendaftaran Petugas Haji"),
        ("Baca Juga", "Bahlil Minta Eksportir Tahan Penjualan Bijih"),
    ],
)
def test_turkish_polish_and_indonesian_teaser_headings_take_their_teaser(heading, teaser):
    """A teaser box's heading took nothing or itself only: its teaser stayed, and named its countries."""
    units = BoilerplateRemover().classify(f"{BODY}\n\n{heading}\n{teaser}")
    assert [u.reason for u in units] == [None, "rule:read_also", "rule:read_also"]


@pytest.mark.parametrize(
    "line",
    [
        # the rules' words in body sentences
        "Zobacz, jak Polska i Niemcy dzielą się kosztami ochrony granicy, powiedział minister.",
        "Czytaj też raport NIK, apelował poseł, bo liczby mówią same za siebie.",
        "Baca juga laporan BPK, kata anggota DPR, karena angka-angka itu jelas.",
        "Editor: yang paling penting adalah data, katanya di Jakarta pada Selasa.",
        "Reklama polskich produktów w Chinach kosztowała ministerstwo 20 mln zł w tym roku.",
        "Google News'e göre haber trafiği yüzde 12 arttı, dedi şirket yetkilisi.",
    ],
)
def test_turkish_polish_and_indonesian_body_sentences_are_not_caught(line):
    """No rule takes them (between French paragraphs, a sentence of another language may still go
    as low density: that is the density step's call, not a rule's)."""
    _no_rule_takes(line)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        # Chinese, Japanese and Korean page junk (the CJK press audit)
        ("2026-12-02 18:25:36  来源：新华社", "source_line"),
        ("2026年12月02日16:42 | 来源：人民网－国际频道", "source_line"),
        ("责任编辑：赵明 | 版面编辑：李静", "byline"),
        ("(责编：李雪、刘军)", "byline"),
        ("【编辑:刘欢】", "byline"),
        ("文｜财新 记者 王芳", "byline"),
        ("聯合報／記者陳宏明／台北即時報導", "byline"),
        ("이정훈 기자 jhlee@hani.co.kr", "byline"),
        ("min@yna.co.kr", "byline"),
        ("KBS 뉴스 이수진입니다.", "byline"),
        ("分享到：微信 微博", "share"),
        ("扫一扫在手机打开当前页", "share"),
        ("字号：大 中 小", "share"),
        ("この記事をスクラップする", "share"),
        ("좋아요 0", "share"),
        ("登录 | 注册", "site_promo"),
        ("有料会員になると続きをお読みいただけます", "site_promo"),
        ("日経電子版の購読はこちら", "site_promo"),
        ("조선일보 앱에서 더 많은 기사를 보세요", "site_promo"),
        ("刊用本网站稿件，务经书面授权。", "copyright"),
        ("朝日新聞デジタルに掲載の記事・写真の無断転載を禁じます。", "copyright"),
        ("<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>", "copyright"),
        ("相关新闻", "section_after_article"),
        ("関連記事", "section_after_article"),
        ("관련기사", "section_after_article"),
    ],
)
def test_chinese_japanese_and_korean_junk_rules(line, name):
    """The first rule each line matches (asked of the rules alone)."""
    assert next(rule.name for rule in load_rules() if rule.pattern.search(line)) == name


@pytest.mark.parametrize(
    "line",
    [
        "中方代表表示，中方愿同越方一道，推动共建“一带一路”高质量发展。",
        "据俄罗斯媒体报道，消息来源称俄方将通过海运向印度炼油厂稳定供油。",
        "首相は、ワシントンで来月予定される日米2プラス2の準備を急ぐ考えを伝えた。",
        '정부 관계자는 "미국과 중국의 무역 갈등 속에서 수출 시장을 다변화하려는 것"이라고 설명했다.',
        "기자회견에서 장관은 구독자 수가 늘었다고 말했다.",
    ],
)
def test_chinese_japanese_and_korean_body_sentences_match_no_rule(line):
    assert [rule.name for rule in load_rules() if rule.pattern.search(line)] == []


def test_hindi_and_bengali_prose_keeps_its_words_whole_and_ends_with_the_danda():
    """Hindi and Bengali write vowel signs, combining marks that ``\\w`` leaves out: `করেছে` was
    the words `কর`, `ছ` that no stopword list holds, and a sentence ending with the danda (`।`)
    was no sentence, so the South Asian press audit's Bengali export records lost their whole text
    as low density. Read whole, the prose is body and the menu over it still goes."""
    assert _words("আলোচনা শুরু করেছে বাংলাদেশ।") == ["আলোচনা", "শুরু", "করেছে", "বাংলাদেশ"]
    assert _words("कहा कि खाड़ी क्षेत्र") == ["कहा", "कि", "खाड़ी", "क्षेत्र"]
    body = (
        "গঙ্গা পানিচুক্তি নবায়নের বিষয়ে ভারতের সঙ্গে আনুষ্ঠানিক আলোচনা আগামী জানুয়ারিতে দিল্লিতে শুরু "
        "হবে। বুধবার পররাষ্ট্র উপদেষ্টা এ কথা জানান।\n\n"
        "তিনি বলেন, নেপাল ও ভুটানকে যুক্ত করে অববাহিকাভিত্তিক পানি ব্যবস্থাপনার প্রস্তাবও বাংলাদেশ দেবে। "
        "চুক্তির মেয়াদ শেষ হচ্ছে ডিসেম্বরে।"
    )
    cleaned, removed = BoilerplateRemover().clean(f"প্রচ্ছদ\nবাংলাদেশ\nবিশ্ব\nবাণিজ্য\n{body}")
    assert cleaned == body
    assert [r.text for r in removed] == ["প্রচ্ছদ", "বাংলাদেশ", "বিশ্ব", "বাণিজ্য"]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Visual Stories", "section_after_article"),
        ("مزید خبریں", "section_after_article"),
        ("खबरें और भी हैं...", "section_after_article"),
        ("ये भी पढ़ें", "read_also"),
        ("ये भी पढ़ें: चांदी की कीमतों में गिरावट जारी", "read_also"),
        ("আরও পড়ুন", "read_also"),
        ("یہ بھی پڑھیں", "read_also"),
        ("विज्ञापन", "advertising"),
        ("বিজ্ঞাপন", "advertising"),
        ("डिसक्लेमर: यह खबर सामान्य जानकारी के लिए है।", "disclaimer"),
        (
            "हिंदी न्यूज़ से जुड़े अपडेट और खबरों के लिए लाइक करें अमर उजाला के फेसबुक पेज और ट्विटर पेज",
            "social_call",
        ),
        ("جملہ حقوق محفوظ ہیں © روزنامہ جنگ", "copyright"),
        ("স্বত্ব © ২০২৬ প্রথম আলো", "copyright"),
        ("+Text Size", "share"),
        ("AA", "share"),
        (
            "Comments will be edited (grammar, spelling and slang) and authorized at the discretion of Daily Mirror online.",
            "comment_policy",
        ),
        ("Wed Dec 2, 2026 06:45 PM Last update on: Wed Dec 2, 2026 07:30 PM", "date_line"),
    ],
)
def test_south_asian_junk_rules(line, name):
    """The South Asian press audit's junk (the first rule each line matches, asked of the rules alone)."""
    normal = normalise(line)
    assert next(rule.name for rule in load_rules() if rule.pattern.search(normal)) == name


def test_a_call_to_follow_the_outlet_closing_a_paragraph_is_cut():
    """Dawn's feed descriptions end with `Follow Dawn on WhatsApp` after the last sentence: the call
    goes, the paragraph stays; a sentence about following someone stays whole."""
    text = (
        "Karachi port handled a record 1.2 million tonnes of transit cargo for Afghanistan and Uzbekistan in "
        "November, port officials said on Wednesday.\n\nUzbek and Kazakh traders have turned to the route since "
        "the opening of the railway's first section. Follow Dawn on WhatsApp"
    )
    cleaned, _ = BoilerplateRemover().clean(text)
    assert cleaned == text.removesuffix(" Follow Dawn on WhatsApp")
    sentence = "Ministers said they would follow Pakistan on trade policy and watch the talks closely."
    assert [rule.name for rule in load_rules() if rule.pattern.search(sentence)] == []


@pytest.mark.parametrize(
    "line",
    [
        "अमेरिका ने पाकिस्तान और सऊदी अरब के बीच हुए नए रक्षा समझौते पर चिंता जताई है।",
        "भारत के विदेश मंत्रालय ने इस फैसले का स्वागत किया है, और ये भी पढ़ें कि क्या होगा।",
        "বিশ্লেষকেরা বলছেন, ভারতের সমর্থন ছাড়া রাখাইনে স্থিতিশীলতা ফেরানো কঠিন হবে।",
        "ماہرین کا کہنا ہے کہ امریکا اور بھارت اس منصوبے کو تشویش کی نگاہ سے دیکھتے ہیں۔",
        "Comments by the minister were widely reported in the Indian press on Wednesday.",
        "Aa Aa",
    ],
)
def test_south_asian_body_sentences_match_no_rule(line):
    assert [rule.name for rule in load_rules() if rule.pattern.search(normalise(line))] == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Soma zaidi: Bandari ya Dar es Salaam yavunja rekodi ya mizigo", "rule:read_also"),
        ("Soma pia: Wakulima wa chai walalamikia bei duni", "rule:read_also"),
        ("Shiriki", "rule:share"),
        ("Shiriki habari hii", "rule:share"),
        ("Jiunge na chaneli yetu ya WhatsApp", "rule:social_call"),
        ("Jisajili kupata habari kila siku", "rule:social_call"),
        ("Haki zote zimehifadhiwa © 2026 Mwananchi Communications Ltd", "rule:copyright"),
        ("Imeandikwa na Mwandishi Wetu", "rule:byline"),
        ("Login / Register", "rule:login"),
        ("Download the New Vision App", "rule:app_promo"),
    ],
)
def test_african_press_junk_lines(line, reason):
    """Junk of Swahili papers (Taifa Leo, Mwananchi) and East African English sites (the African
    press audit), left in the clean text before."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(("heading", "teaser"), [("Habari Zaidi", "Wakulima wa chai walalamikia bei duni")])
def test_swahili_teaser_headings_take_their_teaser(heading, teaser):
    """Taifa Leo's `Habari Zaidi` (more news) box: its teaser stayed."""
    units = BoilerplateRemover().classify(f"{BODY}\n\n{heading}\n{teaser}")
    assert [u.reason for u in units] == [None, "rule:read_also", "rule:read_also"]


@pytest.mark.parametrize(
    "line",
    [
        "Waziri alisema serikali itashiriki kikamilifu katika mazungumzo hayo, na kuwataka wananchi kuwa watulivu.",
        "Soma zaidi ya ripoti hiyo ilionyesha kuwa bei za mafuta zilipanda kwa asilimia tano mwaka huu.",
        "Jiunge na chama chetu, alisema mgombea huyo, akiwataka vijana kupiga kura kwa wingi Jumamosi.",
        "Users who log in or register on the portal will be able to track their applications online.",
    ],
)
def test_african_press_body_sentences_are_not_caught(line):
    """The rules' words in body sentences: no rule takes them."""
    _no_rule_takes(line)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Tazama pia:", "rule:read_also"),
        ("Usikose", "rule:read_also"),
        ("Zaidi kutoka Taifa Leo", "rule:read_also"),
        ("Editor's Picks", "rule:read_also"),
        ("Matangazo", "rule:advertising"),
        ("Ads by Google", "rule:advertising"),
        ("Maoni (3)", "rule:comments_count"),
        ("Toa maoni yako", "rule:comments_count"),
        ("Have your say", "rule:comments_count"),
        ("Réagissez à cet article", "rule:comments_count"),
        ("Na Mwandishi Wetu", "rule:byline"),
        ("NA WINNIE ONYANDO", "rule:byline"),
        ("Mwandishi: Peter Mwangi", "rule:byline"),
        ("Écrit par Moussa Konaté", "rule:byline"),
        ("Fuatilia habari zetu kupitia Instagram", "rule:social_call"),
        ("Get the latest news delivered to your inbox", "rule:social_call"),
    ],
)
def test_more_african_press_junk_lines(line, reason):
    """More junk of Swahili, East African and francophone African pages (the African press audit)."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    "line",
    [
        "Na baadaye, serikali ilitangaza mpango mpya wa kilimo kwa wakulima wa mahindi katika kaunti za magharibi.",
        "Maoni ya wananchi yalikusanywa na tume hiyo kabla ya ripoti kuwasilishwa bungeni mwezi uliopita.",
        "Tangazo hilo lilitolewa na Waziri wa Fedha jana jioni mjini Dodoma mbele ya waandishi wa habari.",
        "Usikose kusoma ripoti kamili kesho, alisema mhariri mkuu wa gazeti hilo kwa wasomaji wake.",
        "Fuatilia kwa makini, alisema kocha, kwa sababu mechi ya Jumamosi itakuwa ngumu sana kwetu.",
        "Na KENYA na UGANDA zimekubaliana kushirikiana katika mradi huo.",
        "Écrit par des experts, le rapport recommande une réforme du code minier.",
    ],
)
def test_more_african_press_body_sentences_are_not_caught(line):
    """The new rules' words in body sentences: no rule takes them."""
    _no_rule_takes(line)


def test_hebrew_prose_counts_the_function_words_joined_to_its_words():
    """Hebrew writes its article, `and` and prepositions joined to the next word (`בירושלים`,
    `והזהירו`, `הממשלה`): stopwords-iso's Hebrew words, written apart, were about a seventh of a
    news paragraph's, and the Middle East press audit's Haaretz and Ynet paragraphs went as low
    density. Counted as data/boilerplate.toml's `[joined_beginnings]` say, they are body."""
    from analysis.boilerplate import _all_joined_beginnings, _language_function_words

    body = (
        'ראש הממשלה צפוי לשוחח היום עם נשיא ארה"ב על מתווה ההסכם המתגבש בין ישראל לסעודיה. לפי גורמים '
        "בירושלים, וושינגטון מבקשת מישראל להתחייב לצעדים בעניין הרשות הפלסטינית.\n\n"
        "בריאד הבהירו בשבועות האחרונים כי נורמליזציה מותנית בהתקדמות ממשית לקראת מדינה פלסטינית. במקביל, "
        "מצרים וירדן הזהירו מפני הסלמה בגדה המערבית."
    )
    words = _language_function_words("he")
    first = body.split("\n\n")[0]
    assert _density(first, words)[1] < 0.18
    assert _density(first, words, beginnings=_all_joined_beginnings()["he"])[1] > 0.3
    cleaned, removed = BoilerplateRemover().clean(f"{body}\nשתפו בפייסבוק\nהצטרפו לערוץ הטלגרם של הארץ")
    assert cleaned == body
    assert [r.text for r in removed] == ["שתפו בפייסבוק", "הצטרפו לערוץ הטלגרם של הארץ"]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("خبرنگار: مریم احمدی", "byline"),
        ("انتشار دهنده: علی رضایی", "byline"),
        ("לכל הכתבות של רון בן ישי", "byline"),
        ("کد خبر: 85731204", "record_code"),
        ("کد خبر ۶۷۱۲۳۴۵", "record_code"),
        ("اشتراک گذاری", "share"),
        ("لینک کوتاه کپی شد", "share"),
        ("ارسال نظر", "share"),
        ("שתפו בוואטסאפ", "share"),
        ("کلمات کلیدی: دلار، اوپک، بازار ارز", "tags"),
        ("تمامی حقوق این سایت متعلق به خبرگزاری جمهوری اسلامی است.", "copyright"),
        ("کلیه حقوق محفوظ است. نقل مطالب با ذکر منبع بلامانع است.", "copyright"),
        ('כל הזכויות שמורות לוואלה תקשורת בע"מ', "copyright"),
        ('צה"ל תקף הלילה. (צילום: דובר צה"ל)', "photo_credit"),
        ("הצטרפו לערוץ ynet בוואטסאפ", "social_call"),
        ("Stay up to date with the latest news. Follow KT on WhatsApp Channels.", "social_call"),
        ("Get The Times of Israel's Daily Edition by email and never miss our top stories", "newsletter"),
        ("GET IT", "newsletter"),
        ("By signing up, you agree to the terms", "newsletter"),
        ("انتهای پیام/", "tail"),
    ],
)
def test_persian_hebrew_and_gulf_press_junk_rules(line, name):
    """The Middle East press audit's junk: the first rule each line matches (asked of the rules alone)."""
    assert next(rule.name for rule in load_rules() if rule.pattern.search(line)) == name


@pytest.mark.parametrize(
    ("heading", "teaser"),
    [
        ("اخبار مرتبط", "پزشکیان هفته آینده به مسکو سفر می‌کند"),
        ("خبرهای مرتبط", "ایران: بندر چابهار برای تجار افغان باز است"),
        ("پربیننده‌ترین", "قیمت طلا و سکه امروز ۱۱ آذر در بازار"),
        ("עוד בנושא", "שגריר טורקיה חוזר לתל אביב אחרי שנתיים"),
        ("המומלצים", "בעקבות התקיפה: קפריסין מפנה אזרחים"),
        ("Recommended for you", "Nepal, Sri Lanka nationals get visa-free entry to Georgia"),
    ],
)
def test_persian_hebrew_and_gulf_teaser_headings_take_their_teaser(heading, teaser):
    """A teaser box's heading took nothing or itself only: its teaser stayed, and named its countries."""
    cleaned, _ = BoilerplateRemover().clean(f"{BODY}\n\n{heading}\n{teaser}")
    assert cleaned == BODY


@pytest.mark.parametrize(
    "line",
    [
        "به گزارش ایرنا، وزیر امور خارجه کشورمان روز سه‌شنبه در دیدار با همتای عراقی خود در تهران گفت.",
        "خبرنگار ما در کابل گزارش داد که مذاکرات ادامه دارد و نتیجه آن هفته آینده اعلام می‌شود.",
        "وی افزود اخبار مرتبط با تحریم‌ها هر روز بازار ارز را تکان می‌دهد.",
        "במערכת הביטחון מעריכים כי איראן ממשיכה להעביר אמצעי לחימה לארגון דרך עיראק.",
        "עוד בנושא הזה אמר השר כי הממשלה תדון בהצעה בשבוע הבא.",
        "Get the full picture by email, the minister told reporters, before the vote.",
    ],
)
def test_persian_hebrew_and_gulf_body_sentences_match_no_rule(line):
    assert [rule.name for rule in load_rules() if rule.pattern.search(line)] == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Xem thêm: Giá vàng hôm nay tăng mạnh", "rule:read_also"),
        ("อ่านเพิ่มเติม: ราคาทองวันนี้", "rule:read_also"),
        ("BASAHIN: Presyo ng bigas, bumaba", "rule:read_also"),
        ("Chia sẻ", "rule:share"),
        ("แชร์", "rule:share"),
        ("Kongsi", "rule:share"),
        ("I-share", "rule:share"),
        ("Quảng cáo", "rule:advertising"),
        ("Bản quyền thuộc về Thông tấn xã Việt Nam", "rule:copyright"),
        ("Tuổi Trẻ Online giữ bản quyền nội dung", "rule:copyright"),
        ("Hakcipta Terpelihara Utusan Malaysia", "rule:copyright"),
        ("(TTXVN/Vietnam+)", "rule:byline"),
        ("Bình luận (0)", "rule:comments"),
        ("By providing an email address, I agree to the Terms of Use.", "rule:newsletter"),
        ("Theo dõi Thanh Niên trên Google News", "rule:social_call"),
        ("Ikuti Utusan Malaysia di Telegram", "rule:social_call"),
        ("Langgan Malaysiakini untuk berita terkini", "rule:social_call"),
        ("2 ธ.ค. 2569 10:15 น.", "rule:date_line"),
        ("วันที่ 2 ธันวาคม 2569 - 14:30 น.", "rule:date_line"),
    ],
)
def test_vietnamese_thai_malay_and_tagalog_press_junk_lines(line, reason):
    """Junk of Vietnamese, Thai, Malaysian and Philippine papers (the Southeast Asian press audit),
    left in the clean text before."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    ("heading", "teaser"),
    [
        ("Tin cùng chuyên mục", "Indonesia bắt giữ tàu cá nước ngoài"),
        ("Tin liên quan", "Apple tăng sản xuất AirPods ở Việt Nam"),
        ("ข่าวที่เกี่ยวข้อง", "ราคาทองวันนี้ปรับขึ้น"),
        ("Berita berkaitan", "Ringgit dibuka tinggi berbanding dolar AS"),
    ],
)
def test_southeast_asian_teaser_headings_take_their_teaser(heading, teaser):
    """Tuoi Tre's teaser named Indonesia (the audit's one wrong country) under its heading."""
    units = BoilerplateRemover().classify(f"{BODY}\n\n{heading}\n{teaser}")
    assert [u.reason for u in units] == [None, "rule:read_also", "rule:read_also"]


@pytest.mark.parametrize(
    "line",
    [
        "Xem thêm các số liệu, Bộ trưởng cho biết kinh tế tăng trưởng 7% trong năm nay.",
        "Chia sẻ với báo chí, ông cho biết Việt Nam sẽ mở rộng hợp tác với Nhật Bản.",
        "Kongsi maklumat itu penting, katanya dalam sidang media di Putrajaya semalam.",
        "Ikuti perkembangan rundingan dengan Amerika Syarikat, kata menteri itu di Kuala Lumpur.",
    ],
)
def test_southeast_asian_body_sentences_are_not_caught(line):
    """The rules' words in body sentences are no junk."""
    _no_rule_takes(line)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        # Swedish, Danish, Norwegian, Finnish, Greek, Czech, Hungarian and Romanian page junk (the
        # Nordic, Greek and Central/Eastern European press audit)
        (
            "Vi använder cookies för att ge dig en bättre upplevelse av DN.se. Godkänn alla cookies",
            "rule:cookie_notice",
        ),
        ("Käytämme evästeitä parantaaksemme palvelua. Hyväksy kaikki evästeet", "rule:cookie_notice"),
        ("Tento web používá soubory cookie. Souhlasím", "rule:cookie_notice"),
        ("Sütiket használunk a jobb felhasználói élmény érdekében. Elfogadom", "rule:cookie_notice"),
        ("Publicerad 2026-12-02 08.14", "rule:date_line"),
        ("Publicerad: 1 december 2026 kl. 21.30", "rule:date_line"),
        ("2. dec. 2026 kl. 07.45", "rule:date_line"),
        ("Oppdatert: 02.12.2026 11:40", "rule:date_line"),
        ("Päivitetty 2.12.2026 11:02", "rule:date_line"),
        ("02.12.2026 • 08:45", "rule:date_line"),
        ("2026.12.02. 09:41", "rule:date_line"),
        ("Data actualizării: 02-12-2026 11:30", "rule:date_line"),
        ("Ez is érdekelheti: HVG360 előfizetés", "rule:read_also"),
        ("ANNONS", "rule:advertising"),
        ("Hirdetés", "rule:advertising"),
        ("Dela artikeln", "rule:share"),
        ("Κοινοποίηση", "rule:share"),
        ("Distribuie pe Facebook", "rule:share"),
        ("Seuraa Yle Uutisia Facebookissa", "rule:social_call"),
        ("Urmărește Digi24 pe Google News", "rule:social_call"),
        ("Aftonbladet är en del av Schibsted. © Aftonbladet", "rule:copyright"),
    ],
)
def test_nordic_greek_and_central_european_press_junk_lines(line, reason):
    """Junk of these papers, left in the clean text before (cookie banners read as the headline)."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    ("heading", "teaser"),
    [
        ("Läs också", "Danmark köper fler F-35 för Arktis"),
        ("Mest läst", "Kungen besöker Gotland i helgen"),
        ("Lue myös", "Latvia rakentaa aitaa Valko-Venäjän rajalle"),
        ("Διαβάστε επίσης", "Η Αίγυπτος υπογράφει νέα συμφωνία για το φυσικό αέριο"),
        ("Mohlo by vás zajímat", "Maďarsko zdraží dálniční známky"),
        ("Kapcsolódó cikkek", "Romániában újra emelkedik az infláció"),
        ("Citește și", "Ungaria blochează fondurile pentru Kiev"),
    ],
)
def test_nordic_greek_and_central_european_teaser_headings_take_their_teaser(heading, teaser):
    """A teaser box's heading and the teaser under it, which named its countries."""
    units = BoilerplateRemover().classify(f"{BODY}\n\n{heading}\n{teaser}")
    assert [u.reason for u in units] == [None, "rule:section_after_article", "rule:section_after_article"]


@pytest.mark.parametrize(
    "line",
    [
        "Dela upp ansvaret mellan kommunerna, sade ministern på tisdagen i Stockholm.",
        "Del af regeringens plan er at give kommunerne flere penge til ældreplejen.",
        "Läs också rapporten från Riksrevisionen, uppmanade oppositionen i riksdagen i dag.",
        "Annonsen publicerades i går i flera tidningar över hela landet, enligt förlaget.",
        "Kovács Péter szerint 2026. december 2. után változhat a szabályozás az országban.",
    ],
)
def test_nordic_greek_and_central_european_body_sentences_are_not_caught(line):
    """No rule takes a body sentence holding a rule's words."""
    _no_rule_takes(line)


def test_finnish_body_is_judged_with_its_function_words_and_case_endings():
    """Finnish writes its cases as endings (`Pekingissä`, `Taiwanissa`): with stopwords-iso's list a
    Yle record's two paragraphs had a density of 0.07 and 0 and went whole as low density; judged
    Finnish (the days of a report, `keskiviikkona`, and its quantifiers among its function words)
    with its place cases counted as function words, as Korean's particles are, they are body."""
    text = (
        "Kiinan ulkoministeriö kutsui Japanin suurlähettilään puhutteluun Pekingissä keskiviikkona. "
        "Syynä on japanilaisten kansanedustajien vierailu Taiwanissa.\n\n"
        "Japani pitää vierailua yksityisenä. Yhdysvallat kehotti molempia osapuolia malttiin.\n\n"
        "Seuraa Yle Uutisia Facebookissa"
    )
    cleaned, _ = BoilerplateRemover().clean(text)
    assert cleaned is not None and "Taiwanissa" in cleaned and "malttiin" in cleaned
    assert "Facebookissa" not in cleaned


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        # Croatian, Serbian, Bosnian, Slovenian, Bulgarian, Macedonian, Albanian, Lithuanian, Latvian
        # and Estonian page junk (the Balkan and Baltic press audit)
        (
            "Ova web stranica koristi kolačiće kako bi vam pružila bolje korisničko iskustvo. Prihvaćam",
            "rule:cookie_notice",
        ),
        ("Spletna stran uporablja piškotke. Se strinjam", "rule:cookie_notice"),
        ("Този сайт използва бисквитки. Приемам", "rule:cookie_notice"),
        ("Kjo faqe përdor cookies. Pranoj", "rule:cookie_notice"),
        ("Šī vietne izmanto sīkdatnes. Piekrītu", "rule:cookie_notice"),
        ("Kasutame küpsiseid. Nõustun", "rule:cookie_notice"),
        ("Objavljeno: 2. prosinca 2026. u 09:15", "rule:date_line"),
        ("2. december 2026 ob 8.30", "rule:date_line"),
        ("Srijeda, 2. decembar 2026. 15:45", "rule:date_line"),
        ("2026. gada 2. decembris, 10:00", "rule:date_line"),
        ("Oglas", "rule:advertising"),
        ("Oglasno sporočilo", "rule:advertising"),
        ("Podijeli članak", "rule:share"),
        ("Сподели на Facebook", "rule:share"),
        ("Ndaj në Facebook", "rule:share"),
        ("Dalīties", "rule:share"),
        ("LRT.lt, BNS", "rule:agency_credit"),
    ],
)
def test_balkan_and_baltic_press_junk_lines(line, reason):
    """Junk of these papers, left in the clean text before."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    ("heading", "teaser"),
    [
        ("Pročitajte još", "Njemačka uvodi nove kontrole na granici"),
        ("Najčitanije", "Crna Gora uvodi vize za turske državljane"),
        ("Preberite tudi", "Madžarska zapira mejo za tovornjake"),
        ("Lexo edhe", "Mali i Zi rrit çmimin e rrymës"),
        ("Susiję straipsniai", "Estija didina gynybos biudžetą"),
        ("Loe ka", "Leedu ostab uued tankid"),
    ],
)
def test_balkan_and_baltic_teaser_headings_take_their_teaser(heading, teaser):
    """A teaser box's heading and the teaser under it, which named its countries."""
    units = BoilerplateRemover().classify(f"{BODY}\n\n{heading}\n{teaser}")
    assert [u.reason for u in units] == [None, "rule:section_after_article", "rule:section_after_article"]


@pytest.mark.parametrize(
    "line",
    [
        "Oglas je objavljen u utorak, a natječaj traje do kraja mjeseca, rekao je ministar.",
        "Podijeli se odgovornost između ministarstava, kazao je premijer u Zagrebu.",
        "Jaga see info kõigi partneritega, ütles minister teisipäeval Tallinnas.",
        "BNS praneša, kad ministrai susitikimą surengė Vilniuje antradienį.",
    ],
)
def test_balkan_and_baltic_body_sentences_are_not_caught(line):
    """No rule takes a body sentence holding a rule's words."""
    _no_rule_takes(line)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Eesti ja Soome põhivõrguettevõtted allkirjastasid Tallinnas lepingu uue merekaabli rajamiseks. "
            "Kaabel peaks valmima 2030. aastaks ja vähendama Eesti sõltuvust Lätist imporditavast elektrist.\n\n"
            "Venemaa on viimastel aastatel mitu korda kahjustanud Läänemere kaableid, ütles minister.",
            "Lätist",
        ),
        (
            "Qeveritë e Kosovës dhe Shqipërisë nënshkruan në Prishtinë një marrëveshje për tregun e "
            "përbashkët të energjisë elektrike. Kryeministri tha se Kosova do të importojë më pak energji "
            "nga Serbia.\n\nEdhe Maqedonia e Veriut ka shprehur interes për t'iu bashkuar tregut.",
            "Serbia",
        ),
    ],
)
def test_estonian_and_albanian_bodies_are_judged_with_their_function_words(text, kept):
    """ERR's Estonian body (stopwords-iso's list of 35 words) and Koha's Albanian one (no list at
    all) went whole as low density; judged with their function words they are body."""
    cleaned, _ = BoilerplateRemover().clean(text)
    assert cleaned is not None and kept in cleaned


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("More on this story: Agriculture, Drought, Government", "rule:tags"),
        ("Plus d'articles sur : Agriculture, Sécheresse, Gouvernement", "rule:tags"),
        ("Altre notizie su: Agricoltura, Siccità, Governo", "rule:tags"),
        ("Mais notícias sobre: Agricultura, Seca, Governo", "rule:tags"),
        ("Themen: Landwirtschaft, Dürre, Bundesregierung", "rule:tags"),
        ("Meer over: Landbouw, Droogte, Kabinet", "rule:tags"),
        ("Diese Website verwendet Cookies, um Ihr Nutzererlebnis zu verbessern. Akzeptieren", "rule:cookies"),
        ("Questo sito utilizza cookie per migliorare l'esperienza dell'utente. Accetta", "rule:cookies"),
        ("Este site utiliza cookies para melhorar a experiência do utilizador. Aceitar", "rule:cookies"),
        ("Este sitio web utiliza cookies para mejorar la experiencia del usuario. Aceptar", "rule:cookies"),
        ("Mentions légales | Politique de confidentialité | Gestion des cookies", "rule:site_footer"),
        ("Impressum | Datenschutz | Cookie-Einstellungen", "rule:site_footer"),
        ("Aviso legal | Política de privacidad | Política de cookies", "rule:site_footer"),
        ("Termos de uso • Política de privacidade", "rule:site_footer"),
        ("Disclaimer | Privacybeleid | Cookiebeleid", "rule:site_footer"),
        ("Our Standards: The Thomson Reuters Trust Principles.", "rule:site_footer"),
        ("Have a story? Email us at tips@example.com", "rule:site_footer"),
        ("Image caption, Farmers in Kent inspect a dried-up pond", "rule:photo_caption"),
        ("Luister naar dit artikel", "rule:listen"),
        (
            "(Reporting by John Smith in Rabat; Additional reporting by Jane Doe; Editing by Ed Osmond)",
            "rule:agency_byline",
        ),
        ("Writing by John Smith; Editing by Jane Doe", "rule:agency_byline"),
        ("(Reporting by Élise Dupont in Paris; Editing by Ömer Yılmaz)", "rule:agency_byline"),
        ("Associated Press writer Jane Doe in Cairo contributed to this report.", "rule:agency_byline"),
        ("Jane Doe contributed reporting from Rabat.", "rule:agency_byline"),
        ("This article was originally published on The Conversation.", "rule:republication"),
        ("Cet article a d'abord été publié sur The Conversation.", "rule:republication"),
        ("This story has been corrected to show the package is worth 500 million pounds.", "rule:correction"),
        ("— Nasser Bourita (@NasserBourita) March 12, 2024", "rule:embed"),
        ("A post shared by Hespress (@hespress) on Mar 12, 2024 at 10:45am PDT", "rule:embed"),
        ("View this post on Instagram", "rule:embed"),
        ("About the author: John Smith covers North Africa for Example News.", "rule:author_box"),
        ("Contact the author: jsmith@example.com", "rule:author_box"),
        ("Support independent journalism. Donate today.", "rule:donate"),
        ("Leave a comment below.", "rule:comment_prompt"),
    ],
)
def test_page_furniture_in_more_languages(line, reason):
    """Tag lines, cookie banners, legal links, credits, notes and embeds' frames as sites write
    them in English, French, Spanish, Portuguese, Italian, German and Dutch, between two body
    paragraphs: all were kept before (most of them at a text's end too)."""
    assert _reasons_around(line) == [None, reason, None]


@pytest.mark.parametrize(
    "line",
    [
        "Themen wie Migration und Energie dominierten den Gipfel in Brüssel, sagte die Ministerin.",
        "More on the talks is expected on Friday, when the ministers meet again in Rabat.",
        "La Comisión Europea publicó una guía sobre el uso de cookies por las grandes plataformas.",
        "Google utilizaba cookies de terceros sin informar a los usuarios, según la autoridad.",
        "Privacy campaigners said the new law on personal data went too far.",
        "Le tribunal a jugé que les mentions légales du site étaient incomplètes.",
        "Updated figures will be published in two hours, the ministry said.",
        "Print and broadcast media were both banned from the courtroom.",
        "Reporting by the BBC revealed the scandal last year.",
        "Editing by hand is slow, the editors said.",
        "The World Bank contributed to this report's funding, the ministry said on Tuesday.",
    ],
)
def test_body_sentences_with_the_furniture_words_stay(line):
    """No rule takes a body sentence holding the words of those rules."""
    _no_rule_takes(line)


def test_a_tweets_picture_link_goes_and_its_words_stay():
    """A tweet kept in the text ends with its picture's link: the link goes, its sentence stays."""
    cleaned, _ = BoilerplateRemover().clean(
        f"{BODY}\n\nLe ministère a confirmé l'accord à Rabat. pic.twitter.com/xYz123AbC\n\n{BODY}"
    )
    assert cleaned == f"{BODY}\n\nLe ministère a confirmé l'accord à Rabat.\n\n{BODY}"


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            "Un séisme a été ressenti à Taipei #AFP https://t.co/7yjkrmsIMO— afpfr (@Agence France-Presse)",
            "Un séisme a été ressenti à Taipei #AFP",
        ),
        ("Le ministre a confirmé l'accord. — Jane Doe (@janedoe) March 12, 2024", "Le ministre a confirmé l'accord."),
        ("Le chef de l'État — Emmanuel Macron — a parlé.", "Le chef de l'État — Emmanuel Macron — a parlé."),
    ],
)
def test_a_tweets_signature_after_its_words_goes(line, kept):
    """An embedded tweet rendered on one line ends with its author's signature: it goes, the words stay."""
    cleaned, _ = BoilerplateRemover().clean(f"{BODY}\n\n{line}\n\n{BODY}")
    assert cleaned == f"{BODY}\n\n{kept}\n\n{BODY}"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            "Le ministre a dénoncé une « menace » pour la « souveraineté » du pays, avant de promettre une "
            "« réponse ferme » dès la semaine prochaine, selon ses proches.",
            None,
        ),
        ("Ce sont des « ‹ guillemets › » de « citation » et de « reprise » dans une phrase.", None),
        ("Accueil » Monde » Afrique » Maroc", "link_list"),
        ("Politique | Économie | Sport | Culture", "link_list"),
    ],
)
def test_a_quotation_s_closing_guillemets_are_no_link_separators(line, reason):
    """`»` between links (`Accueil » Monde » Afrique`) separates them; in French prose it closes a
    quotation opened by `«`: a paragraph quoting three words went as a list of links (45 of Le
    Monde's pages' paragraphs, 20,458 characters, and standfirsts of its RSS)."""
    assert _reasons_around(line)[1] == reason


SIGNED = "Le ministre a signé l'accord à Rabat, mardi, devant les deux délégations."


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (f"{SIGNED} Continue reading...", SIGNED),
        (f"{SIGNED} Lire la suite", SIGNED),
        (f"{SIGNED[:-1]}… Lire la suite", f"{SIGNED[:-1]}…"),
        (f"{SIGNED} Read more »", SIGNED),
        (f"{SIGNED} Weiterlesen →", SIGNED),
        (f"{SIGNED} […]", SIGNED),
        (f"{SIGNED[:-1]} [...]", SIGNED[:-1]),
        # (the words in a sentence, and an elision inside a quotation, stay)
        ("He told reporters he wanted people to read more.", None),
        ("Les lecteurs attendent de lire la suite de l'enquête.", None),
        ("Il a conclu : « Nous continuerons [...] jusqu'au bout. »", None),
    ],
)
def test_a_feed_excerpt_s_link_to_the_rest_goes_and_its_words_stay(line, kept):
    """A feed's excerpt ends with a link to the rest of the article (The Guardian's `Continue
    reading...`) or the mark of where it was cut (WordPress's `[…]`): they go, the sentence stays."""
    cleaned, _ = BoilerplateRemover().clean(f"{BODY}\n\n{line}")
    assert cleaned == f"{BODY}\n\n{line if kept is None else kept}"
