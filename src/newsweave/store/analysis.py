"""Tables of the analysis stage: sentences, entity mentions, entities, quotes, quantities and marked spans,
keyed by article id, each row with its character spans into ``Article.text``.

``save_analysis`` replaces whatever was stored for the same articles (idempotent, one transaction);
``load_analysis`` rebuilds the :class:`~newsweave.model.Analysis`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from newsweave.errors import StoreError
from newsweave.model import Analysis, Entity, EntityMention, Quantity, Quote, Sentence, Span
from newsweave.store.base import IDS, SqlStore
from newsweave.store.schema_rows import FIGURE_COLUMNS, figure_columns, figure_from_row

TABLES = (
    "analysis_runs",
    "analysis_sentences",
    "analysis_mentions",
    "analysis_entities",
    "analysis_quotes",
    "analysis_quantities",
    "analysis_marked",
)


def ensure_analysis_schema(store: Any) -> None:
    """Kept for old callers: the analysis tables exist from a store's first open (``store.schema``)."""


_COLUMNS = {
    "analysis_runs": ("article_id", "analysed_at", "model", "analysed_chars"),
    "analysis_sentences": ("article_id", "idx", "start", "end", "paragraph"),
    "analysis_mentions": ("article_id", "idx", "start", "end", "text", "label", "canonical"),
    "analysis_entities": ("article_id", "canonical", "label", "aliases", "key"),
    "analysis_quotes": ("article_id", "idx", "part_starts", "part_ends", "direct", "speaker", "speaker_start",
                        "speaker_end", "cue", "cue_start", "cue_end"),
    "analysis_quantities": ("article_id", "idx", "start", "end", "text", "value", "low", "high", "unit",
                            "counted", "counted_start", "counted_end", "hedge", "kind", "resolved",
                            *FIGURE_COLUMNS),
    "analysis_marked": ("article_id", "starts", "ends"),
}  # fmt: skip


def _opt(span: Span | None, attr: str) -> int | None:
    return getattr(span, attr) if span is not None else None


def _rows(analyses: Sequence[Analysis], model: str | None) -> dict[str, list[dict[str, Any]]]:
    now = datetime.now(UTC)
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for an in analyses:
        aid = an.article_id
        rows["analysis_runs"].append(
            {"article_id": aid, "analysed_at": now, "model": model, "analysed_chars": an.analysed_chars}
        )
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
                 "hedge": x.hedge, "kind": x.kind, "resolved": x.resolved, **figure_columns(x.figure)}
            )  # fmt: skip
        if an.marked is not None:  # one row, empty lists when there are none; no row: never looked for
            rows["analysis_marked"].append(
                {
                    "article_id": aid,
                    "starts": [m.start for m in an.marked],
                    "ends": [m.end for m in an.marked],
                }
            )
    return rows


def save_analysis(store: SqlStore, analyses: Sequence[Analysis], model: str | None = None) -> int:
    """Store the analyses, replacing earlier results for the same articles (one transaction, under the
    ``analysis`` lock). Returns how many were saved."""
    if not analyses:
        return 0
    rows = _rows(analyses, model)
    ids = sorted({a.article_id for a in analyses})
    try:
        with store.lock("analysis"), store.transaction():
            for table in TABLES:
                store.execute(f'DELETE FROM "{table}" WHERE article_id IN {IDS}', [ids])
                store.insert_records(table, rows[table])
    except StoreError:
        raise
    except Exception as e:
        raise StoreError(f"cannot save analysis: {e}") from e
    return len(ids)


def analysed_ids(store: SqlStore) -> list[str]:
    return [r[0] for r in store.query("SELECT article_id FROM analysis_runs ORDER BY article_id")]


# an analysis stored before schema version 6: numbers read, none with the finder's figure (since v6 every
# number, range and year the analysis keeps is one of the finder's figures; only dates may have none)
_LACKS_FIGURES = (
    "EXISTS (SELECT 1 FROM analysis_quantities q WHERE q.article_id = r.article_id"
    " AND q.kind IN ('number', 'range', 'year')) AND NOT EXISTS (SELECT 1 FROM analysis_quantities q"
    " WHERE q.article_id = r.article_id AND q.fig_dim IS NOT NULL)"
)


