"""Victims' Code compliance by group, with the survey's intervals and gap words, beside kept-informed satisfaction.

A group's compliance with a measure is x met of n due: a rate on an unweighted base,
so `citizenfocus.stats` gives its Wilson interval, the white − BME gap its Newcombe
interval and verdict, and the monthly trend its control chart, exactly as for the survey.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from citizenfocus.performance import words
from citizenfocus.stats import Sums, compare_rates, control_chart, estimate_rate, parse_period
from citizenfocus.stats.periods import month_date, month_number
from citizenfocus.surveys.definition import get_definition

from .measures import MEASURE_KEYS, MEASURE_LABELS, case_compliance
from .rules import Rules

GROUPINGS: dict[str, Callable] = {
    "division": lambda r: r.division.name,
    "team": lambda r: r.team.name if r.team else "(no team)",
    "crime_type": lambda r: r.crime_type,
    "ethnic_group": lambda r: _grouping().group_of(r.ethnicity),
    "month": lambda r: r.reported_on.isoformat()[:7],
    "quarter": lambda r: f"{r.reported_on.year}-Q{(r.reported_on.month - 1) // 3 + 1}",
}
# Groupings the survey also has, so kept-informed satisfaction can stand beside compliance.
SURVEY_GROUPINGS = ("division", "crime_type", "ethnic_group", "month")


def _grouping():
    return get_definition("uss").grouping


class ComplianceError(ValueError):
    """A request that cannot be answered: names the value and what was expected."""


def check_by(by: tuple[str, ...]) -> None:
    unknown = [b for b in by if b not in GROUPINGS]
    if unknown:
        raise ComplianceError(f"unknown --by {', '.join(unknown)}: use any of {', '.join(GROUPINGS)}")


def default_period(as_at: date) -> str:
    """The 12 months the survey last reported on (by incident month), so compliance and kept-informed
    satisfaction are of the same months; with no survey stored, the 12 months to the last complete month."""
    from django.db.models import Max

    from citizenfocus.surveys.models import Response

    latest = Response.objects.filter(survey__key="uss").aggregate(last=Max("incident_date"))["last"]
    last = month_number(latest.year, latest.month) if latest else month_number(as_at.year, as_at.month) - 1
    return f"rolling12:{month_date(last).isoformat()[:7]}"


def in_period(records, spec: str):
    try:
        period = parse_period(spec)
    except ValueError as exc:
        raise ComplianceError(str(exc)) from exc
    first = period.first_date
    last = month_date(period.last + 1)
    return records.filter(reported_on__gte=first, reported_on__lt=last), period


def case_results(records, rules: Rules, as_at: date) -> list[tuple[object, dict]]:
    return [(r, case_compliance(r.facts(r.events.all()), rules, as_at)) for r in records]


def _estimate(x: int, n: int) -> dict:
    est = estimate_rate(Sums(n, float(n), float(x), float(n), float(x)))
    return {"n": n, "met": x, "rate": est.rate, "ci_low": est.ci_low, "ci_high": est.ci_high,
            "low_base": words.low_base(n)}


def compliance_rows(results, *, by: tuple[str, ...]) -> list[dict]:
    """One row per group and measure: met of due, the rate and its 95% Wilson interval."""
    check_by(by)
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for record, values in results:
        key = tuple(GROUPINGS[b](record) for b in by)
        for measure in MEASURE_KEYS:
            if values[measure] is not None:
                counts[(key, measure)][0] += values[measure]
                counts[(key, measure)][1] += 1
    rows = []
    for (key, measure), (x, n) in sorted(counts.items(), key=lambda kv: (kv[0][0], MEASURE_KEYS.index(kv[0][1]))):
        rows.append({"group": dict(zip(by, key, strict=True)), "measure": measure,
                     "measure_label": MEASURE_LABELS[measure], **_estimate(x, n)})
    return rows


def compliance_gaps(results, *, by: tuple[str, ...]) -> list[dict]:
    """White against BME for each measure within each other group: the gap, its interval and words."""
    others = tuple(b for b in by if b != "ethnic_group")
    rows = compliance_rows(results, by=(*others, "ethnic_group"))
    table = {(tuple(r["group"][b] for b in others), r["group"]["ethnic_group"], r["measure"]): r for r in rows}
    gaps = []
    for key in sorted({k[0] for k in table}):
        for measure in MEASURE_KEYS:
            white, bme = table.get((key, "white", measure)), table.get((key, "bme", measure))
            if not white or not bme:
                continue
            cmp = compare_rates(_as_estimate(white), _as_estimate(bme))
            gaps.append({"group": dict(zip(others, key, strict=True)), "measure": measure,
                         "measure_label": MEASURE_LABELS[measure], "white_rate": white["rate"], "white_n": white["n"],
                         "bme_rate": bme["rate"], "bme_n": bme["n"], "gap": cmp.diff, "gap_ci_low": cmp.ci_low,
                         "gap_ci_high": cmp.ci_high, "verdict": words.gap_verdict(cmp.verdict),
                         "sentence": words.gap_sentence(cmp.verdict, cmp.diff, MEASURE_LABELS[measure])})
    return gaps


def _as_estimate(row: dict):
    return estimate_rate(Sums(row["n"], float(row["n"]), float(row["met"]), float(row["n"]), float(row["met"])))


def compliance_trend(results, *, measure: str) -> dict:
    """The measure month by month with a p-chart or Laney p′-chart and its signals (statistics.md §6)."""
    rows = [r for r in compliance_rows(results, by=("month",)) if r["measure"] == measure]
    if len(rows) < 2:
        return {"measure": measure, "points": [], "signals": [], "kind": None}
    chart = control_chart([r["group"]["month"] for r in rows], [r["rate"] for r in rows], [r["n"] for r in rows])
    data = chart.as_dict()
    return {"measure": measure, "measure_label": MEASURE_LABELS[measure], "kind": data["kind"],
            "points": data["points"], "signals": data["signals"]}


def kept_informed_beside(*, by: tuple[str, ...], period: str) -> tuple[dict[tuple, dict], str]:
    """Kept-informed satisfaction of the user satisfaction survey for the same groups and period, by the
    month of the incident (the survey asks 6–12 weeks later about the crime reported then), from the
    one survey engine. Returns ({group key: indicator row}, a note when it cannot be shown)."""
    from citizenfocus.engine import SourceError, indicator_rows, open_db_source

    if any(b not in SURVEY_GROUPINGS for b in by):
        return {}, "Kept-informed satisfaction is shown by division, crime type, ethnic group and month."
    try:
        rows = indicator_rows(open_db_source("uss"), measure="kept_informed", by=by, period=period,
                              date_basis="incident")
    except (SourceError, ValueError) as exc:
        return {}, f"No kept-informed satisfaction to show: {exc}"
    return {tuple(str(r["group"][b]) for b in by): r for r in rows}, ""
