"""Funnel plots with 95% and 99.8% limits and over-dispersion (Spiegelhalter 2005)."""

import math

import pytest

from citizenfocus.stats import funnel_limits, funnel_plot, winsorised_phi


def test_limits_at_a_base_are_the_normal_approximation_at_95_and_99_8_percent():
    row = funnel_limits(0.8, 100)
    sd = math.sqrt(0.8 * 0.2 / 100)
    assert (row["lower95"], row["upper95"]) == pytest.approx((0.8 - 1.959964 * sd, 0.8 + 1.959964 * sd), abs=1e-7)
    assert (row["lower998"], row["upper998"]) == pytest.approx((0.8 - 3.090232 * sd, 0.8 + 3.090232 * sd),
                                                               abs=1e-7)


def test_limits_are_clipped_to_zero_and_one_at_small_bases():
    row = funnel_limits(0.9, 5)
    assert row["upper95"] == 1.0 and row["upper998"] == 1.0
    assert row["lower998"] >= 0.0


def test_only_a_unit_outside_the_99_8_percent_limits_is_flagged():
    sd = math.sqrt(0.8 * 0.2 / 400)
    plot = funnel_plot([("between", 0.8 - 2.5 * sd, 400), ("outside", 0.8 + 3.2 * sd, 400),
                        ("low", 0.8 - 3.2 * sd, 400), ("inside", 0.8, 400)], target=0.8)
    by_name = {u.name: u for u in plot.units}
    assert by_name["between"].beyond_95 and not by_name["between"].flagged
    assert by_name["outside"].position == "above" and by_name["outside"].flagged
    assert by_name["low"].position == "below"
    assert by_name["inside"].position == "within" and not by_name["inside"].beyond_95
    assert by_name["outside"].z == pytest.approx(3.2)


def test_the_default_target_is_the_pooled_rate():
    plot = funnel_plot([("a", 0.5, 100), ("b", 0.8, 300)])
    assert plot.target == pytest.approx((50 + 240) / 400)


def test_the_curves_run_from_the_smallest_to_the_largest_base():
    plot = funnel_plot([("a", 0.5, 20), ("b", 0.6, 2000), ("c", 0.55, 200)], curve_points=30)
    assert len(plot.limits) == 30
    assert plot.limits[0]["n"] == pytest.approx(20) and plot.limits[-1]["n"] == 2000
    widths = [r["upper998"] - r["lower998"] for r in plot.limits]
    assert widths == sorted(widths, reverse=True)


def test_winsorising_pulls_the_top_and_bottom_ten_percent_in_to_their_neighbours():
    z = [-3, -1, -0.5, 0, 0.2, 0.4, 0.6, 1, 1.5, 5]
    pulled = [-1, -1, -0.5, 0, 0.2, 0.4, 0.6, 1, 1.5, 1.5]
    assert winsorised_phi(z) == pytest.approx(sum(v * v for v in pulled) / 10)


def test_over_dispersion_widens_the_limits_by_the_root_of_phi():
    units = [(f"u{i}", r, 500) for i, r in enumerate([0.70, 0.78, 0.82, 0.90, 0.75, 0.85, 0.80, 0.72, 0.88, 0.79])]
    plain = funnel_plot(units, target=0.8)
    wide = funnel_plot(units, target=0.8, overdispersion=True)
    assert wide.phi == pytest.approx(winsorised_phi([u.z for u in plain.units])) and wide.phi > 1
    plain_half = plain.limits[0]["upper998"] - 0.8
    assert wide.limits[0]["upper998"] - 0.8 == pytest.approx(plain_half * math.sqrt(wide.phi))
    assert sum(u.flagged for u in wide.units) < sum(u.flagged for u in plain.units)


def test_under_dispersed_units_keep_phi_at_one():
    units = [(f"u{i}", 0.8 + d, 400) for i, d in enumerate([0.001, -0.001, 0.002, 0.0, -0.002])]
    plot = funnel_plot(units, target=0.8, overdispersion=True)
    assert plot.phi_estimate < 1 and plot.phi == 1.0


def test_funnel_input_errors_are_plain():
    with pytest.raises(ValueError, match="at least one unit"):
        funnel_plot([("a", 0.5, 0)])
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        funnel_plot([("a", 1.0, 10)])
    assert funnel_plot([("a", 0.5, 10)]).as_dict()["units"][0]["flagged"] is False
