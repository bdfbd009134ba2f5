"""A weighted rate and its interval from per-stratum sufficient statistics.

statistics.md §2. The engine returns, per cell × stratum, the five sums in
`Sums`; everything here is computed from them, so one group-by serves every
backend and every interval method.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from .intervals import (
    clopper_pearson_interval,
    logit_interval,
    wald_interval,
    wilson_interval,
)
from .methods import Method

INTERVAL_METHODS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("wilson", "Wilson score interval", "interval-wilson",
               "Default. Wilson (1927) on the effective sample size."),
        Method("logit", "Logit interval", "interval-logit",
               "Symmetric on the log-odds scale, as R svyciprop(method='logit')."),
        Method("wald", "Wald interval", "interval-wald",
               "Rate ± z × standard error; for comparison with older reports only."),
        Method("cp", "Clopper–Pearson interval", "interval-cp",
               "Exact beta interval on the effective sample size."),
    )
}


ESTIMATE_METHODS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("weighted-rate", "The weighted rate", "estimate-rate",
               "Σ w·y / Σ w over the respondents who answered."),
        Method("design-variance", "Standard error from the survey design", "estimate-variance",
               "Taylor linearisation with strata, as R survey::svymean."),
        Method("design-factor", "Design factor (deft)", "estimate-deft",
               "A survey's declared deft multiplies the standard error."),
        Method("effective-base", "Effective sample size", "estimate-effective-base",
               "Kish: p(1 − p)/Var, the base a simple random sample would need."),
        Method("domain", "Groups that cut across strata", "estimate-domain",
               "Optional whole-sample stratum sizes reproduce R svyby exactly."),
    )
}


@dataclass(frozen=True)
class Sums:
    """Sufficient statistics of one cell × stratum, over rows where the measure is answered.

    n = count, sw = Σw, swy = Σw·y, sw2 = Σw², sw2y = Σw²·y (y is 1 or 0).
    Source: statistics.md §1.
    """

    n: int
    sw: float
    swy: float
    sw2: float
    sw2y: float

    def __add__(self, other: Sums) -> Sums:
        if not isinstance(other, Sums):
            return NotImplemented
        return Sums(self.n + other.n, self.sw + other.sw, self.swy + other.swy,
                    self.sw2 + other.sw2, self.sw2y + other.sw2y)

    def __radd__(self, other):
        # sum(list_of_sums) starts from 0
        if other == 0:
            return self
        return NotImplemented

    @classmethod
    def zero(cls) -> Sums:
        """The sums of no rows: the identity for +."""
        return cls(0, 0.0, 0.0, 0.0, 0.0)

    @classmethod
    def from_responses(cls, y: Iterable[float], weights: Iterable[float] | None = None) -> Sums:
        """Sums of 0/1 answers y with weights (1 each when None); the engine's GROUP BY in Python."""
        ys = list(y)
        ws = [1.0] * len(ys) if weights is None else [float(w) for w in weights]
        if len(ws) != len(ys):
            raise ValueError(f"{len(ys)} answers but {len(ws)} weights")
        return cls(len(ys), sum(ws), sum(w * v for w, v in zip(ws, ys, strict=True)),
                   sum(w * w for w in ws), sum(w * w * v for w, v in zip(ws, ys, strict=True)))


@dataclass(frozen=True)
class RateEstimate:
    """A rate with its base, effective base, standard error and interval (None when n = 0)."""

    n: int
    n_eff: float
    rate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    method: str
    single_unit_strata: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _check_method(method: str) -> None:
    if method not in INTERVAL_METHODS:
        raise ValueError(
            f"unknown interval method {method!r}; use one of {', '.join(INTERVAL_METHODS)}"
        )


