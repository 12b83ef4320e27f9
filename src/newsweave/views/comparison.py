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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsweave.compare import CompareOptions, Comparison, compare_articles
from newsweave.compare.result import VersionChange
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
    story: Story
    articles: tuple[Article, ...]
    comparison: Comparison

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
    store: Store, story_id: str, options: StoryCompareOptions = StoryCompareOptions()
) -> StoryComparison:
    """The comparison of story ``story_id`` (an id or a unique prefix; merged ids follow the merge)."""
    story = store.get_story(story_id)
    articles = store.get_articles(list(story.article_ids))
    analyses = _analyses(store, articles) if options.analyse and articles else None
    comparison = compare_articles(articles, analyses, options.compare)
    changes = _version_changes(store, comparison)
    if changes:
        comparison = dataclasses.replace(comparison, changes=changes)
    return StoryComparison(story, tuple(articles), comparison)


def _version_changes(store: Store, comparison: Comparison) -> tuple[VersionChange, ...]:
    """What the outlets changed in their articles after publishing them (fetched versions; issue #18)."""
    from newsweave.fetch.history import stored_changes

    names = {s.article_id: s.heading for s in comparison.sources}
    try:
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


class ComparisonCache:
    """The last ``size`` comparisons, safe to share between threads."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], StoryComparison] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(
        self, store: Store, story_id: str, options: StoryCompareOptions = StoryCompareOptions()
    ) -> StoryComparison:
        story = store.get_story(story_id)
        key = (*_version(store, story), options)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return hit
        result = compare_story(store, story.id, options)
        with self._lock:
            self.misses += 1
            self._items[key] = result
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return result
