"""Sums to figures: rates with intervals and comparisons for many cells at once.

Thin over citizenfocus.stats (rate_arrays, compare_arrays): the one
implementation every page, command and report uses.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from citizenfocus.engine.sums import STATISTICS
from citizenfocus.stats import DEFAULT_METHOD, compare_arrays, rate_arrays

ESTIMATE_FIELDS = ("n", "n_eff", "n_ci", "rate", "se", "ci_low", "ci_high", "df", "single_unit_strata")


def estimates(sums: pd.DataFrame, *, cube, method: str = DEFAULT_METHOD) -> pd.DataFrame:
    """A rate, its standard error and interval for each row of sums.

    Each row is a domain of the cube's one design (every stored response of the
    survey), as R svyby; the survey's deft applies. Sums from Cube.sums carry
    one column per stratum when the survey has strata; otherwise one stratum.
    """
    if isinstance(sums.columns, pd.MultiIndex):
        stats = {s: sums[s].to_numpy(dtype=float) for s in STATISTICS}
        sizes = cube.stratum_sizes.reindex(sums["n"].columns).to_numpy(dtype=float)
    else:
        stats = {s: sums[s].to_numpy(dtype=float)[:, None] for s in STATISTICS}
        sizes = np.array([cube.design_size])
    result = rate_arrays(stats, stratum_sizes=sizes, deft=cube.definition.deft, method=method)
    return pd.DataFrame({f: result[f] for f in ESTIMATE_FIELDS}, index=sums.index)


def comparisons(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """a − b for aligned rows: Newcombe interval, z, p and the verdict in words."""
    result = compare_arrays({k: a[k].to_numpy() for k in a}, {k: b[k].to_numpy() for k in b})
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
