"""A weighted rate, its design-based variance and interval (statistics.md §2)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from citizenfocus.stats import INTERVAL_METHODS, RateEstimate, Sums, estimate_rate


def sums_of(y, w=None):
    return Sums.from_responses(y, w)


def linearised_variance(y, w, strata):
    """Var of the ratio estimator from raw rows: with z_i = w_i(y_i − p)/Σw,
    Σ_h n_h/(n_h − 1) Σ_i (z_i − z̄_h)². Written from the textbook, not from the sums."""
    y, w, strata = map(np.asarray, (y, w, strata))
    p = (w * y).sum() / w.sum()
    z = w * (y - p) / w.sum()
    var = 0.0
    for h in np.unique(strata):
        zh = z[strata == h]
        if len(zh) > 1:
            var += len(zh) / (len(zh) - 1) * ((zh - zh.mean()) ** 2).sum()
    return p, var


def test_sums_add_up_field_by_field_and_zero_is_the_identity():
    a, b = Sums(2, 3.0, 1.5, 5.0, 2.0), Sums(1, 0.5, 0.5, 0.25, 0.25)
    assert a + b == Sums(3, 3.5, 2.0, 5.25, 2.25)
    assert a + Sums.zero() == a
    assert sum([a, b]) == a + b


def test_sums_from_responses_are_the_engines_five_sums():
    assert sums_of([1, 0, 1], [2.0, 1.0, 0.5]) == Sums(3, 3.5, 2.5, 5.25, 4.25)


def test_an_empty_group_gives_no_rate_and_does_not_raise():
    for empty in (Sums.zero(), [], [Sums.zero(), Sums.zero()]):
        est = estimate_rate(empty)
        assert est == RateEstimate(0, 0.0, None, None, None, None, "wilson", n_ci=0.0)


def test_an_unknown_interval_method_is_refused_naming_it_and_the_allowed_ones():
    with pytest.raises(ValueError, match=r"'agresti'.*wilson, beta, logit, wald, cp"):
        estimate_rate(sums_of([1, 0]), method="agresti")
    with pytest.raises(ValueError, match="agresti"):
        estimate_rate([], method="agresti")


def test_unweighted_variance_is_p_one_minus_p_over_n_minus_one():
    est = estimate_rate(sums_of([1] * 30 + [0] * 70))
    assert est.rate == pytest.approx(0.3)
    assert est.se**2 == pytest.approx(0.3 * 0.7 / 99, rel=1e-12)
    assert est.n_eff == pytest.approx(99)


@given(st.integers(min_value=2, max_value=2000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))))
def test_unweighted_variance_equals_binomial_over_n_minus_one_for_any_count(xn):
    x, n = xn
    est = estimate_rate(sums_of([1] * x + [0] * (n - x)))
    p = x / n
    assert est.se**2 == pytest.approx(p * (1 - p) / (n - 1), rel=1e-9, abs=1e-15)


@given(st.data())
def test_stratified_weighted_variance_equals_the_linearised_variance_from_raw_rows(data):
    seed = data.draw(st.integers(min_value=0, max_value=2**32 - 1))
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 300))
    strata = rng.integers(0, 4, n)
    y = (rng.random(n) < rng.uniform(0.05, 0.95)).astype(float)
    w = rng.uniform(0.2, 5.0, n)
    per_stratum = [sums_of(y[strata == h], w[strata == h]) for h in range(4)]
    p, var = linearised_variance(y, w, strata)
    est = estimate_rate(per_stratum)
    assert est.rate == pytest.approx(p, rel=1e-12)
    assert est.se**2 == pytest.approx(var, rel=1e-9, abs=1e-18)


def test_a_stratum_of_one_respondent_adds_nothing_and_is_counted():
    many = sums_of([1, 0, 1, 1, 0, 0, 1, 0])
    alone = sums_of([1], [1.0])
    with_alone = estimate_rate([many, alone])
    assert with_alone.single_unit_strata == 1
    p = with_alone.rate
    # the same variance the one-stratum formula gives for `many` alone at this p
    s1 = (many.swy - p * many.sw) / 9
    s2 = ((1 - 2 * p) * many.sw2y + p * p * many.sw2) / 81
    assert with_alone.se**2 == pytest.approx(8 / 7 * (s2 - s1 * s1 / 8))
    assert estimate_rate(many).single_unit_strata == 0


def test_deft_scales_the_standard_error_and_shrinks_the_effective_base():
    s = sums_of([1] * 60 + [0] * 40)
    plain, designed = estimate_rate(s), estimate_rate(s, deft=1.2)
    assert designed.se == pytest.approx(1.2 * plain.se)
    assert designed.n_eff == pytest.approx(plain.n_eff / 1.44)
    assert designed.ci_high - designed.ci_low > plain.ci_high - plain.ci_low


def test_at_a_rate_of_zero_the_effective_base_is_kish():
    w = [1.0, 2.0, 3.0, 4.0]
    est = estimate_rate(sums_of([0, 0, 0, 0], w), deft=1.2)
    assert est.rate == 0 and est.se == 0
    assert est.n_eff == pytest.approx(10**2 / 30 / 1.44)
    assert est.ci_low == 0.0 and est.ci_high > 0


def test_weighted_effective_base_is_kish_p_one_minus_p_over_variance():
    est = estimate_rate(sums_of([1, 0, 1, 1, 0, 1], [1, 3, 1, 2, 1, 5]))
    assert est.n_eff == pytest.approx(est.rate * (1 - est.rate) / est.se**2)


@pytest.mark.parametrize("method", list(INTERVAL_METHODS))
def test_every_method_labels_its_result_and_brackets_the_rate(method):
    est = estimate_rate(sums_of([1] * 45 + [0] * 55, [1 + (i % 3) for i in range(100)]), method=method)
    assert est.method == method
    assert 0 <= est.ci_low < est.rate < est.ci_high <= 1


def test_wilson_is_computed_on_the_effective_base():
    from citizenfocus.stats import wilson_interval

    est = estimate_rate(sums_of([1] * 20 + [0] * 30, [1, 4] * 25))
    assert (est.ci_low, est.ci_high) == pytest.approx(wilson_interval(est.rate, est.n_eff))


def test_as_dict_carries_every_field():
    d = estimate_rate(sums_of([1, 0, 1])).as_dict()
    assert set(d) == {"n", "n_eff", "rate", "se", "ci_low", "ci_high", "method", "single_unit_strata", "df", "n_ci"}
    assert d["n"] == 3 and math.isclose(d["rate"], 2 / 3)


weighted_groups = st.lists(
    st.tuples(st.integers(min_value=0, max_value=1), st.floats(min_value=0.1, max_value=10)),
    min_size=2, max_size=200)


@given(weighted_groups, st.sampled_from(list(INTERVAL_METHODS)))
def test_any_interval_contains_the_rate_and_stays_in_unit_range(rows, method):
    est = estimate_rate(sums_of([y for y, _ in rows], [w for _, w in rows]), method=method)
    assert 0.0 <= est.ci_low <= est.rate + 1e-12
    assert est.rate - 1e-12 <= est.ci_high <= 1.0
