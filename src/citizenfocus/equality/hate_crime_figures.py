"""The board's hate crime tables, from the stored records: by strand, by religion this year against last
(shares computed from the counts), share of all recorded crime, repeat victims, outcomes by strand, and
monthly counts on a u-chart. Counts are compared honestly: the change in a count has its Poisson interval.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Count, Q

from citizenfocus.stats.counts import u_chart
from citizenfocus.stats.disproportionality import count_change

from .models import RELIGIONS, STRANDS, HateCrime, RecordedCrimeTotal

STRAND_LABELS = {"race": "Race", "religion": "Religion or belief", "disability": "Disability",
                 "sexual_orientation": "Sexual orientation", "transgender": "Transgender identity"}
NOT_RECORDED = "Not recorded"


def year_span(year: str) -> tuple[dt.date, dt.date]:
    """'2013/14' → 1 April 2013 to 31 March 2014."""
    if not re.fullmatch(r"\d{4}/\d{2}", year) or int(year[5:]) != (int(year[:4]) + 1) % 100:
        raise ValueError(f"{year!r} is not a financial year such as 2013/14")
    start = int(year[:4])
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def latest_years() -> list[str]:
    """The latest financial year with hate crime recorded, and the one before."""
    last = HateCrime.objects.order_by("-recorded_on").values_list("recorded_on", flat=True).first()
    start = (last.year if last.month >= 4 else last.year - 1) if last else 2013
    return [f"{start - 1}/{start % 100:02d}", f"{start}/{(start + 1) % 100:02d}"]


def in_year(year: str):
    first, last = year_span(year)
    return HateCrime.objects.filter(recorded_on__gte=first, recorded_on__lte=last)


def _change(this: int, last: int) -> dict:
    ratio = count_change(this, last)
    if ratio.ratio is None:
        words = "no comparison (a count is zero)"
    elif not ratio.significant:
        words = "no significant change"
    else:
        words = "significant rise" if ratio.ratio > 1 else "significant fall"
    return {"change": this - last, "ratio": ratio.ratio, "ratio_low": ratio.ci_low, "ratio_high": ratio.ci_high,
            "verdict": words}


def strand_rows(last: str, this: str) -> list[dict]:
    """Offences by strand (a crime with two strands counts in both), and all hate crime (once each)."""
    counts = {}
    for year in (last, this):
        found = in_year(year).aggregate(all=Count("id"), **{s: Count("id", filter=Q(**{s: True})) for s in STRANDS})
        counts[year] = found
    rows = []
    for key, label in (*STRAND_LABELS.items(), ("all", "All hate crime (each crime once)")):
        a, b = counts[last][key], counts[this][key]
        rows.append({"strand": label, "last": a, "this": b, "this_share": b / counts[this]["all"] if
                     counts[this]["all"] else None, **_change(b, a), "is_total": key == "all"})
    return rows


def religion_rows(last: str, this: str, *, field: str = "perceived_religion") -> list[dict]:
    """Religion-involved offences by religion (perceived by the offender, or the victim's actual), each
    year's count and its share of that year's religion-involved offences, and the change."""
    counts = {year: dict(in_year(year).filter(religion_involved=True).values_list(field).annotate(n=Count("id")))
              for year in (last, this)}
    totals = {year: sum(c.values()) for year, c in counts.items()}
    rows = []
    for religion in (*RELIGIONS, ""):
        a, b = counts[last].get(religion, 0), counts[this].get(religion, 0)
        rows.append({"religion": religion or NOT_RECORDED, "last": a,
                     "last_share": a / totals[last] if totals[last] else None, "this": b,
                     "this_share": b / totals[this] if totals[this] else None, **_change(b, a)})
    rows.append({"religion": "Total", "last": totals[last], "last_share": 1.0 if totals[last] else None,
                 "this": totals[this], "this_share": 1.0 if totals[this] else None,
                 **_change(totals[this], totals[last]), "is_total": True})
    return rows


def share_of_crime_rows(years: list[str]) -> list[dict]:
    """Hate crime as a share of all recorded crime (the latest total entered for each year)."""
    rows = []
    for year in years:
        total = RecordedCrimeTotal.objects.filter(year=year).order_by("-at", "-pk").values_list("total", flat=True).first()
        hate = in_year(year).count()
        rows.append({"year": year, "hate_crimes": hate, "recorded_crime": total,
                     "share": hate / total if total else None})
    return rows


def repeat_rows(years: list[str]) -> list[dict]:
    rows = []
    for year in years:
        found = in_year(year).aggregate(all=Count("id"), repeat=Count("id", filter=Q(repeat_victim=True)))
        rows.append({"year": year, "hate_crimes": found["all"], "repeat": found["repeat"],
                     "repeat_share": found["repeat"] / found["all"] if found["all"] else None})
    return rows


def outcome_rows(year: str) -> list[dict]:
    """Outcomes of the year's hate crimes, by strand (columns) and for all hate crime."""
    found = in_year(year)
    outcomes = sorted(set(found.values_list("outcome", flat=True)))
    rows = []
    for outcome in outcomes:
        here = found.filter(outcome=outcome)
        rows.append({"outcome": outcome or NOT_RECORDED, "all": here.count(),
                     **{s: here.filter(**{s: True}).count() for s in STRANDS}})
    return rows


def monthly_chart(first_year: str, last_year: str):
    """Hate crimes each month over the years, as a c-chart (a u-chart with equal exposure)."""
    first, _ = year_span(first_year)
    _, last = year_span(last_year)
    counts: dict[tuple[int, int], int] = {}
    for day in HateCrime.objects.filter(recorded_on__gte=first, recorded_on__lte=last).values_list("recorded_on",
                                                                                                    flat=True):
        counts[(day.year, day.month)] = counts.get((day.year, day.month), 0) + 1
    labels, values = [], []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        labels.append(dt.date(year, month, 1).strftime("%b %Y"))
        values.append(counts.get((year, month), 0))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return u_chart(labels, values, [1.0] * len(values))
