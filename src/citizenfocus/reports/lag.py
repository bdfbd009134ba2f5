"""The reporting lag: which incidents a month's interviews are about (statistics.md §6).

Figures are by month of interview; victims are interviewed weeks after the incident, so a board
reading "September" is reading about the service given in July or so. The lag is read from the stored
interview and incident dates (one small group-by), never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass

from citizenfocus.engine import open_db_source
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


def reporting_lag(survey_key: str, *, first: int, last: int, equal: dict | None = None) -> ReportingLag | None:
    """The lag for interviews in months first..last (month numbers), within the areas in `equal`."""
    table = open_db_source(survey_key).table
    table = table.filter(table.incident_date.notnull(), table.interview_date.notnull())
    for column, value in (equal or {}).items():
        if value:
            table = table.filter(table[column] == value)
    interview = table.interview_date.year() * 12 + table.interview_date.month() - 1
    incident = table.incident_date.year() * 12 + table.incident_date.month() - 1
    counts = (table.mutate(interview=interview, incident=incident)
              .filter(lambda t: (t.interview >= first) & (t.interview <= last))
              .group_by(["interview", "incident"]).aggregate(n=lambda t: t.count()).to_pandas())
    if counts.empty:
        return None
    counts["lag"] = counts["interview"] - counts["incident"]
    latest = counts[counts["interview"] == counts["interview"].max()]
    top = latest.loc[latest["n"].idxmax()]
    ordered = counts.groupby("lag")["n"].sum().sort_index().cumsum()
    median = int(ordered.index[(ordered >= ordered.iloc[-1] / 2).argmax()])
    return ReportingLag(int(top["interview"]), int(top["incident"]), float(top["n"] / latest["n"].sum()), median)
