"""Text decoding and the Unicode normalisation every stage shares.

Bytes become text here, once: encoding detection (BOM, declared charset, strict UTF-8, then
charset-normalizer), mojibake repair (ftfy) and NFC. Curly quotes are kept as written: unifying
apostrophes for matching is the cleaning stage's job, and the table keeps text as published.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import ftfy
import ftfy.badness
import ftfy.chardata
from charset_normalizer import from_bytes

_FTFY = ftfy.TextFixerConfig(
    unescape_html="auto",
    uncurl_quotes=False,
    fix_character_width=False,
    normalization="NFC",
    explain=False,
)
_DECLARED_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.-]+)["']""", re.IGNORECASE)
# A lead byte left alone at the end of a line, its continuation byte on the next line: what a
# hard-wrapping tool does when it splits a two-byte UTF-8 character (lynx does this with "à").
_SPLIT_UTF8 = re.compile(rb"([\xc2-\xdf])(\r?\n[ \t]*)([\x80-\xbf])")
# The same tool may take the 0xA0 continuation byte of "à" (c3 a0) for a no-break space and
# break the line there, dropping it: a lone c3 (or c2, a no-break space) before the line end.
_LOST_A0 = re.compile(rb"([\xc2\xc3])(?=\r?\n)")
_TAG = re.compile(
    r"</?(?:p|br|div|span|a|em|strong|b|i|u|li|ul|ol|h[1-6]|blockquote|img|figure|figcaption|table|tr|td)\b[^>]*>",
    re.IGNORECASE,
)
_WS_LINE = re.compile(r"[ \t\f\v]+\n")
_BLANKS = re.compile(r"\n{3,}")


class DecodeError(ValueError):
    """Bytes that cannot be read as text; ``reason`` is the rejects-file reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    repaired: bool  # bytes were repaired or replaced to decode


def looks_binary(head: bytes) -> bool:
    """True when a file's first bytes are not text (NUL bytes or many control bytes)."""
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.05


def declared_encoding(head: bytes) -> str | None:
    """The charset a document declares (XML prolog, HTML meta, ``charset=``), if Python knows it."""
    for pattern in (_XML_ENCODING, _DECLARED_CHARSET):
        match = pattern.search(head[:4096])
        if match:
            name = match.group(1).decode("ascii", "ignore")
            try:
                return codecs.lookup(name).name
            except LookupError:
                continue
    return None


def _codec(name: str | None) -> str | None:
    """Python's name of an encoding (``ISO-8859-1``: ``latin-1``); ``None`` when it knows none."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def sniff_encoding(sample: bytes, *, declared: str | None = None) -> str | None:
    """Pick the encoding of a file from a sample of its first bytes; ``None`` when unknown.

    Order: BOM, strict UTF-8 (allowing a few broken sequences), the declared charset,
    Windows-1252 when the text reads as a Western European language, then charset-normalizer.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A sample cut inside a multi-byte character is still UTF-8.
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
        if _mostly_utf8(sample):
            return "utf-8"
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            sample.decode(declared)
            return declared
        except (UnicodeDecodeError, LookupError):
            pass
    if _reads_as_western(sample):
        return "cp1252"
    best = from_bytes(sample).best()
    return best.encoding if best is not None else None


_WESTERN_PUNCT = set("’‘“”–—…€«»°·©®™•")


