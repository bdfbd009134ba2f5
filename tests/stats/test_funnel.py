"""Funnel plots: exact binomial 95% and 99.8% limits and over-dispersion (Spiegelhalter 2005)."""

import math

import numpy as np
import pytest
from scipy.stats import binom

from citizenfocus.stats import funnel_limits, funnel_plot, winsorised_phi


def spiegelhalter_lower(n, p0, tail):
    """The appendix formula, straight from scipy's binomial quantile and CDF."""
    r = binom.ppf(tail, n, p0)
    alpha = (binom.cdf(r, n, p0) - tail) / (binom.cdf(r, n, p0) - binom.cdf(r - 1, n, p0))
    return max((r - alpha) / n, 0.0)


def test_the_lower_limit_at_p0_0_9_and_n_12_is_the_interpolated_binomial_quantile_by_hand():
    # Binomial(12, 0.9): F(6) = 0.000541, F(7) = 0.004329, so r_0.001 = 7 and
    # α = (0.004329 − 0.001)/(0.004329 − 0.000541) = 0.8789: limit (7 − 0.8789)/12 = 0.5101.
    # F(7) = 0.004329, F(8) = 0.025637: r_0.025 = 8, α = 0.0244, limit 0.6642.
    row = funnel_limits(0.9, 12)
    assert row["lower998"] == pytest.approx(0.5100923, abs=1e-7)
    assert row["lower95"] == pytest.approx(0.6641736, abs=1e-7)
    # no count of 12 is improbably high: P(X = 12) = 0.9^12 = 0.28
    assert row["upper95"] == row["upper998"] == 1.0


@pytest.mark.parametrize(("n", "p0"), [(12, 0.9), (50, 0.8), (50, 0.2), (200, 0.3), (1000, 0.85), (37, 0.5)])
def test_limits_match_scipy_binomial_quantiles_with_the_upper_from_the_negative_answers(n, p0):
    row = funnel_limits(p0, n)
    for name, tail in (("95", 0.025), ("998", 0.001)):
        assert row[f"lower{name}"] == pytest.approx(spiegelhalter_lower(n, p0, tail), abs=1e-12)
        assert row[f"upper{name}"] == pytest.approx(1 - spiegelhalter_lower(n, 1 - p0, tail), abs=1e-12)


def test_the_upper_limit_at_p0_0_8_and_n_50_by_hand():
    # negatives ~ Binomial(50, 0.2): F(1) = 0.000193, F(2) = 0.001285, r_0.001 = 2,
    # α = 0.2612, lower for negatives (2 − 0.2612)/50 = 0.03478, upper limit 0.96522
    assert funnel_limits(0.8, 50)["upper998"] == pytest.approx(0.9652239, abs=1e-7)


@pytest.mark.parametrize(("n", "p0"), [(12, 0.9), (30, 0.8), (40, 0.15), (100, 0.62)])
def test_a_whole_count_is_outside_exactly_when_a_result_as_extreme_has_probability_below_the_tail(n, p0):
    row = funnel_limits(p0, n)
    for name, tail in (("95", 0.025), ("998", 0.001)):
        for y in range(n + 1):
            below = y / n < row[f"lower{name}"]
            above = y / n > row[f"upper{name}"]
            assert below == (binom.cdf(y, n, p0) < tail), (name, y)
            assert above == (binom.sf(y - 1, n, p0) < tail), (name, y)


def test_a_measure_scored_the_other_way_round_gets_the_mirror_image_funnel():
    for n in (7, 12.6, 85, 400):
        row, mirror = funnel_limits(0.83, n), funnel_limits(0.17, n)
        for name in ("95", "998"):
            assert row[f"upper{name}"] == pytest.approx(1 - mirror[f"lower{name}"], abs=1e-12)
            assert row[f"lower{name}"] == pytest.approx(1 - mirror[f"upper{name}"], abs=1e-12)


