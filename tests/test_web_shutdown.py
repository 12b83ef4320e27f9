"""Stopping the web app finishes the writer's queue (FastAPI's lifespan, through the test client): a
comparison a page queued behind an upload still being added is stored; past the time limit what has not
started is cancelled and logged."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import newsweave.pipeline as pipeline
from invented_story import write_articles
from newsweave.pipeline import AddOptions, add_inputs
from newsweave.store import Store
from newsweave.web import WebOptions, create_app
from newsweave.web.writes import WriteOptions

BASE = "http://127.0.0.1"
# Invented: one more article, uploaded while the page is visited.
EXTRA = """Title: Harbour ferry timetable changes on Monday
Source: Saltmarsh Gazette
Date: 2026-05-04

The harbour ferry to Quillon island sails every forty minutes from Monday, the operator Brackwater Lines
said. About 900 passengers take it on a weekday.
"""


@pytest.fixture
def one_story(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "shutdown.duckdb"
    with Store.open(db) as s:
        summary = add_inputs(s, write_articles(tmp_path), AddOptions())
    (story,) = set(summary.stories.values())
    return db, story


def _stored(db: Path) -> list[str]:
    with Store.open(db, read_only=True) as s:
        return [str(r[0]) for r in s.query("SELECT story_id FROM story_comparisons")]


class Gate:
    """Holds the writer's next upload job until opened, so what is queued after it waits."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()
        real = pipeline.add_items

        def held(*args: Any, **kwargs: Any) -> Any:
            self.entered.set()
            self.open.wait(30)
            return real(*args, **kwargs)

        monkeypatch.setattr(pipeline, "add_items", held)


def _queue_a_save_behind_a_job(client: TestClient, story: str, gate: Gate) -> str:
    r = client.post(
        "/api/articles?wait=false", content=EXTRA.encode(), headers={"content-type": "text/plain"}
    )
    assert r.status_code == 202, r.text
    assert gate.entered.wait(30), "the job started"
    page = client.get(f"/stories/{story}")  # compares now; its save waits behind the held job
    assert page.status_code == 200 and "Fenwick Ledger" in page.text
    job: str = r.json()["id"]
    return job


def test_a_save_queued_before_shutdown_is_stored(
    one_story: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    db, story = one_story
    gate = Gate(monkeypatch)
    app = create_app(db, WebOptions(embeddings=False, writable=True))
    with TestClient(app, base_url=BASE) as client:
        job = _queue_a_save_behind_a_job(client, story, gate)
        assert _stored_in(app) == []
        threading.Timer(0.5, gate.open.set).start()  # the job goes on once the shutdown has begun
    # the lifespan's shutdown waited for the job and then for the save queued behind it
    assert app.state.writer.get(job).state == "done"
    assert _stored(db) == [story]
    with Store.open(db, read_only=True) as s:
        assert any(a.title == "Harbour ferry timetable changes on Monday" for a in s.iter_articles())


def test_past_the_time_limit_what_is_queued_is_cancelled_and_logged(
    one_story: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    db, story = one_story
    gate = Gate(monkeypatch)
    app = create_app(
        db, WebOptions(embeddings=False, writable=True, writes=WriteOptions(shutdown_seconds=0.3))
    )
    try:
        with caplog.at_level(logging.INFO, logger="newsweave.web.writes"):
            with TestClient(app, base_url=BASE) as client:
                _queue_a_save_behind_a_job(client, story, gate)
        assert f"comparison of story {story} not stored" in caplog.text
        assert "still running, left to finish" in caplog.text  # the held job: not cut midway
        # the writer takes nothing more
        with pytest.raises(RuntimeError, match="stopping"):
            app.state.writer.submit([("x.txt", b"x")], [], None)
    finally:
        gate.open.set()
        assert app.state.writer.close(30)  # the held job ends; then the store can be closed
        app.state.store.close()
    assert _stored(db) == []


def _stored_in(app: Any) -> list[str]:
    snap = app.state.store.snapshot()
    try:
        return [str(r[0]) for r in snap.query("SELECT story_id FROM story_comparisons")]
    finally:
        snap.close()


def test_an_upload_while_the_server_stops_is_answered_503(one_story: tuple[Path, str]) -> None:
    db, _ = one_story
    app = create_app(db, WebOptions(embeddings=False, writable=True))
    with TestClient(app, base_url=BASE) as client:
        assert app.state.writer.close(30)  # what the lifespan's shutdown does first
        r = client.post("/api/articles", content=EXTRA.encode(), headers={"content-type": "text/plain"})
        assert r.status_code == 503 and "stopping" in r.text and r.headers["retry-after"] == "30", r.text
        assert not app.state.writer._jobs  # no job is listed for what was refused
    with Store.open(db, read_only=True) as s:
        assert not any(a.title == "Harbour ferry timetable changes on Monday" for a in s.iter_articles())
