"""Reading one number phrase: digits and words, scales, fractions, percentages, money, hedges and ranges.

``parse_quantity("approximately 20%")`` and ``parse_quantity("around a fifth")`` both give 20 percent with a
hedge; ``"over 80"`` gives low 80; ``"between 10 and 15"`` a range; ``"$3bn"`` 3e9 money:USD; ``"a dozen"``
12; ``"dozens"`` at least 24 with no single value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# fmt: off
UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12, "trn": 1e12}
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
             "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
             "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}
# vague plurals: a lower bound, no single value
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "millions": 2e6, "billions": 2e9,
         "tens": 20}
CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "₴": "UAH"}
# the letters of "US$", "$US", "A$", "$A", "NZ$" ... (lower case)
DOLLAR_PREFIX = {"": "USD", "us": "USD", "a": "AUD", "au": "AUD", "c": "CAD", "ca": "CAD", "nz": "NZD",
                 "hk": "HKD", "s": "SGD", "sg": "SGD"}
# unit nouns after a number (also in compounds: "22-year-old", "seven-year", "40-foot")
UNIT_WORDS = {"year": "years", "years": "years", "day": "days", "days": "days", "hour": "hours",
              "hours": "hours", "month": "months", "months": "months", "week": "weeks", "weeks": "weeks",
              "minute": "minutes", "minutes": "minutes", "second": "seconds", "seconds": "seconds",
              "decade": "decades", "decades": "decades", "km": "km", "kilometre": "km", "kilometres": "km",
              "kilometer": "km", "kilometers": "km", "mile": "miles", "miles": "miles", "metre": "m",
              "metres": "m", "meter": "m", "meters": "m", "foot": "feet", "feet": "feet", "inch": "inches",
              "inches": "inches", "kg": "kg", "kilogram": "kg", "kilograms": "kg", "tonne": "tonnes",
              "tonnes": "tonnes", "ton": "tonnes", "tons": "tonnes", "litre": "litres", "litres": "litres"}
ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "hundredth": 100}
CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
                  "pounds": "GBP", "yen": "JPY", "rubles": "RUB", "roubles": "RUB", "hryvnias": "UAH",
                  "yuan": "CNY", "rupees": "INR"}
# hedge phrase -> which bound the number is (low, high) or None for approximate
HEDGES: dict[str, str | None] = {
    "at least": "low", "more than": "low", "over": "low", "upwards of": "low", "in excess of": "low",
    "above": "low", "exceeding": "low", "well over": "low", "just over": "low", "no fewer than": "low",
    "no less than": "low", "as many as": "high", "as much as": "high", "up to": "high", "less than": "high",
    "fewer than": "high", "under": "high", "below": "high", "at most": "high", "no more than": "high",
    "just under": "high", "nearly": "high", "almost": "high", "approximately": None, "about": None,
    "around": None, "roughly": None, "some": None, "an estimated": None, "estimated": None,
    "close to": None, "approx.": None, "circa": None,
}
# fmt: on
_HEDGE_BY_FIRST: dict[str, list[str]] = {}
for _h in sorted(HEDGES, key=lambda h: -len(h.split())):
    _HEDGE_BY_FIRST.setdefault(_h.split()[0], []).append(_h)
STARTERS = (
    set(_HEDGE_BY_FIRST) | set(UNITS) | set(TENS) | set(VAGUE)
    | {"a", "an", "half", "dozen", "between", "from"}
    | {f"{t}-{u}" for t in TENS for u in UNITS}
    | {f"{u}-{f}" for u in UNITS for f in FRACTIONS}
)  # fmt: skip
_CUR = r"[a-z]{1,2}\$|\$[a-z]{1,2}|[$€£¥₹₽₴]"
_DIGITS = re.compile(
    rf"^(?P<cur>{_CUR})?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<suf>bn|mn|mln|m|k|tn|trn|b|%)?$"
)
WORD = re.compile(
    r"(?:[A-Z]{1,2}\$|\$[A-Z]{1,2}(?=\d)|[$€£¥₹₽₴])?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:(?:bn|mn|mln|m|k|tn|trn|b)(?![A-Za-z]))?%?"
    r"|(?:approx|[Ss]ept?|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Oct|Nov|Dec)\.|[A-Za-z]+(?:-[A-Za-z]+)*|%|\S"
)


@dataclass(frozen=True)
class ParsedNumber:
    """A number phrase read: value (None for ranges and vague plurals), bounds, unit, hedge."""

    value: float | None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    hedge: str | None = None
    fraction: bool = False
    vague: bool = False
    n_tokens: int = 0  # how many tokens of the input it used


def _word_number(words: list[str], i: int) -> tuple[float, int, bool] | None:
    """A number in words from ``words[i]``: (value, tokens used, is fraction as share 0..1)."""
    w = words[i].lower() if i < len(words) else ""
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    if w in ("a", "an", "one") and nxt in FRACTIONS:
        return 1 / FRACTIONS[nxt], 2, True
    if w in ("a", "an") and nxt == "dozen":
        return 12.0, 2, False
    if w == "dozen":
        return 12.0, 1, False
    if w in ("half",):
        return 0.5, 1, True
    if "-" in w:
        a, _, b = w.partition("-")
        if a in UNITS and b in FRACTIONS and UNITS[a] > 0:
            return UNITS[a] / FRACTIONS[b], 1, True
        if a in TENS and b in UNITS:
            return float(TENS[a] + UNITS[b]), 1, False
    if w in UNITS and nxt in FRACTIONS and nxt.endswith("s"):
        return UNITS[w] / FRACTIONS[nxt], 2, True
    if w in ("a", "an") and nxt in ("hundred", "thousand", "million", "billion"):
        return SCALES[nxt], 2, False
    total = 0.0
    current = 0.0
    used = 0
    j = i
    while j < len(words):
        t = words[j].lower()
        if t in UNITS:
            current += UNITS[t]
        elif t in TENS:
            current += TENS[t]
        elif "-" in t and t.partition("-")[0] in TENS and t.partition("-")[2] in UNITS:
            a, _, b = t.partition("-")
            current += TENS[a] + UNITS[b]
        elif t == "hundred" and used:
            current *= 100
        elif t in ("thousand", "million", "billion", "trillion") and used:
            total += current * SCALES[t]
            current = 0
        elif t == "and" and used and j + 1 < len(words) and words[j + 1].lower() in {**UNITS, **TENS}:
            pass
        else:
            break
        used = j - i + 1
        j += 1
    if not used:
        return None
    return total + current, used, False


def read_number(words: list[str], i: int) -> ParsedNumber | None:
    """The number starting at ``words[i]`` (no hedge), with scale, currency and percent."""
    if i >= len(words):
        return None
    w = words[i].lower()
    unit = None
    cur = None
    if w in CURRENCY and i + 1 < len(words) and words[i + 1][:1].isdigit():
        cur = CURRENCY[w]
        i += 1
        w = words[i].lower()
        start_shift = 1
    else:
        start_shift = 0
    m = _DIGITS.match(w)
    fraction = False
    if m:
        value = float(m.group("num").replace(",", ""))
        cur = cur or _currency(m.group("cur"))
        suf = m.group("suf")
        used = 1
        if suf == "%":
            unit = "percent"
        elif suf:
            value *= SCALES[suf]
    elif w in VAGUE:
        nxt_unit = _unit_after(words, i + 1, cur)
        return ParsedNumber(
            None, low=VAGUE[w], unit=nxt_unit[0], vague=True, n_tokens=1 + start_shift + nxt_unit[1]
        )
    else:
        compound = _unit_compound(w)
        if compound is not None:  # "seven-year", "two-week"
            value, unit = compound
            return ParsedNumber(value, value, value, unit, None, False, False, 1 + start_shift)
        got = _word_number(words, i)
        if got is None:
            return None
        value, used, fraction = got
    j = i + used
    if j + 1 < len(words) and words[j] == "-" and words[j + 1].lower().split("-")[0] in UNIT_WORDS:
        unit = UNIT_WORDS[words[j + 1].lower().split("-")[0]]  # "22-year-old", "40-foot"
        j += 2
    while j < len(words) and words[j].lower() in SCALES and words[j].lower() not in ("k", "m", "b"):
        value *= SCALES[words[j].lower()]
        j += 1
    if unit is None:
        unit, extra = _unit_after(words, j, cur)
        j += extra
    if fraction and unit is None:
        value, unit = value * 100, "percent"
    elif cur and unit is None:
        unit = f"money:{cur}"
    value = round(value, 6)
    return ParsedNumber(value, value, value, unit, None, fraction, False, j - i + start_shift)


def _currency(prefix: str | None) -> str | None:
    if not prefix:
        return None
    if "$" in prefix:
        return DOLLAR_PREFIX.get(prefix.replace("$", ""), "USD")
    return CURRENCY.get(prefix)


def _unit_compound(word: str) -> tuple[float, str] | None:
    """A number word joined to a unit noun: "seven-year" -> (7, "years")."""
    head, _, rest = word.partition("-")
    unit = UNIT_WORDS.get(rest.split("-")[0]) if rest else None
    if unit is None:
        return None
    if head in UNITS:
        return float(UNITS[head]), unit
    if head in TENS:
        return float(TENS[head]), unit
    return None


def _unit_after(words: list[str], j: int, cur: str | None) -> tuple[str | None, int]:
    if j >= len(words):
        return (f"money:{cur}" if cur else None), 0
    w = words[j].lower()
    if w in ("%", "percent", "pct"):
        return "percent", 1
    if w == "per" and j + 1 < len(words) and words[j + 1].lower() == "cent":
        return "percent", 2
    if w in CURRENCY_WORDS:
        return f"money:{CURRENCY_WORDS[w]}", 1
    return (f"money:{cur}" if cur else None), 0


def match_hedge(words: list[str], i: int) -> tuple[str | None, int]:
    """The hedge phrase starting at ``words[i]`` and its length in tokens."""
    if i >= len(words):
        return None, 0
    for h in _HEDGE_BY_FIRST.get(words[i].lower(), ()):
        parts = h.split()
        if [w.lower() for w in words[i : i + len(parts)]] == parts:
            return h, len(parts)
    return None, 0


def may_start(word: str) -> bool:
    """Whether a number phrase can start with ``word`` (a cheap filter before :func:`read_phrase`)."""
    w = word.lower()
    return (
        w[:1].isdigit() or w in STARTERS or w[:1] in CURRENCY or "$" in w[:4] or _unit_compound(w) is not None
    )


def read_phrase(words: list[str], i: int) -> ParsedNumber | None:
    """Hedge + number (+ range) starting at ``words[i]``."""
    first = words[i].lower() if i < len(words) else ""
    if first in ("between", "from"):
        a = read_number(words, i + 1)
        if a and a.value is not None:
            k = i + 1 + a.n_tokens
            if k < len(words) and words[k].lower() in (("and",) if first == "between" else ("to", "-", "–")):
                b = read_number(words, k + 1)
                if b and b.value is not None:
                    unit = b.unit or a.unit
                    lo, hi = sorted((a.value, b.value))
                    return ParsedNumber(None, lo, hi, unit, None, a.fraction, False, k + 1 + b.n_tokens - i)
    hedge, n = match_hedge(words, i)
    num = read_number(words, i + n)
    if num is None:
        return None
    used = n + num.n_tokens
    k = i + used
    # "10 to 15", "10-15"
    if num.value is not None and k + 1 < len(words) and words[k] in ("to", "-", "–") and not hedge:
        b = read_number(words, k + 1)
        if b and b.value is not None and b.value > num.value:
            return ParsedNumber(
                None, num.value, b.value, b.unit or num.unit, None, num.fraction, False, used + 1 + b.n_tokens
            )
    low, high = num.low, num.high
    if hedge:
        side = HEDGES[hedge]
        if num.vague:
            pass
        elif side == "low":
            low, high = num.value, None
        elif side == "high":
            low, high = None, num.value
        else:
            low = high = None
    return ParsedNumber(num.value, low, high, num.unit, hedge, num.fraction, num.vague, used)


def parse_quantity(text: str) -> ParsedNumber | None:
    """Read a whole number phrase ("over 80", "a fifth", "$3bn", "between 10 and 15"); None if it is none."""
    words = WORD.findall(text.strip())
    if not words:
        return None
    return read_phrase(words, 0)
