"""Link each quote's source phrase to an entity.

- A name: the entity mention on the head word of the source phrase.
- "who", "which", "that": the mention on the head word of the antecedent of the relative clause (not a name
  inside its phrase: "a guide in Cairo who ..." is no Cairo); a plural common noun there is the speaker as
  written ("meteorologists who fear ...", "his bandmates, who say ..."): a group, not the last person named.
  A singular "who" antecedent is the person it stands beside ("Ada Brun, a guide, who ..."), the main
  clause's named subject after it ("As a governor who ..., Brenn said"), else the phrase ("the attendant,
  who ..."); a thing before "which"/"that" speaks only when it is a source (``cues.SOURCE_NOUNS``: "the
  report, which found ..."); otherwise ("a visit which aims to ...") there is no speaker.
- he/she: the speaker of the nearest earlier attribution within the two sentences before, else the most
  recent person mentioned outside quoted text.
- A role noun ("the mayor", "the Kyiv mayor"): the most recent person who carried that title ("Kyiv Mayor
  Vitali Klitschko"); else the phrase itself.
- Anything else ("sources", "the ad"): the phrase as written.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from newsweave.analyse.cues import PERSON_PRONOUNS, ROLE_NOUNS, SOURCE_NOUNS
from newsweave.analyse.entities import PersonIndex
from newsweave.analyse.names import split_title
from newsweave.analyse.quotes import RawQuote, is_direct
from newsweave.model import Article, EntityMention, Quote, Span

# a name right after a preposition (and an article) is not the clause's subject: "the downing of a Malaysia
# Airlines jet, the Russian Defense Ministry said" -> the ministry
_IN_PHRASE = re.compile(
    r"\b(?:of|in|on|at|to|from|for|with|by|near|over|into|against|about|after|before)\s+(?:(?:a|an|the)\s+)?$",
    re.IGNORECASE,
)
# a plural common noun ending a phrase ("meteorologists", "some residents"): a group as speaker. On the 369
# galaxy articles it changes 19 of 5,393 quote speakers, read by hand: a person named earlier had been taken
# for the group in all of them; PolNeAR unchanged (docs/quality.md)
_PLURAL_NOUN = re.compile(r"(?<![A-Z])\b[a-z]{3,}[^siu'\W]s$")
# a name right after a place word is a place, whatever the model's label: "a resident of the coastal city of
# Iter Boreale told ...", "the Islamic Movement in the Galilee", "at the Dunfermline branch" (not a bare "at":
# "aimed at Obama")
_AT_PLACE = re.compile(
    r"\b(?:(?:city|town|village|county|province|state|region|district|suburb|island|capital|port|area|"
    r"neighbourhood|neighborhood|resident|residents|native|natives)\s+of(?:\s+the)?|(?:in|near)(?:\s+the)?|at\s+the)\s+$",
    re.IGNORECASE,
)
# plural nouns for what a person said or wrote: "comments of Brun" are still Brun's
_SAID_THINGS = {"comments", "remarks", "statements", "words", "tweets", "posts", "letters", "emails", "notes"}
_APPOSITION_CHARS = 60  # a name in apposition between the source phrase and its cue, at most this far
_PREPOSITION = re.compile(r"\b(?:of|in|on|at|to|from|for|with|by|near|about|against|who|which|that)\b", re.I)
_LABEL_PREF = {"PERSON": 0, "ORG": 1, "GPE": 2, "NORP": 3}
RECENT_SPEAKER_SENTENCES = 2
# a wire dateline opening a paragraph: "GAZA, Gaza Strip -- ", "KIEV (Reuters) - ", "RICHMOND, Va. (AP) — ",
# "CHENGDU, Dec. 9 (Xinhua) -- ". The parser often takes its place name for the subject of the first verb
# ("GAZA, Gaza Strip -- Israel resumed ... and warned that ..." gave the speaker "GAZA"); 41 of the 369 galaxy
# articles open a paragraph with one
DATELINE = re.compile(
    r"(?m)^[ \t]*(?:\(\w+\)\s*)?[A-Z][A-Z.'\u2019 -]{2,}(?:,\s*[A-Z][\w.'\u2019 -]*){0,2}\s*"
    r"(?:\([A-Za-z ]+\)\s*)?(?:--|\u2014|\u2013|-)\s"
)


class _Covered:
    """Whether an offset lies in a union of half-open spans, by bisection over the merged spans."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if a >= b:
                continue
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def _mention_in(mentions: Sequence[EntityMention], span: tuple[int, int]) -> EntityMention | None:
    inside = [m for m in mentions if m.span.start < span[1] and span[0] < m.span.end]
    if not inside:
        return None
    return min(inside, key=lambda m: (_LABEL_PREF.get(m.label, 9), -m.span.start))


