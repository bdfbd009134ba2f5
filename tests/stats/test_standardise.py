"""The adjusted gap by direct standardisation (statistics.md §7), checked against R's svystandardize."""

import csv
import subprocess
import textwrap

import numpy as np
import pytest

from citizenfocus.stats import Sums, adjusted_gap, compare_rates, estimate_rate
from citizenfocus.stats.standardise import shrunk_variance
from tests.support import require_r


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


def test_a_stratum_with_one_bme_respondent_takes_the_variance_of_its_rate_shrunk_toward_the_bme_rate():
    white = {"a": counts(30, 40), "b": counts(50, 60)}
    bme = {"a": counts(1, 1), "b": counts(10, 25)}
    gap = adjusted_gap(white, bme)
    p_bar = 11 / 26
    shrunk = (1 + 2 * p_bar) / 3  # one respondent plus two pseudo-respondents at the BME rate
    var_a = shrunk * (1 - shrunk) / 1
    assert shrunk_variance(counts(1, 1), overall=p_bar) == pytest.approx(var_a)
    assert gap.bme_adjusted.se ** 2 == pytest.approx(0.4**2 * var_a + 0.6**2 * estimate_rate(bme["b"]).se ** 2)
    assert [s.stratum for s in gap.shrunk_strata] == ["a"]
    assert gap.shrunk_white_share == pytest.approx(0.4)


def test_a_unanimous_stratum_no_longer_narrows_the_interval_and_no_pseudo_respondents_gives_the_old_zero():
    white = {"burglary": counts(300, 400), "violence": counts(150, 200), "vehicle": counts(160, 200)}
    bme = {"burglary": counts(40, 50), "violence": counts(12, 12), "vehicle": counts(6, 6)}
    gap = adjusted_gap(white, bme)
    old = adjusted_gap(white, bme, pseudo_respondents=0)
    assert old.shrunk_strata == () and old.bme_adjusted.se ** 2 == pytest.approx(
        (400 / 800) ** 2 * estimate_rate(bme["burglary"]).se ** 2)
    assert {s.stratum for s in gap.shrunk_strata} == {"violence", "vehicle"}
    assert gap.shrunk_white_share == pytest.approx(0.5)
    assert gap.bme_adjusted.rate == old.bme_adjusted.rate
    p_bar = 58 / 68
    added = 0.25**2 * (shrunk_variance(bme["violence"], overall=p_bar) + shrunk_variance(bme["vehicle"], overall=p_bar))
    assert gap.bme_adjusted.se ** 2 == pytest.approx(old.bme_adjusted.se ** 2 + added)
    assert gap.bme_adjusted.se > 1.2 * old.bme_adjusted.se
    assert gap.adjusted.ci_high - gap.adjusted.ci_low > old.adjusted.ci_high - old.adjusted.ci_low


def test_the_shrunk_variance_uses_the_kish_base_and_the_design_factor():
    sums = Sums.from_responses([1, 1, 1], [1.0, 2.0, 3.0])
    n_k = 36 / 14
    p = (n_k + 2 * 0.6) / (n_k + 2)
    assert shrunk_variance(sums, overall=0.6, deft=1.2) == pytest.approx(1.44 * p * (1 - p) / n_k)
    assert shrunk_variance(sums, overall=0.6, pseudo_respondents=0) == 0.0
    with pytest.raises(ValueError, match="at least one respondent"):
        shrunk_variance(Sums.zero(), overall=0.5)


def test_a_stratum_with_spread_keeps_its_design_variance():
    white = {"a": counts(30, 40), "b": counts(50, 60)}
    bme = {"a": counts(20, 30), "b": counts(10, 25)}
    gap = adjusted_gap(white, bme)
    assert gap.shrunk_strata == () and gap.shrunk_white_share == 0
    assert [s.variance for s in gap.strata] == [estimate_rate(bme[k]).se ** 2 for k in ("a", "b")]
    assert [s.white_share for s in gap.strata] == pytest.approx([0.4, 0.6])


