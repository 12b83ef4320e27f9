"""``newsweave eval metadata``: headline, byline, date and body on real publisher pages (fundus-pages).

The folder holds ``ground_truth.jsonl`` (one page a line: ``publisher``, ``html_path``, ``url``, ``title``,
``authors`` (absent where the publisher's parser has none), ``published``, ``body``) and the gzipped pages.
Each page goes through newsweave's ingest (:func:`newsweave.ingest.html.extract_page` then
:func:`newsweave.ingest.build.build_article`: what the store would keep) and, in the same run, through plain
trafilatura (``bare_extraction`` with its defaults) as the baseline. Scores, as ``../shared/data/README.md``
defines them for this set, each averaged over the pages whose gold has the field:

- title: exact match after NFC and whitespace normalisation (also token F1 on lower-cased ``\\w+`` tokens);
- authors: both sides split on ``, ; / & |``, newlines and the joining words; accents stripped, casefolded,
  punctuation made spaces, a leading "by" (von, por, par, di, av, door) dropped; correct when the sets are
  equal (also: at least one name shared);
- published: the same calendar day, the prediction converted to the gold's UTC offset when both have one;
- body: bag-of-words F1 of lower-cased ``\\w+`` tokens per page (empty output 0);
- overall: the mean of title exact, authors equal, date same day and body F1.

Pages are split into two parts by a hash of the publisher name (:func:`part_of`): rules were fitted looking
at the "fit" part only; both parts are reported (docs/quality.md).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from newsweave.eval.extract import load_ground_truth

FIELDS = ("title", "authors", "published", "body")
# One figure per field; "overall" is their unweighted mean.
HEADLINE_METRICS = ("title_exact", "authors_equal", "published_day", "body_f1")
_WORD = re.compile(r"\w+")
_NAME_SPLIT = re.compile(r"[,;/&|\n]|\s(?:and|und|et|y|e|og|och|en)\s", re.I)
_LEADING_BY = re.compile(r"^(?:by|von|por|par|di|av|door)\s+")


@dataclass(frozen=True)
class Prediction:
    """What one extractor returned for a page (None: nothing, the page rejected)."""

    title: str | None
    byline: str | None
    published: str | None
    body: str
    rejected: bool


def part_of(publisher: str) -> str:
    """ "fit" or "test": the first byte of the SHA-256 of the publisher name, even -> fit."""
    return "fit" if hashlib.sha256(publisher.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def norm_title(s: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", s or "").split())


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def author_set(value: str | list[str] | None) -> frozenset[str]:
    """The set of normalised names in a byline or a list of names (see the module docstring)."""
    if value is None:
        return frozenset()
    text = "\n".join(value) if isinstance(value, list) else value
    names = set()
    for part in _NAME_SPLIT.split(text):
        n = _strip_accents(part).casefold()
        n = " ".join(re.sub(r"[^\w\s]|_", " ", n).split())
        n = _LEADING_BY.sub("", n).strip()
        if n:
            names.add(n)
    return frozenset(names)


def _parse_when(raw: str | None) -> datetime | date | None:
    if not raw:
        return None
    s = raw.strip()
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", s):
            return date.fromisoformat(s)
        return datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        try:
            from dateutil import parser as dateparser

            return dateparser.parse(s)
        except (ValueError, OverflowError):
            return None


def same_day(predicted: str | None, gold: str) -> bool:
    p, g = _parse_when(predicted), _parse_when(gold)
    if p is None or g is None:
        return False
    if isinstance(p, datetime) and isinstance(g, datetime) and p.tzinfo and g.tzinfo:
        p = p.astimezone(g.tzinfo)
    pd = p.date() if isinstance(p, datetime) else p
    gd = g.date() if isinstance(g, datetime) else g
    return pd == gd


def _f1(pred: list[str], gold: list[str]) -> float:
    if not pred or not gold:
        return 0.0
    shared = sum((Counter(pred) & Counter(gold)).values())
    if not shared:
        return 0.0
    p, r = shared / len(pred), shared / len(gold)
    return 2 * p * r / (p + r)


def _tokens(s: str | None) -> list[str]:
    return _WORD.findall((s or "").lower())


def score_page(row: dict[str, Any], pred: Prediction) -> dict[str, float]:
    """This page's score per metric (a metric whose gold is absent is left out)."""
    out: dict[str, float] = {}
    if row.get("title"):
        out["title_exact"] = float(norm_title(pred.title) == norm_title(row["title"]))
        out["title_f1"] = _f1(_tokens(pred.title), _tokens(row["title"]))
    if "authors" in row:
        gold, got = author_set(row["authors"]), author_set(pred.byline)
        out["authors_equal"] = float(gold == got)
        out["authors_shared"] = float(bool(gold & got)) if gold else float(not got)
    if row.get("published"):
        out["published_day"] = float(same_day(pred.published, row["published"]))
    if row.get("body") is not None:
        out["body_f1"] = _f1(_tokens(pred.body), _tokens(row["body"]))
    return out


