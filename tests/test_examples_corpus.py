"""The sample corpus in examples/ is well formed and holds every difference its README promises.

These tests read the corpus with the standard library only (no newsweave code), so they check the data,
not the ingest. The end-to-end tests that newsweave *finds* the planted differences use the same checklist.
"""

from __future__ import annotations

import calendar
import email.utils
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CORPUS = EXAMPLES / "corpus"
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"
HEADER_RE = re.compile(r"^(Title|Source|URL|Date|Author):\s*(.*)$")
REQUIRED_KINDS = {
    "quote_reworded",
    "quote_identical",
    "quote_split",
    "number_conflict",
    "number_agree",
    "rewrite",
    "syndicated",
    "alias",
    "distinct_people",
    "single_source",
}


@dataclass(frozen=True)
class Parsed:
    """One article as read straight from its file: metadata as written, body paragraphs."""

    title: str
    outlet: str | None
    url: str | None
    published: datetime | None
    paragraphs: tuple[str, ...]

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def searchable(self) -> str:
        return self.title + "\n" + self.body


def checklist() -> dict:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", readme, flags=re.S)
    assert len(blocks) == 1, "examples/README.md must hold exactly one ```json checklist block"
    return json.loads(blocks[0])


def parse_date(raw: str) -> datetime:
    """ISO 8601 (with Z or an offset) or RFC 2822; a date without a timezone is an error here."""
    raw = raw.strip()
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        value = email.utils.parsedate_to_datetime(raw)
    assert value.tzinfo is not None, f"date without timezone: {raw!r}"
    return value


class _TextCollector(HTMLParser):
    """Collects text (per <p>) inside one element, plus the page's meta tags and <time datetime>."""

    def __init__(self, inside: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = inside
        self.depth = 0 if inside else 1
        self.articles = 0
        self.meta: dict[str, str] = {}
        self.times: list[str] = []
        self.h1: list[str] = []
        self.paragraphs: list[str] = []
        self._in_p = False
        self._in_h1 = False
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = a.get("property") or a.get("name")
            if key:
                self.meta[key] = a.get("content", "")
        if tag == "article":
            self.articles += 1
        if self.inside and tag == self.inside:
            self.depth += 1
        if self.depth <= 0:
            return
        if tag == "time" and "datetime" in a:
            self.times.append(a["datetime"])
        if tag == "p" and a.get("class") not in {"standfirst"}:
            self._in_p, self._buf = True, []
        if tag == "h1":
            self._in_h1, self._buf = True, []

    def handle_endtag(self, tag: str) -> None:
        if self.inside and tag == self.inside:
            self.depth -= 1
        if tag == "p" and self._in_p:
            self._in_p = False
            self.paragraphs.append(" ".join("".join(self._buf).split()))
        if tag == "h1" and self._in_h1:
            self._in_h1 = False
            self.h1.append(" ".join("".join(self._buf).split()))

    def handle_data(self, data: str) -> None:
        if self._in_p or self._in_h1:
            self._buf.append(data)


def html_paragraphs(fragment: str) -> list[str]:
    collector = _TextCollector(inside=None)
    collector.feed(fragment)
    collector.close()
    return [p for p in collector.paragraphs if p]


def parse_text_file(path: Path) -> Parsed:
    lines = path.read_text(encoding="utf-8").split("\n")
    headers: dict[str, str] = {}
    i = 0
    while i < len(lines) and (m := HEADER_RE.match(lines[i])):
        headers[m.group(1)] = m.group(2)
        i += 1
    if headers:
        assert lines[i] == "", f"{path.name}: header must end with a blank line"
        body = "\n".join(lines[i + 1 :]).strip()
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body) if p.strip()]
        return Parsed(
            title=headers["Title"],
            outlet=headers["Source"],
            url=headers["URL"],
            published=parse_date(headers["Date"]),
            paragraphs=tuple(paragraphs),
        )
    # seed-000 layout: summary, headline, blank, headline repeated, subtitle, one paragraph per line
    assert len(lines) > 6 and lines[2].strip() == "" and lines[1] == lines[3], f"{path.name}: bad layout"
    paragraphs = [ln.strip() for ln in lines[5:] if ln.strip()]
    return Parsed(title=lines[1], outlet=None, url=None, published=None, paragraphs=tuple(paragraphs))


def parse_html_file(path: Path) -> Parsed:
    collector = _TextCollector(inside="article")
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    assert collector.articles == 1, f"{path.name}: expected one <article>"
    assert len(collector.times) == 1, f"{path.name}: expected one <time datetime> in the article"
    assert collector.meta.get("author"), f"{path.name}: no <meta name=author>"
    return Parsed(
        title=collector.h1[0],
        outlet=collector.meta["og:site_name"],
        url=collector.meta["og:url"],
        published=parse_date(collector.times[0]),
        paragraphs=tuple(collector.paragraphs),
    )


