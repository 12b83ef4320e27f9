"""Storylines: the events (stories) of one ongoing affair, linked above the events.

A story is one news event and merges only on strong evidence; a storyline links events that share the
affair's names and words (the Savile inquiry's arrests and the BBC director's resignation; two Gaza
airstrikes days apart). Two storylines join when the mean similarity between their articles reaches
``ClusterOptions.storyline_threshold`` (average linkage), with a looser event gate (a couple of shared
signature terms) and a longer time scale than events. The incremental clusterer checks this when an
article arrives, against the storylines of the stories most similar to it. Each link keeps its evidence:
the entities and terms that weigh most in both events.

A storyline's id comes from its founding story ("s1f2..." founds "l1f2...") and never changes; when
an event links two storylines, the younger is merged into the older and the merge is recorded, as for
stories. :class:`Storylines` is the incremental state (kept by the story clusterer);
:func:`link_events` is the batch path (average linkage over the events).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

EVIDENCE_ITEMS = 5  # entities and terms kept as the evidence of one link


def storyline_id_for(story_id: str) -> str:
    """The id of the storyline founded by story ``story_id``."""
    return "l" + story_id[1:]


@dataclass(frozen=True)
class StorylineLink:
    """Events ``a`` and ``b`` were linked into one storyline, on this evidence."""

    a: str
    b: str
    similarity: float
    entities: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(frozen=True)
class StorylineMerge:
    survivor: str
    absorbed: str
    story_id: str


def shared_evidence(
    a: Mapping[str, float], b: Mapping[str, float], n: int = EVIDENCE_ITEMS
) -> tuple[str, ...]:
    """The ``n`` keys with the largest product of weights in both vectors (what links them most)."""
    shared = a.keys() & b.keys()
    return tuple(heapq.nlargest(n, sorted(shared), key=lambda k: a[k] * b[k]))


@dataclass
class Storylines:
    """Incremental storyline state: story -> storyline, merges, links with evidence."""

    of: dict[str, str] = field(default_factory=dict)  # story id -> storyline id (before merges)
    merged_into: dict[str, str] = field(default_factory=dict)
    seq: dict[str, int] = field(default_factory=dict)  # storyline -> creation order
    links: list[StorylineLink] = field(default_factory=list)
    merges: list[StorylineMerge] = field(default_factory=list)
    _linked: set[tuple[str, str]] = field(default_factory=set)

    def found(self, story_id: str, seq: int, storyline: str | None = None) -> str:
        """Give a story its storyline (a new one founded by it unless ``storyline`` is given)."""
        line = storyline or self.of.get(story_id) or storyline_id_for(story_id)
        self.of[story_id] = line
        self.seq.setdefault(line, seq)
        return self.resolve(line)

    def resolve(self, line: str) -> str:
        root = line
        while root in self.merged_into:
            root = self.merged_into[root]
        while line != root:  # path compression: chains of merges stay short
            nxt = self.merged_into[line]
            self.merged_into[line] = root
            line = nxt
        return root

    def of_story(self, story_id: str) -> str:
        return self.resolve(self.of.get(story_id) or storyline_id_for(story_id))

    def link(self, a: str, b: str, similarity: float, entities: Sequence[str], terms: Sequence[str]) -> str:
        """Put events ``a`` and ``b`` in one storyline (the older survives); returns it."""
        la, lb = self.of_story(a), self.of_story(b)
        pair = (min(a, b), max(a, b))
        if pair not in self._linked:
            self._linked.add(pair)
            self.links.append(StorylineLink(a, b, round(similarity, 4), tuple(entities), tuple(terms)))
        if la == lb:
            return la
        key = lambda x: (self.seq.get(x, 1 << 62), x)  # noqa: E731
        survivor, absorbed = (la, lb) if key(la) <= key(lb) else (lb, la)
        self.merged_into[absorbed] = survivor
        self.merges.append(StorylineMerge(survivor, absorbed, b))
        return survivor


def link_events(
    sim: np.ndarray,
    groups: Sequence[Sequence[int]],
    threshold: float,
) -> list[list[int]]:
    """Batch storylines: average linkage over events, ``sim`` the article x article similarity.

    Returns the events (indexes into ``groups``) of each storyline. Two storylines join when the mean
    similarity over their article pairs reaches ``threshold``, the quantity the incremental path
    compares: average linkage over the articles, with each event's own pairs at distance 0 so that
    events form first and are never split."""
    if len(groups) == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage  # here: the store's readers import this module
    from scipy.spatial.distance import squareform

    dist = np.clip(1.0 - (sim + sim.T) / 2, 0.0, None)
    event = np.empty(sim.shape[0], dtype=np.int64)
    for gi, g in enumerate(groups):
        event[list(g)] = gi
    dist[event[:, None] == event[None, :]] = 0.0
    labels = fcluster(linkage(squareform(dist, checks=False), "average"), 1.0 - threshold, "distance")
    out: dict[int, list[int]] = {}
    for gi, g in enumerate(groups):
        out.setdefault(int(labels[g[0]]), []).append(gi)
    return list(out.values())


def name_storylines(
    events: Sequence[str],
    lines: Sequence[Sequence[int]],
    previous: Mapping[str, str],
    reserved: Collection[str] = (),
) -> dict[str, str]:
    """Story id -> storyline id for batch storylines: an old storyline id goes to the new storyline that
    holds most of its stories; others are named after their first (earliest) story, avoiding the
    ``reserved`` ids (storylines absorbed earlier, whose ids lead to their survivors)."""
    overlaps = []
    for li, line in enumerate(lines):
        for old, n in Counter(previous[events[e]] for e in line if events[e] in previous).items():
            overlaps.append((-n, old, li))
    names: dict[int, str] = {}
    used: set[str] = set(reserved)
    for _, old, li in sorted(overlaps):
        if li not in names and old not in used:
            names[li] = old
            used.add(old)
    out = {}
    for li, line in enumerate(lines):
        name = names.get(li)
        if name is None:
            name = storyline_id_for(events[line[0]])
            while name in used:
                name += "x"
            used.add(name)
        for e in line:
            out[events[e]] = name
    return out
