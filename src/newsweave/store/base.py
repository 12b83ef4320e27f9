"""What both backends share: the articles API and the few primitives the table modules build on.

:class:`SqlStore` implements the :class:`~newsweave.store.protocol.Store` protocol over a handful of
primitives each backend provides (``query``, ``execute``, ``stream``, ``insert_arrow``, ``begin``/
``commit``/``rollback``, ``lock``). SQL is written once, with ``?`` parameters, in the subset DuckDB and
PostgreSQL both read; only the primitives and the connection know which database is behind them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from newsweave.errors import NotFoundError, StoreError
from newsweave.model import Analysis, Article, ArticleVersion, Rejected, Story
from newsweave.store import schema
from newsweave.store.articles import ARTICLE_COLUMNS, ARTICLE_SCHEMA, article_row, row_article

if TYPE_CHECKING:
    from newsweave.store.fetch import FetchState
    from newsweave.store.stories import ClusterState, StoryUpdate
    from newsweave.store.storylines import Storyline

log = logging.getLogger(__name__)

# A list parameter as a set of rows: ``x IN (SELECT unnest(CAST(? AS TEXT[])))`` reads the same on both.
IDS = "(SELECT unnest(CAST(? AS TEXT[])))"


class SqlStore:
    """The shared half of a store; :class:`~newsweave.store.duck.DuckStore` and
    :class:`~newsweave.store.postgres.PgStore` add the connection."""

    backend = "sql"
    path: str
    read_only: bool

    def __init__(self) -> None:
        self._depth = 0
        self._in_snapshot = False

    # ------------------------------------------------------------------ primitives (per backend)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        raise NotImplementedError

    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 1000) -> Iterator[tuple[Any, ...]]:
        """Rows of a query read ``batch`` at a time (bounded memory)."""
        raise NotImplementedError

    def insert_arrow(self, table: str, data: pa.Table) -> int:
        """Bulk-insert an Arrow table whose column names match the table's."""
        raise NotImplementedError

    def insert_records(self, table: str, records: Sequence[dict[str, Any]]) -> int:
        """Bulk-insert rows given as dicts (keys: column names)."""
        raise NotImplementedError

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """Hold the store-wide lock ``name`` (other processes writing the same store wait for it)."""
        yield

    def _begin(self) -> None:
        self.execute("BEGIN TRANSACTION")

    def _commit(self) -> None:
        self.execute("COMMIT")

    def _rollback(self) -> None:
        self.execute("ROLLBACK")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All the writes inside are committed together or not at all; nested uses join the outer one.
        A snapshot refuses them (it reads only)."""
        if self._in_snapshot:
            raise StoreError(f"store {self.path}: a read-only snapshot cannot write")
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        self._depth = 0
        self._commit()

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        raise NotImplementedError

    def cursor(self) -> SqlStore:
        raise NotImplementedError

    # how a snapshot's transaction begins: read-only, and on PostgreSQL one snapshot for all its queries
    SNAPSHOT_BEGIN = "BEGIN TRANSACTION READ ONLY"

    def snapshot(self) -> SqlStore:
        """A read-only handle on the store as it is now, for one thread: it reads in one read-only
        transaction (until it is closed every query sees the same state, whatever is written meanwhile)
        and any write through it fails (the web app's read requests). Close it when done. Each backend
        makes the handle (a read-only cursor) and hands it to :meth:`_start_snapshot`."""
        raise NotImplementedError

    def _start_snapshot(self) -> None:
        self.execute(self.SNAPSHOT_BEGIN)
        self._in_snapshot = True

    def _end_snapshot(self) -> None:
        """Roll back a snapshot's transaction (it wrote nothing) before its handle closes."""
        if self._in_snapshot:
            self._in_snapshot = False
            try:
                self.execute("ROLLBACK")
            except Exception:  # the connection is going away anyway
                log.debug("store %s: snapshot rollback failed", self.path, exc_info=True)

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_schema(self, ddl: str = "") -> None:
        """Kept for callers of the lazily created tables: every table now exists from the first open."""

    def schema_version(self) -> int:
        """The highest migration applied (0: a store written before versioning, or a new one)."""
        try:
            rows = self.query("SELECT max(version) FROM schema_version")
        except Exception:  # no schema_version table
            return 0
        return int(rows[0][0] or 0) if rows else 0

    def migrate(self) -> int:
        """Apply the migrations this store lacks, each in one transaction; returns the version reached."""
        if self.read_only:
            raise StoreError(f"store {self.path} is read-only: cannot migrate its schema")
        with self.lock("schema"):
            self.execute(schema.VERSION_DDL)
            current = self.schema_version()
            if current > schema.LATEST:
                raise StoreError(
                    f"store {self.path} has schema version {current}, newer than this newsweave's "
                    f"{schema.LATEST}: upgrade newsweave"
                )
            for m in schema.MIGRATIONS:
                if m.version <= current:
                    continue
                with self.transaction():
                    if self.backend in m.backends:
                        for stmt in schema.statements(schema.dialect(m.ddl, self.backend)):
                            self.execute(stmt)
                    self.execute(
                        "INSERT INTO schema_version VALUES (?, ?, ?)",
                        [m.version, datetime.now(UTC), m.description],
                    )
                log.info("store %s migrated to schema version %d", self.path, m.version)
        return self.schema_version()

    # ------------------------------------------------------------------ articles

    def add_articles(self, articles: Sequence[Article]) -> tuple[list[str], list[str]]:
        """Insert the articles not stored yet, in one transaction.

        Returns ``(added_ids, duplicate_ids)``: an article whose id (hash of its normalised text) is
        already stored, or appears twice in the batch, is a duplicate and is not inserted again; its
        origin is still recorded in ``article_origins``. The batch holds the ``articles`` lock, so two
        writers adding the same article store it once.
        """
        if not articles:
            return [], []
        with self.lock("articles"), self.transaction():
            existing = self._existing_ids([a.id for a in articles])
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
            self.insert_arrow(
                "articles", pa.Table.from_pylist([article_row(a, now) for a in added], schema=ARTICLE_SCHEMA)
            )
            self._insert_new_origins(articles)
        return [a.id for a in added], dups

    def _insert_new_origins(self, articles: Sequence[Article]) -> None:
        rows = {(a.id, a.origin.path, a.origin.position): a.origin.format for a in articles}
        ids = sorted({k[0] for k in rows})
        known = {
            (r[0], r[1], r[2])
            for r in self.query(
                f"SELECT article_id, path, position FROM article_origins WHERE article_id IN {IDS}", [ids]
            )
        }
        new = [
            {"article_id": k[0], "path": k[1], "position": k[2], "format": f}
            for k, f in rows.items()
            if k not in known
        ]
        self.insert_records("article_origins", new)

    def _existing_ids(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        return {r[0] for r in self.query(f"SELECT id FROM articles WHERE id IN {IDS}", [list(ids)])}

    def add_rejected(self, rejected: Iterable[Rejected]) -> int:
        """Record rejected inputs; the same (path, position, reason) is recorded once."""
        rows = {(r.path, r.position, r.reason): r.format for r in rejected}
        if not rows:
            return 0
        with self.lock("rejected"), self.transaction():
            paths = sorted({k[0] for k in rows})
            known = {
                (r[0], r[1], r[2])
                for r in self.query(
                    f"SELECT path, position, reason FROM rejected WHERE path IN {IDS}", [paths]
                )
            }
            now = datetime.now(UTC)
            self.insert_records(
                "rejected",
                [
                    {"path": k[0], "position": k[1], "reason": k[2], "format": f, "rejected_at": now}
                    for k, f in rows.items()
                    if k not in known
                ],
            )
        return len(rows)

    def count_articles(self) -> int:
        rows = self.query("SELECT count(*) FROM articles")
        return int(rows[0][0]) if rows else 0

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.query("SELECT id FROM articles ORDER BY added_at, id")]

    def resolve_id(self, prefix: str) -> str:
        """The full id of the one article whose id starts with ``prefix``."""
        rows = self.query(
            "SELECT id FROM articles WHERE starts_with(id, ?) LIMIT 2", [prefix.strip().lower()]
        )
        if not rows:
            raise NotFoundError(f"no article with id {prefix!r}")
        if len(rows) > 1:
            raise NotFoundError(f"article id prefix {prefix!r} is ambiguous")
        return str(rows[0][0])

    def get_article(self, article_id: str) -> Article:
        full = self.resolve_id(article_id)
        rows = self.query(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE id = ?", [full])
        if not rows:
            raise NotFoundError(f"no article with id {article_id!r}")
        return row_article(dict(zip(ARTICLE_COLUMNS, rows[0], strict=True)))

    def get_articles(self, ids: Sequence[str]) -> list[Article]:
        """Articles by full id, in the order given (missing ids are skipped)."""
        if not ids:
            return []
        rows = self.query(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE id IN {IDS}", [list(ids)])
        by_id = {r[0]: row_article(dict(zip(ARTICLE_COLUMNS, r, strict=True))) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def iter_articles(
        self, source: str | None = None, limit: int | None = None, offset: int = 0, batch: int = 1000
    ) -> Iterator[Article]:
        sql = f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles"
        params: list[Any] = []
        if source:
            sql += " WHERE source = ?"
            params.append(source)
        sql += " ORDER BY published_at NULLS LAST, added_at, id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f" OFFSET {int(offset)}"
        for r in self.stream(sql, params, batch):
            yield row_article(dict(zip(ARTICLE_COLUMNS, r, strict=True)))

    def rejected(self) -> list[Rejected]:
        rows = self.query(
            "SELECT path, position, reason, format FROM rejected ORDER BY rejected_at, path, position"
        )
        return [Rejected(path=r[0], position=r[1], reason=r[2], format=r[3] or "") for r in rows]

    # ------------------------------------------------------------------ the rest of the protocol
    # (implemented by the table modules, which hold the SQL of their tables)

    def pending_ids(self, stage: str) -> list[str]:
        return queries.pending_ids(self, stage)

    def find_article_ids(
        self,
        source: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        words: Sequence[str] = (),
        entity: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> tuple[list[str], int]:
        return queries.find_article_ids(self, source, since, until, words, entity, limit, offset)

    def outlets(self) -> list[str]:
        return queries.outlets(self)

    def content_version(self) -> tuple[Any, ...]:
        return queries.content_version(self)

    def search_documents(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        return queries.search_documents(self)

    def export_rows(self, kind: str, batch: int = 1000) -> Iterator[tuple[Any, ...]]:
        return queries.export_rows(self, kind, batch)

    def save_analysis(self, analyses: Sequence[Analysis], model: str | None = None) -> int:
        return analysis.save_analysis(self, analyses, model)

    def load_analysis(self, article_id: str) -> Analysis | None:
        return analysis.load_analysis(self, article_id)

    def analysed_ids(self) -> list[str]:
        return analysis.analysed_ids(self)

    def outdated_analysis_ids(
        self, lacking_marked: bool = True, before: datetime | None = None, lacking_figures: bool = False
    ) -> list[str]:
        return analysis.outdated_analysis_ids(self, lacking_marked, before, lacking_figures)

    def analysis_version(self, article_ids: Sequence[str]) -> tuple[Any, ...]:
        return queries.analysis_version(self, article_ids)

    def entity_keys(self, article_ids: Sequence[str]) -> dict[str, list[str]]:
        return analysis.entity_keys(self, article_ids)

    def entity_names(self, keys: Sequence[str]) -> dict[str, str]:
        return analysis.entity_names(self, keys)

    def sentence_spans(self) -> list[tuple[str, int, int]]:
        return analysis.sentence_spans(self)

    def entity_index_rows(self) -> list[tuple[str, str, list[str], list[str]]]:
        return analysis.entity_index_rows(self)

    def first_mentions(self) -> dict[tuple[str, str], tuple[int, int]]:
        return analysis.first_mentions(self)

    def text_vectors(self, model: str, keys: Sequence[str]) -> dict[str, bytes]:
        return {k: bytes(v) for k, v in derived.load(self, "text_vectors", model, keys).items()}  # type: ignore[call-overload]

    def save_text_vectors(self, model: str, vectors: Mapping[str, bytes]) -> int:
        return derived.save(self, "text_vectors", model, vectors)

    def text_tags(self, model: str, keys: Sequence[str]) -> dict[str, str]:
        return {k: str(v) for k, v in derived.load(self, "text_tags", model, keys).items()}

    def save_text_tags(self, model: str, tags: Mapping[str, str]) -> int:
        return derived.save(self, "text_tags", model, tags)

    def stored_comparison(self, key: str) -> str | None:
        return derived.stored_comparison(self, key)

    def save_comparison(self, key: str, story_id: str, comparison: str) -> int:
        return derived.save_comparison(self, key, story_id, comparison)

    def list_stories(self) -> list[Story]:
        from newsweave.store import stories

        return stories.list_stories(self)

    def get_story(self, story_id: str) -> Story:
        from newsweave.store import stories

        return stories.get_story(self, story_id)

    def story_of(self, article_id: str) -> str | None:
        return queries.story_of(self, article_id)

    def stories_of(self, article_ids: Sequence[str]) -> set[str]:
        return queries.stories_of(self, article_ids)

    def story_links(self, story_id: str) -> dict[str, list[dict[str, Any]]]:
        from newsweave.store import stories

        return stories.story_links(self, story_id)

    def story_merges(self) -> list[tuple[str, str, str, float]]:
        from newsweave.store import stories

        return stories.story_merges(self)

    def story_splits(self) -> list[tuple[str, str, int]]:
        from newsweave.store import history

        return history.story_splits(self)

    def stories_naming(self, entity: str) -> set[str]:
        return queries.stories_naming(self, entity)

    def member_titles(self) -> dict[str, str]:
        return queries.member_titles(self)

    def storylines_of(self, story_ids: Sequence[str] | None = None) -> dict[str, str]:
        from newsweave.store import storylines

        return storylines.storylines_of(self, story_ids)

    def storyline_resolver(self) -> Callable[[str], str]:
        from newsweave.store import storylines

        return storylines.storyline_resolver(self)

    def cluster_state(
        self, window: tuple[datetime, datetime] | None = None, members: bool = True
    ) -> ClusterState:
        from newsweave.store import stories

        return stories.cluster_state(self, window, members)

    def story_assignment(self) -> dict[str, str]:
        from newsweave.store import stories

        return stories.story_assignment(self)

    def save_stories(self, update: StoryUpdate) -> None:
        from newsweave.store import stories

        stories.save_stories(self, update)

    def list_storylines(self, stories: Sequence[Story]) -> list[Storyline]:
        from newsweave.store import storylines

        return storylines.list_storylines(self, stories)

    def get_storyline(self, storyline_id: str, stories: Sequence[Story]) -> Storyline:
        from newsweave.store import storylines

        return storylines.get_storyline(self, storyline_id, stories)

    def fetch_state(self, url: str) -> FetchState | None:
        from newsweave.store import fetch

        return fetch.get_state(self, url)

    def save_fetch_state(self, state: FetchState) -> None:
        from newsweave.store import fetch

        fetch.save_state(self, state)

    def known_key(self, keys: Sequence[str]) -> tuple[str, str | None] | None:
        from newsweave.store import fetch

        return fetch.known_key(self, keys)

    def mark_seen(self, keys: Sequence[str], fingerprint: str | None) -> None:
        from newsweave.store import fetch

        fetch.mark_seen(self, keys, fingerprint)

    def record_version(
        self, keys: Sequence[str], fingerprint: str | None, version: ArticleVersion
    ) -> int | None:
        from newsweave.store import fetch

        return fetch.record_version(self, keys, fingerprint, version)

    def article_for_url(self, url: str) -> str | None:
        from newsweave.store import fetch

        return fetch.article_for_url(self, url)

    def count_versions(self) -> int:
        from newsweave.store import fetch

        return fetch.count_versions(self)

    def versions_of(self, article_id: str) -> list[ArticleVersion]:
        from newsweave.store import fetch

        return fetch.versions_of(self, article_id)

    def stored_versions(self, article_ids: Sequence[str]) -> dict[str, list[ArticleVersion]]:
        from newsweave.store import fetch

        return fetch.stored_versions(self, article_ids)


from newsweave.store import analysis, derived, queries  # noqa: E402  (they build on SqlStore)
