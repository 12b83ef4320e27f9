"""The alias table: each entity's canonical name and the forms each source uses for it.

From the analysis stage when given (its cross-article merge); otherwise a fallback over capitalised word
runs, merged on the folded last word (``name_key``: "Zelensky" and "Zelenskyy" fold alike) when one form
is contained in the other or they share the last word.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from newsweave.compare.align import name_key
from newsweave.compare.result import AliasRow
from newsweave.model import Analysis, Article
from newsweave.text import STOP_WORDS

_W = r"(?:[\w\u00c0-\u024f'\u2019-]|\.(?=\w))*"
_RUN = re.compile(rf"(?<![\w'\u2019])([A-Z]{_W}(?:[ ](?:of |de |al-)?[A-Z]{_W}){{0,3}})")
_SKIP = STOP_WORDS | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "president", "mayor", "minister", "secretary", "mr", "mrs", "ms", "dr", "in", "on", "at", "as", "but",
    "while", "when", "since", "speaking", "that", "it", "its", "this", "there", "the",
}  # fmt: skip


def alias_table(articles: Sequence[Article], analyses: Sequence[Analysis] | None) -> list[AliasRow]:
    if analyses and any(a.mentions for a in analyses):
        try:
            return _from_analyses(articles, analyses)
        except Exception:  # a changed analysis API must not stop the comparison
            pass
    return _fallback(articles)


def _from_analyses(articles: Sequence[Article], analyses: Sequence[Analysis]) -> list[AliasRow]:
    from newsweave.analyse import lookup_entity, merge_entities_across

    merged = merge_entities_across(analyses)
    rows: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    key_cache: dict[str, str | None] = {}
    for an in analyses:
        for m in an.mentions:
            if m.canonical not in key_cache:
                key_cache[m.canonical] = lookup_entity(merged, m.canonical)
            key = key_cache[m.canonical]
            if key is None:
                continue
            rows[key][an.article_id][m.text.strip()] += 1
    order = {a.id: i for i, a in enumerate(articles)}
    out = []
    for key, per in rows.items():
        ent = merged[key]
        forms = tuple(
            (aid, tuple(f for f, _ in c.most_common()))
            for aid, c in sorted(per.items(), key=lambda x: order.get(x[0], 0))
        )
        out.append(AliasRow(ent.canonical, ent.label, forms))
    return _ranked(out)


_TITLES = {
    "mayor", "president", "prime", "minister", "councillor", "councilor", "senator", "governor", "dr", "mr",
    "mrs", "ms", "prof", "professor", "judge", "chief", "executive", "opposition", "sir", "lord", "lady",
}  # fmt: skip


def _person_key(name: str) -> tuple[str, str] | None:
    """(first name, folded surname) of a full person name, titles dropped; None for a surname alone."""
    parts = [p for p in re.split(r"\s+", name.strip()) if p]
    while parts and parts[0].lower().strip(".") in _TITLES:
        parts = parts[1:]
    if len(parts) < 2:
        return None
    return parts[0].lower(), name_key(parts[-1])


def merge_spelling_variants(rows: list[AliasRow]) -> list[AliasRow]:
    """Merge person rows whose full names share the first name and whose surnames differ by a letter or
    two ("Ilse Marchenko" / "Ilse Martchenko", "Volodymyr Zelensky" / "Zelenskyy"): rapidfuzz ratio of the
    folded surnames >= SURNAME_RATIO. Different first names never merge ("Petra" and "Gareth Hollis")."""
    from rapidfuzz import fuzz

    out: list[AliasRow] = []
    keys: list[tuple[str, str] | None] = []
    for r in rows:
        k = _person_key(r.canonical)
        hit = None
        if k is not None:
            for i, k2 in enumerate(keys):
                # a mislabelled mention ("Mayor Ilse Marchenko" as WORK_OF_ART) joins a person row too
                person = "PERSON" in (r.label, out[i].label) or r.label == out[i].label == ""
                if k2 is not None and person and k2[0] == k[0] and fuzz.ratio(k[1], k2[1]) >= SURNAME_RATIO:
                    hit = i
                    break
        if hit is None:
            out.append(r)
            keys.append(k)
            continue
        merged: dict[str, list[str]] = {aid: list(fs) for aid, fs in out[hit].forms}
        for aid, fs in r.forms:
            merged.setdefault(aid, [])
            merged[aid].extend(f for f in fs if f not in merged[aid])
        label = "PERSON" if "PERSON" in (r.label, out[hit].label) else out[hit].label
        out[hit] = AliasRow(out[hit].canonical, label, tuple((a, tuple(fs)) for a, fs in merged.items()))
    return out


SURNAME_RATIO = 85


def _ranked(rows: list[AliasRow]) -> list[AliasRow]:
    """Entities in more sources first, then those with more surface forms (spelling variants merged)."""
    rows = merge_spelling_variants(sorted(rows, key=lambda r: (-len(r.forms), r.canonical)))
    return sorted(
        rows, key=lambda r: (-len(r.forms), -len({f for _, fs in r.forms for f in fs}), r.canonical)
    )


def _names_in(text: str) -> list[str]:
    out = []
    for m in _RUN.finditer(text):
        name = m.group(1).strip(" .")
        parts = name.split()
        while parts and parts[0].lower().strip(".") in _SKIP:
            parts = parts[1:]
        cut = []
        for p in parts:  # "Zelenskyy-led Ukrainian": the name ends at the hyphenated modifier
            if "-" in p and p.split("-", 1)[1][:1].islower():
                cut.append(p.split("-")[0])
                break
            cut.append(p)
        parts = cut
        parts = [re.sub(r"['\u2019]s$", "", p) for p in parts]
        if not parts or len(parts[-1]) < 3 or parts[-1].lower() in _SKIP:
            continue
        out.append(" ".join(parts))
    return out


def _fallback(articles: Sequence[Article]) -> list[AliasRow]:
    """Capitalised runs; a run seen only once in all articles and only at a sentence start is dropped."""
    per_art: list[Counter[str]] = [Counter(_names_in(a.text)) for a in articles]
    total: Counter[str] = Counter()
    for c in per_art:
        total.update(c)
    # group on the folded last word
    groups: dict[str, set[str]] = defaultdict(set)
    for name in total:
        groups[name_key(name.split()[-1])].add(name)
    out = []
    for _, names in groups.items():
        if sum(total[n] for n in names) < 2:
            continue
        canonical = max(names, key=lambda n: (len(n.split()) > 1, total[n], len(n)))
        forms = tuple(
            (a.id, tuple(n for n, _ in per_art[i].most_common() if n in names))
            for i, a in enumerate(articles)
            if any(n in names for n in per_art[i])
        )
        out.append(AliasRow(canonical, "", forms))
    return _ranked(out)
