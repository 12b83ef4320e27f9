"""The store, on both backends (DuckDB and PostgreSQL): idempotent bulk adds, rejected records, lookups,
transactions, schema versions and read-only opens."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsweave.errors import NotFoundError
from newsweave.model import Article, Origin, Rejected, article_id_for
from newsweave.store import Store, default_db_path


def _article(text: str, **kw: object) -> Article:
    return Article(id=article_id_for(text), text=text, paragraphs=((0, len(text)),), **kw)  # type: ignore[arg-type]


def test_add_is_idempotent_and_counts_duplicates(store_target: object) -> None:
    db = store_target
    a = _article("First report of the flood.", source="a.example", origin=Origin("a.txt"))
    b = _article("Second report of the flood.", source="b.example", origin=Origin("b.txt"))
    a_again = _article("  first REPORT of the flood. ", source="c.example", origin=Origin("c.txt"))
    assert a.id == a_again.id  # identity is the normalised text
    with Store.open(db) as s:
        added, dups = s.add_articles([a, b, a_again])
        assert added == [a.id, b.id]
        assert dups == [a.id]
    with Store.open(db) as s:
        added, dups = s.add_articles([a, b])
        assert added == [] and dups == [a.id, b.id]
        assert s.count_articles() == 2
        origins = s.query("SELECT count(*) FROM article_origins")[0][0]
        assert origins == 3  # a.txt, b.txt, c.txt: every place an article was seen is kept


def test_round_trip_keeps_every_field(store_target: object) -> None:
    when = datetime(2025, 4, 25, 9, 30, tzinfo=UTC)
    a = _article(
        "Body “with curly quotes” kept.",
        source="x.example",
        url="https://x.example/a",
        title="T",
        subtitle="S",
        summary="Sum",
        byline="Ann Author",
        published_at=when,
        published_raw="Fri, 25 Apr 2025 09:30:00 GMT",
        language="en",
        origin=Origin("f.jsonl", "line 3", "jsonl"),
    )
    with Store.open(store_target) as s:
        s.add_articles([a])
        got = s.get_article(a.id[:6])
    assert got == a


def test_unknown_and_ambiguous_ids(store_target: object) -> None:
    with Store.open(store_target) as s:
        s.add_articles([_article(f"text number {i}") for i in range(40)])
        with pytest.raises(NotFoundError, match="no article"):
            s.get_article("zzzz")
        with pytest.raises(NotFoundError, match="ambiguous"):
            s.get_article("")


def test_rejected_recorded_once(store_target: object) -> None:
    r = Rejected("bad.jsonl", "line 2", "invalid JSON: Expecting value", "jsonl")
    with Store.open(store_target) as s:
        s.add_rejected([r, r])
        s.add_rejected([r])
        assert s.rejected() == [r]


def test_failed_batch_leaves_nothing(store_target: object, monkeypatch: pytest.MonkeyPatch) -> None:
    s = Store.open(store_target)
    good = [_article(f"article {i}") for i in range(5)]

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(s, "_insert_new_origins", boom)
    with pytest.raises(RuntimeError):
        s.add_articles(good)
    monkeypatch.undo()
    assert s.count_articles() == 0  # the articles inserted before the failure were rolled back
    added, _ = s.add_articles(good)
    assert len(added) == 5
    s.close()


def test_default_path_honours_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSWEAVE_DB", str(tmp_path / "env.duckdb"))
    assert default_db_path() == tmp_path / "env.duckdb"
    monkeypatch.delenv("NEWSWEAVE_DB")
    assert default_db_path().name == "newsweave.duckdb"


def test_a_snapshot_reads_one_state_and_refuses_writes(store_target: object) -> None:
    first = Article(id=article_id_for("the first stored article"), text="the first stored article")
    second = Article(id=article_id_for("a second stored article"), text="a second stored article")
    with Store.open(store_target) as s:
        s.add_articles([first])
        snap = s.snapshot()
        try:
            assert snap.read_only and snap.count_articles() == 1
            s.add_articles([second])  # a writer commits while the snapshot is open
            assert s.count_articles() == 2
            assert snap.count_articles() == 1 and snap.article_ids() == [first.id]  # still the old state
            with pytest.raises(Exception, match="read-only"):
                snap.add_articles([Article(id=article_id_for("never stored"), text="never stored")])
        finally:
            snap.close()
        with s.snapshot() as again:  # a new snapshot sees the write
            assert again.count_articles() == 2
        assert sorted(s.article_ids()) == sorted([first.id, second.id])  # the refused write left nothing
