"""Funnel plots: each unit's rate against its effective base, with limits around a target.

statistics.md §6. Comparing neighbourhoods fairly: a small neighbourhood's
rate swings more by chance, so the limits widen as the base falls; a unit is
a signal only outside the 99.8% limits. The limits are exact binomial ones
(Spiegelhalter 2005), not the normal approximation, which at high rates and
small bases puts the lower limit too high and flags units the exact test
would not. Optional over-dispersion φ widens the limits when units differ
more than sampling alone explains.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import binom

from .intervals import z_for
from .methods import Method

FUNNEL_RULES: dict[str, Method] = {
    m.key: m
    for m in (
        Method("funnel-limits", "Funnel plot limits (95% and 99.8%)", "funnel-limits",
               "Exact binomial limits (Spiegelhalter 2005) as curves over the effective base n_eff."),
        Method("funnel-overdispersion", "Over-dispersion in funnel plots", "funnel-overdispersion",
               "φ from 10%-winsorised z-scores (Spiegelhalter 2005); limits' distance from p0 × sqrt(φ)."),
        Method("funnel-signal", "A unit outside the funnel", "funnel-signal",
               "Only a unit outside the 99.8% limits is a signal."),
    )
}

LEVELS = {"95": 0.95, "998": 0.998}
LIMIT_METHODS = ("exact", "normal")


@dataclass(frozen=True)
class FunnelUnit:
    name: str
    rate: float
    n: float  # the effective base the unit is plotted at
    z: float  # (rate − p0)/sqrt(p0(1−p0)/n), before any over-dispersion
    position: str  # 'above' | 'below' | 'within' the 99.8% limits
    beyond_95: bool

    @property
    def flagged(self) -> bool:
        return self.position != "within"


@dataclass(frozen=True)
class FunnelPlot:
    target: float
    phi: float  # 1.0 unless over-dispersion was estimated and found (> 1)
    phi_estimate: float | None  # the winsorised estimate, when asked for
    units: tuple[FunnelUnit, ...]
    limits: tuple[dict, ...]  # rows: n, target, lower95, upper95, lower998, upper998
    method: str = "exact"  # 'exact' (binomial) or 'normal' (the approximation, for comparison)

    def as_dict(self) -> dict:
        return {"target": self.target, "phi": self.phi, "phi_estimate": self.phi_estimate,
                "method": self.method,
                "units": [{**asdict(u), "flagged": u.flagged} for u in self.units],
                "limits": list(self.limits)}


def _lower_whole(p0: float, n: np.ndarray, tail: float) -> np.ndarray:
    """Spiegelhalter's interpolated lower limit at whole bases n: (r_p − α)/n.

    r_p is the tail-quantile of Binomial(n, p0) (smallest r with F(r) ≥ tail) and
    α = (F(r_p) − tail)/(F(r_p) − F(r_p − 1)). A whole count y is then below the
    limit exactly when P(X ≤ y) < tail.
    """
    r = binom.ppf(tail, n, p0)
    f_r, f_before = binom.cdf(r, n, p0), binom.cdf(r - 1, n, p0)
    return (r - (f_r - tail) / (f_r - f_before)) / n


def _lower(p0: float, n: np.ndarray, tail: float) -> np.ndarray:
    """`_lower_whole` on any base: linear between the whole bases either side; bases below 1 use 1."""
    n = np.maximum(np.asarray(n, dtype=float), 1.0)
    below, above = np.floor(n), np.ceil(n)
    share = n - below
    return (1 - share) * _lower_whole(p0, below, tail) + share * _lower_whole(p0, above, tail)


def _exact_limits(p0: float, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower from the count of positive answers, upper from the count of negative ones (mirror image)."""
    tail = (1 - level) / 2
    return _lower(p0, n, tail), 1 - _lower(1 - p0, n, tail)


def _limit_rows(target: float, ns: Sequence[float], *, phi: float, method: str) -> list[dict]:
    if method not in LIMIT_METHODS:
        raise ValueError(f"unknown funnel limit method {method!r}; use one of {', '.join(LIMIT_METHODS)}")
    if not 0 < target < 1:
        raise ValueError(f"the funnel target must be strictly between 0 and 1 (got {target!r})")
    n = np.asarray(ns, dtype=float)
    if not np.all(n > 0):
        raise ValueError(f"a funnel limit needs a base above 0 (got n={float(n.min())!r})")
    rows = [{"n": float(v), "target": target} for v in n]
    stretch = math.sqrt(phi)
    for name, level in LEVELS.items():
        if method == "exact":
            low, high = _exact_limits(target, n, level)
        else:
            half = z_for(level) * np.sqrt(target * (1 - target) / n)
            low, high = target - half, target + half
        # over-dispersion stretches each limit's distance from the target by sqrt(φ)
        low = np.maximum(target - stretch * (target - low), 0.0)
        high = np.minimum(target + stretch * (high - target), 1.0)
        for row, lo, hi in zip(rows, low, high, strict=True):
            row[f"lower{name}"], row[f"upper{name}"] = float(lo), float(hi)
    return rows


