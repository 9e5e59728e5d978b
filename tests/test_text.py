import pytest

from analysis.text import (
    DecodeError,
    arabic_article,
    decode_bytes,
    fix_text,
    html_to_text,
    looks_binary,
    normalise,
    sniff_encoding,
)


def test_utf8_is_kept_as_is():
    decoded = decode_bytes("Le Maroc a participé à l’événement".encode())
    assert decoded.text == "Le Maroc a participé à l’événement"
    assert decoded.encoding == "utf-8"
    assert not decoded.repaired


def test_windows_1252_is_detected():
    data = "Le Maroc a participé à l’événement, déclaré ministre délégué chargé de la réforme.".encode("cp1252")
    decoded = decode_bytes(data)
    assert decoded.text.startswith("Le Maroc a participé à l’événement")


def test_declared_charset_is_used_when_not_utf8():
    page = '<html><head><meta charset="windows-1252"></head><body>Été à Rabat</body></html>'.encode("cp1252")
    assert "Été à Rabat" in decode_bytes(page).text


def test_lone_lead_byte_split_by_line_wrapping_is_rejoined():
    # A wrapping tool cut the two bytes of "à" (c3 a0) around a line break.
    data = "sécurité alimentaire ".encode() + b"\xc3\n\xa0la une"
    decoded = decode_bytes(data)
    assert decoded.text == "sécurité alimentaire à\nla une"
    assert decoded.repaired


def test_continuation_byte_eaten_as_a_no_break_space_is_restored():
    data = "La Catalogne et l’Espagne ".encode() + b"Catal\xc3\n     * suite\n"
    assert decode_bytes(data).text == "La Catalogne et l’Espagne Català\n     * suite\n"


def test_binary_is_refused():
    with pytest.raises(DecodeError) as info:
        decode_bytes(bytes(range(256)) * 4)
    assert info.value.reason == "binary_file"
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert not looks_binary("texte français".encode())


def test_bytes_no_encoding_fits_are_undecodable():
    data = bytes(range(128, 256)) * 10
    with pytest.raises(DecodeError) as info:
        decode_bytes(data, max_replacement_ratio=0.01)
    assert info.value.reason == "undecodable"


def test_cyrillic_is_not_mistaken_for_western():
    data = "Привет мир, как дела? Это тест кодировки для новостей.".encode("cp1251")
    assert decode_bytes(data).text.startswith("Привет мир")


def test_sniff_encoding_handles_a_cut_multibyte_character():
    assert sniff_encoding("déjà".encode()[:-1]) == "utf-8"


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("l’Ã©tÃ© de l’Ã©conomie", "l’été de l’économie"),
        ("Tunisie&#8217;s &amp; Maroc", "Tunisie’s & Maroc"),
        ("Cafe\u0301", "Café"),  # NFC
        ("sans\x03 contrôle", "sans contrôle"),
        ("« guillemets » et l’apostrophe", "« guillemets » et l’apostrophe"),  # kept as written
    ],
)
def test_fix_text(raw, fixed):
    assert fix_text(raw) == fixed


def test_script_title_is_not_unescaped_or_stripped():
    title = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    assert fix_text(title) == title


def test_html_to_text_keeps_paragraphs_and_drops_scripts():
    html = "<p>Premier paragraphe.</p><script>evil()</script><p>Second <b>paragraphe</b>.</p>"
    assert html_to_text(html) == "Premier paragraphe.\n\nSecond paragraphe."


@pytest.mark.parametrize(
    ("word", "joined", "rest"),
    [
        ("المغرب", ("ال",), "مغرب"),
        ("وبالمغرب", ("و", "ب", "ال"), "مغرب"),
        ("للمملكة", ("ل", "ال"), "مملكة"),  # ل + ال is written لل
        ("فالحكومة", ("ف", "ال"), "حكومة"),
        ("وزير", (), "وزير"),  # a word that opens with و, without the article
        ("والي", (), "والي"),  # a governor: one letter after وال is no noun
    ],
)
def test_arabic_article_and_the_words_joined_before_it(word, joined, rest):
    assert arabic_article(word) == (joined, rest)


def test_normalise_drops_direction_marks_and_a_words_tatweel():
    """RLM, LRM, ALM, embeddings and isolates go; the tatweel between a word's letters goes, the one
    marking a prefix written apart stays (`بـ 6`, `لـ«الشرق»`)."""
    assert normalise("\u200fعـاجـل:\u202b بـ 6\u202c و\u2067لـ«الشرق»\u2069\u061c") == "عاجل: بـ 6 ولـ«الشرق»"


def test_fold_takes_vietnamese_letters_accents_out():
    """Latin Extended Additional's letters (Vietnamese `ổ`, `ẻ`, `ậ`, `ư`'s tones) were left as
    they are by fold, so `Tuổi Trẻ` was no `tuoitre` (its site's host); `đ` is a letter of its own."""
    from analysis.text import fold

    assert fold("Tuổi Trẻ Việt Nam Đức Mỹ") == "tuoi tre viet nam đuc my"
