"""Analysing stored articles (again): ``newsweave analyse`` as a library call.

Which articles (:func:`select_articles`): those with no analysis yet, always; with ``missing``, also those
whose analysis lacks a part newer versions keep (the marked spans, ``Analysis.marked``: a store analysed
before schema version 4 has none, and its comparisons fall back to finding quoted stretches themselves; the
numbers' figures, ``Quantity.figure``: before version 6 none, and the comparison finds the numbers again);
with ``before``, also those analysed before that time (``analyse --all`` passes the time it
started). The articles are analysed in batches, each saved as it ends, so a run stopped midway keeps its
finished batches, and running it again with the same selection (``--missing``, or ``--before`` the first
run's start) takes up where it stopped: what was saved no longer matches.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from newsweave.analyse.options import AnalyseOptions
from newsweave.errors import UsageError
from newsweave.store import Store

log = logging.getLogger(__name__)
# Articles analysed and saved together: what an interruption can lose, and the memory one batch holds
# (256 articles of news are a few MB of text and analyses).
BATCH_SIZE = 256
# on_progress(done, total): articles analysed of those selected
ReanalyseProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReanalyseOptions:
    """``missing``: also articles whose analysis lacks the marked spans; ``before``: also articles analysed
    before this time (timezone-aware); ``batch_size``: articles analysed and saved together;
    ``analyse``: the analysis' own options."""

    missing: bool = False
    before: datetime | None = None
    batch_size: int = BATCH_SIZE
    analyse: AnalyseOptions = field(default_factory=AnalyseOptions)

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise UsageError("batch_size must be at least 1")
        if self.before is not None and self.before.tzinfo is None:
            raise UsageError("before must carry a time zone")


@dataclass(frozen=True)
class ReanalyseSummary:
    """``new``: articles that had no analysis; ``outdated``: articles analysed again; ``saved``: analyses
    stored (both)."""

    new: int = 0
    outdated: int = 0
    saved: int = 0


def select_articles(store: Store, options: ReanalyseOptions) -> tuple[list[str], list[str]]:
    """(articles with no analysis, in the store's order; analysed ones that ``options`` select again)."""
    done = set(store.analysed_ids())
    new = [i for i in store.article_ids() if i not in done]
    outdated = store.outdated_analysis_ids(
        lacking_marked=options.missing, before=options.before, lacking_figures=options.missing
    )
    return new, outdated


def reanalyse(
    store: Store, options: ReanalyseOptions = ReanalyseOptions(), on_progress: ReanalyseProgress | None = None
) -> ReanalyseSummary:
    """Analyse the articles :func:`select_articles` picks, in batches saved as they end."""
    from newsweave.analyse import analyse_articles
    from newsweave.analyse.nlp import resolve_model

    new, outdated = select_articles(store, options)
    ids = new + outdated
    progress: ReanalyseProgress = on_progress or (lambda done, total: None)
    progress(0, len(ids))
    if not ids:
        return ReanalyseSummary()
    model = resolve_model(options.analyse)
    log.info("analysing %d articles (%d new, %d again)", len(ids), len(new), len(outdated))
    saved = 0
    for k in range(0, len(ids), options.batch_size):
        articles = store.get_articles(ids[k : k + options.batch_size])
        saved += store.save_analysis(analyse_articles(articles, options.analyse), model=model)
        progress(min(k + options.batch_size, len(ids)), len(ids))
    return ReanalyseSummary(new=len(new), outdated=len(outdated), saved=saved)
