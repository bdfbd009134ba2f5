"""Key findings in words, from the pages' figures: the base effect of the rolling window, the reporting lag,
the rate with and without a crime type.

A rolling 12-month rate moves for two reasons each month: the month that leaves the window and the
month that enters it. Boards read a fall as "things got worse this month" when often a good month a
year ago simply dropped out; saying which month moved the figure, and by how much, stops that.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import formatting as fmt


def _weighted(row: dict) -> tuple[float, float]:
    """(Σwy, Σw) of a month: the rolling rate pools these (Σwy/Σw), never averages monthly rates."""
    weight = row.get("sw") or 0.0
    return (row["rate"] or 0.0) * weight if row.get("rate") is not None else 0.0, weight


def _pooled(rows: list[dict]) -> tuple[float, float]:
    pairs = [_weighted(r) for r in rows]
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


@dataclass(frozen=True)
class BaseEffect:
    """How the rolling rate moved from the window to the month before: leaving month, entering month."""

    rate: float
    n: int
    previous_rate: float
    month: str  # the window's last month, 'March 2014'
    previous_month: str
    left: dict  # the trend row of the month that left the window
    entered: dict  # the trend row of the month that entered it
    left_effect: float  # points the leaving month moved the rate (alone)
    entered_effect: float  # points the entering month then moved it

    @property
    def change(self) -> float:
        return self.rate - self.previous_rate

    def sentence(self, what: str, area: str) -> str:
        opening = (f"{what} is {fmt.rate(self.rate)} ({area}, rolling 12 months to {self.month}, "
                   f"base {fmt.base(self.n)}), {fmt.change_words(self.change)} from "
                   f"{fmt.rate(self.previous_rate)} in the 12 months to {self.previous_month}")
        if fmt.change_words(self.change) == "no change":
            return opening + "."
        left = (f"{self.left['label']} ({fmt.rate(self.left['rate'])}, base {fmt.base(self.left['n'])}) "
                f"left the rolling window")
        entered = (f"{self.entered['label']} ({fmt.rate(self.entered['rate'])}, base "
                   f"{fmt.base(self.entered['n'])})")
        if abs(self.left_effect) >= abs(self.entered_effect):
            return (f"{opening}, mainly because {left} ({fmt.points(self.left_effect)}); {entered} entering "
                    f"moved it {fmt.points(self.entered_effect)}.")
        return (f"{opening}, mainly because {entered} entered the rolling window "
                f"({fmt.points(self.entered_effect)}); {self.left['label']} ({fmt.rate(self.left['rate'])}) "
                f"leaving moved it {fmt.points(self.left_effect)}.")


def base_effect(months: list[dict], index: int) -> BaseEffect | None:
    """The base effect at months[index] from the trend page's rows (label, rate, n, sw, rolling_rate,
    rolling_n): None without 13 months of data to that month.

    Removing the leaving month from the previous window gives the rate of the 11 months both windows
    share; the leaving month's effect is that rate less the previous one, the entering month's is the
    new rate less it. The two add up to the whole movement.
    """
    if index < 12 or months[index].get("rolling_rate") is None or months[index - 1].get("rolling_rate") is None:
        return None
    left, entered = months[index - 12], months[index]
    swy, sw = _pooled(months[index - 12:index])
    left_swy, left_sw = _weighted(left)
    if sw - left_sw <= 0:
        return None
    shared = (swy - left_swy) / (sw - left_sw)
    previous, now = months[index - 1]["rolling_rate"], months[index]["rolling_rate"]
    return BaseEffect(rate=now, n=int(months[index]["rolling_n"]), previous_rate=previous,
                      month=entered["label"], previous_month=months[index - 1]["label"], left=left,
                      entered=entered, left_effect=shared - previous, entered_effect=now - shared)


def without_crime_type(all_months: list[dict], type_months: list[dict], index: int) -> tuple[float, int] | None:
    """The rolling rate and base to months[index] leaving one crime type out: the force's pooled sums less
    the crime type's (both from the trend page), so no third calculation is needed."""
    if index < 11:
        return None
    swy_all, sw_all = _pooled(all_months[index - 11:index + 1])
    swy_type, sw_type = _pooled(type_months[index - 11:index + 1])
    n_all = all_months[index].get("rolling_n") or 0
    n_type = type_months[index].get("rolling_n") or 0
    if sw_all - sw_type <= 0:
        return None
    return (swy_all - swy_type) / (sw_all - sw_type), int(n_all - n_type)


def satisfaction_words(measure, kind: str) -> str:
    """'Satisfaction with the whole experience' for a victim survey's measure; the label otherwise."""
    if kind != "victim":
        return measure.label
    return f"Satisfaction with {'the ' if measure.overall else ''}{measure.label.lower()}"