def funnel_limits(target: float, n: float, *, phi: float = 1.0, method: str = "exact") -> dict:
    """95% and 99.8% limits around the target p0 at effective base n, clipped to [0, 1].

    exact (default): Spiegelhalter's interpolated binomial quantiles. Lower limit
    (r_p − α)/n with r_p the p-quantile of Binomial(n, p0), p = 0.025 or 0.001,
    α = (F(r_p) − p)/(F(r_p) − F(r_p − 1)); the upper limit is the same formula
    for the negative answers, 1 − lower(1 − p0), so that a unit is outside a
    limit only when a result at least as extreme has probability below p, and a
    measure scored the other way round gets the mirror-image funnel. A
    non-whole n (an effective base) interpolates linearly between the limits
    at floor(n) and ceil(n); a base below 1 uses the limits at 1.
    normal: p0 ± z·sqrt(p0(1−p0)/n), z = 1.96 and 3.09 (for comparison only).
    φ > 1 (over-dispersion) multiplies each limit's distance from p0 by sqrt(φ).
    Source: Spiegelhalter (2005) Stat Med 24:1185, appendix A.1.1; statistics.md §6.
    """
    return _limit_rows(float(target), [n], phi=phi, method=method)[0]


def winsorised_phi(z_scores: Sequence[float], *, fraction: float = 0.1) -> float:
    """φ̂ = mean of squared z-scores after winsorising `fraction` at each end.

    The k = floor(fraction·I) smallest z-scores are set to the (k+1)-th smallest,
    the k largest to the (k+1)-th largest. Source: Spiegelhalter (2005) "Handling
    over-dispersion of performance indicators", Qual Saf Health Care 14:347.
    """
    if not z_scores:
        raise ValueError("over-dispersion needs at least one unit")
    ordered = sorted(z_scores)
    k = math.floor(fraction * len(ordered))
    low, high = ordered[k], ordered[len(ordered) - 1 - k]
    return sum(min(max(z, low), high) ** 2 for z in ordered) / len(ordered)


def funnel_plot(
    units: Sequence[tuple[str, float, float]],
    *,
    target: float | None = None,
    overdispersion: bool = False,
    curve_points: int = 60,
    method: str = "exact",
) -> FunnelPlot:
    """Each (name, rate, n) against the target p0 (default: the pooled rate Σp·n/Σn); n is the effective base.

    Limits by `funnel_limits` (exact binomial by default). z_i = (p_i − p0)/sqrt(p0(1−p0)/n_i).
    With `overdispersion`, φ = φ̂ from the 10%-winsorised z-scores when φ̂ > 1
    (else 1) and every limit's distance from p0 is stretched by sqrt(φ). A unit is
    flagged only outside the 99.8% limits. `limits` are the curves over n from the
    smallest to the largest base (log-spaced), for drawing.
    Source: Spiegelhalter (2005) Stat Med 24:1185; statistics.md §6.
    """
    units = [(str(name), float(rate), float(n)) for name, rate, n in units if n > 0]
    if not units:
        raise ValueError("a funnel plot needs at least one unit with a base above 0")
    p0 = sum(r * n for _, r, n in units) / sum(n for _, _, n in units) if target is None else float(target)
    if not 0 < p0 < 1:
        raise ValueError(f"the funnel target must be strictly between 0 and 1 (got {p0!r})")
    z = [(r - p0) / math.sqrt(p0 * (1 - p0) / n) for _, r, n in units]
    phi_hat = winsorised_phi(z) if overdispersion else None
    phi = max(phi_hat, 1.0) if phi_hat is not None else 1.0
    at_units = _limit_rows(p0, [n for *_, n in units], phi=phi, method=method)
    placed = tuple(_place(name, r, n, zi, row)
                   for (name, r, n), zi, row in zip(units, z, at_units, strict=True))
    curve = _limit_rows(p0, _curve_bases([n for *_, n in units], curve_points), phi=phi, method=method)
    return FunnelPlot(p0, phi, phi_hat, placed, tuple(curve), method)


def _place(name: str, rate: float, n: float, z: float, row: dict) -> FunnelUnit:
    position = "above" if rate > row["upper998"] else "below" if rate < row["lower998"] else "within"
    beyond_95 = rate > row["upper95"] or rate < row["lower95"]
    return FunnelUnit(name, rate, n, z, position, beyond_95)


def _curve_bases(bases: list[float], points: int) -> list[float]:
    low, high = min(bases), max(bases)
    if high <= low or points < 2:
        return [low]
    ns = [low * (high / low) ** (i / (points - 1)) for i in range(points)]
    ns[-1] = high  # exact ends, so the curve meets the smallest and largest unit
    return ns
