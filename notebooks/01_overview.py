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
# # Corpus overview
#
# What the corpus holds (articles per period and per source, languages) and the caveats of the
# data, in numbers: copies of the same story, records that could not be loaded, and the page junk
# that cleaning removed. Read this report first: every other report counts the articles shown here.

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
# ## The selection in numbers
#
# One line per fact. *Unique stories* are the articles that copy no other one: unless the report
# was made with `include_duplicates`, the charts of every report count these only. Rejected
# records come from the whole build (a record that could not be read has no date or source).

# %%
plots.corpus_summary(corpus.selected, corpus.rejects, corpus.boilerplate)

# %% [markdown]
# ## Articles per period
#
# Each bar is one period (its first day on the axis); its height is the number of articles
# published then, coloured by source. Gaps are periods without any article. Months with few
# articles make every share in the other reports jumpy: check the height of the bars before
# reading a trend.

# %%
plots.articles_per_period(corpus.articles, period, colors=corpus.source_colors)

# %% [markdown]
# ## Articles per source
#
# How many articles each outlet contributes. Dark blue: unique stories; red: exact copies of an
# earlier article; pink: near copies (the same story re-edited or cut). A source made mostly of
# copies adds little of its own.

# %%
plots.articles_per_source(corpus.selected)

# %%
plots.sources_table(corpus.selected)

# %% [markdown]
# ## Languages
#
# Left: articles per language, split by where the language came from (declared by the record, or
# detected from the text). Right: the language mix of each source, as a share of its articles.
# Keyword and topic results are computed per language: a small language has little weight in them.

# %%
plots.languages_chart(corpus.articles)

# %% [markdown]
# ## Duplicates and syndication
#
# Wire stories and syndicated articles appear in several outlets. Copies are marked, never
# dropped: an *original* is the earliest article of a group, its *copies* are exact (same
# normalised text) or near (edited, re-junked, truncated). The table lists each group.

# %%
plots.duplicates_chart(corpus.selected)

# %%
plots.duplicate_groups_table(corpus.selected)

# %% [markdown]
# ## Records rejected at loading
#
# Records (or whole files) that are not in the article table, by reason: empty or binary files,
# broken JSON lines, records without text, second copies of the same URL. The ledger is
# `rejects.jsonl`; excerpts below are shown as text.

# %%
plots.rejects_chart(corpus.rejects)

# %%
plots.rejects_table(corpus.rejects)

# %% [markdown]
# ## Boilerplate removed
#
# Left: the share of each source's loaded characters that cleaning removed (menus, "read also"
# links, share buttons, footers). Right: lines removed, by the rule or mechanism that removed
# them. The table shows the lines removed most often, so you can judge whether cleaning went too
# far (body text) or not far enough (junk left in the other reports' words).

# %%
plots.boilerplate_chart(corpus.selected, corpus.boilerplate)

# %%
plots.boilerplate_table(corpus.boilerplate)

# %% [markdown]
# ## Titles that look like markup
#
# Titles holding `<`, `>` or HTML entities: a scraper's leftovers, or text crafted to run in a
# browser. They stay verbatim in the data; reports always show them as plain text.

# %%
plots.markup_titles_table(corpus.selected)

# %% [markdown]
# ## Latest articles
#
# The most recent articles of the selection, copies included, with the outlet's own tags.

# %%
plots.articles_table(corpus.selected, limit=12)
