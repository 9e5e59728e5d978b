"""Archives (.zip, .tar, .tar.gz...) read as folders: every member a file, every problem a reject."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import IngestOptions
from analysis.io import Ingestor
from analysis.io.archives import _zip_name, archive_suffix, safe_name
from tests.conftest import output_bytes
from tests.io.helpers import run, write

NOW = datetime(2025, 6, 1, tzinfo=UTC)
COLUMNS = ["title", "text", "source", "source_country", "published", "tags", "url"]


def _folder(root: Path) -> Path:
    """A small corpus of several formats, with metadata files inside."""
    write(root / "lemonde" / "2024" / "03" / "05" / "a.txt", "Le port de Tanger\n\nLe Maroc agrandit son port.\n")
    write(root / "lemonde" / "2024" / "03" / "05" / "a.txt.meta.json", '{"url": "https://lemonde.fr/a"}')
    lines = [
        json.dumps({"title": f"Titre {i}", "text": f"La Tunisie et l'Algérie, dépêche {i}.", "date": "2024-03-0{i}"})
        for i in range(1, 4)
    ]
    write(root / "agence" / "depeches.jsonl", "\n".join(lines) + "\n")
    write(root / "agence" / "_meta.json", '{"source": "Agence", "source_country": "SN"}')
    write(root / "flux.csv", "title,text,date\nUn titre,Le Sénégal et le Mali signent.,2024-04-01\n")
    write(root / "README.md", "not an article")
    return root


def _zip(folder: Path, target: Path, *, prefix: str = "") -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def _tar(folder: Path, target: Path, mode: str = "w:gz") -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(target, mode) as archive:  # type: ignore[call-overload]
        for path in sorted(folder.rglob("*"), reverse=True):  # not the walk's order
            archive.add(path, path.relative_to(folder).as_posix(), recursive=False)
    return target


def _ingest(inputs: list[Path], out: Path, options: IngestOptions, **kwargs: object) -> Ingestor:
    ingestor = Ingestor(options, now=NOW)
    ingestor.run(inputs, out, **kwargs)  # type: ignore[arg-type]
    return ingestor


def _rows(df: pd.DataFrame) -> list[dict[str, object]]:
    return df[COLUMNS].astype(str).to_dict("records")


@pytest.mark.parametrize("kind", ["zip", "tar.gz", "tar", "tar.bz2", "tar.xz"])
def test_an_archive_loads_as_the_folder_it_holds(tmp_path: Path, ingest_options: IngestOptions, kind: str) -> None:
    folder = _folder(tmp_path / "plain" / "corpus")
    target = tmp_path / "raw" / f"corpus.{kind}"
    if kind == "zip":
        _zip(folder, target)
    else:
        _tar(folder, target, "w" if kind == "tar" else f"w:{kind.split('.')[1]}")
    # the archive's members are as the files of a folder named as it (`corpus/flux.csv`: source `corpus`)
    plain, plain_rejects, plain_stats = run(folder.parent, tmp_path / "plain-out", ingest_options)
    packed, rejects, stats = run(tmp_path / "raw", tmp_path / "packed", ingest_options, root=tmp_path)

    # the same articles, metadata files and path metadata (`lemonde/2024/03/05`) included
    assert _rows(packed) == _rows(plain) and len(packed) == 5
    assert packed["source"].tolist() == ["corpus"] + ["Agence"] * 3 + ["lemonde"]
    assert packed["published"].iloc[4] == pd.Timestamp("2024-03-05", tz="UTC")
    assert packed["url"].iloc[4] == "https://lemonde.fr/a"
    # each member named after the archive
    assert sorted(packed["raw_path"]) == sorted(
        f"raw/corpus.{kind}/{p}" for p in ("agence/depeches.jsonl",) * 3 + ("flux.csv", "lemonde/2024/03/05/a.txt")
    )
    assert rejects == plain_rejects == []
    assert stats["files"] == {**plain_stats["files"], "archives": 1}
    assert stats["files"]["ignored"] == 1 and stats["files"]["metadata"] == 2
    assert not list((tmp_path / "packed").glob(".archives*"))  # unpacked for the run only


def test_metadata_around_an_archive_applies_to_its_members(tmp_path: Path, ingest_options: IngestOptions) -> None:
    folder = tmp_path / "corpus"
    write(folder / "a.json", json.dumps({"title": "Un", "text": "Le Maroc exporte des agrumes vers l'Europe."}))
    write(folder / "inner" / "_meta.json", '{"source": "Inner"}')
    write(folder / "inner" / "b.json", json.dumps({"title": "Deux", "text": "La Tunisie accueille un sommet."}))
    raw = tmp_path / "raw"
    _zip(folder, raw / "press" / "bundle.zip")
    write(raw / "_meta.json", '{"source_country": "MA", "language": "fr"}')
    write(raw / "press" / "_meta.json", '{"source": "Outer"}')
    articles, _, _ = run(raw, tmp_path / "out", ingest_options)
    assert articles[["title", "source", "source_country", "language"]].values.tolist() == [
        ["Un", "Outer", "MA", "fr"],
        ["Deux", "Inner", "MA", "fr"],
    ]


def test_broken_archives_and_members_are_rejects_naming_them(tmp_path: Path, ingest_options: IngestOptions) -> None:
    folder = _folder(tmp_path / "corpus")
    raw = tmp_path / "raw"
    write(raw / "garbage.zip", b"PK\x03\x04 this is not a zip archive at all")
    whole = _tar(folder, tmp_path / "whole.tar.gz").read_bytes()
    write(raw / "cut.tar.gz", whole[: len(whole) * 2 // 3])
    # a zip whose second member is damaged (stored, so its bytes are as written) and third encrypted
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("ok.json", json.dumps({"title": "Bon", "text": "Le Mali et le Niger signent un accord."}))
        archive.writestr("bad.json", json.dumps({"title": "Abîmé", "text": "x" * 200}))
        archive.writestr("secret.json", json.dumps({"title": "Secret", "text": "y" * 200}))
    data = bytearray(buffer.getvalue())
    data[data.index(b"x" * 200) + 50] = ord("z")  # its CRC no longer matches
    central = data.rindex(b"PK\x01\x02")  # the last central entry: the third member's
    data[central + 8] |= 0x1  # marked encrypted
    write(raw / "damaged.zip", bytes(data))

    articles, rejects, stats = run(raw, tmp_path / "out", ingest_options, root=tmp_path)
    by_path = {(r["raw_path"], r["reason"]): r for r in rejects}
    assert set(by_path) == {
        ("raw/cut.tar.gz", "corrupt_archive"),
        ("raw/damaged.zip/bad.json", "corrupt_archive"),
        ("raw/damaged.zip/secret.json", "encrypted"),
        ("raw/garbage.zip", "corrupt_archive"),
    }
    assert "cut short after" in by_path[("raw/cut.tar.gz", "corrupt_archive")]["detail"]
    assert "CRC" in by_path[("raw/damaged.zip/bad.json", "corrupt_archive")]["detail"]
    assert "Bon" in articles["title"].tolist()
    # the cut tar's members before the damage are read (the walk's order is its own: reverse)
    cut = articles[articles["raw_path"].str.startswith("raw/cut.tar.gz/")]
    assert 0 < len(cut) < 5
    assert stats["files"]["rejected"] == 4 and stats["files"]["archives"] == 2
    assert stats["records"]["read"] == stats["records"]["kept"] + stats["records"]["rejected"]


def test_member_names_stay_inside_the_archive_folder(tmp_path: Path, ingest_options: IngestOptions) -> None:
    raw = tmp_path / "deep" / "raw"
    text = json.dumps({"title": "Évasion", "text": "Le Maroc et la France signent un accord sur l'eau."})
    other = json.dumps({"title": "Autre", "text": "La Tunisie et l'Italie parlent de migration."})
    raw.mkdir(parents=True)
    with zipfile.ZipFile(raw / "evil.zip", "w") as archive:
        archive.writestr("../../escape.json", text)
        archive.writestr("/abs/escape.json", other)
        archive.writestr("abs\\escape.json", json.dumps({"title": "Trois", "text": "Le Niger et le Tchad."}))
    articles, rejects, _ = run(raw, tmp_path / "deep" / "out", ingest_options, root=tmp_path)
    assert sorted(articles["raw_path"]) == [
        "deep/raw/evil.zip/abs/escape.json",
        "deep/raw/evil.zip/abs/escape~2.json",
        "deep/raw/evil.zip/escape.json",
    ]
    assert rejects == []
    assert not (tmp_path / "escape.json").exists() and not Path("/abs/escape.json").exists()


def test_an_archive_inside_an_archive_is_read_too(tmp_path: Path, ingest_options: IngestOptions) -> None:
    folder = _folder(tmp_path / "corpus")
    inner = _zip(folder, tmp_path / "outer" / "2024" / "inner.zip")
    write(tmp_path / "outer" / "note.json", json.dumps({"title": "Note", "text": "Le Bénin et le Togo."}))
    _tar(tmp_path / "outer", tmp_path / "raw" / "outer.tgz")
    articles, rejects, stats = run(tmp_path / "raw", tmp_path / "out", ingest_options, root=tmp_path)
    assert inner.exists() and rejects == [] and stats["files"]["archives"] == 2
    assert "raw/outer.tgz/2024/inner.zip/lemonde/2024/03/05/a.txt" in articles["raw_path"].tolist()
    assert len(articles) == 6


def test_archives_off_rejects_them_as_files(tmp_path: Path, ingest_options: IngestOptions) -> None:
    _zip(_folder(tmp_path / "corpus"), tmp_path / "raw" / "corpus.zip")
    articles, rejects, stats = run(tmp_path / "raw", tmp_path / "out", replace(ingest_options, archives=()))
    assert len(articles) == 0 and [r["reason"] for r in rejects] == ["binary_file"]
    assert stats["files"]["archives"] == 0


@pytest.mark.parametrize("with_cache", [False, True])
def test_workers_load_archive_members_as_this_process_does(
    tmp_path: Path, ingest_options: IngestOptions, with_cache: bool
) -> None:
    from analysis import engine

    raw = tmp_path / "raw"
    for i in range(3):
        folder = tmp_path / f"corpus{i}"
        for j in range(12):
            body = f"Article {i}-{j}: le Maroc, la Tunisie et le Sénégal discutent du commerce régional."
            write(folder / f"d{j % 3}" / f"{j}.json", json.dumps({"title": f"T{i}-{j}", "text": body}))
        write(folder / "d1" / "_meta.json", '{"source": "Inside"}')
        _zip(folder, raw / f"part{i}.zip")
    write(raw / "_meta.json", '{"source_country": "MA"}')
    cache = tmp_path / "cache" if with_cache else None
    serial = _ingest([raw], tmp_path / "serial", ingest_options)
    with engine.PoolEngine(2) as pool:
        pooled = _ingest([raw], tmp_path / "pool", ingest_options, cache=cache, engine=pool)
        if with_cache:
            again = _ingest([raw], tmp_path / "again", ingest_options, cache=cache, engine=pool)
            assert again.cache_counts == {"hits": pooled.cache_counts["added"], "added": 0}
            assert pooled.cache_counts["added"] == 36
    outputs = {
        name: {p.name: output_bytes(p) for p in sorted((tmp_path / name).iterdir())}
        for name in ("serial", "pool", *(("again",) if with_cache else ()))
    }
    assert all(files == outputs["serial"] for files in outputs.values())
    assert pooled.stats.as_dict() == serial.stats.as_dict()
    articles = pd.read_parquet(tmp_path / "pool" / "articles.parquet")
    assert set(articles["source_country"]) == {"MA"} and (articles["source"] == "Inside").sum() == 12


def test_names() -> None:
    assert safe_name("../../a/./b/../c.txt") == "a/b/c.txt"
    assert safe_name("C:\\Users\\x.txt") == "Users/x.txt"
    assert safe_name("/") == ""
    assert archive_suffix("Corpus.TAR.GZ", (".gz", ".tar.gz", ".zip")) == ".tar.gz"
    assert archive_suffix(".zip", (".zip",)) is None
    # a UTF-8 name stored without the UTF-8 flag, as some tools do, is read as UTF-8
    info = zipfile.ZipInfo("café.txt".encode().decode("cp437"))
    assert _zip_name(info) == "café.txt"
    info.flag_bits |= 0x800
    assert _zip_name(info) == "café.txt".encode().decode("cp437")


def test_an_archive_given_as_input_and_a_relative_output_folder(
    tmp_path: Path, ingest_options: IngestOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An archive named on the command line is as a folder named so: its members' paths start
    inside it; an output folder given relative to the working one changes nothing."""
    folder = tmp_path / "press"
    write(folder / "_meta.json", '{"source": "Inner"}')
    write(folder / "lemonde" / "2024" / "03" / "05" / "a.json", json.dumps({"title": "Un", "text": "Le Maroc."}))
    write(folder / "b.json", json.dumps({"title": "Deux", "text": "La Tunisie."}))
    archive = _zip(folder, tmp_path / "in" / "press.zip")
    write(tmp_path / "in" / "_meta.json", '{"source_country": "SN"}')
    monkeypatch.chdir(tmp_path)
    articles, rejects, _ = run(Path("in/press.zip"), Path("out"), ingest_options)
    plain, _, _ = run(folder, tmp_path / "plain", ingest_options)
    assert rejects == [] and archive.exists()
    assert articles[["title", "source"]].values.tolist() == [["Deux", "Inner"], ["Un", "Inner"]]  # folder over path
    assert articles["published"].isna().tolist() == [True, False]
    assert articles["published"].iloc[1] == pd.Timestamp("2024-03-05", tz="UTC")  # its path, inside the archive
    same = ["title", "text", "source", "published", "url"]
    assert articles[same].astype(str).values.tolist() == plain[same].astype(str).values.tolist()
    assert set(articles["source_country"]) == {"SN"}  # the metadata beside the archive
    assert not list(Path("out").glob(".archives*"))
