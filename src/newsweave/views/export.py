"""Every stored row of one kind, written as CSV, JSON Lines or Parquet (``newsweave export``).

Kinds: ``articles`` (metadata and text), ``stories`` (members, outlets, time span), ``claims`` (of each
story's comparison, :mod:`newsweave.views.claims`), ``quotes`` and
``numbers`` (from the stored analyses, each with its article, outlet and character span). Rows are read
and written in batches, so a large store is exported in bounded memory; nothing is left out: the count
written is returned and equals the rows stored.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsweave.errors import UsageError
from newsweave.store import Store
from newsweave.views.claims import CLAIM_SCHEMA, claim_rows
from newsweave.views.comparison import StoryCompareOptions

EXPORT_KINDS = ("articles", "stories", "claims", "quotes", "numbers")
EXPORT_FORMATS = ("csv", "jsonl", "parquet")
BATCH = 1000  # rows per write (bounded memory; a batch of 1,000 full articles is a few MB)

_STR, _INT, _FLOAT, _BOOL = pa.string(), pa.int64(), pa.float64(), pa.bool_()
_TIME = pa.timestamp("us", tz="UTC")
SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [("id", _STR), ("source", _STR), ("url", _STR), ("title", _STR), ("subtitle", _STR), ("summary", _STR),
         ("byline", _STR), ("published_at", _TIME), ("published_raw", _STR), ("language", _STR), ("text", _STR),
         ("origin_path", _STR), ("origin_position", _STR), ("origin_format", _STR)]
    ),
    "stories": pa.schema(
        [("id", _STR), ("title", _STR), ("n_articles", _INT), ("sources", pa.list_(_STR)),
         ("article_ids", pa.list_(_STR)), ("first_seen", _TIME), ("last_seen", _TIME)]
    ),
    "quotes": pa.schema(
        [("article_id", _STR), ("idx", _INT), ("source", _STR), ("speaker", _STR), ("cue", _STR),
         ("direct", _BOOL), ("text", _STR), ("start", _INT), ("end", _INT)]
    ),
    "numbers": pa.schema(
        [("article_id", _STR), ("idx", _INT), ("source", _STR), ("text", _STR), ("value", _FLOAT), ("low", _FLOAT),
         ("high", _FLOAT), ("unit", _STR), ("counted", _STR), ("hedge", _STR), ("kind", _STR),
         ("resolved", _STR), ("start", _INT), ("end", _INT),
         # the comparison's reading of the figure (null for a quantity it does not compare: a weekday)
         ("fig_low", _FLOAT), ("fig_high", _FLOAT), ("fig_exact", _FLOAT), ("fig_dim", _STR), ("fig_hedge", _STR),
         ("fig_range", _BOOL), ("fig_converted", _BOOL), ("fig_relative", _STR), ("fig_small", _BOOL),
         ("fig_month", _INT), ("fig_open_high", _BOOL), ("fig_unit", _STR), ("fig_step", _FLOAT),
         ("fig_strict", _STR)]
    ),
}  # fmt: skip


def _articles(store: Store) -> Iterator[dict[str, Any]]:
    for a in store.iter_articles(batch=BATCH):
        yield {
            "id": a.id, "source": a.source, "url": a.url, "title": a.title, "subtitle": a.subtitle,
            "summary": a.summary, "byline": a.byline, "published_at": a.published_at,
            "published_raw": a.published_raw, "language": a.language, "text": a.text,
            "origin_path": a.origin.path, "origin_position": a.origin.position, "origin_format": a.origin.format,
        }  # fmt: skip


def _stories(store: Store) -> Iterator[dict[str, Any]]:
    for s in store.list_stories():
        yield {"id": s.id, "title": s.title, "n_articles": len(s.article_ids), "sources": list(s.sources),
               "article_ids": list(s.article_ids), "first_seen": s.first_seen, "last_seen": s.last_seen}  # fmt: skip


def _quotes(store: Store) -> Iterator[dict[str, Any]]:
    for aid, idx, source, speaker, cue, direct, starts, ends, text in store.export_rows("quotes", BATCH):
        parts = list(zip(starts or [], ends or [], strict=True))
        yield {"article_id": aid, "idx": idx, "source": source, "speaker": speaker, "cue": cue, "direct": direct,
               "text": " … ".join(text[s:e] for s, e in parts), "start": min((s for s, _ in parts), default=None),
               "end": max((e for _, e in parts), default=None)}  # fmt: skip


def _numbers(store: Store) -> Iterator[dict[str, Any]]:
    cols = SCHEMAS["numbers"].names
    for r in store.export_rows("numbers", BATCH):
        yield dict(zip(cols, r, strict=True))


_ROWS = {"articles": _articles, "stories": _stories, "quotes": _quotes, "numbers": _numbers}
SCHEMAS["claims"] = CLAIM_SCHEMA


def export_rows(
    store: Store, kind: str, compare: StoryCompareOptions | None = None
) -> Iterator[dict[str, Any]]:
    """Every stored row of ``kind`` as a dict (columns as in :data:`SCHEMAS`); claims come from the
    comparison of each stored story (``compare``: its options)."""
    if kind not in EXPORT_KINDS:
        raise UsageError(f"cannot export {kind!r}; choose from {', '.join(EXPORT_KINDS)}")
    if kind == "claims":
        return claim_rows(store, compare)
    return _ROWS[kind](store)


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _plain(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat()
    return v


def _write_text(rows: Iterator[dict[str, Any]], kind: str, fmt: str, out: IO[str]) -> int:
    n = 0
    names = SCHEMAS[kind].names
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
        writer.writeheader()
    for r in rows:
        if writer is not None:
            writer.writerow(
                {
                    k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else _plain(v)
                    for k, v in r.items()
                }
            )
        else:
            out.write(json.dumps({k: _plain(v) for k, v in r.items()}, ensure_ascii=False) + "\n")
        n += 1
    return n


def export(
    store: Store,
    kind: str,
    fmt: str,
    out: Path | IO[str] | None = None,
    compare: StoryCompareOptions | None = None,
) -> int:
    """Write every row of ``kind`` in ``fmt`` to the file ``out`` (or the text stream, default stdout).
    A file is written beside its final name and renamed at the end, so it is whole or absent.
    Returns the number of rows written."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
    rows = export_rows(store, kind, compare)
    if not isinstance(out, Path):
        if fmt == "parquet":
            raise UsageError("parquet is binary: give a file (--out FILE)")
        import sys

        return _write_text(rows, kind, fmt, out or sys.stdout)
    tmp = out.with_name(out.name + ".part")
    try:
        if fmt == "parquet":
            n = 0
            with pq.ParquetWriter(tmp, SCHEMAS[kind]) as writer:
                for batch in _batches(rows):
                    writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMAS[kind]))
                    n += len(batch)
                if n == 0:
                    writer.write_table(SCHEMAS[kind].empty_table())
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                n = _write_text(rows, kind, fmt, f)
        os.replace(tmp, out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {out}: {e}") from e
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


def export_text(store: Store, kind: str, fmt: str, compare: StoryCompareOptions | None = None) -> str:
    """The export as one string (CSV or JSON Lines), for small stores and tests."""
    buf = io.StringIO()
    export(store, kind, fmt, buf, compare)
    return buf.getvalue()
