"""``search``: ranked search over stored articles, quotes, claims and entities (by words, or by speaker)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from newsweave.cli.common import DbOption, JsonOption, open_store, print_json, print_table
from newsweave.errors import UsageError


def search(
    words: list[str] = typer.Argument(
        None, help="Words to look for (none with --speaker lists their quotes)."
    ),
    speaker: str | None = typer.Option(
        None, "--speaker", help="Only quotes by a speaker whose name contains this."
    ),
    kind: str = typer.Option("all", "--kind", help="article, quote, claim, entity or all."),
    source: str | None = typer.Option(None, "--source", help="Only this outlet."),
    limit: int = typer.Option(20, "--limit", min=1, help="Hits to show (the total counts them all)."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Search stored articles, quotes, claims and entities, best match first (BM25)."""
    from newsweave.views.search import KINDS, SearchIndex, SearchOptions

    if kind not in (*KINDS, "all"):
        raise UsageError(f"--kind must be {', '.join(KINDS)} or all, not {kind!r}")
    kinds = KINDS if kind == "all" else (kind,)
    query = " ".join(words or [])
    store = open_store(db, read_only=True)
    try:
        hits, total = SearchIndex.build(store).search(query, SearchOptions(kinds, speaker, source, limit))
    finally:
        store.close()
    if as_json:
        print_json({"query": query, "speaker": speaker, "total": total, "items": [h.to_dict() for h in hits]})
        return
    t = Table("kind", "score", "outlet", "article", "speaker", "text", title=f"{len(hits)} of {total} hits")
    t.columns[3].no_wrap = True
    t.columns[5].ratio = 3
    for h in hits:
        t.add_row(
            h.kind, f"{h.score:.2f}", Text(h.source or ""), h.article_id[:12], Text(h.speaker or ""),
            Text(" ".join(h.text.split())),
        )  # fmt: skip
    print_table(t)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``search``."""
    app.command()(search)