class _Mentions:
    """:func:`_mention_in` by bisection over the mentions sorted by start (same answer, ties included)."""

    def __init__(self, mentions: Sequence[EntityMention]) -> None:
        order = sorted(range(len(mentions)), key=lambda k: mentions[k].span.start)
        self.mentions = mentions
        self.order = order
        self.starts = [mentions[k].span.start for k in order]
        self.longest = max((m.span.end - m.span.start for m in mentions), default=0)

    def overlapping(self, span: tuple[int, int]) -> EntityMention | None:
        hi = bisect.bisect_left(self.starts, span[1])  # mentions starting before the span ends
        lo = bisect.bisect_left(self.starts, span[0] - self.longest)  # earlier ones end before it starts
        ks = sorted(self.order[i] for i in range(lo, hi))
        return _mention_in([self.mentions[k] for k in ks], span)


class _Linker:
    def __init__(
        self,
        mentions: Sequence[EntityMention],
        persons: PersonIndex,
        quoted: list[tuple[int, int]],
        bounds: list[tuple[int, int]],
    ) -> None:
        self.mentions = _Mentions(mentions)
        self.persons = persons
        self.quoted = _Covered(quoted)
        self.starts = [a for a, _ in bounds]
        self.person_starts = [m[0] for m in persons.mentions]
        self.text = ""  # the article's text, set by link_speakers
        self.datelines: list[tuple[int, int]] = []  # set by link_speakers
        self.datelines_at: list[int] = []
        self.speakers: list[tuple[int, str]] = []  # (cue offset, person canonical) of linked attributions
        self.subjects: list[tuple[int, str]] = []  # (offset, person canonical) of proper-noun subjects

    def add_subjects(self, spans: list[tuple[int, int]]) -> None:
        for span in spans:
            m = self.mentions.overlapping(span)
            if (
                m is not None
                and m.label == "PERSON"
                and span[0] not in self.quoted
                and not m.canonical[:1].islower()
            ):
                self.subjects.append((span[0], m.canonical))
        self.subjects.sort()

    def _recent_subject(self, pos: int) -> str | None:
        for at, canonical in reversed(self.subjects):
            if at < pos and self._distance(at, pos) <= RECENT_SPEAKER_SENTENCES:
                return canonical
        return None

    def _distance(self, earlier: int, later: int) -> int:
        """Sentences started between two offsets, not counting those inside quoted text."""
        lo = bisect.bisect_right(self.starts, earlier)
        hi = bisect.bisect_right(self.starts, later)
        return sum(1 for s in self.starts[lo:hi] if s not in self.quoted)

    def _recent_speaker(self, pos: int) -> str | None:
        for cue_at, canonical in reversed(self.speakers):
            if cue_at < pos and self._distance(cue_at, pos) <= RECENT_SPEAKER_SENTENCES:
                return canonical
        return None

    def _pronoun(self, pos: int) -> str | None:
        return self._recent_subject(pos) or self._recent_speaker(pos) or self._recent_person(pos)

    def _recent_person(self, before: int, title: str | None = None) -> str | None:
        """The last person mentioned before ``before`` outside quoted text (with ``title``, if given)."""
        persons = self.persons
        i = bisect.bisect_left(self.person_starts, before) - 1
        while i >= 0:
            s, e, canonical = persons.mentions[i]
            if (
                s not in self.quoted
                and (title is None or title in persons.titles.get(canonical, set()))
                and not self._place_at(s, e)
                and not canonical[
                    :1
                ].islower()  # "pro-Kremlin", "anti-Brun": an adjective, no one to say "he"
            ):
                return canonical
            i -= 1
        return None

    def _after_dateline(self, q: RawQuote) -> tuple[bool, str | None]:
        """(True, name) when the source phrase lies in a dateline: the first name after the dateline and
        before the cue (None when there is none); (False, None) otherwise."""
        assert q.speaker_span is not None
        pos = (q.speaker_head_span or q.speaker_span)[0]
        i = bisect.bisect_right(self.datelines_at, pos) - 1
        if i < 0 or pos >= self.datelines[i][1]:
            return False, None
        end = q.cue_span[0] if q.cue_span is not None else q.speaker_span[1]
        found = [
            m
            for m in self.mentions.mentions
            if self.datelines[i][1] <= m.span.start < end
            and m.span.start not in self.quoted
            and not _IN_PHRASE.search(self.text, max(0, m.span.start - 24), m.span.start)
        ]
        if not found:
            return True, None
        return True, min(found, key=lambda m: (m.span.start, _LABEL_PREF.get(m.label, 9))).canonical

    def _antecedent(self, q: RawQuote, relative: str) -> str | None:
        """The speaker of a relative clause ("X, who said ...", "the report, which found ...")."""
        assert q.antecedent is not None
        m = self.mentions.overlapping(q.antecedent_head or q.antecedent)
        if m is not None:
            return m.canonical  # the name the clause hangs on, not one inside its phrase ("a Cairo guide")
        phrase = self.text[q.antecedent[0] : q.antecedent[1]]
        if _PLURAL_NOUN.search(phrase):
            return phrase  # "meteorologists who fear ...": a group, no one person of the text
        if relative != "who" and relative != "whom":
            # "the report, which found ...": a source; "the river, which ...", "a visit that aims ...": no one
            noun = self.text[q.antecedent_head[0] : q.antecedent_head[1]] if q.antecedent_head else ""
            if noun[:1].isupper() or (q.antecedent_noun and noun.lower() in SOURCE_NOUNS):
                return phrase  # (a name the model did not tag: "The Clarion, which said ...")
            return None
        # "Ada Brun, a guide in Calder, who ...": the person the phrase stands beside; "at odds with Brun
        # who ...": the person named right before "who"
        named = self._apposed_person(q.antecedent[0]) or self._person_ending(
            len(self.text[: q.antecedent[1]].rstrip(" ,"))
        )
        if named:
            return named
        subject = self._person_at(q.root_subject)
        if subject and q.root_subject is not None and q.antecedent[0] < q.root_subject[0]:
            return subject  # "As a governor who had long opposed ..., Brenn said": the main clause's subject
        return phrase  # "the attendant, who said ...", "someone who said ...": as written

    def _apposed_person(self, start: int) -> str | None:
        """The person whose name ends right before ``start`` with a comma between ("Ada Brun, a guide")."""
        before = self.text[max(0, start - 3) : start]
        if not before.rstrip().endswith(","):
            return None
        return self._person_ending(start - (len(before) - len(before.rstrip())) - 1)

    def _person_ending(self, end: int) -> str | None:
        """The person whose mention (outside quoted text) ends at ``end``."""
        i = bisect.bisect_left(self.person_starts, end) - 1
        if i >= 0:
            s, e, canonical = self.persons.mentions[i]
            if e == end and s not in self.quoted:
                return canonical
        return None

    def _person_at(self, span: tuple[int, int] | None) -> str | None:
        if span is None:
            return None
        m = self.mentions.overlapping(span)
        return m.canonical if m is not None and m.label == "PERSON" else None

    def resolve(self, q: RawQuote) -> str | None:
        if q.speaker_span is None:
            return None
        head = (q.speaker_head or "").lower()
        pos = q.speaker_span[0]
        in_dateline, name = self._after_dateline(q)
        if in_dateline:
            return name
        if q.antecedent is not None:
            return self._antecedent(q, head)
        if head in PERSON_PRONOUNS:
            return self._pronoun(pos) or q.speaker_text
        m = self.mentions.overlapping(q.speaker_head_span or q.speaker_span)
        if m is not None:
            if m.label != "PERSON":
                # "President of the League, Tomas Vell, said": the person speaking for it
                return self._named_after(q, m.span.end) or m.canonical
            return m.canonical
        appos = self._person_at(q.appos)
        if appos:
            return appos
        if head in ROLE_NOUNS:
            assert q.speaker_head_span is not None
            named = self._named_after(q, q.speaker_head_span[1])
            return named or self._recent_person(pos, title=head) or q.speaker_text
        if _PLURAL_NOUN.search(head) and not head[:1].isupper() and head not in _SAID_THINGS:
            # "Assad's opponents", "aides to Mr. Brun", "Weibo users": a group, not the person named in it
            return q.speaker_text
        m = self.mentions.overlapping(q.speaker_span)
        if m is not None and m.label == "PERSON" and not self._place(m):
            return m.canonical
        return q.speaker_text

    def _named_after(self, q: RawQuote, end: int) -> str | None:
        """A person named in the source phrase after ``end`` (the head word or the organisation's name) and
        before the cue, with no preposition between ("the league's chairman and former coach Tomas Vell", "a
        masked spokesman, Abu Brun,"; not "an aide to the commander Tomas Vell")."""
        assert q.speaker_span is not None
        stop = q.speaker_span[1]
        if q.cue_span is not None and stop <= q.cue_span[0] <= stop + _APPOSITION_CHARS:
            stop = q.cue_span[0]  # up to the cue: "a masked spokesman, Abu Brun, said"
        i = bisect.bisect_left(self.person_starts, end)
        while i < len(self.person_starts) and self.person_starts[i] < stop:
            s, e, canonical = self.persons.mentions[i]
            if s not in self.quoted and not _PREPOSITION.search(self.text, end, s):
                return canonical
            i += 1
        return None

    def _place(self, m: EntityMention) -> bool:
        return self._place_at(m.span.start, m.span.end)

    def _place_at(self, start: int, end: int) -> bool:
        """A name of one or two words without a title, right after a place word ("the coastal city of Iter
        Boreale"): a place the model took for a person ("parish priest in Calder Fr Tomas Vell" is none)."""
        words = self.text[start:end].split()
        if len(words) > 2 or split_title(words)[0] or self.text.startswith(("'s", "’s"), end):
            return False  # ("in Brun's government": a person's)
        return _AT_PLACE.search(self.text, max(0, start - 40), start) is not None

    def remember(self, q: RawQuote, speaker: str | None) -> None:
        if speaker and q.cue_span and self.persons.labels.get(speaker) == "PERSON":
            self.speakers.append((q.cue_span[0], speaker))


