"""The fast matcher against a plain reference: same folds, same acronym hits, same mentions, same rows.

The reference is the matcher as it was before it was vectorised: fold with :func:`_fast_fold`,
run both automata over the whole text, check capitals entry by entry, sort candidate tuples, walk
them one by one, a row dict per mention. Texts are random mixes of gazetteer surfaces (in every
case), context words, punctuation, accents, combining marks, the capital sigma and characters
beyond the BMP. The shortcuts of the fast path (the context fold through a table, the word before
a name without a regular expression, the automaton reading the batch in parts) are checked too.
"""

from __future__ import annotations

import bisect
from functools import partial
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.countries import (
    _ARABIC_MARKS,
    _UNSAFE,
    _WORD,
    CountryMatcher,
    Mention,
    _Entry,
    _fast_fold,
    _fold_batch,
    _fold_context,
    _keep_length_table,
    _last_runs,
    _last_word,
    _sentence_around,
    _words_only,
    batch_mention_rows,
    fold_keep_length,
)

matcher = CountryMatcher()
SURFACES = sorted({e.surface for entries in matcher.gazetteer.entries.values() for e in entries})
CONTEXT_WORDS = [
    "le", "la", "de", "du", "l'", "d'", "M.", "Mme", "en", "parle", "langue", "et", "ou", "and", ",", ";", "/",
    "Jean", "Bardella", "Tbilisi", "Kinshasa", "Brazzaville", "RDC", "île", "de la", "uni", "-Uni",
]  # fmt: skip
ODD = [
    "é",
    "É",
    "’",
    "«",
    "»",
    "\u00a0",
    "\u2011",
    "–",
    "Σ",
    "ς",
    "İ",
    "ß",
    "œ",
    "\u0301",
    "😀",
    "€",
    "ﬁ",
    "\n",
    "\n\n",
    "\u064e",  # Arabic marks (fatha, shadda) and tatweel: taken out before matching
    "\u0651",
    "\u0640",
]


