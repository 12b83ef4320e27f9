"""Duplicates, rewrites and independent groups: hand-made cases, the seeds and the sample corpus."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.dedup import (
    DedupOptions,
    DuplicateLink,
    find_duplicates,
    find_rewrites,
    independent_groups,
    near_duplicate_pairs,
)
from newsweave.dedup.sentences import without_quotes
from newsweave.dedup.shingles import estimated_jaccard, minhash_signatures, shingle_hashes
from newsweave.ingest import IngestOptions, read_inputs
from newsweave.model import Article, article_id_for
from newsweave.text import sentence_spans

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
SHARED = REPO.parent / "shared"


def art(text: str, **kw: object) -> Article:
    return Article(id=article_id_for(text), text=text, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def corpus() -> dict[str, Article]:
    """The sample corpus by checklist key (A1 ... D4)."""
    readme = (REPO / "examples" / "README.md").read_text(encoding="utf-8")
    checklist = json.loads(re.findall(r"```json\n(.*?)```", readme, flags=re.S)[0])
    arts = [a for a in read_inputs([str(CORPUS)], IngestOptions()) if isinstance(a, Article)]
    by_title = {a.title: a for a in arts}
    return {row["key"]: by_title[row["title"]] for row in checklist["articles"]}


def galaxy_texts(n: int) -> list[str]:
    rows = (SHARED / "data" / "galaxy-wikinews-events" / "articles.jsonl").read_text(encoding="utf-8")
    return [json.loads(line)["text"] for line in rows.splitlines()[:n]]


def perturb(text: str, rate: float, rng: random.Random) -> str:
    words = text.split()
    for _ in range(max(1, int(len(words) * rate))):
        words[rng.randrange(len(words))] = rng.choice(["alpha", "beta", "gamma", "delta"])
    return " ".join(words)


# ------------------------------------------------------------------ shingles


def test_shingles_ignore_case_spacing_and_punctuation() -> None:
    flat, off = shingle_hashes(["The cat sat on the mat today.", "the  CAT, sat on -- the mat today"], k=3)
    a, b = flat[off[0] : off[1]], flat[off[1] : off[2]]
    assert len(a) == 5 and np.array_equal(a, b)


def test_shingles_short_and_empty_texts() -> None:
    flat, off = shingle_hashes(["two words", "", "one two three four five six"], k=5)
    assert list(np.diff(off.astype(int))) == [2, 0, 2]
    sig = minhash_signatures(flat, off, 64)
    assert sig.shape == (3, 64)
    # an empty text matches nothing, not even another empty text
    flat2, off2 = shingle_hashes(["", ""], k=5)
    sig2 = minhash_signatures(flat2, off2, 64)
    assert estimated_jaccard(sig2, np.array([[0, 1]]))[0] == 0.0


def test_shingles_are_deterministic_across_chunks() -> None:
    texts = galaxy_texts(30)
    flat, off = shingle_hashes(texts, k=5)
    for i in (0, 7, 29):
        one, off1 = shingle_hashes([texts[i]], k=5)
        assert np.array_equal(flat[off[i] : off[i + 1]], one)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="abc de\u00e9\u2019.\n", max_size=60), min_size=2, max_size=6))
def test_jaccard_estimate_is_symmetric_and_bounded(texts: list[str]) -> None:
    flat, off = shingle_hashes(texts, k=2)
    sig = minhash_signatures(flat, off, 32)
    pairs = np.array([[i, j] for i in range(len(texts)) for j in range(len(texts)) if i != j])
    est = estimated_jaccard(sig, pairs)
    rev = estimated_jaccard(sig, pairs[:, ::-1])
    assert np.allclose(est, rev) and ((est >= 0) & (est <= 1)).all()


# ------------------------------------------------------------------ duplicates


def test_exact_and_near_duplicates_found_and_distinct_reports_not() -> None:
    rng = random.Random(3)
    texts = galaxy_texts(40)
    base = [art(t) for t in texts]
    exact = art(texts[5].upper().replace(",", " ,"))  # same words, other case and punctuation
    near = art(perturb(texts[9], 0.03, rng))
    links = find_duplicates([*base, exact, near])
    kinds = {(d.kind, frozenset((d.a, d.b))) for d in links}
    assert ("exact", frozenset((base[5].id, exact.id))) in kinds
    assert ("near", frozenset((base[9].id, near.id))) in kinds
    assert len(links) == 2, links  # no other galaxy pair is a near duplicate


def test_near_duplicate_recall_on_planted_copies() -> None:
    rng = random.Random(7)
    texts = galaxy_texts(120)
    planted = [perturb(t, 0.02, rng) + " This story was supplied by a wire." for t in texts[:60]]
    pairs = {tuple(p) for p in near_duplicate_pairs(texts + planted).tolist()}
    found = sum((i, 120 + i) in pairs for i in range(60))
    assert found >= 57  # 2% of the words replaced and a credit line: Jaccard of 5-shingles ~0.8
    assert len(pairs) - found <= 3


def test_seeds_are_not_duplicates_and_not_rewrites() -> None:
    seeds = [art(p.read_text(encoding="utf-8")) for p in sorted((SHARED / "seeds").glob("*.txt"))]
    assert len(seeds) == 2
    assert find_duplicates(seeds) == []
    # 000 is a rewrite of another outlet's report, not of 002: they share one quote, no sentences
    assert find_rewrites(seeds) == []
    assert len(independent_groups(seeds, [])) == 2


# ------------------------------------------------------------------ rewrites


def test_sample_corpus_rewrite_direction_share_and_spans(corpus: dict[str, Article]) -> None:
    links = find_rewrites(list(corpus.values()))
    by_pair = {(r.original, r.derived): r for r in links}
    b1, b2 = corpus["B1"], corpus["B2"]
    rw = by_pair[(b1.id, b2.id)]
    assert rw.direction == "time" and not rw.syndicated
    assert 0.5 <= rw.share <= 0.9  # a light rewrite: most sentences reused, one paragraph dropped
    assert len(rw.original_spans) == len(rw.derived_spans) == 8  # measured: 8 aligned spans
    for s_o, s_d in zip(rw.original_spans, rw.derived_spans, strict=True):
        assert s_o.article_id == b1.id and s_d.article_id == b2.id
        assert 0 <= s_o.start < s_o.end <= len(b1.text) and 0 <= s_d.start < s_d.end <= len(b2.text)
    phrase = "The 7.8-kilometre line will run from Harbour Square to the Eastbank housing estates"
    assert any(phrase in s.text_in(b2.text) for s in rw.derived_spans)
    wire = by_pair[(corpus["A2"].id, corpus["A3"].id)]
    assert wire.syndicated and wire.share >= 0.8
    # only the planted rewrite and the planted wire copy: shared quotes are not copying
    assert set(by_pair) == {(b1.id, b2.id), (corpus["A2"].id, corpus["A3"].id)}


def test_rewrite_direction_unknown_without_dates(corpus: dict[str, Article]) -> None:
    b1, b2 = (replace(corpus[k], published_at=None) for k in ("B1", "B2"))
    (rw,) = find_rewrites([b2, b1])
    assert rw.direction == "unknown"
    assert {rw.original, rw.derived} == {b1.id, b2.id}


def test_rewrite_direction_follows_time_not_input_order(corpus: dict[str, Article]) -> None:
    (rw,) = find_rewrites([corpus["B2"], corpus["B1"]])
    assert (rw.original, rw.derived) == (corpus["B1"].id, corpus["B2"].id)


def test_independent_groups_collapse_copies_and_rewrites(corpus: dict[str, Article]) -> None:
    ferry = [corpus[k] for k in ("A1", "A2", "A3", "A4", "A5", "A6")]
    links = [*find_duplicates(ferry), *find_rewrites(ferry)]
    groups = independent_groups(ferry, links)
    assert len(groups) == 5
    assert sorted(map(len, groups)) == [1, 1, 1, 1, 2]
    assert [corpus["A2"].id, corpus["A3"].id] in groups


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=20))
def test_independent_groups_partition_the_articles(edges: list[tuple[int, int]]) -> None:
    arts = [Article(id=f"a{i}", text="x") for i in range(10)]
    links = [DuplicateLink(f"a{i}", f"a{j}", "near", 0.9) for i, j in edges]
    groups = independent_groups(arts, links)
    assert sorted(a for g in groups for a in g) == sorted(a.id for a in arts)
    where = {a: k for k, g in enumerate(groups) for a in g}
    assert all(where[f"a{i}"] == where[f"a{j}"] for i, j in edges)


def test_sentences_and_quotes() -> None:
    text = 'Mr. Smith left. "It was fine," he said. Then we went home.\nNext line'
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Mr. Smith left.",
        '"It was fine," he said.',
        "Then we went home.",
        "Next line",
    ]
    assert "fine" not in without_quotes('"It was fine," he said.')


def test_options_change_the_answer(corpus: dict[str, Article]) -> None:
    strict = DedupOptions(rewrite_min_share=0.95)
    assert not [r for r in find_rewrites([corpus["B1"], corpus["B2"]], strict)]


def test_galaxy_rewrites_stay_inside_events() -> None:
    from newsweave.eval.cluster import load_labelled

    items = load_labelled(SHARED / "data" / "galaxy-wikinews-events")
    gold = {it.article.id: it.gold for it in items}
    arts = [it.article for it in items]
    dups = find_duplicates(arts)
    links = find_rewrites(arts, duplicates=dups)
    # measured: 2 duplicate pairs (a page cited twice, a republished report), 8 rewrite links, all 8
    # between reports of one event (wire copy retold by several outlets)
    assert sorted(d.kind for d in dups) == ["exact", "near"]
    assert len(links) == 8
    assert all(gold[r.original] == gold[r.derived] for r in links)


@settings(max_examples=300, deadline=None)
@given(
    a=st.lists(st.sets(st.sampled_from("abcdefghijkl"), max_size=9), max_size=12),
    b=st.lists(st.sets(st.sampled_from("abcdefghijkl"), max_size=9), max_size=12),
    t=st.sampled_from([0.3, 0.5, 0.6, 0.75, 0.9, 1.0]),
)
def test_indexed_alignment_gives_what_comparing_every_pair_gives(a, b, t) -> None:
    from newsweave.dedup.rewrite import _align_all, _Sentences, align

    sa = _Sentences([(0, 1)] * len(a), [set(x) for x in a], 1)
    sb = _Sentences([(0, 1)] * len(b), [set(x) for x in b], 1)
    assert align(sa, sb, t) == _align_all(sa, sb, t)
