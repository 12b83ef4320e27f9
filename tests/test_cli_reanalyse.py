"""``newsweave analyse --missing`` / ``--all`` / ``--before`` (newsweave.reanalyse): stores analysed before
schema v4 have no marked spans; these analyse again only what lacks them, or everything, in batches saved
as they end, and a stopped run resumes where it stopped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from invented_story import write_articles
from newsweave.cli import app
from newsweave.pipeline import AddOptions, add_inputs
from newsweave.reanalyse import ReanalyseOptions, reanalyse
from newsweave.store import Store

runner = CliRunner()


def _analysed(target: object, folder: Path, without_marked: int) -> list[str]:
    """Three analysed articles, the first ``without_marked`` (by id) as a store analysed before v4 has them."""
    with Store.open(target) as s:
        ids = sorted(add_inputs(s, write_articles(folder), AddOptions(cluster=False)).added)
        assert len(ids) == 3 and all(s.load_analysis(i).marked is not None for i in ids)
        old = ids[:without_marked]
        for i in old:
            s.execute("DELETE FROM analysis_marked WHERE article_id = ?", [i])
        assert [i for i in ids if s.load_analysis(i).marked is None] == old
    return ids


def _state(target: object, ids: list[str]) -> dict[str, tuple[Any, bool]]:
    """article id -> (when analysed, has marked spans)."""
    with Store.open(target) as s:
        when = dict(s.query("SELECT article_id, analysed_at FROM analysis_runs"))
        return {i: (when[i], s.load_analysis(i).marked is not None) for i in ids}


class StopAfter:
    """Stands in for ``save_analysis``: saves ``n`` batches, then fails as a killed run would stop."""

    def __init__(self, store: Store, n: int) -> None:
        self.real = store.save_analysis
        self.left = n

    def __call__(self, *args: Any, **kwargs: Any) -> int:
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return self.real(*args, **kwargs)


def test_missing_fills_the_marked_spans_and_resumes(
    store_target: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _analysed(store_target, tmp_path, without_marked=2)
    before = _state(store_target, ids)
    # without --missing nothing is picked: every article has an analysis
    with Store.open(store_target) as s:
        assert reanalyse(s, ReanalyseOptions()).saved == 0
        # a run stopped after its first batch of one article
        monkeypatch.setattr(s, "save_analysis", StopAfter(s, 1))
        with pytest.raises(KeyboardInterrupt):
            reanalyse(s, ReanalyseOptions(missing=True, batch_size=1))
    middle = _state(store_target, ids)
    assert [middle[i][1] for i in ids] == [True, False, True]
    # run again: it takes up the one left, and leaves the others as they were
    with Store.open(store_target) as s:
        summary = reanalyse(s, ReanalyseOptions(missing=True, batch_size=1))
    assert (summary.new, summary.outdated, summary.saved) == (0, 1, 1)
    after = _state(store_target, ids)
    assert all(has for _, has in after.values())
    assert after[ids[0]] == middle[ids[0]] and after[ids[2]] == before[ids[2]]
    assert after[ids[1]][0] > before[ids[1]][0]
    with Store.open(store_target) as s:
        assert reanalyse(s, ReanalyseOptions(missing=True)).saved == 0


def test_analyse_all_tells_how_to_resume_and_before_resumes(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    ids = _analysed(db, tmp_path, without_marked=1)
    first = _state(db, ids)
    # without --missing: nothing to do, and a note says how to fill the marked spans
    r = runner.invoke(app, ["analyse", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "analysed 0 article(s)" in r.stdout and "1 analysed article(s) have no marked spans" in r.stderr
    assert "newsweave analyse --missing" in r.stderr and _state(db, ids) == first
    r = runner.invoke(app, ["analyse", "--db", str(db), "--missing", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {
        "analysed": 1,
        "new": 0,
        "again": 1,
        "lacking_marked": 0,
        "lacking_figures": 0,
    }
    second = _state(db, ids)
    assert all(has for _, has in second.values()) and second[ids[1]] == first[ids[1]]

    r = runner.invoke(app, ["analyse", "--db", str(db), "--all"])
    assert r.exit_code == 0, r.output
    assert "analysed 3 article(s): 0 without analysis, 3 again" in r.stdout
    resume = r.stderr.split("resume with: ")[1].split()
    assert resume[:3] == ["newsweave", "analyse", "--before"]
    third = _state(db, ids)
    assert all(third[i][0] > second[i][0] for i in ids)
    # the resume command: everything was analysed after --all started, so nothing is left
    r = runner.invoke(app, ["analyse", "--db", str(db), "--before", resume[3], "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["analysed"] == 0 and _state(db, ids) == third
    # a --before after the last analysis takes all of them again
    r = runner.invoke(app, ["analyse", "--db", str(db), "--before", "2999-01-01T00:00:00", "--json"])
    assert json.loads(r.stdout)["analysed"] == 3
    for bad in (["--before", "yesterday"], ["--all", "--before", "2026-01-01"]):
        r = runner.invoke(app, ["analyse", "--db", str(db), *bad])
        assert r.exit_code != 0 and "--before" in (r.output + str(r.exception))


def test_missing_fills_the_figures_of_an_analysis_stored_before_v6(
    store_target: object, tmp_path: Path
) -> None:
    """Before schema v6 the numbers had no figure (the comparison found them again in the text)."""
    ids = _analysed(store_target, tmp_path, without_marked=0)
    with Store.open(store_target) as s:
        with_numbers = [i for i in ids if any(q.figure for q in s.load_analysis(i).quantities)]
        assert with_numbers, "the invented story gives figures"
        old = with_numbers[0]
        s.execute("UPDATE analysis_quantities SET fig_dim = NULL WHERE article_id = ?", [old])
        assert not any(q.figure for q in s.load_analysis(old).quantities)
        assert s.outdated_analysis_ids(lacking_marked=True) == []  # its marked spans are there
        assert s.outdated_analysis_ids(lacking_marked=False, lacking_figures=True) == [old]
        summary = reanalyse(s, ReanalyseOptions(missing=True))
        assert (summary.outdated, summary.saved) == (1, 1)
        assert any(q.figure for q in s.load_analysis(old).quantities)
        assert s.outdated_analysis_ids(lacking_marked=False, lacking_figures=True) == []
