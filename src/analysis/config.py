"""Project paths and analysis options.

Every path the project uses comes from :class:`Paths`, built from the project root. Every knob
comes from :class:`Options`, loaded once from the checked-in defaults (``defaults.toml`` in this
package), then the user's overlay (``analysis.toml`` at the project root, when present), then any
``--config FILE`` given on the command line. Overlays are merged table by table; a key the
defaults do not know is an error, so a typo never passes silently.
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from analysis.boilerplate import BoilerplateOptions
from analysis.cache import CacheOptions
from analysis.countries import CountryOptions, alpha_2_codes
from analysis.duplicates import DuplicateOptions
from analysis.keywords import KeywordOptions
from analysis.language import LanguageOptions
from analysis.text import fold
from analysis.tokens import TokenOptions
from analysis.topics import TopicOptions

DEFAULTS_FILE = Path(__file__).with_name("defaults.toml")
#: Outlets' countries by domain (see the file's header); ``[ingest.outlets]`` adds to it.
OUTLETS_FILE = Path(__file__).parent / "data" / "outlets.toml"
#: Outlets' countries by name, for articles without URL (see the file's header); ``[ingest.outlet_names]`` adds to it.
OUTLET_NAMES_FILE = Path(__file__).parent / "data" / "outlet_names.toml"
USER_CONFIG_NAME = "analysis.toml"
#: Tables whose keys are free (user mappings), not checked against the defaults.
_OPEN_TABLES = {
    ("ingest", "field_map"),
    ("ingest", "outlets"),
    ("ingest", "outlet_names"),
    ("tokens", "stopwords"),
    ("tokens", "lemmas"),
    ("countries", "extra_aliases"),
    ("countries", "extra_demonyms"),
    ("topics", "themes"),
}
#: Article fields that ``[ingest.fields]`` and ``field_map`` may name.
MAPPABLE_FIELDS = (
    "title",
    "text",
    "published",
    "url",
    "source",
    "source_country",
    "language",
    "tags",
    "author",
    "fetched",
    "record_id",
)


class ConfigError(ValueError):
    """A bad option or configuration file; the message names the file and the key."""


def find_project_root(start: Path | None = None) -> Path:
    """Return the project root: ``$ANALYSIS_ROOT``, else the nearest folder holding the project."""
    env = os.environ.get("ANALYSIS_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "src" / "analysis").is_dir():
            return folder
    # An installed (not editable) package run outside a checkout: work in the current folder.
    package_root = Path(__file__).resolve().parents[2]
    if (package_root / "pyproject.toml").is_file():
        return package_root
    return here


@dataclass(frozen=True)
class Paths:
    """Every folder of the project, from its root."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def interim(self) -> Path:
        return self.data / "interim"

    @property
    def processed(self) -> Path:
        return self.data / "processed"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def user_config(self) -> Path:
        return self.root / USER_CONFIG_NAME

    @classmethod
    def from_root(cls, root: Path | None = None) -> Paths:
        return cls(root=(root or find_project_root()).resolve())


@dataclass(frozen=True)
class ScrapedTextOptions:
    placeholders: frozenset[str]
    tag_lines: tuple[re.Pattern[str], ...]
    header_keys: frozenset[str]
    #: page furniture before the headline (a cookie banner, its button, a breadcrumb): skipped
    skip_lines: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class ErrorPageOptions:
    max_chars: int
    titles: tuple[re.Pattern[str], ...]
    texts: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class HtmlExportOptions:
    """How an HTML file holding several articles is recognised and split (``[ingest.html_exports]``)."""

    enabled: bool = False
    min_articles: int = 2
    min_body_chars: int = 300
    min_coverage: float = 0.6
    containers: frozenset[str] = frozenset({"article"})
    title_words: frozenset[str] = frozenset()
    date_words: frozenset[str] = frozenset()
    source_words: frozenset[str] = frozenset()
    author_words: frozenset[str] = frozenset()
    max_meta_chars: int = 200
    single_page_words: frozenset[str] = frozenset()
    header_words: frozenset[str] = frozenset()
    footer_words: frozenset[str] = frozenset()
    date_lines: tuple[re.Pattern[str], ...] = ()
    source_lines: tuple[re.Pattern[str], ...] = ()
    author_lines: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class AuthorOptions:
    """How an author field is read as names (``[ingest.authors]``; :mod:`analysis.io.authors`)."""

    #: words before a name that say whose it is (`Par`, `Written by`), compared ignoring case
    cues: tuple[str, ...] = ()
    #: values that name no one (a CMS's accounts: `admin`), lower-cased
    not_names: frozenset[str] = frozenset()
    #: words joining two names (`et`, `and`, `&`)
    joiners: tuple[str, ...] = ()
    #: words opening a bracket after a name that names who wrote with the author (`(avec AFP)`)
    company: tuple[str, ...] = ()


