"""Paginated, filtered listings of stored articles and stories: ``{items, total, next_cursor}``.

A cursor is opaque to callers (today it encodes the offset of the next page); a page never hides rows
silently: ``total`` counts every row the filters keep, and ``next_cursor`` is None only on the last page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsweave.errors import UsageError
from newsweave.model import Article, Story
from newsweave.store import Store
from newsweave.views.shapes import article_obj, story_obj

# The largest page one call returns; the web API caps its ``limit`` here too (a page of 500 full
# articles is a few MB of JSON, still quick to serve from the demo and 10k-article stores).
MAX_PAGE = 500
STORY_SORTS = ("size", "recent")


@dataclass(frozen=True)
class Page:
    """One page of a listing: the items, how many rows match in all, the cursor of the next page."""

    items: list[dict[str, Any]]
    total: int
    next_cursor: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "next_cursor": self.next_cursor}


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles: one outlet, published in [since, until), words in the headline or text, naming an
    entity (canonical name or surface form containing ``entity``, case-insensitive)."""

    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    query: str | None = None
    with_text: bool = True
    entity: str | None = None


@dataclass(frozen=True)
class StoryFilter:
    """Which stories and in what order.

    ``query``: every word must occur in the story's headline, its outlets or its articles' headlines;
    ``outlet``: one of the story's outlets; ``since``/``until``: the story's time span overlaps
    [since, until); ``min_sources``/``max_sources``: number of distinct outlets; ``sort``: ``size``
    (most articles first) or ``recent`` (latest article first); ``entity``: an article of the story
    names an entity whose canonical name or surface form contains this (case-insensitive).
    """

    query: str | None = None
    outlet: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_sources: int = 0
    max_sources: int | None = None
    sort: str = "size"
    entity: str | None = None


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The offset a cursor stands for; a malformed cursor is a usage error naming it."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["o"]
    except (binascii.Error, ValueError, KeyError, TypeError) as e:
        raise UsageError(f"bad cursor {cursor!r}") from e
    if not isinstance(offset, int) or offset < 0:
        raise UsageError(f"bad cursor {cursor!r}")
    return offset


def _check_limit(limit: int) -> int:
    if limit < 1 or limit > MAX_PAGE:
        raise UsageError(f"limit must be between 1 and {MAX_PAGE}, not {limit}")
    return limit


def next_cursor(offset: int, limit: int, total: int) -> str | None:
    """The cursor of the page after the one at ``offset``, or None when that was the last."""
    return encode_cursor(offset + limit) if offset + limit < total else None


def _page(rows: list[Any], offset: int, limit: int, total: int, shape: Callable[[Any], dict]) -> Page:
    return Page([shape(r) for r in rows], total, next_cursor(offset, limit, total))


def list_articles(
    store: Store, flt: ArticleFilter = ArticleFilter(), limit: int = 50, cursor: str | None = None
) -> Page:
    """Stored articles in publication order (undated last), filtered, one page at a time."""
    _check_limit(limit)
    offset = decode_cursor(cursor)
    ids, total = _find(store, flt, limit, offset)
    return _page(store.get_articles(ids), offset, limit, total, lambda a: article_obj(a, flt.with_text))


def filtered_articles(store: Store, flt: ArticleFilter = ArticleFilter()) -> list[Article]:
    """Every stored article the filter keeps, in publication order (undated last): what ``articles``
    prints with a filter."""
    return store.get_articles(_find(store, flt)[0])


def _find(
    store: Store, flt: ArticleFilter, limit: int | None = None, offset: int = 0
) -> tuple[list[str], int]:
    """The ids the filter keeps (one page with ``limit``), and how many it keeps in all."""
    return store.find_article_ids(
        source=flt.source,
        since=flt.since,
        until=flt.until,
        words=(flt.query or "").split(),
        entity=flt.entity or None,
        limit=limit,
        offset=offset,
    )


def _overlaps(s: Story, since: datetime | None, until: datetime | None) -> bool:
    if since is None and until is None:
        return True
    if s.first_seen is None:
        return False
    last = s.last_seen or s.first_seen
    return (since is None or last >= since) and (until is None or s.first_seen < until)


def _recency(s: Story) -> tuple[bool, float]:
    """Sort key: the latest article first, undated stories last."""
    t = s.last_seen or s.first_seen
    return (t is None, -t.timestamp() if t is not None else 0.0)


def filter_stories(store: Store, flt: StoryFilter = StoryFilter()) -> list[Story]:
    """Every stored story the filter keeps, in the filter's order."""
    if flt.sort not in STORY_SORTS:
        raise UsageError(f"sort must be one of {', '.join(STORY_SORTS)}, not {flt.sort!r}")
    stories = store.list_stories()
    words = (flt.query or "").lower().split()
    titles = store.member_titles() if words else {}
    outlet = (flt.outlet or "").lower()
    naming = store.stories_naming(flt.entity) if flt.entity else None
    out = []
    for s in stories:
        if naming is not None and s.id not in naming:
            continue
        n = len(s.sources)
        if n < flt.min_sources or (flt.max_sources is not None and n > flt.max_sources):
            continue
        if outlet and outlet not in {x.lower() for x in s.sources}:
            continue
        if not _overlaps(s, flt.since, flt.until):
            continue
        if words:
            hay = " ".join([s.title or "", " ".join(s.sources), titles.get(s.id, "")]).lower()
            if not all(w in hay for w in words):
                continue
        out.append(s)
    if flt.sort == "recent":
        out.sort(key=_recency)
    return out


def list_stories(
    store: Store, flt: StoryFilter = StoryFilter(), limit: int = 50, cursor: str | None = None
) -> Page:
    """Stored stories, filtered and sorted, one page at a time (items as ``stories --json`` prints)."""
    _check_limit(limit)
    offset = decode_cursor(cursor)
    kept = filter_stories(store, flt)
    return _page(kept[offset : offset + limit], offset, limit, len(kept), story_obj)


def list_outlets(store: Store) -> list[str]:
    """Every outlet with a stored article, alphabetically (for the web app's filter)."""
    return store.outlets()
