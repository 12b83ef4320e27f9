"""Quoted segments found from the quotation marks alone, before any parse.

Handles straight and curly double quotes, guillemets, single quotes used as primary marks (curly, or straight
ones that open after a space and close before a space or punctuation), nesting (a single-quoted passage
inside a double-quoted one belongs to the outer quote), and the convention that a quote running over several
paragraphs leaves each paragraph open and reopens the next one: such a quote is one group of segments.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
DOUBLE_QUOTE_CHARS = '"“”„«»'


def has_double_quote(text: str) -> bool:
    """Whether ``text`` holds a double quotation mark (straight, curly, guillemet, or two apostrophes)."""
    return "''" in text or any(ch in DOUBLE_QUOTE_CHARS for ch in text)


_PARA = re.compile(r"\n\s*")
_DOUBLE_RE = re.compile("''|[\"“”„«»]")  # two apostrophes stand for a straight double quote in some feeds
_SINGLE_RE = re.compile("['‘’‹›]")


@dataclass(frozen=True)
class Segment:
    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark (or the paragraph end for an open multi-paragraph part)
    group: int  # segments of one multi-paragraph quote share a group number

    def inner(self, text: str) -> str:
        return text[self.start : self.end].strip(DOUBLE_QUOTE_CHARS + "'‘’‹› \n")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in _PARA.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _is_opening_straight(text: str, i: int) -> bool | None:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if (before.isspace() or before in "([—–-/:") and not after.isspace():
        return True
    if not before.isspace() and (after.isspace() or after in ".,;:!?)—–-" or i + 1 == len(text)):
        return False
    return None


def _double_marks(text: str, lo: int, hi: int) -> list[tuple[int, bool]]:
    """(offset, is_opening) for each double quotation mark in text[lo:hi]."""
    marks: list[tuple[int, bool]] = []
    for m in _DOUBLE_RE.finditer(text, lo, hi):
        i = m.start()
        c = text[i]
        if m.group() == "''":
            before = text[i - 1] if i > 0 else " "
            after = text[i + 2] if i + 2 < len(text) else " "
            opening = (before.isspace() or before in "([—–-/:") and not after.isspace()
            marks.append((i, True) if opening else (i + 1, False))
        elif c in DOUBLE_OPEN or c in DOUBLE_CLOSE:
            # curly marks typed the wrong way round ("”Fortunately, ..." or "... False.“") follow the spacing
            kind = _is_opening_straight(text, i)
            marks.append((i, kind if kind is not None else c in DOUBLE_OPEN))
        elif c == '"':
            kind = _is_opening_straight(text, i)
            if kind is None:  # ambiguous: alternate with the previous mark
                kind = not marks or not marks[-1][1]
            marks.append((i, kind))
    return marks


def _single_marks(text: str, lo: int, hi: int) -> list[tuple[int, bool]]:
    marks = []
    for m in _SINGLE_RE.finditer(text, lo, hi):
        i = m.start()
        c = text[i]
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if c == "'" and "'" in (before, after):
            continue  # half of a '' double mark
        if c in SINGLE_OPEN or c == "'":
            if (before.isspace() or before in "([—") and after.isalnum():
                marks.append((i, True))
                continue
        if c in SINGLE_CLOSE or c == "'":
            if not before.isspace() and not after.isalnum() and before != "s":
                marks.append((i, False))
    return marks


def _pair(marks: list[tuple[int, bool]]) -> list[tuple[int, int | None]]:
    """Pairs of (open, close) offsets; close is None when the paragraph ends inside the quote."""
    pairs: list[tuple[int, int | None]] = []
    open_at: int | None = None
    for pos, opening in marks:
        if opening:
            if open_at is None:
                open_at = pos
            # a second opening mark while open: keep the first (nested or typo)
        elif open_at is not None:
            pairs.append((open_at, pos + 1))
            open_at = None
    if open_at is not None:
        pairs.append((open_at, None))
    return pairs


def find_segments(text: str) -> list[Segment]:
    """All quoted segments, in text order."""
    segments: list[Segment] = []
    group = 0
    carry = False  # the previous paragraph ended inside a quote
    for lo, hi in _paragraphs(text):
        pairs = _pair(_double_marks(text, lo, hi))
        covered = [(a, b if b is not None else hi) for a, b in pairs]  # in order, disjoint
        covered_starts = [a for a, _ in covered]
        for a, b in _pair(_single_marks(text, lo, hi)):
            if b is None or b - a > 600:
                continue
            i = bisect.bisect_right(covered_starts, a) - 1
            if i >= 0 and a < covered[i][1]:
                continue  # nested inside a double quote
            pairs.append((a, b))
        pairs.sort()
        for k, (a, b) in enumerate(pairs):
            continues = carry and k == 0 and a == lo
            if not continues:
                group += 1
            if b is None:
                segments.append(Segment(a, hi, group))
            else:
                segments.append(Segment(a, b, group))
        # an unclosed quote carries over only if the next paragraph reopens at its start
        carry = bool(pairs) and pairs[-1][1] is None
    # drop unclosed segments that were not continued by the next paragraph
    out: list[Segment] = []
    for i, s in enumerate(segments):
        if (
            s.end < len(text)
            and text[s.end - 1] not in DOUBLE_CLOSE + "\"'’›"
            and not _continued(segments, i)
        ):
            # open part of a paragraph: keep only when the next segment continues the group
            continue
        out.append(s)
    return out


def _continued(segments: list[Segment], i: int) -> bool:
    return i + 1 < len(segments) and segments[i + 1].group == segments[i].group
