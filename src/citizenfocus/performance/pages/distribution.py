"""Distribution: a measure's question answered on its full scale, by group, with bases, beside the measure's rate.

Each answer's share is a rate like any other (those who gave that code among those who gave any code
on the scale; don't know and refused out of the base), read from the shares cube: the same sums,
domains and intervals as every other page.
"""

from __future__ import annotations

from citizenfocus.engine.indicators import resolve_period
from citizenfocus.performance import charts, words
from citizenfocus.performance.cube import Cube, get_cube
from citizenfocus.performance.figures import comparisons, record

from .base import Column, Filters, PageResult, Table
from .overview import GROUPS, _by_group

GROUP_LABELS = {"all": "All users", "white": "White", "bme": "BME"}
COLUMNS = [
    Column("answer", "Answer"), Column("code", "Code", "int"),
    *[c for g in GROUPS for c in (Column(f"{g}_rate", f"{GROUP_LABELS[g]}: share", "rate"),
                                  Column(f"{g}_ci_low", f"{GROUP_LABELS[g]}: 95% CI low", "rate"),
                                  Column(f"{g}_ci_high", f"{GROUP_LABELS[g]}: 95% CI high", "rate"),
                                  Column(f"{g}_n", f"{GROUP_LABELS[g]}: base (n)", "int"))],
]
RATE_COLUMNS = [
    Column("measure", "Measure"), Column("counts", "Counts as positive"),
    *[c for g in GROUPS for c in (Column(f"{g}_rate", f"{GROUP_LABELS[g]}: rate", "rate"),
                                  Column(f"{g}_n", f"{GROUP_LABELS[g]}: base (n)", "int"))],
    Column("gap_diff", "Gap (white minus BME, points)", "diff"), Column("gap_verdict", "Gap significance", "verdict"),
]


def _share_rows(shares: Cube, filters: Filters, months: tuple[int, int]) -> list[dict]:
    frame = filters.slice(shares)
    rows = []
    for share in shares.definition.share_measures(filters.measure.item_key):
        (code,) = share.scale.positive
        found = _by_group(shares, frame, share.key, months)
        row = {"answer": share.label, "code": code}
        for group in GROUPS:
            row.update(record(found.loc[group][["n", "rate", "ci_low", "ci_high"]], f"{group}_"))
        rows.append(row)
    return rows


def _rate_rows(cube: Cube, filters: Filters, months: tuple[int, int]) -> list[dict]:
    """Every measure derived from the same question (the rate, and the "neither" share where defined), each
    with its own gap in words."""
    frame = filters.slice(cube)
    rows = []
    for measure in (m for m in cube.definition.measures if m.item_key == filters.measure.item_key):
        found = _by_group(cube, frame, measure.key, months)
        labels = measure.scale.labels
        row = {"measure": measure.label, "counts": ", ".join(labels[c] for c in sorted(measure.scale.positive))}
        for group in GROUPS:
            row.update(record(found.loc[group][["n", "rate"]], f"{group}_"))
        gap = comparisons(found.loc[["white"]], found.loc[["bme"]]).iloc[0]
        row.update(record(gap[["diff", "verdict"]], "gap_"))
        row["gap_sentence"] = words.gap_sentence(row["gap_verdict"], row["gap_diff"], measure.label)
        row["gap_verdict"] = words.gap_verdict(row["gap_verdict"])
        rows.append(row)
    return rows


def _chart_rows(rows: list[dict]) -> list[dict]:
    return [{"group": GROUP_LABELS[g], "answer": r["answer"], "code": r["code"], "share": r[f"{g}_rate"] or 0.0,
             "n": r[f"{g}_n"]} for r in rows for g in GROUPS]


def build(cube: Cube, filters: Filters, **_) -> PageResult:
    measure = filters.measure
    item = cube.definition.item(measure.item_key)
    period = resolve_period(filters.period or None, latest=cube.last_month)
    months = (period.first, period.last)
    shares = get_cube(cube.survey_key, shares=True) or cube
    rows = _share_rows(shares, filters, months)
    result = PageResult(title=f"Distribution of answers: {item.label}, {filters.area_label()}, {period.label}")
    base = int(rows[0]["all_n"] or 0) if rows else 0
    result.headline = [f'"{item.question}" Each answer\'s share of the {base:,} who answered on the '
                       f"{item.scale.name} scale; don't know and refused are left out of the base."]
    result.tables["distribution"] = Table(
        caption=f"Share giving each answer by group, {period.label}, {filters.area_label()}",
        columns=COLUMNS, rows=rows)
    rate_rows = _rate_rows(cube, filters, months)
    result.headline += [row["gap_sentence"] for row in rate_rows]
    result.tables["rates"] = Table(caption=f"Measures derived from this question, {period.label}",
                                   columns=RATE_COLUMNS, rows=rate_rows)
    result.charts["distribution"] = charts.distribution_chart(
        _chart_rows(rows), title=f"{item.label}: answers by group, {period.label}")
    result.chart_tables["distribution"] = "distribution"
    result.extra = {"filters": filters.as_dict(), "period": period.as_dict(), "question": item.key,
                    "scale": item.scale.name, "design": cube.design()}
    return result
