"""Rates per 1,000 people and the disproportionality ratio, with intervals and in words.

Stop and search: a group's searches over its census population. Searches are events, not people (one
person can be searched twice), so counts are Poisson and the census population is taken as fixed:

    rate per 1,000     r = 1000·a/N, exact Poisson interval (Garwood 1936; R `poisson.test`)
    ratio to a group   RR = (a/N1)/(b/N2)
    log-method CI      exp(log RR ± z·sqrt(1/a + 1/b))   (Rothman & Greenland, Modern Epidemiology,
                       ch. 14; R `confint.default` of `glm(count ~ group + offset(log(pop)), poisson)`)

A change in a count (this year against last, same population) is the same ratio with N1 = N2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats as sps

from .intervals import z_for
from .methods import Method

RATIO_METHODS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("rate_per_1000", "Rate per 1,000 people", "rate-per-1000",
               "Searches (or offences) per 1,000 residents counted by the census, with an exact Poisson interval."),
        Method("ratio_log", "Disproportionality ratio (log method)", "ratio-log",
               "One group's rate divided by another's; the interval from the log of the ratio."),
        Method("count_change", "Change in a count", "count-change",
               "This year's count against last year's as a ratio, with the log-method interval."),
    )
}


@dataclass(frozen=True)
class RatePer1000:
    count: int
    population: float
    rate: float | None
    ci_low: float | None
    ci_high: float | None

    def as_dict(self) -> dict:
        return {"count": self.count, "population": self.population, "rate_per_1000": self.rate,
                "ci_low": self.ci_low, "ci_high": self.ci_high}


@dataclass(frozen=True)
class Ratio:
    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    significant: bool

    def as_dict(self) -> dict:
        return {"ratio": self.ratio, "ci_low": self.ci_low, "ci_high": self.ci_high, "significant": self.significant}


def poisson_count_interval(count: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson mean: chi-square quantiles, as R's poisson.test."""
    alpha = 1 - level
    low = 0.0 if count == 0 else sps.chi2.ppf(alpha / 2, 2 * count) / 2
    return float(low), float(sps.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2)


def rate_per_1000(count: int, population: float, level: float = 0.95) -> RatePer1000:
    """Events per 1,000 people with the exact Poisson interval; no rate without a population."""
    if not population or population <= 0:
        return RatePer1000(count, population or 0, None, None, None)
    low, high = poisson_count_interval(count, level)
    scale = 1000.0 / population
    return RatePer1000(count, population, count * scale, low * scale, high * scale)


def rate_ratio(a: int, n1: float, b: int, n2: float, level: float = 0.95) -> Ratio:
    """(a/n1)/(b/n2) with the log-method interval exp(log RR ± z·sqrt(1/a + 1/b)); none when a count is 0."""
    if a <= 0 or b <= 0 or n1 <= 0 or n2 <= 0:
        return Ratio(None, None, None, False)
    ratio = (a / n1) / (b / n2)
    half = z_for(level) * math.sqrt(1 / a + 1 / b)
    low, high = ratio * math.exp(-half), ratio * math.exp(half)
    return Ratio(ratio, low, high, low > 1 or high < 1)


def count_change(this: int, last: int, level: float = 0.95) -> Ratio:
    """This period's count against the last's, as a ratio with its interval (same population)."""
    return rate_ratio(this, 1.0, last, 1.0, level)


def ratio_sentence(group: str, reference: str, ratio: Ratio, *, what: str = "searched") -> str:
    """'Black people were 3.4 times as likely as White people to be searched (95% CI 3.1 to 3.7).'"""
    if ratio.ratio is None:
        return f"No ratio for {group} people against {reference} people: a count is zero."
    ci = f"(95% CI {ratio.ci_low:.1f} to {ratio.ci_high:.1f})"
    if not ratio.significant:
        return (f"{group} people were {ratio.ratio:.1f} times as likely as {reference} people to be {what} {ci}: "
                f"not significantly different.")
    if ratio.ratio >= 1:
        return f"{group} people were {ratio.ratio:.1f} times as likely as {reference} people to be {what} {ci}."
    return (f"{group} people were {1 / ratio.ratio:.1f} times less likely than {reference} people to be {what} "
            f"(ratio {ratio.ratio:.2f}, 95% CI {ratio.ci_low:.2f} to {ratio.ci_high:.2f}).")
