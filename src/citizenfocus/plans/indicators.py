"""The rate an action should move, before it started and since: n, rate, interval and the verdict.

Sums are taken with the ORM over stored survey responses (measures hold 1 / 0 /
NULL, with a weight); the statistics (weighted rate, Wilson interval on the
effective sample size, Newcombe comparison) are citizenfocus.stats's, the same
as every other figure in the system.

Before: the 12 months up to the day the action started. After: from that day,
up to 12 months, to today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, F, FloatField, Sum, Value, When

from citizenfocus.stats.verdicts import versus

from .dates import add_months
from .models import Action, IndicatorLink

BEFORE = "before the action started"


@dataclass
class Period:
    label: str
    start: dt.date
    end: dt.date  # inclusive
    n: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None

    def as_dict(self) -> dict:
        return {"label": self.label, "from": self.start.isoformat(), "to": self.end.isoformat(), "n": self.n,
                "rate": self.rate, "ci_low": self.ci_low, "ci_high": self.ci_high}


def _group_codes(link: IndicatorLink) -> frozenset[str] | None:
    if link.group == IndicatorLink.Group.ALL:
        return None
    from citizenfocus.surveys.definition import get_definition

    grouping = get_definition(link.survey_key).grouping
    return grouping.white if link.group == IndicatorLink.Group.WHITE else grouping.bme


def period_sums(link: IndicatorLink, start: dt.date, end: dt.date):
    """The sufficient statistics (n, Σw, Σwy, Σw², Σw²y) of the linked measure over [start, end], from the
    answers to its question (y = 1 for the measure's positive codes, 0 for its negative ones)."""
    from citizenfocus.stats import Sums
    from citizenfocus.surveys.definition import get_definition
    from citizenfocus.surveys.models import Response, Survey, code_of
    from citizenfocus.surveys.packing import code_text

    measure = get_definition(link.survey_key).measure(link.measure_key)
    positive, negative = measure.outcome_codes()
    survey_id = Survey.objects.filter(key=link.survey_key).values_list("pk", flat=True).first()
    code = code_of(survey_id, measure.item_key) if survey_id is not None else None
    if code is None:  # the survey never stored an answer to the question
        return Sums(n=0, sw=0.0, swy=0.0, sw2=0.0, sw2y=0.0)
    rows = Response.objects.annotate(given=code).filter(
        survey_id=survey_id, given__in=sorted(code_text(c) for c in positive | negative),
        interview_date__gte=start, interview_date__lte=end,
    )
    codes = _group_codes(link)
    if codes is not None:
        rows = rows.filter(ethnicity__in=sorted(codes))
    if link.neighbourhood_id:
        rows = rows.filter(neighbourhood_id=link.neighbourhood_id)
    elif link.division_id:
        rows = rows.filter(division_id=link.division_id)
    w = F("weight")
    y = Case(When(given__in=sorted(code_text(c) for c in positive), then=Value(1.0)), default=Value(0.0),
             output_field=FloatField())
    totals = rows.aggregate(n=Count("pk"), sw=Sum(w), swy=Sum(w * y, output_field=FloatField()),
                            sw2=Sum(w * w, output_field=FloatField()),
                            sw2y=Sum(w * w * y, output_field=FloatField()))
    return Sums(n=totals["n"] or 0, sw=totals["sw"] or 0.0, swy=totals["swy"] or 0.0, sw2=totals["sw2"] or 0.0,
                sw2y=totals["sw2y"] or 0.0)


def _period(link, label, start, end, deft: float) -> tuple[Period, object]:
    from citizenfocus.stats import estimate_rate

    estimate = estimate_rate(period_sums(link, start, end), deft=deft)
    return Period(label, start, end, estimate.n, estimate.rate, estimate.ci_low, estimate.ci_high), estimate


def before_and_after(action: Action, *, today: dt.date) -> dict:
    """The linked measure's rate before and since the action started, with the comparison in words."""
    link = getattr(action, "indicator", None)
    if link is None or link.archived:
        return {"linked": False}
    from citizenfocus.surveys.definition import DefinitionError, get_definition

    try:
        definition = get_definition(link.survey_key)
        measure_label, deft = definition.measure(link.measure_key).label, definition.deft
    except (DefinitionError, KeyError):
        measure_label, deft = link.measure_key, 1.0
    out = {"linked": True, "survey": link.survey_key, "measure": link.measure_key, "measure_label": measure_label,
           "group": link.get_group_display(), "area": link.area_label}
    start = action.start_date
    if start is None:
        return {**out, "message": "The action has no start date yet: the comparison starts when work does."}
    if start > today:
        return {**out, "message": f"The action starts on {start:%d %b %Y}: nothing to compare yet."}
    from citizenfocus.stats import compare_rates

    before_start = add_months(start, -12)
    after_end = min(add_months(start, 12) - dt.timedelta(days=1), today)
    before, before_estimate = _period(link, "12 months before the action started", before_start,
                                      start - dt.timedelta(days=1), deft)
    after, after_estimate = _period(link, "since the action started", start, after_end, deft)
    comparison = compare_rates(after_estimate, before_estimate)
    return {**out, "before": before.as_dict(), "after": after.as_dict(), "verdict": comparison.verdict,
            "verdict_words": versus(comparison.verdict, BEFORE),
            "difference": comparison.diff, "difference_ci": [comparison.ci_low, comparison.ci_high]}
