"""Ingest plus analysis throughput in articles per second, on the galaxy-wikinews articles.

    .venv/bin/python benchmarks/bench_analyse.py [--shared ../shared] [--limit 369] [--processes 1 2]
        [--batch-size 64] [--parse cues|all] [--repeat 1] [--json]

Reads ../shared/data/galaxy-wikinews-events/articles.jsonl through ``newsweave.ingest.read_inputs`` and runs
``analyse_articles`` (entities, quotes, quantities) once per process count; prints articles/s for each and,
for one process, where the time goes (first pass: tokenizer + sentence rules + NER; the parse of the
selected sentences; the rest: entities, quotes, numbers). The machine is shared: the best of ``--repeat``
runs is reported, and ``os.getloadavg()`` is printed next to the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from newsweave.analyse import AnalyseOptions, analyse_articles, load_nlp
from newsweave.analyse import pipeline as pipeline_mod
from newsweave.ingest import IngestOptions, read_inputs
from newsweave.model import Article

HERE = Path(__file__).resolve().parent


def _read(path: Path, limit: int) -> tuple[list[Article], float]:
    t0 = time.perf_counter()
    articles = [a for a in read_inputs([str(path)], IngestOptions()) if isinstance(a, Article)][:limit]
    return articles, time.perf_counter() - t0


def _breakdown(articles: list[Article], options: AnalyseOptions) -> dict[str, float]:
    """Seconds spent in each part, for one process (wraps the pipeline's two passes)."""
    spent = {"first_pass": 0.0, "parse": 0.0}
    first, parse = pipeline_mod.first_pass, pipeline_mod.parse_sentences

    def timed_first(*a, **k):
        t0 = time.perf_counter()
        docs = list(first(*a, **k))
        spent["first_pass"] += time.perf_counter() - t0
        return iter(docs)

    def timed_parse(*a, **k):
        t0 = time.perf_counter()
        out = parse(*a, **k)
        spent["parse"] += time.perf_counter() - t0
        return out

    pipeline_mod.first_pass, pipeline_mod.parse_sentences = timed_first, timed_parse  # type: ignore[assignment]
    try:
        t0 = time.perf_counter()
        analyses = analyse_articles(articles, options)
        total = time.perf_counter() - t0
    finally:
        pipeline_mod.first_pass, pipeline_mod.parse_sentences = first, parse  # type: ignore[assignment]
    sentences = sum(len(a.sentences) for a in analyses)
    return {
        **spent,
        "rest": total - spent["first_pass"] - spent["parse"],
        "total": total,
        "sentences": sentences,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--limit", type=int, default=369)
    ap.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch-size", type=int, default=AnalyseOptions().batch_size)
    ap.add_argument("--parse", choices=["cues", "fast", "all"], default="cues")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    path = args.shared / "data" / "galaxy-wikinews-events" / "articles.jsonl"
    articles, read_s = _read(path, args.limit)
    chars = sum(len(a.text) for a in articles)
    base = AnalyseOptions(batch_size=args.batch_size, parse=args.parse)
    t0 = time.perf_counter()
    load_nlp(base)
    load_s = time.perf_counter() - t0
    results: dict[str, object] = {
        "articles": len(articles),
        "mean_chars": round(chars / max(1, len(articles))),
        "ingest_s": round(read_s, 3),
        "model_load_s": round(load_s, 2),
        "batch_size": args.batch_size,
        "parse": args.parse,
        "cpus": os.cpu_count(),
    }
    for n in args.processes:
        options = AnalyseOptions(batch_size=args.batch_size, parse=args.parse, n_process=n)
        best = float("inf")
        parts: dict[str, float] = {}
        for _ in range(args.repeat):
            if n == 1:
                parts = _breakdown(articles, options)
                secs = parts["total"]
            else:
                t0 = time.perf_counter()
                analyse_articles(articles, options)
                secs = time.perf_counter() - t0
            best = min(best, secs)
        rate = len(articles) / (best + read_s)
        results[f"processes_{n}_articles_per_s"] = round(rate, 1)
        results[f"processes_{n}_load_avg"] = round(os.getloadavg()[0], 2)
        if parts:
            results["breakdown_s"] = {k: round(v, 2) for k, v in parts.items()}
        if not args.json:
            print(
                f"{n} process(es): {rate:.1f} articles/s (ingest + analysis, load avg {os.getloadavg()[0]:.1f})"
            )
    if not args.json and "breakdown_s" in results:
        print("one process, seconds:", results["breakdown_s"])
    print(json.dumps(results))


if __name__ == "__main__":
    main()
