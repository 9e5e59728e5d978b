"""Reports: the notebooks run with parameters and rendered to self-contained HTML files.

Two halves:

- **In a notebook**: :func:`load_corpus` reads the processed tables once and applies the report's
  parameters (date range, sources, languages, copies in or out); :class:`Corpus` hands each section
  its tables (``None`` for a table this build does not have, which the chart functions of
  :mod:`analysis.plots` turn into a "not available in this build" note); :func:`run_stamp` prints
  what the report was made from.
- **Rendering**: :func:`render_reports` converts each ``notebooks/*.py`` (jupytext ``py:percent``)
  to a notebook, executes it with papermill in a kernel running this very interpreter, and
  exports it with nbconvert to HTML without code cells: images embedded as base64 PNG, styles
  inline, no script, style or font loaded from the network (the template's require.js, MathJax,
  Mermaid and widget loaders are removed, and :func:`external_urls` checks what remains). Then it
  writes ``index.html`` linking the reports. Every file is written atomically.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import __version__, plots
from analysis.config import Paths, git_commit
from analysis.io.store import atomic_text, is_table
from analysis.periods import PERIOD_TYPES, utc_times

#: The reports, in order: notebook file stem, title, one-line summary (for the index).
NOTEBOOKS: tuple[tuple[str, str, str], ...] = (
    ("01_overview", "Corpus overview", "Articles per period and source, languages, duplicates, rejects, boilerplate."),
    ("02_keywords", "Keywords", "Top terms and phrases, word clouds, rising terms, distinctive terms, KWIC."),
    ("03_countries", "Countries", "Most-named countries, trends, co-mentions, kinds of mention, continents."),
    ("04_topics", "Topics", "Topic labels and terms, topic and theme shares over time, example articles."),
    ("05_sources", "Sources compared", "What each outlet covers more or less than the others."),
)
#: Tables of the keyword and topic stages: a report section whose table is missing says so.
OPTIONAL_TABLES = (
    "term_frequencies",
    "phrases",
    "distinctive_terms",
    "rising_terms",
    "topics",
    "doc_topics",
    "topic_trends",
    "theme_trends",
)
#: none: the build's most frequent phrase and terms (:meth:`Corpus.kwic_defaults`)
DEFAULT_KWIC_TERMS: tuple[str, ...] = ()
KERNEL_NAME = "python3"
# The kernel's own warnings (e.g. that it talks over localhost TCP) are noise in a report run.
_KERNEL_FLAGS = ("--IPKernelApp.log_level=ERROR",)
INDEX_FILE = "index.html"

_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
# In CSS and scripts: url(...), @import "...", import("...") of another host.
_REMOTE_IN_CODE = re.compile(
    r"""url\(\s*["']?\s*(?:https?:)?//|@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//|\bimport\(\s*["'](?:https?:)?//""",
    re.IGNORECASE,
)


class ReportError(RuntimeError):
    """A report could not be made: bad parameters, missing data, or a notebook that failed."""


# --- parameters ---------------------------------------------------------------------------------


def _day(value: str | None, name: str) -> pd.Timestamp | None:
    """A ``YYYY-MM-DD`` parameter as a naive UTC day, or ``None``."""
    if value is None or str(value).strip() == "":
        return None
    try:
        day = pd.Timestamp(str(value))
    except ValueError as exc:
        raise ReportError(f"{name}: not a date: {value!r} (use YYYY-MM-DD)") from exc
    if pd.isna(day):
        raise ReportError(f"{name}: not a date: {value!r} (use YYYY-MM-DD)")
    if day.tzinfo is not None:
        day = day.tz_convert("UTC").tz_localize(None)
    return day.normalize()


@dataclass(frozen=True)
class ReportParams:
    """What a report shows: the selection of articles and the period of its time charts.

    Attributes:
        since: first day included (``YYYY-MM-DD``), or ``None`` for no lower bound.
        until: last day included (``YYYY-MM-DD``), or ``None``.
        sources: only these sources (empty: every source).
        languages: only these languages (ISO 639 codes; empty: every language).
        period: ``day``, ``week``, ``month``, ``quarter`` or ``year``.
        include_duplicates: count copies (syndicated/duplicated articles) in the analyses.
        kwic_terms: terms or phrases of the keyword-in-context tables (keywords report; empty:
            the build's most frequent phrase and terms).
    """

    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    period: str = "month"
    include_duplicates: bool = False
    kwic_terms: tuple[str, ...] = DEFAULT_KWIC_TERMS

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", tuple(self.sources or ()))
        object.__setattr__(self, "languages", tuple(self.languages or ()))
        object.__setattr__(self, "kwic_terms", tuple(self.kwic_terms or ()))
        if self.period not in PERIOD_TYPES:
            raise ReportError(f"period: unknown period {self.period!r} (one of {', '.join(PERIOD_TYPES)})")
        since, until = _day(self.since, "since"), _day(self.until, "until")
        if since is not None and until is not None and since > until:
            raise ReportError(f"since ({self.since}) is after until ({self.until})")

    def notebook_parameters(self, processed_dir: Path, notebook: str) -> dict[str, Any]:
        """The papermill parameters of one notebook (JSON values only).

        Args:
            processed_dir: the folder of the processed tables.
            notebook: the notebook's file stem (``02_keywords`` also gets ``kwic_terms``).
        """
        values: dict[str, Any] = {
            "processed_dir": str(processed_dir),
            "since": self.since,
            "until": self.until,
            "sources": list(self.sources),
            "languages": list(self.languages),
            "period": self.period,
            "include_duplicates": self.include_duplicates,
        }
        if notebook.startswith("02_"):
            values["kwic_terms"] = list(self.kwic_terms)
        return values

    def describe(self) -> dict[str, str]:
        """The parameters as a reader sees them, e.g. in the run stamp."""
        return {
            "since": self.since or "start of the corpus",
            "until": self.until or "end of the corpus",
            "sources": ", ".join(self.sources) or "all",
            "languages": ", ".join(self.languages) or "all",
            "period": self.period,
            "duplicates": "copies included" if self.include_duplicates else "copies excluded (each story counted once)",
        }


# --- the corpus a notebook reads ----------------------------------------------------------------


@dataclass
class Corpus:
    """The processed tables of one build, restricted to a report's selection.

    Attributes:
        processed_dir: where the tables were read.
        params: the selection.
        manifest: the build's ``manifest.json`` (empty when absent).
        all_articles: every article of the build.
        selected: the articles of the selection, copies included (for the data's caveats).
        articles: the articles the analyses count: ``selected`` less copies unless ``include_duplicates``.
        mentions: country mentions of ``articles``.
        regions: region mentions of ``articles``.
        boilerplate: boilerplate audit rows of ``selected``.
        rejects: the build's rejects ledger (not filtered: a reject has no date or source).
        country_colors: ``{iso2: colour}``, ranked over the whole build so every report agrees.
        source_colors: ``{source: colour}`` over the whole build.
    """

    processed_dir: Path
    params: ReportParams
    manifest: dict[str, Any]
    all_articles: pd.DataFrame
    selected: pd.DataFrame
    articles: pd.DataFrame
    mentions: pd.DataFrame
    regions: pd.DataFrame
    boilerplate: pd.DataFrame
    rejects: pd.DataFrame
    country_colors: dict[str, str]
    source_colors: dict[str, str]
    _tables: dict[str, pd.DataFrame | None] = field(default_factory=dict, repr=False)

    def has(self, name: str) -> bool:
        """True when the build has the table ``name`` (e.g. ``topics``)."""
        return is_table(self.processed_dir / f"{name}.parquet")

    def table(self, name: str) -> pd.DataFrame | None:
        """An optional table of the build (``term_frequencies``, ``topics``...), or ``None``.

        Rows are restricted to the selection where the table's columns allow it: ``article_id``
        in the selection, ``period`` overlapping ``since``..``until``, ``source``/``language``
        (and ``group`` of ``group_type`` source/language) among those chosen; rows without such
        a value (whole-corpus rows) are kept.
        """
        if name not in self._tables:
            path = self.processed_dir / f"{name}.parquet"
            self._tables[name] = select_rows(pd.read_parquet(path), self) if is_table(path) else None
        return self._tables[name]

    def kwic_defaults(self, n: int = 3) -> list[str]:
        """Terms for the keyword-in-context tables when none are given: the build's most
        frequent phrase, then its most frequent terms, ``n`` in all (none without its keyword tables)."""
        table = self.table("term_frequencies")
        if table is None or table.empty:
            return []
        whole = table[(table["scope"] == "corpus") & table["period_type"].isna()].sort_values(["rank", "term"])
        phrase = whole["phrase"].astype(bool)
        first = whole.loc[phrase, "term"].head(1).tolist()
        return first + whole.loc[~phrase, "term"].head(n - len(first)).tolist()


def _read_jsonl(path: Path) -> pd.DataFrame:
    columns = ["raw_path", "raw_format", "raw_index", "reason", "detail", "excerpt"]
    if not path.is_file():
        return pd.DataFrame(columns=columns)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return pd.DataFrame(rows, columns=columns)


def _read(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    return pd.read_parquet(path) if is_table(path) else pd.DataFrame(columns=list(columns))


def load_corpus(
    processed_dir: str | Path | None = None,
    *,
    since: str | None = None,
    until: str | None = None,
    sources: Iterable[str] | None = (),
    languages: Iterable[str] | None = (),
    period: str = "month",
    include_duplicates: bool = False,
    kwic_terms: Iterable[str] | None = None,
) -> Corpus:
    """Read a build's processed tables and restrict them to a selection.

    Args:
        processed_dir: folder of the processed tables (default: the project's ``data/processed``).
        since: first day included, ``YYYY-MM-DD`` (undated articles are left out when a bound is set).
        until: last day included.
        sources: only these sources (empty or ``None``: all).
        languages: only these languages (empty or ``None``: all).
        period: period of the time charts (``day``...``year``).
        include_duplicates: keep copies in the analysis set.
        kwic_terms: recorded in the parameters (keywords report).

    Returns:
        The corpus, ready for the chart functions of :mod:`analysis.plots`.

    Raises:
        ReportError: no ``articles.parquet`` in the folder, or bad parameters.
    """
    folder = Path(processed_dir) if processed_dir else Paths.from_root().processed
    params = ReportParams(
        since=since,
        until=until,
        sources=tuple(sources or ()),
        languages=tuple(languages or ()),
        period=period,
        include_duplicates=include_duplicates,
        kwic_terms=tuple(kwic_terms) if kwic_terms is not None else DEFAULT_KWIC_TERMS,
    )
    articles_file = folder / "articles.parquet"
    if not is_table(articles_file):
        raise ReportError(f"{articles_file}: not found; run `python -m analysis build` first")
    everything = pd.read_parquet(articles_file)
    selected = select_articles(everything, params)
    analysed = selected if params.include_duplicates else selected[selected["duplicate_of"].isna()]
    mentions_all = _read(folder / "country_mentions.parquet", ["article_id", "iso2", "country", "country_fr", "kind"])
    regions_all = _read(folder / "region_mentions.parquet", ["article_id", "region", "region_en", "region_fr"])
    boilerplate_all = _read(folder / "boilerplate.parquet", ["article_id", "line", "reason", "text", "chars"])
    manifest_file = folder / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.is_file() else {}
    ranked = (
        mentions_all.groupby("iso2")["article_id"]
        .nunique()
        .reset_index()
        .sort_values(["article_id", "iso2"], ascending=[False, True], kind="stable")["iso2"]
        if len(mentions_all)
        else pd.Series(dtype=object)
    )
    ids = analysed["article_id"]
    return Corpus(
        processed_dir=folder.resolve(),
        params=params,
        manifest=manifest,
        all_articles=everything,
        selected=selected.reset_index(drop=True),
        articles=analysed.reset_index(drop=True),
        mentions=mentions_all[mentions_all["article_id"].isin(ids)].reset_index(drop=True),
        regions=regions_all[regions_all["article_id"].isin(ids)].reset_index(drop=True),
        boilerplate=boilerplate_all[boilerplate_all["article_id"].isin(selected["article_id"])].reset_index(drop=True),
        rejects=_read_jsonl(folder / "rejects.jsonl"),
        country_colors=plots.country_colors(list(ranked)),
        source_colors=plots.source_colors(everything["source"].astype(str)),
    )


def select_articles(articles: pd.DataFrame, params: ReportParams) -> pd.DataFrame:
    """The articles of a selection: date range (inclusive days), sources, languages; copies kept.

    Args:
        articles: a processed article table.
        params: the selection.
    """
    mask = pd.Series(True, index=articles.index)
    since, until = _day(params.since, "since"), _day(params.until, "until")
    if since is not None or until is not None:
        published = utc_times(articles["published"]).dt.tz_localize(None)
        mask &= published.notna()
        if since is not None:
            mask &= published >= since
        if until is not None:
            mask &= published < until + pd.Timedelta(days=1)
    if params.sources:
        mask &= articles["source"].isin(list(params.sources))
    if params.languages:
        mask &= articles["language"].isin(list(params.languages))
    return articles[mask.fillna(False).astype(bool)]


_PERIOD_LENGTH = {
    "day": pd.DateOffset(days=1),
    "week": pd.DateOffset(days=7),
    "month": pd.DateOffset(months=1),
    "quarter": pd.DateOffset(months=3),
    "year": pd.DateOffset(years=1),
}


def select_rows(frame: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """The rows of an aggregate table that belong to a corpus's selection (see :meth:`Corpus.table`).

    Args:
        frame: a table of the keyword or topic stage.
        corpus: the corpus whose selection applies.
    """
    params = corpus.params
    keep = pd.Series(True, index=frame.index)
    if "article_id" in frame:
        keep &= frame["article_id"].isin(corpus.articles["article_id"])
    since, until = _day(params.since, "since"), _day(params.until, "until")
    if "period" in frame and "period_type" in frame and (since is not None or until is not None):
        starts = pd.to_datetime(frame["period"])
        ends = pd.Series(pd.NaT, index=frame.index, dtype=starts.dtype)
        for kind, offset in _PERIOD_LENGTH.items():
            rows = frame["period_type"] == kind
            if rows.any():
                ends[rows] = starts[rows] + offset
        inside = pd.Series(True, index=frame.index)
        if since is not None:
            inside &= ends > since
        if until is not None:
            inside &= starts <= until
        keep &= starts.isna() | inside.fillna(False)
    if "window_start" in frame and (since is not None or until is not None):
        if since is not None:
            keep &= pd.to_datetime(frame["baseline_start"]) >= since - _PERIOD_LENGTH["year"]
        if until is not None:
            keep &= pd.to_datetime(frame["window_start"]) <= until
    for column, chosen in (("source", params.sources), ("language", params.languages)):
        if chosen and column in frame:
            keep &= frame[column].isna() | frame[column].isin(list(chosen))
        if chosen and "group_type" in frame:
            keep &= (frame["group_type"] != column) | frame["group"].isin(list(chosen))
    return frame[keep.fillna(False).astype(bool)].reset_index(drop=True)


# --- the run stamp ------------------------------------------------------------------------------


def stamp_fields(
    corpus: Corpus, *, now: datetime | None = None, extra: Mapping[str, Any] | None = None
) -> list[tuple[str, str]]:
    """What a report was made from, as (label, value) pairs: parameters, data, code, counts, date.

    Args:
        corpus: the corpus the report read.
        now: the render time (default: now, UTC).
        extra: more parameters to show (e.g. ``kwic_terms``).
    """
    manifest = corpus.manifest
    counts = manifest.get("counts", {})
    built = manifest.get("run", {}).get("finished_at", "unknown")
    fields = [(f"parameter: {k}", v) for k, v in corpus.params.describe().items()]
    for key, value in (extra or {}).items():
        shown = ", ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)
        fields.append((f"parameter: {key}", shown or "none"))
    unique = int(corpus.selected["duplicate_of"].isna().sum())
    fields += [
        ("articles in the build", f"{len(corpus.all_articles):,}"),
        (
            "articles in this selection",
            f"{len(corpus.selected):,} ({unique:,} unique stories; {len(corpus.articles):,} analysed)",
        ),
        ("records rejected at loading", f"{len(corpus.rejects):,}"),
        ("corpus content hash (inputs_sha256)", str(manifest.get("inputs_sha256", "unknown"))),
        ("data built", str(built)),
        ("processed data", str(corpus.processed_dir)),
        ("package version", f"analysis {__version__}"),
        ("data built by code commit", str(manifest.get("run", {}).get("code_commit", "unknown"))),
        ("report made by code commit", git_commit()),
        ("report made", (now or datetime.now(UTC)).isoformat(timespec="seconds")),
    ]
    if counts.get("kept") not in (None, len(corpus.all_articles)):
        fields.append(
            ("warning", f"manifest counts {counts.get('kept')} articles, the table has {len(corpus.all_articles)}")
        )
    return fields


def run_stamp(corpus: Corpus, *, now: datetime | None = None, **extra: Any) -> plots.Html:
    """The box at the top of every report saying what it was made from (escaped HTML).

    Args:
        corpus: the corpus the report read.
        now: the render time (default: now).
        **extra: more parameters to show, e.g. ``kwic_terms=[...]``.
    """
    rows = "".join(
        f"<tr><th>{plots.escape(label)}</th><td>{plots.escape(value)}</td></tr>"
        for label, value in stamp_fields(corpus, now=now, extra=extra)
    )
    return plots.Html(
        '<details class="report-stamp" open><summary>How this report was made</summary>'
        f'<table class="report-stamp-table">{rows}</table></details>'
    )


# --- rendering ----------------------------------------------------------------------------------

REPORT_CSS = """
body.jp-Notebook { max-width: 1180px; margin: 0 auto; padding: 0 1.2em 3em; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
table.report-table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 12.5px; max-width: 100%;
  table-layout: auto; }
table.report-table caption { caption-side: top; text-align: left; font-weight: 600; padding: 0.3em 0; }
.jp-RenderedHTMLCommon table.report-table th, .jp-RenderedHTMLCommon table.report-table td,
table.report-table th, table.report-table td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left;
  vertical-align: top; }
table.report-table th { background: #f3f3f3; }
.jp-RenderedHTMLCommon table.report-table td.num, .jp-RenderedHTMLCommon table.report-table th.num,
table.report-table td.num, table.report-table th.num { text-align: right; font-variant-numeric: tabular-nums; }
.jp-RenderedHTMLCommon table.report-table td.mid, .jp-RenderedHTMLCommon table.report-table th.mid,
table.report-table td.mid, table.report-table th.mid { text-align: center; }
table.report-table tbody tr:nth-child(even) { background: #fafafa; }
.report-note { border-left: 4px solid #1f77b4; background: #eef5fb; padding: 0.5em 0.9em; margin: 0.6em 0; }
.report-note.warning { border-left-color: #d68a00; background: #fff6e0; }
.report-stamp { border: 1px solid #ccc; background: #f7f7f7; padding: 0.4em 0.9em; margin: 0.8em 0 1.2em;
  font-size: 12px; }
.report-stamp summary { font-weight: 600; cursor: pointer; }
.jp-RenderedHTMLCommon table.report-stamp-table { margin: 0.3em 0; table-layout: auto; }
.jp-RenderedHTMLCommon table.report-stamp-table th, table.report-stamp-table th { text-align: left;
  padding: 1px 12px 1px 0; font-weight: 500; color: #444; background: none; }
.jp-RenderedHTMLCommon table.report-stamp-table td, table.report-stamp-table td { text-align: left;
  font-family: monospace; word-break: break-all; padding: 1px 0; }
"""

# The lab template without anything it would fetch from the network (require.js, MathJax,
# Mermaid, widgets), with the report CSS, and with each figure's title as its alt text.
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<meta name="generator" content="analysis {{ resources.analysis_version | escape_html }}">
<style type="text/css">{{ resources.report_css }}</style>
{%- endblock extra_css -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
 alt="{{ (output | get_metadata('alt', 'image/png') or 'chart') | escape_html }}">
</div>
{%- endblock data_png %}
"""


class _ThisInterpreterKernel:
    """Factory of the kernel manager class that runs the kernel with ``sys.executable``.

    The ``python3`` kernelspec found first may belong to another Python (a user-wide Jupyter);
    this one is always the interpreter running the report, which imports ``analysis``.
    """

    @staticmethod
    @cache
    def manager() -> type:
        from jupyter_client.manager import AsyncKernelManager

        class Manager(AsyncKernelManager):
            def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
                connection = os.path.realpath(self.connection_file)
                command = [
                    sys.executable,
                    "-Xfrozen_modules=off",
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    connection,
                    *_KERNEL_FLAGS,
                ]
                return [*command, *(extra_arguments or [])]

        return Manager


def notebook_source(path: Path) -> Any:
    """A jupytext ``py:percent`` file as an nbformat notebook for the report kernel (stable cell ids).

    Args:
        path: the ``.py`` notebook.
    """
    import jupytext

    notebook = jupytext.read(path, fmt="py:percent")
    notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata.pop("jupytext", None)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
    return notebook


def execute_notebook(
    source: Path, workdir: Path, parameters: Mapping[str, Any], *, timeout: int = 900
) -> tuple[Any, BaseException | None]:
    """Run one notebook with papermill; return the executed notebook and the error, if any.

    Args:
        source: the ``.py`` notebook.
        workdir: a scratch folder (the kernel's working directory).
        parameters: injected after the cell tagged ``parameters``.
        timeout: seconds allowed per cell.
    """
    import nbformat
    import papermill

    notebook = notebook_source(source)
    given = workdir / f"{source.stem}.ipynb"
    executed = workdir / f"{source.stem}.executed.ipynb"
    nbformat.write(notebook, given)
    error: BaseException | None = None
    try:
        papermill.execute_notebook(
            str(given),
            str(executed),
            parameters=dict(parameters),
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            cwd=str(workdir),
            execution_timeout=timeout,
            start_timeout=120,
            kernel_manager_class=_ThisInterpreterKernel.manager(),
        )
    except Exception as exc:  # papermill's execution error, a dead kernel...: reported by the caller
        error = exc
    if not executed.is_file():
        raise ReportError(f"{source.name}: the notebook could not be run: {error}") from error
    result = nbformat.read(executed, as_version=4)
    for index, cell in enumerate(result.cells):
        cell["id"] = f"cell-{index}"  # papermill gives its injected cells random ids
    return result, error


def notebook_html(notebook: Any, title: str) -> str:
    """An executed notebook as one self-contained HTML page without code cells.

    Args:
        notebook: the executed nbformat notebook.
        title: the page title.

    Raises:
        ReportError: the page would still load something from the network.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        theme="light",
    )
    exporter.raw_template = _TEMPLATE
    resources = {
        "metadata": {"name": title},
        "report_css": REPORT_CSS,
        "analysis_version": __version__,
    }
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    found = external_urls(body)
    if found:
        raise ReportError(f"{title}: the HTML would load from the network: {', '.join(found[:5])}")
    return body


def external_urls(page: str) -> list[str]:
    """Every resource a page would load from another host: what a browser fetches, not text that names a URL.

    Looks at the markup itself (so article text that merely contains ``src=https://...`` does not
    count): ``src``/``srcset``/``data``/``poster``/``action`` attributes, ``<link href>``, ``url()``
    in ``style`` attributes, and ``url()``/``@import``/``import()`` inside ``<style>`` and
    ``<script>`` elements. A plain link (``<a href>``) loads nothing and is not reported.

    Args:
        page: HTML text.
    """
    finder = _RemoteFinder()
    finder.feed(page)
    finder.close()
    return finder.found


class _RemoteFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._code: str | None = None  # the element (style, script) whose content is being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            loads = name in ("src", "srcset", "data", "poster", "action") or (name == "href" and tag == "link")
            if loads and _REMOTE.match(value):
                self.found.append(f"<{tag} {name}={value}>")
            if name == "style" and _REMOTE_IN_CODE.search(value):
                self.found.append(f"<{tag} style={value[:80]}>")
        if tag in ("style", "script"):
            self._code = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._code:
            self._code = None

    def handle_data(self, data: str) -> None:
        if self._code is not None:
            self.found += [
                f"<{self._code}> ...{data[m.start() : m.end() + 40]}" for m in _REMOTE_IN_CODE.finditer(data)
            ]


def render_reports(
    processed_dir: Path | None = None,
    reports_dir: Path | None = None,
    params: ReportParams | None = None,
    *,
    notebooks: Sequence[str] | None = None,
    notebooks_dir: Path | None = None,
    timeout: int = 900,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Execute every report notebook on a build and write self-contained HTML reports.

    Args:
        processed_dir: the build's processed tables (default: ``data/processed``).
        reports_dir: where the HTML files go (default: ``reports/``).
        params: the selection and period (default: everything, by month).
        notebooks: file stems to render (default: all of :data:`NOTEBOOKS`).
        notebooks_dir: where the ``.py`` notebooks are (default: the project's ``notebooks/``).
        timeout: seconds allowed per cell.
        progress: called with a message as each notebook starts.

    Returns:
        The reports written, then ``index.html``.

    Raises:
        ReportError: no build in ``processed_dir``, parameters naming nothing in it, or a notebook
            that failed (the other reports and the index are written first; the failed one shows
            the error).
    """
    paths = Paths.from_root()
    processed = (processed_dir or paths.processed).resolve()
    target = (reports_dir or paths.reports).resolve()
    folder = notebooks_dir or paths.notebooks
    params = params or ReportParams()
    corpus = load_corpus(
        processed,
        since=params.since,
        until=params.until,
        sources=params.sources,
        languages=params.languages,
        period=params.period,
        include_duplicates=params.include_duplicates,
        kwic_terms=params.kwic_terms,
    )
    _check_selection(corpus)
    chosen = [n for n in NOTEBOOKS if notebooks is None or n[0] in notebooks]
    if notebooks is not None and len(chosen) != len(set(notebooks)):
        known = ", ".join(n[0] for n in NOTEBOOKS)
        raise ReportError(f"unknown notebook in {list(notebooks)} (known: {known})")
    written: list[Path] = []
    failures: list[str] = []
    entries: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="analysis-report-") as scratch:
        for stem, title, summary in chosen:
            source = folder / f"{stem}.py"
            if not source.is_file():
                raise ReportError(f"{source}: notebook not found")
            if progress:
                progress(f"running {source.name}")
            executed, error = execute_notebook(
                source, Path(scratch), params.notebook_parameters(processed, stem), timeout=timeout
            )
            page = notebook_html(executed, title)
            out = target / f"{stem}.html"
            with atomic_text(out) as handle:
                handle.write(page)
            written.append(out)
            status = "ok"
            if error is not None:
                failures.append(f"{source.name}: {_first_line(error)}")
                status = "failed"
            entries.append((out.name, title, summary, status))
    index = write_index(target, entries, corpus)
    if failures:
        raise ReportError("notebooks failed (their reports show the error): " + "; ".join(failures))
    return [*written, index]


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "evalue", "") or error)
    return f"{getattr(error, 'ename', type(error).__name__)}: {text.strip().splitlines()[0] if text.strip() else ''}"


def _check_selection(corpus: Corpus) -> None:
    params = corpus.params
    everything = corpus.all_articles
    for column, chosen in (("source", params.sources), ("language", params.languages)):
        known = set(everything[column].dropna().astype(str))
        unknown = [c for c in chosen if c not in known]
        if unknown:
            raise ReportError(f"{column}s not in the data: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    if corpus.selected.empty:
        raise ReportError(f"no article matches the selection {params.describe()}")


def write_index(
    reports_dir: Path, entries: Sequence[tuple[str, str, str, str]], corpus: Corpus, *, now: datetime | None = None
) -> Path:
    """Write ``index.html``: the list of reports and the run stamp, self-contained and escaped.

    Args:
        reports_dir: the reports' folder.
        entries: (file name, title, summary, status) of each report.
        corpus: the corpus the reports read (for the stamp).
        now: the render time.
    """
    items = "".join(
        f'<li><a href="{html.escape(name, quote=True)}">{html.escape(title)}</a>'
        f"{' <strong class=failed>(failed: the report shows the error)</strong>' if status != 'ok' else ''}"
        f"<br><span class=summary>{html.escape(summary)}</span></li>"
        for name, title, summary, status in entries
    )
    rows = "".join(
        f"<tr><th>{plots.escape(label)}</th><td>{plots.escape(value)}</td></tr>"
        for label, value in stamp_fields(corpus, now=now, extra={"kwic_terms": list(corpus.params.kwic_terms)})
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="analysis {html.escape(__version__)}">
<title>News corpus reports</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; max-width: 60em;
  margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }}
h1 {{ font-size: 1.6em; }}
ul.reports {{ padding-left: 1.2em; }}
ul.reports li {{ margin: 0.6em 0; }}
ul.reports a {{ font-size: 1.15em; font-weight: 600; }}
.summary {{ color: #555; }}
.failed {{ color: #b00; }}
{REPORT_CSS}
</style>
</head>
<body>
<h1>News corpus reports</h1>
<p>Each report is one HTML file that opens from disk and loads nothing from the network.</p>
<ul class="reports">{items}</ul>
<details class="report-stamp" open><summary>How these reports were made</summary>
<table class="report-stamp-table">{rows}</table></details>
</body>
</html>
"""
    target = reports_dir / INDEX_FILE
    with atomic_text(target) as handle:
        handle.write(page)
    return target


def params_from(**values: Any) -> ReportParams:
    """:class:`ReportParams` from keyword values, ``None`` meaning "the default" (for the CLI).

    Args:
        **values: any field of :class:`ReportParams`.
    """
    base = ReportParams()
    given = {k: v for k, v in values.items() if v is not None}
    for key in ("sources", "languages", "kwic_terms"):
        if key in given:
            given[key] = tuple(given[key])
    return replace(base, **given)
