"""Differences between two rates: Newcombe's interval, z, p and the words (statistics.md §3)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citizenfocus.stats import (
    Comparison,
    RateEstimate,
    Sums,
    compare_rates,
    estimate_rate,
    trend_comparison,
    wilson_interval,
)

from .test_intervals import DIFFERENCES


def simple(x, n):
    """A rate whose effective base is n itself (as in Newcombe's examples)."""
    p = x / n
    low, high = wilson_interval(x, n)
    return RateEstimate(n, float(n), p, math.sqrt(p * (1 - p) / n), low, high, "wilson")


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "expected"), DIFFERENCES)
def test_compare_rates_reproduces_newcombe_method_10(x1, n1, x2, n2, expected):
    result = compare_rates(simple(x1, n1), simple(x2, n2))
    assert result.diff == pytest.approx(x1 / n1 - x2 / n2)
    assert (round(result.ci_low, 4), round(result.ci_high, 4)) == expected


def test_the_verdict_follows_the_interval_not_the_z_statistic():
    higher = compare_rates(simple(9, 10), simple(3, 10), min_base=0)
    assert higher.verdict == "significantly higher"
    assert compare_rates(simple(3, 10), simple(9, 10), min_base=0).verdict == "significantly lower"
    # 5/56 against 0/29: the interval straddles 0 though z is large (se of 0/29 is 0)
    straddles = compare_rates(simple(5, 56), simple(0, 29))
    assert straddles.verdict == "not significantly different"
    assert straddles.z > 1.96


def test_z_and_p_use_both_standard_errors():
    a, b = simple(56, 70), simple(48, 80)
    result = compare_rates(a, b)
    z = (0.8 - 0.6) / math.sqrt(a.se**2 + b.se**2)
    assert result.z == pytest.approx(z)
    assert result.p == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))


def test_an_empty_side_gives_no_data():
    empty = estimate_rate([])
    assert compare_rates(empty, simple(3, 10)) == Comparison(None, None, None, None, None, "no data")
    assert compare_rates(simple(3, 10), empty).verdict == "no data"


def test_below_the_minimum_base_nothing_is_called_significant():
    assert compare_rates(simple(9, 10), simple(3, 10)).verdict == "too few responses to test"
    assert compare_rates(simple(19, 20), simple(2, 20)).verdict == "significantly higher"
    result = trend_comparison(simple(9, 10), simple(3, 10))
    assert result.verdict == "too few responses to test" and result.sentence.startswith("Not tested")


def test_two_rates_with_no_spread_have_no_z():
    result = compare_rates(simple(0, 10), simple(0, 20), min_base=0)
    assert result.z is None and result.p is None
    assert result.verdict == "not significantly different"


def test_a_weighted_comparison_uses_each_sides_effective_base():
    a = estimate_rate(Sums.from_responses([1] * 40 + [0] * 10, [1, 3] * 25))
    b = estimate_rate(Sums.from_responses([1] * 30 + [0] * 30))
    result = compare_rates(a, b)
    la, ua = wilson_interval(a.rate, a.n_eff)
    lb, ub = wilson_interval(b.rate, b.n_eff)
    d = a.rate - b.rate
    assert result.ci_low == pytest.approx(d - math.sqrt((a.rate - la) ** 2 + (ub - b.rate) ** 2))
    assert result.ci_high == pytest.approx(d + math.sqrt((ua - a.rate) ** 2 + (b.rate - lb) ** 2))


groups = st.integers(min_value=1, max_value=400).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n)))


@given(groups, groups)
def test_the_gap_interval_is_antisymmetric_when_the_groups_swap(g1, g2):
    a = estimate_rate(Sums.from_responses([1] * g1[0] + [0] * (g1[1] - g1[0])))
    b = estimate_rate(Sums.from_responses([1] * g2[0] + [0] * (g2[1] - g2[0])))
    ab, ba = compare_rates(a, b, min_base=0), compare_rates(b, a, min_base=0)
    if a.n_eff <= 0 or b.n_eff <= 0:
        return
    assert ba.diff == pytest.approx(-ab.diff, abs=1e-15)
    assert ba.ci_low == pytest.approx(-ab.ci_high, abs=1e-12)
    assert ba.ci_high == pytest.approx(-ab.ci_low, abs=1e-12)
    assert ab.ci_low <= ab.diff <= ab.ci_high
    swapped = {"significantly higher": "significantly lower", "significantly lower": "significantly higher"}
    assert ba.verdict == swapped.get(ab.verdict, ab.verdict)


@pytest.mark.parametrize(("direction", "current", "previous", "words"), [
    ("higher-better", (90, 100), (30, 100), "significantly improved"),
    ("higher-better", (10, 100), (80, 100), "significantly deteriorated"),
    ("higher-worse", (90, 100), (30, 100), "significantly deteriorated"),
    ("higher-worse", (10, 100), (80, 100), "significantly improved"),
    ("higher-better", (40, 100), (50, 100), "no significant change"),
])
def test_trend_words_honour_the_indicators_direction(direction, current, previous, words):
    result = trend_comparison(simple(*current), simple(*previous), direction=direction)
    assert result.verdict == words
    assert result.sentence.lower().startswith(words)


def test_trend_sentence_gives_the_movement_in_points():
    result = trend_comparison(simple(900, 1000), simple(800, 1000))
    assert result.sentence == "Significantly improved (up 10.0 points, from 80.0% to 90.0%)."
    assert result.as_dict()["verdict"] == "significantly improved"


def test_trend_with_an_empty_period_says_no_data_and_an_odd_direction_is_refused():
    assert trend_comparison(estimate_rate([]), simple(3, 10)).verdict == "no data"
    with pytest.raises(ValueError, match="higher-better, higher-worse"):
        trend_comparison(simple(1, 2), simple(1, 2), direction="up")


def test_an_untested_trend_writes_its_bases_with_thousands_separators():
    result = trend_comparison(simple(24000, 30344), simple(9, 12))
    assert result.sentence.endswith("(12 before, 30,344 now).")
