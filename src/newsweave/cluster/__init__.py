"""Story clustering: each article joins the best matching story (one news event) or starts one; the
events of one ongoing affair are linked as a storyline.

Features: TF-IDF of body and of title + lead (statistics kept incrementally), the analysis stage's
entities (cheap capitalised keys when an article was not analysed), closeness in time, MiniLM embeddings
when installed and asked for, the event gate (shared signature terms) and what happened (the
headlines' event classes, :mod:`newsweave.cluster.events`). The incremental
:class:`StoryClusterer` keeps story and storyline ids stable and records merges; :func:`cluster_batch`
re-clusters a whole set with average linkage over the same similarity. :func:`story_headline` is the one
headline rule. Constants and their calibration: :mod:`newsweave.cluster.options`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsweave.lazy import lazy_exports

if TYPE_CHECKING:
    from newsweave.cluster.batch import cluster_batch, similarity_matrix
    from newsweave.cluster.clusterer import Merge, StoryClusterer, story_id_for
    from newsweave.cluster.headline import story_headline
    from newsweave.cluster.options import ClusterOptions
    from newsweave.cluster.storylines import StorylineLink, storyline_id_for
    from newsweave.embed import get_embedder

# imported on first use (PEP 562): the store's story tables and the headline rule, which a report reads, do
# not import the batch clustering (SciPy's hierarchy: about a second)
_MODULE = {
    "ClusterOptions": "newsweave.cluster.options",
    "Merge": "newsweave.cluster.clusterer",
    "StoryClusterer": "newsweave.cluster.clusterer",
    "StorylineLink": "newsweave.cluster.storylines",
    "cluster_batch": "newsweave.cluster.batch",
    "get_embedder": "newsweave.embed",
    "similarity_matrix": "newsweave.cluster.batch",
    "story_headline": "newsweave.cluster.headline",
    "story_id_for": "newsweave.cluster.clusterer",
    "storyline_id_for": "newsweave.cluster.storylines",
}

__all__ = [
    "ClusterOptions",
    "Merge",
    "StoryClusterer",
    "StorylineLink",
    "cluster_batch",
    "get_embedder",
    "similarity_matrix",
    "story_headline",
    "story_id_for",
    "storyline_id_for",
]

__getattr__ = lazy_exports(__name__, _MODULE)
