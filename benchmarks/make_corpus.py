"""A large raw corpus of real text, recombined, for the scale benchmark (``benchmarks/scale.py``).

Run with ``.venv/bin/python benchmarks/make_corpus.py --size 10000 --out DIR [--seed 1]``.

**The pool.** Real articles loaded once through the project's own ingester from the corpora in
``../shared/corpus`` (Le Monde RSS 2022, the Tunisian Media Cloud headlines, the PPE1 pages, the
Readability news pages, Reuters-21578 through the test plugin), cached as
``data/interim/bench/pool.parquet``. When ``../shared`` is absent (or with ``--pool demo``) the
demo corpus in ``data/raw`` is the pool (cached as ``pool-demo.parquet``) and the output says so.
Their texts are cut into passages (paragraphs, or the pieces of a wrapped or very long one) and
only prose is kept: no menus, links or form fields, at least 8 words, mostly letters, ending
like a sentence.

**An article** is the title of one pool article and 1 to 4 paragraphs, each made of passages
drawn at random among those of the title's language up to a length drawn at random, so that
texts average about ``--text-kb`` (3.5) KB. (Runs of consecutive passages would read better but
make unrelated articles near duplicates of each other when they share a long pool page.) Its
source is one of 30 outlets (weighted, of the article's language), its date is drawn over
2023-2024, its URL is unique. Among every 100 records, exactly (rounded):

- 5 are **syndicated copies** of a recent article: same title and text with one sentence
  replaced, another outlet, another URL, a date a little later (the cleaner's near duplicates);
- 1 is an **exact re-post** of a recent record: same URL and all (the loader's ``duplicate``);
- the rest are original articles.

About 20% of the texts get page furniture before and/or after the body, one item per line: the
outlet's menu (``Le360 | Accueil | Politique | ...``), ``Lire aussi : <another title>``,
``Partager sur Facebook``, ``Abonnez-vous à notre newsletter`` (English ones in English).

**Files.** JSONL shards (``jsonl/part-00000.jsonl.gz``, fields ``id``, ``url``, ``title``,
``text``, ``published``, ``source``, ``language``) and, for about 10% of the records, CSV shards in
the Media Cloud style (``csv/part-00000.csv.gz``, columns ``stories_id``, ``publish_date``,
``title``, ``content``, ``url``, ``media_name``, ``language``), ``--shard-size`` records per file. Both
load without options. ``.corpus.json`` (hidden: the loaders skip it) records how the corpus was
made and its counts.

Deterministic: the same pool, seed, size and options give the same bytes. Streamed: shards are
written as records are made; memory holds the pool and the last few thousand records only, so
``--size 1000000`` (about 3.5 GB of text) runs in the same memory as ``--size 1000``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any, Literal

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
BENCH = ROOT / "data" / "interim" / "bench"
POOL_FILE = BENCH / "pool.parquet"
DEMO_POOL_FILE = BENCH / "pool-demo.parquet"
MANIFEST_NAME = ".corpus.json"
#: Bumped whenever the output for a given seed and size changes (cached corpora are then remade).
GENERATOR_VERSION = 3

# `tests.plugins.reuters_sgml` (the Reuters loader) lives in the project's tests package.
for _path in (ROOT / "src", ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

SYNDICATED_PER_MILLE = 50
REPOST_PER_MILLE = 10
FURNITURE_SHARE = 0.20
CSV_SHARE = 0.10
#: Copies are made of one of the last RECENT records (a re-post or a syndication follows soon).
RECENT = 2000
#: Records whose kind is drawn together: each block holds the exact quota of copies.
BLOCK = 100
FIRST_DAY = datetime(2023, 1, 1, tzinfo=UTC)
DAYS = 731
#: Passages longer than this are cut at sentence ends (a lynx dump can hold a page in one block):
#: two articles sharing one long passage would be near duplicates by accident.
MAX_PASSAGE = 600

PoolKind = Literal["auto", "shared", "demo"]


@dataclass(frozen=True)
class PoolSource:
    """One real corpus of the pool and how to load it."""

    folder: str
    language: str | None = None  # for records that declare none
    force_language: bool = False  # the declared one is unreliable (Media Cloud's guesses)
    include: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()


SHARED_SOURCES = (
    PoolSource("lemonde_rss_2022", language="fr"),
    PoolSource("tunisia_ecomag_mediacloud_2019_2021", language="fr", force_language=True),
    PoolSource("ppe1_securite_alimentaire_fr_raw", language="fr"),
    PoolSource("readability_news_pages", include=("*/source.html",)),
    PoolSource("reuters21578_en_part1", language="en", plugins=("tests.plugins.reuters_sgml",)),
)


@dataclass(frozen=True)
class Outlet:
    """A news outlet: the ``source`` of its records and the host of their URLs."""

    name: str
    domain: str
    language: str  # "fr", "en" or "other"
    weight: int


OUTLETS = (
    Outlet("Hespress FR", "fr.hespress.com", "fr", 10),
    Outlet("Le360", "fr.le360.ma", "fr", 9),
    Outlet("Le Matin", "lematin.ma", "fr", 8),
    Outlet("Médias24", "medias24.com", "fr", 7),
    Outlet("TelQuel", "telquel.ma", "fr", 6),
    Outlet("L'Économiste", "leconomiste.com", "fr", 6),
    Outlet("Le Monde", "www.lemonde.fr", "fr", 6),
    Outlet("MAP Express", "www.mapexpress.ma", "fr", 5),
    Outlet("Jeune Afrique", "www.jeuneafrique.com", "fr", 5),
    Outlet("Les Inspirations ÉCO", "leseco.ma", "fr", 4),
    Outlet("Aujourd'hui le Maroc", "aujourdhui.ma", "fr", 4),
    Outlet("RFI", "www.rfi.fr", "fr", 4),
    Outlet("France 24", "www.france24.com", "fr", 4),
    Outlet("La Vie éco", "www.lavieeco.com", "fr", 3),
    Outlet("H24info", "www.h24info.ma", "fr", 3),
    Outlet("L'Opinion", "www.lopinion.ma", "fr", 3),
    Outlet("Yabiladi", "www.yabiladi.com", "fr", 3),
    Outlet("L'Economiste Maghrébin", "www.leconomistemaghrebin.com", "fr", 3),
    Outlet("Le Desk", "ledesk.ma", "fr", 2),
    Outlet("Maroc Diplomatique", "maroc-diplomatique.net", "fr", 2),
    Outlet("Barlamane", "www.barlamane.com", "fr", 2),
    Outlet("Kapitalis", "kapitalis.com", "fr", 2),
    Outlet("TSA Algérie", "www.tsa-algerie.com", "fr", 2),
    Outlet("El Watan", "elwatan-dz.com", "fr", 2),
    Outlet("Morocco World News", "www.moroccoworldnews.com", "en", 5),
    Outlet("Reuters", "www.reuters.com", "en", 6),
    Outlet("Hespress English", "en.hespress.com", "en", 3),
    Outlet("The North Africa Post", "northafricapost.com", "en", 2),
    Outlet("Al-Monitor", "www.al-monitor.com", "en", 1),
    Outlet("Euronews", "www.euronews.com", "other", 1),
)


@dataclass(frozen=True)
class Furniture:
    """Page furniture in one language: what a scraper leaves around an article."""

    sections: tuple[str, ...]
    read_also: str
    share: tuple[str, ...]
    newsletter: tuple[str, ...]


FURNITURE = {
    "fr": Furniture(
        sections=("Accueil", "Politique", "Économie", "Société", "Monde", "Culture", "Sport", "Régions", "Vidéos"),
        read_also="Lire aussi : {title}",
        share=("Partager sur Facebook", "Partager sur Twitter", "Partager sur WhatsApp", "Partager"),
        newsletter=("Abonnez-vous à notre newsletter", "Inscrivez-vous à notre newsletter quotidienne"),
    ),
    "en": Furniture(
        sections=("Home", "Politics", "Economy", "Society", "World", "Culture", "Sports", "Regions", "Videos"),
        read_also="Read more: {title}",
        share=("Share on Facebook", "Share on Twitter", "Share on WhatsApp", "Share"),
        newsletter=("Subscribe to our newsletter", "Sign up for our daily newsletter"),
    ),
}
SECTION_SLUGS = {
    "fr": ("politique", "economie", "societe", "monde", "culture", "sport", "regions"),
    "en": ("politics", "economy", "society", "world", "culture", "sports", "regions"),
}

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_REUTER_SIGNATURE = re.compile(r"\s*\bReuter\s*$", re.IGNORECASE)
_NOT_PROSE = ("http", "www.", "____", "BUTTON", "[", "|", "@", "{", "}")
_ENDS_SENTENCE = tuple('.!?…»"”)')


# --- the pool ----------------------------------------------------------------------------------


@dataclass
class Pool:
    """Real titles and passages by language, the material every article is made of."""

    name: str
    note: str
    articles: int
    titles: list[str]
    title_languages: list[str]
    passages: dict[str, list[str]]

    def summary(self) -> dict[str, Any]:
        """Counts of the pool, for the output and the corpus manifest."""
        return {
            "name": self.name,
            "note": self.note,
            "articles": self.articles,
            "titles": len(self.titles),
            "titles_by_language": dict(sorted(Counter(self.title_languages).items())),
            "passages_by_language": {k: len(v) for k, v in sorted(self.passages.items())},
        }


def _flatten(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def split_passages(text: str) -> list[str]:
    """Cut a pool text into passages: paragraphs, with wrapped lines joined and long ones cut.

    A line ends a passage when it is blank, short (the last line of a wrapped paragraph, a
    heading) or ends a sentence; an indented line starts one (Reuters paragraphs).
    """
    passages: list[str] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if current:
                passages.append(_flatten(current))
                current = []
            continue
        if current and raw[:2] in ("  ", "\t"):
            passages.append(_flatten(current))
            current = []
        current.append(line)
        if len(line) < 50 or line.endswith(_ENDS_SENTENCE):
            passages.append(_flatten(current))
            current = []
    if current:
        passages.append(_flatten(current))
    out: list[str] = []
    for passage in passages:
        passage = _REUTER_SIGNATURE.sub("", passage)
        if len(passage) <= MAX_PASSAGE:
            out.append(passage)
            continue
        piece = ""
        for sentence in _SENTENCE_END.split(passage):
            piece = f"{piece} {sentence}" if piece else sentence
            if len(piece) >= MAX_PASSAGE // 2:
                out.append(piece)
                piece = ""
        if piece:
            out.append(piece)
    return out


def is_prose(passage: str) -> bool:
    """True for a passage of running text (not a menu, a link list, a form or a caption)."""
    if len(passage) < 60 or any(marker in passage for marker in _NOT_PROSE):
        return False
    if len(passage.split()) < 8 or not passage.endswith(_ENDS_SENTENCE):
        return False
    return sum(c.isalpha() for c in passage) >= 0.6 * len(passage)


def _ingest_options() -> Any:
    from analysis.config import Paths, load_options

    # The project's own defaults, not a user's overlay: the pool is the same on every machine.
    return load_options(paths=Paths.from_root(ROOT), use_user_config=False).ingest


def ingest_pool(kind: Literal["shared", "demo"]) -> Any:
    """Load the pool's corpora through the project's ingester: a table (corpus, title, text, language)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.io.ingest import Ingestor

    options = _ingest_options()
    sources = SHARED_SOURCES if kind == "shared" else (PoolSource("demo"),)
    columns: dict[str, list[Any]] = {"corpus": [], "title": [], "text": [], "language": []}
    with tempfile.TemporaryDirectory(prefix="bench-pool-") as tmp:
        for source in sources:
            folder = SHARED / source.folder if kind == "shared" else ROOT / "data" / "raw"
            started = time.perf_counter()
            ingest = replace(options, include=source.include, plugins=(*options.plugins, *source.plugins))
            stats = Ingestor(ingest, project_root=ROOT).run([folder], Path(tmp) / source.folder)
            table = pq.read_table(Path(tmp) / source.folder / "articles.parquet", columns=["title", "text", "language"])
            for row in table.to_pylist():
                language = row["language"]
                if source.force_language or not language:
                    language = source.language
                columns["corpus"].append(source.folder)
                columns["title"].append(row["title"])
                columns["text"].append(row["text"])
                columns["language"].append(language)
            print(
                f"pool: {source.folder}: {stats.records_kept} articles loaded in {time.perf_counter() - started:.1f}s",
                flush=True,
            )
    return pa.table({name: pa.array(values, type=pa.string()) for name, values in columns.items()})


