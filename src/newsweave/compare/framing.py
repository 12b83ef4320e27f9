"""Framing: what each source leads with, its loaded wording, where it attributes claims; a timeline.

Loaded wording is a pointer for the reader (one outlet calling a storm "devastating" where the others
describe it), not a bias score. The words come from a published, general lexicon, not from the stories
newsweave was developed on: VADER's (Hutto & Gilbert, ICWSM 2014; the ``vader_lexicon.txt`` shipped in the
``vaderSentiment`` package, MIT licence), about 7,500 words each rated by ten people from -4 (most negative)
to +4 (most positive). It was chosen over NRC (research-only licence, emotion associations rather than
strength) and AFINN (integer scores from one author) because its ratings are the mean of several raters and
its licence allows shipping. The rules, each one a reason an editor gives:

1. strength: a word counts when its mean rating is at least ``STRONG_VALENCE`` (2.0, half-way to the scale's
   end) in either direction: "devastating" (-3.3), "horrific" (-3.4), "best" (+3.2); not "severe" (-1.6);
2. modifiers only: the word is tagged as an adjective or adverb (spaCy's tagger on the sentence). Nouns and
   verbs with a strong rating name what happened ("killed", "war", "damage") and every outlet must write
   them; the judgement is in how they are qualified ("a brutal attack"). An adverb right before an adjective
   or adverb is a degree word ("pretty strong") and is skipped: the next word carries the judgement;
3. the outlet's words: a word inside quotation marks is the speaker's and is not counted;
4. the story's vocabulary is not one outlet's framing: in a story of two or more sources, a word (by stem)
   used outside quotes by at least two sources and by at least half of them is left out ("worst" when most
   reports call the storm the worst in decades);
5. judging reporting verbs (category ``speech``): the verbs Wikipedia's Manual of Style lists under "words
   to watch" because they imply something about what was said (claimed, insisted, admitted, conceded,
   confessed, asserted, revealed, pointed out), where a neutral report writes "said"; counted only where
   they report speech: followed by "that", "on" or the end of the clause ("claimed responsibility" and
   "claimed 20 lives" are not speech).

Categories: ``emotive`` (modifiers rated <= -2: shock and condemnation), ``evaluative`` (rated >= +2:
praise and grading), ``speech`` (rule 5).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Sequence

from newsweave.compare.quotes import SPEECH_VERBS
from newsweave.compare.result import AliasRow, Attribution, Claim, Evidence, Lead, LoadedWord, TimelineEvent
from newsweave.compare.tagging import Tagger, tag_texts
from newsweave.model import Analysis, Article, Quote
from newsweave.text import stem

STRONG_VALENCE = 2.0  # VADER's scale is -4..+4; 2.0 is half-way (see rule 1)
_MODIFIER_TAGS = ("JJ", "JJR", "JJS", "RB", "RBR", "RBS")
_WORD = re.compile(r"[A-Za-z][a-z]+(?:-[a-z]+)*")
_SPEECH = re.compile(
    r"\b(claim(?:ed|s)|insist(?:ed|s)|admit(?:ted|s)|concede[ds]|confess(?:ed|es)|assert(?:ed|s)|"
    r"reveal(?:ed|s)|point(?:ed|s) out)(?=\s+(?:that|on)\b|\s*[,.;:])",
    re.I,
)

_ATTRIB = re.compile(
    r"according to (?P<a>(?:the )?[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}|[a-z]+ (?:analysts|officials|sources|experts))"
    r"|(?P<b>[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}|[Aa]nalysts|[Oo]fficials) "
    rf"(?:{SPEECH_VERBS})\b"
)


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """VADER's words (letters and hyphens only; its emoticons and slang spellings with digits dropped) with
    their mean rating, restricted to the strong ones (rule 1)."""
    text = (
        importlib.resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    )
    out = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not re.fullmatch(r"[a-z]+(?:-[a-z]+)*", parts[0]):
            continue
        value = float(parts[1])
        if abs(value) >= STRONG_VALENCE:
            out[parts[0]] = value
    return out


def leads(articles: Sequence[Article], sources: Sequence[str], lead_chars: int) -> list[Lead]:
    out = []
    for a, src in zip(articles, sources, strict=False):
        ev = None
        if a.paragraphs:
            s, e = a.paragraphs[0]
        else:
            s = len(a.text) - len(a.text.lstrip())
            e = a.text.find("\n", s)
            e = len(a.text) if e < 0 else e
        if e > s:
            e = min(e, s + lead_chars)
            ev = Evidence(a.id, src, s, e, a.text[s:e])
        out.append(Lead(a.id, src, a.title, ev))
    return out


def loaded_words(
    articles: Sequence[Article], sources: Sequence[str], per_source: int, tagger: Tagger | None = None
) -> list[LoadedWord]:
    """Per article, up to ``per_source`` loaded words (first occurrence each) with their sentence.
    ``tagger``: texts -> their tokens' tags (default :func:`tag_texts`; the comparison passes one that
    reads stored tags first)."""
    found = [_candidates(a.text, tagger or tag_texts) for a in articles]
    shared = _story_vocabulary([{stem(w) for w, cat, _, _ in f if cat != "speech"} for f in found])
    out = []
    for a, src, cands in zip(articles, sources, found, strict=False):
        seen: set[str] = set()
        for w, cat, (s, e), counts in cands:
            if not counts or w in seen or (cat != "speech" and stem(w) in shared):
                continue
            seen.add(w)
            out.append(LoadedWord(a.id, src, w, cat, Evidence(a.id, src, s, e, a.text[s:e])))
            if len(seen) >= per_source:
                break
    return out


def _candidates(text: str, tagger: Tagger = tag_texts) -> list[tuple[str, str, tuple[int, int], bool]]:
    """(word, category, sentence span, counts) for each lexicon word or judging reporting verb outside
    quotes in ``text``, in reading order (rules 1, 3, 5); ``counts`` is false where the tagger rules it out
    (rule 2: not a modifier; rule 5: not a verb). All of them make the story's vocabulary (rule 4)."""
    lex = lexicon()
    hits: list[tuple[int, str, str]] = []  # (offset, word, category)
    for m in _WORD.finditer(text):
        w = m.group().lower()
        if w in lex and not _inside_quote(text, m.start()):
            hits.append((m.start(), w, "emotive" if lex[w] < 0 else "evaluative"))
    for m in _SPEECH.finditer(text):
        if not _inside_quote(text, m.start()):
            hits.append((m.start(), m.group(1).lower(), "speech"))
    hits.sort()
    spans = [_sentence_around(text, pos, pos + len(w)) for pos, w, _ in hits]
    wanted = sorted(set(spans))
    tags: dict[tuple[int, int], dict[int, tuple[str, str]]] = {}
    for (s, e), toks in zip(wanted, tagger([text[s:e] for s, e in wanted]) if wanted else [], strict=True):
        tags[(s, e)] = {
            s + i: (tag, toks[k + 1][1] if k + 1 < len(toks) else "") for k, (i, tag) in enumerate(toks)
        }
    out = []
    for (pos, w, cat), span in zip(hits, spans, strict=True):
        tag, next_tag = tags[span].get(pos, ("", ""))
        if cat == "speech":
            counts = tag.startswith("VB")  # not "claims" as a noun
        else:
            counts = tag in _MODIFIER_TAGS and not (tag.startswith("RB") and next_tag in _MODIFIER_TAGS)
        out.append((w, cat, span, counts))
    return out


