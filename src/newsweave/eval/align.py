"""``newsweave eval align``: the claim-alignment decision on sentence pairs (MRPC format).

Reads ``pairs.jsonl`` ({label, sentence1, sentence2}); predicts "same claim" when the pair passes the
gate (:func:`newsweave.compare.align.related`) and the alignment model's probability is at least ``SHARED_P``; reports accuracy and F1 (positive class 1), lexical-only and, when
the embedding model is installed, with embeddings. The idf of the lexical features is fitted on all the
sentences of the file (as a story's sentences are in ``compare``).

The shipped weights were fitted on this very set (mrpc-test is the only labelled one there is), so the
accuracy with them is in-sample. Each figure therefore comes with a 10-fold cross-validated one
(``cv``): the same logistic model (scikit-learn, C=1.0, as in :mod:`newsweave.compare.align`) refitted on
nine tenths (stratified folds, shuffled with seed 0) and scored on the tenth it did not see, with the same
gate and threshold; the predictions of the ten held-out tenths make one accuracy and F1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

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


CV_FOLDS = 10
CV_SEED = 0


def cross_validated(f: dict[str, np.ndarray], y: np.ndarray, folds: int = CV_FOLDS) -> dict[str, float]:
    """Accuracy and F1 of the model refitted on each ``folds - 1`` folds and scored on the fold left out."""
    x = align.feature_rows(f)
    gate = align.related(f)
    pred = np.zeros(len(y), dtype=int)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=CV_SEED).split(x, y):
        model = LogisticRegression(C=1.0, max_iter=1000).fit(x[train], y[train])
        p = model.predict_proba(x[test])[:, 1]
        pred[test] = ((p >= align.SHARED_P) & gate[test]).astype(int)
    return scores(y, pred)


def evaluate_align(data: Path, embeddings: bool | None = None) -> dict[str, Any]:
    """{'accuracy', 'f1', 'cv_accuracy', 'cv_f1', 'model', 'lexical': {..., 'cv': {...}},
    'embeddings': {..., 'cv': {...}} or None}."""
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
        out["embeddings"]["cv"] = cross_validated(f, y) if n >= CV_FOLDS else None
        f = {k: v for k, v in f.items() if k != "emb"}
    out["lexical"] = scores(y, ((align.probability(f) >= align.SHARED_P) & align.related(f)).astype(int))
    out["lexical"]["cv"] = cross_validated(f, y) if n >= CV_FOLDS else None
    used = "embeddings" if out["embeddings"] else "lexical"
    cv = out[used]["cv"] or {}
    out.update({"model": used, "accuracy": out[used]["accuracy"], "f1": out[used]["f1"],
                "cv_accuracy": cv.get("accuracy"), "cv_f1": cv.get("f1")})  # fmt: skip
    return out
