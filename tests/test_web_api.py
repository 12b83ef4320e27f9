"""The JSON API, driven in process over httpx's ASGI transport against the demo store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import DEMO_STORIES
from newsweave.store.stories import list_stories as stored_stories
from newsweave.views import article_detail, article_obj, story_detail, story_obj
from newsweave.web import WebOptions, create_app
from webclient import get, get_all


@pytest.fixture(scope="module")
def web(demo_store: Path):
    before = hashlib.sha256(demo_store.read_bytes()).hexdigest()
    app = create_app(demo_store, WebOptions(embeddings=False))
    yield app
    app.state.store.close()
    assert hashlib.sha256(demo_store.read_bytes()).hexdigest() == before, "a read request wrote the store"


@pytest.fixture()
def cur(web):
    s = web.state.store.cursor()
    yield s
    s.con.close()


def _walk(web, url: str) -> tuple[list[dict], int, int]:
    items: list[dict] = []
    pages = 0
    total = -1
    while url:
        r = get(web, url)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"items", "total", "next_cursor", "next"}
        total = body["total"] if total < 0 else total
        assert body["total"] == total
        items += body["items"]
        pages += 1
        url = body["next"]
        assert (url is None) == (body["next_cursor"] is None)
    return items, total, pages


def test_stories_paginated_with_next_links(web, cur) -> None:
    items, total, pages = _walk(web, "/api/stories?limit=1")
    assert total == DEMO_STORIES and pages == DEMO_STORIES
    assert items == [story_obj(s) for s in stored_stories(cur)]
    filtered, n, _ = _walk(web, "/api/stories?min_sources=4&sort=recent&limit=2")
    assert n == len(filtered) and all(len(x["sources"]) >= 4 for x in filtered)
    named, n, _ = _walk(web, "/api/stories?entity=Tobias%20Wren")
    assert n == len(named) >= 1 and all("Ferry" in x["title"] for x in named)


def test_articles_paginated_with_filters(web, cur) -> None:
    items, total, pages = _walk(web, "/api/articles?limit=8&text=false")
    assert total == 20 and pages == 3
    assert items == [article_obj(a, with_text=False) for a in cur.iter_articles()]
    full, _, _ = _walk(web, "/api/articles?limit=500")
    assert [x["text"] for x in full] == [a.text for a in cur.iter_articles()]
    outlet = items[0]["source"]
    same, n, _ = _walk(web, f"/api/articles?source={outlet}&text=false")
    assert n == sum(x["source"] == outlet for x in items) and {x["source"] for x in same} == {outlet}
    day = min(x["published_at"] for x in items if x["published_at"])[:10]
    one_day, n, _ = _walk(web, f"/api/articles?since={day}&until={day}&text=false")
    assert n == sum((x["published_at"] or "")[:10] == day for x in items) > 0


def test_one_story_one_article_and_the_comparison(web, cur) -> None:
    ferry = next(s for s in stored_stories(cur) if "Ferry" in (s.title or ""))
    r1, r2, r3 = get_all(
        web,
        [
            f"/api/stories/{ferry.id}",
            f"/api/stories/{ferry.id[:7]}/comparison",
            f"/api/articles/{ferry.article_ids[0][:9]}",
        ],
    )
    assert r1.json() == story_detail(cur, ferry.id)
    comp = r2.json()
    assert comp["schema_version"] and len(comp["sources"]) == len(ferry.article_ids)
    assert {q["status"] for q in comp["quotes"]} >= {"reworded"}
    texts = {a.id: a.text for a in cur.get_articles(list(ferry.article_ids))}
    for q in comp["quotes"]:
        for e in q["evidence"]:
            assert texts[e["article_id"]][e["start"] : e["end"]] == e["text"]
    assert r3.json() == article_detail(cur, ferry.article_ids[0]) and "analysis" in r3.json()
    hits = web.state.cache.hits
    assert get(web, f"/api/stories/{ferry.id}/comparison").json() == comp
    assert web.state.cache.hits == hits + 1


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/stories/no-such-story", 404),
        ("/api/stories/no-such-story/comparison", 404),
        ("/api/articles/ffffffffffff", 404),
        ("/api/articles?cursor=not-a-cursor", 400),
        ("/api/stories?limit=0", 422),
        ("/api/stories?limit=501", 422),
        ("/api/stories?sort=alphabet", 422),
        ("/api/articles?since=yesterday", 422),
    ],
)
def test_errors_are_json_with_a_reason(web, url: str, status: int) -> None:
    r = get(web, url)
    assert r.status_code == status and r.headers["content-type"].startswith("application/json")
    assert r.json()["detail"]


def test_openapi_lists_every_endpoint(web) -> None:
    spec = get(web, "/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/comparison",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/search",
        "/api/jobs/{job_id}",
    }
    assert "post" in spec["paths"]["/api/articles"]  # adding articles (tests/test_web_add.py)
    params = {p["name"] for p in spec["paths"]["/api/stories"]["get"]["parameters"]}
    assert {"q", "outlet", "since", "until", "min_sources", "sort", "limit", "cursor"} <= params
    assert get(web, "/docs").status_code == 404  # the interactive docs would load a CDN


def test_security_headers_and_host_check(web) -> None:
    r = get(web, "/api/stories")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert get(web, "/api/stories", host="evil.example").status_code == 400  # DNS rebinding
    assert get(web, "/api/stories", host="localhost:8000").status_code == 200


def test_the_store_is_read_only(web) -> None:
    cur = web.state.store.cursor()
    try:
        with pytest.raises(Exception, match="read-only"):
            cur.con.execute("DELETE FROM articles")
    finally:
        cur.con.close()


def test_missing_store_is_an_error(tmp_path: Path) -> None:
    from newsweave.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no store"):
        create_app(tmp_path / "nothing.duckdb")
