"""``serve``: the web app and JSON API over a store, on this machine by default."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import typer

from newsweave.cli.common import DbOption, err_console
from newsweave.errors import NewsweaveError, NotFoundError, UsageError

TOKEN_ENV = "NEWSWEAVE_TOKEN"
# A token shorter than this is guessable by trying; 16 characters of `secrets.token_urlsafe` are ~96 bits.
MIN_TOKEN_CHARS = 16


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def free_port(host: str, port: int) -> int:
    """``port`` if it can be listened on at ``host`` now (port 0: a free port chosen by the system);
    NewsweaveError naming the address and the reason (in use, not an address of this machine) if not.
    The probe socket is closed again at once: the server binds the port itself just after."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            if hasattr(socket, "SO_REUSEADDR"):  # as the server binds: a port in TIME_WAIT is free
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), port))
            return int(probe.getsockname()[1])
    except OSError as e:
        shown = f"[{host}]" if ":" in host else host
        raise NewsweaveError(f"cannot listen on {shown}:{port}: {e.strerror or e}") from e


def serve(
    db: Path | None = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port."),
    embed: bool | None = typer.Option(
        None, "--embed/--no-embed", help="Sentence embeddings in comparisons (default: when installed)."
    ),
    read_only: bool = typer.Option(
        False, "--read-only", help="No adding articles; other processes can still open the store read-only."
    ),
    token: str | None = typer.Option(
        None,
        "--token",
        envvar=TOKEN_ENV,
        show_envvar=True,
        help="Secret that adding articles needs (Authorization: Bearer, or the add form's field); required "
        "to add when --host is not a loopback address.",
    ),  # fmt: skip
    prepare: bool = typer.Option(
        False,
        "--prepare",
        help="Articles added through the app also get their stories compared and stored, as add --prepare "
        "(an upload may say otherwise: the form's box, ?prepare= on the API).",
    ),
) -> None:
    """Serve the stories, their comparisons and a JSON API in a browser, and take new articles."""
    import uvicorn

    from newsweave.store import default_db_path, is_store_url
    from newsweave.web import WebOptions, create_app
    from newsweave.web.writes import WriteOptions

    path = db if db is not None else default_db_path()
    if not is_store_url(path) and not Path(path).is_file():
        raise NotFoundError(f"no store at {path} (make one with newsweave add)")
    if not host.strip():
        raise UsageError("--host must not be empty")
    if prepare and read_only:
        raise UsageError("--prepare and --read-only: a read-only server adds no articles to prepare")
    port = free_port(host, port)  # before the store is opened: a busy port is one line, exit 1
    loopback = is_loopback(host)
    hosts = ("*",) if not loopback else WebOptions().allowed_hosts
    if token is not None and len(token.strip()) < MIN_TOKEN_CHARS:
        raise UsageError(f"--token must have at least {MIN_TOKEN_CHARS} characters")
    if not loopback:
        err_console.print(
            f"[yellow]warning:[/] serving {path} on {host}: anyone who can reach it can read it"
            + ("" if token or read_only else "; adding articles is off (no --token)")
        )
    writes = WriteOptions(token=token.strip() if token else None, loopback=loopback, prepare=prepare)
    app = create_app(
        path, WebOptions(embeddings=embed, allowed_hosts=hosts, writable=not read_only, writes=writes)
    )
    shown = f"[{host}]" if ":" in host else host
    err_console.print(f"newsweave: serving {path} at http://{shown}:{port}/  (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``serve``."""
    app.command()(serve)
