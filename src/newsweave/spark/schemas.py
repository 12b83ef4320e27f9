"""Spark schemas (DDL strings) of the job's tables, made from the column lists in :mod:`.rows`."""

from __future__ import annotations

from collections.abc import Sequence

from newsweave.spark.rows import ANALYSIS_TABLES, ARTICLE_COLUMNS, REJECTED_COLUMNS


def _ddl(columns: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"`{name}` {kind}" for name, kind in columns)


def _struct(fields: Sequence[tuple[str, str]]) -> str:
    return "struct<" + ",".join(f"`{name}`:{kind}" for name, kind in fields) + ">"


ARTICLES = _ddl(ARTICLE_COLUMNS)
REJECTED = _ddl(REJECTED_COLUMNS)
# one row per analysed article: the analysis tables as arrays of structs, the clustering's entity keys,
# the dedup stage's exact key, MinHash signature and LSH band keys (uint64 values as signed bigint)
ANALYSED = _ddl(
    [("id", "string"), ("entity_keys", "array<string>")]
    + [(name, f"array<{_struct(fields)}>") for name, fields in ANALYSIS_TABLES.items()]
    + [("exact_key", "string"), ("sig", "array<bigint>"), ("bands", "array<bigint>")]
    + [("terms", "array<string>")]
)
STORY_OF = "`article_id` string, `story_id` string"
STORIES = (
    "`id` string, `title` string, `sources` array<string>, `first_seen` string, `last_seen` string, "
    "`n_articles` int, `article_ids` array<string>"
)


def table_ddl(name: str) -> str:
    """The DDL of one flat analysis table (``article_id`` then the table's fields)."""
    return _ddl([("article_id", "string"), *ANALYSIS_TABLES[name]])
