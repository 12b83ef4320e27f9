"""The comparison's quote fragments read from the analysis stage (issue #20, "one analysis")."""

from __future__ import annotations

import pytest

from conftest import SEED_000, SEED_002
from newsweave.analyse import analyse_articles
from newsweave.compare import CompareOptions, compare_articles
from newsweave.compare.quotes import analysis_quotes, find_quotes
from newsweave.compare.utterances import join_quotations
from newsweave.ingest import read_text_article
from newsweave.model import Analysis, Article, Quote, Span

TEXT = (
    'The harbour master said the pier was "beyond repair after the storm," and added that boats '
    "would moor elsewhere.\n\n"
    '"We will rebuild it by spring," Greta Lindqvist told the council. "The money is there."\n\n'
    'Traders called the closure a "slow disaster" on Monday.'
)


def _span(fragment: str, text: str = TEXT) -> Span:
    a = text.index(fragment)
    return Span("a1", a, a + len(fragment))


def _analysis() -> Analysis:
    reported = Quote(
        (_span('the pier was "beyond repair after the storm,"'),),
        direct=True,
        speaker="the harbour master",
        cue="said",
    )
    split = Quote(
        (_span('"We will rebuild it by spring,"'), _span('"The money is there."')),
        direct=True,
        speaker="Greta Lindqvist",
        cue="told",
    )
    indirect = Quote((_span("boats would moor elsewhere"),), direct=False, speaker="the harbour master")
    return Analysis("a1", quotes=(reported, split, indirect))


def test_fragments_are_the_quoted_words_of_the_analysis_quotes():
    frags = analysis_quotes(TEXT, _analysis(), 3, marks=False)
    # only the words between the marks, without the marks and the trailing comma or full stop; the
    # indirect quote gives none; "slow disaster" has no analysis quote
    assert [f.text for f in frags] == ["beyond repair after the storm", "We will rebuild it by spring",
                                       "The money is there"]  # fmt: skip
    assert all(TEXT[f.start : f.end] == f.text and f.index == 3 for f in frags)
    assert [f.speaker for f in frags] == ["the harbour master", "Greta Lindqvist", "Greta Lindqvist"]
    assert all(f.explicit for f in frags)


def test_marks_add_the_quoted_words_the_analysis_leaves_out():
    frags = analysis_quotes(TEXT, _analysis(), 0)
    assert [f.text for f in frags][-1] == "slow disaster"
    assert len(frags) == 4
    # the fragments the analysis gives are the mark finder's where both have them
    assert {(f.start, f.end) for f in frags} == {(f.start, f.end) for f in find_quotes(TEXT)}


def test_a_quote_split_around_its_attribution_stays_one_quotation():
    frags = join_quotations(analysis_quotes(TEXT, _analysis(), 0, marks=False), {0: TEXT})
    rebuild, money = frags[1], frags[2]
    assert rebuild.utterance == money.utterance and money.part == 1
    assert frags[0].utterance != rebuild.utterance


def test_a_role_gives_way_to_the_name_next_to_the_quote():
    text = '"The vote was rigged," Anton Weiss said, according to the party chairman.'
    an = Analysis("a1", quotes=(Quote((_span('"The vote was rigged,"', text),), True, "the party chairman"),))
    (f,) = analysis_quotes(text, an, 0)
    assert f.text == "The vote was rigged" and f.speaker == "Anton Weiss"


def test_an_analysis_without_quotes_gives_the_mark_finder_quotes_only_with_marks():
    assert analysis_quotes(TEXT, Analysis("a1"), 0, marks=False) == []
    assert analysis_quotes(TEXT, Analysis("a1"), 0) == find_quotes(TEXT)


@pytest.fixture(scope="module")
def seeds_analysed():
    arts = [read_text_article(p.read_text(encoding="utf-8"), path=str(p)) for p in (SEED_000, SEED_002)]
    return arts, compare_articles(arts, analyse_articles(arts), CompareOptions(embeddings=False))


def test_klitschko_quote_is_one_reworded_utterance_from_the_analysis(seeds_analysed):
    arts, comp = seeds_analysed
    groups = [q for q in comp.quotes if any("temporary peace" in e.text for e in q.evidence)]
    assert len(groups) == 1
    q = groups[0]
    assert q.status == "reworded" and {e.article_id for e in q.evidence} == {a.id for a in arts}
    assert q.speaker and "Klitschko" in q.speaker
    assert not any(e.text[:1] in "\"\u201c\u2018'" or e.text.endswith((",", ".")) for e in q.evidence)
    same = [x for x in comp.quotes if any("One of the scenarios" in e.text for e in x.evidence)]
    assert len(same) == 1 and len(same[0].evidence) == 2
    assert same[0].utterance == q.utterance is not None and same[0].status == "reworded"


def _moved(an: Analysis, article_id: str) -> Analysis:
    quotes = tuple(
        Quote(tuple(Span(article_id, s.start, s.end) for s in q.content), q.direct, q.speaker)
        for q in an.quotes
    )
    return Analysis(article_id, quotes=quotes)


def test_the_comparison_reads_the_analysis_quotes(monkeypatch):
    """With analyses given, the fragments come from them: with the mark finder emptied, the analysis' quotes
    still come out with its speaker, and the words only the marks give ("slow disaster") do not."""
    arts = [Article(id="x1", text=TEXT), Article(id="x2", text=TEXT.replace("storm", "gale"))]
    ans = [_moved(_analysis(), "x1"), _moved(_analysis(), "x2")]
    monkeypatch.setattr("newsweave.compare.quotes.find_quotes", lambda text, index=0: [])
    comp = compare_articles(arts, ans, CompareOptions(embeddings=False))
    texts = {e.text for g in comp.quotes for e in g.evidence}
    assert {"We will rebuild it by spring", "beyond repair after the gale"} <= texts
    assert "slow disaster" not in texts
    (g,) = [g for g in comp.quotes if any("rebuild" in e.text for e in g.evidence)]
    assert g.speaker == "Greta Lindqvist" and g.status == "identical" and len(g.evidence) == 2
