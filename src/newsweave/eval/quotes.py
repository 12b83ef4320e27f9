"""Quote extraction measured on PolNeAR (``../shared/data/polnear/articles.jsonl``).

Gold: the attributions of the *first* annotator listed for each article (82 of the 84 dev articles have one
annotator; the two with six keep their first, as PROVENANCE.txt counts them). Every attribution is a gold
quote, with or without a source.

Two matchings, both printed (content tokens are ``\\w+`` runs; predictions and gold quotes are paired
one-to-one by a maximum-weight assignment, ``scipy.optimize.linear_sum_assignment``):

- strict (the gated figure): class-aware, a predicted direct quote can only match a gold direct one and an
  indirect one a gold indirect one; a match needs the two contents to share at least half of the tokens of
  the *longer* of the two, so an over-long prediction (a whole paragraph for one quoted sentence) or one
  that catches a fragment does not count;
- lenient (the figure before issue 19): a prediction matches when it covers at least half of the gold
  content's tokens, whatever its length and class.

Direct vs indirect: a quote (gold or predicted) is direct when its content contains a double quotation mark
(straight, curly, guillemet, or two apostrophes as some wire copy writes it); precision counts predictions of
the class, recall gold quotes of the class.

Speaker accuracy: over matched pairs whose gold attribution has a source span, the share whose predicted
source span overlaps it. Gold marks the source as written ("he", "who", "the mayor", "Mr. Obama"), so the
comparison is on spans; the entity the pronoun resolves to is not scored here (the seed tests check it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from newsweave.analyse import AnalyseOptions, analyse_articles
from newsweave.analyse.quotemarks import has_double_quote
from newsweave.eval.metrics import jsonl_records
from newsweave.model import Article, Quote

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class GoldQuote:
    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]
    direct: bool


def load_polnear(data: Path, limit: int | None = None) -> list[tuple[Article, list[GoldQuote]]]:
    out = []
    for rec in jsonl_records(data, "articles.jsonl", limit):
        text = rec["text"]
        published = None
        if rec.get("publication_date"):
            try:
                published = datetime.fromisoformat(rec["publication_date"])
            except ValueError:
                published = None
        article = Article(id=rec["id"], text=text, published_at=published, source=rec.get("publisher"))
        golds = []
        annotations = rec.get("annotations") or []
        for att in annotations[0]["attributions"] if annotations else []:
            content = tuple((c["start"], c["end"]) for c in att["content"])
            if not content:
                continue
            source = tuple((s["start"], s["end"]) for s in att["source"])
            direct = any(has_double_quote(text[a:b]) for a, b in content)
            golds.append(GoldQuote(content, source, direct))
        out.append((article, golds))
    return out


def _tokens(text: str, parts: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for a, b in parts for m in _TOKEN.finditer(text, a, b)]


def _coverage(gold_tokens: list[tuple[int, int]], pred: tuple[tuple[int, int], ...]) -> float:
    if not gold_tokens:
        return 0.0
    hit = sum(1 for s, e in gold_tokens if any(a <= s and e <= b for a, b in pred))
    return hit / len(gold_tokens)


def _strict_overlap(gold_tokens: list[tuple[int, int]], pred_tokens: list[tuple[int, int]]) -> float:
    """Shared tokens over the token count of the longer of the two contents."""
    longer = max(len(gold_tokens), len(pred_tokens))
    return len(set(gold_tokens) & set(pred_tokens)) / longer if longer else 0.0


def _overlaps(span: tuple[int, int] | None, spans: tuple[tuple[int, int], ...]) -> bool:
    return span is not None and any(span[0] < b and a < span[1] for a, b in spans)


_COUNT_KEYS = ["direct_tp_gold", "direct_tp_pred", "direct_gold", "direct_pred", "indirect_tp_gold",
               "indirect_tp_pred", "indirect_gold", "indirect_pred", "speaker_ok", "speaker_n"]  # fmt: skip


def score_article(
    text: str, golds: list[GoldQuote], preds: list[Quote], strict: bool = False
) -> dict[str, int]:
    """Counts for one article: tp/pred/gold per class, speaker hits and trials (``strict``: see the module
    docstring)."""
    pred_parts = [tuple((s.start, s.end) for s in q.content) for q in preds]
    pred_direct = [any(has_double_quote(text[a:b]) for a, b in p) for p in pred_parts]
    counts = dict.fromkeys(_COUNT_KEYS, 0)
    for d in pred_direct:
        counts["direct_pred" if d else "indirect_pred"] += 1
    for g in golds:
        counts["direct_gold" if g.direct else "indirect_gold"] += 1
    if not golds or not preds:
        return counts
    cov = np.zeros((len(golds), len(preds)))
    pred_tokens = [_tokens(text, p) for p in pred_parts]
    for i, g in enumerate(golds):
        toks = _tokens(text, g.content)
        for j, p in enumerate(pred_parts):
            if strict:
                c = _strict_overlap(toks, pred_tokens[j]) if g.direct == pred_direct[j] else 0.0
            else:
                c = _coverage(toks, p)
            cov[i, j] = c if c >= 0.5 else 0.0
    rows, cols = linear_sum_assignment(-cov)
    for i, j in zip(rows, cols, strict=True):
        if cov[i, j] < 0.5:
            continue
        g, q = golds[i], preds[j]
        counts["direct_tp_gold" if g.direct else "indirect_tp_gold"] += 1
        counts["direct_tp_pred" if pred_direct[j] else "indirect_tp_pred"] += 1
        if g.source:
            counts["speaker_n"] += 1
            sp = (q.speaker_span.start, q.speaker_span.end) if q.speaker_span else None
            counts["speaker_ok"] += int(_overlaps(sp, g.source))
    return counts


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _figures(total: dict[str, int], prefix: str = "") -> dict[str, float]:
    dp, dr, df = _prf(
        total["direct_tp_pred"], total["direct_pred"], total["direct_tp_gold"], total["direct_gold"]
    )
    ip, ir, if_ = _prf(
        total["indirect_tp_pred"], total["indirect_pred"], total["indirect_tp_gold"], total["indirect_gold"]
    )
    speaker = total["speaker_ok"] / total["speaker_n"] if total["speaker_n"] else 0.0
    vals = {"direct_precision": dp, "direct_recall": dr, "direct_f1": df, "indirect_precision": ip,
            "indirect_recall": ir, "indirect_f1": if_, "speaker_accuracy": speaker}  # fmt: skip
    return {prefix + k: round(v, 4) for k, v in vals.items()}


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for k, v in counts.items():
        total[k] = total.get(k, 0) + v


def evaluate_quotes(
    data: Path, options: AnalyseOptions | None = None, limit: int | None = None
) -> dict[str, Any]:
    """Precision, recall and F1 for direct and indirect quotes, and speaker accuracy, on PolNeAR: the
    strict figures (``strict_*``), the lenient ones (the plain keys, as before), and the strict figures of
    the two halves (``halves``: even and odd article positions) as a measure of their spread."""
    items = load_polnear(data, limit)
    options = options or AnalyseOptions(quantities=False)
    analyses = analyse_articles([a for a, _ in items], options)
    total: dict[str, int] = dict.fromkeys(_COUNT_KEYS, 0)
    strict: dict[str, int] = dict.fromkeys(_COUNT_KEYS, 0)
    halves: list[dict[str, int]] = [dict.fromkeys(_COUNT_KEYS, 0), dict.fromkeys(_COUNT_KEYS, 0)]
    for k, ((article, golds), analysis) in enumerate(zip(items, analyses, strict=True)):
        preds = list(analysis.quotes)
        _add(total, score_article(article.text, golds, preds))
        counts = score_article(article.text, golds, preds, strict=True)
        _add(strict, counts)
        _add(halves[k % 2], counts)
    return {
        "articles": len(items),
        **_figures(strict, "strict_"),
        **_figures(total),
        "halves": [_figures(h, "strict_") for h in halves],
        "counts": total,
        "strict_counts": strict,
    }
