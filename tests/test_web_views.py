"""The library calls behind the CLI's JSON and the web API: shapes, paginated listings, the comparison."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DEMO_STORIES
from newsweave.cli import app
from newsweave.compare import CompareOptions
from newsweave.errors import NotFoundError, UsageError
from newsweave.store import Store
from newsweave.store.stories import list_stories as stored_stories
from newsweave.views import (
    ArticleFilter,
    ComparisonCache,
    StoryCompareOptions,
    StoryFilter,
    article_detail,
    article_obj,
    compare_story,
    list_articles,
    list_stories,
    rejected_obj,
    story_detail,
    story_obj,
)
from newsweave.views.listing import decode_cursor, encode_cursor

LEXICAL = StoryCompareOptions(compare=CompareOptions(embeddings=False))


@pytest.fixture(scope="module")
def copy_db(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo store, plus one rejected input, that this module may open for writing."""
    from newsweave.pipeline import add_inputs

    db = tmp_path_factory.mktemp("views") / "views.duckdb"
    shutil.copy(demo_store, db)
    bad = db.parent / "broken.json"
    bad.write_text('{"title": "half a record", ', encoding="utf-8")
    with Store.open(db) as store:
        summary = add_inputs(store, [str(bad)])
    assert len(summary.rejected) == 1
    return db


@pytest.fixture()
def store(copy_db: Path):
    with Store.open(copy_db) as s:
        yield s


def _cli(*args: str):
    res = CliRunner().invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_cli_json_is_the_library_shape(copy_db: Path) -> None:
    db = str(copy_db)
    listed = _cli("articles", "--db", db, "--json", "--limit", "0")
    stories = _cli("stories", "--db", db, "--json")
    rejected = _cli("rejected", "--db", db, "--json")
    ferry = next(s for s in stories if "Ferry" in (s["title"] or ""))
    story = _cli("story", ferry["id"][:6], "--db", db, "--json")
    shown = _cli("show", ferry["article_ids"][0][:10], "--db", db, "--json")
    with Store.open(copy_db) as s:
        assert listed == [article_obj(a) for a in s.iter_articles()] and len(listed) == 20
        assert stories == [story_obj(x) for x in stored_stories(s)] and len(stories) == DEMO_STORIES
        assert rejected == [rejected_obj(r) for r in s.rejected()]
        assert story == story_detail(s, ferry["id"])
        assert shown == article_detail(s, ferry["article_ids"][0])
    assert rejected[0]["path"].endswith("broken.json") and rejected[0]["reason"]
    assert {a["id"] for a in story["articles"]} == set(ferry["article_ids"])
    assert story["rewrites"], "the demo ferry story has a syndicated copy and a rewrite"
    an = shown["analysis"]
    text = shown["text"]
    assert an["quotes"] and an["mentions"] and an["quantities"]
    for m in an["mentions"]:
        assert text[m["start"] : m["end"]] == m["text"]


def test_articles_pages_cover_everything_once(store: Store) -> None:
    everything = [a.id for a in store.iter_articles()]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = list_articles(store, ArticleFilter(with_text=False), limit=7, cursor=cursor)
        assert page.total == 20
        assert all("text" not in x for x in page.items)
        seen += [x["id"] for x in page.items]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 3 and seen == everything


