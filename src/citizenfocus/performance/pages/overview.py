"""Overview: each measure for all, white and BME users, the gap, last year and the target."""

from __future__ import annotations

import pandas as pd

from citizenfocus.engine.indicators import resolve_period
from citizenfocus.performance import charts, words
from citizenfocus.performance.cube import Cube
from citizenfocus.performance.figures import comparisons, estimates, record
from citizenfocus.performance.models import Target
from citizenfocus.stats.periods import comparison_words, previous_year

from .base import Column, Filters, PageResult, Table

GROUPS = ("all", "white", "bme")


def _by_group(cube: Cube, frame, measure: str, months: tuple[int, int]) -> pd.DataFrame:
    """Estimates for all users, white and BME users over the months.

    `frame` is the filters' cells of the engine cube (Cube.slice); the sums are Cube.sums, a slice of the one
    cube (engine/cube.py), read from the persisted monthly sums (engine/stored.py) - docs/engine.md traces it.
    """
    by_group = cube.sums(frame, measure, by=("ethnic_group",), months=months)
    rows = pd.DataFrame(
        [by_group.sum(), *(by_group.loc[g] if g in by_group.index else by_group.sum() * 0 for g in GROUPS[1:])],
        index=list(GROUPS),
    )
    return estimates(rows, cube=cube)


def _targets(filters: Filters) -> dict[tuple[str, str], float]:
    found = Target.objects.filter(
        survey_key=filters.survey, division=filters.division, neighbourhood=filters.neighbourhood
    )
    return {(t.measure, t.group): t.rate for t in found}


def _measure_row(cube: Cube, frame, measure, months, latest, previous, target, compared_with) -> dict:
    now = _by_group(cube, frame, measure.key, months)
    month = _by_group(cube, frame, measure.key, (latest, latest))
    before = _by_group(cube, frame, measure.key, previous)
    gap = comparisons(now.loc[["white"]], now.loc[["bme"]]).iloc[0]
    month_gap = comparisons(month.loc[["white"]], month.loc[["bme"]]).iloc[0]
    trend = comparisons(now.loc[["all"]], before.loc[["all"]]).iloc[0]
    row = {"measure": measure.key, "label": measure.label, "direction": measure.direction}
    for group in GROUPS:
        row.update(record(now.loc[group], f"{group}_"))
        row.update(record(month.loc[group][["n", "rate", "ci_low", "ci_high"]], f"month_{group}_"))
        row[f"{group}_low_base"] = words.low_base(row[f"{group}_n"])
    row.update(record(gap[["diff", "ci_low", "ci_high", "p", "verdict"]], "gap_"))
    row["gap_sentence"] = words.gap_sentence(row["gap_verdict"], row["gap_diff"], measure.label)
    row["gap_verdict"] = words.gap_verdict(row["gap_verdict"])
    row.update(record(month_gap[["diff", "verdict"]], "month_gap_"))
    row["month_gap_verdict"] = words.gap_verdict(row["month_gap_verdict"])
    row.update(record(before.loc["all"][["n", "rate"]], "last_year_"))
    row["last_year_diff"] = record(trend)["diff"]
    row["last_year_verdict"] = words.versus(words.trend_words(trend["verdict"]), compared_with)
    row["target"] = target
    row["target_verdict"] = words.against_target(row["all_rate"], row["all_ci_low"], row["all_ci_high"], target)
    return row


def build(cube: Cube, filters: Filters, **_) -> PageResult:
    period = resolve_period(filters.period or None, latest=cube.last_month)
    months = (period.first, period.last)
    before = previous_year(period)  # never overlapping the period itself
    previous = (before.first, before.last)
    frame = filters.slice(cube)
    targets = _targets(filters)
    rows = [
        _measure_row(cube, frame, m, months, period.last, previous, targets.get((m.key, "all")),
                     comparison_words(period))
        for m in cube.definition.measures
    ]
    latest_label = cube.month_label(period.last)
    result = PageResult(title=f"Overview: {filters.area_label()}, {period.label}")
    result.headline = [row["gap_sentence"] for row in rows]
    result.tables["rates"] = Table(
        caption=f"{'Satisfaction' if cube.definition.kind == 'victim' else 'Rates'} by measure, {period.label}, "
                f"{filters.area_label()}",
        columns=RATE_COLUMNS, rows=rows,
    )
    result.tables["latest_month"] = Table(
        caption=f"The latest month alone ({latest_label}): small bases, read with the 12-month figures",
        columns=MONTH_COLUMNS, rows=rows,
    )
    result.charts["rates"] = charts.rates_chart(_chart_rows(rows), title=f"Rates with 95% intervals, {period.label}")
    result.chart_tables["rates"] = "rates"
    result.extra = {"period": {"label": period.label, "first": cube.month_label(period.first),
                               "last": latest_label}, "filters": filters.as_dict()}
    return result


def _chart_rows(rows: list[dict]) -> list[dict]:
    return [
        {"label": r["label"], "group": g, "rate": r[f"{g}_rate"], "ci_low": r[f"{g}_ci_low"],
         "ci_high": r[f"{g}_ci_high"], "n": r[f"{g}_n"]}
        for r in rows for g in GROUPS if r[f"{g}_rate"] is not None
    ]


RATE_COLUMNS = [
    Column("label", "Measure"),
    Column("all_rate", "All users", "rate"), Column("all_n", "Base (n)", "int"),
    Column("white_rate", "White", "rate"), Column("white_n", "White base (n)", "int"),
    Column("bme_rate", "BME", "rate"), Column("bme_n", "BME base (n)", "int"),
    Column("gap_diff", "Gap (white minus BME, points)", "diff"),
    Column("gap_verdict", "Gap significance", "verdict"),
    Column("last_year_rate", "Same period last year", "rate"),
    Column("last_year_verdict", "Against last year", "verdict"),
    Column("target", "Target", "rate"),
    Column("target_verdict", "Against target", "verdict"),
]
MONTH_COLUMNS = [
    Column("label", "Measure"),
    Column("month_all_rate", "All users", "rate"), Column("month_all_n", "Base (n)", "int"),
    Column("month_white_rate", "White", "rate"), Column("month_white_n", "White base (n)", "int"),
    Column("month_bme_rate", "BME", "rate"), Column("month_bme_n", "BME base (n)", "int"),
    Column("month_gap_diff", "Gap (white minus BME, points)", "diff"),
    Column("month_gap_verdict", "Gap significance", "verdict"),
]
