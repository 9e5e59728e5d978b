"""Charts and tables of the reports: every figure and HTML table the notebooks show.

Each chart function takes processed tables (pandas DataFrames, see the README for their columns)
and returns a matplotlib :class:`~matplotlib.figure.Figure` with a title and labelled axes, or an
:class:`Html` note when there is nothing to draw (an empty selection, a table missing from the
build). Each table function returns :class:`Html` whose every cell was escaped: article text
(titles, tags, excerpts, removed boilerplate) is data, never markup.

Figures are made with the object-oriented API (``Figure``, never ``pyplot``), so they hold no
global state and notebooks show each one once: :func:`use_report_style` sets the rcParams and
teaches IPython to display a figure as a PNG. Colours are stable: one per country (by ISO code,
see :func:`country_colors`), per topic (by topic number), per source and per mention kind.
"""

from __future__ import annotations

import functools
import html
import io
import math
import re
import textwrap
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FixedFormatter, FuncFormatter, MaxNLocator, PercentFormatter

from analysis.periods import PERIOD_TYPES, period_range, period_start

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

#: rcParams of every report figure (fixed, so the same data gives the same pixels).
STYLE: dict[RcKeyType, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "font.family": "DejaVu Sans",  # ships with matplotlib; has every French accent
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 9.5,
    "figure.titlesize": 13,
    "figure.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.axisbelow": True,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "svg.hashsalt": "analysis-reports",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "image.cmap": "Blues",
}

#: Fonts a chart falls back on, letter by letter, for the scripts DejaVu Sans does not draw
#: (Chinese, Japanese, Korean, Thai, Devanagari, Bengali...), in this order, when installed; none
#: ships with matplotlib, and a term with a letter no font draws is left out of the charts
#: (:func:`_drawable`), not drawn as empty boxes.
FALLBACK_FONTS: tuple[str, ...] = (
    "Noto Sans",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans SC",
    "Noto Sans JP",
    "Noto Sans KR",
    "Noto Sans Thai",
    "Noto Sans Devanagari",
    "Noto Sans Bengali",
    "Noto Sans Tamil",
    "Noto Sans Georgian",
    "Noto Sans Armenian",
    "Noto Sans Ethiopic",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "IPAGothic",
    "NanumGothic",
    "Loma",
    "Lohit Devanagari",
)


@functools.cache
def _fonts() -> tuple[tuple[str, ...], frozenset[int], frozenset[int]]:
    """The charts' font families (DejaVu Sans, then :data:`FALLBACK_FONTS` found on this machine),
    the letters they draw together, and those DejaVu Sans draws alone (the word cloud's font)."""
    from matplotlib.font_manager import fontManager
    from matplotlib.ft2font import FT2Font

    found = {font.name: font.fname for font in fontManager.ttflist}
    main = FT2Font(_font_path()).get_charmap()
    families, letters = ["DejaVu Sans"], set(main)
    for family in FALLBACK_FONTS:
        if family in found and family not in families:
            families.append(family)
            letters.update(FT2Font(found[family]).get_charmap())
    return tuple(families), frozenset(letters), frozenset(main)


def _style() -> dict[RcKeyType, Any]:
    """:data:`STYLE`, with the fallback fonts installed here after DejaVu Sans."""
    return STYLE | {"font.family": list(_fonts()[0])}


#: Twenty distinct colours: the ten of tab10, then their lighter tab20 companions.
PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#c7c7c7",
    "#dbdb8d",
    "#9edae5",
)
KIND_COLORS: dict[str, str] = {
    "name": "#1f77b4",
    "demonym": "#ff7f0e",
    "capital": "#2ca02c",
    "institution": "#9467bd",
    "self": "#8c564b",
}
CONTINENT_COLORS: dict[str, str] = {
    "Africa": "#d62728",
    "Americas": "#1f77b4",
    "Asia": "#ff7f0e",
    "Europe": "#2ca02c",
    "Oceania": "#9467bd",
    "Other": "#7f7f7f",
}
RISING, FALLING = "#2ca02c", "#d62728"
_LANGUAGE_COLORS = {
    "fr": "#1f77b4",
    "en": "#ff7f0e",
    "ar": "#2ca02c",
    "es": "#d62728",
    "de": "#9467bd",
    "it": "#8c564b",
    "pt": "#e377c2",
    "unknown": "#bdbdbd",
}
#: Files of the keyword and topic stages, named in "not available in this build" notes.
TERMS_FILE = "term_frequencies.parquet"
PHRASES_FILE = "phrases.parquet"
DISTINCTIVE_FILE = "distinctive_terms.parquet"
RISING_FILE = "rising_terms.parquet"
TOPICS_FILE = "topics.parquet"
DOC_TOPICS_FILE = "doc_topics.parquet"
TOPIC_TRENDS_FILE = "topic_trends.parquet"
THEME_TRENDS_FILE = "theme_trends.parquet"
PERIOD_NOUNS = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}

# Right-to-left scripts (Arabic, Hebrew...): matplotlib draws their letters unjoined and in the
# wrong order, so charts leave such terms out (the HTML tables show them correctly).
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_MARKUP = re.compile(r"[<>]|&[#\w]+;|javascript:", re.IGNORECASE)

P = ParamSpec("P")
R = TypeVar("R")


# --- HTML ---------------------------------------------------------------------------------------


