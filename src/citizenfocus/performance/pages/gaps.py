"""Gap explorer: the white − BME gap by measure, crime type, age band, division and neighbourhood."""

from __future__ import annotations

import pandas as pd

from citizenfocus.engine.indicators import resolve_period
from citizenfocus.performance import charts, words
from citizenfocus.performance.cube import Cube, measure_sums
from citizenfocus.performance.figures import comparisons, estimates, record

from .base import Column, Filters, PageResult, Table

BREAKDOWNS = (
    ("crime_type", "Crime type"),
    ("age_band", "Age band"),
    ("division", "Division"),
    ("neighbourhood", "Neighbourhood"),
)


def gap_table(frame: pd.DataFrame, measure: str, *, by: tuple[str, ...], months, deft: float) -> pd.DataFrame:
    """White and BME estimates and their gap for every value of `by` (empty `by`: one row)."""
    sums = measure_sums(frame, measure, by=(*by, "ethnic_group"), months=months)
    if sums.empty:
        return pd.DataFrame()
    groups = sums.index.droplevel(-1).unique() if by else pd.Index([0])
    white = _side(sums, "white", groups, by)
    bme = _side(sums, "bme", groups, by)
    w, b = estimates(white, deft=deft), estimates(bme, deft=deft)
    gap = comparisons(w, b)
    out = pd.concat([w.add_prefix("white_"), b.add_prefix("bme_"), gap], axis=1)
    return out


def _side(sums: pd.DataFrame, group: str, index: pd.Index, by: tuple[str, ...]) -> pd.DataFrame:
    if by:
        part = sums.xs(group, level="ethnic_group") if group in sums.index.get_level_values(-1) else None
        return (part if part is not None else sums.iloc[:0].droplevel(-1)).reindex(index, fill_value=0.0)
    row = sums.loc[group] if group in sums.index else sums.iloc[0] * 0
    return pd.DataFrame([row], index=index)


def _rows(table: pd.DataFrame, label_of) -> list[dict]:
    rows = []
    for key, values in table.iterrows():
        row = record(values)
        row["label"] = label_of(key)
        row["verdict_words"] = words.gap_verdict(row["verdict"])
        rows.append(row)
    return sorted(rows, key=lambda r: -(r["diff"] if r["diff"] is not None else -9))


def build(cube: Cube, filters: Filters, **_) -> PageResult:
    period = resolve_period(filters.period or None, latest=cube.last_month)
    months = (period.first, period.last)
    frame = filters.slice(cube)
    definition, measure = cube.definition, filters.measure
    result = PageResult(title=f"Gap explorer: {measure.label}, {filters.area_label()}, {period.label}")
    by_measure = []
    for m in definition.measures:
        table = gap_table(frame, m.key, by=(), months=months, deft=definition.deft)
        by_measure += _rows(table, lambda _key, m=m: m.label)
    result.tables["by_measure"] = Table(f"Gap by measure, {period.label}", GAP_COLUMNS, by_measure)
    result.charts["by_measure"] = charts.gap_chart(by_measure, title="White minus BME, by measure")
    result.chart_tables["by_measure"] = "by_measure"
    labels = {c.key: c.label for c in definition.crime_types}
    for column, title in BREAKDOWNS:
        if column == "crime_type" and not definition.has_crime_type:
            continue
        table = gap_table(frame, measure.key, by=(column,), months=months, deft=definition.deft)
        rows = _rows(table, lambda key, column=column: labels.get(key, key) if column == "crime_type" else key)
        result.tables[column] = Table(f"{measure.label}: gap by {title.lower()}, largest first", GAP_COLUMNS, rows)
        if column != "neighbourhood":
            result.charts[column] = charts.gap_chart(rows, title=f"White minus BME, by {title.lower()}")
            result.chart_tables[column] = column
    result.headline = _headline(result.tables, measure.label)
    result.extra = {"filters": filters.as_dict(), "period": period.label}
    return result


def _headline(tables: dict[str, Table], label: str) -> list[str]:
    sentences = []
    for key, table in tables.items():
        if key == "by_measure":
            continue
        significant = [r for r in table.rows if r["verdict"] == "significantly higher"]
        if significant:
            top = significant[0]
            sentences.append(
                f"{label}: by {key.replace('_', ' ')}, the largest significant gap is {top['label']} "
                f"({top['diff'] * 100:.1f} points; BME base n={int(top['bme_n'])})"
                + (": a low base, treat with caution." if words.low_base(top["bme_n"]) else ".")
            )
        else:
            sentences.append(f"{label}: no {key.replace('_', ' ')} has a significant gap.")
    return sentences


GAP_COLUMNS = [
    Column("label", "Group"),
    Column("white_rate", "White", "rate"), Column("white_n", "White base (n)", "int"),
    Column("bme_rate", "BME", "rate"), Column("bme_n", "BME base (n)", "int"),
    Column("diff", "Gap (white minus BME)", "diff"),
    Column("ci_low", "Gap 95% interval from", "diff"), Column("ci_high", "to", "diff"),
    Column("verdict_words", "Significance", "verdict"),
]
