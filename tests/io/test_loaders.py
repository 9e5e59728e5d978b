"""Each loader on tiny inputs written here, with exact expectations."""

from __future__ import annotations

import html
import importlib
import json
from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.io.helpers import row, run, write

SCRAPED = """thumb

Le Maroc accueille un forum sur l’eau : 300 experts à Rabat

Rabat a accueilli mardi un forum régional consacré au stress hydrique.

Lire Aussi : La sécheresse frappe le Maghreb

Les participants ont plaidé pour le dessalement.

Découvrir davantage...

  1. Rejoignez notre page Facebook

Mots Clés : Eau | Sécheresse | Rabat .


| | Autre titre | | Encore un titre
"""


def test_scraped_text_headline_body_and_tags(tmp_path, ingest_options):
    path = write(tmp_path / "in" / "eau.txt", SCRAPED)
    df, rejects, _ = run(path, tmp_path / "out", ingest_options)
    assert rejects == []
    art = df.iloc[0]
    assert art.title == "Le Maroc accueille un forum sur l’eau : 300 experts à Rabat"
    assert list(art.tags) == ["Eau", "Sécheresse", "Rabat"]
    assert art.text.startswith("Rabat a accueilli mardi")
    assert "Lire Aussi : La sécheresse" in art.text  # junk removal is the cleaner's job
    assert art.text.endswith("| | Autre titre | | Encore un titre")
    assert art.raw_format == "scraped_text" and art.raw_index == 0


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("https://www.lesechos.fr/monde/1959621\nhttps://www.geo.fr/environnement-215858\n\nwww.afd.fr/fr/a\n", 3),
        ("# pages du corpus\n1. https://kapitalis.com/tunisie/2023/12/04/rapport/\n2) <http://rts.ch/info/1399>\n", 2),
        ("  https://fr.wikipedia.org/wiki/S%C3%A9curit%C3%A9_alimentaire  \n", 1),
    ],
)
def test_a_list_of_links_is_no_article(tmp_path, ingest_options, text, links):
    path = write(tmp_path / "in" / "urls.txt", text)
    df, rejects, stats = run(path, tmp_path / "out", ingest_options)
    assert df.empty and [r["reason"] for r in rejects] == ["link_list"]
    assert rejects[0]["detail"].startswith(f"{links} line")
    assert stats["records"]["read"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "Le Maroc et l'eau\n\nhttps://www.example.ma/eau\n\nRabat a accueilli un forum sur l'eau.\n",
        "https://www.example.ma/eau\nLire la suite sur https://www.example.ma/eau\n",
        "https://www.example.ma/eau https://www.example.ma/sel\n",
    ],
)
def test_a_text_with_links_and_words_is_read(tmp_path, ingest_options, text):
    df, rejects, _ = run(write(tmp_path / "in" / "a.txt", text), tmp_path / "out", ingest_options)
    assert rejects == [] and len(df) == 1


@pytest.mark.parametrize("placeholder", ["thumb", "image", "photo-une.jpg", "Publicité", ""])
def test_scraped_text_skips_placeholders(tmp_path, ingest_options, placeholder):
    path = write(tmp_path / "a.txt", f"{placeholder}\n\nTitre réel de l’article\n\nCorps du texte.\n")
    df, _, _ = run(path, tmp_path / "out", ingest_options)
    assert df.iloc[0].title == "Titre réel de l’article"
    assert df.iloc[0].text == "Corps du texte."


@pytest.mark.parametrize(
    "furniture",
    [
        # a cookie banner and its button (German press pages as scrapers keep them)
        "Wir verwenden Cookies und ähnliche Technologien. Mit Klick auf „Akzeptieren“ stimmen Sie zu.\n"
        "Akzeptieren und weiter",
        "We use cookies to improve your experience. By continuing you accept our policy.\nAccept all",
        # a breadcrumb, a menu, a section's name over the headline
        "Startseite Wirtschaft Konjunktur",
        "Home > World > Africa",
        "Menü\nSchweiz",
        # a section's name of two or three capitalised words under the site's name, a menu with the
        # site's name in it (the English world press audit: TOI, NZ Herald, Punch)
        "derStandard.at\nNews\nIndia News",
        "derStandard.at\nNew Zealand\nPolitics",
        "Home\nNews\nPolitics\nDer Standard",
        # the site's name: the URL's host, its name, the source line
        "derStandard.at",
        "NZZ",
        "Exemple Info",
    ],
)
def test_scraped_text_skips_page_furniture_before_the_headline(tmp_path, ingest_options, furniture):
    content = (
        "url: https://www.derstandard.at/story/1\nsource: Exemple Info\n\n"
        if furniture != "NZZ"
        else "url: https://www.nzz.ch/schweiz/a-1\n\n"
    )
    content += f"{furniture}\nRegierung in Wien plant Verschärfung des Asylrechts\nDer Text beginnt hier.\n"
    df, _, _ = run(write(tmp_path / "a.txt", content), tmp_path / "out", ingest_options)
    assert (df.iloc[0].title, df.iloc[0].text) == (
        "Regierung in Wien plant Verschärfung des Asylrechts",
        "Der Text beginnt hier.",
    )


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("Home Office: Regierung lockert die Regeln", "Home Office: Regierung lockert die Regeln"),
        ("Cookies: EU verschärft die Regeln", "Cookies: EU verschärft die Regeln"),
        ("Brexit", "Brexit"),  # one word over a short line: the headline itself
        ("Forbidden", "Forbidden"),  # over a sentence: an error page's title (rejected as such)
    ],
)
def test_scraped_text_headlines_like_furniture_stay(tmp_path, ingest_options, first, title):
    second = "Sie haben keine Berechtigung für diese Seite." if first == "Forbidden" else "Ein kurzer Satz"
    content = f"{first}\n{second}\n\nDer Text.\n"
    df, rejects, _ = run(write(tmp_path / "a.txt", content), tmp_path / "out", ingest_options)
    if first == "Forbidden":
        assert df.empty and [r["reason"] for r in rejects] == ["error_page"]
    else:
        assert df.iloc[0].title == title


def test_scraped_text_header_lines_give_metadata(tmp_path, ingest_options):
    content = "url: https://example.org/a/1\ndate: 2024-05-02 09:00\nsource: Exemple Info\n\nLe titre\n\nLe corps.\n"
    df, _, _ = run(write(tmp_path / "a.txt", content), tmp_path / "out", ingest_options)
    art = df.iloc[0]
    assert (art.url, art.source, art.title, art.text) == (
        "https://example.org/a/1",
        "Exemple Info",
        "Le titre",
        "Le corps.",
    )
    assert art.published == datetime(2024, 5, 2, 9, tzinfo=UTC)
    assert art.published_from == "record"


def test_scraped_text_title_header_keeps_the_first_body_line(tmp_path, ingest_options):
    content = "Title: A header block story\nDate: 3 December 2025\n\nThe body starts here.\nSecond line.\n"
    df, _, _ = run(write(tmp_path / "a.txt", content), tmp_path / "out", ingest_options)
    assert (df.iloc[0].title, df.iloc[0].text) == ("A header block story", "The body starts here.\nSecond line.")


def test_scraped_text_lynx_dump(tmp_path, ingest_options):
    dump = (
        "   #[1]alternate [2]Le Site RSS\n\n   [3]Aller au contenu\n\n"
        "                           Inondations dans le sud\n\n"
        "   Des pluies ont provoqué des inondations, selon les [4]autorités locales.\n\n"
        "References\n\n   1. https://site.example.com/rss\n   2. https://site.example.com/feed\n"
        "   3. https://site.example.com/#main\n   4. https://site.example.com/autorites\n"
    )
    df, _, _ = run(write(tmp_path / "a.txt", dump), tmp_path / "out", ingest_options)
    art = df.iloc[0]
    assert (art.title, art.text) == (
        "Inondations dans le sud",
        "Des pluies ont provoqué des inondations, selon les autorités locales.",
    )


def test_scraped_text_long_first_line_is_body_not_title(tmp_path, ingest_options):
    long_line = "Un paragraphe " * 40
    df, _, _ = run(write(tmp_path / "a.txt", long_line), tmp_path / "out", ingest_options)
    assert pd.isna(df.iloc[0].title)
    assert df.iloc[0].text == long_line.strip()


def test_jsonl_common_field_names(tmp_path, ingest_options):
    lines = [
        {
            "headline": "Titre A",
            "content": "Texte A",
            "pubDate": "Tue, 05 Mar 2024 10:00:00 +0100",
            "link": "https://a.example/1",
            "site": "Site A",
            "keywords": ["x", "y"],
            "lang": "fr-FR",
        },
        {
            "title": "Title B",
            "body": "Text B",
            "published": "2024-03-06T10:00:00Z",
            "url": "https://b.example/2",
            "publisher": "B",
            "tags": "p, q",
            "language": "English",
        },
        {
            "title": "Stories C",
            "article": "Text C",
            "publish_date": "2024-03-07 08:00:00",
            "stories_id": 42,
            "media_name": "Media C",
            "url": "https://c.example/3",
        },
        {
            "title": "Headline only",
            "text": "",
            "datetime": 1709800000,
            "source": {"id": "d", "name": "Source D"},
            # name-value pairs (NYT's keywords): their values
            "keywords": [{"name": "subject", "value": "Economy"}, {"name": "glocations", "value": "Morocco"}],
        },
    ]
    path = write(tmp_path / "x.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    df, rejects, stats = run(path, tmp_path / "out", ingest_options)
    assert rejects == [] and len(df) == 4
    a = row(df, title="Titre A")
    assert (a.text, a.url, a.source, a.language, list(a.tags)) == (
        "Texte A",
        "https://a.example/1",
        "Site A",
        "fr",
        ["x", "y"],
    )
    assert a.published == datetime(2024, 3, 5, 9, tzinfo=UTC)
    b = row(df, title="Title B")
    assert (b.source, b.language, list(b.tags)) == ("B", "en", ["p", "q"])
    c = row(df, title="Stories C")
    assert (c.text, c.source, c.record_id) == ("Text C", "Media C", "42")
    d = row(df, title="Headline only")
    assert pd.isna(d.text)
    assert d.source == "Source D" and list(d.tags) == ["Economy", "Morocco"]
    assert stats["records"] == {"read": 4, "kept": 4, "rejected": 0}


def test_jsonl_bad_lines_are_rejected_not_fatal(tmp_path, ingest_options):
    content = '{"title": "Bon", "text": "ok"}\n[1, 2]\n{"title": "", "text": ""}\n{"title": "Coup'
    df, rejects, stats = run(write(tmp_path / "x.jsonl", content), tmp_path / "out", ingest_options)
    assert list(df.title) == ["Bon"]
    assert [(r["raw_index"], r["reason"]) for r in rejects] == [
        (1, "not_an_object"),
        (2, "no_text"),
        (3, "invalid_json"),
    ]
    assert stats["records"] == {"read": 4, "kept": 1, "rejected": 3}


def test_jsonl_line_cut_inside_a_string_says_so(tmp_path, ingest_options):
    """A record cut off inside its text (an export interrupted mid-line) is an unterminated
    string, not the line break an `Invalid control character at at column`."""
    content = '{"title": "Bon", "text": "ok"}\n{"title": "Haushalt", "text": "Berlin – Der Bundestag hat besch\n'
    _, rejects, _ = run(write(tmp_path / "x.jsonl", content), tmp_path / "out", ingest_options)
    assert [(r["raw_index"], r["reason"], r["detail"]) for r in rejects] == [
        (1, "invalid_json", "line is not valid JSON: Unterminated string starting at column 31"),
    ]


def test_user_field_mapping(tmp_path, ingest_options):
    path = write(tmp_path / "x.jsonl", '{"Headline Text": "Mon titre", "Corps": "Mon texte", "when": "2024-01-02"}\n')
    options = ingest_options.__class__(
        **{
            **ingest_options.__dict__,
            "field_map": {"title": "Headline Text", "text": "Corps", "published": "when"},
        }
    )
    df, _, _ = run(path, tmp_path / "out", options)
    assert (df.iloc[0].title, df.iloc[0].text) == ("Mon titre", "Mon texte")
    assert df.iloc[0].published == datetime(2024, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    "document",
    [
        [{"title": "Un", "text": "1"}, {"title": "Deux", "text": "2"}],
        {
            "status": "ok",
            "totalResults": 2,
            "articles": [{"title": "Un", "description": "1"}, {"title": "Deux", "description": "2"}],
        },
        {
            "response": {
                "docs": [
                    {"headline": {"main": "Un"}, "abstract": "x", "lead_paragraph": "1"},
                    {"headline": {"main": "Deux"}, "lead_paragraph": "2"},
                ]
            }
        },
    ],
)
def test_json_arrays_found_wherever_they_are(tmp_path, ingest_options, document):
    df, rejects, _ = run(write(tmp_path / "x.json", json.dumps(document)), tmp_path / "out", ingest_options)
    assert rejects == []
    assert sorted(df.title) == ["Deux", "Un"]


HITS = [
    {
        "_index": "news",
        "_id": "a1",
        "_score": 1.0,
        "_source": {"title": "Un", "content": "1", "site": "Atlas Eco", "published_at": "2024-03-10T10:00:00Z"},
    },
    {
        "_index": "news",
        "_id": "a2",
        "_score": 1.0,
        "_source": {"title": "Deux", "content": "2", "site": "Atlas Eco", "published_at": "2024-03-11T10:00:00Z"},
    },
]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # an Elasticsearch dump (elasticdump's lines) and a search's response: the fields in `_source`,
        # whose name is a source's
        ("dump.jsonl", "\n".join(json.dumps(hit) for hit in HITS)),
        ("search.json", json.dumps({"took": 3, "hits": {"total": {"value": 2}, "hits": HITS}})),
        # an API's records with their metadata grouped (`meta`, JSON:API's `attributes`)
        (
            "api.json",
            json.dumps(
                {
                    "data": [
                        {
                            "id": "a1",
                            "attributes": {"title": "Un", "body": {"text": "1"}},
                            "meta": {"published_at": "2024-03-10T10:00:00Z", "site": "Atlas Eco"},
                        },
                        {
                            "id": "a2",
                            "attributes": {"title": "Deux", "body": {"text": "2"}},
                            "meta": {"published_at": "2024-03-11T10:00:00Z", "site": "Atlas Eco"},
                        },
                    ]
                }
            ),
        ),
    ],
)
@pytest.mark.parametrize("streamed", [False, True])
def test_json_fields_grouped_in_objects(tmp_path, ingest_options, monkeypatch, name, content, streamed):
    """The fields were unread (the records rejected as holding no text, or a search's response taken
    for one article): an object of a record holding an article's fields is read after its own."""
    if streamed:  # (a large file: its articles' array found while streaming)
        monkeypatch.setattr(importlib.import_module("analysis.io.loaders"), "_WHOLE_JSON_BYTES", 16)
    df, rejects, _ = run(write(tmp_path / name, content), tmp_path / "out", ingest_options)
    assert rejects == []
    assert list(df.title) == ["Un", "Deux"] and list(df.text) == ["1", "2"]
    assert list(df.source) == ["Atlas Eco", "Atlas Eco"] and list(df.record_id) == ["a1", "a2"]
    assert [d.isoformat() for d in df.published] == ["2024-03-10T10:00:00+00:00", "2024-03-11T10:00:00+00:00"]


WP_POSTS = (
    "ID,post_author,post_date,post_content,post_title,post_excerpt,post_status,post_name,post_type,guid\n"
    '101,3,2024-03-14 21:05:00,"<p>Le gouvernement a adopté le projet.</p>",Loi adoptée,,publish,loi,post,'
    "https://www.lesiteinfo.com/?p=101\n"
    "102,3,2024-03-14 21:06:00,,Brouillon auto,,auto-draft,,post,https://www.lesiteinfo.com/?p=102\n"
    "103,1,2024-03-14 21:07:00,logo.png,logo,,inherit,logo,attachment,https://www.lesiteinfo.com/logo.png\n"
    "104,1,2024-03-14 21:08:00,Corps,Titre,,trash,titre,post,https://www.lesiteinfo.com/?p=104\n"
)


def test_a_cms_table_fields_named_with_the_record_kind(tmp_path, ingest_options):
    """A WordPress table's rows were all rejected `no_text` (`post_title`, `post_content` unread): a
    field's name after the record's kind is read as the name; its drafts, bin and uploads are rejects
    naming their status or kind, and a user's number is no author."""
    df, rejects, stats = run(write(tmp_path / "wp_posts.csv", WP_POSTS), tmp_path / "out", ingest_options)
    assert list(df.title) == ["Loi adoptée"] and list(df.text) == ["Le gouvernement a adopté le projet."]
    assert df.published[0].isoformat() == "2024-03-14T21:05:00+00:00" and df.author.isna().all()
    assert list(df.record_id) == ["101"] and list(df.url) == ["https://www.lesiteinfo.com/?p=101"]
    assert [(r["raw_index"], r["reason"], r["detail"]) for r in rejects] == [
        (1, "unpublished", "record of status 'auto-draft'"),
        (2, "not_an_article", "record of kind 'attachment'"),
        (3, "unpublished", "record of status 'trash'"),
    ]
    assert stats["records"]["read"] == 4 == stats["records"]["kept"] + stats["records"]["rejected"]


def test_a_date_s_utc_twin_is_the_moment(tmp_path, ingest_options):
    """WordPress writes `post_date` on the site's clock and `post_date_gmt` in UTC, both without a
    zone: the UTC one is the moment (the first was read on the outlet's country's clock, which is
    not always the site's); a twin that cannot be read (a draft's `0000-00-00 00:00:00`) leaves
    the date as it was read."""
    table = (
        "ID,post_date,post_date_gmt,post_content,post_title,post_status,post_type,guid\n"
        "7,2024-03-14 23:05:00,2024-03-14 21:05:00,Corps un,Titre un,publish,post,https://www.lesiteinfo.com/?p=7\n"
        "8,2024-03-14 23:06:00,0000-00-00 00:00:00,Corps deux,Titre deux,publish,post,https://www.lesiteinfo.com/?p=8\n"
    )
    df, rejects, _ = run(write(tmp_path / "wp_posts.csv", table), tmp_path / "out", ingest_options)
    assert rejects == []
    assert [d.isoformat() for d in df.published] == ["2024-03-14T21:05:00+00:00", "2024-03-14T23:06:00+00:00"]
    record = {"title": "T", "text": "B", "published": "2024-03-14T23:05:00", "published_utc": "2024-03-14T22:05:00"}
    df, _, _ = run(write(tmp_path / "a.jsonl", json.dumps(record)), tmp_path / "o2", ingest_options)
    assert df.published[0].isoformat() == "2024-03-14T22:05:00+00:00"


