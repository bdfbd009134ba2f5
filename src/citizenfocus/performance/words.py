"""Significance in words: what a board paper says about a comparison."""

from __future__ import annotations

from citizenfocus.stats.verdicts import HIGHER, LOWER, NO_CHANGE, NOT_TESTED, SAME, versus

LOW_BASE = 50


__all__ = ["versus", "trend_words", "gap_verdict", "gap_sentence", "against_target", "low_base"]


def design_note(design: dict) -> str | None:
    """A note under the headline when the survey has strata or a stratum of one response."""
    if not design["strata"]:
        return None
    note = (f"Every figure is a part (a domain) of one survey design: {design['responses']:,} responses sampled "
            f"within {design['strata_count']} strata by {design['strata'].replace('_', ' ')}; standard errors and "
            "intervals follow that design, as R's survey package does.")
    lonely = design["single_unit_strata"]
    if lonely:
        note += (f" {lonely} {'stratum has' if lonely == 1 else 'strata have'} a single response and add"
                 f"{'s' if lonely == 1 else ''} nothing to any standard error.")
    return note


def trend_words(verdict: str) -> str:
    """A period against an earlier one: 'no significant change' rather than 'not significantly different'."""
    return NO_CHANGE if verdict == SAME else verdict


def gap_verdict(verdict: str, holds: bool | None = None) -> str:
    """The white − BME comparison's verdict, said of BME users.

    `holds`: in a table of many comparisons, whether the finding holds after
    allowing for them (False: significant on its own only).
    """
    words = {
        HIGHER: "significantly lower for BME users",
        LOWER: "significantly higher for BME users",
        SAME: SAME,
        NOT_TESTED: NOT_TESTED,
    }.get(verdict, "no data")
    if verdict in (HIGHER, LOWER) and holds is False:
        return "could be chance: significant on its own, not across the many comparisons"
    return words


def gap_sentence(verdict: str, diff: float | None, measure_label: str) -> str:
    """The white − BME gap, in words a board member reads."""
    if diff is None or verdict in ("no data", NOT_TESTED):
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
