"""Bad arguments a user gives the command line end in one line naming the problem, never a traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsweave.cli import app as cli
from newsweave.errors import NewsweaveError

ARTICLE = """Title: Ferry line adds two boats
Source: Elmsworth Post

The harbour authority of Port Elmsworth said on Tuesday that the ferry line would add two boats to its
fleet before the summer, director Mara Quill said.
"""


def _newsweave(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsweave", *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_an_html_report_to_a_missing_folder_or_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    article = tmp_path / "ferry.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    missing = tmp_path / "no-such-folder" / "report.html"
    for args in (
        ["compare", str(article), "--no-analyse", "--no-embed", "--html", str(missing)],
        ["report", "s0000", "--db", str(tmp_path / "none.duckdb"), "--html", str(missing)],
        ["compare", str(article), "--no-analyse", "--no-embed", "--html", str(tmp_path)],
    ):
        r = _newsweave(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr and r.stderr.startswith("error: --html "), r.stderr
        assert "no folder" in r.stderr or "a folder, not a file" in r.stderr
    assert not missing.parent.exists()


def test_serve_on_a_busy_port_says_so_and_port_0_shows_the_port_chosen(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    started: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(kw) or app.state.store.close())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = CliRunner().invoke(cli, ["serve", "--db", str(demo_store), "--port", str(port), "--read-only"])
    assert isinstance(r.exception, NewsweaveError) and not started, r.output  # was: "serving", then exit 3
    assert str(r.exception) == f"cannot listen on 127.0.0.1:{port}: Address already in use"
    r = CliRunner().invoke(cli, ["serve", "--db", str(demo_store), "--port", "0", "--read-only"])
    assert r.exit_code == 0, r.output
    chosen = started.pop()["port"]  # was 0, and the URL printed said ":0/"
    assert chosen > 0 and f"http://127.0.0.1:{chosen}/" in r.output


def test_messages_on_stderr_stay_on_one_line_outside_a_terminal(tmp_path: Path) -> None:
    article = tmp_path / "ferry.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "store.duckdb")
    assert _newsweave("add", str(article), "--db", db, "--no-analyse", "--no-cluster").returncode == 0
    out = tmp_path / ("a-folder-with-a-long-name-" * 4) / "articles-exported-for-the-weekly-review.jsonl"
    out.parent.mkdir()
    r = _newsweave("export", "articles", "--db", db, "--out", str(out))
    assert r.returncode == 0 and out.is_file(), r.stderr
    assert f"exported 1 articles to {out}\n" in r.stderr  # was wrapped at 80 columns, the path cut in two


def test_an_interrupted_add_says_what_is_kept_and_how_to_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsweave.pipeline as pipeline

    article = tmp_path / "ferry.txt"
    article.write_text(ARTICLE, encoding="utf-8")

    def interrupted(*args: object, **kw: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "add_inputs", interrupted)
    r = CliRunner().invoke(cli, ["add", str(article), "--db", str(tmp_path / "s.duckdb")])
    assert r.exit_code == 130
    assert "interrupted" in r.output and "run the same command again" in r.output  # was silent
