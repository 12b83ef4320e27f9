"""The Spark job's rows: articles and analyses as plain tuples and dicts, and back.

One definition of each output table's columns serves both sides: the job writes rows built here, and
``newsweave import-parquet`` (:mod:`newsweave.spark.load`) turns the same rows back into
:class:`~newsweave.model.Article` and (through the store's own decoder) :class:`~newsweave.model.Analysis`. Nothing here
imports pyspark: the Spark schemas are made from :data:`ARTICLE_COLUMNS` and friends in
:mod:`newsweave.spark.schemas`.

Publication times are kept twice: ``published_at`` as written (ISO 8601, with the zone the input gave, or
none), and ``published_utc`` (seconds since the epoch) for the time windows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from newsweave.model import (
    Analysis,
    Article,
    Origin,
    Rejected,
    Span,
)
from newsweave.store.schema_rows import FIGURE_COLUMNS, figure_columns

# (name, type) of each table's columns; types are Spark SQL type names (see spark/schemas.py)
ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"),
    ("seq", "bigint"),  # input order: (input index << 32) + record index; the local engine's order
    ("text", "string"),
    ("source", "string"),
    ("url", "string"),
    ("title", "string"),
    ("subtitle", "string"),
    ("summary", "string"),
    ("byline", "string"),
    ("published_at", "string"),
    ("published_utc", "double"),
    ("published_raw", "string"),
    ("updated_raw", "string"),
    ("language", "string"),
    ("paragraphs", "array<array<int>>"),
    ("origin_path", "string"),
    ("origin_position", "string"),
    ("origin_format", "string"),
)
REJECTED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("path", "string"),
    ("position", "string"),
    ("reason", "string"),
    ("format", "string"),
)
SENTENCE_FIELDS: tuple[tuple[str, str], ...] = (
    ("idx", "int"),
    ("start", "int"),
    ("end", "int"),
    ("paragraph", "int"),
)
MENTION_FIELDS: tuple[tuple[str, str], ...] = (
    ("idx", "int"),
    ("start", "int"),
    ("end", "int"),
    ("text", "string"),
    ("label", "string"),
    ("canonical", "string"),
)
ENTITY_FIELDS: tuple[tuple[str, str], ...] = (
    ("canonical", "string"),
    ("label", "string"),
    ("aliases", "array<string>"),
    ("key", "string"),
)
QUOTE_FIELDS: tuple[tuple[str, str], ...] = (
    ("idx", "int"),
    ("part_starts", "array<int>"),
    ("part_ends", "array<int>"),
    ("direct", "boolean"),
    ("speaker", "string"),
    ("speaker_start", "int"),
    ("speaker_end", "int"),
    ("cue", "string"),
    ("cue_start", "int"),
    ("cue_end", "int"),
)
NUMBER_FIELDS: tuple[tuple[str, str], ...] = (
    ("idx", "int"),
    ("start", "int"),
    ("end", "int"),
    ("text", "string"),
    ("value", "double"),
    ("low", "double"),
    ("high", "double"),
    ("unit", "string"),
    ("counted", "string"),
    ("counted_start", "int"),
    ("counted_end", "int"),
    ("hedge", "string"),
    ("kind", "string"),
    ("resolved", "string"),
    # the quantity's figure (the comparison's reading, newsweave.model.Figure), all null without one; an output
    # folder written before has no such columns, and its quantities load without figures
    ("fig_low", "double"),
    ("fig_high", "double"),
    ("fig_exact", "double"),
    ("fig_dim", "string"),
    ("fig_hedge", "string"),
    ("fig_range", "boolean"),
    ("fig_converted", "boolean"),
    ("fig_relative", "string"),
    ("fig_small", "boolean"),
    ("fig_month", "int"),
    ("fig_open_high", "boolean"),
    ("fig_unit", "string"),
    ("fig_step", "double"),
    ("fig_strict", "string"),
)
assert tuple(n for n, _ in NUMBER_FIELDS[-len(FIGURE_COLUMNS) :]) == FIGURE_COLUMNS
# the analysis' marked spans (quoted stretches that are not quotes): one row per article that has them looked
# for, none otherwise (an analysis without quotes)
MARKED_FIELDS: tuple[tuple[str, str], ...] = (("starts", "array<int>"), ("ends", "array<int>"))
# where the analysis stopped (newsweave.model.Analysis.analysed_chars): one row per article longer than the most
# characters analysed, none for an article analysed whole
TRUNCATED_FIELDS: tuple[tuple[str, str], ...] = (("analysed_chars", "int"),)
# the analysis tables: output table name -> its fields (each row also has ``article_id`` first)
ANALYSIS_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "sentences": SENTENCE_FIELDS,
    "mentions": MENTION_FIELDS,
    "entities": ENTITY_FIELDS,
    "quotes": QUOTE_FIELDS,
    "numbers": NUMBER_FIELDS,
    "marked": MARKED_FIELDS,
    "truncated": TRUNCATED_FIELDS,
}


def article_row(a: Article, seq: int) -> tuple[Any, ...]:
    utc = a.published_utc
    return (
        a.id,
        seq,
        a.text,
        a.source,
        a.url,
        a.title,
        a.subtitle,
        a.summary,
        a.byline,
        a.published_at.isoformat() if a.published_at else None,
        utc.timestamp() if utc else None,
        a.published_raw,
        a.updated_raw,
        a.language,
        [list(p) for p in a.paragraphs],
        a.origin.path,
        a.origin.position,
        a.origin.format,
    )


def row_article(r: Mapping[str, Any]) -> Article:
    """The Article of an ``articles`` row (a dict or a Spark Row as dict)."""
    published = r.get("published_at")
    paragraphs = r.get("paragraphs")
    return Article(
        id=r["id"],
        text=r["text"],
        source=r.get("source"),
        url=r.get("url"),
        title=r.get("title"),
        subtitle=r.get("subtitle"),
        summary=r.get("summary"),
        byline=r.get("byline"),
        published_at=datetime.fromisoformat(published) if published else None,
        published_raw=r.get("published_raw"),
        updated_raw=r.get("updated_raw"),
        language=r.get("language"),
        paragraphs=tuple((int(p[0]), int(p[1])) for p in paragraphs) if paragraphs is not None else (),
        origin=Origin(
            path=r.get("origin_path") or "",
            position=r.get("origin_position") or "",
            format=r.get("origin_format") or "",
        ),
    )


def rejected_row(r: Rejected) -> tuple[str, str, str, str]:
    return (r.path, r.position, r.reason, r.format)


def _opt(span: Span | None, attr: str) -> int | None:
    return getattr(span, attr) if span is not None else None


def _float(x: float | None) -> float | None:
    return float(x) if x is not None else None


def analysis_rows(an: Analysis) -> dict[str, list[tuple[Any, ...]]]:
    """One analysis as the rows of each table of :data:`ANALYSIS_TABLES` (without ``article_id``)."""
    return {
        "sentences": [(i, s.span.start, s.span.end, s.paragraph) for i, s in enumerate(an.sentences)],
        "mentions": [
            (i, m.span.start, m.span.end, m.text, m.label, m.canonical) for i, m in enumerate(an.mentions)
        ],
        "entities": [(e.canonical, e.label, list(e.aliases), e.key) for e in an.entities],
        "quotes": [
            (
                i,
                [p.start for p in q.content],
                [p.end for p in q.content],
                q.direct,
                q.speaker,
                _opt(q.speaker_span, "start"),
                _opt(q.speaker_span, "end"),
                q.cue,
                _opt(q.cue_span, "start"),
                _opt(q.cue_span, "end"),
            )
            for i, q in enumerate(an.quotes)
        ],  # fmt: skip
        "numbers": [
            (
                i,
                x.span.start,
                x.span.end,
                x.text,
                _float(x.value),
                _float(x.low),
                _float(x.high),
                x.unit,
                x.counted,
                _opt(x.counted_span, "start"),
                _opt(x.counted_span, "end"),
                x.hedge,
                x.kind,
                x.resolved,
                *figure_columns(x.figure).values(),
            )
            for i, x in enumerate(an.quantities)
        ],  # fmt: skip
        "marked": (
            [([m.start for m in an.marked], [m.end for m in an.marked])] if an.marked is not None else []
        ),
        "truncated": [(an.analysed_chars,)] if an.analysed_chars is not None else [],
    }
