"""Quoted stretches that are not attributed quotes (issue #20, "one analysis"): the analysis keeps them as
marked spans apart from its quotes, the store keeps them, and the comparison reads them instead of finding
quotes itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.analyse import AnalyseOptions, analyse_articles
from newsweave.analyse.marked import direct_pieces, marked_spans, quoted_stretches
from newsweave.compare import CompareOptions, compare_articles
from newsweave.compare.quotes import analysis_quotes, find_quotes
from newsweave.model import Analysis, Article, Quote, Span, article_id_for
from newsweave.spark.rows import ANALYSIS_TABLES, analysis_rows
from newsweave.store import Store
from newsweave.store.analysis import analysis_from_rows

# invented text: a scare quote ("grey tickets"), a title ('Harbour Lights') and one attributed quote
TEXT_A = (
    'The ferry company sold so-called "grey tickets" to late passengers all winter.\n\n'
    '"We will refund every one of them," Marta Holm, the company\'s director, said on Tuesday.\n\n'
    "The story was first told in the radio series \u2018Harbour Lights\u2019 last spring."
)
TEXT_B = (
    'Passengers who bought "grey tickets" on the night ferry will get their money back.\n\n'
    '"We will refund every one of them," the director, Marta Holm, told reporters.'
)


def _text_of(text: str, span: Span) -> str:
    return text[span.start : span.end]


@pytest.fixture(scope="module")
def analysed() -> tuple[list[Article], list[Analysis]]:
    arts = [Article(id=article_id_for(t), text=t) for t in (TEXT_A, TEXT_B)]
    return arts, analyse_articles(arts)


def test_a_scare_quote_is_stored_as_marked_not_as_a_quote(analysed):
    arts, ans = analysed
    a, an = arts[0], ans[0]
    assert an.marked is not None
    assert [_text_of(a.text, m) for m in an.marked] == ["grey tickets", "Harbour Lights"]
    assert all(m.article_id == a.id for m in an.marked)
    quoted = [_text_of(a.text, sp) for q in an.quotes for sp in q.content]
    assert any("We will refund every one of them" in t for t in quoted)
    assert not any("grey tickets" in t or "Harbour Lights" in t for t in quoted)


def test_marked_spans_leave_out_the_quoted_words_of_direct_quotes():
    text = 'The mayor called it "a fair deal" and said: "We signed it today."'
    said = text.index('"We signed')
    direct = Quote((Span("t", said, len(text)),), direct=True, speaker="the mayor")
    assert [text[a:b] for a, b in quoted_stretches(text)] == ["a fair deal", "We signed it today"]
    assert [text[a:b] for a, b in direct_pieces(text, [direct])] == ["We signed it today"]
    assert [_text_of(text, m) for m in marked_spans(text, "t", [direct])] == ["a fair deal"]
    # a reported quote is no attributed direct quote: its stretch stays marked
    reported = Quote((Span("t", said, len(text)),), direct=False, speaker="the mayor")
    assert len(marked_spans(text, "t", [reported])) == 2


def test_marked_spans_round_trip_through_the_store(analysed, store_target: object):
    arts, ans = analysed
    old = Analysis(arts[1].id, sentences=ans[1].sentences)  # stored before marked spans were kept
    assert old.marked is None
    with Store.open(store_target) as store:
        store.add_articles(arts)
        store.save_analysis([ans[0], old])
        back = store.load_analysis(arts[0].id)
        assert back == ans[0] and back is not None and back.marked == ans[0].marked
        loaded_old = store.load_analysis(arts[1].id)
        assert loaded_old is not None and loaded_old.marked is None
        none_found = Analysis(arts[1].id, marked=())  # looked for, none there: stays an empty tuple
        store.save_analysis([none_found])
        again = store.load_analysis(arts[1].id)
        assert again is not None and again.marked == ()


def test_marked_spans_round_trip_through_the_spark_rows(analysed):
    arts, ans = analysed
    an = ans[0]
    rows = analysis_rows(an)
    assert len(rows["marked"]) == 1
    tables = {name: [dict(zip(_fields(name), r, strict=True)) for r in rs] for name, rs in rows.items()}
    assert analysis_from_rows(an.article_id, tables) == an
    assert analysis_rows(Analysis("x"))["marked"] == []
    assert analysis_from_rows("x", {}).marked is None


def _fields(name: str) -> list[str]:
    return [f for f, _ in ANALYSIS_TABLES[name]]


def test_the_comparison_reads_marked_spans_without_finding_quotes(analysed, monkeypatch):
    arts, ans = analysed
    expected = [analysis_quotes(a.text, Analysis(an.article_id, quotes=an.quotes), i) for i, (a, an) in
                enumerate(zip(arts, ans, strict=True))]  # fmt: skip

    def refuse(text: str, index: int = 0) -> list:
        raise AssertionError("find_quotes called although the analysis has marked spans")

    monkeypatch.setattr("newsweave.compare.quotes.find_quotes", refuse)
    monkeypatch.setattr("newsweave.compare.core.find_quotes", refuse)
    got = [analysis_quotes(a.text, an, i) for i, (a, an) in enumerate(zip(arts, ans, strict=True))]
    assert got == expected  # the same fragments as the mark finder gave (computed before it was refused)
    assert "grey tickets" in [f.text for f in got[0]] and "grey tickets" in [f.text for f in got[1]]
    comp = compare_articles(arts, ans, CompareOptions(embeddings=False))
    groups = [q for q in comp.quotes if any(e.text == "grey tickets" for e in q.evidence)]
    assert len(groups) == 1 and {e.article_id for e in groups[0].evidence} == {a.id for a in arts}
    refund = [q for q in comp.quotes if any("refund every one" in e.text for e in q.evidence)]
    assert len(refund) == 1 and refund[0].speaker and "Holm" in refund[0].speaker
    # an analysis stored before the marked spans were kept still falls back to the mark finder
    with pytest.raises(AssertionError, match="find_quotes called"):
        analysis_quotes(arts[0].text, Analysis(arts[0].id, quotes=ans[0].quotes), 0)


def test_find_quotes_gives_the_stretches_with_speakers():
    text = 'Residents spoke of "a long night". "It was loud," Piet Vos said.'
    frags = find_quotes(text, 2)
    assert [(f.text, f.speaker, f.index) for f in frags] == [("a long night", None, 2),
                                                            ("It was loud", "Piet Vos", 2)]  # fmt: skip


def test_no_marked_row_for_an_analysis_without_quotes(tmp_path: Path):
    arts = [Article(id=article_id_for(TEXT_B), text=TEXT_B)]
    (an,) = analyse_articles(arts, AnalyseOptions(quotes=False))
    assert an.marked is None and an.quotes == ()
    with Store.open(tmp_path / "s.duckdb") as store:
        store.add_articles(arts)
        store.save_analysis([an])
        assert store.query("SELECT count(*) FROM analysis_marked")[0][0] == 0
        back = store.load_analysis(arts[0].id)
        assert back is not None and back.marked is None
