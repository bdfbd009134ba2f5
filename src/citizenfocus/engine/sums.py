"""Sufficient statistics by month × cell × stratum: the one query the database runs.

statistics.md §1: for the rows where a measure is not missing, n, Σw, Σwy,
Σw², Σw²y. Every rate, interval, gap, rolling window and roll-up is assembled
in Python from these monthly sums, so a whole board pack is one GROUP BY and
every backend gives the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

STATISTICS = ("n", "sw", "swy", "sw2", "sw2y")


def month_number(day: date) -> int:
    """Months since year 0: consecutive months are consecutive integers, which windows need."""
    return day.year * 12 + day.month - 1


def month_start(number: int) -> date:
    """The first day of a month number (the inverse of month_number)."""
    return date(number // 12, number % 12 + 1, 1)


@dataclass(frozen=True)
class MonthlySums:
    """One row per (month, by-columns..., stratum) cell; arrays aligned by row.

    `month` holds month numbers (month_number), -1 where the date is missing.
    `keys` holds each by-column's values (object arrays, None for NULL).
    `sums[measure][statistic]` holds float arrays (n as float so arithmetic is uniform).
    `rows` counts every row of the cell, answered or not: summed over a stratum it is
    the stratum's whole-design size, which a domain's variance needs (statistics.md §2).
    """

    by: tuple[str, ...]
    strata: str | None
    measures: tuple[str, ...]
    month: np.ndarray
    keys: dict[str, np.ndarray]
    stratum: np.ndarray | None
    sums: dict[str, dict[str, np.ndarray]]
    rows: np.ndarray
    # engine.stored: the answer-code share measures' sums as the one matrix their arrays are columns of, in the
    # layout a persisted month keeps them ([cell × per question n, Σw, Σw², then Σwy, Σw²y per code]); None
    # when they were not counted together
    share_matrix: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.month)


def _aggregates(table: ir.Table, *, measures: tuple[str, ...], weight: str) -> dict:
    """The five sums per measure, over the rows where that measure is answered.

    `w + 0*y` is w where y is answered and NULL (skipped by SUM) where it is
    missing: the same as SUM(w) FILTER (WHERE y IS NOT NULL) but plain
    arithmetic, which DuckDB runs about 20% faster over 25 aggregates, and
    which every SQL backend understands.
    """
    w = table[weight].cast("float64")
    w2 = w * w
    aggs = {"rows__": table.count()}
    for key in measures:
        y = table[key]
        present = y * 0
        aggs[f"{key}__n"] = y.count()
        aggs[f"{key}__sw"] = (w + present).sum()
        aggs[f"{key}__swy"] = (w * y).sum()
        aggs[f"{key}__sw2"] = (w2 + present).sum()
        aggs[f"{key}__sw2y"] = (w2 * y).sum()
    return aggs


def sums_by(
    table: ir.Table,
    *,
    measures: str | tuple[str, ...] | list[str],
    by: tuple[str, ...] | list[str] = (),
    strata: str | None = None,
    weight: str = "weight",
    months: tuple[date, date] | None = None,
) -> MonthlySums:
    """Run one GROUP BY month × `by` × `strata` returning the five sums for every measure.

    `table` is the canonical shape with derived columns (columns.with_derived_columns).
    `months` (first, last), inclusive, restricts the scan; leave it out when groups
    with no rows in the period must still be listed (they are found in other months).
    """
    measures = (measures,) if isinstance(measures, str) else tuple(measures)
    expr = sums_expr(table, measures=measures, by=by, strata=strata, weight=weight, months=months)
    return to_monthly_sums(expr.to_pyarrow(), by=tuple(by), strata=strata, measures=measures)


def sums_expr(table: ir.Table, *, measures: tuple[str, ...], by: tuple[str, ...] | list[str] = (),
              strata: str | None = None, weight: str = "weight",
              months: tuple[date, date] | None = None) -> ir.Table:
    """The GROUP BY of sums_by as an Ibis expression, not run: engine.stored compiles it to SQL and
    runs it inside the import's transaction. Columns: month, by..., strata, rows__, <measure>__<stat>."""
    by = tuple(by)
    groups = ["month", *by] + ([strata] if strata else [])
    if len(set(groups)) != len(groups):
        raise ValueError(f"a column is used twice among month, by and strata: {groups}")
    if months is not None:
        table = table.filter(table.month >= months[0], table.month <= months[1])
    return table.group_by(groups).aggregate(**_aggregates(table, measures=measures, weight=weight))


def to_monthly_sums(result: pa.Table, *, by, strata, measures) -> MonthlySums:
    """The GROUP BY's result (sums_expr's columns) as MonthlySums."""
    month = result.column("month")
    if pa.types.is_string(month.type):  # SQLite can hand dates back as text
        month = pc.cast(month, pa.date32())
    numbers = pc.add(pc.multiply(pc.year(month), 12), pc.subtract(pc.month(month), 1))
    month_numbers = pc.fill_null(numbers, -1).to_numpy().astype(np.int64)
    keys = {col: np.array(result.column(col).to_pylist(), dtype=object) for col in by}
    stratum = np.array(result.column(strata).to_pylist(), dtype=object) if strata else None
    sums = {
        key: {
            stat: pc.fill_null(pc.cast(result.column(f"{key}__{stat}"), pa.float64()), 0.0).to_numpy()
            for stat in STATISTICS
        }
        for key in measures
    }
    rows = pc.cast(result.column("rows__"), pa.float64()).to_numpy()
    return MonthlySums(by, strata, measures, month_numbers, keys, stratum, sums, rows)

