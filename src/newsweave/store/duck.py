"""The DuckDB store: articles, rejected inputs, and a small API other stages build on."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from platformdirs import user_data_dir

from newsweave.errors import NotFoundError, StoreError
from newsweave.model import Article, Origin, Rejected
from newsweave.timeparse import parse_date

log = logging.getLogger(__name__)

_CORE_DDL = """
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,
    source VARCHAR,
    url VARCHAR,
    title VARCHAR,
    subtitle VARCHAR,
    summary VARCHAR,
    byline VARCHAR,
    published_at TIMESTAMPTZ,
    published_raw VARCHAR,
    language VARCHAR,
    text VARCHAR NOT NULL,
    paragraphs VARCHAR,
    origin_path VARCHAR,
    origin_position VARCHAR,
    origin_format VARCHAR,
    added_at TIMESTAMPTZ
);
ALTER TABLE articles ADD COLUMN IF NOT EXISTS updated_raw VARCHAR;
CREATE TABLE IF NOT EXISTS rejected (
    path VARCHAR,
    position VARCHAR,
    reason VARCHAR,
    format VARCHAR,
    rejected_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS article_origins (
    article_id VARCHAR,
    path VARCHAR,
    position VARCHAR,
    format VARCHAR
);
"""

_ARTICLE_COLUMNS = (
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

_ARTICLE_SCHEMA = pa.schema(
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


def default_db_path() -> Path:
    """``$NEWSWEAVE_DB`` if set, else ``newsweave.duckdb`` in the user's data directory."""
    env = os.environ.get("NEWSWEAVE_DB")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir("newsweave", appauthor=False)) / "newsweave.duckdb"


