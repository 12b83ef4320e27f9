"""Connected components of a graph held as a Spark DataFrame of edges, with no collect to the driver.

:func:`connected_components` alternates the large-star and small-star operations (Kiveris, Lattanzi,
Mirrokni, Rastogi, Vassilvitskii: "Connected Components in MapReduce and Beyond", SoCC 2014) on an edge
list of ``bigint`` node ids until the edge set stops changing. At that point every component is a star
whose centre is its smallest node: each node's label is the smallest node id of its component. Each round
is a few groupBy/join shuffles over the edge list, and the number of rounds grows with the logarithm of the
components' size (a 10,000-node chain: ~15 rounds), not with their diameter as plain min-label
propagation does. Each round's edges are checkpointed (reliable checkpoints when the context has a
checkpoint folder, as on a cluster; local checkpoints otherwise) so the query plan does not grow with the
rounds.

:func:`split_large` caps the size of a component: a component of more than ``max_size`` nodes is cut, in
the order of a column (the story step: publication time), into consecutive slices of at most ``max_size``.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

# A bound on the rounds, far above what a graph needs (rounds grow with log n: 2^64 nodes would not reach
# it); reaching it means a bug, and is reported as one rather than returning half-merged components.
MAX_ROUNDS = 200
# Once a round leaves at most this many edges (16 bytes each), the rest is done on the driver with scipy
# (a small graph: Spark's per-round shuffles cost ~1.5 s each on 2 cores, scipy ~1 ms). Never reached by a
# large graph: a star forest keeps one edge per node that is not its component's smallest.
LOCAL_EDGES = 500_000


def _checkpoint(df: Any) -> Any:
    if df.sparkSession.sparkContext.getCheckpointDir():
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True)


def _large_star(edges: Any) -> Any:
    """Each node u links every larger neighbour to the smallest node of u's closed neighbourhood."""
    from pyspark.sql import functions as F

    both = edges.unionByName(edges.select(F.col("v").alias("u"), F.col("u").alias("v"))).distinct()
    low = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
    return (
        both.join(low, "u")
        .filter(F.col("v") > F.col("u"))
        .select(F.col("v").alias("u"), F.col("m").alias("v"))
    )


def _small_star(edges: Any) -> Any:
    """Each node u links itself and its smaller neighbours to the smallest of them."""
    from pyspark.sql import functions as F

    down = edges.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v")).distinct()
    low = down.groupBy("u").agg(F.min("v").alias("m"))
    moved = down.join(low, "u").filter(F.col("v") != F.col("m")).select(F.col("v").alias("u"), "m")
    return moved.unionByName(low.select("u", "m")).select("u", F.col("m").alias("v")).distinct()


def _is_star_forest(edges: Any) -> bool:
    """Whether every node is either a leaf with one edge or a centre (never both): then each component is
    a star whose centre is its smallest node (edges have ``u > v``), which both operations leave as is."""
    from pyspark.sql import functions as F

    leaves = edges.select(F.col("u").alias("n"))
    centres = edges.select(F.col("v").alias("n")).distinct()
    return bool(leaves.unionByName(centres).groupBy("n").count().filter("count > 1").isEmpty())


def _finish_on_driver(edges: Any) -> Any:
    """The star forest of a small edge list, computed on the driver (scipy), as a DataFrame (u > v)."""
    import numpy as np
    import pandas as pd
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components as scipy_components

    table = edges.toPandas()
    u, v = table["u"].to_numpy(np.int64), table["v"].to_numpy(np.int64)
    nodes, index = np.unique(np.concatenate([u, v]), return_inverse=True)
    n = len(nodes)
    graph = coo_matrix((np.ones(len(u)), (index[: len(u)], index[len(u) :])), shape=(n, n))
    _, label = scipy_components(graph, directed=False)
    smallest = np.full(label.max(initial=-1) + 1, np.iinfo(np.int64).max)
    np.minimum.at(smallest, label, nodes)
    centre = smallest[label]
    leaf = nodes != centre
    if not leaf.any():
        return edges.limit(0)
    star = pd.DataFrame({"u": nodes[leaf], "v": centre[leaf]})
    return edges.sparkSession.createDataFrame(star, "u bigint, v bigint")


def connected_components(edges: Any, local_edges: int = LOCAL_EDGES, max_rounds: int = MAX_ROUNDS) -> Any:
    """(node, component) of every node of ``edges`` (columns ``u``, ``v``, bigint; undirected, repeats
    allowed, a self-loop ``(u, u)`` names an isolated node): ``component`` is the smallest node id of the
    node's component. The rounds stop at a star forest, or once at most ``local_edges`` edges are left (the
    driver finishes those; 0: never)."""
    from pyspark.sql import functions as F

    pairs = edges.select(F.col("u").cast("bigint"), F.col("v").cast("bigint"))
    nodes = pairs.select(F.col("u").alias("node")).unionByName(pairs.select(F.col("v").alias("node")))
    current = _checkpoint(
        pairs.filter(F.col("u") != F.col("v"))
        .select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v"))
        .distinct()
    )
    rounds = 0
    while current.count() > local_edges and not _is_star_forest(current):
        if rounds == max_rounds:
            raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
        following = _checkpoint(_small_star(_large_star(current)))
        current.unpersist()
        current, rounds = following, rounds + 1
    if current.count() <= local_edges:
        current = _finish_on_driver(current)
    log.info("connected components: %d distributed rounds", rounds)
    # now a star per component: (leaf, centre) edges with u > v; a centre and an isolated node have no
    # leaf row, and are their own component
    leaves = current.select(F.col("u").alias("node"), F.col("v").alias("component"))
    return (
        nodes.distinct()
        .join(leaves, "node", "left")
        .select("node", F.coalesce("component", "node").alias("component"))
    )


def split_large(labels: Any, component: str, order: list[str], max_size: int, out: str = "block") -> Any:
    """``labels`` with a column ``out``: the ``component`` value, except in components of more than
    ``max_size`` rows, which are cut in the order of the columns ``order`` into slices of at most
    ``max_size`` rows. The last ``order`` column must be unique (a node id): a slice is labelled by its
    first row's value of it, so slice labels and component labels (node ids) never collide."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    sized = labels.withColumn("_size", F.count("*").over(Window.partitionBy(component)))
    small = sized.filter(F.col("_size") <= max_size).withColumn(out, F.col(component))
    large = sized.filter(F.col("_size") > max_size)
    ranked = large.withColumn(
        "_slice", F.floor((F.row_number().over(Window.partitionBy(component).orderBy(*order)) - 1) / max_size)
    )
    first = F.first(order[-1]).over(
        Window.partitionBy(component, "_slice").orderBy(*order).rowsBetween(Window.unboundedPreceding, 0)
    )
    sliced = ranked.withColumn(out, first).drop("_slice")
    return small.unionByName(sliced).drop("_size")
