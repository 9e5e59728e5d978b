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
# # Topics
#
# What the coverage is about, found by a topic model over the articles' terms: each topic is a
# set of words that occur together, labelled by its top terms. Topics are found by the data, not
# chosen: read their terms before trusting a label. The user's own **themes** (word lists
# defined in the configuration) are counted alongside. Each topic keeps one colour throughout.
#
# The model is fitted when the data is built, over the whole corpus (or read from an earlier
# build's saved model, as the table's caption then says); this report keeps the periods and
# articles of the selection.

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
# ## The topics
#
# One row per topic: its label and top terms, its share of the whole coverage (the sum of its
# weight over all articles, in %), the number of articles whose strongest topic it is, and its
# coherence (how often its top terms really occur together, from −1 to 1; higher is better).

# %%
found = corpus.manifest.get("counts", {}).get("topics", {})
plots.topics_table(
    corpus.table("topics"),
    why_none=found.get("no_topics"),
    model_file=found.get("model_file"),
    without_topic=(found.get("articles_without_topic", 0), found.get("articles_counted", 0)),
)

# %% [markdown]
# ## Top terms of each topic
#
# The weight of each term in the topic (%): the longer the bar, the more the term defines it.

# %%
plots.topic_terms(corpus.table("topics"), n=8)

# %% [markdown]
# ## Topics over time
#
# Top: each topic's share of each period's coverage (stacked, the bands add up to the period's
# total). Bottom: articles per period; periods with few articles make the bands jump.

# %%
plots.topic_trends(corpus.table("topic_trends"), period)

# %% [markdown]
# ## Themes over time
#
# The share of each period's articles that are on each theme (an article is on a theme when
# enough of the theme's words occur in it). Themes overlap: one article can count for several.

# %%
plots.theme_trends(corpus.table("theme_trends"), period)

# %% [markdown]
# ## Example articles per topic
#
# The most typical articles of each topic in the selection, with the topic's weight in the
# article. Reading a few titles is the quickest check of what a topic really covers.

# %%
plots.topic_examples(corpus.table("topics"), corpus.table("doc_topics"), corpus.articles, n=3)
