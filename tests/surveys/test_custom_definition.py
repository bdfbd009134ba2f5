"""A force's own survey definition, loaded from a path, is stored with the survey and used for its figures."""

import pytest

from citizenfocus.surveys.definition import DEFINITIONS_DIR
from citizenfocus.surveys.importing import survey_import
from citizenfocus.surveys.models import Survey

from .conftest import uss_row, write_csv


def _own_definition(tmp_path):
    text = (DEFINITIONS_DIR / "uss.toml").read_text(encoding="utf-8")
    text = text.replace('key = "uss"', 'key = "uss-local"').replace(
        'name = "User satisfaction survey"', 'name = "Our victim survey"')
    # This force counts "White: any other White background" as minority ethnic.
    text += (
        '\n[ethnicity]\n[ethnicity.grouping]\nname = "Local: White British and Irish only"\n'
        'white = ["W1", "W2"]\nbme = ["W3", "W4", "M1", "M2", "M3", "M4", "A1", "A2", "A3", "A4", "A5", '
        '"B1", "B2", "B3", "O1", "O2"]\nnot_stated = ["NS"]\n'
    )
    path = tmp_path / "our-uss.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_import_with_a_definition_path_stores_the_forces_own_definition(areas, tmp_path):
    definition = _own_definition(tmp_path)
    data = tmp_path / "april.csv"
    write_csv(data, [uss_row(1, ethnicity="W4"), uss_row(2, ethnicity="W1")])
    summary = survey_import(path=data, survey=str(definition), user_name="analyst")
    assert summary.rows_new == 2
    survey = Survey.objects.get(key="uss-local")
    assert survey.name == "Our victim survey"
    assert survey.definition.grouping.group_of("W4") == "bme"
    assert survey.definition.grouping.name == "Local: White British and Irish only"


@pytest.mark.django_db(transaction=True)
def test_the_engine_groups_ethnicity_by_the_stored_definition(areas, tmp_path):
    from citizenfocus.engine import indicator_rows, open_db_source

    data = tmp_path / "april.csv"
    write_csv(data, [uss_row(1, ethnicity="W4"), uss_row(2, ethnicity="W1"), uss_row(3, ethnicity="W4")])
    survey_import(path=data, survey=str(_own_definition(tmp_path)), user_name="analyst")
    rows = indicator_rows(open_db_source("uss-local"), measure="whole_experience", by=("ethnic_group",),
                          period="month:2013-06")
    assert {r["group"]["ethnic_group"]: r["n"] for r in rows} == {"white": 1, "bme": 2, "not_stated": 0}


def test_a_refused_file_leaves_the_stored_definition_as_it_was(areas, tmp_path):
    """A file with any problem changes nothing: not even the definition given with it as a path."""
    from citizenfocus.surveys.importing import ImportRefused
    from citizenfocus.surveys.models import DefinitionChange

    data = tmp_path / "april.csv"
    write_csv(data, [uss_row(1)])
    survey_import(path=data, survey="uss", user_name="analyst")
    own = tmp_path / "our-uss.toml"
    own.write_text((DEFINITIONS_DIR / "uss.toml").read_text(encoding="utf-8").replace("deft = 1.0", "deft = 1.3"),
                   encoding="utf-8")
    bad = tmp_path / "may.csv"
    write_csv(bad, [uss_row(2, interview_date="31/02/2013")])

    with pytest.raises(ImportRefused):
        survey_import(path=bad, survey=str(own), user_name="analyst")
    assert Survey.objects.get(key="uss").definition.deft == 1.0
    assert not DefinitionChange.objects.exclude(note="registered").exists()

    write_csv(bad, [uss_row(2)])
    survey_import(path=bad, survey=str(own), user_name="analyst")  # stored: the definition changes with it
    assert Survey.objects.get(key="uss").definition.deft == 1.3
    change = DefinitionChange.objects.exclude(note="registered").get()
    assert (change.note, change.who_name) == ("from our-uss.toml", "analyst")  # who imported the file
