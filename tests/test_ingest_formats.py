"""Each input format: HTML, JSON, JSONL, CSV, RSS/Atom, gzip, globs, sniffing, field maps, real data."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsweave.errors import UsageError
from newsweave.ingest import IngestOptions, read_inputs
from newsweave.model import Article, Rejected

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BODY = (
    "The harbour council met on Tuesday and voted to rebuild the old pier, officials said.\n"
    "Work will start in May and cost about 4 million euros, according to the mayor's office."
)


def _read(paths: list[str | Path], **kw: object) -> list[Article | Rejected]:
    return list(read_inputs([str(p) for p in paths], IngestOptions(**kw)))  # type: ignore[arg-type]


def _arts(paths: list[str | Path], **kw: object) -> list[Article]:
    out = _read(paths, **kw)
    assert all(isinstance(a, Article) for a in out), out
    return out  # type: ignore[return-value]


def _html(title: str, body: str, extra_head: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{extra_head}</head><body>"
        f"<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><article><h1>{title}</h1>{paras * 3}"
        "</article><footer>Copyright Example Media 2025</footer></body></html>"
    )


def test_html_page_with_metadata(tmp_path: Path) -> None:
    head = (
        '<meta property="og:site_name" content="Harbour Gazette">'
        '<meta name="author" content="Ana Lopes">'
        '<meta property="article:published_time" content="2025-04-25T09:30:00Z">'
        '<link rel="canonical" href="https://www.harbour-gazette.example/pier">'
    )
    f = tmp_path / "page.htm"
    f.write_text(_html("Pier to be rebuilt", BODY, head), encoding="utf-8")
    (a,) = _arts([f])
    assert a.title == "Pier to be rebuilt"
    assert a.source == "Harbour Gazette" and a.byline == "Ana Lopes"
    assert a.published_at == datetime(2025, 4, 25, 9, 30, tzinfo=UTC)
    assert "voted to rebuild the old pier" in a.text
    assert "Copyright" not in a.text and "Home" not in a.text
    assert a.origin.format == "html" and a.language == "en"


def test_real_l3s_page_gzipped() -> None:
    row = json.loads((DATA / "l3s-gn1" / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines()[0])
    (a,) = _arts([DATA / "l3s-gn1" / row["html_path"]])
    assert a.origin.format == "html" and a.title
    gold = set(row["article_body"].split())
    assert len(gold & set(a.text.split())) / len(gold) > 0.8


def test_json_array_object_and_wrapped_list(tmp_path: Path) -> None:
    recs = [
        {
            "headline": "One",
            "body": BODY,
            "link": "https://news.example.com/1",
            "pubDate": "Fri, 25 Apr 2025 10:00:00 +0200",
        },
        {
            "title": "Two",
            "content": "<p>First para.</p><p>Second para, with <b>bold</b> text.</p>",
            "authors": ["A", "B"],
        },
    ]
    (tmp_path / "a.json").write_text(json.dumps(recs), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"articles": recs[:1]}), encoding="utf-8")
    (tmp_path / "c.json").write_text(
        json.dumps({"text": BODY, "source": {"id": "x", "name": "Wire"}}), encoding="utf-8"
    )
    a1, a2, b1, c1 = _arts([tmp_path])
    assert (a1.title, a1.url, a1.source) == ("One", "https://news.example.com/1", "news.example.com")
    assert a1.published_at == datetime(2025, 4, 25, 8, 0, tzinfo=UTC)
    assert a1.published_raw == "Fri, 25 Apr 2025 10:00:00 +0200"
    assert (
        a2.text == "First para.\nSecond para, with bold text." and a2.byline == "A; B"
    )  # a list of authors: names joined by "; "
    assert a2.paragraphs == ((0, 11), (12, len(a2.text)))
    assert a1.origin.position == "record 1" and a2.origin.position == "record 2"
    assert b1.id == a1.id
    assert c1.source == "Wire"


def test_record_holding_a_whole_page(tmp_path: Path) -> None:
    f = tmp_path / "crawl.jsonl"
    f.write_text(
        json.dumps({"url": "https://www.harbour.example/pier", "html": _html("Pier vote", BODY)}) + "\n"
    )
    (a,) = _arts([f])
    assert a.title == "Pier vote" and "voted to rebuild the old pier" in a.text and "Home" not in a.text
    assert a.source == "harbour.example" and a.origin.position == "line 1"


def test_csv_with_field_map(tmp_path: Path) -> None:
    f = tmp_path / "export.csv"
    f.write_text(
        'id;headline_txt;story;when\n1;Pier vote;"'
        + BODY.replace('"', '""')
        + '";2025-04-25\n2;Empty;;2025-04-26\n',
        encoding="utf-8",
    )
    items = _read([f], field_map={"title": "headline_txt", "text": "story", "date": "when"})
    a, r = items
    assert isinstance(a, Article) and a.title == "Pier vote" and a.text == BODY
    # a date without a zone stays without one (never stamped UTC)
    assert a.published_at == datetime(2025, 4, 25) and a.origin.position == "line 2"
    assert isinstance(r, Rejected) and r.position == "line 4" and "no article text" in r.reason
    with pytest.raises(UsageError):
        _read([f], field_map={"colour": "x"})


def test_rss_content_encoded_over_description(tmp_path: Path) -> None:
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour Gazette</title><link>https://harbour.example/</link><language>en-gb</language>
<item><title>Pier vote</title><link>https://www.harbour.example/pier</link>
<description>Short teaser.</description>
<content:encoded><![CDATA[{"".join(f"<p>{p}</p>" for p in BODY.split(chr(10)))}]]></content:encoded>
<pubDate>Fri, 25 Apr 2025 10:00:00 GMT</pubDate><author>desk@harbour.example (News desk)</author></item>
<item><title>Only a summary</title><link>https://www.harbour.example/b</link>
<description>&lt;p&gt;The ferry timetable changes next week.&lt;/p&gt;</description></item>
</channel></rss>"""
    f = tmp_path / "feed.rss"
    f.write_text(feed, encoding="utf-8")
    a, b = _arts([f])
    assert a.text == BODY and a.summary == "Short teaser." and a.title == "Pier vote"
    assert a.source == "Harbour Gazette" and a.language == "en" and a.origin.position == "entry 1"
    assert a.published_at == datetime(2025, 4, 25, 10, 0, tzinfo=UTC)
    assert b.text == "The ferry timetable changes next week." and b.origin.position == "entry 2"


