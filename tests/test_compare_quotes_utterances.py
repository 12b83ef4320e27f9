"""Quotes as utterances (issue #20), on invented text: pieces of one quotation are one utterance with one
status, near-synonym renderings are the same utterance reworded, different lines stay apart, and the
speaker is the person the text names."""

from __future__ import annotations

from newsweave.compare import CompareOptions, compare_articles
from newsweave.compare.quotes import Fragment, find_quotes, group_quotes, overlap, sentence_units
from newsweave.compare.result import Comparison, QuoteGroup
from newsweave.compare.utterances import join_quotations, one_quotation
from newsweave.model import Article, article_id_for
from newsweave.report import json_report, markdown


def _compare(*texts: str) -> tuple[list[Article], Comparison]:
    outlets = ("Harbour Gazette", "Valley Courier", "Coast Herald")
    arts = [Article(id=article_id_for(t), text=t, source=o) for t, o in zip(texts, outlets, strict=False)]
    return arts, compare_articles(arts, None, CompareOptions(embeddings=False))


def _with(comp: Comparison, words: str) -> list[QuoteGroup]:
    return [q for q in comp.quotes if any(words in e.text for e in q.evidence)]


SPLIT_A = (
    "The new bridge over the Elm river will not open this spring.\n\n"
    '"The steel arrived late from the mill in the north. We need another six weeks to finish the deck," '
    "said Marta Lindqvist, the chief engineer of the county.\n"
)
SPLIT_B = (
    "Engineers said the bridge over the Elm river would open late.\n\n"
    '"The steel arrived late from the mill in the north," Marta Lindqvist told reporters on Friday. '
    '"We need another eight weeks to finish the deck."\n'
)


def test_a_quote_split_around_its_attribution_is_one_utterance_with_one_status() -> None:
    arts, comp = _compare(SPLIT_A, SPLIT_B)
    first, second = _with(comp, "The steel arrived late"), _with(comp, "to finish the deck")
    assert len(first) == 1 and len(second) == 1
    # the first sentence is rendered word for word, the second is not: one utterance, reworded throughout
    assert all(d.op == "equal" for d in first[0].diff)
    assert any(d.op == "replace" and "eight" in d.b for d in second[0].diff)
    assert first[0].utterance is not None and first[0].utterance == second[0].utterance
    assert first[0].status == second[0].status == "reworded"
    assert first[0].speaker == second[0].speaker == "Marta Lindqvist"
    for q in (first[0], second[0]):
        assert {e.article_id for e in q.evidence} == {a.id for a in arts}
    # the JSON carries the utterance; the report shows the two pieces as one entry with one status
    d = json_report.to_dict(comp)
    assert {q["utterance"] for q in d["quotes"] if q["status"] != "single"} == {first[0].utterance}
    md = markdown.render_markdown(comp)
    section = md.split("## Quotes across sources")[1].split("## Numbers")[0]
    assert section.count("- **reworded**") == 1 and "identical" not in section
    # the summary counts the quotation once, not its two pieces
    assert d["summary"]["quotes"]["reworded"] == 1 and d["summary"]["quotes"]["identical"] == 0


def test_the_pieces_of_one_stretch_join_only_across_an_attribution() -> None:
    text = (
        '"We start on Monday," she said. "The road stays open."\n\n'
        '"It will be loud."\n\n'
        '"The first part was hard," said Ola Brandt, who has run the depot on the hill above the town since '
        'the flood of the year before last. "The second part was easy."\n\n'
        '"The crews go home at six\n\n'
        '"and come back at seven."'
    )
    frags = find_quotes(text)
    got = join_quotations(frags, {0: text})
    by_text = {f.text: f for f in got}
    assert by_text["The road stays open"].utterance == by_text["We start on Monday"].utterance
    assert by_text["The road stays open"].part == 1
    # a closed quote and a new paragraph: a new quotation
    assert by_text["It will be loud"].utterance != by_text["We start on Monday"].utterance
    # a long stretch of narrative between two quotes is not an attribution
    assert by_text["The second part was easy"].utterance != by_text["The first part was hard"].utterance
    # a quote left open at the paragraph's end goes on in the next one
    assert by_text["and come back at seven"].utterance == by_text["The crews go home at six"].utterance
    # two named speakers are two quotations however close
    a, b = Fragment(0, 0, 5, "Aaaaa", "Ann Holm", True), Fragment(0, 20, 25, "Bbbbb", "Per Dahl", True)
    assert not one_quotation(a, b, 'Aaaaa," said Ann. "Bbbbb')


