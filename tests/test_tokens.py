import pytest

from analysis.tokens import Tokenizer, TokenOptions

tok = Tokenizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l’Inde", ["inde"]),
        ("l'Inde", ["inde"]),
        ("d’Israël et qu’Haïti", ["israël", "et", "haïti"]),
        ("qu’elle", ["elle"]),
        ("jusqu’au", ["au"]),
        ("lorsqu'il", ["il"]),
        ("aujourd’hui", ["aujourd'hui"]),
        ("aujourd'hui", ["aujourd'hui"]),
        ("les États-Unis", ["les", "états-unis"]),
        ("la Guinée-Bissau", ["la", "guinée-bissau"]),
        ("a-t-il dit-elle", ["a", "dit"]),
        ("l’IA et l’ONU", ["IA", "et", "ONU"]),
        ("MAROC – ESPAGNE : LE MATCH DE L’ANNÉE", ["maroc", "espagne", "le", "match", "de", "année"]),
        ("400 millions, 5G, 10,5 % et 2025", ["millions", "5g", "et"]),
        ("voir https://exemple.ma/a?b=1 ou écrire à redaction@exemple.ma", ["voir", "ou", "écrire", "à"]),
    ],
)
def test_french_tokens(text, expected):
    assert tok.tokens(text, "fr") == expected


def test_english_tokens():
    assert tok.tokens("Morocco’s team beat the U.S. in Georgia", "en") == [
        "morocco",
        "team",
        "beat",
        "the",
        "US",
        "in",
        "georgia",
    ]


def test_terms_drop_stopwords_and_lemmatise():
    tokens = tok.tokens("Selon M. Alami, les étudiants marocaines ont été reçus lundi à Rabat aujourd’hui.", "fr")
    assert tok.terms(tokens, "fr") == ["alami", "étudiant", "marocain", "recevoir", "rabat"]


def test_terms_keep_names_and_acronyms_whole():
    assert tok.terms(tok.tokens("Les États-Unis et l’IA", "fr"), "fr") == ["états-unis", "IA"]


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
