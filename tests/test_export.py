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
from newsweave.errors import UsageError
from newsweave.store import Store
from newsweave.views.export import EXPORT_KINDS, SCHEMAS, export, export_text


@pytest.fixture(scope="module")
def db(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("export") / "e.duckdb"
    shutil.copy(demo_store, copy)
    return copy


def _counts(db: Path) -> dict[str, int]:
    with Store.open(db) as s:
        q = {t: s.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
             for t in ("articles", "stories", "analysis_quotes", "analysis_quantities")}  # fmt: skip
    return {"articles": q["articles"], "stories": q["stories"], "quotes": q["analysis_quotes"],
            "numbers": q["analysis_quantities"]}  # fmt: skip


@pytest.mark.parametrize("kind", EXPORT_KINDS)
def test_three_formats_hold_the_same_rows(db: Path, kind: str, tmp_path: Path) -> None:
    want = _counts(db)[kind]
    assert want > 0
    with Store.open(db) as s:
        lines = export_text(s, kind, "jsonl").splitlines()
        table = list(csv.DictReader(io.StringIO(export_text(s, kind, "csv"))))
        n = export(s, kind, "parquet", tmp_path / "x.parquet")
    rows = [json.loads(x) for x in lines]
    parquet = pq.read_table(tmp_path / "x.parquet")
    assert len(rows) == len(table) == n == parquet.num_rows == want
    assert parquet.schema.names == SCHEMAS[kind].names == list(table[0]) == list(rows[0])
    key = "id" if kind in ("articles", "stories") else "article_id"
    assert [r[key] for r in rows] == [r[key] for r in table] == parquet.column(key).to_pylist()
    assert not list(tmp_path.glob("*.part"))
    if kind == "articles":  # text with commas, quotes and newlines survives CSV
        assert [r["text"] for r in table] == [r["text"] for r in rows] == parquet.column("text").to_pylist()
    if kind == "stories":
        assert [json.loads(r["article_ids"]) for r in table] == [r["article_ids"] for r in rows]


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
        with pytest.raises(UsageError, match="claims"):
            export_text(s, "claims", "csv")
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
    assert CliRunner().invoke(app, ["export", "claims", "--db", str(db)]).exit_code != 0