def test_a_wordpress_rest_api_dump(tmp_path, ingest_options):
    """The posts of a WordPress site's REST API (`/wp-json/wp/v2/posts`), as researchers save them:
    `title` and `content` wrapped in `rendered`, `date_gmt` the UTC twin, `author` and `tags`
    numbers of other tables (no author, no tags: the SEO plugin's `yoast_head_json` names the
    author, its Open Graph fields the site and the locale)."""
    post = {
        "id": 48210,
        "date": "2024-03-10T23:30:00",
        "date_gmt": "2024-03-10T22:30:00",
        "link": "https://www.yabiladi.com/articles/details/48210/maroc-espagne.html",
        "title": {"rendered": "Le Maroc et l&rsquo;Espagne renforcent leur coop\u00e9ration"},
        "content": {"rendered": "<p>Le ministre a re\u00e7u son homologue.</p>\n<p>Deux accords sign\u00e9s.</p>"},
        "author": 12,
        "tags": [120, 121],
        "yoast_head_json": {"og_site_name": "Yabiladi", "og_locale": "fr_FR", "author": "Par Karim Benali"},
    }
    df, rejects, _ = run(write(tmp_path / "posts.json", json.dumps([post])), tmp_path / "out", ingest_options)
    assert rejects == []
    row = df.iloc[0]
    assert row.title == "Le Maroc et l’Espagne renforcent leur coopération"
    assert row.text == "Le ministre a reçu son homologue.\n\nDeux accords signés."
    assert row.published.isoformat() == "2024-03-10T22:30:00+00:00"
    assert (row.author, list(row.tags), row.source, row.language) == ("Karim Benali", [], "Yabiladi", "fr")
    assert row.record_id == "48210"


def test_a_field_without_its_prefix_yields_to_the_field_itself(tmp_path, ingest_options):
    """`post_title` is the title only where the record has no `title` of its own; a name that only
    begins with a prefix's letters (`posted`, `items`) is not taken apart."""
    record = {"title": "Own", "post_title": "Prefixed", "text": "Body", "posted": "x", "news_date": "2024-03-14"}
    df, rejects, _ = run(write(tmp_path / "a.jsonl", json.dumps(record)), tmp_path / "out", ingest_options)
    assert rejects == [] and list(df.title) == ["Own"]
    assert df.published[0].isoformat() == "2024-03-14T00:00:00+00:00"
    no_prefix = replace(ingest_options, field_prefixes=())
    df, _, _ = run(
        write(tmp_path / "b.jsonl", json.dumps({"post_title": "T", "text": "B"})), tmp_path / "o2", no_prefix
    )
    assert df.title.isna().all()


@pytest.mark.parametrize(
    "record",
    [
        # news-please's output
        {
            "authors": ["Karim Benali"],
            "date_download": "2024-03-14 22:10:05",
            "date_publish": "2024-03-14 21:05:00",
            "maintext": "Le ministre a annoncé un plan.",
            "source_domain": "www.lematin.ma",
            "title": "Un plan",
            "url": "https://www.lematin.ma/economie/plan.html",
            "language": "fr",
        },
        # trafilatura's: `source` is the page's address, `source-hostname` the site's name
        {
            "title": "Un plan",
            "author": "Karim Benali",
            "hostname": "lematin.ma",
            "date": "2024-03-14 21:05:00",
            "text": "Le ministre a annoncé un plan.",
            "source": "https://www.lematin.ma/economie/plan.html",
            "source-hostname": "Le Matin",
            "language": "fr",
            "date_download": "2024-03-14 22:10:05",
        },
        # a crawler's item, every field a list; a MongoDB export's dates
        {
            "url": ["https://www.lematin.ma/economie/plan.html"],
            "title": ["Un plan"],
            "author": [" Karim Benali "],
            "body": ["Le ministre a annoncé un plan."],
            "date": ["Publié le : jeudi, 14 mars 2024 21:05"],
            "crawled_at": {"$date": {"$numberLong": "1710454205000"}},
        },
    ],
    ids=["news-please", "trafilatura", "crawler"],
)
def test_tools_outputs_fields(tmp_path, ingest_options, record):
    """news-please's dates, trafilatura's address given as its `source`, a crawler's lists were
    unread or misread (no date, the address taken for the source and no URL, no country)."""
    df, rejects, _ = run(write(tmp_path / "a.jsonl", json.dumps(record)), tmp_path / "out", ingest_options)
    assert rejects == []
    article = df.iloc[0]
    assert article.url == "https://www.lematin.ma/economie/plan.html" and article.source_country == "MA"
    assert article.source in {"lematin.ma", "Le Matin"} and article.author == "Karim Benali"
    # (21:05 in Morocco's clock, which was UTC+0 during Ramadan 2024)
    assert article.published.isoformat() == "2024-03-14T21:05:00+00:00"
    assert article.fetched.isoformat() == "2024-03-14T22:10:05+00:00"


def test_a_source_named_by_its_home_page_is_its_host(tmp_path, ingest_options):
    """A site named by its home page's address is its host, not the article's URL."""
    record = {"title": "T", "text": "B", "source": "http://www.tmz.com/"}
    df, _, _ = run(write(tmp_path / "a.jsonl", json.dumps(record)), tmp_path / "out", ingest_options)
    assert (df.source[0], df.url.isna()[0]) == ("tmz.com", True)


def test_json_articles_keyed_by_their_ids(tmp_path, ingest_options):
    """A dict dumped as it was (`{"48213": {...}, "48214": {...}}`) was one record, the second
    article lost: each value is an article, its key its `record_id` unless it names one."""
    document = {
        "48213": {"title": "Un", "content": "1", "date": "2024-03-14"},
        "48214": {"title": "Deux", "content": "2", "id": "own"},
    }
    df, rejects, stats = run(write(tmp_path / "x.json", json.dumps(document)), tmp_path / "out", ingest_options)
    assert rejects == [] and stats["records"]["read"] == 2
    assert list(df.title) == ["Un", "Deux"] and list(df.record_id) == ["48213", "own"]
    # one article whose groups are objects: not a keyed collection
    one = {"attributes": {"title": "Seul", "body": "x"}, "meta": {"published_at": "2024-03-14"}}
    df, _, _ = run(write(tmp_path / "y.json", json.dumps(one)), tmp_path / "o2", ingest_options)
    assert list(df.title) == ["Seul"]


def test_a_large_object_of_keyed_articles_is_streamed(tmp_path, ingest_options, monkeypatch):
    """Past the size read whole, an object of articles keyed by their ids is read one article at a
    time (it was read whole); a value that is no object is a reject, a break keeps what came before."""
    loaders = importlib.import_module("analysis.io.loaders")
    monkeypatch.setattr(loaders, "_WHOLE_JSON_BYTES", 16)

    def whole(*args, **kwargs):
        raise AssertionError("read whole")

    monkeypatch.setattr(loaders, "_load_json_whole", whole)
    document = {str(48210 + i): {"title": f"Titre {i}", "content": f"Texte {i}"} for i in range(5)}
    document["48299"] = "supprimé"
    df, rejects, _ = run(write(tmp_path / "x.json", json.dumps(document)), tmp_path / "out", ingest_options)
    assert list(df.title) == [f"Titre {i}" for i in range(5)] and list(df.record_id)[:2] == ["48210", "48211"]
    assert [(r["reason"], r["raw_index"]) for r in rejects] == [("not_an_object", 5)]
    cut = json.dumps(document)[:-40]
    df, rejects, _ = run(write(tmp_path / "y.json", cut), tmp_path / "o2", ingest_options)
    assert len(df) == 4 and [r["reason"] for r in rejects] == ["invalid_json"]


TAB_TABLE = (
    "titre\tdate\tsource\ttexte\r\n"
    "Le Maroc exporte plus\t14/03/2024\tL'Economiste\tLes exportations ont progressé.\r\n"
    "La Tunisie emprunte\t15/03/2024\tLa Presse de Tunisie\tLe gouvernement a lancé un emprunt.\r\n"
)


@pytest.mark.parametrize(
    ("content", "loaded_as", "titles"),
    [
        # Excel's `Unicode Text` (UTF-16, tabs) and `Text (Tab delimited)` saved as .txt
        (b"\xff\xfe" + TAB_TABLE.encode("utf-16-le"), "csv", ["Le Maroc exporte plus", "La Tunisie emprunte"]),
        (TAB_TABLE.encode("cp1252"), "csv", ["Le Maroc exporte plus", "La Tunisie emprunte"]),
        (json.dumps([{"title": "Un", "text": "1"}]).encode(), "json", ["Un"]),
        (b'{"title": "Un", "text": "1"}\n{"title": "Deux", "text": "2"}\n', "json", ["Un", "Deux"]),
        (
            b"<!DOCTYPE html><html><head><title>Un</title></head><body><h1>Un</h1><p>Texte.</p></body></html>",
            "html",
            None,
        ),
        # text that opens like none of them stays text: a bracketed label, a text browser's checkbox
        ("[Vidéo] Le Maroc exporte plus\n\nLes exportations ont progressé.".encode(), "scraped_text", None),
        (b"    [ ]\n\n   Le Maroc exporte plus\n\nLes exportations ont progress\xc3\xa9.", "scraped_text", None),
        (b"Le Maroc exporte plus\n\nUn tableau :\tun\tdeux\n", "scraped_text", None),
    ],
    ids=["utf16-table", "cp1252-table", "json", "jsonl", "html", "label", "checkbox", "one-tab-line"],
)
def test_a_format_saved_as_text_is_read_as_itself(tmp_path, ingest_options, content, loaded_as, titles):
    """Such .txt files were read as one scraped page (a table's every row one article's text)."""
    df, rejects, _ = run(write(tmp_path / "saved.txt", content), tmp_path / "out", ingest_options)
    assert rejects == [] and set(df.raw_format) == {loaded_as}
    if titles is not None:
        assert list(df.title) == titles


COMPILED = [
    (
        "Le Maroc et la Mauritanie relancent leur coopération",
        "Le Matin, 14 mars 2024",
        "Les deux pays ont signé à Rabat plusieurs accords portant sur l'énergie et la pêche.",
    ),
    (
        "Sécheresse : le Maroc accélère le dessalement",
        "L'Economiste, 15 mars 2024",
        "Le gouvernement a annoncé trois nouvelles stations de dessalement à Casablanca et Tanger.",
    ),
    (
        "L'Algérie et la Tunisie ouvrent un poste frontalier",
        "TSA, 16 mars 2024",
        "Un nouveau poste frontalier a été inauguré dans la wilaya de Tébessa, a indiqué le ministère.",
    ),
]


@pytest.mark.parametrize("rule", ["==========", "-----", "* * * * *", "\f"])
def test_a_compilation_of_articles_parted_by_rules(tmp_path, ingest_options, rule):
    """A text file of articles copied one after the other, a rule between them, was one article."""
    content = f"\n\n{rule}\n\n".join("\n".join(article) for article in COMPILED) + "\n"
    df, rejects, _ = run(write(tmp_path / "compilation.txt", content), tmp_path / "out", ingest_options)
    assert rejects == [] and list(df.raw_index) == [0, 1, 2]
    assert list(df.title) == [title for title, _, _ in COMPILED]
    assert [text.splitlines()[-1] for text in df.text] == [body for _, _, body in COMPILED]


def test_a_page_s_rule_over_its_footer_parts_no_articles(tmp_path, ingest_options):
    """A rule between an article and its page's footer (no sentence in it) leaves one article, as
    do a text browser's rules between a page's parts."""
    content = (
        "Le Maroc et la Mauritanie relancent leur coopération\n\n"
        "Les deux pays ont signé à Rabat plusieurs accords portant sur l'énergie et la pêche.\n"
        "__________\n"
        "Accueil | Contact | Mentions légales\n© 2024 Le Matin. Tous droits réservés.\n"
    )
    df, _, _ = run(write(tmp_path / "page.txt", content), tmp_path / "out", ingest_options)
    assert len(df) == 1 and "Tous droits réservés" in df.text[0]
    # a text browser's dump: rules and form fields of varied lengths between a page's parts, each
    # of which may look like an article
    parts = ["\n".join(article) for article in COMPILED]
    content = f"{parts[0]}\n____________________\n{parts[1]}\n_____\n{parts[2]}\n"
    df, _, _ = run(write(tmp_path / "dump.txt", content), tmp_path / "o2", ingest_options)
    assert len(df) == 1
    # a part that opens with a page's furniture, or with a line of prose wrapped onto the next
    for opening in ["#alternate Flux RSS", "(BUTTON) Rechercher", "En 2000, au siège de l'ONU, le sommet"]:
        content = f"{parts[0]}\n=====\n{opening}\nconstitua le plus grand rassemblement de dirigeants.\n{parts[1]}\n"
        df, _, _ = run(write(tmp_path / "dump.txt", content), tmp_path / "o3", ingest_options)
        assert len(df) == 1, opening


def test_json_an_object_named_as_a_field_is_its_value(tmp_path, ingest_options):
    """NewsAPI's `source` object is the source (its `name`), not a group of the article's fields."""
    record = {
        "source": {"id": "le-monde", "name": "Le Monde"},
        "title": "Un",
        "description": "1",
        "url": "https://www.lemonde.fr/a",
    }
    df, rejects, _ = run(write(tmp_path / "a.jsonl", json.dumps(record)), tmp_path / "out", ingest_options)
    assert rejects == []
    assert (df.iloc[0].source, df.iloc[0].title) == ("Le Monde", "Un")


def test_json_single_object_and_truncated_array(tmp_path, ingest_options):
    write(tmp_path / "in" / "one.json", '{"title": "Seul", "content": "<p>Un</p><p>Deux</p>"}')
    write(tmp_path / "in" / "cut.json", '[{"title": "A", "text": "a"}, {"title": "B", "te')
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert row(df, title="Seul").text == "Un\n\nDeux"
    assert row(df, title="A").raw_index == 0
    assert [(r["raw_path"].rsplit("/", 1)[-1], r["raw_index"], r["reason"]) for r in rejects] == [
        ("cut.json", 1, "invalid_json")
    ]


def test_nested_and_listed_text_fields(tmp_path, ingest_options):
    """WordPress's REST API nests its HTML (`content.rendered`); some scrapers keep paragraphs as a list."""
    lines = [
        {
            "title": {"rendered": "Un &#8217;titre&#8217;"},
            "content": {"rendered": "<p>Texte <b>un</b>.</p><p>Deux.</p>"},
        },
        {"title": "Liste", "paragraphs": 1, "text": ["Premier paragraphe.", "Second paragraphe."]},
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(json.dumps(line) for line in lines))
    df, rejects, _ = run(path, tmp_path / "out", ingest_options)
    assert rejects == []
    assert row(df, raw_index=0).text == "Texte un.\n\nDeux."
    assert row(df, title="Liste").text == "Premier paragraphe.\n\nSecond paragraphe."


def test_field_names_in_other_languages_and_with_accents(tmp_path, ingest_options):
    content = (
        "Titre;Contenu;Date de publication;Lien;Auteur;Mots-clés;Résumé\n"
        "Un titre;Le texte.;2024-01-02;https://exemple.ma/1;R. Doe;Eau, Climat;Un résumé\n"
        "Deux;;2024-01-03;https://exemple.ma/2;;;Seulement le résumé.\n"
    )
    df, rejects, _ = run(write(tmp_path / "a.csv", content), tmp_path / "out", ingest_options)
    assert rejects == []
    art = row(df, title="Un titre")
    assert (art.text, art.url, art.author, list(art.tags)) == (
        "Le texte.",
        "https://exemple.ma/1",
        "R. Doe",
        ["Eau", "Climat"],
    )
    assert art.published == datetime(2024, 1, 2, tzinfo=UTC)
    assert row(df, title="Deux").text == "Seulement le résumé."