def link_speakers(
    article: Article,
    raw: list[RawQuote],
    mentions: Sequence[EntityMention],
    persons: PersonIndex | None,
    bounds: list[tuple[int, int]] | None = None,
    subjects: list[tuple[int, int]] | None = None,
) -> list[Quote]:
    persons = persons or PersonIndex()
    quoted = [p for q in raw for p in q.parts if q.segments]
    linker = _Linker(mentions, persons, quoted, bounds or [(0, len(article.text))])
    linker.add_subjects(subjects or [])
    linker.text = article.text
    linker.datelines = [(m.start(), m.end()) for m in DATELINE.finditer(article.text)]
    linker.datelines_at = [a for a, _ in linker.datelines]
    aid = article.id
    speakers: dict[int, str | None] = {}

    def order(k: int) -> int:
        cue = raw[k].cue_span
        return cue[0] if cue is not None else raw[k].start

    for k in sorted(range(len(raw)), key=order):
        speakers[k] = linker.resolve(raw[k])
        linker.remember(raw[k], speakers[k])
    out = []
    for k, q in enumerate(raw):
        out.append(
            Quote(
                content=tuple(Span(aid, a, b) for a, b in q.parts),
                direct=bool(q.segments) or is_direct(article.text, q.parts),
                speaker=speakers[k],
                speaker_span=Span(aid, *q.speaker_span) if q.speaker_span else None,
                cue=q.cue,
                cue_span=Span(aid, *q.cue_span) if q.cue_span else None,
            )
        )
    return out
