"""The web app's factory: one FastAPI application over one store.

:func:`create_app` opens the store once and hands each request its own cursor. Read-only by default (the
store opened read-only, so no request can write); with ``WebOptions(writable=True)`` (what ``serve`` does
unless ``--read-only``) articles can be added (:mod:`newsweave.web.add`): the store is opened for writing,
one writer thread adds them, and every other request reads in a read-only transaction (a snapshot: it
never sees half a batch, and a write from it fails). The app wraps every response in a Content-Security-Policy that allows only the app's own scripts and
styles (no inline code, no other origin). Requests whose Host header is not one the app was started for
are refused (a page on another site cannot reach a loopback server through DNS rebinding).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newsweave.compare import CompareOptions
from newsweave.errors import NotFoundError, UsageError
from newsweave.store import Store, is_store_url
from newsweave.views.comparison import ComparisonCache, StoryCompareOptions
from newsweave.views.search import SearchCache
from newsweave.web.rendered import RenderCache
from newsweave.web.writes import WriteOptions, Writer

log = logging.getLogger(__name__)

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


@dataclass(frozen=True)
class WebOptions:
    """``embeddings``: for the comparisons (None: when installed); ``cache_size``: comparisons kept in
    memory; ``page_size``: stories and articles per page; ``allowed_hosts``: Host headers accepted
    (``("*",)`` accepts any); ``writable``: articles may be added (the /add page, ``POST /api/articles``);
    ``writes``: who may add and how much (token, limits)."""

    embeddings: bool | None = None
    cache_size: int = 64
    page_size: int = 50
    allowed_hosts: tuple[str, ...] = field(default=LOOPBACK_HOSTS)
    writable: bool = False
    writes: WriteOptions = field(default_factory=WriteOptions)


def create_app(db: str | Path, options: WebOptions = WebOptions()) -> FastAPI:
    """The application over the store at ``db`` (which must exist)."""
    from newsweave.web import add, api, pages

    target: str | Path = db if is_store_url(db) else Path(db).expanduser()
    if isinstance(target, Path) and not target.is_file():
        raise NotFoundError(f"no store at {target}")
    compare_options = StoryCompareOptions(compare=CompareOptions(embeddings=options.embeddings))
    writer: Writer | None = None
    if options.writable:
        store = Store.open(target)  # brings the schema up to date: every stage's tables exist
        writer = Writer(store, options.writes, compare=compare_options)
    else:
        store = Store.open(target, read_only=True)  # a store at an older schema version is upgraded first

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        # the writer's queue (uploads, comparisons the pages made) is finished first, within its time
        # limit; a write still running then keeps the store open (the process ends it)
        if writer is None or writer.close():
            store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="newsweave",
        summary="Stories, articles and the comparison of a story's sources, from a newsweave store.",
        version="1",
        docs_url=None,  # the interactive docs load scripts from a CDN; /openapi.json stays
        redoc_url=None,
    )
    app.state.store = store
    app.state.options = options
    # a comparison a page makes is stored by the writer (none in a read-only app: it compares again
    # after a restart, or when the entry has left the in-memory cache)
    app.state.cache = ComparisonCache(options.cache_size, writer.save_computed if writer else None)
    app.state.search = SearchCache()
    app.state.compare_options = compare_options
    app.state.rendered = RenderCache(2 * options.cache_size)
    app.state.writer = writer
    app.state.write_options = options.writes
    app.state.form_secret = secrets.token_urlsafe(32)  # in the add form; a page elsewhere cannot read it
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(options.allowed_hosts))

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(UsageError)
    async def bad_request(request: Request, exc: UsageError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/add"):  # the add pages answer with a page
            return _error(request, exc.status_code, str(exc.detail))
        return await http_exception_handler(request, exc)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)  # no icon, and no 404 in the browser's console

    app.include_router(api.router)
    app.include_router(add.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(packages=[("newsweave.web", "static")]), name="static")
    return app


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    from newsweave.web.pages import render

    return render("error.html.j2", status_code=status, status=status, message=message)


def request_store(request: Request) -> Iterator[Store]:
    """A cursor on the app's store for one request (closed after it); on a writable store it reads in a
    read-only transaction (one snapshot for the whole request, and any write fails)."""
    store = request.app.state.store
    cur = store.snapshot() if request.app.state.writer is not None else store.cursor()
    try:
        yield cur
    finally:
        cur.close()
