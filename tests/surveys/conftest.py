"""Small areas and survey files for the import tests."""

import csv
from datetime import date

import pytest

from citizenfocus.areas.models import Division, Force, Neighbourhood, Ward

TODAY = date(2013, 12, 1)
USS_COLUMNS = [
    "response_id", "interview_date", "incident_date", "crime_type", "division", "neighbourhood", "ward",
    "ethnicity", "age_band", "sex", "disability", "ease_of_contact", "actions_taken", "kept_informed",
    "treatment", "whole_experience", "weight", "recontact_consent", "comment",
]
CONFIDENCE_COLUMNS = [
    "response_id", "interview_date", "division", "neighbourhood", "ward", "ethnicity", "age_band", "sex",
    "disability", "good_job", "deal_with_matters", "asb_problem", "weight",
]


@pytest.fixture
def areas(db):
    """A force with two divisions; 'Town Centre' is a neighbourhood name in both."""
    force = Force.objects.create(name="Test Constabulary", code="test")
    north = Division.objects.create(force=force, name="Northern", code="north")
    south = Division.objects.create(force=force, name="Southern", code="south")
    central = Neighbourhood.objects.create(division=north, name="Hightown Central", code="hightown-central")
    east = Neighbourhood.objects.create(division=north, name="Hightown East", code="hightown-east")
    riverside = Neighbourhood.objects.create(division=south, name="Riverside", code="riverside")
    Neighbourhood.objects.create(division=north, name="Town Centre", code="north-town-centre")
    Neighbourhood.objects.create(division=south, name="Town Centre", code="south-town-centre")
    Ward.objects.create(neighbourhood=central, name="Castle", code="E05000001")
    Ward.objects.create(neighbourhood=east, name="Abbey", code="E05000002")
    Ward.objects.create(neighbourhood=riverside, name="Quayside", code="E05000003")
    return {"force": force, "north": north, "south": south, "central": central, "east": east,
            "riverside": riverside}


def uss_row(n: int = 1, **changes) -> dict:
    """A good USS response in the canonical format; keyword arguments change cells."""
    row = {
        "response_id": f"U{n:05d}", "interview_date": "2013-06-14", "incident_date": "2013-04-02",
        "crime_type": "domestic_burglary", "division": "Northern", "neighbourhood": "Hightown Central",
        "ward": "Castle", "ethnicity": "W1", "age_band": "35-44", "sex": "Female", "disability": "No",
        "ease_of_contact": "1", "actions_taken": "2", "kept_informed": "5", "treatment": "1",
        "whole_experience": "3", "weight": "1", "recontact_consent": "yes", "comment": "",
    }
    row.update(changes)
    return row


def confidence_row(n: int = 1, **changes) -> dict:
    row = {
        "response_id": f"C{n:05d}", "interview_date": "14/06/2013", "division": "Southern",
        "neighbourhood": "Riverside", "ward": "", "ethnicity": "A1", "age_band": "65-74", "sex": "Male",
        "disability": "Yes", "good_job": "Good", "deal_with_matters": "Tend to disagree",
        "asb_problem": "Not a problem at all", "weight": "1.2",
    }
    row.update(changes)
    return row


def write_csv(path, rows: list[dict], *, columns=None, encoding="utf-8", delimiter=",", header=None):
    """Rows (dicts) as a CSV; header renames the columns as a force's export would."""
    columns = columns or list(rows[0])
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header or columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


@pytest.fixture
def uss_csv(tmp_path):
    def make(rows=None, name="survey.csv", **kwargs):
        rows = rows if rows is not None else [uss_row(i) for i in range(1, 4)]
        return write_csv(tmp_path / name, rows, columns=kwargs.pop("columns", USS_COLUMNS), **kwargs)

    return make