def parse_jsonl_file(path: Path) -> list[Parsed]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        record = json.loads(line)
        assert set(record) == {"title", "text", "url", "source", "published"}, f"{path.name}:{n} fields"
        out.append(
            Parsed(
                title=record["title"],
                outlet=record["source"],
                url=record["url"],
                published=parse_date(record["published"]),
                paragraphs=tuple(p for p in record["text"].split("\n\n") if p.strip()),
            )
        )
    return out


def parse_rss_file(path: Path) -> list[Parsed]:
    root = ET.parse(path).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    outlet = (channel.findtext("title") or "").split(" - ")[0]
    out = []
    for item in channel.findall("item"):
        content = item.findtext(CONTENT_NS)
        assert content, f"{path.name}: item without content:encoded"
        out.append(
            Parsed(
                title=item.findtext("title") or "",
                outlet=outlet,
                url=item.findtext("link"),
                published=parse_date(item.findtext("pubDate") or ""),
                paragraphs=tuple(html_paragraphs(content)),
            )
        )
    return out


def parse_file(path: Path) -> list[Parsed]:
    if path.suffix == ".txt":
        return [parse_text_file(path)]
    if path.suffix == ".html":
        return [parse_html_file(path)]
    if path.suffix == ".jsonl":
        return parse_jsonl_file(path)
    if path.suffix == ".xml":
        return parse_rss_file(path)
    raise AssertionError(f"unexpected file in the corpus: {path.name}")


@pytest.fixture(scope="module")
def spec() -> dict:
    return checklist()


@pytest.fixture(scope="module")
def articles(spec: dict) -> dict[str, Parsed]:
    """Articles by checklist key."""
    by_file = {p.name: parse_file(p) for p in sorted(CORPUS.iterdir())}
    out = {}
    for entry in spec["articles"]:
        parsed = by_file[entry["file"]]
        index = (entry["record"] or 1) - 1
        assert entry["record"] is not None or len(parsed) == 1
        out[entry["key"]] = parsed[index]
    return out


def test_manifest_covers_every_file_and_record(spec: dict) -> None:
    files = {p.name for p in CORPUS.iterdir()}
    listed = {a["file"] for a in spec["articles"]}
    assert files == listed
    keys = [a["key"] for a in spec["articles"]]
    assert len(keys) == len(set(keys)) == spec["n_articles"] == 20
    for path in CORPUS.iterdir():
        records = sorted(a["record"] or 1 for a in spec["articles"] if a["file"] == path.name)
        assert records == list(range(1, len(parse_file(path)) + 1)), path.name


def test_formats_present(spec: dict) -> None:
    suffixes = [a["file"].rsplit(".", 1)[1] for a in spec["articles"]]
    assert suffixes.count("html") == 1
    assert suffixes.count("xml") == 2  # one feed with two items
    assert 3 <= suffixes.count("jsonl") <= 4
    assert suffixes.count("txt") >= 10
    headerless = [a for a in spec["articles"] if a["outlet"] is None]
    assert len(headerless) == 1 and headerless[0]["file"].endswith(".txt")


def test_metadata_matches_manifest(spec: dict, articles: dict[str, Parsed]) -> None:
    for entry in spec["articles"]:
        art = articles[entry["key"]]
        assert art.title == entry["title"], entry["key"]
        assert art.outlet == entry["outlet"], entry["key"]
        if entry["published"] is None:
            assert art.published is None
        else:
            assert art.published == parse_date(entry["published"]), entry["key"]
        if art.outlet is not None:
            assert art.url is not None
            assert urlparse(art.url).hostname == spec["outlets"][art.outlet], entry["key"]


def test_articles_are_short_news_pieces(articles: dict[str, Parsed]) -> None:
    for key, art in articles.items():
        words = len(art.body.split())
        assert 150 <= words <= 350, f"{key}: {words} words"
        assert len(art.paragraphs) >= 5, key


def test_dates_in_window_and_weekdays_true(spec: dict, articles: dict[str, Parsed]) -> None:
    for key, art in articles.items():
        if art.published is not None:
            day = art.published.astimezone(UTC).date()
            assert date(2026, 3, 10) <= day <= date(2026, 3, 14), key
    texts = [a.searchable for a in articles.values()] + [(EXAMPLES / "README.md").read_text(encoding="utf-8")]
    days = "|".join(calendar.day_name)
    seen = 0
    for text in texts:
        for weekday, dom in re.findall(rf"\b({days}) (\d{{1,2}}) March", text):
            assert date(2026, 3, int(dom)).strftime("%A") == weekday, f"{weekday} {dom} March"
            seen += 1
    assert seen >= 4