def _story_vocabulary(stems_per_article: list[set[str]]) -> set[str]:
    """Stems used by at least two articles and at least half of them (rule 4); none for a lone article."""
    n = len(stems_per_article)
    if n < 2:
        return set()
    counts: dict[str, int] = {}
    for stems in stems_per_article:
        for x in stems:
            counts[x] = counts.get(x, 0) + 1
    return {x for x, c in counts.items() if c >= 2 and 2 * c >= n}


_OPENING = "\u201c\u00ab\u201e"
_CLOSING = "\u201d\u00bb"
QUOTE_REACH = 1000  # characters: a quotation mark further back than this does not open the current quote


def _inside_quote(text: str, pos: int) -> bool:
    """Inside a direct quote: the nearest double quotation mark before ``pos`` on the same line (within
    ``QUOTE_REACH``) opens one. A straight mark opens when it follows a space, a bracket, a dash or a colon,
    or starts the line; deciding by the nearest mark rather than by counting keeps one stray or unclosed
    mark (a quote running on over paragraphs) from inverting the rest of a long line."""
    start = max(text.rfind("\n", 0, pos) + 1, pos - QUOTE_REACH)
    i = max(text.rfind(c, start, pos) for c in ('"', *_OPENING, *_CLOSING))
    if i < 0:
        return False
    c = text[i]
    if c != '"':
        return c in _OPENING
    return i == start or text[i - 1].isspace() or text[i - 1] in "([{\u2014\u2013-:"


