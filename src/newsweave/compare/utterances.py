"""Quotes as utterances: the pieces of one quotation across articles, with one wording status.

A quotation is often printed in pieces: split around its attribution ("The steel arrived late," the
engineer said. "We need six more weeks..."), cut into sentences, or quoted selectively. :func:`newsweave.compare.quotes.
group_quotes` matches the pieces (sentence units) across articles; this module puts the matched pieces back
together:

- in one article, consecutive quoted stretches are one quotation when what stands between them is only an
  attribution (at most ``ATTRIBUTION_WORDS`` words with a reporting verb, in one paragraph) or a paragraph
  break with the quote left open (the convention of a quote that goes on), unless the two stretches name
  different speakers;
- the matched pieces of a quotation that an article prints split around its attribution are one utterance
  when the same articles quote each of them, each article in one quotation. A sentence that other outlets
  quote too, or that an article quotes apart, is the quotation "quoted selectively", and keeps its own item
  (the cross-source gold's unit: "a long statement quoted selectively gives one item per shared sentence");
  so are the sentences of a quotation every outlet prints in one stretch;
- a piece no other article quotes joins the utterance of its quotation (it stays ``single``);
- an utterance's status is the most divergent pair of articles, each article's rendering taken as the
  pieces it shares with the other one (so a sentence only one outlet quotes does not make the others
  "truncated"), compared as the gold compares renderings (:func:`newsweave.compare.quotes.relation`).

Every piece group of an utterance carries the utterance's status, "status per utterance" (issue #20): a
quote split around "he said" in one outlet, identical in its first sentence and reworded in its second, is
reworded throughout, not two items with two statuses. Measured on cross-source-dev (docs/quality.md).
"""

from __future__ import annotations

import dataclasses
import re

from newsweave.compare.quotes import SPEECH_VERBS, Fragment, quote_words, relation, rendering
from newsweave.unionfind import DisjointSets

# Most words between two stretches of one quotation: '," the county's chief engineer told reporters on the
# bridge on Friday. "' has 10; a sentence of narrative between two quotes is usually longer. On the fit half
# of cross-source-dev (issue #20) the quote figures are the same for any value from 8 to 20; 14 is the middle.
ATTRIBUTION_WORDS = 14
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.IGNORECASE)
_RANK = {"identical": 0, "truncated": 1, "reworded": 2}

Group = tuple[str, list[Fragment], tuple[int, int] | None]


def join_quotations(frags: list[Fragment], texts: dict[int, str]) -> list[Fragment]:
    """The quoted stretches (as :func:`~newsweave.compare.quotes.find_quotes` gives them, in text order per
    article) with ``utterance`` set: stretches of one quotation share the number (numbers are unique
    across the list)."""
    out: list[Fragment] = []
    for n, f in enumerate(frags):
        prev = out[-1] if out else None
        if prev is not None and prev.index == f.index and one_quotation(prev, f, texts[f.index]):
            out.append(dataclasses.replace(f, utterance=prev.utterance, part=prev.part + 1))
        else:
            out.append(dataclasses.replace(f, utterance=n))
    return out


def one_quotation(a: Fragment, b: Fragment, text: str) -> bool:
    """Whether stretch ``b`` goes on with the quotation of stretch ``a`` (``a`` before ``b``, one article)."""
    if b.start < a.end:
        return False
    if a.explicit and b.explicit and a.speaker and b.speaker and a.speaker != b.speaker:
        return False
    gap = text[a.end : b.start]
    if "\n" in gap:  # a quote that goes on in the next paragraph is left open at the paragraph's end
        return not re.search(r"[\w\"\u201d\u2019']", gap[: gap.index("\n")])
    return len(re.findall(r"[^\W_]+", gap)) <= ATTRIBUTION_WORDS and _VERB.search(gap) is not None


def utterances(groups: list[Group]) -> list[tuple[int, str]]:
    """(utterance number, utterance status) for each group of :func:`group_quotes`' list; numbers run from 0
    in the order of the groups. A group found in one article only keeps ``single``."""
    sets = DisjointSets(range(len(groups)))
    quotations: list[dict[int, set[int]]] = []  # per group: article -> the quotations its pieces are in
    holders: dict[tuple[int, int], list[int]] = {}  # (article, quotation) -> groups with a piece of it
    for gi, (_, frags, _) in enumerate(groups):
        q: dict[int, set[int]] = {}
        for f in frags:
            if f.utterance >= 0:
                q.setdefault(f.index, set()).add(f.utterance)
                holders.setdefault((f.index, f.utterance), []).append(gi)
        quotations.append(q)
    split = {(f.index, f.utterance) for _, frags, _ in groups for f in frags if f.part > 0}
    members: dict[int, list[int]] = {gi: [gi] for gi in range(len(groups))}  # root -> its groups
    for key, gs in holders.items():  # pieces found in two articles or more first: they make the utterances
        if key not in split:  # one stretch: each shared sentence keeps its own status (quoted selectively)
            continue
        shared = [g for g in dict.fromkeys(gs) if groups[g][0] != "single"]
        for gx, gy in zip(shared, shared[1:], strict=False):
            rx, ry = sets.find(gx), sets.find(gy)
            if rx != ry and all(
                _one_quotation_everywhere(quotations[a], quotations[b])
                for a in members[rx]
                for b in members[ry]
            ):
                sets.union(rx, ry)
                members[rx] += members.pop(ry)
    for gs in holders.values():  # a piece no other article quotes joins its quotation's utterance
        shared = [g for g in gs if groups[g][0] != "single"]
        for g in gs:
            if groups[g][0] == "single" and shared and len(members.get(sets.find(g), ())) == 1:
                members[sets.find(shared[0])] += members.pop(sets.find(g))
                sets.union(sets.find(shared[0]), g)
    number: dict[int, int] = {}
    status: dict[int, str] = {}
    for together in sets.groups(range(len(groups))):
        root = sets.find(together[0])
        number[root] = len(number)
        status[root] = utterance_status([groups[g] for g in together])
    out = []
    for gi, (st, _, _) in enumerate(groups):
        root = sets.find(gi)
        out.append((number[root], st if st == "single" else status[root]))
    return out


def _one_quotation_everywhere(x: dict[int, set[int]], y: dict[int, set[int]]) -> bool:
    """Two pieces are one utterance when the same articles quote both, each in one quotation (a piece that
    other outlets quote too, or one that an article quotes apart, is the quotation quoted selectively:
    each such piece its own item)."""
    return x.keys() == y.keys() and all(x[a] & y[a] for a in x)


def utterance_status(groups: list[Group]) -> str:
    """The most divergent pair of articles over the utterance's shared pieces ("single" when none)."""
    shared = [g for g in groups if g[0] != "single"]
    if not shared:
        return "single"
    arts = sorted({f.index for _, frags, _ in shared for f in frags})
    worst = "identical"
    for i, a in enumerate(arts):
        for b in arts[i + 1 :]:
            both = [frags for _, frags, _ in shared if {a, b} <= {f.index for f in frags}]
            if not both:
                continue
            ra = rendering(_dedup([f for frags in both for f in frags if f.index == a]))
            rb = rendering(_dedup([f for frags in both for f in frags if f.index == b]))
            r = relation(ra, rb)
            if _RANK[r] > _RANK[worst]:
                worst = r
    return worst


def _dedup(frags: list[Fragment]) -> list[Fragment]:
    seen: set[tuple[int, int]] = set()
    out = []
    for f in frags:
        if (f.start, f.end) not in seen and quote_words(f.text):
            seen.add((f.start, f.end))
            out.append(f)
    return out
