"""Confidence intervals for one proportion, and for the difference of two.

Plain functions on numbers: the rate estimators in `rates.py` call them with
the effective sample size, and tests call them with the published examples of
Newcombe (1998).
"""

from __future__ import annotations

import math
import numbers
from statistics import NormalDist

from scipy import special

Interval = tuple[float, float]


def z_for(level: float) -> float:
    """The two-sided standard normal quantile for a confidence level: 1.959964 at 95%.

    Source: the normal distribution; `statistics.NormalDist.inv_cdf`.
    """
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be between 0 and 1 (got {level!r}), e.g. 0.95")
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


def _proportion(x_or_p: float, n: float) -> float:
    """An integer is a count of successes out of n; a float is already a proportion."""
    if not n > 0:
        raise ValueError(f"an interval needs a base above 0 (got n={n!r})")
    p = x_or_p / n if isinstance(x_or_p, numbers.Integral) else float(x_or_p)
    if not 0 <= p <= 1:
        kind = "count" if isinstance(x_or_p, numbers.Integral) else "proportion"
        raise ValueError(f"{kind} {x_or_p!r} out of n={n!r} is not a proportion in [0, 1]")
    return p


def _unit(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def wilson_interval(x_or_p: float, n: float, level: float = 0.95) -> Interval:
    """Wilson score interval for a proportion: x successes (or proportion p) out of n.

    (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n).
    Source: Wilson (1927) JASA 22:209; Newcombe (1998) Stat Med 17:857, method 3.
    `n` may be an effective sample size (not a whole number). An integer
    x_or_p is a count of successes (1 of 29); a float is a proportion (0.25).
    """
    p = _proportion(x_or_p, n)
    z = z_for(level)
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z2n)
    # at p = 0 (or 1) the limit is exactly 0 (or 1); the formula leaves rounding dust
    low = 0.0 if p == 0 else _unit(centre - half)
    high = 1.0 if p == 1 else _unit(centre + half)
    return low, high


def clopper_pearson_interval(x_or_p: float, n: float, level: float = 0.95) -> Interval:
    """Clopper–Pearson "exact" interval from beta quantiles.

    Lower = Beta⁻¹(α/2; x, n−x+1), upper = Beta⁻¹(1−α/2; x+1, n−x), with x = p·n
    (not necessarily whole when n is an effective sample size, as R
    `svyciprop(method="beta")`).
    Source: Clopper & Pearson (1934) Biometrika 26:404; Newcombe (1998) method 5.
    """
    p = _proportion(x_or_p, n)
    alpha = 1 - level
    x = p * n
    low = 0.0 if x <= 0 else float(special.betaincinv(x, n - x + 1, alpha / 2))
    high = 1.0 if x >= n else float(special.betaincinv(x + 1, n - x, 1 - alpha / 2))
    return low, high


def wald_interval(p: float, se: float, level: float = 0.95) -> Interval:
    """Wald interval p ± z·se, clipped to [0, 1].

    Source: the normal approximation (Newcombe 1998, method 1); shown only for
    comparison with older reports, as it is too narrow near 0 and 1.
    """
    z = z_for(level)
    return _unit(p - z * se), _unit(p + z * se)


def logit_interval(p: float, se: float, level: float = 0.95) -> Interval:
    """Interval symmetric on the log-odds scale, transformed back.

    logit(p) ± z·se/(p(1−p)), then expit. At p = 0 or 1 the interval is the
    point itself (the log-odds are infinite). Source: Korn & Graubard (1998);
    R survey `svyciprop(method="logit")` with a normal quantile (df = Inf).
    """
    if p <= 0 or p >= 1:
        return p, p
    z = z_for(level)
    eta = math.log(p / (1 - p))
    se_eta = se / (p * (1 - p))
    return float(special.expit(eta - z * se_eta)), float(special.expit(eta + z * se_eta))


def newcombe_interval(p1: float, n1: float, p2: float, n2: float, level: float = 0.95) -> Interval:
    """Newcombe's hybrid score interval for p1 − p2 (independent proportions).

    With Wilson limits (l1, u1) for p1 on n1 and (l2, u2) for p2 on n2:
    L = d − sqrt((p1 − l1)² + (u2 − p2)²), U = d + sqrt((u1 − p1)² + (p2 − l2)²).
    Source: Newcombe (1998) Stat Med 17:873, method 10. p1 and p2 are
    counts (integers) or proportions (floats), as in `wilson_interval`.
    """
    p1, p2 = _proportion(p1, n1), _proportion(p2, n2)
    l1, u1 = wilson_interval(p1, n1, level)
    l2, u2 = wilson_interval(p2, n2, level)
    return newcombe_from_limits(p1, l1, u1, p2, l2, u2)


def newcombe_from_limits(p1: float, l1: float, u1: float, p2: float, l2: float, u2: float) -> Interval:
    """Newcombe's method 10 given each proportion's own Wilson limits (Newcombe 1998)."""
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def two_sided_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic: 2·Φ(−|z|)."""
    return float(2 * special.ndtr(-abs(z)))
