"""``watch``, ``versions``, ``diff``, and the URL half of ``add``: following the news over HTTP."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table
from rich.text import Text

from newsweave.cli.common import DbOption, JsonOption, console, open_store, print_json, print_table
from newsweave.errors import UsageError
from newsweave.store import Store

if TYPE_CHECKING:
    from newsweave.pipeline import AddOptions

AllowPrivateOption = typer.Option(
    False,
    "--allow-private",
    help="Also fetch private, loopback and link-local addresses (refused by default).",
)


def poll_json(result: Any) -> dict[str, Any]:
    return {
        "url": result.url,
        "kind": result.kind,
        "added": result.added,
        "versions": [{"article_id": a, "version": v} for a, v in result.versions],
        "unchanged": result.unchanged,
        "known": result.skipped,
        "rejected": [{"path": r.path, "position": r.position, "reason": r.reason} for r in result.rejected],
        "error": result.error,
        "seconds": round(result.seconds, 3),
    }


def _print_poll(result: Any, as_json: bool) -> None:
    if as_json:
        return
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sys.stderr.write(f"{stamp} {result.line()}\n")
    sys.stderr.flush()


def fetch_urls(
    store: Store, urls: list[str], add_options: AddOptions, allow_private: bool, as_json: bool
) -> Any:
    """``add URL...``: one poll per URL, each logged on stderr; returns the WatchSummary."""
    from newsweave.fetch import FetchOptions, WatchOptions, add_urls

    options = WatchOptions(fetch=FetchOptions(allow_private=allow_private), add=add_options)
    return add_urls(store, urls, options, on_poll=lambda r: _print_poll(r, as_json))


def watch(
    sources: list[str] = typer.Argument(None, help="Feed or page URLs to follow."),
    feeds: Path | None = typer.Option(None, "--feeds", help="File of URLs to follow: one a line, or OPML."),
    every: str = typer.Option("10m", "--every", help="Time between two rounds of polls: 90s, 10m, 1h."),
    once: bool = typer.Option(False, "--once", help="Poll every source once, then stop."),
    allow_private: bool = AllowPrivateOption,
    no_analyse: bool = typer.Option(False, "--no-analyse", help="Skip entity/quote/number analysis."),
    no_cluster: bool = typer.Option(False, "--no-cluster", help="Skip story assignment."),
    db: Path | None = DbOption,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per poll on stdout."),
) -> None:
    """Follow feeds and pages: poll them every --every, store new entries and new versions of articles."""
    from newsweave.fetch import FetchOptions, WatchOptions, parse_every, read_sources
    from newsweave.fetch import watch as run_watch
    from newsweave.pipeline import AddOptions

    urls = list(sources or [])
    if feeds is not None:
        urls.extend(read_sources(feeds))
    urls = list(dict.fromkeys(urls))
    if not urls:
        raise UsageError("nothing to watch: give feed or page URLs, or --feeds FILE")
    options = WatchOptions(
        fetch=FetchOptions(allow_private=allow_private),
        add=AddOptions(analyse=not no_analyse, cluster=not no_cluster),
        every=parse_every(every),
        once=once,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():  # a second signal: stop now
            raise KeyboardInterrupt
        sys.stderr.write(f"{signal.Signals(signum).name}: stopping (after the poll in progress, if any)\n")
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}

    def on_poll(result: Any) -> None:
        if as_json:
            print_json(poll_json(result))
        else:
            _print_poll(result, False)

    open_store(db).close()  # a store that cannot be opened is an error before the first poll
    try:  # the store is opened for each round and closed between rounds, so other commands can read it
        summary = run_watch(lambda: open_store(db), urls, options, stop=stop, on_poll=on_poll)
    except KeyboardInterrupt:  # a second signal: the poll in progress is abandoned (and redone next time)
        sys.stderr.write("interrupted\n")
        raise typer.Exit(130) from None
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
    if not as_json:
        sys.stderr.write(
            f"{summary.rounds} round(s): {len(summary.added)} new articles, {len(summary.new_versions)} new versions, "
            f"{len(summary.rejected)} rejected\n"
        )
    if once and summary.rejected:
        raise typer.Exit(1)


def versions(
    article: str = typer.Argument(
        ..., help="Article id (a unique prefix is enough) or the URL it came from."
    ),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List the versions of a fetched article, with their fetch times and dates."""
    from newsweave.fetch.history import article_versions, version_json

    store = open_store(db, read_only=True)
    try:
        article_id, items = article_versions(store, article)
    finally:
        store.close()
    if as_json:
        print_json({"article_id": article_id, "versions": [version_json(v) for v in items]})
        return
    t = Table(title=f"{len(items)} versions of {article_id}")
    for name in ("version", "fetched", "published", "updated", "words", "title"):
        t.add_column(name)
    for v in items:
        t.add_row(
            str(v.version),
            v.fetched_at.strftime("%Y-%m-%d %H:%M:%S"),
            v.published_at.strftime("%Y-%m-%d %H:%M") if v.published_at else "",
            v.updated_at.strftime("%Y-%m-%d %H:%M") if v.updated_at else "",
            str(len(v.text.split())),
            Text(v.title or ""),
        )
    print_table(t)


def diff(
    article: str = typer.Argument(..., help="Article id (or unique prefix) or the URL it came from."),
    v1: int | None = typer.Argument(None, help="Older version (default: the one before the latest)."),
    v2: int | None = typer.Argument(None, help="Newer version (default: the latest)."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Word diff between two versions of an article, with what changed (headline, numbers, quotes)."""
    from newsweave.fetch.history import article_versions, diff_json, pick_versions

    store = open_store(db, read_only=True)
    try:
        _, items = article_versions(store, article)
    finally:
        store.close()
    old, new = pick_versions(items, v1, v2)
    result = diff_json(old, new)
    if as_json:
        print_json(result)
        return
    console.print(
        Text(
            f"version {old.version} ({old.fetched_at:%Y-%m-%d %H:%M}) -> version {new.version} "
            f"({new.fetched_at:%Y-%m-%d %H:%M})",
            style="bold",
        )
    )
    for change in result["changes"]:
        console.print(Text("* " + change["description"]))
    console.print()
    body = Text()
    parts = result["diff"]
    for i, part in enumerate(parts):
        if part["op"] == "equal":
            body.append(_context(part["before"], first=i == 0, last=i == len(parts) - 1) + " ")
            continue
        if part["before"]:
            body.append(f"[-{part['before']}-]", style="red strike")
            body.append(" ")
        if part["after"]:
            body.append(f"{{+{part['after']}+}}", style="green")
            body.append(" ")
    console.print(body)


DIFF_CONTEXT = 12  # words of unchanged text shown on each side of a change (the rest is "...")


def _context(words: str, first: bool, last: bool) -> str:
    """An unchanged passage cut down to the words next to the changes around it."""
    w = words.split()
    keep_head = 0 if first else DIFF_CONTEXT
    keep_tail = 0 if last else DIFF_CONTEXT
    if len(w) <= keep_head + keep_tail + 1:
        return words
    return " ".join([*w[:keep_head], "...", *w[len(w) - keep_tail :]]).strip()


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command()(watch)
    app.command()(versions)
    app.command()(diff)
