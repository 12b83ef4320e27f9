"""``add --prepare`` (issue #20): after the stories step, the comparisons of the stories the run touched
are computed and stored, so ``report`` prints the stored one without comparing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import newsweave.compare as compare_pkg
from invented_story import write_articles
from newsweave.cli import app
from newsweave.store import Store
from newsweave.views.comparison import StoryCompareOptions
from newsweave.views.stored import comparison_key

runner = CliRunner()


def _run(*args: str) -> tuple[int, Any]:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.exit_code, json.loads(result.stdout.strip().splitlines()[-1])


def _comparisons(db: str) -> list[tuple[str, str]]:
    with Store.open(db, read_only=True) as s:
        return [(str(a), str(b)) for a, b in s.query("SELECT story_id, key FROM story_comparisons")]


def test_add_prepare_stores_the_comparison_that_report_then_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "p.duckdb")
    paths = write_articles(tmp_path)
    # without --prepare the comparison is left to the first report
    _, plain = _run("add", *paths, "--db", db, "--json")
    assert plain["added"] == 3 and "prepared" not in plain
    story_id = plain["stories"][plain["added_ids"][0]]
    assert set(plain["stories"].values()) == {story_id}, "the three articles make one story"
    assert _comparisons(db) == []

    # a re-run with --prepare prepares the stories of the articles it read, stored already or not
    _, prepared = _run("add", *paths, "--db", db, "--json", "--prepare")
    assert prepared["added"] == 0 and prepared["duplicates"] == 3
    assert prepared["prepared"] == [story_id] and prepared["warnings"] == []
    with Store.open(db, read_only=True) as s:
        story = s.get_story(story_id)
        assert len(story.article_ids) == 3
        want = comparison_key(s, story, StoryCompareOptions())  # what report looks up by default
        stored = s.stored_comparison(want)
    assert _comparisons(db) == [(story_id, want)] and stored is not None

    # nothing stale: a third run compares nothing
    _, again = _run("add", *paths, "--db", db, "--json", "--prepare")
    assert again["prepared"] == []

    # report prints the stored comparison: comparing would fail
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("report compared again")

    monkeypatch.setattr(compare_pkg, "compare_articles", refuse)
    _, report = _run("report", story_id, "--db", db, "--json")
    assert sorted(s["article_id"] for s in report["sources"]) == sorted(story.article_ids)
    assert report == json.loads(stored)
    assert _comparisons(db) == [(story_id, want)]


def test_add_prepare_in_one_run_and_the_progress_stage(store_target: object, tmp_path: Path) -> None:
    from newsweave.pipeline import AddOptions, add_inputs

    stages: list[tuple[str, int, int | None]] = []
    with Store.open(store_target) as s:
        summary = add_inputs(
            s, write_articles(tmp_path), AddOptions(prepare=True), on_progress=lambda *a: stages.append(a)
        )
        assert len(summary.added) == 3 and len(summary.prepared) == 1
        (story_id,) = summary.prepared
        assert set(summary.stories.values()) == {story_id}
        assert s.query("SELECT story_id FROM story_comparisons") == [(story_id,)]
    prepare = [x for x in stages if x[0] == "prepare"]
    assert prepare[0] == ("prepare", 0, 1) and prepare[-1] == ("prepare", 1, 1)
    assert [x[0] for x in stages].index("prepare") > max(i for i, x in enumerate(stages) if x[0] == "stories")
    with Store.open(store_target) as s:  # a second run: the story is current, nothing is compared
        again = add_inputs(s, write_articles(tmp_path), AddOptions(prepare=True))
        assert again.duplicates and again.prepared == []
