"""Stories in the store: membership, merges, duplicate and rewrite links, clustering statistics.

The store only keeps what the story stage (:mod:`newsweave.cluster.stage`) and the dedup stage computed:
:func:`cluster_state` hands the stage what it needs to resume (the term statistics kept in
``cluster_df``/``cluster_meta``, the merges, and the stories active within a time window with their
members), and :func:`save_stories` writes a :class:`StoryUpdate` in one transaction. Story ids never
change; a merge is a row in ``story_merges``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from newsweave.dedup.types import DuplicateLink, RewriteLink
from newsweave.errors import NotFoundError
from newsweave.model import Span, Story
from newsweave.store.base import IDS, SqlStore
from newsweave.store.history import save_splits
from newsweave.store.storylines import forget_stories, save_storylines, stored_storyline_merges, storylines_of

if TYPE_CHECKING:  # annotations only: reading stories does not import the clustering (SciPy)
    from newsweave.cluster.clusterer import Merge
    from newsweave.cluster.storylines import StorylineLink, StorylineMerge

log = logging.getLogger(__name__)

CHANNELS = ("body", "head", "ent")
# channel -> (documents seen, term -> document frequency): the clusterer's incremental statistics
Stats = dict[str, tuple[int, dict[str, int]]]


@dataclass(frozen=True)
class ClusterState:
    """What the story stage resumes from: the statistics, every story id (reserved), the merges, and the
    stories that new articles could join, each with its sequence number, members and storyline."""

    stats: Stats
    story_ids: frozenset[str]
    story_merges: Mapping[str, str]  # absorbed -> survivor
    storyline_merges: tuple[tuple[str, str], ...]  # (absorbed, survivor)
    active: tuple[tuple[str, int, tuple[str, ...]], ...]  # (story id, seq, member article ids)
    storylines: Mapping[str, str]  # active story -> its storyline


@dataclass(frozen=True)
class StoryUpdate:
    """What one run of the story stage (and the dedup stage within the changed stories) produced.

    ``stories`` replace their stored rows and members; ``links`` (story id -> its duplicate and rewrite
    links) replace the stored links of those stories; merges, storyline merges and links already stored
    are skipped; ``stats`` replace the stored statistics. ``replace_all`` (recluster) first clears every
    story, member, link and storyline assignment; ``splits`` are (old story, new story, articles moved)."""

    stories: tuple[Story, ...]
    seqs: Mapping[str, int]
    merges: tuple[Merge, ...] = ()
    storylines: Mapping[str, str] = field(default_factory=dict)
    storyline_merges: tuple[StorylineMerge, ...] = ()
    storyline_links: tuple[StorylineLink, ...] = ()
    stats: Stats = field(default_factory=dict)
    links: Mapping[str, tuple[Sequence[DuplicateLink], Sequence[RewriteLink]]] = field(default_factory=dict)
    replace_all: bool = False
    splits: tuple[tuple[str, str, int], ...] = ()


def ensure_stories_schema(store: SqlStore) -> None:
    """Kept for old callers: the story tables exist from a store's first open (``store.schema``)."""


# ---------------------------------------------------------------------- the stage's state


def cluster_state(
    store: SqlStore, window: tuple[datetime, datetime] | None = None, members: bool = True
) -> ClusterState:
    """The stored state; ``active``: the stories whose time span meets ``window`` (or is unknown), every
    story without a window, none without ``members``."""
    stats: Stats = {}
    for channel, n in store.query("SELECT channel, n FROM cluster_meta"):
        stats[channel] = (int(n), {})
    for channel, term, df in store.stream("SELECT channel, term, df FROM cluster_df", (), 100_000):
        stats.setdefault(channel, (0, {}))[1][term] = int(df)
    story_ids = frozenset(r[0] for r in store.query("SELECT id FROM stories"))
    merges = dict(store.query("SELECT absorbed, survivor FROM story_merges ORDER BY merged_at, absorbed"))
    active: list[tuple[str, int, tuple[str, ...]]] = []
    lines: dict[str, str] = {}
    if members:
        sql, params = "SELECT id, seq FROM stories", []
        if window is not None:
            sql += " WHERE last_seen IS NULL OR (last_seen >= ? AND first_seen <= ?)"
            params = list(window)
        rows = sorted(store.query(sql, params), key=lambda r: (r[1], r[0]))
        held = _members(store, [sid for sid, _ in rows])
        active = [(sid, int(seq), tuple(held.get(sid, ()))) for sid, seq in rows]
        lines = storylines_of(store, [sid for sid, _ in rows])
    return ClusterState(stats, story_ids, merges, tuple(stored_storyline_merges(store)), tuple(active), lines)


def story_assignment(store: SqlStore) -> dict[str, str]:
    """Article id -> the story holding it."""
    return dict(store.query("SELECT article_id, story_id FROM story_articles ORDER BY article_id"))


