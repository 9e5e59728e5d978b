from pathlib import Path

import pytest

from analysis.config import ConfigError, Paths, find_project_root, load_options
from tests.conftest import ROOT


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_come_from_the_project_root():
    paths = Paths.from_root(ROOT)
    assert paths.raw == ROOT / "data" / "raw"
    assert paths.processed == ROOT / "data" / "processed"
    assert paths.reports == ROOT / "reports"
    assert paths.notebooks == ROOT / "notebooks"
    assert find_project_root(ROOT / "src" / "analysis") == ROOT


def test_root_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    assert find_project_root() == tmp_path.resolve()


def test_defaults_load(options):
    assert options.ingest.batch_size == 2000
    assert "title" in options.ingest.fields and "headline" in options.ingest.fields["title"]


def test_overlay_merges_table_by_table(tmp_path):
    overlay = write(
        tmp_path / "a.toml",
        '[ingest]\nbatch_size = 10\ndefault_timezone = "Africa/Casablanca"\n[ingest.field_map]\ntitle = "Headline Text"\n',
    )
    options = load_options(overlay, use_user_config=False)
    assert options.ingest.batch_size == 10
    assert str(options.ingest.default_timezone) == "Africa/Casablanca" and not options.ingest.outlet_clocks
    default = load_options(use_user_config=False).ingest
    assert (str(default.default_timezone), default.outlet_clocks) == ("UTC", True)  # `outlet`: the outlet's clock
    assert options.ingest.field_map == {"title": "Headline Text"}
    assert options.ingest.max_file_mb == 50  # untouched defaults stay
    assert options.sources[-1] == str(overlay)


def test_stopwords_and_lemmas_of_the_tokens_section(tmp_path):
    overlay = write(
        tmp_path / "a.toml",
        '[tokens.stopwords]\nfr = ["sous réserve"]\n[tokens.lemmas]\nfr = { "couverte" = "couverte" }\n',
    )
    options = load_options(overlay, use_user_config=False).tokens
    assert options.extra_stopwords == {"fr": ("sous réserve",)}
    assert options.extra_lemmas == {"fr": {"couverte": "couverte"}}


def test_user_config_at_project_root_is_read(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src" / "analysis").mkdir(parents=True)
    write(tmp_path / "analysis.toml", "[ingest]\nexcerpt_chars = 50\n")
    options = load_options(paths=Paths.from_root(tmp_path))
    assert options.ingest.excerpt_chars == 50


def test_outlets_file_and_option(tmp_path):
    """data/outlets.toml read into the ingest options (each domain once, valid codes), the
    option's entries added over it."""
    import tomllib

    from analysis.config import OUTLETS_FILE

    listed = tomllib.loads(OUTLETS_FILE.read_text(encoding="utf-8"))
    domains = [domain for codes in listed.values() for domain in codes]
    assert len(domains) == len(set(domains)) > 200
    overlay = write(tmp_path / "o.toml", '[ingest.outlets]\n"www.MonJournal.com" = "sn"\n"hespress.com" = "FR"\n')
    outlets = load_options(overlay, use_user_config=False).ingest.outlets
    assert outlets["monjournal.com"] == "SN" and outlets["hespress.com"] == "FR"
    assert outlets["arabnews.com"] == "SA" and len(outlets) == len(domains) + 1


def test_outlet_names_file_and_option(tmp_path):
    """data/outlet_names.toml read into the ingest options by each name's key (folded, letters,
    digits and `+` only, without a leading `The`), each under one country; the option's entries
    added over it."""
    from analysis.config import outlet_name_key

    overlay = write(tmp_path / "o.toml", '[ingest.outlet_names]\n"Mon Journal" = "sn"\n"Le Temps" = "TN"\n')
    names = load_options(overlay, use_user_config=False).ingest.outlet_names
    assert names["monjournal"] == "SN" and names["letemps"] == "TN"
    assert names["lefigaro"] == "FR" == names[outlet_name_key("Le Figaro")]
    assert names["lapresse+"] == "CA" and "lapresse" not in names
    assert outlet_name_key("The Guardian (London)") == "guardian"
    assert outlet_name_key("The Guardian (London)", whole=True) == "guardianlondon"
    assert len(names) > 300


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[ingest]\nbatch_sise = 10\n", "unknown option 'ingest.batch_sise'"),
        ("[ingest]\nbatch_size = 'ten'\n", "option 'ingest.batch_size' must be of type int"),
        ("[ingest]\nignore = '*.md'\n", "option 'ingest.ignore' must be a list"),
        ("[ingest]\ndefault_timezone = 'Mars/Olympus'\n", "unknown timezone 'Mars/Olympus'"),
        ("[ingest.field_map]\nheadline = 'x'\n", "unknown article field 'headline'"),
        ("[ingest.paths]\npatterns = ['(unclosed']\n", "bad regular expression"),
        ("[ingest\n", "not valid TOML"),
        ("[ingest]\nbatch_size = 0\n", "must be at least 1"),
        ("[countries]\nhome_country = 'ZZ'\n", "countries.home_country: 'ZZ' is no ISO 3166-1 alpha-2 code"),
        ("[ingest.outlets]\n'mon journal' = 'SN'\n", "option 'ingest.outlets': 'mon journal' is not a web domain"),
        ("[ingest.outlets]\n'x.sn' = 'Senegal'\n", "option 'ingest.outlets': 'x.sn': 'Senegal' is no ISO 3166-1"),
        ("[ingest.outlet_names]\n'Mon Journal' = 'Senegal'\n", "'Mon Journal': 'Senegal' is no ISO 3166-1"),
    ],
)
def test_bad_options_are_refused_with_file_and_key(tmp_path, content, message):
    overlay = write(tmp_path / "bad.toml", content)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_options(overlay, use_user_config=False)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_options(tmp_path / "nope.toml", use_user_config=False)


def test_every_stage_options_defaults_are_defaults_toml():
    """A stage's options made in code (``LanguageOptions()``, ``CountryOptions()``: tests, scripts,
    notebooks) are those defaults.toml gives: the language lists are kept in both places."""
    import dataclasses

    options = load_options(use_user_config=False)
    for field in dataclasses.fields(options):
        loaded = getattr(options, field.name)
        if not dataclasses.is_dataclass(loaded) or field.name == "ingest":  # (ingest's has no defaults)
            continue
        made = type(loaded)()
        assert [f.name for f in dataclasses.fields(loaded) if getattr(loaded, f.name) != getattr(made, f.name)] == [], (
            field.name
        )
