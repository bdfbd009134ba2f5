"""Control charts and their signal rules (statistics.md §6)."""

import pytest

from citizenfocus.stats import (
    ChartPoint,
    Sums,
    chart_from_estimates,
    control_chart,
    estimate_rate,
    find_signals,
)

MONTHS = [f"2013-{m:02d}" for m in range(1, 13)] + [f"2014-{m:02d}" for m in range(1, 13)]


def labels(k):
    return [f"m{i}" for i in range(k)]


def test_p_chart_matches_devore_30_samples_of_200_with_567_defectives():
    counts = [19] * 27 + [18] * 3
    assert sum(counts) == 567
    chart = control_chart(labels(30), [c / 200 for c in counts], [200] * 30, kind="p")
    point = chart.points[0]
    assert (round(point.centre, 4), round(point.lower, 4), round(point.upper, 4)) == (0.0945, 0.0324, 0.1566)


def test_p_chart_matches_devore_ten_samples_of_200():
    counts = [40, 44, 22, 34, 24, 32, 28, 32, 34, 30]
    chart = control_chart(labels(10), [c / 200 for c in counts], [200] * 10, kind="p")
    assert chart.kind == "p"
    assert {(round(p.centre, 4), round(p.lower, 4), round(p.upper, 4)) for p in chart.points} == {
        (0.16, 0.0822, 0.2378)}
    assert chart.signals == ()


def test_p_chart_limits_vary_with_each_months_base_and_are_clipped():
    chart = control_chart(labels(3), [0.05, 0.04, 0.06], [1000, 10, 4000], kind="p")
    centre = (50 + 0.4 + 240) / 5010
    small = chart.points[1]
    assert small.centre == pytest.approx(centre)
    assert small.lower == 0.0
    assert small.upper == pytest.approx(centre + 3 * (centre * (1 - centre) / 10) ** 0.5)
    assert chart.points[2].upper - chart.points[2].lower < chart.points[0].upper - chart.points[0].lower


def test_laney_limits_with_equal_bases_are_the_individuals_chart_limits():
    # with equal n, p′ limits reduce to p̄ ± 3·(mean moving range)/1.128 (Laney 2002)
    rates = [0.10, 0.20, 0.15, 0.25]
    chart = control_chart(labels(4), rates, [100] * 4, kind="laney")
    moving_range = (0.10 + 0.05 + 0.10) / 3
    assert chart.points[0].centre == pytest.approx(0.175)
    assert chart.points[0].upper == pytest.approx(0.175 + 3 * moving_range / 1.128)
    assert chart.points[0].lower == pytest.approx(max(0.0, 0.175 - 3 * moving_range / 1.128))
    assert chart.segments[0].sigma_z == pytest.approx(moving_range / 1.128 / (0.175 * 0.825 / 100) ** 0.5)


def test_with_large_bases_the_p_chart_flags_everything_and_auto_picks_laney():
    rates = [0.80, 0.83, 0.79, 0.82, 0.78, 0.81, 0.84, 0.80, 0.79, 0.82, 0.80, 0.81]
    bases = [20000] * 12
    p_chart = control_chart(labels(12), rates, bases, kind="p")
    auto = control_chart(labels(12), rates, bases)
    beyond = [s for s in p_chart.signals if s.rule == "beyond-limit"]
    assert len(beyond) >= 6
    assert auto.kind == "laney"
    assert [s for s in auto.signals if s.rule == "beyond-limit"] == []


def test_auto_keeps_the_p_chart_when_months_vary_no_more_than_chance():
    rates = [0.16, 0.162, 0.158, 0.161, 0.159, 0.16]
    assert control_chart(labels(6), rates, [200] * 6).kind == "p"


