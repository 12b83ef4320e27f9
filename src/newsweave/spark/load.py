"""``newsweave import-parquet``: the Spark job's tables into a store, so the CLI and the web app browse them.

Everything goes through the store's own writers, as ``add`` writes: articles and rejected inputs
(:meth:`Store.add_articles`, :meth:`Store.add_rejected`, idempotent), analyses
(:func:`newsweave.store.analysis.save_analysis`), stories (:func:`newsweave.store.stories.save_stories`
with a clusterer restored from the job's stories and the corpus statistics, so a later ``add`` places new
articles into the imported stories) and the job's duplicate links inside each story. The rewrite links of
each story are the dedup stage's per-story deep work (:func:`newsweave.dedup.find_rewrites`), run here as
``add`` runs it. Importing the same output again changes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsweave.cluster import StoryClusterer
from newsweave.cluster.features import raw_features
from newsweave.dedup import DuplicateLink, find_rewrites
from newsweave.errors import InputError
from newsweave.model import Article, Rejected, Story
from newsweave.spark.rows import ANALYSIS_TABLES, row_article, rows_analysis
from newsweave.store import Store

log = logging.getLogger(__name__)
BATCH = 500  # articles written per transaction, as ``add`` does
REQUIRED = ("articles", "stories", "duplicates", *ANALYSIS_TABLES)


@dataclass(frozen=True)
class ImportSummary:
    articles: int
    added: int
    rejected: int
    analysed: int
    stories: int
    duplicates: int


def _table(root: Path, name: str) -> pa.Table:
    path = root / name
    if not path.exists():
        raise InputError(
            f"no {name} table here (is {root} a `newsweave spark run` output folder?)", str(path)
        )
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException) as e:
        raise InputError(f"cannot read the {name} table: {e}", str(path)) from e


def _batches(items: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for k in range(0, len(items), size):
        yield items[k : k + size]


def import_parquet(store: Store, output: str | Path) -> ImportSummary:
    """Load the tables of one Spark job output folder into ``store``."""
    from newsweave.analyse import AnalyseOptions
    from newsweave.analyse.nlp import resolve_model
    from newsweave.store.analysis import entity_keys, save_analysis
    from newsweave.store.stories import ensure_stories_schema, save_stories

    root = Path(output)
    tables = {name: _table(root, name) for name in REQUIRED}
    rows = sorted(tables["articles"].to_pylist(), key=lambda r: r.get("seq") or 0)
    articles = [row_article(r) for r in rows]
    added = 0
    for part in _batches(articles):
        added += len(store.add_articles(part)[0])
    n_rejected = 0
    if (root / "rejected").exists():
        bad = [
            Rejected(r["path"], r["position"], r["reason"], r["format"] or "")
            for r in _table(root, "rejected").to_pylist()
        ]
        n_rejected = store.add_rejected(bad) if bad else 0

    by_article: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name in ANALYSIS_TABLES:
        for r in tables[name].to_pylist():
            by_article.setdefault(r["article_id"], {}).setdefault(name, []).append(r)
    analysed_ids = [a.id for a in articles if a.id in by_article]
    model = resolve_model(AnalyseOptions())
    n_analysed = 0
    for part in _batches(analysed_ids):
        n_analysed += save_analysis(store, [rows_analysis(aid, by_article[aid]) for aid in part], model=model)

    stories = [_story(r) for r in tables["stories"].to_pylist()]
    ensure_stories_schema(store)
    ents = entity_keys(store, [a.id for a in articles])
    clusterer = StoryClusterer()
    clusterer.observe(raw_features(a, ents.get(a.id)) for a in articles)
    by_id = {a.id: a for a in articles}
    ordered = sorted(stories, key=lambda s: (s.first_seen is None, s.first_seen or 0, s.id))
    for seq, s in enumerate(ordered):
        clusterer.restore_story(s.id, seq, [by_id[a] for a in s.article_ids if a in by_id], ents)
        clusterer.touched.add(s.id)
    save_stories(store, clusterer, everything=True, links=False)
    dups = [
        DuplicateLink(r["a"], r["b"], r["kind"], float(r["similarity"]))
        for r in tables["duplicates"].to_pylist()
    ]
    n_dups = _save_links(store, stories, dups, by_id)
    return ImportSummary(len(articles), added, n_rejected, n_analysed, len(stories), n_dups)


def _story(r: dict[str, Any]) -> Story:
    from datetime import datetime

    def when(v: str | None) -> datetime | None:
        return datetime.fromisoformat(v) if v else None

    return Story(
        id=r["id"],
        article_ids=tuple(r["article_ids"]),
        title=r["title"],
        sources=tuple(r["sources"] or ()),
        first_seen=when(r["first_seen"]),
        last_seen=when(r["last_seen"]),
    )


def _save_links(
    store: Store, stories: list[Story], dups: list[DuplicateLink], by_id: dict[str, Article]
) -> int:
    """The job's duplicate links inside each story, and the story's rewrite links; returns links saved."""
    story_of = {a: s.id for s in stories for a in s.article_ids}
    inside: dict[str, list[DuplicateLink]] = {}
    for d in dups:
        if story_of.get(d.a) is not None and story_of.get(d.a) == story_of.get(d.b):
            inside.setdefault(story_of[d.a], []).append(d)
    con = store.con
    n = 0
    for s in stories:
        if len(s.article_ids) < 2:
            continue
        con.execute("DELETE FROM duplicates WHERE story_id = ?", [s.id])
        con.execute("DELETE FROM rewrites WHERE story_id = ?", [s.id])
        links = inside.get(s.id, [])
        rws = find_rewrites([by_id[a] for a in s.article_ids if a in by_id], duplicates=links)
        store.insert_arrow(
            "duplicates",
            pa.table(
                {
                    "story_id": [s.id] * len(links),
                    "a": [d.a for d in links],
                    "b": [d.b for d in links],
                    "kind": [d.kind for d in links],
                    "similarity": pa.array([d.similarity for d in links], pa.float64()),
                }
            ),
        )
        store.insert_arrow(
            "rewrites",
            pa.table(
                {
                    "story_id": [s.id] * len(rws),
                    "original": [r.original for r in rws],
                    "derived": [r.derived for r in rws],
                    "direction": [r.direction for r in rws],
                    "share": pa.array([r.share for r in rws], pa.float64()),
                    "share_original": pa.array([r.share_original for r in rws], pa.float64()),
                    "syndicated": pa.array([r.syndicated for r in rws], pa.bool_()),
                    "similarity": pa.array([r.similarity for r in rws], pa.float64()),
                    "original_spans": [json.dumps([[x.start, x.end] for x in r.original_spans]) for r in rws],
                    "derived_spans": [json.dumps([[x.start, x.end] for x in r.derived_spans]) for r in rws],
                }
            ),
        )
        n += len(links)
    return n
