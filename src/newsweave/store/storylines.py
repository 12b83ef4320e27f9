"""Storylines in the store: which storyline each story belongs to, storyline merges, and the links
between events with their evidence (the entities and terms the two events share most).

Storyline ids never change: a storyline absorbed by an older one is a row in ``storyline_merges`` and
its id leads to the survivor. ``story_storylines`` may hold an absorbed id for a story that was not
touched since the merge; readers resolve it (:func:`storyline_resolver`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from newsweave.cluster.storylines import StorylineLink, StorylineMerge, storyline_id_for
from newsweave.errors import NotFoundError
from newsweave.model import Story
from newsweave.store.analysis import entity_names
from newsweave.store.base import IDS, SqlStore


@dataclass(frozen=True)
class Storyline:
    """An ongoing affair: its events (stories) in time order, with the links that put them together."""

    id: str
    stories: tuple[Story, ...]
    links: tuple[StorylineLink, ...] = ()

    @property
    def title(self) -> str | None:
        """The headline of its largest event (ties: the earliest)."""
        if not self.stories:
            return None
        return min(self.stories, key=lambda s: (-len(s.article_ids), _when(s), s.id)).title

    @property
    def first_seen(self) -> datetime | None:
        return min((s.first_seen for s in self.stories if s.first_seen), default=None)

    @property
    def last_seen(self) -> datetime | None:
        return max((s.last_seen for s in self.stories if s.last_seen), default=None)

    @property
    def n_articles(self) -> int:
        return sum(len(s.article_ids) for s in self.stories)


def _when(s: Story) -> tuple[bool, float]:
    return (s.first_seen is None, s.first_seen.timestamp() if s.first_seen else 0.0)


def ensure_storylines_schema(store: SqlStore) -> None:
    """Kept for old callers: the storyline tables exist from a store's first open (``store.schema``)."""


def storyline_resolver(store: SqlStore) -> Callable[[str], str]:
    """A function from a stored storyline id to its current id (following merges)."""
    merged = dict(store.query("SELECT absorbed, survivor FROM storyline_merges"))

    def resolve(line: str) -> str:
        seen = set()
        while line in merged and line not in seen:
            seen.add(line)
            line = merged[line]
        return line

    return resolve


def storylines_of(store: SqlStore, story_ids: Sequence[str] | None = None) -> dict[str, str]:
    """Story id -> current storyline id (a story with no row is its own storyline)."""
    resolve = storyline_resolver(store)
    rows = dict(store.query("SELECT story_id, storyline_id FROM story_storylines"))
    ids = rows.keys() if story_ids is None else story_ids
    return {sid: resolve(rows.get(sid) or storyline_id_for(sid)) for sid in ids}


def stored_storyline_merges(store: SqlStore) -> list[tuple[str, str]]:
    return [
        (r[0], r[1])
        for r in store.query("SELECT absorbed, survivor FROM storyline_merges ORDER BY merged_at, absorbed")
    ]


def save_storylines(
    store: SqlStore,
    assignment: Mapping[str, str],
    merges: Iterable[StorylineMerge],
    links: Iterable[StorylineLink],
    replace_all: bool = False,
) -> None:
    """Write story -> storyline rows for ``assignment``, and the merges and links not stored yet.

    Runs inside the caller's transaction; ``replace_all`` (recluster) first clears the assignment and the
    links (the merges stay, so an absorbed id still leads to its survivor)."""
    if replace_all:
        for table in ("story_storylines", "storyline_links"):
            store.execute(f"DELETE FROM {table}")
    ids = list(assignment)
    if ids:
        store.execute(f"DELETE FROM story_storylines WHERE story_id IN {IDS}", [ids])
        store.insert_arrow(
            "story_storylines", pa.table({"story_id": ids, "storyline_id": [assignment[i] for i in ids]})
        )
    now = datetime.now(UTC)
    ts = pa.timestamp("us", tz="UTC")
    known = {tuple(r) for r in store.query("SELECT survivor, absorbed FROM storyline_merges")}
    new_merges = [m for m in merges if (m.survivor, m.absorbed) not in known]
    store.insert_arrow(
        "storyline_merges",
        pa.table(
            {
                "survivor": [m.survivor for m in new_merges],
                "absorbed": [m.absorbed for m in new_merges],
                "story_id": [m.story_id for m in new_merges],
                "merged_at": pa.array([now] * len(new_merges), ts),
            }
        ),
    )
    linked = {tuple(r) for r in store.query("SELECT a, b FROM storyline_links")}
    new_links = [k for k in links if (k.a, k.b) not in linked and (k.b, k.a) not in linked]
    store.insert_arrow(
        "storyline_links",
        pa.table(
            {
                "a": [k.a for k in new_links],
                "b": [k.b for k in new_links],
                "similarity": pa.array([k.similarity for k in new_links], pa.float64()),
                "entities": [json.dumps(list(k.entities), ensure_ascii=False) for k in new_links],
                "terms": [json.dumps(list(k.terms), ensure_ascii=False) for k in new_links],
                "linked_at": pa.array([now] * len(new_links), ts),
            }
        ),
    )


