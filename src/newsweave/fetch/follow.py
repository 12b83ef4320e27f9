"""Polling one URL into the store: the page or feed, its new entries, and new versions of known articles.

``poll`` is what ``newsweave add URL`` and each round of ``newsweave watch`` run for one URL:

1. conditional GET with the validators stored for the URL (a 304 answer ends the poll);
2. the body is read as a feed (entries), an article page, or a section page (article links);
3. each article found is stored: an unknown URL or entry becomes a new article (through the store's usual
   idempotent ``add_articles``); a known one whose text changed becomes a new version of its article;
   a link already followed is not fetched again unless its feed entry says it changed;
4. the URL's validators are saved last, and only when nothing failed for a reason that may pass: a run
   killed at any point (kill -9 included) polls again in full and loses nothing, and what it had already
   stored is recognised, not stored twice.

Analysis and story assignment are not run here: the caller runs
:func:`newsweave.pipeline.process_pending` once per batch of polls.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from newsweave.fetch.documents import Candidate, Link, item_candidate, page_article, parse_fetched
from newsweave.fetch.guard import FetchError
from newsweave.fetch.http import Fetcher
from newsweave.ingest import IngestOptions, parse_date
from newsweave.model import ArticleVersion, Rejected
from newsweave.store import Store
from newsweave.store.fetch import FetchState

log = logging.getLogger(__name__)


@dataclass
class PollResult:
    """What one poll of one URL did."""

    url: str
    kind: str = ""  # feed, page, section, not modified, failed
    added: list[str] = field(default_factory=list)  # new articles
    versions: list[tuple[str, int]] = field(default_factory=list)  # (article id, version number) recorded
    unchanged: int = 0  # articles fetched again with the same text
    skipped: int = 0  # links known already, not fetched
    rejected: list[Rejected] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def new_versions(self) -> list[tuple[str, int]]:
        """Versions after the first (a changed article)."""
        return [(a, v) for a, v in self.versions if v > 1]

    def line(self) -> str:
        """The one log line of this poll."""
        if self.error is not None:
            return f"{self.url}: failed: {self.error} ({self.seconds:.1f} s)"
        if self.kind == "not modified":
            return f"{self.url}: not modified ({self.seconds:.1f} s)"
        return (
            f"{self.url}: {self.kind}: {len(self.added)} new, {len(self.new_versions)} updated, "
            f"{self.unchanged} unchanged, {self.skipped} known, {len(self.rejected)} rejected "
            f"({self.seconds:.1f} s)"
        )


def poll(
    store: Store,
    fetcher: Fetcher,
    url: str,
    ingest: IngestOptions = IngestOptions(),
    stop: threading.Event | None = None,
) -> PollResult:
    """Fetch ``url`` once and store what is new in it (see the module's docstring). Never raises FetchError.

    ``stop``, when set, ends the poll before the next linked page: what is left is fetched next time.
    """
    start = time.monotonic()
    result = PollResult(url)
    state = store.fetch_state(url) or FetchState(url)
    now = datetime.now(UTC)
    try:
        got = fetcher.fetch(url, state.etag, state.last_modified)
    except FetchError as e:
        result.kind, result.error = "failed", e.reason
        result.rejected.append(Rejected(url, "", e.reason, "http"))
        store.add_rejected(result.rejected)
        store.save_fetch_state(
            replace(state, polled_at=now, outcome=f"failed: {e.reason}", failures=state.failures + 1)
        )
        result.seconds = time.monotonic() - start
        return result
    if got.not_modified:
        result.kind = "not modified"
        store.save_fetch_state(replace(state, polled_at=now, outcome="not modified", failures=0))
        result.seconds = time.monotonic() - start
        return result
    parsed = parse_fetched(got, ingest, fetcher.options.max_section_links)
    result.kind = parsed.kind
    result.rejected.extend(parsed.rejected)
    for candidate in parsed.candidates:
        _store(store, candidate, got.fetched_at, result)
    retry = False
    for link in parsed.links:
        if stop is not None and stop.is_set():
            retry = True  # the feed's validators are not kept, so the next poll reads it again
            break
        retry |= _follow(store, fetcher, link, ingest, result)
    store.add_rejected(result.rejected)
    etag, modified = (state.etag, state.last_modified) if retry else (got.etag, got.last_modified)
    outcome = "partial: to retry" if retry else "ok"
    store.save_fetch_state(FetchState(url, etag, modified, now, outcome, 0))
    result.seconds = time.monotonic() - start
    log.info("%s", result.line())
    return result


def _follow(store: Store, fetcher: Fetcher, link: Link, ingest: IngestOptions, result: PollResult) -> bool:
    """Fetch and store one linked page unless it is known and unchanged; True when it should be retried."""
    known = store.known_key(link.keys)
    if known is not None and known[1] == link.fingerprint:
        result.skipped += 1
        return False
    try:
        page = fetcher.fetch(link.url)
    except FetchError as e:
        result.rejected.append(Rejected(link.url, link.position, e.reason, "http"))
        if e.transient:
            return True
        store.mark_seen(link.keys, link.fingerprint)
        return False
    item = page_article(page, ingest, link.position)
    if isinstance(item, Rejected):
        if link.fallback is None:
            result.rejected.append(item)
            store.mark_seen(link.keys, link.fingerprint)
            return False
        item = link.fallback  # the feed's own teaser is better than nothing
    candidate = item_candidate(item, link.keys, page.body)
    if link.published:
        candidate = replace(
            candidate,
            article=replace(item, published_at=parse_date(link.published), published_raw=link.published),
            published=link.published,
        )
    candidate = replace(candidate, fingerprint=link.fingerprint, updated=link.updated or candidate.updated)
    _store(store, candidate, page.fetched_at, result)
    return False


def _store(store: Store, candidate: Candidate, fetched_at: datetime, result: PollResult) -> None:
    article = candidate.article
    known = store.known_key(candidate.keys)
    if known is not None and known[0] and known[1] == candidate.fingerprint:
        result.unchanged += 1  # the same text as when last seen: nothing to write
        return
    if known is not None and known[0]:
        article_id = known[0]
    else:
        added, _ = store.add_articles([article])
        result.added.extend(added)
        article_id = article.id
    version = ArticleVersion(
        article_id=article_id,
        version=0,
        content_id=article.id,
        fetched_at=fetched_at,
        text=article.text,
        url=article.url,
        title=article.title,
        subtitle=article.subtitle,
        published_at=article.published_at,
        published_raw=candidate.published,
        updated_at=parse_date(candidate.updated),
        updated_raw=candidate.updated,
    )
    number = store.record_version(candidate.keys, candidate.fingerprint, version)
    if number is None:
        result.unchanged += 1
    else:
        result.versions.append((article_id, number))
