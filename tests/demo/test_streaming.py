"""A million responses stream in bounded memory: no row ever becomes a Python object."""

import time
import tracemalloc

import pyarrow as pa
import pytest

from citizenfocus.demo import iter_survey_batches

MILLION = 1_000_000
MB = 1024 * 1024


@pytest.mark.slow
def test_a_million_responses_stream_in_bounded_memory():
    rows = 0
    arrow_peak = 0
    started = time.perf_counter()
    tracemalloc.start()
    try:
        for batch in iter_survey_batches("uss", size=MILLION):
            rows += batch.num_rows
            # Arrow's own buffers are not seen by tracemalloc: watch its pool too.
            arrow_peak = max(arrow_peak, pa.total_allocated_bytes())
        _, python_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert rows == MILLION
    assert python_peak < 300 * MB
    assert arrow_peak < 64 * MB  # all million rows at once would be about 136 MB
    assert elapsed < 20


@pytest.mark.slow
def test_the_last_of_a_million_rows_is_numbered_and_dated_last():
    for last in iter_survey_batches("uss", size=MILLION):  # noqa: B007 - only the last is kept
        pass
    assert last["response_id"][-1].as_py() == "USS-1000000"
    assert str(last["interview_date"][-1].as_py()) == "2014-03-31"