@pytest.mark.parametrize(
    ("folder", "page", "title"),
    [
        # the outlet's name first (the folder gives the source), with or without its article
        (
            "volkskrant",
            "de Volkskrant\nTimmermans waarschuwt Europa\nBRUSSEL - Hij sprak.",
            "Timmermans waarschuwt Europa",
        ),
        ("demorgen", "De Morgen\nPremium\nMarine onderschept tanker\nDe marine voer uit.", "Marine onderschept tanker"),
        ("vrt", "VRT NWS\n\nHoogwater langs de Maas\nHet regent.", "Hoogwater langs de Maas"),
        # ... and the page furniture after it, as before any headline (a section's name, a cookie button)
        (
            "volkskrant",
            "de Volkskrant\nAccepteer cookies\nBuitenland\nTimmermans waarschuwt Europa voor de gevolgen\nHij sprak.",
            "Timmermans waarschuwt Europa voor de gevolgen",
        ),
        # menu, log-in and cookie buttons; a metadata key left empty
        ("nieuwsblad", "Abonneer\nLogin\nKoning bezoekt Congo\nKINSHASA - Hij is er.", "Koning bezoekt Congo"),
        ("x", "date: \nAccepteer cookies\nMarokko tekent akkoord\nRABAT - Het is rond.", "Marokko tekent akkoord"),
        # a cookie banner's sentences above the headline; a headline about cookies stays
        (
            "nos",
            "NOS gebruikt cookies om de website goed te laten werken. Klik op 'Accepteer cookies'.\n"
            "Accepteer cookies\nInstellingen aanpassen\nMarokko tekent akkoord\nRABAT - Het is rond.",
            "Marokko tekent akkoord",
        ),
        (
            "y",
            "EU wil af van irritante cookiemeldingen en cookies op websites\nBRUSSEL - Het is rond.",
            "EU wil af van irritante cookiemeldingen en cookies op websites",
        ),
        # a headline that only starts like the outlet's name stays
        (
            "nos",
            "Nosferatu keert terug in de bioscoop\nDe film draait vanaf donderdag.",
            "Nosferatu keert terug in de bioscoop",
        ),
        # the francophone press audit: a menu of one word a line over the headline (Seneweb's
        # `Accueil` was the headline), a `Vous êtes ici` breadcrumb, the words of the site's
        # initials (TSA's `Tout sur l'Algérie`) and a breadcrumb without marks
        (
            "seneweb",
            "Accueil\nActualité\nPolitique\nSport\nSeneweb\nDakar et Bamako relancent le corridor\nLe président.",
            "Dakar et Bamako relancent le corridor",
        ),
        (
            "abidjan",
            "NEWS\nPolitique\nVous êtes ici : Accueil > News > Société\nLes réfugiés burkinabè accueillis\nPrès de.",
            "Les réfugiés burkinabè accueillis",
        ),
        (
            "tsa",
            "TSA\nTout sur l'Algérie\nAccueil Économie\nGaz : l'Algérie et l'Italie signent un accord\nSonatrach.",
            "Gaz : l'Algérie et l'Italie signent un accord",
        ),
        # the Spanish and Portuguese press audit: a masthead of words opening with the host's name
        # (www1.), one with its tagline after a dash, a subscription prompt in the menu, a line of
        # cookie buttons opening with the button
        (
            "x",
            "url: https://www1.folha.uol.com.br/a.shtml\nFolha de S.Paulo\nAssine\nEntrar\nMercado\n"
            "Brasil e Índia fecham acordo sobre etanol\nO texto.",
            "Brasil e Índia fecham acordo sobre etanol",
        ),
        (
            "x",
            "url: https://www.lusa.pt/a\nLusa - Agência de Notícias de Portugal\nInício\nPolítica\n"
            "CPLP envia missão à Guiné-Bissau\nO texto.",
            "CPLP envia missão à Guiné-Bissau",
        ),
        (
            "abc",
            "ABC\nEconomía\nSuscríbete por 1€\nIniciar sesión\nLos aranceles golpean al aceite español\nEl texto.",
            "Los aranceles golpean al aceite español",
        ),
        (
            "lanacion",
            "Política\nEl Mundo\nSuscribite a LA NACION por $1.500\nCampo\nLa carne cae en China otra vez\nEl texto.",
            "La carne cae en China otra vez",
        ),
        ("x", "Aceptar cookies | Configurar\nLa Alhambra bate su récord\nEl texto.", "La Alhambra bate su récord"),
        # the German, Italian and Dutch press audit: a masthead whose umlaut the host spells `ue`, a
        # broadcaster's `Sendung verpasst?`, subscription prompts and log-in buttons, a cookie banner
        # ending with Dutch `Akkoord`, a kicker with an elided article (`L'accordo`)
        (
            "x",
            "url: https://www.sueddeutsche.de/a\nSüddeutsche Zeitung\nZum Inhalt springen\nPolitik\n"
            "Deutsche Autobauer fürchten Pekings Vergeltung\nDer Text.",
            "Deutsche Autobauer fürchten Pekings Vergeltung",
        ),
        (
            "x",
            "Sendung verpasst?\nMoldau wirft Russland Erpressung vor\nDer Text.",
            "Moldau wirft Russland Erpressung vor",
        ),
        (
            "x",
            "Jetzt DER STANDARD abonnieren\nAnmelden\nItalien klagt Österreich vor dem EuGH\nDer Text.",
            "Italien klagt Österreich vor dem EuGH",
        ),
        (
            "x",
            "Abbonati a Repubblica\nAccedi\nGas, il Belpaese ora dipende da Algeria\nIl testo.",
            "Gas, il Belpaese ora dipende da Algeria",
        ),
        (
            "x",
            "NOS gebruikt cookies om de site te verbeteren. Akkoord\nDuitsland verlengt de grenscontroles\nDe tekst.",
            "Duitsland verlengt de grenscontroles",
        ),
        (
            "x",
            "Abbonati\nAccedi\nEsteri\nPolitica\nL'accordo\nMigranti, il piano con Libia e Tunisia\nIl testo.",
            "Migranti, il piano con Libia e Tunisia",
        ),
        # a headline opening with `Abbonati` and a word, or with `Jetzt`, stays
        ("x", "Abbonati Netflix in calo per la prima volta\nIl testo.", "Abbonati Netflix in calo per la prima volta"),
        (
            "x",
            "Jetzt wird abonniert: Streamingdienste legen zu\nDer Text.",
            "Jetzt wird abonniert: Streamingdienste legen zu",
        ),
        # the US/UK press audit: skip links and a placeholder inside a menu (the NYT), initials in
        # a menu (AP's `U.S.`), a call for support (the Guardian), a cookie button (the
        # Telegraph), a subscription prompt ending with a full stop (the Vancouver Sun)
        (
            "x",
            "Skip to content\nSkip to site index\nWorld\nToday’s Paper\nAdvertisement\nSKIP ADVERTISEMENT\n"
            "Ukraine and Russia Agree to Resume Talks\nThe text.",
            "Ukraine and Russia Agree to Resume Talks",
        ),
        (
            "x",
            "url: https://apnews.com/article/a\nAP News\nSkip to main content\nMenu\nWorld\nU.S.\nPolitics\nChina launches drills around Taiwan\nText.",
            "China launches drills around Taiwan",
        ),
        (
            "x",
            "url: https://www.theguardian.com/world/a\nThe Guardian - Back to homepage\nSupport the Guardian\nFund independent journalism with £5 per month\n"
            "Support us\nPrint subscriptions\nSign in\nGermany and Norway sign pipeline deal\nText.",
            "Germany and Norway sign pipeline deal",
        ),
        (
            "x",
            "url: https://www.telegraph.co.uk/business/a/\nThe Telegraph\nWe use cookies to improve your experience. Accept all\nManage preferences\n"
            "Scotch whisky makers toast India tariff cut\nText.",
            "Scotch whisky makers toast India tariff cut",
        ),
        (
            "x",
            "url: https://vancouversun.com/news/a\nVancouver Sun\nSubscribe now to read the latest news in your city and across Canada.\nLocal News\n"
            "B.C. ports brace for record Asian container traffic\nText.",
            "B.C. ports brace for record Asian container traffic",
        ),
        # a headline opening with `Support` stays
        ("x", "Support grows for a ceasefire in Gaza\nThe text.", "Support grows for a ceasefire in Gaza"),
        # a headline of four words or more opening with the outlet's name stays
        ("folha", "Folha demite diretor de redação\nO texto.", "Folha demite diretor de redação"),
        # a headline starting with `Accueil`, and one over a sentence, stay
        (
            "x",
            "Accueil des réfugiés : Dakar ouvre un centre\nLe centre.",
            "Accueil des réfugiés : Dakar ouvre un centre",
        ),
        ("tsa", "Tout va bien à Alger\nLe président.", "Tout va bien à Alger"),
        # Chinese and Japanese sites' names over their menus (one `word` each, no spaces), a menu
        # item ending with `+`, account buttons; a short Chinese headline over its date line stays
        (
            "xinhua",
            "新华网\n首页\n时政\n国际\n新华全媒+\n中国和越南签署跨境铁路互联互通合作文件\n正文。",
            "中国和越南签署跨境铁路互联互通合作文件",
        ),
        (
            "yomiuri",
            "読売新聞オンライン\nニュース\n政治\n会員登録\nログイン\n日米首脳が電話会談、北朝鮮のミサイル発射を非難\n本文。",
            "日米首脳が電話会談、北朝鮮のミサイル発射を非難",
        ),
        (
            "people",
            "人民网\n频道\n国际\n登录 | 注册\n外交部发言人答记者问\n2026年12月02日16:42 | 来源：人民网\n正文。",
            "外交部发言人答记者问",
        ),
    ],
)
def test_scraped_text_masthead_and_buttons_are_not_the_headline(tmp_path, ingest_options, folder, page, title):
    write(tmp_path / "in" / folder / "a.txt", page)
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].title == title
    assert title not in df.iloc[0].text and df.iloc[0].text.split("\n")[-1] in page


@pytest.mark.parametrize(
    ("folder", "page", "title", "published"),
    [
        # the site's name in Cyrillic (`РИА Новости` on ria.ru), a menu of sections, a cookie
        # banner and its button
        (
            "ria",
            "url: https://ria.ru/20261202/a.html\nРИА Новости\nГлавное\nВ мире\nЭкономика\n"
            "Мы используем файлы cookie. Продолжая пользоваться сайтом, вы соглашаетесь с этим.\nПринять\n"
            "Лавров обсудил с главой МИД Турции ситуацию\nМОСКВА, 2 дек — РИА Новости. Министр провел разговор.",
            "Лавров обсудил с главой МИД Турции ситуацию",
            None,
        ),
        # `Интерфакс` on interfax.ru, `Українська правда` on pravda.com.ua
        (
            "interfax",
            "url: https://www.interfax.ru/world/1\nИнтерфакс\nВсе новости\nМир\n"
            "Вашингтон пригрозил Ирану новыми санкциями\nМосква. 2 декабря. INTERFAX.RU - Текст.",
            "Вашингтон пригрозил Ирану новыми санкциями",
            None,
        ),
        (
            "pravda",
            "url: https://www.pravda.com.ua/news/1/\nУкраїнська правда\nНовини\nПолітика\n"
            "Зеленський прибув до Варшави на переговори\nПрезидент прибув з візитом.",
            "Зеленський прибув до Варшави на переговори",
            None,
        ),
        # a date over the headline is its date, a print edition's line too
        (
            "kommersant",
            "url: https://www.kommersant.ru/doc/1\nКоммерсантъ\nМеню\nВойти\n"
            "Газета «Коммерсантъ» №221 от 02.12.2026, стр. 6\nЕвросоюз не договорился о санкциях\nТекст статьи.",
            "Евросоюз не договорился о санкциях",
            "2026-12-02",
        ),
        (
            "novayagazeta",
            "url: https://novayagazeta.eu/articles/1\nНовая газета Европа\n02.12.2026\n"
            "Мигранты из Средней Азии: кто едет в Россию\nРепортаж.",
            "Мигранты из Средней Азии: кто едет в Россию",
            "2026-12-02",
        ),
    ],
)
def test_scraped_text_russian_and_ukrainian_mastheads(tmp_path, ingest_options, folder, page, title, published):
    write(tmp_path / "in" / folder / "a.txt", page)
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].title == title
    if published:
        assert str(df.iloc[0].published)[:10] == published


def test_scraped_text_a_short_cyrillic_headline_is_no_site_name(tmp_path, ingest_options):
    """A headline of two words is no site name unless its host is one of its ends (`Брюссель ищет`
    on kommersant.ru stays the headline)."""
    page = "url: https://www.kommersant.ru/doc/1\nБрюссель ищет замену\nЕвросоюз обсуждает пакет санкций."
    write(tmp_path / "in" / "kommersant" / "a.txt", page)
    df, _, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert df.iloc[0].title == "Брюссель ищет замену"


@pytest.mark.parametrize(
    ("folder", "page", "title"),
    [
        # the site's name in Arabic script, its consonants the host's (`هسبريس` on hespress.com),
        # a menu of one or two words a line, the cookie banner, the breadcrumb
        (
            "hespress",
            "url: https://www.hespress.com/a.html\nهسبريس\nالرئيسية\nسياسة\nكتاب وآراء\n"
            "هذا الموقع يستخدم ملفات تعريف الارتباط (الكوكيز) لتحسين تجربة التصفح. موافق\n"
            "الرئيسية » سياسة\nالرباط ومدريد تتفقان على تعزيز التنسيق الأمني\nاتفق المغرب وإسبانيا على التنسيق.",
            "الرباط ومدريد تتفقان على تعزيز التنسيق الأمني",
        ),
        # a name and a country's adjective (`العمق المغربي` on al3omk.com), a breadcrumb
        (
            "al3omk",
            "url: https://al3omk.com/1.html\nالعمق المغربي\nوطني\nدولي\nالعمق المغربي > مجتمع\n"
            "مهاجرون يطالبون بتسوية وضعيتهم الإدارية\nنظم عشرات المهاجرين وقفة.",
            "مهاجرون يطالبون بتسوية وضعيتهم الإدارية",
        ),
        # a name of two words before a menu of two-word items (`اليوم السابع` on youm7.com)
        (
            "youm7",
            "url: https://www.youm7.com/story/1\nاليوم السابع\nأخبار عاجلة\nسياسة\nاقتصاد\n"
            "مصر والسودان تؤكدان رفض الإجراءات الأحادية\nأكد وزيرا الخارجية رفض البلدين.",
            "مصر والسودان تؤكدان رفض الإجراءات الأحادية",
        ),
        # three words opening with the host's consonants are a headline (`أخبار` on elkhabar.com)
        (
            "elkhabar",
            "url: https://www.elkhabar.com/press/article/1/\nأخبار الجزائر اليوم\nتفاصيل الخبر.",
            "أخبار الجزائر اليوم",
        ),
    ],
)
def test_scraped_text_arabic_mastheads_and_menus(tmp_path, ingest_options, folder, page, title):
    """The Arabic press audit: the site's name and menu over the headline are skipped."""
    write(tmp_path / "in" / folder / "a.txt", page)
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].title == title


def test_dutch_field_names_and_a_text_under_an_unknown_name(tmp_path, ingest_options):
    """Dutch exports name the body `tekst` and the outlet `bron`; a long text under a name no alias
    knows is not lost silently: a warning with a headline, the field named in the reject without."""
    body = "Nederland en Marokko sloten een akkoord over terugkeer. " * 5
    lines = [
        {"titel": "Akkoord", "tekst": body, "datum": "2026-12-01", "bron": "NOS", "taal": "nl"},
        {"titel": "Kop alleen", "verhaal": body},
        {"verhaal": body},
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")
    df, rejects, stats = run(path, tmp_path / "out", ingest_options)
    art = row(df, title="Akkoord")
    assert (art.text, art.source, art.language) == (body.strip(), "NOS", "nl")
    assert pd.isna(row(df, title="Kop alleen").text)
    assert stats["warnings"] == {"text_unmapped": 1}
    assert [(r["raw_index"], r["reason"]) for r in rejects] == [(2, "no_text")]
    assert "'verhaal'" in rejects[0]["detail"] and "--field text=verhaal" in rejects[0]["detail"]


def test_json_single_article_with_lists_of_objects_is_one_article(tmp_path, ingest_options):
    document = {
        "title": "Seul",
        "text": "Le corps.",
        "authors": [{"name": "A. Auteur"}, {"name": "B. Auteur"}],
        "images": [{"src": "a.jpg", "url": "https://example.org/a.jpg"}],
    }
    df, rejects, _ = run(write(tmp_path / "a.json", json.dumps(document)), tmp_path / "out", ingest_options)
    assert rejects == []
    assert list(df.title) == ["Seul"]
    assert df.iloc[0].author == "A. Auteur, B. Auteur"


@pytest.mark.parametrize("comments_first", [False, True])
def test_json_single_article_with_comments_or_related_articles(tmp_path, ingest_options, comments_first):
    """Its lists of objects with titles or texts (comments, related articles) are its own, before
    or after its body; a feed's description does not make the feed one article."""
    own = {
        "comments": [{"author": "X", "text": "Bravo."}, {"author": "Y", "text": "Non."}],
        "related": [{"title": "Autre article", "url": "https://example.org/2"}],
    }
    body = {"title": "Seul", "text": "Le corps de l'article."}
    document = own | body if comments_first else body | own
    df, rejects, _ = run(write(tmp_path / "a.json", json.dumps(document)), tmp_path / "out", ingest_options)
    assert rejects == [] and list(df.title) == ["Seul"]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Le fil",
        "description": "Les articles du site.",
        "items": [{"title": "Un", "content_text": "1"}, {"title": "Deux", "content_text": "2"}],
    }
    df, rejects, _ = run(write(tmp_path / "f.json", json.dumps(feed)), tmp_path / "out2", ingest_options)
    assert rejects == [] and list(df.title) == ["Un", "Deux"]


def test_json_object_cut_off_keeps_the_articles_before_the_break(tmp_path, ingest_options):
    """A small wrapper read whole fails to parse: streamed instead, what precedes the break kept."""
    content = '{"articles": [{"title": "A", "text": "a"}, {"title": "B", "te'
    df, rejects, _ = run(write(tmp_path / "cut.json", content), tmp_path / "out", ingest_options)
    assert list(df.title) == ["A"]
    assert [(r["raw_index"], r["reason"]) for r in rejects] == [(1, "invalid_json")]


def test_json_key_with_dots(tmp_path, ingest_options):
    """A key holding dots is one step of the path to the articles (they were lost: 'empty array')."""
    document = {"meta": {"n": 2}, "data.items": [{"title": "A", "text": "a"}, {"title": "B", "text": "b"}]}
    df, rejects, _ = run(write(tmp_path / "a.json", json.dumps(document)), tmp_path / "out", ingest_options)
    assert rejects == [] and list(df.title) == ["A", "B"]


def test_json_nested_arrays_follow_every_page(tmp_path, ingest_options):
    document = {"pages": [{"n": 1, "stories": [{"title": "P1"}]}, {"n": 2, "stories": [{"title": "P2"}]}]}
    df, rejects, _ = run(write(tmp_path / "a.json", json.dumps(document)), tmp_path / "out", ingest_options)
    assert rejects == []
    assert list(df.title) == ["P1", "P2"]


def test_json_nan_and_infinity_are_read(tmp_path, ingest_options):
    """pandas' `to_json` and JavaScript write NaN and Infinity, which the streaming parser refuses."""
    write(tmp_path / "in" / "flat.json", '[{"title": "Un", "text": NaN}, {"title": "Deux", "views": Infinity}]')
    write(tmp_path / "in" / "wrapped.json", '{"count": NaN, "data": {"items": [{"title": "Trois", "text": "t"}]}}')
    write(tmp_path / "in" / "late.json", '[{"title": "Quatre"}, {"title": "Cinq", "score": NaN}]')
    df, rejects, stats = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert sorted(df.title) == ["Cinq", "Deux", "Quatre", "Trois", "Un"]
    assert row(df, title="Cinq").raw_index == 1
    assert stats["records"]["read"] == 5


