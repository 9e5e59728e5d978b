import bisect
import itertools
import re
import textwrap
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.tokens import BREAK, Locutions, Tokenizer, TokenOptions, _dotted, _wrapping, wrap_width

tok = Tokenizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l’Inde", ["l'Inde"]),
        ("l'Inde", ["l'Inde"]),
        ("d’Israël et qu’Haïti", ["d'Israël", "et", "qu'Haïti"]),
        ("qu’elle", ["qu'elle"]),
        ("jusqu’au", ["jusqu'au"]),
        ("lorsqu'il", ["lorsqu'il"]),
        ("aujourd’hui", ["aujourd'hui"]),
        ("aujourd'hui", ["aujourd'hui"]),
        ("les États-Unis", ["les", "États-Unis"]),
        ("États-Unis : la réponse de Paris", ["états-unis", "la", "réponse", "de", "Paris"]),
        ("Le Maroc. Rabat aussi", ["le", "Maroc", "rabat", "aussi"]),
        ("la Guinée-Bissau", ["la", "Guinée-Bissau"]),
        ("a-t-il dit-elle", ["a", "dit"]),
        ("l’IA et l’ONU", ["l'IA", "et", "l'ONU"]),
        ("MAROC – ESPAGNE : LE MATCH DE L’ANNÉE", ["maroc", "espagne", "le", "match", "de", "l'année"]),
        ("400 millions, 5G, 10,5 % et 2025", ["millions", "5g", "et"]),
        ("voir https://exemple.ma/a?b=1 ou écrire à redaction@exemple.ma", ["voir", "ou", "écrire", "à"]),
    ],
)
def test_french_tokens(text, expected):
    assert tok.tokens(text, "fr") == expected


def test_german_nouns_keep_their_capital_and_are_lemmatised():
    """German writes every noun with a capital: a capitalised word keeps it wherever it stands,
    even on a line as capitalised as a Title Case headline, and its term is its lemma as written
    (`Schulen` -> `schule`, where `schulen` would be the verb); a name simplemma does not know
    stays as it is; an all-caps line is still lower-cased."""
    text = "Flüchtlinge und Schulen. Die Regierungen, Merkel und Scholz über Streiks."
    tokens = tok.tokens(text, "de")
    assert tokens == [
        "Flüchtlinge", "und", "Schulen", "Die", "Regierungen", "Merkel", "und", "Scholz", "über", "Streiks",
    ]  # fmt: skip
    assert [token for _, _, token in tok.spans(text, "de")] == tokens
    assert tok.terms(tokens, "de") == ["flüchtling", "schule", "regierung", "merkel", "scholz", "streik"]
    assert tok.tokens("DIE SCHULEN", "de") == ["die", "schulen"]
    # French keeps its rule: a capital opening a sentence is no name
    assert tok.tokens("Flüchtlinge. Schulen", "fr") == ["flüchtlinge", "schulen"]


def test_english_tokens():
    assert tok.tokens("Morocco’s team beat the U.S. in Georgia", "en") == [
        "morocco",
        "team",
        "beat",
        "the",
        "US",
        "in",
        "Georgia",
    ]
    # In a Title Case headline capitals are not names
    assert tok.tokens("Bank Raises Interest Rates Again", "en") == ["bank", "raises", "interest", "rates", "again"]


@pytest.mark.parametrize(
    ("line", "lang", "names"),
    [
        # a photo's caption: it ends as a sentence does
        ("Les producteurs Gérard Louvin et Daniel Moyne, à Paris en juin 2007.", "fr", ["Paris", "Louvin"]),
        # a long word in small letters that is no stopword: sentence case
        ("Entretien téléphonique entre Kaïs Saïed et Abdelmajid Tebboune", "fr", ["Saïed", "Tebboune"]),
        # its capitalised words are names, not the dictionary's words
        ("Olaf Scholz et Emmanuel Macron à Berlin", "fr", ["Scholz", "Macron", "Berlin"]),
        ("Steve Bannon à New York, en septembre 2022", "fr", ["Bannon", "New", "York"]),
    ],
)
def test_a_line_of_names_is_no_title_case_headline(line, lang, names):
    """A line most of whose long words are capitalised is a Title Case headline (its capitals say
    nothing of names) only when it looks like one: no long word in small letters but stopwords,
    no full stop at its end, and capitalised words of the dictionary (`Veteran Wraps Baby`), not
    names. A caption's place keeps its capital, and its term is no lemma (`Paris`, not `pari`)."""
    text = f"Un titre\n{line}"
    tokens = tok.tokens(text, lang)
    assert set(names) <= set(tokens)
    assert [token for _, _, token in tok.spans(text, lang)] == tokens
    if "Paris" in names:
        assert "paris" in tok.terms(tokens, lang) and "pari" not in tok.terms(tokens, lang)


@pytest.mark.parametrize(
    ("text", "lang", "terms"),
    [
        (
            "Les Tunisiens, les Marocaines et un Tunisien tunisien",
            "fr",
            ["tunisien", "marocain", "tunisien", "tunisien"],
        ),
        ("Moroccans and a Moroccan official, Americans", "en", ["moroccan", "moroccan", "official", "american"]),
    ],
)
def test_a_noun_of_nationality_is_a_word_not_a_name(text, lang, terms):
    """A capitalised demonym (the countries' data file) is a noun of nationality, whose term is its
    lemma as the adjective's is (`les Tunisiens`: `tunisien`, as `tunisien`), not a name kept as
    written (`tunisiens`); English plurals, which simplemma does not know, by the data's forms."""
    tokens = tok.tokens(text, lang)
    assert any(token[:1].isupper() for token in tokens)  # (read as names: capitals kept)
    assert tok.terms(tokens, lang) == terms
    # a demonym that is also a country's name stays the name (`les Philippines`, not `philippin`)
    assert tok.terms(tok.tokens("Aux Philippines et en Argentine", "fr"), "fr") == ["philippines", "argentine"]


