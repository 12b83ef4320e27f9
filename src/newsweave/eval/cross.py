"""``newsweave eval cross``: the comparison's verdicts against the cross-source gold, per fixed half.

The gold is ``shared/data/cross-source-dev/stories.json`` and the scorer is the project-independent
``shared/tools/score_cross.py``; this module runs that scorer unchanged, with one difference in how it gets
the comparison: instead of starting ``newsweave compare FILE... --json`` once per story (a process that
loads the models each time), it reads the same files it writes with the same ingest stage and compares them
in this process (the same functions the command calls), so a run over the twenty stories takes seconds of
model loading once. ``python3 ../shared/tools/score_cross.py --project . --story ...`` gives the same figures.

**The fit/report split (fixed before any tuning, 2026-12-07).** The stories are ordered by the SHA-256 hex
digest of their id; the first half (the ten smallest digests) is the *fit* half, on which thresholds and
weights may be chosen; the other ten are the *report* half, on which the gates hold and which no tuning
looks at. With the twenty stories of today (see :data:`FIT` and :data:`REPORT`), one of the eight stories
the comparison was first tuned on (wikinews_medium-023) fell into the report half.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

FIT = (
    "wikinews_medium-010", "wikinews_big-001", "wikinews_big-014", "wikinews_medium-057", "wikinews-001",
    "wikinews_medium-049", "wikinews-005", "wikinews_medium-030", "wikinews_medium-003", "wikinews_medium-056",
)  # fmt: skip
REPORT = (
    "wikinews_big-093", "handpicked-011", "wikinews_medium-007", "wikinews_medium-002", "wikinews_big-028",
    "wikinews_big-104", "wikinews-007", "wikinews_medium-023", "wikinews_big-000", "handpicked-016",
)  # fmt: skip


def split_halves(story_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """(fit, report): ids ordered by SHA-256 of the id, the first half (rounded down) is fit."""
    ordered = sorted(story_ids, key=lambda s: hashlib.sha256(s.encode("utf-8")).hexdigest())
    k = len(ordered) // 2
    return ordered[:k], ordered[k:]


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_cross", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"{path}: not a Python module")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _compare_in_process(embed: bool | None):
    from newsweave.analyse import AnalyseOptions, analyse_articles
    from newsweave.compare import CompareOptions, compare_articles, load_articles
    from newsweave.report import json_report

    def compare_json(paths: list[str]) -> dict[str, Any]:
        articles, _ = load_articles(paths)
        analyses = analyse_articles(articles, AnalyseOptions())
        comp = compare_articles(articles, analyses, CompareOptions(embeddings=embed))
        return json.loads(json_report.dumps(comp))

    return compare_json


def score(
    scorer_path: Path, stories: Sequence[str] | None = None, embed: bool | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(totals, per-story rows) as score_cross.py --json prints them, for ``stories`` (None: all)."""
    sc = load_scorer(scorer_path)
    compare_json = _compare_in_process(embed)

    def run_compare(project, story, arts, keep):
        import tempfile

        tmp = Path(tempfile.mkdtemp(prefix="nw_cross_"))
        files = {}
        try:
            for aid in story["articles"]:
                p = tmp / arts[aid]["filename"]
                p.write_text(arts[aid]["file"], encoding="utf-8")
                files[aid] = p
            try:
                out = compare_json([str(files[a]) for a in story["articles"]])
            except Exception as e:  # scored as a failed story, as the scorer does
                return None, f"compare failed: {type(e).__name__}: {e}", files
            return out, "", files
        finally:
            for p in files.values():
                p.unlink(missing_ok=True)
            tmp.rmdir()

    sc.run_compare = run_compare  # type: ignore[attr-defined]
    argv = ["--project", ".", "--json"]
    for s in stories or ():
        argv += ["--story", s]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        sc.main(argv)
    lines = [json.loads(x) for x in buf.getvalue().splitlines() if x.startswith("{")]
    return lines[-1], lines[:-1]


FIGURES = (
    "quote_precision", "quote_recall", "number_precision", "number_recall", "conflict_precision",
    "conflict_recall", "claim_precision", "claim_recall", "single_precision", "single_recall",
)  # fmt: skip


