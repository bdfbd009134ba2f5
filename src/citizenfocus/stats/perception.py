"""KIN members' perception of progress on a local priority: a share, its interval and a traffic light.

Members answer each month on a 5-point perception scale (1 = much worse,
2 = a little worse, 3 = no change, 4 = some progress, 5 = good progress);
"progress" is 4 or 5. The share seeing progress gets a Wilson score interval
(the members asked are a small simple sample, unweighted).

The traffic light says whether the network sees progress beyond what chance
in so few answers could give: green when the whole 95% interval lies above a
half (most members see progress, and not by the luck of who answered), red
when the whole interval lies below a half, amber otherwise, and grey when no
one answered. With ten answers, 9 seeing progress is green and 8 is amber:
a small network has to be nearly unanimous to be sure.
Source: Wilson (1927); statistics.md §2-3 (the month before by Newcombe's
interval, never called significant under 20 answers a side).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from .compare import MIN_TEST_BASE, compare_rates
from .intervals import wilson_interval
from .methods import Method
from .rates import RateEstimate
from .verdicts import NO_DATA, versus

PERCEPTION_METHODS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("kin-traffic-light", "KIN perception of progress: the traffic light", "perception-traffic-light",
               "Green when the whole 95% Wilson interval of the share seeing progress is above a half, red when "
               "it is below, amber otherwise, grey with no answers."),
    )
}

SCALE = {1: "much worse", 2: "a little worse", 3: "no change", 4: "some progress", 5: "good progress"}
PROGRESS = frozenset({4, 5})
GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
LIGHT_WORDS = {
    GREEN: "most members see progress (the whole interval is above a half)",
    AMBER: "not clear either way (the interval includes a half)",
    RED: "most members do not see progress (the whole interval is below a half)",
    GREY: "no answers this month",
}


@dataclass(frozen=True)
class Perception:
    """The share of answers seeing progress, with its base, Wilson interval and traffic light."""

    n: int
    progress: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    light: str

    def as_dict(self) -> dict:
        return asdict(self)


def check_scores(scores: Sequence[int]) -> None:
    """Refuse a score off the 5-point scale, naming it and the scale."""
    for score in scores:
        if score not in SCALE:
            raise ValueError(f"perception score {score!r} is not on the 5-point scale (1 to 5)")


def perception(scores: Sequence[int], *, level: float = 0.95) -> Perception:
    """Share of scores of 4 or 5 with a Wilson interval, and its traffic light (module docstring)."""
    check_scores(scores)
    n = len(scores)
    if not n:
        return Perception(0, 0, None, None, None, GREY)
    progress = sum(1 for s in scores if s in PROGRESS)
    low, high = wilson_interval(progress, n, level)
    light = GREEN if low > 0.5 else RED if high < 0.5 else AMBER
    return Perception(n, progress, progress / n, low, high, light)


def _estimate(p: Perception) -> RateEstimate:
    if not p.n:
        return RateEstimate(0, 0.0, None, None, None, None, "wilson")
    se = (p.rate * (1 - p.rate) / (p.n - 1)) ** 0.5 if p.n > 1 else 0.0
    return RateEstimate(p.n, float(p.n), p.rate, se, p.ci_low, p.ci_high, "wilson")


def month_on_month(current: Perception, previous: Perception) -> str:
    """This month against the month before in the project's verdict words (stats/verdicts.py).

    'significantly higher / lower than the month before', 'not significantly
    different to the month before', 'not tested against the month before: too
    few responses' (under MIN_TEST_BASE answers a side, as every comparison),
    or 'no comparison with the month before (no data)'.
    """
    if not current.n or not previous.n:
        return versus(NO_DATA, "the month before")
    return versus(compare_rates(_estimate(current), _estimate(previous), min_base=MIN_TEST_BASE).verdict,
                  "the month before")
