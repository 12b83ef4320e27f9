"""The comparison of one stored story, in one call: its stored articles with their stored analyses.

``report STORY`` and the web app both call :func:`compare_story`. An article without a stored analysis
(added with ``--no-analyse``) is analysed on the fly when ``StoryCompareOptions.analyse`` is on; with it
off the comparison uses its own sentence and quote finders.

:class:`ComparisonCache` keeps recent comparisons in memory; its key is the story's members, the time
their analyses were stored and the options, so a story that gains, loses or re-analyses an article is
compared again. The comparison of a stored story also lists what its outlets changed in their articles
after publishing them (``changes``: between fetched versions, from :mod:`newsweave.fetch.history`).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsweave.compare.options import CompareOptions
from newsweave.compare.result import Comparison, VersionChange
from newsweave.embed_store import TextCache
from newsweave.model import Analysis, Article, Story
from newsweave.store import Store
from newsweave.views.shapes import load_analysis_or_none, story_obj

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoryCompareOptions:
    """``analyse``: use the stored analyses (and analyse articles that have none); off: no analyses.
    ``compare``: the comparison's own options (``CompareOptions(embeddings=None)`` uses embeddings
    when they are installed)."""

    analyse: bool = True
    compare: CompareOptions = field(default_factory=CompareOptions)


@dataclass(frozen=True)
class StoryComparison:
    """``reused``: read from the store (:mod:`newsweave.views.stored`), not compared now. ``unsaved``: a
    comparison made now that a read-only caller saves with :func:`save_computed` (its key)."""

    story: Story
    articles: tuple[Article, ...]
    comparison: Comparison
    reused: bool = False
    unsaved: str | None = field(default=None, compare=False, repr=False)

    def texts(self) -> dict[str, str]:
        """Article id -> text, for the sources the comparison kept (for highlighted full texts)."""
        by_id = {a.id: a.text for a in self.articles}
        return {s.article_id: by_id[s.article_id] for s in self.comparison.sources if s.article_id in by_id}

    def to_dict(self) -> dict[str, Any]:
        """The comparison's JSON (docs/compare-schema.md), as ``report --json`` prints it."""
        from newsweave.report.json_report import to_dict

        return to_dict(self.comparison)

    def summary_dict(self) -> dict[str, Any]:
        return story_obj(self.story)


def _analyses(store: Store, articles: Sequence[Article]) -> list[Analysis] | None:
    stored: list[Analysis] = []
    missing: list[Article] = []
    for a in articles:
        an = load_analysis_or_none(store, a.id)
        if an is None:
            missing.append(a)
        else:
            stored.append(an)
    if missing:
        try:
            from newsweave.analyse import AnalyseOptions, analyse_articles

            stored.extend(analyse_articles(missing, AnalyseOptions()))
        except Exception as e:  # the comparison works without them
            log.warning("analysis unavailable (%s): using the comparison's own finders", e)
    return stored


def compare_story(
    store: Store,
    story_id: str,
    options: StoryCompareOptions = StoryCompareOptions(),
    cache: TextCache | None = None,
    reuse: bool = True,
) -> StoryComparison:
    """The comparison of story ``story_id`` (an id or a unique prefix; merged ids follow the merge).

    With ``reuse``, a comparison stored under the same key (same articles, analyses, options, models and
    code: :func:`newsweave.views.stored.comparison_key`) is read instead of comparing again. Otherwise it
    compares, reading the sentence vectors and part-of-speech tags stored by earlier comparisons
    (``cache``, by default one over ``store``), so the embedding model and spaCy's tagger load only for
    texts not compared before. What it computed is saved to ``store`` when that is writable; a read-only
    caller passes its own ``cache`` and saves it, with the comparison, by :func:`save_computed`."""
    from newsweave.views.stored import comparison_key, load_comparison

    story = store.get_story(story_id)
    articles = store.get_articles(list(story.article_ids))
    key = comparison_key(store, story, options)
    comparison = load_comparison(store, key) if reuse else None
    reused = comparison is not None
    unsaved = None
    if comparison is None:
        from newsweave.compare import compare_articles

        analyses = _analyses(store, articles) if options.analyse and articles else None
        own = cache is None
        cache = TextCache.of_store(store) if cache is None else cache
        comparison = compare_articles(articles, analyses, options.compare, cache)
        # a comparison with a failed part (its warnings) is not kept: the next report tries again
        unsaved = None if comparison.warnings else key
        if own and not store.read_only:
            try:
                cache.save(store)
                if unsaved is not None:
                    _save_comparison(store, unsaved, story.id, comparison)
                    unsaved = None
            except Exception as e:  # a snapshot or a store that refuses writes: compare again next time
                log.info("comparison not stored (%s)", e)
    changes = _version_changes(store, comparison)
    if changes:
        comparison = dataclasses.replace(comparison, changes=changes)
    return StoryComparison(story, tuple(articles), comparison, reused, unsaved)


