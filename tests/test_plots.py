"""analysis.plots: every chart and table on tiny frames written here, with exact expectations."""

from __future__ import annotations

import itertools
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis import plots
from analysis.plots import Html

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.fixture
def articles() -> pd.DataFrame:
    """Four articles of two sources over three months (none in February); one is a near copy."""
    return pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a3", "a4"],
            "source": ["Atlas Actu", "Atlas Actu", "Le Courrier du Détroit", "Le Courrier du Détroit"],
            "url": [None, None, None, None],
            "title": ["Sécheresse au Maroc", HOSTILE, "Le port de Tanger", "Sécheresse : le Maroc"],
            "published": [ts("2025-01-05 10:00"), ts("2025-03-02"), ts("2025-03-20 08:30"), ts("2025-01-05 12:00")],
            "language": ["fr", "fr", "fr", "ar"],
            "language_from": ["declared", "detected", "detected", "declared"],
            "text": ["Le Maroc et la France.", "Texte.", None, "Le Maroc."],
            "tags": [["Eau"], ["Cyber"], [], ["Eau"]],
            "chars_raw": [200, 100, 50, 120],
            "chars_removed": [50, 0, 0, 20],
            "n_tokens": [40, 10, 5, 30],
            "duplicate_of": [None, None, None, "a1"],
            "duplicate_kind": [None, None, None, "near"],
            "copies": [1, 0, 0, 0],
        }
    )


@pytest.fixture
def mentions() -> pd.DataFrame:
    rows = [
        ("a1", "MA", "Morocco", "Maroc", "name", True),
        ("a1", "MA", "Morocco", "Maroc", "capital", False),
        ("a1", "FR", "France", "France", "name", False),
        ("a2", "MA", "Morocco", "Maroc", "self", False),
        ("a3", "ES", "Spain", "Espagne", "demonym", False),
        ("a3", "FR", "France", "France", "institution", False),
        ("a4", "MA", "Morocco", "Maroc", "name", True),
    ]
    frame = pd.DataFrame(rows, columns=["article_id", "iso2", "country", "country_fr", "kind", "in_title"])
    frame["iso3"] = frame["iso2"].map({"MA": "MAR", "FR": "FRA", "ES": "ESP"})
    frame["surface"] = frame["country_fr"]
    frame["start"], frame["end"] = 0, 5
    return frame


@pytest.fixture
def frequencies() -> pd.DataFrame:
    rows = []
    for period, terms in (("2025-01-01", ["eau", "sécheresse", "maroc"]), ("2025-03-01", ["port", "maroc"])):
        for rank, term in enumerate(terms, start=1):
            rows.append(("period", "month", pd.Timestamp(period), None, term, False, 10 - rank, 2, 2, 3, rank))
    for rank, term in enumerate(["maroc", "eau", "port", "intelligence artificielle", "المغرب"], start=1):
        rows.append(("corpus", None, pd.NaT, None, term, " " in term, 20 - rank, 3, 40, 3, rank))
        rows.append(("source", None, pd.NaT, "Atlas Actu", term, " " in term, 10 - rank, 2, 30, 2, rank))
    frame = pd.DataFrame(
        rows,
        columns=[
            "scope",
            "period_type",
            "period",
            "source",
            "term",
            "phrase",
            "count",
            "docs",
            "group_terms",
            "group_docs",
            "rank",
        ],
    )
    frame["language"] = None
    frame["share"] = frame["count"] / frame["group_terms"]
    frame["doc_share"] = frame["docs"] / frame["group_docs"]
    return frame


@pytest.fixture
def topics() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "topic": [0, 1],
            "label": ["eau · barrage", "port · commerce"],
            "terms": [["eau", "barrage", "pluie"], ["port", "commerce", "conteneur"]],
            "weights": [[0.05, 0.03, 0.01], [0.04, 0.02, 0.01]],
            "coherence": [0.5, 0.4],
            "share": [0.6, 0.4],
            "articles": [2, 1],
            "examples": [["a1"], ["a2", "a3"]],
            "model": ["nmf", "nmf"],
            "n_topics": [2, 2],
        }
    )


@pytest.fixture
def doc_topics() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ["a1", "a1", "a2", "a3", "a4"],
            "topic": [0, 1, 1, 1, 0],
            "weight": [0.9, 0.1, 1.0, 0.8, 1.0],
            "rank": [1, 2, 1, 1, 1],
        }
    )


def trends(kind: str) -> pd.DataFrame:
    key, labels = (
        ("topic", {0: "eau · barrage", 1: "port · commerce"})
        if kind == "topic"
        else (
            "theme",
            {"eau": "Eau", "sport": "Sport"},
        )
    )
    rows = []
    for period, total in (("2025-01-01", 2), ("2025-03-01", 2)):
        for i, (value, label) in enumerate(labels.items()):
            rows.append(("month", pd.Timestamp(period), value, label, i + 1, total, (i + 1) / 4))
    frame = pd.DataFrame(rows, columns=["period_type", "period", key, "label", "articles", "period_articles", "share"])
    frame["weight" if kind == "topic" else "hits"] = frame["articles"]
    return frame


def check_figure(result: Figure | Html) -> Figure:
    """A figure with a title, labelled axes, that renders to a PNG."""
    assert isinstance(result, Figure), result
    assert result.get_suptitle().strip()
    for ax in result.axes:
        if not ax.get_visible() or not ax.axison or ax.get_label() == "<colorbar>":
            continue
        assert ax.get_xlabel() or ax.get_ylabel() or ax.get_title(), f"unlabelled axes in {result.get_suptitle()!r}"
    assert plots.figure_png(result).startswith(b"\x89PNG\r\n\x1a\n")
    return result


