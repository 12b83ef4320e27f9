"""Rewrites: article B reuses or paraphrases sentences of article A.

Candidates come from shared word 3-shingles (a sparse article x shingle matrix, boilerplate shingles
dropped), so only pairs that share wording are aligned. For a candidate pair each sentence of one
article is aligned to its most similar sentence of the other (Dice over content words); the share of
characters in aligned sentences measures how much of each article is reused. The direction comes from
the publication times; when they are missing it is reported as unknown.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import sparse

from newsweave.dedup.near import unique_by_id
from newsweave.dedup.sentences import without_quotes
from newsweave.dedup.shingles import shingle_hashes
from newsweave.dedup.types import DedupOptions, DuplicateLink, RewriteLink
from newsweave.model import Article, Span
from newsweave.text import content_words, sentence_spans
from newsweave.unionfind import DisjointSets

log = logging.getLogger(__name__)


@dataclass
class _Sentences:
    spans: list[tuple[int, int]]
    words: list[set[str]]
    chars: int


def candidate_pairs(texts: Sequence[str], opts: DedupOptions) -> list[tuple[int, int]]:
    """Pairs of texts sharing at least ``rewrite_min_containment`` of one text's 3-shingles."""
    n = len(texts)
    if n < 2:
        return []
    flat, offsets = shingle_hashes(texts, opts.rewrite_shingle_size)
    rows = np.repeat(np.arange(n), np.diff(offsets).astype(np.int64))
    uniq, cols = np.unique(flat, return_inverse=True)
    m = sparse.csr_matrix((np.ones(rows.size, np.float32), (rows, cols)), shape=(n, uniq.size))
    m.data[:] = 1.0  # duplicates within a row were summed: back to sets
    m.sum_duplicates()
    m.data[:] = 1.0
    size = np.asarray(m.sum(axis=1)).ravel()
    df = np.asarray(m.sum(axis=0)).ravel()
    useful = (df >= 2) & (df <= opts.max_shingle_df)
    m = m[:, np.flatnonzero(useful)]
    shared = (m @ m.T).tocoo()
    i, j, v = shared.row, shared.col, shared.data
    upper = i < j
    i, j, v = i[upper], j[upper], v[upper]
    smaller = np.maximum(np.minimum(size[i], size[j]), 1)
    ok = (v / smaller >= opts.rewrite_min_containment) & (v >= 3)
    return [(int(a), int(b)) for a, b in zip(i[ok], j[ok], strict=True)]


def _sentences(text: str) -> _Sentences:
    spans = sentence_spans(text)
    words = [set(content_words(without_quotes(text[s:e]))) for s, e in spans]
    return _Sentences(spans, words, sum(e - s for s, e in spans) or 1)


ALIGN_MAX_CANDIDATES = 256  # sentences of a compared with one of b (exact while a has no more than this)


def align(a: _Sentences, b: _Sentences, min_dice: float) -> list[tuple[int, int, float]]:
    """``(i, j, dice)`` for each sentence ``j`` of b whose best match ``i`` in a reaches ``min_dice``.

    A sentence of a can reach Dice ``t`` with a sentence of b only if it shares at least
    ``ceil(t |b| / (2 - t))`` of its words, so it holds one of the rarest ``present - that + 1`` of them:
    only the sentences of a listed under those words are compared (the same answer as comparing all, first
    index on ties, in time that does not grow with the product of the sentence counts). On hostile input,
    where a sentence shares its rarest words with more than ``ALIGN_MAX_CANDIDATES`` sentences of a, the
    first that many are compared."""
    if min_dice <= 0:
        return _align_all(a, b, min_dice)
    postings: dict[str, list[int]] = {}
    for i, wa in enumerate(a.words):
        for w in wa:
            postings.setdefault(w, []).append(i)
    out = []
    for j, wb in enumerate(b.words):
        if len(wb) < 4:
            continue
        need = max(1, math.ceil(min_dice * len(wb) / (2 - min_dice) - 1e-9))
        present = sorted((len(postings[w]), w) for w in wb if w in postings)
        if len(present) < need:
            continue
        rare = present[: len(present) - need + 1]
        ids = {i for _, w in rare for i in postings[w][:ALIGN_MAX_CANDIDATES]}
        best, best_i = 0.0, -1
        for i in sorted(ids)[:ALIGN_MAX_CANDIDATES]:
            wa = a.words[i]
            d = 2 * len(wa & wb) / (len(wa) + len(wb))
            if d > best:
                best, best_i = d, i
                if d >= 1.0:
                    break  # nothing beats an identical sentence; the first one wins ties
        if best >= min_dice:
            out.append((best_i, j, best))
    return out


