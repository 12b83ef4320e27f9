"""CLI: ``compare PATH...``, ``report STORY`` and ``eval align``."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import typer

from newsweave.cli.common import DbOption
from newsweave.errors import NewsweaveError, UsageError

log = logging.getLogger(__name__)


def _analyse(articles, enabled: bool):
    """The analysis stage's results, or None when off or failing (the comparison has fallbacks)."""
    if not enabled or not articles:
        return None
    try:
        from newsweave.analyse import AnalyseOptions, analyse_articles

        return analyse_articles(articles, AnalyseOptions())
    except Exception as e:  # the comparison works without it
        log.warning("analysis unavailable (%s): using the comparison's own finders", e)
        return None


def _check_html_target(html: Path | None) -> None:
    """Refuse an ``--html`` FILE that cannot be written before comparing (which takes seconds)."""
    if html is None:
        return
    if html.is_dir():
        raise UsageError(f"--html {html}: a folder, not a file")
    if not html.parent.is_dir():
        raise UsageError(f"--html {html}: no folder {html.parent}")


def _emit(comparison, as_json: bool, md: bool, html: Path | None, texts: dict[str, str]) -> None:
    from newsweave.cli.common import console
    from newsweave.report import json_report

    if html is not None:
        from newsweave.report.html import render_html

        try:
            html.write_text(render_html(comparison, texts), encoding="utf-8")
        except OSError as e:  # permission denied, disk full: said in one line, not a traceback
            raise NewsweaveError(f"cannot write {html}: {e.strerror or e}") from e
        if not as_json and not md:
            console.print(f"wrote {html}")
    if as_json:
        import sys

        sys.stdout.write(json_report.dumps(comparison) + "\n")
    elif md:
        from newsweave.report.markdown import render_markdown

        typer.echo(render_markdown(comparison))
    elif html is None:
        from newsweave.report.terminal import print_comparison

        print_comparison(comparison, console)


def _texts(comparison, articles) -> dict[str, str]:
    """Article id (as the comparison numbers them) -> text, for the highlighted full texts."""
    return {s.article_id: a.text for s, a in zip(comparison.sources, articles, strict=False)}


