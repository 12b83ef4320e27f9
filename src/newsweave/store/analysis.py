"""Tables of the analysis stage: sentences, entity mentions, entities, quotes and quantities, keyed by
article id, each row with its character spans into ``Article.text``.

``save_analysis`` replaces whatever was stored for the same articles (idempotent, one transaction);
``load_analysis`` rebuilds the :class:`~newsweave.model.Analysis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from newsweave.errors import StoreError
from newsweave.model import Analysis, Entity, EntityMention, Quantity, Quote, Sentence, Span

ANALYSIS_DDL = """
CREATE TABLE IF NOT EXISTS analysis_runs (
    article_id VARCHAR PRIMARY KEY, analysed_at TIMESTAMPTZ, model VARCHAR
);
CREATE TABLE IF NOT EXISTS analysis_sentences (
    article_id VARCHAR, idx INTEGER, "start" INTEGER, "end" INTEGER, paragraph INTEGER
);
CREATE TABLE IF NOT EXISTS analysis_mentions (
    article_id VARCHAR, idx INTEGER, "start" INTEGER, "end" INTEGER, text VARCHAR, label VARCHAR,
    canonical VARCHAR
);
CREATE TABLE IF NOT EXISTS analysis_entities (
    article_id VARCHAR, canonical VARCHAR, label VARCHAR, aliases VARCHAR[], key VARCHAR
);
CREATE TABLE IF NOT EXISTS analysis_quotes (
    article_id VARCHAR, idx INTEGER, part_starts INTEGER[], part_ends INTEGER[], direct BOOLEAN,
    speaker VARCHAR, speaker_start INTEGER, speaker_end INTEGER, cue VARCHAR, cue_start INTEGER,
    cue_end INTEGER
);
CREATE TABLE IF NOT EXISTS analysis_quantities (
    article_id VARCHAR, idx INTEGER, "start" INTEGER, "end" INTEGER, text VARCHAR, value DOUBLE,
    low DOUBLE, high DOUBLE, unit VARCHAR, counted VARCHAR, counted_start INTEGER, counted_end INTEGER,
    hedge VARCHAR, kind VARCHAR, resolved VARCHAR
);
"""
TABLES = (
    "analysis_runs",
    "analysis_sentences",
    "analysis_mentions",
    "analysis_entities",
    "analysis_quotes",
    "analysis_quantities",
)


def ensure_analysis_schema(store: Any) -> None:
    store.ensure_schema(ANALYSIS_DDL)


def _opt(span: Span | None, attr: str) -> int | None:
    return getattr(span, attr) if span is not None else None


def _rows(analyses: Sequence[Analysis], model: str | None) -> dict[str, list[dict[str, Any]]]:
    now = datetime.now(UTC)
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for an in analyses:
        aid = an.article_id
        rows["analysis_runs"].append({"article_id": aid, "analysed_at": now, "model": model})
        for i, s in enumerate(an.sentences):
            rows["analysis_sentences"].append(
                {
                    "article_id": aid,
                    "idx": i,
                    "start": s.span.start,
                    "end": s.span.end,
                    "paragraph": s.paragraph,
                }
            )
        for i, m in enumerate(an.mentions):
            rows["analysis_mentions"].append(
                {"article_id": aid, "idx": i, "start": m.span.start, "end": m.span.end, "text": m.text,
                 "label": m.label, "canonical": m.canonical}
            )  # fmt: skip
        for e in an.entities:
            rows["analysis_entities"].append(
                {"article_id": aid, "canonical": e.canonical, "label": e.label, "aliases": list(e.aliases),
                 "key": e.key}
            )  # fmt: skip
        for i, q in enumerate(an.quotes):
            rows["analysis_quotes"].append(
                {"article_id": aid, "idx": i, "part_starts": [p.start for p in q.content],
                 "part_ends": [p.end for p in q.content], "direct": q.direct, "speaker": q.speaker,
                 "speaker_start": _opt(q.speaker_span, "start"), "speaker_end": _opt(q.speaker_span, "end"),
                 "cue": q.cue, "cue_start": _opt(q.cue_span, "start"), "cue_end": _opt(q.cue_span, "end")}
            )  # fmt: skip
        for i, x in enumerate(an.quantities):
            rows["analysis_quantities"].append(
                {"article_id": aid, "idx": i, "start": x.span.start, "end": x.span.end, "text": x.text,
                 "value": x.value, "low": x.low, "high": x.high, "unit": x.unit, "counted": x.counted,
                 "counted_start": _opt(x.counted_span, "start"), "counted_end": _opt(x.counted_span, "end"),
                 "hedge": x.hedge, "kind": x.kind, "resolved": x.resolved}
            )  # fmt: skip
    return rows


def _schema(store: Any, table: str) -> pa.Schema:
    return store.con.sql(f'SELECT * FROM "{table}" LIMIT 0').to_arrow_table().schema


def save_analysis(store: Any, analyses: Sequence[Analysis], model: str | None = None) -> int:
    """Store the analyses, replacing earlier results for the same articles. Returns how many were saved."""
    if not analyses:
        return 0
    ensure_analysis_schema(store)
    rows = _rows(analyses, model)
    ids = sorted({a.article_id for a in analyses})
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        for table in TABLES:
            con.execute(f'DELETE FROM "{table}" WHERE article_id IN (SELECT unnest(?))', [ids])
            if rows[table]:
                store.insert_arrow(table, pa.Table.from_pylist(rows[table], schema=_schema(store, table)))
        con.execute("COMMIT")
    except Exception as e:
        con.execute("ROLLBACK")
        raise StoreError(f"cannot save analysis: {e}") from e
    return len(ids)


def analysed_ids(store: Any) -> list[str]:
    if not _has_tables(store):
        return []
    return [
        r[0] for r in store.con.execute("SELECT article_id FROM analysis_runs ORDER BY article_id").fetchall()
    ]


def _fetch(store: Any, table: str, article_id: str, order: str = "idx") -> list[dict[str, Any]]:
    cur = store.con.execute(f'SELECT * FROM "{table}" WHERE article_id = ? ORDER BY {order}', [article_id])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _span(aid: str, start: int | None, end: int | None) -> Span | None:
    return Span(aid, start, end) if start is not None and end is not None else None


def _has_tables(store: Any) -> bool:
    rows = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'analysis_runs'"
    ).fetchall()
    return bool(rows and rows[0][0])


def load_analysis(store: Any, article_id: str) -> Analysis | None:
    """The stored analysis of one article, or None if it was never analysed (read-only safe)."""
    if not _has_tables(store) or not _fetch(store, "analysis_runs", article_id, "article_id"):
        return None
    a = article_id
    sentences = tuple(
        Sentence(Span(a, r["start"], r["end"]), r["paragraph"])
        for r in _fetch(store, "analysis_sentences", a)
    )
    mentions = tuple(
        EntityMention(Span(a, r["start"], r["end"]), r["text"], r["label"], r["canonical"])
        for r in _fetch(store, "analysis_mentions", a)
    )
    entities = tuple(
        Entity(r["canonical"], r["label"], tuple(r["aliases"] or ()), r["key"] or "")
        for r in _fetch(store, "analysis_entities", a, "canonical")
    )
    quotes = tuple(
        Quote(
            content=tuple(Span(a, s, e) for s, e in zip(r["part_starts"], r["part_ends"], strict=True)),
            direct=bool(r["direct"]),
            speaker=r["speaker"],
            speaker_span=_span(a, r["speaker_start"], r["speaker_end"]),
            cue=r["cue"],
            cue_span=_span(a, r["cue_start"], r["cue_end"]),
        )
        for r in _fetch(store, "analysis_quotes", a)
    )
    quantities = tuple(
        Quantity(
            Span(a, r["start"], r["end"]),
            r["text"],
            r["value"],
            low=r["low"],
            high=r["high"],
            unit=r["unit"],
            counted=r["counted"],
            counted_span=_span(a, r["counted_start"], r["counted_end"]),
            hedge=r["hedge"],
            kind=r["kind"],
            resolved=r["resolved"],
        )
        for r in _fetch(store, "analysis_quantities", a)
    )
    return Analysis(a, sentences, mentions, entities, quotes, quantities)


def entity_keys(store: Any, article_ids: Sequence[str]) -> dict[str, list[str]]:
    """The clustering's entity channel of analysed articles: each name mention's entity key, in order
    (:func:`newsweave.cluster.features.mention_keys`). Articles never analysed are absent."""
    from newsweave.cluster.features import mention_keys

    if not article_ids or not _has_tables(store):
        return {}
    store.con.register("_nw_ek", pa.table({"id": list(article_ids)}))
    try:
        rows = store.con.execute(
            "SELECT r.article_id, m.canonical, m.label, e.key FROM analysis_runs r "
            "JOIN _nw_ek i ON r.article_id = i.id "
            "LEFT JOIN analysis_mentions m ON m.article_id = r.article_id "
            "LEFT JOIN (SELECT DISTINCT ON (article_id, canonical) article_id, canonical, key "
            "           FROM analysis_entities) e ON e.article_id = m.article_id AND e.canonical = m.canonical "
            "ORDER BY r.article_id, m.idx"
        ).fetchall()
    finally:
        store.con.unregister("_nw_ek")
    grouped: dict[str, list[tuple[str | None, str | None, str | None]]] = {}
    for aid, canonical, label, key in rows:
        grouped.setdefault(aid, []).append((canonical, label, key))
    return {aid: mention_keys(ms) for aid, ms in grouped.items()}


def entity_names(store: Any, keys: Sequence[str]) -> dict[str, str]:
    """Entity key -> the canonical name most often stored under it (for showing keys to a reader)."""
    if not keys or not _has_tables(store):
        return {}
    rows = store.con.execute(
        "SELECT key, canonical, count(*) AS n FROM analysis_entities WHERE key IN (SELECT unnest(?)) "
        "GROUP BY key, canonical ORDER BY key, n DESC, canonical",
        [list(keys)],
    ).fetchall()
    out: dict[str, str] = {}
    for key, canonical, _ in rows:
        out.setdefault(key, canonical)
    return out


def sentence_spans(store: Any) -> list[tuple[str, int, int]]:
    """(article id, start, end) of every stored sentence, by article and position (search's claims)."""
    if not _has_tables(store):
        return []
    rows = store.con.execute(
        'SELECT article_id, "start", "end" FROM analysis_sentences ORDER BY article_id, idx'
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def entity_index_rows(store: Any) -> list[tuple[str, str, list[str], list[str]]]:
    """(canonical name, label, aliases, article ids) of every stored entity, one row per name and label
    across articles (search's entities)."""
    if not _has_tables(store):
        return []
    rows = store.con.execute(
        """SELECT canonical, label, list(DISTINCT a) FILTER (WHERE a IS NOT NULL), list(DISTINCT article_id)
           FROM (SELECT canonical, label, unnest(CASE WHEN len(aliases) = 0 THEN [NULL] ELSE aliases END) AS a,
                        article_id FROM analysis_entities)
           GROUP BY canonical, label ORDER BY canonical, label"""
    ).fetchall()
    return [(r[0], r[1], sorted(r[2] or []), sorted(r[3] or [])) for r in rows]


def first_mentions(store: Any) -> dict[tuple[str, str], tuple[int, int]]:
    """(article id, canonical name) -> (start, end) of the entity's first mention in that article."""
    if not _has_tables(store):
        return {}
    rows = store.con.execute(
        """SELECT article_id, canonical, min_by("start", idx), min_by("end", idx) FROM analysis_mentions
           GROUP BY article_id, canonical"""
    ).fetchall()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}