def outdated_analysis_ids(
    store: SqlStore,
    lacking_marked: bool = True,
    before: datetime | None = None,
    lacking_figures: bool = False,
) -> list[str]:
    """Analysed articles whose analysis is out of date: with ``lacking_marked``, those without a marked
    spans row (analysed before schema version 4, or imported without them); with ``lacking_figures``, those
    whose numbers have no figure (analysed before schema version 6: their comparisons find the numbers in
    the text again); with ``before``, those analysed before that time. In article id order."""
    where, params = [], []
    if lacking_marked:
        where.append("NOT EXISTS (SELECT 1 FROM analysis_marked m WHERE m.article_id = r.article_id)")
    if lacking_figures:
        where.append(f"({_LACKS_FIGURES})")
    if before is not None:
        where.append("(r.analysed_at IS NULL OR r.analysed_at < ?)")
        params.append(before)
    if not where:
        return []
    sql = f"SELECT r.article_id FROM analysis_runs r WHERE {' OR '.join(where)} ORDER BY r.article_id"
    return [r[0] for r in store.query(sql, params)]


def _fetch(store: SqlStore, table: str, article_id: str, order: str = "idx") -> list[dict[str, Any]]:
    cols = _COLUMNS[table]
    quoted = ", ".join(f'"{c}"' for c in cols)
    rows = store.query(f'SELECT {quoted} FROM "{table}" WHERE article_id = ? ORDER BY {order}', [article_id])
    return [dict(zip(cols, r, strict=True)) for r in rows]


def _span(aid: str, start: int | None, end: int | None) -> Span | None:
    return Span(aid, start, end) if start is not None and end is not None else None


def load_analysis(store: SqlStore, article_id: str) -> Analysis | None:
    """The stored analysis of one article, or None if it was never analysed (read-only safe)."""
    runs = _fetch(store, "analysis_runs", article_id, "article_id")
    if not runs:
        return None
    order = {"entities": "canonical", "marked": "article_id"}
    tables = {k: _fetch(store, f"analysis_{t}", article_id, order.get(k, "idx")) for k, t in _KINDS.items()}
    truncated = [r for r in runs if r["analysed_chars"] is not None]
    return analysis_from_rows(article_id, {**tables, "truncated": truncated})


# the rows of one analysis by kind (the Spark job's table names) -> the store's table suffix
_KINDS = {"sentences": "sentences", "mentions": "mentions", "entities": "entities", "quotes": "quotes",
          "numbers": "quantities", "marked": "marked"}  # fmt: skip


def analysis_from_rows(article_id: str, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> Analysis:
    """The Analysis of one article from its rows of each kind (``sentences``, ``mentions``, ``entities``,
    ``quotes``, ``numbers``, ``marked``; dicts keyed by column name, in any order): the one decoder of the
    stored analysis, for the store's tables and the Spark job's Parquet output alike. No ``marked`` row (an
    analysis stored before they were kept): ``marked`` is None. A ``truncated`` row gives ``analysed_chars``
    (the analysis stopped there); without one it is None (all of the text analysed)."""
    a = article_id
    marked_rows = tables.get("marked") or ()
    truncated = tables.get("truncated") or ()

    def rows(name: str, key: str = "idx") -> list[Mapping[str, Any]]:
        return sorted(tables.get(name, ()), key=lambda r: r[key])

    return Analysis(
        a,
        sentences=tuple(Sentence(Span(a, r["start"], r["end"]), r["paragraph"]) for r in rows("sentences")),
        mentions=tuple(
            EntityMention(Span(a, r["start"], r["end"]), r["text"], r["label"], r["canonical"])
            for r in rows("mentions")
        ),
        entities=tuple(
            Entity(r["canonical"], r["label"], tuple(r["aliases"] or ()), r["key"] or "")
            for r in rows("entities", "canonical")
        ),
        quotes=tuple(
            Quote(
                content=tuple(Span(a, s, e) for s, e in zip(r["part_starts"], r["part_ends"], strict=True)),
                direct=bool(r["direct"]),
                speaker=r["speaker"],
                speaker_span=_span(a, r["speaker_start"], r["speaker_end"]),
                cue=r["cue"],
                cue_span=_span(a, r["cue_start"], r["cue_end"]),
            )
            for r in rows("quotes")
        ),
        quantities=tuple(
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
                figure=figure_from_row(r),
            )
            for r in rows("numbers")
        ),
        marked=(
            tuple(Span(a, s, e) for r in marked_rows for s, e in zip(r["starts"], r["ends"], strict=True))
            if marked_rows
            else None
        ),
        analysed_chars=truncated[0]["analysed_chars"] if truncated else None,
    )