def _reads_as_western(sample: bytes) -> bool:
    """True when Windows-1252 gives plausible Western European text (few accented letters).

    charset-normalizer guesses poorly on short French or Spanish samples (it may say Mac
    Central European); Cyrillic or Greek read as 1252 fail the accented-letter share test.
    """
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError:
        return False
    letters = accented = 0
    for ch in text:
        if ch.isascii():
            letters += ch.isalpha()
            continue
        if (ch.isalpha() and "\u00c0" <= ch <= "\u00ff") or ch in "œŒšŠžŽŸ":
            letters += 1
            accented += 1
        elif ch not in _WESTERN_PUNCT and ch != "\u00a0":
            return False
    return letters > 0 and accented / letters < 0.25


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 with a few broken sequences (not another encoding)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127) - bad
    return bad <= max(2, multibyte // 4) and multibyte > 0


def decode_bytes(data: bytes, *, max_replacement_ratio: float = 0.01, declared: str | None = None) -> Decoded:
    """Decode a whole document, repairing what can be repaired.

    ``declared`` is the encoding its transport names (an HTTP ``Content-Type`` charset): it goes
    before the one the document declares (as browsers read it).

    Raises:
        DecodeError: the bytes are not text in any encoding we can tell.
    """
    if looks_binary(data[:8192]):
        raise DecodeError("binary_file", "binary content (NUL or control bytes), not text")
    repaired = False
    encoding = sniff_encoding(data[:65536], declared=_codec(declared) or declared_encoding(data))
    if encoding is None:
        raise DecodeError("undecodable", "no text encoding fits these bytes")
    if encoding == "utf-8":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            joined = _SPLIT_UTF8.sub(rb"\1\3\2", data)
            joined = _LOST_A0.sub(lambda m: b"\xc3\xa0" if m.group(1) == b"\xc3" else b"", joined)
            text = joined.decode("utf-8", errors="replace")
            repaired = True
    else:
        text = data.decode(encoding, errors="replace")
        repaired = "\ufffd" in text
    if repaired and text:
        ratio = text.count("\ufffd") / len(text)
        if ratio > max_replacement_ratio:
            raise DecodeError(
                "undecodable",
                f"{ratio:.1%} of the characters could not be decoded as {encoding}",
            )
    return Decoded(text=text, encoding=encoding, repaired=repaired)


def _char_class(codes: Iterable[int]) -> str:
    """A regex character class matching exactly the given code points (ranges merged)."""
    ordered = sorted(set(codes))
    parts = []
    start = previous = ordered[0]
    for code in [*ordered[1:], -1]:
        if code == previous + 1:
            previous = code
            continue
        parts.append(f"\\U{start:08x}" if start == previous else f"\\U{start:08x}-\\U{previous:08x}")
        start = previous = code
    return "[" + "".join(parts) + "]"


def _ftfy_triggers(config: ftfy.TextFixerConfig) -> re.Pattern[str]:
    """Characters without which none of ftfy's per-character fixers (as configured) changes a text.

    Read from ftfy 6.3.1's ``fix_and_explain``: each fixer below only acts on these characters;
    HTML entities and ``fix_encoding`` are looked for separately (:func:`_ftfy_may_change`).
    """
    codes: set[int] = set()
    if config.fix_c1_controls or config.fix_encoding:
        codes.update(range(0x80, 0xA0))  # C1 controls (and each is mojibake to ftfy's ``is_bad``)
    if config.fix_latin_ligatures:
        codes.update(ftfy.chardata.LIGATURES)
    if config.fix_character_width:
        codes.update(ftfy.chardata.WIDTH_MAP)
    if config.uncurl_quotes:
        codes.update([0x02BC, *range(0x2018, 0x2020)])  # SINGLE_QUOTE_RE, DOUBLE_QUOTE_RE
    if config.fix_line_breaks:
        codes.update([0x0D, 0x85, 0x2028, 0x2029])
    if config.fix_surrogates:
        codes.update(range(0xD800, 0xE000))
    if config.remove_terminal_escapes:
        codes.add(0x1B)  # ANSI_RE starts with ESC
    if config.remove_control_chars:
        codes.update(ftfy.chardata.CONTROL_CHARS)
    return re.compile(_char_class(codes))


_FTFY_TRIGGERS = _ftfy_triggers(_FTFY)
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _mojibake_hint() -> re.Pattern[str] | None:
    """A fast regex matching every text that ftfy's mojibake detector (``is_bad``) finds bad on some line.

    ``ftfy.badness.BADNESS_RE`` tries its 37 alternatives at every character, which costs more than
    the rest of ftfy. This is the same alternation with each alternative's leading ASCII context
    (``[a-z]``, ``\\s``, ``^``...) dropped, so it matches wherever the original does (and a little
    more: a false alarm only costs a run of ftfy), rearranged so that the regex engine skips to the
    characters that can start one, and tries most alternatives only when the next character is one
    that can follow (all but four need two non-ASCII characters in a row). The alternatives are
    ftfy 6.3.1's; for another version, ``None`` (the caller then uses ftfy's own regex).
    """
    if ftfy.__version__ != "6.3.1":
        return None
    c = ftfy.badness.MOJIBAKE_CATEGORIES
    accented = "{lower_accented}{upper_accented}"
    punctuation = "{start_punctuation}{end_punctuation}"
    arabic = "{common}{currency}{bad}{numeric}{start_punctuation}ŸŠ®°µ»"  # after Ø or Ù
    # (first character, second character, the rest), in BADNESS_RE's order; the classes' brackets
    # are added below, and every second class here has no ASCII character
    paired = [
        ("{bad}" + accented + "{box}" + punctuation + "{currency}{numeric}{law}", "{bad}", ""),
        ("{lower_common}{upper_common}", "{bad}", ""),  # after [a-zA-Z]
        ("{bad}", accented + "{box}" + punctuation + "{currency}{numeric}{law}", ""),
        ("{lower_accented}{lower_common}{box}{end_punctuation}{currency}{numeric}", "{upper_accented}", ""),
        ("{box}{end_punctuation}{currency}{numeric}", "{lower_accented}", ""),
        ("{lower_accented}{box}{end_punctuation}", "{currency}", ""),
        ("{upper_accented}", "{currency}", ""),  # after \\s
        ("{upper_accented}{box}", "{numeric}{law}", ""),
        (accented + "{box}{currency}{end_punctuation}", "{start_punctuation}", "[{numeric}]"),
        (accented + "{currency}{numeric}{box}{law}", "{end_punctuation}", "[{start_punctuation}]"),
        ("{currency}{numeric}{box}", "{start_punctuation}", ""),
        ("{upper_accented}", "{start_punctuation}{currency}", ""),  # after [a-z]
        ("{box}", "{kaomoji}", ""),
        (accented + "{currency}{numeric}" + punctuation + "{law}", "{box}", ""),
        ("{box}", "{end_punctuation}", ""),
        (accented, punctuation, "\\w"),
        ("{upper_accented}", "°", ""),
        ("ÂÃÎÐ", "€œŠš¢£Ÿž\\xa0\\xad®©°·»" + punctuation + "–—´", ""),
        ("×", "²³", ""),
        ("ØÙ", arabic, f"[ØÙ][{arabic}]"),
        ("à", "²µ¹¼½¾", ""),
        ("√", "±∂†≠®™´≤≥¥µø", ""),
        ("≈", "°¢", ""),
        ("‚", "Ä", "[ìîïòôúùû†°¢π]"),
        ("‚", "âó", "[àä°ê]"),
        ("в", "Ђ", ""),
        ("ВГРС", "{c1}{bad}" + punctuation + "{currency}°µ", "[ВГРС]"),
        ("Г", "ў", "ВЂВ.[A-Za-z ]"),
        ("Ã", "\\xa0¡", ""),
        ("β", "€", "[™\\xa0Ά\\xad®°]"),
        ("ΒΓΞΟ", "{c1}{bad}" + punctuation + "{currency}°", "[ΒΓΞΟ]"),
        ("ā", "€", ""),
    ]
    single = [  # (first character, what follows it)
        ("{c1}", ""),
        ("Œœ", "[^A-Za-z]"),
        ("ÃÂ", "[ ]"),  # after [a-z]\\s? and after ^ (each line's start, to ftfy)
        ("Â", "[ " + punctuation + "]"),  # after [a-z.,?!{end_punctuation}]
    ]
    firsts = "".join(first for first, _, _ in paired) + "".join(first for first, _ in single)
    seconds = "".join(second for _, second, _ in paired)
    inner = "|".join(f"(?<=[{first}][{second}]){rest}" for first, second, rest in paired)
    outer = [f"[{seconds}](?:{inner})"] + [f"(?<=[{first}]){rest}" for first, rest in single]
    return re.compile(f"[{firsts}](?:{'|'.join(outer)})".format(**c))


_MOJIBAKE_HINT = _mojibake_hint()
# ftfy fixes a text line by line, and its detector has one ``^`` (no MULTILINE) that matches at the
# start of each of those lines: in the whole text, it is looked for at every line start.
_BAD_AT_LINE_START = re.compile(r"^[ÃÂ][ ]", re.MULTILINE)


def _may_be_mojibake(text: str) -> bool:
    """True when ftfy's ``is_bad`` is true on some line of ``text`` (and, rarely, when it is not)."""
    if _MOJIBAKE_HINT is not None:
        return _MOJIBAKE_HINT.search(text) is not None
    return bool(ftfy.badness.BADNESS_RE.search(text) or _BAD_AT_LINE_START.search(text))


def _ftfy_may_change(text: str) -> bool:
    """False only when ``ftfy.fix_text(text, config=_FTFY)`` is certain to return ``text`` unchanged.

    ftfy repeats its steps until nothing changes, so a text that no step changes is returned as is.
    The steps are: HTML unescaping, ``fix_encoding`` (a no-op on text its ``is_bad`` heuristic finds
    clean), the per-character fixers (:func:`_ftfy_triggers`) and Unicode normalisation.
    """
    config = _FTFY
    if len(text) > config.max_decode_length:
        return True  # ftfy would cut a line into segments: not worth reasoning about
    if _FTFY_TRIGGERS.search(text):
        return True
    if config.unescape_html and "&" in text and ftfy.chardata.HTML_ENTITY_RE.search(text):
        return True
    if config.fix_encoding and not text.isascii() and _may_be_mojibake(text):
        return True
    return config.normalization is not None and not unicodedata.is_normalized(config.normalization, text)


def fix_text(text: str) -> str:
    """Repair mojibake and HTML entities, drop control characters, NFC-normalise.

    ftfy is skipped when it could not change the text (most texts): see :func:`_ftfy_may_change`.
    """
    if text.isascii() and "&" not in text and not _ASCII_CONTROLS.search(text):
        # Kept as it always was, though ftfy would turn a CR into a line feed and drop DEL (0x7f).
        return text
    if not _ftfy_may_change(text):
        return text
    return ftfy.fix_text(text, config=_FTFY)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def looks_like_html(text: str) -> bool:
    """True when a text field holds HTML markup (some exports keep the page's paragraphs)."""
    return _TAG.search(text) is not None


def html_to_text(fragment: str) -> str:
    """Turn an HTML fragment into plain text, one paragraph per block element.

    Scripts, styles and a figure's caption (`<figcaption>`: a photo's, with its credit) are left
    out, as trafilatura leaves them out of a page's text: a feed's full text (`content:encoded`)
    holds its article's photos with their captions."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on broken markup; fall back to stripping tags
        return _TAG.sub(" ", fragment)
    for bad in root.xpath(".//script|.//style|.//noscript|.//figcaption"):
        bad.drop_tree()
    blocks = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in blocks:
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    text = _WS_LINE.sub("\n", text)
    return _BLANKS.sub("\n\n", text).strip()


def clean_field(value: str) -> str:
    """The normalisation applied to every text field at load time."""
    return fix_text(value).strip()


# --- the normalisation every analysis stage shares ----------------------------------------------

_APOSTROPHES = "’‘ʼʻ`´′"  # each becomes "'"
# (also the marks of writing direction, LRM, RLM, ALM and the embeddings and isolates, which Arabic
# and Hebrew pages put around dates and names)
_INVISIBLE_CHARS = "\u00ad\u200b\u2060\ufeff\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
# the Arabic tatweel that stretches a word between two of its letters (`عـاجـل` is `عاجل`); after a
# word's last letter it marks a prefix written apart (`بـ 6 مليارات`, `لـ«الشرق الأوسط»`) and stays
_TATWEEL = re.compile("(?<=[\u0620-\u064a\u064b-\u0652])\u0640+(?=[\u0620-\u064a])")
_OTHER_SPACE_CHARS = "\t\u00a0\u202f\u2007\u2009\u200a\u3000"  # each becomes " "
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_INVISIBLE_OR_SPACE = re.compile(f"[{_INVISIBLE_CHARS}{_OTHER_SPACE_CHARS}]")
# Every run of spaces becomes one plain space; only the runs that are not one already (longer,
# or with another kind of space) are matched, which gives the same text as replacing every run.
_SPACES = re.compile(f"[{_OTHER_SPACE_CHARS}][ {_OTHER_SPACE_CHARS}]*| [ {_OTHER_SPACE_CHARS}]+")
# Spaces around a line break go (a bare line break is not matched: replacing it changes nothing).
_TRAILING = re.compile(r" +\n *|\n +")


def normalise(text: str) -> str:
    """Clean-text normalisation: ftfy, NFC, one apostrophe, plain spaces, no soft hyphens.

    Curly and straight apostrophes become ``'``; no-break and narrow no-break spaces (French
    puts them before ``; : ! ?`` and inside « ») become plain spaces; soft hyphens and zero-width
    characters, marks of writing direction and the Arabic tatweel inside a word go; runs of spaces
    collapse; at most one blank line separates paragraphs.
    """
    text = fix_text(text)
    # Each step below runs only when it has something to change (a substring test is much
    # cheaper than a regex scan that finds nothing; a replace, than a regex's sub).
    for char in _APOSTROPHES:
        if char in text:
            text = text.replace(char, "'")
    if _INVISIBLE_OR_SPACE.search(text):
        text = _SPACES.sub(" ", _INVISIBLE.sub("", text))
    elif "  " in text:
        text = _SPACES.sub(" ", text)
    if "\u0640" in text:
        text = _TATWEEL.sub("", text)
    if " \n" in text or "\n " in text:
        text = _TRAILING.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANKS.sub("\n\n", text)
    return text.strip()


def _fold_table() -> dict[int, str]:
    table = {}
    # Latin-1, Latin Extended-A and -B, and Latin Extended Additional (Vietnamese `ổ`, `ẻ`, `ậ`)
    for code in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        decomposed = unicodedata.normalize("NFKD", chr(code))
        base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if base and base != chr(code):
            table[code] = base
    return table


_FOLD = _fold_table()
_FOLD_CHARS = re.compile("[" + "".join(chr(c) for c in sorted(_FOLD)) + "]")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case and strip accents (for matching keys, never for display).

    Latin letters lose their diacritics by table lookup (fast); text in NFD form (combining marks)
    has them removed too. Other scripts are only case-folded.
    """
    folded = text.casefold()
    if not folded.isascii():
        # each accented letter found is replaced everywhere at once (what replaces it, a base
        # letter that NFKD leaves whole, is never replaced in turn)
        for char in set(_FOLD_CHARS.findall(folded)):
            folded = folded.replace(char, _FOLD[ord(char)])
    if not folded.isascii() and _COMBINING.search(folded):
        folded = "".join(ch for ch in unicodedata.normalize("NFD", folded) if not unicodedata.combining(ch))
    return folded


