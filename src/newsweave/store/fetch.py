"""Tables of the fetch stage: what each followed URL answered last, which article each URL or feed entry
became, and every version of a fetched article.

- ``fetch_state``: per polled URL, the validators (ETag, Last-Modified) for a conditional GET, when it was
  polled and with what outcome.
- ``fetch_keys``: ``url:...`` or ``entry:...`` -> the stored article, with the fingerprint of what was seen
  last (an entry's content hash, or its ``updated`` stamp when only the linked page has the text).
- ``article_versions``: version 1, 2, ... of an article, each with its text, fetch time and dates.

A version and its keys are written in one transaction, so a run killed at any point either recorded the
version or will fetch and record it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsweave.model import ArticleVersion
from newsweave.store.base import IDS, SqlStore

_VERSION_COLUMNS = (
    "article_id",
    "version",
    "content_id",
    "fetched_at",
    "text",
    "url",
    "title",
    "subtitle",
    "published_at",
    "published_raw",
    "updated_at",
    "updated_raw",
)


@dataclass(frozen=True)
class FetchState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    polled_at: datetime | None = None
    outcome: str = ""
    failures: int = 0


def ensure_fetch_schema(store: SqlStore) -> None:
    """Kept for old callers: the fetch tables exist from a store's first open (``store.schema``)."""


def get_state(store: SqlStore, url: str) -> FetchState | None:
    rows = store.query(
        "SELECT url, etag, last_modified, polled_at, outcome, failures FROM fetch_state WHERE url = ?", [url]
    )
    if not rows:
        return None
    r = rows[0]
    return FetchState(r[0], r[1], r[2], _utc(r[3]), r[4] or "", int(r[5] or 0))


def save_state(store: SqlStore, state: FetchState) -> None:
    store.execute(
        """INSERT INTO fetch_state VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
           polled_at = excluded.polled_at, outcome = excluded.outcome, failures = excluded.failures""",
        [state.url, state.etag, state.last_modified, state.polled_at, state.outcome, state.failures],
    )


def known_key(store: SqlStore, keys: Sequence[str]) -> tuple[str, str | None] | None:
    """(article id, fingerprint) of the first of ``keys`` already recorded, or None."""
    for key in keys:
        rows = store.query("SELECT article_id, fingerprint FROM fetch_keys WHERE key = ?", [key])
        if rows:
            return str(rows[0][0]), rows[0][1]
    return None


def record_version(
    store: SqlStore, keys: Sequence[str], fingerprint: str | None, version: ArticleVersion
) -> int | None:
    """Record ``version`` (its ``version`` number is ignored) for ``version.article_id`` under ``keys``.

    Returns the version number written, or None when the text equals the latest version's (only the keys
    and fingerprint are brought up to date then). One transaction.
    """
    with store.lock("versions"), store.transaction():
        latest = store.query(
            "SELECT version, content_id FROM article_versions WHERE article_id = ? ORDER BY version DESC LIMIT 1",
            [version.article_id],
        )
        number: int | None
        if latest and latest[0][1] == version.content_id:
            number = None
        else:
            number = int(latest[0][0]) + 1 if latest else 1
            row = _version_row(version, number)
            store.execute(
                f"INSERT INTO article_versions ({', '.join(_VERSION_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in _VERSION_COLUMNS)})",
                [row[c] for c in _VERSION_COLUMNS],
            )
        now = datetime.now(UTC)
        for key in keys:
            store.execute(
                """INSERT INTO fetch_keys VALUES (?, ?, ?, ?)
                   ON CONFLICT (key) DO UPDATE SET article_id = excluded.article_id,
                   fingerprint = excluded.fingerprint, seen_at = excluded.seen_at""",
                [key, version.article_id, fingerprint, now],
            )
    return number


def mark_seen(store: SqlStore, keys: Sequence[str], fingerprint: str | None) -> None:
    """Record keys that led to no article (the page was refused or empty) so they are not fetched again
    until their fingerprint changes."""
    now = datetime.now(UTC)
    for key in keys:
        store.execute(
            """INSERT INTO fetch_keys VALUES (?, '', ?, ?)
               ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, seen_at = excluded.seen_at
               WHERE fetch_keys.article_id = ''""",
            [key, fingerprint, now],
        )


def stored_versions(store: SqlStore, article_ids: Sequence[str]) -> dict[str, list[ArticleVersion]]:
    """The versions of each article that has two or more, oldest first (read-only safe)."""
    if not article_ids:
        return {}
    rows = store.query(
        f"SELECT {', '.join(_VERSION_COLUMNS)} FROM article_versions WHERE article_id IN {IDS} "
        "ORDER BY article_id, version",
        [list(article_ids)],
    )
    out: dict[str, list[ArticleVersion]] = {}
    for r in rows:
        v = _row_version(dict(zip(_VERSION_COLUMNS, r, strict=True)))
        out.setdefault(v.article_id, []).append(v)
    return {a: vs for a, vs in out.items() if len(vs) > 1}


def versions_of(store: SqlStore, article_id: str) -> list[ArticleVersion]:
    """Every version of an article, oldest first (empty for an article that was never fetched)."""
    rows = store.query(
        f"SELECT {', '.join(_VERSION_COLUMNS)} FROM article_versions WHERE article_id = ? ORDER BY version",
        [article_id],
    )
    return [_row_version(dict(zip(_VERSION_COLUMNS, r, strict=True))) for r in rows]


def article_for_url(store: SqlStore, url: str) -> str | None:
    """The article a fetched URL became (through its ``url:`` key or a version's URL), or None."""
    rows = store.query(
        """SELECT article_id FROM fetch_keys WHERE key = ?
           UNION ALL SELECT article_id FROM article_versions WHERE url = ? LIMIT 1""",
        [f"url:{url}", url],
    )
    return str(rows[0][0]) if rows else None


def count_versions(store: SqlStore) -> int:
    return int(store.query("SELECT count(*) FROM article_versions")[0][0])


def _version_row(v: ArticleVersion, number: int) -> dict[str, Any]:
    return {
        "article_id": v.article_id,
        "version": number,
        "content_id": v.content_id,
        "fetched_at": v.fetched_at,
        "text": v.text,
        "url": v.url,
        "title": v.title,
        "subtitle": v.subtitle,
        "published_at": v.published_at,
        "published_raw": v.published_raw,
        "updated_at": v.updated_at,
        "updated_raw": v.updated_raw,
    }


def _row_version(r: dict[str, Any]) -> ArticleVersion:
    return ArticleVersion(
        article_id=r["article_id"],
        version=int(r["version"]),
        content_id=r["content_id"],
        fetched_at=_utc(r["fetched_at"]) or datetime.now(UTC),
        text=r["text"],
        url=r["url"],
        title=r["title"],
        subtitle=r["subtitle"],
        published_at=_utc(r["published_at"]),
        published_raw=r["published_raw"],
        updated_at=_utc(r["updated_at"]),
        updated_raw=r["updated_raw"],
    )


def _utc(value: Any) -> datetime | None:
    return value.astimezone(UTC) if isinstance(value, datetime) else None


__all__ = [
    "FetchState",
    "article_for_url",
    "count_versions",
    "ensure_fetch_schema",
    "get_state",
    "known_key",
    "mark_seen",
    "record_version",
    "save_state",
    "versions_of",
]
