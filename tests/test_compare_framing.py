"""Loaded wording (newsweave.compare.framing): VADER's published lexicon plus the module's rules, shown on
invented sentences, on the demo corpus (examples/corpus) and on one galaxy-wikinews-events story read from
../shared/data at run time."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest

from conftest import DATA, REPO
from newsweave.compare import framing as fr
from newsweave.compare.result import AliasRow, Claim, Evidence
from newsweave.eval.cluster import load_labelled
from newsweave.ingest import read_inputs
from newsweave.model import Analysis, Article, EntityMention, Quote, Span


def _words(arts: list[Article]) -> dict[str, dict[str, str]]:
    """article id -> {word: category}, checking that every evidence span is the sentence holding the word."""
    by_id = {a.id: a for a in arts}
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for w in fr.loaded_words(arts, [a.id for a in arts], 12):
        text = by_id[w.article_id].text
        ev = w.evidence
        assert text[ev.start : ev.end] == ev.text
        assert re.search(rf"\b{re.escape(w.word)}\b", ev.text, re.I), (w.word, ev.text)
        out[w.article_id][w.word] = w.category
    return out


def test_lexicon_is_vaders_strong_words() -> None:
    lex = fr.lexicon()
    assert 1500 < len(lex) < 3000  # VADER's ~7,500 entries, words only, |rating| >= 2.0
    assert lex["horrific"] < -fr.STRONG_VALENCE and lex["best"] > fr.STRONG_VALENCE
    assert "severe" not in lex  # rated -1.6: under the strength rule


def test_rules_on_invented_sentences() -> None:
    text = (
        "The horrific crash killed four people on the coast road.\n"
        "A witness said: \u201cIt was a cruel and senseless waste.\u201d\n"
        "The minister insisted that the road was safe, and the war of words went on.\n"
        "The group claimed responsibility for the attack.\n"
        "Officials gave a pretty strong warning on Monday.\n"
    )
    words = _words([Article(id="a", text=text)])["a"]
    assert words.get("horrific") == "emotive"  # a strong modifier in the outlet's own voice
    assert (
        "killed" not in words and "war" not in words and "attack" not in words
    )  # what happened: nouns, verbs
    assert "cruel" not in words  # the witness's word, inside quotation marks
    assert words.get("insisted") == "speech"  # reporting verb followed by "that"
    assert "claimed" not in words  # "claimed responsibility" reports no speech
    assert "pretty" not in words and words.get("strong") == "evaluative"  # a degree adverb is skipped


def test_a_word_every_source_uses_is_the_storys_vocabulary() -> None:
    one = Article(id="a", text="Rescuers reached the devastating flood zone on Monday.")
    two = Article(id="b", text="The devastating flood closed the valley road.")
    three = Article(id="c", text="The flood closed the valley road; a tragic loss, the grim toll rising.")
    assert "devastating" in _words([one])["a"]  # alone, the outlet's word
    words = _words([one, two, three])
    assert all("devastating" not in words[k] for k in "abc")  # two of three sources: the story's word
    assert {"tragic", "grim"} <= set(words["c"])  # one source's wording stays


def test_demo_corpus_plain_wire_copy_is_hardly_flagged() -> None:
    """The demo corpus is written as plain reports: a handful of flags at most, none on what happened."""
    arts = [a for a in read_inputs([str(REPO / "examples" / "corpus")]) if isinstance(a, Article)]
    assert len(arts) == 20
    words = _words(arts)
    flagged = [w for ws in words.values() for w in ws]
    assert len(flagged) <= 4, words  # measured: 2 ("violent" jolt, "fake" emails)
    corpus = " ".join(a.text for a in arts).lower()
    for event_word in ("injured", "collision", "stolen", "ban"):  # strong in VADER, but they name the event
        assert re.search(rf"\b{event_word}\b", corpus) and event_word not in flagged


@pytest.fixture(scope="module")
def odessa() -> list[Article]:
    """handpicked-011 (fighting in eastern Ukraine, May 2014): five reports, two outlets."""
    story = [
        la.article for la in load_labelled(DATA / "galaxy-wikinews-events") if la.gold == "handpicked-011"
    ]
    assert len(story) == 5
    return story


def test_galaxy_story_flags_the_outlets_judgements_not_the_speakers(odessa: list[Article]) -> None:
    words = _words(odessa)
    first, third, fourth = odessa[0].id, odessa[2].id, odessa[3].id
    # the first report's own voice: an editor would ask for "horrific" and "nastier" to be attributed
    assert {"horrific", "nastier", "violent"} <= set(words[first]), words[first]
    assert words[first]["horrific"] == "emotive"
    # words the reports quote (an official's "criminal", a soldier's "illegal") are the speakers'
    for art, quoted in ((third, "criminal"), (fourth, "illegal"), (fourth, "punitive")):
        text = next(a.text for a in odessa if a.id == art)
        assert re.search(rf"\b{quoted}\b", text) and quoted not in words[art]
    # what happened is not framing: deaths, fire, fighting appear in every report, never flagged
    flagged = {w for ws in words.values() for w in ws}
    assert not flagged & {"killed", "died", "deaths", "violence", "fire", "war", "attack"}
    assert len(flagged) <= 20


def test_examples_readme_lists_no_loaded_word_spec() -> None:
    """The demo corpus' planted differences (examples/README.md) are not loaded words: the test above
    does not rely on anything planted for framing."""
    spec = json.loads(
        re.search(r"```json\n(.*?)```", (REPO / "examples" / "README.md").read_text(), re.S).group(1)
    )
    assert not [p for p in spec["planted"] if "loaded" in p["kind"] or "framing" in p["kind"]]


def _claim(*sentences: tuple[str, str, int]) -> Claim:

    evs = tuple(Evidence(aid, aid.upper(), start, start + len(text), text) for aid, text, start in sentences)
    return Claim("c1", "shared", evs[0].text, evs)


def test_attribution_reads_the_analysis_speaker_not_the_sentence_words() -> None:
    # article a: the quote's speaker is named after it ("he added" in the next sentence of the paragraph);
    # article b: "Quill told reporters". Both say Mara Quill, so there is no attribution difference.
    qa = '"The harbour wall will be rebuilt before the winter storms," the director said.'
    qb = "The harbour wall will be rebuilt before the winter storms, Quill told reporters on Friday."
    quote_a = Quote(
        content=(Span("a", 1, 58),), direct=True, speaker="Mara Quill", cue_span=Span("a", 74, 78)
    )
    an_a = Analysis("a", quotes=(quote_a,))
    an_b = Analysis("b", mentions=(EntityMention(Span("b", 59, 64), "Quill", "PERSON", "Mara Quill"),))
    aliases = [AliasRow("Mara Quill", "PERSON", (("a", ("Mara Quill",)), ("b", ("Quill", "Mara Quill"))))]
    claim = _claim(("a", qa, 0), ("b", qb, 0))
    assert fr.attribution([claim], {"a": an_a, "b": an_b}, aliases) == []
    # without the analysis the words differ: "(direct quote)" against "Quill"
    rows = fr.attribution([claim])
    assert {r.attributed_to for r in rows} == {"(direct quote)", "Quill"}


def test_a_quoted_phrase_attributes_nothing() -> None:
    sa = 'Forecasters fear the storm could become a "superstorm" as it meets a cold front over the weekend.'
    sb = "The storm could strengthen as it meets a cold front over the weekend, Kemal Idris said."
    phrase = Quote(content=(Span("a", 43, 53),), direct=True, speaker="Somebody Else")
    rows = fr.attribution([_claim(("a", sa, 0), ("b", sb, 0))], {"a": Analysis("a", quotes=(phrase,))})
    assert [(r.article_id, r.attributed_to) for r in rows] == [("a", None), ("b", "Kemal Idris")]
    # nor, with no analysis, does a sentence with a few quoted words count as a direct quote
    rows = fr.attribution([_claim(("a", sa, 0), ("b", sb, 0))])
    assert rows[0].attributed_to is None
