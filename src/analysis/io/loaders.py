"""The built-in loaders, one per raw format. Each streams where its format allows."""

from __future__ import annotations

import codecs
import csv
import html
import io
import itertools
import json
import re
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import IO, Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import ijson
from lxml import etree
from striprtf.striprtf import rtf_to_text

from analysis.config import IngestOptions
from analysis.dates import date_from_text, parse_datetime
from analysis.io.citations import load_ris, sniff_ris
from analysis.io.html_exports import export_articles
from analysis.io.mail import load_eml, load_mbox, sniff_mail
from analysis.io.markdown import load_markdown
from analysis.io.press_exports import marked_page, split_export
from analysis.io.registry import FileReject, RawFile, Record, Reject, norm_key, register_loader
from analysis.text import (
    MARKS,
    UNSPACED,
    DecodeError,
    decode_bytes,
    fold,
    html_to_text,
    looks_like_html,
    sniff_encoding,
)

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

# (a key of up to four words: `Date de publication`, `Mots clés`)
_HEADER_LINE = re.compile(r"^\s*([^\W\d_][\w'’-]*(?: [\w'’-]+){0,3})\s*:\s*(\S.*?)\s*$")
_EMPTY_HEADER_LINE = re.compile(r"^\s*([^\W\d_][\w'’-]*(?: [\w'’-]+){0,3})\s*:\s*$")
#: the article fields a `key: value` line over a scraped page's headline may give, and the name
#: parse_scraped_text keeps each under
_HEADER_FIELDS = {
    "title": "title",
    "published": "date",
    "url": "url",
    "source": "source",
    "author": "author",
    "language": "language",
    "tags": "tags",
    "fetched": "fetched",
}
_HEADER_NAMES: dict[int, tuple[Any, dict[str, str]]] = {}


def _header_field(key: str, options: IngestOptions, value: str | None = None) -> str | None:
    """The field a header line's key names: one of ``scraped_text.header_keys`` as written, else
    a name of the field in ``[ingest.fields]`` (`Titre`, `Lien`, `Auteur`, `Date de publication`)
    whose ``value`` looks like one (a date that reads, a link, a name of a few words: a headline
    such as `Time: the clock runs out` or `Média : Le Monde change de directeur` is none)."""
    if key.lower() in options.scraped_text.header_keys:
        return key.lower()
    named = _header_alias(key, options)
    if named is None or value is None:
        return named
    words = len(value.split())
    looks = {
        "date": lambda: parse_datetime(value) is not None or date_from_text(value) is not None,
        "fetched": lambda: parse_datetime(value) is not None,
        "url": lambda: bool(re.match(r"(?:https?://|www\.)\S+$", value)),
        "source": lambda: words <= 6,
        "author": lambda: words <= 10,
        "language": lambda: words <= 2,
    }.get(named)
    return named if looks is None or looks() else None


def _header_alias(key: str, options: IngestOptions) -> str | None:
    """The field of :data:`_HEADER_FIELDS` one of whose ``[ingest.fields]`` names ``key`` is."""
    cached = _HEADER_NAMES.get(id(options.fields))
    if cached is None or cached[0] is not options.fields:
        names = {
            norm_key(alias): name
            for field, name in reversed(_HEADER_FIELDS.items())
            for alias in options.fields.get(field, ())
        }
        cached = _HEADER_NAMES[id(options.fields)] = (options.fields, names)
    return cached[1].get(norm_key(key))


_FILENAME_LINE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|svg|avif)$", re.IGNORECASE)
_LOWER_WORD = re.compile(r"^[a-z_-]{1,12}$")
#: a section's name over the headline: one capitalised word (`Schweiz`, `Wirtschaft`, `Monde`), an
#: elided article joined to it (Corriere's kicker `L'accordo`)
# (a `+` may end it: Xinhua's `新华全媒+`, `Canal+`)
# (a zero-width non-joiner between letters is inside the word: Persian `بین‌الملل`, international)
_RUBRIC = re.compile(rf"^[^\W\d_](?:[^\W\d_-]|[{MARKS}]|['’\u200c](?=[^\W\d_])){{1,24}}\+?$")
#: a breadcrumb: names of up to three words between `>`, `»` or `›`
_BREADCRUMB = re.compile(r"^\W*[^\W\d_][^>›»]{0,30}(?:\s[>›»]\s[^\W\d_][^>›»]{0,30}){1,4}$")
#: a letter of a script written without spaces (Chinese, Japanese...)
_UNSPACED_LETTER = re.compile(f"[{UNSPACED}]")
_MARK = re.compile(f"[{MARKS}]")
#: the letters (not the marks) of the scripts without spaces that are alphabets: Thai, Lao, Myanmar, Khmer
_ABUGIDA_LETTER = re.compile(rf"(?![{MARKS}])[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
_MENU_WORD = re.compile(rf"^(?:[^\W\d_](?:[^\W\d_-]|[{MARKS}]){{1,24}}|\d{{1,3}})$")
#: a menu's item written as initials (AP's `U.S.`, `U.K.`)
_INITIALS = re.compile(r"^(?:[A-Z]\.){2,3}$")
#: a section's name of two or three words, each capitalised (`India News`, `New Zealand`, `BUSINESS
#: MAVERICK`, `Global Nation`; `the`, `of`, `and` between them: `Israel & the Region`): one only
#: after other furniture over the headline (a site's name, a menu), since a short headline may look so
_SECTION = re.compile(
    r"^(?-i:[A-Z])[^\W\d_]{1,24}(?:\s+(?:&\s+)?(?:(?:the|of|and)\s+)?(?-i:[A-Z])[^\W\d_]{1,24}){1,2}$"
)
#: words a headline written in title case holds (`Talks On Trade Resume In Geneva`), which a menu's
#: names do not: a line of capitalised words with one of them is no menu flattened onto one line
_TITLE_CASE_WORDS = frozenset(
    "a an and as at by for from in into of on or the to with vs".split()
    + "de du des la le les et en au aux un une pour sur".split()
)


def _is_flat_menu(line: str) -> bool:
    """A site's menu flattened onto one line by the scraper: four to twelve capitalised words of
    letters (`Vijesti Sport Show Zdravlje Lifestyle`, `Новини Бизнес Свят Спорт Мнения`), none of
    them a word of a headline in title case."""
    words = line.split()
    return (
        4 <= len(words) <= 12
        and all(word[:1].isupper() and _RUBRIC.match(word) for word in words)
        and not any(word.lower() in _TITLE_CASE_WORDS for word in words)
    )


#: what a scraper writes between a flattened menu's items (`Accueil | Politique | Sport`)
_MENU_SEPARATOR = re.compile(r"\s+[|•·]\s+")


def _is_separated_menu(line: str) -> bool:
    """A site's menu flattened onto one line with a separator between its items (`Accueil |
    Actualités | Politique | Économie | Sport`): four to fifteen items, each a menu's item (one
    word or two, or a section's name of two or three capitalised words). A headline has at most
    one such separator (`Maroc | La croissance ralentit au troisième trimestre`)."""
    items = _MENU_SEPARATOR.split(line.strip())
    return 4 <= len(items) <= 15 and all(_is_menu_item(item) or _SECTION.match(item) for item in items)


#: `lynx -dump`'s list of the page's links at its end, and its `[12]` marks in the text
_LYNX_REFERENCES = re.compile(
    r"\n[ \t]*(?:References|Visible links:?)[ \t]*\n(?:[ \t]*\n)*(?:[ \t]*\d+\.[ \t]+\S+[ \t]*(?:\n|\Z))+"
    r"(?:\s*Hidden links:[ \t]*\n(?:[ \t]*\d+\.[ \t]+\S+[ \t]*(?:\n|\Z))*)?\s*\Z"
)
_LYNX_MARK = re.compile(r"\[\d+\]")


def _excerpt(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text[:limit]


# --- scraped text -----------------------------------------------------------------------------


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _is_placeholder(line: str, placeholders: frozenset[str]) -> bool:
    stripped = line.strip()
    low = stripped.lower()
    return low in placeholders or bool(_FILENAME_LINE.match(stripped)) or bool(_LOWER_WORD.match(stripped))


def _letters(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum())


#: Cyrillic letters as sites spell them in Latin ones (`ria.ru` for `РИА`, `interfax.ru` for
#: `Интерфакс`): a name in Cyrillic over the headline is compared with its site's host so
_CYRILLIC_LATIN = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэіґ", "abvgdeziyklmnoprstufyeig", strict=True)),
        **{"ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": ""},
        **{"ю": "yu", "я": "ya", "ї": "yi", "є": "ye", "'": "", "’": "", "ʼ": ""},
    }
)


#: Greek letters as sites spell them in Latin ones (`kathimerini.gr` for `ΚΑΘΗΜΕΡΙΝΗ`, `tovima.gr`
#: for `ΤΟ ΒΗΜΑ`): `ου` is `ou`, `αυ` and `ευ` `av` and `ev` (`avgi.gr` for `ΑΥΓΗ`), `μπ` `b`
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_GREEK_DIGRAPHS = (("ου", "ou"), ("ού", "ou"), ("αυ", "av"), ("αύ", "av"), ("ευ", "ev"), ("εύ", "ev"), ("μπ", "b"))
_GREEK_LATIN = str.maketrans(
    {
        **dict(zip("αβγδεζηικλμνξοπρστυφωάέήίόύώϊϋΐΰ", "avgdeziiklmnxoprstyfoaeiioyoiyiy", strict=True)),
        **{"θ": "th", "χ": "ch", "ψ": "ps", "ς": "s"},
    }
)


def _latin_words(line: str) -> list[str]:
    """The words of a line written in Cyrillic or Greek, in Latin letters (`кс` as `x`: `Интерфакс`)."""
    if _GREEK.search(line):
        words = []
        for word in line.lower().split():
            for greek, latin in _GREEK_DIGRAPHS:
                word = word.replace(greek, latin)
            words.append(_letters(word.translate(_GREEK_LATIN)))
        return words
    return [_letters(word.lower().translate(_CYRILLIC_LATIN).replace("ks", "x")) for word in line.split()]


_ARABIC = re.compile("[\u0600-\u06ff]")
#: Arabic letters as the consonants sites spell them with in Latin ones (`hespress.com` for
#: `هسبريس`, `elkhabar.com` for `الخبر`, `echoroukonline.com` for `الشروق أونلاين`); the emphatic
#: and the plain consonant are one, the long vowels and the ta marbuta none
_ARABIC_SKELETON = str.maketrans(
    {
        # (Persian's own letters too: ک, ژ, چ; its ی, as Arabic's ي, below)
        **dict(zip("بتثجحخدذرزسشصضطظغفقكلمنهپڤگکژچ", "bttjhkddrssssdtsgfkklmnhbfgkjs", strict=True)),
        **dict.fromkeys("اأإآءئؤةىـ\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652", ""),
    }
)
#: Latin spellings' letters as those consonants: digraphs first, then letters; the vowels none
_LATIN_DIGRAPHS = re.compile(r"kh|gh|sh|ch|th|dh|ph|ou")
_LATIN_SKELETON = str.maketrans(
    {"p": "b", "v": "f", "q": "k", "c": "k", "z": "s", "x": "ks", **dict.fromkeys("aeiou", "")}
)
_DIGRAPH_CONSONANTS = {"kh": "k", "gh": "g", "sh": "s", "ch": "s", "th": "t", "dh": "d", "ph": "f", "ou": ""}
_DOUBLED = re.compile(r"(.)\1+")


def _arabic_skeletons(word: str) -> set[str]:
    """A word in Arabic script as Latin consonants, each way of reading its و, ي (a consonant or a
    long vowel) and ع (written `3` or left out), with and without its article ال."""
    forms = {word, word[2:]} if word.startswith("ال") and len(word) > 3 else {word}
    out: set[str] = set()
    for form in forms:
        consonants = form.translate(_ARABIC_SKELETON)
        variants = [""]
        for ch in consonants:
            options = {"و": ("w", ""), "ي": ("y", ""), "ی": ("y", ""), "ع": ("3", "")}.get(ch, (ch,))
            variants = [v + o for v in variants for o in options][:64]
        out.update(variants)
    return out


def _latin_skeletons(name: str) -> set[str]:
    """A host's labels as Latin consonants (:func:`_arabic_skeletons`), with and without a leading
    article (`al`, `el`: the `l` left)."""
    out: set[str] = set()
    for label in name.lower().split("."):
        if len(label) < 4 or not label.isascii():
            continue
        key = _LATIN_DIGRAPHS.sub(lambda m: _DIGRAPH_CONSONANTS[m.group(0)], label)
        key = _MASTHEAD_OTHER.sub("", key.translate(_LATIN_SKELETON))
        out.update({key, key[1:] if key.startswith("l") else key})
    return {_DOUBLED.sub(r"\1", key) for key in out if len(key) >= 3}


