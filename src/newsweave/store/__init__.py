"""Persistence behind one interface, :class:`Store`: an embedded DuckDB file by default, or a PostgreSQL
server (``--db postgresql://...``).

``Store.open(target)`` picks the backend; every table exists from the first open (versioned migrations,
``store.schema``). Writes are bulk and transactional: a batch is all in or not at all, so an interrupted
``add`` never leaves half an article, and adding is idempotent. See docs/storage.md.
"""

from newsweave.store.backends import open_store
from newsweave.store.duck import DuckStore, default_db_path
from newsweave.store.protocol import Store, is_store_url

__all__ = ["DuckStore", "Store", "default_db_path", "is_store_url", "open_store"]
