"""Significance in words: what a board paper says about a comparison."""

from __future__ import annotations

LOW_BASE = 50


def versus(verdict: str, what: str) -> str:
    """'significantly higher than the same period last year', 'not significantly different to the target'."""
    return {
        "significantly higher": f"significantly higher than {what}",
        "significantly lower": f"significantly lower than {what}",
        "not significantly different": f"not significantly different to {what}",
    }.get(verdict, f"no comparison with {what} (no data)")


def gap_verdict(verdict: str) -> str:
    """The white − BME comparison's verdict, said of BME users."""
    return {
        "significantly higher": "significantly lower for BME users",
        "significantly lower": "significantly higher for BME users",
        "not significantly different": "not significantly different",
    }.get(verdict, "no data")


def gap_sentence(verdict: str, diff: float | None, measure_label: str) -> str:
    """The white − BME gap, in words a board member reads."""
    if diff is None or verdict == "no data":
        return f"{measure_label}: not enough responses to compare white and BME users."
    points = abs(diff) * 100
    if verdict == "not significantly different":
        return (f"{measure_label}: the {points:.1f}-point difference between white and BME users "
                "is not statistically significant (it could be chance).")
    return f"{measure_label}: {gap_verdict(verdict)} than for white users, by {points:.1f} percentage points."


def against_target(rate: float | None, low: float | None, high: float | None, target: float | None) -> str:
    if target is None:
        return "no target set"
    if rate is None:
        return "no data"
    if low is not None and low > target:
        return "significantly above target"
    if high is not None and high < target:
        return "significantly below target"
    return "not significantly different to target"


def low_base(n: float | None, threshold: int = LOW_BASE) -> bool:
    return n is not None and 0 < n < threshold


def percent(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"
