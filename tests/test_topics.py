"""Topic stage: coherence, a deterministic model, themes, trends."""

from __future__ import annotations

import math
import os
import subprocess
import sys

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


def test_candidates_fitted_in_threads_give_the_same_model():
    docs = _documents()
    options = tp.TopicOptions(min_topics=2, max_topics=8, min_df=2)
    one = tp.TopicModel(options).fit(docs)
    threaded = tp.TopicModel(options).fit(docs, threads=3)
    assert len(one.scores_) == 3 and one.scores_ == threaded.scores_  # three candidates, three threads
    assert one.n_topics_ == threaded.n_topics_
    assert np.array_equal(one.components_, threaded.components_) and np.array_equal(one.basis_, threaded.basis_)


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
    # a phrase's words run on: not across a break of the stored tokens (a sentence end, a comma)
    parted = "Un robot. Conversationnel, dit-il ; un robot, conversationnel."
    assert "ia" not in matcher.hits(tokenizer.tokens(parted, "fr", breaks=True), "fr")
    assert matcher.hits(tokenizer.tokens(parted, "fr"), "fr")["ia"] == 2


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ar", "خسر المنتخب الوطني لكرة القدم نهائي كأس أمم إفريقيا بعد سنوات من الجفاف.", {"sport": 3, "climat": 1}),
        (
            "es",
            "La sequía y el cambio climático preocupan; el desempleo baja y la inflación sube.",
            {"climat": 2, "emploi": 1, "economie": 1},
        ),
        # German nouns are lemmatised as written: the term Streik finds Streiks, Dürre finds Dürre
        (
            "de",
            "Die Arbeitslosigkeit steigt, die Gewerkschaft droht mit Streiks, und die Dürre gefährdet das Trinkwasser.",
            {"emploi": 3, "climat": 1, "eau": 1},
        ),
        ("de", "Schulen und Grenzen: Flüchtlinge erreichen die Grenze.", {"education": 1, "migration": 3}),
        (
            "it",
            "La siccità minaccia l'agricoltura, mentre lo sciopero dei medici chiude l'ospedale.",
            {"climat": 1, "agriculture": 1, "emploi": 1, "sante": 2},
        ),
        (
            "pt",
            "O desemprego caiu, mas a inflação e a dívida pública preocupam; a seleção nacional joga no estádio.",
            {"emploi": 1, "economie": 2, "sport": 2},
        ),
        (
            "nl",
            "De werkloosheid daalt, maar de droogte en de hittegolf treffen de landbouw en de vluchtelingen.",
            {"emploi": 1, "climat": 2, "agriculture": 1, "migration": 1},
        ),
        # Russian and Ukrainian, terms lemmatised as the text is (урожаю: урожай; пшениці: пшениця)
        (
            "ru",
            "Засуха и изменение климата угрожают урожаю пшеницы; безработица растет, а сборная проиграла матч.",
            {"climat": 2, "agriculture": 2, "emploi": 1, "sport": 2},
        ),
        (
            "uk",
            "Посуха загрожує врожаю пшениці, нафта дорожчає, а біженці повертаються до школи.",
            {"climat": 1, "agriculture": 2, "energie": 1, "migration": 1, "education": 1},
        ),
        # Arabic: instructions (تعليمات), a verb of demanding (طالب), the Arab League (جامعة الدول
        # العربية) are no education, love (الحب) no grain; the teachers strike (أضرب) (the Arabic press audit)
        (
            "ar",
            "أعطى الملك تعليماته وطالب الوزير جامعة الدول العربية بالحب، بينما ارتفع إنتاج الحبوب وأضرب الأساتذة عن العمل.",
            {"agriculture": 1, "education": 1, "emploi": 1},
        ),
        # English as the press of South Asia, Africa, the Gulf and the Pacific writes it
        (
            "en",
            "Load shedding returns as the refinery shuts; expats send remittances home, banditry spreads; "
            "the cricket Test match goes on.",
            {"energie": 2, "migration": 2, "securite": 1, "sport": 2},
        ),
    ],
)
def test_packaged_themes_have_terms_in_the_other_languages(language, text, expected):
    tokenizer = Tokenizer()
    matcher = tp.ThemeMatcher(tp.load_themes({}), tokenizer)
    assert matcher.hits(tokenizer.tokens(text, language), language) == expected


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
    assert model.select_rows_ == 30  # fitted on the first 30 articles
    assert model.n_topics_ == 3 and set(model.scores_) == {2, 3, 4}  # at most a fifth of the vocabulary
    # the topics of fitting 3 topics on those 30: the three clusters, as on all 90
    fixed = tp.TopicModel(tp.TopicOptions(n_topics=3, min_df=2, select_sample=30)).fit(docs)
    assert sorted(_top_sets(model)) == sorted(_top_sets(fixed))
    whole = tp.TopicModel(tp.TopicOptions(n_topics=3, min_df=2)).fit(docs)
    assert whole.select_rows_ == 90
    for fitted in (model, whole):
        assert sorted(_cluster(top) for top in _top_sets(fitted)) == sorted(CLUSTERS)
    assert sorted(model.coherence_) == pytest.approx(sorted(fixed.coherence_), abs=1e-3)
    # coherence is over the whole sample, and the model kept is the chosen candidate or better
    assert model.coherence_.mean() >= model.scores_[3] - 1e-6


