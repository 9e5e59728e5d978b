"""Keyword stage: phrases, counts per group, keyness, rising/falling terms, concordance."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import keywords as kw
from analysis.tokens import Tokenizer

TOKENIZER = Tokenizer()


def _articles(rows: list[tuple[str, str, str, str, str | None]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(id, date, source, text, duplicate_of) -> the article meta table and its token table (French)."""
    articles = pd.DataFrame(
        {
            "article_id": [r[0] for r in rows],
            "published": pd.to_datetime([r[1] for r in rows], utc=True),
            "source": [r[2] for r in rows],
            "language": "fr",
            "title": "",
            "text": [r[3] for r in rows],
            "duplicate_of": [r[4] for r in rows],
        }
    )
    tokens = pd.DataFrame(
        {
            "article_id": articles["article_id"],
            "language": "fr",
            "tokens": [TOKENIZER.tokens(t, "fr") for t in articles["text"]],
        }
    )
    return articles, tokens


def test_token_spans_point_at_the_text():
    text = "Le sommet d'Abidjan.\nL’ONU et les États-Unis, dit-elle."
    spans = TOKENIZER.spans(text, "fr")
    assert [t for _, _, t in spans] == TOKENIZER.tokens(text, "fr")
    for start, end, token in spans:
        assert token.lower().replace("-", "") in text[start:end].lower().replace("’", "'").replace("-", "")
    assert text[spans[2][0] : spans[2][1]] == "d'Abidjan"


# --- phrases --------------------------------------------------------------------------------------

PHRASE_TEXTS = [
    "L'intelligence artificielle transforme la banque. Le sommet de Paris a parlé d'intelligence artificielle.",
    "Les intelligences artificielles génératives inquiètent. Le sommet de Paris reprend demain.",
    "Un rapport sur l'intelligence artificielle et l'emploi. Le sommet de Paris s'ouvre.",
    "Le gouvernement publie un rapport sur l'eau et la banque.",
    "La banque centrale et le gouvernement discutent de l'emploi.",
]


def test_phrases_are_learnt_by_lemma_and_shown_as_written():
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit(
        (TOKENIZER.tokens(t, "fr"), "fr") for t in PHRASE_TEXTS
    )
    table = model.table_
    assert set(table["phrase"]) == {"intelligence artificielle", "sommet de paris"}
    row = table.set_index("phrase").loc["intelligence artificielle"]
    assert (row["n"], row["count"], row["docs"]) == (2, 4, 3)  # singular and plural are one phrase
    assert row["llr"] >= kw.G2_P001
    assert table.set_index("phrase").loc["sommet de paris", "n"] == 3
    assert list(table.columns) == ["phrase", "language", "n", "count", "docs", "llr", "pmi", "rank"]
    # Merged into one term each, the other words kept as terms.
    terms = kw.article_terms(TOKENIZER, TOKENIZER.tokens(PHRASE_TEXTS[0], "fr"), "fr", model)
    assert terms.count("intelligence artificielle") == 2
    assert "sommet de paris" in terms
    assert "intelligence" not in terms and "banque" in terms


def test_a_strong_pair_inside_makes_no_trigram_of_any_word_before_it():
    """`du pays` follows a region's name each time the name is written, and `président` now and
    then among its many uses: `nord du pays` is a phrase, `président du pays` is not. (Scored by
    the three words' joint ratio, as nltk's trigram measure does, it was, and ranked above every
    bigram: the pair's strength made the score whatever word came before it.)"""
    verbs = ["annonce", "défend", "présente", "critique", "soutient", "prépare", "retire", "signe"]
    objects = ["la réforme fiscale", "le budget annuel", "un plan social", "la loi électorale", "le traité commercial"]
    texts = [f"Le président {verbs[i % 8]} {objects[i % 5]} devant les députés." for i in range(40)]
    texts += [f"Le président du pays {verbs[i]} {objects[i]}." for i in range(4)]
    days = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")
    regions = ("nord", "sud", "centre", "littoral")
    texts += [f"Les pluies touchent le {region} du pays depuis {day}." for region in regions for day in days]
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit((TOKENIZER.tokens(t, "fr"), "fr") for t in texts)
    table = model.table_.set_index("phrase")
    assert {f"{region} du pays" for region in regions} <= set(table.index)
    assert "président du pays" not in table.index
    # a trigram's score is a bigram's, of its weaker split: a more frequent bigram ranks before it
    assert table.loc["budget annuel", "rank"] < table.loc["nord du pays", "rank"]


