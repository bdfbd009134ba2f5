"""Headers are matched loosely, by alias, or through a force's own mapping file."""

import pytest

from citizenfocus.surveys.importing import ImportRefused, survey_import
from citizenfocus.surveys.models import Response

from .conftest import CONFIDENCE_COLUMNS, TODAY, USS_COLUMNS, confidence_row, uss_row, write_csv

pytestmark = pytest.mark.django_db

THEIR_HEADER = [
    "URN", "Date of Interview", "Incident Date", "Crime Type", "BCU", "NPT", "Ward", "Ethnic Group", "Age",
    "Gender", "Disability", "Q1", "Actions", "Follow-up", "TREATMENT", "Overall_Satisfaction", "Weight",
    "Recontact", "Comments",
]


def test_it_matches_headers_by_alias_and_ignores_case_spaces_and_punctuation(areas, tmp_path):
    path = write_csv(tmp_path / "export.csv", [uss_row(1)], columns=USS_COLUMNS, header=THEIR_HEADER)

    summary = survey_import(path=path, survey="uss", today=TODAY)

    assert summary.rows_new == 1
    assert summary.columns["division"] == "BCU"
    assert summary.columns["whole_experience"] == "Overall_Satisfaction"
    assert summary.ignored_columns == []


def test_it_reports_the_columns_it_did_not_import(areas, tmp_path):
    columns = [*USS_COLUMNS, "interviewer_code"]
    path = write_csv(tmp_path / "survey.csv", [uss_row(1, interviewer_code="X9")], columns=columns)

    summary = survey_import(path=path, survey="uss", today=TODAY)

    assert summary.ignored_columns == ["interviewer_code"]


def _their_file(tmp_path):
    header = ["Resp No", *USS_COLUMNS[1:11], "S1", "S2", "S3", "S4", "S5", *USS_COLUMNS[16:]]
    return write_csv(tmp_path / "export.csv", [uss_row(1), uss_row(2)], columns=USS_COLUMNS, header=header)


def test_it_reads_a_toml_mapping_file(areas, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[columns]\n"Resp No" = "response_id"\nS1 = "ease_of_contact"\nS2 = "actions_taken"\n'
        'S3 = "kept informed"\nS4 = "treatment"\nS5 = "whole_experience"\n'
    )

    summary = survey_import(path=_their_file(tmp_path), survey="uss", today=TODAY, mapping=mapping)

    assert summary.rows_new == 2
    assert summary.columns["kept_informed"] == "S3"


def test_it_reads_a_csv_mapping_file_with_or_without_a_header(areas, tmp_path):
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(
        "their header,our column\nResp No,response_id\nS1,ease_of_contact\nS2,actions_taken\n"
        "S3,kept_informed\nS4,treatment\nS5,whole_experience\n"
    )

    assert survey_import(path=_their_file(tmp_path), survey="uss", today=TODAY, mapping=mapping).rows_new == 2


def test_a_mapping_can_leave_a_column_out(areas, tmp_path):
    path = write_csv(tmp_path / "s.csv", [uss_row(1, q99="x")], columns=[*USS_COLUMNS, "q99"])

    summary = survey_import(path=path, survey="uss", today=TODAY, mapping={"Q99": ""})

    assert summary.ignored_columns == []


def test_it_refuses_a_mapping_to_a_column_that_does_not_exist(areas, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns]\nS1 = "ease_contact"\n')

    with pytest.raises(ImportRefused) as refused:
        survey_import(path=_their_file(tmp_path), survey="uss", today=TODAY, mapping=mapping)

    message = str(refused.value.errors[0])
    assert message.startswith('mapping.toml, column "S1": maps "S1" to "ease_contact", which is not a column')
    assert Response.objects.count() == 0


def test_it_refuses_a_file_missing_required_columns_naming_each(areas, tmp_path):
    columns = [c for c in USS_COLUMNS if c not in ("kept_informed", "crime_type", "division", "neighbourhood")]
    path = write_csv(tmp_path / "survey.csv", [uss_row(1)], columns=columns)

    with pytest.raises(ImportRefused) as refused:
        survey_import(path=path, survey="uss", today=TODAY)

    missing = [e.column for e in refused.value.errors]
    assert missing == ["crime_type", "kept_informed", "division"]
    assert "is missing" in str(refused.value.errors[0])


def test_it_refuses_two_columns_that_mean_the_same(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1, age="40")], columns=[*USS_COLUMNS, "age"])

    with pytest.raises(ImportRefused) as refused:
        survey_import(path=path, survey="uss", today=TODAY)

    assert str(refused.value.errors[0]).startswith(
        'survey.csv row 1, column "age": means the same as column "age_band"'
    )


def test_a_confidence_file_needs_no_crime_type_and_uses_its_own_measures(areas, tmp_path):
    header = ["id", "interview date", "division", "neighbourhood", "ward", "ethnicity", "age", "sex",
              "disability", "SPI2a", "KDI", "perceived ASB", "weight"]
    path = write_csv(tmp_path / "conf.csv", [confidence_row(1)], columns=CONFIDENCE_COLUMNS, header=header)

    summary = survey_import(path=path, survey="confidence", today=TODAY)

    stored = Response.objects.get(response_id="C00001")
    assert summary.rows_new == 1
    codes = stored.codes()
    assert (codes["good_job"], codes["deal_with_matters"], codes["asb_problem"]) == (2, 4, 4)
    assert stored.crime_type == ""


