"""Uploads to the web app prepare their stories when asked (``serve --prepare``, the add form's box,
``POST /api/articles?prepare=``), through the library call ``add --prepare`` uses: the story's
comparison is stored under the key the app's pages look up, so the page afterwards compares nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import newsweave.compare as compare_pkg
from invented_story import ARTICLES
from newsweave.store import Store
from newsweave.views.stored import comparison_key
from newsweave.web import WebOptions, create_app
from newsweave.web.writes import WriteOptions

BASE = "http://127.0.0.1"


def _empty_store(tmp_path: Path) -> Path:
    db = tmp_path / "web.duckdb"
    Store.open(db).close()
    return db


def _client(db: Path, prepare: bool = False) -> TestClient:
    app = create_app(db, WebOptions(embeddings=False, writable=True, writes=WriteOptions(prepare=prepare)))
    return TestClient(app, base_url=BASE)


def _files() -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, text.encode(), "text/plain")) for name, text in ARTICLES.items()]


def _stored(client: TestClient) -> dict[str, str]:
    """Story id -> key of every stored comparison."""
    snap = client.app.state.store.snapshot()  # type: ignore[attr-defined]
    try:
        return {str(s): str(k) for s, k in snap.query("SELECT story_id, key FROM story_comparisons")}
    finally:
        snap.close()


def _page_key(client: TestClient, story_id: str) -> str:
    """The key the app's story page looks up for ``story_id``."""
    state: Any = client.app.state  # type: ignore[attr-defined]
    snap = state.store.snapshot()
    try:
        return comparison_key(snap, snap.get_story(story_id), state.compare_options)
    finally:
        snap.close()


def _one_story(job: dict[str, Any]) -> str:
    assert job["state"] == "done" and len(job["added"]) == 3, job
    stories = {a["story_id"] for a in job["added"]}
    assert len(stories) == 1 and None not in stories, "the three invented articles make one story"
    return stories.pop()


class Refuse:
    """Stands in for ``compare_articles``: a page that compares fails the test."""

    calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        raise AssertionError("the story page compared again")


def test_an_upload_with_prepare_stores_the_comparison_the_page_then_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _client(_empty_store(tmp_path)) as client:  # the server's default: off
        r = client.post("/api/articles?prepare=true", files=_files())
        assert r.status_code == 201, r.text
        job = r.json()
        story = _one_story(job)
        assert job["prepare"] is True and job["prepared"] == [story] and job["warnings"] == []
        assert _stored(client) == {story: _page_key(client, story)}
        refuse = Refuse()
        monkeypatch.setattr(compare_pkg, "compare_articles", refuse)
        page = client.get(f"/stories/{story}")
        assert page.status_code == 200 and refuse.calls == 0
        assert all(outlet in page.text for outlet in ("Fenwick Ledger", "Oxbow Courier", "Kestrel Herald"))


def test_an_upload_without_prepare_stores_no_comparison(tmp_path: Path) -> None:
    with _client(_empty_store(tmp_path)) as client:
        r = client.post("/api/articles", files=_files())
        assert r.status_code == 201, r.text
        job = r.json()
        story = _one_story(job)
        assert job["prepare"] is False and job["prepared"] == []
        assert _stored(client) == {}
        # the page compares on its first visit, as before, and the writer stores that
        assert client.get(f"/stories/{story}").status_code == 200
        client.app.state.writer.wait()  # type: ignore[attr-defined]
        assert _stored(client) == {story: _page_key(client, story)}


def test_serve_prepare_is_the_default_that_the_form_and_the_api_can_turn_off(tmp_path: Path) -> None:
    with _client(_empty_store(tmp_path), prepare=True) as client:
        page = client.get("/add")
        assert page.status_code == 200
        box = re.search(r'<input type="checkbox" name="prepare" value="1"( checked)?>', page.text)
        assert box and box.group(1), "the form's box is ticked when the server prepares"
        secret = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert secret
        # the form with the box cleared: only the hidden field's "0" is sent
        (name, text) = next(iter(ARTICLES.items()))
        r = client.post(
            "/add",
            data={"csrf": secret.group(1), "prepare": "0", "text": "", "source": ""},
            files=[("files", (name, text.encode(), "text/plain"))],
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        client.app.state.writer.wait()  # type: ignore[attr-defined]
        job = client.get(f"/api/jobs/{r.headers['location'].rsplit('/', 1)[1]}").json()
        assert job["state"] == "done" and job["prepare"] is False and job["prepared"] == []
        # the API without the parameter: the server's choice (prepare), for the story the rest completes
        rest = [f for f in _files() if f[1][0] != name]
        r = client.post("/api/articles", files=rest)
        assert r.status_code == 201, r.text
        story = r.json()["added"][0]["story_id"]
        assert r.json()["prepare"] is True and r.json()["prepared"] == [story]
        assert _stored(client) == {story: _page_key(client, story)}
        bad = client.post("/api/articles", files=rest, data={"prepare": "perhaps"})
        assert bad.status_code == 400 and "prepare" in bad.json()["detail"]


def test_serve_prepare_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from newsweave.cli import app as cli

    db = _empty_store(tmp_path)
    started: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(app))
    r = CliRunner().invoke(cli, ["serve", "--db", str(db), "--prepare", "--read-only"])
    assert r.exit_code != 0 and "--read-only" in str(r.exception) and not started
    for args, want in (([], False), (["--prepare"], True)):
        r = CliRunner().invoke(cli, ["serve", "--db", str(db), *args])
        assert r.exit_code == 0, r.output
        web = started.pop()
        try:
            assert web.state.write_options.prepare is want
        finally:
            web.state.writer.close()
            web.state.store.close()
