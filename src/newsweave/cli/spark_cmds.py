"""``spark run`` (the pipeline on Spark) and ``import-parquet`` (its output into a store)."""

from __future__ import annotations

from pathlib import Path

import typer

from newsweave.cli.common import DbOption, err_console, open_store
from newsweave.errors import UsageError

spark_app = typer.Typer(
    help="Run the pipeline on Spark (needs the spark extra and Java 17).", no_args_is_help=True
)


def spark_run_cmd(
    inputs: list[str] = typer.Option(
        ..., "--input", help="File, folder, glob or Parquet table (repeatable)."
    ),
    output: Path = typer.Option(..., "--output", help="Folder for the Parquet tables (replaced)."),
    master: str = typer.Option(
        "local[2]", "--master", help="Spark master: local[N], spark://HOST:PORT, yarn."
    ),
    partitions: int = typer.Option(0, "--partitions", help="Partitions of the analysis (0: one per core)."),
) -> None:
    """Ingest, analyse, dedup and cluster a corpus on Spark; write Parquet tables under --output."""
    try:
        from newsweave.spark import SparkJobOptions, run_job
        from newsweave.spark.session import spark_session
    except ImportError as e:
        raise UsageError(f"the Spark job needs the spark extra (pip install 'newsweave[spark]'): {e}") from e
    spark = spark_session(master)
    try:
        s = run_job(spark, inputs, str(output), SparkJobOptions(partitions=partitions))
    finally:
        spark.stop()
    err_console.print(
        f"{s.articles} articles, {s.rejected} rejected, {s.duplicates} duplicate links, {s.stories} stories "
        f"in {output}"
    )


def import_parquet_cmd(
    path: Path = typer.Argument(..., help="The output folder of `newsweave spark run`."),
    db: Path | None = DbOption,
) -> None:
    """Load a Spark job's Parquet tables into the store (stories, report and serve then browse them)."""
    from newsweave.spark.load import import_parquet

    store = open_store(db)
    try:
        s = import_parquet(store, path)
    finally:
        store.close()
    err_console.print(
        f"imported {s.articles} articles ({s.added} new), {s.rejected} rejected, {s.analysed} analyses, "
        f"{s.stories} stories, {s.duplicates} duplicate links"
    )


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``spark run`` and ``import-parquet``."""
    spark_app.command("run")(spark_run_cmd)
    app.add_typer(spark_app, name="spark")
    app.command("import-parquet")(import_parquet_cmd)
