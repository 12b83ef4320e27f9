"""docs/quality.md's figures against what the evaluations compute, so the page cannot go stale.

Each check finds a sentence or table row of docs/quality.md by a pattern and compares the numbers in it
with the result of the evaluation that ``newsweave eval ...`` prints (the same library call). The results
come from the session fixtures in conftest.py, shared with the gates in tests/test_eval_*.py, so nothing is
evaluated twice in one run. Tolerance: the evaluations are deterministic, so the only slack is the rounding
of a third decimal plus a margin for another machine's float sums (``TOL``, as docs/quality.md says). The
comparison's figures (``score_cross.py``) are not checked here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from conftest import REPO

TOL = 0.002
N = r"(\d+\.\d+)"

Getter = Callable[[dict[str, Any]], float]


def _k(*path: Any) -> Getter:
    def get(r: dict[str, Any]) -> float:
        for p in path:
            r = r[p]
        return float(r)  # type: ignore[arg-type]

    return get


def _pct(key: str) -> Getter:
    return lambda r: 100 * float(r[key])


# (fixture, pattern with one group per number, getters in the order of the groups, tolerance)
CHECKS: list[tuple[str, str, list[Getter], float]] = [
    ("l3s_result", rf"\| l3s-gn1 \(250 pages\) \| {N} \| {N} \| {N} \|",
     [_k("precision"), _k("recall"), _k("f1")], TOL),
    ("trafilatura_result", rf"\| trafilatura-eval-en \(143 pages\) \| {N} \| {N} \| {N} \| snippet metric: {N}% of "
     rf"`with` snippets found, {N}% of `without` kept",
     [_k("snippet_precision"), _k("snippet_recall"), _k("snippet_f1"), _pct("with_found"), _pct("without_kept")],
     100 * TOL),
    ("trafilatura_result", rf"trafilatura-eval-en also: title {N} \(117 pages\), author {N} \(91\), date {N} \(105\)",
     [_k("title_accuracy"), _k("author_accuracy"), _k("date_accuracy")], TOL),
    ("polnear_result", rf"direct P {N} / R {N} / \*\*F1 {N}\*\*; indirect P {N} / R {N} / \*\*F1 {N}\*\*; "
     rf"\*\*speaker accuracy {N}\*\*",
     [_k(f"strict_{k}") for k in ("direct_precision", "direct_recall", "direct_f1", "indirect_precision",
                                  "indirect_recall", "indirect_f1", "speaker_accuracy")], TOL),
    ("polnear_result", rf"articles apart: direct F1 {N} / {N}, indirect {N} / {N}",
     [_k("halves", 0, "strict_direct_f1"), _k("halves", 1, "strict_direct_f1"),
      _k("halves", 0, "strict_indirect_f1"), _k("halves", 1, "strict_indirect_f1")], TOL),
    ("polnear_result", rf"any class\): direct P {N} / R {N} / F1 {N}; indirect P {N} / R {N} / F1 {N}; speaker "
     rf"accuracy {N}\.",
     [_k(k) for k in ("direct_precision", "direct_recall", "direct_f1", "indirect_precision", "indirect_recall",
                      "indirect_f1", "speaker_accuracy")], TOL),
    ("ner_result", rf"\(its NER as shipped, every label\) {N}, newsweave \(type vote, surname resolution, title "
     rf"stripping\) \*\*{N}\*\*",
     [_k("baseline_f1"), _k("f1")], TOL),
    ("ner_result", rf"per type PER {N}, ORG {N}, LOC {N}, MISC {N} \(plain: {N}, {N}, {N}, {N}\)",
     [_k(f"{t}_f1") for t in ("PER", "ORG", "LOC", "MISC")]
     + [_k(f"baseline_{t}_f1") for t in ("PER", "ORG", "LOC", "MISC")], TOL),
    ("ner_result", rf"Even and odd documents apart: {N} and {N} \(plain {N} and {N}\)",
     [_k("halves", 0, "f1"), _k("halves", 1, "f1"), _k("halves", 0, "baseline_f1"),
      _k("halves", 1, "baseline_f1")], TOL),
    # the clustering figures (issue #15 tables) are gated by tests/test_eval_cluster.py with the analysis entities
    ("semeval_embed", rf"en-en Pearson: \*\*{N}\*\* against plain MiniLM cosine {N}",
     [_k("pearson_en_en"), _k("baseline_minilm_en_en")], TOL),
    ("semeval_lexical", rf"\(lexical only {N}\); de-en {N}, es-es {N}, de-de {N}\.",
     [_k("pearson_en_en"), _k("pearson_de_en"), _k("pearson_es_es"), _k("pearson_de_de")], TOL),
    ("semeval_embed", rf"tonyx_test half: {N} against MiniLM's {N}",
     [_k("pearson_en_en_tonyx_test"), _k("baseline_minilm_en_en_tonyx_test")], TOL),
    ("semeval_lexical", rf"against MiniLM's [\d.]+ \(lexical {N}\)", [_k("pearson_en_en_tonyx_test")], TOL),
    ("align_result", rf"in-sample accuracy {N}, F1 {N} with embeddings; {N} / {N} lexical only",
     [_k("accuracy"), _k("f1"), _k("lexical", "accuracy"), _k("lexical", "f1")], TOL),
    ("align_result", rf"\*\*{N}\*\* / {N} with embeddings, {N} / {N} lexical \(stratified",
     [_k("cv_accuracy"), _k("cv_f1"), _k("lexical", "cv", "accuracy"), _k("lexical", "cv", "f1")], TOL),
    ("align_result", rf"scored on half B \(423 pairs\): \*\*{N}\*\* with embeddings, {N} lexical",
     [_k("half_b", "accuracy"), _k("lexical", "cv", "half_b", "accuracy")], TOL),
]  # fmt: skip


def _page() -> str:
    return " ".join((REPO / "docs" / "quality.md").read_text(encoding="utf-8").split())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fixture", "pattern", "getters", "tol"), CHECKS, ids=[f"{c[0]}-{i}" for i, c in enumerate(CHECKS)]
)
def test_quality_page_matches_the_evaluations(request, fixture, pattern, getters, tol) -> None:
    m = re.search(pattern, _page())
    assert m, f"docs/quality.md no longer has a figure matching {pattern!r}"
    result = request.getfixturevalue(fixture)
    written = [float(x) for x in m.groups()]
    measured = [g(result) for g in getters]
    assert len(written) == len(measured)
    stale = [(w, round(v, 4)) for w, v in zip(written, measured, strict=True) if abs(w - v) > tol]
    assert not stale, f"{m.group(0)!r}: written vs measured {stale}"


def test_the_check_notices_a_stale_figure() -> None:
    """The pattern machinery reads the figures it claims to (a changed number would be caught)."""
    fixture, pattern, getters, _ = CHECKS[0]
    m = re.search(pattern, _page())
    assert m and len(m.groups()) == len(getters)
    stale_page = _page().replace(m.group(1), "0.123", 1)
    m2 = re.search(pattern, stale_page)
    assert m2 and float(m2.group(1)) == 0.123 != float(m.group(1))
