"""A panel's self-declared make-up against its area's population shares."""

import subprocess

import pytest

from citizenfocus.stats.representation import NO_PROFILE, representation
from tests.support import require_r


def test_without_a_census_profile_it_gives_shares_and_says_so():
    result = representation({"White": 6, "Asian": 2}, None, not_declared=3)
    assert result["note"] == NO_PROFILE and result["not_declared"] == 3
    assert [(r["group"], r["share"], r["verdict"]) for r in result["rows"]] == [
        ("White", 0.75, NO_PROFILE), ("Asian", 0.25, NO_PROFILE)]


def test_a_small_panel_is_never_called_unrepresentative():
    rows = representation({"White": 10}, {"White": 0.5, "Black": 0.5})["rows"]
    assert {r["verdict"] for r in rows} == {"too few responses to test"}


def test_a_large_panel_far_from_its_area_is_significantly_lower_and_a_group_absent_from_it_is_listed():
    rows = {r["group"]: r for r in representation({"White": 38, "Asian": 2}, {"White": 0.7, "Asian": 0.3})["rows"]}
    assert rows["Asian"]["verdict"] == "significantly lower"
    assert rows["Asian"]["difference"] == pytest.approx(0.05 - 0.3)
    assert rows["White"]["verdict"] == "significantly higher"
    close = {r["group"]: r for r in representation({"White": 27, "Asian": 13}, {"White": 0.7, "Asian": 0.3})["rows"]}
    assert close["Asian"]["verdict"] == "not significantly different"


def test_the_test_is_rs_exact_binomial_test():
    require_r()
    out = subprocess.run(["Rscript", "-e", "cat(binom.test(2, 40, 0.3)$p.value)"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    from scipy.stats import binomtest

    assert binomtest(2, 40, 0.3).pvalue == pytest.approx(float(out), rel=1e-6)
