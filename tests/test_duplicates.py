"""Exact and near duplicates: marks, canonical choice, and scores on constructed pairs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from analysis.duplicates import DuplicateFinder, DuplicateMark, DuplicateOptions
from tests.conftest import ROOT, shared_path
from tests.dup_pairs import score
from tests.io.helpers import run

STORY = (
    "Le Maroc et l'Espagne ont signé mardi à Rabat un accord pour renforcer l'interconnexion électrique entre "
    "les deux rives du détroit, a indiqué le ministère de la Transition énergétique. Le projet prévoit une "
    "troisième ligne sous-marine d'une capacité de 700 mégawatts, qui doit entrer en service en 2027. Les deux "
    "pays veulent ainsi sécuriser leur approvisionnement et accélérer le déploiement des énergies renouvelables "
    "dans la région, selon le communiqué conjoint publié à l'issue de la rencontre."
)


def day(n: int) -> datetime:
    return datetime(2024, 5, n, tzinfo=UTC)


def test_exact_and_near_copies_point_to_the_earliest():
    finder = DuplicateFinder()
    finder.add("b", STORY, day(3))
    finder.add("a", STORY.upper().replace(",", ""), day(2))  # same words: exact
    finder.add("c", STORY.replace("mardi", "lundi").replace("700", "800"), day(4))  # edited: near
    finder.add(
        "d",
        "Un tout autre article sur la sécheresse qui frappe le Maroc depuis six ans, avec des barrages remplis à moins de 30 % et des restrictions d'eau dans plusieurs villes du pays.",
        day(1),
    )
    marks = finder.marks()
    assert marks["a"].duplicate_of is None and marks["a"].copies == 2
    assert (marks["b"].duplicate_of, marks["b"].duplicate_kind) == ("a", "exact")
    assert (marks["c"].duplicate_of, marks["c"].duplicate_kind) == ("a", "near")
    assert marks["d"].duplicate_of is None and marks["d"].copies == 0


def test_headlines_match_only_exactly_and_on_the_same_day():
    finder = DuplicateFinder()
    finder.add("x", "Bourse de Tunis : le Tunindex termine en hausse", day(1))
    finder.add("y", "Bourse de Tunis : le Tunindex termine en hausse", day(2))
    finder.add("z", "Bourse de Tunis : le Tunindex termine en hausse", day(2))
    finder.add("w", "Bourse de Tunis : le Tunindex termine en baisse", day(2))
    marks = finder.marks()
    assert marks["x"].duplicate_of is None
    assert marks["z"].duplicate_of == "y"
    assert marks["w"].duplicate_of is None


BLURB = (  # a series' standfirst, under each episode's own title (Le Monde's RSS)
    "« Carnets d'exil », épisode. Avec la guerre, ils ont quitté Kiev, Boïarka ou Moscou et ont posé leurs "
    "valises à Strasbourg, Villeurbanne, Dijon ou Toulon. Ils racontent au « Monde » leur nouvelle vie en France."
)
BRIEF = (  # a wire brief, its copy's title with the company's ticker (Reuters)
    "A spokesman said 2,000 workers would be laid off one week beginning March 9 at the company's plant in "
    "Pontiac, and 3,500 more the week after at its Flint plant, because of slow sales of its midsize cars."
)


@pytest.mark.parametrize("streamed", [False, True])
def test_teasers_are_copies_only_under_titles_alike(streamed: bool) -> None:
    """Teasers (texts under teaser_words words) sharing their words are copies when their titles
    share half their words, not a series' episodes under their own titles; long texts are copies
    whatever their titles (a wire story retitled)."""
    from analysis.duplicates import Signatures, signature

    long_story = " ".join([STORY] * 2)  # 130 words: no teaser
    items = [
        ("e1", BLURB, day(1), "Carnets d'exil : Nina, de Moscou à Paris"),
        ("e2", BLURB, day(2), "Carnets d'exil : Alina, de Kharkhiv à Nice"),
        ("e3", BLURB.replace("Toulon", "Lyon"), day(3), "Carnets d'exil : Maksim et Olga, de Dymer à Toulon"),
        ("g1", BRIEF, day(1), "GM LAYING OFF 5,500 AT TWO PLANTS"),
        ("g2", BRIEF, day(1), "GM <GM> LAYING OFF 5,500 AT TWO PLANTS"),
        ("g3", BRIEF.replace("slow", "weak"), day(2), "GM <GM> LAYING OFF 5,500 AT TWO PLANTS"),
        ("g4", BRIEF, day(2), "GM LAYING OFF 5,500 AT TWO PLANTS"),
        ("s1", long_story, day(1), "Le Maroc et l'Espagne renforcent leur interconnexion électrique"),
        ("s2", long_story, day(1), "Rabat et Madrid signent un accord sur l'électricité"),
    ]
    finder = DuplicateFinder()
    if streamed:  # as the cleaning stage: signatures made apart, titles given with them
        import pyarrow as pa

        options = DuplicateOptions()
        finder.add_signatures(
            pa.array([i for i, *_ in items]),
            pa.array([d for _, _, d, _ in items], pa.timestamp("us", "UTC")),
            Signatures.of((signature(text, options, title) for _, text, _, title in items), options.num_perm),
            pa.array([t for *_, t in items]),
        )
    else:
        for article_id, text, published, title in items:
            finder.add(article_id, text, published, title=title)
    marks = finder.marks()
    assert all(marks[e].duplicate_of is None and marks[e].copies == 0 for e in ("e1", "e2", "e3"))
    assert (marks["g4"].duplicate_of, marks["g4"].duplicate_kind) == ("g1", "exact")  # same words, same title
    assert (marks["g2"].duplicate_of, marks["g2"].duplicate_kind) == ("g1", "near")  # a title alike
    assert (marks["g3"].duplicate_of, marks["g3"].duplicate_kind) == ("g1", "near")
    assert (marks["s2"].duplicate_of, marks["s2"].duplicate_kind) == ("s1", "exact")


def test_title_similarity_is_the_share_of_their_words_in_both() -> None:
    from analysis.duplicates import title_similarity, title_sketch

    same = title_similarity(title_sketch("GM LAYING OFF 5,500"), title_sketch("GM <GM> Laying off 5,500"))
    assert same == 1.0  # (the same folded words: gm, laying, off, 5, 500)
    assert title_similarity(title_sketch("a b c d"), title_sketch("a b e f")) == pytest.approx(2 / 6)
    assert title_similarity(title_sketch("Un titre"), title_sketch(None)) is None
    long_a = " ".join(f"mot{i}" for i in range(40))
    assert title_similarity(title_sketch(long_a), title_sketch(long_a + " autre")) > 0.8  # (a sketch of 16 words)


def test_results_do_not_depend_on_insertion_order():
    items = [
        ("a", STORY, day(2)),
        ("b", STORY + " Fin.", day(3)),
        ("c", "Autre chose entièrement différent du reste.", None),
    ]
    first = DuplicateFinder().extend(items).marks()
    second = DuplicateFinder().extend(reversed(items)).marks()
    assert first == second


def test_constructed_pairs_from_the_demo_corpus(tmp_path, ingest_options):
    df, _, _ = run(ROOT / "data" / "raw", tmp_path / "out", ingest_options)
    bases = [(r.article_id, r.text) for r in df.itertuples() if isinstance(r.text, str) and len(r.text.split()) >= 100]
    bases = [b for b in bases if "Agence Atlas Presse" not in b[1]]  # the demo's own wire copies
    result = score(bases)
    assert result["precision"] >= 0.95
    assert result["recall"] >= 0.95


def test_constructed_pairs_from_reuters(tmp_path, ingest_options):
    """Edited, re-junked and truncated copies of 600 distinct Reuters stories, mixed with them."""
    folder = shared_path("corpus", "reuters21578_en_part1")
    df, _, _ = run(folder, tmp_path / "out", replace(ingest_options, plugins=("tests.plugins.reuters_sgml",)))
    finder = DuplicateFinder()
    for r in df.itertuples():
        finder.add(r.article_id, r.text if isinstance(r.text, str) else None, None)
    marks = finder.marks()
    bases = [
        (r.article_id, r.text)
        for r in df.itertuples()
        if isinstance(r.text, str)
        and len(r.text.split()) >= 60
        and marks[r.article_id].duplicate_of is None
        and marks[r.article_id].copies == 0
    ][:600]
    result = score(bases)
    # measured 2026-11-27 with the defaults (4-word shingles, threshold 0.4): P 0.974, R 0.964
    assert result["precision"] >= 0.96
    assert result["recall"] >= 0.95
    stricter = score(bases, DuplicateOptions(threshold=0.6))
    assert stricter["precision"] >= result["precision"] and stricter["recall"] < result["recall"]


def test_groups_are_the_marks_as_arrays_in_the_order_added():
    finder = DuplicateFinder()
    rows = [
        ("b", STORY, datetime(2024, 5, 3, tzinfo=UTC)),
        ("a", STORY.replace("mardi", "lundi"), datetime(2024, 5, 2, tzinfo=UTC)),
        ("d", STORY, None),
        ("c", "Autre chose entièrement, sans rapport avec le reste du corpus.", None),
    ]
    for article_id, text, published in rows:
        finder.add(article_id, text, published)
    groups = finder.groups()
    assert groups.ids.to_pylist() == [r[0] for r in rows]
    marks = finder.marks()
    duplicate_of, kinds, copies = (c.to_pylist() for c in groups.columns(0, len(rows)))
    for i, (article_id, _, _) in enumerate(rows):
        assert marks[article_id] == DuplicateMark(duplicate_of[i], kinds[i], copies[i])
    assert marks["b"] == DuplicateMark("a", "near", 0) and marks["d"] == DuplicateMark("a", "near", 0)
    assert marks["a"].copies == 2 and marks["c"] == DuplicateMark(None, None, 0)
    assert groups.marks(1, 3) == [marks["a"], marks["d"]]


def test_an_id_arrow_cannot_hold_is_a_clear_error():
    finder = DuplicateFinder()
    finder.add("\udcff", STORY, None)
    with pytest.raises(ValueError, match="valid Unicode"):
        finder.marks()


def test_the_finder_imports_datasketch_only_when_it_needs_the_bands() -> None:
    """A build creates it before its workers' first tasks: datasketch and scipy (about 0.3 s) wait until then."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from analysis.duplicates import DuplicateFinder, DuplicateOptions\n"
        "finder = DuplicateFinder(DuplicateOptions())\n"
        "print('datasketch' in sys.modules, finder._shape(), 'datasketch' in sys.modules)\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.split(" ", 1)[0] == "False" and shown.rstrip().endswith("True")