def test_a_pair_met_only_inside_a_trigram_is_no_phrase_of_its_own():
    """`fonds monétaire international` is always written whole: its pairs are not listed beside it.
    `banque centrale` is met inside `banque centrale européenne` and alone as often: it stays."""
    verbs = ["publie", "relève", "abaisse", "maintient", "révise", "commente"]
    texts = [f"Le Fonds monétaire international {verb} ses prévisions de croissance." for verb in verbs]
    texts += [f"La Banque centrale européenne {verb} son taux directeur." for verb in verbs]
    texts += [f"Chaque banque centrale {verb} ses réserves en devises." for verb in verbs]
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit((TOKENIZER.tokens(t, "fr"), "fr") for t in texts)
    phrases = set(model.table_["phrase"])
    assert {"fonds monétaire international", "banque centrale européenne", "banque centrale"} <= phrases
    assert not {"fonds monétaire", "monétaire international", "centrale européenne"} & phrases


def test_phrases_are_not_learnt_across_a_break():
    """A headline's `Covid-19 : nouvelles mesures`, a figure's `en baisse de 3 points`, an acronym in
    brackets after its name: the words on either side of the colon, the number or the bracket are
    no phrase (they were, the tokens running on over what parted them)."""
    texts = [
        f"Covid-19 : nouvelles {what}. Un indice boursier en baisse de {n} points, selon la FAO (Rome)."
        for what, n in (("mesures", 3), ("restrictions", 7), ("fermetures", 12), ("aides", 5))
    ]
    learnt = {
        breaks: set(
            kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3)
            .fit((TOKENIZER.tokens(t, "fr", breaks=breaks), "fr") for t in texts)
            .table_["phrase"]
        )
        for breaks in (False, True)
    }
    assert {"covid-19 nouvelles", "baisse de points", "FAO rome"} <= learnt[False]
    assert learnt[True] == {"indice boursier"}
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit((TOKENIZER.tokens(t, "fr"), "fr") for t in texts)
    tokens = TOKENIZER.tokens(texts[0], "fr", breaks=True)
    assert "FAO rome" not in kw.article_terms(TOKENIZER, tokens, "fr", model)  # (learnt without breaks)
    assert "FAO rome" in kw.article_terms(TOKENIZER, TOKENIZER.tokens(texts[0], "fr"), "fr", model)


def test_a_phrase_is_shown_with_the_elisions_inside_it():
    """`chiffre d'affaires`, `ministère de l'Intérieur`: the elided article stays inside the
    phrase as written (they were `chiffre affaires`, `ministère de intérieur`); before its first
    word it is no part of it (`l'huile d'olive` is `huile d'olive`)."""
    texts = [
        f"Le chiffre d'affaires de {who} progresse, dit le ministère de l'Intérieur. L'huile d'olive aussi."
        for who in ("Maroc Telecom", "la banque", "l'OCP", "Renault")
    ]
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit(
        (TOKENIZER.tokens(t, "fr", breaks=True), "fr") for t in texts
    )
    assert set(model.table_["phrase"]) == {"chiffre d'affaires", "ministère de l'intérieur", "huile d'olive"}
    assert kw.article_terms(TOKENIZER, TOKENIZER.tokens(texts[0], "fr"), "fr", model).count("chiffre d'affaires") == 1
    assert TOKENIZER.terms(["d'affaires", "l'Intérieur", "l'ONU", "qu'elle"], "fr") == ["affaire", "intérieur", "ONU"]


