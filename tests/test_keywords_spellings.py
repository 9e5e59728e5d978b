"""Words that differ only by their accents, one of them no word of the dictionary, are one term of
the keyword tables (`Kais Saied` and `Kaïs Saïed`, `Egypte` and `Égypte`); words both known stay
apart. And a capital of house style inside a name is the plain word (`Banque Mondiale`)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import keywords as kw
from analysis.clean import ARTICLES_FILE, TOKENS_FILE
from analysis.engine import PoolEngine, SerialEngine
from analysis.tokens import Tokenizer
from tests.test_keywords_corpora import _build, tunisian_headlines
from tests.test_keywords_engine import OUTPUTS, _same_files, _stage


def test_the_spelling_written_most_often_is_kept():
    words = ["kaïs", "kais", "kaîs", "marché", "marche", "égypte", "egypte", "hôtel", "president", "président"]
    counts = [30, 8, 2, 10, 20, 2, 11, 5, 1, 40]
    spellings = kw._spellings(words, counts, "fr")
    respelt = {word: kw._respelling(word, spellings, "fr") for word in words}
    assert respelt["kais"] == respelt["kaîs"] == "kaïs"
    # the plain form is most frequent, but it is `Égypte` with its capital's accent dropped
    assert respelt["egypte"] == "égypte"
    assert respelt["president"] == "président"
    # both are words: neither is the other's spelling, whatever their counts
    assert respelt["marche"] == "marche" and respelt["marché"] == "marché"
    # a form the sample never wrote takes the sample's spelling; an unknown one none
    assert kw._respelling("gabes", kw._spellings(["gabès"], [3], "fr"), "fr") == "gabès"
    assert kw._respelling("kaïs", kw._spellings(["kais"], [3], "fr"), "fr") == "kais"
    assert kw._respelling("inconnu", spellings, "fr") == "inconnu"
    # stopwords (marked in the lemma stream) are never respelt: `ou` and `où`
    assert kw._respelling(kw._STOP + "ou", kw._spellings([kw._STOP + "où"], [9], "fr"), "fr") == kw._STOP + "ou"


def test_a_country_is_spelt_as_cldr_writes_it_in_the_language():
    # a French corpus that never writes the accents of `Égypte` or `Pérou`
    spellings = kw._spellings(["egypte", "perou", "maroc"], [46, 3, 5], "fr")
    assert kw._respelling("egypte", spellings, "fr") == "égypte"
    assert kw._respelling("perou", spellings, "fr") == "pérou"
    assert kw._respelling("maroc", spellings, "fr") == "maroc"
    # English's name has no accent: nothing to respell
    assert kw._respelling("peru", kw._spellings(["peru"], [3], "en"), "en") == "peru"


def test_the_spelling_with_accents_weighs_more():
    assert kw._spellings(["mechichi", "méchichi"], [4, 4], "fr") == {"mechichi": "méchichi"}
    assert kw._spellings(["mechichi", "méchichi"], [49, 4], "fr") == {"mechichi": "mechichi"}
    # accents are dropped more often than added: a spelling with them counts twice
    assert kw._spellings(["leo", "léo"], [5, 4], "fr") == {"leo": "léo"}
    assert kw._spellings(["leo", "léo"], [9, 4], "fr") == {"leo": "leo"}


def test_capitals_alone_do_not_make_another_word():
    # `BH BANK` beside `BH Bank` (whose word is `bank`); `Shems FM` beside `Shems Fm`
    spellings = kw._spellings(["bank", "BANK", "fm", "FM", "otan", "OTAN"], [31, 16, 3, 6, 120, 3], "fr")
    assert kw._respelling("BANK", spellings, "fr") == "bank"
    assert kw._respelling("fm", spellings, "fr") == "FM"
    assert kw._respelling("OTAN", spellings, "fr") == "otan"
    # a word of the dictionary in capitals stays apart (`SUD` may be an acronym: `AIDS` is one)
    spellings = kw._spellings(["sud", "SUD", "aids", "AIDS"], [50, 4, 9, 30], "en")
    assert kw._respelling("SUD", spellings, "en") == "SUD"
    assert kw._respelling("aids", spellings, "en") == "aids"


def test_a_first_name_the_dictionary_knows_takes_its_accents_when_both_spellings_are_names():
    words, counts = ["eric", "éric", "cote", "côte"], [23, 52, 3, 28]
    # `eric` is a French word to simplemma: alone, it keeps its spelling
    assert kw._respelling("eric", kw._spellings(words, counts, "fr"), "fr") == "eric"
    names = {"eric", "éric", "côte"}  # the sample writes them as names (`Côte d'Ivoire`), not `cote`
    spellings = kw._spellings(words, counts, "fr", names)
    assert kw._respelling("eric", spellings, "fr", None, names) == "éric"
    assert kw._respelling("cote", spellings, "fr", None, names) == "cote"


def test_the_sample_s_names_are_the_words_written_with_a_capital_or_before_one(tmp_path, options):
    texts = [
        "Eric Zemmour tient un meeting à Lyon.",  # opening a title: `eric`, read as a word
        "Le candidat Éric Zemmour tient un meeting à Lille.",
        "Hier soir, Éric Zemmour parlait à Nice.",
        "La cote de popularité du candidat baisse.",
        "La Côte d'Ivoire et la côte atlantique.",
        "La BH BANK lance un prêt. La BH Bank ouvre une agence. La BH Bank recrute.",
    ]
    processed = _corpus(tmp_path / "in", texts=texts * 4)
    model, _, respelt = kw._fit_sample(
        processed / TOKENS_FILE,
        {f"a{i:03d}" for i in range(24)},
        Tokenizer(),
        replace(options.keywords, phrase_min_count=2, phrase_min_docs=2),
        7,
        None,
        tmp_path,
        every_token=False,
    )
    fr = respelt["fr"]
    assert {"eric", "éric"} <= fr.names and "cote" not in fr.names
    assert fr.word("eric", "fr") == "éric" and fr.word("cote", "fr") == "cote"
    assert fr.word("BANK", "fr") == "bank"
    assert kw.article_terms(Tokenizer(), Tokenizer().tokens("Eric Zemmour et la BH BANK.", "fr"), "fr", model) == [
        "éric zemmour",
        "BH bank",
    ]


NAMES = ["Kaïs Saïed", "Kaïs Saïed", "Kais Saied", "Kaïs Saied", "Kais Saïed"]
VERBS = ["reçoit", "visite", "rencontre", "salue", "quitte", "appelle", "remercie"]
PLACES = ["l'Égypte", "l'Egypte", "Gabès", "Gabes", "le marché", "la marche"]
ENDS = ["lundi matin.", "avec le ministre.", "pour la première fois.", "à midi.", "hier soir."]


def _corpus(folder, n: int = 60, texts: list[str] | None = None, lang: str = "fr"):
    tokenizer = Tokenizer()
    if texts is None:
        texts = [
            f"{NAMES[i % 5]} {VERBS[i % 7]} {PLACES[i % 6]} {ENDS[i % 5]} Puis {PLACES[(i + 1) % 6]}." for i in range(n)
        ]
    ids = [f"a{i:03d}" for i in range(len(texts))]
    folder.mkdir(parents=True)
    articles = pa.table(
        {
            "article_id": pa.array(ids, pa.string()),
            "published": pa.array(
                [dt.datetime(2021, 1 + i % 12, 1, tzinfo=dt.UTC) for i in range(len(texts))],
                pa.timestamp("us", tz="UTC"),
            ),
            "source": pa.array(["S1"] * len(texts), pa.string()),
            "language": pa.array([lang] * len(texts), pa.string()),
            "duplicate_of": pa.array([None] * len(texts), pa.string()),
        }
    )
    tokens = pa.table(
        {
            "article_id": pa.array(ids, pa.string()),
            "language": pa.array([lang] * len(texts), pa.string()),
            "tokens": pa.array([tokenizer.tokens(t, lang) for t in texts], pa.list_(pa.string())),
        }
    )
    pq.write_table(articles, folder / ARTICLES_FILE)
    pq.write_table(tokens, folder / TOKENS_FILE, row_group_size=6)
    return folder


def _corpus_counts(out):
    terms = pd.read_parquet(out / kw.TERMS_FILE)
    return terms[terms["scope"] == "corpus"].set_index("term")["count"]


@pytest.mark.parametrize("sample", [20000, 7])
def test_the_stage_counts_each_spelling_as_the_one_written_most(tmp_path, options, sample):
    processed = _corpus(tmp_path / "in")
    merged_options = replace(options.keywords, phrase_min_count=6, phrase_min_docs=6, min_count=1, phrase_sample=sample)
    apart_options = replace(merged_options, accent_variants=())
    serial = _stage(processed, tmp_path / "serial", options, keyword_options=merged_options, batch_size=4)
    with PoolEngine(2) as engine:
        pooled = _stage(
            processed, tmp_path / "pool", options, keyword_options=merged_options, batch_size=4, engine=engine
        )
    apart = _stage(processed, tmp_path / "apart", options, keyword_options=apart_options, engine=SerialEngine())
    assert serial == pooled
    _same_files(tmp_path / "serial", tmp_path / "pool", (*OUTPUTS, f".interim/{kw.INTERIM_TERMS_FILE}"))
    merged, kept = _corpus_counts(tmp_path / "serial"), _corpus_counts(tmp_path / "apart")
    assert apart["vocabulary"] > serial["vocabulary"]
    # written apart: several terms; respelt: one, holding them all (nothing lost)
    assert {"egypte", "égypte", "gabes", "gabès"} <= set(kept.index)
    if sample > len(NAMES) * 2:  # (the sample of 7 articles is too small for the rarer spellings' phrases)
        assert {"kais saied", "kaïs saïed"} <= set(kept.index)
        assert merged.sum() == kept.sum()  # (the same phrases both ways, so as many terms)
    assert not {"kais saied", "kaïs saied", "kais saïed", "kais", "saied", "egypte", "gabes"} & set(merged.index)
    spellings = ("kaïs saïed", "kais saied", "kaïs saied", "kais saïed", "kaïs", "kais")  # as phrases, or words
    assert merged["kaïs saïed"] == sum(kept.get(name, 0) for name in spellings) == 60
    assert merged["égypte"] == kept.get("égypte", 0) + kept.get("egypte", 0)
    assert merged["gabès"] == kept.get("gabès", 0) + kept.get("gabes", 0)
    # two words of the dictionary stay two terms
    assert {"marche", "marché"} <= set(merged.index)
    assert merged["marche"] == kept["marche"] and merged["marché"] == kept["marché"]
    # the article's terms for the topic stage are respelt too
    terms = pq.read_table(tmp_path / "serial" / ".interim" / kw.INTERIM_TERMS_FILE).column("terms").to_pylist()
    flat = set(itertools.chain.from_iterable(terms))
    assert "egypte" not in flat and "égypte" in flat


@pytest.mark.shared
def test_tunisian_headlines_write_each_name_once(tmp_path, options):
    out = _build(options, [tunisian_headlines(tmp_path / "raw", 6000)], tmp_path / "out")
    counts = _corpus_counts(out)
    assert "kaïs saïed" in counts.index and "kais saied" not in counts.index
    # of the names the headlines write two ways (with accents or without, `BH BANK` and `BH Bank`), one is left
    names = [t for t in counts.index if " " in t]
    by_form = pd.Series(names).groupby(pd.Series(names).map(kw._spelling_key)).size()
    assert (by_form == 1).all(), by_form[by_form > 1]


OPENINGS = ["Le rapport de", "Les experts de", "Un accord avec", "La directrice de", "Une mission de", "Le budget de"]
INSTITUTIONS = ["la Banque Mondiale", "la Banque mondiale", "la Loi de Finances", "Caroline Martin"]
CLOSINGS = [
    "inquiète face à la crise mondiale.",
    "salue la croissance mondiale du commerce.",
    "parle de Caroline et des caroline du marché.",
    "évoque les familles unies et les équipes unies.",
    "cite les Nations Unies hier soir.",
]


def test_a_capital_inside_a_name_written_as_a_house_style_is_the_plain_word(tmp_path, options):
    texts = [f"{OPENINGS[i % 6]} {INSTITUTIONS[i % 4]} {CLOSINGS[i % 5]}" for i in range(120)]
    processed = _corpus(tmp_path / "in", texts=texts)
    keyword_options = replace(options.keywords, phrase_min_count=3, phrase_min_docs=3, min_count=1)
    _stage(processed, tmp_path / "read", options, keyword_options=keyword_options, engine=SerialEngine())
    plain = replace(keyword_options, styled_capitals=())
    _stage(processed, tmp_path / "plain", options, keyword_options=plain, engine=SerialEngine())
    read, kept = _corpus_counts(tmp_path / "read"), _corpus_counts(tmp_path / "plain")
    phrases = pd.read_parquet(tmp_path / "read" / kw.PHRASES_FILE)["phrase"].tolist()
    # `Banque Mondiale` and `Banque mondiale`: one phrase, learnt as one (read apart, the two word
    # sequences are one row of the phrase table too, as they are one term)
    assert phrases.count("banque mondiale") == 1
    assert pd.read_parquet(tmp_path / "plain" / kw.PHRASES_FILE)["phrase"].tolist().count("banque mondiale") == 1
    ids = set(pq.read_table(processed / TOKENS_FILE, columns=["article_id"])["article_id"].to_pylist())
    for opts, sequences in ((keyword_options, 1), (plain, 2)):
        model = kw.fit_phrases(processed / TOKENS_FILE, ids, Tokenizer(), opts)
        assert list(model.phrases_["fr"].values()).count("banque mondiale") == sequences
    assert read["banque mondiale"] == kept["banque mondiale"] == 60
    # no other phrase is written twice either (`mondiale cite`, after either spelling)
    assert len(phrases) == len(set(phrases))
    # the first word of a name is a name, whatever the plain word's count (`caroline` as written)
    assert read["caroline"] == kept["caroline"] > 0
    # `Nations Unies` stays a name: `unir`, the plain word's term, is another word
    assert read.get("nations unies", 0) == kept.get("nations unies", 0) > 0


def test_a_phrase_model_fitted_alone_counts_each_spelling_as_the_stage_does(tmp_path, options):
    processed = _corpus(tmp_path / "in")
    keyword_options = replace(options.keywords, phrase_min_count=6, phrase_min_docs=6)
    ids = pq.read_table(processed / TOKENS_FILE, columns=["article_id"])["article_id"].to_pylist()
    tokenizer = Tokenizer()
    model = kw.fit_phrases(processed / TOKENS_FILE, set(ids), tokenizer, keyword_options, batch_size=7)
    terms = kw.article_terms(tokenizer, tokenizer.tokens("Kais Saied reçoit à Gabes.", "fr"), "fr", model)
    assert terms == ["kaïs saïed", "recevoir", "gabès"]
