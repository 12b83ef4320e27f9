"""``newsweave import-parquet``: the Spark job's tables into a store, so the CLI and the web app browse them.

Everything goes through the :class:`~newsweave.store.Store` protocol, as ``add`` writes, so it loads a
DuckDB file or a PostgreSQL database alike: articles and rejected inputs (:meth:`Store.add_articles`,
:meth:`Store.add_rejected`, idempotent), analyses (:meth:`Store.save_analysis`), and the stories as one
:class:`~newsweave.store.stories.StoryUpdate` (:func:`newsweave.cluster.stage.save_clusterer`, under the
store's ``stories`` lock) from a clusterer restored from the job's stories and the corpus statistics, so a
later ``add`` places new articles into the imported stories. The update carries the job's duplicate links
inside each story and the story's rewrite links, the dedup stage's per-story deep work
(:func:`newsweave.dedup.find_rewrites`), run here as ``add`` runs it. Importing the same output again
changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsweave.cluster import StoryClusterer
from newsweave.cluster.features import raw_features
from newsweave.cluster.stage import save_clusterer
from newsweave.dedup import DuplicateLink, find_rewrites
from newsweave.dedup.types import RewriteLink
from newsweave.errors import InputError
from newsweave.model import Article, Rejected, Story
from newsweave.spark.rows import ANALYSIS_TABLES, row_article
from newsweave.store import Store
from newsweave.store.analysis import analysis_from_rows

log = logging.getLogger(__name__)
BATCH = 500  # articles written per transaction, as ``add`` does
# an output folder written before the analysis kept its marked spans has no ``marked`` table: its analyses
# load with ``marked`` None; one written before the bound on the characters analysed has no ``truncated``
OPTIONAL = ("marked", "truncated")
REQUIRED = ("articles", "stories", "duplicates", *(t for t in ANALYSIS_TABLES if t not in OPTIONAL))


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
    """Load the tables of one Spark job output folder into ``store`` (any backend)."""
    from newsweave.analyse import AnalyseOptions
    from newsweave.analyse.nlp import resolve_model

    root = Path(output)
    tables = {name: _table(root, name) for name in REQUIRED}
    tables.update({name: _table(root, name) for name in OPTIONAL if (root / name).exists()})
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
        for r in tables[name].to_pylist() if name in tables else ():
            by_article.setdefault(r["article_id"], {}).setdefault(name, []).append(r)
    analysed_ids = [a.id for a in articles if a.id in by_article]
    model = resolve_model(AnalyseOptions())
    n_analysed = 0
    for part in _batches(analysed_ids):
        n_analysed += store.save_analysis(
            [analysis_from_rows(aid, by_article[aid]) for aid in part], model=model
        )

    stories = [_story(r) for r in tables["stories"].to_pylist()]
    dups = [
        DuplicateLink(r["a"], r["b"], r["kind"], float(r["similarity"]))
        for r in tables["duplicates"].to_pylist()
    ]
    by_id = {a.id: a for a in articles}
    links = _links(stories, dups, by_id)
    with store.lock("stories"):
        ents = store.entity_keys([a.id for a in articles])
        clusterer = StoryClusterer()
        clusterer.observe(raw_features(a, ents.get(a.id)) for a in articles)
        ordered = sorted(stories, key=lambda s: (s.first_seen is None, s.first_seen or 0, s.id))
        for seq, s in enumerate(ordered):
            clusterer.restore_story(s.id, seq, [by_id[a] for a in s.article_ids if a in by_id], ents)
            clusterer.touched.add(s.id)
        save_clusterer(store, clusterer, everything=True, known_links=links)
    n_dups = sum(len(d) for d, _ in links.values())
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


def _links(
    stories: list[Story], dups: list[DuplicateLink], by_id: dict[str, Article]
) -> dict[str, tuple[list[DuplicateLink], list[RewriteLink]]]:
    """Story id -> the job's duplicate links inside the story, and the story's rewrite links."""
    story_of = {a: s.id for s in stories for a in s.article_ids}
    inside: dict[str, list[DuplicateLink]] = {}
    for d in dups:
        if story_of.get(d.a) is not None and story_of.get(d.a) == story_of.get(d.b):
            inside.setdefault(story_of[d.a], []).append(d)
    out: dict[str, tuple[list[DuplicateLink], list[RewriteLink]]] = {}
    for s in stories:
        if len(s.article_ids) < 2:
            out[s.id] = ([], [])
            continue
        found = inside.get(s.id, [])
        out[s.id] = (found, find_rewrites([by_id[a] for a in s.article_ids if a in by_id], duplicates=found))
    return out
