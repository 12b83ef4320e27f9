"""Stories in the store: membership, merges, duplicate and rewrite links, clustering statistics.

The incremental clusterer's state is rebuilt from the store on each run, cheaply: the term statistics
(document frequencies per channel) are kept in ``cluster_df``/``cluster_meta``, and only the stories
that can still receive the new articles (those active within the time window around them) are rebuilt
from their articles. Story ids never change; a merge is a row in ``story_merges``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

from newsweave.cluster import ClusterOptions, StoryClusterer
from newsweave.cluster.batch import cluster_batch_links
from newsweave.cluster.features import raw_features
from newsweave.dedup import DedupOptions, find_duplicates, find_rewrites
from newsweave.errors import NotFoundError
from newsweave.model import Article, Span, Story
from newsweave.store.analysis import entity_keys
from newsweave.store.duck import Store
from newsweave.store.history import dissolved_as_merges, ensure_history_schema, save_splits
from newsweave.store.storylines import (
    ensure_storylines_schema,
    forget_stories,
    save_storylines,
    stored_storyline_merges,
    storylines_of,
)

log = logging.getLogger(__name__)

STORIES_DDL = """
CREATE TABLE IF NOT EXISTS stories (
    id VARCHAR PRIMARY KEY,
    seq BIGINT,
    title VARCHAR,
    n_articles INTEGER,
    sources VARCHAR,
    first_seen TIMESTAMPTZ,
    last_seen TIMESTAMPTZ,
    updated_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS story_articles (
    article_id VARCHAR PRIMARY KEY,
    story_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS story_merges (
    survivor VARCHAR,
    absorbed VARCHAR,
    article_id VARCHAR,
    similarity DOUBLE,
    merged_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS duplicates (
    story_id VARCHAR,
    a VARCHAR,
    b VARCHAR,
    kind VARCHAR,
    similarity DOUBLE
);
CREATE TABLE IF NOT EXISTS rewrites (
    story_id VARCHAR,
    original VARCHAR,
    derived VARCHAR,
    direction VARCHAR,
    share DOUBLE,
    share_original DOUBLE,
    syndicated BOOLEAN,
    similarity DOUBLE,
    original_spans VARCHAR,
    derived_spans VARCHAR
);
CREATE TABLE IF NOT EXISTS cluster_df (
    channel VARCHAR,
    term VARCHAR,
    df BIGINT
);
CREATE TABLE IF NOT EXISTS cluster_meta (
    channel VARCHAR PRIMARY KEY,
    n BIGINT
);
"""

_CHANNELS = ("body", "head", "ent")


def ensure_stories_schema(store: Store) -> None:
    store.ensure_schema(STORIES_DDL)
    ensure_storylines_schema(store)
    ensure_history_schema(store)


# ---------------------------------------------------------------------- loading


def load_clusterer(
    store: Store, around: Sequence[Article] = (), options: ClusterOptions | None = None
) -> StoryClusterer:
    """A clusterer with the stored statistics and the stories that ``around`` articles could join.

    With no ``around`` articles, or when one of them is undated, every story is rebuilt.
    """
    ensure_stories_schema(store)
    c = StoryClusterer(options)
    con = store.con
    for channel, n in con.execute("SELECT channel, n FROM cluster_meta").fetchall():
        if channel in c.stats:
            c.stats[channel].n = int(n)
    for channel, term, df in con.execute("SELECT channel, term, df FROM cluster_df").fetchall():
        if channel in c.stats:
            c.stats[channel].df[term] = int(df)
    for absorbed, survivor in con.execute("SELECT absorbed, survivor FROM story_merges").fetchall():
        c.merged_into[absorbed] = survivor
    sql = "SELECT id, seq FROM stories"
    params: list[Any] = []
    times = [a.published_utc for a in around]
    if times and all(t is not None for t in times):
        window = timedelta(days=c.options.window_days)
        lo = min(t for t in times if t is not None) - window
        hi = max(t for t in times if t is not None) + window
        sql += " WHERE last_seen IS NULL OR (last_seen >= ? AND first_seen <= ?)"
        params = [lo, hi]
    active = con.execute(sql, params).fetchall()
    c.reserved_ids.update(r[0] for r in con.execute("SELECT id FROM stories").fetchall())
    members = _members(store, [sid for sid, _ in active])
    member_ids = [aid for ids in members.values() for aid in ids]
    arts = {a.id: a for a in store.get_articles(member_ids)}
    ents = entity_keys(store, member_ids)
    lines = storylines_of(store, [sid for sid, _ in active])
    for absorbed, survivor in stored_storyline_merges(store):
        c.storylines.merged_into[absorbed] = survivor
    for sid, seq in sorted(active, key=lambda r: r[1]):
        c.restore_story(
            sid, int(seq), [arts[a] for a in members.get(sid, []) if a in arts], ents, storyline=lines[sid]
        )
    c.touched.clear()
    log.info("clusterer loaded: %d active stories of %d", len(active), len(c.reserved_ids))
    return c


def _members(store: Store, story_ids: Sequence[str]) -> dict[str, list[str]]:
    if not story_ids:
        return {}
    store.con.register("_nw_sids", pa.table({"id": list(story_ids)}))
    try:
        rows = store.con.execute(
            "SELECT s.story_id, s.article_id FROM story_articles s JOIN _nw_sids i ON s.story_id = i.id"
        ).fetchall()
    finally:
        store.con.unregister("_nw_sids")
    out: dict[str, list[str]] = {}
    for sid, aid in rows:
        out.setdefault(sid, []).append(aid)
    return out


# ---------------------------------------------------------------------- saving


def save_stories(
    store: Store,
    clusterer: StoryClusterer,
    dedup: DedupOptions | None = None,
    links: bool = True,
    everything: bool = False,
) -> None:
    """Write the stories changed since load (all with ``everything``), the merges and the statistics,
    and recompute the duplicate and rewrite links inside the changed stories."""
    ensure_stories_schema(store)
    stories = [s for s in clusterer.to_stories() if everything or s.id in clusterer.touched]
    seqs = {s.id: s.seq for s in clusterer.stories.values()}
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        _replace_stories(store, stories, seqs)
        known = {tuple(r) for r in con.execute("SELECT survivor, absorbed FROM story_merges").fetchall()}
        new_merges = [m for m in clusterer.merges if (m.survivor, m.absorbed) not in known]
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
        for m in new_merges:
            for table in ("stories", "duplicates", "rewrites"):
                column = "id" if table == "stories" else "story_id"
                con.execute(f"DELETE FROM {table} WHERE {column} = ?", [m.absorbed])
        forget_stories(store, [m.absorbed for m in new_merges])
        save_storylines(
            store,
            {s.id: clusterer.storyline_of(s.id) for s in stories},
            clusterer.storylines.merges,
            clusterer.storylines.links,
            replace_all=everything,
        )
        _save_stats(store, clusterer)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    if links:
        save_links(store, stories, dedup)
    clusterer.touched.clear()


def _replace_stories(store: Store, stories: Sequence[Story], seqs: dict[str, int]) -> None:
    con = store.con
    ids = [s.id for s in stories]
    aids = [a for s in stories for a in s.article_ids]
    con.register("_nw_del", pa.table({"id": ids}))
    con.register("_nw_adel", pa.table({"id": aids}))
    try:
        con.execute("DELETE FROM stories WHERE id IN (SELECT id FROM _nw_del)")
        con.execute("DELETE FROM story_articles WHERE article_id IN (SELECT id FROM _nw_adel)")
    finally:
        con.unregister("_nw_del")
        con.unregister("_nw_adel")
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


def _save_stats(store: Store, clusterer: StoryClusterer) -> None:
    con = store.con
    con.execute("DELETE FROM cluster_df")
    con.execute("DELETE FROM cluster_meta")
    ch, terms, dfs = [], [], []
    for name in _CHANNELS:
        stats = clusterer.stats[name]
        for t, df in stats.df.items():
            ch.append(name)
            terms.append(t)
            dfs.append(df)
    store.insert_arrow(
        "cluster_df", pa.table({"channel": ch, "term": terms, "df": pa.array(dfs, pa.int64())})
    )
    store.insert_arrow(
        "cluster_meta",
        pa.table(
            {"channel": list(_CHANNELS), "n": pa.array([clusterer.stats[c].n for c in _CHANNELS], pa.int64())}
        ),
    )


def save_links(store: Store, stories: Iterable[Story], dedup: DedupOptions | None = None) -> None:
    """Recompute the duplicate and rewrite links inside each story (the deep work runs per story)."""
    con = store.con
    for s in stories:
        con.execute("DELETE FROM duplicates WHERE story_id = ?", [s.id])
        con.execute("DELETE FROM rewrites WHERE story_id = ?", [s.id])
        if len(s.article_ids) < 2:
            continue
        arts = store.get_articles(list(s.article_ids))
        dups = find_duplicates(arts, dedup)
        rws = find_rewrites(arts, dedup, duplicates=dups)
        store.insert_arrow(
            "duplicates",
            pa.table(
                {
                    "story_id": [s.id] * len(dups),
                    "a": [d.a for d in dups],
                    "b": [d.b for d in dups],
                    "kind": [d.kind for d in dups],
                    "similarity": pa.array([d.similarity for d in dups], pa.float64()),
                }
            ),
        )
        store.insert_arrow(
            "rewrites",
            pa.table(
                {
                    "story_id": [s.id] * len(rws),
                    "original": [r.original for r in rws],
                    "derived": [r.derived for r in rws],
                    "direction": [r.direction for r in rws],
                    "share": pa.array([r.share for r in rws], pa.float64()),
                    "share_original": pa.array([r.share_original for r in rws], pa.float64()),
                    "syndicated": pa.array([r.syndicated for r in rws], pa.bool_()),
                    "similarity": pa.array([r.similarity for r in rws], pa.float64()),
                    "original_spans": [_spans_json(r.original_spans) for r in rws],
                    "derived_spans": [_spans_json(r.derived_spans) for r in rws],
                }
            ),
        )


def _spans_json(spans: Sequence[Span]) -> str:
    return json.dumps([[s.start, s.end] for s in spans])


# ---------------------------------------------------------------------- the add / recluster entry points


def assign_stories(
    store: Store, new_articles: Sequence[Article], options: ClusterOptions | None = None
) -> dict[str, str]:
    """Cluster newly stored articles into the stored stories: load state, add, save. Article id -> story id."""
    if not new_articles:
        return {}
    clusterer = load_clusterer(store, new_articles, options)
    mapping = clusterer.add_many(new_articles, entities=entity_keys(store, [a.id for a in new_articles]))
    save_stories(store, clusterer)
    return {aid: clusterer.resolve(sid) for aid, sid in mapping.items()}


def recluster(store: Store, options: ClusterOptions | None = None) -> list[Story]:
    """Batch re-clustering of every stored article; surviving stories keep their ids."""
    ensure_stories_schema(store)
    previous = dict(store.con.execute("SELECT article_id, story_id FROM story_articles").fetchall())
    previous_lines = storylines_of(store)
    articles = list(store.iter_articles())
    ents = entity_keys(store, [a.id for a in articles])
    absorbed = [a for a, _ in stored_storyline_merges(store)]
    merged_away = [r[0] for r in store.con.execute("SELECT absorbed FROM story_merges").fetchall()]
    stories, links = cluster_batch_links(
        articles,
        options,
        entities=ents,
        previous=previous,
        previous_storylines=previous_lines,
        reserved_storylines=absorbed,
        reserved_stories=merged_away,
    )
    clusterer = StoryClusterer(options)
    clusterer.observe(raw_features(a, ents.get(a.id)) for a in articles)
    by_id = {a.id: a for a in articles}
    for seq, s in enumerate(sorted(stories, key=lambda s: (s.first_seen is None, s.first_seen, s.id))):
        clusterer.restore_story(s.id, seq, [by_id[a] for a in s.article_ids], ents, s.storyline_id)
    clusterer.storylines.links.extend(links)
    clusterer.merges.extend(dissolved_as_merges(previous, stories))
    store.con.execute("DELETE FROM stories")
    store.con.execute("DELETE FROM story_articles")
    store.con.execute("DELETE FROM duplicates")
    store.con.execute("DELETE FROM rewrites")
    save_stories(store, clusterer, everything=True)
    save_splits(store, previous, stories)
    return clusterer.to_stories()


# ---------------------------------------------------------------------- reading


def list_stories(store: Store) -> list[Story]:
    """Every stored story, largest first."""
    ensure_stories_schema(store)
    members = dict.fromkeys([r[0] for r in store.con.execute("SELECT id FROM stories").fetchall()])
    rows = store.con.execute(
        "SELECT s.story_id, s.article_id FROM story_articles s LEFT JOIN articles a ON a.id = s.article_id "
        "ORDER BY a.published_at NULLS LAST, s.article_id"
    ).fetchall()
    by_story: dict[str, list[str]] = {sid: [] for sid in members}
    for sid, aid in rows:
        by_story.setdefault(sid, []).append(aid)
    lines = storylines_of(store, list(members))
    out = []
    for r in store.con.execute(
        "SELECT id, title, sources, first_seen, last_seen FROM stories ORDER BY n_articles DESC, id"
    ).fetchall():
        out.append(
            Story(
                id=r[0],
                article_ids=tuple(by_story.get(r[0], [])),
                title=r[1],
                sources=tuple(json.loads(r[2] or "[]")),
                first_seen=r[3],
                last_seen=r[4],
                storyline_id=lines[r[0]],
            )
        )
    return out


def get_story(store: Store, story_id: str) -> Story:
    """One story by id or unique id prefix; a merged story's id leads to the story it was merged into."""
    ensure_stories_schema(store)
    merged = dict(store.con.execute("SELECT absorbed, survivor FROM story_merges").fetchall())
    sid, seen = story_id, set()
    while sid in merged and sid not in seen:
        seen.add(sid)
        sid = merged[sid]
    # one story read, not all of them: the web app reads a story on every story page and comparison
    hits = [
        r[0] for r in store.con.execute("SELECT id FROM stories WHERE starts_with(id, ?)", [sid]).fetchall()
    ]
    if sid in hits:
        return _one_story(store, sid)
    if len(hits) == 1:
        return _one_story(store, hits[0])
    raise NotFoundError(
        f"no story {story_id!r}" if not hits else f"story id prefix {story_id!r} is ambiguous"
    )


def _one_story(store: Store, sid: str) -> Story:
    """The stored story ``sid`` as :func:`list_stories` gives it."""
    r = store.con.execute(
        "SELECT id, title, sources, first_seen, last_seen FROM stories WHERE id = ?", [sid]
    ).fetchall()[0]
    members = store.con.execute(
        "SELECT s.article_id FROM story_articles s LEFT JOIN articles a ON a.id = s.article_id "
        "WHERE s.story_id = ? ORDER BY a.published_at NULLS LAST, s.article_id",
        [sid],
    ).fetchall()
    return Story(id=r[0], article_ids=tuple(m[0] for m in members), title=r[1],
                 sources=tuple(json.loads(r[2] or "[]")), first_seen=r[3], last_seen=r[4],
                 storyline_id=storylines_of(store, [sid])[sid])  # fmt: skip


def story_merges(store: Store) -> list[tuple[str, str, str, float]]:
    ensure_stories_schema(store)
    rows = store.con.execute(
        "SELECT survivor, absorbed, article_id, similarity FROM story_merges ORDER BY merged_at"
    ).fetchall()
    return [(r[0], r[1], r[2], float(r[3])) for r in rows]


def story_links(store: Store, story_id: str) -> dict[str, list[dict[str, Any]]]:
    """The duplicate and rewrite links stored for one story, as plain dicts."""
    ensure_stories_schema(store)
    dups = store.con.execute(
        "SELECT a, b, kind, similarity FROM duplicates WHERE story_id = ?", [story_id]
    ).fetchall()
    rws = store.con.execute(
        "SELECT original, derived, direction, share, share_original, syndicated, similarity, "
        "original_spans, derived_spans FROM rewrites WHERE story_id = ?",
        [story_id],
    ).fetchall()
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