@dataclass(frozen=True)
class IngestOptions:
    batch_size: int
    max_file_mb: float
    default_timezone: ZoneInfo
    ignore: tuple[str, ...]
    include: tuple[str, ...]
    sidecar_suffix: str
    folder_meta: str
    max_replacement_ratio: float
    excerpt_chars: int
    max_title_chars: int
    plugins: tuple[str, ...]
    fields: Mapping[str, tuple[str, ...]]
    field_map: Mapping[str, str]
    scraped_text: ScrapedTextOptions
    path_patterns: tuple[re.Pattern[str], ...]
    error_pages: ErrorPageOptions
    country_from_url: bool = True
    generic_domains: frozenset[str] = frozenset()
    #: outlet domain -> ISO 3166-1 alpha-2 code (data/outlets.toml, then ``[ingest.outlets]``)
    outlets: Mapping[str, str] = field(default_factory=dict)
    #: outlet name (its key: see :func:`outlet_name_key`) -> ISO 3166-1 alpha-2 code
    #: (data/outlet_names.toml, then ``[ingest.outlet_names]``)
    outlet_names: Mapping[str, str] = field(default_factory=dict)
    page_assets: tuple[str, ...] = ()
    #: file name endings of archives whose members are read as a folder's files
    archives: tuple[str, ...] = ()
    html_exports: HtmlExportOptions = field(default_factory=HtmlExportOptions)
    #: a timestamp written without a zone is its outlet's country's clock where the country keeps
    #: one (``default_timezone = "outlet"``, then ``default_timezone`` is UTC for the others);
    #: ``False`` when a zone is named: every such timestamp is read in it
    outlet_clocks: bool = True
    #: words before a field's name that name the record's kind (``post`` of ``post_title``), as keys
    field_prefixes: tuple[str, ...] = ()
    #: the names of a record's status field and of its kind field, as keys, and the values of each
    #: that make the record no published article (``[ingest.not_articles]``)
    status_fields: tuple[str, ...] = ()
    unpublished: frozenset[str] = frozenset()
    kind_fields: tuple[str, ...] = ()
    not_article_kinds: frozenset[str] = frozenset()
    authors: AuthorOptions = field(default_factory=AuthorOptions)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


@dataclass(frozen=True)
class OutputOptions:
    csv: bool = False


@dataclass(frozen=True)
class Options:
    """All analysis options, loaded once and passed explicitly to every stage."""

    ingest: IngestOptions
    boilerplate: BoilerplateOptions = field(default_factory=BoilerplateOptions)
    language: LanguageOptions = field(default_factory=LanguageOptions)
    duplicates: DuplicateOptions = field(default_factory=DuplicateOptions)
    tokens: TokenOptions = field(default_factory=TokenOptions)
    output: OutputOptions = field(default_factory=OutputOptions)
    cache: CacheOptions = field(default_factory=CacheOptions)
    countries: CountryOptions = field(default_factory=CountryOptions)
    keywords: KeywordOptions = field(default_factory=KeywordOptions)
    topics: TopicOptions = field(default_factory=TopicOptions)
    sources: tuple[str, ...] = field(default=())  # files the options were read from, in order
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)  # merged TOML

    def with_ingest(self, **changes: Any) -> Options:
        """Return a copy with some ingest options replaced (used by command-line flags)."""
        from dataclasses import replace

        return replace(self, ingest=replace(self.ingest, **changes))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: configuration file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def _merge(base: dict[str, Any], overlay: Mapping[str, Any], origin: Path, trail: tuple[str, ...] = ()) -> None:
    """Merge ``overlay`` into ``base`` in place, refusing keys ``base`` does not know."""
    for key, value in overlay.items():
        where = (*trail, key)
        if trail in _OPEN_TABLES:
            base[key] = value
            continue
        if key not in base:
            raise ConfigError(f"{origin}: unknown option {'.'.join(where)!r}")
        current = base[key]
        if isinstance(current, dict):
            if not isinstance(value, Mapping):
                raise ConfigError(f"{origin}: option {'.'.join(where)!r} must be a table")
            _merge(current, value, origin, where)
        else:
            if isinstance(current, list) and not isinstance(value, list):
                raise ConfigError(f"{origin}: option {'.'.join(where)!r} must be a list")
            if (
                isinstance(current, bool) != isinstance(value, bool)
                or (isinstance(current, (int, float)) and not isinstance(value, (int, float)))
                or (isinstance(current, str) and not isinstance(value, str))
            ):
                raise ConfigError(f"{origin}: option {'.'.join(where)!r} must be of type {type(current).__name__}")
            base[key] = value