QUESTION = '''
[[measures]]
key = "feel_safe"
label = "Feel safe in their neighbourhood"
question = "How safe or unsafe do you feel in your neighbourhood?"

[measures.scale]
name = "5-point safety"
positive = [1, 2]
negative = [3, 4, 5]

[measures.scale.labels]
1 = "Very safe"
2 = "Fairly safe"
3 = "Neither safe nor unsafe"
4 = "Fairly unsafe"
5 = "Very unsafe"
'''


def _residents_definition(tmp_path, extra: str = "") -> str:
    """The confidence survey as a force's own, with a question of its own (and `extra` TOML after it)."""
    from citizenfocus.surveys.definition import DEFINITIONS_DIR

    text = (DEFINITIONS_DIR / "confidence.toml").read_text(encoding="utf-8").replace(
        'key = "confidence"', 'key = "residents"').replace('name = "Public confidence survey"',
                                                           'name = "Residents survey"')
    path = tmp_path / "residents.toml"
    path.write_text(text + QUESTION + extra, encoding="utf-8")
    return str(path)


def test_a_column_headed_with_a_questions_whole_wording_is_that_question(areas, tmp_path):
    header = [*CONFIDENCE_COLUMNS, " HOW SAFE or unsafe do you feel in your neighbourhood "]
    path = write_csv(tmp_path / "residents.csv", [confidence_row(1, feel_safe="2")],
                     columns=[*CONFIDENCE_COLUMNS, "feel_safe"], header=header)

    summary = survey_import(path=path, survey=_residents_definition(tmp_path), today=TODAY)

    assert summary.columns["feel_safe"] == header[-1].strip() and summary.ignored_columns == []
    assert Response.objects.get(response_id="C00001").codes()["feel_safe"] == 2


def test_a_column_two_questions_are_worded_alike_for_is_refused_naming_both(areas, tmp_path):
    """Neither question takes the column: its answers would be stored as the other question's."""
    twin = QUESTION.replace('"feel_safe"', '"feel_safe_2024"').replace("Feel safe in", "Feel safe (2024) in")
    header = [*CONFIDENCE_COLUMNS, "How safe or unsafe do you feel in your neighbourhood?", "feel_safe_2024"]
    path = write_csv(tmp_path / "residents.csv", [confidence_row(1, feel_safe="2", feel_safe_2024="1")],
                     columns=[*CONFIDENCE_COLUMNS, "feel_safe", "feel_safe_2024"], header=header)

    with pytest.raises(ImportRefused) as refused:
        survey_import(path=path, survey=_residents_definition(tmp_path, twin), today=TODAY)

    assert str(refused.value.errors[0]) == (
        'residents.csv row 1, column "How safe or unsafe do you feel in your neighbourhood?": is the name of more '
        "than one question in the survey definition (feel_safe, feel_safe_2024): head it with the key of the "
        "question it holds, or map it in a mapping file")
    assert Response.objects.count() == 0
    mapping = {"How safe or unsafe do you feel in your neighbourhood?": "feel_safe"}  # as the message says
    assert survey_import(path=path, survey=_residents_definition(tmp_path, twin), today=TODAY,
                         mapping=mapping).rows_new == 1


def test_a_questions_key_and_its_wording_as_two_columns_are_refused_as_the_same(areas, tmp_path):
    header = [*CONFIDENCE_COLUMNS, "feel_safe", "How safe or unsafe do you feel in your neighbourhood?"]
    path = write_csv(tmp_path / "residents.csv", [confidence_row(1, feel_safe="2", again="2")],
                     columns=[*CONFIDENCE_COLUMNS, "feel_safe", "again"], header=header)

    with pytest.raises(ImportRefused) as refused:
        survey_import(path=path, survey=_residents_definition(tmp_path), today=TODAY)

    assert str(refused.value.errors[0]).startswith(
        'residents.csv row 1, column "How safe or unsafe do you feel in your neighbourhood?": means the same as '
        'column "feel_safe" (feel_safe)')


@pytest.mark.parametrize(("survey", "needs"), [
    ("uss", "User satisfaction survey files need this column"),
    ("confidence", "Public confidence survey files need this column"),
    ("perception", "Public perception survey files need this column"),
    ("kin", "Key individual network questionnaire files need this column"),
])
def test_a_missing_column_is_said_to_be_needed_by_the_surveys_files_in_words(survey, needs):
    from citizenfocus.surveys.definition import get_definition
    from citizenfocus.surveys.importing.columns import plan_columns, survey_columns

    definition = get_definition(survey)
    question = definition.item_keys[0]
    header = [c for c in survey_columns(definition) if c != question]

    _, problems = plan_columns(header, definition=definition, mapping={}, file="june.csv", header_row=1)

    assert len(problems) == 1
    assert str(problems[0]).startswith(f'june.csv, column "{question}": is missing: {needs} (also recognised as '
                                       f'"{definition.item(question).label}"; ')
