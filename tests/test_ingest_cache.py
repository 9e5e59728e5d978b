"""Ingest replays what loading a file gave while the file and everything around it are unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from analysis.config import IngestOptions
from analysis.io.ingest import INGEST_CACHE, Ingestor

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def _article(i: int, published: str = "2025-01-02") -> str:
    return json.dumps(
        {
            "title": f"Titre {i}",
            "text": f"Le texte numéro {i} parle du Maroc et de la Tunisie.",
            "published": published,
            "url": f"https://example.org/{i}",
        },
        ensure_ascii=False,
    )


def _corpus(raw: Path) -> None:
    (raw / "site").mkdir(parents=True)
    for i in range(3):
        (raw / "site" / f"a{i}.json").write_text(_article(i), encoding="utf-8")
    (raw / "site" / "feed.jsonl").write_text(
        "\n".join([_article(10), "{not json", _article(0)]), encoding="utf-8"
    )  # a broken line, and a duplicate of a0
    (raw / "site" / "empty.json").write_text("", encoding="utf-8")


def _ingest(options: IngestOptions, raw: Path, out: Path, cache: Path | None, **kwargs: object) -> Ingestor:
    ingestor = Ingestor(options, now=NOW)
    ingestor.run([raw], out, cache=cache, **kwargs)  # type: ignore[arg-type]
    return ingestor


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def test_unchanged_files_are_replayed_with_the_same_outputs(tmp_path: Path, ingest_options: IngestOptions) -> None:
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    _corpus(raw)
    reference = _ingest(ingest_options, raw, tmp_path / "plain", None)
    assert reference.cache_counts == {}
    first = _ingest(ingest_options, raw, tmp_path / "first", cache)
    assert first.cache_counts == {"hits": 0, "added": 4}  # the empty file has nothing to replay
    assert (cache / f"{INGEST_CACHE}.sqlite").is_file()
    again = _ingest(ingest_options, raw, tmp_path / "again", cache)
    assert again.cache_counts == {"hits": 4, "added": 0}
    # rows, rejects (the broken line, the duplicate, the empty file) and counts as loading gives them
    assert _outputs(tmp_path / "again") == _outputs(tmp_path / "first") == _outputs(tmp_path / "plain")
    assert again.stats.as_dict() == reference.stats.as_dict()
    assert again.stats.records_rejected == 3

    # a changed file is read again; so is a file whose sidecar metadata appeared
    (raw / "site" / "a1.json").write_text(_article(1, "2025-02-03"), encoding="utf-8")
    (raw / "site" / "a2.json.meta.json").write_text(json.dumps({"source": "Autre source"}), encoding="utf-8")
    changed = _ingest(ingest_options, raw, tmp_path / "changed", cache)
    assert changed.cache_counts == {"hits": 2, "added": 2}
    fresh = _ingest(ingest_options, raw, tmp_path / "fresh", cache, fresh=True)
    assert fresh.cache_counts == {"hits": 0, "added": 4}
    assert _outputs(tmp_path / "changed") == _outputs(tmp_path / "fresh")
    assert changed.stats.by_source["Autre source"] == 1


def test_files_with_a_date_in_the_future_are_loaded_again(tmp_path: Path, ingest_options: IngestOptions) -> None:
    """The clock moves: a date judged in the future now may not be next time."""
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    _corpus(raw)
    (raw / "site" / "later.json").write_text(_article(20, "2030-01-01"), encoding="utf-8")
    first = _ingest(ingest_options, raw, tmp_path / "first", cache)
    assert first.cache_counts == {"hits": 0, "added": 4}  # not later.json
    again = _ingest(ingest_options, raw, tmp_path / "again", cache)
    assert again.cache_counts == {"hits": 4, "added": 0}
    assert again.stats.warnings == first.stats.warnings and first.stats.warnings["date_in_future"] == 1
    assert _outputs(tmp_path / "again") == _outputs(tmp_path / "first")


def test_options_are_part_of_the_key(tmp_path: Path, ingest_options: IngestOptions) -> None:
    from dataclasses import replace

    raw, cache = tmp_path / "raw", tmp_path / "cache"
    _corpus(raw)
    _ingest(ingest_options, raw, tmp_path / "first", cache)
    other = replace(ingest_options, default_timezone=ZoneInfo("America/New_York"))
    changed = _ingest(other, raw, tmp_path / "changed", cache)
    assert changed.cache_counts == {"hits": 0, "added": 4}
    # unused entries are pruned: the first options' entries are gone
    back = _ingest(ingest_options, raw, tmp_path / "back", cache)
    assert back.cache_counts == {"hits": 0, "added": 4}
