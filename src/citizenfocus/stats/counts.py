"""Counts of events over time and across areas: the u-chart and the Poisson funnel.

u-chart (Montgomery, Introduction to Statistical Quality Control, 7th ed., §7.3.2): counts c_i over
exposures n_i (people, in thousands), centre ū = Σc/Σn, limits ū ± 3·sqrt(ū/n_i), the lower clipped at 0.
With equal exposures it is the c-chart. The four signal rules are the same as for a rate (signals.py).

Poisson funnel (Spiegelhalter 2005, "Funnel plots for comparing institutional performance", Stat Med
24:1185): for an area with n thousand people and the force's rate r0, the limits are the exact Poisson
quantiles of the count, Poisson(r0·n), at 2.5/97.5% and 0.1/99.9%, interpolated as Spiegelhalter
recommends, divided by n.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats as sps

from .methods import Method
from .signals import ChartPoint, Signal, find_signals

COUNT_METHODS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("u-chart", "u-chart for monthly counts", "chart-u",
               "Centre ± 3 Poisson standard errors for each month's count per 1,000 people."),
        Method("poisson-funnel", "Funnel plot for rates per 1,000", "funnel-poisson",
               "Exact Poisson limits around the force's rate, narrowing as an area's population grows."),
    )
}


@dataclass(frozen=True)
class CountChart:
    centre: float
    points: tuple[ChartPoint, ...]
    signals: tuple[Signal, ...]

    def as_dict(self) -> dict:
        return {"kind": "u", "centre": self.centre, "points": [p.as_dict() for p in self.points],
                "signals": [s.as_dict() for s in self.signals]}


def u_chart(labels: Sequence[str], counts: Sequence[int], exposures: Sequence[float]) -> CountChart:
    """A u-chart: each point is count/exposure with its own 3-sigma limits around the pooled rate."""
    total = float(sum(exposures))
    centre = sum(counts) / total if total else 0.0
    points = []
    for i, (label, count, exposure) in enumerate(zip(labels, counts, exposures, strict=True)):
        sigma = math.sqrt(centre / exposure) if exposure else None
        points.append(ChartPoint(
            index=i, label=label, rate=count / exposure if exposure else None, base=exposure, centre=centre,
            lower=None if sigma is None else max(0.0, centre - 3 * sigma),
            upper=None if sigma is None else centre + 3 * sigma, sigma=sigma, in_baseline=True))
    return CountChart(centre, tuple(points), tuple(find_signals(points)))


def _interpolated_quantile(p: float, mean: float) -> float:
    """Spiegelhalter's interpolated Poisson quantile: r − 1 + (p − F(r − 1))/(F(r) − F(r − 1))."""
    r = float(sps.poisson.ppf(p, mean))
    below = sps.poisson.cdf(r - 1, mean) if r > 0 else 0.0
    at = sps.poisson.cdf(r, mean)
    return r - 1 + (p - below) / (at - below) if at > below else r


def poisson_funnel_limits(rate: float, exposure: float) -> dict[str, float]:
    """The 95% and 99.8% limits of count/exposure for an area with `exposure` around `rate`."""
    mean = rate * exposure
    out = {}
    for name, p in (("low95", 0.025), ("high95", 0.975), ("low998", 0.001), ("high998", 0.999)):
        out[name] = max(0.0, _interpolated_quantile(p, mean)) / exposure
    return out
