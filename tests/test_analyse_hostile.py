"""Hostile shapes of text for the analysis: what keeps it linear in the input, checked for correctness here
(the times are printed by ``benchmarks/bench_hostile.py``, never asserted)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.analyse import AnalyseOptions, analyse_articles
from newsweave.analyse import pipeline as pipeline_module
from newsweave.analyse.entities import _extra_mentions, searched_forms
from newsweave.analyse.speakers import _Covered, _mention_in, _Mentions
from newsweave.model import Article, EntityMention, Span


def test_a_sentence_longer_than_the_cap_is_not_parsed(monkeypatch) -> None:
    seen: list[int] = []
    parse = pipeline_module.parse_sentences

    def counting(nlp, sents, *args, **kwargs):
        seen.extend(len(s) for s in sents)
        return parse(nlp, sents, *args, **kwargs)

    monkeypatch.setattr(pipeline_module, "parse_sentences", counting)
    short = "The mayor said the bridge would reopen."
    endless = "The mayor said that " + " and ".join(f"bridge {i} would reopen" for i in range(200)) + "."
    analyse_articles([Article(id="s", text=short + "\n" + endless)], AnalyseOptions())
    assert seen and max(seen) <= pipeline_module.MAX_PARSE_TOKENS
    assert len(seen) == 1  # the short sentence only


@settings(max_examples=150, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 40)), max_size=30),
    probes=st.lists(st.integers(-5, 260), max_size=30),
)
def test_covered_is_the_union_of_spans(spans, probes) -> None:
    pairs = [(a, a + n) for a, n in spans]
    covered = _Covered(pairs)
    for p in probes:
        assert (p in covered) == any(a <= p < b for a, b in pairs)


@settings(max_examples=150, deadline=None)
@given(
    raw=st.lists(
        st.tuples(st.integers(0, 300), st.integers(1, 25), st.sampled_from(["PERSON", "ORG", "GPE", "LAW"])),
        max_size=25,
    ),
    spans=st.lists(st.tuples(st.integers(0, 320), st.integers(0, 30)), max_size=20),
)
def test_mentions_by_bisection_give_what_a_scan_gives(raw, spans) -> None:
    mentions = [
        EntityMention(Span("a", s, s + n), "x", label, f"n{k}") for k, (s, n, label) in enumerate(raw)
    ]
    index = _Mentions(mentions)
    for a, n in spans:
        assert index.overlapping((a, a + n)) is _mention_in(mentions, (a, a + n))


def _reference_extra(text: str, forms: dict[str, str], taken: list[tuple[int, int]]) -> list:
    """The former search: one str.find pass per form."""
    wanted = searched_forms(forms)
    found = []
    n = len(text)
    for form in wanted:
        s = text.find(form)
        while s != -1:
            e = s + len(form)
            left = s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "_-")
            right = e == n or not (text[e].isalnum() or text[e] == "_")
            if left and right:
                found.append((s, -e))
            s = text.find(form, s + 1)
    found.sort()
    out, last = [], 0
    for s, neg_e in found:
        e = -neg_e
        if s < last:
            continue
        last = e
        if not any(a < e and s < b for a, b in taken):
            out.append((s, e, wanted[text[s:e]]))
    return out


_PIECES = ["Vitali Klitschko", "Klitschko", "KLITSCHKO", "Zelenskyy", "-led", "'s", " ", ", ", "Kyiv",
           "McKlitschko", "Zelenskyyi", "O'Brien", "Brien", "_x", "Vitali", "\n", "Anti-Kyiv"]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.sampled_from(_PIECES), max_size=40), cut=st.integers(0, 3))
def test_further_mentions_match_the_reference(parts, cut) -> None:
    text = "".join(parts)
    forms = {
        "Vitali Klitschko": "k",
        "Klitschko": "k",
        "Zelenskyy": "z",
        "O'Brien": "o",
        "Kyiv": "g",
        "Vi": "v",
    }
    taken = [(0, min(len(text), cut * 5))] if cut else []
    assert _extra_mentions(text, forms, taken) == _reference_extra(text, forms, taken)


@pytest.mark.parametrize("n", [300])
def test_many_quotes_keep_their_speakers(n: int) -> None:
    text = " ".join(f'"We will rebuild the bridge number {i} soon," Klitschko said.' for i in range(n))
    (analysis,) = analyse_articles([Article(id="q", text=text)], AnalyseOptions())
    assert len(analysis.quotes) == n
    assert all(q.speaker == "Klitschko" and q.direct for q in analysis.quotes)
