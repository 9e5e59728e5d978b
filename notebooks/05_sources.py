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
# # Sources compared
#
# What each outlet covers more, or less, than the others: its own words, the countries it names,
# the topics it writes about. Differences between sources mix editorial choices with language,
# format (full articles vs headlines and standfirsts) and size: check the table below first.

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
# ## The sources
#
# Articles per source, how many are unique stories, languages, first and last date and the median
# length in words. A source of headlines only (a feed) has short texts and few words to compare.

# %%
plots.sources_table(corpus.selected)

# %% [markdown]
# ## Words each source uses more, or less
#
# Right (coloured): terms the outlet uses markedly more than the other outlets together; left
# (grey): terms it uses markedly less. Bar: binary log of the ratio of relative frequencies;
# labels: occurrences in the outlet vs in the rest (log-likelihood test, p < 0.001).

# %%
plots.distinctive_terms(
    corpus.table("distinctive_terms"), group_type="source", n=6, direction="both", colors=corpus.source_colors
)

# %% [markdown]
# ## Most frequent terms of each source
#
# Each outlet's own top terms, bar = occurrences in its articles. Shared terms show the common
# agenda; the distinctive terms above show what differs.

# %%
plots.top_terms_by_source(corpus.table("term_frequencies"), n=10, colors=corpus.source_colors)

# %% [markdown]
# ## Countries per source
#
# The share of each outlet's articles naming each of the most-named countries (%, one row per
# outlet, its number of articles in brackets). Compare along a column: which outlet names this
# country most often, relative to its size.

# %%
plots.countries_by_source(corpus.mentions, corpus.articles, top=12)

# %% [markdown]
# ## Topics per source
#
# The share of each outlet's articles whose strongest topic is each topic (%). A row sums to
# 100% over the topics (articles without a topic aside).

# %%
plots.topics_by_source(corpus.table("doc_topics"), corpus.table("topics"), corpus.articles)
