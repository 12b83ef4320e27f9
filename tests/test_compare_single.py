"""The "shared passage" rule of the single verdicts (:func:`newsweave.compare.facts.shared_passage`), on
invented link probabilities: a weakly linked sentence beside a strongly linked one of its own article is
not "only in one source"; neighbours in another article, or a sentence with no link at all, do not count."""

from __future__ import annotations

import numpy as np

from newsweave.compare import facts


def test_weak_sentence_beside_a_stated_one_is_not_single():
    # article 0: a lead stated elsewhere (0.9), a weakly linked sentence after it, then an unlinked one
    out = facts.shared_passage([0, 0, 0], np.array([0.9, 0.25, 0.05]))
    assert out.tolist() == [False, True, False]


def test_the_neighbour_must_be_in_the_same_article():
    # sentence 2 (article 1) comes right after the strong sentence 1 of article 0 in the list
    out = facts.shared_passage([0, 0, 1, 1], np.array([0.3, 0.9, 0.3, 0.1]))
    assert out.tolist() == [True, False, False, False]


def test_thresholds_are_inclusive_and_both_needed():
    hi, lo = facts.NEIGHBOUR_P, facts.NEAR_P
    assert facts.shared_passage([0, 0], np.array([hi, lo])).tolist() == [False, True]
    assert facts.shared_passage([0, 0], np.array([hi - 0.01, 0.5])).tolist() == [False, False]
    assert facts.shared_passage([0, 0], np.array([hi, lo - 0.01])).tolist() == [False, False]


def test_empty_story():
    assert facts.shared_passage([], np.zeros(0)).tolist() == []
