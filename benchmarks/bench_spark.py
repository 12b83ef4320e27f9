"""The Spark job's throughput: the whole job at local[1] and local[2] on one input, and its growth from
1k to 10k (and 100k) articles without the analysis.

Input: ``bench_cluster.build`` (the galaxy dev articles and perturbed copies, each copy round a month
later) written as JSONL in 8 files (files are the job's unit of parallel reading). Each run is its own
process with its own Spark session (start-up not counted: the clock runs from the job's start); the cost
of each step's tasks (Spark partitions) comes from the session's event log (``task_costs``); peak memory
is that process's maximum resident set size (the Python driver; the JVM and the Python workers are
separate processes whose peak the runner, ``benchmarks/run_all.py``, reads from ``wait4``).

    .venv/bin/python benchmarks/bench_spark.py [--analysed 1000] [--sizes 1000 10000] [--json]
    .venv/bin/python benchmarks/bench_spark.py --cut-check 2000 500   # what a block cut costs (ARI)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cluster import build  # noqa: E402

FILES = 8


def write_corpus(n: int, folder: Path) -> list[str]:
    arts = build(n)
    paths = [folder / f"part-{k}.jsonl" for k in range(FILES)]
    handles = [p.open("w", encoding="utf-8") for p in paths]
    for i, a in enumerate(arts):
        rec = {
            "text": a.text,
            "title": a.title,
            "published": a.published_at.isoformat(),
            "source": f"outlet{i % 23}",
        }
        handles[i % FILES].write(json.dumps(rec) + "\n")
    for h in handles:
        h.close()
    return [str(p) for p in paths]


def task_costs(event_log: Path) -> dict[str, dict[str, float]]:
    """Per job step (the job group ``run_job`` sets): Spark tasks, their summed and largest run time (s),
    CPU time of the JVM side (s), and the largest JVM heap a task saw (MB), from a Spark event log."""
    group_of_stage: dict[int, str] = {}
    tasks: list[tuple[int, float, float, float]] = []
    # Spark 4 writes a folder per application (rolling files events_1_..., events_2_...)
    for path in sorted(event_log.rglob("events_*")):
        for line in path.open(encoding="utf-8"):
            ev = json.loads(line)
            kind = ev.get("Event")
            if kind == "SparkListenerJobStart":
                group = (ev.get("Properties") or {}).get("spark.jobGroup.id") or "other"
                for sid in ev.get("Stage IDs", []):
                    group_of_stage[sid] = group
            elif kind == "SparkListenerTaskEnd":
                m = ev.get("Task Metrics") or {}
                heap = (ev.get("Task Executor Metrics") or {}).get("JVMHeapMemory", 0)
                tasks.append(
                    (
                        ev["Stage ID"],
                        m.get("Executor Run Time", 0) / 1000,
                        m.get("Executor CPU Time", 0) / 1e9,
                        heap / 2**20,
                    )
                )
    out: dict[str, dict[str, float]] = {}
    for sid, run_s, cpu_s, heap_mb in tasks:
        c = out.setdefault(
            group_of_stage.get(sid, "other"),
            {"tasks": 0, "task_s": 0.0, "max_task_s": 0.0, "jvm_cpu_s": 0.0, "max_heap_mb": 0.0},
        )
        c["tasks"] += 1
        c["task_s"] += run_s
        c["max_task_s"] = max(c["max_task_s"], run_s)
        c["jvm_cpu_s"] += cpu_s
        c["max_heap_mb"] = max(c["max_heap_mb"], heap_mb)
    return {g: {k: round(v, 1) for k, v in c.items()} for g, c in sorted(out.items())}


def run_one(n: int, master: str, analyse: bool) -> dict:
    from newsweave.spark import SparkJobOptions, run_job
    from newsweave.spark.session import spark_session

    with tempfile.TemporaryDirectory() as tmp:
        inputs = write_corpus(n, Path(tmp))
        events = Path(tmp) / "events"
        events.mkdir()
        conf = {
            "spark.eventLog.enabled": "true",
            "spark.eventLog.dir": events.as_uri(),
            "spark.eventLog.compress": "false",  # plain JSON lines (Spark 4 compresses with zstd)
        }
        spark = spark_session(master, **conf)
        try:
            t = time.perf_counter()
            s = run_job(spark, inputs, f"{tmp}/out", SparkJobOptions(run_analysis=analyse))
            elapsed = time.perf_counter() - t
        finally:
            spark.stop()
        costs = task_costs(events)
    return {
        "articles": s.articles,
        "master": master,
        "analyse": analyse,
        "seconds": round(elapsed, 1),
        "articles_per_s": round(s.articles / elapsed, 1),
        "stage_seconds": {k: round(v, 1) for k, v in s.seconds.items()},
        "stories": s.stories,
        "duplicates": s.duplicates,
        "driver_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "task_costs": costs,
    }


def cut_check(n: int, max_block: int) -> dict:
    """What cutting a component into slices costs: the job's stories (no analysis, local[2]) with blocks of
    at most ``max_block`` articles and with no cut, each against the local clusterer on the same articles
    (adjusted Rand index)."""
    from sklearn.metrics import adjusted_rand_score

    from newsweave.cluster import StoryClusterer
    from newsweave.ingest import read_inputs
    from newsweave.model import Article
    from newsweave.spark import SparkJobOptions, run_job
    from newsweave.spark.session import spark_session
    from newsweave.spark.stories import StoryJobOptions

    out: dict = {"articles": n}
    with tempfile.TemporaryDirectory() as tmp:
        inputs = write_corpus(n, Path(tmp))
        articles = [a for a in read_inputs(inputs) if isinstance(a, Article)]
        local = StoryClusterer().add_many(articles)
        out["local_stories"] = len(set(local.values()))
        spark = spark_session("local[2]")
        try:
            for name, cap in (("cut", max_block), ("uncut", 10**12)):
                opts = SparkJobOptions(run_analysis=False, stories=StoryJobOptions(max_block=cap))
                run_job(spark, inputs, f"{tmp}/{name}", opts)
                rows = spark.read.parquet(f"{tmp}/{name}/stories").collect()
                story = {a: r["id"] for r in rows for a in r["article_ids"]}
                ids = sorted(local)
                ari = adjusted_rand_score([local[i] for i in ids], [story[i] for i in ids])
                out[name] = {"max_block": cap, "stories": len(rows), "ari": round(ari, 4)}
        finally:
            spark.stop()
    return out


def run_child(n: int, master: str, analyse: bool) -> dict:
    cmd = [sys.executable, __file__, "--one", str(n), "--master", master] + (
        [] if analyse else ["--no-analyse"]
    )
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--analysed", type=int, default=1000, help="articles of the local[1] / local[2] runs")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="growth sizes, no analysis")
    ap.add_argument("--json", action="store_true")
    ap.add_argument(
        "--cut-check",
        type=int,
        nargs=2,
        metavar=("N", "MAX_BLOCK"),
        help="only compare the stories of N articles cut in blocks of MAX_BLOCK, and uncut, with the local clusterer",
    )
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--master", default="local[2]", help=argparse.SUPPRESS)
    ap.add_argument("--no-analyse", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.cut_check:
        print(json.dumps(cut_check(*args.cut_check)))
        return
    if args.one:
        print(json.dumps(run_one(args.one, args.master, not args.no_analyse)))
        return
    plan = [(args.analysed, m, True) for m in ("local[1]", "local[2]")] + [
        (n, "local[2]", False) for n in args.sizes
    ]
    runs = []
    for n, master, analyse in plan:  # each result is printed as it comes (a run stopped later loses nothing)
        r = run_child(n, master, analyse)
        runs.append(r)
        what = "whole job" if r["analyse"] else "no analysis"
        print(
            f"{r['master']:>9} {r['articles']:>7} articles ({what}): {r['seconds']:>7.1f} s, "
            f"{r['articles_per_s']:>7.1f} articles/s, stages {r['stage_seconds']}",
            flush=True,
        )
        for step, c in r["task_costs"].items():
            print(
                f"    {step:>8}: {c['tasks']:>4.0f} tasks, {c['task_s']:>7.1f} task-s "
                f"(largest {c['max_task_s']:.1f} s), JVM heap of a task up to {c['max_heap_mb']:.0f} MB",
                flush=True,
            )
        if args.json:
            print(json.dumps({"runs": runs}), flush=True)


if __name__ == "__main__":
    main()
