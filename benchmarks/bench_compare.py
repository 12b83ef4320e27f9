"""Time to compare one 10-article story, warm (models loaded, one run done before timing).

The story is the first 10 articles of galaxy-wikinews-events event wikinews_big-010 (15 articles),
or of the largest event when that one is missing. Prints one line per setting and a JSON line.

    .venv/bin/python benchmarks/bench_compare.py [--runs 3] [--no-embed] [--analyse]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from newsweave import embed as embed_mod
from newsweave.compare import CompareOptions, compare_articles
from newsweave.ingest import read_text_article

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "galaxy-wikinews-events" / "articles.jsonl"


def story(n: int = 10, event: str = "wikinews_big-010"):
    by_event: dict[str, list[dict]] = defaultdict(list)
    with open(DATA, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            by_event[r["event_id"]].append(r)
    rows = by_event.get(event) or max(by_event.values(), key=len)
    arts = []
    for r in rows[:n]:
        header = (
            f"Title: {r.get('title') or ''}\nURL: {r.get('url') or ''}\nDate: {r.get('created_at') or ''}\n\n"
        )
        arts.append(read_text_article(header + r["text"], path=f"{r['id']}.txt"))
    return arts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-embed", action="store_true", help="lexical alignment only")
    ap.add_argument("--analyse", action="store_true", help="also time the analysis stage (spaCy)")
    args = ap.parse_args(argv)
    arts = story()
    chars = sum(len(a.text) for a in arts)
    results = {}
    settings = [("lexical", False)] if args.no_embed else [("lexical", False), ("embeddings", True)]
    for name, embed in settings:
        opts = CompareOptions(embeddings=embed)
        analyses = None
        if args.analyse:
            from newsweave.analyse import analyse_articles

            t0 = time.perf_counter()
            analyses = analyse_articles(arts)
            print(f"analysis stage: {time.perf_counter() - t0:.2f} s (first call, includes model load)")
        t0 = time.perf_counter()
        comp = compare_articles(arts, analyses, opts)  # warm-up: loads the embedding model
        cold = time.perf_counter() - t0
        times, uncached = [], []
        for _ in range(args.runs):
            if embed:  # model loaded, sentence-vector cache empty: what a new story costs
                embed_mod._CACHE.clear()
                t0 = time.perf_counter()
                compare_articles(arts, analyses, opts)
                uncached.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            comp = compare_articles(arts, analyses, opts)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        results[name] = round(med, 3)
        extra = ""
        if uncached:
            results[name + "_new_sentences"] = round(statistics.median(uncached), 3)
            extra = f", model warm but sentences not yet embedded {statistics.median(uncached):.3f} s"
        print(
            f"{name:<10} {len(arts)} articles, {chars} chars: warm {med:.3f} s (median of {args.runs}){extra}; "
            f"first run {cold:.2f} s; {len(comp.claims)} claims, {len(comp.quotes)} quote groups, "
            f"{len(comp.numbers)} number groups"
        )
    print(json.dumps({"articles": len(arts), "chars": chars, "warm_seconds": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
