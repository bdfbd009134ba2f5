"""Public confidence survey rows for the demo force, a chunk at a time.

Residents, not victims: sampled in proportion to population, a quarter at a
time, older than victims (as phone samples are) and weighted back to the
population's age profile. One latent "confidence in the local police" drives
all three answers, so good job and dealing with what matters go together and
ASB is seen as more of a problem by the less confident.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from . import arrow, model
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

CONFIDENCE_COLUMNS = (
    "response_id", "interview_date", "division", "neighbourhood", "ward", "ethnicity",
    "age_band", "sex", "disability", *model.CONFIDENCE_MEASURES, "weight",
)

BME_SHARE = {"Northern": 0.07, "Central": 0.19, "Southern": 0.09}
NOT_STATED_SHARE = 0.03
SAME_RATE = {"Northern": 1.0, "Central": 1.0, "Southern": 1.0}
# Who answers (white, BME, not stated): older than the population...
AGE_SHARES = (
    (0.08, 0.13, 0.16, 0.18, 0.18, 0.15, 0.10, 0.02),
    (0.13, 0.19, 0.21, 0.18, 0.12, 0.09, 0.06, 0.02),
    (0.09, 0.14, 0.16, 0.17, 0.17, 0.14, 0.09, 0.04),
)
# ...so each age band is weighted back to the resident population's profile.
POPULATION_AGE_SHARES = (0.15, 0.17, 0.16, 0.17, 0.14, 0.11, 0.08, 0.02)
# BME residents and age bands shift confidence; ASB moves the other way, and less.
ASB_SIGN = -0.5


@cache
def age_weights() -> np.ndarray:
    """Population share over expected sample share per age band, rescaled to mean 1."""
    sample = np.asarray(AGE_SHARES[0]) * 0.86 + np.asarray(AGE_SHARES[1]) * 0.11
    sample += np.asarray(AGE_SHARES[2]) * NOT_STATED_SHARE
    raw = np.asarray(POPULATION_AGE_SHARES) / sample
    return raw / np.sum(raw * sample)


def _per_division(values: dict[str, float]) -> np.ndarray:
    return np.asarray([values[name] for name in ward_table().division_names])


def confidence_scores(rng, division, group, age) -> dict[str, np.ndarray]:
    """Latent scores per measure: code 1 or 2 (the positive answers) when > 0."""
    n = len(division)
    person = np.where(group == BME, model.CONFIDENCE_BME_EFFECT, 0.0)
    person += np.asarray([model.CONFIDENCE_AGE_EFFECT.get(b, 0.0) for b in AGE_BANDS])[age]
    shared = rng.standard_normal(n)
    scores = {}
    for measure in model.CONFIDENCE_MEASURES:
        loading = model.CONFIDENCE_LOADING[measure]
        sign = ASB_SIGN if measure == "asb_problem" else 1.0
        mean = model.CONFIDENCE_BASE[measure] + sign * person
        mean += _per_division(model.CONFIDENCE_DIVISION_EFFECT[measure])[division]
        scores[measure] = mean + loading * shared + np.sqrt(1 - loading**2) * rng.standard_normal(n)
    return scores


def confidence_chunk(rng: np.random.Generator, start: int, stop: int, size: int) -> pa.RecordBatch:
    """Rows start..stop-1 of a file of size rows, drawn from this chunk's own generator."""
    n = stop - start
    table = ward_table()
    interview = quarterly_fieldwork().interview_days(start, stop, size)
    ward = draw_wards(rng, n, SAME_RATE)
    division = table.ward_division[ward]
    group = draw_ethnic_group(rng, _per_division(BME_SHARE)[division], NOT_STATED_SHARE)
    ethnicity = draw_ethnicity(rng, group)
    age = draw_age(rng, group, AGE_SHARES)
    sex = draw_sex(rng, n)
    disability = draw_disability(rng, age)
    scores = confidence_scores(rng, division, group, age)
    columns = {
        "response_id": arrow.response_ids("CON", start, stop, size),
        "interview_date": arrow.dates(interview),
        "division": arrow.labels(table.division_names, division),
        "neighbourhood": arrow.labels(table.neighbourhood_names, table.ward_neighbourhood[ward]),
        "ward": arrow.labels(table.ward_names, ward),
        "ethnicity": arrow.labels(ETHNICITY_CODES, ethnicity),
        "age_band": arrow.labels(AGE_BANDS, age),
        "sex": arrow.labels(SEXES, sex),
        "disability": arrow.labels(DISABILITIES, disability),
    }
    for measure in model.CONFIDENCE_MEASURES:
        codes = cut(scores[measure], model.CONFIDENCE_CUTS[measure])
        columns[measure] = arrow.answer_codes(
            with_missing(rng, codes, model.CONFIDENCE_MISSING[measure])
        )
    columns["weight"] = arrow.weights(age_weights()[age])
    return pa.RecordBatch.from_arrays(
        [columns[c] for c in CONFIDENCE_COLUMNS], names=list(CONFIDENCE_COLUMNS)
    )