def _align_all(a: _Sentences, b: _Sentences, min_dice: float) -> list[tuple[int, int, float]]:
    """:func:`align` by comparing every pair of sentences."""
    out = []
    for j, wb in enumerate(b.words):
        if len(wb) < 4:
            continue
        best, best_i = 0.0, -1
        for i, wa in enumerate(a.words):
            if not wa:
                continue
            d = 2 * len(wa & wb) / (len(wa) + len(wb))
            if d > best:
                best, best_i = d, i
        if best >= min_dice:
            out.append((best_i, j, best))
    return out


def _share(s: _Sentences, idx: Iterable[int]) -> float:
    return sum(s.spans[k][1] - s.spans[k][0] for k in set(idx)) / s.chars


def find_rewrites(
    articles: Sequence[Article],
    options: DedupOptions | None = None,
    duplicates: Sequence[DuplicateLink] = (),
) -> list[RewriteLink]:
    """Rewrite links among ``articles``. Exact duplicates (given in ``duplicates``) are not re-reported."""
    opts = options or DedupOptions()
    arts = unique_by_id(articles)
    exact = {frozenset((d.a, d.b)) for d in duplicates if d.kind == "exact"}
    cache: dict[int, _Sentences] = {}

    def sents(k: int) -> _Sentences:
        if k not in cache:
            cache[k] = _sentences(arts[k].text)
        return cache[k]

    links = []
    for i, j in candidate_pairs([a.text for a in arts], opts):
        if frozenset((arts[i].id, arts[j].id)) in exact:
            continue
        link = _link(arts[i], arts[j], sents(i), sents(j), opts)
        if link is not None:
            links.append(link)
    log.info("%d articles: %d rewrite links", len(arts), len(links))
    return links


def _link(a: Article, b: Article, sa: _Sentences, sb: _Sentences, opts: DedupOptions) -> RewriteLink | None:
    b_from_a = align(sa, sb, opts.sentence_min_dice)  # (sentence of a, sentence of b found in a, dice)
    a_from_b = align(sb, sa, opts.sentence_min_dice)  # (sentence of b, sentence of a found in b, dice)
    if max(len(b_from_a), len(a_from_b)) < opts.rewrite_min_sentences:
        return None
    share_b = _share(sb, (j for _, j, _ in b_from_a))
    share_a = _share(sa, (j for _, j, _ in a_from_b))
    direction: Literal["time", "unknown"]
    ta, tb = a.published_utc, b.published_utc
    if ta and tb and ta != tb:
        direction = "time"
        b_later = tb > ta
    else:
        direction = "unknown"
        b_later = share_b >= share_a
    orig, der, s_orig, s_der = (a, b, sa, sb) if b_later else (b, a, sb, sa)
    pairs = b_from_a if b_later else a_from_b  # (sentence of original, sentence of derived, dice)
    share_der, share_orig = (share_b, share_a) if b_later else (share_a, share_b)
    if share_der < opts.rewrite_min_share or len(pairs) < opts.rewrite_min_sentences:
        return None
    syndicated = min(share_der, share_orig) >= opts.syndicated_min_share and (
        orig.source is None or der.source is None or orig.source != der.source
    )
    return RewriteLink(
        original=orig.id,
        derived=der.id,
        direction=direction,
        share=round(share_der, 4),
        share_original=round(share_orig, 4),
        original_spans=tuple(Span(orig.id, *s_orig.spans[i]) for i, _, _ in pairs),
        derived_spans=tuple(Span(der.id, *s_der.spans[j]) for _, j, _ in pairs),
        syndicated=syndicated,
        similarity=round(float(np.mean([d for _, _, d in pairs])), 4),
    )


def independent_groups(
    articles: Sequence[Article], links: Iterable[DuplicateLink | RewriteLink]
) -> list[list[str]]:
    """Articles grouped so that copies and rewrites of each other share a group (union-find).

    Every article is in exactly one group; groups keep the input order, and so do their members.
    The number of groups is the number of independent reports.
    """
    ids = [a.id for a in unique_by_id(articles)]
    sets = DisjointSets(ids)
    for link in links:
        x, y = (link.a, link.b) if isinstance(link, DuplicateLink) else (link.original, link.derived)
        if x in sets and y in sets:
            sets.union(x, y)
    return sets.groups(ids)
