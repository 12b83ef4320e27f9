"""Story clustering: each article joins the best matching story or starts one.

Features: TF-IDF of body and of title + lead (statistics kept incrementally), shared entity keys,
closeness in time, and MiniLM embeddings when installed and asked for. The incremental
:class:`StoryClusterer` keeps story ids stable and records merges; :func:`cluster_batch` re-clusters a
whole set with average linkage over the same similarity. Constants and their calibration:
:mod:`newsweave.cluster.options`.
"""

from newsweave.cluster.batch import cluster_batch, similarity_matrix
from newsweave.cluster.clusterer import Merge, StoryClusterer, story_id_for
from newsweave.cluster.options import ClusterOptions
from newsweave.embed import get_embedder

__all__ = [
    "ClusterOptions",
    "Merge",
    "StoryClusterer",
    "cluster_batch",
    "get_embedder",
    "similarity_matrix",
    "story_id_for",
]
