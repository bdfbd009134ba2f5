"""Rates, intervals and gaps for many cells at once: numpy over arrays of sums.

A board pack is tens of thousands of cells; calling stats.estimate_rate once
per cell would spend more time in Python than the database spends grouping a
million rows. These are the same formulas (statistics.md §2–3) applied to
whole arrays; tests/engine/test_estimates.py checks every output equals
stats.estimate_rate / stats.compare_rates cell by cell.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from citizenfocus.stats import INTERVAL_METHODS, z_for

METHODS = tuple(INTERVAL_METHODS)


def _safe_div(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1.0), np.nan)


def estimate_cells(
    stats: dict[str, np.ndarray], *, deft: float = 1.0, method: str = "wilson", level: float = 0.95
) -> dict[str, np.ndarray]:
    """statistics.md §2 for every cell, as stats.estimate_rate: `stats` arrays have strata on the LAST axis.

    Returns arrays (strata axis gone): n, n_eff, rate, se, ci_low, ci_high and
    single_unit_strata. A cell with no responses has n = 0, n_eff = 0 and NaN
    (None in rows) for the rest, as estimate_rate gives None.
    """
    if method not in METHODS:
        raise ValueError(f"unknown interval method {method!r}; use one of {', '.join(METHODS)}")
    if deft <= 0:
        raise ValueError(f"design factor deft must be positive (got {deft!r})")
    n_h, sw_h, swy_h, sw2_h, sw2y_h = (stats[s] for s in ("n", "sw", "swy", "sw2", "sw2y"))
    n, total_w = n_h.sum(-1), sw_h.sum(-1)
    empty = (n == 0) | ~(total_w > 0)
    rate = _unit(_safe_div(swy_h.sum(-1), total_w))
    var = deft**2 * _design_variance(n_h, sw_h, swy_h, sw2_h, sw2y_h, rate=rate, total_w=total_w)
    n_eff = _effective_n(rate, var, total_w=total_w, sw2=sw2_h.sum(-1), deft=deft)
    with np.errstate(invalid="ignore"):
        se = np.sqrt(var)
    low, high = interval(rate, se, n_eff, method=method, level=level)
    result = {"n": n, "n_eff": np.where(empty, 0.0, n_eff)}
    for key, value in (("rate", rate), ("se", se), ("ci_low", low), ("ci_high", high)):
        result[key] = np.where(empty, np.nan, value)
    result["single_unit_strata"] = (n_h == 1).sum(-1)
    return result


def _design_variance(n_h, sw_h, swy_h, sw2_h, sw2y_h, *, rate, total_w):
    """Taylor-linearised variance with replacement, summed over strata; strata of one respondent add nothing."""
    p = rate[..., None]
    w = total_w[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        s1 = (swy_h - p * sw_h) / w
        s2 = ((1 - 2 * p) * sw2y_h + p * p * sw2_h) / (w * w)
        term = n_h / (n_h - 1) * (s2 - s1 * s1 / n_h)
    # rounding can leave -1e-20 for a stratum with no spread
    return np.maximum(np.where(n_h > 1, term, 0.0).sum(-1), 0.0)


def _effective_n(rate, var, *, total_w, sw2, deft):
    """Kish: p(1-p)/Var; (Σw)²/Σw²/deft² when p is 0 or 1 or Var is 0 (stats.effective_n)."""
    kish = np.where(sw2 > 0, _safe_div(total_w * total_w, sw2) / deft**2, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        from_var = rate * (1 - rate) / var
    usable = (rate > 0) & (rate < 1) & (var > 0)
    return np.where(usable, from_var, kish)


def _unit(x):
    """Clip to [0, 1] (np.clip is slow on many small calls)."""
    return np.minimum(np.maximum(x, 0.0), 1.0)


def interval(rate, se, n_eff, *, method: str = "wilson", level: float = 0.95):
    """(low, high) arrays for the chosen method, as stats.rate_interval.

    Wilson and Clopper–Pearson use n_eff (the point itself when n_eff is 0);
    logit and Wald use the standard error.
    """
    z = z_for(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "wald":
            return _unit(rate - z * se), _unit(rate + z * se)
        if method == "logit":
            return _logit(rate, se, z)
        if method == "wilson":
            low, high = wilson(rate, n_eff, z)
        else:
            low, high = _clopper_pearson(rate, n_eff, level)
    no_base = ~(n_eff > 0)
    return np.where(no_base, rate, low), np.where(no_base, rate, high)


def wilson(rate, n_eff, z):
    """Wilson score interval with n = n_eff (Wilson 1927; Newcombe 1998, method 3)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z2n = z * z / n_eff
        centre = (rate + z2n / 2) / (1 + z2n)
        half = z * np.sqrt(rate * (1 - rate) / n_eff + z * z / (4 * n_eff * n_eff)) / (1 + z2n)
    return _unit(centre - half), _unit(centre + half)


def _logit(rate, se, z):
    """As R svyciprop(method="logit"): symmetric on the log-odds scale; the point itself at 0 and 1."""
    eta = np.log(rate / (1 - rate))
    se_eta = se / (rate * (1 - rate))
    low, high = special.expit(eta - z * se_eta), special.expit(eta + z * se_eta)
    edge = (rate <= 0) | (rate >= 1)
    return np.where(edge, rate, low), np.where(edge, rate, high)


def _clopper_pearson(rate, n_eff, level):
    """Exact (beta) limits with x = p·n_eff successes out of n_eff (R svyciprop "beta")."""
    alpha = 1 - level
    x = rate * n_eff
    low = np.where(x <= 0, 0.0, special.betaincinv(x, n_eff - x + 1, alpha / 2))
    high = np.where(x >= n_eff, 1.0, special.betaincinv(x + 1, n_eff - x, 1 - alpha / 2))
    return low, high


def compare_cells(
    a: dict[str, np.ndarray], b: dict[str, np.ndarray], *, level: float = 0.95
) -> dict[str, np.ndarray]:
    """statistics.md §3 for every pair of cells, as stats.compare_rates: a − b, Newcombe's interval.

    Each side's Wilson limits on its n_eff make the interval, whatever interval
    method the rates themselves are shown with. z is NaN when both standard
    errors are 0; every number is NaN, and the verdict "no data", when a side is empty.
    """
    z = z_for(level)
    l1, u1 = wilson(a["rate"], a["n_eff"], z)
    l2, u2 = wilson(b["rate"], b["n_eff"], z)
    p1, p2 = a["rate"], b["rate"]
    diff = p1 - p2
    low = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    se = np.sqrt(np.nan_to_num(a["se"]) ** 2 + np.nan_to_num(b["se"]) ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        zstat = np.where(se > 0, diff / np.where(se > 0, se, 1.0), np.nan)
    p_value = 2 * special.ndtr(-np.abs(zstat))
    no_data = np.isnan(p1) | np.isnan(p2) | ~(a["n_eff"] > 0) | ~(b["n_eff"] > 0)
    verdict = np.where(low > 0, "significantly higher",
                       np.where(high < 0, "significantly lower", "not significantly different"))
    result = {"diff": diff, "ci_low": low, "ci_high": high, "z": zstat, "p": p_value}
    result = {k: np.where(no_data, np.nan, v) for k, v in result.items()}
    result["verdict"] = np.where(no_data, "no data", verdict)
    return result
