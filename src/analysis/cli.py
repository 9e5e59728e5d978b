"""Command line: ``python -m analysis COMMAND`` (or the ``newscorpus`` script)."""

from __future__ import annotations

import logging
import sys
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from analysis import __version__
from analysis.cache import CacheError
from analysis.clean import CleanStats
from analysis.config import MAPPABLE_FIELDS, ConfigError, Options, Paths, load_options
from analysis.io.ingest import (
    ARTICLES_FILE,
    REJECTS_FILE,
    STATS_FILE,
    CliMetadata,
    Ingestor,
    IngestStats,
    InputError,
)
from analysis.io.mapping import normalise_country
from analysis.io.registry import loaders
from analysis.schema import ARTICLE_COLUMNS, CLEAN_COLUMNS, ValidationError, validate_articles

app = typer.Typer(
    name="analysis",
    help="Load, clean and analyse news corpora. Run `python -m analysis COMMAND --help` for details.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()


class State:
    config: Path | None = None


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def _options(extra: dict[str, object] | None = None) -> tuple[Options, Paths]:
    paths = Paths.from_root()
    try:
        options = load_options(State.config, paths=paths)
        if extra:
            options = options.with_ingest(**extra)
    except ConfigError as exc:
        raise _fail(str(exc)) from exc
    return options, paths


@app.callback()
def main_callback(
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Options file (TOML) overlaid on the defaults and analysis.toml."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details (why each loader failed).")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """News corpus analysis toolkit."""
    if version:
        out.print(__version__)
        raise typer.Exit(0)
    if config is not None and not config.is_file():
        raise _fail(f"--config: file not found: {config}")
    State.config = config
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def _field_map(values: list[str], base: dict[str, str]) -> dict[str, str]:
    mapping = dict(base)
    for item in values:
        name, sep, column = item.partition("=")
        if not sep or not column:
            raise _fail(f"--field {item!r}: expected ARTICLE_FIELD=RECORD_FIELD, e.g. title=Headline")
        if name not in MAPPABLE_FIELDS:
            raise _fail(f"--field {item!r}: unknown article field {name!r} (one of {', '.join(MAPPABLE_FIELDS)})")
        mapping[name] = column
    return mapping


def _print_stats(stats: IngestStats, out_dir: Path | None) -> None:
    table = Table(title="Ingest", show_header=False, box=None)
    table.add_row(
        "files",
        f"{stats.files_seen} seen = {stats.files_read} read + {stats.files_rejected} rejected"
        f" + {stats.files_ignored} ignored + {stats.files_metadata} metadata"
        + (f" ({stats.archives} archives unpacked)" if stats.archives else ""),
    )
    table.add_row(
        "records",
        f"{stats.records_read} read = {stats.records_kept} kept + {stats.records_rejected} rejected",
    )
    for reason, count in sorted(stats.rejected_by_reason.items()):
        table.add_row("", f"rejected {reason}: {count}")
    for kind, count in sorted(stats.warnings.items()):
        table.add_row("", f"warning {kind}: {count}")
    if out_dir is not None:
        table.add_row("written", f"{out_dir / ARTICLES_FILE}, {out_dir / REJECTS_FILE}, {out_dir / STATS_FILE}")
    out.print(table)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("[dim]{task.fields[file]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


@app.command()
def ingest(
    paths_in: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="Files or folders to load (folders are walked recursively; .gz is read transparently).",
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder for articles.parquet, rejects.jsonl and ingest_stats.json."),
    ],
    source: Annotated[str | None, typer.Option(help="Source name for records that name none.")] = None,
    language: Annotated[str | None, typer.Option(help="Language code for records that declare none (e.g. fr).")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date for records that have none.")] = None,
    country: Annotated[
        str | None, typer.Option(help="The outlet's country (ISO code or name) for records that name none.")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="Read every file with this loader (see `formats`).")
    ] = None,
    field: Annotated[
        list[str] | None,
        typer.Option("--field", help="ARTICLE_FIELD=RECORD_FIELD mapping, repeatable (e.g. title=Headline)."),
    ] = None,
    include: Annotated[list[str] | None, typer.Option(help="Only read files matching this glob (repeatable).")] = None,
    exclude: Annotated[list[str] | None, typer.Option(help="Skip files matching this glob (repeatable).")] = None,
    plugin: Annotated[
        list[str] | None,
        typer.Option(help="Import this module first, so it can register loaders (repeatable)."),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            help="Timezone for timestamps without one, for every outlet (default from options: `outlet`, "
            "the outlet's country's clock, else UTC)."
        ),
    ] = None,
) -> None:
    """Load files/folders of any supported format into one article table plus a rejects ledger."""
    if country is not None and normalise_country(country) is None:
        raise typer.BadParameter(f"no country is named {country!r} (an ISO code or a name)", param_hint="--country")
    stats = _run_ingest(
        paths_in,
        out_dir,
        CliMetadata(source, language, published, country),
        fmt,
        field or [],
        include or [],
        exclude or [],
        plugin or [],
        timezone,
    )
    _print_stats(stats, out_dir)


