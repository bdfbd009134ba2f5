"""Trend: a measure month by month and over rolling 12 months, with its control chart and signals."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from citizenfocus.performance import charts
from citizenfocus.performance.cube import Cube
from citizenfocus.performance.figures import estimates, record
from citizenfocus.performance.models import ChangePoint
from citizenfocus.stats.control import control_chart
from citizenfocus.stats.periods import month_date, month_name

from .base import Column, Filters, PageResult, Table

ROLLING_MONTHS = 12


def _rolling(monthly: pd.DataFrame, length: int = ROLLING_MONTHS) -> pd.DataFrame:
    """Pooled sums of the `length` months to each month (not an average of monthly rates)."""
    rolled = monthly.rolling(length, min_periods=length).sum()
    return rolled.fillna(0.0)


def _change_points(filters: Filters, first: int, last: int) -> dict[int, str]:
    """Month number → reason, for the analysts' change points inside the chart."""
    found = ChangePoint.objects.filter(survey_key=filters.survey, archived=False).filter(
        measure__in=["", filters.measure.key]
    )
    points = {}
    for cp in found:
        number = cp.month.year * 12 + cp.month.month - 1
        if first < number <= last:
            points[number] = cp.reason
    return points


def _points(months, monthly, rolling, chart, *, skip: int) -> list[dict]:
    """One row per month; the first `skip` months (before the question was first asked) with no figures."""
    signals = {}
    for signal in chart.signals if chart else ():
        for index in signal.indices:
            signals.setdefault(index, []).append(signal.explanation)
    # the columns as plain rows once: a pandas row selection per month was most of a trend page's time
    wanted = ["n", "rate", "ci_low", "ci_high"]
    by_month, by_window = monthly[wanted].to_dict("records"), rolling[wanted].to_dict("records")
    points = [None] * skip + list(chart.points if chart else ())
    rows = []
    for i, (number, point) in enumerate(zip(months, points, strict=True)):
        row = {"month": month_date(number).isoformat(), "label": month_name(number)}
        row.update(record(by_month[i]))
        roll = record(by_window[i], "rolling_")
        if i < skip + ROLLING_MONTHS - 1:  # no full window of the question's months yet: no rolling figure
            roll = dict.fromkeys(roll)
        row.update(roll)
        if point is None:  # not asked: no centre line or limits to draw through it
            row.update({"centre": None, "lcl": None, "ucl": None, "signal": None})
        else:
            row.update({"centre": point.centre, "lcl": point.lower, "ucl": point.upper,
                        "signal": " ".join(signals.get(i, [])) or None})
        if skip:
            row["note"] = NOT_ASKED if point is None else None
        rows.append(row)
    return rows


def _months_not_asked(cube: Cube, measure, months) -> int:
    """How many of the trend's first months come before the question was first asked, anywhere in the survey:
    they are not months of a rate, so they stay off the chart, out of its centre line and limits, and out of
    every rolling window. A month with no answers after it is a gap like any other."""
    asked = cube.first_answered(measure.key)
    return len(months) if asked is None else max(asked - int(months[0]), 0)


def _chart(labels, rates, bases, change_points: dict[int, str], *, skip: int):
    """The control chart of the months the question was asked, its signals' indices into every month."""
    if skip == len(labels):
        return None
    chart = control_chart(labels[skip:], rates[skip:], bases[skip:],
                          change_points={month_name(n): reason for n, reason in change_points.items()})
    points = tuple(replace(p, index=skip + p.index) for p in chart.points)
    signals = tuple(replace(s, indices=tuple(skip + i for i in s.indices)) for s in chart.signals)
    return replace(chart, points=points, signals=signals)


def _kind(chart) -> str:
    return "Laney p′-chart" if chart and chart.kind == "laney" else "p-chart"