def _members(store: SqlStore, story_ids: Sequence[str]) -> dict[str, list[str]]:
    if not story_ids:
        return {}
    rows = store.query(
        f"SELECT story_id, article_id FROM story_articles WHERE story_id IN {IDS} ORDER BY article_id",
        [list(story_ids)],
    )
    out: dict[str, list[str]] = {}
    for sid, aid in rows:
        out.setdefault(sid, []).append(aid)
    return out


# ---------------------------------------------------------------------- saving


def save_stories(store: SqlStore, update: StoryUpdate) -> None:
    """Write ``update`` in one transaction (see :class:`StoryUpdate`)."""
    stories = list(update.stories)
    with store.transaction():
        if update.replace_all:
            for table in ("stories", "story_articles", "duplicates", "rewrites"):
                store.execute(f"DELETE FROM {table}")
        _replace_stories(store, stories, update.seqs)
        known = {tuple(r) for r in store.query("SELECT survivor, absorbed FROM story_merges")}
        new_merges = [m for m in update.merges if (m.survivor, m.absorbed) not in known]
        now = datetime.now(UTC)
        store.insert_arrow(
            "story_merges",
            pa.table(
                {
                    "survivor": [m.survivor for m in new_merges],
                    "absorbed": [m.absorbed for m in new_merges],
                    "article_id": [m.article_id for m in new_merges],
                    "similarity": pa.array([m.similarity for m in new_merges], pa.float64()),
                    "merged_at": pa.array([now] * len(new_merges), pa.timestamp("us", tz="UTC")),
                }
            ),
        )
        absorbed = [m.absorbed for m in new_merges]
        if absorbed:
            store.execute(f"DELETE FROM stories WHERE id IN {IDS}", [absorbed])
            for table in ("duplicates", "rewrites"):
                store.execute(f"DELETE FROM {table} WHERE story_id IN {IDS}", [absorbed])
        forget_stories(store, absorbed)
        save_storylines(
            store,
            update.storylines,
            update.storyline_merges,
            update.storyline_links,
            replace_all=update.replace_all,
        )
        if update.stats:
            _save_stats(store, update.stats)
        save_links(store, update.links)
        save_splits(store, update.splits)


def _replace_stories(store: SqlStore, stories: Sequence[Story], seqs: Mapping[str, int]) -> None:
    ids = [s.id for s in stories]
    aids = [a for s in stories for a in s.article_ids]
    store.execute(f"DELETE FROM stories WHERE id IN {IDS}", [ids])
    store.execute(f"DELETE FROM story_articles WHERE article_id IN {IDS}", [aids])
    ts = pa.timestamp("us", tz="UTC")
    now = datetime.now(UTC)
    store.insert_arrow(
        "stories",
        pa.table(
            {
                "id": ids,
                "seq": pa.array([seqs.get(s.id, 0) for s in stories], pa.int64()),
                "title": [s.title for s in stories],
                "n_articles": pa.array([len(s.article_ids) for s in stories], pa.int32()),
                "sources": [json.dumps(list(s.sources), ensure_ascii=False) for s in stories],
                "first_seen": pa.array([s.first_seen for s in stories], ts),
                "last_seen": pa.array([s.last_seen for s in stories], ts),
                "updated_at": pa.array([now] * len(stories), ts),
            }
        ),
    )
    store.insert_arrow(
        "story_articles",
        pa.table({"article_id": aids, "story_id": [s.id for s in stories for _ in s.article_ids]}),
    )


def _save_stats(store: SqlStore, stats: Stats) -> None:
    store.execute("DELETE FROM cluster_df")
    store.execute("DELETE FROM cluster_meta")
    rows = [(name, t, df) for name in CHANNELS if name in stats for t, df in stats[name][1].items()]
    store.insert_arrow(
        "cluster_df",
        pa.table(
            {
                "channel": [r[0] for r in rows],
                "term": [r[1] for r in rows],
                "df": pa.array([r[2] for r in rows], pa.int64()),
            }
        ),
    )
    names = [c for c in CHANNELS if c in stats]
    store.insert_arrow(
        "cluster_meta", pa.table({"channel": names, "n": pa.array([stats[c][0] for c in names], pa.int64())})
    )


def save_links(
    store: SqlStore, links: Mapping[str, tuple[Sequence[DuplicateLink], Sequence[RewriteLink]]]
) -> None:
    """Replace the duplicate and rewrite links of each story in ``links``."""
    if not links:
        return
    ids = list(links)
    store.execute(f"DELETE FROM duplicates WHERE story_id IN {IDS}", [ids])
    store.execute(f"DELETE FROM rewrites WHERE story_id IN {IDS}", [ids])
    dups = [(sid, d) for sid, (ds, _) in links.items() for d in ds]
    rws = [(sid, r) for sid, (_, rs) in links.items() for r in rs]
    store.insert_arrow(
        "duplicates",
        pa.table(
            {
                "story_id": [sid for sid, _ in dups],
                "a": [d.a for _, d in dups],
                "b": [d.b for _, d in dups],
                "kind": [d.kind for _, d in dups],
                "similarity": pa.array([d.similarity for _, d in dups], pa.float64()),
            }
        ),
    )
    store.insert_arrow(
        "rewrites",
        pa.table(
            {
                "story_id": [sid for sid, _ in rws],
                "original": [r.original for _, r in rws],
                "derived": [r.derived for _, r in rws],
                "direction": [r.direction for _, r in rws],
                "share": pa.array([r.share for _, r in rws], pa.float64()),
                "share_original": pa.array([r.share_original for _, r in rws], pa.float64()),
                "syndicated": pa.array([r.syndicated for _, r in rws], pa.bool_()),
                "similarity": pa.array([r.similarity for _, r in rws], pa.float64()),
                "original_spans": [_spans_json(r.original_spans) for _, r in rws],
                "derived_spans": [_spans_json(r.derived_spans) for _, r in rws],
            }
        ),
    )


