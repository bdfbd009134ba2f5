"""The check by column (Arrow, a chunk of rows at a time) names the same rows, columns and values as a
check row by row would, across chunks, for every file type; and stores the same values."""

from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from citizenfocus.surveys.importing import ImportRefused, columnar, row_hash, survey_import
from citizenfocus.surveys.importing.validate import ROW_FIELDS
from citizenfocus.surveys.models import Response

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 4 rows, so that a few rows cross chunk boundaries."""
    monkeypatch.setattr(columnar, "CHUNK_ROWS", 4)


def _refused(path) -> list[tuple]:
    with pytest.raises(ImportRefused) as refused:
        survey_import(path=path, survey="uss", today=TODAY)
    assert Response.objects.count() == 0
    return [(e.row, e.column, e.value, e.expected) for e in refused.value.errors]


def _parquet(path, rows: list[dict], types: dict | None = None):
    types = types or {}
    columns = {c: [row.get(c, "") for row in rows] for c in rows[0]}
    table = pa.table({c: pa.array(v, types.get(c, pa.string())) for c, v in columns.items()})
    pq.write_table(table, path)
    return path


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_bad_cell_in_the_last_row_of_the_second_chunk_names_its_row(areas, tmp_path, small_chunks, suffix):
    rows = [uss_row(i) for i in range(1, 9)]
    rows[-1] = uss_row(8, sex="Robot")  # row 9 of the sheet: the last of the second chunk of 4
    path = tmp_path / f"survey.{suffix}"
    write_csv(path, rows, columns=USS_COLUMNS) if suffix == "csv" else _parquet(path, rows)

    problems = _refused(path)

    assert [(row, column, value) for row, column, value, _ in problems] == [(9, "sex", "Robot")]
    assert problems[0][3].startswith("is not a known sex")


def test_a_response_id_given_again_in_a_later_chunk_names_both_rows(areas, tmp_path, small_chunks):
    rows = [uss_row(i) for i in range(1, 10)]
    rows[7] = uss_row(2)  # row 9 repeats the id of row 3
    path = write_csv(tmp_path / "survey.csv", rows, columns=USS_COLUMNS)

    problems = _refused(path)

    assert problems == [(9, "response_id", "U00002", "is also the response id on row 3: "
                         "each response must appear once in a file")]


def test_problems_in_several_chunks_are_in_sheet_order(areas, tmp_path, small_chunks):
    rows = [uss_row(i) for i in range(1, 11)]
    rows[1] = uss_row(2, treatment="11")
    rows[5] = uss_row(6, weight="heavy", division="Westeros")
    rows[9] = uss_row(10, interview_date="")
    path = write_csv(tmp_path / "survey.csv", rows, columns=USS_COLUMNS)

    problems = _refused(path)

    assert [(row, column) for row, column, _, _ in problems] == [
        (3, "treatment"), (7, "division"), (7, "weight"), (11, "interview_date")]


def test_blank_lines_across_chunks_keep_the_sheet_row_numbers(areas, tmp_path, small_chunks):
    path = write_csv(tmp_path / "survey.csv", [uss_row(i) for i in range(1, 7)] + [uss_row(7, age_band="old")],
                     columns=USS_COLUMNS)
    lines = path.read_text(encoding="utf-8").splitlines()
    # Header, two rows, two blank lines, three rows, a line of empty cells, the last two rows.
    path.write_text("\n".join([*lines[:3], "", "", *lines[3:6], ",,,", *lines[6:]]) + "\n", encoding="utf-8")

    problems = _refused(path)

    assert [(row, column, value) for row, column, value, _ in problems] == [(11, "age_band", "old")]


def test_a_byte_order_mark_is_not_part_of_the_first_header_or_id(areas, tmp_path, small_chunks):
    path = write_csv(tmp_path / "survey.csv", [uss_row(i) for i in range(1, 6)], columns=USS_COLUMNS,
                     encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    assert survey_import(path=path, survey="uss", today=TODAY).rows_new == 5
    assert sorted(Response.objects.values_list("response_id", flat=True)) == [f"U{i:05d}" for i in range(1, 6)]


def test_a_csv_column_of_codes_labels_and_odd_spacing_is_read_cell_by_cell_alike(areas, tmp_path, small_chunks):
    rows = [
        uss_row(1, treatment="1", weight="1,5", comment="  fine  "),
        uss_row(2, treatment="Very satisfied", weight=" 0.75 ", comment="caf\u00e9\u00a0"),
        uss_row(3, treatment=" 7 ", weight="2", recontact_consent="N", comment="\u2019quoted\u2019"),
        uss_row(4, treatment="", age_band="40", sex="f", comment=""),
        uss_row(5, treatment="completely dissatisfied", ethnicity="white irish"),
    ]
    path = write_csv(tmp_path / "survey.csv", rows, columns=USS_COLUMNS)

    survey_import(path=path, survey="uss", today=TODAY)

    stored = {r.response_id: r for r in Response.objects.all()}
    assert [stored[f"U0000{i}"].codes().get("treatment") for i in range(1, 6)] == [1, 2, 7, None, 7]
    assert [stored[f"U0000{i}"].weight for i in range(1, 4)] == [1.5, 0.75, 2.0]
    assert [stored[f"U0000{i}"].comment for i in range(1, 5)] == ["fine", "caf\u00e9", "\u2019quoted\u2019", ""]
    assert (stored["U00004"].age_band, stored["U00004"].sex) == ("35-44", "Female")
    assert stored["U00003"].recontact_consent is False
    assert stored["U00005"].ethnicity == "W2"
    for response in stored.values():  # each hash is of the stored values, whichever path read the row
        values = tuple(getattr(response, f + "_id" if f in ("division", "neighbourhood", "ward") else f)
                       for f in ROW_FIELDS)
        assert response.row_hash == row_hash(values, response.answer_codes)
    again = survey_import(path=path, survey="uss", today=TODAY)
    assert (again.rows_new, again.rows_changed, again.rows_unchanged) == (0, 0, 5)


def test_an_excel_column_of_numbers_and_text_is_read_value_by_value(areas, tmp_path, small_chunks):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(USS_COLUMNS)
    for i, treatment in enumerate([1, "Fairly satisfied", 6.0, "", "Robot"], start=1):
        row = uss_row(i, treatment=treatment, interview_date=date(2013, 6, 14))
        sheet.append([row[c] if row[c] != "" else None for c in USS_COLUMNS])
    path = tmp_path / "survey.xlsx"
    workbook.save(path)

    problems = _refused(path)

    assert [(row, column, value) for row, column, value, _ in problems] == [(6, "treatment", "Robot")]


def test_a_parquet_file_with_columns_of_the_wrong_type_is_refused_with_each_column_named(areas, tmp_path):
    rows = [uss_row(i) for i in range(1, 4)]
    columns = {c: [row[c] for row in rows] for c in USS_COLUMNS}
    columns["interview_date"] = [20130614, 41439, 3]      # whole numbers, read as Excel's day numbers
    columns["treatment"] = [1.0, 2.5, None]                # a code with a fraction
    columns["kept_informed"] = [[1], [2], [3]]             # a list in each cell
    columns["weight"] = [True, False, True]                 # yes/no where a number belongs
    types = {"interview_date": pa.int64(), "treatment": pa.float64(), "kept_informed": pa.list_(pa.int64()),
             "weight": pa.bool_()}
    path = tmp_path / "survey.parquet"
    pq.write_table(pa.table({c: pa.array(v, types.get(c, pa.string())) for c, v in columns.items()}), path)

    problems = _refused(path)

    by_cell = {(row, column): (value, expected) for row, column, value, expected in problems}
    assert by_cell[(2, "interview_date")] == ("20130614", "is not a date: use a date such as 2013-05-31, "
                                              "31/05/2013 or 31/5/13")
    assert (3, "interview_date") not in by_cell  # Excel's day 41439 is 14 June 2013
    assert by_cell[(4, "incident_date")][1] == "is after the interview date (02/01/1900): the incident must come first"
    assert by_cell[(3, "treatment")][1].startswith("is not an answer on the 7-point satisfaction scale")
    assert {row for row, column in by_cell if column == "kept_informed"} == {2, 3, 4}
    assert by_cell[(2, "kept_informed")][0] == "[1]"
    assert by_cell[(2, "weight")] == ("True", "is not a number: the weight must be a number from 0.000001 to "
                                      "1,000,000 (blank means 1)")


def test_a_parquet_file_of_typed_columns_is_stored_as_the_same_values(areas, tmp_path, small_chunks):
    rows = [uss_row(i, weight=str(0.5 + i / 10)) for i in range(1, 7)]
    columns = {c: [row[c] for row in rows] for c in USS_COLUMNS}
    columns["interview_date"] = [date(2013, 6, i) for i in range(1, 7)]
    columns["treatment"] = [1, 2, None, 4, 5, 6]
    columns["weight"] = [float(w) for w in columns["weight"]]
    types = {"interview_date": pa.date32(), "treatment": pa.int8(), "weight": pa.float64()}
    path = tmp_path / "survey.parquet"
    pq.write_table(pa.table({c: pa.array(v, types.get(c, pa.string())) for c, v in columns.items()}), path)

    assert survey_import(path=path, survey="uss", today=TODAY).rows_new == 6

    stored = Response.objects.order_by("response_id")
    assert [r.interview_date for r in stored] == [date(2013, 6, i) for i in range(1, 7)]
    assert [r.codes().get("treatment") for r in stored] == [1, 2, None, 4, 5, 6]
    assert [r.weight for r in stored] == pytest.approx([0.6, 0.7, 0.8, 0.9, 1.0, 1.1])


def test_a_duplicate_id_found_at_the_end_is_kept_in_row_order_when_the_log_is_full():
    from citizenfocus.surveys.importing.errors import ProblemLog

    log = ProblemLog("june.csv", keep=3)
    for row in (2, 5, 9, 12):  # the fourth is counted, not kept
        log.add(row, "sex", "Robot", "is not a known sex")
    log.add_late(4, "response_id", "U1", "is also the response id on row 3")
    log.add_late(20, "response_id", "U2", "is also the response id on row 6")

    assert log.count == 6
    assert [(p.row, p.column) for p in log.problems] == [(2, "sex"), (4, "response_id"), (5, "sex")]


