"""Single-proportion and difference intervals against Newcombe (1998), statistics.md §9."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from citizenfocus.stats import (
    clopper_pearson_interval,
    logit_interval,
    newcombe_interval,
    wald_interval,
    wilson_interval,
    z_for,
)
from citizenfocus.stats.intervals import two_sided_p

SINGLE = [  # x, n, Wilson, Clopper–Pearson (Newcombe 1998, table I)
    (81, 263, (0.2553, 0.3662), (0.2527, 0.3676)),
    (15, 148, (0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20, (0.0000, 0.1611), (0.0000, 0.1684)),
    (1, 29, (0.0061, 0.1718), (0.0009, 0.1776)),
]

DIFFERENCES = [  # x1, n1, x2, n2, method 10 interval (Newcombe 1998, table II)
    (56, 70, 48, 80, (0.0524, 0.3339)),
    (9, 10, 3, 10, (0.1705, 0.8090)),
    (6, 7, 2, 7, (0.0582, 0.8062)),
    (5, 56, 0, 29, (-0.0381, 0.1926)),
    (0, 10, 0, 20, (-0.1611, 0.2775)),
    (10, 10, 0, 20, (0.6791, 1.0000)),
]


def test_z_for_95_percent_is_1_959964():
    assert z_for(0.95) == pytest.approx(1.959964, abs=5e-7)
    assert z_for(0.998) == pytest.approx(3.090232, abs=5e-7)


def test_z_for_refuses_a_level_outside_0_1():
    with pytest.raises(ValueError, match="between 0 and 1"):
        z_for(95)


@pytest.mark.parametrize(("x", "n", "wilson", "_cp"), SINGLE)
def test_wilson_matches_newcombe_1998_table_i(x, n, wilson, _cp):
    low, high = wilson_interval(x, n)
    assert (round(low, 4), round(high, 4)) == wilson


@pytest.mark.parametrize(("x", "n", "_wilson", "cp"), SINGLE)
def test_clopper_pearson_matches_newcombe_1998_table_i(x, n, _wilson, cp):
    low, high = clopper_pearson_interval(x, n)
    assert (round(low, 4), round(high, 4)) == cp


def test_wilson_matches_newcombe_1998_81_of_263_from_the_proportion_too():
    assert wilson_interval(81 / 263, 263) == pytest.approx(wilson_interval(81, 263), abs=1e-15)


def test_wilson_at_zero_successes_starts_at_exactly_zero():
    assert wilson_interval(0, 20)[0] == 0.0
    assert wilson_interval(20, 20)[1] == 1.0


def test_intervals_agree_with_statsmodels_on_whole_counts():
    for x, n, *_ in SINGLE:
        assert wilson_interval(x, n) == pytest.approx(proportion_confint(x, n, method="wilson"), abs=1e-12)
        assert clopper_pearson_interval(x, n) == pytest.approx(proportion_confint(x, n, method="beta"), abs=1e-12)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "expected"), DIFFERENCES)
def test_newcombe_hybrid_score_matches_newcombe_1998_table_ii(x1, n1, x2, n2, expected):
    low, high = newcombe_interval(x1, n1, x2, n2)
    assert (round(low, 4), round(high, 4)) == expected


def test_an_integer_is_a_count_and_a_float_a_proportion():
    assert wilson_interval(1, 29) != wilson_interval(1.0, 29)
    assert wilson_interval(1.0, 29)[1] == 1.0


def test_a_count_above_the_base_is_refused_with_the_numbers():
    with pytest.raises(ValueError, match="30 out of n=29"):
        wilson_interval(30, 29)
    with pytest.raises(ValueError, match="base above 0"):
        wilson_interval(0, 0)


def test_pooled_two_proportion_z_matches_statsmodels_reference():
    # statistics.md §9: proportions_ztest([5, 12], [83, 99]) gives z = −1.4078, p = 0.1592
    z_sm, p_sm = proportions_ztest([5, 12], [83, 99])
    pooled = 17 / 182
    z = (5 / 83 - 12 / 99) / math.sqrt(pooled * (1 - pooled) * (1 / 83 + 1 / 99))
    assert (round(z, 4), round(two_sided_p(z), 4)) == (-1.4078, 0.1592)
    assert z == pytest.approx(z_sm, rel=1e-12)
    assert two_sided_p(z) == pytest.approx(p_sm, rel=1e-12)


def test_logit_interval_is_symmetric_on_the_log_odds_scale():
    low, high = logit_interval(0.3, 0.05)
    centre = math.log(0.3 / 0.7)
    assert math.log(high / (1 - high)) - centre == pytest.approx(centre - math.log(low / (1 - low)))
    assert math.log(high / (1 - high)) - centre == pytest.approx(1.959964 * 0.05 / 0.21, rel=1e-6)


def test_wald_interval_is_clipped_to_zero_and_one():
    assert wald_interval(0.02, 0.05) == (0.0, pytest.approx(0.02 + 1.959964 * 0.05, rel=1e-6))
    assert wald_interval(0.98, 0.05)[1] == 1.0


counts = st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n)))
levels = st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998])


@given(counts, levels)
def test_score_and_exact_intervals_contain_the_estimate_and_stay_in_unit_range(xn, level):
    x, n = xn
    for low, high in (wilson_interval(x, n, level), clopper_pearson_interval(x, n, level)):
        assert 0.0 <= low <= x / n <= high <= 1.0


@given(st.floats(min_value=0.0, max_value=1.0), st.floats(min_value=1.0, max_value=1e5), levels)
def test_wilson_narrows_as_the_base_grows(p, n, level):
    low, high = wilson_interval(p, n, level)
    low2, high2 = wilson_interval(p, 4 * n, level)
    assert high2 - low2 < high - low
