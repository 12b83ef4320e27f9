"""Stored comparisons outside ``report`` (issue #20): the web app's first and second view of a stored
story, and ``add`` with and without ``--prepare``. Every figure is one fresh process, as a user meets it.

Web: bench_report's 10-article story in a new DuckDB store; each view is a new writable app (what
``serve`` starts) in its own process, timed from creating the app: the first view compares (loads the
models) and the app's writer stores the comparison, vectors and tags (``save_s``, after the page was
sent); the second view, in a new process (a restarted server, or a story gone from the in-memory cache),
reads the stored comparison.

Add: ``newsweave add examples/corpus`` (the demo corpus) into a new store, plain and with ``--prepare``;
the extra time divided by the articles is the cost per article that decides the default. After the
plain add, ``report`` of each story of 2+ articles (what the first readers then pay, one process each);
after ``add --prepare``, the same reports read the stored comparisons.

    .venv/bin/python benchmarks/bench_prepare.py [--runs 1] [--skip-web] [--skip-add]
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

from bench_report import STORY_ID, build_store  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
ENV = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) and stdout of ``cmd`` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode not in (0, 1):  # add exits 1 when an input was rejected (none is, in the corpus)
        raise SystemExit(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr[-2000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, out.stdout


def one_view(db: str, story: str) -> None:
    """(In a child process.) A writable app over ``db``, one GET of the story page; prints JSON timings."""
    t0 = time.perf_counter()
    import httpx

    from newsweave.web import WebOptions, create_app

    app = create_app(db, WebOptions(writable=True))
    t1 = time.perf_counter()

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.get(f"/stories/{story}")

    import asyncio

    page = asyncio.run(get())
    t2 = time.perf_counter()
    app.state.writer.wait()
    t3 = time.perf_counter()
    snap = app.state.store.snapshot()
    stored = snap.query("SELECT count(*) FROM story_comparisons WHERE story_id = ?", [story])[0][0]
    snap.close()
    app.state.writer.close()
    app.state.store.close()
    print(json.dumps({"status": page.status_code, "bytes": len(page.content), "start_s": t1 - t0,
                      "page_s": t2 - t1, "save_s": t3 - t2, "stored": stored}))  # fmt: skip


def bench_web(tmp: Path) -> dict[str, object]:
    db = tmp / "web.duckdb"
    n = build_store(db)
    me = [sys.executable, __file__, "--view", str(db), STORY_ID]
    views = []
    for _ in range(2):
        wall, cpu, out = timed(me)
        views.append({**json.loads(out.strip().splitlines()[-1]), "process_s": wall, "cpu_s": cpu})
    first, second = views
    print(f"web, story of {n} articles, each view a new app in a new process (wall; page = the request):")
    for name, v in (
        ("first view (compares, then stores)", first),
        ("second view (stored comparison)", second),
    ):
        print(f"  {name}: page {v['page_s']:.3f} s, process {v['process_s']:.2f} s (CPU {v['cpu_s']:.2f} s), "
              f"store after the page {v['save_s']:.3f} s, stored rows {v['stored']}")  # fmt: skip
    return {"articles": n, "first": first, "second": second}


def _stories(db: str) -> list[dict[str, object]]:
    _, _, out = timed([sys.executable, "-m", "newsweave", "stories", "--db", db, "--json"])
    return [s for s in json.loads(out) if len(s["article_ids"]) >= 2]  # type: ignore[arg-type]


def _reports(db: str, stories: list[dict[str, object]]) -> tuple[float, float, list[float]]:
    walls, cpus = [], []
    for s in stories:
        wall, cpu, _ = timed(
            [sys.executable, "-m", "newsweave", "report", str(s["id"]), "--db", db, "--json"]
        )
        walls.append(wall)
        cpus.append(cpu)
    return sum(walls), sum(cpus), walls


def bench_add(tmp: Path, runs: int) -> dict[str, object]:
    n_articles = sum(1 for _ in CORPUS.iterdir())
    res: dict[str, dict[str, object]] = {}
    for mode, extra in (("plain", []), ("prepare", ["--prepare"])):
        walls, cpus = [], []
        for r in range(runs):
            db = str(tmp / f"add-{mode}-{r}.duckdb")
            wall, cpu, out = timed([sys.executable, "-m", "newsweave", "add", str(CORPUS), "--db", db, "--json",
                                    *extra])  # fmt: skip
            summary = json.loads(out.strip().splitlines()[-1])
            walls.append(wall)
            cpus.append(cpu)
        stories = _stories(db)
        rep_wall, rep_cpu, each = _reports(db, stories)
        res[mode] = {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus), "runs_s": walls,
                     "added": summary["added"], "prepared": len(summary.get("prepared", [])),
                     "multi_article_stories": len(stories), "reports_s": rep_wall, "reports_cpu_s": rep_cpu,
                     "report_max_s": max(each, default=0.0)}  # fmt: skip
    plain, prep = res["plain"], res["prepare"]
    added = int(plain["added"])  # type: ignore[call-overload]
    extra_s = float(prep["wall_s"]) - float(plain["wall_s"])  # type: ignore[arg-type]
    extra_cpu = float(prep["cpu_s"]) - float(plain["cpu_s"])  # type: ignore[arg-type]
    print(f"add {CORPUS.name} ({n_articles} files, {added} articles), median of {runs}, wall (CPU):")
    print(f"  add:           {plain['wall_s']:.2f} s ({plain['cpu_s']:.2f} s)")
    print(
        f"  add --prepare: {prep['wall_s']:.2f} s ({prep['cpu_s']:.2f} s), {prep['prepared']} stories prepared"
    )
    print(f"  extra: {extra_s:.2f} s ({extra_cpu:.2f} s CPU) = {extra_s / added:.3f} s per article "
          f"({extra_cpu / added:.3f} s CPU), on {plain['wall_s'] / added:.3f} s per article without it")  # fmt: skip
    print(f"  then report of each of the {plain['multi_article_stories']} stories of 2+ articles, one process each: "
          f"after add {plain['reports_s']:.2f} s in all (slowest {plain['report_max_s']:.2f} s), "
          f"after add --prepare {prep['reports_s']:.2f} s (slowest {prep['report_max_s']:.2f} s)")  # fmt: skip
    return {"articles": added, **res, "extra_s_per_article": extra_s / added,
            "extra_cpu_s_per_article": extra_cpu / added}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1, help="add runs per mode (median reported)")
    ap.add_argument("--skip-web", action="store_true")
    ap.add_argument("--skip-add", action="store_true")
    ap.add_argument("--view", nargs=2, metavar=("DB", "STORY"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.view:
        one_view(*args.view)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="nw_bench_prepare_"))
    out: dict[str, object] = {"load_average": round(os.getloadavg()[0], 2)}
    if not args.skip_web:
        out["web"] = bench_web(tmp)
    if not args.skip_add:
        out["add"] = bench_add(tmp, args.runs)
    out["load_average_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
