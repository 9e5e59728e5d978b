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
# # Keywords
#
# Which words and phrases dominate the coverage, and when: the most frequent terms and phrases,
# per period; word clouds; the terms rising or falling lately; the terms that set each source
# apart; and every occurrence of chosen terms in context (KWIC).
#
# Terms are lemmas (`marocain` stands for *marocain, marocaine, marocains*), stopwords removed;
# phrases are collocations learnt from the corpus (`intelligence artificielle`), or read from an
# earlier build's saved model (the phrase chart then says so). The keyword
# tables are computed when the data is built, over the whole corpus: this report keeps the rows
# of the periods, sources and languages chosen, but whole-corpus figures stay whole-corpus.
# Terms written in letters the charts' fonts lack (Chinese, Japanese, Thai, Hindi without a font
# installed for them) are left out of the charts, where they would be empty boxes; the tables
# show every term.

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
kwic_terms = []  # terms or phrases shown in context; empty: the most frequent phrase and terms

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
kwic_terms = list(kwic_terms) or corpus.kwic_defaults()
run_stamp(corpus, kwic_terms=kwic_terms)

# %% [markdown]
# ## Most frequent terms
#
# Bar length: how many times the term occurs (a count). The label adds the share of articles
# that use it at least once: a term repeated in a few articles has a long bar but a small share.

# %%
plots.top_terms(corpus.table("term_frequencies"), n=25, phrases=False)

# %% [markdown]
# ## Most frequent phrases
#
# Phrases of two or three words that occur together far more often than chance (collocations,
# by log-likelihood), with the language they were learnt in and the number of articles using them.

# %%
saved = corpus.manifest.get("counts", {}).get("keywords", {}).get("model_file")
plots.top_phrases(corpus.table("phrases"), n=20, model_file=saved)

# %% [markdown]
# ## Top terms per period
#
# One panel per period (the latest ones), the period's most frequent terms, bar = occurrences in
# that period's articles (the panel title gives how many). Counts compare terms within a panel;
# across panels, compare ranks, since periods hold different numbers of articles.

# %%
plots.top_terms_by_period(corpus.table("term_frequencies"), period, n=8)

# %% [markdown]
# The same for phrases (a period with few articles may have none).

# %%
plots.top_terms_by_period(corpus.table("term_frequencies"), period, n=6, phrases=True)

# %% [markdown]
# ## Word clouds
#
# The size of a word follows its number of occurrences; position and colour mean nothing. Use the
# clouds to get a feel for the vocabulary, and the bar charts above for exact comparisons.

# %%
plots.word_cloud(corpus.table("term_frequencies"))

# %%
plots.word_clouds_by_period(corpus.table("term_frequencies"), period, max_panels=6)

# %% [markdown]
# ## Rising and falling terms
#
# The latest window of periods against the window just before it. Green bars: terms whose share
# of all terms grew; red: shrank. The bar is the binary log of the ratio of shares (+1 = twice as
# frequent, −2 = four times less); labels give the raw counts before → after. Only changes that
# pass a significance test corrected for the number of terms tested are listed.

# %%
plots.rising_falling(corpus.table("rising_terms"), period, n=12)

# %% [markdown]
# ## Distinctive terms per source
#
# For each outlet, the terms it uses markedly more often than the other outlets together
# (log-likelihood test, p < 0.001). Bar: binary log of the ratio of relative frequencies; labels:
# occurrences in the outlet vs in the rest. A distinctive term can be a topic the outlet covers
# more, or simply its language or house style.

# %%
plots.distinctive_terms(corpus.table("distinctive_terms"), group_type="source", n=8, colors=corpus.source_colors)

# %% [markdown]
# ## Keywords in context
#
# Every occurrence of each term of the parameter `kwic_terms` (any inflection; by default the
# build's most frequent phrase and terms), the most recent first, with the words around it.
# Titles and text are shown exactly as published.

# %%
plots.kwic_table(corpus.articles, kwic_terms, width=70, limit=12)
