"""The reading queries of the views, the search index, the export and the pipeline's bookkeeping (the SQL
those modules used to hold), written once for both backends."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from newsweave.errors import UsageError
from newsweave.store.base import IDS, SqlStore

# Which table records that an article went through a stage (``pending_ids``).
_DONE = {"analyse": "analysis_runs", "stories": "story_articles"}

# Articles naming an entity: its canonical name or the words used for it (two LIKE parameters).
_NAMING = (
    "SELECT article_id FROM analysis_mentions WHERE canonical ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\'"
)


def like(word: str) -> str:
    """A LIKE pattern matching ``word`` anywhere, its own % _ and \\ taken literally."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def pending_ids(store: SqlStore, stage: str) -> list[str]:
    """Ids of stored articles that ``stage`` ("analyse" or "stories") has not done, in the order added."""
    table = _DONE[stage]
    rows = store.query(
        f"SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM {table}) ORDER BY added_at, id"
    )
    return [r[0] for r in rows]


def find_article_ids(
    store: SqlStore,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    words: Sequence[str] = (),
    entity: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[str], int]:
    """Ids of the articles kept by the filters, in publication order (undated last), one page of them
    (``limit``/``offset``), and how many match in all. ``words``: each in the headline or text; ``entity``:
    a mention's canonical name or surface form contains it (case-insensitive)."""
    where: list[str] = []
    params: list[Any] = []
    if source:
        where.append("source = ?")
        params.append(source)
    if since is not None:
        where.append("published_at >= ?")
        params.append(since)
    if until is not None:
        where.append("published_at < ?")
        params.append(until)
    for word in words:
        where.append("(coalesce(title, '') || ' ' || text) ILIKE ? ESCAPE '\\'")
        params.append(like(word))
    if entity:
        where.append(f"id IN ({_NAMING})")
        params += [like(entity)] * 2
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    page = ""
    if limit is not None:
        page = f" LIMIT {int(limit)} OFFSET {int(offset)}"
        total = int(store.query(f"SELECT count(*) FROM articles{cond}", params)[0][0])
    sql = f"SELECT id FROM articles{cond} ORDER BY published_at NULLS LAST, added_at, id{page}"
    ids = [r[0] for r in store.query(sql, params)]
    return ids, (total if limit is not None else len(ids))


def outlets(store: SqlStore) -> list[str]:
    rows = store.query("SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY source")
    return [r[0] for r in rows]


def stories_naming(store: SqlStore, entity: str) -> set[str]:
    rows = store.query(
        f"SELECT DISTINCT story_id FROM story_articles WHERE article_id IN ({_NAMING})", [like(entity)] * 2
    )
    return {r[0] for r in rows}


def member_titles(store: SqlStore) -> dict[str, str]:
    """Story id -> its articles' headlines, joined by spaces (for the story search)."""
    rows = store.query(
        "SELECT s.story_id, string_agg(coalesce(a.title, ''), ' ' ORDER BY a.id) FROM story_articles s "
        "JOIN articles a ON a.id = s.article_id GROUP BY s.story_id"
    )
    return {r[0]: r[1] or "" for r in rows}


def story_of(store: SqlStore, article_id: str) -> str | None:
    rows = store.query("SELECT story_id FROM story_articles WHERE article_id = ?", [article_id])
    return str(rows[0][0]) if rows else None


def stories_of(store: SqlStore, article_ids: Sequence[str]) -> set[str]:
    """The stories the articles ``article_ids`` belong to (articles in none are left out)."""
    ids = sorted(set(article_ids))
    out: set[str] = set()
    for i in range(0, len(ids), 5000):  # a bounded parameter per query
        rows = store.query(f"SELECT DISTINCT story_id FROM story_articles WHERE article_id IN {IDS}",
                           [ids[i : i + 5000]])  # fmt: skip
        out.update(str(r[0]) for r in rows)
    return out


def content_version(store: SqlStore) -> tuple[Any, ...]:
    """Changes whenever articles are added or analysed."""
    arts = store.query("SELECT count(*), max(added_at) FROM articles")[0]
    runs = store.query("SELECT count(*), max(analysed_at) FROM analysis_runs")[0]
    return (*arts, *runs)


def analysis_version(store: SqlStore, article_ids: Sequence[str]) -> tuple[Any, ...]:
    """(latest analysis time, articles analysed) of ``article_ids``: changes when one is re-analysed."""
    rows = store.query(
        f"SELECT max(analysed_at), count(*) FROM analysis_runs WHERE article_id IN {IDS}", [list(article_ids)]
    )
    return (rows[0][0], rows[0][1])


def search_documents(store: SqlStore) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The search index's input: (id, source, title, published_at, text) of every article in publication
    order, and (article_id, part_starts, part_ends, speaker) of every quote."""
    articles = store.query(
        "SELECT id, source, title, published_at, text FROM articles ORDER BY published_at NULLS LAST, id"
    )
    quotes = store.query(
        "SELECT article_id, part_starts, part_ends, speaker FROM analysis_quotes ORDER BY article_id, idx"
    )
    return articles, quotes


_EXPORTS = {
    "quotes": (
        "SELECT q.article_id, q.idx, a.source, q.speaker, q.cue, q.direct, q.part_starts, q.part_ends, a.text "
        "FROM analysis_quotes q JOIN articles a ON a.id = q.article_id ORDER BY q.article_id, q.idx"
    ),
    "numbers": (
        "SELECT x.article_id, x.idx, a.source, x.text, x.value, x.low, x.high, x.unit, x.counted, x.hedge, "
        'x.kind, x.resolved, x."start", x."end", '
        "x.fig_low, x.fig_high, x.fig_exact, x.fig_dim, x.fig_hedge, x.fig_range, x.fig_converted, "
        "x.fig_relative, x.fig_small, x.fig_month, x.fig_open_high, x.fig_unit, x.fig_step, x.fig_strict "
        "FROM analysis_quantities x JOIN articles a ON a.id = x.article_id "
        "ORDER BY x.article_id, x.idx"
    ),
}


def export_rows(store: SqlStore, kind: str, batch: int = 1000) -> Iterator[tuple[Any, ...]]:
    """The rows of the ``quotes`` or ``numbers`` export, read ``batch`` at a time."""
    if kind not in _EXPORTS:
        raise UsageError(f"no export query for {kind!r}")
    return store.stream(_EXPORTS[kind], (), batch)
