"""Adding articles through the web app (the /add form, POST /api/articles), in process over ASGI: the
library pipeline behind it, the limits, the token, cross-site refusals, and readers during a write."""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import shutil
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from newsweave.web import WebOptions, create_app
from newsweave.web.writes import WriteOptions

BASE = "http://127.0.0.1"

# Invented articles (no text from ../shared): two outlets on one event, and hostile markup.
HARBOUR_A = """Title: Glasswater harbour bridge shut after cracks found
Source: Tidewater Ledger
Date: 2026-03-02T08:00:00Z

The Glasswater harbour bridge was shut on Monday after inspectors found cracks in two of its steel
girders. "We cannot take any risk with a structure this old," said Odile Brannock, the city's chief
engineer. About 41,000 vehicles cross the bridge every day, and the closure is expected to last three weeks.
"""
HARBOUR_B = """Title: Cracks close Glasswater bridge for three weeks
Source: Coastline Courier
Date: 2026-03-02T11:30:00Z

Inspectors found cracks in two steel girders of the Glasswater harbour bridge, which closed on Monday.
"We cannot take any risk with a structure this old," Odile Brannock, the chief engineer, told reporters.
The bridge carries about 41,000 vehicles a day; the city expects the closure to last three weeks.
"""
HOSTILE = """Title: <script>alert('t')</script> Council <b onmouseover="x()">votes</b>
Source: Pier <img src=x onerror=alert(1)> Gazette
Date: 2026-03-03

The council voted <script>document.title='owned'</script> on the Glasswater budget, said Wenna Pellow.
"Nothing <i>will <u>change" she added, after the <a href="javascript:alert(2)">vote</a> of 7 to 2.
"""


