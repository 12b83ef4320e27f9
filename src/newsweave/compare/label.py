"""A figure's label as a journalist would write it ("people killed in the strike"), from its own sentence.

The label is made of words of the sentence only (nothing is invented), in three parts:

- the counted thing: the words right after the figure ("12 *people*", "352,000 *Afghan troops*", "60 of its
  *schools*"), or, for a measure, what it measures ("*winds* of 75mph", "20% of the *territory*");
- what happened to it: a participle after it ("12 people *were killed*", "over 80 *injured*") or the verb
  before the figure turned into one ("*killing* 12 people" -> "killed", "*left* 5,000 homeless" keeps "left");
- where or when, when a preposition follows ("in the Kyiv strike", "across the country"), up to four words.

A group's label is the fullest one among its mentions (counted thing and event first); a figure that gives
none of them keeps the plain window of words around it (:func:`window`).
"""

from __future__ import annotations

import re

from newsweave.analyse.numfind import NumMention
from newsweave.text import STOP_WORDS

_TOKEN = re.compile(r"[^\W_]+(?:[-'\u2019][^\W_]+)*|[^\w\s]")
_AUX = frozenset("was were is are be been being has have had got get gets reportedly".split())
_SKIP = frozenset("of the a an its their his her our these those".split())
# prepositions that open a where / when / what-in tail
_TAIL = frozenset("in at on near during after across from over against among inside outside by".split())
_TAIL_STOP = frozenset("and or but which who that when while as because said says".split()) | _AUX
# -ing verbs whose participle is not the regular -ed one
_IRREGULAR = {
    "making": "made", "leaving": "left", "taking": "taken", "bringing": "brought", "sending": "sent",
    "holding": "held", "putting": "put", "keeping": "kept", "finding": "found", "giving": "given",
    "seeing": "seen", "losing": "lost", "getting": "got", "hitting": "hit", "cutting": "cut",
    "winning": "won", "selling": "sold", "paying": "paid", "building": "built", "spending": "spent",
    "shooting": "shot", "dying": "died", "setting": "set", "driving": "driven", "raising": "raised",
    "leading": "led", "bearing": "borne", "beating": "beaten", "stealing": "stolen", "freeing": "freed",
}  # fmt: skip
# -ed / -ing words that are not verbs here
_NOT_VERBS = frozenset(
    "red hundred bed need speed seed feed shed bring king thing ring wing spring meaning including during"
    " included contained containing remained remaining worth".split()
)
# measures: the figure says how much, the counted thing is named before ("winds of 75mph") or after ("20% of
# the territory")
_MEASURED = frozenset({"percent", "speed", "m", "m2", "g", "days", "hours", "age"})


def _tokens(text: str, start: int) -> list[tuple[int, int, str]]:
    return [(start + m.start(), start + m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def _word(tok: str) -> bool:
    return tok[:1].isalpha()


def _participle(w: str, before: bool) -> str | None:
    lw = w.lower()
    if lw in _NOT_VERBS or len(lw) < 4 or lw in STOP_WORDS or w[:1].isupper() and not before:
        return None
    if lw.endswith("ed") or lw in ("hurt", "left", "held", "shot"):
        return lw
    if before and lw.endswith("ing"):
        if lw in _IRREGULAR:
            return _IRREGULAR[lw]
        stem = lw[:-3]
        if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "ls":
            return stem + "ed"  # "shipping" -> "shipped"
        return stem + ("d" if stem.endswith("e") else "ed")
    return None


def number_label(text: str, sent: tuple[int, int], m: NumMention) -> tuple[int, str] | None:
    """(fullness, label) for one figure, or None when its sentence names nothing around it."""
    if m.dim in ("year", "date", "age"):
        return None  # "[2012] was sentenced": a year or an age names no counted thing; the window says more
    s, e = sent
    toks = _tokens(text[s:e], s)
    inside = [i for i, (a, b, _) in enumerate(toks) if a < m.end and b > m.start]
    if not inside:
        return None
    lo, hi = inside[0], inside[-1]
    counted: list[str] = []
    k = hi + 1
    measured = m.dim in _MEASURED or m.dim.startswith("money")
    named_before = False
    if measured:
        # "winds of 75mph": the noun phrase before "of"; "20% of the territory": after
        if lo >= 2 and toks[lo - 1][2].lower() == "of" and _word(toks[lo - 2][2]):
            j = lo - 2
            while j >= 0 and _word(toks[j][2]) and toks[j][2].lower() not in STOP_WORDS and lo - 2 - j < 3:
                counted.insert(0, toks[j][2])
                j -= 1
            named_before = bool(counted)
        elif k + 1 < len(toks) and toks[k][2].lower() == "of":
            k += 1
    if not counted:
        while k < len(toks) and toks[k][2].lower() in _SKIP:
            k += 1
        while k < len(toks) and len(counted) < 3:
            w = toks[k][2]
            if not _word(w) or len(w) < 2 or w.lower() in STOP_WORDS | _TAIL or _participle(w, False):
                break
            counted.append(w)
            k += 1
    verb = None
    j = k
    while j < len(toks) and toks[j][2].lower() in _AUX:
        j += 1
    if j < len(toks) and _word(toks[j][2]):
        verb = _participle(toks[j][2], False)
        if verb:
            k = j + 1
    if verb is None:
        # "killing at least 12 people": the verb before the figure (its hedge is part of the figure)
        b = lo - 1
        if b >= 0 and _word(toks[b][2]):
            verb = _participle(toks[b][2], True)
    tail: list[str] = []
    if k < len(toks) and toks[k][2].lower() in _TAIL:
        for _, _, w in toks[k : k + 5]:
            if not _word(w) or w.lower() in _TAIL_STOP or (tail and _participle(w, False)):
                break
            tail.append(w)
        if len(tail) < 2 or all(t.lower() in STOP_WORDS for t in tail[1:]):
            tail = []
        while tail and tail[-1].lower() in STOP_WORDS:
            tail.pop()
    if not verb and not named_before and (len(counted) < 2 and not (counted and tail)):
        return None  # one word ("letters", "total") says less than the window
    parts = [" ".join(counted), verb or "", " ".join(tail)]
    label = " ".join(p for p in parts if p)
    fullness = 2 * bool(counted) + 2 * bool(verb) + bool(tail)
    return fullness, label


def window(text: str, sent: tuple[int, int], m: NumMention) -> str:
    """The figure with up to three words either side, from its sentence: "ferry crash left [11] passengers hurt and"."""
    s, e = sent
    before = re.search(r"(?:\S+\s+){0,3}$", text[s : m.start])
    after = re.match(r"(?:\s*\S+){0,3}", text[m.end : e])
    b = before.group(0) if before else ""
    a = after.group(0) if after else ""
    return " ".join(f"{b}[{m.text}]{a}".split()).strip(" ,.;:")
