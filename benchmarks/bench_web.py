"""The web app under load over loopback: requests per second and p50/p99 latency per endpoint.

    .venv/bin/python benchmarks/bench_web.py --articles 10000 [--clients 4] [--seconds 5] [--embed] [--json]
    .venv/bin/python benchmarks/bench_web.py [--db STORE]      # the demo corpus (20 articles), or a store

``--articles N`` builds (once; kept in benchmarks/out/web-N.duckdb and reused) a store of N articles: the
galaxy-wikinews articles of ../shared/data (369, 104 events) and perturbed copies of them (10% of the
words replaced), copy round k dated k x 30 days later so each round makes fresh stories, as in
benchmarks/bench_cluster.py; added with the library pipeline (stored, analysed, clustered) as
``newsweave add`` would, which takes a few minutes at 10,000. Without it the store is built from
examples/corpus (about 5 s), or ``--db`` names one.

The server runs in this process (uvicorn on 127.0.0.1, a free port). ``--clients`` threads (at most
MAX_CLIENTS), each with its own keep-alive connection, send requests back to back for ``--seconds`` (at
most MAX_SECONDS) per endpoint: the story list, the page of the largest story (its comparison is computed
by a first, untimed request, then served from the cache: the "warm" figure), a search for a word of that
story's headline and one for its first quoted speaker, and the same through the JSON API. Each request
times out after REQUEST_TIMEOUT_S (counted as an error). Goals (issue #16): story page p99 under 300 ms
warm, search p99 under 200 ms. The machine is shared, so figures move with other people's load.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cluster import perturbed_copies  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
GALAXY = REPO.parent / "shared" / "data" / "galaxy-wikinews-events" / "articles.jsonl"
OUT = REPO / "benchmarks" / "out"
MAX_CLIENTS = 64
MAX_SECONDS = 60.0
REQUEST_TIMEOUT_S = 30.0
GOALS_MS = {"story page (warm)": 300.0, "search page": 200.0, "search page (speaker)": 200.0,
            "api search": 200.0}  # fmt: skip


def _build_demo(folder: Path) -> Path:
    from newsweave.pipeline import add_inputs
    from newsweave.store import Store

    db = folder / "demo.duckdb"
    with Store.open(db) as store:
        add_inputs(store, [str(REPO / "examples" / "corpus")])
    return db


def synthetic_articles(n: int, seed: int = 11) -> list:
    """``n`` articles: the galaxy articles, then rounds of perturbed copies (see the module's doc)."""
    from newsweave.ingest import paragraph_spans
    from newsweave.model import Article, Origin

    if not GALAXY.is_file():
        raise SystemExit(f"missing {GALAXY}: ../shared/data must sit beside the checkout")
    out: list = []
    ids: set[str] = set()
    for k, r, text, when in perturbed_copies(seed, GALAXY):
        if len(out) >= n:
            break
        aid = hashlib.sha256(text.encode()).hexdigest()[:16]
        if aid in ids:  # the same text twice (the galaxy set holds one): n distinct articles
            continue
        ids.add(aid)
        host = urlsplit(r["url"]).hostname or "unknown"
        out.append(Article(id=aid, text=text, title=r["title"],
                           source=host.removeprefix("www."), url=f"{r['url']}#copy{k}", published_at=when,
                           paragraphs=tuple(paragraph_spans(text)),
                           origin=Origin(path=f"galaxy-copy-{k}.jsonl", position=r["id"], format="jsonl")))  # fmt: skip
    return out


def build_large(n: int) -> Path:
    """The store of ``n`` synthetic articles, built once and kept in benchmarks/out/."""
    from newsweave.pipeline import AddOptions, add_items
    from newsweave.store import Store

    db = OUT / f"web-{n}.duckdb"
    if db.is_file():
        with Store.open(db, read_only=True) as store:
            if store.count_articles() >= n:
                return db
        with Store.open(db) as store:  # short of n (an older build): add what is missing
            summary = add_items(store, synthetic_articles(n), AddOptions())
            print(f"topped up {db.name}: {len(summary.added)} articles added", file=sys.stderr)
            if store.count_articles() >= n:
                return db
        db.unlink()
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = db.with_suffix(".building.duckdb")
    tmp.unlink(missing_ok=True)
    articles = synthetic_articles(n)
    t = time.perf_counter()
    with Store.open(tmp) as store:

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage != "read" and total and (done == total or done % 1000 < 25):
                print(f"  {stage} {done}/{total}", file=sys.stderr, flush=True)

        summary = add_items(store, articles, AddOptions(), on_progress=progress)
    tmp.rename(db)
    print(f"built {db.name}: {len(summary.added)} articles added, analysed and clustered in "
          f"{time.perf_counter() - t:.0f} s", file=sys.stderr)  # fmt: skip
    return db


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _load(base: str, path: str, clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        mine: list[float] = []
        bad = 0
        with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
            while time.monotonic() < stop:
                t = time.perf_counter()
                try:
                    ok = client.get(path).status_code == 200
                except httpx.HTTPError:
                    ok = False
                mine.append(time.perf_counter() - t)
                bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.monotonic() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    return {"requests": len(latencies), "errors": errors[0], "rps": round(len(latencies) / wall, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1), "p99_ms": round(p99 * 1000, 1)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--db", type=Path, help="An existing store.")
    ap.add_argument("--articles", type=int, help="Build (once) and use a store of this many articles.")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--embed", action="store_true", help="Sentence embeddings in the comparison.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.seconds <= MAX_SECONDS:
        ap.error(f"--clients 1..{MAX_CLIENTS}, --seconds up to {MAX_SECONDS:g}")
    import uvicorn

    from newsweave.store import Store
    from newsweave.web import WebOptions, create_app

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or (build_large(args.articles) if args.articles else _build_demo(Path(tmp)))
        with Store.open(db, read_only=True) as store:
            n_articles = store.count_articles()
        # served as ``newsweave serve`` serves it: writable, so reads go through read-only snapshots
        app = create_app(db, WebOptions(embeddings=True if args.embed else False, writable=True))
        port = _port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        stories = httpx.get(base + "/api/stories?limit=1&sort=size", timeout=REQUEST_TIMEOUT_S).json()
        top = stories["items"][0]
        sid = top["id"]
        t = time.perf_counter()
        comp = httpx.get(f"{base}/api/stories/{sid}/comparison", timeout=600).json()
        cold = time.perf_counter() - t
        speaker = next((q["speaker"] for q in comp["quotes"] if q.get("speaker")), None)
        word = max((top.get("title") or "news").split(), key=len).strip(".,:;'\"")
        t = time.perf_counter()
        httpx.get(f"{base}/api/search", params={"q": word}, timeout=600)  # builds the index (untimed)
        index_s = time.perf_counter() - t
        endpoints = {
            "story list": "/",
            "story page (warm)": f"/stories/{sid}",
            "search page": f"/search?q={word}",
            "api stories": "/api/stories?limit=50",
            "api comparison (warm)": f"/api/stories/{sid}/comparison",
            "api search": f"/api/search?q={word}",
        }
        if speaker:
            endpoints["search page (speaker)"] = f"/search?speaker={speaker.split()[-1]}"
        results = {name: _load(base, path, args.clients, args.seconds) for name, path in endpoints.items()}
        server.should_exit = True
        thread.join(timeout=10)
    goals = {name: results[name]["p99_ms"] < ms for name, ms in GOALS_MS.items() if name in results}
    summary = {"store": str(db if args.db or args.articles else "examples/corpus"), "articles": n_articles,
               "stories": stories["total"], "largest_story_articles": len(top["article_ids"]),
               "clients": args.clients, "seconds": args.seconds, "cold_comparison_s": round(cold, 3),
               "search_index_s": round(index_s, 3), "search_word": word, "speaker": speaker,
               "endpoints": results, "goals_met": goals}  # fmt: skip
    if args.json:
        print(json.dumps(summary))
        return
    print(f"store {summary['store']}: {n_articles} articles, {stories['total']} stories; largest story "
          f"{len(top['article_ids'])} articles; {args.clients} clients, {args.seconds:g} s per endpoint")  # fmt: skip
    print(f"first comparison of the largest story (cold): {cold:.2f} s; search index built in {index_s:.2f} s "
          f"(search word {word!r}, speaker {speaker!r})")  # fmt: skip
    for name, r in results.items():
        goal = (
            f"   goal p99 < {GOALS_MS[name]:.0f} ms: {'met' if goals[name] else 'MISSED'}"
            if name in goals
            else ""
        )
        print(f"{name:<24} {r['rps']:8.1f} req/s   p50 {r['p50_ms']:7.1f} ms   p99 {r['p99_ms']:7.1f} ms"
              f"   ({r['requests']} requests, {r['errors']} errors){goal}")  # fmt: skip
    print(json.dumps(summary))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
