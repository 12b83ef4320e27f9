"""One finder for numbers (issue #20, "one analysis"): the analysis stores each figure the comparison's finder
finds (with the analysis' own readings of it), the store and the Spark rows keep it, and the comparison
reads it instead of finding numbers again; what ``show`` highlights as numbers is what the comparison
groups. An analysis stored before figures were kept still compares, with the finder run on the text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsweave.analyse import AnalyseOptions, analyse_articles
from newsweave.analyse.figures import read_quantities
from newsweave.analyse.numfind import find_mentions, find_numbers, resolve_years, stored_mentions
from newsweave.compare import CompareOptions, compare_articles
from newsweave.model import Analysis, Article, article_id_for
from newsweave.spark.rows import ANALYSIS_TABLES, analysis_rows
from newsweave.store import Store, schema
from newsweave.store.analysis import analysis_from_rows
from newsweave.web.marks import analysis_marks

# invented reports of one invented event
TEXT_A = (
    "At least 14 people died when a ferry caught fire off Kessel Point on Monday, the coastguard said.\n\n"
    "More than 30 passengers were injured. The operator, fined $2.5 million last year over safety "
    "failures, said the 40-metre vessel was built in the 1990s and last inspected on March 3, 2021.\n\n"
    "Flight 17 to the island was cancelled."
)
TEXT_B = (
    "Fourteen people were killed and about 35 hurt in a ferry fire near Kessel Point, officials said on "
    "Tuesday.\n\nThe company paid a $2.5 million fine last year. Rescue crews pulled 120 people from the "
    "water, and one of them said the ship was 40 metres long."
)
PUBLISHED = datetime(2021, 3, 9, 12, tzinfo=UTC)
URL_A = "https://news.example.org/2021/03/08/ferry-fire"  # a dated URL: "last year" is 2020


def _articles() -> list[Article]:
    return [
        Article(
            id=article_id_for(TEXT_A), text=TEXT_A, source="a.example", url=URL_A, published_at=PUBLISHED
        ),
        Article(id=article_id_for(TEXT_B), text=TEXT_B, source="b.example", published_at=PUBLISHED),
    ]


@pytest.fixture(scope="module")
def analysed() -> tuple[list[Article], list[Analysis]]:
    arts = _articles()
    return arts, analyse_articles(arts, AnalyseOptions(entities=False, quotes=False))


def _number_spans(comp, article_id: str) -> set[tuple[int, int]]:
    return {(e.start, e.end) for g in comp.numbers for e in g.evidence if e.article_id == article_id}


def _groups(comp) -> list[tuple[str, str, tuple[tuple[str, int, int], ...]]]:
    return [
        (g.status, g.unit, tuple((e.article_id, e.start, e.end) for e in g.evidence)) for g in comp.numbers
    ]


def test_the_analysis_stores_the_finders_figures_with_its_own_readings(analysed) -> None:
    arts, ans = analysed
    a, an = arts[0], ans[0]
    figures = [q for q in an.quantities if q.figure is not None]
    # the one finder's mentions, in order, span for span
    assert [(q.span.start, q.span.end) for q in figures] == [(m.start, m.end) for m in find_mentions(a.text)]
    by_text = {q.text: q for q in an.quantities}
    died = by_text["At least 14"]
    assert died.counted == "people" and died.low == 14 and died.hedge == "at least"  # the analysis' reading
    assert died.figure is not None and (died.figure.low, died.figure.high) == (14, 28)  # the comparison's
    assert by_text["$2.5 million"].figure.dim == "money:USD"  # type: ignore[union-attr]
    # a relative year is stored unresolved: its year depends on the story, not on this article
    last = by_text["last year"].figure
    assert last is not None and last.relative == "last" and last.exact == -1
    inspected = by_text["March 3, 2021"]
    assert inspected.kind == "date" and inspected.resolved == "2021-03-03" and inspected.figure is not None
    # a weekday is a date the comparison does not compare: kept, resolved, without a figure
    assert by_text["Monday"].figure is None and by_text["Monday"].resolved == "2021-03-08"
    # a label is no quantity for either
    assert "17" not in by_text and "Flight 17" not in by_text


def test_the_comparison_reads_the_stored_figures_and_never_runs_the_finder(analysed, monkeypatch) -> None:
    arts, ans = analysed
    fresh = compare_articles(arts, None, CompareOptions(embeddings=False))  # the finder run on the texts

    def refuse(*args, **kwargs):
        raise AssertionError("find_numbers called although the analysis has the figures")

    monkeypatch.setattr("newsweave.compare.core.find_numbers", refuse)
    monkeypatch.setattr("newsweave.analyse.numfind.find_numbers", refuse)
    comp = compare_articles(arts, ans, CompareOptions(embeddings=False))
    assert not [w for w in comp.warnings if "numbers" in w]
    assert _groups(comp) == _groups(fresh) and [g.what for g in comp.numbers] == [
        g.what for g in fresh.numbers
    ]
    agreed = {tuple(sorted(e.text for e in g.evidence)) for g in comp.numbers if g.status == "agree"}
    assert ("$2.5 million", "$2.5 million") in agreed
    # "last year" counted from the dated URL of report A, for both reports
    years = [g for g in comp.numbers if any(e.text == "last year" for e in g.evidence)]
    assert len(years) == 1 and years[0].status == "agree" and years[0].mentions[0].value == 2020


def test_show_highlights_as_numbers_exactly_what_the_comparison_groups(analysed) -> None:
    arts, ans = analysed
    comp = compare_articles(arts, ans, CompareOptions(embeddings=False))
    for a, an in zip(arts, ans, strict=True):
        shown = {(m.start, m.end) for m in analysis_marks(an) if m.kind == "number"}
        assert shown and shown == _number_spans(comp, a.id)
        dates = {a.text[m.start : m.end] for m in analysis_marks(an) if m.kind == "date"}
        assert dates == ({"Monday"} if a is arts[0] else {"Tuesday"})


def test_an_analysis_without_figures_falls_back_to_the_finder(analysed, monkeypatch) -> None:
    arts, ans = analysed
    fresh = compare_articles(arts, None, CompareOptions(embeddings=False))
    # stored before figures were kept: the same quantities, none with a figure
    old = [Analysis(an.article_id, quantities=tuple(q.__class__(**{**q.__dict__, "figure": None})
                                                    for q in an.quantities)) for an in ans]  # fmt: skip
    assert all(stored_mentions(an) is None for an in old)
    # show still marks its numbers as numbers, and its dates as dates
    kinds = {
        arts[0].text[m.start : m.end]: m.kind for m in analysis_marks(old[0]) if m.kind in ("number", "date")
    }
    assert kinds["At least 14"] == "number" and kinds["Monday"] == "date"
    calls: list[str] = []

    def counting(text: str, *args, **kwargs):
        calls.append(text)
        return find_numbers(text, *args, **kwargs)

    monkeypatch.setattr("newsweave.compare.core.find_numbers", counting)
    comp = compare_articles(arts, old, CompareOptions(embeddings=False))
    assert sorted(calls) == sorted(a.text for a in arts)
    assert _groups(comp) == _groups(fresh)


def test_a_relative_year_resolves_from_the_story_not_the_article() -> None:
    mentions = find_mentions("Prices rose 4% last year and will fall next year.")
    assert [m.relative for m in mentions] == [None, "last", "next"]
    assert resolve_years(mentions, None) == mentions[:1]  # no reference year: left out, as before
    sure = resolve_years(mentions, 2014, True)
    assert [(m.exact, m.relative) for m in sure[1:]] == [(2013, "last year"), (2015, "next year")]
    guess = resolve_years(mentions, 2014, False)
    assert [m.relative for m in guess[1:]] == ["last year (unsure)", "next year (unsure)"]
    for text in (TEXT_A, TEXT_B):
        for ref in ((None, False), (2020, True), (2019, False)):
            assert resolve_years(find_mentions(text), *ref) == find_numbers(text, *ref)


def test_figures_round_trip_through_the_store(analysed, store_target: object) -> None:
    arts, ans = analysed
    with Store.open(store_target) as store:
        store.add_articles(arts)
        store.save_analysis(ans)
        back = [store.load_analysis(a.id) for a in arts]
    assert back == ans
    comp = compare_articles(arts, [b for b in back if b is not None], CompareOptions(embeddings=False))
    assert _groups(comp) == _groups(compare_articles(arts, ans, CompareOptions(embeddings=False)))


def test_figures_round_trip_through_the_spark_rows(analysed) -> None:
    _, ans = analysed
    an = ans[0]
    rows = analysis_rows(an)
    fields = {name: [f for f, _ in cols] for name, cols in ANALYSIS_TABLES.items()}
    tables = {name: [dict(zip(fields[name], r, strict=True)) for r in rs] for name, rs in rows.items()}
    assert analysis_from_rows(an.article_id, tables) == an
    # a Parquet output written before figures were kept has no figure columns: quantities without figures
    old = {"numbers": [{k: v for k, v in r.items() if not k.startswith("fig_")} for r in tables["numbers"]]}
    back = analysis_from_rows(an.article_id, old)
    assert [q.text for q in back.quantities] == [q.text for q in an.quantities]
    assert all(q.figure is None for q in back.quantities)


def test_an_old_store_opens_migrates_and_its_analysis_still_compares(
    analysed, store_target: object, monkeypatch
) -> None:
    arts, ans = analysed
    before = [m for m in schema.MIGRATIONS if m.version <= 5]
    monkeypatch.setattr(schema, "MIGRATIONS", tuple(before))
    monkeypatch.setattr(schema, "LATEST", 5)
    with Store.open(store_target) as store:  # a store as newsweave wrote it before figures (version 5)
        assert store.schema_version() == 5
        store.add_articles(arts)
        for an in ans:
            store.insert_records("analysis_runs", [{"article_id": an.article_id, "model": "old"}])
            store.insert_records(
                "analysis_quantities",
                [{"article_id": an.article_id, "idx": i, "start": q.span.start, "end": q.span.end,
                  "text": q.text, "value": q.value, "kind": q.kind, "resolved": q.resolved}
                 for i, q in enumerate(an.quantities)],
            )  # fmt: skip
    monkeypatch.undo()
    with Store.open(store_target) as store:
        assert store.schema_version() == schema.LATEST >= 6
        old = [store.load_analysis(a.id) for a in arts]
        assert all(
            o is not None and o.quantities and all(q.figure is None for q in o.quantities) for o in old
        )
        comp = compare_articles(arts, [o for o in old if o is not None], CompareOptions(embeddings=False))
        assert _groups(comp) == _groups(compare_articles(arts, None, CompareOptions(embeddings=False)))
        store.save_analysis(ans)  # analysed again: the figures are kept
        assert [store.load_analysis(a.id) for a in arts] == ans


def test_quantities_with_and_without_the_pipeline_agree() -> None:
    """The pipeline stores exactly ``read_quantities`` (the one place quantities are read)."""
    a = _articles()[1]
    (an,) = analyse_articles([a], AnalyseOptions(entities=False, quotes=False))
    assert list(an.quantities) == read_quantities(a.text, a.id, a.published_at)
    assert [q.text for q in an.quantities if q.figure is not None] == [m.text for m in find_mentions(a.text)]


def test_a_mention_is_a_span_and_a_figure() -> None:
    """A found mention is a figure's reading fields plus its place in the text: both classes take those fields
    from one declaration (``FigureFields``), so they cannot drift apart; they convert field by field, and a
    mention stays a mention (not a Figure, so it is never stored as one; it pickles as itself)."""
    import dataclasses
    import pickle

    from newsweave.analyse.figures import figure_of
    from newsweave.analyse.numfind import NumMention, mention_of
    from newsweave.model import Figure, FigureFields, Quantity, Span

    reading = [f.name for f in dataclasses.fields(FigureFields)]
    assert "low" in reading and "dim" in reading and "strict" in reading
    assert [f.name for f in dataclasses.fields(Figure)] == reading
    assert [f.name for f in dataclasses.fields(NumMention)] == reading + ["start", "end", "text"]
    assert issubclass(Figure, FigureFields) and issubclass(NumMention, FigureFields)
    assert not issubclass(NumMention, Figure) and not issubclass(Figure, NumMention)
    mentions = find_mentions("The ferry carried at least 40 passengers and about a fifth of them were hurt.")
    assert [m.text for m in mentions] == ["at least 40", "about a fifth"]
    for m in mentions:
        f = figure_of(m)
        assert type(f) is Figure and f != m
        q = Quantity(Span("x", m.start, m.end), m.text, f.exact, figure=f)
        assert mention_of(q) == m
        back = pickle.loads(pickle.dumps(m))
        assert type(back) is NumMention and back == m
