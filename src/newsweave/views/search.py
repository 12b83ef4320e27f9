"""Ranked search over the stored articles, their quotes, claims and entities (BM25, by the ``bm25s`` package).

Four indexes are built from the store: one document per article (its headline twice, then its text), one
per quote (the quoted words and the speaker's name, so a speaker's name finds their quotes), one per claim
(each sentence an article states, from its stored analysis) and one per entity (its canonical name and
aliases, across articles). Every hit points into an article (start, end of the quote, the sentence, the
snippet around the match, or an entity's first mention in the latest article naming it; an entity hit also
gives its label and how many articles name it).
``speaker`` restricts the quotes to those whose speaker contains the name (case-insensitive); with it, an
empty query lists that speaker's quotes in publication order.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from newsweave.errors import UsageError
from newsweave.store import Store

log = logging.getLogger(__name__)

KINDS = ("article", "quote", "claim", "entity")
# Characters of context on each side of the first match in an article's snippet (about a line of a
# terminal either way; set by eye on the demo corpus, no measurement depends on it).
SNIPPET_CONTEXT = 90


@dataclass(frozen=True)
class SearchOptions:
    """``kinds``: article and/or quote hits; ``speaker``: only quotes by a speaker containing this;
    ``source``: only this outlet; ``limit``: hits returned (``total`` still counts all of them)."""

    kinds: tuple[str, ...] = KINDS
    speaker: str | None = None
    source: str | None = None
    limit: int = 20


@dataclass(frozen=True)
class Hit:
    kind: str  # article | quote
    article_id: str
    score: float
    source: str | None
    title: str | None
    published_at: datetime | None
    text: str  # the quoted words, or a snippet of the article around the match
    start: int
    end: int
    speaker: str | None = None
    label: str | None = None  # an entity's type (PERSON, ORG, GPE...)
    articles: int | None = None  # how many articles name an entity

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "article_id": self.article_id,
            "score": round(self.score, 4),
            "source": self.source,
            "title": self.title,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "label": self.label,
            "articles": self.articles,
        }


@dataclass(frozen=True)
class _Doc:
    article_id: str
    source: str | None
    title: str | None
    published_at: datetime | None
    text: str
    start: int
    end: int
    speaker: str | None = None
    label: str | None = None
    articles: int | None = None


def _tokens(texts: list[str]) -> list[list[str]]:
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each index build at DEBUG
    return bm25s.tokenize(texts, stopwords="en", return_ids=False, show_progress=False)  # type: ignore[return-value]


class _Index:
    def __init__(self, docs: list[_Doc], texts: list[str]) -> None:
        import bm25s

        self.docs = docs
        self.model = bm25s.BM25()
        if docs:
            self.model.index(_tokens(texts), show_progress=False)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        if not self.docs or not query_tokens:
            return np.zeros(len(self.docs), dtype=np.float32)
        return np.asarray(self.model.get_scores(query_tokens))


def store_version(store: Store) -> tuple[Any, ...]:
    """Changes whenever articles are added or analysed (an index built before is then stale)."""
    return store.content_version()


class SearchIndex:
    """The BM25 indexes of one store at one moment (see :func:`store_version`)."""

    def __init__(
        self, articles: _Index, quotes: _Index, version: tuple[Any, ...], claims: _Index | None = None,
        entities: _Index | None = None,
    ) -> None:  # fmt: skip
        self.articles = articles
        self.quotes = quotes
        self.claims = claims or _Index([], [])
        self.entities = entities or _Index([], [])
        self.version = version

    @classmethod
    def build(cls, store: Store) -> SearchIndex:
        version = store_version(store)
        rows, qrows = store.search_documents()
        meta = {r[0]: r for r in rows}
        adocs = [_Doc(r[0], r[1], r[2], r[3], r[4], 0, 0) for r in rows]
        atexts = [f"{r[2] or ''}\n{r[2] or ''}\n{r[4]}" for r in rows]
        qdocs: list[_Doc] = []
        for aid, starts, ends, speaker in qrows:
            m = meta.get(aid)
            if m is None or not starts:
                continue
            words = " … ".join(m[4][s:e] for s, e in zip(starts, ends, strict=True))
            qdocs.append(_Doc(aid, m[1], m[2], m[3], words, min(starts), max(ends), speaker))
        qtexts = [f"{d.text}\n{d.speaker or ''}" for d in qdocs]
        claims, entities = _claims_and_entities(store, meta)
        log.info("search index: %d articles, %d quotes, %d claims, %d entities", len(adocs), len(qdocs),
                 len(claims.docs), len(entities.docs))  # fmt: skip
        return cls(_Index(adocs, atexts), _Index(qdocs, qtexts), version, claims, entities)

    def search(
        self, query: str, options: SearchOptions = SearchOptions(), offset: int = 0
    ) -> tuple[list[Hit], int]:
        """The best ``options.limit`` hits after the first ``offset``, and how many hits there are in all."""
        bad = [k for k in options.kinds if k not in KINDS]
        if bad or not options.kinds:
            raise UsageError(f"kinds must be among {', '.join(KINDS)}, not {', '.join(bad) or 'none'}")
        if options.limit < 1:
            raise UsageError("limit must be at least 1")
        qtok = _tokens([query])[0] if query.strip() else []
        speaker = (options.speaker or "").strip().lower()
        if not qtok and not speaker:
            raise UsageError("give words to search for, or a speaker")
        hits: list[tuple[Hit, _Doc]] = []
        total = 0
        want = offset + options.limit
        for kind, index in (("article", self.articles), ("claim", self.claims), ("entity", self.entities),
                            ("quote", self.quotes)):  # fmt: skip
            if kind in options.kinds and (kind == "quote" or (qtok and not speaker)):
                found, n = self._hits(index, qtok, kind, options, want)
                hits += found
                total += n
        if qtok:
            hits.sort(key=lambda hd: -hd[0].score)
        else:  # a speaker's quotes, oldest first
            hits.sort(key=lambda hd: (hd[0].published_at is None, hd[0].published_at or datetime.min,
                                      hd[0].article_id))  # fmt: skip
        page = [_with_snippet(h, d, qtok) for h, d in hits[offset : offset + options.limit]]
        return page, total

    def _hits(
        self, index: _Index, qtok: list[str], kind: str, options: SearchOptions, want: int
    ) -> tuple[list[tuple[Hit, _Doc]], int]:
        """The matching documents with their hits, and how many match. Without a source or speaker
        filter only the ``want`` best are made into hits (the count is of all); an article's snippet is
        cut later, for the page only."""
        scores = index.scores(qtok)
        speaker = (options.speaker or "").strip().lower()
        out = []
        candidates: Any = np.flatnonzero(scores > 0) if qtok else range(len(index.docs))
        count = None
        if qtok and not options.source and not speaker:
            count = len(candidates)
            if count > want:
                top = candidates[np.argpartition(-scores[candidates], want - 1)[:want]]
                candidates = sorted(top.tolist(), key=lambda i: (-scores[i], i))
        for i in candidates:
            d = index.docs[i]
            if options.source and d.source != options.source:
                continue
            if speaker and speaker not in (d.speaker or "").lower():
                continue
            text = "" if kind == "article" else d.text
            hit = Hit(kind, d.article_id, float(scores[i]), d.source, d.title, d.published_at, text,
                      d.start, d.end, d.speaker, d.label, d.articles)  # fmt: skip
            out.append((hit, d))
        return out, len(out) if count is None else count


def _with_snippet(hit: Hit, doc: _Doc, qtok: list[str]) -> Hit:
    """An article hit with the snippet around the first query word (other hits as they are)."""
    if hit.kind != "article":
        return hit
    start, end = _snippet(doc.text, qtok)
    return dataclasses.replace(hit, text=doc.text[start:end], start=start, end=end)


def _claims_and_entities(store: Store, meta: dict[str, Any]) -> tuple[_Index, _Index]:
    """The claim index (one document per stored sentence) and the entity index (one per entity name and
    label; its hit is its first mention in the latest article naming it). ``meta``: article rows by id."""
    cdocs = []
    for aid, start, end in store.sentence_spans():
        m = meta.get(aid)
        if m is not None and end > start:
            cdocs.append(_Doc(aid, m[1], m[2], m[3], m[4][start:end], start, end))
    edocs: list[_Doc] = []
    etexts: list[str] = []
    mentions = store.first_mentions()
    for canonical, label, aliases, ids in store.entity_index_rows():
        named = [meta[i] for i in ids if i in meta]
        if not named:
            continue
        latest = max(named, key=lambda r: (r[3] is not None, r[3] or datetime.min, r[0]))
        start, end = mentions.get((latest[0], canonical), (0, 0))
        edocs.append(_Doc(latest[0], latest[1], latest[2], latest[3], canonical, start, end, None, label,
                          len(named)))  # fmt: skip
        etexts.append(" ".join([canonical, *aliases]))
    return _Index(cdocs, [d.text for d in cdocs]), _Index(edocs, etexts)


def _snippet(text: str, qtok: list[str]) -> tuple[int, int]:
    """Character bounds of the context around the first query word in ``text``, cut at spaces."""
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in qtok) + r")", re.IGNORECASE)
    m = pattern.search(text)
    at = m.start() if m else 0
    start = max(0, at - SNIPPET_CONTEXT)
    end = min(len(text), at + SNIPPET_CONTEXT)
    if start > 0:
        sp = text.find(" ", start)
        start = sp + 1 if 0 <= sp < at else start
    if end < len(text):
        sp = text.rfind(" ", at, end)
        end = sp if sp > at else end
    return start, end


class SearchCache:
    """One index per store, rebuilt when the store has changed since (thread-safe)."""

    def __init__(self) -> None:
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()

    def get(self, store: Store) -> SearchIndex:
        version = store_version(store)
        with self._lock:
            if self._index is None or self._index.version != version:
                self._index = SearchIndex.build(store)
            return self._index
