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
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sklearn.metrics import adjusted_rand_score
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.dedup import DedupOptions, find_duplicates
from newsweave.errors import InputError
from newsweave.ingest import read_inputs
from newsweave.model import Article
from newsweave.pipeline import add_inputs
from newsweave.spark import run_job, schemas
from newsweave.spark.analyse import analysed_rows
from newsweave.spark.components import connected_components, split_large
from newsweave.spark.dedup import duplicate_links
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


def test_marked_spans_are_the_stages_own_and_an_older_output_imports_without_them(
    job_output: Path, local_store: Store, tmp_path: Path
) -> None:
    marked = {
        r["article_id"]: list(zip(r["starts"], r["ends"], strict=True)) for r in _rows(job_output, "marked")
    }
    ids = local_store.article_ids()[:40]
    assert sum(len(marked.get(aid, [])) for aid in ids) > 0  # galaxy's articles hold scare quotes
    for aid in ids:  # the same marked spans as `add` stored
        an = local_store.load_analysis(aid)
        assert an is not None and an.marked is not None
        assert marked[aid] == [(m.start, m.end) for m in an.marked]
    # an output folder written before the marked spans were kept: its analyses read back with marked None
    old = tmp_path / "old-output"
    shutil.copytree(job_output, old, ignore=lambda d, names: ["marked"] if Path(d) == job_output else [])
    with Store.open(tmp_path / "old.duckdb") as store:
        import_parquet(store, old)
        an = store.load_analysis(ids[0])
        assert an is not None and an.marked is None and an.sentences


def _union_find_labels(edges: list[tuple[int, int]]) -> dict[int, int]:
    """Node -> smallest node of its component, by a plain union-find (the reference for the Spark one)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(parent)}


def test_connected_components_equal_a_union_find(spark) -> None:
    # an invented graph: chains (the longest needs several rounds), stars, a cycle, isolated nodes
    # (self-loops), repeated and reversed edges, on large random node ids
    rng = random.Random(3)
    ids = iter(rng.sample(range(1, 10**12), 400))
    edges: list[tuple[int, int]] = []
    for size in (2, 5, 40, 64):
        chain = [next(ids) for _ in range(size)]
        edges += list(zip(chain, chain[1:], strict=False))
    for size in (3, 50):
        star = [next(ids) for _ in range(size)]
        edges += [(star[0], x) for x in star[1:]]
    cycle = [next(ids) for _ in range(10)]
    edges += list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
    isolated = [next(ids) for _ in range(5)]
    edges += [(x, x) for x in isolated] + edges[:7]
    rng.shuffle(edges)
    edges = [(b, a) if rng.random() < 0.5 else (a, b) for a, b in edges]
    expected = _union_find_labels(edges)
    assert len(set(expected.values())) == 4 + 2 + 1 + 5
    frame = spark.createDataFrame(edges, "u bigint, v bigint")
    for local_edges in (0, 10**6):  # every round in Spark; the driver's scipy finish
        got = {r["node"]: r["component"] for r in connected_components(frame, local_edges).collect()}
        assert got == expected


def test_split_large_cuts_big_components_in_time_order(spark) -> None:
    # component 1: seven rows (times out of seq order), component 9: two rows
    rows = [(1, 1, 50.0), (2, 1, 10.0), (3, 1, 30.0), (4, 1, 20.0), (5, 1, 70.0), (6, 1, 60.0), (7, 1, 40.0)]
    rows += [(9, 9, 5.0), (10, 9, 1.0)]
    frame = spark.createDataFrame(rows, "seq bigint, component bigint, t double")
    got = {r["seq"]: r["block"] for r in split_large(frame, "component", ["t", "seq"], 3).collect()}
    # time order of component 1: 2, 4, 3 | 7, 1, 6 | 5; each slice named by its first row's seq
    assert got == {2: 2, 4: 2, 3: 2, 7: 7, 1: 7, 6: 7, 5: 5, 9: 9, 10: 9}


def test_flood_buckets_link_as_the_local_engine(spark) -> None:
    # nine near copies of one invented text (each bucket of a band holds all nine: above max_bucket 3,
    # so the chain-plus-star rule applies) and two unrelated texts
    base = (
        "The lighthouse keepers of Orsk Bay voted on Friday to keep the old lamp burning through the winter "
        "storms, after the council offered to replace it with an automatic beacon powered by solar panels "
        "on the cliff. Keeper Malin Dovre said the crews would train two apprentices before the spring tides "
        "and that the logbooks of the last ninety years would go to the town museum in March."
    ).split(" ")
    texts = []
    for k in range(9):
        words = list(base)
        words[5 + 3 * k] = "zephyr"
        texts.append(" ".join(words))
    texts += [
        "A bakery in Tolleven sold its last rye loaf on Sunday, ending a recipe kept by one family since 1890.",
        "Cyclists crossed the Varn pass in fog on the third stage, and the leader kept his jersey by a second.",
    ]
    articles = [Article(id=f"flood{k:02d}", text=t) for k, t in enumerate(texts)]
    options = DedupOptions(max_bucket=3)
    rows = list(analysed_rows(articles, None, options))
    keys = spark.createDataFrame(rows, schemas.ANALYSED).join(
        spark.createDataFrame([(a.id, k) for k, a in enumerate(articles)], "id string, seq bigint"), "id"
    )
    local = find_duplicates(articles, options)
    got = duplicate_links(keys.select("id", "seq", "exact_key", "sig", "bands"), options).collect()
    assert len(local) >= 8
    assert sorted((d.a, d.b, d.kind) for d in local) == sorted((r["a"], r["b"], r["kind"]) for r in got)
