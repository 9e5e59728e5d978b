"""E-mails: a newsletter, an alert or a press release as a mail client saves it (``.eml``), or a
mailbox of them (``.mbox``: Thunderbird's folders, Gmail's Takeout export).

Each message is one record: its subject the title, its ``Date`` the publication, its sender's
name the source (``Le Monde <newsletter@lemonde.fr>``: ``Le Monde``; without a name, the
address's domain), its ``Message-ID`` the record's id, its ``Content-Language`` the language, and
its body the text: the plain-text part when the message has one, else its HTML part as text. A
mailbox is read one message at a time (messages start at a ``From `` line, as mbox files write
them), so its size does not matter.
"""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from analysis.config import IngestOptions
from analysis.io.registry import FileReject, RawFile, Record, Reject
from analysis.text import html_to_text

#: the line that opens a message in a mailbox (`From sender@example.org Thu Mar 14 09:15:00 2024`)
_MBOX_FROM = re.compile(rb"^From \S*.*\r?\n$")


def sniff_mail(head: bytes) -> bool:
    """A saved e-mail: its first lines are headers, among them `From:`, `Subject:` and `Date:` or
    `Message-ID:` (a mailbox: a `From ` line first)."""
    start = head[:8192]
    if _MBOX_FROM.match(start.split(b"\n", 1)[0] + b"\n"):
        start = start.split(b"\n", 1)[1] if b"\n" in start else b""
    block = start.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    names = {line.split(b":", 1)[0].strip().lower() for line in block.splitlines() if b":" in line[:40]}
    return {b"from", b"subject"} <= names and bool(names & {b"date", b"message-id", b"mime-version"})


def load_eml(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    data = raw.read_bytes()
    if not data.strip():
        raise FileReject("empty_file", "only whitespace")
    if not sniff_mail(data[:8192]):
        raise FileReject("invalid_mail", "no mail headers (`From:`, `Subject:`) at the top")
    yield _message_record(data, 0)


def load_mbox(raw: RawFile, options: IngestOptions) -> Iterator[Record | Reject]:
    """A mailbox's messages, one at a time; a ``>From `` line in a body is its ``From `` line."""
    index = -1
    lines: list[bytes] = []
    started = False
    with raw.open() as handle:
        for line in handle:
            if _MBOX_FROM.match(line) and (not lines or not lines[-1].strip()):
                if started and any(x.strip() for x in lines):
                    index += 1
                    yield _message_record(b"".join(lines), index)
                lines, started = [], True
                continue
            if not started:
                if line.strip():
                    raise FileReject("invalid_mail", "a mailbox whose first line is no `From ` line")
                continue
            lines.append(line[1:] if line.startswith(b">From ") else line)
    if started and any(x.strip() for x in lines):
        index += 1
        yield _message_record(b"".join(lines), index)
    if index < 0:
        raise (
            FileReject("no_records", "a mailbox without messages")
            if started
            else FileReject("empty_file", "only whitespace")
        )


def _message_record(data: bytes, index: int) -> Record:
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    name, address = parseaddr(str(message.get("From", "")))
    fields: dict[str, Any] = {
        "title": _header(message, "Subject"),
        "published": _header(message, "Date"),
        "source": name.strip() or (address.rsplit("@", 1)[-1] if "@" in address else None),
        "record_id": (_header(message, "Message-ID") or "").strip("<> ") or None,
        "language": _header(message, "Content-Language"),
        "text": _body(message),
    }
    return Record({k: v for k, v in fields.items() if v}, index=index)


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # (a header the parser cannot read)
        return None
    return " ".join(str(value).split()) if value is not None else None


def _body(message: EmailMessage) -> str | None:
    """The plain-text part, else the HTML part as text (without its styles and scripts)."""
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        if part is None:
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError, KeyError):  # (an unknown charset, a broken encoding)
            payload = part.get_payload(decode=True)
            content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        if not isinstance(content, str) or not content.strip():
            continue
        return html_to_text(content) if kind == "html" else content.strip()
    return None
