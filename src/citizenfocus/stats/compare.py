"""Two independent rates: the white − BME gap, this period against the last.

statistics.md §3: the difference with Newcombe's hybrid score interval from
each side's Wilson limits on its effective sample size; z and p for
information. `compare_arrays` is the one implementation (every cell of a
table at once); `compare_rates` is it for one pair. `trend_comparison` says the same result in words that honour the
indicator's direction (higher satisfaction is better; higher ASB is worse).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import special

from .intervals import _unit, newcombe_from_limits, two_sided_p, wilson_limits, z_for
from .methods import Method
from .rates import RateEstimate

# Below this many respondents on either side no difference is called significant: the
# false-positive rate of the interval is not held there (benchmarks/interval_coverage.py).
MIN_TEST_BASE = 20
NOT_TESTED = "too few responses to test"
COMPARE_FIELDS = ("diff", "ci_low", "ci_high", "z", "p", "p_interval", "verdict")

DIRECTIONS = ("higher-better", "higher-worse")

COMPARISONS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("difference", "Difference between two rates (the gap)", "compare-difference",
               "Newcombe hybrid score interval (method 10); significant when it excludes 0."),
        Method("trend", "This period against the same period last year", "compare-trend",
               "The difference in words: significantly improved / deteriorated / no significant change."),
        Method("msf", "Against the most similar forces", "compare-msf",
               "z test against the plain mean of the peers' rates."),
        Method("adjusted-gap", "Adjusted gap (direct standardisation)", "compare-adjusted-gap",
               "BME rate reweighted to the white group's mix of strata."),
    )
}


def check_direction(direction: str) -> None:
    """Refuse a direction other than 'higher-better' or 'higher-worse', naming both."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}; use one of {', '.join(DIRECTIONS)}")


@dataclass(frozen=True)
class Comparison:
    """a − b with its interval, z, two-sided p and a verdict in words."""

    diff: float | None
    ci_low: float | None
    ci_high: float | None
    z: float | None
    p: float | None
    verdict: str

    def as_dict(self) -> dict:
        return asdict(self)


NO_DATA = Comparison(None, None, None, None, None, "no data")


def compare_arrays(a: dict, b: dict, *, level: float = 0.95, min_base: int = MIN_TEST_BASE) -> dict:
    """a − b for every pair of cells (dicts of arrays from `rate_arrays`: rate, se, n_eff, n, df).

    d = p_a − p_b with Newcombe's square-and-add interval from each side's Wilson
    limits on its cautious effective base `n_ci` (rates.cautious_base; n_eff when
    a side has none), so a small weighted group is not treated as a large simple
    sample: L = d − sqrt((p_a − l_a)² + (u_b − p_b)²), U = d + sqrt((u_a − p_a)² + (p_b − l_b)²).
    Verdict 'significantly higher' when L > 0, 'significantly lower' when U < 0;
    'too few responses to test' when either side has fewer than `min_base`
    respondents; 'no data' when a side is empty. z = d/sqrt(se_a² + se_b²) and its
    two-sided p for information (NaN when both SEs are 0).
    Source: Newcombe (1998) Stat Med 17:873, method 10; Korn & Graubard (1998);
    statistics.md §3; false-positive rates in benchmarks/interval_coverage.py.
    """
    z = z_for(level)
    limits = {name: wilson_limits(side["rate"], limits_base(side), z) for name, side in (("a", a), ("b", b))}
    p1, p2 = np.asarray(a["rate"], dtype=float), np.asarray(b["rate"], dtype=float)
    (l1, u1), (l2, u2) = limits["a"], limits["b"]
    low, high = newcombe_from_limits(p1, l1, u1, p2, l2, u2)
    diff = p1 - p2
    se = np.sqrt(np.nan_to_num(a["se"]) ** 2 + np.nan_to_num(b["se"]) ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        zstat = np.where(se > 0, diff / np.where(se > 0, se, 1.0), np.nan)
    p_value = two_sided_p(zstat)
    p_interval = interval_p(p1, limits_base(a), p2, limits_base(b))
    no_data = np.isnan(p1) | np.isnan(p2) | ~(np.asarray(a["n_eff"]) > 0) | ~(np.asarray(b["n_eff"]) > 0)
    few = (np.asarray(a.get("n", a["n_eff"])) < min_base) | (np.asarray(b.get("n", b["n_eff"])) < min_base)
    verdict = np.where(low > 0, "significantly higher",
                       np.where(high < 0, "significantly lower", "not significantly different"))
    verdict = np.where(few, NOT_TESTED, verdict)
    result = {"diff": diff, "ci_low": low, "ci_high": high, "z": zstat, "p": np.asarray(p_value),
              "p_interval": p_interval}
    result = {k: np.where(no_data, np.nan, v) for k, v in result.items()}
    result["verdict"] = np.where(no_data, "no data", verdict)
    return result


def limits_base(side: dict):
    """The base a side's Wilson limits use: its cautious effective base, or n_eff."""
    return side.get("n_ci", side["n_eff"])


def interval_p(p1, n1, p2, n2):
    """The two-sided p-value that agrees with the verdict: the α at which the (1 − α) interval touches 0.

    The square-and-add interval narrows as α grows, so the z at which its nearer end
    reaches 0 is found by bisection (60 halvings: exact to rounding), then p = 2Φ(−z).
    p < 0.05 exactly when the 95% interval excludes 0, so a table corrected for many
    comparisons (many_comparisons) is corrected on the same evidence as its verdicts.
    """
    p1, n1, p2, n2 = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (p1, n1, p2, n2)))
    d = p1 - p2
    lo, hi = np.zeros_like(d), np.full_like(d, 40.0)
    # Where d ≥ 0 only the lower end can reach 0, which needs side 1's lower and side 2's upper Wilson limit;
    # elsewhere (d < 0, or NaN) only the upper end, from the other two. Each part bisects with the limits it
    # needs alone: the same operations, element by element, as wilson_limits and newcombe_from_limits.
    positive = d >= 0
    for lower_end, part in ((True, positive), (False, ~positive)):
        if part.any():
            lo[part], hi[part] = _bisect_to_zero(p1[part], n1[part], p2[part], n2[part], lower_end=lower_end)
    with np.errstate(invalid="ignore"):
        out = 2 * special.ndtr(-(lo + hi) / 2)
    return np.where(d == 0, 1.0, out)


