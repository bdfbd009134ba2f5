"""Answer patterns for models that need more than a rate's sums (key driver regression).

A logistic regression of the overall measure on the aspects needs, for each
distinct pattern of complete answers, its count, Σw and Σw² — nothing more
(stats.key_drivers_from_patterns). The database groups a million responses
into a few dozen patterns per ethnic group; only those come back.
"""

from __future__ import annotations

from datetime import date

import ibis.expr.types as ir
import pandas as pd


def answer_patterns(
    table: ir.Table,
    *,
    measures: tuple[str, ...],
    equal: dict[str, str | None],
    months: tuple[date, date],
    weight: str = "weight",
) -> pd.DataFrame:
    """One row per ethnic group × pattern of complete answers to `measures`: n, sw, sw2.

    `table` has the derived columns (columns.with_derived_columns); `equal`
    maps a column to the value it must equal (None: no filter).
    """
    conditions = [table.month >= months[0], table.month <= months[1]]
    conditions += [table[column] == value for column, value in equal.items() if value]
    conditions += [table[m].notnull() for m in measures]
    kept = table.filter(*conditions)
    w = kept[weight].cast("float64")
    grouped = kept.group_by(["ethnic_group", *measures]).aggregate(n=kept.count(), sw=w.sum(), sw2=(w * w).sum())
    frame = grouped.to_pyarrow().to_pandas()
    for m in measures:
        frame[m] = frame[m].astype(float)
    return frame
