"""Answers as codes or labels; demographics, crime types, dates and areas read leniently."""

from datetime import date

import pytest

from citizenfocus.surveys.importing import survey_import
from citizenfocus.surveys.models import Response

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db


def _stored(tmp_path, **changes) -> Response:
    path = write_csv(tmp_path / "survey.csv", [uss_row(1, **changes)], columns=USS_COLUMNS)
    survey_import(path=path, survey="uss", today=TODAY)
    return Response.objects.get(response_id="U00001")


@pytest.mark.parametrize(("answer", "code"), [
    ("1", 1), ("3", 3), ("4", 4), ("7", 7), ("8", 8), ("9", 9), ("", None),
    ("Very satisfied", 2), ("fairly DISSATISFIED", 5), ("Don't know", 8), ("dont know", 8),
    ("Neither satisfied nor dissatisfied", 4), ("2.0", 2),
])
def test_answers_are_stored_as_their_code_on_the_scale_from_codes_or_labels(areas, tmp_path, answer, code):
    assert _stored(tmp_path, whole_experience=answer).codes().get("whole_experience") == code


@pytest.mark.parametrize(("given", "code"), [
    ("W1", "W1"), ("a1", "A1"), ("Asian or Asian British: Indian", "A1"), ("Indian", "A1"),
    ("white irish", "W2"), ("Any other White background", "W4"), ("", "NS"), ("Prefer not to say", "NS"),
    ("Black or Black British - Caribbean", "B2"),
])
def test_ethnicity_by_code_label_or_the_part_after_the_colon(areas, tmp_path, given, code):
    assert _stored(tmp_path, ethnicity=given).ethnicity == code


@pytest.mark.parametrize(("given", "band"), [
    ("35-44", "35-44"), ("35 to 44", "35-44"), ("16", "16-24"), ("44", "35-44"), ("80", "75+"),
    ("", "Not stated"), ("75+", "75+"),
])
def test_age_by_band_or_years(areas, tmp_path, given, band):
    assert _stored(tmp_path, age_band=given).age_band == band


@pytest.mark.parametrize(("given", "key"), [
    ("domestic_burglary", "domestic_burglary"), ("Burglary Dwelling", "domestic_burglary"),
    ("Racist incident / hate crime", "hate_crime"), ("ASB", "asb"), ("vehicle", "vehicle_crime"),
])
def test_crime_type_by_key_label_or_alias(areas, tmp_path, given, key):
    assert _stored(tmp_path, crime_type=given).crime_type == key


@pytest.mark.parametrize(("given", "when"), [
    ("2013-06-14", date(2013, 6, 14)), ("14/06/2013", date(2013, 6, 14)), ("4/6/13", date(2013, 6, 4)),
    ("14.06.2013", date(2013, 6, 14)), ("14-Jun-2013", date(2013, 6, 14)), ("41439", date(2013, 6, 14)),
    ("2013-06-14 10:30:00", date(2013, 6, 14)), ("20130614", date(2013, 6, 14)),
])
def test_dates_in_the_forms_exports_use(areas, tmp_path, given, when):
    assert _stored(tmp_path, interview_date=given).interview_date == when


def test_demographics_weight_and_consent(areas, tmp_path):
    stored = _stored(tmp_path, sex="f", disability="Y", weight="", recontact_consent="0")

    assert (stored.sex, stored.disability, stored.weight, stored.recontact_consent) == ("Female", "Yes", 1.0, False)


def test_blank_consent_is_unknown_and_a_decimal_comma_weight_is_read(areas, tmp_path):
    stored = _stored(tmp_path, recontact_consent="", weight="1,25")

    assert (stored.recontact_consent, stored.weight) == (None, 1.25)


def test_the_division_is_derived_from_the_neighbourhood(areas, tmp_path):
    stored = _stored(tmp_path, division="", neighbourhood="Riverside", ward="")

    assert (stored.division, stored.neighbourhood, stored.ward) == (areas["south"], areas["riverside"], None)


def test_a_ward_alone_places_the_response_in_its_neighbourhood(areas, tmp_path):
    stored = _stored(tmp_path, division="", neighbourhood="", ward="Quayside")

    assert (stored.division, stored.neighbourhood) == (areas["south"], areas["riverside"])


def test_areas_by_code_and_a_shared_neighbourhood_name_placed_by_its_division(areas, tmp_path):
    stored = _stored(tmp_path, division="SOUTH", neighbourhood="Town Centre", ward="")

    assert stored.neighbourhood.code == "south-town-centre"
    assert _stored(tmp_path, division="north", neighbourhood="hightown-east", ward="").neighbourhood == areas["east"]
