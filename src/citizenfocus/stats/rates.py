"""A weighted rate and its interval from per-stratum sufficient statistics.

statistics.md §2. The engine returns, per cell × stratum, the five sums in
`Sums`; everything here is computed from them, so one group-by serves every
backend and every interval method.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .intervals import (
    clopper_pearson_limits,
    logit_limits,
    t_for,
    wald_limits,
    wilson_limits,
    z_for,
)
from .methods import Method

INTERVAL_METHODS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("wilson", "Wilson score interval on the cautious effective base", "interval-wilson",
               "Default. Wilson (1927) on the smaller of the design's effective base (adjusted for its "
               "degrees of freedom) and the base the weights alone allow; holds 95% on small weighted groups."),
        Method("beta", "Korn–Graubard interval", "interval-beta",
               "Clopper–Pearson on the effective base adjusted for the design's degrees of freedom, "
               "as R svyciprop(method='beta')."),
        Method("logit", "Logit interval", "interval-logit",
               "Symmetric on the log-odds scale with a t quantile on the design's degrees of freedom, "
               "as R svyciprop(method='logit')."),
        Method("wald", "Wald interval", "interval-wald",
               "Rate ± z × standard error; for comparison with older reports only."),
        Method("cp", "Clopper–Pearson interval", "interval-cp",
               "Exact beta interval on the effective sample size, with no degrees-of-freedom adjustment."),
    )
}
DEFAULT_METHOD = "wilson"
RATE_FIELDS = ("n", "n_eff", "n_ci", "rate", "se", "ci_low", "ci_high", "df", "single_unit_strata")
STATISTICS = ("n", "sw", "swy", "sw2", "sw2y")


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
        Method("domain", "Groups, areas and periods as domains of one design", "estimate-domain",
               "Each stratum's whole-sample size in the variance, as R svyby; strata of one are reported."),
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
    """A rate with its base, effective base, standard error and interval (None when n = 0).

    `df` is the design's degrees of freedom for the group (respondents − strata
    they fall in, R's `degf`); `single_unit_strata` counts strata with one
    respondent in the whole design, which add nothing to the variance; `n_ci`
    is the effective base the default interval and comparisons use.
    """

    n: int
    n_eff: float
    rate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    method: str
    single_unit_strata: int = 0
    df: int = 0
    n_ci: float | None = None  # the base the Wilson limits use (cautious_base); n_eff when not given

    def as_dict(self) -> dict:
        return asdict(self)


def check_method(method: str) -> None:
    """Refuse an unknown interval method, naming the known ones."""
    if method not in INTERVAL_METHODS:
        raise ValueError(
            f"unknown interval method {method!r}; use one of {', '.join(INTERVAL_METHODS)}"
        )


def _safe_div(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1.0), np.nan)


def rate_arrays(
    sums: dict[str, np.ndarray], *, stratum_sizes=None, deft: float = 1.0, method: str = DEFAULT_METHOD,
    level: float = 0.95,
) -> dict[str, np.ndarray]:
    """statistics.md §2 for many cells at once: the one implementation every page, command and report uses.

    `sums` maps n, sw, swy, sw2, sw2y to arrays with strata on the LAST axis
    (one stratum: a last axis of length 1). `stratum_sizes` (broadcastable to
    them) are each stratum's whole-design sizes: a group, area, period or the
    rows where the measure is missing are domains of one design, as R
    `svyby(..., svymean, na.rm=TRUE)`. Without them each cell is its own sample.
    Returns arrays (strata axis gone) of RATE_FIELDS; an empty cell has n = 0,
    n_eff = 0 and NaN for the rest.

    p = Σswy/Σsw; Var(p) = deft² Σ_h n_h/(n_h − 1)·(S2_h − S1_h²/n_h) with
    S1_h = (swy_h − p·sw_h)/W, S2_h = ((1−2p)·sw2y_h + p²·sw2_h)/W²; strata with
    n_h = 1 add nothing (R `survey.lonely.psu = "certainty"`).
    Source: Wolter (2007) Introduction to Variance Estimation; Lumley (2010)
    Complex Surveys §2.3 (domains); statistics.md §2.
    """
    check_method(method)
    if deft <= 0:
        raise ValueError(f"design factor deft must be positive (got {deft!r})")
    n_h, sw_h, swy_h, sw2_h, sw2y_h = (np.asarray(sums[s], dtype=float) for s in STATISTICS)
    sizes = n_h if stratum_sizes is None else np.broadcast_to(np.asarray(stratum_sizes, dtype=float), n_h.shape)
    if np.any(sizes < n_h):
        raise ValueError("a stratum's whole-design size cannot be below a group's count in it")
    n, total_w = n_h.sum(-1), sw_h.sum(-1)
    empty = (n == 0) | ~(total_w > 0)
    rate = _snapped_rate(swy_h.sum(-1), total_w)
    var = deft**2 * _design_variance(sizes, sw_h, swy_h, sw2_h, sw2y_h, rate=rate, total_w=total_w)
    n_eff = effective_n(rate, var, total_w=total_w, total_w2=sw2_h.sum(-1), deft=deft)
    df = n - (n_h > 0).sum(-1)
    n_ci = cautious_base(n_eff, n=n, df=df, total_w=total_w, total_w2=sw2_h.sum(-1), deft=deft, level=level)
    with np.errstate(invalid="ignore"):
        se = np.sqrt(var)
    low, high = interval_arrays(rate, se, n_eff, n=n, df=df, n_ci=n_ci, method=method, level=level)
    result = {"n": n.astype(np.int64), "n_eff": np.where(empty, 0.0, n_eff), "n_ci": np.where(empty, 0.0, n_ci)}
    for key, value in (("rate", rate), ("se", se), ("ci_low", low), ("ci_high", high)):
        result[key] = np.where(empty, np.nan, value)
    result["df"] = df.astype(np.int64)
    result["single_unit_strata"] = ((sizes == 1) & (n_h > 0)).sum(-1)
    return result


def _snapped_rate(total_wy, total_w):
    """Σwy/Σw in [0, 1], exactly 0 or 1 when every answer is the same.

    Sums added in another order (months rolled into a window, cells into an area) can
    leave Σwy a rounding error away from Σw: 0.9999999999999999 instead of 1, which would
    turn a cell with no spread into one with a tiny variance and a meaningless effective
    base. A relative difference under 1e-12 is such an error: no real group has an answer
    weighing a trillionth of its total."""
    rate = np.minimum(np.maximum(_safe_div(total_wy, total_w), 0.0), 1.0)
    with np.errstate(invalid="ignore"):
        tolerance = 1e-12 * np.abs(total_w)
        rate = np.where(np.abs(total_w - total_wy) <= tolerance, 1.0, rate)
        return np.where(np.abs(total_wy) <= tolerance, 0.0, rate)


def _design_variance(sizes, sw_h, swy_h, sw2_h, sw2y_h, *, rate, total_w):
    p = rate[..., None]
    w = total_w[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        s1 = (swy_h - p * sw_h) / w
        s2 = ((1 - 2 * p) * sw2y_h + p * p * sw2_h) / (w * w)
        term = sizes / (sizes - 1) * (s2 - s1 * s1 / sizes)
    used = (sizes > 1) & (sw_h > 0)
    # rounding can leave -1e-20 for a stratum with no spread
    return np.maximum(np.where(used, term, 0.0).sum(-1), 0.0)


def effective_n(p, var, *, total_w, total_w2, deft: float = 1.0):
    """Kish's effective sample size p(1−p)/Var; (Σw)²/Σw²/deft² when p is 0 or 1 or Var is 0 (arrays).

    Source: Kish (1965) Survey Sampling; statistics.md §2.
    """
    p, var = np.asarray(p, dtype=float), np.asarray(var, dtype=float)
    total_w, total_w2 = np.asarray(total_w, dtype=float), np.asarray(total_w2, dtype=float)
    kish = np.where(total_w2 > 0, _safe_div(total_w * total_w, total_w2) / deft**2, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        from_var = p * (1 - p) / var
    usable = (p > 0) & (p < 1) & (var > 0)
    out = np.where(usable, from_var, kish)
    return float(out) if out.ndim == 0 else out


def korn_graubard_base(n_eff, *, n, df, level: float = 0.95):
    """The effective base adjusted for the design's degrees of freedom: n_eff·(t_{n−1}/t_df)².

    Source: Korn & Graubard (1998) Survey Methodology 24:193; R survey
    `svyciprop(method="beta")`. A single respondent keeps n_eff; a group with
    no degrees of freedom gets 0 (no finite interval).
    """
    n_eff, n, df = (np.asarray(a, dtype=float) for a in (n_eff, n, df))
    t_df = t_for(level, df)
    with np.errstate(invalid="ignore", divide="ignore"):  # t_df is infinite when df < 1: ratio 0, base 0
        ratio = np.where(n > 1, np.where(np.isfinite(t_df), t_for(level, n - 1) / t_df, 0.0), 1.0)
    return n_eff * ratio**2


def cautious_base(n_eff, *, n, df, total_w, total_w2, deft: float = 1.0, level: float = 0.95):
    """The effective base the default interval and every comparison use: the smaller of two.

    min(Korn–Graubard base n_eff·(t_{n−1}/t_df)², Kish's weighting base (Σw)²/Σw²/deft²).
    The first follows the design (strata, answers); but on a small group it rests on an
    estimated variance, which is too small by chance when few answered "dissatisfied", and
    then the interval is too narrow. The second depends on the weights alone, not on the
    answers, so it cannot be fooled that way. Taking the smaller keeps coverage near 95%
    and the false-positive rate of a gap at or under 5% on small weighted groups
    (benchmarks/interval_coverage.py; docs/methodology.md).
    Source: Korn & Graubard (1998); Kish (1965); Dean & Pagano (2015) on Wilson
    intervals with an effective sample size.
    """
    total_w, total_w2 = np.asarray(total_w, dtype=float), np.asarray(total_w2, dtype=float)
    kish = np.where(total_w2 > 0, _safe_div(total_w * total_w, total_w2) / deft**2, 0.0)
    return np.minimum(korn_graubard_base(n_eff, n=n, df=df, level=level), kish)


def interval_arrays(rate, se, n_eff, *, n, df, n_ci=None, method: str = DEFAULT_METHOD, level: float = 0.95):
    """(low, high) arrays for the chosen method (statistics.md §2).

    wilson: on `n_ci` (cautious_base; n_eff when not given); beta: Clopper–Pearson
    on the Korn–Graubard base; cp: on n_eff; logit: t on the design's degrees of
    freedom; wald: the normal quantile. A cell with no effective base gets the point itself.
    """
    check_method(method)
    if method == "wald":
        return wald_limits(rate, se, z_for(level))
    if method == "logit":
        return logit_limits(rate, se, t_for(level, df))
    if method == "wilson":
        low, high = wilson_limits(rate, n_eff if n_ci is None else n_ci, z_for(level))
    else:
        base = korn_graubard_base(n_eff, n=n, df=df, level=level) if method == "beta" else n_eff
        low, high = clopper_pearson_limits(rate, base, level)
        low, high = np.where(base > 0, low, 0.0), np.where(base > 0, high, 1.0)
    no_base = ~(np.asarray(n_eff) > 0)
    return np.where(no_base, rate, low), np.where(no_base, rate, high)


def _one(value):
    value = value.item() if isinstance(value, np.ndarray) else value
    return None if isinstance(value, float) and math.isnan(value) else value


def design_variance(strata: Sequence[Sums], p: float, stratum_sizes: Sequence[int] | None = None) -> float:
    """Taylor-linearised variance of a weighted proportion at p, with replacement, stratified (no deft).

    The formula of `rate_arrays`, for one group: `stratum_sizes` are the
    strata's whole-design sizes (domain estimation, as R survey::svyby); by
    default the group's own counts. Source: statistics.md §2.
    """
    strata = list(strata)
    arrays = {s: np.array([[float(getattr(x, s)) for x in strata]]) for s in STATISTICS}
    sizes = arrays["n"] if stratum_sizes is None else np.array([list(stratum_sizes)], dtype=float)
    if sizes.shape != arrays["n"].shape:
        raise ValueError(f"{sizes.size} stratum sizes for {len(strata)} strata")
    if np.any(sizes < arrays["n"]):
        raise ValueError("a stratum's whole-design size cannot be below the group's count in it")
    total_w = arrays["sw"].sum(-1)
    return float(_design_variance(sizes, arrays["sw"], arrays["swy"], arrays["sw2"], arrays["sw2y"],
                                  rate=np.array([p]), total_w=total_w)[0])


def estimate_rate(
    strata: Sums | Sequence[Sums], *, deft: float = 1.0, method: str = DEFAULT_METHOD, level: float = 0.95,
    stratum_sizes: Sequence[int] | None = None,
) -> RateEstimate:
    """One group's rate: `rate_arrays` on a single cell (a list of per-stratum Sums).

    An empty group (n = 0) gives rate, se and interval None; it never raises.
    `stratum_sizes`: each stratum's whole-design size (domain estimation).
    Source: statistics.md §2.
    """
    strata = [strata] if isinstance(strata, Sums) else list(strata)
    arrays = {s: np.array([[float(getattr(x, s)) for x in strata]]) for s in STATISTICS}
    if stratum_sizes is not None and len(stratum_sizes) != len(strata):
        raise ValueError(f"{len(stratum_sizes)} stratum sizes for {len(strata)} strata")
    result = rate_arrays(arrays, stratum_sizes=None if stratum_sizes is None else [list(stratum_sizes)],
                         deft=deft, method=method, level=level)
    one = {k: _one(v[0]) for k, v in result.items()}
    return RateEstimate(int(one["n"]), float(one["n_eff"]), one["rate"], one["se"], one["ci_low"], one["ci_high"],
                        method, int(one["single_unit_strata"]), int(one["df"]), float(one["n_ci"]))


def rate_interval(p: float, se: float, n_eff: float, *, method: str = DEFAULT_METHOD, level: float = 0.95,
                  n: float | None = None, df: float | None = None) -> tuple[float, float]:
    """One rate's interval by the named method (`interval_arrays`) when only p, se and n_eff are known.

    n defaults to n_eff and df to n − 1 (a simple random sample); the Wilson limits then use n_eff.
    """
    n = n_eff if n is None else n
    df = max(n - 1, 0) if df is None else df
    low, high = interval_arrays(np.array([p]), np.array([se]), np.array([n_eff]), n=np.array([n]),
                                df=np.array([df]), method=method, level=level)
    return float(low[0]), float(high[0])