def test_exact_limits_flag_fewer_units_than_the_normal_approximation_at_a_high_rate_and_a_small_base():
    units = [(f"{y} of 12", y / 12, 12) for y in range(13)]
    exact = funnel_plot(units, target=0.9)
    normal = funnel_plot(units, target=0.9, method="normal")
    exact_flagged = {u.name for u in exact.units if u.flagged}
    normal_flagged = {u.name for u in normal.units if u.flagged}
    # the normal lower limit 0.632 flags 7 of 12 (58%), though P(X ≤ 7) = 0.0043 > 0.001
    assert exact_flagged < normal_flagged
    assert normal_flagged - exact_flagged == {"7 of 12"}
    assert not any(u.position == "above" for u in exact.units)
    assert exact.method == "exact" and normal.method == "normal"


def test_the_normal_approximation_is_still_available_for_comparison():
    row = funnel_limits(0.8, 100, method="normal")
    sd = math.sqrt(0.8 * 0.2 / 100)
    assert (row["lower95"], row["upper95"]) == pytest.approx((0.8 - 1.959964 * sd, 0.8 + 1.959964 * sd), abs=1e-7)
    assert (row["lower998"], row["upper998"]) == pytest.approx((0.8 - 3.090232 * sd, 0.8 + 3.090232 * sd),
                                                               abs=1e-7)


def test_exact_limits_approach_the_normal_ones_at_large_bases():
    # at p0 = 0.5 (no skew) the exact limits are the normal ones widened by half a respondent
    n = 20000
    exact, normal = funnel_limits(0.5, n), funnel_limits(0.5, n, method="normal")
    assert exact["lower998"] == pytest.approx(normal["lower998"] - 0.5 / n, abs=0.05 / n)
    assert exact["upper998"] == pytest.approx(normal["upper998"] + 0.5 / n, abs=0.05 / n)
    # elsewhere the binomial's skew adds about a respondent more: still within 2/n of the normal
    exact, normal = funnel_limits(0.8, n), funnel_limits(0.8, n, method="normal")
    for key in ("lower95", "upper95", "lower998", "upper998"):
        assert abs(exact[key] - normal[key]) < 2 / n


@pytest.mark.parametrize("p0", [0.05, 0.3, 0.5, 0.85, 0.9, 0.97])
def test_limits_narrow_monotonically_as_the_base_grows(p0):
    # 3000 log-spaced bases from 1 to 5000, nearly all fractional (steps under 0.2 below 60)
    rows = funnel_plot([("small", p0, 1), ("large", p0, 5000)], target=p0, curve_points=3000).limits
    for name in ("lower95", "lower998"):
        values = np.array([r[name] for r in rows])
        assert np.all(np.diff(values) >= -1e-12), name
    for name in ("upper95", "upper998"):
        values = np.array([r[name] for r in rows])
        assert np.all(np.diff(values) <= 1e-12), name
    assert all(r["lower998"] <= r["lower95"] <= p0 <= r["upper95"] <= r["upper998"] for r in rows)


def test_a_fractional_effective_base_interpolates_between_the_whole_bases_either_side():
    at_12, at_13, between = funnel_limits(0.8, 12), funnel_limits(0.8, 13), funnel_limits(0.8, 12.25)
    for key in ("lower95", "upper95", "lower998", "upper998"):
        assert between[key] == pytest.approx(0.75 * at_12[key] + 0.25 * at_13[key], abs=1e-12)
    assert funnel_limits(0.8, 0.4) == {"n": 0.4, "target": 0.8, "lower95": 0.0, "upper95": 1.0,
                                       "lower998": 0.0, "upper998": 1.0}


def test_limits_are_clipped_to_zero_and_one_at_small_bases():
    row = funnel_limits(0.9, 5)
    assert row["upper95"] == 1.0 and row["upper998"] == 1.0
    assert 0.0 < row["lower998"] < row["lower95"]  # 1 of 5: P(X ≤ 1) = 0.00046, below 0.001
    assert funnel_limits(0.5, 3) == {"n": 3.0, "target": 0.5, "lower95": 0.0, "upper95": 1.0,
                                     "lower998": 0.0, "upper998": 1.0}


