"""The web app under load over loopback: requests per second and p50/p99 latency per endpoint.

    .venv/bin/python benchmarks/bench_web.py [--db STORE] [--clients 4] [--seconds 5] [--embed] [--json]

Without ``--db`` the store is built from examples/corpus first (about 5 s). The server runs in this
process (uvicorn on 127.0.0.1, a free port); ``--clients`` threads, each with its own keep-alive
connection, send requests back to back for ``--seconds`` per endpoint: the story list, the page of the
largest story (its comparison is computed by a first, untimed request, then served from the cache: the
"warm" figure), a search for that story's first quoted speaker, and the same through the JSON API. The
machine is shared, so figures move with other people's load. Not yet measured on a 10,000-article store.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def _build_demo(folder: Path) -> Path:
    from newsweave.pipeline import add_inputs
    from newsweave.store import Store

    db = folder / "demo.duckdb"
    with Store.open(db) as store:
        add_inputs(store, [str(REPO / "examples" / "corpus")])
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
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.monotonic() < stop:
                t = time.perf_counter()
                r = client.get(path)
                mine.append(time.perf_counter() - t)
                bad += r.status_code != 200
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
    return {"requests": len(latencies), "errors": errors[0], "rps": len(latencies) / wall,
            "p50_ms": statistics.median(latencies) * 1000, "p99_ms": p99 * 1000}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--embed", action="store_true", help="Sentence embeddings in the comparison.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    import uvicorn

    from newsweave.web import WebOptions, create_app

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or _build_demo(Path(tmp))
        app = create_app(db, WebOptions(embeddings=True if args.embed else False))
        port = _port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        stories = httpx.get(base + "/api/stories?limit=1").json()
        sid = stories["items"][0]["id"]
        t = time.perf_counter()
        comp = httpx.get(f"{base}/api/stories/{sid}/comparison", timeout=300).json()
        cold = time.perf_counter() - t
        speaker = next((q["speaker"] for q in comp["quotes"] if q["speaker"]), "said")
        httpx.get(f"{base}/api/search", params={"speaker": speaker})  # build the index (untimed)
        endpoints = {
            "story list": "/",
            "story page (warm)": f"/stories/{sid}",
            "search page": f"/search?q={speaker.split()[-1]}",
            "api stories": "/api/stories?limit=50",
            "api comparison (warm)": f"/api/stories/{sid}/comparison",
            "api search": f"/api/search?q={speaker.split()[-1]}",
        }
        results = {name: _load(base, path, args.clients, args.seconds) for name, path in endpoints.items()}
        server.should_exit = True
        thread.join(timeout=10)
    summary = {"store": str(args.db or "examples/corpus"), "stories": stories["total"], "clients": args.clients,
               "cold_comparison_s": round(cold, 3), "endpoints": results}  # fmt: skip
    if args.json:
        print(json.dumps(summary))
        return
    print(
        f"store {summary['store']}: {stories['total']} stories; {args.clients} clients, {args.seconds:g} s each"
    )
    print(f"first comparison of the largest story (cold): {cold:.2f} s")
    for name, r in results.items():
        print(f"{name:<24} {r['rps']:8.1f} req/s   p50 {r['p50_ms']:7.1f} ms   p99 {r['p99_ms']:7.1f} ms"
              f"   ({r['requests']} requests, {r['errors']} errors)")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()