def test_the_candidates_see_a_bounded_number_of_terms():
    docs = _documents()
    budget = sum(len(set(d)) for d in docs[:40])  # (article, term) pairs of the first 40 articles
    model = tp.TopicModel(tp.TopicOptions(min_topics=2, max_topics=4, min_df=2, select_terms=budget)).fit(docs)
    assert model.select_rows_ == 40
    # never fewer than five articles per topic tried
    tiny = tp.TopicModel(tp.TopicOptions(min_topics=2, max_topics=4, min_df=2, select_terms=1)).fit(docs)
    assert tiny.select_rows_ == 5 * max(tiny.scores_)


def test_weights_do_not_depend_on_the_articles_weighed_together():
    docs = _documents()
    model = tp.TopicModel(tp.TopicOptions(min_topics=2, max_topics=5, min_df=2)).fit(docs)
    at_once = model.transform(docs)
    for size in (1, 7, 64):
        pieces = np.vstack([model.transform(docs[i : i + size]) for i in range(0, len(docs), size)])
        assert np.array_equal(at_once, pieces)  # bit for bit
    # the same from Arrow term lists as from Python lists
    import pyarrow as pa

    assert np.array_equal(at_once, model.transform(pa.array(docs, type=pa.list_(pa.string()))))


def test_npmi_coherence_scores_each_topic_from_one_product():
    rng = np.random.default_rng(3)
    presence = sparse.csc_matrix((rng.random((200, 30)) < 0.2).astype(float))
    tops = [rng.choice(30, size=6, replace=False) for _ in range(5)]
    dense = presence.toarray()
    for topic, score in zip(tops, tp.npmi_coherence(tops, presence), strict=True):
        values = []
        for a in range(len(topic)):
            for b in range(a + 1, len(topic)):
                joint = (dense[:, topic[a]] * dense[:, topic[b]]).mean()
                pa_, pb = dense[:, topic[a]].mean(), dense[:, topic[b]].mean()
                values.append(-1.0 if joint == 0 else math.log(joint / (pa_ * pb)) / -math.log(joint))
        assert score == pytest.approx(np.mean(values))


def _cluster(terms: tuple[str, ...]) -> str:
    """The cluster all these terms are words of."""
    (name,) = [name for name, words in CLUSTERS.items() if set(terms) <= set(words)]
    return name


def _top_sets(model: tp.TopicModel, n: int = 5) -> list[tuple[str, ...]]:
    """Each topic's first ``n`` terms, in alphabetical order."""
    return [tuple(sorted(term for term, _ in topic[:n])) for topic in model.top_terms()]


def test_lda_chooses_its_number_of_topics_too():
    model = tp.TopicModel(tp.TopicOptions(model="lda", min_topics=2, max_topics=5, min_df=2)).fit(_documents())
    assert model.n_topics_ == 3 and set(model.scores_) == {2, 3, 4}
    weights = model.transform([["barrage", "pluie", "nappe"], ["inconnu"]])
    assert weights.shape == (2, 3) and weights.sum(axis=1) == pytest.approx(
        [1.0, 1.0]
    )  # LDA: the prior when no term is known


def test_a_fit_that_goes_non_finite_is_an_error():
    from scipy import sparse

    matrix = sparse.csr_matrix(np.array([[1.0, np.nan], [0.5, 2.0]], dtype=np.float32))
    start = np.ones((2, 1), dtype=np.float32)
    with pytest.raises(FloatingPointError, match="non-finite"):
        tp._hals(matrix, matrix.T.tocsr(), start, start.T.copy(), 5, 1e-4)


_FIRST_FIT = """
import hashlib, sys
import numpy as np
from analysis import topics as tp

rng = np.random.default_rng(7)
vocabulary = [f"t{i}" for i in range(3000)]
weights = 1 / np.arange(1, 3001) ** 1.1
docs = [list(rng.choice(vocabulary, size=int(rng.integers(30, 120)), p=weights / weights.sum())) for _ in range(6000)]
options = tp.TopicOptions(min_topics=10, max_topics=16, min_df=2)
for _ in range(2):
    model = tp.TopicModel(options).fit(docs)
    print(hashlib.sha256(model.components_.tobytes()).hexdigest(), model.n_topics_)
"""


def test_a_process_first_fit_is_the_same_as_its_next() -> None:
    """The fit's libraries load before its one-thread limit: the first fit in a fresh interpreter
    (its SVD's factorisations on every core otherwise) gives the model the next one gives."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}  # every core
    done = subprocess.run([sys.executable, "-c", _FIRST_FIT], capture_output=True, text=True, env=env, check=True)
    first, second = done.stdout.split("\n")[:2]
    assert first == second


def test_too_few_articles_for_a_model_says_how_many(tmp_path):
    """The reason a build gives for having no topic model (counts.topics.no_topics)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.topics import TooFewForTopics, TopicOptions, fit_topics

    path = tmp_path / "terms.parquet"
    pq.write_table(pa.table({"article_id": ["a"], "terms": [["eau", "pluie"]]}), path)
    with pytest.raises(TooFewForTopics, match=r"^1 article with terms; at least 4 are needed$"):
        fit_topics(path, ["a"], TopicOptions())
