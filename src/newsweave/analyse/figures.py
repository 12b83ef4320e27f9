"""The analysis' quantities: one finder for the analysis and the comparison.

Which stretches of an article are quantities is decided once, by the comparison's finder
(:func:`newsweave.analyse.numfind.find_mentions`: calibrated on the cross-source gold, with its interval
policy, label and identifier filtering, dates and relative years). Each figure it finds becomes one
:class:`~newsweave.model.Quantity` carrying the finder's reading (:class:`~newsweave.model.Figure`) and the
analysis' own readings of the same phrase from the token reader
(:func:`newsweave.analyse.quantities.extract_quantities`): what is counted and where, the value as stated
with its bounds, the kind, and a date resolved against the publication date. The comparison builds its
mentions from the stored figures (``newsweave.compare.core``) instead of finding numbers again, so what
``show`` highlights as numbers is what the comparison groups.

The token reader's dates that the finder does not compare (weekdays, "July 1", "last week", "today") are
kept as quantities without a figure (kind ``date``, resolved); its other readings outside a figure (labels
such as "No 10", ordinals, "dozens", "one") are not quantities.

A relative year ("last year") is stored unresolved: its year depends on the story (the comparison counts it
from a dated URL of any report of the story), not on the article alone.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from newsweave.analyse.numfind import NumMention, find_mentions
from newsweave.analyse.quantities import extract_quantities
from newsweave.model import Figure, Quantity, Span

# the token reader's kinds that give a figure's value, bounds, unit, hedge and counted noun
_VALUE_KINDS = frozenset({"number", "range", "year"})


def figure_of(m: NumMention) -> Figure:
    """The finder's reading of ``m`` without its span."""
    return Figure(**{f.name: getattr(m, f.name) for f in dataclasses.fields(Figure)})


def read_quantities(text: str, article_id: str, published_at: datetime | None = None) -> list[Quantity]:
    """The quantities of ``text`` in text order: every figure of the one finder, with the token reader's
    readings of it, and the reader's dates outside any figure."""
    mentions = find_mentions(text)
    readings = extract_quantities(text, article_id, published_at)
    out: list[Quantity] = []
    j = 0  # readings are in text order and do not overlap: one pass
    for m in mentions:
        while j < len(readings) and readings[j].span.end <= m.start:
            q = readings[j]
            if q.kind == "date":
                out.append(q)
            j += 1
        over = []
        k = j
        while k < len(readings) and readings[k].span.start < m.end:
            over.append(readings[k])
            k += 1
        out.append(_quantity(m, article_id, over))
        j = k
    out.extend(q for q in readings[j:] if q.kind == "date")
    return out


def _quantity(m: NumMention, aid: str, over: list[Quantity]) -> Quantity:
    """One figure with the token reader's readings ``over`` its span (the one overlapping most)."""
    fig = figure_of(m)
    span = Span(aid, m.start, m.end)
    reading = max(over, key=lambda q: min(q.span.end, m.end) - max(q.span.start, m.start), default=None)
    date = reading if reading is not None and reading.kind == "date" else None
    if m.dim in ("date", "year") and (date is not None or m.dim == "date"):
        resolved = date.resolved if date is not None else _iso(m)
        return Quantity(span, m.text, None, kind="date", resolved=resolved, figure=fig)
    if reading is not None and reading.kind in _VALUE_KINDS:
        kind = "year" if m.dim == "year" else ("range" if m.is_range else reading.kind)
        return Quantity(
            span, m.text, reading.value, reading.low, reading.high, unit=reading.unit, counted=reading.counted,
            counted_span=reading.counted_span, hedge=reading.hedge, kind=kind, figure=fig,
        )  # fmt: skip
    # no reading of the same phrase: the figure's own values (in its base unit)
    kind = "year" if m.dim == "year" else ("range" if m.is_range else "number")
    high = None if m.open_high else m.high
    unit = None if m.dim == "count" else (m.unit or m.dim)
    return Quantity(span, m.text, m.exact, m.low, high, unit=unit, hedge=m.hedge, kind=kind, figure=fig)


def _iso(m: NumMention) -> str | None:
    """ "July 1, 2014" (stored as 20140701) -> "2014-07-01"."""
    if m.exact is None:
        return None
    v = int(m.exact)
    return f"{v // 10000:04d}-{v // 100 % 100:02d}-{v % 100:02d}"