def _utc(value: Any) -> datetime | None:
    return value.astimezone(UTC) if isinstance(value, datetime) else None


def _spans_json(spans: Sequence[Span]) -> str:
    return json.dumps([[s.start, s.end] for s in spans])


# ---------------------------------------------------------------------- reading


def list_stories(store: SqlStore) -> list[Story]:
    """Every stored story, largest first."""
    members = dict.fromkeys([r[0] for r in store.query("SELECT id FROM stories")])
    rows = store.query(
        "SELECT s.story_id, s.article_id FROM story_articles s LEFT JOIN articles a ON a.id = s.article_id "
        "ORDER BY a.published_at NULLS LAST, s.article_id"
    )
    by_story: dict[str, list[str]] = {sid: [] for sid in members}
    for sid, aid in rows:
        by_story.setdefault(sid, []).append(aid)
    lines = storylines_of(store, list(members))
    out = []
    for r in store.query(
        "SELECT id, title, sources, first_seen, last_seen FROM stories ORDER BY n_articles DESC, id"
    ):
        out.append(
            Story(
                id=r[0],
                article_ids=tuple(by_story.get(r[0], [])),
                title=r[1],
                sources=tuple(json.loads(r[2] or "[]")),
                first_seen=_utc(r[3]),
                last_seen=_utc(r[4]),
                storyline_id=lines[r[0]],
            )
        )
    return out


def get_story(store: SqlStore, story_id: str) -> Story:
    """One story by id or unique id prefix; a merged story's id leads to the story it was merged into."""
    merged = dict(store.query("SELECT absorbed, survivor FROM story_merges"))
    sid, seen = story_id, set()
    while sid in merged and sid not in seen:
        seen.add(sid)
        sid = merged[sid]
    # one story read, not all of them: the web app reads a story on every story page and comparison
    hits = [r[0] for r in store.query("SELECT id FROM stories WHERE starts_with(id, ?)", [sid])]
    if sid in hits:
        return _one_story(store, sid)
    if len(hits) == 1:
        return _one_story(store, hits[0])
    raise NotFoundError(
        f"no story {story_id!r}" if not hits else f"story id prefix {story_id!r} is ambiguous"
    )


def _one_story(store: SqlStore, sid: str) -> Story:
    """The stored story ``sid`` as :func:`list_stories` gives it."""
    r = store.query("SELECT id, title, sources, first_seen, last_seen FROM stories WHERE id = ?", [sid])[0]
    members = store.query(
        "SELECT s.article_id FROM story_articles s LEFT JOIN articles a ON a.id = s.article_id "
        "WHERE s.story_id = ? ORDER BY a.published_at NULLS LAST, s.article_id",
        [sid],
    )
    return Story(
        id=r[0],
        article_ids=tuple(m[0] for m in members),
        title=r[1],
        sources=tuple(json.loads(r[2] or "[]")),
        first_seen=_utc(r[3]),
        last_seen=_utc(r[4]),
        storyline_id=storylines_of(store, [sid])[sid],
    )


def story_merges(store: SqlStore) -> list[tuple[str, str, str, float]]:
    rows = store.query(
        "SELECT survivor, absorbed, article_id, similarity FROM story_merges ORDER BY merged_at, absorbed"
    )
    return [(r[0], r[1], r[2], float(r[3])) for r in rows]


def story_links(store: SqlStore, story_id: str) -> dict[str, list[dict[str, Any]]]:
    """The duplicate and rewrite links stored for one story, as plain dicts."""
    dups = store.query(
        "SELECT a, b, kind, similarity FROM duplicates WHERE story_id = ? ORDER BY a, b", [story_id]
    )
    rws = store.query(
        "SELECT original, derived, direction, share, share_original, syndicated, similarity, "
        "original_spans, derived_spans FROM rewrites WHERE story_id = ? ORDER BY original, derived",
        [story_id],
    )
    return {
        "duplicates": [{"a": r[0], "b": r[1], "kind": r[2], "similarity": r[3]} for r in dups],
        "rewrites": [
            {
                "original": r[0],
                "derived": r[1],
                "direction": r[2],
                "share": r[3],
                "share_original": r[4],
                "syndicated": r[5],
                "similarity": r[6],
                "original_spans": json.loads(r[7]),
                "derived_spans": json.loads(r[8]),
            }
            for r in rws
        ],
    }