def test_the_article_of_a_french_name_joins_its_words():
    """`Marine Le Pen`, `Bruno Le Maire`, `Jean de La Fontaine`: a capitalised `Le` or `La` inside a
    sentence is a name's and may join a three-word phrase, as `de` does (`Bruno Le Maire` was the
    terms `bruno` and `maire`, the mayor); a small one does not (`soutient la réforme`)."""
    texts = [
        f"Le {who} a reçu hier Marine Le Pen, puis Bruno Le Maire, qui soutient la réforme {what}."
        for who, what in (
            ("préfet", "fiscale"),
            ("syndicat", "agraire"),
            ("patronat", "des retraites"),
            ("club", "du code"),
        )
    ]
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit(
        (TOKENIZER.tokens(t, "fr", breaks=True), "fr") for t in texts
    )
    assert {"marine le pen", "bruno le maire"} <= set(model.table_["phrase"])
    assert not any("réforme" in phrase for phrase in model.table_["phrase"])
    terms = kw.article_terms(TOKENIZER, TOKENIZER.tokens(texts[0], "fr", breaks=True), "fr", model)
    assert "bruno le maire" in terms and "maire" not in terms
    assert kw._word("Le", None) == kw._STOP + "Le" and kw._word("LE", None) == kw._STOP + "le"
    assert kw._word("De", None) == kw._word("de", None)  # (`Charles De Gaulle` is `Charles de Gaulle`)


def test_a_phrase_written_with_a_capital_s_accent_dropped_is_one_shown_with_it():
    """`chef de l'Etat` (Tunisia's and Morocco's papers write the capital without its accent) and
    `chef de l'État` are one phrase, shown `chef de l'état`, however most articles write it."""
    texts = [f"Le chef de l'Etat a reçu {who}." for who in ("le ministre", "la ministre", "les élus")]
    texts.append("Le chef de l'État a reçu le gouverneur.")
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit(
        (TOKENIZER.tokens(t, "fr", breaks=True), "fr") for t in texts
    )
    assert model.table_[["phrase", "count"]].values.tolist() == [["chef de l'état", 4]]
    # a sentence's first word is lower-cased as it is read: `Energies` is shown `énergies`
    texts = [f"{head} renouvelables : {what}." for head in ("Energies", "Énergies") for what in ("essor", "bilan")]
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit(
        (TOKENIZER.tokens(t, "fr", breaks=True), "fr") for t in texts
    )
    assert model.table_[["phrase", "count"]].values.tolist() == [["énergies renouvelables", 4]]


def test_a_phrase_of_two_word_tuples_written_alike_is_one_row():
    """`Nations Unies` (a house style's capital, a name's word) and `Nations unies` (`unir`, for
    the dictionary) are two word tuples, shown alike: one row, their counts added, an article
    holding both counted once among its documents."""
    texts = [f"Les Nations Unies ont reçu {who}." for who in ("le ministre", "la ministre", "les élus")]
    texts += [f"Les Nations unies ont salué {who}." for who in ("le gouverneur", "la présidente", "les maires")]
    texts.append("Les Nations unies et les Nations Unies : le même sigle, ONU.")
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit(
        (TOKENIZER.tokens(t, "fr", breaks=True), "fr") for t in texts
    )
    assert len(model.phrases_["fr"]) == 2  # (two tuples, as the articles' words are read)
    assert set(model.phrases_["fr"].values()) == {"nations unies"}
    assert model.table_[["phrase", "n", "count", "docs", "rank"]].values.tolist() == [["nations unies", 2, 8, 7, 1]]
    terms = kw.article_terms(TOKENIZER, TOKENIZER.tokens(texts[-1], "fr", breaks=True), "fr", model)
    assert terms.count("nations unies") == 2