def _run_ingest(
    inputs: list[Path],
    out_dir: Path,
    cli: CliMetadata,
    fmt: str | None,
    fields: list[str],
    include: list[str],
    exclude: list[str],
    plugins: list[str],
    timezone: str | None,
) -> IngestStats:
    options, paths = _options()
    ing = options.ingest
    changes: dict[str, object] = {}
    if fields:
        changes["field_map"] = _field_map(fields, dict(ing.field_map))
    if include:
        changes["include"] = tuple(include)
    if exclude:
        changes["ignore"] = (*ing.ignore, *exclude)
    if plugins:
        changes["plugins"] = (*ing.plugins, *plugins)
    if timezone:
        from zoneinfo import ZoneInfoNotFoundError

        from analysis.config import timezone_option

        try:
            changes["default_timezone"], changes["outlet_clocks"] = timezone_option(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise _fail(f"--timezone: unknown timezone {timezone!r}") from exc
    if changes:
        options = options.with_ingest(**changes)
    try:
        with _progress() as progress:
            task = progress.add_task("reading", file="")
            ingestor = Ingestor(
                options.ingest,
                project_root=paths.root,
                cli=cli,
                forced_format=fmt,
                progress=lambda f: progress.update(task, advance=1, file=f),
            )
            return ingestor.run(inputs, out_dir)
    except (InputError, ImportError) as exc:
        raise _fail(str(exc)) from exc
    except ValidationError as exc:
        raise _fail(str(exc), code=1) from exc


def _print_clean(stats: CleanStats, out_dir: Path) -> None:
    data = stats.as_dict()
    table = Table(title="Clean", show_header=False, box=None)
    table.add_row(
        "articles",
        f"{data['articles']} ({data['duplicates']['unique_articles']} unique; "
        f"{data['duplicates']['exact']} exact and {data['duplicates']['near']} near copies)",
    )
    share = data["chars_removed"] / data["chars_raw"] if data["chars_raw"] else 0
    table.add_row("boilerplate", f"{data['chars_removed']} of {data['chars_raw']} characters removed ({share:.1%})")
    table.add_row("languages", ", ".join(f"{k} {v}" for k, v in data["languages"].items()))
    table.add_row("dates from", ", ".join(f"{k} {v}" for k, v in data["published_from"].items()))
    table.add_row("written", f"{out_dir}/: articles.parquet, tokens.parquet, boilerplate.parquet, datapackage.json")
    out.print(table)


def _print_countries(
    counts: dict[str, object], out_dir: Path, languages: dict[str, int] | None = None, options: Options | None = None
) -> None:
    out.print(
        f"countries: {counts.get('mentions', 0)} mentions of {counts.get('countries', 0)} countries in "
        f"{counts.get('articles_with_country', 0)} of {counts.get('articles', 0)} articles "
        f"(country_mentions, region_mentions, country_periods, country_pairs in {out_dir}/)"
    )
    if languages and options is not None:
        from analysis.countries import unlisted_languages

        unlisted = unlisted_languages(languages, options.countries)
        if unlisted:
            listed = ", ".join(f"{code} {n}" for code, n in unlisted.items())
            codes = ", ".join(f'"{code}"' for code in unlisted)
            out.print(
                f"  articles in languages matched with French and English country names only: {listed};"
                f" to match their own names too, add {codes} to [countries] languages in analysis.toml",
                highlight=False,
                markup=False,
            )


_KEYWORD_MODEL_HELP = (
    "Merge the phrases of this saved keyword model (an earlier build's keyword_model.parquet) instead of"
    " learning them: its terms (option keywords.model_file)."
)
_TOPIC_MODEL_HELP = (
    "Weigh the articles with this saved topic model (an earlier build's topic_model.parquet) instead of"
    " fitting one: its topics, numbers and labels (option topics.model_file)."
)


@app.command()
def build(
    raw: Annotated[list[Path] | None, typer.Option("--raw", help="Raw files/folders (default: data/raw).")] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder (default: data/processed).")
    ] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Also write articles.csv.")] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", "-j", min=1, help="Processes (or Dask workers); default: every core.")
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="Where batches run: local (process pool) or dask (a Dask cluster).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786); default: a local cluster."),
    ] = None,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Run every stage and compute every article again (no stage reused, the per-article cache emptied).",
        ),
    ] = False,
    keyword_model: Annotated[Path | None, typer.Option("--keyword-model", help=_KEYWORD_MODEL_HELP)] = None,
    topic_model: Annotated[Path | None, typer.Option("--topic-model", help=_TOPIC_MODEL_HELP)] = None,
) -> None:
    """The main job: every stage, from raw files to the processed tables (what `make report` runs)."""
    from analysis.engine import make_engine
    from analysis.pipeline import build as run_build

    options, paths = _options()
    if csv:
        options = replace(options, output=replace(options.output, csv=True))
    if keyword_model is not None:
        options = replace(options, keywords=replace(options.keywords, model_file=str(keyword_model.resolve())))
    if topic_model is not None:
        options = replace(options, topics=replace(options.topics, model_file=str(topic_model.resolve())))
    try:
        runner = make_engine(engine, workers, scheduler)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    try:
        with _progress() as progress:
            task = progress.add_task("ingest", file="")
            result = run_build(
                options,
                paths,
                raw=raw,
                out_dir=out_dir,
                progress=lambda f: progress.update(task, advance=1, file=f),
                engine=runner,
                fresh=fresh,
            )
    except (InputError, ImportError, CacheError) as exc:
        raise _fail(str(exc)) from exc
    except ValidationError as exc:
        raise _fail(str(exc), code=1) from exc
    finally:
        runner.close()
    _print_stats(result.ingest, None)
    _print_clean(result.clean, result.out_dir)
    _print_countries(result.countries, result.out_dir, result.clean.languages, options)
    counts = result.manifest["counts"]
    words, found = counts["keywords"], counts["topics"]
    out.print(
        f"keywords: {words['vocabulary']} terms in {words['articles_counted']} articles, {words['phrases']} phrases,"
        f" {words['rising_terms']} rising/falling terms; topics: {_topics_found(found)},"
        f" {found['articles_on_a_theme']} articles on a theme",
        highlight=False,
    )
    from analysis.topics import foreign_model_warning

    if warning := foreign_model_warning(found):
        err.print(warning, style="yellow", highlight=False)


