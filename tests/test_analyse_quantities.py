"""Number phrases: digits and words, fractions, money, hedges, ranges; what is counted; dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsweave.analyse import extract_quantities, parse_quantity


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "unit", "hedge"),
    [
        ("a fifth", 20.0, 20.0, 20.0, "percent", None),
        ("approximately 20%", 20.0, None, None, "percent", "approximately"),
        ("around a fifth", 20.0, None, None, "percent", "around"),
        ("two-thirds", 200 / 3, 200 / 3, 200 / 3, "percent", None),
        ("20 per cent", 20.0, 20.0, 20.0, "percent", None),
        ("over 80", 80.0, 80.0, None, None, "over"),
        ("at least 14", 14.0, 14.0, None, None, "at least"),
        ("up to 300", 300.0, None, 300.0, None, "up to"),
        ("twelve", 12.0, 12.0, 12.0, None, None),
        ("a dozen", 12.0, 12.0, 12.0, None, None),
        ("twenty-five", 25.0, 25.0, 25.0, None, None),
        ("one hundred and twenty", 120.0, 120.0, 120.0, None, None),
        ("1.5 million", 1.5e6, 1.5e6, 1.5e6, None, None),
        ("$3bn", 3e9, 3e9, 3e9, "money:USD", None),
        ("€2.5 billion", 2.5e9, 2.5e9, 2.5e9, "money:EUR", None),
        ("between 10 and 15", None, 10.0, 15.0, None, None),
        ("10-15", None, 10.0, 15.0, None, None),
        ("dozens", None, 24, None, None, None),
        ("seven-eighths", 87.5, 87.5, 87.5, "percent", None),
        ("no more than 100", 100.0, None, 100.0, None, "no more than"),
        ("no less than 18", 18.0, 18.0, None, None, "no less than"),
        ("A$3m", 3e6, 3e6, 3e6, "money:AUD", None),
        ("7 pct", 7.0, 7.0, 7.0, "percent", None),
    ],
)
def test_parse_quantity(text, value, low, high, unit, hedge) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert q.value == (pytest.approx(value) if value is not None else None)
    assert q.low == (pytest.approx(low) if low is not None else None)
    assert q.high == (pytest.approx(high) if high is not None else None)
    assert q.unit == unit
    assert q.hedge == hedge


@pytest.mark.parametrize("text", ["", "the", "mayor", "one of them"[4:]])
def test_not_a_number(text: str) -> None:
    assert parse_quantity(text) is None


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_round_trip(n: int) -> None:
    for text in (str(n), f"{n:,}"):
        q = parse_quantity(text)
        assert q is not None and q.value == n


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["at least", "more than", "over"]))
def test_lower_bound_hedges(n: int, hedge: str) -> None:
    q = parse_quantity(f"{hedge} {n}")
    assert q is not None and q.low == n and q.high is None and q.hedge == hedge


@given(st.integers(min_value=0, max_value=99))
def test_number_words(n: int) -> None:
    units = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()
    units += "sixteen seventeen eighteen nineteen".split()
    tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()
    word = units[n] if n < 20 else tens[n // 10 - 2] + (f"-{units[n % 10]}" if n % 10 else "")
    q = parse_quantity(word)
    assert q is not None and q.value == n


def test_counted_noun_unit_and_year() -> None:
    text = "Since 2022 the strike killed 12 people; at least 14 soldiers and 20% of the territory were lost."
    got = {x.text: x for x in extract_quantities(text, "a")}
    assert got["2022"].kind == "year" and got["2022"].value == 2022
    assert got["12"].counted == "people" and got["12"].unit == "people"
    assert got["at least 14"].counted == "soldiers" and got["at least 14"].low == 14
    assert got["20%"].counted == "territory" and got["20%"].unit == "percent"
    for x in got.values():
        assert text[x.span.start : x.span.end] == x.text
        if x.counted_span:
            assert text[x.counted_span.start : x.counted_span.end].lower() == x.counted


def test_units_of_measure_and_spans_of_time() -> None:
    text = "It flew at 32,000 ft for the past seven years, carrying 110 lbs and No 10 staff; 16 grams each."
    got = {x.text: x for x in extract_quantities(text, "a")}
    assert got["32,000"].unit == "feet" and got["110"].unit == "lb" and got["16"].unit == "g"
    # "the past seven years" is a span, not a floor (the comparison reads "past 80" as one)
    assert got["seven"].unit == "years" and got["seven"].hedge is None and got["seven"].high == 7
    assert "10" not in got  # "No 10": a name


def test_no_quantity_in_names_and_times() -> None:
    text = "He spoke to BBC Radio 4 at 2:45 p.m. and was one of the first."
    assert [x.text for x in extract_quantities(text, "a") if x.kind == "number"] == []


def test_dates() -> None:
    pub = datetime(2025, 4, 25, tzinfo=UTC)
    got = {x.text: x for x in extract_quantities("On Monday and on April 2, 2024 and today.", "a", pub)}
    assert got["Monday"].resolved == "2025-04-21"
    assert got["April 2, 2024"].resolved == "2024-04-02"
    assert got["today"].resolved == "2025-04-25"


@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.%$abc-tofver")), max_size=60))
def test_spans_inside_text(text: str) -> None:
    for x in extract_quantities(text, "a"):
        assert 0 <= x.span.start < x.span.end <= len(text)
        assert text[x.span.start : x.span.end] == x.text


def test_ordinals_compounds_currencies_and_relative_dates() -> None:
    pub = datetime(2014, 4, 30, tzinfo=UTC)
    text = (
        "The 27 letters came in the fifth week of a seven-year battle; a 22-year-old was fined $US2.5 million "
        "($A2.7 million) before Game 5. The whale washed up last week, a week ago, and was sold in December "
        "after the ruling last month; the law takes effect next year."
    )
    got = {x.text: x for x in extract_quantities(text, "a", pub)}
    assert got["27"].counted == "letters" and got["27"].value == 27
    assert got["fifth"].kind == "ordinal" and got["fifth"].value == 5 and got["fifth"].counted == "week"
    assert got["seven-year"].value == 7 and got["seven-year"].unit == "years"
    assert got["22-year-old"].value == 22 and got["22-year-old"].unit == "years"
    assert got["$US2.5 million"].unit == "money:USD" and got["$US2.5 million"].value == 2.5e6
    assert got["$A2.7 million"].unit == "money:AUD"
    assert got["5"].kind == "ordinal" and got["5"].counted == "game"
    assert got["last week"].resolved == "2014-W17"
    assert got["a week ago"].resolved == "2014-04-23"
    assert got["December"].resolved == "2013-12"
    assert got["last month"].resolved == "2014-03"
    assert got["next year"].resolved == "2015"
