"""u-chart and Poisson funnel limits: hand-worked values."""

import pytest
from scipy import stats as sps

from citizenfocus.stats.counts import poisson_funnel_limits, u_chart


def test_u_chart_centre_and_limits_worked_by_hand():
    # 10, 12, 8 events over 100 each: ū = 30/300 = 0.1; 3·sqrt(0.1/100) = 0.094868
    chart = u_chart(["Jan", "Feb", "Mar"], [10, 12, 8], [100, 100, 100])
    assert chart.centre == pytest.approx(0.1)
    assert (chart.points[0].lower, chart.points[0].upper) == pytest.approx((0.005132, 0.194868), abs=1e-6)
    assert chart.signals == ()


def test_u_chart_limits_widen_for_a_smaller_exposure_and_clip_at_zero():
    chart = u_chart(["a", "b"], [1, 30], [5, 300])  # ū = 31/305
    small, large = chart.points
    assert small.upper - small.centre > large.upper - large.centre
    assert small.lower == 0.0


def test_a_month_far_above_the_centre_is_a_signal():
    counts = [20] * 11 + [60]
    chart = u_chart([f"m{i}" for i in range(12)], counts, [100] * 12)
    beyond = [s for s in chart.signals if s.rule == "beyond-limit"]
    assert [s.points for s in beyond] == [("m11",)]
    # the 11 ordinary months all sit below a centre the spike pulled up: a shift, correctly
    assert {s.rule for s in chart.signals} == {"beyond-limit", "shift"}


def test_poisson_funnel_limits_are_interpolated_exact_quantiles():
    # force rate 2 per 1,000 over 50 thousand people: mean count 100
    limits = poisson_funnel_limits(2.0, 50.0)
    r = sps.poisson.ppf(0.975, 100)  # 120
    expected = r - 1 + (0.975 - sps.poisson.cdf(r - 1, 100)) / (sps.poisson.pmf(r, 100))
    assert limits["high95"] == pytest.approx(expected / 50)
    assert limits["low95"] < 2.0 < limits["high95"] and limits["low998"] < limits["low95"]
    # the normal approximation is close at a mean of 100: 2 ± 1.96·sqrt(2/50)
    assert limits["high95"] == pytest.approx(2 + 1.96 * (2 / 50) ** 0.5, abs=0.03)
