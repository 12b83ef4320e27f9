"""Quantities in article text: numbers with unit, what they count, hedge and normalised value or range;
years; dates and weekdays resolved against the publication date.

Rule-based over a light tokenisation (no parse needed), so it runs on every article at full speed. What is
counted is the noun after the number ("12 lives", "over 80 injured") or, after "of", the head of the noun
phrase ("20% of Ukrainian territory" -> "territory", "a fifth of the harbour" -> "harbour").

This is a reader, not the analysis' finder: which stretches are quantities is decided by the comparison's
finder, and the analysis stores this module's readings on its figures (:mod:`newsweave.analyse.figures`);
``newsweave diff`` (:mod:`newsweave.fetch.changes`) reads changed figures the same way.
"""

from __future__ import annotations

import functools
import itertools
import re
from datetime import datetime

from newsweave.analyse.dates import date_at, may_start_date
from newsweave.analyse.numbers import (
    A_NUMBER_WORDS,
    ORDINALS,
    WORD,
    ParsedNumber,
    may_start,
    parse_quantity,
    read_phrase,
    unit_word,
)
from newsweave.model import Quantity, Span

__all__ = ["ParsedNumber", "extract_quantities", "parse_quantity"]

# fmt: off
PEOPLE = {"people", "persons", "civilians", "soldiers", "troops", "lives", "injured", "dead", "killed",
          "wounded", "children", "adults", "residents", "victims", "casualties", "deaths", "migrants",
          "refugees", "workers", "employees", "voters", "members", "fighters", "prisoners", "hostages",
          "passengers", "students", "patients", "women", "men", "officers", "protesters", "others", "person"}
STOP = {"the", "a", "an", "of", "and", "or", "in", "on", "at", "to", "for", "from", "by", "with", "its",
        "his", "her", "their", "our", "this", "that", "these", "those", "is", "are", "was", "were", "be",
        "been", "has", "have", "had", "as", "than", "per", "including", "which", "who", "while", "after",
        "before", "since", "into", "over", "under", "it", "they", "he", "she", "we", "not", "more", "less",
        "also", "but", "so", "if", "when", "will", "would", "could", "can", "may", "said", "says"}
# fmt: on
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_MAX_COUNTED_SPAN = 4
NUMBERED = {"game", "round", "stage", "match", "leg", "race", "heat", "chapter", "article", "section",
            "phase", "category", "grade", "gate", "lane", "platform", "season", "episode"}  # fmt: skip


def _counted(words: list[str], spans: list[tuple[int, int]], k: int) -> tuple[str, int] | None:
    """The counted word after position ``k`` and its index."""
    if k >= len(words):
        return None
    w = words[k].lower()
    if w == "of":
        j = k + 1
        last = None
        while j < len(words) and j <= k + _MAX_COUNTED_SPAN:
            t = words[j]
            tl = t.lower().rstrip(".")
            if not t[:1].isalpha():
                break
            if tl in STOP and tl not in ("its", "his", "her", "their", "our", "the", "this", "these"):
                break
            if tl not in STOP:
                last = j
            if t.endswith("."):
                break
            j += 1
        return (words[last].rstrip("."), last) if last is not None else None
    if w.isalpha() and w not in STOP and not words[k][:1].isupper():
        # skip one adjective-like word before a people noun: "12 more people" handled by STOP
        if k + 1 < len(words) and words[k + 1].lower() in PEOPLE:
            return words[k + 1], k + 1
        return words[k], k
    return None


def _unit_for(counted: str | None, unit: str | None) -> str | None:
    if unit or not counted:
        return unit
    c = counted.lower()
    if c in PEOPLE:
        return "people"
    return unit_word(counted)


def extract_quantities(text: str, article_id: str, published_at: datetime | None = None) -> list[Quantity]:
    """Every quantity, year and date in ``text``, in order."""
    matches = list(WORD.finditer(text))
    words = [m.group() for m in matches]
    spans = [m.span() for m in matches]
    published = published_at.date() if published_at else None
    out: list[Quantity] = []
    i = 0  # the first word not yet read
    for k in itertools.compress(range(len(words)), map(_may_start_any, words)):  # cheap filter, in C
        if k < i:
            continue  # inside a quantity already read
        i = k
        got = date_at(words, i, published) if may_start_date(words[i]) else None
        if got:
            used, iso = got
            s, e = spans[i][0], spans[i + used - 1][1]
            out.append(Quantity(Span(article_id, s, e), text[s:e], None, kind="date", resolved=iso))
            i += used
            continue
        q = _quantity_at(text, article_id, words, spans, i)
        if q is None:
            i += 1
            continue
        quantity, used = q
        out.append(quantity)
        i += used
    return out


