"""Control charts for a monthly rate: p-chart and Laney p′-chart, with rebasing.

statistics.md §6. Limits come from a baseline; a named change point ("recording
practice changed") starts a new segment with its own centre line and limits.
Signals are looked for within each segment (signals.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .methods import Method
from .rates import RateEstimate
from .signals import ChartPoint, Signal, find_signals

D2 = 1.128  # E|X1 − X2|/σ for two normal variables: the moving-range constant (d2 for n = 2)

CHART_KINDS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("p", "p-chart", "chart-p", "Centre ± 3 binomial standard errors for each month's base."),
        Method("laney", "Laney p′-chart", "chart-laney",
               "The p-chart's limits widened (or narrowed) by the month-to-month variation σz."),
        Method("auto", "Choosing between p and p′", "chart-auto", "p′ when σz > 1, otherwise p."),
        Method("rebase", "Baseline and change points", "chart-rebase",
               "Limits from a baseline; recalculated from each named change point."),
    )
}


@dataclass(frozen=True)
class Segment:
    """A stretch of the chart with one process: from `start` (a label) to the next change point."""

    start: str
    reason: str
    centre: float | None
    sigma_z: float
    baseline: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"start": self.start, "reason": self.reason, "centre": self.centre,
                "sigma_z": self.sigma_z, "baseline": list(self.baseline)}


@dataclass(frozen=True)
class ControlChart:
    kind: str  # 'p' | 'laney'
    points: tuple[ChartPoint, ...]
    segments: tuple[Segment, ...]
    signals: tuple[Signal, ...]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "points": [p.as_dict() for p in self.points],
                "segments": [s.as_dict() for s in self.segments],
                "signals": [s.as_dict() for s in self.signals]}


def control_chart(
    labels: Sequence[str],
    rates: Sequence[float | None],
    bases: Sequence[float],
    *,
    kind: str = "auto",
    baseline: tuple[str, str] | None = None,
    baseline_points: int | None = None,
    change_points: Mapping[str, str] | Sequence[str] = (),
    unit: str = "months",
) -> ControlChart:
    """A p-chart or Laney p′-chart of rates p_i on bases n_i (n_eff for weighted data).

    Per segment: p̄ = Σp_i·n_i/Σn_i over the baseline, σ_i = sqrt(p̄(1−p̄)/n_i);
    p-chart limits p̄ ± 3σ_i; Laney: z_i = (p_i − p̄)/σ_i, σ_z = mean|z_i − z_{i−1}|/1.128,
    limits p̄ ± 3σ_i·σ_z; clipped to [0, 1]. kind 'auto' takes p′ when σ_z > 1.
    The baseline is the labels from baseline[0] to baseline[1] in the segment
    that holds them, else the first `baseline_points` of each segment, else all
    of it. A rate of None (no data) gets no limits and breaks runs.
    Sources: Montgomery (2009) Introduction to Statistical Quality Control;
    Laney (2002) Quality Engineering 14:531; statistics.md §6.
    """
    if kind not in ("p", "laney", "auto"):
        raise ValueError(f"unknown control chart {kind!r}; use 'p', 'laney' or 'auto'")
    if not len(labels) == len(rates) == len(bases):
        raise ValueError(f"{len(labels)} labels, {len(rates)} rates and {len(bases)} bases: give one of each per point")
    rates = [None if r is None else float(r) for r in rates]
    bases = [float(b) for b in bases]
    starts = _segment_starts(labels, change_points)
    spans = list(zip(starts, [*starts[1:], len(labels)], strict=True))
    fits = [_fit_segment(rates, bases, _baseline_indices(labels, lo, hi, baseline, baseline_points))
            for lo, hi in spans]
    chosen = kind if kind != "auto" else ("laney" if any(f[1] > 1 for f in fits) else "p")
    points: list[ChartPoint] = []
    segments, signals = [], []
    for number, ((lo, hi), (centre, sigma_z, chosen_baseline)) in enumerate(zip(spans, fits, strict=True)):
        scale = sigma_z if chosen == "laney" else 1.0
        seg = [_point(i, labels[i], rates[i], bases[i], centre, scale, number, i in chosen_baseline)
               for i in range(lo, hi)]
        points.extend(seg)
        signals.extend(find_signals([p for p in seg if p.upper is not None], unit=unit))
        reason = _reason(change_points, labels[lo]) if number else "baseline"
        segments.append(Segment(labels[lo], reason, centre, sigma_z if chosen == "laney" else 1.0,
                                tuple(labels[i] for i in sorted(chosen_baseline))))
    return ControlChart(chosen, tuple(points), tuple(segments), tuple(signals))


def chart_from_estimates(labels: Sequence[str], estimates: Sequence[RateEstimate], **options) -> ControlChart:
    """`control_chart` from RateEstimates: each month's rate on its effective base n_eff (statistics.md §6)."""
    rates = [e.rate if e.n_eff > 0 else None for e in estimates]
    return control_chart(labels, rates, [e.n_eff for e in estimates], **options)


def _segment_starts(labels: Sequence[str], change_points) -> list[int]:
    index = {label: i for i, label in enumerate(labels)}
    unknown = [c for c in change_points if c not in index]
    if unknown:
        raise ValueError(f"change point {unknown[0]!r} is not one of the chart's points")
    return sorted({0, *(index[c] for c in change_points)})


def _reason(change_points, label: str) -> str:
    if isinstance(change_points, Mapping):
        return change_points[label] or "change point"
    return "change point"


def _baseline_indices(labels, lo: int, hi: int, baseline, baseline_points) -> set[int]:
    if baseline is not None:
        index = {label: i for i, label in enumerate(labels)}
        if baseline[0] not in index or baseline[1] not in index:
            raise ValueError(f"baseline {baseline!r}: both ends must be labels of the chart's points")
        chosen = set(range(index[baseline[0]], index[baseline[1]] + 1)) & set(range(lo, hi))
        if chosen:
            return chosen
    end = hi if baseline_points is None else min(hi, lo + baseline_points)
    return set(range(lo, end))


def _fit_segment(rates, bases, baseline: set[int]) -> tuple[float | None, float, set[int]]:
    """(p̄, σ_z, baseline used) from the baseline points that have data."""
    used = sorted(i for i in baseline if rates[i] is not None and bases[i] > 0)
    total = sum(bases[i] for i in used)
    if not used or total <= 0:
        return None, 1.0, set(used)
    centre = sum(rates[i] * bases[i] for i in used) / total
    spread = math.sqrt(centre * (1 - centre))
    if spread == 0 or len(used) < 2:
        return centre, 1.0, set(used)
    z = [(rates[i] - centre) / (spread / math.sqrt(bases[i])) for i in used]
    moving = [abs(b - a) for a, b in zip(z[:-1], z[1:], strict=True)]
    return centre, sum(moving) / len(moving) / D2, set(used)


def _point(i, label, rate, base, centre, scale, segment, in_baseline) -> ChartPoint:
    if rate is None or centre is None or not base > 0:
        return ChartPoint(i, label, rate, base, centre, None, None, None, segment, in_baseline)
    sigma = scale * math.sqrt(centre * (1 - centre) / base)
    lower, upper = max(centre - 3 * sigma, 0.0), min(centre + 3 * sigma, 1.0)
    return ChartPoint(i, label, rate, base, centre, lower, upper, sigma, segment, in_baseline)
