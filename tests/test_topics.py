"""Topic stage: coherence, a deterministic model, themes, trends."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from analysis import topics as tp
from analysis.tokens import Tokenizer

CLUSTERS = {
    "eau": ["barrage", "pluie", "nappe", "irrigation", "sécheresse", "réservoir"],
    "foot": ["stade", "match", "supporter", "but", "arbitre", "équipe"],
    "banque": ["crédit", "taux", "dépôt", "banque", "prêt", "épargne"],
}


def _documents(n_per_cluster: int = 30) -> list[list[str]]:
    """Articles drawn from three clear vocabularies, with a few shared words, deterministic."""
    rng = np.random.default_rng(7)
    shared = ["maroc", "pays", "projet"]
    docs = []
    for i in range(n_per_cluster):
        for words in CLUSTERS.values():
            picked = [*rng.choice(words, size=8), shared[i % 3]]
            docs.append([str(w) for w in picked])
    return docs


def test_npmi_coherence_by_hand():
    # 4 articles; terms 0 and 1 always together, term 2 never with them.
    presence = sparse.csc_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]], dtype=float))
    assert tp.npmi_coherence([[0, 1]], presence)[0] == pytest.approx(1.0)
    assert tp.npmi_coherence([[0, 2]], presence)[0] == pytest.approx(-1.0)
    # independent terms: P(a,b) = P(a) P(b) -> 0
    presence = sparse.csc_matrix(np.array([[1, 1], [1, 0], [0, 1], [0, 0]], dtype=float))
    assert tp.npmi_coherence([[0, 1]], presence)[0] == pytest.approx(0.0)
    joint, pa, pb = 1 / 4, 2 / 4, 1 / 4
    presence = sparse.csc_matrix(np.array([[1, 1], [1, 0], [0, 0], [0, 0]], dtype=float))
    expected = math.log(joint / (pa * pb)) / -math.log(joint)
    assert tp.npmi_coherence([[0, 1]], presence)[0] == pytest.approx(expected)


def test_the_model_finds_the_clusters_and_chooses_their_number():
    model = tp.TopicModel(tp.TopicOptions(min_topics=2, max_topics=6, min_df=2)).fit(_documents())
    assert model.n_topics_ == 3
    assert max(model.scores_, key=lambda k: model.scores_[k]) == 3
    tops = [{term for term, _ in topic[:5]} for topic in model.top_terms()]
    for words in CLUSTERS.values():
        assert any(top <= set(words) for top in tops), (words, tops)
    weights = model.transform([["barrage", "pluie", "nappe"], ["inconnu"]])
    assert weights[0].sum() == pytest.approx(1.0)
    assert weights[1].sum() == 0.0  # no known term: no topic
    assert np.allclose(model.components_.sum(axis=1), 1.0)


def test_the_model_is_deterministic():
    docs = _documents()
    first = tp.TopicModel(tp.TopicOptions(min_topics=2, max_topics=5, min_df=2)).fit(docs)
    second = tp.TopicModel(tp.TopicOptions(min_topics=2, max_topics=5, min_df=2)).fit(docs)
    assert first.top_terms() == second.top_terms()
    assert np.array_equal(np.round(first.transform(docs), 6), np.round(second.transform(docs), 6))


def test_lda_option_and_fixed_number_of_topics():
    model = tp.TopicModel(tp.TopicOptions(model="lda", n_topics=3, min_df=2)).fit(_documents())
    assert model.n_topics_ == 3 and list(model.scores_) == [3]
    again = tp.TopicModel(tp.TopicOptions(model="lda", n_topics=3, min_df=2)).fit(_documents())
    assert model.top_terms() == again.top_terms()


def test_labels_skip_words_a_phrase_already_covers():
    assert tp.label(["intelligence artificielle", "intelligence", "IA", "artificielle", "banque"], 3) == (
        "intelligence artificielle · IA · banque"
    )


def test_options_are_checked():
    with pytest.raises(ValueError, match="nmf or lda"):
        tp.TopicOptions(model="bertopic")
    with pytest.raises(ValueError, match="min_topics"):
        tp.TopicOptions(min_topics=8, max_topics=4)


# --- themes ---------------------------------------------------------------------------------------


def test_themes_match_lemmas_phrases_and_acronyms():
    tokenizer = Tokenizer()
    themes = tp.load_themes({"ia": ["robot conversationnel"], "logement": ["loyer"]})
    assert themes["logement"] == ("logement", ["loyer"])
    assert "robot conversationnel" in themes["ia"][1] and themes["ia"][0] == "Intelligence artificielle"
    matcher = tp.ThemeMatcher(themes, tokenizer)
    text = "Les intelligences artificielles et l'IA générative : les loyers montent, les robots conversationnels aussi."
    hits = matcher.hits(tokenizer.tokens(text, "fr"), "fr")
    assert hits["ia"] == 3  # intelligences artificielles, IA générative (longest match), robots conversationnels
    assert hits["logement"] == 1
    # `ai` (avoir) is not the acronym AI; `IA` needs its capitals
    assert "ia" not in matcher.hits(tokenizer.tokens("J'ai vu une ia.", "fr"), "fr")
    english = matcher.hits(tokenizer.tokens("Artificial intelligence and AI start-ups.", "en"), "en")
    assert english["ia"] == 2
    assert tp.load_themes({"x": ["y"]}, packaged=False) == {"x": ("x", ["y"])}


def test_trends_share_of_the_period():
    meta = pd.DataFrame(
        {
            "article_id": ["a", "b", "c", "d"],
            "published": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-01", "2024-02-02"], utc=True),
            "duplicate_of": [None, None, None, "c"],
        }
    )
    doc_topics = pd.DataFrame(
        {
            "article_id": ["a", "a", "b", "c", "d"],
            "topic": [0, 1, 1, 0, 0],
            "weight": [0.75, 0.25, 1.0, 1.0, 1.0],
            "rank": [1, 2, 1, 1, 1],
        }
    )
    trends = tp.topic_trends(doc_topics, meta, {0: "eau", 1: "foot"}, ["month"])
    jan = trends[trends["period"] == pd.Timestamp("2024-01-01")].set_index("topic")
    assert jan.loc[0, "share"] == pytest.approx(0.375) and jan.loc[1, "share"] == pytest.approx(0.625)
    assert jan.loc[0, "articles"] == 1 and jan.loc[1, "articles"] == 1 and jan.loc[0, "period_articles"] == 2
    feb = trends[trends["period"] == pd.Timestamp("2024-02-01")].set_index("topic")
    assert feb.loc[0, "period_articles"] == 1  # the copy is left out
    assert feb.loc[1, "share"] == 0.0  # every topic in every period
    with_copies = tp.topic_trends(doc_topics, meta, {0: "eau", 1: "foot"}, ["month"], include_duplicates=True)
    assert with_copies.set_index(["period", "topic"]).loc[(pd.Timestamp("2024-02-01"), 0), "weight"] == 2.0

    doc_themes = pd.DataFrame({"article_id": ["a", "b", "c"], "theme": ["eau", "eau", "eau"], "hits": [3, 1, 2]})
    themes = tp.theme_trends(doc_themes, meta, {"eau": "Eau", "foot": "Football"}, ["month"], min_hits=2)
    jan = themes[themes["period"] == pd.Timestamp("2024-01-01")].set_index("theme")
    assert jan.loc["eau", "articles"] == 1 and jan.loc["eau", "hits"] == 3 and jan.loc["eau", "share"] == 0.5
    assert jan.loc["foot", "articles"] == 0 and jan.loc["foot", "label"] == "Football"


def test_the_number_of_topics_can_be_chosen_on_part_of_the_sample():
    docs = _documents()  # 90 articles, interleaved clusters
    options = tp.TopicOptions(min_topics=2, max_topics=5, min_df=2, select_sample=30)
    model = tp.TopicModel(options).fit(docs)
    assert model.n_topics_ == 3 and set(model.scores_) == {2, 3, 4}  # at most a fifth of the vocabulary
    whole = tp.TopicModel(tp.TopicOptions(n_topics=3, min_df=2)).fit(docs)
    assert model.top_terms() == whole.top_terms()  # the chosen k refitted on everything
    assert np.allclose(model.coherence_, whole.coherence_)
