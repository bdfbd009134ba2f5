"""A small random survey, written the same way to every backend the engine reads.

The rows are in the import format (answer codes, area names); `store_responses`
puts the same rows into a Django database through the models, so the stored
shape is exactly what the import would leave.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from citizenfocus.surveys.definition import DEFINITIONS_DIR, get_definition

from ..support import store_responses_with_answers

AREAS = {
    "Northern": {"Ashby Moor": ["Ashby Moor North", "Ashby Moor South"], "Calderby": ["Calderby Green"]},
    "Central": {"Canal Basin": ["Canal Basin East"], "Market Cross": ["Market Cross West", "Market Cross Park"]},
    "Southern": {"Chalkney": ["Chalkney Village"]},
}
# A neighbourhood that exists but whose only responses are outside the usual test period.
QUIET_NEIGHBOURHOOD = ("Southern", "Dewmere", "Dewmere Heath")
ETHNICITIES = ["W1", "W1", "W1", "W2", "W4", "A1", "A2", "B1", "B2", "M1", "O2", "NS"]
CRIME_TYPES = ["burglary", "violent_crime", "vehicle_crime", "hate_crime", "asb"]
AGE_BANDS = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
MEASURES = get_definition("uss").item_keys  # the file's answer columns
FIRST = date(2012, 4, 1)


def _wards() -> list[tuple[str, str, str]]:
    return [
        (division, hood, ward)
        for division, hoods in AREAS.items()
        for hood, wards in hoods.items()
        for ward in wards
    ]


def random_responses(n: int = 800, *, seed: int = 7) -> pa.Table:
    """n responses over April 2012 – March 2014, weighted, with missing answers and blanks."""
    rng = np.random.default_rng(seed)
    wards = _wards()
    pick = rng.integers(0, len(wards), n)
    days = rng.integers(0, 730, n)
    interview = [FIRST + timedelta(days=int(d)) for d in days]
    rows = {
        "response_id": [f"T{i:05d}" for i in range(n)],
        "interview_date": interview,
        "incident_date": [d - timedelta(days=int(rng.integers(40, 90))) for d in interview],
        "crime_type": rng.choice(CRIME_TYPES, n).tolist(),
        "division": [wards[i][0] for i in pick],
        "neighbourhood": [wards[i][1] for i in pick],
        "ward": [wards[i][2] for i in pick],
        "ethnicity": rng.choice(ETHNICITIES, n).tolist(),
        "age_band": rng.choice(AGE_BANDS, n).tolist(),
        "sex": rng.choice(["Male", "Female"], n).tolist(),
        "disability": rng.choice(["Yes", "No", "Not stated"], n).tolist(),
    }
    codes = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    shares = np.array([12, 20, 25, 10, 8, 6, 5, 3, 1], dtype=float)
    for key in MEASURES:
        answers = rng.choice(codes, n, p=shares / shares.sum()).astype(object)
        answers[rng.random(n) < 0.05] = None  # not asked
        rows[key] = answers.tolist()
    rows["weight"] = np.round(rng.uniform(0.3, 3.0, n), 4).tolist()
    rows["stratum"] = rng.choice(["s1", "s2", "s3"], n).tolist()
    for key, values in _quiet_rows(n).items():
        rows[key] = rows[key] + values
    return pa.table(rows)


def _quiet_rows(start: int) -> dict[str, list]:
    """Two responses from a neighbourhood in a month long before the test periods."""
    division, hood, ward = QUIET_NEIGHBOURHOOD
    return {
        "response_id": [f"T{start:05d}", f"T{start + 1:05d}"],
        "interview_date": [date(2011, 6, 10), date(2011, 6, 20)],
        "incident_date": [date(2011, 4, 1), date(2011, 4, 2)],
        "crime_type": ["burglary", "burglary"],
        "division": [division] * 2,
        "neighbourhood": [hood] * 2,
        "ward": [ward] * 2,
        "ethnicity": ["W1", "A1"],
        "age_band": ["25-34", "35-44"],
        "sex": ["Male", "Female"],
        "disability": ["No", "No"],
        **{key: [1, 5] for key in MEASURES},
        "weight": [1.0, 1.0],
        "stratum": ["s1", "s1"],
    }


def store_responses(table: pa.Table, *, using: str) -> None:
    """Store the rows in the Django database `using`, areas and survey included."""
    from django.utils import timezone

    from citizenfocus.areas.models import Division, Force, Neighbourhood, Ward
    from citizenfocus.surveys.models import ImportBatch, Response, Survey

    definition = get_definition("uss")
    force = Force.objects.using(using).create(name="Northvale Constabulary", code="northvale")
    areas = {}
    for i, (division, hood, ward) in enumerate([*_wards(), QUIET_NEIGHBOURHOOD]):
        d = Division.objects.using(using).get_or_create(force=force, name=division, defaults={"code": division.lower()})[0]
        n = Neighbourhood.objects.using(using).get_or_create(division=d, name=hood, defaults={"code": f"n{i}"})[0]
        areas[ward] = (d, n, Ward.objects.using(using).create(neighbourhood=n, name=ward))
    survey = Survey.objects.using(using).create(
        key="uss", name=definition.name, definition_toml=(DEFINITIONS_DIR / "uss.toml").read_text()
    )
    now = timezone.now()
    batch = ImportBatch.objects.using(using).create(
        survey=survey, imported_by_name="tests", source="cli", started_at=now, finished_at=now,
        file_name="random.parquet", file_sha256="0" * 64, status="stored",
    )
    responses = []
    for row in table.to_pylist():
        d, n, w = areas[row["ward"]]
        codes = {key: row[key] for key in MEASURES}
        responses.append((Response(
            survey=survey, response_id=row["response_id"], interview_date=row["interview_date"],
            incident_date=row["incident_date"], crime_type=row["crime_type"], division=d,
            neighbourhood=n, ward=w, ethnicity=row["ethnicity"], age_band=row["age_band"],
            sex=row["sex"], disability=row["disability"], weight=row["weight"], batch=batch,
            row_hash=row["response_id"],
        ), codes))
    store_responses_with_answers(responses, using=using)
