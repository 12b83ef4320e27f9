"""The JSON shapes of stored things, one function each: what ``articles --json``, ``show --json``,
``stories --json``, ``story --json`` and ``rejected --json`` print, and what the web API returns.

Every function takes library objects (or a :class:`~newsweave.store.Store`) and returns plain dicts
ready for ``json.dumps``; the CLI and the web layer only print or serve them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from newsweave.model import Analysis, Article, Quantity, Rejected, Span, Story
from newsweave.store import Store


def _span(s: Span | None) -> dict[str, int] | None:
    return {"start": s.start, "end": s.end} if s is not None else None


def article_obj(a: Article, with_text: bool = True) -> dict[str, Any]:
    """One article: id, metadata, text and paragraphs (``with_text=False`` drops those two), origin."""
    d = a.to_dict()
    if not with_text:
        d.pop("text")
        d.pop("paragraphs")
    return d


def quantity_marks(analysis: Analysis) -> list[tuple[Quantity, str]]:
    """Each quantity with how ``show`` and the article page mark it: ``number`` for a figure the comparison
    groups, ``date`` for a date it does not compare (a weekday, "July 1"). An analysis stored before figures
    were kept (none has one) marks its non-date quantities as numbers, as it did."""
    figures = any(x.figure is not None for x in analysis.quantities)
    return [
        (x, "number" if x.figure is not None or (not figures and x.kind != "date") else "date")
        for x in analysis.quantities
    ]


def analysis_obj(analysis: Analysis) -> dict[str, Any]:
    """Entities, mentions, quotes, quantities and sentences of one analysis, every item with its spans."""
    return {
        "article_id": analysis.article_id,
        # an article longer than the most characters analysed: only text[:analysed_chars] was analysed
        "truncated": analysis.analysed_chars is not None,
        "analysed_chars": analysis.analysed_chars,
        "sentences": [{**_span(s.span), "paragraph": s.paragraph} for s in analysis.sentences],  # type: ignore[dict-item]
        "entities": [
            {"canonical": e.canonical, "label": e.label, "aliases": list(e.aliases), "key": e.key}
            for e in analysis.entities
        ],
        "mentions": [
            {**_span(m.span), "text": m.text, "label": m.label, "canonical": m.canonical}  # type: ignore[dict-item]
            for m in analysis.mentions
        ],
        "quotes": [
            {
                "content": [_span(p) for p in q.content],
                "direct": q.direct,
                "speaker": q.speaker,
                "speaker_span": _span(q.speaker_span),
                "cue": q.cue,
                "cue_span": _span(q.cue_span),
            }
            for q in analysis.quotes
        ],
        "quantities": [
            {
                **_span(x.span),  # type: ignore[dict-item]
                "text": x.text,
                "value": x.value,
                "low": x.low,
                "high": x.high,
                "unit": x.unit,
                "counted": x.counted,
                "counted_span": _span(x.counted_span),
                "hedge": x.hedge,
                "kind": x.kind,
                "resolved": x.resolved,
                # the comparison's reading (None: not a figure it compares)
                "figure": dataclasses.asdict(x.figure) if x.figure is not None else None,
            }
            for x in analysis.quantities
        ],
    }


def load_analysis_or_none(store: Store, article_id: str) -> Analysis | None:
    """The stored analysis of one article, or None (never analysed, or no analysis stage installed)."""
    return store.load_analysis(article_id)


def article_detail(store: Store, article_id: str) -> dict[str, Any]:
    """One article (id or unique prefix) with its stored analysis under ``analysis`` when it has one."""
    article = store.get_article(article_id)
    obj = article_obj(article)
    analysis = load_analysis_or_none(store, article.id)
    if analysis is not None:
        obj["analysis"] = analysis_obj(analysis)
    return obj


def story_obj(s: Story) -> dict[str, Any]:
    """One story's summary: id, headline, member article ids, outlets, size, time span and storyline."""
    return {
        "id": s.id,
        "title": s.title,
        "article_ids": list(s.article_ids),
        "sources": list(s.sources),
        "n_articles": len(s.article_ids),
        "first_seen": s.first_seen.isoformat() if s.first_seen else None,
        "last_seen": s.last_seen.isoformat() if s.last_seen else None,
        "storyline_id": s.storyline_id,
    }


def story_article_obj(a: Article) -> dict[str, Any]:
    """An article as listed inside a story: id, outlet, headline, publication time, URL."""
    return {
        "id": a.id,
        "source": a.source,
        "title": a.title,
        "published_at": a.published_at.isoformat() if a.published_at else None,
        "url": a.url,
    }


def story_detail(store: Store, story_id: str) -> dict[str, Any]:
    """One story (id or unique prefix; a merged id leads to the survivor) with its articles and its
    duplicate and rewrite links."""
    s = store.get_story(story_id)
    arts = store.get_articles(list(s.article_ids))
    obj = story_obj(s)
    obj["articles"] = [story_article_obj(a) for a in arts]
    obj.update(store.story_links(s.id))
    return obj


def rejected_obj(r: Rejected) -> dict[str, Any]:
    """One rejected input: file, position, reason and the format it was read as."""
    return {"path": r.path, "position": r.position, "reason": r.reason, "format": r.format}
