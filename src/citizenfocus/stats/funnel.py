"""Funnel plots: each unit's rate against its base, with limits around a target.

statistics.md §6. Comparing neighbourhoods fairly: a small neighbourhood's
rate swings more by chance, so the limits widen as the base falls; a unit is
a signal only outside the 99.8% limits. Optional over-dispersion φ
(Spiegelhalter 2005) widens the limits when units differ more than sampling
alone explains.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from .intervals import z_for
from .methods import Method

FUNNEL_RULES: dict[str, Method] = {
    m.key: m
    for m in (
        Method("funnel-limits", "Funnel plot limits (95% and 99.8%)", "funnel-limits",
               "p0 ± z·sqrt(φ·p0(1 − p0)/n) as curves over the base n."),
        Method("funnel-overdispersion", "Over-dispersion in funnel plots", "funnel-overdispersion",
               "φ from 10%-winsorised z-scores (Spiegelhalter 2005)."),
        Method("funnel-signal", "A unit outside the funnel", "funnel-signal",
               "Only a unit outside the 99.8% limits is a signal."),
    )
}

LEVELS = {"95": 0.95, "998": 0.998}


@dataclass(frozen=True)
class FunnelUnit:
    name: str
    rate: float
    n: float
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

    def as_dict(self) -> dict:
        return {"target": self.target, "phi": self.phi, "phi_estimate": self.phi_estimate,
                "units": [{**asdict(u), "flagged": u.flagged} for u in self.units],
                "limits": list(self.limits)}


def funnel_limits(target: float, n: float, *, phi: float = 1.0) -> dict:
    """Limits at base n: p0 ± z·sqrt(φ·p0(1−p0)/n) at 95% (z = 1.96) and 99.8% (z = 3.09), clipped to [0, 1].

    Source: Spiegelhalter (2005) Stat Med 24:1185, "Funnel plots for comparing
    institutional performance"; statistics.md §6.
    """
    if not n > 0:
        raise ValueError(f"a funnel limit needs a base above 0 (got n={n!r})")
    sd = math.sqrt(phi * target * (1 - target) / n)
    row = {"n": n, "target": target}
    for name, level in LEVELS.items():
        z = z_for(level)
        row[f"lower{name}"], row[f"upper{name}"] = max(target - z * sd, 0.0), min(target + z * sd, 1.0)
    return row


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
) -> FunnelPlot:
    """Each (name, rate, n) against the target p0 (default: the pooled rate Σp·n/Σn).

    z_i = (p_i − p0)/sqrt(p0(1−p0)/n_i). With `overdispersion`, φ = φ̂ from the
    10%-winsorised z-scores when φ̂ > 1 (else 1) and every limit is widened by
    sqrt(φ). A unit is flagged only outside the 99.8% limits. `limits` are the
    curves over n from the smallest to the largest base (log-spaced), for
    drawing. Source: Spiegelhalter (2005) Stat Med 24:1185; statistics.md §6.
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
    placed = tuple(_place(name, r, n, zi, p0, phi) for (name, r, n), zi in zip(units, z, strict=True))
    return FunnelPlot(p0, phi, phi_hat, placed, _curve(p0, phi, [n for *_, n in units], curve_points))


def _place(name: str, rate: float, n: float, z: float, p0: float, phi: float) -> FunnelUnit:
    row = funnel_limits(p0, n, phi=phi)
    position = "above" if rate > row["upper998"] else "below" if rate < row["lower998"] else "within"
    beyond_95 = rate > row["upper95"] or rate < row["lower95"]
    return FunnelUnit(name, rate, n, z, position, beyond_95)


def _curve(p0: float, phi: float, bases: list[float], points: int) -> tuple[dict, ...]:
    low, high = min(bases), max(bases)
    if high <= low or points < 2:
        return (funnel_limits(p0, low, phi=phi),)
    ns = [low * (high / low) ** (i / (points - 1)) for i in range(points)]
    ns[-1] = high  # exact ends, so the curve meets the smallest and largest unit
    return tuple(funnel_limits(p0, n, phi=phi) for n in ns)
