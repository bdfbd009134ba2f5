"""Side by side with R's survey package (Lumley): rates, design-based SEs and intervals.

Random stratified, weighted data (fixed seeds) go to R as a CSV; Python gets
the same rows as per group × stratum Sums, as the engine would produce them.
Without Rscript this skips locally, but FAILS when CI=true.
"""

import csv
import subprocess
import textwrap

import numpy as np
import pytest

from citizenfocus.stats import (
    Sums,
    clopper_pearson_interval,
    estimate_rate,
    logit_interval,
    odds_ratios,
)
from tests.support import require_r

pytestmark = pytest.mark.r

SEEDS = (11, 23, 47, 2026)
GROUPS = ("white", "bme", "mixed", "tiny")

R_SCRIPT = textwrap.dedent("""
    suppressMessages(library(survey))
    options(survey.lonely.psu = "certainty")
    expit <- function(x) 1 / (1 + exp(-x))
    args <- commandArgs(trailingOnly = TRUE)
    df <- read.csv(args[1])
    out <- file(args[2], "w")
    emit <- function(...) writeLines(paste(..., sep = ","), out)
    fmt <- function(x) sprintf("%.17g", x)
    emit("kind", "group", "term", "estimate", "se", "low", "high", "low_full", "high_full", "beta_low",
         "beta_high", "df", "n")
    # The design is the whole file; groups and the rows with no answer are domains of it.
    whole <- svydesign(ids = ~1, strata = ~s, weights = ~w, data = df)
    by <- svyby(~y, ~g, whole, svymean, na.rm = TRUE)
    answered <- subset(whole, !is.na(y))
    for (i in seq_len(nrow(by))) {
      G <- as.character(by$g[i])
      d <- subset(answered, g == G)
      lg <- attr(svyciprop(~y, d, method = "logit"), "ci")
      # svyciprop's own svyglm stops at glm's default tolerance (1e-8); the same fit run to convergence:
      fit <- svyglm(y ~ 1, design = d, family = quasibinomial(),
                    control = glm.control(epsilon = 1e-15, maxit = 200))
      full <- as.numeric(expit(confint(fit, 1, method = "Wald", ddf = degf(d))))
      bt <- attr(svyciprop(~y, d, method = "beta"), "ci")
      emit("domain", G, "y", fmt(by$y[i]), fmt(by$se[i]), fmt(lg[1]), fmt(lg[2]), fmt(full[1]), fmt(full[2]),
           fmt(bt[1]), fmt(bt[2]), degf(d), nrow(d))
    }
    big <- df[df$g == "white" & !is.na(df$y), ]
    fit <- svyglm(y ~ x1 + x2 + x3, design = svydesign(ids = ~1, weights = ~w, data = big),
                  family = quasibinomial(), control = glm.control(epsilon = 1e-14, maxit = 100))
    for (term in c("x1", "x2", "x3")) emit("glm", "white", term, fmt(coef(fit)[term]), fmt(SE(fit)[term]),
                                           "", "", "", "", "", "", "", "")
    close(out)
""")




def make_rows(seed):
    """Four groups crossing six strata, lognormal weights, about 8% unanswered; 'tiny' has a stratum
    with one respondent; stratum 7 has a single respondent in the whole sample."""
    rng = np.random.default_rng(seed)
    n = 1200
    g = rng.choice(GROUPS[:3], size=n, p=[0.6, 0.3, 0.1])
    s = rng.integers(1, 7, n)
    g[:12], s[:12] = "tiny", [1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5]  # stratum 5 holds one 'tiny' respondent
    s[12] = 7
    base = {"white": 0.8, "bme": 0.7, "mixed": 0.75, "tiny": 0.5}
    p = np.array([base[v] for v in g]) + (s - 3.5) * 0.02
    y = (rng.random(n) < p).astype(float)
    w = np.round(rng.lognormal(0.0, 0.6, n), 6)
    x = (rng.random((n, 3)) < [0.7, 0.5, 0.6]).astype(int)
    y = np.where(g == "white", (rng.random(n) < 1 / (1 + np.exp(-(-1 + x @ [1.2, 0.4, 0.8])))).astype(float), y)
    missing = rng.random(n) < 0.08
    missing[:12] = False
    y[missing] = np.nan  # not asked / don't know: outside the measure's base, inside the design
    return {"g": g, "s": s, "y": y, "w": w, "x": x}


def group_sums(rows, group):
    """Sums per stratum over the group's answered rows, and each stratum's whole-design size
    (every row of the file, answered or not)."""
    strata = sorted(set(rows["s"].tolist()))
    answered = ~np.isnan(rows["y"])
    sums, sizes = [], []
    for h in strata:
        mask = (rows["g"] == group) & (rows["s"] == h) & answered
        sums.append(Sums.from_responses(rows["y"][mask].tolist(), rows["w"][mask].tolist()))
        sizes.append(int((rows["s"] == h).sum()))
    return sums, sizes


