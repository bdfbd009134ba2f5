"""Reporting periods as inclusive month ranges, from short spec strings.

    month:2014-03       March 2014
    quarter:2013-Q4     October to December 2013 (calendar quarters)
    fy:2013             financial year 2013/14: April 2013 to March 2014
    year:2013           January to December 2013
    rolling12:2014-03   12 months to March 2014 (any length: rolling3, rolling6 ...)

Months are counted as year·12 + month − 1 (`month_number`), so consecutive
months are consecutive integers, the same numbering the engine uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .methods import Method

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")

PERIOD_KINDS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("month", "Calendar month", "period-month", "month:2014-03"),
        Method("quarter", "Calendar quarter", "period-quarter", "quarter:2013-Q4"),
        Method("fy", "Financial year (April to March)", "period-fy", "fy:2013 = April 2013 to March 2014"),
        Method("year", "Calendar year", "period-year", "year:2013"),
        Method("rolling", "Rolling months", "period-rolling", "rolling12:2014-03 = 12 months to March 2014"),
    )
}

EXAMPLES = "rolling12:2014-03, month:2014-03, quarter:2013-Q4, fy:2013 or year:2013"
_SPEC = re.compile(r"^(?P<kind>[a-z]+?)(?P<length>\d+)?:(?P<value>.+)$")


def month_number(year: int, month: int) -> int:
    """Months since year 0: March 2014 → 2014·12 + 2. Consecutive months differ by 1."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1 to 12 (got {month})")
    return year * 12 + month - 1


def month_date(number: int) -> date:
    """The first day of month number `number` (inverse of `month_number`)."""
    return date(number // 12, number % 12 + 1, 1)


def month_name(number: int) -> str:
    """'March 2014' for a month number."""
    return f"{MONTH_NAMES[number % 12]} {number // 12}"


@dataclass(frozen=True)
class Period:
    """An inclusive range of months with the words a report uses for it."""

    kind: str
    first: int  # month_number of the first month
    last: int  # month_number of the last month, inclusive
    label: str

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    @property
    def first_date(self) -> date:
        return month_date(self.first)

    @property
    def last_date(self) -> date:
        return month_date(self.last)

    @property
    def spec(self) -> str:
        """The spec string that parses back to this period."""
        return _spec(self.kind, self.first, self.last)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "spec": self.spec, "label": self.label,
                "first_month": self.first_date.isoformat()[:7], "last_month": self.last_date.isoformat()[:7]}


def parse_period(spec: str) -> Period:
    """Read a period spec ('rolling12:2014-03', 'month:2014-03', 'quarter:2013-Q4',
    'fy:2013', 'year:2013'); a bad spec raises ValueError saying what was expected.

    Financial years run April to March (fy:2013 = April 2013 – March 2014), as
    in Home Office and HMIC reporting; statistics.md §6.
    """
    text = (spec or "").strip().lower()
    match = _SPEC.match(text)
    if not match:
        raise ValueError(f"period {spec!r} is not understood; write one of {EXAMPLES}")
    kind, length, value = match["kind"], match["length"], match["value"].strip()
    if kind == "rolling":
        months = int(length or 0)
        if not 1 <= months <= 120:
            raise ValueError(f"period {spec!r}: a rolling window needs 1 to 120 months, e.g. rolling12:2014-03")
        last = _month(value, spec)
        return _period("rolling", last - months + 1, last)
    if length is not None or kind not in PERIOD_KINDS:
        raise ValueError(f"period {spec!r}: unknown kind {kind + (length or '')!r}; write one of {EXAMPLES}")
    if kind == "month":
        month = _month(value, spec)
        return _period("month", month, month)
    if kind == "quarter":
        qm = re.fullmatch(r"(\d{4})-?q([1-4])", value)
        if not qm:
            raise ValueError(f"period {spec!r}: a quarter is written YYYY-Qn with n from 1 to 4, e.g. quarter:2013-Q4")
        first = month_number(int(qm[1]), 3 * int(qm[2]) - 2)
        return _period("quarter", first, first + 2)
    year = _year(value, spec)
    first = month_number(year, 4 if kind == "fy" else 1)
    return _period(kind, first, first + 11)


def comparison_shift(period: Period) -> int:
    """How many months back the period is compared: 12, or whole years enough not to overlap.

    A comparison treats the two periods as independent samples, so they must not share
    months: a 24-month window is compared with the 24 months before it, an 18-month
    one with the same 18 months two years earlier (whole years keep the season).
    """
    return 12 * max(1, -(-period.months // 12))


def previous_year(period: Period) -> Period:
    """The same period a year earlier, or as many whole years earlier as it takes not to overlap.

    12 months to March 2014 → 12 months to March 2013; 24 months to March 2014 →
    24 months to March 2012 (comparison_shift). The result never shares a month with `period`.
    """
    shift = comparison_shift(period)
    return _period(period.kind, period.first - shift, period.last - shift)


def comparison_words(period: Period) -> str:
    """'the same period last year', or 'the same period 2 years earlier' for a longer window."""
    years = comparison_shift(period) // 12
    return "the same period last year" if years == 1 else f"the same period {years} years earlier"


def _period(kind: str, first: int, last: int) -> Period:
    return Period(kind, first, last, _label(kind, first, last))


def _label(kind: str, first: int, last: int) -> str:
    year = first // 12
    if kind == "month":
        return month_name(first)
    if kind == "quarter":
        quarter = first % 12 // 3 + 1
        return f"Q{quarter} {year} ({MONTH_NAMES[first % 12]} to {month_name(last)})"
    if kind == "fy":
        return f"Financial year {year}/{(year + 1) % 100:02d} (April {year} to March {year + 1})"
    if kind == "year":
        return str(year)
    months = last - first + 1
    return f"{months} months to {month_name(last)}" if months > 1 else month_name(last)


def _spec(kind: str, first: int, last: int) -> str:
    ym = month_date(last).isoformat()[:7]
    if kind == "rolling":
        return f"rolling{last - first + 1}:{ym}"
    if kind == "month":
        return f"month:{ym}"
    if kind == "quarter":
        return f"quarter:{first // 12}-Q{first % 12 // 3 + 1}"
    return f"{kind}:{first // 12}"


def _month(value: str, spec: str) -> int:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"period {spec!r}: a month is written YYYY-MM with MM from 01 to 12, e.g. 2014-03")
    return month_number(int(match[1]), int(match[2]))


def _year(value: str, spec: str) -> int:
    if not re.fullmatch(r"\d{4}", value):
        raise ValueError(f"period {spec!r}: a year is written as four digits, e.g. fy:2013")
    return int(value)