class Store:
    """A DuckDB-backed store. Use :meth:`open`; close with :meth:`close` or as a context manager."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, read_only: bool = False) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only
        self.ensure_schema(_CORE_DDL)

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, read_only: bool = False) -> Store:
        p = Path(path).expanduser() if path is not None else default_db_path()
        if str(p) != ":memory:":
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create the store's folder {p.parent}: {e}") from e
        try:
            con = duckdb.connect(str(p), read_only=read_only)
        except duckdb.Error as e:
            raise StoreError(f"cannot open store {p}: {e}") from e
        return cls(con, str(p), read_only=read_only)

    def cursor(self) -> Store:
        """Another handle on the same database for one thread (DuckDB connections are not shared
        between threads); close it when done, the database stays open."""
        return Store(self.con.cursor(), self.path, read_only=self.read_only)

    def close(self) -> None:
        self.con.close()

    def snapshot(self) -> Store:
        """A read-only handle on the store as it is now, for one thread: it reads in one read-only
        transaction (until it is closed every query sees the same state, whatever is written meanwhile)
        and any write through it fails (the web app's read requests)."""
        snap = Store(self.con.cursor(), self.path, read_only=True)
        snap.con.execute("BEGIN TRANSACTION READ ONLY")
        return snap

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_schema(self, ddl: str) -> None:
        """Run CREATE ... IF NOT EXISTS statements (each stage owns its tables). A read-only store never
        writes: its tables are the ones a writer made."""
        if not self.read_only:
            self.con.execute(ddl)

    def insert_arrow(self, table: str, data: pa.Table) -> int:
        """Bulk-insert an Arrow table whose column names match the table's."""
        if data.num_rows == 0:
            return 0
        cols = ", ".join(f'"{c}"' for c in data.column_names)
        self.con.register("_nw_bulk", data)
        try:
            self.con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM _nw_bulk')
        finally:
            self.con.unregister("_nw_bulk")
        return data.num_rows

    # ------------------------------------------------------------------ articles

    def add_articles(self, articles: Sequence[Article]) -> tuple[list[str], list[str]]:
        """Insert the articles not stored yet, in one transaction.

        Returns ``(added_ids, duplicate_ids)``: an article whose id (hash of its normalised text) is
        already stored, or appears twice in the batch, is a duplicate and is not inserted again; its
        origin is still recorded in ``article_origins``.
        """
        if not articles:
            return [], []
        ids = [a.id for a in articles]
        existing = self._existing_ids(ids)
        added: list[Article] = []
        dups: list[str] = []
        seen: set[str] = set()
        for a in articles:
            if a.id in existing or a.id in seen:
                dups.append(a.id)
            else:
                seen.add(a.id)
                added.append(a)
        now = datetime.now(UTC)
        table = pa.Table.from_pylist([_article_row(a, now) for a in added], schema=_ARTICLE_SCHEMA)
        origins = pa.Table.from_pylist(
            [
                {
                    "article_id": a.id,
                    "path": a.origin.path,
                    "position": a.origin.position,
                    "format": a.origin.format,
                }
                for a in articles
            ]
        )
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.insert_arrow("articles", table)
            self._insert_new_origins(origins)
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return [a.id for a in added], dups

    def _insert_new_origins(self, origins: pa.Table) -> None:
        self.con.register("_nw_orig", origins)
        try:
            self.con.execute(
                """INSERT INTO article_origins
                   SELECT DISTINCT o.article_id, o.path, o.position, o.format FROM _nw_orig o
                   WHERE NOT EXISTS (SELECT 1 FROM article_origins x WHERE x.article_id = o.article_id
                                     AND x.path = o.path AND x.position = o.position)"""
            )
        finally:
            self.con.unregister("_nw_orig")

    def _existing_ids(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        self.con.register("_nw_ids", pa.table({"id": list(ids)}))
        try:
            rows = self.con.execute("SELECT a.id FROM articles a JOIN _nw_ids i ON a.id = i.id").fetchall()
        finally:
            self.con.unregister("_nw_ids")
        return {r[0] for r in rows}

    def add_rejected(self, rejected: Iterable[Rejected]) -> int:
        """Record rejected inputs; the same (path, position, reason) is recorded once."""
        rows = [
            {"path": r.path, "position": r.position, "reason": r.reason, "format": r.format} for r in rejected
        ]
        if not rows:
            return 0
        self.con.register("_nw_rej", pa.Table.from_pylist(rows))
        try:
            self.con.execute(
                """INSERT INTO rejected
                   SELECT DISTINCT r.path, r.position, r.reason, r.format, now() FROM _nw_rej r
                   WHERE NOT EXISTS (SELECT 1 FROM rejected x WHERE x.path = r.path
                                     AND x.position = r.position AND x.reason = r.reason)"""
            )
        finally:
            self.con.unregister("_nw_rej")
        return len(rows)

    def count_articles(self) -> int:
        rows = self.con.execute("SELECT count(*) FROM articles").fetchall()
        return int(rows[0][0]) if rows else 0

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM articles ORDER BY added_at, id").fetchall()]

    def resolve_id(self, prefix: str) -> str:
        """The full id of the one article whose id starts with ``prefix``."""
        rows = self.con.execute(
            "SELECT id FROM articles WHERE starts_with(id, ?) LIMIT 2", [prefix.strip().lower()]
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no article with id {prefix!r}")
        if len(rows) > 1:
            raise NotFoundError(f"article id prefix {prefix!r} is ambiguous")
        return str(rows[0][0])

    def get_article(self, article_id: str) -> Article:
        full = self.resolve_id(article_id)
        rows = self.con.execute(
            f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles WHERE id = ?", [full]
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no article with id {article_id!r}")
        return _row_article(dict(zip(_ARTICLE_COLUMNS, rows[0], strict=True)))

    def get_articles(self, ids: Sequence[str]) -> list[Article]:
        """Articles by full id, in the order given (missing ids are skipped)."""
        if not ids:
            return []
        self.con.register("_nw_ids", pa.table({"id": list(ids)}))
        try:
            cur = self.con.execute(
                f"SELECT {', '.join('a.' + c for c in _ARTICLE_COLUMNS)} FROM articles a JOIN _nw_ids i ON a.id = i.id"
            )
            rows = cur.fetchall()
        finally:
            self.con.unregister("_nw_ids")
        by_id = {r[0]: _row_article(dict(zip(_ARTICLE_COLUMNS, r, strict=True))) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def iter_articles(
        self, source: str | None = None, limit: int | None = None, offset: int = 0, batch: int = 1000
    ) -> Iterator[Article]:
        sql = f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles"
        params: list[Any] = []
        if source:
            sql += " WHERE source = ?"
            params.append(source)
        sql += " ORDER BY published_at NULLS LAST, added_at, id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f" OFFSET {int(offset)}"
        cur = self.con.cursor()
        cur.execute(sql, params)
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                break
            for r in rows:
                yield _row_article(dict(zip(_ARTICLE_COLUMNS, r, strict=True)))

    def rejected(self) -> list[Rejected]:
        rows = self.con.execute(
            "SELECT path, position, reason, format FROM rejected ORDER BY rejected_at, path, position"
        ).fetchall()
        return [Rejected(path=r[0], position=r[1], reason=r[2], format=r[3] or "") for r in rows]


def _article_row(a: Article, now: datetime) -> dict[str, Any]:
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


def _row_article(r: dict[str, Any]) -> Article:
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
