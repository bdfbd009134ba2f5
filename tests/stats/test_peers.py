"""A force against its most similar forces (statistics.md §4)."""

import math

import pytest

from citizenfocus.stats import Peer, Sums, estimate_rate, msf_comparison, msf_mean

PEERS = [Peer(0.80, 900, name="Avon"), Peer(0.82, 1100, name="Kent"), Peer(0.79, 800, name="Essex"),
         Peer(0.86, 1000, name="Home")]


def binomial_se(p, n, deft=1.0):
    return deft * math.sqrt(p * (1 - p) / n)


def test_the_msf_average_is_the_plain_mean_and_leaves_the_force_out_by_default():
    result = msf_comparison((0.86, 1000), peers=PEERS, force_name="Home")
    assert result.peers == 3
    assert result.msf_rate == pytest.approx((0.80 + 0.82 + 0.79) / 3)
    se = math.sqrt(binomial_se(0.80, 900) ** 2 + binomial_se(0.82, 1100) ** 2 + binomial_se(0.79, 800) ** 2) / 3
    assert result.msf_se == pytest.approx(se)
    z = (0.86 - result.msf_rate) / math.sqrt(binomial_se(0.86, 1000) ** 2 + se**2)
    assert result.z == pytest.approx(z)
    assert result.verdict == "significantly better"
    assert result.sentence == "significantly better than the MSF average"


def test_including_the_force_puts_it_in_the_mean_once_and_accounts_for_it_on_both_sides():
    result = msf_comparison((0.86, 1000), peers=PEERS, force_name="Home", include_force=True)
    assert result.peers == 4
    assert result.msf_rate == pytest.approx((0.80 + 0.82 + 0.79 + 0.86) / 4)
    others = sum(binomial_se(p.rate, p.n) ** 2 for p in PEERS[:3])
    var_diff = (3 / 4) ** 2 * binomial_se(0.86, 1000) ** 2 + others / 16
    assert result.z == pytest.approx((0.86 - result.msf_rate) / math.sqrt(var_diff))


def test_peers_can_be_tuples_with_a_design_factor():
    plain = msf_comparison((0.7, 500), peers=[(0.75, 400), (0.72, 600)])
    deft = msf_comparison((0.7, 500), peers=[(0.75, 400, 1.2), (0.72, 600, 1.2)])
    assert deft.msf_se == pytest.approx(1.2 * plain.msf_se)
    assert msf_mean([(0.75, 400), (0.72, 600)]) == pytest.approx((plain.msf_rate, plain.msf_se))


def test_a_published_msf_average_with_its_se_is_used_as_given():
    result = msf_comparison((0.70, 500), msf_rate=0.75, msf_se=0.01)
    assert result.z == pytest.approx(-0.05 / math.sqrt(binomial_se(0.7, 500) ** 2 + 0.01**2))
    assert result.verdict == "significantly worse"
    assert result.sentence == "significantly worse than the MSF average"


def test_higher_worse_indicators_turn_a_higher_rate_into_worse():
    result = msf_comparison((0.30, 2000), msf_rate=0.25, msf_se=0.005, direction="higher-worse")
    assert result.z > 1.96
    assert result.verdict == "significantly worse"


def test_within_the_critical_value_is_not_significantly_different():
    result = msf_comparison((0.80, 400), msf_rate=0.79, msf_se=0.01)
    assert abs(result.z) < 1.959964
    assert result.sentence == "not significantly different to the MSF average"


def test_a_rate_estimate_brings_its_own_design_based_se():
    force = estimate_rate(Sums.from_responses([1] * 70 + [0] * 30, [1, 2] * 50))
    result = msf_comparison(force, msf_rate=0.7, msf_se=0.0)
    assert result.force_se == force.se
    assert result.z == pytest.approx((force.rate - 0.7) / force.se)


def test_an_empty_force_gives_no_data_and_a_missing_average_is_refused():
    assert msf_comparison(estimate_rate([]), msf_rate=0.7, msf_se=0.01).verdict == "no data"
    with pytest.raises(ValueError, match="msf_rate"):
        msf_comparison((0.7, 100))
    with pytest.raises(ValueError, match="no peers"):
        msf_comparison((0.7, 100), peers=[Peer(0.7, 100, name="Home")], force_name="Home")
