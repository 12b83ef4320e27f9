"""What the comparison derives from texts and keeps, so a stored story is not worked out again at each
report: sentence and clause vectors (``text_vectors``) and part-of-speech tags of the sentences framing
reads (``text_tags``).

Rows are keyed by the model that made them and the SHA-256 of the exact text they were made from
(:func:`newsweave.embed_store.text_key`): a changed text, or another model or model version, finds no row
and is computed afresh, never served a stale one. A text shared by several articles (a wire copy) is kept
once. The values are opaque to the store: ``vector`` holds float32 bytes, ``tags`` a JSON list.

The comparison of a stored story is kept too (``story_comparisons``: its JSON under a key that changes
with everything the result depends on, :func:`newsweave.views.stored.comparison_key`), one per story: a
new one replaces the story's older ones.

Saving inserts only the keys not stored yet (one transaction under the table's lock), so it is idempotent
and two writers saving the same texts store each once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from newsweave.store.base import IDS, SqlStore

# table -> its value column
_VALUE = {"text_vectors": "vector", "text_tags": "tags"}
LOOKUP_BATCH = 5000  # keys per query (one story needs about a thousand)


def load(store: SqlStore, table: str, model: str, keys: Sequence[str]) -> dict[str, object]:
    """``{text_key: value}`` for the ``keys`` stored under ``model`` (missing keys are left out)."""
    col = _VALUE[table]
    wanted = sorted(set(keys))
    out: dict[str, object] = {}
    for i in range(0, len(wanted), LOOKUP_BATCH):
        part = wanted[i : i + LOOKUP_BATCH]
        rows = store.query(
            f'SELECT text_key, "{col}" FROM "{table}" WHERE model = ? AND text_key IN {IDS}', [model, part]
        )
        out.update((k, v) for k, v in rows)
    return out


def save(store: SqlStore, table: str, model: str, values: Mapping[str, object]) -> int:
    """Insert the ``values`` (``{text_key: value}``) not stored yet under ``model``; returns how many."""
    if not values:
        return 0
    col = _VALUE[table]
    with store.lock(table), store.transaction():
        known = set(load(store, table, model, list(values)))
        now = datetime.now(UTC)
        rows = [
            {"model": model, "text_key": k, col: v, "saved_at": now}
            for k, v in values.items()
            if k not in known
        ]
        store.insert_records(table, rows)
    return len(rows)


def stored_comparison(store: SqlStore, key: str) -> str | None:
    rows = store.query("SELECT comparison FROM story_comparisons WHERE key = ?", [key])
    return str(rows[0][0]) if rows else None


def save_comparison(store: SqlStore, key: str, story_id: str, comparison: str) -> int:
    """Keep ``comparison`` (its JSON) under ``key``, replacing the story's other stored comparisons."""
    with store.lock("story_comparisons"), store.transaction():
        if store.query("SELECT 1 FROM story_comparisons WHERE key = ?", [key]):
            return 0
        store.execute("DELETE FROM story_comparisons WHERE story_id = ?", [story_id])
        store.insert_records(
            "story_comparisons",
            [{"key": key, "story_id": story_id, "comparison": comparison, "saved_at": datetime.now(UTC)}],
        )
    return 1