#: Arabic's article ال with the conjunction (و and, ف so) and the preposition (ب in, by; ك as; ل
#: for, to) written joined before it; ل and ال are written لل. Two letters at least must follow:
#: `والي` (a governor) and `والد` (a father) are words of their own.
_ARABIC_ARTICLE = re.compile(r"([وف]?)(?:([بك]?)ال|(ل)ل)(?=\w\w)")


def arabic_article(word: str) -> tuple[tuple[str, ...], str]:
    """The function words an Arabic word writes joined before its noun, and the noun.

    Only a word holding the article is cut (``وبالمغرب`` -> ``("و", "ب", "ال"), "مغرب"``;
    ``للمملكة`` -> ``("ل", "ال"), "مملكة"``): a و or ب alone also opens ordinary words (``وزير``,
    ``بيان``). A word without the article comes back whole, with no function words.
    """
    match = _ARABIC_ARTICLE.match(word)
    if match is None:
        return (), word
    return (*(part for part in match.groups() if part), "ال"), word[match.end() :]


_BMP = 0x10000


def _mark_ranges(stop: int = _BMP) -> str:
    """The combining marks (Unicode's categories Mn, Mc and Me) of the Basic Multilingual Plane, as the
    body of a regular expression's character class (``\\u0300-\\u036f...``)."""
    parts: list[str] = []
    start = None
    for code in range(stop + 1):
        mark = code < stop and unicodedata.category(chr(code))[0] == "M"
        if mark and start is None:
            start = code
        elif not mark and start is not None:
            last = code - 1
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(last)) if last > start else ""))
            start = None
    return "".join(parts)


