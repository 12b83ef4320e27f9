"""Duplicates and rewrites: which reports are copies of each other, and which are independent.

- exact duplicates: the same case-folded word sequence;
- near duplicates: MinHash LSH over word 5-shingles (shingles hashed in bulk with numpy, signatures by
  rensa), verified on the signature's Jaccard estimate;
- rewrites: B reuses or paraphrases sentences of A (3-shingle containment finds candidates, sentence
  alignment measures the reused share and gives the spans); direction by publication time;
- :func:`independent_groups`: union of both kinds of link, for counting independent sources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsweave.lazy import lazy_exports

if TYPE_CHECKING:
    from newsweave.dedup.near import exact_key, find_duplicates, lsh_signatures, near_duplicate_pairs
    from newsweave.dedup.rewrite import find_rewrites, independent_groups
    from newsweave.dedup.types import DedupOptions, DuplicateLink, RewriteLink

# imported on first use (newsweave.lazy): the store reads the link types without the MinHash machinery
_MODULE = {
    "DedupOptions": "newsweave.dedup.types",
    "DuplicateLink": "newsweave.dedup.types",
    "RewriteLink": "newsweave.dedup.types",
    "exact_key": "newsweave.dedup.near",
    "find_duplicates": "newsweave.dedup.near",
    "find_rewrites": "newsweave.dedup.rewrite",
    "independent_groups": "newsweave.dedup.rewrite",
    "lsh_signatures": "newsweave.dedup.near",
    "near_duplicate_pairs": "newsweave.dedup.near",
}

__all__ = [
    "DedupOptions",
    "DuplicateLink",
    "RewriteLink",
    "exact_key",
    "find_duplicates",
    "find_rewrites",
    "independent_groups",
    "lsh_signatures",
    "near_duplicate_pairs",
]

__getattr__ = lazy_exports(__name__, _MODULE)
