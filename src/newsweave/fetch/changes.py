"""What changed between two versions of an article: the headline, the numbers, the quotes, the words.

``changes_between(old, new)`` gives :class:`Change` values the comparison and the web app show as
sentences ("toll updated from 12 to 14 at 14:05 UTC"). The numbers are read by the analysis stage's own
quantities (:func:`newsweave.analyse.figures.read_quantities`: the one finder the comparison also uses, so
"Flight 17" or "BBC Radio 4" is no number here either) inside the passages a word diff finds replaced, so a
number is paired with the number that took its place; what it counts is the counted noun the reader found,
else the nearest noun-like word before it ("the death toll rose to 14" -> "toll").
Quotes are found by their quotation marks (:mod:`newsweave.analyse.quotemarks`); a quote gone from the new
version is paired with the most similar new quote when they share most of their words (reworded), else
it is removed (and the new one added).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from newsweave.analyse.figures import read_quantities
from newsweave.analyse.quotemarks import find_segments
from newsweave.model import ArticleVersion, Quantity

# Two renderings of a quote are one quote reworded when difflib's ratio of their words reaches this:
# "We will rebuild every home" / "We will rebuild the homes" is 0.73, two unrelated quotes of a story
# score under 0.3; 0.6 sits between (set on hand-made pairs, not on a data set).
REWORDED_RATIO = 0.6
_NUMBER_KINDS = frozenset({"number", "range"})
# Words skipped when looking back from a number for what it is ("the toll rose to 14": skip "to", "rose").
_LINK_WORDS = frozenset(
    """a an the of to at by from in on is are was were be been has have had now now stands stood stand
    rose risen rises rise climbed climbs reached reaches increased increases decreased fell fallen falls
    dropped drops grew grows hit hits totals totalled totaled jumped soared updated revised put
    more than about around nearly almost over under least at up some just""".split()
)
_WORD_CHARS = re.compile(r"[^\w%$€£-]+")
_LOOKBACK = 4
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Change:
    """One change between two versions. ``kind``: headline, number, quote or text; ``subject``: what a
    number counts; ``before``/``after``: None for something added/removed; ``at``: the new version's
    fetch time."""

    kind: str
    before: str | None
    after: str | None
    at: datetime | None = None
    subject: str | None = None

    def describe(self) -> str:
        when = f" at {self.at.strftime('%H:%M')} UTC" if self.at else ""
        if self.kind == "number":
            return f"{self.subject or 'number'} updated from {self.before} to {self.after}{when}"
        if self.kind == "text":
            return f"text changed: {self.after}{when}"
        if self.before is None:
            return f'{self.kind} added: "{self.after}"{when}'
        if self.after is None:
            return f'{self.kind} removed: "{self.before}"{when}'
        return f'{self.kind} changed from "{self.before}" to "{self.after}"{when}'

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "before": self.before,
            "after": self.after,
            "subject": self.subject,
            "at": self.at.isoformat() if self.at else None,
            "description": self.describe(),
        }


def word_diff(a: str, b: str) -> list[tuple[str, str, str]]:
    """(op, words of ``a``, words of ``b``) with op equal, replace, delete or insert; words split on spaces."""
    wa, wb = a.split(), b.split()
    ops = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()
    return [(op, " ".join(wa[i1:i2]), " ".join(wb[j1:j2])) for op, i1, i2, j1, j2 in ops]


def changes_between(old: ArticleVersion, new: ArticleVersion) -> list[Change]:
    """Headline, number and quote changes from ``old`` to ``new``, then one line on the words changed."""
    at = new.fetched_at
    out: list[Change] = []
    if _squash(old.title) != _squash(new.title):
        out.append(Change("headline", old.title, new.title, at))
    out.extend(_number_changes(old.text, new.text, at))
    out.extend(_quote_changes(old.text, new.text, at))
    removed = added = 0
    for op, a, b in word_diff(old.text, new.text):
        if op != "equal":
            removed += len(a.split())
            added += len(b.split())
    if removed or added:
        out.append(Change("text", None, f"{_words(removed)} removed, {added} added", at))
    return out


def _words(n: int) -> str:
    return f"{n} word" if n == 1 else f"{n} words"


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _number_changes(old: str, new: str, at: datetime) -> list[Change]:
    ta, tb = _tokens(old), _tokens(new)
    qa_all, qb_all = _numbers(old), _numbers(new)
    wa, wb = [t for t, _, _ in ta], [t for t, _, _ in tb]
    out: list[Change] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if op != "replace":
            continue
        before = _inside(qa_all, ta, i1, i2)
        after = _inside(qb_all, tb, j1, j2)
        for qa, qb in zip(before, after, strict=False):
            if qa.value == qb.value and qa.low == qb.low and qa.high == qb.high:
                continue
            subject = qb.counted or qa.counted or _subject_before(wb, j1)
            out.append(Change("number", qa.text, qb.text, at, subject))
    return out


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _inside(quantities: list[Quantity], tokens: list[tuple[str, int, int]], i: int, j: int) -> list[Quantity]:
    """The quantities that overlap tokens ``i`` to ``j`` (exclusive)."""
    if i >= j:
        return []
    lo, hi = tokens[i][1], tokens[j - 1][2]
    return [q for q in quantities if q.span.start < hi and q.span.end > lo]


def _numbers(text: str) -> list[Quantity]:
    return [q for q in read_quantities(text, "") if q.figure is not None and q.kind in _NUMBER_KINDS]


def _subject_before(words: list[str], j: int) -> str | None:
    """The nearest word before position ``j`` that is not a linking or change word, within a few words."""
    for k in range(j - 1, max(-1, j - 1 - _LOOKBACK), -1):
        word = _WORD_CHARS.sub("", words[k]).lower()
        if words[k].endswith((".", "!", "?")):
            return None  # the previous sentence
        if word and word not in _LINK_WORDS and not word[0].isdigit():
            return word
    return None


def _quotes(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for segment in find_segments(text):
        inner = " ".join(segment.inner(text).split()).rstrip(",.;:")
        if len(inner.split()) >= 2:
            seen[inner] = None
    return list(seen)


def _quote_changes(old: str, new: str, at: datetime) -> list[Change]:
    qa, qb = _quotes(old), _quotes(new)
    folded_b = {q.casefold() for q in qb}
    folded_a = {q.casefold() for q in qa}
    gone = [q for q in qa if q.casefold() not in folded_b]
    came = [q for q in qb if q.casefold() not in folded_a]
    out: list[Change] = []
    for q in gone:
        best, score = None, 0.0
        for c in came:
            r = difflib.SequenceMatcher(
                None, q.casefold().split(), c.casefold().split(), autojunk=False
            ).ratio()
            if r > score:
                best, score = c, r
        if best is not None and score >= REWORDED_RATIO:
            came.remove(best)
            out.append(Change("quote", q, best, at))
        else:
            out.append(Change("quote", q, None, at))
    out.extend(Change("quote", None, c, at) for c in came)
    return out
