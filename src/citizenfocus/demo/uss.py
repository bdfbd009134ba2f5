"""User satisfaction survey rows for the demo force, a chunk at a time.

The effects come from model.py; this module only draws from them. Aspect
scores are latent (an ordinal probit), whole experience is an ordinal logit
on those scores, and the answer codes are the latent values cut at fixed
points, so every rate in the file has a known true value behind it.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from . import arrow, model
from .fieldwork import month_index, monthly_fieldwork
from .force import ward_table
from .people import (
    AGE_BANDS,
    BME,
    DISABILITIES,
    ETHNICITY_CODES,
    SEXES,
    YOUNG,
    categorical,
    draw_age,
    draw_disability,
    draw_ethnic_group,
    draw_ethnicity,
    draw_sex,
    draw_wards,
)

USS_COLUMNS = (
    "response_id", "interview_date", "incident_date", "crime_type", "division",
    "neighbourhood", "ward", "ethnicity", "age_band", "sex", "disability",
    *model.USS_MEASURES, "weight", "recontact_consent", "comment",
)

# Chance a victim is BME, by division; hate crime victims far more often are.
BME_SHARE = {"Northern": 0.065, "Central": 0.15, "Southern": 0.075}
HATE_CRIME_BME_FACTOR = 3.0
NOT_STATED_SHARE = 0.04
# Age band shares for white, BME and not-stated victims: BME victims are younger.
AGE_SHARES = (
    (0.16, 0.19, 0.19, 0.17, 0.13, 0.09, 0.05, 0.02),
    (0.22, 0.24, 0.20, 0.15, 0.09, 0.05, 0.03, 0.02),
    (0.17, 0.19, 0.19, 0.16, 0.12, 0.08, 0.05, 0.04),
)
INCIDENT_LAG_DAYS = (42, 84)  # 6 to 12 weeks before the interview
RECONTACT_CONSENT = 0.72

COMMENTS_SATISFIED = (
    "The officer who came out was kind and took it seriously.",
    "Someone came quickly, which I was grateful for.",
    "The call handler was patient with me.",
    "The officer was very professional.",
    "Good service overall.",
)
COMMENTS_NOT_INFORMED = (
    "Nobody told me what was happening with my case.",
    "I had to chase for an update several times.",
    "I was given a crime number and heard nothing more.",
    "Officer was polite, but I never heard back.",
)
COMMENTS_DISSATISFIED = (
    "It took too long for anyone to come out.",
    "I felt the officer did not take it seriously.",
    "Nothing was done, as far as I can tell.",
)
COMMENTS = ("", *COMMENTS_SATISFIED, *COMMENTS_NOT_INFORMED, *COMMENTS_DISSATISFIED)
COMMENT_RATE_SATISFIED = 0.08
COMMENT_RATE_DISSATISFIED = 0.18


def _per_division(values: dict[str, float]) -> np.ndarray:
    return np.asarray([values[name] for name in ward_table().division_names])


def _per_crime(values: dict[str, float]) -> np.ndarray:
    return np.asarray([values.get(key, 0.0) for key in model.CRIME_TYPES])


@cache
def weight_table() -> np.ndarray:
    """Design weight by (crime type, division): population share over sample share, mean 1.

    The stratification is by crime type (burglary and hate crime over-sampled,
    ASB under-sampled) and by division; rescaled so the expected mean is 1.
    """
    crime = np.asarray(model.CRIME_POPULATION_SHARE) / np.asarray(model.CRIME_SAMPLE_SHARE)
    table = ward_table()
    rates = _per_division(model.DIVISION_VICTIM_RATE)[table.ward_division]
    people = np.bincount(table.ward_division, weights=table.ward_population * rates)
    factor = _per_division(model.DIVISION_WEIGHT_FACTOR)
    factor = factor / np.sum(factor * people / people.sum())
    return crime[:, None] * factor[None, :]


def _bme_share(division: np.ndarray, crime: np.ndarray) -> np.ndarray:
    share = _per_division(BME_SHARE)[division]
    hate = crime == model.CRIME_TYPES.index("hate_crime")
    return np.where(hate, np.minimum(share * HATE_CRIME_BME_FACTOR, 0.85), share)


def _aspect_means(aspect: str, crime, division, bme, young, dip) -> np.ndarray:
    """The probit mean for one aspect: every effect in model.py, added up."""
    mean = (
        model.ASPECT_BASE[aspect]
        + _per_crime(model.CRIME_EFFECT)[crime]
        + _per_division(model.DIVISION_EFFECT)[division]
        + model.YOUNG_EFFECT * young
        + model.DIP_EFFECT[aspect] * dip
    )
    bme_effect = (
        model.BME_EFFECT[aspect]
        + _per_crime(model.BME_CRIME_EXTRA)[crime]
        + model.BME_YOUNG_EXTRA * young
    )
    return mean + bme_effect * bme


def _dip_rows(division: np.ndarray, interview: np.ndarray) -> np.ndarray:
    months = month_index(interview)
    dip_months = [
        (d.year - model.DEMO_FIRST_MONTH.year) * 12 + d.month - model.DEMO_FIRST_MONTH.month
        for d in model.DIP_MONTHS
    ]
    in_division = division == ward_table().division_index(model.DIP_DIVISION)
    return (in_division & np.isin(months, dip_months)).astype(np.float64)


def latent_scores(rng, crime, division, group, age, interview) -> dict[str, np.ndarray]:
    """Latent scores for the four aspects and whole experience (satisfied when > 0)."""
    bme = (group == BME).astype(np.float64)
    young = (age == YOUNG).astype(np.float64)
    dip = _dip_rows(division, interview)
    shared = rng.standard_normal(len(crime))
    own = np.sqrt(1.0 - model.ASPECT_LOADING**2)
    scores = {}
    for aspect in model.ASPECTS:
        mean = _aspect_means(aspect, crime, division, bme, young, dip)
        scores[aspect] = mean + model.ASPECT_LOADING * shared + own * rng.standard_normal(len(crime))
    whole = model.WHOLE_INTERCEPT + rng.logistic(size=len(crime))
    for aspect, coefficient in model.WHOLE_COEFFICIENT.items():
        whole += coefficient * scores[aspect]
    scores["whole_experience"] = whole
    return scores


def cut(scores: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    """Answer code 1 (highest) to len(cuts)+1 (lowest) from a latent score."""
    return 1 + (scores[:, None] <= np.asarray(cuts)[None, :]).sum(axis=1)


def with_missing(rng, codes: np.ndarray, shares: tuple[float, float, float]) -> np.ndarray:
    """Blank (0), don't know (8) or refused (9) for a few rows, independent of the answer."""
    blank, dont_know, refused = shares
    draws = rng.random(len(codes))
    out = codes.copy()
    out[draws < blank + dont_know + refused] = 9
    out[draws < blank + dont_know] = 8
    out[draws < blank] = 0
    return out


