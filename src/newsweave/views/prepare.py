"""Preparing stored stories ahead of their first reader: the comparison of each story, its sentence and
clause vectors and its part-of-speech tags, computed and stored now (``add --prepare``), so the first
``report STORY`` and the first visit of the story's page read them instead of comparing (issue #20).

A story is prepared when it has two articles or more and no comparison is stored under its current key
(:func:`newsweave.views.stored.comparison_key`: missing, or stale because an article, an analysis, the
options, a model or the code changed). The options are the ones ``report`` and the web app use by
default, so the key they look up is the one stored here. A story whose comparison fails is logged and
left for its first reader; the others go on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newsweave.store import Store
from newsweave.views.comparison import StoryCompareOptions, compare_story

log = logging.getLogger(__name__)

# on_progress(done, total): stories looked at of those to look at
PrepareProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class PrepareOptions:
    """``compare``: the options the stored comparisons are made with; the default is what ``report`` and
    ``serve`` use without options (embeddings when installed, the stored analyses), which is what makes
    their first look-up find the prepared comparison. ``min_articles``: smaller stories are left alone
    (a one-article story has nothing to compare across)."""

    compare: StoryCompareOptions = field(default_factory=StoryCompareOptions)
    min_articles: int = 2


@dataclass(frozen=True)
class PrepareSummary:
    """Story ids: ``prepared`` (compared and stored now), ``current`` (a comparison under the current key
    was stored already), ``small`` (fewer articles than ``min_articles``), ``failed`` (id, reason)."""

    prepared: tuple[str, ...] = ()
    current: tuple[str, ...] = ()
    small: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()


def prepare_stories(
    store: Store,
    story_ids: Iterable[str],
    options: PrepareOptions = PrepareOptions(),
    on_progress: PrepareProgress | None = None,
) -> PrepareSummary:
    """Compare and store the stories of ``story_ids`` (writable ``store``) that need it."""
    from newsweave.views.stored import comparison_key

    ids = sorted(set(story_ids))
    progress: PrepareProgress = on_progress or (lambda done, total: None)
    prepared: list[str] = []
    current: list[str] = []
    small: list[str] = []
    failed: list[tuple[str, str]] = []
    seen: set[str] = set()
    progress(0, len(ids))
    for n, sid in enumerate(ids, 1):
        try:
            story = store.get_story(sid)  # a story merged away since resolves to the one it joined
            if story.id in seen:
                pass
            elif len(story.article_ids) < options.min_articles:
                small.append(story.id)
            elif store.stored_comparison(comparison_key(store, story, options.compare)) is not None:
                current.append(story.id)
            else:
                result = compare_story(store, story.id, options.compare)  # a writable store: stored now
                if result.unsaved is not None or result.comparison.warnings:
                    why = "; ".join(result.comparison.warnings) or "not stored"
                    failed.append((story.id, why))
                    log.warning("story %s: comparison not stored (%s)", story.id, why)
                else:
                    prepared.append(story.id)
            seen.add(story.id)
        except Exception as e:  # one story's failure leaves it to its first reader; the rest go on
            log.warning("story %s not prepared: %s", sid, e)
            failed.append((sid, f"{type(e).__name__}: {e}"))
        progress(n, len(ids))
    return PrepareSummary(tuple(prepared), tuple(current), tuple(small), tuple(failed))
