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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from newsweave.cluster.features import DocFreq, RawFeatures, dot, raw_features, terms, tfidf_unit
from newsweave.cluster.options import ClusterOptions
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


@dataclass
class _Vectors:
    body: dict[str, float]
    head: dict[str, float]
    ent: dict[str, float]
    emb: np.ndarray | None
    time: float | None


@dataclass
class StoryState:
    id: str
    seq: int  # creation order (older stories have smaller seq)
    article_ids: list[str] = field(default_factory=list)
    body: dict[str, float] = field(default_factory=dict)
    head: dict[str, float] = field(default_factory=dict)
    ent: dict[str, float] = field(default_factory=dict)
    emb: np.ndarray | None = None
    first: float | None = None
    last: float | None = None
    closed: bool = False  # outside the time window of the stream: vectors dropped, headline kept
    headline: str | None = None

    @property
    def n(self) -> int:
        return len(self.article_ids)


def _add_into(acc: dict[str, float], vec: dict[str, float], cap: int) -> None:
    for k, v in vec.items():
        acc[k] = acc.get(k, 0.0) + v
    if len(acc) > 2 * cap:  # keep the heaviest terms; amortised so pruning is rare
        keep = {k: acc[k] for k in heapq.nlargest(cap, acc, key=acc.__getitem__)}
        acc.clear()
        acc.update(keep)


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
        entities: dict[str, Sequence[str]] | None = None,
        chunk: int = 2000,
    ) -> dict[str, str]:
        """Add articles in time order (undated ones last), ``chunk`` at a time: the term statistics of a
        chunk are counted before its articles are placed, so a cold start has usable IDF weights."""
        new = sorted((a for a in unique_by_id(articles) if a.id not in self.story_of), key=_time_key)
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
        entities: dict[str, Sequence[str]] | None = None,
    ) -> None:
        """Rebuild a stored story from its articles (statistics must already be loaded: no counting here)."""
        story = self.stories.setdefault(story_id, StoryState(story_id, seq))
        self._seq = max(self._seq, seq + 1)
        embs: list[np.ndarray | None] = [None] * len(articles)
        if self.embedder and articles:
            embs = list(self.embedder([_embed_text(a) for a in articles]))
        for a, emb in zip(sorted(articles, key=_time_key), embs, strict=True):
            vec = self._vectors(raw_features(a, (entities or {}).get(a.id)), emb)
            self._absorb(story, a, vec)
            self._post(self._index_keys(vec)[0], story_id)

    def resolve(self, story_id: str) -> str:
        """The current id of a story (follows merges)."""
        while story_id in self.merged_into:
            story_id = self.merged_into[story_id]
        return story_id

    def to_stories(self) -> list[Story]:
        """The current stories, largest first."""
        out = [self._story(s) for s in self.stories.values()]
        return sorted(out, key=lambda s: (-len(s.article_ids), s.id))

    # ------------------------------------------------------------------ internals

    def _observe(self, raw: RawFeatures) -> None:
        self.stats["body"].add(raw.body)
        self.stats["head"].add(raw.head)
        self.stats["ent"].add(raw.entities)

    def _vectors(self, raw: RawFeatures, emb: np.ndarray | None) -> _Vectors:
        return _Vectors(
            body=tfidf_unit(raw.body, self.stats["body"], max_terms=self.options.story_terms),
            head=tfidf_unit(raw.head, self.stats["head"]),
            ent=tfidf_unit(raw.entities, self.stats["ent"]),
            emb=emb,
            time=raw.time,
        )

    def _add_raw(self, article: Article, raw: RawFeatures, emb: np.ndarray | None) -> str:
        opts = self.options
        vec = self._vectors(raw, emb)
        keys, query = self._index_keys(vec)
        candidates = self._candidates(query, vec.time)
        scored = sorted(((self._similarity(vec, self.stories[sid]), sid) for sid in candidates), reverse=True)
        if scored and scored[0][0] >= opts.join_threshold:
            sid = scored[0][1]
        else:
            sid = story_id_for(article.id)
            while sid in self.stories or sid in self.merged_into or sid in self.reserved_ids:
                sid += "x"
            self.stories[sid] = StoryState(sid, self._seq)
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
        return self.story_of[article.id]

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
                story.body, story.head, story.ent, story.emb = {}, {}, {}, None
                story.closed = True

    def _post(self, keys: Iterable[str], sid: str) -> None:
        for k in keys:
            posting = self._postings.setdefault(k, deque(maxlen=self.options.posting_cap))
            if not posting or posting[-1] != sid:
                posting.append(sid)

    def _absorb(self, story: StoryState, article: Article, vec: _Vectors) -> None:
        cap = self.options.story_terms
        story.article_ids.append(article.id)
        _add_into(story.body, vec.body, cap)
        _add_into(story.head, vec.head, cap)
        _add_into(story.ent, vec.ent, cap)
        if vec.emb is not None:
            story.emb = vec.emb.copy() if story.emb is None else story.emb + vec.emb
        if vec.time is not None:
            story.first = vec.time if story.first is None else min(story.first, vec.time)
            story.last = vec.time if story.last is None else max(story.last, vec.time)
            self.times[article.id] = vec.time
        self.story_of[article.id] = story.id
        self.touched.add(story.id)
        if article.title:
            self.titles[article.id] = article.title
        if article.source:
            self.sources[article.id] = article.source

    def _index_keys(self, vec: _Vectors) -> tuple[list[str], list[str]]:
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

    def _time_factor(self, t: float | None, first: float | None, last: float | None) -> float:
        opts = self.options
        if t is None or first is None or last is None:
            return 1.0
        gap = max(first - t, t - last, 0.0) / _DAY
        return 1.0 - opts.time_weight + opts.time_weight * math.exp(-gap / opts.time_scale_days)

    def _mix(self, body: float, head: float, ent: float, emb: float | None) -> float:
        o = self.options
        lexical = o.body_weight * body + o.head_weight * head + o.entity_weight * ent
        if emb is None:
            return lexical
        centred = (emb - o.embedding_floor) / (1 - o.embedding_floor)
        return (1 - o.embedding_weight) * lexical + o.embedding_weight * centred

    def _similarity(self, vec: _Vectors, s: StoryState) -> float:
        n = s.n
        emb = float(vec.emb @ s.emb) / n if vec.emb is not None and s.emb is not None else None
        sim = self._mix(dot(vec.body, s.body) / n, dot(vec.head, s.head) / n, dot(vec.ent, s.ent) / n, emb)
        return sim * self._time_factor(vec.time, s.first, s.last)

    def _story_similarity(self, a: StoryState, b: StoryState) -> float:
        nn = a.n * b.n
        emb = float(a.emb @ b.emb) / nn if a.emb is not None and b.emb is not None else None
        sim = self._mix(dot(a.body, b.body) / nn, dot(a.head, b.head) / nn, dot(a.ent, b.ent) / nn, emb)
        mid = None if a.first is None or a.last is None else (a.first + a.last) / 2
        return sim * self._time_factor(mid, b.first, b.last)

    def _merge(self, a: StoryState, b: StoryState, article_id: str, sim: float) -> StoryState:
        survivor, absorbed = (a, b) if a.seq <= b.seq else (b, a)
        cap = self.options.story_terms
        for aid in absorbed.article_ids:
            self.story_of[aid] = survivor.id
        survivor.article_ids.extend(absorbed.article_ids)
        _add_into(survivor.body, absorbed.body, cap)
        _add_into(survivor.head, absorbed.head, cap)
        _add_into(survivor.ent, absorbed.ent, cap)
        if absorbed.emb is not None:
            survivor.emb = absorbed.emb.copy() if survivor.emb is None else survivor.emb + absorbed.emb
        for t in (absorbed.first, absorbed.last):
            if t is not None:
                survivor.first = t if survivor.first is None else min(survivor.first, t)
                survivor.last = t if survivor.last is None else max(survivor.last, t)
        del self.stories[absorbed.id]
        self.touched.discard(absorbed.id)
        self.touched.add(survivor.id)
        self.merged_into[absorbed.id] = survivor.id
        self.merges.append(Merge(survivor.id, absorbed.id, article_id, round(sim, 4)))
        log.info("story %s merged into %s (article %s)", absorbed.id, survivor.id, article_id)
        return survivor

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
        )

    def _headline(self, s: StoryState, ids: Sequence[str]) -> str | None:
        """The title whose words are most typical of the story (heaviest in the story's head vector)."""
        best, best_score = None, -1.0
        for aid in ids:
            title = self.titles.get(aid)
            if not title:
                continue
            words = set(terms(title))
            score = sum(s.head.get(w, 0.0) for w in words) / math.sqrt(len(words) + 1)
            if score > best_score:
                best, best_score = title, score
        return best


def _embed_text(a: Article) -> str:
    return ". ".join(x for x in (a.title, a.text[:2000]) if x)


def _time_key(a: Article) -> tuple[int, float, str]:
    t = a.published_utc
    return (0, t.timestamp(), a.id) if t else (1, 0.0, a.id)
