"""The ingest commands end to end: add, articles, show, rejected; exit statuses; kill -9 recovery."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SEED_000, SEED_002
from newsweave.cli import app
from newsweave.store import Store

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def _last_json(out: str) -> object:
    return json.loads(out.strip().splitlines()[-1])


def test_add_seeds_then_list_and_show(tmp_path: Path) -> None:
    db = str(tmp_path / "nw.duckdb")
    code, out = _run(
        "add", str(SEED_000), str(SEED_002), "--db", db, "--json", "--no-analyse", "--no-cluster"
    )
    assert code == 0, out
    summary = _last_json(out)
    assert isinstance(summary, dict)
    assert summary["added"] == 2 and summary["duplicates"] == 0 and summary["rejected"] == []

    code, out = _run(
        "add", str(SEED_000), str(SEED_002), "--db", db, "--json", "--no-analyse", "--no-cluster"
    )
    assert code == 0
    again = _last_json(out)
    assert isinstance(again, dict)
    assert again["added"] == 0 and again["duplicates"] == 2

    code, out = _run("articles", "--db", db, "--json")
    assert code == 0
    arts = _last_json(out)
    assert isinstance(arts, list) and len(arts) == 2
    keys = {
        "id",
        "source",
        "url",
        "title",
        "subtitle",
        "summary",
        "byline",
        "published_at",
        "language",
        "text",
    }
    for a in arts:
        assert keys <= set(a)
    by_file = {Path(a["origin"]["path"]).name: a for a in arts}
    a000, a002 = by_file[SEED_000.name], by_file[SEED_002.name]
    assert a002["title"] is None
    assert a000["title"] and a000["subtitle"] and a000["summary"]
    assert a000["title"] not in a000["text"]  # the headline is metadata, once, not body text

    code, out = _run("show", a002["id"][:8], "--db", db, "--json")
    assert code == 0
    shown = _last_json(out)
    assert isinstance(shown, dict) and shown["id"] == a002["id"] and shown["text"] == a002["text"]


def test_rejected_inputs_give_exit_1_and_are_listed(tmp_path: Path) -> None:
    db = str(tmp_path / "nw.duckdb")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    good = {"title": "Bridge reopens", "text": "The old bridge reopened on Monday after repairs. " * 5}
    lines = [json.dumps(good), "{not json", json.dumps({**good, "text": "A different story entirely. " * 5})]
    (tmp_path / "in" / "export.jsonl").write_text("\n".join(lines) + "\n")
    code, out = _run("add", str(tmp_path / "in"), "--db", db, "--json", "--no-analyse", "--no-cluster")
    assert code == 1
    summary = _last_json(out)
    assert isinstance(summary, dict)
    assert summary["added"] == 2
    reasons = {(Path(r["path"]).name, r["position"]) for r in summary["rejected"]}
    assert ("export.jsonl", "line 2") in reasons
    assert any(name == "empty.txt" for name, _ in reasons)

    code, out = _run("rejected", "--db", db, "--json")
    assert code == 0
    listed = _last_json(out)
    assert isinstance(listed, list) and len(listed) == len(summary["rejected"])
    assert all(r["reason"] for r in listed)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    db = str(tmp_path / "nw.duckdb")
    assert runner.invoke(app, ["add", str(SEED_002), "--db", db, "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["articles", "--bogus"]).exit_code == 2
    proc = subprocess.run(
        [sys.executable, "-m", "newsweave", "add", str(SEED_002), "--map", "nonsense", "--db", db],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2, proc.stderr
    assert "--map" in proc.stderr


def _jsonl(path: Path, n: int) -> None:
    with path.open("w") as f:
        for i in range(n):
            body = f"Report number {i} on the council vote. " + " ".join(f"w{i}x{j}" for j in range(60))
            f.write(
                json.dumps({"title": f"Item {i}", "text": body, "url": f"https://e{i % 7}.example/{i}"})
                + "\n"
            )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_kill_9_leaves_whole_batches_and_rerun_completes(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    n = 1500  # three batches of 500
    _jsonl(src, n)
    db = tmp_path / "nw.duckdb"
    cmd = [
        sys.executable,
        "-m",
        "newsweave",
        "add",
        str(src),
        "--db",
        str(db),
        "--no-analyse",
        "--no-cluster",
    ]
    signal_file = tmp_path / "committed"
    env = dict(
        os.environ,
        NEWSWEAVE_BATCH_SIZE="500",
        NEWSWEAVE_BATCH_SIGNAL=str(signal_file),
        NEWSWEAVE_BATCH_PAUSE="2:60",  # 60 s after the second batch: the kill lands in that pause
    )
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The process says after each committed batch how many it has committed and pauses after the second:
    # the kill lands there, between two committed batches, before the third starts.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if signal_file.exists() and signal_file.read_text() == "2":
            break
        time.sleep(0.01)
    assert proc.poll() is None, "add ended before its second batch was committed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert signal_file.read_text() == "2"
    with Store.open(db) as s:
        assert s.count_articles() == 1000  # exactly the two committed batches, nothing of the third
    env.pop("NEWSWEAVE_BATCH_PAUSE")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with Store.open(db) as s:
        assert s.count_articles() == n
        assert s.con.execute("SELECT count(DISTINCT id) FROM articles").fetchall()[0][0] == n


def test_add_analyses_and_show_gives_spans_that_match_the_text(tmp_path: Path) -> None:
    db = str(tmp_path / "nw.duckdb")
    code, out = _run("add", str(SEED_000), str(SEED_002), "--db", db, "--json")
    assert code == 0, out
    summary = _last_json(out)
    assert isinstance(summary, dict) and summary["analysed"] == 2
    assert len(set(summary["stories"].values())) == 1  # the two seeds are one story
    for article_id in summary["added_ids"]:
        code, out = _run("show", article_id, "--db", db, "--json")
        assert code == 0
        shown = _last_json(out)
        assert isinstance(shown, dict)
        text, analysis = shown["text"], shown["analysis"]
        assert analysis["quotes"] and analysis["quantities"] and analysis["mentions"]
        for m in analysis["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
        for q in analysis["quantities"]:
            assert text[q["start"] : q["end"]] == q["text"]
        for q in analysis["quotes"]:
            assert all(0 <= p["start"] < p["end"] <= len(text) for p in q["content"])
        canon = {e["canonical"] for e in analysis["entities"] if e["label"] == "PERSON"}
        assert "Vitali Klitschko" in canon


def test_a_rerun_finishes_the_analysis_and_stories_an_earlier_run_left(tmp_path: Path) -> None:
    # an ``add`` stopped after writing its articles leaves them without analysis and story, as these flags do
    db = str(tmp_path / "nw.duckdb")
    code, out = _run(
        "add", str(SEED_000), str(SEED_002), "--db", db, "--no-analyse", "--no-cluster", "--json"
    )
    assert code == 0, out
    first = _last_json(out)
    assert isinstance(first, dict) and first["analysed"] == 0 and not first["stories"]
    code, out = _run("add", str(SEED_000), str(SEED_002), "--db", db, "--json")
    assert code == 0, out
    again = _last_json(out)
    assert isinstance(again, dict) and not again["added_ids"]  # nothing new ...
    assert again["analysed"] == 2  # ... but the work left is done
    assert set(again["stories"]) == set(first["added_ids"]) and len(set(again["stories"].values())) == 1
    code, out = _run("add", str(SEED_000), "--db", db, "--json")
    third = _last_json(out)
    assert isinstance(third, dict) and third["analysed"] == 0 and not third["stories"]  # nothing pending
