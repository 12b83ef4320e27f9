"""Persistence: one embedded DuckDB file by default.

``Store`` owns the connection and the core tables (articles, rejected, ingest runs). Later stages keep
their own tables next to these (``store.analysis``, ``store.stories``, ``store.fetch``) and create them with
:meth:`Store.ensure_schema`. Writes are bulk (Arrow) and transactional: a batch is all in or not at all,
so an interrupted ``add`` never leaves half an article, and adding is idempotent.
"""

from newsweave.store.duck import Store, default_db_path

__all__ = ["Store", "default_db_path"]