def _call(app: Any, method: str, url: str, **kw: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            return await client.request(method, url, **kw)

    return asyncio.run(go())


def _secret(app: Any) -> str:
    page = _call(app, "GET", "/add")
    assert page.status_code == 200
    m = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert m, "the add form carries its secret"
    return m.group(1)


def _wait(app: Any, job_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = _call(app, "GET", f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish")


def _app(db: Path, **writes: Any) -> Any:
    return create_app(db, WebOptions(embeddings=False, writable=True, writes=WriteOptions(**writes)))


def _close(app: Any) -> None:
    if app.state.writer is not None:
        app.state.writer.close()
    app.state.store.close()


@pytest.fixture()
def store_copy(demo_store: Path, tmp_path: Path) -> Path:
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_store, db)
    return db


@pytest.fixture()
def web(store_copy: Path):
    app = _app(store_copy)
    yield app
    _close(app)


def test_the_form_adds_files_and_pasted_text_and_lists_what_it_refused(web) -> None:
    before = _call(web, "GET", "/api/articles?limit=1").json()["total"]
    files = [
        ("files", ("tidewater.txt", HARBOUR_A.encode(), "text/plain")),
        ("files", ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")),
        ("files", ("broken.html", b"\x00\x01\x02\x03" * 50, "text/html")),
        ("files", ("../../etc/evil.txt.gz", gzip.compress(HOSTILE.encode()), "application/gzip")),
    ]
    r = _call(web, "POST", "/add", data={"csrf": _secret(web), "text": HARBOUR_B, "source": ""}, files=files)
    assert r.status_code == 303, r.text
    page_url = r.headers["location"]
    job = _wait(web, page_url.rsplit("/", 1)[1])
    assert job["state"] == "done", job
    assert {a["title"] for a in job["added"]} == {
        "Glasswater harbour bridge shut after cracks found",
        "Cracks close Glasswater bridge for three weeks",
        "<script>alert('t')</script> Council <b onmouseover=\"x()\">votes</b>",
    }
    froms = {a["from"] for a in job["added"]}
    assert froms == {"upload/tidewater.txt", "<pasted text>", "upload/evil.txt.gz"}  # no folders kept
    reasons = {r["input"]: r["reason"] for r in job["rejected"]}
    assert set(reasons) == {"upload/photo.png", "upload/broken.html"}
    assert "not a file type newsweave reads" in reasons["upload/photo.png"]
    assert "binary" in reasons["upload/broken.html"]
    # the two harbour articles are one story; every article was analysed and assigned
    harbour = [a for a in job["added"] if "Glasswater" in (a["title"] or "") and "bridge" in a["title"]]
    assert harbour[0]["story_id"] and harbour[0]["story_id"] == harbour[1]["story_id"]
    assert _call(web, "GET", "/api/articles?limit=1").json()["total"] == before + 3
    # the rejected uploads are recorded with the others (newsweave rejected shows them)
    cur = web.state.store.cursor()
    try:
        stored = {r.path for r in cur.rejected()}
    finally:
        cur.close()
    assert {"upload/photo.png", "upload/broken.html"} <= stored
    # the progress page, done: what was added, with links, and the reasons
    page = _call(web, "GET", page_url)
    assert page.status_code == 200 and 'data-state="done"' in page.text
    assert 'http-equiv="refresh"' not in page.text
    assert "not a file type newsweave reads" in page.text
    assert f'href="/stories/{harbour[0]["story_id"]}"' in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;alert" in page.text


def test_added_articles_are_searchable_compared_and_escaped(web) -> None:
    r = _call(
        web, "POST", "/api/articles", content=HARBOUR_A.encode(), headers={"content-type": "text/plain"}
    )
    assert r.status_code == 201, r.text
    first = _call(web, "GET", f"/stories/{r.json()['added'][0]['story_id']}")
    assert (
        first.status_code == 200
        and "Tidewater Ledger" in first.text
        and "Coastline Courier" not in first.text
    )
    hits = web.state.rendered.hits
    assert _call(web, "GET", first.url.path).content == first.content and web.state.rendered.hits == hits + 1
    r = _call(web, "POST", "/api/articles", content=HOSTILE.encode(), headers={"content-type": "text/plain"})
    assert r.status_code == 201, r.text
    hostile = r.json()["added"][0]
    r = _call(
        web, "POST", "/api/articles", content=HARBOUR_B.encode(), headers={"content-type": "text/plain"}
    )
    story = r.json()["added"][0]["story_id"]
    hits = _call(web, "GET", "/api/search?speaker=Brannock").json()
    assert hits["total"] >= 2 and all("Brannock" in h["speaker"] for h in hits["items"])
    comp = _call(web, "GET", f"/api/stories/{story}/comparison").json()
    assert len(comp["sources"]) == 2
    page = _call(web, "GET", f"/stories/{story}").text  # the story grew: its page is made again
    assert "Tidewater Ledger" in page and "Coastline Courier" in page
    assert any("We cannot take any risk" in e["text"] for q in comp["quotes"] for e in q["evidence"])
    page = _call(web, "GET", f"/articles/{hostile['id']}")
    assert page.status_code == 200
    assert "<script>" not in page.text.split("</header>", 1)[1]
    assert "onerror=" not in page.text.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;document.title" in page.text
    assert 'href="javascript:' not in page.text


def test_the_same_article_again_is_a_duplicate(web) -> None:
    first = _call(
        web, "POST", "/api/articles", content=HARBOUR_A.encode(), headers={"content-type": "text/plain"}
    )
    assert first.status_code == 201 and len(first.json()["added"]) == 1
    again = _call(
        web, "POST", "/api/articles", content=HARBOUR_A.encode(), headers={"content-type": "text/plain"}
    )
    assert again.status_code == 200, again.text  # nothing new stored
    body = again.json()
    assert body["added"] == [] and [d["id"] for d in body["duplicates"]] == [first.json()["added"][0]["id"]]


def test_a_json_export_body_and_a_queued_job(web) -> None:
    records = [
        {"title": f"Ferry timetable change {i}", "text": f"The ferry to Inchmarra island sails at {6 + i} o'clock "
         f"from next week, the operator Brackwater Lines said on Tuesday. Passengers number about {100 * i}.",
         "source": "Island Herald", "published": f"2026-04-0{i}"}
        for i in range(1, 4)
    ] + [{"title": "no text at all"}]  # fmt: skip
    r = _call(web, "POST", "/api/articles?wait=false", json=records)
    assert r.status_code == 202, r.text
    assert r.headers["location"].endswith(f"/api/jobs/{r.json()['id']}")
    job = _wait(web, r.json()["id"])
    assert job["state"] == "done" and len(job["added"]) == 3
    assert {a["source"] for a in job["added"]} == {"Island Herald"}
    assert len(job["rejected"]) == 1 and job["rejected"][0]["input"] == "<request body>"
    assert _call(web, "GET", "/api/jobs/nope").status_code == 404


def test_bad_requests_answer_with_the_reason(web) -> None:
    r = _call(
        web, "POST", "/api/articles", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400 and "does not parse" in r.json()["detail"]
    deep = b"[" * 100_000 + b"]" * 100_000  # parses to nothing but Python's parser recurses per level
    r = _call(web, "POST", "/api/articles", content=deep, headers={"content-type": "application/json"})
    assert r.status_code == 400 and "nested too deeply" in r.json()["detail"]
    r = _call(web, "POST", "/api/articles", content=b"<x/>", headers={"content-type": "image/svg+xml"})
    assert r.status_code == 415
    r = _call(web, "POST", "/api/articles", data={"text": "  "}, files=[("files", ("", b"", "text/plain"))])
    assert r.status_code == 400 and "nothing to add" in r.json()["detail"]
    r = _call(web, "POST", "/add", data={"csrf": _secret(web)})
    assert r.status_code == 400 and "nothing to add" in r.text and "<h1>400</h1>" in r.text


def test_limits_on_files_bodies_and_pasted_text(store_copy: Path) -> None:
    app = _app(store_copy, max_file_bytes=2000, max_request_bytes=20_000, max_files=3, max_paste_bytes=1500)
    try:
        big = ("files", ("long.txt", b"Title: Long\n\n" + b"word " * 1000, "text/plain"))
        r = _call(app, "POST", "/api/articles?wait=true", files=[big])
        assert r.status_code == 200
        assert "over the upload limit of 2000 bytes" in r.json()["rejected"][0]["reason"]
        r = _call(app, "POST", "/api/articles", content=b"x" * 30_000, headers={"content-type": "text/plain"})
        assert r.status_code == 413 and "limit" in r.json()["detail"]

        async def chunks():  # a body with no Content-Length: counted while it is read
            for _ in range(30):
                yield b"y" * 1000

        r = _call(app, "POST", "/api/articles", content=chunks(), headers={"content-type": "text/plain"})
        assert r.status_code == 413
        many = [("files", (f"f{i}.txt", b"Title: t\n\nsome text here.", "text/plain")) for i in range(5)]
        r = _call(app, "POST", "/api/articles", files=many)
        assert (
            r.status_code == 400
            and "cannot read the form" in r.json()["detail"]
            and "3 files" in r.json()["detail"]
        )
        for extra in ({}, {"files": [("files", ("", b"", "text/plain"))]}):  # urlencoded, then multipart
            r = _call(app, "POST", "/api/articles", data={"text": "z" * 1600}, **extra)
            detail = r.json()["detail"]
            assert r.status_code == 400 and "exceeded maximum size" in detail and "1500 bytes" in detail, (
                detail
            )
    finally:
        _close(app)


def test_writes_need_the_token_when_one_is_set(store_copy: Path) -> None:
    token = "s3cret-token-for-tests-0123"
    app = _app(store_copy, token=token)
    try:
        body = {"content": HARBOUR_A.encode(), "headers": {"content-type": "text/plain"}}
        assert _call(app, "POST", "/api/articles", **body).status_code == 401
        wrong = {"content-type": "text/plain", "authorization": "Bearer not-it"}
        assert (
            _call(app, "POST", "/api/articles", content=HARBOUR_A.encode(), headers=wrong).status_code == 401
        )
        right = {"content-type": "text/plain", "authorization": f"Bearer {token}"}
        assert (
            _call(app, "POST", "/api/articles", content=HARBOUR_A.encode(), headers=right).status_code == 201
        )
        page = _call(app, "GET", "/add").text
        assert 'name="token"' in page and token not in page
        secret = _secret(app)
        r = _call(app, "POST", "/add", data={"csrf": secret, "text": HARBOUR_B})
        assert r.status_code == 401 and "needs a token" in r.text
        r = _call(app, "POST", "/add", data={"csrf": secret, "text": HARBOUR_B, "token": token})
        assert r.status_code == 303
    finally:
        _close(app)


def test_no_writes_off_loopback_without_a_token_nor_on_a_read_only_server(store_copy: Path) -> None:
    app = create_app(store_copy, WebOptions(embeddings=False, writable=True, allowed_hosts=("*",),
                                             writes=WriteOptions(loopback=False)))  # fmt: skip
    try:
        r = _call(
            app, "POST", "/api/articles", content=HARBOUR_A.encode(), headers={"content-type": "text/plain"}
        )
        assert r.status_code == 403 and "--token" in r.json()["detail"]
        assert "adding articles is off" in _call(app, "GET", "/add").text
    finally:
        _close(app)
    ro = create_app(store_copy, WebOptions(embeddings=False))
    try:
        r = _call(
            ro, "POST", "/api/articles", content=HARBOUR_A.encode(), headers={"content-type": "text/plain"}
        )
        assert r.status_code == 403 and "read-only" in r.json()["detail"]
        assert "read-only" in _call(ro, "GET", "/add").text
        r = _call(ro, "POST", "/add", data={"csrf": "x", "text": HARBOUR_A})
        assert r.status_code == 403
    finally:
        ro.state.store.close()


def test_cross_site_posts_and_forms_without_the_secret_are_refused(web) -> None:
    count = _call(web, "GET", "/api/articles?limit=1").json()["total"]
    evil = {"content-type": "text/plain", "origin": "http://attacker.example"}
    assert _call(web, "POST", "/api/articles", content=HARBOUR_A.encode(), headers=evil).status_code == 403
    fetch = {"content-type": "text/plain", "sec-fetch-site": "cross-site"}
    assert _call(web, "POST", "/api/articles", content=HARBOUR_A.encode(), headers=fetch).status_code == 403
    r = _call(web, "POST", "/add", data={"text": HARBOUR_A}, headers={"origin": "null"})
    assert r.status_code == 403
    site = {"content-type": "text/plain", "sec-fetch-site": "same-site", "origin": "null"}
    assert _call(web, "POST", "/api/articles", content=HARBOUR_A.encode(), headers=site).status_code == 403
    r = _call(web, "POST", "/add", data={"text": HARBOUR_A, "csrf": "guessed"})
    assert r.status_code == 403 and "reload the page" in r.text
    same = {"origin": "null", "sec-fetch-site": "same-origin"}  # as Chromium posts under no-referrer
    r = _call(web, "POST", "/add", data={"text": HARBOUR_A, "csrf": _secret(web)}, headers=same)
    assert r.status_code == 303
    _wait(web, r.headers["location"].rsplit("/", 1)[1])
    assert _call(web, "GET", "/api/articles?limit=1").json()["total"] == count + 1


def test_read_requests_read_a_snapshot_and_cannot_write(web) -> None:
    from newsweave.web.app import request_store

    gen = request_store(SimpleNamespace(app=web))  # type: ignore[arg-type]
    cur = next(gen)
    try:
        with pytest.raises(Exception, match="read-only"):
            cur.execute("DELETE FROM rejected")
    finally:
        gen.close()


def test_readers_during_a_write_see_each_batch_whole_or_not_at_all(
    store_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsweave.pipeline import BATCH_PAUSE_ENV, BATCH_SIGNAL_ENV

    # 40 articles in 4 transactions of 10; the writer pauses 1.5 s after the second, mid-job
    monkeypatch.setenv(BATCH_SIGNAL_ENV, str(tmp_path / "batches"))
    monkeypatch.setenv(BATCH_PAUSE_ENV, "2:1.5")
    app = _app(store_copy, batch_size=10)
    before = _call(app, "GET", "/api/articles?limit=1").json()["total"]
    n = 40
    lines = [json.dumps({"title": f"Tram line {i} reopens", "source": "Metro Bulletin", "published": "2026-05-01",
                         "text": f"Tram line {i} reopened on Friday after repairs costing {i} million, the transport "
                                 f"authority said. Riders had waited {i + 2} weeks."}) for i in range(n)]  # fmt: skip
    seen: list[int] = []

    async def readers() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            r = await client.post("/api/articles?wait=false", content="\n".join(lines).encode(),
                                  headers={"content-type": "application/x-ndjson"})  # fmt: skip
            assert r.status_code == 202
            job_id = r.json()["id"]
            while True:
                pages = await asyncio.gather(
                    *(client.get("/api/articles?limit=1&text=false") for _ in range(4))
                )
                seen.extend(p.json()["total"] for p in pages)
                state = (await client.get(f"/api/jobs/{job_id}")).json()["state"]
                if state in ("done", "failed"):
                    break
                await asyncio.sleep(0.02)

    try:
        asyncio.run(readers())
        assert set(seen) <= {before + k for k in range(0, n + 1, 10)}, sorted(set(seen))
        assert before + 20 in seen  # read during the pause: the first two batches, and no part of the third
        assert _call(app, "GET", "/api/articles?limit=1").json()["total"] == before + n
    finally:
        _close(app)


def test_serve_takes_the_token_from_the_option_or_the_environment(
    store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from newsweave.cli import app as cli
    from newsweave.errors import UsageError

    started: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append((app, kw)))
    runner = CliRunner()
    token = "t" * 24
    r = runner.invoke(cli, ["serve", "--db", str(store_copy), "--token", token])
    assert r.exit_code == 0, r.output
    web, kw = started.pop()
    assert (
        kw["host"] == "127.0.0.1" and web.state.write_options.token == token and web.state.writer is not None
    )
    _close(web)
    r = runner.invoke(
        cli, ["serve", "--db", str(store_copy), "--host", "0.0.0.0"], env={"NEWSWEAVE_TOKEN": token}
    )
    assert r.exit_code == 0, r.output
    web, kw = started.pop()
    assert web.state.write_options.token == token and not web.state.write_options.loopback
    _close(web)
    r = runner.invoke(
        cli, ["serve", "--db", str(store_copy), "--host", "0.0.0.0"], env={"NEWSWEAVE_TOKEN": ""}
    )
    assert r.exit_code == 0 and "adding articles is off" in r.output
    web, _ = started.pop()
    _close(web)
    r = runner.invoke(cli, ["serve", "--db", str(store_copy), "--read-only"])
    web, _ = started.pop()
    assert web.state.writer is None and not web.state.options.writable
    web.state.store.close()
    r = runner.invoke(cli, ["serve", "--db", str(store_copy), "--token", "short"])
    assert (
        isinstance(r.exception, UsageError) and "at least 16 characters" in str(r.exception) and not started
    )


def test_the_writer_analyses_in_its_own_process(web, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsweave.pipeline as pipeline

    seen: list[int] = []
    real = pipeline._analyse_pending

    def spy(store: Any, summary: Any, report: Any, processes: int = 0) -> int:
        seen.append(processes)
        return real(store, summary, report, processes)

    monkeypatch.setattr(pipeline, "_analyse_pending", spy)
    r = _call(
        web, "POST", "/api/articles", content=HARBOUR_A.encode(), headers={"content-type": "text/plain"}
    )
    assert r.status_code == 201 and seen == [1]  # no worker processes forked from the threaded server


def test_adding_searching_and_snapshots_on_a_postgresql_store(pg_url: str) -> None:
    # the same web app over an empty PostgreSQL database: the writer thread adds through a connection of
    # the pool, each read request reads in its own read-only snapshot (another connection)
    from newsweave.web.app import request_store

    app = create_app(pg_url, WebOptions(embeddings=False, writable=True))
    try:
        assert app.state.store.backend == "postgresql"
        added = []
        for text in (HARBOUR_A, HARBOUR_B, HOSTILE):
            r = _call(
                app, "POST", "/api/articles", content=text.encode(), headers={"content-type": "text/plain"}
            )
            assert r.status_code == 201, r.text
            added.append(r.json()["added"][0])
        assert added[0]["story_id"] and added[0]["story_id"] == added[1]["story_id"] != added[2]["story_id"]
        story = added[0]["story_id"]
        assert _call(app, "GET", "/api/articles?limit=1").json()["total"] == 3
        # one story read by id and by prefix (get_story), its page and comparison
        got = _call(app, "GET", f"/api/stories/{story[:8]}").json()
        assert got["id"] == story and sorted(got["article_ids"]) == sorted(a["id"] for a in added[:2])
        page = _call(app, "GET", f"/stories/{story}")
        assert (
            page.status_code == 200 and "Tidewater Ledger" in page.text and "Coastline Courier" in page.text
        )
        # search over the stored sentences (claims) and entities
        claims = _call(app, "GET", "/api/search?q=girders&kind=claim").json()
        assert claims["total"] >= 2 and all("girders" in h["text"] for h in claims["items"])
        people = _call(app, "GET", "/api/search?q=Brannock&kind=entity").json()
        assert any("Brannock" in h["text"] for h in people["items"])
        # a read request's handle is read-only: a write through it fails and changes nothing
        gen = request_store(SimpleNamespace(app=app))  # type: ignore[arg-type]
        cur = next(gen)
        try:
            with pytest.raises(Exception, match="read-only"):
                cur.execute("DELETE FROM articles")
        finally:
            gen.close()
        assert _call(app, "GET", "/api/articles?limit=1").json()["total"] == 3
    finally:
        _close(app)