def test_an_arabic_phrase_is_not_shown_with_the_and_joined_to_it():
    """Arabic writes `and` (و) joined to the next word: a phrase met mostly inside lists was shown
    as `والدار البيضاء` (and Casablanca); it is shown without it where the corpus writes the same
    word without it, but a word that opens with و (`وزير`, minister) stays whole."""
    texts = [
        "زار الرباط والدار البيضاء ووزير الداخلية اليوم",
        "في طنجة والدار البيضاء ووزير الداخلية أمس",
        "من مراكش والدار البيضاء ووزير الداخلية غدا",
        "الدار البيضاء مدينة كبيرة",
        "زيارة وزير الداخلية",
    ]
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit((TOKENIZER.tokens(t, "ar"), "ar") for t in texts)
    assert {"الدار البيضاء", "وزير الداخلية"} <= set(model.table_["phrase"])


def test_a_japanese_phrase_is_shown_as_written_and_counted_as_a_phrase():
    """Japanese tokens are overlapping pairs of characters (`首脳`, `脳会`): a phrase of them is
    written with each overlap once (`首脳会談`, not `首脳 脳会 会談`), and the term table still marks it."""
    texts = [f"{where}で首脳会談を行った。" for where in ("東京", "大阪", "京都", "札幌")] + ["経済協力"]
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit((TOKENIZER.tokens(t, "ja"), "ja") for t in texts)
    assert {"首脳会談"} <= set(model.table_["phrase"])
    assert all(" " not in phrase for phrase in model.table_["phrase"])
    assert kw._shown(["摩洛", "洛哥", "首相"]) == "摩洛哥 首相"  # no overlap: a space
    assert kw._shown(["ロシア", "アメリカ"]) == "ロシア アメリカ"  # words of katakana are whole
    assert kw._shown(["premier", "ministre"]) == "premier ministre"
    counter = kw.TermCounter().partial_fit(
        [([("corpus", None, None, None, None)], ["首脳会談", "首脳", "東京", "東京"])]
    )
    flags = counter.finish().table(min_count=1).set_index("term")["phrase"]
    assert flags["首脳会談"] and not flags["首脳"] and not flags["東京"]


def test_a_chinese_phrase_of_segmented_words_is_written_joined():
    """Chinese articles' tokens are the segmenter's words (`摩洛哥`, `首相`): a phrase of them is
    written as Chinese writes it, without a space (`摩洛哥首相`), and marked a phrase; a word of
    three characters (`国务院`) is a word, no phrase; no overlap is taken out (`美国` + `国会`)."""
    texts = [f"{where}会见了摩洛哥首相。" for where in ("北京", "上海", "广州", "深圳")] + ["经济合作"]
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit((TOKENIZER.tokens(t, "zh"), "zh") for t in texts)
    assert set(model.table_["phrase"]) == {"摩洛哥首相"}
    assert kw._shown(["美国", "国会"], "zh") == "美国国会"
    assert kw._shown(["美国", "nasa"], "zh") == "美国 nasa"
    counter = kw.TermCounter().partial_fit(
        [([("corpus", None, None, None, None)], ["摩洛哥首相", "国务院", "北京", "北京"])]
    )
    flags = counter.finish().table(min_count=1).set_index("term")["phrase"]
    assert flags["摩洛哥首相"] and not flags["国务院"] and not flags["北京"]


def test_a_phrase_cut_inside_a_name_is_no_phrase():
    """`olaf` goes on with `scholz` wherever it is: `chancelier allemand olaf` is a piece of
    `chancelier allemand olaf scholz` (it was a phrase); `olaf scholz` and `chancelier allemand` stay."""
    texts = [
        f"Le chancelier allemand Olaf Scholz a reçu {guest} à Berlin. Olaf Scholz a salué la visite."
        for guest in ("le président", "la ministre", "le roi", "le premier ministre", "la reine", "le maire")
    ] + [
        "Le chancelier allemand a parlé.",
        "Un chancelier allemand a rappelé le budget.",
        "Le chancelier allemand part.",
    ]
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3).fit((TOKENIZER.tokens(t, "fr"), "fr") for t in texts)
    phrases = set(model.table_["phrase"])
    assert {"olaf scholz", "chancelier allemand"} <= phrases
    assert "chancelier allemand olaf" not in phrases
    without = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=3, min_continuation=0)
    assert "chancelier allemand olaf" in set(
        without.fit((TOKENIZER.tokens(t, "fr"), "fr") for t in texts).table_["phrase"]
    )


