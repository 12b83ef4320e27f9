"""Ranked search over the stored articles and their quotes (BM25, by the ``bm25s`` package).

Two indexes are built from the store: one document per article (its headline twice, then its text) and
one per quote (the quoted words and the speaker's name, so a speaker's name finds their quotes). Every
hit points into the article it came from (start, end of the quote or of the snippet around the match).
``speaker`` restricts the quotes to those whose speaker contains the name (case-insensitive); with it, an
empty query lists that speaker's quotes in publication order.
"""

from __future__ import annotations

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

KINDS = ("article", "quote")
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

    def __init__(self, articles: _Index, quotes: _Index, version: tuple[Any, ...]) -> None:
        self.articles = articles
        self.quotes = quotes
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
        log.info("search index: %d articles, %d quotes", len(adocs), len(qdocs))
        return cls(_Index(adocs, atexts), _Index(qdocs, qtexts), version)

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
        hits: list[Hit] = []
        if "article" in options.kinds and qtok and not speaker:
            hits += self._hits(self.articles, qtok, "article", options, query)
        if "quote" in options.kinds:
            hits += self._hits(self.quotes, qtok, "quote", options, query)
        if qtok:
            hits.sort(key=lambda h: -h.score)
        else:  # a speaker's quotes, oldest first
            hits.sort(key=lambda h: (h.published_at is None, h.published_at or datetime.min, h.article_id))
        return hits[offset : offset + options.limit], len(hits)

    def _hits(
        self, index: _Index, qtok: list[str], kind: str, options: SearchOptions, query: str
    ) -> list[Hit]:
        scores = index.scores(qtok)
        speaker = (options.speaker or "").strip().lower()
        out = []
        for i, d in enumerate(index.docs):
            if qtok and scores[i] <= 0:
                continue
            if options.source and d.source != options.source:
                continue
            if speaker and speaker not in (d.speaker or "").lower():
                continue
            if kind == "article":
                start, end = _snippet(d.text, qtok)
                text = d.text[start:end]
            else:
                start, end, text = d.start, d.end, d.text
            out.append(Hit(kind, d.article_id, float(scores[i]), d.source, d.title, d.published_at, text,
                           start, end, d.speaker))  # fmt: skip
        return out


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
