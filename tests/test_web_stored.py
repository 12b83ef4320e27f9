"""The web app stores the comparisons its story pages make (issue #20): the first visit compares in its
read-only snapshot and the app's writer stores the comparison; the next visit, in a new app or after the
entry left the in-memory cache, reads it instead of comparing. Both backends."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import newsweave.compare as compare_pkg
from invented_story import write_articles
from newsweave.model import Story
from newsweave.pipeline import AddOptions, add_inputs
from newsweave.store import Store
from newsweave.store.stories import StoryUpdate
from newsweave.web import WebOptions, create_app
from webclient import get, get_all

STORY = "swebstored000001"


def _build(target: object, folder: Path) -> tuple[str, ...]:
    with Store.open(target) as s:
        summary = add_inputs(s, write_articles(folder), AddOptions(cluster=False))
        ids = tuple(summary.added)
        assert len(ids) == 3, summary
        s.save_stories(
            StoryUpdate(stories=(Story(STORY, ids, "Marrowfield dam"),), seqs={STORY: 1}, replace_all=True)
        )
    return ids


def _app(target: object) -> Any:
    return create_app(target, WebOptions(embeddings=False, writable=True))


def _close(app: Any) -> None:
    if app.state.writer is not None:
        app.state.writer.close()
    app.state.store.close()


def _stored(app: Any) -> list[tuple[Any, ...]]:
    snap = app.state.store.snapshot()
    try:
        return snap.query("SELECT story_id, key FROM story_comparisons")
    finally:
        snap.close()


class Counting:
    """Wraps the real ``compare_articles``, counting its calls (``pause``: seconds slept before each)."""

    def __init__(self, pause: float = 0.0) -> None:
        self.real = compare_pkg.compare_articles
        self.calls = 0
        self.pause = pause
        self._lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.calls += 1
        time.sleep(self.pause)
        return self.real(*args, **kwargs)


@pytest.fixture
def store_at(store_target: object, tmp_path: Path) -> object:
    _build(store_target, tmp_path)
    return store_target


def test_a_story_page_stores_its_comparison_and_the_next_visit_reads_it(
    store_at: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = Counting()
    monkeypatch.setattr(compare_pkg, "compare_articles", counting)
    app = _app(store_at)
    try:
        assert _stored(app) == []
        first = get(app, f"/stories/{STORY}")
        assert first.status_code == 200 and "Fenwick Ledger" in first.text and counting.calls == 1
        first_json = get(app, f"/api/stories/{STORY}/comparison").json()
        app.state.writer.wait()  # the save is queued behind the writer's jobs
        rows = _stored(app)
        assert [r[0] for r in rows] == [STORY]
        # the JSON stored is the comparison the page showed (without the article versions, read afresh)
        snap = app.state.store.snapshot()
        try:
            from newsweave.views.comparison import compare_story

            again = compare_story(snap, STORY, app.state.compare_options)
            assert again.reused and counting.calls == 1  # what report would read, too
        finally:
            snap.close()
    finally:
        _close(app)
    # a new server (an empty in-memory cache): the page comes from the stored comparison, no comparing
    app = _app(store_at)
    try:
        second = get(app, f"/stories/{STORY}")
        assert second.status_code == 200 and counting.calls == 1
        assert second.text == first.text
        assert get(app, f"/api/stories/{STORY}/comparison").json() == first_json
        app.state.writer.wait()
        assert _stored(app) == rows  # nothing new to store
    finally:
        _close(app)


def test_concurrent_visits_of_one_story_compare_it_once(
    store_at: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = Counting(pause=0.5)  # the first comparison is still running when the others arrive
    monkeypatch.setattr(compare_pkg, "compare_articles", counting)
    app = _app(store_at)
    try:
        pages = get_all(app, [f"/stories/{STORY}"] * 3 + [f"/api/stories/{STORY}/comparison"])
        assert [p.status_code for p in pages] == [200] * 4
        assert counting.calls == 1
        assert pages[0].text == pages[1].text == pages[2].text
        app.state.writer.wait()
        assert [r[0] for r in _stored(app)] == [STORY]
    finally:
        _close(app)


def test_a_failed_save_is_logged_and_the_page_still_shows(
    store_at: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from newsweave.views import comparison

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("disk full (invented)")

    counting = Counting()
    monkeypatch.setattr(compare_pkg, "compare_articles", counting)
    monkeypatch.setattr(comparison, "_save_comparison", refuse)
    app = _app(store_at)
    try:
        with caplog.at_level(logging.ERROR, logger="newsweave.web.writes"):
            page = get(app, f"/stories/{STORY}")
            app.state.writer.wait()
        assert page.status_code == 200 and "Oxbow Courier" in page.text
        assert any("was not stored" in r.getMessage() and "disk full" in r.exc_text for r in caplog.records
                   if r.exc_text)  # fmt: skip
        assert _stored(app) == []
    finally:
        _close(app)
    monkeypatch.undo()
    monkeypatch.setattr(compare_pkg, "compare_articles", counting)
    app = _app(store_at)  # nothing was stored: the next server compares again, and stores it this time
    try:
        assert get(app, f"/stories/{STORY}").status_code == 200 and counting.calls == 2
        app.state.writer.wait()
        assert [r[0] for r in _stored(app)] == [STORY]
    finally:
        _close(app)


def test_a_read_only_app_compares_without_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "ro.duckdb"
    _build(db, tmp_path)
    counting = Counting()
    monkeypatch.setattr(compare_pkg, "compare_articles", counting)
    app = create_app(db, WebOptions(embeddings=False))
    try:
        assert app.state.writer is None
        assert get(app, f"/stories/{STORY}").status_code == 200
        assert get(app, f"/stories/{STORY}").status_code == 200 and counting.calls == 1  # the memory cache
    finally:
        app.state.store.close()
    with Store.open(db, read_only=True) as s:
        assert s.query("SELECT count(*) FROM story_comparisons")[0][0] == 0


def test_a_comparison_of_a_story_changed_since_is_not_stored(store_at: object) -> None:
    from newsweave.embed_store import TextCache

    app = _app(store_at)
    try:
        snap = app.state.store.snapshot()
        try:
            result = app.state.cache.get(snap, STORY, app.state.compare_options)
        finally:
            snap.close()
        app.state.writer.wait()
        assert [r[0] for r in _stored(app)] == [STORY]
        # the story loses an article (as an add or a recluster may do) before a late save arrives
        cur = app.state.store.cursor()
        try:
            smaller = Story(STORY, result.story.article_ids[:2], "Marrowfield dam")
            cur.save_stories(StoryUpdate(stories=(smaller,), seqs={STORY: 2}, replace_all=True))
            cur.execute("DELETE FROM story_comparisons")
        finally:
            cur.close()
        app.state.writer.save_computed(replace(result, unsaved="stale-key"), TextCache()).result()
        assert _stored(app) == []  # the comparison of the three articles is not kept for the two
        # the next view compares the story as it is now, and that comparison is stored
        now = get(app, f"/api/stories/{STORY}/comparison").json()
        assert sorted(s["article_id"] for s in now["sources"]) == sorted(smaller.article_ids)
        app.state.writer.wait()
        assert [r[0] for r in _stored(app)] == [STORY]
    finally:
        _close(app)