def test_json_cut_before_its_first_article_is_one_reject(tmp_path, ingest_options):
    path = write(tmp_path / "cut.json", '{"articles": [{"title": "A", "te')
    df, rejects, stats = run(path, tmp_path / "out", ingest_options)
    assert df.empty
    assert [(r["raw_index"], r["reason"]) for r in rejects] == [(None, "invalid_json")]
    assert rejects[0]["detail"] == "Unterminated string starting at: line 1 column 30 (char 29)"
    assert stats["records"] == {"read": 1, "kept": 0, "rejected": 1}


def test_csv_delimiter_encoding_multiline_and_big_fields(tmp_path, ingest_options):
    big = "mot " * 100_000  # 400 KB in one field: over the csv module's default limit
    content = (
        'titre;texte;date\n"Titre; un";"Ligne 1\nLigne 2 avec ""guillemets""";12/03/2024\n"Grand";"'
        + big
        + '";13/03/2024\n'
    )
    write(
        tmp_path / "in" / "a.csv",
        content.encode("cp1252", errors="strict") if False else content.encode("utf-8"),
    )
    write(tmp_path / "in" / "b.tsv", "title\ttext\nÉté à Tunis\tChaleur record\n".encode("cp1252"))
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    one = row(df, title="Titre; un")
    assert one.text == 'Ligne 1\nLigne 2 avec "guillemets"'
    assert one.published == datetime(2024, 3, 12, tzinfo=UTC)
    assert len(row(df, title="Grand").text) == len(big.strip())
    assert row(df, title="Été à Tunis").text == "Chaleur record"


def test_csv_repeated_header_is_rejected_and_excel_sep_line_read(tmp_path, ingest_options):
    rows = ["sep=;", "titre;contenu;", "Un;Texte un.;", "Titre;Contenu;", "Deux;Texte deux;"]
    path = write(tmp_path / "a.csv", ("\r\n".join(rows) + "\r\n").encode("cp1252"))
    df, rejects, stats = run(path, tmp_path / "out", ingest_options)
    assert sorted(df.title) == ["Deux", "Un"]
    assert [(r["raw_index"], r["reason"]) for r in rejects] == [(1, "repeated_header")]
    assert stats["records"] == {"read": 3, "kept": 2, "rejected": 1}


def test_csv_a_column_named_twice_keeps_the_first(tmp_path, ingest_options):
    """Two columns of one name (`Date`: published, then updated): the first is the field, the
    second kept apart, not written over it; the header row repeated is still told."""
    rows = [
        "Titre,Date,Texte,Date",
        "Le Maroc signe un accord,2024-01-02,Rabat a signé un accord sur le gaz.,2024-03-05",
        "Titre,Date,Texte,Date",
    ]
    df, rejects, _ = run(write(tmp_path / "a.csv", "\n".join(rows) + "\n"), tmp_path / "out", ingest_options)
    assert df.published[0] == pd.Timestamp("2024-01-02", tz="UTC")
    assert [r["reason"] for r in rejects] == ["repeated_header"]


def test_csv_german_headers(tmp_path, ingest_options):
    """A German press database's export names its columns in German: `Quelle` is the outlet
    (it was the folder's name), `Autorin`, `Sprache`, `Schlagwörter` the author, language, tags."""
    content = (
        "Titel;Datum;Quelle;Autorin;Sprache;Schlagwörter;Text\n"
        "OMV sucht Ersatz;15. Jänner 2026, 08:30;Die Presse;Anna Muster;de;Energie, Gas;Wien. Der Konzern...\n"
    )
    df, rejects, _ = run(write(tmp_path / "csv" / "export.csv", content), tmp_path / "out", ingest_options)
    art = df.iloc[0]
    assert (art.title, art.source, art.author, art.language, list(art.tags)) == (
        "OMV sucht Ersatz",
        "Die Presse",
        "Anna Muster",
        "de",
        ["Energie", "Gas"],
    )
    assert rejects == []


def test_csv_russian_headers(tmp_path, ingest_options):
    """A Russian media database's export (`Заголовок;Дата;Источник;Текст`) lost every record as
    no_text: its columns are read now, with `Автор`, `Рубрика` and `Ссылка`."""
    content = (
        "Заголовок;Дата;Источник;Автор;Рубрика;Ссылка;Текст\n"
        "Нигер разорвал соглашение;02.12.2026;Интерфакс;Иван Петров;Политика;https://www.interfax.ru/world/1;"
        "Военное правительство Нигера объявило о разрыве соглашения.\n"
    )
    df, rejects, _ = run(write(tmp_path / "csv" / "export.csv", content), tmp_path / "out", ingest_options)
    art = df.iloc[0]
    assert (art.title, art.source, art.author, list(art.tags), art.url) == (
        "Нигер разорвал соглашение",
        "Интерфакс",
        "Иван Петров",
        ["Политика"],
        "https://www.interfax.ru/world/1",
    )
    assert art.text.startswith("Военное правительство") and art.published.day == 2
    assert rejects == []


def test_csv_malformed_row_is_rejected(tmp_path, ingest_options):
    content = "title,text\nA,a\nB,b,extra\n,\nC,c\n"
    df, rejects, stats = run(write(tmp_path / "a.csv", content), tmp_path / "out", ingest_options)
    assert list(df.title) == ["A", "C"]
    assert [(r["raw_index"], r["reason"]) for r in rejects] == [(1, "malformed_csv")]
    assert stats["records"] == {"read": 3, "kept": 2, "rejected": 1}


HTML = """<!DOCTYPE html><html lang="fr-FR"><head><meta charset="utf-8">
<title>Sécheresse : Rabat rationne l’eau | Exemple Éco</title>
<meta property="og:title" content="Sécheresse : Rabat rationne l’eau">
<meta property="og:site_name" content="Exemple Éco">
<meta property="article:published_time" content="2024-07-15T08:30:00+01:00">
<link rel="canonical" href="https://exemple-eco.example/2024/07/secheresse-rabat">
<meta name="keywords" content="eau, sécheresse">
</head><body><nav><a href="/">Accueil</a><a href="/eco">Économie</a></nav>
<article><h1>Sécheresse : Rabat rationne l’eau</h1>
<p>La capitale a annoncé mardi des coupures d’eau nocturnes pour faire face à la sécheresse qui frappe le pays depuis six ans.</p>
<p>Les barrages du bassin du Bouregreg sont remplis à moins de 20 %, selon l’agence du bassin hydraulique, qui appelle à la sobriété.</p>
<p>Les autorités prévoient la mise en service d’une nouvelle station de dessalement d’ici à 2027.</p>
</article><footer>© 2024 Exemple Éco. Tous droits réservés.</footer></body></html>"""


def test_html_page(tmp_path, ingest_options):
    df, rejects, _ = run(write(tmp_path / "p.html", HTML), tmp_path / "out", ingest_options)
    assert rejects == []
    art = df.iloc[0]
    assert art.title == "Sécheresse : Rabat rationne l’eau"
    assert art.source == "Exemple Éco"
    assert art.url == "https://exemple-eco.example/2024/07/secheresse-rabat"
    assert art.published.date() == datetime(2024, 7, 15).date()
    assert art.language == "fr"
    assert "coupures d’eau nocturnes" in art.text and "Accueil" not in art.text
    assert set(art.tags) >= {"eau", "sécheresse"}


@pytest.mark.parametrize(
    "stated",
    [
        '<meta property="article:published_time" content="2024-07-15T08:30:00+01:00">',
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-07-15T08:30:00+01:00"}</script>',
    ],
)
def test_html_page_keeps_the_time_it_states(tmp_path, ingest_options, stated):
    """A day taken from the URL (htmldate's first guess) gets the time the page states for machines."""
    page = HTML.replace('<meta property="article:published_time" content="2024-07-15T08:30:00+01:00">', stated).replace(
        "/2024/07/secheresse-rabat", "/2024-07-15/secheresse-rabat"
    )
    df, rejects, _ = run(write(tmp_path / "p.html", page), tmp_path / "out", ingest_options)
    assert rejects == [] and df.iloc[0].published == datetime(2024, 7, 15, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # a Dutch byline's date and time, the page stating none for machines
        ("<p>Gepubliceerd: 15-07-2024, 22:47</p>", datetime(2024, 7, 15, 22, 47, tzinfo=UTC)),
        ("<p>Publié le 15 juillet 2024 à 10h30</p>", datetime(2024, 7, 15, 10, 30, tzinfo=UTC)),
        # another day's time, or none, changes nothing
        ("<p>Gepubliceerd: 14-07-2024, 22:47</p>", datetime(2024, 7, 15, tzinfo=UTC)),
        ("", datetime(2024, 7, 15, tzinfo=UTC)),
    ],
)
def test_html_page_keeps_the_time_its_text_writes(tmp_path, ingest_options, written, expected):
    """A day taken from the URL, the page stating no time for machines, gets the time its visible
    text writes with that day (a byline's), else stays the day."""
    page = (
        HTML.replace('<meta property="article:published_time" content="2024-07-15T08:30:00+01:00">', "")
        .replace("/2024/07/secheresse-rabat", "/2024-07-15/secheresse-rabat")
        .replace(
            "<article><h1>Sécheresse : Rabat rationne l’eau</h1>",
            "<article><h1>Sécheresse : Rabat rationne l’eau</h1>" + written,
        )
    )
    df, rejects, _ = run(write(tmp_path / "p.html", page), tmp_path / "out", ingest_options)
    assert rejects == [] and df.iloc[0].published == expected


def test_stated_time_after_unclosed_tags():
    """Tags left open (`<time`, `<meta` without `>`) are no stated time, and stop nothing after them."""
    from analysis.io.loaders import _stated_time

    page = (
        "<time " * 50 + "<meta " * 50 + '<meta property="article:published_time" content="2024-07-15T08:30:00+01:00">'
    )
    assert _stated_time(page, "2024-07-15") == "2024-07-15T08:30:00+01:00"
    assert _stated_time(page, "2024-07-16") is None


def test_html_page_without_metadata_gives_its_site_and_author(tmp_path, ingest_options):
    """No `og:site_name` nor author's metadata: the <title> beside the headline names the site, the
    date line's byline the author (both were missing: the source `unknown`)."""
    page = (
        "<html><head><meta charset='utf-8'><title>Hespress FR | Le Maroc et l'Espagne renforcent leur "
        "coopération</title></head><body><div class='post'><h1>Le Maroc et l'Espagne renforcent leur "
        "coopération</h1><span class='date'>Publié le 18/03/2024 à 09:15 (GMT+1) Par Yassine Alaoui</span>"
        "<div class='content'><p>Les ministres de l'Intérieur marocain et espagnol se sont réunis lundi à "
        "Madrid pour renforcer la coopération contre les réseaux de passeurs, selon un communiqué.</p>"
        "<p>Les deux pays ont convenu de créer des équipes d'enquête communes et d'intensifier les "
        "patrouilles en Méditerranée.</p></div></div></body></html>"
    )
    df, rejects, _ = run(write(tmp_path / "p.html", page), tmp_path / "out", ingest_options)
    assert rejects == []
    article = df.iloc[0]
    assert (article.source, article.author) == ("Hespress FR", "Yassine Alaoui")
    assert article.published.isoformat() == "2024-03-18T08:15:00+00:00"


def test_html_windows_1252(tmp_path, ingest_options):
    page = HTML.replace('charset="utf-8"', 'charset="windows-1252"').encode("cp1252")
    df, _, _ = run(write(tmp_path / "p.htm", page), tmp_path / "out", ingest_options)
    assert df.iloc[0].title == "Sécheresse : Rabat rationne l’eau"


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Flux Exemple</title><link>https://flux.example</link><language>fr</language>
<item><title>Premier titre</title><link>https://flux.example/1</link><guid>https://flux.example/1</guid>
<pubDate>Sat, 01 Jan 2022 05:00:10 +0100</pubDate><description><![CDATA[<p>Le chapeau <b>un</b>.</p>]]></description>
<category>Monde</category><category>Afrique</category></item>
<item><title>Second titre</title><link>https://flux.example/2</link><pubDate>Sun, 02 Jan 2022 06:00:00 +0100</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>Atom Example</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>
<entry><title>Atom entry</title><link href="https://atom.example/e1"/><id>urn:e1</id>
<updated>2024-01-01T10:00:00Z</updated><content type="html">&lt;p&gt;Body of the entry.&lt;/p&gt;</content></entry></feed>"""


def test_page_saved_by_a_browser(tmp_path, ingest_options):
    """Saving a page as a whole writes the address in a comment and the page's assets in `<name>_files/`."""
    paragraph = "<p>Le conseil municipal a voté le budget de l'année prochaine après un long débat public.</p>"
    page = (
        "<!DOCTYPE html>\n<!-- saved from url=(0043)https://www.journal.example.fr/budget-lyon -->\n"
        '<html lang="fr"><head><title>Budget voté</title><script src="./Budget_files/app.js"></script></head>'
        f"<body><article><h1>Budget voté</h1>{paragraph * 5}</article></body></html>"
    )
    write(tmp_path / "in" / "Budget.html", page)
    write(tmp_path / "in" / "Budget_files" / "app.js", "var a = 1;")
    write(tmp_path / "in" / "Budget_files" / "saved_resource.html", "<html><body>Publicité</body></html>")
    write(tmp_path / "in" / "notes_files" / "a.txt", "Un titre\n\nUn texte.")  # no notes.html: read
    df, rejects, stats = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert sorted(p.rsplit("/", 1)[-1] for p in df.raw_path) == ["Budget.html", "a.txt"]
    assert row(df, title="Budget voté").url == "https://www.journal.example.fr/budget-lyon"
    assert stats["files"]["ignored"] == 2


def test_cookie_consent_wall_is_an_error_page(tmp_path, ingest_options):
    wall = (
        '<!DOCTYPE html><html lang="de"><head><title>Zustimmung erforderlich</title></head><body>'
        "<div><h2>Wir verwenden Cookies</h2><p>Wir und unsere Partner verwenden Cookies. Klicken Sie auf"
        " Akzeptieren, um fortzufahren.</p><button>Akzeptieren</button><button>Ablehnen</button></div></body></html>"
    )
    news = {
        "title": "Amende pour les cookies",
        "text": "La CNIL sanctionne un site : refuser les cookies était trop dur.",
    }
    write(tmp_path / "in" / "wall.html", wall)
    write(tmp_path / "in" / "news.jsonl", json.dumps(news))
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert list(df.title) == ["Amende pour les cookies"]
    assert [(r["raw_path"].rsplit("/", 1)[-1], r["reason"]) for r in rejects] == [("wall.html", "error_page")]


def test_rss_and_atom(tmp_path, ingest_options):
    write(tmp_path / "in" / "flux.xml", RSS)
    write(tmp_path / "in" / "atom.atom", ATOM)
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    first = row(df, title="Premier titre")
    assert (first.text, first.source, first.language, list(first.tags)) == (
        "Le chapeau un.",
        "Flux Exemple",
        "fr",
        ["Monde", "Afrique"],
    )
    assert first.published == datetime(2022, 1, 1, 4, 0, 10, tzinfo=UTC)
    headline_only = row(df, title="Second titre")
    assert headline_only.raw_index == 1 and pd.isna(headline_only.text)
    atom = row(df, title="Atom entry")
    assert (atom.text, atom.source, atom.url) == (
        "Body of the entry.",
        "Atom Example",
        "https://atom.example/e1",
    )


def test_feed_relative_links_read_against_the_site(tmp_path, ingest_options):
    rss = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Q</title>
<link>https://quotidien.example.fr/</link>
<item><title>Un</title><link>/politique/un</link><description>Texte.</description></item>
<item><title>Deux</title><link>https://autre.example.fr/deux</link><description>Texte.</description></item>
</channel></rss>"""
    df, _, _ = run(write(tmp_path / "q.rss", rss), tmp_path / "out", ingest_options)
    assert row(df, title="Un").url == "https://quotidien.example.fr/politique/un"
    assert row(df, title="Deux").url == "https://autre.example.fr/deux"


def test_a_feed_s_media_captions_are_no_entry_s_text(tmp_path, ingest_options):
    """feedparser reads Media RSS's `media:description` (an image's caption) as an entry's content,
    or as its summary when it comes before the description: a newspaper's feed had each photo's
    caption as its articles' text, their standfirsts lost. A caption is the text only of an entry
    that has no other (a video feed's)."""
    rss = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:m="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Quotidien</title><link>https://quotidien.example.fr/</link>
<item><title>Un</title><link>https://quotidien.example.fr/un</link><description><![CDATA[Le chapeau de l'article.]]></description>
<m:content url="https://img.example/1.jpg"><m:description type="plain">La photo, à Paris.</m:description>
<m:credit>AFP</m:credit></m:content></item>
<item><title>Deux</title><link>https://quotidien.example.fr/deux</link>
<m:content url="https://img.example/2.jpg"><m:description type="plain">Une autre photo.</m:description></m:content>
<description>Le second chapeau.</description></item>
<item><title>Trois</title><link>https://quotidien.example.fr/trois</link><description>Court.</description>
<content:encoded><![CDATA[<p>Le corps entier.</p>]]></content:encoded><m:description>Légende.</m:description></item>
<item><title>Vidéo</title><link>https://quotidien.example.fr/video</link>
<m:group><m:title>Vidéo</m:title><m:description>Ce que montre la vidéo.</m:description><m:thumbnail url="https://img.example/v.jpg"/></m:group></item>
</channel></rss>"""
    df, rejects, _ = run(write(tmp_path / "q.rss", rss), tmp_path / "out", ingest_options)
    assert rejects == []
    assert dict(zip(df.title, df.text, strict=True)) == {
        "Un": "Le chapeau de l'article.",
        "Deux": "Le second chapeau.",
        "Trois": "Le corps entier.",
        "Vidéo": "Ce que montre la vidéo.",
    }


def test_a_feed_s_full_text_leaves_its_photos_captions_out(tmp_path, ingest_options):
    """A feed's full text (`content:encoded`, WordPress's) holds its article's photos in `<figure>`s
    with their captions: the captions are left out of the text, as trafilatura leaves a page's out;
    a full text that is a photo alone gives way to the description."""
    rss = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Q</title>
<link>https://quotidien.example.fr/</link><item><title>Un</title><link>https://quotidien.example.fr/un</link>
<description>Court.</description><content:encoded><![CDATA[<p>Le premier paragraphe.</p>
<figure class="wp-block-image"><img src="https://img.example/1.jpg" alt=""/><figcaption>Le ministre, à Rabat,
le 4 mars 2024. (Photo X / AFP)</figcaption></figure><p>Le second paragraphe.</p>]]></content:encoded></item>
<item><title>Deux</title><link>https://quotidien.example.fr/deux</link><description>Le chapeau.</description>
<content:encoded><![CDATA[<figure><img src="https://img.example/2.jpg"/><figcaption>Une photo.</figcaption></figure>]]>
</content:encoded></item>
</channel></rss>"""
    df, _, _ = run(write(tmp_path / "q.rss", rss), tmp_path / "out", ingest_options)
    assert row(df, title="Un").text == "Le premier paragraphe.\n\nLe second paragraphe."
    assert row(df, title="Deux").text == "Le chapeau."  # (its full text is a photo alone: the description)


