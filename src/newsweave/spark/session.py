"""The Spark session of the job: local mode by default, on this machine's loopback address."""

from __future__ import annotations

import os
import sys
from typing import Any

# Spark's own defaults for a small local job are sized for a cluster (200 shuffle partitions).
LOCAL_CONF = {
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.python.worker.reuse": "true",  # one Python worker per core, the model loaded once in each
}


def spark_session(master: str | None = "local[2]", app_name: str = "newsweave", **conf: str) -> Any:
    """A SparkSession for ``master`` (None: whatever spark-submit configured).

    The driver and the workers run this Python (``PYSPARK_PYTHON`` when set, else ``sys.executable``), and
    a local session binds 127.0.0.1 (``SPARK_LOCAL_IP``), never a public interface.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if master is None or master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
        if master.startswith("local"):
            builder = builder.config("spark.driver.host", "127.0.0.1").config(
                "spark.driver.bindAddress", "127.0.0.1"
            )
    for key, value in {**LOCAL_CONF, **conf}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
