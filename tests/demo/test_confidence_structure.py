"""The structure the analysis must find in the demo public confidence answers."""

import pytest

from .shares import outcomes, rate, white_bme_gap


@pytest.fixture(scope="module")
def positive(confidence, confidence_definition):
    keys = confidence_definition.measure_keys
    return {m: outcomes(confidence, m, confidence_definition) for m in keys}


def test_most_residents_say_the_police_do_a_good_job(confidence, positive):
    assert 0.55 <= rate(positive["good_job"]) <= 0.60
    assert 0.55 <= rate(positive["good_job"], weight=confidence["weight"]) <= 0.60


def test_about_55_percent_agree_the_police_deal_with_what_matters(positive):
    assert 0.52 <= rate(positive["deal_with_matters"]) <= 0.58


def test_about_15_percent_say_asb_is_a_problem(positive):
    assert 0.12 <= rate(positive["asb_problem"]) <= 0.18


def test_less_confident_residents_see_more_asb(positive):
    good, asb = positive["good_job"], positive["asb_problem"]
    assert rate(asb, good == 0) > rate(asb, good == 1) + 0.05


def test_the_bme_white_difference_is_smaller_than_for_victims(
    confidence, confidence_definition, positive, uss, uss_definition
):
    victims = white_bme_gap(uss, outcomes(uss, "whole_experience", uss_definition), uss_definition)
    public = white_bme_gap(confidence, positive["good_job"], confidence_definition)
    assert abs(public) < victims


def test_central_residents_see_more_asb_than_the_other_divisions(confidence, positive):
    central = confidence["division"] == "Central"
    assert rate(positive["asb_problem"], central) > rate(positive["asb_problem"], ~central) + 0.03
