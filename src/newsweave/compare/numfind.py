"""Find quantities in article text and normalise them (the comparison's own finder).

A mention is the number phrase with its hedge and unit ("at least 15", "around a fifth", "$US2.5 million",
"40-foot", "aged 10 to 15", "the 1980s", "last year"). Its value is an interval ``[low, high]`` after the
hedge: "over 80" -> [80, inf), "about 2,000" -> [1800, 2200] (10 %, the tolerance the cross-source gold
uses for "~"), "a fifth" -> 20 percent. Units are normalised per dimension (durations in days, lengths in
metres, masses in grams, money per currency) so "40-foot" and "12-metre" or "three decades" and "30 years"
compare.

Left out on purpose (the cross-source gold calls them vague or optional, and they make spurious links):
"one" and "a" on their own, ordinals, "dozens", times of day, phone numbers, numbers inside words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "m": 1e6,
}
_FRACTIONS = {
    "half": 50.0, "halves": 50.0, "third": 100 / 3, "thirds": 100 / 3, "quarter": 25.0, "quarters": 25.0,
    "fourth": 25.0, "fourths": 25.0, "fifth": 20.0, "fifths": 20.0, "tenth": 10.0, "tenths": 10.0,
}  # fmt: skip
_MONTHS = {
    m: i + 1
    for i, ms in enumerate(
        ["jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
         "aug august", "sep sept september", "oct october", "nov november", "dec december"]
    )
    for m in ms.split()
}  # fmt: skip

_UW = "|".join(sorted(_UNITS_WORDS, key=len, reverse=True))
_TW = "|".join(_TENS_WORDS)
_WORDNUM = rf"(?:(?:{_TW})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|{_UW}|a dozen)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FRAC = rf"(?:a|one|two|three|four|{_UW})[- ](?:{'|'.join(_FRACTIONS)})"
_CORE = re.compile(
    rf"(?<![\d.,/:-])(?:(?:{_FRAC}|{_WORDNUM})(?![\w/])|(?:{_DIGITS})(?![\d/]|[.,]\d))", re.IGNORECASE
)
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_MDY = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b")
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\s+((?:19|20)\d\d)\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\s+((?:19|20)\d\d)\b")
_RELATIVE_YEAR = re.compile(r"\b(last|next|this|previous|past)\s+year(?:'s)?\b", re.IGNORECASE)
_DECADE = re.compile(r"\b(?:the\s+)?((?:19|20)\d0)'?s\b")

_HEDGES = [
    ("just over", ">="), ("just under", "<="), ("well over", ">="), ("more than", ">="), ("over", ">="),
    ("upwards of", ">="), ("at least", ">="), ("a minimum of", ">="), ("past", ">="), ("in excess of", ">="),
    ("less than", "<="), ("fewer than", "<="), ("under", "<="), ("up to", "<="), ("at most", "<="),
    ("a maximum of", "<="), ("as many as", "<="), ("nearly", "~<"), ("almost", "~<"), ("close to", "~"),
    ("about", "~"), ("around", "~"), ("approximately", "~"), ("roughly", "~"), ("some", "~"),
    ("an estimated", "~"), ("estimated", "~"), ("approx.", "~"), ("circa", "~"), ("an average of", "="),
    ("between", "="), ("aged", "age"), ("the age of", "age"), ("ages of", "age"),
]  # fmt: skip
_HEDGE_RE = re.compile(
    r"(?:^|(?<=\W))("
    + "|".join(re.escape(h) for h, _ in sorted(_HEDGES, key=lambda x: -len(x[0])))
    + r")\s+$",
    re.IGNORECASE,
)
_HEDGE_OP = dict(_HEDGES)
_CURRENCY_BEFORE = re.compile(r"((?:US|A|AU|C|CA|NZ|S|HK)?\$(?:US|A|AU|C|CA|NZ|S)?|£|€|¥)\s?$")
_CURRENCY_CODE = {"": "USD", "US": "USD", "A": "AUD", "AU": "AUD", "C": "CAD", "CA": "CAD", "NZ": "NZD"}
_CURRENCY_CODE.update({"S": "SGD", "HK": "HKD", "£": "GBP", "€": "EUR", "¥": "JPY"})

# unit word -> (dimension, factor to the base unit)
_UNIT_TABLE: dict[str, tuple[str, float]] = {}
for _names, _dim, _f in [
    ("%|per cent|percent|pc|per-cent", "percent", 1.0),
    ("year-old|years-old|year old|years old", "age", 1.0),
    ("years|year|yrs|yr", "days", 365.0),
    ("decades|decade", "days", 3650.0),
    ("months|month", "days", 30.0),
    ("weeks|week", "days", 7.0),
    ("days|day", "days", 1.0),
    ("hours|hour|hrs", "hours", 1.0),
    ("minutes|minute|mins", "hours", 1 / 60),
    ("g|grams|gram|gramme|grammes", "g", 1.0),
    ("kg|kilograms|kilogram|kilos|kilo", "g", 1000.0),
    ("tonnes|tonne|tons|ton", "g", 1e6),
    ("lb|lbs|pounds", "g", 453.6),
    ("km|kilometres|kilometers|kilometre|kilometer", "m", 1000.0),
    ("miles|mile", "m", 1609.3),
    ("m|metres|meters|metre|meter", "m", 1.0),
    ("cm|centimetres|centimeters", "m", 0.01),
    ("feet|foot|ft", "m", 0.3048),
    ("inches|inch", "m", 0.0254),
    ("cents|cent", "money", 0.01),
    ("dollars|dollar", "money", 1.0),
]:
    for _n in _names.split("|"):
        _UNIT_TABLE[_n] = (_dim, _f)
_UNIT_AFTER = re.compile(
    r"^(?:\s*-\s*|\s+|-|)("
    + "|".join(re.escape(u) for u in sorted(_UNIT_TABLE, key=len, reverse=True))
    + r")(?![\w])",
    re.IGNORECASE,
)
_SCALE_AFTER = re.compile(
    r"^(?:\s+|-)?(hundred|thousand|million|billion|trillion|bn|m)(?![\w])", re.IGNORECASE
)
_RANGE_AFTER = re.compile(
    rf"^\s*(?:-|\u2013|\u2014|to|and)\s*(\$?(?:{_DIGITS}|{_WORDNUM}))(?![\w/])", re.IGNORECASE
)


@dataclass(frozen=True)
class NumMention:
    """One quantity found in one article (offsets into that article's text)."""

    start: int
    end: int
    text: str
    low: float
    high: float
    exact: float | None  # the stated figure in the base unit (None for hedged or ranged figures)
    dim: str  # count, percent, money:USD, days, age, m, g, hours, year, date
    hedge: str | None = None
    is_range: bool = False
    converted: bool = False  # stated in a non-base unit (feet, decades) or with a conversion beside it
    relative: str | None = None  # "last year" etc. when the year was resolved from the date
    small: bool = False  # a small integer (<= 12): needs context to be linked
    month: int | None = None  # "June 2011": the month of a year mention
    open_high: bool = False  # "over 80": the upper bound is a cap for matching (2x), not stated


def _wordnum_value(s: str) -> float | None:
    s = s.lower().replace("-", " ").strip()
    if s == "a dozen":
        return 12.0
    parts = s.split()
    total = 0.0
    for p in parts:
        if p in _TENS_WORDS:
            total += _TENS_WORDS[p]
        elif p in _UNITS_WORDS:
            total += _UNITS_WORDS[p]
        else:
            return None
    return total


def _core_value(s: str) -> tuple[float | None, bool]:
    """Value of a core number; second item: is it a fraction (percent)."""
    t = s.lower().replace("\u2013", "-")
    m = re.fullmatch(r"(a|one|two|three|four|\w+)[- ](\w+)", t)
    if m and m.group(2) in _FRACTIONS:
        num = 1.0 if m.group(1) in ("a", "one") else _wordnum_value(m.group(1))
        if num is None:
            return None, False
        return num * _FRACTIONS[m.group(2)], True
    if t[0].isdigit():
        try:
            return float(t.replace(",", "")), False
        except ValueError:
            return None, False
    return _wordnum_value(t), False


def _year_of_url(url: str | None) -> int | None:
    m = re.search(r"/((?:19|20)\d\d)/(?:\d\d|[a-z]{3})/", url or "")
    return int(m.group(1)) if m else None


def reference_year(url: str | None, published: datetime | None) -> tuple[int | None, bool]:
    """The year "last year" counts from, and whether it is trustworthy (a dated URL) or a guess."""
    y = _year_of_url(url)
    if y:
        return y, True
    if published is not None:
        return published.year, False
    return None, False


def find_numbers(text: str, ref_year: int | None = None, ref_sure: bool = False) -> list[NumMention]:
    """All quantities in ``text``, in text order, without overlaps."""
    out: list[NumMention] = []
    taken = bytearray(len(text) + 1)  # 1 where a mention already is

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def add(m: NumMention) -> None:
        out.append(m)
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)

    for rx, order in ((_DATE_MDY, "mdy"), (_DATE_DMY, "dmy")):
        for m in rx.finditer(text):
            if not free(m.start(), m.end()):
                continue
            mon, day = (m.group(1), m.group(2)) if order == "mdy" else (m.group(2), m.group(1))
            month = _MONTHS.get(mon.lower().rstrip("."), 0)
            v = float(int(m.group(3)) * 10000 + month * 100 + int(day))
            add(NumMention(m.start(), m.end(), m.group(0), v, v, v, "date"))
    for m in _MONTH_YEAR.finditer(text):
        if free(m.start(), m.end()) and m.group(1).lower().rstrip(".") in _MONTHS:
            y = float(m.group(2))
            add(
                NumMention(
                    m.start(),
                    m.end(),
                    m.group(0),
                    y,
                    y,
                    y,
                    "year",
                    month=_MONTHS[m.group(1).lower().rstrip(".")],
                )
            )
    for m in _DECADE.finditer(text):
        if free(m.start(), m.end()):
            y = float(m.group(1))
            add(NumMention(m.start(), m.end(), m.group(0), y, y + 9, None, "year", is_range=True))
    if ref_year is not None:
        for m in _RELATIVE_YEAR.finditer(text):
            if free(m.start(), m.end()):
                rel = m.group(1).lower()
                y = float(ref_year + {"last": -1, "previous": -1, "past": -1, "next": 1}.get(rel, 0))
                key = f"{rel} year" + ("" if ref_sure else " (unsure)")
                add(NumMention(m.start(), m.end(), m.group(0), y, y, y, "year", relative=key))
    for m in _CORE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        nm = _build(text, m.start(), m.end(), m.group(0))
        if nm is not None and free(nm.start, nm.end):
            add(nm)
    out.sort(key=lambda x: x.start)
    return out


