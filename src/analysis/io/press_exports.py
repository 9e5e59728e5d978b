"""Press databases' exports as text: Nexis (Nexis Uni, LexisNexis Academic), Factiva and Europresse.

Researchers get most of their press from these databases, exported as one Word or text file of up
to hundreds of articles, each a run of lines whose place, not any markup, says what it is: the
headline, the outlet, the date, ``Key: value`` lines, the body, more keys. :func:`split_export`
recognises the three layouts by the lines that close or open each article and gives one field
mapping per article (the names are the mapper's usual ones); any other text gives ``None``.

* **Nexis Uni** (Word, the ``.docx`` download): a cover page (the user, the search, the list of
  titles), then per article its headline, the outlet, the date (``December 2, 2026 Wednesday``),
  a copyright line, ``Section:``/``Length:``/``Byline:``/``Dateline:`` lines, ``Body``, the
  paragraphs, ``Classification`` with ``Language:``, ``Subject:``, ``Load-Date:``..., and
  ``End of Document``.
* **LexisNexis Academic** (``.txt``): ``1 of 100 DOCUMENTS`` opens each article, then the outlet,
  the date, the headline, upper-case ``BYLINE:``/``SECTION:``/``LENGTH:`` lines, the body, then
  ``LOAD-DATE:``, ``LANGUAGE:``...
* **Factiva** (``.txt``, or a ``.docx`` saved from its ``.rtf``): per article the section and
  headline, the byline, ``532 words``, the date, the time, the outlet, its code, the language, the
  copyright, the body, and ``Document LEMOND0020261202ekc20001a`` closing it (the record id).
* **Europresse** (its PDF, or the text copied from it or from its print view): per article the
  outlet, a line with the section, the date, the number of words and the page (``International,
  mercredi 2 décembre 2026 812 mots, p. 4``), the headline, [a standfirst], [the author], the body,
  the copyright, the licence's notice (``Le présent document est protégé...``, ``Certificat émis le
  ... à des fins de visualisation personnelle et temporaire``) and the document's name closing it
  (``news·20261202·LM·4785521``, the record id). A text without the names is cut after each
  certificate line.

The words that mark each part are lists below, in the languages the databases' interfaces use; a
layout the lines do not fit is left to the caller (one article per file, as before).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from analysis.dates import is_weekday, parse_datetime

_NEXIS_END = re.compile(r"^\s*(?:End of Document|Fin du document|Ende des Dokuments|Fin del documento)\s*$", re.I)
_ACADEMIC_START = re.compile(
    r"^\s*(?:\d+ of \d+ DOCUMENTS?|Document \d+ (?:de|sur) \d+|Dokument \d+ von \d+|Documento \d+ de \d+)\s*$", re.I
)
_FACTIVA_END = re.compile(r"^\s*(?:Document|Dokument|Documento)\s+(?P<id>[A-Za-z0-9]{16,40})\s*$")
#: a Nexis header's ``Key: value`` lines before the body (English, French, German, Spanish)
_NEXIS_HEAD = re.compile(
    r"^\s*(?P<key>Section|Length|Byline|Dateline|Highlight|Edition|Author|Rubrique|Longueur|Signature|Auteur"
    r"|Ressort|Länge|Autor|Sección|Longitud|Pg\.)\s*:\s*(?P<value>.*)$",
    re.I,
)
#: the keys after a Nexis body (``Classification`` opens them in Nexis Uni)
_NEXIS_TAIL = re.compile(
    r"^\s*(?P<key>Load-Date|Language|Publication-Type|Journal-Code|Journal Code|Subject|Geographic|Industry|Person"
    r"|Organization|Company|Ticker|Document-Type|Graphic|Notes|Correction|Correction-Date|Date de chargement"
    r"|Langue|Type de publication|Sujet|Géographique|Sprache|Idioma|Ladedatum|Publikationstyp|Dokumenttyp|Thema"
    r"|Geografisch|Branche|Fecha de carga|Tipo de publicación|Tema|Geográfico|Sector)\s*:\s*(?P<value>.*)$",
    re.I,
)
_NEXIS_BODY = re.compile(r"^\s*(?:Body|Corps|Corps du texte|Text|Texte|Cuerpo)\s*$", re.I)
_NEXIS_CLASSIFICATION = re.compile(r"^\s*(?:Classification|Klassifikation|Clasificación)\s*$", re.I)
_COPYRIGHT = re.compile(r"^\s*(?:Copyright|\(c\)|©)", re.I)
_WORD_COUNT = re.compile(r"^\s*\d[\d,.\u00a0 ]*\s+(?:words|mots|Wörter|palabras|parole|palavras|woorden)\s*$", re.I)
_CLOCK_LINE = re.compile(r"^\s*\d{1,2}[:h.]\d\d(?:\s*(?:[AP]M|GMT|UTC|[A-Z]{2,4}))?\s*$", re.I)
_SOURCE_CODE = re.compile(r"^\s*[A-Z0-9]{3,10}\s*$")
_BYLINE = re.compile(r"^\s*(?:By|Par|Von|Por|Di|Door)\s+\S", re.I)
_BYLINE_WORD = re.compile(r"^\s*(?:By|Par|Von|Por|Di|Door)\s+", re.I)
#: the words of an author's role (``Political correspondent``, ``Staff Writer``, ``journaliste``),
#: as alternatives of a pattern (the record fields' authors read them too: analysis.io.authors)
ROLE_WORDS = (
    r"correspondent|correspondante?|reporter|editor|writer|columnist|staff|contributor|intern"
    r"|envoyée?s? spéciale?s?|journaliste|rédact(?:eur|rice)|chroniqueur|chroniqueuse|éditorialiste"
    r"|stagiaire|pigiste|Korrespondent(?:in)?|Redakteur(?:in)?|corresponsal|enviad[oa] especial"
    r"|redactor[a]?|periodista|jornalista|repórter|giornalista|inviat[oa]|journalist"
)
#: a byline's trailing part that is the author's role or place, not a name (``Sarah Okafor,
#: Political correspondent``, ``…, in Nairobi``)
_ROLE = re.compile(rf"\b(?:{ROLE_WORDS}|in |à |en |aus |de notre)\b", re.I)
#: a page number in a section's value (``INTERNATIONAL; Pg. 4``)
_PAGE = re.compile(r"[;,]?\s*(?:Pg\.|p\.|S\.|Page|Seite)\s*[A-Z]?\d+\b.*$", re.I)
_PERCENT = re.compile(r"\s*\(\d+%\)\s*")
#: Factiva's coded fields (its "with indexing" format): a code alone or before its value
_FACTIVA_CODE = re.compile(
    r"^\s*(?P<code>SE|HD|BY|CR|WC|PD|ET|SN|SC|ED|PG|LA|CY|LP|TD|CT|RF|CO|IN|NS|RE|IPC|IPD|PUB|AN)(?:\s+(?P<value>.*))?$"
)


#: Europresse's document name closing an article (its middle dots may come out of a PDF as bullets),
#: the certificate (for a viewing) and notice of the licence that printed it (the interface's
#: French, English, German and Spanish), and the header line with the number of words
_EUROPRESSE_END = re.compile(r"^\s*(?P<id>[a-z]{2,12}[·•]\d{8}[·•][\w·•.-]+)\s*$")
_EUROPRESSE_CERTIFICATE = re.compile(
    r"^\s*(?:Certificat émis le|Certificate issued on|Zertifikat ausgestellt am|Certificado emitido el)\b"
    r".*\b(?:visualisation|viewing|Ansicht|visualización)\b",
    re.I,
)
_EUROPRESSE_NOTICE = re.compile(
    r"^\s*(?:Le présent document est protégé|This document is protected|Dieses Dokument ist"
    r"|El presente documento está protegido|Cet article est paru dans|This article appeared in)",
    re.I,
)
#: the notes on the source Europresse adds to an article (a label line, then its value, or both on
#: one line), in its interface's French, English, German and Spanish; ``Provenance`` ends with the
#: outlet's country
_EUROPRESSE_NOTES = re.compile(
    r"^\s*(?P<label>Nom de la source|Type de source|Périodicité|Couverture géographique|Provenance|Source name"
    r"|Source type|Periodicity|Frequency|Geographic(?:al)? coverage|Origin|Name der Quelle|Quellentyp|Erscheinungsweise"
    r"|Geografische Abdeckung|Herkunft|Nombre de la fuente|Tipo de fuente|Periodicidad|Cobertura geográfica"
    r"|Procedencia)(?:\s*:\s*(?P<value>.+?))?\s*$",
    re.I,
)
_EUROPRESSE_ORIGIN = ("provenance", "origin", "herkunft", "procedencia")
_EUROPRESSE_COUNT = re.compile(
    r"\s*(?<!\d)(?P<words>\d{1,3}(?:[\u00a0 .]\d{3})+|\d+)\s+(?:mots|words|Wörter|palabras)\b"
    r"(?:\s*,?\s*(?:p\.|S\.|pág\.)\s*\S+)?\s*$",
    re.I,
)

#: a word every marker above holds (``End of Document``, ``1 of 100 DOCUMENTS``, ``Dokument``,
#: ``Documento``, ``Le présent document``; Europresse's ``Certificat``, ``news·``): a text without
#: it is no export, and its lines need not be read
_MARKER_WORD = re.compile(r"do[ck]ument|certifica|[a-z]{2,12}[·•]\d{8}[·•]", re.I)


#: a marker closing an article, standing alone between tags of an HTML page (Factiva's HTML export,
#: a database's print view saved as a page): a page without one is no export read by its lines
_PAGE_MARKER = re.compile(
    r">\s*(?:(?:Document|Dokument|Documento)\s+[A-Za-z0-9]{16,40}|End of Document|Fin du document"
    r"|Ende des Dokuments|Fin del documento|[a-z]{2,12}[·•]\d{8}[·•][\w·•.-]+)\s*<"
)


def marked_page(page: str) -> bool:
    """Whether an HTML page holds a press database's article markers, each alone in its element."""
    return _PAGE_MARKER.search(page) is not None