def test_feed_titles_marked_as_html_are_read_as_text(tmp_path: Path) -> None:
    body = '<content type="html">&lt;p&gt;The ferry timetable changes next week, the port said.&lt;/p&gt;</content>'
    atom = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><title type="html">Ferry &lt;b&gt;timetable&lt;/b&gt; changes</title><id>1</id>{body}</entry>
<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Pier <em>vote</em> today</div></title>
<id>2</id>{body.replace("ferry", "pier")}</entry>
<entry><title type="text">5 &lt; 6 &amp; rising</title><id>3</id>{body.replace("ferry", "bus")}</entry>
</feed>"""
    rss = """<rss version="2.0"><channel><title>Gazette</title>
<item><title>Tom &amp;amp; Jerry &lt;i&gt;return&lt;/i&gt;</title><description>The cartoon pair return to the
harbour cinema next week, its owner said on Monday.</description></item></channel></rss>"""
    (tmp_path / "a.atom").write_text(atom, encoding="utf-8")
    (tmp_path / "b.rss").write_text(rss, encoding="utf-8")
    titles = [a.title for a in _arts([tmp_path / "a.atom", tmp_path / "b.rss"])]
    assert titles == ["Ferry timetable changes", "Pier vote today", "5 < 6 & rising", "Tom & Jerry return"]


def test_feed_title_names_the_outlet_without_its_section() -> None:
    from newsweave.ingest.feeds import outlet_of_feed_title

    assert outlet_of_feed_title("Northgate Times - Technology") == "Northgate Times"
    assert outlet_of_feed_title("Reuters: World News") == "Reuters"
    assert outlet_of_feed_title("Al-Jazeera English") == "Al-Jazeera English"


def test_atom_feed_sniffed_without_extension(tmp_path: Path) -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Wire</title><entry><title>Storm</title><link href="https://wire.example/storm"/>
<updated>2025-04-24T06:00:00Z</updated><content type="html">&lt;p&gt;A storm hit the coast overnight.&lt;/p&gt;</content>
</entry></feed>"""
    f = tmp_path / "download"
    f.write_text(atom, encoding="utf-8")
    (a,) = _arts([f])
    assert a.origin.format == "rss" and a.text == "A storm hit the coast overnight." and a.title == "Storm"