def test_phrase_floors_keep_one_article_repetitions_out():
    texts = ["Rapport rapport. " + "vente flash " * 6, "Le marché ouvre.", "Le marché ferme."]
    model = kw.PhraseModel(TOKENIZER, min_count=3, min_docs=2).fit((TOKENIZER.tokens(t, "fr"), "fr") for t in texts)
    assert model.table_.empty  # 6 times, but in one article only


def test_without_phrases_terms_are_the_cleaning_stage_terms():
    tokens = TOKENIZER.tokens(PHRASE_TEXTS[0], "fr")
    assert kw.article_terms(TOKENIZER, tokens, "fr", None) == TOKENIZER.terms(tokens, "fr")


# --- counting -------------------------------------------------------------------------------------

CORPUS = [
    ("a1", "2024-01-05", "Alpha", "Le port de Tanger exporte. Le port recrute.", None),
    ("a2", "2024-01-20", "Beta", "Le port de Tanger exporte encore.", None),
    ("a3", "2024-02-03", "Alpha", "La pluie revient sur le barrage.", None),
    ("a4", "2024-02-04", "Beta", "La pluie revient sur le barrage.", "a3"),  # a copy
]


def test_counts_per_group_exclude_copies_by_default():
    articles, tokens = _articles(CORPUS)
    options = kw.KeywordOptions(periods=("month",), phrases=False, min_count=1)
    table = kw.count_terms(articles, tokens, options).table(min_count=1)
    corpus = table[table["scope"] == "corpus"].set_index("term")
    assert corpus.loc["port", "count"] == 3 and corpus.loc["port", "docs"] == 2
    assert corpus.loc["pluie", "count"] == 1  # the copy is not counted
    assert corpus.loc["port", "group_docs"] == 3
    assert corpus.loc["port", "rank"] == 1
    assert corpus["share"].sum() == pytest.approx(1.0)
    january = table[(table["scope"] == "period") & (table["period"] == pd.Timestamp("2024-01-01"))].set_index("term")
    assert january.loc["port", "count"] == 3 and january.loc["port", "group_docs"] == 2
    assert "pluie" not in january.index
    alpha = table[(table["source"] == "Alpha")].set_index("term")
    assert alpha.loc["port", "count"] == 2 and alpha.loc["pluie", "count"] == 1
    assert set(table["scope"]) == {"corpus", "period", "source", "language"}
    assert tuple(table.columns) == kw.TERM_FREQUENCY_FIELDS


def test_copies_counted_on_request():
    articles, tokens = _articles(CORPUS)
    options = kw.KeywordOptions(periods=("month",), phrases=False, include_duplicates=True)
    table = kw.count_terms(articles, tokens, options).table(min_count=1)
    corpus = table[table["scope"] == "corpus"].set_index("term")
    assert corpus.loc["pluie", "count"] == 2


def test_top_terms_per_group_and_min_count():
    articles, tokens = _articles(CORPUS)
    counter = kw.count_terms(articles, tokens, kw.KeywordOptions(periods=("month",), phrases=False))
    table = counter.table(min_count=2, top=1)
    assert (table["count"] >= 2).all()
    assert (
        table[table["scope"] != "corpus"].groupby(["scope", "period", "source", "language"], dropna=False).size().max()
        == 1
    )


def test_counting_in_batches_gives_the_same_counts():
    articles, tokens = _articles(CORPUS)
    groups = kw.article_groups(articles, ("month",))
    whole = kw.TermCounter()
    whole.partial_fit(
        (groups[a], TOKENIZER.terms(t, "fr"))
        for a, t in zip(tokens.article_id, tokens.tokens, strict=True)
        if a in groups
    )
    parts = kw.TermCounter()
    for i in range(len(tokens)):
        a, t = tokens.article_id[i], tokens.tokens[i]
        if a in groups:
            parts.partial_fit([(groups[a], TOKENIZER.terms(t, "fr"))])
    pd.testing.assert_frame_equal(whole.finish().table(min_count=1), parts.finish().table(min_count=1))


