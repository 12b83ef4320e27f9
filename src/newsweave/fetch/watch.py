"""Following feeds and pages: ``add_urls`` (one poll each) and ``watch`` (polls every so often).

A watch round polls every source in turn (see :func:`newsweave.fetch.follow.poll`), then runs the usual
pipeline (analysis, stories) on what the round stored; rounds repeat every ``every`` seconds until the stop
event is set (the CLI sets it on SIGINT/SIGTERM), or once. A source that fails is reported and polled again
next round; nothing it does stops the others. Each poll is reported through ``on_poll`` (one line each).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as SafeET

from newsweave.errors import StoreError, UsageError
from newsweave.fetch.follow import PollResult, poll
from newsweave.fetch.guard import FetchRefused, check_url
from newsweave.fetch.http import Fetcher
from newsweave.fetch.options import FetchOptions
from newsweave.model import Rejected
from newsweave.pipeline import AddOptions, AddSummary, process_pending
from newsweave.store import Store

log = logging.getLogger(__name__)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}
# The shortest interval between two rounds: polling a feed more than once a minute helps nobody and is
# impolite to the site (feeds publish every few minutes at most; most say <ttl>15</ttl> or more).
MIN_EVERY = 60.0
SOURCES_FILE_MAX_BYTES = 4 * 1024 * 1024
# Seconds a round waits for a store another command holds (a listing takes well under a second).
STORE_WAIT = 30.0


@dataclass(frozen=True)
class WatchOptions:
    """How sources are followed: the fetch limits, the pipeline run on what is new, the interval."""

    fetch: FetchOptions = field(default_factory=FetchOptions)
    add: AddOptions = field(default_factory=AddOptions)
    every: float = 600.0  # seconds between the starts of two rounds
    once: bool = False
    max_rounds: int | None = None  # for tests and benchmarks: stop after this many rounds


@dataclass
class WatchSummary:
    rounds: int = 0
    polls: list[PollResult] = field(default_factory=list)
    pipeline: AddSummary = field(default_factory=AddSummary)

    @property
    def added(self) -> list[str]:
        return [a for p in self.polls for a in p.added]

    @property
    def new_versions(self) -> list[tuple[str, int]]:
        return [v for p in self.polls for v in p.new_versions]

    @property
    def rejected(self) -> list[Rejected]:
        return [r for p in self.polls for r in p.rejected]


def parse_every(text: str) -> float:
    """Seconds in an interval such as ``10m``, ``90s``, ``1h`` or ``600`` (seconds)."""
    m = _DURATION.match(text)
    if not m:
        raise UsageError(f"--every takes a duration such as 90s, 10m or 1h, got {text!r}")
    seconds = float(m.group(1)) * _UNIT_SECONDS[(m.group(2) or "s").lower()]
    if seconds < MIN_EVERY:
        raise UsageError(f"--every must be at least {MIN_EVERY:g} s (got {text!r})")
    return seconds


def is_url(arg: str) -> bool:
    """Whether a command-line argument names a URL (``scheme://...``) rather than a file."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", arg))


def read_sources(path: str | Path) -> list[str]:
    """URLs listed in a file: an OPML outline (``xmlUrl``, else ``htmlUrl``), or one URL a line (``#``
    comments and blank lines ignored). UsageError naming the file when it cannot be read."""
    p = Path(path)
    try:
        if p.stat().st_size > SOURCES_FILE_MAX_BYTES:
            raise UsageError(f"{p}: over {SOURCES_FILE_MAX_BYTES} bytes; not a list of feeds")
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"{p}: cannot read the list of feeds: {e}") from e
    if text.lstrip().startswith("<"):
        return list(dict.fromkeys(_opml_urls(text, str(p))))
    lines = (line.strip() for line in text.splitlines())
    return list(dict.fromkeys(line for line in lines if line and not line.startswith("#")))


