"""CLI commands of this stage (registered by newsweave.cli)."""

from __future__ import annotations

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    return None
