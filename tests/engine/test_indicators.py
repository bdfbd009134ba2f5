"""indicator_rows and gap_rows: rates by group for a period, and the gap between ethnic groups."""

import math
from datetime import date

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from citizenfocus.engine import SourceError, gap_rows, indicator_rows, open_file_source
from citizenfocus.stats import Sums, compare_rates, estimate_rate, parse_period
from citizenfocus.surveys.definition import get_definition

from .responses import QUIET_NEIGHBOURHOOD

USS = get_definition("uss")


@pytest.fixture
def hand(tmp_path):
    """March 2014: weights 1, 2, 3, (4: don't know), 2 with outcomes 1, 0, 1, -, 1; one April answer."""
    rows = {
        "interview_date": [date(2014, 3, d) for d in (3, 9, 14, 20, 28)] + [date(2014, 4, 2)],
        "division": ["Central"] * 3 + ["Northern"] * 3,
        "ethnicity": ["W1", "A1", "W4", "B2", "W1", "W1"],
        "treatment": pa.array([2, 5, 1, 8, 3, 7], pa.int8()),
        "weight": [1.0, 2.0, 3.0, 4.0, 2.0, 1.0],
    }
    path = tmp_path / "hand.parquet"
    pq.write_table(pa.table(rows), path)
    return open_file_source(path, USS)


def test_a_small_weighted_example_matches_the_hand_computation(hand):
    [row] = indicator_rows(hand, measure="treatment", period="month:2014-03")
    # p = 6/8; March's four answers are a domain of the whole file's six rows (one "don't know", one
    # April answer), so Var = 6/5 · Σw²(y − p)²/W² = 6/5 · 3.125/64 (statistics.md §2, one stratum; R svyby)
    assert row["group"] == {} and row["n"] == 4 and row["method"] == "wilson"
    assert row["rate"] == pytest.approx(0.75, abs=1e-15)
    assert row["se"] == pytest.approx(math.sqrt(6 / 5 * 3.125 / 64), abs=1e-15)
    assert row["period"] == "month:2014-03" and row["period_label"] == "March 2014"
    assert 0 < row["ci_low"] < 0.75 < row["ci_high"] < 1


def test_groups_come_from_the_data_and_a_group_with_no_answers_in_the_period_has_n_zero(hand):
    rows = indicator_rows(hand, measure="treatment", by=("division",), period="month:2014-04")
    assert [(r["group"], r["n"]) for r in rows] == [({"division": "Central"}, 0), ({"division": "Northern"}, 1)]
    empty = rows[0]
    assert empty["rate"] is None and empty["se"] is None and empty["ci_low"] is None and empty["n_eff"] == 0


def test_every_ethnic_group_is_listed_even_when_absent(hand):
    rows = indicator_rows(hand, measure="treatment", by=("ethnic_group",), period="month:2014-04")
    assert [(r["group"]["ethnic_group"], r["n"]) for r in rows] == [("white", 1), ("bme", 0), ("not_stated", 0)]


def test_the_default_period_is_the_12_months_to_the_latest_month(hand):
    [row] = indicator_rows(hand, measure="treatment")
    assert row["period"] == "rolling12:2014-04" and row["n"] == 5


def test_the_gap_carries_both_sides_and_says_no_data_when_one_is_empty(hand):
    rows = gap_rows(hand, measure="treatment", by=("division",), period="month:2014-03")
    central, northern = rows
    assert central["comparison"] == "white - bme"
    assert central["white"]["n"] == 2 and central["bme"]["n"] == 1
    white = estimate_rate(Sums.from_responses([1, 1], [1.0, 3.0]))
    bme = estimate_rate(Sums.from_responses([0], [2.0]))
    expected = compare_rates(white, bme)
    assert central["diff"] == pytest.approx(expected.diff, abs=1e-12)
    assert central["ci_low"] == pytest.approx(expected.ci_low, abs=1e-12)
    assert central["verdict"] == expected.verdict
    assert northern["verdict"] == "no data" and northern["diff"] is None and northern["bme"]["n"] == 0


def test_the_surveys_deft_widens_the_interval(tmp_path):
    confidence = get_definition("confidence")
    rows = {"interview_date": ["2014-03-05"] * 40, "ethnicity": ["W1"] * 40, "good_job": [1, 4] * 20}
    path = tmp_path / "confidence.csv"
    pacsv.write_csv(pa.table(rows), path)
    [row] = indicator_rows(open_file_source(path, confidence), measure="good_job", period="month:2014-03")
    assert row["se"] == pytest.approx(1.2 * math.sqrt(0.25 / 39), abs=1e-15)