def pool_from_table(table: Any, name: str, note: str) -> Pool:
    """Titles and prose passages by language from a pool table (corpus, title, text, language)."""
    from analysis.config import load_options

    error_titles = load_options(use_user_config=False).ingest.error_pages.titles
    rows = table.to_pylist()
    passages: dict[str, list[str]] = {}
    for row in rows:
        language = row["language"]
        if not language or not row["text"]:
            continue
        # `<` would make the loader read the text as HTML (Reuters writes tickers as `<AMO>`).
        kept = [p.replace("<", "(").replace(">", ")") for p in split_passages(row["text"]) if is_prose(p)]
        if kept:
            passages.setdefault(language, []).extend(kept)
    titles: list[str] = []
    languages: list[str] = []
    for row in rows:
        title = " ".join((row["title"] or "").split())
        if row["language"] not in passages or not 12 <= len(title) <= 200 or "<" in title:
            continue
        if any(p.search(title) for p in error_titles):
            continue
        titles.append(title)
        languages.append(row["language"])
    if not titles:
        raise RuntimeError(f"the {name} pool holds no usable title")
    return Pool(name, note, len(rows), titles, languages, passages)


def _write_parquet(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def resolve_pool_kind(kind: PoolKind) -> Literal["shared", "demo"]:
    """``auto`` made concrete: ``shared`` when every pool corpus is in ``../shared/corpus``, else ``demo``.

    Raises:
        FileNotFoundError: ``shared`` asked for and some corpus is absent.
    """
    present = all((SHARED / s.folder).is_dir() for s in SHARED_SOURCES)
    if kind == "shared" and not present:
        raise FileNotFoundError(f"the shared corpora are not all in {SHARED}")
    if kind == "auto":
        return "shared" if present else "demo"
    return kind


def load_pool(kind: PoolKind = "auto", cache: Path | None = None, *, refresh: bool = False) -> Pool:
    """The pool: real corpora when ``../shared`` is there (``auto``), else the demo corpus.

    Args:
        kind: ``shared``, ``demo``, or ``auto`` (shared when present).
        cache: Parquet file of the loaded pool (default under ``data/interim/bench/``).
        refresh: load the corpora again even when the cache exists.
    """
    import pyarrow.parquet as pq

    kind = resolve_pool_kind(kind)
    if kind == "shared":
        note = "real text from " + ", ".join(s.folder for s in SHARED_SOURCES)
    else:
        note = (
            "the demo corpus in data/raw (../shared/corpus is absent or --pool demo was given): "
            "71 articles, so the text repeats far more than in a real corpus"
        )
    cache = cache or (POOL_FILE if kind == "shared" else DEMO_POOL_FILE)
    if refresh or not cache.is_file():
        _write_parquet(ingest_pool(kind), cache)
    return pool_from_table(pq.read_table(cache), kind, note)


# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """One record as written, with what its copies need."""

    serial: int
    record_id: str
    url: str
    title: str
    body: str  # the text without furniture
    text: str  # as written
    published: datetime
    outlet: int
    language: str


def _slug(title: str, words: int = 8) -> str:
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", folded)[:words]) or "article"


def quota(end: int, per_mille: int) -> int:
    """Records of a kind among the first ``end`` records (rounded half up, so counts are exact)."""
    return (end * per_mille + 500) // 1000


class CorpusGenerator:
    """Makes the records, one at a time, from a pool and a seed (see the module's docstring)."""

    def __init__(self, pool: Pool, *, seed: int, text_kb: float = 3.5) -> None:
        self.pool = pool
        self.rng = random.Random(seed)
        # Paragraphs overshoot their drawn length by half a passage and there are 2.5 of them on
        # average: aim a little short so that texts average `text_kb` (UTF-8 bytes, furniture in).
        self.paragraph_chars = max(100.0, text_kb * 1000 / 2.5 - 185)
        self.outlets: dict[str, list[int]] = {}
        for index, outlet in enumerate(OUTLETS):
            self.outlets.setdefault(outlet.language, []).append(index)
        self.recent: deque[Article] = deque(maxlen=RECENT)
        self.recent_originals: deque[Article] = deque(maxlen=RECENT)

    def _outlet(self, language: str, *, other_than: int | None = None) -> int:
        group = language if language in self.outlets else "other"
        candidates = [i for i in self.outlets[group] if i != other_than]
        if not candidates:
            candidates = [i for i in range(len(OUTLETS)) if i != other_than]
        return self.rng.choices(candidates, weights=[OUTLETS[i].weight for i in candidates])[0]

    def _url(self, outlet: int, language: str, title: str, published: datetime, serial: int) -> str:
        section = self.rng.choice(SECTION_SLUGS.get(language, SECTION_SLUGS["en"]))
        return f"https://{OUTLETS[outlet].domain}/{section}/{published:%Y/%m/%d}/{_slug(title)}-{serial}.html"

    def _paragraph(self, language: str) -> str:
        passages = self.pool.passages[language]
        target = self.rng.uniform(0.4, 1.6) * self.paragraph_chars
        parts: list[str] = []
        length = 0
        while length < target:
            passage = passages[self.rng.randrange(len(passages))]
            parts.append(passage)
            length += len(passage) + 1
        return " ".join(parts)

    def _furnish(self, body: str, outlet: int, language: str) -> str:
        kit = FURNITURE.get(language, FURNITURE["fr"])  # francophone sites in any other language
        name = OUTLETS[outlet].name
        items = self.rng.sample(("nav", "read_also", "share", "newsletter"), self.rng.randint(1, 3))
        top: list[str] = []
        bottom: list[str] = []
        for item in items:
            if item == "nav":
                # each outlet its own menu: the same line in all its pages, as on a real site
                shown = kit.sections[: 5 + outlet % 5]
                top.append(" | ".join((name, *shown)))
                continue
            if item == "read_also":
                other = self.rng.randrange(len(self.pool.titles))
                line = kit.read_also.format(title=self.pool.titles[other])
            elif item == "share":
                line = self.rng.choice(kit.share)
            else:
                line = self.rng.choice(kit.newsletter)
            (top if self.rng.random() < 0.3 else bottom).append(line)
        parts = ["\n".join(top)] if top else []
        parts.append(body)
        if bottom:
            parts.append("\n".join(bottom))
        return "\n\n".join(parts)

    def _text(self, body: str, outlet: int, language: str) -> str:
        if self.rng.random() < FURNITURE_SHARE:
            return self._furnish(body, outlet, language)
        return body

    def original(self, serial: int) -> Article:
        """A new article: a pool title and 1-4 paragraphs of pool passages in its language."""
        pick = self.rng.randrange(len(self.pool.titles))
        title, language = self.pool.titles[pick], self.pool.title_languages[pick]
        body = "\n\n".join(self._paragraph(language) for _ in range(self.rng.randint(1, 4)))
        outlet = self._outlet(language)
        published = FIRST_DAY + timedelta(seconds=self.rng.randrange(DAYS * 86400))
        article = Article(
            serial=serial,
            record_id=f"a{serial:08d}",
            url=self._url(outlet, language, title, published, serial),
            title=title,
            body=body,
            text=self._text(body, outlet, language),
            published=published,
            outlet=outlet,
            language=language,
        )
        self.recent.append(article)
        self.recent_originals.append(article)
        return article

    def _change_sentence(self, body: str, language: str) -> str:
        paragraphs = [_SENTENCE_END.split(p) for p in body.split("\n\n")]
        positions = [(i, j) for i, sentences in enumerate(paragraphs) for j in range(len(sentences))]
        i, j = self.rng.choice(positions)
        passages = self.pool.passages[language]
        replacement = paragraphs[i][j]
        for _ in range(10):
            candidate = self.rng.choice(_SENTENCE_END.split(self.rng.choice(passages)))
            # ending like a sentence, it leaves the text's other sentences as they were
            if candidate != paragraphs[i][j] and candidate.endswith((".", "!", "?", "…")):
                replacement = candidate
                break
        paragraphs[i][j] = replacement
        return "\n\n".join(" ".join(sentences) for sentences in paragraphs)

    def syndicated(self, serial: int) -> Article:
        """A copy of a recent original by another outlet: one sentence changed, new URL, a little later."""
        source = self.rng.choice(self.recent_originals)
        outlet = self._outlet(source.language, other_than=source.outlet)
        published = source.published + timedelta(minutes=self.rng.randint(10, 36 * 60))
        body = self._change_sentence(source.body, source.language)
        article = Article(
            serial=serial,
            record_id=f"a{serial:08d}",
            url=self._url(outlet, source.language, source.title, published, serial),
            title=source.title,
            body=body,
            text=self._text(body, outlet, source.language),
            published=published,
            outlet=outlet,
            language=source.language,
        )
        self.recent.append(article)
        return article

    def repost(self) -> Article:
        """A recent record again, identical (same URL: the loader rejects it as ``duplicate``)."""
        return self.rng.choice(self.recent)

    def kinds(self, start: int, end: int) -> dict[int, str]:
        """Positions in ``[start, end)`` that are copies, by kind (the others are originals)."""
        reposts = quota(end, REPOST_PER_MILLE) - quota(start, REPOST_PER_MILLE)
        syndicated = quota(end, SYNDICATED_PER_MILLE) - quota(start, SYNDICATED_PER_MILLE)
        # never the very first record: a copy needs something to copy
        positions = self.rng.sample(range(max(start, 1), end), reposts + syndicated)
        return {p: ("repost" if k < reposts else "syndicated") for k, p in enumerate(positions)}


# --- files -------------------------------------------------------------------------------------

JSONL_FIELDS = ("id", "url", "title", "text", "published", "source", "language")
CSV_COLUMNS = ("stories_id", "publish_date", "title", "content", "url", "media_name", "language")
_PARIS = timezone(timedelta(hours=1))


class ShardWriter:
    """Gzipped shards of one format, ``shard_size`` records each, written as records come.

    The gzip header carries no name nor time, so the same records give the same bytes.
    """

    def __init__(self, folder: Path, kind: Literal["jsonl", "csv"], shard_size: int) -> None:
        self.folder = folder / kind
        self.kind = kind
        self.shard_size = shard_size
        self.files: list[Path] = []
        self.records = 0
        self._in_shard = 0
        self._raw: IO[bytes] | None = None
        self._text: io.TextIOWrapper | None = None
        self._csv: Any = None

    def _open(self) -> io.TextIOWrapper:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"part-{len(self.files):05d}.{self.kind}.gz"
        self.files.append(path)
        self._raw = path.open("wb")
        packed = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=6)
        self._text = io.TextIOWrapper(packed, encoding="utf-8", newline="" if self.kind == "csv" else "\n")
        if self.kind == "csv":
            self._csv = csv.writer(self._text, quoting=csv.QUOTE_ALL, lineterminator="\n")
            self._csv.writerow(CSV_COLUMNS)
        self._in_shard = 0
        return self._text

    def write(self, article: Article) -> None:
        """Append one record, starting a new shard when this one is full."""
        handle = self._text if self._text is not None and self._in_shard < self.shard_size else self._open()
        outlet = OUTLETS[article.outlet]
        if self.kind == "jsonl":
            record = {
                "id": article.record_id,
                "url": article.url,
                "title": article.title,
                "text": article.text,
                "published": article.published.astimezone(_PARIS).isoformat(),
                "source": outlet.name,
                "language": article.language,
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            self._csv.writerow(
                (
                    article.record_id,
                    article.published.strftime("%Y-%m-%d %H:%M:%S"),
                    article.title,
                    article.text,
                    article.url,
                    outlet.name,
                    article.language,
                )
            )
        self._in_shard += 1
        self.records += 1

    def close(self) -> None:
        """Finish the current shard (gzip trailer included)."""
        if self._text is not None:
            self._text.close()  # closes the gzip stream, not the file under it
            self._text = None
            self._csv = None
        if self._raw is not None:
            self._raw.close()
            self._raw = None


@dataclass
class CorpusStats:
    """What one generation wrote."""

    size: int
    seed: int
    records: int = 0
    originals: int = 0
    syndicated: int = 0
    reposts: int = 0
    with_furniture: int = 0
    jsonl_records: int = 0
    csv_records: int = 0
    jsonl_files: int = 0
    csv_files: int = 0
    text_bytes: int = 0  # UTF-8 bytes of the `text` fields as written
    title_bytes: int = 0
    disk_bytes: int = 0
    languages: Counter[str] = field(default_factory=Counter)

    @property
    def mean_text_bytes(self) -> float:
        return self.text_bytes / self.records if self.records else 0.0

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["languages"] = dict(sorted(self.languages.items()))
        out["mean_text_bytes"] = round(self.mean_text_bytes, 1)
        out["text_mb"] = round((self.text_bytes + self.title_bytes) / 1e6, 2)
        out["disk_mb"] = round(self.disk_bytes / 1e6, 2)
        return out


def generate(
    size: int,
    out: Path,
    *,
    pool: Pool,
    seed: int = 1,
    shard_size: int = 5000,
    csv_share: float = CSV_SHARE,
    text_kb: float = 3.5,
    force: bool = False,
) -> CorpusStats:
    """Write a corpus of ``size`` records into ``out`` (see the module's docstring).

    Written into ``<out>.partial`` first, moved into place when complete: a corpus folder that
    exists is whole. ``.corpus.json`` in it records the parameters and the counts.

    Raises:
        FileExistsError: ``out`` exists and is not empty, and ``force`` is not given, or it is not
            a corpus made by this script (never deleted then).
    """
    if size < 1 or shard_size < 1:
        raise ValueError("size and shard_size must be at least 1")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} exists and is not empty (use --force to replace a generated corpus)")
        if not (out / MANIFEST_NAME).is_file():
            raise FileExistsError(f"{out} is not a generated corpus (no {MANIFEST_NAME}): not replacing it")
    partial = out.with_name(out.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    generator = CorpusGenerator(pool, seed=seed, text_kb=text_kb)
    writers = {"jsonl": ShardWriter(partial, "jsonl", shard_size), "csv": ShardWriter(partial, "csv", shard_size)}
    stats = CorpusStats(size=size, seed=seed)
    try:
        for start in range(0, size, BLOCK):
            end = min(start + BLOCK, size)
            kinds = generator.kinds(start, end)
            for serial in range(start, end):
                kind = kinds.get(serial, "original")
                if kind == "repost":
                    article = generator.repost()
                    stats.reposts += 1
                elif kind == "syndicated":
                    article = generator.syndicated(serial)
                    stats.syndicated += 1
                else:
                    article = generator.original(serial)
                    stats.originals += 1
                writers["csv" if generator.rng.random() < csv_share else "jsonl"].write(article)
                stats.records += 1
                stats.with_furniture += article.text != article.body
                stats.text_bytes += len(article.text.encode("utf-8"))
                stats.title_bytes += len(article.title.encode("utf-8"))
                stats.languages[article.language] += 1
    finally:
        for writer in writers.values():
            writer.close()
    stats.jsonl_records, stats.csv_records = writers["jsonl"].records, writers["csv"].records
    stats.jsonl_files, stats.csv_files = len(writers["jsonl"].files), len(writers["csv"].files)
    stats.disk_bytes = sum(p.stat().st_size for w in writers.values() for p in w.files)
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "size": size,
        "seed": seed,
        "shard_size": shard_size,
        "csv_share": csv_share,
        "text_kb": text_kb,
        "pool": pool.summary(),
        "counts": stats.as_dict(),
        "files": sorted(p.relative_to(partial).as_posix() for w in writers.values() for p in w.files),
    }
    (partial / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    os.replace(partial, out)
    return stats


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The ``.corpus.json`` of a generated corpus, or None."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def summary_lines(stats: CorpusStats, pool: Pool, out: Path, seconds: float) -> list[str]:
    """The printed summary of one generation."""
    counts = stats.as_dict()
    return [
        f"pool     {pool.name}: {pool.note}",
        f"         {pool.articles} articles, {len(pool.titles)} titles, passages by language "
        + ", ".join(f"{k} {len(v)}" for k, v in sorted(pool.passages.items())),
        f"written  {out}: {stats.records} records in {stats.jsonl_files} JSONL + {stats.csv_files} CSV shards "
        f"({stats.jsonl_records} + {stats.csv_records} records) in {seconds:.1f}s",
        f"kinds    {stats.originals} originals, {stats.syndicated} syndicated copies, {stats.reposts} exact re-posts"
        f" (rejected as duplicate on loading); {stats.with_furniture} texts with page furniture"
        f" ({stats.with_furniture / max(stats.records, 1):.1%})",
        f"size     {counts['text_mb']} MB of title and text (uncompressed), {counts['disk_mb']} MB on disk;"
        f" mean text {stats.mean_text_bytes / 1000:.2f} KB",
        "languages " + ", ".join(f"{k} {v}" for k, v in sorted(stats.languages.items())),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: see the module's docstring."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="records to write (copies included)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (must not exist, or --force)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pool", choices=("auto", "shared", "demo"), default="auto")
    parser.add_argument("--pool-cache", type=Path, default=None, help="Parquet cache of the pool")
    parser.add_argument("--refresh-pool", action="store_true", help="load the pool's corpora again")
    parser.add_argument("--shard-size", type=int, default=5000, help="records per shard file")
    parser.add_argument("--text-kb", type=float, default=3.5, help="mean text length aimed at")
    parser.add_argument("--force", action="store_true", help="replace an existing generated corpus")
    args = parser.parse_args(argv)
    pool = load_pool(args.pool, args.pool_cache, refresh=args.refresh_pool)
    started = time.perf_counter()
    stats = generate(
        args.size,
        args.out,
        pool=pool,
        seed=args.seed,
        shard_size=args.shard_size,
        text_kb=args.text_kb,
        force=args.force,
    )
    print("\n".join(summary_lines(stats, pool, args.out, time.perf_counter() - started)), flush=True)


if __name__ == "__main__":
    main()
