"""The reporting lag: which incidents a month's interviews are about (statistics.md §6).

Figures are by month of interview; victims are interviewed weeks after the incident, so a board
reading "September" is reading about the service given in July or so. The lag is read from the stored
interview and incident dates (one small group-by on the responses table and its survey-and-date index,
not over the canonical source with its answers pivoted, which at a million responses took longer than the
rest of the pack), never assumed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.db.models import Count

from citizenfocus.stats.periods import month_name


@dataclass(frozen=True)
class ReportingLag:
    interview_month: int  # month numbers (year * 12 + month - 1)
    incident_month: int  # the most common incident month of that month's interviews
    share: float  # of the month's interviews with an incident date
    median_months: int  # over the whole window

    def sentence(self) -> str:
        return (f"Figures are by month of interview, and interviews are about earlier incidents: "
                f"interviews in {month_name(self.interview_month)} were mostly about incidents in "
                f"{month_name(self.incident_month)} ({self.share:.0%} of them), and across the 12 months the "
                f"typical gap from incident to interview was {self.median_months} "
                f"month{'s' if self.median_months != 1 else ''}. A change in service shows in these figures "
                "about that much later.")


def _first_day(month: int) -> dt.date:
    return dt.date(month // 12, month % 12 + 1, 1)


def reporting_lag(survey_key: str, *, first: int, last: int, equal: dict | None = None) -> ReportingLag | None:
    """The lag for interviews in months first..last (month numbers), within the areas in `equal`
    (column: value; `division` is the division's name)."""
    from citizenfocus.surveys.models import Response

    rows = Response.objects.filter(survey__key=survey_key, interview_date__gte=_first_day(first),
                                   interview_date__lt=_first_day(last + 1), incident_date__isnull=False)
    for column, value in (equal or {}).items():
        if value:
            rows = rows.filter(**{"division__name" if column == "division" else column: value})
    # grouped by the dates themselves (some 16,000 pairs in a year at 1,000,000 responses), months taken
    # here: a year or month extracted in the query is a Python function called on every row on SQLite,
    # which took seconds at a million responses where this takes a fifth of one
    pairs = rows.values_list("interview_date", "incident_date").annotate(n=Count("id")).order_by()
    counts = pd.DataFrame([(i.year * 12 + i.month - 1, c.year * 12 + c.month - 1, n) for i, c, n in pairs],
                          columns=["interview", "incident", "n"])
    if counts.empty:
        return None
    counts = counts.groupby(["interview", "incident"], as_index=False)["n"].sum()
    counts["lag"] = counts["interview"] - counts["incident"]
    latest = counts[counts["interview"] == counts["interview"].max()]
    top = latest.loc[latest["n"].idxmax()]
    ordered = counts.groupby("lag")["n"].sum().sort_index().cumsum()
    median = int(ordered.index[(ordered >= ordered.iloc[-1] / 2).argmax()])
    return ReportingLag(int(top["interview"]), int(top["incident"]), float(top["n"] / latest["n"].sum()), median)