def test_article_filters(store: Store) -> None:
    arts = list(store.iter_articles())
    outlet = arts[0].source
    page = list_articles(store, ArticleFilter(source=outlet), limit=50)
    assert page.total == sum(a.source == outlet for a in arts) and page.next_cursor is None
    assert {x["source"] for x in page.items} == {outlet}
    ferry = list_articles(store, ArticleFilter(query="FERRY barge"), limit=50)
    want = [
        a.id for a in arts if all(w in ((a.title or "") + " " + a.text).lower() for w in ("ferry", "barge"))
    ]
    assert [x["id"] for x in ferry.items] == want and 0 < len(want) < 20
    dated = sorted(a.published_at for a in arts if a.published_at)
    mid = dated[len(dated) // 2]
    late = list_articles(store, ArticleFilter(since=mid), limit=50)
    assert late.total == sum(1 for d in dated if d >= mid)
    assert (
        list_articles(store, ArticleFilter(query="100%_"), limit=5).total == 0
    )  # LIKE wildcards are literal


def test_story_filters_and_sorts(store: Store) -> None:
    everything = stored_stories(store)
    page = list_stories(store, StoryFilter(), limit=3)
    assert page.total == DEMO_STORIES and len(page.items) == 3 and page.next_cursor
    rest = list_stories(store, StoryFilter(), limit=DEMO_STORIES - 3, cursor=page.next_cursor)
    assert [x["id"] for x in page.items + rest.items] == [
        s.id for s in everything
    ] and rest.next_cursor is None
    recent = list_stories(store, StoryFilter(sort="recent"), limit=10).items
    lasts = [datetime.fromisoformat(x["last_seen"] or x["first_seen"]) for x in recent]
    assert lasts == sorted(lasts, reverse=True) and {x["id"] for x in recent} == {s.id for s in everything}
    big = list_stories(store, StoryFilter(min_sources=4), limit=10).items
    assert big and all(len(x["sources"]) >= 4 for x in big)
    assert len(big) == sum(len(s.sources) >= 4 for s in everything) < 4
    outlet = everything[-1].sources[0]
    by_outlet = list_stories(store, StoryFilter(outlet=outlet.upper()), limit=10).items
    assert [x["id"] for x in by_outlet] == [s.id for s in everything if outlet in s.sources]
    tram = list_stories(store, StoryFilter(query="tram"), limit=10).items

    def about_trams(s) -> bool:
        heads = [a.title or "" for a in store.get_articles(list(s.article_ids))]
        return "tram" in " ".join([s.title or "", *s.sources, *heads]).lower()

    assert [x["id"] for x in tram] == [s.id for s in everything if about_trams(s)] and 0 < len(tram) < 4
    future = datetime(2100, 1, 1, tzinfo=UTC)
    assert list_stories(store, StoryFilter(since=future), limit=10).total == 0
    with pytest.raises(UsageError):
        list_stories(store, StoryFilter(sort="alphabet"))


def test_cursors() -> None:
    assert decode_cursor(encode_cursor(1234)) == 1234 and decode_cursor(None) == 0
    for bad in ("zz", "e30", encode_cursor(0)[:-2] + "!!"):
        with pytest.raises(UsageError):
            decode_cursor(bad)


def test_compare_story_reads_the_store(store: Store) -> None:
    ferry = next(s for s in stored_stories(store) if "Ferry" in (s.title or ""))
    result = compare_story(store, ferry.id[:7], LEXICAL)
    c = result.comparison
    assert result.story.id == ferry.id and len(c.sources) == len(ferry.article_ids)
    assert any(q.status == "reworded" for q in c.quotes)
    assert any(n.status == "conflict" for n in c.numbers)
    texts = result.texts()
    for group in (*c.claims, *c.quotes, *c.numbers):
        for e in group.evidence:
            assert texts[e.article_id][e.start : e.end] == e.text
    assert result.to_dict()["summary"]["articles"] == len(ferry.article_ids)
    with pytest.raises(NotFoundError):
        compare_story(store, "no-such-story", LEXICAL)


def test_cache_hits_and_invalidation(store: Store) -> None:
    from newsweave.store.analysis import load_analysis, save_analysis

    ferry = next(s for s in stored_stories(store) if "Ferry" in (s.title or ""))
    cache = ComparisonCache(size=2)
    first = cache.get(store, ferry.id, LEXICAL)
    assert cache.get(store, ferry.id[:8], LEXICAL) is first and (cache.hits, cache.misses) == (1, 1)
    an = load_analysis(store, ferry.article_ids[0])
    assert an is not None
    save_analysis(store, [replace(an, quotes=())], model="test")  # re-analysed: compared afresh
    second = cache.get(store, ferry.id, LEXICAL)
    assert second is not first and cache.misses == 2
    save_analysis(store, [an], model="test")


def test_entity_filters(store: Store) -> None:
    from newsweave.store.analysis import load_analysis

    def naming(word: str) -> set[str]:
        out = set()
        for a in store.iter_articles():
            an = load_analysis(store, a.id)
            if an and any(word in m.canonical.lower() or word in m.text.lower() for m in an.mentions):
                out.add(a.id)
        return out

    for word in ("wren", "calder"):
        want = naming(word)
        assert 0 < len(want) < 20
        page = list_articles(store, ArticleFilter(entity=word.upper(), with_text=False), limit=50)
        assert {x["id"] for x in page.items} == want and page.total == len(want)
        stories = list_stories(store, StoryFilter(entity=word), limit=50).items
        assert {x["id"] for x in stories} == {
            s.id for s in stored_stories(store) if want & set(s.article_ids)
        }
    assert list_stories(store, StoryFilter(entity="100%_"), limit=5).total == 0


def test_cli_story_filters_are_the_web_apps(copy_db: Path) -> None:
    """``stories`` filters and sorts through the same library call as the web app's story list."""
    from newsweave.views.listing import StoryFilter, filter_stories

    db = str(copy_db)
    with Store.open(copy_db) as s:
        everything = stored_stories(s)
        outlet = everything[-1].sources[0]
        cases = {
            ("--outlet", outlet): StoryFilter(outlet=outlet),
            ("--since", "2026-03-13", "--min-sources", "2"): StoryFilter(
                since=datetime(2026, 3, 13, tzinfo=UTC), min_sources=2
            ),
            ("--search", "ferry", "--sort", "recent"): StoryFilter(query="ferry", sort="recent"),
        }
        expected = {args: [story_obj(x) for x in filter_stories(s, flt)] for args, flt in cases.items()}
    for args, want in expected.items():
        got = _cli("stories", "--db", db, "--json", *args)
        assert got == want and 0 < len(got) < len(everything), args
    bad = CliRunner().invoke(app, ["stories", "--db", db, "--since", "last week"])
    assert isinstance(bad.exception, UsageError) and "--since takes an ISO date" in str(bad.exception)


def test_cli_article_filters_are_the_web_apps(copy_db: Path) -> None:
    db = str(copy_db)
    with Store.open(copy_db) as s:
        flt = ArticleFilter(query="ferry", since=datetime(2026, 3, 11, tzinfo=UTC))
        want = list_articles(s, flt, limit=100).items
        named = list_articles(s, ArticleFilter(entity="Marchenko"), limit=100).items
        total = s.count_articles()
    assert _cli("articles", "--db", db, "--json", "--search", "ferry", "--since", "2026-03-11") == want
    assert _cli("articles", "--db", db, "--json", "--entity", "Marchenko") == named
    assert 0 < len(want) < total and 0 < len(named) < total
    assert len(_cli("articles", "--db", db, "--json", "--entity", "Marchenko", "--limit", "1")) == 1