def test_parquet(tmp_path, ingest_options):
    table = pa.table({"headline": ["P1", "P2", None], "body": ["t1", "t2", None], "date": ["2024-01-01", None, None]})
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)
    df, rejects, stats = run(path, tmp_path / "out", ingest_options)
    assert list(df.title) == ["P1", "P2"]
    assert [(r["raw_index"], r["reason"]) for r in rejects] == [(2, "no_text")]
    assert stats["records"] == {"read": 3, "kept": 2, "rejected": 1}


def test_gzip_is_transparent(tmp_path, ingest_options):
    write(tmp_path / "in" / "x.jsonl.gz", '{"title": "Compressé", "text": "oui"}\n', gz=True)
    write(tmp_path / "in" / "page.txt.gz", "thumb\n\nTitre gz\n\nCorps gz\n", gz=True)
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert sorted(df.title) == ["Compressé", "Titre gz"]
    assert set(df.raw_format) == {"jsonl", "scraped_text"}


def test_forced_format(tmp_path, ingest_options):
    path = write(tmp_path / "dump.data", '{"title": "Forcé", "text": "x"}\n')
    df, _, _ = run(path, tmp_path / "out", ingest_options, forced_format="jsonl")
    assert list(df.title) == ["Forcé"]


def test_italian_field_names_and_schema_org_article_body(tmp_path, ingest_options):
    """An Italian export's `data` and `fonte` (the date and the outlet) were not read: the date came
    from the URL at midnight, the source from the folder. A schema.org object's `articleBody` was no
    body, so its own `comments` were taken for the articles and the article was lost."""
    content = (
        "titolo;testo;data;link;fonte\n"
        "Un titolo;Il testo.;02/12/2026 10:12;https://www.ansa.it/sito/2026/12/02/a.html;ANSA\n"
    )
    df, rejects, _ = run(write(tmp_path / "ansa" / "a.csv", content), tmp_path / "out", ingest_options)
    assert rejects == []
    art = df.iloc[0]
    assert (art.title, art.text, art.source) == ("Un titolo", "Il testo.", "ANSA")
    assert art.published == datetime(2026, 12, 2, 9, 12, tzinfo=UTC)  # Rome's clock (ansa.it: IT)
    document = {
        "@type": "NewsArticle",
        "headline": "Dazi",
        "articleBody": "Il corpo dell'articolo.",
        "comments": [{"author": "X", "text": "Bravo."}, {"author": "Y", "text": "No."}],
    }
    df, rejects, _ = run(write(tmp_path / "b.json", json.dumps(document)), tmp_path / "out2", ingest_options)
    assert rejects == [] and list(df.title) == ["Dazi"] and list(df.text) == ["Il corpo dell'articolo."]


def test_spanish_and_portuguese_field_names(tmp_path, ingest_options):
    """A JSON Lines export's `texto` and `medio` (the body and the outlet) were not read: the
    Spanish and Portuguese press audit's La Vanguardia and O Globo records had no text."""
    records = [
        {
            "titulo": "Cumbre",
            "fecha": "02/12/2026 11:30",
            "url": "https://x.es/a",
            "medio": "La Vanguardia",
            "texto": "El texto.",
        },
        {
            "titular": "Cimeira",
            "data_de_publicacao": "2026-12-02",
            "ligacao": "https://x.pt/b",
            "veiculo": "O Globo",
            "materia": "A matéria.",
        },
    ]
    content = "\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    df, rejects, _ = run(write(tmp_path / "a.jsonl", content), tmp_path / "out", ingest_options)
    assert rejects == []
    assert (row(df, title="Cumbre").text, row(df, title="Cumbre").source) == ("El texto.", "La Vanguardia")
    art = row(df, title="Cimeira")
    assert (art.text, art.url, art.source) == ("A matéria.", "https://x.pt/b", "O Globo")


def test_scraped_text_cookie_banner_is_no_headline(tmp_path, ingest_options):
    """A cookie banner saved above the headline was the headline (the Italian audit's Corriere page),
    and the real headline went into the body; a line naming cookies in the body stays."""
    content = (
        "url: https://www.corriere.it/esteri/a.shtml\n"
        "Utilizziamo i cookie per migliorare la tua esperienza di navigazione. Accetta e continua\n"
        "Ucraina, nuovi negoziati a Ginevra\n"
        "Il testo. I cookie del sito: accetta o rifiuta, ha detto il garante.\n"
    )
    df, rejects, _ = run(write(tmp_path / "a.txt", content), tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].title == "Ucraina, nuovi negoziati a Ginevra"
    assert df.iloc[0].text == "Il testo. I cookie del sito: accetta o rifiuta, ha detto il garante."


def test_written_time_keeps_the_zone_it_is_written_with():
    """A time written with its zone (Radio-Canada's `6 h 15 HNE`) keeps it: returned without it, the
    clock already turned to UTC (11:15) was read again as the outlet's own (Montréal's), 16:15 UTC
    (the francophone press audit); a time written without one stays a wall clock."""
    from analysis.dates import parse_datetime
    from analysis.io.loaders import _written_time

    zoned = "<body><h1>Titre</h1><p>Publié le 2 décembre 2026 à 6 h 15 HNE</p><p>Corps du texte.</p></body>"
    written = _written_time(zoned, "2026-12-02")
    assert written == "2026-12-02T11:15:00+00:00"
    assert parse_datetime(written, country="CA") == datetime(2026, 12, 2, 11, 15, tzinfo=UTC)
    bare = zoned.replace(" HNE", "")
    assert _written_time(bare, "2026-12-02") == "2026-12-02T06:15:00"


def test_scraped_text_short_headline_over_its_standfirst_stays(tmp_path, ingest_options):
    """Two capitalised words with no page furniture over them are the headline, even over a line
    that reads like one (a standfirst): a section's name of several words needs furniture first."""
    content = "Budget Approved\nParliament backs the spending plan after a long night\n\nThe vote was close.\n"
    df, _, _ = run(write(tmp_path / "a.txt", content), tmp_path / "out", ingest_options)
    assert df.iloc[0].title == "Budget Approved"


def test_press_database_and_news_api_field_names(tmp_path, ingest_options):
    """A press database's CSV export (`Document URL`, `Publication title`, `Full text`) and a news
    API's `published_date`: the US/UK press audit's CSV rows had no URL nor outlet, the API's
    records only the day their URL gave."""
    content = (
        "Title,Authors,Publication title,Publication date,Document URL,Full text\n"
        'Farm sales slump,A. Writer,Chicago Tribune,"Dec 2, 2026",https://www.chicagotribune.com/a/,"The text."\n'
    )
    df, rejects, _ = run(write(tmp_path / "a.csv", content), tmp_path / "out", ingest_options)
    assert rejects == []
    art = df.iloc[0]
    assert (art.url, art.source, art.text) == ("https://www.chicagotribune.com/a/", "Chicago Tribune", "The text.")
    record = {"title": "Ports", "published_date": "2026-12-02T14:45:00Z", "link": "https://x.com/b", "summary": "Body."}
    df, rejects, _ = run(write(tmp_path / "b.jsonl", json.dumps(record)), tmp_path / "out2", ingest_options)
    assert rejects == []
    assert df.iloc[0].published == datetime(2026, 12, 2, 14, 45, tzinfo=UTC)


def test_turkish_polish_and_indonesian_field_names(tmp_path, ingest_options):
    """The Turkish, Polish and Indonesian exports' records (`baslik`, `icerik`; `tytul`, `tresc`;
    `judul`, `isi`) were not read at all; a CSV header's `Başlık`, `Tytuł`, `Źródło` are those
    names with Turkish ı and Polish ł, which Unicode does not fold to i and l."""
    records = [
        {
            "baslik": "Zirve",
            "tarih": "02.12.2026 13:20",
            "kaynak": "Milliyet",
            "link": "https://x.tr/a",
            "icerik": "Metin.",
        },
        {"tytul": "Szczyt", "data": "2026-12-02", "zrodlo": "PAP", "link": "https://x.pl/b", "tresc": "Treść."},
        {"judul": "KTT", "tanggal": "2 Desember 2026", "sumber": "ANTARA", "tautan": "https://x.id/c", "isi": "Isi."},
    ]
    content = "\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    df, rejects, _ = run(write(tmp_path / "a.jsonl", content), tmp_path / "out", ingest_options)
    assert rejects == []
    assert [(row(df, title=t).text, row(df, title=t).source) for t in ("Zirve", "Szczyt", "KTT")] == [
        ("Metin.", "Milliyet"),
        ("Treść.", "PAP"),
        ("Isi.", "ANTARA"),
    ]
    assert row(df, title="KTT").url == "https://x.id/c"
    csv = "Başlık,Bağlantı,Kaynak,Metin\nZirve,https://x.tr/d,Sabah,Metin.\n"
    df, rejects, _ = run(write(tmp_path / "b.csv", csv), tmp_path / "out2", ingest_options)
    assert (df.iloc[0].title, df.iloc[0].url, df.iloc[0].source, df.iloc[0].text) == (
        "Zirve",
        "https://x.tr/d",
        "Sabah",
        "Metin.",
    )
    csv = "Tytuł,Źródło,Treść\nSzczyt,Onet,Treść.\n"
    df, rejects, _ = run(write(tmp_path / "c.csv", csv), tmp_path / "out3", ingest_options)
    assert (df.iloc[0].title, df.iloc[0].source, df.iloc[0].text) == ("Szczyt", "Onet", "Treść.")


def test_vietnamese_malay_thai_and_tagalog_field_names(tmp_path, ingest_options):
    """The Southeast Asian press's exports (`tiêu đề`, `nội dung`, `đường dẫn`; `Tajuk`, `Tarikh`,
    `Pautan`, `Kandungan`; Thai `หัวข้อ`, `เนื้อหา`; Tagalog `pamagat`, `nilalaman`) were not read:
    Vietnamese đ is no d with a mark, so `tiêu_đề` and `tieu_de` are listed both."""
    records = [
        {
            "tiêu_đề": "Hội nghị",
            "ngày_đăng": "02/12/2026 08:45",
            "nguồn": "Thanh Niên",
            "đường_dẫn": "https://x.vn/a",
            "nội_dung": "Nội dung.",
        },
        {"tieu_de": "Tin", "noi_dung": "Bài.", "duong_dan": "https://x.vn/b"},
        {"หัวข้อ": "ข่าว", "วันที่": "2026-12-02", "แหล่งที่มา": "มติชน", "ลิงก์": "https://x.th/c", "เนื้อหา": "เนื้อหาข่าว"},
        {
            "pamagat": "Balita",
            "petsa": "2026-12-02",
            "pinagmulan": "GMA",
            "kawing": "https://x.ph/d",
            "nilalaman": "Teksto.",
        },
    ]
    content = "\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    df, rejects, _ = run(write(tmp_path / "a.jsonl", content), tmp_path / "out", ingest_options)
    assert rejects == []
    assert [(row(df, title=t).text, row(df, title=t).url) for t in ("Hội nghị", "Tin", "ข่าว", "Balita")] == [
        ("Nội dung.", "https://x.vn/a"),
        ("Bài.", "https://x.vn/b"),
        ("เนื้อหาข่าว", "https://x.th/c"),
        ("Teksto.", "https://x.ph/d"),
    ]
    assert [row(df, title=t).source for t in ("Hội nghị", "ข่าว", "Balita")] == ["Thanh Niên", "มติชน", "GMA"]
    csv = "Tajuk,Tarikh,Sumber,Pautan,Kandungan\nJerebu,2026-12-02,Utusan,https://x.my/e,Teks.\n"
    df, rejects, _ = run(write(tmp_path / "b.csv", csv), tmp_path / "out2", ingest_options)
    assert (df.iloc[0].title, df.iloc[0].url, df.iloc[0].source, df.iloc[0].text) == (
        "Jerebu",
        "https://x.my/e",
        "Utusan",
        "Teks.",
    )


@pytest.mark.parametrize(
    ("url", "banner", "button", "headline"),
    [
        (
            "https://www.hurriyet.com.tr/dunya/a",
            "Çerez Politikası: Sitemizde çerezler kullanılmaktadır. Kabul Et",
            "Giriş Yap",
            "Fransa ve Almanya'dan Ankara'ya çağrı",
        ),
        (
            "https://wyborcza.pl/7,1,2,a.html",
            "Używamy plików cookies. Akceptuję",
            "Zaloguj się",
            "Polska i Niemcy o granicy",
        ),
        (
            "https://www.kompas.com/read/a",
            "Situs ini menggunakan cookie. Setuju",
            "Masuk",
            "Indonesia dan Malaysia sepakat",
        ),
    ],
)
def test_scraped_text_turkish_polish_and_indonesian_cookie_banners_are_no_headline(
    tmp_path, ingest_options, url, banner, button, headline
):
    """Hürriyet's and Wyborcza's cookie banners were the tr/pl/id audit's headlines; log-in buttons
    over the headline are skipped too."""
    content = f"url: {url}\n{button}\n{banner}\n{headline}\nPierwsze zdanie tekstu. İkinci cümle.\n"
    df, rejects, _ = run(write(tmp_path / "a.txt", content), tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].title == headline


def test_written_date_replaces_a_year_read_alone():
    """htmldate reads a year it finds alone (Dainik Bhaskar's `Copyright © 2026-27`) as 1 January:
    the date the visible text writes in that year replaces it (the South Asian press audit); a text
    dated in another year, or on 1 January itself, leaves it."""
    from analysis.io.loaders import _written_time

    page = "<body><h1>शीर्षक</h1><p>प्रकाशित: २ दिसंबर २०२६, ०९:३०</p><p>पाठ।</p><p>© 2026-27</p></body>"
    assert _written_time(page, "2026-01-01") == "2026-12-02T09:30:00"
    assert _written_time(page.replace(", ०९:३०", ""), "2026-01-01") == "2026-12-02"
    assert _written_time(page, "2025-01-01") is None


def test_hindi_bengali_and_urdu_field_names(tmp_path, ingest_options):
    """The South Asian press audit's exports (`शीर्षक`, `समाचार`, `प्रकाशन तिथि`, `लिंक`, `स्रोत`;
    `শিরোনাম`, `বিস্তারিত`, `তারিখ`, `লিংক`, `সংবাদপত্র`) were not read at all."""
    records = [
        {
            "शीर्षक": "शिखर वार्ता",
            "प्रकाशन तिथि": "2026-12-02",
            "स्रोत": "दैनिक जागरण",
            "लिंक": "https://x.in/a",
            "समाचार": "पाठ।",
        },
        {"শিরোনাম": "বৈঠক", "তারিখ": "2026-12-02", "সংবাদপত্র": "প্রথম আলো", "লিংক": "https://x.bd/b", "বিস্তারিত": "লেখা।"},
        {"سرخی": "معاہدہ", "تاریخ": "2026-12-02", "اخبار": "جنگ", "لنک": "https://x.pk/c", "متن": "متن۔"},
    ]
    content = "\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    df, rejects, _ = run(write(tmp_path / "a.jsonl", content), tmp_path / "out", ingest_options)
    assert rejects == []
    assert [(row(df, title=t).text, row(df, title=t).source) for t in ("शिखर वार्ता", "বৈঠক", "معاہدہ")] == [
        ("पाठ।", "दैनिक जागरण"),
        ("লেখা।", "প্রথম আলো"),
        ("متن۔", "جنگ"),
    ]
    assert row(df, title="বৈঠক").url == "https://x.bd/b"


@pytest.mark.parametrize(
    ("page", "headline"),
    [
        # a Hindi or Bengali masthead, its consonants its host's (`दैनिक जागरण` on jagran.com),
        # over a menu of words with vowel signs (`राष्ट्रीय`, `প্রচ্ছদ`)
        (
            "url: https://www.jagran.com/news/a-1.html\nदैनिक जागरण\nई-पेपर\nलॉगिन\nराष्ट्रीय\nदुनिया\n"
            "भारत-रूस शिखर वार्ता में रक्षा समझौतों पर सहमति\nपाठ।",
            "भारत-रूस शिखर वार्ता में रक्षा समझौतों पर सहमति",
        ),
        (
            "url: https://www.amarujala.com/world/a\nअमर उजाला\nहोम\nदेश\nविदेश\nअमेरिका ने जताई चिंता, ईरान ने किया स्वागत\nपाठ।",
            "अमेरिका ने जताई चिंता, ईरान ने किया स्वागत",
        ),
        (
            "url: https://www.prothomalo.com/bangladesh/a\nপ্রথম আলো\nপ্রচ্ছদ\nবাংলাদেশ\nবিশ্ব\n"
            "রোহিঙ্গা প্রত্যাবাসন নিয়ে আবার আলোচনা শুরু\nলেখা।",
            "রোহিঙ্গা প্রত্যাবাসন নিয়ে আবার আলোচনা শুরু",
        ),
        # a masthead ending with the host's name; an e-paper link
        (
            "url: https://tribune.com.pk/story/1/a\nTHE EXPRESS TRIBUNE\nHome\nLatest\nPakistan\n"
            "IMF mission concludes talks, staff-level agreement near\nText.",
            "IMF mission concludes talks, staff-level agreement near",
        ),
        (
            "url: https://www.thehindu.com/news/a.ece\nThe Hindu\ne-Paper\nSubscribe\nLogin\n"
            "India raises concern with Sri Lanka over Chinese research vessel\nText.",
            "India raises concern with Sri Lanka over Chinese research vessel",
        ),
    ],
)
def test_south_asian_mastheads_and_menus_are_no_headline(ingest_options, page, headline):
    """The South Asian press audit's scraped pages gave their site's name (`दैनिक जागरण`, `अमर
    उजाला`, `প্রথম আলো`, `THE EXPRESS TRIBUNE`) or `e-Paper` as the headline."""
    from analysis.io.loaders import parse_scraped_text

    assert parse_scraped_text(page, ingest_options)["title"] == headline


