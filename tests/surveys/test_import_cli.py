"""`citizenfocus import-survey`: a summary for a good file, one line per problem for a bad one."""

import pytest
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.surveys.models import ImportBatch, Response

from .conftest import USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_it_imports_a_file_and_prints_the_summary(areas, tmp_path):
    path = write_csv(tmp_path / "survey.csv", [uss_row(1), uss_row(2)], columns=USS_COLUMNS)

    result = runner.invoke(app, ["import-survey", str(path), "--survey", "uss", "--user", "analyst"])

    assert result.exit_code == 0, result.output
    batch = ImportBatch.objects.get()
    assert result.stdout == (f"survey.csv: stored as batch {batch.pk}: 2 rows read, 2 new, 0 changed, "
                             "0 unchanged\n")
    assert (batch.imported_by_name, batch.source) == ("analyst", "cli")


def test_each_file_is_its_own_batch_and_a_bad_one_exits_non_zero(areas, tmp_path):
    good = write_csv(tmp_path / "good.csv", [uss_row(1)], columns=USS_COLUMNS)
    bad = write_csv(tmp_path / "bad.csv", [uss_row(2, sex="Robot"), uss_row(3, treatment="11")],
                    columns=USS_COLUMNS)

    result = runner.invoke(app, ["import-survey", str(good), str(bad), "--survey", "uss"])

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'bad.csv row 2, column "sex": "Robot" is not a known sex; accepted: Male, Female, Other, Not stated',
        result.stderr.splitlines()[1],
        "error: bad.csv: refused, 2 problems; nothing was stored",
    ]
    assert result.stderr.splitlines()[1].startswith('bad.csv row 3, column "treatment": "11" is not an answer')
    assert list(Response.objects.values_list("response_id", flat=True)) == ["U00001"]
    assert sorted(ImportBatch.objects.values_list("status", flat=True)) == ["refused", "stored"]


def test_it_shows_the_first_fifty_problems_and_the_count(areas, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", [uss_row(i, sex="Robot") for i in range(1, 61)], columns=USS_COLUMNS)

    result = runner.invoke(app, ["import-survey", str(bad), "--survey", "uss"])

    lines = result.stderr.splitlines()
    assert result.exit_code == 1
    assert len(lines) == 52
    assert lines[50].startswith("... and 10 more problems (the first 60 are kept with batch")
    assert Response.objects.count() == 0


def test_it_reads_a_mapping_file(areas, tmp_path):
    path = write_csv(tmp_path / "export.csv", [uss_row(1)], columns=USS_COLUMNS, header=["Ref No", *USS_COLUMNS[1:]])
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("Ref No,response_id\n")

    result = runner.invoke(app, ["import-survey", str(path), "-s", "uss", "--mapping", str(mapping)])

    assert result.exit_code == 0, result.output
    assert Response.objects.get().response_id == "U00001"


def test_a_missing_file_is_refused_before_anything(areas, tmp_path):
    result = runner.invoke(app, ["import-survey", str(tmp_path / "nothing.csv"), "--survey", "uss"])

    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert ImportBatch.objects.count() == 0


def test_help_explains_the_command():
    result = runner.invoke(app, ["import-survey", "--help"])

    text = " ".join(result.output.split())
    assert result.exit_code == 0
    assert "a file with any problem stores nothing" in text
    assert "--mapping" in result.output and "--survey" in result.output
