"""The incremental story clusterer: each article joins the best matching story or starts one.

A story keeps, per channel (body terms, head terms, entity keys, optional embedding), the sum of its
articles' unit vectors, so the mean similarity of a new article to the story's articles (average link)
is one sparse dot product divided by the story size. Candidate stories come from an inverted index from
terms and entity keys to the most recent stories that posted them, so the work per article is bounded by
the index caps, not by the corpus. Story ids are made from the first article's id and never change; when
an article bridges two stories that are similar enough, the younger story is merged into the older one
and the merge is recorded. Stories that fall two time windows behind the stream are closed (their
vectors dropped), so memory follows the recent past, not the whole corpus.

A single pass depends on arrival order for borderline articles (an article that arrives before any
report of its own story may join a neighbouring story and stay there); ``newsweave recluster`` runs the
batch path over everything and keeps the ids of the stories that survive.
"""

from __future__ import annotations

import heapq
import logging
import math
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from newsweave.cluster.events import clash, profile
from newsweave.cluster.features import DocFreq, RawFeatures, dot, raw_features, signature, tfidf_unit
from newsweave.cluster.headline import headline_of
from newsweave.cluster.options import ClusterOptions
from newsweave.cluster.state import StoryState, Vectors, fold
from newsweave.cluster.storylines import Storylines, shared_evidence
from newsweave.dedup.near import unique_by_id
from newsweave.model import Article, Story

log = logging.getLogger(__name__)
_DAY = 86400.0
_SWEEP_EVERY = 1000  # articles between two sweeps for stale stories


def story_id_for(article_id: str) -> str:
    """The id of a story founded by ``article_id``: stable, whatever joins later."""
    return "s" + article_id[:15]


@dataclass(frozen=True)
class Merge:
    """Story ``absorbed`` was merged into ``survivor`` when ``article_id`` was added."""

    survivor: str
    absorbed: str
    article_id: str
    similarity: float


