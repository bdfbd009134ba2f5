"""Survey weights calibrated to population margins, and the variance of the calibrated estimator.

Deville & Särndal (1992), "Calibration estimators in survey sampling", JASA 87:376–382, as implemented
by R's survey package (Lumley, 2010, ch. 7): `calibrate(calfun="linear")` (the GREG estimator),
`calibrate(calfun="raking")` (multiplicative, the same weights as iterative proportional fitting) and
`rake()` (iterative post-stratification on each margin in turn).

Weights: with design weights d_i and auxiliary rows x_i whose population totals t are known (census
counts by age × sex, ethnic group, area), find g_i so that Σ d_i g_i x_i = t:

    linear   g_i = 1 + x_i'λ,     λ = (Σ d x x')⁻¹ (t − Σ d x)
    raking   g_i = exp(x_i'λ),    λ by Newton's method on the same equations.

Variance (Taylor linearisation, sampling with replacement, optional strata): a calibrated mean's
influence values u_i = w_i (y_i − ȳ)/W (w = d·g, W = Σ w over the domain, u = 0 outside it) are replaced
by their residuals from the design-weighted regression on x,

    z_i = g_i d_i (u_i/w_i − x_i'B),   B = (Σ d x x')⁻¹ Σ d x u/w,

and Var = Σ_h n_h/(n_h − 1) Σ_{i∈h} (z_i − z̄_h)² as for any rate (statistics.md §2). `rake()` in R
replaces the regression by back-fitting each margin's cell means, ten passes: `raked_mean` does the same.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .methods import Method

CALIBRATION_METHODS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("linear", "Linear calibration (GREG)", "calibration-linear",
               "Weights adjusted in proportion so the weighted sample matches the census margins."),
        Method("raking", "Raking", "calibration-raking",
               "Weights multiplied, margin by margin, until every census margin is matched."),
    )
}

RAKE_PASSES = 10  # R's svyrecvar back-fits a raked design's margins exactly ten times


class CalibrationError(ValueError):
    """The margins cannot be matched: a category with no respondents, or no convergence."""


@dataclass(frozen=True)
class Calibration:
    """Calibrated weights w = d·g, with what they were calibrated to."""

    method: str
    design_weights: np.ndarray
    g: np.ndarray
    X: np.ndarray
    totals: np.ndarray
    iterations: int

    @property
    def weights(self) -> np.ndarray:
        return self.design_weights * self.g


@dataclass(frozen=True)
class CalibratedMean:
    estimate: float
    se: float
    n: int

    def as_dict(self) -> dict:
        return {"estimate": self.estimate, "se": self.se, "n": self.n}


def margin_matrix(margins: Sequence[Sequence], totals: Sequence[Mapping]) -> tuple[np.ndarray, np.ndarray]:
    """Auxiliary matrix and totals for categorical margins: every level of the first margin, and every
    level but the first of each further margin (full rank; the same column space as R's
    `~a + b + c`). A level in the population with no respondents cannot be matched and is refused."""
    if len(margins) != len(totals) or not margins:
        raise CalibrationError("one population table is needed for each margin")
    columns, targets = [], []
    for k, (values, population) in enumerate(zip(margins, totals, strict=True)):
        values = np.asarray(values, dtype=object)
        levels = list(population)
        unknown = set(values.tolist()) - set(levels)
        if unknown:
            raise CalibrationError(f"margin {k + 1}: {sorted(map(str, unknown))[0]!r} has no population total")
        for j, level in enumerate(levels):
            column = (values == level).astype(float)
            if not column.any():
                raise CalibrationError(f"margin {k + 1}: no respondents in {level!r} to carry its total")
            if k > 0 and j == 0:
                continue
            columns.append(column)
            targets.append(float(population[level]))
    return np.column_stack(columns), np.asarray(targets)


def calibrate_weights(*, design_weights, X, totals, method: str = "linear", tol: float = 1e-13,
                      max_iterations: int = 100) -> Calibration:
    """Weights whose weighted totals of X equal `totals` (Deville & Särndal 1992; R `calibrate`)."""
    d = np.asarray(design_weights, dtype=float)
    X = np.asarray(X, dtype=float)
    t = np.asarray(totals, dtype=float)
    if method == "linear":
        try:
            lam = np.linalg.solve((X * d[:, None]).T @ X, t - d @ X)
        except np.linalg.LinAlgError:
            raise CalibrationError("the margins overlap exactly in this sample: collapse categories") from None
        return Calibration("linear", d, 1.0 + X @ lam, X, t, 1)
    if method != "raking":
        raise CalibrationError(f"unknown calibration method {method!r}: linear or raking")
    lam = np.zeros(X.shape[1])
    g, misfit = np.ones(len(d)), t - d @ X
    for iteration in range(max_iterations):
        if np.all(np.abs(misfit) <= tol * np.maximum(np.abs(t), 1.0)):
            return Calibration("raking", d, g, X, t, iteration)
        # the generalised inverse, as R's grake (MASS::ginv): margins that overlap exactly stay solvable
        step = np.linalg.pinv((X * (d * g)[:, None]).T @ X, rcond=256 * np.finfo(float).eps) @ misfit
        for _ in range(60):  # step halving, as R's grake, when a full Newton step overshoots
            with np.errstate(over="ignore", invalid="ignore"):
                trial_g = np.exp(X @ (lam + step))
                trial = t - (d * trial_g) @ X
            if np.all(np.isfinite(trial)) and np.max(np.abs(trial)) < np.max(np.abs(misfit)):
                break
            step = step / 2
        else:
            raise CalibrationError("the census margins cannot all be met by these respondents: collapse categories")
        lam, g, misfit = lam + step, trial_g, trial
    raise CalibrationError(f"raking did not converge in {max_iterations} iterations")


def rake_weights(*, design_weights, margins: Sequence[Sequence], totals: Sequence[Mapping],
                 tol: float = 1e-13, max_iterations: int = 1000) -> np.ndarray:
    """Iterative proportional fitting (Deming & Stephan 1940; R `rake`): post-stratify on each margin
    in turn until no margin moves by more than tol (relative to the population)."""
    w = np.asarray(design_weights, dtype=float).copy()
    coded = [_codes(values, population) for values, population in zip(margins, totals, strict=True)]
    population_size = float(sum(totals[0].values()))
    for _ in range(max_iterations):
        moved = 0.0
        for codes, target in coded:
            current = np.bincount(codes, weights=w, minlength=len(target))
            if np.any(current == 0):
                raise CalibrationError("a margin's category has no respondents to carry its total")
            moved = max(moved, float(np.max(np.abs(current - target))))
            w *= (target / current)[codes]
        if moved <= tol * population_size:
            return w
    raise CalibrationError(f"raking did not converge in {max_iterations} passes")


def _codes(values, population: Mapping) -> tuple[np.ndarray, np.ndarray]:
    index = {level: j for j, level in enumerate(population)}
    try:
        codes = np.array([index[v] for v in values], dtype=int)
    except KeyError as missing:
        raise CalibrationError(f"{missing.args[0]!r} has no population total") from None
    return codes, np.array([float(population[level]) for level in population])


def _influence(y, w, domain) -> tuple[np.ndarray, float]:
    """u_i = w_i (y_i − ȳ)/W over the domain's rows, 0 elsewhere; and ȳ."""
    y = np.asarray(y, dtype=float)
    inside = np.ones(len(y), dtype=bool) if domain is None else np.asarray(domain, dtype=bool)
    wd = np.where(inside, w, 0.0)
    total = wd.sum()
    if total <= 0:
        raise CalibrationError("the domain has no respondents")
    mean = float(wd @ np.where(inside, y, 0.0) / total)
    return np.where(inside, wd * (np.where(inside, y, mean) - mean) / total, 0.0), mean


