"""Batch re-clustering: average linkage over the same combined similarity the incremental path uses.

For up to ``MAX_DENSE`` articles the full similarity matrix is built (sparse TF-IDF products) and cut
with scipy's average linkage; beyond that the incremental clusterer runs over the whole set in time
order. Story ids are carried over from a previous assignment where the stories overlap, so re-clustering
renames nothing that survives.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from newsweave.cluster.clusterer import StoryClusterer, _embed_text, _time_key, story_id_for
from newsweave.cluster.features import DocFreq, RawFeatures, raw_features
from newsweave.cluster.options import ClusterOptions
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
    raws: Sequence[RawFeatures], options: ClusterOptions, embeddings: np.ndarray | None = None
) -> np.ndarray:
    """The combined article x article similarity (channels, embeddings if given, time factor)."""
    o = options
    mats = [_tfidf_matrix([getattr(r, ch) for r in raws]) for ch in ("body", "head", "entities")]
    sims = [(m @ m.T).toarray() for m in mats]
    s = o.body_weight * sims[0] + o.head_weight * sims[1] + o.entity_weight * sims[2]
    if embeddings is not None:
        centred = (embeddings @ embeddings.T - o.embedding_floor) / (1 - o.embedding_floor)
        s = (1 - o.embedding_weight) * s + o.embedding_weight * centred
    times = np.array([np.nan if r.time is None else r.time for r in raws])
    gap = np.abs(times[:, None] - times[None, :]) / _DAY
    factor = 1 - o.time_weight + o.time_weight * np.exp(-gap / o.time_scale_days)
    return np.asarray(s * np.where(np.isnan(factor), 1.0, factor))


def cluster_batch(
    articles: Sequence[Article],
    options: ClusterOptions | None = None,
    entities: Mapping[str, Sequence[str]] | None = None,
    previous: Mapping[str, str] | None = None,
    embedder: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> list[Story]:
    """Cluster ``articles`` from scratch; ``previous`` (article id -> story id) keeps ids stable."""
    opts = options or ClusterOptions()
    arts = sorted(unique_by_id(articles), key=_time_key)
    if not arts:
        return []
    if len(arts) > MAX_DENSE:
        clusterer = StoryClusterer(opts, embedder)
        clusterer.add_many(arts, entities=dict(entities or {}))
        groups = [list(s.article_ids) for s in clusterer.to_stories()]
    else:
        raws = [raw_features(a, (entities or {}).get(a.id)) for a in arts]
        emb = embedder([_embed_text(a) for a in arts]) if (embedder and opts.use_embeddings) else None
        groups = _average_linkage(arts, similarity_matrix(raws, opts, emb), opts.batch_threshold)
    return _stories(arts, groups, previous or {})


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


def _stories(arts: Sequence[Article], groups: list[list[str]], previous: Mapping[str, str]) -> list[Story]:
    by_id = {a.id: a for a in arts}
    # old ids go to the new groups they overlap most (largest overlaps first, each id used once)
    overlaps = []
    for gi, g in enumerate(groups):
        for old, n in Counter(previous[a] for a in g if a in previous).items():
            overlaps.append((-n, old, gi))
    names: dict[int, str] = {}
    used: set[str] = set()
    for _, old, gi in sorted(overlaps):
        if gi not in names and old not in used:
            names[gi], used = old, used | {old}
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
        titled = [a.title for a in members if a.title]
        out.append(
            Story(
                id=sid,
                article_ids=tuple(g),
                title=titled[0] if titled else None,
                sources=tuple(dict.fromkeys(a.source for a in members if a.source)),
                first_seen=min(dated) if dated else None,
                last_seen=max(dated) if dated else None,
            )
        )
    return sorted(out, key=lambda s: (-len(s.article_ids), s.id))