def test_events_and_outlets_as_documented(spec: dict, articles: dict[str, Parsed]) -> None:
    events = {a["event"] for a in spec["articles"]}
    assert events == set(spec["events"]) and len(events) == 4
    outlets = {art.outlet for art in articles.values() if art.outlet}
    assert outlets == set(spec["outlets"]) and len(outlets) == 5
    for event in events:
        members = [a for a in spec["articles"] if a["event"] == event]
        assert len(members) >= 4, event
        assert len({a["outlet"] for a in members}) >= 3, event
    assert set(spec["independent_sources"]) == events


def test_every_kind_is_planted(spec: dict) -> None:
    assert REQUIRED_KINDS <= {item["kind"] for item in spec["planted"]}


def test_planted_phrases_occur_where_the_readme_says(spec: dict, articles: dict[str, Parsed]) -> None:
    files_of = {a["key"]: a["file"] for a in spec["articles"]}
    event_of = {a["key"]: a["event"] for a in spec["articles"]}
    for item in spec["planted"]:
        assert set(item["files"]) == {files_of[k] for k in item["articles"]}, item["kind"]
        assert {event_of[k] for k in item["articles"]} == {item["event"]}, item["kind"]
        assert {p["article"] for p in item["phrases"]} <= set(item["articles"])
        for phrase in item["phrases"]:
            assert phrase["text"] in articles[phrase["article"]].searchable, (item["kind"], phrase)


def _only(spec: dict, kind: str) -> list[dict]:
    return [item for item in spec["planted"] if item["kind"] == kind]


def test_single_source_facts_appear_once(spec: dict, articles: dict[str, Parsed]) -> None:
    for item in _only(spec, "single_source"):
        for phrase in item["phrases"]:
            holders = [k for k, art in articles.items() if phrase["text"] in art.searchable]
            assert holders == item["articles"], phrase


def test_syndicated_copy_is_the_wire_text_plus_a_credit(spec: dict, articles: dict[str, Parsed]) -> None:
    for item in _only(spec, "syndicated"):
        wire, copy = articles[item["original"]], articles[item["derived"]]
        assert copy.paragraphs[:-1] == wire.paragraphs
        assert "Continental Press Wire" in copy.paragraphs[-1]
        assert copy.title != wire.title and copy.outlet != wire.outlet
        assert wire.published is not None and copy.published is not None
        assert copy.published > wire.published


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_rewrite_reuses_most_of_the_original(spec: dict, articles: dict[str, Parsed]) -> None:
    for item in _only(spec, "rewrite"):
        original, derived = articles[item["original"]], articles[item["derived"]]
        a, b = _shingles(original.body), _shingles(derived.body)
        containment = len(a & b) / len(b)
        assert 0.5 <= containment < 0.95, containment  # heavily reused, but not a copy
        assert derived.outlet != original.outlet
        assert original.published is not None and derived.published is not None
        assert derived.published > original.published
    # unrelated articles of the same event share far less
    a, b = _shingles(articles["B1"].body), _shingles(articles["B3"].body)
    assert len(a & b) / len(b) < 0.2


def test_syndicated_and_rewritten_copies_have_different_ids(spec: dict, articles: dict[str, Parsed]) -> None:
    # the article id is a hash of the normalised text: a copy must differ in its text to be a second article
    for item in _only(spec, "syndicated") + _only(spec, "rewrite"):
        assert articles[item["original"]].body != articles[item["derived"]].body


def test_alias_spellings_are_kept_apart_by_outlet(spec: dict, articles: dict[str, Parsed]) -> None:
    (item,) = _only(spec, "alias")
    canonical, variant = item["forms"]
    with_variant = {k for k, art in articles.items() if variant in art.searchable}
    with_canonical = {k for k, art in articles.items() if canonical in art.searchable}
    assert with_variant and with_canonical and not (with_variant & with_canonical)
    assert with_variant | with_canonical == set(item["articles"])


def test_distinct_people_share_a_surname_in_one_article(spec: dict, articles: dict[str, Parsed]) -> None:
    for item in _only(spec, "distinct_people"):
        first_a, surname_a = item["names"][0].split()
        first_b, surname_b = item["names"][1].split()
        assert surname_a == surname_b and first_a != first_b
        for key in item["articles"]:
            assert all(name in articles[key].searchable for name in item["names"]), key


def test_number_conflict_and_agreement_phrases_differ_in_form(spec: dict) -> None:
    for item in _only(spec, "number_conflict") + _only(spec, "number_agree"):
        forms = {p["text"] for p in item["phrases"]}
        assert len(forms) >= 2, item["what"]
    (conflict,) = _only(spec, "number_conflict")
    values = {int(m) for p in conflict["phrases"] for m in re.findall(r"\d+", p["text"])}
    assert len(values) == 2


def test_corpus_is_small() -> None:
    total = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert total < 200_000
