"""HTTP fetching with limits: the :class:`Fetcher` every URL of newsweave goes through.

One request, step by step: the URL is checked (scheme, public address, see :mod:`newsweave.fetch.guard`)
and the connection goes to the address checked; robots.txt of the origin is consulted (cached for a day);
the host's pace is kept (one request per ``host_interval`` seconds, or the robots.txt crawl delay); a
redirect is followed by hand, checked like the first URL, at most ``max_redirects`` times and never back to
a URL already visited; the status and content type are checked before the body is read; the body is read
in chunks and decompressed here (gzip and deflate only, with a cap on the output, so a decompression bomb
stops at the limit); the time-outs cover connecting, each read, and the whole exchange.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from newsweave.fetch.guard import FetchError, FetchRefused, Resolver, Target, check_url, system_resolver
from newsweave.fetch.options import (
    FEED_TYPES,
    PAGE_TYPES,
    ROBOTS_MAX_BYTES,
    ROBOTS_TOKEN,
    ROBOTS_TTL,
    SNIFFED_TYPES,
    FetchOptions,
)
from newsweave.fetch.robots import (
    RobotsRules,
    allow_everything,
    forbid_everything,
    origin_of,
    robots_url,
    rules_from_text,
)

log = logging.getLogger(__name__)

# The longest the fetcher sleeps for a host's pace; a longer wait (a robots.txt crawl delay of minutes) is
# left to a later poll instead, so a watch never sits silent for long (and a stop signal is heard soon).
MAX_PAUSE = 30.0
ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, text/plain;q=0.5"
)


@dataclass(frozen=True)
class FetchResult:
    """A response that was read whole within the limits (or a 304 answer, with no body)."""

    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    content_type: str  # the media type, lower case, without parameters ("" when the server gave none)
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class HostPacer:
    """Keeps at least ``interval`` seconds between two requests to one host (thread-safe)."""

    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, interval: float | None = None) -> float:
        """Sleep until ``host`` may be asked again; returns the seconds slept.

        A host that may not be asked for more than ``MAX_PAUSE`` seconds (a long robots.txt crawl delay)
        is not waited for: FetchError (transient), and the request is made on a later poll.
        """
        gap = max(self.interval, interval or 0.0)
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            if start - now > MAX_PAUSE:
                raise FetchError(
                    f"{host} may be asked again in {start - now:.0f} s (robots.txt crawl delay); "
                    "left to a later poll",
                    transient=True,
                )
            self._next[host] = start + gap
        pause = start - now
        if pause > 0:
            self._sleep(pause)
        return pause


class Fetcher:
    """Fetches URLs under :class:`FetchOptions`. Use as a context manager or call :meth:`close`.

    ``verify``: the TLS context that checks certificates (default: the system's trusted authorities).
    """

    def __init__(
        self,
        options: FetchOptions = FetchOptions(),
        resolver: Resolver = system_resolver,
        pacer: HostPacer | None = None,
        verify: ssl.SSLContext | None = None,
    ) -> None:
        self.options = options
        self._resolver = resolver
        self.pacer = pacer or HostPacer(options.host_interval)
        self._robots: dict[str, RobotsRules] = {}
        timeout = httpx.Timeout(
            connect=options.connect_timeout,
            read=options.read_timeout,
            write=options.read_timeout,
            pool=options.connect_timeout,
        )
        # trust_env=False: a proxy from the environment would connect to the name, not the address checked.
        # No kept-alive connections: the pool knows a connection by its address, so one opened (and its
        # certificate checked) for one name would be reused for another name on the same address; at one
        # request per second per host a new connection each time costs nothing that matters.
        transport = httpx.HTTPTransport(
            verify=verify if verify is not None else True, limits=httpx.Limits(max_keepalive_connections=0)
        )
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=False, trust_env=False, transport=transport
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ public

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """The page or feed at ``url``; a 304 result when the validators still match.

        Raises FetchRefused (not fetched: scheme, address, robots.txt) or FetchError (fetched, but the
        answer is unusable: status, type, size, time, encoding, redirects), each naming the URL and reason.
        """
        headers = {"Accept": ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, self.options.max_bytes, robots=self.options.robots, typed=True)

    # ------------------------------------------------------------------ one exchange, with redirects

    def _get(self, url: str, headers: dict[str, str], limit: int, robots: bool, typed: bool) -> FetchResult:
        deadline = time.monotonic() + self.options.total_timeout
        visited = [url]
        current = url
        for _hop in range(self.options.max_redirects + 1):
            what = "URL" if current == url else "redirect target"
            target = check_url(current, self.options, self._resolver, what)
            if robots:
                self._check_robots(current)
            self.pacer.wait(target.host.lower(), self._crawl_delay(current) if robots else None)
            location, result = self._exchange(target, headers, limit, deadline, typed, url, visited)
            if result is not None:
                return result
            assert location is not None
            nxt = _without_fragment(urljoin(current, location))
            if nxt in visited:
                chain = " -> ".join([*visited, nxt])
                raise FetchError(f"redirect loop: {chain}", url)
            visited.append(nxt)
            current = nxt
        raise FetchError(f"more than {self.options.max_redirects} redirects ({' -> '.join(visited)})", url)

    def _exchange(
        self,
        target: Target,
        headers: dict[str, str],
        limit: int,
        deadline: float,
        typed: bool,
        asked: str,
        visited: list[str],
    ) -> tuple[str | None, FetchResult | None]:
        """(redirect location, None) or (None, result) for one request to ``target``."""
        request = self._request(target, headers)
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException as e:
            raise FetchError(f"timed out ({type(e).__name__})", target.url, transient=True) from e
        except httpx.HTTPError as e:
            raise FetchError(f"cannot connect: {e or type(e).__name__}", target.url, transient=True) from e
        try:
            if response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {response.status_code} redirect without a Location", target.url)
                return location, None
            if response.status_code == 304:
                return None, _result(asked, target.url, response, b"", visited)
            if response.status_code not in (200, 203):
                phrase = response.reason_phrase or ""
                status = response.status_code
                retry = status >= 500 or status == 429
                raise FetchError(f"HTTP {status} {phrase}".strip(), target.url, transient=retry)
            media = _media_type(response.headers.get("content-type", ""))
            if typed and media not in FEED_TYPES | PAGE_TYPES | SNIFFED_TYPES | self.options.extra_types:
                raise FetchError(
                    f"content type {media} is neither a web page nor a feed; not read", target.url
                )
            body = _read_body(response, limit, deadline, self.options.total_timeout, target.url)
            return None, _result(asked, target.url, response, body, visited)
        finally:
            response.close()

    def _request(self, target: Target, headers: dict[str, str]) -> httpx.Request:
        default = 443 if target.scheme == "https" else 80
        host = f"[{target.host}]" if ":" in target.host else target.host  # an IPv6 literal
        host_header = host if target.port == default else f"{host}:{target.port}"
        pinned = httpx.URL(target.url).copy_with(host=target.address)
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        all_headers = {
            "User-Agent": self.options.user_agent,
            "Accept-Encoding": "gzip, deflate",
            "Host": host_header,
            **headers,
        }
        return self._client.build_request("GET", pinned, headers=all_headers, extensions=extensions)

    # ------------------------------------------------------------------ robots.txt

    def _rules(self, url: str) -> RobotsRules:
        origin = origin_of(url)
        rules = self._robots.get(origin)
        if rules is not None and time.monotonic() - rules.fetched_at < ROBOTS_TTL:
            return rules
        rules = self._fetch_rules(url)
        self._robots[origin] = rules
        return rules

    def _fetch_rules(self, url: str) -> RobotsRules:
        where = robots_url(url)
        try:
            got = self._get(where, {"Accept": "text/plain"}, ROBOTS_MAX_BYTES, robots=False, typed=False)
        except FetchRefused:
            raise
        except FetchError as e:
            if e.reason.startswith("HTTP 4"):
                return allow_everything()
            return forbid_everything(
                f"robots.txt cannot be read ({e.reason}), so the site is treated as closed"
            )
        return rules_from_text(got.body.decode("utf-8", errors="replace"))

    def _check_robots(self, url: str) -> None:
        rules = self._rules(url)
        if not rules.allows(url, ROBOTS_TOKEN):
            raise FetchRefused(
                rules.reason or "robots.txt disallows this URL", url, transient=bool(rules.reason)
            )

    def _crawl_delay(self, url: str) -> float | None:
        return self._rules(url).crawl_delay(ROBOTS_TOKEN)


class _Decoder:
    """Content-Encoding undone chunk by chunk, never producing more than ``limit`` bytes in all."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        enc = encoding.strip().lower()
        self.limit = limit
        self.url = url
        self.count = 0
        if enc in ("", "identity"):
            self._z = None
        elif enc in ("gzip", "x-gzip", "deflate"):
            self._z = zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib header, detected
        else:
            raise FetchError(f"unsupported content encoding {enc!r}", url)

    def feed(self, chunk: bytes) -> bytes:
        if self._z is None:
            out = chunk
        else:
            try:
                out = self._z.decompress(chunk, self.limit + 1 - self.count)
            except zlib.error as e:
                raise FetchError(f"corrupt compressed body: {e}", self.url) from e
            if self._z.unconsumed_tail:
                out += b"x"  # more output is waiting: over the limit
        self.count += len(out)
        if self.count > self.limit:
            bomb = " (decompression bomb?)" if self._z is not None else ""
            raise FetchError(f"body is over the size limit of {self.limit} bytes{bomb}; not read", self.url)
        return out

    def finish(self) -> None:
        if self._z is not None and not self._z.eof:
            raise FetchError(
                f"truncated compressed body (after {self.count} bytes)", self.url, transient=True
            )


def _read_body(response: httpx.Response, limit: int, deadline: float, total: float, url: str) -> bytes:
    length = response.headers.get("content-length", "")
    encoding = response.headers.get("content-encoding", "")
    if length.isdigit() and int(length) > limit:
        raise FetchError(
            f"body of {int(length)} bytes is over the size limit of {limit} bytes; not read", url
        )
    decoder = _Decoder(encoding, limit, url)
    parts: list[bytes] = []
    raw = 0
    try:
        for chunk in response.iter_raw():
            raw += len(chunk)
            if raw > limit:
                raise FetchError(f"body is over the size limit of {limit} bytes; not read", url)
            parts.append(decoder.feed(chunk))
            if time.monotonic() > deadline:
                raise FetchError(f"response took longer than {total:g} s; abandoned", url, transient=True)
    except httpx.TimeoutException as e:
        raise FetchError(f"timed out while reading the body ({type(e).__name__})", url, transient=True) from e
    except httpx.HTTPError as e:
        raise FetchError(
            f"connection failed while reading the body: {e or type(e).__name__}", url, transient=True
        ) from e
    decoder.finish()
    return b"".join(parts)


def _result(asked: str, final: str, response: httpx.Response, body: bytes, visited: list[str]) -> FetchResult:
    return FetchResult(
        url=asked,
        final_url=final,
        status=response.status_code,
        content_type=_media_type(response.headers.get("content-type", "")),
        body=body,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        redirects=tuple(visited[1:]),
    )


def _media_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