@functools.lru_cache(maxsize=1 << 16)
def _may_start_any(word: str) -> bool:
    """Whether a date or a quantity may start at ``word`` (the cheap filters of both, cached per word)."""
    return may_start_date(word) or may_start(word) or word.lower() in ORDINALS


def _quantity_at(
    text: str, aid: str, words: list[str], spans: list[tuple[int, int]], i: int
) -> tuple[Quantity, int] | None:
    w = words[i]
    if not may_start(w) and w.lower() not in ORDINALS:
        return None
    wl = w.lower()
    if _ORDINAL.match(wl) or wl in ORDINALS:
        return _ordinal_at(text, aid, words, spans, i)
    if wl == "one" and i + 1 < len(words) and words[i + 1].lower() in ("of", "another"):
        return None
    if wl in ("a", "an") and (i + 1 >= len(words) or words[i + 1].lower() not in A_NUMBER_WORDS):
        return None
    parsed = read_phrase(words, i)
    if parsed is None or parsed.n_tokens == 0:
        return None
    # "Game 5", "Round 3": a numbered item, ranked like an ordinal
    if i > 0 and words[i - 1].lower() in NUMBERED and w.isdigit():
        s, e = spans[i]
        prev = Span(aid, *spans[i - 1])
        value = float(w)
        q = Quantity(Span(aid, s, e), text[s:e], value, value, value, None, words[i - 1].lower(), prev,
                     None, kind="ordinal")  # fmt: skip
        return q, 1
    # a number glued to a name ("Radio 4", "Level 3") or a time of day ("2:45") is no quantity
    year_like = re.fullmatch(r"(1[89]|20)\d\d", w) is not None
    if (
        i > 0
        and not year_like
        and words[i - 1][:1].isupper()
        and words[i - 1].lower() not in _HEDGE_FIRST
        and words[i - 1].lower() not in STOP
        and w[:1].isdigit()
    ):
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if (
            nxt not in PEOPLE
            and not unit_word(words[i + 1] if nxt else "")
            and "%" not in w
            and parsed.unit is None
        ):
            return None
    if i > 1 and words[i - 1] == ":" and words[i - 2].isdigit():
        return None
    end = i + parsed.n_tokens
    if end < len(words) and words[end] == ":" and end + 1 < len(words) and words[end + 1][:1].isdigit():
        return None
    s, e = spans[i][0], spans[end - 1][1]
    kind = (
        "range" if parsed.value is None and parsed.low is not None and parsed.high is not None else "number"
    )
    if (
        parsed.value is not None
        and parsed.unit is None
        and parsed.hedge is None
        and re.fullmatch(r"(1[89]|20)\d\d", w)
        and not (end < len(words) and words[end].lower() in PEOPLE)
    ):
        return Quantity(Span(aid, s, e), text[s:e], parsed.value, kind="year"), parsed.n_tokens
    counted = _counted(words, spans, end)
    counted_word, counted_span = None, None
    if counted is not None:
        counted_word, k = counted
        counted_span = Span(aid, spans[k][0], spans[k][0] + len(counted_word))
    unit = _unit_for(counted_word, parsed.unit)
    return (
        Quantity(
            Span(aid, s, e),
            text[s:e],
            parsed.value,
            low=parsed.low,
            high=parsed.high,
            unit=unit,
            counted=counted_word.lower() if counted_word else None,
            counted_span=counted_span,
            hedge=parsed.hedge,
            kind=kind,
        ),
        parsed.n_tokens,
    )


def _ordinal_at(
    text: str, aid: str, words: list[str], spans: list[tuple[int, int]], i: int
) -> tuple[Quantity, int] | None:
    """ "the fifth game", "its 2nd attempt": an ordinal after a determiner, with what it ranks."""
    if i == 0 or words[i - 1].lower() not in ("the", "a", "its", "his", "her", "their", "our"):
        return None
    w = words[i].lower()
    value = float(ORDINALS[w]) if w in ORDINALS else float(re.sub(r"\D", "", w))
    counted = _counted(words, spans, i + 1)
    word, span = None, None
    if counted is not None:
        word, k = counted
        span = Span(aid, spans[k][0], spans[k][0] + len(word))
    s, e = spans[i]
    q = Quantity(Span(aid, s, e), text[s:e], value, value, value, None, word.lower() if word else None, span,
                 None, kind="ordinal")  # fmt: skip
    return q, 1


# capitalised words before a figure that do not make it part of a name ("About 80", unlike "No 10")
_HEDGE_FIRST = {"over", "about", "around", "nearly", "some", "up", "at", "more", "less", "between", "from"}
