"""``newsweave eval align``: the claim-alignment decision on sentence pairs (MRPC format).

Reads ``pairs.jsonl`` ({label, sentence1, sentence2}); predicts "same claim" when the pair passes the
gate (:func:`newsweave.compare.align.related`) and the alignment model's probability is at least ``SHARED_P``; reports accuracy and F1 (positive class 1), lexical-only and, when
the embedding model is installed, with embeddings. The idf of the lexical features is fitted on all the
sentences of the file (as a story's sentences are in ``compare``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from newsweave.compare import align
from newsweave.embed import get_embedder
from newsweave.eval.metrics import jsonl_records


def load_pairs(data: Path) -> list[dict[str, Any]]:
    return list(jsonl_records(data, "pairs.jsonl"))


def scores(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = int(np.sum((pred == 1) & (y == 1)))
    fp = int(np.sum((pred == 1) & (y == 0)))
    fn = int(np.sum((pred == 0) & (y == 1)))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"accuracy": round(float(np.mean(pred == y)), 4), "f1": round(f1, 4), "pairs": int(len(y))}


def evaluate_align(data: Path, embeddings: bool | None = None) -> dict[str, Any]:
    """{'accuracy', 'f1', 'model', 'lexical': {...}, 'embeddings': {...} or None}."""
    rows = load_pairs(data)
    y = np.array([int(r["label"]) for r in rows])
    n = len(rows)
    texts = [r["sentence1"] for r in rows] + [r["sentence2"] for r in rows]
    embedder = get_embedder() if embeddings is not False else None
    feats = align.featurise(texts, embedder)
    a, b = align.subset(feats, range(n)), align.subset(feats, range(n, 2 * n))
    f = align.features(a, b, diagonal=True)
    out: dict[str, Any] = {"embeddings": None}
    if "emb" in f:
        out["embeddings"] = scores(
            y, ((align.probability(f) >= align.SHARED_P) & align.related(f)).astype(int)
        )
        f = {k: v for k, v in f.items() if k != "emb"}
    out["lexical"] = scores(y, ((align.probability(f) >= align.SHARED_P) & align.related(f)).astype(int))
    used = "embeddings" if out["embeddings"] else "lexical"
    out.update({"model": used, "accuracy": out[used]["accuracy"], "f1": out[used]["f1"]})
    return out
