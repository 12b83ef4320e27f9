"""``newsweave eval extract``: HTML-to-text quality of the ingest stage on a labelled folder.

A folder holds ``ground_truth.jsonl`` and gzipped HTML under the ``html_path`` of each line. Two kinds of
gold are understood:
- ``article_body`` (l3s-gn1, the ScrapingHub benchmark layout): the gold body text;
- ``with`` / ``without`` snippets (trafilatura-eval-en): the ``with`` snippets are the gold body (their
  shingles taken per snippet, so no shingle spans two snippets), and the official snippet test is
  reported too: share of ``with`` snippets found, share of ``without`` snippets wrongly kept, and the
  snippet-level precision/recall/F1 of trafilatura's tests/eval_common.py (whitespace-normalised substring).
The body metric is :mod:`newsweave.eval.metrics` (4-token shingles, per-page means). The text scored is
exactly the ``Article.text`` the ingest stage would store for the page.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsweave.errors import UsageError
from newsweave.eval.metrics import (
    PageCounts,
    corpus_scores,
    jsonl_records,
    match_counts,
    shingles,
    shingles_of_parts,
    squash_ws,
)

if TYPE_CHECKING:  # the ingest stage (trafilatura, htmldate) is imported when a page is extracted
    from newsweave.ingest.build import Fields


def _norm(value: object) -> str:
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value)
    return " ".join(re.findall(r"\w+", str(value or "").casefold()))


def _norm_names(value: object) -> str:
    """Author names compared without their joining words ("A and B" = "A; B")."""
    return " ".join(w for w in _norm(value).split() if w not in ("and", "by"))


def _day(raw: str | None) -> str | None:
    """The calendar day a date string names, in its own time zone (no conversion to UTC)."""
    if not raw:
        return None
    if re.match(r"\d{4}-\d\d-\d\d", raw):
        return raw[:10]
    from dateutil import parser as dateparser

    try:
        return dateparser.parse(raw).date().isoformat()
    except (ValueError, OverflowError):
        return None


def load_ground_truth(data_dir: Path) -> list[dict[str, Any]]:
    gt = data_dir / "ground_truth.jsonl"  # a folder is required here: html paths are relative to it
    if not gt.is_file():
        raise UsageError(f"{data_dir} holds no ground_truth.jsonl")
    return list(jsonl_records(gt, "ground_truth.jsonl"))


def evaluate_extraction(
    data_dir: str | Path,
    every: int = 1,
    extractor: Callable[[bytes, str | None], Fields | None] | None = None,
) -> dict[str, Any]:
    """Scores of ``extractor`` (default: the ingest stage's :func:`~newsweave.ingest.html.extract_page`) on
    the folder; ``every`` > 1 scores every n-th page only (deterministic).

    Where the gold has ``title``, ``author`` or ``date``, the share of pages where the extracted value
    matches is reported too (title: same words, or the gold words then a site suffix; author: either
    contains the other; date: the same calendar day).
    """
    if extractor is None:
        from newsweave.ingest.html import extract_page

        extractor = extract_page
    data_dir = Path(data_dir)
    rows = load_ground_truth(data_dir)[:: max(1, every)]
    pages: list[PageCounts] = []
    counts = Counter[str]()
    seconds = 0.0
    for row in rows:
        html = gzip.decompress((data_dir / row["html_path"]).read_bytes())
        t0 = time.perf_counter()
        fields = extractor(html, row.get("url"))
        seconds += time.perf_counter() - t0
        pred = fields.text if fields is not None else ""
        counts["empty"] += not pred.strip()
        if "article_body" in row:
            gold = shingles(row.get("article_body") or "")
        else:
            gold = shingles_of_parts(row.get("with") or [])
            _count_snippets(row, squash_ws(pred), counts)
        _count_metadata(row, fields, counts)
        pages.append(match_counts(gold, shingles(pred)))
    result: dict[str, Any] = {
        "data": str(data_dir),
        "pages": len(rows),
        "every": every,
        "empty": counts["empty"],
    }
    result.update(corpus_scores(pages))
    if counts["with_found"] + counts["with_missed"]:
        tp, fn, fp = counts["with_found"], counts["with_missed"], counts["without_kept"]
        sp = tp / (tp + fp) if tp + fp else 0.0
        sr = tp / (tp + fn) if tp + fn else 0.0
        kept_of = fp + counts["without_dropped"]
        result.update(
            with_found=sr,
            without_kept=fp / kept_of if kept_of else 0.0,
            snippet_precision=sp,
            snippet_recall=sr,
            snippet_f1=2 * sp * sr / (sp + sr) if sp + sr else 0.0,
        )
    for key in ("title", "author", "date"):
        if counts[f"{key}_gold"]:
            result[f"{key}_accuracy"] = counts[f"{key}_ok"] / counts[f"{key}_gold"]
            result[f"{key}_pages"] = counts[f"{key}_gold"]
    result["pages_per_s"] = len(rows) / seconds if seconds else 0.0
    return result


def _count_metadata(row: dict[str, Any], fields: Fields | None, counts: Counter[str]) -> None:
    if row.get("title"):
        counts["title_gold"] += 1
        gold, got = _norm(row["title"]), _norm(fields.title if fields else None)
        counts["title_ok"] += bool(got) and (got == gold or got.startswith(gold + " "))
    if row.get("author"):
        counts["author_gold"] += 1
        gold, got = _norm_names(row["author"]), _norm_names(fields.byline if fields else None)
        counts["author_ok"] += bool(got) and (gold in got or got in gold)
    if row.get("date"):
        counts["date_gold"] += 1
        counts["date_ok"] += _day(fields.published if fields else None) == _day(str(row["date"]))


def _count_snippets(row: dict[str, Any], pred: str, counts: Counter[str]) -> None:
    for s in row.get("with") or []:
        counts["with_found" if squash_ws(s) in pred else "with_missed"] += 1
    for s in row.get("without") or []:
        counts["without_kept" if squash_ws(s) in pred else "without_dropped"] += 1


def register_eval_extract(eval_app: Any) -> None:
    """Add ``eval extract --data DIR [--json] [--every N]`` to the Typer app ``eval_app``."""
    import typer
    from rich.console import Console
    from rich.table import Table

    @eval_app.command("extract")
    def extract_cmd(
        data: Path = typer.Option(..., "--data", help="Folder with ground_truth.jsonl and gzipped HTML."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object as the last line."),
        every: int = typer.Option(1, "--every", min=1, help="Score every n-th page only."),
    ) -> None:
        """HTML extraction quality: shingle precision, recall, F1 and pages per second."""
        from newsweave.ingest.html import quiet_extractors

        quiet_extractors()
        result = evaluate_extraction(data, every=every)
        if as_json:
            typer.echo(json.dumps(result))
            return
        table = Table(title=f"extraction on {data} ({result['pages']} pages)")
        table.add_column("metric")
        table.add_column("value", justify="right")
        for key, value in result.items():
            if key != "data":
                table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
        Console().print(table)