class StoryClusterer:
    """Stateful, incremental story clustering. See the module docstring."""

    def __init__(
        self,
        options: ClusterOptions | None = None,
        embedder: Callable[[Sequence[str]], np.ndarray] | None = None,
    ) -> None:
        self.options = options or ClusterOptions()
        if self.options.use_embeddings and embedder is None:
            from newsweave.embed import get_embedder

            embedder = get_embedder()
        self.embedder = embedder if self.options.use_embeddings else None
        self.stats = {"body": DocFreq(), "head": DocFreq(), "ent": DocFreq()}
        self.stories: dict[str, StoryState] = {}
        self.story_of: dict[str, str] = {}  # article id -> story id (current, after merges)
        self.merged_into: dict[str, str] = {}  # absorbed story id -> survivor
        self.merges: list[Merge] = []
        self.titles: dict[str, str] = {}  # article id -> title (for story headlines)
        self.sources: dict[str, str] = {}  # article id -> outlet
        self.times: dict[str, float] = {}
        self.storylines = Storylines()
        self.lines: dict[str, StoryState] = {}  # storyline id -> summed vectors of its articles
        self.reserved_ids: set[str] = set()  # ids of stored stories not loaded (never reused)
        self.touched: set[str] = set()  # stories changed since load (what a save must write)
        self._postings: dict[str, deque[str]] = {}
        self._latest: float | None = None
        self._since_sweep = 0
        self._seq = 0

    # ------------------------------------------------------------------ public API

    def observe(self, features: Iterable[RawFeatures]) -> None:
        """Count term statistics of articles before adding them (a batch warms the IDF up)."""
        for f in features:
            self._observe(f)

    def add(self, article: Article, entities: Sequence[str] | None = None, observed: bool = False) -> str:
        """Assign ``article`` to a story and return the story id (the same id for an article seen before).

        ``observed``: the article's statistics were already counted with :meth:`observe`.
        """
        if article.id in self.story_of:
            return self.resolve(self.story_of[article.id])
        raw = raw_features(article, entities)
        if not observed:
            self._observe(raw)
        emb = self.embedder([_embed_text(article)])[0] if self.embedder else None
        return self._add_raw(article, raw, emb)

    def add_many(
        self,
        articles: Sequence[Article],
        entities: Mapping[str, Sequence[str]] | None = None,
        chunk: int = 2000,
    ) -> dict[str, str]:
        """Add articles in time order (undated ones last), ``chunk`` at a time: the term statistics of a
        chunk are counted before its articles are placed, so a cold start has usable IDF weights."""
        new = sorted((a for a in unique_by_id(articles) if a.id not in self.story_of), key=arrival_key)
        for start in range(0, len(new), chunk):
            part = new[start : start + chunk]
            raws = [raw_features(a, (entities or {}).get(a.id)) for a in part]
            self.observe(raws)
            embs: list[np.ndarray | None] = [None] * len(part)
            if self.embedder and part:
                embs = list(self.embedder([_embed_text(a) for a in part]))
            for a, raw, emb in zip(part, raws, embs, strict=True):
                self._add_raw(a, raw, emb)
        return {a.id: self.resolve(self.story_of[a.id]) for a in articles}

    def restore_story(
        self,
        story_id: str,
        seq: int,
        articles: Sequence[Article],
        entities: Mapping[str, Sequence[str]] | None = None,
        storyline: str | None = None,
    ) -> None:
        """Rebuild a stored story from its articles (statistics must already be loaded: no counting here)."""
        story = self.stories.setdefault(story_id, StoryState(story_id, seq))
        self.storylines.found(story_id, seq, storyline)
        self._seq = max(self._seq, seq + 1)
        embs: list[np.ndarray | None] = [None] * len(articles)
        if self.embedder and articles:
            embs = list(self.embedder([_embed_text(a) for a in articles]))
        for a, emb in zip(sorted(articles, key=arrival_key), embs, strict=True):
            vec = self._vectors(raw_features(a, (entities or {}).get(a.id)), emb)
            self._absorb(story, a, vec)
            self._post(self._index_keys(vec)[0], story_id)

    def resolve(self, story_id: str) -> str:
        """The current id of a story (follows merges)."""
        while story_id in self.merged_into:
            story_id = self.merged_into[story_id]
        return story_id

    def storyline_of(self, story_id: str) -> str:
        """The current storyline id of a story (follows story and storyline merges)."""
        return self.storylines.of_story(self.resolve(story_id))

    def to_stories(self) -> list[Story]:
        """The current stories, largest first."""
        out = [self._story(s) for s in self.stories.values()]
        return sorted(out, key=lambda s: (-len(s.article_ids), s.id))

    # ------------------------------------------------------------------ internals

    def _observe(self, raw: RawFeatures) -> None:
        self.stats["body"].add(raw.body)
        self.stats["head"].add(raw.head)
        self.stats["ent"].add(raw.entities)

    def _vectors(self, raw: RawFeatures, emb: np.ndarray | None) -> Vectors:
        body = tfidf_unit(raw.body, self.stats["body"], max_terms=self.options.story_terms)
        return Vectors(
            body=body,
            head=tfidf_unit(raw.head, self.stats["head"]),
            ent=tfidf_unit(raw.entities, self.stats["ent"]),
            emb=emb,
            time=raw.time,
            sig=signature(body, self.options.signature_terms),
            events=raw.events,
        )

    def _add_raw(self, article: Article, raw: RawFeatures, emb: np.ndarray | None) -> str:
        opts = self.options
        vec = self._vectors(raw, emb)
        keys, query = self._index_keys(vec)
        candidates = self._candidates(query, vec.time)
        sims = {sid: self._similarity(vec, self.stories[sid]) for sid in candidates}
        scored = sorted(((g, sid) for sid, (g, _) in sims.items()), reverse=True)
        if scored and scored[0][0] >= opts.join_threshold:
            sid = scored[0][1]
        else:
            sid = story_id_for(article.id)
            while sid in self.stories or sid in self.merged_into or sid in self.reserved_ids:
                sid += "x"
            self.stories[sid] = StoryState(sid, self._seq)
            self.storylines.found(sid, self._seq)
            self._seq += 1
        story = self.stories[sid]
        self._absorb(story, article, vec)
        self._post(keys, sid)
        if vec.time is not None:
            self._latest = vec.time if self._latest is None else max(self._latest, vec.time)
        self._since_sweep += 1
        if self._since_sweep >= _SWEEP_EVERY:
            self._close_stale()
        for sim, other in scored[1:3]:
            if sim >= opts.join_threshold and other in self.stories and other != story.id:
                cross = self._story_similarity(story, self.stories[other])
                if cross >= opts.merge_threshold:
                    story = self._merge(story, self.stories[other], article.id, cross)
        # storylines: the candidates most similar without the event gate, if similar enough to matter
        near = sorted(
            ((p, sid) for sid, (_, p) in sims.items() if p >= opts.storyline_threshold), reverse=True
        )
        self._link_storylines(story, [sid for _, sid in near[:3]])
        return self.story_of[article.id]

    def _link_storylines(self, story: StoryState, others: Sequence[str]) -> None:
        """Link the article's event to candidate events of the same affair: their storylines join when
        the mean similarity between the two storylines' articles (no event gate, storyline time scale)
        reaches ``storyline_threshold`` (average linkage, as the batch path)."""
        for other_id in others:
            other = self.stories.get(self.resolve(other_id))
            if other is None or other.id == story.id or other.closed:
                continue
            mine, theirs = self._line_state(story), self._line_state(other)
            if mine is theirs or mine.closed or theirs.closed:
                continue
            sim = self._story_similarity(mine, theirs, event=False)
            if sim >= self.options.storyline_threshold:
                older, younger = (other, story) if other.seq <= story.seq else (story, other)
                self._join_lines(
                    older.id,
                    younger.id,
                    sim,
                    shared_evidence(older.ent, younger.ent),
                    shared_evidence(older.body, younger.body),
                )

    def _close_stale(self) -> None:
        """Drop the vectors of stories whose last article is two windows older than the newest one.

        They can no longer be candidates (the window excludes them), so memory stays bounded by the
        stories of the recent past, not by the whole stream.
        """
        self._since_sweep = 0
        if self._latest is None:
            return
        horizon = self._latest - 2 * self.options.window_days * _DAY
        for story in self.stories.values():
            if not story.closed and story.last is not None and story.last < horizon:
                story.headline = self._headline(story, story.article_ids)
                story.close()
        for line in self.lines.values():
            if not line.closed and line.last is not None and line.last < horizon:
                line.close()

    def _post(self, keys: Iterable[str], sid: str) -> None:
        for k in keys:
            posting = self._postings.setdefault(k, deque(maxlen=self.options.posting_cap))
            if not posting or posting[-1] != sid:
                posting.append(sid)

    def _absorb(self, story: StoryState, article: Article, vec: Vectors) -> None:
        cap = self.options.story_terms
        story.add(article.id, vec, cap)
        line = self._line_state(story)
        if not line.closed:
            line.add(article.id, vec, cap)
        if vec.time is not None:
            self.times[article.id] = vec.time
        self.story_of[article.id] = story.id
        self.touched.add(story.id)
        if article.title:
            self.titles[article.id] = article.title
        if article.source:
            self.sources[article.id] = article.source

    def _line_state(self, story: StoryState) -> StoryState:
        """The summed vectors of the story's storyline (created with the story's first article)."""
        line = self.storylines.of_story(story.id)
        state = self.lines.get(line)
        if state is None:
            state = self.lines[line] = StoryState(line, story.seq)
        return state

    def _index_keys(self, vec: Vectors) -> tuple[list[str], list[str]]:
        """The keys an article posts, and the (three times as many) keys it looks up.

        Keys are the heaviest body terms (``index_terms`` of them), head terms and entity keys (half as
        many each), without terms in more than ``max_df_share`` of the articles. Looking up more keys
        than are posted lets two articles meet when their top terms overlap at all.
        """
        opts = self.options
        n_post, n_query = opts.index_terms, 3 * opts.index_terms
        limit = max(opts.max_df_share * self.stats["body"].n, 5)
        body_df, ent_df = self.stats["body"].df, self.stats["ent"].df
        body = [
            t for t in heapq.nlargest(2 * n_query, vec.body, key=vec.body.__getitem__) if body_df[t] <= limit
        ]
        head = heapq.nlargest(n_query // 2, vec.head, key=vec.head.__getitem__)
        ents = [t for t in heapq.nlargest(n_query, vec.ent, key=vec.ent.__getitem__) if ent_df[t] <= limit]
        query = (
            [f"b:{t}" for t in body[:n_query]]
            + [f"h:{t}" for t in head]
            + [f"e:{t}" for t in ents[: n_query // 2]]
        )
        post = (
            [f"b:{t}" for t in body[:n_post]]
            + [f"h:{t}" for t in head[: n_post // 2]]
            + [f"e:{t}" for t in ents[: n_post // 2]]
        )
        return post, query

    def _candidates(self, keys: list[str], when: float | None) -> list[str]:
        hits: Counter[str] = Counter()
        for k in keys:
            for sid in self._postings.get(k, ()):
                hits[self.resolve(sid)] += 1
        window = self.options.window_days * _DAY
        out = []
        for sid, _ in hits.most_common():
            s = self.stories.get(sid)
            if s is None or s.closed:
                continue
            if when is not None and s.last is not None and s.first is not None:
                if when - s.last > window or s.first - when > window:
                    continue
            out.append(sid)
            if len(out) >= self.options.max_candidates:
                break
        return out

    def _time_factor(
        self, t: float | None, first: float | None, last: float | None, scale: float | None = None
    ) -> float:
        opts = self.options
        if t is None or first is None or last is None:
            return 1.0
        gap = max(first - t, t - last, 0.0) / _DAY
        return 1.0 - opts.time_weight + opts.time_weight * math.exp(-gap / (scale or opts.time_scale_days))

    def _gate(self, mean_shared: float, event: bool = True) -> float:
        """The event gate: 1 when the mean signature overlap reaches ``signature_shared``, less below
        (``storyline_signature_shared`` for storylines)."""
        need = self.options.signature_shared if event else self.options.storyline_signature_shared
        return min(1.0, mean_shared / need) if need > 0 else 1.0

    def _events(self, s: StoryState) -> frozenset[str]:
        return profile(s.events, s.with_events, self.options.event_class_share)

    def _what_happened(self, a: frozenset[str], b: frozenset[str]) -> float:
        """``event_clash_factor`` when the two say different things happened (cluster/events.py), else 1."""
        return self.options.event_clash_factor if clash(a, b) else 1.0

    def _mix(self, body: float, head: float, ent: float, emb: float | None) -> float:
        o = self.options
        lexical = o.body_weight * body + o.head_weight * head + o.entity_weight * ent
        if emb is None:
            return lexical
        centred = (emb - o.embedding_floor) / (1 - o.embedding_floor)
        return (1 - o.embedding_weight) * lexical + o.embedding_weight * centred

    def _similarity(self, vec: Vectors, s: StoryState) -> tuple[float, float]:
        """Mean similarity of an article to a story's articles: with the event gate, and without it on
        the storyline time scale."""
        n = s.n
        emb = float(vec.emb @ s.emb) / n if vec.emb is not None and s.emb is not None else None
        sim = self._mix(dot(vec.body, s.body) / n, dot(vec.head, s.head) / n, dot(vec.ent, s.ent) / n, emb)
        shared = sum(s.sig.get(t, 0) for t in vec.sig) / n
        event = sim * self._time_factor(vec.time, s.first, s.last) * self._gate(shared)
        event *= self._what_happened(vec.events, self._events(s))
        scale = self.options.storyline_time_scale_days
        return event, sim * self._time_factor(vec.time, s.first, s.last, scale)

    def _story_similarity(self, a: StoryState, b: StoryState, event: bool = True) -> float:
        """Mean similarity between the articles of two stories: with the event gate and the event time
        scale (``event``), or without the gate on the storyline time scale."""
        nn = a.n * b.n
        emb = float(a.emb @ b.emb) / nn if a.emb is not None and b.emb is not None else None
        sim = self._mix(dot(a.body, b.body) / nn, dot(a.head, b.head) / nn, dot(a.ent, b.ent) / nn, emb)
        mid = None if a.first is None or a.last is None else (a.first + a.last) / 2
        small, large = (a.sig, b.sig) if len(a.sig) <= len(b.sig) else (b.sig, a.sig)
        shared = sum(c * large.get(t, 0) for t, c in small.items()) / nn
        if not event:
            scale = self.options.storyline_time_scale_days
            return sim * self._time_factor(mid, b.first, b.last, scale) * self._gate(shared, event=False)
        happened = self._what_happened(self._events(a), self._events(b))
        return sim * self._time_factor(mid, b.first, b.last) * self._gate(shared) * happened

    def _merge(self, a: StoryState, b: StoryState, article_id: str, sim: float) -> StoryState:
        survivor, absorbed = (a, b) if a.seq <= b.seq else (b, a)
        for aid in absorbed.article_ids:
            self.story_of[aid] = survivor.id
        lines = self._line_state(survivor), self._line_state(absorbed)
        fold(survivor, absorbed, self.options.story_terms)
        del self.stories[absorbed.id]
        self.touched.discard(absorbed.id)
        self.touched.add(survivor.id)
        self.merged_into[absorbed.id] = survivor.id
        self.merges.append(Merge(survivor.id, absorbed.id, article_id, round(sim, 4)))
        if lines[0] is not lines[1]:
            self._join_lines(survivor.id, absorbed.id, 1.0, (), ())
        log.info("story %s merged into %s (article %s)", absorbed.id, survivor.id, article_id)
        return survivor

    def _join_lines(self, a: str, b: str, sim: float, entities: Sequence[str], terms: Sequence[str]) -> None:
        """Put stories ``a`` and ``b`` in one storyline; the absorbed storyline's sums go to the survivor."""
        before = {self.storylines.of_story(a), self.storylines.of_story(b)}
        survivor = self.storylines.link(a, b, sim, entities, terms)
        for line in before - {survivor}:
            gone = self.lines.pop(line, None)
            if gone is not None:
                target = self.lines.setdefault(survivor, StoryState(survivor, gone.seq))
                fold(target, gone, self.options.story_terms)

    def _story(self, s: StoryState) -> Story:
        from datetime import UTC, datetime

        def dt(x: float | None) -> datetime | None:
            return datetime.fromtimestamp(x, tz=UTC) if x is not None else None

        ids = tuple(sorted(s.article_ids, key=lambda a: (self.times.get(a, math.inf), a)))
        sources = tuple(dict.fromkeys(self.sources[a] for a in ids if a in self.sources))
        return Story(
            id=s.id,
            article_ids=ids,
            title=s.headline if s.closed else self._headline(s, ids),
            sources=sources,
            first_seen=dt(s.first),
            last_seen=dt(s.last),
            storyline_id=self.storylines.of_story(s.id),
        )

    def _headline(self, s: StoryState, ids: Sequence[str]) -> str | None:
        """The story's headline by the one rule (:func:`newsweave.cluster.headline.story_headline`)."""
        return headline_of([(self.titles.get(a), self.times.get(a), a) for a in ids])


def _embed_text(a: Article) -> str:
    return ". ".join(x for x in (a.title, a.text[:2000]) if x)


def arrival_key(a: Article) -> tuple[int, float, str]:
    """The order articles are clustered in: by publication time, undated ones last, then by id."""
    t = a.published_utc
    return (0, t.timestamp(), a.id) if t else (1, 0.0, a.id)