def _comments(rng, whole: np.ndarray, kept_informed: np.ndarray) -> np.ndarray:
    """Index into COMMENTS: about 10% of victims leave one, the dissatisfied more often."""
    n = len(whole)
    satisfied = (whole >= 1) & (whole <= 3)
    rate = np.where(satisfied, COMMENT_RATE_SATISFIED, COMMENT_RATE_DISSATISFIED)
    leaves = rng.random(n) < rate
    pick = rng.random(n)
    offsets = np.cumsum([1, len(COMMENTS_SATISFIED), len(COMMENTS_NOT_INFORMED)])
    not_informed = (kept_informed >= 4) & (kept_informed <= 7)
    good = offsets[0] + (pick * len(COMMENTS_SATISFIED)).astype(np.int64)
    informed = offsets[1] + (pick * len(COMMENTS_NOT_INFORMED)).astype(np.int64)
    bad = offsets[2] + (pick * len(COMMENTS_DISSATISFIED)).astype(np.int64)
    chosen = np.where(satisfied, good, np.where(not_informed, informed, bad))
    return np.where(leaves, chosen, 0)


def uss_chunk(rng: np.random.Generator, start: int, stop: int, size: int) -> pa.RecordBatch:
    """Rows start..stop-1 of a file of size rows, drawn from this chunk's own generator."""
    n = stop - start
    interview = monthly_fieldwork().interview_days(start, stop, size)
    incident = interview - rng.integers(INCIDENT_LAG_DAYS[0], INCIDENT_LAG_DAYS[1] + 1, n)
    crime = categorical(rng, model.CRIME_SAMPLE_SHARE, n)
    ward = draw_wards(rng, n, model.DIVISION_VICTIM_RATE)
    division = ward_table().ward_division[ward]
    group = draw_ethnic_group(rng, _bme_share(division, crime), NOT_STATED_SHARE)
    people = {
        "ethnicity": draw_ethnicity(rng, group),
        "age_band": draw_age(rng, group, AGE_SHARES),
        "sex": draw_sex(rng, n),
    }
    people["disability"] = draw_disability(rng, people["age_band"])
    scores = latent_scores(rng, crime, division, group, people["age_band"], interview)
    codes = {}
    for measure in model.USS_MEASURES:
        cuts = model.WHOLE_CUTS if measure == "whole_experience" else model.ASPECT_CUTS
        codes[measure] = with_missing(rng, cut(scores[measure], cuts), model.USS_MISSING[measure])
    consent = rng.random(n) < RECONTACT_CONSENT
    comment = _comments(rng, codes["whole_experience"], codes["kept_informed"])
    columns = _areas_and_people(start, stop, size, interview, incident, crime, ward, people)
    columns.update({m: arrow.answer_codes(codes[m]) for m in model.USS_MEASURES})
    columns["weight"] = arrow.weights(weight_table()[crime, division])
    columns["recontact_consent"] = arrow.labels(("no", "yes"), consent.astype(np.int64))
    columns["comment"] = arrow.labels(COMMENTS, comment)
    return pa.RecordBatch.from_arrays([columns[c] for c in USS_COLUMNS], names=list(USS_COLUMNS))


def _areas_and_people(start, stop, size, interview, incident, crime, ward, people) -> dict:
    table = ward_table()
    return {
        "response_id": arrow.response_ids("USS", start, stop, size),
        "interview_date": arrow.dates(interview),
        "incident_date": arrow.dates(incident),
        "crime_type": arrow.labels(model.CRIME_TYPES, crime),
        "division": arrow.labels(table.division_names, table.ward_division[ward]),
        "neighbourhood": arrow.labels(table.neighbourhood_names, table.ward_neighbourhood[ward]),
        "ward": arrow.labels(table.ward_names, ward),
        "ethnicity": arrow.labels(ETHNICITY_CODES, people["ethnicity"]),
        "age_band": arrow.labels(AGE_BANDS, people["age_band"]),
        "sex": arrow.labels(SEXES, people["sex"]),
        "disability": arrow.labels(DISABILITIES, people["disability"]),
    }
