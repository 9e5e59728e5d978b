"""The cleaning stage: loaded articles in, the clean processed dataset out.

Per article: normalisation (one apostrophe, plain spaces, no soft hyphens), boilerplate removal
(rules, per-source repetition, density), a publication date from the text or URL when the record
had none, the language (lingua), tokens and terms; over the corpus: exact and near duplicates.

Each step is also a pandas function (``DataFrame -> DataFrame``, input untouched) so that a
notebook can run one step on a frame of its own::

    df = read_articles("data/interim/ingest")
    df = df.pipe(normalise_articles).pipe(remove_boilerplate).pipe(detect_language)

:class:`Cleaner` runs them all over a table in batches (bounded memory) and writes the outputs.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.boilerplate import (
    Asked,
    BoilerplateOptions,
    BoilerplateRemover,
    Observed,
    learning_depth,
    learning_tiers,
)
from analysis.cache import (
    CacheRef,
    Caches,
    CacheUse,
    FileRef,
    code_digest,
    pack,
    pack_parts,
    stored_entry,
    stored_key,
    table_bytes,
    table_from_bytes,
    unpack,
)
from analysis.dates import date_from_text, date_from_url, date_without_year
from analysis.duplicates import DuplicateFinder, DuplicateOptions, Signature, Signatures, signature
from analysis.engine import Engine, SerialEngine, read_row_groups, row_group_tasks, share, shared
from analysis.io.store import ParquetWriter, PartsWriter, open_parquet, read_spooled, remove_path, spool_tables
from analysis.language import LanguageDetector, LanguageOptions
from analysis.schema import (
    BOILERPLATE_SCHEMA,
    CLEAN_COLUMNS,
    CLEAN_SCHEMA,
    TOKEN_SCHEMA,
    to_pandas,
    validate_articles,
)
from analysis.text import normalise
from analysis.tokens import (
    BREAK,
    DEMONYMS_FILE,
    LEMMAS_FILE,
    STOPWORDS_FILE,
    Tokenizer,
    TokenOptions,
    iter_lexicon,
    lexicon_rows,
    lexicon_schema,
)

ARTICLES_FILE = "articles.parquet"
TOKENS_FILE = "tokens.parquet"
#: The names, among the caches' counts (the manifest's ``run.cache``), of the article and token
#: tables' parts kept from the build before (``hits``) and written (``added``): see
#: :class:`~analysis.io.store.PartsWriter`.
ARTICLE_PARTS = "article_parts"
TOKEN_PARTS = "token_parts"
BOILERPLATE_FILE = "boilerplate.parquet"


# --- pandas steps (for notebooks) ---------------------------------------------------------------


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def normalise_articles(df: pd.DataFrame) -> pd.DataFrame:
    """Normalise ``title`` and ``text`` (apostrophes, spaces, soft hyphens, NFC)."""
    out = df.copy()
    for column in ("title", "text"):
        out[column] = out[column].map(lambda v: normalise(v) if isinstance(v, str) else None).astype(df[column].dtype)
    return out


def remove_boilerplate(df: pd.DataFrame, remover: BoilerplateRemover | None = None) -> pd.DataFrame:
    """Remove page junk from ``text``; adds ``chars_raw`` and ``chars_removed``.

    Without a fitted ``remover``, one is fitted on ``df`` itself (repetition is per source).
    """
    if remover is None:
        remover = BoilerplateRemover().fit(df["text"].map(lambda v: v if isinstance(v, str) else ""), df["source"])
    texts, raw, removed = [], [], []
    for text, source, title in zip(df["text"], df["source"], df["title"], strict=True):
        text = _str(text)
        clean, gone = remover.clean(text, source, _str(title))
        texts.append(clean)
        raw.append(len(text or ""))
        removed.append(sum(len(r.text) for r in gone))
    out = df.copy()
    out["text"] = pd.array(texts, dtype=df["text"].dtype)
    out["chars_raw"] = pd.array(raw, dtype="int64[pyarrow]")
    out["chars_removed"] = pd.array(removed, dtype="int64[pyarrow]")
    return out


def detect_language(df: pd.DataFrame, detector: LanguageDetector | None = None) -> pd.DataFrame:
    """Set ``language`` from lingua (declared language kept when detection is unsure)."""
    detector = detector or LanguageDetector()
    texts = [" ".join(x for x in (_str(t), _str(b)) if x) for t, b in zip(df["title"], df["text"], strict=True)]
    countries = [_str(c) for c in df["source_country"]] if "source_country" in df else None
    results = detector.detect_many(texts, [_str(lang) for lang in df["language"]], countries)
    out = df.copy()
    out["language"] = pd.array([r.language for r in results], dtype=df["language"].dtype)
    out["language_from"] = pd.array([r.origin for r in results], dtype="string[pyarrow]")
    out["language_confidence"] = pd.array(
        [r.confidence if r.origin == "detected" else None for r in results], dtype="double[pyarrow]"
    )
    return out


def tokenize_articles(df: pd.DataFrame, tokenizer: Tokenizer | None = None) -> pd.DataFrame:
    """Add ``tokens`` and ``terms`` (lists) and their counts, per article language."""
    tokenizer = tokenizer or Tokenizer()
    tokens, terms = [], []
    for title, text, lang in zip(df["title"], df["text"], df["language"], strict=True):
        lang = _str(lang)
        words = tokenizer.tokens(
            "\n".join(x for x in (_str(title), _str(text)) if x), lang, breaks=True, locutions=True
        )
        tokens.append(words)
        terms.append(tokenizer.terms(words, lang))
    out = df.copy()
    out["tokens"] = pd.array(tokens, dtype=pd.ArrowDtype(pa.list_(pa.string())))
    out["terms"] = pd.array(terms, dtype=pd.ArrowDtype(pa.list_(pa.string())))
    out["n_tokens"] = pd.array([_words(t) for t in tokens], dtype="int64[pyarrow]")
    out["n_terms"] = pd.array([len(t) for t in terms], dtype="int64[pyarrow]")
    return out


def _words(tokens: list[str]) -> int:
    """How many words ``tokens`` hold: not the marks of where they do not run on (:data:`BREAK`),
    and each word of a locution (one token, its words parted by spaces) counted."""
    if not tokens:
        return 0
    return " ".join(tokens).count(" ") + 1 - tokens.count(BREAK)


def mark_duplicates(df: pd.DataFrame, options: DuplicateOptions | None = None) -> pd.DataFrame:
    """Add ``duplicate_of``, ``duplicate_kind`` and ``copies`` (nothing is dropped)."""
    finder = DuplicateFinder(options or DuplicateOptions())
    for article_id, text, title, published in zip(
        df["article_id"], df["text"], df["title"], df["published"], strict=True
    ):
        heading = _str(title)
        finder.add(article_id, _str(text) or heading, None if pd.isna(published) else published, title=heading)
    marks = finder.marks()
    out = df.copy()
    out["duplicate_of"] = pd.array([marks[a].duplicate_of for a in df["article_id"]], dtype="string[pyarrow]")
    out["duplicate_kind"] = pd.array([marks[a].duplicate_kind for a in df["article_id"]], dtype="string[pyarrow]")
    out["copies"] = pd.array([marks[a].copies for a in df["article_id"]], dtype="int64[pyarrow]")
    return out


# --- the streaming stage ------------------------------------------------------------------------


@dataclass
class CleanStats:
    articles: int = 0
    chars_raw: int = 0
    chars_removed: int = 0
    removed_by_reason: dict[str, int] = field(default_factory=dict)
    dates_from: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    language_from: dict[str, int] = field(default_factory=dict)
    duplicates_exact: int = 0
    duplicates_near: int = 0
    canonical_with_copies: int = 0
    dates_dropped_future: int = 0
    boilerplate_learnt_from: int = 0  # texts pass 1 counted (see BoilerplateOptions.learn_max_articles)

    def add(self, other: CleanStats) -> None:
        """Add another batch's counts to these."""
        for name in ("articles", "chars_raw", "chars_removed", "dates_dropped_future"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("removed_by_reason", "dates_from", "languages", "language_from"):
            mine = getattr(self, name)
            for key, value in getattr(other, name).items():
                mine[key] = mine.get(key, 0) + value

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CleanStats:
        """The counts back from :meth:`as_dict`."""
        duplicates = data["duplicates"]
        return cls(
            articles=data["articles"],
            chars_raw=data["chars_raw"],
            chars_removed=data["chars_removed"],
            removed_by_reason=dict(data["removed_by_reason"]),
            dates_from=dict(data["published_from"]),
            languages=dict(data["languages"]),
            language_from=dict(data["language_from"]),
            duplicates_exact=duplicates["exact"],
            duplicates_near=duplicates["near"],
            canonical_with_copies=duplicates["canonical_with_copies"],
            dates_dropped_future=data["dates_dropped_future"],
            boilerplate_learnt_from=data.get("boilerplate_learnt_from", 0),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "chars_raw": self.chars_raw,
            "chars_removed": self.chars_removed,
            "removed_by_reason": dict(sorted(self.removed_by_reason.items())),
            "published_from": dict(sorted(self.dates_from.items())),
            "dates_dropped_future": self.dates_dropped_future,
            "boilerplate_learnt_from": self.boilerplate_learnt_from,
            "languages": dict(sorted(self.languages.items())),
            "language_from": dict(sorted(self.language_from.items())),
            "duplicates": {
                "exact": self.duplicates_exact,
                "near": self.duplicates_near,
                "canonical_with_copies": self.canonical_with_copies,
                "unique_articles": self.articles - self.duplicates_exact - self.duplicates_near,
            },
        }


def _bump(counter: dict[str, int], key: str | None) -> None:
    name = key or "none"
    counter[name] = counter.get(name, 0) + 1


def article_date(row: Mapping[str, Any]) -> tuple[datetime | None, str | None]:
    """The date of an undated article and where it came from: one written in its raw text
    (``text``), else its URL's (``url``), else, when its fetch time is known, one written in the
    text without its year (``text_without_year``: see :func:`analysis.dates.date_without_year`)."""
    raw_text = normalise(row["text"]) if row["text"] else None
    country = row.get("source_country")
    found = date_from_text(raw_text, reference=row["fetched"], country=country, url=row["url"])
    if found is not None:
        return found, "text"
    found = date_from_url(row["url"])
    if found is not None:
        return found, "url"
    if row["fetched"] is not None:
        found = date_without_year(raw_text, row["fetched"], country=country, url=row["url"])
        if found is not None:
            return found, "text_without_year"
    return None, None


@dataclass
class Cleaner:
    """Runs every cleaning step over an article table in batches and writes the outputs."""

    boilerplate: BoilerplateOptions = field(default_factory=BoilerplateOptions)
    language: LanguageOptions = field(default_factory=LanguageOptions)
    duplicates: DuplicateOptions = field(default_factory=DuplicateOptions)
    tokens: TokenOptions = field(default_factory=TokenOptions)
    batch_size: int = 2000
    now: datetime | None = None
    progress: Callable[[int], None] | None = None

    @classmethod
    def from_options(
        cls, options: Any, *, now: datetime | None = None, progress: Callable[[int], None] | None = None
    ) -> Cleaner:
        """A cleaner configured from the project's :class:`analysis.config.Options`."""
        return cls(
            options.boilerplate,
            options.language,
            options.duplicates,
            options.tokens,
            batch_size=options.ingest.batch_size,
            now=now,
            progress=progress,
        )

    def run(
        self,
        articles: Path,
        out_dir: Path,
        work_dir: Path,
        engine: Engine | None = None,
        *,
        cache: Path | None = None,
        fresh: bool = False,
        cache_counts: dict[str, dict[str, int]] | None = None,
        lexicon: Path | None = None,
    ) -> CleanStats:
        """Clean ``articles`` (a loaded table) into ``out_dir``; ``work_dir`` holds intermediate files.

        Pass 1 learns what recurs per source; pass 2 cleans, detects, tokenises and signs each batch
        as a task on ``engine`` (default: this process), the results combined in batch order;
        pass 3 joins the duplicate marks back. With ``cache`` (a folder of :mod:`analysis.cache`
        files), what an earlier build computed for an article is reused where it still holds:
        its boilerplate observations (same text), its boilerplate removal (same source, title
        and text, and the same answers from what the source's repeated lines are now), its
        language, tokens and signature (same clean title and text). ``fresh`` empties the caches
        first; their use per cache goes to ``cache_counts``. With ``lexicon`` (see
        :data:`analysis.tokens.LEXICON_FILE`), the tokens the tasks reduced are saved there, with
        those of the lexicon already there unless ``fresh``: the keyword and topic stages' workers
        then read the terms instead of reducing every token again.
        """
        engine = engine or SerialEngine()
        now = self.now or datetime.now(UTC)
        stats = CleanStats()
        remover = BoilerplateRemover(self.boilerplate, spill_dir=work_dir)  # not the system's temp (may be RAM)
        caches = None
        if cache:
            caches = Caches(cache, cache_fingerprints(self, remover), fresh=fresh, files=[PARTS_CACHE, OBSERVED_CACHE])
        refs = caches.refs if caches else {}
        # pass 1: what recurs per source (on normalised text, as cleaning will see it), learnt from
        # a sample of each large source; the texts are observed on the engine, the observations
        # counted here in the corpus's order
        tasks = _slices(articles, self.batch_size, TASK_ROWS)
        tiers = learning_tiers(_source_sizes(articles), self.boilerplate.learn_max_articles)
        observer = share(
            (BoilerplateRemover(self.boilerplate), refs.get(COUNTS_CACHE), refs.get(OBSERVED_CACHE), tiers),
            work_dir / "observe.pkl",
        )
        try:
            for observed, uses in engine.map(_observe_task, ((str(observer), str(articles), *task) for task in tasks)):
                remover.count_observed(observed)
                if caches:
                    caches.record(uses)
        except BaseException:
            if caches:
                caches.close()
            raise
        finally:
            observer.unlink(missing_ok=True)
        stats.boilerplate_learnt_from = remover.articles_counted
        spool = work_dir / "clean_spool"
        remove_path(spool)  # what a build that stopped on the way left
        # the article and token tables in parts, one per batch: those an earlier build wrote with
        # the same rows (and for the articles, the same duplicate marks) are kept as they are, and
        # the tasks whose tables are among those parts' (see PartsWriter.member) do not send them
        final = PartsWriter(out_dir / ARTICLES_FILE, CLEAN_SCHEMA, keep=not fresh)
        tokens_out = PartsWriter(out_dir / TOKENS_FILE, TOKEN_SCHEMA, keep=not fresh)
        cleaning = _CleanContext(
            replace(self, progress=None),
            _fitted(remover),
            now,
            refs,
            lexicon is not None,
            spool,
            (final.known(), tokens_out.known()),
        )
        context = share(cleaning, work_dir / "clean.pkl")
        del remover  # its counts: the tasks have the slim copy
        finder = DuplicateFinder(self.duplicates, work_dir=work_dir)
        stage = work_dir / "clean_stage.parquet"
        # (read back once, then deleted: uncompressed, 100,000 bench articles are written in 0.58 s
        # and read in 0.31 s, against 1.45 and 0.56 s with zstd, for 374 MB against 152 MB)
        partial = ParquetWriter(stage, CLEAN_SCHEMA, compression="none")
        audit_out = ParquetWriter(out_dir / BOILERPLATE_FILE, BOILERPLATE_SCHEMA)
        writers: list[ParquetWriter | PartsWriter] = [partial, final, tokens_out, audit_out]
        # per batch: its clean rows, the key of their content (less the marks), its row group in the
        # stage (None: not staged, an earlier part has its rows)
        batches: list[tuple[int, str | None, int | None]] = []
        members_of: list[list[tuple[str, int]] | None] = []  # per batch: its tasks' article tables
        tokenizer = Tokenizer(self.tokens)  # for the lexicon's hash (its options, stopwords, libraries)
        lexicon_out = ParquetWriter(lexicon, lexicon_schema(tokenizer)) if lexicon is not None else None
        if lexicon_out is not None:
            writers.append(lexicon_out)
        try:
            # pass 2: every per-article step, batch by batch on the engine; duplicates collected here
            # Tasks of TASK_ROWS rows keep every worker busy; the parts of a batch are written together
            # (one row group per batch, as its input), so the files do not depend on the task size.
            parts: list[BatchResult] = []
            results = engine.map(_clean_task, ((str(context), str(articles), *task) for task in tasks))
            for (_, _, stop, batch_rows), result in zip(tasks, results, strict=True):
                stats.add(result.stats)
                if caches:
                    caches.record(result.cache)
                articles_done = result.articles
                finder.add_signatures(
                    articles_done.column("article_id"),
                    articles_done.column("published"),
                    result.signatures,
                    articles_done.column("title"),
                )
                parts.append(result)
                if lexicon_out is not None and result.reduced:
                    lexicon_out.write(lexicon_rows(result.reduced, lexicon_out.schema))
                if stop == batch_rows:  # the batch's last part (tables joined only to be written)
                    count = sum(p.articles.num_rows for p in parts)
                    content = _batch_key([p.digests[0] if p.digests else None for p in parts])
                    staged = None
                    if count and (content is None or final.earlier(content) is None):
                        staged = partial.groups
                        partial.write(_joined([_whole(p, 0, final) for p in parts]))
                    batches.append((count, content, staged))
                    key = _batch_key([p.digests[1] if p.digests else None for p in parts])
                    members = _members(parts, 1)
                    if not count or key is None or not tokens_out.keep(key, members=members):
                        tokens_out.write(_joined([_whole(p, 1, tokens_out) for p in parts]), key, members=members)
                    members_of.append(_members(parts, 0))
                    audit_out.write(_joined([p.audit for p in parts]))
                    parts = []
                if self.progress:
                    self.progress(result.articles.num_rows)
            partial.close()
            tokens_out.close()
            audit_out.close()
            if lexicon_out is not None:
                for batch in () if fresh else iter_lexicon(lexicon_out.target, tokenizer):
                    lexicon_out.write(pa.Table.from_batches([batch], lexicon_out.schema))  # cached articles' tokens
                lexicon_out.close()
            # pass 3: duplicate marks joined back (the finder's articles are the batches' rows, in
            # order), validated, written; a copy names a canonical article, one with copies. A batch
            # whose rows and marks an earlier build wrote keeps its part; one whose rows it wrote
            # (not staged) reads them from its part, under the marks of now.
            groups = finder.groups()
            canonical_ids = set(groups.ids.filter(pa.array(groups.copies > 0)).to_pylist())
            stats.duplicates_exact += int(np.count_nonzero((groups.canonical >= 0) & groups.exact))
            stats.duplicates_near += int(np.count_nonzero((groups.canonical >= 0) & ~groups.exact))
            stats.canonical_with_copies += int(np.count_nonzero(groups.copies))
            staged_rows = open_parquet(stage) if partial.rows else None
            done = 0
            for (count, content, staged), members in zip(batches, members_of, strict=True):
                if not count:
                    continue
                stop = done + count
                marks = groups.columns(done, stop)
                key = _marked_key(content, marks)
                if key is None or not final.keep(key, content, members):
                    earlier = final.earlier(content) if staged is None and content is not None else None
                    if staged is not None:
                        assert staged_rows is not None
                        source, table = stage, staged_rows.read_row_group(staged)
                    else:
                        assert earlier is not None
                        source, table = earlier, open_parquet(earlier).read()
                    table = pa.Table.from_batches(table.to_batches(), schema=CLEAN_SCHEMA)
                    if not groups.ids.slice(done, count).equals(table.column("article_id").combine_chunks()):
                        raise RuntimeError(
                            f"{source}: rows {done}-{stop} are not the articles the duplicate finder was given"
                        )
                    for name, column in zip(_MARK_COLUMNS, marks, strict=True):
                        table = table.set_column(table.schema.get_field_index(name), CLEAN_SCHEMA.field(name), column)
                    table = validate_articles(table, columns=CLEAN_COLUMNS, now=now, known_ids=canonical_ids)
                    final.write(table, key, content, members)
                done = stop
            final.close()
            if caches:
                counts = caches.finish()
                # the article and token tables' parts an earlier build wrote with the same rows, kept as they were
                counts[ARTICLE_PARTS] = {"hits": final.linked, "added": final.parts - final.linked}
                counts[TOKEN_PARTS] = {"hits": tokens_out.linked, "added": tokens_out.parts - tokens_out.linked}
                if cache_counts is not None:
                    cache_counts.update(counts)
        except BaseException:
            for writer in writers:
                if writer.tmp.exists():
                    writer.abort()  # the previous outputs stay
            if caches:
                caches.close()
            raise
        finally:
            stage.unlink(missing_ok=True)
            context.unlink(missing_ok=True)
            remove_path(spool)
        return stats

    def clean_batch(
        self,
        rows: list[dict[str, Any]],
        remover: BoilerplateRemover,
        detector: LanguageDetector,
        tokenizer: Tokenizer,
        now: datetime,
        caches: dict[str, CacheRef] | None = None,
        place: _Place | None = None,
    ) -> BatchResult:
        """Every per-article step on one batch of loaded rows (what a worker runs).

        With ``place`` (where the batch's result is stored: its task part and each row's place in
        it), each article's boilerplate removal and annotation are looked up in ``caches`` first,
        and the entries of those computed or moved are returned to be stored, pointing there.
        """
        caches = caches if place is not None and caches else {}
        pointed = _Pointed(place.parts) if place is not None else None
        stats = CleanStats()
        uses: dict[str, CacheUse] = {}
        cleaned, audit_rows, dropped = [], [], []
        removals, removal_keys = self._removals(rows, remover, caches.get(BOILERPLATE_CACHE), uses, pointed, place)
        for row, removal in zip(rows, removals, strict=True):
            before = stats.dates_dropped_future
            out, audit = self._clean_one(row, removal, now, stats)
            cleaned.append(out)
            audit_rows.extend(audit)
            dropped.append(stats.dates_dropped_future > before)
        # language, tokens and signature depend on the clean text, the declared language and the
        # outlet's country (which decides between close languages) only: reused from the cache
        ref = caches.get(ANNOTATIONS_CACHE)
        keys = [ref.key(r["title"], r["text"], r["language"], r.get("source_country")) for r in cleaned] if ref else []
        found = pointed.find(ANNOTATIONS_CACHE, ref.get(keys)) if ref and pointed else {}
        cached = [found[key].annotation() if key in found else None for key in keys] if ref else []
        todo = [i for i in range(len(cleaned)) if not cached or cached[i] is None]
        computed = dict(zip(todo, self._annotate([cleaned[i] for i in todo], detector, tokenizer), strict=True))
        if ref and place is not None:
            use = uses[ANNOTATIONS_CACHE] = CacheUse()
            for i, key in enumerate(keys):
                if i in computed:
                    use.new.append((key, place.pointer(i)))
                else:
                    found[key].reused(use, place.pointer(i))
        token_rows, signatures = [], []
        for i, row in enumerate(cleaned):
            annotation = computed.get(i) or cached[i]
            assert annotation is not None
            token_rows.append(annotation.apply(row, stats))
            signatures.append(annotation.signature)
        return BatchResult(
            stats,
            pa.Table.from_pylist(cleaned, schema=CLEAN_SCHEMA),
            pa.Table.from_pylist(token_rows, schema=TOKEN_SCHEMA),
            pa.Table.from_pylist(audit_rows, schema=BOILERPLATE_SCHEMA),
            Signatures.of(signatures, self.duplicates.num_perm),
            uses,
            rows=_RowNotes(
                Asked.of([removal.lookups for removal in removals]),
                # a date found in the text or URL of a row with neither date nor fetch time is
                # checked against the build's own time: its result may differ in another build
                [row["published"] is not None or row["fetched"] is not None for row in rows],
                dropped,
                {name: k for name, k in ((BOILERPLATE_CACHE, removal_keys), (ANNOTATIONS_CACHE, keys)) if k},
            ),
        )

    def _removals(
        self,
        rows: list[dict[str, Any]],
        remover: BoilerplateRemover,
        ref: CacheRef | None,
        uses: dict[str, CacheUse],
        pointed: _Pointed | None,
        place: _Place | None,
    ) -> tuple[list[_Removal], list[bytes]]:
        """Boilerplate removal of each row, reused from the cache where the source's answers still
        hold; and each row's key in that cache (none without it)."""
        if ref is None or pointed is None or place is None:
            return [_remove(row, remover, record=False) for row in rows], []
        keys = [ref.key(r["source"], r["title"], r["text"]) for r in rows]
        found = pointed.find(BOILERPLATE_CACHE, ref.get(keys))
        use = uses.setdefault(BOILERPLATE_CACHE, CacheUse())
        removals = []
        for i, row in enumerate(rows):
            stored = found.get(keys[i])
            if stored is not None and remover.answers_hold(row["source"], (removal := stored.removal()).lookups):
                stored.reused(use, place.pointer(i))
            else:
                removal = _remove(row, remover, record=True)
                use.new.append((keys[i], place.pointer(i)))
            removals.append(removal)
        return removals, keys

    def _clean_one(
        self, row: dict[str, Any], removal: _Removal, now: datetime, stats: CleanStats
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The clean row of one article (its removal done), with its date; and its audit rows."""
        out = dict(row)
        title, text = removal.title, removal.text
        audit = [
            {"article_id": row["article_id"], "line": line, "reason": reason, "text": value, "chars": len(value)}
            for line, reason, value in removal.removed
        ]
        out["title"], out["text"] = title, text
        out["chars_raw"] = len(row["text"] or "")
        out["chars_removed"] = sum(item["chars"] for item in audit)
        if out["published"] is None:
            limit = row["fetched"] or now
            found, origin = article_date(row)
            if found is not None and found > limit:
                stats.dates_dropped_future += 1
                found = None
            if found is not None:
                out["published"], out["published_from"] = found, origin
        out["duplicate_of"], out["duplicate_kind"], out["copies"] = None, None, 0
        stats.articles += 1
        stats.chars_raw += out["chars_raw"]
        stats.chars_removed += out["chars_removed"]
        for item in audit:
            _bump(stats.removed_by_reason, item["reason"])
        _bump(stats.dates_from, out["published_from"])
        return out, audit

    def _annotate(
        self, rows: list[dict[str, Any]], detector: LanguageDetector, tokenizer: Tokenizer
    ) -> list[_Annotation]:
        """Language (one lingua call for all the rows), tokens, terms and duplicate signature of clean rows."""
        if not rows:
            return []
        texts = [" ".join(x for x in (r["title"], r["text"]) if x) for r in rows]
        detected = detector.detect_many(texts, [r["language"] for r in rows], [r.get("source_country") for r in rows])
        annotations = []
        for row, found in zip(rows, detected, strict=True):
            words = tokenizer.tokens(
                "\n".join(x for x in (row["title"], row["text"]) if x), found.language, breaks=True, locutions=True
            )
            annotations.append(
                _Annotation(
                    found.language,
                    found.origin,
                    found.confidence if found.origin == "detected" else None,
                    words,
                    tokenizer.terms(words, found.language),
                    signature(row["text"] or row["title"], self.duplicates, row["title"]),
                )
            )
        return annotations


class _Removal(NamedTuple):
    """One article's boilerplate removal: normalised title, clean text, removed lines, and the
    answers about the source's learnt lines it depended on (see :meth:`BoilerplateRemover.clean`)."""

    title: str | None
    text: str | None
    removed: list[tuple[int, str, str]]  # (line, reason, text)
    lookups: list[tuple[int, int, bool]]


def _remove(row: dict[str, Any], remover: BoilerplateRemover, *, record: bool) -> _Removal:
    """Normalisation and boilerplate removal of one loaded row."""
    raw_text = normalise(row["text"]) if row["text"] else None
    title = normalise(row["title"]) if row["title"] else None
    lookups: list[tuple[int, int, bool]] | None = [] if record else None
    text, removed = remover.clean(raw_text, row["source"], title, record=lookups)
    lines = [(r.line, r.reason, r.text) for r in removed]
    if not title and not text:
        text, lines = raw_text, []  # everything looked like junk: keep the loaded text, not lose it
    return _Removal(title, text, lines, lookups or [])


class _Annotation(NamedTuple):
    """What cleaning adds to a clean article: a pure function of its title, text, declared language
    and outlet's country."""

    language: str | None
    language_from: str | None
    language_confidence: float | None
    tokens: list[str]
    terms: list[str]
    signature: Signature

    def apply(self, row: dict[str, Any], stats: CleanStats) -> dict[str, Any]:
        """Set the row's language and counts, count them in ``stats``; returns the article's token row."""
        row["language"], row["language_from"] = self.language, self.language_from
        row["language_confidence"] = self.language_confidence
        row["n_tokens"], row["n_terms"] = _words(self.tokens), len(self.terms)
        _bump(stats.languages, self.language)
        _bump(stats.language_from, self.language_from)
        return {"article_id": row["article_id"], "language": self.language, "tokens": self.tokens, "terms": self.terms}


#: The caches of cleaning: per article (files ``<name>.sqlite`` in the cache folder), and per task
#: (folders of files: :data:`PARTS_CACHE`, a task's whole result for the same loaded rows, see
#: :class:`_Part`; :data:`OBSERVED_CACHE`, a pass-1 task's observations for the same texts and sources).
COUNTS_CACHE, BOILERPLATE_CACHE, ANNOTATIONS_CACHE = "boilerplate_counts", "boilerplate", "annotations"
PARTS_CACHE, OBSERVED_CACHE = "clean_parts", "observed_parts"


def cache_fingerprints(cleaner: Cleaner, remover: BoilerplateRemover) -> dict[str, str]:
    """What each cache's entries depend on besides an article's content: options, code, data, libraries."""
    from analysis import boilerplate, dates, duplicates, language, prefilter, schema, text, tokens

    normalising = code_digest(text, "ftfy")
    # (stopwordsiso: the function words of the language a text's words fit, judged again with;
    # prefilter and RE2: which lines the rules are tried on, by design every line they may match)
    removing = code_digest(
        sys.modules[__name__],
        boilerplate,
        boilerplate.RULES_FILE,
        prefilter,
        "google-re2",
        "numpy",
        "stopwordsiso",
    )
    annotating = code_digest(
        sys.modules[__name__],
        language,
        tokens,
        duplicates,
        text,
        STOPWORDS_FILE,
        LEMMAS_FILE,
        DEMONYMS_FILE,
        "lingua-language-detector",
        "babel",
        "simplemma",
        "nltk",
        "stopwordsiso",
        "datasketch",
        "numpy",
    )
    # a task's result also holds its rows' dates (found in the text or URL) and the tables' schemas;
    # the per-article entries point into it (their values are read from its tables)
    dating = code_digest(
        sys.modules[__name__], dates, dates.DATES_FILE, language, schema, "python-dateutil", "babel", "pyarrow"
    )
    # a text's observation does not depend on the sample it is in, nor its removal (but through
    # the answers it records): another sample size keeps the entries
    options = replace(cleaner.boilerplate, learn_max_articles=0)
    fingerprints = {
        COUNTS_CACHE: repr((normalising, removing, marshal.version, options)),
        BOILERPLATE_CACHE: repr((normalising, removing, marshal.version, options, remover.rules_, dating)),
        ANNOTATIONS_CACHE: repr(
            (annotating, marshal.version, cleaner.language, cleaner.tokens, cleaner.duplicates, dating)
        ),
    }
    fingerprints[PARTS_CACHE] = repr((fingerprints[BOILERPLATE_CACHE], fingerprints[ANNOTATIONS_CACHE], dating))
    fingerprints[OBSERVED_CACHE] = fingerprints[COUNTS_CACHE]  # (a task's observations are its texts')
    return fingerprints


@dataclass
class BatchResult:
    """What cleaning one batch gives back: its counts, its three tables and its articles' duplicate signatures."""

    stats: CleanStats
    articles: pa.Table
    tokens: pa.Table
    audit: pa.Table
    signatures: Signatures  # (the articles' ids and dates are in their table)
    cache: dict[str, CacheUse] = field(default_factory=dict)  # what it computed and reused, per cache
    reduced: list[tuple[str | None, str, str | None]] = field(default_factory=list)  # Tokenizer.take_reductions
    rows: _RowNotes | None = None  # what a later build needs to reuse it (see _Part); not sent back by tasks
    spool: str | None = None  # a folder: sent to another process, the tables go through a file there
    digests: tuple[str, str] | None = None  # with the parts cache: hashes of its article and token tables' stored bytes
    # which of its article and token tables were left out (an earlier build's part has them: see
    # _clean_task); its article table then holds only the duplicate finder's columns
    omitted: tuple[bool, bool] = (False, False)

    def __getstate__(self) -> dict[str, Any]:
        # Pickled, the tables would be copied into the pipe, then out of it by the main process
        # (its busiest part in a build that reads most tasks back); written to a file, they are
        # mapped from it there instead.
        state = dict(self.__dict__)
        if self.spool is not None:
            state["spooled"] = spool_tables(Path(self.spool), [self.articles, self.tokens, self.audit])
            state["articles"] = state["tokens"] = state["audit"] = state["spool"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        spooled = state.pop("spooled", None)
        self.__dict__.update(state)
        if spooled is not None:
            self.articles, self.tokens, self.audit = read_spooled(*spooled)


class _RowNotes(NamedTuple):
    """Per row of a batch's result, what tells whether it holds in a later build (see :class:`_Part`)."""

    lookups: Asked  # what its boilerplate removal asked of its source's learnt lines
    timeless: list[bool]  # whether its result is the same whenever it is built (see Cleaner.clean_batch)
    dropped: list[bool]  # whether a date found for it was dropped (in the future)
    keys: dict[str, list[bytes]]  # its entries in the per-article caches (cache name: keys)

    def take(self, index: Sequence[int]) -> _RowNotes:
        return _RowNotes(
            self.lookups.take(index),
            [self.timeless[i] for i in index],
            [self.dropped[i] for i in index],
            {name: [keys[i] for i in index] for name, keys in self.keys.items()},
        )


class _CleanContext:
    """What every cleaning task needs; the language detector and tokenizer are built once per process."""

    def __init__(
        self,
        cleaner: Cleaner,
        remover: BoilerplateRemover,
        now: datetime,
        caches: dict[str, CacheRef],
        reductions: bool = False,
        spool: Path | None = None,
        known: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    ) -> None:
        self.cleaner, self.remover, self.now, self.caches = cleaner, remover, now, caches
        self.known = known  # the digests of the article and token tables earlier parts hold (PartsWriter.member)
        self.reductions = reductions  # whether tasks send back the tokens they reduced (for the lexicon)
        self.spool = None if spool is None else str(spool)  # where a worker's tables go (BatchResult.spool)
        self._tools: tuple[LanguageDetector, Tokenizer] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_tools": None}

    def tools(self) -> tuple[LanguageDetector, Tokenizer]:
        if self._tools is None:
            self._tools = (LanguageDetector(self.cleaner.language), Tokenizer(self.cleaner.tokens))
            if self.reductions:
                self._tools[1].record_reductions()
        return self._tools


def _fitted(remover: BoilerplateRemover) -> BoilerplateRemover:
    """The remover with what it learnt, without the counts it learnt it from (smaller to send)."""
    import copy

    from analysis.boilerplate import _Tally

    remover._finish()
    slim = copy.copy(remover)
    slim._tally = _Tally(remover.spill_pairs)  # empty: no counts, no spill files
    return slim


_MARK_COLUMNS = ("duplicate_of", "duplicate_kind", "copies")

#: Rows of one cleaning task (a batch of ``batch_size`` rows is cut into parts of this size).
TASK_ROWS = 500


def _slices(path: Path, batch_size: int, size: int) -> list[tuple[tuple[int, ...], int, int, int]]:
    """(row groups, first row, end row, rows of the groups) of each task over ``path``, in order."""
    metadata = open_parquet(path).metadata
    tasks: list[tuple[tuple[int, ...], int, int, int]] = []
    for groups in row_group_tasks(path, batch_size):
        rows = sum(metadata.row_group(g).num_rows for g in groups)
        tasks.extend((groups, start, min(start + size, rows), rows) for start in range(0, rows, size))
    return tasks


def _batch_key(digests: list[str | None]) -> str | None:
    """The key of a batch's part of a table (:class:`~analysis.io.store.PartsWriter`): a hash of its
    tasks' tables (equal stored bytes, equal rows); none when a task's is not known."""
    if any(digest is None for digest in digests):
        return None
    return hashlib.blake2b("\0".join(digests).encode(), digest_size=16).hexdigest()  # type: ignore[arg-type]


#: The columns of a task's article table the build's process reads (the duplicate finder's).
_FINDER_COLUMNS = ("article_id", "published", "title")
#: The columns of a stored task's article table that a task read back whole needs when an earlier
#: build's part holds that table: the finder's, its sources (whether their answers hold), and
#: what its counts are made of (_table_stats).
_HELD_COLUMNS = (
    *_FINDER_COLUMNS,
    "source",
    "chars_raw",
    "chars_removed",
    "published_from",
    "language",
    "language_from",
)


def _whole(result: BatchResult, table: int, writer: PartsWriter) -> pa.Table:
    """A task's article (0) or token (1) table, read from the earlier part that holds it when the
    task left it out (``writer`` is the table's: see :meth:`PartsWriter.member`)."""
    if not result.omitted[table]:
        return result.articles if table == 0 else result.tokens
    assert result.digests is not None
    found = writer.member(result.digests[table])
    if found is None:  # (the digests the tasks were given are the writer's)
        raise RuntimeError(f"{writer.target}: no earlier part holds the rows of a cleaning task")
    return pa.Table.from_batches(found.to_batches(), schema=CLEAN_SCHEMA if table == 0 else TOKEN_SCHEMA)


def _members(parts: list[BatchResult], table: int) -> list[tuple[str, int]] | None:
    """The members of a batch's part (:meth:`PartsWriter.member`): each task's digest and rows."""
    if any(p.digests is None for p in parts):
        return None
    return [(p.digests[table], p.articles.num_rows) for p in parts]  # type: ignore[index]


def _marked_key(content: str | None, marks: tuple[pa.Array, pa.Array, pa.Array]) -> str | None:
    """The key of a batch's part of the article table: its content's (:func:`_batch_key`) with its
    duplicate marks."""
    if content is None:
        return None
    shown = repr([content, *(column.to_pylist() for column in marks)])
    return hashlib.blake2b(shown.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _joined(tables: list[pa.Table]) -> pa.Table:
    return tables[0] if len(tables) == 1 else pa.concat_tables(tables).combine_chunks()


def _source_sizes(articles: Path) -> Counter[str]:
    """How many rows of the loaded table each source has."""
    sizes: Counter[str] = Counter()
    for batch in open_parquet(articles).iter_batches(batch_size=65_536, columns=["source"]):
        counted = pc.value_counts(batch.column(0))
        sizes.update(dict(zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True)))
    return sizes


def _observe_task(task: tuple[str, str, tuple[int, ...], int, int, int]) -> tuple[Observed, dict[str, CacheUse]]:
    """Pass 1 on one slice: what each row's normalised text adds to its source's boilerplate counts
    (a row out of its source's sample adds nothing: see :func:`~analysis.boilerplate.learning_tiers`).

    With the caches, read back whole when an earlier build's task had the same texts and sources
    (:data:`OBSERVED_CACHE`) and observed every row the samples now hold, else per text
    (:data:`COUNTS_CACHE`). Its rows' depths, and which rows it observed, are kept with it: when a
    source's sample shrinks (a source that doubled), the rows still in it are rows it observed.
    """
    context, articles, groups, start, stop, _ = task
    remover: BoilerplateRemover
    ref: CacheRef | None
    parts: CacheRef | None
    tiers: dict[str, int]
    remover, ref, parts, tiers = shared(context)
    columns = ["text", "source"]
    key, whole = stored_entry(parts, Path(articles), groups, columns, rows=(start, stop))
    if whole is not None:
        sources, stored, keys, depths, observed = marshal.loads(unpack(whole))
        wanted = _learnt(sources, depths, tiers)
        if all(done for done, want in zip(observed, wanted, strict=True) if want):
            kept = [value if want else None for value, want in zip(stored, wanted, strict=True)]
            hits = [text_key for text_key, want in zip(keys, wanted, strict=True) if want and text_key is not None]
            return Observed.of(sources, kept), {COUNTS_CACHE: CacheUse(hits=hits), OBSERVED_CACHE: CacheUse(hits=[key])}
    table = read_row_groups(Path(articles), groups, columns=columns).slice(start, stop - start)
    texts, sources = table.column("text").to_pylist(), table.column("source").to_pylist()
    depths = [learning_depth(text) if text else -1 for text in texts]
    wanted = _learnt(sources, depths, tiers)
    keys = [ref.key(text) if ref and want else None for text, want in zip(texts, wanted, strict=True)]
    found = ref.get([text_key for text_key in keys if text_key is not None]) if ref else {}
    use = CacheUse()
    values: list[tuple[Any, ...] | None] = []  # each text's Observation, as a tuple (None: nothing to count)
    for text, text_key, want in zip(texts, keys, wanted, strict=True):
        if not want:
            values.append(None)
        elif text_key is not None and text_key in found:
            values.append(marshal.loads(unpack(found[text_key])))
            use.hits.append(text_key)
        else:
            observation = remover.observe(normalise(text))
            values.append(None if observation is None else tuple(observation))
            if text_key is not None:
                use.new.append((text_key, pack(marshal.dumps(values[-1]))))
    uses = {COUNTS_CACHE: use} if ref else {}
    if isinstance(parts, FileRef):
        uses[OBSERVED_CACHE] = parts.put(key, pack(marshal.dumps((sources, values, keys, depths, wanted))))
    return Observed.of(sources, values), uses


def _learnt(sources: list[str], depths: list[int], tiers: dict[str, int]) -> list[bool]:
    """Which rows (their sources, and their texts' depths, -1 for no text) pass 1 learns from."""
    return [depth >= 0 and depth >= tiers.get(source, 0) for source, depth in zip(sources, depths, strict=True)]


def _clean_task(task: tuple[str, str, tuple[int, ...], int, int, int]) -> BatchResult:
    context_path, articles, groups, start, stop, _ = task
    context: _CleanContext = shared(context_path)
    ref = context.caches.get(PARTS_CACHE)
    # keyed by the rows' stored bytes: a task an earlier build answers whole decodes none of them
    key = stored_key(ref, Path(articles), groups, rows=(start, stop)) if ref is not None else b""
    part = _Part.read(ref, key, tables=False)
    tables = None
    held = np.zeros(stop - start, dtype=bool)
    if part is not None:
        slim = part.held_table()
        held = part.held(context.remover, slim)
        # every row holds: the tables an earlier build's parts have (see below) are not read
        known = (part.digests[0] in context.known[0], part.digests[1] in context.known[1])
        whole = bool(held.all())
        if not (whole and all(known)):
            part = part.with_tables(ref, key)  # (None: they cannot be read, the task is cleaned again)
        if part is None:
            held[:] = False
        elif whole:
            tables = part.decoded(slim if known[0] else None, tokens=not known[1])
        else:
            tables = part.decoded()
    redo = np.flatnonzero(~held)
    done = None
    if len(redo):  # the rows an earlier build's task does not answer for: cleaned here
        table = read_row_groups(Path(articles), groups).slice(start, stop - start)
        detector, tokenizer = context.tools()
        rows = (table if part is None else table.take(pa.array(redo))).to_pylist()
        place = _Place(ref, key, redo.tolist()) if isinstance(ref, FileRef) else None
        done = context.cleaner.clean_batch(
            rows, context.remover, detector, tokenizer, context.now, context.caches, place
        )
        if context.reductions:
            done.reduced = tokenizer.take_reductions()
    result = part.combined(tables, held, done) if part is not None and tables is not None else done
    assert result is not None
    if isinstance(ref, FileRef):  # (written here: a task's tables need not travel to the main process twice)
        if len(redo):
            part = _Part.of(result)
            result.cache[PARTS_CACHE] = ref.put(key, part.encode())
        else:
            result.cache[PARTS_CACHE] = CacheUse(hits=[key])
        if part is not None:  # (a task of no rows has none)
            result.digests = part.digests
            # tables an earlier build's part holds (equal digests, equal rows) are not sent back:
            # the build's process keeps that part, or reads them from it
            omitted = (result.digests[0] in context.known[0], result.digests[1] in context.known[1])
            if omitted[0]:
                result.articles = result.articles.select(list(_FINDER_COLUMNS))
            if omitted[1]:
                result.tokens = TOKEN_SCHEMA.empty_table()
            result.omitted = omitted
    # the rows' notes served the part stored above: not sent back (unpickling the notes of 100,000
    # bench articles' stored parts takes 1.3 s, which the main process would spend for nothing)
    result.rows = None
    result.spool = context.spool
    return result


class _Part(NamedTuple):
    """One cleaning task's result, kept whole (:data:`PARTS_CACHE`, keyed by its loaded rows).

    A later build's task with the same rows, options and code reads its tables back instead of
    going through its articles one by one (each one's cache entries looked up and decoded, made
    into rows and into tables again). A row holds while its source's learnt lines answer what its
    removal asked (as each article's :class:`_Removal`) and its result did not depend on the
    build's time; the rows that do not are cleaned again (their per-article entries reused where
    they hold) and put back in their place. The per-article entries of the rows read back count
    as used, so that they are kept for that case.
    """

    notes: _RowNotes
    signatures: tuple[list[int], list[bytes | None], list[str | None], str, bytes]  # Signatures.pack()
    slim: bytes  # its article table's _HELD_COLUMNS (what a task read back whole needs): Arrow IPC (zstd)
    audit: bytes  # its audit table, the same
    # the hashes of its article and token tables as stored (see BatchResult.digests), made once with
    # them: a build that reads the part back needs them for every task (0.8 s of the workers' CPU in
    # the 1% addition at 100,000, hashing the parts' tables again)
    digests: tuple[str, str]
    # its article and token tables, the same; None: not read (see read). Stored after the rest, so
    # that a task whose tables the output's parts hold reads an eighth of the entry (3.3 MB for the
    # 500 bench articles of a task, 2.9 MB of them these tables)
    tables: tuple[bytes, bytes] | None

    @classmethod
    def of(cls, result: BatchResult) -> _Part:
        assert result.rows is not None
        articles, tokens = table_bytes(result.articles, "zstd"), table_bytes(result.tokens, "zstd")
        return cls(
            result.rows,
            result.signatures.pack(),
            table_bytes(result.articles.select(list(_HELD_COLUMNS)), "zstd"),
            table_bytes(result.audit, "zstd"),
            (
                hashlib.blake2b(articles, digest_size=16).hexdigest(),
                hashlib.blake2b(tokens, digest_size=16).hexdigest(),
            ),
            (articles, tokens),
        )

    def encode(self) -> bytes:
        # the tables' buffers are compressed already (Arrow's zstd, 17 ms for the 500 articles of a
        # task, against 64 ms to compress their IPC stream whole); the rest is mostly MinHash values
        assert self.tables is not None
        notes = (self.notes.lookups.packed(), *self.notes[1:])
        head = marshal.dumps((notes, self.signatures, self.slim, self.audit, self.digests))
        return pack_parts([head, marshal.dumps(self.tables)])

    @classmethod
    def read(cls, ref: CacheRef | None, key: bytes, *, tables: bool = True) -> _Part | None:
        """The part stored under ``key``, its article and token tables only if ``tables`` (see
        :meth:`with_tables`); None when none is stored, or not one this code reads (computed again)."""
        values = ref.get_parts(key, None if tables else 1) if isinstance(ref, FileRef) else None
        if values is None or len(values) != (2 if tables else 1):
            return None
        try:
            notes, signatures, slim, audit, digests = marshal.loads(values[0])
            rows = _RowNotes(Asked.unpacked(notes[0]), *notes[1:])
            both = tuple(marshal.loads(values[1])) if tables else None
        except (ValueError, TypeError, EOFError, IndexError):
            return None
        return cls(rows, signatures, slim, audit, tuple(digests), both)

    def with_tables(self, ref: CacheRef | None, key: bytes) -> _Part | None:
        """The same with its article and token tables read (None: they cannot be)."""
        if self.tables is not None:
            return self
        values = ref.get_parts(key, 1, skip=1) if isinstance(ref, FileRef) else None
        try:
            return self._replace(tables=tuple(marshal.loads(values[0]))) if values else None
        except (ValueError, TypeError, EOFError):
            return None

    def decoded(self, slim: pa.Table | None = None, *, tokens: bool = True) -> tuple[pa.Table, pa.Table, pa.Table]:
        """Its articles, tokens and audit tables; ``slim``: that table in place of its articles'
        (:meth:`held_table`); ``tokens=False``: an empty token table in place of its own."""
        if slim is None or tokens:
            assert self.tables is not None, "read with its tables"
        return (
            table_from_bytes(self.tables[0]) if slim is None else slim,  # type: ignore[index]
            table_from_bytes(self.tables[1]) if tokens else TOKEN_SCHEMA.empty_table(),  # type: ignore[index]
            table_from_bytes(self.audit),
        )

    def held_table(self) -> pa.Table:
        """Its article table's :data:`_HELD_COLUMNS`."""
        return table_from_bytes(self.slim)

    def held(self, remover: BoilerplateRemover, articles: pa.Table) -> np.ndarray:
        """Which rows hold (:meth:`BoilerplateRemover.hold`, and not built at another time)."""
        timeless = np.array(self.notes.timeless, dtype=bool)
        return timeless & remover.hold(articles.column("source").to_pylist(), self.notes.lookups)

    def combined(
        self, tables: tuple[pa.Table, pa.Table, pa.Table], held: np.ndarray, done: BatchResult | None
    ) -> BatchResult:
        """The task's result: the rows that hold read back from its ``tables`` (:meth:`decoded`),
        ``done`` (the others, cleaned again) in their places."""
        articles, tokens, audit = tables
        signatures = Signatures.unpack(self.signatures)
        kept = np.flatnonzero(held)
        notes = self.notes.take(kept.tolist())
        uses = {name: CacheUse(hits=keys) for name, keys in notes.keys.items()}
        if done is None:  # every row holds
            return BatchResult(
                _table_stats(articles, audit, notes.dropped), articles, tokens, audit, signatures, uses, rows=notes
            )
        assert done.rows is not None
        keep = pa.array(kept)
        ids = articles.column("article_id")
        place = {article_id: i for i, article_id in enumerate(ids.to_pylist())}
        articles, tokens = articles.take(keep), tokens.take(keep)
        audit = audit.filter(pc.is_in(audit.column("article_id"), value_set=ids.take(keep)))
        stats = _table_stats(articles, audit, notes.dropped)
        stats.add(done.stats)
        for name, use in done.cache.items():
            mine = uses.setdefault(name, CacheUse())
            mine.new.extend(use.new)
            mine.hits.extend(use.hits)
            mine.moved.extend(use.moved)
        order = np.argsort(np.concatenate([kept, np.flatnonzero(~held)]), kind="stable").tolist()  # the rows' order

        def merged(mine: list[Any], theirs: list[Any]) -> list[Any]:
            both = mine + theirs
            return [both[i] for i in order]

        lines = [place[a] for a in audit.column("article_id").to_pylist() + done.audit.column("article_id").to_pylist()]
        return BatchResult(
            stats,
            pa.concat_tables([articles, done.articles]).take(pa.array(order)),
            pa.concat_tables([tokens, done.tokens]).take(pa.array(order)),
            pa.concat_tables([audit, done.audit]).take(pa.array(np.argsort(lines, kind="stable"))),
            Signatures.concat([signatures.take(kept.tolist()), done.signatures]).take(order),
            uses,
            done.reduced,
            _RowNotes(
                Asked.concat([notes.lookups, done.rows.lookups]).take(order),
                merged(notes.timeless, done.rows.timeless),
                merged(notes.dropped, done.rows.dropped),
                {name: merged(keys, done.rows.keys.get(name, [])) for name, keys in notes.keys.items()},
            ),
        )


# Cleaning's per-article entries (BOILERPLATE_CACHE, ANNOTATIONS_CACHE) hold no result: each
# points to the stored task part (PARTS_CACHE) that holds the article's result, and to its row
# there. The part has every column of it (the clean title and text, the removed lines, the
# answers its removal depended on, the language, tokens, terms and signature): a task whose rows
# changed (a file edited, rows moved to another task) reads its articles back from the parts
# their entries point to, and no build encodes, compresses and writes each article's result a
# second time. An entry whose part is gone or whose row holds another key is computed again.


class _Place(NamedTuple):
    """Where a batch's result is stored: the parts cache, the task's part (its key) and each row's place in it."""

    parts: CacheRef
    key: bytes
    rows: Sequence[int]

    def pointer(self, i: int) -> bytes:
        """Row ``i``'s entry value: the key of the task part holding its result, and its row there."""
        return pack(self.key + self.rows[i].to_bytes(4, "little"), compress=False)


class _Found(NamedTuple):
    """A per-article entry read back: its key and stored value, the part and row it points to."""

    key: bytes
    value: bytes
    part: _HeldPart
    row: int

    def removal(self) -> _Removal:
        return self.part.removal(self.row)

    def annotation(self) -> _Annotation:
        return self.part.annotation(self.row)

    def reused(self, use: CacheUse, pointer: bytes) -> None:
        """Count the entry as used; stored again if the article's result is now in another place."""
        if pointer == self.value:
            use.hits.append(self.key)
        else:
            use.moved.append((self.key, pointer))


class _HeldPart:
    """A stored task part read back for some of its rows: its tables decoded once, and the values
    of the rows asked for (:meth:`want`) made into Python objects, column by column as needed."""

    def __init__(self, part: _Part) -> None:
        self.part = part
        self._tables: tuple[pa.Table, pa.Table, pa.Table] | None = None
        self._wanted: set[int] = set()
        self._values: dict[tuple[int, str], dict[int, Any]] = {}
        self._audit: dict[int, list[tuple[int, str, str]]] = {}
        self._signatures: list[Signature] | None = None

    def want(self, row: int) -> None:
        self._wanted.add(row)

    def _decoded(self) -> tuple[pa.Table, pa.Table, pa.Table]:
        if self._tables is None:
            self._tables = self.part.decoded()
        return self._tables

    def _value(self, table: int, name: str, row: int) -> Any:
        """Column ``name`` of the part's articles (0) or tokens (1) table at ``row``."""
        values = self._values.setdefault((table, name), {})
        if row not in values:  # the rows wanted (or this one) whose values are not made yet
            rows = sorted({row, *self._wanted} - values.keys())
            column = self._decoded()[table].column(name).take(pa.array(rows, pa.int64()))
            values.update(zip(rows, column.to_pylist(), strict=True))
        return values[row]

    def removal(self, row: int) -> _Removal:
        if row not in self._audit:  # the removed lines of the rows wanted (or this one) not read yet, in order
            rows = {self._value(0, "article_id", r): r for r in sorted({row, *self._wanted} - self._audit.keys())}
            audit = self._decoded()[2]
            chosen = audit.filter(pc.is_in(audit.column("article_id"), value_set=pa.array(list(rows), pa.string())))
            for r in rows.values():
                self._audit[r] = []
            for item in chosen.select(["article_id", "line", "reason", "text"]).to_pylist():
                self._audit[rows[item["article_id"]]].append((item["line"], item["reason"], item["text"]))
        title, text = self._value(0, "title", row), self._value(0, "text", row)
        return _Removal(title, text, self._audit[row], self.part.notes.lookups.questions(row))

    def annotation(self, row: int) -> _Annotation:
        if self._signatures is None:
            self._signatures = list(Signatures.unpack(self.part.signatures))
        return _Annotation(
            self._value(0, "language", row),
            self._value(0, "language_from", row),
            self._value(0, "language_confidence", row),
            self._value(1, "tokens", row),
            self._value(1, "terms", row),
            self._signatures[row],
        )


class _Pointed:
    """The parts that a batch's per-article entries point to, each read once."""

    def __init__(self, parts: CacheRef) -> None:
        self.parts = parts
        self._parts: dict[bytes, _HeldPart | None] = {}

    def find(self, name: str, found: dict[bytes, bytes]) -> dict[bytes, _Found]:
        """The entries of cache ``name`` in ``found`` whose part is there with their key at their row."""
        located: dict[bytes, _Found] = {}
        for key, value in found.items():
            data = unpack(value)
            if len(data) != 20:  # not a pointer (another layout): computed again
                continue
            part, row = data[:16], int.from_bytes(data[16:], "little")
            held = self._part(part)
            keys = held.part.notes.keys.get(name, []) if held is not None else []
            if held is not None and row < len(keys) and keys[row] == key:
                located[key] = _Found(key, value, held, row)
        for entry in located.values():
            entry.part.want(entry.row)
        return located

    def _part(self, key: bytes) -> _HeldPart | None:
        if key not in self._parts:
            part = _Part.read(self.parts, key)  # (None: not a part this code reads, its rows computed again)
            self._parts[key] = _HeldPart(part) if part is not None else None
        return self._parts[key]


def _table_stats(articles: pa.Table, audit: pa.Table, dropped: list[bool]) -> CleanStats:
    """The counts :meth:`Cleaner.clean_batch` made of the rows of its tables (and their ``dropped`` dates)."""
    stats = CleanStats(
        articles=articles.num_rows,
        chars_raw=int(pc.sum(articles.column("chars_raw")).as_py() or 0),
        chars_removed=int(pc.sum(articles.column("chars_removed")).as_py() or 0),
        dates_dropped_future=sum(dropped),
    )
    for counter, values in (
        (stats.removed_by_reason, audit.column("reason")),
        (stats.dates_from, articles.column("published_from")),
        (stats.languages, articles.column("language")),
        (stats.language_from, articles.column("language_from")),
    ):
        for value in values.to_pylist():
            _bump(counter, value)
    return stats


def read_table(path: Path | str) -> pd.DataFrame:
    """Any of the processed tables as pandas with Arrow-backed dtypes."""
    return to_pandas(pq.read_table(path))
