"""Drive a web app in process over httpx's ASGI transport (no socket, no server thread)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


def get(app: Any, url: str, host: str = "127.0.0.1", **kw: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{host}") as client:
            return await client.get(url, **kw)

    return asyncio.run(go())


def get_all(app: Any, urls: list[str]) -> list[httpx.Response]:
    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return list(await asyncio.gather(*(client.get(u) for u in urls)))

    return asyncio.run(go())
