"""The story stage over a store: resume the incremental clusterer from the stored state, assign new
articles (or re-cluster everything), find the duplicate and rewrite links inside the changed stories (the
dedup stage), and hand the result to the store as one :class:`~newsweave.store.stories.StoryUpdate`.

The store only persists; the clustering and the dedup run here. A run holds the store's ``stories`` lock
from reading the pending articles to saving, so two ``add`` runs against one PostgreSQL database assign
each article once.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import timedelta

from newsweave.cluster.batch import cluster_batch_links
from newsweave.cluster.clusterer import Merge, StoryClusterer
from newsweave.cluster.features import DocFreq, raw_features
from newsweave.cluster.options import ClusterOptions
from newsweave.dedup import DedupOptions, find_duplicates, find_rewrites
from newsweave.dedup.types import DuplicateLink, RewriteLink
from newsweave.model import Article, Story
from newsweave.store import Store
from newsweave.store.stories import CHANNELS, Stats, StoryUpdate

log = logging.getLogger(__name__)


def load_clusterer(
    store: Store, around: Sequence[Article] = (), options: ClusterOptions | None = None
) -> StoryClusterer:
    """A clusterer with the stored statistics and the stories that ``around`` articles could join.

    With no ``around`` articles, or when one of them is undated, every story is rebuilt.
    """
    c = StoryClusterer(options)
    window = None
    times = [a.published_utc for a in around]
    if times and all(t is not None for t in times):
        span = timedelta(days=c.options.window_days)
        known = [t for t in times if t is not None]
        window = (min(known) - span, max(known) + span)
    state = store.cluster_state(window)
    for channel, (n, df) in state.stats.items():
        if channel in c.stats:
            c.stats[channel].n = n
            c.stats[channel].df.update(df)
    c.merged_into.update(state.story_merges)
    c.reserved_ids.update(state.story_ids)
    member_ids = [aid for _, _, ids in state.active for aid in ids]
    arts = {a.id: a for a in store.get_articles(member_ids)}
    ents = store.entity_keys(member_ids)
    for absorbed, survivor in state.storyline_merges:
        c.storylines.merged_into[absorbed] = survivor
    for sid, seq, ids in state.active:
        c.restore_story(sid, seq, [arts[a] for a in ids if a in arts], ents, storyline=state.storylines[sid])
    c.touched.clear()
    log.info("clusterer loaded: %d active stories of %d", len(state.active), len(c.reserved_ids))
    return c


def story_links(
    store: Store, stories: Sequence[Story], dedup: DedupOptions | None = None
) -> dict[str, tuple[list[DuplicateLink], list[RewriteLink]]]:
    """The dedup stage inside each story: its duplicate and rewrite links (none for a lone article)."""
    out: dict[str, tuple[list[DuplicateLink], list[RewriteLink]]] = {}
    for s in stories:
        if len(s.article_ids) < 2:
            out[s.id] = ([], [])
            continue
        arts = store.get_articles(list(s.article_ids))
        dups = find_duplicates(arts, dedup)
        out[s.id] = (dups, find_rewrites(arts, dedup, duplicates=dups))
    return out


def _stats(c: StoryClusterer) -> Stats:
    stats: dict[str, DocFreq] = c.stats
    return {name: (stats[name].n, dict(stats[name].df)) for name in CHANNELS}


def save_clusterer(
    store: Store,
    clusterer: StoryClusterer,
    dedup: DedupOptions | None = None,
    links: bool = True,
    everything: bool = False,
    splits: Sequence[tuple[str, str, int]] = (),
    known_links: Mapping[str, tuple[Sequence[DuplicateLink], Sequence[RewriteLink]]] | None = None,
) -> None:
    """Hand the stories changed since load (all with ``everything``, which replaces every stored story),
    their links, the merges and the statistics to the store. ``known_links`` (story id -> its duplicate
    and rewrite links, found elsewhere: the Spark job's import) are saved instead of running dedup."""
    stories = [s for s in clusterer.to_stories() if everything or s.id in clusterer.touched]
    update = StoryUpdate(
        stories=tuple(stories),
        seqs={s.id: s.seq for s in clusterer.stories.values()},
        merges=tuple(clusterer.merges),
        storylines={s.id: clusterer.storyline_of(s.id) for s in stories},
        storyline_merges=tuple(clusterer.storylines.merges),
        storyline_links=tuple(clusterer.storylines.links),
        stats=_stats(clusterer),
        links=known_links if known_links is not None else story_links(store, stories, dedup) if links else {},
        replace_all=everything,
        splits=tuple(splits),
    )
    store.save_stories(update)
    clusterer.touched.clear()


def assign_stories(
    store: Store, new_articles: Sequence[Article], options: ClusterOptions | None = None
) -> dict[str, str]:
    """Cluster newly stored articles into the stored stories: load state, add, save. Article id -> story
    id. Articles another writer assigned meanwhile are left as they are."""
    with store.lock("stories"):
        pending = set(store.pending_ids("stories"))
        new_articles = [a for a in new_articles if a.id in pending]
        if not new_articles:
            return {}
        clusterer = load_clusterer(store, new_articles, options)
        mapping = clusterer.add_many(new_articles, entities=store.entity_keys([a.id for a in new_articles]))
        save_clusterer(store, clusterer)
    return {aid: clusterer.resolve(sid) for aid, sid in mapping.items()}


def assign_pending(store: Store, options: ClusterOptions | None = None) -> dict[str, str]:
    """Assign every stored article that is in no story yet."""
    with store.lock("stories"):
        ids = store.pending_ids("stories")
        return assign_stories(store, store.get_articles(ids), options) if ids else {}


def recluster(store: Store, options: ClusterOptions | None = None) -> list[Story]:
    """Batch re-clustering of every stored article; surviving stories keep their ids."""
    with store.lock("stories"):
        previous = store.story_assignment()
        previous_lines = store.storylines_of()
        state = store.cluster_state(members=False)
        articles = list(store.iter_articles())
        ents = store.entity_keys([a.id for a in articles])
        stories, links = cluster_batch_links(
            articles,
            options,
            entities=ents,
            previous=previous,
            previous_storylines=previous_lines,
            reserved_storylines=[a for a, _ in state.storyline_merges],
            reserved_stories=list(state.story_merges),
        )
        clusterer = StoryClusterer(options)
        clusterer.observe(raw_features(a, ents.get(a.id)) for a in articles)
        by_id = {a.id: a for a in articles}
        for seq, s in enumerate(sorted(stories, key=lambda s: (s.first_seen is None, s.first_seen, s.id))):
            clusterer.restore_story(s.id, seq, [by_id[a] for a in s.article_ids], ents, s.storyline_id)
        clusterer.storylines.links.extend(links)
        clusterer.merges.extend(dissolved_as_merges(previous, stories))
        save_clusterer(store, clusterer, everything=True, splits=split_rows(previous, stories))
    return clusterer.to_stories()


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


def split_rows(previous: dict[str, str], stories: Sequence[Story]) -> list[tuple[str, str, int]]:
    """Where recluster split an old story: (old story, new story, articles moved), one row per new story
    holding some of its articles (other than the story that kept the old id)."""
    rows = []
    for s in stories:
        for old, n in sorted(Counter(previous[a] for a in s.article_ids if a in previous).items()):
            if old != s.id:
                rows.append((old, s.id, n))
    parents = Counter(old for old, _, _ in rows)
    ids = {s.id for s in stories}
    return [r for r in rows if parents[r[0]] > 1 or r[0] in ids]
