"""Framing: what each source leads with, its loaded wording, where it attributes claims; a timeline.

The loaded-wording lexicon is deliberately small and documented here: words that carry a judgement or an
emotion the facts alone do not (so a reader can see one outlet calling a day "harrowing" and another not).
It is a pointer for the reader, not a bias score. Categories:

- ``emotive``: words of feeling or shock (tragic, harrowing, grim, devastating, ...);
- ``speech``: reporting verbs that judge the speaker (lamented, admitted, conceded, insisted, claimed, ...),
  where a neutral outlet writes "said";
- ``evaluative``: adjectives and adverbs that grade (uncomfortable, significant, major, eagerly, ...);
- ``conflict``: metaphors of fighting for words or politics (slammed, lashed out, blasted, ...).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsweave.compare.result import Attribution, Claim, Evidence, Lead, LoadedWord, TimelineEvent
from newsweave.model import Article

LEXICON: dict[str, tuple[str, ...]] = {
    "emotive": (
        "tragic", "tragically", "tragedy", "harrowing", "horrific", "horrifying", "devastating", "devastated",
        "grim", "shocking", "brutal", "bloody", "heartbreaking", "dire", "catastrophic", "chilling",
        "appalling", "terrifying", "outrage", "outraged", "outrageous", "fury", "furious", "angry", "anger",
        "massacre", "carnage", "atrocity", "atrocities", "inflammatory", "disgraceful", "desperate",
        "nightmare", "deadly", "saddened",
    ),
    "speech": (
        "lamented", "admitted", "conceded", "claimed", "insisted", "boasted", "confessed", "alleged",
        "refused", "vowed", "warned", "accused", "complained", "acknowledged",
    ),
    "evaluative": (
        "uncomfortable", "significant", "major", "dramatic", "unprecedented", "eagerly", "firmly", "openly",
        "so-called", "regime", "irreconcilable", "amenable", "lenient", "prominent", "landmark", "historic",
        "controversial", "notorious", "racist",
    ),
    "conflict": ("slammed", "lashed", "blasted", "attacked", "clashed", "hit out", "war of words", "feud"),
}  # fmt: skip
_WORD_CAT = {w: c for c, ws in LEXICON.items() for w in ws}
_LEX_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(w) for w in _WORD_CAT), key=len, reverse=True)) + r")\b", re.I
)
_ATTRIB = re.compile(
    r"according to (?P<a>(?:the )?[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}|[a-z]+ (?:analysts|officials|sources|experts))"
    r"|(?P<b>[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}|[Aa]nalysts|[Oo]fficials) (?:said|says|told|stated|added|"
    r"insisted|claimed|conceded|argued|warned|acknowledged)"
)


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


def loaded_words(articles: Sequence[Article], sources: Sequence[str], per_source: int) -> list[LoadedWord]:
    out = []
    for a, src in zip(articles, sources, strict=False):
        seen: set[str] = set()
        for m in _LEX_RE.finditer(a.text):
            w = m.group(1).lower()
            if w in seen or _inside_quote(a.text, m.start()):
                continue
            seen.add(w)
            s, e = _sentence_around(a.text, m.start(), m.end())
            out.append(
                LoadedWord(a.id, src, w, _WORD_CAT.get(w, "emotive"), Evidence(a.id, src, s, e, a.text[s:e]))
            )
            if len(seen) >= per_source:
                break
    return out


def _inside_quote(text: str, pos: int) -> bool:
    """Inside a direct quote on the same line: the words are the speaker's, not the outlet's."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return (before.count("\u201c") > before.count("\u201d")) or before.count('"') % 2 == 1


def _sentence_around(text: str, s: int, e: int, limit: int = 300) -> tuple[int, int]:
    a = max(text.rfind(". ", 0, s) + 2, text.rfind("\n", 0, s) + 1, s - limit // 2, 0)
    b_candidates = [x for x in (text.find(". ", e), text.find("\n", e)) if x >= 0]
    b = min([*b_candidates, len(text), e + limit // 2])
    if b < len(text) and text[b] == ".":
        b += 1
    return a, b


def attribution(claims: Sequence[Claim], texts: dict[str, str]) -> list[Attribution]:
    """For claims in two or more sources: to whom each source attributes it, where they differ."""
    out = []
    for c in claims:
        if c.status == "single":
            continue
        rows = []
        for ev in c.evidence:
            m = _ATTRIB.search(ev.text)
            who = None
            if m:
                who = (m.group("a") or m.group("b") or "").strip()
            elif any(q in ev.text for q in ("\u201c", "\u201d", '"')):
                who = "(direct quote)"
            rows.append(Attribution(c.id, ev.article_id, ev.source, who, ev))
        if len({r.attributed_to for r in rows}) > 1:
            out.extend(rows)
    return out


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
