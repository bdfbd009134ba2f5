"""`--input` as a connection URL or a configured backend: the same rows as the file, clear refusals.

DuckDB stands in for a warehouse here (a database file with the responses as a table); Spark is
read the same way in tests/engine/test_spark.py. Trino and BigQuery take the same URL form
(docs/warehouses.md) and are not reachable from CI.
"""

import json

import duckdb
import pytest
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.engine import SourceError, open_connection_source
from citizenfocus.engine.connections import redact, split_table
from citizenfocus.surveys.definition import get_definition
from tests.engine import backends

responses = backends.responses
parquet_path = backends.parquet_path
runner = CliRunner()
ARGS = ("--survey", "uss", "--measure", "treatment", "--by", "division", "--period", "fy:2013", "--format", "json")


@pytest.fixture(scope="module")
def warehouse(parquet_path, tmp_path_factory):
    """A DuckDB database file holding the responses as table survey.uss_responses."""
    path = tmp_path_factory.mktemp("warehouse") / "surveys.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA survey")
        con.execute(f"CREATE TABLE survey.uss_responses AS SELECT * FROM read_parquet('{parquet_path}')")
    return path


def _rows(*input_args: str, env: dict | None = None):
    result = runner.invoke(app, ["indicators", *input_args, *ARGS], env=env)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_connection_url_gives_the_same_rows_as_the_file(warehouse, parquet_path):
    expected = _rows("--input", str(parquet_path))
    got = _rows("--input", f"duckdb:///{warehouse}?table=uss_responses&database=survey")
    assert got == expected
    assert len(got) == 3 and sum(r["n"] for r in got) > 100


def test_a_configured_backend_is_named_not_spelled_out(warehouse, parquet_path, tmp_path):
    config = tmp_path / "backends.toml"
    config.write_text(f'[backends.national]\nurl = "duckdb:///{warehouse}"\ntable = "uss_responses"\n'
                      'database = "survey"\n', encoding="utf-8")
    got = _rows("--input", "backend:national", env={"CITIZENFOCUS_BACKENDS": str(config)})
    assert got == _rows("--input", str(parquet_path))


@pytest.mark.parametrize(("text", "env", "message"), [
    ("duckdb:///x.duckdb", {}, "say which table holds the responses, e.g. ?table=uss_responses"),
    ("backend:national", {"CITIZENFOCUS_BACKENDS": ""}, "set CITIZENFOCUS_BACKENDS to the TOML file that names it"),
])
def test_it_refuses_a_connection_it_cannot_use_with_one_line(text, env, message):
    result = runner.invoke(app, ["indicators", "--input", text, *ARGS], env=env)
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_it_names_a_missing_table(warehouse):
    with pytest.raises(SourceError, match="no table 'nonesuch'"):
        open_connection_source(f"duckdb:///{warehouse}?table=nonesuch", get_definition("uss"))


def test_a_configured_backend_missing_from_the_file_lists_those_there(tmp_path, monkeypatch):
    config = tmp_path / "backends.toml"
    config.write_text('[backends.force]\nurl = "duckdb:///a.duckdb"\n', encoding="utf-8")
    monkeypatch.setenv("CITIZENFOCUS_BACKENDS", str(config))
    with pytest.raises(SourceError, match=r"no backend 'national' with a url \(backends named there: force\)"):
        open_connection_source("backend:national", get_definition("uss"))


def test_a_missing_backend_package_says_what_to_install():
    def connect(url):
        raise ModuleNotFoundError("No module named 'trino'")

    with pytest.raises(SourceError, match=r"pip install 'ibis-framework\[trino\]'") as caught:
        open_connection_source("trino://analyst:s3cret@trino.example:8080/hive/survey?table=uss",
                               get_definition("uss"), connect=connect)
    assert "s3cret" not in str(caught.value) and "analyst:***@trino.example:8080" in str(caught.value)


def test_our_parameters_are_taken_out_and_the_backends_left_in():
    url, table, database = split_table("pyspark:///srv/warehouse?table=uss&spark.master=local%5B2%5D&database=survey")
    assert (url, table, database) == ("pyspark:///srv/warehouse?spark.master=local%5B2%5D", "uss", "survey")
    assert redact("postgres://a:b@h/db") == "postgres://a:***@h/db"
    assert redact("pyspark://?table=x") == "pyspark://?table=x"
