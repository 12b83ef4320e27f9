"""Evaluation gate: the comparison's verdicts on shared/data/cross-source-dev, scored by the project-independent
scorer (shared/tools/score_cross.py, run unchanged; the comparison runs in this process, as
``newsweave eval cross`` does), on the fixed fit/report split of :mod:`newsweave.eval.cross`.

Gates sit on the REPORT half (no threshold or weight was chosen on it). Where the comparison already meets
the target of issue #20 the floor is that target; where it does not yet, the floor is the figure measured
on 2026-12-07 less the run-to-run noise (0.01: the embedding model is deterministic on one machine; the
noise is between machines), so that a regression fails, and the target is written beside it. The fit half
is reported by ``newsweave eval cross`` and docs/quality.md, not gated (it is where tuning happens).
"""

from __future__ import annotations

import pytest

from conftest import DATA, SHARED
from newsweave.eval.cross import evaluate_cross

# metric: (floor on the report half, issue #20's target)
GATES = {
    "quote_precision": (0.90, 0.90),
    "quote_recall": (0.85, 0.85),
    "claim_precision": (0.80, 0.80),
    "claim_recall": (0.50, 0.50),
    "single_precision": (0.75, 0.75),
    "single_recall": (0.80, 0.80),
    "number_precision": (0.85, 0.85),
    "number_recall": (0.80, 0.80),
    "conflict_precision": (0.80, 0.80),
    "conflict_recall": (0.56, 0.60),
}


@pytest.fixture(scope="module")
def figures():
    return evaluate_cross(DATA / "cross-source-dev", SHARED / "tools" / "score_cross.py", ["report"])[
        "report"
    ]


@pytest.mark.slow
@pytest.mark.parametrize("metric", sorted(GATES))
def test_report_half_floor(figures, metric):
    floor, _target = GATES[metric]
    assert figures[metric] >= floor, {k: figures[k] for k in GATES}


def test_split_is_fixed_and_even():
    import json

    from newsweave.eval.cross import FIT, REPORT, split_halves

    ids = [s["story"] for s in json.loads((DATA / "cross-source-dev" / "stories.json").read_text())]
    fit, report = split_halves(ids)
    assert (tuple(fit), tuple(report)) == (FIT, REPORT)
    assert not set(FIT) & set(REPORT) and len(FIT) == len(REPORT) == 10


@pytest.mark.slow
def test_story_counts_add_up_to_the_figures(figures):
    """The intervals redraw per-story counts: summed over the half, they must give the scorer's figures."""
    from newsweave.eval.cross import COUNTS, story_counts

    for metric in COUNTS:
        counts = story_counts(figures["rows"], metric)
        num, den = sum(c[0] for c in counts), sum(c[1] for c in counts)
        assert den > 0, metric
        assert abs(num / den - figures[metric]) < 1e-3, (metric, num, den, figures[metric])
        low, high = figures["interval"][metric]
        assert low <= figures[metric] + 1e-3 and figures[metric] - 1e-3 <= high, metric


def _row(right: int, predicted: int) -> dict:
    return {"numbers": {"correct_conflict_pred": right, "pred_conflict": predicted}}


def test_story_intervals_width_follows_the_stories():
    from newsweave.eval.cross import story_intervals

    even = story_intervals([_row(4, 5)] * 10)["conflict_precision"]
    assert even == (0.8, 0.8)  # every story at 0.8: any redraw gives 0.8
    lumpy = story_intervals([_row(0, 9), _row(8, 8)] + [_row(1, 1)] * 8)["conflict_precision"]
    assert lumpy[0] < 0.5 < 0.8 < lumpy[1] <= 1.0  # one story with nine wrong links swings the figure
    assert "quote_precision" not in lumpy  # no story has quote counts: no interval rather than 0/0
    assert story_intervals([]) == {}


def test_story_intervals_are_reproducible():
    from newsweave.eval.cross import story_intervals

    rows = [_row(k % 3, 3) for k in range(10)]
    assert story_intervals(rows) == story_intervals(rows)