def reference_find_many(m: CountryMatcher, texts: list[str | None], contexts: list[str | None]) -> list[list[Mention]]:
    """The matcher's result, computed the plain way (each text and context without its Arabic
    marks, the mentions then put back in the text as written)."""
    written = [t or "" for t in texts]
    pieces = [_ARABIC_MARKS.sub("", piece) for piece in written]
    contexts = [None if c is None else _ARABIC_MARKS.sub("", c) for c in contexts]
    starts: list[int] = []
    position = 0
    for piece in pieces:
        starts.append(position)
        position += len(piece) + 2
    text = "\n\n".join(pieces)
    folded = "\n\n".join(map(_fast_fold, pieces))  # each text folded alone
    candidates: list[tuple[int, int, int, int, tuple[_Entry, ...]]] = []
    size = len(folded)
    spaced = f" {_words_only(folded)} "
    for end_index, (length, entries, _) in m._words.iter(spaced):
        start = end_index - length + 1
        end = start + length - 2
        entries = tuple(e for e in entries if all(text[start + i].isupper() for i in e.capitals))
        if entries:
            candidates.append((start, start - end, len(candidates), end, entries))
    if len(m._acronyms):
        for end_index, (length, entries, _) in m._acronyms.iter(text):
            start, end = end_index - length + 1, end_index + 1
            if (start > 0 and folded[start - 1].isalnum()) or (end < size and folded[end].isalnum()):
                continue
            candidates.append((start, start - end, len(candidates), end, entries))
    candidates.sort()
    results: list[list[Mention]] = [[] for _ in pieces]
    pending: list[list[tuple[int, int, _Entry]]] = [[] for _ in pieces]

    def whole(i: int) -> str:
        context = contexts[i]
        return fold_keep_length(context) if context is not None else folded[starts[i] : starts[i] + len(pieces[i])]

    taken_until = -1
    for start, _, _, end, entries in candidates:
        if start < taken_until:
            continue
        taken_until = end
        entry = entries[0]
        if entry.kind == "stop" or entry.kind not in m._kinds:
            continue
        index = bisect.bisect_right(starts, start) - 1
        if (entry.kind == "self" or folded[start:end] in m._checked) and not m._accept(
            text, folded, start, end, entry, partial(whole, index), starts[index], starts[index] + len(pieces[index])
        ):
            continue
        if entry.article:
            start, _ = m._without_article(text, start, end)
        # a surface's end punctuation where the text has it (`Opec+`, `Washington D.C.`)
        end += next((len(e.tail) for e in entries if e.tail and text.startswith(e.tail, end)), 0)
        base = starts[index]
        if len(entry.codes) == 1 and not entry.key:
            results[index].append(
                Mention(m._policy(entry.codes[0]), text[start:end], start - base, end - base, entry.kind)
            )
        else:
            pending[index].append((start - base, end - base, entry))
    for index, waiting in enumerate(pending):
        if not waiting:
            continue
        known = {x.code for x in results[index]}
        base = starts[index]
        for start, end, entry in waiting:
            # the cue words of its sentence first, then the article's (see CountryMatcher._resolve)
            sentence = _sentence_around(folded, base + start, base + end, base, base + len(pieces[index]))
            code = m._resolve(entry, partial(whole, index), known, sentence)
            if code:
                results[index].append(Mention(m._policy(code), pieces[index][start:end], start, end, entry.kind))
        results[index].sort(key=lambda x: x.start)
    # a country's name after a street's word (`rue de Tunis`), a town's after which its state or
    # province comes (`Paris, Texas`): no mention
    for index, found in enumerate(results):
        lo, hi = starts[index], starts[index] + len(pieces[index])
        results[index] = [
            x
            for x in found
            if not (
                m._street is not None
                and x.kind == "name"
                and m._street.search(folded, max(lo, lo + x.start - 20), lo + x.start)
            )
            and not (
                m._region_after is not None
                and x.kind in ("name", "capital")
                and folded.startswith(",", lo + x.end)
                and m._region_after.match(folded, lo + x.end, hi)
            )
        ]
    return [
        found if piece == bare else [_as_written(x, piece) for x in found]
        for found, piece, bare in zip(results, written, pieces, strict=True)
    ]


def _as_written(mention: Mention, piece: str) -> Mention:
    """``mention`` of ``piece`` without its Arabic marks, in ``piece``: from its first letter to the marks on its last."""
    places = [i for i, c in enumerate(piece) if not _ARABIC_MARKS.match(c)] + [len(piece)]
    start, end = places[mention.start], places[mention.end]
    return mention._replace(surface=piece[start:end], start=start, end=end)


def _cased(draw: st.DrawFn, word: str) -> str:
    return draw(st.sampled_from([word, word.lower(), word.upper(), word.title(), word.swapcase()]))


@st.composite
def news_texts(draw: st.DrawFn) -> str:
    tokens = draw(
        st.lists(
            st.one_of(
                st.sampled_from(SURFACES).map(lambda s: s),
                st.sampled_from(CONTEXT_WORDS),
                st.sampled_from(ODD),
                st.text(max_size=4),
            ),
            max_size=25,
        )
    )
    out = []
    for token in tokens:
        out.append(_cased(draw, token) if draw(st.booleans()) else token)
        out.append(draw(st.sampled_from([" ", " ", " ", "", "-", ", ", ". ", "\n", "'", "’", "«", " : "])))
    return "".join(out)


# texts of the characters folding must get right: accents, apostrophes, odd cases, anything
FOLD_TEXTS = st.text(
    alphabet=st.sampled_from([*"aZé É.’«-\n", *(c for c in ODD if len(c) == 1)])
    | st.characters(exclude_categories=("Cs",)),
    max_size=60,
)


@given(FOLD_TEXTS)
@settings(max_examples=400, deadline=None)
def test_batch_fold_is_the_text_fold(text: str) -> None:
    folded, spaced, _ = _fold_batch(text)
    assert folded == _fast_fold(text)
    assert spaced == f" {_words_only(_fast_fold(text))} "


