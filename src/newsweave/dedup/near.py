"""Exact and near duplicates: normalised-word hashes, then MinHash LSH over word shingles."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence

import numpy as np

from newsweave.dedup.shingles import (
    estimated_jaccard,
    lsh_candidate_pairs,
    minhash_signatures,
    shingle_hashes,
)
from newsweave.dedup.types import DedupOptions, DuplicateLink
from newsweave.model import Article

log = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")


def exact_key(text: str) -> str:
    """Hash of the text's case-folded words: the same story text with other spacing or punctuation."""
    words = " ".join(_WORD.findall(text.casefold()))
    return hashlib.blake2b(words.encode("utf-8"), digest_size=12).hexdigest()


def unique_by_id(articles: Sequence[Article]) -> list[Article]:
    """The articles with repeated ids dropped (first kept): an id repeated is the same article."""
    seen: set[str] = set()
    out = []
    for a in articles:
        if a.id not in seen:
            seen.add(a.id)
            out.append(a)
    return out


def find_duplicates(articles: Sequence[Article], options: DedupOptions | None = None) -> list[DuplicateLink]:
    """Exact and near-duplicate pairs among ``articles``; each pair once, ``a`` before ``b`` in the input."""
    opts = options or DedupOptions()
    arts = unique_by_id(articles)
    links: list[DuplicateLink] = []
    first_by_key: dict[str, int] = {}
    exact_of: dict[int, int] = {}
    for i, a in enumerate(arts):
        key = exact_key(a.text)
        if key in first_by_key:
            j = first_by_key[key]
            exact_of[i] = j
            links.append(DuplicateLink(arts[j].id, a.id, "exact", 1.0))
        else:
            first_by_key[key] = i
    keep = [i for i in range(len(arts)) if i not in exact_of]
    if len(keep) < 2:
        return links
    sig = lsh_signatures([arts[i].text for i in keep], opts)
    pairs = lsh_candidate_pairs(sig, opts.bands, opts.max_bucket)
    sims = estimated_jaccard(sig, pairs)
    ok = sims >= opts.near_threshold
    for (i, j), s in zip(pairs[ok], sims[ok], strict=True):
        first, second = keep[int(min(i, j))], keep[int(max(i, j))]
        links.append(DuplicateLink(arts[first].id, arts[second].id, "near", round(float(s), 4)))
    log.info("%d articles: %d exact, %d near duplicate pairs", len(arts), len(exact_of), int(ok.sum()))
    return links


def lsh_signatures(texts: Sequence[str], options: DedupOptions | None = None) -> np.ndarray:
    """MinHash signatures (n, num_perm) of the texts' word shingles: what the near-duplicate test and the
    LSH band keys (:func:`newsweave.dedup.shingles.band_keys`) are made from, here and in the Spark job."""
    opts = options or DedupOptions()
    flat, offsets = shingle_hashes(texts, opts.shingle_size)
    return minhash_signatures(flat, offsets, opts.num_perm, opts.seed)


def near_duplicate_pairs(texts: Sequence[str], options: DedupOptions | None = None) -> np.ndarray:
    """Index pairs ``(i, j)`` of near-duplicate texts: the whole path (text -> shingles -> signature ->
    LSH candidates -> verified pairs) without building articles; used by the benchmark."""
    opts = options or DedupOptions()
    sig = lsh_signatures(texts, opts)
    pairs = lsh_candidate_pairs(sig, opts.bands, opts.max_bucket)
    return pairs[estimated_jaccard(sig, pairs) >= opts.near_threshold]