def _compile(patterns: list[str], origin: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise ConfigError(f"{origin}: bad regular expression {pattern!r}: {exc}") from exc
    return tuple(compiled)


def timezone_option(value: str) -> tuple[ZoneInfo, bool]:
    """``ingest.default_timezone`` (or ``--timezone``): the zone of timestamps written without one,
    and whether their outlet's country's clock comes first (``outlet``: then UTC for the others).

    Raises:
        ZoneInfoNotFoundError, ValueError: not ``outlet`` nor a zone's name.
    """
    if value.strip().lower() == "outlet":
        return ZoneInfo("UTC"), True
    return ZoneInfo(value), False


def _build(raw: dict[str, Any]) -> IngestOptions:
    ing = raw["ingest"]
    try:
        tz, outlet_clocks = timezone_option(ing["default_timezone"])
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"option 'ingest.default_timezone': unknown timezone {ing['default_timezone']!r}") from exc
    fields = {name: tuple(aliases) for name, aliases in ing["fields"].items()}
    for name in ing["field_map"]:
        if name not in MAPPABLE_FIELDS:
            raise ConfigError(
                f"option 'ingest.field_map': unknown article field {name!r} (one of {', '.join(MAPPABLE_FIELDS)})"
            )
    if ing["batch_size"] < 1:
        raise ConfigError("option 'ingest.batch_size' must be at least 1")
    scraped = ing["scraped_text"]
    errors = ing["error_pages"]
    return IngestOptions(
        batch_size=int(ing["batch_size"]),
        max_file_mb=float(ing["max_file_mb"]),
        default_timezone=tz,
        outlet_clocks=outlet_clocks,
        ignore=tuple(ing["ignore"]),
        include=tuple(ing["include"]),
        sidecar_suffix=ing["sidecar_suffix"],
        folder_meta=ing["folder_meta"],
        max_replacement_ratio=float(ing["max_replacement_ratio"]),
        excerpt_chars=int(ing["excerpt_chars"]),
        max_title_chars=int(ing["max_title_chars"]),
        plugins=tuple(ing["plugins"]),
        fields=fields,
        field_map={k: str(v) for k, v in ing["field_map"].items()},
        scraped_text=ScrapedTextOptions(
            placeholders=frozenset(p.lower() for p in scraped["placeholders"]),
            tag_lines=_compile(scraped["tag_lines"], "ingest.scraped_text.tag_lines"),
            header_keys=frozenset(k.lower() for k in scraped["header_keys"]),
            skip_lines=_compile(scraped["skip_lines"], "ingest.scraped_text.skip_lines"),
        ),
        path_patterns=_compile(ing["paths"]["patterns"], "ingest.paths.patterns"),
        error_pages=ErrorPageOptions(
            max_chars=int(errors["max_chars"]),
            titles=_compile(errors["titles"], "ingest.error_pages.titles"),
            texts=_compile(errors["texts"], "ingest.error_pages.texts"),
        ),
        country_from_url=bool(ing["country_from_url"]),
        generic_domains=frozenset(d.lower().lstrip(".") for d in ing["generic_domains"]),
        outlets=_outlets(ing["outlets"]),
        outlet_names=_outlet_names(ing.get("outlet_names", {})),
        page_assets=tuple(ing["page_assets"]),
        archives=tuple(str(a).lower() for a in ing["archives"]),
        html_exports=_html_exports(ing["html_exports"]),
        field_prefixes=_keys(ing["field_prefixes"]),
        status_fields=_keys(ing["not_articles"]["status"]),
        unpublished=frozenset(_keys(ing["not_articles"]["unpublished"])),
        kind_fields=_keys(ing["not_articles"]["kind"]),
        not_article_kinds=frozenset(_keys(ing["not_articles"]["kinds"])),
        authors=AuthorOptions(
            cues=tuple(str(w) for w in ing["authors"]["cues"]),
            not_names=frozenset(str(w).lower() for w in ing["authors"]["not_names"]),
            joiners=tuple(str(w) for w in ing["authors"]["joiners"]),
            company=tuple(str(w) for w in ing["authors"]["company"]),
        ),
    )


