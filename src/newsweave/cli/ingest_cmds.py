"""``add``, ``articles``, ``show``, ``rejected``: getting articles in and looking at them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from newsweave.cli.common import (
    DbOption,
    JsonOption,
    console,
    err_console,
    open_store,
    print_json,
    print_table,
    terminal_safe,
)
from newsweave.cli.fetch_cmds import AllowPrivateOption, fetch_urls
from newsweave.errors import UsageError
from newsweave.views.shapes import analysis_obj, article_obj, rejected_obj

FORMATS = ("auto", "text", "html", "json", "jsonl", "csv", "rss", "warc")
DEFAULT_TABLE_ROWS = 100  # a table on a screen; JSON gives everything unless --limit says otherwise


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
    paths: list[str] = typer.Argument(..., help="Files, folders, globs, - for stdin, or http(s) URLs."),
    source: str | None = typer.Option(None, "--source", help="Outlet name for every article read."),
    fmt: str = typer.Option("auto", "--format", help=f"Input format: {', '.join(FORMATS)}."),
    mapping: list[str] = typer.Option([], "--map", help="field=column for JSON/CSV exports (repeatable)."),
    no_analyse: bool = typer.Option(False, "--no-analyse", help="Skip entity/quote/number analysis."),
    no_cluster: bool = typer.Option(False, "--no-cluster", help="Skip story assignment."),
    prepare: bool = typer.Option(
        False,
        "--prepare",
        help="Then compare the stories touched (2+ articles) and store their comparisons, so report and "
        "the web pages read them (docs/cli.md).",
    ),
    allow_private: bool = AllowPrivateOption,
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Read articles (files or URLs) into the store. Exit 0 if all went in, 1 if some input was rejected."""
    from newsweave.fetch import is_url
    from newsweave.ingest import IngestOptions
    from newsweave.pipeline import AddOptions, AddSummary, add_inputs

    if fmt not in FORMATS:
        raise typer.BadParameter(
            f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}", param_hint="--format"
        )
    _check_something_named(paths)
    options = AddOptions(
        ingest=IngestOptions(
            source=source, format=None if fmt == "auto" else fmt, field_map=_parse_map(mapping)
        ),
        analyse=not no_analyse,
        cluster=not no_cluster,
        prepare=prepare,
    )
    store = open_store(db)
    try:
        with _stage_progress(disable=as_json or not err_console.is_terminal) as on_progress:
            files = [p for p in paths if not is_url(p)]
            summary = add_inputs(store, files, options, on_progress=on_progress) if files else AddSummary()
        urls = [p for p in paths if is_url(p)]
        fetched = fetch_urls(store, urls, options, allow_private, as_json) if urls else None
        if fetched is not None:  # pages and feeds: their articles, versions and rejects join the summary
            summary.added.extend(fetched.added)
            summary.rejected.extend(fetched.rejected)
            summary.analysed += fetched.pipeline.analysed
            summary.stories.update(fetched.pipeline.stories)
            summary.warnings.extend(fetched.pipeline.warnings)
            summary.prepared.extend(fetched.pipeline.prepared)
        stories = len(set(summary.stories.values()))
        total_articles = store.count_articles()
    except KeyboardInterrupt:  # Ctrl-C: say what is kept and how to finish (typer alone exits 130 silently)
        err_console.print(
            "interrupted: the batches already written stay in the store; run the same command again to "
            "add, analyse and place the rest (nothing is stored twice)"
        )
        raise typer.Exit(130) from None
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
                **({"prepared": summary.prepared} if prepare else {}),
                "versions": [
                    {"article_id": a, "version": v} for a, v in (fetched.new_versions if fetched else [])
                ],
            }
        )
    else:
        console.print(
            f"[bold green]added {len(summary.added)}[/]  duplicates {len(summary.duplicates)}  "
            f"[bold {'red' if summary.rejected else 'green'}]rejected {len(summary.rejected)}[/]  "
            f"analysed {summary.analysed}  stories touched {stories}  (store: {total_articles} articles)"
            + (f"  new versions {len(fetched.new_versions)}" if fetched else "")
            + (f"  stories prepared {len(summary.prepared)}" if prepare else "")
        )
        if summary.rejected:
            t = Table("file", "position", "reason", title="Rejected inputs")
            for r in summary.rejected:
                t.add_row(Text(r.path), Text(r.position), Text(r.reason))
            print_table(t)
        for w in summary.warnings:
            err_console.print(f"[yellow]warning:[/] {w}")
    if summary.rejected:
        raise typer.Exit(1)