def _opml_urls(text: str, where: str) -> Iterator[str]:
    try:
        root = SafeET.fromstring(text)
    except Exception as e:  # defusedxml raises its own errors for entities, plus ParseError
        raise UsageError(f"{where}: not a readable OPML file: {e}") from e
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl") or outline.get("htmlUrl")
        if url and url.strip():
            yield url.strip()


def add_urls(
    store: Store,
    urls: Sequence[str],
    options: WatchOptions = WatchOptions(),
    fetcher: Fetcher | None = None,
    on_poll: Callable[[PollResult], None] | None = None,
) -> WatchSummary:
    """Poll each URL once and run the pipeline on what was stored (``newsweave add URL``)."""
    return watch(
        store,
        urls,
        WatchOptions(options.fetch, options.add, options.every, once=True),
        fetcher,
        None,
        on_poll,
    )


def watch(
    store: Store | Callable[[], Store],
    urls: Sequence[str],
    options: WatchOptions = WatchOptions(),
    fetcher: Fetcher | None = None,
    stop: threading.Event | None = None,
    on_poll: Callable[[PollResult], None] | None = None,
) -> WatchSummary:
    """Poll ``urls`` round after round until ``stop`` is set, ``options.once``, or ``options.max_rounds``.

    ``store`` is a Store, or a function that opens one: then the store is opened for each round and closed
    between rounds, so other processes can read it while the watch waits (DuckDB lets one process at a
    time open a file).
    """
    stop = stop or threading.Event()
    summary = WatchSummary()
    own = fetcher is None
    fetcher = fetcher or Fetcher(options.fetch)
    try:
        while not stop.is_set():
            began = time.monotonic()
            current = store if isinstance(store, Store) else _open_when_free(store, stop)
            if current is not None:  # None: another process held the store all along; round skipped
                try:
                    _round(current, fetcher, urls, options, stop, on_poll, summary)
                finally:
                    if current is not store:
                        current.close()
            summary.rounds += 1
            if options.once or (options.max_rounds is not None and summary.rounds >= options.max_rounds):
                break
            stop.wait(max(0.0, options.every - (time.monotonic() - began)))
    finally:
        if own:
            fetcher.close()
    return summary


def _open_when_free(opener: Callable[[], Store], stop: threading.Event) -> Store | None:
    """The store, opened as soon as no other process holds it (within ``STORE_WAIT`` seconds), or None."""
    deadline = time.monotonic() + STORE_WAIT
    while True:
        try:
            return opener()
        except StoreError as e:
            if time.monotonic() >= deadline or stop.is_set():
                log.warning("store busy for %g s, round skipped: %s", STORE_WAIT, e)
                return None
            stop.wait(0.5)


def _round(
    store: Store,
    fetcher: Fetcher,
    urls: Sequence[str],
    options: WatchOptions,
    stop: threading.Event,
    on_poll: Callable[[PollResult], None] | None,
    summary: WatchSummary,
) -> None:
    for url in urls:
        if stop.is_set():
            break
        result = _poll_or_refuse(store, fetcher, url, options, stop)
        summary.polls.append(result)
        if on_poll is not None:
            on_poll(result)
    process_pending(store, options.add, summary.pipeline)


def _poll_or_refuse(
    store: Store, fetcher: Fetcher, url: str, options: WatchOptions, stop: threading.Event
) -> PollResult:
    """A poll, or the refusal of a URL whose scheme is not HTTP (recorded like any rejected input)."""
    if not url.lower().startswith(("http://", "https://")):
        try:
            check_url(url, options.fetch)
        except FetchRefused as e:
            rejected = Rejected(url, "", e.reason, "http")
            store.add_rejected([rejected])
            return PollResult(url, "failed", rejected=[rejected], error=e.reason)
    try:
        return poll(store, fetcher, url, options.add.ingest, stop)
    except Exception as e:  # one source's unexpected failure never stops the others
        log.warning("%s: unexpected %s", url, type(e).__name__, exc_info=True)
        rejected = Rejected(url, "", f"unexpected error: {type(e).__name__}: {e}", "http")
        store.add_rejected([rejected])
        return PollResult(url, "failed", rejected=[rejected], error=rejected.reason)
