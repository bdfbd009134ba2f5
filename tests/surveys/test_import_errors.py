"""A bad file is refused whole: every problem named by row, column and value; nothing stored."""

import pytest

from citizenfocus.surveys.importing import ImportRefused, survey_import
from citizenfocus.surveys.models import ImportBatch, Response

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db


def _refused(tmp_path, rows, **kwargs) -> ImportRefused:
    path = write_csv(tmp_path / "survey.csv", rows, columns=USS_COLUMNS)
    with pytest.raises(ImportRefused) as refused:
        survey_import(path=path, survey="uss", today=TODAY, **kwargs)
    return refused.value


def _messages(tmp_path, **changes) -> list[str]:
    return [str(e) for e in _refused(tmp_path, [uss_row(1), uss_row(2, **changes)]).errors]


def test_an_unknown_neighbourhood_names_the_closest(areas, tmp_path):
    assert _messages(tmp_path, neighbourhood="Hightown Cntral") == [
        'survey.csv row 3, column "neighbourhood": "Hightown Cntral" is not a known neighbourhood; '
        "closest: Hightown Central"
    ]


def test_an_unknown_division_and_ward(areas, tmp_path):
    messages = _messages(tmp_path, division="Nothern", ward="Kastle")

    assert messages[0] == 'survey.csv row 3, column "division": "Nothern" is not a known division; closest: Northern'
    assert messages[1] == ('survey.csv row 3, column "ward": "Kastle" is not a ward of Hightown Central; '
                           "closest: Castle")


def test_a_division_and_neighbourhood_that_disagree(areas, tmp_path):
    assert _messages(tmp_path, division="Southern", ward="") == [
        'survey.csv row 3, column "neighbourhood": "Hightown Central" is in Northern division, not in '
        '"Southern": the division and neighbourhood disagree'
    ]


def test_a_ward_of_another_neighbourhood(areas, tmp_path):
    assert _messages(tmp_path, ward="Abbey") == [
        'survey.csv row 3, column "ward": "Abbey" is in Hightown East, not in "Hightown Central"'
    ]


def test_a_neighbourhood_name_in_two_divisions_needs_the_division(areas, tmp_path):
    [message] = _messages(tmp_path, division="", neighbourhood="Town Centre", ward="")

    assert "is the name of neighbourhoods in Northern and Southern divisions: give the division" in message


def test_no_division_and_no_neighbourhood(areas, tmp_path):
    [message] = _messages(tmp_path, division="", neighbourhood="", ward="")

    assert message == 'survey.csv row 3, column "division": is blank: every response needs a division or a neighbourhood'


@pytest.mark.parametrize(("date", "expected"), [
    ("31/02/2013", '"31/02/2013" is not a date that exists: February 2013 has 28 days'),
    ("14/13/2013", '"14/13/2013" is not a date: there is no month 13'),
    ("next week", '"next week" is not a date: use a date such as 2013-05-31'),
    ("02/12/2013", '"02/12/2013" is in the future: the interview date cannot be after today (01/12/2013)'),
    ("", "the interview date is blank: every response needs one"),
])
def test_impossible_future_and_missing_dates(areas, tmp_path, date, expected):
    [message] = _messages(tmp_path, interview_date=date)

    assert message.startswith(f'survey.csv row 3, column "interview_date": {expected}')


def test_an_incident_after_the_interview(areas, tmp_path):
    assert _messages(tmp_path, incident_date="20/06/2013") == [
        'survey.csv row 3, column "incident_date": "20/06/2013" is after the interview date (14/06/2013): '
        "the incident must come first"
    ]


def test_it_refuses_a_file_with_duplicate_ids_naming_both_rows(areas, tmp_path):
    refusal = _refused(tmp_path, [uss_row(1), uss_row(2), uss_row(1)])

    assert [str(e) for e in refusal.errors] == [
        'survey.csv row 4, column "response_id": "U00001" is also the response id on row 2: '
        "each response must appear once in a file"
    ]


