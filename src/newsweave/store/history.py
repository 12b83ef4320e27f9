"""What ``recluster`` did to the stories: the articles it moved out of a story (``story_splits``). The
stories it dissolved are recorded as merges (``store.stories``), so their ids lead on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pyarrow as pa

from newsweave.store.base import SqlStore


def ensure_history_schema(store: SqlStore) -> None:
    """Kept for old callers: ``story_splits`` exists from a store's first open (``store.schema``)."""


def save_splits(store: SqlStore, rows: Sequence[tuple[str, str, int]]) -> None:
    """Record (old story, new story, articles moved) rows (computed by the story stage)."""
    now = datetime.now(UTC)
    store.insert_arrow(
        "story_splits",
        pa.table(
            {
                "parent": [r[0] for r in rows],
                "child": [r[1] for r in rows],
                "n_articles": pa.array([r[2] for r in rows], pa.int32()),
                "split_at": pa.array([now] * len(rows), pa.timestamp("us", tz="UTC")),
            }
        ),
    )


def story_splits(store: SqlStore) -> list[tuple[str, str, int]]:
    """(old story, new story, articles moved) for every split recorded by recluster."""
    rows = store.query("SELECT parent, child, n_articles FROM story_splits ORDER BY split_at, parent, child")
    return [(r[0], r[1], int(r[2])) for r in rows]
