"""The store's boundary: both backends implement the ``Store`` protocol, and no module outside
``newsweave/store/`` holds a connection or writes SQL."""

from __future__ import annotations

import re
from pathlib import Path

from newsweave.store import Store
from newsweave.store.duck import DuckStore
from newsweave.store.postgres import PgStore

SRC = Path(__file__).resolve().parents[1] / "src" / "newsweave"
# What a module doing its own SQL would contain: a driver import, a connection, a query
SQL_SIGNS = re.compile(
    r"import duckdb|import psycopg|from psycopg|\.con\b|\.execute\(|information_schema|\bSELECT\s+\S+.*\bFROM\b"
)


def test_no_sql_outside_the_store() -> None:
    offenders = [
        f"{p.relative_to(SRC)}:{n}: {line.strip()}"
        for p in sorted(SRC.rglob("*.py"))
        if "store" not in p.relative_to(SRC).parts[:1]
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if SQL_SIGNS.search(line)
    ]
    assert offenders == []


def test_both_backends_implement_the_protocol(store_target: object) -> None:
    with Store.open(store_target) as s:
        assert isinstance(s, Store)
        assert isinstance(s, DuckStore if s.backend == "duckdb" else PgStore)
        with s.cursor() as c:  # a second handle (another connection of the pool on PostgreSQL)
            assert isinstance(c, Store) and c.count_articles() == 0
    members = {m for m in vars(Store) if not m.startswith("_")} - {"open"}
    for cls in (DuckStore, PgStore):
        missing = [m for m in members if not hasattr(cls, m) and m not in ("path", "read_only")]
        assert missing == [], cls