def _topics_found(counts: dict[str, Any]) -> str:
    """How many topics the topic stage found, with the model's coherence, or why it found none."""
    if counts.get("no_topics"):
        return f"none ({counts['no_topics']})"
    if counts.get("model_file"):
        read = f"{counts['model']} read from {counts['model_file']}"
        none = f"; {counts['articles_without_topic']} articles with none of its terms"
        return f"{counts['n_topics']} ({read}, mean NPMI when fitted {counts['coherence']}{none})"
    return f"{counts['n_topics']} ({counts['model']}, mean NPMI {counts['coherence']})"


@app.command()
def clean(
    articles: Annotated[
        Path | None,
        typer.Option(
            "--articles",
            help="A loaded table (articles.parquet or its folder); default: data/interim/ingest.",
        ),
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder (default: data/processed).")
    ] = None,
) -> None:
    """Clean a loaded table: boilerplate, dates, languages, duplicates, tokens (part of `build`)."""
    from analysis.clean import Cleaner
    from analysis.pipeline import DATAPACKAGE_FILE, datapackage

    options, paths = _options()
    from analysis.io.store import is_table, open_parquet, table_in

    source = table_in(articles or paths.interim / "ingest", ARTICLES_FILE)
    if not is_table(source):
        raise _fail(f"--articles: no loaded table at {source} (run `ingest` or `build` first)")
    target = out_dir or paths.processed

    total = open_parquet(source).metadata.num_rows
    with Progress(
        *Progress.get_default_columns(), console=err, transient=True, disable=not err.is_terminal
    ) as progress:
        task = progress.add_task("cleaning", total=total)
        cleaner = Cleaner.from_options(options, progress=lambda n: progress.update(task, advance=n))
        try:
            stats = cleaner.run(source, target, target)
        except ValidationError as exc:
            raise _fail(str(exc), code=1) from exc
    from analysis.io.store import write_json

    write_json(target / DATAPACKAGE_FILE, datapackage(target, False))
    _print_clean(stats, target)