# --- HTML helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HOSTILE, ESCAPED),
        ("say \"hi\" & 'bye'", "say &quot;hi&quot; &amp; &#x27;bye&#x27;"),
        (None, ""),
        (float("nan"), ""),
        (pd.NaT, ""),
        (["a<b", "c"], "a&lt;b, c"),
        (1234567, "1,234,567"),
        (0.5, "0.5"),
        (True, "yes"),
        (pd.Timestamp("2025-03-02"), "2025-03-02"),
        (pd.Timestamp("2025-03-02 08:30"), "2025-03-02 08:30"),
    ],
)
def test_escape(value, expected):
    assert plots.escape(value) == expected


def test_html_table_escapes_cells_headers_and_caption():
    frame = pd.DataFrame({"title": [HOSTILE], "n": [3]})
    table = plots.html_table(frame, columns={"title": "<b>Title</b>", "n": "Count"}, caption="<i>x</i>", right=["n"])
    assert isinstance(table, Html)
    assert table._repr_html_() == str(table)
    assert ESCAPED in table
    assert "<script" not in table and "<img" not in table and "<b>" not in table and "<i>" not in table
    assert '<td class="num">3</td>' in table


def test_html_table_without_rows_is_a_note():
    assert "No rows here" in plots.html_table(pd.DataFrame({"a": []}), empty="No rows here")


def test_notes_escape_their_text():
    assert "&lt;x&gt;" in plots.note("<x>")
    assert "warning" in plots.unavailable("<topics.parquet>")
    assert "Not available in this build" in plots.unavailable("topics.parquet")
    assert "&lt;topics.parquet&gt;" in plots.unavailable("<topics.parquet>")


# --- style, colours, labels ---------------------------------------------------------------------


def test_figure_png_is_deterministic(articles):
    first = plots.figure_png(check_figure(plots.articles_per_source(articles)))
    second = plots.figure_png(check_figure(plots.articles_per_source(articles)))
    assert first == second


def test_use_report_style_outside_ipython():
    plots.use_report_style()
    import matplotlib

    assert matplotlib.rcParams["svg.hashsalt"] == plots.STYLE["svg.hashsalt"]


def test_country_colors_are_distinct_then_hashed():
    codes = [f"C{i}" for i in range(25)]
    colors = plots.country_colors(codes)
    assert len(colors) == 20 and len(set(colors.values())) == 20
    assert plots.color_of("C3", colors) == colors["C3"]
    assert plots.color_of("C24", colors) == plots.color_of("C24", colors) in plots.PALETTE


def test_topic_and_language_colors_are_stable():
    assert plots.topic_color(3) == plots.topic_color(23) == plots.PALETTE[3]
    assert plots.language_colors(["fr", "en"]) == {"fr": plots.language_colors(["fr"])["fr"], "en": "#ff7f0e"}


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("day", "02 Mar 2025"),
        ("week", "wk 03 Mar 2025"),
        ("month", "Mar 2025"),
        ("quarter", "Q1 2025"),
        ("year", "2025"),
    ],
)
def test_period_label(period, expected):
    value = "2025-03-03" if period == "week" else "2025-03-02"
    assert plots.period_label(value, period) == expected


@pytest.mark.parametrize(
    ("iso2", "continent"),
    [
        ("MA", "Africa"),
        ("FR", "Europe"),
        ("US", "Americas"),
        ("CN", "Asia"),
        ("AU", "Oceania"),
        ("RU", "Europe"),
        ("TR", "Asia"),
        ("MU", "Africa"),
        ("IS", "Europe"),
        ("XK", "Europe"),
        ("EH", "Africa"),
        ("ZZ", "Other"),
    ],
)
def test_continent(iso2, continent):
    assert plots.continent(iso2) == continent


# --- overview -----------------------------------------------------------------------------------


def test_corpus_summary_counts(articles):
    rejects = pd.DataFrame({"reason": ["empty_file", "duplicate", "duplicate"]})
    boilerplate = pd.DataFrame({"reason": ["repeated"] * 3})
    summary = plots.corpus_summary(articles, rejects, boilerplate)
    assert '<td>Unique stories</td><td class="num">3</td>' in summary
    assert '<td>Near copies</td><td class="num">1</td>' in summary
    assert "duplicate 2, empty_file 1" in summary
    assert "14.9% of the loaded characters, 3 lines" in summary  # 70 of 470


def test_articles_per_period_counts_every_period(articles):
    fig = check_figure(plots.articles_per_period(articles, "month"))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Jan 2025", "Feb 2025", "Mar 2025"]
    heights = sum(p.get_height() for p in ax.patches)
    assert heights == 4
    assert ax.get_ylabel() == "Articles (count)"


def test_articles_per_period_rejects_unknown_period(articles):
    with pytest.raises(ValueError, match="unknown period"):
        plots.articles_per_period(articles, "fortnight")


def test_articles_per_period_without_dates(articles):
    assert isinstance(plots.articles_per_period(articles.assign(published=pd.NaT), "month"), Html)


@pytest.mark.parametrize(
    "chart",
    [plots.articles_per_source, plots.languages_chart, plots.duplicates_chart],
)
def test_overview_charts(chart, articles):
    check_figure(chart(articles))
    assert isinstance(chart(articles.iloc[0:0]), Html)


