"""The Spark job (local[2]) against the local engine on galaxy's dev articles, and import-parquet.

Input: the galaxy dev articles (subsets handpicked, wikinews, wikinews_medium; ../shared/data, read at
run time), plus copies made here of a few of them (near copies with 2% of the words changed, and exact
copies with other punctuation: the dev set itself holds no duplicate, so without them the duplicate
check would compare two empty lists), a broken JSONL line, and a small Parquet table of invented articles.
The local engine is ``add`` (``newsweave.pipeline.add_inputs``) on the same JSONL files. One Spark session
and one job run serve the whole module (a session starts in ~10 s, the job takes ~1 min on 2 cores).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sklearn.metrics import adjusted_rand_score
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.dedup import find_duplicates
from newsweave.errors import InputError
from newsweave.ingest import read_inputs
from newsweave.model import Article
from newsweave.pipeline import add_inputs
from newsweave.spark import run_job
from newsweave.spark.load import import_parquet
from newsweave.spark.rows import ANALYSIS_TABLES
from newsweave.spark.session import spark_session
from newsweave.store import Store

DEV_SUBSETS = {"handpicked", "wikinews", "wikinews_medium"}
N_NEAR, N_EXACT = 4, 2
INVENTED = [  # an invented event, two reports (Parquet input)
    {
        "body": "The harbour authority of Port Quillan closed the northern pier on Tuesday after a storm "
        "tore two cranes from their rails. Harbour master Edda Vantroy said repairs would take a month.",
        "headline": "Storm shuts Port Quillan pier",
        "date": "2031-03-04T09:00:00+00:00",
        "outlet": "Quillan Gazette",
    },
    {
        "body": "Port Quillan's northern pier stays shut after Tuesday's storm pulled two cranes off their "
        "rails, harbour master Edda Vantroy told reporters, adding that repairs could last a month.",
        "headline": "Port Quillan pier closed for a month",
        "date": "2031-03-04T15:30:00+00:00",
        "outlet": "Coastline Daily",
    },
]


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def inputs(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    src = data_dir / "galaxy-wikinews-events" / "articles.jsonl"
    assert src.is_file(), f"missing {src}"
    rows = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    dev = [r for r in rows if r["subset"] in DEV_SUBSETS]
    assert len(dev) == 169
    d = tmp_path_factory.mktemp("spark_in")
    (d / "dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in dev), encoding="utf-8")
    rng = random.Random(5)
    copies = []
    for k, r in enumerate(rng.sample(dev, N_NEAR + N_EXACT)):
        words = r["text"].split(" ")
        if k < N_NEAR:  # 2% of the words replaced
            for _ in range(max(1, len(words) // 50)):
                words[rng.randrange(len(words))] = "zeugma"
            text = " ".join(words)
        else:  # the same words, other punctuation: an exact duplicate with its own id
            text = r["text"].replace(". ", "; ", 1) + " ..."
        copies.append({**r, "text": text, "url": f"https://copies.example.org/{k}", "title": r["title"]})
    lines = [json.dumps(c) for c in copies] + ['{"text": "a broken line"']
    (d / "copies.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(INVENTED), d / "invented.parquet")
    return {"dev": d / "dev.jsonl", "copies": d / "copies.jsonl", "parquet": d / "invented.parquet"}


@pytest.fixture(scope="module")
def job_output(spark, inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("spark_out") / "out"
    summary = run_job(spark, [str(inputs["dev"]), str(inputs["copies"]), str(inputs["parquet"])], str(out))
    assert summary.articles == 169 + N_NEAR + N_EXACT + len(INVENTED)
    return out


@pytest.fixture(scope="module")
def local_store(inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory):
    store = Store.open(tmp_path_factory.mktemp("spark_local") / "local.duckdb")
    add_inputs(store, [str(inputs["dev"]), str(inputs["copies"])])
    yield store
    store.close()


def _rows(out: Path, table: str) -> list[dict]:
    return pq.read_table(out / table).to_pylist()


def test_duplicates_equal_the_local_engines(job_output: Path, inputs: dict[str, Path]) -> None:
    # the local dedup stage over the same corpus in reading order (a link's ``a`` is the article read first)
    read = [a for a in read_inputs([str(inputs["dev"]), str(inputs["copies"])]) if isinstance(a, Article)]
    local = find_duplicates(read)
    spark = _rows(job_output, "duplicates")
    assert sorted((d.a, d.b, d.kind) for d in local) == sorted((r["a"], r["b"], r["kind"]) for r in spark)
    assert sum(d.kind == "near" for d in local) >= N_NEAR and sum(d.kind == "exact" for d in local) == N_EXACT
    sims = {(d.a, d.b): d.similarity for d in local}
    assert all(abs(sims[(r["a"], r["b"])] - r["similarity"]) < 1e-9 for r in spark)


def test_stories_agree_with_the_local_engine(job_output: Path, local_store: Store) -> None:
    local = {a: s.id for s in local_store.list_stories() for a in s.article_ids}
    spark = {a: s["id"] for s in _rows(job_output, "stories") for a in s["article_ids"]}
    assert set(local) <= set(spark) and len(local) == 169 + N_NEAR + N_EXACT
    ids = sorted(local)
    ari = adjusted_rand_score([local[i] for i in ids], [spark[i] for i in ids])
    assert ari >= 0.95, ari
    # the invented Parquet reports are one story of their own
    parquet_ids = set(spark) - set(local)
    assert len(parquet_ids) == 2 and len({spark[i] for i in parquet_ids}) == 1
    assert not {spark[i] for i in parquet_ids} & {spark[i] for i in ids}


def test_analysis_and_rejects_are_the_stages_own(job_output: Path, local_store: Store) -> None:
    articles = {r["id"]: r for r in _rows(job_output, "articles")}
    quill = [r for r in articles.values() if r["origin_format"] == "parquet"]
    assert {r["title"] for r in quill} == {a["headline"] for a in INVENTED}
    assert {r["source"] for r in quill} == {a["outlet"] for a in INVENTED}
    rejected = _rows(job_output, "rejected")
    assert [(Path(r["path"]).name, r["position"]) for r in rejected] == [
        ("copies.jsonl", f"line {N_NEAR + N_EXACT + 1}")
    ]
    assert "invalid JSON" in rejected[0]["reason"]
    mentions: dict[str, int] = {}
    for r in _rows(job_output, "mentions"):
        mentions[r["article_id"]] = mentions.get(r["article_id"], 0) + 1
    quotes = {r["article_id"] for r in _rows(job_output, "quotes")}
    numbers = {r["article_id"] for r in _rows(job_output, "numbers")}
    for aid in local_store.article_ids()[:40]:  # the same analysis as `add` stored
        an = local_store.load_analysis(aid)
        assert an is not None
        assert mentions.get(aid, 0) == len(an.mentions)
        assert (aid in quotes) == bool(an.quotes) and (aid in numbers) == bool(an.quantities)


def test_import_parquet_then_stories(job_output: Path, store_target: object) -> None:
    # into a DuckDB file and into a PostgreSQL database (store_target), through the Store protocol only
    db = str(store_target)
    runner = CliRunner()
    first = runner.invoke(app, ["import-parquet", str(job_output), "--db", db])
    assert first.exit_code == 0, first.output
    listed = runner.invoke(app, ["stories", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    stories = {s["id"]: sorted(s["article_ids"]) for s in json.loads(listed.stdout)}
    assert stories == {s["id"]: sorted(s["article_ids"]) for s in _rows(job_output, "stories")}
    again = runner.invoke(app, ["import-parquet", str(job_output), "--db", db])
    assert again.exit_code == 0 and "(0 new)" in again.output
    story_of = {a: sid for sid, ids in stories.items() for a in ids}
    inside = {
        (r["a"], r["b"], r["kind"])
        for r in _rows(job_output, "duplicates")
        if story_of.get(r["a"]) is not None and story_of.get(r["a"]) == story_of.get(r["b"])
    }
    with Store.open(db) as store:
        assert store.backend == ("postgresql" if db.startswith("postgresql://") else "duckdb")
        assert store.count_articles() == len(_rows(job_output, "articles"))
        analysed = {r["article_id"] for t in ANALYSIS_TABLES for r in _rows(job_output, t)}
        assert set(store.analysed_ids()) == analysed
        stored = {
            (d["a"], d["b"], d["kind"]) for sid in stories for d in store.story_links(sid)["duplicates"]
        }
        assert stored == inside  # the job's links inside each story, once each after two imports
        assert len(stored) >= N_NEAR + N_EXACT  # every copy lands in its original's story with its link
        pair = min((s for s in stories if len(stories[s]) >= 2), key=lambda s: (len(stories[s]), s))
    report = runner.invoke(app, ["report", pair, "--db", db, "--json"])
    assert report.exit_code == 0, report.output
    assert len(json.loads(report.stdout)["sources"]) >= 2


def test_import_parquet_names_a_missing_table(tmp_path: Path) -> None:
    with Store.open(tmp_path / "x.duckdb") as store, pytest.raises(InputError) as e:
        import_parquet(store, tmp_path)
    assert "no articles table" in str(e.value) and str(tmp_path / "articles") in str(e.value)