def test_sniffing_beats_a_misleading_extension_and_format_override(tmp_path: Path) -> None:
    page = tmp_path / "saved.txt"
    page.write_text(_html("Pier to be rebuilt", BODY), encoding="utf-8")
    (a,) = _arts([page])
    assert a.origin.format == "html" and a.title == "Pier to be rebuilt"
    jl = tmp_path / "records.json"  # JSONL content under a .json name
    jl.write_text(
        json.dumps({"text": BODY}) + "\n" + json.dumps({"text": BODY + " Again."}) + "\n", encoding="utf-8"
    )
    assert [x.origin.position for x in _arts([jl])] == ["line 1", "line 2"]
    plain = tmp_path / "notes.dat"
    plain.write_text(BODY, encoding="utf-8")
    (t,) = _arts([plain], format="text")
    assert t.text == BODY
    with pytest.raises(UsageError):
        _read([plain], format="docx")


def test_gzip_by_magic_and_extension_and_glob(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(BODY.encode()))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress((json.dumps({"text": BODY + " B."}) + "\n").encode()))
    (tmp_path / "c.bin").write_bytes(gzip.compress(_html("Gz page", BODY).encode()))
    arts = _arts([str(tmp_path / "*")])
    assert [a.origin.format for a in arts] == ["text", "jsonl", "html"]
    assert arts[0].text == BODY
    (r,) = _read([str(tmp_path / "*.nothing")])
    assert isinstance(r, Rejected) and "no file matches" in r.reason


def test_hidden_files_skipped_and_missing_path_rejected(tmp_path: Path) -> None:
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01binary")
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    assert len(_arts([tmp_path])) == 1
    (r,) = _read([tmp_path / "missing.txt"])
    assert isinstance(r, Rejected) and "no such file" in r.reason


def test_galaxy_and_polnear_exports_with_default_fields() -> None:
    items = _read([DATA / "galaxy-wikinews-events" / "articles.jsonl"])
    arts = [a for a in items if isinstance(a, Article)]
    assert len(arts) == len(items) == 369
    assert all(a.title and a.url and a.source and a.published_at for a in arts)
    assert sum(a.language == "en" for a in arts) / len(arts) > 0.95
    assert len({a.id for a in arts}) >= 360  # near-identical copies may exist; ids are content hashes
    pol = [a for a in _read([DATA / "polnear" / "articles.jsonl"]) if isinstance(a, Article)]
    assert len(pol) == 84 and all(a.source and a.title for a in pol)


def test_folder_notes_are_skipped_when_walking_but_read_when_named(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# About these files\n\nThey are reports of the flood.\n")
    (tmp_path / "PROVENANCE.txt").write_text("Collected by hand in March.\n")
    (tmp_path / "report.txt").write_text("The river burst its banks on Monday, flooding forty homes. " * 3)
    got = list(read_inputs([str(tmp_path)], IngestOptions()))
    assert [Path(a.origin.path).name for a in got] == ["report.txt"]
    named = list(read_inputs([str(tmp_path / "README.md")], IngestOptions()))
    assert len(named) == 1 and Path(named[0].origin.path).name == "README.md"


def test_json_lines_whose_first_record_is_longer_than_the_sniffed_head(tmp_path: Path) -> None:
    from newsweave.ingest.reader import HEAD_BYTES

    long_text = (BODY + "\n") * (HEAD_BYTES // len(BODY) + 10)  # the first line does not end in the head
    lines = [{"title": "Long report", "text": long_text}, {"title": "Short one", "text": BODY + " Again."}]
    data = "\n".join(json.dumps(r) for r in lines) + "\n"
    names = ["export.jsonl", "export.ndjson", "download", "export.json"]
    for name in names:
        (tmp_path / name).write_text(data, encoding="utf-8")
    (tmp_path / "export.jsonl.gz").write_bytes(gzip.compress(data.encode()))
    for name in [*names, "export.jsonl.gz"]:
        arts = _arts([tmp_path / name])
        assert [a.title for a in arts] == ["Long report", "Short one"], name
        assert [a.origin.position for a in arts] == ["line 1", "line 2"], name