def _sentence_around(text: str, s: int, e: int, limit: int = 300) -> tuple[int, int]:
    a = max(text.rfind(". ", 0, s) + 2, text.rfind("\n", 0, s) + 1, s - limit // 2, 0)
    b_candidates = [x for x in (text.find(". ", e), text.find("\n", e)) if x >= 0]
    b = min([*b_candidates, len(text), e + limit // 2])
    if b < len(text) and text[b] == ".":
        b += 1
    return a, b


def attribution(
    claims: Sequence[Claim],
    analyses: dict[str, Analysis] | None = None,
    aliases: Sequence[AliasRow] = (),
) -> list[Attribution]:
    """For claims in two or more sources: to whom each source attributes it, where they differ.

    A sentence that holds a quote the analysis found (direct or reported) is attributed to that quote's
    speaker, the canonical name ("he lamented" after the quote is Vitali Klitschko, as "Klitschko told the
    BBC" is in another outlet); else a speech verb's or "according to"'s subject in the sentence, read by
    the analysis' canonical names where one of its entity mentions covers it; else, with no analysis to
    ask, a sentence mostly in quotation marks is "(direct quote)"; else the source states it as fact
    (None). Names are the story's alias table's (``aliases``), so "Zelensky" in one outlet and "Zelenskyy"
    in another are one speaker."""
    story_name = {(aid, form): row.canonical for row in aliases for aid, forms in row.forms for form in forms}
    out = []
    for c in claims:
        if c.status == "single":
            continue
        rows = []
        for ev in c.evidence:
            an = (analyses or {}).get(ev.article_id)
            who = _analysed_speaker(ev, an)
            if who is None:
                m = _ATTRIB.search(ev.text)
                if m:
                    raw = (m.group("a") or m.group("b") or "").strip()
                    at = ev.start + (m.start("a") if m.group("a") else m.start("b"))
                    who = _canonical_at(raw, at, an)
                elif an is None and _mostly_quoted(ev.text):
                    who = "(direct quote)"
            if who is not None:
                who = story_name.get((ev.article_id, who), who)
            rows.append(Attribution(c.id, ev.article_id, ev.source, who, ev))
        if len({r.attributed_to for r in rows}) > 1:
            out.extend(rows)
    return out


# a sentence is a quotation's when at least QUOTED_SHARE of its characters are quoted, or QUOTED_SHARE -
# CUE_SHARE with the quotation's cue or speaker in the sentence (a long attribution after a short quote). Set by
# reading the attributions of three galaxy stories (Sandy, MH17), not fitted.
QUOTED_SHARE = 0.5
CUE_SHARE = 0.25


def _analysed_speaker(ev: Evidence, an: Analysis | None) -> str | None:
    """The speaker of the analysis' quote that covers most of the sentence (at least ``QUOTED_SHARE``, less
    ``CUE_SHARE`` when its cue is in the sentence: a quoted phrase in a sentence, "a 'Frankenstorm'",
    attributes nothing), when it has a speaker; "(direct quote)" for a direct quote the analysis gives no
    speaker."""
    if an is None:
        return None
    best: Quote | None = None
    best_overlap = 0.0
    size = ev.end - ev.start
    for q in an.quotes:
        overlap: float = sum(max(0, min(ev.end, sp.end) - max(ev.start, sp.start)) for sp in q.content)
        cue = q.cue_span or q.speaker_span
        if overlap and cue is not None and ev.start <= cue.start < ev.end:
            overlap += CUE_SHARE * size  # '"It's a big storm," said forecaster Michael Brennan from ...'
        if overlap > best_overlap:
            best, best_overlap = q, overlap
    if best is None or best_overlap < QUOTED_SHARE * size:
        return None
    if best.speaker:
        return best.speaker
    return "(direct quote)" if best.direct else None


def _mostly_quoted(text: str) -> bool:
    """At least ``QUOTED_SHARE`` of ``text`` between paired quotation marks (no analysis to ask)."""
    inside = sum(len(m.group(0)) for m in _QUOTED.finditer(text))
    return inside >= QUOTED_SHARE * len(text)


_QUOTED = re.compile(r"\u201c[^\u201c\u201d]*\u201d|\"[^\"]*\"")


def _canonical_at(raw: str, at: int, an: Analysis | None) -> str:
    """The canonical entity whose mention covers the attribution's words at ``at``; ``raw`` when none."""
    if an is None:
        return raw
    for m in an.mentions:
        if m.span.start <= at < m.span.end:
            return m.canonical
    return raw


def timeline(events: Sequence[tuple[str, str, Evidence]]) -> list[TimelineEvent]:
    """Dated events (date key, label, evidence), one per date and label, sorted by date."""
    seen: set[tuple[str, str]] = set()
    out = []
    for date, label, ev in sorted(events, key=lambda x: x[0]):
        if (date, label) in seen:
            continue
        seen.add((date, label))
        out.append(TimelineEvent(date, label, ev))
    return out
