"""Articles longer than the analysis reads at once, analysed in pieces and joined again.

spaCy refuses a text over its ``max_length`` and its cost grows with the text, so an article longer than
``AnalyseOptions.max_chars`` is cut into pieces of at most that many characters, each cut at a paragraph
break if the piece's second half has one, else after a sentence's end, else at a space (a text without any
is cut at the limit). Each piece is analysed as an article of its own; :func:`join_pieces` shifts every
span back to offsets in the whole text and joins the parts, so the whole text is analysed: sentences,
entities, quotes, marked stretches and numbers past the first piece are kept.

What a piece cannot see: an entity is named canonically within its piece (a surname alone in a later
piece is not tied to the full name given in an earlier one; entities of the same canonical name are one),
and a quotation open across a cut is read as a paragraph left open. Articles this long are not news
articles (the longest of galaxy-wikinews is under 30,000 characters); what matters is that none of their
text is dropped.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsweave.model import Analysis, Article, Entity, EntityMention, Quantity, Quote, Sentence, Span

# A sentence's end: a full stop, question or exclamation mark (and a closing quotation mark) before a space.
_SENTENCE_END = re.compile(r"[.!?][\"”’'»)]*\s")


@dataclass(frozen=True)
class Piece:
    """Part of an article: ``article`` holds its text (spans within it start at 0), ``offset`` where it
    starts in the whole text, ``paragraphs_before`` the whole article's paragraphs that end before it."""

    article: Article
    offset: int
    paragraphs_before: int


def _cut(text: str, start: int, limit: int) -> int:
    """Where the piece starting at ``start`` ends (at most ``start + limit``; the text's end if nearer)."""
    end = start + limit
    if end >= len(text):
        return len(text)
    half = start + limit // 2
    for mark in ("\n\n", "\n"):
        at = text.rfind(mark, half, end)
        if at >= 0:
            return at + len(mark)
    last = None
    for m in _SENTENCE_END.finditer(text, half, end):
        last = m
    if last is not None:
        return last.end()
    at = max(text.rfind(" ", half, end), text.rfind("\t", half, end))
    return at + 1 if at >= 0 else end


def first_part(article: Article, limit: int) -> Article:
    """``article`` cut to at most its first ``limit`` characters, where a piece would be cut (a paragraph
    break, else a sentence's end, else a space), its paragraphs clipped; itself when it is not longer."""
    text = article.text
    if len(text) <= limit:
        return article
    end = _cut(text, 0, limit)
    inside = tuple((a, min(b, end)) for a, b in article.paragraphs if a < end)
    return replace(article, text=text[:end], paragraphs=inside)


def split_article(article: Article, limit: int) -> list[Piece]:
    """The pieces of ``article`` (one, the article itself, when its text is at most ``limit`` long)."""
    text = article.text
    if len(text) <= limit:
        return [Piece(article, 0, 0)]
    paragraphs = article.paragraphs
    ends = [b for _, b in paragraphs]
    pieces = []
    start = 0
    while start < len(text):
        end = _cut(text, start, limit)
        inside = tuple(
            (max(a, start) - start, min(b, end) - start) for a, b in paragraphs if a < end and b > start
        )
        before = bisect.bisect_right(ends, start)  # paragraphs that end at or before the piece's start
        part = replace(article, text=text[start:end], paragraphs=inside)
        pieces.append(Piece(part, start, before))
        start = end
    return pieces


def _span(span: Span, offset: int) -> Span:
    return replace(span, start=span.start + offset, end=span.end + offset)


def _maybe(span: Span | None, offset: int) -> Span | None:
    return None if span is None else _span(span, offset)


def _shift(analysis: Analysis, piece: Piece) -> Analysis:
    d = piece.offset
    return replace(
        analysis,
        sentences=tuple(
            Sentence(_span(s.span, d), s.paragraph + piece.paragraphs_before) for s in analysis.sentences
        ),
        mentions=tuple(replace(m, span=_span(m.span, d)) for m in analysis.mentions),
        quotes=tuple(
            replace(
                q,
                content=tuple(_span(c, d) for c in q.content),
                speaker_span=_maybe(q.speaker_span, d),
                cue_span=_maybe(q.cue_span, d),
            )
            for q in analysis.quotes
        ),
        quantities=tuple(
            replace(x, span=_span(x.span, d), counted_span=_maybe(x.counted_span, d))
            for x in analysis.quantities
        ),
        marked=None if analysis.marked is None else tuple(_span(s, d) for s in analysis.marked),
    )


def _entities(parts: Sequence[Analysis]) -> tuple[Entity, ...]:
    """The entities of every part, one per canonical name (its surface forms joined, in order)."""
    merged: dict[str, Entity] = {}
    for part in parts:
        for e in part.entities:
            seen = merged.get(e.canonical)
            if seen is None:
                merged[e.canonical] = e
            else:
                aliases = seen.aliases + tuple(a for a in e.aliases if a not in seen.aliases)
                merged[e.canonical] = replace(seen, aliases=aliases)
    return tuple(merged.values())


def join_pieces(article: Article, pieces: Sequence[Piece], parts: Sequence[Analysis]) -> Analysis:
    """One analysis of ``article`` from the analyses of its ``pieces`` (in order), spans in the whole text."""
    if len(parts) == 1 and pieces[0].offset == 0 and pieces[0].article is article:
        return parts[0]
    shifted = [_shift(a, p) for a, p in zip(parts, pieces, strict=True)]
    mentions: tuple[EntityMention, ...] = tuple(m for a in shifted for m in a.mentions)
    quotes: tuple[Quote, ...] = tuple(q for a in shifted for q in a.quotes)
    quantities: tuple[Quantity, ...] = tuple(x for a in shifted for x in a.quantities)
    marks = [a.marked for a in shifted]
    return Analysis(
        article_id=article.id,
        sentences=tuple(s for a in shifted for s in a.sentences),
        mentions=mentions,
        entities=_entities(shifted),
        quotes=quotes,
        quantities=quantities,
        marked=None if any(m is None for m in marks) else tuple(s for m in marks if m for s in m),
    )