def test_two_different_lines_by_one_speaker_are_two_utterances() -> None:
    a = (
        "The ferry company halted crossings on Tuesday.\n\n"
        '"The ferry will not sail again until the storm has passed," said Jonas Ek, the harbour master.\n\n'
        '"We lost two moorings in the night," Ek said.\n'
    )
    b = (
        "Crossings to the islands were cancelled.\n\n"
        '"Nobody knows when the storm has passed," Jonas Ek said.\n\n'
        '"We lost two moorings in the night," he added.\n'
    )
    _, comp = _compare(a, b)
    storm = _with(comp, "the storm has passed")
    # the two lines share four words, more than half of the shorter one: still two utterances
    assert len(storm) == 2 and all(q.status == "single" for q in storm)
    moorings = _with(comp, "moorings")
    assert len(moorings) == 1 and moorings[0].status == "identical"
    assert moorings[0].utterance not in {q.utterance for q in storm}


def test_two_lines_of_one_recording_sharing_a_phrase_are_not_one_utterance() -> None:
    line1 = Fragment(0, 0, 24, "and then it was the boat")
    line2 = Fragment(1, 0, 60, "Sailors from the northern pier say that then it was the boat")
    # one content word ("boat") in common is not enough, however long the run of small words
    assert overlap(line1, line2) == 0.0
    assert group_quotes([line1, line2])[0][0] == "single"


def test_a_near_synonym_rendering_is_the_same_utterance_reworded() -> None:
    a = 'The mayor called the fire "an inexplicable tragedy for the whole valley," and ordered an inquiry.\n'
    b = 'Mayor Ruth Aalto said the blaze was "an unexplainable tragedy for the whole valley."\n'
    _, comp = _compare(a, b)
    groups = _with(comp, "tragedy")
    assert len(groups) == 1
    q = groups[0]
    assert q.status == "reworded" and len({e.article_id for e in q.evidence}) == 2
    assert [(d.a, d.b) for d in q.diff if d.op != "equal"] == [("inexplicable", "unexplainable")]
    # and in plain units, without the rest of the comparison
    units = sentence_units(
        [Fragment(0, 0, 23, "an inexplicable tragedy"), Fragment(1, 0, 24, "an unexplainable tragedy")]
    )
    ((status, members, _),) = group_quotes(units)
    assert status == "reworded" and len(members) == 2


def test_unrelated_words_alike_in_letters_do_not_make_a_rendering() -> None:
    a = Fragment(0, 0, 30, "a strategy for the whole valley")
    b = Fragment(1, 0, 29, "a tragedy for the whole valley")
    c = Fragment(2, 0, 29, "a tragedy for the whole river")
    assert overlap(a, b) == overlap(b, a)  # the near-synonym test is symmetric
    ((_, members, _), *rest) = group_quotes([b, c])
    assert len(members) == 2 and not rest  # "for the whole" and "a tragedy": one swapped word
    assert group_quotes([a, c])[0][0] == "single"  # "strategy" / "tragedy" are not one word rendered


def test_the_speaker_is_the_named_person_over_an_organisation() -> None:
    a = 'Work on the pier begins next week. "Repairs start on Monday and take a month," the Port Authority said.\n'
    b = (
        "The pier has been closed since March.\n\n"
        '"Repairs start on Monday and take a month," said Tomas Berg, who directs the Port Authority.\n'
    )
    _, comp = _compare(a, b)
    (q,) = _with(comp, "Repairs start on Monday")
    assert q.status == "identical"
    assert q.speaker == "Tomas Berg"
    # an organisation only when no person is named
    _, comp = _compare(a, a.replace("Work on the pier", "Work on the old pier"))
    (q,) = _with(comp, "Repairs start on Monday")
    assert q.speaker is not None and "Port Authority" in q.speaker


def test_a_place_or_group_speaker_is_not_taken_for_a_surname() -> None:
    """ "Freedonia warned ..." must not become "In Freedonia" because one text says "In Freedonia, ..."."""
    from newsweave.compare.core import _full_name

    texts = ["In Freedonia, the mood was grim. Freedonia warned the rebels.", "Ada Brenn spoke. Brenn left."]
    assert _full_name("Freedonia", texts, {"freedonia": "GPE"}) == "Freedonia"
    assert _full_name("Freedonia", texts) == "Freedonia"  # no label known: "In" is no first name either
    assert _full_name("Brenn", texts, {"brenn": "PERSON"}) == "Ada Brenn"
    assert _full_name("Councillor Brenn", ["Councillor Ada Brenn spoke."]) == "Ada Brenn"
