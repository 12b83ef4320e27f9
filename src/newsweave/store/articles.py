"""The ``articles`` table's columns, its Arrow schema, and the conversion between a row and an
:class:`~newsweave.model.Article` (both backends)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from newsweave.model import Article, Origin
from newsweave.timeparse import parse_date

ARTICLE_COLUMNS = (
    "id",
    "source",
    "url",
    "title",
    "subtitle",
    "summary",
    "byline",
    "published_at",
    "published_raw",
    "language",
    "text",
    "paragraphs",
    "origin_path",
    "origin_position",
    "origin_format",
    "added_at",
    "updated_raw",
)

ARTICLE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("subtitle", pa.string()),
        ("summary", pa.string()),
        ("byline", pa.string()),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("published_raw", pa.string()),
        ("language", pa.string()),
        ("text", pa.string()),
        ("paragraphs", pa.string()),
        ("origin_path", pa.string()),
        ("origin_position", pa.string()),
        ("origin_format", pa.string()),
        ("added_at", pa.timestamp("us", tz="UTC")),
        ("updated_raw", pa.string()),
    ]
)


def article_row(a: Article, now: datetime) -> dict[str, Any]:
    return {
        "id": a.id,
        "source": a.source,
        "url": a.url,
        "title": a.title,
        "subtitle": a.subtitle,
        "summary": a.summary,
        "byline": a.byline,
        "published_at": a.published_utc,
        "published_raw": a.published_raw,
        "language": a.language,
        "text": a.text,
        "paragraphs": json.dumps([list(p) for p in a.paragraphs]),
        "origin_path": a.origin.path,
        "origin_position": a.origin.position,
        "origin_format": a.origin.format,
        "added_at": now,
        "updated_raw": a.updated_raw,
    }


def row_article(r: dict[str, Any]) -> Article:
    published = r["published_at"]
    if isinstance(published, datetime):
        published = published.astimezone(UTC)
        # the column holds the instant (a zone-less time as if UTC); the zone as written, or its absence,
        # comes back from the raw string
        written = parse_date(r["published_raw"]) if r["published_raw"] else None
        if written is not None and written.replace(tzinfo=written.tzinfo or UTC) == published:
            published = written
    paragraphs = tuple(tuple(p) for p in json.loads(r["paragraphs"] or "[]"))
    return Article(
        id=r["id"],
        text=r["text"],
        source=r["source"],
        url=r["url"],
        title=r["title"],
        subtitle=r["subtitle"],
        summary=r["summary"],
        byline=r["byline"],
        published_at=published,
        published_raw=r["published_raw"],
        updated_raw=r.get("updated_raw"),
        language=r["language"],
        paragraphs=paragraphs,  # type: ignore[arg-type]
        origin=Origin(
            path=r["origin_path"] or "", position=r["origin_position"] or "", format=r["origin_format"] or ""
        ),
    )
