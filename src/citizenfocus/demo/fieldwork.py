"""When interviews happen: row number -> interview date, with no randomness.

Dates follow the row number (response ids run in date order, as in a real
export), so any slice of rows can be dated on its own: that is what lets the
generator work a chunk at a time and still give the same file for any batch
size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np

from .model import DEMO_FIRST_MONTH, DEMO_MONTHS

EPOCH = date(1970, 1, 1)  # Arrow's date32 counts days from here


def add_months(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def days(day: date) -> int:
    """Days since the epoch: Arrow's date32 value for this date."""
    return (day - EPOCH).days


@dataclass(frozen=True)
class Fieldwork:
    """Periods of fieldwork (first day, number of days) and each one's share of interviews."""

    starts: np.ndarray  # date32 day numbers
    lengths: np.ndarray
    weights: np.ndarray

    def interview_days(self, start: int, stop: int, size: int) -> np.ndarray:
        """date32 interview day of rows start..stop-1 out of size, spread evenly within each period."""
        cumulative = np.cumsum(self.weights)
        position = (np.arange(start, stop, dtype=np.float64) + 0.5) / size * cumulative[-1]
        period = np.searchsorted(cumulative, position, side="right").clip(0, len(self.weights) - 1)
        before = cumulative[period] - self.weights[period]
        within = ((position - before) / self.weights[period]).clip(0.0, 1.0 - 1e-12)
        return self.starts[period] + np.floor(within * self.lengths[period]).astype(np.int64)


def _periods(months_each: int, count: int, weights) -> Fieldwork:
    firsts = [add_months(DEMO_FIRST_MONTH, i * months_each) for i in range(count + 1)]
    starts = np.asarray([days(d) for d in firsts], dtype=np.int64)
    return Fieldwork(starts[:-1], np.diff(starts), np.asarray(weights, dtype=np.float64))


@cache
def monthly_fieldwork() -> Fieldwork:
    """36 months from April 2011; a little more victim work in summer, when there is more crime."""
    month_index = np.arange(DEMO_MONTHS)
    weights = 1.0 + 0.08 * np.cos(2 * np.pi * (month_index - 3) / 12)  # peak in July
    return _periods(1, DEMO_MONTHS, weights)


@cache
def quarterly_fieldwork() -> Fieldwork:
    """12 quarters from April 2011, the same number of interviews in each."""
    return _periods(3, DEMO_MONTHS // 3, np.ones(DEMO_MONTHS // 3))


def month_index(day_numbers: np.ndarray) -> np.ndarray:
    """Months since DEMO_FIRST_MONTH for date32 day numbers."""
    as_dates = (day_numbers.astype("datetime64[D]")).astype("datetime64[M]").astype(np.int64)
    first = np.datetime64(DEMO_FIRST_MONTH, "M").astype(np.int64)
    return as_dates - first
