"""newsweave.fetch: URLs and feeds over HTTP, polling, and the versions of an article.

    from newsweave.fetch import FetchOptions, WatchOptions, add_urls, watch
    with Store.open("news.duckdb") as store:
        summary = add_urls(store, ["https://example.org/feed.xml"])

Modules: ``options`` (limits, one dataclass), ``guard`` (scheme and address checks), ``http`` (the
:class:`Fetcher`: time-outs, size limit while streaming, redirects, robots.txt, per-host pace), ``documents``
(feed entries, article pages, section pages), ``follow`` (one poll into the store), ``watch`` (rounds of
polls), ``changes`` (what changed between two versions of an article).
"""

from newsweave.fetch.changes import Change, changes_between, word_diff
from newsweave.fetch.follow import PollResult, poll
from newsweave.fetch.guard import FetchError, FetchRefused, check_url
from newsweave.fetch.history import article_changes, article_versions
from newsweave.fetch.http import Fetcher, FetchResult, HostPacer
from newsweave.fetch.options import FetchOptions
from newsweave.fetch.watch import (
    WatchOptions,
    WatchSummary,
    add_urls,
    is_url,
    parse_every,
    read_sources,
    watch,
)

__all__ = [
    "Change",
    "FetchError",
    "FetchOptions",
    "FetchRefused",
    "FetchResult",
    "Fetcher",
    "HostPacer",
    "PollResult",
    "WatchOptions",
    "WatchSummary",
    "add_urls",
    "article_changes",
    "article_versions",
    "changes_between",
    "check_url",
    "is_url",
    "parse_every",
    "poll",
    "read_sources",
    "watch",
    "word_diff",
]
