"""The equality commands: imports with row-level errors and idempotent re-import, and `stop-search` for scripts."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.equality.models import CensusArea, StopSearch

runner = CliRunner()
COMMANDS = ("import-census", "import-boundaries", "import-stop-search", "stop-search", "import-hate-crime",
            "hate-crime")


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help_and_a_row_in_the_readme(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "--db" in result.stdout
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"^\| `citizenfocus {command}[ `]", readme, re.M), f"{command} is not in the README's table"


def test_the_imports_load_everything_and_say_what_they_did(demo_areas, equality_files):
    census = run("import-census", equality_files["ethnic"], equality_files["age_sex"],
                 "--lookup", equality_files["lookup"], "--user", "analyst")
    assert census.exit_code == 0, census.stderr
    assert "census2021-ts021-ward.csv: 227 rows: 5675 added, 0 changed, 0 unchanged" in census.stdout
    assert CensusArea.objects.filter(neighbourhood=None).count() == 0
    boundaries = run("import-boundaries", equality_files["boundaries"], "--level", "neighbourhood")
    assert boundaries.exit_code == 0 and "60 added" in boundaries.stdout
    searches = run("import-stop-search", *equality_files["stop_search"])
    assert searches.exit_code == 0 and StopSearch.objects.count() > 1000
    again = run("import-stop-search", *equality_files["stop_search"])
    assert again.stdout.count(" 0 added, 0 changed") == 2


def test_a_refused_file_is_one_line_naming_the_problem_and_a_non_zero_exit(demo_areas, tmp_path):
    bad = tmp_path / "2013-04.csv"
    bad.write_text("Type,Date\nPerson search,yesterday\n", encoding="utf-8")
    result = run("import-stop-search", bad)
    assert result.exit_code == 1
    assert 'error: refused, nothing stored' in result.stderr
    assert '2013-04.csv row 1, column "Latitude": is missing' in result.stderr
    assert StopSearch.objects.count() == 0


def test_a_wrong_level_is_refused(demo_areas, equality_files):
    result = run("import-boundaries", equality_files["boundaries"], "--level", "county")
    assert result.exit_code == 1 and '"county" is not ward or neighbourhood' in result.stderr


def test_stop_search_gives_rates_ratios_and_find_rates_as_json_and_csv(demo_areas, equality_files):
    run("import-census", equality_files["ethnic"], equality_files["age_sex"], "--lookup", equality_files["lookup"])
    run("import-stop-search", *equality_files["stop_search"])
    out = json.loads(run("stop-search", "--by", "ethnic_group", "--format", "json").stdout)
    black = next(r for r in out["rows"] if r["group"] == "Black")
    assert black["ratio_low"] > 1 and black["ratio_sentence"].startswith("Black people were")
    assert "self-defined" in out["filters"] and out["ethnicity"] == "self-defined"
    table = list(csv.DictReader(io.StringIO(run("stop-search", "--by", "officer_ethnic_group", "--format", "csv")
                                            .stdout)))
    # the header says which ethnicity the rows are
    assert [r["ethnic_group_officer_defined"] for r in table] == ["White", "Mixed", "Asian", "Black", "Other",
                                                                  "Not stated"]
    assert float(table[3]["rate_per_1000"]) > float(table[0]["rate_per_1000"])


def test_stop_search_by_age_and_sex_gives_rates_against_the_census(demo_areas, equality_files):
    run("import-census", equality_files["ethnic"], equality_files["age_sex"], "--lookup", equality_files["lookup"])
    run("import-stop-search", *equality_files["stop_search"])
    ages = run("stop-search", "--by", "age", "--format", "json")
    assert ages.exit_code == 0 and "warning" not in ages.stderr
    out = json.loads(ages.stdout)
    assert out["problems"] == [] and out["filters"].endswith("by age range (police.uk)")
    by = {r["age_range"]: r for r in out["rows"]}
    assert list(by)[:5] == ["under 10", "10-17", "18-24", "25-34", "over 34"]
    assert by["18-24"]["ratio_low"] > 1 and by["18-24"]["ratio_sentence"].startswith("People aged 18-24 were")
    table = list(csv.DictReader(io.StringIO(run("stop-search", "--by", "sex", "--format", "csv").stdout)))
    assert [r["sex"] for r in table][:2] == ["Female", "Male"] and float(table[1]["ratio_low"]) > 1


def test_stop_search_by_age_warns_when_the_census_bands_cannot_be_mapped(demo_areas, tmp_path):
    from citizenfocus.equality.census import census_import

    path = tmp_path / "bands.csv"
    path.write_text("date,geography,geography code,Sex: Male; Age: Aged 15 to 19 years; measures: Value,"
                    "Sex: Male; Age: Aged 20 years and over; measures: Value\n2021,A,E05000001,100,900\n")
    census_import(path=path)
    result = run("stop-search", "--by", "age", "--format", "csv")
    assert result.exit_code == 0
    assert 'warning: no rate where census band "Aged 15 to 19 years" spans 10-17 and 18-24' in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("--by", "religion"), "unknown --by 'religion'"),
    (("--period", "2013"), "--period '2013' is not FIRST:LAST"),
    (("--neighbourhood", "ZZ9"), "no neighbourhood with code 'ZZ9'"),
    (("--format", "xml"), "unknown --format 'xml'"),
])
def test_stop_search_refuses_bad_options_in_one_line(db, args, message):
    result = run("stop-search", *args)
    assert result.exit_code == 1 and message in result.stderr
