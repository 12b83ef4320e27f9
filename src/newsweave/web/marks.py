"""Article text cut into pieces for highlighting: each piece knows every mark that covers it.

Unlike the report's ``segments`` (one owner per character), overlapping marks are all kept, so a quote
inside a claim's sentence answers a click on either. The pieces are plain strings; the templates escape
them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsweave.compare.result import Comparison
from newsweave.model import Analysis
from newsweave.views.shapes import quantity_marks


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # claim | quote | number | conflict | entity | speaker | date ...
    item: str  # the id a click looks for (c3, q1, n2), or a label for the article page


@dataclass(frozen=True)
class Piece:
    text: str
    kinds: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    title: str = ""


def pieces(text: str, marks: Iterable[Mark]) -> list[Piece]:
    """``text`` cut at every mark boundary; marks outside the text are clipped, empty ones dropped."""
    n = len(text)
    ms = [m for m in marks if min(m.end, n) > max(m.start, 0)]
    cuts = sorted({0, n} | {max(0, m.start) for m in ms} | {min(n, m.end) for m in ms})
    out: list[Piece] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        cover = [m for m in ms if m.start <= a and m.end >= b]
        kinds = tuple(dict.fromkeys(m.kind for m in cover))
        items = tuple(dict.fromkeys(m.item for m in cover if m.item))
        out.append(Piece(text[a:b], kinds, items))
    return out


def comparison_marks(c: Comparison) -> dict[str, list[Mark]]:
    """Per article id: the evidence of every claim, quote and number of the comparison."""
    out: dict[str, list[Mark]] = {s.article_id: [] for s in c.sources}
    for cl in c.claims:
        for e in cl.evidence:
            out.setdefault(e.article_id, []).append(Mark(e.start, e.end, "claim", cl.id))
    for q in c.quotes:
        for e in q.evidence:
            out.setdefault(e.article_id, []).append(Mark(e.start, e.end, "quote", q.id))
    for nb in c.numbers:
        kind = "conflict" if nb.status == "conflict" else "number"
        for e in nb.evidence:
            out.setdefault(e.article_id, []).append(Mark(e.start, e.end, kind, nb.id))
    return out


def analysis_marks(an: Analysis) -> list[Mark]:
    """Entities, quotes, speakers, numbers and dates of one article's analysis."""
    marks = [Mark(m.span.start, m.span.end, "entity", f"{m.canonical} ({m.label})") for m in an.mentions]
    for q in an.quotes:
        marks.extend(Mark(p.start, p.end, "quote", "") for p in q.content)
        if q.speaker_span is not None:
            marks.append(Mark(q.speaker_span.start, q.speaker_span.end, "speaker", ""))
    # numbers: the figures the comparison groups; a date it does not compare (a weekday) is marked as a date
    marks.extend(Mark(x.span.start, x.span.end, kind, x.resolved or x.text) for x, kind in quantity_marks(an))
    return marks
