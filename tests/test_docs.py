"""Every command of the CLI is documented in docs/cli.md, and the README gives the two set-up commands."""

from __future__ import annotations

from pathlib import Path

import typer.main

from newsweave.cli import app

REPO = Path(__file__).resolve().parents[1]


def _command_names() -> list[str]:
    click_app = typer.main.get_command(app)
    names: list[str] = []
    for name, cmd in click_app.commands.items():  # type: ignore[attr-defined]
        sub = getattr(cmd, "commands", None)
        if sub:
            names.extend(f"{name} {s}" for s in sub)
        else:
            names.append(name)
    return names


def test_every_command_is_documented() -> None:
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    names = _command_names()
    assert len(names) >= 10
    missing = [n for n in names if f"### `newsweave {n}" not in doc]
    assert not missing, f"commands missing from docs/cli.md: {missing}"


def test_readme_gives_the_two_setup_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
