"""The import reads CSV in any common encoding and delimiter, Excel and Parquet."""

from datetime import date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from citizenfocus.surveys.importing import ImportRefused, survey_import
from citizenfocus.surveys.models import Response

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db


def _import(path, **kwargs):
    return survey_import(path=path, survey="uss", today=TODAY, **kwargs)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "cp1252", "utf-8"])
def test_it_reads_csv_in_each_encoding(areas, tmp_path, encoding):
    comment = "Officer was polite – but I heard nothing for £0 and no café visit"
    rows = [uss_row(1, comment=comment), uss_row(2)]
    path = write_csv(tmp_path / "survey.csv", rows, columns=USS_COLUMNS, encoding=encoding)
    if encoding == "utf-16-be":  # Python writes no BOM for an explicit byte order: add it
        path.write_bytes(b"\xfe\xff" + path.read_bytes())

    summary = _import(path)

    assert summary.rows_new == 2
    assert Response.objects.get(response_id="U00001").comment == comment


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_it_sniffs_the_delimiter(areas, tmp_path, delimiter):
    rows = [uss_row(1, comment="Fine, thanks; all good"), uss_row(2)]
    path = write_csv(tmp_path / "survey.csv", rows, columns=USS_COLUMNS, delimiter=delimiter)

    assert _import(path).rows_new == 2
    assert Response.objects.get(response_id="U00001").comment == "Fine, thanks; all good"


def test_it_skips_blank_lines_and_counts_rows_as_the_sheet_does(areas, tmp_path):
    path = tmp_path / "survey.csv"
    write_csv(path, [uss_row(1), uss_row(2), uss_row(3, sex="Robot")], columns=USS_COLUMNS)
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], lines[1], ",,,", lines[2], lines[3]]) + "\n")

    with pytest.raises(ImportRefused) as refused:
        _import(path)

    assert [(e.row, e.column, e.value) for e in refused.value.errors] == [(5, "sex", "Robot")]


def _xlsx(path, rows, *, title_rows=(), sheets_before=0, dates_as_dates=False):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Notes" if sheets_before else "Responses"
    if sheets_before:
        sheet.append(["This workbook was exported from the survey contractor's system"])
        sheet = workbook.create_sheet("Responses")
    for title in title_rows:
        sheet.append([title])
    sheet.append(USS_COLUMNS)
    for row in rows:
        values = [row[c] for c in USS_COLUMNS]
        if dates_as_dates:
            values[1] = datetime.fromisoformat(row["interview_date"])
            values[2] = date.fromisoformat(row["incident_date"])
        values[11:16] = [int(v) for v in values[11:16]]
        sheet.append(values)
    workbook.save(path)
    return path


def test_it_reads_excel_with_dates_and_numbers(areas, tmp_path):
    path = _xlsx(tmp_path / "survey.xlsx", [uss_row(1), uss_row(2)], dates_as_dates=True)

    assert _import(path).rows_new == 2
    stored = Response.objects.get(response_id="U00001")
    assert stored.interview_date == date(2013, 6, 14)
    assert (stored.codes()["ease_of_contact"], stored.codes()["kept_informed"]) == (1, 5)


def test_it_finds_the_sheet_and_row_with_the_header(areas, tmp_path):
    rows = [uss_row(1), uss_row(2, whole_experience="12")]
    path = _xlsx(tmp_path / "survey.xlsx", rows, title_rows=["Victim satisfaction, June", ""], sheets_before=1)

    with pytest.raises(ImportRefused) as refused:
        _import(path)

    # Title, blank, header are rows 1-3 of the sheet: the second response is on row 5.
    assert [(e.row, e.column, e.value) for e in refused.value.errors] == [(5, "whole_experience", "12")]


def test_it_reads_parquet_with_typed_columns(areas, tmp_path):
    rows = [uss_row(1), uss_row(2)]
    columns = {c: [r[c] for r in rows] for c in USS_COLUMNS}
    columns["interview_date"] = [date(2013, 6, 14)] * 2
    columns["whole_experience"] = [1, None]
    columns["weight"] = [1.5, 0.5]
    path = tmp_path / "survey.parquet"
    pq.write_table(pa.table(columns), path)

    assert _import(path).rows_new == 2
    second = Response.objects.get(response_id="U00002")
    assert ("whole_experience" in second.codes(), second.weight) == (False, 0.5)


def test_it_refuses_a_file_type_it_cannot_read(areas, tmp_path):
    path = tmp_path / "survey.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")

    with pytest.raises(ImportRefused) as refused:
        _import(path)

    assert "save an old .xls workbook as .xlsx or CSV" in str(refused.value.errors[0])
    assert refused.value.batch.status == "refused"


def test_it_refuses_an_empty_file(areas, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("")

    with pytest.raises(ImportRefused) as refused:
        _import(path)

    assert str(refused.value.errors[0]) == "survey.csv: is empty: there is no header row and no responses"


def test_it_refuses_a_header_with_no_responses(areas, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(",".join(USS_COLUMNS) + "\n")

    with pytest.raises(ImportRefused) as refused:
        _import(path)

    assert str(refused.value.errors[0]) == "survey.csv: has a header but no responses"


def test_it_refuses_a_corrupt_workbook(areas, tmp_path):
    path = tmp_path / "survey.xlsx"
    path.write_text("not a workbook")

    with pytest.raises(ImportRefused) as refused:
        _import(path)

    assert "cannot be read as an Excel .xlsx workbook" in str(refused.value.errors[0])
