"""CLI of the analysis stage: ``analyse`` (stored articles), ``eval quotes``, ``eval ner``; and the
renderers the ``show`` command uses (:func:`render_analysis`, :func:`analysis_to_json`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from newsweave.cli.common import (
    DbOption,
    JsonOption,
    ModelOption,
    console,
    err_console,
    open_store,
    print_json,
    terminal_safe,
)
from newsweave.errors import UsageError
from newsweave.model import Analysis, Article
from newsweave.views.shapes import analysis_obj, quantity_marks

DEFAULT_POLNEAR = Path("../shared/data/polnear")
DEFAULT_CONLL = Path("../shared/data/conll2003-test")
_STYLES = {"entity": "bold cyan", "quote": "green", "number": "bold magenta", "speaker": "bold yellow",
           "date": "underline magenta"}  # fmt: skip


# The JSON shape of an analysis lives in the library (``show --json`` and the web API print it).
analysis_to_json = analysis_obj


def _t(s: str) -> Text:
    return Text(terminal_safe(s))


def render_analysis(article: Article, analysis: Analysis) -> Group:
    """The article text with entities, quotes, speakers and numbers highlighted, then a table of quotes."""
    # plain Text: markup in the article is never interpreted; control characters shown as U+FFFD
    text = Text(terminal_safe(article.text))
    for q in analysis.quotes:
        for p in q.content:
            text.stylize(_STYLES["quote"], p.start, p.end)
    for m in analysis.mentions:
        text.stylize(_STYLES["entity"], m.span.start, m.span.end)
    for q in analysis.quotes:
        if q.speaker_span is not None:
            text.stylize(_STYLES["speaker"], q.speaker_span.start, q.speaker_span.end)
    marked = quantity_marks(analysis)  # the figures the comparison groups; dates it does not compare apart
    for x, kind in marked:
        text.stylize(_STYLES[kind], x.span.start, x.span.end)
    legend = Text.assemble(
        ("entities", _STYLES["entity"]), "  ", ("quotes", _STYLES["quote"]), "  ",
        ("speakers", _STYLES["speaker"]), "  ", ("numbers", _STYLES["number"]), "  ", ("dates", _STYLES["date"]),
    )  # fmt: skip
    quotes = Table(
        "speaker", "cue", "direct", "quote", title=f"{len(analysis.quotes)} quotes", show_lines=False
    )
    for q in analysis.quotes:
        content = " … ".join(p.text_in(article.text) for p in q.content)
        quotes.add_row(_t(q.speaker or "?"), _t(q.cue or ""), "yes" if q.direct else "no", _t(content))
    n_numbers = sum(kind == "number" for _, kind in marked)
    cut = analysis.analysed_chars
    if cut is not None:  # the note goes first: what follows the cut has no marks
        legend = Text.assemble(
            (f"analysed: the first {cut:,} of {len(article.text):,} characters (the rest is stored, not "
             "analysed: NEWSWEAVE_MAX_ANALYSED_CHARS)\n", "bold"),
            legend,
        )  # fmt: skip
    numbers = Table(
        "number", "value", "unit", "counted", "hedge", "compared as",
        title=f"{n_numbers} numbers, {len(marked) - n_numbers} dates",
    )  # fmt: skip
    for x, kind in marked:
        value = x.resolved or (f"{x.value:g}" if x.value is not None else "")
        if x.value is None and (x.low is not None or x.high is not None):
            value = f"{x.low if x.low is not None else ''}–{x.high if x.high is not None else ''}"
        # the figure's dimension; "not compared" for a date the comparison leaves out; blank when analysed
        # before figures were kept
        compared = x.figure.dim if x.figure is not None else "not compared" if kind == "date" else ""
        numbers.add_row(
            _t(x.text), Text(value), _t(x.unit or x.kind), _t(x.counted or ""), _t(x.hedge or ""),
            Text(compared),
        )  # fmt: skip
    entities = Table("entity", "type", "aliases", title=f"{len(analysis.entities)} entities")
    for e in analysis.entities:
        entities.add_row(_t(e.canonical), e.label, _t(", ".join(e.aliases[1:])))
    return Group(legend, text, Text(""), entities, quotes, numbers)


def _print_metrics(title: str, rows: Sequence[Sequence[str]], header: Sequence[str]) -> None:
    t = Table(*header, title=title)
    for r in rows:
        t.add_row(*r)
    console.print(t)


def eval_quotes(
    data: Path = typer.Option(DEFAULT_POLNEAR, "--data", help="PolNeAR folder (articles.jsonl)."),
    limit: int | None = typer.Option(None, "--limit", help="Only the first N articles."),
    model: str | None = ModelOption,
    as_json: bool = JsonOption,
) -> None:
    """Quote extraction on PolNeAR: P/R/F1 of direct and indirect quotes, speaker accuracy."""
    from newsweave.analyse import AnalyseOptions
    from newsweave.eval.quotes import evaluate_quotes

    r = evaluate_quotes(data, AnalyseOptions(quantities=False, model=model), limit=limit)
    if not as_json:
        rows = [
            (f"{kind} ({name})", *(f"{r[pre + kind + m]:.3f}" for m in ("_precision", "_recall", "_f1")))
            for kind in ("direct", "indirect")
            for name, pre in (("strict", "strict_"), ("lenient", ""))
        ]
        _print_metrics(
            f"quotes on {r['articles']} PolNeAR articles", rows, ("quotes", "precision", "recall", "F1")
        )
        console.print(
            f"speaker accuracy over matched quotes: strict {r['strict_speaker_accuracy']:.3f}, "
            f"lenient {r['speaker_accuracy']:.3f}"
        )
        halves = ", ".join(
            f"{h['strict_direct_f1']:.3f} / {h['strict_indirect_f1']:.3f}" for h in r["halves"]
        )
        console.print(f"strict direct / indirect F1 on the even and odd halves: {halves}")
        console.print(
            "strict: class-aware, shared tokens >= half of the longer span; lenient: >= half of the gold span"
        )
    else:
        print_json(r)


def eval_ner(
    data: Path = typer.Option(DEFAULT_CONLL, "--data", help="CoNLL-2003 folder (documents.jsonl)."),
    limit: int | None = typer.Option(None, "--limit", help="Only the first N documents."),
    model: str | None = ModelOption,
    as_json: bool = JsonOption,
) -> None:
    """Entity micro-F1 on CoNLL-2003: the plain spaCy model and newsweave, per type."""
    from newsweave.analyse import AnalyseOptions
    from newsweave.eval.ner import TYPES, evaluate_ner

    r = evaluate_ner(data, AnalyseOptions(quotes=False, quantities=False, model=model), limit=limit)
    if not as_json:
        rows = [("all", f"{r['baseline_f1']:.3f}", f"{r['f1']:.3f}", f"{r['f1'] - r['baseline_f1']:+.3f}")]
        for t in TYPES:
            a, b = r[f"baseline_{t}_f1"], r[f"{t}_f1"]
            rows.append((t, f"{a:.3f}", f"{b:.3f}", f"{b - a:+.3f}"))
        _print_metrics(
            f"NER on {r['documents']} CoNLL documents (F1)",
            rows,
            ("type", "plain spaCy", "newsweave", "gain"),
        )
        halves = ", ".join(f"{h['f1']:.3f} (plain {h['baseline_f1']:.3f})" for h in r["halves"])
        console.print(f"newsweave F1 on the even and odd documents: {halves}")
    else:
        print_json(r)


def analyse_cmd(
    db: Path | None = DbOption,
    redo: bool = typer.Option(
        False, "--all", help="Analyse every stored article again (resumable: the run prints how)."
    ),
    missing: bool = typer.Option(
        False,
        "--missing",
        help="Also analyse again the articles whose analysis lacks the marked spans or the numbers' "
        "figures (stores analysed before schema v4 or v6).",
    ),
    before: str | None = typer.Option(
        None,
        "--before",
        help="Also analyse again the articles analysed before this time (ISO 8601, UTC if no zone): "
        "resumes an interrupted --all.",
    ),
    n_process: int = typer.Option(
        0, "--processes", "-p", min=0, help="Worker processes (0: one per CPU for 64 articles or more)."
    ),
    model: str | None = ModelOption,
    as_json: bool = JsonOption,
) -> None:
    """Analyse stored articles (entities, quotes, numbers) and keep the results in the store."""
    from newsweave.analyse import AnalyseOptions
    from newsweave.reanalyse import ReanalyseOptions, reanalyse

    if redo and before is not None:
        raise UsageError("--all and --before: give one (--all is --before the time it starts)")
    since = _utc(before) if before is not None else datetime.now(UTC) if redo else None
    options = ReanalyseOptions(
        missing=missing, before=since, analyse=AnalyseOptions(n_process=n_process, model=model)
    )
    if redo and not as_json:
        err_console.print(
            f"analysing every article again; if stopped, resume with: newsweave analyse --before {since:%Y-%m-%dT%H:%M:%S.%fZ}"
        )

    def progress(done: int, total: int) -> None:
        if done and not as_json and err_console.is_terminal:
            err_console.print(f"analysed {done} of {total}")

    store = open_store(db)
    try:
        summary = reanalyse(store, options, progress)
        lacking = len(store.outdated_analysis_ids(lacking_marked=True))
        lacking_figures = len(store.outdated_analysis_ids(lacking_marked=False, lacking_figures=True))
    finally:
        store.close()
    if as_json:
        print_json(
            {
                "analysed": summary.saved,
                "new": summary.new,
                "again": summary.outdated,
                "lacking_marked": lacking,
                "lacking_figures": lacking_figures,
            }
            | ({"before": since.isoformat()} if since else {})
        )
    else:
        console.print(
            f"analysed {summary.saved} article(s): {summary.new} without analysis, {summary.outdated} again"
        )
        if lacking:
            err_console.print(
                f"note: {lacking} analysed article(s) have no marked spans (analysed before store schema v4): "
                "newsweave analyse --missing fills them"
            )
        if lacking_figures:
            err_console.print(
                f"note: {lacking_figures} analysed article(s) have numbers without figures (analysed before "
                "store schema v6): newsweave analyse --missing fills them"
            )


def _utc(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError as e:
        raise UsageError(f"--before: not an ISO 8601 time: {value!r}") from e
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("analyse")(analyse_cmd)
    eval_app.command("quotes")(eval_quotes)
    eval_app.command("ner")(eval_ner)
