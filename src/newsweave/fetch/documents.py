"""What a fetched body holds: a feed's entries, one article page, or a section page's article links.

The bytes go through the ingest readers (``feed_entries`` for RSS/Atom, ``extract_page`` for HTML), so a
fetched article is built exactly as the same file would be. A feed entry that carries its article (a
``content`` element, or a summary long enough to be the article) is used as it is; one with a teaser and
a link becomes a link to fetch. An HTML page is an article page when its URL looks like an article's or it
links to no articles; otherwise it is a section page and its article links are followed.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from newsweave.errors import InputError
from newsweave.fetch.http import FetchResult
from newsweave.fetch.options import FEED_TYPES, PAGE_TYPES
from newsweave.ingest import IngestOptions, build_article, parse_date
from newsweave.ingest.decode import decode_bytes
from newsweave.ingest.feeds import FeedEntry, feed_entries
from newsweave.ingest.html import extract_page
from newsweave.ingest.sniff import format_from_content
from newsweave.model import Article, Rejected

log = logging.getLogger(__name__)

# A feed summary this long is the article itself (some feeds put the whole text in <description>): a teaser
# is one to three sentences, 20 to 60 words; 150 words is several paragraphs.
FULL_SUMMARY_WORDS = 150
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}")  # three or more words joined by dashes
_DATED_PATH = re.compile(r"/(?:19|20)\d\d/\d\d?/")
_LONG_NUMBER = re.compile(r"\d{5,}")
_PAGE_SUFFIX = re.compile(r"\.(?:s?html?|php|aspx?|jsp)$")
_MODIFIED_KEYS = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dc.date.modified",
)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_META_KEY = re.compile(r"""\b(?:property|name|itemprop)\s*=\s*["']([^"']+)["']""", re.I)
_META_CONTENT = re.compile(r"""\bcontent\s*=\s*["']([^"']*)["']""", re.I)
_JSONLD_MODIFIED = re.compile(r'"dateModified"\s*:\s*"([^"]{8,40})"')


@dataclass(frozen=True)
class Candidate:
    """An article found in a fetched body, with the keys it is followed by and what marks a change."""

    article: Article
    keys: tuple[str, ...]
    fingerprint: str | None
    published: str | None = None
    updated: str | None = None


@dataclass(frozen=True)
class Link:
    """A page still to fetch: a feed entry's link or a section page's article link."""

    url: str
    keys: tuple[str, ...]
    fingerprint: str | None
    position: str
    published: str | None = None
    updated: str | None = None
    fallback: Article | None = None  # the entry's own text, stored if the page has none


@dataclass(frozen=True)
class Parsed:
    kind: str  # "feed", "page" or "section"
    candidates: tuple[Candidate, ...] = ()
    links: tuple[Link, ...] = ()
    rejected: tuple[Rejected, ...] = ()


def url_key(url: str) -> str:
    return f"url:{canonical_url(url)}"


def canonical_url(url: str) -> str:
    """The URL without its fragment, scheme and host in lower case."""
    p = urlsplit(url.strip())
    return urlunsplit((p.scheme.lower(), p.netloc.lower(), p.path or "/", p.query, ""))


def parse_fetched(result: FetchResult, options: IngestOptions, max_links: int = 100) -> Parsed:
    """The articles, links and rejected parts of a fetched body (never raises for bad content)."""
    kind = _kind(result)
    where = result.final_url
    if kind is None:
        return Parsed(
            "page", rejected=(Rejected(where, "", "neither an HTML page nor an RSS/Atom feed", "http"),)
        )
    if kind == "feed":
        try:
            text, _ = decode_bytes(result.body)
        except InputError as e:
            return Parsed("feed", rejected=(Rejected(where, "", e.reason, "rss"),))
        return _feed(text, where, options)
    links = article_links(result.body, where, max_links)
    if links and not looks_like_article_url(where):
        return Parsed(
            "section", links=tuple(Link(u, (url_key(u),), None, f"link {i}") for i, u in enumerate(links, 1))
        )
    item = page_article(result, options)
    if isinstance(item, Rejected):
        return Parsed("page", rejected=(item,))
    page_keys = tuple(dict.fromkeys((url_key(result.url), url_key(where))))
    return Parsed("page", candidates=(item_candidate(item, page_keys, result.body),))


def page_article(result: FetchResult, options: IngestOptions, position: str = "") -> Article | Rejected:
    """The article of a fetched HTML page, or why there is none."""
    try:
        decode_bytes(result.body)  # refuses binary data with a clear reason before trafilatura sees it
    except InputError as e:
        return Rejected(result.final_url, position, e.reason, "html")
    try:
        fields = extract_page(result.body, result.final_url)
    except InputError as e:  # a page too large to extract in bounded time
        return Rejected(result.final_url, position, e.reason, "html")
    if fields is None:
        return Rejected(result.final_url, position, "no article text found in the HTML page", "html")
    return build_article(
        replace(fields, url=fields.url or result.final_url),
        result.final_url,
        position,
        "html",
        options.source,
    )


def item_candidate(article: Article, keys: tuple[str, ...], body: bytes) -> Candidate:
    """A page's article as a Candidate, with the page's own modification time kept apart."""
    text = body[:300_000].decode("utf-8", errors="replace")
    return Candidate(article, keys, article.id, published=article.published_raw, updated=modified_time(text))


def modified_time(html: str) -> str | None:
    """The time a page says it was last modified (``article:modified_time``, ``dateModified``), as written."""
    for m in _META_TAG.finditer(html):
        key = _META_KEY.search(m.group(0))
        if key and key.group(1).lower() in _MODIFIED_KEYS:
            content = _META_CONTENT.search(m.group(0))
            if content and parse_date(content.group(1)):
                return content.group(1).strip()
    found = _JSONLD_MODIFIED.search(html)
    return found.group(1).strip() if found and parse_date(found.group(1)) else None


def _kind(result: FetchResult) -> str | None:
    media = result.content_type
    sniffed = format_from_content(result.body[:65536])
    if sniffed == "rss" or (media in FEED_TYPES and sniffed != "html"):
        return "feed"
    if sniffed == "html" or media in PAGE_TYPES:
        return "page"
    return None


def _feed(text: str, where: str, options: IngestOptions) -> Parsed:
    candidates: list[Candidate] = []
    links: list[Link] = []
    rejected: list[Rejected] = []
    for entry in feed_entries(text, where, options):
        item = entry.item
        ident = entry.entry_id or (urljoin(where, entry.link) if entry.link else None)
        if isinstance(item, Rejected) and (ident is None or not entry.link):
            rejected.append(item)
            continue
        keys = (f"entry:{ident}",) if ident else ()
        if isinstance(item, Article):
            item = replace(item, published_at=parse_date(entry.published), published_raw=entry.published)
        if isinstance(item, Article) and (_is_full(entry, item) or not entry.link):
            candidates.append(
                Candidate(
                    item, keys or (f"entry:{where}#{item.id}",), item.id, entry.published, entry.updated
                )
            )
            continue
        assert entry.link is not None
        link = canonical_url(urljoin(where, entry.link))
        position = item.origin.position if isinstance(item, Article) else item.position
        links.append(
            Link(
                link,
                (*keys, url_key(link)),
                _teaser_fingerprint(entry),
                position,
                entry.published,
                entry.updated,
                item if isinstance(item, Article) else None,
            )
        )
    return Parsed("feed", tuple(candidates), tuple(links), tuple(rejected))


def _is_full(entry: FeedEntry, article: Article) -> bool:
    return entry.full_text or len(article.text.split()) >= FULL_SUMMARY_WORDS


def _teaser_fingerprint(entry: FeedEntry) -> str:
    """What marks a change of an entry whose text is on the linked page: its ``updated`` stamp if it has
    one, else its title and teaser (a feed that rewrites the teaser has most likely rewritten the page)."""
    if entry.updated:
        return f"updated:{entry.updated}"
    item = entry.item
    seen = f"{item.title}\n{item.text}" if isinstance(item, Article) else ""
    return "teaser:" + hashlib.sha256(seen.encode("utf-8")).hexdigest()[:16]


def looks_like_article_url(url: str) -> bool:
    """Whether a URL names an article rather than a section: a slug of three or more words, a long
    numeric id, or a dated path (/2026/12/...)."""
    path = urlsplit(url).path.lower()
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    last = _PAGE_SUFFIX.sub("", segments[-1])
    return bool(_SLUG.fullmatch(last) or _LONG_NUMBER.search(last) or _DATED_PATH.search(path + "/"))


def article_links(body: bytes, base: str, limit: int = 100) -> list[str]:
    """Links of an HTML page to article pages of the same site, in page order, each once."""
    try:
        root = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError) as e:
        log.info("%s: no links read: %s", base, e)
        return []
    host = _site(base)
    out: dict[str, None] = {}
    for href in root.xpath("//a/@href"):
        url = urljoin(base, str(href).strip())
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or _site(url) != host:
            continue
        url = canonical_url(url)
        if url != canonical_url(base) and looks_like_article_url(url):
            out[url] = None
        if len(out) >= limit:
            break
    return list(out)


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
