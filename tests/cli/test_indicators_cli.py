"""`citizenfocus indicators`: the analyst's rates by group, from a file or the stored responses.

The contract is docs/cli.md: JSON rows with group, n, n_eff, rate, se,
ci_low, ci_high, method (rates as proportions); CSV and a table for people;
one `error: ...` line on stderr and a non-zero exit for every failure.
"""

import csv
import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.engine import indicator_rows, open_file_source
from citizenfocus.surveys.definition import get_definition
from tests.engine import backends

# The engine tests' random survey as a Parquet file, a CSV export and a stored SQLite database.
responses = backends.responses
parquet_path = backends.parquet_path
labelled_csv_path = backends.labelled_csv_path
sqlite_database = backends.sqlite_database
postgres_database = backends.postgres_database

ROW_FIELDS = {"group", "measure", "period", "period_label", "n", "n_eff", "rate", "se", "ci_low", "ci_high", "method",
              "df", "single_unit_strata"}
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["indicators", *map(str, args)])


def ok_json(*args: str):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_rows_per_group_match_the_engine(parquet_path):
    rows = ok_json("--input", parquet_path, "--survey", "uss", "--measure", "whole_experience",
                   "--by", "division", "--period", "rolling12:2014-03")
    assert [r["group"] for r in rows] == [{"division": d} for d in ("Central", "Northern", "Southern")]
    assert all(set(r) == ROW_FIELDS for r in rows)
    assert all(0 <= r["ci_low"] <= r["rate"] <= r["ci_high"] <= 1 for r in rows)
    source = open_file_source(parquet_path, get_definition("uss"))
    assert rows == indicator_rows(source, measure="whole_experience", by=("division",), period="rolling12:2014-03")


def test_the_stored_responses_give_the_same_rows_as_the_file(parquet_path, sqlite_database):
    args = ("--survey", "uss", "--measure", "treatment", "--by", "division,neighbourhood", "--period", "fy:2013")
    from_file = ok_json("--input", parquet_path, *args)
    from_db = ok_json("--db", sqlite_database["NAME"], *args)
    assert [r["group"] for r in from_db] == [r["group"] for r in from_file]
    for a, b in zip(from_db, from_file, strict=True):
        assert a["n"] == b["n"]
        assert a["rate"] == pytest.approx(b["rate"], abs=1e-9)
        assert a["se"] == pytest.approx(b["se"], abs=1e-9)


def test_db_takes_a_postgresql_url(parquet_path, postgres_database):
    db = postgres_database
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    args = ("--survey", "uss", "--measure", "ease_of_contact", "--by", "ethnic_group", "--period", "year:2013")
    from_db, from_file = ok_json("--db", url, *args), ok_json("--input", parquet_path, *args)
    assert [r["n"] for r in from_db] == [r["n"] for r in from_file]
    assert [r["se"] for r in from_db] == pytest.approx([r["se"] for r in from_file], abs=1e-9)


