"""Find quantities in article text and normalise them for the comparison: the one number finder.

The analysis runs it once per article and stores each figure (:mod:`newsweave.analyse.figures`); the
comparison reads the stored figures (and runs it itself only for an analysis stored before they were kept).
It lives with the analysis, the earlier stage, so no stage imports a later one.

The number words, fractions, scales, currencies, hedges and units are read with the tables and helpers of
:mod:`newsweave.analyse.numbers` (the one place numbers are parsed, shared with the analysis); this module
adds how the comparison scans running text and turns each figure into an interval.

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

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime

from newsweave.analyse.numbers import (
    CURRENCY,
    CURRENCY_WORDS,
    DIGITS,
    DOLLAR_PREFIX,
    FRACTIONS,
    HEDGES,
    MEASURES,
    MONTHS,
    SCALE_WORDS,
    SCALES,
    TENS,
    UNITS,
    core_value,
    currency_code,
)
from newsweave.model import Analysis, Figure, FigureFields, Quantity
from newsweave.text import STOP_WORDS

# scanning patterns built from the shared tables
_UW = "|".join(sorted(UNITS, key=len, reverse=True))
_TW = "|".join(TENS)
_DIGIT_WORDS = "|".join(w for w, v in UNITS.items() if 1 <= v <= 9)
_WORDNUM = rf"(?:(?:{_TW})(?:[- ](?:{_DIGIT_WORDS}))?|{_UW}|a dozen)"
_FRAC = rf"(?:a|{_UW})[- ](?:{'|'.join(FRACTIONS)})"
# a number word is not tried where it starts inside a word: ``_build`` turns down every figure right after a
# letter unless a currency sign ends there ("$US2.5"), and a number word glued to a sign ("$USfive") is left
# out now; a four times faster scan (1.9 -> 0.6 ms per galaxy article), identical mentions on all 369
_CORE = re.compile(
    rf"(?<![\d.,/:-])(?:(?<![A-Za-z])(?:{_FRAC}|{_WORDNUM})(?![\w/])|(?:{DIGITS})(?![\d/]|[.,]\d))",
    re.IGNORECASE,
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

_HEDGE_RE = re.compile(
    r"(?:^|(?<=\W))(" + "|".join(re.escape(h) for h in sorted(HEDGES, key=len, reverse=True)) + r")\s+$",
    re.IGNORECASE,
)
_DOLLAR = "|".join(sorted((p.upper() for p in DOLLAR_PREFIX if p), key=len, reverse=True))
_CURRENCY_BEFORE = re.compile(
    rf"((?:{_DOLLAR})?\$(?:{_DOLLAR})?|\bRs\.?|"
    + "|".join(re.escape(c) for c in CURRENCY if c not in ("$", "Rs", "Rs."))
    + r")\s?$"
)
_UNIT_AFTER = re.compile(
    r"^(?:\s*-\s*|\s+|-|)("
    + "|".join(re.escape(u) for u in sorted(MEASURES, key=len, reverse=True))
    + r")(?![\w])",
    re.IGNORECASE,
)
# "m" after a figure is millions only after money (else metres); "k", "b" and the like are left out
_SCALE_AFTER = re.compile(rf"^(?:\s+|-)?({'|'.join(SCALE_WORDS)}|bn|m)(?![\w])", re.IGNORECASE)
_RANGE_AFTER = re.compile(
    rf"^\s*(?:-|\u2013|\u2014|to|and)\s*(\$?(?:{DIGITS}|{_WORDNUM}))(?![\w/])", re.IGNORECASE
)


@dataclass(frozen=True, kw_only=True)
class NumMention(FigureFields):
    """One quantity found in one article: a figure's reading (:class:`~newsweave.model.FigureFields`, the
    fields a stored :class:`~newsweave.model.Figure` has too) and where it is (offsets into that article's
    text). Not a Figure itself, so a mention is never stored as one by mistake."""

    start: int
    end: int
    text: str


_FIGURE_FIELDS = dataclasses.fields(Figure)


def mention_of(q: Quantity) -> NumMention | None:
    """The mention an analysis stored as ``q`` (None when ``q`` carries no figure: a weekday, a quantity
    stored before figures were kept)."""
    f = q.figure
    if f is None:
        return None
    # a mention is its span and text plus a Figure's fields (both declared by FigureFields)
    return NumMention(
        start=q.span.start,
        end=q.span.end,
        text=q.text,
        **{k.name: getattr(f, k.name) for k in _FIGURE_FIELDS},
    )


def stored_mentions(an: Analysis) -> list[NumMention] | None:
    """The mentions of an article's stored analysis, relative years unresolved (as :func:`find_mentions`
    gives them); None when it has none (an analysis stored before figures were kept, or made without
    quantities: the finder is then run on the text, which gives an analysis with no figure the same)."""
    out = [m for m in map(mention_of, an.quantities) if m is not None]
    return out or None


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
    """All quantities in ``text``, in text order, without overlaps; "last year" and the like counted from
    ``ref_year`` (left out without one)."""
    return resolve_years(find_mentions(text), ref_year, ref_sure)


# "last year" and the like: the offset from the reference year
_YEAR_OFFSETS = {"last": -1, "previous": -1, "past": -1, "next": 1, "this": 0}


def resolve_years(
    mentions: list[NumMention], ref_year: int | None, ref_sure: bool = False
) -> list[NumMention]:
    """``mentions`` with each unresolved relative year (:func:`find_mentions`) counted from ``ref_year``:
    "last year" of 2014 is the year 2013, keyed ``"last year"`` (``"last year (unsure)"`` when the reference
    year is a guess, not a dated URL). Without a reference year they are left out."""
    out = []
    for m in mentions:
        if m.relative is None or m.relative not in _YEAR_OFFSETS:
            out.append(m)
        elif ref_year is not None:
            y = float(ref_year + _YEAR_OFFSETS[m.relative])
            key = f"{m.relative} year" + ("" if ref_sure else " (unsure)")
            out.append(dataclasses.replace(m, low=y, high=y, exact=y, relative=key))
    return out


def find_mentions(text: str) -> list[NumMention]:
    """All quantities in ``text``, in text order, without overlaps, depending on nothing but the text: a
    relative year ("last year") is kept unresolved, its ``relative`` the bare word ("last", "next") and its
    values the offset in years, until :func:`resolve_years` counts it from the story's reference year. What
    the analysis stores and the comparison reads (:func:`find_numbers` is this, resolved)."""
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
            month = MONTHS.get(mon.lower().rstrip("."), 0)
            v = float(int(m.group(3)) * 10000 + month * 100 + int(day))
            add(NumMention(v, v, v, "date", start=m.start(), end=m.end(), text=m.group(0)))
    for m in _MONTH_YEAR.finditer(text):
        if free(m.start(), m.end()) and m.group(1).lower().rstrip(".") in MONTHS:
            y = float(m.group(2))
            add(
                NumMention(
                    y,
                    y,
                    y,
                    "year",
                    month=MONTHS[m.group(1).lower().rstrip(".")],
                    start=m.start(),
                    end=m.end(),
                    text=m.group(0),
                )
            )
    for m in _DECADE.finditer(text):
        if free(m.start(), m.end()):
            y = float(m.group(1))
            add(
                NumMention(
                    y, y + 9, None, "year", is_range=True, start=m.start(), end=m.end(), text=m.group(0)
                )
            )
    for m in _RELATIVE_YEAR.finditer(text):
        if free(m.start(), m.end()):
            rel = m.group(1).lower()
            off = float(_YEAR_OFFSETS[rel])
            add(
                NumMention(off, off, off, "year", relative=rel, start=m.start(), end=m.end(), text=m.group(0))
            )
    for m in _CORE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        nm = _build(text, m.start(), m.end(), m.group(0))
        if nm is not None and free(nm.start, nm.end):
            add(nm)
    out.sort(key=lambda x: x.start)
    return out


# Identifiers and labels are not quantities: "Flight 17", "Boeing 777", "Article 5", "Resolution 2254",
# "BBC Radio 4", "bus No. 142", "route 9". A figure right after one of these nouns, or after any capitalised
# word that is not a function word, a hedge, a month or a weekday, is a name's part, not an amount.
_LABEL_NOUNS = (
    "flight|article|section|resolution|route|channel|radio|no\\.|nos\\.|number|model|chapter|room|gate|"
    "version|phase|stage|level|category|grade|class|type|bus|line|platform|terminal|amendment|rule|paragraph|"
    "clause|title|bill|highway|interstate|exit|page|item|unit|block|ward|district|precinct|division|league|"
    "season|episode|volume|issue|part|proposition|lot|pier|berth|runway|track|lane|road|street|avenue|"
    "apollo|boeing|airbus|windows|formula|code|decree"
)
_LABEL_BEFORE = re.compile(rf"(?:\b(?:{_LABEL_NOUNS})\s*#?|#)\s?$", re.IGNORECASE)
_CAP_BEFORE = re.compile(r"\b([A-Z][A-Za-z]*)\s$")
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_MONTH_DAY_BEFORE = re.compile(rf"\b{_MONTH_RE}\s$", re.IGNORECASE)


def is_label(before: str) -> bool:
    """Whether a figure after ``before`` is part of a name or label rather than an amount."""
    if _LABEL_BEFORE.search(before):
        return True
    m = _CAP_BEFORE.search(before)
    if not m:
        return False
    w = m.group(1).lower()
    return not (
        w in STOP_WORDS or w in HEDGES or w in _WEEKDAYS or w.rstrip(".") in MONTHS or len(w) == 1
        or w in ("some", "nearly", "almost", "about", "around", "over", "under", "roughly", "just", "only", "all")
    )  # fmt: skip


def _build(text: str, s: int, e: int, core: str) -> NumMention | None:
    value, is_frac = core_value(core)
    if value is None:
        return None
    before40 = text[max(0, s - 40) : s]
    if (
        core[:1].isdigit()
        and (is_label(before40) or _MONTH_DAY_BEFORE.search(before40))
        and not _CURRENCY_BEFORE.search(before40)
    ):
        return None  # a label ("Flight 17") or a calendar day without its year ("July 1"): not compared
    low_core = core.lower()
    after = text[e : e + 40]
    if low_core == "zero" or (low_core == "one" and not _SCALE_AFTER.match(after)):
        return None  # "one" alone is an article more often than a figure; "one million" is a figure
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
    unit = ""
    is_range = False
    high_value = value
    if is_frac:
        dim = "percent"
    if cur and not is_frac:
        sym = cur.group(1)
        dim = "money:" + (currency_code(sym) or "USD")
        start = s - len(cur.group(0))
    sc = _SCALE_AFTER.match(after)
    if sc and not (sc.group(1).lower() == "m" and not dim.startswith("money")):
        factor *= SCALES[sc.group(1).lower()]
        end = e + sc.end()
    rg = _RANGE_AFTER.match(text[end : end + 40])
    if rg:
        sep_and = re.match(r"^\s*and", text[end : end + 10], re.IGNORECASE)
        v2, _ = core_value(rg.group(1).lstrip("$"))
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
        udim, f = MEASURES[u][1:]
        if udim == "money":  # "1 billion rupees"; "cents" after a sum keep its currency
            dim = dim if dim.startswith("money") else "money:" + CURRENCY_WORDS.get(u, "USD")
        elif u == "m" and re.match(r"^\s*m\s+[a-z]", text[end : end + 6]) is None and dim == "count":
            dim = udim
        elif u != "m":
            dim = udim
        if dim == udim or udim == "money":
            factor *= f
            converted = (f != 1.0 and udim != "money") or converted
            unit = MEASURES[u][0]
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
        op = HEDGES.get(hedge, "=")
        if hedge not in ("some", "estimated"):  # the cross-source gold leaves these out of the phrase
            start = start - (len(text[max(0, start - 25) : start]) - hedge_m.start(1))
    if op == "age" and dim == "count":
        dim = "age"
    if dim == "count" and not is_range and re.fullmatch(r"\d{4}", core) and 1900 <= value <= 2099:
        if not re.match(r"^\s*(?:people|persons|residents|workers|troops|cases|members|votes|bids)\b", after):
            return NumMention(value, value, value, "year", start=start, end=end, text=text[start:end])
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
    step = factor * _digit_step(core)
    phrase = text[start:end]
    if phrase[-1:] in ",;:":
        end -= 1
        phrase = text[start:end]
    return NumMention(
        lo,
        hi,
        exact,
        dim,
        start=start,
        end=end,
        text=phrase,
        hedge=hedge,
        is_range=is_range,
        converted=converted,
        small=small,
        unit=unit,
        open_high=op == ">=" and not is_range,
        step=step,
        strict=None if is_range or hedge is None else _STRICT.get(hedge),
    )


# hedges whose bound leaves the figure out ("more than 10,000" is not "up to 10,000"); "at least", "up to",
# "no more than" keep it
_STRICT = {
    **dict.fromkeys(
        ("more than", "over", "above", "exceeding", "well over", "just over", "upwards of"), "low"
    ),
    **dict.fromkeys(("in excess of",), "low"),
    **dict.fromkeys(("less than", "fewer than", "under", "below", "just under"), "high"),
}


def _digit_step(core: str) -> float:
    """The place value of the last digit of a figure as written: "54" -> 1, "53.99" -> 0.01, "four" -> 1;
    0 for fractions ("a fifth" is exact). Trailing zeros of whole numbers are not read as rounding."""
    c = core.replace(",", "")
    if not c[:1].isdigit():
        return 0.0 if any(f in c.lower() for f in FRACTIONS) else 1.0
    m = re.match(r"\d*\.(\d+)", c)
    if m:
        return 10.0 ** -len(m.group(1))
    return 1.0