def design_variance(strata: Sequence[Sums], p: float, stratum_sizes: Sequence[int] | None = None) -> float:
    """Taylor-linearised variance of a weighted proportion, with replacement, stratified.

    With W = Σ sw: S1_h = (swy_h − p·sw_h)/W, S2_h = ((1−2p)·sw2y_h + p²·sw2_h)/W²,
    Var(p) = Σ_h n_h/(n_h − 1)·(S2_h − S1_h²/n_h), strata with n_h = 1 adding nothing.
    `stratum_sizes` (domain estimation): n_h is then each stratum's whole sample
    size, not the group's count in it — the same as R survey::svyby on a subset.
    Source: statistics.md §2; Taylor linearisation (Wolter 2007, Introduction to
    Variance Estimation); the same as R survey::svymean on
    svydesign(ids=~1, strata=~s, weights=~w).
    """
    sizes = [s.n for s in strata] if stratum_sizes is None else list(stratum_sizes)
    if len(sizes) != len(strata):
        raise ValueError(f"{len(sizes)} stratum sizes for {len(strata)} strata")
    total_w = sum(s.sw for s in strata)
    var = 0.0
    for s, n_h in zip(strata, sizes, strict=True):
        if n_h < s.n:
            raise ValueError(f"a stratum's size ({n_h}) cannot be below the group's count in it ({s.n})")
        if n_h < 2 or s.n == 0:
            continue
        s1 = (s.swy - p * s.sw) / total_w
        s2 = ((1 - 2 * p) * s.sw2y + p * p * s.sw2) / (total_w * total_w)
        var += n_h / (n_h - 1) * (s2 - s1 * s1 / n_h)
    return max(var, 0.0)  # rounding can leave -1e-20 for a stratum with no spread


def effective_n(p: float, var: float, *, total_w: float, total_w2: float, deft: float = 1.0) -> float:
    """Kish's effective sample size p(1−p)/Var; (Σw)²/Σw²/deft² when p is 0 or 1 or Var is 0.

    Source: Kish (1965) Survey Sampling; statistics.md §2.
    """
    if 0 < p < 1 and var > 0:
        return p * (1 - p) / var
    return total_w * total_w / total_w2 / deft**2 if total_w2 > 0 else 0.0


def estimate_rate(
    strata: Sums | Sequence[Sums], *, deft: float = 1.0, method: str = "wilson", level: float = 0.95,
    stratum_sizes: Sequence[int] | None = None,
) -> RateEstimate:
    """A weighted rate p = Σswy/Σsw with design-based SE × deft and an interval on n_eff.

    Var(p) by `design_variance`, reported variance deft²·Var(p), n_eff by
    `effective_n`, interval by `method` (wilson, logit, wald, cp).
    An empty group (n = 0) gives rate, se and interval None; it never raises.
    `stratum_sizes`: see `design_variance` (domain estimation).
    Source: statistics.md §2; Wilson (1927); Kish (1965).
    """
    _check_method(method)
    if deft <= 0:
        raise ValueError(f"design factor deft must be positive (got {deft!r})")
    strata = [strata] if isinstance(strata, Sums) else list(strata)
    n = sum(s.n for s in strata)
    total_w = sum(s.sw for s in strata)
    sizes = [s.n for s in strata] if stratum_sizes is None else list(stratum_sizes)
    single = sum(1 for s, n_h in zip(strata, sizes, strict=False) if s.n > 0 and n_h == 1)
    if n == 0 or total_w <= 0:
        return RateEstimate(n, 0.0, None, None, None, None, method, single)
    p = min(max(sum(s.swy for s in strata) / total_w, 0.0), 1.0)
    var = deft**2 * design_variance(strata, p, stratum_sizes)
    se = math.sqrt(var)
    n_eff = effective_n(p, var, total_w=total_w, total_w2=sum(s.sw2 for s in strata), deft=deft)
    low, high = rate_interval(p, se, n_eff, method=method, level=level)
    return RateEstimate(n, n_eff, p, se, low, high, method, single)


def rate_interval(p: float, se: float, n_eff: float, *, method: str = "wilson",
                  level: float = 0.95) -> tuple[float, float]:
    """The interval for a rate by the named method: Wilson and Clopper–Pearson use n_eff,
    logit and Wald use the standard error (statistics.md §2)."""
    _check_method(method)
    if method == "wald":
        return wald_interval(p, se, level)
    if method == "logit":
        return logit_interval(p, se, level)
    if n_eff <= 0:
        return p, p
    if method == "cp":
        return clopper_pearson_interval(float(p), n_eff, level)
    return wilson_interval(float(p), n_eff, level)