#: Combining marks as a character class's body: what Python's ``\\w`` leaves out of words written
#: with them (Devanagari's vowel signs, `भारत`; Thai's; Arabic's shadda, `محمّد`): ``[\\w{MARKS}]``.
MARKS = _mark_ranges()
#: Scripts written without spaces between words, as a character class's body: Thai, Lao, Myanmar,
#: Khmer, Japanese's kana and Chinese characters (Korean writes spaces).
UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3005\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
)
#: Marks a script writes or leaves out as it likes, the same word either way (Arabic's short
#: vowels, tanwin and shadda, Hebrew's points): removed from a token.
OPTIONAL_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"  # Arabic
    "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]"  # Hebrew
)


@lru_cache(maxsize=1)
def _point_folds() -> tuple[Any, Any]:
    """Per code point of the Basic Multilingual Plane: its :func:`fold` as one code point, and
    whether that holds inside any text.

    It holds when the character folds to one character and its case folding brings no combining
    mark (which would make :func:`fold` decompose the whole text and strip the marks of its other
    characters too); combining marks themselves and surrogates are left out as well.
    """
    import numpy as np

    folds = np.arange(_BMP, dtype=np.uint32)
    plain = np.zeros(_BMP, dtype=bool)
    for code in range(_BMP):
        char = chr(code)
        if 0xD800 <= code < 0xE000 or _COMBINING.search(char.casefold()):
            continue
        folded = fold(char)
        if len(folded) == 1:
            folds[code], plain[code] = ord(folded), True
    return folds, plain


