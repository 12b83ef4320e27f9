"""The DuckDB store: one embedded file, the default backend."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from platformdirs import user_data_dir

from newsweave.errors import StoreError
from newsweave.store import schema
from newsweave.store.base import SqlStore

log = logging.getLogger(__name__)


def default_db_path() -> Path:
    """``$NEWSWEAVE_DB`` if set, else ``newsweave.duckdb`` in the user's data directory."""
    env = os.environ.get("NEWSWEAVE_DB")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir("newsweave", appauthor=False)) / "newsweave.duckdb"


class DuckStore(SqlStore):
    """A DuckDB-backed store. Use :meth:`open`; close with :meth:`close` or as a context manager.

    A read-write open brings the schema up to date; a read-only open of a store at an older schema
    version first upgrades it through a short read-write open (it fails, naming the store, when another
    process holds the file), so a read-only handle never writes.
    """

    backend = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, read_only: bool = False) -> None:
        super().__init__()
        self.con = con
        self.path = path
        self.read_only = read_only
        self._schemas: dict[str, pa.Schema] = {}

    @classmethod
    def open(cls, target: str | os.PathLike[str] | None = None, read_only: bool = False) -> DuckStore:
        p = Path(target).expanduser() if target is not None else default_db_path()
        if str(p) != ":memory:" and not read_only:
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create the store's folder {p.parent}: {e}") from e
        store = cls(_connect(p, read_only), str(p), read_only=read_only)
        if not read_only:
            store.migrate()
            return store
        if store.schema_version() < schema.LATEST:
            store.close()
            with cls(_connect(p, False), str(p)) as rw:
                rw.migrate()
            store = cls(_connect(p, True), str(p), read_only=True)
        return store

    def cursor(self) -> DuckStore:
        """Another handle on the same database for one thread (DuckDB connections are not shared
        between threads); close it when done, the database stays open."""
        return DuckStore(self.con.cursor(), self.path, read_only=self.read_only)

    def close(self) -> None:
        self._end_snapshot()
        self.con.close()

    def snapshot(self) -> DuckStore:
        snap = DuckStore(self.con.cursor(), self.path, read_only=True)
        snap._start_snapshot()
        return snap

    def __enter__(self) -> DuckStore:
        return self

    # ------------------------------------------------------------------ primitives

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(params)).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(sql, list(params))

    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 1000) -> Iterator[tuple[Any, ...]]:
        cur = self.con.cursor()
        try:
            cur.execute(sql, list(params))
            while rows := cur.fetchmany(batch):
                yield from rows
        finally:
            cur.close()

    def insert_arrow(self, table: str, data: pa.Table) -> int:
        if data.num_rows == 0:
            return 0
        cols = ", ".join(f'"{c}"' for c in data.column_names)
        self.con.register("_nw_bulk", data)
        try:
            self.con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM _nw_bulk')
        finally:
            self.con.unregister("_nw_bulk")
        return data.num_rows

    def insert_records(self, table: str, records: Sequence[dict[str, Any]]) -> int:
        if not records:
            return 0
        full = self._table_schema(table)
        names = list(records[0])
        part = pa.schema([full.field(n) for n in names])
        return self.insert_arrow(table, pa.Table.from_pylist(list(records), schema=part))

    def _table_schema(self, table: str) -> pa.Schema:
        if table not in self._schemas:
            self._schemas[table] = self.con.sql(f'SELECT * FROM "{table}" LIMIT 0').to_arrow_table().schema
        return self._schemas[table]


def _connect(p: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(p), read_only=read_only)
    except duckdb.Error as e:
        raise StoreError(f"cannot open store {p}: {e}") from e
