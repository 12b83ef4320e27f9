"""The one options dataclass of the fetch stage, with the limits every request runs under."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsweave import __version__

# Identifies the client to the sites it reads, with what it is and that it honours robots.txt.
USER_AGENT = (
    f"newsweave/{__version__} (news comparison reader; honours robots.txt; fetches one page at a time)"
)
ROBOTS_TOKEN = "newsweave"  # the name robots.txt rules are matched against

# Limits. A news page is 50 kB to 2 MB of HTML and a feed rarely over 1 MB; 16 MB leaves room for pages that
# inline their images and still refuses a runaway body long before memory is at stake.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
# Seconds to connect and between two reads; and for the whole exchange (a server dripping a byte at a time
# never trips the read time-out, so the whole response has its own limit).
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 20.0
DEFAULT_TOTAL_TIMEOUT = 60.0
# Browsers follow 20 redirects; news sites use 1 to 3 (http -> https -> canonical -> consent); 5 is plenty.
DEFAULT_MAX_REDIRECTS = 5
# Seconds between two requests to one host: one request a second is the usual courtesy for a crawler that
# reads a handful of pages per feed; a robots.txt ``Crawl-delay`` that asks for more wins.
DEFAULT_HOST_INTERVAL = 1.0
# robots.txt is small; a larger one is treated as unreadable (RFC 9309 lets parsers stop at 500 KiB).
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_TTL = 24 * 3600.0  # RFC 9309: a fetched robots.txt should not be used for more than 24 hours
# Article links followed from one section page per poll: a section front lists 20 to 60 stories.
MAX_SECTION_LINKS = 100

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
    }
)
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# A server that labels a page or a feed text/plain is common enough to accept (the content is sniffed).
SNIFFED_TYPES = frozenset({"text/plain", ""})


@dataclass(frozen=True)
class FetchOptions:
    """How URLs are fetched.

    allow_private: also fetch private, loopback, link-local and other non-public addresses (``--allow-private``);
        without it such addresses are refused, checked after DNS resolution and again on every redirect.
    allowed_networks: networks (CIDR) fetched even without ``allow_private`` (tests name 127.0.0.1/32 to
        reach their own server while every other private address stays refused).
    robots: honour robots.txt (RFC 9309: a missing file allows all, an unreachable one forbids all).
    host_interval: seconds between two requests to the same host.
    max_section_links: article links followed from one section page per poll.
    extra_types: media types accepted besides web pages and feeds (none by default).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    user_agent: str = USER_AGENT
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()
    robots: bool = True
    host_interval: float = DEFAULT_HOST_INTERVAL
    max_section_links: int = MAX_SECTION_LINKS
    extra_types: frozenset[str] = field(default_factory=frozenset)
