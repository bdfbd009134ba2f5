"""Key drivers: odds ratios and Johnson's relative weights (statistics.md §7, §9)."""

import numpy as np
import pytest
import statsmodels.api as sm

from citizenfocus.stats import (
    key_drivers,
    odds_ratios,
    relative_weights_linear,
    relative_weights_logistic,
)

# mtcars (R datasets): mpg, cyl, disp, hp, wt
MTCARS = np.array([
    [21.0, 6, 160.0, 110, 2.620], [21.0, 6, 160.0, 110, 2.875], [22.8, 4, 108.0, 93, 2.320],
    [21.4, 6, 258.0, 110, 3.215], [18.7, 8, 360.0, 175, 3.440], [18.1, 6, 225.0, 105, 3.460],
    [14.3, 8, 360.0, 245, 3.570], [24.4, 4, 146.7, 62, 3.190], [22.8, 4, 140.8, 95, 3.150],
    [19.2, 6, 167.6, 123, 3.440], [17.8, 6, 167.6, 123, 3.440], [16.4, 8, 275.8, 180, 4.070],
    [17.3, 8, 275.8, 180, 3.730], [15.2, 8, 275.8, 180, 3.780], [10.4, 8, 472.0, 205, 5.250],
    [10.4, 8, 460.0, 215, 5.424], [14.7, 8, 440.0, 230, 5.345], [32.4, 4, 78.7, 66, 2.200],
    [30.4, 4, 75.7, 52, 1.615], [33.9, 4, 71.1, 65, 1.835], [21.5, 4, 120.1, 97, 2.465],
    [15.5, 8, 318.0, 150, 3.520], [15.2, 8, 304.0, 150, 3.435], [13.3, 8, 350.0, 245, 3.840],
    [19.2, 8, 400.0, 175, 3.845], [27.3, 4, 79.0, 66, 1.935], [26.0, 4, 120.3, 91, 2.140],
    [30.4, 4, 95.1, 113, 1.513], [15.8, 8, 351.0, 264, 3.170], [19.7, 6, 145.0, 175, 2.770],
    [15.0, 8, 301.0, 335, 3.570], [21.4, 4, 121.0, 109, 2.780],
])


def survey(seed=3, n=600):
    rng = np.random.default_rng(seed)
    x = (rng.random((n, 4)) < [0.8, 0.6, 0.5, 0.7]).astype(float)
    x[:, 1] = np.where(rng.random(n) < 0.3, x[:, 2], x[:, 1])  # kept informed and actions correlate
    y = (rng.random(n) < 1 / (1 + np.exp(-(-2 + x @ [1.0, 0.5, 1.5, 0.2])))).astype(float)
    return y, x, rng.uniform(0.5, 2.0, n)


def test_linear_relative_weights_reproduce_the_r_rwa_mtcars_example():
    result = relative_weights_linear(MTCARS[:, 0], MTCARS[:, 1:], names=["cyl", "disp", "hp", "wt"])
    assert result.raw == pytest.approx([0.2096904, 0.1883043, 0.1799590, 0.2706812], abs=5e-8)
    assert result.percent == pytest.approx([24.70914, 22.18908, 21.20570, 31.89607], abs=5e-6)
    assert result.r_squared == pytest.approx(0.8486348, abs=5e-8)


def test_linear_relative_weights_sum_to_the_regressions_r_squared():
    y, x, _ = survey()
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    assert relative_weights_linear(y, x).r_squared == pytest.approx(fit.rsquared, rel=1e-10)


def test_logistic_relative_weights_sum_to_the_squared_correlation_of_y_and_fitted():
    y, x, w = survey()
    result = relative_weights_logistic(y, x, weights=w)
    fitted = sm.GLM(y, sm.add_constant(x), family=sm.families.Binomial(), var_weights=w).fit().fittedvalues
    c = np.cov(np.vstack([y, fitted]), aweights=w)
    assert result.r_squared == pytest.approx(c[0, 1] ** 2 / (c[0, 0] * c[1, 1]), rel=1e-8)
    assert sum(result.percent) == pytest.approx(100)


def test_with_uncorrelated_aspects_logistic_weights_are_squared_standardised_coefficients():
    # a balanced 2×2×2 design repeated: the aspects are exactly uncorrelated, so Λ* = I
    grid = np.array([[a, b, c] for a in (0, 1) for b in (0, 1) for c in (0, 1)] * 50, dtype=float)
    rng = np.random.default_rng(7)
    y = (rng.random(len(grid)) < 1 / (1 + np.exp(-(-1 + grid @ [1.5, 0.3, 0.8])))).astype(float)
    fit = sm.GLM(y, sm.add_constant(grid), family=sm.families.Binomial()).fit()
    r = np.corrcoef(y, fit.fittedvalues)[0, 1]
    beta = fit.params[1:] * grid.std(axis=0) * r / np.std(fit.predict(which="linear"))
    assert relative_weights_logistic(y, grid).raw == pytest.approx(beta**2, rel=1e-8)


def test_scaling_every_weight_changes_nothing():
    y, x, w = survey()
    a, b = relative_weights_logistic(y, x, weights=w), relative_weights_logistic(y, x, weights=10 * w)
    assert a.raw == pytest.approx(b.raw, rel=1e-9)
    assert odds_ratios(y, x, weights=w)[1] == pytest.approx(odds_ratios(y, x, weights=10 * w)[1], rel=1e-9)


def test_unweighted_odds_ratios_are_the_logistic_coefficients_with_sandwich_intervals():
    y, x, _ = survey()
    ors, lows, highs, ps = odds_ratios(y, x)
    fit = sm.Logit(y, sm.add_constant(x)).fit(disp=0, cov_type="HC0")
    se = np.sqrt(np.diag(fit.cov_params()) * len(y) / (len(y) - 1))[1:]
    assert ors == pytest.approx(np.exp(fit.params[1:]), rel=1e-7)
    assert lows == pytest.approx(np.exp(fit.params[1:] - 1.959964 * se), rel=1e-6)
    assert highs == pytest.approx(np.exp(fit.params[1:] + 1.959964 * se), rel=1e-6)
    assert ps[2] < 0.001


def test_key_drivers_use_complete_cases_and_mark_where_to_act():
    y, x, w = survey()
    x[:5, 0] = np.nan
    y[5:8] = np.nan
    result = key_drivers(y, x, names=["ease", "actions", "informed", "treatment"], weights=w)
    assert result.n == len(y) - 8
    keep = slice(8, None)
    informed = result.drivers[2]
    assert informed.performance == pytest.approx(np.average(x[keep, 2], weights=w[keep]))
    assert max(result.drivers, key=lambda d: d.importance) is informed
    assert informed.act_here  # most important, least well done
    assert not result.drivers[3].act_here
    assert sum(d.importance for d in result.drivers) == pytest.approx(100)
    assert result.as_dict()["drivers"][2]["name"] == "informed"


def test_key_drivers_refuse_degenerate_data_plainly():
    y, x, _ = survey(n=50)
    with pytest.raises(ValueError, match="too few"):
        key_drivers(y[:4], x[:4], names=list("abcd"))
    x[:, 3] = 1.0
    with pytest.raises(ValueError, match="no variation"):
        key_drivers(y, x, names=list("abcd"))
    with pytest.raises(ValueError, match="3 names for 4"):
        relative_weights_linear(y, survey()[1][:50], names=list("abc"))
