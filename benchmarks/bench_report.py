"""Time ``newsweave report STORY`` of a stored 10-article story, each run a fresh process.

The story is bench_compare's (the first 10 articles of galaxy event wikinews_big-010), added to a new
DuckDB store in a temporary folder with the library pipeline (stored and analysed) and recorded as one
story. Then, each in its own process, as a user runs them:

- the floor: the interpreter alone, and the interpreter importing the CLI (``import newsweave.cli``,
  what every command imports before it runs);
- cold: the first ``report --json`` of the story (compares: embeds its sentences and clauses, tags
  framing's sentences; then stores the comparison, the vectors and the tags);
- warm: the same command again (prints the stored comparison: no comparison, no model);
- recompare: ``report --json --recompare`` (compares again from the stored vectors and tags; loads
  neither MiniLM nor spaCy).

It checks that all of them print the same JSON, and prints one line per figure and a JSON line.

    .venv/bin/python benchmarks/bench_report.py [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_compare import story  # noqa: E402

STORY_ID = "sbenchreport0001"
CLI_IMPORT = "import newsweave.cli"  # what every command imports before it runs


def build_store(path: Path) -> int:
    """The 10 articles stored and analysed, recorded as one story; returns the number of articles."""
    from newsweave.model import Story
    from newsweave.pipeline import AddOptions, add_items
    from newsweave.store import Store
    from newsweave.store.stories import StoryUpdate

    arts = story()
    with Store.open(path) as st:
        summary = add_items(st, arts, AddOptions(cluster=False))
        ids = tuple(summary.added)
        st.save_stories(
            StoryUpdate(stories=(Story(STORY_ID, ids, arts[0].title),), seqs={STORY_ID: 1}, replace_all=True)
        )
    return len(ids)


CPU: list[float] = []  # CPU seconds (user + system) of each timed process, in order


def timed(cmd: list[str]) -> tuple[float, str]:
    """Wall seconds and stdout of ``cmd``; its CPU seconds are appended to ``CPU`` (on a machine shared
    with other jobs the wall time waits for the CPU, the CPU time does not)."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, out.stdout


def _cpu_median(k: int) -> float:
    """The median CPU seconds of the last ``k`` timed processes."""
    return statistics.median(CPU[-k:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="warm runs (median reported)")
    ap.add_argument("--keep", type=Path, help="build the store in this folder and keep it")
    args = ap.parse_args(argv)
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="nw_bench_report_"))
    tmp.mkdir(parents=True, exist_ok=True)
    db = tmp / "report.duckdb"
    for p in (db, db.with_suffix(".duckdb.wal")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    n = build_store(db)
    print(f"store: {n} articles added and analysed in {time.perf_counter() - t0:.1f} s ({db})")

    py = sys.executable
    report = [py, "-m", "newsweave", "report", STORY_ID, "--db", str(db), "--json"]
    k = args.runs
    floor_bare = statistics.median(timed([py, "-c", "pass"])[0] for _ in range(k))
    cpu_bare = _cpu_median(k)
    floor_imports = statistics.median(timed([py, "-c", CLI_IMPORT])[0] for _ in range(k))
    cpu_imports = _cpu_median(k)
    cold, cold_out = timed(report)
    cpu_cold = CPU[-1]
    warm_runs = [timed(report) for _ in range(k)]
    warm = statistics.median(t for t, _ in warm_runs)
    cpu_warm = _cpu_median(k)
    again_runs = [timed([*report, "--recompare"]) for _ in range(k)]
    again = statistics.median(t for t, _ in again_runs)
    cpu_again = _cpu_median(k)
    same = all(out == cold_out for _, out in warm_runs + again_runs)
    comp = json.loads(cold_out)
    results = {
        "articles": n,
        "claims": len(comp["claims"]),
        "python_s": round(floor_bare, 3),
        "imports_s": round(floor_imports, 3),
        "cold_s": round(cold, 3),
        "warm_s": round(warm, 3),
        "warm_runs_s": [round(t, 3) for t, _ in warm_runs],
        "recompare_s": round(again, 3),
        "recompare_runs_s": [round(t, 3) for t, _ in again_runs],
        "cpu_s": {
            "python": round(cpu_bare, 3),
            "imports": round(cpu_imports, 3),
            "cold": round(cpu_cold, 3),
            "warm": round(cpu_warm, 3),
            "recompare": round(cpu_again, 3),
        },
        "same_json": same,
        "load_average": round(os.getloadavg()[0], 2),
    }
    print("wall seconds (CPU seconds of the process):")
    print(f"python alone: {floor_bare:.3f} s ({cpu_bare:.3f}); python importing the CLI: {floor_imports:.3f} s "
          f"({cpu_imports:.3f})")  # fmt: skip
    print(
        f"report, first (compares; the comparison, vectors and tags stored after): {cold:.3f} s ({cpu_cold:.3f})"
    )
    print(f"report, stored comparison (median of {k}): {warm:.3f} s ({cpu_warm:.3f})")
    print(f"report --recompare, stored vectors and tags (median of {k}): {again:.3f} s ({cpu_again:.3f})")
    print(f"all print the same JSON: {same}")
    print(json.dumps(results))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