class Html(str):
    """An HTML fragment whose parts were escaped when it was built; notebooks display it as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


def escape(value: object) -> str:
    """Text of a table cell, HTML-escaped (quotes too); missing values are empty.

    Args:
        value: anything: a string, a number, a timestamp, a list (joined with ``, ``), ``None``.

    Returns:
        The escaped text, safe inside an element or a quoted attribute.
    """
    return html.escape(_text(value), quote=True)


def _text(value: object) -> str:
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, pd.Timestamp):
        if value.hour == value.minute == value.second == 0:
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return f"{number:,.3g}" if abs(number) < 1000 else f"{number:,.0f}"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    try:
        if bool(pd.isna(value)):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def html_table(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    caption: str | None = None,
    right: Iterable[str] = (),
    strong: Iterable[str] = (),
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    empty: str = "No rows.",
    centre: Iterable[str] = (),
    directions: Mapping[str, Sequence[str | None]] | None = None,
) -> Html:
    """An HTML table of a DataFrame, every header and cell escaped.

    Args:
        frame: the rows to show (the index is not shown).
        columns: ``{column: header}`` to choose, order and name the columns (default: all, as named).
        caption: a caption above the table.
        right: columns to align right (numbers, the left context of a concordance).
        strong: columns shown in bold.
        formats: ``{column: function}`` turning a value into text (escaped afterwards).
        empty: the note shown instead of a table without rows.
        centre: columns centred (the keyword of a concordance).
        directions: ``{column: [direction of each row's cell]}``, ``rtl`` or ``ltr`` written on the
            cell (``None``: ``dir="auto"`` where the text has right-to-left letters, as elsewhere).

    Returns:
        The table, or a note when ``frame`` has no rows.
    """
    if frame.empty:
        return note(empty)
    chosen = dict(columns) if columns is not None else {str(c): str(c) for c in frame.columns}
    right, strong, formats = set(right), set(strong), dict(formats or {})
    centred, given = set(centre), {name: list(values) for name, values in (directions or {}).items()}
    classes = {name: ' class="num"' if name in right else ' class="mid"' if name in centred else "" for name in chosen}
    parts = ['<table class="report-table">']
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts.append("<thead><tr>")
    for name, header in chosen.items():
        parts.append(f"<th{classes[name]}>{escape(header)}</th>")
    parts.append("</tr></thead><tbody>")
    for number, row in enumerate(frame[list(chosen)].itertuples(index=False, name=None)):
        parts.append("<tr>")
        for name, value in zip(chosen, row, strict=True):
            text = escape(formats[name](value)) if name in formats else escape(value)
            if name in strong:
                text = f"<strong>{text}</strong>"
            align = classes[name]
            direction = given[name][number] if name in given else None
            if direction in ("rtl", "ltr"):
                align += f' dir="{direction}"'
            elif _RTL.search(text):  # a cell of Arabic or Hebrew runs right to left, its `…` at its end
                align += ' dir="auto"'
            parts.append(f"<td{align}>{text}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return Html("".join(parts))


def note(message: str, *, kind: str = "info") -> Html:
    """A short boxed message (escaped), e.g. why a chart is absent.

    Args:
        message: plain text.
        kind: ``info`` or ``warning`` (styles the box).
    """
    css = "report-note warning" if kind == "warning" else "report-note"
    return Html(f'<div class="{css}">{escape(message)}</div>')


def unavailable(what: str) -> Html:
    """The note a section shows when a table it needs is not in this build.

    Args:
        what: the missing file or function, e.g. ``topics.parquet``.
    """
    return note(
        f"Not available in this build: {what} is missing from the processed data "
        "(run `python -m analysis build` with a version that produces it).",
        kind="warning",
    )


# --- style, colours, figures --------------------------------------------------------------------


def use_report_style() -> None:
    """Set the report rcParams and, inside IPython, show every returned Figure as one PNG.

    The PNG carries no timestamp or software version, so a report rendered twice from the same
    data embeds the same bytes.
    """
    matplotlib.rcParams.update(_style())
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with jupyterlab
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["image/png"]
    formatter.for_type(Figure, _png_with_alt)


def figure_png(fig: Figure, *, dpi: int = 100) -> bytes:
    """The figure as PNG bytes, without metadata that changes between runs.

    Args:
        fig: the figure.
        dpi: resolution (pixels per inch).
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()


def _png_with_alt(fig: Figure) -> tuple[bytes, dict[str, str]]:
    """IPython formatter: PNG bytes plus the title as alt text (the report template reads it)."""
    return figure_png(fig), {"alt": fig.get_suptitle() or "chart"}


def _styled(func: Callable[P, R]) -> Callable[P, R]:
    """Run a chart function inside the report rcParams, whatever the global ones are."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib.rc_context(_style()):
            result = func(*args, **kwargs)
        if isinstance(result, Figure):
            _fit_labels(result)
        return result

    return wrapper


#: Longest category label (tick, legend entry) and panel title a chart draws, in characters.
LABEL_CHARS = 40
TITLE_CHARS = 70
#: The width of a character of the charts' font, in ems (DejaVu Sans, mixed text): what a title
#: of a given size can hold across a width.
_CHAR_EMS = 0.6


def _chars_across(inches: float, points: float) -> int:
    """How many characters of text ``points`` large fit ``inches`` across (at least 10)."""
    return max(10, int(inches * 72 / (points * _CHAR_EMS)))


def _fit_label(text: str, size: int) -> str:
    """Each line of ``text`` cut to ``size`` characters with an ellipsis, its letters that no
    chart font draws (a Chinese outlet's name without a CJK font: :data:`FALLBACK_FONTS`) written
    `□`, as they would be drawn, without a warning per letter into the report."""
    letters = _fonts()[1]
    if not all(ord(letter) in letters for letter in text.replace("\n", "")):
        text = "".join(letter if letter == "\n" or ord(letter) in letters else "□" for letter in text)
    return "\n".join(line if len(line) <= size else line[: size - 1].rstrip() + "…" for line in text.split("\n"))


def _counted_label(name: str, count: int) -> str:
    """A source's label with its count of articles, the name cut so that the count stays (cut
    whole at :data:`LABEL_CHARS`, a long name lost its count: `International : Toute l'actualité sur L…`)."""
    count_text = f" ({count:,})"
    return _fit_label(str(name), max(LABEL_CHARS - len(count_text), 10)) + count_text


def _fitted_tick(func: Callable[[Any, Any], str], value: Any, pos: Any) -> str:
    return _fit_label(str(func(value, pos)), LABEL_CHARS)


def _fit_labels(fig: Figure) -> None:
    """Cut the labels the data wrote (ticks, legend entries, panel titles) to a readable length.

    A source name or title of hundreds of characters would otherwise take the whole width and
    leave the plot no room (constrained layout gives up, and warns into the report).
    """
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            # labels given as a list: a FuncFormatter looking them up (or a FixedFormatter)
            formatter = axis.get_major_formatter()
            if isinstance(formatter, FixedFormatter):
                formatter.seq = [_fit_label(str(label), LABEL_CHARS) for label in formatter.seq]
            elif isinstance(formatter, FuncFormatter):
                formatter.func = functools.partial(_fitted_tick, formatter.func)
        for loc in ("left", "center", "right"):
            title = ax.get_title(loc)
            if title and (fitted := _fit_label(title, TITLE_CHARS)) != title:
                if loc == "center":  # (at its size, not the rc's)
                    ax.set_title(fitted, loc=loc, fontsize=float(ax.title.get_fontsize()))
                else:
                    ax.set_title(fitted, loc=loc)
        legend = ax.get_legend()
        for text in legend.get_texts() if legend is not None else []:
            text.set_text(_fit_label(text.get_text(), LABEL_CHARS))
    for figure_legend in fig.legends:
        for text in figure_legend.get_texts():
            text.set_text(_fit_label(text.get_text(), LABEL_CHARS))
    _fit_panel_titles(fig)


#: Panel titles this short are not measured (they fit any panel a chart draws).
_SHORT_TITLE = 24


def _fit_panel_titles(fig: Figure) -> None:
    """Cut each panel's title to the width of its panel, as laid out: two sources' names side by
    side ran into each other and off the figure (`International : Toute l'actualité sur Le
    Monde.fr.`, `Le Monde.fr - Actualités et Infos en France et dans le monde`)."""
    titled = [ax for ax in fig.axes if ax.get_visible() and len(ax.get_title()) > _SHORT_TITLE]
    if not titled:
        return
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)  # (where the panels will be: their width)
    for ax in titled:
        # a title may overhang its panel a little, not the figure's edges (it is centred on its panel)
        panel = ax.get_window_extent(renderer)
        middle = (panel.x0 + panel.x1) / 2
        room = min(panel.width * 1.15, 2 * (middle - fig.bbox.x0) - 8, 2 * (fig.bbox.x1 - middle) - 8)
        text = ax.get_title()
        while len(text) > _SHORT_TITLE and (drawn := ax.title.get_window_extent(renderer).width) > room:
            text = _fit_label(text, max(_SHORT_TITLE, min(len(text) - 1, int(len(text) * room / drawn))))
            ax.set_title(text, fontsize=ax.title.get_fontsize())


def _figure(
    title: str,
    nrows: int = 1,
    ncols: int = 1,
    *,
    size: tuple[float, float] = (9.0, 4.5),
    sharex: bool = False,
    sharey: bool = False,
    **grid: Any,
) -> tuple[Figure, np.ndarray]:
    fig = Figure(figsize=size, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=sharex, sharey=sharey, gridspec_kw=grid or None)
    heading = fig.suptitle(title)
    # on as many lines as the figure's width needs (a small multiple of two panels cut its title at both ends)
    heading.set_text(
        textwrap.fill(title, _chars_across(size[0], float(heading.get_fontsize())), break_long_words=False)
    )
    return fig, axes


def _footnote(fig: Figure, text: str) -> None:
    """A small note under the figure (a figure-level label, so the layout makes room for it)."""
    fig.supxlabel(text, x=0.005, ha="left", fontsize=7.5, color="#555555")


def country_colors(codes: Sequence[str]) -> dict[str, str]:
    """One colour per country, stable for a build: ``codes`` ranked (most named first).

    The twenty most named countries of the whole build get the twenty palette colours in rank
    order, so they never share one; any other code gets a palette colour from a hash of the code.

    Args:
        codes: ISO 3166-1 alpha-2 codes, most named first (e.g. of the whole processed corpus).
    """
    colors = {code: PALETTE[i] for i, code in enumerate(dict.fromkeys(codes)) if i < len(PALETTE)}
    return colors


def color_of(code: str, colors: Mapping[str, str] | None = None) -> str:
    """The colour of a country code: from ``colors`` when there, else from a hash of the code."""
    if colors and code in colors:
        return colors[code]
    return PALETTE[zlib.crc32(code.encode("utf-8")) % len(PALETTE)]


def topic_color(topic: int) -> str:
    """The colour of a topic, by its number (the same in every chart and report)."""
    return PALETTE[int(topic) % len(PALETTE)]


def source_colors(sources: Iterable[str]) -> dict[str, str]:
    """One colour per source, in alphabetical order of the sources."""
    return {source: PALETTE[i % len(PALETTE)] for i, source in enumerate(sorted(set(sources)))}


def period_label(value: Any, period: str) -> str:
    """A period's first day written for a reader: ``Mar 2025``, ``Q1 2025``, ``week of 03 Mar 2025``.

    Args:
        value: the period's first day.
        period: ``day``, ``week``, ``month``, ``quarter`` or ``year``.
    """
    ts = pd.Timestamp(value)
    if period == "day":
        return ts.strftime("%d %b %Y")
    if period == "week":
        return ts.strftime("wk %d %b %Y")
    if period == "month":
        return ts.strftime("%b %Y")
    if period == "quarter":
        return f"Q{ts.quarter} {ts.year}"
    return str(ts.year)


def _period_axis(ax: Axes, periods: Sequence[Any], period: str) -> None:
    labels = [period_label(p, period) for p in periods]
    step = max(1, math.ceil(len(labels) / 24))
    ax.set_xticks(range(0, len(labels), step))
    ax.set_xticklabels(
        labels[::step], rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center"
    )
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_xlabel(f"{PERIOD_NOUNS.get(period, period).capitalize()} (period start)")


def _check_period(period: str) -> None:
    if period not in PERIOD_TYPES:
        raise ValueError(f"unknown period {period!r}: one of {', '.join(PERIOD_TYPES)}")


_NOTHING_DRAWABLE = (
    "No term to draw: terms with letters the charts' fonts lack (Chinese, Japanese, Korean, Thai, "
    "Hindi without a font installed for them: see the README) are left out of charts, where they "
    "would be empty boxes; the tables show them."
)
_NOTHING_IN_THE_CLOUD = (
    "No term to draw: the word cloud leaves out terms in right-to-left scripts (Arabic, Hebrew) "
    "when its image library (Pillow) cannot lay them out, without the FriBiDi library installed "
    "(their letters would be unjoined and backwards), and terms with letters its font lacks; the "
    "bar charts and the tables show them."
)


def _drawable(term: str) -> bool:
    """Whether a chart can draw ``term``: every letter in its fonts. (Matplotlib lays right-to-left
    text out itself, its letters joined, through the libraqm built into it.)"""
    letters = _fonts()[1]
    return all(ord(letter) in letters for letter in term)


@functools.cache
def _cloud_lays_out_right_to_left() -> bool:
    """Whether Pillow, which draws the word cloud, lays right-to-left text out: through libraqm,
    which needs the system's FriBiDi library (without, `المغرب` is drawn unjoined and backwards)."""
    from PIL import features

    return bool(features.check("raqm"))


def _cloud_drawable(term: str) -> bool:
    """Whether the word cloud, of one font (DejaVu Sans), can draw ``term``."""
    letters = _fonts()[2]
    if _RTL.search(term) and not _cloud_lays_out_right_to_left():
        return False
    return all(ord(letter) in letters for letter in term)


def _count_label(count: int, total: int) -> str:
    return f"{count:,} of {total:,}"


def _share_axis(ax: Axes, axis: str = "x") -> None:
    formatter = PercentFormatter(xmax=100, decimals=0)
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(formatter)


def _int_axis(ax: Axes, axis: str = "x") -> None:
    """Whole numbers on the axis, as many ticks as its length has room for (ten 5-digit counts
    under a narrow panel ran into each other)."""
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_locator(MaxNLocator(nbins="auto", integer=True))


def _empty(message: str) -> Html:
    return note(message)


#: Most sources a per-source chart draws one by one: the smaller ones share one bar (or row).
MAX_SOURCES = 20
#: Most groups (sources) drawn as small multiples: the largest ones.
MAX_PANELS = 12
OTHERS_COLOR = "#bdbdbd"


def _lump_sources(articles: pd.DataFrame, limit: int = MAX_SOURCES) -> tuple[pd.DataFrame, str | None]:
    """``articles`` with the sources beyond the ``limit - 1`` largest renamed ``N other sources``.

    Counts and shares of the lumped row stay exact (they are those of the smaller sources
    together). Returns the frame and the lumped row's name (``None`` when every source fits).
    """
    sizes = articles["source"].value_counts()
    if len(sizes) <= limit:
        return articles, None
    ranked = sorted(sizes.items(), key=lambda item: (-item[1], str(item[0])))
    kept = [name for name, _ in ranked[: limit - 1]]
    label = f"{len(sizes) - len(kept):,} other sources"
    return articles.assign(source=articles["source"].where(articles["source"].isin(kept), label)), label


def _largest(sizes: pd.Series, limit: int = MAX_PANELS) -> tuple[list[str], str]:
    """The ``limit`` largest groups of ``sizes`` (ties by name), and a title suffix when some are left out."""
    ranked = sorted(sizes.items(), key=lambda item: (-float(item[1]), str(item[0])))
    kept = sorted(str(name) for name, _ in ranked[:limit])
    more = f" (the {len(kept)} largest of {len(ranked):,})" if len(ranked) > len(kept) else ""
    return kept, more


def _unique(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles that copy no other (canonical and unique ones)."""
    return articles[articles["duplicate_of"].isna()] if "duplicate_of" in articles else articles


# --- corpus overview ----------------------------------------------------------------------------


def corpus_summary(
    articles: pd.DataFrame, rejects: pd.DataFrame | None = None, boilerplate: pd.DataFrame | None = None
) -> Html:
    """The selection in numbers: articles, copies, sources, languages, dates, rejects, junk removed.

    Args:
        articles: processed articles of the selection, copies included (``source``, ``language``,
            ``published``, ``text``, ``duplicate_of``, ``duplicate_kind``, ``chars_raw``, ``chars_removed``).
        rejects: the rejects ledger of the build (``reason``), when known.
        boilerplate: the boilerplate audit rows of these articles, when known.
    """
    total = len(articles)
    kinds = articles["duplicate_kind"].value_counts() if "duplicate_kind" in articles else pd.Series(dtype=int)
    dated = articles["published"].dropna()
    rows: list[tuple[str, object, str]] = [
        ("Articles in this selection", total, "copies included"),
        (
            "Unique stories",
            int(articles["duplicate_of"].isna().sum()),
            "articles that copy no other; analyses count these unless include_duplicates",
        ),
        ("Exact copies", int(kinds.get("exact", 0)), "same normalised text as an earlier article"),
        ("Near copies", int(kinds.get("near", 0)), "edited or re-junked copies (MinHash similarity)"),
        ("Sources", int(articles["source"].nunique()), ", ".join(sorted(articles["source"].unique()))),
        (
            "Languages",
            int(articles["language"].nunique()),
            ", ".join(f"{k} {v}" for k, v in sorted(articles["language"].fillna("?").value_counts().items())),
        ),
        (
            "Dates",
            f"{dated.min():%Y-%m-%d} to {dated.max():%Y-%m-%d}" if len(dated) else "none",
            f"{total - len(dated):,} undated",
        ),
        (
            "Headline only",
            int(articles["text"].isna().sum()) if "text" in articles else 0,
            "articles without body text (feed items, exports of titles)",
        ),
    ]
    if "chars_raw" in articles and "chars_removed" in articles:
        raw, removed = int(articles["chars_raw"].sum()), int(articles["chars_removed"].sum())
        share = 100 * removed / raw if raw else 0.0
        lines = len(boilerplate) if boilerplate is not None else None
        detail = f"{share:.1f}% of the loaded characters" + (f", {lines:,} lines" if lines is not None else "")
        rows.append(("Boilerplate removed (characters)", removed, detail))
    if rejects is not None:
        reasons = (
            ", ".join(f"{k} {v}" for k, v in sorted(rejects["reason"].value_counts().items())) if len(rejects) else ""
        )
        rows.append(("Records rejected at loading", len(rejects), f"whole build, not filtered: {reasons}"))
    frame = pd.DataFrame(rows, columns=["what", "value", "detail"])
    return html_table(frame, columns={"what": "", "value": "Count", "detail": "Detail"}, right=["value"])


@_styled
def articles_per_period(
    articles: pd.DataFrame, period: str = "month", *, colors: Mapping[str, str] | None = None
) -> Figure | Html:
    """Stacked bars: articles published in each period, by source.

    Args:
        articles: ``published`` and ``source`` columns.
        period: ``day``, ``week``, ``month``, ``quarter`` or ``year``.
        colors: ``{source: colour}`` (default :func:`source_colors`).
    """
    _check_period(period)
    dated = articles[articles["published"].notna()]
    if dated.empty:
        return _empty("No dated article in this selection.")
    dated, others = _lump_sources(dated)
    strays = _strays(dated["published"])
    far = _strays_note(dated["published"][strays], int(strays.sum())) if strays.any() else ""
    dated = dated[~strays]
    period, coarser = _chart_period(dated["published"].min(), dated["published"].max(), period)
    starts = period_start(dated["published"], period)
    table = pd.crosstab(starts.to_numpy(), dated["source"].to_numpy())
    every = period_range(starts.min(), starts.max(), period)
    table = table.reindex(every, fill_value=0)
    colors = dict(colors or source_colors(table.columns))
    if others is not None:  # the lumped sources last, in grey
        colors[others] = OTHERS_COLOR
        table = table[[c for c in table.columns if c != others] + [others]]
    fig, axes = _figure(f"Articles per {PERIOD_NOUNS[period]}, by source", size=(9.5, 4.6))
    ax = axes[0, 0]
    bottom = np.zeros(len(table))
    for source in table.columns:
        values = table[source].to_numpy()
        ax.bar(range(len(table)), values, bottom=bottom, color=color_of(source, colors), label=source, width=0.8)
        bottom += values
    _period_axis(ax, list(table.index), period)
    ax.set_ylabel("Articles (count)")
    _int_axis(ax, "y")
    ax.legend(title="Source", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    undated = len(articles) - len(dated) - int(strays.sum())
    counted = f"{len(dated):,} dated articles" + (f"; {undated:,} undated, not shown" if undated else "")
    _footnote(fig, " ".join(x for x in (f"{counted}.", far, coarser) if x))
    return fig


@_styled
def articles_per_source(articles: pd.DataFrame, *, colors: Mapping[str, str] | None = None) -> Figure | Html:
    """Horizontal bars: articles per source, unique stories and copies (exact, near) stacked.

    Args:
        articles: ``source``, ``duplicate_of`` and ``duplicate_kind`` columns.
        colors: unused for the stacks (fixed colours per kind); accepted for symmetry.
    """
    if articles.empty:
        return _empty("No article in this selection.")
    articles, _ = _lump_sources(articles)
    kind = articles["duplicate_kind"].where(articles["duplicate_of"].notna(), "unique").fillna("near")
    table = pd.crosstab(articles["source"].to_numpy(), kind.to_numpy())
    table = table.reindex(columns=[c for c in ("unique", "exact", "near") if c in table.columns])
    table = table.loc[table.sum(axis=1).sort_values(kind="stable").index]
    fig, axes = _figure("Articles per source", size=(9.0, 1.4 + 0.45 * len(table)))
    ax = axes[0, 0]
    left = np.zeros(len(table))
    names = {"unique": "unique stories", "exact": "exact copies", "near": "near copies"}
    shades = {"unique": "#1f77b4", "exact": "#d62728", "near": "#ff9896"}
    for column in table.columns:
        values = table[column].to_numpy()
        ax.barh(range(len(table)), values, left=left, color=shades[column], label=names[column])
        left += values
    for i, total in enumerate(left):
        ax.text(total, i, f" {int(total):,}", va="center", fontsize=8.5)
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels(table.index)
    ax.set_xlabel("Articles (count)")
    ax.set_ylabel("Source")
    _int_axis(ax)
    ax.legend(loc="lower right")
    return fig


@_styled
def languages_chart(articles: pd.DataFrame) -> Figure | Html:
    """Two panels: articles per language (count), and each source's language mix (%).

    Args:
        articles: ``language``, ``source`` and (optional) ``language_from`` columns.
    """
    if articles.empty:
        return _empty("No article in this selection.")
    language = articles["language"].fillna("unknown").astype(str)
    counts = language.value_counts().sort_values(kind="stable")
    detected = (
        language[articles["language_from"].eq("detected").fillna(False).to_numpy()].value_counts()
        if "language_from" in articles
        else pd.Series(dtype=int)
    )
    shades = language_colors(counts.index)
    mix = pd.crosstab(_lump_sources(articles)[0]["source"].to_numpy(), language.to_numpy(), normalize="index") * 100
    mix = mix.sort_index(ascending=False)
    fig, axes = _figure("Languages", 1, 2, size=(10.5, 1.8 + 0.4 * max(len(counts), len(mix))))
    ax = axes[0, 0]
    ax.barh(range(len(counts)), counts.to_numpy(), color=[shades[c] for c in counts.index])
    for i, (lang, total) in enumerate(counts.items()):
        found = int(detected.get(lang, 0))
        ax.text(
            total, i, f" {int(total):,} ({found:,} detected, {int(total) - found:,} declared)", va="center", fontsize=8
        )
    ax.set_yticks(range(len(counts)))
    ax.set_yticklabels(counts.index)
    ax.set_xlim(0, float(counts.max()) * 1.6)
    ax.set_title("Articles per language")
    ax.set_xlabel("Articles (count)")
    ax.set_ylabel("Language (ISO 639)")
    _int_axis(ax)
    ax = axes[0, 1]
    left = np.zeros(len(mix))
    for lang in counts.index[::-1]:
        if lang not in mix.columns:
            continue
        values = mix[lang].to_numpy()
        ax.barh(range(len(mix)), values, left=left, color=shades[lang], label=lang)
        left += values
    ax.set_yticks(range(len(mix)))
    ax.set_yticklabels(mix.index)
    ax.set_xlim(0, 100)
    _share_axis(ax)
    ax.set_title("Language mix of each source")
    ax.set_xlabel("Share of the source's articles (%)")
    ax.legend(title="language", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def language_colors(languages: Iterable[str]) -> dict[str, str]:
    """One colour per language code, the same in every report (``unknown`` is grey)."""
    return {lang: _LANGUAGE_COLORS.get(lang) or color_of(lang) for lang in languages}


@_styled
def duplicates_chart(articles: pd.DataFrame) -> Figure | Html:
    """Horizontal bars per source: exact copies, near copies, and originals that others copy.

    Args:
        articles: ``source``, ``duplicate_of``, ``duplicate_kind`` and ``copies`` columns.
    """
    if articles.empty:
        return _empty("No article in this selection.")
    frame = pd.DataFrame(
        {
            "original with copies": articles["copies"].fillna(0).gt(0).to_numpy(),
            "exact copy": (articles["duplicate_kind"] == "exact").fillna(False).to_numpy(),
            "near copy": (articles["duplicate_kind"] == "near").fillna(False).to_numpy(),
        },
        index=_lump_sources(articles)[0]["source"].to_numpy(),
    ).astype(int)
    table = frame.groupby(level=0).sum().sort_index(ascending=False)
    fig, axes = _figure("Duplicates and syndication, per source", size=(9.0, 1.6 + 0.45 * len(table)))
    ax = axes[0, 0]
    height = 0.27
    shades = {"original with copies": "#1f77b4", "exact copy": "#d62728", "near copy": "#ff9896"}
    for j, column in enumerate(table.columns):
        positions = np.arange(len(table)) + (j - 1) * height
        ax.barh(positions, table[column].to_numpy(), height=height, color=shades[column], label=column)
        for y, value in zip(positions, table[column].to_numpy(), strict=True):
            if value:
                ax.text(value, y, f" {int(value)}", va="center", fontsize=8)
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels(table.index)
    ax.set_xlabel("Articles (count)")
    ax.set_ylabel("Source")
    _int_axis(ax)
    ax.set_xlim(0, max(5.0, float(table.to_numpy().max()) * 1.15))  # one copy must not look like many
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if not table.to_numpy().any():
        _footnote(fig, "No copies in this selection.")
    return fig


def duplicate_groups_table(articles: pd.DataFrame, *, limit: int = 20) -> Html:
    """Each original with its copies: date, source, title and kind of copy (escaped).

    Args:
        articles: ``article_id``, ``published``, ``source``, ``title``, ``duplicate_of``, ``duplicate_kind``.
        limit: groups shown (the largest first).
    """
    copies = articles[articles["duplicate_of"].notna()]
    if copies.empty:
        return note("No copies in this selection: every article is a unique story.")
    sizes = copies.groupby("duplicate_of").size().sort_values(ascending=False, kind="stable")
    by_id = articles.set_index("article_id")
    rows = []
    for group, canonical in enumerate(sizes.index[:limit], start=1):
        if canonical in by_id.index:
            head = by_id.loc[canonical]
            rows.append((group, "original", head["published"], head["source"], head["title"]))
        members = copies[copies["duplicate_of"] == canonical].sort_values(["published", "article_id"])
        for member in members.itertuples(index=False):
            rows.append((group, f"{member.duplicate_kind} copy", member.published, member.source, member.title))
    frame = pd.DataFrame(rows, columns=["group", "role", "published", "source", "title"])
    return html_table(
        frame,
        columns={
            "group": "Group",
            "role": "Role",
            "published": "Published (UTC)",
            "source": "Source",
            "title": "Title",
        },
        right=["group"],
        caption=f"{len(sizes):,} {'story' if len(sizes) == 1 else 'stories'} published more than once"
        + (f" (largest {limit} shown)" if len(sizes) > limit else ""),
    )


def _count_bars(ax: Any, counts: pd.Series, *, color: str, fontsize: float = 8) -> None:
    """Horizontal bars of counts, each labelled with its count, one tick label per bar."""
    ax.barh(range(len(counts)), counts.to_numpy(), color=color)
    for i, value in enumerate(counts.to_numpy()):
        ax.text(value, i, f" {int(value):,}", va="center", fontsize=fontsize)
    ax.set_yticks(range(len(counts)))
    ax.set_yticklabels(counts.index)


@_styled
def rejects_chart(rejects: pd.DataFrame) -> Figure | Html:
    """Horizontal bars: records rejected at loading, per reason.

    Args:
        rejects: the rejects ledger (``reason``).
    """
    if rejects.empty:
        return note("Nothing was rejected at loading.")
    counts = rejects["reason"].value_counts().sort_values(kind="stable")
    fig, axes = _figure("Records rejected at loading, by reason", size=(8.0, 1.4 + 0.4 * len(counts)))
    ax = axes[0, 0]
    _count_bars(ax, counts, color="#7f7f7f", fontsize=8.5)
    ax.set_xlim(0, max(5.0, float(counts.max()) * 1.15))
    ax.set_xlabel("Records (count; a whole rejected file counts as one)")
    ax.set_ylabel("Reason")
    _int_axis(ax)
    return fig


def rejects_table(rejects: pd.DataFrame, *, limit: int = 30) -> Html:
    """The rejects ledger: file, record, reason, detail and excerpt (escaped).

    Args:
        rejects: ``raw_path``, ``raw_index``, ``reason``, ``detail``, ``excerpt``.
        limit: rows shown.

    Nothing when there is no reject (:func:`rejects_chart` says so).
    """
    if rejects.empty:
        return Html("")
    frame = rejects.sort_values(["reason", "raw_path"], kind="stable").head(limit)
    columns = {"reason": "Reason", "raw_path": "File", "raw_index": "Record", "detail": "Detail", "excerpt": "Excerpt"}
    columns = {k: v for k, v in columns.items() if k in frame}
    return html_table(
        frame,
        columns=columns,
        right=["raw_index"],
        formats={"excerpt": lambda v: _shorten(_text(v), 160), "raw_index": _text},
        caption=f"{len(rejects):,} rejected" + (f" (first {limit} shown)" if len(rejects) > limit else ""),
    )


def _shorten(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


@_styled
def boilerplate_chart(articles: pd.DataFrame, boilerplate: pd.DataFrame) -> Figure | Html:
    """Two panels: share of loaded characters removed per source (%), and lines removed per reason.

    Args:
        articles: ``source``, ``chars_raw``, ``chars_removed``.
        boilerplate: the audit (``reason``) of these articles.
    """
    if articles.empty:
        return _empty("No article in this selection.")
    lumped = _lump_sources(articles)[0]
    sums = lumped.groupby("source")[["chars_raw", "chars_removed"]].sum().sort_index(ascending=False)
    share = 100 * sums["chars_removed"] / sums["chars_raw"].where(sums["chars_raw"] > 0)
    reasons = boilerplate["reason"].value_counts().sort_values(kind="stable")
    fig, axes = _figure(
        "Boilerplate removed by cleaning", 1, 2, size=(10.5, 1.8 + 0.4 * max(len(sums), len(reasons), 2))
    )
    ax = axes[0, 0]
    ax.barh(range(len(share)), share.fillna(0).to_numpy(), color="#8c564b")
    for i, (value, removed) in enumerate(zip(share.fillna(0), sums["chars_removed"], strict=True)):
        ax.text(value, i, f" {value:.0f}% ({int(removed):,} chars)", va="center", fontsize=8)
    ax.set_yticks(range(len(share)))
    ax.set_yticklabels(share.index)
    ax.set_xlim(0, max(100.0, float(share.max() or 0)))
    _share_axis(ax)
    ax.set_title("Per source")
    ax.set_xlabel("Share of the loaded characters removed (%)")
    ax = axes[0, 1]
    if reasons.empty:
        ax.text(0.5, 0.5, "nothing removed", ha="center", va="center", transform=ax.transAxes)
    else:
        _count_bars(ax, reasons, color="#c49c94")
    ax.set_title("Per reason")
    ax.set_xlabel("Lines removed (count)")
    _int_axis(ax)
    return fig


def boilerplate_table(boilerplate: pd.DataFrame, *, limit: int = 15) -> Html:
    """The lines cleaning removed most often, with their reason and how many times (escaped).

    Args:
        boilerplate: ``reason``, ``text``, ``article_id``.
        limit: rows shown.
    """
    if boilerplate.empty:
        return note("Cleaning removed nothing from these articles.")
    grouped = (
        boilerplate.assign(text=boilerplate["text"].map(lambda t: _shorten(str(t), 120)))
        .groupby(["text", "reason"])
        .agg(times=("article_id", "size"), articles=("article_id", "nunique"))
        .reset_index()
        .sort_values(["times", "text"], ascending=[False, True], kind="stable")
        .head(limit)
    )
    return html_table(
        grouped,
        columns={"text": "Removed text", "reason": "Reason", "times": "Lines (count)", "articles": "Articles (count)"},
        right=["times", "articles"],
        caption="Most frequent removed lines",
    )


def markup_titles_table(articles: pd.DataFrame) -> Html:
    """Articles whose title looks like markup (``<``, ``>``, entities, ``javascript:``): shown as text.

    Such titles are kept verbatim in the data (they are what the source published, or an attack);
    this table shows them escaped so that a reader can check them.

    Args:
        articles: ``published``, ``source``, ``title``, ``article_id``.
    """
    titles = articles["title"].fillna("")
    flagged = articles[titles.map(lambda t: bool(_MARKUP.search(t)))]
    if flagged.empty:
        return note("No title looks like markup.")
    return html_table(
        flagged.sort_values(["published", "article_id"], kind="stable"),
        columns={
            "published": "Published (UTC)",
            "source": "Source",
            "title": "Title (as published)",
            "article_id": "Article id",
        },
        caption=f"{len(flagged):,} titles contain markup-like characters; they are data, shown as text",
    )


def articles_table(articles: pd.DataFrame, *, limit: int = 12, latest: bool = True) -> Html:
    """A list of articles: date, source, language, title, tags (escaped).

    Args:
        articles: ``published``, ``source``, ``language``, ``title``, ``tags``, ``article_id``.
        limit: rows shown.
        latest: most recent first (else oldest first).
    """
    frame = articles.sort_values(
        ["published", "article_id"], ascending=[not latest, True], na_position="last", kind="stable"
    ).head(limit)
    columns = {
        "published": "Published (UTC)",
        "source": "Source",
        "language": "Lang.",
        "title": "Title",
        "tags": "Tags",
    }
    return html_table(
        frame,
        columns={k: v for k, v in columns.items() if k in frame},
        empty="No article in this selection.",
        caption=f"{'Latest' if latest else 'Earliest'} {len(frame)} of {len(articles):,} articles",
    )


def sources_table(articles: pd.DataFrame) -> Html:
    """One row per source: articles, unique stories, the outlet's country (when the table says
    it), languages, first and last date, median length.

    Args:
        articles: ``source``, ``published``, ``language``, ``duplicate_of``, ``n_tokens``, and
            ``source_country`` if known.
    """
    if articles.empty:
        return note("No article in this selection.")
    grouped = articles.groupby("source")
    frame = pd.DataFrame(
        {
            "articles": grouped.size(),
            "unique": grouped["duplicate_of"].apply(lambda s: int(s.isna().sum())),
            "languages": grouped["language"].apply(
                lambda s: ", ".join(f"{k} {v}" for k, v in sorted(s.fillna("?").value_counts().items()))
            ),
            "first": grouped["published"].min(),
            "last": grouped["published"].max(),
            "words": grouped["n_tokens"].median() if "n_tokens" in articles else np.nan,
        }
    ).reset_index()
    countries = {}
    if "source_country" in articles and articles["source_country"].notna().any():
        # (one per outlet, but a folder's metadata and the URLs' domains may say several)
        named = grouped["source_country"].apply(lambda s: ", ".join(sorted(s.dropna().unique())))
        frame.insert(3, "country", frame["source"].map(named))
        countries = {"country": "Country"}
    return html_table(
        frame,
        columns={
            "source": "Source",
            "articles": "Articles (count)",
            "unique": "Unique stories (count)",
            **countries,
            "languages": "Languages",
            "first": "First",
            "last": "Last",
            "words": "Median length (words)",
        },
        right=["articles", "unique", "words"],
        formats={"words": lambda v: "" if pd.isna(v) else f"{float(v):,.0f}"},
    )


# --- countries ----------------------------------------------------------------------------------

# Continents from the Olson time zones CLDR lists per territory (babel); these override the
# zones where an island, an ocean zone or a transcontinental country would come out wrong.
_CONTINENT_OVERRIDES = {
    "RU": "Europe",
    "TR": "Asia",
    "CY": "Asia",
    "PT": "Europe",
    "ES": "Europe",
    "IS": "Europe",
    "FO": "Europe",
    "SJ": "Europe",
    "XK": "Europe",
    "EC": "Americas",
    "BM": "Americas",
    "FK": "Americas",
    "GS": "Americas",
    "CV": "Africa",
    "SH": "Africa",
    "MV": "Asia",
    "IO": "Asia",
    "CC": "Oceania",
    "CX": "Oceania",
    "TF": "Africa",
    "AQ": "Other",
    "BV": "Other",
    "HM": "Oceania",
}
_ZONE_CONTINENTS = {
    "Africa": "Africa",
    "America": "Americas",
    "Asia": "Asia",
    "Europe": "Europe",
    "Pacific": "Oceania",
    "Australia": "Oceania",
    "Indian": "Africa",  # Madagascar, Comoros, Mauritius, Seychelles, Réunion, Mayotte
    "Atlantic": "Americas",
}


@functools.cache
def continent(iso2: str) -> str:
    """The continent of a country code (Africa, Americas, Asia, Europe, Oceania; else Other).

    From CLDR's time zones per territory (babel): the most common zone prefix, with overrides for
    transcontinental countries (Russia: Europe; Turkey, Cyprus: Asia, as in UN M49) and islands.
    """
    if iso2 in _CONTINENT_OVERRIDES:
        return _CONTINENT_OVERRIDES[iso2]
    from babel.core import get_global

    zones = get_global("territory_zones").get(iso2, [])
    votes = pd.Series([_ZONE_CONTINENTS.get(z.split("/")[0], "Other") for z in zones], dtype=object)
    if votes.empty:
        return "Other"
    counts = votes.value_counts()
    return str(counts.index[0])


def _country_stats(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Per country: articles naming it, share of the articles, mentions, in titles; most named first."""
    keep = mentions[mentions["article_id"].isin(articles["article_id"])]
    if keep.empty:
        return pd.DataFrame(columns=["iso2", "country", "country_fr", "articles", "share", "mentions", "in_title"])
    names = keep.groupby("iso2")[["country", "country_fr"]].first()
    grouped = keep.groupby("iso2")
    in_title = keep[keep["in_title"].astype(bool)] if "in_title" in keep else keep.iloc[0:0]
    stats = pd.DataFrame(
        {
            "articles": grouped["article_id"].nunique(),
            "mentions": grouped.size(),
            "in_title": in_title.groupby("iso2")["article_id"].nunique(),
        }
    ).fillna({"in_title": 0})
    stats = stats.join(names).reset_index()
    stats["in_title"] = stats["in_title"].astype(int)
    stats["share"] = 100 * stats["articles"] / max(len(articles), 1)
    stats["country"] = stats["country"].fillna(stats["iso2"])
    return stats.sort_values(
        ["articles", "mentions", "iso2"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def _name(row: Any, lang: str) -> str:
    name = row.country_fr if lang == "fr" and isinstance(row.country_fr, str) else row.country
    return f"{name} ({row.iso2})"


@_styled
def top_countries(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    n: int = 15,
    colors: Mapping[str, str] | None = None,
    lang: str = "en",
) -> Figure | Html:
    """Two panels: share of articles naming each country (%), and its mentions (count).

    Args:
        mentions: country mentions (``article_id``, ``iso2``, ``country``, ``country_fr``).
        articles: the articles counted (the denominator of the shares).
        n: countries shown, most named first.
        colors: ``{iso2: colour}`` (see :func:`country_colors`).
        lang: ``en`` or ``fr`` country names.
    """
    stats = _country_stats(mentions, articles).head(n)
    if stats.empty:
        return _empty("No country is named in this selection.")
    stats = stats.iloc[::-1]
    labels = [_name(r, lang) for r in stats.itertuples()]
    shades = [color_of(code, colors) for code in stats["iso2"]]
    fig, axes = _figure(
        f"Most-named countries ({len(articles):,} articles)", 1, 2, size=(10.5, 1.6 + 0.32 * len(stats)), sharey=True
    )
    ax = axes[0, 0]
    ax.barh(range(len(stats)), stats["share"].to_numpy(), color=shades)
    for i, row in enumerate(stats.itertuples()):
        ax.text(
            row.share, i, f" {row.share:.0f}% ({_count_label(row.articles, len(articles))})", va="center", fontsize=8
        )
    ax.set_yticks(range(len(stats)))
    ax.set_yticklabels(labels)
    ax.set_xlim(0, min(100.0, float(stats["share"].max()) * 1.45 + 5))
    _share_axis(ax)
    ax.set_title("Share of articles naming the country")
    ax.set_xlabel("Articles naming it (% of all articles)")
    ax = axes[0, 1]
    ax.barh(range(len(stats)), stats["mentions"].to_numpy(), color=shades, alpha=0.55, hatch="//", edgecolor="white")
    for i, value in enumerate(stats["mentions"].to_numpy()):
        ax.text(value, i, f" {int(value):,}", va="center", fontsize=8)
    ax.set_title("Mentions (raw count)")
    ax.set_xlabel("Mentions (count, every occurrence)")
    _int_axis(ax)
    return fig


def top_countries_table(mentions: pd.DataFrame, articles: pd.DataFrame, *, n: int = 20, lang: str = "en") -> Html:
    """The most-named countries with raw counts and shares side by side.

    Args:
        mentions: country mentions.
        articles: the articles counted.
        n: rows.
        lang: ``en`` or ``fr`` names first.
    """
    stats = _country_stats(mentions, articles).head(n)
    if stats.empty:
        return note("No country is named in this selection.")
    stats.insert(0, "rank", range(1, len(stats) + 1))
    first, second = ("country_fr", "country") if lang == "fr" else ("country", "country_fr")
    return html_table(
        stats,
        columns={
            "rank": "Rank",
            "iso2": "ISO",
            first: "Country",
            second: "Country (fr)" if lang == "en" else "Country (en)",
            "articles": "Articles naming it (count)",
            "share": "Share of articles (%)",
            "mentions": "Mentions (count)",
            "in_title": "Articles naming it in the title (count)",
        },
        right=["rank", "articles", "share", "mentions", "in_title"],
        formats={"share": lambda v: f"{v:.1f}"},
    )


@_styled
def countries_by_language(
    mentions: pd.DataFrame, articles: pd.DataFrame, matched: Iterable[str] | None = None, *, n: int = 20
) -> Html:
    """Per article language: the articles, the share naming a country, and whether the language's
    own country names were matched (``matched``: the build's ``countries.languages``; French and
    English always are). A language matched with French and English names alone names fewer
    countries than it writes: compare its share with the others' before comparing its countries.

    Args:
        mentions: country mentions.
        articles: the articles counted (``language``).
        matched: the languages whose own names were matched; ``None``: not known (column left out).
        n: rows (the languages with most articles).
    """
    if articles.empty:
        return note("No article in this selection.")
    language = articles["language"].fillna("unknown").astype(str)
    naming = articles["article_id"].isin(mentions["article_id"]) if len(mentions) else language.map(lambda _: False)
    table = (
        pd.DataFrame({"language": language, "naming": naming.astype(bool)})
        .groupby("language")
        .agg(articles=("naming", "size"), naming=("naming", "sum"))
        .reset_index()
        .sort_values(["articles", "language"], ascending=[False, True], kind="stable")
        .head(n)
    )
    table["share"] = 100 * table["naming"] / table["articles"]
    columns = {
        "language": "Language",
        "articles": "Articles (count)",
        "naming": "Naming a country (count)",
        "share": "Naming a country (%)",
    }
    if matched is not None:
        own = {"fr", "en", *matched}
        table["names"] = [
            "its own and French, English" if code in own else "French and English only" if code != "unknown" else ""
            for code in table["language"]
        ]
        columns["names"] = "Country names matched"
    return html_table(
        table,
        columns=columns,
        right=["articles", "naming", "share"],
        formats={"share": lambda v: f"{v:.1f}"},
    )


@_styled
def country_trends(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    period: str = "month",
    *,
    top: int = 6,
    codes: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
) -> Figure | Html:
    """Lines: share of each period's articles naming a country (%), over the articles per period (count).

    Args:
        mentions: country mentions.
        articles: the articles counted (``article_id``, ``published``, ``duplicate_of``).
        period: ``day``, ``week``, ``month``, ``quarter`` or ``year``.
        top: how many of the most-named countries (ignored when ``codes`` is given).
        codes: the countries to draw (ISO alpha-2).
        colors: ``{iso2: colour}``.
    """
    from analysis.countries import country_periods

    _check_period(period)
    dated = articles[articles["published"].notna()]
    if dated.empty:
        return _empty("No dated article in this selection.")
    chosen = list(codes) if codes else list(_country_stats(mentions, dated)["iso2"].head(top))
    if not chosen:
        return _empty("No country is named in this selection.")
    strays = _strays(dated["published"])
    far = _strays_note(dated["published"][strays], int(strays.sum())) if strays.any() else ""
    dated = dated[~strays]
    period, coarser = _chart_period(dated["published"].min(), dated["published"].max(), period)
    table = country_periods(mentions, dated, [period], include_duplicates=True)
    starts = period_start(dated["published"], period)
    every = period_range(starts.min(), starts.max(), period)
    totals = starts.value_counts().reindex(every, fill_value=0)
    fig, axes = _figure(
        f"Countries over time: share of each {PERIOD_NOUNS[period]}'s articles naming them",
        2,
        1,
        size=(10.0, 6.0),
        sharex=True,
        height_ratios=[3, 1],
    )
    ax = axes[0, 0]
    x = np.arange(len(every))
    names = _country_stats(mentions, dated).set_index("iso2")["country"]
    for code in chosen:
        rows = table[table["iso2"] == code].set_index("period")["share_articles"]
        values = 100 * rows.reindex(every, fill_value=0.0).to_numpy()
        values[totals.to_numpy() == 0] = np.nan  # no article: no share (a gap, not 0%)
        ax.plot(
            x,
            values,
            marker="o",
            markersize=3,
            linewidth=1.8,
            color=color_of(code, colors),
            label=f"{names.get(code, code)} ({code})",
        )
    ax.set_ylim(0, 105)
    _share_axis(ax, "y")
    ax.set_ylabel(f"Articles naming it (% of the {PERIOD_NOUNS[period]}'s articles)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax = axes[1, 0]
    ax.bar(x, totals.to_numpy(), color="#c7c7c7", width=0.8)
    ax.set_ylabel("Articles (count)")
    _int_axis(ax, "y")
    _period_axis(ax, list(every), period)
    if coarser or far:
        _footnote(fig, " ".join(x for x in (far, coarser) if x))
    return fig


@_styled
def co_mention_heatmap(
    mentions: pd.DataFrame, articles: pd.DataFrame, *, top: int = 12, lang: str = "en"
) -> Figure | Html:
    """Heatmap: articles naming both countries (count); the diagonal is articles naming the country.

    Args:
        mentions: country mentions.
        articles: the articles counted.
        top: the most-named countries shown.
        lang: ``en`` or ``fr`` names.
    """
    from analysis.countries import co_mentions

    stats = _country_stats(mentions, articles).head(top)
    if len(stats) < 2:
        return _empty("Fewer than two countries are named in this selection: no pairs to show.")
    codes = list(stats["iso2"])
    pairs = co_mentions(mentions[mentions["iso2"].isin(codes)], articles, include_duplicates=True)
    matrix = pd.DataFrame(0, index=codes, columns=codes, dtype=int)
    for row in pairs.itertuples(index=False):
        matrix.loc[row.iso2_a, row.iso2_b] = row.articles
        matrix.loc[row.iso2_b, row.iso2_a] = row.articles
    diagonal = stats.set_index("iso2")["articles"]
    labels = [_name(r, lang) for r in stats.itertuples()]
    fig, axes = _figure("Countries named together", size=(9.0, 7.6))
    ax = axes[0, 0]
    values = matrix.to_numpy().astype(float)
    shown = values.copy()
    np.fill_diagonal(shown, np.nan)
    image = ax.imshow(shown, cmap="Blues", vmin=0)
    for i, code in enumerate(codes):
        ax.add_patch(Rectangle((i - 0.5, i - 0.5), 1, 1, color="#eeeeee"))
        ax.text(i, i, f"{int(diagonal[code])}", ha="center", va="center", fontsize=7.5, color="#555555")
    top_value = np.nanmax(shown) if np.isfinite(shown).any() else 0
    for i in range(len(codes)):
        for j in range(len(codes)):
            if i != j and values[i, j]:
                dark = values[i, j] > 0.6 * top_value
                ax.text(
                    j,
                    i,
                    f"{int(values[i, j])}",
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color="white" if dark else "black",
                )
    ax.set_xticks(range(len(codes)))
    ax.set_xticklabels(codes)
    ax.set_yticks(range(len(codes)))
    ax.set_yticklabels(labels)
    ax.set_xlabel("Country (ISO code)")
    ax.set_ylabel("Country")
    ax.grid(False)
    fig.colorbar(image, ax=ax, shrink=0.7, label="Articles naming both (count)")
    _footnote(fig, "Grey diagonal: articles naming the country at all (count).")
    return fig


@_styled
def mention_kinds(mentions: pd.DataFrame, *, top: int = 12, lang: str = "en") -> Figure | Html:
    """Stacked bars: how each country is named (name, demonym, capital, institution, self), in mentions.

    Args:
        mentions: ``iso2``, ``country``, ``country_fr``, ``kind``.
        top: countries shown (the most mentioned).
        lang: ``en`` or ``fr`` names.
    """
    if mentions.empty:
        return _empty("No country is named in this selection.")
    table = pd.crosstab(mentions["iso2"].to_numpy(), mentions["kind"].to_numpy())
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]].iloc[::-1]
    kinds = [k for k in KIND_COLORS if k in table.columns] + [k for k in table.columns if k not in KIND_COLORS]
    names = mentions.groupby("iso2")[["country", "country_fr"]].first()
    labels = [f"{names.loc[code, 'country_fr' if lang == 'fr' else 'country']} ({code})" for code in table.index]
    fig, axes = _figure("How countries are named", size=(9.5, 1.6 + 0.32 * len(table)))
    ax = axes[0, 0]
    left = np.zeros(len(table))
    for kind in kinds:
        values = table[kind].to_numpy()
        ax.barh(range(len(table)), values, left=left, color=KIND_COLORS.get(kind, "#7f7f7f"), label=kind)
        left += values
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels(labels)
    ax.set_xlabel("Mentions (count)")
    _int_axis(ax)
    ax.legend(title="kind of mention", loc="lower right")
    return fig


@_styled
def countries_by_continent(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    top: int = 40,
    lang: str = "en",
) -> Figure | Html:
    """Ranked dot plot: the most-named countries grouped by continent, share of articles (%).

    A world map would need country shapes, which no dependency of this project ships; this plot
    shows the same geography (which parts of the world the coverage names) with exact values.

    Args:
        mentions: country mentions.
        articles: the articles counted.
        top: countries shown.
        lang: ``en`` or ``fr`` names.
    """
    stats = _country_stats(mentions, articles).head(top)
    if stats.empty:
        return _empty("No country is named in this selection.")
    stats["continent"] = stats["iso2"].map(continent)
    order = {name: i for i, name in enumerate(CONTINENT_COLORS)}
    stats = stats.sort_values(
        ["continent", "share", "iso2"],
        key=lambda s: s.map(order) if s.name == "continent" else s,
        ascending=[True, False, True],
        kind="stable",
    ).reset_index(drop=True)
    fig, axes = _figure(
        "Countries named, grouped by continent", size=(9.0, 1.8 + 0.25 * (len(stats) + stats["continent"].nunique()))
    )
    ax = axes[0, 0]
    y, positions, labels, headers, seen = 0, [], [], [], None
    for row in stats.itertuples():
        if row.continent != seen:
            seen = row.continent
            headers.append((y, str(seen)))
            y += 1
        positions.append(y)
        labels.append(_name(row, lang))
        y += 1
    positions_arr = np.array(positions)
    for name, group in stats.groupby("continent", sort=False):
        idx = group.index.to_numpy()
        ax.hlines(positions_arr[idx], 0, group["share"], color=CONTINENT_COLORS[str(name)], alpha=0.35, linewidth=1)
        ax.scatter(
            group["share"],
            positions_arr[idx],
            color=CONTINENT_COLORS[str(name)],
            s=28,
            zorder=3,
            label=f"{name} ({len(group)})",
        )
    for row, pos in zip(stats.itertuples(), positions_arr, strict=True):
        ax.text(row.share, pos, f"  {row.articles:,}", va="center", fontsize=7.5, color="#444444")
    ticks = [*positions, *(y for y, _ in headers)]
    names = [*labels, *(name.upper() for _, name in headers)]
    ax.set_yticks(ticks)
    ax.set_yticklabels(names, fontsize=8)
    for tick, (_, name) in zip(ax.get_yticklabels()[len(labels) :], headers, strict=True):
        tick.set_fontweight("bold")
        tick.set_color(CONTINENT_COLORS[name])
    ax.invert_yaxis()
    ax.set_xlim(0, min(100.0, float(stats["share"].max()) * 1.25 + 3))
    _share_axis(ax)
    ax.set_xlabel("Articles naming the country (% of all articles; number = count)")
    ax.legend(title="continent (countries)", loc="lower right")
    return fig


@_styled
def regions_chart(regions: pd.DataFrame, articles: pd.DataFrame, *, n: int = 12) -> Figure | Html:
    """Horizontal bars: share of articles naming each region (Maghreb, Sahel, Europe...), in %.

    Args:
        regions: region mentions (``article_id``, ``region``, ``region_en``).
        articles: the articles counted.
        n: regions shown.
    """
    keep = regions[regions["article_id"].isin(articles["article_id"])]
    if keep.empty:
        return _empty("No region is named in this selection.")
    counts = keep.groupby("region_en")["article_id"].nunique().sort_values(ascending=False, kind="stable").head(n)
    counts = counts.iloc[::-1]
    share = 100 * counts / max(len(articles), 1)
    fig, axes = _figure("Regions named (never counted as countries)", size=(9.0, 1.6 + 0.32 * len(counts)))
    ax = axes[0, 0]
    ax.barh(range(len(counts)), share.to_numpy(), color="#17becf")
    for i, (value, count) in enumerate(zip(share, counts, strict=True)):
        ax.text(value, i, f" {value:.0f}% ({_count_label(int(count), len(articles))})", va="center", fontsize=8)
    ax.set_yticks(range(len(counts)))
    ax.set_yticklabels(counts.index)
    ax.set_xlim(0, min(100.0, float(share.max()) * 1.45 + 5))
    _share_axis(ax)
    ax.set_xlabel("Articles naming the region (% of all articles)")
    return fig


@_styled
def countries_by_source(
    mentions: pd.DataFrame, articles: pd.DataFrame, *, top: int = 12, lang: str = "en"
) -> Figure | Html:
    """Heatmap: share of each source's articles naming each of the most-named countries (%).

    Args:
        mentions: country mentions.
        articles: the articles counted (``article_id``, ``source``).
        top: countries shown.
        lang: ``en`` or ``fr`` names.
    """
    stats = _country_stats(mentions, articles).head(top)
    if stats.empty:
        return _empty("No country is named in this selection.")
    codes = list(stats["iso2"])
    articles, _ = _lump_sources(articles)
    keep = mentions[mentions["iso2"].isin(codes)].merge(articles[["article_id", "source"]], on="article_id")
    named = keep.groupby(["source", "iso2"])["article_id"].nunique().unstack(fill_value=0)
    sizes = articles.groupby("source").size()
    named = named.reindex(index=sizes.index, columns=codes, fill_value=0)
    share = 100 * named.div(sizes, axis=0)
    labels = [_name(r, lang) for r in stats.itertuples()]
    fig, axes = _figure("Countries per source", size=(10.0, 2.2 + 0.5 * len(sizes)))
    ax = axes[0, 0]
    image = ax.imshow(share.to_numpy(), cmap="Blues", vmin=0, vmax=100, aspect="auto")
    for i in range(share.shape[0]):
        for j in range(share.shape[1]):
            value = share.iat[i, j]
            ax.text(
                j, i, f"{value:.0f}", ha="center", va="center", fontsize=7.5, color="white" if value > 60 else "black"
            )
    ax.set_xticks(range(len(codes)))
    ax.set_xticklabels(labels, rotation=40, ha="right")
    ax.set_yticks(range(len(sizes)))
    ax.set_yticklabels([_counted_label(s, n) for s, n in sizes.items()])
    ax.set_xlabel("Country")
    ax.set_ylabel("Source (articles)")
    ax.grid(False)
    # the scale's meaning in a footnote: along a short scale (two sources) a label ran off the figure
    fig.colorbar(image, ax=ax, shrink=0.8).ax.set_title("%", fontsize=8)
    _footnote(fig, "Each cell: the share of the source's articles naming the country (%).")
    return fig


# --- keywords -----------------------------------------------------------------------------------


def _period_rows(frame: pd.DataFrame, period: str, *, readable: bool = False) -> pd.DataFrame | str:
    """Rows of ``frame`` at ``period_type == period``, or of the next longer period it has.

    The build's tables hold weeks to years (not days). With ``readable``, the periods of strays
    (:func:`_strays`, weighed by their ``period_articles``) are left out, their note in the rows'
    ``attrs["strays"]``, and a period that would give a time axis of more than
    :data:`MAX_PERIODS` gives way to a longer one too (see :func:`_chart_period`). The caller
    reads the period drawn from the rows' ``period_type``. Returns a message instead when no row
    is dated (or none is of ``period`` or longer).
    """
    _check_period(period)
    dated = frame[frame["period_type"].notna() & frame["period"].notna()]
    if dated.empty:
        return "No dated article in this selection."
    available = set(dated["period_type"])
    longer = [p for p in PERIOD_TYPES[PERIOD_TYPES.index(period) :] if p in available]
    if not longer:
        return f"No rows per {period} or longer period (available: {', '.join(sorted(available))})."
    chosen = longer[0]
    note = ""
    if readable:
        base = dated[dated["period_type"] == chosen]
        per = (
            base.groupby("period")["period_articles"].max()
            if "period_articles" in base
            else base["period"].value_counts()
        )
        stray = _strays(pd.Series(per.index), per.to_numpy())
        if stray.any():
            kept = pd.to_datetime(pd.Series(per.index[~stray]))
            first, last = kept.min(), kept.max()
            starts = pd.to_datetime(dated["period"])
            inside = pd.Series(False, index=dated.index)
            for kind in set(dated["period_type"]):
                rows = dated["period_type"] == kind
                opening = period_range(first, first, kind)[0]  # (the start of the period holding it)
                inside |= rows & (starts >= opening) & (starts <= last)
            note = _strays_note(pd.Series(per.index[stray]), float(per.to_numpy()[stray].sum()))
            dated = dated[inside]
        chosen, _ = _chart_period(dated["period"].min(), dated["period"].max(), longer[0], available)
    rows = dated[dated["period_type"] == chosen].copy()
    if note:
        rows.attrs["strays"] = note
    return rows


#: Most periods a time chart draws: beyond, it draws the next longer period that fits.
MAX_PERIODS = 120


def _chart_period(first: Any, last: Any, period: str, available: Iterable[str] | None = None) -> tuple[str, str]:
    """The period a time chart from ``first`` to ``last`` draws, and a note when it is not ``period``.

    ``period`` unless that gives more than :data:`MAX_PERIODS` bars or points (a 175-year archive
    by month: 2,100 bars a pixel wide, dates unreadable): then the first longer period that
    fits, among ``available`` when given, else the longest.
    """
    kinds = [p for p in PERIOD_TYPES[PERIOD_TYPES.index(period) :] if available is None or p in set(available)]
    chosen = kinds[-1] if kinds else period
    for kind in kinds:
        if len(period_range(pd.Timestamp(first), pd.Timestamp(last), kind)) <= MAX_PERIODS:
            chosen = kind
            break
    if chosen == period:
        return period, ""
    count = len(period_range(pd.Timestamp(first), pd.Timestamp(last), period))
    return chosen, f"Drawn per {chosen}: {count:,} {period}s would be too many to read."


#: A time chart leaves out strays: dates before the ``STRAY_SHARE`` quantile of the articles'
#: dates (or after the ``1 - STRAY_SHARE`` one) by more than the time between those two quantiles,
#: and by more than ``STRAY_MIN_GAP`` (a corpus of one day does not lose the next day's articles).
STRAY_SHARE = 0.005
STRAY_MIN_GAP = pd.Timedelta(days=92)


def _strays(dates: pd.Series, weights: pd.Series | None = None) -> np.ndarray:
    """Which ``dates`` a time chart leaves out: a few articles far from all the others (``weights``:
    the articles each date stands for; default one each).

    A feed of 2022 that carries an archive's old pieces under their first dates (4 of Le Monde's
    11,281 items, 1991 to 2001) drew its charts over 32 years, a bar per year, 2022 one of them.
    A corpus whose dates spread evenly, or whose older part is more than ``STRAY_SHARE`` of it,
    loses nothing.
    """
    stamps = pd.to_datetime(pd.Series(dates).reset_index(drop=True), utc=True)
    mass = np.ones(len(stamps)) if weights is None else np.asarray(weights, dtype=float)
    order = np.argsort(stamps.to_numpy(), kind="stable")
    cumulative = np.cumsum(mass[order])
    if not len(order) or cumulative[-1] <= 0:
        return np.zeros(len(stamps), dtype=bool)
    ranked = stamps.iloc[order].reset_index(drop=True)
    low = ranked.iloc[int(np.searchsorted(cumulative, STRAY_SHARE * cumulative[-1]))]
    high = ranked.iloc[min(int(np.searchsorted(cumulative, (1 - STRAY_SHARE) * cumulative[-1])), len(order) - 1)]
    span = max(high - low, STRAY_MIN_GAP)
    return ((stamps < low - span) | (stamps > high + span)).to_numpy()


def _strays_note(dates: pd.Series, count: float) -> str:
    """The footnote of the strays a chart leaves out (``dates``: theirs)."""
    years = pd.to_datetime(pd.Series(dates), utc=True).dt.year
    when = f"{years.min()}" if years.min() == years.max() else f"{years.min()}–{years.max()}"
    noun = "article" if count == 1 else "articles"
    return f"{count:,.0f} {noun} dated far from the rest ({when}) not shown."


def _term_bars(
    ax: Axes,
    rows: pd.DataFrame,
    *,
    color: str,
    value: str = "count",
    label: str | None = None,
    slots: int | None = None,
) -> None:
    """Horizontal bars, the first row on top; ``slots`` fixes the bar places so panels share bar heights."""
    places = max(slots or len(rows), len(rows))
    positions = np.arange(places - 1, places - 1 - len(rows), -1)
    values = rows[value].to_numpy()
    ax.barh(positions, values, color=color, height=0.8)
    ax.set_yticks(positions)
    ax.set_yticklabels(rows["term"])
    ax.set_ylim(-0.6, places - 0.4)
    if label:
        for y, number, text in zip(positions, values, rows[label], strict=True):
            ax.text(float(number), float(y), f" {text}", va="center", fontsize=7)


def _grid(count: int, columns: int) -> tuple[int, int]:
    cols = min(columns, count)
    return math.ceil(count / cols), cols


@_styled
def top_terms(frequencies: pd.DataFrame | None, *, n: int = 20, phrases: bool | None = None) -> Figure | Html:
    """Horizontal bars: the most frequent terms of the whole corpus (count), with their article share.

    Args:
        frequencies: ``term_frequencies.parquet`` rows (``scope``, ``term``, ``phrase``, ``count``, ``doc_share``).
        n: terms shown.
        phrases: only phrases (True), only single words (False), or both (None).
    """
    if frequencies is None:
        return unavailable(TERMS_FILE)
    rows = frequencies[frequencies["scope"] == "corpus"]
    if phrases is not None:
        rows = rows[rows["phrase"] == phrases]
    listed = len(rows)
    rows = (
        rows[rows["term"].map(_drawable).astype(bool)].sort_values(["count", "term"], ascending=[False, True]).head(n)
    )
    if rows.empty:
        return _empty(_NOTHING_DRAWABLE if listed else "No term to show.")
    what = "phrases" if phrases else "terms" if phrases is False else "terms and phrases"
    rows = rows.assign(
        label=[f"{c:,}× · {100 * d:.0f}% of articles" for c, d in zip(rows["count"], rows["doc_share"], strict=True)]
    )
    fig, axes = _figure(f"Most frequent {what}, whole selection", size=(9.0, 1.5 + 0.28 * len(rows)))
    ax = axes[0, 0]
    _term_bars(ax, rows, color="#1f77b4", label="label")
    ax.set_xlabel("Occurrences (count)")
    ax.set_xlim(0, float(rows["count"].max()) * 1.35)
    _int_axis(ax)
    return fig


@_styled
def top_terms_by_period(
    frequencies: pd.DataFrame | None,
    period: str = "month",
    *,
    n: int = 8,
    phrases: bool = False,
    max_panels: int = 8,
) -> Figure | Html:
    """Small multiples: the top terms (or phrases) of each of the latest periods, in occurrences.

    Args:
        frequencies: ``term_frequencies.parquet`` rows.
        period: the period type of the panels.
        n: terms per panel.
        phrases: phrases only (True) or single words only (False).
        max_panels: the latest periods shown.
    """
    if frequencies is None:
        return unavailable(TERMS_FILE)
    rows = frequencies[frequencies["scope"] == "period"]
    chosen = _period_rows(rows, period)
    if isinstance(chosen, str):
        return _empty(chosen)
    period = str(chosen["period_type"].iloc[0])
    chosen = chosen[chosen["phrase"] == phrases]
    listed = len(chosen)
    chosen = chosen[chosen["term"].map(_drawable).astype(bool)]
    if chosen.empty:
        return _empty(_NOTHING_DRAWABLE if listed else f"No {'phrase' if phrases else 'term'} per {period} to show.")
    periods = sorted(chosen["period"].unique())
    shown = periods[-max_panels:]
    what = "phrases" if phrases else "terms"
    more = f" (latest {len(shown)} of {len(periods)})" if len(periods) > len(shown) else ""
    panels = [(period_label(p, period), chosen[chosen["period"] == p]) for p in shown]
    return _term_panels(f"Top {what} per {PERIOD_NOUNS[period]}{more}", panels, n=n, colors=None)


@_styled
def top_terms_by_source(
    frequencies: pd.DataFrame | None,
    *,
    n: int = 10,
    phrases: bool | None = None,
    colors: Mapping[str, str] | None = None,
) -> Figure | Html:
    """Small multiples: the most frequent terms of each source, in occurrences.

    Args:
        frequencies: ``term_frequencies.parquet`` rows (scope ``source``).
        n: terms per source.
        phrases: phrases only (True), single words only (False), or both (None).
        colors: ``{source: colour}``.
    """
    if frequencies is None:
        return unavailable(TERMS_FILE)
    chosen = frequencies[frequencies["scope"] == "source"]
    if phrases is not None:
        chosen = chosen[chosen["phrase"] == phrases]
    listed = len(chosen)
    chosen = chosen[chosen["term"].map(_drawable).astype(bool)]
    if chosen.empty:
        return _empty(_NOTHING_DRAWABLE if listed else "No term per source to show.")
    names, more = _largest(chosen.groupby("source")["group_docs"].max())
    panels = [(str(name), chosen[chosen["source"] == name]) for name in names]
    return _term_panels(f"Most frequent terms of each source{more}", panels, n=n, colors=colors or source_colors(names))


def _term_panels(
    title: str, panels: Sequence[tuple[str, pd.DataFrame]], *, n: int, colors: Mapping[str, str] | None
) -> Figure:
    """A grid of bar charts, one per group: top terms by rank, bar = occurrences (count)."""
    nrows, ncols = _grid(len(panels), 4)
    fig, axes = _figure(title, nrows, ncols, size=(3.2 * ncols + 1.0, (0.22 * n + 1.3) * nrows + 0.6))
    for k, ax in enumerate(axes.flat):
        if k >= len(panels):
            ax.set_visible(False)
            continue
        name, rows = panels[k]
        group = rows.sort_values(["rank", "term"]).head(n)
        color = colors[name] if colors and name in colors else PALETTE[k % 10]
        _term_bars(ax, group, color=color, slots=n)
        docs = int(group["group_docs"].iloc[0]) if "group_docs" in group and len(group) else None
        ax.set_title(name + (f" ({docs:,} articles)" if docs is not None else ""), fontsize=9)
        ax.set_xlabel("Occurrences (count)", fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        _int_axis(ax)
    return fig


@_styled
def top_phrases(phrases: pd.DataFrame | None, *, n: int = 20, model_file: str | None = None) -> Figure | Html:
    """Horizontal bars: the most frequent learnt phrases (count), with language and article count.

    Args:
        phrases: ``phrases.parquet`` rows (``phrase``, ``language``, ``count``, ``docs``, ``llr``).
        n: phrases shown.
        model_file: the saved keyword model the build read its phrases from (its manifest's
            ``counts.keywords.model_file``): the counts are then those of that model's sample, as
            a footnote says.
    """
    if phrases is None:
        return unavailable(PHRASES_FILE)
    rows = phrases[phrases["phrase"].map(_drawable).astype(bool)].sort_values(
        ["count", "llr", "phrase"], ascending=[False, False, True]
    )
    rows = rows.head(n)
    if rows.empty:
        return _empty(_NOTHING_DRAWABLE if len(phrases) else "No phrase was learnt from this corpus.")
    rows = rows.assign(
        term=[
            f"{p} ({lang})" if isinstance(lang, str) else p
            for p, lang in zip(rows["phrase"], rows["language"], strict=True)
        ],
        label=[f"{c:,}× in {d:,} articles" for c, d in zip(rows["count"], rows["docs"], strict=True)],
    )
    fig, axes = _figure("Most frequent phrases (collocations)", size=(9.0, 1.5 + 0.28 * len(rows)))
    ax = axes[0, 0]
    _term_bars(ax, rows, color="#9467bd", label="label")
    ax.set_xlabel("Occurrences (count)")
    ax.set_xlim(0, float(rows["count"].max()) * 1.4)
    _int_axis(ax)
    if model_file:
        _footnote(
            fig,
            f"Phrases read from {PurePath(model_file).name}, learnt by an earlier build: "
            "the counts are those of the sample it learnt them from.",
        )
    return fig


@functools.cache
def _font_path() -> str:
    from matplotlib.font_manager import FontProperties, findfont

    return str(findfont(FontProperties(family="DejaVu Sans")))


def _cloud_array(frequencies: Mapping[str, float], *, width: int, height: int, max_words: int) -> np.ndarray:
    from wordcloud import WordCloud

    cloud = WordCloud(
        width=width,
        height=height,
        background_color="white",
        random_state=0,
        font_path=_font_path(),
        max_words=max_words,
        prefer_horizontal=0.95,
        colormap="Dark2",
        collocations=False,
        normalize_plurals=False,
        include_numbers=True,
        min_font_size=8,
    )
    cloud.generate_from_frequencies(dict(frequencies))
    return cloud.to_array()


def _cloud_terms(rows: pd.DataFrame, top: int) -> dict[str, float]:
    rows = (
        rows[rows["term"].map(_cloud_drawable).astype(bool)]
        .sort_values(["count", "term"], ascending=[False, True])
        .head(top)
    )
    return {str(t): float(c) for t, c in zip(rows["term"], rows["count"], strict=True)}


@_styled
def word_cloud(frequencies: pd.DataFrame | None, *, max_words: int = 120, title: str | None = None) -> Figure | Html:
    """A word cloud of the whole selection's terms (size ~ occurrences).

    Args:
        frequencies: ``term_frequencies.parquet`` rows (the ``corpus`` scope is drawn).
        max_words: terms drawn.
        title: the chart title.
    """
    if frequencies is None:
        return unavailable(TERMS_FILE)
    terms = _cloud_terms(frequencies[frequencies["scope"] == "corpus"], max_words)
    if not terms:
        return _empty(_NOTHING_IN_THE_CLOUD if len(frequencies) else "No term to draw.")
    fig, axes = _figure(title or "Word cloud: the most frequent terms (size = occurrences)", size=(9.0, 4.8))
    ax = axes[0, 0]
    ax.imshow(_cloud_array(terms, width=900, height=460, max_words=max_words), interpolation="bilinear")
    ax.set_axis_off()
    return fig


@_styled
def word_clouds_by_period(
    frequencies: pd.DataFrame | None, period: str = "month", *, max_panels: int = 6, max_words: int = 60
) -> Figure | Html:
    """Small multiples of word clouds, one per period (the latest ones), size ~ occurrences.

    Args:
        frequencies: ``term_frequencies.parquet`` rows.
        period: the period type.
        max_panels: the latest periods drawn.
        max_words: terms per cloud.
    """
    if frequencies is None:
        return unavailable(TERMS_FILE)
    rows = frequencies[frequencies["scope"] == "period"]
    chosen = _period_rows(rows, period)
    if isinstance(chosen, str):
        return _empty(chosen)
    period = str(chosen["period_type"].iloc[0])
    periods = sorted(chosen["period"].unique())[-max_panels:]
    if not chosen["term"].map(_cloud_drawable).any():
        return _empty(_NOTHING_IN_THE_CLOUD)  # (empty panels said nothing)
    nrows, ncols = _grid(len(periods), 3)
    fig, axes = _figure(
        f"Word clouds per {PERIOD_NOUNS[period]} (latest {len(periods)}; size = occurrences)",
        nrows,
        ncols,
        size=(3.6 * ncols, 2.3 * nrows + 0.5),
    )
    for k, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if k >= len(periods):
            continue
        terms = _cloud_terms(chosen[chosen["period"] == periods[k]], max_words)
        if terms:
            ax.imshow(_cloud_array(terms, width=420, height=240, max_words=max_words), interpolation="bilinear")
        ax.set_title(period_label(periods[k], period), fontsize=9)
    return fig


@_styled
def rising_falling(rising: pd.DataFrame | None, period: str = "month", *, n: int = 10) -> Figure | Html:
    """Diverging bars: terms whose share rose (right) or fell (left) in the latest window, log2 ratio.

    Args:
        rising: ``rising_terms.parquet`` rows.
        period: the period type of the windows (falls back to any type present).
        n: terms per direction.
    """
    if rising is None:
        return unavailable(RISING_FILE)
    if rising.empty:
        return note("No term rose or fell significantly in this build.")
    rows = rising[rising["period_type"] == period]
    if rows.empty:
        rows = rising
        period = str(rising["period_type"].iloc[0])
        rows = rows[rows["period_type"] == period]
    latest = rows["window_end"].max()
    rows = rows[(rows["window_end"] == latest) & rows["term"].map(_drawable).astype(bool)]
    up = rows[rows["direction"] == "rising"].sort_values(["rank", "term"]).head(n)
    down = rows[rows["direction"] == "falling"].sort_values(["rank", "term"]).head(n)
    both = pd.concat([down.iloc[::-1], up.iloc[::-1]], ignore_index=True)
    if both.empty:
        return note("No term rose or fell significantly in the latest window.")
    first = rows.iloc[0]
    window = f"{period_label(first['window_start'], period)}–{period_label(first['window_end'], period)}"
    baseline = f"{period_label(first['baseline_start'], period)}–{period_label(first['baseline_end'], period)}"
    fig, axes = _figure(f"Rising and falling terms: {window} vs {baseline}", size=(9.0, 1.6 + 0.3 * len(both)))
    ax = axes[0, 0]
    values = both["log_ratio"].to_numpy()
    ax.barh(range(len(both)), values, color=[RISING if v > 0 else FALLING for v in values])
    for i, row in enumerate(both.itertuples()):
        ax.text(
            row.log_ratio,
            i,
            f" {row.count_baseline:,} → {row.count:,} ",
            va="center",
            fontsize=7.5,
            ha="left" if row.log_ratio > 0 else "right",
        )
    ax.set_yticks(range(len(both)))
    ax.set_yticklabels(both["term"])
    ax.axvline(0, color="#333333", linewidth=0.8)
    span = float(np.abs(values).max()) * 1.5 + 0.5
    ax.set_xlim(-span, span)
    ax.set_xlabel("Change in share of all terms (log2 ratio: +1 = doubled, −1 = halved); labels: count before → after")
    return fig


@_styled
def distinctive_terms(
    distinctive: pd.DataFrame | None,
    *,
    group_type: str = "source",
    n: int = 8,
    direction: str = "over",
    groups: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
) -> Figure | Html:
    """Small multiples: per group (source...), the terms it uses more (and less) than the rest, log2 ratio.

    Args:
        distinctive: ``distinctive_terms.parquet`` rows.
        group_type: ``source``, ``language`` or a period type.
        n: terms per group and direction.
        direction: ``over`` (used more than in the rest), ``under`` or ``both`` (diverging bars).
        groups: the groups shown (default: all of that type, sorted).
        colors: ``{group: colour}`` (default :func:`source_colors`).
    """
    if distinctive is None:
        return unavailable(DISTINCTIVE_FILE)
    if direction not in ("over", "under", "both"):
        raise ValueError(f"direction must be over, under or both, not {direction!r}")
    wanted = ("over", "under") if direction == "both" else (direction,)
    rows = distinctive[(distinctive["group_type"] == group_type) & distinctive["direction"].isin(wanted)]
    rows = rows[rows["term"].map(_drawable).astype(bool)]
    if groups is not None:
        rows = rows[rows["group"].isin(list(groups))]
    if rows.empty:
        if not (distinctive["group_type"] == group_type).any():  # (one source, one language...)
            return _empty(
                f"No distinctive term per {group_type}: each {group_type} is compared with the others,"
                f" and this build has fewer than two with enough terms."
            )
        return _empty(f"No distinctive term per {group_type} in this selection.")
    # the groups with the most terms (count / share is the group's number of terms)
    size = rows["count"] / rows["share"].where(rows["share"] > 0) if "share" in rows else rows["count"]
    names, more = _largest(size.fillna(0).groupby(rows["group"]).max())
    colors = colors or source_colors(names)
    groups_rows = []
    for name in names:
        mine = rows[rows["group"] == name]
        over = mine[mine["direction"] == "over"].sort_values(["rank", "term"]).head(n)
        under = mine[mine["direction"] == "under"].sort_values(["rank", "term"]).head(n)
        # top to bottom: the most over-used first, the most under-used last
        groups_rows.append(pd.concat([over, under.iloc[::-1]], ignore_index=True))
    places = max(len(group) for group in groups_rows)  # the same bar height in every panel
    nrows, ncols = _grid(len(names), 3)
    what = {"over": "used more than", "under": "used less than", "both": "used more (right) or less (left) than"}
    fig, axes = _figure(
        f"Distinctive terms per {group_type}: {what[direction]} in the other {group_type}s{more}",
        nrows,
        ncols,
        size=(3.8 * ncols + 0.8, (0.24 * places + 1.3) * nrows + 0.6),
    )
    for k, ax in enumerate(axes.flat):
        if k >= len(names):
            ax.set_visible(False)
            continue
        group = groups_rows[k]
        values = group["log_ratio"].to_numpy()
        positions = np.arange(places - 1, places - 1 - len(group), -1)
        ax.set_ylim(-0.6, places - 0.4)
        shades = [color_of(names[k], colors) if v > 0 else "#9e9e9e" for v in values]
        ax.barh(positions, values, color=shades)
        ax.set_yticks(positions)
        ax.set_yticklabels(group["term"])
        for y, value, count, rest in zip(positions, values, group["count"], group["count_rest"], strict=True):
            ax.text(value, y, f" {count:,} vs {rest:,} ", va="center", fontsize=7, ha="left" if value > 0 else "right")
        span = float(np.abs(values).max()) * 1.7 + 0.3 if len(values) else 1.0
        ax.set_xlim(-span if (values < 0).any() else 0, span if (values > 0).any() else 0.3)
        if (values < 0).any() and (values > 0).any():
            ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_title(names[k], fontsize=9)
        ax.set_xlabel("log2 ratio vs the rest (+1 = twice as often)", fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
    _footnote(
        fig, "Labels: occurrences in the group vs in the rest of the corpus (counts). All shown have p < 0.001 (G²)."
    )
    return fig


def kwic_table(
    articles: pd.DataFrame,
    terms: Sequence[str],
    *,
    width: int = 60,
    limit: int = 12,
    concordance: Callable[..., pd.DataFrame] | None = None,
) -> Html:
    """Keyword in context: the latest occurrences of each term, with date, source and title (escaped).

    Args:
        articles: processed articles (``article_id``, ``published``, ``source``, ``language``, ``title``, ``text``).
        terms: the terms or phrases to look up (any inflection).
        width: characters of context on each side.
        limit: rows per term (the most recent occurrences).
        concordance: the concordance function (default ``analysis.keywords.concordance``).
    """
    if concordance is None:
        try:
            from analysis.keywords import concordance as found
        except ImportError:
            return unavailable("analysis.keywords.concordance")
        concordance = found
    if not terms:
        return note("No term given (parameter kwic_terms).")
    titles = articles.set_index("article_id")["title"]
    parts: list[str] = []
    for term in terms:
        hits = concordance(articles, term, width=width, limit=None)
        total = len(hits)
        hits = hits.sort_values(["published", "article_id"], ascending=[False, True], na_position="last", kind="stable")
        hits = hits.head(limit).assign(title=lambda f: f["article_id"].map(titles))
        # a right-to-left line (Arabic, Hebrew) reads from the right: what comes before the
        # keyword goes to its right, what follows to its left, each cell running right to left
        rtl = hits["match"].map(lambda m: bool(_RTL.search(str(m)))).to_numpy(dtype=bool)
        hits = hits.assign(left=hits["left"].where(~rtl, hits["right"]), right=hits["right"].where(~rtl, hits["left"]))
        sides = ["rtl" if flag else None for flag in rtl.tolist()]
        caption = f"“{term}”: {total:,} occurrences" + (f" (latest {limit} shown)" if total > limit else "")
        parts.append(
            html_table(
                hits,
                columns={
                    "published": "Published (UTC)",
                    "source": "Source",
                    "title": "Title",
                    "left": "",
                    "match": term,
                    "right": "",
                },
                right=["left"],
                strong=["match"],
                centre=["match"],
                directions={"left": sides, "match": sides, "right": sides},
                caption=caption,
                empty=f"“{term}”: no occurrence in this selection.",
            )
        )
    return Html("".join(parts))


# --- topics -------------------------------------------------------------------------------------


def topics_table(
    topics: pd.DataFrame | None,
    *,
    terms: int = 10,
    why_none: str | None = None,
    model_file: str | None = None,
    without_topic: tuple[int, int] | None = None,
) -> Html:
    """Topics: number, label, top terms, share of the corpus (%), articles (count), coherence.

    Args:
        topics: ``topics.parquet`` rows.
        terms: top terms listed.
        why_none: why the build fitted no model (its manifest's ``no_topics``), said when there is none.
        model_file: the saved model the build read instead of fitting one (its manifest's ``model_file``).
        without_topic: with ``model_file``, the articles holding none of its terms and the articles
            counted (the manifest's ``articles_without_topic`` and ``articles_counted``), said in
            the caption, with a warning when they are half or more.
    """
    if topics is None:
        return unavailable(TOPICS_FILE)
    if topics.empty:
        return note(f"No topic model: {why_none}." if why_none else "The topic model found no topic.")
    frame = topics.sort_values("topic").assign(
        top_terms=lambda f: f["terms"].map(lambda t: ", ".join(list(t)[:terms])),
        share_pct=lambda f: 100 * f["share"],
    )
    return html_table(
        frame,
        columns={
            "topic": "Topic",
            "label": "Label",
            "top_terms": "Top terms",
            "share_pct": "Share of coverage (%)",
            "articles": "Articles (count, strongest topic)",
            "coherence": "Coherence (NPMI)",
        },
        right=["topic", "share_pct", "articles", "coherence"],
        formats={"share_pct": lambda v: f"{v:.1f}", "coherence": lambda v: f"{v:.2f}"},
        caption=_topics_caption(frame, model_file, without_topic),
    )


def _topics_caption(topics: pd.DataFrame, model_file: str | None, without_topic: tuple[int, int] | None) -> str | None:
    if "model" not in topics:
        return None
    caption = f"{len(topics)} topics, model {topics['model'].iloc[0]}"
    if model_file:
        name = PurePath(model_file).name
        caption += f", read from {name} (fitted by an earlier build; coherence as measured on its articles)"
        if without_topic is not None and without_topic[1]:
            from analysis.topics import mostly_unplaced

            unplaced, counted = without_topic
            caption += f"; {unplaced:,} of the {counted:,} articles counted hold none of its terms and have no topic"
            if mostly_unplaced(unplaced, counted):
                caption += ": the model was most likely fitted on other texts"
    return caption


def _topic_name(topic: int, label: str, size: int = 38) -> str:
    return _shorten(f"{int(topic)} · {label}", size)


@_styled
def topic_terms(topics: pd.DataFrame | None, *, n: int = 8) -> Figure | Html:
    """Small multiples: each topic's top terms and their weight in the topic.

    Args:
        topics: ``topics.parquet`` rows (``topic``, ``label``, ``terms``, ``weights``).
        n: terms per topic.
    """
    if topics is None:
        return unavailable(TOPICS_FILE)
    if topics.empty:
        return note("The topic model found no topic.")
    rows = topics.sort_values("topic")
    nrows, ncols = _grid(len(rows), 4)
    fig, axes = _figure(
        "Topics and their top terms", nrows, ncols, size=(3.0 * ncols + 0.8, (0.22 * n + 1.3) * nrows + 0.6)
    )
    for k, ax in enumerate(axes.flat):
        if k >= len(rows):
            ax.set_visible(False)
            continue
        row = rows.iloc[k]
        pairs = [(t, w) for t, w in zip(list(row["terms"]), list(row["weights"]), strict=False) if _drawable(str(t))][
            :n
        ]
        frame = pd.DataFrame(pairs, columns=["term", "weight"])
        frame["weight"] = 100 * frame["weight"]
        _term_bars(ax, frame, color=topic_color(int(row["topic"])), value="weight", slots=n)
        ax.set_title(f"Topic {int(row['topic'])} ({100 * float(row['share']):.0f}% of coverage)", fontsize=9)
        ax.set_xlabel("Weight in the topic (%)", fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
    return fig


@_styled
def topic_trends(trends: pd.DataFrame | None, period: str = "month", *, stacked: bool = True) -> Figure | Html:
    """Stacked areas (or lines): each topic's share of each period's coverage (%).

    Args:
        trends: ``topic_trends.parquet`` rows (``period_type``, ``period``, ``topic``, ``label``, ``share``).
        period: the period type.
        stacked: stacked areas (True) or one line per topic.
    """
    if trends is None:
        return unavailable(TOPIC_TRENDS_FILE)
    chosen = _period_rows(trends, period, readable=True)
    if isinstance(chosen, str):
        return _empty(chosen)
    asked, period = period, str(chosen["period_type"].iloc[0])
    table = chosen.pivot_table(index="period", columns="topic", values="share", aggfunc="sum").fillna(0) * 100
    every = period_range(table.index.min(), table.index.max(), period)
    table = table.reindex(every).sort_index(axis=1)  # a period without articles has no share: a gap, not 0%
    labels = chosen.groupby("topic")["label"].first()
    totals = chosen.groupby("period")["period_articles"].max().reindex(every, fill_value=0)
    fig, axes = _figure(
        f"Topics over time: share of each {PERIOD_NOUNS[period]}'s coverage",
        2,
        1,
        size=(10.5, 6.2),
        sharex=True,
        height_ratios=[3, 1],
    )
    ax = axes[0, 0]
    x = np.arange(len(table))
    names = [_topic_name(t, str(labels.get(t, t))) for t in table.columns]
    colors = [topic_color(int(t)) for t in table.columns]
    if stacked and len(table) == 1:  # an area over one period has no width: stacked bars
        bottom = 0.0
        for value, name, color in zip(table.iloc[0].to_numpy(), names, colors, strict=True):
            ax.bar(x, [value], bottom=bottom, label=name, color=color, alpha=0.9, width=0.8)
            bottom += float(value)
        ax.set_ylim(0, max(100.0, bottom))
    elif stacked:
        ax.stackplot(x, table.T.to_numpy(), labels=names, colors=colors, alpha=0.9)
        ax.set_ylim(0, max(100.0, float(table.sum(axis=1).max())))
    else:
        for column, name, color in zip(table.columns, names, colors, strict=True):
            ax.plot(x, table[column].to_numpy(), label=name, color=color, marker="o", markersize=3)
        ax.set_ylim(0, None)
    _share_axis(ax, "y")
    ax.set_ylabel(f"Share of the {PERIOD_NOUNS[period]}'s coverage (%)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title="topic")
    ax = axes[1, 0]
    ax.bar(x, totals.to_numpy(), color="#c7c7c7", width=0.8)
    ax.set_ylabel("Articles (count)")
    _int_axis(ax, "y")
    _period_axis(ax, list(every), period)
    _trend_footnote(fig, chosen, asked, period)
    return fig


def _trend_footnote(fig: Figure, rows: pd.DataFrame, asked: str, period: str) -> None:
    """Say which strays a trend chart leaves out, and why it draws another period than the one asked for."""
    far = str(rows.attrs.get("strays", ""))
    if period == asked:
        if far:
            _footnote(fig, far)
        return
    first, last = rows["period"].min(), rows["period"].max()
    count = len(period_range(pd.Timestamp(first), pd.Timestamp(last), asked))
    why = f"{count:,} {asked}s would be too many to read" if count > MAX_PERIODS else f"the build has no {asked} rows"
    _footnote(fig, " ".join(x for x in (far, f"Drawn per {period}: {why}.") if x))


@_styled
def theme_trends(trends: pd.DataFrame | None, period: str = "month") -> Figure | Html:
    """Heatmap: share of each period's articles on each of the user's themes (%), over articles per period.

    A heatmap rather than lines: themes are many and overlap, and a line per theme becomes a tangle.

    Args:
        trends: ``theme_trends.parquet`` rows (``period_type``, ``period``, ``theme``, ``label``, ``share``).
        period: the period type.
    """
    if trends is None:
        return unavailable(THEME_TRENDS_FILE)
    chosen = _period_rows(trends, period, readable=True)
    if isinstance(chosen, str):
        return _empty(chosen)
    asked, period = period, str(chosen["period_type"].iloc[0])
    table = chosen.pivot_table(index="period", columns="theme", values="share", aggfunc="sum").fillna(0) * 100
    every = period_range(table.index.min(), table.index.max(), period)
    table = table.reindex(every)  # a period without articles has no share: a blank column, not 0%
    overall = chosen.groupby("theme")["articles"].sum()
    order = sorted(table.columns, key=lambda t: (-int(overall.get(t, 0)), str(t)))
    table = table[order]
    labels = chosen.groupby("theme")["label"].first()
    totals = chosen.groupby("period")["period_articles"].max().reindex(every, fill_value=0)
    fig, axes = _figure(
        f"Themes over time: share of each {PERIOD_NOUNS[period]}'s articles on the theme",
        2,
        1,
        size=(10.5, 2.6 + 0.36 * len(order)),
        sharex=True,
        height_ratios=[max(len(order), 2), 2.2],
    )
    ax = axes[0, 0]
    values = table.T.to_numpy()
    image = ax.imshow(values, aspect="auto", cmap="Greens", vmin=0, vmax=100, interpolation="nearest")
    for i in range(values.shape[0]):
        for j in range(values.shape[1] if values.shape[1] <= 40 else 0):  # numbers fit 40 columns
            if values[i, j] >= 0.5:
                ax.text(
                    j,
                    i,
                    f"{values[i, j]:.0f}",
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    color="white" if values[i, j] > 60 else "black",
                )
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([str(labels.get(t, t)) for t in order])
    ax.set_ylabel("Theme (most articles first)")
    ax.grid(False)
    fig.colorbar(image, ax=axes[:, 0].tolist(), shrink=0.7, label="Articles on the theme (% of the period's)")
    ax = axes[1, 0]
    ax.bar(np.arange(len(every)), totals.to_numpy(), color="#c7c7c7", width=0.8)
    ax.set_ylabel("Articles (count)")
    _int_axis(ax, "y")
    _period_axis(ax, list(every), period)
    _trend_footnote(fig, chosen, asked, period)
    return fig


def topic_examples(
    topics: pd.DataFrame | None, doc_topics: pd.DataFrame | None, articles: pd.DataFrame, *, n: int = 3
) -> Html:
    """The most typical articles of each topic: date, source, title, weight (escaped).

    The model's own examples come first (when they are in the selection), then the articles of
    the selection whose strongest topic it is, by weight.

    Args:
        topics: ``topics.parquet`` rows (``topic``, ``label``, ``examples``).
        doc_topics: ``doc_topics.parquet`` rows (``article_id``, ``topic``, ``weight``, ``rank``).
        articles: the selection (``article_id``, ``published``, ``source``, ``title``).
        n: articles per topic.
    """
    if topics is None or doc_topics is None:
        return unavailable(TOPICS_FILE if topics is None else DOC_TOPICS_FILE)
    if topics.empty:
        return note("The topic model found no topic.")
    by_id = articles.set_index("article_id")
    weights = doc_topics.set_index(["article_id", "topic"])["weight"]
    rows = []
    for topic in topics.sort_values("topic").itertuples(index=False):
        strongest = doc_topics[(doc_topics["topic"] == topic.topic) & (doc_topics["rank"] == 1)]
        ranked = strongest.sort_values(["weight", "article_id"], ascending=[False, True])["article_id"]
        candidates = [*list(topic.examples), *ranked]
        chosen = [a for a in dict.fromkeys(candidates) if a in by_id.index][:n]
        for article_id in chosen:
            article = by_id.loc[article_id]
            rows.append(
                (
                    _topic_name(topic.topic, topic.label, 60),
                    article["published"],
                    article["source"],
                    article["title"],
                    100 * float(weights.get((article_id, topic.topic), np.nan)),
                )
            )
    frame = pd.DataFrame(rows, columns=["topic", "published", "source", "title", "weight"])
    return html_table(
        frame,
        columns={
            "topic": "Topic",
            "published": "Published (UTC)",
            "source": "Source",
            "title": "Title",
            "weight": "Topic weight in the article (%)",
        },
        right=["weight"],
        formats={"weight": lambda v: "" if pd.isna(v) else f"{v:.0f}"},
        empty="No example article in this selection.",
    )


@_styled
def topics_by_source(
    doc_topics: pd.DataFrame | None, topics: pd.DataFrame | None, articles: pd.DataFrame
) -> Figure | Html:
    """Heatmap: share of each source's articles whose strongest topic is each topic (%).

    Args:
        doc_topics: ``doc_topics.parquet`` rows.
        topics: ``topics.parquet`` rows (``topic``, ``label``).
        articles: the selection (``article_id``, ``source``).
    """
    if topics is None or doc_topics is None:
        return unavailable(TOPICS_FILE if topics is None else DOC_TOPICS_FILE)
    articles, _ = _lump_sources(articles)
    strongest = doc_topics[doc_topics["rank"] == 1].merge(articles[["article_id", "source"]], on="article_id")
    if strongest.empty or topics.empty:
        return _empty("No article of this selection has a topic.")
    table = pd.crosstab(strongest["source"].to_numpy(), strongest["topic"].to_numpy())
    sizes = articles.groupby("source").size()
    order = sorted(int(t) for t in topics["topic"])
    table = table.reindex(index=sizes.index, columns=order, fill_value=0)
    share = 100 * table.div(sizes, axis=0)
    labels = topics.set_index("topic")["label"]
    fig, axes = _figure("Topics per source", size=(10.5, 2.6 + 0.5 * len(sizes)))
    ax = axes[0, 0]
    image = ax.imshow(
        share.to_numpy(), cmap="Purples", vmin=0, vmax=max(1.0, float(share.to_numpy().max())), aspect="auto"
    )
    for i in range(share.shape[0]):
        for j in range(share.shape[1]):
            value = share.iat[i, j]
            ax.text(
                j,
                i,
                f"{value:.0f}",
                ha="center",
                va="center",
                fontsize=7.5,
                color="white" if value > 0.6 * share.to_numpy().max() else "black",
            )
    ax.set_xticks(range(len(order)))
    ax.set_xticklabels([_topic_name(t, str(labels.get(t, t)), 26) for t in order], rotation=40, ha="right")
    for tick, topic in zip(ax.get_xticklabels(), order, strict=True):
        tick.set_color(topic_color(topic))
    ax.set_yticks(range(len(sizes)))
    ax.set_yticklabels([_counted_label(s, n) for s, n in sizes.items()])
    ax.set_xlabel("Topic (number · top terms)")
    ax.set_ylabel("Source (articles)")
    ax.grid(False)
    fig.colorbar(image, ax=ax, shrink=0.8, label="Share of the source's articles (%)")
    return fig