def test_a_sentence_s_first_word_is_the_name_it_is_elsewhere_in_the_text():
    """A capitalised word that opens a sentence (or stands in a Title Case headline) is read as
    no name, unless the text has it as a name elsewhere: then it is that name, whose term is no
    lemma (`Paris`, not `pari`); a word in capitals too (a dateline's `PARIS`), or after an
    elision elsewhere (`l'Inde`). A stopword stays one (`Les`, beside `Les Républicains`), and a
    word the text never has as a name stays a word (`Marine nationale`)."""
    text = (
        "PARIS (AFP) - Paris accueille le sommet. Les dirigeants arrivent à Paris avec Les Républicains.\n"
        "Inde : les élections de l'Inde. Marine nationale."
    )
    tokens = tok.tokens(text, "fr", breaks=True)
    assert [t for t in tokens if t.lower() in ("paris", "inde", "les", "marine")] == [
        "Paris", "Paris", "les", "Paris", "Les", "Inde", "les", "marine",
    ]  # fmt: skip
    assert [token for _, _, token in tok.spans(text, "fr")] == [t for t in tokens if t != BREAK]
    terms = tok.terms(tokens, "fr")
    assert terms.count("paris") == 3 and "pari" not in terms
    # the first word of a sentence alone: a word
    assert tok.tokens("Paris sportifs : la mise.", "fr")[0] == "paris"


@pytest.mark.parametrize(
    ("line", "lang", "tokens"),
    [
        ("Veteran Wraps Baby in American Flag, Photo Sparks Controversy", "en", ["veteran", "wraps", "baby", "in"]),
        ("United States to Lift Sudan Sanctions", "en", ["united", "states", "to", "lift", "sudan", "sanctions"]),
        ("The Modern Ambitions Behind Neon", "en", ["the", "modern", "ambitions", "behind", "neon"]),
        ("Manhole Fires and Burst Pipes: How Winter Wreaks Havoc on N.Y.C.", "en", ["manhole", "fires", "and"]),
    ],
)
def test_title_case_headlines_are_still_read_so(line, lang, tokens):
    """A Title Case headline's capitalised words are the dictionary's; after a line over it (the
    first line is read so anyway), its tokens are lower-cased, and their terms are lemmas."""
    found = tok.tokens(f"Un titre\n{line}", lang)[2:]
    assert found[: len(tokens)] == tokens
    assert "wrap" in tok.terms(found, lang) or "wraps" not in found


def test_spanish_doubled_abbreviations_are_one_acronym():
    """Spanish writes a plural abbreviation with doubled letters (`EE.UU.`, `FF.AA.`): one token,
    as `EEUU` without dots; two letters that differ stay words (French `L.AS.`)."""
    assert tok.tokens("Los EE.UU. y las FF.AA. firmaron", "es") == ["los", "EEUU", "y", "las", "FFAA", "firmaron"]
    assert tok.tokens("Pass et L.AS.", "fr") == ["pass", "et", "l", "AS"]


def test_terms_drop_stopwords_and_lemmatise():
    tokens = tok.tokens("Selon M. Alami, les étudiants marocaines ont été reçus lundi à Rabat aujourd’hui.", "fr")
    assert tok.terms(tokens, "fr") == ["alami", "étudiant", "marocain", "recevoir", "rabat"]


def test_french_african_press_function_words_and_currency_codes_are_stopwords():
    """`ledit`/`ladite` (the legal register of West and Central African papers) and currency codes
    after an amount (`FCFA`, `CHF`, as `dh`) carry no topic; `franc CFA` does."""
    tokens = tok.tokens("Ladite banque prête 185 000 FCFA, soit 300 CHF ; lesdits francs CFA.", "fr")
    assert tok.terms(tokens, "fr") == ["banque", "prêter", "franc", "CFA"]


def test_south_asian_and_african_english_numbering_and_credits_are_stopwords():
    """Indian numbering (`crore`, `lakh`) as `million` is, currency signs before an amount (`Rs`,
    `KSh`), an agency's credit (`PTI`): no topic (the English world press audit)."""
    tokens = tok.tokens("The Cabinet cleared Rs 12,000 crore for 4.5 lakh farmers, PTI reported; KSh 500 each.", "en")
    assert tok.terms(tokens, "en") == ["cabinet", "farmer", "report"]


def test_spanish_news_stopwords():
    """Weekdays, months and the month abbreviations of agency datelines (`25 nov (EFE)`), `año`,
    `millones`: stopwords-iso's Spanish list has none of them."""
    tokens = tok.tokens(
        "Rabat, 25 nov (EFE).- El martes, cinco millones de turistas visitaron el país en diciembre.", "es"
    )
    assert tok.terms(tokens, "es") == ["rabat", "EFE", "turista", "visitar", "país"]


def test_portuguese_news_stopwords():
    """Weekdays, months, `milhões`, `semana`: stopwords-iso's Portuguese list has none of them
    (the Portuguese-language press audit)."""
    tokens = tok.tokens(
        "Na terça-feira, cinco milhões de turistas visitaram o Brasil em dezembro e na semana passada.", "pt"
    )
    assert tok.terms(tokens, "pt") == ["turista", "visitar", "brasil", "passado"]


def test_dutch_news_stopwords():
    """Weekdays and their date-line abbreviations (`di 1 dec`), months, `jaar`, `uur`, `procent`,
    `miljoen`, `zegt`: stopwords-iso's Dutch list has none of them (the Dutch-language press audit)."""
    tokens = tok.tokens(
        "di 1 dec 2026, 14.30 uur. Op dinsdag zegt de minister dat vorig jaar vijf miljoen toeristen in "
        "december Marokko bezochten, 4 procent meer.",
        "nl",
    )
    assert tok.terms(tokens, "nl") == ["minister", "vorig", "toerist", "marokko", "bezoeken"]


def test_german_news_stopwords():
    """Weekdays, months (Austria's `Jänner`), `Prozent`, `Millionen`, reporting verbs and news
    adverbs (`hieß es`, `nach Angaben`, `zuletzt`), the agency's credit: stopwords-iso's German
    list has none of them (the German-language press audit)."""
    tokens = tok.tokens(
        "Am Dienstag sprach der Minister in Wien (APA) von fünf Millionen Touristen im Jänner, "
        "zuletzt 3 Prozent mehr als im Dezember, hieß es nach Angaben der dpa.",
        "de",
    )
    assert tok.terms(tokens, "de") == ["minister", "wien", "tourist"]


