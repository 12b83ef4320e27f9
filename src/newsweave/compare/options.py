"""Options of the comparison stage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CompareOptions:
    """How to compare one story's articles.

    ``embeddings``: ``None`` uses sentence embeddings when the model is installed (and ``NEWSWEAVE_EMBED``
    is not 0), ``False`` never, ``True`` asks for them (falls back with a warning when missing).
    ``min_claim_words``: shorter sentences (datelines, captions) are not aligned as claims.
    ``max_sentences``: per article, a cap that keeps a pathological input (one huge article) bounded.
    ``lead_chars``: how much of the first paragraph is shown as the lead.
    ``shared_p``: paraphrase probability for ``shared`` rather than ``partial``; ``link_p``: fact-link
    probability for two sentences to state a common fact (higher: fewer, surer claims).
    ``analysis_sentences``: take sentence bounds from the analysis stage instead of the comparison's own
    splitter (off by default: the calibration of claims and numbers was done with the own splitter).
    """

    embeddings: bool | None = None
    shared_p: float | None = None  # None: the calibrated default in newsweave.compare.align
    link_p: float | None = None  # None: the fitted threshold of newsweave.compare.facts
    min_claim_words: int = 4
    max_sentences: int = 400
    max_quotes: int = 400
    max_numbers: int = 600
    lead_chars: int = 400
    analysis_sentences: bool = False  # use the analysis stage's sentence bounds (default: own splitter)
    loaded_examples: int = 12