def save_computed(
    open_writable: Callable[[], Store], cache: TextCache, result: StoryComparison | None = None
) -> int:
    """Save what a comparison computed (``cache``, and ``result``'s comparison when it was made now)
    through a store opened for writing by ``open_writable``, briefly; returns the rows added. A store that
    cannot be opened for writing (another process holds the DuckDB file, a read-only file or server) is
    logged and skipped: the next report computes them again."""
    if not needs_saving(cache, result):
        return 0
    try:
        with open_writable() as store:
            return store_computed(store, cache, result)
    except Exception as e:
        log.info("comparison not stored (%s): the next report compares again", e)
        return 0


def needs_saving(cache: TextCache, result: StoryComparison | None = None) -> bool:
    """Whether a comparison computed something the store does not hold (vectors, tags, the comparison)."""
    return cache.pending() or (result is not None and result.unsaved is not None)


def store_computed(store: Store, cache: TextCache, result: StoryComparison | None = None) -> int:
    """Write what a comparison computed to ``store`` (writable), in the caller's thread; returns the rows
    added. Errors are the caller's (:func:`save_computed` logs them; the web app's writer too)."""
    n = cache.save(store)
    if result is not None and result.unsaved is not None:
        n += _save_comparison(store, result.unsaved, result.story.id, result.comparison)
    return n


def _save_comparison(store: Store, key: str, story_id: str, comparison: Comparison) -> int:
    """Store ``comparison`` without its ``changes`` (read afresh at each report)."""
    from newsweave.report.json_report import dumps

    return store.save_comparison(key, story_id, dumps(dataclasses.replace(comparison, changes=())))


def _version_changes(store: Store, comparison: Comparison) -> tuple[VersionChange, ...]:
    """What the outlets changed in their articles after publishing them (fetched versions; issue #18)."""
    names = {s.article_id: s.heading for s in comparison.sources}
    try:
        if not any(len(v) > 1 for v in store.stored_versions(list(names)).values()):
            return ()  # one version each (the usual case): no need to import the fetch stage (httpx)
        from newsweave.fetch.history import stored_changes

        found = stored_changes(store, list(names))
    except Exception as e:  # the report stands without it
        log.warning("article versions unavailable: %s", e)
        return ()
    return tuple(
        VersionChange(aid, names[aid], c.kind, c.before, c.after, c.at.isoformat() if c.at else None,
                      c.describe())
        for aid in names
        for c in found.get(aid, [])
    )  # fmt: skip


def _version(store: Store, story: Story) -> tuple[Any, ...]:
    """What the comparison of ``story`` depends on besides the options: members and analysis times."""
    return (story.id, story.article_ids, *store.analysis_version(story.article_ids))


# what a ComparisonCache hands the comparisons it made to be stored (the web app's writer queues them)
SaveComputed = Callable[[StoryComparison, TextCache], object]


class ComparisonCache:
    """The last ``size`` comparisons, safe to share between threads.

    Requests for a story being compared wait for that comparison instead of starting their own (one per
    story and options at a time). ``on_computed``, when given, is handed what a comparison made that the
    store lacks (the comparison, its new vectors and tags) to store it, so that the next reader of the
    story (another process, or this one after the entry left the cache) reads the stored comparison. The
    caller's store may be a read-only snapshot: ``on_computed`` writes through its own handle. A failure
    there is logged; the comparison is still returned."""

    def __init__(self, size: int = 64, on_computed: SaveComputed | None = None) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], StoryComparison] = OrderedDict()
        self._lock = threading.Lock()
        self._running: dict[tuple[Any, ...], threading.Lock] = {}  # key -> held while it is compared
        self._on_computed = on_computed
        self.hits = 0
        self.misses = 0

    def _cached(self, key: tuple[Any, ...]) -> StoryComparison | None:
        """The entry under ``key`` (moved to the end), or None; the caller holds ``_lock``."""
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            self.hits += 1
        return hit

    def get(
        self, store: Store, story_id: str, options: StoryCompareOptions = StoryCompareOptions()
    ) -> StoryComparison:
        story = store.get_story(story_id)
        key = (*_version(store, story), options)
        with self._lock:
            hit = self._cached(key)
            if hit is not None:
                return hit
            running = self._running.setdefault(key, threading.Lock())
        with running:  # a second request for the same story waits here for the first one's result
            with self._lock:
                hit = self._cached(key)
                if hit is not None:
                    return hit
            try:
                result = self._compare(store, story.id, options)
            except BaseException:
                with self._lock:
                    self._running.pop(key, None)
                raise
            with self._lock:
                self._running.pop(key, None)
                self.misses += 1
                self._items[key] = result
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return result

    def _compare(self, store: Store, story_id: str, options: StoryCompareOptions) -> StoryComparison:
        if self._on_computed is None:
            return compare_story(store, story_id, options)
        cache = TextCache.of_store(store)
        result = compare_story(store, story_id, options, cache)
        if needs_saving(cache, result):
            try:
                self._on_computed(result, cache)
            except Exception:  # the page stands without it; the next reader compares again
                log.exception("could not queue the comparison of story %s to be stored", result.story.id)
        return result
