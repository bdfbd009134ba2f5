"""Key driver analysis: which aspects of the service drive overall satisfaction.

statistics.md §7. A weighted logistic regression of the overall measure on the
aspect measures gives odds ratios; Johnson's relative weights share the
explained variation between correlated aspects, in percent. Shown as
importance against performance (the aspect's own rate).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy import special

from .intervals import z_for
from .methods import Method


def _statsmodels():
    """statsmodels takes about 2 s to import: only the key driver analysis pays for it."""
    import statsmodels.api as sm

    return sm


DRIVER_METHODS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("odds-ratios", "Key drivers: weighted logistic regression", "drivers-logistic",
               "Odds ratios with design-based (sandwich) intervals, as R svyglm."),
        Method("relative-weights", "Key drivers: Johnson's relative weights", "drivers-relative-weights",
               "Each aspect's share of the explained variation, in percent (Tonidandel & LeBreton 2010)."),
    )
}


@dataclass(frozen=True)
class RelativeWeights:
    names: tuple[str, ...]
    raw: tuple[float, ...]  # sums to r_squared
    percent: tuple[float, ...]  # raw rescaled to sum to 100
    r_squared: float


@dataclass(frozen=True)
class Driver:
    name: str
    odds_ratio: float
    ci_low: float
    ci_high: float
    p: float
    raw_weight: float
    importance: float  # percent of the explained variation
    performance: float  # the aspect's own weighted rate among complete cases
    act_here: bool  # above-average importance and below-average performance


@dataclass(frozen=True)
class KeyDrivers:
    n: int  # complete cases used
    r_squared: float  # Σ raw weights: logistic R² = corr(y, fitted)²
    drivers: tuple[Driver, ...]

    def as_dict(self) -> dict:
        return {"n": self.n, "r_squared": self.r_squared, "drivers": [asdict(d) for d in self.drivers]}


def _weighted_moments(data: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted means and the weighted correlation matrix of the columns of `data`."""
    w = w / w.sum()
    mean = w @ data
    centred = data - mean
    cov = (centred * w[:, None]).T @ centred
    sd = np.sqrt(np.diag(cov))
    if np.any(sd == 0):
        raise ValueError("a variable has no variation (every complete case gives the same answer)")
    return mean, cov / np.outer(sd, sd)


