"""Quotes in every quotation style, split and multi-paragraph quotes, indirect speech, speakers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.analyse import AnalyseOptions, analyse_articles
from newsweave.analyse.quotemarks import find_segments
from newsweave.model import Article


def _quotes(text: str):
    (an,) = analyse_articles([Article(id="t", text=text)], AnalyseOptions(quantities=False))
    return [(q, [p.text_in(text) for p in q.content]) for q in an.quotes]


def test_quote_mark_styles() -> None:
    for open_, close in (('"', '"'), ("“", "”"), ("«", "»"), ("‘", "’")):
        text = (
            f"The minister arrived. {open_}We will rebuild the bridge,{close} Anna Kovalenko said on Monday."
        )
        segs = find_segments(text)
        assert len(segs) == 1, (open_, segs)
        quotes = _quotes(text)
        assert len(quotes) == 1
        q, parts = quotes[0]
        assert q.direct and "We will rebuild the bridge" in parts[0]
        assert q.speaker == "Anna Kovalenko" and q.cue == "said"


def test_nested_quote_belongs_to_outer() -> None:
    text = "“He told me ‘never again’ and left,” Maria Petrenko said."
    segs = find_segments(text)
    assert len(segs) == 1 and text[segs[0].start : segs[0].end].startswith("“He told")


def test_multi_paragraph_quote_is_one_group() -> None:
    text = "Mark Brown said:\n“The first part of a long statement goes here.\n“And the second part follows here.”\nLater."
    segs = find_segments(text)
    assert len(segs) == 2 and segs[0].group == segs[1].group
    quotes = _quotes(text)
    direct = [q for q, _ in quotes if q.direct]
    assert len(direct) == 1 and len(direct[0].content) == 2 and direct[0].speaker == "Mark Brown"


def test_split_quote_continuation_and_pronoun() -> None:
    text = (
        "Vitali Klitschko spoke to reporters. “We need peace,” he said. “But not at any price.” "
        "The talks continue."
    )
    quotes = _quotes(text)
    (q, parts) = next((q, p) for q, p in quotes if q.direct)
    assert len(parts) == 2 and "We need peace" in parts[0] and "not at any price" in parts[1]
    assert q.speaker == "Vitali Klitschko"


def test_indirect_speech_and_according_to() -> None:
    text = (
        "Officials said that the bridge was closed. "
        "The port will reopen next week, according to the harbour master. "
        "Olena Shevchenko accused the contractor of cutting corners."
    )
    quotes = _quotes(text)
    by_cue = {q.cue: (q, parts) for q, parts in quotes}
    assert "that the bridge was closed" in by_cue["said"][1][0]
    assert by_cue["said"][0].speaker == "Officials" and not by_cue["said"][0].direct
    assert "The port will reopen next week" in by_cue["according to"][1][0]
    assert by_cue["according to"][0].speaker == "the harbour master"
    assert "the contractor of cutting corners" in by_cue["accused"][1][0]
    assert by_cue["accused"][0].speaker == "Olena Shevchenko"


def test_scare_quotes_without_cue_are_not_quotes() -> None:
    text = "The so-called “reform” package passed the chamber on Tuesday."
    assert _quotes(text) == []


def test_role_noun_speaker_resolves_to_titled_person() -> None:
    text = "Kyiv Mayor Vitali Klitschko visited the site. Later the mayor said that repairs would take weeks."
    quotes = _quotes(text)
    assert quotes and quotes[0][0].speaker == "Vitali Klitschko"


_WORDS = st.sampled_from(
    [
        "he",
        "said",
        "that",
        "“",
        "”",
        '"',
        "'",
        "Anna",
        "Kovalenko",
        "told",
        ".",
        ",",
        "the",
        "deal",
        "\n",
        "according",
        "to",
    ]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_WORDS, max_size=40))
def test_quote_spans_inside_text(words: list[str]) -> None:
    text = " ".join(words)
    (an,) = analyse_articles([Article(id="h", text=text)], AnalyseOptions(quantities=False))
    for q in an.quotes:
        for span in (*q.content, q.speaker_span, q.cue_span):
            if span is not None:
                assert 0 <= span.start < span.end <= len(text)
    for s in find_segments(text):
        assert 0 <= s.start < s.end <= len(text)


def test_transcript_turns_are_separate_quotes() -> None:
    text = (
        "Partial transcript as follows:\n\n"
        '"WALLACE: Will she be at the debate tomorrow night?\n\n'
        '"PENCE: She will not be attending the debate tomorrow night.\n\n'
        "UPDATE: The debate starts at nine."
    )
    quotes = _quotes(text)
    speakers = {q.speaker_span.text_in(text): parts for q, parts in quotes if q.cue == ":" and q.speaker_span}
    assert set(speakers) == {"WALLACE", "PENCE"}
    assert "Will she be at the debate" in speakers["WALLACE"][0]
    assert "She will not be attending" in speakers["PENCE"][0]
    assert all("PENCE" not in p for p in speakers["WALLACE"])


def test_dateline_place_is_not_the_speaker() -> None:
    """Wire copy opens with a dateline; the parser takes its place for the subject of the first verb."""
    text = (
        "By Jane Roe, Courier Press\n\n\n\nNORTHVILLE, Freedonia -- Freedonia resumed its heavy shelling of the"
        ' border on Tuesday and warned that the rebels "would pay the price" after they rejected a truce.\n\n'
        "More text follows here about the war."
    )
    speakers = {q.cue: q.speaker for q, _ in _quotes(text)}
    assert speakers["warned"] == "Freedonia"
    text = 'BRISTOW, Ore. (AP) - Bristow Valley Resort says "it has been cold enough to make snow" for a week now.'
    assert [q.speaker for q, _ in _quotes(text)] == ["Bristow Valley Resort"]
    # a name inside a phrase before the subject is passed over; a title before a person keeps the person
    text = (
        "MARSTON, Sylvania (Wire) - As rescue teams slowly reached the scene of the crash of a Sylvanian Airways"
        ' jet, the Sylvanian Transport Ministry on Friday said the plane "was not hit by a missile" at all.'
    )
    assert [q.speaker for q, _ in _quotes(text)] == ["Sylvanian Transport Ministry"]
    text = 'HALDEN, N.C. - Carter City Mayor Paul Ostrander said "the budget is balanced" on Tuesday.'
    assert [q.speaker for q, _ in _quotes(text)] == ["Paul Ostrander"]


def test_commissioner_resolves_to_the_titled_person() -> None:
    text = (
        "League Commissioner Ada Varga met the owners on Monday. Asked about the fine, the commissioner said,"
        ' "The decision is final." Another paragraph follows.'
    )
    assert {q.cue: q.speaker for q, _ in _quotes(text)}["said"] == "Ada Varga"


def test_a_quotation_ending_in_that_keeps_its_inverted_speaker() -> None:
    text = (
        "Storms crossed the island overnight. "
        '"A part of the roof of my veranda just went like that," said Ada Brun, 55, who farms near the coast.'
    )
    (an,) = analyse_articles([Article(id="a", text=text, source="x")])
    assert [(q.speaker, q.cue) for q in an.quotes] == [("Ada Brun", "said")]


def test_a_group_named_by_a_plural_noun_speaks_for_itself() -> None:
    text = (
        '"We are ready," said Mayor Ada Brun. '
        "The storm is causing concern to meteorologists who fear it could flood the whole valley."
    )
    (an,) = analyse_articles([Article(id="a", text=text, source="x")])
    by_cue = {q.cue: q.speaker for q in an.quotes}
    assert by_cue == {"said": "Ada Brun", "fear": "meteorologists"}  # not the mayor named before


def test_a_relative_clause_speaks_for_its_head_word_not_a_name_inside_or_a_thing() -> None:
    opening = "Mayor Ada Brun opened the new pier on Monday. "
    cases = {
        # the name inside the phrase is a place; the phrase stands beside a person
        "Tomas Vell, a ferryman in Dunmore who said the tides had changed, watched from his boat.": "Tomas Vell",
        "The crowd cheered Tomas Vell, the former Dunmore harbourmaster, who said the pier was overdue.": (
            "Tomas Vell"
        ),
        # a source speaks as written; a thing that is no source is no speaker (not the mayor named before)
        "The harbour board's report, which found that the old pier was unsafe, was read aloud.": (
            "The harbour board's report"
        ),
        "The crowd ignored an earlier ban which warned that the old pier was unsafe.": None,
        "There are those who argue that the old pier should have stayed.": "those",
    }
    for sentence, speaker in cases.items():
        quotes = _quotes(opening + sentence)
        assert [q.speaker for q, _ in quotes] == [speaker], sentence


def test_a_place_or_a_group_in_the_source_phrase_is_not_the_person_named_in_it() -> None:
    # "Ian Dorsey" stands where a place stands; the model tags it a person
    storm = "The storm flattened the harbour. "
    cases = {
        storm + "A resident of the coastal town of Ian Dorsey told reporters that the road was gone.": (
            "A resident of the coastal town of Ian Dorsey"
        ),
        storm
        + "A fisherman in Ian Dorsey told reporters that the road was gone.": "A fisherman in Ian Dorsey",
        "Mayor Ada Brun opened the pier. Tomas Vell worked at the Ian Dorsey branch of the bank. He said the"
        " pier had cost too much.": "Tomas Vell",
        # a group named by a plural noun speaks for itself; what a person said is still theirs
        "Mayor Ada Brun opened the pier. Brun's advisers said the pier had cost too much.": "Brun's advisers",
        "Mayor Ada Brun opened the pier. Comments of Brun suggested the pier had cost too much.": "Ada Brun",
    }
    for text, speaker in cases.items():
        assert [q.speaker for q, _ in _quotes(text)] == [speaker], text


def test_the_person_named_for_an_organisation_or_a_role_is_the_speaker() -> None:
    late = "The ferry was late again. "
    cases = {
        # an organisation's name or a role noun heads the source phrase; the person comes after it
        late
        + 'ASCL Deputy General Secretary Tomas Vell, said: "For the HTA to blame the crews is outrageous."': (
            "Tomas Vell"
        ),
        late
        + 'Local harbour commander, Ch Insp John Harker said: "This is another failure for the coast."': (
            "John Harker"
        ),
        # a person after a preposition is someone else
        late + "An aide to the harbour commander Tomas Vell said the delays were a disgrace.": (
            "An aide to the harbour commander Tomas Vell"
        ),
    }
    for text, speaker in cases.items():
        assert [q.speaker for q, _ in _quotes(text)] == [speaker], text


def test_an_adjective_the_model_tags_as_a_person_is_not_he() -> None:
    opening = "Tomas Harker arrived on Monday. "
    for sentence in (
        'The square filled with pro-Kremlin marchers. "We will stay," he said.',
        "The square filled with pro-Putin marchers. He said the march was peaceful.",
    ):
        assert [q.speaker for q, _ in _quotes(opening + sentence)] == ["Tomas Harker"], sentence
