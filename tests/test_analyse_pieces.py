"""An article longer than the analysis reads at once (spaCy's max_length, ``AnalyseOptions.max_chars``) is
analysed whole, in pieces: nothing past the first piece is lost, and every span points into the whole
text. The limit is lowered through the options so that the text stays small."""

from __future__ import annotations

import logging

import pytest

from newsweave.analyse import AnalyseOptions, analyse_articles
from newsweave.analyse.pieces import split_article
from newsweave.errors import UsageError
from newsweave.model import Analysis, Article

# Invented text: one paragraph a day of a council's bridge works, each with a quote, a quoted name (a
# marked stretch) and numbers; the last paragraph names an outlet and a person no other paragraph names.
WORDS = ["temporary", "modern", "ambitious", "final", "urgent", "careful", "phased", "costly"]


def _long_article() -> Article:
    paragraphs = [
        f"The council of Brindlemoor met again on day {i + 1} of the works. "
        f'"We will finish bridge {i + 1} before the winter," said Mayor Tamsin Okonkwo. '
        f'The repairs cost {3 * (i + 1)} million pounds for what the plans name the "{WORDS[i]} crossing".'
        for i in range(len(WORDS))
    ]
    paragraphs.append(
        '"The last girder goes in on Friday," Petra Lindqvist of the Harrowgate Rail Company told '
        "reporters. About 4,700 passengers a day will use the line."
    )
    text = ""
    spans = []
    for p in paragraphs:
        start = len(text) + (2 if text else 0)
        text = f"{text}\n\n{p}" if text else p
        spans.append((start, len(text)))
    return Article(id="longread", text=text, paragraphs=tuple(spans))


def _texts(article: Article, analysis: Analysis) -> dict[str, list[str]]:
    def at(span) -> str:
        return article.text[span.start : span.end]

    return {
        "sentences": [at(s.span) for s in analysis.sentences],
        "quotes": [" / ".join(at(c) for c in q.content) for q in analysis.quotes],
        "speakers": [q.speaker or "" for q in analysis.quotes],
        "marked": [at(s) for s in analysis.marked or ()],
        "numbers": [f"{at(x.span)}={x.value}" for x in analysis.quantities],
        "mentions": [at(m.span) for m in analysis.mentions],
    }


def test_a_long_article_is_analysed_whole_in_pieces(caplog: pytest.LogCaptureFixture) -> None:
    article = _long_article()
    assert len(article.text) > 1500
    (whole,) = analyse_articles([article], AnalyseOptions())
    with caplog.at_level(logging.WARNING):
        (pieced,) = analyse_articles([article], AnalyseOptions(max_chars=400))
    assert "article longread has" in caplog.text and "pieces" in caplog.text
    got, want = _texts(article, pieced), _texts(article, whole)
    # what the last piece holds is there, with offsets in the whole text
    assert any("The last girder goes in on Friday" in q for q in got["quotes"])
    assert "About 4,700=4700.0" in got["numbers"]
    assert got["marked"] == [f"{w} crossing" for w in WORDS]
    assert "Harrowgate Rail Company" in {e.canonical for e in pieced.entities}
    assert max(s.span.end for s in pieced.sentences) == len(article.text)
    # pieces cut at paragraph breaks here: the analysis is the one of the text read at once
    for kind in ("sentences", "quotes", "speakers", "marked", "numbers"):
        assert got[kind] == want[kind], kind
    # NER looks at the first occurrences of a name per text (ner_repeats): pieces find these mentions and more
    assert {(m.span.start, m.span.end) for m in whole.mentions} <= {
        (m.span.start, m.span.end) for m in pieced.mentions
    }
    assert [s.paragraph for s in pieced.sentences] == [s.paragraph for s in whole.sentences]
    assert {e.canonical for e in pieced.entities} == {e.canonical for e in whole.entities}


def test_pieces_cut_at_paragraphs_then_sentences_and_cover_the_text() -> None:
    article = _long_article()
    pieces = split_article(article, 400)
    assert len(pieces) > 3 and all(len(p.article.text) <= 400 for p in pieces)
    assert "".join(p.article.text for p in pieces) == article.text
    assert all(article.text[p.offset - 2 : p.offset] == "\n\n" for p in pieces[1:])
    # one paragraph longer than the limit: cut after a sentence's end, never inside a word
    long_paragraph = " ".join(f"Sentence number {i} of the minutes was read aloud." for i in range(40))
    one = Article(id="p", text=long_paragraph, paragraphs=((0, len(long_paragraph)),))
    cut = split_article(one, 300)
    assert "".join(p.article.text for p in cut) == long_paragraph
    assert all(p.article.text.endswith(". ") for p in cut[:-1])
    assert all(p.paragraphs_before == 0 and p.article.paragraphs[0][0] == 0 for p in cut)
    # no break at all: cut at the limit
    blob = "x" * 1000
    assert [len(p.article.text) for p in split_article(Article(id="b", text=blob), 300)] == [300] * 3 + [100]
    assert split_article(Article(id="s", text="short"), 300)[0].article.text == "short"


def test_max_chars_is_bounded_by_spacy() -> None:
    with pytest.raises(UsageError, match="max_chars"):
        AnalyseOptions(max_chars=2_000_000)
    with pytest.raises(UsageError, match="max_chars"):
        AnalyseOptions(max_chars=0)
