"""KIN perception of progress: the share seeing progress, its Wilson interval and the traffic light."""

import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citizenfocus.stats.perception import AMBER, GREEN, GREY, RED, month_on_month, perception
from tests.support import require_r


def test_the_share_counts_some_and_good_progress_only():
    result = perception([5, 4, 3, 2, 1])
    assert (result.n, result.progress, result.rate) == (5, 2, 0.4)


def test_nine_of_ten_is_green_and_eight_of_ten_amber_on_a_small_network():
    assert perception([5] * 9 + [2]).light == GREEN
    assert perception([4] * 8 + [1, 1]).light == AMBER


def test_one_of_ten_is_red_and_two_of_ten_amber():
    assert perception([1] * 9 + [4]).light == RED
    assert perception([1] * 8 + [4, 4]).light == AMBER


def test_no_answers_is_grey_with_no_rate():
    result = perception([])
    assert result.light == GREY and result.rate is None and result.n == 0


def test_it_refuses_a_score_off_the_five_point_scale():
    with pytest.raises(ValueError, match="7.*5-point"):
        perception([3, 7])


def test_the_interval_is_wilsons_as_r_prop_test_gives_it():
    require_r()
    out = subprocess.run(["Rscript", "-e", "cat(prop.test(9, 10, correct=FALSE)$conf.int, sep=' ')"],
                         capture_output=True, text=True, check=True, timeout=60).stdout.split()
    result = perception([5] * 9 + [1])
    assert result.ci_low == pytest.approx(float(out[0]), abs=1e-7)
    assert result.ci_high == pytest.approx(float(out[1]), abs=1e-7)


def test_a_small_network_is_never_called_significantly_different_from_last_month():
    assert month_on_month(perception([5] * 10), perception([1] * 10)) == \
        "not tested against the month before: too few responses"


def test_a_large_change_on_large_bases_is_significant_in_the_project_words():
    assert month_on_month(perception([5] * 25 + [1] * 5), perception([5] * 10 + [1] * 20)) == \
        "significantly higher than the month before"
    assert month_on_month(perception([5] * 20 + [1] * 10), perception([5] * 21 + [1] * 9)) == \
        "not significantly different to the month before"


def test_a_month_with_no_answers_is_not_compared():
    assert month_on_month(perception([5] * 30), perception([])) == "no comparison with the month before (no data)"


@given(st.lists(st.integers(1, 5), min_size=1, max_size=60))
def test_green_and_red_only_when_the_interval_excludes_a_half(scores):
    result = perception(scores)
    assert result.ci_low <= result.rate <= result.ci_high
    assert (result.light == GREEN) == (result.ci_low > 0.5)
    assert (result.light == RED) == (result.ci_high < 0.5)
