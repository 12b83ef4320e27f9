"""Near-duplicate detection end to end (text -> shingles -> signature -> LSH candidates -> verified pairs).

Corpus: the galaxy dev texts (../shared/data/galaxy-wikinews-events) plus planted near duplicates of
each (``--copies`` per text: 2% of the words replaced and a wire credit line appended, Jaccard of word
5-shingles about 0.8). Both paths use word 5-shingles, 128 permutations and threshold 0.7, run on one
core with the same LSH banding (thread pools pinned to 1, process pinned to one CPU where the OS allows), and report articles per
second (best of ``--repeat`` runs) and recall on the planted pairs.

    .venv/bin/python benchmarks/bench_dedup.py [--copies 4] [--repeat 3]
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from newsweave.dedup import DedupOptions, near_duplicate_pairs  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "galaxy-wikinews-events" / "articles.jsonl"
WORD = re.compile(r"\w+")
CREDIT = " This story was supplied by Continental Press Wire."


def corpus(copies: int, seed: int = 7) -> tuple[list[str], set[tuple[int, int]]]:
    texts = [
        json.loads(line)["text"] for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    rng = random.Random(seed)
    out = list(texts)
    planted: set[tuple[int, int]] = set()
    for i, t in enumerate(texts):
        for _ in range(copies):
            words = t.split()
            for _ in range(max(1, len(words) // 50)):
                words[rng.randrange(len(words))] = rng.choice(["alpha", "beta", "gamma", "delta"])
            planted.add((i, len(out)))
            out.append(" ".join(words) + CREDIT)
    return out, planted


def ours(texts: list[str], opts: DedupOptions) -> set[tuple[int, int]]:
    return {(int(a), int(b)) for a, b in near_duplicate_pairs(texts, opts)}


def datasketch_path(texts: list[str], opts: DedupOptions) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    # the same banding as ours (32 bands of 4 rows), so both paths run at the same recall
    params = (opts.bands, opts.num_perm // opts.bands)
    lsh = MinHashLSH(threshold=opts.near_threshold, num_perm=opts.num_perm, params=params)
    sigs = []
    for i, t in enumerate(texts):
        words = WORD.findall(t.lower())
        k = opts.shingle_size
        shingles = {" ".join(words[j : j + k]).encode("utf-8") for j in range(max(1, len(words) - k + 1))}
        m = MinHash(num_perm=opts.num_perm)
        m.update_batch(list(shingles))
        lsh.insert(i, m)
        sigs.append(m)
    pairs = set()
    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            if j != i and m.jaccard(sigs[j]) >= opts.near_threshold:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def measure(fn, texts: list[str], opts: DedupOptions, repeat: int) -> tuple[float, set[tuple[int, int]]]:
    best, pairs = float("inf"), set()
    for _ in range(repeat):
        t0 = time.perf_counter()
        pairs = fn(texts, opts)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best, pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=4, help="planted near duplicates per galaxy text")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    texts, planted = corpus(args.copies)
    opts = DedupOptions()
    ours(texts[:50], opts)  # warm-up (power tables)
    rate, found = measure(ours, texts, opts, args.repeat)
    recall = len(planted & found) / len(planted)
    print(f"corpus: {len(texts)} texts ({len(texts) // (args.copies + 1)} galaxy dev + planted copies)")
    print(f"newsweave (numpy shingles + rensa + numpy LSH): {rate:,.0f} articles/s, recall {recall:.3f}")
    try:
        ds_rate, ds_found = measure(datasketch_path, texts, opts, 1)
    except ImportError:
        print("datasketch not installed (dev extra): baseline skipped")
        ds_rate, ds_found = float("nan"), set()
    else:
        ds_recall = len(planted & ds_found) / len(planted)
        print(
            f"datasketch (Python shingles + MinHash + MinHashLSH): {ds_rate:,.0f} articles/s, recall {ds_recall:.3f}"
        )
        print(f"speed-up: {rate / ds_rate:.1f}x")
    print(
        json.dumps(
            {
                "articles_per_s": round(rate),
                "recall": round(recall, 4),
                "datasketch_articles_per_s": round(ds_rate),
            }
        )
    )
    sys.exit(0)


if __name__ == "__main__":
    main()
