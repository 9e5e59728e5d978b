"""analysis.report: every notebook runs on the demo corpus and renders to a self-contained HTML report.

The demo corpus is built once per session and the reports rendered once (see :func:`demo_reports`,
shared with the browser test); the other tests read those files.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from analysis import __version__
from analysis.config import Paths, load_options
from analysis.report import (
    NOTEBOOKS,
    OPTIONAL_TABLES,
    Corpus,
    ReportError,
    ReportParams,
    execute_notebook,
    external_urls,
    git_commit,
    load_corpus,
    render_reports,
    run_stamp,
    select_articles,
    select_rows,
)
from tests.conftest import ROOT

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
REPORTS = [f"{stem}.html" for stem, _, _ in NOTEBOOKS]

# A tag that loads a resource (script, style sheet, font, image, frame...) from another host.
LOADING_TAG = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*\b(?:src|href|data)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)
CSS_URL = re.compile(r"(?:url\(\s*[\"']?\s*(?:https?:)?//|@import\s+[\"']?\s*(?:url\()?\s*[\"']?(?:https?:)?//)", re.I)


@dataclass(frozen=True)
class Rendered:
    build: Path
    reports: Path
    paths: list[Path]

    def page(self, name: str) -> str:
        return (self.reports / name).read_text(encoding="utf-8")


_SHARED: dict[str, Rendered | BaseException] = {}


def _once(key: str, make: Callable[[], Rendered]) -> Rendered:
    """``make()`` run once per session; a failure is remembered and raised again, not retried."""
    if key not in _SHARED:
        try:
            _SHARED[key] = make()
        except Exception as exc:
            _SHARED[key] = exc
    found = _SHARED[key]
    if isinstance(found, BaseException):
        raise found
    return found


def demo_build(factory: pytest.TempPathFactory) -> Path:
    """The demo corpus built once per session into a temp folder (the real pipeline, every stage)."""

    def make() -> Rendered:
        from analysis.pipeline import build

        out = factory.mktemp("demo-build")
        build(load_options(use_user_config=False), Paths.from_root(ROOT), out_dir=out)
        return Rendered(out, out, [])

    return _once("build", make).build


def demo_reports(factory: pytest.TempPathFactory) -> Rendered:
    """Every report rendered once per session from :func:`demo_build` (also used by the browser test)."""

    def make() -> Rendered:
        build = demo_build(factory)
        reports = factory.mktemp("reports")
        return Rendered(build, reports, render_reports(build, reports, ReportParams()))

    return _once("reports", make)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return demo_reports(tmp_path_factory)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return load_corpus(demo_build(tmp_path_factory))


# --- rendering the demo corpus ------------------------------------------------------------------


def test_every_report_and_the_index_are_written(rendered):
    assert [p.name for p in rendered.paths] == [*REPORTS, "index.html"]
    assert all(p.is_file() and p.stat().st_size > 10_000 for p in rendered.paths[:-1])
    assert not [p.name for p in rendered.reports.iterdir() if p.name.startswith(".")]  # no temp file left


@pytest.mark.parametrize("name", REPORTS)
def test_reports_have_no_code_and_no_prompt(rendered, name):
    body = rendered.page(name).split("<body", 1)[1]
    code_cells = re.findall(r'class="jp-Cell jp-CodeCell([^"]*)"', body)
    assert code_cells and all("jp-mod-noInput" in classes for classes in code_cells)
    assert "jp-CodeMirrorEditor" not in body and "hl-ipython3" not in body
    assert "jp-InputPrompt" not in body and "jp-OutputPrompt" not in body
    assert "load_corpus(" not in body and "import plots" not in body
    assert "Traceback" not in body and "application/vnd.jupyter.stderr" not in body


@pytest.mark.parametrize("name", [*REPORTS, "index.html"])
def test_reports_load_nothing_from_the_network(rendered, name):
    page = rendered.page(name)
    assert not LOADING_TAG.search(page), LOADING_TAG.search(page)
    assert not CSS_URL.search(page), CSS_URL.search(page)
    assert "@font-face" not in page or not re.search(r"@font-face[^}]*https?://", page)
    assert not re.search(r"""import\(\s*["']https?://""", page)  # no dynamic import of CDN modules
    assert "require.min.js" not in page and "MathJax" not in page and "mermaid.esm" not in page
    assert external_urls(page) == []
    assert "<script" not in page.lower()  # the reports need no script at all


@pytest.mark.parametrize("name", REPORTS)
def test_images_are_embedded_png(rendered, name):
    from PIL import Image

    page = rendered.page(name)
    sources = re.findall(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", page)
    assert sources, f"{name} has no chart"
    for src in sources:
        assert src.startswith("data:image/png;base64,")
        with Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) as image:
            assert image.format == "PNG" and image.width > 100 and image.height > 100
    alts = re.findall(r"<img\b[^>]*\balt=\"([^\"]*)\"", page)
    assert len(alts) == len(sources) and all(alt and alt != "chart" for alt in alts)  # each chart's title


def test_the_hostile_title_is_text(rendered):
    escaped = html.escape(HOSTILE, quote=False)
    shown = [name for name in REPORTS if escaped in rendered.page(name) or html.escape(HOSTILE) in rendered.page(name)]
    assert "01_overview.html" in shown
    for name in [*REPORTS, "index.html"]:
        page = rendered.page(name)
        assert HOSTILE not in page
        assert "<script>alert" not in page and "onerror=" not in page.replace("onerror=alert(2)&gt;", "")


@pytest.mark.parametrize("name", REPORTS)
def test_reports_are_stamped_with_their_run(rendered, name):
    page = rendered.page(name)
    manifest = json.loads((rendered.build / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs_sha256"] in page
    assert f"analysis {__version__}" in page
    assert html.escape(git_commit(), quote=False) in page
    for label in ("parameter: since", "parameter: period", "articles in the build", "report made"):
        assert label in page
    # the code that built the data, and the code that made the report
    assert manifest["run"]["code_commit"] == git_commit() and manifest["run"]["code"]
    assert "data built by code commit" in page and "report made by code commit" in page
    kept = manifest["counts"]["kept"]
    assert f"<td>{kept}</td>" in page


def test_keywords_report_shows_the_concordance(rendered):
    page = rendered.page("02_keywords.html")
    assert "parameter: kwic_terms" in page
    if (rendered.build / "term_frequencies.parquet").is_file():
        assert "Not available in this build" not in page
        # no terms asked: the build's most frequent phrase and terms
        assert "“intelligence artificielle”" in page and "“maroc”" in page and "“port”" not in page
    else:
        assert "Not available in this build" in page


@pytest.mark.parametrize("name", ["02_keywords.html", "04_topics.html", "05_sources.html"])
def test_keyword_and_topic_sections_follow_the_build(rendered, name):
    page = rendered.page(name)
    complete = all((rendered.build / f"{table}.parquet").is_file() for table in OPTIONAL_TABLES)
    assert ("Not available in this build" in page) is not complete


def test_index_links_every_report(rendered):
    page = rendered.page("index.html")
    for (stem, title, _), name in zip(NOTEBOOKS, REPORTS, strict=True):
        assert f'<a href="{name}">{html.escape(title)}</a>' in page, stem
    assert "How these reports were made" in page and "failed" not in page.split("<body>", 1)[1].split("<details")[0]


def test_reports_degrade_without_keyword_and_topic_tables(tmp_path, tmp_path_factory):
    """A build without the keyword/topic tables, and a narrow selection: sections say so, nothing fails."""
    source = demo_build(tmp_path_factory)
    build = tmp_path / "build"
    shutil.copytree(source, build, ignore=shutil.ignore_patterns(".interim"))
    for table in OPTIONAL_TABLES:
        (build / f"{table}.parquet").unlink(missing_ok=True)
    params = ReportParams(
        since="2025-01-01",
        until="2025-06-30",
        sources=("Atlas Actu", "Le Courrier du Détroit"),
        period="quarter",
        include_duplicates=True,
        kwic_terms=("eau",),
    )
    paths = render_reports(build, tmp_path / "reports", params, notebooks=["02_keywords", "04_topics"])
    assert [p.name for p in paths] == ["02_keywords.html", "04_topics.html", "index.html"]
    for path in paths[:2]:
        page = path.read_text(encoding="utf-8")
        assert page.count("Not available in this build") >= 4
        assert "2025-01-01" in page and "Atlas Actu, Le Courrier du Détroit" in page and "quarter" in page
        assert "Traceback" not in page
    keywords = paths[0].read_text(encoding="utf-8")
    assert "“eau”" in keywords  # the concordance reads the articles, not the keyword tables


# --- the kernel ---------------------------------------------------------------------------------


def test_notebooks_run_in_this_interpreter(tmp_path):
    notebook = tmp_path / "probe.py"
    notebook.write_text(
        "# %%\nimport sys\n\nimport analysis\n\nprint(sys.executable)\nprint(analysis.__file__)\n", encoding="utf-8"
    )
    executed, error = execute_notebook(notebook, tmp_path, {}, timeout=120)
    assert error is None
    text = "".join(out.get("text", "") for cell in executed.cells for out in cell.get("outputs", []))
    executable, module = text.split()
    assert Path(executable) == Path(sys.executable)
    assert Path(module).resolve() == (ROOT / "src" / "analysis" / "__init__.py").resolve()


def test_a_failing_notebook_is_reported(tmp_path, tmp_path_factory):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "01_overview.py").write_text("# %%\nraise RuntimeError('boom <b>')\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"01_overview.py: RuntimeError: boom"):
        render_reports(demo_build(tmp_path_factory), tmp_path / "out", notebooks=["01_overview"], notebooks_dir=folder)
    page = (tmp_path / "out" / "01_overview.html").read_text(encoding="utf-8")
    assert "boom &lt;b&gt;" in page  # the report shows the error, escaped
    assert "failed" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


# --- parameters and selection -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"period": "fortnight"}, "unknown period"),
        ({"since": "yesterday-ish"}, "since: not a date"),
        ({"since": "2025-02-01", "until": "2025-01-01"}, "is after until"),
    ],
)
def test_bad_parameters(values, message):
    with pytest.raises(ReportError, match=message):
        ReportParams(**values)


def test_parameters_given_to_the_notebooks():
    params = ReportParams(sources=["Dune Post"], kwic_terms=["eau"])  # lists accepted, stored as tuples
    assert params.sources == ("Dune Post",)
    values = params.notebook_parameters(Path("/data"), "01_overview")
    assert values == {
        "processed_dir": "/data",
        "since": None,
        "until": None,
        "sources": ["Dune Post"],
        "languages": [],
        "period": "month",
        "include_duplicates": False,
    }
    assert params.notebook_parameters(Path("/data"), "02_keywords")["kwic_terms"] == ["eau"]
    json.dumps(values)


def test_unknown_source_or_empty_selection_fails_before_running(corpus, tmp_path):
    with pytest.raises(ReportError, match="sources not in the data: Le Monde"):
        render_reports(corpus.processed_dir, tmp_path, ReportParams(sources=("Le Monde",)))
    with pytest.raises(ReportError, match="no article matches"):
        render_reports(corpus.processed_dir, tmp_path, ReportParams(since="2030-01-01"))
    with pytest.raises(ReportError, match="unknown notebook"):
        render_reports(corpus.processed_dir, tmp_path, notebooks=["99_nothing"])
    assert not list(tmp_path.iterdir())


def test_missing_build(tmp_path):
    with pytest.raises(ReportError, match="run `python -m analysis build` first"):
        load_corpus(tmp_path)


def test_select_articles_inclusive_days():
    articles = pd.DataFrame(
        {
            "published": pd.to_datetime(["2025-01-01 00:00", "2025-01-31 23:59", "2025-02-01 00:00", None], utc=True),
            "source": ["A", "B", "A", "A"],
            "language": ["fr", "en", "fr", "fr"],
        }
    )
    chosen = select_articles(articles, ReportParams(since="2025-01-01", until="2025-01-31"))
    assert list(chosen.index) == [0, 1]
    assert list(select_articles(articles, ReportParams(sources=("A",), languages=("fr",))).index) == [0, 2, 3]
    assert len(select_articles(articles, ReportParams())) == 4  # undated kept without a date bound


def test_corpus_selection(corpus):
    assert len(corpus.all_articles) == len(corpus.selected)
    assert len(corpus.articles) == int(corpus.selected["duplicate_of"].isna().sum())
    assert set(corpus.mentions["article_id"]) <= set(corpus.articles["article_id"])
    assert corpus.country_colors["MA"] == "#1f77b4"  # the most named country of the demo corpus
    narrow = load_corpus(corpus.processed_dir, sources=["Dune Post"], include_duplicates=True)
    assert set(narrow.selected["source"]) == {"Dune Post"} and len(narrow.articles) == len(narrow.selected)
    assert narrow.country_colors == corpus.country_colors  # colours do not depend on the selection


def test_select_rows_of_aggregate_tables(corpus):
    frame = pd.DataFrame(
        {
            "scope": ["corpus", "period", "period", "source", "source"],
            "period_type": [None, "month", "quarter", None, None],
            "period": pd.to_datetime([None, "2025-01-01", "2024-10-01", None, None]),
            "source": [None, None, None, "Dune Post", "Atlas Actu"],
            "language": [None] * 5,
        }
    )
    narrow = load_corpus(corpus.processed_dir, since="2025-02-15", sources=["Dune Post"])
    kept = select_rows(frame, narrow)  # Jan 2025 ends before the 15th of February; Q4 2024 too
    assert list(kept["scope"]) == ["corpus", "source"] and list(kept["source"].fillna("")) == ["", "Dune Post"]
    wide = load_corpus(corpus.processed_dir, since="2025-01-31")
    assert list(select_rows(frame, wide)["scope"]) == ["corpus", "period", "source", "source"]
    groups = pd.DataFrame({"group_type": ["source", "source", "month"], "group": ["Dune Post", "Atlas Actu", "x"]})
    assert list(select_rows(groups, narrow)["group"]) == ["Dune Post", "x"]


def test_optional_tables(corpus):
    assert corpus.table("no_such_table") is None
    for name in OPTIONAL_TABLES:
        table = corpus.table(name)
        assert (table is None) is not corpus.has(name)


def test_kwic_defaults_are_the_most_frequent_phrase_and_terms(corpus):
    assert corpus.kwic_defaults() == ["intelligence artificielle", "maroc", "marocain"]
    assert corpus.kwic_defaults(1) == ["intelligence artificielle"]


def test_run_stamp_escapes_and_counts(corpus):
    stamp = run_stamp(corpus, kwic_terms=[HOSTILE])
    assert html.escape(HOSTILE) in stamp and HOSTILE not in stamp
    assert corpus.manifest["inputs_sha256"] in stamp
    assert f"{len(corpus.all_articles):,}" in stamp


def test_git_commit_is_a_hash_or_unknown(tmp_path):
    commit = git_commit()
    assert commit == "unknown" or re.fullmatch(r"[0-9a-f]{40,64}", commit)
    assert git_commit(tmp_path) == "unknown"  # not a repository


def test_external_urls_finds_what_a_page_would_load():
    page = (
        '<script src="https://cdn.example/x.js"></script><link href="//cdn.example/a.css">'
        "<style>@import 'https://fonts.example/f.css'; .a { background: url(http://x.example/i.png) }</style>"
        '<script>import("https://cdn.example/m.mjs")</script>'
        '<a href="https://example.org/">a link</a>'
    )
    assert len(external_urls(page)) == 5  # the plain link loads nothing
    assert external_urls('<img src="data:image/png;base64,AAAA"><p>see https://example.org</p>') == []
    assert external_urls("<td>src=https://evil.example/x.js url(//evil.example)</td>") == []  # text, not markup
    assert external_urls('<div style="background: url(https://x.example/a.png)"></div>')
