"""Sums to figures: rates with intervals and comparisons for many cells at once.

Thin over the engine's vectorised estimates (the same formulas as
citizenfocus.stats, checked cell by cell in the engine's tests).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from citizenfocus.engine.estimates import compare_cells, estimate_cells
from citizenfocus.engine.sums import STATISTICS

ESTIMATE_FIELDS = ("n", "n_eff", "rate", "se", "ci_low", "ci_high")


def estimates(sums: pd.DataFrame, *, deft: float, method: str = "wilson") -> pd.DataFrame:
    """A rate, its standard error and interval for each row of sums (one stratum)."""
    stats = {s: sums[s].to_numpy(dtype=float)[:, None] for s in STATISTICS}
    result = estimate_cells(stats, deft=deft, method=method)
    return pd.DataFrame({f: result[f] for f in ESTIMATE_FIELDS}, index=sums.index)


def comparisons(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """a − b for aligned rows: Newcombe interval, z, p and the verdict in words."""
    result = compare_cells({k: a[k].to_numpy() for k in a}, {k: b[k].to_numpy() for k in b})
    return pd.DataFrame(result, index=a.index)


def clean(value):
    """A JSON-safe value: NaN becomes None, numpy scalars become Python ones."""
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def record(series: pd.Series | dict, prefix: str = "") -> dict:
    return {f"{prefix}{k}": clean(v) for k, v in dict(series).items()}