def test_russian_and_ukrainian_news_stopwords_and_declined_names():
    """Months, weekdays, reporting verbs (`заявил`), `ранее`, `процентов` are stopwords; a name inside
    a sentence is lemmatised when simplemma's lemma is a name (`во Франции`, `в России`: `франция`,
    `россия`; Ukrainian `у Києві`: `київ`; `Київ` opening a sentence too, no `кий`), else kept as written (the surname `Лаврова` is no
    `лавровый`, laurel); stopwords-iso's Russian list holds `россия`, `москва`, `война`, which are
    terms; its Ukrainian list lacks `на`, `у`, `не` (the Russian- and Ukrainian-language press audit)."""
    tokens = tok.tokens(
        "В среду, 2 декабря, министр заявил, что во Франции и в России ранее выросли поставки на 12 "
        "процентов. Вчера министра Лаврова спросили о войне в Москве.",
        "ru",
    )
    expected = ["министр", "франция", "россия", "вырасти", "поставка", "министр", "лаврова", "война", "москва"]
    assert tok.terms(tokens, "ru") == expected
    tokens = tok.tokens("У середу президент заявив, що у Києві та у Польщі на 5 відсотків не зросли поставки.", "uk")
    assert tok.terms(tokens, "uk") == ["президент", "київ", "польща", "зрости", "поставка"]
    # a name opening a sentence is a name when simplemma's lemma is one; an ordinary word is lemmatised
    assert tok.terms(tok.tokens("Київ і Кишинів обговорили. Поставки зросли.", "uk"), "uk") == [
        "київ",
        "кишинів",
        "обговорити",
        "поставка",
        "зрости",
    ]
    assert tok.terms(tok.tokens("Франции это выгодно. Поставки выросли.", "ru"), "ru") == [
        "франция",
        "выгодный",
        "поставка",
        "вырасти",
    ]


def test_terms_keep_names_and_acronyms_whole():
    assert tok.terms(tok.tokens("Les États-Unis et l’IA", "fr"), "fr") == ["états-unis", "IA"]
    # a name is lower-cased, not lemmatised: Paris is not the plural of pari; the word paris is
    assert tok.terms(tok.tokens("À Paris, les paris sportifs", "fr"), "fr") == ["paris", "pari", "sportif"]


@pytest.mark.parametrize(
    ("token", "term"),
    [
        ("بالرباط", "الرباط"),  # in Rabat (simplemma guessed رابط, a link)
        ("والبرتغال", "البرتغال"),  # and Portugal (kept whole beside البرتغال)
        ("وتراهن", "راهن"),  # and (it) bets (guessed وتر, a string)
        ("والناظور", "الناظور"),  # a name simplemma does not know: from its article on
        ("للمملكة", "مملكة"),  # ل + ال, written لل
        ("وزير", "وزير"),  # a minister: a known word that opens with و stays whole
        ("واشنطن", "واشنطن"),
        ("فاسو", "فاسو"),  # of Burkina Faso: no ف + a word of three letters
    ],
)
def test_arabic_terms_lose_the_conjunction_or_preposition_joined_before_them(token, term):
    """Arabic writes و (and), ف, ب (in), ك, ل (for) joined to the next word; simplemma knows few
    words with them, so the same word was several terms (`والبرتغال`, `البرتغال`), or a wrong one."""
    assert tok.terms([token], "ar") == [term]


@pytest.mark.parametrize(
    ("token", "term"),
    [
        ("بايدن", "بايدن"),  # Biden: simplemma guessed أيد (ب + ايدن)
        ("الجفاف", "جفاف"),  # drought, not the verb جف (to dry up)
        ("والجفاف", "جفاف"),
        ("الشباب", "شاب"),  # youth: the plural of شاب, as شباب alone, not the verb شب
        ("ذروته", "ذروة"),  # its peak: the ة before a pronoun (simplemma guessed ذروت)
        ("قيمتها", "قيمة"),  # its value (guessed قيم)
        ("دعمها", "دعم"),  # her support (kept whole)
        ("ردود", "رد"),  # the plural of a two-letter noun keeps its lemma
        ("الحكومة", "حكومة"),  # a word known without the article
        ("باتفاق", "اتفاق"),  # a verbal noun after ب
        ("لدعم", "دعم"),
        ("الركراكي", "الركراكي"),  # a name no dictionary knows: as written
    ],
)
def test_arabic_lemmas_only_where_the_dictionary_knows_the_word(token, term):
    """simplemma's guesses for Arabic words it does not know cut names and nouns to roots, and its
    dictionary gives verbal nouns their doubled verb: the keywords of a Moroccan corpus showed
    `أيد` for Biden and `جف` for drought."""
    assert tok.terms([token], "ar") == [term]


def test_arabic_news_stopwords():
    """Weekdays, months of the Maghreb and of the Levant, `في المائة` (per cent), reporting verbs,
    with a joined و too."""
    tokens = tok.tokens("وأضاف يوم الثلاثاء 12 غشت أن التضخم بلغ 2 في المائة وقال إن شباط كان أفضل", "ar")
    assert tok.terms(tokens, "ar") == ["تضخم", "بلغ", "أفضل"]
    # prepositions, reporting participles, numbers and currencies (the Arabic press audit)
    tokens = tok.tokens("وتأتي الشحنات عبر الميناء مشيرا إلى أزيد من ستة آلاف دولار في إطار الاتفاق", "ar")
    assert tok.terms(tokens, "ar") == ["شحنة", "ميناء", "اتفاق"]


def _compact_calls(monkeypatch, function: str) -> tuple[list[bool], Any]:
    """With 3 lookups per language from the compact dictionaries: each call of simplemma's
    ``function`` records whether it asked the compact form; and the function itself."""
    import simplemma

    from analysis import tokens

    monkeypatch.setattr(tokens, "COMPACT_LOOKUPS", 3)
    monkeypatch.setattr(tokens, "_compact_lookups", {})
    calls: list[bool] = []
    original = getattr(simplemma, function)

    def spy(token: str, lang: str, low_memory: bool = False) -> Any:
        calls.append(low_memory)
        return original(token, lang=lang, low_memory=low_memory)

    monkeypatch.setattr(simplemma, function, spy)
    return calls, original


def test_compact_dictionaries_give_the_same_lemmas_then_the_full_ones_load(monkeypatch):
    from analysis import tokens

    words = ["étudiants", "reçus", "marocaines", "investissements", "étaient", "chevaux", "élections", "allées"]
    calls, lemmatize = _compact_calls(monkeypatch, "lemmatize")
    assert [tokens._lemma(w, "fr") for w in words] == [lemmatize(w, lang="fr").lower() for w in words]
    assert calls == [True] * 3 + [False] * 5  # the first lookups from the compact form, then the full one
    assert [tokens._lemma(w, "en") for w in ("horses", "were")] == ["horse", "be"]
    assert calls[-2:] == [True, True]  # counted per language
    assert [lemmatize(w, lang="fr", low_memory=True) for w in words] == [lemmatize(w, lang="fr") for w in words]


