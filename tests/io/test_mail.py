"""E-mails and mailboxes (analysis.io.mail)."""

from __future__ import annotations

from email.message import EmailMessage

from analysis.config import IngestOptions
from tests.io.helpers import run, write


def _newsletter() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Le Monde <newsletter@lemonde.fr>"
    message["Subject"] = "La Matinale du Monde : le Maroc et l’Espagne signent un accord"
    message["Date"] = "Thu, 14 Mar 2024 07:15:00 +0100"
    message["Message-ID"] = "<abc123@lemonde.fr>"
    message.set_content("Bonjour,\n\nLe Maroc et l'Espagne ont signé jeudi un accord.\nFrom Rabat, the news.")
    message.add_alternative("<html><body><p>Bonjour,</p><p>Version HTML.</p></body></html>", subtype="html")
    return message


def _alert() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alerts@medias24.com"
    message["Subject"] = "=?utf-8?q?S=C3=A9cheresse_au_Maroc?="
    message["Date"] = "Fri, 15 Mar 2024 10:00:00 +0000"
    message.set_content("<style>p{color:red}</style><p>La <b>sécheresse</b> s'aggrave.</p>", subtype="html")
    return message


def test_an_e_mail_is_one_article(tmp_path, ingest_options: IngestOptions) -> None:
    """A saved e-mail (`.eml`) was `unsupported_format`: its subject is the title, its date the
    publication, its sender's name the source, its plain-text part the text."""
    df, rejects, _ = run(write(tmp_path / "matinale.eml", bytes(_newsletter())), tmp_path / "out", ingest_options)
    assert rejects == []
    row = df.iloc[0]
    assert row.title == "La Matinale du Monde : le Maroc et l’Espagne signent un accord"
    assert (row.source, row.record_id, row.raw_format) == ("Le Monde", "abc123@lemonde.fr", "eml")
    assert row.published.isoformat() == "2024-03-14T06:15:00+00:00"
    assert row.text.startswith("Bonjour,") and "Version HTML" not in row.text


def test_a_mailbox_is_one_article_per_message(tmp_path, ingest_options: IngestOptions) -> None:
    """A mailbox's messages, a `>From ` line of a body read back as `From `; an HTML-only message's
    text without its styles, an encoded subject decoded, a sender without a name its domain."""
    box = b"".join(
        b"From MAILER-DAEMON Thu Mar 14 09:15:00 2024\n" + bytes(m).replace(b"\nFrom ", b"\n>From ") + b"\n\n"
        for m in (_newsletter(), _alert())
    )
    df, rejects, stats = run(write(tmp_path / "Inbox.mbox", box), tmp_path / "out", ingest_options)
    assert rejects == [] and stats["records"]["read"] == 2
    first, second = df.iloc[0], df.iloc[1]
    assert "\nFrom Rabat, the news." in first.text
    assert (second.title, second.source, second.text) == (
        "Sécheresse au Maroc",
        "medias24.com",
        "La sécheresse s'aggrave.",
    )


def test_what_is_no_mail_is_a_reject(tmp_path, ingest_options: IngestOptions) -> None:
    df, rejects, _ = run(write(tmp_path / "a.eml", "Bonjour\n\nUn texte."), tmp_path / "o1", ingest_options)
    assert df.empty and [r["reason"] for r in rejects] == ["invalid_mail"]
    df, rejects, _ = run(write(tmp_path / "b.mbox", "Un texte.\n"), tmp_path / "o2", ingest_options)
    assert df.empty and [r["reason"] for r in rejects] == ["invalid_mail"]
    df, rejects, _ = run(write(tmp_path / "c.mbox", "\n"), tmp_path / "o3", ingest_options)
    assert df.empty and [r["reason"] for r in rejects] == ["empty_file"]
    box = "From MAILER-DAEMON Thu Mar 14 09:15:00 2024\n\n"
    df, rejects, _ = run(write(tmp_path / "d.mbox", box), tmp_path / "o4", ingest_options)
    assert df.empty and [r["reason"] for r in rejects] == ["no_records"]