def _keys(names: Sequence[str]) -> tuple[str, ...]:
    """Names (or values) as record field names are compared: see :func:`analysis.io.registry.norm_key`."""
    from analysis.io.registry import norm_key

    return tuple(dict.fromkeys(key for key in (norm_key(str(name)) for name in names) if key))


def _html_exports(table: Mapping[str, Any]) -> HtmlExportOptions:
    """``[ingest.html_exports]`` as options; class words lower-cased, line patterns compiled."""
    if table["min_articles"] < 2:
        raise ConfigError("option 'ingest.html_exports.min_articles' must be at least 2")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in table[key])

    return HtmlExportOptions(
        enabled=bool(table["enabled"]),
        min_articles=int(table["min_articles"]),
        min_body_chars=int(table["min_body_chars"]),
        min_coverage=float(table["min_coverage"]),
        containers=words("containers"),
        title_words=words("title_words"),
        date_words=words("date_words"),
        source_words=words("source_words"),
        author_words=words("author_words"),
        max_meta_chars=int(table["max_meta_chars"]),
        single_page_words=words("single_page_words"),
        header_words=words("header_words"),
        footer_words=words("footer_words"),
        date_lines=_compile(table["date_lines"], "ingest.html_exports.date_lines"),
        source_lines=_compile(table["source_lines"], "ingest.html_exports.source_lines"),
        author_lines=_compile(table["author_lines"], "ingest.html_exports.author_lines"),
    )


_DOMAIN = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")


def _outlets(overlay: Mapping[str, Any]) -> dict[str, str]:
    """Domain -> country of the outlets file, with the options' ``[ingest.outlets]`` over it;
    a domain or a code that is not one is an error naming where it was read."""
    table = _read_toml(OUTLETS_FILE)
    pairs = [(domain, code, str(OUTLETS_FILE)) for code, domains in table.items() for domain in domains]
    pairs += [(domain, code, "option 'ingest.outlets'") for domain, code in overlay.items()]
    outlets: dict[str, str] = {}
    for domain, code, origin in pairs:
        name = str(domain).strip().lower().removeprefix("www.")
        if not _DOMAIN.match(name):
            raise ConfigError(f"{origin}: {domain!r} is not a web domain (such as 'hespress.com')")
        if not isinstance(code, str) or code.strip().upper() not in alpha_2_codes():
            raise ConfigError(f"{origin}: {domain!r}: {code!r} is no ISO 3166-1 alpha-2 code (such as 'MA')")
        if name in outlets and origin == str(OUTLETS_FILE):
            raise ConfigError(f"{origin}: {domain!r} is listed twice")
        outlets[name] = code.strip().upper()
    return outlets


#: a leading article and an edition or bracketed part, which an outlet's name key leaves out
_NAME_EXTRAS = re.compile(r"^\s*the\s+|\s+(?:-|–|—)\s+.*$|\s*\([^()]*\)\s*$", re.I)


