"""The Spark session of the job: local mode by default, on this machine's loopback address."""

from __future__ import annotations

import os
import sys
from typing import Any

# Every session: shuffle joins only (Spark broadcasts a join side it estimates small; article tables, full
# texts, are estimated far below their size, and a 10k-article run failed building such a broadcast in a
# 1 GB driver), Arrow transfers, and reused Python workers (the model loaded once in each).
COMMON_CONF = {
    "spark.sql.autoBroadcastJoinThreshold": "-1",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.python.worker.reuse": "true",
}
# Local mode: Spark's defaults are sized for a cluster (200 shuffle partitions); the driver is also the
# executor, so it gets the memory.
LOCAL_CONF = {
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": "2g",
}


def spark_session(master: str | None = "local[2]", app_name: str = "newsweave", **conf: str) -> Any:
    """A SparkSession for ``master`` (None: whatever spark-submit configured).

    The driver and the workers run this Python (``PYSPARK_PYTHON`` when set, else ``sys.executable``), and
    a local session binds 127.0.0.1 (``SPARK_LOCAL_IP``), never a public interface. Local mode gets
    :data:`LOCAL_CONF`; every session :data:`COMMON_CONF`; ``conf`` overrides both.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    local = master is not None and master.startswith("local")
    if local:  # on a cluster (spark-submit) the addresses are the cluster's to set
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    if local:
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    for key, value in {**COMMON_CONF, **(LOCAL_CONF if local else {}), **conf}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
