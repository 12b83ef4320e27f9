"""The shared text tools: sentence and paragraph spans, word tokens, stop words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.text import STOP_WORDS, content_words, fold, paragraph_spans, sentence_spans, word_spans, words


def _texts(spans: list[tuple[int, int]], text: str) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_sentences_split_after_punctuation_but_not_after_abbreviations() -> None:
    text = "Dr. Ada Smith met Mr. Jones in the U.S. on Monday. It rained! Did it? 3 people came."
    assert _texts(sentence_spans(text), text) == [
        "Dr. Ada Smith met Mr. Jones in the U.S. on Monday.",
        "It rained!",
        "Did it?",
        "3 people came.",
    ]


def test_closing_quotes_stay_with_their_sentence_and_lines_are_boundaries() -> None:
    text = (
        "  He said \u201cGo home.\u201d Then he left (quietly.) \u201cWhy?\u201d she asked\nNo full stop here"
    )
    assert _texts(sentence_spans(text), text) == [
        "He said \u201cGo home.\u201d",
        "Then he left (quietly.)",
        "\u201cWhy?\u201d she asked",
        "No full stop here",
    ]


def test_sentence_spans_of_a_range_stay_inside_it() -> None:
    text = "First one. Second one.\nThird one. Fourth."
    start = text.index("Second")
    end = text.index(" Fourth")
    assert _texts(sentence_spans(text, start, end), text) == ["Second one.", "Third one."]


def test_lower_case_after_a_full_stop_does_not_start_a_sentence() -> None:
    text = "The price rose to 3.5 per cent. e.g. this is one sentence."
    assert _texts(sentence_spans(text), text) == [
        "The price rose to 3.5 per cent. e.g. this is one sentence."
    ]


_ALPHABET = list("ab AB.!?\"'\u201c\u201d)(\n\t3") + ["Mr.", "U.S.", "\u00a0"]


@given(st.lists(st.sampled_from(_ALPHABET), max_size=120).map("".join))
@settings(max_examples=300, deadline=None)
def test_sentence_spans_invariants(text: str) -> None:
    spans = sentence_spans(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)  # inside the text, ordered, not overlapping, not empty
        assert "\n" not in text[s:e]  # a line is a boundary
        assert text[s:e] == text[s:e].strip()
        last = e
    for line_start, line in _lines(text):
        inside = [(s, e) for s, e in spans if line_start <= s < line_start + len(line)]
        covered = "".join(text[s:e] for s, e in inside)
        assert "".join(covered.split()) == "".join(line.split())  # every non-space character of the line


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def test_paragraphs_are_lines_or_blank_line_blocks_in_wrapped_text() -> None:
    text = "One line.\n\n  Two line.  \nThree."
    assert _texts(list(paragraph_spans(text)), text) == ["One line.", "Two line.", "Three."]
    wrapped = "A wrapped\nparagraph here.\n\nAnd a second\none there.\n\nThird\nblock."
    assert _texts(list(paragraph_spans(wrapped)), wrapped) == [
        "A wrapped\nparagraph here.",
        "And a second\none there.",
        "Third\nblock.",
    ]


def test_words_fold_quotes_possessives_and_contractions() -> None:
    assert fold("\u201cCaf\u00e9\u201d \u2014 OK\u2026") == '"caf\u00e9" - ok...'
    assert words("Obama\u2019s aides don't say \u201cno\u201d; U.S._army") == [
        "obama",
        "aides",
        "dont",
        "say",
        "no",
        "u",
        "s",
        "army",
    ]
    assert words("Obama's aides", possessive=True) == ["obamas", "aides"]
    text = "Kyiv\u2019s mayor"
    assert [(text[s:e], w) for s, e, w in word_spans(text)] == [("Kyiv\u2019s", "kyiv"), ("mayor", "mayor")]


def test_content_words_drop_stop_words_and_single_letters() -> None:
    assert content_words("The mayor said he didn't know a thing, according to Mr. X.") == [
        "mayor",
        "know",
        "thing",
    ]
    assert content_words("the fire", stop_words=STOP_WORDS | {"fire"}) == []
    assert {"said", "the", "dont", "mr"} <= STOP_WORDS and not {"fire", "bill", "found"} & STOP_WORDS
