"""``export``: every stored article, story, claim, quote or number as CSV, JSON Lines or Parquet."""

from __future__ import annotations

from pathlib import Path

import typer

from newsweave.cli.common import DbOption, err_console, open_store


def export_cmd(
    kind: str = typer.Argument(..., help="articles, stories, claims, quotes or numbers."),
    fmt: str = typer.Option("jsonl", "--format", help="csv, jsonl or parquet."),
    out: Path | None = typer.Option(None, "--out", help="File to write (default: standard output)."),
    db: Path | None = DbOption,
    embed: bool | None = typer.Option(
        None,
        "--embed/--no-embed",
        help="Claims: sentence embeddings in the comparisons (default: when installed).",
    ),
) -> None:
    """Export every stored row of one kind (nothing is left out; the count goes to stderr)."""
    from newsweave.compare import CompareOptions
    from newsweave.views.comparison import StoryCompareOptions
    from newsweave.views.export import export

    store = open_store(db, read_only=True)
    try:
        n = export(store, kind, fmt, out, StoryCompareOptions(compare=CompareOptions(embeddings=embed)))
    finally:
        store.close()
    err_console.print(f"exported {n} {kind}" + (f" to {out}" if out else ""))


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``export``."""
    app.command("export")(export_cmd)