#: Devanagari and Bengali letters as the consonants of :func:`_latin_skeletons` (the Latin
#: spellings' `kh`, `ph`, `th` are `k`, `f`, `t`; `p` is `b`, `v` is `f`; vowels none): `जागरण` on
#: jagran.com, `অমর উজালা`, `প্রথম আলো` on prothomalo.com; the anusvara is the `n` of `hindustan`,
#: Bengali's the `ng` of `bangla`
_INDIC_SKELETON = str.maketrans(
    {
        **dict(zip("कखगघङचछजझञटठडढणतथदधनपफबमयरलवशषसहळ", "kkggnssjjnttddnttddnbfbmyrlfsssh" + "l", strict=True)),
        **dict(zip("কখগঘঙচছজঝঞটঠডঢণতথদধনপফবমযরলশষসহৎ", "kkggnssjjnttddnttddnbfbmjrlsssht", strict=True)),
        "भ": "bh",
        "ভ": "bh",
        "झ": "jh",
        "ঝ": "jh",
        "ं": "n",
        "ँ": "n",
        "ং": "ng",
        "ঁ": "n",
        # the letters with a nukta that NFC writes as two (:func:`_indic_skeletons` joins them)
        "\u095c": "r",
        "\u095d": "r",
        "\u09dc": "r",
        "\u09dd": "r",
        "\u09df": "y",
    }
)
_INDIC = re.compile("[\u0900-\u09ff]")
_NUKTA_PAIRS = (
    ("\u0921\u093c", "\u095c"),
    ("\u0922\u093c", "\u095d"),
    ("\u09a1\u09bc", "\u09dc"),
    ("\u09a2\u09bc", "\u09dd"),
    ("\u09af\u09bc", "\u09df"),
)
_INDIC_LETTER = re.compile("[\u0915-\u0939\u0958-\u095f\u0995-\u09b9\u09ce\u09dc-\u09df\u0902\u0901\u0982\u0981]")


def _indic_skeletons(word: str) -> set[str]:
    """A word in Devanagari or Bengali script as Latin consonants (:func:`_arabic_skeletons`)."""
    for pair, letter in _NUKTA_PAIRS:
        word = word.replace(pair, letter)
    consonants = "".join(_INDIC_LETTER.findall(word))
    return {consonants.translate(_INDIC_SKELETON)}


def _names_outlet_in_arabic(
    line: str,
    names: list[str],
    skeletons_of: Callable[[str], set[str]] = _arabic_skeletons,
    other: re.Pattern[str] | None = None,
) -> bool:
    """A name of up to three words in Arabic script whose consonants are those of a site name's
    in Latin letters (`هبة بريس` on hibapress.com), or, in two words, begin or end with them
    (`الأحداث المغربية` on ahdath.info, `العمق المغربي` on al3omk.com); in another script with
    ``skeletons_of`` its words' consonants and ``other`` what is no part of a word."""
    other = other or _MASTHEAD_OTHER_ARABIC
    words = [other.sub("", word) for word in line.split()]
    if not 0 < len(words) <= 3:
        return False
    keys = set().union(*(_latin_skeletons(name) for name in names))
    if not keys:
        return False
    skeletons = [skeletons_of(word) for word in words]
    # a part of the line only in a line of two words (a site's name and a country's adjective,
    # `أخبارنا المغربية`): three words opening with `أخبار` on elkhabar.com are a headline
    spans = [(0, len(words))]
    if len(words) == 2:
        spans += [(0, 1), (1, 2)]
    for start, end in spans:
        joined = {""}
        for options in skeletons[start:end]:
            joined = {a + b for a in joined for b in options}
        if {_DOUBLED.sub(r"\1", key) for key in joined} & keys:
            return True
    return False


#: `Online` after a site's name, in English or in Thai letters
_ONLINE = re.compile(r"\s*(?:online|ออนไลน์)\s*$", re.IGNORECASE)
#: what is left out when a line is compared with the outlet's name: a leading article, a domain's
#: ending, anything but letters and digits
_MASTHEAD_ARTICLE = re.compile(r"^(?:the|de|het|le|la|les|el|il|lo|der|die|das|o|a)\s+")
_MASTHEAD_DOMAIN = re.compile(r"\.[a-z]{2,3}$")
_MASTHEAD_OTHER = re.compile(r"[^0-9a-z]")
_MASTHEAD_OTHER_ARABIC = re.compile(r"[^\w]|_")
_NOT_INDIC_WORD = re.compile(f"[^\\w{MARKS}]|_")
_WWW = re.compile(r"^www\d*\.")
#: a masthead's name and its tagline, parted by a dash or a bar between spaces
_MASTHEAD_FIELDS = re.compile(r"\s+[-–—|]\s+")


#: German letters as hosts spell them (`sueddeutsche.de` for `Süddeutsche Zeitung`)
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})

#: an elided article or preposition glued to a word (`l'Algérie`, `d'Ivoire`)
_ELIDED = re.compile(r"\b[ldjmnst]'|\bqu'")


def _masthead_keys(name: str) -> set[str]:
    folded = fold(name).lower().strip()
    return {
        _MASTHEAD_OTHER.sub("", _MASTHEAD_DOMAIN.sub("", key)) for key in (folded, _MASTHEAD_ARTICLE.sub("", folded))
    }


def names_outlet(line: str, names: Iterable[str]) -> bool:
    """Whether a line is the outlet's name rather than a headline: its letters are those of one of
    ``names`` (``derStandard.at`` of the host derstandard.at, ``NZZ`` of nzz.ch), or, in at most 3
    words, the same letters with or without an article or a domain ending, or one name starting the
    other and at most 4 letters longer (``de Volkskrant`` of ``volkskrant``, ``VRT NWS`` of ``vrt``).
    A name of up to three words in Cyrillic or Greek is a name's in Latin letters, or begins or ends
    with it (``РИА Новости`` on ria.ru, ``Новая газета Европа`` on novayagazeta.eu, ``Українська
    правда`` on pravda.com.ua, ``Η ΚΑΘΗΜΕΡΙΝΗ`` on kathimerini.gr). A German name's umlauts and ß
    may be spelled as its host spells them (``Süddeutsche Zeitung`` on sueddeutsche.de)."""
    spelled = line.translate(_UMLAUTS)
    if spelled != line and names_outlet(spelled, names):
        return True
    online = _ONLINE.search(line)
    if online and online.start() > 0:
        # the name and `Online` (`Tuổi Trẻ Online` on tuoitre.vn); a name of one word in a script
        # without spaces and `ออนไลน์` (`ไทยรัฐออนไลน์`, `มติชนออนไลน์`: Thai sites' mastheads)
        name = line[: online.start()].strip()
        if names_outlet(name, names) or (" " not in name and len(_UNSPACED_LETTER.findall(name)) == len(name)):
            return True
    letters = _letters(line)
    names = [name for name in names if name and name != "unknown"]
    if not letters or len(line) > 60 or not names:
        return False
    keys = {_letters(name) for name in names}
    # (its letters without their accents: `Thanh Niên` on thanhnien.vn)
    if letters in keys or _letters(fold(line)) in keys:
        return True
    if _ARABIC.search(line) and _names_outlet_in_arabic(line, names):
        return True
    # (Hindi and Bengali mastheads: `दैनिक जागरण` on jagran.com, `প্রথম আলো` on prothomalo.com)
    if _INDIC.search(line) and _names_outlet_in_arabic(line, names, _indic_skeletons, _NOT_INDIC_WORD):
        return True
    words = _latin_words(line) if _CYRILLIC.search(line) or _GREEK.search(line) else []
    if 0 < len(words) <= 3:
        ends = {"".join(words[:k]) for k in range(1, len(words) + 1)} | {"".join(words[k:]) for k in range(len(words))}
        if ends & {key for key in keys if len(key) >= 3}:
            return True
    # the words an acronym stands for, a masthead's tagline (`Tout sur l'Algérie` of TSA)
    initials = "".join(word[:1] for word in _ELIDED.sub("", fold(line).lower()).split())
    if len(initials) >= 3 and initials.isalpha() and any(initials in _masthead_keys(name) for name in names):
        return True
    # the name, then the site's tagline after a dash or a bar (`Lusa - Agência de Notícias de Portugal`)
    fields = _MASTHEAD_FIELDS.split(line, maxsplit=1)
    if len(fields) == 2 and names_outlet(fields[0], names):
        return True
    # the name with or without its article, in more words (`The Times of Israel` on timesofisrael.com)
    if any(len(key) >= 3 for name in names for key in _masthead_keys(line) & _masthead_keys(name)):
        return True
    if len(line.split()) > 3:
        return False
    # a name of two or three words opening with the host's name (`Folha de S.Paulo` on folha.uol.com.br)
    first = _letters(fold(line.split()[0]))
    if len(line.split()) > 1 and len(first) >= 4 and first in keys:
        return True
    # or ending with it (`THE EXPRESS TRIBUNE` on tribune.com.pk)
    last = _letters(fold(line.split()[-1]))
    if len(line.split()) > 1 and len(last) >= 4 and last in keys:
        return True
    return any(
        len(key) >= 2
        and len(other) >= 2
        and abs(len(key) - len(other)) <= 4
        and (key.startswith(other) or other.startswith(key))
        for key in _masthead_keys(line)
        for name in names
        for other in _masthead_keys(name)
    )


def _site_names(fields: dict[str, Any], outlet: str | None) -> list[str]:
    """The names a line before the headline may give the site by: the ``source:`` line, the ``url:``
    line's host and the host's name, and ``outlet`` (the source the article is filed under)."""
    names = [str(fields.get("source") or ""), outlet or ""]
    host = urlsplit(str(fields.get("url") or fields.get("link") or "")).hostname or ""
    host = _WWW.sub("", host)  # (`www1.folha.uol.com.br`: folha)
    if host:
        names += [host, host.split(".")[0]]
    return names


def _is_rubric_word(word: str, most: int = 6) -> bool:
    """A menu's word: letters, up to 25, or up to ``most`` in a script written without spaces
    (`国际`, `新华全媒+`: a Chinese headline is one such word too, mostly longer)."""
    if not _RUBRIC.match(word):
        return False
    # (Thai, Lao, Myanmar and Khmer letters without their marks, twice as many: an alphabet's
    # words are longer than Chinese characters' and kana's, `ต่างประเทศ`, abroad, has 9)
    abugida = len(_ABUGIDA_LETTER.findall(word))
    return len(_UNSPACED_LETTER.findall(word)) - abugida - len(_MARK.findall(word)) + (abugida + 1) // 2 <= most


#: the most letters of a script written without spaces in a site's or section's name over a menu
#: (`読売新聞オンライン`), where a menu's items have up to 6
_UNSPACED_MASTHEAD = 10


def _is_menu_item(line: str) -> bool:
    """A menu's item: one word, or two (`كتاب وآراء`, `أخبار عاجلة`, `اليوم 24`), the second
    perhaps a number; initials (`U.S.`); or a breadcrumb (`الصباح > اقتصاد`)."""
    words = line.split()
    if _BREADCRUMB.match(line) or _INITIALS.match(line.strip()):
        return True
    return (len(words) == 1 and _is_rubric_word(line)) or (
        len(words) == 2 and _is_rubric_word(words[0]) and bool(_MENU_WORD.match(words[1]))
    )


