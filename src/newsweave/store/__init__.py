"""Persistence behind one interface, :class:`Store`: an embedded DuckDB file by default, or a PostgreSQL
server (``--db postgresql://...``).

``Store.open(target)`` picks the backend; every table exists from the first open (versioned migrations,
``store.schema``). Writes are bulk and transactional: a batch is all in or not at all, so an interrupted
``add`` never leaves half an article, and adding is idempotent. See docs/storage.md.

The names are imported on first use (PEP 562), so a module that needs only the store's column forms
(:mod:`newsweave.store.schema_rows`, which the Spark workers read) does not import DuckDB.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsweave.lazy import lazy_exports

if TYPE_CHECKING:
    from newsweave.store.backends import open_store
    from newsweave.store.duck import DuckStore, default_db_path
    from newsweave.store.protocol import Store, is_store_url

__all__ = ["DuckStore", "Store", "default_db_path", "is_store_url", "open_store"]
__getattr__ = lazy_exports(
    __name__,
    {
        "DuckStore": "newsweave.store.duck",
        "Store": "newsweave.store.protocol",
        "default_db_path": "newsweave.store.duck",
        "is_store_url": "newsweave.store.protocol",
        "open_store": "newsweave.store.backends",
    },
)