def test_counts_added_and_taken_away_are_those_of_the_articles_left_in_any_order():
    articles, tokens = _articles(CORPUS)
    groups = kw.article_groups(articles, ("month",))
    documents = [
        (groups[a], TOKENIZER.terms(t, "fr"))
        for a, t in zip(tokens.article_id, tokens.tokens, strict=True)
        if a in groups
    ]
    half, third = len(documents) // 2, len(documents) // 3
    rest = kw.TermCounter().partial_fit(documents[half:]).finish()
    gone = kw.TermCounter().partial_fit(documents[:half])
    # the first two thirds (in another order), plus the last third, less the first half
    both = kw.TermCounter().partial_fit(documents[: 2 * third][::-1]).finish()
    both.combine(plus=kw.TermCounter().partial_fit(documents[2 * third :]), minus=gone)

    def same(a: kw.TermCounter, b: kw.TermCounter) -> None:
        assert a.vocabulary_ == b.vocabulary_ and list(a.groups_) == list(b.groups_)
        for x, y in ((a.counts_, b.counts_), (a.docs_, b.docs_)):
            assert x.shape == y.shape and (x != y).nnz == 0
            assert np.array_equal(x.indices, y.indices) and np.array_equal(x.indptr, y.indptr)
        assert np.array_equal(a.group_docs_, b.group_docs_)

    same(both, rest)
    assert gone.vocabulary_.keys() - rest.vocabulary_.keys()  # (terms only the half taken away had: dropped)
    pd.testing.assert_frame_equal(both.table(min_count=1), rest.table(min_count=1))
    with pytest.raises(ValueError, match="not counted"):  # a term or group it never counted
        kw.TermCounter().partial_fit(documents[half:]).finish().combine(minus=gone)
    with pytest.raises(ValueError, match="more than"):  # counts it does not hold
        twice = kw.TermCounter().partial_fit(documents[:half] * 2)
        kw.TermCounter().partial_fit(documents[:half]).finish().combine(minus=twice)


# --- statistics -----------------------------------------------------------------------------------


def test_log_likelihood_and_log_ratio_by_hand():
    g2 = kw.log_likelihood(np.array([10]), np.array([0]), 100, 100)[0]
    assert g2 == pytest.approx(2 * 10 * math.log(2))
    assert kw.log_likelihood(np.array([5]), np.array([5]), 100, 100)[0] == pytest.approx(0.0)
    assert kw.log_ratio(np.array([20]), np.array([10]), 100, 100)[0] == pytest.approx(1.0)
    assert kw.log_ratio(np.array([1]), np.array([0]), 100, 100)[0] == pytest.approx(1.0)  # 0 -> 0.5


def test_benjamini_hochberg():
    p = np.array([0.01, 0.04, 0.03, 0.5])
    q = kw.benjamini_hochberg(p)
    # sorted p 0.01 0.03 0.04 0.5 -> p*n/rank 0.04 0.06 0.0533 0.5 -> running minimum from the right
    assert q == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5])


def test_keyness_finds_over_and_under_used_terms():
    target = pd.Series({"port": 40, "pluie": 1, "le": 59})
    reference = pd.Series({"port": 5, "pluie": 40, "le": 55})
    table = kw.keyness(target, reference, min_count=5)
    over = table[table["direction"] == "over"].set_index("term")
    under = table[table["direction"] == "under"].set_index("term")
    assert "port" in over.index and "pluie" in under.index and "le" not in table["term"].tolist()
    assert over.loc["port", "count"] == 40 and over.loc["port", "count_rest"] == 5
    assert over.loc["port", "p_value"] < 0.001 and over.loc["port", "log_ratio"] > 2