def test_the_strata_and_their_variances_are_in_the_json():
    gap = adjusted_gap({"a": counts(30, 40), "b": counts(50, 60)}, {"a": counts(1, 1), "b": counts(10, 25)})
    data = gap.as_dict()
    assert data["shrunk_strata"] == 1 and data["shrunk_white_share"] == pytest.approx(0.4)
    assert [s["stratum"] for s in data["strata"]] == ["a", "b"]
    assert data["strata"][0]["shrunk"] is True and data["strata"][0]["bme"]["n"] == 1


R_STANDARDISE = textwrap.dedent("""
    suppressMessages(library(survey))
    options(survey.lonely.psu = "certainty")
    args <- commandArgs(trailingOnly = TRUE)
    df <- read.csv(args[1])
    white <- df[df$g == "white", ]
    bme <- df[df$g == "bme", ]
    shares <- tapply(white$w, white$s, sum)
    kept <- sort(unique(bme$s))
    design <- svydesign(ids = ~1, strata = ~sh, weights = ~w, data = bme)
    std <- svystandardize(design, by = ~s, over = ~1, population = as.vector(shares[as.character(kept)]))
    m <- svymean(~y, std)
    writeLines(c("estimate,se", paste(sprintf("%.17g", coef(m)), sprintf("%.17g", SE(m)), sep = ",")), args[2])
""")




def _random_survey(seed):
    """White and BME respondents over 12 standardisation strata × 3 design strata, lognormal weights.

    Stratum 1 has one BME respondent, stratum 2 four who all answer yes, stratum 13
    has white respondents only (left out)."""
    rng = np.random.default_rng(seed)
    g = np.array(["white"] * 900 + ["bme"] * 160)
    s = np.concatenate([rng.integers(1, 14, 900), rng.choice(np.arange(3, 13), 160, p=np.linspace(3, 1, 10) / 20)])
    s[900], s[901:905] = 1, 2
    h = rng.integers(1, 4, g.size)
    y = (rng.random(g.size) < 0.55 + 0.03 * s - 0.08 * (g == "bme")).astype(int)
    y[901:905] = 1
    w = np.round(rng.lognormal(0.0, 0.5, g.size), 6)
    return {"g": g, "s": s, "h": h, "sh": s * 10 + h, "y": y, "w": w}


def _nested_sums(rows, group):
    out = {}
    for i in np.flatnonzero(rows["g"] == group):
        cell = out.setdefault(int(rows["s"][i]), {}).setdefault(int(rows["h"][i]), [[], []])
        cell[0].append(int(rows["y"][i]))
        cell[1].append(float(rows["w"][i]))
    return {s: {h: Sums.from_responses(y, w) for h, (y, w) in by_h.items()} for s, by_h in out.items()}


@pytest.mark.r
@pytest.mark.parametrize("seed", [5, 17, 29])
def test_the_adjusted_rate_matches_r_svystandardize_and_so_does_the_variance_outside_shrunk_strata(seed, tmp_path):
    require_r()
    rows = _random_survey(seed)
    data, script, result = tmp_path / "data.csv", tmp_path / "std.R", tmp_path / "out.csv"
    with data.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["g", "s", "sh", "y", "w"])
        for i in range(rows["g"].size):
            out.writerow([rows["g"][i], rows["s"][i], rows["sh"][i], rows["y"][i], repr(float(rows["w"][i]))])
    script.write_text(R_STANDARDISE)
    run = subprocess.run(["Rscript", str(script), str(data), str(result)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    with result.open() as f:
        r = next(csv.DictReader(f))
    gap = adjusted_gap(_nested_sums(rows, "white"), _nested_sums(rows, "bme"))
    assert [s.stratum for s in gap.left_out] == [13]
    assert {1, 2} <= {s.stratum for s in gap.shrunk_strata}
    assert gap.bme_adjusted.rate == pytest.approx(float(r["estimate"]), rel=1e-9)
    # svystandardize holds the white shares fixed and gives a stratum with no spread no variance;
    # the shrunk strata's variance is the one addition
    added = sum(s.white_share**2 * s.variance for s in gap.shrunk_strata)
    assert gap.bme_adjusted.se ** 2 - added == pytest.approx(float(r["se"]) ** 2, rel=1e-9)