def _headline(measure, chart, months, skip: int) -> list[str]:
    lines = []
    if skip == len(months):
        lines.append(f"{measure.label}: no answers yet; the question has not been asked in any month.")
    elif skip:
        lines.append(f"{measure.label}: the question was first asked in {month_name(months[skip])}. The months "
                     "before it are not on the chart and count in none of its figures (the table marks them "
                     "not asked).")
    if chart:
        lines += [_sentence(s) for s in chart.signals] or [
            f"No signals: every month of {measure.label.lower()} is within what chance alone would give "
            f"({_kind(chart)})."]
    return lines


def build(cube: Cube, filters: Filters, **_) -> PageResult:
    measure = filters.measure
    first, last = cube.first_month, cube.last_month
    months = np.arange(first, last + 1)
    skip = _months_not_asked(cube, measure, months)
    sums = cube.monthly(filters.slice(cube), measure.key, first=first, last=last)
    monthly = estimates(sums, cube=cube)
    rolling = estimates(_rolling(sums), cube=cube)
    labels = [month_name(m) for m in months]
    rates = [None if np.isnan(r) else float(r) for r in monthly["rate"]]
    bases = [0.0 if np.isnan(b) else float(b) for b in monthly["n_eff"]]
    change_points = _change_points(filters, first + skip, last)
    chart = _chart(labels, rates, bases, change_points, skip=skip)
    rows = _points(months, monthly, rolling, chart, skip=skip)
    # Σw per month: the rolling rate pools Σwy/Σw, so a report can say which month leaving or entering
    # the window moved it (the base effect) from these rows alone
    weights = sums["sw"].sum(axis=1) if isinstance(sums.columns, pd.MultiIndex) else sums["sw"]
    for row, weight in zip(rows, weights.to_numpy(dtype=float), strict=True):
        row["sw"] = float(weight)
    result = PageResult(title=f"Trend: {measure.label}, {filters.area_label()}",
                        headline=_headline(measure, chart, months, skip))
    result.charts["trend"] = charts.trend_chart(
        rows[skip:], title=f"{measure.label}: monthly rate, rolling 12 months and {_kind(chart)} limits",
        change_points=[{"month": month_date(n).isoformat(), "reason": reason} for n, reason in change_points.items()],
    )
    result.chart_tables["trend"] = "months"
    result.tables["months"] = Table(f"{measure.label} by month, with rolling 12 months and control limits",
                                    TREND_COLUMNS[:1] + [NOTE_COLUMN] + TREND_COLUMNS[1:] if skip else TREND_COLUMNS,
                                    rows)
    result.tables["signals"] = Table("Signals: months that are unlikely to be chance", SIGNAL_COLUMNS,
                                     [{**s.as_dict(), "points": ", ".join(s.points)} for s in chart.signals]
                                     if chart else [],
                                     empty="No signals: every month is within what chance alone would give."
                                     if chart else "No months to look at: the question has not been asked yet.")
    result.extra = {"chart_kind": chart.kind if chart else None,
                    "segments": [s.as_dict() for s in chart.segments] if chart else [],
                    "first_asked": month_date(months[skip]).isoformat() if skip < len(months) else None,
                    "filters": filters.as_dict()}
    return result


def _sentence(signal) -> str:
    if len(signal.points) == 1:
        return signal.explanation
    return f"{signal.points[0]} to {signal.points[-1]}: {signal.explanation}"


NOT_ASKED = "Not asked yet"
NOTE_COLUMN = Column("note", "Note")  # beside the month, on a trend that starts after the survey's first month
TREND_COLUMNS = [
    Column("label", "Month"),
    Column("rate", "Rate", "rate"), Column("n", "Base (n)", "int"),
    Column("ci_low", "95% interval from", "rate"), Column("ci_high", "to", "rate"),
    Column("rolling_rate", "Rolling 12 months", "rate"), Column("rolling_n", "Rolling base (n)", "int"),
    Column("centre", "Centre line", "rate"), Column("lcl", "Lower limit", "rate"), Column("ucl", "Upper limit", "rate"),
    Column("signal", "Signal"),
]
SIGNAL_COLUMNS = [Column("title", "Rule"), Column("points", "Months"), Column("explanation", "What it means")]