@pytest.fixture(scope="module", params=SEEDS)
def r_results(request, tmp_path_factory):
    require_r()
    rows = make_rows(request.param)
    folder = tmp_path_factory.mktemp(f"r{request.param}")
    data, script, result = folder / "data.csv", folder / "compare.R", folder / "out.csv"
    with data.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["g", "s", "y", "w", "x1", "x2", "x3"])
        for i in range(len(rows["y"])):
            y = "NA" if np.isnan(rows["y"][i]) else int(rows["y"][i])
            out.writerow([rows["g"][i], rows["s"][i], y, repr(float(rows["w"][i])), *rows["x"][i]])
    script.write_text(R_SCRIPT)
    run = subprocess.run(["Rscript", str(script), str(data), str(result)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    with result.open() as f:
        table = {(r["kind"], r["group"], r["term"]): r for r in csv.DictReader(f)}
    return rows, table


def r_value(table, key, field):
    return float(table[key][field])


@pytest.mark.parametrize("group", GROUPS)
def test_rate_and_se_of_a_domain_match_svyby(r_results, group):
    rows, table = r_results
    sums, sizes = group_sums(rows, group)
    est = estimate_rate(sums, stratum_sizes=sizes)
    key = ("domain", group, "y")
    assert est.rate == pytest.approx(r_value(table, key, "estimate"), rel=1e-9)
    assert est.se == pytest.approx(r_value(table, key, "se"), rel=1e-9)
    assert est.df == int(table[key]["df"]) and est.n == int(table[key]["n"])


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_as_its_own_sample_is_not_what_r_computes(r_results, group):
    rows, table = r_results
    own = estimate_rate(group_sums(rows, group)[0])
    assert own.se != pytest.approx(r_value(table, ("domain", group, "y"), "se"), rel=1e-6)


def test_a_stratum_of_one_in_the_whole_design_is_reported(r_results):
    rows, _ = r_results
    lonely = [h for h in set(rows["s"].tolist()) if (rows["s"] == h).sum() == 1]
    assert lonely == [7]
    holders = {str(g) for g in rows["g"][rows["s"] == 7]}
    for group in GROUPS:
        sums, sizes = group_sums(rows, group)
        expected = 1 if group in holders and not np.isnan(rows["y"][rows["s"] == 7][0]) else 0
        assert estimate_rate(sums, stratum_sizes=sizes).single_unit_strata == expected


@pytest.mark.parametrize("group", GROUPS)
def test_logit_interval_matches_svyciprop_logit_on_the_domain(r_results, group):
    rows, table = r_results
    sums, sizes = group_sums(rows, group)
    est = estimate_rate(sums, stratum_sizes=sizes, method="logit")
    key = ("domain", group, "y")
    # against the same svyglm fit run to convergence: floating-point agreement
    assert (est.ci_low, est.ci_high) == pytest.approx(
        (r_value(table, key, "low_full"), r_value(table, key, "high_full")), rel=1e-9)
    # svyciprop itself stops its fit at glm's default tolerance, so it agrees to that tolerance
    assert (est.ci_low, est.ci_high) == pytest.approx(
        (r_value(table, key, "low"), r_value(table, key, "high")), rel=1e-6)
    assert logit_interval(est.rate, est.se, df=est.df) == pytest.approx((est.ci_low, est.ci_high), rel=1e-15)


@pytest.mark.parametrize("group", GROUPS)
def test_korn_graubard_interval_matches_svyciprop_beta_on_the_domain(r_results, group):
    rows, table = r_results
    sums, sizes = group_sums(rows, group)
    est = estimate_rate(sums, stratum_sizes=sizes, method="beta")
    key = ("domain", group, "y")
    assert (est.ci_low, est.ci_high) == pytest.approx(
        (r_value(table, key, "beta_low"), r_value(table, key, "beta_high")), rel=1e-9)


@pytest.mark.parametrize("group", GROUPS)
def test_clopper_pearson_on_n_eff_is_korn_graubard_without_strata(r_results, group):
    rows, _ = r_results
    mask = (rows["g"] == group) & ~np.isnan(rows["y"])
    est = estimate_rate(Sums.from_responses(rows["y"][mask].tolist(), rows["w"][mask].tolist()), method="cp")
    beta = estimate_rate(Sums.from_responses(rows["y"][mask].tolist(), rows["w"][mask].tolist()), method="beta")
    assert (est.ci_low, est.ci_high) == pytest.approx((beta.ci_low, beta.ci_high), rel=1e-12)
    assert clopper_pearson_interval(est.rate, est.n_eff) == pytest.approx((est.ci_low, est.ci_high), rel=1e-15)


def test_key_driver_odds_ratio_intervals_match_svyglm(r_results):
    rows, table = r_results
    mask = (rows["g"] == "white") & ~np.isnan(rows["y"])
    ors, lows, highs, _ = odds_ratios(rows["y"][mask], rows["x"][mask], weights=rows["w"][mask])
    for j, term in enumerate(("x1", "x2", "x3")):
        key = ("glm", "white", term)
        assert np.log(ors[j]) == pytest.approx(r_value(table, key, "estimate"), rel=1e-9)
        se = (np.log(highs[j]) - np.log(lows[j])) / (2 * 1.959963984540054)
        assert se == pytest.approx(r_value(table, key, "se"), rel=1e-9)
