"""Who may write, and how much: the checks every write request passes before anything is read or stored.

- A server started read-only refuses writes (403).
- With a token (``serve --token`` or NEWSWEAVE_TOKEN), a write must carry it: ``Authorization: Bearer
  TOKEN`` from programs, the form's token field from the browser (401 without it or with a wrong one).
  Bound to an address other than loopback, a server without a token refuses writes (403): anyone who can
  reach it could otherwise write to the store.
- Cross-site requests are refused (403): a POST that the browser marks ``Sec-Fetch-Site`` other than
  ``same-origin``, or without that header one whose ``Origin`` is not the server's own. The browser's forms also carry a secret
  made when the app starts (a page on another site cannot read it), checked on every form post.
- :func:`read_body` refuses a request body over the limit (413) by its Content-Length before reading
  and by counting while reading, so a body without a length cannot grow past it either.
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request


def same_origin(request: Request) -> bool:
    """False for a request a browser sent from another site. Browsers of the last years say where a
    request comes from in ``Sec-Fetch-Site``; their ``Origin`` on a form post is ``null`` under this app's
    ``Referrer-Policy: no-referrer``, so it decides only without that header."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not from a browser's cross-origin request (they always send Origin on POST)
    if origin == "null":
        return False
    parts = urlsplit(origin)
    return parts.netloc.lower() == request.headers.get("host", "").lower()


def check_write(request: Request, form_token: str | None = None) -> None:
    """Raise HTTPException unless ``request`` may write (see the module's doc)."""
    state = request.app.state
    if not state.options.writable:
        raise HTTPException(403, "this server is read-only (started with --read-only)")
    if not same_origin(request):
        raise HTTPException(403, "cross-site request refused")
    token = state.write_options.token
    if token:
        given = form_token
        auth = request.headers.get("authorization", "")
        if auth[:7].lower() == "bearer ":
            given = auth[7:].strip()
        if not given:
            raise HTTPException(
                401, "this server needs a token to add articles", {"WWW-Authenticate": "Bearer"}
            )
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "wrong token", {"WWW-Authenticate": "Bearer"})
    elif not state.write_options.loopback:
        raise HTTPException(
            403,
            "adding articles on a server bound to a non-loopback address needs --token or NEWSWEAVE_TOKEN",
        )


def check_form_secret(request: Request, given: str | None) -> None:
    if not given or not hmac.compare_digest(given.encode(), request.app.state.form_secret.encode()):
        raise HTTPException(403, "the form has expired or did not come from this app: reload the page")


async def read_body(request: Request, limit: int) -> bytes:
    """The request's body, refused with 413 when over ``limit`` bytes: by its Content-Length before
    reading, and while reading, so a body sent without a length cannot grow past the limit either."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise HTTPException(413, f"request body of {length} bytes is over the limit of {limit} bytes")
    chunks: list[bytes] = []
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > limit:
            raise HTTPException(413, f"request body over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def replay(request: Request, body: bytes) -> Request:
    """A copy of ``request`` whose body is ``body`` (already read, within the limit), for the form parser."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)
