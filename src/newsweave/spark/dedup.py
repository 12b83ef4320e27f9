"""Exact and near duplicates in Spark, with the dedup stage's keys and the local engine's answers.

Exact duplicates share :func:`newsweave.dedup.exact_key`: the first article of a key (in reading order)
is linked to each later one. The others go through MinHash LSH as a join: every article has one key per
band (:func:`newsweave.dedup.shingles.band_keys`, computed per partition in :mod:`.analyse`), the table
of (band, key, article) is joined with itself on (band, key), and each candidate pair is verified on the
signature's Jaccard estimate, exactly as :func:`newsweave.dedup.find_duplicates` verifies its sorted
buckets. A bucket of more than ``max_bucket`` articles links them as a chain plus a star (the local
rule), so a flood of near-identical texts costs linear, not quadratic, pairs.
"""

from __future__ import annotations

from typing import Any

from newsweave.dedup import DedupOptions

# the share of equal signature values of two bigint arrays, in Spark SQL (no Python round trip)
_SIMILARITY = "aggregate(zip_with(sa, sb, (x, y) -> CAST(x = y AS INT)), 0, (acc, v) -> acc + v) / size(sa)"


def duplicate_links(keys: Any, options: DedupOptions) -> Any:
    """Duplicate links (a, b, kind, similarity) of ``keys`` rows (id, seq, exact_key, sig, bands); ``a``
    is the article read first. The same pairs as ``find_duplicates`` over the whole corpus."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    w = Window.partitionBy("exact_key").orderBy("seq")
    ranked = keys.withColumn("_rank", F.row_number().over(w)).withColumn("_first", F.first("id").over(w))
    exact = ranked.filter("_rank > 1").select(
        F.col("_first").alias("a"),
        F.col("id").alias("b"),
        F.lit("exact").alias("kind"),
        F.lit(1.0).alias("similarity"),
    )
    keep = ranked.filter("_rank = 1").select("id", "seq", "sig", "bands")
    posted = keep.select("id", "seq", F.posexplode("bands").alias("band", "key"))
    sized = posted.withColumn("_size", F.count("*").over(Window.partitionBy("band", "key")))
    small = sized.filter((F.col("_size") >= 2) & (F.col("_size") <= options.max_bucket))
    x, y = small.alias("x"), small.alias("y")
    joined = x.join(y, (F.col("x.band") == F.col("y.band")) & (F.col("x.key") == F.col("y.key")))
    pairs = joined.filter(F.col("x.seq") < F.col("y.seq")).select(
        F.col("x.id").alias("a"), F.col("y.id").alias("b")
    )
    # a flood bucket: each member after the first linked to the one before it and to the first, with
    # window functions over the bucket (no bucket is gathered into one row)
    wb = Window.partitionBy("band", "key").orderBy("seq")
    large = (
        sized.filter(F.col("_size") > options.max_bucket)
        .withColumn("_first", F.first("id").over(wb))
        .withColumn("_prev", F.lag("id").over(wb))
        .filter(F.col("_prev").isNotNull())
    )
    flood = large.select(F.col("_prev").alias("a"), F.col("id").alias("b")).unionByName(
        large.filter(F.col("_prev") != F.col("_first")).select(
            F.col("_first").alias("a"), F.col("id").alias("b")
        )
    )
    candidates = pairs.unionByName(flood).distinct()
    sigs = keep.select("id", "seq", "sig")
    scored = (
        candidates.join(
            sigs.select(F.col("id").alias("a"), F.col("seq").alias("qa"), F.col("sig").alias("sa")), "a"
        )
        .join(sigs.select(F.col("id").alias("b"), F.col("seq").alias("qb"), F.col("sig").alias("sb")), "b")
        .withColumn("similarity", F.expr(_SIMILARITY))
        .filter(F.col("similarity") >= options.near_threshold)
    )
    near = scored.select(
        F.when(F.col("qa") < F.col("qb"), F.col("a")).otherwise(F.col("b")).alias("a"),
        F.when(F.col("qa") < F.col("qb"), F.col("b")).otherwise(F.col("a")).alias("b"),
        F.lit("near").alias("kind"),
        F.bround("similarity", 4).alias("similarity"),  # half-even, as Python's round()
    )
    return exact.unionByName(near)
