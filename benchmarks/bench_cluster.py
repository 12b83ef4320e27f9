"""Incremental story clustering at 1k, 10k (and with ``--full`` 100k) articles: time per article, memory.

Articles: the galaxy dev articles (../shared/data/galaxy-wikinews-events) and perturbed copies of them
(10% of the words replaced, paragraphs kept). Copy round ``k`` of an event is dated ``k`` x 30 days after
the first round, so each round is a fresh story in time, as in a real stream where old stories go quiet;
within a round an event's copies are spread over two days. Each size runs in its own process; peak
memory is that process's maximum resident set size. The stream goes through
:meth:`StoryClusterer.add_many` (statistics first, then time order).

    .venv/bin/python benchmarks/bench_cluster.py [--full]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "galaxy-wikinews-events" / "articles.jsonl"


def perturbed_copies(seed: int = 11, data: Path = DATA) -> Iterator[tuple[int, dict, str, datetime]]:
    """(round k, galaxy row, text, publication time) without end: the galaxy articles, then rounds of copies
    with 10% of the words replaced, copy round k dated k x 30 days later (so each round makes fresh stories).
    Shared by the cluster, Spark and web benchmarks."""
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    events = sorted({r["event_id"] for r in rows})
    offset = {e: i * 0.25 for i, e in enumerate(events)}  # events a few hours apart
    rng = random.Random(seed)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    k = 0
    while True:
        for r in rows:
            words = r["text"].split(" ")
            if k:
                for _ in range(len(words) // 10):
                    words[rng.randrange(len(words))] = rng.choice(
                        ["alpha", "beta", "gamma", "delta", "omega"]
                    )
            when = t0 + timedelta(days=30 * k + offset[r["event_id"]] % 20 + rng.random() * 2)
            yield k, r, " ".join(words), when
        k += 1


def build(n: int, seed: int = 11) -> list:
    from newsweave.model import Article

    return [
        Article(id=f"{k:05d}{r['id'][-11:]}", text=text, title=r["title"], published_at=when)
        for k, r, text, when in itertools.islice(perturbed_copies(seed), n)
    ]


def run_one(n: int) -> dict:
    from newsweave.cluster import StoryClusterer

    arts = build(n)
    c = StoryClusterer()
    t = time.perf_counter()
    c.add_many(arts)
    elapsed = time.perf_counter() - t
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "articles": n,
        "seconds": round(elapsed, 2),
        "ms_per_article": round(1000 * elapsed / n, 3),
        "stories": len(c.stories),
        "merges": len(c.merges),
        "peak_rss_mb": round(rss_mb, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="also 100k articles (a few minutes)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    sizes = [1_000, 10_000] + ([100_000] if args.full else [])
    results = []
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        print(
            f"{r['articles']:>7} articles: {r['seconds']:>7.1f} s, {r['ms_per_article']:.2f} ms/article, "
            f"{r['stories']} stories, {r['merges']} merges, peak RSS {r['peak_rss_mb']:.0f} MB"
        )
    ratio = results[-1]["ms_per_article"] / results[0]["ms_per_article"]
    print(f"time per article, {results[-1]['articles']:,} vs {results[0]['articles']:,}: {ratio:.2f}x")
    print(json.dumps({"results": results, "per_article_ratio": round(ratio, 2)}))


if __name__ == "__main__":
    main()