def test_only_a_unit_outside_the_99_8_percent_limits_is_flagged():
    row = funnel_limits(0.8, 400)
    plot = funnel_plot([("between", (row["lower998"] + row["lower95"]) / 2, 400),
                        ("outside", row["upper998"] + 0.002, 400),
                        ("low", row["lower998"] - 0.002, 400), ("inside", 0.8, 400)], target=0.8)
    by_name = {u.name: u for u in plot.units}
    assert by_name["between"].beyond_95 and not by_name["between"].flagged
    assert by_name["outside"].position == "above" and by_name["outside"].flagged
    assert by_name["low"].position == "below"
    assert by_name["inside"].position == "within" and not by_name["inside"].beyond_95
    sd = math.sqrt(0.8 * 0.2 / 400)
    assert by_name["outside"].z == pytest.approx((row["upper998"] + 0.002 - 0.8) / sd)


def test_the_default_target_is_the_pooled_rate():
    plot = funnel_plot([("a", 0.5, 100), ("b", 0.8, 300)])
    assert plot.target == pytest.approx((50 + 240) / 400)


def test_the_curves_run_from_the_smallest_to_the_largest_base():
    plot = funnel_plot([("a", 0.5, 20), ("b", 0.6, 2000), ("c", 0.55, 200)], curve_points=30)
    assert len(plot.limits) == 30
    assert plot.limits[0]["n"] == pytest.approx(20) and plot.limits[-1]["n"] == 2000
    widths = [r["upper998"] - r["lower998"] for r in plot.limits]
    assert widths == sorted(widths, reverse=True)
    assert plot.limits[5] == funnel_limits(plot.target, plot.limits[5]["n"])


def test_winsorising_pulls_the_top_and_bottom_ten_percent_in_to_their_neighbours():
    z = [-3, -1, -0.5, 0, 0.2, 0.4, 0.6, 1, 1.5, 5]
    pulled = [-1, -1, -0.5, 0, 0.2, 0.4, 0.6, 1, 1.5, 1.5]
    assert winsorised_phi(z) == pytest.approx(sum(v * v for v in pulled) / 10)


def test_over_dispersion_stretches_each_exact_limits_distance_from_the_target_by_the_root_of_phi():
    units = [(f"u{i}", r, 500) for i, r in enumerate([0.70, 0.78, 0.82, 0.90, 0.75, 0.85, 0.80, 0.72, 0.88, 0.79])]
    plain = funnel_plot(units, target=0.8)
    wide = funnel_plot(units, target=0.8, overdispersion=True)
    assert wide.phi == pytest.approx(winsorised_phi([u.z for u in plain.units])) and wide.phi > 1
    for name in ("upper998", "lower998", "upper95", "lower95"):
        plain_half = plain.limits[0][name] - 0.8
        assert wide.limits[0][name] - 0.8 == pytest.approx(plain_half * math.sqrt(wide.phi))
    assert sum(u.flagged for u in wide.units) < sum(u.flagged for u in plain.units)


def test_under_dispersed_units_keep_phi_at_one():
    units = [(f"u{i}", 0.8 + d, 400) for i, d in enumerate([0.001, -0.001, 0.002, 0.0, -0.002])]
    plot = funnel_plot(units, target=0.8, overdispersion=True)
    assert plot.phi_estimate < 1 and plot.phi == 1.0
    assert plot.limits == funnel_plot(units, target=0.8).limits


def test_funnel_input_errors_are_plain():
    with pytest.raises(ValueError, match="at least one unit"):
        funnel_plot([("a", 0.5, 0)])
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        funnel_plot([("a", 1.0, 10)])
    with pytest.raises(ValueError, match="base above 0"):
        funnel_limits(0.5, 0)
    with pytest.raises(ValueError, match="unknown funnel limit method 'poisson'"):
        funnel_limits(0.5, 10, method="poisson")
    assert funnel_plot([("a", 0.5, 10)]).as_dict()["units"][0]["flagged"] is False
    assert funnel_plot([("a", 0.5, 10)]).as_dict()["method"] == "exact"
