"""Grading rules as data (statistics.md §5)."""

import itertools

import pytest

from citizenfocus.stats import GRADING_RULES, grade
from citizenfocus.stats.grading import MSF_VERDICTS, TREND_VERDICTS

HMIC = [  # msf, trend, grade (statistics.md §5 and HMIC 2008)
    ("significantly better", "no significant change", "exceeding the standard"),
    ("significantly better", "significantly improved", "exceeding the standard"),
    ("significantly better", "significantly deteriorated", "failing to meet the standard"),
    ("not significantly different", "no significant change", "meeting the standard"),
    ("not significantly different", "significantly improved", "meeting the standard"),
    ("not significantly different", "significantly deteriorated", "failing to meet the standard"),
    ("significantly worse", "no significant change", "failing to meet the standard"),
    ("significantly worse", "significantly improved", "meeting the standard"),
    ("significantly worse", "significantly deteriorated", "failing to meet the standard"),
]

THREE_TIER = [
    ("significantly better", "no significant change", "exceeds expectations"),
    ("significantly better", "significantly deteriorated", "meets expectations"),
    ("not significantly different", "significantly improved", "meets expectations"),
    ("not significantly different", "significantly deteriorated", "below expectations"),
    ("significantly worse", "significantly improved", "below expectations"),
]


@pytest.mark.parametrize(("msf", "trend", "label"), HMIC)
def test_hmic_2008_grades_every_combination_as_the_inspectorate_did(msf, trend, label):
    assert grade("hmic-2008", msf_verdict=msf, trend_verdict=trend).label == label


@pytest.mark.parametrize(("msf", "trend", "label"), THREE_TIER)
def test_three_tier_rule_gives_no_credit_for_improving_from_below(msf, trend, label):
    assert grade("three-tier", msf_verdict=msf, trend_verdict=trend).label == label


def test_a_worse_force_that_is_improving_is_credited_and_told_why():
    result = grade("hmic-2008", msf_verdict="significantly worse", trend_verdict="significantly improved")
    assert result.label == "meeting the standard"
    assert "credited for a significant improvement" in result.reason


def test_raw_differences_are_read_through_the_indicators_direction():
    # a higher share thinking ASB is a problem is worse: higher than MSF and rising = failing
    worse = grade("hmic-2008", msf_verdict="significantly higher", trend_verdict="significantly higher",
                  direction="higher-worse")
    assert (worse.msf_verdict, worse.trend_verdict) == ("significantly worse", "significantly deteriorated")
    assert worse.label == "failing to meet the standard"
    better = grade("hmic-2008", msf_verdict="significantly lower", trend_verdict="not significantly different",
                   direction="higher-worse")
    assert better.label == "exceeding the standard"


def test_no_msf_comparison_is_not_graded_and_no_trend_is_said():
    assert grade("hmic-2008", msf_verdict="no data", trend_verdict="no data").label == "not graded"
    result = grade("hmic-2008", msf_verdict="significantly better", trend_verdict="no data")
    assert result.label == "exceeding the standard"
    assert "No comparison with earlier years" in result.reason


@pytest.mark.parametrize("rule_key", list(GRADING_RULES))
def test_every_rule_grades_every_pair_of_verdicts_with_one_of_its_labels(rule_key):
    rule = GRADING_RULES[rule_key]
    seen = set()
    for msf, trend in itertools.product(MSF_VERDICTS, TREND_VERDICTS):
        result = grade(rule_key, msf_verdict=msf, trend_verdict=trend)
        assert result.label in (*rule.labels, "not graded")
        assert result.reason.endswith((".", ".)"))
        seen.add(result.label)
    assert seen == {*rule.labels, "not graded"}


def test_unknown_rules_and_verdicts_are_refused_by_name():
    with pytest.raises(ValueError, match="'ofsted'.*hmic-2008, three-tier"):
        grade("ofsted", msf_verdict="no data", trend_verdict="no data")
    with pytest.raises(ValueError, match="'great'"):
        grade("hmic-2008", msf_verdict="great", trend_verdict="no data")
    with pytest.raises(ValueError, match="'up'"):
        grade("hmic-2008", msf_verdict="no data", trend_verdict="up")
