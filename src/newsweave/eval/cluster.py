"""Story clustering evaluation on the galaxy (``event_id``) and WikiRef (``topic``) formats.

Metrics: B-cubed precision/recall/F1 (per item, averaged), ARI and AMI (scikit-learn), and the number of
clusters predicted vs gold. Galaxy's ``created_at`` becomes ``published_at``: it is the publication
time for the handpicked part and the crawl time for the WikiNews parts (all crawled within a day, so the
2-day time scale cannot tell their events apart). WikiRef's noise documents (``is_noise``) each count as their own gold
cluster (a noise article should stay alone), and are also reported excluded.

As in ``newsweave add``, the articles are analysed first and the entity channel holds the analysis
stage's canonical entities (``entities``; without them, the cheap capitalised-word keys).

Levels: ``event`` scores the stories; ``storyline`` scores the storylines above them (WikiRef's topics
are storyline-sized). Galaxy's two "On the campaign trail" umbrella events (``UMBRELLA_EVENTS``) group
unrelated pieces under one label; ``umbrella_recall_excluded`` reports B-cubed recall and F1 with those
articles left out of the recall average (precision stays over every article, as at the top level).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
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
UMBRELLA_EVENTS = frozenset({"wikinews_big-007", "wikinews_big-010"})  # "On the campaign trail" months
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


def recall_excluding(pred: Sequence[str], gold: Sequence[str], excluded: frozenset[str]) -> float:
    """B-cubed recall averaged over the items whose gold label is not in ``excluded``."""
    gc, both = Counter(gold), Counter(zip(pred, gold, strict=True))
    kept = [(a, b) for a, b in zip(pred, gold, strict=True) if b not in excluded]
    return sum(both[(a, b)] / gc[b] for a, b in kept) / len(kept) if kept else 0.0


def scores(pred: Sequence[str], gold: Sequence[str]) -> dict[str, Any]:
    p, r, f = bcubed(pred, gold)
    extra: dict[str, Any] = {}
    if UMBRELLA_EVENTS & set(gold):
        rx = recall_excluding(pred, gold, UMBRELLA_EVENTS)
        extra["umbrella_recall_excluded"] = {
            "bcubed_precision": round(p, 4),
            "bcubed_recall": round(rx, 4),
            "bcubed_f1": round(2 * p * rx / (p + rx) if p + rx else 0.0, 4),
        }
    return extra | {
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
    entities: Mapping[str, Sequence[str]] | None = None,
    level: str = "event",
) -> list[str]:
    """Predicted story (or storyline) id per item: incremental (time order, the ``add`` path) or batch
    (``recluster``)."""
    if level not in ("event", "storyline"):
        raise UsageError(f"unknown level {level!r}: event or storyline")
    arts = [it.article for it in items]
    if mode == "batch":
        stories = cluster_batch(arts, options, entities=entities, embedder=embedder)
        story_of = {
            a: (s.id if level == "event" else s.storyline_id or s.id) for s in stories for a in s.article_ids
        }
    elif mode == "incremental":
        clusterer = StoryClusterer(options, embedder)
        clusterer.add_many(arts, entities=dict(entities or {}))
        resolve = clusterer.resolve if level == "event" else clusterer.storyline_of
        story_of = {a.id: resolve(clusterer.story_of[a.id]) for a in arts}
    else:
        raise UsageError(f"unknown mode {mode!r}: incremental or batch")
    return [story_of[a.id] for a in arts]


def analysed_entities(items: Sequence[LabelledArticle]) -> dict[str, list[str]]:
    """The analysis stage's entity keys of each article (what ``newsweave add`` clusters with)."""
    from newsweave.analyse import AnalyseOptions, analyse_articles
    from newsweave.cluster.features import analysis_entity_keys

    analyses = analyse_articles([it.article for it in items], AnalyseOptions(n_process=0))
    return {a.article_id: analysis_entity_keys(a) for a in analyses}


def evaluate_clustering(
    items: Sequence[LabelledArticle],
    mode: str = "incremental",
    options: ClusterOptions | None = None,
    embedder: Embedder | None = None,
    entities: Mapping[str, Sequence[str]] | None = None,
    level: str = "event",
) -> dict[str, Any]:
    """Scores on the whole set (top-level keys), plus ``parts``: galaxy dev/test, WikiRef without noise
    and WikiRef's halves (``half_a`` by an article id hash, the calibration half of the storyline
    threshold; ``half_b`` held out), and for galaxy ``subsets``: the whole set's clustering scored on each
    subset's articles.

    Each part is clustered on its own (the held-out part never sees the dev articles).
    """
    out: dict[str, Any] = {"mode": mode, "level": level, "embeddings": embedder is not None}
    out["entities"] = "analysis" if entities is not None else "capitalised words"
    run = lambda part: cluster_labelled(part, mode, options, embedder, entities, level)  # noqa: E731
    whole = run(items)
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
    if subsets & {"noise", "topic"}:
        parts["without_noise"] = [it for it in items if it.subset != "noise"]
        parts["half_a"] = [it for it in items if half_of(it.article.id) == "a"]
        parts["half_b"] = [it for it in items if half_of(it.article.id) == "b"]
    out["parts"] = {}
    for name, part in parts.items():
        if part:
            out["parts"][name] = scores(run(part), [it.gold for it in part])
    return out


def half_of(article_id: str) -> str:
    """A fixed split of a set by article id: "a" or "b" (the first hex digit of the id's SHA-1)."""
    return "a" if int(hashlib.sha1(article_id.encode()).hexdigest()[0], 16) < 8 else "b"
