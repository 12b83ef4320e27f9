"""Batch re-clustering: average linkage over the same combined similarity the incremental path uses.

Events first (the similarity with the event gate and the headlines' event classes, cut at
``batch_threshold``), then storylines: average linkage over the events with the ungated similarity on
the storyline time scale, cut at ``storyline_threshold`` (``cluster/storylines.py``).

For up to ``MAX_DENSE`` articles the full similarity matrix is built (sparse TF-IDF products) and cut
with scipy's average linkage; beyond that the incremental clusterer runs over the whole set in time
order. Story ids are carried over from a previous assignment where the stories overlap, so re-clustering
renames nothing that survives.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from newsweave.cluster.clusterer import StoryClusterer, _embed_text, arrival_key, story_id_for
from newsweave.cluster.features import DocFreq, RawFeatures, raw_features, signature
from newsweave.cluster.headline import story_headline
from newsweave.cluster.options import ClusterOptions
from newsweave.cluster.storylines import StorylineLink, link_events, name_storylines, shared_evidence
from newsweave.dedup.near import unique_by_id
from newsweave.model import Article, Story

log = logging.getLogger(__name__)
MAX_DENSE = 4000  # 4000^2 float64 = 128 MB per matrix: above this, the incremental path
_DAY = 86400.0


def _tfidf_matrix(counts: Sequence[Counter[str]]) -> sparse.csr_matrix:
    stats = DocFreq()
    for c in counts:
        stats.add(c)
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, c in enumerate(counts):
        for t, n in c.items():
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append((1.0 + np.log(n)) * stats.idf(t))
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(counts), max(len(vocab), 1)))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)


def similarity_matrix(
    raws: Sequence[RawFeatures],
    options: ClusterOptions,
    embeddings: np.ndarray | None = None,
    level: str = "event",
) -> np.ndarray:
    """The combined article x article similarity (channels, embeddings if given, time factor), with the
    event gate (``level="event"``) or without it on the storyline time scale (``"storyline"``)."""
    o = options
    mats = [_tfidf_matrix([getattr(r, ch) for r in raws]) for ch in ("body", "head", "entities")]
    sims = [(m @ m.T).toarray() for m in mats]
    s = o.body_weight * sims[0] + o.head_weight * sims[1] + o.entity_weight * sims[2]
    if embeddings is not None:
        centred = (embeddings @ embeddings.T - o.embedding_floor) / (1 - o.embedding_floor)
        s = (1 - o.embedding_weight) * s + o.embedding_weight * centred
    times = np.array([np.nan if r.time is None else r.time for r in raws])
    gap = np.abs(times[:, None] - times[None, :]) / _DAY
    scale = o.time_scale_days if level == "event" else o.storyline_time_scale_days
    factor = 1 - o.time_weight + o.time_weight * np.exp(-gap / scale)
    s = s * np.where(np.isnan(factor), 1.0, factor)
    need = o.signature_shared if level == "event" else o.storyline_signature_shared
    if need > 0:
        s = s * np.minimum(1.0, _signature_overlap(raws, mats[0], o) / need)
    if level == "event" and o.event_clash_factor != 1.0:
        s = np.where(_event_clash(raws), s * o.event_clash_factor, s)
    return np.asarray(s)


def _event_clash(raws: Sequence[RawFeatures]) -> np.ndarray:
    """Pairs of articles whose headlines both name event classes and none in common (cluster/events.py)."""
    names = sorted({c for r in raws for c in r.events})
    m = np.zeros((len(raws), max(len(names), 1)))
    col = {c: j for j, c in enumerate(names)}
    for i, r in enumerate(raws):
        for c in r.events:
            m[i, col[c]] = 1.0
    has = np.asarray(m.any(axis=1))
    return np.asarray((m @ m.T == 0) & has[:, None] & has[None, :])


def _signature_overlap(raws: Sequence[RawFeatures], body: sparse.csr_matrix, o: ClusterOptions) -> np.ndarray:
    """Pairwise counts of shared signature terms (each article's heaviest body terms)."""
    rows, cols = [], []
    for i in range(len(raws)):
        row = body.getrow(i)
        weights = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        for t in signature(weights, o.signature_terms):
            rows.append(i)
            cols.append(t)
    m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=body.shape)
    return np.asarray((m @ m.T).toarray())


