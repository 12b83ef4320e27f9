"""The HTML pages: stories (search, filters, sort), a story (its comparison, click to highlight), an
article (its analysis highlighted). Rendered on the server; every value goes through autoescape."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from newsweave.errors import UsageError
from newsweave.report.common import STATUS_NOTE, at_odds_text, safe_url, utterances_of
from newsweave.store import Store
from newsweave.views import listing
from newsweave.views.shapes import load_analysis_or_none
from newsweave.web.api import day_after, day_start
from newsweave.web.app import request_store
from newsweave.web.marks import Mark, analysis_marks, comparison_marks, pieces

router = APIRouter(include_in_schema=False)

_ENV = Environment(
    loader=PackageLoader("newsweave.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["q"] = lambda s: quote(str(s), safe="")
_ENV.globals.update(safe_url=safe_url, notes=STATUS_NOTE)


def render(name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    return HTMLResponse(_ENV.get_template(name).render(**ctx), status_code=status_code)


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


_ENV.filters["when"] = lambda iso: iso[:16].replace("T", " ") if iso else ""


def _form_day(value: str, name: str) -> date | None:
    """A date field of a submitted form: empty (the browser sends ``since=`` for an empty date input)
    is no date; anything else must be a day, else a 400 page saying so (a JSON 422 before)."""
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{name}: a date such as 2026-03-12, not {value!r}") from None


def _form_count(value: str, name: str) -> int:
    """A number field of a submitted form: empty is 0."""
    if not value.strip():
        return 0
    try:
        n = int(value.strip())
    except ValueError:
        raise UsageError(f"{name}: a whole number, not {value!r}") from None
    if n < 0:
        raise UsageError(f"{name}: 0 or more, not {n}")
    return n


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    q: str = "",
    outlet: str = "",
    entity: str = "",
    since_field: str = Query("", alias="since"),
    until_field: str = Query("", alias="until"),
    min_field: str = Query("", alias="min_sources"),
    sort: str = Query("size", pattern="^(size|recent)$"),
    cursor: str | None = None,
    store: Store = Depends(request_store),
) -> HTMLResponse:
    opts = request.app.state.options
    since, until = _form_day(since_field, "since"), _form_day(until_field, "until")
    min_sources = _form_count(min_field, "min_sources")
    flt = listing.StoryFilter(
        q or None, outlet or None, day_start(since), day_after(until), min_sources, None, sort, entity or None
    )
    page = listing.list_stories(store, flt, opts.page_size, cursor)
    params = {"q": q, "outlet": outlet, "entity": entity, "since": since or "", "until": until or "", "min_sources": min_sources,
              "sort": sort}  # fmt: skip
    next_href = "/?" + urlencode({**params, "cursor": page.next_cursor}) if page.next_cursor else None
    return render(
        "stories.html.j2",
        page=page,
        params=params,
        outlets=listing.list_outlets(store),
        next_href=next_href,
        first=listing.decode_cursor(cursor),
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(story_id: str, request: Request, store: Store = Depends(request_store)) -> HTMLResponse:
    state = request.app.state
    result = state.cache.get(store, story_id, state.compare_options)
    return HTMLResponse(state.rendered.get(result, "page", lambda: _story_html(store, result)))


def _story_html(store: Store, result: Any) -> bytes:
    c = result.comparison
    marks = comparison_marks(c)
    texts = result.texts()
    columns = [(s, pieces(texts.get(s.article_id, ""), marks.get(s.article_id, []))) for s in c.sources]
    names = {s.article_id: s.heading for s in c.sources}
    return (
        _ENV.get_template("story.html.j2")
        .render(
            story=result.story,
            c=c,
            columns=columns,
            names=names,
            links=store.story_links(result.story.id),
            timeline=sorted(c.sources, key=lambda s: (s.published_at is None, s.published_at or "")),
            reporters={x.id: {e.article_id for e in x.evidence} for x in c.claims},
            multi=lambda items: [x for x in items if x.status != "single"],
            single=lambda items: [x for x in items if x.status == "single"],
            utterances=utterances_of(c),
            at_odds=lambda cl: at_odds_text(c, cl),
        )
        .encode()
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = "",
    speaker: str = "",
    kind: str = Query("all", pattern="^(all|article|quote|claim|entity)$"),
    cursor: str | None = None,
    store: Store = Depends(request_store),
) -> HTMLResponse:
    from newsweave.views.search import KINDS, SearchOptions

    offset = listing.decode_cursor(cursor)
    hits: list[Any] = []
    total = 0
    if q.strip() or speaker.strip():
        kinds = KINDS if kind == "all" else (kind,)
        options = SearchOptions(kinds, speaker or None, None, request.app.state.options.page_size)
        hits, total = request.app.state.search.get(store).search(q, options, offset)
    nxt = listing.next_cursor(offset, request.app.state.options.page_size, total)
    params = {"q": q, "speaker": speaker, "kind": kind}
    return render(
        "search.html.j2",
        hits=hits,
        total=total,
        first=offset,
        params=params,
        next_href="/search?" + urlencode({**params, "cursor": nxt}) if nxt else None,
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    article_id: str,
    start: int | None = Query(None, ge=0, description="Start of a passage to highlight (a search hit)."),
    end: int | None = Query(None, ge=0),
    store: Store = Depends(request_store),
) -> HTMLResponse:
    article = store.get_article(article_id)
    analysis = load_analysis_or_none(store, article.id)
    marks = analysis_marks(analysis) if analysis else []
    if start is not None and end is not None and end > start:
        marks.append(Mark(start, end, "hit", ""))
    story_id = store.story_of(article.id)
    related = _related(store, article.id, story_id) if story_id else []
    return render(
        "article.html.j2",
        related=related,
        a=article,
        an=analysis,
        text=pieces(article.text, marks),
        story_id=story_id,
        published=_when(article.published_at),
    )


def _related(store: Store, article_id: str, story_id: str) -> list[tuple[str, str, str | None]]:
    """(relation, other article id, its outlet) for the duplicates and rewrites that involve the article."""
    links = store.story_links(story_id)
    out: list[tuple[str, str]] = []
    for d in links["duplicates"]:
        if article_id in (d["a"], d["b"]):
            out.append((f"{d['kind']} duplicate of", d["b"] if d["a"] == article_id else d["a"]))
    for r in links["rewrites"]:
        kind = "syndicated copy" if r["syndicated"] else "rewrite"
        if r["derived"] == article_id:
            out.append((f"{kind} of", r["original"]))
        elif r["original"] == article_id:
            out.append((f"{kind} made from it:", r["derived"]))
    outlets = {a.id: a.source for a in store.get_articles([o for _, o in out])}
    return [(rel, other, outlets.get(other)) for rel, other in out]
