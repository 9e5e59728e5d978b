# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Countries
#
# Which countries the coverage talks about, how often, with whom and how. A country is *named*
# by an article when the article mentions it at least once, by its name (`Maroc`, `USA`), a
# demonym (`marocains`), its capital (`Rabat`), an institution standing for it (`l'Élysée`)
# or, for the home country, a self-reference (`le Royaume`). Regions (Maghreb, Sahel, Europe)
# are counted apart, never as countries.
#
# Two measures, never mixed: the **share of articles** naming a country (in %, comparable across
# periods and corpora) and **raw counts** (articles or mentions, which grow with the corpus).
# Each country keeps one colour in every chart and report.

# %%
from analysis import plots
from analysis.report import load_corpus, run_stamp

# %% tags=["parameters"]
processed_dir = None  # folder of the processed tables; None: the project's data/processed
since = None  # first day included, "YYYY-MM-DD"; None: from the first article
until = None  # last day included, "YYYY-MM-DD"; None: to the last article
sources = []  # only these sources (as named in the data); empty: every source
languages = []  # only these languages (ISO 639 codes such as "fr"); empty: every language
period = "month"  # time unit of the charts: day, week, month, quarter or year
include_duplicates = False  # True: count syndicated copies as articles of their own

# %%
plots.use_report_style()
corpus = load_corpus(
    processed_dir,
    since=since,
    until=until,
    sources=sources,
    languages=languages,
    period=period,
    include_duplicates=include_duplicates,
)
run_stamp(corpus)

# %% [markdown]
# ## Most-named countries
#
# Left: the share of all articles that name the country (with the count, *n of N*). Right: its
# mentions, every occurrence counted, so a country named ten times in one article weighs ten.

# %%
plots.top_countries(corpus.mentions, corpus.articles, n=15, colors=corpus.country_colors)

# %% [markdown]
# The same figures as a table, with the number of articles that name the country in their title.

# %%
plots.top_countries_table(corpus.mentions, corpus.articles, n=25)

# %% [markdown]
# ## Countries named, by the articles' language
#
# French and English country names are matched in every article, and a language listed in the
# build's `countries.languages` has its own names matched too (`Marokko`, `المغرب`). An article in
# a language matched with French and English names alone (last column) names fewer countries than
# it writes: compare its share with the others' before reading its countries, and add its code to
# `countries.languages` in `analysis.toml` to match its own names.

# %%
plots.countries_by_language(
    corpus.mentions,
    corpus.articles,
    corpus.manifest.get("options", {}).get("countries", {}).get("languages"),
)

# %% [markdown]
# ## Countries over time
#
# Top: for the most-named countries, the share of each period's articles that name them. Bottom:
# how many articles each period holds: a share computed over three articles jumps by a third
# with each article, so read trends where the grey bars are tall (a longer `period` helps).

# %%
plots.country_trends(corpus.mentions, corpus.articles, period, top=6, colors=corpus.country_colors)

# %% [markdown]
# ## Countries named together
#
# Each cell counts the articles that name both countries (row and column); the grey diagonal
# counts the articles naming the country at all. Dark cells are the pairs the coverage links.

# %%
plots.co_mention_heatmap(corpus.mentions, corpus.articles, top=12)

# %% [markdown]
# ## How countries are named
#
# Mentions of each country by kind: its name, a demonym, its capital, an institution (metonym)
# or a self-reference of the home country. A country named mostly through its capital or
# institutions is covered as a government more than as a place.

# %%
plots.mention_kinds(corpus.mentions, top=12)

# %% [markdown]
# ## Where in the world
#
# A world map would need country shapes, and no package this project installs ships them (the
# Natural Earth data once bundled with geopandas is gone, and fetching shapes at run time would
# break reports that must work offline). This ranked dot plot shows the same geography exactly:
# the most-named countries grouped by continent, dot = share of articles, number = articles.

# %%
plots.countries_by_continent(corpus.mentions, corpus.articles, top=40)

# %% [markdown]
# ## Regions named
#
# Mentions of regions and groupings (Maghreb, Sahel, Africa, Europe, the Gulf...), as a share of
# articles. They complement the countries: `l'Afrique` names no particular country.

# %%
plots.regions_chart(corpus.regions, corpus.articles, n=12)
