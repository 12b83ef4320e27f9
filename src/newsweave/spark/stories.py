"""Stories in Spark: blocks by time window and canonical entities, the local engine's rule inside each.

1. Term statistics: the document frequency of every clustering term (body, head, entity channels) over
   the whole corpus, a ``groupBy`` count, so IDF weights inside a block are the corpus' own.
2. Blocking keys: each article posts, for each canonical entity key it names (the analysis stage's keys)
   in at most ``block_max_df_share`` of the corpus, the key with its time bucket and the next bucket
   (buckets ``window_days`` wide: two articles within the window share a key); an article with no such
   entity posts its time bucket alone. Undated articles share one bucket.
3. Blocks: connected components of the article-key graph (articles sharing a key are in one block),
   found in Spark (:func:`newsweave.spark.components.connected_components`, nothing collected).
   Chains of shared keys join most of a large corpus into one component (on the benchmark's corpus, one
   component of all 10,000 articles: overlapping windows chain through time, and an entity in under 20%
   of the articles still links thousands), so a component of more than ``max_block`` articles is cut in
   publication order into slices of at most ``max_block``: a story that runs across a cut is split
   there. This bounds the memory of a task (one block) and lets the blocks run in parallel.
4. Inside each block, :class:`newsweave.cluster.StoryClusterer` places the block's articles in time order
   with the corpus statistics: the incremental engine's join and merge rule, unchanged. The block's rows
   and its terms' document frequencies reach its task as single rows of one ``cogroup`` shuffle.

The local engine looks further than a block for a candidate (any shared body or head term), so an article
whose story shares none of its entities within the window can land apart here: the test on galaxy's dev
articles measures how often (ARI against the local engine).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsweave.cluster import ClusterOptions, StoryClusterer
from newsweave.cluster.clusterer import arrival_key
from newsweave.cluster.features import DocFreq
from newsweave.spark.analyse import CHANNEL_PREFIX
from newsweave.spark.components import LOCAL_EDGES, connected_components, split_large
from newsweave.spark.rows import row_article

_DAY = 86400.0


@dataclass(frozen=True)
class StoryJobOptions:
    """Blocking of the Spark story step; the clustering itself takes ``cluster`` (the local options).

    ``block_max_df_share``: an entity named in more than this share of the corpus is too common to block
    on (the clusterer's own ``max_df_share``, 0.2, keeps it out of its index for the same reason)."""

    cluster: ClusterOptions = field(default_factory=ClusterOptions)
    block_max_df_share: float = 0.2
    max_block: int = 5000
    local_edges: int = LOCAL_EDGES


def block_keys(
    entity_keys: Sequence[str], when: float | None, common: frozenset[str], window_days: float
) -> list[str]:
    """The blocking keys of one article (see the module docstring)."""
    if when is None:
        buckets = ["u"]
    else:
        b = math.floor(when / (window_days * _DAY))
        buckets = [str(b), str(b + 1)]
    names = sorted({k for k in entity_keys if k not in common}) or [""]
    return [f"{n}|{b}" for n in names for b in buckets]


def cluster_block(
    rows: Iterable[Any], df: dict[str, int], n: int, options: ClusterOptions
) -> Iterator[tuple[Any, ...]]:
    """Stories of one block: (id, title, sources, first_seen, last_seen, n_articles, article_ids)."""
    clusterer = StoryClusterer(options)
    for channel, prefix in CHANNEL_PREFIX.items():
        counts = Counter({t[len(prefix) :]: c for t, c in df.items() if t.startswith(prefix)})
        clusterer.stats[channel] = DocFreq(n=n, df=counts)
    items = [(row_article(r.asDict()), list(r["entity_keys"] or [])) for r in rows]
    for article, keys in sorted(items, key=lambda it: arrival_key(it[0])):
        clusterer.add(article, keys, observed=True)
    for s in clusterer.to_stories():
        yield (
            s.id,
            s.title,
            list(s.sources),
            s.first_seen.isoformat() if s.first_seen else None,
            s.last_seen.isoformat() if s.last_seen else None,
            len(s.article_ids),
            list(s.article_ids),
        )


def find_stories(articles: Any, analysed: Any, options: StoryJobOptions) -> Any:
    """The stories DataFrame (``schemas.STORIES``) of the articles and their analysed rows."""
    from pyspark.sql import functions as F

    from newsweave.spark import schemas

    spark = articles.sparkSession
    n = articles.count()
    df = analysed.select(F.explode("terms").alias("term")).groupBy("term").count()
    limit = options.block_max_df_share * n
    common = frozenset(
        r["term"][2:]
        for r in df.filter(
            F.col("term").startswith(CHANNEL_PREFIX["ent"]) & (F.col("count") > limit)
        ).collect()
    )
    window = options.cluster.window_days
    posts = articles.select("id", "seq", "published_utc").join(analysed.select("id", "entity_keys"), "id")
    keyed = spark.createDataFrame(
        posts.rdd.flatMap(
            lambda r: [
                (r["seq"], k) for k in block_keys(r["entity_keys"] or [], r["published_utc"], common, window)
            ]
        ),
        "seq bigint, key string",
    )
    # articles sharing a key: a star on the key's first article (an article alone on its keys: a self-loop)
    first = keyed.groupBy("key").agg(F.min("seq").alias("v"))
    edges = keyed.join(first, "key").select(F.col("seq").alias("u"), "v")
    labels = connected_components(edges, options.local_edges).withColumnRenamed("node", "seq")
    timed = articles.select("id", "seq", "published_utc").join(labels, "seq")
    blocks = split_large(timed, "component", ["published_utc", "seq"], options.max_block).select(
        "id", "block"
    )
    members = (
        articles.join(analysed.select("id", "entity_keys"), "id")
        .join(blocks, "id")
        .rdd.map(lambda r: (r["block"], r))
    )
    block_terms = (
        analysed.select("id", F.explode("terms").alias("term"))
        .join(blocks, "id")
        .select("block", "term")
        .distinct()
        .join(df, "term")
        .rdd.map(lambda r: (r["block"], (r["term"], r["count"])))
    )
    # one shuffle of single rows grouped in the Python workers (which spill): no record holds a block
    opts = options.cluster
    parts = int(spark.conf.get("spark.sql.shuffle.partitions"))
    stories = members.cogroup(block_terms, parts).flatMap(
        lambda kv: cluster_block(kv[1][0], dict(kv[1][1]), n, opts)
    )
    return spark.createDataFrame(stories, schemas.STORIES)
