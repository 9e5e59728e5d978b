"""Collect a raw news corpus from the RSS/Atom feeds and sitemaps of news sites.

Politely (robots.txt, per-host delay and concurrency, backoff on 429/5xx, a User-Agent with a
contact), resumably (a SQLite state beside the corpus) and never fetching or writing a URL twice.
The output is JSON Lines that ``python -m analysis ingest`` reads without options::

    from analysis.collect import collect

    summary = collect("src/analysis/data/sources.toml", "data/raw/collected", since="2024-01-01")

Modules: :mod:`~analysis.collect.sources` (the sources file), :mod:`~analysis.collect.discover`
(feeds and sitemaps), :mod:`~analysis.collect.fetch` (HTTP), :mod:`~analysis.collect.extract`
(trafilatura), :mod:`~analysis.collect.state` (SQLite), :mod:`~analysis.collect.output` (files),
:mod:`~analysis.collect.reasons` (failure reasons), :mod:`~analysis.collect.run` (the run).
"""

from analysis.collect.reasons import REASONS
from analysis.collect.run import STATE_FILE, CollectSummary, PageOutcome, collect
from analysis.collect.sources import (
    DEFAULT_SOURCES,
    CollectSettings,
    Source,
    SourcesError,
    SourcesFile,
    load_sources,
)
from analysis.collect.state import StateError

__all__ = [
    "DEFAULT_SOURCES",
    "REASONS",
    "STATE_FILE",
    "CollectSettings",
    "CollectSummary",
    "PageOutcome",
    "Source",
    "SourcesError",
    "SourcesFile",
    "StateError",
    "collect",
    "load_sources",
]
