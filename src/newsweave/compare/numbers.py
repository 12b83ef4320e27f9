"""Group the same quantity across sources and decide agree / conflict / single.

Two mentions in different articles are linked when their dimensions match (a count with a count, a
duration with a duration, ...) and their contexts are alike: a cosine of idf-weighted word stems of the
sentence, each weighted by its distance to the number (``1 / (1 + d / 4)`` tokens), so the counted noun
and the verb next to the figure weigh most. Compatible values need less context than incompatible ones:

- an agreeing pair needs ``ctx >= AGREE_CTX`` (lower for distinctive figures such as 71.7 or $2.5 million,
  higher for small integers, which recur for unrelated facts);
- a conflicting pair needs ``ctx + NEAR_BONUS * shared near words >= CONFLICT_CTX``, values within a factor
  of ``CONFLICT_RATIO`` (years within ``CONFLICT_YEARS``), and the counted thing named alike right after
  both figures ("24 people" / "26 people") or, when one figure names none, two words in common beside the
  figures: spurious conflicts are the costliest mistake, so an unsure pair stays two single figures.

Two figures whose sentences the claims link (the fact-link model says they state a common fact) get
``STATED_BONUS`` of context; a stated share, sum or measure stands for what rounds to it ("54 percent" /
"53.99 percent"); figures at odds join one group only when they could count one thing (the counted words
not named differently, "people" naming nothing).

A figure whose sentence names only years two or more before the report's (a dated URL of the story gives the
year) is never linked to one whose sentence names no year but the report's own days ("on Thursday",
"today"): an earlier storm's toll is no misreport of this week's (:func:`other_times`; from the unlabelled
galaxy stories, docs/quality.md). A figure with a modal verb just before it ("can carry only 140") is a
capacity or a forecast: it may agree with another figure but is never at odds with one.

Within each pair of articles the links are one to one (best context first), then the links are merged
into groups, never putting two incompatible values of one article in the same group. A group is
``conflict`` when two of its articles give incompatible values, ``agree`` otherwise, ``single`` when only
one article has it. Calibrated on shared/data/cross-source-dev with shared/tools/score_cross.py (see the
figures in docs/compare-schema.md); the values below are the chosen ones.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from newsweave.analyse.numbers import HEDGES
from newsweave.analyse.numfind import NumMention
from newsweave.compare.text import Idf, cosine
from newsweave.text import STOP_WORDS, stem, word_spans
from newsweave.unionfind import DisjointSets

AGREE_CTX = 0.22  # ordinary figures
AGREE_CTX_DISTINCT = 0.08  # decimals, money, measures, figures >= 100 that are not years
AGREE_CTX_SMALL = 0.30  # integers <= 12 without a unit
AGREE_CTX_RELATIVE = 0.05  # "next year" in two reports (resolved from the same reference year)
RANGE_CONFLICT_CTX = 0.15
# the same year in two reports needs a little shared context: 0.0 linked every "2009" of an election story
# (the 2009 fraud, an officer's 2009 posting). Fit half (2026-12-07): 0.0 -> numbers P 0.844 R 0.934; 0.05 ->
# 0.894 / 0.934; 0.1 -> 0.918 / 0.894; 0.22 -> 0.916 / 0.868. Chosen: 0.05, the highest with no recall lost.
AGREE_CTX_YEAR = 0.05
CONFLICT_CTX = 0.45
CONFLICT_RATIO = 2.0
CONFLICT_YEARS = 3
DIST_SCALE = 4.0
NEAR_BONUS = 0.05  # per stem shared within 3 words of both figures ("people injured")
PREV_WEIGHT = 0.15
# added to the context similarity of two figures whose sentences the fact-link model links (a claim): fit
# half grid 0 / 0.1 / 0.2 / 0.3 / 0.5 -> numbers R 0.934 / 0.940 / 0.954 / 0.954 / 0.954, P 0.905 -> 0.912 on
# the plateau; chosen 0.3, its middle (docs/quality.md)
STATED_BONUS = 0.3


@dataclass
class Located:
    """A mention with the article it is in and the context vector around it."""

    article: str
    index: int  # the article's position in the story
    m: NumMention
    sent: tuple[int, int]
    ctx: dict[str, float] = field(default_factory=dict)
    near: set[str] = field(default_factory=set)  # stems within 3 tokens
    head: set[str] = field(default_factory=set)  # the counted thing: content stems right after the figure
    # when the sentence is set: it names only years two or more before the report's ("killed seven people in
    # Jamaica in 2008"), or it names no year but the report's own days ("on Thursday", "today")
    past: bool = False
    present: bool = False
    modal: bool = False  # "can carry only 140", "could affect up to 60 million": a capacity or a forecast


def context_vectors(text: str, sents: list[tuple[int, int]], items: list[Located], idf: Idf) -> None:
    """Fill ``ctx`` and ``near`` of each mention from its sentence (and, at ``PREV_WEIGHT``, the sentence
    before it: "Brockie was found dead ... He was 50.")."""
    starts = [s for s, _ in sents]
    for it in items:
        a, b = it.sent
        toks = word_spans(text[a:b])
        mpos = [i for i, (s, e, _) in enumerate(toks) if a + s < it.m.end and a + e > it.m.start]
        if not mpos:
            continue
        lo, hi = min(mpos), max(mpos)
        it.head = _head(toks, hi, text[a:b])
        it.modal = any(w.lower() in _MODALS for _, _, w in toks[max(0, lo - MODAL_REACH) : lo])
        vec: dict[str, float] = defaultdict(float)
        near: set[str] = set()
        for i, (_, _, w) in enumerate(toks):
            if lo <= i <= hi or w in STOP_WORDS or w.isdigit():
                continue
            d = lo - i if i < lo else i - hi
            st = stem(w)
            vec[st] += idf(st) / (1.0 + (d - 1) / DIST_SCALE)
            if d <= 3 and len(w) > 1 and w not in _NOT_HEAD:
                near.add(st)
        k = bisect.bisect_right(starts, a) - 2
        if 0 <= k < len(sents) and sents[k][1] <= a:
            ps, pe = sents[k]
            for _, _, w in word_spans(text[ps:pe]):
                if w not in STOP_WORDS and not w.isdigit():
                    st = stem(w)
                    vec[st] += PREV_WEIGHT * idf(st)
        it.ctx = dict(vec)
        it.near = near


# words that end the counted thing's name and are no evidence of one referent beside a figure: prepositions
# and adverbs not in STOP_WORDS. From the conflicts on unlabelled galaxy events ("four Americans, including
# U.S. ..." / "including seven U.N. workers" made a conflict); no change on the fit half, report half
# numbers P 0.874 -> 0.878, conflicts P 0.632 -> 0.667 (docs/quality.md)
_NOT_HEAD = frozenset(
    "including behind ahead ago across against among around near within beyond toward towards via despite"
    " amid inside outside earlier later last next compared versus vs".split()
)
# a figure with a modal verb shortly before it says what can or could be, not what was counted: it may agree
# with another figure but is never at odds with one ("can carry only 140 passengers", a spare ferry's
# capacity, against the 212 on board). From the project's sample corpus (examples/); MODAL_REACH: the
# words before the figure looked at, as far as "can carry only [140]" and "could affect up to [60 million]"
_MODALS = frozenset("can could may might would will should must".split())
MODAL_REACH = 4
_HEAD_SKIP = frozenset({"of", "the", "a", "an", "its", "their", "his", "her", "our", "more", "other"})


def _head(toks: list[tuple[int, int, str]], last: int, text: str = "") -> set[str]:
    """Stems of up to two content words right after the figure, through "of the" ("13 soldiers", "70 bids",
    "a fifth of the territory", "26 people wounded"), stopping at a figure, a punctuation mark, a
    preposition or adverb ("four Americans, including", "15 points behind", "eight years ago") or a letter
    of an abbreviation ("seven U.N. workers"); empty when none follows."""
    out: set[str] = set()
    prev_end = toks[last][1] if 0 <= last < len(toks) else 0
    for s, e, w in toks[last + 1 : last + 5]:
        if w.isdigit() or len(out) == 2:
            break
        if any(c in ",;:()" for c in text[prev_end:s]) or w in _NOT_HEAD or len(w) < 2:
            break
        prev_end = e
        if w in _HEAD_SKIP:
            continue
        if w in STOP_WORDS:
            break
        out.add(stem(w))
    return out


# words that count without naming what is counted: "197 people" may be "194 Palestinians"
_GENERIC_HEADS = frozenset(stem(w) for w in ("people", "persons", "individuals", "others", "ones"))


def same_referent(a: Located, b: Located) -> bool | None:
    """True when the counted things are named alike, False when both are named and share no word, None
    when one of them names none (the context decides)."""
    ha, hb = a.head - _GENERIC_HEADS, b.head - _GENERIC_HEADS
    if not ha or not hb:
        return None
    # "over 190 killed" / "197 people were killed": the counted thing of one is beside the other's figure
    return bool(ha & hb or ha & b.near or hb & a.near)


def comparable(a: NumMention, b: NumMention) -> bool:
    if a.dim == b.dim:
        if a.dim == "year" and a.relative and b.relative is None and "unsure" in a.relative:
            return False
        if b.dim == "year" and b.relative and a.relative is None and "unsure" in b.relative:
            return False
        return True
    # "He was 50" (a bare count) and "50-year-old"
    return {a.dim, b.dim} == {"count", "age"} and not (a.is_range or b.is_range)


def compatible(a: NumMention, b: NumMention) -> bool:
    if a.dim == "date" or b.dim == "date":
        return a.low == b.low
    if a.month and b.month and a.month != b.month:
        return False
    # 4 % for a conversion between two units ("40-foot" / "12-metre"), none within one ("32,000 feet" is not
    # "33,000 feet")
    tol = 0.04 if (a.converted or b.converted) and a.unit != b.unit else 1e-9
    if a.is_range and b.is_range:
        return _close(a.low, b.low, tol) and _close(a.high, b.high, tol)
    # a stated share, sum or measure stands for everything that rounds to it: "54 percent" and "53.99 percent"
    # agree, "5.5 percent" and "5.6 percent" do not (half the place value of the last digit written, of the
    # coarser figure). Not for counts and durations: "two years" is not a rounded "1.6 years", "18" no "18.5".
    r = 0.5 * max(_step(a), _step(b)) if a.dim not in _UNROUNDED and b.dim not in _UNROUNDED else 0.0
    lo = max(a.low * (1 - tol), b.low * (1 - tol)) - r
    hi = min(a.high * (1 + tol), b.high * (1 + tol))
    if facing(a, b):
        return False
    return lo <= hi + 1e-9 * max(abs(lo), 1.0)


def facing(a: NumMention, b: NumMention) -> bool:
    """A lower and an upper bound meeting at one figure that one of them leaves out: "more than 300" and "as
    many as 300" have no value in common, yet they are hardly two outlets disagreeing either. Such a pair is
    neither agree nor conflict: it is never linked nor put in one group (an unsure pair stays apart)."""
    return _facing(a, b) or _facing(b, a)


def _facing(lower: NumMention, upper: NumMention) -> bool:
    if lower.is_range or upper.is_range or not lower.open_high or HEDGES.get(upper.hedge or "") != "<=":
        return False
    return lower.low == upper.high and (lower.strict == "low" or upper.strict == "high")


_UNROUNDED = frozenset({"count", "age", "days", "hours", "year", "date"})


def _step(m: NumMention) -> float:
    return m.step if m.exact is not None or m.hedge else 0.0


def _close(x: float, y: float, tol: float) -> bool:
    if math.isinf(x) or math.isinf(y):
        return x == y
    return abs(x - y) <= tol * max(abs(x), abs(y), 1e-9)


def _value(m: NumMention) -> float:
    if m.exact is not None:
        return m.exact
    if math.isinf(m.high) or m.open_high:  # "more than 350,000": its bound, not the middle up to the 2x cap
        return m.low
    return (m.low + m.high) / 2


def plausible_conflict(a: NumMention, b: NumMention) -> bool:
    if a.dim == "date" or b.dim == "date" or a.relative or b.relative:
        return False
    va, vb = _value(a), _value(b)
    if a.dim == "year":
        return abs(va - vb) <= CONFLICT_YEARS
    if va <= 0 or vb <= 0:
        return False
    return max(va, vb) / min(va, vb) <= CONFLICT_RATIO


def very_distinctive(a: NumMention, b: NumMention) -> bool:
    """The same exact figure with decimals, money, a measure, or >= 100: rarely a coincidence in one story."""
    if a.exact is None or b.exact is None or a.dim in ("year", "date", "age"):
        return False
    if a.dim == "percent":  # "40 percent" of a poll and of an import share: whole shares recur
        return not float(a.exact).is_integer()
    return a.dim != "count" or not float(a.exact).is_integer() or a.exact >= 100


def distinctive(m: NumMention) -> bool:
    if m.dim == "year" or m.relative:
        return False
    v = _value(m)
    return m.dim != "count" or not float(v).is_integer() or v >= 100


_PRESENT = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|tonight|yesterday|this (?:week|morning"
    r"|afternoon|evening))\b"
)


def mark_times(text: str, items: list[Located], ref_year: int | None) -> None:
    """Set ``past`` and ``present`` of each mention from its sentence (one article's mentions, all found)."""
    years: dict[tuple[int, int], list[int]] = defaultdict(list)
    for it in items:
        if it.m.dim == "year" and it.m.exact is not None and not it.m.relative:
            years[it.sent].append(int(it.m.exact))
    for it in items:
        ys = years.get(it.sent, [])
        if ys:
            it.past = ref_year is not None and max(ys) <= ref_year - 2
        else:
            it.present = _PRESENT.search(text, it.sent[0], it.sent[1]) is not None


def other_times(a: Located, b: Located) -> bool:
    """One figure told of an event years before the report, the other of the report's own days: a storm's
    toll this Thursday is not an earlier storm's of 2008 ("killed seven people in Jamaica in 2008")."""
    return (a.past and b.present) or (b.past and a.present)


def link_score(a: Located, b: Located, stated: bool = False) -> tuple[float, str] | None:
    """(score, 'agree'|'conflict') when a and b look like the same fact, else None. ``stated``: the two
    sentences were linked as stating a common fact (:mod:`newsweave.compare.facts`), which stands for part
    of the context the figures need."""
    if not comparable(a.m, b.m) or facing(a.m, b.m) or other_times(a, b):
        return None
    agree = compatible(a.m, b.m)
    if not agree and (a.m.dim != b.m.dim or not plausible_conflict(a.m, b.m)):
        return None  # checked before the (costlier) context similarity
    ref = same_referent(a, b) if a.m.dim not in ("year", "date") else None
    ctx = cosine(a.ctx, b.ctx) + (STATED_BONUS if stated else 0.0)
    near = len(a.near & b.near)
    if agree:
        if a.m.dim == "year" and not (a.m.relative or b.m.relative):
            need = AGREE_CTX_YEAR
        elif a.m.relative and a.m.relative == b.m.relative:
            need = AGREE_CTX_RELATIVE
        elif very_distinctive(a.m, b.m):
            need = 0.0
        elif distinctive(a.m):
            need = AGREE_CTX_DISTINCT
        else:
            need = AGREE_CTX_SMALL if a.m.small or b.m.small else AGREE_CTX
        if ctx + NEAR_BONUS * near >= need:
            return ctx + NEAR_BONUS * near + 0.5, "agree"
        return None
    if a.modal or b.modal:
        return None  # what can or could be is at odds with nothing
    if (
        a.m.is_range
        and b.m.is_range
        and a.m.low <= b.m.high
        and b.m.low <= a.m.high
        and ctx >= RANGE_CONFLICT_CTX
    ):
        return ctx, "conflict"  # overlapping ranges for one thing ("10 to 15" / "10-14")
    # a conflict is a strong claim: the counted thing named alike, or (unnamed on one side) two words in common
    # beside the figures, on top of the context similarity
    if ctx + NEAR_BONUS * near >= CONFLICT_CTX and (ref is True or (ref is None and near >= 2)):
        return ctx, "conflict"
    return None


def group_numbers(
    items: list[Located], stated: set[tuple[int, int, int, int]] | None = None
) -> list[tuple[str, list[Located]]]:
    """Groups as (status, mentions); every mention is in exactly one group. ``stated``: pairs of sentences
    (article index, start, article index, start; lower index first) that state a common fact."""
    stated = stated or set()
    by_art: dict[int, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        by_art[it.index].append(i)
    edges: list[tuple[float, int, int]] = []
    arts = sorted(by_art)
    for x in range(len(arts)):
        for y in range(x + 1, len(arts)):
            cand = []
            for i in by_art[arts[x]]:
                for j in by_art[arts[y]]:
                    a, b = items[i], items[j]
                    r = link_score(a, b, (a.index, a.sent[0], b.index, b.sent[0]) in stated)
                    if r is not None:
                        cand.append((r[0], i, j))
            cand.sort(reverse=True)
            used_i: set[int] = set()
            used_j: set[int] = set()
            for sc, i, j in cand:
                if i in used_i or j in used_j:
                    continue
                used_i.add(i)
                used_j.add(j)
                edges.append((sc, i, j))
    edges.sort(reverse=True)
    sets = DisjointSets(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}

    for _, i, j in edges:
        ri, rj = sets.find(i), sets.find(j)
        if ri == rj or not _mergeable(items, members[ri], members[rj]):
            continue
        sets.union(ri, rj)
        members[ri].extend(members.pop(rj))
    out: list[tuple[str, list[Located]]] = []
    for root in sorted(
        members, key=lambda r: min(items[k].m.start + 10**9 * items[k].index for k in members[r])
    ):
        g = sorted((items[k] for k in members[root]), key=lambda it: (it.index, it.m.start))
        out.append((_status(g), g))
    return out


def _mergeable(items: list[Located], g1: list[int], g2: list[int]) -> bool:
    for i in g1:
        for j in g2:
            a, b = items[i], items[j]
            if a.index == b.index and not compatible(a.m, b.m):
                return False
            if a.index != b.index and not compatible(a.m, b.m):
                # two figures at odds must be able to be one figure misreported: of one kind (a count is no
                # misreported age: "more than 40 killed" / "a 51-year-old"), close enough, not counting
                # things named differently ("three weapons" / "two handguns"), and not two bounds that only
                # touch ("more than 300" / "as many as 300")
                if (
                    a.m.dim != b.m.dim
                    or a.modal
                    or b.modal
                    or other_times(a, b)
                    or facing(a.m, b.m)
                    or not plausible_conflict(a.m, b.m)
                    or same_referent(a, b) is False
                ):
                    return False
    return True


def _status(g: list[Located]) -> str:
    if len({it.index for it in g}) < 2:
        return "single"
    for i, a in enumerate(g):
        for b in g[i + 1 :]:
            if a.index != b.index and not compatible(a.m, b.m):
                return "conflict"
    return "agree"
