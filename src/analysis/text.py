"""Text decoding and the Unicode normalisation every stage shares.

Bytes become text here, once: encoding detection (BOM, declared charset, strict UTF-8, then
charset-normalizer), mojibake repair (ftfy) and NFC. Curly quotes are kept as written: unifying
apostrophes for matching is the cleaning stage's job, and the table keeps text as published.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import ftfy
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


def decode_bytes(data: bytes, *, max_replacement_ratio: float = 0.01) -> Decoded:
    """Decode a whole document, repairing what can be repaired.

    Raises:
        DecodeError: the bytes are not text in any encoding we can tell.
    """
    if looks_binary(data[:8192]):
        raise DecodeError("binary_file", "binary content (NUL or control bytes), not text")
    repaired = False
    encoding = sniff_encoding(data[:65536], declared=declared_encoding(data))
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


def fix_text(text: str) -> str:
    """Repair mojibake and HTML entities, drop control characters, NFC-normalise."""
    if text.isascii() and "&" not in text and not any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        return text
    return ftfy.fix_text(text, config=_FTFY)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def looks_like_html(text: str) -> bool:
    """True when a text field holds HTML markup (some exports keep the page's paragraphs)."""
    return _TAG.search(text) is not None


def html_to_text(fragment: str) -> str:
    """Turn an HTML fragment into plain text, one paragraph per block element."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on broken markup; fall back to stripping tags
        return _TAG.sub(" ", fragment)
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    blocks = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "figcaption"}
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

_APOSTROPHES = re.compile("[’‘ʼʻ`´′]")
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u2009\u200a\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff]")
_TRAILING = re.compile(r" *\n *")


def normalise(text: str) -> str:
    """Clean-text normalisation: ftfy, NFC, one apostrophe, plain spaces, no soft hyphens.

    Curly and straight apostrophes become ``'``; no-break and narrow no-break spaces (French
    puts them before ``; : ! ?`` and inside « ») become plain spaces; soft hyphens and zero-width
    characters go; runs of spaces collapse; at most one blank line separates paragraphs.
    """
    text = _APOSTROPHES.sub("'", fix_text(text))
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _TRAILING.sub("\n", text)
    return _BLANKS.sub("\n\n", text).strip()


def _fold_table() -> dict[int, str]:
    table = {}
    for code in range(0x00C0, 0x0250):
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
        folded = _FOLD_CHARS.sub(lambda m: _FOLD[ord(m.group())], folded)
    if not folded.isascii() and _COMBINING.search(folded):
        folded = "".join(ch for ch in unicodedata.normalize("NFD", folded) if not unicodedata.combining(ch))
    return folded
