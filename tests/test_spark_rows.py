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
