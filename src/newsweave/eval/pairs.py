"""Same-story pair similarity on the SemEval-2022 task 8 format.

Gold ``scores.Overall`` runs from 1 (same story) to 4 (unrelated), so the prediction is correlated with
``-Overall``: a positive Pearson correlation means the similarity ranks pairs the right way. The
prediction is :func:`newsweave.cluster.pairs.pair_scores` (lexical, plus the MiniLM cosine when
embeddings are on); the plain MiniLM cosine over the same texts is computed in the same run as the
baseline (English pairs only: the model is English).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsweave.cluster.features import raw_features
from newsweave.cluster.pairs import embed_rows, pair_scores
from newsweave.embed import Embedder
from newsweave.eval.metrics import jsonl_records
from newsweave.model import Article

log = logging.getLogger(__name__)
EMBED_CHARS = 1200  # SemEval texts are cut to about 1,100 characters anyway


@dataclass(frozen=True)
class Pair:
    pair_id: str
    lang: str  # "en-en", "de-en", ...
    text1: str
    text2: str
    overall: float
    split: str


def load_pairs(data: Path) -> list[Pair]:
    return [
        Pair(
            pair_id=str(r["pair_id"]),
            lang=f"{r['lang1']}-{r['lang2']}",
            text1=r.get("text1") or "",
            text2=r.get("text2") or "",
            overall=float(r["scores"]["Overall"]),
            split=str(r.get("origin_split_in_tonyx_repo") or ""),
        )
        for r in jsonl_records(data, "pairs.jsonl")
    ]


def as_article(key: str, text: str) -> Article:
    """A SemEval text as an article: its first line is the headline when the text has line breaks."""
    text = text.strip()
    head, sep, rest = text.partition("\n")
    if sep and len(head) <= 300:
        return Article(id=key, text=rest.strip() or head, title=head.strip())
    return Article(id=key, text=text)


def pearson(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(np.asarray(x, float), np.asarray(y, float))[0, 1])


def evaluate_pairs(
    pairs: Sequence[Pair], embedder: Embedder | None = None, embed_languages: Sequence[str] = ("en-en",)
) -> dict[str, Any]:
    """Pearson per language pair (``pearson_en_en`` ...), overall, and the MiniLM baseline on en-en.

    Embeddings (when an embedder is given) are used for the pairs of ``embed_languages`` only: the model
    is English. The baseline is the plain MiniLM cosine of the same (cut) texts, in the same run.
    """
    arts = [as_article(f"{p.pair_id}:{k}", t) for p in pairs for k, t in (("1", p.text1), ("2", p.text2))]
    raws = [raw_features(a) for a in arts]
    index = [(2 * i, 2 * i + 1) for i in range(len(pairs))]
    lexical = pair_scores(raws, index)
    pred, baseline = lexical, None
    if embedder is not None:
        mask = [p.lang in embed_languages for p in pairs for _ in (1, 2)]
        texts = [t[:EMBED_CHARS] for p in pairs for t in (p.text1, p.text2)]
        emb = embed_rows(embedder, texts, mask)
        if emb is not None:
            pred = pair_scores(raws, index, emb, mask)
            baseline = np.array([float(emb[i] @ emb[j]) for i, j in index])
    gold = np.array([-p.overall for p in pairs])
    out: dict[str, Any] = {"n_pairs": len(pairs), "embeddings": embedder is not None}
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        groups[p.lang].append(i)
    for lang, idx in sorted(groups.items()):
        key = lang.replace("-", "_")
        out[f"pearson_{key}"] = round(pearson(pred[idx], gold[idx]), 4)
        out[f"n_{key}"] = len(idx)
    out["pearson_all"] = round(pearson(pred, gold), 4)
    en = groups.get("en-en", [])
    if not en:
        return out
    out["pearson_en_en_lexical"] = round(pearson(lexical[en], gold[en]), 4)
    if baseline is not None:
        out["baseline_minilm_en_en"] = round(pearson(baseline[en], gold[en]), 4)
    for split in sorted({pairs[i].split for i in en if pairs[i].split}):
        idx = [i for i in en if pairs[i].split == split]
        out[f"pearson_en_en_{split}"] = round(pearson(pred[idx], gold[idx]), 4)
        if baseline is not None:
            out[f"baseline_minilm_en_en_{split}"] = round(pearson(baseline[idx], gold[idx]), 4)
    return out