def test_db_without_a_path_reads_database_url(sqlite_database, parquet_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{sqlite_database['NAME']}", "CITIZENFOCUS_TESTING": "1"}
    command = [sys.executable, "-m", "citizenfocus", "indicators", "--db", "--survey", "uss",
               "--measure", "kept_informed", "--period", "rolling12:2014-03", "--format", "json"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)
    [expected] = ok_json("--input", parquet_path, "--survey", "uss", "--measure", "kept_informed",
                         "--period", "rolling12:2014-03")
    assert row["n"] == expected["n"] and row["rate"] == pytest.approx(expected["rate"], abs=1e-9)


def test_db_with_a_path_needs_no_django_settings(sqlite_database, parquet_path):
    """`--db PATH` from a shell: no DATABASE_URL and no DJANGO_SETTINGS_MODULE (it raised ImproperlyConfigured)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    command = [sys.executable, "-m", "citizenfocus", "indicators", "--db", sqlite_database["NAME"], "--survey", "uss",
               "--measure", "kept_informed", "--period", "rolling12:2014-03", "--format", "json"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)
    [expected] = ok_json("--input", parquet_path, "--survey", "uss", "--measure", "kept_informed",
                         "--period", "rolling12:2014-03")
    assert row["n"] == expected["n"] and row["rate"] == pytest.approx(expected["rate"], abs=1e-9)


def test_a_group_with_no_responses_in_the_period_is_listed_with_n_zero(parquet_path):
    rows = ok_json("--input", parquet_path, "--survey", "uss", "--measure", "treatment",
                   "--by", "neighbourhood", "--period", "month:2014-03")
    quiet = [r for r in rows if r["group"] == {"neighbourhood": "Dewmere"}]
    assert quiet == [{**quiet[0], "n": 0, "n_eff": 0.0, "rate": None, "se": None, "ci_low": None, "ci_high": None}]


def test_by_ethnic_group_lists_every_group(parquet_path):
    rows = ok_json("--input", parquet_path, "--survey", "uss", "--measure", "treatment", "--by", "ethnic_group")
    assert [r["group"]["ethnic_group"] for r in rows] == ["white", "bme", "not_stated"]
    assert rows[0]["period"] == "rolling12:2014-03"  # the default: 12 months to the latest month


def test_gap_prints_the_difference_interval_and_verdict_per_group(parquet_path):
    rows = ok_json("--input", parquet_path, "--survey", "uss", "--measure", "whole_experience",
                   "--by", "division", "--gap", "white,bme", "--period", "fy:2013")
    assert len(rows) == 3
    for row in rows:
        assert {"diff", "ci_low", "ci_high", "z", "p", "verdict", "white", "bme"} <= set(row)
        assert row["verdict"] in ("significantly higher", "significantly lower", "not significantly different")
        assert row["diff"] == pytest.approx(row["white"]["rate"] - row["bme"]["rate"], abs=1e-12)
        assert row["ci_low"] < row["diff"] < row["ci_high"]


def test_labels_in_a_csv_export_and_other_interval_methods(labelled_csv_path, parquet_path):
    args = ("--survey", "uss", "--measure", "overall", "--ci", "cp", "--date-basis", "incident",
            "--strata", "crime_type", "--period", "year:2013")
    from_csv, from_parquet = ok_json("--input", labelled_csv_path, *args), ok_json("--input", parquet_path, *args)
    assert from_csv[0]["method"] == "cp" and from_csv[0]["measure"] == "whole_experience"
    assert from_csv[0]["rate"] == pytest.approx(from_parquet[0]["rate"], abs=1e-12)
    assert from_csv[0]["ci_low"] == pytest.approx(from_parquet[0]["ci_low"], abs=1e-12)


def test_csv_output_flattens_the_group_and_keeps_proportions(parquet_path):
    result = run("--input", parquet_path, "--survey", "uss", "--measure", "treatment",
                 "--by", "division", "--gap", "white,bme", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["division"] for r in rows] == ["Central", "Northern", "Southern"]
    assert {"diff", "verdict", "white_n", "white_rate", "bme_rate"} <= set(rows[0])
    assert 0 < float(rows[0]["white_rate"]) < 1


def test_the_table_is_for_people(parquet_path):
    result = run("--input", parquet_path, "--survey", "uss", "--measure", "treatment", "--by", "division")
    assert result.exit_code == 0
    assert "Central" in result.stdout and "%" in result.stdout and "12 months to March 2014" in result.stdout


def test_answers_the_scale_does_not_know_are_named_on_stderr(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("interview_date,ethnicity,treatment\n2014-03-01,W1,1\n2014-03-02,W1,Quite happy\n")
    result = run("--input", path, "--survey", "uss", "--measure", "treatment", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: treatment: 1 value(s) the scale does not know")
    assert json.loads(result.stdout)[0]["n"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--measure", "good_job"), "error: unknown measure 'good_job' for survey 'uss'"),
        (("--measure", "treatment", "--by", "borough"), "error: unknown --by column 'borough'"),
        (("--measure", "treatment", "--period", "2014-03"), "error: period '2014-03' is not understood"),
        (("--measure", "treatment", "--period", "rolling12:2014-13"), "error: period 'rolling12:2014-13'"),
        (("--measure", "treatment", "--ci", "bootstrap"), "error: unknown --ci method 'bootstrap'"),
        (("--measure", "treatment", "--gap", "white,asian"), "error: --gap needs two different ethnic groups"),
        (("--measure", "treatment", "--format", "xml"), "error: unknown --format 'xml'"),
        (("--measure", "treatment", "--date-basis", "arrival"), "error: unknown --date-basis 'arrival'"),
        (("--measure", "treatment", "--db"), "error: give exactly one of --input FILE|URL or --db"),
    ],
)
def test_errors_are_one_line_on_stderr_and_exit_non_zero(parquet_path, args, message):
    result = run("--input", parquet_path, "--survey", "uss", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1 and result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--input", "missing.parquet"), "error: missing.parquet: no such file"),
        (("--db", "missing.sqlite3"), "no such SQLite database"),
        (("--survey", "nosuch", "--input", "x.csv"), "error: unknown survey 'nosuch'"),
        (("x.sqlite3",), "error: give exactly one of --input FILE|URL or --db"),
    ],
)
def test_a_missing_source_is_one_clear_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    survey = () if "--survey" in args else ("--survey", "uss")
    result = run(*args, *survey, "--measure", "treatment")
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1


# docs/cli.md: every ```console example is run, and must print what the page shows -------

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
LONG_FLOAT = re.compile(r"-?\d+\.\d{10,}(?:e-?\d+)?")


def doc_examples(text: str) -> list[tuple[str, str]]:
    """(command, expected output) for each `$ citizenfocus ...` line of a console block."""
    examples = []
    for block in BLOCK.findall(text):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


def comparable(output: str) -> str:
    """Trailing spaces dropped, and long floats to 9 significant digits: DuckDB adds in parallel,
    so the 16th digit of a sum may differ from run to run."""
    lines = [line.rstrip() for line in output.strip("\n").splitlines()]
    return LONG_FLOAT.sub(lambda m: f"{float(m.group()):.9g}", "\n".join(lines))


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    from citizenfocus.demo import write_survey_file

    folder = tmp_path_factory.mktemp("docs")
    write_survey_file(folder / "demo-uss.parquet", "uss")
    return folder


def test_the_examples_in_docs_cli_md_print_what_the_page_shows(demo_dir, monkeypatch):
    """Set UPDATE_DOCS=1 to rewrite the page's outputs from the commands (then read the diff)."""
    monkeypatch.chdir(demo_dir)
    text = DOC.read_text(encoding="utf-8")
    examples = doc_examples(text)
    assert len(examples) >= 10
    for command, expected in examples:
        args = shlex.split(command)
        assert args[0] == "citizenfocus"
        result = runner.invoke(app, args[1:])
        assert result.exit_code == (1 if expected.startswith("error:") else 0), (command, result.output)
        if os.environ.get("UPDATE_DOCS"):
            shown = "\n".join(line.rstrip() for line in result.output.rstrip().splitlines())
            text = text.replace(f"$ {command}\n{expected}", f"$ {command}\n{shown}\n", 1)
            continue
        assert comparable(result.output) == comparable(expected), command
    if os.environ.get("UPDATE_DOCS"):
        DOC.write_text(text, encoding="utf-8")
