"""The JSON API: the same shapes as the CLI's ``--json``, listings paginated with totals and next links."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response

from newsweave.store import Store
from newsweave.views import listing
from newsweave.views.shapes import article_detail, story_detail
from newsweave.web.app import request_store

router = APIRouter(prefix="/api", tags=["api"])

Limit = Query(50, ge=1, le=listing.MAX_PAGE, description="Items per page.")
Cursor = Query(None, description="The next_cursor of the previous page.")
Since = Query(None, description="From this day (UTC), inclusive.")
Until = Query(None, description="Up to this day (UTC), inclusive.")


def day_start(d: date | None) -> datetime | None:
    return datetime.combine(d, time(), tzinfo=UTC) if d is not None else None


def day_after(d: date | None) -> datetime | None:
    return datetime.combine(d + timedelta(days=1), time(), tzinfo=UTC) if d is not None else None


def _with_next(request: Request, page: listing.Page) -> dict[str, Any]:
    d = page.to_dict()
    d["next"] = str(request.url.include_query_params(cursor=page.next_cursor)) if page.next_cursor else None
    return d


@router.get("/stories", summary="Stories, filtered and sorted, one page at a time")
def stories(
    request: Request,
    q: str | None = Query(None, description="Words in the headline, outlets or articles' headlines."),
    outlet: str | None = Query(None, description="Only stories this outlet reported."),
    entity: str | None = Query(None, description="Only stories naming this entity (name or alias)."),
    since: date | None = Since,
    until: date | None = Until,
    min_sources: int = Query(0, ge=0, description="At least this many outlets."),
    max_sources: int | None = Query(None, ge=0, description="At most this many outlets."),
    sort: str = Query("size", pattern="^(size|recent)$", description="size or recent."),
    limit: int = Limit,
    cursor: str | None = Cursor,
    store: Store = Depends(request_store),
) -> dict[str, Any]:
    flt = listing.StoryFilter(
        q, outlet, day_start(since), day_after(until), min_sources, max_sources, sort, entity or None
    )
    return _with_next(request, listing.list_stories(store, flt, limit, cursor))


@router.get("/stories/{story_id}", summary="One story: its articles, duplicates and rewrites")
def story(story_id: str, store: Store = Depends(request_store)) -> dict[str, Any]:
    return story_detail(store, story_id)


@router.get(
    "/stories/{story_id}/comparison",
    summary="The comparison of a story's sources (docs/compare-schema.md), as report --json prints it",
)
def comparison(story_id: str, request: Request, store: Store = Depends(request_store)) -> Response:
    state = request.app.state
    result = state.cache.get(store, story_id, state.compare_options)
    body = state.rendered.get(result, "json", lambda: _json(result.to_dict()))
    return Response(body, media_type="application/json")


def _json(value: Any) -> bytes:
    """As FastAPI's JSON responses are written."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


@router.get("/articles", summary="Stored articles in publication order, one page at a time")
def articles(
    request: Request,
    source: str | None = Query(None, description="Only this outlet."),
    q: str | None = Query(None, description="Words in the headline or text."),
    entity: str | None = Query(None, description="Only articles naming this entity (name or alias)."),
    since: date | None = Since,
    until: date | None = Until,
    text: bool = Query(True, description="Include text and paragraphs."),
    limit: int = Limit,
    cursor: str | None = Cursor,
    store: Store = Depends(request_store),
) -> dict[str, Any]:
    flt = listing.ArticleFilter(source, day_start(since), day_after(until), q, text, entity or None)
    return _with_next(request, listing.list_articles(store, flt, limit, cursor))


@router.get("/articles/{article_id}", summary="One article with its stored analysis")
def article(article_id: str, store: Store = Depends(request_store)) -> dict[str, Any]:
    return article_detail(store, article_id)


@router.get(
    "/search",
    summary="Ranked search over articles, quotes, claims and entities (BM25), or a speaker's quotes",
)
def search(
    request: Request,
    q: str = Query("", description="Words to look for (may be empty with speaker)."),
    speaker: str | None = Query(None, description="Only quotes by a speaker whose name contains this."),
    kind: str = Query(
        "all",
        pattern="^(all|article|quote|claim|entity)$",
        description="article, quote, claim, entity or all.",
    ),
    source: str | None = Query(None, description="Only this outlet."),
    limit: int = Query(20, ge=1, le=listing.MAX_PAGE, description="Hits per page."),
    cursor: str | None = Cursor,
    store: Store = Depends(request_store),
) -> dict[str, Any]:
    from newsweave.views.search import KINDS, SearchOptions

    offset = listing.decode_cursor(cursor)
    kinds = KINDS if kind == "all" else (kind,)
    index = request.app.state.search.get(store)
    hits, total = index.search(q, SearchOptions(kinds, speaker, source, limit), offset)
    page = listing.Page([h.to_dict() for h in hits], total, listing.next_cursor(offset, limit, total))
    return {"query": q, "speaker": speaker} | _with_next(request, page)