def test_a_change_point_starts_new_limits_from_its_own_points():
    rates = [0.80] * 6 + [0.70] * 6
    chart = control_chart(labels(12), [r + (0.01 if i % 2 else -0.01) for i, r in enumerate(rates)],
                          [500] * 12, kind="p", change_points={"m6": "recording practice changed"})
    assert [s.start for s in chart.segments] == ["m0", "m6"]
    assert chart.segments[1].reason == "recording practice changed"
    assert chart.points[0].centre == pytest.approx(0.80)
    assert chart.points[11].centre == pytest.approx(0.70)
    assert chart.points[11].segment == 1
    assert chart.signals == ()


def test_a_baseline_range_fixes_the_centre_for_later_months():
    rates = [0.5] * 6 + [0.6] * 6
    chart = control_chart(labels(12), rates, [100] * 12, kind="p", baseline=("m0", "m5"))
    assert chart.points[11].centre == pytest.approx(0.5)
    assert [p.in_baseline for p in chart.points] == [True] * 6 + [False] * 6
    assert chart.segments[0].baseline == tuple(labels(6))


def test_unknown_change_points_and_kinds_are_refused():
    with pytest.raises(ValueError, match="'m99'"):
        control_chart(labels(3), [0.1] * 3, [10] * 3, change_points=["m99"])
    with pytest.raises(ValueError, match="'xbar'"):
        control_chart(labels(3), [0.1] * 3, [10] * 3, kind="xbar")
    with pytest.raises(ValueError, match="one of each"):
        control_chart(labels(3), [0.1] * 2, [10] * 3)