def _options(embed: bool | None):
    from newsweave.compare import CompareOptions

    return CompareOptions(embeddings=embed)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``compare``, ``report`` and ``eval align``."""

    @app.command("compare")
    def compare_cmd(
        paths: list[str] = typer.Argument(..., help="Article files, folders or globs (any ingest format)."),
        as_json: bool = typer.Option(
            False, "--json", help="Print the comparison as JSON (docs/compare-schema.md)."
        ),
        md: bool = typer.Option(False, "--md", help="Print the comparison as Markdown."),
        html: Path | None = typer.Option(None, "--html", help="Write a self-contained HTML report to FILE."),
        embed: bool | None = typer.Option(
            None, "--embed/--no-embed", help="Sentence embeddings (default: when installed)."
        ),
        analyse: bool = typer.Option(
            True, "--analyse/--no-analyse", help="Run the analysis stage (entities, speakers)."
        ),
    ) -> None:
        """Compare the articles of one story, source by source, with evidence (no store needed)."""
        from newsweave.compare import compare_articles, load_articles

        _check_html_target(html)
        articles, rejected = load_articles(paths)
        for r in rejected:
            log.warning("rejected %s %s: %s", r.path, r.position, r.reason)
        if not articles:
            raise NewsweaveError("no article could be read from the inputs")
        comparison = compare_articles(articles, _analyse(articles, analyse), _options(embed))
        if rejected:  # say in the report which inputs it does not cover
            notes = tuple(
                f"input rejected: {r.path} {r.position}: {r.reason}".replace("  ", " ") for r in rejected
            )
            comparison = dataclasses.replace(comparison, warnings=comparison.warnings + notes)
        _emit(comparison, as_json, md, html, _texts(comparison, articles))

    @app.command("report")
    def report_cmd(
        story: str = typer.Argument(..., help="Story id (or a unique prefix)."),
        db: Path | None = DbOption,
        as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
        md: bool = typer.Option(False, "--md", help="Print the comparison as Markdown."),
        html: Path | None = typer.Option(None, "--html", help="Write a self-contained HTML report to FILE."),
        embed: bool | None = typer.Option(
            None, "--embed/--no-embed", help="Sentence embeddings (default: when installed)."
        ),
        analyse: bool = typer.Option(True, "--analyse/--no-analyse", help="Run the analysis stage."),
        recompare: bool = typer.Option(
            False, "--recompare", help="Compare again instead of printing the stored comparison."
        ),
    ) -> None:
        """The comparison report of one story from the store (the stored comparison when nothing it
        depends on changed; the first report of a story compares and stores it)."""
        from newsweave.cli.common import open_store
        from newsweave.embed_store import TextCache
        from newsweave.views.comparison import StoryCompareOptions, compare_story, save_computed

        _check_html_target(html)
        store = open_store(db, read_only=True)  # names a missing store; never creates one
        try:
            cache = TextCache.of_store(store)
            opts = StoryCompareOptions(analyse, _options(embed))
            result = compare_story(store, story, opts, cache, reuse=not recompare)
        finally:
            store.close()
        _emit(result.comparison, as_json, md, html, result.texts())
        # the comparison, and the vectors and tags of texts compared for the first time, kept for next time
        save_computed(lambda: open_store(db), cache, result)

    @eval_app.command("cross")
    def eval_cross_cmd(
        data: Path = typer.Option(..., "--data", help="The cross-source gold folder (stories.json)."),
        scorer: Path | None = typer.Option(
            None, "--scorer", help="score_cross.py (default: ../../tools/score_cross.py from --data)."
        ),
        half: list[str] = typer.Option(
            ["fit", "report"], "--half", help="fit, report or all (repeatable; the split: docs/quality.md)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        embed: bool | None = typer.Option(None, "--embed/--no-embed", help="Sentence embeddings."),
    ) -> None:
        """The comparison's verdicts against the cross-source gold, on the fixed fit and report halves."""
        from newsweave.cli.common import console, print_json
        from newsweave.eval.cross import FIGURES, evaluate_cross

        if not (data / "stories.json").is_file():
            raise UsageError(f"no stories.json in {data}")
        bad = [h for h in half if h not in ("fit", "report", "all")]
        if bad:
            raise UsageError(f"--half must be fit, report or all, not {', '.join(bad)}")
        scorer_path = scorer or data.parent.parent / "tools" / "score_cross.py"
        if not scorer_path.is_file():
            raise UsageError(f"no scorer at {scorer_path} (give --scorer)")
        res = evaluate_cross(data, scorer_path, half, embed)
        if as_json:
            print_json(
                {h: {k: v for k, v in res[h].items() if k != "rows"} for h in half}
                | {"stories": res["stories"]}
            )
            return
        for h in half:
            figs = "  ".join(f"{k} {res[h][k]:.3f}" for k in FIGURES)
            console.print(f"{h:<7} ({len(res['stories'][h])} stories)  {figs}", soft_wrap=True)
        for h in half:
            iv = res[h]["interval"]
            spans = "  ".join(f"{k} {iv[k][0]:.2f}-{iv[k][1]:.2f}" for k in FIGURES if k in iv)
            console.print(f"{h:<7} 90% interval, stories drawn again: {spans}", soft_wrap=True)

    @eval_app.command("align")
    def eval_align_cmd(
        data: Path = typer.Option(..., "--data", help="Folder with pairs.jsonl in the MRPC format."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object as the last line."),
        embed: bool | None = typer.Option(
            None, "--embed/--no-embed", help="Also measure with embeddings (default: when installed)."
        ),
    ) -> None:
        """Accuracy and F1 of the claim-alignment decision on sentence pairs (MRPC format)."""
        from newsweave.cli.common import console, print_json
        from newsweave.eval.align import evaluate_align

        if not (data / "pairs.jsonl").exists() and not data.is_file():
            raise UsageError(f"no pairs.jsonl in {data}")
        res = evaluate_align(data, embeddings=embed)
        if as_json:
            print_json(res)
            return
        for name in ("lexical", "embeddings"):
            r = res.get(name)
            if r:
                console.print(
                    f"{name:<11} accuracy {r['accuracy']:.4f}  F1 {r['f1']:.4f}  ({r['pairs']} pairs)"
                )
                if r.get("cv"):
                    console.print(
                        f"{'':<11} 10-fold cross-validated accuracy {r['cv']['accuracy']:.4f}  "
                        f"F1 {r['cv']['f1']:.4f} (the weights were fitted on this set)"
                    )
                    seeds = ", ".join(f"{a:.4f}" for a in r["cv"]["seeds"])
                    hb = r["cv"]["half_b"]
                    console.print(
                        f"{'':<11} fold seeds 0-4: {seeds}"
                        + (
                            f"; fitted on half A, half B: {hb['accuracy']:.4f} ({hb['pairs']} pairs)"
                            if hb
                            else ""
                        )
                    )
        console.print(f"decision used: {res['model']}  accuracy {res['accuracy']:.4f}  F1 {res['f1']:.4f}")
