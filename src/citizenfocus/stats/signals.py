"""The four signal rules of a control chart ("Making Data Count", NHS England).

Each rule looks within one segment (between change points) at the points
that have data; a missing point breaks a run. Each signal names its rule, its
points and says what it means in a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .methods import Method

RUN_LENGTH = 7

CHART_RULES: dict[str, Method] = {
    m.key: m
    for m in (
        Method("beyond-limit", "A point beyond a control limit", "signal-beyond-limit",
               "One point above the upper or below the lower limit."),
        Method("shift", "A shift: 7 points in a row on one side of the centre line", "signal-shift",
               "7 or more consecutive points all above, or all below, the centre line."),
        Method("trend", "A trend: 7 points in a row rising or falling", "signal-trend",
               "7 or more consecutive points each higher (or each lower) than the one before."),
        Method("two-of-three", "2 of 3 points close to a limit", "signal-two-of-three",
               "2 of 3 consecutive points beyond two-thirds of the way to the same limit."),
    )
}


@dataclass(frozen=True)
class Signal:
    rule: str  # a key of CHART_RULES
    indices: tuple[int, ...]
    points: tuple[str, ...]  # the labels of those points
    side: str  # 'above' | 'below' | 'rising' | 'falling'
    explanation: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "title": CHART_RULES[self.rule].title, "points": list(self.points),
                "indices": list(self.indices), "side": self.side, "explanation": self.explanation}


@dataclass(frozen=True)
class ChartPoint:
    """One point of a control chart with its centre, limits (clipped to [0, 1]) and σ."""

    index: int
    label: str
    rate: float | None
    base: float
    centre: float | None
    lower: float | None
    upper: float | None
    sigma: float | None  # the point's own σ (unclipped): limits are centre ± 3σ
    segment: int = 0
    in_baseline: bool = False

    def as_dict(self) -> dict:
        return {"label": self.label, "rate": self.rate, "base": self.base, "centre": self.centre,
                "lower": self.lower, "upper": self.upper, "segment": self.segment,
                "in_baseline": self.in_baseline}


def find_signals(points: Sequence[ChartPoint], *, unit: str = "months") -> list[Signal]:
    """All four rules over the points of one segment (in time order), sorted by first point.

    Sources: NHS England / NHS Improvement (2019) "Making Data Count"; Western
    Electric (1956) Statistical Quality Control Handbook (runs and 2-of-3 zones).
    """
    signals = (_beyond_limits(points) + _shifts(points, unit) + _trends(points, unit)
               + _two_of_three(points, unit))
    return sorted(signals, key=lambda s: (s.indices[0], s.rule))


def _signal(rule: str, pts: Sequence[ChartPoint], side: str, explanation: str) -> Signal:
    return Signal(rule, tuple(p.index for p in pts), tuple(p.label for p in pts), side, explanation)


def _beyond_limits(points: Sequence[ChartPoint]) -> list[Signal]:
    found = []
    for p in points:
        if p.rate > p.upper or p.rate < p.lower:
            side = "above" if p.rate > p.upper else "below"
            limit = "upper" if side == "above" else "lower"
            found.append(_signal("beyond-limit", [p], side,
                                 f"{p.label} is {side} the {limit} control limit: "
                                 "more than chance variation, look for a cause."))
    return found


def _side(p: ChartPoint) -> str | None:
    if p.rate > p.centre:
        return "above"
    if p.rate < p.centre:
        return "below"
    return None  # on the line: breaks a run


def _side_runs(points: Sequence[ChartPoint]) -> list[tuple[str, list[ChartPoint]]]:
    """Maximal runs of consecutive points on one side of the centre line."""
    runs: list[tuple[str, list[ChartPoint]]] = []
    for prev, p in zip([None, *points[:-1]], points, strict=True):
        side = _side(p)
        joins = runs and prev is not None and p.index == prev.index + 1 and runs[-1][0] == side
        if side is not None and joins and runs[-1][1][-1] is prev:
            runs[-1][1].append(p)
        elif side is not None:
            runs.append((side, [p]))
    return runs


def _direction_runs(points: Sequence[ChartPoint]) -> list[tuple[str, list[ChartPoint]]]:
    """Maximal runs of consecutive points each higher (or each lower) than the one before."""
    runs: list[tuple[str, list[ChartPoint]]] = []
    for prev, p in zip(points[:-1], points[1:], strict=True):
        if p.index != prev.index + 1 or p.rate == prev.rate:
            continue
        direction = "rising" if p.rate > prev.rate else "falling"
        if runs and runs[-1][0] == direction and runs[-1][1][-1] is prev:
            runs[-1][1].append(p)
        else:
            runs.append((direction, [prev, p]))
    return runs


def _shifts(points: Sequence[ChartPoint], unit: str) -> list[Signal]:
    return [
        _signal("shift", run, side, f"{len(run)} {unit} in a row {side} the centre line: a real shift.")
        for side, run in _side_runs(points) if len(run) >= RUN_LENGTH
    ]


def _trends(points: Sequence[ChartPoint], unit: str) -> list[Signal]:
    found = []
    for direction, run in _direction_runs(points):
        if len(run) >= RUN_LENGTH:
            word, kind = ("higher", "upward") if direction == "rising" else ("lower", "downward")
            found.append(_signal("trend", run, direction,
                                 f"{len(run)} {unit} in a row each {word} than the last: a real {kind} trend."))
    return found


def _zone(p: ChartPoint) -> str | None:
    """'above' / 'below' when the point is beyond two-thirds of the way to a limit (2σ)."""
    if p.rate > p.centre + 2 * p.sigma:
        return "above"
    if p.rate < p.centre - 2 * p.sigma:
        return "below"
    return None


def _two_of_three(points: Sequence[ChartPoint], unit: str) -> list[Signal]:
    """Windows of 3 consecutive points with 2 or more beyond 2σ on the same side; overlapping windows merge."""
    found: list[Signal] = []
    for side in ("above", "below"):
        groups: list[list[ChartPoint]] = []
        last_end = None
        for i in range(len(points) - 2):
            window = points[i:i + 3]
            near = [p for p in window if _zone(p) == side]
            if window[2].index - window[0].index != 2 or len(near) < 2:
                continue
            if groups and window[0].index <= last_end:
                groups[-1].extend(p for p in near if p not in groups[-1])
            else:
                groups.append(near)
            last_end = window[2].index
        found.extend(_near_limit(group, side, unit) for group in groups)
    return found


def _near_limit(pts: list[ChartPoint], side: str, unit: str) -> Signal:
    limit = "upper" if side == "above" else "lower"
    return _signal("two-of-three", pts, side,
                   f"{len(pts)} {unit} close to the {limit} limit (beyond two-thirds of the way to it) within "
                   f"3 {unit} in a row: an early warning of a change.")