def drawn_labels(fig: Figure) -> list[str]:
    """Every tick label, legend entry and panel title of a rendered figure."""
    plots.figure_png(fig)
    texts = []
    for ax in fig.axes:
        texts += [t.get_text() for t in [*ax.get_xticklabels(), *ax.get_yticklabels()]] + [ax.get_title()]
        if ax.get_legend() is not None:
            texts += [t.get_text() for t in ax.get_legend().get_texts()]
    return texts


@pytest.mark.parametrize(
    "chart",
    [
        plots.articles_per_source,
        plots.languages_chart,
        plots.duplicates_chart,
        lambda frame: plots.articles_per_period(frame, "month"),
    ],
)
def test_charts_cut_very_long_source_names(chart, articles):
    # a 300-character name took the whole width: constrained layout gave up and warned into the report
    long = "Gazette " + "A" * 300
    fig = check_figure(chart(articles.assign(source=[long, long, "B", "B"])))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        labels = drawn_labels(fig)
    assert max(len(label) for label in labels) <= plots.TITLE_CHARS
    assert "Gazette " + "A" * (plots.LABEL_CHARS - 9) + "…" in labels


def test_rejects_chart_and_table():
    rejects = pd.DataFrame(
        {
            "raw_path": ["a.jsonl", "b.html"],
            "raw_index": [3, None],
            "reason": ["invalid_json", "empty_file"],
            "detail": ["broken", "0 bytes"],
            "excerpt": [HOSTILE, None],
        }
    )
    check_figure(plots.rejects_chart(rejects))
    table = plots.rejects_table(rejects)
    assert ESCAPED in table and "<script" not in table
    assert isinstance(plots.rejects_chart(rejects.iloc[0:0]), Html)
    # said once, by the chart: no table of nothing after it
    assert (
        "Nothing was rejected" in plots.rejects_chart(rejects.iloc[0:0])
        and plots.rejects_table(rejects.iloc[0:0]) == ""
    )


def test_boilerplate_chart_and_table(articles):
    boilerplate = pd.DataFrame(
        {
            "article_id": ["a1", "a1", "a4"],
            "reason": ["repeated", "rule:x", "repeated"],
            "text": [HOSTILE, "b", HOSTILE],
        }
    )
    fig = check_figure(plots.boilerplate_chart(articles, boilerplate))
    assert fig.axes[0].get_xlabel() == "Share of the loaded characters removed (%)"
    table = plots.boilerplate_table(boilerplate)
    assert ESCAPED in table and '<td class="num">2</td>' in table


def test_title_tables_escape_the_hostile_title(articles):
    for table in (
        plots.markup_titles_table(articles),
        plots.articles_table(articles, limit=4),
        plots.duplicate_groups_table(articles.assign(title=HOSTILE)),
    ):
        assert ESCAPED in table
        assert "<script" not in table and "<img" not in table
    assert "1 titles contain" in plots.markup_titles_table(articles)
    assert "No title looks like markup" in plots.markup_titles_table(articles.iloc[[0]])


def test_duplicate_groups_table_lists_original_then_copies(articles):
    table = plots.duplicate_groups_table(articles)
    assert "1 story published more than once" in table
    assert table.index("original") < table.index("near copy")
    assert "No copies" in plots.duplicate_groups_table(articles.iloc[:3])


def test_articles_table_latest_first(articles):
    table = plots.articles_table(articles, limit=2)
    assert table.index("Le port de Tanger") < table.index(ESCAPED)
    assert "Latest 2 of 4 articles" in table


def test_sources_table(articles):
    table = plots.sources_table(articles)
    assert "Le Courrier du Détroit" in table and "ar 1, fr 1" in table
    assert "Country" not in table  # (no outlet's country known)
    table = plots.sources_table(articles.assign(source_country=["MA"] + [None] * (len(articles) - 1)))
    assert "<th>Country</th>" in table and "<td>MA</td>" in table


# --- countries ----------------------------------------------------------------------------------


def test_top_countries_shares_and_counts(articles, mentions):
    fig = check_figure(plots.top_countries(mentions, articles, colors=plots.country_colors(["MA", "FR", "ES"])))
    share_ax, count_ax = fig.axes[:2]
    shares = sorted(round(p.get_width(), 1) for p in share_ax.patches)
    assert shares == [25.0, 50.0, 75.0]  # ES 1, FR 2, MA 3 of 4 articles
    counts = sorted(p.get_width() for p in count_ax.patches)
    assert counts == [1, 2, 4]  # mentions
    assert "%" in share_ax.get_xlabel() and "count" in count_ax.get_xlabel()
    assert share_ax.patches[-1].get_facecolor()[:3] == pytest.approx(
        tuple(int(plots.PALETTE[0][i : i + 2], 16) / 255 for i in (1, 3, 5))
    )


def test_top_countries_table(articles, mentions):
    table = plots.top_countries_table(mentions, articles, lang="fr")
    assert "<td>Maroc</td>" in table and "75.0" in table
    assert "No country" in plots.top_countries_table(mentions.iloc[0:0], articles)


