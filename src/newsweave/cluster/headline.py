"""A story's headline, by one rule everywhere (``stories``, ``story``, ``report``, the web app).

The rule: among the story's article titles, the one whose words the other titles share most. Each title
scores the number of other titles that contain each of its content words (stemmed, stop words out),
summed over its distinct words and divided by sqrt(words + 1), so a short title made of the story's
common words beats a long one that merely contains them. Ties go to the earliest published article
(undated ones after dated ones), then to the smallest article id, so the choice is deterministic. A
story whose articles have no title has no headline (None).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from newsweave.model import Article
from newsweave.text import content_words, stem


def story_headline(articles: Sequence[Article]) -> str | None:
    """The headline of a story made of ``articles`` (the rule is in the module docstring)."""
    return headline_of(
        [(a.title, a.published_at.timestamp() if a.published_at else None, a.id) for a in articles]
    )


def headline_of(titles: Sequence[tuple[str | None, float | datetime | None, str]]) -> str | None:
    """The same rule over ``(title, published time, article id)`` triples (what the clusterer keeps)."""
    items = []
    for title, when, aid in titles:
        if not title or not title.strip():
            continue
        t = when.timestamp() if isinstance(when, datetime) else when
        items.append((title.strip(), t, aid, frozenset(stem(w) for w in content_words(title))))
    if not items:
        return None
    df = Counter(w for *_, words in items for w in words)

    def key(item: tuple[str, float | None, str, frozenset[str]]) -> tuple[float, int, float, str]:
        title, t, aid, words = item
        shared = sum(df[w] - 1 for w in words) / math.sqrt(len(words) + 1)
        return (-round(shared, 9), t is None, t if t is not None else 0.0, aid)

    return min(items, key=key)[0]