def entity_keys(store: SqlStore, article_ids: Sequence[str]) -> dict[str, list[str]]:
    """The clustering's entity channel of analysed articles: each name mention's entity key, in order
    (:func:`newsweave.cluster.features.mention_keys`). Articles never analysed are absent."""
    from newsweave.cluster.features import mention_keys

    if not article_ids:
        return {}
    rows = store.query(
        "SELECT r.article_id, m.canonical, m.label, e.key FROM analysis_runs r "
        "LEFT JOIN analysis_mentions m ON m.article_id = r.article_id "
        "LEFT JOIN (SELECT DISTINCT ON (article_id, canonical) article_id, canonical, key "
        f"           FROM analysis_entities WHERE article_id IN {IDS} ORDER BY article_id, canonical, key) e "
        "  ON e.article_id = m.article_id AND e.canonical = m.canonical "
        f"WHERE r.article_id IN {IDS} ORDER BY r.article_id, m.idx",
        [list(article_ids), list(article_ids)],
    )
    grouped: dict[str, list[tuple[str | None, str | None, str | None]]] = {}
    for aid, canonical, label, key in rows:
        grouped.setdefault(aid, []).append((canonical, label, key))
    return {aid: mention_keys(ms) for aid, ms in grouped.items()}


def entity_names(store: SqlStore, keys: Sequence[str]) -> dict[str, str]:
    """Entity key -> the canonical name most often stored under it (for showing keys to a reader)."""
    if not keys:
        return {}
    rows = store.query(
        f"SELECT key, canonical, count(*) AS n FROM analysis_entities WHERE key IN {IDS} "
        "GROUP BY key, canonical ORDER BY key, n DESC, canonical",
        [list(keys)],
    )
    out: dict[str, str] = {}
    for key, canonical, _ in rows:
        out.setdefault(key, canonical)
    return out


def sentence_spans(store: SqlStore) -> list[tuple[str, int, int]]:
    """(article id, start, end) of every stored sentence, by article and position (search's claims)."""
    rows = store.query('SELECT article_id, "start", "end" FROM analysis_sentences ORDER BY article_id, idx')
    return [(r[0], r[1], r[2]) for r in rows]


def entity_index_rows(store: SqlStore) -> list[tuple[str, str, list[str], list[str]]]:
    """(canonical name, label, aliases, article ids) of every stored entity, one row per name and label
    across articles (search's entities)."""
    ids = store.query(
        "SELECT canonical, label, array_agg(DISTINCT article_id) FROM analysis_entities "
        "GROUP BY canonical, label ORDER BY canonical, label"
    )
    aliases: dict[tuple[str, str], list[str]] = {}
    for canonical, label, alias in store.query(
        "SELECT DISTINCT canonical, label, a FROM (SELECT canonical, label, unnest(aliases) AS a "
        "FROM analysis_entities) t WHERE a IS NOT NULL"
    ):
        aliases.setdefault((canonical, label), []).append(alias)
    return [(r[0], r[1], sorted(aliases.get((r[0], r[1]), [])), sorted(r[2] or [])) for r in ids]


def first_mentions(store: SqlStore) -> dict[tuple[str, str], tuple[int, int]]:
    """(article id, canonical name) -> (start, end) of the entity's first mention in that article."""
    rows = store.query(
        'SELECT DISTINCT ON (article_id, canonical) article_id, canonical, "start", "end" '
        "FROM analysis_mentions ORDER BY article_id, canonical, idx"
    )
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}