def cluster_batch(
    articles: Sequence[Article],
    options: ClusterOptions | None = None,
    entities: Mapping[str, Sequence[str]] | None = None,
    previous: Mapping[str, str] | None = None,
    embedder: Callable[[Sequence[str]], np.ndarray] | None = None,
    previous_storylines: Mapping[str, str] | None = None,
) -> list[Story]:
    """Cluster ``articles`` from scratch; ``previous`` (article id -> story id) keeps ids stable, and
    ``previous_storylines`` (story id -> storyline id) keeps storyline ids."""
    return cluster_batch_links(articles, options, entities, previous, embedder, previous_storylines)[0]


def cluster_batch_links(
    articles: Sequence[Article],
    options: ClusterOptions | None = None,
    entities: Mapping[str, Sequence[str]] | None = None,
    previous: Mapping[str, str] | None = None,
    embedder: Callable[[Sequence[str]], np.ndarray] | None = None,
    previous_storylines: Mapping[str, str] | None = None,
    reserved_storylines: Collection[str] = (),
    reserved_stories: Collection[str] = (),
) -> tuple[list[Story], list[StorylineLink]]:
    """:func:`cluster_batch`, with the storyline links and their evidence; new story and storyline ids
    avoid ``reserved_stories`` and ``reserved_storylines`` (ids merged away earlier)."""
    opts = options or ClusterOptions()
    arts = sorted(unique_by_id(articles), key=arrival_key)
    if not arts:
        return [], []
    if len(arts) > MAX_DENSE:
        clusterer = StoryClusterer(opts, embedder)
        clusterer.add_many(arts, entities=dict(entities or {}))
        stories = clusterer.to_stories()
        groups = [list(s.article_ids) for s in stories]
        line_of = {s.id: s.storyline_id or "" for s in stories}
        named = _stories(arts, groups, previous or {}, reserved_stories)
        # the clusterer's storylines, renamed with the new story ids
        by_first = {s.article_ids[0]: line_of[s.id] for s in stories}
        lines: dict[str, list[int]] = {}
        for i, st in enumerate(named):
            lines.setdefault(by_first.get(st.article_ids[0], st.id), []).append(i)
        return _with_storylines(
            named, list(lines.values()), previous_storylines or {}, reserved_storylines
        ), []
    raws = [raw_features(a, (entities or {}).get(a.id)) for a in arts]
    emb = embedder([_embed_text(a) for a in arts]) if (embedder and opts.use_embeddings) else None
    groups = _average_linkage(arts, similarity_matrix(raws, opts, emb), opts.batch_threshold)
    stories = _stories(arts, groups, previous or {}, reserved_stories)
    index = {a.id: i for i, a in enumerate(arts)}
    plain = similarity_matrix(raws, opts, emb, level="storyline")
    members = [[index[a] for a in s.article_ids] for s in stories]
    lines_idx = link_events(plain, members, opts.storyline_threshold)
    stories = _with_storylines(stories, lines_idx, previous_storylines or {}, reserved_storylines)
    return stories, _links(stories, members, lines_idx, plain, raws)


def _with_storylines(
    stories: Sequence[Story],
    lines: Sequence[Sequence[int]],
    previous: Mapping[str, str],
    reserved: Collection[str] = (),
) -> list[Story]:
    ordered = [sorted(line, key=lambda i: (_first_key(stories[i]), stories[i].id)) for line in lines]
    names = name_storylines([s.id for s in stories], ordered, previous, reserved)
    return [replace(s, storyline_id=names[s.id]) for s in stories]


