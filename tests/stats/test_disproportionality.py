"""Rates per 1,000, the disproportionality ratio and a change in a count: hand-worked values and base R."""

import subprocess
import textwrap

import pytest

from citizenfocus.stats.disproportionality import (
    count_change,
    poisson_count_interval,
    rate_per_1000,
    rate_ratio,
    ratio_sentence,
)
from tests.support import require_r


def test_ratio_and_log_interval_worked_by_hand():
    # 340 searches of 12,000 Black residents; 1,100 of 380,000 White residents.
    # RR = (340/12000)/(1100/380000) = 9.787879; se(log RR) = sqrt(1/340 + 1/1100) = 0.0620505;
    # exp(±1.959964 × 0.0620505) = ×/÷ 1.129320 → 8.6671 to 11.0537.
    r = rate_ratio(340, 12000, 1100, 380000)
    assert r.ratio == pytest.approx(9.787879, rel=1e-6)
    assert (r.ci_low, r.ci_high) == pytest.approx((8.6670, 11.0537), abs=1e-4)
    assert r.significant


def test_ratio_matches_base_r_poisson_glm_wald_interval():
    # R: glm(count ~ g + offset(log(pop)), family = poisson, control = glm.control(epsilon = 1e-15));
    # exp(c(coef(f)[2], confint.default(f)[2, ]))
    r = rate_ratio(340, 12000, 1100, 380000)
    assert (r.ratio, r.ci_low, r.ci_high) == pytest.approx(
        (9.78787878787884, 8.66704560323283, 11.0536595227414), rel=1e-12)


def test_rate_per_1000_has_the_exact_poisson_interval_of_r_poisson_test():
    rate = rate_per_1000(340, 12000)
    assert rate.rate == pytest.approx(28.333333, rel=1e-6)
    assert (rate.ci_low, rate.ci_high) == pytest.approx((25.4013602247097, 31.5108920324409), rel=1e-10)
    zero = rate_per_1000(0, 500)
    assert (zero.rate, zero.ci_low, zero.ci_high) == pytest.approx((0.0, 0.0, 7.37775890822787), rel=1e-10)


def test_no_rate_without_a_population_and_no_ratio_with_a_zero_count():
    assert rate_per_1000(3, 0).rate is None
    assert rate_ratio(0, 100, 5, 100).ratio is None
    assert "count is zero" in ratio_sentence("Asian", "White", rate_ratio(0, 100, 5, 100))


def test_the_ratio_is_said_in_words_with_its_interval():
    r = rate_ratio(340, 12000, 1100, 380000)
    assert ratio_sentence("Black", "White", r) == (
        "Black people were 9.8 times as likely as White people to be searched (95% CI 8.7 to 11.1).")
    same = rate_ratio(12, 1000, 11, 1000)
    assert ratio_sentence("Mixed", "White", same).endswith("not significantly different.")
    lower = rate_ratio(50, 10000, 200, 10000)
    assert ratio_sentence("Asian", "White", lower).startswith("Asian people were 4.0 times less likely")


def test_a_change_in_a_count_worked_by_hand():
    # 130 offences this year, 100 last: ratio 1.3; se = sqrt(1/130 + 1/100) = 0.133012;
    # exp(±1.959964 × 0.133012) = ×/÷ 1.297860 → 1.0017 to 1.6872: a significant rise.
    change = count_change(130, 100)
    assert change.ratio == pytest.approx(1.3)
    assert (change.ci_low, change.ci_high) == pytest.approx((1.00167, 1.68719), abs=1e-5)
    assert change.significant
    assert not count_change(110, 100).significant


@pytest.mark.r
def test_intervals_match_base_r_on_many_counts(tmp_path):
    require_r()
    cases = [(3, 800, 40, 90000), (25, 2500, 25, 2500), (1, 50, 900, 100000), (400, 9000, 150, 60000)]
    script = textwrap.dedent("""
        cases <- matrix(c(%s), ncol = 4, byrow = TRUE)
        for (i in seq_len(nrow(cases))) {
          d <- data.frame(count = cases[i, c(1, 3)], pop = cases[i, c(2, 4)], g = factor(c("a", "b"), levels = c("b", "a")))
          f <- glm(count ~ g + offset(log(pop)), family = poisson, data = d, control = glm.control(epsilon = 1e-13, maxit = 100))
          p <- poisson.test(cases[i, 1], cases[i, 2])$conf.int * 1000
          cat(sprintf("%%.17g", c(exp(c(coef(f)[2], confint.default(f)[2, ])), p)), "\\n")
        }
    """) % ", ".join(str(v) for case in cases for v in case)
    (tmp_path / "r.R").write_text(script)
    run = subprocess.run(["Rscript", str(tmp_path / "r.R")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    for case, line in zip(cases, run.stdout.strip().splitlines(), strict=True):
        expected = [float(v) for v in line.split()]
        r = rate_ratio(*case)
        rate = rate_per_1000(case[0], case[1])
        assert [r.ratio, r.ci_low, r.ci_high, rate.ci_low, rate.ci_high] == pytest.approx(expected, rel=1e-9)


def test_exact_poisson_interval_of_a_count():
    assert poisson_count_interval(0) == pytest.approx((0.0, 3.688879), abs=1e-6)