def test_an_answer_outside_the_scale_says_what_is_accepted(areas, tmp_path):
    [message] = _messages(tmp_path, treatment="Very satisified")

    assert message.startswith('survey.csv row 3, column "treatment": "Very satisified" is not an answer on the '
                              "7-point satisfaction scale; closest: Very satisfied")
    assert "1 = Completely satisfied" in message and "9 = Refused" in message


@pytest.mark.parametrize(("column", "value", "expected"), [
    ("crime_type", "Shoplifting", "is not a known crime type"),
    ("crime_type", "", "is blank: every USS response needs a crime type"),
    ("ethnicity", "Martian", "is not a known ethnicity"),
    ("age_band", "12", "is younger than the youngest age band (16 and over)"),
    ("sex", "Robot", "is not a known sex"),
    ("weight", "0", "is not a usable weight: it must be a number from 0.000001 to 1,000,000"),
    ("weight", "heavy", "is not a number"),
    ("recontact_consent", "maybe", "is not a yes or no answer"),
    ("response_id", "", "the response id is blank"),
])
def test_each_bad_value_is_named_with_its_column(areas, tmp_path, column, value, expected):
    [message] = _messages(tmp_path, **{column: value})

    assert message.startswith(f'survey.csv row 3, column "{column}": ')
    assert expected in message
    assert f'"{value}"' in message or not value


def test_every_problem_is_reported_not_just_the_first(areas, tmp_path):
    rows = [uss_row(i, sex="Robot") for i in range(1, 31)]

    refusal = _refused(tmp_path, rows)

    assert refusal.error_count == 30
    assert [e.row for e in refusal.errors] == list(range(2, 32))


def test_a_file_with_any_error_changes_nothing_and_is_kept_as_a_refused_batch(areas, tmp_path, django_user_model):
    survey_import(path=write_csv(tmp_path / "first.csv", [uss_row(1)], columns=USS_COLUMNS), survey="uss",
                  today=TODAY)
    before = list(Response.objects.values_list("response_id", "row_hash", "batch_id"))
    user = django_user_model.objects.create_user("analyst")
    rows = [uss_row(1, whole_experience="7"), uss_row(2), uss_row(3, sex="Robot")]

    refusal = _refused(tmp_path, rows, user=user, source="web")

    assert list(Response.objects.values_list("response_id", "row_hash", "batch_id")) == before
    assert ImportBatch.objects.filter(status="stored").count() == 1
    batch = refusal.batch
    assert (batch.status, batch.rows_read, batch.error_count, batch.rows_new) == ("refused", 3, 1, 0)
    assert (batch.imported_by, batch.imported_by_name, batch.source) == (user, "analyst", "web")
    assert batch.errors == [{"file": "survey.csv", "row": 4, "column": "sex", "value": "Robot",
                             "expected": batch.errors[0]["expected"]}]
    assert len(batch.file_sha256) == 64


def test_a_refused_batch_keeps_the_first_thousand_problems_and_counts_all(areas, tmp_path):
    refusal = _refused(tmp_path, [uss_row(i, sex="Robot", treatment="11") for i in range(1, 700)])

    assert refusal.error_count == 1398
    assert len(refusal.batch.errors) == 1000
    assert refusal.batch.error_count == 1398


def test_an_installation_with_no_areas_says_so_once(db, tmp_path):
    refusal = _refused(tmp_path, [uss_row(1), uss_row(2)])

    assert [str(e) for e in refusal.errors] == [
        'survey.csv, column "division": cannot be placed: no divisions are set up in this installation yet; '
        "add the force's divisions and neighbourhoods (Administration) before importing"
    ]


def test_an_unknown_survey_is_refused_without_a_batch(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1)], columns=USS_COLUMNS)

    with pytest.raises(ImportRefused) as refused:
        survey_import(path=path, survey="burglary", today=TODAY)

    assert refused.value.batch is None
    assert "unknown survey 'burglary'" in str(refused.value)
