"""Constructed duplicate pairs from real articles, to measure the duplicate finder.

From base articles (distinct real texts), make three kinds of copies as syndication produces them:
an edited copy (a few words replaced, one sentence dropped), a copy with other page junk around
it, and a truncated copy (the first 70% of the words). Every (base, copy) and (copy, copy) pair
of one base is a true pair; any other pair in the same group is a false one.
"""

from __future__ import annotations

import random
from itertools import combinations

from analysis.duplicates import DuplicateFinder, DuplicateOptions

JUNK_TOP = ["Accueil | Monde | Économie | Sport", "Publié le 3 mars 2024 à 10h00", "Partager sur Facebook"]
JUNK_BOTTOM = ["Lire aussi : Les marchés en hausse", "Tous droits réservés", "Suivez-nous sur Twitter"]


def make_copies(text: str, rng: random.Random) -> dict[str, str]:
    words = text.split()
    edited = list(words)
    for i in rng.sample(range(len(edited)), max(1, len(edited) // 20)):
        edited[i] = rng.choice(["notamment", "également", "indeed", "reportedly", "officials"])
    sentences = " ".join(edited).split(". ")
    if len(sentences) > 2:
        del sentences[rng.randrange(1, len(sentences))]
    return {
        "edited": ". ".join(sentences),
        "junk": "\n".join([*JUNK_TOP, text, *JUNK_BOTTOM]),
        "truncated": " ".join(words[: int(len(words) * 0.7)]),
    }


def score(bases: list[tuple[str, str]], options: DuplicateOptions | None = None, seed: int = 7) -> dict[str, float]:
    """Pair precision and recall of the finder on copies of ``bases`` (id, text) mixed with them."""
    rng = random.Random(seed)
    items: list[tuple[str, str]] = []
    truth: dict[str, str] = {}
    for base_id, text in bases:
        items.append((base_id, text))
        truth[base_id] = base_id
        for kind, copy in make_copies(text, rng).items():
            copy_id = f"{base_id}:{kind}"
            items.append((copy_id, copy))
            truth[copy_id] = base_id
    rng.shuffle(items)
    finder = DuplicateFinder(options or DuplicateOptions())
    for item_id, text in items:
        finder.add(item_id, text, None)
    marks = finder.marks()
    groups: dict[str, list[str]] = {}
    for item_id, mark in marks.items():
        groups.setdefault(mark.duplicate_of or item_id, []).append(item_id)
    predicted = {frozenset(p) for members in groups.values() for p in combinations(members, 2)}
    by_base: dict[str, list[str]] = {}
    for item_id, base in truth.items():
        by_base.setdefault(base, []).append(item_id)
    actual = {frozenset(p) for members in by_base.values() for p in combinations(members, 2)}
    hits = len(predicted & actual)
    return {
        "pairs_true": len(actual),
        "pairs_predicted": len(predicted),
        "precision": hits / len(predicted) if predicted else 1.0,
        "recall": hits / len(actual) if actual else 1.0,
    }