@given(
    st.lists(
        st.text(alphabet=st.sampled_from([*"aZé É.’«-\n", "Σ", "ǅ", "ﬁ", "İ", "\u0345", "ß", "😀", "𝐀"]), max_size=12),
        min_size=1,
        max_size=8,
    )
)
@settings(max_examples=300, deadline=None)
def test_batch_fold_folds_slowly_only_the_texts_that_need_it(pieces: list[str]) -> None:
    """A piece the tables cannot fold (capital sigma, a longer lower case, beyond the BMP) is folded
    on its own: the batch's fold is each piece's fold, joined."""
    folded, spaced, _ = _fold_batch("\n\n".join(pieces), pieces)
    expected = "\n\n".join(map(_fast_fold, pieces))
    assert folded == expected
    assert spaced == f" {_words_only(expected)} "


@given(st.lists(news_texts(), min_size=1, max_size=6))
# an ambiguous name whose sentence writes one country's cue once and whose article the other's twice
@example(["AEK Athens AEK Athens AEK Athens AEK Athens Kinshasa. Congo - BrazzavilleAEK Athens \n Kinshasa "])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fast_matcher_is_the_reference(texts: list[str]) -> None:
    # pairs as the pipeline sends them: title and text of one article share a context
    contexts: list[str | None] = []
    for i in range(0, len(texts), 2):
        context = "\n".join(texts[i : i + 2])
        contexts += [context, context]
    contexts = contexts[: len(texts)]
    assert matcher.find_many(list(texts), contexts) == reference_find_many(matcher, list(texts), contexts)
    no_context: list[str | None] = [None] * len(texts)
    assert matcher.find_many(list(texts), None) == reference_find_many(matcher, list(texts), no_context)


@given(news_texts())
@settings(max_examples=300, deadline=None)
def test_acronym_spans_find_every_match(text: str) -> None:
    _, _, points = _fold_batch(text)
    assert matcher._acronym_spans.find(matcher._acronyms, text, points) == list(matcher._acronyms.iter(text))


def test_known_tricky_batches() -> None:
    texts: list[str | None] = [
        "MAROC – ESPAGNE : LE MATCH",
        None,
        "Jordan Bardella et la Jordanie 😀 ; le Congo de Tshisekedi",
        "ΣΟΦΙΑ Sofia, Georgia, Tbilisi — U.S.A. and the U.S., US-based, l'EAU",
        "",
        "le Guinée-Bissau et la Papouasie-Nouvelle-Guinée, Guinée équatoriale",
    ]
    contexts = [t for t in texts]
    assert matcher.find_many(texts, contexts) == reference_find_many(matcher, texts, contexts)


@pytest.mark.parametrize(
    "texts",
    [
        ["AEK Athens espagnol, ", "espagnol "],  # a list of languages across two texts
        ["Il a salué M.", "Jordan a gagné"],  # a title before a first name, in the text before
        ["Il vit sur la", "Réunion du conseil"],  # the word a name needs before it, in the text before
    ],
)
def test_no_rule_looks_past_its_own_text_in_a_batch(texts: list[str]) -> None:
    """The windows of the context rules end where the mention's text ends in the batch."""
    alone = [matcher.find_many([t])[0] for t in texts]
    assert matcher.find_many(list(texts)) == alone


