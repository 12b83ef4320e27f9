"""The main job, as a library call: ingest inputs into the store, then analyse and cluster what is new.

``add_inputs`` is what ``newsweave add`` and the web app run. It reads inputs lazily, writes articles in
transactional batches (so an interrupted run keeps every finished batch and a re-run completes the job:
adding is idempotent), records every rejected input with its reason, and only then runs the per-article
analysis and the incremental story assignment on the articles that were new.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsweave.ingest import IngestOptions, read_inputs
from newsweave.model import Article, Rejected
from newsweave.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AddOptions:
    ingest: IngestOptions = field(default_factory=IngestOptions)
    # Articles written per transaction: a kill -9 loses at most the batch in flight.
    batch_size: int = int(os.environ.get("NEWSWEAVE_BATCH_SIZE", "500"))
    analyse: bool = True
    cluster: bool = True


@dataclass
class AddSummary:
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    stories: dict[str, str] = field(default_factory=dict)  # article id -> story id
    analysed: int = 0
    warnings: list[str] = field(default_factory=list)

    def reasons(self) -> Counter[str]:
        return Counter(r.reason for r in self.rejected)


def add_inputs(
    store: Store,
    paths: Sequence[str],
    options: AddOptions = AddOptions(),
    on_item: Callable[[Article | Rejected], None] | None = None,
) -> AddSummary:
    """Read ``paths`` and store what they hold. Never stops on one bad input."""
    summary = AddSummary()
    batch: list[Article] = []
    rejected: list[Rejected] = []

    def flush() -> None:
        if batch:
            added, dups = store.add_articles(batch)
            summary.added.extend(added)
            summary.duplicates.extend(dups)
            batch.clear()
        if rejected:
            store.add_rejected(rejected)
            summary.rejected.extend(rejected)
            rejected.clear()

    for item in read_inputs(paths, options.ingest):
        if isinstance(item, Rejected):
            rejected.append(item)
        else:
            batch.append(item)
        if on_item is not None:
            on_item(item)
        if len(batch) >= options.batch_size:
            flush()
    flush()
    if summary.added:
        new_articles = store.get_articles(summary.added)
        if options.analyse:
            summary.analysed = _analyse_new(store, new_articles, summary)
        if options.cluster:
            summary.stories = _cluster_new(store, new_articles, summary)
    return summary


def _analyse_new(store: Store, articles: list[Article], summary: AddSummary) -> int:
    try:
        from newsweave.analyse import AnalyseOptions, analyse_articles
        from newsweave.store.analysis import save_analysis
    except ImportError as e:  # the analysis stage is optional at ingest time
        summary.warnings.append(f"analysis skipped: {e}")
        return 0
    # n_process=0: one worker per CPU once a batch is large enough to repay the fork (64 articles).
    analyses = analyse_articles(articles, AnalyseOptions(n_process=0))
    save_analysis(store, analyses)
    return len(analyses)


def _cluster_new(store: Store, articles: list[Article], summary: AddSummary) -> dict[str, str]:
    try:
        from newsweave.store.stories import assign_stories
    except ImportError as e:
        summary.warnings.append(f"story assignment skipped: {e}")
        return {}
    return dict(assign_stories(store, articles))
