"""The Spark job's row module stays free of the store's database drivers.

Spark workers build rows with :mod:`newsweave.spark.rows` (and analyse and cluster with the modules checked
beside it); DuckDB and psycopg are driver-side (the store) and need not be installed, let alone imported,
on a worker. Each check runs in a fresh interpreter where importing either driver fails.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

_BLOCKED = "import sys\nfor name in ('duckdb', 'psycopg', 'psycopg_pool'):\n    sys.modules[name] = None\n"


def _import_without_drivers(module: str) -> subprocess.CompletedProcess[str]:
    code = (
        _BLOCKED
        + f"import {module}\n"
        + "loaded = [n for n in ('duckdb', 'psycopg', 'psycopg_pool') if sys.modules.get(n) is not None]\n"
        + "assert not loaded, loaded\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "module",
    ["newsweave.spark.rows", "newsweave.spark.schemas", "newsweave.spark.analyse", "newsweave.spark.stories"],
)
def test_spark_rows_import_no_database_driver(module: str) -> None:
    done = _import_without_drivers(module)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_blocked_driver_check_can_fail() -> None:
    """The check itself: a module that imports DuckDB fails it."""
    done = _import_without_drivers("newsweave.store.duck")
    assert done.returncode != 0
    assert "duckdb" in done.stderr


def test_figure_columns_have_one_definition() -> None:
    """The store and the Spark rows read the same figure column list (one object, not a copy)."""
    from newsweave.spark import rows
    from newsweave.store import analysis, schema_rows

    assert rows.FIGURE_COLUMNS is schema_rows.FIGURE_COLUMNS is analysis.FIGURE_COLUMNS
    assert analysis.figure_columns is schema_rows.figure_columns


def test_where_an_analysis_stopped_survives_the_spark_rows() -> None:
    """An analysis cut at the most characters analysed keeps its ``analysed_chars`` through the job's rows
    and ``import-parquet``'s decoder; a whole one has no ``truncated`` row and reads back None."""
    from newsweave.dedup import DedupOptions
    from newsweave.model import Analysis, Article, Sentence, Span
    from newsweave.spark import schemas
    from newsweave.spark.analyse import analysed_rows
    from newsweave.spark.rows import ANALYSIS_TABLES, analysis_rows
    from newsweave.store.analysis import analysis_from_rows

    def round_trip(an: Analysis) -> Analysis:
        rows = analysis_rows(an)
        tables = {
            name: [dict(zip([f for f, _ in fields], r, strict=True)) for r in rows[name]]
            for name, fields in ANALYSIS_TABLES.items()
        }
        return analysis_from_rows(an.article_id, tables)

    cut = Analysis("a1", sentences=(Sentence(Span("a1", 0, 12), 0),), marked=(), analysed_chars=4_096)
    whole = Analysis("a2", sentences=(Sentence(Span("a2", 0, 12), 0),), marked=())
    assert round_trip(cut) == cut and round_trip(cut).analysed_chars == 4_096
    assert round_trip(whole) == whole and analysis_rows(whole)["truncated"] == []
    text = "The pier at Brantwick reopened on Monday after a storm."
    (row,) = analysed_rows([Article(id="a1", text=text)], [cut], DedupOptions())
    names = ["id"] + [c.split("`")[0] for c in schemas.ANALYSED.split(", `")[1:]]  # its top-level columns
    assert len(row) == len(names)  # one value per column of the ANALYSED schema
    assert row[names.index("truncated")] == [(4_096,)]