def test_countries_by_language(articles, mentions):
    """Per language: its articles, those naming a country, and whose names were matched."""
    swedish = pd.concat([articles, articles.iloc[[1]].assign(article_id="a5", language="sv")], ignore_index=True)
    table = plots.countries_by_language(mentions, swedish, ["ar"])
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]
    assert cells == [
        ["fr", "3", "3", "100.0", "its own and French, English"],
        ["ar", "1", "1", "100.0", "its own and French, English"],
        ["sv", "1", "0", "0.0", "French and English only"],
    ]
    assert "Country names matched" not in plots.countries_by_language(mentions, articles)
    assert ">0<" in plots.countries_by_language(mentions.iloc[0:0], articles)
    assert "No article" in plots.countries_by_language(mentions, articles.iloc[0:0])


@pytest.mark.parametrize(
    "chart",
    [
        lambda m, a: plots.country_trends(m, a, "month", top=2),
        lambda m, a: plots.co_mention_heatmap(m, a),
        lambda m, a: plots.mention_kinds(m),
        lambda m, a: plots.countries_by_continent(m, a),
        lambda m, a: plots.countries_by_source(m, a),
    ],
)
def test_country_charts(chart, articles, mentions):
    check_figure(chart(mentions, articles))
    assert isinstance(chart(mentions.iloc[0:0], articles), Html)


def test_a_long_source_name_keeps_its_count_of_articles(articles, mentions):
    """`{source} ({n})` cut whole at 40 characters lost the count of a feed's long title."""
    long = "International : Toute l’actualité sur Le Monde.fr."
    fig = check_figure(plots.countries_by_source(mentions, articles.assign(source=[long, long, "B", "B"])))
    labels = sorted(t.get_text() for t in fig.axes[0].get_yticklabels())
    assert labels[0] == "B (2)"
    assert labels[1].startswith("International : Toute l’actualit") and labels[1].endswith("… (2)")
    assert len(labels[1]) == plots.LABEL_CHARS


def test_country_trends_of_chosen_codes(articles, mentions):
    fig = check_figure(plots.country_trends(mentions, articles, "quarter", codes=["FR"]))
    line = fig.axes[0].lines[0]
    assert list(line.get_ydata()) == pytest.approx([100 * 2 / 4])  # FR in a1 and a3, 4 articles in Q1 2025
    assert line.get_label() == "France (FR)"


def test_co_mention_heatmap_counts(articles, mentions):
    fig = plots.co_mention_heatmap(mentions, articles)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"3", "2", "1"} <= texts  # diagonal MA 3, FR 2; MA-FR 1


def test_regions_chart(articles):
    regions = pd.DataFrame({"article_id": ["a1", "a2", "a2"], "region": ["maghreb"] * 3, "region_en": ["Maghreb"] * 3})
    fig = check_figure(plots.regions_chart(regions, articles))
    assert [round(p.get_width()) for p in fig.axes[0].patches] == [50]


# --- keywords -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "chart",
    [
        lambda f: plots.top_terms(f, phrases=False),
        lambda f: plots.top_terms_by_period(f, "month"),
        lambda f: plots.top_terms_by_source(f),
        lambda f: plots.word_cloud(f),
        lambda f: plots.word_clouds_by_period(f, "month"),
    ],
)
def test_term_charts(chart, frequencies):
    check_figure(chart(frequencies))
    note = chart(None)
    assert isinstance(note, Html) and "term_frequencies.parquet" in note


def test_top_terms_draw_right_to_left_terms(frequencies):
    # (matplotlib lays them out, letters joined, through the libraqm built into it)
    fig = plots.top_terms(frequencies, n=10)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["maroc", "eau", "port", "intelligence artificielle", "المغرب"]
    phrases_only = plots.top_terms(frequencies, phrases=True)
    assert [t.get_text() for t in phrases_only.axes[0].get_yticklabels()] == ["intelligence artificielle"]


def test_top_terms_by_period_names_missing_period_types(frequencies):
    note = plots.top_terms_by_period(frequencies, "year")
    assert isinstance(note, Html) and "available: month" in note


def test_period_charts_fall_back_to_the_next_longer_period_of_the_build(frequencies):
    # the build has no day rows: `--period day` drew nothing but "No rows for period 'day'"
    fig = check_figure(plots.top_terms_by_period(frequencies, "day"))
    assert fig.get_suptitle().startswith("Top terms per month")
    undated = plots.top_terms_by_period(frequencies[frequencies["scope"] != "period"], "month")
    assert "No dated article in this selection." in undated
    fig = check_figure(plots.topic_trends(trends("topic"), "week"))
    assert fig.get_suptitle() == "Topics over time: share of each month's coverage"
    assert fig.get_supxlabel() == "Drawn per month: the build has no week rows."


def test_time_charts_of_a_long_archive_draw_longer_periods(articles):
    # 1850-2025 by month: 2,101 bars a pixel wide and tick labels every 7 years
    old = articles.assign(published=[ts("1850-03-01"), ts("1912-05-01"), ts("2025-01-01"), ts("2025-02-01")])
    fig = check_figure(plots.articles_per_period(old, "month"))
    assert fig.get_suptitle() == "Articles per year, by source"
    assert len(fig.axes[0].patches) == 2 * 176  # two sources, 1850 to 2025
    assert fig.get_supxlabel() == "4 dated articles. Drawn per year: 2,100 months would be too many to read."
    rows = pd.concat(
        [
            trends("theme").assign(period=pd.Timestamp("1850-01-01")),
            trends("theme"),
            trends("theme").assign(period_type="year", period=pd.Timestamp("1850-01-01")),
            trends("theme").assign(period_type="year", period=pd.Timestamp("2025-01-01")),
        ]
    )
    fig = check_figure(plots.theme_trends(rows, "month"))
    assert fig.get_suptitle().startswith("Themes over time: share of each year's")
    assert fig.get_supxlabel() == "Drawn per year: 2,101 months would be too many to read."


