"""Record-level hate crime rows for those whose role may see them (view_hate_crime_records: administrators
and analysts), each read logged (HateCrimeAccess: who, when, the filter, which records). Board members and
inspectors see the aggregate tables only (hate_crime_page.py)."""

from __future__ import annotations

from citizenfocus.performance.pages.base import Column, PageResult, Table

from . import hate_crime_figures as figures
from .models import STRANDS, HateCrime, HateCrimeAccess

COLUMNS = [
    Column("crime_ref", "Crime reference"), Column("recorded_on", "Recorded"),
    Column("neighbourhood", "Neighbourhood"), Column("strands", "Strands"),
    Column("actual_religion", "Victim's religion"), Column("perceived_religion", "Religion perceived by the offender"),
    Column("religion_involved", "Religion involved"), Column("outcome", "Outcome"),
    Column("repeat_victim", "Repeat victim"), Column("pseudonymised", "Pseudonymised (past retention)"),
]


def records(year: str, strand: str | None = None, neighbourhood=None):
    found = figures.in_year(year).select_related("neighbourhood").order_by("recorded_on", "crime_ref")
    if strand:
        found = found.filter(**{strand: True})
    if neighbourhood is not None:
        found = found.filter(neighbourhood=neighbourhood)
    return found


def _row(crime: HateCrime) -> dict:
    yes_no = {True: "Yes", False: "No"}
    return {"id": crime.pk, "crime_ref": crime.crime_ref, "recorded_on": crime.recorded_on.isoformat(),
            "neighbourhood": crime.neighbourhood.name if crime.neighbourhood else "",
            "strands": "; ".join(figures.STRAND_LABELS[s] for s in STRANDS if getattr(crime, s)),
            "actual_religion": crime.actual_religion or figures.NOT_RECORDED,
            "perceived_religion": crime.perceived_religion or figures.NOT_RECORDED,
            "religion_involved": yes_no[crime.religion_involved], "outcome": crime.outcome,
            "repeat_victim": yes_no[crime.repeat_victim],
            "pseudonymised": f"Yes, on {crime.pseudonymised_on:%d %b %Y}" if crime.pseudonymised_on else "No"}


def build(year: str, strand: str | None = None, neighbourhood=None) -> PageResult:
    rows = [_row(c) for c in records(year, strand, neighbourhood)]
    where = f" in {neighbourhood.name}" if neighbourhood is not None else ""
    what = f"{figures.STRAND_LABELS[strand].lower()} " if strand else ""
    result = PageResult(title=f"Hate crime records: {what}crimes recorded in {year}{where}")
    result.headline = [f"{len(rows):,} records. Special category data: every view and download of these rows is "
                       "logged with your name, and records past their retention are pseudonymised."]
    result.tables["records"] = Table(f"Hate crime records, {what}{year}{where}", COLUMNS, rows)
    result.extra["filters"] = {"year": year, "strand": strand,
                               "neighbourhood": neighbourhood.code if neighbourhood is not None else None}
    return result


def log_read(*, request, kind: str, result: PageResult) -> HateCrimeAccess:
    """Who read which records, with the filter, when."""
    user = request.user if request.user.is_authenticated else None
    ids = [row["id"] for row in result.tables["records"].rows]
    return HateCrimeAccess.objects.create(who=user, who_name=user.get_username() if user else "anonymous",
                                          kind=kind, filters=result.extra["filters"], rows=len(ids), records=ids,
                                          path=request.get_full_path()[:500])
