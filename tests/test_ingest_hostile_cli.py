"""Hostile inputs as a new user meets them: ``newsweave add`` on a folder of them prints one line per rejected
input naming the file and the reason (no traceback, no "unexpected error"), stores what is good and exits 1.
Plus the two defects this run found: a CSV of binary bytes ended in an unexpected UnicodeDecodeError with a
traceback, and a NUL character in a record's text (a CSV cell, a JSONL ``\\u0000`` escape) was stored as is,
which PostgreSQL refuses (its text cannot hold NUL), failing the whole batch on that backend.
Invented text and bytes only."""

from __future__ import annotations

import gzip
import json
import logging
import os
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.ingest import IngestOptions, read_inputs
from newsweave.model import Article, Rejected
from newsweave.pipeline import AddOptions, add_inputs
from newsweave.store import Store

BODY = (
    "The ferry from Oskel docked late on Friday after a storm closed the harbour mouth for six hours, "
    "the port authority of Brantwick said."
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [\n <!ENTITY ha "ha">\n'
    ' <!ENTITY ha2 "&ha;&ha;&ha;&ha;&ha;&ha;&ha;&ha;&ha;&ha;">\n'
    ' <!ENTITY ha3 "&ha2;&ha2;&ha2;&ha2;&ha2;&ha2;&ha2;&ha2;&ha2;&ha2;">\n]>\n'
    '<rss version="2.0"><channel><title>Feed &ha3;</title><item><title>Pier &ha3;</title>'
    "<description>The Brantwick pier reopened. &ha3;</description><link>http://example.org/p</link>"
    "</item></channel></rss>\n"
)


def _binary(n: int = 3000) -> bytes:
    return random.Random(7).randbytes(n)


def _nul_csv() -> bytes:
    return (
        b"title,text\nFerry late,The ferry\x00 from Oskel docked late on Friday after the storm.\n"
        b"Council meets,The council of Brantwick met on Tuesday to discuss the pier repairs.\n"
    )


def _nul_jsonl() -> str:
    records = [
        {"title": "Pier\u0000 reopens", "text": "The Brantwick pier\u0000 reopened on Monday after repairs."},
        {"title": "Harbour dredged", "text": "Dredging of Oskel harbour began on Wednesday, the port said."},
    ]
    return "".join(json.dumps(r) + "\n" for r in records)


def _read(paths: list[Path]) -> tuple[list[Article], list[Rejected]]:
    out = list(read_inputs([str(p) for p in paths], IngestOptions()))
    return [a for a in out if isinstance(a, Article)], [r for r in out if isinstance(r, Rejected)]


def test_a_binary_csv_is_one_clean_rejection(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "export.csv").write_bytes(_binary())
    (tmp_path / "good.txt").write_text("Ferry late\n\n" + BODY, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        arts, rej = _read([tmp_path / "export.csv", tmp_path / "good.txt"])
    assert len(arts) == 1
    assert [(Path(r.path).name, r.reason) for r in rej] == [("export.csv", "binary data, not text")]
    assert not [r for r in caplog.records if r.exc_info], "no traceback for a bad input"


def test_a_binary_jsonl_is_one_rejection_not_one_per_line(tmp_path: Path) -> None:
    (tmp_path / "dump.jsonl").write_bytes(_binary())
    lines = [json.dumps({"text": f"{BODY} Report {i}."}) for i in range(3)]
    # a binary line after good ones is that line's rejection only: the records around it are kept
    (tmp_path / "late.jsonl").write_bytes(
        ("\n".join(lines[:2]) + "\n").encode() + _binary()[:200] + b"\n" + lines[2].encode()
    )
    arts, rej = _read([tmp_path / "dump.jsonl", tmp_path / "late.jsonl"])
    assert len(arts) == 3
    reasons = [(Path(r.path).name, r.reason) for r in rej]
    assert (
        reasons[0] == ("dump.jsonl", "binary data, not text")
        and len([r for r in reasons if r[0] == "dump.jsonl"]) == 1
    )
    assert [r for r in reasons if r[0] == "late.jsonl"]


def test_a_csv_with_bytes_of_another_encoding_later_on_is_rejected_from_that_line(tmp_path: Path) -> None:
    """The sniffed head decodes; a line far below does not: the rows before it are kept."""
    rows = "".join(f'Story {i},"{BODY} Report {i}."\n' for i in range(600))
    data = b"title,text\n" + rows.encode() + b"Bad row,\xff\xfe\xb3 broken\n"
    assert len(data) > 70_000  # past the sniffed head
    (tmp_path / "late.csv").write_bytes(data)
    arts, rej = _read([tmp_path / "late.csv"])
    assert len(arts) >= 500
    assert len(rej) == 1 and rej[0].position.startswith("line ") and "undecodable" in rej[0].reason


def test_nul_characters_in_records_are_dropped_and_stored_on_both_backends(
    tmp_path: Path, store_target: object
) -> None:
    inbox = tmp_path / "inbox"  # apart from the DuckDB file
    inbox.mkdir()
    (inbox / "nul.csv").write_bytes(_nul_csv())
    (inbox / "nul.jsonl").write_text(_nul_jsonl(), encoding="utf-8")
    arts, rej = _read([inbox / "nul.csv", inbox / "nul.jsonl"])
    assert not rej and len(arts) == 4
    for a in arts:
        assert "\x00" not in a.text and "\x00" not in (a.title or "")
    assert arts[0].text.startswith("The ferry from Oskel")  # the NUL dropped, not replaced
    assert arts[2].title == "Pier reopens"
    with Store.open(store_target) as store:  # type: ignore[arg-type]
        summary = add_inputs(store, [str(inbox)], AddOptions(analyse=False))
        assert len(summary.added) == 4 and not summary.rejected
        texts = [a.text for a in store.get_articles(store.article_ids())]
    assert len(texts) == 4 and not any("\x00" in t for t in texts)


def test_add_on_a_hostile_folder_names_each_bad_file_in_one_line(tmp_path: Path) -> None:
    d = tmp_path / "inbox"
    d.mkdir()
    (d / "a_good.txt").write_text("Ferry late\n\n" + BODY, encoding="utf-8")
    os.mkfifo(d / "b_pipe.txt")
    os.symlink(d / "c_loop_b", d / "c_loop_a")
    os.symlink(d / "c_loop_a", d / "c_loop_b")
    (d / "d_sub").mkdir()
    os.symlink("..", d / "d_sub" / "up")  # a folder that points back above itself
    with gzip.open(d / "e_bomb.jsonl.gz", "wb", compresslevel=9) as fh:
        fh.write(b'{"text": "')
        for _ in range(40):
            fh.write(b"0" * (1 << 20))  # 40 MiB in one record: over the 32 MiB limit on a record
        fh.write(b'"}\n')
    (d / "f_feed.xml").write_text(LAUGHS, encoding="utf-8")
    (d / "g_empty.txt").write_bytes(b"")
    (d / "h_nul.csv").write_bytes(_nul_csv())
    (d / "i_binary.csv").write_bytes(_binary())
    db = tmp_path / "s.duckdb"
    r = CliRunner().invoke(app, ["add", str(d), "--db", str(db), "--no-analyse"])
    assert r.exit_code == 1, r.output  # something was rejected; nothing stopped the batch
    assert "Traceback" not in r.output and "unexpected" not in r.output
    lines = [ln for ln in r.output.splitlines() if ln.startswith(str(d))]
    by_file = {Path(ln.split("\t")[0]).relative_to(d).as_posix(): ln.split("\t")[-1] for ln in lines}
    assert set(by_file) == {
        "b_pipe.txt",
        "c_loop_a",
        "c_loop_b",
        "d_sub/up",
        "e_bomb.jsonl.gz",
        "f_feed.xml",
        "g_empty.txt",
        "i_binary.csv",
    }, r.output
    assert "FIFO" in by_file["b_pipe.txt"]
    assert "loop" in by_file["c_loop_a"] and "loop" in by_file["d_sub/up"]
    assert "bomb" in by_file["e_bomb.jsonl.gz"] or "limit" in by_file["e_bomb.jsonl.gz"]
    assert "entit" in by_file["f_feed.xml"]
    assert by_file["g_empty.txt"] == "empty file"
    assert by_file["i_binary.csv"] == "binary data, not text"
    with Store.open(db, read_only=True) as store:
        stored = store.get_articles(store.article_ids())
    assert sorted(Path(a.origin.path).name for a in stored) == ["a_good.txt", "h_nul.csv", "h_nul.csv"]


ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m"  # set the terminal's title, clear the screen, a C1 CSI


def test_control_characters_in_names_and_titles_never_reach_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file name or an article's fields holding terminal escape sequences: listings and ``show`` print
    them neutralised (each control character one U+FFFD), in a pipe and in a terminal alike."""
    import io

    from rich.console import Console

    from newsweave.cli import common

    d = tmp_path / "inbox"
    d.mkdir()
    (d / f"empty{ESCAPES}.txt").write_bytes(b"")
    record = {"title": f"Pier{ESCAPES} reopens", "text": f"The Brantwick pier{ESCAPES} reopened on Monday.",
              "source": f"Brantwick{ESCAPES} Post"}  # fmt: skip
    (d / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    runner = CliRunner()
    outputs = [runner.invoke(app, ["add", str(d), "--db", str(db), "--no-analyse"])]
    assert outputs[0].exit_code == 1, outputs[0].output
    (line,) = [ln for ln in outputs[0].stdout.splitlines() if "empty" in ln]
    assert line.endswith("31m.txt\t\tempty file") and "\ufffd[2J\ufffd31m" in line  # named, controls marked
    with Store.open(db, read_only=True) as store:
        (aid,) = store.article_ids()
    for args in (["articles"], ["rejected"], ["show", aid]):
        outputs.append(runner.invoke(app, [*args, "--db", str(db)]))
    buf = io.StringIO()  # the same listings in a terminal (a Rich table, colours on)
    monkeypatch.setattr(common, "console", Console(file=buf, force_terminal=True, width=200))
    for args in (["articles"], ["rejected"]):
        assert runner.invoke(app, [*args, "--db", str(db)]).exit_code == 0
    for out in [o.stdout for o in outputs] + [buf.getvalue()]:
        assert "owned" in out or "empty" in out
        for c in "\x07\x9b":
            assert c not in out
        assert "\x1b]" not in out and "\x1b[2J" not in out  # Rich's own colour codes are \x1b[...m