def test_known_words_count_toward_loading_the_full_dictionary(monkeypatch):
    from analysis import tokens

    calls, is_known = _compact_calls(monkeypatch, "is_known")
    words = ["maison", "kais", "égypte", "marché", "xqzw"]
    assert [tokens.known_word(w, "fr") for w in words] == [is_known(w, "fr") for w in words]
    assert calls == [True] * 3 + [False] * 2  # a process asking many words loads the full dictionary
    tokens._lemma("chevaux", "fr")
    assert tokens._compact_lookups["fr"] == 3  # the lemmas' lookups share the count


def test_snowball_stems_as_an_option():
    stemmer = Tokenizer(TokenOptions(reduce="stem"))
    assert stemmer.terms(["investissements", "marocaines"], "fr") == ["invest", "marocain"]


def test_user_stopwords_extend_the_lists():
    custom = Tokenizer(TokenOptions(extra_stopwords={"fr": ("maroc",)}))
    assert custom.terms(["maroc", "rabat"], "fr") == ["rabat"]


def test_unknown_language_still_tokenises():
    assert tok.terms(tok.tokens("Hola amigos del mundo", "xx"), "xx") == ["hola", "amigos", "del", "mundo"]


def test_bad_reduce_option():
    with pytest.raises(ValueError, match=r"tokens\.reduce"):
        Tokenizer(TokenOptions(reduce="porter"))


_PIECES = st.sampled_from(
    [
        "Paris",
        "paris",
        "LE MAROC",
        "l’Inde",
        "d'Israël",
        "aujourd’hui",
        "dit-elle",
        "U.S.",
        "ONU",
        "Morocco’s",
        "www.exemple.ma",
        "https://x.ma/a?b=1",
        "nom@site.ma",
        "2024",
        "12,5%",
        "États-Unis",
        "Guinée-Bissau",
        "«",
        "»",
        ".",
        ":",
        "(",
        "—",
        "-",
        " ",
        "  ",
        "\n",
        "\t",
        "Le",
        "Roi",
        "a",
        "Dit",
        "Rabat",
        "_x",
        "½",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PIECES, max_size=40).flatmap(lambda p: st.sampled_from([" ".join(p), "".join(p)])),
    st.sampled_from(["fr", "en", None]),
)
def test_tokens_are_the_spans_tokens(text, lang):
    """The fast token scan gives exactly the tokens of the full scan with offsets."""
    tokenizer = Tokenizer()
    assert tokenizer.tokens(text, lang) == [token for _, _, token in Tokenizer().spans(text, lang)]


# Letters of every kind (capitals without a lower case, title case, numerals that are letters or
# capitals), separators, sentence ends and spaces of several kinds.
_CHARS = (
    st.sampled_from(list("aAbBzZéÉœŒßİıǅⅧⓐⒶ½²٣_'’-‐‑.!?:;«»\"“”([•·|–—@/ \t\u00a0\u2009\n0123456789")) | st.characters()
)
_LINES = st.lists(_PIECES | st.text(_CHARS, max_size=6), max_size=40).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_LINES, st.sampled_from(["fr", "en", None]))
def test_tokens_of_any_text_are_the_spans_tokens(text, lang):
    """The fast scan (one regex pass a line, memos) gives the full scan's tokens on any text."""
    tokenizer = Tokenizer()
    expected = [token for _, _, token in Tokenizer().spans(text, lang)]
    assert tokenizer.tokens(text, lang) == expected
    assert tokenizer.tokens(text, lang) == expected  # again, from the memos


@settings(max_examples=400, deadline=None)
@given(_LINES, st.sampled_from(["fr", "en", None]))
@example("L' avion d’ abord -rock rock- a--b a-'b c'-d. «Le Roi» : Dit\nRabat ‐x y‑", "fr")
def test_tokens_of_any_bmp_text_are_the_spans_tokens(text, lang):
    """The same on texts with no character beyond the BMP, apostrophes and hyphens at the edges of
    words and sentence ends before capitals among them."""
    text = "".join(char for char in text if ord(char) < 0x10000)
    tokenizer = Tokenizer()
    expected = [token for _, _, token in Tokenizer().spans(text, lang)]
    assert tokenizer.tokens(text, lang) == expected
    assert tokenizer.tokens(text, lang) == expected


@settings(max_examples=200, deadline=None)
@given(_LINES, st.sampled_from(["fr", "en", None]))
def test_terms_are_each_tokens_reduction(text, lang):
    """Terms (memoised per language) are each token reduced on its own, stopwords and short ones left out."""
    tokenizer = Tokenizer()
    tokens = tokenizer.tokens(text, lang)
    expected = [t for t in (Tokenizer()._reduce_one(token, lang) for token in tokens) if t is not None]
    assert tokenizer.terms(tokens, lang) == expected
    assert tokenizer.terms(iter(tokens), lang) == expected


@given(
    st.text(alphabet=st.sampled_from([*"aZ éÉ1_’-.\n", "Σ", "ǅ", "İ", "ß", "😀", "𝐀"]) | st.characters(), max_size=80)
)
@settings(max_examples=400, deadline=None)
def test_letters_and_capitals_are_counted_as_the_regex_counts_them(line):
    """The table look-up counts what removing the non-letters and asking each letter would."""
    from analysis.tokens import _NOT_LETTER, _letters_and_capitals

    letters = _NOT_LETTER.sub("", line)
    assert _letters_and_capitals(line) == (len(letters), sum(map(str.isupper, letters)))


def test_reductions_are_recorded_once_each_and_only_when_asked():
    import pickle

    tokenizer = Tokenizer()
    tokenizer.reduced(["maisons"], "fr")
    assert tokenizer.take_reductions() == []  # not recording
    tokenizer.record_reductions()
    assert tokenizer.reduced(["maisons", "chevaux", "le", "chevaux"], "fr") == ["maison", "cheval", None, "cheval"]
    assert tokenizer.take_reductions() == [("fr", "chevaux", "cheval"), ("fr", "le", None)]  # maisons: remembered
    assert tokenizer.reduced(["chevaux", "Paris"], "fr") == ["cheval", "paris"]
    assert tokenizer.take_reductions() == [("fr", "Paris", "paris")]
    assert tokenizer.take_reductions() == []
    copy = pickle.loads(pickle.dumps(tokenizer))  # what a worker gets: no memo, not recording
    copy.reduced(["chevaux"], "fr")
    assert copy.take_reductions() == []


