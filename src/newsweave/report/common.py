"""Helpers shared by the report formats: titles, per-source columns, highlighted article segments."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from newsweave.compare.result import Claim, Comparison, DiffOp, Evidence, QuoteGroup

STATUS_NOTE = {
    "shared": "said alike by several sources",
    "partial": "a fact in common, more besides",
    "contradicts": "same fact, conflicting figures",
    "single": "only in one source",
    "identical": "same words",
    "truncated": "one is a cut of the other",
    "reworded": "words differ",
    "agree": "figures agree",
    "conflict": "figures conflict",
}


def title_of(c: Comparison) -> str:
    """The story's headline (one rule for stories, story and report), else the first title there is."""
    if c.headline:
        return c.headline
    for s in c.sources:
        if s.title:
            return s.title
    return "Story comparison"


def summary_line(s: dict) -> str:
    """The counts of a comparison's summary (:func:`newsweave.report.json_report.summary`) as one sentence,
    the same in Markdown and in the terminal."""
    cl, q, n = s["claims"], s["quotes"], s["numbers"]
    arts, indep = s["articles"], s["independent_sources"]
    return (
        f"{arts} article{'s' * (arts != 1)}, {indep} independent source{'s' * (indep != 1)}. "
        f"Claims: {cl['shared']} shared, {cl['partial']} partial, {cl['contradicts']} contradicting, "
        f"{cl['single']} single. Quotes: {q['identical']} identical, {q['truncated']} truncated, "
        f"{q['reworded']} reworded. Numbers: {n['agree']} agree, {n['conflict']} conflict."
    )


def short_time(iso: str | None) -> str:
    """A publication time as a reader wants it: "2014-08-05 19:43 -04:00" for "2014-08-05T19:43:52.156-04:00"
    (seconds and fractions dropped, the offset kept); a date alone stays as it is, anything unparsed too."""
    if not iso:
        return ""
    m = _ISO.fullmatch(iso.strip())
    if not m:
        return iso
    day, hm, zone = m.group(1), m.group(2), m.group(3)
    if not hm:
        return day
    zone = {"Z": " UTC", "+00:00": " UTC"}.get(zone or "", f" {zone}" if zone else "")
    return f"{day} {hm}{zone}"


_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?")


def at_odds_text(c: Comparison, claim: Claim) -> str:
    """What a ``contradicts`` claim rests on, as one line: each number group at odds with its label and the
    figures of it that the claim's sentences carry ("n2 people killed: “24” (BBC News) / “26” (Reuters)")."""
    groups = {g.id: g for g in c.numbers}
    parts = []
    for gid in claim.at_odds:
        g = groups.get(gid)
        if g is None:
            continue
        inside = [
            f"\u201c{e.text}\u201d ({e.source})"
            for e in g.evidence
            if any(
                x.article_id == e.article_id and x.start <= e.start and e.end <= x.end for x in claim.evidence
            )
        ]
        parts.append(f"{gid} {g.what}: {' / '.join(inside)}")
    return "; ".join(parts)


def by_source(c: Comparison, evidence: Iterable[Evidence]) -> dict[str, list[Evidence]]:
    """Evidence grouped by article id, in the sources' order."""
    out: dict[str, list[Evidence]] = {s.article_id: [] for s in c.sources}
    for e in evidence:
        out.setdefault(e.article_id, []).append(e)
    return out


@dataclass(frozen=True)
class Utterance:
    """One quotation as the reports show it: its pieces (quote items of one ``utterance``: split around the
    attribution, cut into sentences) with one status and one speaker."""

    status: str
    speaker: str | None
    pieces: tuple[QuoteGroup, ...]

    @property
    def evidence(self) -> list[Evidence]:
        return sorted((e for p in self.pieces for e in p.evidence), key=lambda e: e.start)

    @property
    def diffs(self) -> list[tuple[tuple[str, str], tuple[DiffOp, ...]]]:
        """(the two article ids compared, word diff) of each piece whose words differ."""
        return [
            (p.diff_pair, p.diff)
            for p in self.pieces
            if p.diff_pair is not None and any(d.op != "equal" for d in p.diff)
        ]


_RANK = {"identical": 0, "truncated": 1, "reworded": 2}


def utterances_of(c: Comparison) -> list[Utterance]:
    """The quotes rendered by two sources or more, the pieces of one utterance together (in the order of
    their first piece); a quote item without an ``utterance`` is one on its own."""
    pieces: dict[str, list[QuoteGroup]] = {}
    for q in c.quotes:
        if q.status != "single":
            pieces.setdefault(q.utterance or q.id, []).append(q)
    out = []
    for ps in pieces.values():
        status = max((p.status for p in ps), key=lambda s: _RANK.get(s, 0))
        speaker = next((p.speaker for p in ps if p.speaker), None)
        out.append(Utterance(status, speaker, tuple(ps)))
    return out


def highlight_spans(c: Comparison) -> dict[str, list[tuple[int, int, str, str]]]:
    """Per article: (start, end, kind, item id) of the evidence worth marking in the full text."""
    spans: dict[str, list[tuple[int, int, str, str]]] = {s.article_id: [] for s in c.sources}
    for q in c.quotes:
        if q.status != "single":
            for e in q.evidence:
                spans.setdefault(e.article_id, []).append((e.start, e.end, "quote", q.id))
    for n in c.numbers:
        kind = "conflict" if n.status == "conflict" else "number" if n.status == "agree" else "single-number"
        for e in n.evidence:
            spans.setdefault(e.article_id, []).append((e.start, e.end, kind, n.id))
    for cl in c.claims:
        if cl.status == "single":
            for e in cl.evidence:
                spans.setdefault(e.article_id, []).append((e.start, e.end, "unique", cl.id))
    return spans


def segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[tuple[str, str | None, str | None]]:
    """The text cut into (piece, kind, item id); overlapping marks: the shorter (more specific) wins."""
    n = len(text)
    owner: list[int] = [-1] * n
    order = sorted(range(len(spans)), key=lambda k: -(spans[k][1] - spans[k][0]))
    for k in order:  # longer first, so shorter ones overwrite them
        s, e = max(0, spans[k][0]), min(n, spans[k][1])
        for i in range(s, e):
            owner[i] = k
    out: list[tuple[str, str | None, str | None]] = []
    i = 0
    while i < n:
        j = i
        while j < n and owner[j] == owner[i]:
            j += 1
        k = owner[i]
        out.append((text[i:j], spans[k][2] if k >= 0 else None, spans[k][3] if k >= 0 else None))
        i = j
    return out


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links (no javascript: or data: links from article metadata)."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None