def _first_key(s: Story) -> tuple[bool, float]:
    return (s.first_seen is None, s.first_seen.timestamp() if s.first_seen else 0.0)


def _links(
    stories: Sequence[Story],
    members: Sequence[Sequence[int]],
    lines: Sequence[Sequence[int]],
    plain: np.ndarray,
    raws: Sequence[RawFeatures],
) -> list[StorylineLink]:
    """Evidence of each batch storyline: every event after the first is linked to the earlier event of
    its storyline it is most similar to, with the entities and terms they share most."""
    ent = _tfidf_matrix([r.entities for r in raws])
    body = _tfidf_matrix([r.body for r in raws])
    ent_vocab = _vocab([r.entities for r in raws])
    body_vocab = _vocab([r.body for r in raws])
    out = []
    for line in lines:
        order = sorted(line, key=lambda i: (_first_key(stories[i]), stories[i].id))
        for k in range(1, len(order)):
            e = order[k]
            sims = [float(plain[np.ix_(members[e], members[p])].mean()) for p in order[:k]]
            p = order[int(np.argmax(sims))]
            ents = shared_evidence(_sum(ent, members[p], ent_vocab), _sum(ent, members[e], ent_vocab))
            terms = shared_evidence(_sum(body, members[p], body_vocab), _sum(body, members[e], body_vocab))
            out.append(StorylineLink(stories[p].id, stories[e].id, round(max(sims), 4), ents, terms))
    return out


def _vocab(counts: Sequence[Counter[str]]) -> list[str]:
    vocab: dict[str, int] = {}
    for c in counts:
        for t in c:
            vocab.setdefault(t, len(vocab))
    return list(vocab)


def _sum(m: sparse.csr_matrix, rows: Sequence[int], vocab: Sequence[str]) -> dict[str, float]:
    v = np.asarray(m[list(rows)].sum(axis=0)).ravel()
    return {vocab[int(j)]: float(v[j]) for j in np.flatnonzero(v)}


def _average_linkage(arts: Sequence[Article], sim: np.ndarray, threshold: float) -> list[list[str]]:
    if len(arts) == 1:
        return [[arts[0].id]]
    dist = np.clip(1.0 - (sim + sim.T) / 2, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    labels = fcluster(linkage(squareform(dist, checks=False), "average"), 1.0 - threshold, "distance")
    groups: dict[int, list[str]] = {}
    for a, lab in zip(arts, labels, strict=True):
        groups.setdefault(int(lab), []).append(a.id)
    return list(groups.values())


def _stories(
    arts: Sequence[Article],
    groups: list[list[str]],
    previous: Mapping[str, str],
    reserved: Collection[str] = (),
) -> list[Story]:
    by_id = {a.id: a for a in arts}
    # old ids go to the new groups they overlap most (largest overlaps first, each id used once)
    overlaps = []
    for gi, g in enumerate(groups):
        for old, n in Counter(previous[a] for a in g if a in previous).items():
            overlaps.append((-n, old, gi))
    names: dict[int, str] = {}
    used: set[str] = set(reserved)  # ids merged away earlier lead to their survivors: never reused
    for _, old, gi in sorted(overlaps):
        if gi not in names and old not in used:
            names[gi] = old
            used.add(old)
    out = []
    for gi, g in enumerate(groups):
        sid = names.get(gi)
        if sid is None:
            sid = story_id_for(g[0])
            while sid in used:
                sid += "x"
            used.add(sid)
        members = [by_id[a] for a in g]
        dated = [a.published_utc for a in members if a.published_utc]
        out.append(
            Story(
                id=sid,
                article_ids=tuple(g),
                title=story_headline(members),
                sources=tuple(dict.fromkeys(a.source for a in members if a.source)),
                first_seen=min(dated) if dated else None,
                last_seen=max(dated) if dated else None,
            )
        )
    return sorted(out, key=lambda s: (-len(s.article_ids), s.id))