def test_rows_equal_estimate_rate_on_the_raw_rows(responses, parquet_path):
    """The engine against Sums.from_responses over the file's rows, filtered in plain Python."""
    source = open_file_source(parquet_path, USS)
    period = parse_period("rolling12:2014-03")
    scale = USS.measure("kept_informed").scale
    rows = indicator_rows(source, measure="kept_informed", by=("division",), period=period.spec, ci="logit")
    for row in rows:
        picked = [
            (scale.outcome(r["kept_informed"]), r["weight"]) for r in responses.to_pylist()
            if r["division"] == row["group"]["division"] and r["kept_informed"] is not None
            and period.first_date <= r["interview_date"].replace(day=1) <= period.last_date
            and scale.outcome(r["kept_informed"]) is not None
        ]
        expected = estimate_rate(Sums.from_responses(*zip(*picked, strict=True)) if picked else Sums.zero(),
                                 method="logit", stratum_sizes=[len(responses)])  # a domain of the whole file
        for field in ("n", "n_eff", "rate", "se", "ci_low", "ci_high"):
            assert row[field] == pytest.approx(getattr(expected, field), rel=1e-12), field


def test_strata_change_the_standard_error_not_the_rate(parquet_path):
    source = open_file_source(parquet_path, USS)
    plain = indicator_rows(source, measure="treatment", period="fy:2013")[0]
    stratified = indicator_rows(source, measure="treatment", period="fy:2013", strata="stratum")[0]
    assert stratified["rate"] == pytest.approx(plain["rate"], abs=1e-15)
    assert stratified["se"] != pytest.approx(plain["se"], abs=1e-9)


def test_a_neighbourhood_quiet_in_the_period_is_listed(parquet_path):
    source = open_file_source(parquet_path, USS)
    rows = indicator_rows(source, measure="treatment", by=("division", "neighbourhood"), period="rolling12:2014-03")
    quiet = [r for r in rows if r["group"]["neighbourhood"] == QUIET_NEIGHBOURHOOD[1]]
    assert len(quiet) == 1 and quiet[0]["n"] == 0 and quiet[0]["rate"] is None


def test_by_month_gives_each_month_of_the_period_even_an_empty_one(hand):
    rows = indicator_rows(hand, measure="treatment", by=("month",), period="rolling3:2014-04")
    assert [(r["group"]["month"], r["n"]) for r in rows] == [("2014-02", 0), ("2014-03", 4), ("2014-04", 1)]
    [march] = indicator_rows(hand, measure="treatment", period="month:2014-03")
    assert rows[1]["rate"] == march["rate"] and rows[1]["se"] == march["se"]


def test_a_source_with_no_dated_responses_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("interview_date,ethnicity,treatment\n")
    with pytest.raises(SourceError, match="no responses with a date"):
        indicator_rows(open_file_source(path, USS), measure="treatment")


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"measure": "good_job"}, "unknown measure 'good_job'"),
        ({"measure": "treatment", "by": ("borough",)}, "unknown --by column 'borough'"),
        ({"measure": "treatment", "period": "rolling12:2014-13"}, "MM from 01 to 12"),
        ({"measure": "treatment", "period": "last year"}, "not understood"),
        ({"measure": "treatment", "strata": "psu"}, "unknown --strata column 'psu'"),
        ({"measure": "treatment", "ci": "bootstrap"}, "unknown --ci method"),
        ({"measure": "treatment", "weight": "division"}, "not a numeric column"),
        ({"measure": "treatment", "date_basis": "arrival"}, "unknown date basis"),
    ],
)
def test_a_bad_request_is_refused_with_one_clear_message(hand, request_, message):
    with pytest.raises(ValueError, match=message):
        indicator_rows(hand, **request_)


def test_a_bad_gap_is_refused(hand):
    with pytest.raises(SourceError, match="two different ethnic groups"):
        gap_rows(hand, measure="treatment", groups=("white", "asian"))
    with pytest.raises(SourceError, match="leave ethnic_group out of --by"):
        gap_rows(hand, measure="treatment", by=("ethnic_group",))