@given(st.lists(news_texts(), min_size=2, max_size=5), st.sampled_from(["Σ", "ǅ", "ﬁ", "İ", "\u0345", "ß", "\u0651"]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_texts_mentions_do_not_depend_on_its_batch(texts: list[str], odd: str) -> None:
    """Mentions are per text (the per-article cache relies on it), whatever else the batch holds."""
    alone = [matcher.find_many([t])[0] for t in texts]
    assert matcher.find_many(list(texts)) == alone
    assert matcher.find_many([*texts, f"{odd} Maroc « Tunisie » – {odd}"])[: len(texts)] == alone


def reference_rows(
    m: CountryMatcher, articles: list[tuple[str, str | None, str | None]]
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """:func:`batch_mention_rows` the plain way: the reference's mentions, a row dict each."""
    texts: list[str | None] = []
    contexts: list[str | None] = []
    where: list[tuple[str, bool]] = []
    for article_id, title, text in articles:
        context = "\n".join(x for x in (title, text) if x)
        for in_title, value in ((True, title), (False, text)):
            texts.append(value)
            contexts.append(context)
            where.append((article_id, in_title))
    countries: list[dict[str, object]] = []
    regions: list[dict[str, object]] = []
    for (article_id, in_title), found in zip(where, reference_find_many(m, texts, contexts), strict=True):
        for code, surface, start, end, kind in found:
            if kind == "region":
                region_en, region_fr = m.gazetteer.region_names.get(code, (code, code))
                regions.append(
                    {
                        "article_id": article_id,
                        "region": code,
                        "region_en": region_en,
                        "region_fr": region_fr,
                        "surface": surface,
                        "start": start,
                        "end": end,
                        "in_title": in_title,
                    }
                )
                continue
            iso3, english, french = m.country(code)
            countries.append(
                {
                    "article_id": article_id,
                    "iso2": code,
                    "iso3": iso3,
                    "country": english,
                    "country_fr": french,
                    "surface": surface,
                    "start": start,
                    "end": end,
                    "kind": kind,
                    "in_title": in_title,
                }
            )
    return countries, regions


@given(st.lists(st.tuples(st.none() | news_texts(), st.none() | news_texts()), max_size=5))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_batch_rows_are_the_reference(pairs: list[tuple[str | None, str | None]]) -> None:
    articles = [(f"a{i}", title, text) for i, (title, text) in enumerate(pairs)]
    countries, regions = batch_mention_rows(articles, matcher)
    expected_countries, expected_regions = reference_rows(matcher, articles)
    assert countries == expected_countries
    assert regions == expected_regions
    assert [list(row) for row in countries] == [list(row) for row in expected_countries]  # key order too


WINDOW_WORDS = ["m", "mme", "mr", "en", "in", "le", "du", "parle", "langue", "d'en", "l'm", "aujourd'hui", "x"]


@given(
    st.lists(
        st.sampled_from(WINDOW_WORDS) | st.text(alphabet=st.sampled_from([*"ae'_-.,; \n0é€"]), max_size=4),
        max_size=8,
    ).map("".join),
    st.sets(st.sampled_from(WINDOW_WORDS), max_size=4),
)
@settings(max_examples=500, deadline=None)
def test_last_word_is_the_last_of_findall(window: str, candidates: set[str]) -> None:
    words = _WORD.findall(window)
    last = _last_word(window, _last_runs(candidates))
    assert last is None or last == words[-1]
    assert (last is not None and last in candidates) == (bool(words) and words[-1] in candidates)


@given(FOLD_TEXTS)
@settings(max_examples=400, deadline=None)
def test_context_fold_is_fold_keep_length(text: str) -> None:
    assert _fold_context(text, shortest=0) == fold_keep_length(text)


def test_context_fold_table_is_fold_keep_length() -> None:
    table = _keep_length_table()
    for code in range(0x10000):
        if table[code] != _UNSAFE:
            assert fold_keep_length(chr(code)) == chr(table[code])


@given(news_texts(), st.lists(st.integers(min_value=0, max_value=200), max_size=8))
@settings(max_examples=300, deadline=None)
def test_word_matches_read_in_parts(text: str, cuts: list[int]) -> None:
    """The word automaton read part by part finds what it finds in the whole, in the same order."""
    _, spaced, _ = _fold_batch(text)
    bounds = sorted({0, len(spaced), *(min(c, len(spaced)) for c in cuts)})
    parts = [spaced[a:b] for a, b in pairwise(bounds)]
    assert matcher._word_matches(parts).tolist() == [list(m) for m in matcher._word_ids.iter(spaced)]
