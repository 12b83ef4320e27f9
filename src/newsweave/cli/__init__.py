"""The command line: a thin layer over the library.

Each command group lives in its own module with a ``register(app, eval_app)`` function; this module
builds the Typer application, registers the groups, and maps errors to exit statuses:
0 all went in, 1 some input rejected (or a domain error), 2 usage error.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import typer
import typer.main

from newsweave.errors import NewsweaveError, UsageError

app = typer.Typer(
    name="newsweave",
    help="Read one news story across many outlets: ingest, dedup, stories, compare sources with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure each stage on real, labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


# Commands that read only the store, never a web page: they skip importing the HTML extractors (trafilatura
# and htmldate, about 0.3 s of every start) just to quiet their loggers.
_STORE_READERS = frozenset(
    {
        "articles",
        "show",
        "rejected",
        "stories",
        "story",
        "storylines",
        "storyline",
        "versions",
        "diff",
        "report",
    }
)


@app.callback()
def _root(
    ctx: typer.Context,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress and decisions to stderr."),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if ctx.invoked_subcommand in _STORE_READERS:
        return
    from newsweave.ingest.html import quiet_extractors

    quiet_extractors()  # trafilatura/htmldate log per page; keep that for --verbose


def _register_all() -> None:
    from newsweave.cli import (
        analysis_cmds,
        compare_cmds,
        export_cmds,
        fetch_cmds,
        ingest_cmds,
        search_cmds,
        serve_cmds,
        spark_cmds,
        stories_cmds,
    )

    for module in (
        ingest_cmds,
        fetch_cmds,
        analysis_cmds,
        stories_cmds,
        compare_cmds,
        serve_cmds,
        search_cmds,
        export_cmds,
        spark_cmds,
    ):
        module.register(app, eval_app)


_register_all()


def tidy_help(command: Any) -> Any:
    """The click command tree with help that shows flags as flags: Typer prints a type after every
    option (``--json <bool>``, ``--map <list[str]>``, ``paths... <list[str]>``); a flag takes no value,
    a repeatable option says so, and an argument's name already says what it takes."""
    for cmd in [command, *_subcommands(command)]:
        cmd.get_help_option = _flag_help_option(cmd.get_help_option)
        for param in getattr(cmd, "params", []):
            if getattr(param, "is_flag", False):
                param.metavar = ""
            elif getattr(param, "param_type_name", "") == "argument":
                param.display_type_rich = lambda ctx: None  # the name ("paths...") says it
            elif getattr(param, "multiple", False):
                param.metavar = "<str> (repeatable)"
    return command


def _flag_help_option(get: Any) -> Any:
    def wrapped(ctx: Any) -> Any:
        opt = get(ctx)
        if opt is not None:
            opt.metavar = ""
        return opt

    return wrapped


def _subcommands(command: Any) -> list[Any]:
    out = []
    for sub in getattr(command, "commands", {}).values():
        out.append(sub)
        out.extend(_subcommands(sub))
    return out


def cli() -> Any:
    """The click command of the application, help tidied (:func:`tidy_help`)."""
    return tidy_help(typer.main.get_command(app))


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        cli()(standalone_mode=True)
    except UsageError as e:
        typer.echo(f"error: {e}", err=True)
        sys.exit(2)
    except NewsweaveError as e:
        typer.echo(f"error: {e}", err=True)
        sys.exit(1)
