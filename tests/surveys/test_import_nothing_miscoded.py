"""Nothing silently miscoded: a value the import cannot read for certain is refused, naming its
row, column and value, never stored as something else or as blank."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from citizenfocus.surveys.importing import ImportRefused, survey_import
from citizenfocus.surveys.models import Response

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv
from .damaged import with_saved_results, write_xlsx

pytestmark = pytest.mark.django_db


def _problems(path) -> list[tuple]:
    with pytest.raises(ImportRefused) as refused:
        survey_import(path=path, survey="uss", today=TODAY)
    assert Response.objects.count() == 0
    return [(p.row, p.column, p.value, p.expected) for p in refused.value.errors]


@pytest.mark.parametrize("age", ["-5", "-1", "(7)", "5", "-16", "(3)"])
def test_an_age_band_is_never_read_from_its_first_digit(areas, tmp_path, age):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1), uss_row(2, age_band=age)], columns=USS_COLUMNS)

    [(row, column, value, expected)] = _problems(path)

    assert (row, column, value) == (3, "age_band", age)
    assert "age" in expected


def test_a_sex_given_by_its_initial_is_still_read(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1, sex="m"), uss_row(2, sex="F")], columns=USS_COLUMNS)

    survey_import(path=path, survey="uss", today=TODAY)

    assert sorted(Response.objects.values_list("sex", flat=True)) == ["Female", "Male"]


def test_a_csv_row_with_fewer_values_than_the_header_is_refused(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1), uss_row(2)], columns=USS_COLUMNS)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = ",".join(lines[2].split(",")[:10])  # the row lost its last nine values
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    [(row, column, value, expected)] = _problems(path)

    assert (row, column, value) == (3, "disability", "")
    assert expected.startswith("is missing from this row: the row has 10 values but the header has 19 columns")


def test_a_csv_cut_short_inside_a_quoted_value_is_refused(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1), uss_row(2, comment="Kept me informed, thanks")],
                     columns=USS_COLUMNS)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("informed, thanks")], encoding="utf-8")  # cut mid-row, inside the quotes

    [(row, column, value, expected)] = _problems(path)

    assert (row, column, value) == (3, "comment", "Kept me")
    assert expected.startswith("is the end of the file, inside a quoted value: the file was cut short")


def test_a_csv_cut_short_between_two_values_is_refused(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1), uss_row(2)], columns=USS_COLUMNS)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex(",yes,")], encoding="utf-8")

    problems = _problems(path)

    assert [(row, column) for row, column, _, _ in problems] == [(3, "recontact_consent"), (3, "weight")]
    assert "the row has 17 values but the header has 19 columns" in problems[0][3]
    assert problems[1][2] == "1" and problems[1][3].startswith("is the end of the file, with no line break")


def test_a_csv_cut_short_inside_its_last_value_is_refused(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1), uss_row(2, weight="2.25", comment="")],
                     columns=[c for c in USS_COLUMNS if c != "weight"] + ["weight"])
    text = path.read_text(encoding="utf-8").rstrip("\r\n")
    path.write_text(text[:-1], encoding="utf-8")  # "2.25" cut to "2.2"

    [(row, column, value, expected)] = _problems(path)

    assert (row, column, value) == (3, "weight", "2.2")
    assert expected.startswith("is the end of the file, with no line break after it: the file may have been cut short")


def test_a_csv_with_blank_lines_after_its_last_row_is_read(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1), uss_row(2, comment="Fine")], columns=USS_COLUMNS)
    path.write_text(path.read_text(encoding="utf-8") + "\r\n,,,\r\n   ", encoding="utf-8")

    survey_import(path=path, survey="uss", today=TODAY)

    assert Response.objects.get(response_id="U00002").comment == "Fine"


def _parquet(tmp_path, weights):
    rows = [uss_row(i + 1) for i in range(len(weights))]
    columns = {c: [r[c] for r in rows] for c in USS_COLUMNS if c != "weight"}
    path = tmp_path / "survey.parquet"
    pq.write_table(pa.table({**columns, "weight": pa.array(weights, type=pa.float64())}), path)
    return path


def test_a_parquet_nan_weight_is_refused_not_read_as_one(areas, tmp_path):
    [(row, column, value, expected)] = _problems(_parquet(tmp_path, [1.5, float("nan"), None]))

    assert (row, column, value) == (3, "weight", "nan")
    assert "not a finite number" in expected


def test_a_parquet_null_weight_still_means_one(areas, tmp_path):
    survey_import(path=_parquet(tmp_path, [1.5, None]), survey="uss", today=TODAY)

    assert sorted(Response.objects.values_list("weight", flat=True)) == [1.0, 1.5]


@pytest.mark.parametrize("weight", ["1e308", "1000001", "2e6", "0.0000001", "inf", "-1"])
def test_a_weight_out_of_any_survey_range_is_refused(areas, tmp_path, weight):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1, weight=weight)], columns=USS_COLUMNS)

    [(row, column, value, expected)] = _problems(path)

    assert (row, column, value) == (2, "weight", weight)
    assert "a number from 0.000001 to 1,000,000" in expected


def test_a_weight_at_the_ends_of_the_range_is_stored(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1, weight="1000000"), uss_row(2, weight="0.000001")],
                     columns=USS_COLUMNS)

    survey_import(path=path, survey="uss", today=TODAY)

    assert sorted(Response.objects.values_list("weight", flat=True)) == [0.000001, 1000000.0]


def test_an_excel_formula_with_no_saved_result_is_refused_not_read_as_blank(areas, tmp_path):
    rows = [uss_row(1), uss_row(2, treatment="=1+1", comment="=CONCAT(\"a\",\"b\")")]
    path = write_xlsx(tmp_path / "survey.xlsx", rows, columns=USS_COLUMNS)

    problems = _problems(path)

    assert [(row, column, value) for row, column, value, _ in problems] == [
        (3, "treatment", "=1+1"), (3, "comment", '=CONCAT("a","b")')]
    assert all(p[3].startswith("is a formula whose result was never saved") for p in problems)


def test_an_excel_formula_with_its_saved_result_is_read_as_that_result(areas, tmp_path):
    rows = [uss_row(1), uss_row(2, treatment="=1+1")]
    path = with_saved_results(write_xlsx(tmp_path / "survey.xlsx", rows, columns=USS_COLUMNS), {"O3": "6"})

    survey_import(path=path, survey="uss", today=TODAY)

    assert Response.objects.get(response_id="U00002").codes()["treatment"] == 6  # very dissatisfied
