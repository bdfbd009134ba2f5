"""The adjusted gap by direct standardisation (statistics.md §7)."""

import pytest

from citizenfocus.stats import Sums, adjusted_gap, compare_rates, estimate_rate


def counts(x, n, weight=1.0):
    return Sums.from_responses([1] * x + [0] * (n - x), [weight] * n)


def test_a_gap_that_is_all_crime_mix_disappears_once_adjusted():
    # within each crime type BME and white victims are equally satisfied; BME victims
    # mostly report violence, where everyone is less satisfied
    white = {"burglary": counts(850, 1000), "violence": counts(60, 100)}
    bme = {"burglary": counts(85, 100), "violence": counts(180, 300)}
    gap = adjusted_gap(white, bme)
    assert gap.raw.diff == pytest.approx(910 / 1100 - 265 / 400)
    assert gap.raw.verdict == "significantly higher"
    assert gap.bme_adjusted.rate == pytest.approx(1000 / 1100 * 0.85 + 100 / 1100 * 0.60)
    assert gap.adjusted.diff == pytest.approx(0, abs=1e-12)
    assert gap.adjusted.verdict == "not significantly different"


def test_the_adjusted_variance_is_the_sum_of_squared_shares_times_stratum_variances():
    white = {"a": counts(30, 40, 2.0), "b": counts(50, 60)}
    bme = {"a": counts(20, 30), "b": counts(10, 25)}
    gap = adjusted_gap(white, bme, deft=1.2)
    pi_a = 80 / 140
    var = pi_a**2 * estimate_rate(bme["a"], deft=1.2).se ** 2 + (1 - pi_a) ** 2 * estimate_rate(bme["b"], deft=1.2).se ** 2
    assert gap.bme_adjusted.se ** 2 == pytest.approx(var)
    p = gap.bme_adjusted.rate
    assert gap.bme_adjusted.n_eff == pytest.approx(p * (1 - p) / var)
    assert gap.adjusted == compare_rates(gap.white_kept, gap.bme_adjusted)


def test_with_the_same_mix_the_adjusted_rate_is_the_raw_rate():
    white = {"a": counts(300, 400), "b": counts(100, 200)}
    bme = {"a": counts(60, 80), "b": counts(25, 40)}
    gap = adjusted_gap(white, bme)
    assert gap.bme_adjusted.rate == pytest.approx(gap.bme.rate)


def test_strata_missing_a_group_are_left_out_and_their_white_share_reported():
    white = {"burglary": counts(80, 100), "violence": counts(30, 50), "vehicle": counts(40, 50)}
    bme = {"burglary": counts(20, 30), "violence": counts(10, 20), "hate crime": counts(5, 9)}
    gap = adjusted_gap(white, bme)
    left = {s.stratum: s for s in gap.left_out}
    assert set(left) == {"vehicle", "hate crime"}
    assert left["vehicle"].white_share == pytest.approx(50 / 200)
    assert (left["hate crime"].white_n, left["hate crime"].bme_n, left["hate crime"].white_share) == (0, 9, 0.0)
    assert gap.left_out_white_share == pytest.approx(0.25)
    assert gap.white.n == 200 and gap.white_kept.n == 150 and gap.bme.n == 59
    assert gap.bme_adjusted.n == 50


def test_design_strata_inside_each_stratum_are_kept_apart_for_the_variance():
    by_division = {"north": counts(30, 40), "south": counts(20, 40, 3.0)}
    white = {"burglary": by_division, "violence": {"north": counts(10, 20)}}
    bme = {"burglary": {"north": counts(8, 10), "south": counts(6, 10)}, "violence": {"south": counts(3, 8)}}
    gap = adjusted_gap(white, bme)
    pooled_white = [by_division["north"] + counts(10, 20), by_division["south"]]
    assert gap.white == estimate_rate(pooled_white)
    assert gap.bme_adjusted.rate == pytest.approx(
        (40 + 120) / 180 * estimate_rate(list(bme["burglary"].values())).rate + 20 / 180 * 3 / 8)


def test_no_shared_strata_gives_no_adjusted_gap():
    gap = adjusted_gap({"a": counts(5, 10)}, {"b": counts(5, 10)})
    assert gap.bme_adjusted.rate is None
    assert gap.adjusted.verdict == "no data"
    assert gap.as_dict()["left_out_white_share"] == 1.0
