"""Two independent rates: the white − BME gap, this period against the last.

statistics.md §3: the difference with Newcombe's hybrid score interval from
each side's Wilson limits on its effective sample size; z and p for
information. `trend_comparison` says the same result in words that honour the
indicator's direction (higher satisfaction is better; higher ASB is worse).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from .intervals import newcombe_from_limits, two_sided_p, wilson_interval
from .methods import Method
from .rates import RateEstimate

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


def compare_rates(a: RateEstimate, b: RateEstimate, *, level: float = 0.95) -> Comparison:
    """d = a.rate − b.rate with Newcombe's hybrid score interval; verdict from the interval.

    Wilson limits (l, u) on each side's n_eff: L = d − sqrt((p_a − l_a)² + (u_b − p_b)²),
    U = d + sqrt((u_a − p_a)² + (p_b − l_b)²). 'significantly higher' when L > 0,
    'significantly lower' when U < 0. z = d/sqrt(se_a² + se_b²), p two-sided
    (None when both standard errors are 0). 'no data' when either side is empty.
    Source: Newcombe (1998) Stat Med 17:873, method 10; statistics.md §3.
    """
    if a.rate is None or b.rate is None or a.n_eff <= 0 or b.n_eff <= 0:
        return NO_DATA
    la, ua = wilson_interval(float(a.rate), a.n_eff, level)
    lb, ub = wilson_interval(float(b.rate), b.n_eff, level)
    low, high = newcombe_from_limits(a.rate, la, ua, b.rate, lb, ub)
    diff = a.rate - b.rate
    se = math.sqrt((a.se or 0.0) ** 2 + (b.se or 0.0) ** 2)
    z = diff / se if se > 0 else None
    p = two_sided_p(z) if z is not None else None
    return Comparison(diff, low, high, z, p, difference_verdict(low, high))


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
    }.get(difference, "no data")
