"""The main job: every stage that exists, from raw files to the processed tables.

Stages run in order over the outputs of the previous ones. Today: ingest. Later stages (cleaning,
countries, keywords, topics) add themselves here so that ``build`` always produces everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.config import Options, Paths
from analysis.io.ingest import CliMetadata, Ingestor, IngestStats


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    ingest: IngestStats


def build(
    options: Options,
    paths: Paths,
    *,
    raw: Sequence[Path] | None = None,
    out_dir: Path | None = None,
    cli: CliMetadata | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Run every stage: ``raw`` (default ``data/raw``) into ``out_dir`` (default ``data/processed``)."""
    inputs = list(raw) if raw else [paths.raw]
    target = out_dir or paths.processed
    stats = Ingestor(options.ingest, project_root=paths.root, cli=cli, progress=progress).run(inputs, target)
    return BuildResult(out_dir=target, ingest=stats)
