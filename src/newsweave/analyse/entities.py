"""Entities of one article: cleaned mentions, a type vote over all mentions of a name, surnames resolved to
the full name introduced earlier, titles and roles stripped; plus the cross-article alias merge.

Steps for one article:

1. NER mentions of name types; possessives and compounds cut ("Klitschko's", "Zelenskyy-led"), a leading
   "the" dropped; for person-like mentions the title is split off ("Kyiv Mayor Vitali Klitschko" ->
   "Vitali Klitschko", title "Kyiv Mayor") and remembered for role-noun resolution ("the mayor").
2. A single-word mention equal to the last word of a multi-word name resolves to that name; other names
   resolve by their folded key.
3. Unlabelled further occurrences of a resolved name (the model missed them, or they sit inside a compound)
   become mentions too.
4. The type of every group is a vote over its mentions; a multi-word PERSON mention weighs 3 (the small
   model flips single surnames between PERSON, ORG and NORP far more than full names).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsweave.analyse.cues import ROLE_NOUNS
from newsweave.analyse.names import (
    KNOWN_PLACES,
    fold,
    name_key,
    person_parts,
    split_title,
    strip_possessive,
    surname_surface,
)
from newsweave.model import Article, Entity, EntityMention, Span

if TYPE_CHECKING:  # spaCy (and torch, through thinc) is imported by those who parse, not by merge's readers
    from spacy.tokens import Doc

NAME_LABELS = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
)
_LABEL_ORDER = {label: i for i, label in enumerate(NAME_LABELS)}
_SINGLE_ORDER = {
    label: i for i, label in enumerate(("GPE", "LOC", "ORG", "PERSON", "NORP", *NAME_LABELS[5:]))
}
_PLACE_BEFORE_ROLE = re.compile(
    r"(?:['’]s)?\s+(?:mayor|governor|city|council|police|authorities|officials|residents|region|regional)\b",
    re.IGNORECASE,
)
FULL_PERSON_WEIGHT = 3
_ENTITY_STOP = {"the", "a", "an"}


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    label: str
    title: str = ""
    canonical: str = ""
    from_ner: bool = True


@dataclass
class PersonIndex:
    """What speaker linking needs: person mentions in text order and the titles seen for each person."""

    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    titles: dict[str, set[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # canonical -> voted label, all entities

    def label_at(self, start: int, end: int, by_span: dict[tuple[int, int], str]) -> str | None:
        return by_span.get((start, end))


def _line_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span cut at line breaks, each part without the white space around it."""
    if "\n" not in text[start:end]:
        return [(start, end)]
    out = []
    for piece in re.finditer(r"[^\n]+", text[start:end]):
        a, b = start + piece.start(), start + piece.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def _clean(text: str, start: int, end: int, label: str) -> _Mention | None:
    """Cut possessives, compounds and a leading article; split a person's title off."""
    raw = text[start:end]
    cut = strip_possessive(raw)
    if cut and raw.startswith(cut):
        end = start + len(cut)
    surface = text[start:end]
    first = surface.split(" ", 1)[0]
    if first.lower() in _ENTITY_STOP and " " in surface:
        start += len(first) + 1
        surface = text[start:end]
    title = ""
    if label in ("PERSON", "ORG", "NORP", "GPE") and " " in surface:
        words = surface.split(" ")
        head, rest = split_title(words)
        if head and (label == "PERSON" or len(rest) >= 2):
            title = " ".join(head)
            start += len(title) + 1
            surface = text[start:end]
            label = "PERSON" if label != "PERSON" and len(rest) >= 2 else label
    if not _is_name(surface) or (" " not in surface and _OFFICE_OF.search(text, max(0, start - 40), start)):
        return None
    return _Mention(start, end, surface, label, title)


# the portfolio in an office's name is no entity of its own: "Secretary of [State] Mike Pompeo", "Head of
# [State]", "Minister of [Defence]" (one word after "<office> of"; "Mayor of London" keeps London)
_OFFICE_OF = re.compile(
    r"\b(?:Secretary|Minister|Ministry|Department|Head|Heads|Chief|Office)\s+of\s+(?:the\s+)?$"
)


def _is_name(surface: str) -> bool:
    """A name has a word that starts with a letter and holds a capital ("Klitschko", "iPhone", "NATO");
    a clitic the model tagged ("’m" from "I’m", "'s") or a lower-case word is none. A handle ("@Spacedotcom")
    counts by what follows its "@"."""
    return any(w[:1].isalpha() and not w.islower() for w in surface.lstrip("@#").split())


