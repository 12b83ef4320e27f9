"""Ingest plus analysis throughput in articles per second, on the galaxy-wikinews articles.

    .venv/bin/python benchmarks/bench_analyse.py [--shared ../shared] [--limit 369] [--processes 1 2]
        [--batch-size 32] [--parse cues|fast|all] [--ner-repeats 2] [--repeat 1] [--compare-baseline] [--json]

Reads ../shared/data/galaxy-wikinews-events/articles.jsonl through ``newsweave.ingest.read_inputs`` and runs
``analyse_articles`` (entities, quotes, quantities) once per process count; prints articles/s for each and,
for one process, where the time goes (first pass: tokenizer + sentence rules + NER; the parse of the
selected sentences; the rest: entities, quotes, numbers).

The machine is shared, so wall-clock rates move with other people's load. Next to them the script prints
the CPU seconds spent (this process plus its workers) and ``articles / CPU second``: on an otherwise idle
machine N processes reach about N times that rate, which is what ``idle_estimate`` reports for each run.
``--compare-baseline`` also times, in the same run and interleaved with the current configuration, the
configuration before the speed work (NER windows of 4 tokens around every capitalised word, the NER with
all 18 labels, every sentence with a quotation mark or a reporting word parsed whole, thinc's BLIS matrix
products, default garbage collection, one process), and prints the ratio. Code-level changes made at the
same time (fewer passes over tokens, cached name folding, no window for a stop word opening a quotation)
help the baseline too, so the ratio is a lower bound. The best of ``--repeat`` runs is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any

from spacy.language import Language
from thinc.api import Model, NumpyOps

from newsweave.analyse import AnalyseOptions, analyse_articles, load_nlp
from newsweave.analyse import nlp as nlp_mod
from newsweave.analyse import pipeline as pipeline_mod
from newsweave.analyse.cues import STRONG_SURFACE, SURFACE
from newsweave.ingest import IngestOptions, read_inputs
from newsweave.model import Article

HERE = Path(__file__).resolve().parent
_QUOTE_CHARS = set('"“”„«»‘’')
_WORD = re.compile(r"[A-Za-z]+")


def _baseline_needs_parse(text: str, start: int, end: int, mode: str, quoted: list[tuple[int, int]]) -> bool:
    """The sentence selection before the speed work: any quotation mark, or any reporting word (any case)
    not right after a determiner."""
    sent = text[start:end]
    if mode == "all" or any(ch in _QUOTE_CHARS for ch in sent):
        return True
    words = [w.lower() for w in _WORD.findall(sent)]
    if mode == "cues":
        dets = pipeline_mod._DETERMINERS
        return any(w in SURFACE and (k == 0 or words[k - 1] not in dets) for k, w in enumerate(words))
    return any(w in STRONG_SURFACE for w in words)


@contextmanager
def _baseline(on: bool, full: Language) -> Iterator[None]:
    """While ``on``: the former sentence selection, no elision of long quotations, the NER with every label
    (``full``, a pipeline loaded with all of them), thinc's BLIS matrix products and the default garbage
    collection."""
    if not on:
        yield
        return
    saved, saved_gc, saved_load = pipeline_mod._needs_parse, pipeline_mod._calm_gc, pipeline_mod.load_nlp
    saved_elide = nlp_mod.MIN_ELIDED_TOKENS
    saved_ops = {}
    pipeline_mod._needs_parse = _baseline_needs_parse  # type: ignore[assignment]
    pipeline_mod._calm_gc = nullcontext  # type: ignore[assignment]
    pipeline_mod.load_nlp = lambda options=None: full  # type: ignore[assignment]
    nlp_mod.MIN_ELIDED_TOKENS = 1 << 30
    blis = NumpyOps()
    for name, proc in full.pipeline:
        model = getattr(proc, "model", None)
        if isinstance(model, Model):
            saved_ops[name] = model.ops
            for node in model.walk():
                node.ops = blis
    try:
        yield
    finally:
        pipeline_mod._needs_parse, pipeline_mod._calm_gc = saved, saved_gc  # type: ignore[assignment]
        pipeline_mod.load_nlp = saved_load  # type: ignore[assignment]
        nlp_mod.MIN_ELIDED_TOKENS = saved_elide
        for name, proc in full.pipeline:
            if name in saved_ops:
                for node in proc.model.walk():  # type: ignore[attr-defined]
                    node.ops = saved_ops[name]


def _read(path: Path, limit: int) -> tuple[list[Article], float]:
    t0 = time.perf_counter()
    articles = [a for a in read_inputs([str(path)], IngestOptions()) if isinstance(a, Article)][:limit]
    return articles, time.perf_counter() - t0


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _breakdown(articles: list[Article], options: AnalyseOptions) -> dict[str, float]:
    """Seconds spent in each part, for one process (wraps the pipeline's two passes)."""
    spent = {"first_pass": 0.0, "parse": 0.0, "parsed_tokens": 0.0}
    first, parse = pipeline_mod.first_pass, pipeline_mod.parse_sentences

    def timed_first(*a, **k):
        t0 = time.perf_counter()
        docs = list(first(*a, **k))
        spent["first_pass"] += time.perf_counter() - t0
        return iter(docs)

    def timed_parse(nlp, sents, *a, **k):
        t0 = time.perf_counter()
        out = parse(nlp, sents, *a, **k)
        spent["parse"] += time.perf_counter() - t0
        spent["parsed_tokens"] += sum(len(p.doc) for p in out)  # after long quotations are elided
        return out

    pipeline_mod.first_pass, pipeline_mod.parse_sentences = timed_first, timed_parse  # type: ignore[assignment]
    try:
        t0 = time.perf_counter()
        analyses = analyse_articles(articles, options)
        total = time.perf_counter() - t0
    finally:
        pipeline_mod.first_pass, pipeline_mod.parse_sentences = first, parse  # type: ignore[assignment]
    return {
        **spent,
        "rest": total - spent["first_pass"] - spent["parse"],
        "total": total,
        "sentences": sum(len(a.sentences) for a in analyses),
    }


def _run(articles: list[Article], options: AnalyseOptions, breakdown: bool) -> tuple[float, float, dict]:
    """(wall seconds, CPU seconds, breakdown) of one analysis run."""
    c0, t0 = _cpu(), time.perf_counter()
    parts: dict[str, float] = {}
    if breakdown and options.n_process == 1:
        parts = _breakdown(articles, options)
    else:
        analyse_articles(articles, options)
    return time.perf_counter() - t0, _cpu() - c0, parts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--limit", type=int, default=369)
    ap.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch-size", type=int, default=AnalyseOptions().batch_size)
    ap.add_argument("--parse", choices=["cues", "fast", "all"], default="cues")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--ner-repeats", type=int, default=AnalyseOptions().ner_repeats)
    ap.add_argument("--compare-baseline", action="store_true", help="also time the former configuration")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    path = args.shared / "data" / "galaxy-wikinews-events" / "articles.jsonl"
    articles, read_s = _read(path, args.limit)
    chars = sum(len(a.text) for a in articles)
    base = AnalyseOptions(batch_size=args.batch_size, parse=args.parse, ner_repeats=args.ner_repeats)
    t0 = time.perf_counter()
    nlp = load_nlp(base)
    load_s = time.perf_counter() - t0
    analyse_articles(articles[:8], base)  # warm the vocabulary once, for every configuration alike
    full = nlp
    if args.compare_baseline:
        full = nlp_mod._load(nlp_mod.resolve_model(base), True, True, False)  # every NER label
        with _baseline(True, full):
            analyse_articles(articles[:8], replace(base, n_process=1))
    results: dict[str, Any] = {
        "articles": len(articles),
        "mean_chars": round(chars / max(1, len(articles))),
        "ingest_s": round(read_s, 3),
        "model_load_s": round(load_s, 2),
        "batch_size": args.batch_size,
        "parse": args.parse,
        "ner_repeats": args.ner_repeats,
        "cpus": os.cpu_count(),
    }
    configs: list[tuple[str, AnalyseOptions, bool]] = []
    if args.compare_baseline:
        configs.append(("baseline_1", replace(base, ner_window=4, ner_repeats=0, n_process=1), True))
    configs += [(f"processes_{n}", replace(base, n_process=n), False) for n in args.processes]
    best: dict[str, tuple[float, float, dict]] = {}
    for _ in range(args.repeat):
        for name, options, is_baseline in configs:  # interleaved: each repeat times every configuration
            with _baseline(is_baseline, full):
                wall, cpu, parts = _run(articles, options, breakdown=True)
            if name not in best or wall < best[name][0]:
                best[name] = (wall, cpu, parts)
    for name, options, _ in configs:
        wall, cpu, parts = best[name]
        rate = len(articles) / (wall + read_s)
        per_cpu = len(articles) / (cpu + read_s)
        row: dict[str, Any] = {
            "articles_per_s": round(rate, 1),
            "cpu_s": round(cpu, 2),
            "articles_per_cpu_s": round(per_cpu, 1),
            "idle_estimate_per_s": round(per_cpu * options.n_process, 1),
            "load_avg": round(os.getloadavg()[0], 2),
        }
        if parts:
            row["breakdown_s"] = {k: round(v, 2) for k, v in parts.items()}
        results[name] = row
        if not args.json:
            print(
                f"{name}: {rate:.1f} articles/s (ingest + analysis), {per_cpu:.1f} articles per CPU second, "
                f"idle {options.n_process}-CPU estimate {per_cpu * options.n_process:.1f}/s"
                + (f"; seconds {row['breakdown_s']}" if parts else "")
            )
    if args.compare_baseline:
        b = results["baseline_1"]
        for name, _, _ in configs[1:]:
            r = results[name]
            assert isinstance(b, dict) and isinstance(r, dict)
            ratio = {
                "wall": round(r["articles_per_s"] / b["articles_per_s"], 2),
                "per_cpu": round(r["articles_per_cpu_s"] / b["articles_per_cpu_s"], 2),
            }
            r["vs_baseline"] = ratio
            if not args.json:
                print(
                    f"{name} vs baseline_1: x{ratio['wall']} wall-clock, x{ratio['per_cpu']} per CPU second"
                )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
