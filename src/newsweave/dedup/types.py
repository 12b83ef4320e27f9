"""Options and result types of the dedup stage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from newsweave.model import Span


@dataclass(frozen=True)
class DedupOptions:
    """Settings of duplicate and rewrite detection.

    Near duplicates: word 5-shingles, 128 MinHash permutations, 32 LSH bands of 4 rows. With 4 rows a
    band, a pair at Jaccard 0.7 becomes a candidate with probability 1 - (1 - 0.7**4)**32 > 0.9999 and a
    pair at 0.3 with 0.23; candidates are then verified on the signature estimate, so the bands set the
    cost and the threshold sets the answer. ``near_threshold`` 0.7: the planted wire copies of
    ``benchmarks/bench_dedup.py`` (2% of words changed plus a credit line) score about 0.8; among the 369
    galaxy dev articles the two real copies (one page cited twice, one republished report) score 1.0
    and 0.95, and every other pair stays at or below 0.31 (99% of same-event pairs below 0.09).

    Rewrites: candidate pairs share at least ``rewrite_min_containment`` of one article's word
    3-shingles; sentences of B are then aligned to sentences of A on their content words with quoted
    passages blanked (two outlets quoting one speaker is not copying), and a B sentence counts as reused
    when its Dice overlap with the best A sentence reaches ``sentence_min_dice``. B is a rewrite of A
    when at least ``rewrite_min_share`` of B's sentence characters are reused, in at least
    ``rewrite_min_sentences`` sentences. Calibrated on examples/corpus: the planted light rewrite (B2 of
    B1) reuses 0.69 of its text at Dice 0.6, while independent reports of the same events reuse at most
    0.19 (0.31 at Dice 0.5, from stock phrases such as ship names and passenger counts). A pair is
    syndicated when each text reuses at least ``syndicated_min_share`` of the other (the planted wire
    copy: 0.88 and 0.91; the light rewrite: 0.69 and 0.64) and the outlets differ.
    """

    shingle_size: int = 5
    num_perm: int = 128
    bands: int = 32
    seed: int = 1
    near_threshold: float = 0.7
    # An LSH bucket with more members than this (a flood of near-identical texts) links them as a chain
    # plus a star instead of every pair: connected at linear cost (dedup/shingles.py, and the Spark job).
    max_bucket: int = 200
    rewrite_shingle_size: int = 3
    rewrite_min_containment: float = 0.05
    sentence_min_dice: float = 0.6
    rewrite_min_share: float = 0.3
    rewrite_min_sentences: int = 3
    syndicated_min_share: float = 0.8
    max_shingle_df: int = 50  # a 3-shingle in more articles than this is boilerplate: not used for candidates


@dataclass(frozen=True)
class DuplicateLink:
    """Two articles with the same text (``exact``: same normalised text) or nearly the same (``near``)."""

    a: str
    b: str
    kind: Literal["exact", "near"]
    similarity: float  # 1.0 for exact; the MinHash Jaccard estimate for near


@dataclass(frozen=True)
class RewriteLink:
    """``derived`` reuses or paraphrases sentences of ``original``.

    ``direction`` is ``"time"`` when the published times put ``original`` first, ``"unknown"`` when a time
    is missing or equal (then ``original`` is the article whose text is reused the less).
    ``share`` is the share of ``derived``'s characters in reused sentences; ``share_original`` the same
    for ``original``. The spans list the aligned sentences, in the same order in both tuples.
    """

    original: str
    derived: str
    direction: Literal["time", "unknown"]
    share: float
    share_original: float
    original_spans: tuple[Span, ...]
    derived_spans: tuple[Span, ...]
    syndicated: bool = False
    similarity: float = 0.0  # mean Dice of the aligned sentence pairs
