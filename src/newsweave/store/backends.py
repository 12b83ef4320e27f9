"""Which backend a store target names: a ``postgresql://`` URL or a DuckDB file path."""

from __future__ import annotations

import os

from newsweave.store.protocol import Store, is_store_url


def open_store(target: str | os.PathLike[str] | None = None, read_only: bool = False) -> Store:
    """The store at ``target`` (see :meth:`Store.open`)."""
    if target is None:
        env = os.environ.get("NEWSWEAVE_DB", "")
        target = env if is_store_url(env) else None
    if is_store_url(target):
        from newsweave.store.postgres import PgStore

        return PgStore.open(str(target), read_only=read_only)
    from newsweave.store.duck import DuckStore

    return DuckStore.open(target, read_only=read_only)
