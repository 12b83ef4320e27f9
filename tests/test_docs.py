"""Every command of the CLI is documented in docs/cli.md, and the README gives the two set-up commands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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


def _doc_text_of_each_command(doc: str, names: list[str]) -> dict[str, str]:
    """For each command, the text that documents it: its own ``###`` sections (a command may have
    several, as ``add PATH`` and ``add URL``), the introduction of the ``##`` chapter it stands in,
    and the introduction of the whole page (where the options every command shares are described)."""
    intro, _, rest = doc.partition("\n## ")
    texts: dict[str, str] = dict.fromkeys(names, intro)
    for chapter in rest.split("\n## "):
        chapter_intro, *sections = chapter.split("\n### ")
        for section in sections:
            words = re.findall(r"[a-z][a-z-]*", section.split("`")[1]) if "`" in section else []
            two, one = " ".join(words[1:3]), " ".join(words[1:2])
            name = two if two in texts else one
            if name in texts:
                texts[name] += "\n" + chapter_intro + "\n" + section
    return texts


def test_every_option_is_documented() -> None:
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    click_app = typer.main.get_command(app)
    commands: dict[str, Any] = {}
    for name, cmd in click_app.commands.items():  # type: ignore[attr-defined]
        sub = getattr(cmd, "commands", None)
        commands.update({f"{name} {s}": c for s, c in sub.items()} if sub else {name: cmd})
    texts = _doc_text_of_each_command(doc, list(commands))
    missing = []
    for name, cmd in commands.items():
        for param in cmd.params:
            flags = [o for o in (*param.opts, *param.secondary_opts) if o.startswith("--")]
            if param.param_type_name != "option" or "--help" in flags:
                continue
            if not any(re.search(re.escape(f) + r"(?![\w-])", texts[name]) for f in flags):
                missing.append(f"{name} {'/'.join(flags)}")
    assert not missing, f"options missing from their command's part of docs/cli.md: {missing}"