def test_swahili_and_french_field_names(tmp_path, ingest_options):
    """The African press audit's exports were not read at all (a CSV with Swahili column names:
    `kichwa`, headline; `tarehe`, date; `habari`, news; `kiungo`, link; `chanzo`, source;
    `mwandishi`, author) or lost their date (a JSON Lines export's French `date_parution`) and
    section (`rubrique`)."""
    csv = (
        "kichwa,tarehe,habari,kiungo,chanzo,mwandishi\n"
        "Rais akutana na mwenzake,2026-11-30 16:45,Habari kamili.,https://x.co.tz/a,Mwananchi,Mwandishi Wetu\n"
    )
    df, rejects, _ = run(write(tmp_path / "a.csv", csv), tmp_path / "out", ingest_options)
    assert rejects == []
    found = df.iloc[0]
    assert (found.title, found.text, found.url, found.source, found.author) == (
        "Rais akutana na mwenzake",
        "Habari kamili.",
        "https://x.co.tz/a",
        "Mwananchi",
        "Mwandishi Wetu",
    )
    assert found.published is not None and found.published.day == 30
    record = {"titre": "Pêche", "date_parution": "2026-12-01T09:30:00", "contenu": "Texte.", "rubrique": "Economie"}
    df, rejects, _ = run(write(tmp_path / "b.jsonl", json.dumps(record)), tmp_path / "out2", ingest_options)
    assert rejects == []
    assert df.iloc[0].published.strftime("%Y-%m-%d %H:%M") == "2026-12-01 09:30"
    assert list(df.iloc[0].tags) == ["Economie"]


@pytest.mark.parametrize("button", ["Login / Register", "Sign in | Register", "Download the New Vision App", "Ingia"])
def test_scraped_text_account_buttons_and_app_prompts_are_no_headline(tmp_path, ingest_options, button):
    """The Standard's `Login / Register` and New Vision's `Download the New Vision App` over the
    headline were the African press audit's headlines."""
    content = f"url: https://www.standardmedia.co.ke/a\n{button}\nHome\nKenya and Somalia agree\nFirst sentence.\n"
    df, rejects, _ = run(write(tmp_path / "a.txt", content), tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].title == "Kenya and Somalia agree"


@pytest.mark.parametrize(
    ("folder", "page", "title"),
    [
        # a site's name of up to three words over a menu (IRNA's `خبرگزاری جمهوری اسلامی`), a
        # menu's item with a zero-width non-joiner inside its word (`بین‌الملل`)
        (
            "irna",
            "url: https://www.irna.ir/news/1/\nخبرگزاری جمهوری اسلامی\nصفحه اصلی\nسیاست\nبین‌الملل\n"
            "عراقچی: مبادلات تجاری ایران و عراق افزایش می‌یابد\nبه گزارش ایرنا، وزیر گفت.",
            "عراقچی: مبادلات تجاری ایران و عراق افزایش می‌یابد",
        ),
        # a Persian name of its host's consonants (`طلوع‌نیوز` on tolonews.com: ی, Persian's ya)
        (
            "tolonews",
            "url: https://tolonews.com/fa/afghanistan-1\nطلوع‌نیوز\n"
            "کار خط آهن ترانس افغان با حضور مقام‌های ازبکستان آغاز شد\nکابل - متن.",
            "کار خط آهن ترانس افغان با حضور مقام‌های ازبکستان آغاز شد",
        ),
        # the name with its article in four words, then a menu of sections with `&` and `the`
        (
            "timesofisrael",
            "url: https://www.timesofisrael.com/a/\nThe Times of Israel\nIsrael & the Region\nJewish Times\n"
            "Ops & Blogs\nIsrael, Cyprus and Greece revive undersea power cable plan\nText.",
            "Israel, Cyprus and Greece revive undersea power cable plan",
        ),
        # Hebrew and Persian cookie banners and account buttons
        (
            "haaretz",
            "url: https://www.haaretz.co.il/news/1\nהתחברות\nעשו מנוי\n"
            'אתר זה משתמש בעוגיות כדי לשפר את חוויית הגלישה. אישור\nנתניהו ישוחח עם נשיא ארה"ב היום\nטקסט.',
            'נתניהו ישוחח עם נשיא ארה"ב היום',
        ),
        (
            "x",
            "ورود\nعضویت\nاین سایت از کوکی‌ها استفاده می‌کند.\nپذیرفتن\nقیمت دلار در بازار تهران کاهش یافت\nمتن.",
            "قیمت دلار در بازار تهران کاهش یافت",
        ),
        # a headline of three words over a byline and a sentence stays
        (
            "x",
            "Iran bans imports\nJohn Smith\nReuters\nTehran banned imports of cars, officials said on Tuesday.",
            "Iran bans imports",
        ),
    ],
)
def test_scraped_text_persian_hebrew_and_english_mastheads(tmp_path, ingest_options, folder, page, title):
    """The Middle East press audit: IRNA's, Tolo News's and The Times of Israel's names and Haaretz's
    cookie banner were taken for the headline."""
    write(tmp_path / "in" / folder / "a.txt", page)
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].title == title


def test_persian_and_hebrew_field_names(tmp_path, ingest_options):
    """Persian (`عنوان`, `متن`, `تاریخ انتشار`, `لینک`, `منبع`) and Hebrew (`כותרת`, `תוכן`,
    `תאריך`, `קישור`, `מקור`) exports' fields are read (the audit's JSON Lines and CSV records
    were rejected without a text)."""
    record = {
        "عنوان": "تیتر خبر",
        "متن": "متن خبر درباره ایران.",
        "تاریخ انتشار": "۱۴۰۵/۰۹/۱۱ - ۰۹:۴۵",
        "لینک": "https://www.tasnimnews.com/fa/news/1",
        "منبع": "تسنیم",
    }
    write(tmp_path / "in" / "fa.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    write(
        tmp_path / "in" / "he.csv",
        'כותרת,תאריך,מקור,קישור,תוכן\nכותרת הכתבה,"02.12.26, 08:15",ynet,https://www.ynet.co.il/a,גוף הכתבה.\n',
    )
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    got = df.sort_values("title")[["title", "text", "url", "source"]].values.tolist()
    assert got == [
        ["כותרת הכתבה", "גוף הכתבה.", "https://www.ynet.co.il/a", "ynet"],
        ["تیتر خبر", "متن خبر درباره ایران.", "https://www.tasnimnews.com/fa/news/1", "تسنیم"],
    ]
    assert df.published.notna().all()


def test_a_copyright_year_is_no_publication_date(tmp_path, ingest_options):
    """htmldate's last resort, the copyright's year (`© 2026 Matichon`), came as `2026-01-01`: a
    page that writes no date has none (the cleaning stage reads its text's date lines), a page
    that writes the first of January keeps it."""
    body = "<p>" + "Mahabang teksto ng balita tungkol sa kasunduan ng dalawang bansa. " * 8 + "</p>"
    page = (
        '<html lang="tl"><head><title>Balita</title></head><body><article><h1>Balita</h1>'
        f"{body}</article><footer><p>© 2026 GMA Network Inc.</p></footer></body></html>"
    )
    df, rejects, _ = run(write(tmp_path / "a.html", page), tmp_path / "out", ingest_options)
    assert rejects == []
    assert pd.isna(df.iloc[0].published)
    dated = page.replace("<h1>Balita</h1>", '<h1>Balita</h1><p class="date">2026-01-01</p>')
    df, rejects, _ = run(write(tmp_path / "b.html", dated), tmp_path / "out2", ingest_options)
    assert df.iloc[0].published.strftime("%Y-%m-%d") == "2026-01-01"


@pytest.mark.parametrize(
    ("url", "lines", "headline"),
    [
        # the site's name with its accents and `Online` (tuoitre.vn), a log-in button, a menu
        (
            "https://tuoitre.vn/thai-lan-campuchia-2026.htm",
            ["Tuổi Trẻ Online", "Trang chủ", "Thời sự", "Đăng nhập"],
            "Thái Lan, Campuchia và Lào bàn chuyện nước sông Mekong",
        ),
        (
            "https://thanhnien.vn/a.htm",
            ["Thanh Niên", "Trang web này sử dụng cookie. Đồng ý"],
            "Việt Nam và Hàn Quốc ký kết",
        ),
        # a Thai masthead (`ไทยรัฐออนไลน์`), a menu whose words hold tone marks, the cookie banner
        (
            "https://www.thairath.co.th/news/foreign/2834567",
            ["ไทยรัฐออนไลน์", "หน้าแรก", "ข่าว", "ต่างประเทศ", "เว็บไซต์นี้ใช้คุกกี้ ยอมรับทั้งหมด"],
            "ไทย-จีน เร่งรถไฟความเร็วสูง เชื่อมลาวถึงมาเลเซีย",
        ),
    ],
)
def test_scraped_text_southeast_asian_mastheads_menus_and_banners_are_no_headline(
    tmp_path, ingest_options, url, lines, headline
):
    """Tuoi Tre's and Thai Rath's mastheads were the Southeast Asian audit's headlines: a site's
    name is compared without its accents (`Tuổi Trẻ` on tuoitre.vn) and with `Online` after it,
    a Thai one of one word before `ออนไลน์` is a masthead, and a Thai menu's words (`ข่าว`) are
    words though their tone marks are no letters."""
    furniture = "\n".join(lines)
    content = f"url: {url}\n{furniture}\n{headline}\nCâu đầu tiên của bài viết. ประโยคแรกของข่าวนี้ยาวพอสมควร\n"
    df, rejects, _ = run(write(tmp_path / "a.txt", content), tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].title == headline


@pytest.mark.parametrize(
    ("folder", "page", "title"),
    [
        # the site's name in Greek (`Η ΚΑΘΗΜΕΡΙΝΗ` on kathimerini.gr, `ΤΟ ΒΗΜΑ` on tovima.gr, `ου`
        # as `ou`, `αυ` as `av`), and Nordic, Czech and Hungarian cookie banners and log-in buttons
        (
            "kathimerini",
            "url: https://www.kathimerini.gr/politics/1/\nΗ ΚΑΘΗΜΕΡΙΝΗ\nΜενού\nΣύνδεση\nΠολιτική\n"
            "Χρησιμοποιούμε cookies για να βελτιώσουμε την εμπειρία σας. Αποδοχή όλων\n"
            "Αθήνα και Άγκυρα ξεκινούν νέο γύρο επαφών\nΚείμενο.",
            "Αθήνα και Άγκυρα ξεκινούν νέο γύρο επαφών",
        ),
        (
            "tovima",
            "url: https://www.tovima.gr/2026/12/02/world/a/\nΤΟ ΒΗΜΑ\nΚόσμος\nΝέα πρόταση του ΟΗΕ για το Κυπριακό\nΚείμενο.",
            "Νέα πρόταση του ΟΗΕ για το Κυπριακό",
        ),
        (
            "dn",
            "url: https://www.dn.se/varlden/a/\nDN\nMeny\nLogga in\nPrenumerera\n"
            "Vi använder cookies för att ge dig en bättre upplevelse av DN.se. Godkänn alla cookies\n"
            "Sverige och Finland fördjupar samarbetet\nText.",
            "Sverige och Finland fördjupar samarbetet",
        ),
        (
            "index",
            "url: https://index.hu/kulfold/a/\nIndex\nMenü\nBelépés\n"
            "Sütiket használunk a jobb felhasználói élmény érdekében. Elfogadom\n"
            "Magyarország megvétózta a segélyt\nSzöveg.",
            "Magyarország megvétózta a segélyt",
        ),
        (
            "idnes",
            "url: https://www.idnes.cz/zpravy/a\niDNES.cz\nMenu\nPřihlásit\nPředplatné\n"
            "Tento web používá soubory cookie. Souhlasím\nČesko a Německo se dohodly\nText.",
            "Česko a Německo se dohodly",
        ),
    ],
)
def test_scraped_text_greek_mastheads_and_nordic_and_central_european_banners(
    tmp_path, ingest_options, folder, page, title
):
    """Before the Nordic, Greek and Central/Eastern European press audit these pages' headline was
    their masthead in Greek letters or their cookie banner."""
    write(tmp_path / "in" / folder / "a.txt", page)
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].title == title


def test_html_czech_date_with_spaces_after_its_dots(tmp_path, ingest_options):
    """htmldate read Seznam Zprávy's `1. 12. 2026 18:40` as 12 January; written without the spaces
    for it, it is 1 December (17:40 UTC, Prague's clock)."""
    page = (
        '<html lang="cs"><head><title>Slovensko vyhostilo diplomaty</title>'
        '<meta property="og:url" content="https://www.seznamzpravy.cz/clanek/a-1"></head><body><article>'
        '<h1>Slovensko vyhostilo diplomaty</h1><p class="date">1. 12. 2026 18:40</p>'
        "<p>Slovenská vláda v pondělí vyhostila tři ruské diplomaty kvůli podezření ze špionáže.</p>"
        "<p>Moskva slíbila odvetu. Česká ministryně zahraničí krok podpořila a připomněla minulost.</p>"
        "</article></body></html>"
    )
    write(tmp_path / "in" / "a.html", page)
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert str(df.iloc[0].published)[:16] == "2026-12-01 17:40"


def test_nordic_greek_and_central_european_field_names(tmp_path, ingest_options):
    """Finnish (`otsikko`, `julkaistu`, `teksti`, `osoite`, `lähde`), Hungarian (`cím`, `dátum`,
    `szöveg`, `forrás`), Czech, Romanian, Greek and Swedish field names of press exports."""
    records = [
        {
            "otsikko": "Viro ja Latvia",
            "julkaistu": "2026-12-01",
            "lähde": "Yle",
            "osoite": "https://yle.fi/a/1",
            "teksti": "Teksti.",
        },
        {
            "cím": "Magyarország",
            "dátum": "2026-12-01",
            "forrás": "HVG",
            "link": "https://hvg.hu/a",
            "szöveg": "Szöveg.",
        },
        {"titulek": "Česko", "datum": "2026-12-01", "zdroj": "iDNES", "odkaz": "https://idnes.cz/a", "obsah": "Text."},
        {
            "titlu": "România",
            "data": "2026-12-01",
            "sursa": "Digi24",
            "link": "https://digi24.ro/a",
            "continut": "Text.",
        },
        {
            "τίτλος": "Ελλάδα",
            "ημερομηνία": "2026-12-01",
            "πηγή": "Καθημερινή",
            "σύνδεσμος": "https://kathimerini.gr/a",
            "κείμενο": "Κείμενο.",
        },
        {"titel": "Sverige", "publicerad": "2026-12-01", "källa": "DN", "länk": "https://dn.se/a", "brödtext": "Text."},
    ]
    write(tmp_path / "in" / "a.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.title.tolist() == ["Viro ja Latvia", "Magyarország", "Česko", "România", "Ελλάδα", "Sverige"]
    assert df.text.notna().all() and df.url.notna().all() and df.source.notna().all() and df.published.notna().all()


@pytest.mark.parametrize(
    ("folder", "page", "title"),
    [
        # a menu flattened onto one line by the scraper over a cookie banner and the section's name
        # (the Balkan and Baltic press audit: 11 of its headlines were the menu)
        (
            "vecernji",
            "url: https://www.vecernji.hr/vijesti/a-1\nVečernji list\nVijesti Sport Show Zdravlje Lifestyle\nPrijava\n"
            "Ova web stranica koristi kolačiće kako bi vam pružila bolje korisničko iskustvo. Prihvaćam\nVijesti\n"
            "Hrvatska i Slovenija dogovorile zajedničku nabavu plina\nTekst.",
            "Hrvatska i Slovenija dogovorile zajedničku nabavu plina",
        ),
        (
            "dnevnik",
            "url: https://www.dnevnik.bg/sviat/a/\nДневник\nНовини Бизнес Свят Спорт Мнения\nВход\n"
            "Този сайт използва бисквитки. Приемам\nСвят\nБългария и Румъния откриват нов мост на Дунав\nТекст.",
            "България и Румъния откриват нов мост на Дунав",
        ),
        # a headline in title case holds a word a menu does not (`On`, `In`): it stays the headline
        (
            "wire",
            "url: https://example.com/a\nLeaders Agree On Trade Deal In Geneva\nThe Two Sides Met For Three Days\nText.",
            "Leaders Agree On Trade Deal In Geneva",
        ),
        # a headline in title case without such a word, no furniture above it: it stays the headline,
        # whatever comes under it (a byline, a standfirst)
        (
            "wire",
            "url: https://example.com/a\nSenate Passes Defense Bill\nBy John Smith and Jane Doe\n\nThe Senate voted.",
            "Senate Passes Defense Bill",
        ),
        (
            "wire",
            "url: https://example.com/a\nApple Unveils Cheaper Vision Headset\nThe company hopes a lower price will "
            "widen the appeal of its device\n\nApple unveiled it on Tuesday.",
            "Apple Unveils Cheaper Vision Headset",
        ),
    ],
)
def test_scraped_text_flat_menu_is_furniture(tmp_path, ingest_options, folder, page, title):
    write(tmp_path / "in" / folder / "a.txt", page)
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].title == title