def test_a_lexicon_is_read_only_by_a_tokenizer_that_reduces_alike(tmp_path):
    from analysis.tokens import read_lexicon, write_lexicon

    path = tmp_path / "lexicon.parquet"
    reduced = {"fr": {"chevaux": "cheval", "le": None}, None: {"Paris": "paris"}}
    write_lexicon(path, reduced, Tokenizer())
    assert read_lexicon(path, Tokenizer()) == reduced
    assert read_lexicon(path, Tokenizer(TokenOptions(reduce="stem"))) == {}
    assert read_lexicon(path, Tokenizer(TokenOptions(extra_stopwords={"fr": ("cheval",)}))) == {}
    assert read_lexicon(tmp_path / "absent.parquet", Tokenizer()) == {}


def test_a_lexicon_is_not_read_by_another_version_of_the_tokenizer_s_code(tmp_path, monkeypatch):
    """What a token's term is depends on this module's code too (German nouns were once left
    unreduced): the lexicon of a build made by other code is not read."""
    from analysis import tokens
    from analysis.tokens import read_lexicon, write_lexicon

    path = tmp_path / "lexicon.parquet"
    reduced = {"de": {"Flüchtlinge": "flüchtlinge"}}
    write_lexicon(path, reduced, Tokenizer())
    assert read_lexicon(path, Tokenizer()) == reduced
    monkeypatch.setattr(tokens, "_code", lambda module: f"another version of {module}")
    assert read_lexicon(path, Tokenizer()) == {}


_LINE_PIECES = st.sampled_from(
    [
        *["Le Maroc", "PARIS", "Rabat Casablanca Marrakech Tanger", " ", "\n", "\r\n", "\x0c", "\x1c", "\u2028"],
        *["\x85", "État", "ǅemal", "élan", "1234", "Ab", "\u00a0", "\t", "x", "ÉÉÉÉ", "-Test", "😀", "Ωmega"],
    ]
)


@given(st.lists(_LINE_PIECES, max_size=30).map("".join) | st.text(max_size=60))
@settings(max_examples=400, deadline=None)
def test_line_modes_at_once_are_each_lines_mode(text):
    """Counting over the whole text gives each line's mode as the line alone gives it."""
    from analysis.tokens import _line_mode, _line_modes

    lines = text.splitlines()
    assert _line_modes(text, lines) == [_line_mode(line) for line in lines]


def test_line_modes_tell_shouting_title_case_and_body_lines_apart():
    from analysis.tokens import _line_modes

    text = "LE MAROC ET LA FRANCE SIGNENT\nLe Maroc Signe Un Accord Avec La France\nLe Maroc a signé avec la France à Paris."
    assert _line_modes(text, text.splitlines()) == [(True, False), (False, False), (False, True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U.S. " + "." * 3_000, ["US"]),
        ("EE.UU" * 3, ["ee", "uuee", "uuee", "uu"]),
        ("écrire à nom@site.ma " + "-" * 3_000, ["écrire", "à"]),
    ],
    ids=["dots", "glued_acronyms", "dashes"],
)
def test_long_runs_without_spaces_and_e_mail_addresses(text, expected):
    """The e-mail branch starts only where no character of its own precedes (tried at every
    character of a run of dots, 300,000 of them took 90 s: measured, not asserted); what a
    line gives is what it gave."""
    assert tok.tokens(text, "es") == expected
    assert [token for _, _, token in tok.spans(text, "es")] == expected
    assert tok.tokens("écrivez à x.nom+tag@site.ma ou à contact@site.ma", "fr") == ["écrivez", "à", "ou", "à"]


def test_italian_news_stopwords():
    """Weekdays, months and the month abbreviations of ANSA's datelines (`ROMA, 2 DIC`), `milione`,
    `settimana`, reporting verbs: stopwords-iso's Italian list has none of them (the Italian
    audit's top terms held `DIC`)."""
    tokens = tok.tokens(
        "(ANSA) - ROMA, 2 DIC - Mercoledì un milione di turisti ha visitato Roma a dicembre, ha spiegato "
        "il ministro, e la settimana prossima anche Milano.",
        "it",
    )
    assert tok.terms(tokens, "it") == ["ROMA", "turista", "visitare", "roma", "ministro", "prossimo", "milano"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # Devanagari's and Bengali's vowel signs are combining marks, which `\w` leaves out
        ("भारत और मोरक्को ने समझौते पर हस्ताक्षर किए", "hi", ["भारत", "और", "मोरक्को", "ने", "समझौते", "पर", "हस्ताक्षर", "किए"]),
        ("বাংলাদেশ ও মরক্কো চুক্তি", "bn", ["বাংলাদেশ", "ও", "মরক্কো", "চুক্তি"]),
        # Arabic's shadda, tanwin and short vowels, Hebrew's points: written or not, the same word
        ("قال محمّد أيضاً إنّ المغربَ", "ar", ["قال", "محمد", "أيضا", "إن", "المغرب"]),
        ("קראתי את הַסֵּפֶר", "he", ["קראתי", "את", "הספר"]),
        ("Ça a été dit à Fès", "fr", ["ça", "a", "été", "dit", "à", "Fès"]),
    ],
)
def test_words_written_with_combining_marks_stay_whole(text, lang, expected):
    assert tok.tokens(text, lang) == expected
    assert [token for _, _, token in tok.spans(text, lang)] == expected