def test_distinctive_terms_per_source():
    articles, tokens = _articles(CORPUS * 1)
    counter = kw.count_terms(articles, tokens, kw.KeywordOptions(periods=("month",), phrases=False))
    table = kw.distinctive_terms(counter, ["source"], min_count=1, top=5)
    # tiny counts are not significant at p < 0.001: nothing is reported rather than noise
    assert table.empty or (table["p_value"] < 0.001).all()
    big = [(f"{i}{r[0]}", *r[1:4], None) for i in range(30) for r in CORPUS[:3]]
    articles, tokens = _articles(big)
    counter = kw.count_terms(articles, tokens, kw.KeywordOptions(periods=("month",), phrases=False))
    table = kw.distinctive_terms(counter, ["source"], min_count=5, top=5)
    alpha = table[(table["group"] == "Alpha") & (table["direction"] == "over")]
    assert "pluie" in alpha["term"].tolist()
    assert (alpha["tfidf"] > 0).all() and list(alpha["rank"]) == list(range(1, len(alpha) + 1))


def test_rising_and_falling_terms_over_windows():
    rows = []
    n = 0
    for month in range(1, 7):
        for _ in range(8):
            n += 1
            topic = "Le barrage déborde après la pluie." if month <= 3 else "Le port exporte des voitures."
            rows.append((f"x{n}", f"2024-{month:02d}-10", "Alpha", topic + " Le marché reste calme.", None))
    articles, tokens = _articles(rows)
    counter = kw.count_terms(articles, tokens, kw.KeywordOptions(periods=("month",), phrases=False))
    table = kw.rising_falling(counter, period_type="month", window=3, min_count=5)
    rising = set(table.loc[table["direction"] == "rising", "term"])
    falling = set(table.loc[table["direction"] == "falling", "term"])
    assert {"port", "voiture"} <= rising
    assert {"barrage", "pluie"} <= falling
    assert "marché" not in rising | falling  # steady share
    assert (table["q_value"] <= 0.05).all()
    assert table["window_start"].iloc[0] == pd.Timestamp("2024-04-01")
    assert table["baseline_start"].iloc[0] == pd.Timestamp("2024-01-01")
    # not enough periods for two windows: nothing, no error
    assert kw.rising_falling(counter, period_type="month", window=4).empty


# --- concordance and clouds -------------------------------------------------------------------------


def test_concordance_finds_every_inflection_in_context():
    articles, _ = _articles(
        [
            ("k1", "2024-03-01", "Alpha", "Les élections législatives approchent. L'élection sera suivie.", None),
            ("k2", "2024-01-01", "Beta", "Rien à voir ici, sauf une ÉLECTION surprise.", None),
        ]
    )
    articles.loc[0, "title"] = "Élections : le calendrier"
    lines = kw.concordance(articles, "élection", width=12)
    # (a query typed without the accent finds the same; `élection` is no `election` either way)
    assert kw.concordance(articles, "election", width=12).equals(lines)
    assert list(lines["article_id"]) == ["k2", "k1", "k1", "k1"]  # by date, then field and offset
    assert list(lines["match"]) == ["ÉLECTION", "Élections", "élections", "L'élection"]
    assert lines.iloc[0]["left"] == "i, sauf une "
    assert lines.iloc[0]["right"] == " surprise."
    assert set(lines["field"]) == {"title", "text"}
    two = kw.concordance(articles, "élection législative")
    assert list(two["match"]) == ["élections législatives"]
    assert len(kw.concordance(articles, "élection", limit=2)) == 2
    assert kw.concordance(articles, "pluie").empty


def test_concordance_query_without_accents_finds_them_and_one_with_them_only_them():
    text = "La sécurité des réseaux. Une securite écrite sans accent. Le pêcheur et la pêche, pas le péché."
    articles, _ = _articles([("a1", "2024-03-01", "Alpha", text, None)])
    assert list(kw.concordance(articles, "securite")["match"]) == ["sécurité", "securite"]
    assert list(kw.concordance(articles, "sécurité")["match"]) == ["sécurité"]
    assert list(kw.concordance(articles, "peche")["match"]) == ["pêche", "péché"]
    assert list(kw.concordance(articles, "pêche")["match"]) == ["pêche"]


