"""Demo data built once per test session: the same seed gives the same rows, so sharing is safe."""

import pyarrow as pa
import pytest

from citizenfocus.demo import iter_survey_batches
from citizenfocus.surveys.definition import get_definition


@pytest.fixture(scope="session")
def uss_table() -> pa.Table:
    return pa.Table.from_batches(list(iter_survey_batches("uss")))


@pytest.fixture(scope="session")
def confidence_table() -> pa.Table:
    return pa.Table.from_batches(list(iter_survey_batches("confidence")))


@pytest.fixture(scope="session")
def uss(uss_table):
    return uss_table.to_pandas()


@pytest.fixture(scope="session")
def confidence(confidence_table):
    return confidence_table.to_pandas()


@pytest.fixture(scope="session")
def uss_definition():
    return get_definition("uss")


@pytest.fixture(scope="session")
def confidence_definition():
    return get_definition("confidence")
