"""Confidence intervals for one proportion, and for the difference of two.

Each interval has one implementation, on numpy arrays (`*_limits`): the rate
estimators in `rates.py` call them for every cell of a board pack at once.
The plain functions (`wilson_interval`, ...) take one proportion, as the
published examples of Newcombe (1998) are written, and call the same code.
"""

from __future__ import annotations

import math
import numbers
from statistics import NormalDist

import numpy as np
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


def _unit(value):
    """Clip to [0, 1] (np.clip is slow on many small arrays)."""
    return np.minimum(np.maximum(value, 0.0), 1.0)


def t_for(level: float, df):
    """The two-sided Student t quantile on `df` degrees of freedom (array or number).

    Infinite df gives the normal quantile; df below 1 gives infinity (no information
    about the variance, so no finite interval). Source: R survey's `degf` convention.
    """
    z_for(level)  # checks the level
    df = np.asarray(df, dtype=float)
    # the quantile of each distinct df once (many cells share one): the same numbers, elementwise
    distinct, position = np.unique(np.where(df >= 1, df, 1.0), return_inverse=True)
    with np.errstate(invalid="ignore"):
        q = special.stdtrit(distinct, 1 - (1 - level) / 2)[position].reshape(df.shape)
    q = np.where(np.isinf(df), z_for(level), q)
    return np.where(df >= 1, q, np.inf)


def wilson_limits(p, n, z):
    """Wilson score limits for proportions p on bases n (arrays), z the normal quantile.

    (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n); exactly 0 at p = 0 and 1 at p = 1.
    Source: Wilson (1927) JASA 22:209; Newcombe (1998) Stat Med 17:857, method 3.
    """
    p, n = np.asarray(p, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z2n)
    low = np.where(p == 0, 0.0, _unit(centre - half))
    high = np.where(p == 1, 1.0, _unit(centre + half))
    return low, high


def clopper_pearson_limits(p, n, level: float):
    """Clopper–Pearson limits with x = p·n successes out of n (arrays; n need not be whole).

    Lower = Beta⁻¹(α/2; x, n−x+1), upper = Beta⁻¹(1−α/2; x+1, n−x).
    Source: Clopper & Pearson (1934) Biometrika 26:404; Newcombe (1998) method 5.
    """
    p, n = np.asarray(p, dtype=float), np.asarray(n, dtype=float)
    alpha = 1 - level
    x = p * n
    with np.errstate(invalid="ignore"):
        low = np.where(x <= 0, 0.0, special.betaincinv(np.where(x > 0, x, 1.0), n - x + 1, alpha / 2))
        high = np.where(x >= n, 1.0, special.betaincinv(x + 1, np.where(x < n, n - x, 1.0), 1 - alpha / 2))
    return low, high


def wald_limits(p, se, q):
    """p ± q·se clipped to [0, 1] (Newcombe 1998, method 1)."""
    p, se = np.asarray(p, dtype=float), np.asarray(se, dtype=float)
    return _unit(p - q * se), _unit(p + q * se)


def logit_limits(p, se, q):
    """Symmetric on the log-odds scale: expit(logit p ± q·se/(p(1−p))); the point itself at p = 0 or 1.

    With q = t on the design's degrees of freedom this is R survey
    `svyciprop(method="logit")` (Korn & Graubard 1998); an infinite q gives (0, 1).
    """
    p, se = np.asarray(p, dtype=float), np.asarray(se, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = np.log(p / (1 - p))
        se_eta = se / (p * (1 - p))
        low, high = special.expit(eta - q * se_eta), special.expit(eta + q * se_eta)
    edge = (p <= 0) | (p >= 1)
    return np.where(edge, p, low), np.where(edge, p, high)


def _float_pair(pair) -> Interval:
    return float(pair[0]), float(pair[1])


def wilson_interval(x_or_p: float, n: float, level: float = 0.95) -> Interval:
    """Wilson score interval for one proportion: x successes (or proportion p) out of n.

    `n` may be an effective sample size (not a whole number). An integer
    x_or_p is a count of successes (1 of 29); a float is a proportion (0.25).
    Source: Wilson (1927); `wilson_limits`.
    """
    return _float_pair(wilson_limits(_proportion(x_or_p, n), n, z_for(level)))


def clopper_pearson_interval(x_or_p: float, n: float, level: float = 0.95) -> Interval:
    """Clopper–Pearson "exact" interval for one proportion (x or p out of n); `clopper_pearson_limits`."""
    p = _proportion(x_or_p, n)
    z_for(level)
    return _float_pair(clopper_pearson_limits(p, n, level))


def wald_interval(p: float, se: float, level: float = 0.95) -> Interval:
    """Wald interval p ± z·se, clipped to [0, 1].

    Source: the normal approximation (Newcombe 1998, method 1); shown only for
    comparison with older reports, as it is too narrow near 0 and 1.
    """
    return _float_pair(wald_limits(p, se, z_for(level)))


def logit_interval(p: float, se: float, level: float = 0.95, df: float = math.inf) -> Interval:
    """Interval symmetric on the log-odds scale, transformed back (`logit_limits`).

    With `df` the design's degrees of freedom (t quantile) this is R survey
    `svyciprop(method="logit")`; the default df = ∞ uses the normal quantile.
    """
    return _float_pair(logit_limits(p, se, float(t_for(level, df))))


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
    return _float_pair(newcombe_from_limits(p1, l1, u1, p2, l2, u2))


def newcombe_from_limits(p1, l1, u1, p2, l2, u2):
    """Newcombe's method 10 (the square-and-add, "MOVER", combination) from each proportion's own limits.

    L = d − sqrt((p1 − l1)² + (u2 − p2)²), U = d + sqrt((u1 − p1)² + (p2 − l2)²).
    Numbers give numbers, arrays give arrays. Source: Newcombe (1998); Zou & Donner (2008).
    """
    d = p1 - p2
    return d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def two_sided_p(z):
    """Two-sided p-value of a standard normal statistic: 2·Φ(−|z|) (number or array)."""
    p = 2 * special.ndtr(-np.abs(z))
    return float(p) if np.ndim(p) == 0 else p