def _bisect_to_zero(p1, n1, p2, n2, *, lower_end: bool):
    """interval_p's 60 halvings of [0, 40] for cells whose interval's lower end (or upper end) nears 0."""
    d = p1 - p2
    lo, hi = np.zeros_like(d), np.full_like(d, 40.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread1, spread2 = p1 * (1 - p1) / n1, p2 * (1 - p2) / n2  # as in wilson_limits
        four1, four2 = 4 * n1 * n1, 4 * n2 * n2
        for _ in range(60):
            z = (lo + hi) / 2
            zz = z * z
            z2n1, z2n2 = zz / n1, zz / n2
            centre1, centre2 = (p1 + z2n1 / 2) / (1 + z2n1), (p2 + z2n2 / 2) / (1 + z2n2)
            half1 = z * np.sqrt(spread1 + zz / four1) / (1 + z2n1)
            half2 = z * np.sqrt(spread2 + zz / four2) / (1 + z2n2)
            if lower_end:  # L = d − sqrt((p1 − l1)² + (u2 − p2)²) > 0
                l1 = np.where(p1 == 0, 0.0, _unit(centre1 - half1))
                u2 = np.where(p2 == 1, 1.0, _unit(centre2 + half2))
                excludes = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2) > 0
            else:  # U = d + sqrt((u1 − p1)² + (p2 − l2)²) < 0
                u1 = np.where(p1 == 1, 1.0, _unit(centre1 + half1))
                l2 = np.where(p2 == 0, 0.0, _unit(centre2 - half2))
                excludes = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2) < 0
            lo, hi = np.where(excludes, z, lo), np.where(excludes, hi, z)
    return lo, hi


def _side(estimate: RateEstimate) -> dict:
    return {"rate": np.array([np.nan if estimate.rate is None else estimate.rate]),
            "se": np.array([np.nan if estimate.se is None else estimate.se]),
            "n_eff": np.array([estimate.n_eff]), "n": np.array([estimate.n]),
            "n_ci": np.array([estimate.n_eff if estimate.n_ci is None else estimate.n_ci])}


def compare_rates(a: RateEstimate, b: RateEstimate, *, level: float = 0.95,
                  min_base: int = MIN_TEST_BASE) -> Comparison:
    """`compare_arrays` for one pair of estimates (statistics.md §3)."""
    result = compare_arrays(_side(a), _side(b), level=level, min_base=min_base)
    if result["verdict"][0] == "no data":
        return NO_DATA
    z = float(result["z"][0])
    p = float(result["p"][0])
    return Comparison(float(result["diff"][0]), float(result["ci_low"][0]), float(result["ci_high"][0]),
                      None if np.isnan(z) else z, None if np.isnan(p) else p, str(result["verdict"][0]))


def difference_verdict(low: float, high: float) -> str:
    """'significantly higher' / 'significantly lower' when the interval excludes 0 (statistics.md §3)."""
    if low > 0:
        return "significantly higher"
    if high < 0:
        return "significantly lower"
    return "not significantly different"


@dataclass(frozen=True)
class TrendComparison:
    """This period against an earlier one, in words that honour the direction."""

    comparison: Comparison
    direction: str
    verdict: str  # 'significantly improved' | 'significantly deteriorated' | 'no significant change' | 'no data'
    sentence: str

    def as_dict(self) -> dict:
        return {**self.comparison.as_dict(), "direction": self.direction, "verdict": self.verdict,
                "sentence": self.sentence}


def trend_comparison(current: RateEstimate, previous: RateEstimate, *, direction: str = "higher-better",
                     level: float = 0.95) -> TrendComparison:
    """Current against previous period (never overlapping) by `compare_rates`, said in words.

    A significant rise is 'significantly improved' when higher is better and
    'significantly deteriorated' when higher is worse; the reverse for a fall.
    Source: Newcombe (1998) method 10; statistics.md §3.
    """
    check_direction(direction)
    comparison = compare_rates(current, previous, level=level)
    verdict = trend_verdict(comparison.verdict, direction)
    if verdict == "no data":
        sentence = "No comparison with the earlier period: one of the periods has no responses."
    elif verdict == NOT_TESTED:
        sentence = (f"Not tested: fewer than {MIN_TEST_BASE} responses in one of the periods "
                    f"({previous.n:,} before, {current.n:,} now).")
    else:
        move = "up" if comparison.diff >= 0 else "down"
        sentence = (f"{verdict.capitalize()} ({move} {abs(comparison.diff) * 100:.1f} points, "
                    f"from {previous.rate:.1%} to {current.rate:.1%}).")
    return TrendComparison(comparison, direction, verdict, sentence)


def trend_verdict(difference: str, direction: str) -> str:
    """A difference verdict (current − previous) as improved / deteriorated / no significant change."""
    check_direction(direction)
    up_is_good = direction == "higher-better"
    return {
        "significantly higher": "significantly improved" if up_is_good else "significantly deteriorated",
        "significantly lower": "significantly deteriorated" if up_is_good else "significantly improved",
        "not significantly different": "no significant change",
        NOT_TESTED: NOT_TESTED,
    }.get(difference, "no data")
