"""Claims: sentences aligned across sources.

Every pair of articles is compared sentence by sentence with the model of :mod:`newsweave.compare.align`
(one matrix product per pair). Links are one to one per pair of articles (most probable first) and are
merged into claims, at most one sentence per article. A claim is ``shared`` when its sentences are
linked with ``p >= SHARED_P`` (they say the same), ``partial`` when only with ``PARTIAL_P <= p < SHARED_P``
(they overlap: part of the content, or the same facts with a different slant), ``single`` when only one
source has it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsweave.compare import align
from newsweave.compare.result import Claim, Evidence
from newsweave.text import words
from newsweave.unionfind import DisjointSets


@dataclass(frozen=True)
class Sent:
    index: int  # article position
    start: int
    end: int
    text: str


def build_claims(
    sents: list[Sent],
    article_ids: list[str],
    sources: list[str],
    groups: list[int],
    embedder=None,
    shared_p: float | None = None,
    partial_p: float | None = None,
) -> list[Claim]:
    shared_p = align.SHARED_P if shared_p is None else shared_p
    partial_p = align.PARTIAL_P if partial_p is None else partial_p
    if not sents:
        return []
    feats = align.featurise([s.text for s in sents], None)
    by_art: dict[int, list[int]] = {}
    for i, s in enumerate(sents):
        by_art.setdefault(s.index, []).append(i)
    arts = sorted(by_art)
    if embedder is not None:
        _add_embeddings(feats, sents, by_art, arts, embedder, partial_p)
    edges: list[tuple[float, int, int]] = []
    for x in range(len(arts)):
        rows = by_art[arts[x]]
        fa = align.subset(feats, rows)
        for y in range(x + 1, len(arts)):
            cols = by_art[arts[y]]
            fb = align.subset(feats, cols)
            f = align.features(fa, fb)
            p = align.probability(f)
            cand = np.argwhere(((p >= partial_p) & align.related(f)) | _contained(fa, fb))
            order = sorted(((float(p[i, j]), int(i), int(j)) for i, j in cand), reverse=True)
            used_r: set[int] = set()
            used_c: set[int] = set()
            for pv, i, j in order:
                if i in used_r or j in used_c:
                    continue
                used_r.add(i)
                used_c.add(j)
                edges.append((pv, rows[i], cols[j]))
    edges.sort(reverse=True)
    sets = DisjointSets(range(len(sents)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(sents))}
    best: dict[int, float] = {i: 0.0 for i in range(len(sents))}
    weakest: dict[int, float] = {i: 1.0 for i in range(len(sents))}

    for pv, i, j in edges:
        ri, rj = sets.find(i), sets.find(j)
        if ri == rj:
            continue
        if {sents[k].index for k in members[ri]} & {sents[k].index for k in members[rj]}:
            continue
        sets.union(ri, rj)
        members[ri].extend(members.pop(rj))
        best[ri] = max(best[ri], best.pop(rj), pv)
        weakest[ri] = min(weakest[ri], weakest.pop(rj), pv)
    claims: list[Claim] = []
    for root, ms in members.items():
        ms.sort(key=lambda k: (sents[k].index, sents[k].start))
        idxs = sorted({sents[k].index for k in ms})
        if len(idxs) < 2:
            status = "single"
        elif best[root] >= shared_p:
            status = "shared"
        else:
            status = "partial"
        ev = tuple(
            Evidence(
                article_ids[sents[k].index],
                sources[sents[k].index],
                sents[k].start,
                sents[k].end,
                sents[k].text,
            )
            for k in ms
        )
        claims.append(
            Claim(
                id="",
                status=status,
                text=sents[ms[0]].text,
                evidence=ev,
                score=round(float(weakest[root] if len(idxs) > 1 else 1.0), 3),
                sources=tuple(sources[i] for i in idxs),
                independent_sources=len({groups[i] for i in idxs}),
            )
        )
    rank = {"shared": 0, "partial": 1, "single": 2}
    first = {
        c: (sents[min(m)].index, sents[min(m)].start)
        for c, m in zip(range(len(claims)), members.values(), strict=False)
    }
    ranked = sorted(
        range(len(claims)), key=lambda c: (rank[claims[c].status], -len(claims[c].sources), first[c])
    )
    return [_with_id(claims[c], n) for n, c in enumerate(ranked)]


def _contained(fa: align.SentenceSet, fb: align.SentenceSet) -> np.ndarray:
    """Pairs where the shorter sentence's content words are mostly in the longer one (a claim restated
    inside a longer sentence: "One of the scenarios is to give up territory." and the same words followed
    by "Klitschko told the BBC on Thursday ..."): at least CONTAINED_WORDS shared content stems, covering
    CONTAINED_SHARE of the shorter sentence. Such pairs are at least partial."""
    inter = np.asarray((fa.content @ fb.content.T).todense())
    na = np.asarray(fa.content.sum(axis=1)).ravel()
    nb = np.asarray(fb.content.sum(axis=1)).ravel()
    shorter = np.maximum(np.minimum.outer(na, nb), 1)
    return (inter >= CONTAINED_WORDS) & (inter / shorter >= CONTAINED_SHARE)


CONTAINED_WORDS = 3
CONTAINED_SHARE = 0.75


def _add_embeddings(feats, sents, by_art, arts, embedder, partial_p: float) -> None:
    """Embed only the sentences of pairs that pass the lexical gate and could reach ``partial_p`` at an
    embedding cosine of 1 (the embedding weights are positive, so this is exact); the others get a zero
    vector, which changes no decision. On a 10-article story this embeds about 30 of 350 sentences."""
    need = np.zeros(len(sents), dtype=bool)
    w = align.WEIGHTS_EMB
    for x in range(len(arts)):
        rows = by_art[arts[x]]
        fa = align.subset(feats, rows)
        for y in range(x + 1, len(arts)):
            cols = by_art[arts[y]]
            f = align.features(fa, align.subset(feats, cols))
            gate = align.related(f)
            f["emb"] = np.ones_like(f["lex"])
            ok = gate & (align.probability(f, w) >= partial_p)
            need[np.asarray(rows)[ok.any(axis=1)]] = True
            need[np.asarray(cols)[ok.any(axis=0)]] = True
    idx = np.flatnonzero(need)
    vecs = np.asarray(embedder([sents[i].text for i in idx]), dtype=np.float32) if len(idx) else None
    dim = vecs.shape[1] if vecs is not None else 384
    emb = np.zeros((len(sents), dim), dtype=np.float32)
    if vecs is not None:
        emb[idx] = vecs
    feats.emb = emb


def _with_id(c: Claim, n: int) -> Claim:
    return Claim(f"c{n + 1}", c.status, c.text, c.evidence, c.score, c.sources, c.independent_sources)


def long_enough(text: str, min_words: int) -> bool:
    return len(words(text)) >= min_words
