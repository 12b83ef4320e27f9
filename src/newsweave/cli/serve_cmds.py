"""``serve``: the web app and JSON API over a store, on this machine by default."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import typer

from newsweave.cli.common import DbOption, err_console
from newsweave.errors import NotFoundError, UsageError


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    db: Path | None = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port."),
    embed: bool | None = typer.Option(
        None, "--embed/--no-embed", help="Sentence embeddings in comparisons (default: when installed)."
    ),
) -> None:
    """Serve the stories, their comparisons and a JSON API in a browser (read-only)."""
    import uvicorn

    from newsweave.store import default_db_path, is_store_url
    from newsweave.web import WebOptions, create_app

    path = db if db is not None else default_db_path()
    if not is_store_url(path) and not Path(path).is_file():
        raise NotFoundError(f"no store at {path} (make one with newsweave add)")
    if not host.strip():
        raise UsageError("--host must not be empty")
    hosts = ("*",) if not is_loopback(host) else WebOptions().allowed_hosts
    if not is_loopback(host):
        err_console.print(
            f"[yellow]warning:[/] serving {path} on {host}: anyone who can reach it can read it"
        )
    app = create_app(path, WebOptions(embeddings=embed, allowed_hosts=hosts))
    shown = f"[{host}]" if ":" in host else host
    err_console.print(f"newsweave: serving {path} at http://{shown}:{port}/  (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``serve``."""
    app.command()(serve)
