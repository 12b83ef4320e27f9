"""The Spark job: ingest, analyse, dedup and cluster a corpus; Parquet tables out.

    newsweave spark run --input PATH --output DIR [--master local[2]]
    spark-submit src/newsweave/spark/job.py --input PATH --output DIR     # the same job on a cluster

Output (one Parquet folder each under DIR): ``articles``, ``rejected``, ``sentences``, ``mentions``,
``entities``, ``quotes``, ``numbers``, ``duplicates`` (a, b, kind, similarity) and ``stories`` (id, title,
sources, first/last seen, article ids). ``newsweave import-parquet DIR --db DB`` loads them into a store.
"""

from __future__ import annotations

import argparse
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from newsweave.analyse import AnalyseOptions
from newsweave.dedup import DedupOptions
from newsweave.ingest import IngestOptions
from newsweave.spark import schemas
from newsweave.spark.analyse import analyse_partition
from newsweave.spark.dedup import duplicate_links
from newsweave.spark.ingest import read_corpus
from newsweave.spark.rows import ANALYSIS_TABLES
from newsweave.spark.stories import StoryJobOptions, find_stories

log = logging.getLogger(__name__)
TABLES = ("articles", "rejected", *ANALYSIS_TABLES, "duplicates", "stories")
# Articles per partition at most, when the partitions are not given: the unit of a task's work and
# memory, and of the per-partition costs in docs/performance.md. At 64 ms of analysis per article a task
# of 5,000 runs ~5 minutes, short enough to rerun on a lost executor, long beside the ~5 s model load.
PARTITION_ARTICLES = 5000
# The storage level of the large cached tables (the articles and their analysed rows, and the read in
# ingest): on disk. In local mode the driver's 2 GB heap is also the executor's, and the 100k-article
# benchmark run failed with a heap OOM in the analysis step after 14 of its 20 partitions were cached in
# memory (texts, terms and signatures of 70,000 articles); a task's own memory is bounded by its partition.
CACHE = "DISK_ONLY"


@dataclass(frozen=True)
class SparkJobOptions:
    """The job's options: each stage's own options, and the partitions of the analysis (0: Spark's
    default parallelism, one partition per core in local mode, or more to keep partitions at most
    :data:`PARTITION_ARTICLES` articles). ``run_analysis`` False skips the analysis
    (empty analysis tables; stories on the cheap capitalised-word entity keys, as ``add --no-analyse``)."""

    ingest: IngestOptions = field(default_factory=IngestOptions)
    analyse: AnalyseOptions = field(default_factory=AnalyseOptions)
    dedup: DedupOptions = field(default_factory=DedupOptions)
    stories: StoryJobOptions = field(default_factory=StoryJobOptions)
    partitions: int = 0
    run_analysis: bool = True


@dataclass(frozen=True)
class JobSummary:
    articles: int
    rejected: int
    duplicates: int
    stories: int
    seconds: dict[str, float]


def run_job(
    spark: Any, inputs: Sequence[str], output: str, options: SparkJobOptions | None = None
) -> JobSummary:
    """Run the whole job on ``inputs`` and write the tables under ``output`` (replaced if present)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    opts = options or SparkJobOptions()
    sc = spark.sparkContext
    parts = opts.partitions or sc.defaultParallelism
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    # each step's Spark jobs carry its name (the Spark UI and event log: benchmarks/bench_spark.py)
    sc.setJobGroup("ingest", "newsweave ingest")
    articles, rejected = read_corpus(spark, inputs, opts.ingest)
    if not opts.partitions:  # the read is cached: counting it first costs no second read
        parts = max(parts, math.ceil(articles.count() / PARTITION_ARTICLES))
    articles = articles.repartition(parts, "id").persist(getattr(StorageLevel, CACHE))
    n_articles = articles.count()
    articles.write.mode("overwrite").parquet(f"{output}/articles")
    n_rejected = rejected.count()
    rejected.write.mode("overwrite").parquet(f"{output}/rejected")
    seconds["ingest"] = time.perf_counter() - t

    t = time.perf_counter()
    sc.setJobGroup("analyse", "newsweave analyse")
    # the bound on the characters analysed is read here (its environment variable is the driver's)
    a_opts = (
        replace(opts.analyse, max_analysed_chars=opts.analyse.analysed_limit) if opts.run_analysis else None
    )
    d_opts = opts.dedup
    analysed_rdd = articles.rdd.mapPartitions(lambda rows: analyse_partition(rows, a_opts, d_opts))
    analysed = spark.createDataFrame(analysed_rdd, schemas.ANALYSED).persist(getattr(StorageLevel, CACHE))
    for name in ANALYSIS_TABLES:
        table = analysed.select("id", F.explode(name).alias("r")).select(
            F.col("id").alias("article_id"), "r.*"
        )
        table.write.mode("overwrite").parquet(f"{output}/{name}")
    seconds["analyse"] = time.perf_counter() - t

    t = time.perf_counter()
    sc.setJobGroup("dedup", "newsweave dedup")
    keys = analysed.select("id", "exact_key", "sig", "bands").join(articles.select("id", "seq"), "id")
    dups = duplicate_links(keys, opts.dedup).persist()
    dups.write.mode("overwrite").parquet(f"{output}/duplicates")
    n_dups = dups.count()
    seconds["dedup"] = time.perf_counter() - t

    t = time.perf_counter()
    sc.setJobGroup("stories", "newsweave stories")
    stories = find_stories(articles, analysed.select("id", "entity_keys", "terms"), opts.stories).persist()
    stories.write.mode("overwrite").parquet(f"{output}/stories")
    n_stories = stories.count()
    seconds["stories"] = time.perf_counter() - t
    for df in (articles, analysed, dups, stories):
        df.unpersist()
    log.info("spark job: %d articles, %d stories in %s", n_articles, n_stories, seconds)
    return JobSummary(n_articles, n_rejected, n_dups, n_stories, seconds)


def main(argv: Sequence[str] | None = None) -> int:
    """spark-submit entry point (the master comes from spark-submit unless ``--master`` is given)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", action="append", required=True, help="file, folder, glob or Parquet table")
    ap.add_argument("--output", required=True, help="folder for the Parquet tables")
    ap.add_argument("--master", default=None, help="Spark master (default: spark-submit's)")
    ap.add_argument("--partitions", type=int, default=0)
    ap.add_argument("--no-analyse", action="store_true", help="skip the analysis (entities, quotes, numbers)")
    args = ap.parse_args(argv)
    from newsweave.spark.session import spark_session

    spark = spark_session(args.master)
    try:
        s = run_job(
            spark,
            args.input,
            args.output,
            SparkJobOptions(partitions=args.partitions, run_analysis=not args.no_analyse),
        )
    finally:
        spark.stop()
    print(
        f"{s.articles} articles, {s.rejected} rejected, {s.duplicates} duplicate links, {s.stories} stories"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