@app.command()
def countries(
    text: Annotated[str | None, typer.Option("--text", help="Find the countries in this text and print them.")] = None,
    articles: Annotated[
        Path | None, typer.Option("--articles", help="A processed table (default: data/processed).")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder (default: the table's folder).")
    ] = None,
    home: Annotated[
        str | None,
        typer.Option(
            "--home", help="Home country for self-references (ISO code or name; empty for none; default from options)."
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="The --text's language (ISO 639-1; default: detected): its own country names are matched too.",
        ),
    ] = None,
) -> None:
    """Country mentions (and the per-period and co-mention tables), or the mentions of one --text."""
    from analysis import countries as stage

    options, paths = _options()
    home_code = normalise_country(home) if home else None
    if home and home_code is None:
        raise typer.BadParameter(f"no country is named {home!r} (an ISO code or a name)", param_hint="--home")
    country_options = options.countries if home is None else replace(options.countries, home_country=home_code)
    if text is not None:
        if language is None:  # (as the build does for an article: the text's own language)
            from analysis.language import LanguageDetector

            language = LanguageDetector(options.language).detect(text).language
            out.print(f"language: {language or 'none'} (detected; --language to choose)")
        matcher = stage.CountryMatcher(country_options)
        table = Table("iso2", "country", "surface", "start", "end", "kind")
        for m in matcher.find(text, language=language):
            label = (
                matcher.gazetteer.region_names.get(m.code, (m.code,))[0]
                if m.kind == "region"
                else matcher.country(m.code)[1]
            )
            table.add_row(m.code, str(label), m.surface, str(m.start), str(m.end), m.kind)
        out.print(table)
        return
    from analysis.io.store import is_table, table_in

    source = table_in(articles or paths.processed, ARTICLES_FILE)
    if not is_table(source):
        raise _fail(f"--articles: no processed table at {source} (run `build` first)")
    target = out_dir or source.parent
    counts = stage.run_stage(source, target, country_options, batch_size=options.ingest.batch_size)
    out.print(
        f"{counts.get('mentions', 0)} country mentions of {counts.get('countries', 0)} countries in "
        f"{counts.get('articles_with_country', 0)} of {counts.get('articles', 0)} articles; written to {target}/"
    )


def _processed(processed: Path | None, paths: Paths) -> tuple[Path, Path]:
    """The processed folder (checked) and the interim folder that goes with it."""
    from analysis.io.store import is_table

    folder = processed or paths.processed
    if not is_table(folder / ARTICLES_FILE):
        raise _fail(f"--processed: no processed table in {folder} (run `build` first)")
    interim = paths.interim if processed is None or processed.resolve() == paths.processed else folder / ".interim"
    return folder, interim


@app.command()
def keywords(
    processed: Annotated[
        Path | None, typer.Option("--processed", help="Processed folder to read and write (default: data/processed).")
    ] = None,
    include_duplicates: Annotated[
        bool | None, typer.Option("--include-duplicates/--exclude-duplicates", help="Count copies too.")
    ] = None,
    phrases: Annotated[bool | None, typer.Option("--phrases/--no-phrases", help="Learn and merge phrases.")] = None,
    trend_period: Annotated[str | None, typer.Option(help="Period of the rising/falling windows.")] = None,
    trend_window: Annotated[int | None, typer.Option(help="Periods in each rising/falling window.")] = None,
    show: Annotated[int, typer.Option(help="Print this many top terms.")] = 20,
    keyword_model: Annotated[Path | None, typer.Option("--keyword-model", help=_KEYWORD_MODEL_HELP)] = None,
) -> None:
    """Term frequencies, phrases, distinctive and rising/falling terms (part of `build`)."""
    from analysis import keywords as stage
    from analysis.clean import TOKENS_FILE
    from analysis.tokens import Tokenizer

    options, paths = _options()
    folder, interim = _processed(processed, paths)
    changes: dict[str, Any] = {
        "include_duplicates": include_duplicates,
        "phrases": phrases,
        "trend_period": trend_period,
        "trend_window": trend_window,
        "model_file": str(keyword_model.resolve()) if keyword_model is not None else None,
    }
    try:
        keyword_options = replace(options.keywords, **{k: v for k, v in changes.items() if v is not None})
        keyword_options = stage.model_input(keyword_options, paths.root)[0]
    except ValueError as exc:  # (a KeywordModelError too)
        raise _fail(str(exc)) from exc
    counts = stage.run_stage(
        folder / ARTICLES_FILE,
        folder / TOKENS_FILE,
        folder,
        interim,
        keyword_options,
        Tokenizer(options.tokens),
        batch_size=options.ingest.batch_size,
    )
    import pandas as pd

    terms = pd.read_parquet(folder / stage.TERMS_FILE, filters=[("scope", "==", "corpus")])
    table = Table("rank", "term", "count", "articles", "share")
    for row in terms.head(show).itertuples():
        table.add_row(str(row.rank), row.term, str(row.count), str(row.docs), f"{row.share:.4f}")
    out.print(table)
    rising = pd.read_parquet(folder / stage.RISING_FILE)
    for direction in ("rising", "falling"):
        chosen = rising[rising["direction"] == direction].head(10)
        if len(chosen):
            window = f"{chosen['window_start'].iloc[0]:%Y-%m-%d} to {chosen['window_end'].iloc[0]:%Y-%m-%d}"
            out.print(f"{direction} ({window} vs the window before): " + ", ".join(chosen["term"]), highlight=False)
    out.print(
        f"{counts['articles_counted']} articles counted, {counts['vocabulary']} terms, {counts['phrases']} phrases, "
        f"{counts['distinctive_terms']} distinctive and {counts['rising_terms']} rising/falling terms;"
        f" written to {folder}/"
    )


@app.command()
def topics(
    processed: Annotated[
        Path | None, typer.Option("--processed", help="Processed folder to read and write (default: data/processed).")
    ] = None,
    model: Annotated[str | None, typer.Option(help="nmf or lda.")] = None,
    n_topics: Annotated[int | None, typer.Option(help="Number of topics (0: chosen by coherence).")] = None,
    include_duplicates: Annotated[
        bool | None, typer.Option("--include-duplicates/--exclude-duplicates", help="Count copies too.")
    ] = None,
    topic_model: Annotated[Path | None, typer.Option("--topic-model", help=_TOPIC_MODEL_HELP)] = None,
) -> None:
    """Topic model, article topic weights, topic and theme trends (part of `build`; needs `keywords` first)."""
    from analysis import keywords as keyword_stage
    from analysis import topics as stage
    from analysis.clean import TOKENS_FILE
    from analysis.tokens import Tokenizer

    options, paths = _options()
    folder, interim = _processed(processed, paths)
    terms = interim / keyword_stage.INTERIM_TERMS_FILE
    if not terms.exists():
        raise _fail(f"no term table at {terms}: run `keywords` (or `build`) first")
    changes: dict[str, Any] = {
        "model": model,
        "n_topics": n_topics,
        "include_duplicates": include_duplicates,
        "model_file": str(topic_model.resolve()) if topic_model is not None else None,
    }
    try:
        topic_options = replace(options.topics, **{k: v for k, v in changes.items() if v is not None})
        topic_options = stage.model_input(topic_options, paths.root)[0]
    except ValueError as exc:  # (a TopicModelError too)
        raise _fail(str(exc)) from exc
    counts = stage.run_stage(
        folder / ARTICLES_FILE,
        folder / TOKENS_FILE,
        terms,
        folder,
        topic_options,
        Tokenizer(options.tokens),
        batch_size=options.ingest.batch_size,
    )
    import pandas as pd

    table = Table("topic", "label", "coherence", "share", "articles")
    for row in pd.read_parquet(folder / stage.TOPICS_FILE).itertuples():
        table.add_row(str(row.topic), row.label, f"{row.coherence:.3f}", f"{row.share:.3f}", str(row.articles))
    out.print(table)
    found = (
        f"no topics ({counts['no_topics']})"
        if counts.get("no_topics")
        else f"{counts['n_topics']} topics ({counts['model']}, mean NPMI {counts['coherence']})"
    )
    out.print(
        f"{found}; {counts['articles_on_a_theme']} articles on one of {counts['themes']} themes; written to {folder}/"
    )
    if warning := stage.foreign_model_warning(counts):
        err.print(warning, style="yellow", highlight=False)


@app.command()
def kwic(
    query: Annotated[str, typer.Argument(help="A term or phrase, any inflection (e.g. 'intelligence artificielle').")],
    processed: Annotated[
        Path | None, typer.Option("--processed", help="Processed folder (default: data/processed).")
    ] = None,
    width: Annotated[int, typer.Option(help="Characters of context each side.")] = 50,
    limit: Annotated[int, typer.Option(help="At most this many lines.")] = 40,
    source: Annotated[list[str] | None, typer.Option(help="Only these sources (repeatable).")] = None,
) -> None:
    """Keyword in context: every occurrence of a term or phrase with its left and right context."""
    from analysis import keywords as stage
    from analysis.io.store import read_articles
    from analysis.tokens import Tokenizer

    options, paths = _options()
    folder, _ = _processed(processed, paths)
    articles = read_articles(folder, ["article_id", "published", "source", "language", "title", "text"])
    if source:
        articles = articles[articles["source"].isin(source)]
    import pandas as pd

    lines = stage.concordance(articles, query, width=width, limit=limit, tokenizer=Tokenizer(options.tokens))
    for row in lines.itertuples():
        date = "" if pd.isna(row.published) else row.published.strftime("%Y-%m-%d")
        out.print(
            f"{row.left:>{width}} [{row.match}] {row.right:<{width}}  {date} {row.source} {row.article_id}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    out.print(f"{len(lines)} occurrence(s) of {query!r}", highlight=False, markup=False)


@app.command()
def collect(
    sources: Annotated[
        Path | None,
        typer.Option("--sources", "-s", help="Sources file (TOML): outlets, feeds, sitemaps (default: starter file)."),
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", "-o", help="Corpus folder (default: data/raw/collected).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Skip articles listed with a date before this one (e.g. 2024-01-01).")
    ] = None,
    max_items: Annotated[
        int | None,
        typer.Option("--max", min=0, help="Fetch at most N article pages in this run; the rest wait for the next."),
    ] = None,
    state: Annotated[Path | None, typer.Option(help="State file (default: OUT/.collect-state.sqlite).")] = None,
    source: Annotated[list[str] | None, typer.Option("--source", help="Only this source (repeatable).")] = None,
    delay: Annotated[
        float | None, typer.Option(min=0, help="Seconds between two requests to one host (overrides the file).")
    ] = None,
) -> None:
    """Collect articles from news sites' RSS/Atom feeds and sitemaps (polite, resumable, no duplicates)."""
    from analysis.collect import DEFAULT_SOURCES, SourcesError, StateError
    from analysis.collect import collect as collect_corpus

    target = out_dir or Paths.from_root().raw / "collected"
    sources = sources or DEFAULT_SOURCES
    try:
        summary = collect_corpus(
            sources,
            target,
            since=since,
            max_items=max_items,
            state_path=state,
            only=source or None,
            settings=None if delay is None else {"delay": delay},
            progress=err.is_terminal,
        )
    except (SourcesError, StateError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    except KeyboardInterrupt:
        err.print("interrupted: what was fetched is saved; run the same command again to continue")
        raise typer.Exit(130) from None
    table = Table(title="Collect", show_header=False, box=None)
    table.add_row(
        "listed", f"{summary.discovered} URLs: {summary.filtered} filtered, {summary.skipped_seen} seen before"
    )
    table.add_row("pages", f"{summary.queued} queued, {summary.fetched} fetched, {summary.unchanged} unchanged (304)")
    table.add_row("articles", f"{summary.extracted} extracted, {summary.written} written")
    for reason, count in sorted(summary.failed.items()):
        table.add_row("", f"failed {reason}: {count}")
    for reason, count in sorted(summary.discovery_failed.items()):
        table.add_row("", f"feed/sitemap {reason}: {count}")
    table.add_row("written", f"{target} (state {summary.state_path})")
    out.print(table)


@app.command()
def report(
    processed: Annotated[
        Path | None, typer.Option("--processed", help="Folder of the processed tables (default data/processed).")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder of the HTML reports (default reports/).")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="First day included, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last day included, YYYY-MM-DD.")] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only this source, as named in the data (repeatable).")
    ] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", help="Only this language, ISO 639 code (repeatable).")
    ] = None,
    period: Annotated[
        str, typer.Option("--period", help="Time unit of the charts: day, week, month, quarter, year.")
    ] = "month",
    include_duplicates: Annotated[
        bool, typer.Option("--include-duplicates", help="Count syndicated copies as articles of their own.")
    ] = False,
    kwic_term: Annotated[
        list[str] | None,
        typer.Option("--kwic-term", help="Term or phrase shown in context in the keywords report (repeatable)."),
    ] = None,
    notebook: Annotated[
        list[str] | None, typer.Option("--notebook", help="Only this report, e.g. 03_countries (repeatable).")
    ] = None,
) -> None:
    """Run the notebooks on a build and write self-contained HTML reports (open reports/index.html)."""
    from analysis.report import ReportError, params_from, render_reports

    try:
        params = params_from(
            since=since,
            until=until,
            sources=source or None,
            languages=language or None,
            period=period,
            include_duplicates=include_duplicates,
            kwic_terms=kwic_term or None,
        )
    except ReportError as exc:
        raise _fail(str(exc)) from exc  # bad option: exit 2
    paths = Paths.from_root()
    try:
        written = render_reports(
            processed or paths.processed,
            out_dir or paths.reports,
            params,
            notebooks=notebook or None,
            progress=lambda m: err.print(m, highlight=False),
        )
    except ReportError as exc:
        raise _fail(str(exc), code=1) from exc  # no build / empty selection / a notebook failed
    for path in written:
        out.print(str(path), highlight=False)


@app.command()
def formats() -> None:
    """List the raw formats that can be loaded (built-in and registered by plugins)."""
    table = Table("name", "extensions", "description")
    for spec in loaders().values():
        table.add_row(spec.name, " ".join(spec.extensions) or "(by content)", spec.description)
    out.print(table)


@app.command()
def validate(
    path: Annotated[
        Path,
        typer.Argument(
            help="An article table (articles.parquet: a file or a folder of parts), or a folder holding one."
        ),
    ],
) -> None:
    """Check an article table against the contract (columns, types, ids, required values)."""
    from analysis.io.store import is_table, open_parquet, table_in

    target = table_in(path, ARTICLES_FILE)
    if not is_table(target):
        raise _fail(f"not found: {target}")
    try:
        raw_table = open_parquet(target).read()
        columns = CLEAN_COLUMNS if "duplicate_of" in raw_table.column_names else ARTICLE_COLUMNS
        table = validate_articles(raw_table, columns=columns)
    except ValidationError as exc:
        raise _fail(f"{target}: {exc}", code=1) from exc
    out.print(f"{target}: {table.num_rows} articles, valid")


@app.command("show-config")
def show_config() -> None:
    """Print the effective options (defaults + analysis.toml + --config) and the files they came from."""
    options, _ = _options()
    out.print("# from: " + ", ".join(options.sources), highlight=False)
    out.print(_to_toml(dict(options.raw)), highlight=False, markup=False)


@app.command()
def columns() -> None:
    """Describe the article table's columns (name, type, meaning)."""
    table = Table("column", "type", "null", "meaning")
    for column in ARTICLE_COLUMNS:
        table.add_row(column.name, str(column.type), "yes" if column.nullable else "no", column.meaning)
    out.print(table)


def _to_toml(data: dict[str, object], prefix: str = "") -> str:
    import json

    lines: list[str] = []
    tables: list[tuple[str, dict[str, object]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((f"{prefix}{key}", value))
        else:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    text = "\n".join(lines)
    for name, table in tables:
        text += f"\n\n[{name}]\n" + _to_toml(table, f"{name}.")
    return text.strip("\n")


def main() -> None:
    """Entry point of the console script."""
    from analysis.engine import return_large_blocks

    return_large_blocks()  # every command's stages in this process: freed arrays go back at once
    try:
        app()
    except tomllib.TOMLDecodeError as exc:  # pragma: no cover - config errors are ConfigError
        err.print(f"error: {exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
