"""The summary grid: one row per measure and area with the NHS "Making Data Count" icons, each with its words.

Variation (from the control chart): is the latest month special cause, and which way? Assurance (the
limits against the target): will the process consistently meet the target, consistently fail it, or
may it do either? The icons are letters in coloured circles, and every icon is printed with its words,
so the grid reads the same to a screen reader, in black and white and on a colour-blind reader's page.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import formatting as fmt

# key → (letter on the icon, colour, words)
ICONS = {
    "improvement": ("H", "#1d70b8", "Special cause improvement"),
    "concern": ("L", "#f47738", "Special cause concern"),
    "common": ("~", "#6f777b", "Common cause variation"),
    "meet": ("P", "#1d70b8", "Will consistently meet the target"),
    "fail": ("F", "#f47738", "Will consistently fail the target"),
    "hit_and_miss": ("?", "#6f777b", "May or may not meet the target"),
    "no_target": ("", "", "No target set"),
    "no_data": ("", "", "Not enough months for a control chart"),
}
HIGHER_SIDES = ("above", "rising")


def _better(side: str, direction: str) -> bool:
    higher = side in HIGHER_SIDES
    return higher if direction == "higher-better" else not higher


def variation(signals: list[dict], index: int, direction: str) -> str:
    """'improvement', 'concern' or 'common' for the month at `index`, from the trend page's signals."""
    found = [s for s in signals if index in s["indices"]]
    if not found:
        return "common"
    # a month in signals both ways (a run above that then falls) counts as concern: the board should look
    return "improvement" if all(_better(s["side"], direction) for s in found) else "concern"


def assurance(point: dict, target: float | None, direction: str) -> str:
    """From the latest month's control limits against the target (NHS Making Data Count)."""
    if target is None:
        return "no_target"
    low, high = point.get("lcl"), point.get("ucl")
    if low is None or high is None:
        return "no_data"
    if direction == "higher-better":
        return "meet" if low >= target else "fail" if high < target else "hit_and_miss"
    return "meet" if high <= target else "fail" if low > target else "hit_and_miss"


@dataclass(frozen=True)
class GridRow:
    measure: str
    area: str
    rate: float | None
    n: float | None
    gap: float | None
    gap_verdict: str
    last_year_verdict: str
    variation: str
    assurance: str
    target: float | None

    def cells(self) -> list[str]:
        """The row as the board reads it; the icons' columns carry their words."""
        return [self.measure, self.area, fmt.rate(self.rate), fmt.base_flagged(self.n), fmt.points(self.gap),
                self.gap_verdict, self.last_year_verdict, ICONS[self.variation][2],
                ICONS[self.assurance][2] + (f" ({fmt.rate(self.target)})" if self.target is not None else "")]


GRID_HEADER = ["Measure", "Area", "Rolling 12 months", "Base (n)", "Gap (white minus BME)", "Gap significance",
               "Against last year", "Variation", "Assurance"]
ICON_COLUMNS = {7: "variation", 8: "assurance"}


def grid_row(*, measure, area: str, overview_row: dict, trend_rows: list[dict], signals: list[dict],
             index: int) -> GridRow:
    """One row from the overview page's measure row and the trend page's months and signals."""
    point = trend_rows[index] if 0 <= index < len(trend_rows) else {}
    target = overview_row.get("target")
    has_chart = point.get("lcl") is not None
    return GridRow(
        measure=measure.label, area=area, rate=overview_row["all_rate"], n=overview_row["all_n"],
        gap=overview_row["gap_diff"], gap_verdict=overview_row["gap_verdict"],
        last_year_verdict=overview_row["last_year_verdict"],
        variation=variation(signals, index, measure.direction) if has_chart else "no_data",
        assurance=assurance(point, target, measure.direction), target=target,
    )