def test_concordance_finds_a_name_s_term_in_lower_case():
    """A phrase term of a name is in lower case (`estados unidos`, as the report's default terms
    are): it finds the name, which is not reduced, and the words written in lower case."""
    articles, _ = _articles([("p1", "2024-03-01", "Alpha", "O chefe dos Estados Unidos e os estados unidos.", None)])
    articles["language"] = "pt"
    assert list(kw.concordance(articles, "estados unidos")["match"]) == ["Estados Unidos", "estados unidos"]
    assert list(kw.concordance(articles, "Estados Unidos")["match"]) == ["Estados Unidos"]


def test_concordance_finds_a_capitalised_adjective_written_as_its_query():
    """A Dutch adjective of a country is capitalised: inside a sentence it is a name, not reduced
    (`marokkaanse`); the query alone opens its sentence and was reduced (`marokkaans`), so a query
    written as the text writes it found only the sentences it opened."""
    text = "Marokkaanse studenten krijgen visa. Rabat eist meer voor Marokkaanse ondernemers in de Europese Unie."
    articles, _ = _articles([("n1", "2026-12-01", "NOS", text, None)])
    articles["language"] = "nl"
    assert list(kw.concordance(articles, "Marokkaanse")["match"]) == ["Marokkaanse", "Marokkaanse"]
    assert list(kw.concordance(articles, "Europese Unie")["match"]) == ["Europese Unie"]
    assert list(kw.concordance(articles, "europese unie")["match"]) == ["Europese Unie"]


def test_cloud_frequencies():
    table = pd.DataFrame(
        {
            "scope": ["corpus", "corpus", "source"],
            "period_type": [None, None, None],
            "period": [pd.NaT, pd.NaT, pd.NaT],
            "source": [None, None, "A"],
            "language": [None, None, None],
            "term": ["port", "pluie", "port"],
            "count": [5, 7, 2],
        }
    )
    assert kw.cloud_frequencies(table) == {"pluie": 7, "port": 5}
    assert kw.cloud_frequencies(table, scope="source", source="A") == {"port": 2}


def test_sample_ids_is_deterministic_and_order_free():
    ids = [f"id{i}" for i in range(100)]
    assert kw.sample_ids(ids, 10) == kw.sample_ids(list(reversed(ids)), 10)
    assert len(kw.sample_ids(ids, 10)) == 10 and kw.sample_ids(ids, 0) == set()


def test_options_are_checked():
    with pytest.raises(ValueError, match="unknown period"):
        kw.KeywordOptions(periods=("fortnight",))
    with pytest.raises(ValueError, match="distinctive_by"):
        kw.KeywordOptions(distinctive_by=("author",))


def test_token_codes_merge_the_dictionaries_of_chunks_read_apart():
    """Chunks with a dictionary each (parts of the token table): each string once, every token kept."""
    import pyarrow as pa

    chunks = [
        pa.array([["paris", "maroc"], ["paris"]], pa.list_(pa.string())).cast(
            pa.list_(pa.dictionary(pa.int32(), pa.string()))
        ),
        pa.array([["maroc", "rabat"], []], pa.list_(pa.string())).cast(
            pa.list_(pa.dictionary(pa.int32(), pa.string()))
        ),
        pa.array([["rabat", "paris"]], pa.list_(pa.string())).cast(pa.list_(pa.dictionary(pa.int32(), pa.string()))),
    ]
    dictionary, index = kw._token_codes(pa.chunked_array(chunks))
    assert sorted(dictionary) == ["maroc", "paris", "rabat"]
    assert [dictionary[i] for i in index] == ["paris", "maroc", "paris", "maroc", "rabat", "rabat", "paris"]
