"""The structure the analysis must find in the demo victims' answers (see demo/model.py).

Each check uses plain pandas shares at the default seed, with tolerances a
few standard errors wide; the 'noise only' checks also show they could fail,
by finding the one effect that is real.
"""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import chi2_contingency

from .shares import ethnic_groups, interview_month, outcomes, rate, white_bme_gap

ASPECTS = ["ease_of_contact", "actions_taken", "kept_informed", "treatment"]
MEASURES = [*ASPECTS, "whole_experience"]
DIP_MONTHS = pd.period_range("2013-07", "2013-09", freq="M")


@pytest.fixture(scope="module")
def satisfied(uss, uss_definition):
    return {m: outcomes(uss, m, uss_definition) for m in MEASURES}


@pytest.fixture(scope="module")
def whole(satisfied):
    return satisfied["whole_experience"]


def _p_value_across(outcome: pd.Series, groups: pd.Series) -> float:
    """Chi-square test that the satisfied share is the same in every group."""
    valid = outcome.notna()
    table = pd.crosstab(groups[valid], outcome[valid])
    return chi2_contingency(table.to_numpy())[1]


def test_about_80_percent_are_satisfied_with_the_whole_experience(uss, whole):
    assert 0.77 <= rate(whole) <= 0.83
    assert 0.75 <= rate(whole, weight=uss["weight"]) <= 0.83


def test_white_victims_are_5_to_8_points_more_satisfied_than_bme(uss, uss_definition, whole):
    assert 0.05 <= white_bme_gap(uss, whole, uss_definition) <= 0.08


def test_the_gap_is_wider_for_vehicle_crime_and_road_traffic_collisions(uss, uss_definition, whole):
    overall = white_bme_gap(uss, whole, uss_definition)
    for crime_type in ("vehicle_crime", "rtc"):
        gap = white_bme_gap(uss, whole, uss_definition, uss["crime_type"] == crime_type)
        assert gap > overall + 0.02, crime_type
    both = white_bme_gap(uss, whole, uss_definition, uss["crime_type"].isin(["vehicle_crime", "rtc"]))
    assert 0.10 <= both <= 0.15


def test_the_gap_is_wider_for_16_to_24_year_olds(uss, uss_definition, whole):
    overall = white_bme_gap(uss, whole, uss_definition)
    young = white_bme_gap(uss, whole, uss_definition, uss["age_band"] == "16-24")
    assert young > overall + 0.02


def test_kept_informed_is_the_lowest_rated_aspect(satisfied):
    rates = {m: rate(satisfied[m]) for m in ASPECTS}
    assert min(rates, key=rates.get) == "kept_informed"
    assert rates["kept_informed"] < min(r for m, r in rates.items() if m != "kept_informed") - 0.04


def test_bme_victims_are_least_satisfied_with_being_kept_informed(uss, uss_definition, satisfied):
    bme = ethnic_groups(uss, uss_definition) == "bme"
    bme_rates = {m: rate(satisfied[m], bme) for m in ASPECTS}
    assert min(bme_rates, key=bme_rates.get) == "kept_informed"
    gaps = {m: white_bme_gap(uss, satisfied[m], uss_definition) for m in ASPECTS}
    assert max(gaps, key=gaps.get) == "kept_informed"


def test_kept_informed_is_the_strongest_driver_of_whole_experience(satisfied):
    frame = pd.DataFrame(satisfied).dropna()
    model = sm.Logit(frame["whole_experience"], sm.add_constant(frame[ASPECTS])).fit(disp=0)
    coefficients = model.params[ASPECTS]
    assert coefficients.idxmax() == "kept_informed"
    assert (coefficients > 0).all()
    correlations = {m: np.corrcoef(frame[m], frame["whole_experience"])[0, 1] for m in ASPECTS}
    assert max(correlations, key=correlations.get) == "kept_informed"


@pytest.mark.parametrize("measure", MEASURES)
def test_central_dips_in_july_to_september_2013(uss, satisfied, measure):
    central = uss["division"] == "Central"
    dip = interview_month(uss).isin(DIP_MONTHS)
    drop = rate(satisfied[measure], central & ~dip) - rate(satisfied[measure], central & dip)
    assert 0.06 <= drop <= 0.15
    elsewhere = rate(satisfied[measure], ~central & ~dip) - rate(satisfied[measure], ~central & dip)
    assert abs(elsewhere) < 0.03


def test_months_are_otherwise_stable(uss, whole):
    month = interview_month(uss)
    central = uss["division"] == "Central"
    assert _p_value_across(whole[central], month[central]) < 1e-6  # the dip is found...
    for division in ("Northern", "Central", "Southern"):
        steady = (uss["division"] == division) & ~month.isin(DIP_MONTHS)
        assert _p_value_across(whole[steady], month[steady]) > 0.001, division  # ...nothing else


def test_neighbourhoods_differ_only_by_chance(uss, whole):
    for division in ("Northern", "Central", "Southern"):
        rows = uss["division"] == division
        assert _p_value_across(whole[rows], uss["neighbourhood"][rows]) > 0.001, division
    # The same test does find the gap where it is real.
    groups = uss["ethnicity"].str[0]
    assert _p_value_across(whole, groups) < 1e-6