def test_time_charts_leave_out_a_few_articles_dated_far_from_the_rest(articles, mentions):
    """A feed of 2022 carrying an archive's pieces under their first dates (Le Monde's RSS: 4 of
    11,281 items, 1991 to 2001) drew every time chart per year, 2022 one bar; the strays are left
    out, and said so."""
    months = pd.date_range("2022-01-01", "2022-12-01", freq="MS", tz="UTC")
    recent = pd.DataFrame(
        {
            "article_id": [f"r{i}" for i in range(1200)],
            "source": ["Le Monde"] * 1200,
            "published": [months[i % 12] + pd.Timedelta(days=i % 27) for i in range(1200)],
            "duplicate_of": [None] * 1200,
            "duplicate_kind": [None] * 1200,
        }
    )
    stray = pd.DataFrame(
        {
            "article_id": ["old1", "old2", "old3"],
            "source": ["Le Monde"] * 3,
            "published": [ts("1991-11-09"), ts("1995-04-22"), ts("2001-08-24")],
            "duplicate_of": [None] * 3,
            "duplicate_kind": [None] * 3,
        }
    )
    both = pd.concat([recent, stray], ignore_index=True)
    fig = check_figure(plots.articles_per_period(both, "month"))
    assert fig.get_suptitle() == "Articles per month, by source"
    assert len(fig.axes[0].patches) == 12
    assert fig.get_supxlabel() == "1,200 dated articles. 3 articles dated far from the rest (1991–2001) not shown."
    named = mentions.head(2).assign(article_id=["r0", "old1"])
    fig = check_figure(plots.country_trends(named, both, "month", codes=["MA"]))
    assert len(fig.axes[0].get_lines()[0].get_ydata()) == 12
    assert fig.get_supxlabel() == "3 articles dated far from the rest (1991–2001) not shown."
    rows = pd.concat([trends("topic").assign(period=p) for p in months.tz_localize(None)])
    rows["period_articles"] = 100
    old = trends("topic").assign(period=pd.Timestamp("1995-04-01"), period_articles=1)
    fig = check_figure(plots.topic_trends(pd.concat([old, rows]), "month"))
    assert fig.get_suptitle() == "Topics over time: share of each month's coverage"
    assert fig.get_supxlabel() == "1 article dated far from the rest (1995) not shown."
    # dates spread evenly, or an older part that is more than a stray's share: nothing left out
    assert not plots._strays(pd.Series(pd.date_range("1850-01-01", "2025-01-01", periods=50))).any()
    older = pd.concat([recent["published"], pd.Series([ts("2001-01-01")] * 10)])
    assert not plots._strays(older).any()
    one_day = pd.Series([ts("2024-05-03")] * 1000 + [ts("2024-05-04"), ts("2024-06-01")])
    assert not plots._strays(one_day).any()  # (a quarter at least: the next days are no strays)


def test_country_trends_leave_periods_without_articles_blank(articles, mentions):
    # a month without any article has no share: a gap, not a fall to 0%
    fig = check_figure(plots.country_trends(mentions, articles, "month", codes=["MA"]))
    values = fig.axes[0].get_lines()[0].get_ydata()
    assert values[0] == 100 and np.isnan(values[1]) and values[2] == 50


def test_topic_trends_leave_periods_without_articles_blank():
    # February has no article: no share (a gap), not a fall to 0% as the stacked areas drew it
    fig = check_figure(plots.topic_trends(trends("topic"), "month", stacked=False))
    values = fig.axes[0].get_lines()[0].get_ydata()
    assert values[0] == 25 and np.isnan(values[1]) and values[2] == 25


def test_topic_trends_of_one_period_draw_bars(articles):
    one = trends("topic")
    one = one[one["period"] == pd.Timestamp("2025-01-01")]
    fig = check_figure(plots.topic_trends(one, "month"))
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [25.0, 50.0]  # an area over a single period was drawn with no width


def test_top_phrases():
    phrases = pd.DataFrame(
        {
            "phrase": ["intelligence artificielle", "eau potable"],
            "language": ["fr", "fr"],
            "n": [2, 2],
            "count": [14, 10],
            "docs": [9, 5],
            "llr": [200.0, 150.0],
            "pmi": [9.0, 8.0],
            "rank": [1, 2],
        }
    )
    fig = check_figure(plots.top_phrases(phrases))
    assert fig.axes[0].get_yticklabels()[0].get_text() == "intelligence artificielle (fr)"
    assert fig.get_supxlabel() == ""
    assert "phrases.parquet" in plots.top_phrases(None)
    # phrases of a saved model: their counts are its sample's, and the chart says so
    fig = check_figure(plots.top_phrases(phrases, model_file="/x/keyword_model.parquet"))
    assert "read from keyword_model.parquet, learnt by an earlier build" in fig.get_supxlabel()