def test_hindi_terms_are_lemmatised_whole_words():
    assert tok.terms(tok.tokens("भारत और मोरक्को ने समझौते पर हस्ताक्षर किए", "hi"), "hi") == [
        "भारत",
        "मोरक्को",
        "समझौता",
        "हस्ताक्षर",
    ]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # no spaces between words: overlapping pairs of characters, those that are words recurring
        # (Chinese as another language's text: a Chinese article's are cut into words, below)
        ("会见了摩洛哥首相。", None, ["会见", "见了", "了摩", "摩洛", "洛哥", "哥首", "首相"]),
        # Japanese: hiragana (particles, endings) left out; kanji in pairs; a run of katakana is a
        # word (a loanword, a foreign name), the middle dot parting two
        ("東京でモロッコの首相と会談した。", "ja", ["東京", "モロッコ", "首相", "会談"]),
        ("ロシア・ウクライナ戦争", "ja", ["ロシア", "ウクライナ", "戦争"]),
        # a Thai letter with its vowel or tone mark counts as one
        ("โมร็อกโก", "th", ["โม", "มร็", "ร็อ", "อก", "กโ", "โก"]),
        # one character alone; Latin words among them as anywhere
        ("中国和Maroc的关系", None, ["中国", "国和", "maroc", "的关", "关系"]),
        ("美", None, ["美"]),
        # Korean writes spaces: its words as they are
        ("한국과 모로코가", "ko", ["한국과", "모로코가"]),
    ],
)
def test_scripts_without_spaces_are_cut_into_pairs_of_characters(text, lang, expected):
    assert tok.tokens(text, lang) == expected
    assert [token for _, _, token in tok.spans(text, lang)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("会见了摩洛哥首相。", ["会见", "了", "摩洛哥", "首相"]),
        ("中国和Maroc的关系", ["中国", "和", "maroc", "的", "关系"]),
        ("国务院总理会见了新能源企业代表", ["国务院", "总理", "会见", "了", "新能源", "企业", "代表"]),
        ("美", ["美"]),
    ],
)
def test_chinese_articles_are_cut_into_words(text, expected):
    """A Chinese article's runs of characters are its words as jieba's dictionary cuts them (they
    were overlapping pairs, half of them across two words: `了摩`, `哥首`)."""
    assert tok.tokens(text, "zh") == expected
    assert [token for _, _, token in tok.spans(text, "zh")] == expected


def test_chinese_function_words_are_no_terms():
    assert tok.terms(tok.tokens("我们在北京", "zh"), "zh") == ["北京"]


# --- where the words do not run on ------------------------------------------------------------------


def _breaks_from_spans(text: str, lang: str | None) -> list[str]:
    """The tokens with their breaks, from the full scan's offsets: a break between two tokens that
    something other than spaces parts, or a line end the next line does not go on from."""
    out: list[str] = []
    end = None
    wrapped = _wrapping(text.splitlines())[1]  # (lines going on from a full line of wrapped text)
    line_starts = list(itertools.accumulate(len(line) for line in text.splitlines(keepends=True)))
    for start, stop, token in Tokenizer().spans(text, lang):
        if end is not None and start >= end:
            between = text[end:start]
            line_ends = len(("x" + between + "x").splitlines()) - 1
            runs_on = line_ends == 1 and text[end - 1].isalpha() and text[start].islower()
            runs_on = runs_on or (line_ends == 1 and bisect.bisect_right(line_starts, start) in wrapped)
            if between.strip() or (line_ends and not runs_on):
                out.append(BREAK)
        out.append(token)
        end = stop
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("un déficit de 3 MD à fin juin", ["un", "déficit", "de", BREAK, "MD", "à", "fin", "juin"]),
        ("Covid-19 : nouvelles mesures", ["covid-19", BREAK, "nouvelles", "mesures"]),
        ("la FAO (Rome), le PAM", ["la", "FAO", BREAK, "rome", BREAK, "le", "PAM"]),
        ("Le Maroc. Rabat aussi", ["le", "Maroc", BREAK, "rabat", "aussi"]),
        ("Un titre\nLe texte suit", ["un", "titre", BREAK, "le", "texte", "suit"]),
        ("un texte coupé à la\nlargeur de la page", ["un", "texte", "coupé", "à", "la", "largeur", "de", "la", "page"]),
        ("fin du paragraphe\n\nsuite", ["fin", "du", "paragraphe", BREAK, "suite"]),
        ("since early\nJanuary", ["since", "early", BREAK, "january"]),
        ("2024 : 5 %", []),
        ("voir https://exemple.ma/a le site", ["voir", BREAK, "le", "site"]),
        ("les États-Unis et aujourd'hui l'Inde", ["les", "États-Unis", "et", "aujourd'hui", "l'Inde"]),
    ],
)
def test_breaks_mark_where_the_words_do_not_run_on(text, expected):
    assert tok.tokens(text, "fr", breaks=True) == expected
    assert tok.tokens(text, "fr") == [t for t in expected if t != BREAK]


@settings(max_examples=400, deadline=None)
@given(_LINES | st.lists(_LINES, max_size=4).map("\n".join), st.sampled_from(["fr", "en", "de", None]))
@example("L' avion d’ abord -rock rock- a--b a-'b c'-d. «Le Roi» : Dit\nRabat ‐x y‑ 12 a\n\nb", "fr")
@example("voir www.exemple.ma, U.S. 3 pays\nsuite a@b.ma et", "en")
def test_breaks_are_those_of_the_offsets(text, lang):
    """The fast scan's breaks are where the full scan's offsets put them, on any text; the words
    are the same as without them, and a break is never first, last or twice in a row."""
    tokenizer = Tokenizer()
    found = tokenizer.tokens(text, lang, breaks=True)
    assert found == _breaks_from_spans(text, lang)
    assert [t for t in found if t != BREAK] == tokenizer.tokens(text, lang)
    assert found[:1] != [BREAK] and found[-1:] != [BREAK]
    assert all(not (a == b == BREAK) for a, b in itertools.pairwise(found))


def test_a_break_is_no_term():
    tokens = tok.tokens("Le déficit, de 3 MD.", "fr", breaks=True)
    assert BREAK in tokens
    assert tok.terms(tokens, "fr") == tok.terms(tok.tokens("Le déficit, de 3 MD.", "fr"), "fr")
    assert Tokenizer(TokenOptions(min_length=1)).terms([BREAK, "maroc"], "fr") == ["maroc"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a capital's dropped accent: the word it stands for (one term with the accented spelling)
        ("Le rôle de l'Etat. Le rôle de l'État.", ["rôle", "état", "rôle", "état"]),
        ("Education : le ministère de l'Education", ["éducation", "ministère", "éducation"]),
        ("les Etats-Unis et les États-Unis", ["états-unis", "états-unis"]),
        ("Les Elections de l'Ile Maurice", ["élection", "île", "maurice"]),
        # a sentence's first word in small letters: only when the plain word is no word
        ("Acre est une mesure. Une acre.", ["acre", "mesure", "acre"]),
        ("Economie : etude", ["économie", "étude"]),
        # acronyms and names with no accented form are left as they are
        ("l'ONU et l'ETAT, Emmanuel Macron, l'Egypte", ["ONU", "ETAT", "emmanuel", "macron", "egypte"]),
        # the State, the political right and the armed forces are terms in news
        ("La droite et les forces de l'État", ["droite", "force", "état"]),
    ],
)
def test_french_capitals_without_their_accent(text, expected):
    assert tok.terms(tok.tokens(text, "fr"), "fr") == expected


