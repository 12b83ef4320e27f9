"""The comparison as Markdown (GitHub flavour). Article text is HTML-escaped and table pipes are escaped,
so a Markdown viewer that renders inline HTML shows the text, never runs it."""

from __future__ import annotations

import html

from newsweave.compare.result import Comparison
from newsweave.report.common import (
    STATUS_NOTE,
    at_odds_text,
    by_source,
    short_time,
    summary_line,
    title_of,
    utterances_of,
)
from newsweave.report.json_report import summary


def _md(text: str | None, limit: int | None = None) -> str:
    t = " ".join((text or "").split())
    if limit and len(t) > limit:
        t = t[: limit - 3] + "..."
    return (
        html.escape(t, quote=False)
        .replace("|", "\\|")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("`", "\\`")
    )


SHOWN_ENTITIES = 40  # rows of the alias table; the JSON report has all


def render_markdown(c: Comparison) -> str:
    s = summary(c)
    names = {x.article_id: x.heading for x in c.sources}
    out = [f"# {_md(title_of(c))}", ""]
    out.append(summary_line(s))
    out += ["", "## Sources", "", "| Outlet | Headline | Date | Independent group |", "|---|---|---|---|"]
    for src in c.sources:
        rw = f" (copies {_md(names.get(src.rewrite_of, src.rewrite_of))})" if src.rewrite_of else ""
        out.append(
            f"| {_md(src.source)} | {_md(src.title)} | {_md(short_time(src.published_at))} | {src.independent_group + 1}{rw} |"
        )
    out += ["", "## Quotes across sources", ""]
    utterances = utterances_of(c)
    if not utterances:
        out.append("None quoted by two sources.")
    for q in utterances:  # one entry per utterance, its pieces together
        out.append(
            f"- **{q.status}** ({STATUS_NOTE.get(q.status, '')}), {_md(q.speaker or 'speaker not found')}:"
        )
        for aid, evs in by_source(c, q.evidence).items():
            for e in evs:
                out.append(f"  - {_md(names.get(aid, aid))}: \u201c{_md(e.text)}\u201d [{e.start}:{e.end}]")
        for _, diff in q.diffs:
            parts = []
            for d in diff:
                if d.op == "equal":
                    parts.append(_md(d.a))
                else:
                    parts.append(f"~~{_md(d.a)}~~ **{_md(d.b)}**".replace("~~~~ ", "").replace(" ****", ""))
            out.append(f"  - diff: {' '.join(parts)}")
    out += ["", "## Numbers across sources", ""]
    if all(n.status == "single" for n in c.numbers):
        out.append("None given by two sources.")
    else:
        out.append("| Status | What | " + " | ".join(_md(x.source) for x in c.sources) + " |")
        out.append("|---|---|" + "---|" * len(c.sources))
    for n in c.numbers:
        if n.status == "single":
            continue
        cells = [", ".join(_md(e.text) for e in evs) for evs in by_source(c, n.evidence).values()]
        what = _md(n.what) + (f" ({_md(n.note)})" if n.note else "")
        out.append(f"| {n.status} | {what} | " + " | ".join(cells) + " |")
    out += ["", "## Claims", ""]
    if all(cl.status == "single" for cl in c.claims):
        out.append("None stated by two sources.")
    for cl in c.claims:
        if cl.status == "single":
            continue
        # the claim's own sentence first, then where the other outlets state a fact of it
        anchor = next((e for e in cl.evidence if e.text == cl.text), cl.evidence[0])
        who = _md(names.get(anchor.article_id, anchor.article_id))
        out.append(f"- **{cl.status}** (p >= {cl.score}), {who}: {_md(anchor.text)}")
        for e in cl.evidence:
            if e is not anchor:
                out.append(f"  - {_md(names.get(e.article_id, e.article_id))}: {_md(e.text)}")
        if cl.at_odds:
            out.append(f"  - figures at odds: {_md(at_odds_text(c, cl))}")
    out += ["", "### Only in one source", ""]
    if not any(cl.status == "single" for cl in c.claims):
        out.append("None.")
    for cl in c.claims:
        if cl.status == "single":
            e = cl.evidence[0]
            out.append(f"- {_md(names.get(e.article_id, e.article_id))}: {_md(e.text)}")
    out += ["", "## Entities (alias table)", ""]
    if len(c.entities) > SHOWN_ENTITIES:
        out += [f"The first {SHOWN_ENTITIES} of {len(c.entities)} (all in the JSON report).", ""]
    out.append("| Entity | " + " | ".join(_md(x.source) for x in c.sources) + " |")
    out.append("|---|" + "---|" * len(c.sources))
    for r in c.entities[:SHOWN_ENTITIES]:
        forms = dict(r.forms)
        out.append(
            f"| {_md(r.canonical)} | "
            + " | ".join(_md(", ".join(forms.get(x.article_id, ()))) for x in c.sources)
            + " |"
        )
    out += ["", "## Framing", ""]
    for lead in c.framing.leads:
        fp = lead.first_paragraph.text if lead.first_paragraph else ""
        out.append(
            f"- **{_md(lead.source)}** leads with: {_md(lead.headline or '(no headline)')}. {_md(fp, 300)}"
        )
        words = [f"{_md(w.word)} ({w.category})" for w in c.framing.loaded if w.article_id == lead.article_id]
        out.append(f"  - loaded wording: {', '.join(words) or 'none found'}")
    if c.framing.attribution:
        out += ["", "### Attribution differences", ""]
        for a in c.framing.attribution:
            who = _md(a.attributed_to or "stated as fact")
            out.append(f"- {a.claim_id} {_md(a.source)}: {who}: {_md(a.evidence.text, 200)}")
    if c.framing.timeline:
        out += ["", "### Timeline", ""]
        for t in c.framing.timeline:
            out.append(f"- {t.date}: {_md(t.label)} ({_md(t.evidence.source)})")
    if c.changes:
        out += ["", "## Changed after publication", ""]
        out += [f"- **{_md(x.source)}**: {_md(x.description)}" for x in c.changes]
    return "\n".join(out) + "\n"
