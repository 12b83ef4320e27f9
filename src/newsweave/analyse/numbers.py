"""Numbers in news text, read in one place for every stage (analysis quantities and the comparison).

The tables here (number words, scales, fractions, currencies, hedges, units of measure, months) and the
readers built on them are the only ones: :func:`parse_quantity` / :func:`read_phrase` read a number phrase
over tokens for the analysis (``newsweave show``), :func:`core_value`, :func:`currency_code` and the tables
feed the comparison's finder (``newsweave.analyse.numfind``), which adds its interval policy on top.

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
# scale words, then the short suffixes glued to digits ("3bn", "40m"; "m" after a number is metres unless money)
SCALE_WORDS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
               "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7}  # South Asian: "Rs 100 crore" = 1e9
SCALES = {**SCALE_WORDS, "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12,
          "trn": 1e12}
# fraction word -> denominator; "sixth" to "ninth" only in the plural ("seven-eighths"): "a sixth-grader",
# "a seventh bomber" are ordinals
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
             "fourths": 4, "fifth": 5, "fifths": 5, "sixths": 6, "sevenths": 7, "eighths": 8, "ninths": 9,
             "tenth": 10, "tenths": 10}
# vague plurals: a lower bound, no single value
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "millions": 2e6, "billions": 2e9,
         "tens": 20}
CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "₴": "UAH", "Rs": "INR",
            "Rs.": "INR"}
# the letters of "US$", "$US", "A$", "$A", "NZ$" ... (lower case)
DOLLAR_PREFIX = {"": "USD", "us": "USD", "a": "AUD", "au": "AUD", "c": "CAD", "ca": "CAD", "nz": "NZD",
                 "hk": "HKD", "s": "SGD", "sg": "SGD"}
CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
                  "pounds": "GBP", "yen": "JPY", "rubles": "RUB", "roubles": "RUB", "hryvnias": "UAH",
                  "yuan": "CNY", "rupees": "INR", "rupee": "INR"}
PERCENT_WORDS = ("%", "percent", "per cent", "per-cent", "pct", "pc")
ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "hundredth": 100}
MONTHS = {m: i + 1 for i, ms in enumerate(
    ["jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july", "aug august",
     "sep sept september", "oct october", "nov november", "dec december"]) for m in ms.split()}
# unit of measure -> (unit name shown by the analysis, dimension, factor to the dimension's base unit);
# the comparison normalises by dimension: durations in days, lengths in metres, masses in grams
MEASURES: dict[str, tuple[str, str, float]] = {}
for _names, _label, _dim, _f in [
    ("|".join(PERCENT_WORDS), "percent", "percent", 1.0),
    ("year-old|years-old|year old|years old", "years", "age", 1.0),
    ("years|year|yrs|yr", "years", "days", 365.0),
    ("decades|decade", "decades", "days", 3650.0),
    ("months|month", "months", "days", 30.0),
    ("weeks|week", "weeks", "days", 7.0),
    ("days|day", "days", "days", 1.0),
    ("hours|hour|hrs", "hours", "hours", 1.0),
    ("minutes|minute|mins", "minutes", "hours", 1 / 60),
    ("g|grams|gram|gramme|grammes", "g", "g", 1.0),
    ("kg|kilograms|kilogram|kilos|kilo", "kg", "g", 1000.0),
    ("tonnes|tonne|tons|ton", "tonnes", "g", 1e6),
    ("lb|lbs|pounds", "lb", "g", 453.6),
    ("mph|miles per hour|miles an hour", "mph", "speed", 1.609344),
    ("km/h|kph|kmh|km per hour|kilometres per hour|kilometers per hour|kilometres an hour|kilometers an hour",
     "km/h", "speed", 1.0),
    ("knots|knot", "knots", "speed", 1.852),
    ("km|kilometres|kilometers|kilometre|kilometer", "km", "m", 1000.0),
    ("miles|mile", "miles", "m", 1609.3),
    ("m|metres|meters|metre|meter", "m", "m", 1.0),
    ("cm|centimetres|centimeters", "cm", "m", 0.01),
    ("feet|foot|ft", "feet", "m", 0.3048),
    ("inches|inch", "inches", "m", 0.0254),
    ("square kilometres|square kilometers|square kilometre|square kilometer|square km|sq km|km2", "sq km",
     "m2", 1e6),
    ("square miles|square mile|sq miles|sq mi", "sq miles", "m2", 2.59e6),
    ("square metres|square meters|square metre|square meter|sq m", "sq m", "m2", 1.0),
    ("hectares|hectare", "hectares", "m2", 1e4),
    ("acres|acre", "acres", "m2", 4046.9),
    ("cents|cent", "cents", "money", 0.01),
    ("dollars|dollar", "dollars", "money", 1.0),
    ("euros|euro", "euros", "money", 1.0),
    ("rupees|rupee", "rupees", "money", 1.0),
    ("yuan", "yuan", "money", 1.0),
]:
    for _n in _names.split("|"):
        MEASURES[_n] = (_label, _dim, _f)
# unit nouns after a number as the analysis names them (also in compounds: "22-year-old", "40-foot");
# "pounds" and "dollars" are money there (CURRENCY_WORDS)
UNIT_WORDS = {w: label for w, (label, dim, _) in MEASURES.items()
              if dim not in ("money", "percent") and w != "pounds" and " " not in w}
UNIT_WORDS.update({"second": "seconds", "seconds": "seconds", "litre": "litres", "litres": "litres"})
# hedge phrase -> how it bounds the figure: ">=" a floor, "<=" a cap, "~<" just under, "~" about,
# "=" as stated, "age" an age
HEDGES: dict[str, str] = {
    "at least": ">=", "more than": ">=", "over": ">=", "upwards of": ">=", "in excess of": ">=",
    "above": ">=", "exceeding": ">=", "well over": ">=", "just over": ">=", "no fewer than": ">=",
    "no less than": ">=", "a minimum of": ">=", "past": ">=",
    "as many as": "<=", "as much as": "<=", "up to": "<=", "less than": "<=", "fewer than": "<=",
    "under": "<=", "below": "<=", "at most": "<=", "no more than": "<=", "just under": "<=",
    "a maximum of": "<=", "nearly": "~<", "almost": "~<",
    "approximately": "~", "about": "~", "around": "~", "roughly": "~", "some": "~", "an estimated": "~",
    "estimated": "~", "close to": "~", "approx.": "~", "circa": "~",
    "an average of": "=", "between": "=", "aged": "age", "the age of": "age", "ages of": "age",
}
# fmt: on
# the bound a hedge sets in the analysis (value kept, ``low``/``high`` from it); "past" there opens a span
# of time ("the past seven years") more often than it bounds a figure, so the analysis keeps those exact
_SIDE = {">=": "low", "<=": "high", "~<": "high", "~": None}
_HEDGE_BY_FIRST: dict[str, list[str]] = {}
for _h in sorted(HEDGES, key=lambda h: -len(h.split())):
    if HEDGES[_h] in _SIDE and _h != "past":
        _HEDGE_BY_FIRST.setdefault(_h.split()[0], []).append(_h)
# what may follow "a" / "an" in a number ("a fifth", "a dozen", "a hundred")
_A_SCALES = ("hundred", "thousand", "million", "billion")
A_NUMBER_WORDS = frozenset({"dozen", *_A_SCALES, *(f for f in FRACTIONS if not f.endswith("s"))})
STARTERS = (
    set(_HEDGE_BY_FIRST) | set(UNITS) | set(TENS) | set(VAGUE)
    | {"a", "an", "half", "dozen", "between", "from"}
    | {f"{t}-{u}" for t in TENS for u in UNITS}
    | {f"{u}-{f}" for u in UNITS for f in FRACTIONS}
)  # fmt: skip
# a figure in digits: "2,000", "71.7"
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CUR = r"[a-z]{1,2}\$|\$[a-z]{1,2}|[$€£¥₹₽₴]"
_DIGITS = re.compile(rf"^(?P<cur>{_CUR})?(?P<num>{DIGITS})(?P<suf>bn|mn|mln|m|k|tn|trn|b|%)?$")
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


def unit_word(word: str) -> str | None:
    """The unit a noun after a number names ("feet", "ft" -> "feet"); abbreviations keep their case ("4G")."""
    return UNIT_WORDS.get(word if len(word) <= 3 else word.lower())


def fraction_percent(numerator: float, word: str) -> float:
    """``numerator`` times the fraction ``word`` as a percentage: (2, "thirds") -> 66.67."""
    return numerator * (100 / FRACTIONS[word])


def currency_code(symbol: str | None) -> str | None:
    """ISO code of a currency sign as written before a figure: "$" USD, "A$" / "$A" AUD, "£" GBP."""
    sym = (symbol or "").strip()
    if not sym:
        return None
    if "$" in sym:
        return DOLLAR_PREFIX.get(sym.replace("$", "").lower(), "USD")
    return CURRENCY.get(sym)


def word_value(text: str) -> float | None:
    """A whole number in words ("seventeen", "twenty-five", "a dozen"); None when it is not all one."""
    words = text.lower().replace("-", " ").split()
    got = _word_number(words, 0) if words else None
    if got is None or got[1] != len(words) or got[2]:
        return None
    return got[0]


def core_value(text: str) -> tuple[float | None, bool]:
    """Value of one bare figure ("2,000", "twenty-five", "a fifth"); second item: a fraction (percent)."""
    t = text.lower().replace("\u2013", "-")
    m = re.fullmatch(r"(\w+)[- ](\w+)", t)
    if m and m.group(2) in FRACTIONS:
        num = 1.0 if m.group(1) in ("a", "one") else word_value(m.group(1))
        if num is None:
            return None, False
        return fraction_percent(num, m.group(2)), True
    if t[0].isdigit():
        try:
            return float(t.replace(",", "")), False
        except ValueError:
            return None, False
    return word_value(t), False


def _word_number(words: list[str], i: int) -> tuple[float, int, bool] | None:
    """A number in words from ``words[i]``: (value, tokens used, is a fraction given as percent)."""
    w = words[i].lower() if i < len(words) else ""
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    if w in ("a", "an", "one") and nxt in FRACTIONS:
        return fraction_percent(1, nxt), 2, True
    if w in ("a", "an") and nxt == "dozen":
        return 12.0, 2, False
    if w == "dozen":
        return 12.0, 1, False
    if w in ("half",):
        return fraction_percent(1, w), 1, True
    if "-" in w:
        a, _, b = w.partition("-")
        if a in UNITS and b in FRACTIONS and UNITS[a] > 0:
            return fraction_percent(UNITS[a], b), 1, True
        if a in TENS and b in UNITS:
            return float(TENS[a] + UNITS[b]), 1, False
    if w in UNITS and nxt in FRACTIONS and nxt.endswith("s"):
        return fraction_percent(UNITS[w], nxt), 2, True
    if w in ("a", "an") and nxt in _A_SCALES:
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
        cur = cur or currency_code(m.group("cur"))
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
        unit = "percent"
    elif cur and unit is None:
        unit = f"money:{cur}"
    value = round(value, 6)
    return ParsedNumber(value, value, value, unit, None, fraction, False, j - i + start_shift)


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
    if w in PERCENT_WORDS:
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
        side = _SIDE[HEDGES[hedge]]
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