def stratified_variance(z, strata=None) -> float:
    """Σ_h n_h/(n_h − 1) Σ_{i∈h} (z_i − z̄_h)²: with-replacement sampling of rows within strata; a stratum
    of one row contributes nothing (R: survey.lonely.psu = "certainty")."""
    z = np.asarray(z, dtype=float)
    labels = np.zeros(len(z), dtype=int) if strata is None else np.unique(np.asarray(strata), return_inverse=True)[1]
    total = 0.0
    for h in np.unique(labels):
        zh = z[labels == h]
        if len(zh) > 1:
            total += len(zh) / (len(zh) - 1) * float(np.sum((zh - zh.mean()) ** 2))
    return total


def calibrated_mean(*, y, calibration: Calibration, strata=None, domain=None) -> CalibratedMean:
    """A mean (a rate, when y is 0/1) under calibrated weights and its design-based standard error
    (the GREG residual linearisation; R `svymean` on a `calibrate`d design, `subset()` for a domain)."""
    d, g, X = calibration.design_weights, calibration.g, calibration.X
    u, mean = _influence(y, calibration.weights, domain)
    e = u / (d * g)
    B = np.linalg.lstsq(X * np.sqrt(d)[:, None], np.sqrt(d) * e, rcond=None)[0]
    z = g * d * (e - X @ B)
    n = len(u) if domain is None else int(np.sum(domain))
    return CalibratedMean(mean, math.sqrt(stratified_variance(z, strata)), n)


def raked_mean(*, y, weights, margins: Sequence[Sequence], strata=None, domain=None,
               passes: int = RAKE_PASSES) -> CalibratedMean:
    """A mean under raked weights and R `rake()`'s standard error: the influence values back-fitted on
    each margin's cells (`passes` times round every margin), then the stratified variance."""
    w = np.asarray(weights, dtype=float)
    u, mean = _influence(y, w, domain)
    coded = [np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)[1] for values in margins]
    for _ in range(passes):
        for codes in coded:
            ratio = u / w
            cell_mean = np.bincount(codes, weights=ratio) / np.bincount(codes)
            u = u - w * cell_mean[codes]
    n = len(u) if domain is None else int(np.sum(domain))
    return CalibratedMean(mean, math.sqrt(stratified_variance(u, strata)), n)