def test_rising_falling():
    base = {
        "period_type": "month",
        "window_start": pd.Timestamp("2025-07-01"),
        "window_end": pd.Timestamp("2025-09-01"),
        "baseline_start": pd.Timestamp("2025-04-01"),
        "baseline_end": pd.Timestamp("2025-06-01"),
    }
    rows = pd.DataFrame(
        [
            base
            | {"term": "stade", "direction": "rising", "count": 11, "count_baseline": 1, "log_ratio": 3.4, "rank": 1},
            base
            | {"term": "eau", "direction": "falling", "count": 1, "count_baseline": 9, "log_ratio": -3.0, "rank": 1},
        ]
    )
    fig = check_figure(plots.rising_falling(rows, "month"))
    assert "Jul 2025–Sep 2025 vs Apr 2025–Jun 2025" in fig.get_suptitle()
    assert [p.get_width() for p in fig.axes[0].patches] == [-3.0, 3.4]
    assert isinstance(plots.rising_falling(rows.iloc[0:0]), Html)
    assert "rising_terms.parquet" in plots.rising_falling(None)


def test_distinctive_terms():
    rows = pd.DataFrame(
        {
            "group_type": "source",
            "group": ["A", "A", "B"],
            "term": ["port", "maroc", "eau"],
            "direction": ["over", "under", "over"],
            "count": [8, 0, 5],
            "count_rest": [1, 29, 0],
            "log_ratio": [3.9, -5.0, 4.8],
            "rank": [1, 1, 1],
        }
    )
    over = check_figure(plots.distinctive_terms(rows))
    assert [t.get_text() for t in over.axes[0].get_yticklabels()] == ["port"]
    both = check_figure(plots.distinctive_terms(rows, direction="both", groups=["A"]))
    assert sorted(p.get_width() for p in both.axes[0].patches) == [-5.0, 3.9]
    assert "fewer than two with enough terms" in plots.distinctive_terms(rows, group_type="language")
    assert "in this selection" in plots.distinctive_terms(rows, groups=["C"])
    with pytest.raises(ValueError, match="direction"):
        plots.distinctive_terms(rows, direction="sideways")


def test_count_ticks_of_a_narrow_panel_do_not_run_into_each_other():
    """Ten 5-digit counts under the narrow panel of articles per language ran into each other."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    many = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(11_265)],
            "source": ["International : Toute l’actualité sur Le Monde.fr.", "Le Monde.fr"] * 5632 + ["Le Monde.fr"],
            "language": ["fr"] * 11_248 + ["en"] * 17,
            "language_from": ["detected"] * 11_265,
        }
    )
    fig = check_figure(plots.languages_chart(many))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    boxes = [t.get_window_extent(renderer) for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert len(boxes) >= 3
    assert all(left.x1 < right.x0 for left, right in itertools.pairwise(sorted(boxes, key=lambda b: b.x0)))


def test_panel_and_figure_titles_fit_the_figure():
    """Two feeds' titles as source names, side by side, ran into each other and off the figure,
    and the figure's title was cut at both ends: each panel's title is cut to its panel, the
    figure's title goes on two lines."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    names = [
        "International : Toute l’actualité sur Le Monde.fr.",
        "Le Monde.fr - Actualités et Infos en France et dans le monde",
    ]
    rows = pd.DataFrame(
        {
            "group_type": "source",
            "group": [names[0], names[0], names[1], names[1]],
            "term": ["tribune", "direct", "direct", "tribune"],
            "direction": ["over", "under", "over", "under"],
            "count": [346, 62, 440, 100],
            "count_rest": [100, 440, 62, 346],
            "log_ratio": [2.1, -2.5, 2.5, -2.1],
            "rank": [1, 1, 1, 1],
        }
    )
    fig = check_figure(plots.distinctive_terms(rows, direction="both"))
    assert "\n" in fig.get_suptitle()
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[1].endswith("…") and names[1].startswith(titles[1][:-1])  # (the longer name)
    for ax, name in zip(fig.axes, names, strict=True):
        assert name.startswith(ax.get_title().rstrip("…"))
        drawn = ax.title.get_window_extent(renderer)
        assert drawn.width <= 1.15 * ax.get_window_extent(renderer).width
        assert drawn.x0 >= 0 and drawn.x1 <= fig.bbox.x1


def test_kwic_table_escapes_and_orders_latest_first(articles):
    def concordance(frame, term, *, width, limit):
        return pd.DataFrame(
            {
                "published": [ts("2025-01-05"), ts("2025-03-02")],
                "source": ["Atlas Actu", "Atlas Actu"],
                "article_id": ["a1", "a2"],
                "left": ["<b>avant ", "le "],
                "match": [term, term],
                "right": [" après</b>", " de Tanger"],
            }
        )

    table = plots.kwic_table(articles, ["port"], limit=1, concordance=concordance)
    assert ESCAPED in table  # the title of a2, the latest occurrence
    assert "&lt;b&gt;avant" not in table  # a1 is left out by the limit
    assert "2 occurrences (latest 1 shown)" in table
    assert "<strong>port</strong>" in table
    assert "No term given" in plots.kwic_table(articles, [], concordance=concordance)


