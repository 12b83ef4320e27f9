"""What ``recluster`` did to the stories: those it dissolved (recorded as merges, so their ids lead on)
and the articles it moved out of a story (``story_splits``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

import pyarrow as pa

from newsweave.cluster import Merge
from newsweave.model import Story
from newsweave.store.duck import Store

HISTORY_DDL = """
CREATE TABLE IF NOT EXISTS story_splits (
    parent VARCHAR,
    child VARCHAR,
    n_articles INTEGER,
    split_at TIMESTAMPTZ
);
"""


def ensure_history_schema(store: Store) -> None:
    store.ensure_schema(HISTORY_DDL)


def dissolved_as_merges(previous: dict[str, str], stories: Sequence[Story]) -> list[Merge]:
    """Old stories that recluster dissolved: each is recorded as merged into the new story holding most
    of its articles, so its id still leads somewhere."""
    new_ids = {s.id for s in stories}
    holders: dict[str, Counter[str]] = {}
    for s in stories:
        for aid in s.article_ids:
            if aid in previous:
                holders.setdefault(previous[aid], Counter())[s.id] += 1
    out = []
    for old, where in sorted(holders.items()):
        if old not in new_ids:
            survivor, _ = min(where.items(), key=lambda kv: (-kv[1], kv[0]))
            first = min(a for a, o in previous.items() if o == old)
            out.append(Merge(survivor, old, first, 0.0))
    return out


def save_splits(store: Store, previous: dict[str, str], stories: Sequence[Story]) -> None:
    """Record where recluster split an old story: one row per new story holding some of its articles
    (other than the story that kept the old id)."""
    rows = []
    for s in stories:
        for old, n in sorted(Counter(previous[a] for a in s.article_ids if a in previous).items()):
            if old != s.id:
                rows.append((old, s.id, n))
    parents = Counter(old for old, _, _ in rows)
    now = datetime.now(UTC)
    kept = [r for r in rows if parents[r[0]] > 1 or r[0] in {s.id for s in stories}]
    store.insert_arrow(
        "story_splits",
        pa.table(
            {
                "parent": [r[0] for r in kept],
                "child": [r[1] for r in kept],
                "n_articles": pa.array([r[2] for r in kept], pa.int32()),
                "split_at": pa.array([now] * len(kept), pa.timestamp("us", tz="UTC")),
            }
        ),
    )


def story_splits(store: Store) -> list[tuple[str, str, int]]:
    """(old story, new story, articles moved) for every split recorded by recluster."""
    ensure_history_schema(store)
    rows = store.con.execute(
        "SELECT parent, child, n_articles FROM story_splits ORDER BY split_at, parent, child"
    )
    return [(r[0], r[1], int(r[2])) for r in rows.fetchall()]