@pytest.mark.parametrize(
    ("page", "title", "author"),
    [
        # a menu flattened with separators over the headline (it was the headline), a byline with
        # the date after it
        (
            "Accueil | Actualités | Politique | Économie | Sport | Culture | Contact\nMenu\n"
            "Football : les Lions battent le Cameroun en amical\nPublié par Moussa Diop | 14 mars 2024 à 21h05\n"
            "Cet article a été lu 1 120 fois\nL'équipe nationale s'est imposée deux buts à zéro jeudi soir.",
            "Football : les Lions battent le Cameroun en amical",
            "Moussa Diop",
        ),
        (
            "Home • World • Politics • Business • Tech • Sport\nPort strike halts grain exports for a third day\n"
            "World\nDecember 2, 2026\n10:32 am\nBy: Jane Doe - Reporter\nDockers walked out on Monday.",
            "Port strike halts grain exports for a third day",
            "Jane Doe",
        ),
        ("Gaz : accord signé\nPar Hamid Mohandi 02 Déc. 2026 à 12:04\nTexte.", "Gaz : accord signé", "Hamid Mohandi"),
        ("Port deal signed\nAuthor of the article: Derrick Penner\nText.", "Port deal signed", "Derrick Penner"),
        # a byline with its dates in fields after bars, longer than a byline alone (it was unread)
        (
            "Finance bill approved\nBy Jane Wanjiru | Published: March 14, 2024 10:30 am | Updated: March 14, 2024"
            " 11:00 am\nText.",
            "Finance bill approved",
            "Jane Wanjiru",
        ),
        (
            "الرئيسية\nأخبار وطنية\nالمغرب وإسبانيا يوقعان اتفاقية جديدة للتعاون في مجال الهجرة\nبقلم: يوسف العلوي\nنص.",
            "المغرب وإسبانيا يوقعان اتفاقية جديدة للتعاون في مجال الهجرة",
            "يوسف العلوي",
        ),
        # a headline with one separator stays the headline; a sentence opening with `By` is no byline
        (
            "Maroc | La croissance ralentit au troisième trimestre\n"
            "By Monday, the central bank had cut its forecast for the year to 2.1 percent.\nText.",
            "Maroc | La croissance ralentit au troisième trimestre",
            None,
        ),
        ("Port deal signed\nPar ailleurs, le ministre a rappelé le calendrier.\nTexte.", "Port deal signed", None),
        # an `author:` line before the headline names the author
        ("author: Karim Benali\nPort deal signed\nBy Jane Doe\nText.", "Port deal signed", "Karim Benali"),
    ],
)
def test_scraped_text_separated_menu_and_byline(tmp_path, ingest_options, page, title, author):
    write(tmp_path / "in" / "site" / "a.txt", page)
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].title == title
    assert (None if pd.isna(df.iloc[0].author) else df.iloc[0].author) == author


def test_scraped_text_byline_without_the_outlet_glued_to_it(tmp_path, ingest_options):
    """`By Chad Morrison Fox News` on foxnews.com: the outlet's name is no part of the author's."""
    page = "url: https://www.foxnews.com/world/a\nCartels move fentanyl through new routes\nBy Chad Morrison Fox News\nText."
    write(tmp_path / "in" / "a.txt", page)
    df, _, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert df.iloc[0].author == "Chad Morrison"


def test_feed_of_an_aggregator_names_each_entry_s_outlet(tmp_path, ingest_options):
    """Google News's feeds: an entry's `<source>` is its outlet (not the feed's title), whose name
    ends the entry's title and whose country its name gives; the summary, the title and that name
    again, is no text."""
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>"Maroc" - Google Actualités'
        "</title><link>https://news.google.com/search?q=Maroc</link><language>fr</language><item><title>Le Maroc"
        " et le Portugal renforcent leur coopération - Le360</title><link>https://news.google.com/rss/articles/"
        'CBMiXW?oc=5</link><pubDate>Tue, 19 Mar 2024 08:00:00 GMT</pubDate><description>&lt;a href="https://'
        'news.google.com/rss/articles/CBMiXW?oc=5"&gt;Le Maroc et le Portugal renforcent leur coopération'
        '&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;Le360&lt;/font&gt;</description>'
        '<source url="https://fr.le360.ma">Le360</source></item></channel></rss>'
    )
    df, rejects, _ = run(write(tmp_path / "gnews.rss", feed), tmp_path / "out", ingest_options)
    assert rejects == []
    article = df.iloc[0]
    assert (article.title, article.source, article.source_country) == (
        "Le Maroc et le Portugal renforcent leur coopération",
        "Le360",
        "MA",
    )
    assert pd.isna(article.text)


def test_feed_of_google_alerts_leads_to_the_articles(tmp_path, ingest_options):
    """Google Alerts' entries link through `google.com/url?…&url=…` and mark the words searched
    (`<b>`): the URL was the redirector's (no outlet, no country), the source the alert's name and
    the title held its tags and an entity (`&#39;`)."""
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Alerte Google -'
        ' sécheresse Maroc</title><link href="https://www.google.com/alerts/feeds/06848/1029384" rel="self"/>'
        '<entry><id>tag:google.com,2013:googlealerts/feed:1</id><title type="html">Morocco&amp;#39;s &lt;b&gt;'
        'drought&lt;/b&gt; deepens</title><link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://'
        'www.lematin.ma/societe/secheresse/2024.html&amp;ct=ga&amp;usg=AOvVaw0x"/><published>2024-03-15T07:45:00Z'
        '</published><content type="html">Face à la &lt;b&gt;sécheresse&lt;/b&gt; ...</content></entry></feed>'
    )
    df, rejects, _ = run(write(tmp_path / "feeds" / "alerts.xml", feed), tmp_path / "out", ingest_options)
    assert rejects == []
    article = df.iloc[0]
    assert article.url == "https://www.lematin.ma/societe/secheresse/2024.html"
    assert (article.title, article.source, article.source_country) == ("Morocco's drought deepens", "lematin.ma", "MA")
    assert article.text == "Face à la sécheresse ..."


def test_feed_of_several_sites_and_feedburner_s_links(tmp_path, ingest_options):
    """A digest's entries of other sites are their sites' (not the digest's title, nor the
    folder's name); the site's own keep its title; FeedBurner's proxy link gives way to the
    article's own (`feedburner:origLink`)."""
    feed = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">'
        "<channel><title>Le Digest</title><link>https://www.digest.sn/</link>"
        "<item><title>A</title><link>https://www.digest.sn/a</link><description>Texte A.</description></item>"
        "<item><title>B</title><link>https://www.maliweb.net/b.html</link><description>Texte B.</description></item>"
        "<item><title>C</title><link>https://feedproxy.google.com/~r/digest/~3/xyz/</link>"
        "<feedburner:origLink>https://www.digest.sn/c</feedburner:origLink><description>Texte C.</description></item>"
        "</channel></rss>"
    )
    df, rejects, _ = run(write(tmp_path / "feeds" / "digest.rss", feed), tmp_path / "out", ingest_options)
    assert rejects == []
    got = {r.title: (r.source, r.url) for r in df.itertuples()}
    assert got == {
        "A": ("Le Digest", "https://www.digest.sn/a"),
        "B": ("maliweb.net", "https://www.maliweb.net/b.html"),
        "C": ("Le Digest", "https://www.digest.sn/c"),
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.google.com/url?rct=j&sa=t&url=https://www.lematin.ma/a.html&ct=ga",
            "https://www.lematin.ma/a.html",
        ),
        (
            "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.hespress.com%2Fa%3Fx%3D1&h=AT0",
            "https://www.hespress.com/a?x=1",
        ),
        (
            "https://www.bing.com/news/apiclick.aspx?ref=FexRss&url=https%3a%2f%2fwww.tsa-algerie.com%2fa%2f",
            "https://www.tsa-algerie.com/a/",
        ),
        # an address of the same site, or a parameter no redirector uses, stays
        (
            "https://www.lemonde.fr/a?url=https://www.lemonde.fr/b",
            "https://www.lemonde.fr/a?url=https://www.lemonde.fr/b",
        ),
        ("https://www.lemonde.fr/a?ref=https://twitter.com/x", "https://www.lemonde.fr/a?ref=https://twitter.com/x"),
        ("https://www.lemonde.fr/a", "https://www.lemonde.fr/a"),
    ],
)
def test_unwrap_redirect(url, expected):
    assert importlib.import_module("analysis.io.loaders").unwrap_redirect(url) == expected


@pytest.mark.parametrize(
    "header",
    [
        "web-scraper-order,web-scraper-start-url,title,title-href,date,content",  # Web Scraper (a browser extension)
        "order,start,Title,Title_URL,Time,Content",  # Octoparse
    ],
)
def test_csv_of_a_scraping_tool_links_its_articles(tmp_path, ingest_options, header):
    """A scraping tool writes the link beside the text it took it from (`title-href`): the article's
    URL (the articles had none, and so no source nor outlet country)."""
    row_ = "1,https://www.medias24.com/economie/,OCP signe un contrat,https://www.medias24.com/2024/03/21/ocp/,21/03/2024,Texte."
    df, rejects, _ = run(write(tmp_path / "x.csv", f"{header}\n{row_}\n"), tmp_path / "out", ingest_options)
    assert rejects == []
    assert df.iloc[0].url == "https://www.medias24.com/2024/03/21/ocp/"
    assert (df.iloc[0].source, df.iloc[0].source_country) == ("medias24.com", "MA")


def test_a_relative_date_is_read_back_from_the_fetch(tmp_path, ingest_options):
    """A scraping tool copies a listing's `il y a 2 heures`: the time of the fetch less 2 hours (the
    dates were unread); `Hier à 14h30` at that clock of the outlet's (it was midnight); without the
    fetch's time it stays unread."""
    rows = [
        ("A", "il y a 2 heures", "2024-03-22T10:00:00Z"),
        ("B", "Hier à 14h30", "2024-03-22T10:00:00Z"),
        ("C", "3 hours ago", "2024-03-22T10:00:00Z"),
        ("D", "منذ 3 ساعات", "2024-03-22T10:00:00Z"),
        ("E", "il y a 2 heures", ""),
        ("F", "Le ministre a parlé il y a 2 heures devant les députés", "2024-03-22T10:00:00Z"),
        # a day's clock is the outlet's: Senegal's is UTC, Morocco's UTC+1 (outside Ramadan)
        ("G", "Hier à 14h30", "2024-05-22T10:00:00Z"),
        ("H", "yesterday at 2:30 pm", "2024-03-22T10:00:00Z"),
    ]
    lines = ["title,url,date,scraped_at,content"] + [
        f"{t},https://www.{'hespress.com' if t == 'G' else 'seneweb.com'}/{t},{d},{f},Texte {t}." for t, d, f in rows
    ]
    df, rejects, _ = run(write(tmp_path / "x.csv", "\n".join(lines) + "\n"), tmp_path / "out", ingest_options)
    assert rejects == []
    got = {r.title: (None if pd.isna(r.published) else r.published.isoformat()) for r in df.itertuples()}
    assert got == {
        "A": "2024-03-22T08:00:00+00:00",
        "B": "2024-03-21T14:30:00+00:00",
        "C": "2024-03-22T07:00:00+00:00",
        "D": "2024-03-22T07:00:00+00:00",
        "E": None,
        "F": None,
        "G": "2024-05-21T13:30:00+00:00",
        "H": "2024-03-21T14:30:00+00:00",
    }


def test_csv_report_s_preamble_over_the_header(tmp_path, ingest_options):
    """A monitoring report's title and client over the header row (no delimiter in them): the
    delimiter was guessed from the title, the header taken to be it, every article rejected."""
    content = (
        "Rapport de veille médias - Mars 2024\nClient : Ministère de l'Industrie\n\n"
        "Date;Média;Titre;Résumé;Lien\n"
        "2024-03-20;Le Matin;Tanger Med dépasse 8 millions de conteneurs;Un cap.;https://lematin.ma/a1\n"
        "21/03/2024;L'Economiste;Le textile mise sur l'Europe;La France.;https://leconomiste.com/a2\n"
    )
    df, rejects, _ = run(write(tmp_path / "in" / "veille.csv", content), tmp_path / "out", ingest_options)
    assert list(df.title) == ["Tanger Med dépasse 8 millions de conteneurs", "Le textile mise sur l'Europe"]
    assert list(df.source) == ["Le Matin", "L'Economiste"] and list(df.raw_index) == [2, 3]
    assert [(r["raw_index"], r["reason"], r["excerpt"]) for r in rejects] == [
        (0, "preamble", "Rapport de veille médias - Mars 2024"),
        (1, "preamble", "Client : Ministère de l'Industrie"),
    ]


def test_scraped_text_header_lines_under_any_field_s_name(tmp_path, ingest_options):
    """`Titre :`, `Date :`, `Lien :`, `Auteur :` over the body (the headline was `Titre : ...` and
    the others stayed in the text); a headline that opens with a field's name and a colon, whose
    value is none of that field's (`Time: the clock ...`), stays the headline."""
    write(
        tmp_path / "in" / "a.txt",
        "Titre : Le Maroc accueille la Coupe du monde des clubs\nDate de publication : 25/03/2024\n"
        "Source : Le Matin\nAuteur : Nadia Bennani\nLien : https://lematin.ma/sport/a1\n\n"
        "Le Maroc accueillera la prochaine édition, a annoncé la FIFA.\n",
    )
    write(tmp_path / "in" / "b.txt", "Time: the clock runs out for Brexit talks\n\nThe talks stalled on Monday.\n")
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    a, b = (df[df.raw_path.str.endswith(name)].iloc[0] for name in ("a.txt", "b.txt"))
    assert (a.title, a.source, a.author, a.url) == (
        "Le Maroc accueille la Coupe du monde des clubs",
        "Le Matin",
        "Nadia Bennani",
        "https://lematin.ma/sport/a1",
    )
    assert a.published.isoformat() == "2024-03-25T00:00:00+00:00"
    assert a.text == "Le Maroc accueillera la prochaine édition, a annoncé la FIFA."
    assert b.title == "Time: the clock runs out for Brexit talks" and pd.isna(b.published)