def _surname_map(mentions: list[_Mention]) -> dict[str, str]:
    """Folded last word -> the first multi-word PERSON name with that last word (ambiguous ones dropped)."""
    by_last: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        first, surname = person_parts(m.text)
        if m.label == "PERSON" and first:
            if m.text not in by_last[surname]:
                by_last[surname].append(m.text)
    out = {}
    for key, names in by_last.items():
        firsts = {person_parts(n)[0] for n in names}
        if len(firsts) == 1:
            out[key] = max(names, key=len)  # middle names: keep the longest form
    return out


def _titled_surnames(mentions: list[_Mention], text: str) -> dict[tuple[str, str], str]:
    """(folded last word, title word) -> the one multi-word PERSON name with both ("Councillor Petra Hollis",
    "opposition councillor Petra Hollis"); pairs that fit several names are left out."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in mentions:
        first, surname = person_parts(m.text)
        if m.label == "PERSON" and first:
            for t in ({m.title.split()[-1].lower()} if m.title else set()) | _roles_before(text, m.start):
                found[(surname, t)].add(m.text)
    return {k: max(v, key=len) for k, v in found.items() if len({person_parts(n)[0] for n in v}) == 1}


def searched_forms(forms: dict[str, str]) -> dict[str, str]:
    """The forms searched for further mentions (three letters or more, capitalised; also in capitals),
    each with its group."""
    wanted: dict[str, str] = {}
    for form, key in forms.items():
        if len(form) < 3 or not form[:1].isupper():
            continue
        for variant in {form, form.upper()}:
            wanted.setdefault(variant, key)
    return wanted


def _extra_mentions(
    text: str, forms: dict[str, str], taken: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """Further occurrences of known name forms (also in capitals, inside compounds and before possessives)
    that are not mentions yet: (start, end, group key). ``forms`` maps a surface form to its group."""
    wanted = searched_forms(forms)
    if not wanted:
        return []
    occupied = bytearray(len(text))
    for a, b in taken:
        occupied[a:b] = b"\x01" * (b - a)
    # every whole-word occurrence of every form, then left to right the longest at each position, none
    # overlapping. A form can only start where a word starts (not after a letter, digit or hyphen) and
    # its leading word is the text's word there, so the forms are looked up by that word: one pass over
    # the text, however many forms (a regex alternation of the forms, compiled anew for each article, cost
    # ~3 ms; one str.find pass per form grows with forms x text on a hostile input)
    by_word: dict[str, list[str]] = {}
    for form in wanted:
        lead = _LEAD_WORD.match(form)
        if lead is not None:
            by_word.setdefault(lead.group(), []).append(form)
    found: list[tuple[int, int]] = []
    n = len(text)
    for m in _WORD_START.finditer(text):
        s = m.start()
        for form in by_word.get(m.group(), ()):
            e = s + len(form)
            if text.startswith(form, s) and (e == n or not _word_char(text[e])):
                found.append((s, -e))
    found.sort()
    out = []
    last = 0
    for s, neg_e in found:
        e = -neg_e
        if s < last:
            continue
        last = e
        if occupied.find(1, s, e) == -1:
            out.append((s, e, wanted[text[s:e]]))
    return out


_LEAD_WORD = re.compile(r"\w+")
_WORD_START = re.compile(r"(?<![\w-])\w+")


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_ROLE_WINDOW = re.compile(r"([^.;:!?\"“”\n]{0,80})$")


def _roles_before(text: str, start: int) -> set[str]:
    """Role nouns right before a name, as in "harbour mayor and former rowing coach Ada Brenn" or
    "Calder's Mayor, Ada Brenn"."""
    m = _ROLE_WINDOW.search(text, max(0, start - 80), start)
    words = re.findall(r"[A-Za-z]+", m.group(1) if m else "")[-6:]
    return {w.lower() for w in words if w.lower() in ROLE_NOUNS}


def _vote(labels: list[tuple[str, int]], multiword: bool) -> str:
    """Weighted majority; ties go to PERSON for multi-word names, to places and organisations otherwise."""
    votes: Counter[str] = Counter()
    for label, weight in labels:
        votes[label] += weight
    order = _LABEL_ORDER if multiword else _SINGLE_ORDER
    return min(votes, key=lambda lab: (-votes[lab], order.get(lab, 99)))


def analyse_entities(article: Article, doc: Doc) -> tuple[list[EntityMention], list[Entity], PersonIndex]:
    """Mentions (voted label, canonical name), entities and the person index of one article."""
    text = article.text
    mentions: list[_Mention] = []
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS:
            continue
        # a name never runs over a line break: the model joins a byline's agency to the dateline after it
        # ("Associated Press\n\nGAZA"); each line's part is cleaned on its own
        for a, b in _line_parts(text, ent.start_char, ent.end_char):
            m = _clean(text, a, b, ent.label_)
            if m is not None:
                mentions.append(m)
    for m in mentions:
        if m.label == "PERSON" and " " not in m.text and _PLACE_BEFORE_ROLE.match(text, m.end):
            m.label = "GPE"  # "Kyiv mayor", "Kyiv's mayor": a place naming an office
    surnames = _surname_map(mentions)
    titled = _titled_surnames(mentions, text)
    for m in mentions:
        words = m.text.split()
        m.canonical = surnames.get(person_parts(m.text)[1], m.text) if len(words) == 1 else m.text
        if len(words) == 1 and m.canonical == m.text and m.title:
            # "Councillor Hollis" where two Hollises are named: the one who carries that title
            m.canonical = titled.get((person_parts(m.text)[1], m.title.split()[-1].lower()), m.text)
        if len(words) >= 2 and m.label == "PERSON":
            m.canonical = surnames.get(person_parts(m.text)[1], m.text)
        if len(words) == 1 and m.canonical != m.text:
            m.label = "PERSON"  # a lone surname of a person named in full: the model's label flips
    # group by folded canonical so that spelling variants inside one article meet
    groups: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        groups[name_key(m.canonical)].append(m)
    # unlabelled occurrences of the names and surnames of each group
    taken = [(m.start, m.end) for m in mentions]
    forms: dict[str, str] = {}
    ambiguous: set[str] = set()
    for key, ms in groups.items():
        names = {m.text for m in ms}
        canonical = ms[0].canonical
        if len(canonical.split()) >= 2 and any(x.label == "PERSON" for x in ms):
            names.add(surname_surface(canonical))
        for name in names:
            if forms.setdefault(name, key) != key:
                ambiguous.add(name)
    for name in ambiguous:
        del forms[name]
    for s, e, key in _extra_mentions(text, forms, taken):
        ms = groups[key]
        groups[key].append(_Mention(s, e, text[s:e], "", "", ms[0].canonical, from_ner=False))
    out_mentions: list[EntityMention] = []
    entities: list[Entity] = []
    persons = PersonIndex()
    for ms in groups.values():
        weighted = [
            (m.label, FULL_PERSON_WEIGHT if m.label == "PERSON" and len(m.text.split()) >= 2 else 1)
            for m in ms
            if m.from_ner
        ]
        canonical = max((m.canonical for m in ms), key=lambda c: (len(c.split()), len(c)))
        label = _vote(weighted, " " in canonical) if weighted else ms[0].label or "ORG"
        if fold(canonical) in KNOWN_PLACES:
            label = "GPE"  # the transliteration table lists places: "Kiev" is never a person
        aliases = [canonical] + sorted({m.text for m in ms} - {canonical})
        entities.append(Entity(canonical, label, tuple(aliases), key=entity_key(canonical, label)))
        persons.labels[canonical] = label
        for m in ms:
            out_mentions.append(EntityMention(Span(article.id, m.start, m.end), m.text, label, canonical))
            if label == "PERSON":
                persons.mentions.append((m.start, m.end, canonical))
                titles = persons.titles.setdefault(canonical, set())
                titles.update(w.lower().rstrip(".") for w in m.title.split())
                titles.update(_roles_before(text, m.start))
    out_mentions.sort(key=lambda m: m.span.start)
    persons.mentions.sort()
    entities.sort(key=lambda e: e.canonical)
    return out_mentions, entities, persons


def entity_key(canonical: str, label: str) -> str:
    """Merge key inside one label class: folded, transliteration-normalised; persons by surname+first name."""
    cls = {"GPE": "place", "LOC": "place", "FAC": "place", "PERSON": "person"}.get(label, label.lower())
    if cls == "person":
        first, surname = person_parts(canonical)
        return f"person:{surname}|{first}"
    return f"{cls}:{name_key(canonical)}"