def forget_stories(store: SqlStore, story_ids: Sequence[str]) -> None:
    """Drop the storyline rows of stories that no longer exist (merged into others)."""
    if story_ids:
        store.execute(f"DELETE FROM story_storylines WHERE story_id IN {IDS}", [list(story_ids)])


def list_storylines(store: SqlStore, stories: Sequence[Story]) -> list[Storyline]:
    """The storylines over ``stories`` (every stored story), most articles first; links resolved."""
    of = storylines_of(store, [s.id for s in stories])
    groups: dict[str, list[Story]] = {}
    for s in stories:
        groups.setdefault(of[s.id], []).append(replace_line(s, of[s.id]))
    links = _links(store)
    out = []
    for line, members in groups.items():
        ids = {s.id for s in members}
        own = tuple(k for k in links if k.a in ids and k.b in ids and k.a != k.b)
        out.append(Storyline(line, tuple(sorted(members, key=lambda s: (_when(s), s.id))), own))
    return sorted(out, key=lambda x: (-x.n_articles, x.id))


def get_storyline(store: SqlStore, storyline_id: str, stories: Sequence[Story]) -> Storyline:
    """One storyline by id or unique id prefix; a merged id leads to the survivor."""
    resolve = storyline_resolver(store)
    lines = {x.id: x for x in list_storylines(store, stories)}
    sid = resolve(storyline_id)
    if sid in lines:
        return lines[sid]
    hits = [k for k in lines if k.startswith(storyline_id)]
    if len(hits) == 1:
        return lines[hits[0]]
    raise NotFoundError(
        f"no storyline {storyline_id!r}" if not hits else f"storyline id prefix {storyline_id!r} is ambiguous"
    )


def replace_line(s: Story, line: str) -> Story:
    from dataclasses import replace

    return s if s.storyline_id == line else replace(s, storyline_id=line)


def _links(store: SqlStore) -> list[StorylineLink]:
    """The stored links, their stories' ids following story merges (a link made before a merge), their
    entity keys shown as the analysis' canonical names where there is one."""
    merged = dict(store.query("SELECT absorbed, survivor FROM story_merges"))

    def story(sid: str) -> str:
        seen = set()
        while sid in merged and sid not in seen:
            seen.add(sid)
            sid = merged[sid]
        return sid

    rows = store.query(
        "SELECT a, b, similarity, entities, terms FROM storyline_links ORDER BY linked_at, a, b"
    )
    names = entity_names(store, sorted({k for r in rows for k in json.loads(r[3] or "[]")}))
    return [
        StorylineLink(
            story(r[0]),
            story(r[1]),
            float(r[2]),
            tuple(dict.fromkeys(names.get(k, k) for k in json.loads(r[3] or "[]"))),
            tuple(json.loads(r[4] or "[]")),
        )
        for r in rows
    ]


def link_obj(k: StorylineLink) -> dict[str, Any]:
    return {
        "a": k.a,
        "b": k.b,
        "similarity": k.similarity,
        "entities": list(k.entities),
        "terms": list(k.terms),
    }
