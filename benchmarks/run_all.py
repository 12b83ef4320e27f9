"""``make bench``: every stage's benchmark in one run, one table, written to docs/performance.md.

Each benchmark script runs in its own process (its baselines run inside that same process, next to the
measured path); the peak memory of a step is the largest resident set of that process and the processes
it waited for (``os.wait4``). The whole run keeps to a time budget (``--budget``, 14 minutes by default on
a 2-core machine): a step that would start after the budget is spent is listed as skipped, and each step is
stopped at its own time limit, never silently. The figures go between the ``bench`` markers of
docs/performance.md; the prose around them is kept.

    .venv/bin/python benchmarks/run_all.py [--budget 840] [--no-write] [--spark-sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOC = HERE.parent / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def run_step(args: list[str], limit: float) -> dict[str, Any]:
    """Run one benchmark script; its last JSON line, wall seconds and peak RSS (MB)."""
    t = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, *args], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > t + limit:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            time.sleep(0.5)
        proc.returncode = 0  # reaped above by wait4
        log.seek(0)
        text = log.read()
    last = None
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            try:
                last = json.loads(line)
                break
            except json.JSONDecodeError:
                continue
    return {
        "seconds": round(time.perf_counter() - t, 1),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "ok": not timed_out and os.waitstatus_to_exitcode(status) == 0,
        "timed_out": timed_out,
        "json": last,
        "output": text,
    }


STEPS: list[tuple[str, list[str], float]] = [  # in this order; the Spark step goes after "compare"
    ("ingest", ["bench_ingest.py", "--repeat", "1", "--json"], 60),
    (
        "analyse",
        ["bench_analyse.py", "--limit", "100", "--processes", "1", "2", "--compare-baseline", "--json"],
        150,
    ),
    ("dedup", ["bench_dedup.py", "--repeat", "1", "--copies", "2"], 60),
    ("cluster", ["bench_cluster.py", "--full"], 120),  # 100k alone took ~8 min at load 5: it stops there
    ("compare", ["bench_compare.py", "--runs", "1", "--no-embed"], 90),
    ("sentences", ["bench_sentences.py", "--n", "20"], 45),
    ("hostile", ["bench_hostile.py", "--n", "200", "--json"], 60),
    ("watch", ["bench_watch.py", "--json"], 45),
    ("web", ["bench_web.py", "--seconds", "1", "--json"], 60),
]


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    mem = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    try:
        import pyspark

        spark = pyspark.__version__
    except ImportError:
        spark = "not installed"
    return (
        f"{cpu}, {len(os.sched_getaffinity(0))} usable cores, {mem} GiB memory; {platform.platform()}; "
        f"Python {platform.python_version()}; {java[0] if java else 'no Java'}; pyspark {spark}; "
        f"load average at start {os.getloadavg()[0]:.2f} (the machine is shared: figures move with others' load)"
    )


def _rate(x: Any) -> str:
    return f"{x:,.1f}" if isinstance(x, int | float) else "-"


_CLUSTER_LINE = re.compile(
    r"^\s*(\d+) articles:\s+([\d.]+) s, ([\d.]+) ms/article, (\d+) stories, \d+ merges, peak RSS (\d+) MB",
    re.M,
)


def cluster_sizes(res: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The sizes bench_cluster finished, read from its lines (a size stopped by the time limit is absent)."""
    out = (res.get("cluster") or {}).get("output", "")
    return [
        {
            "articles": int(m[0]),
            "seconds": float(m[1]),
            "ms_per_article": float(m[2]),
            "stories": int(m[3]),
            "peak_rss_mb": int(m[4]),
        }
        for m in _CLUSTER_LINE.findall(out)
    ]


