"""The persisted cube's sums counted in numpy from the responses' codes (engine.stored._sums_of_coded_rows: the
cells found from the rows, per cell and code a count, Σw and Σw², assembled into every measure's and every
answer-code share measure's five sums) equal the five sums that sums_expr's GROUP BY gives over the canonical
table with a 1/0/NULL column per measure (the engine's path for files and warehouses), to 1e-12: with NULL
weights, missing codes, blanks, migrated outcomes, codes off the scale, answers to questions the definition does
not have, and undated responses; over the stored responses (each code read from their packed codes: the rebuild
from the stored responses), and over an import's code columns (the refresh after an import)."""

import dataclasses
from types import SimpleNamespace

import ibis
import numpy as np
import pyarrow as pa
import pytest

from citizenfocus.engine import stored
from citizenfocus.engine.columns import with_derived_columns
from citizenfocus.engine.cube import STANDARD_DIMENSIONS
from citizenfocus.engine.sources import _canonical_db_table
from citizenfocus.engine.sums import STATISTICS, sums_expr, to_monthly_sums
from citizenfocus.surveys.definition import get_definition
from citizenfocus.surveys.packing import pack

DEFINITION = get_definition("uss")
SURVEY = SimpleNamespace(pk=3)


def _tables(seed: int, n: int = 1500) -> dict[str, pa.Table]:
    """A random design in the stored tables' shape: responses (with a code column per question, as an
    import's checked rows hold them) and their answers in long form, with the areas."""
    rng = np.random.default_rng(seed)
    divisions = pa.table({"id": [1, 2], "name": ["Northern", "Southern"]})
    neighbourhoods = pa.table({"id": [10, 11, 12], "name": ["Ashby Moor", "Calderby", "Chalkney"]})
    wards = pa.table({"id": [100, 101], "name": ["Ashby North", "Chalkney Village"]})
    start = np.datetime64("2012-04-01")
    interview = (start + rng.integers(0, 200, n).astype("timedelta64[D]")).astype(object)
    interview[rng.random(n) < 0.05] = None  # undated
    weight = np.round(rng.uniform(0.3, 3.0, n), 4).astype(object)
    weight[rng.random(n) < 0.1] = None
    neighbourhood = rng.choice([10, 11, 12], n).astype(object)
    neighbourhood[rng.random(n) < 0.1] = None
    responses = {
        "id": np.arange(1, n + 1), "survey_id": np.where(rng.random(n) < 0.05, 4, SURVEY.pk),
        "response_id": [f"R{i}" for i in range(n)], "interview_date": interview.tolist(),
        "incident_date": interview.tolist(), "crime_type": rng.choice(["burglary", "asb", "hate_crime"], n).tolist(),
        "division_id": rng.choice([1, 2], n), "neighbourhood_id": neighbourhood.tolist(),
        "ward_id": rng.choice([100, 101], n), "ethnicity": rng.choice(["W1", "A1", "NS", "B2"], n).tolist(),
        "age_band": rng.choice(["16-24", "35-44", "75+"], n).tolist(), "sex": rng.choice(["Male", "Female"], n).tolist(),
        "disability": rng.choice(["Yes", "No"], n).tolist(), "weight": weight.tolist(),
    }
    # codes on the scale, missing ones (8, 9), a blank (0), a migrated outcome (-1) and one off the scale (42)
    codes = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 0, -1, 42])
    p = np.array([12, 20, 25, 10, 8, 6, 5, 3, 2, 2, 1, 1], dtype=float)
    answers = {}
    for item in (*DEFINITION.item_keys, "withdrawn_question"):
        given = codes[rng.choice(len(codes), n, p=p / p.sum())].astype(object)
        given[rng.random(n) < 0.15] = None  # not asked: no answer row
        if item in DEFINITION.item_keys:
            responses[item] = pa.array(given.tolist(), pa.int16())
        answers[item] = given.tolist()
    schema = {"interview_date": pa.date32(), "incident_date": pa.date32(), "weight": pa.float64(),
              "neighbourhood_id": pa.int64()}
    # packed at slots in an order of their own (a withdrawn question's among them), as a survey's stored codes
    slots = {item: slot for slot, item in enumerate(sorted(answers, reverse=True))}
    responses["answer_codes"] = [pack({item: answers[item][i] for item in answers}, slots) for i in range(n)]
    responses = pa.table({k: pa.array(v, schema.get(k)) if not isinstance(v, pa.Array) else v
                          for k, v in responses.items()})
    return {"areas_division": divisions, "areas_neighbourhood": neighbourhoods, "areas_ward": wards,
            "surveys_response": responses,
            "surveys_surveyitem": pa.table({"survey_id": pa.array([SURVEY.pk] * len(slots), pa.int64()),
                                            "item": list(slots), "slot": pa.array(list(slots.values()), pa.int64())})}


