"""The PostgreSQL store: a shared server database for several readers and writers.

``PgStore.open("postgresql://...")`` opens a connection pool (psycopg 3, ``psycopg_pool``); the store
object holds one connection of it, and :meth:`PgStore.cursor` hands out another (the web app's handle for
one request), returned to the pool on close. Sessions run in UTC and in autocommit mode; a batch is one
explicit transaction. Bulk loads use COPY. Writers serialise their batches on PostgreSQL advisory locks
(:meth:`PgStore.lock`), so two ``add`` runs into one database store each article once; a read-only store
sets ``default_transaction_read_only`` on its sessions, so the server itself refuses any write.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pyarrow as pa

from newsweave.errors import StoreError
from newsweave.store.base import SqlStore

log = logging.getLogger(__name__)

# Connections the pool keeps open at most: one for the store, the rest for per-request handles of the web
# app (its thread pool runs up to 40 requests, most of them waiting on Python, not on the database).
POOL_MAX = 8
CONNECT_TIMEOUT = 10  # seconds to reach the server (libpq's connect_timeout)
_LOCK_SPACE = 0x6E77  # "nw": the first key of every advisory lock, apart from other applications' locks


def _pg_sql(sql: str) -> str:
    """``?`` parameters as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class _Pool:
    """A psycopg pool shared by a store and its cursors; closed when the last of them closes."""

    def __init__(self, url: str, read_only: bool) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        # one plain connection first: an unreachable server or a refused login fails at once, with the
        # server's reason (the pool would retry in the background until its timeout)
        try:
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT).close()
        except psycopg.Error as e:
            raise StoreError(f"cannot open store {_safe(url)}: {str(e).strip()}") from e

        def configure(con: Any) -> None:
            con.autocommit = True
            con.execute("SET TIME ZONE 'UTC'")
            if read_only:
                con.execute("SET default_transaction_read_only = on")

        self.pool = ConnectionPool(url, min_size=1, max_size=POOL_MAX, configure=configure, open=False)
        self.users = 0
        self._lock = threading.Lock()

    def acquire(self) -> Any:
        with self._lock:
            if self.users == 0:
                self.pool.open(wait=True, timeout=30)
            self.users += 1
        return self.pool.getconn(timeout=30)

    def release(self, con: Any) -> None:
        self.pool.putconn(con)
        with self._lock:
            self.users -= 1
            if self.users == 0:
                self.pool.close()


class PgStore(SqlStore):
    """A PostgreSQL-backed store. Use :meth:`open` with a ``postgresql://`` URL."""

    backend = "postgresql"

    def __init__(self, pool: _Pool, path: str, read_only: bool = False) -> None:
        super().__init__()
        self._pool = pool
        self.con = pool.acquire()
        self.path = path
        self.read_only = read_only
        self._closed = False

    @classmethod
    def open(cls, target: str | os.PathLike[str] | None = None, read_only: bool = False) -> PgStore:
        url = str(target or "")
        try:
            if read_only:  # bring the schema up to date first, through a writing session
                with cls(_Pool(url, False), _safe(url)) as rw:
                    rw.migrate()
            store = cls(_Pool(url, read_only), _safe(url), read_only=read_only)
        except Exception as e:
            if isinstance(e, StoreError):
                raise
            raise StoreError(f"cannot open store {_safe(url)}: {e}") from e
        if not read_only:
            store.migrate()
        return store

    def cursor(self) -> PgStore:
        """Another connection of the pool, for one thread; close it to give it back."""
        return PgStore(self._pool, self.path, read_only=self.read_only)

    # repeatable read: every query of a snapshot sees the database as its first query did
    SNAPSHOT_BEGIN = "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"

    def snapshot(self) -> PgStore:
        snap = PgStore(self._pool, self.path, read_only=True)
        try:
            snap._start_snapshot()
        except BaseException:
            snap.close()
            raise
        return snap

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._end_snapshot()
            self._pool.release(self.con)

    def __enter__(self) -> PgStore:
        return self

    # ------------------------------------------------------------------ primitives

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """A database error (the server went away, a write on a read-only store) as a StoreError naming
        the store, which the CLI prints as one line."""
        import psycopg

        try:
            yield
        except psycopg.Error as e:
            raise StoreError(f"store {self.path}: {str(e).strip()}") from e

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._errors(), self.con.cursor() as cur:
            cur.execute(_pg_sql(sql), list(params))
            return list(cur.fetchall()) if cur.description is not None else []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self._errors(), self.con.cursor() as cur:
            cur.execute(_pg_sql(sql) if params else sql, list(params) or None)

    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 1000) -> Iterator[tuple[Any, ...]]:
        """A server-side cursor (held across commits), read ``batch`` rows at a time."""
        with self._errors(), self.con.cursor(name=f"nw_{uuid.uuid4().hex}", withhold=True) as cur:
            cur.itersize = batch
            cur.execute(_pg_sql(sql), list(params))
            yield from cur

    def insert_arrow(self, table: str, data: pa.Table) -> int:
        if data.num_rows == 0:
            return 0
        return self._copy(table, data.column_names, (tuple(r.values()) for r in data.to_pylist()))

    def insert_records(self, table: str, records: Sequence[dict[str, Any]]) -> int:
        if not records:
            return 0
        names = list(records[0])
        return self._copy(table, names, (tuple(r[n] for n in names) for r in records))

    def _copy(self, table: str, names: Sequence[str], rows: Any) -> int:
        cols = ", ".join(f'"{c}"' for c in names)
        n = 0
        with (
            self._errors(),
            self.con.cursor() as cur,
            cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(row)
                n += 1
        return n

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """A session advisory lock on ``name``: other sessions taking the same lock wait (a snapshot,
        which cannot write, takes none)."""
        if self._in_snapshot:
            yield
            return
        key = zlib.crc32(name.encode()) & 0x7FFFFFFF
        self.execute("SELECT pg_advisory_lock(?, ?)", [_LOCK_SPACE, key])
        try:
            yield
        finally:
            self.execute("SELECT pg_advisory_unlock(?, ?)", [_LOCK_SPACE, key])


def _safe(url: str) -> str:
    """The URL without its password (for messages and ``store.path``)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
