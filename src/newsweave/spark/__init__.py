"""newsweave on Spark: the same stages over a corpus too large for one machine.

:func:`run_job` reads the inputs with the ingest stage's readers, analyses each partition with the analysis
stage (one model load per worker), finds duplicates with the dedup stage's MinHash band keys as a join,
and groups stories by blocking (time window, canonical entities) with the local clusterer inside each
block; it writes Parquet tables that :func:`newsweave.spark.load.import_parquet` loads into a store.
Needs the ``spark`` extra (pyspark) and Java 17 for local mode.
"""

from newsweave.spark.job import JobSummary, SparkJobOptions, run_job

__all__ = ["JobSummary", "SparkJobOptions", "run_job"]
