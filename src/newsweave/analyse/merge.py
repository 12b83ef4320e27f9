"""Cross-article alias merging.

Persons merge on the transliteration-folded surname plus a compatible first name (equal after folding, or
one an initial of the other); middle names are ignored. A surname-only person joins the one full name with
that surname, and stays apart when two people with different first names share it: two different people who
share a surname but not a first name never merge. Other entities merge on their folded, transliterated name
(Kyiv/Kiev) within a label class (places: GPE/LOC/FAC).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from newsweave.analyse.entities import entity_key
from newsweave.analyse.names import name_key
from newsweave.model import Analysis, Entity


def _first_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) == 1 and long_.startswith(short)


def _person_groups(entities: list[Entity]) -> dict[str, list[Entity]]:
    by_surname: dict[str, list[Entity]] = defaultdict(list)
    for e in entities:
        surname, _, _first = e.key.partition(":")[2].partition("|")
        by_surname[surname].append(e)
    groups: dict[str, list[Entity]] = {}
    for surname, members in by_surname.items():
        firsts: list[str] = []
        for e in members:
            first = e.key.partition("|")[2]
            if first and not any(_first_compatible(first, f) for f in firsts):
                firsts.append(first)
        # initials join the full first name they abbreviate
        full = [f for f in firsts if len(f) > 1] or firsts
        for e in members:
            first = e.key.partition("|")[2]
            if first:
                match = next((f for f in full if _first_compatible(first, f)), first)
                key = f"person:{surname}|{match}"
            elif len(full) == 1:
                key = f"person:{surname}|{full[0]}"
            else:
                key = f"person:{surname}|"
            groups.setdefault(key, []).append(e)
    return groups


def _reconcile_labels(groups: dict[str, list[Entity]]) -> dict[str, list[Entity]]:
    """One-word names the model typed differently in different articles: a surname-only "person" joins a
    larger place/organisation group of the same name (Kyiv), and a one-word organisation or group joins the
    one full-named person with that surname when the person is seen at least as often (Klitschko)."""
    by_word: dict[str, list[str]] = defaultdict(list)
    for key in groups:
        cls, _, rest = key.partition(":")
        if cls == "person":
            surname, _, first = rest.partition("|")
            by_word[surname].append(key)
        elif " " not in rest:
            by_word[rest].append(key)
    for word, keys in by_word.items():
        people = [k for k in keys if k.startswith("person:") and not k.endswith("|")]
        bare = [k for k in keys if k == f"person:{word}|"]
        things = [k for k in keys if not k.startswith("person:")]
        for k in bare:
            target = max(things, key=lambda t: len(groups[t]), default=None)
            if target and len(groups[target]) >= len(groups[k]):
                groups[target] += groups.pop(k)
        if len(people) == 1:
            for k in things:
                if k in groups and len(groups[people[0]]) >= len(groups[k]):
                    groups[people[0]] += groups.pop(k)
    return groups


def merge_entities_across(analyses: Iterable[Analysis]) -> dict[str, Entity]:
    """Canonical key -> merged Entity (canonical name, voted label, every alias seen)."""
    persons: list[Entity] = []
    others: dict[str, list[Entity]] = defaultdict(list)
    for analysis in analyses:
        for e in analysis.entities:
            key = e.key or entity_key(e.canonical, e.label)
            e = Entity(e.canonical, e.label, e.aliases, key)
            if key.startswith("person:"):
                persons.append(e)
            else:
                others[key].append(e)
    groups = _reconcile_labels({**_person_groups(persons), **others})
    merged: dict[str, Entity] = {}
    for key, members in groups.items():
        names = Counter(e.canonical for e in members)
        canonical = max(names, key=lambda n: (names[n], len(n.split()), len(n)))
        label = Counter(e.label for e in members).most_common(1)[0][0]
        aliases = {a for e in members for a in e.aliases} | {e.canonical for e in members}
        merged[key] = Entity(canonical, label, (canonical, *sorted(aliases - {canonical})), key)
    return merged


def lookup_entity(merged: dict[str, Entity], name: str) -> str | None:
    """The merged key whose aliases include ``name`` (compared folded and transliterated)."""
    wanted = name_key(name)
    for key, entity in merged.items():
        if any(name_key(a) == wanted for a in entity.aliases):
            return key
    return None
