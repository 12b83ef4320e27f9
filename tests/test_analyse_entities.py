"""Entities: type vote, surnames, titles, possessives and compounds; the cross-article alias merge."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsweave.analyse import analyse_articles, lookup_entity, merge_entities_across
from newsweave.analyse.names import fold, name_key, split_title, strip_possessive
from newsweave.model import Analysis, Article, Entity


def _analysis(aid: str, *entities: tuple[str, str]) -> Analysis:
    from newsweave.analyse.entities import entity_key

    return Analysis(aid, entities=tuple(Entity(n, lab, (n,), entity_key(n, lab)) for n, lab in entities))


@pytest.mark.parametrize(
    ("words", "title", "name"),
    [
        ("Kyiv Mayor Vitali Klitschko", "Kyiv Mayor", "Vitali Klitschko"),
        ("U.S. President Donald Trump", "U.S. President", "Donald Trump"),
        ("Russian Foreign Minister Sergey Lavrov", "Russian Foreign Minister", "Sergey Lavrov"),
        ("Secretary of State Mike Pompeo", "Secretary of State", "Mike Pompeo"),
        ("Donald Trump", "", "Donald Trump"),
    ],
)
def test_split_title(words: str, title: str, name: str) -> None:
    t, n = split_title(words.split())
    assert " ".join(t) == title and " ".join(n) == name


def test_possessives_compounds_and_transliteration() -> None:
    assert strip_possessive("Klitschko's") == "Klitschko"
    assert strip_possessive("Klitschko’s") == "Klitschko"
    assert strip_possessive("Zelenskyy-led") == "Zelenskyy"
    assert name_key("Zelensky") == name_key("Zelenskyy") == name_key("Zelenskiy")
    assert name_key("Kiev") == name_key("Kyiv")
    assert fold("Zelénskyy’s") == "zelenskyy"


def test_merge_across_articles() -> None:
    merged = merge_entities_across(
        [
            _analysis("a", ("Volodymyr Zelensky", "PERSON"), ("Kiev", "GPE")),
            _analysis("b", ("Volodymyr Zelenskyy", "PERSON"), ("Kyiv", "GPE"), ("Zelenskiy", "PERSON")),
            _analysis("c", ("Volodymyr Oleksandrovych Zelenskyy", "PERSON")),
        ]
    )
    people = [e for e in merged.values() if e.label == "PERSON"]
    assert len(people) == 1
    assert {"Volodymyr Zelensky", "Volodymyr Zelenskyy", "Zelenskiy"} <= set(people[0].aliases)
    places = [e for e in merged.values() if e.label == "GPE"]
    assert len(places) == 1 and {"Kiev", "Kyiv"} <= set(places[0].aliases)
    assert lookup_entity(merged, "Zelenskiy") == people[0].key
    assert lookup_entity(merged, "Kiev") == places[0].key


def test_shared_surname_different_first_names_never_merge() -> None:
    merged = merge_entities_across(
        [
            _analysis("a", ("Vitali Klitschko", "PERSON")),
            _analysis("b", ("Wladimir Klitschko", "PERSON")),
            _analysis("c", ("Klitschko", "PERSON")),  # ambiguous alone: joins neither
        ]
    )
    keys = sorted(e.canonical for e in merged.values())
    assert keys == ["Klitschko", "Vitali Klitschko", "Wladimir Klitschko"]


def test_surname_alone_joins_the_only_full_name() -> None:
    merged = merge_entities_across(
        [_analysis("a", ("Vitali Klitschko", "PERSON")), _analysis("b", ("Klitschko", "PERSON"))]
    )
    assert len(merged) == 1
    (e,) = merged.values()
    assert e.canonical == "Vitali Klitschko" and "Klitschko" in e.aliases


def test_in_article_surname_resolution_and_vote() -> None:
    text = (
        "Kyiv Mayor Vitali Klitschko spoke on Friday. Klitschko said the city would hold. "
        "Critics of Klitschko's plan met in Kyiv. Klitschko-backed groups agreed."
    )
    (an,) = analyse_articles([Article(id="t", text=text)])
    klitschko = [m for m in an.mentions if "Klitschko" in m.text]
    assert len(klitschko) == 4  # the four occurrences in the text
    assert {m.canonical for m in klitschko} == {"Vitali Klitschko"}
    assert {m.label for m in klitschko} == {"PERSON"}
    assert all(m.text in ("Vitali Klitschko", "Klitschko") for m in klitschko)


@given(st.lists(st.sampled_from(["Zelensky", "Zelenskyy", "Zelenskiy", "Kiev", "Kyiv", "Putin"]), max_size=6))
def test_merge_keys_are_stable_under_order(names: list[str]) -> None:
    analyses = [
        _analysis(str(i), (f"Volodymyr {n}" if n.startswith("Z") else n, "PERSON"))
        for i, n in enumerate(names)
    ]
    a = merge_entities_across(analyses)
    b = merge_entities_across(list(reversed(analyses)))
    assert set(a) == set(b)
    assert all(set(a[k].aliases) == set(b[k].aliases) for k in a)


def test_one_word_names_typed_differently_across_articles() -> None:
    merged = merge_entities_across(
        [
            _analysis("a", ("Kyiv", "GPE"), ("Vitali Klitschko", "PERSON")),
            _analysis("b", ("Kyiv", "GPE"), ("Vitali Klitschko", "PERSON")),
            _analysis("c", ("Kyiv", "PERSON"), ("Klitschko", "NORP")),
        ]
    )
    assert sorted((e.canonical, e.label) for e in merged.values()) == [
        ("Kyiv", "GPE"),
        ("Vitali Klitschko", "PERSON"),
    ]


def test_generational_suffix_is_another_person() -> None:
    merged = merge_entities_across(
        [_analysis("a", ("Donald Trump", "PERSON")), _analysis("b", ("Donald Trump Jr.", "PERSON"))]
    )
    assert sorted(e.canonical for e in merged.values()) == ["Donald Trump", "Donald Trump Jr."]
    text = "Martin Luther King Jr. spoke in 1963. King said he had a dream."
    (an,) = analyse_articles([Article(id="k", text=text)])
    kings = [m for m in an.mentions if m.text == "King"]
    assert kings and all(m.canonical == "Martin Luther King Jr." for m in kings)


def test_a_name_never_runs_over_a_line_break() -> None:
    """The model can join a byline's agency and the dateline under it into one name."""
    from spacy.tokens import Span as SpacySpan

    from newsweave.analyse.entities import analyse_entities
    from newsweave.analyse.nlp import load_nlp
    from newsweave.model import Article

    text = "Jane Roe, Courier Press \n\n \n\nNORTHVILLE, Freedonia -- The council met on Tuesday."
    doc = load_nlp()(text)
    start = next(t.i for t in doc if t.text == "Courier")
    end = next(t.i for t in doc if t.text == "NORTHVILLE") + 1
    doc.ents = [SpacySpan(doc, start, end, label="ORG")]
    mentions, _entities, _persons = analyse_entities(Article(id="t", text=text), doc)
    assert "\n" in doc.ents[0].text
    assert sorted(m.text for m in mentions) == ["Courier Press", "NORTHVILLE"]
    assert all(text[m.span.start : m.span.end] == m.text for m in mentions)


def test_the_portfolio_of_an_office_is_no_entity() -> None:
    """ "Secretary of State" names an office: "State" alone is no organisation; "Mayor of London" keeps the
    city, and the person after the office is kept."""
    from spacy.tokens import Span as SpacySpan

    from newsweave.analyse.entities import analyse_entities
    from newsweave.analyse.nlp import load_nlp

    text = "Former Secretary of State Ada Quill met the Mayor of Lisbon and the Head of State on Friday."
    doc = load_nlp()(text)
    toks = {t.text: t.i for t in doc}
    states = [t.i for t in doc if t.text == "State"]
    doc.ents = [
        *(SpacySpan(doc, i, i + 1, label="ORG") for i in states),
        SpacySpan(doc, toks["Ada"], toks["Quill"] + 1, label="PERSON"),
        SpacySpan(doc, toks["Lisbon"], toks["Lisbon"] + 1, label="GPE"),
    ]
    mentions, _entities, _persons = analyse_entities(Article(id="t", text=text), doc)
    assert sorted(m.text for m in mentions) == ["Ada Quill", "Lisbon"]
