"""The running state of a story (or a storyline): per channel the sum of its articles' unit vectors.

A sum makes the mean similarity of a new article to the story's articles one sparse dot product
divided by the size; two sums give the mean similarity between two stories.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Vectors:
    body: dict[str, float]
    head: dict[str, float]
    ent: dict[str, float]
    emb: np.ndarray | None
    time: float | None
    sig: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()  # event classes of the headline (cluster/events.py)


@dataclass
class StoryState:
    id: str
    seq: int  # creation order (older stories have smaller seq)
    article_ids: list[str] = field(default_factory=list)
    body: dict[str, float] = field(default_factory=dict)
    head: dict[str, float] = field(default_factory=dict)
    ent: dict[str, float] = field(default_factory=dict)
    emb: np.ndarray | None = None
    sig: Counter[str] = field(default_factory=Counter)  # signature term -> articles that have it
    events: Counter[str] = field(default_factory=Counter)  # event class -> articles whose headline has it
    with_events: int = 0  # articles whose headline has any event class
    first: float | None = None
    last: float | None = None
    closed: bool = False  # outside the time window of the stream: vectors dropped, headline kept
    headline: str | None = None

    @property
    def n(self) -> int:
        return len(self.article_ids)

    def add(self, article_id: str, vec: Vectors, cap: int) -> None:
        """Add one article's vectors (``cap``: kept weights per channel sum)."""
        self.article_ids.append(article_id)
        add_into(self.body, vec.body, cap)
        add_into(self.head, vec.head, cap)
        add_into(self.ent, vec.ent, cap)
        self.sig.update(vec.sig)
        if len(self.sig) > 4 * cap:  # a long storyline: keep its most shared signature terms
            self.sig = Counter(dict(self.sig.most_common(2 * cap)))
        if vec.events:
            self.events.update(vec.events)
            self.with_events += 1
        if vec.emb is not None:
            self.emb = vec.emb.copy() if self.emb is None else self.emb + vec.emb
        if vec.time is not None:
            self.first = vec.time if self.first is None else min(self.first, vec.time)
            self.last = vec.time if self.last is None else max(self.last, vec.time)

    def close(self) -> None:
        """Out of the stream's time window: the vectors go (memory follows the recent past)."""
        self.body, self.head, self.ent, self.emb, self.sig = {}, {}, {}, None, Counter()
        self.events, self.with_events = Counter(), 0
        self.closed = True


def add_into(acc: dict[str, float], vec: dict[str, float], cap: int) -> None:
    for k, v in vec.items():
        acc[k] = acc.get(k, 0.0) + v
    if len(acc) > 2 * cap:  # keep the heaviest terms; amortised so pruning is rare
        keep = {k: acc[k] for k in heapq.nlargest(cap, acc, key=acc.__getitem__)}
        acc.clear()
        acc.update(keep)


def fold(into: StoryState, other: StoryState, cap: int) -> None:
    """Add ``other``'s articles and sums into ``into`` (a merge)."""
    into.article_ids.extend(other.article_ids)
    add_into(into.body, other.body, cap)
    add_into(into.head, other.head, cap)
    add_into(into.ent, other.ent, cap)
    into.sig.update(other.sig)
    into.events.update(other.events)
    into.with_events += other.with_events
    if other.emb is not None:
        into.emb = other.emb.copy() if into.emb is None else into.emb + other.emb
    for t in (other.first, other.last):
        if t is not None:
            into.first = t if into.first is None else min(into.first, t)
            into.last = t if into.last is None else max(into.last, t)
