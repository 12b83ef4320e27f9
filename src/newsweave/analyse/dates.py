"""Dates in text resolved against the publication date: weekdays ("Thursday" -> the last Thursday on or
before publication), "today"/"yesterday", "last/this/next week|month|year", "N days ago", month and day
("April 24", "24 April"), a month alone after "in/since/by/last/next" ("in December"), with its year if given.

Resolved values are ISO strings at the precision the text gives: a day ``2025-04-24``, a month ``2013-12``,
an ISO week ``2014-W17`` or a year ``2013``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from newsweave.analyse.numbers import MONTHS as MONTH_WORDS
from newsweave.analyse.numbers import UNIT_WORDS, read_number

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# month names as words: short forms with their dot ("Mar."), without it only where they are no other word
MONTHS = {m: n for m, n in MONTH_WORDS.items() if m not in ("mar", "apr", "jun", "jul", "sep")}
MONTHS.update(
    {f"{m}.": n for m, n in MONTH_WORDS.items() if len(m) <= 4 and m not in ("may", "june", "july")}
)
_MONTH_ALONE_AFTER = {"in", "since", "by", "last", "next", "this", "early", "late", "mid", "until", "from"}
_YEAR = re.compile(r"(1[89]|20)\d\d")
_DAYS = {"days": 1, "weeks": 7, "months": 30, "years": 365}


def _weekday(name: str, published: date) -> date:
    back = (published.weekday() - WEEKDAYS.index(name)) % 7
    return published - timedelta(days=back)


def _shift_month(d: date, months: int) -> str:
    m = d.year * 12 + d.month - 1 + months
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def _relative(unit: str, step: int, published: date) -> str:
    if unit == "week":
        y, w, _ = (published + timedelta(days=7 * step)).isocalendar()
        return f"{y}-W{w:02d}"
    if unit == "month":
        return _shift_month(published, step)
    return str(published.year + step)


def _month_alone(words: list[str], i: int, month: int, published: date | None) -> tuple[int, str | None]:
    if i + 1 < len(words) and _YEAR.fullmatch(words[i + 1]):
        return 2, f"{words[i + 1]}-{month:02d}"
    if published is None:
        return 1, None
    prev = words[i - 1].lower() if i else ""
    year = published.year
    if prev == "next" or (prev != "last" and month > published.month and prev in ("until", "by")):
        year += 1 if month <= published.month else 0
    elif month > published.month:
        year -= 1  # "in December" read in April: the December before
    return 1, f"{year:04d}-{month:02d}"


def date_at(words: list[str], i: int, published: date | None) -> tuple[int, str | None] | None:
    """(tokens used, resolved ISO value or None) for a date expression starting at ``words[i]``."""
    w = words[i].lower()
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    if w in WEEKDAYS and words[i][:1].isupper():
        return 1, _weekday(w, published).isoformat() if published else None
    if w in ("today", "yesterday", "tomorrow"):
        if published is None:
            return 1, None
        return 1, (published + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[w])).isoformat()
    if w in ("last", "next", "this") and nxt in ("week", "month", "year"):
        step = {"last": -1, "next": 1, "this": 0}[w]
        return 2, _relative(nxt, step, published) if published else None
    if w in MONTHS and words[i][:1].isupper():
        month = MONTHS[w]
        if nxt.isdigit() and 1 <= int(nxt) <= 31:  # April 24[, 2025]
            used, year = 2, published.year if published else None
            if i + 3 < len(words) and words[i + 2] == "," and _YEAR.fullmatch(words[i + 3]):
                used, year = 4, int(words[i + 3])
            return used, _iso(year, month, int(nxt))
        if i and words[i - 1].lower() in _MONTH_ALONE_AFTER and (w != "may" or words[i][:1].isupper()):
            return _month_alone(words, i, month, published)
        return None
    if w.isdigit() and 1 <= int(w) <= 31 and nxt in MONTHS and words[i + 1][:1].isupper():  # 24 April
        year = published.year if published else None
        if i + 2 < len(words) and _YEAR.fullmatch(words[i + 2]):
            return 3, _iso(int(words[i + 2]), MONTHS[nxt], int(w))
        return 2, _iso(year, MONTHS[nxt], int(w))
    return _ago(words, i, published)


def _ago(words: list[str], i: int, published: date | None) -> tuple[int, str | None] | None:
    """ "a week ago", "three days ago"."""
    w = words[i].lower()
    value: float | None = None
    k = i
    if w in ("a", "an"):
        value, k = 1.0, i + 1
    elif w[:1].isdigit() or w in ("one", "two", "three", "four", "five"):
        num = read_number(words, i)
        if num is not None and num.value is not None:
            value, k = num.value, i + num.n_tokens
    unit = UNIT_WORDS.get(words[k].lower()) if value is not None and k < len(words) else None
    if value is None or unit not in _DAYS or k + 1 >= len(words) or words[k + 1].lower() != "ago":
        return None
    if published is None:
        return k + 2 - i, None
    try:
        back = published - timedelta(days=value * _DAYS[unit])
    except (OverflowError, ValueError):
        return k + 2 - i, None
    return k + 2 - i, str(back.year) if unit == "years" else back.isoformat()


def _iso(year: int | None, month: int, day: int) -> str | None:
    if year is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


_DATE_STARTS = (
    set(WEEKDAYS) | set(MONTHS) | {"today", "yesterday", "tomorrow", "last", "next", "this", "a", "an"}
)
_DATE_STARTS |= {"one", "two", "three", "four", "five"}


def may_start_date(word: str) -> bool:
    w = word.lower()
    return w in _DATE_STARTS or w[:1].isdigit()
