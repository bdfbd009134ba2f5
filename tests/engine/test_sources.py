"""Sources: export files (codes or labels, CSV or Parquet) and stored responses give the canonical shape."""

from datetime import date

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from citizenfocus.engine import SourceError, open_db_source, open_file_source
from citizenfocus.engine.columns import with_derived_columns
from citizenfocus.surveys.definition import get_definition

USS = get_definition("uss")


def _write_csv(path, rows: dict) -> str:
    pacsv.write_csv(pa.table(rows), path)
    return str(path)


def _minimal(**measures) -> dict:
    n = len(next(iter(measures.values())))
    return {
        "interview_date": ["2014-03-05"] * n,
        "division": ["Central"] * n,
        "ethnicity": ["W1"] * n,
        **measures,
    }


def test_it_maps_codes_and_labels_to_outcomes_as_the_scale_says(tmp_path):
    answers = ["1", "Fairly satisfied", "fairly_DISSATISFIED", "7", "8", "Don't know", "", "9"]
    path = _write_csv(tmp_path / "mixed.csv", _minimal(treatment=answers))
    source = open_file_source(path, USS)
    got = source.table.treatment.to_pyarrow().to_pylist()
    assert got == [1, 1, 0, 0, None, None, None, None]
    assert source.warnings == ()


def test_integer_codes_map_through_the_scale_without_a_distinct_scan(tmp_path):
    path = tmp_path / "codes.parquet"
    rows = _minimal(treatment=pa.array([1, 3, 4, 7, 8, 9, None], pa.int8()))
    pq.write_table(pa.table(rows), path)
    got = open_file_source(path, USS).table.treatment.to_pyarrow().to_pylist()
    assert got == [1, 1, 0, 0, None, None, None]


def test_it_names_answers_the_scale_does_not_know_instead_of_losing_them_silently(tmp_path):
    path = _write_csv(tmp_path / "odd.csv", _minimal(treatment=["1", "Quite happy", "12"]))
    source = open_file_source(path, USS)
    assert source.table.treatment.to_pyarrow().to_pylist() == [1, None, None]
    assert len(source.warnings) == 1
    assert "treatment" in source.warnings[0] and "'Quite happy'" in source.warnings[0]


def test_an_out_of_range_integer_code_is_named_too(tmp_path):
    path = tmp_path / "codes.parquet"
    pq.write_table(pa.table(_minimal(treatment=pa.array([1, 12], pa.int16()))), path)
    source = open_file_source(path, USS)
    assert source.table.treatment.to_pyarrow().to_pylist() == [1, None]
    assert "'12'" in source.warnings[0]


def test_headers_match_as_the_import_matches_them_and_aliases_name_measures(tmp_path):
    rows = {"Interview Date": ["2014-03-05"], "ETHNICITY": ["W1"], "Overall": ["2"], "Weight": [2.5]}
    source = open_file_source(_write_csv(tmp_path / "headers.csv", rows), USS)
    row = source.table.to_pyarrow().to_pylist()[0]
    assert row["whole_experience"] == 1 and row["weight"] == 2.5
    assert row["interview_date"] == date(2014, 3, 5)
    assert source.measures == ("whole_experience", "whole_experience_neither")  # both from its answers


def test_weight_defaults_to_one_and_day_first_dates_are_read(tmp_path):
    rows = {"interview_date": ["05/03/2014", "31/12/2013"], "ethnicity": ["A1", "NS"], "treatment": [1, 5]}
    table = open_file_source(_write_csv(tmp_path / "uk.csv", rows), USS).table.to_pyarrow()
    assert table.column("weight").to_pylist() == [1.0, 1.0]
    assert table.column("interview_date").to_pylist() == [date(2014, 3, 5), date(2013, 12, 31)]


def test_ethnicity_labels_become_codes_and_group_by_the_definition(tmp_path):
    rows = _minimal(treatment=["1"] * 4)
    rows["ethnicity"] = ["W1", "Asian or Asian British: Indian", "ns", "Martian"]
    source = open_file_source(_write_csv(tmp_path / "eth.csv", rows), USS)
    derived = with_derived_columns(source.table, definition=USS).to_pyarrow()
    assert derived.column("ethnicity").to_pylist() == ["W1", "A1", "NS", "Martian"]
    assert derived.column("ethnic_group").to_pylist() == ["white", "bme", "not_stated", "not_stated"]
    assert any("Martian" in w for w in source.warnings)


def test_month_follows_the_chosen_date_basis(tmp_path):
    rows = _minimal(treatment=["1"])
    rows["incident_date"] = ["2014-01-20"]
    source = open_file_source(_write_csv(tmp_path / "dates.csv", rows), USS)
    by_interview = with_derived_columns(source.table, definition=USS).month.to_pyarrow().to_pylist()
    by_incident = with_derived_columns(source.table, definition=USS, date_basis="incident")
    assert by_interview == [date(2014, 3, 1)]
    assert by_incident.month.to_pyarrow().to_pylist() == [date(2014, 1, 1)]
    with pytest.raises(ValueError, match="date basis"):
        with_derived_columns(source.table, definition=USS, date_basis="arrival")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file"),
        ("survey.xlsx", b"x", "not a CSV or Parquet"),
        ("nodate.csv", b"ethnicity,treatment\nW1,1\n", "no interview_date column"),
        ("broken.parquet", b"not parquet at all", "cannot be read"),
    ],
)
def test_it_refuses_files_it_cannot_use_with_one_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        open_file_source(path, USS)


def test_the_file_and_the_stored_responses_give_the_same_canonical_rows(parquet_path, sqlite_database):
    columns = ["interview_date", "division", "neighbourhood", "ward", "ethnicity", "treatment", "weight"]

    def rows(source):
        table = source.table.select(*columns, "response_id").order_by("response_id").to_pyarrow()
        return table.select(columns).to_pylist()

    from_file = rows(open_file_source(parquet_path, USS))
    from_db = rows(open_db_source("uss", database=sqlite_database))
    assert from_file == from_db
    assert len(from_db) > 500


def test_open_db_source_refuses_an_unknown_survey_and_a_missing_database(sqlite_database, tmp_path):
    with pytest.raises(SourceError, match="'confidence' is not in the database"):
        open_db_source("confidence", database=sqlite_database)
    missing = {**sqlite_database, "NAME": str(tmp_path / "none.sqlite3")}
    with pytest.raises(SourceError, match="no such SQLite database"):
        open_db_source("uss", database=missing)
