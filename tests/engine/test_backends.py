"""The same query gives the same numbers on DuckDB (Parquet and CSV), SQLite and PostgreSQL.

One small random survey is written to a Parquet file, a CSV file with answers
as labels, a migrated SQLite database and a scratch PostgreSQL database
(tests/engine/backends.py); every request below must agree to 1e-9. In CI a
PostgreSQL that cannot be reached fails these tests instead of skipping them.
"""

import numpy as np
import pytest

from citizenfocus.engine import (
    board_suite,
    gap_rows,
    indicator_rows,
    open_db_source,
    open_file_source,
)
from citizenfocus.surveys.definition import get_definition

USS = get_definition("uss")
BACKENDS = ["parquet", "csv", "sqlite", "postgres"]
REQUESTS = [
    {"measure": "whole_experience", "period": "rolling12:2014-03"},
    {"measure": "treatment", "by": ("division",), "period": "fy:2013", "ci": "logit"},
    {"measure": "kept_informed", "by": ("division", "neighbourhood"), "period": "rolling12:2013-09"},
    {"measure": "actions_taken", "by": ("ethnic_group",), "period": "quarter:2013-Q4", "ci": "cp"},
    {"measure": "ease_of_contact", "by": ("crime_type",), "period": "year:2013", "strata": None},
    {"measure": "whole_experience", "by": ("age_band",), "period": "rolling12:2014-03", "date_basis": "incident"},
]


@pytest.fixture
def source(request, parquet_path, labelled_csv_path):
    """The source named by the test's backend parameter (database fixtures only when asked for)."""
    name = request.param
    if name == "parquet":
        return open_file_source(parquet_path, USS)
    if name == "csv":
        return open_file_source(labelled_csv_path, USS)
    database = request.getfixturevalue(f"{name}_database")
    return open_db_source("uss", database=database)


@pytest.fixture
def reference(parquet_path):
    return open_file_source(parquet_path, USS)


def _assert_same_rows(got: list[dict], expected: list[dict]) -> None:
    assert [r["group"] for r in got] == [r["group"] for r in expected]
    for a, b in zip(got, expected, strict=True):
        for key, value in b.items():
            if isinstance(value, float):
                assert a[key] == pytest.approx(value, abs=1e-9), key
            elif isinstance(value, dict) and key != "group":
                _assert_same_rows([{"group": None, **a[key]}], [{"group": None, **value}])
            else:
                assert a[key] == value, key


@pytest.mark.parametrize("source", BACKENDS, indirect=True)
@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: f"{r['measure']}-{'-'.join(r.get('by', ()))}")
def test_indicator_rows_agree_on_every_backend(source, reference, request_):
    got = indicator_rows(source, **request_)
    expected = indicator_rows(reference, **request_)
    assert sum(r["n"] for r in expected) > 50
    _assert_same_rows(got, expected)


@pytest.mark.parametrize("source", BACKENDS, indirect=True)
def test_gap_rows_agree_on_every_backend(source, reference):
    request_ = {"measure": "whole_experience", "by": ("division",), "period": "rolling12:2014-03"}
    _assert_same_rows(gap_rows(source, **request_), gap_rows(reference, **request_))


@pytest.mark.parametrize("source", BACKENDS, indirect=True)
def test_stratified_rows_agree(source, reference):
    request_ = {"measure": "treatment", "by": ("division",), "period": "fy:2013", "strata": "crime_type"}
    _assert_same_rows(indicator_rows(source, **request_), indicator_rows(reference, **request_))


@pytest.mark.parametrize("source", BACKENDS, indirect=True)
def test_the_board_suite_agrees_on_every_backend(source, reference):
    got, expected = board_suite(source, windows=12), board_suite(reference, windows=12)
    assert got.areas == expected.areas and got.ends == expected.ends
    for name in ("n", "rate", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(got.estimates[name], expected.estimates[name], atol=1e-9, rtol=0)
    np.testing.assert_allclose(got.gap["diff"], expected.gap["diff"], atol=1e-9, rtol=0)
    assert (got.gap["verdict"] == expected.gap["verdict"]).all()