def fold_points(text: str) -> Any:
    """``fold(text)`` as its code points (a ``uint32`` numpy array), as fast as a table lookup.

    Texts whose every character is in :func:`_point_folds`'s table (nearly all Latin-script
    text) are folded code point by code point; the others through :func:`fold` itself.
    """
    import numpy as np

    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folds, plain = _point_folds()
    if len(points) and int(points.max()) < _BMP and plain[points].all():
        return folds[points]
    return np.frombuffer(fold(text).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@cache
def bmp_table(test: str) -> Any:
    """``getattr(char, test)()`` of every character of the Basic Multilingual Plane (``bool``
    numpy array indexed by code point; once per process): e.g. ``"isupper"``, ``"isspace"``."""
    import numpy as np

    return np.array([getattr(chr(code), test)() for code in range(_BMP)], dtype=bool)


@cache
def bmp_class_table(char_class: str) -> Any:
    """Whether the one-character regular expression ``char_class`` (e.g. ``r"\\w"``) matches each
    character of the Basic Multilingual Plane (``bool`` numpy array indexed by code point)."""
    import numpy as np

    table = np.zeros(_BMP, dtype=bool)
    for match in re.finditer(f"(?:{char_class})+", "".join(map(chr, range(_BMP)))):
        table[match.start() : match.end()] = True
    return table


def runs(mask: Any) -> tuple[Any, Any]:
    """Where each run of ``True`` in a boolean array starts and ends (two index arrays)."""
    import numpy as np

    padded = np.zeros(len(mask) + 2, dtype=bool)  # a False before and after
    padded[1:-1] = mask
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return edges[0::2], edges[1::2]


@cache
def chinese_segmenter() -> Any:
    """jieba's Chinese word segmenter, loaded once per process (its dictionary: about a second).

    Used without its hidden Markov model (``HMM=False``): a word of several characters is then
    always one of its dictionary's, and a cut the same whatever else the process has cut.
    """
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    return segmenter
