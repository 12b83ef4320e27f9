"""The command line over the local server: ``add URL``, ``watch --once`` twice, kill -9 and restart,
SIGTERM, ``--feeds`` (OPML), ``versions`` and ``diff``. Only 127.0.0.1 is served, with --allow-private."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fetch_fixtures import PARAGRAPHS, html_paragraphs, page, rss
from local_http import LocalServer, Reply
from newsweave.cli import app
from newsweave.errors import NewsweaveError, UsageError
from newsweave.store import Store
from newsweave.store.fetch import count_versions

runner = CliRunner()
QUIET = ["--no-analyse", "--no-cluster"]


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    s = LocalServer()
    yield s
    s.close()


def cli(*args: str) -> tuple[int, str]:
    """Exit status and output as ``newsweave.cli.main`` gives them (usage errors 2, domain errors 1)."""
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, UsageError):
        return 2, result.output + str(result.exception)
    if isinstance(result.exception, NewsweaveError):
        return 1, result.output + str(result.exception)
    return result.exit_code, result.output


def _slow_page(body: bytes, seconds: float) -> Callable[[BaseHTTPRequestHandler], None]:
    def handle(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        h._send(Reply(body))  # type: ignore[attr-defined]

    return handle


def _wait_until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def _readable(db: Path) -> bool:
    try:
        Store.open(db).close()
    except NewsweaveError:
        return False
    return True


def _counts(db: Path) -> tuple[int, int]:
    with Store.open(db) as s:
        return s.count_articles(), count_versions(s)


def test_add_url_fetches_and_refuses_with_reasons(server: LocalServer, tmp_path: Path) -> None:
    db = str(tmp_path / "a.duckdb")
    server.routes["/world/crane-collapse-at-port-velmar"] = Reply(
        page("Crane collapse", PARAGRAPHS["harbour"])
    )
    url = server.url("/world/crane-collapse-at-port-velmar")
    code, out = cli("add", url, "--db", db, "--json", *QUIET)
    assert code == 1  # refused: loopback without --allow-private
    assert json.loads(out.splitlines()[-1])["rejected"][0]["reason"].startswith(
        "127.0.0.1 is a loopback address"
    )
    assert server.hits == []
    code, out = cli("add", url, "ftp://example.org/feed.xml", "--db", db, "--json", "--allow-private", *QUIET)
    got = json.loads(out.splitlines()[-1])
    assert code == 1 and got["added"] == 1 and got["articles_in_store"] == 1
    assert [r["reason"] for r in got["rejected"]] == [
        "URL has scheme ftp:; only http and https URLs are fetched"
    ]
    code, out = cli("rejected", "--db", db, "--json")
    assert "ftp://example.org/feed.xml" in {r["path"] for r in json.loads(out)}


def test_watch_once_stores_new_entries_and_versions_then_nothing(server: LocalServer, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    items = [{"title": k.title(), "link": f"/news/{k}-story-today", "guid": f"id-{k}", "content": html_paragraphs(PARAGRAPHS[k])}
             for k in ("harbour", "bridge")]  # fmt: skip
    server.routes["/feed.xml"] = Reply(rss(items), "application/rss+xml", etag='"1"')
    feed = server.url("/feed.xml")
    # the full pipeline runs on what is new: analysis and stories
    code, out = cli("watch", feed, "--once", "--allow-private", "--db", db, "--json")
    polls = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert code == 0 and len(polls) == 1 and len(polls[0]["added"]) == 2
    code, out = cli("stories", "--db", db, "--json")
    assert code == 0 and sum(len(s["article_ids"]) for s in json.loads(out)) == 2
    code, out = cli("watch", feed, "--once", "--allow-private", "--db", db, "--json", *QUIET)
    assert json.loads(out.splitlines()[0])["kind"] == "not modified" and _counts(Path(db)) == (2, 2)

    items[0]["content"] = html_paragraphs(
        [p.replace("rose to 12", "rose to 14") for p in PARAGRAPHS["harbour"]]
    )
    server.routes["/feed.xml"] = Reply(rss(items), "application/rss+xml", etag='"2"')
    code, out = cli("watch", feed, "--once", "--allow-private", "--db", db, "--json", *QUIET)
    poll = json.loads(out.splitlines()[0])
    assert poll["added"] == [] and poll["unchanged"] == 1 and [v["version"] for v in poll["versions"]] == [2]
    assert _counts(Path(db)) == (2, 3)
    article = poll["versions"][0]["article_id"]
    code, out = cli("watch", feed, "--once", "--allow-private", "--db", db, "--json", *QUIET)
    assert json.loads(out.splitlines()[0])["kind"] == "not modified" and _counts(Path(db)) == (2, 3)

    code, out = cli("versions", article[:10], "--db", db, "--json")
    listed = json.loads(out)
    assert code == 0 and [v["version"] for v in listed["versions"]] == [1, 2]
    assert listed["versions"][0]["published_raw"] == "Tue, 03 Mar 2026 08:00:00 +0000"
    code, out = cli("diff", article, "--db", db)
    assert code == 0 and "toll updated from 12 to 14" in out and "[-12-]" in out and "{+14+}" in out
    code, out = cli("diff", article, "1", "2", "--db", db, "--json")
    assert [c["kind"] for c in json.loads(out)["changes"]] == ["number", "text"]
    code, out = cli("diff", article, "1", "7", "--db", db)
    assert code == 2 and "no version 7" in out


def test_feeds_file_in_opml(server: LocalServer, tmp_path: Path) -> None:
    db = str(tmp_path / "o.duckdb")
    items = [{"title": "Bridge", "link": "/news/bridge-story-today", "guid": "b", "content": html_paragraphs(PARAGRAPHS["bridge"])}]  # fmt: skip
    server.routes["/feed.xml"] = Reply(rss(items), "application/rss+xml")
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        f'<?xml version="1.0"?><opml version="2.0"><body><outline text="News">'
        f'<outline type="rss" text="Invented" xmlUrl="{server.url("/feed.xml")}"/></outline></body></opml>',
        encoding="utf-8",
    )
    code, out = cli("watch", "--feeds", str(opml), "--once", "--allow-private", "--db", db, *QUIET)
    assert code == 0 and _counts(Path(db)) == (1, 1)
    code, out = cli("watch", "--once", "--db", db)
    assert code == 2 and "nothing to watch" in out


def _watch_process(db: Path, feed: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsweave",
            "watch",
            feed,
            "--every",
            "60s",
            "--allow-private",
            "--db",
            str(db),
            *QUIET,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _teaser_feed(server: LocalServer, n: int, seconds: float) -> str:
    keys = list(PARAGRAPHS)
    items = []
    for i in range(n):
        paragraphs = [f"Report number {i} of the series. " + p for p in PARAGRAPHS[keys[i % len(keys)]]]
        path = f"/news/report-number-{i}-of-the-series"
        server.routes[path] = _slow_page(page(f"Report {i}", paragraphs), seconds)
        items.append({"title": f"Report {i}", "link": path, "guid": f"r{i}", "summary": "Teaser."})
    server.routes["/feed.xml"] = Reply(rss(items), "application/rss+xml", etag='"k"')
    return server.url("/feed.xml")


def test_a_watch_killed_with_kill_9_loses_nothing_when_restarted(server: LocalServer, tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    feed = _teaser_feed(server, 6, 0.4)
    proc = _watch_process(db, feed)
    try:
        assert _wait_until(
            lambda: sum(server.count(f"/news/report-number-{i}-of-the-series") for i in range(6)) >= 3, 60
        )
    finally:
        proc.kill()  # SIGKILL, in the middle of the round
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    code, out = cli("watch", feed, "--once", "--allow-private", "--db", str(db), *QUIET)
    assert code == 0 and _counts(db) == (6, 6)  # every entry once, none twice
    fetched = [server.count(f"/news/report-number-{i}-of-the-series") for i in range(6)]
    assert all(1 <= c <= 2 for c in fetched) and sum(fetched) <= 7  # at most the page in flight again
    code, out = cli("watch", feed, "--once", "--allow-private", "--db", str(db), "--json", *QUIET)
    assert json.loads(out.splitlines()[0])["kind"] == "not modified" and _counts(db) == (6, 6)


def test_sigterm_stops_a_watch_cleanly(server: LocalServer, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    feed = _teaser_feed(server, 2, 0.0)
    proc = _watch_process(db, feed)
    try:
        assert _wait_until(lambda: server.count("/news/report-number-1-of-the-series") == 1, 60)
        # between rounds the watch leaves the store closed: another command can read it meanwhile
        assert _wait_until(lambda: _readable(db), 30)
        assert _counts(db) == (2, 2)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == 0, err
    assert "SIGTERM: stopping" in err
    assert "feed: 2 new, 0 updated" in err  # the one line of the poll
    assert _counts(db) == (2, 2)


def test_report_and_story_page_say_what_changed_after_publication(
    server: LocalServer, tmp_path: Path
) -> None:
    """Issue #18: the comparison of a stored story, and the web app, show an outlet's later edit."""
    import asyncio

    import httpx

    from newsweave.store.stories import list_stories
    from newsweave.web.app import WebOptions, create_app

    db = str(tmp_path / "v.duckdb")
    path = "/world/crane-collapse-at-port-velmar"
    server.routes[path] = Reply(page("Crane collapse", PARAGRAPHS["harbour"]))
    code, _ = cli("add", server.url(path), "--db", db, "--allow-private", "--no-analyse")
    assert code == 0
    edited = [p.replace("rose to 12", "rose to 14") for p in PARAGRAPHS["harbour"]]
    server.routes[path] = Reply(page("Crane collapse: toll rises", edited))
    code, _ = cli("add", server.url(path), "--db", db, "--allow-private", "--no-analyse")
    assert code == 0
    with Store.open(db) as s:
        (story,) = list_stories(s)
    code, out = cli("report", story.id, "--db", db, "--json", "--no-embed", "--no-analyse")
    assert code == 0, out
    changes = json.loads(out)["changes"]
    kinds = {c["kind"]: c for c in changes}
    assert kinds["headline"]["before"] == "Crane collapse" and kinds["headline"]["after"].endswith(
        "toll rises"
    )
    assert any(c["kind"] == "number" and c["before"] == "12" and c["after"] == "14" for c in changes), changes
    code, md = cli("report", story.id, "--db", db, "--md", "--no-embed", "--no-analyse")
    assert "## Changed after publication" in md and "from 12 to 14" in md

    async def story_page() -> str:
        app = create_app(Path(db), WebOptions(embeddings=False))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            r = await client.get(f"/stories/{story.id}")
            assert r.status_code == 200
            return r.text

    html = asyncio.run(story_page())
    assert "Changed after publication" in html and "from 12 to 14" in html
