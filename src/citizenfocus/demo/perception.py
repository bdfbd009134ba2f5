"""Rows of the two example surveys a force adds to its own: the public perception survey (its own
questions on feeling safe, knowing the local officer and cohesion) and the key individual network
(KIN) questionnaire on progress against local priorities.

Residents and key individuals are drawn as the confidence survey draws residents (a quarter at a
time, weighted to the population's age profile); each answer comes from a latent score cut into
the question's codes, so the full scale, "neither" included, has structure the pages can show:
BME residents feel less safe after dark, cohesion is lower in the Central division, and key
individuals see the first priority improve over the three years.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import arrow
from .confidence import (
    AGE_SHARES,
    BME_SHARE,
    NOT_STATED_SHARE,
    SAME_RATE,
    _per_division,
    age_weights,
)
from .fieldwork import quarterly_fieldwork
from .force import ward_table
from .people import (
    AGE_BANDS,
    BME,
    DISABILITIES,
    ETHNICITY_CODES,
    SEXES,
    draw_age,
    draw_disability,
    draw_ethnic_group,
    draw_ethnicity,
    draw_sex,
    draw_wards,
)
from .uss import cut, with_missing

PERSON_COLUMNS = (
    "response_id", "interview_date", "division", "neighbourhood", "ward", "ethnicity", "age_band", "sex",
    "disability",
)
PERCEPTION_QUESTIONS = ("police_confidence", "safe_after_dark", "know_local_officer", "cohesion")
KIN_QUESTIONS = ("priority_1_progress", "priority_2_progress", "priority_3_progress", "told_what_was_done")
PERCEPTION_COLUMNS = (*PERSON_COLUMNS, *PERCEPTION_QUESTIONS, "weight")
KIN_COLUMNS = (*PERSON_COLUMNS, *KIN_QUESTIONS, "weight")

# Latent score cuts, highest code first: 5-point agreement, 4-point safety, yes/no.
AGREEMENT_CUTS = (1.1, 0.2, -0.35, -1.2)
SAFETY_CUTS = (0.9, -0.3, -1.3)
YES_NO_CUTS = (0.45,)
PROGRESS_CUTS = (1.2, 0.3, -0.6, -1.4)
# (base, BME shift, per division (Northern, Central, Southern)) of each question's latent score.
PERCEPTION_EFFECTS = {
    "police_confidence": (0.25, -0.20, (0.05, -0.10, 0.05)),
    "safe_after_dark": (0.30, -0.35, (0.10, -0.25, 0.10)),
    "know_local_officer": (-0.15, -0.20, (0.10, -0.10, 0.00)),
    "cohesion": (0.35, -0.05, (0.10, -0.45, 0.15)),
}
MISSING = (0.01, 0.02, 0.005)  # blank, don't know, refused


def _people(rng, start: int, stop: int, size: int, prefix: str) -> tuple[dict, dict]:
    """Who answered, as Arrow columns, and the arrays the answers depend on."""
    n = stop - start
    table = ward_table()
    interview = quarterly_fieldwork().interview_days(start, stop, size)
    ward = draw_wards(rng, n, SAME_RATE)
    division = table.ward_division[ward]
    group = draw_ethnic_group(rng, _per_division(BME_SHARE)[division], NOT_STATED_SHARE)
    age = draw_age(rng, group, AGE_SHARES)
    columns = {
        "response_id": arrow.response_ids(prefix, start, stop, size),
        "interview_date": arrow.dates(interview),
        "division": arrow.labels(table.division_names, division),
        "neighbourhood": arrow.labels(table.neighbourhood_names, table.ward_neighbourhood[ward]),
        "ward": arrow.labels(table.ward_names, ward),
        "ethnicity": arrow.labels(ETHNICITY_CODES, draw_ethnicity(rng, group)),
        "age_band": arrow.labels(AGE_BANDS, age),
        "sex": arrow.labels(SEXES, draw_sex(rng, n)),
        "disability": arrow.labels(DISABILITIES, draw_disability(rng, age)),
        "weight": arrow.weights(age_weights()[age]),
    }
    return columns, {"division": division, "bme": group == BME, "interview": interview, "n": n}


def _answers(rng, scores: np.ndarray, cuts: tuple[float, ...], missing_code: int = 8) -> pa.Array:
    codes = with_missing(rng, cut(scores, cuts), MISSING)
    if missing_code != 9:
        codes[codes == 9] = missing_code  # a scale without "refused" records it as don't know
    return arrow.answer_codes(codes)


def perception_chunk(rng: np.random.Generator, start: int, stop: int, size: int) -> pa.RecordBatch:
    """Rows start..stop-1 of the public perception survey."""
    columns, people = _people(rng, start, stop, size, "PPS")
    shared = rng.standard_normal(people["n"])
    cuts = {"police_confidence": AGREEMENT_CUTS, "safe_after_dark": SAFETY_CUTS,
            "know_local_officer": YES_NO_CUTS, "cohesion": AGREEMENT_CUTS}
    for question, (base, bme, by_division) in PERCEPTION_EFFECTS.items():
        mean = base + np.where(people["bme"], bme, 0.0) + np.asarray(by_division)[people["division"]]
        score = mean + 0.6 * shared + 0.8 * rng.standard_normal(people["n"])
        columns[question] = _answers(rng, score, cuts[question])
    return pa.RecordBatch.from_arrays([columns[c] for c in PERCEPTION_COLUMNS], names=list(PERCEPTION_COLUMNS))


def kin_chunk(rng: np.random.Generator, start: int, stop: int, size: int) -> pa.RecordBatch:
    """Rows start..stop-1 of the key individual network questionnaire: the first priority improves."""
    columns, people = _people(rng, start, stop, size, "KIN")
    fieldwork = quarterly_fieldwork()
    first, span = fieldwork.starts[0], fieldwork.starts[-1] + fieldwork.lengths[-1] - fieldwork.starts[0]
    trend = (people["interview"] - first) / span  # 0 at the first quarter's start, 1 at the last's end
    shared = rng.standard_normal(people["n"])
    bases = {"priority_1_progress": -0.3 + 0.9 * trend, "priority_2_progress": 0.1 + 0.0 * trend,
             "priority_3_progress": -0.1 - 0.2 * trend}
    for question, mean in bases.items():
        score = mean + 0.5 * shared + 0.85 * rng.standard_normal(people["n"])
        columns[question] = _answers(rng, score, PROGRESS_CUTS)
    told = 0.2 + 0.4 * shared + rng.standard_normal(people["n"])
    columns["told_what_was_done"] = _answers(rng, told, YES_NO_CUTS)
    return pa.RecordBatch.from_arrays([columns[c] for c in KIN_COLUMNS], names=list(KIN_COLUMNS))
