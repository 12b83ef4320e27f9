"""A figure's label reads like a journalist's ("people killed in the crash"), made of its sentence's words."""

from __future__ import annotations

import pytest

from newsweave.analyse.numfind import find_numbers
from newsweave.compare import CompareOptions, compare_articles
from newsweave.compare.label import number_label
from newsweave.model import Article, article_id_for


def _label(sentence: str, figure: str) -> str | None:
    (m,) = [x for x in find_numbers(sentence) if x.text == figure]
    r = number_label(sentence, (0, len(sentence)), m)
    return r[1] if r else None


@pytest.mark.parametrize(
    ("sentence", "figure", "label"),
    [
        (
            "At least 12 people were killed in the ferry crash on Sunday.",
            "At least 12",
            "people killed in the ferry crash",
        ),
        (
            "The blast wounded 26 people during the evening rush.",
            "26",
            "people wounded during the evening rush",
        ),
        ("The storm, killing 14 villagers, moved north.", "14", "villagers killed"),
        ("Over 80 injured in the clashes were taken to hospital.", "Over 80", "injured in the clashes"),
        (
            "Police deployed 5,000 riot officers across the capital.",
            "5,000",
            "riot officers deployed across the capital",
        ),
        ("Gusts of 75mph hit the coast.", "75mph", "Gusts"),
    ],
)
def test_labels(sentence: str, figure: str, label: str) -> None:
    assert _label(sentence, figure) == label


def test_no_label_from_too_little():
    # a year, an age or one bare word say less than the window of words around the figure
    assert _label("The bridge opened in 1998 after years of delay.", "1998") is None
    assert _label("The mayor, 54, spoke first.", "54") is None
    assert _label("The 27 letters, we now know, were frank.", "27") is None


def test_group_label_is_the_fullest_of_its_mentions():
    a = Article(
        id=article_id_for("a"), source="a.example", text="A ferry sank on Sunday. It carried 40 passengers."
    )
    b = Article(
        id=article_id_for("b"),
        source="b.example",
        text="A ferry sank on Sunday off the coast. All 40 passengers were rescued by fishing boats.",
    )
    comp = compare_articles([a, b], None, CompareOptions(embeddings=False))
    (g,) = [n for n in comp.numbers if n.status == "agree"]
    assert g.what == "passengers rescued by fishing boats"