def _root(corr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R^{1/2} (Johnson's Λ*) and R^{-1/2} from the eigen-decomposition of R."""
    values, vectors = np.linalg.eigh(corr)
    if values.min() <= 1e-12:
        raise ValueError("the predictors are perfectly collinear: relative weights are undefined")
    return (vectors * np.sqrt(values)) @ vectors.T, (vectors / np.sqrt(values)) @ vectors.T


def _as_arrays(y, x, weights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[0] != y.shape[0]:
        raise ValueError(f"predictors must be a table with one row per response ({y.shape[0]} responses)")
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != y.shape or np.any(w < 0):
        raise ValueError("weights must be one non-negative number per response")
    return y, x, w


def relative_weights_linear(y, x, *, names: Sequence[str] | None = None, weights=None) -> RelativeWeights:
    """Johnson's relative weights for a linear regression of y on the columns of x.

    R_xx = QΛQᵀ, Λ* = QΛ^{1/2}Qᵀ, β = Λ*⁻¹ r_xy, raw_j = Σ_k Λ*_jk² β_k² (sum = R²).
    Source: Johnson (2000) Multivariate Behavioral Research 35:1; R `rwa`.
    """
    y, x, w = _as_arrays(y, x, weights)
    _, corr = _weighted_moments(np.column_stack([x, y]), w)
    root, _ = _root(corr[:-1, :-1])
    beta = np.linalg.solve(root, corr[:-1, -1])
    return _weights_result(names, x.shape[1], root, beta)


def _weights_result(names, k: int, root: np.ndarray, beta: np.ndarray) -> RelativeWeights:
    raw = (root**2) @ (beta**2)
    total = float(raw.sum())
    names = tuple(names) if names is not None else tuple(f"x{i + 1}" for i in range(k))
    if len(names) != k:
        raise ValueError(f"{len(names)} names for {k} predictors")
    percent = tuple(float(v) for v in (100 * raw / total if total > 0 else np.zeros(k)))
    return RelativeWeights(names, tuple(float(v) for v in raw), percent, total)


def relative_weights_logistic(y, x, *, names: Sequence[str] | None = None, weights=None) -> RelativeWeights:
    """Johnson's relative weights for a 0/1 outcome (logistic form).

    Z = X_std·R_xx^{-1/2}; fit logit(y) on Z; β_k = b_k·s_Z·R_L/s_logit(ŷ) with
    R_L² = corr(y, ŷ)² (ŷ fitted probabilities); raw_j = Σ_k Λ*_jk² β_k².
    Weighted data: weighted standardisation, correlation and regression.
    Source: Tonidandel & LeBreton (2010) Organizational Research Methods 13:767.
    """
    y, x, w = _as_arrays(y, x, weights)
    mean, corr = _weighted_moments(x, w)
    sd = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
    root, inverse_root = _root(corr)
    z = ((x - mean) / sd) @ inverse_root
    sm = _statsmodels()
    fit = sm.GLM(y, sm.add_constant(z, has_constant="add"), family=sm.families.Binomial(),
                 var_weights=w / w.mean()).fit(tol=1e-12, maxiter=100)
    fitted, linear = fit.fittedvalues, fit.predict(which="linear")
    _, yc = _weighted_moments(np.column_stack([y, fitted]), w)
    r_l = yc[0, 1]
    sd_z = np.sqrt(np.average((z - np.average(z, axis=0, weights=w)) ** 2, axis=0, weights=w))
    sd_logit = math.sqrt(np.average((linear - np.average(linear, weights=w)) ** 2, weights=w))
    beta = np.asarray(fit.params[1:]) * sd_z * r_l / sd_logit
    return _weights_result(names, x.shape[1], root, beta)


def odds_ratios(y, x, *, weights=None, level: float = 0.95):
    """Weighted logistic regression: (odds ratios, CI lows, CI highs, p-values) per predictor.

    statsmodels GLM Binomial with var_weights = w/mean(w) (survey weights are
    not frequencies, so freq_weights would overstate the base); covariance is
    the sandwich (HC0) × n/(n − 1), the design-based variance of R
    survey::svyglm(design = svydesign(ids=~1, weights=~w)). Interval exp(b ± z·se).
    Source: Binder (1983) Int Stat Review 51:279; Lumley (2010) Complex Surveys ch. 6.
    """
    y, x, w = _as_arrays(y, x, weights)
    n = y.shape[0]
    sm = _statsmodels()
    fit = sm.GLM(y, sm.add_constant(x, has_constant="add"), family=sm.families.Binomial(),
                 var_weights=w / w.mean()).fit(cov_type="HC0", tol=1e-12, maxiter=100)
    se = np.sqrt(np.diag(fit.cov_params()) * n / (n - 1))[1:]
    b = np.asarray(fit.params)[1:]
    zc = z_for(level)
    return np.exp(b), np.exp(b - zc * se), np.exp(b + zc * se), 2 * special.ndtr(-np.abs(b / se))


def key_drivers(overall, aspects, *, names: Sequence[str], weights=None, level: float = 0.95) -> KeyDrivers:
    """Key drivers of the overall measure: odds ratios, relative importance (%) and performance.

    Complete cases only (rows where the overall measure and every aspect are
    answered; NaN marks a missing answer). `act_here` marks aspects with
    above-average importance (> 100/k %) and below-average performance.
    Sources: `odds_ratios`; `relative_weights_logistic` (Tonidandel & LeBreton 2010).
    """
    y, x, w = _as_arrays(overall, aspects, weights)
    keep = ~np.isnan(y) & ~np.isnan(x).any(axis=1) & (w > 0)
    y, x, w = y[keep], x[keep], w[keep]
    if y.shape[0] <= x.shape[1] + 1:
        raise ValueError(f"{y.shape[0]} complete responses are too few for {x.shape[1]} aspects")
    _check_variation(y, x, names)
    return _key_drivers_result(int(y.shape[0]), y, x, w, names, odds_ratios(y, x, weights=w, level=level))


def _check_variation(y, x, names) -> None:
    flat = [name for name, column in zip(["the overall measure", *names], [y, *x.T], strict=False)
            if np.ptp(column) == 0]
    if flat:
        raise ValueError(f"{flat[0]} has no variation among the complete responses: every answer is the same")


def _key_drivers_result(n: int, y, x, w, names, odds) -> KeyDrivers:
    ors, lows, highs, ps = odds
    rw = relative_weights_logistic(y, x, names=names, weights=w)
    performance = np.average(x, axis=0, weights=w)
    k = x.shape[1]
    drivers = tuple(
        Driver(rw.names[j], float(ors[j]), float(lows[j]), float(highs[j]), float(ps[j]), rw.raw[j],
               rw.percent[j], float(performance[j]),
               bool(rw.percent[j] > 100 / k and performance[j] < performance.mean()))
        for j in range(k)
    )
    return KeyDrivers(n, rw.r_squared, drivers)


def key_drivers_from_patterns(overall, aspects, *, n, sw, sw2, names: Sequence[str],
                              level: float = 0.95) -> KeyDrivers:
    """`key_drivers` from answer patterns instead of responses: the same figures, from a few dozen rows.

    Each row is one distinct pattern of answers (overall, aspects…) with its
    count n, Σw and Σw² among the complete responses that gave it. The
    coefficients and relative weights need only Σw; the sandwich variance
    needs Σw² as well: bread Σ_p Σw_p·μ_p(1−μ_p)·x_p x_pᵀ, meat
    Σ_p Σw²_p·(y_p − μ_p)²·x_p x_pᵀ, × N/(N − 1) with N = Σ n_p — exactly the
    response-level sums, grouped. Source: as `odds_ratios` (Binder 1983).
    """
    y, x, w = _as_arrays(overall, aspects, sw)
    counts, w2 = np.asarray(n, dtype=float), np.asarray(sw2, dtype=float)
    keep = ~np.isnan(y) & ~np.isnan(x).any(axis=1) & (w > 0)
    y, x, w, counts, w2 = y[keep], x[keep], w[keep], counts[keep], w2[keep]
    total = int(counts.sum())
    if total <= x.shape[1] + 1:
        raise ValueError(f"{total} complete responses are too few for {x.shape[1]} aspects")
    _check_variation(y, x, names)
    sm = _statsmodels()
    design = sm.add_constant(x, has_constant="add")
    fit = sm.GLM(y, design, family=sm.families.Binomial(), var_weights=w / w.mean()).fit(tol=1e-12, maxiter=100)
    b = np.asarray(fit.params)
    mu = special.expit(design @ b)
    bread = (design * (w * mu * (1 - mu))[:, None]).T @ design
    meat = (design * (w2 * (y - mu) ** 2)[:, None]).T @ design
    inverse = np.linalg.inv(bread)
    se = np.sqrt(np.diag(inverse @ meat @ inverse) * total / (total - 1))[1:]
    zc = z_for(level)
    odds = (np.exp(b[1:]), np.exp(b[1:] - zc * se), np.exp(b[1:] + zc * se), 2 * special.ndtr(-np.abs(b[1:] / se)))
    return _key_drivers_result(total, y, x, w, names, odds)
