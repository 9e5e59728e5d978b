"""Loading raw articles and storing tables: the edges of the pipeline."""

from analysis.io.ingest import (
    ARTICLES_FILE,
    REJECTS_FILE,
    STATS_FILE,
    CliMetadata,
    Ingestor,
    IngestStats,
    InputError,
    ingest,
)
from analysis.io.registry import (
    FileReject,
    LoaderSpec,
    RawFile,
    Record,
    Reject,
    get_loader,
    load_plugins,
    loaders,
    register_loader,
)
from analysis.io.store import iter_articles, read_articles

__all__ = [
    "ARTICLES_FILE",
    "REJECTS_FILE",
    "STATS_FILE",
    "CliMetadata",
    "FileReject",
    "IngestStats",
    "Ingestor",
    "InputError",
    "LoaderSpec",
    "RawFile",
    "Record",
    "Reject",
    "get_loader",
    "ingest",
    "iter_articles",
    "load_plugins",
    "loaders",
    "read_articles",
    "register_loader",
]
