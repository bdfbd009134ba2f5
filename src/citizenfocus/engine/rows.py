"""Respondent-level answers for models that need rows, not sums (key driver regression).

The rows are filtered and projected in the database (Ibis), so only the
answers a model needs come back: a handful of small integer columns.
"""

from __future__ import annotations

from datetime import date

import ibis.expr.types as ir
import numpy as np


def answer_rows(
    table: ir.Table,
    *,
    measures: tuple[str, ...],
    equal: dict[str, str | None],
    months: tuple[date, date],
    weight: str = "weight",
) -> dict[str, np.ndarray]:
    """Each measure as floats (NaN when missing), the weight and the ethnic group, for rows in the filters.

    `table` has the derived columns (columns.with_derived_columns); `equal`
    maps a column to the value it must equal (None: no filter).
    """
    conditions = [table.month >= months[0], table.month <= months[1]]
    conditions += [table[column] == value for column, value in equal.items() if value]
    selected = table.filter(*conditions).select(*measures, weight, "ethnic_group").to_pyarrow()
    out = {m: selected.column(m).to_numpy(zero_copy_only=False).astype(float) for m in measures}
    out[weight] = selected.column(weight).to_numpy(zero_copy_only=False).astype(float)
    out["ethnic_group"] = np.array(selected.column("ethnic_group").to_pylist(), dtype=object)
    return out
