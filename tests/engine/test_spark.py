"""The engine's queries on a distributed engine: a local Spark session gives DuckDB's numbers to 1e-9.

The same random survey (tests/engine/backends.py) is registered as a Spark table and read through a
connection URL, as `--input pyspark://...?table=...` reads it; indicators, gaps and the whole board
suite must agree with DuckDB on the Parquet file. Spark needs Java and PyPI's pyspark: `.ci/run`
installs both, so in CI (CI=true) their absence fails these tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

from citizenfocus.engine import (
    board_suite,
    gap_rows,
    indicator_rows,
    open_connection_source,
    open_file_source,
)
from citizenfocus.surveys.definition import get_definition

from .test_backends import REQUESTS, _assert_same_rows

pytestmark = pytest.mark.spark
USS = get_definition("uss")


def _require_spark():
    missing = []
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing.append("PyPI's pyspark")
    if shutil.which("java") is None:
        missing.append("a Java runtime")
    if missing:
        message = " and ".join(missing) + " missing (.ci/run installs them)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def spark(parquet_path, tmp_path_factory):
    """A local Spark session on two cores with the responses as table `responses` in its catalog."""
    _require_spark()
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]").appName("citizenfocus-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
        .getOrCreate()
    )
    session.read.parquet(str(parquet_path)).createOrReplaceTempView("responses")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def source(spark):
    """Through the URL, as the CLI's --input reads it (the URL finds the running session)."""
    return open_connection_source("pyspark://?table=responses", USS)


@pytest.fixture(scope="module")
def reference(parquet_path):
    return open_file_source(parquet_path, USS)


def test_the_source_is_read_on_spark(source):
    assert source.table._find_backend().name == "pyspark"
    assert source.measures == USS.measure_keys


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: f"{r['measure']}-{'-'.join(r.get('by', ()))}")
def test_indicator_rows_on_spark_equal_duckdb(source, reference, request_):
    expected = indicator_rows(reference, **request_)
    assert sum(r["n"] for r in expected) > 50
    _assert_same_rows(indicator_rows(source, **request_), expected)


def test_gap_rows_on_spark_equal_duckdb(source, reference):
    for request_ in ({"measure": "whole_experience", "by": ("division",), "period": "rolling12:2014-03"},
                     {"measure": "treatment", "by": ("division",), "period": "fy:2013", "strata": "crime_type"}):
        _assert_same_rows(gap_rows(source, **request_), gap_rows(reference, **request_))


def test_the_board_suite_on_spark_equals_duckdb(source, reference):
    got, expected = board_suite(source, windows=12), board_suite(reference, windows=12)
    assert got.areas == expected.areas and got.ends == expected.ends and got.measures == expected.measures
    assert expected.estimates["n"].sum() > 0
    for part in ("estimates", "gap"):  # every rate, interval, gap and verdict of every cell
        for key, want in getattr(expected, part).items():
            have = getattr(got, part)[key]
            if want.dtype.kind in "US":
                assert (have == want).all(), key
            else:
                np.testing.assert_allclose(have, want, rtol=0, atol=1e-9, equal_nan=True, err_msg=key)
