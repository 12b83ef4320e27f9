"""JSON, Markdown and terminal output, and the compare / report commands."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone

import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import SEED_000, SEED_002
from newsweave.cli import app, main
from newsweave.compare import CompareOptions, compare_articles
from newsweave.errors import StoreError
from newsweave.ingest import read_text_article
from newsweave.model import Article, article_id_for
from newsweave.report.json_report import to_dict
from newsweave.report.markdown import render_markdown
from newsweave.report.terminal import print_comparison

runner = CliRunner()


def _seeds():
    arts = [read_text_article(p.read_text(encoding="utf-8"), path=str(p)) for p in (SEED_000, SEED_002)]
    return arts, compare_articles(arts, None, CompareOptions(embeddings=False))


def _md_text(t: str) -> str:
    from newsweave.report.markdown import _md

    return _md(t)


def test_markdown_has_every_section_and_escapes():
    _, comp = _seeds()
    md = render_markdown(comp)
    for head in ("## Sources", "## Quotes across sources", "## Numbers across sources", "## Claims",
                 "## Entities (alias table)", "## Framing"):  # fmt: skip
        assert head in md
    assert "around a fifth" in md and "**reworded**" in md and "diff:" in md
    # each claim's line names its own sentence; the sentences linked to it follow
    lines = md.splitlines()
    for cl in (x for x in comp.claims if x.status != "single"):
        (line,) = [x for x in lines if x.startswith(f"- **{cl.status}**") and x.endswith(_md_text(cl.text))]
        following = lines[lines.index(line) + 1]
        assert following.startswith("  - ") and not following.endswith(_md_text(cl.text))
    t = "He wrote <script>x()</script> | and 12 pipes."
    a = Article(id=article_id_for(t), text=t, source="a")
    md2 = render_markdown(compare_articles([a], None, CompareOptions(embeddings=False)))
    assert "<script>" not in md2 and "&lt;script&gt;" in md2


def test_terminal_tables():
    _, comp = _seeds()
    console = Console(record=True, width=160)
    print_comparison(comp, console)
    out = console.export_text()
    assert "Quotes across sources" in out and "reworded" in out and "Zelenskyy" in out
    # the counts read as a sentence, the Markdown report's, not as Python dicts
    flat = " ".join(out.split())
    assert "{'" not in out and "1 reworded. Numbers: 2 agree, 0 conflict." in flat
    assert render_markdown(comp).splitlines()[2] in flat


def test_cli_compare_json(tmp_path):
    res = runner.invoke(
        app, ["compare", str(SEED_000), str(SEED_002), "--json", "--no-embed", "--no-analyse"]
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.output.strip().splitlines()[-1])
    assert d["schema_version"] and len(d["sources"]) == 2
    assert {s["path"] for s in d["sources"]} == {str(SEED_000), str(SEED_002)}
    html = tmp_path / "r.html"
    res = runner.invoke(app, ["compare", str(SEED_000), str(SEED_002), "--md", "--html", str(html), "--no-embed",
                              "--no-analyse"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "## Quotes across sources" in res.output and html.read_text(encoding="utf-8").startswith(
        "<!DOCTYPE html>"
    )


def test_cli_compare_odd_inputs(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02garbage\xff")
    (tmp_path / "ok.txt").write_text(
        "Title: T\n\nOnly 3 words \u201cquoted here now\u201d said Bob.\n", encoding="utf-8"
    )
    res = runner.invoke(app, ["compare", *(str(p) for p in sorted(tmp_path.iterdir())), "--json", "--no-embed",
                              "--no-analyse"])  # fmt: skip
    assert res.exit_code == 0, res.output  # the report is written, and the rejected inputs are said in it
    report = json.loads(res.output.strip().splitlines()[-1])
    assert len(report["sources"]) == 1
    warnings = " ".join(report["warnings"])
    assert "bin.txt" in warnings and "binary" in warnings and "empty.txt" in warnings and "empty" in warnings


def test_report_unknown_story(tmp_path, capsys, monkeypatch):
    db = tmp_path / "x.duckdb"
    # no store at all: the error names the path
    res = runner.invoke(app, ["report", "nosuchstory", "--db", str(db), "--json"])
    assert isinstance(res.exception, StoreError) and str(res.exception).startswith(f"no store at {db}: ")
    # a store without that story: through main(), exit 1 and one line naming the story, no traceback
    assert (
        runner.invoke(app, ["add", str(SEED_002), "--db", str(db), "--no-analyse", "--no-cluster"]).exit_code
        == 0
    )
    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["newsweave", "report", "nosuchstory", "--db", str(db)])
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 1
    assert capsys.readouterr() == ("", "error: no story 'nosuchstory'\n")


def test_json_sources_and_independence():
    _, comp = _seeds()
    d = to_dict(comp)
    assert [s["independent_group"] for s in d["sources"]] == [0, 1]
    # "BBC Radio 4" is a name, not a figure (issue #20): 6 single figures, not 7
    assert d["summary"]["numbers"] == {"agree": 2, "conflict": 0, "single": 6}


def test_report_story_from_store(tmp_path):
    db = str(tmp_path / "s.duckdb")
    res = runner.invoke(app, ["add", str(SEED_000), str(SEED_002), "--db", db])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["stories", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    stories = json.loads(res.output.strip().splitlines()[-1])
    story = next(s for s in stories if s["n_articles"] == 2)
    res = runner.invoke(app, ["report", story["id"][:8], "--db", db, "--json", "--no-embed"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output.strip().splitlines()[-1])
    assert {s["article_id"] for s in d["sources"]} == set(story["article_ids"])
    assert any(q["status"] == "reworded" for q in d["quotes"])


@pytest.mark.slow
def test_cli_compare_defaults_on_seeds():
    """The path the cross-source scorer takes: analysis stage and embeddings on (the defaults)."""
    res = runner.invoke(app, ["compare", str(SEED_000), str(SEED_002), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout.strip().splitlines()[-1])
    assert d["summary"]["embeddings_used"] is True
    q = [x for x in d["quotes"] if any("temporary peace" in e["text"] for e in x["evidence"])]
    assert len(q) == 1 and q[0]["status"] == "reworded" and "Klitschko" in q[0]["speaker"]
    n = [x for x in d["numbers"] if any(e["text"] == "around a fifth" for e in x["evidence"])]
    assert len(n) == 1 and n[0]["status"] == "agree"
    w = [c for c in d["claims"] if any("Witkoff" in e["text"] for e in c["evidence"])]
    assert len(w) == 1 and w[0]["status"] == "single"
    z = [r for r in d["entities"] if any("Zelensky" in f for x in r["forms"] for f in x["forms"])]
    assert len(z) == 1 and len(z[0]["forms"]) == 2


def test_terminal_report_shows_control_characters_as_replacement_marks():
    t = "The harbour \x1b]0;owned\x07 board said 12 people were hurt.\x1b[2J"
    a = Article(id=article_id_for(t), text=t, source="evil\x1b[31m.example", title="Ferry \x1b[8mhidden")
    console = Console(record=True, width=160)
    print_comparison(compare_articles([a], None, CompareOptions(embeddings=False)), console)
    out = console.export_text()
    assert "\x1b" not in out and "\x07" not in out and "\ufffd" in out


def test_empty_sections_say_so_and_times_read_short():
    from newsweave.report.common import short_time

    assert short_time("2014-08-05T19:43:52.156000-04:00") == "2014-08-05 19:43 -04:00"
    assert short_time("2014-08-05T19:43:52Z") == "2014-08-05 19:43 UTC"
    assert short_time("2014-08-05") == "2014-08-05" and short_time(None) == ""
    assert short_time("last Tuesday") == "last Tuesday"
    a = Article(id="x1", text="The pier closed on Monday after a storm damaged it badly.", source="a",
                published_at=datetime(2014, 8, 5, 19, 43, 52, 156000, tzinfo=timezone(timedelta(hours=-4))))  # fmt: skip
    b = Article(id="x2", text="Nobody could say when the museum would open its doors again.", source="b")
    comp = compare_articles([a, b], None, CompareOptions(embeddings=False))
    console = Console(record=True, width=160)
    print_comparison(comp, console)
    out = console.export_text()
    assert "Quotes across sources: none quoted by two sources" in out
    assert "Numbers across sources: none given by two sources" in out
    assert "2014-08-05 19:43 -04:00" in out and "52.156" not in out
    md = render_markdown(comp)
    assert "None quoted by two sources." in md and "None given by two sources." in md
    assert "None stated by two sources." in md and "| 2014-08-05 19:43 -04:00 |" in md
    assert "| Status | What |" not in md
