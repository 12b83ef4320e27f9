"""``newsweave eval align``: the claim-alignment decision on sentence pairs (MRPC format).

Reads ``pairs.jsonl`` ({label, sentence1, sentence2}); predicts "same claim" when the pair passes the
gate (:func:`newsweave.compare.align.related`) and the alignment model's probability is at least ``SHARED_P``; reports accuracy and F1 (positive class 1), lexical-only and, when
the embedding model is installed, with embeddings. The idf of the lexical features is fitted on all the
sentences of the file (as a story's sentences are in ``compare``).

The shipped weights were fitted on this very set (mrpc-test is the only labelled one there is), so the
accuracy with them is in-sample. Each figure therefore comes with cross-validated ones (``cv``): the same
model (:func:`newsweave.compare.align.fit_weights` with ``FIT_EMB`` or ``FIT_LEX``, as the shipped weights
were fitted) refitted on nine tenths (stratified folds, shuffled with seed 0) and scored on the tenth it did
not see, with the same gate and threshold; the predictions of the ten held-out tenths make one accuracy and
F1. ``seeds`` repeats it with the folds shuffled by seeds 0-4, and ``half_b`` fits on half A of the pairs
(:func:`half_of`), where the fitting choices were made, and scores half B, which no choice looked at.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
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
CV_SEEDS = (0, 1, 2, 3, 4)


def half_of(row: dict[str, Any]) -> int:
    """The fixed half of a pair: 0 (half A, where every fitting choice was made) when the md5 of
    ``"{id1}-{id2}"`` (of the two sentences, for pairs without ids) is even, else 1 (half B, only scored).
    On mrpc-test: 428 and 423 pairs (the split of branch ``issue-mrpc``)."""
    key = (
        f"{row['id1']}-{row['id2']}" if "id1" in row and "id2" in row else row["sentence1"] + row["sentence2"]
    )
    return int(hashlib.md5(key.encode("utf-8")).hexdigest(), 16) % 2


def _decide(x: np.ndarray, w: tuple[float, ...], gate: np.ndarray) -> np.ndarray:
    z = w[0] + x @ np.asarray(w[1:])
    p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    return ((p >= align.SHARED_P) & gate).astype(int)


def held_out_predictions(
    x: np.ndarray, y: np.ndarray, gate: np.ndarray, recipe: tuple[float, bool], seed: int = CV_SEED
) -> np.ndarray:
    """Each pair's decision by the model refitted (``recipe``: C, standardise, as
    :func:`newsweave.compare.align.fit_weights` takes them) on the ``CV_FOLDS - 1`` folds it is not in."""
    pred = np.zeros(len(y), dtype=int)
    for train, test in StratifiedKFold(CV_FOLDS, shuffle=True, random_state=seed).split(x, y):
        w = align.fit_weights(x[train], y[train], *recipe)
        pred[test] = _decide(x[test], w, gate[test])
    return pred


def cross_validated(
    f: dict[str, np.ndarray], y: np.ndarray, recipe: tuple[float, bool], halves: np.ndarray | None = None
) -> dict[str, Any] | None:
    """Accuracy and F1 of the held-out predictions (folds shuffled with ``CV_SEED``), with ``seeds``: the
    accuracy with the folds shuffled by each of ``CV_SEEDS``, and ``half_b``: accuracy and F1 on half B of
    the model fitted on half A alone (None without both halves). None when a class has under ``CV_FOLDS``
    pairs."""
    if len(y) < CV_FOLDS or min(np.bincount(y, minlength=2)) < CV_FOLDS:
        return None
    x, gate = align.feature_rows(f), align.related(f)
    preds = {s: held_out_predictions(x, y, gate, recipe, s) for s in CV_SEEDS}
    out: dict[str, Any] = scores(y, preds[CV_SEED])
    out["seeds"] = [scores(y, preds[s])["accuracy"] for s in CV_SEEDS]
    out["half_b"] = None
    if halves is not None:
        a, b = halves == 0, halves == 1
        if len(set(y[a].tolist())) == 2 and b.any():
            w = align.fit_weights(x[a], y[a], *recipe)
            out["half_b"] = scores(y[b], _decide(x[b], w, gate[b]))
    return out


def evaluate_align(data: Path, embeddings: bool | None = None) -> dict[str, Any]:
    """{'accuracy', 'f1', 'cv_accuracy', 'cv_f1', 'cv_seeds', 'half_b', 'model', 'lexical': {..., 'cv':
    {..., 'seeds', 'half_b'}}, 'embeddings': {..., 'cv': {...}} or None}; the top-level figures are those
    of the decision used (embeddings when installed)."""
    rows = load_pairs(data)
    y = np.array([int(r["label"]) for r in rows])
    halves = np.array([half_of(r) for r in rows], dtype=int)
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
        out["embeddings"]["cv"] = cross_validated(f, y, align.FIT_EMB, halves)
        f = {k: v for k, v in f.items() if k != "emb"}
    out["lexical"] = scores(y, ((align.probability(f) >= align.SHARED_P) & align.related(f)).astype(int))
    out["lexical"]["cv"] = cross_validated(f, y, align.FIT_LEX, halves)
    used = "embeddings" if out["embeddings"] else "lexical"
    cv = out[used]["cv"] or {}
    out.update({"model": used, "accuracy": out[used]["accuracy"], "f1": out[used]["f1"],
                "cv_accuracy": cv.get("accuracy"), "cv_f1": cv.get("f1"), "cv_seeds": cv.get("seeds"),
                "half_b": cv.get("half_b")})  # fmt: skip
    return out