def outlet_name_key(name: str, *, whole: bool = False) -> str:
    """An outlet's name as compared: folded, letters, digits and ``+`` only, without a leading ``The``
    and (unless ``whole``) a bracketed part or an edition after `` - `` (``The Guardian (London)``:
    ``guardian``; ``whole``: ``guardianlondon``)."""
    name = re.sub(r"^\s*the\s+", "", name, flags=re.I) if whole else _NAME_EXTRAS.sub("", _NAME_EXTRAS.sub("", name))
    return re.sub(r"[^\w+]+|_", "", fold(name))  # `La Presse+` (Montreal's) is not `La Presse`


def _outlet_names(overlay: Mapping[str, Any]) -> dict[str, str]:
    """Outlet name key -> country of the outlet names file, with ``[ingest.outlet_names]`` over it; a
    name given two countries there, or a code that is not one, is an error naming where it was read."""
    table = _read_toml(OUTLET_NAMES_FILE)
    pairs = [(name, code, str(OUTLET_NAMES_FILE)) for code, names in table.items() for name in names]
    pairs += [(name, code, "option 'ingest.outlet_names'") for name, code in overlay.items()]
    names: dict[str, str] = {}
    for name, code, origin in pairs:
        key = outlet_name_key(str(name), whole=True)
        if not key:
            raise ConfigError(f"{origin}: {name!r} is no outlet's name")
        if not isinstance(code, str) or code.strip().upper() not in alpha_2_codes():
            raise ConfigError(f"{origin}: {name!r}: {code!r} is no ISO 3166-1 alpha-2 code (such as 'MA')")
        if names.get(key, code.strip().upper()) != code.strip().upper() and origin == str(OUTLET_NAMES_FILE):
            raise ConfigError(f"{origin}: {name!r} is listed under two countries")
        names[key] = code.strip().upper()
    return names


def load_options(*overlays: Path | None, paths: Paths | None = None, use_user_config: bool = True) -> Options:
    """Load the defaults, then the project's ``analysis.toml``, then each overlay given.

    Raises:
        ConfigError: a file is missing or malformed, or sets an unknown or mistyped option.
    """
    raw = _read_toml(DEFAULTS_FILE)
    used = [DEFAULTS_FILE]
    candidates: list[Path] = []
    if use_user_config:
        user = (paths or Paths.from_root()).user_config
        if user.is_file():
            candidates.append(user)
    candidates.extend(p for p in overlays if p is not None)
    for path in candidates:
        _merge(raw, _read_toml(path), path)
        used.append(path)
    return Options(
        ingest=_build(raw),
        boilerplate=_section(BoilerplateOptions, raw["boilerplate"], "boilerplate"),
        language=_section(LanguageOptions, raw["language"], "language"),
        duplicates=_section(DuplicateOptions, raw["duplicates"], "duplicates"),
        tokens=_section(
            TokenOptions,
            {k: v for k, v in raw["tokens"].items() if k not in ("stopwords", "lemmas")}
            | {"extra_stopwords": raw["tokens"]["stopwords"], "extra_lemmas": raw["tokens"]["lemmas"]},
            "tokens",
        ),
        output=_section(OutputOptions, raw["output"], "output"),
        cache=_section(CacheOptions, raw["cache"], "cache"),
        countries=_section(
            CountryOptions,
            raw["countries"] | {"home_country": raw["countries"]["home_country"] or None},
            "countries",
        ),
        keywords=_section(KeywordOptions, raw["keywords"], "keywords"),
        topics=_section(TopicOptions, raw["topics"], "topics"),
        sources=tuple(str(p) for p in used),
        raw=raw,
    )


def _section(kind: Any, values: Mapping[str, Any], name: str) -> Any:
    """A stage's options dataclass from its TOML table (lists become tuples)."""
    converted = {}
    for key, value in values.items():
        if isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, dict):
            value = {k: tuple(v) if isinstance(v, list) else v for k, v in value.items()}
        converted[key] = value
    try:
        return kind(**converted)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"options [{name}]: {exc}") from exc


@cache
def git_commit(root: Path | None = None) -> str:
    """The project's current commit (``git rev-parse HEAD``, read only), or ``unknown``.

    Args:
        root: the project root (default: :meth:`Paths.from_root`).
    """
    folder = root or Paths.from_root().root
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and re.fullmatch(r"[0-9a-f]{40,64}", commit) else "unknown"
