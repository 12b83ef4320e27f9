"""Ingest throughput in articles per second, reading only (no store), for text, HTML and JSONL inputs.

    .venv/bin/python benchmarks/bench_ingest.py [--shared ../shared] [--repeat 3] [--json]

- JSONL: ../shared/data/galaxy-wikinews-events/articles.jsonl as it is (369 records);
- text:  the same articles written as .txt files with Title/Source/URL/Date header lines (a temp folder);
- HTML:  ../shared/data/l3s-gn1/html/*.html.gz (250 gzipped pages through trafilatura).
Each input is read ``--repeat`` times; the best run is reported (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from newsweave.ingest import IngestOptions, read_inputs
from newsweave.model import Article

HERE = Path(__file__).resolve().parent


def _write_text_files(articles_jsonl: Path, out: Path) -> None:
    with articles_jsonl.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            host = urlsplit(r.get("url") or "").hostname or ""
            header = f"Title: {r.get('title') or ''}\nSource: {host}\nURL: {r.get('url') or ''}\nDate: {r.get('created_at') or ''}\n\n"
            (out / f"{r['id']}.txt").write_text(header + r["text"], encoding="utf-8")


def _measure(paths: list[str], repeat: int) -> dict[str, float]:
    best = float("inf")
    count = rejected = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        items = list(read_inputs(paths, IngestOptions()))
        best = min(best, time.perf_counter() - t0)
        count = sum(isinstance(x, Article) for x in items)
        rejected = len(items) - count
    return {
        "articles": count,
        "rejected": rejected,
        "seconds": best,
        "articles_per_s": count / best if best else 0.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=HERE.parents[1] / "shared")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = ap.parse_args()
    data = args.shared / "data"
    galaxy = data / "galaxy-wikinews-events" / "articles.jsonl"
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        _write_text_files(galaxy, Path(tmp))
        results["text"] = _measure([tmp], args.repeat)
    results["jsonl"] = _measure([str(galaxy)], args.repeat)
    results["html"] = _measure([str(data / "l3s-gn1" / "html")], max(1, args.repeat - 2))
    for name, r in results.items():
        print(
            f"{name:6} {r['articles']:5d} articles  {r['rejected']:3d} rejected  "
            f"{r['seconds']:7.2f} s  {r['articles_per_s']:9.1f} articles/s"
        )
    # baseline, same process: the JSONL lines only parsed by json.loads (no fields, no checks, no text work)
    floor = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        n = len(
            [json.loads(line) for line in galaxy.read_text(encoding="utf-8").splitlines() if line.strip()]
        )
        floor = min(floor, time.perf_counter() - t0)
    print(f"json.loads only (baseline) {n:5d} records {floor:7.2f} s  {n / floor:9.1f} records/s")
    if args.json:
        out = {f"{k}_articles_per_s": v["articles_per_s"] for k, v in results.items()}
        print(json.dumps({**out, "jsonl_parse_only_per_s": round(n / floor, 1)}))


if __name__ == "__main__":
    main()
