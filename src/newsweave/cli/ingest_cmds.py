"""``add``, ``articles``, ``show``, ``rejected``: getting articles in and looking at them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from newsweave.cli.common import DbOption, JsonOption, console, err_console, open_store, print_json
from newsweave.errors import UsageError
from newsweave.views.shapes import analysis_obj, article_obj, rejected_obj

FORMATS = ("auto", "text", "html", "json", "jsonl", "csv", "rss", "warc")


def _parse_map(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for it in items:
        if "=" not in it:
            raise UsageError(f"--map takes field=column, got {it!r}")
        k, v = it.split("=", 1)
        if not k.strip() or not v.strip():
            raise UsageError(f"--map takes field=column, got {it!r}")
        out[k.strip()] = v.strip()
    return out


def add(
    paths: list[str] = typer.Argument(..., help="Files, folders, globs, or - for stdin."),
    source: str | None = typer.Option(None, "--source", help="Outlet name for every article read."),
    fmt: str = typer.Option("auto", "--format", help=f"Input format: {', '.join(FORMATS)}."),
    mapping: list[str] = typer.Option([], "--map", help="field=column for JSON/CSV exports (repeatable)."),
    no_analyse: bool = typer.Option(False, "--no-analyse", help="Skip entity/quote/number analysis."),
    no_cluster: bool = typer.Option(False, "--no-cluster", help="Skip story assignment."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Read articles into the store. Exit 0 if all went in, 1 if some input was rejected."""
    from newsweave.ingest import IngestOptions
    from newsweave.pipeline import AddOptions, add_inputs

    if fmt not in FORMATS:
        raise typer.BadParameter(
            f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}", param_hint="--format"
        )
    options = AddOptions(
        ingest=IngestOptions(
            source=source, format=None if fmt == "auto" else fmt, field_map=_parse_map(mapping)
        ),
        analyse=not no_analyse,
        cluster=not no_cluster,
    )
    store = open_store(db)
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} read"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=as_json or not err_console.is_terminal,
        ) as progress:
            task = progress.add_task("reading", total=None)
            summary = add_inputs(store, paths, options, on_item=lambda _item: progress.advance(task))
        stories = len(set(summary.stories.values()))
        total_articles = store.count_articles()
    finally:
        store.close()
    if as_json:
        print_json(
            {
                "added": len(summary.added),
                "duplicates": len(summary.duplicates),
                "rejected": [
                    {"path": r.path, "position": r.position, "reason": r.reason} for r in summary.rejected
                ],
                "added_ids": summary.added,
                "stories": summary.stories,
                "analysed": summary.analysed,
                "articles_in_store": total_articles,
                "warnings": summary.warnings,
            }
        )
    else:
        console.print(
            f"[bold green]added {len(summary.added)}[/]  duplicates {len(summary.duplicates)}  "
            f"[bold {'red' if summary.rejected else 'green'}]rejected {len(summary.rejected)}[/]  "
            f"analysed {summary.analysed}  stories touched {stories}  (store: {total_articles} articles)"
        )
        if summary.rejected:
            t = Table("file", "position", "reason", title="Rejected inputs")
            for r in summary.rejected:
                t.add_row(Text(r.path), Text(r.position), Text(r.reason))
            console.print(t)
        for w in summary.warnings:
            err_console.print(f"[yellow]warning:[/] {w}")
    if summary.rejected:
        raise typer.Exit(1)


def articles(
    source: str | None = typer.Option(None, "--source", help="Only this outlet."),
    limit: int = typer.Option(100, "--limit", min=0, help="At most this many (0 = all)."),
    offset: int = typer.Option(0, "--offset", min=0),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List stored articles."""
    store = open_store(db, read_only=True)
    try:
        items = list(store.iter_articles(source=source, limit=limit or None, offset=offset))
    finally:
        store.close()
    if as_json:
        print_json([article_obj(a) for a in items])
        return
    t = Table(title=f"{len(items)} articles")
    t.add_column("id", no_wrap=True)
    for name in ("source", "published", "title", "words"):
        t.add_column(name)
    for a in items:
        t.add_row(
            a.id,
            Text(a.source or ""),
            a.published_at.strftime("%Y-%m-%d %H:%M") if a.published_at else "",
            Text((a.title or a.text[:70].replace("\n", " ") + "…") if a.text else ""),
            str(len(a.text.split())),
        )
    console.print(t)


def show(
    article_id: str = typer.Argument(..., help="Article id (a unique prefix is enough)."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Show one article, with its entities, quotes and numbers highlighted."""
    store = open_store(db, read_only=True)
    try:
        article = store.get_article(article_id)
        analysis = _load_analysis(store, article.id)
    finally:
        store.close()
    if as_json:
        obj = article_obj(article)
        if analysis is not None:
            obj["analysis"] = analysis_obj(analysis)
        print_json(obj)
        return
    head = Table.grid(padding=(0, 1))
    for label, value in (
        ("id", article.id),
        ("source", article.source),
        ("url", article.url),
        ("title", article.title),
        ("subtitle", article.subtitle),
        ("summary", article.summary),
        ("byline", article.byline),
        ("published", article.published_at.isoformat() if article.published_at else article.published_raw),
        ("language", article.language),
        ("from", f"{article.origin.path} {article.origin.position}".strip()),
    ):
        if value:
            head.add_row(Text(label, style="bold"), Text(str(value)))
    console.print(head)
    console.print()
    if analysis is not None:
        from newsweave.cli.analysis_cmds import render_analysis

        console.print(render_analysis(article, analysis))
    else:
        console.print(Text(article.text))


def _load_analysis(store: Any, article_id: str) -> Any:
    try:
        from newsweave.store.analysis import load_analysis
    except ImportError:
        return None
    return load_analysis(store, article_id)


def rejected(db: Path | None = DbOption, as_json: bool = JsonOption) -> None:
    """List inputs that were rejected, with file, position and reason."""
    store = open_store(db, read_only=True)
    try:
        items = store.rejected()
    finally:
        store.close()
    if as_json:
        print_json([rejected_obj(r) for r in items])
        return
    t = Table("file", "position", "reason", title=f"{len(items)} rejected")
    for r in items:
        t.add_row(Text(r.path), Text(r.position), Text(r.reason))
    console.print(t)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command()(add)
    app.command()(articles)
    app.command()(show)
    app.command()(rejected)
    try:
        from newsweave.eval.extract import register_eval_extract
    except ImportError:
        return
    register_eval_extract(eval_app)
