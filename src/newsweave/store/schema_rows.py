"""Column forms of the stored analysis that the Spark job's rows share with the store.

Only the standard library and the model are imported here (no DuckDB, no psycopg, no pyarrow): Spark
workers build their rows with these (:mod:`newsweave.spark.rows`) without the store's database drivers,
and the store's own tables (:mod:`newsweave.store.analysis`) read the same definitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsweave.model import Figure

# a quantity's figure (newsweave.model.Figure) as columns of its row: column -> the Figure field; all NULL
# when it has none (fig_dim NULL)
_FIGURE = {"fig_low": "low", "fig_high": "high", "fig_exact": "exact", "fig_dim": "dim", "fig_hedge": "hedge",
           "fig_range": "is_range", "fig_converted": "converted", "fig_relative": "relative",
           "fig_small": "small", "fig_month": "month", "fig_open_high": "open_high", "fig_unit": "unit",
           "fig_step": "step", "fig_strict": "strict"}  # fmt: skip
FIGURE_COLUMNS = tuple(_FIGURE)


def figure_columns(f: Figure | None) -> dict[str, Any]:
    """The figure columns of a quantity's row (all None without a figure)."""
    return {c: (getattr(f, name) if f is not None else None) for c, name in _FIGURE.items()}


def figure_from_row(r: Mapping[str, Any]) -> Figure | None:
    """The figure of a quantity's row; None when the row has none (stored before figures were kept, or
    a Parquet table written before them, which lacks the columns)."""
    if r.get("fig_dim") is None:
        return None
    return Figure(**{name: r[c] for c, name in _FIGURE.items()})
