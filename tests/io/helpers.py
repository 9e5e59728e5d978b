"""Small helpers for ingest tests: write files, run an ingest, read its three outputs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.config import IngestOptions
from analysis.io import ARTICLES_FILE, REJECTS_FILE, STATS_FILE, CliMetadata, Ingestor, read_articles


def write(path: Path, content: str | bytes, *, gz: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if gz:
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path


def run(
    inputs: list[Path] | Path,
    out: Path,
    options: IngestOptions,
    *,
    cli: CliMetadata | None = None,
    forced_format: str | None = None,
    root: Path | None = None,
) -> tuple[pd.DataFrame, list[dict[str, Any]], dict[str, Any]]:
    items = inputs if isinstance(inputs, list) else [inputs]
    Ingestor(options, project_root=root, cli=cli, forced_format=forced_format).run(items, out)
    articles = read_articles(out / ARTICLES_FILE)
    rejects = [json.loads(line) for line in (out / REJECTS_FILE).read_text(encoding="utf-8").splitlines()]
    stats = json.loads((out / STATS_FILE).read_text(encoding="utf-8"))
    return articles, rejects, stats


def row(df: pd.DataFrame, **match: Any) -> pd.Series:
    """The one row whose columns equal the given values."""
    mask = pd.Series(True, index=df.index)
    for key, value in match.items():
        mask &= df[key] == value
    found = df[mask]
    assert len(found) == 1, f"{len(found)} rows match {match}"
    return found.iloc[0]


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A PDF whose pages hold these lines (Helvetica, in WinAnsi: Latin text), as its text layer."""
    pages_at = [4 + 2 * i for i in range(len(pages))]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in pages_at)}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for at, lines in zip(pages_at, pages, strict=True):
        shown = [
            b"("
            + b"".join(
                b"\\" + bytes([c]) if c in b"\\()" else bytes([c]) if 32 <= c < 127 else b"\\%03o" % c
                for c in line.encode("cp1252")
            )
            + b") Tj T*"
            for line in lines
        ]
        stream = b"\n".join([b"BT /F1 10 Tf 12 TL 50 800 Td", *shown, b"ET"])
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (at + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def rtf_bytes(text: str) -> bytes:
    """An RTF document of one paragraph per line, as Word or Factiva writes it: accented letters
    as code-page escapes, other characters as Unicode escapes."""

    def escape_char(char: str) -> str:
        if char in "\\{}":
            return "\\" + char
        if ord(char) < 128:
            return char
        try:
            return f"\\'{char.encode('cp1252')[0]:02x}"
        except UnicodeEncodeError:
            return f"\\u{ord(char)}?"

    paragraphs = "".join("{\\pard " + "".join(map(escape_char, line)) + "\\par}\n" for line in text.splitlines())
    header = "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}{\\*\\generator Factiva;}\n"
    return (header + paragraphs + "}").encode("ascii")


def docx_bytes(paragraphs: list[str], table: tuple[str, ...] | list[str] = ()) -> bytes:
    """A minimal Word document: one paragraph per item (and a table of one row of cells), its
    parts dated alike whenever it is made."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs)
    if table:
        cells = "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in table)
        body += f"<w:tbl><w:tr>{cells}</w:tr></w:tbl>"
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("[Content_Types].xml", types), ("word/document.xml", document)):
            archive.writestr(zipfile.ZipInfo(name, (2026, 12, 3, 9, 0, 0)), data)
    return out.getvalue()
