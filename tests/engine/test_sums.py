"""sums_by: one GROUP BY giving n, Σw, Σwy, Σw², Σw²y per month × group × stratum, for every measure."""

from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from citizenfocus.engine import open_file_source, sums_by, with_derived_columns
from citizenfocus.engine.sums import month_number, month_start
from citizenfocus.surveys.definition import get_definition

USS = get_definition("uss")


@pytest.fixture
def small(tmp_path):
    """Five answers in March 2014 (one missing), one in April, weights 1–4."""
    rows = {
        "interview_date": [date(2014, 3, d) for d in (1, 2, 3, 4, 5)] + [date(2014, 4, 1)],
        "division": ["Central", "Central", "Central", "Central", "Northern", "Central"],
        "ethnicity": ["W1", "A1", "W2", "B1", "W1", "W1"],
        "treatment": pa.array([1, 5, 2, 8, 3, 6], pa.int8()),  # 1, 0, 1, missing, 1, 0
        "kept_informed": pa.array([None, 1, 1, 1, 1, 7], pa.int8()),
        "weight": [1.0, 2.0, 3.0, 4.0, 2.0, 1.5],
        "stratum": ["a", "a", "b", "b", "b", "a"],
    }
    path = tmp_path / "small.parquet"
    pq.write_table(pa.table(rows), path)
    source = open_file_source(path, USS)
    return with_derived_columns(source.table, definition=USS)


def _cell(sums, measure, **where):
    matches = [
        i for i in range(len(sums))
        if all(
            (sums.month[i] == month_number(v)) if k == "month" else
            (sums.stratum[i] == v) if k == "stratum" else (sums.keys[k][i] == v)
            for k, v in where.items()
        )
    ]
    assert len(matches) == 1, where
    return {stat: float(array[matches[0]]) for stat, array in sums.sums[measure].items()}


def test_it_sums_only_the_answered_rows_of_each_measure(small):
    sums = sums_by(small, measures=("treatment", "kept_informed"), by=("division",))
    march = _cell(sums, "treatment", month=date(2014, 3, 1), division="Central")
    # weights 1, 2, 3 answered (4 is "don't know"); outcomes 1, 0, 1
    assert march == {"n": 3, "sw": 6.0, "swy": 4.0, "sw2": 14.0, "sw2y": 10.0}
    informed = _cell(sums, "kept_informed", month=date(2014, 3, 1), division="Central")
    assert informed == {"n": 3, "sw": 9.0, "swy": 9.0, "sw2": 29.0, "sw2y": 29.0}


def test_it_groups_by_ethnic_group_and_stratum_in_the_same_query(small):
    sums = sums_by(small, measures="treatment", by=("ethnic_group",), strata="stratum")
    white_b = _cell(sums, "treatment", month=date(2014, 3, 1), ethnic_group="white", stratum="b")
    assert white_b == {"n": 2, "sw": 5.0, "swy": 5.0, "sw2": 13.0, "sw2y": 13.0}
    bme_b = _cell(sums, "treatment", month=date(2014, 3, 1), ethnic_group="bme", stratum="b")
    assert bme_b["n"] == 0  # the only BME answer in stratum b is "don't know": listed, empty


def test_a_months_range_restricts_the_scan(small):
    sums = sums_by(small, measures="treatment", months=(date(2014, 4, 1), date(2014, 4, 1)))
    assert list(sums.month) == [month_number(date(2014, 4, 1))]
    assert sums.sums["treatment"]["n"].tolist() == [1.0]


def test_another_weight_column_can_be_named(small):
    table = small.mutate(unweighted=1.0)
    sums = sums_by(table, measures="treatment", weight="unweighted")
    assert sorted(sums.sums["treatment"]["sw"].tolist()) == [1.0, 4.0]


def test_a_column_used_twice_is_refused(small):
    with pytest.raises(ValueError, match="used twice"):
        sums_by(small, measures="treatment", by=("division",), strata="division")


def test_month_numbers_are_consecutive_across_years():
    assert month_number(date(2014, 1, 1)) - month_number(date(2013, 12, 1)) == 1
    assert month_start(month_number(date(2013, 12, 17))) == date(2013, 12, 1)
