"""The comparison as rich tables in the terminal (article text printed as plain text, never as markup)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from newsweave.compare.result import Comparison
from newsweave.report.common import by_source, short_time, summary_line, title_of, utterances_of
from newsweave.report.json_report import summary
from newsweave.text import terminal_safe


def _text(s: str, style: str = "") -> Text:
    """Article text for the terminal: control characters shown as U+FFFD, never run as escape sequences."""
    return Text(terminal_safe(s), style=style)


_STYLE = {"shared": "green", "identical": "green", "agree": "green", "partial": "yellow", "truncated": "yellow",
          "reworded": "red", "conflict": "bold red", "contradicts": "bold red", "single": "dim"}  # fmt: skip


def _status(s: str) -> Text:
    return _text(s, style=_STYLE.get(s, ""))


def _short(t: str, n: int = 160) -> Text:
    t = " ".join(t.split())
    return _text(t if len(t) <= n else t[: n - 3] + "...")


def _show(console: Console, t: Table, none: str) -> None:
    """A table, or one line saying it is empty (a header row over nothing tells a reader less)."""
    if t.row_count:
        console.print(t)
    else:
        console.print(_text(f"{t.title}: {none}", style="dim"))


SHOWN_SINGLES = 30  # sentences "only in one source" listed; --md or --json give all
SHOWN_ENTITIES = 25


def print_comparison(c: Comparison, console: Console) -> None:
    s = summary(c)
    console.print(_text(title_of(c), style="bold"))
    console.print(_text(summary_line(s)))
    t = Table(title="Sources")
    for col in ("outlet", "headline", "date", "group"):
        t.add_column(col)
    for src in c.sources:
        t.add_row(
            _text(src.source),
            _text(src.title or ""),
            _text(short_time(src.published_at)),
            str(src.independent_group + 1),
        )
    console.print(t)
    t = Table(title="Quotes across sources")
    t.add_column("status")
    t.add_column("speaker")
    for src in c.sources:
        t.add_column(_text(src.heading))
    for q in utterances_of(c):  # one row per utterance, its pieces together
        cells = [_short(" / ".join(e.text for e in evs), 120) for evs in by_source(c, q.evidence).values()]
        t.add_row(_status(q.status), _text(q.speaker or ""), *cells)
    _show(console, t, "none quoted by two sources")
    t = Table(title="Numbers across sources")
    t.add_column("id")
    t.add_column("status")
    t.add_column("what")
    for src in c.sources:
        t.add_column(_text(src.heading))
    for n in c.numbers:
        if n.status != "single":
            cells = [_text(", ".join(e.text for e in evs)) for evs in by_source(c, n.evidence).values()]
            t.add_row(
                n.id,
                _status(n.status),
                _short(n.what, 60) + terminal_safe(f" ({n.note})" if n.note else ""),
                *cells,
            )
    _show(console, t, "none given by two sources")
    t = Table(title="Claims in more than one source")
    t.add_column("status")
    for src in c.sources:
        t.add_column(_text(src.heading))
    for cl in c.claims:
        if cl.status != "single":
            status = _status(cl.status)
            if cl.at_odds:
                status.append_text(_text(f"\nat odds: {', '.join(cl.at_odds)}", style="dim"))
            t.add_row(
                status,
                *[_short(" ".join(e.text for e in evs)) for evs in by_source(c, cl.evidence).values()],
            )
    _show(console, t, "none")
    singles = [cl for cl in c.claims if cl.status == "single"]
    more = (
        f", the first {SHOWN_SINGLES} shown (--md or --json for all)" if len(singles) > SHOWN_SINGLES else ""
    )
    t = Table(title=f"Only in one source ({len(singles)} sentence{'s' * (len(singles) != 1)}{more})")
    t.add_column("source")
    t.add_column("sentence")
    for cl in singles[:SHOWN_SINGLES]:
        t.add_row(_text(cl.sources[0] if cl.sources else ""), _short(cl.text))
    _show(console, t, "none")
    more = f" (the first {SHOWN_ENTITIES} of {len(c.entities)})" if len(c.entities) > SHOWN_ENTITIES else ""
    t = Table(title=f"Entities (alias table){more}")
    t.add_column("entity")
    for src in c.sources:
        t.add_column(_text(src.heading))
    for r in c.entities[:SHOWN_ENTITIES]:
        forms = dict(r.forms)
        t.add_row(_text(r.canonical), *[_text(", ".join(forms.get(src.article_id, ()))) for src in c.sources])
    _show(console, t, "none found")
    t = Table(title="Framing: what each source leads with")
    t.add_column("source")
    t.add_column("headline / first paragraph")
    t.add_column("loaded wording")
    for lead in c.framing.leads:
        fp = lead.first_paragraph.text if lead.first_paragraph else ""
        words = ", ".join(w.word for w in c.framing.loaded if w.article_id == lead.article_id)
        t.add_row(_text(lead.source), _short(f"{lead.headline or '(no headline)'} | {fp}", 240), _text(words))
    console.print(t)
    if c.changes:
        t = Table(title="Changed after publication (between fetched versions)")
        t.add_column("source")
        t.add_column("change")
        for x in c.changes:
            t.add_row(_text(x.source), _text(x.description))
        console.print(t)