def stage_rows(res: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str, str, str]]:
    """(stage, measured, articles/s, baseline, baseline articles/s, peak MB) per stage."""
    rows = []
    j = (res.get("ingest") or {}).get("json") or {}
    rows.append(
        (
            "ingest",
            "JSONL records to Articles (369 galaxy)",
            _rate(j.get("jsonl_articles_per_s")),
            "json.loads of the lines only",
            _rate(j.get("jsonl_parse_only_per_s")),
            res.get("ingest", {}),
        )
    )
    rows.append(
        (
            "ingest",
            "HTML pages (trafilatura, 250 L3S pages)",
            _rate(j.get("html_articles_per_s")),
            "-",
            "-",
            res.get("ingest", {}),
        )
    )
    j = (res.get("analyse") or {}).get("json") or {}
    rows.append(
        (
            "analyse",
            "1 process (100 galaxy)",
            _rate((j.get("processes_1") or {}).get("articles_per_s")),
            "former configuration, 1 process",
            _rate((j.get("baseline_1") or {}).get("articles_per_s")),
            res.get("analyse", {}),
        )
    )
    rows.append(
        (
            "analyse",
            "2 processes",
            _rate((j.get("processes_2") or {}).get("articles_per_s")),
            "-",
            "-",
            res.get("analyse", {}),
        )
    )
    j = (res.get("dedup") or {}).get("json") or {}
    rows.append(
        (
            "dedup",
            "near duplicates, 1 core (369 galaxy + 2 copies each)",
            _rate(j.get("articles_per_s")),
            "datasketch MinHash + MinHashLSH",
            _rate(j.get("datasketch_articles_per_s")),
            res.get("dedup", {}),
        )
    )
    for r in cluster_sizes(res):
        rows.append(
            (
                "cluster",
                f"incremental, {r['articles']:,} articles",
                _rate(1000 / r["ms_per_article"]),
                "-",
                "-",
                {"peak_mb": r["peak_rss_mb"], "seconds": r["seconds"]},
            )
        )
    j = (res.get("compare") or {}).get("json") or {}
    for name, secs in (j.get("warm_seconds") or {}).items():
        rate = j["articles"] / secs if secs else None
        rows.append(
            (
                "compare",
                f"one {j.get('articles')}-article story, {name}",
                _rate(rate),
                "-",
                "-",
                res.get("compare", {}),
            )
        )
    j = (res.get("spark") or {}).get("json") or {}
    for r in j.get("runs", []):
        what = "whole job" if r["analyse"] else "no analysis"
        rows.append(
            (
                "spark",
                f"{r['master']}, {r['articles']:,} articles, {what}",
                _rate(r["articles_per_s"]),
                "-",
                "-",
                res.get("spark", {}),
            )
        )
    return [(s, m, a, b, ba, str(info.get("peak_mb", "-"))) for s, m, a, b, ba, info in rows]