def test_weighted_months_use_their_effective_base():
    estimates = [estimate_rate(Sums.from_responses([1] * (50 + i) + [0] * 50, [1, 3] * (50 + i // 2) + [1] * (i % 2)))
                 for i in range(6)]
    chart = chart_from_estimates(labels(6), estimates, kind="p")
    centre = sum(e.rate * e.n_eff for e in estimates) / sum(e.n_eff for e in estimates)
    point = chart.points[2]
    assert point.base == estimates[2].n_eff < estimates[2].n
    assert point.upper == pytest.approx(centre + 3 * (centre * (1 - centre) / estimates[2].n_eff) ** 0.5)


def points(rates, centre=0.5, sigma=0.05):
    return [ChartPoint(i, MONTHS[i], r, 100, centre, centre - 3 * sigma, centre + 3 * sigma, sigma)
            for i, r in enumerate(rates)]


def rules(signals):
    return [s.rule for s in signals]


def test_a_point_beyond_a_limit_is_a_signal_naming_the_month():
    found = find_signals(points([0.5, 0.66, 0.5, 0.34]))
    assert rules(found) == ["beyond-limit", "beyond-limit"]
    assert found[0].points == ("2013-02",) and found[0].side == "above"
    assert found[0].explanation.startswith("2013-02 is above the upper control limit")
    assert found[1].side == "below"


def test_seven_months_below_the_centre_line_is_a_shift_and_six_is_not():
    seven = find_signals(points([0.55, 0.48, 0.47, 0.49, 0.46, 0.48, 0.47, 0.49, 0.52]))
    assert rules(seven) == ["shift"]
    assert seven[0].points == tuple(MONTHS[1:8])
    assert seven[0].explanation == "7 months in a row below the centre line: a real shift."
    assert find_signals(points([0.55, 0.48, 0.47, 0.49, 0.46, 0.48, 0.47, 0.52])) == []


def test_a_point_on_the_centre_line_breaks_a_run():
    assert find_signals(points([0.52, 0.53, 0.51, 0.5, 0.52, 0.53, 0.51, 0.52])) == []


def test_seven_months_rising_is_a_trend_and_a_tie_breaks_it():
    rising = [0.40, 0.42, 0.44, 0.46, 0.48, 0.52, 0.54]
    found = [s for s in find_signals(points(rising)) if s.rule == "trend"]
    assert len(found) == 1 and found[0].side == "rising" and len(found[0].points) == 7
    assert "7 months in a row each higher than the last" in found[0].explanation
    tied = [0.40, 0.42, 0.44, 0.44, 0.48, 0.52, 0.54]
    assert [s for s in find_signals(points(tied)) if s.rule == "trend"] == []


def test_seven_months_falling_is_a_downward_trend():
    found = [s for s in find_signals(points([0.56, 0.55, 0.53, 0.52, 0.51, 0.49, 0.48])) if s.rule == "trend"]
    assert found[0].side == "falling" and "downward" in found[0].explanation


def test_two_of_three_months_beyond_two_thirds_of_the_way_to_a_limit():
    # 2σ = 0.10: 0.61 and 0.62 are near the upper limit (0.65) without crossing it
    found = find_signals(points([0.5, 0.61, 0.55, 0.62, 0.5]))
    assert rules(found) == ["two-of-three"]
    assert found[0].points == ("2013-02", "2013-04") and found[0].side == "above"
    assert "close to the upper limit" in found[0].explanation
    # near opposite limits does not count
    assert find_signals(points([0.5, 0.61, 0.39, 0.5])) == []
    # two near points four months apart are not within three
    assert find_signals(points([0.61, 0.5, 0.5, 0.62])) == []


def test_a_missing_month_breaks_runs_on_the_chart():
    # centre 0.52 from the first month; the rest sit just below it (0.4σ), one month has no data
    gap = control_chart(labels(9), [0.52] + [0.50] * 3 + [None] + [0.50] * 4, [100] * 9, kind="p",
                        baseline=("m0", "m0"))
    assert gap.points[4].upper is None and gap.points[4].rate is None
    assert gap.signals == ()
    full = control_chart(labels(9), [0.52] + [0.50] * 8, [100] * 9, kind="p", baseline=("m0", "m0"))
    assert [s.rule for s in full.signals] == ["shift"]
    assert full.signals[0].points == tuple(labels(9)[1:])
    assert full.as_dict()["signals"][0]["title"].startswith("A shift")



ASKED_RATES = [0.60, 0.62, 0.64, 0.60, 0.62, 0.61, 0.63, 0.60, 0.62, 0.20, 0.61]
ASKED_BASES = [50, 50, 40, 50, 60, 50, 50, 50, 50, 50, 50]


@pytest.mark.parametrize("kind", ["p", "laney", "auto"])
@pytest.mark.parametrize("empty_rate", [None, 0.0])
def test_months_of_base_0_before_the_first_count_in_no_centre_line_limit_or_signal(kind, empty_rate):
    """Months with no one in the base before the first with data (a question not asked yet) change nothing,
    even if a rate of 0 were given for them, and get no limits of their own."""
    alone = control_chart(labels(11), ASKED_RATES, ASKED_BASES, kind=kind)
    later = control_chart(labels(14), [empty_rate] * 3 + ASKED_RATES, [0] * 3 + ASKED_BASES, kind=kind)
    assert alone.signals and later.kind == alone.kind
    assert [(p.centre, p.lower, p.upper) for p in later.points[3:]] == [
        (p.centre, p.lower, p.upper) for p in alone.points]
    assert later.segments[0].sigma_z == alone.segments[0].sigma_z
    assert all(p.lower is None and p.upper is None for p in later.points[:3])
    assert [(s.rule, s.indices) for s in later.signals] == [
        (s.rule, tuple(i + 3 for i in s.indices)) for s in alone.signals]


@pytest.mark.parametrize("kind", ["p", "laney", "auto"])
@pytest.mark.parametrize("empty_rate", [None, 0.0])
def test_a_month_of_base_0_between_others_counts_in_no_centre_line_or_limit(kind, empty_rate):
    alone = control_chart(labels(11), ASKED_RATES, ASKED_BASES, kind=kind)
    gap = control_chart(labels(12), [*ASKED_RATES[:4], empty_rate, *ASKED_RATES[4:]], [*ASKED_BASES[:4], 0,
                                                                                      *ASKED_BASES[4:]], kind=kind)
    assert [(p.centre, p.lower, p.upper) for p in gap.points if p.base > 0] == [
        (p.centre, p.lower, p.upper) for p in alone.points]
    assert gap.segments[0].sigma_z == alone.segments[0].sigma_z
    assert (gap.points[4].lower, gap.points[4].upper) == (None, None)
