"""The main job, as a library call: ingest inputs into the store, then analyse and cluster what is new.

``add_inputs`` is what ``newsweave add`` and the web app run. It reads inputs lazily, writes articles in
transactional batches (so an interrupted run keeps every finished batch and a re-run completes the job:
adding is idempotent), records every rejected input with its reason, and only then runs the per-article
analysis and the incremental story assignment on the stored articles that still lack them: the new ones,
and those an earlier run wrote but did not get to analyse or assign (stopped, or told not to).

The analysis runs before the story assignment, so stories are grouped on the analysis' canonical
entities (``store.analysis.entity_keys``); an article stored with ``--no-analyse`` is grouped on cheap
capitalised-word keys instead.

With ``AddOptions.prepare`` (``add --prepare``) a last stage compares the stories of the articles the run
read (added, or already stored) and stores their comparisons, vectors and tags
(:mod:`newsweave.views.prepare`), so their first report or page reads them instead of comparing.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsweave.ingest import IngestOptions, read_inputs
from newsweave.model import Article, Rejected
from newsweave.store import Store

if TYPE_CHECKING:
    from newsweave.views.prepare import PrepareOptions

log = logging.getLogger(__name__)
ANALYSE_BATCH = 1024  # articles analysed and saved together by ``add``
# For the interruption test (tests/test_cli_ingest.py): after each committed batch, write the number of
# batches committed so far to the file NEWSWEAVE_BATCH_SIGNAL names; NEWSWEAVE_BATCH_PAUSE="N:SECONDS" then
# waits that long after the N-th batch, so the test kills the process at a known point between two
# batches. Unset in normal use: nothing happens.
BATCH_SIGNAL_ENV = "NEWSWEAVE_BATCH_SIGNAL"
BATCH_PAUSE_ENV = "NEWSWEAVE_BATCH_PAUSE"
# on_progress(stage, done, total): stage is "read", "dedup", "analyse", "stories" or "prepare" (stories,
# the others count articles); total None if unknown.
ProgressCallback = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class AddOptions:
    ingest: IngestOptions = field(default_factory=IngestOptions)
    # Articles written per transaction: a kill -9 loses at most the batch in flight.
    batch_size: int = int(os.environ.get("NEWSWEAVE_BATCH_SIZE", "500"))
    analyse: bool = True
    cluster: bool = True
    # Worker processes of the analysis: 0 picks one per CPU for batches large enough (they are forked);
    # the web app's writer uses 1, as forking a server with threads running could deadlock the children.
    analyse_processes: int = 0
    # After the stories step, compare and store the comparisons of the stories this run touched. Off by
    # default: on the demo corpus it costs 0.50 s per article on top of add's 0.17 s (benchmarks/
    # bench_prepare.py, docs/performance.md), paid for every story whether it is read or not.
    prepare: bool = False
    # How the stories are prepared (None: ``PrepareOptions()``, the options ``report`` and ``serve`` use by
    # default). The web app passes its own comparison options, so its pages look up the key stored.
    prepare_options: PrepareOptions | None = None


@dataclass
class AddSummary:
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    stories: dict[str, str] = field(default_factory=dict)  # article id -> story id
    analysed: int = 0
    warnings: list[str] = field(default_factory=list)
    prepared: list[str] = field(default_factory=list)  # stories whose comparison was stored by this run

    def reasons(self) -> Counter[str]:
        return Counter(r.reason for r in self.rejected)


def add_inputs(
    store: Store,
    paths: Sequence[str],
    options: AddOptions = AddOptions(),
    on_item: Callable[[Article | Rejected], None] | None = None,
    on_progress: ProgressCallback | None = None,
) -> AddSummary:
    """Read ``paths`` and store what they hold. Never stops on one bad input.

    ``on_progress(stage, done, total)`` is told how far each stage is: "read" (inputs read, total
    unknown), "dedup" (articles written and checked against the store), "analyse" and "stories"
    (articles done of those pending)."""
    return add_items(store, read_inputs(paths, options.ingest), options, on_item, on_progress)


def add_items(
    store: Store,
    items: Iterable[Article | Rejected],
    options: AddOptions = AddOptions(),
    on_item: Callable[[Article | Rejected], None] | None = None,
    on_progress: ProgressCallback | None = None,
) -> AddSummary:
    """:func:`add_inputs` for what the ingest stage has already read (``read_inputs``, or ``read_blobs``
    for files uploaded to the web app): stored in batches, then analysed and assigned to stories."""
    summary = AddSummary()
    report: ProgressCallback = on_progress or (lambda stage, done, total: None)
    read = 0
    batch: list[Article] = []
    rejected: list[Rejected] = []
    committed = 0
    signal_file = os.environ.get(BATCH_SIGNAL_ENV)

    def flush() -> None:
        nonlocal committed
        if batch:
            added, dups = store.add_articles(batch)
            summary.added.extend(added)
            summary.duplicates.extend(dups)
            batch.clear()
            committed += 1
            if signal_file:
                _signal_batch(signal_file, committed)
            done = len(summary.added) + len(summary.duplicates)
            report("dedup", done, done)
        if rejected:
            store.add_rejected(rejected)
            summary.rejected.extend(rejected)
            rejected.clear()

    for item in items:
        if isinstance(item, Rejected):
            rejected.append(item)
        else:
            batch.append(item)
        if on_item is not None:
            on_item(item)
        read += 1
        report("read", read, None)
        if len(batch) >= options.batch_size:
            flush()
    flush()
    report("read", read, read)
    process_pending(store, options, summary, report)
    return summary


def _signal_batch(path: str, committed: int) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(str(committed))
    os.replace(tmp, path)
    at, _, seconds = os.environ.get(BATCH_PAUSE_ENV, "").partition(":")
    if at.strip() == str(committed) and seconds:
        time.sleep(float(seconds))


def process_pending(
    store: Store, options: AddOptions, summary: AddSummary, report: ProgressCallback | None = None
) -> None:
    """Analyse and assign to stories the stored articles still without them (unless ``options`` say not to).

    Those are this run's, or an earlier run's that was stopped after its articles were written, or ran with
    --no-analyse/--no-cluster: a re-run of an interrupted ``add`` (or ``watch``) finishes its work even
    though its articles are no longer new.
    """
    progress: ProgressCallback = report or (lambda stage, done, total: None)
    if options.analyse:
        summary.analysed += _analyse_pending(store, summary, progress, options.analyse_processes)
    if options.cluster:
        summary.stories.update(_cluster_pending(store, summary, progress))
    if options.prepare:
        summary.prepared.extend(_prepare_touched(store, summary, progress, options.prepare_options))


def _analyse_pending(store: Store, summary: AddSummary, report: ProgressCallback, processes: int = 0) -> int:
    try:
        from newsweave.analyse import AnalyseOptions, analyse_articles
        from newsweave.analyse.nlp import resolve_model
    except ImportError as e:  # the analysis stage is optional at ingest time
        summary.warnings.append(f"analysis skipped: {e}")
        return 0
    # processes 0 (add's default): one worker per CPU once a batch is large enough to repay the fork (64).
    options = AnalyseOptions(n_process=processes)
    ids = store.pending_ids("analyse")
    done = 0
    report("analyse", 0, len(ids))
    for k in range(0, len(ids), ANALYSE_BATCH):  # memory stays bounded; each batch is saved as it ends
        analyses = analyse_articles(store.get_articles(ids[k : k + ANALYSE_BATCH]), options)
        done += store.save_analysis(analyses, model=resolve_model(options))
        report("analyse", min(k + ANALYSE_BATCH, len(ids)), len(ids))
    return done


def _cluster_pending(store: Store, summary: AddSummary, report: ProgressCallback) -> dict[str, str]:
    try:
        from newsweave.cluster.stage import assign_stories
    except ImportError as e:
        summary.warnings.append(f"story assignment skipped: {e}")
        return {}
    ids = store.pending_ids("stories")
    report("stories", 0, len(ids))
    out = dict(assign_stories(store, store.get_articles(ids))) if ids else {}
    report("stories", len(ids), len(ids))
    return out


def _prepare_touched(
    store: Store, summary: AddSummary, report: ProgressCallback, options: PrepareOptions | None = None
) -> list[str]:
    """Compare and store the stories of the articles this run read (new ones and duplicates, so a re-run
    prepares what an earlier run did not) that need it; returns the stories prepared."""
    try:
        from newsweave.views.prepare import PrepareOptions, prepare_stories
    except ImportError as e:
        summary.warnings.append(f"stories not prepared: {e}")
        return []
    touched = set(summary.stories.values()) | store.stories_of(summary.added + summary.duplicates)
    done = prepare_stories(
        store, touched, options or PrepareOptions(), on_progress=lambda n, total: report("prepare", n, total)
    )
    summary.warnings.extend(f"story {sid} not prepared: {why}" for sid, why in done.failed)
    return list(done.prepared)
