"""Polling feeds and pages into a store: new entries, 304 answers, versions, bad feeds, failing links.

Served from a local server on 127.0.0.1 (the only network allowed to the fetcher here); analysis and
story assignment are off (the CLI test runs them); every poll must end with a clear outcome and the valid
entries stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fetch_fixtures import PARAGRAPHS, html_paragraphs, page, rss
from local_http import LocalServer, Reply, gzip_bomb, redirect
from newsweave.fetch import Fetcher, FetchOptions, poll
from newsweave.fetch.changes import changes_between, word_diff
from newsweave.fetch.history import article_changes, article_versions, diff_json, pick_versions
from newsweave.model import ArticleVersion
from newsweave.store import Store
from newsweave.store.fetch import count_versions


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    s = LocalServer()
    yield s
    s.close()


@pytest.fixture()
def store(store_target: object) -> Iterator[Store]:
    s = Store.open(store_target)  # each test on DuckDB and on PostgreSQL
    yield s
    s.close()


@pytest.fixture()
def fetcher() -> Iterator[Fetcher]:
    opts = FetchOptions(allowed_networks=("127.0.0.1/32",), host_interval=0.0, read_timeout=2.0, total_timeout=5.0,
                        max_bytes=2_000_000)  # fmt: skip
    with Fetcher(opts) as f:
        yield f


def entry(key: str, paragraphs: list[str], **kw: str) -> dict[str, str]:
    return {"title": kw.pop("title", key.title()), "link": f"/news/{key}-story-today", "guid": f"id-{key}",
            "content": html_paragraphs(paragraphs), **kw}  # fmt: skip


def teaser(key: str, **kw: str) -> dict[str, str]:
    return {"title": key.title(), "link": f"/news/{key}-story-today", "guid": f"id-{key}",
            "summary": "A short teaser of the story.", **kw}  # fmt: skip


def test_a_feed_is_stored_then_answered_304_then_its_changes_become_versions(
    server: LocalServer, store: Store, fetcher: Fetcher
) -> None:
    server.routes["/news/orchard-story-today"] = Reply(page("Frost ruins harvest", PARAGRAPHS["orchard"]))
    feed = rss([entry("harbour", PARAGRAPHS["harbour"]), entry("bridge", PARAGRAPHS["bridge"]),
                teaser("orchard", updated="2026-03-03T09:00:00Z")])  # fmt: skip
    server.routes["/feed.xml"] = Reply(feed, "application/rss+xml", etag='"f1"')
    url = server.url("/feed.xml")

    first = poll(store, fetcher, url)
    assert first.kind == "feed" and first.error is None and not first.rejected
    assert len(first.added) == 3 and store.count_articles() == 3
    assert server.count("/news/orchard-story-today") == 1  # the teaser's page was fetched for its text
    orchard = next(a for a in store.get_articles(first.added) if "Lenvik" in a.text)
    assert orchard.url == server.url("/news/orchard-story-today")

    second = poll(store, fetcher, url)
    assert second.kind == "not modified" and not second.added and store.count_articles() == 3

    # the outlet updates the harbour story (toll 12 -> 14) and the feed, and rewrites the orchard page
    # without touching the feed entry's updated stamp
    changed = [PARAGRAPHS["harbour"][0], PARAGRAPHS["harbour"][1].replace("rose to 12", "rose to 14"),
               *PARAGRAPHS["harbour"][2:]]  # fmt: skip
    feed2 = rss([entry("harbour", changed, title="Crane collapse toll rises to 14"),
                 entry("bridge", PARAGRAPHS["bridge"]), teaser("orchard", updated="2026-03-03T09:00:00Z")])  # fmt: skip
    server.routes["/feed.xml"] = Reply(feed2, "application/rss+xml", etag='"f2"')
    server.routes["/news/orchard-story-today"] = Reply(page("Frost ruins harvest", PARAGRAPHS["orchard"][:3]))
    third = poll(store, fetcher, url)
    assert third.added == [] and store.count_articles() == 3  # a version, not a new article
    assert len(third.new_versions) == 1 and third.unchanged == 1 and third.skipped == 1
    assert server.count("/news/orchard-story-today") == 1  # nothing fetched twice

    harbour_id, versions = article_versions(store, third.new_versions[0][0])
    assert [v.version for v in versions] == [1, 2]
    assert "rose to 12" in versions[0].text and "rose to 14" in versions[1].text
    assert versions[0].fetched_at <= versions[1].fetched_at
    described = [c["description"] for c in diff_json(*pick_versions(versions, None, None))["changes"]]
    assert any(d.startswith("toll updated from 12 to 14 at ") for d in described)
    assert [c.describe() for c in article_changes(store, harbour_id)] == described
    assert any(
        d.startswith('headline changed from "Harbour" to "Crane collapse toll rises to 14"')
        for d in described
    )

    # now the feed says the orchard entry was updated: its page is fetched again and a version recorded
    feed3 = rss([entry("harbour", changed, title="Crane collapse toll rises to 14"),
                 entry("bridge", PARAGRAPHS["bridge"]), teaser("orchard", updated="2026-03-03T15:00:00Z")])  # fmt: skip
    server.routes["/feed.xml"] = Reply(feed3, "application/rss+xml", etag='"f3"')
    fourth = poll(store, fetcher, url)
    assert server.count("/news/orchard-story-today") == 2
    assert fourth.new_versions == [(orchard.id, 2)] and store.count_articles() == 3
    _, orchard_versions = article_versions(store, server.url("/news/orchard-story-today"))
    assert orchard_versions[1].updated_raw == "2026-03-03T15:00:00Z"
    assert orchard_versions[1].published_raw == "Tue, 03 Mar 2026 08:00:00 +0000"  # kept apart from updated
    assert orchard_versions[1].updated_at == datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def test_a_page_followed_directly_gets_versions_and_conditional_gets(
    server: LocalServer, store: Store, fetcher: Fetcher
) -> None:
    path = "/world/2026/03/03/crane-collapse-at-port-velmar"
    server.routes[path] = Reply(
        page("Crane collapse", PARAGRAPHS["harbour"]), last_modified="Tue, 03 Mar 2026 08:00:00 GMT"
    )
    url = server.url(path)
    assert len(poll(store, fetcher, url).added) == 1
    assert poll(store, fetcher, url).kind == "not modified"
    updated = page("Crane collapse", [*PARAGRAPHS["harbour"], "The port reopened on Thursday morning."],
                   modified="2026-03-04T07:30:00Z")  # fmt: skip
    server.routes[path] = Reply(updated, last_modified="Wed, 04 Mar 2026 08:00:00 GMT")
    third = poll(store, fetcher, url)
    assert third.added == [] and len(third.new_versions) == 1 and store.count_articles() == 1
    _, versions = article_versions(store, url)
    assert versions[1].updated_raw == "2026-03-04T07:30:00Z" and versions[0].updated_raw is None
    assert versions[0].published_raw == versions[1].published_raw == "2026-03-03T08:00:00Z"
    ops = word_diff(versions[0].text, versions[1].text)
    assert ("insert", "", "The port reopened on Thursday morning.") in ops


def test_a_section_page_is_followed_through_its_article_links(
    server: LocalServer, store: Store, fetcher: Fetcher
) -> None:
    server.routes["/world"] = Reply(
        b"<html><body><nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav>"
        b"<a href='/world/crane-collapse-at-port-velmar'>Crane</a>"
        b"<a href='/world/rail-bridge-span-lifted'>Bridge</a>"
        b"<a href='http://elsewhere.example/world/some-other-story-here'>Away</a></body></html>"
    )
    server.routes["/world/crane-collapse-at-port-velmar"] = Reply(
        page("Crane collapse", PARAGRAPHS["harbour"])
    )
    server.routes["/world/rail-bridge-span-lifted"] = Reply(page("Bridge span lifted", PARAGRAPHS["bridge"]))
    first = poll(store, fetcher, server.url("/world"))
    assert first.kind == "section" and len(first.added) == 2 and store.count_articles() == 2
    assert "/sport" not in server.hits and "/" not in server.hits
    second = poll(store, fetcher, server.url("/world"))
    assert second.skipped == 2 and second.added == []
    assert server.count("/world/crane-collapse-at-port-velmar") == 1


def test_a_stopped_poll_leaves_the_rest_for_the_next_one(
    server: LocalServer, store: Store, fetcher: Fetcher
) -> None:
    import threading

    server.routes["/news/orchard-story-today"] = Reply(page("Frost ruins harvest", PARAGRAPHS["orchard"]))
    server.routes["/feed.xml"] = Reply(rss([teaser("orchard")]), "application/rss+xml", etag='"s"')
    stop = threading.Event()
    stop.set()  # as a SIGTERM during the poll would
    stopped = poll(store, fetcher, server.url("/feed.xml"), stop=stop)
    assert stopped.kind == "feed" and stopped.added == [] and "/news/orchard-story-today" not in server.hits
    resumed = poll(store, fetcher, server.url("/feed.xml"))  # not a 304: the feed's ETag was not kept
    assert resumed.kind == "feed" and len(resumed.added) == 1


def test_broken_and_hostile_feeds_end_with_a_reason_and_keep_the_valid_entries(
    server: LocalServer, store: Store, fetcher: Fetcher
) -> None:
    full = rss([entry("harbour", PARAGRAPHS["harbour"]), entry("bridge", PARAGRAPHS["bridge"]),
                entry("orchard", PARAGRAPHS["orchard"])]).decode()  # fmt: skip
    cut = full[: full.index("<item>", full.index("<item>", full.index("<item>") + 1) + 1) + 40]
    server.routes["/cut.xml"] = Reply(cut.encode(), "application/rss+xml")
    truncated = poll(store, fetcher, server.url("/cut.xml"))
    assert truncated.error is None and len(truncated.added) >= 2  # the complete entries are stored
    stored = " ".join(a.text for a in store.iter_articles())
    assert "Port Velmar" in stored and "Oskerby" in stored

    server.routes["/bomb.xml"] = Reply(
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<rss><channel><title>x</title><item><title>&b;</title></item></channel></rss>",
        "application/rss+xml",
    )
    hostile = poll(store, fetcher, server.url("/bomb.xml"))
    assert hostile.added == [] and "declares entities" in hostile.rejected[0].reason

    server.routes["/junk.xml"] = Reply(b"<rss><channel><title>nothing here", "application/rss+xml")
    junk = poll(store, fetcher, server.url("/junk.xml"))
    assert junk.added == [] and "not a readable RSS/Atom feed" in junk.rejected[0].reason
    assert {r.path for r in store.rejected()} >= {server.url("/bomb.xml"), server.url("/junk.xml")}


def test_failing_links_are_recorded_and_only_passing_failures_are_retried(
    server: LocalServer, store: Store, fetcher: Fetcher
) -> None:
    server.routes["/news/harbour-story-today"] = gzip_bomb(30_000_000)
    server.routes["/news/bridge-story-today"] = redirect("http://10.20.30.40/internal")
    server.routes["/news/orchard-story-today"] = Reply(b"busy", "text/plain", 503)
    feed = rss([teaser("harbour"), teaser("bridge"), teaser("orchard"), entry("fresh", PARAGRAPHS["bridge"])])
    server.routes["/feed.xml"] = Reply(feed, "application/rss+xml", etag='"e1"')
    url = server.url("/feed.xml")

    first = poll(store, fetcher, url)
    reasons = {r.path.rsplit("/", 1)[-1]: r.reason for r in first.rejected}
    assert "decompression bomb" in reasons["harbour-story-today"]
    assert "10.20.30.40 is a private address; refused" in reasons["bridge-story-today"]
    assert reasons["orchard-story-today"] == "HTTP 503 Service Unavailable"
    assert len(first.added) == 1  # the valid entry is stored
    # the 503 may pass: the feed's ETag was not kept, so the next poll reads the feed again and retries
    # the orchard link only (the bomb and the refused redirect are not fetched again)
    server.routes["/news/orchard-story-today"] = Reply(page("Frost ruins harvest", PARAGRAPHS["orchard"]))
    second = poll(store, fetcher, url)
    assert second.kind == "feed" and len(second.added) == 1
    assert server.count("/news/harbour-story-today") == 1 and server.count("/news/bridge-story-today") == 1
    assert server.count("/news/orchard-story-today") == 2
    assert poll(store, fetcher, url).kind == "not modified"


def test_an_unreachable_source_is_a_failed_poll_not_an_exception(store: Store, fetcher: Fetcher) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = poll(store, fetcher, f"http://127.0.0.1:{port}/feed.xml")
    assert result.kind == "failed" and result.error and "cannot connect" in result.error
    assert "failed" in result.line()


def _version(n: int, text: str, title: str, hour: int) -> ArticleVersion:
    return ArticleVersion("a1", n, f"c{n}", datetime(2026, 3, 3, hour, 5, tzinfo=UTC), text, title=title)


def test_changes_name_the_headline_numbers_and_quotes() -> None:
    old = _version(1, 'The death toll rose to 12 on Monday. About 300 people were evacuated. '
                   '"We will rebuild every home," the mayor said. "Nobody is safe," a resident said.', "Storm kills 12", 13)  # fmt: skip
    new = _version(2, 'The death toll rose to 14 on Monday. About 450 people were evacuated. '
                   '"We will rebuild the homes," the mayor said. "Help came late," a nurse said.', "Storm kills 14", 14)  # fmt: skip
    described = [c.describe() for c in changes_between(old, new)]
    assert described[:6] == [
        'headline changed from "Storm kills 12" to "Storm kills 14" at 14:05 UTC',
        "toll updated from 12 to 14 at 14:05 UTC",
        "people updated from About 300 to About 450 at 14:05 UTC",
        'quote changed from "We will rebuild every home" to "We will rebuild the homes" at 14:05 UTC',
        'quote removed: "Nobody is safe" at 14:05 UTC',
        'quote added: "Help came late" at 14:05 UTC',
    ]
    assert described[6].startswith("text changed: ")
    assert changes_between(old, old) == []


def test_a_number_written_the_same_way_is_not_a_change() -> None:
    old = _version(1, "Officials said 12 people died and 3 bridges closed.", "T", 9)
    new = _version(2, "Officials said twelve people died and 3 bridges closed.", "T", 10)
    assert [c.kind for c in changes_between(old, new)] == ["text"]  # 12 == twelve


def test_version_lookup_errors_are_clear(store: Store) -> None:
    from newsweave.errors import NotFoundError, UsageError
    from newsweave.ingest import Fields, build_article

    a = build_article(
        Fields(text="A text read from a file, never fetched from anywhere."), "x.txt", "", "text"
    )
    store.add_articles([a])  # type: ignore[list-item]
    with pytest.raises(NotFoundError, match="was not fetched from a URL"):
        article_versions(store, a.id[:8])
    with pytest.raises(NotFoundError, match="no fetched article for URL"):
        article_versions(store, "https://nowhere.example/a")
    with pytest.raises(UsageError, match="only one version"):
        pick_versions([_version(1, "x", "t", 1)], None, None)
    with pytest.raises(UsageError, match="no version 5"):
        pick_versions([_version(1, "x", "t", 1), _version(2, "y", "t", 2)], 1, 5)
    assert count_versions(store) == 0


def test_a_round_waits_for_a_busy_store_then_is_skipped(
    monkeypatch: pytest.MonkeyPatch, fetcher: Fetcher
) -> None:
    import importlib

    from newsweave.errors import StoreError
    from newsweave.fetch.watch import WatchOptions, watch

    watch_module = importlib.import_module("newsweave.fetch.watch")  # the package exports the function

    tries: list[int] = []

    def busy() -> Store:
        tries.append(1)
        raise StoreError("could not set lock on file")

    monkeypatch.setattr(watch_module, "STORE_WAIT", 0.6)
    summary = watch(busy, ["http://127.0.0.1:9/feed.xml"], WatchOptions(max_rounds=1), fetcher)
    assert summary.rounds == 1 and summary.polls == [] and 2 <= len(tries) <= 3


def test_sources_files_and_intervals(tmp_path: Path) -> None:
    from newsweave.errors import UsageError
    from newsweave.fetch import parse_every, read_sources

    listed = tmp_path / "feeds.txt"
    listed.write_text(
        "# my feeds\nhttps://a.example/rss\n\nhttps://b.example/atom.xml\nhttps://a.example/rss\n"
    )
    assert read_sources(listed) == ["https://a.example/rss", "https://b.example/atom.xml"]
    bad = tmp_path / "bad.opml"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><opml><body>&e;</body></opml>')
    with pytest.raises(UsageError, match="bad.opml: not a readable OPML file"):
        read_sources(bad)
    with pytest.raises(UsageError, match="cannot read the list of feeds"):
        read_sources(tmp_path / "missing.txt")
    assert [parse_every(x) for x in ("90s", "10m", "1h", "600", "1.5h")] == [90, 600, 3600, 600, 5400]
    for wrong in ("soon", "10x", "5s"):
        with pytest.raises(UsageError, match="--every"):
            parse_every(wrong)


def test_atom_published_and_updated_dates_are_kept_apart(
    server: LocalServer, store: Store, fetcher: Fetcher
) -> None:
    def atom_entry(key: str, dates: str) -> str:
        return (f"<entry><id>urn:x:{key}</id><title>{key.title()}</title>"
                f"<link href='/news/{key}-story-today'/>{dates}"
                f"<content type='html'>{html_paragraphs(PARAGRAPHS[key]).replace('<', '&lt;')}</content></entry>")  # fmt: skip

    feed = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Invented Daily</title><id>urn:x</id><updated>2026-03-04T10:00:00Z</updated>"
        + atom_entry(
            "harbour", "<published>2026-03-03T08:00:00Z</published><updated>2026-03-04T09:30:00Z</updated>"
        )
        + atom_entry("bridge", "<updated>2026-03-04T10:00:00Z</updated>")
        + "</feed>"
    )
    server.routes["/atom.xml"] = Reply(feed.encode(), "application/atom+xml")
    result = poll(store, fetcher, server.url("/atom.xml"))
    assert len(result.added) == 2
    by_text = {("Velmar" in a.text): a for a in store.get_articles(result.added)}
    harbour, bridge = by_text[True], by_text[False]
    assert harbour.published_at == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert bridge.published_at is None  # an update time is not a publication time
    (hv,) = article_versions(store, harbour.id)[1]
    (bv,) = article_versions(store, bridge.id)[1]
    assert (hv.published_raw, hv.updated_raw) == ("2026-03-03T08:00:00Z", "2026-03-04T09:30:00Z")
    assert (bv.published_raw, bv.updated_at) == (None, datetime(2026, 3, 4, 10, 0, tzinfo=UTC))


def test_a_label_is_not_a_number_change() -> None:
    """The diff reads numbers with the comparison's one finder: "bus No. 142" names a bus, it counts nothing."""
    old = _version(1, "Passengers of bus No. 142 said 12 people were hurt in the crash.", "Crash", 13)
    new = _version(2, "Passengers of bus No. 143 said 14 people were hurt in the crash.", "Crash", 14)
    numbers = [c for c in changes_between(old, new) if c.kind == "number"]
    assert [(c.before, c.after) for c in numbers] == [("12", "14")], numbers