def split_export(text: str) -> list[dict[str, Any]] | None:
    """One field mapping per article of a Nexis or Factiva export; ``None`` for any other text
    (or when its markers hold no article)."""
    if not _MARKER_WORD.search(text):
        return None
    lines = text.splitlines()
    found: list[dict[str, Any]] = []
    if any(_NEXIS_END.match(line) for line in lines):
        found = _nexis(lines, classic=False)
    elif _ACADEMIC_START.match(_first(lines)):
        found = _nexis(lines, classic=True)
    elif any(_FACTIVA_END.match(line) for line in lines) and any(_WORD_COUNT.match(line) for line in lines):
        found = _factiva(lines)
    elif any(_EUROPRESSE_END.match(line) or _EUROPRESSE_CERTIFICATE.match(line) for line in lines):
        found = _europresse(lines)
    return found or None


def byline_name(value: str) -> str:
    """An author line as the name(s) alone: without ``By``/``Par``/``Von``/``Por`` before it, nor a
    role (``, Political correspondent``) or a single place (``, Genève``) after a comma."""
    name = " ".join(_BYLINE_WORD.sub("", value).split())
    head, comma, tail = name.rpartition(",")
    if comma and len(head.split()) >= 2 and (_ROLE.search(tail + " ") or len(tail.split()) == 1):
        name = head.strip()
    return name