def test_jsonl_lithuanian_field_names(tmp_path, ingest_options):
    """Delfi's export: `antraštė`, `data`, `tekstas`, `nuoroda`, `šaltinis` (unread before, the records
    had no text nor URL)."""
    record = {
        "antraštė": "Kinija surengė karines pratybas",
        "data": "2026-12-02T06:15:00+02:00",
        "šaltinis": "Delfi.lt",
        "nuoroda": "https://www.delfi.lt/news/daily/world/a-1",
        "tekstas": "Kinijos kariuomenė antradienį surengė dideles pratybas netoli Taivano.",
    }
    write(tmp_path / "in" / "a.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    df, rejects, _ = run(tmp_path / "in", tmp_path / "out", ingest_options)
    assert rejects == []
    row = df.iloc[0]
    assert (row.title, row.url) == (record["antraštė"], record["nuoroda"])
    assert row.text.startswith("Kinijos kariuomenė")


def _odt(body: str) -> bytes:
    """A minimal OpenDocument text whose body is ``body`` (the elements of `office:text`)."""
    import io
    import zipfile

    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return out.getvalue()


def test_an_opendocument_text_is_read_as_a_word_document(tmp_path, ingest_options):
    """LibreOffice's `.odt` files were rejected (`unsupported_format`): a document's headline, its
    paragraphs (counted spaces, a span, a table's cells) without its notes."""
    body = (
        "<text:h>Le Maroc et l'Espagne signent trois accords</text:h>"
        "<text:p>Par<text:s/>Karim Benali</text:p>"
        "<text:p>Les deux pays ont signé <text:span>lundi</text:span> à Rabat trois accords"
        "<text:note><text:note-body><text:p>Source : MAP.</text:p></text:note-body></text:note>.</text:p>"
        "<table:table><table:table-row><table:table-cell><text:p>Énergie</text:p></table:table-cell>"
        "</table:table-row></table:table>"
    )
    df, rejects, _ = run(write(tmp_path / "article.odt", _odt(body)), tmp_path / "out", ingest_options)
    assert rejects == []
    article = df.iloc[0]
    assert (article.raw_format, article.title, article.author) == (
        "odt",
        "Le Maroc et l'Espagne signent trois accords",
        "Karim Benali",
    )
    assert article.text == "Par Karim Benali\nLes deux pays ont signé lundi à Rabat trois accords.\nÉnergie"
    _, rejects, _ = run(write(tmp_path / "broken.odt", b"PK\x03\x04 not a zip"), tmp_path / "o2", ingest_options)
    assert [r["reason"] for r in rejects] == ["invalid_odt"]


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://www.hespress.com/economie/accord-123456.html</loc>
    <image:image><image:loc>https://www.hespress.com/1.jpg</image:loc><image:title>Photo</image:title></image:image>
    <news:news>
      <news:publication><news:name>Hespress FR</news:name><news:language>fr</news:language></news:publication>
      <news:publication_date>2024-03-14T09:15:00+01:00</news:publication_date>
      <news:title>Le Maroc et l'Espagne signent un accord</news:title>
      <news:keywords>Maroc, Espagne</news:keywords>
    </news:news>
  </url>
  <url><loc>https://www.hespress.com/politique/sans-titre-123457.html</loc></url>
</urlset>
"""


def test_a_news_sitemap_is_one_headline_per_address(tmp_path, ingest_options):
    """A news sitemap (Google News's `news:` elements) was `no_records` ("feed has no entries"):
    each address with its title is a headline-only article (its date, its publication's name and
    language, its keywords; an image's title is not the article's); one without a title a reject."""
    df, rejects, stats = run(write(tmp_path / "sitemap-news.xml", NEWS_SITEMAP), tmp_path / "out", ingest_options)
    assert list(df.title) == ["Le Maroc et l'Espagne signent un accord"] and df.text.isna().all()
    row = df.iloc[0]
    assert (row.url, row.source, row.language) == (
        "https://www.hespress.com/economie/accord-123456.html",
        "Hespress FR",
        "fr",
    )
    assert row.published.isoformat() == "2024-03-14T08:15:00+00:00" and list(row.tags) == ["Maroc", "Espagne"]
    assert [(r["raw_index"], r["reason"]) for r in rejects] == [(1, "no_text")]
    assert stats["records"]["read"] == 2


@pytest.mark.parametrize(
    "content",
    [
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.ma/x</loc>'
        "<lastmod>2024-03-14</lastmod></url></urlset>",
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
        "<loc>https://a.ma/sitemap-1.xml</loc></sitemap></sitemapindex>",
    ],
)
def test_a_sitemap_without_titles_lists_pages_to_collect(tmp_path, ingest_options, content):
    df, rejects, _ = run(write(tmp_path / "sitemap.xml", content), tmp_path / "out", ingest_options)
    assert df.empty and [r["reason"] for r in rejects] == ["no_records"]
    assert "analysis collect" in rejects[0]["detail"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # a scraper's items dumped one after the other, without a line break or a comma
        ("concat.json", '{"title": "Un", "text": "1"}{"title": "Deux", "text": "2"} {"title": "Trois", "text": "3"}'),
        # JavaScript's trailing commas, JSON's NaN
        (
            "commas.json",
            '[{"title": "Un", "text": "1", "author": NaN},\n{"title": "Deux", "text": "2",},\n{"title": "Trois", "text": "3"},\n]',
        ),
        # a list printed by Python
        (
            "printed.json",
            "[{'title': 'Un', 'text': '1', 'author': None}, {'title': 'Deux', 'text': \"2\"}, {'title': 'Trois', 'text': '3'}]",
        ),
        # a dict a line, printed by Python into a `.json` file
        (
            "lines.json",
            "{'title': 'Un', 'text': '1'}\n{'title': 'Deux', 'text': '2'}\n{'title': 'Trois', 'text': '3'}\n",
        ),
        # JSON Lines whose lines Python printed, one still JSON
        (
            "printed.jsonl",
            "{'title': 'Un', 'text': '1', 'live': True}\n{\"title\": \"Deux\", \"text\": \"2\"}\n{'title': 'Trois', 'text': '3'}\n",
        ),
    ],
)
def test_json_as_the_tools_that_break_it_meant_it(tmp_path, ingest_options, name, content):
    """Documents JSON refuses, each written by a tool in its way, were `invalid_json` whole."""
    df, rejects, _ = run(write(tmp_path / name, content), tmp_path / "out", ingest_options)
    assert rejects == []
    assert list(df.title) == ["Un", "Deux", "Trois"] and list(df.text) == ["1", "2", "3"]


def test_json_broken_otherwise_stays_a_reject(tmp_path, ingest_options):
    """What no such reading explains stays `invalid_json`, naming where it breaks; a Python literal is
    read as a literal only (`ast.literal_eval`: no call is made)."""
    for name, content in [
        ("cut.json", '[{"title": "Un", "text": "1"}, {"title": "Deux", "te'),
        ("call.json", "[{'title': __import__('os').getcwd(), 'text': '1'}]"),
    ]:
        _, rejects, _ = run(write(tmp_path / name, content), tmp_path / name.replace(".", "_"), ingest_options)
        assert [r["reason"] for r in rejects][-1:] == ["invalid_json"], name


def _mhtml(html: str, address: str = "https://fr.le360.ma/economie/accord-123456/") -> bytes:
    import quopri

    body = quopri.encodestring(html.encode("utf-8")).decode("ascii")
    return (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {address}\r\n"
        "Subject: =?utf-8?Q?Accord?=\r\n"
        "Date: Thu, 14 Mar 2024 11:20:00 -0000\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----B----"\r\n\r\n'
        "------B----\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        f"Content-Location: {address}\r\n\r\n{body}\r\n"
        "------B----\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n"
        "------B------\r\n"
    ).encode("ascii")


def test_a_page_saved_as_one_file(tmp_path, ingest_options):
    """A browser's `Webpage, single file` (`.mhtml`) was `unsupported_format`: its HTML part is read as
    a saved page (quoted-printable undone, UTF-8), its address the URL, the time it was saved `fetched`."""
    paragraph = "Le ministre marocain de l'Énergie a signé jeudi à Rabat un accord avec son homologue espagnol. "
    html = (
        '<html lang="fr"><head><meta charset="utf-8"><title>Accord sur l\'hydrogène - Le360</title>'
        '<meta property="og:site_name" content="Le360"></head><body><nav>Accueil Politique</nav><article>'
        f"<h1>Accord sur l'hydrogène</h1><p>{paragraph * 3}</p><p>{paragraph * 2}</p></article></body></html>"
    )
    df, rejects, _ = run(write(tmp_path / "page.mhtml", _mhtml(html)), tmp_path / "out", ingest_options)
    assert rejects == []
    row = df.iloc[0]
    assert (row.title, row.source, row.raw_format) == ("Accord sur l'hydrogène", "Le360", "mhtml")
    assert row.url == "https://fr.le360.ma/economie/accord-123456/" and "Énergie" in row.text
    assert "Accueil" not in row.text and row.fetched.isoformat() == "2024-03-14T11:20:00+00:00"


def test_a_single_file_page_without_a_page_is_a_reject(tmp_path, ingest_options):
    content = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=B\r\n\r\n--B\r\nContent-Type: image/png\r\n\r\nxx\r\n--B--\r\n"
    df, rejects, _ = run(write(tmp_path / "page.mht", content), tmp_path / "out", ingest_options)
    assert df.empty and [(r["reason"], r["detail"]) for r in rejects] == [
        ("no_records", "a single-file page without an HTML part")
    ]


def test_a_news_api_response_and_titles_ending_with_the_site_s_name(tmp_path, ingest_options):
    """A news API's response (NewsAPI's `articles`, each its `source.name`): a title the site's name
    ends after a separator (`… - Le360`, `… | BBC News`) is the title without it, when that part
    is the source's name or the domain's, letter for letter; `Maroc - France` on France 24 keeps it."""
    articles = [
        {
            "source": {"id": None, "name": "Le360"},
            "title": "Le Maroc et l'Espagne signent un accord - Le360",
            "url": "https://fr.le360.ma/economie/accord-123456/",
            "content": "Un accord… [+2345 chars]",
        },
        {
            "source": {"id": "bbc-news", "name": "BBC News"},
            "title": "Morocco and Spain sign a deal | BBC News",
            "url": "https://www.bbc.com/news/world-africa-123",
            "content": "A deal.",
        },
        {
            "source": {"name": "France 24"},
            "title": "Football : le match Maroc - France",
            "url": "https://www.france24.com/fr/sports/1",
            "content": "Un match.",
        },
        {
            "source": {"name": "Hespress"},
            "title": "Un accord signé à Rabat :: hespress.com",
            "url": "https://fr.hespress.com/1.html",
            "content": "Un accord.",
        },
    ]
    response = {"status": "ok", "totalResults": 4, "articles": articles}
    df, rejects, _ = run(write(tmp_path / "newsapi.json", json.dumps(response)), tmp_path / "out", ingest_options)
    assert rejects == []
    assert list(df.title) == [
        "Le Maroc et l'Espagne signent un accord",
        "Morocco and Spain sign a deal",
        "Football : le match Maroc - France",
        "Un accord signé à Rabat",
    ]


def test_a_page_whose_address_and_keywords_only_its_json_ld_states(tmp_path, ingest_options):
    """A page a site renders with scripts states its article's address and keywords in JSON-LD only
    (in a `@graph` beside the site's own objects): they are its URL and tags; without them none."""
    paragraph = "Le ministre marocain de l'Énergie a signé jeudi à Rabat un accord avec son homologue. "
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "url": "https://medias24.com/", "name": "Médias24"},
            {
                "@type": ["NewsArticle"],
                "headline": "Un accord sur l'hydrogène vert",
                "mainEntityOfPage": {"@id": "https://medias24.com/2024/03/14/accord/"},
                "keywords": "Maroc, Espagne",
                "datePublished": "2024-03-14T09:15:00+01:00",
            },
        ],
    }
    page = (
        f'<html><head><title>Un accord sur l\'hydrogène vert</title><script type="application/ld+json">'
        f"{json.dumps(graph)}</script></head><body><article><h1>Un accord sur l'hydrogène vert</h1>"
        f"<p>{paragraph * 3}</p><p>{paragraph * 2}</p></article></body></html>"
    )
    df, rejects, _ = run(write(tmp_path / "a.html", page), tmp_path / "out", ingest_options)
    assert rejects == [] and df.url[0] == "https://medias24.com/2024/03/14/accord/"
    assert list(df.tags[0]) == ["Maroc", "Espagne"]
    plain = page.replace("application/ld+json", "text/plain")
    df, _, _ = run(write(tmp_path / "b.html", plain), tmp_path / "o2", ingest_options)
    assert df.url.isna().all() and list(df.tags[0]) == []


@pytest.mark.parametrize(
    ("og_title", "page_title", "h1", "expected"),
    [
        # a site's own name as every page's og:title: the headline its <title> and <h1> show
        ("Yahoo News - Latest News & Headlines", "Russia: Space ship breaks up over Siberia", None, "h1"),
        # the headline with the site's name after it: the headline as shown
        ("Sécheresse : Rabat rationne l'eau - Atlas Actu", "Sécheresse : Rabat rationne l'eau", None, "h1"),
        # a social headline that the <title> holds: kept
        ("Rabat rationne l'eau", "Rabat rationne l'eau | Atlas Actu", "Sécheresse : Rabat rationne l'eau", "og"),
        # an <h1> that is the site's logo, or one the <title> does not hold: the og:title
        ("Rabat rationne l'eau", "Atlas Actu", "Atlas Actu", "og"),
        ("Rabat rationne l'eau", "Rabat rationne l'eau", "Nos derniers articles publiés", "og"),
    ],
)
def test_a_page_s_generic_metadata_title_gives_way_to_its_shown_headline(
    tmp_path, ingest_options, og_title, page_title, h1, expected
):
    h1 = h1 or page_title
    body = " ".join(["Rabat a décidé de rationner l'eau dans plusieurs quartiers de la ville cette semaine."] * 4)
    page = (
        f'<html><head><title>{html.escape(page_title)}</title><meta property="og:title" content="'
        f'{html.escape(og_title)}"></head><body><article><h1><a href="/a">{html.escape(h1)}</a></h1>'
        f"<p>{body}</p></article></body></html>"
    )
    df, rejects, _ = run(write(tmp_path / "a.html", page), tmp_path / "out", ingest_options)
    assert rejects == [] and df.title[0] == (h1 if expected == "h1" else og_title)


def test_a_page_rendered_by_scripts_keeps_its_json_ld_body_s_paragraphs(tmp_path, ingest_options):
    """A page that shows no text (a site rendered by scripts): its text is its JSON-LD
    `articleBody`, in the paragraphs written there; a page that shows its paragraphs keeps them
    when its JSON-LD's body is the same words in one."""
    paragraphs = [
        "Rabat a annoncé lundi un plan de dessalement pour les villes côtières du royaume.",
        "Le projet coûtera dix milliards de dirhams, selon le ministère de l'Équipement et de l'Eau.",
        "Les travaux commenceront l'an prochain près de Casablanca, puis à Agadir et à Tanger.",
    ]

    def page(body: str, shown: str) -> str:
        stated = {"@type": "NewsArticle", "headline": "Un plan de dessalement", "articleBody": body}
        return (
            "<html><head><title>Un plan de dessalement</title>"
            f'<script type="application/ld+json">{json.dumps(stated, ensure_ascii=False)}</script></head>'
            f'<body><div id="root">{shown}</div></body></html>'
        )

    scripted = page("\n\n".join(paragraphs), "")
    df, rejects, _ = run(write(tmp_path / "a.html", scripted), tmp_path / "out", ingest_options)
    assert rejects == [] and df.text[0] == "\n\n".join(paragraphs)
    shown = page(" ".join(paragraphs), "".join(f"<p>{p}</p>" for p in paragraphs))
    df, _, _ = run(write(tmp_path / "b.html", shown), tmp_path / "o2", ingest_options)
    assert df.text[0] == "\n\n".join(paragraphs)
    marked = page("".join(f"<p>{p}</p>" for p in paragraphs), "")  # (a body stated in HTML)
    df, _, _ = run(write(tmp_path / "c.html", marked), tmp_path / "o3", ingest_options)
    assert df.text[0] == "\n\n".join(paragraphs)


def test_a_feed_reader_s_export(tmp_path, ingest_options):
    """A feed reader's saved articles in the Google Reader API's JSON (Inoreader's, FreshRSS's):
    the feed's title under `origin` is the source (its link was the source), a user's label a tag
    and a state (`starred`) none, the crawl time in milliseconds the fetch."""
    item = {
        "crawlTimeMsec": "1710410500000",
        "id": "tag:google.com,2005:reader/item/00000001",
        "categories": ["user/1005/state/com.google/starred", "user/1005/label/Maroc"],
        "title": "Le Maroc et l'Espagne signent un accord",
        "published": 1710404100,
        "alternate": [{"href": "https://fr.le360.ma/economie/accord-123456/", "type": "text/html"}],
        "summary": {"direction": "ltr", "content": "<p>Le ministre a signé un accord.</p>"},
        "origin": {"streamId": "feed/https://fr.le360.ma/rss", "title": "Le360", "htmlUrl": "https://fr.le360.ma"},
    }
    document = {"id": "user/1005/state/com.google/starred", "title": "Starred articles", "items": [item]}
    df, rejects, _ = run(write(tmp_path / "starred.json", json.dumps(document)), tmp_path / "out", ingest_options)
    assert rejects == []
    row = df.iloc[0]
    assert (row.source, list(row.tags), row.text) == ("Le360", ["Maroc"], "Le ministre a signé un accord.")
    assert row.fetched.isoformat() == "2024-03-14T10:01:40+00:00"
    assert row.published.isoformat() == "2024-03-14T08:15:00+00:00"


def test_a_page_s_tag_line_gives_its_tags(tmp_path, ingest_options):
    """A page whose metadata names no tags and whose text ends with a tag line (`Mots-clés : …`, as
    a scraped text's would) takes its tags from it (the line stays in the text, for the cleaner)."""
    paragraph = "Le conseil de la Banque centrale de Tunisie a décidé mercredi de maintenir son taux directeur. "
    page = (
        "<html><head><title>La BCT maintient son taux</title></head><body><article><h1>La BCT maintient son taux</h1>"
        f"<p>{paragraph * 3}</p><p>{paragraph * 2}</p><p>Mots-clés : BCT, inflation, taux directeur</p>"
        "</article></body></html>"
    )
    df, rejects, _ = run(write(tmp_path / "a.html", page), tmp_path / "out", ingest_options)
    assert rejects == [] and list(df.tags[0]) == ["BCT", "inflation", "taux directeur"]


def test_a_day_alone_yields_to_the_same_day_with_its_time(tmp_path, ingest_options):
    """Event Registry's export gives `date` (the day), `time` and `dateTime`: the day with its time
    is the date, not the day at midnight; a later field holding another day, or no time, leaves
    the day as it is."""
    records = [
        {"title": "Un", "body": "B", "date": "2024-03-12", "time": "10:45:00", "dateTime": "2024-03-12T10:45:00Z"},
        {"title": "Deux", "body": "B", "date": "2024-03-12", "dateTime": "2024-03-13T10:45:00Z"},
        {"title": "Trois", "body": "B", "date": "2024-03-12", "datetime": "2024-03-12"},
        {"title": "Quatre", "body": "B", "date": "2024-03-12 09:00", "dateTime": "2024-03-12T10:45:00Z"},
    ]
    payload = json.dumps({"articles": {"results": records, "totalResults": 4}})
    df, rejects, _ = run(write(tmp_path / "er.json", payload), tmp_path / "out", ingest_options)
    assert rejects == []
    published = dict(zip(df.title, (d.isoformat() for d in df.published), strict=True))
    assert published == {
        "Un": "2024-03-12T10:45:00+00:00",
        "Deux": "2024-03-12T00:00:00+00:00",
        "Trois": "2024-03-12T00:00:00+00:00",
        "Quatre": "2024-03-12T09:00:00+00:00",
    }


@pytest.mark.parametrize(
    ("declared", "code"),
    [
        ("fr-FR", "fr"),
        ("French", "fr"),
        ("français", "fr"),
        ("francais", "fr"),
        ("Turkish", "tr"),
        ("Deutsch", "de"),
        ("العربية", "ar"),
        ("fra", "fr"),
        ("fre", "fr"),
        ("eng", "en"),
        ("zho", "zh"),
        ("und", None),
        ("zxx", None),
        ("fil", "fil"),
        ("", None),
    ],
)
def test_a_declared_language_is_its_two_letter_code(declared, code):
    """Exports write a language as a code of two or three letters or as its name (Event Registry's
    `fra`, GDELT's `Turkish`): the article's language is the ISO 639-1 code, as detection gives it
    (`fra` kept as it was made a language apart from `fr` wherever detection was unsure)."""
    from analysis.io.mapping import normalise_language

    assert normalise_language(declared) == code


def test_event_registry_s_three_letter_languages(tmp_path, ingest_options):
    """Event Registry's `lang` is ISO 639-3 (`fra`) and its article id is `uri`."""
    record = {"uri": "801", "lang": "fra", "title": "Le Maroc lance un plan", "body": "Texte.", "date": "2024-03-12"}
    df, rejects, _ = run(
        write(tmp_path / "er.json", json.dumps({"articles": {"results": [record]}})), tmp_path / "o", ingest_options
    )
    assert rejects == [] and list(df.language) == ["fr"] and list(df.record_id) == ["801"]


def test_a_json_feed_names_its_items_source_and_language(tmp_path, ingest_options):
    """A JSON Feed (jsonfeed.org) gives its title and language once, as an RSS channel does: they
    are its own site's items' source and language; an item of another site keeps that site."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Le Desk",
        "home_page_url": "https://ledesk.ma/",
        "language": "fr-FR",
        "items": [
            {
                "id": "1",
                "url": "https://ledesk.ma/2024/03/12/plan/",
                "title": "Un plan",
                "content_html": "<p>Texte.</p>",
            },
            {"id": "2", "url": "https://www.hespress.com/x", "title": "Ailleurs", "content_text": "Texte."},
        ],
    }
    df, rejects, _ = run(write(tmp_path / "feed.json", json.dumps(feed)), tmp_path / "o", ingest_options)
    assert rejects == []
    assert list(zip(df.title, df.source, df.language, strict=True)) == [
        ("Un plan", "Le Desk", "fr"),
        ("Ailleurs", "hespress.com", "fr"),
    ]