def report(res: dict[str, dict[str, Any]], started: str, total: float) -> str:
    lines = [
        START,
        "",
        f"Measured {started} by `make bench` in {total / 60:.1f} minutes.",
        "",
        f"Machine: {machine()}",
        "",
    ]
    lines += [
        "| stage | measured | articles/s | baseline (same process) | baseline articles/s | peak MB |",
        "|---|---|---:|---|---:|---:|",
    ]
    lines += [f"| {' | '.join(r)} |" for r in stage_rows(res)]
    lines += [
        "",
        "Peak MB: the benchmark process and those it waited for (the cluster sizes: each size's own process;",
        "Spark: the driver with its JVM and Python workers). Steps:",
        "",
    ]
    for name, r in res.items():
        state = (
            "ok"
            if r.get("ok")
            else ("stopped at its time limit" if r.get("timed_out") else r.get("skipped") or "failed")
        )
        tail = (r.get("output") or "").strip().splitlines()[-1:] if not r.get("ok") else []
        lines.append(
            f"- {name}: {state}, {r.get('seconds', 0)} s"
            + (f" (last line: `{tail[0][:200]}`)" if tail else "")
        )
    cl = cluster_sizes(res)
    if cl:
        lines += [
            "",
            "Growth of the local story clustering (incremental, one process per size):",
            "",
            "| articles | seconds | ms/article | stories | peak MB |",
            "|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {r['articles']:,} | {r['seconds']} | {r['ms_per_article']} | {r['stories']} | {r['peak_rss_mb']} |"
            for r in cl
        ]
    sp = ((res.get("spark") or {}).get("json") or {}).get("runs", [])
    if sp:
        lines += [
            "",
            "The Spark job (each run its own process and session; seconds from the job's start):",
            "",
            "| master | articles | analysis | seconds | articles/s | ingest s | analyse s | dedup s | stories s |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in sp:
            st = r["stage_seconds"]
            lines.append(
                f"| {r['master']} | {r['articles']:,} | {'yes' if r['analyse'] else 'no'} | {r['seconds']} | "
                f"{r['articles_per_s']} | {st.get('ingest')} | {st.get('analyse')} | {st.get('dedup')} | {st.get('stories')} |"
            )
        lines += [
            "",
            "Spark task time per step (tasks, summed task seconds, the largest task; from the event log):",
            "",
            "| master | articles | analysis | ingest | analyse | dedup | stories |",
            "|---|---:|---|---|---|---|---|",
        ]
        for r in sp:
            tc = r.get("task_costs") or {}
            cells = [
                f"{c['tasks']:.0f} / {c['task_s']} s / {c['max_task_s']} s" if (c := tc.get(k)) else "-"
                for k in ("ingest", "analyse", "dedup", "stories")
            ]
            lines.append(
                f"| {r['master']} | {r['articles']:,} | {'yes' if r['analyse'] else 'no'} | {' | '.join(cells)} |"
            )
    others = [(n, (res.get(n) or {}).get("json")) for n in ("hostile", "watch", "web")]
    lines += ["", "Other benchmarks (their JSON lines):", ""]
    lines += [f"- {n}: `{json.dumps(j)[:600]}`" for n, j in others if j]
    sent = (res.get("sentences") or {}).get("output", "")
    lines += [
        f"- sentences: {' / '.join(sent.strip().splitlines()[-3:])}" if sent else "- sentences: -",
        "",
        END,
    ]
    return "\n".join(lines)  # fmt: skip


def write_doc(block: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--budget", type=float, default=840.0, help="seconds for the whole run")
    # 100k takes about half an hour (docs/performance.md): run it on its own with bench_spark.py --one 100000
    ap.add_argument("--spark-sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--spark-analysed", type=int, default=150)
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md")
    args = ap.parse_args()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    t0 = time.perf_counter()
    spark_step = ("spark", ["bench_spark.py", "--analysed", str(args.spark_analysed), "--sizes",
                            *map(str, args.spark_sizes), "--json"], 480.0)  # fmt: skip
    res: dict[str, dict[str, Any]] = {}
    for name, cmd, limit in [*STEPS[:5], spark_step, *STEPS[5:]]:
        left = args.budget - (time.perf_counter() - t0)
        if left < 20:
            res[name] = {"skipped": "skipped: the time budget was spent", "seconds": 0}
            print(f"== {name}: skipped (budget spent)", flush=True)
            continue
        print(f"== {name}: {' '.join(cmd)} (limit {min(limit, left):.0f} s)", flush=True)
        r = run_step([str(HERE / cmd[0]), *cmd[1:]], min(limit, left))
        res[name] = r
        print(r["output"].rstrip()[-3000:], flush=True)
        print(
            f"-- {name}: {r['seconds']} s, peak {r['peak_mb']} MB, {'ok' if r['ok'] else 'NOT OK'}",
            flush=True,
        )
    block = report(res, started, time.perf_counter() - t0)
    print(block)
    if not args.no_write:
        write_doc(block)
        print(f"written to {DOC}")


if __name__ == "__main__":
    main()
