"""One self-contained HTML file: sources side by side, every verdict with its evidence highlighted.

Inline CSS, no scripts, no external assets (it works offline and from an e-mail attachment). Every piece
of article text and metadata goes through Jinja2's autoescape, so no article can inject markup; links are
made only from http(s) URLs.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from newsweave.compare.result import Comparison
from newsweave.report.common import (
    STATUS_NOTE,
    at_odds_text,
    by_source,
    highlight_spans,
    safe_url,
    segments,
    short_time,
    title_of,
    utterances_of,
)
from newsweave.report.json_report import summary

_ENV = Environment(
    loader=PackageLoader("newsweave.report", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["short_time"] = short_time


def render_html(c: Comparison, texts: dict[str, str] | None = None) -> str:
    """The report; ``texts`` (article id -> text) adds the full texts with the evidence highlighted."""
    full = []
    if texts:
        marks = highlight_spans(c)
        for s in c.sources:
            if s.article_id in texts:
                full.append((s, segments(texts[s.article_id], marks.get(s.article_id, []))))
    tmpl = _ENV.get_template("compare.html.j2")
    return tmpl.render(
        c=c,
        title=title_of(c),
        summary=summary(c),
        notes=STATUS_NOTE,
        by_source=lambda ev: by_source(c, ev),
        at_odds=lambda cl: at_odds_text(c, cl),
        safe_url=safe_url,
        names={s.article_id: s.source for s in c.sources},
        full=full,
        claims_multi=[x for x in c.claims if x.status != "single"],
        claims_single=[x for x in c.claims if x.status == "single"],
        quotes_multi=utterances_of(c),
        numbers_multi=[n for n in c.numbers if n.status != "single"],
        numbers_single=[n for n in c.numbers if n.status == "single"],
    )