def _build(text: str, s: int, e: int, core: str) -> NumMention | None:
    value, is_frac = _core_value(core)
    if value is None:
        return None
    low_core = core.lower()
    if low_core in ("one", "zero"):
        return None
    after = text[e : e + 40]
    before = text[max(0, s - 40) : s]
    # times, phone numbers, ordinals, scores, versions
    if re.match(r"^\s?(?:a\.?m\.?|p\.?m\.?)(?![a-z])", after, re.IGNORECASE) or re.match(
        r"^(?:st|nd|rd|th)\b", after
    ):
        return None
    if re.match(r"^-\d+-\d", after) or re.match(r"^[a-z]+\d", after, re.IGNORECASE):
        return None
    if re.match(r"^:\d", after):
        return None
    cur = _CURRENCY_BEFORE.search(before)
    if s > 0 and text[s - 1].isalpha() and not cur:
        return None
    start, end = s, e
    dim = "count"
    factor = 1.0
    converted = False
    is_range = False
    high_value = value
    if is_frac:
        dim = "percent"
    if cur and not is_frac:
        sym = cur.group(1)
        code = re.sub(r"[$\s]", "", sym)
        dim = "money:" + _CURRENCY_CODE.get(code, code or "USD")
        start = s - len(cur.group(0))
    sc = _SCALE_AFTER.match(after)
    if sc and not (sc.group(1).lower() == "m" and not dim.startswith("money")):
        factor *= _SCALES[sc.group(1).lower()]
        end = e + sc.end()
    rg = _RANGE_AFTER.match(text[end : end + 40])
    if rg:
        sep_and = re.match(r"^\s*and", text[end : end + 10], re.IGNORECASE)
        v2, _ = _core_value(rg.group(1).lstrip("$"))
        ok_and = bool(re.search(r"(?:between|aged|ages of)\s+\S*$", before, re.IGNORECASE))
        from_to = bool(re.search(r"\bfrom\s+\S*$", before, re.IGNORECASE)) or dim.startswith("money")
        if v2 is not None and v2 > value and (ok_and or not (sep_and or from_to)):
            high_value = v2
            is_range = True
            end = end + rg.end()
            sc2 = _SCALE_AFTER.match(text[end : end + 20])
            if sc2 and sc2.group(1).lower() != "m":
                end += sc2.end()
    un = _UNIT_AFTER.match(text[end : end + 30])
    if un and not is_frac and not (dim.startswith("money") and un.group(1).lower() not in ("cents", "cent")):
        u = un.group(1).lower()
        udim, f = _UNIT_TABLE[u]
        if udim == "money":
            dim = "money:USD" if not dim.startswith("money") else dim
        elif u == "m" and re.match(r"^\s*m\s+[a-z]", text[end : end + 6]) is None and dim == "count":
            dim = udim
        elif u != "m":
            dim = udim
        if dim == udim or udim == "money":
            factor *= f
            converted = (f != 1.0 and udim != "money") or converted
            end = end + un.end()
    elif is_frac:
        pass
    else:
        pc = re.match(r"^\s*(?:%|per cent|percent)", text[end : end + 12], re.IGNORECASE)
        if pc:
            dim = "percent"
            end += pc.end()
    # age phrases: "aged 50", "the age of 50", "Rogers, 76,"
    hedge_m = _HEDGE_RE.search(text[max(0, start - 25) : start])
    hedge = None
    op = "="
    if hedge_m:
        hedge = hedge_m.group(1).lower()
        op = _HEDGE_OP.get(hedge, "=")
        if hedge not in ("some", "estimated"):  # the cross-source gold leaves these out of the phrase
            start = start - (len(text[max(0, start - 25) : start]) - hedge_m.start(1))
    if op == "age" and dim == "count":
        dim = "age"
    if dim == "count" and not is_range and re.fullmatch(r"\d{4}", core) and 1900 <= value <= 2099:
        if not re.match(r"^\s*(?:people|persons|residents|workers|troops|cases|members|votes|bids)\b", after):
            return NumMention(start, end, text[start:end], value, value, value, "year")
    # a conversion in parentheses right after: "40-foot (12-metre)", "$US2.5 million ($A2.7 million)"
    par = re.match(r"^\s*\(([^()]{1,30})\)", text[end : end + 34])
    if par and re.search(r"\d", par.group(1)):
        end += par.end()
    lo, hi = value * factor, high_value * factor
    if dim == "percent" and not is_frac and lo > 100:
        return None
    exact: float | None = lo if not is_range else None
    if is_range:
        pass  # a range states its bounds: a hedge on it ("around 10 to 14") does not widen them
    elif op == ">=":  # "more than 30": matched as [30, 60]; "Forty-seven" agrees, "100,000" does not
        hi = lo * 2
        exact = None
    elif op == "<=":  # "up to $2,000": [1000, 2000]
        lo = lo / 2
        exact = None
    elif op == "~":
        lo, hi = lo * 0.9, hi * 1.1
        exact = None
    elif op == "~<":
        lo = lo * 0.9
        exact = None
    small = dim == "count" and not is_range and value <= 12 and float(value).is_integer()
    phrase = text[start:end]
    if phrase[-1:] in ",;:":
        end -= 1
        phrase = text[start:end]
    return NumMention(
        start,
        end,
        phrase,
        lo,
        hi,
        exact,
        dim,
        hedge=hedge,
        is_range=is_range,
        converted=converted,
        small=small,
        open_high=op == ">=" and not is_range,
    )
