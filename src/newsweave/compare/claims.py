"""Claims: what the sources state in common, and what only one of them states.

Sentences of different articles are linked when they state a fact in common (:mod:`newsweave.compare.facts`,
many to many: one sentence may share one fact with one sentence of another article and a second fact with
another). A claim gathers one sentence and the sentences it is linked to, so a row of the report reads
"this sentence, and where the other outlets state the same". A sentence with no link and no near-link is
``single`` ("only in one source"), and so is a claim whose articles are all one independent source (one
outlet's several articles, a wire story and its copies); a sentence with only a weak link is left
undecided rather than guessed.
Contradictions are not claims: they are the number conflicts (:mod:`newsweave.compare.numbers`), flagged on
the claims whose sentences carry them (``contradicts``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from newsweave.compare import align, facts
from newsweave.compare.result import Claim, Evidence
from newsweave.text import words


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
    link_p: float | None = None,
    model: facts.LinkModel | None = None,
    vectors: facts.SentenceVectors | None = None,
    single: facts.SingleModel | None | bool = True,
) -> list[Claim]:
    """Claims from fact links (:mod:`newsweave.compare.facts`): one claim per sentence that has links, made of
    that sentence and the sentences it links to in the other articles (its ``top_k`` strongest in each,
    and those that have it among theirs), identical member sets once. ``shared`` when every member says the
    same as the first (the paraphrase model of :mod:`newsweave.compare.align`, ``p >= shared_p``), else
    ``partial`` (they state a fact in common and differ in the rest). ``single`` only for a sentence whose every link probability stays under
    ``single_p``; sentences in between are left out of the claims (see :func:`undecided`)."""
    shared_p = align.SHARED_P if shared_p is None else shared_p
    if not sents:
        return []
    sv = vectors or facts.sentence_vectors([s.text for s in sents], embedder, [s.index for s in sents])
    if link_p is not None:  # a caller's own link threshold over the fitted model
        model = dataclasses.replace(model or facts.model_for(sv), link_p=link_p)
    links = facts.fact_links([s.index for s in sents], sv, model, single, [s.text for s in sents])
    nbrs: dict[int, list[int]] = {}
    for i, j in links.pairs:
        nbrs.setdefault(i, []).append(j)
        nbrs.setdefault(j, []).append(i)
    para = _paraphrase(sv, links.pairs)
    claims: list[tuple[tuple[int, int], Claim]] = []
    seen: set[frozenset[int]] = set()
    for i in range(len(sents)):
        if i in nbrs:
            members = frozenset([i, *nbrs[i]])
            if members in seen:
                continue
            seen.add(members)
            ms = sorted(members, key=lambda k: (sents[k].index, sents[k].start))
            same = all(para.get((min(i, j), max(i, j)), 0.0) >= shared_p for j in nbrs[i])
            weakest = min(links.pairs[(min(i, j), max(i, j))] for j in nbrs[i])
            status = "shared" if same else "partial"
        elif links.single[i]:
            ms, weakest, status = [i], 1.0, "single"
        else:
            continue
        idxs = sorted({sents[k].index for k in ms})
        if len({groups[a] for a in idxs}) == 1:
            status = "single"  # stated by several articles of one outlet, or a copy and its original
        ev = tuple(
            Evidence(article_ids[sents[k].index], sources[sents[k].index], sents[k].start, sents[k].end,
                     sents[k].text)
            for k in ms
        )  # fmt: skip
        claim = Claim("", status, sents[i].text, ev, round(float(weakest), 3),
                      tuple(sources[a] for a in idxs), len({groups[a] for a in idxs}))  # fmt: skip
        claims.append(((sents[i].index, sents[i].start), claim))
    rank = {"shared": 0, "partial": 1, "single": 2}
    claims.sort(key=lambda c: (rank[c[1].status], -c[1].independent_sources, c[0]))
    return [_with_id(c, n) for n, (_, c) in enumerate(claims)]


def undecided(sents: list[Sent], claims: list[Claim], article_ids: list[str]) -> list[Sent]:
    """Sentences in no claim: linked to another article too weakly to say it states the same fact, too
    strongly to say no other article does."""
    covered = {(e.article_id, e.start) for c in claims for e in c.evidence}
    return [s for s in sents if (article_ids[s.index], s.start) not in covered]


def _paraphrase(
    sv: facts.SentenceVectors, pairs: dict[tuple[int, int], float]
) -> dict[tuple[int, int], float]:
    """The paraphrase model's probability (same claim, not just a common fact) for each linked pair."""
    if not pairs:
        return {}
    ii = [i for i, _ in pairs]
    jj = [j for _, j in pairs]
    a, b = align.subset(sv.feats, ii), align.subset(sv.feats, jj)
    f = align.features(a, b, diagonal=True)
    if sv.has_embeddings:
        f["emb"] = np.sum(sv.emb[ii] * sv.emb[jj], axis=1)
    p = align.probability(f)
    return {k: float(v) for k, v in zip(pairs, p, strict=True)}


def _with_id(c: Claim, n: int) -> Claim:
    return Claim(f"c{n + 1}", c.status, c.text, c.evidence, c.score, c.sources, c.independent_sources)


def long_enough(text: str, min_words: int) -> bool:
    return len(words(text)) >= min_words