@contextmanager
def _stage_progress(disable: bool) -> Iterator[Any]:
    """A progress display on stderr with one line per stage (read, dedup, analyse, stories, prepare): count,
    total when known, rate and time left."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description:<8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=True, disable=disable) as progress:
        tasks: dict[str, Any] = {}
        started: dict[str, float] = {}

        def on_progress(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total, rate="")
                started[stage] = time.monotonic()
            elapsed = time.monotonic() - started[stage]
            rate = f"{done / elapsed:,.1f}/s" if elapsed > 0.5 and done else ""
            progress.update(tasks[stage], completed=done, total=total, rate=rate)

        yield on_progress


def _check_something_named(paths: list[str]) -> None:
    """UsageError (exit 2) when the inputs named hold no file at all: every pattern matches nothing, every
    folder is empty, every path is missing. Checked before the store is opened; nothing is read."""
    from newsweave.ingest import IngestOptions
    from newsweave.ingest.sources import NOTHING_NAMED, expand_inputs
    from newsweave.model import Rejected

    if not paths:
        raise UsageError("no input named: give files, folders, globs or - for stdin")
    from newsweave.fetch import is_url

    if "-" in paths or any(is_url(p) for p in paths):
        return  # stdin and URLs are read (and their failures recorded) when the store is open
    why = []
    for item in expand_inputs(paths, IngestOptions()):
        if not isinstance(item, Rejected) or item.reason not in NOTHING_NAMED:
            return
        why.append(f"{item.path}: {item.reason}")
    raise UsageError("nothing to read: " + "; ".join(why))


def articles(
    source: str | None = typer.Option(None, "--source", help="Only this outlet."),
    limit: int | None = typer.Option(
        None, "--limit", min=0, help="At most this many (0 = all; default: all with --json, 100 in a table)."
    ),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many first."),
    search: str | None = typer.Option(None, "--search", help="Words in the headline or text."),
    entity: str | None = typer.Option(None, "--entity", help="Only articles naming this entity."),
    since: str | None = typer.Option(None, "--since", help="Published on or after this date (ISO)."),
    until: str | None = typer.Option(None, "--until", help="Published before this date (ISO)."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List stored articles. When more are stored than shown, stderr says so. The filters are the web
    app's (the same library call); without them, articles come in the order they were added."""
    from newsweave.cli.stories_cmds import iso_date
    from newsweave.ingest.html import word_count

    n = limit if limit is not None else (0 if as_json else DEFAULT_TABLE_ROWS)
    store = open_store(db, read_only=True)
    try:
        if search or entity or since or until:
            from newsweave.views.listing import ArticleFilter, filtered_articles

            flt = ArticleFilter(source=source, since=iso_date(since, "--since"), until=iso_date(until, "--until"),
                                query=search, entity=entity)  # fmt: skip
            found = filtered_articles(store, flt)
            items = found[offset : offset + n + 1] if n else found[offset:]
        else:
            items = list(store.iter_articles(source=source, limit=n + 1 if n else None, offset=offset))
    finally:
        store.close()
    if n and len(items) > n:
        items = items[:n]
        err_console.print(
            f"showing articles {offset + 1} to {offset + n}; more are stored (--limit 0 for all, --offset N)",
            markup=False,
            highlight=False,
        )
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
            str(word_count(a.text)),
        )
    print_table(t)


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
            head.add_row(Text(label, style="bold"), Text(terminal_safe(str(value))))
    console.print(head)
    console.print()
    if analysis is not None:
        from newsweave.cli.analysis_cmds import render_analysis

        console.print(render_analysis(article, analysis))
    else:
        console.print(Text(terminal_safe(article.text)))


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
    print_table(t)


def outlets(as_json: bool = JsonOption) -> None:
    """List the outlet registry in force (packaged entries and the user files read: NEWSWEAVE_OUTLETS, else
    outlets.toml in the user configuration directory)."""
    from newsweave.outlets import ENV_VAR, registry

    reg = registry()
    files = ["(packaged) newsweave/data/outlets.toml", *reg.files]
    rows = sorted(reg.outlets.values(), key=lambda o: o.key)
    if as_json:
        print_json(
            {
                "files": files,
                "outlets": [
                    {
                        "key": o.key,
                        "name": o.name,
                        "domains": list(o.domains),
                        "aliases": list(o.aliases),
                        "owner": o.owner,
                        "kind": o.kind,
                    }  # fmt: skip
                    for o in rows
                ],
            }
        )
        return
    t = Table("key", "name", "kind", "domains", "aliases", "owner", title=f"{len(rows)} outlets")
    for o in rows:
        t.add_row(
            o.key, Text(o.name), o.kind, ", ".join(o.domains), Text(", ".join(o.aliases)), Text(o.owner or "")
        )
    print_table(t)
    console.print(f"files read: {'; '.join(files)}", markup=False, highlight=False)
    if not reg.files:
        console.print(f"(no user file: set {ENV_VAR} or add outlets.toml to the user configuration directory)",
                      markup=False, highlight=False)  # fmt: skip


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command()(add)
    app.command()(outlets)
    app.command()(articles)
    app.command()(show)
    app.command()(rejected)
    try:
        from newsweave.eval.extract import register_eval_extract
        from newsweave.eval.metadata import register_eval_metadata
    except ImportError:
        return
    register_eval_extract(eval_app)
    register_eval_metadata(eval_app)
