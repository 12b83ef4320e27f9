"""Inputs of the Spark job: files through the ingest stage's readers, or Parquet through its record reader.

Files (JSONL, JSON, CSV, WARC, HTML, text, feeds; gzipped or not) are listed on the driver with the ingest
stage's own expansion (folders, globs, hidden files, symlink loops), then read one file per task with
:func:`newsweave.ingest.read_inputs`: size limits, bombs and bad records are handled there, and every
input that does not become an article is a row of the ``rejected`` table. A large corpus is many files
(CC-NEWS and Common Crawl ship WARC files of ~1 GB), so files are the unit of parallel reading.

Parquet (a file, or a folder of part files as Spark writes them) is read by Spark itself, and each row
becomes an article through :func:`newsweave.ingest.records.record_article`, the JSON/CSV record reader:
the same field names (``text``/``body``/..., ``title``, ``published``, ``--map``) and the same checks.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from newsweave.errors import UsageError
from newsweave.ingest import IngestOptions, read_inputs
from newsweave.ingest.records import record_article
from newsweave.ingest.sources import InputRef, expand_inputs
from newsweave.model import Article
from newsweave.spark import schemas
from newsweave.spark.rows import article_row, rejected_row

# seq = (input index << SEQ_SHIFT) + record index: the local engine's reading order, as one number
SEQ_SHIFT = 32


def is_parquet(path: str) -> bool:
    """A ``.parquet`` file, or a folder holding ``.parquet`` part files (a Spark output table)."""
    if os.path.isdir(path):
        return any(n.endswith(".parquet") for n in os.listdir(path))
    return path.endswith(".parquet")


def _read_file(item: tuple[int, str], options: IngestOptions) -> Iterator[tuple[str, tuple[Any, ...]]]:
    index, path = item
    for k, out in enumerate(read_inputs([path], options)):
        if isinstance(out, Article):
            yield ("a", article_row(out, (index << SEQ_SHIFT) + k))
        else:
            yield ("r", rejected_row(out))


def _read_records(
    rows: Iterator[tuple[Any, int]], path: str, index: int, options: IngestOptions
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    for row, k in rows:
        out = record_article(row.asDict(recursive=True), path, f"row {k + 1}", "parquet", options)
        if isinstance(out, Article):
            yield ("a", article_row(out, (index << SEQ_SHIFT) + k))
        else:
            yield ("r", rejected_row(out))


def read_corpus(spark: Any, inputs: Sequence[str], options: IngestOptions) -> tuple[Any, Any]:
    """(articles, rejected) DataFrames of the inputs, in the ``ARTICLES`` and ``REJECTED`` schemas.

    Articles repeated (the same id: the same normalised text) are kept once, the first read, as ``add``
    keeps them."""
    from pyspark import StorageLevel

    if not inputs:
        raise UsageError("no input named: give files, folders, globs or Parquet tables")
    sc = spark.sparkContext
    parts: list[Any] = []
    files: list[tuple[int, str]] = []
    rejected: list[tuple[Any, ...]] = []
    index = 0
    for p in inputs:
        if p == "-":
            raise UsageError("the Spark job reads files, not standard input")
        if is_parquet(p):
            rows = spark.read.parquet(p).rdd.zipWithIndex()
            parts.append(rows.mapPartitions(lambda it, p=p, i=index: _read_records(it, p, i, options)))
            index += 1
            continue
        for ref in expand_inputs([p], options):
            if isinstance(ref, InputRef):
                files.append((index, ref.fs_path or ref.path))
                index += 1
            else:
                rejected.append(rejected_row(ref))
    if files:
        rdd = sc.parallelize(files, len(files))  # one file per task
        parts.append(rdd.flatMap(lambda item: _read_file(item, options)))
    if rejected:
        parts.append(sc.parallelize([("r", r) for r in rejected], 1))
    both = sc.union(parts) if parts else sc.emptyRDD()
    both = both.persist(StorageLevel.DISK_ONLY)  # read once, then split in two (on disk: see job.CACHE)
    articles = spark.createDataFrame(both.filter(lambda t: t[0] == "a").map(lambda t: t[1]), schemas.ARTICLES)
    bad = spark.createDataFrame(both.filter(lambda t: t[0] == "r").map(lambda t: t[1]), schemas.REJECTED)
    return _first_of_each_id(articles), bad


def _first_of_each_id(articles: Any) -> Any:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    w = Window.partitionBy("id").orderBy("seq")
    return articles.withColumn("_n", F.row_number().over(w)).filter("_n = 1").drop("_n")