def newsweave_prediction(html: bytes, url: str | None) -> Prediction:
    from newsweave.ingest.build import build_article
    from newsweave.ingest.html import extract_page
    from newsweave.model import Article

    fields = extract_page(html, url)
    art = build_article(fields, "page.html", "", "html") if fields is not None else None
    if not isinstance(art, Article):
        return Prediction(None, None, None, "", True)
    return Prediction(art.title, art.byline, art.published_raw, art.text, False)


def trafilatura_prediction(html: bytes, url: str | None) -> Prediction:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    except Exception:  # the baseline's own failures count as a rejection, as ours do
        doc = None
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        return Prediction(None, None, None, "", True)
    return Prediction(doc.title, doc.author, doc.date, doc.text or "", False)


EXTRACTORS: dict[str, Callable[[bytes, str | None], Prediction]] = {
    "newsweave": newsweave_prediction,
    "trafilatura": trafilatura_prediction,
}


def _means(scores: list[dict[str, float]]) -> dict[str, float | int]:
    sums: dict[str, float] = {}
    counts: Counter[str] = Counter()
    for s in scores:
        for k, v in s.items():
            sums[k] = sums.get(k, 0.0) + v
            counts[k] += 1
    out: dict[str, float | int] = {k: sums[k] / counts[k] for k in sorted(sums)}
    headline = [out[k] for k in HEADLINE_METRICS if k in out]
    if headline:
        out["overall"] = sum(headline) / len(headline)
    out["pages"] = len(scores)
    return out


def evaluate_metadata(data_dir: str | Path, keep_pages: bool = False) -> dict[str, Any]:
    """Scores per extractor, per part (fit/test) and overall; see the module docstring."""
    data_dir = Path(data_dir)
    rows = load_ground_truth(data_dir)
    per: dict[str, dict[str, list[dict[str, float]]]] = {name: {} for name in EXTRACTORS}
    rejected: dict[str, list[str]] = {name: [] for name in EXTRACTORS}
    pages: list[dict[str, Any]] = []
    for row in rows:
        html = gzip.decompress((data_dir / row["html_path"]).read_bytes())
        part = part_of(str(row.get("publisher", "")))
        page: dict[str, Any] = {"id": row.get("id"), "part": part}
        for name, fn in EXTRACTORS.items():
            pred = fn(html, row.get("url"))
            s = score_page(row, pred)
            per[name].setdefault(part, []).append(s)
            per[name].setdefault("all", []).append(s)
            if pred.rejected:
                rejected[name].append(str(row.get("id")))
            if keep_pages:
                page[name] = {"scores": s, "title": pred.title, "byline": pred.byline,
                              "published": pred.published}  # fmt: skip
        pages.append(page)
    result: dict[str, Any] = {"data": str(data_dir), "pages": len(rows), "split": "sha256(publisher)[0] even"}
    for name in EXTRACTORS:
        result[name] = {part: _means(scores) for part, scores in sorted(per[name].items())}
        result[name]["rejected"] = rejected[name]
    ours, base = set(rejected["newsweave"]), set(rejected["trafilatura"])
    result["rejected_but_baseline_extracts"] = sorted(ours - base)
    if keep_pages:
        result["page_scores"] = pages
    return result


def register_eval_metadata(eval_app: Any) -> None:
    """Add ``eval metadata --data DIR [--json] [--pages]`` to the Typer app ``eval_app``."""
    import typer

    @eval_app.command("metadata")
    def metadata_cmd(
        data: Path = typer.Option(..., "--data", help="Folder with ground_truth.jsonl and gzipped pages."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        pages: bool = typer.Option(False, "--pages", help="With --json: also each page's scores."),
    ) -> None:
        """Title, authors, date and body on publisher pages, beside plain trafilatura."""
        from newsweave.ingest.html import quiet_extractors

        quiet_extractors()
        result = evaluate_metadata(data, keep_pages=pages)
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False))
            return
        typer.echo(format_table(result))


def format_table(result: dict[str, Any]) -> str:
    """Plain-text table: one row per metric, one column per extractor and part."""
    cols = [(name, part) for name in EXTRACTORS for part in ("fit", "test", "all")]
    metrics = [
        "title_exact",
        "title_f1",
        "authors_equal",
        "authors_shared",
        "published_day",
        "body_f1",
        "overall",
        "pages",
    ]
    head = f"{'metric':<16}" + "".join(f"{n[:5] + ' ' + p:>13}" for n, p in cols)
    lines = [f"metadata on {result['data']} ({result['pages']} pages; split {result['split']})", head]
    for m in metrics:
        cells = []
        for name, part in cols:
            v = result[name].get(part, {}).get(m)
            cells.append(f"{v:>13.3f}" if isinstance(v, float) else f"{v if v is not None else '-':>13}")
        lines.append(f"{m:<16}" + "".join(cells))
    for name in EXTRACTORS:
        lines.append(f"{name} rejected: {len(result[name]['rejected'])} {' '.join(result[name]['rejected'])}")
    lost = result["rejected_but_baseline_extracts"]
    lines.append(f"rejected by newsweave, extracted by trafilatura: {len(lost)} {' '.join(lost)}")
    return "\n".join(lines)