def _grouped_sums(con, *, months) -> dict:
    """Every measure's and share measure's five sums by the engine's GROUP BY: a column per measure, sums_expr."""
    measures = (*DEFINITION.measures, *DEFINITION.all_share_measures)
    table = _canonical_db_table(con, survey_id=SURVEY.pk, definition=DEFINITION, measures=measures)
    table = stored._in_months(with_derived_columns(table, definition=DEFINITION), months)
    keys = tuple(m.key for m in measures)
    sums = to_monthly_sums(sums_expr(table, measures=keys, by=STANDARD_DIMENSIONS).to_pyarrow(),
                           by=STANDARD_DIMENSIONS, strata=None, measures=keys)
    return _by_cell(sums, keys)


def _by_cell(sums, keys) -> dict:
    out = {}
    for i in range(len(sums)):
        cell = (int(sums.month[i]), *(sums.keys[d][i] for d in STANDARD_DIMENSIONS))
        out[cell] = (sums.rows[i], np.array([sums.sums[k][s][i] for k in keys for s in STATISTICS]))
    return out


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("months", [None, "some"])
def test_sums_counted_from_the_codes_equal_the_group_by(seed, months):
    con, tables = ibis.duckdb.connect(), _tables(seed)
    for name, table in tables.items():
        con.con.register(name, table)
    if months == "some":  # three dated months and the undated responses
        months = {2012 * 12 + 4, 2012 * 12 + 6, 2012 * 12 + 8, -1}
    keys = (*DEFINITION.measure_keys, *(m.key for m in DEFINITION.all_share_measures))
    expected = _grouped_sums(con, months=months)
    assert len(expected) > 100

    # the stored responses, each code read from their packed codes (they hold no code column here)
    stored_con = ibis.duckdb.connect()
    for name, table in tables.items():
        stored_con.con.register(name, table.drop_columns(list(DEFINITION.item_keys))
                                if name == "surveys_response" else table)
    layout = stored._share_layout(DEFINITION)

    def counted(source, *, wide: bool, path: str) -> dict:
        """The coded rows of `source` counted in numpy, checked against the GROUP BY cell by cell."""
        coded = stored._coded_rows_expr(source, SURVEY, DEFINITION, basis="interview", months=months, wide=wide)
        found = stored._sums_of_coded_rows(coded.to_pyarrow(), DEFINITION, layout)
        assert found.measures == keys
        assert list(found.month) == sorted(found.month)  # each month's cells together, as they are packed
        got = _by_cell(found, keys)
        assert len(got) == len(found)  # no cell twice
        assert got.keys() == expected.keys()
        for cell, (rows, sums) in expected.items():
            assert got[cell][0] == rows
            np.testing.assert_allclose(got[cell][1], sums, rtol=1e-12, atol=1e-12, err_msg=str((path, cell)))
        # the share measures' arrays are the columns of the matrix a month stores
        packed = np.frombuffer(stored._share_matrix(found, keys[len(DEFINITION.measure_keys):],
                                                    np.arange(len(found))), dtype="<f8")
        unpacked = stored._share_matrix(dataclasses.replace(found, share_matrix=None),
                                        keys[len(DEFINITION.measure_keys):], np.arange(len(found)))
        np.testing.assert_array_equal(packed, np.frombuffer(unpacked, dtype="<f8"))
        return got

    got = counted(stored_con, wide=False, path="stored")
    assert any(sums[0] == 0 for _, sums in got.values())  # cells where a measure has no valid answer: zeros

    # an import's rows counted in numpy (what the refresh after an import does): no row per answer at all
    counted(con, wide=True, path="codes")
