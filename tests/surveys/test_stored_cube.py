"""The dashboard's monthly sums kept in the database: after every import, re-import, erasure and purge the
persisted cells are exactly a fresh GROUP BY of every stored response; a refused import leaves them as they
were; and the dashboard's cube is read from them, not from the responses."""

import datetime as dt

import numpy as np
import pytest

from citizenfocus.engine import stored
from citizenfocus.engine.cube import STANDARD_DIMENSIONS
from citizenfocus.engine.sums import STATISTICS, month_number
from citizenfocus.performance import cube as cubes
from citizenfocus.surveys.importing import ImportRefused, survey_import
from citizenfocus.surveys.models import CubeCell, Response, Survey
from citizenfocus.surveys.respondents import respondent_erase
from citizenfocus.surveys.retention import survey_purge

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db
ROWS = [
    uss_row(1),
    uss_row(2, interview_date="2013-07-03", ethnicity="A2", whole_experience="6", weight="1.25"),
    uss_row(3, interview_date="2013-07-21", neighbourhood="", ward="", treatment="", weight="0.75"),
    uss_row(4, interview_date="2011-05-10", incident_date="2011-03-28", division="Southern", neighbourhood="Riverside", ward="Quayside",
            age_band="25-34", ethnicity="NS", weight="2.5"),
    uss_row(5, interview_date="2013-08-30", crime_type="vehicle_crime", kept_informed="1", weight="1.1"),
]


def _import(tmp_path, rows, name="survey.csv"):
    path = write_csv(tmp_path / name, rows, columns=USS_COLUMNS)
    return survey_import(path=path, survey="uss", today=TODAY, user_name="analyst")


def _by_cell(sums) -> dict:
    """(month, dimension values...) → (rows, every measure's five sums)."""
    out = {}
    for i in range(len(sums)):
        key = (int(sums.month[i]), *(sums.keys[d][i] for d in STANDARD_DIMENSIONS))
        assert key not in out, f"cell {key} twice"
        out[key] = (sums.rows[i], tuple(sums.sums[m][s][i] for m in sums.measures for s in STATISTICS))
    return out


def _persisted(survey) -> dict:
    return _by_cell(stored._read_cells(survey, survey.definition.measure_keys, basis="interview"))


def assert_persisted_is_fresh(survey=None):
    survey = survey or Survey.objects.get(key="uss")
    persisted, fresh = _persisted(survey), _by_cell(stored.fresh_sums(survey))
    assert persisted.keys() == fresh.keys()
    for key, (rows, sums) in fresh.items():
        assert persisted[key][0] == rows, key
        np.testing.assert_array_equal(persisted[key][1], sums, err_msg=str(key))
    assert sum(rows for rows, _ in persisted.values()) == Response.objects.filter(survey=survey).count()


def test_an_import_writes_the_cells_of_its_months(areas, tmp_path):
    _import(tmp_path, ROWS)

    assert_persisted_is_fresh()
    months = set(CubeCell.objects.values_list("month", flat=True))
    assert months == {month_number(dt.date(y, m, 1)) for y, m in ((2013, 6), (2013, 7), (2011, 5), (2013, 8))}
    july = [c for k, c in _persisted(Survey.objects.get(key="uss")).items()
            if k[0] == month_number(dt.date(2013, 7, 1))]
    assert sorted(rows for rows, _ in july) == [1, 1]  # one response with no neighbourhood, its own cell


def test_a_reimport_that_moves_a_row_to_another_month_and_changes_an_answer_refreshes_both_months(areas, tmp_path):
    _import(tmp_path, ROWS)
    june = month_number(dt.date(2013, 6, 1))

    moved = [uss_row(1, interview_date="2013-09-02", whole_experience="7"), *ROWS[1:],
             uss_row(6, interview_date="2013-08-01")]
    summary = _import(tmp_path, moved, name="again.csv")

    assert (summary.rows_new, summary.rows_changed) == (1, 1)
    assert_persisted_is_fresh()
    assert not CubeCell.objects.filter(month=june).exists()  # its only response moved out


def test_a_changed_answer_in_the_same_month_is_counted_anew(areas, tmp_path):
    _import(tmp_path, ROWS)
    _import(tmp_path, [uss_row(2, interview_date="2013-07-03", ethnicity="A2", whole_experience="1",
                               weight="1.25")], name="again.csv")

    assert_persisted_is_fresh()


def test_a_refused_import_leaves_the_cells_as_they_were(areas, tmp_path):
    _import(tmp_path, ROWS)
    before = _persisted(Survey.objects.get(key="uss"))

    with pytest.raises(ImportRefused):
        _import(tmp_path, [uss_row(7, interview_date="2013-10-01"), uss_row(8, interview_date="not a date")],
                name="bad.csv")

    assert _persisted(Survey.objects.get(key="uss")) == before


def test_an_erasure_refreshes_the_respondents_month(areas, tmp_path):
    _import(tmp_path, ROWS)

    respondent_erase(survey=Survey.objects.get(key="uss"), response_id="U00002", reason="request 1",
                     who_name="dpo")

    assert_persisted_is_fresh()
    assert Response.objects.count() == 4


def test_a_purge_keeps_the_cells_equal_to_the_anonymised_responses(areas, tmp_path):
    _import(tmp_path, ROWS)

    result = survey_purge(survey=Survey.objects.get(key="uss"), who_name="dpo", today=TODAY)

    assert result.anonymised == 1
    assert_persisted_is_fresh()


def test_the_dashboard_reads_the_persisted_cells_not_the_responses(areas, tmp_path, monkeypatch):
    _import(tmp_path, ROWS)
    cubes.clear()

    def refuse(*args, **kwargs):
        raise AssertionError("the dashboard's cube went back to the responses")

    monkeypatch.setattr(stored, "fresh_sums", refuse)
    monkeypatch.setattr(cubes, "open_db_source", refuse)
    cube = cubes.get_cube("uss")

    assert cube.design_size == len(ROWS)
    assert cube.key.dimensions == STANDARD_DIMENSIONS
    everyone = cube.sums(cube.slice(), "whole_experience")
    assert everyone["n"].iloc[0] == 5
    assert everyone["swy"].iloc[0] == pytest.approx(1 + 0.75 + 2.5 + 1.1)  # codes 1-3 satisfied; U00002 gave 6


def test_a_changed_definition_rebuilds_every_month_on_the_next_read(areas, tmp_path):
    _import(tmp_path, ROWS)
    survey = Survey.objects.get(key="uss")
    CubeCell.objects.filter(survey=survey).update(rows=99)  # what a stale layout would hold
    survey.definition_toml += "\n# edited\n"
    survey.save(update_fields=["definition_toml"])

    stored.load_cube("uss")

    assert_persisted_is_fresh(survey)


def test_every_month_rebuilt_in_place_gives_the_same_cells(areas, tmp_path):
    _import(tmp_path, ROWS)
    survey = Survey.objects.get(key="uss")
    before = _persisted(survey)

    written = stored.refresh_months(survey, None)

    assert written == len(before) and _persisted(survey) == before
    assert stored.refresh_months(survey, []) == 0  # nothing asked, nothing rewritten