def test_kwic_table_lays_an_arabic_line_out_right_to_left(articles):
    """An Arabic line reads from the right: what comes before the keyword sits to its right, what
    follows to its left, each cell marked `dir="rtl"` (escaped as the others); the keyword centred;
    a French line as before."""

    def concordance(frame, term, *, width, limit):
        return pd.DataFrame(
            {
                "published": [ts("2025-03-02"), ts("2025-01-05")],
                "source": ["هسبريس", "Atlas Actu"],
                "article_id": ["a2", "a1"],
                "left": ["يعاني <قبل> ", "la "],
                "match": ["الجفاف", "sécheresse"],
                "right": [" <بعد> بسبب", " dure"],
            }
        )

    table = plots.kwic_table(articles, ["جفاف"], concordance=concordance)
    arabic, french = table.split("<tbody>")[1].split("</tr>")[:2]
    cells = re.findall(r"<td([^>]*)>(.*?)</td>", arabic)
    assert cells[-3:] == [
        (' class="num" dir="rtl"', " &lt;بعد&gt; بسبب"),  # what follows, left of the keyword
        (' class="mid" dir="rtl"', "<strong>الجفاف</strong>"),
        (' dir="rtl"', "يعاني &lt;قبل&gt; "),  # what comes before, on its right
    ]
    assert re.findall(r"<td([^>]*)>(.*?)</td>", french)[-3:] == [
        (' class="num"', "la "),
        (' class="mid"', "<strong>sécheresse</strong>"),
        ("", " dure"),
    ]


def test_kwic_table_with_the_real_concordance(articles):
    pytest.importorskip("analysis.keywords")
    table = plots.kwic_table(articles, ["sécheresse"])
    assert "<strong>Sécheresse</strong>" in table
    assert "2 occurrences" in table


# --- topics -------------------------------------------------------------------------------------


def test_topics_table_and_terms(topics):
    table = plots.topics_table(topics)
    assert "eau, barrage, pluie" in table and "60.0" in table and "2 topics, model nmf" in table
    fig = check_figure(plots.topic_terms(topics))
    assert fig.axes[0].patches[0].get_width() == pytest.approx(5.0)
    assert "topics.parquet" in plots.topics_table(None) and "topics.parquet" in plots.topic_terms(None)
    assert "found no topic" in plots.topics_table(topics.iloc[:0])
    assert "No topic model: 2 articles with terms" in plots.topics_table(
        topics.iloc[:0], why_none="2 articles with terms"
    )


def test_topic_and_theme_trends():
    fig = check_figure(plots.topic_trends(trends("topic"), "month"))
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == ["Jan 2025", "Feb 2025", "Mar 2025"]
    check_figure(plots.topic_trends(trends("topic"), "month", stacked=False))
    heat = check_figure(plots.theme_trends(trends("theme"), "month"))
    assert [t.get_text() for t in heat.axes[0].get_yticklabels()] == ["Sport", "Eau"]  # most articles first
    assert isinstance(plots.topic_trends(trends("topic"), "year"), Html)
    assert "topic_trends.parquet" in plots.topic_trends(None)
    assert "theme_trends.parquet" in plots.theme_trends(None)


def test_topic_examples(topics, doc_topics, articles):
    table = plots.topic_examples(topics, doc_topics, articles, n=2)
    assert ESCAPED in table and "<script" not in table
    assert table.index("Sécheresse au Maroc") < table.index("Sécheresse : le Maroc")  # model example first
    assert "doc_topics.parquet" in plots.topic_examples(topics, None, articles)


def test_topics_by_source(topics, doc_topics, articles):
    fig = check_figure(plots.topics_by_source(doc_topics, topics, articles))
    values = {t.get_text() for t in fig.axes[0].texts}
    assert values == {"50"}  # each source: one article on each topic
    assert "topics.parquet" in plots.topics_by_source(doc_topics, None, articles)


def test_charts_of_right_to_left_terms(frequencies, monkeypatch):
    """An Arabic corpus's terms were all left out of charts, when matplotlib drew them unjoined
    and backwards; since matplotlib lays them out (3.11: libraqm built in), its bar charts draw
    them, and so do the word clouds where Pillow can (libraqm with the system's FriBiDi); where
    it cannot, each cloud is a note saying why. The tables show them, right to left."""
    arabic = frequencies.assign(term=[f"كلمة{i}" for i in range(len(frequencies))])
    drawn = [t.get_text() for t in check_figure(plots.top_terms(arabic, n=3)).axes[0].get_yticklabels()]
    assert drawn == ["كلمة5", "كلمة7", "كلمة9"]  # (the corpus rows, most frequent first)
    monkeypatch.setattr(plots, "_cloud_lays_out_right_to_left", lambda: True)
    check_figure(plots.word_cloud(arabic))
    check_figure(plots.word_clouds_by_period(arabic, "month"))
    monkeypatch.setattr(plots, "_cloud_lays_out_right_to_left", lambda: False)
    for chart in (plots.word_cloud(arabic), plots.word_clouds_by_period(arabic, "month")):
        assert isinstance(chart, Html) and "right-to-left" in chart and "FriBiDi" in chart
    table = plots.html_table(pd.DataFrame({"title": ["المغرب يفوز…", "Le Maroc"], "n": [2, 3]}), right=["n"])
    assert '<td dir="auto">المغرب يفوز…</td>' in table and "<td>Le Maroc</td>" in table


def many_sources(count: int = 30) -> pd.DataFrame:
    """One article per source, then a second one for the first source (the largest)."""
    names = [f"Outlet {i:02d}" for i in range(count)] + ["Outlet 00"]
    return pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(len(names))],
            "source": names,
            "published": [ts("2025-01-05")] * len(names),
            "language": ["fr"] * len(names),
            "duplicate_of": [None] * len(names),
            "duplicate_kind": [None] * len(names),
            "copies": [0] * len(names),
            "chars_raw": [100] * len(names),
            "chars_removed": [10] * len(names),
        }
    )


