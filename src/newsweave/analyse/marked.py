"""Quoted stretches that are not attributed quotes: scare quotes, titles and terms ("legal highs", "K2").

The quote extraction (:mod:`newsweave.analyse.quotes`) leaves these out on purpose: nobody is quoted. The
comparison still needs them, because other outlets put the same words in quotation marks and those shared
stretches group the articles' sentences. The analysis keeps them in :attr:`Analysis.marked
<newsweave.model.Analysis.marked>`, apart from its quotes, so they never count or show as quotes.

A stretch is what the quotation marks alone give (:func:`quoted_stretches`): words between curly double
quotes, between straight double quotes (or two apostrophes) paired within a paragraph, or between curly
single quotes opened at a word start (two words or more), without the marks, the surrounding spaces and
the trailing comma or full stop; a stretch inside another is dropped. :func:`marked_spans` keeps the
stretches that overlap none of the direct quotes' quoted words (:func:`direct_pieces`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable

from newsweave.analyse.quotemarks import find_segments
from newsweave.model import Quote, Span

# the marks and edge punctuation a stretch loses
MARKS = "\"'\u201c\u201d\u201e\u2018\u2019\u00ab\u00bb\u2039\u203a"


def quote_words(s: str) -> list[str]:
    """Letters-and-digits words, the unit of the wording status (as in the cross-source gold)."""
    t = unicodedata.normalize("NFKC", s).lower().replace("\u2019", "'").replace("'", "").replace("-", "")
    return re.findall(r"[^\W_]+", t)


def quoted_stretches(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quoted stretch in ``text``, in text order, none inside another."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"\u201c([^\u201c\u201d]{1,2000}?)(?:\u201d|(?=\n)|$)", text):
        spans.append((m.start(1), m.end(1)))
    for para in re.finditer(r"[^\n]+", text):
        spans.extend(_straight_quotes(text, para.start(), para.end()))
    for m in re.finditer(
        r"(?:(?<=^)|(?<=[\s(\[\u2014-]))\u2018([^\u2018\u2019]{3,600}?)\u2019(?![A-Za-z])", text
    ):
        if len(m.group(1).split()) >= 2:
            spans.append((m.start(1), m.end(1)))
    out: list[tuple[int, int]] = []
    last_start, max_end = -1, -1  # over the stretches kept so far
    for a, b in sorted(set(spans)):
        while a < b and (text[a].isspace() or text[a] in "\u2018'"):
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in ",.;:\u2019'"):
            b -= 1
        if b - a < 2 or not quote_words(text[a:b]):
            continue
        if last_start <= a:  # in start order (the usual case): inside a kept one iff before the furthest end
            if b <= max_end:
                continue
        elif any(a >= s and b <= e for s, e in out):
            continue
        out.append((a, b))
        last_start, max_end = max(last_start, a), max(max_end, b)
    return out


def _straight_quotes(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Quoted stretches marked with straight double quotes (or two apostrophes) in one paragraph.

    A mark opens when it follows a space or the paragraph start and precedes a non-space; otherwise it
    closes. A quote still open at the paragraph end runs to it (the convention for a quote that goes on
    in the next paragraph)."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for m in re.finditer(r"''|\"", text[lo:hi]):
        a, b = lo + m.start(), lo + m.end()
        prev = text[a - 1] if a > lo else " "
        nxt = text[b] if b < hi else " "
        opening = (prev.isspace() or prev in "([\u2014\u2013-:") and not nxt.isspace()
        if start is None:
            if opening or a == lo:
                start = b
        elif not opening or nxt.isspace():
            out.append((start, a))
            start = None
        else:  # two openings: the first was never closed on this side
            out.append((start, a))
            start = b
    if start is not None and hi - start > 1:
        out.append((start, hi))
    return out


def direct_pieces(text: str, quotes: Iterable[Quote]) -> dict[tuple[int, int], str | None]:
    """(start, end) -> speaker of the quoted words of each direct quote: for each content span, the
    stretches between quotation marks (:func:`~newsweave.analyse.quotemarks.find_segments`) inside it (a
    content span such as 'he would "do everything in my power" to see ...' gives only the quoted words),
    cut as :func:`quoted_stretches` cuts them; a piece found twice keeps the first speaker given."""
    segs = [(g.start, g.end) for g in find_segments(text)]
    starts = [a for a, _ in segs]
    pieces: dict[tuple[int, int], str | None] = {}
    for q in quotes:
        if not q.direct:
            continue
        for sp in q.content:
            k = max(0, bisect.bisect_right(starts, sp.start) - 1)
            while k < len(segs) and segs[k][0] < sp.end:
                a, b = max(segs[k][0], sp.start), min(segs[k][1], sp.end)
                k += 1
                while a < b and (text[a].isspace() or text[a] in MARKS):
                    a += 1
                while b > a and (text[b - 1].isspace() or text[b - 1] in MARKS + ",.;:"):
                    b -= 1
                if b - a >= 2 and quote_words(text[a:b]) and pieces.get((a, b)) is None:
                    pieces[(a, b)] = q.speaker
    return pieces


def marked_spans(text: str, article_id: str, quotes: Iterable[Quote]) -> tuple[Span, ...]:
    """The quoted stretches of ``text`` that overlap none of the direct quotes' quoted words."""
    pieces = sorted(direct_pieces(text, quotes))
    starts = [a for a, _ in pieces]
    out = []
    for a, b in quoted_stretches(text):
        # pieces may nest, so look at every piece that starts before b
        if any(pa < b and a < pb for pa, pb in pieces[: bisect.bisect_left(starts, b)]):
            continue
        out.append(Span(article_id, a, b))
    return tuple(out)