# figure -> (part of a story row, numerator count, denominator count), as the scorer sums them
COUNTS = {
    "quote_precision": ("quotes", "correct_pred", "predicted"),
    "quote_recall": ("quotes", "correct", "gold"),
    "number_precision": ("numbers", "correct_pred", "predicted"),
    "number_recall": ("numbers", "correct", "gold"),
    "conflict_precision": ("numbers", "correct_conflict_pred", "pred_conflict"),
    "conflict_recall": ("numbers", "correct_conflict", "gold_conflict"),
    "claim_precision": ("claims", "claim_right", "claim_predicted"),
    "claim_recall": ("claims", "claim_found", "claim_gold"),
    "single_precision": ("claims", "single_right", "single_predicted"),
    "single_recall": ("claims", "single_found", "single_gold"),
}
BOOTSTRAP_DRAWS = 2000
INTERVAL = 0.90


def story_counts(rows: Sequence[dict[str, Any]], figure: str) -> list[tuple[int, int]]:
    """(numerator, denominator) of ``figure`` in each story row (0, 0 where the story has no such part)."""
    part, num, den = COUNTS[figure]
    return [(int(r.get(part, {}).get(num, 0)), int(r.get(part, {}).get(den, 0))) for r in rows]


def story_intervals(
    rows: Sequence[dict[str, Any]],
    draws: int = BOOTSTRAP_DRAWS,
    level: float = INTERVAL,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Each figure's percentile interval when the stories are drawn again with replacement.

    A figure is a ratio of counts summed over stories, and a story's links are not independent of each other
    (one wrong group of five articles is ten wrong links), so the story is the unit drawn. The interval says
    how far the figure could move on another ten stories like these: with most conflict links in two
    stories, it is wide. Draws with no denominator (no predicted conflict at all) are left out."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = len(rows)
    if not n:
        return {}
    picks = rng.integers(0, n, size=(draws, n))
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    out: dict[str, tuple[float, float]] = {}
    for figure in COUNTS:
        c = np.array(story_counts(rows, figure), dtype=float)
        nums, dens = c[picks, 0].sum(axis=1), c[picks, 1].sum(axis=1)
        ok = dens > 0
        if not ok.any():
            continue
        vals = nums[ok] / dens[ok]
        out[figure] = (round(float(np.quantile(vals, lo_q)), 3), round(float(np.quantile(vals, hi_q)), 3))
    return out


def evaluate_cross(
    data: Path, scorer_path: Path, halves: Sequence[str] = ("fit", "report"), embed: bool | None = None
) -> dict[str, Any]:
    """{half: {figure: value, 'interval': {figure: (low, high)}, ...}, 'stories': {half: [ids]}} for each
    half asked ('fit', 'report', 'all'); the intervals are :func:`story_intervals`."""
    gold = json.loads((data / "stories.json").read_text(encoding="utf-8"))
    ids = [s["story"] for s in gold]
    fit, report = split_halves(ids)
    which = {"fit": fit, "report": report, "all": ids}
    out: dict[str, Any] = {"stories": {h: which[h] for h in halves}}
    for h in halves:
        totals, rows = score(scorer_path, which[h], embed)
        out[h] = {k: totals[k] for k in FIGURES} | {
            "counts": totals.get("counts"),
            "rows": rows,
            "interval": story_intervals(rows),
        }
    return out


def main(argv: Sequence[str] | None = None) -> int:  # a quick entry for tuning sessions
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data/cross-source-dev"))
    ap.add_argument("--scorer", type=Path, default=Path("../shared/tools/score_cross.py"))
    ap.add_argument("--half", action="append", choices=("fit", "report", "all"))
    args = ap.parse_args(argv)
    res = evaluate_cross(args.data, args.scorer, args.half or ["fit"])
    for h in args.half or ["fit"]:
        print(
            h,
            " ".join(
                f"{k.replace('_precision', '_P').replace('_recall', '_R')}={res[h][k]:.3f}" for k in FIGURES
            ),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