@pytest.mark.parametrize(
    "chart",
    [
        plots.articles_per_source,
        plots.languages_chart,
        plots.duplicates_chart,
        lambda frame: plots.boilerplate_chart(frame, pd.DataFrame({"reason": ["menu"]})),
    ],
)
def test_per_source_charts_lump_the_smaller_sources(chart):
    # 300 sources drew a 13,600-pixel-high chart: the 19 largest, then one row for the rest
    fig = check_figure(chart(many_sources()))
    labels = [t.get_text() for t in fig.axes[0 if chart is not plots.languages_chart else 1].get_yticklabels()]
    assert len(labels) == plots.MAX_SOURCES
    assert "11 other sources" in labels and "Outlet 00" in labels and "Outlet 29" not in labels
    assert fig.get_figheight() < 12


def test_articles_per_source_counts_the_lumped_sources_exactly():
    fig = plots.articles_per_source(many_sources())
    ax = fig.axes[0]
    widths = {
        label.get_text(): sum(p.get_width() for p in ax.patches if abs(p.get_y() + p.get_height() / 2 - y) < 0.01)
        for y, label in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)
    }
    assert widths["11 other sources"] == 11 and widths["Outlet 00"] == 2


def test_articles_per_period_lumps_the_smaller_sources_in_grey():
    fig = plots.articles_per_period(many_sources(), "month")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert len(legend) == plots.MAX_SOURCES and legend[-1] == "11 other sources"


def test_term_panels_show_the_largest_sources(frequencies):
    rows = frequencies[frequencies["scope"] == "source"]
    many = pd.concat([rows.assign(source=f"Outlet {i:02d}", group_docs=100 - i) for i in range(30)])
    fig = check_figure(plots.top_terms_by_source(many))
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert len(titles) == plots.MAX_PANELS and titles[0].startswith("Outlet 00 (100 articles)")
    assert "(the 12 largest of 30)" in fig.get_suptitle()
    distinctive = pd.DataFrame(
        {
            "group_type": "source",
            "group": [f"Outlet {i:02d}" for i in range(30)],
            "term": "eau",
            "direction": "over",
            "count": 5,
            "count_rest": 1,
            "share": [5 / (100 - i) for i in range(30)],
            "log_ratio": 2.0,
            "rank": 1,
        }
    )
    fig = check_figure(plots.distinctive_terms(distinctive))
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == [f"Outlet {i:02d}" for i in range(12)]


def test_terms_with_letters_the_fonts_lack_are_left_out_not_drawn_as_boxes(frequencies, monkeypatch):
    """DejaVu Sans, the charts' font, has no Chinese, Thai or Devanagari letters: such terms were
    drawn as empty boxes. They are left out (the note says why when none is left); Cyrillic,
    Greek and Vietnamese, which it draws, stay; a fallback font installed for a script brings its
    terms back in the bar charts (the word cloud has one font)."""
    corpus = frequencies[frequencies.scope == "corpus"]
    words = ["摩洛哥", "भारत", "โมร็อกโก", "Москва", "Ελλάδα", "Việt Nam"]
    mixed = pd.concat([corpus.iloc[[0] * len(words)].assign(term=words), corpus], ignore_index=True)
    drawn = {t.get_text() for t in check_figure(plots.top_terms(mixed, n=10)).axes[0].get_yticklabels()}
    assert {"Москва", "Ελλάδα", "Việt Nam"} <= drawn and not {"摩洛哥", "भारत", "โมร็อกโก"} & drawn
    chinese = frequencies.assign(term=[f"中国{i}" for i in range(len(frequencies))])
    for chart in (plots.word_cloud(chinese), plots.top_terms(chinese)):
        assert isinstance(chart, Html) and ("fonts lack" in chart or "font lacks" in chart)
    # a fallback font for Chinese (stood in for here by DejaVu Sans's letters and 中, 国)
    families, letters, main = plots._fonts()
    monkeypatch.setattr(plots, "_fonts", lambda: (families, letters | {ord("中"), ord("国")}, main))
    assert isinstance(plots.top_terms(chinese), Figure)
    assert isinstance(plots.word_cloud(chinese), Html)


def test_fallback_fonts_found_on_the_machine_follow_dejavu_sans(monkeypatch):
    from matplotlib.font_manager import fontManager

    installed = sorted({font.name for font in fontManager.ttflist} - {"DejaVu Sans"})
    assert installed, "no font besides DejaVu Sans to stand in for a fallback"
    plots._fonts.cache_clear()
    monkeypatch.setattr(plots, "FALLBACK_FONTS", ("No Such Font", installed[0]))
    try:
        families, letters, main = plots._fonts()
        assert families == ("DejaVu Sans", installed[0]) and letters >= main
        assert plots._style()["font.family"] == ["DejaVu Sans", installed[0]]
    finally:
        plots._fonts.cache_clear()


def test_labels_in_letters_no_font_draws_are_boxes_without_a_warning_each(recwarn):
    """A Chinese outlet's name, without a CJK font installed, was drawn as empty boxes with one
    warning per letter printed into the report; its letters are now written `□` (the tables show
    the name)."""
    frame = many_sources(2).assign(source=["新华社", "Le Monde", "新华社"])
    fig = check_figure(plots.articles_per_source(frame))
    assert {t.get_text() for t in fig.axes[0].get_yticklabels()} == {"□□□", "Le Monde"}
    assert not [w for w in recwarn if "missing from font" in str(w.message)]