def _first(lines: Sequence[str]) -> str:
    return next((line for line in lines if line.strip()), "")


def _chunks(lines: Sequence[str], marker: re.Pattern[str], *, closes: bool) -> list[list[str]]:
    """The runs of lines between markers: each ends at one (``closes``) or starts after one."""
    chunks: list[list[str]] = [[]]
    for line in lines:
        if marker.match(line):
            chunks.append([])
            continue
        chunks[-1].append(line)
    if closes:
        return [c for c in chunks[:-1] if any(x.strip() for x in c)]  # what follows the last end is no article
    return [c for c in chunks[1:] if any(x.strip() for x in c)]  # what precedes the first start neither


def _clean(lines: Sequence[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


def _language(value: str) -> str:
    return value.split(";")[0].strip().capitalize()


def _tags(value: str) -> list[str]:
    return [tag for part in value.split(";") if (tag := _PERCENT.sub(" ", part).strip().strip(".").strip())]


def _is_date(line: str) -> bool:
    return len(line) <= 80 and parse_datetime(line) is not None


def _nexis(lines: Sequence[str], *, classic: bool) -> list[dict[str, Any]]:
    """Nexis Uni's articles (each closed by its marker) or the classic ones (each opened by its own)."""
    marker = _ACADEMIC_START if classic else _NEXIS_END
    found = (_nexis_article(_clean(chunk), classic=classic) for chunk in _chunks(lines, marker, closes=not classic))
    return [record for record in found if record is not None]


def _nexis_article(lines: list[str], *, classic: bool) -> dict[str, Any] | None:
    """One Nexis article: its header, the keys before the body, the body, the keys after it.

    The header is Nexis Uni's ``[cover page...] headline, outlet, date`` or the classic ``outlet,
    date, [edition], headline``; it ends at the first key or ``Body`` line, else after the date
    (and, classic, the headline after it).
    """
    body_at = next((i for i, line in enumerate(lines) if _NEXIS_BODY.match(line)), None)
    first_key = next((i for i, line in enumerate(lines) if _NEXIS_HEAD.match(line)), None)
    if body_at is None and first_key is None:
        dated = next((i for i, line in enumerate(lines) if _is_date(line)), None)
        if dated is None:
            return None
        header_end = dated + (2 if classic else 1)
        while header_end < len(lines) and _COPYRIGHT.match(lines[header_end]):
            header_end += 1
    else:
        header_end = min(i for i in (body_at, first_key) if i is not None)
    fields: dict[str, Any] = {}
    position = header_end
    while position < len(lines):
        key = _NEXIS_HEAD.match(lines[position])
        if key:
            _head_key(fields, key["key"], key["value"])
        elif not _NEXIS_BODY.match(lines[position]):
            break
        position += 1
    body: list[str] = []
    in_tail = False
    for line in lines[position:]:
        tail = _NEXIS_TAIL.match(line)
        if tail:
            _tail_key(fields, tail["key"], tail["value"])
        head = _NEXIS_HEAD.match(line) if not tail else None
        if head and head["key"].lower() in _AUTHOR_KEYS:  # a byline after the body, where some sources put it
            _head_key(fields, head["key"], head["value"])
            continue
        in_tail = in_tail or bool(tail) or bool(_NEXIS_CLASSIFICATION.match(line))
        if not in_tail:
            body.append(line)
    header = [line for line in lines[:header_end] if not _COPYRIGHT.match(line)]
    dates = [i for i, line in enumerate(header) if _is_date(line)]
    if classic and dates:
        at = dates[0]
        fields["published"] = header[at]
        if at > 0:
            fields["source"] = header[at - 1]
        if header[at + 1 :]:
            fields["title"] = header[-1]
    elif dates:
        at = dates[-1]
        fields["published"] = header[at]
        if at >= 2:
            fields["source"], fields["title"] = header[at - 1], header[at - 2]
        elif at == 1:
            fields["title"] = header[0]
    elif len(header) >= 2 and not classic:  # Nexis Uni's headline and outlet, without their date
        fields["title"], fields["source"] = header[-2], header[-1]
    elif header:
        fields["title"] = header[-1]
    load_date = fields.pop("load_date", None)
    if "published" not in fields and load_date:
        fields["published"] = load_date
    fields["text"] = "\n".join(body)
    if not fields["text"] and not fields.get("title"):
        return None
    return fields


_AUTHOR_KEYS = ("byline", "author", "signature", "auteur", "autor")


def _head_key(fields: dict[str, Any], key: str, value: str) -> None:
    key = key.lower()
    if key in _AUTHOR_KEYS:
        fields.setdefault("author", byline_name(value))
    elif key in ("section", "rubrique", "ressort", "sección"):
        fields.setdefault("section", _PAGE.sub("", value).strip(" ;,"))
    elif key == "dateline":
        fields.setdefault("dateline", value.strip())


def _tail_key(fields: dict[str, Any], key: str, value: str) -> None:
    key = key.lower()
    if key in ("load-date", "date de chargement", "ladedatum", "fecha de carga"):
        fields.setdefault("load_date", value.strip())
    elif key in ("language", "langue", "sprache", "idioma"):
        fields.setdefault("language", _language(value))
    elif key in ("subject", "sujet", "thema", "tema"):
        fields.setdefault("tags", _tags(value))


def _factiva(lines: Sequence[str]) -> list[dict[str, Any]]:
    out = []
    chunks: list[tuple[list[str], str]] = []
    current: list[str] = []
    for line in lines:
        end = _FACTIVA_END.match(line)
        if end:
            chunks.append((current, end["id"]))
            current = []
        else:
            current.append(line)
    for chunk, record_id in chunks:
        clean = _clean(chunk)
        record = _factiva_coded(clean) if _coded(clean) else _factiva_article(clean)
        if record is not None:
            record["record_id"] = record_id
            out.append(record)
    return out


def _coded(lines: list[str]) -> bool:
    codes = {m["code"] for line in lines if (m := _FACTIVA_CODE.match(line))}
    return {"HD", "PD", "SN"} <= codes or {"HD", "TD"} <= codes


def _factiva_coded(lines: list[str]) -> dict[str, Any] | None:
    values: dict[str, list[str]] = {}
    code = None
    for line in lines:
        match = _FACTIVA_CODE.match(line)
        if match:
            code = match["code"]
            if match["value"]:
                values.setdefault(code, []).append(match["value"].strip())
            continue
        if code is not None:
            values.setdefault(code, []).append(line)
    fields: dict[str, Any] = {}
    if "HD" in values:
        fields["title"] = " ".join(values["HD"])
    if "BY" in values:
        fields["author"] = " ".join(values["BY"])
    if "PD" in values:
        fields["published"] = " ".join(values["PD"] + values.get("ET", []))
    if "SN" in values:
        fields["source"] = " ".join(values["SN"])
    if "LA" in values:
        fields["language"] = _language(" ".join(values["LA"]))
    if "SE" in values:
        fields["section"] = " ".join(values["SE"])
    fields["text"] = "\n".join(values.get("LP", []) + values.get("TD", []))
    if not fields["text"] and not fields.get("title"):
        return None
    return fields


def _factiva_article(lines: list[str]) -> dict[str, Any] | None:
    """Factiva's article format: [section] headline [byline], ``N words``, date, [time], outlet, its
    code, language, copyright, body."""
    count_at = next((i for i, line in enumerate(lines) if _WORD_COUNT.match(line)), None)
    if count_at is None:
        return None
    fields: dict[str, Any] = {}
    head = lines[:count_at]
    if head and (_BYLINE.match(head[-1]) or (len(head) >= 2 and _looks_like_names(head[-1]))):
        fields["author"] = byline_name(head[-1])
        head = head[:-1]
    if head:
        fields["title"] = head[-1]
        if len(head) >= 2:
            fields["section"] = head[-2]
    position = count_at + 1
    if position < len(lines) and _is_date(lines[position]):
        fields["published"] = lines[position]
        position += 1
        if position < len(lines) and _CLOCK_LINE.match(lines[position]):
            fields["published"] += " " + lines[position]
            position += 1
    if position < len(lines) and not _COPYRIGHT.match(lines[position]):
        fields["source"] = lines[position]
        position += 1
    if position < len(lines) and _SOURCE_CODE.match(lines[position]):
        position += 1
    # the edition and page lines (``D2``, ``8``) a paper's entry may have before the language, which
    # stands just above the copyright line
    copyright_at = next((i for i in range(position, min(position + 5, len(lines))) if _COPYRIGHT.match(lines[i])), None)
    if copyright_at is not None and copyright_at > position and len(lines[copyright_at - 1].split()) <= 2:
        fields["language"] = _language(lines[copyright_at - 1])
        position = copyright_at
    elif position < len(lines) and len(lines[position].split()) <= 2 and not _COPYRIGHT.match(lines[position]):
        fields["language"] = _language(lines[position])
        position += 1
    if position < len(lines) and _COPYRIGHT.match(lines[position]):
        position += 1
    body = lines[position:]
    if "author" not in fields:
        body = signed(fields, body)
    fields["text"] = "\n".join(body)
    if not fields["text"] and not fields.get("title"):
        return None
    return fields


#: the small words of a byline: conjunctions between names, and the particles of names (`Olivier
#: Van den Bossche`, `Ursula von der Leyen`, `Rita da Costa`, `Ahmed bin Salem`)
_NAME_PARTICLES = frozenset(
    "and et und y e de".split() + "van den der von zu da di du des del della la le al el bin ben ibn ter ten".split()
)


def _looks_like_names(line: str) -> bool:
    """A byline without ``By``: a few capitalised words (and ``and``, ``et``, a name's particles,
    commas), no end punctuation."""
    words = [w for w in re.split(r"[\s,]+", line) if w]
    names = [w for w in words if w.lower() not in _NAME_PARTICLES]
    return (
        1 < len(names) <= 6
        and len(words) <= 9
        and all(w[:1].isupper() for w in names)
        and not line.rstrip().endswith((".", "?", "!"))
    )


def _europresse(lines: Sequence[str]) -> list[dict[str, Any]]:
    """Europresse's articles, each closed by its document name, else by its certificate line."""
    named = any(_EUROPRESSE_END.match(line) for line in lines)
    chunks: list[tuple[list[str], str | None]] = []
    current: list[str] = []
    for line in lines:
        end = _EUROPRESSE_END.match(line) if named else None
        if end or (not named and _EUROPRESSE_CERTIFICATE.match(line)):
            chunks.append((current, end["id"] if end else None))
            current = []
        else:
            current.append(line)
    out = []
    for chunk, record_id in chunks:
        record = _europresse_article(_clean(chunk))
        if record is not None:
            if record_id:
                record["record_id"] = record_id
            out.append(record)
    return out


def _europresse_article(lines: list[str]) -> dict[str, Any] | None:
    """One Europresse article: outlet, ``[section, ]date N mots[, p. X]``, headline, [standfirst],
    [author], body; then the copyright and the licence's lines, left out."""
    fields: dict[str, Any] = {}
    # the certificate (its line cut in a PDF) and what follows it end the article
    certified = next((i for i, line in enumerate(lines) if _EUROPRESSE_CERTIFICATE.match(line)), None)
    if certified is not None:
        lines = lines[:certified]
    lines = _source_notes(fields, lines)
    while lines and (_EUROPRESSE_NOTICE.match(lines[-1]) or _COPYRIGHT.match(lines[-1])):
        lines = lines[:-1]
    lines = [line for line in lines if not _EUROPRESSE_NOTICE.match(line)]
    # the header line: the last with a number of words before the first paragraph (a cover page
    # may list its documents with theirs), else the first with one
    prose = next((i for i, line in enumerate(lines) if len(line) > 200), len(lines))
    counted = [i for i, line in enumerate(lines) if _EUROPRESSE_COUNT.search(line)]
    dated = max((i for i in counted if i < prose), default=counted[0] if counted else None)
    if dated is None:
        dated = next((i for i, line in enumerate(lines[:4]) if _is_date(line)), None)
    if dated is None or dated + 1 >= len(lines):
        return None
    # what stands above the outlet's line is the file's cover page (the list of its documents)
    lines, dated = lines[max(dated - 1, 0) :], min(dated, 1)
    if dated >= 1:
        fields["source"] = lines[dated - 1]
    head = _EUROPRESSE_COUNT.sub("", lines[dated]).strip(" ,")
    section, _, rest = head.partition(", ")
    if rest and not is_weekday(section) and parse_datetime(rest) is not None and parse_datetime(section) is None:
        fields["section"], fields["published"] = section, rest
    elif head:
        fields["published"] = head
    fields["title"] = lines[dated + 1]
    body = lines[dated + 2 :]
    # the author: a line of names among the two after the headline (a standfirst may come first)
    for at in range(min(2, len(body) - 1)):
        if _BYLINE.match(body[at]) or _looks_like_names(body[at]):
            fields["author"] = byline_name(body[at])
            body = body[:at] + body[at + 1 :]
            break
    if "author" not in fields:
        body = signed(fields, body)
    fields["text"] = "\n".join(body)
    return fields


def _source_notes(fields: dict[str, Any], lines: list[str]) -> list[str]:
    """The lines without Europresse's notes on the source (from the first label of two found
    among the last lines on); ``Provenance``'s last part is the outlet's country (``source_country``)."""
    labelled = [i for i, line in enumerate(lines) if i >= len(lines) - 16 and _EUROPRESSE_NOTES.match(line)]
    if len(labelled) < 2:
        return lines
    for at in labelled:
        match = _EUROPRESSE_NOTES.match(lines[at])
        assert match is not None
        if match["label"].lower() in _EUROPRESSE_ORIGIN:
            value = match["value"] or (lines[at + 1] if at + 1 < len(lines) else "")
            if value:
                fields["source_country"] = value.rsplit(",", 1)[-1].strip()
    return lines[: labelled[0]]


#: words of a last line that credit a source or a picture, not a person (``Avec AFP``, ``Photo Reuters``)
_CREDIT_WORDS = frozenset(
    "avec with mit con photo photos source sources lire read voir see crédit credit agence agency afp reuters ap"
    " dpa efe ansa belga ats apa anp upi xinhua lusa rédaction redaktion redacción newsroom staff"
    " le la les the der die das el los las il".split()  # an outlet's name (`Le Monde`), not a person's
)


def _signature(line: str) -> bool:
    """A line of two to five names, none crediting an agency or a picture, nor an outlet's name."""
    words = [w for w in re.split(r"[\s,]+", line) if w and w.lower() not in ("and", "et", "und", "y", "e", "de")]
    return 1 < len(words) <= 5 and _looks_like_names(line) and not any(w.lower() in _CREDIT_WORDS for w in words)


def signed(fields: dict[str, Any], body: list[str]) -> list[str]:
    """The body without its last line when that is the author's signature (a line of names after
    the last paragraph), which then is the ``author``."""
    if len(body) >= 2 and _signature(body[-1]):
        fields["author"] = byline_name(body[-1])
        return body[:-1]
    return body
