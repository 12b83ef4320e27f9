"""Story clustering evaluation on the galaxy (``event_id``) and WikiRef (``topic``) formats.

Metrics: B-cubed precision/recall/F1 (per item, averaged), ARI and AMI (scikit-learn), and the number of
clusters predicted vs gold. Galaxy's ``created_at`` becomes ``published_at``: it is the publication
time for the handpicked part and the crawl time for the WikiNews parts (all crawled within a day, so the
2-day time scale cannot tell their events apart). WikiRef's noise documents (``is_noise``) each count as their own gold
cluster (a noise article should stay alone), and are also reported excluded.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from dateutil import parser as dateparser
from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

from newsweave.cluster import ClusterOptions, StoryClusterer, cluster_batch
from newsweave.embed import Embedder
from newsweave.errors import UsageError
from newsweave.eval.metrics import jsonl_records
from newsweave.model import Article

log = logging.getLogger(__name__)
DEV_SUBSETS = frozenset({"handpicked", "wikinews", "wikinews_medium"})  # calibration part of galaxy
_MOJIBAKE = re.compile(r"[\xc2-\xf4][\x80-\xbf]{1,3}")


@dataclass(frozen=True)
class LabelledArticle:
    article: Article
    gold: str
    subset: str


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1 ("Egyptâ\\x80\\x99s" -> "Egypt's"), run by run; other text is kept."""

    def fix(m: re.Match[str]) -> str:
        try:
            return m.group().encode("latin-1").decode("utf-8")
        except UnicodeError:
            return m.group()

    return _MOJIBAKE.sub(fix, text)


def load_labelled(data: Path) -> list[LabelledArticle]:
    """Read ``articles.jsonl`` of a galaxy or WikiRef folder (or the file itself)."""
    return [_labelled(r) for r in jsonl_records(data, "articles.jsonl")]


def _labelled(r: dict[str, Any]) -> LabelledArticle:
    text = fix_mojibake(r.get("text") or "")
    if "event_id" in r:
        gold, subset = str(r["event_id"]), str(r.get("subset") or "")
    elif "topic" in r:
        noise = bool(r.get("is_noise"))
        gold, subset = (f"noise:{r['id']}" if noise else str(r["topic"])), ("noise" if noise else "topic")
    else:
        raise UsageError("records need event_id (galaxy) or topic (wikiref)")
    when = None
    if r.get("created_at"):
        try:
            when = dateparser.parse(r["created_at"])
        except (ValueError, OverflowError):
            when = None
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    title = fix_mojibake(r["title"]) if r.get("title") else None
    art = Article(id=str(r["id"]), text=text, title=title, url=r.get("url"), published_at=when)
    return LabelledArticle(art, gold, subset)


def bcubed(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1."""
    n = len(pred)
    if n == 0:
        return 0.0, 0.0, 0.0
    pc, gc, both = Counter(pred), Counter(gold), Counter(zip(pred, gold, strict=True))
    p = sum(both[(a, b)] / pc[a] for a, b in zip(pred, gold, strict=True)) / n
    r = sum(both[(a, b)] / gc[b] for a, b in zip(pred, gold, strict=True)) / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def scores(pred: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    p, r, f = bcubed(pred, gold)
    return {
        "bcubed_precision": round(p, 4),
        "bcubed_recall": round(r, 4),
        "bcubed_f1": round(f, 4),
        "ari": round(float(adjusted_rand_score(gold, pred)), 4),
        "ami": round(float(adjusted_mutual_info_score(gold, pred)), 4),
        "n_items": len(pred),
        "clusters_predicted": len(set(pred)),
        "clusters_gold": len(set(gold)),
    }


def cluster_labelled(
    items: Sequence[LabelledArticle],
    mode: str = "incremental",
    options: ClusterOptions | None = None,
    embedder: Embedder | None = None,
) -> list[str]:
    """Predicted story id per item: incremental (time order, the ``add`` path) or batch (``recluster``)."""
    arts = [it.article for it in items]
    if mode == "batch":
        stories = cluster_batch(arts, options, embedder=embedder)
        story_of = {a: s.id for s in stories for a in s.article_ids}
    elif mode == "incremental":
        clusterer = StoryClusterer(options, embedder)
        clusterer.add_many(arts)
        story_of = {a.id: clusterer.resolve(clusterer.story_of[a.id]) for a in arts}
    else:
        raise UsageError(f"unknown mode {mode!r}: incremental or batch")
    return [story_of[a.id] for a in arts]


def evaluate_clustering(
    items: Sequence[LabelledArticle],
    mode: str = "incremental",
    options: ClusterOptions | None = None,
    embedder: Embedder | None = None,
) -> dict[str, Any]:
    """Scores on the whole set (top-level keys), plus ``parts``: galaxy dev/test, WikiRef without noise,
    and for galaxy ``subsets``: the whole set's clustering scored on each subset's articles.

    Each part is clustered on its own (the held-out part never sees the dev articles).
    """
    out: dict[str, Any] = {"mode": mode, "embeddings": embedder is not None}
    whole = cluster_labelled(items, mode, options, embedder)
    out.update(scores(whole, [it.gold for it in items]))
    parts: dict[str, list[LabelledArticle]] = {}
    subsets = {it.subset for it in items}
    if subsets & DEV_SUBSETS:
        out["subsets"] = {
            name: scores([p for p, it in zip(whole, items, strict=True) if it.subset == name],
                         [it.gold for it in items if it.subset == name])
            for name in sorted(subsets)
        }  # fmt: skip
        parts["dev"] = [it for it in items if it.subset in DEV_SUBSETS]
        parts["test"] = [it for it in items if it.subset not in DEV_SUBSETS]
    if "noise" in subsets:
        parts["without_noise"] = [it for it in items if it.subset != "noise"]
    out["parts"] = {}
    for name, part in parts.items():
        if part:
            pred = cluster_labelled(part, mode, options, embedder)
            out["parts"][name] = scores(pred, [it.gold for it in part])
    return out
