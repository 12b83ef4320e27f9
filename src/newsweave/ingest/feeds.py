"""RSS and Atom feeds through feedparser: one article per entry, full content where the feed has it.

Feeds are XML, so before anything parses them a document that declares entities (``<!ENTITY``, or a
DOCTYPE with an internal subset) is refused: that is how "billion laughs" and external-entity attacks
work, and no real news feed needs either. An entry's ``content`` (``content:encoded`` in RSS) wins over
its ``summary``; markup in either is flattened to text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import feedparser

from newsweave.ingest.build import Fields, build_article
from newsweave.ingest.html import fragment_to_text, looks_like_html
from newsweave.ingest.options import IngestOptions
from newsweave.model import Article, Rejected

log = logging.getLogger(__name__)

_FEED_TITLE_SEP = re.compile(r"\s+[-|>:\u2013\u2014]\s+|:\s+")
_ENTITY_DECL = re.compile(r"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.I)


def unsafe_xml_reason(text: str) -> str | None:
    """Why an XML text is refused before parsing, or None if it declares no entities."""
    if _ENTITY_DECL.search(text):
        return "XML declares entities (<!ENTITY> or a DOCTYPE internal subset); refused to prevent entity expansion"
    return None


def outlet_of_feed_title(title: str | None) -> str | None:
    """The outlet in a feed title: "Northgate Times - Technology" -> "Northgate Times".

    Feeds are titled outlet first, then the section after " - ", " | ", " > ", " : " or a dash; the
    outlet alone is what the same publisher's pages and exports are named by.
    """
    if not title or not title.strip():
        return None
    head = _FEED_TITLE_SEP.split(title.strip(), maxsplit=1)[0].strip()
    return head or title.strip()


def _entry_text(entry: Any) -> tuple[str, str | None]:
    """(text, summary) of an entry: the longest content part, else the summary; both as plain text."""
    contents = [c.get("value") or "" for c in entry.get("content") or []]
    summary = entry.get("summary") or ""
    body = max(contents, key=len) if contents and max(contents, key=len).strip() else ""
    chosen, other = (body, summary) if body else (summary, "")
    text = fragment_to_text(chosen) if looks_like_html(chosen) else chosen
    other_text = fragment_to_text(other) if looks_like_html(other) else other
    if other_text and other_text.strip() in text:
        other_text = ""
    return text, other_text or None


def _plain_title(entry: Any) -> str | None:
    """The entry's title as text: a title the feed marks as HTML or XHTML (an Atom ``type="html"``, or an
    RSS title holding escaped markup) has its tags dropped and entities decoded ("Tom &amp; Jerry <b>x</b>"
    is "Tom & Jerry x"); a plain-text title is kept as written, "<" and "&" included."""
    title = entry.get("title")
    if not title:
        return title
    kind = (entry.get("title_detail") or {}).get("type") or ""
    if "html" not in kind:
        return str(title)
    return " ".join(fragment_to_text(title).split()) or None


@dataclass(frozen=True)
class FeedEntry:
    """One feed entry as read: the Article (or why not), with what following a feed needs besides.

    ``full_text``: the entry carries its article (a ``content`` element), not only a summary and a link.
    ``published`` and ``updated`` are the dates as written, kept apart (the Article falls back on
    ``updated`` for its publication date when the entry gives no other).
    """

    item: Article | Rejected
    entry_id: str | None = None
    link: str | None = None
    published: str | None = None
    updated: str | None = None
    full_text: bool = False


def read_feed(text: str, path: str, options: IngestOptions) -> Iterator[Article | Rejected]:
    for entry in feed_entries(text, path, options):
        yield entry.item


def feed_entries(text: str, path: str, options: IngestOptions) -> Iterator[FeedEntry]:
    """The entries of a feed; a feed that cannot be read at all is one FeedEntry holding a Rejected."""
    reason = unsafe_xml_reason(text)
    if reason:
        yield FeedEntry(Rejected(path, "", reason, "rss"))
        return
    doc = feedparser.parse(text, sanitize_html=False, resolve_relative_uris=False)
    if not doc.entries:
        why = f": {doc.bozo_exception}" if doc.get("bozo") else ""
        yield FeedEntry(
            Rejected(path, "", f"not a readable RSS/Atom feed, or a feed with no entries{why}", "rss")
        )
        return
    feed_title = outlet_of_feed_title(doc.feed.get("title"))
    for i, entry in enumerate(doc.entries, start=1):
        position = f"entry {i}"
        body, summary = _entry_text(entry)
        src = entry.get("source") or {}
        fields = Fields(
            text=body.strip(),
            title=_plain_title(entry),
            summary=summary,
            byline=entry.get("author"),
            url=entry.get("link"),
            source=(src.get("title") if isinstance(src, dict) else None) or feed_title,
            published=entry.get("published") or entry.get("updated"),
            language=(doc.feed.get("language") or "").split("-")[0] or None,
        )
        has_content = any((c.get("value") or "").strip() for c in entry.get("content") or [])
        yield FeedEntry(
            build_article(fields, path, position, "rss", options.source),
            entry_id=entry.get("id") or None,
            link=entry.get("link") or None,
            # read as stored: feedparser's get("updated") answers with the published date when absent
            published=dict.get(entry, "published") or None,
            updated=dict.get(entry, "updated") or None,
            full_text=has_content,
        )