def test_a_run_of_elisions_is_read_without_recursion():
    """`l'l'l'…x` (junk) recursed once per elision: thousands of them overflowed the stack."""
    assert tok.tokens("l'" * 5000 + "Inde", "fr") == ["l'Inde"]
    assert tok.tokens("qu'" * 3 + "elle d'aujourd'hui", "fr") == ["qu'elle", "d'aujourd'hui"]


def test_the_lexicon_s_hash_follows_the_words_taken_out_of_the_stopwords(monkeypatch):
    """A saved lexicon (each token's term) is stale when `[not_stopwords]` changes: `état` became a
    term, and a lexicon made before would keep it a stopword."""
    from analysis import tokens as tokens_module

    before = tokens_module.lexicon_digest(Tokenizer())
    data = dict(tokens_module._stopwords_data())
    data["not_stopwords"] = {**data.get("not_stopwords", {}), "fr": ["état", "droite"]}
    monkeypatch.setattr(tokens_module, "_stopwords_data", lambda: data)
    assert tokens_module.lexicon_digest(Tokenizer()) != before


# --- locutions: stopwords of several words ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens", "terms"),
    [
        (
            "Dans le cadre de la réunion",
            ["dans le cadre", "de", "la", "réunion"],
            ["réunion"],
        ),
        (
            "Le cadre de vie des habitants",
            ["le", "cadre", "de", "vie", "des", "habitants"],
            ["cadre", "vie", "habitant"],
        ),
        ("la mise en place du plan", ["la", "mise en place", "du", "plan"], ["plan"]),
        (
            "la mise en œuvre et le gouvernement en place",
            ["la", "mise en œuvre", "et", "le", "gouvernement", "en place"],
            ["gouvernement"],
        ),
        ("à l’égard du Maroc", ["à l'égard", "du", "Maroc"], ["maroc"]),
        ("au fur et à mesure des mesures", ["au fur et à mesure", "des", "mesures"], ["mesure"]),
        # never across what parts the words, and as written when capitalised or shouted
        (
            "Il y a un cadre. Dans le\n\ncadre",
            ["il", "y", "a", "un", "cadre", BREAK, "dans", "le", BREAK, "cadre"],
            ["cadre", "cadre"],
        ),
        ("AU NIVEAU NATIONAL", ["au niveau", "national"], ["national"]),
        ("Au Niveau National", ["au Niveau", "National"], ["national"]),
        (
            "Le sommet a eu lieu au niveau des ministres",
            ["le", "sommet", "a", "eu lieu", "au niveau", "des", "ministres"],
            ["sommet", "ministre"],
        ),
    ],
)
def test_a_locution_is_one_token_and_no_term(text, tokens, terms):
    found = tok.tokens(text, "fr", breaks=True, locutions=True)
    assert found == tokens
    assert tok.terms(found, "fr") == terms
    assert tok.tokens(text, "fr", breaks=True) == [w for t in found for w in (t.split(" ") if t != BREAK else [t])]


def test_english_locutions():
    found = tok.tokens("In terms of trade, the talks took place in the wake of the vote", "en", locutions=True)
    assert "in terms of" in found and "in the wake of" in found
    assert tok.terms(found, "en") == ["trade", "talk", "vote"]


@pytest.mark.parametrize(
    ("lang", "text", "terms"),
    [
        ("es", "En el marco del acuerdo, a nivel nacional, llevó a cabo", ["nacional"]),
        ("pt", "No âmbito do acordo, ao longo do ano", ["acordo"]),
        (
            "it",
            "Nell'ambito del progetto, è in grado di farlo nei confronti dell'Italia",
            ["progetto", "farlo", "italia"],
        ),
        ("de", "Im Rahmen des Abkommens, in Bezug auf die Lage, im Laufe des Jahres", ["abkommen", "lage"]),
    ],
)
def test_locutions_of_other_languages(lang, text, terms):
    assert tok.terms(tok.tokens(text, lang, locutions=True), lang) == terms


def test_a_user_s_stopword_of_several_words_is_a_locution():
    custom = Tokenizer(TokenOptions(extra_stopwords={"fr": ("sous réserve",)}))
    found = custom.tokens("sous réserve de l'accord, une réserve d'eau", "fr", locutions=True)
    assert found[0] == "sous réserve"
    assert custom.terms(found, "fr") == ["accord", "réserve", "eau"]
    assert tok.terms(tok.tokens("sous réserve de", "fr", locutions=True), "fr") == ["réserve"]


def test_a_locution_of_stopwords_only_is_left_out():
    assert not Locutions([("de", "la")], lambda word: True)
    assert tok.tokens("en effet", "fr", locutions=True) == ["en", "effet"]


def _joined_by_scan(tokens, entries):
    """Reference: from the left, at each token the longest entry that matches there (lower-cased)."""
    out, i = [], 0
    while i < len(tokens):
        best = max(
            (e for e in entries if [t.lower() for t in tokens[i : i + len(e)]] == list(e)), key=len, default=None
        )
        if best is None:
            out.append(tokens[i])
            i += 1
        else:
            out.append(" ".join(tokens[i : i + len(best)]))
            i += len(best)
    return out


_LOCUTION_ENTRIES = [("a", "x"), ("a", "x", "b"), ("x", "b"), ("b", "x", "y"), ("c", "y"), ("a", "b", "c", "y")]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "A", "b", "x", "X", "y", "c", BREAK]), max_size=14))
def test_locutions_are_joined_as_a_scan_from_the_left_takes_the_longest(tokens):
    """Whatever overlaps, the joined tokens are those of a scan from the left taking the longest
    locution at each token (the anchors `x` and `y` are the words that are no stopwords)."""
    locutions = Locutions(_LOCUTION_ENTRIES, lambda word: word not in ("x", "y"))
    assert locutions.join(list(tokens)) == _joined_by_scan(tokens, _LOCUTION_ENTRIES)


