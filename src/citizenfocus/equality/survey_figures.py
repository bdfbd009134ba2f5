"""The one place the equality pages read survey figures: who answered, and rates by group.

Rates come from the dashboard's cube (the same figures as its overview page); who answered is a count of
stored responses by ethnicity, age band and sex. When the storage of answers changes, only this module
needs to follow.
"""

from __future__ import annotations

import pandas as pd
from django.db.models import Count

from citizenfocus.engine.indicators import resolve_period
from citizenfocus.performance.cube import get_cube
from citizenfocus.performance.figures import comparisons, estimates, record
from citizenfocus.surveys.models import Response

SURVEYS = (("uss", "Victims' satisfaction (whole experience)"), ("confidence", "Public confidence"))
RATE_GROUPS = (("all", "All respondents"), ("white", "White"), ("bme", "Black and minority ethnic"))
# The first letter of a 2011 Census self-defined code is its high-level group (W1 … O2; NS not stated).
HIGH_LEVEL = {"W": "White", "M": "Mixed", "A": "Asian", "B": "Black", "O": "Other"}


def respondents_by_group(*, survey: str, neighbourhood=None) -> dict[str, int]:
    """Stored respondents of a survey in each high-level ethnic group (not stated left out)."""
    found = Response.objects.filter(survey__key=survey)
    if neighbourhood is not None:
        found = found.filter(neighbourhood=neighbourhood)
    out = dict.fromkeys(HIGH_LEVEL.values(), 0)
    for code, n in found.values_list("ethnicity").annotate(n=Count("id")):
        group = HIGH_LEVEL.get((code or "")[:1])
        if group:
            out[group] += n
    return out


def respondents_by_age_sex(*, survey: str, neighbourhood=None) -> dict[tuple[str, str], int]:
    found = Response.objects.filter(survey__key=survey)
    if neighbourhood is not None:
        found = found.filter(neighbourhood=neighbourhood)
    return {(age, sex): n for age, sex, n in found.values_list("age_band", "sex").annotate(n=Count("id"))}


def rates_by_group(*, survey: str, neighbourhood=None, crime_type: str | None = None) -> tuple[str, list[dict]]:
    """(period label, rows) of the survey's overall measure for all, White and BME respondents over the
    12 months to its latest month, each with its base and interval; no rows when nothing is stored."""
    cube = get_cube(survey)
    if cube is None:
        return "", []
    period = resolve_period(None, latest=cube.last_month)
    frame = cube.slice(neighbourhood=neighbourhood.name if neighbourhood else None, crime_type=crime_type)
    measure = cube.definition.overall_measure
    by_group = cube.sums(frame, measure.key, by=("ethnic_group",), months=(period.first, period.last))
    sums = pd.DataFrame([by_group.sum(), *(by_group.loc[g] if g in by_group.index else by_group.sum() * 0
                                           for g, _ in RATE_GROUPS[1:])], index=[g for g, _ in RATE_GROUPS])
    found = estimates(sums, cube=cube)
    rows = [{"group": label, "measure": measure.label,
             **record(found.loc[key][["n", "rate", "ci_low", "ci_high"]])} for key, label in RATE_GROUPS]
    return period.label, rows


def rates_by_neighbourhood(*, survey: str) -> tuple[str, dict[str, dict[str, dict]]]:
    """(period label, {neighbourhood name: {all|white|bme: {n, rate, ci_low, ci_high}, gap: {diff, ci_low,
    ci_high, verdict}}}) for the survey's overall measure over the 12 months to its latest month."""
    cube = get_cube(survey)
    if cube is None:
        return "", {}
    period = resolve_period(None, latest=cube.last_month)
    measure = cube.definition.overall_measure
    sums = cube.sums(cube.slice(), measure.key, by=("neighbourhood", "ethnic_group"), months=(period.first, period.last))
    everyone = sums.groupby(level="neighbourhood").sum()
    out: dict[str, dict[str, dict]] = {}
    for name, row in estimates(everyone, cube=cube).iterrows():
        out.setdefault(name, {})["all"] = record(row[["n", "rate", "ci_low", "ci_high"]])
    found = estimates(sums, cube=cube)
    for (name, group), row in found.iterrows():
        if group in ("white", "bme"):
            out.setdefault(name, {})[group] = record(row[["n", "rate", "ci_low", "ci_high"]])
    groups = found.index.get_level_values(1)
    white, bme = found[groups == "white"].droplevel(1), found[groups == "bme"].droplevel(1)
    both = white.index.intersection(bme.index)
    for name, row in comparisons(white.loc[both], bme.loc[both]).iterrows():
        out[name]["gap"] = record(row[["diff", "ci_low", "ci_high", "verdict"]])
    return period.label, out


def respondents_for_calibration(*, survey: str, neighbourhood, measure: str, first, before) -> list[tuple]:
    """(age band, sex, high-level group, answer, weight) of each respondent in the neighbourhood who
    answered the measure in the months: only the cells calibration needs, never who they are."""
    from citizenfocus.surveys.definition import get_definition
    from citizenfocus.surveys.models import Response, Survey, code_of
    from citizenfocus.surveys.packing import code_text

    positive, negative = get_definition(survey).measure(measure).outcome_codes()
    survey_id = Survey.objects.filter(key=survey).values_list("pk", flat=True).first()
    code = code_of(survey_id, get_definition(survey).measure(measure).item_key) if survey_id is not None else None
    if code is None:  # the survey never stored an answer to the question
        return []
    found = Response.objects.annotate(given=code).filter(
        survey_id=survey_id, neighbourhood=neighbourhood, interview_date__gte=first, interview_date__lt=before,
        given__in=sorted(code_text(c) for c in positive | negative))
    rows = found.values_list("age_band", "sex", "ethnicity", "given", "weight")
    return [(age, sex, HIGH_LEVEL.get((ethnicity or "")[:1]), int(int(given) in positive), weight)
            for age, sex, ethnicity, given, weight in rows.order_by("pk")]
