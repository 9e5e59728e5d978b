"""The sources file: validation errors name the file and the key; the shipped file loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import __version__
from analysis.collect import DEFAULT_SOURCES, CollectSettings, SourcesError, load_sources

GOOD_SOURCE = """
[[sources]]
name = "hespress-fr"
language = "fr"
country = "ma"
feeds = ["https://fr.hespress.com/feed"]
include = ['/\\d+-']
delay = 3
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file(tmp_path: Path) -> None:
    loaded = load_sources(write(tmp_path, '[collector]\ncontact = "mailto:me@example.org"\ndelay = 1\n' + GOOD_SOURCE))
    (source,) = loaded.sources
    assert (source.name, source.language, source.country, source.delay) == ("hespress-fr", "fr", "MA", 3.0)
    assert source.feeds == ("https://fr.hespress.com/feed",)
    assert source.wants("https://fr.hespress.com/123-titre.html")
    assert not source.wants("https://fr.hespress.com/videos")
    assert loaded.settings.delay == 1.0
    assert loaded.settings.user_agent() == f"news-corpus-analysis/{__version__} (+mailto:me@example.org)"


def test_overrides_replace_file_settings(tmp_path: Path) -> None:
    loaded = load_sources(write(tmp_path, "[collector]\ndelay = 5\n" + GOOD_SOURCE), {"delay": 0, "retries": 1})
    assert (loaded.settings.delay, loaded.settings.retries) == (0.0, 1)
    assert loaded.settings.timeout == CollectSettings().timeout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[collector]\ndelai = 1\n" + GOOD_SOURCE, "unknown key 'collector.delai'"),
        ('[collector]\ndelay = "2s"\n' + GOOD_SOURCE, "'collector.delay' must be a number"),
        ("[collector]\nworkers = 0\n" + GOOD_SOURCE, "'collector.workers' must be at least 1"),
        ("[collector]\ntimeout = -1\n" + GOOD_SOURCE, "'collector.timeout' must not be negative"),
        ("[collector]\nretries = true\n" + GOOD_SOURCE, "'collector.retries' must be an integer"),
        (GOOD_SOURCE.replace("delay = 3", "feedz = []"), r"unknown key 'sources\[0\] \(hespress-fr\)\.feedz'"),
        (GOOD_SOURCE.replace('country = "ma"', 'country = "Maroc"'), r"'sources\[0\] \(hespress-fr\)\.country'"),
        (GOOD_SOURCE.replace('country = "ma"', 'country = "zz"'), r"alpha-2 code such as 'MA': 'ZZ'"),
        (
            GOOD_SOURCE.replace('country = "ma"', "country = 212"),
            r"'sources\[0\] \(hespress-fr\)\.country' must be a string",
        ),
        (GOOD_SOURCE.replace('country = "ma"\n', ""), "lacks the required key 'country'"),
        (GOOD_SOURCE.replace('"https://fr.hespress.com/feed"', '"ftp://x.org/feed"'), "not an http\\(s\\) URL"),
        (GOOD_SOURCE.replace('["https://fr.hespress.com/feed"]', '"https://fr.hespress.com/feed"'), "must be a list"),
        (GOOD_SOURCE.replace('feeds = ["https://fr.hespress.com/feed"]', "feeds = []"), "at least one URL"),
        (GOOD_SOURCE.replace("'/\\d+-'", "'(unclosed'"), "bad regular expression"),
        (GOOD_SOURCE.replace('"hespress-fr"', '"Hespress FR"'), "lower-case slug"),
        (GOOD_SOURCE.replace("delay = 3", 'delay = "slow"'), "non-negative number"),
        (GOOD_SOURCE + GOOD_SOURCE, "'hespress-fr' is used twice"),
        ("[collector]\n", "no \\[\\[sources\\]\\] table"),
        ("[source]\nname = 1\n", "unknown key 'source'"),
        ("[[sources]\n", "not valid TOML"),
    ],
)
def test_errors_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SourcesError, match=message) as caught:
        load_sources(path)
    assert str(caught.value).startswith(str(path))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="sources file not found"):
        load_sources(tmp_path / "nope.toml")


def test_shipped_sources_file() -> None:
    loaded = load_sources(DEFAULT_SOURCES)
    names = [s.name for s in loaded.sources]
    assert len(names) >= 10
    assert {"hespress-fr", "le360", "medias24", "telquel", "jeune-afrique", "rfi-afrique"} <= set(names)
    assert {s.country for s in loaded.sources} >= {"MA", "FR"}
    assert all(s.feeds or s.sitemaps for s in loaded.sources)
    assert loaded.settings.delay >= 1.0  # polite by default
