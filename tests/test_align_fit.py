"""How the claim-alignment weights are fitted (newsweave.compare.align.fit_weights) and the fixed MRPC halves."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from newsweave.compare import align
from newsweave.eval.align import half_of, load_pairs
from newsweave.text import stem


def _toy(n: int = 300, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)) * np.array([1.0, 10.0, 0.1, 3.0]) + np.array([0.0, 5.0, 1.0, -2.0])
    z = 0.8 * x[:, 0] - 0.1 * x[:, 1] + 6.0 * x[:, 2] + rng.normal(size=n)
    return x, (z > np.median(z)).astype(int)


def test_standardised_weights_map_back_to_raw_columns():
    x, y = _toy()
    w = align.fit_weights(x, y, 0.05, standardise=True)
    ref = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=5000)).fit(x, y)
    p = 1.0 / (1.0 + np.exp(-(w[0] + x @ np.asarray(w[1:]))))
    assert np.allclose(p, ref.predict_proba(x)[:, 1], atol=1e-6)


def test_raw_fit_is_plain_logistic_regression():
    x, y = _toy()
    w = align.fit_weights(x, y, 1.0, standardise=False)
    ref = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    assert np.allclose(w[1:], ref.coef_[0], atol=1e-4) and abs(w[0] - ref.intercept_[0]) < 1e-4


def test_standardising_changes_what_the_penalty_shrinks():
    # a strong penalty on raw columns shrinks the small-scale column's weight far more than after scaling
    x, y = _toy()
    raw = align.fit_weights(x, y, 0.01, standardise=False)
    std = align.fit_weights(x, y, 0.01, standardise=True)
    assert abs(std[3]) > 5 * abs(raw[3])


def test_constant_column_does_not_break_the_fit():
    x, y = _toy()
    x[:, 1] = 2.0
    w = align.fit_weights(x, y, 0.03, standardise=True)
    assert np.all(np.isfinite(w)) and abs(w[2]) < 1e-9


def test_shipped_weights_match_the_feature_order():
    assert len(align.WEIGHTS_EMB) == 1 + len(align.FEATURE_ORDER) + 2
    assert len(align.WEIGHTS_LEX) == 1 + len(align.FEATURE_ORDER)


def test_mrpc_halves_are_fixed_and_balanced(data_dir):
    rows = load_pairs(data_dir / "mrpc-test")
    halves = [half_of(r) for r in rows]
    assert (halves.count(0), halves.count(1)) == (428, 423)
    assert half_of({"id1": "1", "id2": "2", "sentence1": "x", "sentence2": "y"}) == half_of(
        {"id1": "1", "id2": "2", "sentence1": "other", "sentence2": "text"}
    )


def test_negation_count_reads_words_not_letters():
    assert align.negation_count("The mayor did not sign it and never will.") == 2
    assert align.negation_count("The mayor didn't sign it; she can\u2019t.") == 2
    assert align.negation_count("Nothing was left, and no one came without a coat.") == 3
    # a rank is not a negation; words that merely contain the letters are not either
    assert align.negation_count("No. 2 Ford and No.3 Fiat noted the knots.") == 0
    assert align.negation_count("Another note: nobody knows.") == 1


def test_negation_difference_lowers_the_same_claim_probability():
    texts = [
        "The council approved the new budget for the city schools on Monday.",
        "On Monday the council approved the new budget for the city schools.",
        "The council did not approve the new budget for the city schools on Monday.",
    ]
    s = align.featurise(texts)
    f = align.features(align.subset(s, [0, 0]), align.subset(s, [1, 2]), diagonal=True)
    assert f["negdiff"].tolist() == [0.0, 1.0]
    m = align.features(s, s)
    assert m["negdiff"].shape == (3, 3) and m["negdiff"][2, 0] == m["negdiff"][0, 2] == 1.0
    without = dict(f, negdiff=np.zeros(2))
    assert align.probability(f)[1] < align.probability(without)[1]
    assert align.probability(f)[0] == align.probability(without)[0]


def test_clause_runs_split_at_punctuation_and_clause_words():
    text = "The mayor spoke on Monday, after a long meeting with the council, that the bridge would close."
    runs = align.clause_runs(text)
    # "the bridge would close" has four words, under ORPHAN_WORDS; the clause words open no run
    assert runs == [
        sorted({stem(w) for w in ("mayor", "spoke", "monday")}),
        sorted({stem(w) for w in ("long", "meeting", "council")}),
    ]
    assert align.clause_runs(text, min_words=4)[-1] == sorted({stem("bridge"), stem("close")})
    assert align.clause_runs("and but which, while; who") == []


def _orphan_texts() -> list[str]:
    return [
        "The council approved the new budget for the city schools on Monday.",
        "On Monday the council approved the new budget for the city schools.",
        "The council approved the new budget for the city schools on Monday, while protesters gathered "
        "outside in heavy rain.",
    ]


def test_orphan_marks_a_clause_the_other_sentence_lacks():
    s = align.featurise(_orphan_texts())
    m = align.features(s, s)
    assert m["orphan"].shape == (3, 3)
    assert m["orphan"][0, 1] == m["orphan"][1, 0] == 0.0
    # "protesters gathered outside in heavy rain" shares no content stem with the first two sentences
    assert m["orphan"][2, 0] == m["orphan"][0, 2] == m["orphan"][1, 2] == 1.0
    assert m["orphan"][2, 2] == 0.0
    # the row-aligned form agrees with the matrix, also for a row picked twice and rows out of order
    rows, cols = [2, 0, 2, 1], [0, 2, 1, 1]
    f = align.features(align.subset(s, rows), align.subset(s, cols), diagonal=True)
    assert f["orphan"].tolist() == [m["orphan"][i, j] for i, j in zip(rows, cols, strict=True)]
    without = dict(f, orphan=np.zeros(4))
    assert align.probability(f)[0] < align.probability(without)[0]
    assert align.probability(f)[3] == align.probability(without)[3]


def test_orphan_without_content_words_or_runs():
    s = align.featurise(["", "It was so.", "The the the of of and"])
    m = align.features(s, s)
    assert m["orphan"].shape == (3, 3) and not m["orphan"].any()
    f = align.features(align.subset(s, [0, 1]), align.subset(s, [2, 2]), diagonal=True)
    assert f["orphan"].tolist() == [0.0, 0.0]