def _is_rubric(
    line: str,
    after: list[str],
    max_title_chars: int,
    *,
    in_menu: bool = False,
    furniture: bool = False,
    first: bool = False,
    skip: Callable[[str], bool] | None = None,
) -> bool:
    """Whether a line of one word is the section's name over the headline (`Schweiz`, `Politik`,
    `International`): the next line is a headline of four words or more (not a sentence: under
    `Forbidden`, `You don't have permission to access this resource.` is no headline). A line of
    two words is one in a menu: after a section's name (``in_menu``) or before one. With
    ``furniture`` (page furniture came before it), a name of two or three capitalised words too
    (`India News` under `TOI`, `New Zealand` under `NZ Herald`). A menu flattened onto one line is
    one after furniture or over a menu's item or furniture (not otherwise: a headline in title case,
    `Senate Passes Defense Bill`, would be one); with a separator between its items (`Accueil |
    Politique | Économie | Sport`), wherever it is. The page's ``first`` line, of up to three words,
    over a menu of two items or more, is the site's name (IRNA's `خبرگزاری جمهوری
    اسلامی`, the Islamic Republic News Agency, over `صفحه اصلی`, `سیاست`). Lines that ``skip`` says are page
    furniture (a subscription prompt, a cookie banner between the menu and the headline) are passed
    over."""
    word = line.strip()
    rest = [other.strip() for other in after if other.strip()]
    if (
        not _is_rubric_word(word, _UNSPACED_MASTHEAD)
        and not (
            _is_flat_menu(word)
            and (furniture or (bool(rest) and (_is_menu_item(rest[0]) or (skip is not None and skip(rest[0])))))
        )
        and not _is_separated_menu(word)
        and not (furniture and _SECTION.match(word))
        and not (_is_menu_item(word) and (in_menu or (bool(rest) and _is_menu_item(rest[0]))))
        and not (
            first
            and len(word.split()) <= 3
            and len(word) <= 40
            and len(rest) >= 2
            and all(map(_is_menu_item, rest[:2]))
        )
    ):
        return False
    # a menu of one or two words a line (`Accueil`, `Actualité`, `Politique`...) over the
    # headline: past the other items of the menu (a site's name of two or three words among them:
    # Punch's `Home`, `News`, `Politics`, `Sports`, `Punch Newspapers`), up to 12
    menu = 0
    while menu < min(12, len(rest)) and (
        _is_menu_item(rest[menu]) or _SECTION.match(rest[menu]) or (skip is not None and skip(rest[menu]))
    ):
        menu += 1
    following = rest[menu] if menu < len(rest) else ""
    # (a headline in a script written without spaces has words of about two characters each)
    words = max(len(following.split()), len(_UNSPACED_LETTER.findall(following)) // 2)
    return (
        len(following) <= max_title_chars
        and words >= 4
        and not following.endswith((".", "。"))
        # (a date line under a short Chinese headline is no headline: `2026年12月02日16:42 | 来源：人民网`)
        and (words == len(following.split()) or date_from_text(following) is None)
    )


#: a byline under a scraped page's headline: `Par Karim Benali`, `Publié par Moussa Diop | 14 mars
#: 2024 à 21h05`, `By Jane Doe, Reporter`, `By: Jane Doe - Reporter`, `Posted by John Smith on March
#: 3, 2024`, `Por Ana Ruiz - 3 de marzo`, `Von Max Muster`, `Author of the article: Jane Doe`; the
#: name is up to five capitalised words (with a name's particles between them), then a separator, a
#: role or a date may follow
_SCRAPED_BYLINE = re.compile(
    r"^\W*(?:(?:publi[ée]e?|[ée]crit|r[ée]dig[ée]e?|sign[ée]e?|post[ée]e?|posted|written|published|reported|"
    r"publicad[oa]|escrit[oa]|pubblicat[oa]|scritt[oa]|ver[öo]ffentlicht|geschrieben)\s+(?:par|by|por|da|von)|"
    r"par|by|por|von|di|door|(?:author|auteur|autor|autore)(?: of the article| de l'article)?(?=\s*:))(?:\s*:\s*|\s+)"
    r"(?P<name>(?-i:[A-ZÀ-ÖØ-ÞĀ-Ž])[\w'’.-]+(?:\s+(?:(?:de|du|des|da|do|dos|van|von|der|den|el|al|ben|bin|ibn|"
    r"le|la|et|and|&|y|e|und)\s+)?(?-i:[A-ZÀ-ÖØ-ÞĀ-Ž])[\w'’.-]+){0,4})"
    r"(?:\s*[|•·,–—-].*|\s+(?:le|on|at|el|am|il|em|op)\s.*|\s+\d.*)?$",
    re.IGNORECASE,
)
#: a date line that ends with its byline: `Publié le 18/03/2024 à 09:15 (GMT+1) Par Yassine Alaoui`,
#: `Posted on March 3, 2024 by John Smith`
_DATED_BYLINE = re.compile(
    r"^\W*(?:publi[ée]e?|mis en ligne|mis à jour|posted|published|updated)\b.{0,60}?[\s|,–-](?:par|by)\s+"
    r"(?P<name>(?-i:[A-ZÀ-ÖØ-ÞĀ-Ž])[\w'’.-]+(?:\s+(?:(?:de|du|da|van|von|el|al|ben|bin|ibn)\s+)?"
    r"(?-i:[A-ZÀ-ÖØ-ÞĀ-Ž])[\w'’.-]+){0,4})\W*$",
    re.IGNORECASE,
)
#: an Arabic byline: `بقلم: يوسف العلوي` (by the pen of), `بواسطة`, `إعداد:` (prepared by), a name
#: of one to four words
_ARABIC_BYLINE = re.compile(
    r"^\W*(?:بقلم|بواسطة|إعداد|اعداد|كتبه|كتبت)\s*:?\s*(?P<name>[\u0621-\u064a]+(?:\s+[\u0621-\u064a]+){0,3})\W*$"
)


def _scraped_byline(lines: Sequence[str]) -> str | None:
    """The author of a byline among the first five lines under a page's headline (a
    section's name, a date and a time may come first; a line of up to 12 words, one ending with a
    full stop of up to 8: `By Monday, the firm had hired 300 people.` is a sentence)."""
    for line in [line.strip() for line in lines if line.strip()][:5]:
        # (the first of a line of fields parted by bars: `By Jane Doe | Published: March 14, 2024 | …`)
        words = len(re.split(r"\s[|•]\s", line, maxsplit=1)[0].split())
        if words > 12 or line.endswith(("?", "!")) or (line.endswith(".") and words > 8):
            continue
        match = _SCRAPED_BYLINE.match(line) or _DATED_BYLINE.match(line) or _ARABIC_BYLINE.match(line)
        if match:
            return match.group("name").rstrip(".")
    return None


def parse_scraped_text(text: str, options: IngestOptions, outlet: str | None = None) -> dict[str, Any]:
    """Split a scraped article into header metadata, headline, body and tags.

    The headline is the first line that is not a scraper placeholder (``thumb``, an image file
    name, a lone lower-case word), page furniture (``skip_lines``: a cookie banner, its buttons, a
    breadcrumb), the site's name (:func:`names_outlet`: of the ``url:`` or ``source:`` line, or
    ``outlet``) or a section's name; the body is everything after it, kept whole; tags come from a
    ``Mots Clés :``-style line. ``key: value`` lines before the headline are metadata; without an
    ``author:`` one, a byline under the headline (``Par Karim Benali``, ``Publié par Moussa Diop |
    14 mars 2024``) gives the author (the line stays in the body, for the cleaner).
    """
    scraped = options.scraped_text
    lynx = _LYNX_REFERENCES.search(text)
    if lynx:  # a page dumped by lynx: its link list and link marks go, and its `#` link lines
        text = _LYNX_MARK.sub("", text[: lynx.start()])
    lines = text.splitlines()

    def is_furniture(line: str) -> bool:
        # (a placeholder inside a menu, `Today's Paper` between `World` and the headline, too)
        return _is_placeholder(line, scraped.placeholders) or any(
            pattern.search(line.strip()) for pattern in scraped.skip_lines
        )

    fields: dict[str, Any] = {}
    position = 0
    in_menu = False
    furniture = False  # (a line of page furniture skipped over the headline)
    while position < len(lines):
        line = lines[position]
        if not line.strip() or _is_placeholder(line, scraped.placeholders) or (lynx and line.lstrip()[:1] == "#"):
            position += 1
            continue
        header = _HEADER_LINE.match(line)
        named = _header_field(header.group(1), options, header.group(2)) if header else None
        if header and named is not None and named not in fields:
            fields[named] = header.group(2)
            position += 1
            continue
        empty = _EMPTY_HEADER_LINE.match(line)
        if empty and _header_field(empty.group(1), options) is not None:  # `date:` left blank by the scraper
            position += 1
            continue
        written = (
            date_from_text(line.strip()) if "title" not in fields and "date" not in fields and len(line) <= 60 else None
        )
        if written is not None:
            # a date over the headline (`02.12.2026`; a print edition's `Газета «Коммерсантъ» №221 от
            # 02.12.2026, стр. 6`) is the article's: the line when it is a date alone, else what it says
            fields["date"] = line.strip() if parse_datetime(line.strip()) else written.isoformat()
            position += 1
            continue
        if "title" not in fields and (  # (furniture before the headline to be chosen)
            is_furniture(line) or names_outlet(line, _site_names(fields, outlet))
        ):
            position += 1
            furniture = True
            continue
        if "title" not in fields and _is_rubric(
            line,
            lines[position + 1 :],
            options.max_title_chars,
            in_menu=in_menu,
            furniture=furniture,
            first=not (in_menu or furniture),
            skip=is_furniture,
        ):
            in_menu = furniture = True
            position += 1
            continue
        break
    title: str | None = None
    if position < len(lines) and "title" not in fields:  # a `Title:` header names it already
        candidate = lines[position].strip()
        if len(candidate) <= options.max_title_chars:
            title = candidate
            position += 1
    body = "\n".join(lines[position:]).strip("\n").strip()
    tags = _tag_line_tags(lines[position:], options)
    if title is not None and "title" not in fields:
        fields["title"] = title
    if "author" not in fields and (author := _scraped_byline(lines[position : position + 12])):
        fields["author"] = author
    fields["text"] = body
    if tags:
        fields["tags"] = tags
    return fields


def _tag_line_tags(lines: Sequence[str], options: IngestOptions) -> list[str]:
    """The tags of a text's tag lines (`Mots Clés : Maroc, Espagne`: ``ingest.scraped_text.tag_lines``)."""
    tags: list[str] = []
    for line in lines:
        for pattern in options.scraped_text.tag_lines:
            match = pattern.match(line)
            if match:
                tags.extend(t for t in split_tags(match.group("tags")) if t not in tags)
                break
    return tags


def split_tags(value: str) -> list[str]:
    """Split a tag line on ``|`` (or else ``,``/``;``) and trim list punctuation."""
    parts = value.split("|") if "|" in value else re.split(r"[;,]", value)
    out = []
    for part in parts:
        tag = part.strip().strip(".").strip()
        if tag and tag not in out:
            out.append(tag)
    return out


@register_loader(
    "scraped_text",
    extensions=(".txt", ".text"),
    plain=True,
    description=(
        "Scraped text page: placeholders, headline, body, `Mots Clés :` tags; Nexis, Factiva, Europresse exports split"
    ),
)
def load_scraped_text(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    text = raw.read_text()
    if not text.strip():
        raise FileReject("empty_file", "only whitespace")
    if links := _link_list(text):
        lines = f"{links} line{'s' * (links > 1)}"
        raise FileReject("link_list", f"{lines}, each a web address: a list of links, not an article (fetch the pages)")
    yield from _text_records(text, options)


_FILLED_LINE = re.compile(r"[^\r\n]+")
#: a line that is a web address and nothing else (in angle brackets, after a list's bullet or number)
_LINK_LINE = re.compile(r"[ \t]*(?:[-*•][ \t]+|\d{1,6}[.)]?[ \t]+)?<?(?:(?:https?|ftp)://|www\.)[^\s<>]+>?[ \t]*", re.I)


def _link_list(text: str) -> int:
    """How many links a text holds when each of its lines is a web address (blank lines and `#`
    comments aside): a researcher's list of the pages collected (`urls.txt`), kept beside them;
    0 for any other text."""
    links = 0
    for found in _FILLED_LINE.finditer(text):  # (one at a time: an article's first line ends it)
        line = found.group(0)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not _LINK_LINE.fullmatch(line):
            return 0
        links += 1
    return links


def _text_records(text: str, options: IngestOptions) -> Iterator[Record]:
    """A press database's export (Nexis, Factiva, Europresse): one record per article; a
    compilation of articles parted by rules (:func:`split_compilation`): one per article; else
    one scraped article."""
    exported = split_export(text)
    if exported is not None:
        for index, fields in enumerate(exported):
            yield Record(fields, index=index)
        return
    articles = split_compilation(text, options)
    for index, article in enumerate(articles or [text]):
        yield Record(parse_scraped_text(article, options), index=index)


#: a line that is a rule: five or more of one character (`=====`, `-----`, `*****`, `_____`,
#: `# # # # #`), or a page break
_RULE = re.compile(r"^[ \t]*(?:([=\-*_#~+])(?:[ \t]*\1){4,}|\f)[ \t]*$", re.MULTILINE)
#: what a part of a compilation needs under its headline to be an article: a sentence of eight
#: words at least (a footer's `Tous droits réservés.`, a menu's items have none)
_SENTENCE = re.compile(r"(?:[^\s.!?]+[ \t]+){7,}[^\s.!?]+[.!?…]")


def split_compilation(text: str, options: IngestOptions) -> list[str] | None:
    """A text file holding several articles, one after another, parted by rules (a researcher's
    compilation, copied from pages or a database: `==========` between them, or page breaks):
    the articles' texts; ``None`` when there is no rule, when the rules differ, or when a part
    holds no article (a headline and a sentence under it: a page's rule above its footer or its
    menu parts no articles)."""
    rules = list(_RULE.finditer(text))
    if not rules or len({rule.group(0).strip(" \t") for rule in rules}) > 1:
        return None  # (one rule, written the same each time: a text browser's form fields and rules vary)
    bounds = [0, *(edge for rule in rules for edge in rule.span()), len(text)]
    parts = [text[start:stop] for start, stop in itertools.pairwise(bounds)][::2]
    parts = [part for part in parts if part.strip()]
    if len(parts) < 2:
        return None
    for part in parts:
        fields = parse_scraped_text(part, options)
        if not _compiled_headline(part, str(fields.get("title") or "")):
            return None
        if not _SENTENCE.search(str(fields.get("text") or "")):
            return None
    return parts


def _compiled_headline(part: str, title: str) -> bool:
    """Whether a part of a compilation opens with a headline: ``title`` (as chosen) opens with a
    letter, a digit or a quote, ends with no colon, and is no line of prose wrapped onto the next
    (in a text browser's dump of a page, its rules part a page's menus, forms and wrapped
    paragraphs, `#alternate …`, `[ ] Enregistrer …`, `(BUTTON)`, `Affiner ma recherche :`)."""
    if not title or not (title[0].isalnum() or title[0] in "«\"“'‘") or title.rstrip().endswith(":"):
        return False
    lines = part.strip().splitlines()
    at = next((i for i, line in enumerate(lines) if line.strip() == title.strip()), None)
    if at is None:
        return True  # (a headline joined from header lines: `Titre : …`)
    following = lines[at + 1].strip() if at + 1 < len(lines) else ""
    return not (following[:1].islower() and title.rstrip()[-1:] not in ".!?…")


# --- Word documents -----------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: the elements of a paragraph that hold its text: text runs, tabs, line breaks
_DOCX_TEXT = {f"{_W}t": "", f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}


def _zipped_xml(data: bytes, member: str, reason: str, what: str) -> Any:
    """The parsed XML of ``member`` of a zipped document (Word's, OpenDocument's).

    Raises:
        FileReject: ``reason`` when the file is no zip, lacks ``member`` or it is no XML.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(member)
        return etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise FileReject(reason, f"not a readable {what}: {exc}") from exc


def docx_paragraphs(data: bytes) -> list[str]:
    """The text of a Word (``.docx``) document's paragraphs, in order (tables' cells included).

    Raises:
        FileReject: ``invalid_docx`` when the file is no Word document.
    """
    root = _zipped_xml(data, "word/document.xml", "invalid_docx", "Word document")
    paragraphs: list[str] = []
    open_paragraphs: list[list[str]] = []  # a text box's paragraphs sit inside a paragraph
    skipped = 0  # inside a drawing's fallback copy of a text box (`mc:Fallback`): read once, in its choice
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if tag == _FALLBACK:
            skipped += 1 if event == "start" else -1
        elif skipped:
            continue
        elif tag == f"{_W}p":
            if event == "start":
                open_paragraphs.append([])
            else:
                paragraphs.append("".join(open_paragraphs.pop()))
        elif event == "start" and open_paragraphs and tag in _DOCX_TEXT:
            open_paragraphs[-1].append((element.text or "") if tag == f"{_W}t" else _DOCX_TEXT[tag])
    return paragraphs


@register_loader(
    "docx",
    extensions=(".docx",),
    binary=True,
    description="Word document: a press database's export (Nexis Uni, Factiva) one article each, else one article",
)
def load_docx(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    paragraphs = docx_paragraphs(raw.read_bytes())
    text = "\n".join(paragraphs)
    if not text.strip():
        raise FileReject("empty_file", "a Word document without text")
    yield from _text_records(text, options)


# --- OpenDocument text ---------------------------------------------------------------------------

_ODT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
#: what a paragraph's text holds besides text: spaces counted (`text:s`), tabs, line breaks
_ODT_BREAKS = {f"{_ODT}tab": "\t", f"{_ODT}line-break": "\n"}


def odt_paragraphs(data: bytes) -> list[str]:
    """The text of an OpenDocument text's (``.odt``, LibreOffice's) paragraphs and headings, in
    order (tables' cells and text boxes included, notes left out).

    Raises:
        FileReject: ``invalid_odt`` when the file is no OpenDocument text.
    """
    root = _zipped_xml(data, "content.xml", "invalid_odt", "OpenDocument text")
    blocks = (f"{_ODT}p", f"{_ODT}h")

    def text_of(element: Any) -> str:
        parts = [element.text or ""]
        for child in element:
            if child.tag == f"{_ODT}s":
                parts.append(" " * int(child.get(f"{_ODT}c", "1") or 1))
            elif child.tag in _ODT_BREAKS:
                parts.append(_ODT_BREAKS[child.tag])
            elif child.tag not in blocks and child.tag != f"{_ODT}note":  # (a text box's paragraphs: their own)
                parts.append(text_of(child))
            parts.append(child.tail or "")
        return "".join(parts)

    return [
        text_of(element)
        for element in root.iter(*blocks)
        if not any(ancestor.tag == f"{_ODT}note" for ancestor in element.iterancestors())
    ]


@register_loader(
    "odt",
    extensions=(".odt",),
    binary=True,
    description="OpenDocument text (LibreOffice): a press database's export one article each, else one article",
)
def load_odt(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    text = "\n".join(odt_paragraphs(raw.read_bytes()))
    if not text.strip():
        raise FileReject("empty_file", "an OpenDocument text without text")
    yield from _text_records(text, options)


# --- Rich Text -----------------------------------------------------------------------------------

_RTF_CODE_PAGE = re.compile(rb"\\ansicpg(\d{3,5})")


def rtf_text(data: bytes) -> str:
    """The plain text of an RTF document (striprtf), its 8-bit characters read in its code page.

    Raises:
        FileReject: ``invalid_rtf`` when the file does not start as RTF.
    """
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise FileReject("invalid_rtf", "no RTF header ({\\rtf)")
    page = _RTF_CODE_PAGE.search(data[:4096])
    encoding = f"cp{int(page[1])}" if page else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    return rtf_to_text(data.decode(encoding, errors="replace"), encoding=encoding, errors="replace")


@register_loader(
    "rtf",
    extensions=(".rtf",),
    description="Rich Text: a press database's export (Factiva, Nexis) one article each, else one article",
)
def load_rtf(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    text = rtf_text(raw.read_bytes())
    if not text.strip():
        raise FileReject("empty_file", "an RTF document without text")
    yield from _text_records(text, options)


# --- PDF -----------------------------------------------------------------------------------------

#: a page's running header or footer, however numbered (`Page 3 of 45`, `- 3 -`)
_DIGITS = re.compile(r"\d+")
#: the lines at each end of a page where running headers and footers are looked for
_PAGE_EDGE = 3
#: a line that ends a sentence, a heading's colon or a quotation: never joined to the next
_LINE_END = re.compile(r"""[.!?:;»"”)\]]\s*$""")


def pdf_pages(data: bytes) -> list[list[str]]:
    """The lines of a PDF's pages (pypdf's text layer), in reading order.

    Raises:
        FileReject: ``encrypted`` for a PDF that needs a password to open (one limited by an owner
        password alone opens); ``invalid_pdf`` for a file pypdf cannot read.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileReject("encrypted", "a PDF that needs a password to open")
        return [(page.extract_text() or "").splitlines() for page in reader.pages]
    except FileReject:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, zlib.error) as exc:
        raise FileReject("invalid_pdf", f"not a readable PDF: {type(exc).__name__}: {exc}") from exc


def _page_furniture(pages: list[list[str]]) -> set[str]:
    """Running headers and footers: lines (their numbers left out) among the first or last
    :data:`_PAGE_EDGE` lines of at least half the pages, and of three pages at least."""
    seen: Counter[str] = Counter()
    for lines in pages:
        filled = [line.strip() for line in lines if line.strip()]
        seen.update({_DIGITS.sub("#", line) for line in filled[:_PAGE_EDGE] + filled[-_PAGE_EDGE:]})
    least = max(3, (len(pages) + 1) // 2)
    return {line for line, count in seen.items() if count >= least}


def pdf_text(pages: list[list[str]]) -> str:
    """A PDF's text as a text file would hold it: running headers and footers (page numbers, the
    database's name, the date printed) left out, and the lines of a paragraph joined into one
    (a line filling the page's width, without a sentence's end, before a line in lower case; a
    word cut at the line's end by a hyphen is joined whole)."""
    furniture = _page_furniture(pages) if len(pages) >= 3 else set()
    kept: list[str] = []
    last = 0  # the width of the line before, as the page set it (joined or not)
    for lines in pages:
        filled = [line.rstrip() for line in lines]
        edge = [i for i, line in enumerate(filled) if line.strip()]
        ends = set(edge[:_PAGE_EDGE] + edge[-_PAGE_EDGE:])
        page = [
            line for i, line in enumerate(filled) if not (i in ends and _DIGITS.sub("#", line.strip()) in furniture)
        ]
        widths = sorted(len(line) for line in page if line.strip())
        full = widths[int(len(widths) * 0.9)] * 0.8 if len(widths) >= 5 else None
        for line in page:
            before = kept[-1] if kept else ""
            if full is not None and last >= full and not _LINE_END.search(before) and line.lstrip()[:1].islower():
                cut = before.endswith("-") and before[-2:-1].isalpha()
                kept[-1] = before[:-1] + line.lstrip() if cut else f"{before} {line.lstrip()}"
            else:
                kept.append(line)
            last = len(line)
    return "\n".join(kept)


@register_loader(
    "pdf",
    extensions=(".pdf",),
    sniff=lambda head: head.startswith(b"%PDF-"),
    claims=lambda head: head.startswith(b"%PDF-"),
    binary=True,
    description=(
        "PDF with a text layer (pypdf): a press database's export (Nexis, Factiva, Europresse) one article each, or one"
    ),
)
def load_pdf(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    text = pdf_text(pdf_pages(raw.read_bytes()))
    if not text.strip():
        raise FileReject("no_text_layer", "a PDF without text (scanned pages?): run OCR on it first")
    yield from _text_records(text, options)


# --- JSON and JSON Lines -------------------------------------------------------------------------


def _sniff_json(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _claims_json(head: bytes) -> bool:
    """JSON saved as text: an object opening with a key (`{"title": …`) or an array of objects or
    arrays (`[{`), not a text's bracketed label (`[Vidéo] …`, a text browser's checkbox `[ ]`)."""
    return _JSON_START.match(head) is not None


_JSON_START = re.compile(rb'^(?:\xef\xbb\xbf)?\s*(?:\{\s*"|\[\s*[\[{])')


def _line_encoding(raw: RawFile) -> str | None:
    """A file's encoding (sniffed from its start) when its lines end in the byte of a line break
    (UTF-8, Latin-1...), else None (UTF-16: it cannot be cut at that byte)."""
    encoding = sniff_encoding(raw.head()) or "utf-8"
    try:
        return encoding if "\n".encode(encoding) == b"\n" else None
    except LookupError:
        return None


def split_lines(raw: RawFile, size: int) -> list[tuple[int, int]] | None:
    """Pieces of a file of lines (not compressed): each starts at the first line after a multiple of ``size`` bytes."""
    if raw.compressed or _line_encoding(raw) is None:
        return None
    total = raw.path.stat().st_size
    bounds = [0]
    with raw.path.open("rb") as handle:
        while bounds[-1] + size < total:
            handle.seek(bounds[-1] + size - 1)  # (a line that ends just there: the next starts the piece)
            handle.readline()
            start = handle.tell()
            if start >= total:
                break
            bounds.append(start)
    return [(a, b) for a, b in itertools.pairwise([*bounds, total])]


@register_loader(
    "jsonl",
    extensions=(".jsonl", ".ndjson", ".jsonlines"),
    description="JSON Lines: one JSON object (article) per line",
    split=split_lines,
)
def load_jsonl(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    with raw.open_text() as handle:
        index = -1
        for line in handle:
            if not line.strip():
                continue
            index += 1
            try:  # (without its line break: a line cut inside a string is an unterminated string)
                value = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as exc:
                value = _python_literal(line)  # (a scraper that wrote each item as Python prints it)
                if isinstance(value, dict):
                    yield Record(value, index=index)
                    continue
                yield Reject(
                    "invalid_json",
                    index,
                    f"line is not valid JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}",
                    _excerpt(line, options.excerpt_chars),
                )
                continue
            if isinstance(value, dict):
                yield Record(value, index=index)
            else:
                yield Reject(
                    "not_an_object",
                    index,
                    f"JSON {type(value).__name__}, expected an object",
                    _excerpt(line, options.excerpt_chars),
                )


#: title names too common in objects of every kind (an author's, a tag's) to make one an article
_WEAK_TITLE_KEYS = frozenset({"name"})


#: text names that also name a summary: a wrapper of articles may have one (JSON Feed's description)
_SUMMARY_KEYS = frozenset(
    norm_key(name)
    for name in (
        "description",
        "summary",
        "excerpt",
        "snippet",
        "standfirst",
        "chapeau",
        "chapo",
        "resume",
        "abstract",
        "ozet",
        "zajawka",
        "ringkasan",
    )
)
#: JSON objects up to this size are read whole (see :func:`load_json`)
_WHOLE_JSON_BYTES = 1 << 20


def _body_keys(options: IngestOptions) -> frozenset[str]:
    """Field names (normalised) of an article's body: a text's, but a summary's."""
    names = {norm_key(name) for name in options.fields.get("text", ())} - _SUMMARY_KEYS
    return frozenset(names | {norm_key(name) for f, name in options.field_map.items() if f == "text"})


def _article_keys(options: IngestOptions) -> frozenset[str]:
    """Field names (normalised) that make an object an article: a title's or a text's."""
    names = [name for article_field in ("title", "text") for name in options.fields.get(article_field, ())]
    keys = {norm_key(name) for name in names} - _WEAK_TITLE_KEYS
    return frozenset(
        _with_prefixes(keys, options)
        | {norm_key(name) for f, name in options.field_map.items() if f in ("title", "text")}
    )


def _with_prefixes(keys: set[str], options: IngestOptions) -> set[str]:
    """``keys`` and each with the record kind's words before it (``post_title``: ``ingest.field_prefixes``)."""
    return keys | {prefix + key for prefix in options.field_prefixes for key in keys}


#: how deep inside an array's item its article fields may be grouped (`{"_source": {"title": ...}}`:
#: a search engine's hits; `{"meta": {...}, "attributes": {"body": ...}}`)
_GROUP_DEPTH = 2


def _holds_article_key(item: Mapping[str, Any], article_keys: frozenset[str], depth: int = _GROUP_DEPTH) -> bool:
    """Whether an object has an article field, itself or in an object of its own up to ``depth`` down."""
    return any(
        norm_key(str(key)) in article_keys
        or (depth > 0 and isinstance(value, Mapping) and _holds_article_key(value, article_keys, depth - 1))
        for key, value in item.items()
    )


def _records_prefix(raw: RawFile, article_keys: frozenset[str]) -> str | None:
    """Path (ijson prefix) of the array holding the articles, ``None`` for a single document.

    A top-level array of objects is the articles. Inside an object, the first array whose first
    item has an article field (a title or a text under any known name but ``name``), itself or in
    an object of its own (an Elasticsearch hit's ``_source``), is: an article's own lists of
    objects (authors, images, keywords) are not articles.
    """
    with raw.open() as handle:
        pending: str | None = None  # an array just opened
        watched: dict[str, str] = {}  # prefix of a first item being read -> its array's prefix
        for prefix, event, value in ijson.parse(handle):
            if pending is not None and event == "start_map":
                item = f"{pending}.item" if pending else "item"
                if prefix == item:
                    if not pending:
                        return pending
                    watched[item] = pending
            pending = prefix if event == "start_array" else None
            if event == "map_key" and norm_key(value) in article_keys:
                for item, array in watched.items():
                    inside = prefix[len(item) + 1 :].split(".") if prefix.startswith(f"{item}.") else []
                    if prefix == item or (0 < len(inside) <= _GROUP_DEPTH and "item" not in inside):
                        return array
            if event == "end_map":
                watched.pop(prefix, None)
    return None


def _prefix_in(
    value: Any, article_keys: frozenset[str], path: str | None = None, body_keys: frozenset[str] = frozenset()
) -> str | None:
    """The prefix :func:`_records_prefix` finds, in a parsed document; ``None`` too for an object
    with a body (a text under one of ``body_keys``): one article, whose own lists of objects
    (comments, related articles) are not articles."""
    if (
        path is None
        and isinstance(value, dict)
        and any(isinstance(v, str) and v.strip() and norm_key(str(k)) in body_keys for k, v in value.items())
    ):
        return None
    if isinstance(value, list):
        here = path or ""
        first = value[0] if value else None
        if isinstance(first, dict) and (path is None or _holds_article_key(first, article_keys)):
            return here
        for item in value:
            found = _prefix_in(item, article_keys, f"{here}.item" if here else "item")
            if found is not None:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            found = _prefix_in(item, article_keys, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    return None


def _items_at(value: Any, steps: list[str]) -> Iterator[Any]:
    """The values at an ijson prefix (``response.docs.item``) of a parsed document."""
    if not steps:
        yield value
    elif steps[0] == "item" and isinstance(value, list):
        for item in value:
            yield from _items_at(item, steps[1:])
    elif isinstance(value, dict):
        # a key may hold dots (`"data.items"`): as in ijson's prefixes, it is as many steps
        for key, item in value.items():
            parts = str(key).split(".")
            if steps[: len(parts)] == parts:
                yield from _items_at(item, steps[len(parts) :])


def _json_item(value: Any, index: int, options: IngestOptions) -> Record | Reject:
    if isinstance(value, dict):
        return Record(value, index=index)
    return Reject(
        "not_an_object",
        index,
        f"array item is a {type(value).__name__}",
        _excerpt(str(value), options.excerpt_chars),
    )


def _load_json_whole(
    raw: RawFile, options: IngestOptions, prefix: str | None, start: int, stream_error: Exception | None
) -> Iterator[Record | Reject]:
    """Read the document whole: one without an array of articles, or one the streaming parser
    refused (``NaN``, ``Infinity``: JavaScript's values, which Python's json reads). Articles
    from ``start`` on; those before it were streamed already."""
    try:
        text = decode_bytes(raw.read_bytes()).text
        try:
            document = json.loads(text)
        except json.JSONDecodeError as strict:
            document = _lenient_json(text)
            if document is None:
                raise strict from None
    except (json.JSONDecodeError, DecodeError, FileReject) as exc:
        # json's message names the line and column; the streaming parser's draws an arrow
        detail = str(exc) if isinstance(exc, json.JSONDecodeError) else " ".join(str(stream_error or exc).split())
        if start == 0:
            raise FileReject(getattr(exc, "reason", "invalid_json"), detail) from exc
        yield Reject("invalid_json", start, f"JSON breaks off after record {start - 1}: {detail}")
        return
    yield from _records_in(document, options, prefix, start)


#: a comma closing an array or an object (JavaScript's trailing comma, which JSON refuses)
_TRAILING_COMMA = re.compile(r",(\s*[\]}])")


def _lenient_json(text: str) -> Any:
    """What a document JSON refuses holds, as the tools that write such documents meant it; else
    ``None``. Values written one after the other (a scraper that dumps each item without a line
    break or a comma: `{…}{…}`) are a list of them; trailing commas (`[{…},]`) are dropped; a
    Python literal (`[{'title': …}]`, a list printed with `print`; a dict a line) is read as
    Python reads it."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    at = 0
    try:
        while True:
            at = len(text) - len(text[at:].lstrip(" \t\r\n,\ufeff"))
            if at >= len(text):
                break
            value, at = decoder.raw_decode(text, at)
            values.append(value)
    except json.JSONDecodeError:
        values = []
    if len(values) >= 2:
        return values
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", text))
    except json.JSONDecodeError:
        pass
    literal = _python_literal(text)
    if literal is None and "\n" in text.strip():  # (a dict printed a line: `print(item)` in a loop)
        lines = [_python_literal(line) for line in text.splitlines() if line.strip()]
        literal = lines if all(isinstance(item, dict) for item in lines) else None
    return literal


def _python_literal(text: str) -> Any:
    """A dict or a list of dicts written as Python writes them (`{'title': 'A', 'date': None}`), else ``None``."""
    import ast

    if text.lstrip()[:2] not in ("{'", '{"', "[{"):
        return None
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, dict) or (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
        return value
    return None


def _streams_keyed(raw: RawFile, options: IngestOptions) -> bool:
    """Whether a large JSON object holds articles under its keys (:func:`_keyed_articles`, judged
    on its first two values, read as they stream: the object is not read whole)."""
    keys = _article_keys(options)
    first: list[tuple[str, Any]] = []
    try:
        with raw.open() as handle:
            for key, value in ijson.kvitems(handle, "", use_float=True):
                first.append((key, value))
                if len(first) == 2:
                    break
    except ijson.common.JSONError:
        return False
    return len(first) == 2 and _keyed_articles(dict(first), options) and not any(norm_key(k) in keys for k, _ in first)


def _keyed_stream(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    index = -1
    with raw.open() as handle:
        try:
            for index, (key, value) in enumerate(ijson.kvitems(handle, "", use_float=True)):
                if isinstance(value, dict):
                    yield Record(value, index=index, defaults={"record_id": str(key)})
                else:
                    yield Reject("not_an_object", index, f"the value of key {key!r} is a {type(value).__name__}")
        except ijson.common.JSONError as exc:
            yield Reject(
                "invalid_json", index + 1, f"JSON breaks off after record {index}: {' '.join(str(exc).split())}"
            )


def _keyed_articles(document: dict[str, Any], options: IngestOptions) -> bool:
    """Whether an object holds articles under its keys: two values at least, every one an object
    holding an article's field, and no such field of its own."""
    keys = _article_keys(options)
    return (
        len(document) >= 2
        and not any(norm_key(str(key)) in keys for key in document)
        and all(isinstance(value, dict) and _holds_article_key(value, keys) for value in document.values())
    )


def _records_in(document: Any, options: IngestOptions, prefix: str | None, start: int) -> Iterator[Record | Reject]:
    """The articles of a parsed document (at ``prefix``, else where :func:`_prefix_in` finds
    them), from ``start`` on."""
    if prefix is None:
        prefix = _prefix_in(document, _article_keys(options), body_keys=_body_keys(options))
    if prefix is None:
        if isinstance(document, dict) and _keyed_articles(document, options):
            # articles keyed by their ids (`{"48213": {"title": …}, "48214": {…}}`, a Firebase
            # export's, a dict dumped as it was): each is one, its key its `record_id` unless it has one
            for index, (key, value) in enumerate(document.items()):
                if index >= start:
                    yield Record(value, index=index, defaults={"record_id": str(key)})
            return
        if isinstance(document, dict):
            yield Record(document, index=0)
            return
        if isinstance(document, list) and not document:
            raise FileReject("no_records", "empty JSON array")
        raise FileReject("not_an_object", f"JSON {type(document).__name__} holds no article objects")
    index = -1
    feed = _json_feed(document) if prefix == "items" else None
    for index, value in enumerate(_items_at(document, [*prefix.split("."), "item"] if prefix else ["item"])):
        if index >= start:
            item = _json_item(value, index, options)
            if feed is not None and isinstance(item, Record):
                item = Record(item.fields, index=index, defaults=feed(item.fields))
            yield item
    if index < 0:
        raise FileReject("no_records", f"empty array at {prefix or 'top level'}")


def _json_feed(document: Any) -> Callable[[Mapping[str, Any]], dict[str, Any]] | None:
    """For a JSON Feed (jsonfeed.org: ``version``, ``title``, ``home_page_url``, ``language``,
    ``items``), each item's defaults from the feed, as an RSS channel gives its entries': the
    feed's language, and its title as the source of the items of its own site (an item linking
    to another site is that site's). None for another document. (A feed is read whole up to
    ``_WHOLE_JSON_BYTES``; a larger one's items are streamed without it.)"""
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith("https://jsonfeed.org/"):
        return None
    language, title = document.get("language"), document.get("title")
    home = document.get("home_page_url") or document.get("feed_url")

    def defaults(item: Mapping[str, Any]) -> dict[str, Any]:
        link = item.get("url") or item.get("external_url")
        return {"source": title, "language": language} if _on_site(link, home) else {"language": language}

    return defaults


def _on_site(link: Any, home: Any) -> bool:
    """Whether a feed's entry (its link) is of the feed's own site (its home page): true when
    either is unknown. A feed's title names its own site's entries only."""
    return not (isinstance(link, str) and isinstance(home, str) and home and _site_domain(link) != _site_domain(home))


@register_loader(
    "json",
    extensions=(".json",),
    sniff=_sniff_json,
    claims=_claims_json,
    description="JSON: an array of articles, an object holding them (`articles`...), or one article",
)
def load_json(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    head = raw.head(65536).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise FileReject("empty_file", "only whitespace")
    first_line = head.split(b"\n", 1)[0]
    if head[:1] == b"{" and b"\n" in head.strip():
        try:  # JSON Lines saved as .json
            json.loads(first_line)
            yield from load_jsonl(raw, options)
            return
        except json.JSONDecodeError:
            pass
    small = raw.head(_WHOLE_JSON_BYTES + 1) if head[:1] == b"{" else b""
    if small and len(small) <= _WHOLE_JSON_BYTES:
        # a small object is read whole: whether it is one article with lists of its own (comments,
        # related articles) or holds the articles is decided on all its keys, in any order; a
        # broken one is streamed below, which keeps the articles before the break
        try:
            document = json.loads(decode_bytes(small).text)
        except (json.JSONDecodeError, DecodeError):
            document = None
        if document is not None:
            yield from _records_in(document, options, None, 0)
            return
    try:
        prefix = _records_prefix(raw, _article_keys(options))
    except ijson.common.JSONError as exc:
        if _streams_keyed(raw, options):  # (a keyed object cut short: the articles before the break)
            yield from _keyed_stream(raw, options)
            return
        yield from _load_json_whole(raw, options, None, 0, exc)
        return
    if prefix is None and _streams_keyed(raw, options):
        # a large object of articles keyed by their ids, read one article at a time
        yield from _keyed_stream(raw, options)
        return
    if prefix is None:
        yield from _load_json_whole(raw, options, None, 0, None)
        return
    index = -1
    item_path = f"{prefix}.item" if prefix else "item"
    with raw.open() as handle:
        try:
            for index, value in enumerate(ijson.items(handle, item_path, use_float=True)):
                yield _json_item(value, index, options)
        except ijson.common.JSONError as exc:
            yield from _load_json_whole(raw, options, prefix, index + 1, exc)
            return
    if index < 0:
        raise FileReject("no_records", f"empty array at {prefix or 'top level'}")


# --- CSV / TSV --------------------------------------------------------------------------------

_EXCEL_SEP = re.compile(r"^sep=([,;\t|])\r?\n")


def _delimiter(raw: RawFile, sample: str) -> str:
    if raw.suffix in (".tsv", ".tab"):
        return "\t"
    # the first line holding one (a report's title may stand above the header: see _header_at)
    lines = sample.split("\n")[:_PREAMBLE_ROWS]
    at = next((i for i, line in enumerate(lines) if any(d in line for d in ",;\t|")), 0)
    first = lines[at] if lines else ""
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        return ","
    start = sum(len(line) + 1 for line in lines[:at])
    try:
        return csv.Sniffer().sniff(sample[start : start + 16384], delimiters=",;\t|").delimiter
    except csv.Error:
        return best


#: how many rows a table's header may come after (a report's title, its client and date above it)
_PREAMBLE_ROWS = 20


def _header_at(rows: Iterable[Sequence[Any]], known: frozenset[str], fields: frozenset[str]) -> int:
    """Which of a table's first rows is its header: the first that names a title or text column
    (``known``: their names, normalised) and another article field's (``fields``: every field's
    names), past a preamble (a monitoring report's `Rapport de veille - Mars 2024`, its client's
    name; a codebook's row, `Titre | le titre de l'article`, names one); the first row when none does."""
    for number, row in enumerate(itertools.islice(rows, _PREAMBLE_ROWS)):
        names = {norm_key(str(c).strip().lstrip("\ufeff")) for c in row if c is not None and str(c).strip()}
        if names & known and len(names & fields) >= 2:
            return number
    return 0


def _field_keys(options: IngestOptions) -> frozenset[str]:
    """Every article field's names (normalised), those of ``field_map`` too."""
    names = {norm_key(name) for aliases in options.fields.values() for name in aliases}
    return frozenset(_with_prefixes(names, options) | {norm_key(name) for name in options.field_map.values()})


def _csv_start(
    raw: RawFile, handle: IO[str], known: frozenset[str] = frozenset(), fields: frozenset[str] = frozenset()
) -> tuple[str, list[str], Any, int, list[list[str]]]:
    """A CSV file's delimiter, header row (its cells stripped), a reader of the rows after it, the
    lines before them (Excel's `sep=` line, a preamble's, the header's) and the preamble's rows
    (:func:`_header_at`, with ``known`` and ``fields``), from the start of the file open in
    ``handle`` (seekable)."""
    sample = handle.read(65536)
    handle.seek(0)
    if not sample.strip():
        raise FileReject("empty_file", "only whitespace")
    excel_sep = _EXCEL_SEP.match(sample.lstrip("\ufeff"))
    if excel_sep:  # Excel's `sep=;` line names the delimiter, before the header
        delimiter = excel_sep.group(1)
    else:
        delimiter = _delimiter(raw, sample)

    def rows() -> Any:
        handle.seek(0)
        if excel_sep:
            handle.readline()
        return csv.reader(handle, delimiter=delimiter)

    try:
        filled = (row for row in rows() if row and any(cell.strip() for cell in row))
        at = _header_at(filled, known, fields) if known else 0
        reader = rows()
        preamble: list[list[str]] = []
        while len(preamble) < at:
            row = next(reader)
            if row and any(cell.strip() for cell in row):
                preamble.append(row)
        header: list[str] = next(reader, [])
        while at and not any(cell.strip() for cell in header):  # (blank lines before the header)
            header = next(reader, [])
    except csv.Error as exc:
        raise FileReject("malformed_csv", f"header row: {exc}") from exc
    header = [h.strip().lstrip("\ufeff") for h in header]
    return delimiter, header, reader, reader.line_num + (1 if excel_sep else 0), preamble


def split_csv(raw: RawFile, size: int) -> list[tuple[int, int]] | None:
    """Pieces of a CSV file (not compressed), each starting at a row after a multiple of ``size``
    bytes: the rows are found by reading the file through the CSV reader (a quoted field may
    hold line breaks). Where the reader fails, the rest is one piece (it ends the file there, as
    read whole)."""
    encoding = None if raw.compressed else _line_encoding(raw)
    if encoding is None:
        return None
    with raw.open_text() as handle:
        delimiter, _, _, skipped, _ = _csv_start(raw, handle)
    total = raw.path.stat().st_size
    bounds = [0]
    consumed = 0
    with raw.path.open("rb") as stored:

        def lines() -> Iterator[str]:
            nonlocal consumed
            for line in stored:
                consumed += len(line)
                yield line.decode(encoding, errors="replace")

        reader = csv.reader(lines(), delimiter=delimiter)
        try:
            for _ in reader:  # (the reader takes a line only when its row needs it)
                if reader.line_num > skipped and consumed - bounds[-1] >= size and consumed < total:
                    bounds.append(consumed)
        except csv.Error:
            pass
    return [(a, b) for a, b in itertools.pairwise([*bounds, total])]


def _claims_table(head: bytes) -> bool:
    """A table saved as text (Excel's `Text (Tab delimited)` and `Unicode Text`, UTF-16): a first
    line of three cells at least, parted by tabs, each short as column names are, and a later
    line with as many tabs."""
    try:
        text = head.decode(sniff_encoding(head) or "utf-8", errors="replace").lstrip("\ufeff")
    except LookupError:
        return False
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) < 2:
        return False
    cells = lines[0].split("\t")
    return (
        len(cells) >= 3
        and all(len(cell.strip()) <= 60 for cell in cells)
        and any(line.count("\t") >= len(cells) - 1 for line in lines[1:])
    )


def _distinct_names(header: list[str]) -> list[str]:
    """A header's column names, one named like an earlier one (the same key: `Date` and `date`)
    renamed `Date (2)`: the first is the field it names (an export's publication date before its
    update's), the later ones kept under names of their own, not written over it."""
    seen: set[str] = set()
    names = []
    for name in header:
        key, number, unique = norm_key(name), 1, name
        while key in seen:
            number += 1
            unique = f"{name} ({number})"
            key = norm_key(unique)
        seen.add(key)
        names.append(unique)
    return names


@register_loader(
    "csv",
    extensions=(".csv", ".tsv", ".tab"),
    claims=_claims_table,
    description="CSV/TSV with a header row (delimiter and encoding detected)",
    split=split_csv,
)
def load_csv(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    handle = raw.open_text()
    known, fields = _article_keys(options), _field_keys(options)
    try:
        preamble: list[list[str]] = []
        if raw.piece is None:
            delimiter, header, reader, _, preamble = _csv_start(raw, handle, known, fields)
        else:  # a piece: the header row and delimiter are the file's
            with raw.whole().open_text() as start:
                delimiter, header, _, skipped, above = _csv_start(raw, start, known, fields)
            reader = csv.reader(handle, delimiter=delimiter)
            if raw.piece[0] == 0:  # the file's first piece: the rows after the header
                preamble = above
                for _ in range(skipped):
                    handle.readline()
        for number, row in enumerate(preamble):  # (read, so counted: not records)
            yield Reject(
                "preamble",
                number,
                "a line above the header row (a report's title, its client)",
                _excerpt(delimiter.join(row), options.excerpt_chars),
            )
        header_cells = [h.casefold() for h in header]
        names = _distinct_names(header)
        index = len(preamble) - 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield Reject("malformed_csv", index + 1, f"row after record {index}: {exc}")
                return
            if not row or all(not cell.strip() for cell in row):
                continue
            index += 1
            if [cell.strip().casefold() for cell in row] == header_cells:
                yield Reject(
                    "repeated_header",
                    index,
                    "the header row again (files joined one after the other)",
                    _excerpt(delimiter.join(row), options.excerpt_chars),
                )
                continue
            if len(row) > len(header):
                yield Reject(
                    "malformed_csv",
                    index,
                    f"{len(row)} fields for {len(header)} columns",
                    _excerpt(delimiter.join(row), options.excerpt_chars),
                )
                continue
            yield Record(dict(zip(names, row, strict=False)), index=index)
        if index < 0 and raw.piece is None:
            raise FileReject("no_records", "header row only")
    finally:
        handle.close()


# --- Excel workbooks -----------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


@register_loader(
    "xlsx",
    extensions=(".xlsx", ".xlsm"),
    binary=True,
    description="Excel workbook (openpyxl): in each sheet of articles a header row, then one article per row",
)
def load_xlsx(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    """Every sheet whose header row names a title or text column (as the CSV loader reads them),
    its rows one article each; with no such sheet, every sheet so (its rows' rejects then say
    why). A sheet left out is one ``not_articles`` reject naming it and its columns."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    source = io.BytesIO(raw.read_bytes()) if raw.compressed else raw.path
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileReject("invalid_xlsx", f"not a readable Excel workbook: {type(exc).__name__}: {exc}") from exc
    try:
        yield from _workbook_records(workbook.worksheets, options)
    finally:
        workbook.close()


@register_loader(
    "xls",
    extensions=(".xls",),
    binary=True,
    description="Excel 97-2003 workbook (xlrd): read as an `.xlsx` workbook is",
)
def load_xls(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    """An Excel 97-2003 workbook (`.xls`, as media-monitoring services and older tools still
    export): its sheets read as :func:`load_xlsx` reads an `.xlsx` workbook's, dates as dates."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=raw.read_bytes())
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, OSError, ValueError, IndexError, AssertionError) as exc:
        raise FileReject("invalid_xls", f"not a readable Excel 97-2003 workbook: {type(exc).__name__}: {exc}") from exc
    try:
        yield from _workbook_records([_XlsSheet(sheet, book.datemode) for sheet in book.sheets()], options)
    finally:
        book.release_resources()


class _XlsSheet:
    """An xlrd sheet as the `.xlsx` loader reads one (openpyxl's `title` and `iter_rows`)."""

    def __init__(self, sheet: Any, datemode: int) -> None:
        import xlrd

        self.sheet, self.datemode, self.title, self.xlrd = sheet, datemode, sheet.name, xlrd

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple[Any, ...]]:
        for number in range(self.sheet.nrows):
            yield tuple(self._value(cell) for cell in self.sheet.row(number))

    def _value(self, cell: Any) -> Any:
        xlrd = self.xlrd
        if cell.ctype == xlrd.XL_CELL_TEXT:
            return cell.value
        if cell.ctype == xlrd.XL_CELL_NUMBER:
            return int(cell.value) if float(cell.value).is_integer() else cell.value
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate_as_datetime(cell.value, self.datemode)
            except (xlrd.xldate.XLDateError, ValueError, OverflowError):
                return None
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        return None  # (empty, blank, an error's code)


def _workbook_records(worksheets: Sequence[Any], options: IngestOptions) -> Iterator[Record | Reject]:
    """The records of a workbook's sheets (see :func:`load_xlsx`)."""
    known = {norm_key(name) for field in ("title", "text") for name in options.fields.get(field, ())}
    known |= {norm_key(options.field_map[f]) for f in ("title", "text") if f in options.field_map}
    sheets = []
    for sheet in worksheets:
        filled = (row for row in sheet.iter_rows(values_only=True) if any(_cell(c) not in (None, "") for c in row))
        first = list(itertools.islice(filled, _PREAMBLE_ROWS))
        if not first:
            continue
        # (past a preamble: a report's title, its client and date over the header)
        at = _header_at([[_cell(c) for c in row] for row in first], _article_keys(options), _field_keys(options))
        header = first[at]
        names = _distinct_names(
            [str(_cell(c)) if _cell(c) not in (None, "") else f"column_{i + 1}" for i, c in enumerate(header)]
        )
        written = [str(_cell(c)).casefold() if _cell(c) not in (None, "") else "" for c in header]
        sheets.append((sheet, names, written, any(norm_key(n) in known for n in names), first[:at]))
    if not sheets:
        raise FileReject("empty_file", "a workbook without a filled cell")
    articles = any(has for *_, has, _ in sheets)
    index = 0
    for sheet, names, written, has, preamble in sheets:
        title = sheet.title
        if articles and not has:
            yield Reject("not_articles", index, f"sheet {title!r}: no title or text column ({', '.join(names)})")
            index += 1
            continue
        for row in preamble:
            line = " | ".join(str(_cell(c)) for c in row if _cell(c) not in (None, ""))
            yield Reject("preamble", index, f"sheet {title!r}: a line above the header row", line)
            index += 1
        rows = sheet.iter_rows(values_only=True)
        filled = (row for row in rows if any(_cell(c) not in (None, "") for c in row))
        for _ in range(len(preamble) + 1):  # its preamble and header
            next(filled, None)
        for row in rows:
            cells = [_cell(c) for c in row]
            if all(c in (None, "") for c in cells):
                continue
            if [str(c).casefold() if c not in (None, "") else "" for c in cells] == written[: len(cells)]:
                yield Reject("repeated_header", index, f"sheet {title!r}: the header row again")
                index += 1
                continue
            fields = {name: value for name, value in zip(names, cells, strict=False) if value not in (None, "")}
            fields.update(
                {
                    f"column_{i + 1}": value
                    for i, value in enumerate(cells)
                    if i >= len(names) and value not in (None, "")
                }
            )
            yield Record(fields, index=index)
            index += 1
    if index == 0:
        raise FileReject("no_records", "header rows only")


# --- HTML pages ---------------------------------------------------------------------------------


def _sniff_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    return start.startswith((b"<!doctype html", b"<html")) or b"<html" in start


#: the address a browser or an extension wrote into a page it saved: "Save page as" (IE's and
#: Chrome's mark of the web) and SingleFile
_SAVED_FROM = re.compile(
    r"<!--\s*(?:saved from url=\(\d+\)|Page saved with SingleFile\s+url:)\s*(https?://[^\s>]+?)\s*(?:-->|\s)",
    re.IGNORECASE,
)
_HTML_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z-]+)", re.IGNORECASE)
#: where a page states its publication time for machines: a meta tag's content (`article:published_time`,
#: `datePublished`...), JSON-LD's `datePublished`, a `<time datetime>`
_META_TAG = re.compile(r"<meta\b[^<>]*>", re.IGNORECASE)
_META_NAME = re.compile(
    r"""\b(?:property|name|itemprop)\s*=\s*["']?(?:article:published_time|og:published_time|datepublished|"""
    r"""pubdate|publish[-_]date|parsely-pub-date|sailthru\.date|dc\.date(?:\.issued)?|dcterms\.date)["'\s/>]""",
    re.IGNORECASE,
)
_META_CONTENT = re.compile(r"""\bcontent\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_STATED_TIMES = re.compile(
    r"""["']datePublished["']\s*:\s*["']([^"']+)["']|<time\b[^<>]*\bdatetime\s*=\s*["']([^"']+)["']""",
    re.IGNORECASE,
)
_WITH_TIME = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")
#: a day-first numeric date with a space after each dot, as Czech and Slovak write it (`1. 12. 2026`),
#: written without them for htmldate (which reads it as 12 January)
_SPACED_DMY = re.compile(r"(?<![\d.])([0-3]?\d)\.[ \u00a0]([01]?\d)\.[ \u00a0]((?:19|20)\d\d)(?!\d)")


_LINKED_DATA = re.compile(
    r"""<script\b[^>]*\btype\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script>""", re.IGNORECASE | re.DOTALL
)
#: schema.org's types of an article (a news site's JSON-LD names one of them)
_ARTICLE_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
    }
)


def _linked_data(page: str) -> dict[str, Any]:
    """The address (`url`, `mainEntityOfPage`), keywords (`keywords`, `articleSection`) and text
    (`articleBody`) the page's JSON-LD states for its article, the first object of an article's
    type (in a `@graph` too); empty without one."""
    for block in _LINKED_DATA.findall(page):
        try:
            data = json.loads(block.strip().removeprefix("<![CDATA[").removesuffix("]]>").strip())
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
                continue
            if not isinstance(item, dict):
                continue
            kinds = item.get("@type")
            if not (set(kinds if isinstance(kinds, list) else [kinds]) & _ARTICLE_TYPES):
                stack.extend(v for v in (item.get("@graph"),) if v)
                continue
            page_of = item.get("mainEntityOfPage")
            address = item.get("url") or (page_of.get("@id") if isinstance(page_of, dict) else page_of)
            keywords = item.get("keywords") or item.get("articleSection") or []
            if isinstance(keywords, str):
                keywords = split_tags(keywords)
            body = item.get("articleBody")
            return {
                "url": address if isinstance(address, str) and address.startswith(("http://", "https://")) else None,
                "tags": [k.strip() for k in keywords if isinstance(k, str) and k.strip()],
                "body": body if isinstance(body, str) and body.strip() else None,
            }
    return {}


def _stated_paragraphs(lines: list[str], body: str) -> list[str]:
    """The text's lines, or the paragraphs of the page's JSON-LD `articleBody` when they are the
    same words in more paragraphs: a page rendered by scripts shows no text, and its body read
    from its JSON-LD comes as one paragraph, the breaks the site wrote there lost. The stated
    body alone when the page gave no text; the lines as they are otherwise."""
    if looks_like_html(body):
        body = html_to_text(body)
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    if not lines or (
        len(paragraphs) > len(lines) and " ".join(" ".join(lines).split()) == " ".join(" ".join(paragraphs).split())
    ):
        return paragraphs
    return lines


def _stated_time(page: str, day: str) -> str | None:
    """The first publication timestamp the page states for machines on ``day`` (``YYYY-MM-DD``)
    with its time of day (``2026-12-01T17:20:00+01:00``), if any."""
    found = [
        m.group(1) for tag in _META_TAG.findall(page) if _META_NAME.search(tag) and (m := _META_CONTENT.search(tag))
    ]
    found += [a or b for a, b in _STATED_TIMES.findall(page)]
    return next(
        (value.strip() for value in found if value.strip()[:10] == day and _WITH_TIME.match(value.strip())), None
    )


#: a year after a copyright sign (`© 2026 GMA Network`, `Copyright © 1995-2026`)
_COPYRIGHT = re.compile(
    r"(?:©|&copy;|&#169;|copyright|\(c\))\s*(?:(?:19|20)\d\d\s*[-–]\s*)?((?:19|20)\d\d)", re.IGNORECASE
)


def _copyright_year(page: str, day: str) -> bool:
    """Whether ``day`` is htmldate's last resort: the first of January of the page's copyright
    year (`© 2026 Matichon` gave `2026-01-01`, a date the page never wrote), which is no date."""
    year = day[:4]
    return (
        day[4:10] == "-01-01"
        and year in _COPYRIGHT.findall(page)
        and not any(f"{year}{sep}01{sep}01" in page for sep in "-/.")
    )


_BODY = re.compile(r"<body\b.*", re.IGNORECASE | re.DOTALL)
#: a zone no clock is written in, to tell a time written with its zone from one written without
_PROBE_ZONE = timezone(timedelta(hours=5, minutes=17))


def _written_time(page: str, day: str) -> str | None:
    """The time of day a page's visible text writes with its date on ``day`` near its top or bottom
    (a byline's `Gepubliceerd: 01-12-2026, 22:47`), as a timestamp without zone, if any. A ``day``
    of 1 January is htmldate's reading of a year it found alone (a copyright's `© 2026-27`): the
    text's date in that year replaces it, with its time or without."""
    body = _BODY.search(page)
    text = html_to_text(body.group(0) if body else page)
    found = date_from_text(text)
    if found is not None and day.endswith("-01-01") and str(found.year) == day[:4] and found.date().isoformat() != day:
        if (found.hour, found.minute) == (0, 0):
            return found.strftime("%Y-%m-%d")
    elif found is None or found.date().isoformat() != day or (found.hour, found.minute) == (0, 0):
        return None
    # a zone written with it (Radio-Canada's `6 h 15 HNE`) fixes the instant: it is kept, or the
    # outlet's own zone would be applied to a clock already turned to UTC (11:15 read as Montréal's)
    if date_from_text(text, default_tz=_PROBE_ZONE) == found:
        return found.isoformat()
    return found.strftime("%Y-%m-%dT%H:%M:%S")


@register_loader(
    "html",
    extensions=(".html", ".htm", ".xhtml", ".shtml"),
    sniff=_sniff_html,
    claims=lambda head: head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" and _sniff_html(head),
    description="HTML page: main text and metadata by trafilatura/htmldate; an export of several articles, one each",
)
def load_html(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    page = raw.read_text()
    if not page.strip():
        raise FileReject("empty_file", "only whitespace")
    for index, record in enumerate(page_records(page, options)):
        yield Record(record.fields, index=index, defaults=record.defaults)


def page_records(page: str, options: IngestOptions) -> list[Record]:
    """The articles of one HTML page: one each when it holds several (an export), else one
    (trafilatura's main text and metadata, htmldate's date).

    Raises:
        FileReject: ``unparseable_html`` when trafilatura cannot parse the page.
    """
    import trafilatura

    export = export_articles(page, options.html_exports)
    if export is not None:
        articles, defaults = export
        return [Record(article, defaults=defaults) for article in articles]
    if marked_page(page):  # a press database's export saved as HTML (Factiva's): read by its lines
        body = _BODY.search(page)
        exported = split_export(html_to_text(body.group(0) if body else page))
        if exported is not None:
            return [Record(fields, index=index) for index, fields in enumerate(exported)]
    if ". " in page:  # (htmldate reads Czech and Slovak `1. 12. 2026` as 12 January)
        page = _SPACED_DMY.sub(r"\1.\2.\3", page)
    try:
        extracted = trafilatura.bare_extraction(
            page,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={
                "extensive_search": True,
                "original_date": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
            },
        )
    except Exception as exc:  # trafilatura raises many parser errors on broken pages
        raise FileReject("unparseable_html", f"{type(exc).__name__}: {exc}") from exc
    if extracted:
        doc = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    else:
        tag = _TITLE_TAG.search(page)
        doc = {"title": tag.group(1).strip() if tag else None, "text": None}
    title = _shown_headline(page, doc.get("title")) or doc.get("title")
    lines = [line.strip() for line in (doc.get("text") or "").splitlines() if line.strip()]
    if lines and title and lines[0] == title.strip():
        lines = lines[1:]  # the page's <h1> repeats the headline
    stated = _linked_data(page)
    if stated.get("body"):
        lines = _stated_paragraphs(lines, stated["body"])
    tags: list[str] = []
    for value in [*(doc.get("categories") or []), *(doc.get("tags") or [])]:
        tags.extend(t for t in split_tags(value) if t not in tags)
    if not tags:  # (a tag line the page shows under its text: `Mots-clés : BCT, inflation`)
        tags = _tag_line_tags(lines[-12:], options)
    published = doc.get("date")
    if isinstance(published, str) and _copyright_year(page, published):
        published = None
    if isinstance(published, str) and (not _WITH_TIME.match(published) or published.endswith("T00:00:00")):
        # htmldate gives the day alone when it takes it from the URL or the text: the time the
        # page states for machines on that day is kept (`article:published_time`, JSON-LD)
        published = _stated_time(page, str(published)[:10]) or _written_time(page, str(published)[:10]) or published
    fields: dict[str, Any] = {
        "title": title,
        "text": "\n\n".join(lines),
        "published": published,
        "url": doc.get("url"),
        # (else the page's <title> beside its headline: `Hespress FR | Le Maroc et l'Espagne ...`)
        "source": doc.get("sitename") or _title_site(page, title),
        # (else a byline in the text's first lines, which trafilatura keeps: `Par Yassine Alaoui`)
        "author": doc.get("author") or _scraped_byline(lines[:5]),
        "tags": tags,
    }
    if not fields["url"] or not fields["tags"]:
        # (a page whose address and keywords only its JSON-LD states: a site rendered by scripts)
        fields["url"] = fields["url"] or stated.get("url")
        fields["tags"] = fields["tags"] or stated.get("tags", [])
    if not fields["url"]:
        saved = _SAVED_FROM.search(page[:4096])
        fields["url"] = saved.group(1) if saved else None
    lang = _HTML_LANG.search(page[:4096])
    if lang:
        fields["language"] = lang.group(1)
    return [Record({k: v for k, v in fields.items() if v not in (None, "", [])})]


# --- a page saved as one file (MHTML) ---------------------------------------------------------


@register_loader(
    "mhtml",
    extensions=(".mhtml", ".mht"),
    description="A page saved as one file (a browser's `Webpage, single file`): its page read as a saved page",
)
def load_mhtml(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    """A browser's single-file page (MIME `multipart/related`, Chrome's and Edge's `.mhtml`,
    Internet Explorer's and Word's `.mht`): its first HTML part is read as a saved page
    (:func:`page_records`), the address it was saved from (`Snapshot-Content-Location`, else
    the part's `Content-Location`) its URL, the time it was saved (`Date`) when it was fetched."""
    import email
    from email import policy
    from email.utils import parsedate_to_datetime

    data = raw.read_bytes()
    if not data.strip():
        raise FileReject("empty_file", "only whitespace")
    message = email.message_from_bytes(data, policy=policy.compat32)
    part = next((p for p in message.walk() if p.get_content_type() in _PAGE_TYPES), None)
    if part is None:
        raise FileReject("no_records", "a single-file page without an HTML part")
    body = part.get_payload(decode=True)
    if not isinstance(body, bytes) or not body.strip():
        raise FileReject("empty_file", "its HTML part is empty")
    try:
        page = decode_bytes(
            body, declared=part.get_content_charset(), max_replacement_ratio=options.max_replacement_ratio
        ).text
    except DecodeError as exc:
        raise FileReject(exc.reason, exc.detail) from exc
    address = message.get("Snapshot-Content-Location") or part.get("Content-Location")
    try:
        saved = parsedate_to_datetime(str(message.get("Date"))) if message.get("Date") else None
    except (TypeError, ValueError):
        saved = None
    for index, record in enumerate(page_records(page, options)):
        fields = dict(record.fields)
        if address and index == 0 and "url" not in fields:
            fields["url"] = str(address).strip()
        if saved is not None:
            fields.setdefault("fetched", saved)
        yield Record(fields, index=index, defaults=record.defaults)


_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s+[:»]\s+")


_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)


def _shown_headline(page: str, title: str | None) -> str | None:
    """The headline the page shows, its first `<h1>` (of three words or more), when its `<title>`
    holds it and the title read from its metadata (`og:title`, trafilatura's) is in neither: a
    site that gives every page its own name there (`Yahoo News - Latest News & Headlines`, above
    `Russia: Space ship malfunctions, breaks up over Siberia`). None otherwise."""
    if not title:
        return None
    found, shown = _TITLE_TAG.search(page[:65536]), _H1.search(page)
    if not found or not shown:
        return None
    headline = " ".join(html_to_text(shown.group(1)).split())
    page_title = " ".join(html.unescape(found.group(1)).split()).casefold()
    wanted = " ".join(title.split()).casefold()
    if len(headline.split()) < 3 or headline.casefold() not in page_title:
        return None
    return None if wanted in page_title or wanted in headline.casefold() else headline


def _title_site(page: str, headline: str | None) -> str | None:
    """The site's name a page's <title> gives beside its headline (`Hespress FR | Le Maroc ...`,
    `Le Maroc ... - Le360`): the other part, of up to five words, when one part is the headline."""
    found = _TITLE_TAG.search(page[:65536])
    if not found or not headline:
        return None
    parts = [part.strip() for part in _TITLE_SEPARATOR.split(" ".join(html.unescape(found.group(1)).split()))]
    wanted = " ".join(headline.split()).casefold()
    if len(parts) < 2 or wanted not in {part.casefold() for part in parts}:
        return None
    others = [part for part in parts if part.casefold() != wanted and part]
    site = others[-1] if others else None
    return site if site and len(site.split()) <= 5 else None


# --- web archives (WARC) ------------------------------------------------------------------------

#: the media types of a captured page
_PAGE_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


_WARC_START = (b"WARC/1.", b"WARC/0.")
_GZIP_MEMBER = b"\x1f\x8b\x08"


def split_warc(raw: RawFile, size: int) -> list[tuple[int, int]] | None:
    """Pieces of a web archive, each starting at a record: walked record by record (its headers'
    ``Content-Length``), or for a ``.warc.gz``, at the gzip members (one per record, as archivers
    write them) found near each multiple of ``size``. None: the file cannot be cut so."""
    total = raw.path.stat().st_size
    bounds = [0]
    with raw.path.open("rb") as handle:
        if raw.compressed:
            while bounds[-1] + size < total:
                start = _warc_member_after(handle, bounds[-1] + size, total)
                if start is None:
                    break
                bounds.append(start)
        else:
            position, pages = 0, False
            while position < total:
                handle.seek(position)
                line = handle.readline()
                if not line.strip():  # the blank lines between records
                    position = handle.tell()
                    continue
                if not line.startswith(_WARC_START):
                    return None
                length, kind = None, b""
                for header in iter(handle.readline, b""):
                    if not header.strip():
                        break
                    name, _, value = header.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip()) if value.strip().isdigit() else None
                    elif name.strip().lower() == b"warc-type":
                        kind = value.strip().lower()
                if length is None:
                    return None
                pages = pages or kind in (b"response", b"resource")
                if position >= bounds[-1] + size:
                    bounds.append(position)
                position = handle.tell() + length
            if not pages:  # read whole, the file is rejected as no archive of pages
                return None
    return [(a, b) for a, b in itertools.pairwise([*bounds, total])] if len(bounds) > 1 else None


def _warc_member_after(handle: IO[bytes], offset: int, total: int) -> int | None:
    """The first gzip member at or after ``offset`` that starts a WARC record, or None."""
    position = offset
    while position < total:
        handle.seek(position)
        chunk = handle.read(1 << 20)
        found = chunk.find(_GZIP_MEMBER)
        while found >= 0:
            handle.seek(position + found)
            head = handle.read(1 << 16)
            try:
                expanded = zlib.decompressobj(31).decompress(head, 16)
            except zlib.error:
                expanded = b""
            if expanded.startswith(_WARC_START):
                return position + found
            found = chunk.find(_GZIP_MEMBER, found + 1)
        position += max(len(chunk) - len(_GZIP_MEMBER) + 1, 1)
    return None


@register_loader(
    "warc",
    extensions=(".warc",),
    sniff=lambda head: head.startswith(_WARC_START),
    claims=lambda head: head.startswith(_WARC_START),
    binary=True,
    description="Web archive (WARC: CC-NEWS, wget --warc-file, Browsertrix): one article per page captured",
    split=split_warc,
)
def load_warc(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    """Every HTML page a web archive captured, read as a saved page (:func:`page_records`), its
    address the record's target and its capture time ``fetched``; a capture that is no page
    (an image, a script, a redirect, an error) is a ``not_a_page`` reject. Requests, metadata
    and the archive's own information are no captures and are skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    index = records = 0
    with raw.open() as handle:
        try:
            for record in ArchiveIterator(handle, arc2warc=True):
                records += record.rec_type is not None
                if record.rec_type not in ("response", "resource"):
                    continue
                found = _warc_page(record, index, options)
                yield from found
                index += max(1, len(found))
        except ArchiveLoadFailed as exc:
            raise FileReject("invalid_warc", str(exc)) from exc
        except (OSError, EOFError, zlib.error) as exc:
            raise FileReject("corrupt_gzip", f"{type(exc).__name__}: {exc}") from exc
    if raw.piece is not None:  # the whole file was judged when it was cut
        return
    if records == 0:
        raise FileReject("invalid_warc", "no WARC record could be read")
    if index == 0:
        raise FileReject("no_records", "the archive holds no captured page")


def _warc_page(record: Any, index: int, options: IngestOptions) -> list[Record | Reject]:
    """What one capture of a web archive gives: its page's articles (numbered from ``index``), or a reject."""
    target = record.rec_headers.get_header("WARC-Target-URI") or ""
    captured = record.rec_headers.get_header("WARC-Date")
    status = record.http_headers.get_statuscode() if record.http_headers is not None else None
    kind = (
        (record.http_headers.get_header("Content-Type") if record.http_headers is not None else None)
        or record.rec_headers.get_header("Content-Type")
        or ""
    )
    if status not in (None, "200") or not kind.lower().startswith(_PAGE_TYPES):
        detail = f"{target}: HTTP {status or '-'}, {kind.split(';')[0] or 'no type'}"
        return [Reject("not_a_page", index, detail)]
    body = record.content_stream().read(options.max_file_bytes + 1)
    if len(body) > options.max_file_bytes:
        return [
            Reject("too_large", index, f"{target}: over {options.max_file_bytes} bytes (option ingest.max_file_mb)")
        ]
    declared = _CHARSET.search(kind)
    try:
        charset = declared.group(1) if declared else None
        page = decode_bytes(body, declared=charset, max_replacement_ratio=options.max_replacement_ratio).text
    except DecodeError as exc:
        return [Reject(exc.reason, index, f"{target}: {exc.detail}")]
    if not page.strip():
        return [Reject("empty_file", index, f"{target}: an empty page")]
    try:
        found = page_records(page, options)
    except FileReject as exc:
        return [Reject(exc.reason, index, f"{target}: {exc.detail}")]
    out: list[Record | Reject] = []
    for offset, item in enumerate(found):
        fields = dict(item.fields)
        if len(found) == 1 and target:
            fields.setdefault("url", target)
        if captured:
            fields.setdefault("fetched", captured)
        out.append(Record(fields, index=index + offset, defaults=item.defaults))
    return out


# --- RSS / Atom -------------------------------------------------------------------------------


def _sniff_feed(head: bytes) -> bool:
    start = head[:2048].lower()
    return b"<rss" in start or b"<feed" in start or b"<rdf:rdf" in start or _SITEMAP_ROOT.search(start) is not None


#: a sitemap's root element (sitemaps.org's `urlset`, or an index of sitemaps)
_SITEMAP_ROOT = re.compile(rb"<(?:[\w-]+:)?(?:urlset|sitemapindex)[\s>]", re.IGNORECASE)


def _sitemap_records(data: bytes) -> Iterator[Record]:
    """A news sitemap's articles (Google News's `news:` elements: title, publication date, the
    publication's name and language, keywords), one record per `<url>`; a sitemap whose addresses
    have no title (a site's plain sitemap, an index of sitemaps) lists pages to collect, no articles."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    except etree.XMLSyntaxError as exc:
        raise FileReject("invalid_feed", f"sitemap: {exc}") from exc
    if root is None:
        raise FileReject("invalid_feed", "sitemap: no XML element")
    items = [item for item in root if isinstance(item.tag, str) and etree.QName(item).localname == "url"]
    records = [_sitemap_record(item, index) for index, item in enumerate(items)]
    if not any("title" in record.fields for record in records):
        raise FileReject(
            "no_records",
            f"a sitemap of {len(items)} addresses without titles (a news sitemap's `news:title`): its pages "
            "are collected with `python -m analysis collect`",
        )
    yield from records


def _sitemap_record(item: Any, index: int) -> Record:
    found: dict[str, str] = {}
    for element in item.iter():
        if isinstance(element.tag, str) and element.text and element.text.strip():
            name = etree.QName(element)
            if not re.search(
                r"sitemap-(?:image|video)", name.namespace or ""
            ):  # (an image's title is not the article's)
                found.setdefault(name.localname, element.text.strip())
    fields = {
        "url": found.get("loc"),
        "title": found.get("title"),
        "published": found.get("publication_date"),
        "source": found.get("name"),
        "language": found.get("language"),
        "tags": [tag.strip() for tag in found.get("keywords", "").split(",") if tag.strip()],
    }
    return Record({k: v for k, v in fields.items() if v not in (None, "", [])}, index=index)


def _struct_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = value[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _has_words(value: str) -> bool:
    """Whether a feed's field holds any letter or digit once its markup is left out."""
    text = html_to_text(value) if looks_like_html(value) else value
    return any(char.isalnum() for char in text)


#: The prefixes a feed binds to the Media RSS namespace (`xmlns:media="http://search.yahoo.com/mrss/"`).
_MRSS_PREFIX = re.compile(rb"""xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']https?://search\.yahoo\.com/mrss/?["']""")


def _captions_apart(data: bytes) -> bytes:
    """A feed with its Media RSS descriptions renamed `caption` (without their attributes).

    feedparser reads `media:description`, an image's or a video's caption, as the entry's content,
    or as its summary when it comes before the entry's description: a newspaper's feed had each
    photo's caption as its articles' text. Renamed, it is the entry's ``media_caption``.
    """
    for prefix in dict.fromkeys(_MRSS_PREFIX.findall(data)):
        name = re.escape(prefix) + rb":description"
        data = re.sub(rb"<(/?)" + name + rb"\b[^>]*?(/?)>", rb"<\1" + prefix + rb":caption\2>", data)
    return data


@register_loader(
    "feed",
    extensions=(".rss", ".atom", ".xml", ".rdf"),
    sniff=_sniff_feed,
    claims=lambda head: head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" and _sniff_feed(head),
    description="RSS/Atom feed (feedparser): one article per entry; a news sitemap: one headline per address",
)
def load_feed(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    import feedparser

    data = raw.read_bytes()
    if not data.strip():
        raise FileReject("empty_file", "only whitespace")
    if _SITEMAP_ROOT.search(data[:4096]) and not re.search(rb"<(?:rss|feed|rdf:RDF)[\s>]", data[:4096]):
        yield from _sitemap_records(data)
        return
    parsed = feedparser.parse(_captions_apart(data), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        if parsed.bozo:
            raise FileReject("invalid_feed", str(parsed.get("bozo_exception", "not a feed")))
        raise FileReject("no_records", "feed has no entries")
    channel = parsed.feed
    defaults = {"source": channel.get("title"), "language": channel.get("language")}
    elsewhere = {"language": channel.get("language")}  # (an entry of another site: an alert's, a search's)
    site = channel.get("link") or ""
    # the site the feed is of: its page's link, else the feed's own address (an Atom feed may give
    # only `rel="self"`: Google Alerts')
    links = [ln.get("href") or "" for ln in channel.get("links") or []]
    home = next((h for h in [site, *links] if h.startswith(("http://", "https://"))), None)
    for index, entry in enumerate(parsed.entries):
        # its content (the full text), else its summary, else a Media RSS caption (a video feed's
        # only text): the first that holds words, not only markup (an image alone in
        # `content:encoded`, the standfirst in the description)
        fields_said = [c.get("value") for c in entry.get("content") or []]
        fields_said += [entry.get("summary"), entry.get("media_caption")]
        body = next((value for value in fields_said if isinstance(value, str) and _has_words(value)), None)
        # (FeedBurner's proxy link: the article's own is `feedburner:origLink`)
        link = entry.get("feedburner_origlink") or entry.get("link")
        # a link relative to the site (`/politique/x`) is read against the channel's link; a
        # redirector's (Google Alerts' `google.com/url?…&url=…`) is the address it leads to
        link = urljoin(site, link) if link and site.startswith(("http://", "https://")) else link
        link = unwrap_redirect(link) if isinstance(link, str) else link
        fields: dict[str, Any] = {
            "title": entry.get("title"),
            "text": body,
            "url": link,
            # (`dict.get`: feedparser's own `get` reads a missing `updated*` as `published*`, warning)
            "published": _struct_time(entry.get("published_parsed") or dict.get(entry, "updated_parsed")),
            "tags": [t.get("term") for t in entry.get("tags", []) if t.get("term")],
            "author": entry.get("author"),
            "record_id": entry.get("id"),
        }
        if entry.get("language"):
            fields["language"] = entry.get("language")
        # an aggregator's entry (Google News, Bing News) names its outlet (RSS's `<source>`), whose
        # name its title ends with (`Le Maroc et le Portugal ... - Le360`); its summary, the title
        # and that name again, is no text
        outlet = (entry.get("source") or {}).get("title")
        if isinstance(outlet, str) and outlet.strip():
            fields["source"] = outlet = outlet.strip()
            title = fields["title"]
            for dash in (" - ", " – ", " — ", " | "):
                if isinstance(title, str) and title.endswith(dash + outlet) and len(title) > len(dash + outlet):
                    fields["title"] = title[: -len(dash + outlet)].rstrip()
                    break
            if isinstance(body, str) and isinstance(title, str):
                said = " ".join(html_to_text(body).split())
                if said in {
                    " ".join(f"{headline} {name}".split())
                    for headline in (title, fields["title"])
                    for name in ("", outlet)
                }:
                    fields["text"] = None
        if fields["published"] is None and (entry.get("published") or dict.get(entry, "updated")):
            fields["published"] = entry.get("published") or dict.get(entry, "updated")
        # the feed's title names its site's entries only (an alert's, a search's or a digest's
        # entries are other sites': their outlets are their links' hosts, not the folder's name)
        own = _on_site(link, home)
        if not own and not fields.get("source"):
            fields["source"] = urlsplit(str(link)).hostname  # (the mapper writes a host as every site's name)
        yield Record(
            {k: v for k, v in fields.items() if v not in (None, "", [])},
            index=index,
            defaults=defaults if own else elsewhere,
        )


def _site_domain(url: str) -> str:
    """The domain a site is known by: the host's last two labels, three when the second last
    is a short second level (`bbc.co.uk`, `globo.com.br`)."""
    labels = (urlsplit(url).hostname or "").lower().split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


#: the query parameters in which a redirector (Google Alerts' and search's `google.com/url`,
#: Facebook's `l.php`, Bing News's `apiclick.aspx`, a share button's) carries the address it leads to
_REDIRECT_PARAMETERS = ("url", "u", "q", "target", "dest", "destination", "redirect", "redirect_url", "to", "link")


def unwrap_redirect(url: str) -> str:
    """The address a redirector's link leads to (`https://www.google.com/url?rct=j&url=https://
    www.lematin.ma/…&ct=ga`: the Le Matin article), else ``url``: a query parameter of
    :data:`_REDIRECT_PARAMETERS` holding an absolute address on another site."""
    for _ in range(3):
        parts = urlsplit(url)
        if not parts.query:
            return url
        found = next(
            (
                value
                for key, value in parse_qsl(parts.query)
                if key.lower() in _REDIRECT_PARAMETERS
                and value.startswith(("http://", "https://"))
                and _site_domain(value) != _site_domain(url)
            ),
            None,
        )
        if found is None:
            return url
        url = found
    return url


# --- Parquet ----------------------------------------------------------------------------------


@register_loader(
    "parquet",
    extensions=(".parquet", ".pq"),
    sniff=lambda head: head[:4] == b"PAR1",
    claims=lambda head: head[:4] == b"PAR1",
    binary=True,
    description="Parquet table, one article per row, read in batches",
)
def load_parquet(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    import pyarrow as pa

    from analysis.io.store import open_parquet

    try:
        parquet = open_parquet(raw.path) if not raw.compressed else open_parquet(pa.BufferReader(raw.read_bytes()))
    except (pa.ArrowInvalid, OSError) as exc:
        raise FileReject("invalid_parquet", str(exc)) from exc
    if parquet.metadata.num_rows == 0:
        raise FileReject("no_records", "table has no rows")
    index = 0
    for batch in parquet.iter_batches(batch_size=options.batch_size):
        for row in batch.to_pylist():
            yield Record(row, index=index)
            index += 1


# --- Markdown -----------------------------------------------------------------------------------


# (registered here, as every built-in loader is, though written in modules of their own: importing
# this module registers every built-in loader, in the workers too)
register_loader(
    "markdown",
    extensions=(".md", ".markdown"),
    description="Markdown: a web clipper's saved article (Obsidian Web Clipper, MarkDownload), front matter read",
)(load_markdown)
register_loader(
    "ris",
    extensions=(".ris",),
    sniff=sniff_ris,
    claims=sniff_ris,
    description="RIS: a reference manager's export (Zotero, Mendeley, EndNote), one article per reference",
)(load_ris)
register_loader(
    "eml",
    extensions=(".eml",),
    sniff=sniff_mail,
    description="E-mail (a newsletter, an alert, a press release saved by a mail client): one article",
)(load_eml)
register_loader(
    "mbox",
    extensions=(".mbox", ".mbx"),
    description="Mailbox (Thunderbird's folders, Gmail's Takeout): one article per message, read one at a time",
)(load_mbox)
