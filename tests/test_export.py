"""``newsweave export``: every stored row, the same in CSV, JSON Lines and Parquet."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.compare import CompareOptions
from newsweave.errors import UsageError
from newsweave.store import Store
from newsweave.views.comparison import StoryCompareOptions, compare_story
from newsweave.views.export import EXPORT_KINDS, SCHEMAS, export, export_text


@pytest.fixture(scope="module")
def db(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("export") / "e.duckdb"
    shutil.copy(demo_store, copy)
    return copy


NO_EMBED = StoryCompareOptions(compare=CompareOptions(embeddings=False))


def _counts(db: Path) -> dict[str, int]:
    from newsweave.store.stories import list_stories

    with Store.open(db) as s:
        q = {t: s.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
             for t in ("articles", "stories", "analysis_quotes", "analysis_quantities")}  # fmt: skip
        claims = sum(len(compare_story(s, st.id, NO_EMBED).comparison.claims) for st in list_stories(s))
    return {"articles": q["articles"], "stories": q["stories"], "quotes": q["analysis_quotes"],
            "numbers": q["analysis_quantities"], "claims": claims}  # fmt: skip


@pytest.mark.parametrize("kind", EXPORT_KINDS)
def test_three_formats_hold_the_same_rows(db: Path, kind: str, tmp_path: Path) -> None:
    want = _counts(db)[kind]
    assert want > 0
    with Store.open(db) as s:
        lines = export_text(s, kind, "jsonl", NO_EMBED).splitlines()
        table = list(csv.DictReader(io.StringIO(export_text(s, kind, "csv", NO_EMBED))))
        n = export(s, kind, "parquet", tmp_path / "x.parquet", NO_EMBED)
    rows = [json.loads(x) for x in lines]
    parquet = pq.read_table(tmp_path / "x.parquet")
    assert len(rows) == len(table) == n == parquet.num_rows == want
    assert parquet.schema.names == SCHEMAS[kind].names == list(table[0]) == list(rows[0])
    key = "id" if kind in ("articles", "stories") else "story_id" if kind == "claims" else "article_id"
    assert [r[key] for r in rows] == [r[key] for r in table] == parquet.column(key).to_pylist()
    assert not list(tmp_path.glob("*.part"))
    if kind == "articles":  # text with commas, quotes and newlines survives CSV
        assert [r["text"] for r in table] == [r["text"] for r in rows] == parquet.column("text").to_pylist()
    if kind == "stories":
        assert [json.loads(r["article_ids"]) for r in table] == [r["article_ids"] for r in rows]
    if kind == "claims":
        assert [json.loads(r["evidence"]) for r in table] == [r["evidence"] for r in rows]
        assert parquet.column("evidence").to_pylist() == [r["evidence"] for r in rows]


def test_claims_are_the_comparisons_claims_with_evidence_in_the_text(db: Path) -> None:
    from newsweave.store.stories import list_stories

    with Store.open(db) as s:
        texts = {a.id: a.text for a in s.iter_articles()}
        rows = [json.loads(x) for x in export_text(s, "claims", "jsonl", NO_EMBED).splitlines()]
        stories = list_stories(s)
        biggest = max(stories, key=lambda st: len(st.article_ids))
        want = compare_story(s, biggest.id, NO_EMBED).comparison.claims
    assert {r["story_id"] for r in rows} == {st.id for st in stories}
    mine = [r for r in rows if r["story_id"] == biggest.id]
    assert [(r["claim_id"], r["status"], r["text"]) for r in mine] == [(c.id, c.status, c.text) for c in want]
    assert any(r["status"] != "single" and r["n_sources"] >= 2 for r in mine)
    for r in rows:
        assert r["evidence"] and r["n_sources"] == len({e["article_id"] for e in r["evidence"]})
        for e in r["evidence"]:
            assert texts[e["article_id"]][e["start"] : e["end"]] == e["text"]


def test_quote_and_number_spans_point_into_the_text(db: Path) -> None:
    with Store.open(db) as s:
        texts = {a.id: a.text for a in s.iter_articles()}
        quotes = [json.loads(x) for x in export_text(s, "quotes", "jsonl").splitlines()]
        numbers = [json.loads(x) for x in export_text(s, "numbers", "jsonl").splitlines()]
    single = [q for q in quotes if "…" not in q["text"]]
    assert single and all(texts[q["article_id"]][q["start"] : q["end"]] == q["text"] for q in single)
    assert all(texts[x["article_id"]][x["start"] : x["end"]] == x["text"] for x in numbers)
    assert any(q["speaker"] == "Tobias Wren" for q in quotes)


def test_empty_store_and_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    with Store.open(empty) as s:
        for kind in EXPORT_KINDS:
            assert export(s, kind, "parquet", tmp_path / f"{kind}.parquet") == 0
            assert pq.read_table(tmp_path / f"{kind}.parquet").schema.names == SCHEMAS[kind].names
            assert export_text(s, kind, "csv").strip() == ",".join(SCHEMAS[kind].names)
        with pytest.raises(UsageError, match="entities"):
            export_text(s, "entities", "csv")
        with pytest.raises(UsageError, match="xml"):
            export_text(s, "articles", "xml")
        with pytest.raises(UsageError, match="--out"):
            export(s, "articles", "parquet")
        with pytest.raises(UsageError, match="cannot write"):
            export(s, "articles", "csv", tmp_path / "no" / "such" / "dir.csv")


def test_cli_export(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    res = CliRunner().invoke(
        app, ["export", "articles", "--format", "csv", "--out", str(out), "--db", str(db)]
    )
    assert res.exit_code == 0, res.output
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == _counts(db)["articles"]
    res = CliRunner().invoke(app, ["export", "stories", "--db", str(db)])
    assert res.exit_code == 0 and len(res.stdout.strip().splitlines()) == _counts(db)["stories"]
    assert CliRunner().invoke(app, ["export", "entities", "--db", str(db)]).exit_code != 0
    res = CliRunner().invoke(app, ["export", "claims", "--no-embed", "--db", str(db)])
    assert res.exit_code == 0 and len(res.stdout.strip().splitlines()) == _counts(db)["claims"]