_LOCUTION_PIECES = st.sampled_from(
    [
        "dans le cadre",
        "Au niveau",
        "mise en place",
        "à l’égard",
        "en place",
        "cadre",
        "niveau",
        "in terms of",
        ",",
        "\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LOCUTION_PIECES | _PIECES, max_size=20).map(" ".join), st.sampled_from(["fr", "en", None]))
def test_locutions_join_the_tokens_and_nothing_else(text, lang):
    tokenizer = Tokenizer()
    found = tokenizer.tokens(text, lang, breaks=True, locutions=True)
    assert [w for t in found for w in t.split(" ")] == tokenizer.tokens(text, lang, breaks=True)
    stop = tokenizer.stopwords(lang)
    assert all(t.lower() in stop for t in found if " " in t)


# --- text wrapped at a width ---------------------------------------------------------------------

_PARAGRAPHS = [
    "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought since early"
    " January and improving prospects for the coming harvest, although normal humidity levels have not been"
    " restored, Comissaria Smith said in its weekly review of the United States market for New York traders"
    " and the European Union buyers in Rotterdam and Hamburg, where Cargill and Nestle were buying.",
    "The dry period means the harvest will be late this year, said Jean Dupont of the Cocoa Board in Abidjan"
    " and London.",
]


@pytest.mark.parametrize("width", range(45, 101, 5))
def test_wrapping_a_text_at_a_width_changes_no_token_and_no_break(width):
    """The same paragraphs, a line each or wrapped at a width (indented as wire copy is): the same
    tokens, with the same breaks and the same capitals, whatever word opens a line."""
    flat = "Cocoa prices rose\n" + "\n".join("    " + p for p in _PARAGRAPHS)
    wrapped = "Cocoa prices rose\n" + "\n".join(textwrap.fill(p, width, initial_indent="    ") for p in _PARAGRAPHS)
    assert wrap_width(wrapped.splitlines()) > 0
    assert tok.tokens(wrapped, "en", breaks=True) == tok.tokens(flat, "en", breaks=True)


@pytest.mark.parametrize(
    ("width", "pair"), [(52, ("early", "January")), (56, ("United", "States")), (56, ("European", "Union"))]
)
def test_a_line_of_wrapped_text_going_on_with_a_capital_is_no_break(width, pair):
    text = "Cocoa prices rose\n" + textwrap.fill(_PARAGRAPHS[0], width)
    assert "\n".join(pair) in text
    found = tok.tokens(text, "en", breaks=True)
    assert found[:4] == ["cocoa", "prices", "rose", BREAK]  # the headline over the text
    at = found.index(pair[0])
    assert found[at : at + 2] == list(pair)  # no break between them, and the capitals of names


@pytest.mark.parametrize(
    "text",
    [
        # items a line each (more would have fitted): not wrapped
        "Titre\nLe Maroc signe un accord\nRabat accueille le sommet\nCasablanca inaugure le port\nTanger double son trafic",
        # paragraphs a line each, longer than any wrap width
        "Titre\n"
        + "\n".join(["Le Maroc signe un accord avec " + "les partenaires européens " * 4 + "de la région"] * 4),
        # too few places to tell
        "Titre\nle drought since early\nJanuary and",
    ],
)
def test_text_not_wrapped_keeps_its_breaks_at_line_ends(text):
    lines = text.splitlines()
    assert wrap_width(lines) == 0
    found = tok.tokens(text, "fr", breaks=True)
    assert found.count(BREAK) == sum(1 for a, b in itertools.pairwise(lines) if b[:1].isupper())


# --- lemmas that replace simplemma's ---------------------------------------------------------------


def test_a_noun_simplemma_reads_as_a_verb_s_form_keeps_its_lemma():
    """`visite` and `arrivée` were `visiter` and `arriver` (their plurals `visite`, `arrivée`), `mise`
    and `prise` `miser` and `priser`: data/lemmas.toml gives them theirs."""
    found = tok.terms(
        tok.tokens("La visite et les visites, l'arrivée, la mise en examen, la prise d'otages", "fr"), "fr"
    )
    assert found == ["visite", "visite", "arrivée", "mise", "examen", "prise", "otage"]
    assert Tokenizer(TokenOptions(reduce="stem")).terms(["visite"], "fr") == ["visit"]  # (lemmas only)


def test_a_user_s_lemmas_add_to_the_file_s():
    from analysis import tokens as tokens_module

    custom = Tokenizer(TokenOptions(extra_lemmas={"fr": {"Couverte": "couverte"}, "de": {"Flüchtlinge": "flüchtling"}}))
    assert custom.terms(["couverte", "visite"], "fr") == ["couverte", "visite"]
    assert custom.reduce("Flüchtlinge", "de") == "flüchtling"  # (a German noun keeps its capital as a token)
    assert tok.terms(["couverte"], "fr") == ["couvrir"]
    assert tokens_module.lexicon_digest(custom) != tokens_module.lexicon_digest(tok)


def test_the_lexicon_s_hash_follows_the_lemmas_file(monkeypatch):
    from analysis import tokens as tokens_module

    before = tokens_module.lexicon_digest(Tokenizer())
    monkeypatch.setattr(tokens_module, "_lemmas_data", lambda: {"fr": {"couverte": "couverte"}})
    assert tokens_module.lexicon_digest(Tokenizer()) != before


# Dotted acronyms and what resembles one: doubled capitals (Latin-1's among them, `×` too),
# full stops, letters, digits
_DOTS = st.lists(
    st.sampled_from(["EE", "UU.", "U.S.", ".", "..", "a.", ".b.", "ÀÀ.", "××.", "É", "Z", "zz.", "1.", " "])
)


# the regex `_dotted` replaced: both branches at once
_DOTTED = re.compile(r"\.[^\W\d_]\.|([A-ZÀ-Ý])\1\.[A-ZÀ-Ý]")


@settings(max_examples=1000, deadline=None)
@given(st.lists(_DOTS.map("".join) | st.text(_CHARS, max_size=6), max_size=12).map("".join))
def test_dotted_is_the_dotted_regex(line):
    """The line's check for the full scan finds what the regex of both branches finds."""
    assert _dotted(line) == (_DOTTED.search(line) is not None)
