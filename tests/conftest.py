"""Shared fixtures: project paths, options, and the read-only corpora in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.config import IngestOptions, Options, Paths, load_options

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def paths() -> Paths:
    return Paths.from_root(ROOT)


def build_demo(out: Path, options: Options, **sections: dict[str, object]) -> dict:
    """The demo corpus (``data/raw``) built into ``out`` with ``options``, the named sections'
    options changed (``topics={"n_topics": 3}``); its manifest."""
    import json
    from dataclasses import replace

    from analysis.pipeline import build

    changed = replace(options, **{name: replace(getattr(options, name), **values) for name, values in sections.items()})
    build(changed, Paths.from_root(ROOT), raw=[ROOT / "data" / "raw"], out_dir=out)
    manifest: dict = json.loads((out / "manifest.json").read_text())
    return manifest


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory: pytest.TempPathFactory, options: Options) -> tuple[Path, dict]:
    """The demo corpus built with the default options (read it, or copy it to change it), and its manifest."""
    out = tmp_path_factory.mktemp("built-demo")
    return out, build_demo(out, options)


@pytest.fixture(scope="session")
def options() -> Options:
    return load_options(use_user_config=False)


@pytest.fixture(scope="session")
def ingest_options(options: Options) -> IngestOptions:
    return options.ingest


def output_bytes(path: Path) -> bytes | dict[str, bytes]:
    """An output to compare byte for byte: a file's bytes, or a folder of parts' (each part's, by name)."""
    from analysis.io.store import PART_GLOB

    if path.is_dir():
        return {part.name: part.read_bytes() for part in sorted(path.glob(PART_GLOB))}
    return path.read_bytes()


def output_files(out: Path, pattern: str = "*") -> dict[str, bytes | dict[str, bytes]]:
    """The outputs of a build's folder matching ``pattern`` (files, and tables written as folders of
    parts; not the hidden folders) as :func:`output_bytes`, by name."""
    return {
        path.name: output_bytes(path)
        for path in sorted(out.glob(pattern))
        if path.is_file() or (path.is_dir() and not path.name.startswith("."))
    }


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or a skip when that material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared material absent: {path}")
    return path


def count_reads(monkeypatch: pytest.MonkeyPatch, module: object, column: str | None = None) -> list[tuple[int, ...]]:
    """The row groups of each ``read_row_groups`` call made through ``module`` (that reads
    ``column``, or any), recorded while the test runs (the reads themselves happen)."""
    read = module.read_row_groups  # type: ignore[attr-defined]
    calls: list[tuple[int, ...]] = []

    def counted(path: Path, groups: tuple[int, ...], columns: list[str] | None = None) -> object:
        if column is None or columns is None or column in columns:
            calls.append(tuple(groups))
        return read(path, groups, columns)

    monkeypatch.setattr(module, "read_row_groups", counted)
    return calls
